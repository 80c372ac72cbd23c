//! Configuration over real stdio: `trove-spec-lsp.toml` at the workspace root, overridden
//! by `initializationOptions` and `workspace/didChangeConfiguration`; the config file and
//! templates reloaded on `workspace/didChangeWatchedFiles` - or, for a client that does
//! not watch files, when the server's own watcher sees them change - re-diagnosing open
//! specs.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use support::{SMALL_SPEC, Server, capabilities, codes, file_uri, scratch_dir};

/// The next diagnostics published for `uri` (whatever the version).
fn next_diagnostics(server: &mut Server, uri: &str) -> Vec<Value> {
    let m = server.wait_for("republished diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    m["params"]["diagnostics"].as_array().unwrap().clone()
}

fn start(root: &Path, options: Option<Value>) -> Server {
    let mut server = Server::spawn();
    server.initialize(capabilities(&["utf-8"]), Some(root), options);
    server
}

/// A line of 90 characters: too long by default.
const LONG: &str =
    "This line is ninety characters long, which is more than the default limit of 79 chars.....";

fn spec_with_long_line() -> String {
    SMALL_SPEC.replace("Text with é and 中文 here.", LONG)
}

#[test]
fn initialization_options_override_defaults() {
    let root = scratch_dir("init-options");
    let mut server = start(
        &root,
        Some(json!({ "severity": { "missing-section": "off", "line-too-long": "hint" } })),
    );
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, &spec_with_long_line());
    let diags = server.diagnostics(&uri, 1);
    assert!(!codes(&diags).contains(&"missing-section"), "{diags:?}");
    let long = diags.iter().find(|d| d["code"] == "line-too-long").unwrap();
    assert_eq!(long["severity"], 4);
    // later settings override key by key: the initialization options still apply
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "severity": { "line-too-long": "warning" } } }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    assert!(!codes(&diags).contains(&"missing-section"), "{diags:?}");
    let long = diags.iter().find(|d| d["code"] == "line-too-long").unwrap();
    assert_eq!(long["severity"], 2);
    assert!(server.shutdown_and_exit().success());
}

/// A preset named in the editor's settings (VS Code's `troveSpecLsp.preset`) applies
/// as in `trove-spec-lsp.toml`, its include globs taken from the workspace root; a
/// change of preset re-diagnoses.
#[test]
fn a_preset_in_the_settings_changes_the_findings() {
    let root = scratch_dir("settings-preset");
    let mut server = start(&root, Some(json!({ "preset": "cinder" })));
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, &format!("{}trailing \n", spec_with_long_line()));
    // doc8's rules: no template structure, no line length; trailing whitespace fails
    let diags = server.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), ["trailing-whitespace"], "{diags:?}");
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "preset": "trove" } }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    for code in ["missing-subsection", "line-too-long", "trailing-whitespace"] {
        assert!(codes(&diags).contains(&code), "{code}: {diags:?}");
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn did_change_configuration_re_diagnoses_open_specs() {
    let root = scratch_dir("change-config");
    let mut server = start(&root, None);
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, &spec_with_long_line());
    assert!(codes(&server.diagnostics(&uri, 1)).contains(&"line-too-long"));
    // the editor's settings section, nested under the server's name
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "trove-spec-lsp": { "max-line-length": 99 } } }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    assert!(!codes(&diags).contains(&"line-too-long"), "{diags:?}");
    assert_eq!(diags[0]["code"], "missing-subsection");
    // the object itself works too
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "max-line-length": 50 } }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    assert!(codes(&diags).contains(&"line-too-long"));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn settings_pulled_with_workspace_configuration() {
    let root = scratch_dir("pull-config");
    let mut server = Server::spawn();
    server.settings = json!({ "severity": { "line-too-long": "off" } });
    let mut caps = capabilities(&["utf-8"]);
    caps["workspace"]["configuration"] = json!(true);
    server.initialize(caps, Some(&root), None);
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, &spec_with_long_line());
    // the server asks for its section after `initialized` and applies the answer
    let mut diags = server.diagnostics(&uri, 1);
    while codes(&diags).contains(&"line-too-long") {
        diags = next_diagnostics(&mut server, &uri);
    }
    assert!(server.server_requests.iter().any(
        |(m, p)| m == "workspace/configuration" && p["items"][0]["section"] == "trove-spec-lsp"
    ));
    // a null payload means "ask me": the server asks again
    server.settings = json!({ "severity": { "line-too-long": "warning" } });
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    // (a republication for the first answer may still be on its way: skip it)
    loop {
        let diags = next_diagnostics(&mut server, &uri);
        if let Some(long) = diags.iter().find(|d| d["code"] == "line-too-long") {
            assert_eq!(long["severity"], 2);
            break;
        }
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn config_file_read_and_reloaded_when_it_changes() {
    let root = scratch_dir("config-file");
    let config = root.join("trove-spec-lsp.toml");
    std::fs::write(&config, "max-line-length = 100\n").unwrap();
    let mut server = start(&root, None);
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, &spec_with_long_line());
    assert!(!codes(&server.diagnostics(&uri, 1)).contains(&"line-too-long"));
    // settings override the file
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "max-line-length": 80 } }),
    );
    assert!(codes(&next_diagnostics(&mut server, &uri)).contains(&"line-too-long"));
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": {} }),
    );
    assert!(!codes(&next_diagnostics(&mut server, &uri)).contains(&"line-too-long"));
    // the file changes on disk
    std::fs::write(
        &config,
        "[severity]\nmissing-section = \"off\"\nmissing-subsection = \"off\"\n",
    )
    .unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    assert_eq!(codes(&diags), ["line-too-long"], "{diags:?}");
    // a broken file: the user is told, the defaults apply
    std::fs::write(&config, "max-line-length = \"wide\"\n").unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] }),
    );
    let message = server.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("max-line-length"),
        "{message}"
    );
    assert!(codes(&next_diagnostics(&mut server, &uri)).contains(&"missing-section"));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn workspace_template_used_and_reloaded_when_it_changes() {
    let root = scratch_dir("template");
    let template = root.join("specs/template.rst");
    let write_template = |sections: &[&str]| {
        let mut text = String::from("=====\nTitle\n=====\n\n");
        for s in sections {
            text.push_str(&format!(
                "{s}\n{}\n\nGuidance for {s}.\n\n",
                "=".repeat(s.len())
            ));
        }
        std::fs::write(&template, text).unwrap();
    };
    write_template(&["Problem Description", "Proposed Change", "Security"]);
    let mut server = start(&root, None);
    let uri = file_uri(&root.join("specs/a.rst"));
    let text = SMALL_SPEC.replace("Alternatives\n------------\n\nNone\n", "");
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), ["missing-section"], "{diags:?}");
    assert_eq!(diags[0]["data"]["section"], "Security");
    // hover shows the workspace template's guidance
    let hover = server.request_ok(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 4, "character": 0 } }),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("Guidance for Problem Description."), "{md}");
    assert!(md.contains("template.rst"), "{md}");
    // the template changes on disk
    write_template(&["Problem Description", "Proposed Change", "Testing"]);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&template), "type": 2 }] }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    assert_eq!(diags[0]["data"]["section"], "Testing", "{diags:?}");
    // saving the template from the editor reloads it too
    write_template(&["Problem Description", "Proposed Change", "Upgrade"]);
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": file_uri(&template) } }),
    );
    let diags = next_diagnostics(&mut server, &uri);
    assert_eq!(diags[0]["data"]["section"], "Upgrade", "{diags:?}");
    assert!(server.shutdown_and_exit().success());
}

/// A client without dynamic `didChangeWatchedFiles` registration (Neovim 0.11 on Linux):
/// the server watches the disk itself, and the spec's findings follow the template and
/// the configuration file as other processes write them, with no message from the client.
#[test]
fn server_watches_the_disk_when_the_client_does_not() {
    let root = scratch_dir("disk-watch");
    let template = root.join("specs/template.rst");
    let template_text = |last: &str| {
        let mut text = String::from("=====\nTitle\n=====\n\n");
        for s in ["Problem Description", "Proposed Change", last] {
            text.push_str(&format!("{s}\n{}\n\nGuidance.\n\n", "=".repeat(s.len())));
        }
        text
    };
    let mut server = Server::spawn();
    let mut caps = capabilities(&["utf-8"]);
    caps["workspace"]["didChangeWatchedFiles"] = json!({ "dynamicRegistration": false });
    server.initialize(caps, Some(&root), None);
    let uri = file_uri(&root.join("specs/a.rst"));
    let text = SMALL_SPEC.replace("Alternatives\n------------\n\nNone\n", "");
    server.open(&uri, 1, &text);
    // no template yet: the built-in one (most of it missing)
    assert!(server.diagnostics(&uri, 1).len() > 3);
    let missing = |server: &mut Server| {
        let diags = next_diagnostics(server, &uri);
        diags
            .iter()
            .map(|d| format!("{}:{}", d["code"].as_str().unwrap(), d["data"]["section"]))
            .collect::<Vec<_>>()
    };
    // a template appears where discovery finds it
    std::fs::write(&template, template_text("Security")).unwrap();
    assert_eq!(missing(&mut server), ["missing-section:\"Security\""]);
    // an editor's atomic save: written aside, renamed over it
    let aside = root.join("specs/.template.rst.swp");
    std::fs::write(&aside, template_text("Testing")).unwrap();
    std::fs::rename(&aside, &template).unwrap();
    assert_eq!(missing(&mut server), ["missing-section:\"Testing\""]);
    // a configuration file created at the root
    std::fs::write(
        root.join("trove-spec-lsp.toml"),
        "[severity]\nmissing-section = \"off\"\n",
    )
    .unwrap();
    assert_eq!(missing(&mut server), Vec::<String>::new());
    // other files changing do not republish
    std::fs::write(root.join("specs/notes.rst"), "Notes\n=====\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !server
            .take_backlog()
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "republished after an unrelated file changed"
    );
    // no registration was asked of a client that cannot watch
    assert!(
        !server
            .server_requests
            .iter()
            .any(|(m, _)| m == "client/registerCapability")
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn template_and_spec_globs_from_settings() {
    let root = scratch_dir("globs");
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(
        root.join("my-template.rst"),
        "=====\nTitle\n=====\n\nFirst\n=====\n\nSay it.\n\nSecond\n======\n\nAgain.\n",
    )
    .unwrap();
    let mut server = start(
        &root,
        Some(json!({ "template": "my-template.rst", "specs": ["docs/*.rst"] })),
    );
    let uri = file_uri(&root.join("docs/proposal.rst"));
    let text = "=====\nMine\n=====\n\nFirst\n=====\n\nText.\n\nOther\n=====\n\nText.\n";
    server.open(&uri, 1, text);
    let diags = server.diagnostics(&uri, 1);
    let missing: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "missing-section")
        .collect();
    assert_eq!(missing.len(), 1, "{diags:?}");
    assert_eq!(missing[0]["data"]["section"], "Second");
    // a file the globs do not match is plain reStructuredText
    let other = file_uri(&root.join("notes.rst"));
    server.open(&other, 1, text);
    assert!(server.diagnostics(&other, 1).is_empty());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn settings_without_our_keys_are_ignored_and_typos_reported() {
    let root = scratch_dir("foreign-settings");
    // Neovim sends an empty Lua table as `[]`
    let mut server = start(&root, Some(json!([])));
    let uri = file_uri(&root.join("specs/a.rst"));
    server.open(&uri, 1, &spec_with_long_line());
    assert!(codes(&server.diagnostics(&uri, 1)).contains(&"line-too-long"));
    // eglot sends one settings object to every server
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "pylsp": { "plugins": {} } } }),
    );
    assert!(codes(&next_diagnostics(&mut server, &uri)).contains(&"line-too-long"));
    // a misspelt key beside one of ours is ours, and is reported
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "max-line-length": 99, "severty": {} } }),
    );
    let message = server.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    let text = message["params"]["message"].as_str().unwrap();
    assert!(text.contains("severty"), "{text}");
    let stderr = server.stderr();
    assert!(
        !stderr.contains("pylsp") && !stderr.contains("invalid type"),
        "{stderr}"
    );
    assert!(server.shutdown_and_exit().success());
}
