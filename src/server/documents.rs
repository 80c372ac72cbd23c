//! Open documents: one ropey buffer per URI with its version, kept in sync with the
//! client's edits, and the engine's analysis of its current text (computed on demand,
//! cached per version).
//!
//! The store is a `std::sync::Mutex` so a `didChange` is applied in full before its
//! handler can yield; edits never wait for analysis (it runs outside the lock).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};
use tracing::{debug, warn};

use super::from_proto::char_index;
use super::guard::guarded;
use super::workspace::DocContext;
use crate::text::{Encoding, LineIndex};
use crate::{Analysis, analyze};

/// The serial number of the next analysis.
static NEXT_SERIAL: AtomicU64 = AtomicU64::new(1);

/// One open document.
struct Document {
    rope: Rope,
    version: i32,
    /// False after an edit that could not be applied: the text is unreliable until the
    /// client sends the full text again.
    in_sync: bool,
    context: Arc<DocContext>,
    analyzed: Option<Arc<Analyzed>>,
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
}

/// Every open document.
#[derive(Default)]
pub struct Documents {
    docs: Mutex<HashMap<Uri, Document>>,
}

impl Documents {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // a panic while holding the lock cannot leave a half-applied edit behind that
        // matters more than serving on: recover the map
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `didOpen`: (re)start tracking `uri` with its full text.
    pub fn open(&self, uri: Uri, text: &str, version: i32, context: Arc<DocContext>) {
        let doc = Document {
            rope: Rope::from_str(text),
            version,
            in_sync: true,
            context,
            analyzed: None,
        };
        self.lock().insert(uri, doc);
    }

    /// `didClose`: forget `uri`. False when it was not open.
    pub fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    /// `didChange`: apply `changes` in order. Returns whether the document is open and in
    /// sync afterwards (so worth re-analysing). A version that does not increase, an unknown
    /// URI or a change that cannot apply is logged, and the document waits for a full text.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
        context: impl FnOnce() -> Arc<DocContext>,
    ) -> bool {
        let mut docs = self.lock();
        let doc = match docs.get_mut(uri) {
            Some(doc) => doc,
            None => {
                // Only a full text can bring an unknown document into being.
                let Some(last_full) = changes.iter().rposition(|c| c.range.is_none()) else {
                    warn!("didChange for {} which is not open: ignored", uri.as_str());
                    return false;
                };
                warn!(
                    "didChange for {} which is not open: tracking it from its full text",
                    uri.as_str()
                );
                let doc = Document {
                    rope: Rope::new(),
                    version,
                    in_sync: true,
                    context: context(),
                    analyzed: None,
                };
                let doc = docs.entry(uri.clone()).or_insert(doc);
                apply_all(doc, &changes[last_full..], enc);
                doc.version = version;
                return doc.in_sync;
            }
        };
        if version <= doc.version {
            warn!(
                "{}: version {version} does not follow {}; waiting for the full text",
                uri.as_str(),
                doc.version
            );
            doc.in_sync = false;
        }
        apply_all(doc, &changes, enc);
        doc.version = version;
        doc.analyzed = None;
        doc.in_sync
    }

    /// Replace the analysis context of open documents (configuration or template
    /// changed).
    pub fn recontext(&self, contexts: Vec<(Uri, Arc<DocContext>)>) {
        let mut docs = self.lock();
        for (uri, context) in contexts {
            if let Some(doc) = docs.get_mut(&uri) {
                doc.context = context;
                doc.analyzed = None;
            }
        }
    }

    /// The URIs of all open documents.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// The analysis of `uri`'s current text: cached, or computed now (outside the lock).
    /// `None` when the document is not open, or out of sync with the client.
    pub fn analyzed(&self, uri: &Uri) -> Option<Arc<Analyzed>> {
        let (rope, version, context) = {
            let docs = self.lock();
            let doc = docs.get(uri)?;
            if !doc.in_sync {
                return None;
            }
            if let Some(analyzed) = &doc.analyzed {
                return Some(analyzed.clone());
            }
            (doc.rope.clone(), doc.version, doc.context.clone())
        };
        let analyzed = Arc::new(run_analysis(uri, &rope, version, context)?);
        let mut docs = self.lock();
        if let Some(doc) = docs.get_mut(uri) {
            if doc.version == version
                && doc.in_sync
                && Arc::ptr_eq(&doc.context, &analyzed.context)
                && doc.analyzed.is_none()
            {
                doc.analyzed = Some(analyzed.clone());
            }
        }
        Some(analyzed)
    }

    /// The current version of `uri`, if it is open and in sync.
    pub fn version(&self, uri: &Uri) -> Option<i32> {
        let docs = self.lock();
        docs.get(uri).filter(|d| d.in_sync).map(|d| d.version)
    }
}

/// Apply changes one after another; a full-text change resynchronises the document.
fn apply_all(doc: &mut Document, changes: &[TextDocumentContentChangeEvent], enc: Encoding) {
    for change in changes {
        match change.range {
            None => {
                doc.rope = Rope::from_str(&change.text);
                doc.in_sync = true;
            }
            Some(_) if !doc.in_sync => {} // waiting for a full text
            Some(range) => {
                let start = char_index(&doc.rope, range.start, enc);
                let end = char_index(&doc.rope, range.end, enc);
                if start > end {
                    warn!("edit range ends before it starts: waiting for the full text");
                    doc.in_sync = false;
                    continue;
                }
                doc.rope.remove(start..end);
                doc.rope.insert(start, &change.text);
            }
        }
    }
}

/// Analyse one text; an engine panic is logged, not fatal.
fn run_analysis(
    uri: &Uri,
    rope: &Rope,
    version: i32,
    context: Arc<DocContext>,
) -> Option<Analyzed> {
    let started = std::time::Instant::now();
    let text = rope.to_string();
    let what = format!("analysis of {} (version {version})", uri.as_str());
    let analysis = guarded(&what, || {
        analyze(&text, &context.template, &context.config, context.mode)
    })?;
    debug!("{what}: {:?}", started.elapsed());
    Some(Analyzed {
        serial: NEXT_SERIAL.fetch_add(1, Ordering::Relaxed),
        version,
        index: LineIndex::new(&text),
        text,
        analysis,
        context,
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
        })
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
                prop_assert!(docs.change(&uri, 2, events, enc, context));
                prop_assert_eq!(&docs.analyzed(&uri).unwrap().text, &expected);
            }
        }
    }
}
