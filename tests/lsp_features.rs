//! Editor features over real stdio: completion, hover, code actions (each applied to the
//! text and re-checked), document symbols and folding ranges.

mod support;

use std::collections::HashMap;

use serde_json::{Value, json};
use support::{
    SMALL_SPEC, Server, apply_edits, corpus, engine_diagnostics, file_uri, scratch_dir,
    scratch_spec,
};

fn position(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// Open `text` as a spec in a scratch `specs/` directory; returns the URI.
fn open_spec(server: &mut Server, name: &str, text: &str) -> String {
    let uri = scratch_spec(name);
    server.open(&uri, 1, text);
    server.diagnostics(&uri, 1);
    uri
}

fn completion(server: &mut Server, uri: &str, line: u32, character: u32) -> Vec<Value> {
    let result = server.request_ok("textDocument/completion", position(uri, line, character));
    let mut items = result.as_array().cloned().unwrap_or_default();
    items.sort_by(|a, b| a["sortText"].as_str().cmp(&b["sortText"].as_str()));
    items
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

#[test]
fn completion_offers_missing_headings_expected_first() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let text = format!("{SMALL_SPEC}\n");
    let uri = open_spec(&mut server, "complete", &text);
    let last_line = text.lines().count() as u32;
    let items = completion(&mut server, &uri, last_line, 0);
    let labels = labels(&items);
    // after "Alternatives", the last subsection of "Proposed Change", the next template
    // section is expected
    assert_eq!(labels[0], "Dashboard Impact (UX)");
    assert_eq!(items[0]["preselect"], true);
    assert!(labels.contains(&"Configuration"), "{labels:?}");
    assert!(labels.contains(&"References"));
    assert!(!labels.contains(&"Problem Description"), "present already");
    assert!(!labels.contains(&"Alternatives"), "present already");
    assert!(
        !labels.contains(&"Milestones"),
        "a subsection of another section"
    );
    // documentation: the section's guidance
    let docs = items[0]["documentation"]["value"].as_str().unwrap();
    assert!(docs.starts_with("### Dashboard Impact (UX)"), "{docs}");
    // inserting it: heading, underline as long as the title, then the body; plain text
    // (a snippet's only tab stop would be the end)
    let edit = &items[0]["textEdit"];
    assert_eq!(items[0]["insertTextFormat"], 1);
    assert_eq!(
        edit["newText"],
        "Dashboard Impact (UX)\n=====================\n\n"
    );
    let inserted = apply_edits(&text, std::slice::from_ref(edit), "utf-8") + "None\n";
    let after = engine_diagnostics(&inserted, "utf-8");
    assert!(
        !after
            .iter()
            .any(|d| d["data"]["section"] == "Dashboard Impact (UX)"),
        "{inserted}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_inside_a_section_expects_its_missing_subsection() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    // cursor right after "Proposed Change"'s body, before "Alternatives"
    let text = SMALL_SPEC.replace("None\n\nAlternatives", "None\n\n\n\nAlternatives");
    let uri = open_spec(&mut server, "subsection", &text);
    let items = completion(&mut server, &uri, 14, 0);
    assert_eq!(labels(&items)[0], "Configuration");
    assert_eq!(items[0]["detail"], "template subsection of Proposed Change");
    assert_eq!(
        items[0]["textEdit"]["newText"],
        "Configuration\n-------------\n\n"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_filters_by_what_is_typed_and_replaces_it() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let text = format!("{SMALL_SPEC}\nTes");
    let uri = open_spec(&mut server, "typed", &text);
    let line = text.lines().count() as u32 - 1;
    let items = completion(&mut server, &uri, line, 3);
    assert_eq!(labels(&items), ["Testing"]);
    let edit = &items[0]["textEdit"];
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": line, "character": 0 })
    );
    assert_eq!(
        edit["range"]["end"],
        json!({ "line": line, "character": 3 })
    );
    assert!(server.shutdown_and_exit().success());
}

/// The document after accepting `item` as a client that applies its edits does.
fn accept(text: &str, item: &Value, encoding: &str) -> String {
    let mut edits = vec![item["textEdit"].clone()];
    if let Some(insert) = item["textEdit"].get("insert") {
        edits[0] = json!({ "range": insert, "newText": item["textEdit"]["newText"] });
    }
    edits.extend(
        item["additionalTextEdits"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    apply_edits(text, &edits, encoding)
}

#[test]
fn completion_replaces_only_what_was_typed_before_the_cursor() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    // the cursor at column 2 of a line the author already wrote
    let text = format!("{SMALL_SPEC}\nTe* guest agent changes\n");
    let uri = open_spec(&mut server, "typed-before", &text);
    let line = text.lines().count() as u32 - 1;
    let items = completion(&mut server, &uri, line, 2);
    let item = items.iter().find(|i| i["label"] == "Testing").unwrap();
    let edit = &item["textEdit"];
    assert_eq!(
        edit["range"]["end"],
        json!({ "line": line, "character": 2 })
    );
    // no insertText: eglot 1.9 lists an item's insertText, not its label
    assert!(item.get("insertText").is_none());
    assert_eq!(item["filterText"], "Testing");
    let after = accept(&text, item, "utf-8");
    assert!(
        after.ends_with("Testing\n=======\n\n* guest agent changes\n"),
        "{after}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_offers_insert_and_replace_ranges_to_clients_that_take_them() {
    let mut server = Server::with_capabilities(&["utf-8"], |caps| {
        caps["textDocument"]["completion"]["completionItem"]["insertReplaceSupport"] = json!(true);
    });
    let text = format!("{SMALL_SPEC}\nTesing\n");
    let uri = open_spec(&mut server, "insert-replace", &text);
    let line = text.lines().count() as u32 - 1;
    let items = completion(&mut server, &uri, line, 3);
    assert_eq!(labels(&items)[0], "Testing");
    let edit = &items[0]["textEdit"];
    assert_eq!(
        edit["insert"]["end"],
        json!({ "line": line, "character": 3 })
    );
    assert_eq!(
        edit["replace"]["end"],
        json!({ "line": line, "character": 6 })
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_snippets_only_where_the_cursor_moves_and_never_with_backticks() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    // text right after the cursor's line: the cursor goes into the new body, above it
    let text = SMALL_SPEC.replace("None\n\nAlternatives", "None\n\n\nAlternatives");
    let uri = open_spec(&mut server, "snippet", &text);
    let items = completion(&mut server, &uri, 14, 0);
    assert_eq!(labels(&items)[0], "Configuration");
    assert_eq!(items[0]["insertTextFormat"], 2);
    assert_eq!(
        items[0]["textEdit"]["newText"],
        "Configuration\n-------------\n\n$0\n"
    );
    // a title with backticks (yasnippet evaluates them): plain text
    let new = "\nSupport ``--encrypt`` in trove\nSome text.\n";
    server.change_full(&uri, 2, new);
    server.diagnostics(&uri, 2);
    let items = completion(&mut server, &uri, 1, 30);
    assert_eq!(items[0]["detail"], "document title");
    assert_eq!(items[0]["insertTextFormat"], 1);
    let inserted = items[0]["textEdit"]["newText"].as_str().unwrap();
    assert!(!inserted.contains('$'), "{inserted}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_never_offers_a_section_docutils_took_as_the_subtitle() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let text = "==============\nFaster Backups\n==============\n\nProblem Description\n===================\n\nSlow.\n\n";
    let uri = open_spec(&mut server, "subtitle", text);
    let items = completion(&mut server, &uri, 9, 0);
    let labels = labels(&items);
    assert!(!labels.contains(&"Problem Description"), "{labels:?}");
    assert_eq!(labels[0], "Proposed Change");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_under_the_first_line_offers_the_template_title_style() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let text = "Faster Backups\n==";
    let uri = open_spec(&mut server, "title-style", text);
    let items = completion(&mut server, &uri, 1, 2);
    // only the title style: an underline alone would make it a section
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["detail"], "document title, 14 columns");
    let after = accept(text, &items[0], "utf-8");
    assert_eq!(after, "==============\nFaster Backups\n==============");
    let diags = engine_diagnostics(&format!("{after}\n"), "utf-8");
    assert!(
        !diags.iter().any(|d| d["code"] == "extra-section"),
        "{diags:?}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// Under a title underlined only (the template's has an overline too, so a section
/// underlined like it would take the title's level): a completed heading, or underline,
/// in the template's adornment brings the title's restyle along.
#[test]
fn completion_under_a_title_in_the_wrong_style_restyles_the_title() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let title = "Faster Backups\n==============\n\n";
    let restyled = "==============\nFaster Backups\n==============\n\n";
    let text = format!("{title}Pro");
    let uri = open_spec(&mut server, "title-style-heading", &text);
    let items = completion(&mut server, &uri, 3, 3);
    assert_eq!(labels(&items)[0], "Problem Description");
    let after = accept(&text, &items[0], "utf-8");
    assert_eq!(
        after,
        format!("{restyled}Problem Description\n===================\n\n")
    );
    let diags = engine_diagnostics(&after, "utf-8");
    assert!(
        diags.iter().all(|d| d["code"] == "missing-section"),
        "{diags:?}"
    );
    // an underline typed under a section title
    let text = format!("{title}Problem Description\n==");
    server.change_full(&uri, 2, &text);
    server.diagnostics(&uri, 2);
    let items = completion(&mut server, &uri, 4, 2);
    assert_eq!(items[0]["detail"], "section, 19 columns");
    let after = accept(&text, &items[0], "utf-8");
    assert_eq!(
        after,
        format!("{restyled}Problem Description\n===================")
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_of_an_underline_offers_the_level_character_first() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    // a subsection title under Proposed Change, underlined with the section character
    let text = format!("{SMALL_SPEC}\nDatabase\n====");
    let uri = open_spec(&mut server, "level-char", &text);
    let line = text.lines().count() as u32 - 1;
    let items = completion(&mut server, &uri, line, 4);
    assert_eq!(labels(&items), ["--------", "========"]);
    assert_eq!(items[0]["preselect"], true);
    assert_eq!(items[0]["insertText"], "--------");
    assert_eq!(items[0]["filterText"], "====");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_without_snippet_support_inserts_plain_text() {
    let mut server = Server::with_capabilities(&["utf-8"], |caps| {
        caps["textDocument"]["completion"]["completionItem"]["snippetSupport"] = json!(false);
    });
    let text = format!("{SMALL_SPEC}\n");
    let uri = open_spec(&mut server, "plain-insert", &text);
    let items = completion(&mut server, &uri, text.lines().count() as u32, 0);
    assert_eq!(items[0]["insertTextFormat"], 1);
    assert_eq!(
        items[0]["textEdit"]["newText"],
        "Dashboard Impact (UX)\n=====================\n\n"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_in_a_new_spec_starts_with_the_document_title() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = open_spec(&mut server, "new", "");
    let items = completion(&mut server, &uri, 0, 0);
    assert_eq!(items[0]["detail"], "document title");
    assert_eq!(items[0]["label"], "Sample Pike Spec for Trove");
    assert_eq!(labels(&items)[1], "Problem Description");
    // what is typed becomes the title, in the template's title style
    server.change_full(&uri, 2, "My feature");
    server.diagnostics(&uri, 2);
    let items = completion(&mut server, &uri, 0, 10);
    assert_eq!(items[0]["label"], "My feature");
    let new_text = items[0]["textEdit"]["newText"].as_str().unwrap();
    assert_eq!(new_text, "==========\nMy feature\n==========\n\n");
    let titled = new_text;
    let diags = engine_diagnostics(titled, "utf-8");
    assert!(
        diags.iter().all(|d| d["code"] != "heading-structure"),
        "{diags:?}"
    );
    // once there is a title, no title item
    server.change_full(&uri, 3, &format!("{titled}\n"));
    server.diagnostics(&uri, 3);
    let items = completion(&mut server, &uri, 4, 0);
    assert!(items.iter().all(|i| i["detail"] != "document title"));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn completion_completes_an_underline_to_the_exact_width() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let text = format!("{SMALL_SPEC}\n中文标题 Testing\n==");
    let uri = open_spec(&mut server, "underline", &text);
    let line = text.lines().count() as u32 - 1;
    let items = completion(&mut server, &uri, line, 2);
    // after a subsection, the subsection character first, then the typed one; four
    // wide characters count two columns each
    assert_eq!(labels(&items), ["-".repeat(16), "=".repeat(16)]);
    // each says what it makes of the heading here
    assert_eq!(items[0]["detail"], "subsection, 16 columns");
    assert_eq!(items[1]["detail"], "section, as typed, 16 columns");
    let underline = "=".repeat(16);
    assert_eq!(items[1]["textEdit"]["newText"], underline.as_str());
    assert_eq!(items[0]["textEdit"]["range"]["start"]["line"], line);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn plain_rst_gets_no_template_headings_or_guidance() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let dir = scratch_dir("plain-complete");
    let uri = file_uri(&dir.join("README.rst"));
    server.open(&uri, 1, "Readme\n======\n\n");
    let result = server.request_ok("textDocument/completion", position(&uri, 3, 0));
    assert_eq!(result, Value::Null);
    // and no template guidance on hover
    assert_eq!(hover_text(&mut server, &uri, 0, 0), None);
    assert!(server.shutdown_and_exit().success());
}

fn hover_text(server: &mut Server, uri: &str, line: u32, character: u32) -> Option<String> {
    let result = server.request_ok("textDocument/hover", position(uri, line, character));
    if result.is_null() {
        return None;
    }
    assert_eq!(result["contents"]["kind"], "markdown");
    Some(result["contents"]["value"].as_str().unwrap().to_string())
}

#[test]
fn hover_shows_the_template_guidance_on_every_line_of_a_heading() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = open_spec(&mut server, "hover", SMALL_SPEC);
    // title line and underline of "Problem Description"
    for line in [4, 5] {
        let md = hover_text(&mut server, &uri, line, 3).unwrap();
        assert!(md.starts_with("### Problem Description"), "{md}");
        assert!(
            md.contains("Section 1 of 10 in the built-in Trove template"),
            "{md}"
        );
        assert!(
            md.contains("A detailed description of the problem."),
            "{md}"
        );
    }
    // "Proposed Change": its subsections, and its code-blocks as fenced code
    let md = hover_text(&mut server, &uri, 9, 0).unwrap();
    assert!(
        md.contains("Expected subsections: Configuration, Database, Public API"),
        "{md}"
    );
    assert!(
        md.contains("```bash\n# This is a bash command\nls -lf\n```"),
        "{md}"
    );
    assert!(!md.contains(".. code-block::"), "{md}");
    // a subsection
    let md = hover_text(&mut server, &uri, 15, 0).unwrap();
    assert!(
        md.contains("Subsection 9 of 9 under **Proposed Change**"),
        "{md}"
    );
    // the document title
    let md = hover_text(&mut server, &uri, 1, 3).unwrap();
    assert!(
        md.starts_with("### Café 😀 spec\n\nThe document title."),
        "{md}"
    );
    assert!(md.contains("Sample Pike Spec for Trove"), "{md}");
    // body text: nothing to say; past the end: clamped to the end, no error
    assert_eq!(hover_text(&mut server, &uri, 7, 2), None);
    assert_eq!(
        hover_text(&mut server, &uri, 999, 999),
        hover_text(&mut server, &uri, 18, 0)
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn hover_on_a_heading_the_template_lacks_names_the_closest() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let text = SMALL_SPEC.replace(
        "Problem Description\n===================",
        "Problem Descripton\n==================",
    );
    let uri = open_spec(&mut server, "near-miss", &text);
    let md = hover_text(&mut server, &uri, 4, 0).unwrap();
    assert!(
        md.contains("The template has no section of this name."),
        "{md}"
    );
    assert!(md.contains("Did you mean **Problem Description**?"), "{md}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn hover_on_a_missing_section_diagnostic_shows_what_goes_there() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("hover-missing");
    server.open(&uri, 1, SMALL_SPEC);
    let diags = server.diagnostics(&uri, 1);
    let missing = diags
        .iter()
        .find(|d| d["data"]["section"] == "Testing")
        .unwrap();
    let start = &missing["range"]["start"];
    let md = hover_text(
        &mut server,
        &uri,
        start["line"].as_u64().unwrap() as u32,
        start["character"].as_u64().unwrap() as u32,
    )
    .unwrap();
    // every section missing at the end of the document, then the first one's guidance
    assert!(
        md.starts_with("Missing here: **Dashboard Impact (UX)**, "),
        "{md}"
    );
    assert!(md.contains("**Testing**"), "{md}");
    assert!(md.contains("### Dashboard Impact (UX)"), "{md}");
    assert!(
        md.contains("This section should detail how the dashboard"),
        "{md}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn hover_shows_footnotes_and_escapes_markdown() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let text = format!("{SMALL_SPEC}\nReferences\n==========\n\nNone\n");
    let uri = open_spec(&mut server, "hover-footnotes", &text);
    let line = text.lines().position(|l| l == "References").unwrap() as u32;
    let md = hover_text(&mut server, &uri, line, 0).unwrap();
    // the references read "[1]" and the footnotes they point to are there
    assert!(md.contains("include are \\[1\\],"), "{md}");
    assert!(!md.contains("]_"), "{md}");
    assert!(
        md.contains("\\[1\\] Links to mailing list or IRC discussions"),
        "{md}"
    );
    assert!(md.contains("\\[4\\] Anything else"), "{md}");
    assert!(server.shutdown_and_exit().success());
}

/// All edits of a code action (either `changes` or `documentChanges`).
fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["changes"].as_object() {
        return changes[uri].as_array().unwrap().clone();
    }
    edit["documentChanges"][0]["edits"]
        .as_array()
        .unwrap()
        .clone()
}

/// A diagnostic's identity across edits.
fn key(d: &Value) -> (Value, Value, Value) {
    (d["code"].clone(), d["data"].clone(), d["message"].clone())
}

fn count(diags: &[Value]) -> HashMap<(Value, Value, Value), usize> {
    let mut out = HashMap::new();
    for d in diags {
        *out.entry(key(d)).or_default() += 1;
    }
    out
}

/// For every diagnostic of `text`, every quick fix the server offers for it, applied and
/// re-checked through the server: the finding is gone. Returns the codes fixed.
fn every_quick_fix_works(
    server: &mut Server,
    uri: &str,
    text: &str,
    encoding: &str,
) -> Vec<String> {
    let mut version = 1;
    server.open(uri, version, text);
    let diags = server.diagnostics(uri, version);
    let before = count(&diags);
    let mut fixed = Vec::new();
    for diag in &diags {
        let actions = server.request_ok(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": diag["range"],
                "context": { "diagnostics": [diag], "only": ["quickfix"] }
            }),
        );
        for action in actions.as_array().unwrap() {
            if action["diagnostics"][0] != *diag {
                continue; // another finding in the same range
            }
            assert_eq!(action["kind"], "quickfix");
            let new_text = apply_edits(text, &action_edits(action, uri), encoding);
            version += 1;
            server.change_full(uri, version, &new_text);
            let after = count(&server.diagnostics(uri, version));
            assert!(
                after.get(&key(diag)).copied().unwrap_or(0) < before[&key(diag)],
                "{} did not fix {diag}:\n{new_text}",
                action["title"]
            );
            fixed.push(diag["code"].as_str().unwrap().to_string());
            // back to the original for the next action
            version += 1;
            server.change_full(uri, version, text);
            server.diagnostics(uri, version);
        }
    }
    fixed
}

#[test]
fn every_quick_fix_removes_its_finding() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let mut fixed = Vec::new();
    for spec in [
        "trove-specs/specs/kilo/db2_plugin.rst",
        "trove-specs/specs/kilo/experimental-datastores.rst",
        "trove-specs/specs/liberty/mongodb-configuration-groups.rst",
        "trove-specs/specs/ocata/cluster-upgrade.rst",
        "keystone-specs/specs/keystone/rocky/define-default-roles.rst",
    ] {
        let path = corpus().join(spec).canonicalize().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        fixed.extend(every_quick_fix_works(
            &mut server,
            &file_uri(&path),
            &text,
            "utf-16",
        ));
    }
    // and scratch specs with multi-byte text, trailing spaces, a short underline, CRLF,
    let text = SMALL_SPEC
        .replace("中文 here.", "中文 here.   ")
        .replace("Alternatives\n------------", "Alternatives\n-------");
    let dir = scratch_dir("fixes");
    // sections out of template order
    let swapped = "=====\nTitle\n=====\n\nProposed Change\n===============\n\nNone\n\n\
                   Problem Description\n===================\n\nNone\n";
    for (name, text) in [
        ("lf", text.clone()),
        ("crlf", text.replace('\n', "\r\n")),
        ("order", swapped.to_string()),
    ] {
        fixed.extend(every_quick_fix_works(
            &mut server,
            &file_uri(&dir.join(format!("specs/{name}.rst"))),
            &text,
            "utf-16",
        ));
    }
    for code in [
        "missing-section",
        "missing-subsection",
        "title-mismatch",
        "section-order",
        "trailing-whitespace",
        "carriage-return",
        "heading-underline",
        "section-level",
        "empty-section",
        "template-text",
    ] {
        assert!(
            fixed.iter().any(|c| c == code),
            "no fix exercised for {code}: {fixed:?}"
        );
    }
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn quick_fixes_in_utf8_with_versioned_document_changes() {
    let mut server = Server::with_capabilities(&["utf-8"], |caps| {
        caps["workspace"]["workspaceEdit"]["documentChanges"] = json!(true);
    });
    let text = SMALL_SPEC.replace("中文 here.", "中文 here. 😀  ");
    let uri = scratch_spec("fixes-utf8");
    let fixed = every_quick_fix_works(&mut server, &uri, &text, "utf-8");
    assert!(
        fixed.iter().any(|c| c == "trailing-whitespace"),
        "{fixed:?}"
    );
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": support::lsp_range([(7, 0), (7, 0)]),
            "context": { "diagnostics": [] }
        }),
    );
    let action = &actions[0];
    assert_eq!(
        action["edit"]["documentChanges"][0]["textDocument"]["uri"],
        uri
    );
    assert!(action["edit"]["documentChanges"][0]["textDocument"]["version"].is_i64());
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn source_action_inserts_all_missing_sections() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = open_spec(&mut server, "fix-all", SMALL_SPEC);
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": support::lsp_range([(0, 0), (0, 0)]),
            "context": { "diagnostics": [], "only": ["source"] }
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source");
    assert!(actions[0]["title"].as_str().unwrap().starts_with("Add all"));
    let fixed = apply_edits(SMALL_SPEC, &action_edits(&actions[0], &uri), "utf-8");
    let after = engine_diagnostics(&fixed, "utf-8");
    assert!(
        after
            .iter()
            .all(|d| d["code"] != "missing-section" && d["code"] != "missing-subsection"),
        "{after:?}\n{fixed}"
    );
    // through the server too
    server.change_full(&uri, 2, &fixed);
    assert_eq!(server.diagnostics(&uri, 2), after);
    assert!(server.shutdown_and_exit().success());
}

/// A title underlined only where the template's has an overline too (what a client that
/// inserts only a completion's label leaves): one `title-style` warning on the title's
/// line, whose quick fix gives it the template's style and leaves no finding of it;
/// "Add all missing sections" then writes the template's adornments.
#[test]
fn a_title_in_the_wrong_style_is_fixed_by_its_quick_fix() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let text = "Faster Backups\n==============\n\nx\n";
    let uri = scratch_spec("title-style");
    server.open(&uri, 1, text);
    let diags = server.diagnostics(&uri, 1);
    let styled: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "title-style")
        .collect();
    assert_eq!(styled.len(), 1, "{diags:?}");
    let others: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] != "missing-section")
        .collect();
    assert_eq!(others, styled, "one finding besides the missing sections");
    let diag = styled[0];
    assert_eq!(diag["severity"], 2);
    assert_eq!(diag["range"], support::lsp_range([(0, 0), (0, 14)]));
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": diag["range"],
            "context": { "diagnostics": [diag], "only": ["quickfix"] }
        }),
    );
    let action = &actions[0];
    assert_eq!(
        action["title"],
        "Give 'Faster Backups' the '=' overline and underline"
    );
    assert_eq!(action["isPreferred"], true);
    let fixed = apply_edits(text, &action_edits(action, &uri), "utf-16");
    assert_eq!(
        fixed,
        "==============\nFaster Backups\n==============\n\nx\n"
    );
    server.change_full(&uri, 2, &fixed);
    let after = server.diagnostics(&uri, 2);
    assert!(
        after.iter().all(|d| d["code"] == "missing-section"),
        "{after:?}"
    );
    // back to the underlined title: "Add all missing sections" restyles it too
    server.change_full(&uri, 3, text);
    server.diagnostics(&uri, 3);
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": support::lsp_range([(3, 0), (3, 0)]),
            "context": { "diagnostics": [], "only": ["source"] }
        }),
    );
    let all = &actions[0];
    assert_eq!(
        all["title"],
        "Add all missing sections, and give the title the template's style"
    );
    let fixed = apply_edits(text, &action_edits(all, &uri), "utf-16");
    assert!(
        fixed.starts_with("==============\nFaster Backups\n==============\n\nx\n\nProblem Description\n===================\n"),
        "{fixed}"
    );
    server.change_full(&uri, 4, &fixed);
    let after = server.diagnostics(&uri, 4);
    assert!(
        after.iter().all(|d| d["code"] == "empty-section"),
        "{after:?}\n{fixed}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn document_symbols_are_the_heading_tree() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = open_spec(&mut server, "symbols", SMALL_SPEC);
    let symbols = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let root = &symbols[0];
    assert_eq!(root["name"], "Café 😀 spec");
    // "Café 😀 spec" is 12 UTF-16 code units, after one space
    assert_eq!(
        root["selectionRange"],
        support::lsp_range([(1, 1), (1, 13)])
    );
    let children: Vec<&str> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["Problem Description", "Proposed Change"]);
    let proposed = &root["children"][1];
    assert_eq!(proposed["children"][0]["name"], "Alternatives");
    // the title is the file; sections and subsections are what completion calls
    // headings too (Module), not String
    assert_eq!(root["kind"], 1, "File");
    assert_eq!(root["children"][0]["kind"], 2, "Module");
    assert_eq!(proposed["children"][0]["kind"], 2, "Module");
    // whole lines: a section starts at column 0 of its heading, and ends on its own
    // last line, before the line of the next heading (which an editor that takes a
    // range's end as inside it would otherwise give to the section before)
    assert_eq!(
        root["children"][0]["range"],
        support::lsp_range([(4, 0), (8, 0)])
    );
    assert_eq!(
        proposed["range"]["start"],
        json!({ "line": 9, "character": 0 })
    );
    assert_eq!(
        proposed["selectionRange"],
        support::lsp_range([(9, 0), (9, 15)])
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn flat_symbols_for_clients_without_hierarchy() {
    let mut server = Server::with_capabilities(&["utf-8"], |caps| {
        caps["textDocument"]["documentSymbol"] = json!({});
    });
    let uri = open_spec(&mut server, "flat", SMALL_SPEC);
    let symbols = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<(&str, Option<&str>)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["containerName"].as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Café 😀 spec", None),
            ("Problem Description", Some("Café 😀 spec")),
            ("Proposed Change", Some("Café 😀 spec")),
            ("Alternatives", Some("Proposed Change")),
        ]
    );
    assert_eq!(symbols[3]["location"]["uri"], uri);
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn folding_ranges_one_per_section() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = open_spec(&mut server, "folding", SMALL_SPEC);
    let ranges = server.request_ok(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    let spans: Vec<(u64, u64)> = ranges
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["startLine"].as_u64().unwrap(),
                r["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(spans, [(4, 7), (9, 17), (14, 17)]);
    assert_eq!(ranges[0]["kind"], "region");
    assert!(server.shutdown_and_exit().success());
}

/// lsp-mode 8.0 (`clientInfo.name` "emacs") inserts a candidate's label under plain
/// `completion-at-point`, applying no edit: there a heading's label is the heading as
/// inserted, and an underline's the rest of it after what was typed; other clients get
/// the title and the underline.
#[test]
fn completion_labels_are_the_inserted_heading_for_lsp_mode() {
    for (client, label) in [
        (Some("emacs"), "Testing\n=======\n\n"),
        (None, "Testing"),
        (Some("Neovim"), "Testing"),
    ] {
        let mut server = Server::spawn();
        let mut params =
            json!({ "processId": null, "capabilities": support::capabilities(&["utf-8"]) });
        if let Some(name) = client {
            params["clientInfo"] = json!({ "name": name, "version": "1" });
        }
        server.request_ok("initialize", params);
        server.notify("initialized", json!({}));
        let text = format!("{SMALL_SPEC}\nTes\n");
        let uri = open_spec(&mut server, "label", &text);
        let line = text.lines().count() as u32 - 1;
        let items = completion(&mut server, &uri, line, 3);
        assert_eq!(labels(&items)[0], label, "{client:?}");
        assert_eq!(items[0]["filterText"], "Testing");
        let edit = &items[0]["textEdit"]["newText"];
        // Neovim inserts plain text only up to its first space: a snippet there
        let (text, format) = match client {
            Some("Neovim") => ("Testing\n=======\n\n$0", 2),
            _ => ("Testing\n=======\n\n", 1),
        };
        assert_eq!(edit, text, "{client:?}");
        assert_eq!(items[0]["insertTextFormat"], format, "{client:?}");
        // an underline: adornment characters are no symbol to lsp-mode, so it inserts
        // the label after what was typed: there the label is the rest of the underline
        let text = format!("{SMALL_SPEC}\nTesting\n==\n");
        let uri = open_spec(&mut server, "underline", &text);
        let line = text.lines().count() as u32 - 1;
        let items = completion(&mut server, &uri, line, 2);
        let label = if client == Some("emacs") {
            "====="
        } else {
            "======="
        };
        assert_eq!(labels(&items)[0], label, "{client:?}");
        assert_eq!(items[0]["textEdit"]["newText"], "=======", "{client:?}");
        assert_eq!(items[0]["insertText"], "=======", "{client:?}");
        assert!(server.shutdown_and_exit().success());
    }
}

/// Code actions for a whole range with one diagnostic in the request's context: that
/// diagnostic's fixes come first and its first fix is the only preferred action (an
/// editor's "auto fix" applies the fix the author is looking at).
#[test]
fn code_actions_put_the_contexts_diagnostic_first_and_prefer_only_its_fix() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    // a short underline and a trailing space before the missing sections at the end
    let text = SMALL_SPEC.replace("Alternatives\n------------", "Alternatives\n-------")
        + "\nMore text.   \n";
    let uri = scratch_spec("context-first");
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, 1);
    let missing = diags
        .iter()
        .find(|d| d["code"] == "missing-section")
        .expect("a missing section")
        .clone();
    let fixable = [
        "heading-underline",
        "trailing-whitespace",
        "missing-section",
    ];
    assert!(
        fixable
            .iter()
            .all(|c| diags.iter().any(|d| d["code"] == *c))
    );
    let lines = text.lines().count() as u32;
    let actions = server.request_ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 },
                       "end": { "line": lines, "character": 0 } },
            "context": { "diagnostics": [missing] }
        }),
    );
    let quick: Vec<&Value> = (actions.as_array().unwrap().iter())
        .filter(|a| a["kind"] == "quickfix")
        .collect();
    assert!(quick.len() > 2, "{quick:#?}");
    assert_eq!(quick[0]["diagnostics"][0], missing);
    let preferred: Vec<&str> = (quick.iter())
        .filter(|a| a["isPreferred"] == true)
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(preferred, [quick[0]["title"].as_str().unwrap()]);
    assert!(server.shutdown_and_exit().success());
}
