//! `rst::parse_reusing` gives exactly `rst::parse`'s outline (sections, messages,
//! includes) after random edits of real specs, edit after edit, each parse reusing the
//! one before; and a small edit replays most of the document.

use std::sync::OnceLock;

use proptest::prelude::*;
use trove_spec_lsp::rst;

#[path = "support/mod.rs"]
mod support;

/// The corpus's specs (both repositories), read once.
fn specs() -> &'static [String] {
    static SPECS: OnceLock<Vec<String>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let mut paths: Vec<_> = walkdir::WalkDir::new(support::corpus())
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "rst"))
            .map(|e| e.into_path())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    })
}

/// What an edit inserts: what authors type, and the parser's corners.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("x".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("=====".to_owned()),
        Just("\n-----\n".to_owned()),
        Just("Title\n=====\n".to_owned()),
        Just("=====\nTitle\n=====\n".to_owned()),
        Just("\n----\n\n".to_owned()),
        Just("\n==\nAb\n==\n".to_owned()),
        Just("\n~~~\nTitle\n~~~\n".to_owned()),
        Just("\n***\nT\n***\n\n".to_owned()),
        Just("::".to_owned()),
        Just("::\n\n    code\n".to_owned()),
        Just(".. ".to_owned()),
        Just(".. note::\n\n   text\n".to_owned()),
        Just(".. _target:\n".to_owned()),
        Just(".. [1] note\n".to_owned()),
        Just("[1]_".to_owned()),
        Just("`ref`_".to_owned()),
        Just("__".to_owned()),
        Just("`".to_owned()),
        Just("*".to_owned()),
        Just("|sub|".to_owned()),
        Just("- ".to_owned()),
        Just("1. ".to_owned()),
        Just("#. item\n".to_owned()),
        Just(":f: ".to_owned()),
        Just("+---+\n| a |\n+---+\n".to_owned()),
        Just("=== ===\n".to_owned()),
        Just("   ".to_owned()),
        Just("\t".to_owned()),
        Just("\r".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("\u{4ed5}".to_owned()),
        "[ -~]{0,8}",
    ]
}

/// One edit: at a fraction of the text, delete up to some bytes, insert a piece.
#[derive(Debug, Clone)]
struct Edit {
    at: prop::sample::Index,
    delete: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        any::<prop::sample::Index>(),
        prop_oneof![4 => Just(0usize), 2 => 1usize..4, 1 => 0usize..400],
        piece(),
    )
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, e: &Edit) -> String {
    let start = boundary(text, e.at.index(text.len() + 1));
    let end = boundary(text, start + e.delete).max(start);
    format!("{}{}{}", &text[..start], e.insert, &text[end..])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn reusing_parses_exactly_as_a_fresh_parse(
        spec in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let specs = specs();
        let mut text = spec.get(specs).clone();
        let (_, mut reuse) = rst::parse_reusing(&text, None);
        for e in &edits {
            text = apply(&text, e);
            let (outline, next) = rst::parse_reusing(&text, Some(&reuse));
            prop_assert_eq!(&outline, &rst::parse(&text), "after {:?}", e);
            reuse = next;
        }
    }
}

#[test]
fn one_keystroke_replays_most_of_a_spec() {
    let specs = specs();
    let text = specs.iter().max_by_key(|t| t.len()).unwrap();
    let (_, reuse) = rst::parse_reusing(text, None);
    let (total, replayed) = reuse.constructs();
    assert!(total > 100, "{total} constructs");
    assert_eq!(replayed, 0);
    // a letter typed at the start of the middle line
    let mid = text.len() / 2;
    let at = mid + text[mid..].find('\n').unwrap() + 1;
    let edited = format!("{}x{}", &text[..at], &text[at..]);
    let (outline, reuse) = rst::parse_reusing(&edited, Some(&reuse));
    assert_eq!(outline, rst::parse(&edited));
    let (after, replayed) = reuse.constructs();
    assert!(
        replayed * 10 >= after * 9,
        "{replayed} of {after} constructs replayed"
    );
}

#[test]
fn a_huge_document_keeps_nothing_to_reuse() {
    // more lines than are worth keeping
    let lines = "word\n\n".repeat(60_000);
    assert_eq!(rst::parse_reusing(&lines, None).1.constructs(), (0, 0));
    // a few thousand lines, but 300,000 references
    let references =
        "a_ b_ c_ d_ e_ f_ g_ h_ i_ j_ k_ l_ m_ n_ o_ p_ q_ r_ s_ t_\n\n".repeat(15_000);
    assert_eq!(rst::parse_reusing(&references, None).1.constructs(), (0, 0));
    // what is kept is used up to the limits
    let fine = "a_ b_\n\n".repeat(1_000);
    assert_eq!(rst::parse_reusing(&fine, None).1.constructs(), (1_000, 0));
}

#[test]
fn a_line_over_the_length_limit_is_found_where_an_edit_made_it() {
    // only the lines an edit split again are measured: the kept ones were measured when
    // the earlier text was parsed, and a text with such a line keeps nothing to reuse
    let long = "x".repeat(10_001);
    let text = "Title\n=====\n\nfirst\n\nsecond\n\nthird\n".to_string();
    let (_, reuse) = rst::parse_reusing(&text, None);
    let edited = text.replace("second", &long);
    let (outline, over) = rst::parse_reusing(&edited, Some(&reuse));
    assert_eq!(outline, rst::parse(&edited));
    assert!(outline.messages[0].text.contains("line-length-limit"));
    assert_eq!(over.constructs(), (0, 0));
    let (outline, _) = rst::parse_reusing(&text, Some(&over));
    assert_eq!(outline, rst::parse(&text));
    // a long line typed at the end of a kept one
    let (outline, _) = rst::parse_reusing(&text.replace("third", &long), Some(&reuse));
    assert_eq!(outline, rst::parse(&text.replace("third", &long)));
}
