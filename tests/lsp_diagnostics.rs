//! Live diagnostics over real stdio: exactly the engine's findings (the objects
//! `check --format json` prints), in position order, for the right version, after every
//! kind of edit, in version order, and cleared on close.

mod support;

use serde_json::{Value, json};
use support::{
    SMALL_SPEC, Server, apply_edits, codes, corpus, engine_diagnostics, file_uri, lsp_range,
    scratch_dir, scratch_spec,
};

/// (code, section) of each diagnostic.
fn code_sections(diags: &[Value]) -> Vec<(String, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["data"]["section"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn corpus_specs_get_exactly_the_cli_json_diagnostics() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let specs = [
        "trove-specs/specs/kilo/couchdb_plugin.rst",
        "trove-specs/specs/kilo/db2_plugin.rst",
        "trove-specs/specs/liberty/mongodb-configuration-groups.rst",
        "trove-specs/specs/ocata/cluster-upgrade.rst",
        "keystone-specs/specs/keystone/rocky/define-default-roles.rst",
    ];
    let mut total = 0;
    for spec in specs {
        let path = corpus().join(spec).canonicalize().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = file_uri(&path);
        server.open(&uri, 1, &text);
        let published = server.diagnostics(&uri, 1);
        let cli = std::process::Command::new(support::bin())
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
        total += published.len();
        // in position order (flymake, the Problems panel and `check` list them as sent)
        let starts: Vec<(u64, u64)> = published
            .iter()
            .map(|d| {
                let start = &d["range"]["start"];
                (
                    start["line"].as_u64().unwrap(),
                    start["character"].as_u64().unwrap(),
                )
            })
            .collect();
        assert!(starts.is_sorted(), "{spec}: {starts:?}");
        assert_eq!(Value::Array(published), cli["diagnostics"], "{spec}");
    }
    assert!(total > 20, "these specs have findings: {total}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_spec_missing_sections_gets_their_codes_and_ranges() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("missing");
    server.open(&uri, 1, SMALL_SPEC);
    let diags = server.diagnostics(&uri, 1);
    assert_eq!(diags, engine_diagnostics(SMALL_SPEC, "utf-8"));
    let codes = code_sections(&diags);
    for section in ["Implementation", "Dependencies", "Testing", "References"] {
        assert!(
            codes.contains(&("missing-section".into(), section.into())),
            "{section}: {codes:?}"
        );
    }
    assert!(codes.contains(&("missing-subsection".into(), "Configuration".into())));
    // the missing subsections are reported on their parent's heading, "Proposed Change"
    // (lines 10-11, 0-based 9-10); where they go is in the fix
    let configuration = diags
        .iter()
        .find(|d| d["data"]["section"] == "Configuration")
        .unwrap();
    assert_eq!(configuration["range"], lsp_range([(9, 0), (10, 15)]));
    assert_eq!(configuration["data"]["parent"], "Proposed Change");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn plain_rst_outside_specs_gets_no_template_findings() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let dir = scratch_dir("plain");
    let uri = file_uri(&dir.join("README.rst"));
    server.open(&uri, 1, "Readme\n======\n\nHello.\n\nBad\n==\n");
    let diags = server.diagnostics(&uri, 1);
    assert!(
        diags.iter().all(|d| d["code"] != "missing-section"),
        "{diags:?}"
    );
    // a template under specs/ is not checked as a spec either
    let template = file_uri(&dir.join("specs/template.rst"));
    server.open(&template, 1, "Problem\n=======\n\nText.\n");
    let diags = server.diagnostics(&template, 1);
    assert!(diags.iter().all(|d| d["code"] != "missing-section"));
    assert!(server.shutdown_and_exit().success());
}

/// An `include` is looked for next to the document's file; a document that is not a
/// file (untitled) has no directory, and its includes are not reported.
#[test]
fn includes_are_looked_for_next_to_the_file() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let dir = scratch_dir("includes");
    std::fs::write(dir.join("there.rst"), "Included.\n").unwrap();
    let text = "Readme\n======\n\n.. include:: there.rst\n\n.. include:: gone.rst\n";
    let uri = file_uri(&dir.join("README.rst"));
    server.open(&uri, 1, text);
    let diags = server.diagnostics(&uri, 1);
    let includes: Vec<&Value> = diags
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap_or("")
                .starts_with("Problems with")
        })
        .collect();
    assert_eq!(includes.len(), 1, "{diags:?} {}", server.stderr());
    assert_eq!(includes[0]["range"]["start"]["line"], 5);
    assert!(
        includes[0]["message"]
            .as_str()
            .unwrap()
            .contains("'gone.rst'")
    );
    let untitled = "untitled:Untitled-1";
    server.open(untitled, 1, text);
    let diags = server.diagnostics(untitled, 1);
    assert!(
        diags.iter().all(|d| d["code"] != "rst-directive"),
        "{diags:?}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// `diags` without the trailing whitespace the caret at (line, character) is in or
/// right after: what the server shows while that edit is fresh.
fn being_typed(mut diags: Vec<Value>, caret: (u32, u32)) -> Vec<Value> {
    diags.retain(|d| {
        let (start, end) = (&d["range"]["start"], &d["range"]["end"]);
        !(d["code"] == "trailing-whitespace"
            && start["line"] == caret.0
            && start["character"].as_u64() <= Some(caret.1.into())
            && end["character"].as_u64() >= Some(caret.1.into()))
    });
    diags
}

/// Edits with multi-byte text, each compared with the engine's view of the same edit
/// applied by the test's own position arithmetic.
fn multibyte_edits(encoding: &str) {
    let (mut server, _) = Server::initialized(&[encoding]);
    let uri = scratch_spec("multibyte");
    let mut text = SMALL_SPEC.to_string();
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, 1);
    // (line, character) in the test's encoding; widths: é 2/1, 😀 4/2, 中 3/1
    let w = |utf8: u32, utf16: u32| if encoding == "utf-8" { utf8 } else { utf16 };
    let long = "é😀中".repeat(30);
    let edits: Vec<([(u32, u32); 2], &str)> = vec![
        // after "Café " on the title line: insert an emoji
        ([(1, w(7, 6)), (1, w(7, 6))], "🎉"),
        // replace "😀" (now after the inserted one) with CJK
        ([(1, w(11, 8)), (1, w(15, 10))], "文字"),
        // trailing spaces after "中文 here." (line 7): a finding with a precise range
        ([(7, w(30, 24)), (7, w(30, 24))], "   "),
        // a long line of multi-byte text: line-too-long counts characters
        ([(13, 0), (13, 4)], &long),
        // delete across a line break, from inside line 8 into line 9
        ([(8, 0), (9, 0)], ""),
        // positions past the line's end and past the document's end are clamped
        ([(13, 999), (13, 999)], "!"),
        ([(999, 0), (999, 5)], "\nEnd 😀\n"),
    ];
    for (n, (range, new)) in edits.into_iter().enumerate() {
        let version = n as i64 + 2;
        let edit = json!({ "range": lsp_range(range), "newText": new });
        let expected = apply_edits(&text, &[edit], encoding);
        // where the edit leaves the caret (for the edits on one line: a column past the
        // line's end is clamped)
        let line = text.lines().nth(range[0].0 as usize).unwrap_or("");
        let width = |t: &str| w(t.len() as u32, t.encode_utf16().count() as u32);
        let caret = (range[0].0, range[0].1.min(width(line)) + width(new));
        server.change(&uri, version, range, new);
        text = expected;
        let diags = server.diagnostics(&uri, version);
        assert_eq!(
            diags,
            being_typed(engine_diagnostics(&text, encoding), caret),
            "edit {n}:\n{text}"
        );
        if diags.len() != engine_diagnostics(&text, encoding).len() {
            // the trailing spaces just typed show once the edit settles
            let settled = server.diagnostics(&uri, version);
            assert_eq!(settled, engine_diagnostics(&text, encoding), "edit {n}");
        }
    }
    // the title the server sees is the title the test built
    let symbols = server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(symbols[0]["name"], "Café 🎉文字 spec");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn incremental_multibyte_edits_utf8() {
    multibyte_edits("utf-8");
}

#[test]
fn incremental_multibyte_edits_utf16() {
    multibyte_edits("utf-16");
}

#[test]
fn crlf_text_and_edits() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = scratch_spec("crlf");
    let text = SMALL_SPEC.replace('\n', "\r\n");
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, 1);
    assert_eq!(diags, engine_diagnostics(&text, "utf-16"));
    assert!(diags.iter().any(|d| d["code"] == "carriage-return"));
    // replace line 7's text; a column past the end stops before "\r\n"
    server.change(&uri, 2, [(7, 0), (7, 500)], "Plain text.");
    let lines: Vec<&str> = text.split("\r\n").collect();
    let mut edited = lines.clone();
    edited[7] = "Plain text.";
    let edited = edited.join("\r\n");
    server.expect_engine_diagnostics(&uri, 2, &edited, "utf-16");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn burst_of_500_changes_ends_with_the_final_texts_diagnostics() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = scratch_spec("burst");
    let mut text = SMALL_SPEC.to_string();
    server.open(&uri, 1, &text);
    // type 500 characters at the end of line 7 without waiting: some make the line too
    // long, a space at the very end leaves trailing whitespace
    let typed: String = "abcdé中😀xy ".chars().cycle().take(500).collect();
    let line = text.lines().nth(7).unwrap().to_string();
    let mut col: u32 = line.encode_utf16().count() as u32;
    for (n, c) in typed.chars().enumerate() {
        server.change(&uri, n as i64 + 2, [(7, col), (7, col)], &c.to_string());
        col += c.len_utf16() as u32;
    }
    let final_line = format!("{line}{typed}");
    text = text.replacen(&line, &final_line, 1);
    // the last character typed is a space: its trailing whitespace shows once the
    // typing settles
    let typing = server.diagnostics(&uri, 501);
    assert_eq!(
        typing,
        being_typed(engine_diagnostics(&text, "utf-16"), (7, col))
    );
    let last = server.diagnostics(&uri, 501);
    assert_eq!(last, engine_diagnostics(&text, "utf-16"));
    assert!(last.iter().any(|d| d["code"] == "line-too-long"));
    assert!(last.iter().any(|d| d["code"] == "trailing-whitespace"));
    // after a round trip, nothing else arrived: the newest stays the last word, and
    // everything published before it was for an older version
    server.request_ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let earlier = server.take_diagnostics();
    assert!(
        earlier
            .iter()
            .all(|m| m["params"]["version"].as_i64() < Some(501)),
        "{earlier:?}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn diagnostics_are_published_in_version_order() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("order");
    server.open(&uri, 1, SMALL_SPEC);
    for v in 2..=200 {
        server.change(&uri, v, [(7, 0), (7, 0)], "x");
    }
    let mut versions = Vec::new();
    loop {
        let m = server.wait_for("diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
        });
        let v = m["params"]["version"].as_i64().unwrap();
        versions.push(v);
        if v == 200 {
            break;
        }
    }
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn close_clears_and_reopen_republishes() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("close");
    server.open(&uri, 1, SMALL_SPEC);
    assert!(!server.diagnostics(&uri, 1).is_empty());
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let cleared = server.wait_for("cleared", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    server.open(&uri, 1, SMALL_SPEC);
    assert!(!server.diagnostics(&uri, 1).is_empty());
    // opened again without a close, same version, other text: published afresh
    let other = SMALL_SPEC.replace("中文 here.", "中文 here.  ");
    server.open(&uri, 1, &other);
    server.expect_engine_diagnostics(&uri, 1, &other, "utf-8");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn version_going_backwards_waits_for_a_full_text() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("backwards");
    server.open(&uri, 5, SMALL_SPEC);
    server.diagnostics(&uri, 5);
    server.change(&uri, 3, [(0, 0), (0, 0)], "garbage");
    server.change(&uri, 6, [(0, 0), (0, 0)], "more");
    let fixed = format!("{SMALL_SPEC}\nAppended.\n");
    server.change_full(&uri, 7, &fixed);
    server.expect_engine_diagnostics(&uri, 7, &fixed, "utf-8");
    server.wait_stderr("does not follow");
    // an edit whose range ends before it starts cannot apply: same treatment
    server.change(&uri, 8, [(3, 0), (1, 0)], "x");
    let hover = server.request_ok(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 4, "character": 0 } }),
    );
    assert_eq!(hover, Value::Null);
    server.change_full(&uri, 9, SMALL_SPEC);
    server.expect_engine_diagnostics(&uri, 9, SMALL_SPEC, "utf-8");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_change_for_an_unopened_document_with_full_text_starts_tracking_it() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("unopened");
    server.change(&uri, 1, [(0, 0), (0, 0)], "ignored");
    server.change_full(&uri, 2, SMALL_SPEC);
    server.expect_engine_diagnostics(&uri, 2, SMALL_SPEC, "utf-8");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn pull_diagnostics_report_and_unchanged() {
    let mut server = Server::with_capabilities(&["utf-8"], |caps| {
        caps["textDocument"]["diagnostic"] = json!({});
        caps["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
    });
    let uri = scratch_spec("pull");
    server.open(&uri, 1, SMALL_SPEC);
    let report = server.request_ok(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(
        report["items"],
        json!(engine_diagnostics(SMALL_SPEC, "utf-8"))
    );
    let again = server.request_ok(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": report["resultId"] }),
    );
    assert_eq!(again["kind"], "unchanged");
    server.change(&uri, 2, [(7, 0), (7, 0)], "x");
    let changed = server.request_ok(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": report["resultId"] }),
    );
    assert_eq!(changed["kind"], "full");
    // a configuration change asks the client to pull again
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "max-line-length": 10 } }),
    );
    server.wait_for("refresh", |m| m["method"] == "workspace/diagnostic/refresh");
    let refreshed = server.request_ok(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": changed["resultId"] }),
    );
    assert_eq!(refreshed["kind"], "full");
    assert!(
        refreshed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "line-too-long")
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_10_mb_document_is_served() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = scratch_spec("huge");
    let mut text = SMALL_SPEC.to_string();
    let para = "Lorem ipsum dolor sit amet, é 中文 😀 consectetur adipiscing elit.\n\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(para);
    }
    server.open(&uri, 1, &text);
    let diags = server.diagnostics(&uri, 1);
    assert!(diags.iter().any(|d| d["code"] == "missing-section"));
    server.change(&uri, 2, [(0, 0), (0, 0)], "x");
    server.diagnostics(&uri, 2);
    assert!(server.shutdown_and_exit().success());
}

/// A space typed at the end of a line is trailing whitespace only until the next
/// character: the finding the caret sits in is held back until the edit settles (a
/// second without a change) or the document is saved, then shown. Trailing whitespace
/// elsewhere shows at once, and what is finally shown is the engine's (CI's) verdict.
#[test]
fn trailing_whitespace_being_typed_shows_once_the_edit_settles() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("typing");
    // line 4 ends with a space already: not being typed
    let text = SMALL_SPEC.replace("Problem Description\n", "Problem Description \n");
    server.open(&uri, 1, &text);
    let line7 = text.lines().nth(7).unwrap().len() as u32;
    let trailing_lines = |diags: &[Value]| -> Vec<u64> {
        diags
            .iter()
            .filter(|d| d["code"] == "trailing-whitespace")
            .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(trailing_lines(&server.diagnostics(&uri, 1)), [4]);
    // typing "Text ... here. " : the space at the caret is not reported yet
    server.change(&uri, 2, [(7, line7), (7, line7)], " ");
    let started = std::time::Instant::now();
    assert_eq!(trailing_lines(&server.diagnostics(&uri, 2)), [4]);
    // ... until the edit settles: the same version again, now with it (a republish of
    // the same version before that, such as a reload's, still holds it back)
    let settled = loop {
        let diags = server.diagnostics(&uri, 2);
        if trailing_lines(&diags) != [4] {
            break diags;
        }
    };
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(trailing_lines(&settled), [4, 7]);
    let typed = text.replacen("here.\n", "here. \n", 1);
    assert_eq!(settled, engine_diagnostics(&typed, "utf-8"));
    // the next character: nothing trails; another space, then a save shows it at once
    server.change(&uri, 3, [(7, line7 + 1), (7, line7 + 1)], "x");
    assert_eq!(trailing_lines(&server.diagnostics(&uri, 3)), [4]);
    server.change(&uri, 4, [(7, line7 + 2), (7, line7 + 2)], " ");
    assert_eq!(trailing_lines(&server.diagnostics(&uri, 4)), [4]);
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(trailing_lines(&server.diagnostics(&uri, 4)), [4, 7]);
    // the save settled it: the timer has nothing left to show
    std::thread::sleep(std::time::Duration::from_millis(1300));
    assert!(server.take_diagnostics().is_empty());
    assert!(server.shutdown_and_exit().success());
}

/// Typing on before an edit settles pushes the settling later: what the caret sits in
/// shows a second after the last edit, not a second after the first.
#[test]
fn typing_on_pushes_the_settling_later() {
    let (mut server, _) = Server::initialized(&["utf-8"]);
    let uri = scratch_spec("typing-on");
    server.open(&uri, 1, SMALL_SPEC);
    let line7 = SMALL_SPEC.lines().nth(7).unwrap().len() as u32;
    let trailing = |diags: &[Value]| diags.iter().any(|d| d["code"] == "trailing-whitespace");
    assert!(!trailing(&server.diagnostics(&uri, 1)));
    server.change(&uri, 2, [(7, line7), (7, line7)], " ");
    assert!(!trailing(&server.diagnostics(&uri, 2)));
    std::thread::sleep(std::time::Duration::from_millis(600));
    server.change(&uri, 3, [(7, line7 + 1), (7, line7 + 1)], " ");
    let last = std::time::Instant::now();
    assert!(!trailing(&server.diagnostics(&uri, 3)));
    let settled = loop {
        let diags = server.diagnostics(&uri, 3);
        if trailing(&diags) {
            break diags;
        }
    };
    assert!(
        last.elapsed() >= std::time::Duration::from_millis(900),
        "settled {:?} after the last edit",
        last.elapsed()
    );
    assert!(trailing(&settled));
    assert!(server.shutdown_and_exit().success());
}

/// The same for a client that pulls diagnostics: the report while typing has its own
/// result id, and once the edit settles the client is asked to pull again.
#[test]
fn trailing_whitespace_being_typed_with_pull_diagnostics() {
    let mut server = Server::with_capabilities(&["utf-8"], |caps| {
        caps["textDocument"]["diagnostic"] = json!({});
        caps["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
    });
    let uri = scratch_spec("typing-pull");
    server.open(&uri, 1, SMALL_SPEC);
    let line7 = SMALL_SPEC.lines().nth(7).unwrap().len() as u32;
    server.change(&uri, 2, [(7, line7), (7, line7)], " ");
    let pull = |server: &mut Server, previous: &Value| {
        server.request_ok(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": previous }),
        )
    };
    let typing = pull(&mut server, &Value::Null);
    assert!(!codes(typing["items"].as_array().unwrap()).contains(&"trailing-whitespace"));
    server.wait_for("refresh", |m| m["method"] == "workspace/diagnostic/refresh");
    let settled = pull(&mut server, &typing["resultId"]);
    assert_eq!(settled["kind"], "full");
    assert!(codes(settled["items"].as_array().unwrap()).contains(&"trailing-whitespace"));
    assert!(server.shutdown_and_exit().success());
}

/// Edits that move, add and remove sections in a long spec: the server reuses the
/// previous version's parse and line index, and its diagnostics are still exactly the
/// engine's for the whole new text.
#[test]
fn structural_edits_of_a_long_spec_give_exactly_the_engines_diagnostics() {
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let uri = scratch_spec("structural");
    let mut text = trove_spec_lsp::template::BUILTIN_TEXT.to_string();
    for part in 1..40 {
        text.push_str(&format!(
            "\nPart {part}\n-------\n\nProse of part {part} with a `link`_ and *emphasis.\n\n* a\n* b\n\nCode::\n\n    x\n"
        ));
    }
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, 1);
    let middle = text.lines().count() as u32 / 2;
    let edits: Vec<([(u32, u32); 2], &str)> = vec![
        // a letter typed, then removed
        ([(middle, 0), (middle, 0)], "x"),
        ([(middle, 0), (middle, 1)], ""),
        // a new top-level section in the middle: every section after it changes parent
        ([(middle, 0), (middle, 0)], "\nNew Section\n===========\n\n"),
        // its underline shortened (a warning), then a heading's underline removed
        ([(middle + 2, 0), (middle + 2, 4)], ""),
        ([(middle + 12, 0), (middle + 13, 0)], ""),
        // an overline style not seen before, near the start
        ([(3, 0), (3, 0)], "\n*****\nOdd\n*****\n\n"),
        // a line break as CRLF, a target for the unknown reference, then a duplicate
        ([(middle, 0), (middle, 0)], "\r\n"),
        (
            [(middle + 30, 0), (middle + 30, 0)],
            "\n.. _link: https://example.org\n\n",
        ),
        ([(5, 0), (5, 0)], "\n.. _link: https://example.org\n\n"),
        // the start of the document removed
        ([(0, 0), (10, 0)], ""),
    ];
    for (n, (range, new)) in edits.into_iter().enumerate() {
        let version = n as i64 + 2;
        let edit = json!({ "range": lsp_range(range), "newText": new });
        text = apply_edits(&text, &[edit], "utf-16");
        server.change(&uri, version, range, new);
        assert_eq!(
            server.diagnostics(&uri, version),
            engine_diagnostics(&text, "utf-16"),
            "edit {n}"
        );
    }
    assert!(server.shutdown_and_exit().success());
}

/// Each edit's analysis reuses the parse of the one before, also when nothing awaited
/// that analysis (its diagnostics were published by the thread that ran it).
#[test]
fn each_edit_reuses_the_parse_before_it() {
    let mut server = Server::spawn_with(&["--log-level", "debug"]);
    server.initialize(support::capabilities(&["utf-16"]), None, None);
    let uri = "file:///tmp/specs/reuse.rst";
    let mut text = SMALL_SPEC.to_string();
    for n in 0..20 {
        text.push_str(&format!("\nParagraph {n}.\n"));
    }
    server.open(uri, 1, &text);
    server.diagnostics(uri, 1);
    let middle = text.lines().count() as u32 - 20;
    for version in 2..5 {
        server.change(uri, version, [(middle, 0), (middle, 0)], "x");
        server.diagnostics(uri, version);
    }
    // the log is written by a thread of its own: wait for the last line
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut log = server.stderr();
    while !log.contains("(version 4):") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        log = server.stderr();
    }
    for version in 2..5 {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("(version {version}):")))
            .unwrap_or_else(|| panic!("no analysis of version {version} logged:\n{log}"));
        let reused: usize = line
            .split(" (")
            .last()
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no reuse count in {line:?}"));
        assert!(
            reused > 0,
            "version {version} reused nothing: {line}\n{log}"
        );
    }
    assert!(server.shutdown_and_exit().success());
}
