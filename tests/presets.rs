//! Each preset on a small fixture repository (`tests/fixtures/presets/`), through the
//! real binary as CI runs it (`check specs/` beside a one-line `trove-spec-lsp.toml`):
//! exactly the files upstream checks are checked, and each rule of the upstream check
//! fails its fixture and passes the others. (trove and keystone are checked against
//! the corpus verdicts in `tests/verdicts.rs`.)

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/presets")
        .join(name)
}

/// `check --format json specs` in `dir` (plus `extra` arguments): every checked file
/// and the codes of its error findings, sorted.
fn errors(dir: &Path, extra: &[&str]) -> BTreeMap<String, Vec<String>> {
    let o = Command::new(support::bin())
        .args(["check", "--format", "json"])
        .args(extra)
        .arg("specs")
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut files = BTreeMap::new();
    for line in String::from_utf8(o.stdout).unwrap().lines() {
        let report: Value = serde_json::from_str(line).unwrap();
        let mut codes: Vec<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == 1)
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        files.insert(report["file"].as_str().unwrap().to_string(), codes);
    }
    files
}

fn expect(rows: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    rows.iter()
        .map(|(file, codes)| {
            (
                format!("specs/{file}"),
                codes.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn nova() {
    let want = expect(&[
        // History and Feature Liaison optional; a long line in a literal block, with a
        // URL, or without whitespace is allowed
        ("2024.1/approved/good.rst", &[]),
        ("2024.1/approved/missing-section.rst", &["missing-section"]),
        ("2024.1/approved/extra-section.rst", &["extra-section"]),
        (
            "2024.1/approved/missing-subsection.rst",
            &["missing-subsection"],
        ),
        ("2024.1/approved/long-line.rst", &["line-too-long"]),
        (
            "2024.1/approved/long-line-after-block.rst",
            &["line-too-long"],
        ),
        (
            "2024.1/approved/trailing-spaces.rst",
            &["trailing-whitespace"],
        ),
        (
            "2024.1/approved/zero-width-space.rst",
            &["invisible-character"],
        ),
        // only the zero-width space: a zero-width joiner passes
        ("2024.1/approved/zero-width-joiner.rst", &[]),
        // docutils' ERROR messages pass upstream (publish_doctree halts at SEVERE only):
        // an unknown directive and role; a missing include is SEVERE, and fails
        ("2024.1/approved/docutils-error.rst", &[]),
        ("2024.1/approved/transition-first.rst", &[]),
        ("2024.1/approved/missing-include.rst", &["rst-directive"]),
        ("2024.1/approved/notes.txt", &["file-extension"]),
        ("2024.1/implemented/done.rst", &[]),
        // upstream's glob takes a template in a release directory as any spec
        (
            "2024.1/implemented/2024.1-template.rst",
            &["trailing-whitespace"],
        ),
        // test_directories.py: any other entry of a release directory fails (a file
        // there is no spec: test_titles.py's glob does not reach it); the redirects file
        // is allowed
        ("2024.1/README.txt", &["directory-name"]),
        ("2024.1/proposed/elsewhere.rst", &["directory-name"]),
        ("2024.1/stray.rst", &["directory-name"]),
        // a directory where test_titles.py's glob expects a spec fails
        ("2024.1/approved/deeper", &["file-extension"]),
        // queens: Upgrade impact optional, Feature Liaison required
        ("queens/approved/no-upgrade-impact.rst", &[]),
        (
            "queens/approved/no-feature-liaison.rst",
            &["missing-subsection"],
        ),
        // not checked: specs/abandoned, deeper than specs/<release>/<dir>/, hidden files
    ]);
    assert_eq!(errors(&fixture("nova"), &[]), want);
}

/// nova's test_directories.py lists every release directory, empty directories
/// included (which git cannot hold: made here), and test_titles.py's glob hands a
/// directory below approved/ to its check, empty or not. Hidden names pass, and so does
/// specs/abandoned (excluded), and a release directory holding only allowed names.
#[test]
fn nova_directories() {
    let dir = support::scratch("nova-directories");
    let nova = fixture("nova");
    std::fs::write(dir.join("trove-spec-lsp.toml"), "preset = \"nova\"\n").unwrap();
    for d in [
        "specs/2024.1/approved/empty",
        "specs/2024.1/implemented",
        "specs/2024.1/proposed",
        "specs/2024.1/.hidden",
        "specs/2024.1/approved/.hidden",
        "specs/2024.2/approved",
        "specs/abandoned/old",
        "specs/.git/x",
    ] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    for (from, to) in [
        ("specs/2024.1-template.rst", "specs/2024.1-template.rst"),
        ("specs/2024.1-template.rst", "specs/2024.2-template.rst"),
        (
            "specs/2024.1/approved/good.rst",
            "specs/2024.1/approved/good.rst",
        ),
        (
            "specs/2024.1/approved/good.rst",
            "specs/2024.2/approved/good.rst",
        ),
        (
            "specs/2024.1/approved/good.rst",
            "specs/abandoned/stray.rst",
        ),
        ("specs/2024.1/approved/good.rst", "specs/2024.1/.stray.rst"),
    ] {
        std::fs::copy(nova.join(from), dir.join(to)).unwrap();
    }
    let want = expect(&[
        ("2024.1/approved/empty", &["file-extension"]),
        ("2024.1/approved/good.rst", &[]),
        ("2024.1/proposed", &["directory-name"]),
        ("2024.2/approved/good.rst", &[]),
    ]);
    assert_eq!(errors(&dir, &[]), want);
    // in sorted order, though a directory holding no spec (a place, once the walk ends)
    // holds back what the walk finds after it
    let o = support::run(&["check", "--format", "json", "specs"], &dir);
    let printed: Vec<PathBuf> = (support::stdout(&o).lines())
        .map(|line| {
            let report: Value = serde_json::from_str(line).unwrap();
            PathBuf::from(report["file"].as_str().unwrap())
        })
        .collect();
    let mut sorted = printed.clone();
    sorted.sort();
    assert_eq!(printed, sorted);
    assert!(printed.contains(&PathBuf::from("specs/2024.1/approved/empty")));
    // the same tree with only allowed names passes
    std::fs::remove_dir(dir.join("specs/2024.1/approved/empty")).unwrap();
    std::fs::remove_dir(dir.join("specs/2024.1/proposed")).unwrap();
    let o = support::run(&["check", "specs"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", support::stdout(&o));
}

#[test]
fn neutron() {
    let want = expect(&[
        // extra Testing, Documentation Impact, Implementation, Dependencies allowed; no
        // line-length rule
        ("kilo/good.rst", &[]),
        ("liberty/sub/nested.rst", &["missing-section"]),
        ("liberty/trailing-spaces.rst", &["trailing-whitespace"]),
        ("zed/good.rst", &[]),
        ("zed/extra-section.rst", &["extra-section"]),
        ("zed/missing-section.rst", &["missing-section"]),
        ("zed/missing-subsection.rst", &["missing-subsection"]),
        // a template among the specs is checked as upstream's glob takes it
        ("zed/zed-template.rst", &["trailing-whitespace"]),
        // not checked: juno, 2023.1, archive, backlog, postmortem, stadium, index.rst
    ]);
    assert_eq!(errors(&fixture("neutron"), &[]), want);
}

#[test]
fn ironic() {
    let want = expect(&[
        // long lines and trailing spaces are not ironic's test's business
        ("approved/good.rst", &[]),
        ("approved/story.rst", &[]),
        ("approved/waived.rst", &[]),
        ("approved/blueprint-match.rst", &[]),
        ("approved/blueprint-other.rst", &["required-text"]),
        // the first line with a bug, story or blueprint URL decides, as upstream's loop
        ("approved/blueprint-then-bug.rst", &["required-text"]),
        ("approved/bug-then-blueprint.rst", &[]),
        // a blueprint line need only end with the file name ("fast-boot" for boot.rst)
        ("approved/boot.rst", &[]),
        ("approved/link-in-prose.rst", &[]),
        ("approved/link-after-problem.rst", &["required-text"]),
        // the header's lines joined as they are must hold the sentence: a trailing space
        // makes two spaces of one; text mode: CRLF line ends join as LF ones do
        ("approved/license-trailing-space.rst", &["required-text"]),
        ("approved/crlf.rst", &[]),
        ("approved/no-license.rst", &["required-text"]),
        ("approved/no-rfe.rst", &["required-text"]),
        ("approved/missing-section.rst", &["missing-section"]),
        ("approved/missing-subsection.rst", &["missing-subsection"]),
        ("approved/notes.md", &["file-extension"]),
        // backlog: two sections and the RFE link; no license needed
        ("backlog/idea.rst", &[]),
        ("backlog/no-rfe.rst", &["required-text"]),
        ("backlog/missing-section.rst", &["missing-section"]),
        // a template among the specs is checked as upstream's glob takes it
        ("backlog/template.rst", &[]),
        // not checked: specs/not-approved
    ]);
    assert_eq!(errors(&fixture("ironic"), &[]), want);
}

/// ironic's globs (`specs/approved/*`, `specs/backlog/*`) hand a directory there to the
/// extension check, empty or not; a directory elsewhere, or a hidden one, is not theirs.
#[test]
fn ironic_directories() {
    let dir = support::scratch("ironic-directories");
    let ironic = fixture("ironic");
    std::fs::write(dir.join("trove-spec-lsp.toml"), "preset = \"ironic\"\n").unwrap();
    for d in [
        "specs/approved/images",
        "specs/backlog/empty",
        "specs/approved/.cache",
        "specs/not-approved/empty",
    ] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    for (from, to) in [
        ("specs/template.rst", "specs/template.rst"),
        ("specs/approved/good.rst", "specs/approved/good.rst"),
        ("specs/approved/good.rst", "specs/approved/images/good.rst"),
    ] {
        std::fs::copy(ironic.join(from), dir.join(to)).unwrap();
    }
    let want = expect(&[
        ("approved/good.rst", &[]),
        ("approved/images", &["file-extension"]),
        ("backlog/empty", &["file-extension"]),
    ]);
    assert_eq!(errors(&dir, &[]), want);
}

/// cinder and manila run the same doc8 job, so their presets are the same rules: both
/// on one fixture. doc8 2.0.0 (`doc8 --ignore D001 specs/` in the fixture) fails exactly
/// the files listed here with a code.
#[test]
fn cinder_and_manila() {
    let want = expect(&[
        // no template structure, no line length (D001 ignored)
        ("2024.1/good.rst", &[]),
        ("2024.1/trailing-space.rst", &["trailing-whitespace"]),
        ("2024.1/trailing-tab.rst", &["trailing-whitespace"]),
        ("2024.1/tab-indentation.rst", &["tab-indentation"]),
        ("2024.1/carriage-return.rst", &["carriage-return"]),
        ("2024.1/no-final-newline.rst", &["missing-final-newline"]),
        ("2024.1/short-underline.rst", &["heading-underline"]),
        // D000: a docutils warning fails (by default a warning, here an error)
        ("2024.1/unindent.rst", &["rst-indent"]),
        // Sphinx mode: unknown directives and roles, undefined substitutions pass
        ("2024.1/unknown-names.rst", &[]),
        // doc8 checks .txt files too, but not as reStructuredText (no D000)
        ("2024.1/notes.txt", &["trailing-whitespace"]),
        ("2024.1/not-rst.txt", &[]),
        // doc8 reads every file: templates and hidden ones too
        ("template.rst", &["trailing-whitespace"]),
        (".hidden/hidden.rst", &["trailing-whitespace"]),
    ]);
    let dir = fixture("doc8");
    assert_eq!(errors(&dir, &[]), want, "cinder");
    assert_eq!(errors(&dir, &["--config", "manila.toml"]), want, "manila");
}

/// The fixtures hold what each case needs: a carriage return, a tab, no final newline.
#[test]
fn fixtures_are_byte_exact() {
    let read = |p: &str| std::fs::read(fixture("doc8").join(p)).unwrap();
    assert!(read("specs/2024.1/carriage-return.rst").contains(&b'\r'));
    assert!(!read("specs/2024.1/no-final-newline.rst").ends_with(b"\n"));
    assert!(read("specs/2024.1/trailing-tab.rst").contains(&b'\t'));
    let crlf = std::fs::read(fixture("ironic").join("specs/approved/crlf.rst")).unwrap();
    assert!(crlf.windows(2).any(|w| w == b"\r\n"));
}

/// Globs are relative to the configuration file: one elsewhere selects nothing here, and
/// the error says why.
#[test]
fn a_configuration_elsewhere_selects_nothing_and_says_why() {
    let o = Command::new(support::bin())
        .args([
            "check",
            "--config",
            "../ironic/trove-spec-lsp.toml",
            "specs",
        ])
        .current_dir(fixture("nova"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("no specs") && err.contains("not selected by the configuration's include"),
        "{err}"
    );
}
