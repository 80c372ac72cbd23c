//! The edge between the engine and LSP: findings as LSP `Diagnostic`s, byte ranges as
//! LSP ranges in the negotiated encoding. `check --format json` and the server both use
//! this, so CI prints exactly what editors show.

use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range as LspRange,
};

use crate::Severity;
use crate::check::Finding;
use crate::text::{Encoding, LineCol, Locate};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "trove-spec-lsp";

/// An LSP range for a byte range of `text`.
pub fn range(
    text: &str,
    index: &impl Locate,
    range: &std::ops::Range<usize>,
    enc: Encoding,
) -> LspRange {
    LspRange {
        start: position(index.position(text, range.start, enc)),
        end: position(index.position(text, range.end, enc)),
    }
}

fn position(p: LineCol) -> Position {
    Position {
        line: p.line,
        character: p.col,
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A finding as the LSP diagnostic that the server publishes and `check --format json`
/// prints.
pub fn diagnostic(text: &str, index: &impl Locate, finding: &Finding, enc: Encoding) -> Diagnostic {
    Diagnostic {
        range: range(text, index, &finding.range, enc),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        source: Some(SOURCE.to_string()),
        message: finding.message.to_string(),
        data: Some(serde_json::to_value(&finding.data).expect("finding data serializes")),
        ..Diagnostic::default()
    }
}
