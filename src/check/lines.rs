//! Line rules, as upstream CI (trove-specs `tests/test_titles.py`) applies them: the
//! file is read with universal newlines, so lines end at `\n`, `\r\n` or a lone `\r`
//! and are measured in characters without their line end; the limit is
//! `max-line-length` (79), four more for lines indented four spaces; lines with more
//! than one `/`, lines whose first non-blank is `+` or `|` (tables) and lines
//! containing `<% $` are exempt. Trailing whitespace means spaces before the line's
//! end. Carriage returns pass upstream, so they are one warning per file, with a fix.

use super::{Code, Cx, Edit, FindingData, Fix};

pub(super) fn check(cx: &mut Cx) {
    let text = cx.text;
    let limit = cx.config.max_line_length;
    let (long, trailing) = (cx.on(Code::LineTooLong), cx.on(Code::TrailingWhitespace));
    for (start, line) in normalised_lines(text) {
        if long && line.len() > limit {
            too_long(cx, start, line, limit);
        }
        if trailing && line.ends_with(' ') {
            let spaces = line.len() - line.trim_end_matches(' ').len();
            let range = start + line.len() - spaces..start + line.len();
            cx.report(
                Code::TrailingWhitespace,
                range.clone(),
                "trailing whitespace: remove it".into(),
                FindingData::default(),
                vec![Fix {
                    title: "Remove trailing whitespace".into(),
                    edits: vec![Edit {
                        range,
                        new_text: String::new(),
                    }],
                }],
            );
        }
    }
    if cx.on(Code::CarriageReturn) {
        carriage_returns(cx);
    }
}

fn too_long(cx: &mut Cx, start: usize, line: &str, limit: usize) {
    let limit = if line.starts_with("    ") {
        limit + 4
    } else {
        limit
    };
    let first = line.trim_start().chars().next();
    if line.bytes().filter(|&b| b == b'/').count() > 1
        || matches!(first, Some('+' | '|'))
        || line.contains("<% $")
    {
        return;
    }
    let Some((over, _)) = line.char_indices().nth(limit) else {
        return;
    };
    let chars = limit + line[over..].chars().count();
    cx.report(
        Code::LineTooLong,
        start + over..start + line.len(),
        format!("line is {chars} characters long, over the limit of {limit}: wrap it"),
        FindingData::default(),
        Vec::new(),
    );
}

/// Each line's start offset and its text without the line end, as Python's universal
/// newlines split them (`\n`, `\r\n` and a lone `\r` end a line).
fn normalised_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let rest = &bytes[start..];
        let (line_start, line) = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) => {
                let end = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                let item = (start, &text[start..start + i]);
                start += end;
                item
            }
            None => {
                done = true;
                (start, &text[start..])
            }
        };
        Some((line_start, line))
    })
}

/// One finding at the first `\r`, counting them all; its fix turns CRLF and CR line
/// endings into LF.
fn carriage_returns(cx: &mut Cx) {
    let bytes = cx.text.as_bytes();
    let edits: Vec<Edit> = memchr::memchr_iter(b'\r', bytes)
        .map(|i| Edit {
            range: i..i + 1,
            new_text: if bytes.get(i + 1) == Some(&b'\n') {
                String::new()
            } else {
                "\n".to_string()
            },
        })
        .collect();
    let Some(first) = edits.first().map(|e| e.range.clone()) else {
        return;
    };
    let n = edits.len();
    let plural = if n == 1 { "" } else { "s" };
    cx.report(
        Code::CarriageReturn,
        first,
        format!("{n} carriage return{plural} (\\r): use LF line endings"),
        FindingData::default(),
        vec![Fix {
            title: "Convert line endings to LF".into(),
            edits,
        }],
    );
}
