//! Where a spec may live, and what it is called. `directory-name`: with
//! `allowed-directories`, every entry right below a release directory
//! (`specs/<release>/<name>`: a file, or a directory, empty or not, hidden names aside)
//! must be one of them, as nova's `tests/test_directories.py` requires; a spec reports it
//! for the directory it is in, and `check DIR` reports an entry no checked spec stands
//! for on the entry itself ([`Mode::Place`](crate::Mode::Place)). `file-extension`: a
//! file selected as a spec (the configuration's `include` can select any file) must be
//! named `*.rst`, as nova's and ironic's `test_titles.py` require; a directory `include`
//! selects fails too, as their globs hand it to a check that cannot read it.

use std::path::Path;

use super::{Code, Cx, FindingData, Fixes};
use crate::Mode;
use crate::config::Asked;

/// The path rules for a spec.
pub(super) fn check(cx: &mut Cx) {
    extension(cx);
    directory_name(cx);
}

/// The path rules for a place `check DIR` met ([`Mode::Place`](crate::Mode::Place)).
pub(super) fn place(cx: &mut Cx, directory: bool) {
    let config = cx.config;
    if cx.path.is_some_and(|p| config.excludes(p)) {
        return;
    }
    if let Some(dir) = cx.path
        && directory
        && config.check_as(dir, Asked::Walk) == Some(Mode::Spec)
    {
        let message = format!(
            "'{}' is a directory where the configuration's include expects a spec (a file named *.rst): move what it holds up a level, or exclude it",
            name(dir)
        );
        on_the_path(cx, Code::FileExtension, message);
    }
    directory_name(cx);
}

/// `file-extension` for a spec not named `*.rst`.
fn extension(cx: &mut Cx) {
    let config = cx.config;
    if let Some(file) = cx.path
        && config.has_include()
        && file.extension().is_none_or(|e| e != "rst")
    {
        let message = format!(
            "'{}' is checked as a spec but is not named *.rst: rename it",
            name(file)
        );
        on_the_path(cx, Code::FileExtension, message);
    }
}

/// The last component of `path`, for messages.
fn name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default()
}

/// Report a finding about the path itself (at the start of the file; no fix).
fn on_the_path(cx: &mut Cx, code: Code, message: String) {
    cx.report(code, 0..0, message, FindingData::default(), Fixes::None);
}

/// `directory-name` for a spec or place below a release directory whose name there is
/// not allowed.
fn directory_name(cx: &mut Cx) {
    let config = cx.config;
    let (Some(allowed), Some(file)) = (&config.allowed_directories, cx.path) else {
        return;
    };
    if !cx.on(Code::DirectoryName) {
        return;
    }
    let Some((release, name)) = below_release(file) else {
        return;
    };
    if allowed.contains(&name) || name.starts_with('.') || release.starts_with('.') {
        return;
    }
    let message = format!(
        "'{name}' is not allowed in 'specs/{release}' (only {}): move it into 'specs/{release}/{}'",
        allowed.join(", "),
        allowed.first().map_or("", String::as_str)
    );
    on_the_path(cx, Code::DirectoryName, message);
}

/// (`release`, `name`) for a path `.../specs/<release>/<name>[/...]` (the nearest `specs`
/// directory above the file).
fn below_release(file: &Path) -> Option<(String, String)> {
    let parts: Vec<&str> = file.iter().filter_map(|c| c.to_str()).collect();
    let specs = parts[..parts.len().saturating_sub(1)]
        .iter()
        .rposition(|p| *p == "specs")?;
    let release = parts.get(specs + 1)?;
    let name = parts.get(specs + 2)?;
    Some((release.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_below_the_release() {
        let got = below_release(Path::new("/r/specs/2024.1/approved/a.rst"));
        assert_eq!(got, Some(("2024.1".into(), "approved".into())));
        let got = below_release(Path::new("/r/specs/2024.1/a.rst"));
        assert_eq!(got, Some(("2024.1".into(), "a.rst".into())));
        assert_eq!(below_release(Path::new("/r/specs/a.rst")), None);
        assert_eq!(below_release(Path::new("/r/doc/a.rst")), None);
    }
}
