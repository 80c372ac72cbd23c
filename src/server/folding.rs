//! Folding ranges: one per section, from its heading's title line to its last non-blank
//! line.

use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind};

use super::documents::Analyzed;
use crate::rst::{self, Section};

/// The folding ranges of one document.
pub fn folding_ranges(analyzed: &Analyzed) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    for section in &analyzed.analysis.outline.sections {
        collect(analyzed, section, &mut out);
    }
    out
}

fn collect(analyzed: &Analyzed, section: &Section, out: &mut Vec<FoldingRange>) {
    let start_line = analyzed.index.line_of(section.heading.title_range.start);
    let end = rst::trim_blank(&analyzed.text, section.range.clone()).end;
    let end_line = analyzed
        .index
        .line_of(end.saturating_sub(1).max(section.range.start));
    if end_line > start_line {
        out.push(FoldingRange {
            start_line: start_line as u32,
            start_character: None,
            end_line: end_line as u32,
            end_character: None,
            kind: Some(FoldingRangeKind::Region),
            collapsed_text: Some(section.heading.title.clone()),
        });
    }
    for child in &section.sections {
        collect(analyzed, child, out);
    }
}
