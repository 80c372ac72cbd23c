//! Template guidance (reStructuredText) as Markdown for hovers and completion docs:
//! paragraphs and lists kept, literal blocks (`::`) and `code-block` directives as fenced
//! code, admonitions as bold labels, RST comments and other directives dropped, inline
//! literals, roles and links converted.
//!
//! Hand-written rather than a crate: no Rust crate converts RST to Markdown, and guidance
//! text needs only this small subset.

/// Convert a piece of RST to Markdown.
pub fn from_rst(rst: &str) -> String {
    let lines: Vec<&str> = rst.lines().map(|l| l.trim_end()).collect();
    let mut out = Vec::new();
    convert(&dedent(&lines), &mut out);
    while out.last().is_some_and(|l: &String| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

const ADMONITIONS: [&str; 10] = [
    "note",
    "warning",
    "important",
    "tip",
    "caution",
    "attention",
    "danger",
    "error",
    "hint",
    "seealso",
];

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn dedent(lines: &[&str]) -> Vec<String> {
    let min = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(min..).unwrap_or("").to_string())
        .collect()
}

/// The end of the block that starts at `start`: it runs on over blank lines and indented
/// lines, to the next unindented line (trailing blank lines excluded).
fn block_end(lines: &[String], start: usize) -> usize {
    let mut end = start + 1;
    let mut last = start + 1;
    while end < lines.len() && (lines[end].is_empty() || indent(&lines[end]) > 0) {
        end += 1;
        if !lines[end - 1].is_empty() {
            last = end;
        }
    }
    last
}

fn blank(out: &mut Vec<String>) {
    if out.last().is_some_and(|l| !l.is_empty()) {
        out.push(String::new());
    }
}

fn fence(body: &[String], lang: &str, out: &mut Vec<String>) {
    let refs: Vec<&str> = body.iter().map(String::as_str).collect();
    let code = dedent(&refs);
    let code: Vec<&String> = code.iter().skip_while(|l| l.is_empty()).collect::<Vec<_>>();
    blank(out);
    out.push(format!("```{lang}"));
    out.extend(code.into_iter().cloned());
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.push("```".to_string());
    out.push(String::new());
}

fn convert(lines: &[String], out: &mut Vec<String>) {
    let mut i = 0;
    let mut literal_next = false;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_empty() {
            blank(out);
            i += 1;
            continue;
        }
        if indent(line) > 0 {
            let end = block_end(lines, i);
            if literal_next {
                fence(&lines[i..end], "", out);
            } else {
                let refs: Vec<&str> = lines[i..end].iter().map(String::as_str).collect();
                convert(&dedent(&refs), out);
            }
            literal_next = false;
            i = end;
            continue;
        }
        literal_next = false;
        if let Some(markup) = line.strip_prefix("..") {
            let end = block_end(lines, i);
            explicit_markup(markup, &lines[i + 1..end], out);
            i = end;
            continue;
        }
        // a paragraph (or list item): up to the next blank line
        let start = i;
        while i < lines.len() && !lines[i].is_empty() {
            i += 1;
        }
        blank(out);
        for (n, line) in lines[start..i].iter().enumerate() {
            let mut text = line.clone();
            if n + 1 == i - start && text.ends_with("::") {
                literal_next = true;
                text.truncate(text.len() - 2);
                let trimmed = text.trim_end();
                if !trimmed.is_empty() && trimmed.len() == text.len() {
                    text.push(':'); // "Example::" reads "Example:"
                } else {
                    text.truncate(trimmed.len()); // "Example ::" and a lone "::" vanish
                }
            }
            if let Some(rest) = text.strip_prefix("#. ") {
                text = format!("1. {rest}");
            }
            if !text.is_empty() {
                out.push(inline(&text));
            }
        }
    }
}

/// `.. something` and its indented block: code blocks fenced, admonitions labelled,
/// comments and anything else dropped.
fn explicit_markup(head: &str, body: &[String], out: &mut Vec<String>) {
    let head = head.trim();
    if let Some(label) = footnote_label(head) {
        // a footnote: its label and text, as the guidance's references point to it
        blank(out);
        let text = head[label.len() + 2..].trim();
        let mut lines = vec![format!(
            "{}{}",
            escape(&format!("[{label}]")),
            if text.is_empty() {
                String::new()
            } else {
                format!(" {}", inline(text))
            }
        )];
        lines.extend(
            body.iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(inline),
        );
        out.push(lines.join(" "));
        return;
    }
    let Some((name, argument)) = head.split_once("::") else {
        return; // a comment or a target
    };
    let name = name.trim();
    if name.contains(char::is_whitespace) || name.is_empty() {
        return; // a comment that happens to contain "::"
    }
    let argument = argument.trim();
    let body: Vec<String> = body
        .iter()
        .skip_while(|l| l.trim_start().starts_with(':')) // directive options
        .cloned()
        .collect();
    match name {
        "code-block" | "code" | "sourcecode" => fence(&body, argument, out),
        _ if ADMONITIONS.contains(&name) => {
            blank(out);
            let mut label = name.to_string();
            label[..1].make_ascii_uppercase();
            out.push(
                format!("**{label}:** {}", inline(argument))
                    .trim_end()
                    .to_string(),
            );
            let refs: Vec<&str> = body.iter().map(String::as_str).collect();
            convert(&dedent(&refs), out);
        }
        _ => {}
    }
}

/// The label of a footnote or citation (`[1] text`, `[#note] text`, `[*]`), if `head`
/// (after the `..`) starts one.
fn footnote_label(head: &str) -> Option<&str> {
    let label = head.strip_prefix('[')?.split_once(']')?.0;
    let ok = !label.is_empty()
        && !label.contains(char::is_whitespace)
        && head[label.len() + 2..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
    ok.then_some(label)
}

/// Inline markup: ``literal`` and :role:`x` as code spans, `text <url>`_ as links,
/// `target`_ as plain text, footnote references `[1]_` as "[1]"; characters Markdown
/// would read as markup escaped outside code.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (n, part) in text.split("``").enumerate() {
        if n % 2 == 1 {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            out.push_str(&interpreted(part));
        }
    }
    out
}

fn interpreted(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        let mut before = &rest[..open];
        let mut after = &rest[open + len + 2..];
        let is_reference = after.starts_with('_');
        after = after.trim_start_matches('_');
        // a role prefix such as :ref: or :doc:
        let mut role = false;
        if let Some(stripped) = before.strip_suffix(':') {
            if let Some(colon) = stripped.rfind(':') {
                let name = &stripped[colon + 1..];
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '-') {
                    before = &stripped[..colon];
                    role = true;
                }
            }
        }
        out.push_str(&escape(before));
        match (inner.rfind('<'), inner.ends_with('>')) {
            (Some(lt), true) if is_reference || role => {
                let label = inner[..lt].trim();
                let target = &inner[lt + 1..inner.len() - 1];
                if role {
                    out.push_str(&format!(
                        "`{}`",
                        if label.is_empty() { target } else { label }
                    ));
                } else {
                    out.push_str(&format!(
                        "[{}]({target})",
                        if label.is_empty() { target } else { label }
                    ));
                }
            }
            _ if is_reference => out.push_str(&escape(inner)),
            _ => out.push_str(&format!("`{inner}`")),
        }
        rest = after;
    }
    out.push_str(&escape(rest));
    out
}

/// Plain RST text as Markdown text: footnote references (`[1]_`) lose their `_`, and
/// what Markdown would read as markup (`<`, `[`, `]`, `_`, a leading `#` or `>`) is
/// escaped. RST's `*emphasis*` and `**strong**` read the same in Markdown.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '['
            && let Some(close) = rest.find("]_")
            && footnote_label(&rest[..close + 1]).is_some()
            && !rest[close + 2..].starts_with(|c: char| c.is_alphanumeric())
        {
            out.push_str(&format!("\\[{}\\]", &rest[1..close]));
            rest = &rest[close + 2..];
            continue;
        }
        match c {
            '<' | '[' | ']' | '_' => out.push('\\'),
            '#' | '>' if out.trim().is_empty() => out.push('\\'),
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_blocks_code_blocks_lists_and_comments() {
        let rst = "\
.. a comment
   spanning lines

Some ``code`` and :ref:`a role`, see `docs <https://x.org>`_ and <name>.

* item one
* item two

#. first

Example::

    literal line
      indented

.. code-block:: python

    print(1)

.. note:: Mind this.

.. sectnum::
";
        let md = from_rst(rst);
        assert_eq!(
            md,
            "\
Some `code` and `a role`, see [docs](https://x.org) and \\<name>.

* item one
* item two

1. first

Example:

```
literal line
  indented
```

```python
print(1)
```

**Note:** Mind this."
        );
    }

    #[test]
    fn footnotes_are_shown_and_markdown_characters_escaped() {
        let rst = "\
Examples are [1]_, [2]_ and a_b_c.

.. [1] Links to mailing list or IRC discussions
   spanning lines
.. [2] Links to notes from a summit session
";
        assert_eq!(
            from_rst(rst),
            "\
Examples are \\[1\\], \\[2\\] and a\\_b\\_c.

\\[1\\] Links to mailing list or IRC discussions spanning lines

\\[2\\] Links to notes from a summit session"
        );
        assert_eq!(from_rst("# not a heading [x]"), "\\# not a heading \\[x\\]");
    }

    #[test]
    fn lone_double_colon_and_spaced_double_colon_vanish() {
        assert_eq!(from_rst("Look ::\n\n  x\n"), "Look\n\n```\nx\n```");
        assert_eq!(from_rst("::\n\n  x\n"), "```\nx\n```");
    }
}
