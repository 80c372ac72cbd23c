//! Document symbols: the heading tree (the document title, then its sections and their
//! subsections), or a flat list for clients without hierarchical symbol support.

use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolResponse, Location, SymbolInformation, SymbolKind, Uri,
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

fn tree(analyzed: &Analyzed, features: &ClientFeatures) -> Vec<DocumentSymbol> {
    let enc = features.encoding;
    let range = |r: &std::ops::Range<usize>| proto::range(&analyzed.text, &analyzed.index, r, enc);
    let outline = &analyzed.analysis.outline;
    fn section(
        s: &Section,
        range: &dyn Fn(&std::ops::Range<usize>) -> tower_lsp_server::ls_types::Range,
    ) -> DocumentSymbol {
        #[allow(deprecated)] // `deprecated` must still be spelled out
        DocumentSymbol {
            name: s.heading.title.clone(),
            detail: None,
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range: range(&s.range),
            selection_range: range(&s.heading.title_range),
            children: Some(s.sections.iter().map(|c| section(c, range)).collect()),
        }
    }
    let sections: Vec<DocumentSymbol> = outline
        .sections
        .iter()
        .map(|s| section(s, &range))
        .collect();
    match &outline.title {
        Some(title) => {
            let heading = title.range();
            #[allow(deprecated)]
            let root = DocumentSymbol {
                name: title.title.clone(),
                detail: Some("document title".to_string()),
                kind: SymbolKind::FILE,
                tags: None,
                deprecated: None,
                range: range(&(heading.start..analyzed.text.len())),
                selection_range: range(&title.title_range),
                children: Some(sections),
            };
            vec![root]
        }
        None => sections,
    }
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
