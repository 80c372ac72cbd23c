//! What `check` asks about where a file lies, answered once per directory and not once
//! per file: the directory made absolute, the configuration file that governs it
//! ([`config::find_file`]), the template a spec in it uses ([`template::discover`]);
//! and whether a file exists, asked of the file system once per path.

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use foldhash::HashMap;

use super::normalize;
use crate::config;
use crate::template::{self, TemplateSource};

/// The answers so far, for one run of `check` (the file system is taken not to change
/// during it). Paths are keys as bytes: hashing a `Path` walks its components, and two
/// spellings of one directory only cost one more lookup.
pub struct Lookup {
    cwd: PathBuf,
    /// Directories as given -> made absolute.
    absolute: HashMap<OsString, PathBuf>,
    /// Absolute directories -> the nearest configuration file.
    config_files: HashMap<OsString, Option<PathBuf>>,
    /// (absolute directory, explicit template) -> the template of a spec there.
    templates: HashMap<(OsString, Option<OsString>), TemplateSource>,
    /// Paths -> whether a regular file is there.
    files: RefCell<HashMap<OsString, bool>>,
}

impl Lookup {
    pub fn new(cwd: PathBuf) -> Lookup {
        Lookup {
            cwd,
            absolute: HashMap::default(),
            config_files: HashMap::default(),
            templates: HashMap::default(),
            files: RefCell::new(HashMap::default()),
        }
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// `path` made absolute against the current directory, as [`normalize`] does;
    /// `parent` is `path.parent()`, parsed already.
    pub fn absolute(&mut self, path: &Path, parent: Option<&Path>) -> PathBuf {
        match (parent, path.file_name()) {
            (Some(dir), Some(name)) => self.directory(dir).join(name),
            _ => normalize(&self.cwd, path),
        }
    }

    /// The directory `dir` (as given) made absolute: from its parent's, as a file's
    /// path is (the directories a walk enters share every component but their last).
    pub fn directory(&mut self, dir: &Path) -> &Path {
        let key = dir.as_os_str();
        if !self.absolute.contains_key(key) {
            let absolute = match (dir.parent(), dir.file_name()) {
                (Some(parent), Some(name)) => self.directory(parent).join(name),
                _ => normalize(&self.cwd, dir),
            };
            self.absolute.insert(key.to_owned(), absolute);
        }
        &self.absolute[key]
    }

    /// The configuration file nearest the absolute directory `dir`, in it or above (as
    /// [`config::find_file`] finds it): in `dir`, else the one of its parent, looked up
    /// once for all the directories under it.
    pub fn config_file(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.config_files.get(dir.as_os_str()) {
            return found.clone();
        }
        let here = dir.join(config::FILE_NAME);
        let found = match self.is_file(&here) {
            true => Some(here),
            false => dir.parent().and_then(|parent| self.config_file(parent)),
        };
        self.config_files
            .insert(dir.as_os_str().to_owned(), found.clone());
        found
    }

    /// The template of the spec at `spec` (absolute), given the `explicit` one.
    pub fn template(&mut self, spec: &Path, explicit: Option<&Path>) -> TemplateSource {
        let key = (
            spec.parent()
                .unwrap_or(Path::new(""))
                .as_os_str()
                .to_owned(),
            explicit.map(|p| p.as_os_str().to_owned()),
        );
        if let Some(source) = self.templates.get(&key) {
            return source.clone();
        }
        let source = template::discover(spec, explicit, |p| self.is_file(p));
        self.templates.insert(key, source.clone());
        source
    }

    fn is_file(&self, path: &Path) -> bool {
        if let Some(&known) = self.files.borrow().get(path.as_os_str()) {
            return known;
        }
        let found = path.is_file();
        (self.files.borrow_mut()).insert(path.as_os_str().to_owned(), found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_the_uncached_functions_do() {
        let root = std::env::temp_dir().join(format!("tsl-lookup-{}", std::process::id()));
        let specs = root.join("repo/specs");
        std::fs::create_dir_all(specs.join("juno")).unwrap();
        std::fs::write(root.join("repo/trove-spec-lsp.toml"), "").unwrap();
        std::fs::write(specs.join("juno-template.rst"), "").unwrap();
        std::fs::write(specs.join("template.rst"), "").unwrap();
        let mut lookup = Lookup::new(root.join("repo"));
        for dir in [
            "specs/juno",
            "./specs/",
            "specs/juno/..",
            "specs/./juno/.",
            "",
            "/abs/x",
        ] {
            let dir = Path::new(dir);
            let expected = normalize(lookup.cwd(), dir);
            assert_eq!(lookup.directory(dir), expected, "{dir:?}");
        }
        for spec in [
            "specs/juno/a.rst",
            "specs/kilo/b.rst",
            "specs/juno/../c.rst",
            "d.rst",
        ] {
            let spec = Path::new(spec);
            let absolute = normalize(lookup.cwd(), spec);
            assert_eq!(lookup.absolute(spec, spec.parent()), absolute);
            let dir = absolute.parent().unwrap();
            // twice: the second answer is the cached one
            for _ in 0..2 {
                assert_eq!(
                    lookup.config_file(dir),
                    config::find_file(dir, Path::is_file)
                );
                assert_eq!(
                    lookup.template(&absolute, None),
                    template::discover(&absolute, None, Path::is_file)
                );
            }
        }
        assert_eq!(
            lookup.template(&root.join("repo/specs/juno/a.rst"), None),
            TemplateSource::File(specs.join("juno-template.rst"))
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
