//! What docutils 0.21 does with a directive's block, by directive name: whether its
//! content is parsed as nested body elements (where a heading-like line is an
//! "unexpected section title"), and whether the node it leaves in the tree may precede
//! the document title (docutils' `PreBibliographic` nodes). Names docutils does not know
//! (Sphinx's `toctree`, `graphviz`, ...) become an error message: invisible to title
//! promotion, content not parsed.

/// How docutils treats a directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// Content parsed as body elements; leaves a visible node. `args` tells whether
    /// the directive takes arguments (then content starts after the first blank line).
    Body { args: bool },
    /// Content kept verbatim (or none); leaves a visible node.
    Opaque,
    /// Leaves only nodes that may precede the document title (or nothing at all).
    Invisible,
    /// Not a docutils directive: an error message, nothing else.
    Unknown,
}

/// Look a directive name up the way docutils does (case-insensitively, English names).
pub fn lookup(name: &str) -> Directive {
    let lower;
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    match name {
        "attention" | "caution" | "danger" | "error" | "hint" | "important" | "note" | "tip"
        | "warning" | "compound" | "epigraph" | "highlights" | "pull-quote" => {
            Directive::Body { args: false }
        }
        "admonition" | "sidebar" | "topic" | "container" | "figure" | "table" | "list-table" => {
            Directive::Body { args: true }
        }
        "code" | "code-block" | "sourcecode" | "math" | "parsed-literal" | "line-block"
        | "csv-table" | "image" | "rubric" | "contents" => Directive::Opaque,
        "meta"
        | "raw"
        | "include"
        | "replace"
        | "unicode"
        | "date"
        | "class"
        | "role"
        | "default-role"
        | "title"
        | "sectnum"
        | "section-numbering"
        | "header"
        | "footer"
        | "target-notes"
        | "restructuredtext-test-directive" => Directive::Invisible,
        _ => Directive::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_directives() {
        assert_eq!(lookup("note"), Directive::Body { args: false });
        assert_eq!(lookup("NOTE"), Directive::Body { args: false });
        assert_eq!(lookup("code-block"), Directive::Opaque);
        assert_eq!(lookup("sectnum"), Directive::Invisible);
        assert_eq!(lookup("toctree"), Directive::Unknown);
        assert_eq!(lookup("graphviz"), Directive::Unknown);
    }
}
