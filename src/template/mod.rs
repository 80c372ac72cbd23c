//! The template as data: its title, ordered top-level sections, their ordered
//! subsections and each heading's guidance text; the built-in Trove template; and
//! template discovery for a spec path.

use std::ops::Range;
use std::path::PathBuf;

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// The Trove template compiled into the binary (`builtin:trove`).
    Builtin,
    File(PathBuf),
}

/// One template heading and what the template says under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSection {
    /// Verbatim heading text, compared verbatim (as upstream CI does).
    pub title: String,
    /// The template's body text under this heading (before its first subsection),
    /// verbatim.
    pub guidance: String,
    /// Byte range of `guidance` in `Template::text`.
    pub guidance_range: Range<usize>,
    /// Byte range of the heading in `Template::text`.
    pub heading_range: Range<usize>,
    /// Ordered direct subsections (empty for subsections themselves).
    pub subsections: Vec<TemplateSection>,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub source: TemplateSource,
    /// The template's full text.
    pub text: String,
    /// The template's document title (e.g. "Template for New Trove Specs").
    pub title: Option<String>,
    pub sections: Vec<TemplateSection>,
}
