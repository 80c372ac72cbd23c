//! Unit fixtures for the section parser, one docutils rule each. Every expectation was
//! produced by docutils 0.21.2 (`publish_doctree`) on the same text: the promoted title
//! (`title: ...`), the section tree as `Title @underline-line` indented by nesting, then
//! docutils' messages about titles as `! level@line text`.

use super::{Outline, Section, parse};

/// The outline in the fixtures' notation.
fn render(outline: &Outline) -> Vec<String> {
    fn walk(sections: &[Section], depth: usize, out: &mut Vec<String>) {
        for s in sections {
            out.push(format!(
                "{}{} @{}",
                "  ".repeat(depth),
                s.heading.title,
                s.heading.line
            ));
            walk(&s.sections, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    if let Some(title) = &outline.title {
        out.push(format!("title: {}", title.title));
    }
    if let Some(subtitle) = &outline.subtitle {
        out.push(format!("subtitle: {}", subtitle.title));
    }
    walk(&outline.sections, 0, &mut out);
    let mut messages: Vec<_> = outline.messages.iter().collect();
    messages.sort_by_key(|m| (m.line, m.level, m.text.lines().next().unwrap_or("")));
    for m in messages {
        let elsewhere = match m.elsewhere {
            true => format!(" (docutils reports it on line {})", m.line),
            false => String::new(),
        };
        out.push(format!(
            "! {}@{} {}{elsewhere}",
            m.level,
            m.line,
            m.text.lines().next().unwrap_or("")
        ));
    }
    out
}

/// The messages lines of [`render`] for `text` ("! level@line text").
fn messages_of(text: &str) -> Vec<String> {
    render(&parse(text))
        .into_iter()
        .filter(|m| m.starts_with('!'))
        .collect()
}

/// Underlined titles; the second style seen is the second level.
#[test]
fn underline_only_titles() {
    let text = "Intro\n=====\n\ntext\n\nMore\n====\n\nDetail\n------\n\ntext\n";
    let expected = ["Intro @2", "More @7", "  Detail @10"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn styles_by_first_appearance() {
    let text = "A\n~\n\nB\n*\n\nC\n~\n\nD\n*\n\nE\n#\n";
    let expected = ["A @2", "  B @5", "C @8", "  D @11", "    E @14"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn overline_style_differs_from_underline_style() {
    let text = "=====\nOne\n=====\n\nTwo\n===\n\n=====\nThree\n=====\n\nFour\n====\n\ntext\n";
    let expected = ["One @3", "  Two @6", "Three @10", "  Four @13"];
    assert_eq!(render(&parse(text)), expected);
}

/// All 32 punctuation characters docutils accepts, each a new nested level.
#[test]
fn every_adornment_character() {
    let text = "T0\n!!!\n\nT1\n\"\"\"\n\nT2\n###\n\nT3\n$$$\n\nT4\n%%%\n\nT5\n&&&\n\nT6\n'''\n\nT7\n(((\n\nT8\n)))\n\nT9\n***\n\nT10\n+++\n\nT11\n,,,\n\nT12\n---\n\nT13\n...\n\nT14\n///\n\nT15\n:::\n\nT16\n;;;\n\nT17\n<<<\n\nT18\n===\n\nT19\n>>>\n\nT20\n???\n\nT21\n@@@\n\nT22\n[[[\n\nT23\n\\\\\\\n\nT24\n]]]\n\nT25\n^^^\n\nT26\n___\n\nT27\n```\n\nT28\n{{{\n\nT29\n|||\n\nT30\n}}}\n\nT31\n~~~\n\n";
    let expected = [
        "title: T0",
        "subtitle: T1",
        "T2 @8",
        "  T3 @11",
        "    T4 @14",
        "      T5 @17",
        "        T6 @20",
        "          T7 @23",
        "            T8 @26",
        "              T9 @29",
        "                T10 @32",
        "                  T11 @35",
        "                    T12 @38",
        "                      T13 @41",
        "                        T14 @44",
        "                          T15 @47",
        "                            T16 @50",
        "                              T17 @53",
        "                                T18 @56",
        "                                  T19 @59",
        "                                    T20 @62",
        "                                      T21 @65",
        "                                        T22 @68",
        "                                          T23 @71",
        "                                            T24 @74",
        "                                              T25 @77",
        "                                                T26 @80",
        "                                                  T27 @83",
        "                                                    T28 @86",
        "                                                      T29 @89",
        "                                                        T30 @92",
        "                                                          T31 @95",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn non_adornment_underline_is_text() {
    let text = "Title\naaaaa\n\nTitle\n§§§§§\n\nReal\n====\n";
    let expected = ["Real @8"];
    assert_eq!(render(&parse(text)), expected);
}

/// Under 4 characters and shorter than the title: ordinary text (info).
#[test]
fn underline_of_three_chars_too_short_is_text() {
    let text = "Title\n---\n\ntext\n";
    let expected = ["! 1@2 Possible title underline, too short for the title."];
    assert_eq!(render(&parse(text)), expected);
}

/// 4+ characters but shorter than the title: a section with a warning.
#[test]
fn underline_of_four_chars_too_short_is_title() {
    let text = "Long title\n----\n\ntext\n";
    let expected = ["title: Long title", "! 2@2 Title underline too short."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn overline_too_short() {
    let text = "======\nLong title\n======\n\ntext\n";
    let expected = ["title: Long title", "! 2@1 Title overline too short."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn short_overline_too_short_is_text() {
    let text = "==\nTitle\n==\n\ntext\n";
    let expected = ["! 1@1 Possible incomplete section title."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn overline_underline_mismatch() {
    let text = "=====\nTitle\n-----\n\ntext\n";
    let expected = ["! 4@1 Title overline & underline mismatch."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn overline_length_mismatch() {
    let text = "======\nTitle\n=====\n\ntext\n";
    let expected = ["! 4@1 Title overline & underline mismatch."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn missing_underline_after_overline() {
    let text = "=====\nTitle\ntext\n\nmore\n";
    let expected = ["! 4@1 Missing matching underline for section title overline."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn incomplete_title_at_end() {
    let text = "x\n\n=====\nTitle";
    let expected = ["! 4@3 Incomplete section title."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn indented_title_with_overline() {
    let text = "=========\n  Title\n=========\n\ntext\n";
    let expected = ["title: Title"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn indented_title_without_overline_is_a_block_quote() {
    let text = "Doc\n===\n\n  Title\n  =====\n\ntext\n";
    let expected = ["title: Doc", "! 4@5 Unexpected section title."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn transition_is_not_a_title() {
    let text = "Doc\n===\n\npara\n\n--------\n\npara\n\n----\n";
    let expected = [
        "title: Doc",
        "! 3@10 Document may not end with a transition.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn short_adornment_line_is_text() {
    let text = "Doc\n===\n\n---\n\npara\n";
    let expected = ["title: Doc"];
    assert_eq!(render(&parse(text)), expected);
}

/// docutils' Transitions transform: not first (comments count), not adjacent, not last.
#[test]
fn transition_errors() {
    let text = "----\n\ntext\n\n----\n\n----\n\nA\n=\n\n.. comment\n\n----\n\ntext\n\n----\n";
    let expected = [
        "A @10",
        "! 3@1 Document or section may not begin with a transition.",
        "! 3@7 At least one body element must separate transitions; adjacent transitions are not allowed.",
        "! 3@18 Document may not end with a transition.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn two_adornment_lines() {
    let text = "Doc\n===\n\n=====\n=====\n\npara\n";
    let expected = [
        "title: Doc",
        "! 3@4 Invalid section title or transition marker.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn literal_block_after_double_colon() {
    let text = "Doc\n===\n\nExample::\n\n    Not a title\n    ===========\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @10"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn expanded_double_colon_forms() {
    let text = "Doc\n===\n\nExample: ::\n\n    Hidden\n    ======\n\n::\n\n    Hidden too\n    ==========\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @15"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn quoted_literal_block() {
    let text = "Doc\n===\n\nQuoted::\n\n> Hidden\n> ======\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @10"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn quoted_literal_block_stops_at_other_text() {
    let text = "Doc\n===\n\nQuoted::\n\n=========\nStill text\n==========\n\ntail\n";
    let expected = [
        "Doc @2",
        "Still text @8",
        "! 3@7 Inconsistent literal block quoting.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

/// docutils' `QuotedLiteralBlock` ends at an indented line, which it reports, and the
/// line is parsed again after the block (as a block quote here, whose end it reports
/// too; docutils 0.21.2's messages).
#[test]
fn quoted_literal_block_stops_at_an_indented_line() {
    let text = "Doc\n===\n\nResponse::\n\n{\n   \"a\": 1\n}\n";
    let expected = [
        "title: Doc",
        "! 3@7 Unexpected indentation.",
        "! 2@8 Block quote ends without a blank line; unexpected unindent.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn code_block_hides_heading() {
    let text = "Doc\n===\n\n.. code-block:: rst\n\n   Not a title\n   ===========\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @10"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn unknown_directive_hides_heading() {
    let text = "Doc\n===\n\n.. toctree::\n   :maxdepth: 2\n\n   Not a title\n   ===========\n\nReal\n----\n";
    let expected = ["title: Doc", "subtitle: Real"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn note_directive_reports_unexpected_title() {
    let text = "Doc\n===\n\n.. note::\n\n   Inside\n   ======\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @10", "! 4@7 Unexpected section title."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn note_with_unknown_option_is_an_error() {
    let text = "Doc\n===\n\n.. note::\n   :bogus: x\n\n   Inside\n   ======\n\nReal\n----\n";
    let expected = [
        "title: Doc",
        "subtitle: Real",
        "! 3@4 Error in \"note\" directive: unknown option: \"bogus\".",
    ];
    assert_eq!(render(&parse(text)), expected);
}

/// Option values docutils 0.21.2 and Sphinx 8.1.3 refuse, each with the message the
/// docs build gives (run on the same text); and values and names they take.
#[test]
fn option_values_are_converted_as_docutils_converts_them() {
    let refused = [
        (
            ".. image:: a.png\n   :align: centre\n",
            "Error in \"image\" directive: invalid option value: (option: \"align\"; value: 'centre') \"centre\" unknown; choose from \"top\", \"middle\", \"bottom\", \"left\", \"center\", or \"right\".",
        ),
        (
            ".. note::\n   :class: a\n   :Class: b\n\n   Text.\n",
            "Error in \"note\" directive: invalid option data: duplicate option \"class\".",
        ),
        (
            ".. table:: T\n   :widths: 20\n      abc\n\n   ===  ===\n   a    b\n   ===  ===\n",
            "Error in \"table\" directive: invalid option value: (option: \"widths\"; value: '20\\nabc') invalid literal for int() with base 10: 'abc'.",
        ),
        (
            ".. list-table::\n   :header rows: 1\n\n   * - a\n",
            "Error in \"list-table\" directive: invalid option data: extension option field name may not contain multiple words.",
        ),
        (
            ".. figure:: a.png\n   :class:\n",
            "Error in \"figure\" directive: invalid option value: (option: \"class\"; value: None) argument required but none supplied.",
        ),
        (
            ".. code-block:: python\n   :linenos: true\n\n   a = 1\n",
            "Error in \"code-block\" directive: invalid option value: (option: \"linenos\"; value: 'true') no argument is allowed; \"true\" supplied.",
        ),
        (
            ".. rubric:: Notes\n   :heading-level: 7\n",
            "Error in \"rubric\" directive: invalid option value: (option: \"heading-level\"; value: '7') \"7\" unknown; choose from \"1\", \"2\", \"3\", \"4\", \"5\", or \"6\".",
        ),
        (
            ".. list-table::\n   :header-rows: 1\n\n   * - a\n     - b\n",
            "Insufficient data supplied (1 row(s)); no data remaining for table body, required by \"list-table\" directive.",
        ),
        (
            ".. list-table::\n   :stub-columns: 3\n\n   * - a\n     - b\n",
            "3 stub column(s) specified but only 2 columns(s) of data supplied (\"list-table\" directive).",
        ),
        (
            ".. table:: T\n   :widths: 1 2 3\n\n   +---+---+\n   | a | b |\n   +---+---+\n",
            "\"table\" widths do not match the number of columns in table (2).",
        ),
        (
            ".. csv-table::\n   :file: data.csv\n\n   a, b\n",
            "\"csv-table\" directive may not both specify an external file and have content.",
        ),
        (
            ".. image:: a.png\n   :align: top\n",
            "Error in \"image\" directive: \"top\" is not a valid value for the \"align\" option.  Valid values for \"align\" are: \"left\", \"center\", \"right\".",
        ),
        (
            ".. |s| image:: a.png\n   :name: n\n",
            "Substitution definition contains illegal element <image>:",
        ),
        (
            ".. list-table::\n\n   para\n",
            "Error parsing content block for the \"list-table\" directive: exactly one bullet list expected.",
        ),
        (
            ".. list-table::\n\n   * - a\n   * - b\n\n   para\n",
            "Error parsing content block for the \"list-table\" directive: exactly one bullet list expected.",
        ),
        (
            ".. list-table::\n\n   * a\n   * b\n",
            "Error parsing content block for the \"list-table\" directive: two-level bullet list expected, but row 1 does not contain a second-level bullet list.",
        ),
        (
            ".. list-table::\n\n   * - a\n   * b\n",
            "Error parsing content block for the \"list-table\" directive: two-level bullet list expected, but row 2 does not contain a second-level bullet list.",
        ),
        (
            ".. table:: T\n\n   para\n",
            "Error parsing content block for the \"table\" directive: exactly one table expected.",
        ),
        (
            ".. table:: T\n\n   +---+\n   | a |\n   +---+\n\n   para\n",
            "Error parsing content block for the \"table\" directive: exactly one table expected.",
        ),
        (
            ".. table:: T\n\n   ===  ===\n   a    b\n   ===  ===\n\n   .. a comment\n",
            "Error parsing content block for the \"table\" directive: exactly one table expected.",
        ),
        (
            ".. table:: T\n\n   ===  ===\n   a    b\n   ===  ===\n\n   ===  ===\n   c    d\n   ===  ===\n",
            "Error parsing content block for the \"table\" directive: exactly one table expected.",
        ),
        (
            ".. raw:: html\n",
            "Content block expected for the \"raw\" directive; none found.",
        ),
        (
            ".. raw:: html\n   :file: a.html\n   :url: https://example.com/a.html\n",
            "The \"file\" and \"url\" options may not be simultaneously specified for the \"raw\" directive.",
        ),
        (
            ".. toctree::\n   :maxdepht: 2\n",
            "Error in \"toctree\" directive: unknown option: \"maxdepht\".",
        ),
        (
            ".. literalinclude:: x.py\n   :language:\n",
            "Error in \"literalinclude\" directive: invalid option value: (option: \"language\"; value: None) argument required but none supplied.",
        ),
        (
            ".. highlight:: python console\n",
            "Error in \"highlight\" directive: maximum 1 argument(s) allowed, 2 supplied.",
        ),
        (
            ".. index::\n\n   single: foo\n",
            "Error in \"index\" directive: 1 argument(s) required, 0 supplied.",
        ),
    ];
    for (directive, message) in refused {
        let text = format!("Doc\n===\n\n{directive}\nText.\n");
        let messages: Vec<String> = (render(&parse(&text)).into_iter())
            .filter(|l| l.starts_with('!'))
            .collect();
        assert_eq!(messages, [format!("! 3@4 {message}")], "{directive}");
    }
    // a refused directive leaves its substitution definition empty
    let text = "Doc\n===\n\n.. |s| image:: a.png\n   :align: left\n\nText.\n";
    let messages: Vec<String> = (render(&parse(text)).into_iter())
        .filter(|l| l.starts_with('!'))
        .collect();
    assert_eq!(
        messages,
        [
            "! 2@4 Substitution definition \"s\" empty or invalid.",
            "! 3@4 Error in \"image\" directive: \"left\" is not a valid value for the \"align\" option within a substitution definition.  Valid values for \"align\" are: \"top\", \"middle\", \"bottom\".",
        ]
    );
    let taken = [
        ".. |s| image:: a.png\n   :align: middle\n",
        ".. note::\n   :Class: big\n\n   Text.\n",
        ".. image:: a.png\n   :width: 50 %\n   :height: 3.5em\n   :scale: 50%\n   :alt:\n",
        ".. rubric:: Notes\n   :heading-level: 2\n",
        ".. code-block:: python\n   :dedent:\n   :lineno-start: -1\n\n   a = 1\n",
        ".. list-table::\n   :widths: 1, 2\n\n   * - a\n     - b\n",
        ".. figure:: a.png\n   :figwidth: Image\n",
        ".. toctree::\n   :maxdepth: 2\n   :numbered:\n\n   a\n",
        ".. index:: single: a\n   pair: b; c\n",
        ".. literalinclude:: x.py\n   :lines: 1-3\n",
    ];
    for directive in taken {
        let text = format!("Doc\n===\n\n{directive}\nText.\n");
        let messages: Vec<String> = (render(&parse(&text)).into_iter())
            .filter(|l| l.starts_with('!'))
            .collect();
        assert!(messages.is_empty(), "{directive}: {messages:?}");
    }
}

#[test]
fn comment_hides_heading() {
    let text = "Doc\n===\n\n.. This is a comment\n   Not a title\n   ===========\n\n..\n   Also hidden\n   ===========\n\nReal\n----\n";
    let expected = ["title: Doc", "subtitle: Real"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn empty_comment_then_block_quote() {
    let text = "Doc\n===\n\n..\n\n   Quoted\n   ======\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @10", "! 4@7 Unexpected section title."];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn block_quote_reports_unexpected_title() {
    let text = "Doc\n===\n\npara\n\n    Quoted\n    ======\n\n    ------\n    Quoted\n    ------\n\nReal\n----\n";
    let expected = [
        "title: Doc",
        "Real @14",
        "! 4@7 Unexpected section title.",
        "! 4@9 Unexpected section title or transition.",
        "! 4@11 Unexpected section title.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn block_quote_attribution() {
    let text = "Doc\n===\n\n    quote\n\n    -- Author\n    ========\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @10"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn bullet_list_item_body() {
    let text =
        "Doc\n===\n\n- item\n\n  Inside\n  ======\n\n- Not a title\n==============\n\nReal\n----\n";
    let expected = [
        "title: Doc",
        "Real @13",
        "! 4@7 Unexpected section title.",
        "! 2@10 Bullet list ends without a blank line; unexpected unindent.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn definition_list_body() {
    let text = "Doc\n===\n\nterm\n    Inside\n    ======\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @9", "! 4@6 Unexpected section title."];
    assert_eq!(render(&parse(text)), expected);
}

/// A definition list goes on only with a line of text followed by an indented one;
/// a line another construct starts (as docutils' patterns match it) ends it, and
/// without a blank line before it docutils warns (each verdict is docutils 0.21.2's).
#[test]
fn definition_list_ends_at_any_other_construct() {
    let list = |line: &str| format!("x\n\nTerm\n  def\n{line}\n  more\n");
    let ends = "! 2@5 Definition list ends without a blank line; unexpected unindent.";
    for line in ["* c", ":f: c", ".. c", "| c", ">>> c"] {
        let messages = render(&parse(&list(line)));
        assert_eq!(messages.first().map(String::as_str), Some(ends), "{line}");
    }
    // an enumerator as written ends it, though the list it starts is checked further
    assert!(render(&parse(&list("a) c"))).contains(&ends.to_owned()));
    for line in ["c", "-- c"] {
        assert_eq!(render(&parse(&list(line))), [""; 0], "{line}");
    }
}

/// docutils reads a section title's inline markup when the title makes a section:
/// its messages on the title's line, its references' on the last adornment's (the
/// title node's); a title of an inconsistent level makes none (each line is docutils
/// 0.21.2's).
#[test]
fn section_titles_have_inline_markup() {
    let text = "Doc\n===\n\nWork `Items\n-----------\n\n=========\n Over *x\n=========\n\nSee Missing_\n~~~~~~~~~~~~\n\nx\n\nC\n-\n\nBad *lev\n++++++++\n";
    let messages = messages_of(text);
    let unclosed = "start-string without end-string.";
    assert_eq!(
        messages,
        [
            format!("! 2@4 Inline interpreted text or phrase reference {unclosed}"),
            format!("! 2@8 Inline emphasis {unclosed}"),
            "! 3@12 Unknown target name: \"missing\". (docutils reports it on line 12)".to_owned(),
            "! 4@19 Title level inconsistent:".to_owned(),
        ]
    );
}

/// The table directives say in their own words that their content is missing (each
/// message and level is docutils 0.21.2's).
#[test]
fn empty_table_directives() {
    let text = "x\n\n.. table:: T\n\ny\n\n.. List-Table:: L\n\nz\n\n.. csv-table:: C\n\nw\n\n.. csv-table:: D\n   :file: d.csv\n\nv\n";
    assert_eq!(
        render(&parse(text)),
        [
            "! 2@3 Content block expected for the \"table\" directive; none found.",
            "! 3@7 The \"List-Table\" directive is empty; content required.",
            "! 2@11 The \"csv-table\" directive requires content; none supplied.",
        ]
    );
}

#[test]
fn field_list_body() {
    let text = "Doc\n===\n\n:field: value\n   Inside\n   ======\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @9"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn option_list_body() {
    let text = "Doc\n===\n\n-a  all\n    Inside\n    ======\n\n--opt\n-----\n";
    let expected = ["title: Doc", "--opt @9"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn enumerated_list_or_title() {
    let text = "Doc\n===\n\n1. Intro\n--------\n\n1. one\n2. two\n\ni) roman\nii) numeral\n";
    let expected = ["title: Doc", "subtitle: 1. Intro"];
    assert_eq!(render(&parse(text)), expected);
}

/// An enumerated list reads each next item in its own sequence, over blank lines:
/// `i.` after `h.` is a letter; `#` takes the next item's place but needs one after it
/// (each verdict is docutils 0.21.2's).
#[test]
fn enumerated_list_items_follow_the_list() {
    let ends = "Enumerated list ends without a blank line; unexpected unindent.";
    for (text, expected) in [
        ("h. one\ni. two\nj. three\n", None),
        ("h. one\n\ni. two\nj. three\n", None),
        ("v. a\n   x\nw. b\n", None),
        ("i. a\n   x\nii. b\n", None),
        ("i. a\n   x\nj. b\n", Some(3)),
        ("1. a\n#. b\n3. c\n", Some(2)),
        ("a) x\n\n(b) y\nc) z\n", None),
    ] {
        let expected: Vec<String> = expected
            .map(|l| format!("! 2@{l} {ends}"))
            .into_iter()
            .collect();
        assert_eq!(messages_of(text), expected, "{text}");
    }
}

/// docutils' `Footnotes` transform: the n-th `[*]_` is the n-th `[*]` footnote's, and
/// each `[#]_` (or `[#name]_` of no `[#name]` footnote) takes the next `[#]` footnote's
/// number; the first reference past the last is an error, reported on its paragraph's
/// line, and a `[#name]_` that took a number needs no target. Sphinx then reports each
/// footnote no reference reached, by its label as written (each verdict is docutils
/// 0.21.2's, or Sphinx 8.1.3's for "not referenced").
#[test]
fn footnote_references_by_number_and_symbol() {
    let too_many = |what: &str, line: usize, available: usize| {
        format!(
            "! 3@{line} Too many {what} footnote references: only {available} corresponding footnotes available."
        )
    };
    let unreferenced =
        |label: &str, line: usize| format!("! 2@{line} Footnote [{label}] is not referenced.");
    for (text, expected) in [
        (
            "See [*]_ and\nalso [*]_ here.\n\n.. [*] one\n",
            vec![too_many("symbol", 4, 1)],
        ),
        (
            "See [#]_ and\nalso [#]_ here.\n\n.. [#] one\n",
            vec![too_many("autonumbered", 4, 1)],
        ),
        (
            "See [#]_ and [#x]_ and [#]_.\n\n.. [#] one\n.. [#x] two\n",
            vec![too_many("autonumbered", 4, 1)],
        ),
        (
            "* item\n\n  with [*]_ ref\n\n.. [*] a\n.. [*] b\n\nx [*]_ [*]_ [*]_\n",
            vec![too_many("symbol", 11, 2)],
        ),
        ("See [#nosuch]_ here.\n\n.. [#] one\n", vec![]),
        (
            "See [#nosuch]_ here.\n",
            vec![
                too_many("autonumbered", 4, 0),
                "! 3@4 Unknown target name: \"nosuch\".".to_owned(),
            ],
        ),
        ("See [#a]_ [#]_ here.\n\n.. [#a] one\n.. [#] two\n", vec![]),
        (
            "See [#a]_ [#]_ here.\n\n.. [#a] one\n",
            vec![too_many("autonumbered", 4, 0)],
        ),
        (
            "See [1]_.\n\n.. [1] one\n.. [2] two\n.. [*] s\n.. [*] s2\n.. [#] a\n.. [#x] b\n",
            vec![
                unreferenced("2", 7),
                unreferenced("*", 8),
                unreferenced("*", 9),
                unreferenced("#", 10),
                unreferenced("#", 11),
            ],
        ),
        (
            "See [*]_ [#]_ [#x]_.\n\n.. [*] s\n.. [*] s2\n.. [#] a\n.. [#] c\n.. [#x] b\n",
            vec![unreferenced("*", 7), unreferenced("#", 9)],
        ),
    ] {
        let text = format!("Title\n=====\n\n{text}");
        assert_eq!(messages_of(&text), expected, "{text}");
    }
    // in a section's title (Sphinx keeps a lone section a section, where docutils
    // would make its title the document's subtitle, with no line)
    let text = "Title\n=====\n\nSub [*]_\n--------\n\nx\n";
    let below = " (docutils reports it on line 5)";
    assert_eq!(
        messages_of(text),
        [format!("{}{below}", too_many("symbol", 5, 0))]
    );
}

#[test]
fn grid_table_hides_lines() {
    let text = "Doc\n===\n\n+-------+-----+\n| Title | x   |\n+=======+=====+\n| a     | b   |\n+-------+-----+\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @11"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn simple_table_hides_lines() {
    let text =
        "Doc\n===\n\n=====  =====\nTitle  x\n=====  =====\na      b\n=====  =====\n\nReal\n----\n";
    let expected = ["title: Doc", "Real @11"];
    assert_eq!(render(&parse(text)), expected);
}

/// docutils' simple table checks: text between columns (reported on its line), a
/// border shorter than the top one, no bottom border.
#[test]
fn malformed_simple_tables() {
    let margin = "Doc\n===\n\n=====  =====\nTitle  x\n=====  =====\na     xb\n=====  =====\n";
    let expected = [
        "title: Doc",
        "! 3@7 Malformed table. Text in column margin in table line 4.",
    ];
    assert_eq!(render(&parse(margin)), expected);
    let rows = "x\n\n=====  =====\na      b\n c    xd\nx     yz  \n=====  =====\n";
    let expected = ["! 3@5 Malformed table. Text in column margin in table line 3."];
    assert_eq!(render(&parse(rows)), expected);
    let border = "Doc\n===\n\n=====  =====\nTitle  x\n=====  ====\na      b\n=====  =====\n";
    let expected = [
        "title: Doc",
        "! 3@4 Malformed table. Bottom/header table border does not match top border.",
        "! 2@7 Blank line required after table.",
    ];
    assert_eq!(render(&parse(border)), expected);
    let expected = ["! 3@1 Malformed table. No bottom table border found."];
    assert_eq!(render(&parse("=====  =====\na      b\n")), expected);
}

/// docutils' column span checks, row by row: a span underline must end where the top
/// border does, and start and end each of its columns where the border's do (reported
/// on the row's second line: past the table for an empty last row). Text past the last
/// column widens it for the rows after (each verdict is docutils 0.21.2's).
#[test]
fn simple_table_column_spans() {
    let table = |rows: &str| format!("x\n\n=====  =====\n{rows}\n");
    for (rows, expected) in [
        (
            "a      b\n-----------  --\n=====  =====",
            Some((5, "Column span incomplete in table line 3.")),
        ),
        (
            "a      b\n---  -------\n=====  =====",
            Some((5, "Column span alignment problem in table line 3.")),
        ),
        (
            "a      b\nc\n---  -------\n=====  =====",
            Some((6, "Column span alignment problem in table line 4.")),
        ),
        (
            "a      b\n-----  -----\n===  =======\n",
            Some((7, "Column span alignment problem in table line 5.")),
        ),
        ("a      b\n------------\n=====  =====", None),
        (
            "a      b  overflow\n=====  =====\nc      dd\n-------------\n=====  =====",
            Some((7, "Column span incomplete in table line 5.")),
        ),
    ] {
        let expected: Vec<String> = expected
            .map(|(line, detail)| format!("! 3@{line} Malformed table. {detail}"))
            .into_iter()
            .collect();
        assert_eq!(render(&parse(&table(rows))), expected, "{rows}");
    }
}

/// docutils counts a simple table's columns with East Asian wide and full-width
/// characters as two (it pads them with a character that is no space), and its margin
/// check leaves out combining characters (each verdict below is docutils 0.21.2's).
#[test]
fn simple_table_columns_as_docutils_counts_them() {
    let table =
        |row: &str| format!("x\n\n=====  =====\nA      B\n=====  =====\n{row}\n=====  =====\n");
    let margin = ["! 3@6 Malformed table. Text in column margin in table line 4."];
    // two wide characters fill four columns: `x` is in the margin
    assert_eq!(render(&parse(&table("漢字  x  y"))), margin);
    // and `x` in the second column
    assert_eq!(render(&parse(&table("漢字   x"))), [""; 0]);
    // an ideographic space is full-width, and its pad is text to no one
    assert_eq!(render(&parse(&table("\u{3000}     x"))), [""; 0]);
    // a combining accent takes no column: `x` is in the margin
    assert_eq!(render(&parse(&table("a\u{301}bcd  x"))), margin);
    assert_eq!(render(&parse(&table("a\u{301}bcd   x"))), [""; 0]);
    // but the test for a new row (text in the first column) sees it: the second line
    // is a row of its own, and the first row's margin is reported (the second's gap is
    // further left: in one row, its line would be)
    let rows = |second: &str| {
        let top = "=====  =====  =====";
        format!("x\n\n{top}\nA      B      C\n{top}\na      b     zc\n{second}\n{top}\n")
    };
    assert_eq!(render(&parse(&rows("\u{301}     x"))), margin);
    let joined = ["! 3@7 Malformed table. Text in column margin in table line 5."];
    assert_eq!(render(&parse(&rows("      x"))), joined);
}

/// A grid table whose right edge does not line up; one that runs into an indented line.
#[test]
fn malformed_grid_tables() {
    let edge = "+----+---+\n| a  | b  |\n+----+---+\n";
    assert_eq!(render(&parse(edge)), ["! 3@1 Malformed table."]);
    let indented = "Para\n\n+----+\n| a  |\n+----+\n  indented\n";
    let expected = [
        "! 2@6 Blank line required after table.",
        "! 3@6 Unexpected indentation.",
    ];
    assert_eq!(render(&parse(indented)), expected);
}

#[test]
fn title_level_inconsistent() {
    let text = "One\n===\n\nTwo\n---\n\nThree\n~~~~~\n\nBack\n===\n\nSkip\n~~~~\n";
    let expected = [
        "title: One",
        "subtitle: Two",
        "Three @8",
        "Skip @14",
        "! 1@11 Possible title underline, too short for the title.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn new_style_not_at_lowest_level_is_inconsistent() {
    let text = "One\n===\n\nTwo\n---\n\nAgain\n===\n\nNew\n###\n";
    let expected = [
        "title: One",
        "subtitle: Two",
        "New @11",
        "! 1@8 Possible title underline, too short for the title.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn doctitle_promotion() {
    let text = "=====\nTitle\n=====\n\nFirst\n=====\n\nSecond\n======\n";
    let expected = ["title: Title", "First @6", "Second @9"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn doctitle_and_subtitle() {
    let text = "=====\nTitle\n=====\n\nSubtitle\n--------\n\nA\n~\n\nB\n~\n";
    let expected = ["title: Title", "subtitle: Subtitle", "A @9", "B @12"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn subtitle_needs_nothing_before_it() {
    let text = "=====\nTitle\n=====\n\ntext\n\nSub\n---\n\nA\n~\n";
    let expected = ["title: Title", "Sub @8", "  A @11"];
    assert_eq!(render(&parse(text)), expected);
}

/// Comments, targets, substitution definitions and unknown directives may precede the title.
#[test]
fn invisible_nodes_before_title() {
    let text = ".. comment\n\n.. _target:\n\n.. |s| replace:: x\n\n.. toctree::\n\n=====\nTitle\n=====\n\nA\n-\n\nB\n-\n";
    let expected = ["title: Title", "A @14", "B @17"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn paragraph_before_title_prevents_promotion() {
    let text = "text\n\n=====\nTitle\n=====\n\nA\n-\n";
    let expected = ["Title @5", "  A @8"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn contents_before_title_prevents_promotion() {
    let text = ".. contents::\n\nTitle\n=====\n\nA\n-\n";
    let expected = ["Title @4", "  A @7"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn two_top_sections_no_promotion() {
    let text = "A\n=\n\nB\n=\n";
    let expected = ["A @2", "B @5"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn crlf_line_breaks() {
    let text = "Doc\r\n===\r\n\r\nA\r\n-\r\n\r\ntext\r\n";
    let expected = ["title: Doc", "subtitle: A"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn lone_cr_line_breaks() {
    let text = "Doc\r===\r\rA\r-\r\rB\r-\r";
    let expected = ["title: Doc", "A @5", "B @8"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn unicode_line_separators() {
    let text = "Doc\u{2028}===\u{2028}\u{2028}A\u{85}-\u{85}\u{85}B\u{c}\n-\n";
    let expected = ["title: Doc", "A @5", "B @8"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn tabs_expand_to_eight_columns() {
    let text = "Doc\n===\n\na\tb\n---------\n\n\tQuoted\n\t======\n\nx\n";
    let expected = [
        "title: Doc",
        "subtitle: a       b",
        "! 4@8 Unexpected section title.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn wide_characters_count_two_columns() {
    let text = "Doc\n===\n\n仕様\n===\n\n仕様書\n=====\n\ntext\n";
    let expected = [
        "Doc @2",
        "仕様書 @8",
        "! 1@5 Possible title underline, too short for the title.",
        "! 2@8 Title underline too short.",
        "! 2@8 Title underline too short.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn combining_characters_count_zero_columns() {
    let text = "Doc\n===\n\nCafé\n----\n\ntext\n";
    let expected = ["title: Doc", "subtitle: Café"];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn zero_width_space_counts_one_column() {
    let text = "Doc\n===\n\na\u{200B}bc\n---\n\ntext\n";
    let expected = [
        "title: Doc",
        "! 1@5 Possible title underline, too short for the title.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

/// Closing a section whose overline is under 4 characters makes docutils re-read two lines above the closing title as text: here "--opt" ends up in a paragraph.
#[test]
fn short_overline_section_quirk() {
    let text = "a\tb\n''''\n\nProblem description\n--------------------\n::\nx\n::\n\nPara::\n\n= quoted\n= more\n--opt\n-----\n";
    let expected = [
        "title: a       b",
        "subtitle: Problem description",
        "x @8",
        "! 2@2 Title underline too short.",
        "! 3@14 Inconsistent literal block quoting.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

#[test]
fn bubbling_title_warns_twice() {
    let text = "A\n=\n\nB\n-\n\nLong title\n====\n";
    let expected = [
        "A @2",
        "  B @5",
        "Long title @8",
        "! 2@8 Title underline too short.",
        "! 2@8 Title underline too short.",
    ];
    assert_eq!(render(&parse(text)), expected);
}

/// docutils gives this message no line; we give the offending line.
#[test]
fn line_too_long_stops_docutils() {
    // one line of 10001 characters (docutils' line_length_limit is 10,000)
    let text = format!("Title\n=====\n\n{}\n", "x".repeat(10001));
    let expected = ["! 3@4 Line 4 exceeds the line-length-limit."];
    assert_eq!(render(&parse(&text)), expected);
}

// Byte ranges: docutils has none; these pin ours down.

#[test]
fn heading_and_section_ranges_are_byte_offsets() {
    let text = "==========\r\n\tT\u{e9}\r\n==========\r\n\r\nbody\r\n\r\nSub\r\n---\r\n\r\nx\r\n";
    let outline = parse(text);
    let title = outline.title.expect("promoted title");
    assert_eq!(title.title, "T\u{e9}");
    assert_eq!(title.title_range, 13..16);
    assert_eq!(title.overline, Some(0..10));
    assert_eq!(title.underline, 18..28);
    assert_eq!(title.line, 3);
    assert_eq!(title.range(), 0..28);
    assert_eq!(outline.subtitle, None);
    let sub = &outline.sections[0];
    assert_eq!(&text[sub.heading.title_range.clone()], "Sub");
    assert_eq!(sub.heading.title_range, 40..43);
    assert_eq!(sub.heading.underline, 45..48);
    assert_eq!(sub.range, 40..55);
    assert_eq!(sub.body, 50..55);
}

#[test]
fn sibling_sections_end_where_the_next_begins() {
    let text = "\u{4ed5}\u{69d8}\u{66f8}\n======\n\none\n\nTwo\n======\ntwo\n";
    let outline = parse(text);
    assert_eq!(outline.title, None);
    let [first, second] = &outline.sections[..] else {
        panic!("two sections")
    };
    assert_eq!(first.heading.title_range, 0..9);
    assert_eq!(first.heading.underline, 10..16);
    assert_eq!(first.range, 0..23);
    assert_eq!(first.body, 17..23);
    assert_eq!(second.range, 23..text.len());
    assert_eq!(&text[second.body.clone()], "two\n");
}

#[test]
fn tab_expanded_title_keeps_docutils_text_and_source_range() {
    let text = "a\tb\n---------\n\nx\n";
    let heading = parse(text).title.expect("promoted title");
    assert_eq!(heading.title, "a       b");
    assert_eq!(heading.title_range, 0..3);
}

#[test]
fn message_ranges_cover_the_lines_concerned() {
    let text = "Doc\n===\n\nLong title\n----\n";
    let outline = parse(text);
    let warning = &outline.messages[0];
    assert_eq!(warning.kind, super::MessageKind::UnderlineTooShort);
    assert_eq!(&text[warning.range.clone()], "Long title\n----");
}

#[test]
fn golden_line_keeps_the_golden_field_order() {
    let outline = parse("=====\nTitle\n=====\n\nA\n-\n\nB\n~\n\nC\n-\n");
    let line = serde_json::to_string(&outline.golden("specs/x.rst")).expect("serializes");
    assert_eq!(
        line,
        concat!(
            r#"{"file":"specs/x.rst","title":"Title","sections":["#,
            r#"{"title":"A","line":6,"sections":[{"title":"B","line":9,"sections":[]}]},"#,
            r#"{"title":"C","line":12,"sections":[]}]}"#
        )
    );
}

#[test]
fn trims_only_blank_lines() {
    let text = "\n  \n  indented\n\n";
    assert_eq!(&text[super::trim_blank(text, 0..text.len())], "  indented");
    assert_eq!(super::trim_blank(text, 0..4), 0..0);
}

/// The cells of grid and simple tables are parsed as nested bodies, and docutils puts
/// what the state machine reports there one line below (each line is docutils
/// 0.21.2's); a grid table with two head/body separators is malformed, its cells not
/// parsed.
#[test]
fn table_cells_are_parsed() {
    let text = "\
+-------+--------+
| - x   | see    |
| - *y  | q_     |
+=======+========+
| text  | more   |
+-------+--------+

+------+------+
| *a   | b    |
+======+======+
| c    | d    |
+======+======+
| e    | f    |
+------+------+

=====  ===========
A      B
=====  ===========
x      para one

       para *two
y      - item
       -  bad
         indent
-----  -----------
span `over both
==================

=====  ===========
c      .. nope::
d      para
       more
         indented
       back
=====  ===========
";
    let messages = messages_of(text);
    let unclosed = "start-string without end-string.";
    assert_eq!(
        messages,
        [
            "! 3@2 Unknown target name: \"q\".".to_owned(),
            format!("! 2@4 Inline emphasis {unclosed} (docutils reports it on line 4)"),
            "! 3@12 Malformed table. Multiple head/body row separators (table lines 3 and 5); only one allowed.".to_owned(),
            format!("! 2@22 Inline emphasis {unclosed} (docutils reports it on line 22)"),
            "! 2@25 Bullet list ends without a blank line; unexpected unindent. (docutils reports it on line 25)".to_owned(),
            format!("! 2@27 Inline interpreted text or phrase reference {unclosed} (docutils reports it on line 27)"),
            "! 3@31 Unknown directive type \"nope\". (docutils reports it on line 31)".to_owned(),
            "! 3@33 Unexpected indentation.".to_owned(),
            "! 2@35 Block quote ends without a blank line; unexpected unindent. (docutils reports it on line 35)".to_owned(),
        ]
    );
    // a title in a cell: docutils places "Unexpected section title." by the source line,
    // on the title's line (the overline's message by its count, one below)
    let titles = "\
=====  =======
A      B
=====  =======
x      ----
       bb
       ----
y      bb
       **
=====  =======
";
    assert_eq!(
        messages_of(titles),
        [
            "! 4@5 Unexpected section title or transition. (docutils reports it on line 5)",
            "! 4@6 Unexpected section title.",
            "! 4@8 Unexpected section title."
        ]
    );
}

/// A line block's lines are inline text, each with the indented lines continuing it;
/// a block ended by another unindented line is reported where it ends, saying that
/// docutils puts it on the block's second line (each message is docutils 0.21.2's).
#[test]
fn line_blocks_have_inline_markup() {
    let text = "| *x\n|   continued\n    ``here\n| |\n+--+\n\n|   *\n";
    let messages = messages_of(text);
    let unclosed = "start-string without end-string.";
    assert_eq!(
        messages,
        [
            format!("! 2@1 Inline emphasis {unclosed}"),
            format!("! 2@2 Inline literal {unclosed}"),
            "! 2@2 Line block ends without a blank line. (docutils reports it on line 2)"
                .to_owned(),
            format!("! 2@4 Inline substitution_reference {unclosed}"),
            format!("! 2@7 Inline emphasis {unclosed}"),
        ]
    );
}

/// A `list-table` whose `widths` are not one for each column is dropped with docutils'
/// error (commas or spaces between them, continued on the next line; `auto` is not a
/// list; each verdict is docutils 0.21.2's).
#[test]
fn list_table_widths_match_its_columns() {
    let text = ".. list-table::\n   :widths: 1,2 , 3\n\n   * - a\n     - b\n\n.. list-table::\n   :widths: auto\n\n   * - a\n\n.. list-table::\n   :widths: 1\n     2\n\n   * - a\n     - b\n";
    let messages = messages_of(text);
    assert_eq!(
        messages,
        ["! 3@1 \"list-table\" widths do not match the number of columns in table (2)."]
    );
}

/// A `::` paragraph on the last line: docutils reports the missing literal block on the
/// line after it, which the finding names (docutils 0.21.2's line, in a table cell
/// one further).
#[test]
fn literal_block_expected_at_the_end() {
    let messages = messages_of;
    let expected = "Literal block expected; none found. (docutils reports it on line 4)";
    assert_eq!(messages("Para\n\nx::\n"), [format!("! 2@4 {expected}")]);
    assert_eq!(
        messages("=====  =====\na      x::\n2.     A.\n=====  =====\n"),
        [format!("! 2@4 {expected}")]
    );
}
