//! The server against a hostile or broken client: changes that cannot be applied,
//! versions that go back, slow documents beside fast requests, cancelled requests.
//! (Framing: `tests/lsp_protocol.rs`; the engine's growth: `tests/growth.rs`.)

mod support;

use serde_json::{Value, json};
use support::{Server, file_uri, scratch_dir};

/// A spec with findings (trailing whitespace), so that clearing them is visible.
const SPEC: &str = "Title\n=====\n\nSome text   \n";

fn cleared(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics"
        && m["params"]["uri"] == uri
        && m["params"]["diagnostics"] == json!([])
        && m["params"]["version"].is_null()
}

fn is_show_message(m: &Value) -> bool {
    m["method"] == "window/showMessage"
}

#[test]
fn a_change_that_cannot_be_read_puts_the_document_out_of_sync() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = "file:///robust/specs/a.rst";
    server.open(uri, 1, SPEC);
    assert!(!server.diagnostics(uri, 1).is_empty());

    // params that do not fit: the change is lost, so the document is out of sync
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": -1 },
                "end": { "line": 0, "character": 0 } }, "text": "x" }]
        }),
    );
    server.wait_for("cleared diagnostics", |m| cleared(m, uri));
    let told = server.wait_for("showMessage", is_show_message);
    let text = told["params"]["message"].as_str().unwrap();
    assert!(text.contains(uri) && text.contains("save"), "{text}");

    // a later valid edit is not applied to the wrong text, and nothing is published
    server.change(uri, 3, [(3, 0), (3, 0)], "More ");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": "nonsense" }),
    );
    let symbols = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(symbols, Value::Null, "no answers from a diverged text");
    assert!(
        server.take_diagnostics().is_empty(),
        "nothing published while out of sync"
    );
    assert_eq!(
        server
            .take_backlog()
            .iter()
            .filter(|m| is_show_message(m))
            .count(),
        0,
        "the user is told once"
    );

    // the full text brings it back
    let fixed = "Title\n=====\n\nSome text\n";
    server.change_full(uri, 5, fixed);
    server.expect_engine_diagnostics(uri, 5, fixed, "utf-16");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_version_that_goes_back_clears_the_diagnostics_until_the_full_text() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = "file:///robust/specs/b.rst";
    server.open(uri, 5, SPEC);
    assert!(!server.diagnostics(uri, 5).is_empty());
    server.change(uri, 5, [(0, 0), (0, 0)], "x");
    server.wait_for("cleared diagnostics", |m| cleared(m, uri));
    server.wait_for("showMessage", is_show_message);
    server.change_full(uri, 6, SPEC);
    server.expect_engine_diagnostics(uri, 6, SPEC, "utf-16");
    assert!(server.shutdown_and_exit().success());
}

/// A spec opened from `name` in a scratch directory, then put out of sync (a version
/// that does not increase; cleared, the user told): the server, the file and its URI.
fn out_of_sync_on_disk(name: &str) -> (Server, std::path::PathBuf, String) {
    let path = scratch_dir(name).join("specs").join("c.rst");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let uri = file_uri(&path);
    let (mut server, _) = Server::initialized(&["utf-16"]);
    server.open(&uri, 1, SPEC);
    server.diagnostics(&uri, 1);
    server.change(&uri, 1, [(0, 0), (0, 0)], "x");
    server.wait_for("cleared diagnostics", |m| cleared(m, &uri));
    server.wait_for("showMessage", is_show_message);
    (server, path, uri)
}

#[test]
fn saving_an_out_of_sync_document_reads_it_back() {
    let (mut server, path, uri) = out_of_sync_on_disk("robust-save");
    // the editor saves its text after the change: the file holds it
    let saved = "Title\n=====\n\nSaved text   \n";
    std::fs::write(&path, saved).unwrap();
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.expect_engine_diagnostics(&uri, 1, saved, "utf-16");
    assert!(server.shutdown_and_exit().success());
}

/// Write `text` to `path` and date the file an hour back: older than any change the
/// server has seen.
fn write_an_hour_ago(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
}

/// A save with its text (the server asks for it: `includeText`) brings an out-of-sync
/// document back with exactly that text, whatever the file holds: here a file older
/// than the last change, which a save without text would not take.
#[test]
fn saving_an_out_of_sync_document_with_its_text_takes_that_text() {
    let (mut server, path, uri) = out_of_sync_on_disk("robust-save-text");
    write_an_hour_ago(&path, SPEC);
    let saved = "Title\n=====\n\nSaved text   \n";
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri }, "text": saved }),
    );
    server.expect_engine_diagnostics(&uri, 1, saved, "utf-16");
    // edits apply to the saved text from now on
    server.change(&uri, 2, [(3, 10), (3, 13)], "");
    server.expect_engine_diagnostics(&uri, 2, "Title\n=====\n\nSaved text\n", "utf-16");
    assert_eq!(shown_messages(&mut server), Vec::<String>::new());
    assert!(server.shutdown_and_exit().success());
}

/// An in-sync document whose text differs from the saved text had diverged without the
/// server noticing: it takes the saved text (diagnostics published again for the same
/// version) and the log says so once per document; the user is not interrupted. A save
/// of the same text changes nothing.
#[test]
fn a_save_whose_text_differs_resyncs_a_document_that_diverged_unnoticed() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = "file:///robust/specs/diverged.rst";
    server.open(uri, 1, SPEC);
    server.expect_engine_diagnostics(uri, 1, SPEC, "utf-16");
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri }, "text": SPEC }),
    );
    for diverged in [
        "Title\n=====\n\nThird text  \n",
        "Title\n=====\n\nOther text\n",
    ] {
        server.notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": uri }, "text": diverged }),
        );
        server.expect_engine_diagnostics(uri, 1, diverged, "utf-16");
    }
    server.change(uri, 2, [(3, 0), (3, 5)], "New");
    server.expect_engine_diagnostics(uri, 2, "Title\n=====\n\nNew text\n", "utf-16");
    assert_eq!(shown_messages(&mut server), Vec::<String>::new());
    // the log is written by its own thread: wait for it
    server.wait_stderr("differed from the saved text");
    let log = server.stderr();
    assert_eq!(
        log.matches("differed from the saved text").count(),
        1,
        "logged once: {log}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// A save whose file is older than the editor's last change does not hold that change:
/// the document stays cleared and the user is told, once, to close and reopen it.
#[test]
fn a_saved_file_older_than_the_last_change_is_not_taken() {
    let (mut server, path, uri) = out_of_sync_on_disk("robust-save-stale");
    write_an_hour_ago(&path, SPEC);
    let save = json!({ "textDocument": { "uri": uri } });
    server.notify("textDocument/didSave", save.clone());
    let told = server.wait_for("showMessage", is_show_message);
    let text = told["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("written before the editor's last change")
            && text.contains("close and reopen"),
        "{text}"
    );
    server.notify("textDocument/didSave", save.clone());
    let symbols = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(symbols, Value::Null, "still out of sync");
    assert!(server.take_diagnostics().is_empty(), "nothing published");
    assert_eq!(
        shown_messages(&mut server),
        Vec::<String>::new(),
        "told once"
    );
    // a file written now (a save after the change) is taken
    let saved = "Title\n=====\n\nSaved again   \n";
    std::fs::write(&path, saved).unwrap();
    server.notify("textDocument/didSave", save);
    server.expect_engine_diagnostics(&uri, 1, saved, "utf-16");
    assert!(server.shutdown_and_exit().success());
}

/// `max-file-size` in the LSP settings limits the template read, and the message names
/// the limit and where it was set.
#[test]
fn the_file_size_limit_of_the_settings_is_named() {
    let root = scratch_dir("max-file-size-settings");
    let template = root.join("big-template.rst");
    std::fs::write(&template, include_str!("../assets/spec-template.rst")).unwrap();
    let mut server = Server::spawn();
    server.initialize(
        support::capabilities(&["utf-16"]),
        Some(&root),
        Some(json!({ "template": "big-template.rst", "max-file-size": 100 })),
    );
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, SPEC);
    server.diagnostics(&uri, 1);
    let size = std::fs::metadata(&template).unwrap().len();
    assert_eq!(
        shown_messages(&mut server),
        [format!(
            "template {} (set in settings): {size} bytes, over the limit of 100 bytes (max-file-size, set in settings); using the built-in template",
            template.display()
        )]
    );
    assert!(server.shutdown_and_exit().success());
}

/// Many wide headings: an analysis that takes a while (in a debug build, seconds).
fn slow_spec() -> String {
    (0..30_000)
        .map(|i| format!("標題標題{i}\n========\n\n"))
        .collect()
}

#[test]
fn a_slow_analysis_does_not_hold_up_other_documents_and_can_be_cancelled() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let (slow, fast) = (
        "file:///robust/specs/slow.rst",
        "file:///robust/specs/fast.rst",
    );
    server.open(fast, 1, SPEC);
    server.diagnostics(fast, 1);
    server.open(slow, 1, &slow_spec());
    // a request waiting for the slow analysis, then cancelled
    let waiting = server.send_request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": slow } }),
    );
    server.notify("$/cancelRequest", json!({ "id": waiting }));
    let reply = server.response(waiting);
    assert_eq!(reply["error"]["code"], -32800, "{reply}");
    // a request about the fast document is answered while the slow one is analysed
    let hover = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": fast } }),
    );
    assert!(hover.is_array());
    let published: Vec<Value> = server.take_diagnostics();
    assert!(
        !published.iter().any(|m| m["params"]["uri"] == slow),
        "the slow document was analysed first: the test shows nothing"
    );
    assert!(!server.diagnostics(slow, 1).is_empty());
    assert!(server.shutdown_and_exit().success());
}

/// A document that is no local file (`untitled:`, `https:`) gets the defaults and the
/// built-in template, never the configuration or template of a local path its URI
/// resembles: here `https://host/<root>/specs/a.rst` beside a `<root>` whose
/// configuration makes trailing whitespace a hint and names a template.
#[test]
fn non_file_uris_get_the_defaults_not_local_files() {
    let root = scratch_dir("non-file-uris");
    std::fs::write(
        root.join("trove-spec-lsp.toml"),
        "template = \"tpl.rst\"\n[severity]\ntrailing-whitespace = \"hint\"\n",
    )
    .unwrap();
    std::fs::write(root.join("tpl.rst"), "Title\n=====\n\nOnly\n----\n").unwrap();
    let mut server = Server::spawn();
    server.initialize(support::capabilities(&["utf-16"]), Some(&root), None);
    let local = file_uri(&root.join("specs/a.rst"));
    server.open(&local, 1, SPEC);
    let diags = server.diagnostics(&local, 1);
    let ws = diags.iter().find(|d| d["code"] == "trailing-whitespace");
    assert_eq!(ws.unwrap()["severity"], 4, "the local file's configuration");

    let remote = format!("https://example.com{}", local.trim_start_matches("file://"));
    server.open(&remote, 1, SPEC);
    let diags = server.diagnostics(&remote, 1);
    let ws = diags.iter().find(|d| d["code"] == "trailing-whitespace");
    assert_eq!(ws.unwrap()["severity"], 1, "the default severity");
    let missing: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == "missing-section")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        missing.iter().any(|m| m.contains("Problem Description")),
        "the built-in template: {missing:?}"
    );
    assert!(!missing.iter().any(|m| m.contains("Only")), "{missing:?}");

    // an untitled document is no spec (no path): plain reStructuredText, nothing local
    server.open("untitled:Untitled-1", 1, SPEC);
    let diags = server.diagnostics("untitled:Untitled-1", 1);
    assert!(diags.iter().all(|d| d["severity"] != 4), "{diags:?}");
    assert!(server.shutdown_and_exit().success());
}

fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).unwrap();
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    frame
}

/// A client that never reads the server's stderr: after 3,000 warnings (far more than
/// a pipe holds) the server still answers.
#[test]
fn an_unread_stderr_does_not_stop_the_server() {
    use std::io::{BufReader, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(support::bin())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _unread = child.stderr.take();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (sender, answers) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Some(body) = support::read_frame(&mut stdout) {
            let _ = sender.send(serde_json::from_slice::<Value>(&body).unwrap());
        }
    });
    let mut input = frame(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "capabilities": {} } }));
    for i in 0..3_000 {
        // a change to a document that is not open: one warning each
        input.extend(frame(
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": { "textDocument": { "uri": format!("file:///never/opened/{i}.rst"),
                "version": 2 },
            "contentChanges": [{ "range": support::lsp_range([(0, 0), (0, 0)]),
                "text": "x" }] } }),
        ));
    }
    input.extend(frame(
        &json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
    ));
    stdin.write_all(&input).unwrap();
    stdin.flush().unwrap();
    let deadline = std::time::Instant::now() + support::TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let m = answers
            .recv_timeout(left)
            .expect("the server stopped answering");
        if m["id"] == 2 {
            break;
        }
    }
    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "method": "exit" })))
        .unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// Requests about a document that is not open warn once, not once per request.
#[test]
fn a_repeated_warning_is_logged_once_per_document() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let hover = |uri: &str| json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } });
    for _ in 0..20 {
        server.request("textDocument/hover", hover("file:///closed/specs/a.rst"));
    }
    server.request("textDocument/hover", hover("file:///closed/specs/b.rst"));
    server.wait_stderr("specs/b.rst is not open");
    let log = server.stderr();
    assert_eq!(log.matches("specs/a.rst is not open").count(), 1, "{log}");
    assert!(server.shutdown_and_exit().success());
}

/// The `window/showMessage` texts received so far (after a round trip, so that every
/// message sent before it has arrived).
fn shown_messages(server: &mut Server) -> Vec<String> {
    server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///x.rst" },
        "position": { "line": 0, "character": 0 } }),
    );
    server
        .take_backlog()
        .iter()
        .filter(|m| is_show_message(m))
        .map(|m| m["params"]["message"].as_str().unwrap().to_string())
        .collect()
}

/// A bad setting names its key; a bad configuration file is shown once, however many
/// documents it applies to.
#[test]
fn configuration_mistakes_are_named_and_shown_once() {
    let root = scratch_dir("config-messages");
    std::fs::write(root.join("trove-spec-lsp.toml"), "optional = [\n").unwrap();
    let mut server = Server::spawn();
    server.initialize(
        support::capabilities(&["utf-16"]),
        Some(&root),
        Some(json!({ "optional": "History" })),
    );
    for name in ["specs/a.rst", "specs/pike/b.rst", "doc/c.rst"] {
        let uri = file_uri(&root.join(name));
        server.open(&uri, 1, SPEC);
        server.diagnostics(&uri, 1);
    }
    let shown = shown_messages(&mut server);
    let settings: Vec<_> = shown.iter().filter(|m| m.starts_with("settings")).collect();
    assert_eq!(
        settings,
        ["settings.optional: invalid type: string \"History\", expected a list"],
        "{shown:?}"
    );
    let toml: Vec<_> = shown
        .iter()
        .filter(|m| m.contains("trove-spec-lsp.toml"))
        .collect();
    assert_eq!(toml.len(), 1, "{shown:?}");
    assert!(server.shutdown_and_exit().success());
}

/// `/dev/zero` as the template in `initializationOptions`: one message, the built-in
/// template instead, and the server keeps answering.
#[test]
fn a_device_as_template_is_shown_and_the_server_keeps_answering() {
    let root = scratch_dir("dev-zero-template");
    let mut server = Server::spawn();
    server.initialize(
        support::capabilities(&["utf-16"]),
        Some(&root),
        Some(json!({ "template": "/dev/zero" })),
    );
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, SPEC);
    let diags = server.diagnostics(&uri, 1);
    assert!(
        support::codes(&diags).contains(&"missing-section"),
        "checked against the built-in template: {diags:?}"
    );
    let shown = shown_messages(&mut server);
    assert_eq!(
        shown,
        [
            "template /dev/zero (set in settings): not a regular file (a device); using the built-in template"
        ]
    );
    let symbols = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(symbols.is_array(), "{symbols}");
    assert!(server.shutdown_and_exit().success());
}

/// A field of `/proc/PID/status` (`VmRSS`, `VmHWM`), in KiB.
#[cfg(target_os = "linux")]
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in {status}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A large document's memory comes back after `didClose`: the resident size returns
/// near where it was before the document was opened (a generous bound: within a quarter
/// of what the document took, or 4 MiB).
#[cfg(target_os = "linux")]
#[test]
fn memory_comes_back_after_a_large_document_is_closed() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let pid = server.pid();
    // a small document first, so that what any first analysis keeps for good (the
    // blocking pool's threads) is there before the measure starts
    let small = "file:///memory/specs/small.rst";
    server.open(small, 1, SPEC);
    server.diagnostics(small, 1);
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": small } }),
    );
    server.wait_for("cleared diagnostics", |m| cleared(m, small));
    let before = status_kib(pid, "VmRSS");

    let uri = "file:///memory/specs/ws.rst";
    server.open(uri, 1, &"abc   \n".repeat(300_000));
    assert!(server.diagnostics(uri, 1).len() > 1_000);
    let open = status_kib(pid, "VmRSS");
    let grown = open.saturating_sub(before);
    assert!(grown > 8 << 10, "the document took only {grown} KiB");
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.wait_for("cleared diagnostics", |m| cleared(m, uri));
    let bound = before + (grown / 4).max(4 << 10);
    let started = std::time::Instant::now();
    let mut after = status_kib(pid, "VmRSS");
    while after > bound && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        after = status_kib(pid, "VmRSS");
    }
    eprintln!("VmRSS {before} KiB, with the document open {open} KiB, after close {after} KiB");
    assert!(
        after <= bound,
        "VmRSS {before} KiB before, {open} KiB open, {after} KiB after close"
    );
    assert!(server.shutdown_and_exit().success());
}

/// An editor closing many documents at once: the memory each close gives back is given
/// back one round at a time, not a round of threads per close (each round takes 8
/// threads of the blocking pool; 100 rounds at once started hundreds of threads).
#[cfg(target_os = "linux")]
#[test]
fn a_burst_of_closes_starts_few_threads() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let pid = server.pid();
    let threads = || {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .count()
    };
    let uris: Vec<String> = (0..100)
        .map(|i| format!("file:///burst/specs/s{i}.rst"))
        .collect();
    for uri in &uris {
        server.open(uri, 1, SPEC);
        server.diagnostics(uri, 1);
    }
    let before = threads();
    for uri in &uris {
        server.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    let last = uris.last().unwrap();
    server.wait_for("cleared diagnostics", |m| cleared(m, last));
    let mut most = threads();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(1_500) {
        std::thread::sleep(std::time::Duration::from_millis(10));
        most = most.max(threads());
    }
    eprintln!("threads: {before} with the documents open, at most {most} after the closes");
    assert!(
        most <= before + 12,
        "{before} threads before the closes, {most} after"
    );
    assert!(server.shutdown_and_exit().success());
}

/// A burst of edits, each with a request that needs the analysis, on a document whose
/// analysis takes a while: the runs are bounded (one per core, at least two) and a run
/// whose text changed before its turn is skipped, so far fewer runs than versions; and
/// every request is answered (with the current text's analysis).
#[test]
fn a_burst_of_edits_and_requests_runs_few_analyses() {
    let mut server = Server::spawn_with(&["--log-level", "debug"]);
    server.initialize(support::capabilities(&["utf-16"]), None, None);
    let uri = "file:///robust/specs/burst.rst";
    let spec: String = (0..3_000)
        .map(|i| format!("標題標題{i}\n========\n\n"))
        .collect();
    server.open(uri, 1, &spec);
    server.diagnostics(uri, 1);
    let versions = 12;
    let ids: Vec<i64> = (2..2 + versions)
        .map(|version| {
            server.change(uri, version, [(0, 0), (0, 0)], "x");
            server.send_request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            )
        })
        .collect();
    for id in ids {
        let reply = server.response(id);
        assert!(reply["result"].is_array(), "{reply}");
    }
    server.diagnostics(uri, 1 + versions);
    let runs = server
        .stderr()
        .matches("analysis of file:///robust/specs/burst.rst")
        .count();
    // one for the open, one for the last version, and those that got a turn at once
    assert!(
        runs <= 6,
        "{runs} analyses for {} versions:\n{}",
        versions + 1,
        server.stderr()
    );
    assert!(server.shutdown_and_exit().success());
}
