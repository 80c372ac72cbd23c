//! Hover: on any line of a heading (overline, title, underline), the template's guidance
//! for that section; on a heading the template lacks, the closest template title; on a
//! missing-section diagnostic, the guidance of the section that is missing.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::documents::Analyzed;
use super::{guidance, headings};
use crate::Mode;
use crate::codes::Code;
use crate::proto;
use crate::text::{Encoding, LineCol};

/// The hover at `pos`, if there is something to say.
pub fn hover(analyzed: &Analyzed, pos: Position, enc: Encoding) -> Option<Hover> {
    let text = &analyzed.text;
    let offset = analyzed.index.offset(
        text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    );
    let line = analyzed.index.line_of(offset);
    let on_lines = |range: &std::ops::Range<usize>| {
        analyzed.index.line_of(range.start) <= line && line <= analyzed.index.line_of(range.end)
    };
    if analyzed.context.mode == Mode::Plain {
        return None; // no template to speak of
    }
    let template = &analyzed.context.template;
    let outline = &analyzed.analysis.outline;

    let (markdown, range) =
        if let Some(title) = outline.title.as_ref().filter(|t| on_lines(&t.range())) {
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
            (md, title.range())
        } else if let Some(placed) = headings::all(outline)
            .into_iter()
            .find(|p| on_lines(&p.section.heading.range()))
        {
            let heading = &placed.section.heading;
            if placed.depth > 2 {
                return None; // below the template's levels
            }
            let parent = placed.parent.map(|p| p.heading.title.as_str());
            let md = match guidance::find(template, parent, &heading.title) {
                Some(section) => guidance::describe(template, parent, section),
                None => {
                    let mut md = format!(
                        "### {}\n\nThe template has no {} of this name.",
                        heading.title,
                        if parent.is_some() {
                            "subsection"
                        } else {
                            "section"
                        }
                    );
                    if let Some(close) = guidance::closest(template, parent, &heading.title) {
                        md.push_str(&format!(" Did you mean **{close}**?"));
                    }
                    md
                }
            };
            (md, heading.range())
        } else {
            // missing-section diagnostics under the cursor: what goes there
            let missing: Vec<_> = analyzed
                .analysis
                .findings
                .iter()
                .filter(|f| {
                    matches!(f.code, Code::MissingSection | Code::MissingSubsection)
                        && f.range.start <= offset
                        && offset <= f.range.end
                })
                .filter_map(|f| {
                    let parent = f.data.parent.as_deref();
                    let section = guidance::find(template, parent, f.data.section.as_deref()?)?;
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
            (md, first.range.clone())
        };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(proto::range(text, &analyzed.index, &range, enc)),
    })
}
