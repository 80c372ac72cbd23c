//! The protocol shell over real stdio: the handshake and its negotiated capabilities,
//! shutdown/exit, `--version`, and bad input that must not stop the server.

mod support;

use serde_json::{Value, json};
use support::{Server, bin, capabilities};

#[test]
fn initialize_negotiates_utf8_when_offered() {
    let (server, result) = Server::initialized(&["utf-16", "utf-8"]);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8");
    assert_eq!(
        caps["textDocumentSync"],
        json!({ "openClose": true, "change": 2, "save": { "includeText": true } })
    );
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source"])
    );
    assert!(caps["completionProvider"]["triggerCharacters"].is_array());
    // this client does not pull diagnostics: they are published
    assert!(caps.get("diagnosticProvider").is_none());
    assert_eq!(result["serverInfo"]["name"], "trove-spec-lsp");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn initialize_falls_back_to_utf16() {
    let (server, result) = Server::initialized(&["utf-32", "utf-16"]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(server.shutdown_and_exit().success());
    let (server, result) = Server::initialized(&[]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn pull_diagnostics_advertised_when_the_client_supports_them() {
    // without refreshSupport the server could not tell the client that findings went
    // stale (a template changed on disk): it publishes instead
    let mut server = Server::spawn();
    let mut caps = capabilities(&["utf-8"]);
    caps["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
    let result = server.initialize(caps.clone(), None, None);
    assert!(result["capabilities"].get("diagnosticProvider").is_none());
    assert!(server.shutdown_and_exit().success());
    let mut server = Server::spawn();
    caps["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
    let result = server.initialize(caps, None, None);
    assert_eq!(
        result["capabilities"]["diagnosticProvider"],
        json!({
            "identifier": "trove-spec-lsp",
            "interFileDependencies": false,
            "workspaceDiagnostics": false
        })
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn watched_files_registered_dynamically() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    server.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let (_, params) = server
        .server_requests
        .iter()
        .find(|(m, _)| m == "client/registerCapability")
        .unwrap()
        .clone();
    let registration = &params["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert!(globs.contains(&"**/trove-spec-lsp.toml"), "{globs:?}");
    assert!(server.shutdown_and_exit().success());
}

/// A template configured in the settings (which eglot and Neovim send only after
/// `initialized`) is watched too: the registration is replaced by one naming it.
#[test]
fn watched_files_registered_again_for_a_configured_template() {
    let root = support::scratch_dir("watch-template");
    let mut server = Server::spawn();
    server.initialize(support::capabilities(&["utf-8"]), Some(&root), None);
    let registrations = |server: &Server| -> Vec<Value> {
        server
            .server_requests
            .iter()
            .filter(|(m, _)| m == "client/registerCapability")
            .map(|(_, p)| p["registrations"][0]["registerOptions"]["watchers"].clone())
            .collect()
    };
    server.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "template": "specs/my-template.rst" } }),
    );
    server.wait_for("client/unregisterCapability", |m| {
        m["method"] == "client/unregisterCapability"
    });
    server.wait_for("a second registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = registrations(&server);
    assert_eq!(watchers.len(), 2, "{watchers:?}");
    let template = root.join("specs/my-template.rst");
    assert!(
        watchers[1]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["globPattern"] == template.to_str().unwrap()),
        "{watchers:?}"
    );
    // the same settings again: nothing to register
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "template": "specs/my-template.rst" } }),
    );
    server.request_ok("shutdown", Value::Null);
    assert_eq!(registrations(&server).len(), 2);
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit().code(), Some(1));
}

/// `--stdio` (which VS Code's client appends to the command) starts the server, alone,
/// after `serve`, or before it; with another command it is a usage error.
#[test]
fn stdio_flag_starts_the_server() {
    for args in [
        &["--stdio"][..],
        &["serve", "--stdio"],
        &["--stdio", "serve"],
    ] {
        let mut server = Server::spawn_with(args);
        let result = server.initialize(capabilities(&["utf-8"]), None, None);
        assert_eq!(result["serverInfo"]["name"], "trove-spec-lsp", "{args:?}");
        assert!(server.shutdown_and_exit().success(), "{args:?}");
    }
    for args in [
        &["--stdio", "check", "a.rst"][..],
        &["check", "--stdio", "a.rst"],
    ] {
        let out = std::process::Command::new(bin())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--stdio"), "{args:?}: {err}");
    }
}

#[test]
fn version_flag() {
    let out = std::process::Command::new(bin())
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("trove-spec-lsp {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn logs_go_to_stderr_at_the_requested_level() {
    let mut server = Server::spawn_with(&["--log-level", "debug"]);
    server.initialize(capabilities(&["utf-8"]), None, None);
    server.request_ok("shutdown", Value::Null);
    server.wait_stderr("initialized with");
}

#[test]
fn log_level_from_the_environment() {
    let mut server = Server::spawn_env(&[], &[("TROVE_SPEC_LSP_LOG", "info")]);
    server.initialize(capabilities(&["utf-8"]), None, None);
    server.request_ok("shutdown", Value::Null);
    server.wait_stderr("initialized with");
    // the default level (warn) is quiet in normal operation
    let mut quiet = Server::spawn();
    quiet.initialize(capabilities(&["utf-8"]), None, None);
    quiet.request_ok("shutdown", Value::Null);
    assert_eq!(quiet.stderr(), "");
}

/// After each bad message the server still answers a real request.
fn still_serving(server: &mut Server) {
    let result = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///never/opened.rst" } }),
    );
    assert_eq!(result, Value::Null);
}

#[test]
fn malformed_messages_get_errors_and_the_server_keeps_serving() {
    let (mut server, _) = Server::initialized(&["utf-8"]);

    // malformed JSON: a parse error with a null id
    server.send_body(b"{not json");
    let reply = server.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(reply["id"], Value::Null);
    still_serving(&mut server);

    // valid JSON that is not a JSON-RPC message
    server.send_body(br#"{"jsonrpc":"1.0","id":5,"method":"x"}"#);
    let reply = server.wait_for("invalid request", |m| m["error"]["code"] == -32600);
    assert_eq!(reply["id"], 5);
    still_serving(&mut server);

    // a header without Content-Length
    server.send_raw(b"X-Whatever: 1\r\n\r\n");
    server.wait_for("header error", |m| {
        m["error"]["code"] == -32700 && m["id"].is_null()
    });
    still_serving(&mut server);

    // an unknown method
    let reply = server.request("trove/unknown", json!({}));
    assert_eq!(reply["error"]["code"], -32601);
    // an unknown notification is ignored
    server.notify("trove/unknownNotification", json!({}));
    still_serving(&mut server);

    // wrong params: an error response for a request, silence for a notification
    let reply = server.request("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(reply["error"]["code"], -32602);
    server.notify("textDocument/didChange", json!({ "nonsense": true }));
    server.wait_stderr("textDocument/didChange with invalid params");
    still_serving(&mut server);

    // requests about documents never opened: a null result and a log line
    let uri = "file:///never/opened.rst";
    let position =
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } });
    assert_eq!(
        server.request_ok("textDocument/hover", position.clone()),
        Value::Null
    );
    assert_eq!(
        server.request_ok("textDocument/completion", position),
        Value::Null
    );
    server.change_full(uri, 3, "edited but never opened\n");
    server.wait_stderr("not open");

    assert!(server.shutdown_and_exit().success());
}

#[test]
fn invalid_utf8_on_the_wire_is_replaced_not_fatal() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let mut body = br#"{"jsonrpc":"2.0","id":99,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///x/"#.to_vec();
    body.extend_from_slice(&[0xff, 0xc3, 0x28]);
    body.extend_from_slice(br#".rst"}}}"#);
    server.send_body(&body);
    let reply = server.response(99);
    assert_eq!(reply["result"], Value::Null, "{reply}");
    still_serving(&mut server);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut server = Server::spawn();
    let reply = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///a.rst" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(reply["error"]["code"], -32002);
    server.initialize(capabilities(&["utf-8"]), None, None);
    assert!(server.shutdown_and_exit().success());
}

/// After any bad frame the server resynchronises on the next `Content-Length:` header,
/// answers the bad frame once, and serves every later message.
#[test]
fn bad_frames_are_answered_once_and_later_messages_served() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let bad: [&[u8]; 6] = [
        b"Content-Length: -1\r\n\r\n{}",
        b"Content-Length: abc\r\n\r\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"shutdown\"}",
        b"X-Whatever: 1\r\n\r\n{}",
        b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\"}",
        b"Content-Length: 10\r\n{}\r\n",
    ];
    let symbols = json!({ "textDocument": { "uri": "file:///never/opened.rst" } });
    for junk in bad {
        server.send_raw(junk);
        let mut ids = Vec::new();
        for _ in 0..20 {
            ids.push(server.send_request("textDocument/documentSymbol", symbols.clone()));
        }
        for id in ids {
            let reply = server.response(id);
            assert_eq!(reply["result"], Value::Null, "{reply}");
        }
        let errors = server
            .take_backlog()
            .into_iter()
            .filter(|m| m["error"]["code"] == -32700)
            .count();
        assert_eq!(errors, 1, "after {:?}", String::from_utf8_lossy(junk));
    }
    assert!(server.shutdown_and_exit().success());
}
