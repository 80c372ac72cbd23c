//! Configuration: `trove-spec-lsp.toml` at the repository root, read by the CLI and the
//! server alike; LSP settings override it per editor.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::check::{Code, Severity};

/// Effective configuration for checking one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Explicit template path (wins over discovery).
    pub template: Option<PathBuf>,
    /// Sections that may be absent: "History" (top level) or "Proposed Change/Alternatives".
    pub optional: Vec<String>,
    /// Per-code severity; `None` means the code is off.
    pub severities: BTreeMap<Code, Option<Severity>>,
    /// Line-length limit (upstream: 79).
    pub max_line_length: usize,
    /// Globs (besides `specs/`) naming files checked as specs.
    pub spec_globs: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            template: None,
            optional: Vec::new(),
            severities: BTreeMap::new(),
            max_line_length: 79,
            spec_globs: Vec::new(),
        }
    }
}

impl Config {
    /// The severity in force for `code`, or `None` when it is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.severities.get(&code) {
            Some(s) => *s,
            None => Some(code.default_severity()),
        }
    }
}
