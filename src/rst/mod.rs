//! What docutils sees: the section tree of a reStructuredText document, with each
//! heading's verbatim text and exact source ranges, and docutils' own messages about
//! titles and sections. Positions are byte offsets into the parsed text; line numbers
//! are docutils' (1-based) only where docutils reports them.
//!
//! The parser follows docutils 0.21.2 (`publish_doctree`, default settings) rule for
//! rule, quirks included, and is checked against it: `tests/golden.rs` over the corpus,
//! the fixtures in `tests.rs` (each produced by docutils), `tests/rst_props.rs`.
//! - `lines`: the input as docutils' lines (`splitlines`, tabs, right-strip), with
//!   byte offsets back into the text;
//! - `patterns`: the line patterns of docutils' `Body` state (list markers, tables,
//!   explicit markup, adornments); `directives`: what each directive does;
//! - `blocks`: the body parser - which lines each element consumes, where titles are
//!   sections, nested content where they are "unexpected";
//! - `sections`: levels, section ranges and title promotion; `transitions`: the
//!   `Transitions` transform's messages; `width`: docutils' `column_width`;
//! - `inline`: inline markup recognition (start-strings without end-strings, roles),
//!   `punctuation`: the characters around it; `known`: the directive and role names
//!   the docs build knows;
//! - `references`: target names, references, footnotes, citations and substitutions
//!   across the document, resolved as docutils' and Sphinx's transforms do;
//! - `reuse`: what a parse keeps so that the parse of an edited text replays the
//!   top-level constructs whose lines did not change ([`parse_reusing`]).

mod blocks;
mod directives;
mod inline;
pub mod known;
mod lines;
mod options;
mod patterns;
mod punctuation;
mod references;
mod reuse;
mod sections;
mod transitions;
mod width;
mod width_table;

use std::ops::Range;

use serde::Serialize;

pub use lines::Line;
pub use patterns::adornment;
pub use reuse::Reuse;
pub use width::column_width;

/// One adornment style. Overline+underline with a character is a different style from
/// underline alone with the same character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Style {
    pub ch: char,
    pub overline: bool,
}

/// A section heading as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Verbatim heading text (docutils' `rawsource` of the title).
    pub title: String,
    /// Byte range of the title text (without indentation or line break).
    pub title_range: Range<usize>,
    /// Byte range of the underline's adornment characters (without line break).
    pub underline: Range<usize>,
    /// Byte range of the overline's adornment characters, if any.
    pub overline: Option<Range<usize>>,
    pub style: Style,
    /// docutils' line for this section: the 1-based line of the underline.
    pub line: usize,
}

impl Heading {
    /// Byte range from the first adornment (or title) to the end of the underline.
    pub fn range(&self) -> Range<usize> {
        let start = self
            .overline
            .as_ref()
            .map_or(self.title_range.start, |o| o.start);
        start..self.underline.end
    }
}

/// A section: its heading, its nested sections and the byte range it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: Heading,
    /// From the heading's first line to the start of the next section of the same or a
    /// higher level (or the end of the document).
    pub range: Range<usize>,
    /// Byte range of the body: after the underline's line break up to `range.end`,
    /// subsections included.
    pub body: Range<usize>,
    pub sections: Vec<Section>,
}

impl Section {
    /// The section's own body: `body` up to its first subsection.
    pub fn own_body(&self) -> Range<usize> {
        let end = self
            .sections
            .first()
            .map_or(self.body.end, |s| s.range.start);
        self.body.start..end
    }
}

/// `range` without its leading blank lines and trailing whitespace.
pub fn trim_blank(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let end = range.start + slice.trim_end().len();
    let mut start = range.start;
    for line in slice.split_inclusive('\n') {
        if !line.trim().is_empty() || start + line.len() > end {
            break;
        }
        start += line.len();
    }
    start.min(end)..end
}

/// Severity of a docutils system message: 1 info, 2 warning, 3 error, 4 severe.
pub type MessageLevel = u8;

/// What a docutils message about headings says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// "Title underline too short." (level 2; still a section)
    UnderlineTooShort,
    /// "Title overline too short." (level 2; still a section)
    OverlineTooShort,
    /// "Possible title underline, too short for the title." (level 1; not a section)
    PossibleUnderlineTooShort,
    /// "Title level inconsistent" (level 4)
    InconsistentTitleLevel,
    /// "Unexpected section title." / "Unexpected section title or transition." (level 4)
    UnexpectedSectionTitle,
    /// "... ends without a blank line; unexpected unindent." (level 2), "Unexpected
    /// indentation." (level 3), "Blank line required after table." (level 2),
    /// "Literal block expected; none found." (level 2).
    Indentation,
    /// "Inline emphasis/strong/literal/target/substitution_reference/interpreted text
    /// or phrase reference start-string without end-string." (level 2)
    Inline,
    /// "Unknown directive type "name"." (level 3): a name the docs build does not know.
    UnknownDirective,
    /// "Unknown interpreted text role "name"." (level 3)
    UnknownRole,
    /// A known directive docutils rejects: "Error in "name" directive:" (a bad option,
    /// argument count, content where none is permitted), "Content block expected for
    /// the "name" directive; none found." (level 3).
    Directive,
    /// Names and references: "Unknown target name", "Duplicate explicit target name",
    /// "Anonymous hyperlink mismatch", "Undefined substitution referenced", "citation
    /// not found", "Footnote [x] is not referenced", "malformed hyperlink target".
    Reference,
    /// "Malformed table." with docutils' detail on the next line (level 3).
    Table,
    /// Any other heading-related message (mismatched overline, incomplete title, ...).
    Other,
}

/// A docutils system message about titles, sections or transitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub level: MessageLevel,
    /// docutils' 1-based line.
    pub line: usize,
    /// Byte range in the text the message is about.
    pub range: Range<usize>,
    pub text: String,
    /// Whether docutils reports it on a line (`line`) other than the one `range`
    /// starts on, the mistake's (a finding then says so).
    pub elsewhere: bool,
}

/// A directive that reads a file (`include`, `literalinclude`, the `file` option of
/// `csv-table` and `raw`, an `image`'s or a `figure`'s image): what it names, which only the shell can look for (the engine
/// reads no files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// Which directive reads it.
    pub reads: Reads,
    /// The path as docutils reads it (the argument's or the option's lines stripped and
    /// joined).
    pub path: String,
    /// The directive's 1-based line.
    pub line: usize,
    /// Byte range of the directive's first line.
    pub range: Range<usize>,
}

/// The directive that reads the file of an [`Include`]: how the docs build words its
/// absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// docutils' `include`.
    Include,
    /// Sphinx's `literalinclude`.
    LiteralInclude,
    /// `csv-table`'s `file` option (when the directive has no content).
    CsvTable,
    /// `raw`'s `file` option (when the directive has no content).
    Raw,
    /// The image of an `image` or a `figure` (outside a substitution definition), which
    /// Sphinx looks for once the document is read.
    Image,
}

/// The document as docutils structures it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The promoted document title, if the document opens with a lone top-level section.
    pub title: Option<Heading>,
    /// The promoted subtitle, if docutils promoted one.
    pub subtitle: Option<Heading>,
    /// Top-level sections (after title promotion).
    pub sections: Vec<Section>,
    pub messages: Vec<Message>,
    /// The `include` directives, in document order.
    pub includes: Vec<Include>,
}

/// Parse `text` into the section tree docutils 0.21 (`publish_doctree`, default
/// settings) would build.
pub fn parse(text: &str) -> Outline {
    parse_lines(text, &mut Vec::new()).0
}

/// [`parse`], also giving docutils' lines of `text` (what the line rules read), the
/// text of each line docutils expands kept in `expanded`.
pub fn parse_lines<'a>(text: &'a str, expanded: &'a mut Vec<String>) -> (Outline, Vec<Line<'a>>) {
    let (outline, _, lines) = parse_with(text, expanded, None, false);
    (outline, lines)
}

/// [`parse`], reusing `earlier`, what the parse of an earlier text of the same document
/// kept (an editor's previous version): the same outline, faster when little changed.
/// Also returns what the next parse can reuse.
pub fn parse_reusing(text: &str, earlier: Option<&Reuse>) -> (Outline, Reuse) {
    let (outline, reuse, _) = parse_reusing_lines(text, &mut Vec::new(), earlier);
    (outline, reuse)
}

/// [`parse_reusing`], also giving the lines as [`parse_lines`] does.
pub fn parse_reusing_lines<'a>(
    text: &'a str,
    expanded: &'a mut Vec<String>,
    earlier: Option<&Reuse>,
) -> (Outline, Reuse, Vec<Line<'a>>) {
    let (outline, reuse, lines) = parse_with(text, expanded, earlier, true);
    (outline, reuse.unwrap_or_default(), lines)
}

fn parse_with<'a>(
    text: &'a str,
    expanded: &'a mut Vec<String>,
    earlier: Option<&Reuse>,
    keep: bool,
) -> (Outline, Option<Reuse>, Vec<Line<'a>>) {
    // the lines an edit left as they were are taken from the earlier parse
    let earlier = earlier.filter(|_| keep);
    let mut unchanged = earlier.and_then(|e| e.unchanged(text));
    let lines = match (earlier, &mut unchanged) {
        (Some(e), Some(u)) => e.split(text, expanded, u),
        _ => lines::split(text, expanded),
    };
    let new = unchanged.map_or(0..lines.len(), |u| u.split_again());
    if let Some(i) = lines::over_length_limit(&lines[new.clone()]).map(|i| new.start + i) {
        // docutils does not parse such a document at all.
        let line = &lines[i];
        let outline = Outline {
            messages: vec![Message {
                kind: MessageKind::Other,
                level: 3,
                line: i + 1,
                range: line.start..line.end,
                text: format!("Line {} exceeds the line-length-limit.", i + 1),
                elsewhere: false,
            }],
            ..Outline::default()
        };
        return (outline, None, lines);
    }
    // Room for as many names as the parse before had, else as a spec usually has (a
    // section every ten lines or so).
    let names = earlier.map_or(lines.len() / 10, |e| e.names());
    let (tree, references, includes, recorder) = if keep {
        let mut parser = blocks::Parser::<true>::new(text, &lines, names);
        parser.recorder = reuse::Recorder::for_lines(lines.len(), earlier);
        parser.reusing(earlier.zip(unchanged).map(|(e, u)| e.earlier(u)));
        document(parser)
    } else {
        document(blocks::Parser::<false>::new(text, &lines, names))
    };
    let names = tree.names();
    let mut outline = tree.finish(text.len());
    let reused = earlier.zip(unchanged);
    let reuse = recorder.map(|r| r.finish(text, &lines, names, reused));
    outline.includes = includes;
    let messages = references.resolve(&outline);
    outline.messages.extend(messages);
    (outline, reuse, lines)
}

/// Parse the whole document with `parser`: its section tree, names and references,
/// includes, and what it recorded for the next parse.
fn document<const RECORDS: bool>(
    mut parser: blocks::Parser<'_, '_, RECORDS>,
) -> (
    sections::Tree,
    references::Collector,
    Vec<Include>,
    Option<reuse::Recorder>,
) {
    parser.document();
    (
        parser.tree,
        parser.references,
        parser.includes,
        parser.recorder,
    )
}

/// One section in the shape of the golden files (`corpus/*/golden.jsonl`) and of
/// `trove-spec-lsp outline --format json`: `{"title", "line", "sections"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoldenSection {
    pub title: String,
    pub line: usize,
    pub sections: Vec<GoldenSection>,
}

impl GoldenSection {
    fn from_section(section: &Section) -> Self {
        GoldenSection {
            title: section.heading.title.clone(),
            line: section.heading.line,
            sections: section
                .sections
                .iter()
                .map(GoldenSection::from_section)
                .collect(),
        }
    }
}

/// One file's outline in the golden shape, `{"file", "title", "sections"}` (fields
/// serialize in this order): one line of `trove-spec-lsp outline --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoldenOutline {
    /// The file as named on the command line.
    pub file: String,
    /// The promoted document title, or `null`.
    pub title: Option<String>,
    pub sections: Vec<GoldenSection>,
}

impl Outline {
    /// The document title and section tree in the golden shape: what docutils'
    /// `publish_doctree` yields as `document['title']` and nested `section` nodes.
    pub fn golden_tree(&self) -> (Option<String>, Vec<GoldenSection>) {
        (
            self.title.as_ref().map(|h| h.title.clone()),
            self.sections
                .iter()
                .map(GoldenSection::from_section)
                .collect(),
        )
    }

    /// [`Outline::golden_tree`] for `file`, ready to serialize as one JSON line.
    pub fn golden(&self, file: &str) -> GoldenOutline {
        let (title, sections) = self.golden_tree();
        GoldenOutline {
            file: file.to_owned(),
            title,
            sections,
        }
    }
}

#[cfg(test)]
mod tests;
