//! Document symbols: the heading tree (the document title, then its sections and their
//! subsections), or a flat list for clients without hierarchical symbol support. Each
//! section spans whole lines, from column 0 of its heading's first line to the end of its
//! last line.

use std::ops::Range;

use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolResponse, Location, Range as LspRange, SymbolInformation,
    SymbolKind, Uri,
};

use super::capabilities::ClientFeatures;
use super::documents::Analyzed;
use crate::proto;
use crate::rst::Section;

/// The symbols of one document.
pub fn symbols(
    analyzed: &Analyzed,
    uri: &Uri,
    features: &ClientFeatures,
) -> DocumentSymbolResponse {
    let tree = tree(analyzed, features);
    if features.hierarchical_symbols {
        return DocumentSymbolResponse::Nested(tree);
    }
    let mut flat = Vec::new();
    flatten(&tree, None, uri, &mut flat);
    DocumentSymbolResponse::Flat(flat)
}

/// The kind of a section or subsection: what completion marks headings with, and what
/// editors show as an outline's headings (texlab does the same for LaTeX sections).
const SECTION: SymbolKind = SymbolKind::MODULE;
/// The kind of the document title: the whole document.
const TITLE: SymbolKind = SymbolKind::FILE;

fn tree(analyzed: &Analyzed, features: &ClientFeatures) -> Vec<DocumentSymbol> {
    let text = analyzed.text.as_str();
    let enc = features.encoding;
    let range = |r: &Range<usize>| proto::range(text, &analyzed.index, r, enc);
    let outline = &analyzed.analysis.outline;
    let section = |s: &Section| symbol(s, text, &range);
    let sections: Vec<DocumentSymbol> = outline.sections.iter().map(section).collect();
    match &outline.title {
        Some(title) => {
            #[allow(deprecated)]
            let root = DocumentSymbol {
                name: title.title.clone(),
                detail: Some("document title".to_string()),
                kind: TITLE,
                tags: None,
                deprecated: None,
                range: range(&lines(text, title.range().start..text.len())),
                selection_range: range(&title.title_range),
                children: Some(sections),
            };
            vec![root]
        }
        None => sections,
    }
}

fn symbol(s: &Section, text: &str, range: &dyn Fn(&Range<usize>) -> LspRange) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` must still be spelled out
    DocumentSymbol {
        name: s.heading.title.clone(),
        detail: None,
        kind: SECTION,
        tags: None,
        deprecated: None,
        range: range(&lines(text, s.range.clone())),
        selection_range: range(&s.heading.title_range),
        children: Some(s.sections.iter().map(|c| symbol(c, text, range)).collect()),
    }
}

/// `range` from the start of its first line to the end of its last line, its final line
/// break left out. So a section ends on its own last line, and the next heading's line
/// (where it starts, at column 0) belongs to that heading alone: editors that treat a
/// range's end as inside it (VS Code's breadcrumbs) do not name the section before.
fn lines(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let body = &text[start..range.end];
    let line_break = if body.ends_with("\r\n") {
        2
    } else {
        usize::from(body.ends_with(['\n', '\r']))
    };
    start..range.end - line_break
}

fn flatten(
    symbols: &[DocumentSymbol],
    container: Option<&str>,
    uri: &Uri,
    out: &mut Vec<SymbolInformation>,
) {
    for symbol in symbols {
        #[allow(deprecated)]
        out.push(SymbolInformation {
            name: symbol.name.clone(),
            kind: symbol.kind,
            tags: None,
            deprecated: None,
            location: Location {
                uri: uri.clone(),
                range: symbol.range,
            },
            container_name: container.map(str::to_string),
        });
        if let Some(children) = &symbol.children {
            flatten(children, Some(&symbol.name), uri, out);
        }
    }
}
