//! The byte streams between the client and tower-lsp-server.
//!
//! tower-lsp-server stops reading for good after one message its codec cannot decode (its
//! framed reader ends on the first error), so every incoming message is screened here
//! first: invalid UTF-8 is replaced with U+FFFD and the message re-framed; a body that is
//! not a JSON-RPC message is logged and answered with a JSON-RPC error, and never reaches
//! the server; a notification the server acts on with params that do not fit is logged
//! (tower-lsp-server drops it silently).
//!
//! A plain thread reads stdin (blocking) and hands each screened message to the runtime's
//! thread, which writes the server's output to stdout itself; both write whole frames
//! under stdout's lock, so answers to bad messages interleave only at frame boundaries.
//! One thread hand-over per message keeps the round trip short.

use std::io::{self, BufRead, Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::io::{AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::runtime::Handle;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
};
use tracing::warn;

/// The longest header line accepted before the stream is treated as garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// What one framed message on a stream turned out to be.
#[derive(Debug)]
pub enum Frame {
    /// A body, as sent (possibly not UTF-8, possibly not JSON).
    Body(Vec<u8>),
    /// A header block without a usable `Content-Length`; the block was consumed.
    BadHeader(String),
}

/// Read the next framed message; `None` at the end of the stream.
pub fn read_frame<R: BufRead>(reader: &mut R) -> io::Result<Option<Frame>> {
    let mut content_length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(if saw_header {
                Some(Frame::BadHeader("end of stream inside a header".into()))
            } else {
                None
            });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                continue; // stray blank line between messages
            }
            break;
        }
        saw_header = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|e| format!("bad Content-Length {value:?}: {e}")),
            );
        }
    }
    let length = match content_length {
        Some(Ok(length)) => length,
        Some(Err(reason)) => return Ok(Some(Frame::BadHeader(reason))),
        None => return Ok(Some(Frame::BadHeader("no Content-Length header".into()))),
    };
    // `take` + `read_to_end` grows the buffer as bytes arrive, so an absurd length cannot
    // allocate up front.
    let mut body = Vec::new();
    (&mut *reader).take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(Some(Frame::BadHeader(format!(
            "end of stream after {} of {length} body bytes",
            body.len()
        ))));
    }
    Ok(Some(Frame::Body(body)))
}

/// One framed message.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// The shape tower-lsp-server's codec accepts (its own `Message` is private).
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only deserialized, to test the shape
enum Incoming {
    Response(Response),
    Request(Request),
}

/// Check one incoming body: the text to hand to the server, or the error response to send
/// back instead.
pub fn screen(body: Vec<u8>) -> Result<String, Response> {
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(err) => {
            warn!("message contains invalid UTF-8; replaced with U+FFFD: {err}");
            String::from_utf8_lossy(err.as_bytes()).into_owned()
        }
    };
    match serde_json::from_str::<Incoming>(&text) {
        Ok(Incoming::Request(request)) => {
            log_bad_notification(&request);
            Ok(text)
        }
        Ok(Incoming::Response(_)) => Ok(text),
        Err(err) if err.is_data() => {
            warn!("not a JSON-RPC message, ignored: {err}");
            let id = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| serde_json::from_value::<Id>(v.get("id")?.clone()).ok())
                .unwrap_or(Id::Null);
            Err(Response::from_error(id, Error::invalid_request()))
        }
        Err(err) => {
            warn!("malformed JSON, ignored: {err}");
            Err(Response::from_error(Id::Null, Error::parse_error()))
        }
    }
}

/// tower-lsp-server drops a notification whose params do not deserialize without a word;
/// say so for those this server acts on (a lost `didChange` leaves a document behind).
fn log_bad_notification(request: &Request) {
    fn fits<T: DeserializeOwned>(params: &Value) -> Result<(), serde_json::Error> {
        T::deserialize(params).map(|_| ())
    }
    if request.id().is_some() {
        return;
    }
    let params = request.params().unwrap_or(&Value::Null);
    let fitting = match request.method() {
        "textDocument/didOpen" => fits::<DidOpenTextDocumentParams>(params),
        "textDocument/didChange" => fits::<DidChangeTextDocumentParams>(params),
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

/// A response as a framed message.
fn response_frame(response: &Response) -> Vec<u8> {
    frame(&serde_json::to_vec(response).expect("a JSON-RPC response serializes"))
}

/// Write whole frames to stdout, under its lock so that frames from the server and the
/// stdin thread's answers never interleave.
fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Start the thread that copies client messages from stdin to `server`, screening each;
/// bad messages are answered on stdout directly. It ends at the end of stdin.
pub fn spawn_stdin(runtime: Handle, mut server: DuplexStream) {
    let spawned = std::thread::Builder::new()
        .name("stdin".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = io::BufReader::with_capacity(1 << 16, stdin.lock());
            loop {
                let reply = match read_frame(&mut input) {
                    Ok(None) => break,
                    Err(err) => {
                        warn!("reading stdin failed: {err}");
                        break;
                    }
                    Ok(Some(Frame::BadHeader(reason))) => {
                        warn!("bad message header, skipped: {reason}");
                        Response::from_error(Id::Null, Error::parse_error())
                    }
                    Ok(Some(Frame::Body(body))) => match screen(body) {
                        Ok(text) => {
                            let framed = frame(text.as_bytes());
                            if runtime.block_on(server.write_all(&framed)).is_err() {
                                break; // the server has stopped reading
                            }
                            continue;
                        }
                        Err(reply) => reply,
                    },
                };
                if let Err(err) = write_stdout(&response_frame(&reply)) {
                    warn!("writing stdout failed: {err}");
                    break;
                }
            }
            // dropping `server` ends the server's input
        });
    if let Err(err) = spawned {
        warn!("cannot start the stdin thread: {err}");
    }
}

/// The server's output end: each buffer tower-lsp-server's framed writer hands over
/// (whole frames) goes to stdout at once, from the runtime's thread: no hand-over.
pub struct ToStdout;

impl AsyncWrite for ToStdout {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(write_stdout(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(bytes: &[u8]) -> Vec<Frame> {
        let mut reader = io::BufReader::new(bytes);
        let mut out = Vec::new();
        while let Some(frame) = read_frame(&mut reader).unwrap() {
            out.push(frame);
        }
        out
    }

    #[test]
    fn frames_bodies_and_skips_bad_headers() {
        let got = frames(
            b"Content-Length: 2\r\n\r\n{}X-Junk: 1\r\n\r\ncontent-length: 3\r\nContent-Type: x\r\n\r\nabc",
        );
        assert!(matches!(&got[0], Frame::Body(b) if b == b"{}"));
        assert!(matches!(&got[1], Frame::BadHeader(_)));
        assert!(matches!(&got[2], Frame::Body(b) if b == b"abc"));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn truncated_body_is_reported() {
        let got = frames(b"Content-Length: 10\r\n\r\nabc");
        assert!(matches!(&got[..], [Frame::BadHeader(_)]));
    }

    #[test]
    fn screening() {
        let ok = br#"{"jsonrpc":"2.0","method":"exit"}"#.to_vec();
        assert!(screen(ok).is_ok());
        let mut bad_utf8 = br#"{"jsonrpc":"2.0","method":"x","params":{"t":"a"#.to_vec();
        bad_utf8.extend_from_slice(&[0xff, 0xfe]);
        bad_utf8.extend_from_slice(br#""}}"#);
        assert!(screen(bad_utf8).unwrap().contains('\u{fffd}'));
        let err = screen(b"{not json".to_vec()).unwrap_err();
        assert_eq!(
            serde_json::to_value(&err).unwrap()["error"]["code"],
            serde_json::json!(-32700)
        );
        let err = screen(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#.to_vec()).unwrap_err();
        let err = serde_json::to_value(&err).unwrap();
        assert_eq!(err["error"]["code"], serde_json::json!(-32600));
        assert_eq!(err["id"], serde_json::json!(7));
    }
}
