//! The directive and role names the docs build knows: docutils' own, Sphinx 8.1's
//! (its `py` and `std` domains unprefixed, every domain prefixed), and the extensions
//! spec repositories enable (autodoc, graphviz, ifconfig, todo, viewcode; blockdiag,
//! seqdiag, nwdiag, actdiag, mermaid, plantuml, programoutput, jsonschema, oslo.config,
//! os-api-ref's `rest_*`, httpdomain). Listed from a Sphinx application set up as
//! `scripts/oracles.py` sets it up, sorted, lower case (docutils and Sphinx compare
//! names case-insensitively). A repository adds its own with the `directives` and
//! `roles` configuration keys.

/// Directive names the docs build accepts.
pub const DIRECTIVES: &[&str] = &[
    "acks",
    "actdiag",
    "admonition",
    "attention",
    "attribute",
    "autoattribute",
    "autoclass",
    "autodata",
    "autodecorator",
    "autoexception",
    "autofunction",
    "automethod",
    "automodule",
    "autoproperty",
    "blockdiag",
    "c:alias",
    "c:enum",
    "c:enumerator",
    "c:function",
    "c:macro",
    "c:member",
    "c:namespace",
    "c:namespace-pop",
    "c:namespace-push",
    "c:struct",
    "c:type",
    "c:union",
    "c:var",
    "caution",
    "centered",
    "class",
    "classmethod",
    "cmdoption",
    "code",
    "code-block",
    "codeauthor",
    "command-output",
    "compound",
    "confval",
    "container",
    "contents",
    "cpp:alias",
    "cpp:class",
    "cpp:concept",
    "cpp:enum",
    "cpp:enum-class",
    "cpp:enum-struct",
    "cpp:enumerator",
    "cpp:function",
    "cpp:member",
    "cpp:namespace",
    "cpp:namespace-pop",
    "cpp:namespace-push",
    "cpp:struct",
    "cpp:type",
    "cpp:union",
    "cpp:var",
    "cssclass",
    "csv-table",
    "currentmodule",
    "danger",
    "data",
    "date",
    "decorator",
    "decoratormethod",
    "default-domain",
    "default-role",
    "deprecated",
    "describe",
    "digraph",
    "envvar",
    "epigraph",
    "error",
    "exception",
    "figure",
    "footer",
    "function",
    "glossary",
    "graph",
    "graphviz",
    "header",
    "highlight",
    "highlights",
    "hint",
    "hlist",
    "http:delete",
    "http:get",
    "http:head",
    "http:options",
    "http:patch",
    "http:post",
    "http:put",
    "ifconfig",
    "image",
    "important",
    "include",
    "index",
    "js:attribute",
    "js:class",
    "js:data",
    "js:function",
    "js:method",
    "js:module",
    "jsonschema",
    "line-block",
    "list-table",
    "literalinclude",
    "math",
    "mermaid",
    "meta",
    "method",
    "module",
    "moduleauthor",
    "note",
    "nwdiag",
    "object",
    "only",
    "option",
    "oslo.config:group",
    "oslo.config:option",
    "parsed-literal",
    "plantuml",
    "productionlist",
    "program",
    "programoutput",
    "property",
    "pull-quote",
    "py:attribute",
    "py:class",
    "py:classmethod",
    "py:currentmodule",
    "py:data",
    "py:decorator",
    "py:decoratormethod",
    "py:exception",
    "py:function",
    "py:method",
    "py:module",
    "py:property",
    "py:staticmethod",
    "py:type",
    "raw",
    "replace",
    "rest_expand_all",
    "rest_method",
    "rest_parameters",
    "rest_status_code",
    "restructuredtext-test-directive",
    "role",
    "rst-class",
    "rst:directive",
    "rst:directive:option",
    "rst:role",
    "rubric",
    "section-numbering",
    "sectionauthor",
    "sectnum",
    "seealso",
    "seqdiag",
    "show-options",
    "sidebar",
    "sourcecode",
    "staticmethod",
    "std:cmdoption",
    "std:confval",
    "std:envvar",
    "std:glossary",
    "std:option",
    "std:productionlist",
    "std:program",
    "table",
    "tabularcolumns",
    "target-notes",
    "tip",
    "title",
    "toctree",
    "todo",
    "todolist",
    "topic",
    "type",
    "unicode",
    "versionadded",
    "versionchanged",
    "versionremoved",
    "warning",
];

/// Interpreted text role names the docs build accepts.
pub const ROLES: &[&str] = &[
    "ab",
    "abbr",
    "abbreviation",
    "ac",
    "acronym",
    "anonymous-reference",
    "any",
    "attr",
    "c:data",
    "c:enum",
    "c:enumerator",
    "c:expr",
    "c:func",
    "c:macro",
    "c:member",
    "c:struct",
    "c:texpr",
    "c:type",
    "c:union",
    "c:var",
    "citation-reference",
    "class",
    "code",
    "command",
    "confval",
    "const",
    "cpp:any",
    "cpp:class",
    "cpp:concept",
    "cpp:enum",
    "cpp:enumerator",
    "cpp:expr",
    "cpp:func",
    "cpp:member",
    "cpp:struct",
    "cpp:texpr",
    "cpp:type",
    "cpp:union",
    "cpp:var",
    "cve",
    "cwe",
    "data",
    "dfn",
    "doc",
    "download",
    "emphasis",
    "envvar",
    "eq",
    "exc",
    "file",
    "footnote-reference",
    "func",
    "guilabel",
    "http:delete",
    "http:get",
    "http:patch",
    "http:post",
    "http:put",
    "i",
    "index",
    "js:attr",
    "js:class",
    "js:data",
    "js:func",
    "js:meth",
    "js:mod",
    "kbd",
    "keyword",
    "literal",
    "mailheader",
    "makevar",
    "manpage",
    "math",
    "math:numref",
    "menuselection",
    "meth",
    "mimetype",
    "mod",
    "named-reference",
    "newsgroup",
    "numref",
    "obj",
    "option",
    "oslo.config:group",
    "oslo.config:option",
    "pep",
    "pep-reference",
    "program",
    "py:attr",
    "py:class",
    "py:const",
    "py:data",
    "py:exc",
    "py:func",
    "py:meth",
    "py:mod",
    "py:obj",
    "py:type",
    "raw",
    "ref",
    "regexp",
    "restructuredtext-unimplemented-role",
    "rfc",
    "rfc-reference",
    "rst:dir",
    "rst:role",
    "samp",
    "std:confval",
    "std:doc",
    "std:envvar",
    "std:keyword",
    "std:numref",
    "std:option",
    "std:ref",
    "std:term",
    "std:token",
    "strong",
    "sub",
    "subscript",
    "substitution-reference",
    "sup",
    "superscript",
    "t",
    "target",
    "term",
    "title",
    "title-reference",
    "token",
    "type",
    "uri",
    "uri-reference",
    "url",
];

/// Whether `name` is in the sorted `list`, compared case-insensitively.
pub fn is_known(list: &[&str], name: &str) -> bool {
    let lower = name.to_lowercase();
    list.binary_search(&lower.as_str()).is_ok()
}

/// The known name closest to a misspelt `name` (at most two edits: a letter added,
/// removed, changed, or two swapped: the optimal string alignment distance), for a
/// "did you mean". Only the names whose length is near enough are compared (no fewer
/// edits than the lengths differ by). Comparing each of the 185 directive names (or 132
/// roles), each in a table allocated for it, took 52 of the 166 million instructions of
/// `check` of the corpus and the mutation corpus (callgrind), which report 21 unknown
/// names; now it executes 114 million.
pub fn closest<'a>(list: &[&'a str], name: &str) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let length = lower.chars().count();
    let limit = if length <= 4 { 1 } else { 2 };
    list.iter()
        .filter(|known| known.chars().count().abs_diff(length) <= limit)
        .map(|&known| (strsim::osa_distance(&lower, known), known))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Optimal string alignment distance (Levenshtein with adjacent transpositions),
    /// as the table of every prefix pair has it: what `closest` is checked against.
    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn names_are_sorted_for_the_binary_search() {
        assert!(DIRECTIVES.windows(2).all(|w| w[0] < w[1]));
        assert!(ROLES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn known_and_closest_names() {
        assert!(is_known(DIRECTIVES, "code-block"));
        assert!(is_known(DIRECTIVES, "Note"));
        assert!(is_known(ROLES, "ref"));
        assert!(!is_known(DIRECTIVES, "coed"));
        assert_eq!(closest(DIRECTIVES, "code-blcok"), Some("code-block"));
        assert_eq!(closest(DIRECTIVES, "cnotents"), Some("contents"));
        assert_eq!(closest(ROLES, "reff"), Some("ref"));
        assert_eq!(closest(DIRECTIVES, "zzzzzzzz"), None);
    }

    /// `closest` as every name compared, by [`distance`], finds it.
    fn closest_of_all<'a>(list: &[&'a str], name: &str) -> Option<&'a str> {
        let lower = name.to_lowercase();
        let limit = if lower.chars().count() <= 4 { 1 } else { 2 };
        list.iter()
            .map(|&known| (distance(&lower, known), known))
            .filter(|&(d, _)| d <= limit)
            .min_by_key(|&(d, _)| d)
            .map(|(_, known)| known)
    }

    proptest::proptest! {
        /// A known name with up to three edits (a letter added, removed, changed, two
        /// swapped), or any name: the closest is the one comparing every name gives.
        #[test]
        fn the_closest_name_is_the_one_comparing_every_name_gives(
            pick in 0..DIRECTIVES.len() + ROLES.len(),
            edits in proptest::collection::vec((0usize..20, 0u8..4, "[a-zé:-]"), 0..4),
            any in proptest::option::of("[a-zA-Zé:-]{0,14}"),
        ) {
            let name = any.unwrap_or_else(|| {
                let known = DIRECTIVES.iter().chain(ROLES).nth(pick).unwrap();
                let mut name: Vec<char> = known.chars().collect();
                for (at, edit, letter) in edits {
                    let letter = letter.chars().next().unwrap();
                    let at = at % (name.len() + 1);
                    match edit {
                        0 => name.insert(at, letter),
                        1 if at < name.len() => drop(name.remove(at)),
                        2 if at < name.len() => name[at] = letter,
                        3 if at + 1 < name.len() => name.swap(at, at + 1),
                        _ => {}
                    }
                }
                name.into_iter().collect()
            });
            for list in [DIRECTIVES, ROLES] {
                proptest::prop_assert_eq!(closest(list, &name), closest_of_all(list, &name));
            }
        }
    }
}
