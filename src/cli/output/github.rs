//! GitHub Actions workflow commands, one per finding, as documented in "Workflow
//! commands for GitHub Actions" (`::error file={name},line={line},endLine={endLine},
//! col={col},endColumn={endColumn},title={title}::{message}`): levels `error`,
//! `warning`, `notice`; 1-based lines and columns; `%`, `\r`, `\n` escaped in the
//! message, and `:` and `,` too in property values.

use std::io::Write;

use crate::Finding;
use crate::codes::Severity;
use crate::text::{Encoding, Locate};

/// Write one workflow command per finding of `file`.
pub fn write(
    out: &mut impl Write,
    file: &str,
    text: &str,
    index: &impl Locate,
    findings: &[Finding],
) -> std::io::Result<()> {
    for f in findings {
        let start = index.position(text, f.range.start, Encoding::Utf32);
        let end = index.position(text, f.range.end, Encoding::Utf32);
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        writeln!(
            out,
            "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            property(file),
            start.line + 1,
            end.line + 1,
            start.col + 1,
            end.col + 1,
            property(&format!("trove-spec-lsp {}", f.code.as_str())),
            data(&f.message)
        )?;
    }
    Ok(())
}

/// A command's message, escaped.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value, escaped.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_documented_rules() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
