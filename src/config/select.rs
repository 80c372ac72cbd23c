//! Which files are checked, and how: the one decision the CLI's directory walk and the
//! language server share. Globs (`include`, `exclude`, `[[override]].files`) are matched
//! against the path relative to the directory of the configuration that wrote them; `*`
//! stays within one path component, `**` crosses any number.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// How a file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// A spec: every rule.
    Spec,
    /// reStructuredText that is not a spec (a README, a template): heading structure only.
    Plain,
    /// Not checked: excluded, or not selected by `include`.
    Skip,
}

/// Globs written in one configuration, with the directory they are relative to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Globs {
    pub base: PathBuf,
    pub globs: Vec<String>,
}

impl Globs {
    /// Whether `path` (absolute, or relative to the current directory) matches.
    pub fn is_match(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.base) else {
            return false;
        };
        compile(&self.globs).is_match(relative)
    }
}

/// A glob set where `*` does not cross `/`; globs were validated when loaded.
pub fn compile(globs: &[String]) -> GlobSet {
    let mut set = GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = GlobBuilder::new(g).literal_separator(true).build() {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| GlobSet::empty())
}
