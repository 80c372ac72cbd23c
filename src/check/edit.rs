//! Building fixes: headings in the document's own adornment style, section blocks
//! inserted with the blank lines reStructuredText needs, section moves, and applying
//! edits to a text.

use std::ops::Range;

use super::Edit;
use crate::rst::{Heading, Outline, Section, Style, column_width};
use crate::template::Template;

/// Underline characters tried, in order, when neither the document nor the template has
/// a usable style for a level.
const SPARE_STYLES: [char; 9] = ['=', '-', '~', '^', '"', '\'', '+', '*', '#'];

/// A heading for `title` in `style`, adornments as wide as the title, without a final
/// line break: `"Testing\n======="`.
pub fn heading_text(title: &str, style: Style) -> String {
    let mut heading = String::with_capacity(heading_len(title, style));
    push_heading(&mut heading, title, style);
    heading
}

/// The length in bytes of [`heading_text`]`(title, style)`.
fn heading_len(title: &str, style: Style) -> usize {
    let line = column_width(title).max(1) * style.ch.len_utf8();
    if style.overline {
        2 * line + title.len() + 2
    } else {
        line + title.len() + 1
    }
}

/// Append [`heading_text`]`(title, style)` to `out` (built in place: fixes write
/// hundreds of headings, and each `format!` grew its string a few times).
fn push_heading(out: &mut String, title: &str, style: Style) {
    let width = column_width(title).max(1);
    let line = |out: &mut String| out.extend(std::iter::repeat_n(style.ch, width));
    if style.overline {
        line(out);
        out.push('\n');
    }
    out.push_str(title);
    out.push('\n');
    line(out);
}

/// An adornment style in words, for messages: "'-' underline", "'=' overline and
/// underline".
pub fn describe_style(style: Style) -> String {
    if style.overline {
        format!("'{}' overline and underline", style.ch)
    } else {
        format!("'{}' underline", style.ch)
    }
}

/// The fix that gives `heading` the adornment `style`: "Give 'Testing' the '-' underline".
pub fn restyle(heading: &Heading, style: Style) -> super::Fix {
    restyle_lines(heading.range(), &heading.title, style)
}

/// The fix that gives the heading `title` written at `range` (its adornments and title
/// line, as docutils read them even where it did not take them as a heading) the
/// adornment `style`.
pub fn restyle_lines(range: Range<usize>, title: &str, style: Style) -> super::Fix {
    super::Fix {
        title: format!("Give '{title}' the {}", describe_style(style)),
        edits: vec![Edit {
            range,
            new_text: heading_text(title, style),
        }],
    }
}

/// The adornment style for a new heading at `depth` (1: section, 2: subsection) in this
/// document: the one it already uses at that depth; else the template's if the document
/// does not use it at another depth; else the first unused common style that is not
/// the template's for another depth.
pub fn level_style(outline: &Outline, template: &Template, depth: usize) -> Style {
    let mut used: Vec<(usize, Style)> = Vec::new();
    // a title in another style than the template's is counted in the template's: new
    // headings are written for the title its fix makes (`title::restyle_for`)
    if let Some(h) = &outline.title {
        let fixed = super::title::misstyled(outline, template).map(|(_, want)| want);
        used.push((0, fixed.unwrap_or(h.style)));
    }
    // A subtitle is a lone section docutils promoted: new sections beside it are at
    // its level (and end the promotion); sections already under it are at depth 1.
    if let Some(h) = &outline.subtitle {
        let depth = if outline.sections.is_empty() { 1 } else { 0 };
        used.push((depth, h.style));
    }
    if let Some(&(_, style)) = used.iter().find(|(d, _)| *d == depth) {
        return style;
    }
    if let Some(style) = collect_styles(&outline.sections, 1, depth, &mut used) {
        return style;
    }
    let free = |s: &Style| !used.iter().any(|(_, u)| u == s);
    // the template's adornment for another level would read as that level's (a slip)
    let spare = |s: &Style| free(s) && (1..=2).all(|d| template.style(d) != Some(*s));
    template
        .style(depth)
        .filter(free)
        .or_else(|| {
            SPARE_STYLES
                .iter()
                .map(|&ch| Style {
                    ch,
                    overline: false,
                })
                .find(spare)
        })
        .unwrap_or(Style {
            ch: '=',
            overline: false,
        })
}

/// The first style of each depth from `depth` on, in document order, pushed to `used`
/// (after those it holds) until the first of depth `wanted`, which is returned instead
/// (the rest of the document is not walked).
fn collect_styles(
    sections: &[Section],
    depth: usize,
    wanted: usize,
    used: &mut Vec<(usize, Style)>,
) -> Option<Style> {
    for s in sections {
        if !used.iter().any(|(d, _)| *d == depth) {
            if depth == wanted {
                return Some(s.heading.style);
            }
            used.push((depth, s.heading.style));
        }
        if let Some(style) = collect_styles(&s.sections, depth + 1, wanted, used) {
            return Some(style);
        }
    }
    None
}

/// A new section: its heading, then either its subsections or "None".
pub(super) fn section_block(title: &str, style: Style, subsections: &[String]) -> String {
    // (sized at once: a block with its subsections is a few hundred bytes)
    let body = match subsections {
        [] => "None\n".len(),
        subs => subs.iter().map(String::len).sum::<usize>() + subs.len() - 1,
    };
    let mut block = String::with_capacity(heading_len(title, style) + 2 + body);
    push_heading(&mut block, title, style);
    block.push_str("\n\n");
    match subsections {
        [] => block.push_str("None\n"),
        [first, rest @ ..] => {
            block.push_str(first);
            for sub in rest {
                block.push('\n');
                block.push_str(sub);
            }
        }
    }
    block
}

/// Text to insert at `at`: `block` (lines ending in a line break) with the blank lines
/// that keep it apart from what precedes and follows, in the document's line endings.
/// A move removes `cut` in the same edit: where it ends at `at`, what precedes it decides
/// the blank line before the block (an empty `cut` for a plain insertion).
fn insertion(text: &str, at: usize, cut: &Range<usize>, block: &str) -> String {
    let before = &text[..if cut.end == at { cut.start } else { at }];
    let prefix = if at == 0 || ends_with_blank_line(before) {
        ""
    } else if before.ends_with('\n') || before.ends_with('\r') {
        "\n"
    } else {
        "\n\n"
    };
    let suffix = if at < text.len() { "\n" } else { "" };
    let mut s = String::with_capacity(prefix.len() + block.len() + suffix.len());
    s.push_str(prefix);
    s.push_str(block);
    s.push_str(suffix);
    // (most texts have no `\r`: one quick search rules a CRLF out)
    if memchr::memchr(b'\r', text.as_bytes()).is_some() && text.contains("\r\n") {
        s.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        s
    }
}

fn ends_with_blank_line(before: &str) -> bool {
    let Some(body) = before.strip_suffix('\n') else {
        return false;
    };
    let last_line = body.rsplit('\n').next().unwrap_or("");
    last_line.trim().is_empty()
}

/// A block of text a fix inserts: (offset, rank among the blocks at that offset, text).
pub(super) type Insertion = (usize, (u8, usize), String);

/// Edits that insert several blocks, grouped per offset; at one offset blocks keep the
/// order of their `rank`.
pub(super) fn insert_blocks(text: &str, blocks: Vec<Insertion>) -> Vec<Edit> {
    insert_blocks_after_cut(text, blocks, &(0..0))
}

/// [`insert_blocks`] once `cut` is removed (see [`insertion`]).
fn insert_blocks_after_cut(
    text: &str,
    mut blocks: Vec<Insertion>,
    cut: &Range<usize>,
) -> Vec<Edit> {
    blocks.sort_by_key(|(at, rank, _)| (*at, *rank));
    let mut edits: Vec<Edit> = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let at = blocks[i].0;
        let n = blocks[i..].iter().take_while(|b| b.0 == at).count();
        let new_text = match &blocks[i..i + n] {
            // (the usual fix inserts one block: not copied to be joined)
            [(_, _, block)] => insertion(text, at, cut, block),
            group => {
                let mut joined = String::new();
                for (_, _, block) in group {
                    if !joined.is_empty() {
                        joined.push('\n');
                    }
                    joined.push_str(block);
                }
                insertion(text, at, cut, &joined)
            }
        };
        edits.push(Edit {
            range: at..at,
            new_text,
        });
        i += n;
    }
    edits
}

/// Edits moving `section` and what follows it up to `end` (sibling sections that are
/// to be its subsections once it has its level) to `at`, its heading in `style` (and
/// retitled `title`, if given), and its subsections in another adornment in `children`.
pub(super) fn move_restyled(
    text: &str,
    section: &Section,
    end: usize,
    at: usize,
    style: Style,
    children: Option<Style>,
    title: Option<&str>,
) -> Vec<Edit> {
    let body = &text[section.body.start..end];
    // its own subsections in another adornment than `style` take `children`
    let restyled: Vec<Edit> = (section.sections.iter())
        .filter(|c| c.heading.style != style)
        .filter_map(|c| {
            let r = c.heading.range();
            Some(Edit {
                range: r.start - section.body.start..r.end - section.body.start,
                new_text: heading_text(&c.heading.title, children?),
            })
        })
        .collect();
    let body = super::apply_edits(body, &restyled);
    let heading = heading_text(title.unwrap_or(&section.heading.title), style);
    let block = format!("{heading}\n{}\n", body.trim_end());
    vec![
        Edit {
            range: section.range.start..end,
            new_text: String::new(),
        },
        Edit {
            range: at..at,
            new_text: insertion(text, at, &(section.range.start..end), &block),
        },
    ]
}

/// A subsection that a moved section does not take along: it goes to offset `at`
/// (ordered by `rank` among blocks inserted there), retitled `title` if given.
pub(super) struct Apart<'a> {
    pub(super) section: &'a Section,
    pub(super) at: usize,
    pub(super) rank: (u8, usize),
    pub(super) title: Option<&'a str>,
}

/// Edits moving `section` to `at` with its heading in `style` (and retitled `title`, if
/// given), but for those of its subsections in `apart`: each of those (retitled if
/// given, else kept as it is) goes to its own offset instead. Blocks inserted at one offset keep the order of
/// their rank (`rank` for the section's own).
pub(super) fn move_apart(
    text: &str,
    section: &Section,
    (at, rank): (usize, (u8, usize)),
    style: Style,
    title: Option<&str>,
    apart: &[Apart],
) -> Vec<Edit> {
    let body = &text[section.body.start..section.range.end];
    let cut: Vec<Edit> = (apart.iter())
        .map(|a| Edit {
            range: a.section.range.start - section.body.start
                ..a.section.range.end - section.body.start,
            new_text: String::new(),
        })
        .collect();
    let body = super::apply_edits(body, &cut);
    let heading = heading_text(title.unwrap_or(&section.heading.title), style);
    let mut blocks = vec![(at, rank, format!("{heading}\n{}\n", body.trim_end()))];
    blocks.extend((apart.iter()).map(|a| {
        let c = a.section;
        let block = match a.title {
            Some(t) => format!(
                "{}\n{}\n",
                heading_text(t, c.heading.style),
                text[c.body.start..c.range.end].trim_end()
            ),
            None => format!("{}\n", text[c.range.clone()].trim_end()),
        };
        (a.at, a.rank, block)
    }));
    let mut edits = vec![Edit {
        range: section.range.clone(),
        new_text: String::new(),
    }];
    edits.extend(insert_blocks_after_cut(text, blocks, &section.range));
    edits
}

/// Edits moving `sections` (consecutive siblings, kept as they are) to `at`, outside
/// them.
pub(super) fn move_sections(text: &str, sections: &[&Section], at: usize) -> Vec<Edit> {
    let (Some(first), Some(last)) = (sections.first(), sections.last()) else {
        return Vec::new();
    };
    let range = first.range.start..last.range.end;
    let block = format!("{}\n", text[range.clone()].trim_end());
    vec![
        Edit {
            range: range.clone(),
            new_text: String::new(),
        },
        Edit {
            range: at..at,
            new_text: insertion(text, at, &range, &block),
        },
    ]
}

/// The edits that lengthen a heading's underline, and its overline, to `width` columns
/// where they are shorter: the one "lengthen an underline" rule of the fixes.
pub(super) fn lengthen_adornments(h: &Heading, width: usize) -> Vec<Edit> {
    std::iter::once(&h.underline)
        .chain(&h.overline)
        .filter(|r| r.len() < width)
        .map(|r| Edit {
            range: r.clone(),
            new_text: std::iter::repeat_n(h.style.ch, width).collect(),
        })
        .collect()
}

/// `text` with `edits` applied (byte ranges of the original text; edits that overlap an
/// earlier one or are not on character boundaries are skipped).
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        let Range { start, end } = e.range;
        if start < pos || end < start || text.get(start..end).is_none() {
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push_str(&e.new_text);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_widths() {
        let under = Style {
            ch: '-',
            overline: false,
        };
        let over = Style {
            ch: '=',
            overline: true,
        };
        assert_eq!(heading_text("Testing", under), "Testing\n-------");
        assert_eq!(heading_text("Title", over), "=====\nTitle\n=====");
        // wide characters count two, combining ones none, as docutils measures
        assert_eq!(heading_text("日本", under), "日本\n----");
        assert_eq!(heading_text("e\u{301}", under), "e\u{301}\n-");
        // sized exactly, wide adornment characters too
        let wide = Style {
            ch: '\u{2550}',
            overline: true,
        };
        for title in ["Testing", "日本", "e\u{301}", ""] {
            for style in [under, over, wide] {
                assert_eq!(heading_text(title, style).len(), heading_len(title, style));
            }
        }
    }

    #[test]
    fn section_blocks() {
        let under = Style {
            ch: '-',
            overline: false,
        };
        assert_eq!(
            section_block("Testing", under, &[]),
            "Testing\n-------\n\nNone\n"
        );
        let subs = ["A\n~\n\nNone\n".to_string(), "B\n~\n\nNone\n".to_string()];
        assert_eq!(
            section_block("Work", under, &subs),
            "Work\n----\n\nA\n~\n\nNone\n\nB\n~\n\nNone\n"
        );
    }

    #[test]
    fn insertions_keep_blank_lines() {
        assert_eq!(insertion("a\n", 2, &(2..2), "B\n-\n"), "\nB\n-\n");
        assert_eq!(insertion("a", 1, &(1..1), "B\n"), "\n\nB\n");
        assert_eq!(insertion("a\n\nc\n", 3, &(3..3), "B\n"), "B\n\n");
        assert_eq!(insertion("a\r\n\r\nc\r\n", 5, &(5..5), "B\n"), "B\r\n\r\n");
    }

    #[test]
    fn applies_edits_in_order() {
        let edits = [
            Edit {
                range: 4..5,
                new_text: "E".into(),
            },
            Edit {
                range: 0..1,
                new_text: "".into(),
            },
            Edit {
                range: 2..2,
                new_text: "+".into(),
            },
        ];
        assert_eq!(apply_edits("abcde", &edits), "b+cdE");
    }
}
