//! What a spec still holds from its template, or lacks: the template's guidance text or
//! title left in place (`template-text`), left-over placeholders (`placeholder`), and
//! template sections with nothing in them (`empty-section`).

use std::cell::OnceCell;
use std::ops::Range;

use super::{Code, Cx, Edit, FindingData, Fix, Fixes};
use crate::rst::Section;
use crate::template::paragraphs::{Paragraph, Start, classify, paragraphs, start};
use crate::template::{Finders, TemplateSection};

pub(super) fn check(cx: &mut Cx) {
    if cx.on(Code::TemplateText) {
        template_title(cx);
    }
    let (outline, template) = (cx.outline, cx.template);
    // (looked for only when a rule reads them)
    let wanted = cx.on(Code::Placeholder) || cx.on(Code::TemplateText);
    let written: &[String] = if wanted { &template.placeholders } else { &[] };
    let placed = Placeholders::find(cx.text, written, &template.finders);
    let refs = OnceCell::new();
    for section in &outline.sections {
        let title = &section.heading.title;
        let Some(t) = template.sections.iter().find(|t| &t.title == title) else {
            continue;
        };
        section_content(cx, section, t, None, (&placed, &refs));
        for child in &section.sections {
            if let Some(sub) = t
                .subsections
                .iter()
                .find(|s| s.title == child.heading.title)
            {
                section_content(cx, child, sub, Some(&t.title), (&placed, &refs));
            }
        }
    }
    if cx.on(Code::Placeholder) {
        placeholders(cx, &placed);
    }
}

/// Where the template's placeholders are written in a spec: found once, for the
/// `placeholder` findings and for the guidance left in each section.
struct Placeholders<'t> {
    placeholders: &'t [String],
    /// (offset, placeholder index) of each occurrence (the non-overlapping ones, from
    /// the left), per placeholder in order, then by offset.
    found: Vec<(usize, usize)>,
    /// The occurrences' ranges, sorted by start; `None` when a placeholder holds a line
    /// break (then one written across the break before a paragraph could hide another
    /// inside it, and each paragraph is searched instead).
    sorted: Option<Vec<Range<usize>>>,
}

impl<'t> Placeholders<'t> {
    /// `finders`: the template's searchers, one per placeholder it has (`placeholders`
    /// is those or none).
    fn find(text: &str, placeholders: &'t [String], finders: &Finders) -> Placeholders<'t> {
        let bytes = text.as_bytes();
        // the first bytes looked for (see `rare_first_byte`), at most three, and where
        // the text has them, found in one pass
        let mut firsts: Vec<u8> = placeholders
            .iter()
            .filter_map(|p| rare_first_byte(p))
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        firsts.truncate(3);
        let at_firsts: Vec<usize> = match firsts[..] {
            [] => Vec::new(),
            [a] => memchr::memchr_iter(a, bytes).collect(),
            [a, b] => memchr::memchr2_iter(a, b, bytes).collect(),
            [a, b, c, ..] => memchr::memchr3_iter(a, b, c, bytes).collect(),
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (i, (p, f)) in placeholders.iter().zip(finders.iter()).enumerate() {
            if !rare_first_byte(p).is_some_and(|b| firsts.contains(&b)) {
                found.extend(f.find_iter(bytes).map(|at| (at, i)));
                continue;
            }
            // (as the searcher's, the occurrences do not overlap: each found from the
            // left, after the one before)
            let mut free = 0;
            for &at in &at_firsts {
                if at >= free && bytes[at..].starts_with(p.as_bytes()) {
                    found.push((at, i));
                    free = at + p.len();
                }
            }
        }
        let breaks = placeholders.iter().any(|p| p.contains(['\n', '\r']));
        let sorted = (!breaks).then(|| {
            let mut sorted: Vec<Range<usize>> = (found.iter())
                .map(|&(at, i)| at..at + placeholders[i].len())
                .collect();
            sorted.sort_unstable_by_key(|r| r.start);
            sorted
        });
        Placeholders {
            placeholders,
            found,
            sorted,
        }
    }

    /// Whether a paragraph starting at `start` and ending by `end` of the text may hold
    /// a placeholder ([`Self::within`] tells).
    fn may_be_within(&self, start: usize, end: usize) -> bool {
        let Some(sorted) = &self.sorted else {
            return true;
        };
        let first = sorted.partition_point(|r| r.start < start);
        sorted.get(first).is_some_and(|r| r.start < end)
    }

    /// Whether `paragraph`, at `range.start` of the text and starting a line, holds a
    /// placeholder.
    fn within(&self, paragraph: &str, start: usize) -> bool {
        let Some(sorted) = &self.sorted else {
            return (self.placeholders.iter()).any(|ph| paragraph.contains(ph.as_str()));
        };
        // a placeholder holds no line break: one that starts in the paragraph, which
        // starts a line, is one `contains` finds, and the search from the left found
        // it or one overlapping it that starts in the paragraph too
        let end = start + paragraph.len();
        let first = sorted.partition_point(|r| r.start < start);
        (sorted[first..].iter())
            .take_while(|r| r.start < end)
            .any(|r| r.end <= end)
    }
}

/// The first byte of `placeholder` when it is one a spec's text rarely has: the `<` of a
/// fill-in (`<launchpad-id or None>`) or a capital letter (`XXXXXXX`). Such placeholders
/// are found where the text has their first byte, looked for once for them all, where a
/// searcher would read the whole text for each.
fn rare_first_byte(placeholder: &str) -> Option<u8> {
    let first = *placeholder.as_bytes().first()?;
    (first == b'<' || first.is_ascii_uppercase()).then_some(first)
}

fn template_title(cx: &mut Cx) {
    let (Some(title), Some(expected)) = (&cx.outline.title, &cx.template.title) else {
        return;
    };
    if &title.title == expected {
        cx.report(
            Code::TemplateText,
            title.range(),
            format!("'{expected}' is the template's title: give the spec its own title"),
            FindingData::section(&title.title, None),
            Fixes::None,
        );
    }
}

/// `found`: the spec's placeholders, and the ends of its footnote references (see
/// [`orphaned_footnotes`]), looked for once per spec.
fn section_content(
    cx: &mut Cx,
    section: &Section,
    t: &TemplateSection,
    parent: Option<&str>,
    (placed, refs): (&Placeholders, &OnceCell<Vec<usize>>),
) {
    let text = cx.text;
    let title = &section.heading.title;
    if cx.on(Code::EmptySection) && !has_content(&text[section.body.clone()]) {
        let at = section.body.start;
        let new_text = if text[..at].ends_with('\n') {
            "\nNone\n"
        } else {
            "\n\nNone\n"
        };
        cx.report(
            Code::EmptySection,
            section.heading.range(),
            format!(
                "section '{title}' is empty: write its content, or \"None\" if there is nothing to say"
            ),
            FindingData::section(title, parent),
            vec![Fix {
                title: "Write \"None\"".into(),
                edits: vec![Edit {
                    range: at..at,
                    new_text: new_text.into(),
                }],
            }],
        );
    }
    if cx.on(Code::TemplateText) && !t.guidance_keys.is_empty() {
        let body = &text[section.own_body()];
        let mut left = guidance_left(body, section.body.start, t, placed);
        if !left.is_empty() {
            left.extend(orphaned_footnotes(
                text,
                body,
                section.body.start,
                &left,
                refs,
            ));
            left.sort_by_key(|r| r.start);
        }
        if let (Some(first), Some(last)) = (left.first(), left.last()) {
            // a section left with nothing says "None", as the template asks (and as the
            // empty-section fix writes), rather than being emptied
            let mut edits: Vec<Edit> = left
                .iter()
                .map(|r| Edit {
                    range: r.clone(),
                    new_text: String::new(),
                })
                .collect();
            // (a section with subsections is never left empty: its body, which holds
            // them, is not copied to tell)
            let emptied = section.sections.is_empty()
                && !has_content(&without(text, section.body.clone(), &left));
            let fix_title = if emptied {
                let first_text = &text[first.clone()];
                let blank_after = &first_text[first_text.trim_end().len()..];
                edits[0].new_text = format!("None{blank_after}");
                "Replace the template's guidance with \"None\""
            } else {
                "Remove the template's guidance"
            };
            cx.report(
                Code::TemplateText,
                first.start..last.end,
                format!(
                    "section '{title}' still holds the template's guidance: replace it with this spec's content, or \"None\""
                ),
                FindingData::section(title, parent),
                vec![Fix {
                    title: fix_title.into(),
                    edits,
                }],
            );
        }
    }
}

/// The ranges of the template's guidance paragraphs in a section body that says nothing
/// else of substance (short lines such as "None" aside); empty if it does: authors who
/// answer the template's questions in place keep them on purpose. A paragraph holding a
/// placeholder is left to the `placeholder` finding, so it is reported once.
fn guidance_left(
    body: &str,
    base: usize,
    t: &TemplateSection,
    placed: &Placeholders,
) -> Vec<Range<usize>> {
    let mut left = Vec::new();
    let mut paragraphs = paragraphs(body, base);
    while let Some(at) = paragraphs.peek_start() {
        // the usual paragraph, the spec's own text or a "None", settled by its start
        match start(&body[at..], &t.guidance_keys) {
            Start::Content if !placed.may_be_within(base + at, base + body.len()) => {
                return Vec::new();
            }
            Start::Minor(len) => {
                paragraphs.skip_to(at + len);
                continue;
            }
            _ => {}
        }
        let Some((range, p)) = paragraphs.next() else {
            break;
        };
        let kind = classify(p, &t.guidance_keys);
        if kind == Paragraph::Minor || placed.within(p, range.start) {
            continue;
        }
        if kind == Paragraph::Content {
            return Vec::new();
        }
        left.push(range);
    }
    left
}

/// The footnotes in a section body (at `base` in `text`) that only the `removed`
/// paragraphs refer to (the template's `[1]_` and its `.. [1] ...`): removed with them,
/// or docutils would report each as not referenced. `refs` holds (or gets, the first
/// time one is asked for) the offset of each `]_` in `text`, where every reference ends.
fn orphaned_footnotes(
    text: &str,
    body: &str,
    base: usize,
    removed: &[Range<usize>],
    refs: &OnceCell<Vec<usize>>,
) -> Vec<Range<usize>> {
    // whether `reference` is written somewhere the removal keeps (its only `]` is its
    // end's: each one ends at a `]_`)
    let kept = |reference: &str| {
        let ends = refs.get_or_init(|| memchr::memmem::find_iter(text.as_bytes(), b"]_").collect());
        ends.iter().any(|&end| {
            let found = (end + 2).saturating_sub(reference.len())..end + 2;
            text.as_bytes()[found.clone()] == *reference.as_bytes()
                && !removed
                    .iter()
                    .any(|r| r.start < found.end && found.start < r.end)
        })
    };
    paragraphs(body, base)
        .filter(|(range, _)| !removed.contains(range))
        .filter_map(|(range, p)| {
            let label = p.strip_prefix(".. [")?.split_once(']')?.0;
            let reference = format!("[{label}]_");
            let referred = removed.iter().any(|r| text[r.clone()].contains(&reference));
            (referred && !kept(&reference)).then_some(range)
        })
        .collect()
}

/// `range` of `text` without the `removed` ranges (in order, each inside `range`).
fn without(text: &str, range: Range<usize>, removed: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for r in removed {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

/// Whether a body says anything: a line that is neither blank nor part of a comment.
fn has_content(body: &str) -> bool {
    // the usual body: blank lines, then a line that starts no comment
    let first = (body.bytes()).find(|b| !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '));
    match first {
        None => return false,
        Some(b) if b.is_ascii() && b != b'.' => return true,
        Some(_) => {}
    }
    let mut in_comment = false;
    for line in body.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if in_comment && indented {
            continue;
        }
        in_comment = is_comment_start(line);
        if !in_comment {
            return true;
        }
    }
    false
}

/// `..` alone or followed by text that is not a directive, target, footnote,
/// citation or substitution definition.
fn is_comment_start(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("..") else {
        return false;
    };
    if rest.trim().is_empty() {
        return true;
    }
    if !rest.starts_with([' ', '\t']) {
        return false;
    }
    let rest = rest.trim_start();
    let markup = rest.starts_with(['_', '[', '|'])
        || rest
            .split_whitespace()
            .next()
            .is_some_and(|w| w.ends_with("::"));
    !markup
}

fn placeholders(cx: &mut Cx, placed: &Placeholders) {
    for &(at, i) in &placed.found {
        let p = &placed.placeholders[i];
        cx.report(
            Code::Placeholder,
            at..at + p.len(),
            format!("'{p}' is a placeholder from the template: replace it"),
            FindingData::default(),
            Fixes::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The placeholders found where the text has their first byte (fill-ins, and
        /// those starting with a capital) are those a searcher finds, in the same order,
        /// overlapping ones too.
        #[test]
        fn placeholders_are_found_as_a_searcher_finds_them(
            text in "[<>abXYZ \n]{0,80}",
            written in proptest::collection::vec("<[ab ]{0,3}>?|a<b|[ab]{1,3}|[XYZ][XYZa]{0,3}", 1..6),
        ) {
            let finders = Finders::new(&written);
            let searched: Vec<(usize, usize)> = (finders.iter().enumerate())
                .flat_map(|(i, f)| f.find_iter(text.as_bytes()).map(move |at| (at, i)))
                .collect();
            let placed = Placeholders::find(&text, &written, &finders);
            proptest::prop_assert_eq!(placed.found, searched);
        }
    }

    #[test]
    fn comments_are_not_content() {
        assert!(!has_content("\n\n"));
        assert!(!has_content("\n..\n   a comment\n\n.. another one\n"));
        assert!(has_content("\nNone\n"));
        assert!(has_content(".. note::\n\n   text\n"));
        assert!(has_content(".. _label:\n"));
        assert!(has_content("..\n  c\nafter\n"));
        // blank lines are the ones `str::trim` empties: Unicode white space too
        assert!(!has_content(" \u{a0}\n\t\u{b}\r\n"));
        assert!(has_content("\n \u{a0}x\n"));
        assert!(has_content("\n\r\n  .. indented\n"));
    }
}
