//! The repository rules' options, each passing and failing: line-length exemptions,
//! trailing whitespace kinds, tabs, invisible characters, the final newline,
//! `[[require]]`, `allow-extra`, `required` and `allowed-directories`.

use std::path::Path;

use super::*;
use crate::template::TemplateSource;
use crate::{Location, Mode, analyze_in};

const TEMPLATE: &str = "\
=====
Title
=====

Problem description
===================

Say what.

Proposed change
===============

Say how.

Alternatives
------------

Others.
";

const SPEC: &str = "\
..
 This work is licensed under a Creative Commons Attribution 3.0 Unported
 License.

 http://creativecommons.org/licenses/by/3.0/legalcode

==========
Fast cache
==========

https://bugs.launchpad.net/ironic/+bug/1

Problem description
===================

Slow.

Proposed change
===============

Fast.

Alternatives
------------

None.
";

/// Findings (code, 1-based line) for `text` under the configuration `toml`, for a spec at
/// `path`.
fn check_at(text: &str, toml: &str, path: &str) -> Vec<(Code, usize)> {
    let path = Path::new(path);
    let config = Config::from_toml(toml, Path::new("/repo/trove-spec-lsp.toml"))
        .unwrap()
        .for_path(path);
    let template = Template::parse(TEMPLATE.into(), TemplateSource::File("t.rst".into()));
    let at = Location { path, exists: None };
    analyze_in(text, &template, &config, Mode::Spec, Some(at))
        .findings
        .into_iter()
        .map(|f| (f.code, 1 + text[..f.range.start].matches('\n').count()))
        .collect()
}

fn check(text: &str, toml: &str) -> Vec<(Code, usize)> {
    check_at(text, toml, "/repo/specs/approved/fast-cache.rst")
}

fn with(line: &str) -> String {
    SPEC.replace("Slow.\n", &format!("Slow.\n\n{line}\n"))
}

const LINE: usize = 18;

#[test]
fn the_fixture_passes() {
    assert_eq!(check(SPEC, ""), []);
}

#[test]
fn nova_literal_blocks_urls_and_unbroken_words_are_exempt() {
    let nova = "line-length-exemptions = ['literal-blocks', 'urls', 'no-whitespace']";
    let long = "word ".repeat(17);
    let long = long.trim_end();
    let literal = format!("Run::\n\n  {long}\n\n  {long}\n\nAfter the block:\n\n{long}");
    let got = check(&with(&literal), nova);
    assert_eq!(
        got,
        [(Code::LineTooLong, LINE + 8)],
        "only the line after the block"
    );
    let got = check(&with(&format!("{long} https://example.com")), nova);
    assert_eq!(got, []);
    assert_eq!(check(&with(&format!("  {}", "x".repeat(90))), nova), []);
    // a line of spaces only has no word to be exempt for (trailing-whitespace is off)
    let spaces = format!("{nova}\n[severity]\ntrailing-whitespace = 'off'");
    let got = check(&with(&" ".repeat(90)), &spaces);
    assert_eq!(got, [(Code::LineTooLong, LINE)]);
    // trove's set does not know these
    let got = check(&with(&format!("  {}", "x".repeat(90))), "");
    assert_eq!(got, [(Code::LineTooLong, LINE)]);
    // and nova does not know trove's
    let got = check(&with(&format!("    {long}")), nova);
    assert_eq!(got, [(Code::LineTooLong, LINE)]);
    assert_eq!(
        check(&with(&format!("    {}", "word ".repeat(16).trim_end())), ""),
        []
    );
}

#[test]
fn trailing_whitespace_is_spaces_or_any() {
    assert_eq!(check(&with("tab\t"), ""), []);
    let got = check(&with("tab\t"), "trailing-whitespace = 'any'");
    assert_eq!(got, [(Code::TrailingWhitespace, LINE)]);
    assert_eq!(
        check(&with("space "), ""),
        [(Code::TrailingWhitespace, LINE)]
    );
}

#[test]
fn tabs_invisible_characters_and_the_final_newline_when_on() {
    let on = "[severity]\ntab-indentation = 'error'\ninvisible-character = 'error'\nmissing-final-newline = 'error'";
    let text = with("\tindented\n\nzero\u{200B}width");
    assert_eq!(check(&text, ""), [], "off by default");
    assert_eq!(
        check(&text, on),
        [
            (Code::TabIndentation, LINE),
            (Code::InvisibleCharacter, LINE + 2)
        ]
    );
    let unterminated = SPEC.trim_end();
    assert_eq!(
        check(unterminated, on),
        [(Code::MissingFinalNewline, SPEC.lines().count())]
    );
}

const IRONIC: &str = "preset = 'ironic'";

#[test]
fn ironic_license_and_rfe_link() {
    assert_eq!(check(SPEC, IRONIC), []);
    let unlicensed = SPEC.replace("Attribution 3.0", "Attribution 4.0");
    assert_eq!(check(&unlicensed, IRONIC), [(Code::RequiredText, 7)]);
    let no_rfe = SPEC.replace("https://bugs.launchpad.net/ironic/+bug/1\n", "");
    assert_eq!(check(&no_rfe, IRONIC), [(Code::RequiredText, 12)]);
    let waived = SPEC.replace("https://bugs.launchpad.net/ironic/+bug/1", ".. lint: norfe");
    assert_eq!(check(&waived, IRONIC), []);
    let story = SPEC.replace(
        "https://bugs.launchpad.net/ironic/+bug/1",
        "https://storyboard.openstack.org/#!/story/2",
    );
    assert_eq!(check(&story, IRONIC), []);
    let blueprint = |name: &str| {
        SPEC.replace(
            "https://bugs.launchpad.net/ironic/+bug/1",
            &format!("https://blueprints.launchpad.net/ironic/+spec/{name}"),
        )
    };
    assert_eq!(check(&blueprint("fast-cache"), IRONIC), []);
    assert_eq!(
        check(&blueprint("other"), IRONIC),
        [(Code::RequiredText, 11)]
    );
    // the link after "Problem description" does not count
    let late = no_rfe.replace("Slow.", "Slow. https://bugs.launchpad.net/ironic/+bug/1");
    assert_eq!(check(&late, IRONIC), [(Code::RequiredText, 12)]);
    // the first URL line decides (reported there); the "Problem description" line is
    // read before the search stops at it
    let first = blueprint("other").replace(
        "+spec/other\n",
        "+spec/other\nhttps://bugs.launchpad.net/ironic/+bug/1\n",
    );
    assert_eq!(check(&first, IRONIC), [(Code::RequiredText, 11)]);
    let on_the_line = no_rfe.replace(
        "Problem description\n",
        "Problem description https://bugs.launchpad.net/ironic/+bug/1\n",
    );
    assert!(!check(&on_the_line, IRONIC).contains(&(Code::RequiredText, 12)));
}

#[test]
fn require_keys_are_checked() {
    let bad = |table: &str| {
        let toml = format!("[[require]]\npattern = 'x'\nmessage = 'm'\n{table}");
        Config::from_toml(&toml, Path::new("/repo/trove-spec-lsp.toml"))
            .unwrap_err()
            .message
    };
    assert!(bad("before = 'a'\nuntil = 'b'").contains("before or until"));
    assert!(bad("accept = 'a'\njoin-lines = true").contains("join-lines"));
    assert!(bad("accept-message = 'a'").contains("needs accept"));
    assert!(bad("accept = '('").contains("accept"));
}

#[test]
fn ironic_backlog_needs_two_sections_and_no_license() {
    let at = "/repo/specs/backlog/fast-cache.rst";
    let short = SPEC.replace("Alternatives\n------------\n\nNone.\n", "");
    let unlicensed = short.replace("Attribution 3.0", "Attribution 4.0");
    assert_eq!(check_at(&unlicensed, IRONIC, at), []);
    assert_eq!(
        check(&unlicensed, IRONIC),
        [(Code::RequiredText, 7), (Code::MissingSubsection, 18)]
    );
    let no_rfe = short.replace("https://bugs.launchpad.net/ironic/+bug/1\n", "");
    assert_eq!(check_at(&no_rfe, IRONIC, at), [(Code::RequiredText, 12)]);
}

#[test]
fn allowed_extra_sections() {
    let extra = SPEC.replace(
        "Proposed change\n",
        "Testing\n=======\n\nYes.\n\nProposed change\n",
    );
    assert_eq!(check(&extra, ""), [(Code::ExtraSection, 18)]);
    assert_eq!(check(&extra, "allow-extra = ['Testing']"), []);
}

#[test]
fn nova_release_directories() {
    let nova = "allowed-directories = ['approved', 'implemented', 'redirects']\n[severity]\ndirectory-name = 'error'";
    assert_eq!(
        check_at(SPEC, nova, "/repo/specs/2024.1/approved/a.rst"),
        []
    );
    assert_eq!(
        check_at(SPEC, nova, "/repo/specs/2024.1/a.rst"),
        [(Code::DirectoryName, 1)]
    );
    assert_eq!(
        check_at(SPEC, nova, "/repo/specs/2024.1/proposed/a.rst"),
        [(Code::DirectoryName, 1)]
    );
    // a file that is no spec (the preset selects specs/<release>/*/* only) is checked for
    // its place as plain reStructuredText too, as `check DIR` checks it: an editor shows
    // what CI reports
    let plain = |path: &str| {
        let path = Path::new(path);
        let config = Config::from_toml(
            &format!("preset = 'nova'\n{nova}"),
            Path::new("/repo/x.toml"),
        )
        .unwrap()
        .for_path(path);
        let template = Template::parse(TEMPLATE.into(), TemplateSource::File("t.rst".into()));
        let codes = |mode| -> Vec<Code> {
            let at = Some(Location { path, exists: None });
            let found = analyze_in("Title\n=====\n", &template, &config, mode, at).findings;
            found.into_iter().map(|f| f.code).collect()
        };
        (codes(Mode::Plain), codes(Mode::Place { directory: false }))
    };
    let stray = vec![Code::DirectoryName];
    assert_eq!(
        plain("/repo/specs/2024.1/stray.rst"),
        (stray.clone(), stray)
    );
    assert_eq!(plain("/repo/specs/abandoned/old.rst"), (vec![], vec![]));
    assert_eq!(plain("/repo/README.rst"), (vec![], vec![]));
}

#[test]
fn invisible_characters_configured() {
    let only_zwsp = "invisible-characters = ['U+200B']\n[severity]\ninvisible-character = 'error'";
    let text = with("zero\u{200B}width and\u{200D}joiner");
    assert_eq!(check(&text, only_zwsp), [(Code::InvisibleCharacter, LINE)]);
    // more first bytes than one search takes (a control character, a soft hyphen, a
    // zero-width space, the BOM): every one is found, at its place
    let four = "invisible-characters = ['U+0007', 'U+00AD', 'U+200B', 'U+FEFF']\n[severity]\ninvisible-character = 'error'";
    let text = with("a\u{7}b\u{ad}c\u{200b}d\u{feff}e \u{e9}\u{2019}");
    let found = check(&text, four);
    assert_eq!(found, [(Code::InvisibleCharacter, LINE); 4], "{found:?}");
    let bad = Config::from_toml(
        "invisible-characters = ['200B']",
        Path::new("/repo/trove-spec-lsp.toml"),
    )
    .unwrap_err();
    assert!(bad.message.contains("U+XXXX"), "{}", bad.message);
}
