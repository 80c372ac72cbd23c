//! Which files are checked, and how: the one decision the CLI's directory walk and the
//! language server share. Globs (`include`, `exclude`, `[[override]].files`) are matched
//! against the path relative to the directory of the configuration that wrote them; `*`
//! stays within one path component, `**` crosses any number.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// Who asks how a file is checked ([`Config::check_as`](super::Config::check_as)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// `check DIR` found it walking a directory.
    Walk,
    /// It was named on `check`'s command line.
    Named,
    /// An editor opened it.
    Editor,
}

/// Globs written in one configuration, with the directory they are relative to;
/// compiled once, when the configuration is loaded.
#[derive(Debug, Clone)]
pub struct Globs {
    base: PathBuf,
    globs: Vec<String>,
    set: Arc<GlobSet>,
}

impl PartialEq for Globs {
    fn eq(&self, other: &Globs) -> bool {
        (&self.base, &self.globs) == (&other.base, &other.globs)
    }
}

impl Eq for Globs {}

impl Globs {
    pub fn new(base: &Path, globs: &[String]) -> Globs {
        Globs {
            base: base.to_path_buf(),
            globs: globs.to_vec(),
            set: Arc::new(compile(globs)),
        }
    }

    /// Whether `path` (absolute, or relative to the current directory) matches.
    pub fn is_match(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.base) else {
            return false;
        };
        self.set.is_match(relative)
    }
}

/// A glob set where `*` does not cross `/`; globs were validated when loaded.
fn compile(globs: &[String]) -> GlobSet {
    let mut set = GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = GlobBuilder::new(g).literal_separator(true).build() {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| GlobSet::empty())
}
