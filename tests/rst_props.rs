//! Properties of `rst::parse` on arbitrary text: it never panics, every range lies inside
//! the document on character boundaries, and section ranges nest.

use std::ops::Range;

use proptest::prelude::*;
use trove_spec_lsp::rst::{self, Heading, Section};

/// Pieces that exercise the parser's corners: adornments, markup starts, odd line
/// breaks, tabs, multi-byte and zero-width characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("=====".to_owned()),
        Just("---".to_owned()),
        Just("~".to_owned()),
        Just("Title".to_owned()),
        Just("::".to_owned()),
        Just(".. ".to_owned()),
        Just("..".to_owned()),
        Just(".. note::".to_owned()),
        Just(".. code-block:: rst".to_owned()),
        Just(".. |s| replace:: x".to_owned()),
        Just("- ".to_owned()),
        Just("1. ".to_owned()),
        Just(":f: ".to_owned()),
        Just("+---+".to_owned()),
        Just("=== ===".to_owned()),
        Just("-- a".to_owned()),
        Just("   ".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\u{b}\u{c}\u{1c}\u{85}\u{2028}".to_owned()),
        Just("\u{4ed5}\u{69d8}".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("\u{200b}\u{feff}".to_owned()),
        Just("\u{a0}\u{3000}".to_owned()),
        "[ -~]{0,12}",
        any::<char>().prop_map(String::from),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

fn check_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(range.start <= range.end, "{what}: {range:?} is reversed");
    assert!(
        range.end <= text.len(),
        "{what}: {range:?} ends past {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start),
        "{what}: {range:?} starts inside a character"
    );
    assert!(
        text.is_char_boundary(range.end),
        "{what}: {range:?} ends inside a character"
    );
}

fn check_heading(text: &str, heading: &Heading) {
    check_range(text, &heading.title_range, "title");
    check_range(text, &heading.underline, "underline");
    if let Some(overline) = &heading.overline {
        check_range(text, overline, "overline");
        assert!(
            overline.end <= heading.title_range.start,
            "overline after title"
        );
    }
    assert!(
        heading.title_range.end <= heading.underline.start,
        "title after underline"
    );
    check_range(text, &heading.range(), "heading");
}

fn check_sections(text: &str, sections: &[Section], within: &Range<usize>) {
    let mut previous_end = within.start;
    for section in sections {
        check_heading(text, &section.heading);
        check_range(text, &section.range, "section");
        check_range(text, &section.body, "body");
        assert!(section.range.start >= previous_end, "sections overlap");
        assert!(
            section.range.start >= within.start && section.range.end <= within.end,
            "section escapes its parent"
        );
        assert_eq!(
            section.range.start,
            section.heading.range().start,
            "section starts at its heading"
        );
        assert!(
            section.heading.range().end <= section.body.start,
            "body starts after the heading"
        );
        assert!(
            section.body.end == section.range.end,
            "body ends with the section"
        );
        check_sections(text, &section.sections, &section.body);
        previous_end = section.range.end;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn ranges_lie_inside_the_document_and_nest(text in document()) {
        let outline = rst::parse(&text);
        for heading in outline.title.iter().chain(outline.subtitle.iter()) {
            check_heading(&text, heading);
        }
        check_sections(&text, &outline.sections, &(0..text.len()));
        for message in &outline.messages {
            check_range(&text, &message.range, "message");
            prop_assert!(message.line >= 1);
            prop_assert!((1..=4).contains(&message.level));
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let outline = rst::parse(&text);
        check_sections(&text, &outline.sections, &(0..text.len()));
    }
}

#[test]
fn deep_indentation_staircase_does_not_overflow() {
    let text: String = (0..5_000)
        .map(|i| format!("{}x\n", " ".repeat(i % 400)))
        .collect();
    let outline = rst::parse(&text);
    assert!(outline.sections.is_empty());
}
