//! The real binary against a hostile environment: output that cannot be written (a full
//! disk, a closed pipe), symbolic links in a directory walk (to files, dangling, in a
//! cycle), and configuration mistakes, each named in its message.

mod support;

use support::{bin, run, scratch, stderr, stdout};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TEMPLATE: &str = include_str!("../assets/spec-template.rst");

fn write(path: &Path, text: impl AsRef<[u8]>) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// The three commands, each with enough output to fill a pipe's buffer (`template`
/// prints little: it meets a pipe already closed when it writes).
fn commands(dir: &Path) -> Vec<Vec<String>> {
    let spec = write(&dir.join("specs/ws.rst"), "abc   \n".repeat(3_000));
    let spec = spec.to_str().unwrap().to_string();
    let many = |cmd: &[&str]| {
        let mut args: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
        args.extend(std::iter::repeat_n(spec.clone(), 200));
        args
    };
    vec![
        many(&["outline", "--format", "json"]),
        vec!["template".into(), "--format".into(), "json".into()],
        many(&["check"]),
    ]
}

/// `> /dev/full`: exit 2 with one line that says why; no panic.
#[test]
fn full_disk_is_one_line_and_exit_2() {
    let dir = scratch("robust-dev-full");
    for args in commands(&dir) {
        let out = Command::new(bin())
            .args(&args)
            .current_dir(&dir)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", args[0]);
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            ["error: writing output: No space left on device (os error 28)"],
            "{}",
            args[0]
        );
    }
}

/// `| head -1`: the command ends quietly (no panic, nothing on stderr) once the reader
/// is gone.
#[test]
fn closed_pipe_ends_quietly() {
    let dir = scratch("robust-closed-pipe");
    for args in commands(&dir) {
        let mut child = Command::new(bin())
            .args(&args)
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(err, "", "{}", args[0]);
        assert_ne!(status.code(), Some(101), "{}", args[0]);
    }
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A link to a spec is checked like the spec (as upstream's glob follows it).
#[cfg(unix)]
#[test]
fn walk_follows_links_to_files() {
    let dir = scratch("robust-link-file");
    let bad = TEMPLATE.replace("Testing\n=======", "Testing Plan\n============");
    write(&dir.join("elsewhere/spec.rst"), bad);
    symlink(
        "../../elsewhere/spec.rst",
        &dir.join("specs/pike/linked.rst"),
    );
    let out = run(&["check", "specs"], &dir);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("specs/pike/linked.rst:"), "{text}");
    assert!(text.contains("checked 1 file:"), "{text}");
}

/// A dangling link is one line and exit 2; the other specs are still checked.
#[cfg(unix)]
#[test]
fn walk_reports_dangling_links() {
    let dir = scratch("robust-link-dangling");
    write(&dir.join("specs/pike/good.rst"), TEMPLATE);
    symlink("../nowhere.rst", &dir.join("specs/pike/gone.rst"));
    let out = run(&["check", "specs"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: specs/pike/gone.rst: dangling symbolic link (to ../nowhere.rst)\n"
    );
    assert!(stdout(&out).contains("checked 1 file:"), "{}", stdout(&out));
}

/// A link back to a directory being walked ends the walk there with one line.
#[cfg(unix)]
#[test]
fn walk_ends_symlink_cycles() {
    let dir = scratch("robust-link-cycle");
    write(&dir.join("specs/pike/good.rst"), TEMPLATE);
    symlink("..", &dir.join("specs/pike/loop"));
    let out = run(&["check", "specs"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("specs/pike/loop: symbolic link to specs, which contains it"));
    assert!(stdout(&out).contains("checked 1 file:"), "{}", stdout(&out));
}

/// Runs `check specs` in a directory whose configuration is `toml`.
fn check_with_config(name: &str, toml: &str) -> (std::process::Output, PathBuf) {
    let dir = scratch(name);
    write(&dir.join("trove-spec-lsp.toml"), toml);
    write(&dir.join("specs/pike/a.rst"), TEMPLATE);
    write(&dir.join("specs/pike/b.rst"), TEMPLATE);
    (run(&["check", "specs"], &dir), dir)
}

#[test]
fn an_empty_template_value_says_so() {
    let (out, _) = check_with_config("robust-template-empty", "template = \"\"\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: trove-spec-lsp.toml: template: the value is empty: give a template path, or remove the key for the built-in template\n"
    );
}

#[test]
fn a_missing_configured_template_names_its_path_and_the_file_that_set_it() {
    let (out, dir) = check_with_config("robust-template-missing", "template = \"nope.rst\"\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let expected = format!(
        "template {} (set in {}): No such file or directory",
        dir.join("nope.rst").display(),
        dir.join("trove-spec-lsp.toml").display()
    );
    assert!(err.contains(&expected), "{err}");
}

#[test]
fn a_template_without_sections_is_an_error_naming_it() {
    let dir = scratch("robust-template-no-sections");
    write(&dir.join("flat.rst"), "Title\n=====\n\nJust prose.\n");
    write(&dir.join("specs/pike/a.rst"), TEMPLATE);
    let out = run(&["check", "--template", "flat.rst", "specs"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: template flat.rst: no sections: a template needs at least one section heading below its title\n"
    );
}

/// A misspelt name in `optional` (or `required`) is reported once, not silently ignored;
/// the verdict is unchanged.
#[test]
fn unknown_optional_names_are_reported_once() {
    let (out, _) = check_with_config(
        "robust-optional-unknown",
        "optional = [\"Histroy\", \"References\"]\n",
    );
    assert_eq!(
        stderr(&out),
        "warning: configuration optional: 'Histroy' names no section of template builtin:trove\n"
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// `max-file-size`: a spec over the limit is a one-line error (exit 2) naming the limit
/// and where it was set - the flag, the configuration file, or the default with how to
/// raise it; a bad value names the key.
#[test]
fn the_file_size_limit_is_configurable_and_named() {
    let (out, dir) = check_with_config("robust-max-size", "max-file-size = \"1KiB\"\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 2, "one line per file: {err}");
    let expected = format!(
        "error: specs/pike/a.rst: {} bytes, over the limit of 1024 bytes (max-file-size, set in {})",
        TEMPLATE.len(),
        dir.join("trove-spec-lsp.toml").display()
    );
    assert_eq!(err.lines().next(), Some(expected.as_str()), "{err}");

    // the flag wins over the configuration, both ways
    let out = run(&["check", "--max-file-size", "1MiB", "specs"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(
        &["check", "--max-file-size", "100", "specs/pike/a.rst"],
        &dir,
    );
    assert_eq!(
        stderr(&out),
        format!(
            "error: specs/pike/a.rst: {} bytes, over the limit of 100 bytes (max-file-size, set in --max-file-size)\n",
            TEMPLATE.len()
        )
    );
    let out = run(&["check", "--max-file-size", "64MB", "specs"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("B, KiB, MiB or GiB"),
        "{}",
        stderr(&out)
    );

    // the default: 64 MiB (a sparse file one byte over it is refused unread)
    let dir = scratch("robust-max-size-default");
    let big = dir.join("big/specs/big.rst");
    write(&big, "");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len((64 << 20) + 1)
        .unwrap();
    let out = run(&["check", "big/specs/big.rst"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: big/specs/big.rst: 67108865 bytes, over the default limit of 67108864 bytes (64 MiB; raise it with max-file-size in trove-spec-lsp.toml)\n"
    );

    let (out, _) = check_with_config("robust-max-size-bad", "max-file-size = -5\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("max-file-size") && err.contains("at least 1 byte"),
        "{err}"
    );
}
