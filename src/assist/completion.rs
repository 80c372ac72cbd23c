//! What to complete at a cursor, as plain data (byte ranges of the analysed text):
//!
//! - at the start of a line in a spec (after a blank one): the document title while it
//!   has none (the typed line, in the template's title style); the template headings
//!   not yet present (missing top-level sections, and missing subsections of the
//!   section around the cursor), the one expected at the cursor first; each is the
//!   heading with an underline of the right character and width for its level in the
//!   document's own adornment style;
//! - on an adornment line under a title: the underline at the exact width (and a
//!   matching overline).

use std::ops::Range;

use super::guidance;
use crate::Mode;
use crate::check::{heading_text, level_style};
use crate::rst::{self, Outline, Section, Style};
use crate::template::{Template, TemplateSection};
use crate::text::LineIndex;

/// What completion offers at a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// Nothing to offer.
    Nothing,
    /// The underline (and overline) at the title's exact width.
    Underline(Underline),
    /// Headings to insert at `slot`, in the order given by their `sort_key`.
    Headings { slot: Slot, items: Vec<HeadingItem> },
}

/// An underline of the right width for the title above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Underline {
    /// The new adornment line.
    pub text: String,
    /// Its width in columns.
    pub width: usize,
    /// The adornment line under the cursor, which it replaces.
    pub replace: Range<usize>,
    /// The matching overline, if there is one: replaced with `text` too.
    pub overline: Option<Range<usize>>,
    /// What the user typed on the line (to filter on).
    pub typed: String,
}

/// Where headings would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The typed text (and an adornment line already under it) a heading replaces.
    pub replace: Range<usize>,
    /// Whether a blank line must follow the inserted heading's body.
    pub needs_blank_after: bool,
}

/// One heading that could be inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingItem {
    /// The title.
    pub label: String,
    /// The heading (title and adornments) to insert.
    pub heading: String,
    /// What it is: "document title", "template section", "template subsection of X".
    pub detail: String,
    /// Order among the items (ascending).
    pub sort_key: String,
    /// The item to select first.
    pub preselect: bool,
    /// The template's guidance for it, as Markdown (none for the document title).
    pub guidance: Option<String>,
}

/// What completion offers at byte `offset` of `text`.
pub fn complete(
    text: &str,
    index: &LineIndex,
    outline: &Outline,
    template: &Template,
    mode: Mode,
    offset: usize,
) -> Completion {
    let cursor = Cursor {
        text,
        index,
        offset,
        line: index.line_of(offset),
    };
    if let Some(underline) = underline(&cursor) {
        return Completion::Underline(underline);
    }
    if mode == Mode::Spec
        && let Some(slot) = slot(&cursor)
    {
        let items = headings_at(&cursor, &slot, outline, template);
        return Completion::Headings {
            slot: slot.slot,
            items,
        };
    }
    Completion::Nothing
}

/// Where the cursor is, in the analysed text.
struct Cursor<'a> {
    text: &'a str,
    index: &'a LineIndex,
    offset: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    /// Byte range of line `line` (without its break); `None` past the last line.
    fn line_range(&self, line: usize) -> Option<Range<usize>> {
        (line < self.index.line_count()).then(|| self.index.line_range(self.text, line))
    }

    fn line_text(&self, line: usize) -> Option<&'a str> {
        self.line_range(line).and_then(|r| self.text.get(r))
    }
}

/// The adornment character a line consists of, if it is an adornment line.
fn adornment(line: &str) -> Option<char> {
    rst::adornment(line.trim_end()).map(char::from)
}

/// On an adornment line right under a title line: the underline at the title's width
/// (and a matching overline, if there is one).
fn underline(cursor: &Cursor) -> Option<Underline> {
    let line = cursor.line_text(cursor.line)?;
    let ch = adornment(line)?;
    let title = cursor.line_text(cursor.line.checked_sub(1)?)?;
    if title.trim().is_empty() || adornment(title).is_some() || title.starts_with(' ') {
        return None;
    }
    // the underline `heading_text` builds is as wide as docutils measures the title
    let style = Style {
        ch,
        overline: false,
    };
    let heading = heading_text(title.trim_end(), style);
    let new = heading.rsplit('\n').next().unwrap_or_default().to_string();
    let overline = cursor
        .line
        .checked_sub(2)
        .filter(|&over| cursor.line_text(over).and_then(adornment) == Some(ch))
        .and_then(|over| cursor.line_range(over));
    Some(Underline {
        width: new.chars().count(),
        text: new,
        replace: cursor.line_range(cursor.line)?,
        overline,
        typed: line.trim_end().to_string(),
    })
}

/// A slot and the text typed in it.
struct TypedSlot<'a> {
    slot: Slot,
    typed: &'a str,
}

/// At the start of a line after a blank one (or the first line), nothing indented.
fn slot<'a>(cursor: &Cursor<'a>) -> Option<TypedSlot<'a>> {
    let text = cursor.text;
    let range = cursor.line_range(cursor.line)?;
    let typed = &text[range.start..cursor.offset.max(range.start)];
    let previous_blank = cursor.line == 0
        || cursor
            .line_text(cursor.line - 1)
            .is_some_and(|l| l.trim().is_empty());
    if !previous_blank || typed.starts_with(char::is_whitespace) || adornment(typed).is_some() {
        return None;
    }
    let mut replace = range.clone();
    if let Some(next) = cursor.line_range(cursor.line + 1)
        && adornment(&text[next.clone()]).is_some()
    {
        replace.end = next.end;
    }
    let needs_blank_after = cursor
        .line_text(cursor.line + 1 + usize::from(replace.end != range.end))
        .is_some_and(|l| !l.trim().is_empty());
    Some(TypedSlot {
        slot: Slot {
            replace,
            needs_blank_after,
        },
        typed,
    })
}

/// The document title if it has none yet, and the missing template headings.
fn headings_at(
    cursor: &Cursor,
    slot: &TypedSlot,
    outline: &Outline,
    template: &Template,
) -> Vec<HeadingItem> {
    let title = title_item(slot, outline, template);
    let (candidates, expected) = candidates(template, outline, cursor.offset);
    let styles = [1, 2].map(|depth| level_style(outline, template, depth));
    let typed_lower = slot.typed.trim().to_lowercase();
    let has_title_item = title.is_some();
    let headings = candidates
        .iter()
        .filter(|c| is_subsequence(&typed_lower, &c.section.title.to_lowercase()))
        .map(|c| {
            let style = styles[usize::from(c.parent.is_some())];
            let is_expected = expected == Some(c.order);
            HeadingItem {
                label: c.section.title.clone(),
                heading: heading_text(&c.section.title, style),
                detail: match c.parent {
                    None => "template section".to_string(),
                    Some(parent) => format!("template subsection of {parent}"),
                },
                sort_key: if is_expected {
                    "1".to_string()
                } else {
                    format!("2{:06}", c.order)
                },
                preselect: is_expected && !has_title_item,
                guidance: Some(guidance::describe(template, c.parent, c.section)),
            }
        });
    title.into_iter().chain(headings).collect()
}

/// Before the first section of a document without a title: the typed line as the
/// document title (or the template's title as a start), in the template's title style.
fn title_item(slot: &TypedSlot, outline: &Outline, template: &Template) -> Option<HeadingItem> {
    let first = outline.sections.first().map(|s| s.heading.range().start);
    if outline.title.is_some() || first.is_some_and(|start| start < slot.slot.replace.end) {
        return None;
    }
    let style = template.title_style.unwrap_or(Style {
        ch: '=',
        overline: true,
    });
    let title = match slot.typed.trim() {
        "" => template.title.as_deref().unwrap_or("Title of the spec"),
        typed => typed,
    };
    Some(HeadingItem {
        label: title.to_string(),
        heading: heading_text(title, style),
        detail: "document title".to_string(),
        sort_key: "0".to_string(),
        preselect: true,
        guidance: None,
    })
}

/// A template heading that could be inserted.
struct Candidate<'t> {
    section: &'t TemplateSection,
    parent: Option<&'t str>,
    /// Position in the template, flattened (for sorting).
    order: usize,
}

/// Template `entries` against the document's `sections` at one level: the index of the
/// last entry present before `offset`, and the indices of the missing entries.
fn survey(
    entries: &[TemplateSection],
    sections: &[Section],
    offset: usize,
) -> (Option<usize>, Vec<usize>) {
    let mut last_before = None;
    let mut missing = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match sections.iter().find(|s| s.heading.title == entry.title) {
            Some(s) if s.range.start <= offset => last_before = Some(i),
            Some(_) => {}
            None => missing.push(i),
        }
    }
    (last_before, missing)
}

/// Missing template headings (top-level ones, and subsections of the section around
/// `offset`), and the order number of the one expected at `offset`.
fn candidates<'t>(
    template: &'t Template,
    outline: &Outline,
    offset: usize,
) -> (Vec<Candidate<'t>>, Option<usize>) {
    let order_of = |i: usize, j: Option<usize>| i * 1000 + j.map_or(0, |j| j + 1);
    let (last_before, missing) = survey(&template.sections, &outline.sections, offset);
    // the next missing section after the last one present before the cursor
    let mut expected = missing
        .iter()
        .find(|&&i| last_before.is_none_or(|b| i > b))
        .map(|&i| order_of(i, None));
    let mut out: Vec<Candidate> = missing
        .into_iter()
        .map(|i| Candidate {
            section: &template.sections[i],
            parent: None,
            order: order_of(i, None),
        })
        .collect();
    // the top-level section around the cursor, if it is a template section
    let around = outline
        .sections
        .iter()
        .rfind(|s| s.range.start <= offset && offset <= s.range.end);
    if let Some(around) = around {
        let title = around.heading.title.as_str();
        if let Some(i) = template.sections.iter().position(|s| s.title == title) {
            let parent = &template.sections[i];
            let (last_sub_before, missing) = survey(&parent.subsections, &around.sections, offset);
            // inside a section that still lacks subsections after the cursor: the next
            // of those is expected, before any top-level section
            if let Some(&j) = missing
                .iter()
                .find(|&&j| last_sub_before.is_none_or(|b| j > b))
            {
                expected = Some(order_of(i, Some(j)));
            }
            out.extend(missing.into_iter().map(|j| Candidate {
                section: &parent.subsections[j],
                parent: Some(parent.title.as_str()),
                order: order_of(i, Some(j)),
            }));
        }
    }
    out.sort_by_key(|c| c.order);
    (out, expected)
}

fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut chars = haystack.chars();
    needle.chars().all(|n| chars.any(|h| h == n))
}
