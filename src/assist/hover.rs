//! What to show on hover, as Markdown with the byte range it is about: on any line of a
//! heading (overline, title, underline), the template's guidance for that section; on
//! a heading the template lacks, the template title it is a near miss of (the same
//! matching as the `title-mismatch` finding); on a missing-section finding, the
//! guidance of the section that is missing.

use std::ops::Range;

use super::{guidance, headings};
use crate::codes::Code;
use crate::rst::Heading;
use crate::template::{self, Template};
use crate::text::LineIndex;
use crate::{Analysis, Mode};

/// A hover: Markdown, and the byte range of the text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverInfo {
    pub markdown: String,
    pub range: Range<usize>,
}

/// The hover at byte `offset` of the analysed `text`, if there is something to say.
pub fn hover(
    text: &str,
    index: &LineIndex,
    analysis: &Analysis,
    template: &Template,
    mode: Mode,
    offset: usize,
) -> Option<HoverInfo> {
    if mode == Mode::Plain {
        return None; // no template to speak of
    }
    let line = index.line_of(offset);
    let on_lines = |range: &Range<usize>| {
        index.line_of(range.start) <= line && line <= index.line_of(range.end)
    };
    let outline = &analysis.outline;
    if let Some(title) = outline.title.as_ref().filter(|t| on_lines(&t.range())) {
        return Some(document_title(title, template));
    }
    if let Some(placed) = headings::all(outline)
        .into_iter()
        .find(|p| on_lines(&p.section.heading.range()))
    {
        if placed.depth > 2 {
            return None; // below the template's levels
        }
        let parent = placed.parent.map(|p| p.heading.title.as_str());
        return Some(heading(&placed.section.heading, parent, template));
    }
    missing_here(text, index, analysis, template, offset)
}

/// On the document title: whether it is still the template's.
fn document_title(title: &Heading, template: &Template) -> HoverInfo {
    let mut md = format!("### {}\n\nThe document title.", title.title);
    match &template.title {
        Some(placeholder) if *placeholder == title.title => {
            md.push_str(" Still the template's: give the spec its own title.")
        }
        Some(placeholder) => md.push_str(&format!(
            " (The template's placeholder: \"{placeholder}\".)"
        )),
        None => {}
    }
    HoverInfo {
        markdown: md,
        range: title.range(),
    }
}

/// On a section heading: its template guidance, or the near miss it may be.
fn heading(heading: &Heading, parent: Option<&str>, template: &Template) -> HoverInfo {
    let markdown = match template.find(parent, &heading.title) {
        Some(section) => guidance::describe(template, parent, section),
        None => {
            let noun = if parent.is_some() {
                "subsection"
            } else {
                "section"
            };
            let mut md = format!(
                "### {}\n\nThe template has no {noun} of this name.",
                heading.title
            );
            if let Some(close) = template::closest(template.entries(parent), &heading.title) {
                md.push_str(&format!(" Did you mean **{}**?", close.title));
            }
            md
        }
    };
    HoverInfo {
        markdown,
        range: heading.range(),
    }
}

/// On the lines of missing-section findings: what goes there. A finding at the end of
/// the text also covers the last line with text (editors show it there: the empty line
/// after the final line break is no line to them).
fn missing_here(
    text: &str,
    index: &LineIndex,
    analysis: &Analysis,
    template: &Template,
    offset: usize,
) -> Option<HoverInfo> {
    let line = index.line_of(offset);
    let last_text = index.line_of(text.trim_end().len());
    let lines = |range: &Range<usize>| {
        let first = index.line_of(range.start);
        let first = if range.start >= text.trim_end().len() {
            first.min(last_text)
        } else {
            first
        };
        first..=index.line_of(range.end).max(first)
    };
    let missing: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| {
            matches!(f.code, Code::MissingSection | Code::MissingSubsection)
                && lines(&f.range).contains(&line)
        })
        .filter_map(|f| {
            let parent = f.data.parent.as_deref();
            let section = template.find(parent, f.data.section.as_deref()?)?;
            Some((f, parent, section))
        })
        .collect();
    let (first, parent, section) = missing.first()?;
    let mut md = String::new();
    if missing.len() > 1 {
        let titles: Vec<String> = missing
            .iter()
            .map(|(_, _, s)| format!("**{}**", s.title))
            .collect();
        md.push_str(&format!("Missing here: {}.\n\n", titles.join(", ")));
    }
    md.push_str(&guidance::describe(template, *parent, section));
    Some(HoverInfo {
        markdown: md,
        range: first.range.clone(),
    })
}
