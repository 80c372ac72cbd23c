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
    /// Like `before`, but that line is searched too (upstream loops that test a line,
    /// then stop at it).
    pub until: Option<String>,
    /// With it, the search is line by line, in order, and the first line `pattern`
    /// matches decides: the requirement is met only if that line also matches `accept`
    /// (ironic's RFE check stops at the first bug, story or blueprint URL; a blueprint
    /// URL must end in the file name).
    pub accept: Option<String>,
    /// What the finding says when the deciding line does not match `accept` (default:
    /// `message`).
    pub accept_message: Option<String>,
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

/// Where the search stops: before the first line matching the regex, or after it.
#[derive(Debug, Clone)]
pub enum Boundary {
    Before(Regex),
    Until(Regex),
}

/// A compiled `[[require]]` for one document.
#[derive(Debug, Clone)]
pub struct Require {
    pub pattern: Regex,
    pub boundary: Option<Boundary>,
    pub accept: Option<Regex>,
    pub accept_message: Option<String>,
    pub message: String,
    pub waiver: Option<String>,
    pub join_lines: bool,
}

impl RequireSpec {
    /// Whether one of its regular expressions names `{stem}` (then it is compiled for
    /// each document).
    pub fn names_stem(&self) -> bool {
        let mut expressions = [&self.before, &self.until, &self.accept]
            .into_iter()
            .flatten();
        self.pattern.contains("{stem}") || expressions.any(|e| e.contains("{stem}"))
    }
}

impl Boundary {
    fn key(&self) -> (bool, &str) {
        match self {
            Boundary::Before(r) => (false, r.as_str()),
            Boundary::Until(r) => (true, r.as_str()),
        }
    }
}

impl PartialEq for Require {
    fn eq(&self, other: &Require) -> bool {
        self.pattern.as_str() == other.pattern.as_str()
            && self.boundary.as_ref().map(Boundary::key)
                == other.boundary.as_ref().map(Boundary::key)
            && self.accept.as_ref().map(Regex::as_str) == other.accept.as_ref().map(Regex::as_str)
            && (
                &self.message,
                &self.accept_message,
                &self.waiver,
                self.join_lines,
            ) == (
                &other.message,
                &other.accept_message,
                &other.waiver,
                other.join_lines,
            )
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
        let compile = |key: &str, re: &str| {
            Regex::new(&re.replace("{stem}", &stem)).map_err(|e| format!("{key}: {e}"))
        };
        let pattern = compile("pattern", &spec.pattern)?;
        let boundary = match (&spec.before, &spec.until) {
            (Some(_), Some(_)) => return Err("give before or until, not both".into()),
            (Some(b), None) => Some(Boundary::Before(compile("before", b)?)),
            (None, Some(u)) => Some(Boundary::Until(compile("until", u)?)),
            (None, None) => None,
        };
        let accept = spec
            .accept
            .as_deref()
            .map(|a| compile("accept", a))
            .transpose()?;
        if accept.is_some() && spec.join_lines {
            return Err("accept decides on one line: it cannot go with join-lines".into());
        }
        if accept.is_none() && spec.accept_message.is_some() {
            return Err("accept-message needs accept".into());
        }
        Ok(Require {
            pattern,
            boundary,
            accept,
            accept_message: spec.accept_message.clone(),
            message: spec.message.clone(),
            waiver: spec.waiver.clone(),
            join_lines: spec.join_lines,
        })
    }
}
