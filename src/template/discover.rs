//! Which template a spec uses, first hit wins: an explicit path; Nova's
//! `specs/<release>-template.rst` for a spec under `specs/<release>/`; `specs/template.rst`
//! in the nearest ancestor directory that has one; the built-in template. Pure over a
//! path and a file-existence probe, so the CLI and the server share it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::TemplateSource;

/// The template for the spec at `spec` (best absolute and normalized, so that its
/// ancestors are real directories). `exists` tells whether a file exists.
pub fn discover(
    spec: &Path,
    explicit: Option<&Path>,
    exists: impl Fn(&Path) -> bool,
) -> TemplateSource {
    if let Some(path) = explicit {
        return TemplateSource::File(path.to_path_buf());
    }
    if let Some(nova) = nova_template(spec).filter(|p| exists(p)) {
        return TemplateSource::File(nova);
    }
    spec.parent()
        .into_iter()
        .flat_map(Path::ancestors)
        .map(|dir| dir.join("specs").join("template.rst"))
        .find(|candidate| exists(candidate))
        .map_or(TemplateSource::Builtin, TemplateSource::File)
}

/// `specs/<release>-template.rst` for a spec under `specs/<release>/` (the nearest
/// `specs` directory above the spec).
fn nova_template(spec: &Path) -> Option<PathBuf> {
    let dir = spec.parent()?;
    let mut below: Option<&Path> = None;
    for ancestor in dir.ancestors() {
        if ancestor.file_name().is_some_and(|n| n == "specs") {
            let release = below?.file_name()?.to_str()?;
            return Some(ancestor.join(format!("{release}-template.rst")));
        }
        below = Some(ancestor);
    }
    None
}

/// The file names of templates, as globs (for file watchers): what [`is_template`] tests.
pub const TEMPLATE_GLOBS: [&str; 2] = ["**/template.rst", "**/*-template.rst"];

/// Whether `path` names a template (`template.rst`, `<release>-template.rst`): such files
/// are not checked as specs, and a change to one reloads the server's templates.
pub fn is_template(path: &Path) -> bool {
    path.file_name().is_some_and(is_template_name)
}

/// [`is_template`] for a file named `name` (its path parsed already).
pub fn is_template_name(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n == "template.rst" || n.ends_with("-template.rst"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(spec: &str, files: &[&str]) -> TemplateSource {
        discover(Path::new(spec), None, |p| {
            files.iter().any(|f| Path::new(f) == p)
        })
    }

    fn file(p: &str) -> TemplateSource {
        TemplateSource::File(PathBuf::from(p))
    }

    #[test]
    fn explicit_path_wins() {
        let got = discover(
            Path::new("/r/specs/juno/a.rst"),
            Some(Path::new("my.rst")),
            |_| true,
        );
        assert_eq!(got, file("my.rst"));
    }

    #[test]
    fn nova_release_template_before_generic_one() {
        let files = ["/r/specs/juno-template.rst", "/r/specs/template.rst"];
        assert_eq!(
            find("/r/specs/juno/approved/a.rst", &files),
            file("/r/specs/juno-template.rst")
        );
        assert_eq!(
            find("/r/specs/kilo/a.rst", &files),
            file("/r/specs/template.rst")
        );
    }

    #[test]
    fn nearest_specs_template_then_builtin() {
        let files = ["/r/specs/template.rst", "/r/sub/specs/template.rst"];
        assert_eq!(
            find("/r/specs/keystone/2024.1/a.rst", &files),
            file("/r/specs/template.rst")
        );
        assert_eq!(
            find("/r/sub/specs/x/a.rst", &files),
            file("/r/sub/specs/template.rst")
        );
        assert_eq!(find("/elsewhere/a.rst", &files), TemplateSource::Builtin);
        assert_eq!(find("a.rst", &[]), TemplateSource::Builtin);
    }

    #[test]
    fn templates_are_recognised() {
        assert!(is_template(Path::new("specs/template.rst")));
        assert!(is_template(Path::new("specs/juno-template.rst")));
        assert!(!is_template(Path::new("specs/juno/templates.rst")));
        assert!(!is_template(Path::new("specs/juno/my-template-engine.rst")));
    }
}
