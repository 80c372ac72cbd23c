//! Where a spec may live, and what it is called. `directory-name`: with
//! `allowed-directories`, the name right below a release directory
//! (`specs/<release>/<name>/...`, or the file itself when it sits in the release
//! directory) must be one of them, as nova's `tests/test_directories.py` requires.
//! `file-extension`: a file selected as a spec (the configuration's `include` can select
//! any file) must be named `*.rst`, as nova's and ironic's `test_titles.py` require.

use std::path::Path;

use super::{Code, Cx, FindingData, Fixes};

pub(super) fn check(cx: &mut Cx) {
    let config = cx.config;
    if let Some(file) = &config.file
        && config.has_include()
        && file.extension().is_none_or(|e| e != "rst")
    {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        cx.report(
            Code::FileExtension,
            0..0,
            format!("'{name}' is checked as a spec but is not named *.rst: rename it"),
            FindingData::default(),
            Fixes::None,
        );
    }
    let (Some(allowed), Some(file)) = (&config.allowed_directories, &config.file) else {
        return;
    };
    if !cx.on(Code::DirectoryName) {
        return;
    }
    let Some((release, name)) = below_release(file) else {
        return;
    };
    if allowed.contains(&name) {
        return;
    }
    cx.report(
        Code::DirectoryName,
        0..0,
        format!(
            "'{name}' is not allowed in 'specs/{release}' (only {}): move the spec into 'specs/{release}/{}'",
            allowed.join(", "),
            allowed.first().map_or("", String::as_str)
        ),
        FindingData::default(),
        Fixes::None,
    );
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
