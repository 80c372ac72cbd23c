//! The real binary: exit codes, text and JSON output of `check`, `outline` and
//! `template`, bad input (missing file, invalid UTF-8, empty directory, bad
//! configuration) and a 10 MB spec.

mod support;

use support::{codes, run, scratch, stderr, stdout};

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const TEMPLATE: &str = include_str!("../assets/spec-template.rst");

fn write(path: &Path, text: impl AsRef<[u8]>) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// A spec that satisfies the built-in template (warnings only: it keeps the guidance).
fn good_spec() -> String {
    TEMPLATE.replace("Sample Pike Spec for Trove", "A Spec With Its Own Title")
}

fn spec_without_testing() -> String {
    let start = good_spec().find("Testing\n=======").unwrap();
    let end = good_spec().find("Documentation Impact\n").unwrap();
    let mut s = good_spec();
    s.replace_range(start..end, "");
    s
}

#[test]
fn passing_spec_exits_0_with_a_summary() {
    let dir = scratch("pass");
    write(&dir.join("spec.rst"), good_spec());
    let o = run(&["check", "spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("error["), "{out}");
    assert!(out.contains("warning[template-text]"), "{out}");
    assert!(
        out.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("checked 1 file: 0 errors, "),
        "{out}"
    );
}

/// Upstream reads specs with universal newlines, so a CRLF spec that passes there
/// passes here: one `carriage-return` warning, exit 0.
#[test]
fn crlf_spec_passes_with_one_warning() {
    let dir = scratch("crlf");
    write(&dir.join("spec.rst"), good_spec().replace('\n', "\r\n"));
    let o = run(&["check", "spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("warning[carriage-return]").count(), 1, "{out}");
    assert!(!out.contains("error["), "{out}");
}

#[test]
fn missing_section_exits_1_with_compiler_style_lines() {
    let dir = scratch("missing");
    let spec = spec_without_testing();
    write(&dir.join("spec.rst"), &spec);
    let o = run(&["check", "spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let line = spec[..spec.find("Documentation Impact\n").unwrap()]
        .lines()
        .count()
        + 1;
    let expected = format!(
        "spec.rst:{line}:1: error[missing-section]: add section 'Testing' after 'Dependencies'"
    );
    assert!(stdout(&o).lines().any(|l| l == expected), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("checked 1 file: 1 error, "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_diagnostics_are_lsp_objects() {
    let dir = scratch("json");
    let spec = spec_without_testing();
    write(&dir.join("spec.rst"), &spec);
    write(&dir.join("ok.rst"), good_spec());
    let o = run(&["check", "--format", "json", "spec.rst", "ok.rst"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], "spec.rst");
    assert_eq!(lines[0]["template"], "builtin:trove");
    assert_eq!(lines[1]["file"], "ok.rst");
    let missing = lines[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "missing-section")
        .unwrap();
    let line = spec[..spec.find("Documentation Impact\n").unwrap()]
        .lines()
        .count();
    assert_eq!(
        missing,
        &serde_json::json!({
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 20}},
            "severity": 1,
            "code": "missing-section",
            "source": "trove-spec-lsp",
            "message": "add section 'Testing' after 'Dependencies'",
            "data": {"section": "Testing", "parent": null},
        })
    );
}

#[test]
fn directories_recurse_sorted_skip_templates_and_discover_them() {
    let dir = scratch("tree");
    let template = TEMPLATE.replace(
        "Appendix\n========\n\nAny additional technical information and data.\n",
        "",
    );
    write(&dir.join("specs/template.rst"), &template);
    write(&dir.join("specs/kilo/b.rst"), good_spec());
    write(&dir.join("specs/kilo/a.rst"), good_spec());
    write(&dir.join("specs/kilo/notes.txt"), "not a spec");
    let o = run(&["check", "--format", "json", "specs"], &dir);
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["specs/kilo/a.rst", "specs/kilo/b.rst"]);
    assert!(
        lines[0]["template"]
            .as_str()
            .unwrap()
            .ends_with("specs/template.rst")
    );
    // The discovered template has no Appendix, so the spec's Appendix is extra.
    let codes = codes(lines[0]["diagnostics"].as_array().unwrap());
    assert!(codes.contains(&"extra-section"), "{codes:?}");
    assert_eq!(o.status.code(), Some(1));
    // A template named on the command line is checked as plain reStructuredText.
    let o = run(
        &[
            "check",
            "--template",
            "specs/kilo/a.rst",
            "specs/template.rst",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("missing-section"), "{}", stdout(&o));
    // --template overrides discovery.
    let o = run(&["check", "--template", "specs/kilo/a.rst", "specs"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// `check DIR` decides spec or plain as the language server does: a README beside the
/// specs is plain reStructuredText (no "missing section"), a file named on the command
/// line is a spec.
#[test]
fn a_walk_checks_files_outside_specs_as_plain_rst() {
    let dir = scratch("plain-walk");
    write(&dir.join("specs/kilo/a.rst"), good_spec());
    write(&dir.join("README.rst"), "Readme\n======\n\nSome *text.\n");
    let o = run(&["check", "."], &dir);
    let out = stdout(&o);
    assert!(
        out.contains("checked 2 files (1 as plain reStructuredText, not as specs)"),
        "{out}"
    );
    assert!(out.contains("README.rst:4:6: warning[rst-inline]"), "{out}");
    assert!(!out.contains("README.rst:1:1"), "{out}");
    let o = run(&["check", "README.rst"], &dir);
    assert!(stdout(&o).contains("missing-section"), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
}

/// `check` looks for what a file includes next to that file, wherever it is run from.
#[test]
fn include_paths_are_looked_for_next_to_the_file() {
    let dir = scratch("include-paths");
    write(
        &dir.join("docs/a.rst"),
        "Doc\n===\n\n.. include:: there.rst\n\n.. include:: gone.rst\n",
    );
    write(&dir.join("docs/there.rst"), "Included.\n");
    let o = run(&["check", "docs/a.rst"], &dir);
    let out = stdout(&o);
    assert!(
        out.contains("a.rst:6:1: error[rst-directive]: Problems with \"include\" directive path"),
        "{out}"
    );
    assert!(
        out.contains("'gone.rst'") && !out.contains("'there.rst'"),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn bad_files_get_one_line_each_and_the_rest_is_checked() {
    let dir = scratch("bad");
    write(&dir.join("ok.rst"), good_spec());
    write(&dir.join("latin1.rst"), b"Caf\xe9\n====\n");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let o = run(
        &["check", "missing.rst", "latin1.rst", "empty", "ok.rst"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("empty") && l.contains("no specs")),
        "{err}"
    );
    assert!(lines.iter().any(|l| l.contains("missing.rst")), "{err}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("latin1.rst") && l.contains("UTF-8")),
        "{err}"
    );
    assert!(
        stdout(&o).contains("checked 1 file: 0 errors"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn configuration_file_is_found_and_validated() {
    let dir = scratch("config");
    write(&dir.join("specs/spec.rst"), spec_without_testing());
    write(
        &dir.join("trove-spec-lsp.toml"),
        "optional = [\"Testing\"]\n",
    );
    let o = run(&["check", "specs/spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    write(
        &dir.join("trove-spec-lsp.toml"),
        "[severity]\nmissing-section = \"warning\"\n",
    );
    let o = run(&["check", "specs/spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("warning[missing-section]"));
    write(&dir.join("trove-spec-lsp.toml"), "tempalte = \"x.rst\"\n");
    let o = run(&["check", "specs/spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tempalte"), "{}", stderr(&o));
    assert!(stderr(&o).contains("trove-spec-lsp.toml"), "{}", stderr(&o));
    write(
        &dir.join("other.toml"),
        "[severity]\nmissing-section = \"loud\"\n",
    );
    let o = run(&["check", "--config", "other.toml", "specs/spec.rst"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("other.toml:2:19") && err.contains("loud"),
        "{err}"
    );
    assert!(err.contains("missing-section"), "{err}");
}

/// A configuration with an `[[override]]`, or a `[[require]]` naming `{stem}`, is
/// resolved for each file: the override applies to the files it matches only, and
/// `{stem}` is each file's own name.
#[test]
fn overrides_and_stems_are_resolved_per_file() {
    let dir = scratch("per-file");
    for (name, says) in [("a", "a"), ("b", "b"), ("c", "a")] {
        let spec = format!("{}\nSee {says}.\n", spec_without_testing());
        write(&dir.join(format!("specs/kilo/{name}.rst")), spec);
    }
    write(
        &dir.join("trove-spec-lsp.toml"),
        "[[override]]\nfiles = ['specs/*/b.rst']\noptional = ['Testing']\n\n\
         [[require]]\npattern = 'See {stem}\\.'\nmessage = 'name it'\n\n[severity]\nrequired-text = 'error'\n",
    );
    let o = run(&["check", "--format", "json", "specs"], &dir);
    let found: Vec<(String, Vec<String>)> = stdout(&o)
        .lines()
        .map(|l| {
            let line: Value = serde_json::from_str(l).unwrap();
            let diags = line["diagnostics"].as_array().unwrap();
            let codes = codes(diags).into_iter();
            let codes = codes.filter(|c| ["missing-section", "required-text"].contains(c));
            (
                line["file"].as_str().unwrap().to_string(),
                codes.map(str::to_string).collect(),
            )
        })
        .collect();
    let expected = [
        ("specs/kilo/a.rst", &["missing-section"][..]),
        ("specs/kilo/b.rst", &[]),
        ("specs/kilo/c.rst", &["missing-section", "required-text"]),
    ];
    let expected: Vec<(String, Vec<String>)> = (expected.iter())
        .map(|(f, c)| (f.to_string(), c.iter().map(|c| c.to_string()).collect()))
        .collect();
    assert_eq!(found, expected, "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("usage");
    assert_eq!(run(&["check"], &dir).status.code(), Some(2));
    assert_eq!(
        run(&["check", "--format", "xml", "a.rst"], &dir)
            .status
            .code(),
        Some(2)
    );
    let o = run(&["check", "--template", "nope.rst", "a.rst"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.rst"));
}

#[test]
fn ten_megabyte_spec_is_checked() {
    let dir = scratch("big");
    let mut spec = good_spec();
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\ntempor incididunt ut labore et dolore magna aliqua.\n\n";
    while spec.len() < 10 * 1024 * 1024 {
        spec.push_str(paragraph);
    }
    spec.push_str(&"word ".repeat(20));
    spec.push_str("end");
    spec.push('\n');
    write(&dir.join("big.rst"), &spec);
    let o = run(&["check", "big.rst"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let errors: Vec<&str> = out.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("line-too-long"));
}

#[test]
fn outline_json_is_the_golden_shape() {
    let repo = support::corpus().join("trove-specs");
    let golden = std::fs::read_to_string(repo.join("golden.jsonl")).unwrap();
    let mut expected: Value = serde_json::from_str(golden.lines().next().unwrap()).unwrap();
    let file = expected["file"].as_str().unwrap().to_string();
    expected.as_object_mut().unwrap().remove("messages");
    let o = run(&["outline", "--format", "json", &file], &repo);
    assert_eq!(o.status.code(), Some(0));
    let line = stdout(&o);
    assert!(
        line.starts_with(&format!("{{\"file\":\"{file}\",\"title\":")),
        "{line}"
    );
    let got: Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(got, expected);
    let o = run(&["outline", "nope.rst"], &repo);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn template_command_prints_the_expected_outline() {
    let dir = scratch("template");
    let o = run(&["template"], &dir);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("builtin:trove\ntitle: Sample Pike Spec for Trove\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  Proposed Change\n    Configuration\n"),
        "{out}"
    );
    let o = run(&["template", "--format", "json"], &dir);
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["sections"].as_array().unwrap().len(), 10);
    assert_eq!(v["sections"][1]["sections"][0]["title"], "Configuration");
    let keystone = support::corpus().join("keystone-specs/specs/template.rst");
    let o = run(
        &["template", "--template", keystone.to_str().unwrap()],
        &dir,
    );
    assert!(stdout(&o).contains("  Documentation Impact\n"));
    assert_eq!(
        run(&["template", "--template", "nope.rst"], &dir)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn outline_text_is_an_indented_tree() {
    let dir = scratch("outline");
    write(
        &dir.join("a.rst"),
        "=====\nTitle\n=====\n\nOne\n===\n\nSub\n---\n\nTwo\n===\n",
    );
    let o = run(&["outline", "a.rst"], &dir);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "a.rst\ntitle: Title\n  One (line 6)\n    Sub (line 9)\n  Two (line 12)\n"
    );
}

#[test]
fn readme_example_output_is_what_check_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let promised: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("examples/specs/") || l.starts_with("checked 1 file"))
        .collect();
    assert!(promised.len() >= 3, "README shows the example's output");
    let o = run(
        &["check", "examples/specs/2026.2/encrypted-backups.rst"],
        root,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let printed = stdout(&o);
    for line in promised {
        assert!(
            printed.lines().any(|p| p == line),
            "README line not printed: {line}\n{printed}"
        );
    }
    // no template around the example: the built-in one is used
    let o = run(
        &[
            "check",
            "--format",
            "json",
            "examples/specs/2026.2/encrypted-backups.rst",
        ],
        root,
    );
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["template"], "builtin:trove");
}

/// A device, a FIFO or a template that is a device: one line, exit 2, no hang.
#[test]
fn special_files_are_refused_at_once() {
    let dir = scratch("cli-special-files");
    let spec = write(&dir.join("specs/a.rst"), good_spec());
    let fifo = dir.join("specs/fifo.rst");
    let _ = std::fs::remove_file(&fifo);
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for args in [
        vec!["check", "/dev/zero"],
        vec!["check", fifo.to_str().unwrap()],
        vec!["check", "--template", "/dev/zero", spec.to_str().unwrap()],
    ] {
        let out = run(&args, &dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
}

/// Files are analysed in parallel, and printed in the order they were given: the JSON
/// lines follow the arguments (here in reverse order of their names), then a directory
/// in sorted order.
#[test]
fn output_order_is_input_order() {
    let dir = support::corpus().join("mutations/specs/mut");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("mutations")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rst"))
        .collect();
    names.sort();
    names.reverse();
    let given: Vec<String> = names
        .iter()
        .take(40)
        .map(|n| dir.join(n).display().to_string())
        .collect();
    let mut args = vec!["check", "--format", "json"];
    args.extend(given.iter().map(String::as_str));
    let out = support::run(&args, &dir);
    let files: Vec<String> = support::stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["file"].as_str().expect("file").to_owned()
        })
        .collect();
    assert_eq!(files, given);

    let out = support::run(&["check", "--format", "json", "."], &dir);
    let files: Vec<String> = support::stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON line")["file"]
                .as_str()
                .expect("file")
                .to_owned()
        })
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files.len(), names.len());
    assert_eq!(files, sorted);
}

/// The binary sets mimalloc's first arena to 64 MiB before anything is allocated
/// (`src/alloc.rs`): mimalloc's own report of its options says so, which also tells
/// that the option's number is the one the linked mimalloc gives `arena_reserve`. One
/// the environment sets is left as it is.
#[test]
fn the_allocator_reserves_a_64_mib_arena_unless_told_otherwise() {
    let dir = scratch("arena");
    let reserve = |env: Option<&str>| {
        let mut c = Command::new(support::bin());
        c.args(["check", "."]).current_dir(&dir);
        c.env("MIMALLOC_VERBOSE", "1")
            .env_remove("MIMALLOC_ARENA_RESERVE");
        if let Some(value) = env {
            c.env("MIMALLOC_ARENA_RESERVE", value);
        }
        let o = c.output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        let line = err.lines().find(|l| l.contains("option 'arena_reserve'"));
        line.map(str::to_owned).unwrap_or_else(|| panic!("{err}"))
    };
    if cfg!(target_os = "linux") {
        assert!(reserve(None).ends_with(": 65536 KiB"), "{}", reserve(None));
    }
    let set = reserve(Some("128MiB"));
    assert!(set.ends_with(": 131072 KiB"), "{set}");
}
