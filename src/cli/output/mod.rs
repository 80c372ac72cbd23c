//! `check`'s CI output formats besides text and JSON: GitHub Actions workflow commands
//! (`github`), one SARIF 2.1.0 log for the whole run (`sarif`), and counts per code
//! (`--statistics`).

use std::collections::BTreeMap;
use std::io::Write;

use crate::codes::{Code, Severity};

pub mod github;
pub mod sarif;

/// `--format` of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum CheckFormat {
    /// Compiler-style lines and a summary.
    #[default]
    Text,
    /// One line per file: `{"file", "template", "diagnostics": [LSP Diagnostic]}`.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`), one per finding.
    Github,
    /// One SARIF 2.1.0 log.
    Sarif,
}

/// The word for a severity in text output and GitHub's commands' level.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "info",
        Severity::Hint => "hint",
    }
}

/// `--statistics`: one line per code, most frequent first: count, code, and whether a
/// safe fix (`--fix`) exists for it.
pub fn write_statistics(
    out: &mut impl Write,
    counts: &BTreeMap<Code, usize>,
) -> std::io::Result<()> {
    let mut rows: Vec<(&Code, &usize)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let width = rows.first().map_or(1, |(_, n)| n.to_string().len());
    for (code, n) in rows {
        let fixable = if code.has_safe_fix() { " [*]" } else { "" };
        writeln!(out, "{n:>width$}\t{}{fixable}", code.as_str())?;
    }
    Ok(())
}
