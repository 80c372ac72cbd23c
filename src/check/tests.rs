//! Rule fixtures: small specs against a small template, each finding's message, range
//! and data, and each fix applied and re-checked until its finding is gone.

use proptest::prelude::*;

use super::*;
use crate::template::TemplateSource;
use crate::{Mode, analyze};

const TEMPLATE: &str = "\
==============
Example Title
==============

Introduction paragraph for the example spec.

Problem Description
===================

Describe the problem this spec solves in detail.

Proposed Change
===============

Describe the change you propose to make in detail.

Alternatives
------------

What other ways of solving the problem did you consider?

Security Impact
---------------

Describe any impact on security: <what-changes>

Testing
=======

Describe how the change will be tested, in detail.

References
==========

Please add any useful references here, or None.
";

/// A spec that follows the template completely.
const COMPLETE: &str = "\
============
Better Cache
============

Problem Description
===================

The cache is slow.

Proposed Change
===============

Make it fast.

Alternatives
------------

None

Security Impact
---------------

None

Testing
=======

Unit tests.

References
==========

None
";

fn template() -> Template {
    Template::parse(
        TEMPLATE.to_string(),
        TemplateSource::File("template.rst".into()),
    )
}

fn findings_with(text: &str, config: &Config) -> Vec<Finding> {
    analyze(text, &template(), config, Mode::Spec).findings
}

fn findings(text: &str) -> Vec<Finding> {
    findings_with(text, &Config::default())
}

fn codes(text: &str) -> Vec<(Code, String)> {
    findings(text)
        .into_iter()
        .map(|f| (f.code, f.data.section.clone().unwrap_or_default()))
        .collect()
}

/// The one finding with `code`.
fn only(text: &str, code: Code) -> Finding {
    let mut all: Vec<Finding> = findings(text)
        .into_iter()
        .filter(|f| f.code == code)
        .collect();
    assert_eq!(all.len(), 1, "expected one {code:?} in {:?}", codes(text));
    all.remove(0)
}

/// Apply the first fix of `finding`, check that the finding (same code and data) is
/// gone from the fixed text, and return it.
fn fix(text: &str, finding: &Finding) -> String {
    let fixed = apply_edits(text, &finding.fixes(text)[0].edits);
    let same = |f: &Finding| f.code == finding.code && f.data == finding.data;
    let before = findings(text).iter().filter(|f| same(f)).count();
    let after = findings(&fixed).iter().filter(|f| same(f)).count();
    assert!(
        after < before,
        "fix {:?} left {:?} in:\n{fixed}",
        finding.fixes(text)[0].title,
        finding.code
    );
    fixed
}

fn remove(text: &str, part: &str) -> String {
    assert!(text.contains(part), "{part:?} not in fixture");
    text.replacen(part, "", 1)
}

#[test]
fn complete_spec_has_no_findings() {
    assert_eq!(codes(COMPLETE), []);
}

#[test]
fn missing_section_points_at_the_next_heading_and_fix_inserts_it() {
    let text = remove(COMPLETE, "Testing\n=======\n\nUnit tests.\n\n");
    let f = only(&text, Code::MissingSection);
    assert_eq!(f.message, "add section 'Testing' after 'Proposed Change'");
    assert_eq!(&text[f.range.clone()], "References\n==========");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.data, FindingData::section("Testing", None));
    let fixed = fix(&text, &f);
    assert!(fixed.contains("None\n\nTesting\n=======\n\nNone\n\nReferences\n"));
    assert_eq!(codes(&fixed), []);
}

#[test]
fn missing_last_section_points_at_the_document_end() {
    let text = remove(COMPLETE, "References\n==========\n\nNone\n");
    let f = only(&text, Code::MissingSection);
    assert_eq!(f.range, text.len()..text.len());
    assert_eq!(f.message, "add section 'References' after 'Testing'");
    let fixed = fix(&text, &f);
    assert!(fixed.ends_with("Unit tests.\n\nReferences\n==========\n\nNone\n"));
}

#[test]
fn missing_section_with_subsections_inserts_them_too() {
    let text = remove(
        COMPLETE,
        "Proposed Change\n===============\n\nMake it fast.\n\nAlternatives\n------------\n\nNone\n\nSecurity Impact\n---------------\n\nNone\n\n",
    );
    let f = only(&text, Code::MissingSection);
    let fixed = fix(&text, &f);
    assert!(fixed.contains("Proposed Change\n===============\n\nAlternatives\n------------\n\nNone\n\nSecurity Impact\n"));
    assert_eq!(codes(&fixed), []);
}

#[test]
fn missing_subsection_uses_the_documents_own_adornments() {
    let text = COMPLETE
        .replace("\n-------", "\n~~~~~~~")
        .replace("~~~~~~~-----", "~~~~~~~~~~~~")
        .replace("~~~~~~~~~~~~---", "~~~~~~~~~~~~~~~");
    let text = remove(&text, "Alternatives\n~~~~~~~~~~~~\n\nNone\n\n");
    let f = only(&text, Code::MissingSubsection);
    assert_eq!(
        f.message,
        "add subsection 'Alternatives' to 'Proposed Change' before 'Security Impact'"
    );
    // on the parent's heading, not on the heading the insertion goes before
    assert!(text[f.range.clone()].starts_with("Proposed Change\n"));
    assert_eq!(
        f.data,
        FindingData::section("Alternatives", Some("Proposed Change"))
    );
    let fixed = fix(&text, &f);
    assert!(
        fixed.contains("Alternatives\n~~~~~~~~~~~~\n\nNone\n"),
        "{fixed}"
    );
    assert_eq!(codes(&fixed), []);
}

#[test]
fn extra_sections_are_errors_but_extra_subsections_are_allowed() {
    let text = COMPLETE.replace(
        "Testing\n=======",
        "Caching Details\n---------------\n\nMore.\n\nBackground\n==========\n\nHistory.\n\nTesting\n=======",
    );
    assert_eq!(codes(&text), [(Code::ExtraSection, "Background".into())]);
}

#[test]
fn a_section_written_twice_is_reported_on_the_earlier_one() {
    let text = COMPLETE.replace(
        "Testing\n=======\n\nUnit tests.\n",
        "Testing\n=======\n\nUnit tests.\n\nTesting\n=======\n\nMore.\n",
    );
    let f = only(&text, Code::DuplicateSection);
    assert_eq!(
        f.message,
        "section 'Testing' is written again on line 30: only that one counts; merge the two"
    );
    assert_eq!(&text[f.range.clone()], "Testing\n=======");
    assert!(f.range.start < text.rfind("Testing").unwrap());
    assert_eq!(f.severity, Severity::Warning);
    // one per level: a subsection too
    let text = COMPLETE.replace("Security Impact\n", "Alternatives\n");
    let f = only(&text, Code::DuplicateSection);
    assert!(
        f.message
            .starts_with("subsection 'Alternatives' is written again under 'Proposed Change'"),
        "{}",
        f.message
    );
}

#[test]
fn a_title_in_a_section_style_gets_the_templates_title_style() {
    let text = COMPLETE.replacen(
        "============\nBetter Cache\n============",
        "Better Cache\n============",
        1,
    );
    let f = only(&text, Code::ExtraSection);
    assert_eq!(
        f.message,
        "'Better Cache' is written as a section, not as the document title: give it the template's title style, an overline and an underline of '='"
    );
    let fixed = fix(&text, &f);
    assert_eq!(fixed, COMPLETE);
    // after a license comment too
    let commented = format!("..\n  License text.\n\n{text}");
    let f = only(&commented, Code::ExtraSection);
    assert_eq!(
        fix(&commented, &f),
        format!("..\n  License text.\n\n{COMPLETE}")
    );
}

#[test]
fn title_level_inconsistent_names_the_adornment_its_level_and_the_line_that_set_it() {
    // a new adornment under a level-2 section, where level 3 exists already
    let text = COMPLETE.replace(
        "Unit tests.\n",
        "Unit tests.\n\nDetails\n~~~~~~~\n\nMore.\n",
    );
    let f = only(&text, Code::HeadingStructure);
    assert_eq!(
        f.message,
        "Title level inconsistent: '~' underline is new, and a new adornment can only open level 4, below the deepest, but this heading is in a level-2 section: use '-' underline for level 3 (set by line 15), or the adornment of the level you mean"
    );
    // a known adornment too deep: level 4 ('~', under Alternatives) in a level-2 section
    let text = COMPLETE
        .replacen("None\n", "None\n\nDeep\n~~~~\n\nDeeper.\n", 1)
        .replace(
            "Unit tests.\n",
            "Unit tests.\n\nDetails\n~~~~~~~\n\nMore.\n",
        );
    let f = only(&text, Code::HeadingStructure);
    assert_eq!(
        f.message,
        "Title level inconsistent: '~' underline is level 4 (set by line 20), but this heading is in a level-2 section: use '-' underline for level 3 (set by line 15), or the adornment of the level you mean"
    );
}

#[test]
fn one_wrongly_adorned_subsection_is_one_finding_with_its_fix() {
    // 'Alternatives' underlined with '~' nests 'Security Impact' under it
    let text = COMPLETE.replace("Alternatives\n------------", "Alternatives\n~~~~~~~~~~~~");
    assert_eq!(
        codes(&text),
        [(Code::SectionLevel, "Alternatives".to_string())]
    );
    let f = only(&text, Code::SectionLevel);
    assert_eq!(
        f.message,
        "'Alternatives' has a '~' underline where its sibling subsections have a '-' underline, so 'Security Impact' is nested under it: give it the '-' underline"
    );
    assert_eq!(fix(&text, &f), COMPLETE);
}

#[test]
fn an_extra_section_names_the_closest_template_heading_when_one_is_close() {
    let extra = |heading: &str| {
        let text = COMPLETE.replace(
            "References\n==========\n\nNone\n",
            "References\n==========\n\nNone\n\n",
        ) + heading;
        only(&text, Code::ExtraSection).message
    };
    assert_eq!(
        extra("Securty Impacts\n===============\n\nNone.\n"),
        "section 'Securty Impacts' is not in the template; the closest is 'Security Impact', a subsection of 'Proposed Change': rename it and move it there, or make it a subsection of 'Proposed Change' (extra subsections are allowed)"
    );
    assert_eq!(
        extra("Testings\n========\n\nNone.\n"),
        "section 'Testings' is not in the template; the closest is 'Testing': rename it, or make it a subsection of a template section (extra subsections are allowed)"
    );
    assert_eq!(
        extra("Overview\n========\n\nNone.\n"),
        "section 'Overview' is not in the template: rename it to a template section, or make it a subsection of one (extra subsections are allowed)"
    );
}

#[test]
fn near_miss_title_is_one_mismatch_and_fix_renames_it() {
    let text = COMPLETE.replace("Testing\n=======", "testng\n======");
    let f = only(&text, Code::TitleMismatch);
    assert_eq!(f.data.expected.as_deref(), Some("Testing"));
    assert_eq!(f.data.section.as_deref(), Some("testng"));
    assert!(
        f.message.starts_with("did you mean 'Testing'?"),
        "{}",
        f.message
    );
    assert_eq!(codes(&text).len(), 1, "{:?}", codes(&text));
    let fixed = fix(&text, &f);
    assert_eq!(fixed, COMPLETE);
}

#[test]
fn a_near_miss_has_its_subsections_checked_as_the_template_sections() {
    // upstream does not look into 'Proposed change' (extra there); its subsections are
    // checked as those of 'Proposed Change', so the rename reveals nothing
    let alternatives = "Alternatives\n------------\n\nNone\n\n";
    let text = remove(COMPLETE, alternatives)
        .replace("Proposed Change\n", "Proposed change\n")
        .replace(
            "Testing\n=======",
            &format!("{alternatives}Testing\n======="),
        );
    let order = only(&text, Code::SectionOrder);
    assert_eq!(
        order.message,
        "subsection 'Alternatives' is out of template order: move it before 'Security Impact'"
    );
    assert_eq!(order.data.parent.as_deref(), Some("Proposed change"));
    let rename = only(&text, Code::TitleMismatch);
    assert_eq!(codes(&text).len(), 2, "{:?}", codes(&text));
    let renamed = fix(&text, &rename);
    assert_eq!(
        codes(&renamed),
        [(Code::SectionOrder, "Alternatives".to_string())]
    );
    assert_eq!(codes(&fix(&text, &order)).len(), 1);
    assert_eq!(fix(&renamed, &only(&renamed, Code::SectionOrder)), COMPLETE);
    // and a missing one is reported (and added) under the near miss
    let text = remove(COMPLETE, alternatives).replace("Proposed Change\n", "Proposed change\n");
    let missing = only(&text, Code::MissingSubsection);
    assert_eq!(
        missing.message,
        "add subsection 'Alternatives' to 'Proposed change' before 'Security Impact'"
    );
}

#[test]
fn out_of_order_section_is_the_one_to_move() {
    let testing = "Testing\n=======\n\nUnit tests.\n\n";
    let text = remove(COMPLETE, testing).replace(
        "Problem Description\n",
        &format!("{testing}Problem Description\n"),
    );
    let f = only(&text, Code::SectionOrder);
    assert_eq!(f.data.section.as_deref(), Some("Testing"));
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "section 'Testing' is out of template order: move it after 'Proposed Change'"
    );
    let fixed = fix(&text, &f);
    assert_eq!(fixed, COMPLETE);
}

#[test]
fn moves_keep_crlf_line_endings() {
    let testing = "Testing\n=======\n\nUnit tests.\n\n";
    let lf = remove(COMPLETE, testing).replace(
        "Problem Description\n",
        &format!("{testing}Problem Description\n"),
    );
    let text = lf.replace('\n', "\r\n");
    let f = only(&text, Code::SectionOrder);
    assert_eq!(fix(&text, &f), COMPLETE.replace('\n', "\r\n"));
}

#[test]
fn subsection_at_the_top_level_is_a_level_finding() {
    let alternatives = "Alternatives\n------------\n\nNone\n\n";
    let text = remove(COMPLETE, alternatives).replace(
        "References\n",
        "Alternatives\n============\n\nNone\n\nReferences\n",
    );
    let f = only(&text, Code::SectionLevel);
    assert_eq!(f.data.parent, None);
    assert_eq!(f.data.expected.as_deref(), Some("Proposed Change"));
    assert_eq!(codes(&text).len(), 1, "{:?}", codes(&text));
    let fixed = fix(&text, &f);
    assert_eq!(codes(&fixed), []);
}

#[test]
fn subsection_at_the_top_level_without_its_parent_is_a_level_finding() {
    let proposed = "Proposed Change\n===============\n\nMake it fast.\n\n";
    let text = remove(COMPLETE, proposed).replace("------------", "============");
    let level = only(&text, Code::SectionLevel);
    assert_eq!(
        level.message,
        "'Alternatives' is a subsection of 'Proposed Change' in the template, a section this spec does not have yet (under that title): move it under 'Proposed Change' once it is there"
    );
    // adding the parent leaves the heading to move, and does not write it again
    let missing = only(&text, Code::MissingSection);
    let added = fix(&text, &missing);
    assert_eq!(added.matches("Alternatives\n").count(), 1, "{added}");
    let moved = only(&added, Code::SectionLevel);
    assert_eq!(
        codes(&fix(&added, &moved)),
        [],
        "{added}\n---\n{}",
        fix(&added, &moved)
    );
}

#[test]
fn a_near_miss_of_a_subsection_at_the_top_level_moves_under_its_section_renamed() {
    let security = "Security Impact\n---------------\n\nNone\n\n";
    let text = remove(COMPLETE, security).replace(
        "References\n",
        "Security Impacts\n================\n\nNone\n\nReferences\n",
    );
    let f = only(&text, Code::SectionLevel);
    assert_eq!(
        f.message,
        "did you mean 'Security Impact'? It is a subsection of 'Proposed Change' in the template: rename it and move it under 'Proposed Change'"
    );
    assert_eq!(f.data.expected.as_deref(), Some("Proposed Change"));
    assert_eq!(
        f.fixes(&text)[0].title,
        "Move 'Security Impacts' under 'Proposed Change' as 'Security Impact'"
    );
    // one finding (not also a missing subsection and an extra section)
    assert_eq!(codes(&text).len(), 1, "{:?}", codes(&text));
    assert_eq!(fix(&text, &f), COMPLETE);

    // its section missing: no fix until the section is added, which does not write it
    // again
    let proposed = "Proposed Change\n===============\n\nMake it fast.\n\n";
    let text = remove(&text, proposed);
    let f = only(&text, Code::SectionLevel);
    assert_eq!(
        f.message,
        "did you mean 'Security Impact'? It is a subsection of 'Proposed Change' in the template, a section this spec does not have yet (under that title): move it under 'Proposed Change' once it is there"
    );
    assert!(f.fixes.is_empty());
    let added = fix(&text, &only(&text, Code::MissingSection));
    assert_eq!(added.matches("Security Impact").count(), 1, "{added}");
    assert_eq!(codes(&added).len(), 1, "{:?}", codes(&added));
    let moved = fix(&added, &only(&added, Code::SectionLevel));
    assert_eq!(codes(&moved), []);

    // beside the exact title at the top level, a near miss is an extra section: adding
    // the section leaves nothing missing (the subsection it holds is no template one's)
    let text = "====\nSpec\n====\n\nalternatives\n============\n\nSecurity Impact\n---------------\n\nMore.\n\nAlternatives\n============\n\nNone\n";
    assert_eq!(
        codes(text)
            .into_iter()
            .filter(|(c, _)| *c != Code::MissingSection)
            .collect::<Vec<_>>(),
        [
            (Code::ExtraSection, "alternatives".to_string()),
            (Code::SectionLevel, "Alternatives".to_string())
        ]
    );
    let missing =
        |(c, _): &(Code, String)| matches!(c, Code::MissingSection | Code::MissingSubsection);
    let add_all = |text: &str| {
        let outline = crate::rst::parse(text);
        let all = fix_all_missing(text, &outline, &template(), &Config::default()).unwrap();
        apply_edits(text, &all.edits)
    };
    let added = add_all(text);
    assert_eq!(
        codes(&added).iter().filter(|c| missing(c)).count(),
        0,
        "{added}"
    );
    // so is a near miss written twice: neither has the one place
    let text = text.replace("Alternatives\n", "alternatives\n");
    let extra = codes(&text)
        .into_iter()
        .filter(|(c, _)| *c == Code::ExtraSection);
    assert_eq!(extra.count(), 2);
    let added = add_all(&text);
    assert_eq!(
        codes(&added).iter().filter(|c| missing(c)).count(),
        0,
        "{added}"
    );
}

#[test]
fn top_level_section_nested_is_a_level_finding() {
    let testing = "Testing\n=======\n\nUnit tests.\n\n";
    let text = remove(COMPLETE, testing).replace(
        "Security Impact\n---------------\n\nNone\n",
        "Security Impact\n---------------\n\nNone\n\nTesting\n-------\n\nUnit tests.\n",
    );
    let f = only(&text, Code::SectionLevel);
    assert_eq!(f.data.parent.as_deref(), Some("Proposed Change"));
    assert_eq!(f.data.expected, None);
    let fixed = fix(&text, &f);
    assert_eq!(codes(&fixed), []);
}

#[test]
fn line_rules_follow_upstream() {
    let long = "x ".repeat(40);
    let indented_83 = format!("    {}", "y".repeat(79));
    let indented_84 = format!("    {}", "y".repeat(80));
    let text = format!(
        "{COMPLETE}\n{long}\n{indented_83}\n{indented_84}\n{}\n| {long} |\n/a/b {long}\n<% $x %> {long}\n",
        "z".repeat(79)
    );
    let long_lines: Vec<usize> = findings(&text)
        .iter()
        .filter(|f| f.code == Code::LineTooLong)
        .map(|f| text[..f.range.start].matches('\n').count() + 1)
        .collect();
    let first = COMPLETE.lines().count() + 2;
    assert_eq!(long_lines, [first, first + 2]);
    let f = &findings(&text)[0];
    assert_eq!(
        f.message,
        "line is 80 characters long, over the limit of 79: wrap it"
    );
    assert_eq!(&text[f.range.clone()], " ");
    let wide = Config {
        max_line_length: 120,
        ..Config::default()
    };
    assert!(
        findings_with(&text, &wide)
            .iter()
            .all(|f| f.code != Code::LineTooLong)
    );
}

#[test]
fn trailing_spaces_and_carriage_returns_are_fixed() {
    let text = COMPLETE.replace("Make it fast.", "Make it fast.  ");
    let f = only(&text, Code::TrailingWhitespace);
    assert_eq!(&text[f.range.clone()], "  ");
    assert_eq!(fix(&text, &f), COMPLETE);
    let text = COMPLETE.replace('\n', "\r\n").replacen("\r\n", "\r", 1);
    let f = only(&text, Code::CarriageReturn);
    assert_eq!(
        f.range,
        COMPLETE.find('\n').unwrap()..COMPLETE.find('\n').unwrap() + 1
    );
    assert_eq!(
        f.message,
        format!(
            "{} carriage returns (\\r): use LF line endings",
            COMPLETE.lines().count()
        )
    );
    assert_eq!(fix(&text, &f), COMPLETE);
}

#[test]
fn line_rules_measure_lines_without_their_line_ends() {
    // Upstream reads with universal newlines: a CRLF line of exactly the limit is not
    // too long, and spaces before the CR are trailing whitespace.
    let line = "x".repeat(79);
    let lf = COMPLETE.replace("Make it fast.", &format!("{line}\nMake it fast.  "));
    for text in [lf.replace('\n', "\r\n"), lf.replace('\n', "\r")] {
        let codes: Vec<Code> = findings(&text).iter().map(|f| f.code).collect();
        assert_eq!(codes, vec![Code::CarriageReturn, Code::TrailingWhitespace]);
        let cr = only(&text, Code::CarriageReturn);
        assert_eq!(cr.severity, Severity::Warning);
        let trailing = only(&text, Code::TrailingWhitespace);
        assert_eq!(&text[trailing.range.clone()], "  ");
    }
    let long = lf.replace(&line, &format!("{line}x")).replace('\n', "\r\n");
    let f = only(&long, Code::LineTooLong);
    assert_eq!(&long[f.range.clone()], "x");
}

#[test]
fn template_guidance_and_title_left_in_place() {
    let text = COMPLETE
        .replace(
            "Unit tests.",
            "Describe how the change will be tested,\nin detail.",
        )
        .replace("Better Cache", "Example Title")
        .replace("============\nExample", "=============\nExample")
        .replace("Title\n============", "Title\n=============");
    let all = findings(&text);
    let title = all
        .iter()
        .find(|f| f.data.section.as_deref() == Some("Example Title"))
        .unwrap();
    assert_eq!(title.code, Code::TemplateText);
    let guidance = all
        .iter()
        .find(|f| f.data.section.as_deref() == Some("Testing"))
        .unwrap();
    assert_eq!(guidance.code, Code::TemplateText);
    assert_eq!(
        &text[guidance.range.clone()],
        "Describe how the change will be tested,\nin detail.\n\n"
    );
    // removing all of a section's guidance leaves "None", not an empty section
    assert_eq!(
        guidance.fixes(&text)[0].title,
        "Replace the template's guidance with \"None\""
    );
    let fixed = fix(&text, guidance);
    assert!(fixed.contains("Testing\n=======\n\nNone\n\n"), "{fixed}");
    assert!(
        !codes(&fixed).iter().any(|(_, s)| s == "Testing"),
        "{fixed}"
    );
}

#[test]
fn a_placeholder_is_reported_once() {
    let text = COMPLETE.replacen(
        "None\n\nTesting",
        "Describe any impact on security: <what-changes>\n\nTesting",
        1,
    );
    assert_eq!(codes(&text), [(Code::Placeholder, String::new())]);
}

/// Nova's templates end with a History section whose `list-table` is an example to
/// fill in: the table is the spec's content, never left-over guidance.
#[test]
fn a_directives_example_content_is_not_guidance() {
    const HISTORY: &str = "\
History
=======

Optional section intended to be used each time the spec is updated.

.. list-table:: Revisions
   :header-rows: 1

   * - Release Name
     - Description
   * - Ussuri
     - Introduced
";
    let template = Template::parse(
        format!("{TEMPLATE}\n{HISTORY}"),
        TemplateSource::File("template.rst".into()),
    );
    let check = |text: &str| analyze(text, &template, &Config::default(), Mode::Spec).findings;
    let kept = format!("{COMPLETE}\n{HISTORY}");
    assert_eq!(check(&kept), []);
    let filled = kept.replace("Ussuri", "Victoria");
    assert_eq!(check(&filled), []);
    let prose_only = format!(
        "{COMPLETE}\nHistory\n=======\n\nOptional section intended to be used each time the spec is updated.\n"
    );
    let found = check(&prose_only);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::TemplateText);
}

#[test]
fn guidance_kept_beside_the_authors_answers_is_not_reported() {
    let answered = COMPLETE.replace(
        "Unit tests.",
        "Describe how the change will be tested, in detail.\n\nWith unit tests of every cache path, and a load test.",
    );
    assert_eq!(codes(&answered), []);
    let with_none = COMPLETE.replace(
        "Unit tests.",
        "Describe how the change will be tested, in detail.\n\nNone",
    );
    assert_eq!(codes(&with_none), [(Code::TemplateText, "Testing".into())]);
}

#[test]
fn placeholders_come_from_the_template() {
    let text = COMPLETE.replacen("None", "Impact: <what-changes>", 1);
    let f = only(&text, Code::Placeholder);
    assert_eq!(&text[f.range.clone()], "<what-changes>");
    let builtin = Template::builtin();
    let spec = "https://blueprints.launchpad.net/trove/+spec/name-of-blueprint\n";
    let found = analyze(spec, &builtin, &Config::default(), Mode::Spec).findings;
    assert!(
        found
            .iter()
            .any(|f| f.code == Code::Placeholder && &spec[f.range.clone()] == "name-of-blueprint")
    );
}

#[test]
fn empty_section_fix_writes_none() {
    let text = COMPLETE.replace("Unit tests.\n", "..\n  only a comment\n");
    let f = only(&text, Code::EmptySection);
    assert_eq!(&text[f.range.clone()], "Testing\n=======");
    let fixed = fix(&text, &f);
    assert!(fixed.contains("Testing\n=======\n\nNone\n"));
}

#[test]
fn fix_all_inserts_every_missing_section_in_order() {
    let text = "\
====
Spec
====

Problem Description
===================

Slow.

Testing
=======

Tests.
";
    let outline = crate::rst::parse(text);
    let tpl = template();
    let config = Config::default();
    let all = fix_all_missing(text, &outline, &tpl, &config).expect("sections are missing");
    let fixed = apply_edits(text, &all.edits);
    let titles: Vec<String> = crate::rst::parse(&fixed)
        .sections
        .iter()
        .map(|s| s.heading.title.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Problem Description",
            "Proposed Change",
            "Testing",
            "References"
        ]
    );
    assert!(
        findings(&fixed)
            .iter()
            .all(|f| !matches!(f.code, Code::MissingSection | Code::MissingSubsection))
    );
    assert!(fix_all_missing(COMPLETE, &crate::rst::parse(COMPLETE), &tpl, &config).is_none());
}

#[test]
fn a_lone_section_is_a_subtitle_and_fix_all_keeps_it_a_section() {
    // docutils promotes a lone section after the title to the subtitle.
    let text = "====\nSpec\n====\n\nTesting\n=======\n\nTests.\n";
    let f = findings(text);
    let testing = f
        .iter()
        .find(|f| f.data.section.as_deref() == Some("Testing"))
        .unwrap();
    assert!(testing.message.contains("subtitle"), "{}", testing.message);
    assert_eq!(
        &text[testing.range.clone()],
        "Testing\n=======",
        "on its heading"
    );
    let outline = crate::rst::parse(text);
    let all = fix_all_missing(text, &outline, &template(), &Config::default()).unwrap();
    let fixed = apply_edits(text, &all.edits);
    // the sections before it go before it: it is a section, in its place
    assert!(
        fixed.starts_with("====\nSpec\n====\n\nProblem Description\n===================\n\nNone\n\nProposed Change\n"),
        "{fixed}"
    );
    let left: Vec<Code> = findings(&fixed).iter().map(|f| f.code).collect();
    assert_eq!(left, [], "{fixed}");
}

#[test]
fn a_near_miss_taken_as_the_subtitle_is_one_mismatch() {
    // 'Testng' is the subtitle: renamed, it is the template's 'Testing'
    let text = "====\nSpec\n====\n\nTestng\n======\n\nTests.\n";
    let f = only(text, Code::TitleMismatch);
    assert_eq!(&text[f.range.clone()], "Testng\n======");
    assert!(
        f.message.starts_with("did you mean 'Testing'?"),
        "{}",
        f.message
    );
    let about_testing: Vec<Code> = (findings(text).iter())
        .filter(|f| {
            f.data.section.as_deref() == Some("Testing")
                || f.data.expected.as_deref() == Some("Testing")
        })
        .map(|f| f.code)
        .collect();
    assert_eq!(about_testing, [Code::TitleMismatch]);
    let fixed = fix(text, &f);
    assert!(fixed.contains("\nTesting\n=======\n"), "{fixed}");
    let after = findings(&fixed);
    let testing = (after.iter())
        .find(|f| f.data.section.as_deref() == Some("Testing"))
        .expect("the subtitle is reported");
    assert_eq!(testing.code, Code::MissingSection);
    assert!(testing.message.contains("subtitle"), "{}", testing.message);
}

#[test]
fn configuration_turns_rules_off_and_makes_sections_optional() {
    let text = remove(COMPLETE, "References\n==========\n\nNone\n");
    let text = remove(&text, "Alternatives\n------------\n\nNone\n\n");
    let config = Config {
        optional: vec!["References".into(), "Proposed Change/Alternatives".into()],
        ..Config::default()
    };
    assert!(findings_with(&text, &config).is_empty());
    let mut off = Config::default();
    off.severities.insert(Code::MissingSection, None);
    off.severities
        .insert(Code::MissingSubsection, Some(Severity::Hint));
    let found = findings_with(&text, &off);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Hint);
}

#[test]
fn short_underlines_are_lengthened() {
    let text = COMPLETE.replace("Testing\n=======", "Testing\n=====");
    let f = only(&text, Code::HeadingUnderline);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(&text[f.range.clone()], "=====");
    assert_eq!(
        f.message,
        "Title underline too short: make it 7 characters long for 'Testing'"
    );
    assert_eq!(fix(&text, &f), COMPLETE);
    let overlined = "=====\nSpec Title\n=====\n\nText.\n";
    let plain = analyze(overlined, &template(), &Config::default(), Mode::Plain).findings;
    assert_eq!(plain.len(), 1, "{plain:?}");
    let fixed = apply_edits(overlined, &plain[0].fixes(overlined)[0].edits);
    assert_eq!(fixed, "==========\nSpec Title\n==========\n\nText.\n");
}

/// docutils 0.21.2 warns "Title underline too short." (line 7) beside "Unexpected
/// section title." for a title in a block quote, on the same text.
#[test]
fn short_underlines_of_quoted_titles_are_lengthened() {
    let text = "Spec Title\n==========\n\nText.\n\n   Quoted title\n   ======\n\nMore.\n";
    let found = analyze(text, &template(), &Config::default(), Mode::Plain).findings;
    let f = (found.iter())
        .find(|f| f.code == Code::HeadingUnderline)
        .expect("the short underline is reported");
    assert_eq!(&text[f.range.clone()], "======");
    assert_eq!(
        f.message,
        "Title underline too short: make it 12 characters long for 'Quoted title'"
    );
    let fixed = apply_edits(text, &f.fixes(text)[0].edits);
    assert!(
        fixed.contains("   Quoted title\n   ============\n"),
        "{fixed}"
    );
}

#[test]
fn too_short_to_be_a_heading_is_pointed_out() {
    let text = COMPLETE.replace("Unit tests.", "Cli\n==\n\nUnit tests.");
    let f = only(&text, Code::HeadingUnderline);
    assert_eq!(&text[f.range.clone()], "Cli\n==");
    let fixed = fix(&text, &f);
    assert!(fixed.contains("Cli\n===\n"));
    let comment = COMPLETE.replace("Unit tests.", "See http://example.com\n..\n\nUnit tests.");
    assert_eq!(codes(&comment), []);
}

#[test]
fn inconsistent_levels_are_heading_structure_errors() {
    let text = COMPLETE.replace("Unit tests.", "Unit tests.\n\nDeep\n~~~~\n\nText.");
    let f = only(&text, Code::HeadingStructure);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.starts_with("Title level inconsistent: "),
        "{}",
        f.message
    );
    assert!(text[f.range.clone()].contains("Deep"));
}

#[test]
fn plain_mode_only_reports_heading_structure() {
    let text = "Readme\n======\n\nNot a spec.  \n";
    assert!(
        analyze(text, &template(), &Config::default(), Mode::Plain)
            .findings
            .is_empty()
    );
    assert!(!findings(text).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary text (line breaks, tabs, multi-byte and zero-width characters, lone
    /// adornment lines) never panics; every finding and edit range lies inside the
    /// document on character boundaries; every fix applies.
    #[test]
    fn findings_and_fixes_stay_inside_the_document(
        parts in prop::collection::vec(prop_oneof![
            Just("Testing\n".to_string()),
            Just("=======\n".to_string()),
            Just("----\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just("  ".to_string()),
            Just("é\u{200b}日本😀".to_string()),
            Just("Problem Description\n".to_string()),
            Just(".. comment::\n".to_string()),
            "[ -~]{0,90}",
        ], 0..40)
    ) {
        let text: String = parts.concat();
        let config = Config { max_line_length: 20, ..Config::default() };
        for f in analyze(&text, &template(), &config, Mode::Spec).findings {
            prop_assert!(f.range.start <= f.range.end && f.range.end <= text.len(), "{f:?}");
            prop_assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
            for fix in f.fixes(&text).iter() {
                for e in &fix.edits {
                    prop_assert!(e.range.end <= text.len() && text.get(e.range.clone()).is_some(), "{e:?}");
                }
                let _ = apply_edits(&text, &fix.edits);
            }
        }
    }
}

/// One top-level section of a generated spec.
#[derive(Debug, Clone)]
struct Part {
    title: &'static str,
    near_miss: bool,
    short_underline: bool,
    body: bool,
    subsections: Vec<&'static str>,
}

fn part() -> impl Strategy<Value = Part> {
    (
        prop::sample::select(vec![
            "Problem Description",
            "Proposed Change",
            "Testing",
            "References",
            "Alternatives",
            "Background",
        ]),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.8),
        prop::sample::subsequence(vec!["Alternatives", "Security Impact", "Testing"], 0..=3),
    )
        .prop_map(
            |(title, near_miss, short_underline, body, subsections)| Part {
                title,
                near_miss,
                short_underline,
                body,
                subsections,
            },
        )
}

fn render(parts: &[Part]) -> String {
    let mut text = String::from("====\nSpec\n====\n\n");
    for p in parts {
        let title = if p.near_miss {
            p.title.to_lowercase()
        } else {
            p.title.to_string()
        };
        let width = if p.short_underline {
            title.len().saturating_sub(2).max(4)
        } else {
            title.len()
        };
        text.push_str(&format!("{title}\n{}\n\n", "=".repeat(width)));
        if p.body {
            text.push_str("Text.\n\n");
        }
        for s in &p.subsections {
            text.push_str(&format!("{s}\n{}\n\nMore.\n\n", "-".repeat(s.len())));
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// On specs with sections missing, extra, misnamed, misplaced, out of order, empty or
    /// badly underlined: every fix makes its own finding go away (a move: one
    /// section-order finding fewer, as the moved section may head a chain that still
    /// moves), and "add all missing sections" leaves none missing.
    #[test]
    fn every_fix_removes_its_finding(
        parts in prop::collection::vec(part(), 2..7),
        crlf in prop::bool::weighted(0.2),
    ) {
        let text = render(&parts);
        let text = if crlf { text.replace('\n', "\r\n") } else { text };
        let all = findings(&text);
        for f in &all {
            let fixes = f.fixes(&text);
            let Some(fix) = fixes.first() else { continue };
            let fixed = apply_edits(&text, &fix.edits);
            let move_ = f.code == Code::SectionOrder;
            let same = |g: &Finding| g.code == f.code && (move_ || g.data == f.data);
            let before = all.iter().filter(|g| same(g)).count();
            let after = findings(&fixed).iter().filter(|g| same(g)).count();
            prop_assert!(after < before, "{:?} {:?} survives {:?}:\n{text}\n---\n{fixed}", f.code, f.data, fix.title);
        }
        let outline = crate::rst::parse(&text);
        if let Some(all_missing) = fix_all_missing(&text, &outline, &template(), &Config::default()) {
            let fixed = apply_edits(&text, &all_missing.edits);
            let left: Vec<_> = findings(&fixed)
                .into_iter()
                .filter(|g| matches!(g.code, Code::MissingSection | Code::MissingSubsection) && !g.fixes.is_empty())
                .collect();
            prop_assert!(left.is_empty(), "{left:?}:\n{text}\n---\n{fixed}");
        }
    }
}

#[test]
fn unknown_directives_and_roles_are_renamed_or_configured() {
    let text =
        "Title\n=====\n\n.. cdoe:: python\n\n   x = 1\n\nSee :reff:`x` and :launchpad:`1`.\n";
    let plain = |config: &Config| analyze(text, &template(), config, Mode::Plain).findings;
    let found = plain(&Config::default());
    let directive = found.iter().find(|f| f.code == Code::RstDirective).unwrap();
    assert_eq!(&text[directive.range.clone()], "cdoe");
    assert_eq!(directive.severity, Severity::Error);
    assert!(
        directive
            .message
            .starts_with("Unknown directive type \"cdoe\".")
    );
    assert_eq!(directive.fixes(text)[0].edits[0].new_text, "code");
    let roles: Vec<&str> = found
        .iter()
        .filter(|f| f.code == Code::RstRole)
        .map(|f| &text[f.range.clone()])
        .collect();
    assert_eq!(roles, ["reff", "launchpad"]);
    let config = Config {
        directives: vec!["cdoe".into()],
        roles: vec!["Launchpad".into()],
        ..Config::default()
    };
    let left: Vec<String> = plain(&config)
        .iter()
        .filter(|f| matches!(f.code, Code::RstDirective | Code::RstRole))
        .map(|f| text[f.range.clone()].to_owned())
        .collect();
    assert_eq!(left, ["reff"]);
}

#[test]
fn a_name_unknown_again_gets_the_same_suggestion_and_a_directive_its_own() {
    // (the closest name is looked for once per name and kind)
    let text = "Title\n=====\n\n.. reff:: x\n\nSee :reff:`a`, :Reff:`b` and :reff:`c`.\n";
    let found = analyze(text, &template(), &Config::default(), Mode::Plain).findings;
    let renames = |code: Code| -> Vec<Option<String>> {
        found
            .iter()
            .filter(|f| f.code == code)
            .map(|f| {
                f.fixes(text)
                    .first()
                    .map(|fix| fix.edits[0].new_text.clone())
            })
            .collect()
    };
    let role = Some("ref".to_owned());
    assert_eq!(renames(Code::RstRole), [role.clone(), role.clone(), role]);
    assert_eq!(renames(Code::RstDirective), [None]);
}

#[test]
fn unclosed_inline_markup_starts_on_the_paragraph_line() {
    let text = "Title\n=====\n\nA paragraph\nwith *emphasis and ``literal.\n";
    let found = analyze(text, &template(), &Config::default(), Mode::Plain).findings;
    let inline: Vec<&Finding> = found.iter().filter(|f| f.code == Code::RstInline).collect();
    assert_eq!(inline.len(), 2, "{found:?}");
    for f in inline {
        assert_eq!(f.range.start, text.find("A paragraph").unwrap());
        assert_eq!(f.severity, Severity::Warning);
    }
}

/// An `include` of a file that is not there is docutils' SEVERE "Problems with
/// "include" directive path:", on the directive's line; paths resolve as Sphinx does
/// (standard `<name>` includes ship with docutils, `/path` is not knowable here).
#[test]
fn include_of_a_missing_file() {
    let text = "Doc\n===\n\n.. include:: gone.rst\n\n.. include:: sub/../there.rst\n\n\
                .. include:: <isonum.txt>\n\n.. include:: <nothing.txt>\n\n.. include:: /abs.rst\n";
    let exists = |p: &std::path::Path| p == std::path::Path::new("there.rst");
    let at = crate::Location {
        path: std::path::Path::new("/r/doc.rst"),
        exists: Some(&exists),
    };
    let found = crate::analyze_in(text, &template(), &Config::default(), Mode::Plain, Some(at));
    let lines: Vec<(usize, &str)> = found
        .findings
        .iter()
        .filter(|f| f.code == Code::RstDirective)
        .map(|f| (text[..f.range.start].lines().count() + 1, &*f.message))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].0, 4);
    assert!(lines[0].1.starts_with(
        "Problems with \"include\" directive path: InputError: [Errno 2] No such file or directory: 'gone.rst'."
    ));
    assert_eq!(lines[1].0, 10);
    assert!(lines[1].1.contains("'<nothing.txt>'"));
    assert!(found.findings.iter().all(|f| f.severity == Severity::Error));
    // Without a directory to look in (an unsaved buffer), nothing is reported.
    let plain = analyze(text, &template(), &Config::default(), Mode::Plain).findings;
    assert!(
        plain.iter().all(|f| f.code != Code::RstDirective),
        "{plain:?}"
    );
}

/// The other directives that read a file say so as the docs build does: Sphinx's
/// `literalinclude` (a WARNING naming the file's absolute path), the `file` option of a
/// `csv-table` or a `raw` without content (SEVERE), an image (Sphinx's WARNING "image
/// file not readable", but not for a remote or a `name.*` one, nor in a substitution
/// definition); an `include`'s options are not part of its path.
#[test]
fn other_reads_of_a_missing_file() {
    let text = "Doc\n===\n\n.. literalinclude:: gone.py\n\n.. literalinclude:: there.py\n\n\
                .. csv-table:: T\n   :file: gone.csv\n\n.. raw:: html\n   :file: ./gone.html\n\n\
                .. include:: there.rst\n   :start-line: 2\n\n.. literalinclude:: /abs.py\n\n\
                .. csv-table:: T\n   :file: gone.csv\n   :url: http://example.com/t.csv\n\n\
                .. image:: img/../gone.png\n\n.. figure:: there.rst\n\n   Caption.\n\n\
                .. image:: https://example.com/a.png\n\n.. image:: a.*\n\n\
                .. |s| image:: gone.png\n";
    let exists = |p: &std::path::Path| p.ends_with("there.py") || p.ends_with("there.rst");
    let at = crate::Location {
        path: std::path::Path::new("/r/doc.rst"),
        exists: Some(&exists),
    };
    let found = crate::analyze_in(text, &template(), &Config::default(), Mode::Plain, Some(at));
    let lines: Vec<(usize, Severity, &str)> = found
        .findings
        .iter()
        .filter(|f| f.code == Code::RstDirective)
        .map(|f| {
            (
                text[..f.range.start].lines().count() + 1,
                f.severity,
                &*f.message,
            )
        })
        .collect();
    let first = |m: &str| m.split(". ").next().unwrap_or("").to_owned();
    let got: Vec<(usize, Severity, String)> =
        lines.iter().map(|&(l, s, m)| (l, s, first(m))).collect();
    assert_eq!(
        got,
        [
            (
                4,
                Severity::Warning,
                "Include file '/r/gone.py' not found or reading it failed".to_owned()
            ),
            (
                8,
                Severity::Error,
                "Problems with \"csv-table\" directive path: [Errno 2] No such file or directory: 'gone.csv'".to_owned()
            ),
            (
                11,
                Severity::Error,
                "Problems with \"raw\" directive path: InputError: [Errno 2] No such file or directory: './gone.html'".to_owned()
            ),
            (
                19,
                Severity::Error,
                "The \"file\" and \"url\" options may not be simultaneously specified for the \"csv-table\" directive".to_owned()
            ),
            (
                23,
                Severity::Warning,
                "image file not readable: gone.png".to_owned()
            ),
        ]
    );
}

/// A spec with every section and subsection of the built-in template, in order, its
/// sections and subsections underlined with `sec` and `sub`.
/// [`builtin_complete`] with `=` and `-`, and what analyses a spec with `template` and
/// `config`: the setup of the tests that change one thing in a complete spec.
fn builtin_spec<'a>(
    template: &'a Template,
    config: &'a Config,
) -> (String, impl Fn(&str) -> Vec<Finding> + 'a) {
    let run = move |text: &str| analyze(text, template, config, Mode::Spec).findings;
    (builtin_complete(template, '=', '-'), run)
}

fn builtin_complete(template: &Template, sec: char, sub: char) -> String {
    let mut text = String::from("=====\nTitle\n=====\n\n");
    for section in &template.sections {
        let line = sec.to_string().repeat(section.title.len());
        text += &format!("{}\n{line}\n\nNone\n\n", section.title);
        for s in &section.subsections {
            let line = sub.to_string().repeat(s.title.len());
            text += &format!("{}\n{line}\n\nNone\n\n", s.title);
        }
    }
    text
}

/// One mistake, one error: a level set with the wrong adornment shifts every heading
/// after it, and is reported once, on that heading, with the fix that undoes it all.
#[test]
fn a_level_set_with_the_wrong_adornment_is_one_finding() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    assert_eq!(run(&complete), []);
    // 'Problem Description' underlined '-': docutils nests every section after it
    let text = complete.replacen(
        "Problem Description\n===================",
        "Problem Description\n-------------------",
        1,
    );
    let found = run(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::SectionLevel);
    assert_eq!(
        found[0].message,
        "'Problem Description' has a '-' underline, but the template's sections have a '=' underline: as the first section heading, it made '-' underline level 2 (set by line 5), so the headings after it are nested at the wrong levels: give it the '=' underline"
    );
    assert_eq!(
        apply_edits(&text, &found[0].fixes(&text)[0].edits),
        complete
    );
    // 'Configuration' underlined '~': no heading-structure or missing-subsection echoes
    let text = complete.replacen(
        "Configuration\n-------------",
        "Configuration\n~~~~~~~~~~~~~",
        1,
    );
    let found = run(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].data.section.as_deref(), Some("Configuration"));
    assert_eq!(
        apply_edits(&text, &found[0].fixes(&text)[0].edits),
        complete
    );
    // a house style (sections '-', subsections '~') is no slip
    let house = builtin_complete(&template, '-', '~');
    assert_eq!(run(&house), []);
}

/// A section written as a subsection leaves its own subsections to the section it is
/// under: moving it to the top level takes them along.
#[test]
fn a_demoted_section_moves_with_its_subsections() {
    let text = COMPLETE.replacen(
        "Proposed Change\n===============",
        "Proposed Change\n---------------",
        1,
    );
    let f = only(&text, Code::SectionLevel);
    assert_eq!(f.data.parent.as_deref(), Some("Problem Description"));
    assert_eq!(fix(&text, &f), COMPLETE);
}

/// A subsection written as a section nests the subsections after it: moving it under its
/// section brings them back as its siblings.
#[test]
fn a_promoted_subsection_moves_with_what_it_nested() {
    let text = COMPLETE.replacen(
        "Alternatives\n------------",
        "Alternatives\n============",
        1,
    );
    let f = only(&text, Code::SectionLevel);
    assert_eq!(f.data.expected.as_deref(), Some("Proposed Change"));
    assert_eq!(codes(&fix(&text, &f)), []);
}

/// The cascade of a level set with the wrong adornment is one finding, fixed first: the
/// other mistakes its shift hid are reported beside it, and get their fixes once it is
/// fixed.
#[test]
fn a_level_slip_is_fixed_first() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let swapped = complete.replacen(
        "Milestones\n----------\n\nNone\n\nWork Items\n----------\n\nNone\n\n",
        "Work Items\n----------\n\nNone\n\nMilestones\n----------\n\nNone\n\n",
        1,
    );
    let text = swapped.replacen(
        "Problem Description\n===================",
        "Problem Description\n-------------------",
        1,
    );
    let found = run(&text);
    let on: Vec<(Code, &str, bool)> = (found.iter())
        .map(|f| (f.code, &text[f.range.clone()], f.fixes.is_empty()))
        .collect();
    assert_eq!(
        on,
        [
            (
                Code::SectionLevel,
                "Problem Description\n-------------------",
                false
            ),
            (Code::SectionOrder, "Milestones\n----------", true)
        ],
        "{found:#?}"
    );
    let fixed = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    assert_eq!(fixed, swapped);
    let then = run(&fixed);
    assert_eq!(then.len(), 1, "{then:#?}");
    assert_eq!(then[0].code, Code::SectionOrder);
    assert_eq!(
        apply_edits(&fixed, &then[0].fixes(&fixed)[0].edits),
        complete
    );
}

/// A later subsection written in an adornment of its own is nested under the sibling
/// before it: one finding on it (not on that sibling), one per such heading.
#[test]
fn each_misadorned_later_subsection_is_one_finding() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let one = complete.replacen("Database\n--------", "Database\n~~~~~~~~", 1);
    let found = run(&one);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "'Database' has a '~' underline where its sibling subsections have a '-' underline, so it is nested under 'Configuration': give it the '-' underline"
    );
    assert_eq!(apply_edits(&one, &found[0].fixes(&one)[0].edits), complete);
    let two = one.replacen("Milestones\n----------", "Milestones\n~~~~~~~~~~", 1);
    let found = run(&two);
    let on: Vec<&str> = found.iter().map(|f| &two[f.range.clone()]).collect();
    assert_eq!(
        on,
        ["Database\n~~~~~~~~", "Milestones\n~~~~~~~~~~"],
        "{found:#?}"
    );
    let fixed = apply_edits(&two, &found[1].fixes(&two)[0].edits);
    assert_eq!(
        apply_edits(&fixed, &run(&fixed)[0].fixes(&fixed)[0].edits),
        complete
    );
}

/// Two headings written with the wrong adornment are two findings, even when the first
/// sets a level: the second is not part of its cascade.
#[test]
fn a_level_slip_and_another_misadorned_heading_are_two_findings() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let text = complete
        .replacen(
            "Problem Description\n===================",
            "Problem Description\n-------------------",
            1,
        )
        .replacen("Testing\n=======", "Testing\n-------", 1);
    let found = run(&text);
    let on: Vec<(Code, &str)> = found
        .iter()
        .map(|f| (f.code, &text[f.range.clone()]))
        .collect();
    assert_eq!(
        on,
        [
            (
                Code::SectionLevel,
                "Problem Description\n-------------------"
            ),
            (Code::SectionLevel, "Testing\n-------")
        ]
    );
    // the slip first; then the other one's fix
    let fixed = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    let then = run(&fixed);
    assert_eq!(then.len(), 1, "{then:#?}");
    assert_eq!(
        apply_edits(&fixed, &then[0].fixes(&fixed)[0].edits),
        complete
    );
}

/// One mistake, one error: the first subsection of a section underlined with an
/// adornment the document has nowhere else is not a heading to docutils ("Title level
/// inconsistent"), so its subsection is missing too; the heading-structure finding, with
/// the fix that gives it the template's level, is the only one.
#[test]
fn a_heading_with_a_brand_new_adornment_is_one_finding() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    for (written, message) in [
        (
            "Assignee(s)\n~~~~~~~~~~~",
            "Title level inconsistent: '~' underline is new, and a new adornment can only open level 4, below the deepest, but this heading is in a level-2 section; 'Assignee(s)' is a subsection in the template: use '-' underline for level 3 (set by line 15)",
        ),
        (
            "-----------\nAssignee(s)\n-----------",
            "Title level inconsistent: '-' overline and underline is new, and a new adornment can only open level 4, below the deepest, but this heading is in a level-2 section; 'Assignee(s)' is a subsection in the template: use '-' underline for level 3 (set by line 15)",
        ),
    ] {
        let text = complete.replacen("Assignee(s)\n-----------", written, 1);
        let found = run(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, Code::HeadingStructure);
        assert_eq!(found[0].message, message);
        // (on docutils' line: the title's, below an overline)
        assert!(written.ends_with(&text[found[0].range.clone()]));
        let fix = &found[0].fixes(&text)[0];
        assert_eq!(fix.title, "Give 'Assignee(s)' the '-' underline");
        assert_eq!(apply_edits(&text, &fix.edits), complete);
    }
    // a template section: the section level, not the subsection level around it
    let text = complete.replacen("Testing\n=======", "Testing\n~~~~~~~", 1);
    let found = run(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.ends_with(
            "'Testing' is a section in the template: use '=' underline for level 2 (set by line 5)"
        ),
        "{}",
        found[0].message
    );
    assert_eq!(
        apply_edits(&text, &found[0].fixes(&text)[0].edits),
        complete
    );
    // the first section: it sets the section level, and nests every section after it
    // under itself, so that docutils takes it as the subtitle
    let text = complete.replacen(
        "Problem Description\n===================",
        "Problem Description\n~~~~~~~~~~~~~~~~~~~",
        1,
    );
    assert!(crate::rst::parse(&text).subtitle.is_some());
    let found = run(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::SectionLevel);
    assert_eq!(
        apply_edits(&text, &found[0].fixes(&text)[0].edits),
        complete
    );
}

/// Every section after the first written as a subsection (demoted): docutils nests them
/// under the first, and takes that lone section as the document's subtitle. One
/// finding, on it, whose fix gives it their adornment.
#[test]
fn sections_demoted_under_the_first_make_it_the_subtitle_one_finding() {
    let template = Template::builtin();
    let config = Config::default();
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let house = builtin_complete(&template, '-', '~');
    assert_eq!(run(&house), []);
    let text = house.replacen(
        "Problem Description\n-------------------",
        "Problem Description\n===================",
        1,
    );
    assert!(crate::rst::parse(&text).subtitle.is_some());
    let found = run(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::MissingSection);
    assert_eq!(
        &text[found[0].range.clone()],
        "Problem Description\n==================="
    );
    assert_eq!(
        found[0].message,
        "'Problem Description' is taken as the document's subtitle, not a section: the sections after it ('Proposed Change', ...) have a '-' underline, not its '=' underline, so they are nested under it and it is the only section: give it their '-' underline"
    );
    assert_eq!(apply_edits(&text, &found[0].fixes(&text)[0].edits), house);
}

/// A template subsection written at the top level while its section has it too: moving
/// it there leaves the two to merge (duplicate-section), not an error without a fix.
#[test]
fn a_subsection_written_again_at_the_top_level_moves_under_its_section() {
    let text = format!("{COMPLETE}\nAlternatives\n============\n\nMore.\n");
    let f = only(&text, Code::SectionLevel);
    assert_eq!(f.data.expected.as_deref(), Some("Proposed Change"));
    let fixed = apply_edits(&text, &f.fixes(&text)[0].edits);
    assert_eq!(
        codes(&fixed),
        [(Code::DuplicateSection, "Alternatives".to_string())],
        "{fixed}"
    );
}

/// Removing guidance that refers to the template's footnotes (`[1]_`) removes those
/// footnotes too: left alone, docutils would report each as not referenced.
#[test]
fn removing_guidance_takes_the_footnotes_only_it_refers_to() {
    let template = Template::parse(
        format!(
            "{TEMPLATE}\nFurther Reading\n===============\n\nAdd references, such as [1]_.\n\n.. [1] A mailing list thread\n"
        ),
        TemplateSource::File("template.rst".into()),
    );
    let config = Config::default();
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let text = format!(
        "{COMPLETE}\nFurther Reading\n===============\n\nAdd references, such as [1]_.\n\n.. [1] A mailing list thread\n"
    );
    let found = run(&text);
    let f = found
        .iter()
        .find(|f| f.code == Code::TemplateText)
        .expect("template-text");
    let fixed = apply_edits(&text, &f.fixes(&text)[0].edits);
    assert_eq!(
        fixed.trim_end(),
        format!("{COMPLETE}\nFurther Reading\n===============\n\nNone")
    );
    assert_eq!(run(&fixed), []);
    // without the footnotes' removal: "Footnote [1] is not referenced"
    let kept = fixed.trim_end().to_string() + "\n\n.. [1] A mailing list thread\n";
    assert!(run(&kept).iter().any(|f| f.code == Code::RstReference));
    // a footnote the spec refers to elsewhere stays
    let elsewhere = text.replacen("None", "See [1]_.", 1);
    assert_ne!(elsewhere, text);
    let found = run(&elsewhere);
    let f = (found.iter().find(|f| f.code == Code::TemplateText)).expect("template-text");
    let fixed = apply_edits(&elsewhere, &f.fixes(&elsewhere)[0].edits);
    assert!(fixed.contains("See [1]_.") && fixed.contains(".. [1] A mailing list thread"));
    assert!(!fixed.contains("such as [1]_"));
    assert_eq!(run(&fixed), []);
}

/// A subsection written as a section nests the subsections after it: moving it under its
/// section puts each of those where it belongs there too, not after it (where they would
/// be out of order), a near miss of one renamed.
#[test]
fn a_promoted_subsection_moves_what_it_nested_to_their_places() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    // 'Guest Agent' (after 'Internal API') written as a section at the end, nesting
    // 'Configuration' (the first subsection of 'Proposed Change'), or a near miss of it
    for (nested, it) in [
        ("Configuration", "it"),
        ("Configuratxon", "it ('Configuratxon')"),
    ] {
        let text = complete
            .replacen("Guest Agent\n-----------\n\nNone\n\n", "", 1)
            .replacen("Configuration\n-------------\n\nNone\n\n", "", 1)
            + &format!("Guest Agent\n===========\n\nNone\n\n{nested}\n-------------\n\nNone\n");
        let found = run(&text);
        let summary: Vec<_> = (found.iter())
            .map(|f| (f.code, f.message.to_string(), f.fixes.is_empty()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    Code::MissingSubsection,
                    format!("add subsection 'Configuration' to 'Proposed Change': {it} is under 'Guest Agent', which is written as a section; moving 'Guest Agent' under 'Proposed Change' brings it back"),
                    true
                ),
                (
                    Code::SectionLevel,
                    "'Guest Agent' is a subsection of 'Proposed Change' in the template: move it under 'Proposed Change'".to_string(),
                    false
                ),
            ]
        );
        let fix = &found[1].fixes(&text)[0];
        assert_eq!(fix.title, "Move 'Guest Agent' under 'Proposed Change'");
        let fixed = apply_edits(&text, &fix.edits);
        assert_eq!(fixed, complete);
    }
}

/// A section written as a subsection (its subsections after it, at its level) has them
/// judged as its subsections already: what its move to the top level would reveal is
/// reported now, with fixes that work before the move as after it.
#[test]
fn a_demoted_sections_subsections_are_judged_before_it_moves() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let text = complete
        .replacen(
            "Implementation\n==============",
            "Implementation\n--------------",
            1,
        )
        .replacen("Assignee(s)\n-----------\n\nNone\n\n", "", 1);
    let found = run(&text);
    let summary: Vec<_> = (found.iter())
        .map(|f| (f.code, f.message.as_ref(), f.fixes.is_empty()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                Code::MissingSubsection,
                "add subsection 'Assignee(s)' to 'Implementation' before 'Milestones'",
                false
            ),
            (
                Code::SectionLevel,
                "'Implementation' is a top-level section in the template, not a subsection of 'Dashboard Impact (UX)': move it to the top level",
                false
            ),
        ]
    );
    let add = &found[0].fixes(&text)[0];
    assert_eq!(add.title, "Add subsection 'Assignee(s)'");
    let added = apply_edits(&text, &add.edits);
    let found = run(&added);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        apply_edits(&added, &found[0].fixes(&added)[0].edits),
        complete
    );
    // its subsection written as a section moves under it once it has moved
    let text = complete
        .replacen(
            "Implementation\n==============",
            "Implementation\n--------------",
            1,
        )
        .replacen("Work Items\n----------", "Work Items\n==========", 1);
    let found = run(&text);
    let summary: Vec<_> = (found.iter())
        .map(|f| (f.code, f.message.as_ref(), f.fixes.is_empty()))
        .collect();
    assert_eq!(
        summary[1],
        (
            Code::SectionLevel,
            "'Work Items' is a subsection of 'Implementation' in the template: move it under 'Implementation' once 'Implementation' is moved to the top level",
            true
        ),
        "{summary:#?}"
    );
    assert_eq!(found.len(), 2, "{summary:#?}");
    let moved = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    let found = run(&moved);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].fixes(&moved)[0].title,
        "Move 'Work Items' under 'Implementation'"
    );
    assert_eq!(
        apply_edits(&moved, &found[0].fixes(&moved)[0].edits),
        complete
    );
}

/// A template subsection written at the top level, where its section is written as a
/// near miss: the move targets that section as written, and the subsection is not
/// reported missing from it as well.
#[test]
fn a_subsection_at_the_top_level_moves_under_its_near_miss_parent() {
    let template = Template::builtin();
    let config = Config::default();
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let text = "=====\nTitle\n=====\n\nProblem Description\n===================\n\nNone\n\n\
        Proposed change\n===============\n\nNone\n\nConfiguration\n-------------\n\nNone\n\n\
        Database\n--------\n\nNone\n\nPublic API\n==========\n\nNone\n";
    let found = run(text);
    let about = |found: &[Finding], title: &str| -> Vec<(Code, String, bool)> {
        (found.iter())
            .filter(|f| f.data.section.as_deref() == Some(title))
            .map(|f| (f.code, f.message.to_string(), f.fixes.is_empty()))
            .collect()
    };
    assert_eq!(
        about(&found, "Public API"),
        [(
            Code::SectionLevel,
            "'Public API' is a subsection of 'Proposed Change' in the template: move it under 'Proposed change'".to_string(),
            false
        )]
    );
    let level = found.iter().find(|f| f.code == Code::SectionLevel).unwrap();
    let fix = &level.fixes(text)[0];
    assert_eq!(fix.title, "Move 'Public API' under 'Proposed change'");
    let moved = apply_edits(text, &fix.edits);
    assert_eq!(
        moved,
        text.replacen("Public API\n==========", "Public API\n----------", 1) + "\n"
    );
    let found = run(&moved);
    assert_eq!(about(&found, "Public API"), []);
    assert_eq!(
        about(&found, "Proposed change"),
        [(
            Code::TitleMismatch,
            "did you mean 'Proposed Change'? Section titles must match the template's exactly"
                .to_string(),
            false
        )]
    );
}

/// A subsection written as a section, nesting a copy of a subsection its section has and
/// one written twice: the move makes them duplicates there, reported before it moves.
#[test]
fn what_a_promoted_subsection_brings_twice_is_a_duplicate_before_it_moves() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let text = complete
        .replacen("Guest Agent\n-----------\n\nNone\n\n", "", 1)
        .replacen("Alternatives\n------------\n\nNone\n\n", "", 1)
        + "Guest Agent\n===========\n\nNone\n\nDatabase\n--------\n\nNone\n\n\
           Alternatives\n------------\n\nNone\n\nAlternatives\n------------\n\nNone\n";
    let lines = |text: &str, found: &[Finding]| -> Vec<(Code, String, usize)> {
        (found.iter())
            .filter(|f| f.code == Code::DuplicateSection)
            .map(|f| {
                let line = 1 + text[..f.range.start].matches('\n').count();
                (f.code, f.message.to_string(), line)
            })
            .collect()
    };
    let found = run(&text);
    let duplicate = |title: &str, line: usize| {
        format!(
            "subsection '{title}' is written again under 'Proposed Change' on line {line}: only that one counts; merge the two"
        )
    };
    assert_eq!(
        lines(&text, &found),
        [
            (Code::DuplicateSection, duplicate("Database", 20), 110),
            (Code::DuplicateSection, duplicate("Alternatives", 120), 115),
        ]
    );
    assert_eq!(found.len(), 4, "{found:#?}");
    let level = found.iter().find(|f| f.code == Code::SectionLevel).unwrap();
    let moved = apply_edits(&text, &level.fixes(&text)[0].edits);
    let found = run(&moved);
    // the same two, once they are there (the copy of one it has next to that one)
    assert_eq!(
        lines(&moved, &found),
        [
            (Code::DuplicateSection, duplicate("Database", 25), 20),
            (Code::DuplicateSection, duplicate("Alternatives", 65), 60),
        ]
    );
    assert_eq!(found.len(), 2, "{found:#?}");
}

/// The summary of `found`: code, message, whether it has no fix.
fn summary(found: &[Finding]) -> Vec<(Code, String, bool)> {
    (found.iter())
        .map(|f| (f.code, f.message.to_string(), f.fixes.is_empty()))
        .collect()
}

/// A subsection written twice at the top level: its copies move under its section one at
/// a time, and the copy that does not count is a duplicate before either moves.
#[test]
fn a_subsection_written_twice_at_the_top_level_is_a_duplicate_before_it_moves() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let work = "Work Items\n----------\n\nNone\n\n";
    let text = complete.replacen(work, "", 1)
        + "Work Items\n==========\n\nNone\n\nWork Items\n==========\n\nNone\n";
    let found = run(&text);
    let line = 1 + text
        .rfind("Work Items")
        .map_or(0, |i| text[..i].matches('\n').count());
    let level = "'Work Items' is a subsection of 'Implementation' in the template: move it under 'Implementation'";
    assert_eq!(
        summary(&found),
        [
            (Code::SectionLevel, level.to_string(), false),
            (
                Code::DuplicateSection,
                format!(
                    "subsection 'Work Items' is written again under 'Implementation' on line {line}: only that one counts; merge the two"
                ),
                true
            ),
            (Code::SectionLevel, level.to_string(), false),
        ]
    );
    // the first copy moves: the other is now the duplicate, of the one moved
    let fixed = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    let after = run(&fixed);
    let dups = (after.iter()).filter(|f| f.code == Code::DuplicateSection);
    assert_eq!(dups.count(), 1, "{:#?}", summary(&after));
    let fixed = apply_edits(&fixed, &after[after.len() - 2].fixes(&fixed)[0].edits);
    let last = run(&fixed);
    assert_eq!(
        (last.iter().map(|f| f.code)).collect::<Vec<_>>(),
        [Code::DuplicateSection],
        "{fixed}"
    );
}

/// A section missing while one of its subsections is written as a section, nesting
/// another of them: that one is missing already (as it will be once the section is
/// added), and two copies the moves would bring are a duplicate already.
#[test]
fn what_a_subsection_waiting_for_its_section_holds_is_judged_before_the_section_is_added() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let proposed = complete.find("Proposed Change\n").unwrap();
    let dashboard = complete.find("Dashboard Impact (UX)\n").unwrap();
    let text = complete[..proposed].to_string()
        + &complete[dashboard..]
        + "Guest Agent\n===========\n\nNone\n\nConfiguration\n-------------\n\nNone\n\nInternal API\n============\n\nNone\n\nInternal API\n============\n\nNone\n";
    let found = run(&text);
    let line = |n: usize| {
        let i = text.match_indices("Internal API").nth(n).unwrap().0;
        1 + text[..i].matches('\n').count()
    };
    let waiting = |title: &str| {
        (
            Code::SectionLevel,
            format!(
                "'{title}' is a subsection of 'Proposed Change' in the template, a section this spec does not have yet (under that title): move it under 'Proposed Change' once it is there"
            ),
            true,
        )
    };
    let held = "add subsection 'Configuration' to 'Proposed Change': it is under 'Guest Agent', which is written as a section; moving 'Guest Agent' under 'Proposed Change' brings it back";
    assert_eq!(
        summary(&found),
        [
            (
                Code::MissingSection,
                "add section 'Proposed Change' after 'Problem Description'".to_string(),
                false
            ),
            waiting("Guest Agent"),
            (Code::MissingSubsection, held.to_string(), true),
            waiting("Internal API"),
            (
                Code::DuplicateSection,
                format!(
                    "subsection 'Internal API' is written again under 'Proposed Change' on line {}: only that one counts; merge the two",
                    line(1)
                ),
                true
            ),
            waiting("Internal API"),
        ]
    );
    // added, the section has them as before (the held one on its heading now)
    let fixed = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    let after = run(&fixed);
    let count = |all: &[Finding], code| all.iter().filter(|f| f.code == code).count();
    for code in [Code::MissingSubsection, Code::DuplicateSection] {
        assert_eq!(count(&after, code), count(&found, code), "{code:?}");
    }
    assert!(after.iter().any(|f| f.message.as_ref() == held));
}

/// A section moved to the top level goes next to the section it follows in the final
/// order, a near miss (which the rename keeps in place) included.
#[test]
fn a_section_moved_to_the_top_level_follows_a_near_miss_of_its_neighbour() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let documentation = "Documentation Impact\n====================\n\nNone\n\n";
    let text = complete
        .replacen("Testing\n=======", "Tesxing\n=======", 1)
        .replacen(documentation, "", 1)
        .replacen(
            "Dependencies\n============\n\nNone\n\n",
            "Dependencies\n============\n\nNone\n\nDocumentation Impact\n--------------------\n\nNone\n\n",
            1,
        );
    let found = run(&text);
    let codes: Vec<Code> = found.iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::SectionLevel, Code::TitleMismatch]);
    let fixed = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    assert_eq!(
        fixed,
        complete.replacen("Testing\n=======", "Tesxing\n=======", 1)
    );
}

/// `text` with its last section, 'References', written before the section `heading`
/// instead (the text then ends as the section before it did).
fn references_before(text: &str, heading: &str) -> String {
    let references = "References\n==========\n\nNone\n";
    let text = text.replacen(references, "", 1).trim_end().to_string() + "\n";
    text.replacen(
        &format!("{heading}\n"),
        &format!("{references}\n{heading}\n"),
        1,
    )
}

/// A section moved to the end of the document ends it as the last section did: one line
/// break, no blank line after it.
#[test]
fn a_move_to_the_end_of_the_document_adds_no_blank_line() {
    let text = references_before(COMPLETE, "Proposed Change");
    let f = only(&text, Code::SectionOrder);
    assert_eq!(
        f.message,
        "section 'References' is out of template order: move it after 'Testing'"
    );
    assert_eq!(fix(&text, &f), COMPLETE);
}

#[test]
fn a_level_move_to_the_end_of_the_document_adds_no_blank_line() {
    let text = COMPLETE.replacen("References\n==========", "References\n----------", 1);
    let f = only(&text, Code::SectionLevel);
    assert_eq!(fix(&text, &f), COMPLETE);
}

/// A missing section's neighbour, and an out-of-order section's, is named as written: a
/// near miss keeps its title until it is renamed.
#[test]
fn a_neighbour_written_as_a_near_miss_is_named_as_written() {
    let testing = "Testing\n=======\n\nUnit tests.\n\n";
    let text = remove(COMPLETE, testing).replacen("Proposed Change\n=", "Proposed change\n=", 1);
    let f = only(&text, Code::MissingSection);
    assert_eq!(f.message, "add section 'Testing' after 'Proposed change'");
    assert_eq!(f.fixes(&text)[0].title, "Add section 'Testing'");
    let text = references_before(&text, "Problem Description");
    let f = only(&text, Code::SectionOrder);
    assert_eq!(
        f.message,
        "section 'References' is out of template order: move it after 'Proposed change'"
    );
}

/// A heading underlined with `ch` and its "None" body.
fn block(title: &str, ch: char) -> String {
    format!(
        "{title}\n{}\n\nNone\n\n",
        ch.to_string().repeat(title.len())
    )
}

/// The built-in template's complete spec with 'Proposed Change' holding only `subs`
/// (underlined `-`), and `appended` (each with its underline) at the end.
fn proposed_change_with(complete: &str, subs: &[&str], appended: &[(&str, char)]) -> String {
    let proposed = complete.find("Proposed Change\n").unwrap();
    let dashboard = complete.find("Dashboard Impact (UX)\n").unwrap();
    let subs: String = subs.iter().map(|t| block(t, '-')).collect();
    let appended: String = appended.iter().map(|(t, ch)| block(t, *ch)).collect();
    complete[..proposed].to_string()
        + &block("Proposed Change", '=')
        + &subs
        + &complete[dashboard..]
        + appended.trim_end()
        + "\n"
}

/// A subsection written as a section moves under its section with the template
/// subsections it nested, each to its own place: one that goes after the subsection
/// ending at an offset comes before one that goes before the subsection starting there,
/// so that the order judged before the move is the order after it.
#[test]
fn what_a_move_brings_lands_in_the_order_judged_before_it() {
    let text = proposed_change_with(
        &builtin_complete(&Template::builtin(), '=', '-'),
        &["Public API", "CLI (python-troveclient)", "Database"],
        &[
            ("Public API Security", '='),
            ("Configuration", '-'),
            ("Internal API", '-'),
            ("Guest Agent", '-'),
            ("Python API", '-'),
            ("Alternatives", '-'),
        ],
    );
    level_move_keeps_the_order(
        &text,
        &["subsection 'Database' is out of template order: move it before 'Public API'"],
        &[
            "Public API",
            "Public API Security",
            "Python API",
            "CLI (python-troveclient)",
            "Internal API",
            "Guest Agent",
            "Alternatives",
            "Configuration",
            "Database",
        ],
        &[
            "subsections 'Configuration' to 'Database' are out of template order: move them before 'Public API'",
        ],
    );
}

/// The one section-level finding's fix applied to `text`: the section-order findings
/// before it (`before`) and after it (`after`), as many, and the subsections it leaves
/// under 'Proposed Change' (`landed`, in that order).
fn level_move_keeps_the_order(text: &str, before: &[&str], landed: &[&str], after: &[&str]) {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let order = |found: &[Finding]| -> Vec<String> {
        (found.iter())
            .filter(|f| f.code == Code::SectionOrder)
            .map(|f| f.message.to_string())
            .collect()
    };
    let found = run(text);
    assert_eq!(order(&found), before);
    let level = (found.iter())
        .find(|f| f.code == Code::SectionLevel)
        .expect("section-level");
    let fixed = apply_edits(text, &level.fixes(text)[0].edits);
    let expected: String = landed.iter().map(|t| block(t, '-')).collect();
    assert!(fixed.contains(&expected), "{fixed}");
    assert_eq!(order(&run(&fixed)), after);
}

/// `complete` without 'Proposed Change' up to 'Dashboard Impact (UX)', nor 'Assignee(s)'
/// up to 'Upgrade Implications'.
fn without_proposed_change_and_assignees(complete: &str) -> String {
    let cut = |text: &str, from: &str, to: &str| {
        let (a, b) = (text.find(from).unwrap(), text.find(to).unwrap());
        text[..a].to_string() + &text[b..]
    };
    let text = cut(complete, "Proposed Change\n", "Dashboard Impact (UX)\n");
    cut(&text, "Assignee(s)\n", "Upgrade Implications\n")
}

/// `text` (with one line break at its end) after "Add all missing sections".
fn fix_all(text: &str, template: &Template, config: &Config) -> String {
    let text = text.trim_end().to_string() + "\n";
    let fix = fix_all_missing(&text, &crate::rst::parse(&text), template, config).expect("fix-all");
    apply_edits(&text, &fix.edits)
}

/// `fixed` ends with `expected` (one line break at its end), and no section or
/// subsection is missing from it.
fn assert_ends_with_nothing_missing(
    fixed: &str,
    expected: &str,
    run: impl Fn(&str) -> Vec<Finding>,
) {
    assert_eq!(
        &fixed[fixed.len() + 1 - expected.len()..],
        expected.trim_end().to_string() + "\n"
    );
    let missing = (run(fixed).into_iter())
        .filter(|f| matches!(f.code, Code::MissingSection | Code::MissingSubsection));
    assert_eq!(missing.count(), 0);
}

/// "Add all missing sections" where a section written as a subsection, with its
/// subsections after it, ends a section that lacks its own: the moving one's go after
/// its last subsection, before those that end the section it is written under.
#[test]
fn fix_all_puts_a_moving_sections_subsections_before_its_holders() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let text = without_proposed_change_and_assignees(&complete);
    let written = [
        "Configuration",
        "Database",
        "Public API",
        "Public API Security",
        "Python API",
    ];
    let text = text
        + &block("Implementation", '=')
        + &block("Proposed Change", '-')
        + &written.iter().map(|t| block(t, '-')).collect::<String>();
    let fixed = fix_all(&text, &template, &config);
    let expected: String = [
        "Python API",
        "CLI (python-troveclient)",
        "Internal API",
        "Guest Agent",
        "Alternatives",
        "Assignee(s)",
        "Milestones",
        "Work Items",
    ]
    .iter()
    .map(|t| block(t, '-'))
    .collect();
    assert_ends_with_nothing_missing(&fixed, &expected, run);
}

/// A subsection a move brings twice has no one place there: both copies go to the end of
/// the section, where they part no run of subsections in order.
#[test]
fn copies_a_move_brings_twice_go_to_the_end_of_the_section() {
    let text = proposed_change_with(
        &builtin_complete(&Template::builtin(), '=', '-'),
        &["Public API Security", "Public API"],
        &[("Configuration", '='), ("Database", '-'), ("Database", '-')],
    );
    // the same one move, of the run 'Configuration' joins
    level_move_keeps_the_order(
        &text,
        &["subsection 'Public API' is out of template order: move it before 'Public API Security'"],
        &[
            "Public API Security",
            "Configuration",
            "Public API",
            "Database",
            "Database",
        ],
        &[
            "subsections 'Configuration' to 'Public API' are out of template order: move them before 'Public API Security'",
        ],
    );
}

/// Subsections written in an adornment of the document's own (`~`, not the template's
/// `-`), one of them in the template's: that one nests under the subsection before it,
/// and is the slip. Its fix gives it its siblings' adornment, not theirs its own.
#[test]
fn a_subsection_in_the_templates_adornment_among_the_documents_own_is_the_slip() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let own = builtin_complete(&template, '=', '~');
    let text = own.replacen("Database\n~~~~~~~~", "Database\n--------", 1);
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [(
            Code::SectionLevel,
            "'Database' has a '-' underline where its sibling subsections have a '~' underline, so it is nested under 'Configuration': give it the '~' underline".to_string(),
            false
        )]
    );
    assert_eq!(apply_edits(&text, &found[0].fixes(&text)[0].edits), own);
}

/// A subsection written as a section holds a template section written a level too deep
/// ('Dependencies', leaving for the top level) and a near miss that goes to its own
/// place after it: moved under its section, the leaving one lands between the two and
/// parts no run, so the move adds no section-order finding (the one there is takes them
/// along).
#[test]
fn a_section_leaving_its_level_parts_no_run() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let order = |found: &[Finding]| -> Vec<String> {
        (found.iter())
            .filter(|f| f.code == Code::SectionOrder)
            .map(|f| f.message.to_string())
            .collect()
    };
    let written: String = [
        ("Problem Description", '='),
        ("Proposed Change", '='),
        ("Python API", '-'),
        ("Alternatives", '-'),
        ("Configuration", '-'),
        ("Database", '-'),
        ("Public API", '-'),
        ("Alternatives", '-'),
        ("Public API Security", '-'),
        ("CLI (python-troveclient)", '='),
        ("guest agent", '-'),
        ("Dependencies", '-'),
        ("Dashboard Impact (UX)", '='),
        ("Implementation", '='),
        ("Assignee(s)", '-'),
        ("Milestones", '-'),
        ("Work Items", '-'),
        ("Upgrade Implications", '='),
        ("Testing", '='),
        ("Documentation Impact", '='),
        ("References", '='),
        ("Appendix", '='),
    ]
    .iter()
    .map(|(t, ch)| block(t, *ch))
    .collect();
    let text = "=====\nTitle\n=====\n\n".to_string() + written.trim_end() + "\n";
    let found = run(&text);
    let before =
        ["subsection 'Python API' is out of template order: move it after 'Public API Security'"];
    assert_eq!(order(&found), before);
    let fixes: Vec<Fix> = (found.iter())
        .flat_map(|f| f.fixes(&text).into_owned())
        .collect();
    let fix = (fixes.iter())
        .find(|f| f.title == "Move 'CLI (python-troveclient)' under 'Proposed Change'")
        .expect("the move");
    let fixed = apply_edits(&text, &fix.edits);
    let landed: String = [
        "Python API",
        "CLI (python-troveclient)",
        "Dependencies",
        "Guest Agent",
        "Alternatives",
    ]
    .iter()
    .map(|t| block(t, '-'))
    .collect();
    assert!(fixed.contains(&landed), "{fixed}");
    // (the same one finding: the chain it moves now holds what the move brought)
    assert_eq!(
        order(&run(&fixed)),
        [
            "subsections 'Python API' to 'Guest Agent' are out of template order: move them after 'Public API Security'"
        ]
    );
}

/// A template subsection in another adornment than its siblings', written out of its
/// place: it nests under the sibling before it, and its fix gives it its siblings'
/// adornment at its template place (where the order was judged with it), not where it
/// was written (which would add a section-order finding).
#[test]
fn a_misadorned_subsection_is_restyled_at_its_template_place() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let public = block("Public API", '-');
    let text = complete.replacen(&block("Database", '-'), "", 1).replacen(
        &public,
        &(public.clone() + &block("Database", '~')),
        1,
    );
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [(
            Code::SectionLevel,
            "'Database' has a '~' underline where its sibling subsections have a '-' underline, so it is nested under 'Public API': give it the '-' underline".to_string(),
            false
        )]
    );
    let fix = &found[0].fixes(&text)[0];
    assert_eq!(fix.title, "Give 'Database' the '-' underline");
    let fixed = apply_edits(&text, &fix.edits);
    assert_eq!(fixed, complete);
    assert_eq!(run(&fixed), []);
}

/// How many findings of each code `found` has, in code order.
fn counts(found: &[Finding]) -> Vec<(Code, usize)> {
    let mut counts: Vec<(Code, usize)> = Vec::new();
    for f in found {
        match counts.iter_mut().find(|(c, _)| *c == f.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((f.code, 1)),
        }
    }
    counts.sort();
    counts
}

/// A template subsection written first among the section headings ('Assignee(s)',
/// underlined `-` as the template's subsections are) sets the section level with its
/// adornment, but no restyling undoes that: its place is the mistake. The move of the
/// section before it that makes it the first heading adds no section-level finding.
#[test]
fn a_move_that_leaves_a_subsection_first_adds_no_level_finding() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let head = "=====\nTitle\n=====\n\n";
    let assignee = "Assignee(s)\n----------\n\nNone\n\n";
    let text = String::from(head)
        + &block("Appendix", '-')
        + &block("Problem Description", '=')
        + assignee
        + block("Dependencies", '-').trim_end()
        + "\n";
    let found = run(&text);
    let before = counts(&found);
    assert_eq!(
        before,
        [
            (Code::MissingSection, 7),
            (Code::SectionOrder, 1),
            (Code::SectionLevel, 2),
            (Code::HeadingUnderline, 1),
        ]
    );
    let order = (found.iter())
        .find(|f| f.code == Code::SectionOrder)
        .unwrap();
    let fix = &order.fixes(&text)[0];
    assert_eq!(fix.title, "Move 'Appendix' after 'Dependencies'");
    let fixed = apply_edits(&text, &fix.edits);
    let moved = String::from(head)
        + assignee
        + &block("Dependencies", '-')
        + &block("Appendix", '-')
        + block("Problem Description", '=').trim_end()
        + "\n";
    assert_eq!(fixed, moved);
    assert_eq!(
        counts(&run(&fixed)),
        [
            (Code::MissingSection, 7),
            (Code::SectionLevel, 2),
            (Code::HeadingUnderline, 1),
        ]
    );
}

/// The summary (see [`summary`]) of the findings that start on the first heading titled
/// `title` (its title line or its underline).
fn on_heading(text: &str, found: &[Finding], title: &str) -> Vec<(Code, String, bool)> {
    let start = text.find(&format!("{title}\n")).unwrap();
    let heading = start..start + text[start..].find("\n\n").unwrap();
    (summary(found).into_iter().zip(found))
        .filter(|(_, f)| heading.contains(&f.range.start))
        .map(|(s, _)| s)
        .collect()
}

/// A template subsection written first among the section headings, in the template's
/// subsection adornment, is told where it belongs, never to take the adornment it has
/// ("has a '-' underline ... give it the '-' underline"); its short underline is still
/// reported, and the missing sections keep their fixes.
#[test]
fn a_subsection_written_first_is_told_its_place_not_its_own_adornment() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let text = String::from("=====\nTitle\n=====\n\n")
        + "Assignee(s)\n----------\n\nNone\n\n"
        + &block("Problem Description", '=')
        + block("Dependencies", '-').trim_end()
        + "\n";
    let found = run(&text);
    let on_it = on_heading(&text, &found, "Assignee(s)");
    assert_eq!(
        on_it,
        [
            (
                Code::SectionLevel,
                "'Assignee(s)' is a subsection of 'Implementation' in the template, a section this spec does not have yet (under that title): move it under 'Implementation' once it is there".to_string(),
                true
            ),
            (
                Code::HeadingUnderline,
                "Title underline too short: make it 11 characters long for 'Assignee(s)'"
                    .to_string(),
                false
            ),
        ]
    );
    let missing: Vec<&Finding> = (found.iter())
        .filter(|f| f.code == Code::MissingSection)
        .collect();
    assert_eq!(missing.len(), 8);
    assert!(missing.iter().all(|f| !f.fixes.is_empty()), "{missing:#?}");
}

/// A template subsection in another adornment, nested under a sibling, is restyled at
/// its template place as the order is judged: after a near miss of the subsection it
/// follows ('python api' for 'Python API'), not before it (which would add a
/// section-order finding).
#[test]
fn a_misadorned_subsection_lands_after_a_near_miss_of_its_neighbour() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let near = complete.replacen(&block("Python API", '-'), &block("python api", '-'), 1);
    let cli = block("CLI (python-troveclient)", '-');
    let public = block("Public API", '-');
    let text = near.replacen(&cli, "", 1).replacen(
        &public,
        &(public.clone() + &block("CLI (python-troveclient)", '~')),
        1,
    );
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [
            (
                Code::SectionLevel,
                "'CLI (python-troveclient)' has a '~' underline where its sibling subsections have a '-' underline, so it is nested under 'Public API': give it the '-' underline".to_string(),
                false
            ),
            (
                Code::TitleMismatch,
                "did you mean 'Python API'? Subsection titles must match the template's exactly"
                    .to_string(),
                false
            ),
        ]
    );
    let fix = &found[0].fixes(&text)[0];
    assert_eq!(
        fix.title,
        "Give 'CLI (python-troveclient)' the '-' underline"
    );
    let fixed = apply_edits(&text, &fix.edits);
    assert_eq!(fixed, near);
    assert_eq!(
        summary(&run(&fixed)),
        [(
            Code::TitleMismatch,
            "did you mean 'Python API'? Subsection titles must match the template's exactly"
                .to_string(),
            false
        )]
    );
}

/// A subsection in the template's adornment nested under the only subsection of its
/// section, in a spec whose subsections have an adornment of their own: the other
/// sections' subsections show which adornment is the document's, so it is the slip,
/// given theirs (restyling the one holding it would take the subsection level from all
/// of them).
#[test]
fn a_subsection_under_its_only_sibling_takes_the_documents_own_adornment() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let own = builtin_complete(&template, '=', '~').replacen(&block("Work Items", '~'), "", 1);
    let text = own.replacen(&block("Milestones", '~'), &block("Milestones", '-'), 1);
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [
            (
                Code::MissingSubsection,
                "add subsection 'Work Items' to 'Implementation' after 'Assignee(s)'".to_string(),
                false
            ),
            (
                Code::SectionLevel,
                "'Milestones' has a '-' underline where its sibling subsections have a '~' underline, so it is nested under 'Assignee(s)': give it the '~' underline".to_string(),
                false
            ),
        ]
    );
    let fixed = apply_edits(&text, &found[1].fixes(&text)[0].edits);
    assert_eq!(fixed, own);
    assert_eq!(counts(&run(&fixed)), [(Code::MissingSubsection, 1)]);
    // the missing one first, then the slip: the same spec
    let added = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    let then = run(&added);
    assert_eq!(counts(&then), [(Code::SectionLevel, 1)]);
    let done = apply_edits(&added, &then[0].fixes(&added)[0].edits);
    assert_eq!(done, builtin_complete(&template, '=', '~'));
}

/// A section written a level too deep, holding one of its subsections in an adornment of
/// its own and followed by another: its subsections are judged as they will be once it is
/// moved to the top level (the one under it and the one its move takes along), so a
/// missing one is reported now, its fix offered once the move is done; the move reveals
/// nothing.
#[test]
fn a_demoted_sections_subsections_under_it_and_after_it_are_judged_before_it_moves() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let lacking = complete.replacen(&block("Work Items", '-'), "", 1);
    let text = lacking
        .replacen(
            &block("Implementation", '='),
            &block("Implementation", '-'),
            1,
        )
        .replacen(&block("Assignee(s)", '-'), &block("Assignee(s)", '~'), 1);
    let missing = "add subsection 'Work Items' to 'Implementation' after 'Milestones'";
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [
            (Code::MissingSubsection, missing.to_string(), true),
            (
                Code::SectionLevel,
                "'Implementation' is a top-level section in the template, not a subsection of 'Dashboard Impact (UX)': move it to the top level".to_string(),
                false
            ),
        ]
    );
    let fix = &found[1].fixes(&text)[0];
    assert_eq!(fix.title, "Move 'Implementation' to the top level");
    let moved = apply_edits(&text, &fix.edits);
    assert_eq!(moved, lacking);
    let then = run(&moved);
    assert_eq!(
        summary(&then),
        [(Code::MissingSubsection, missing.to_string(), false)]
    );
    assert_eq!(
        apply_edits(&moved, &then[0].fixes(&moved)[0].edits),
        complete
    );
}

/// A heading docutils rejects for its level ('Assignee(s)' in a new adornment under a
/// section, where only a subsection's may open a level) has its short underline
/// reported as docutils reports it, with its own fix: fixing another heading that makes
/// it a section again reveals nothing.
#[test]
fn a_rejected_headings_short_underline_is_reported() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let text = complete.replacen(
        &block("Assignee(s)", '-'),
        "Assignee(s)\n~~~~~~~~~~\n\nNone\n\n",
        1,
    );
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [
            (
                Code::HeadingStructure,
                "Title level inconsistent: '~' underline is new, and a new adornment can only open level 4, below the deepest, but this heading is in a level-2 section; 'Assignee(s)' is a subsection in the template: use '-' underline for level 3 (set by line 15)".to_string(),
                false
            ),
            (
                Code::HeadingUnderline,
                "Title underline too short: make it 11 characters long for 'Assignee(s)'"
                    .to_string(),
                false
            ),
        ]
    );
    assert_eq!(
        apply_edits(&text, &found[0].fixes(&text)[0].edits),
        complete
    );
    let lengthened = apply_edits(&text, &found[1].fixes(&text)[0].edits);
    assert_eq!(
        lengthened,
        complete.replacen(&block("Assignee(s)", '-'), &block("Assignee(s)", '~'), 1)
    );
    assert_eq!(counts(&run(&lengthened)), [(Code::HeadingStructure, 1)]);
}

/// A template subsection written as the first heading after the title, in an adornment
/// the sections after it do not have: docutils nests them under it and takes it, the
/// only section, as the document's subtitle. One finding on it says so and where it
/// belongs (no fix: its section is still to be added), and no restyling is offered
/// (first, it would set the section level in any adornment).
#[test]
fn a_template_subsection_taken_as_the_subtitle_is_reported_on_it() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let text = String::from("=====\nTitle\n=====\n\n")
        + &block("Assignee(s)", '-')
        + &block("Problem Description", '=')
        + block("Proposed Change", '=').trim_end()
        + "\n";
    let subtitle = crate::rst::parse(&text).subtitle.map(|h| h.title);
    assert_eq!(subtitle.as_deref(), Some("Assignee(s)"));
    let found = run(&text);
    let on_it = on_heading(&text, &found, "Assignee(s)");
    assert_eq!(
        on_it,
        [(
            Code::SectionLevel,
            "'Assignee(s)' is taken as the document's subtitle, not a section: the sections after it ('Problem Description', ...) have a '=' underline, not its '-' underline, so they are nested under it and it is the only section; it is a subsection of 'Implementation' in the template, a section this spec does not have yet (under that title): move it under 'Implementation' once it is there".to_string(),
            true
        )]
    );
    assert_eq!(
        counts(&found),
        [
            (Code::MissingSection, 8),
            (Code::MissingSubsection, 9),
            (Code::SectionLevel, 1)
        ]
    );
}

/// The same with its section written (in a complete spec whose sections and
/// subsections have other adornments): the finding on it says to move it there, where
/// it is missing; a copy of one its section has is a duplicate, a warning (upstream,
/// which does not look at the subtitle, accepts the spec).
#[test]
fn a_template_subsection_taken_as_the_subtitle_belongs_under_its_section() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let head = "=====\nTitle\n=====\n\n";
    let subtitle = head.to_string() + &block("Assignee(s)", '~');
    let taken = "'Assignee(s)' is taken as the document's subtitle, not a section: the sections after it ('Problem Description', ...) have a '=' underline, not its '~' underline, so they are nested under it and it is the only section";
    let moved = complete.replacen(head, &subtitle, 1);
    let text = moved.replacen(&block("Assignee(s)", '-'), "", 1);
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [
            (
                Code::SectionLevel,
                format!(
                    "{taken}; it is a subsection of 'Implementation' in the template: move it under 'Implementation'"
                ),
                true
            ),
            (
                Code::MissingSubsection,
                "add subsection 'Assignee(s)' to 'Implementation' before 'Milestones'".to_string(),
                false
            ),
        ]
    );
    // (the missing one's fix adds it, not a restyling of the subtitle)
    let add = &found[1].fixes(&text)[0];
    assert_eq!(add.title, "Add subsection 'Assignee(s)'");
    assert_eq!(apply_edits(&text, &add.edits), moved);
    assert_eq!(
        summary(&run(&moved)),
        [(
            Code::DuplicateSection,
            format!(
                "{taken}; the subsection 'Assignee(s)' under 'Implementation' on line 75 is the one that counts: merge the two"
            ),
            true
        )]
    );
}

/// A subsection whose adornment nests its siblings under it, and whose restyling is the
/// fix, makes them its siblings where they are: their order is judged so beforehand
/// ('Assignee(s)' after 'Milestones' is out of order before the restyling, which comes
/// first, as the first subsection's adornment sets the level), and the restyling adds
/// nothing.
#[test]
fn what_a_restyled_subsection_nests_is_judged_in_place() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let head = String::from("=====\nTitle\n=====\n\n")
        + &block("Problem Description", '=')
        + &block("Implementation", '=');
    let spec = |subs: &[(&str, char)]| -> String {
        let subs: String = subs.iter().map(|(t, ch)| block(t, *ch)).collect();
        (head.clone() + &subs).trim_end().to_string() + "\n"
    };
    let text = spec(&[
        ("Milestones", '~'),
        ("Assignee(s)", '-'),
        ("Work Items", '-'),
    ]);
    let ours = |found: &[Finding]| -> Vec<(Code, String, bool)> {
        summary(found)
            .into_iter()
            .filter(|(c, _, _)| *c != Code::MissingSection)
            .collect()
    };
    let found = run(&text);
    let restyle = (
        Code::SectionLevel,
        "'Milestones' has a '~' underline where its sibling subsections have a '-' underline, so 'Assignee(s)', 'Work Items' are nested under it: give it the '-' underline".to_string(),
        false,
    );
    let order = |no_fix: bool| {
        (
            Code::SectionOrder,
            "subsection 'Assignee(s)' is out of template order: move it before 'Milestones'"
                .to_string(),
            no_fix,
        )
    };
    assert_eq!(ours(&found), [restyle, order(true)]);
    let done = spec(&[
        ("Assignee(s)", '-'),
        ("Milestones", '-'),
        ("Work Items", '-'),
    ]);
    // the order finding stays as it was, its move offered now
    let fix = |text: &str, code: Code| -> String {
        let found = run(text);
        let f = found.iter().find(|f| f.code == code).unwrap();
        apply_edits(text, &f.fixes(text)[0].edits)
    };
    let restyled = fix(&text, Code::SectionLevel);
    assert_eq!(ours(&run(&restyled)), [order(false)]);
    assert_eq!(fix(&restyled, Code::SectionOrder), done);
}

/// A near miss of a template subsection that docutils rejects for its level
/// ('assignee(s)' in the adornment another subsection nested deeper) is a near miss
/// once its fix gives it its level: its title-mismatch is said beforehand (its rename
/// offered once it is a subsection), so that fix adds no finding; the structural fixes
/// around it wait for that fix, as they do for a rejected template heading.
#[test]
fn a_rejected_near_miss_is_named_before_its_fix() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let text = complete
        .replacen(&block("Database", '-'), &block("Database", '~'), 1)
        .replacen(&block("Assignee(s)", '-'), &block("assignee(s)", '~'), 1);
    let found = run(&text);
    let mismatch =
        "did you mean 'Assignee(s)'? Subsection titles must match the template's exactly";
    assert_eq!(
        summary(&found),
        [
            (
                Code::SectionLevel,
                "'Database' has a '~' underline where its sibling subsections have a '-' underline, so it is nested under 'Configuration': give it the '-' underline".to_string(),
                true
            ),
            (
                Code::MissingSubsection,
                "add subsection 'Assignee(s)' to 'Implementation' before 'Milestones'".to_string(),
                true
            ),
            (Code::TitleMismatch, mismatch.to_string(), true),
            (
                Code::HeadingStructure,
                "Title level inconsistent: '~' underline is level 4 (set by line 20), but this heading is in a level-2 section: use '-' underline for level 3 (set by line 15), or the adornment of the level you mean".to_string(),
                false
            ),
        ]
    );
    let fixed = apply_edits(&text, &found[3].fixes(&text)[0].edits);
    let then = run(&fixed);
    assert_eq!(
        counts(&then),
        [(Code::SectionLevel, 1), (Code::TitleMismatch, 1)]
    );
    let renamed = then.iter().find(|f| f.code == Code::TitleMismatch).unwrap();
    assert_eq!(renamed.message, mismatch);
    assert!(!renamed.fixes.is_empty());
}

/// A subsection written as a section ('Guest Agent') holding a section written a level
/// too deep ('Implementation', with its subsections after it): moved under its section,
/// it brings them along, and they leave for the top level with 'Implementation', so they
/// part no run of subsections ('Internal API', 'Guest Agent', 'Alternatives', out of
/// order as one) and the move adds no section-order finding.
#[test]
fn what_leaves_with_a_demoted_section_parts_no_run() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let blocks = |titles: &[(&str, char)]| -> String {
        titles.iter().map(|(t, ch)| block(t, *ch)).collect()
    };
    let written = blocks(&[
        ("Problem Description", '='),
        ("Proposed Change", '='),
        ("Internal API", '-'),
        ("Alternatives", '-'),
        ("Configuration", '-'),
        ("Database", '-'),
        ("Public API", '-'),
        ("Public API Security", '-'),
        ("Python API", '-'),
        ("CLI (python-troveclient)", '-'),
        ("Dashboard Impact (UX)", '='),
        ("Guest Agent", '='),
        ("Implementation", '-'),
        ("Assignee(s)", '-'),
        ("Milestones", '-'),
        ("Work Items", '-'),
    ]);
    let text = String::from("=====\nTitle\n=====\n\n") + written.trim_end() + "\n";
    let order = |found: &[Finding]| -> Vec<String> {
        (found.iter())
            .filter(|f| f.code == Code::SectionOrder)
            .map(|f| f.message.to_string())
            .collect()
    };
    let found = run(&text);
    assert_eq!(
        order(&found),
        [
            "subsections 'Internal API' to 'Alternatives' are out of template order: move them after 'CLI (python-troveclient)'"
        ]
    );
    let moving = (found.iter())
        .find(|f| f.code == Code::SectionLevel && f.data.section.as_deref() == Some("Guest Agent"))
        .unwrap();
    let fix = &moving.fixes(&text)[0];
    assert_eq!(fix.title, "Move 'Guest Agent' under 'Proposed Change'");
    let moved = apply_edits(&text, &fix.edits);
    assert_eq!(
        order(&run(&moved)),
        [
            "subsections 'Internal API' to 'Alternatives' are out of template order: move them after 'CLI (python-troveclient)'"
        ]
    );
}

/// "Add all missing sections" where a section written as a subsection, with none of its
/// subsections, ends a section that lacks its own: the moving one's come right after
/// it (its move takes them along), before those that end the section it is under.
#[test]
fn fix_all_puts_a_moving_sections_missing_subsections_right_after_it() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let text = without_proposed_change_and_assignees(&complete);
    let text = text + &block("Implementation", '=') + &block("Proposed Change", '-');
    let fixed = fix_all(&text, &template, &config);
    let subs = |parent: &str| -> String {
        let entry = template
            .sections
            .iter()
            .find(|s| s.title == parent)
            .unwrap();
        entry
            .subsections
            .iter()
            .map(|s| block(&s.title, '-'))
            .collect()
    };
    let expected =
        block("Proposed Change", '-') + &subs("Proposed Change") + &subs("Implementation");
    assert_ends_with_nothing_missing(&fixed, &expected, run);
}

/// A template section docutils takes as the subtitle, written before a section that
/// goes before it: it is out of order already (no fix: giving it the sections'
/// adornment comes first), so that fix adds no `section-order` finding; once it is a
/// section, its move is offered.
#[test]
fn a_subtitle_written_before_its_place_is_out_of_order_before_its_restyling() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let text = "=====\nTitle\n=====\n\nReferences\n==========\n\nNone\n\nDashboard Impact (UX)\n---------------------\n\nNone\n";
    let found = run(text);
    let order: Vec<&Finding> = found
        .iter()
        .filter(|f| f.code == Code::SectionOrder)
        .collect();
    assert_eq!(order.len(), 1, "{found:#?}");
    assert_eq!(
        order[0].message,
        "section 'References' is out of template order: once it is a section, move it after 'Dashboard Impact (UX)'"
    );
    assert_eq!(&text[order[0].range.clone()], "References\n==========");
    assert!(order[0].fixes(text).is_empty());
    let subtitle = (found.iter())
        .find(|f| f.code == Code::MissingSection && f.data.section.as_deref() == Some("References"))
        .expect("the subtitle is reported");
    let fix = &subtitle.fixes(text)[0];
    assert_eq!(fix.title, "Give 'References' the '-' underline");
    let fixed = apply_edits(text, &fix.edits);
    assert_eq!(
        fixed,
        "=====\nTitle\n=====\n\nReferences\n----------\n\nNone\n\nDashboard Impact (UX)\n---------------------\n\nNone\n"
    );
    let after = run(&fixed);
    let order: Vec<&Finding> = after
        .iter()
        .filter(|f| f.code == Code::SectionOrder)
        .collect();
    assert_eq!(order.len(), 1, "{after:#?}");
    assert_eq!(
        order[0].message,
        "section 'References' is out of template order: move it after 'Dashboard Impact (UX)'"
    );
    let moved = apply_edits(&fixed, &order[0].fixes(&fixed)[0].edits);
    assert!(
        !run(&moved).iter().any(|f| f.code == Code::SectionOrder),
        "{moved}"
    );
}

/// A lone section docutils takes as the subtitle: a template section that goes before
/// it is added before it, in its adornment, which makes it a section in its place (after
/// it, the subtitle would be a section out of order).
#[test]
fn a_section_missing_before_a_lone_subtitle_is_added_before_it() {
    let text = "====\nSpec\n====\n\nTesting\n=======\n\nTests.\n";
    let problem = (findings(text).into_iter())
        .find(|f| f.data.section.as_deref() == Some("Problem Description"))
        .expect("reported");
    assert_eq!(problem.code, Code::MissingSection);
    assert_eq!(
        problem.message,
        "add section 'Problem Description' before 'Testing'"
    );
    added_before_the_subtitle(text, &problem, "Testing\n=======");
}

/// Applies `added`'s fix to `text`, a lone subtitle `subtitle` (its heading lines), and
/// checks that 'Problem Description' went before it, which made it a section in order.
fn added_before_the_subtitle(text: &str, added: &Finding, subtitle: &str) {
    let fixed = fix(text, added);
    assert_eq!(
        fixed,
        format!(
            "====\nSpec\n====\n\nProblem Description\n===================\n\nNone\n\n{subtitle}\n\nTests.\n"
        )
    );
    assert!(crate::rst::parse(&fixed).subtitle.is_none());
    let order = findings(&fixed)
        .iter()
        .filter(|f| f.code == Code::SectionOrder)
        .count();
    assert_eq!(order, 0, "{fixed}");
}

/// A template section docutils takes as the subtitle because the sections after it,
/// in the template's adornment (here a near miss only), nest under its own: it set the
/// section level with the wrong adornment, one finding with the fix, whether or not an
/// exact template section follows it yet, so adding one adds no finding.
#[test]
fn a_subtitle_in_its_own_adornment_before_the_templates_is_the_slip() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let text = "=====\nTitle\n=====\n\nDashboard Impact (UX)\n---------------------\n\nNone\n\ndependencies\n============\n\nNone\n";
    let found = run(text);
    let level: Vec<&Finding> = (found.iter())
        .filter(|f| f.data.section.as_deref() == Some("Dashboard Impact (UX)"))
        .collect();
    assert_eq!(level.len(), 1, "{found:#?}");
    assert_eq!(level[0].code, Code::SectionLevel);
    assert_eq!(
        level[0].message,
        "'Dashboard Impact (UX)' has a '-' underline, but the template's sections have a '=' underline: as the first section heading, it made '-' underline level 2 (set by line 5), so the headings after it are nested at the wrong levels: give it the '=' underline"
    );
    let fixes = level[0].fixes(text);
    assert_eq!(
        fixes[0].title,
        "Give 'Dashboard Impact (UX)' the '=' underline"
    );
    assert_eq!(
        apply_edits(text, &fixes[0].edits),
        "=====\nTitle\n=====\n\nDashboard Impact (UX)\n=====================\n\nNone\n\ndependencies\n============\n\nNone\n"
    );
    // the other structural fixes wait for it
    let offered = (found.iter())
        .filter(|f| f.code != Code::SectionLevel && !f.fixes(text).is_empty())
        .count();
    assert_eq!(offered, 0, "{found:#?}");
    // with an exact template section after it, the same one finding
    let with = text.replace(
        "\ndependencies\n",
        "\nProblem Description\n===================\n\nNone\n\ndependencies\n",
    );
    let level = (run(&with).into_iter())
        .filter(|f| f.code == Code::SectionLevel)
        .count();
    assert_eq!(level, 1, "{with}");
}

/// A section written a level too deep ('Proposed Change' under 'Problem Description')
/// takes its subsections after it along when it moves: they leave their level with it,
/// but not its own, so a title written twice among them ('Python API', which takes no
/// part in the order) parts runs before the move as it does after, and the move adds no
/// section-order finding.
#[test]
fn what_a_demoted_section_takes_along_stays_in_its_runs() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let subs = [
        "Internal API",
        "Python API",
        "Guest Agent",
        "Configuration",
        "Database",
        "Public API",
        "Python API",
        "CLI (python-troveclient)",
    ];
    let written: String = subs.iter().map(|t| block(t, '-')).collect();
    let text = String::from("=====\nTitle\n=====\n\n")
        + &block("Problem Description", '=')
        + &block("Proposed Change", '-')
        + &written
        + "Dashboard Impact (UX)\n=====================\n\nNone\n";
    let order = |found: &[Finding]| -> Vec<String> {
        (found.iter())
            .filter(|f| f.code == Code::SectionOrder)
            .map(|f| f.message.to_string())
            .collect()
    };
    let expected = [
        "subsection 'Internal API' is out of template order: move it after 'CLI (python-troveclient)'",
        "subsection 'Guest Agent' is out of template order: move it after 'Internal API'",
    ];
    let found = run(&text);
    assert_eq!(order(&found), expected);
    let moving = (found.iter())
        .find(|f| f.code == Code::SectionLevel)
        .expect("reported");
    let fix = &moving.fixes(&text)[0];
    assert_eq!(fix.title, "Move 'Proposed Change' to the top level");
    let moved = apply_edits(&text, &fix.edits);
    let expected_text = String::from("=====\nTitle\n=====\n\n")
        + &block("Problem Description", '=')
        + &block("Proposed Change", '=')
        + &written
        + "Dashboard Impact (UX)\n=====================\n\nNone\n";
    assert_eq!(moved, expected_text);
    assert_eq!(order(&run(&moved)), expected);
}

/// A spec whose subsections have an adornment of its own ('~'), with a template section
/// written first among them ('Proposed Change') and another written a level too deep
/// ('References'): '~' is the spec's adornment for subsections, not a slip, and stays
/// so when 'References' moves to the top level (which leaves fewer sections in '~' than
/// in '='), so that move adds no section-level finding.
#[test]
fn a_section_written_first_among_subsections_in_their_own_adornment_is_no_slip() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let head = "=====\nTitle\n=====\n\n";
    let blocks = |titles: &[(&str, char)]| -> String {
        titles.iter().map(|(t, ch)| block(t, *ch)).collect()
    };
    let written = [
        ("Problem Description", '='),
        ("Proposed Change", '~'),
        ("Configuration", '~'),
        ("Database", '~'),
        ("Public API", '-'),
        ("Python API", '~'),
    ];
    let text = String::from(head)
        + &blocks(&written)
        + &blocks(&[("Alternatives", '='), ("References", '~')]);
    let found = run(&text);
    let on = |found: &[Finding], title: &str| -> Vec<String> {
        (found.iter())
            .filter(|f| f.data.section.as_deref() == Some(title))
            .map(|f| f.message.to_string())
            .collect()
    };
    let level = "'Proposed Change' is a top-level section in the template, not a subsection of 'Problem Description': move it to the top level";
    assert_eq!(on(&found, "Proposed Change"), [level]);
    // (no fix waits for another: all but that of 'Alternatives', which waits for the
    // move of 'Proposed Change', are offered)
    let waiting = |found: &[Finding]| -> Vec<String> {
        (found.iter())
            .filter(|f| f.fixes.is_empty())
            .filter_map(|f| f.data.section.clone())
            .collect()
    };
    assert_eq!(waiting(&found), ["Alternatives"]);
    let moving = (found.iter())
        .find(|f| f.data.section.as_deref() == Some("References"))
        .expect("reported");
    let fix = &moving.fixes(&text)[0];
    assert_eq!(fix.title, "Move 'References' to the top level");
    let moved = apply_edits(&text, &fix.edits);
    assert_eq!(
        moved,
        String::from(head)
            + &blocks(&written)
            + &blocks(&[("References", '='), ("Alternatives", '=')])
    );
    let after = run(&moved);
    assert_eq!(on(&after, "Proposed Change"), [level]);
    assert_eq!(waiting(&after), ["Alternatives"]);
    assert_eq!(
        counts(&after),
        [
            (Code::MissingSection, 7),
            (Code::MissingSubsection, 4),
            (Code::SectionLevel, 3)
        ]
    );
}

/// A near miss docutils rejects for its level ('Work Ixems' in the adornment that
/// 'Database' made a deeper level), written before its neighbours: out of order once its
/// fix gives it its level, which is said beforehand (the move offered once it is a
/// subsection), so that fix adds no finding.
#[test]
fn a_rejected_near_miss_out_of_order_is_said_before_its_fix() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let complete = builtin_complete(&template, '=', '-');
    let text = complete
        .replacen(&block("Database", '-'), &block("Database", '~'), 1)
        .replacen(&block("Work Items", '-'), "", 1)
        .replacen(
            &block("Assignee(s)", '-'),
            &(block("Work Ixems", '~') + &block("Assignee(s)", '-')),
            1,
        );
    let found = run(&text);
    let order = "subsection 'Work Ixems' is out of template order: move it after 'Milestones'";
    let of = |found: &[Finding], code: Code| -> Vec<(String, bool)> {
        (found.iter())
            .filter(|f| f.code == code)
            .map(|f| (f.message.to_string(), f.fixes.is_empty()))
            .collect()
    };
    assert_eq!(of(&found, Code::SectionOrder), [(order.to_string(), true)]);
    let rejected = (found.iter())
        .find(|f| f.code == Code::HeadingStructure)
        .expect("reported");
    let fix = &rejected.fixes(&text)[0];
    assert_eq!(fix.title, "Give 'Work Ixems' the '-' underline");
    let fixed = apply_edits(&text, &fix.edits);
    assert_eq!(
        fixed,
        text.replacen(&block("Work Ixems", '~'), &block("Work Ixems", '-'), 1)
    );
    let then = run(&fixed);
    assert_eq!(of(&then, Code::SectionOrder), [(order.to_string(), false)]);
    assert_eq!(
        counts(&then),
        [
            (Code::SectionOrder, 1),
            (Code::SectionLevel, 1),
            (Code::TitleMismatch, 1)
        ]
    );
}

/// Near misses docutils rejects for their level ('Configxration' and 'CLI
/// (python-xroveclient)' in the adornment that 'Details' made a deeper level) are
/// headings once their fixes give them their level: the structural fixes around them
/// wait for those (inserted now, 'Database' would go before 'Internal API', after the
/// second near miss, out of its order), then place what they add among them (after the
/// section of the first, which nests the second until its own fix).
#[test]
fn the_structural_fixes_wait_for_a_rejected_near_miss() {
    let (template, config) = (Template::builtin(), Config::default());
    let run = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let written = [
        ("Problem Description", '='),
        ("Background", '-'),
        ("Details", '~'),
        ("Proposed Change", '='),
        ("Configxration", '~'),
        ("CLI (python-xroveclient)", '~'),
        ("Internal API", '-'),
    ];
    let text = String::from("=====\nTitle\n=====\n\n")
        + &written
            .iter()
            .map(|(t, ch)| block(t, *ch))
            .collect::<String>();
    let found = run(&text);
    let offered: Vec<String> = (found.iter())
        .filter(|f| !f.fixes.is_empty())
        .map(|f| f.fixes(&text)[0].title.clone())
        .collect();
    assert_eq!(
        offered,
        [
            "Give 'Configxration' the '-' underline",
            "Give 'CLI (python-xroveclient)' the '-' underline"
        ]
    );
    let database = |found: &[Finding]| -> Finding {
        (found.iter())
            .find(|f| f.data.section.as_deref() == Some("Database"))
            .expect("reported")
            .clone()
    };
    assert_eq!(
        database(&found).message,
        "add subsection 'Database' to 'Proposed Change' before 'Internal API'"
    );
    let rejected = (found.iter())
        .find(|f| f.code == Code::HeadingStructure)
        .unwrap();
    let fixed = apply_edits(&text, &rejected.fixes(&text)[0].edits);
    assert_eq!(
        fixed,
        text.replacen(
            &block("Configxration", '~'),
            &block("Configxration", '-'),
            1
        )
    );
    let then = run(&fixed);
    let add = database(&then);
    assert_eq!(
        add.message,
        "add subsection 'Database' to 'Proposed Change' after 'Configxration'"
    );
    let added = apply_edits(&fixed, &add.fixes(&fixed)[0].edits);
    assert_eq!(
        added,
        fixed.replacen(
            &block("Internal API", '-'),
            &(block("Database", '-') + &block("Internal API", '-')),
            1
        )
    );
    let order = run(&added)
        .into_iter()
        .filter(|f| f.code == Code::SectionOrder)
        .count();
    assert_eq!(order, 0, "{added}");
}

/// A lone section docutils takes as the subtitle whose title is a near miss of a
/// template section ('Testng'): it is that section, renamed, so a template section that
/// goes before it is added before it (making it a section in its place), as before the
/// template section itself.
#[test]
fn a_section_missing_before_a_lone_near_miss_subtitle_is_added_before_it() {
    let text = "====\nSpec\n====\n\nTestng\n======\n\nTests.\n";
    let found = findings(text);
    let summary: Vec<(Code, &str)> = (found.iter())
        .map(|f| (f.code, f.message.as_ref()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                Code::MissingSection,
                "add section 'Problem Description' before 'Testng'"
            ),
            (
                Code::MissingSection,
                "add section 'Proposed Change' before 'Testng'"
            ),
            (
                Code::TitleMismatch,
                "did you mean 'Testing'? Section titles must match the template's exactly"
            ),
            (Code::MissingSection, "add section 'References'"),
        ]
    );
    added_before_the_subtitle(text, &found[0], "Testng\n======");
}

/// A template subsection written under another template section ('Assignee(s)' under
/// 'Problem Description'): reported missing from its section saying where it is
/// written.
#[test]
fn a_subsection_under_another_section_is_told_where_it_is() {
    let (template, config) = (Template::builtin(), Config::default());
    let (complete, run) = builtin_spec(&template, &config);
    let assignees = block("Assignee(s)", '-');
    let text = complete.replacen(&assignees, "", 1).replacen(
        &block("Proposed Change", '='),
        &(assignees.clone() + &block("Proposed Change", '=')),
        1,
    );
    let found = run(&text);
    assert_eq!(
        summary(&found),
        [(
            Code::MissingSubsection,
            "add subsection 'Assignee(s)' to 'Implementation' before 'Milestones': 'Assignee(s)' is written under 'Problem Description' instead; move it here, or add it".to_string(),
            false
        )]
    );
    assert_eq!(
        &text[found[0].range.clone()],
        "Implementation\n=============="
    );
    let fixed = apply_edits(&text, &found[0].fixes(&text)[0].edits);
    assert_eq!(
        fixed,
        text.replacen(
            &block("Milestones", '-'),
            &(assignees + &block("Milestones", '-')),
            1
        )
    );
    assert_eq!(run(&fixed), []);
}

/// A tie between the spec's own subsection adornment and the template's is the spec's
/// house style (the adornment docutils reads first), not a level slip, unless neither is
/// written: moving 'Database' under 'Proposed Change' gives it the spec's `~` and makes
/// the count 4 to 4, and the `-` subsections nested under 'Public API Security' are then
/// the slips, each given the `~`, not a slip on 'Configuration' whose fix would reveal
/// their order.
#[test]
fn a_tie_between_the_own_subsection_adornment_and_the_templates_is_the_house_style() {
    let (template, config) = (Template::builtin(), Config::default());
    let findings = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let count = |all: &[Finding], code: Code| all.iter().filter(|f| f.code == code).count();
    let text = "=====\nTitle\n=====\n\nProposed Change\n===============\n\nNone\n\nConfiguration\n~~~~~~~~~~~~~\n\nNone\n\nAlternatives\n~~~~~~~~~~~~\n\nNone\n\nDatabase\n========\n\nNone\n\nPublic API Security\n~~~~~~~~~~~~~~~~~~~\n\nNone\n\nPython API\n----------\n\nNone\n\nGuest Agent\n-----------\n\nNone\n\nPublic API\n----------\n\nNone\n\nCLI (python-troveclient)\n------------------------\n\nNone\n\nDashboard Impact (UX)\n=====================\n\nNone\n\nUpgrade Implications\n====================\n\nNone\n\nDependencies\n============\n\nNone\n\nReferences\n==========\n\nNone\n\nAppendix\n========\n\nNone\n\nTesting\n=======\n\nNone\n\n\n---\n";
    let found = findings(text);
    let level: Vec<&Finding> = (found.iter())
        .filter(|f| f.code == Code::SectionLevel)
        .collect();
    assert_eq!(level.len(), 1, "{found:#?}");
    let fix = &level[0].fixes(text)[0];
    assert_eq!(fix.title, "Move 'Database' under 'Proposed Change'");
    let moved = apply_edits(text, &fix.edits);
    assert!(moved.contains("\nConfiguration\n~~~~~~~~~~~~~\n\nNone\n\nDatabase\n~~~~~~~~\n"));
    let after = findings(&moved);
    assert_eq!(count(&found, Code::SectionOrder), 1);
    assert_eq!(count(&after, Code::SectionOrder), 1, "{after:#?}");
    let level: Vec<&Finding> = (after.iter())
        .filter(|f| f.code == Code::SectionLevel)
        .collect();
    let titles: Vec<&str> = (level.iter())
        .filter_map(|f| f.data.section.as_deref())
        .collect();
    assert_eq!(
        titles,
        [
            "Python API",
            "Guest Agent",
            "Public API",
            "CLI (python-troveclient)"
        ]
    );
    assert_eq!(
        level[0].message,
        "'Python API' has a '-' underline where its sibling subsections have a '~' underline, so it is nested under 'Public API Security': give it the '~' underline"
    );
    assert_eq!(
        level[0].fixes(&moved)[0].title,
        "Give 'Python API' the '~' underline"
    );
}

/// The first subsection in the template's adornment before more template subsections in
/// the spec's own, which docutils rejects for their level: one finding on that first
/// one, whose fix gives it the spec's adornment, not a heading-structure error per
/// rejected heading.
#[test]
fn a_first_subsection_in_the_templates_adornment_before_the_specs_own_is_the_slip() {
    let (template, config) = (Template::builtin(), Config::default());
    let findings = |text: &str| analyze(text, &template, &config, Mode::Spec).findings;
    let count = |all: &[Finding], code: Code| all.iter().filter(|f| f.code == code).count();
    let text = "=====\nTitle\n=====\n\nProposed Change\n===============\n\nNone\n\nConfiguration\n-------------\n\nNone\n\nImplementation\n==============\n\nNone\n\nAssignee(s)\n~~~~~~~~~~~\n\nNone\n\nWork Items\n~~~~~~~~~~\n\nNone\n";
    let found = findings(text);
    assert_eq!(count(&found, Code::HeadingStructure), 0, "{found:#?}");
    let level: Vec<&Finding> = (found.iter())
        .filter(|f| f.code == Code::SectionLevel)
        .collect();
    assert_eq!(level.len(), 1, "{found:#?}");
    assert_eq!(
        level[0].message,
        "'Configuration' has a '-' underline, but the spec writes its subsections after it with a '~' underline: as the first subsection heading, it made '-' underline level 3 (set by line 10), so the headings after it are nested at the wrong levels: give it the '~' underline"
    );
    let fix = &level[0].fixes(text)[0];
    assert_eq!(fix.title, "Give 'Configuration' the '~' underline");
    let fixed = apply_edits(text, &fix.edits);
    assert_eq!(
        fixed,
        text.replace(
            "Configuration\n-------------",
            "Configuration\n~~~~~~~~~~~~~"
        )
    );
    let after = findings(&fixed);
    assert_eq!(count(&after, Code::SectionLevel), 0, "{after:#?}");
    assert_eq!(count(&after, Code::HeadingStructure), 0, "{after:#?}");
}

/// "Add all missing sections" waits for the fix of a level set in the wrong adornment
/// also when asked with the analysis's outline (as the server asks), not only with a
/// fresh parse's: docutils' messages about the headings it rejects are kept there.
#[test]
fn add_all_missing_waits_for_a_slip_with_the_analysis_outline() {
    let (template, config) = (Template::builtin(), Config::default());
    let text = "=====\nTitle\n=====\n\nProposed Change\n===============\n\nNone\n\nConfiguration\n-------------\n\nNone\n\nImplementation\n==============\n\nNone\n\nAssignee(s)\n~~~~~~~~~~~\n\nNone\n\nWork Items\n~~~~~~~~~~\n\nNone\n";
    let analysis = analyze(text, &template, &config, Mode::Spec);
    assert!(
        (analysis.findings.iter()).any(|f| f.code == Code::SectionLevel),
        "{:#?}",
        analysis.findings
    );
    assert!(fix_all_missing(text, &crate::rst::parse(text), &template, &config).is_none());
    assert!(fix_all_missing(text, &analysis.outline, &template, &config).is_none());
}
