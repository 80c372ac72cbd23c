//! Open documents: one ropey buffer per URI with its version, kept in sync with the
//! client's edits, and the engine's analysis of its current text (computed on demand,
//! cached per version).
//!
//! The store is a `std::sync::Mutex` so a `didChange` is applied in full before its
//! handler can yield; edits never wait for analysis. Analysis runs on tokio's blocking
//! pool (or on the stdin thread that applied the edit, once another thread reads on:
//! `inline`), never on the runtime thread, so a slow document cannot hold up requests
//! about others; one run per version is shared by everything waiting for it, and a caller that
//! stops waiting (a cancelled request) just drops its share. At most one run per core
//! (at least two) goes at a time, so a burst of edits and requests on a large document
//! cannot hold many copies of its analysis at once; a run still waiting for its turn
//! when the text changes is skipped, and its callers get the current text's analysis.
//!
//! A change that cannot be applied (a version that does not increase, an edit range that
//! ends before it starts, params that do not fit) puts the document out of sync: it has
//! no analysis until the client sends the full text (a full-text change, a reopen) or
//! saves it. A save carries its text (the server asks for it: `includeText`), which the
//! document then takes, in sync or not ([`Documents::take_saved`]: an in-sync text that
//! differs had diverged unnoticed); from a client that sends a save without it, the file
//! is read back, when it was written after the last change arrived
//! ([`Documents::lost_since`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::SystemTime;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use ropey::Rope;
use tokio::sync::Semaphore;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};
use tracing::{debug, warn};

use super::from_proto::char_index;
use super::guard::guarded;
use super::inline;
use super::workspace::DocContext;
use crate::rst::Reuse;
use crate::text::{Encoding, LineIndex};
use crate::{Analysis, FileExists, Location, analyze_reusing};

/// The serial number of the next analysis.
static NEXT_SERIAL: AtomicU64 = AtomicU64::new(1);

/// One open document.
struct Document {
    rope: Rope,
    version: i32,
    /// False after an edit that could not be applied: the text is unreliable until the
    /// client sends the full text again.
    in_sync: bool,
    /// Whether the user was told that this document is out of sync.
    told: bool,
    /// Whether the user was told that the saved file could not be read back.
    told_reread: bool,
    /// When the last change (applied or not) arrived: the editor's last known version.
    changed_at: SystemTime,
    context: Arc<DocContext>,
    /// Where the last incremental edit left the caret (a byte offset in the current
    /// text), until the edit settles or the document is saved; `None` after a full text.
    caret: Option<usize>,
    analyzed: Option<Arc<Analyzed>>,
    /// The analysis of the current text while it runs (or waits for its turn).
    running: Option<Run>,
    /// The newest analysis done, for the next one to reuse (its parse and its line
    /// index): an edit re-parses only what it changed. None for a document too large to
    /// keep a parse for.
    last: Option<Arc<Analyzed>>,
}

/// An analysis in progress, awaited by every caller that wants it.
struct Run {
    outcome: RunOutcome,
    /// Set when the text changes (or the document closes, or its context changes): a run
    /// that has not started yet is skipped, and the analysis of one that has is no longer
    /// current.
    superseded: Arc<AtomicBool>,
    /// Set once the run has its turn and its work is handed on: it ends, and its
    /// analysis is published from where it ran, without anyone awaiting it.
    launched: Arc<AtomicBool>,
}

/// How an analysis run ends, for everyone who awaits it.
type RunOutcome = Shared<BoxFuture<'static, Outcome>>;

/// How an analysis run ended.
#[derive(Clone)]
enum Outcome {
    Done(Arc<Analyzed>),
    /// The text changed before the run's turn came: the current text needs one.
    Superseded,
    /// The engine panicked (logged), or the run was lost.
    Failed,
}

/// What a save's text did to a document ([`Documents::take_saved`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// It was out of sync and took the saved text: in sync again.
    Resynced,
    /// It was in sync, but its text differed from the saved one (the server missed or
    /// misapplied a change it could not tell): it took the saved text.
    Diverged,
    /// Its text was the saved text.
    Unchanged,
    /// It is not open.
    NotOpen,
}

/// What a `didChange` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Changed {
    /// Applied: the document is in sync.
    Applied,
    /// The document just went out of sync, for this reason.
    Lost(String),
    /// Not applied: the document is not open, or was already out of sync.
    Ignored,
}

impl Document {
    fn new(rope: Rope, version: i32, context: Arc<DocContext>) -> Document {
        Document {
            rope,
            version,
            in_sync: true,
            told: false,
            told_reread: false,
            changed_at: SystemTime::now(),
            context,
            caret: None,
            analyzed: None,
            running: None,
            last: None,
        }
    }

    /// The text changed (or its context): the analysis is out of date.
    fn invalidate(&mut self) {
        self.analyzed = None;
        if let Some(run) = self.running.take() {
            run.superseded.store(true, Ordering::Release);
        }
    }
}

/// A document's text at one version and the engine's analysis of it.
pub struct Analyzed {
    /// Unique per analysis run (pull diagnostics' result id).
    pub serial: u64,
    pub version: i32,
    pub text: String,
    pub index: LineIndex,
    pub analysis: Analysis,
    pub context: Arc<DocContext>,
    /// What the next analysis of the document can reuse.
    reuse: Arc<Reuse>,
}

/// What is done with an analysis on the thread that ran it, as soon as it is done: the
/// document's URI, its analysis, and whether its text is no longer current (the
/// document changed, closed or took another context since the run started).
pub type OnAnalyzed = Arc<dyn Fn(&Uri, &Arc<Analyzed>, &AtomicBool) + Send + Sync>;

/// Every open document.
pub struct Documents {
    docs: Mutex<HashMap<Uri, Document>>,
    /// Turns for analysis runs: one per core, at least two.
    turns: Arc<Semaphore>,
    on_analyzed: OnceLock<OnAnalyzed>,
}

impl Default for Documents {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Documents {
            docs: Mutex::default(),
            turns: Arc::new(Semaphore::new(cores.max(2))),
            on_analyzed: OnceLock::new(),
        }
    }
}

impl Documents {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // a panic while holding the lock cannot leave a half-applied edit behind that
        // matters more than serving on: recover the map
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Do `then` with every analysis, on the thread that ran it, before it is handed to
    /// those awaiting it (set once: publishing diagnostics from there saves waking the
    /// runtime's thread between an analysis and its diagnostics).
    pub fn on_analyzed(&self, then: OnAnalyzed) {
        let _ = self.on_analyzed.set(then);
    }

    /// `didOpen`: (re)start tracking `uri` with its full text.
    pub fn open(&self, uri: Uri, text: &str, version: i32, context: Arc<DocContext>) {
        let doc = Document::new(Rope::from_str(text), version, context);
        if let Some(mut replaced) = self.lock().insert(uri, doc) {
            replaced.invalidate(); // its run, if any, is not of this text
        }
    }

    /// `didClose`: forget `uri`. False when it was not open.
    pub fn close(&self, uri: &Uri) -> bool {
        let closed = self.lock().remove(uri);
        closed.map(|mut doc| doc.invalidate()).is_some()
    }

    /// `didChange`: apply `changes` in order. A version that does not increase or a
    /// change that cannot apply puts the document out of sync until a full text arrives;
    /// a change for an unknown URI is applied only from a full text.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
        context: impl FnOnce() -> Arc<DocContext>,
    ) -> Changed {
        let mut docs = self.lock();
        let doc = match docs.get_mut(uri) {
            Some(doc) => doc,
            None => {
                // Only a full text can bring an unknown document into being.
                let Some(last_full) = changes.iter().rposition(|c| c.range.is_none()) else {
                    if super::log::once("change not open", uri.as_str()) {
                        warn!("didChange for {} which is not open: ignored", uri.as_str());
                    }
                    return Changed::Ignored;
                };
                warn!(
                    "didChange for {} which is not open: tracking it from its full text",
                    uri.as_str()
                );
                let doc = Document::new(Rope::new(), version, context());
                let doc = docs.entry(uri.clone()).or_insert(doc);
                apply_all(doc, &changes[last_full..], enc);
                return Changed::Applied;
            }
        };
        let was_in_sync = doc.in_sync;
        doc.changed_at = SystemTime::now();
        let mut lost = None;
        if version <= doc.version {
            lost = Some(format!(
                "version {version} does not follow version {}",
                doc.version
            ));
            doc.in_sync = false;
        }
        if let Some(reason) = apply_all(doc, &changes, enc) {
            lost.get_or_insert(reason);
        }
        doc.version = version;
        doc.invalidate();
        match lost {
            _ if doc.in_sync => Changed::Applied,
            Some(reason) if was_in_sync => Changed::Lost(reason),
            _ => Changed::Ignored,
        }
    }

    /// Where the edit that made `version` of `uri` left the caret, while it is fresh.
    pub fn caret(&self, uri: &Uri, version: i32) -> Option<usize> {
        self.lock()
            .get(uri)
            .filter(|doc| doc.version == version)
            .and_then(|doc| doc.caret)
    }

    /// The edit is settled (no change since `version`, or `None`: saved): forget its
    /// caret, and return it if there was one.
    pub fn settle(&self, uri: &Uri, version: Option<i32>) -> Option<usize> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        if version.is_some_and(|v| v != doc.version) {
            return None;
        }
        doc.caret.take()
    }

    /// A change for `uri` could not even be read: it is out of sync. True when it was in
    /// sync until now.
    pub fn lose(&self, uri: &Uri) -> bool {
        let mut docs = self.lock();
        let Some(doc) = docs.get_mut(uri) else {
            return false;
        };
        doc.changed_at = SystemTime::now();
        doc.invalidate();
        std::mem::replace(&mut doc.in_sync, false)
    }

    /// Whether the user should be told that `uri` is out of sync: true once per opening.
    pub fn tell(&self, uri: &Uri) -> bool {
        let mut docs = self.lock();
        docs.get_mut(uri)
            .is_some_and(|doc| !std::mem::replace(&mut doc.told, true))
    }

    /// Whether the user should be told that the saved `uri` could not be read back: true
    /// once until it is back in sync.
    pub fn tell_reread(&self, uri: &Uri) -> bool {
        let mut docs = self.lock();
        docs.get_mut(uri)
            .is_some_and(|doc| !std::mem::replace(&mut doc.told_reread, true))
    }

    /// For an open, out-of-sync `uri`: when its last change arrived (a file written
    /// since holds the editor's last known version, or a later one) and its context.
    pub fn lost_since(&self, uri: &Uri) -> Option<(SystemTime, Arc<DocContext>)> {
        let docs = self.lock();
        let doc = docs.get(uri).filter(|doc| !doc.in_sync)?;
        Some((doc.changed_at, doc.context.clone()))
    }

    /// Take `text`, the saved text, as the current text of `uri`: what it did.
    pub fn take_saved(&self, uri: &Uri, text: &str) -> Saved {
        let mut docs = self.lock();
        let Some(doc) = docs.get_mut(uri) else {
            return Saved::NotOpen;
        };
        let saved = if !doc.in_sync {
            Saved::Resynced
        } else if doc.rope != text {
            Saved::Diverged
        } else {
            return Saved::Unchanged;
        };
        doc.rope = Rope::from_str(text);
        doc.in_sync = true;
        doc.told = false;
        doc.told_reread = false;
        doc.caret = None;
        doc.invalidate();
        saved
    }

    /// Replace the analysis context of open documents (configuration or template
    /// changed).
    pub fn recontext(&self, contexts: Vec<(Uri, Arc<DocContext>)>) {
        let mut docs = self.lock();
        for (uri, context) in contexts {
            if let Some(doc) = docs.get_mut(&uri) {
                doc.context = context;
                doc.invalidate();
            }
        }
    }

    /// The analysis context of every open document.
    pub fn contexts(&self) -> Vec<(Uri, Arc<DocContext>)> {
        self.lock()
            .iter()
            .map(|(uri, doc)| (uri.clone(), doc.context.clone()))
            .collect()
    }

    /// The URIs of all open documents.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// The analysis of `uri`'s current text if it is done, else its run (started now if
    /// none is). `None` when the document is not open, or out of sync.
    fn run(&self, uri: &Uri) -> Option<Result<Arc<Analyzed>, RunOutcome>> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        if !doc.in_sync {
            return None;
        }
        if let Some(analyzed) = &doc.analyzed {
            return Some(Ok(analyzed.clone()));
        }
        if doc.running.is_none() {
            let then = self.on_analyzed.get().cloned();
            doc.running = Some(Run::start(&self.turns, uri, doc, then));
        }
        doc.running.as_ref().map(|r| Err(r.outcome.clone()))
    }

    /// Start the analysis of `uri`'s current text now, if it has a turn, rather than when
    /// its diagnostics are next wanted: an edit's analysis then starts on the thread that
    /// applied the edit, without waiting for the runtime's thread to wake (must be called
    /// within the runtime's context). True when the run is under way on its own (it had
    /// its turn: its analysis is published from where it runs, if the hook of
    /// [`Documents::on_analyzed`] is set); false when it is up to whoever awaits it.
    pub fn start(&self, uri: &Uri) -> bool {
        let Some(Err(outcome)) = self.run(uri) else {
            return false;
        };
        // polled once: takes a turn and hands the run on (`inline`); without a turn,
        // whoever awaits the analysis later drives it on from there
        let _ = outcome.clone().now_or_never();
        let docs = self.lock();
        let run = docs.get(uri).and_then(|d| d.running.as_ref());
        run.is_some_and(|r| r.outcome.ptr_eq(&outcome) && r.launched.load(Ordering::Acquire))
    }

    /// The analysis of `uri`'s current text: cached, running (then awaited), or started
    /// now (on the blocking pool, when its turn comes). When the text changes before a
    /// run's turn comes, the current text's analysis is awaited instead. `None` when
    /// the document is not open, or out of sync.
    pub async fn analyzed(&self, uri: &Uri) -> Option<Arc<Analyzed>> {
        loop {
            let outcome = match self.run(uri)? {
                Ok(analyzed) => return Some(analyzed),
                Err(outcome) => outcome,
            };
            let analyzed = match outcome.clone().await {
                Outcome::Done(analyzed) => analyzed,
                Outcome::Superseded => continue,
                Outcome::Failed => return None,
            };
            let replaced = keep(&mut self.lock(), uri, &analyzed, |doc| {
                doc.running
                    .as_ref()
                    .is_some_and(|r| r.outcome.ptr_eq(&outcome))
            });
            // freeing an analysis takes a while (a large document's is many thousands
            // of allocations): not here, between the analysis and its diagnostics
            if let Some(replaced) = replaced {
                tokio::task::spawn_blocking(move || drop(replaced));
            }
            return Some(analyzed);
        }
    }

    /// Keep an analysis that has just ended, on the thread that ran it (when nobody may
    /// await its run): the document's own while its run is not `superseded`. Returns
    /// the analysis it replaces as the one to reuse, to be freed when time allows.
    #[must_use]
    pub fn keep(
        &self,
        uri: &Uri,
        analyzed: &Arc<Analyzed>,
        superseded: &AtomicBool,
    ) -> Option<Arc<Analyzed>> {
        // the flag is set under the lock (`invalidate`)
        keep(&mut self.lock(), uri, analyzed, |_| {
            !superseded.load(Ordering::Acquire)
        })
    }

    /// The current version of `uri`, if it is open and in sync.
    pub fn version(&self, uri: &Uri) -> Option<i32> {
        let docs = self.lock();
        docs.get(uri).filter(|d| d.in_sync).map(|d| d.version)
    }

    /// Whether `analyzed` is the analysis of `uri`'s current text in its current
    /// context (a context change keeps the version).
    pub fn is_current(&self, uri: &Uri, analyzed: &Arc<Analyzed>) -> bool {
        let docs = self.lock();
        docs.get(uri)
            .and_then(|d| d.analyzed.as_ref())
            .is_some_and(|a| Arc::ptr_eq(a, analyzed))
    }
}

/// Keep `analyzed`, of a run that ended: as the document's analysis if `current` says
/// its run is still the document's, and as what the next analysis reuses if it is the
/// newest. Returns the analysis it replaces there.
fn keep(
    docs: &mut HashMap<Uri, Document>,
    uri: &Uri,
    analyzed: &Arc<Analyzed>,
    current: impl FnOnce(&Document) -> bool,
) -> Option<Arc<Analyzed>> {
    let doc = docs.get_mut(uri)?;
    if current(doc) {
        doc.running = None;
        doc.analyzed = Some(analyzed.clone());
    }
    if doc
        .last
        .as_ref()
        .is_some_and(|last| last.version > analyzed.version || Arc::ptr_eq(last, analyzed))
    {
        return None; // newer, or this one already (kept where it ran, then by a waiter)
    }
    // kept only where its parse is (a document small enough): a huge one's analysis
    // would stay alive beside the next one's while it runs
    let reusable = analyzed.reuse.constructs().0 > 0;
    std::mem::replace(&mut doc.last, reusable.then(|| analyzed.clone()))
}

/// Apply changes one after another; a full-text change resynchronises the document. The
/// reason the document went out of sync, if it did. Sets the caret where the last change
/// left it (none after a full text).
fn apply_all(
    doc: &mut Document,
    changes: &[TextDocumentContentChangeEvent],
    enc: Encoding,
) -> Option<String> {
    let mut lost = None;
    doc.caret = None;
    for change in changes {
        match change.range {
            None => {
                doc.rope = Rope::from_str(&change.text);
                doc.in_sync = true;
                doc.caret = None;
            }
            Some(_) if !doc.in_sync => {} // waiting for a full text
            Some(range) => {
                let start = char_index(&doc.rope, range.start, enc);
                let end = char_index(&doc.rope, range.end, enc);
                if start > end {
                    warn!("edit range ends before it starts: waiting for the full text");
                    doc.in_sync = false;
                    lost = Some("an edit range ends before it starts".to_string());
                    continue;
                }
                doc.rope.remove(start..end);
                doc.rope.insert(start, &change.text);
                let caret = start + change.text.chars().count();
                doc.caret = Some(doc.rope.char_to_byte(caret));
            }
        }
    }
    lost
}

/// Analyse one text; an engine panic is logged, not fatal.
impl Run {
    /// A run of the analysis of `doc`'s current text, started when first awaited: it
    /// waits for a turn, then runs on the blocking pool unless the text changed; `then`
    /// is done with its analysis there.
    fn start(turns: &Arc<Semaphore>, uri: &Uri, doc: &Document, then: Option<OnAnalyzed>) -> Run {
        let superseded = Arc::new(AtomicBool::new(false));
        let launched = Arc::new(AtomicBool::new(false));
        let (turns, skip, handed) = (turns.clone(), superseded.clone(), launched.clone());
        let (uri, rope) = (uri.clone(), doc.rope.clone());
        let (version, context) = (doc.version, doc.context.clone());
        let earlier = doc.last.clone();
        let outcome = async move {
            let Ok(turn) = turns.acquire_owned().await else {
                return Outcome::Failed;
            };
            if skip.load(Ordering::Acquire) {
                return Outcome::Superseded;
            }
            let (done, result) = tokio::sync::oneshot::channel();
            // on the blocking pool, or on the thread that applied the edit (`inline`);
            // a run that panics drops `done`: it failed
            handed.store(true, Ordering::Release);
            inline::spawn(move || {
                let _turn = turn; // held until the run ends, even if nobody waits
                let analyzed =
                    run_analysis(&uri, &rope, version, context, earlier.as_deref()).map(Arc::new);
                if let (Some(analyzed), Some(then)) = (&analyzed, then) {
                    then(&uri, analyzed, &skip);
                }
                let _ = done.send(analyzed);
            });
            match result.await {
                Ok(Some(analyzed)) => Outcome::Done(analyzed),
                _ => Outcome::Failed,
            }
        };
        Run {
            outcome: outcome.boxed().shared(),
            superseded,
            launched,
        }
    }
}

fn run_analysis(
    uri: &Uri,
    rope: &Rope,
    version: i32,
    context: Arc<DocContext>,
    earlier: Option<&Analyzed>,
) -> Option<Analyzed> {
    let started = std::time::Instant::now();
    let mut text = String::with_capacity(rope.len_bytes());
    rope.chunks().for_each(|chunk| text.push_str(chunk));
    let what = format!("analysis of {} (version {version})", uri.as_str());
    let (analysis, reuse) = guarded(&what, || {
        let dir = context.path.as_deref().and_then(Path::parent);
        let exists = |path: &Path| dir.is_some_and(|d| d.join(path).is_file());
        let at = context.path.as_deref().map(|path| Location {
            path,
            exists: dir.is_some().then_some(&exists as FileExists),
        });
        analyze_reusing(
            &text,
            &context.template,
            &context.config,
            context.mode,
            at,
            earlier.map(|e| &*e.reuse),
        )
    })?;
    let (constructs, replayed) = reuse.constructs();
    debug!(
        "{what}: {:?} ({replayed} of {constructs} top-level constructs reused)",
        started.elapsed()
    );
    Some(Analyzed {
        serial: NEXT_SERIAL.fetch_add(1, Ordering::Relaxed),
        version,
        index: match earlier {
            Some(e) => e.index.after_edit(&e.text, &text),
            None => LineIndex::new(&text),
        },
        text,
        analysis,
        context,
        reuse: Arc::new(reuse),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tower_lsp_server::ls_types::{Position, Range};

    use super::*;
    use crate::text::LineCol;
    use crate::{Config, Mode, Template};

    fn context() -> Arc<DocContext> {
        Arc::new(DocContext {
            mode: Mode::Plain,
            template: Arc::new(Template::builtin()),
            config: Arc::new(Config::default()),
            path: None,
        })
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    /// `start` hands the run to the blocking pool at once: it runs (and its `then`
    /// is done) while nobody awaits it; awaiting it afterwards gives that run's analysis.
    #[test]
    fn a_started_analysis_runs_without_being_awaited() {
        let uri: Uri = "file:///specs/s.rst".parse().unwrap();
        let docs = Documents::default();
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = Mutex::new(tx);
        docs.on_analyzed(Arc::new(move |_, analyzed, _| {
            let _ = tx.lock().unwrap().send(analyzed.serial);
        }));
        docs.open(uri.clone(), "Title\n=====\n", 1, context());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        {
            let _entered = runtime.enter();
            docs.start(&uri);
        }
        let serial = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the started analysis ran");
        let analyzed = runtime.block_on(docs.analyzed(&uri)).unwrap();
        assert_eq!(analyzed.serial, serial, "the same run, not a second one");
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn a_change_that_cannot_apply_loses_the_document_until_a_full_text() {
        let uri: Uri = "file:///specs/p.rst".parse().unwrap();
        let docs = Documents::default();
        docs.open(uri.clone(), "abc\n", 1, context());
        let edit = |text: &str| TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line: 0,
                    character: 0,
                },
                end: Position {
                    line: 0,
                    character: 0,
                },
            }),
            range_length: None,
            text: text.to_string(),
        };
        let full = |text: &str| TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.to_string(),
        };
        let enc = Encoding::Utf16;
        assert!(matches!(
            docs.change(&uri, 1, vec![edit("x")], enc, context),
            Changed::Lost(_)
        ));
        assert!(docs.lost_since(&uri).is_some());
        assert!(runtime().block_on(docs.analyzed(&uri)).is_none());
        assert!(docs.tell(&uri));
        assert!(!docs.tell(&uri), "told once");
        assert_eq!(
            docs.change(&uri, 3, vec![edit("y")], enc, context),
            Changed::Ignored
        );
        assert_eq!(
            docs.change(&uri, 4, vec![full("new\n")], enc, context),
            Changed::Applied
        );
        let analyzed = runtime().block_on(docs.analyzed(&uri)).unwrap();
        assert_eq!(analyzed.text, "new\n");
        assert!(docs.lose(&uri));
        assert!(!docs.lose(&uri));
        assert!(docs.lost_since(&uri).is_some());
        assert_eq!(docs.take_saved(&uri, "saved\n"), Saved::Resynced);
        assert!(docs.lost_since(&uri).is_none());
        let analyzed = runtime().block_on(docs.analyzed(&uri)).unwrap();
        assert_eq!(analyzed.text, "saved\n");
        assert_eq!(docs.take_saved(&uri, "saved\n"), Saved::Unchanged);
        assert_eq!(docs.take_saved(&uri, "other\n"), Saved::Diverged);
        let analyzed = runtime().block_on(docs.analyzed(&uri)).unwrap();
        assert_eq!(analyzed.text, "other\n");
        let closed: Uri = "file:///specs/closed.rst".parse().unwrap();
        assert_eq!(docs.take_saved(&closed, "x"), Saved::NotOpen);
    }

    #[test]
    fn the_last_analysis_is_kept_for_reuse_only_where_its_parse_is() {
        let docs = Documents::default();
        let small: Uri = "file:///specs/small.rst".parse().unwrap();
        let huge: Uri = "file:///specs/huge.rst".parse().unwrap();
        docs.open(small.clone(), "Title\n=====\n\ntext\n", 1, context());
        // more lines than a parse is kept for
        docs.open(huge.clone(), &"word\n\n".repeat(60_000), 1, context());
        for uri in [&small, &huge] {
            assert!(runtime().block_on(docs.analyzed(uri)).is_some());
        }
        let kept = |uri: &Uri| docs.lock().get(uri).is_some_and(|d| d.last.is_some());
        assert!(kept(&small));
        assert!(
            !kept(&huge),
            "a huge document's analysis is not kept beside the next"
        );
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["a", "é", "中", "😀", "\n", "\r\n", "\r", " ", "="])
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..30).prop_map(|p| p.concat())
    }

    /// (start, end, inserted) with start <= end, positions possibly out of range.
    fn change() -> impl Strategy<Value = ((u32, u32), (u32, u32), String)> {
        ((0u32..8, 0u32..12), (0u32..8, 0u32..12), text())
            .prop_map(|(a, b, t)| if a <= b { (a, b, t) } else { (b, a, t) })
    }

    proptest! {
        /// Edits applied to the rope give the text the engine's line index predicts.
        #[test]
        fn edits_match_a_reference(start in text(), changes in prop::collection::vec(change(), 1..6)) {
            let uri: Uri = "file:///specs/p.rst".parse().unwrap();
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let docs = Documents::default();
                docs.open(uri.clone(), &start, 1, context());
                let mut expected = start.clone();
                let mut events = Vec::new();
                for (a, b, new) in &changes {
                    let index = LineIndex::new(&expected);
                    let at = |(line, col): (u32, u32)| index.offset(&expected, LineCol { line, col }, enc);
                    let (s, e) = (at(*a), at(*b));
                    expected.replace_range(s..e, new);
                    let pos = |(line, character): (u32, u32)| Position { line, character };
                    events.push(TextDocumentContentChangeEvent {
                        range: Some(Range { start: pos(*a), end: pos(*b) }),
                        range_length: None,
                        text: new.clone(),
                    });
                }
                prop_assert_eq!(docs.change(&uri, 2, events, enc, context), Changed::Applied);
                let analyzed = runtime().block_on(docs.analyzed(&uri));
                prop_assert_eq!(&analyzed.unwrap().text, &expected);
            }
        }
    }
}
