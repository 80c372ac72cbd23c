//! A template section described as Markdown (what hovers and completion items show):
//! where it sits in the template, the subsections it expects, and its guidance.

use crate::template::{Template, TemplateSection, TemplateSource};

use super::markdown;

/// Markdown describing a template section: where it sits in the template, the
/// subsections it expects, and its guidance.
pub fn describe(template: &Template, parent: Option<&str>, section: &TemplateSection) -> String {
    let siblings = template.entries(parent);
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
        // the file name, not an absolute path: the template of this spec
        TemplateSource::File(path) => match path.file_name() {
            // (not "the template `template.rst`": editors that hide the backticks
            // show "the template template.rst")
            Some(name) => format!("`{}`", name.to_string_lossy()),
            None => "the template".to_string(),
        },
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
