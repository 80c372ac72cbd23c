//! Test harness: the real `trove-spec-lsp` binary over real stdio, spoken to with framed
//! JSON-RPC. Every wait has a timeout, so a hung server fails the test instead of hanging
//! it. Requests the server sends to the client are answered automatically (and recorded).

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The binary the tests and benchmarks run: `$TROVE_SPEC_LSP_BIN` when set (another
/// build of this commit, such as `scripts/pgo-build`'s), else the one cargo built.
pub fn bin() -> std::ffi::OsString {
    std::env::var_os("TROVE_SPEC_LSP_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_trove-spec-lsp").into())
}

/// The vendored corpus of real specs and their oracle files (`tests/corpus`): the one
/// place tests and benchmarks find it.
pub fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"))
}

/// The prefix of the directory each test process keeps its scratch directories in,
/// under the system temp dir (`trove-spec-lsp-test-<pid>`).
const SCRATCH_PREFIX: &str = "trove-spec-lsp-test-";

/// A fresh, empty directory for one test, in this test process's own directory under
/// the system temp dir. A test's files stay there to be looked at after it fails; the
/// first call in a process removes what test processes that have ended left (so the
/// temp dir holds one run's worth, not every run's).
pub fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(remove_ended_runs);
    let dir = std::env::temp_dir()
        .join(format!("{SCRATCH_PREFIX}{}", std::process::id()))
        .join(format!("{}-{name}", COUNTER.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes the scratch directories of test processes that are no longer running
/// (also those of the older layout, `trove-spec-lsp-test-<pid>-<n>-<name>`).
fn remove_ended_runs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = (name.to_str())
            .and_then(|n| n.strip_prefix(SCRATCH_PREFIX))
            .and_then(|rest| rest.split('-').next()?.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !running(pid)) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` is running (where that cannot be asked: yes).
fn running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let asked = unsafe { libc::kill(pid, 0) };
        asked == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Runs the real binary with `args` in `cwd` and waits for it (the CLI tests).
pub fn run(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// A finished command's standard output, as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A finished command's standard error, as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh directory for one test with an empty `specs/` in it.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    dir
}

/// The codes of published or pulled diagnostics, in order.
pub fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

/// The URI of `specs/<name>.rst` in a fresh scratch directory (checked as a spec with
/// the built-in template).
pub fn scratch_spec(name: &str) -> String {
    file_uri(&scratch_dir(name).join(format!("specs/{name}.rst")))
}

/// A `file://` URI for a path.
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// Client capabilities for a typical editor, with the given position encodings.
pub fn capabilities(encodings: &[&str]) -> Value {
    json!({
        "general": { "positionEncodings": encodings },
        "textDocument": {
            "synchronization": { "didSave": true },
            "completion": { "completionItem": {
                "snippetSupport": true,
                "documentationFormat": ["markdown", "plaintext"]
            } },
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            "publishDiagnostics": { "versionSupport": true },
            "codeAction": {}
        },
        "workspace": {
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "workspaceEdit": { "documentChanges": false }
        }
    })
}

/// A running server.
pub struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Incoming,
    /// Messages from the server not yet consumed by a wait.
    backlog: Vec<Value>,
    /// Requests the server sent us (method, params), in order.
    pub server_requests: Vec<(String, Value)>,
    /// What to answer `workspace/configuration` with.
    pub settings: Value,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
}

impl Server {
    pub fn spawn() -> Server {
        Server::spawn_with(&[])
    }

    /// Spawn with extra arguments (e.g. `--log-level debug`).
    pub fn spawn_with(args: &[&str]) -> Server {
        Server::spawn_env(args, &[])
    }

    /// Spawn with extra arguments and environment variables.
    pub fn spawn_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start(args, env, false)
    }

    fn start(args: &[&str], env: &[(&str, &str)], direct: bool) -> Server {
        let mut child = Command::new(bin())
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the server");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr_pipe = child.stderr.take().unwrap();
        let messages = match direct {
            true => Incoming::Direct(BufReader::new(stdout)),
            false => Incoming::thread(stdout),
        };
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Server {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            server_requests: Vec::new(),
            settings: Value::Null,
            stderr,
            next_id: 0,
        }
    }

    /// Spawn a server whose messages are read on the thread that waits for them, as an
    /// editor's event loop reads them (no thread of the harness's own to wake in
    /// between): for timing round trips. Its output must be read as it comes: a
    /// server whose pipe is full waits.
    pub fn spawn_direct() -> Server {
        Server::start(&[], &[], true)
    }

    /// Spawn and initialize with the given encodings; returns the server and the result.
    pub fn initialized(encodings: &[&str]) -> (Server, Value) {
        let mut server = Server::spawn();
        let result = server.initialize(capabilities(encodings), None, None);
        (server, result)
    }

    /// Spawn and initialize with the typical capabilities for `encodings`, adjusted by
    /// `adjust`.
    pub fn with_capabilities(encodings: &[&str], adjust: impl FnOnce(&mut Value)) -> Server {
        let mut server = Server::spawn();
        let mut caps = capabilities(encodings);
        adjust(&mut caps);
        server.initialize(caps, None, None);
        server
    }

    /// `initialize` + `initialized`; returns the `initialize` result.
    pub fn initialize(
        &mut self,
        capabilities: Value,
        root: Option<&Path>,
        options: Option<Value>,
    ) -> Value {
        let mut params = json!({ "processId": null, "capabilities": capabilities });
        if let Some(root) = root {
            params["rootUri"] = json!(file_uri(root));
            params["workspaceFolders"] = json!([{ "uri": file_uri(root), "name": "root" }]);
        }
        if let Some(options) = options {
            params["initializationOptions"] = options;
        }
        let result = self.request_ok("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Wait until the server's stderr contains `needle`.
    pub fn wait_stderr(&self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.stderr().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "stderr never said {needle:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Send `body` (any bytes) as one framed message.
    pub fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_raw(&frame);
    }

    pub fn send(&mut self, message: &Value) {
        self.send_body(&serde_json::to_vec(message).unwrap());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Send a request; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Send a request and wait for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Send a request and return its result, failing on an error response.
    pub fn request_ok(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The messages received but not consumed by a wait, and forget them.
    pub fn take_backlog(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.backlog)
    }

    /// Wait for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("response {id}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
    }

    /// Wait for a server message matching `pred` (answering server requests meanwhile).
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out waiting for {what}; stderr:\n{}", self.stderr())
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "server closed stdout while waiting for {what}; stderr:\n{}",
                    self.stderr()
                ),
            };
            self.answer_server_request(&message);
            if pred(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    fn answer_server_request(&mut self, message: &Value) {
        let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) else {
            return;
        };
        self.server_requests
            .push((method.to_string(), message["params"].clone()));
        let result = match method {
            "workspace/configuration" => json!([self.settings.clone()]),
            _ => Value::Null,
        };
        let reply = json!({ "jsonrpc": "2.0", "id": id, "result": result });
        self.send(&reply);
    }

    /// Wait for the diagnostics of `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Wait for the diagnostics of `uri` at `version` and check they are the engine's for
    /// `text`.
    pub fn expect_engine_diagnostics(
        &mut self,
        uri: &str,
        version: i64,
        text: &str,
        encoding: &str,
    ) {
        let published = self.diagnostics(uri, version);
        assert_eq!(
            published,
            engine_diagnostics(text, encoding),
            "{uri} v{version}:\n{text}"
        );
    }

    /// Take every diagnostics notification received so far, in order.
    pub fn take_diagnostics(&mut self) -> Vec<Value> {
        while let Some(message) = self.messages.try_recv() {
            self.answer_server_request(&message);
            self.backlog.push(message);
        }
        let (diags, rest) = std::mem::take(&mut self.backlog)
            .into_iter()
            .partition(|m| m["method"] == "textDocument/publishDiagnostics");
        self.backlog = rest;
        diags
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "restructuredtext", "version": version, "text": text
            } }),
        );
    }

    /// One incremental change replacing `range` ((line, character) pairs) with `text`.
    pub fn change(&mut self, uri: &str, version: i64, range: [(u32, u32); 2], text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": lsp_range(range), "text": text }]
            }),
        );
    }

    /// Replace the whole text.
    pub fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }]
            }),
        );
    }

    /// `shutdown` then `exit`; the exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        self.request_ok("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Wait for the process to end.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn lsp_range(range: [(u32, u32); 2]) -> Value {
    json!({
        "start": { "line": range[0].0, "character": range[0].1 },
        "end": { "line": range[1].0, "character": range[1].1 }
    })
}

/// Where a server's messages are read.
enum Incoming {
    /// By a thread of the harness's own, so that the server never waits on a full pipe.
    Thread(Receiver<Value>),
    /// On the thread that waits for them (see [`Server::spawn_direct`]).
    Direct(BufReader<ChildStdout>),
}

impl Incoming {
    fn thread(stdout: ChildStdout) -> Incoming {
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(body) = read_frame(&mut reader) {
                let value: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        Incoming::Thread(messages)
    }

    fn recv_timeout(&mut self, timeout: Duration) -> Result<Value, RecvTimeoutError> {
        match self {
            Incoming::Thread(messages) => messages.recv_timeout(timeout),
            Incoming::Direct(reader) => {
                if !readable(reader, timeout) {
                    return Err(RecvTimeoutError::Timeout);
                }
                let body = read_frame(reader).ok_or(RecvTimeoutError::Disconnected)?;
                Ok(serde_json::from_slice(&body).expect("server sent JSON"))
            }
        }
    }

    fn try_recv(&mut self) -> Option<Value> {
        match self {
            Incoming::Thread(messages) => messages.try_recv().ok(),
            Incoming::Direct(_) => self.recv_timeout(Duration::ZERO).ok(),
        }
    }
}

/// Whether `reader` has input within `timeout` (buffered, or on its pipe).
#[cfg(not(unix))]
fn readable(_: &BufReader<ChildStdout>, _: Duration) -> bool {
    true // no timeout: a read waits
}

/// Whether `reader` has input within `timeout` (buffered, or on its pipe).
#[cfg(unix)]
fn readable(reader: &BufReader<ChildStdout>, timeout: Duration) -> bool {
    use std::os::fd::AsRawFd;
    if !reader.buffer().is_empty() {
        return true;
    }
    let mut fd = libc::pollfd {
        fd: reader.get_ref().as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd, for the duration of the call
    unsafe { libc::poll(&mut fd, 1, ms) > 0 }
}

/// Read one framed message; `None` at the end of the stream.
pub fn read_frame(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = Some(value.trim().parse::<usize>().ok()?);
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

/// The byte offset of an LSP position in `text`, columns counted in `encoding`
/// ("utf-8" or "utf-16"); an independent oracle for the server's conversions.
pub fn offset(text: &str, line: u64, character: u64, encoding: &str) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut col = 0u64;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || col >= character {
            return start + i;
        }
        col += match encoding {
            "utf-8" => c.len_utf8() as u64,
            _ => c.len_utf16() as u64,
        };
    }
    text.len()
}

/// Apply LSP `TextEdit`s (all relative to the original text) to `text`.
pub fn apply_edits(text: &str, edits: &[Value], encoding: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| {
                offset(
                    text,
                    p["line"].as_u64().unwrap(),
                    p["character"].as_u64().unwrap(),
                    encoding,
                )
            };
            (
                at(&r["start"]),
                at(&r["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut pos = 0;
    for (start, end, new) in spans {
        assert!(start >= pos, "overlapping edits");
        out.push_str(&text[pos..start]);
        out.push_str(&new);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// What the engine itself reports for `text` (built-in template, default configuration),
/// as the LSP diagnostics JSON; the oracle for the server's published diagnostics.
pub fn engine_diagnostics(text: &str, encoding: &str) -> Vec<Value> {
    use trove_spec_lsp::text::{Encoding, LineIndex};
    use trove_spec_lsp::{Config, Mode, Template, analyze, proto};
    let enc = if encoding == "utf-8" {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let template = Template::builtin();
    let analysis = analyze(text, &template, &Config::default(), Mode::Spec);
    let index = LineIndex::new(text);
    analysis
        .findings
        .iter()
        .map(|f| serde_json::to_value(proto::diagnostic(text, &index, f, enc)).unwrap())
        .collect()
}

/// A short spec in the Trove template's style: a title, two sections (one with a
/// subsection), so most of the template is missing.
pub const SMALL_SPEC: &str = "\
=============
 Café 😀 spec
=============

Problem Description
===================

Text with é and 中文 here.

Proposed Change
===============

None

Alternatives
------------

None
";
