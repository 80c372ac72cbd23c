//! Completion.
//!
//! - At the start of a line in a spec: the document title while it has none (the typed
//!   line, in the template's title style); the template headings not yet present
//!   (missing top-level sections, and missing subsections of the section around the
//!   cursor), the one expected at the cursor first; each inserts the heading with an underline of the
//!   right character and length for its level in the document's own adornment style (a
//!   snippet with the cursor in the body where the client supports snippets).
//! - On an adornment line under a title: the underline at the exact length.

use std::ops::Range;

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::capabilities::ClientFeatures;
use super::documents::Analyzed;
use super::guidance;
use crate::Mode;
use crate::check::{heading_text, level_style};
use crate::proto;
use crate::rst::{Outline, Section, Style};
use crate::template::{Template, TemplateSection};
use crate::text::LineCol;

/// The completion items at `pos`.
pub fn complete(
    analyzed: &Analyzed,
    pos: Position,
    features: &ClientFeatures,
) -> Vec<CompletionItem> {
    let cursor = Cursor::new(analyzed, pos, features);
    if let Some(item) = underline(&cursor) {
        return vec![item];
    }
    if analyzed.context.mode == Mode::Spec {
        return headings_at(&cursor);
    }
    Vec::new()
}

/// Where the cursor is, in the analysed text.
struct Cursor<'a> {
    analyzed: &'a Analyzed,
    features: &'a ClientFeatures,
    offset: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn new(analyzed: &'a Analyzed, pos: Position, features: &'a ClientFeatures) -> Cursor<'a> {
        let at = LineCol {
            line: pos.line,
            col: pos.character,
        };
        let offset = analyzed.index.offset(&analyzed.text, at, features.encoding);
        Cursor {
            analyzed,
            features,
            offset,
            line: analyzed.index.line_of(offset),
        }
    }

    /// Byte range of line `line` (without its break); `None` past the last line.
    fn line_range(&self, line: usize) -> Option<Range<usize>> {
        (line < self.analyzed.index.line_count())
            .then(|| self.analyzed.index.line_range(&self.analyzed.text, line))
    }

    fn line_text(&self, line: usize) -> Option<&'a str> {
        self.line_range(line)
            .and_then(|r| self.analyzed.text.get(r))
    }

    fn edit(&self, range: Range<usize>, new_text: String) -> TextEdit {
        TextEdit {
            range: proto::range(
                &self.analyzed.text,
                &self.analyzed.index,
                &range,
                self.features.encoding,
            ),
            new_text,
        }
    }
}

/// The adornment character a line consists of, if it is an adornment line.
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let ch = line.chars().next()?;
    (ch.is_ascii_punctuation() && line.chars().all(|c| c == ch)).then_some(ch)
}

/// On an adornment line right under a title line: the underline at the title's length
/// (and a matching overline, if there is one).
fn underline(cursor: &Cursor) -> Option<CompletionItem> {
    let line = cursor.line_text(cursor.line)?;
    let ch = adornment(line)?;
    let title = cursor.line_text(cursor.line.checked_sub(1)?)?;
    if title.trim().is_empty() || adornment(title).is_some() || title.starts_with(' ') {
        return None;
    }
    // the underline `heading_text` builds is as wide as docutils measures the title
    let heading = heading_text(
        title.trim_end(),
        Style {
            ch,
            overline: false,
        },
    );
    let new = heading.rsplit('\n').next().unwrap_or_default().to_string();
    let width = new.chars().count();
    let mut additional = Vec::new();
    if let Some(over) = cursor.line.checked_sub(2) {
        if cursor.line_text(over).and_then(adornment) == Some(ch) {
            additional.push(cursor.edit(cursor.line_range(over)?, new.clone()));
        }
    }
    Some(CompletionItem {
        label: new.clone(),
        kind: Some(CompletionItemKind::TEXT),
        detail: Some(format!("underline of {width} columns")),
        filter_text: Some(line.trim_end().to_string()),
        text_edit: Some(CompletionTextEdit::Edit(
            cursor.edit(cursor.line_range(cursor.line)?, new),
        )),
        additional_text_edits: (!additional.is_empty()).then_some(additional),
        preselect: Some(true),
        ..CompletionItem::default()
    })
}

/// A template heading that could be inserted.
struct Candidate<'t> {
    section: &'t TemplateSection,
    parent: Option<&'t str>,
    /// Position in the template, flattened (for sorting).
    order: usize,
}

/// Where a heading would go: the typed text it replaces (with an underline already
/// under it), and whether a blank line must follow it.
struct Slot<'a> {
    typed: &'a str,
    replace: Range<usize>,
    needs_blank_after: bool,
}

impl<'a> Slot<'a> {
    /// At the start of a line after a blank one (or the first line), nothing indented.
    fn at(cursor: &Cursor<'a>) -> Option<Slot<'a>> {
        let text = &cursor.analyzed.text;
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
        Some(Slot {
            typed,
            replace,
            needs_blank_after,
        })
    }

    /// An item inserting `heading` here, then the cursor in the body.
    fn item(
        &self,
        cursor: &Cursor,
        label: &str,
        heading: &str,
        sort_text: String,
    ) -> CompletionItem {
        let snippets = cursor.features.snippets;
        let mut new_text = if snippets {
            format!("{}\n\n$0", escape_snippet(heading))
        } else {
            format!("{heading}\n\n")
        };
        if self.needs_blank_after {
            new_text.push('\n');
        }
        CompletionItem {
            label: label.to_string(),
            kind: Some(CompletionItemKind::MODULE),
            sort_text: Some(sort_text),
            filter_text: Some(label.to_string()),
            insert_text_format: Some(if snippets {
                InsertTextFormat::SNIPPET
            } else {
                InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(CompletionTextEdit::Edit(
                cursor.edit(self.replace.clone(), new_text),
            )),
            ..CompletionItem::default()
        }
    }
}

/// At the start of a line after a blank one: the document title if it has none yet, and
/// the missing template headings.
fn headings_at(cursor: &Cursor) -> Vec<CompletionItem> {
    let Some(slot) = Slot::at(cursor) else {
        return Vec::new();
    };
    let template = &cursor.analyzed.context.template;
    let outline = &cursor.analyzed.analysis.outline;
    let title = title_item(cursor, &slot);
    let (candidates, expected) = candidates(template, outline, cursor.offset);
    let styles = [1, 2].map(|depth| level_style(outline, template, depth));
    let typed_lower = slot.typed.trim().to_lowercase();
    let has_title_item = title.is_some();
    let headings = candidates
        .iter()
        .filter(|c| is_subsequence(&typed_lower, &c.section.title.to_lowercase()))
        .map(|c| {
            let style = styles[usize::from(c.parent.is_some())];
            let heading = heading_text(&c.section.title, style);
            let is_expected = expected == Some(c.order);
            let sort_text = if is_expected {
                "1".to_string()
            } else {
                format!("2{:06}", c.order)
            };
            CompletionItem {
                detail: Some(match c.parent {
                    None => "template section".to_string(),
                    Some(parent) => format!("template subsection of {parent}"),
                }),
                documentation: Some(Documentation::MarkupContent(MarkupContent {
                    kind: if cursor.features.markdown_completion_docs {
                        MarkupKind::Markdown
                    } else {
                        MarkupKind::PlainText
                    },
                    value: guidance::describe(template, c.parent, c.section),
                })),
                preselect: (is_expected && !has_title_item).then_some(true),
                ..slot.item(cursor, &c.section.title, &heading, sort_text)
            }
        });
    title.into_iter().chain(headings).collect()
}

/// Before the first section of a document without a title: the typed line as the
/// document title (or the template's title as a start), in the template's title style.
fn title_item(cursor: &Cursor, slot: &Slot) -> Option<CompletionItem> {
    let outline = &cursor.analyzed.analysis.outline;
    let first = outline.sections.first().map(|s| s.heading.range().start);
    if outline.title.is_some() || first.is_some_and(|start| start < slot.replace.end) {
        return None;
    }
    let template = &cursor.analyzed.context.template;
    let style = crate::rst::parse(&template.text).title.map_or(
        Style {
            ch: '=',
            overline: true,
        },
        |h| h.style,
    );
    let title = match slot.typed.trim() {
        "" => template.title.as_deref().unwrap_or("Title of the spec"),
        typed => typed,
    };
    Some(CompletionItem {
        detail: Some("document title".to_string()),
        preselect: Some(true),
        ..slot.item(cursor, title, &heading_text(title, style), "0".to_string())
    })
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

fn escape_snippet(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut chars = haystack.chars();
    needle.chars().all(|n| chars.any(|h| h == n))
}
