//! What docutils 0.21 does with a directive, by name: whether its content is parsed as
//! nested body elements (where a heading-like line is an "unexpected section title"),
//! which arguments and options it takes (a wrong one turns the whole directive into an
//! error message), and whether what it leaves in the tree may precede the document
//! title (docutils' `PreBibliographic` nodes). Names docutils does not know (Sphinx's
//! `toctree`, `graphviz`, ...) become an error message: invisible to title promotion,
//! content not parsed.

use super::options::{Options, Value as V};

/// What the directive leaves in the document when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A visible node whose content is parsed as body elements.
    Body,
    /// A visible node; content kept verbatim (or none).
    Opaque,
    /// Only nodes that may precede the document title.
    Invisible,
    /// Nodes docutils inserts at the start of the document (`meta`).
    DocumentStart,
    /// No node by the time docutils checks transitions (settings, decorations, or a
    /// `pending` node a transform removes).
    Nothing,
}

/// Whether a directive takes an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Args {
    None,
    Optional,
    Required,
}

/// Whether a directive takes content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Forbidden,
    Optional,
    Required,
    /// Required, and must be a table (`table`).
    Table,
    /// Required, and must be a bullet list (`list-table`).
    BulletList,
}

/// docutils' definition of a directive, as far as sections are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub kind: Kind,
    pub args: Args,
    /// Option names and conversions (`option_spec`), `None` when the directive has no
    /// options at all.
    pub options: Option<Options>,
    pub content: Content,
    /// Only allowed where sections are (topic, sidebar, contents).
    pub top_only: bool,
    /// The argument is a list of class names (class, container).
    pub class_argument: bool,
    /// The argument may not contain whitespace (`code`: a language name).
    pub one_word_argument: bool,
}

const CLASS_NAME: Options = &[("class", V::Class), ("name", V::Any)];
const ALIGN: V = V::Choice(&["left", "center", "right"]);
const IMAGE: Options = &[
    ("alt", V::Any),
    ("height", V::Length),
    ("width", V::LengthOrPercentage),
    ("scale", V::Percentage),
    (
        "align",
        V::Choice(&["top", "middle", "bottom", "left", "center", "right"]),
    ),
    ("target", V::Required),
    ("loading", V::Choice(&["embed", "link", "lazy"])),
    ("class", V::Class),
    ("name", V::Any),
];
const FIGURE: Options = &[
    ("alt", V::Any),
    ("height", V::Length),
    ("width", V::LengthOrPercentage),
    ("scale", V::Percentage),
    ("align", ALIGN),
    ("target", V::Required),
    ("loading", V::Choice(&["embed", "link", "lazy"])),
    ("class", V::Class),
    ("name", V::Any),
    ("figwidth", V::FigureWidth),
    ("figclass", V::Class),
];
const TABLE: Options = &[
    ("align", ALIGN),
    ("width", V::LengthOrPercentage),
    ("widths", V::Widths(&["auto", "grid"])),
    ("class", V::Class),
    ("name", V::Any),
];
const LIST_TABLE: Options = &[
    ("header-rows", V::NonNegative),
    ("stub-columns", V::NonNegative),
    ("width", V::LengthOrPercentage),
    ("widths", V::Widths(&["auto"])),
    ("class", V::Class),
    ("name", V::Any),
    ("align", ALIGN),
];
const CSV_TABLE: Options = &[
    ("header-rows", V::NonNegative),
    ("stub-columns", V::NonNegative),
    ("header", V::Any),
    ("width", V::LengthOrPercentage),
    ("widths", V::Widths(&["auto"])),
    ("file", V::Required),
    ("url", V::Required),
    ("encoding", V::Encoding),
    ("class", V::Class),
    ("name", V::Any),
    ("align", ALIGN),
    ("delim", V::CharOrWhitespace),
    ("keepspace", V::Flag),
    ("quote", V::Char),
    ("escape", V::Char),
];

const fn spec(kind: Kind, args: Args, options: Option<Options>, content: Content) -> Spec {
    Spec {
        kind,
        args,
        options,
        content,
        top_only: false,
        class_argument: false,
        one_word_argument: false,
    }
}

/// Look a directive name up the way docutils does (case-insensitively, English names).
/// `None` for a directive docutils does not know.
pub fn lookup(name: &str) -> Option<Spec> {
    use {Args as A, Content as C, Kind as K};
    let lower;
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    Some(match name {
        "attention" | "caution" | "danger" | "error" | "hint" | "important" | "note" | "tip"
        | "warning" | "compound" => spec(K::Body, A::None, Some(CLASS_NAME), C::Required),
        "admonition" => spec(K::Body, A::Required, Some(CLASS_NAME), C::Required),
        "topic" => Spec {
            top_only: true,
            ..spec(K::Body, A::Required, Some(CLASS_NAME), C::Required)
        },
        "sidebar" => Spec {
            top_only: true,
            ..spec(
                K::Body,
                A::Optional,
                Some(&[
                    ("class", V::Class),
                    ("name", V::Any),
                    ("subtitle", V::Required),
                ]),
                C::Required,
            )
        },
        "container" => Spec {
            class_argument: true,
            ..spec(K::Body, A::Optional, Some(&[("name", V::Any)]), C::Required)
        },
        "epigraph" | "highlights" | "pull-quote" => spec(K::Body, A::None, None, C::Required),
        "figure" => spec(K::Body, A::Required, Some(FIGURE), C::Optional),
        "table" => spec(K::Body, A::Optional, Some(TABLE), C::Table),
        "list-table" => spec(K::Body, A::Optional, Some(LIST_TABLE), C::BulletList),
        "class" => Spec {
            class_argument: true,
            ..spec(K::Body, A::Required, None, C::Optional)
        },
        "code" | "code-block" | "sourcecode" => Spec {
            one_word_argument: true,
            ..spec(
                K::Opaque,
                A::Optional,
                Some(&[
                    ("class", V::Class),
                    ("name", V::Any),
                    ("number-lines", V::Any),
                ]),
                C::Required,
            )
        },
        "math" | "parsed-literal" | "line-block" => {
            spec(K::Opaque, A::None, Some(CLASS_NAME), C::Required)
        }
        "csv-table" => spec(K::Opaque, A::Optional, Some(CSV_TABLE), C::Optional),
        "image" => spec(K::Opaque, A::Required, Some(IMAGE), C::Forbidden),
        "rubric" => spec(K::Opaque, A::Required, Some(CLASS_NAME), C::Forbidden),
        "contents" => Spec {
            top_only: true,
            ..spec(
                K::Opaque,
                A::Optional,
                Some(&[
                    ("depth", V::NonNegative),
                    ("local", V::Flag),
                    ("backlinks", V::Choice(&["top", "entry", "none"])),
                    ("class", V::Class),
                ]),
                C::Forbidden,
            )
        },
        "meta" => spec(K::DocumentStart, A::None, None, C::Required),
        "include" => spec(
            K::Invisible,
            A::Optional,
            Some(&[
                ("literal", V::Flag),
                ("code", V::Any),
                ("encoding", V::Encoding),
                ("parser", V::Any),
                ("tab-width", V::Int),
                ("start-line", V::Int),
                ("end-line", V::Int),
                ("start-after", V::Required),
                ("end-before", V::Required),
                ("number-lines", V::Any),
                ("class", V::Class),
                ("name", V::Any),
            ]),
            C::Optional,
        ),
        "raw" => spec(
            K::Invisible,
            A::Optional,
            Some(&[
                ("file", V::Required),
                ("url", V::Required),
                ("encoding", V::Encoding),
                ("class", V::Class),
            ]),
            C::Optional,
        ),
        "replace" | "unicode" | "date" | "target-notes" | "restructuredtext-test-directive" => {
            spec(K::Invisible, A::Optional, None, C::Optional)
        }
        "role" | "default-role" | "title" | "sectnum" | "section-numbering" | "header"
        | "footer" => spec(K::Nothing, A::Optional, None, C::Optional),
        _ => return None,
    })
}

/// The options Sphinx gives a directive it replaces (its `code`, `code-block`, `math`),
/// where they differ from docutils'.
pub fn sphinx_options(name: &str) -> Option<Options> {
    match name.to_ascii_lowercase().as_str() {
        "code-block" | "sourcecode" => Some(&[
            ("force", V::Flag),
            ("linenos", V::Flag),
            ("dedent", V::OptionalNonNegative),
            ("lineno-start", V::Int),
            ("emphasize-lines", V::Required),
            ("caption", V::Required),
            ("class", V::Class),
            ("name", V::Any),
        ]),
        "code" => Some(&[
            ("class", V::Class),
            ("force", V::Flag),
            ("name", V::Any),
            ("number-lines", V::OptionalNonNegative),
        ]),
        "math" => Some(&[
            ("label", V::Any),
            ("name", V::Any),
            ("class", V::Class),
            ("nowrap", V::Flag),
        ]),
        "rubric" => Some(&[
            ("class", V::Class),
            ("name", V::Any),
            ("heading-level", V::Choice(&["1", "2", "3", "4", "5", "6"])),
        ]),
        _ => None,
    }
}

/// Sphinx directives (not docutils') whose content Sphinx parses as body elements:
/// their content is checked like a `note`'s.
pub fn sphinx_body(name: &str) -> Option<Spec> {
    use {Args as A, Content as C, Kind as K};
    Some(match name {
        "seealso" => spec(K::Body, A::Optional, None, C::Optional),
        "todo" => spec(K::Body, A::None, Some(CLASS_NAME), C::Required),
        "only" | "ifconfig" => spec(K::Body, A::Required, None, C::Required),
        "versionadded" | "versionchanged" | "deprecated" | "versionremoved" => {
            spec(K::Body, A::Required, None, C::Optional)
        }
        "hlist" => spec(K::Body, A::None, Some(&[("columns", V::Int)]), C::Required),
        _ => return None,
    })
}

/// Sphinx directives (not docutils') whose content is not reStructuredText and whose
/// arguments, options and content Sphinx checks as docutils checks its own
/// (`toctree`, `literalinclude`, `highlight`, `index`, graphviz's): a refused one is
/// an error message in the docs build.
pub fn sphinx_checked(name: &str) -> Option<Spec> {
    use {Args as A, Content as C, Kind as K};
    const TOCTREE: Options = &[
        ("maxdepth", V::Int),
        ("name", V::Any),
        ("class", V::Class),
        ("caption", V::Required),
        ("glob", V::Flag),
        ("hidden", V::Flag),
        ("includehidden", V::Flag),
        ("numbered", V::IntOrNothing),
        ("titlesonly", V::Flag),
        ("reversed", V::Flag),
    ];
    const LITERALINCLUDE: Options = &[
        ("dedent", V::OptionalNonNegative),
        ("linenos", V::Flag),
        ("lineno-start", V::Int),
        ("lineno-match", V::Flag),
        ("tab-width", V::Int),
        ("language", V::Required),
        ("force", V::Flag),
        ("encoding", V::Encoding),
        ("pyobject", V::Required),
        ("lines", V::Required),
        ("start-after", V::Required),
        ("end-before", V::Required),
        ("start-at", V::Required),
        ("end-at", V::Required),
        ("prepend", V::Required),
        ("append", V::Required),
        ("emphasize-lines", V::Required),
        ("caption", V::Any),
        ("class", V::Class),
        ("name", V::Any),
        ("diff", V::Required),
    ];
    const GRAPHVIZ: Options = &[
        ("alt", V::Any),
        ("align", ALIGN),
        ("caption", V::Any),
        ("layout", V::Any),
        ("graphviz_dot", V::Any),
        ("name", V::Any),
        ("class", V::Class),
    ];
    let one_word = |spec: Spec| Spec {
        one_word_argument: true,
        ..spec
    };
    Some(match name.to_ascii_lowercase().as_str() {
        "toctree" => spec(K::Opaque, A::None, Some(TOCTREE), C::Optional),
        "literalinclude" => spec(K::Opaque, A::Required, Some(LITERALINCLUDE), C::Forbidden),
        "highlight" => one_word(spec(
            K::Opaque,
            A::Required,
            Some(&[("force", V::Flag), ("linenothreshold", V::Positive)]),
            C::Forbidden,
        )),
        "index" => spec(
            K::Opaque,
            A::Required,
            Some(&[("name", V::Any)]),
            C::Forbidden,
        ),
        "graphviz" => one_word(spec(K::Opaque, A::Optional, Some(GRAPHVIZ), C::Optional)),
        "graph" | "digraph" => one_word(spec(K::Opaque, A::Required, Some(GRAPHVIZ), C::Optional)),
        _ => return None,
    })
}

/// Sphinx and extension directives whose content is not reStructuredText (code,
/// diagrams, file names, data).
pub fn sphinx_opaque(name: &str) -> bool {
    matches!(
        name,
        "toctree"
            | "graphviz"
            | "graph"
            | "digraph"
            | "blockdiag"
            | "seqdiag"
            | "nwdiag"
            | "actdiag"
            | "rackdiag"
            | "packetdiag"
            | "mermaid"
            | "plantuml"
            | "uml"
            | "program-output"
            | "command-output"
            | "literalinclude"
            | "productionlist"
            | "highlight"
            | "jsonschema"
            | "tabularcolumns"
            | "index"
            | "rest_parameters"
            | "rest_method"
            | "rest_expand_all"
            | "rest_status_code"
            | "show-options"
            | "todolist"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_directives() {
        assert_eq!(lookup("note").map(|s| s.kind), Some(Kind::Body));
        assert_eq!(lookup("NOTE").map(|s| s.kind), Some(Kind::Body));
        assert_eq!(lookup("code-block").map(|s| s.kind), Some(Kind::Opaque));
        assert_eq!(lookup("raw").map(|s| s.kind), Some(Kind::Invisible));
        assert_eq!(lookup("sectnum").map(|s| s.kind), Some(Kind::Nothing));
        assert_eq!(lookup("toctree"), None);
        assert_eq!(lookup("graphviz"), None);
    }
}
