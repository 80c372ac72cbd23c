//! The server's own file watching (the `notify` crate), for clients that cannot watch
//! files for us (no dynamic `didChangeWatchedFiles` registration: Neovim 0.11 on Linux,
//! for one). A configuration file or template changed on disk - a git checkout, another
//! editor - then still re-diagnoses every open spec.
//!
//! Directories are watched one by one, never recursively: those the context files of an
//! open document can live in (see [`dirs_for`]). Watching a directory rather than the
//! file itself also sees an editor's atomic save (a rename over the file) and a file
//! created where discovery would find it. [`DiskWatcher`] only forwards the paths of
//! events; the backend keeps those about context files (`watch::is_context_path`) and
//! folds a burst of them into one reload ([`settle`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tracing::{debug, warn};

use crate::template::TemplateSource;

/// How long a burst of events may keep coming before the reload; and the longest a
/// reload waits for a burst to end.
const QUIET: Duration = Duration::from_millis(50);
const MAX_WAIT: Duration = Duration::from_secs(1);

/// The paths of one file-system event.
pub type Paths = Vec<PathBuf>;

/// A `notify` watcher over a changing set of directories.
pub struct DiskWatcher {
    watcher: RecommendedWatcher,
    watched: HashSet<PathBuf>,
}

impl DiskWatcher {
    /// Start a watcher that sends the paths of every event but a read to `events`.
    pub fn start(events: mpsc::UnboundedSender<Paths>) -> notify::Result<DiskWatcher> {
        let watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
                Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                    let _ = events.send(event.paths);
                }
                Ok(_) => {}
                Err(err) => warn!("file watching: {err}"),
            })?;
        Ok(DiskWatcher {
            watcher,
            watched: HashSet::new(),
        })
    }

    /// Watch exactly `dirs` (each non-recursively): new ones are added, those no longer
    /// needed dropped, so the set never outgrows the open documents' needs.
    pub fn watch_exactly(&mut self, dirs: HashSet<PathBuf>) {
        let gone: Vec<PathBuf> = self.watched.difference(&dirs).cloned().collect();
        for dir in gone {
            // fails when the directory was deleted: the watch went with it
            let _ = self.watcher.unwatch(&dir);
            self.watched.remove(&dir);
        }
        for dir in dirs {
            if self.watched.contains(&dir) {
                continue;
            }
            match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    debug!("watching {}", dir.display());
                    self.watched.insert(dir);
                }
                Err(err) => warn!("cannot watch {}: {err}", dir.display()),
            }
        }
    }
}

/// The existing directories where a context file of the document at `doc` can be: its
/// directory and each ancestor up to the workspace `root` (all of them when `doc` is
/// outside it), as the configuration file is looked up; the `specs/` directory in each,
/// where templates are discovered; and the directory of the template it uses.
pub fn dirs_for(doc: &Path, root: Option<&Path>, template: &TemplateSource) -> Vec<PathBuf> {
    let within = root.filter(|root| doc.starts_with(root));
    let mut dirs = Vec::new();
    for dir in doc.ancestors().skip(1) {
        dirs.push(dir.to_path_buf());
        dirs.push(dir.join("specs"));
        if within == Some(dir) {
            break;
        }
    }
    if let TemplateSource::File(template) = template
        && let Some(dir) = template.parent()
    {
        dirs.push(dir.to_path_buf());
    }
    dirs.retain(|dir| dir.is_dir());
    dirs
}

/// Wait until `events` has been quiet for a moment (at most [`MAX_WAIT`]), and tell
/// whether any event of the burst, the `first` one included, is about a file `relevant`
/// accepts. `None` when the watcher is gone.
pub async fn settle(
    first: Paths,
    events: &mut mpsc::UnboundedReceiver<Paths>,
    relevant: impl Fn(&Path) -> bool,
) -> Option<bool> {
    let mut any = first.iter().any(|p| relevant(p));
    let deadline = tokio::time::Instant::now() + MAX_WAIT;
    loop {
        let wait = QUIET.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        match tokio::time::timeout(wait, events.recv()).await {
            Ok(Some(paths)) => any |= paths.iter().any(|p| relevant(p)),
            Ok(None) => return None,
            Err(_) => return Some(any),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_up_to_the_root_with_their_specs_folders_and_the_template() {
        let root = std::env::temp_dir().join(format!("disk-watch-{}", std::process::id()));
        let release = root.join("specs/zed");
        std::fs::create_dir_all(&release).unwrap();
        std::fs::create_dir_all(root.join("elsewhere")).unwrap();
        let template = TemplateSource::File(root.join("elsewhere/t.rst"));
        let dirs = dirs_for(&release.join("a.rst"), Some(&root), &template);
        assert_eq!(
            dirs,
            [
                release.clone(),
                root.join("specs"),
                root.clone(),
                root.join("specs"),
                root.join("elsewhere"),
            ]
        );
        // outside the root: every ancestor (the configuration file may be anywhere above)
        let dirs = dirs_for(
            &release.join("a.rst"),
            Some(Path::new("/nowhere")),
            &template,
        );
        assert!(dirs.contains(&PathBuf::from("/")), "{dirs:?}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
