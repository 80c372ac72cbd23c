//! The rules: what is wrong with a spec given its template and the configuration, as
//! findings with stable codes, precise byte ranges, messages that say what to do, and
//! the edits that fix them.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::Mode;
use crate::config::Config;
use crate::rst::Outline;
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

pub use crate::codes::{Code, Severity};
pub use edit::{apply_edits, heading_text, level_style};
pub use structure::fix_all_missing;

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

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Byte range in the analysed text.
    pub range: Range<usize>,
    pub message: String,
    pub data: FindingData,
    pub fixes: Vec<Fix>,
}

/// Run every rule over a parsed document. In [`Mode::Plain`] only the findings docutils
/// itself reports (heading-structure, heading-underline, `rst-*`) are produced.
pub fn run(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
    mode: Mode,
    exists: Option<crate::FileExists>,
) -> Vec<Finding> {
    let findings = rules(text, outline, template, config, mode, exists);
    if mode != Mode::Spec {
        return findings;
    }
    cascade::collapse(text, outline, template, config, findings, |fixed| {
        rules(
            fixed,
            &crate::rst::parse(fixed),
            template,
            config,
            mode,
            exists,
        )
    })
}

/// Every rule, each finding on its own (see [`run`]).
fn rules(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
    mode: Mode,
    exists: Option<crate::FileExists>,
) -> Vec<Finding> {
    let mut cx = Cx::new(text, outline, template, config);
    headings::check(&mut cx);
    docutils::check(&mut cx);
    if let Some(exists) = exists {
        docutils::includes(&mut cx, exists);
    }
    if mode == Mode::Spec {
        structure::check(&mut cx);
        content::check(&mut cx);
        lines::check(&mut cx);
        required::check(&mut cx);
        paths::check(&mut cx);
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
    findings: Vec<Finding>,
    /// Per code (index in `Code::ALL` order): findings reported, findings dropped over
    /// the cap, and the range of the last one dropped.
    counts: [(usize, usize, Range<usize>); Code::ALL.len()],
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
            findings: Vec::new(),
            counts: std::array::from_fn(|_| (0, 0, 0..0)),
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
                ),
                data: FindingData::default(),
                fixes: Vec::new(),
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
        message: String,
        data: FindingData,
        fixes: Vec<Fix>,
    ) {
        if !self.room(code, &range) {
            return;
        }
        if let Some(severity) = self.config.severity(code) {
            self.counts[code as usize].0 += 1;
            self.findings.push(Finding {
                code,
                severity,
                range,
                message,
                data,
                fixes,
            });
        }
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
