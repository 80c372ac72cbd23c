//! Fixture tests in the manner of texlab's: a workspace written as one string, with the
//! cursor and the expected ranges marked in the text, served in process by the very
//! `LspService` the binary serves over stdio (no pipes, so a case takes milliseconds).
//!
//! The fixture format:
//! - `%! PATH` starts a file (relative to a fresh workspace root; `.rst` files under it
//!   are opened in the server, others - `trove-spec-lsp.toml`, a template - are only
//!   written to disk);
//! - `$0` marks the cursor (removed from the text);
//! - a line holding only spaces and `^` marks the columns of the line above it as a
//!   range (the line is removed); [`Fixture::range`] returns the n-th one.
//!
//! Results are rendered as text (a document annotated with `^^^` under the ranges, a
//! list of completion items) for snapshot assertions with `expect-test`
//! (`UPDATE_EXPECT=1 cargo test --test lsp_fixtures` rewrites them).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::{Request, Response};
use trove_spec_lsp::server::{Backend, service};

use crate::support::{capabilities, file_uri, scratch_dir};

/// A parsed fixture, its files written under `root`.
pub struct Fixture {
    pub root: PathBuf,
    /// (path relative to `root`, text without markers)
    pub files: Vec<(String, String)>,
    /// (file index, line, column in characters)
    pub cursor: Option<(usize, u32, u32)>,
    /// (file index, line, start column, end column)
    pub ranges: Vec<(usize, u32, u32, u32)>,
}

impl Fixture {
    pub fn parse(name: &str, fixture: &str) -> Fixture {
        let root = scratch_dir(name);
        let mut files: Vec<(String, String)> = Vec::new();
        let (mut cursor, mut ranges) = (None, Vec::new());
        let mut line_no = 0u32;
        for line in fixture.lines() {
            if let Some(path) = line.strip_prefix("%! ") {
                files.push((path.trim().to_string(), String::new()));
                line_no = 0;
                continue;
            }
            let Some(file) = files.len().checked_sub(1) else {
                assert!(
                    line.trim().is_empty(),
                    "fixture text before a `%! PATH` line"
                );
                continue;
            };
            if !line.is_empty() && line.chars().all(|c| c == ' ' || c == '^') && line.contains('^')
            {
                let start = line.find('^').unwrap() as u32;
                let end = line.rfind('^').unwrap() as u32 + 1;
                ranges.push((file, line_no - 1, start, end));
                continue;
            }
            let mut line = line.to_string();
            if let Some(col) = line.find("$0") {
                cursor = Some((file, line_no, line[..col].chars().count() as u32));
                line.replace_range(col..col + 2, "");
            }
            let text = &mut files[file].1;
            text.push_str(&line);
            text.push('\n');
            line_no += 1;
        }
        for (path, text) in &files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Fixture {
            root,
            files,
            cursor,
            ranges,
        }
    }

    pub fn uri(&self, file: usize) -> String {
        file_uri(&self.root.join(&self.files[file].0))
    }

    /// The cursor as a `TextDocumentPositionParams`.
    pub fn position(&self) -> Value {
        let (file, line, character) = self.cursor.expect("the fixture marks a cursor with $0");
        json!({
            "textDocument": { "uri": self.uri(file) },
            "position": { "line": line, "character": character },
        })
    }

    /// The `n`-th `^^^` range as an LSP range.
    pub fn range(&self, n: usize) -> Value {
        let (_, line, start, end) = self.ranges[n];
        json!({
            "start": { "line": line, "character": start },
            "end": { "line": line, "character": end },
        })
    }
}

/// The server, in process, with a fixture's workspace open.
pub struct InProcess {
    runtime: tokio::runtime::Runtime,
    service: LspService<Backend>,
    next_id: i64,
    pub fixture: Fixture,
}

impl InProcess {
    /// Initialize (UTF-16 positions, pull diagnostics) in the fixture's root and open
    /// every `.rst` file of it.
    pub fn start(name: &str, fixture: &str) -> InProcess {
        let fixture = Fixture::parse(name, fixture);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (service, socket) = service(Arc::new(AtomicBool::new(false)));
        // answer what the server asks the client (null), drop its notifications
        runtime.spawn(async move {
            let (mut requests, mut responses) = socket.split();
            while let Some(request) = requests.next().await {
                if let Some(id) = request.id().cloned() {
                    let _ = responses.send(Response::from_ok(id, Value::Null)).await;
                }
            }
        });
        let mut server = InProcess {
            runtime,
            service,
            next_id: 0,
            fixture,
        };
        let mut caps = capabilities(&["utf-16"]);
        caps["textDocument"]["diagnostic"] = json!({});
        caps["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
        server.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(&server.fixture.root),
                "capabilities": caps,
            }),
        );
        server.notify("initialized", json!({}));
        for file in 0..server.fixture.files.len() {
            let (path, text) = &server.fixture.files[file];
            if path.ends_with(".rst") {
                let params = json!({ "textDocument": {
                    "uri": server.fixture.uri(file), "languageId": "rst", "version": 1,
                    "text": text,
                } });
                server.notify("textDocument/didOpen", params);
            }
        }
        server
    }

    fn call(&mut self, request: Request) -> Option<Response> {
        let service = &mut self.service;
        self.runtime.block_on(async {
            service
                .ready()
                .await
                .expect("service ready")
                .call(request)
                .await
                .expect("service alive")
        })
    }

    pub fn notify(&mut self, method: &'static str, params: Value) {
        let request = Request::build(method).params(params).finish();
        assert!(self.call(request).is_none(), "{method} is a notification");
    }

    /// The result of a request (panics on an error response).
    pub fn request(&mut self, method: &'static str, params: Value) -> Value {
        self.next_id += 1;
        let request = Request::build(method)
            .params(params)
            .id(self.next_id)
            .finish();
        let response = self.call(request).expect("a response");
        let (_, result) = response.into_parts();
        result.unwrap_or_else(|e| panic!("{method} failed: {e:?}"))
    }

    /// The text of the fixture's `file`.
    pub fn text(&self, file: usize) -> &str {
        &self.fixture.files[file].1
    }

    /// The diagnostics of `file` (pulled), annotated under the document's lines.
    pub fn diagnostics(&mut self, file: usize) -> String {
        let params = json!({ "textDocument": { "uri": self.fixture.uri(file) } });
        let report = self.request("textDocument/diagnostic", params);
        let marks: Vec<(Value, String)> = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let label = format!(
                    "{}: {}",
                    d["code"].as_str().unwrap(),
                    d["message"].as_str().unwrap()
                );
                (d["range"].clone(), label)
            })
            .collect();
        annotate(self.text(file), &marks)
    }
}

/// `text` with each range marked by `^^^ label` under its first line (a range running
/// past that line ends its carets at the line's end and says where it ends).
pub fn annotate(text: &str, marks: &[(Value, String)]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line.trim_end());
        out.push('\n');
        for (range, label) in marks {
            let (start, end) = (&range["start"], &range["end"]);
            if start["line"].as_u64() != Some(n as u64) {
                continue;
            }
            let from = start["character"].as_u64().unwrap() as usize;
            let same_line = end["line"] == start["line"];
            let to = if same_line {
                end["character"].as_u64().unwrap() as usize
            } else {
                line.encode_utf16().count()
            };
            let carets = "^".repeat(to.saturating_sub(from).max(1));
            let until = if same_line {
                String::new()
            } else {
                format!(" (to line {})", end["line"].as_u64().unwrap() + 1)
            };
            out.push_str(&format!("{}{carets} {label}{until}\n", " ".repeat(from)));
        }
    }
    out
}
