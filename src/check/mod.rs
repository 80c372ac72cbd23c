//! The rules: what is wrong with a spec given its template and the configuration, as
//! findings with stable codes, precise byte ranges, messages that say what to do, and
//! the edits that fix them.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::{Deref, Range};

use serde::{Deserialize, Serialize};

use crate::Mode;
use crate::config::Config;
use crate::rst::{Line, Outline};
use crate::template::Template;

mod cascade;
mod content;
#[cfg(test)]
mod convergence;
mod docutils;
mod edit;
mod headings;
mod lines;
mod paths;
#[cfg(test)]
mod repo_tests;
mod required;
mod structure;
#[cfg(test)]
mod tests;
mod title;

pub use crate::codes::{Code, Severity};
pub use edit::{apply_edits, heading_text, level_style};
pub use structure::fix_all_missing;
pub use title::restyle_for;

/// Structured data carried with a finding (LSP `Diagnostic.data`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingData {
    /// The section the finding is about (the template's title for missing sections).
    pub section: Option<String>,
    /// Its parent section's title, or null at the top level.
    pub parent: Option<String>,
    /// title-mismatch: the template title a near miss should be. section-level: the
    /// template section it belongs under (absent when it belongs at the top level).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

/// One text replacement: `range` (bytes of the analysed text) becomes `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// A fix for a finding: a titled set of edits that, applied together, make it go away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// One problem found in a document. Compact (80 bytes on 64-bit targets, see
/// `tests/finding_size.rs`): a message that is the same for every occurrence is shared,
/// empty data takes no allocation, and the common fixes are built when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Byte range in the analysed text.
    pub range: Range<usize>,
    pub message: Cow<'static, str>,
    pub data: Data,
    pub fixes: Fixes,
}

impl Finding {
    /// The fixes of this finding of `text` (the analysed text), built now when they are
    /// stored compactly.
    pub fn fixes(&self, text: &str) -> Cow<'_, [Fix]> {
        let delete = |title: String| Fix {
            title,
            edits: vec![Edit {
                range: self.range.clone(),
                new_text: String::new(),
            }],
        };
        match &self.fixes {
            Fixes::None => Cow::Borrowed(&[]),
            Fixes::Delete(title) => Cow::Owned(vec![delete(title.to_string())]),
            Fixes::DeleteCharacter => {
                let c = text[self.range.clone()].chars().next().unwrap_or_default();
                Cow::Owned(vec![delete(format!("Remove U+{:04X}", c as u32))])
            }
            Fixes::LineEndings => Cow::Owned(vec![Fix {
                title: "Convert line endings to LF".into(),
                edits: line_endings(text),
            }]),
            Fixes::Built(fixes) => Cow::Borrowed(fixes),
        }
    }
}

/// A finding's fixes as stored: the ones every line or character of a document can
/// have are described, not built (see [`Finding::fixes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Fixes {
    #[default]
    None,
    /// One fix, with this title, that deletes the finding's range.
    Delete(&'static str),
    /// One fix that deletes the character at the finding's range, titled with its code
    /// point ("Remove U+200B").
    DeleteCharacter,
    /// One fix that turns every CRLF and lone CR line end of the text into LF.
    LineEndings,
    /// Fixes built by the rule.
    Built(Vec<Fix>),
}

impl Fixes {
    /// Whether there is no fix.
    pub fn is_empty(&self) -> bool {
        *self == Fixes::None
    }
}

impl From<Vec<Fix>> for Fixes {
    fn from(fixes: Vec<Fix>) -> Fixes {
        if fixes.is_empty() {
            Fixes::None
        } else {
            Fixes::Built(fixes)
        }
    }
}

/// The edits that turn every CRLF and lone CR line end of `text` into LF.
fn line_endings(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes)
        .map(|i| Edit {
            range: i..i + 1,
            new_text: if bytes.get(i + 1) == Some(&b'\n') {
                String::new()
            } else {
                "\n".to_string()
            },
        })
        .collect()
}

/// A finding's [`FindingData`], allocated only when it is not empty; reads as the data
/// itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Data(Option<Box<FindingData>>);

/// Empty data, what [`Data`] reads as when it holds none.
static NO_DATA: FindingData = FindingData {
    section: None,
    parent: None,
    expected: None,
};

impl From<FindingData> for Data {
    fn from(data: FindingData) -> Data {
        Data((data != NO_DATA).then(|| Box::new(data)))
    }
}

impl Deref for Data {
    type Target = FindingData;

    fn deref(&self) -> &FindingData {
        self.0.as_deref().unwrap_or(&NO_DATA)
    }
}

impl PartialEq<FindingData> for Data {
    fn eq(&self, other: &FindingData) -> bool {
        **self == *other
    }
}

impl Serialize for Data {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// Run every rule over a parsed document: its outline, and docutils' lines of `text`
/// when the caller has them (see [`crate::rst::parse_lines`]; the line rules read them
/// rather than look for the line breaks again). In [`Mode::Plain`] only the findings
/// docutils itself reports (heading-structure, heading-underline, `rst-*`) and where
/// the file lies (`directory-name`) are produced; in [`Mode::Place`] only the latter.
/// Without `fixes`, missing sections and subsections come without their fixes (see
/// [`crate::findings_in`]).
pub fn run(
    text: &str,
    parse: (&Outline, Option<&[Line]>),
    template: &Template,
    config: &Config,
    mode: Mode,
    at: Option<crate::Location>,
    fixes: bool,
) -> Vec<Finding> {
    let run = Run { mode, at, fixes };
    collapsed(text, parse, template, config, run, CASCADE_DEPTH)
}

/// What a document is checked as, beyond its text, template and configuration.
#[derive(Clone, Copy)]
struct Run<'a> {
    mode: Mode,
    at: Option<crate::Location<'a>>,
    /// Whether missing sections and subsections get their fixes (the costliest to
    /// build: the text of the section, and where it goes).
    fixes: bool,
}

/// How many headings with the wrong adornment, one fixed after the other, [`run`] looks
/// through (each is judged on the text with the ones before it fixed).
const CASCADE_DEPTH: usize = 3;

/// Every rule, with the cascades of up to `depth` headings with the wrong adornment
/// collapsed (see [`cascade`]).
fn collapsed(
    text: &str,
    (outline, lines): (&Outline, Option<&[Line]>),
    template: &Template,
    config: &Config,
    run: Run,
    depth: usize,
) -> Vec<Finding> {
    let findings = rules(text, (outline, lines), template, config, run);
    if run.mode != Mode::Spec || depth == 0 {
        return findings;
    }
    cascade::collapse(text, outline, template, config, findings, |fixed| {
        let outline = crate::rst::parse(fixed);
        // (of the re-checked text's findings, the cascade reads only the fixes of
        // headings with the wrong adornment)
        let run = Run {
            fixes: false,
            ..run
        };
        collapsed(fixed, (&outline, None), template, config, run, depth - 1)
    })
}

/// Every rule, each finding on its own (see [`run`]).
fn rules(
    text: &str,
    (outline, lines): (&Outline, Option<&[Line]>),
    template: &Template,
    config: &Config,
    Run { mode, at, fixes }: Run,
) -> Vec<Finding> {
    let mut cx = Cx::new(text, outline, template, config);
    cx.lines = lines;
    cx.path = at.map(|at| at.path);
    cx.fixes = fixes;
    if let Mode::Place { directory } = mode {
        paths::place(&mut cx, directory);
        return cx.finish();
    }
    headings::check(&mut cx);
    docutils::check(&mut cx);
    if let Some(exists) = at.and_then(|at| at.exists) {
        docutils::includes(&mut cx, exists);
    }
    if mode == Mode::Spec {
        title::check(&mut cx);
        structure::check(&mut cx);
        content::check(&mut cx);
        lines::check(&mut cx);
        required::check(&mut cx);
        paths::check(&mut cx);
    } else {
        // where a file that is no spec lies, as `check DIR` checks it
        paths::place(&mut cx, false);
    }
    let mut findings = cx.finish();
    findings.sort_by_key(|f| (f.range.start, f.range.end, f.code));
    findings
}

/// The most findings of one code a document reports; the rest are counted in one last
/// finding of that code ("... and N more"), as compilers do, so that a pathological
/// document costs bounded memory and its diagnostics stay readable.
pub const MAX_FINDINGS_PER_CODE: usize = 1000;

/// What every rule reads, and where it reports.
struct Cx<'a> {
    text: &'a str,
    outline: &'a Outline,
    template: &'a Template,
    config: &'a Config,
    /// docutils' lines of the text, when the caller has them (the line rules read them).
    lines: Option<&'a [Line<'a>]>,
    /// The document's path, when it is a file (the path rules read it).
    path: Option<&'a std::path::Path>,
    /// Whether missing sections and subsections get their fixes (see [`Run`]).
    fixes: bool,
    findings: Vec<Finding>,
    /// Per code (index in `Code::ALL` order): findings reported, findings dropped over
    /// the cap, and the range of the last one dropped.
    counts: [(usize, usize, Range<usize>); Code::ALL.len()],
    /// [`level_style`] for sections and subsections, worked out when first asked.
    styles: [OnceCell<crate::rst::Style>; 2],
}

impl<'a> Cx<'a> {
    fn new(
        text: &'a str,
        outline: &'a Outline,
        template: &'a Template,
        config: &'a Config,
    ) -> Cx<'a> {
        Cx {
            text,
            outline,
            template,
            config,
            lines: None,
            path: None,
            fixes: true,
            findings: Vec::new(),
            counts: std::array::from_fn(|_| (0, 0, 0..0)),
            styles: Default::default(),
        }
    }

    /// The adornment style for a new heading at `depth` (1: section, 2: subsection),
    /// as [`level_style`] gives it (the document does not change while the rules run).
    fn level_style(&self, depth: usize) -> crate::rst::Style {
        match self.styles.get(depth.wrapping_sub(1)) {
            Some(style) => *style.get_or_init(|| level_style(self.outline, self.template, depth)),
            None => level_style(self.outline, self.template, depth),
        }
    }

    /// Whether one more finding of `code` would be reported: false when the code is
    /// `off`, or over [`MAX_FINDINGS_PER_CODE`] (then the finding at `range` is counted
    /// as dropped). Rules that can fire once per line ask before building a finding.
    fn room(&mut self, code: Code, range: &Range<usize>) -> bool {
        if !self.on(code) {
            return false;
        }
        let (reported, dropped, last) = &mut self.counts[code as usize];
        if *reported < MAX_FINDINGS_PER_CODE {
            return true;
        }
        *dropped += 1;
        *last = range.clone();
        false
    }

    /// The findings, with one summary finding per code that went over the cap.
    fn finish(mut self) -> Vec<Finding> {
        for code in Code::ALL {
            let (_, dropped, ref last) = self.counts[code as usize];
            if dropped == 0 {
                continue;
            }
            let severity = self
                .config
                .severity(code)
                .unwrap_or(code.default_severity());
            let plural = if dropped == 1 { "" } else { "s" };
            self.findings.push(Finding {
                code,
                severity,
                range: last.clone(),
                message: format!(
                    "{dropped} more {} finding{plural} not shown (at most {MAX_FINDINGS_PER_CODE} per kind); this is the last of them",
                    code.as_str()
                )
                .into(),
                data: Data::default(),
                fixes: Fixes::None,
            });
        }
        self.findings
    }

    /// Whether `code` is reported at all (not `off`).
    fn on(&self, code: Code) -> bool {
        self.config.severity(code).is_some()
    }

    /// Report a finding with the configured severity (dropped when `off`).
    fn report(
        &mut self,
        code: Code,
        range: Range<usize>,
        message: impl Into<Cow<'static, str>>,
        data: FindingData,
        fixes: impl Into<Fixes>,
    ) {
        if !self.room(code, &range) {
            return;
        }
        if let Some(severity) = self.config.severity(code) {
            self.push(Finding {
                code,
                severity,
                range,
                message: message.into(),
                data: data.into(),
                fixes: fixes.into(),
            });
        }
    }

    /// Add a finding that [`Cx::room`] let in, counting it towards the cap.
    fn push(&mut self, finding: Finding) {
        self.counts[finding.code as usize].0 += 1;
        self.findings.push(finding);
    }
}

impl FindingData {
    fn section(section: &str, parent: Option<&str>) -> FindingData {
        FindingData {
            section: Some(section.to_string()),
            parent: parent.map(str::to_string),
            expected: None,
        }
    }
}
