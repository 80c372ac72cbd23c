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

use super::{guidance, headings};
use crate::Mode;
use crate::check::{heading_text, level_style, restyle_for};
use crate::rst::{self, Heading, Outline, Style, column_width};
use crate::template::{Template, TemplateSection};
use crate::text::LineIndex;

/// What completion offers at a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// Nothing to offer.
    Nothing,
    /// Adornments for the title above the cursor: the right one for its level first.
    Underlines(Vec<Underline>),
    /// Headings to insert at `slot`, in the order given by their `sort_key`.
    Headings { slot: Slot, items: Vec<HeadingItem> },
}

/// An underline of the right width for the title above it (and the overline the style
/// needs, if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Underline {
    /// The new adornment line.
    pub text: String,
    /// Its width in columns.
    pub width: usize,
    /// What it is for ("document title", "section", ...).
    pub detail: String,
    /// The typed part of the adornment line under the cursor (up to the cursor): what
    /// the new line replaces.
    pub insert: Range<usize>,
    /// The whole adornment line (for clients that replace rather than insert).
    pub replace: Range<usize>,
    /// Other edits: the overline replaced, or inserted above the title.
    pub additional: Vec<(Range<usize>, String)>,
    /// What the user typed on the line (to filter on).
    pub typed: String,
}

/// Where headings would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The typed text before the cursor, which a heading replaces; never text after it.
    pub insert: Range<usize>,
    /// The typed word around the cursor (for clients that replace rather than insert).
    pub replace: Range<usize>,
    /// An adornment line under the typed line, which the inserted heading supersedes.
    pub remove: Option<Range<usize>>,
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
    /// Other edits: the document title given the template's style, when the heading is
    /// written in the title's present style (see [`restyle_for`]).
    pub additional: Vec<(Range<usize>, String)>,
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
    if let Some(underlines) = underlines(&cursor, outline, template, mode) {
        return Completion::Underlines(underlines);
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

/// On an adornment line right under a title line: the underline at the title's width in
/// the style of the heading's level (the template's title style, overline included,
/// under the document's first line; the level's style under a template heading or
/// after a heading of some level), then the typed character's if it differs.
fn underlines(
    cursor: &Cursor,
    outline: &Outline,
    template: &Template,
    mode: Mode,
) -> Option<Vec<Underline>> {
    let line = cursor.line_text(cursor.line)?;
    let typed_ch = adornment(line)?;
    let title_line = cursor.line.checked_sub(1)?;
    let title = cursor.line_text(title_line)?;
    if title.trim().is_empty() || adornment(title).is_some() || title.starts_with(' ') {
        return None;
    }
    let title = title.trim_end();
    let line_range = cursor.line_range(cursor.line)?;
    let title_start = cursor.line_range(title_line)?.start;
    let overline = title_line
        .checked_sub(1)
        .filter(|&over| cursor.line_text(over).and_then(adornment).is_some())
        .and_then(|over| cursor.line_range(over));
    let first_line = cursor.text[..title_start].trim().is_empty()
        || overline
            .as_ref()
            .is_some_and(|o| cursor.text[..o.start].trim().is_empty());
    let mut styles: Vec<(Style, String)> = Vec::new();
    if mode == Mode::Spec {
        if first_line && is_title(outline, title_start) {
            let style = template.title_style.unwrap_or(Style {
                ch: '=',
                overline: true,
            });
            styles.push((style, "document title".to_string()));
        } else {
            let depth = depth_of(outline, template, title, title_start);
            let noun = if depth == 1 { "section" } else { "subsection" };
            styles.push((level_style(outline, template, depth), noun.to_string()));
        }
    }
    let typed = Style {
        ch: typed_ch,
        overline: overline.is_some(),
    };
    if styles.iter().all(|(s, _)| s.ch != typed_ch) && !(first_line && mode == Mode::Spec) {
        // what the typed adornment makes of the heading here, where the document says
        let level = (1..=2).find(|&d| level_style(outline, template, d) == typed);
        let detail = match level {
            Some(1) if mode == Mode::Spec => "section, as typed",
            Some(_) if mode == Mode::Spec => "subsection, as typed",
            _ => "underline, as typed",
        };
        styles.push((typed, detail.to_string()));
    }
    let insert = line_range.start..cursor.offset.clamp(line_range.start, line_range.end);
    let heading_start = overline.as_ref().map_or(title_start, |o| o.start);
    let items = styles.into_iter().map(|(style, detail)| {
        // the underline `heading_text` builds is as wide as docutils measures the title
        let heading = heading_text(title, style);
        let new = heading.rsplit('\n').next().unwrap_or_default().to_string();
        let mut additional = match (&overline, style.overline) {
            (Some(over), true) => vec![(over.clone(), new.clone())],
            (Some(over), false) => vec![(over.start..title_start, String::new())],
            (None, true) => vec![(title_start..title_start, format!("{new}\n"))],
            (None, false) => Vec::new(),
        };
        additional.extend(title_edit(
            outline,
            template,
            style,
            &(heading_start..line_range.end),
        ));
        Underline {
            width: new.chars().count(),
            text: new,
            detail: format!("{detail}, {} columns", column_width(title).max(1)),
            insert: insert.clone(),
            replace: line_range.clone(),
            additional,
            typed: line.trim_end().to_string(),
        }
    });
    Some(items.collect())
}

/// Whether a heading whose title starts at `start` is (or would be) the document title:
/// no other heading comes first.
fn is_title(outline: &Outline, start: usize) -> bool {
    let first = outline
        .title
        .iter()
        .chain(&outline.subtitle)
        .map(|h| h.title_range.start)
        .chain(
            outline
                .sections
                .first()
                .map(|s| s.heading.title_range.start),
        );
    first.min().is_none_or(|first| first >= start)
}

/// The depth of the heading titled `title` at `start`: the template's for a template
/// title, else that of the heading before it (1 if none).
fn depth_of(outline: &Outline, template: &Template, title: &str, start: usize) -> usize {
    if template.sections.iter().any(|s| s.title == title) {
        return 1;
    }
    if template
        .sections
        .iter()
        .any(|s| s.subsections.iter().any(|c| c.title == title))
    {
        return 2;
    }
    headings::all(outline)
        .into_iter()
        .rfind(|p| p.section.heading.title_range.start < start)
        .map_or(1, |p| p.depth.min(2))
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
    let at = cursor.offset.clamp(range.start, range.end);
    let typed = &text[range.start..at];
    let previous_blank = cursor.line == 0
        || cursor
            .line_text(cursor.line - 1)
            .is_some_and(|l| l.trim().is_empty());
    if !previous_blank || typed.starts_with(char::is_whitespace) || adornment(typed).is_some() {
        return None;
    }
    let rest = &text[at..range.end];
    let word_end = at
        + rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
    // With nothing after the cursor, an adornment line under the typed one goes too.
    let next = cursor.line_range(cursor.line + 1);
    let remove = next
        .filter(|next| rest.trim().is_empty() && adornment(&text[next.clone()]).is_some())
        .map(|next| range.end..next.end);
    let after = cursor.line + 1 + usize::from(remove.is_some());
    let needs_blank_after = rest.trim().is_empty()
        && cursor
            .line_text(after)
            .is_some_and(|l| !l.trim().is_empty());
    Some(TypedSlot {
        slot: Slot {
            insert: range.start..at,
            replace: range.start..word_end,
            remove,
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
    let written = slot.slot.insert.start
        ..slot
            .slot
            .remove
            .as_ref()
            .map_or(slot.slot.replace.end, |r| r.end);
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
                additional: title_edit(outline, template, style, &written),
            }
        });
    title.into_iter().chain(headings).collect()
}

/// Before the first section of a document without a title: the typed line as the
/// document title (or the template's title as a start), in the template's title style.
fn title_item(slot: &TypedSlot, outline: &Outline, template: &Template) -> Option<HeadingItem> {
    let first = outline.sections.first().map(|s| s.heading.range().start);
    if outline.title.is_some() || first.is_some_and(|start| start < slot.slot.insert.end) {
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
        additional: Vec::new(),
    })
}

/// The edit giving the document title the template's style, when a heading written in
/// `style` needs it (see [`restyle_for`]) and it leaves `written`, the heading being
/// completed, alone (that heading is not the title itself).
fn title_edit(
    outline: &Outline,
    template: &Template,
    style: Style,
    written: &Range<usize>,
) -> Vec<(Range<usize>, String)> {
    restyle_for(outline, template, style)
        .filter(|e| e.range.end <= written.start || written.end <= e.range.start)
        .map(|e| (e.range, e.new_text))
        .into_iter()
        .collect()
}

/// A template heading that could be inserted.
struct Candidate<'t> {
    section: &'t TemplateSection,
    parent: Option<&'t str>,
    /// Position in the template, flattened (for sorting).
    order: usize,
}

/// Template `entries` against the document's headings at one level (title, start):
/// the index of the last entry present before `offset`, and the indices of the missing
/// entries.
fn survey<'d>(
    entries: &[TemplateSection],
    headings: impl Iterator<Item = &'d Heading> + Clone,
    offset: usize,
) -> (Option<usize>, Vec<usize>) {
    let mut last_before = None;
    let mut missing = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match headings.clone().find(|h| h.title == entry.title) {
            Some(h) if h.title_range.start <= offset => last_before = Some(i),
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
    // a lone section docutils takes as the subtitle is present all the same
    let top = (outline.subtitle.iter()).chain(outline.sections.iter().map(|s| &s.heading));
    let (last_before, missing) = survey(&template.sections, top, offset);
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
            let subs = around.sections.iter().map(|s| &s.heading);
            let (last_sub_before, missing) = survey(&parent.subsections, subs, offset);
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
