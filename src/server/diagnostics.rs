//! Diagnostics: the engine's findings as `proto::diagnostic`s, published by one ordered
//! task (so an older analysis can never overwrite a newer one) or pulled by the client.
//!
//! Handlers only queue the URI (no `.await`); the task always analyses the document's
//! *current* text, skips versions it has already published, and clears a closed document.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticReport, FullDocumentDiagnosticReport,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri,
};

use super::documents::{Analyzed, Documents};
use super::guard::guarded;
use crate::proto;
use crate::text::Encoding;

/// The diagnostics of one analysed text.
pub fn diagnostics(analyzed: &Analyzed, enc: Encoding) -> Vec<Diagnostic> {
    analyzed
        .analysis
        .findings
        .iter()
        .map(|f| proto::diagnostic(&analyzed.text, &analyzed.index, f, enc))
        .collect()
}

/// Work for the publishing task.
#[derive(Debug)]
enum Job {
    /// The document (re)opened: publish for its text, whatever was published before.
    Opened(Uri),
    /// The document changed: publish for its current text.
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
}

impl Publisher {
    /// Start the publishing task.
    pub fn spawn(client: Client, documents: Arc<Documents>, enc: Encoding) -> Publisher {
        let (jobs, rx) = mpsc::unbounded_channel();
        tokio::spawn(publish_loop(rx, client, documents, enc));
        Publisher { jobs }
    }

    pub fn opened(&self, uri: Uri) {
        let _ = self.jobs.send(Job::Opened(uri));
    }

    pub fn changed(&self, uri: Uri) {
        let _ = self.jobs.send(Job::Changed(uri));
    }

    pub fn clear(&self, uri: Uri) {
        let _ = self.jobs.send(Job::Clear(uri));
    }

    pub fn all(&self) {
        let _ = self.jobs.send(Job::All);
    }
}

async fn publish_loop(
    mut jobs: mpsc::UnboundedReceiver<Job>,
    client: Client,
    documents: Arc<Documents>,
    enc: Encoding,
) {
    // the version last published per open URI
    let mut published: HashMap<Uri, i32> = HashMap::new();
    while let Some(job) = jobs.recv().await {
        let uris = match job {
            Job::Opened(uri) => {
                published.remove(&uri);
                vec![uri]
            }
            Job::Changed(uri) => vec![uri],
            Job::Clear(uri) => {
                published.remove(&uri);
                client.publish_diagnostics(uri, Vec::new(), None).await;
                continue;
            }
            Job::All => {
                published.clear();
                documents.uris()
            }
        };
        for uri in uris {
            if documents
                .version(&uri)
                .is_some_and(|v| published.get(&uri) == Some(&v))
            {
                continue; // a burst of changes: already published the latest
            }
            let Some(analyzed) = documents.analyzed(&uri).await else {
                continue;
            };
            if documents.version(&uri) != Some(analyzed.version) {
                continue; // superseded while it ran: the newer version's job follows
            }
            published.insert(uri.clone(), analyzed.version);
            let Some(diags) = guarded("diagnostics", || diagnostics(&analyzed, enc)) else {
                continue;
            };
            client
                .publish_diagnostics(uri, diags, Some(analyzed.version))
                .await;
        }
    }
}

/// The answer to `textDocument/diagnostic`: the result id names the analysis, so a
/// document neither edited nor re-analysed since is reported as unchanged.
pub fn pull_report(
    analyzed: Option<&Analyzed>,
    previous: Option<&str>,
    enc: Encoding,
) -> DocumentDiagnosticReport {
    let Some(analyzed) = analyzed else {
        return full_report(None, Vec::new());
    };
    let result_id = analyzed.serial.to_string();
    if previous == Some(result_id.as_str()) {
        return DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        });
    }
    full_report(Some(result_id), diagnostics(analyzed, enc))
}

fn full_report(result_id: Option<String>, items: Vec<Diagnostic>) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    })
}
