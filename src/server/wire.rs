//! The byte streams between the client and the server: our own framing and dispatch
//! around tower-lsp-server's `LspService`, instead of its `Server`.
//!
//! Why not `Server`: its reader (a `FramedRead` over its codec) ends for good at the first
//! frame it cannot decode, so one bad header or one malformed body would stop all further
//! work; and to screen messages in front of it every body had to be parsed twice. Here:
//! - a plain thread reads stdin with [`Framer`] (which resynchronises on the next
//!   `Content-Length:` after anything that is not a frame), parses each body once into a
//!   JSON-RPC message, answers what is not one with a JSON-RPC error (invalid UTF-8 is
//!   replaced with U+FFFD first), and hands messages to the runtime thread in order;
//! - except a `didChange` that arrives when the runtime's thread has taken up every
//!   message before it (typing, as a rule): the reading thread applies it and starts its
//!   analysis itself, so that a keystroke's diagnostics do not wait for the runtime's
//!   thread to wake first (the order in which messages take effect is the same); two
//!   threads take turns at reading, and the one that applied an edit runs its analysis
//!   (and writes its diagnostics) while the other reads on, so that no thread has to
//!   wake between the edit and its diagnostics (when the other is busy with an earlier
//!   analysis, the blocking pool runs it);
//! - the runtime thread passes each request to the service, polling it once at once so
//!   that handlers start in arrival order (each applies its edits before its first
//!   `.await`), and spawns what is not finished; `$/cancelRequest` reaches the service's
//!   own cancellation, which ends a request still waiting (for an analysis, say);
//! - `textDocument/didOpen` and `didChange` are converted to their typed params here and
//!   given to the backend directly (the service would convert them again, and would drop
//!   a change whose params do not fit without a word, leaving the document silently
//!   diverged): a change that does not fit puts its document out of sync;
//! - everything the server sends is written as whole frames under stdout's lock.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::{FutureExt, SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
};
use tower_lsp_server::{ClientSocket, LanguageServer, LspService};
use tower_service::Service;
use tracing::warn;

use super::backend::Backend;
use super::framing::{Frame, Framer};
use super::guard::guarded;
use super::inline;

/// A JSON-RPC message in either direction.
#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Message {
    Response(Response),
    Request(Request),
}

/// Parse one incoming body (once): the message, or the error response to send back and
/// whether the body is not JSON at all (then it is scanned again for a header).
pub fn parse(body: &[u8]) -> Result<Message, (Response, bool)> {
    let lossy;
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(err) => {
            warn!("message contains invalid UTF-8; replaced with U+FFFD: {err}");
            lossy = String::from_utf8_lossy(body).into_owned();
            &lossy
        }
    };
    match serde_json::from_str::<Message>(text) {
        Ok(message) => Ok(message),
        Err(err) if err.is_data() => {
            warn!("not a JSON-RPC message, ignored: {err}");
            let id = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| serde_json::from_value::<Id>(v.get("id")?.clone()).ok())
                .unwrap_or(Id::Null);
            Err((Response::from_error(id, Error::invalid_request()), false))
        }
        Err(err) => {
            warn!("malformed JSON, ignored: {err}");
            Err((Response::from_error(Id::Null, Error::parse_error()), true))
        }
    }
}

/// One framed message.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// Send a notification to the client directly: what goes out on every keystroke
/// (diagnostics) is serialized once, not first into a JSON value by the service's client
/// and then again here.
pub fn notify<P: Serialize>(method: &str, params: &P) {
    #[derive(Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    send(&Notification {
        jsonrpc: "2.0",
        method,
        params,
    });
}

/// Write one message to stdout as a whole frame, under stdout's lock.
fn send<T: Serialize>(message: &T) {
    let body = match serde_json::to_vec(message) {
        Ok(body) => body,
        Err(err) => {
            warn!("cannot serialize a message: {err}");
            return;
        }
    };
    let mut out = io::stdout().lock();
    if let Err(err) = out.write_all(&frame(&body)).and_then(|()| out.flush()) {
        warn!("writing stdout failed: {err}");
    }
}

/// What the reading thread needs to apply an edit itself (see the module comment).
pub struct Shortcut {
    pub backend: Backend,
    pub runtime: tokio::runtime::Handle,
    /// How many of the messages handed over the runtime's thread has taken up (its
    /// handler run up to its first wait).
    pub taken: Arc<AtomicU64>,
}

impl Shortcut {
    /// Apply `message` here if it is a `didChange` and the runtime's thread has taken up
    /// all `handed` messages before it; else give it back. With `run_here`, the edit's
    /// analysis, if it starts now, is returned for this thread to run.
    fn apply(
        &self,
        message: Message,
        handed: u64,
        run_here: bool,
    ) -> Result<Option<inline::Job>, Message> {
        let edit = matches!(&message, Message::Request(r)
            if r.id().is_none() && r.method() == "textDocument/didChange");
        if !edit || self.taken.load(Ordering::Acquire) != handed {
            return Err(message);
        }
        let Message::Request(request) = message else {
            unreachable!("matched above")
        };
        let _runtime = self.runtime.enter();
        let apply = || guarded("applying an edit", || direct(&self.backend, request));
        if run_here {
            Ok(inline::collect(apply).1)
        } else {
            apply();
            Ok(None)
        }
    }
}

/// Reading stdin: held by one of the two stdin threads at a time.
struct Reading {
    framer: Framer<io::Stdin>,
    /// How many messages have been handed to the runtime's thread.
    handed: u64,
    /// Where messages go; `None` once the input or the server has ended.
    tx: Option<mpsc::Sender<Message>>,
}

/// What the two stdin threads share.
struct Readers {
    reading: Mutex<Reading>,
    /// How many stdin threads wait to read (not running an analysis).
    waiting: AtomicUsize,
    shortcut: Shortcut,
}

/// What a stdin thread does after a message.
enum Next {
    Read,
    /// Hand the reading over, then run this analysis.
    Run(inline::Job),
    Stop,
}

impl Reading {
    /// Read and dispatch one message.
    fn next(&mut self, readers: &Readers) -> Next {
        let body = match self.framer.next_frame() {
            Ok(None) => return Next::Stop,
            Err(err) => {
                warn!("reading stdin failed: {err}");
                return Next::Stop;
            }
            Ok(Some(Frame::Bad(reason))) => {
                warn!("bad message framing, skipped: {reason}");
                send(&Response::from_error(Id::Null, Error::parse_error()));
                return Next::Read;
            }
            Ok(Some(Frame::Body(body))) => body,
        };
        let message = match parse(&body) {
            Ok(message) => message,
            Err((reply, not_json)) => {
                if not_json {
                    self.framer.rescan(&body);
                }
                send(&reply);
                return Next::Read;
            }
        };
        // the analysis runs here only while the other thread is there to read on
        let run_here = readers.waiting.load(Ordering::Acquire) > 0;
        let message = match readers.shortcut.apply(message, self.handed, run_here) {
            Ok(Some(job)) => return Next::Run(job),
            Ok(None) => return Next::Read,
            Err(message) => message,
        };
        self.handed += 1;
        match &self.tx {
            Some(tx) if tx.blocking_send(message).is_ok() => Next::Read,
            _ => Next::Stop, // the server has stopped
        }
    }
}

/// One stdin thread: take the reading when it is free and read until an edit's analysis
/// is to run here; then hand the reading to the other thread, run it, and wait again.
fn read(readers: &Readers) {
    loop {
        readers.waiting.fetch_add(1, Ordering::AcqRel);
        let mut reading = readers.reading.lock().unwrap_or_else(|p| p.into_inner());
        readers.waiting.fetch_sub(1, Ordering::AcqRel);
        let job = loop {
            if reading.tx.is_none() {
                return; // ended
            }
            match reading.next(readers) {
                Next::Read => {}
                Next::Run(job) => break job,
                // dropping the sender ends the server's input
                Next::Stop => reading.tx = None,
            }
        };
        drop(reading);
        let _runtime = readers.shortcut.runtime.enter();
        guarded("an analysis", job);
    }
}

/// Start the threads that read client messages from stdin; they arrive on the returned
/// channel in order, bad ones already answered, edits applied by `shortcut` when it can.
/// Two threads take turns: the one that applies an edit runs its analysis while the
/// other reads on. They end at the end of stdin.
pub fn spawn_stdin(shortcut: Shortcut) -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel(64);
    let readers = Arc::new(Readers {
        reading: Mutex::new(Reading {
            framer: Framer::new(io::stdin()),
            handed: 0,
            tx: Some(tx),
        }),
        waiting: AtomicUsize::new(0),
        shortcut,
    });
    for n in 1..=2 {
        let readers = readers.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("stdin-{n}"))
            .spawn(move || read(&readers));
        if let Err(err) = spawned {
            warn!("cannot start a stdin thread: {err}");
        }
    }
    rx
}

/// Serve until `exit` or the end of the input; `taken` counts the messages taken up.
pub async fn serve(
    mut service: LspService<Backend>,
    socket: ClientSocket,
    mut incoming: mpsc::Receiver<Message>,
    taken: Arc<AtomicU64>,
) {
    let (mut to_client, mut responses) = socket.split();
    let backend = service.inner().clone();
    tokio::spawn(async move {
        while let Some(request) = to_client.next().await {
            send(&request);
        }
    });
    while let Some(message) = incoming.recv().await {
        let go_on = take(&mut service, &backend, &mut responses, message).await;
        taken.fetch_add(1, Ordering::Release);
        if !go_on {
            break;
        }
    }
}

/// Take up one message: a response goes to the request that awaits it, a request or
/// notification is handled up to its first wait (the rest runs as a task of its own).
/// False when the server is done (`exit`).
async fn take(
    service: &mut LspService<Backend>,
    backend: &Backend,
    responses: &mut (impl futures::Sink<Response> + Unpin),
    message: Message,
) -> bool {
    let request = match message {
        Message::Response(response) => return responses.send(response).await.is_ok(),
        Message::Request(request) => request,
    };
    if futures::future::poll_fn(|cx| service.poll_ready(cx))
        .await
        .is_err()
    {
        return false; // exited
    }
    let exit = request.method() == "exit";
    let Some(request) = direct(backend, request) else {
        return true;
    };
    let mut call = service.call(request);
    match (&mut call).now_or_never() {
        Some(Ok(Some(response))) => send(&response),
        Some(_) => {}
        None => {
            tokio::spawn(async move {
                if let Ok(Some(response)) = call.await {
                    send(&response);
                }
            });
        }
    }
    !exit
}

/// Hand `didOpen` and `didChange` to the backend directly, converted once (see the module
/// comment); other messages are given back for the service. Notifications with params
/// that do not fit are logged.
fn direct(backend: &Backend, request: Request) -> Option<Request> {
    if request.id().is_some() {
        return Some(request);
    }
    match request.method() {
        "textDocument/didOpen" | "textDocument/didChange" => {}
        _ => {
            log_bad_notification(&request);
            return Some(request);
        }
    }
    let (method, _, params) = request.into_parts();
    let params = params.unwrap_or(Value::Null);
    let uri = params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)
        .map(str::to_string);
    let result = if method == "textDocument/didOpen" {
        serde_json::from_value::<DidOpenTextDocumentParams>(params)
            .map(|p| backend.did_open(p).now_or_never())
    } else {
        serde_json::from_value::<DidChangeTextDocumentParams>(params)
            .map(|p| backend.did_change(p).now_or_never())
    };
    match result {
        Ok(Some(())) => {}
        Ok(None) => warn!("{method} did not finish at once"),
        Err(err) => {
            warn!("{method} with invalid params: {err}");
            if let Some(uri) = uri {
                backend.lost_change(&uri, &format!("{method} with invalid params: {err}"));
            }
        }
    }
    None
}

/// tower-lsp-server drops a notification whose params do not deserialize without a word;
/// say so for those this server acts on.
fn log_bad_notification(request: &Request) {
    fn fits<'a, T: Deserialize<'a>>(params: &'a Value) -> Result<(), serde_json::Error> {
        T::deserialize(params).map(|_| ())
    }
    let params = request.params().unwrap_or(&Value::Null);
    let fitting = match request.method() {
        "textDocument/didClose" => fits::<DidCloseTextDocumentParams>(params),
        "textDocument/didSave" => fits::<DidSaveTextDocumentParams>(params),
        "workspace/didChangeConfiguration" => fits::<DidChangeConfigurationParams>(params),
        "workspace/didChangeWatchedFiles" => fits::<DidChangeWatchedFilesParams>(params),
        _ => Ok(()),
    };
    if let Err(err) = fitting {
        warn!("{} with invalid params, dropped: {err}", request.method());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        assert!(parse(br#"{"jsonrpc":"2.0","method":"exit"}"#).is_ok());
        let mut bad_utf8 = br#"{"jsonrpc":"2.0","method":"x","params":{"t":"a"#.to_vec();
        bad_utf8.extend_from_slice(&[0xff, 0xfe]);
        bad_utf8.extend_from_slice(br#""}}"#);
        let Ok(Message::Request(request)) = parse(&bad_utf8) else {
            panic!("not a request");
        };
        assert!(
            request.params().unwrap()["t"]
                .as_str()
                .unwrap()
                .contains('\u{fffd}')
        );
        let (err, not_json) = parse(b"{not json").unwrap_err();
        assert!(not_json);
        assert_eq!(
            serde_json::to_value(&err).unwrap()["error"]["code"],
            serde_json::json!(-32700)
        );
        let (err, not_json) = parse(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#).unwrap_err();
        assert!(!not_json);
        let err = serde_json::to_value(&err).unwrap();
        assert_eq!(err["error"]["code"], serde_json::json!(-32600));
        assert_eq!(err["id"], serde_json::json!(7));
    }
}
