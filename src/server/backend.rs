//! The `LanguageServer` implementation: session state and the protocol methods, each a
//! thin dispatch to the module that owns the feature.
//!
//! Notification handlers never await a client round-trip: edits are applied and work is
//! queued synchronously, and requests to the client run in spawned tasks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};
use tracing::{info, warn};

use super::capabilities::{ClientFeatures, server_capabilities};
use super::diagnostics::{self, Publisher, pull_report};
use super::disk_watch::{self, DiskWatcher};
use super::documents::{Analyzed, Changed, Documents, Saved};
use super::guard::guarded;
use super::settle::Settling;
use super::workspace::{DocContext, SETTINGS_SECTION, Workspace};
use super::{code_actions, completion, folding, from_proto, hover, log, memory, symbols, watch};

/// The server; cheap to clone into spawned tasks.
#[derive(Clone)]
pub struct Backend(Arc<Session>);

/// Session state shared by all handlers.
pub struct Session {
    client: Client,
    documents: Arc<Documents>,
    workspace: Mutex<Workspace>,
    features: OnceLock<ClientFeatures>,
    publisher: OnceLock<Publisher>,
    /// The server's own watcher, for a client that does not watch files for us.
    disk: Mutex<Option<DiskWatcher>>,
    /// The configured template the client's watchers were registered with (`None`
    /// until they are; `Some(None)`: none configured).
    registered_template: Mutex<Option<Option<std::path::PathBuf>>>,
    /// The documents whose fresh edit has not settled, with their timers.
    settling: Settling,
    shutdown_requested: Arc<AtomicBool>,
}

impl std::ops::Deref for Backend {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.0
    }
}

impl Backend {
    pub fn new(client: Client, shutdown_requested: Arc<AtomicBool>) -> Backend {
        Backend(Arc::new(Session {
            client,
            documents: Arc::default(),
            workspace: Mutex::new(Workspace::new(None, None)),
            features: OnceLock::new(),
            publisher: OnceLock::new(),
            disk: Mutex::new(None),
            registered_template: Mutex::new(None),
            settling: Settling::default(),
            shutdown_requested,
        }))
    }

    fn features(&self) -> ClientFeatures {
        self.features.get().copied().unwrap_or_default()
    }

    fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.workspace.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The analysed document, or `None` (logged) when it is not open.
    async fn analyzed(&self, uri: &Uri, method: &str) -> Option<Arc<Analyzed>> {
        let analyzed = self.documents.analyzed(uri).await;
        if analyzed.is_none() && log::once("not open", uri.as_str()) {
            warn!("{method}: {} is not open (or out of sync)", uri.as_str());
        }
        analyzed
    }

    /// A `didChange` for `uri` could not be read (`reason`): the document is out of sync.
    pub fn lost_change(&self, uri: &str, reason: &str) {
        let Ok(uri) = uri.parse::<Uri>() else {
            return;
        };
        if self.documents.lose(&uri) {
            self.out_of_sync(&uri, reason);
        }
    }

    /// `uri` just went out of sync: clear its diagnostics (nothing stale stays on screen)
    /// and tell the user, once per document, how to recover.
    fn out_of_sync(&self, uri: &Uri, reason: &str) {
        warn!("{} is out of sync: {reason}", uri.as_str());
        if let Some(publisher) = self.publisher.get() {
            publisher.clear(uri.clone());
        } else if self.features().diagnostic_refresh {
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
        if !self.documents.tell(uri) {
            return;
        }
        self.warn_user(format!(
            "trove-spec-lsp lost track of {} ({reason}); its diagnostics are cleared until you save it, or close and reopen it",
            uri.as_str()
        ));
    }

    /// Show `message` to the user as a warning, from a task of its own (a notification
    /// handler never awaits the client).
    fn warn_user(&self, message: String) {
        let client = self.client.clone();
        tokio::spawn(async move {
            client.show_message(MessageType::WARNING, message).await;
        });
    }

    /// A document was saved with its text (`didSave` with `text`, which the server asks
    /// for): the document takes it. An out-of-sync document is back in sync; an in-sync
    /// one whose text differs had diverged without the server noticing (logged once per
    /// document). Either way its diagnostics are computed afresh.
    fn take_saved(&self, uri: &Uri, text: &str) {
        match self.documents.take_saved(uri, text) {
            Saved::Resynced => info!("{} back in sync from the saved text", uri.as_str()),
            Saved::Diverged => {
                if log::once("diverged from the saved text", uri.as_str()) {
                    warn!(
                        "{} differed from the saved text: the server missed an edit; it takes the saved text",
                        uri.as_str()
                    );
                }
            }
            Saved::Unchanged | Saved::NotOpen => return,
        }
        self.rediagnose_later(uri.clone());
    }

    /// Diagnose `uri` again now that its text was replaced at the same version: publish
    /// again, or ask a pulling client to pull again (from a task of its own).
    fn rediagnose_later(&self, uri: Uri) {
        let backend = self.clone();
        tokio::spawn(async move { backend.rediagnose(uri).await });
    }

    /// Publish `uri`'s diagnostics again, or ask a pulling client to pull again.
    async fn rediagnose(&self, uri: Uri) {
        if let Some(publisher) = self.publisher.get() {
            publisher.republish(uri);
        } else if self.features().diagnostic_refresh
            && let Err(err) = self.client.workspace_diagnostic_refresh().await
        {
            warn!("workspace/diagnostic/refresh failed: {err}");
        }
    }

    /// An out-of-sync document was saved without its text: read the file back when it holds the editor's
    /// last known version (see [`read_back`]); otherwise it stays cleared, and the user is
    /// told once to close and reopen it.
    fn reread_if_lost(&self, uri: &Uri) {
        let Some((since, context)) = self.documents.lost_since(uri) else {
            return;
        };
        let read = match from_proto::local_path(uri) {
            Some(path) => read_back(&path, since, &context.config.max_file_size),
            None => Err("it is not a local file".to_string()),
        };
        let why = match read {
            Ok(text) => {
                if self.documents.take_saved(uri, &text) == Saved::Resynced {
                    info!("{} read back from disk after a save", uri.as_str());
                    self.rediagnose_later(uri.clone());
                }
                return;
            }
            Err(why) => why,
        };
        warn!("cannot read back {}: {why}", uri.as_str());
        if self.documents.tell_reread(uri) {
            self.warn_user(format!(
                "trove-spec-lsp cannot take the saved {} as the editor's text ({why}); close and reopen it to check it again",
                uri.as_str()
            ));
        }
    }

    fn schedule(&self, uri: &Uri) {
        if let Some(publisher) = self.publisher.get() {
            publisher.changed(uri.clone());
        }
    }

    /// Start the server's own file watcher, and the task that reloads the context when
    /// it sees a context file change.
    fn watch_disk(&self) {
        let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
        match DiskWatcher::start(tx) {
            Ok(watcher) => *self.disk.lock().unwrap_or_else(|p| p.into_inner()) = Some(watcher),
            Err(err) => {
                warn!(
                    "cannot watch files: {err}; templates and configuration changed on disk are seen when saved in the editor"
                );
                return;
            }
        }
        let backend = self.clone();
        tokio::spawn(async move {
            while let Some(first) = events.recv().await {
                let template = backend.workspace().configured_template();
                let relevant = |p: &std::path::Path| watch::is_context_path(p, template.as_deref());
                match disk_watch::settle(first, &mut events, relevant).await {
                    Some(true) => {
                        info!("a configuration file or template changed on disk");
                        backend.workspace().reload();
                        backend.context_changed();
                    }
                    Some(false) => {}
                    None => break,
                }
            }
        });
    }

    /// Watch (ourselves, when we do) the directories the open documents' context files
    /// can be in.
    fn update_disk_watch(&self) {
        let mut disk = self.disk.lock().unwrap_or_else(|p| p.into_inner());
        let Some(watcher) = disk.as_mut() else {
            return;
        };
        let root = self.workspace().root().map(std::path::Path::to_path_buf);
        let dirs = self
            .documents
            .contexts()
            .into_iter()
            .filter_map(|(uri, context)| {
                let path = from_proto::local_path(&uri)?;
                Some(disk_watch::dirs_for(
                    &path,
                    root.as_deref(),
                    &context.template.source,
                ))
            })
            .flatten()
            .collect();
        watcher.watch_exactly(dirs);
    }

    /// After an incremental edit: once no other change followed it for
    /// `diagnostics::SETTLE`, show what was held back while it was fresh. (One timer per
    /// document: a later edit pushes its due time, see `settle`.)
    fn settle_later(&self, uri: &Uri, version: i32) {
        if self.documents.caret(uri, version).is_none() {
            return;
        }
        let at = std::time::Instant::now() + diagnostics::SETTLE;
        if !self.settling.push(uri, version, at) {
            return;
        }
        let backend = self.clone();
        let uri = uri.clone();
        tokio::spawn(async move {
            let version = loop {
                match backend.settling.due(&uri, std::time::Instant::now()) {
                    Ok(version) => break version,
                    Err(at) => tokio::time::sleep_until(at.into()).await,
                }
            };
            if let Some(caret) = version.and_then(|v| backend.documents.settle(&uri, Some(v))) {
                backend.settled(uri, caret).await;
            }
        });
    }

    /// The edit that left the caret at `caret` settled: if that held a finding back,
    /// show it (publish again, or ask a pulling client to pull).
    async fn settled(&self, uri: Uri, caret: usize) {
        let Some(analyzed) = self.documents.analyzed(&uri).await else {
            return;
        };
        if diagnostics::holds_back(&analyzed, caret) {
            self.rediagnose(uri).await;
        }
    }

    /// The configuration or a template changed: re-resolve every open document and
    /// re-diagnose it.
    fn context_changed(&self) {
        // Lock order: the workspace lock may be taken while the documents lock is held
        // (a didChange for a document never opened resolves its context under it), never
        // the other way round. So the URIs are collected (documents lock released) before
        // the contexts are resolved (workspace lock), and stored after.
        let contexts: Vec<_> = self
            .documents
            .uris()
            .into_iter()
            .map(|uri| {
                let context = self.context(&uri);
                (uri, context)
            })
            .collect();
        self.documents.recontext(contexts);
        self.update_disk_watch();
        if let Some(publisher) = self.publisher.get() {
            publisher.all();
        } else if self.features().diagnostic_refresh {
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(err) = client.workspace_diagnostic_refresh().await {
                    warn!("workspace/diagnostic/refresh failed: {err}");
                }
            });
        }
    }

    fn apply_settings(&self, settings: Value) {
        self.workspace().set_settings(settings);
        self.context_changed();
        self.register_watchers();
    }

    /// Have the client watch the context files (when it can), again when the configured
    /// template changed since the last registration.
    fn register_watchers(&self) {
        if !self.features().watch_files {
            return;
        }
        let template = self.workspace().configured_template();
        let mut registered = self
            .registered_template
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if registered.as_ref() == Some(&template) {
            return;
        }
        let replace = registered.replace(template.clone()).is_some();
        drop(registered);
        tokio::spawn(watch::register(self.client.clone(), template, replace));
    }

    /// Tell the user about configuration or template files that could not be loaded.
    fn show_problems(&self, problems: Vec<String>) {
        if problems.is_empty() {
            return;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            for problem in problems {
                client.show_message(MessageType::WARNING, problem).await;
            }
        });
    }

    /// The analysis context of `uri` (problems loading it are shown to the user).
    fn context(&self, uri: &Uri) -> Arc<DocContext> {
        let mut workspace = self.workspace();
        let context = workspace.context(uri);
        let problems = workspace.take_problems();
        drop(workspace);
        self.show_problems(problems);
        context
    }

    /// Ask the client for this server's settings (`workspace/configuration`) in a task of
    /// its own, and apply the answer.
    fn request_settings(&self) {
        let backend = self.clone();
        tokio::spawn(async move {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some(SETTINGS_SECTION.to_string()),
            };
            match backend.client.configuration(vec![item]).await {
                Ok(mut values) if values.first().is_some_and(|v| !v.is_null()) => {
                    backend.apply_settings(values.swap_remove(0))
                }
                Ok(_) => {}
                Err(err) => warn!("workspace/configuration failed: {err}"),
            }
        });
    }
}

/// How much earlier than the change it follows a save's modification time may be: file
/// systems stamp files with a clock that lags by up to a scheduler tick.
const MTIME_SLACK: std::time::Duration = std::time::Duration::from_millis(50);

/// The text of a saved file, when it can hold the editor's last known version: a regular
/// file within `max`, valid UTF-8, written no earlier than that version arrived (`since`;
/// a file older than the last change does not hold it).
fn read_back(
    path: &std::path::Path,
    since: std::time::SystemTime,
    max: &crate::files::Limit,
) -> std::result::Result<String, String> {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if modified + MTIME_SLACK < since {
        return Err(format!(
            "{} was written before the editor's last change",
            path.display()
        ));
    }
    crate::files::read_text(path, max)
}

/// The workspace root from `initialize`.
fn root_path(params: &InitializeParams) -> Option<std::path::PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first());
    #[allow(deprecated)] // rootUri: still what many clients send
    let uri = folder.map(|f| &f.uri).or(params.root_uri.as_ref());
    uri.and_then(from_proto::local_path)
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let features = ClientFeatures::from_params(&params);
        let _ = self.features.set(features);
        *self.workspace() = Workspace::new(root_path(&params), params.initialization_options);
        if !features.pull_diagnostics {
            let publisher = Publisher::spawn(self.documents.clone(), features.encoding);
            let _ = self.publisher.set(publisher);
        }
        if !features.watch_files {
            self.watch_disk();
        }
        info!("initialized with {features:?}");
        Ok(InitializeResult {
            capabilities: server_capabilities(&features),
            server_info: Some(ServerInfo {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let features = self.features();
        self.register_watchers();
        if features.configuration_requests {
            self.request_settings();
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let context = self.context(&doc.uri);
        self.documents
            .open(doc.uri.clone(), &doc.text, doc.version, context);
        self.update_disk_watch();
        if let Some(publisher) = self.publisher.get() {
            publisher.opened(doc.uri.clone());
        }
        // last: its diagnostics may be published before this handler returns
        self.documents.start(&doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let doc = params.text_document;
        let enc = self.features().encoding;
        let changed =
            self.documents
                .change(&doc.uri, doc.version, params.content_changes, enc, || {
                    self.workspace().context(&doc.uri)
                });
        match changed {
            Changed::Applied => {
                self.settle_later(&doc.uri, doc.version);
                // a run under way publishes where it ends; the publishing task need
                // not wake (twice: now, and when it ends) to await it
                if !self.documents.start(&doc.uri) {
                    self.schedule(&doc.uri);
                }
            }
            Changed::Lost(reason) => self.out_of_sync(&doc.uri, &reason),
            Changed::Ignored => {}
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        match &params.text {
            Some(text) => self.take_saved(&params.text_document.uri, text),
            None => self.reread_if_lost(&params.text_document.uri),
        }
        if let Some(caret) = self.documents.settle(&params.text_document.uri, None) {
            let backend = self.clone();
            let uri = params.text_document.uri.clone();
            tokio::spawn(async move { backend.settled(uri, caret).await });
        }
        // a configuration file or template saved from the editor (covers clients that
        // cannot watch files)
        let template = self.workspace().configured_template();
        if watch::is_context_file(&params.text_document.uri, template.as_deref()) {
            self.workspace().reload();
            self.context_changed();
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.documents.close(&uri) && log::once("close not open", uri.as_str()) {
            warn!("didClose for {} which is not open", uri.as_str());
        }
        memory::release_freed_memory();
        self.update_disk_watch();
        if let Some(publisher) = self.publisher.get() {
            publisher.clear(uri);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if params.settings.is_null() && self.features().configuration_requests {
            // the client wants to be asked (without blocking this notification)
            self.request_settings();
            return;
        }
        self.apply_settings(params.settings);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let template = self.workspace().configured_template();
        if watch::affects_context(&params.changes, template.as_deref()) {
            self.workspace().reload();
            self.context_changed();
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = &params.text_document.uri;
        let analyzed = self.analyzed(uri, "textDocument/diagnostic").await;
        let enc = self.features().encoding;
        let previous = params.previous_result_id.as_deref();
        let caret = analyzed
            .as_ref()
            .and_then(|a| self.documents.caret(uri, a.version));
        let report = guarded("textDocument/diagnostic", || {
            pull_report(analyzed.as_deref(), previous, enc, caret)
        })
        .unwrap_or_else(|| pull_report(None, None, enc, None));
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let Some(analyzed) = self.analyzed(&pos.text_document.uri, "completion").await else {
            return Ok(None);
        };
        let features = self.features();
        let items = guarded("completion", || {
            completion::complete(&analyzed, pos.position, &features)
        })
        .unwrap_or_default();
        Ok((!items.is_empty()).then_some(CompletionResponse::Array(items)))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let Some(analyzed) = self.analyzed(&pos.text_document.uri, "hover").await else {
            return Ok(None);
        };
        let encoding = self.features().encoding;
        Ok(guarded("hover", || hover::hover(&analyzed, pos.position, encoding)).flatten())
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let Some(analyzed) = self.analyzed(&uri, "codeAction").await else {
            return Ok(None);
        };
        let features = self.features();
        Ok(guarded("codeAction", || {
            code_actions::actions(&analyzed, &uri, &params, &features)
        }))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some(analyzed) = self.analyzed(&uri, "documentSymbol").await else {
            return Ok(None);
        };
        let features = self.features();
        Ok(guarded("documentSymbol", || {
            symbols::symbols(&analyzed, &uri, &features)
        }))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(analyzed) = self
            .analyzed(&params.text_document.uri, "foldingRange")
            .await
        else {
            return Ok(None);
        };
        Ok(guarded("foldingRange", || {
            folding::folding_ranges(&analyzed)
        }))
    }
}
