//! The byte streams between the client and tower-lsp-server.
//!
//! tower-lsp-server stops reading for good after one message its codec cannot decode (its
//! framed reader ends on the first error), so every incoming message is screened here
//! first: invalid UTF-8 is replaced with U+FFFD and the message re-framed; a body that is
//! not a JSON-RPC message is logged and answered with a JSON-RPC error, and never reaches
//! the server. Outgoing messages and those answers are written to stdout whole, one frame
//! at a time.

use std::io;

use serde::Deserialize;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
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
pub async fn read_frame<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Option<Frame>> {
    let mut content_length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await?;
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
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                content_length = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|e| format!("bad Content-Length {value:?}: {e}")),
                );
            }
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
    (&mut *reader)
        .take(length as u64)
        .read_to_end(&mut body)
        .await?;
    if body.len() < length {
        return Ok(Some(Frame::BadHeader(format!(
            "end of stream after {} of {length} body bytes",
            body.len()
        ))));
    }
    Ok(Some(Frame::Body(body)))
}

/// Write one framed message.
pub async fn write_frame<W: AsyncWrite + Unpin>(writer: &mut W, body: &[u8]) -> io::Result<()> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    writer.write_all(&frame).await?;
    writer.flush().await
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
        Ok(_) => Ok(text),
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

/// Serialize a response as a message body.
fn response_body(response: &Response) -> Vec<u8> {
    serde_json::to_vec(response).expect("a JSON-RPC response serializes")
}

/// Copy client messages from `input` to `server`, screening each; answers to bad messages
/// go to `replies`. Ends at the end of `input`.
pub async fn pump_input<R, W>(input: R, mut server: W, replies: mpsc::WeakUnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = tokio::io::BufReader::with_capacity(1 << 16, input);
    loop {
        let reply = match read_frame(&mut input).await {
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
                    if write_frame(&mut server, text.as_bytes()).await.is_err() {
                        break; // the server has stopped reading
                    }
                    continue;
                }
                Err(reply) => reply,
            },
        };
        match replies.upgrade() {
            Some(replies) => {
                let _ = replies.send(response_body(&reply));
            }
            None => break,
        }
    }
}

/// Forward the server's framed output to `frames`, one whole message at a time.
pub async fn pump_server_output<R: AsyncRead + Unpin>(
    output: R,
    frames: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut output = tokio::io::BufReader::with_capacity(1 << 16, output);
    while let Ok(Some(frame)) = read_frame(&mut output).await {
        match frame {
            Frame::Body(body) => {
                if frames.send(body).is_err() {
                    break;
                }
            }
            Frame::BadHeader(reason) => warn!("unexpected server output: {reason}"),
        }
    }
}

/// Write every message from `frames` to `out` until all senders are gone.
pub async fn pump_output<W: AsyncWrite + Unpin>(
    mut frames: mpsc::UnboundedReceiver<Vec<u8>>,
    mut out: W,
) {
    while let Some(body) = frames.recv().await {
        if let Err(err) = write_frame(&mut out, &body).await {
            warn!("writing stdout failed: {err}");
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(bytes: &[u8]) -> Vec<Frame> {
        let mut reader = tokio::io::BufReader::new(bytes);
        let mut out = Vec::new();
        while let Some(frame) = read_frame(&mut reader).await.unwrap() {
            out.push(frame);
        }
        out
    }

    #[tokio::test]
    async fn frames_bodies_and_skips_bad_headers() {
        let got = frames(
            b"Content-Length: 2\r\n\r\n{}X-Junk: 1\r\n\r\ncontent-length: 3\r\nContent-Type: x\r\n\r\nabc",
        )
        .await;
        assert!(matches!(&got[0], Frame::Body(b) if b == b"{}"));
        assert!(matches!(&got[1], Frame::BadHeader(_)));
        assert!(matches!(&got[2], Frame::Body(b) if b == b"abc"));
        assert_eq!(got.len(), 3);
    }

    #[tokio::test]
    async fn truncated_body_is_reported() {
        let got = frames(b"Content-Length: 10\r\n\r\nabc").await;
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
