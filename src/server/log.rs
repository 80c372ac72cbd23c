//! The server's log on stderr, which never blocks the server: each line goes through a
//! bounded queue to a thread that writes it. When nobody reads stderr and the queue is
//! full, lines are dropped and counted (the next line written says how many). A warning
//! that would repeat for every request about the same document is logged once per
//! document ([`once`]).
//!
//! Hand-written rather than `tracing-appender`'s non-blocking writer, which does the same
//! but brings a date-time library and crossbeam for its rolling files, unused here.

use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Lines waiting to be written before further lines are dropped.
const QUEUE: usize = 1024;

/// Documents remembered by [`once`] before it starts afresh (so that a client sending
/// endless new URIs cannot grow it without bound).
const ONCE_LIMIT: usize = 4096;

static QUEUED: OnceLock<SyncSender<Vec<u8>>> = OnceLock::new();
static DROPPED: AtomicUsize = AtomicUsize::new(0);
static PENDING: AtomicUsize = AtomicUsize::new(0);

/// What `tracing_subscriber` writes log lines with: [`start`] it first.
#[derive(Clone, Copy)]
pub struct Stderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Stderr {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(Vec::new())
    }
}

/// One log event's bytes, queued when dropped.
pub struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let line = std::mem::take(&mut self.0);
        let Some(queue) = QUEUED.get() else {
            let _ = std::io::stderr().write_all(&line);
            return;
        };
        PENDING.fetch_add(1, Ordering::SeqCst);
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) = queue.try_send(line) {
            PENDING.fetch_sub(1, Ordering::SeqCst);
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Start the thread that writes queued lines to stderr (once; later calls do nothing).
pub fn start() {
    let (sender, receiver) = sync_channel(QUEUE);
    if QUEUED.set(sender).is_ok()
        && std::thread::Builder::new()
            .name("log".into())
            .spawn(move || write_lines(receiver))
            .is_err()
    {
        eprintln!("trove-spec-lsp: cannot start the log thread: the log is dropped");
    }
}

fn write_lines(receiver: Receiver<Vec<u8>>) {
    let mut stderr = std::io::stderr();
    for line in receiver {
        let dropped = DROPPED.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let _ = writeln!(
                stderr,
                "trove-spec-lsp: {dropped} log lines dropped (stderr was not read)"
            );
        }
        let _ = stderr.write_all(&line);
        PENDING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Wait up to `timeout` for queued lines to be written (at exit).
pub fn flush(timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while PENDING.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// True the first time `kind` is met for `document` (then log it), false after.
pub fn once(kind: &'static str, document: &str) -> bool {
    static SEEN: Mutex<Option<HashSet<(&'static str, String)>>> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    let seen = seen.get_or_insert_with(HashSet::new);
    if seen.len() >= ONCE_LIMIT {
        seen.clear();
    }
    seen.insert((kind, document.to_string()))
}

#[cfg(test)]
mod tests {
    use super::once;

    #[test]
    fn once_per_kind_and_document() {
        assert!(once("test-kind", "file:///a.rst"));
        assert!(!once("test-kind", "file:///a.rst"));
        assert!(once("test-kind", "file:///b.rst"));
        assert!(once("other-kind", "file:///a.rst"));
    }
}
