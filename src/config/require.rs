//! `[[require]]`: text a spec must hold before some line (ironic's license header before
//! the title, its RFE link before "Problem description"), unless a waiver comment says
//! otherwise.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

/// A `[[require]]` table as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequireSpec {
    /// Regular expression (Rust `regex` syntax) the text must match; `{stem}` stands for
    /// the spec's file name without `.rst`, escaped.
    pub pattern: String,
    /// Regular expression for the line the text must come before: only the lines above
    /// the first line it matches are searched (all lines when none matches).
    pub before: Option<String>,
    /// What the finding says.
    pub message: String,
    /// A line that, present anywhere in the spec (surrounding spaces ignored), waives
    /// the requirement, e.g. `.. lint: norfe`.
    pub waiver: Option<String>,
    /// Search the lines joined without their line breaks (as ironic's license check
    /// does), so a phrase may run over several lines.
    #[serde(default)]
    pub join_lines: bool,
}

/// A compiled `[[require]]` for one document.
#[derive(Debug, Clone)]
pub struct Require {
    pub pattern: Regex,
    pub before: Option<Regex>,
    pub message: String,
    pub waiver: Option<String>,
    pub join_lines: bool,
}

impl PartialEq for Require {
    fn eq(&self, other: &Require) -> bool {
        self.pattern.as_str() == other.pattern.as_str()
            && self.before.as_ref().map(Regex::as_str) == other.before.as_ref().map(Regex::as_str)
            && (&self.message, &self.waiver, self.join_lines)
                == (&other.message, &other.waiver, other.join_lines)
    }
}

impl Eq for Require {}

impl Require {
    /// Compile `spec` for the document at `file` (`{stem}` matches any name when the
    /// document has no file).
    pub fn new(spec: &RequireSpec, file: Option<&Path>) -> Result<Require, String> {
        let stem = match file.and_then(Path::file_stem).and_then(|s| s.to_str()) {
            Some(stem) => regex::escape(stem),
            None => r"[^/\s]+".to_string(),
        };
        let pattern = Regex::new(&spec.pattern.replace("{stem}", &stem))
            .map_err(|e| format!("pattern: {e}"))?;
        let before = spec
            .before
            .as_deref()
            .map(Regex::new)
            .transpose()
            .map_err(|e| format!("before: {e}"))?;
        Ok(Require {
            pattern,
            before,
            message: spec.message.clone(),
            waiver: spec.waiver.clone(),
            join_lines: spec.join_lines,
        })
    }
}
