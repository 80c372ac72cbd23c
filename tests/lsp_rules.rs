//! Repository rules in the language server over real stdio: `include` / `exclude` decide
//! which documents are specs (as `check DIR` does), `[[override]]` tables apply per
//! document, and a preset named in the file or in the editor's settings applies.

mod support;

use serde_json::json;
use support::{SMALL_SPEC, Server, capabilities, codes, file_uri, scratch_dir};

/// SMALL_SPEC with a zero-width space, a tab-indented line and a 90-character line.
fn spec() -> String {
    SMALL_SPEC.replace(
        "Text with é and 中文 here.",
        "Text with é and\u{200B} 中文 here.\n\n\tTabbed.\n\nThis line is ninety characters long, which is more than the default limit of 79 chars.....",
    )
}

#[test]
fn include_exclude_and_overrides_apply_per_document() {
    let root = scratch_dir("rules-select");
    std::fs::write(
        root.join("trove-spec-lsp.toml"),
        r#"
include = ["specs/[k-z]*/**/*.rst"]
exclude = ["**/stadium/**"]
[severity]
invisible-character = "error"
[[override]]
files = ["specs/kilo/**"]
max-line-length = 99
"#,
    )
    .unwrap();
    let mut server = Server::spawn();
    server.initialize(capabilities(&["utf-8"]), Some(&root), None);
    let text = spec();
    let mut version = 0;
    let mut open = |server: &mut Server, path: &str| {
        version += 1;
        let uri = file_uri(&root.join(path));
        server.open(&uri, version, &text);
        server.diagnostics(&uri, version)
    };
    let zed = open(&mut server, "specs/zed/a.rst");
    for code in ["invisible-character", "line-too-long", "missing-section"] {
        assert!(codes(&zed).contains(&code), "{code} in {zed:?}");
    }
    let kilo = open(&mut server, "specs/kilo/a.rst");
    assert!(codes(&kilo).contains(&"invisible-character"), "{kilo:?}");
    assert!(
        !codes(&kilo).contains(&"line-too-long"),
        "the override: {kilo:?}"
    );
    for plain in ["specs/juno/a.rst", "specs/kilo/stadium/a.rst"] {
        let diags = open(&mut server, plain);
        assert!(diags.is_empty(), "{plain} is not a spec: {diags:?}");
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_preset_in_the_settings_applies() {
    let root = scratch_dir("rules-preset");
    let mut server = Server::spawn();
    server.initialize(
        capabilities(&["utf-8"]),
        Some(&root),
        Some(json!({ "trove-spec-lsp": { "preset": "cinder" } })),
    );
    let uri = file_uri(&root.join("specs/2024.1/a.rst"));
    server.open(&uri, 1, &spec());
    let diags = server.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), ["tab-indentation"], "{diags:?}");
    assert_eq!(diags[0]["severity"], 1);
    assert!(server.shutdown_and_exit().success());
}
