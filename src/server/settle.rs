//! When a fresh edit settles: one timer per document, not one per keystroke.
//!
//! A finding in (or right after) the text being typed is held back until the edit settles
//! (`diagnostics::SETTLE` without another change). Each edit pushes its document's due
//! time later; the document's one timer task wakes at the due time it knew, finds it
//! pushed and sleeps again. So typing wakes the runtime about once per `SETTLE`, not
//! twice per keystroke (a task spawned and a timer armed for each edit).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use tower_lsp_server::ls_types::Uri;

/// The documents whose fresh edit has not settled yet, each with its timer running.
#[derive(Default)]
pub struct Settling {
    due: Mutex<HashMap<Uri, Due>>,
}

/// The version whose edit settles, and when.
struct Due {
    version: i32,
    at: Instant,
}

impl Settling {
    /// `version` of `uri` settles at `at` (replacing what an earlier edit waited for).
    /// True when no timer runs for `uri`: the caller starts one that asks [`Self::due`].
    pub fn push(&self, uri: &Uri, version: i32, at: Instant) -> bool {
        let mut due = self.lock();
        if let Some(due) = due.get_mut(uri) {
            *due = Due { version, at };
            return false;
        }
        due.insert(uri.clone(), Due { version, at });
        true
    }

    /// The timer of `uri` woke at `now`: `Ok(version)` when that version's edit has
    /// settled (the timer ends; `None`: nothing was pushed), `Err(at)` to sleep until
    /// `at` and ask again.
    pub fn due(&self, uri: &Uri, now: Instant) -> Result<Option<i32>, Instant> {
        let mut due = self.lock();
        match due.get(uri) {
            Some(d) if d.at > now => Err(d.at),
            Some(d) => {
                let version = d.version;
                due.remove(uri);
                Ok(Some(version))
            }
            None => Ok(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Due>> {
        // a panic elsewhere while holding the lock leaves the map consistent
        self.due.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_later_edit_pushes_the_due_time_and_starts_no_second_timer() {
        let uri: Uri = "file:///s.rst".parse().unwrap();
        let settling = Settling::default();
        let t0 = Instant::now();
        let second = Duration::from_secs(1);
        assert!(settling.push(&uri, 1, t0 + second));
        assert!(!settling.push(&uri, 2, t0 + 2 * second));
        assert_eq!(settling.due(&uri, t0 + second), Err(t0 + 2 * second));
        assert_eq!(settling.due(&uri, t0 + 2 * second), Ok(Some(2)));
        // settled: the next edit starts a timer again
        assert!(settling.push(&uri, 3, t0 + 3 * second));
    }
}
