//! The template side of a heading: which template section a heading is, the closest
//! template title for one the template lacks, and a section's guidance as Markdown (the
//! text hovers and completion items show).

use crate::template::{Template, TemplateSection, TemplateSource};

use super::markdown;

/// The template sections at one level: the top level (`parent` `None`) or the
/// subsections of the template section titled `parent`.
pub fn level<'t>(template: &'t Template, parent: Option<&str>) -> &'t [TemplateSection] {
    match parent {
        None => &template.sections,
        Some(parent) => template
            .sections
            .iter()
            .find(|s| s.title == parent)
            .map_or(&[], |s| &s.subsections),
    }
}

/// The template section titled `title` (verbatim) under `parent`.
pub fn find<'t>(
    template: &'t Template,
    parent: Option<&str>,
    title: &str,
) -> Option<&'t TemplateSection> {
    level(template, parent).iter().find(|s| s.title == title)
}

/// The template title at this level closest to `title` (case-insensitive edit distance),
/// if any is reasonably close.
pub fn closest<'t>(template: &'t Template, parent: Option<&str>, title: &str) -> Option<&'t str> {
    let wanted = title.to_lowercase();
    level(template, parent)
        .iter()
        .map(|s| {
            let score = strsim::normalized_levenshtein(&wanted, &s.title.to_lowercase());
            (score, s.title.as_str())
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, title)| title)
}

/// Markdown describing a template section: where it sits in the template, the
/// subsections it expects, and its guidance.
pub fn describe(template: &Template, parent: Option<&str>, section: &TemplateSection) -> String {
    let siblings = level(template, parent);
    let position = siblings
        .iter()
        .position(|s| s.title == section.title)
        .map_or(0, |i| i + 1);
    let line = template.text[..section.heading_range.start.min(template.text.len())]
        .matches('\n')
        .count()
        + 1;
    let source = match &template.source {
        TemplateSource::Builtin => "the built-in Trove template".to_string(),
        TemplateSource::File(path) => format!("`{}`", path.display()),
    };
    let mut out = format!("### {}\n\n", section.title);
    match parent {
        None => out.push_str(&format!(
            "Section {position} of {} in {source} (line {line}).",
            siblings.len()
        )),
        Some(parent) => out.push_str(&format!(
            "Subsection {position} of {} under **{parent}** in {source} (line {line}).",
            siblings.len()
        )),
    }
    if !section.subsections.is_empty() {
        let names: Vec<&str> = section
            .subsections
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        out.push_str(&format!("\n\nExpected subsections: {}.", names.join(", ")));
    }
    let guidance = markdown::from_rst(&section.guidance);
    out.push_str("\n\n---\n\n");
    if guidance.is_empty() {
        out.push_str("_The template gives no guidance for this section._");
    } else {
        out.push_str(&guidance);
    }
    out
}
