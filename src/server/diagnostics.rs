//! Diagnostics: the engine's findings as `proto::diagnostic`s, published by one ordered
//! task (so an older analysis can never overwrite a newer one) or pulled by the client.
//!
//! Handlers only queue the URI (no `.await`); the task always analyses the document's
//! *current* text, skips versions it has already published, and clears a closed document.
//! An analysis still current when it ends is published at once by the thread that ran
//! it (so the runtime's thread need not wake between an analysis and its diagnostics);
//! the task then finds that version published. Both publish under one lock, after
//! checking the analysis is still current, so an older version's diagnostics never
//! follow a newer one's.
//!
//! While typing, a space at the end of a line is trailing whitespace only until the next
//! character arrives: the `trailing-whitespace` finding the caret of the last edit sits
//! in (or right after) is held back until the edit settles ([`SETTLE`] without a change)
//! or the document is saved, and then shown. CI's rule is unchanged (`check` reports it);
//! the editor just does not flicker between "Errors: 1" and "No Problems" per word.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticReport, FullDocumentDiagnosticReport, PublishDiagnosticsParams,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri,
};

use super::documents::{Analyzed, Documents};
use super::guard::guarded;
use super::wire;
use crate::Code;
use crate::check::Finding;
use crate::proto;
use crate::text::Encoding;

/// How long after the last edit a held-back finding is shown.
pub const SETTLE: Duration = Duration::from_millis(1000);

/// The diagnostics of one analysed text; `caret`: where a fresh edit left the caret.
pub fn diagnostics(analyzed: &Analyzed, enc: Encoding, caret: Option<usize>) -> Vec<Diagnostic> {
    analyzed
        .analysis
        .findings
        .iter()
        .filter(|f| !held_back(f, caret))
        .map(|f| proto::diagnostic(&analyzed.text, &analyzed.index, f, enc))
        .collect()
}

/// Whether `finding` is the trailing whitespace being typed at `caret`.
fn held_back(finding: &Finding, caret: Option<usize>) -> bool {
    finding.code == Code::TrailingWhitespace
        && caret.is_some_and(|c| finding.range.start <= c && c <= finding.range.end)
}

/// Whether any finding of `analyzed` is held back for `caret` (so settling it changes
/// what is shown).
pub fn holds_back(analyzed: &Analyzed, caret: usize) -> bool {
    analyzed
        .analysis
        .findings
        .iter()
        .any(|f| held_back(f, Some(caret)))
}

/// Work for the publishing task.
#[derive(Debug)]
enum Job {
    /// Publish for the document's current text, unless that is published already.
    Changed(Uri),
    /// The document closed, or went out of sync: clear its diagnostics.
    Clear(Uri),
    /// The context changed: republish every open document.
    All,
}

/// The handle that schedules publishing; cheap to call from any handler.
#[derive(Clone)]
pub struct Publisher {
    jobs: mpsc::UnboundedSender<Job>,
    published: Arc<Published>,
}

impl Publisher {
    /// Start the publishing task, and publish each analysis still current when it ends.
    pub fn spawn(documents: Arc<Documents>, enc: Encoding) -> Publisher {
        let (jobs, rx) = mpsc::unbounded_channel();
        let published = Arc::new(Published {
            versions: Mutex::default(),
            enc,
        });
        let (weak, on_analysis) = (Arc::downgrade(&documents), published.clone());
        documents.on_analyzed(Arc::new(move |uri, analyzed, superseded| {
            if let Some(documents) = Weak::upgrade(&weak) {
                // kept first (its run may never be awaited): the next edit, which may
                // follow its diagnostics at once, reuses its parse
                let replaced = documents.keep(uri, analyzed, superseded);
                on_analysis.publish(&documents, uri, analyzed, || {
                    !superseded.load(Ordering::Acquire)
                });
                drop(replaced);
            }
        }));
        tokio::spawn(publish_loop(rx, documents, published.clone()));
        Publisher { jobs, published }
    }

    /// The document (re)opened: publish for its text, whatever was published before.
    /// What was published is forgotten now, not when the job's turn comes: its analysis
    /// may be published from the thread that ran it before then.
    pub fn opened(&self, uri: Uri) {
        self.published.versions().remove(&uri);
        let _ = self.jobs.send(Job::Changed(uri));
    }

    /// What is shown for the current version changed (an edit settled): publish again.
    pub fn republish(&self, uri: Uri) {
        self.opened(uri);
    }

    pub fn changed(&self, uri: Uri) {
        let _ = self.jobs.send(Job::Changed(uri));
    }

    pub fn clear(&self, uri: Uri) {
        let _ = self.jobs.send(Job::Clear(uri));
    }

    pub fn all(&self) {
        self.published.versions().clear();
        let _ = self.jobs.send(Job::All);
    }
}

/// The version last published per open URI, shared by the publishing task and the
/// analysis threads.
struct Published {
    versions: Mutex<HashMap<Uri, i32>>,
    enc: Encoding,
}

impl Published {
    fn versions(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, i32>> {
        self.versions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Publish `analyzed` for `uri`, unless its version or a newer one is published
    /// already, or it is no longer `current` (asked under the lock, so that publishing is
    /// in version order). A run that ended and was kept is no longer the document's
    /// running one, so edits that follow do not mark it superseded: until it publishes
    /// here, a newer run may end and publish first.
    fn publish(
        &self,
        documents: &Documents,
        uri: &Uri,
        analyzed: &Analyzed,
        current: impl FnOnce() -> bool,
    ) {
        let mut versions = self.versions();
        if !newer(versions.get(uri).copied(), analyzed.version) || !current() {
            return;
        }
        versions.insert(uri.clone(), analyzed.version);
        let caret = documents.caret(uri, analyzed.version);
        if let Some(diags) = guarded("diagnostics", || diagnostics(analyzed, self.enc, caret)) {
            publish(uri.clone(), diags, Some(analyzed.version));
        }
    }
}

/// Whether diagnostics for `version` may follow those last published (`published`):
/// only a newer version's (or any, when none is published: after an open, a resync, a
/// settled edit or a context change, which forget what was).
fn newer(published: Option<i32>, version: i32) -> bool {
    published.is_none_or(|p| version > p)
}

async fn publish_loop(
    mut jobs: mpsc::UnboundedReceiver<Job>,
    documents: Arc<Documents>,
    published: Arc<Published>,
) {
    while let Some(job) = jobs.recv().await {
        let uris = match job {
            Job::Changed(uri) => vec![uri],
            Job::Clear(uri) => {
                let mut versions = published.versions();
                versions.remove(&uri);
                publish(uri, Vec::new(), None);
                continue;
            }
            Job::All => documents.uris(),
        };
        for uri in uris {
            let version = documents.version(&uri);
            if version.is_some() && published.versions().get(&uri) == version.as_ref() {
                continue; // a burst of changes: already published the latest
            }
            let Some(analyzed) = documents.analyzed(&uri).await else {
                continue;
            };
            // superseded while it ran: the newer version's job follows
            published.publish(&documents, &uri, &analyzed, || {
                documents.is_current(&uri, &analyzed)
            });
        }
    }
}

/// Send `textDocument/publishDiagnostics` (straight to the client: see [`wire::notify`]).
fn publish(uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    wire::notify(PublishDiagnostics::METHOD, &params);
}

/// The answer to `textDocument/diagnostic`: the result id names the analysis (and
/// whether a finding is held back), so a document neither edited, re-analysed nor
/// settled since is reported as unchanged.
pub fn pull_report(
    analyzed: Option<&Analyzed>,
    previous: Option<&str>,
    enc: Encoding,
    caret: Option<usize>,
) -> DocumentDiagnosticReport {
    let Some(analyzed) = analyzed else {
        return full_report(None, Vec::new());
    };
    let caret = caret.filter(|&c| holds_back(analyzed, c));
    let result_id = match caret {
        Some(_) => format!("{}-typing", analyzed.serial),
        None => analyzed.serial.to_string(),
    };
    if previous == Some(result_id.as_str()) {
        return DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        });
    }
    full_report(Some(result_id), diagnostics(analyzed, enc, caret))
}

fn full_report(result_id: Option<String>, items: Vec<Diagnostic>) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    })
}

#[cfg(test)]
mod tests {
    use super::newer;

    #[test]
    fn only_a_newer_version_follows_what_was_published() {
        assert!(newer(None, 1));
        assert!(newer(Some(170), 171));
        assert!(!newer(Some(171), 171), "the same version twice");
        // a run kept before edits that did not supersede it, ending after a newer one
        assert!(!newer(Some(171), 161), "an older version after a newer one");
    }
}
