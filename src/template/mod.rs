//! The template as data: its title, ordered top-level sections, their ordered
//! subsections and each heading's guidance text; the built-in Trove template; and
//! template discovery for a spec path.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::files::Limit;
use crate::rst::{self, Section, Style};

mod discover;
mod near_miss;
pub(crate) mod paragraphs;

pub use paragraphs::ParagraphKey;

pub use discover::{TEMPLATE_GLOBS, discover, is_template, is_template_name};
pub use near_miss::{CLOSE, Comparable, NEAR_MISS, alike, closest, most_alike, similarity};

/// The Trove spec template compiled into the binary (CC BY 3.0, notice kept in the file).
pub const BUILTIN_TEXT: &str = include_str!("../../assets/spec-template.rst");

/// How the built-in template is named in output.
pub const BUILTIN_NAME: &str = "builtin:trove";

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TemplateSource {
    /// The Trove template compiled into the binary (`builtin:trove`).
    Builtin,
    File(PathBuf),
}

impl TemplateSource {
    /// `builtin:trove` or the file's path, as shown to users.
    pub fn name(&self) -> String {
        match self {
            TemplateSource::Builtin => BUILTIN_NAME.to_string(),
            TemplateSource::File(p) => p.display().to_string(),
        }
    }
}

/// One template heading and what the template says under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSection {
    /// Verbatim heading text, compared verbatim (as upstream CI does).
    pub title: String,
    /// The title as near misses are compared ([`Comparable`]), prepared once with the
    /// template rather than for every spec.
    pub comparable: Comparable,
    /// The template's body text under this heading (before its first subsection),
    /// verbatim, without leading blank lines and trailing whitespace.
    pub guidance: String,
    /// Byte range of `guidance` in `Template::text`.
    pub guidance_range: Range<usize>,
    /// Keys of the guidance's paragraphs (whitespace-insensitive hashes), to spot
    /// guidance a spec left in place.
    pub guidance_keys: Vec<ParagraphKey>,
    /// Byte range of the heading in `Template::text`.
    pub heading_range: Range<usize>,
    /// The heading's adornment style in the template.
    pub style: Style,
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
    /// The adornment style of that title (parsed once, with the template).
    pub title_style: Option<Style>,
    pub sections: Vec<TemplateSection>,
    /// Text the template asks authors to replace (`name-of-blueprint`, `XXXXXXX`, and
    /// `<...>` fill-ins such as `<launchpad-id or None>`), in order of first appearance.
    pub placeholders: Vec<String>,
    /// A searcher for each of `placeholders`, in their order.
    pub finders: Finders,
}

/// Searchers for a template's placeholders, prepared once with the template: each spec
/// checked against it is searched for every placeholder, and preparing a searcher costs
/// about as much as searching a short spec with it.
#[derive(Debug, Clone)]
pub struct Finders(Vec<memchr::memmem::Finder<'static>>);

impl Finders {
    pub(crate) fn new(placeholders: &[String]) -> Finders {
        let finders = placeholders.iter();
        Finders(
            finders
                .map(|p| memchr::memmem::Finder::new(p).into_owned())
                .collect(),
        )
    }

    /// The searchers, in the order of the placeholders.
    pub fn iter(&self) -> impl Iterator<Item = &memchr::memmem::Finder<'static>> {
        self.0.iter()
    }
}

/// Equal when they search for the same texts.
impl PartialEq for Finders {
    fn eq(&self, other: &Finders) -> bool {
        let needles = |f: &Finders| f.0.iter().map(|f| f.needle().to_vec()).collect::<Vec<_>>();
        needles(self) == needles(other)
    }
}

impl Eq for Finders {}

/// Placeholders recognised when a template contains them.
const KNOWN_PLACEHOLDERS: [&str; 2] = ["name-of-blueprint", "XXXXXXX"];

impl Template {
    /// Parse a template's text with the spec parser.
    pub fn parse(text: String, source: TemplateSource) -> Template {
        let outline = rst::parse(&text);
        let placeholders = placeholders(&text);
        let sections = outline
            .sections
            .iter()
            .map(|s| TemplateSection::new(&text, s, true))
            .collect();
        Template {
            source,
            title_style: outline.title.as_ref().map(|h| h.style),
            title: outline.title.map(|h| h.title),
            sections,
            finders: Finders::new(&placeholders),
            placeholders,
            text,
        }
    }

    /// The built-in Trove template.
    pub fn builtin() -> Template {
        Template::parse(BUILTIN_TEXT.to_string(), TemplateSource::Builtin)
    }

    /// Read and parse a template file (a regular file within `max`); one without
    /// sections is an error (every spec would pass it).
    pub fn load(path: &Path, max: &Limit) -> std::io::Result<Template> {
        let invalid = |why| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
        let bytes = crate::files::read_bytes(path, max)?;
        let text = String::from_utf8(bytes).map_err(|_| invalid("not valid UTF-8"))?;
        let template = Template::parse(text, TemplateSource::File(path.to_path_buf()));
        if template.sections.is_empty() {
            return Err(invalid(
                "no sections: a template needs at least one section heading below its title",
            ));
        }
        Ok(template)
    }

    /// Load the template `source` names (a file within `max`).
    pub fn from_source(source: &TemplateSource, max: &Limit) -> std::io::Result<Template> {
        match source {
            TemplateSource::Builtin => Ok(Template::builtin()),
            TemplateSource::File(p) => Template::load(p, max),
        }
    }

    /// `builtin:trove` or the template file's path.
    pub fn name(&self) -> String {
        self.source.name()
    }

    /// The template sections at one level: the top level (`parent` `None`) or the
    /// subsections of the template section titled `parent`.
    pub fn entries(&self, parent: Option<&str>) -> &[TemplateSection] {
        match parent {
            None => &self.sections,
            Some(parent) => self
                .sections
                .iter()
                .find(|s| s.title == parent)
                .map_or(&[], |s| &s.subsections),
        }
    }

    /// The template section titled `title` (verbatim) under `parent`.
    pub fn find(&self, parent: Option<&str>, title: &str) -> Option<&TemplateSection> {
        self.entries(parent).iter().find(|s| s.title == title)
    }

    /// The depth of the template heading titled `title` (1: a section, 2: a subsection),
    /// if it has one.
    pub fn depth_of(&self, title: &str) -> Option<usize> {
        if self.sections.iter().any(|t| t.title == title) {
            Some(1)
        } else {
            (self.sections.iter())
                .any(|t| t.subsections.iter().any(|s| s.title == title))
                .then_some(2)
        }
    }

    /// The template's style for headings at `depth` (1: section, 2: subsection).
    pub fn style(&self, depth: usize) -> Option<Style> {
        let first = self.sections.first()?;
        match depth {
            1 => Some(first.style),
            2 => self
                .sections
                .iter()
                .find_map(|s| s.subsections.first())
                .map(|s| s.style),
            _ => None,
        }
    }
}

impl TemplateSection {
    fn new(text: &str, section: &Section, with_subsections: bool) -> TemplateSection {
        let guidance_range = rst::trim_blank(text, section.own_body());
        let guidance = &text[guidance_range.clone()];
        TemplateSection {
            title: section.heading.title.clone(),
            comparable: Comparable::new(&section.heading.title),
            guidance_keys: paragraphs::paragraphs(guidance, 0)
                .filter(|(_, p)| is_prose(p))
                .filter_map(|(_, p)| paragraphs::key(p))
                .collect(),
            guidance: guidance.to_string(),
            guidance_range,
            heading_range: section.heading.range(),
            style: section.heading.style,
            subsections: if with_subsections {
                section
                    .sections
                    .iter()
                    .map(|s| TemplateSection::new(text, s, false))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// Whether a guidance paragraph is prose, the only guidance there is: an indented block
/// (a directive's content, a literal block, a quote) is an example the author fills in
/// (Nova's History `list-table`), never left-over guidance, and removing it could leave
/// invalid markup (an empty directive).
fn is_prose(paragraph: &str) -> bool {
    !paragraph.starts_with([' ', '\t'])
}

/// The placeholders `text` contains: known ones and `<...>` fill-ins (angle brackets
/// around words, not a link target).
fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = KNOWN_PLACEHOLDERS
        .iter()
        .filter(|p| text.contains(*p))
        .map(|p| p.to_string())
        .collect();
    for (open, _) in text.match_indices('<') {
        let Some(len) = text[open..].find('>') else {
            break;
        };
        let candidate = &text[open..=open + len];
        let inner = &candidate[1..candidate.len() - 1];
        let fill_in = inner.chars().next().is_some_and(char::is_alphabetic)
            && inner.len() <= 40
            && !inner.contains([':', '/', '`', '<', '\n', '.']);
        if fill_in && !found.iter().any(|f| f == candidate) {
            found.push(candidate.to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_trove_template() {
        let t = Template::builtin();
        assert_eq!(t.name(), "builtin:trove");
        assert_eq!(t.title.as_deref(), Some("Sample Pike Spec for Trove"));
        let titles: Vec<&str> = t.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Problem Description",
                "Proposed Change",
                "Dashboard Impact (UX)",
                "Implementation",
                "Upgrade Implications",
                "Dependencies",
                "Testing",
                "Documentation Impact",
                "References",
                "Appendix"
            ]
        );
        let proposed = &t.sections[1];
        let subs: Vec<&str> = proposed
            .subsections
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(subs[0], "Configuration");
        assert_eq!(subs.last(), Some(&"Alternatives"));
        assert_eq!(subs.len(), 9);
        assert!(
            proposed
                .guidance
                .starts_with("Here is where you cover the change")
        );
        assert!(proposed.guidance.ends_with("print count"));
        assert_eq!(&t.text[proposed.guidance_range.clone()], proposed.guidance);
        assert_eq!(
            &t.text[t.sections[0].heading_range.clone()],
            "Problem Description\n==================="
        );
        assert_eq!(t.sections[3].guidance, "");
        assert_eq!(
            t.placeholders,
            ["name-of-blueprint", "<launchpad-id or None>"]
        );
        let needles: Vec<&[u8]> = t.finders.iter().map(|f| f.needle()).collect();
        assert_eq!(
            needles,
            [&b"name-of-blueprint"[..], b"<launchpad-id or None>"]
        );
        assert_eq!(
            t.style(1),
            Some(Style {
                ch: '=',
                overline: false
            })
        );
        assert_eq!(
            t.style(2),
            Some(Style {
                ch: '-',
                overline: false
            })
        );
    }
}
