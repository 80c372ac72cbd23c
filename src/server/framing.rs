//! LSP's base protocol framing (`Content-Length: N\r\n\r\n` + N bytes), read so that no
//! input can stop the server: after anything that is not a well-formed frame the reader
//! resynchronises on the next `Content-Length:` header, and reports the bad stretch once.
//!
//! - Bytes between frames that are neither header lines nor blank lines are junk: one
//!   [`Frame::Bad`] per stretch.
//! - A `Content-Length` that is not a number, or larger than [`MAX_BODY`], is a bad frame;
//!   scanning goes on right after the header's name.
//! - A header block broken by a line that is not a header is a bad frame; scanning goes
//!   on from that line.
//! - A body is handed over as it is; when the caller finds it is not JSON it calls
//!   [`Framer::rescan`], which puts the body back so that a header inside it (a length
//!   that was too large, or a header written into the stream by mistake) is found. A
//!   body that ends early at the end of the stream is put back the same way.
//!
//! So junk between two valid frames costs at most the frame right after it (property
//! tested below).

use std::io::{self, Read};

/// The largest body accepted (documents are capped well below this).
pub const MAX_BODY: usize = 256 << 20;

/// The longest header line accepted.
const MAX_HEADER_LINE: usize = 8 * 1024;

const NAME: &[u8] = b"content-length";

/// What the next stretch of input turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body, as sent (possibly not UTF-8, possibly not JSON).
    Body(Vec<u8>),
    /// A stretch that is not a frame, with the reason.
    Bad(String),
}

/// Reads frames from a byte stream.
pub struct Framer<R> {
    reader: R,
    buf: Vec<u8>,
    /// What each read fills (zeroed once): only the bytes read are copied into `buf`,
    /// where growing it by a whole read's room zeroed 64 KiB per message.
    scratch: Box<[u8]>,
    /// Start of the unread part of `buf`.
    pos: usize,
    eof: bool,
    /// A body was put back: junk found in it is not reported again (its frame was).
    quiet: bool,
}

impl<R: Read> Framer<R> {
    pub fn new(reader: R) -> Framer<R> {
        Framer {
            reader,
            buf: Vec::new(),
            scratch: vec![0; 64 << 10].into_boxed_slice(),
            pos: 0,
            eof: false,
            quiet: false,
        }
    }

    /// `body`, the one last returned, is not a message: scan it again for a header.
    pub fn rescan(&mut self, body: &[u8]) {
        self.push_back(body);
        self.quiet = true;
    }

    /// Put `bytes` in front of the unread input.
    fn push_back(&mut self, bytes: &[u8]) {
        let rest = self.buf.split_off(self.pos);
        self.buf.clear();
        self.buf.extend_from_slice(bytes);
        self.buf.extend_from_slice(&rest);
        self.pos = 0;
    }

    /// Read more input; false at the end of the stream.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 && self.pos * 2 >= self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let n = loop {
            match self.reader.read(&mut self.scratch) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        }?;
        self.buf.extend_from_slice(&self.scratch[..n]);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// The next frame; `None` at the end of the stream.
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        // find the next header name, noting whether what is skipped is junk
        let quiet = std::mem::take(&mut self.quiet);
        let mut junk = false;
        let mut line_start = true;
        let mut header_line = false;
        // the last line that ended held a header: a blank line now ends a header block
        // without `Content-Length`
        let mut in_headers = false;
        loop {
            let unread = self.unread();
            let mut i = 0;
            let mut found = None;
            while i < unread.len() {
                if unread[i] == b'\n' && line_start && in_headers {
                    in_headers = false;
                    if !quiet {
                        // answered now: the client may wait for it before sending more;
                        // a body that follows is part of this bad frame
                        self.pos += i + 1;
                        self.quiet = true;
                        return Ok(Some(Frame::Bad(
                            "a message header without Content-Length".into(),
                        )));
                    }
                    // the end of a header block already answered
                }
                let rest = &unread[i..];
                if rest.len() < NAME.len()
                    && !self.eof
                    && rest.eq_ignore_ascii_case(&NAME[..rest.len()])
                {
                    break; // the name may continue in the next read
                }
                if unread[i..].len() >= NAME.len()
                    && unread[i..i + NAME.len()].eq_ignore_ascii_case(NAME)
                {
                    found = Some(i);
                    break;
                }
                let b = unread[i];
                match b {
                    b'\n' => {
                        if !line_start {
                            in_headers = header_line;
                        }
                        line_start = true;
                        header_line = false;
                    }
                    b'\r' | b' ' | b'\t' => {}
                    _ if line_start => {
                        line_start = false;
                        header_line = is_header_start(&unread[i..], self.eof);
                        junk |= !header_line;
                    }
                    _ => junk |= !header_line && !b.is_ascii_whitespace(),
                }
                i += 1;
            }
            self.pos += i;
            if found.is_some() {
                break;
            }
            if !self.fill()? && self.unread().is_empty() {
                return Ok(
                    (junk && !quiet).then(|| Frame::Bad("junk at the end of the stream".into()))
                );
            }
        }
        if junk && !quiet {
            return Ok(Some(Frame::Bad(
                "bytes that are not a message header".into(),
            )));
        }
        self.pos += NAME.len();
        // `: <digits>` to the end of the line
        let Some(line) = self.line()? else {
            return Ok(Some(Frame::Bad("end of stream inside a header".into())));
        };
        let value = match std::str::from_utf8(&line)
            .ok()
            .and_then(|l| l.trim_start().strip_prefix(':'))
            .map(str::trim)
        {
            Some(v) => v.to_string(),
            None => {
                self.push_back(&line);
                self.quiet = true;
                return Ok(Some(Frame::Bad("Content-Length without a value".into())));
            }
        };
        let length = match value.parse::<usize>() {
            Ok(n) if n <= MAX_BODY => n,
            Ok(n) => {
                self.quiet = true;
                return Ok(Some(Frame::Bad(format!(
                    "Content-Length {n} is over the limit of {MAX_BODY} bytes"
                ))));
            }
            Err(e) => {
                self.push_back(&line);
                self.quiet = true;
                return Ok(Some(Frame::Bad(format!(
                    "bad Content-Length {value:?}: {e}"
                ))));
            }
        };
        // other header lines, then a blank line
        loop {
            let Some(line) = self.line()? else {
                return Ok(Some(Frame::Bad("end of stream inside a header".into())));
            };
            let text = trim_line_end(&line);
            if text.is_empty() {
                break;
            }
            if !is_header_start(text, true) || !text.contains(&b':') {
                self.push_back(&line);
                self.quiet = true;
                return Ok(Some(Frame::Bad(
                    "a message header not followed by a blank line".into(),
                )));
            }
        }
        if self.unread().len() >= length {
            let body = self.buf[self.pos..self.pos + length].to_vec();
            self.pos += length;
            return Ok(Some(Frame::Body(body)));
        }
        // A body longer than what is buffered is read straight into its own vector, so
        // the buffer never grows to hold a large document (and keeps no such capacity
        // after it).
        let mut body = Vec::with_capacity(length);
        body.extend_from_slice(self.unread());
        self.pos = self.buf.len();
        let missing = (length - body.len()) as u64;
        let read = (&mut self.reader).take(missing).read_to_end(&mut body);
        if let Err(e) = read {
            self.push_back(&body);
            return Err(e);
        }
        if body.len() < length {
            // a length too large may have swallowed whole frames: what was read is
            // scanned again
            self.eof = true;
            self.push_back(&body);
            self.quiet = true;
            let got = body.len();
            return Ok(Some(Frame::Bad(format!(
                "end of stream after {got} of {length} body bytes"
            ))));
        }
        Ok(Some(Frame::Body(body)))
    }

    /// The rest of the current line, line break included (`None` at the end of the
    /// stream); a line longer than [`MAX_HEADER_LINE`] is cut there.
    fn line(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            let unread = self.unread();
            if let Some(end) = memchr::memchr(b'\n', unread) {
                let line = unread[..=end].to_vec();
                self.pos += end + 1;
                return Ok(Some(line));
            }
            if unread.len() >= MAX_HEADER_LINE {
                let line = unread[..MAX_HEADER_LINE].to_vec();
                self.pos += MAX_HEADER_LINE;
                return Ok(Some(line));
            }
            if !self.fill()? {
                let line = self.unread().to_vec();
                self.pos = self.buf.len();
                return Ok((!line.is_empty()).then_some(line));
            }
        }
    }
}

/// Whether a line starting with `bytes` can be a header line (`Name:`, name in token
/// characters); `complete` when `bytes` holds the whole line or more.
fn is_header_start(bytes: &[u8], complete: bool) -> bool {
    for &b in bytes {
        match b {
            b':' => return true,
            b'-' | b'_' | b'.' => {}
            _ if b.is_ascii_alphanumeric() => {}
            _ => return false,
        }
    }
    !complete
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every frame of `bytes`, with bodies that are not JSON objects rescanned as the
    /// server does.
    fn frames(bytes: &[u8]) -> Vec<Frame> {
        let mut framer = Framer::new(bytes);
        let mut out = Vec::new();
        while let Some(frame) = framer.next_frame().unwrap() {
            if let Frame::Body(body) = &frame
                && serde_json::from_slice::<serde_json::Value>(body).is_err()
            {
                framer.rescan(body);
            }
            out.push(frame);
            assert!(out.len() < 10_000, "no progress");
        }
        out
    }

    fn bodies(frames: &[Frame]) -> Vec<&[u8]> {
        frames
            .iter()
            .filter_map(|f| match f {
                Frame::Body(b) => Some(&b[..]),
                Frame::Bad(_) => None,
            })
            .collect()
    }

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn frames_bodies_and_skips_other_headers() {
        let got =
            frames(b"Content-Length: 2\r\n\r\n{}content-length: 3\r\nContent-Type: x\r\n\r\nabc");
        assert_eq!(bodies(&got), [&b"{}"[..], b"abc"]);
    }

    #[test]
    fn resynchronises_after_bad_headers() {
        let ok = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        for bad in [
            &b"Content-Length: -1\r\n\r\n{}"[..],
            b"Content-Length: abc\r\n\r\n",
            b"{\"no\":\"header\"}",
            b"X-Other: 1\r\n\r\n{}",
            b"Content-Length: 3\r\n\r\n{\"jsonrpc\"}",
            b"Content-Length: 99999999999999999999\r\n\r\n",
            b"Content-Length: 10\r\n{}\r\n",
        ] {
            let mut input = bad.to_vec();
            input.extend(framed(ok));
            input.extend(framed(ok));
            let got = frames(&input);
            let bodies = bodies(&got);
            let oks = bodies.iter().filter(|b| **b == ok.as_bytes()).count();
            assert_eq!(oks, 2, "after {:?}: {got:?}", String::from_utf8_lossy(bad));
            let answers = got.len() - oks;
            assert_eq!(answers, 1, "the bad frame is answered once: {got:?}");
        }
    }

    #[test]
    fn a_length_too_large_gives_back_what_it_swallowed() {
        let ok = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let mut input = b"Content-Length: 500\r\n\r\n".to_vec();
        input.extend(framed(ok));
        let got = frames(&input);
        assert_eq!(bodies(&got), [ok.as_bytes()]);
        assert!(matches!(got[0], Frame::Bad(_)));
    }

    #[test]
    fn a_body_too_short_is_reported_once() {
        let mut input = b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec();
        input.extend(framed("{}"));
        let got = frames(&input);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1], Frame::Body(b"{}".to_vec()));
    }

    #[test]
    fn junk_is_reported_once_per_stretch() {
        let mut input = b"garbage garbage\r\nmore garbage\n".to_vec();
        input.extend(framed("{}"));
        let got = frames(&input);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(matches!(got[0], Frame::Bad(_)));
    }

    /// Tricky pieces of junk: header fragments, numbers, line breaks, JSON fragments.
    fn junk() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"Content-Length:".to_vec()),
            Just(b"content-length: ".to_vec()),
            Just(b"Content-Type: x".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b" ".to_vec()),
            Just(b"{".to_vec()),
            Just(b"}".to_vec()),
            Just(b"-1".to_vec()),
            (0u32..200).prop_map(|n| n.to_string().into_bytes()),
            prop::collection::vec(any::<u8>(), 0..8),
        ];
        prop::collection::vec(piece, 1..8).prop_map(|p| p.concat())
    }

    fn message() -> impl Strategy<Value = String> {
        ("[a-zA-Z0-9 :\\-]{0,30}", 0u32..1000).prop_map(|(text, id)| {
            serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "m", "params": {"t": text}})
                .to_string()
        })
    }

    proptest! {
        /// Junk inserted between valid frames loses at most the frame right after it;
        /// every other message comes through whole and in order.
        #[test]
        fn junk_between_frames_loses_at_most_the_next_frame(
            messages in prop::collection::vec(message(), 1..6),
            junk in junk(),
            at in 0usize..6,
        ) {
            let at = at % (messages.len() + 1);
            let mut input = Vec::new();
            for (i, m) in messages.iter().enumerate() {
                if i == at {
                    input.extend_from_slice(&junk);
                }
                input.extend(framed(m));
            }
            if at == messages.len() {
                input.extend_from_slice(&junk);
            }
            let got = frames(&input);
            let got = bodies(&got);
            let mut expected: Vec<&[u8]> = messages.iter().map(|m| m.as_bytes()).collect();
            // the frame right after the junk may be lost
            let mut it = got.iter().filter(|b| expected.contains(b));
            let received: Vec<&[u8]> = it.by_ref().copied().collect();
            if received.len() < expected.len() {
                prop_assert_eq!(received.len() + 1, expected.len(), "lost more than one: {:?}", got);
                prop_assert!(at < messages.len());
                expected.remove(at);
            }
            prop_assert_eq!(received, expected);
        }
    }
}
