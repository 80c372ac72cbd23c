//! SARIF 2.1.0: one log, one run, the tool's rules from the finding codes (id, summary,
//! default level), a result per finding with its physical location (1-based lines,
//! columns in UTF-16 code units, SARIF's default `columnKind`).

use std::io::Write;

use serde_json::{Value, json};

use crate::Finding;
use crate::codes::{Code, Severity};
use crate::text::{Encoding, Locate};

/// The results of a run, collected file by file and written at the end.
#[derive(Default)]
pub struct Log {
    results: Vec<Value>,
}

fn level(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Information | Severity::Hint) => "note",
        None => "none",
    }
}

impl Log {
    /// Add the findings of `file` (a path as given; written as a relative URI).
    pub fn add(&mut self, file: &str, text: &str, index: &impl Locate, findings: &[Finding]) {
        for f in findings {
            let start = index.position(text, f.range.start, Encoding::Utf16);
            let end = index.position(text, f.range.end, Encoding::Utf16);
            let rule_index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
            self.results.push(json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": rule_index,
                "level": level(Some(f.severity)),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(file) },
                        "region": {
                            "startLine": start.line + 1,
                            "startColumn": start.col + 1,
                            "endLine": end.line + 1,
                            "endColumn": end.col + 1,
                        }
                    }
                }],
            }));
        }
    }

    /// Add the results of `other` (another file's) after these.
    pub fn append(&mut self, mut other: Log) {
        self.results.append(&mut other.results);
    }

    /// Write the whole log as one JSON document.
    pub fn write(self, out: &mut impl Write) -> std::io::Result<()> {
        let rules: Vec<Value> = Code::ALL
            .iter()
            .map(|c| {
                let default = c.on_by_default().then(|| c.default_severity());
                json!({
                    "id": c.as_str(),
                    "shortDescription": { "text": c.summary() },
                    "defaultConfiguration": { "level": level(default), "enabled": default.is_some() },
                })
            })
            .collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "trove-spec-lsp",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": self.results,
            }],
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&log)?)
    }
}

/// A relative path as a URI reference: `/` separators, other reserved or non-ASCII
/// bytes percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("specs/kilo/a b.rst"), "specs/kilo/a%20b.rst");
        assert_eq!(uri("spécs/x.rst"), "sp%C3%A9cs/x.rst");
    }
}
