//! The language features on small workspaces written as fixtures (`%! path`, `$0`
//! cursor, `^^^` ranges; see `support/fixture.rs`), served in process by the same
//! `LspService` the binary runs, with snapshot assertions (`expect-test`;
//! `UPDATE_EXPECT=1 cargo test --test lsp_fixtures` rewrites them).

#[path = "support/fixture.rs"]
mod fixture;
mod support;

use expect_test::{Expect, expect};
use fixture::{InProcess, annotate};
use serde_json::{Value, json};

/// Completion items at the cursor: label, detail, sort text, inserted text.
fn check_completion(name: &str, fixture: &str, expect: Expect) {
    let mut server = InProcess::start(name, fixture);
    let position = server.fixture.position();
    let result = server.request("textDocument/completion", position);
    let items = result.as_array().cloned().unwrap_or_default();
    let rendered: Vec<String> = items
        .iter()
        .map(|item| {
            format!(
                "{} | {} | {} | {:?}",
                item["label"].as_str().unwrap(),
                item["detail"].as_str().unwrap_or(""),
                item["sortText"].as_str().unwrap_or(""),
                item["textEdit"]["newText"].as_str().unwrap_or(""),
            )
        })
        .collect();
    expect.assert_eq(&rendered.join("\n"));
}

/// The hover at the cursor: its range marked in the document, then its Markdown.
fn check_hover(name: &str, fixture: &str, expect: Expect) {
    let mut server = InProcess::start(name, fixture);
    let position = server.fixture.position();
    let file = server.fixture.cursor.unwrap().0;
    let hover = server.request("textDocument/hover", position);
    let rendered = match hover {
        Value::Null => "no hover".to_string(),
        hover => format!(
            "{}---\n{}",
            annotate(
                server.text(file),
                &[(hover["range"].clone(), "hover".into())]
            ),
            hover["contents"]["value"].as_str().unwrap()
        ),
    };
    expect.assert_eq(&rendered);
}

/// The document with each code action for the first `^^^` range that fixes a finding
/// of `code` applied in turn.
fn check_code_actions(name: &str, fixture: &str, code: &str, expect: Expect) {
    let mut server = InProcess::start(name, fixture);
    let file = server.fixture.ranges[0].0;
    let params = json!({
        "textDocument": { "uri": server.fixture.uri(file) },
        "range": server.fixture.range(0),
        "context": { "diagnostics": [] },
    });
    let actions = server.request("textDocument/codeAction", params);
    let uri = server.fixture.uri(file);
    let mut out = String::new();
    let fixes = |a: &&Value| a["diagnostics"][0]["code"] == code;
    for action in actions.as_array().unwrap().iter().filter(fixes) {
        let edits = action["edit"]["changes"][&uri].as_array().unwrap();
        out.push_str(&format!(
            "== {} ({})\n{}",
            action["title"].as_str().unwrap(),
            action["kind"].as_str().unwrap(),
            support::apply_edits(server.text(file), edits, "utf-16")
        ));
    }
    expect.assert_eq(&out);
}

const SPEC: &str = "\
%! specs/pike/a.rst
==========
 A spec
==========

Problem Description
===================

None

Proposed Changes
================

None
";

#[test]
fn diagnostics_are_annotated_under_their_lines() {
    let mut server = InProcess::start("fx-diagnostics", SPEC);
    expect![[r#"
        ==========
         A spec
        ==========

        Problem Description
        ===================

        None

        Proposed Changes
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Configuration' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Database' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Public API' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Public API Security' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Python API' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'CLI (python-troveclient)' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Internal API' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Guest Agent' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ missing-subsection: add subsection 'Alternatives' to 'Proposed Changes' (to line 11)
        ^^^^^^^^^^^^^^^^ title-mismatch: did you mean 'Proposed Change'? Section titles must match the template's exactly (to line 11)
        ================

        None
    "#]].assert_eq(&server.diagnostics(0));
}

#[test]
fn hover_on_a_near_miss_names_the_title_the_diagnostic_names() {
    check_hover(
        "fx-hover-near-miss",
        &SPEC.replace("Proposed Changes\n", "Proposed Changes$0\n"),
        expect![[r#"
            ==========
             A spec
            ==========

            Problem Description
            ===================

            None

            Proposed Changes
            ^^^^^^^^^^^^^^^^ hover (to line 11)
            ================

            None
            ---
            ### Proposed Changes

            The template has no section of this name. Did you mean **Proposed Change**?"#]],
    );
}

#[test]
fn hover_on_a_template_heading_shows_its_guidance() {
    check_hover(
        "fx-hover-guidance",
        &SPEC.replace("Problem Description\n", "Problem $0Description\n"),
        expect![[r#"
            ==========
             A spec
            ==========

            Problem Description
            ^^^^^^^^^^^^^^^^^^^ hover (to line 6)
            ===================

            None

            Proposed Changes
            ================

            None
            ---
            ### Problem Description

            Section 1 of 10 in the built-in Trove template (line 41).

            ---

            A detailed description of the problem."#]],
    );
}

#[test]
fn hover_below_the_headings_says_nothing() {
    check_hover(
        "fx-hover-nothing",
        &SPEC.replace("\nNone\n\nProposed", "\nNo$0ne\n\nProposed"),
        expect!["no hover"],
    );
}

#[test]
fn completion_at_a_line_start_offers_the_missing_sections_expected_first() {
    check_completion(
        "fx-completion-sections",
        &SPEC.replace("\nNone\n\nProposed", "\nNone\n\nDe$0\n\nProposed"),
        expect![[r#"
            Proposed Change | template section | 1 | "Proposed Change\n===============\n\n"
            Upgrade Implications | template section | 2004000 | "Upgrade Implications\n====================\n\n"
            Dependencies | template section | 2005000 | "Dependencies\n============\n\n"
            Documentation Impact | template section | 2007000 | "Documentation Impact\n====================\n\n""#]],
    );
}

#[test]
fn completion_on_an_underline_offers_the_exact_width() {
    check_completion(
        "fx-completion-underline",
        "%! specs/pike/a.rst\nA spec\n\nTesting\n===$0\n",
        expect![[r#"======= | section, 7 columns | 0 | "=======""#]],
    );
}

#[test]
fn code_actions_on_a_near_miss_rename_it() {
    check_code_actions(
        "fx-actions-rename",
        &SPEC.replace("Proposed Changes\n", "Proposed Changes\n^^^^^^^^^^^^^^^^\n"),
        "title-mismatch",
        expect![[r#"
            == Rename to 'Proposed Change' (quickfix)
            ==========
             A spec
            ==========

            Problem Description
            ===================

            None

            Proposed Change
            ================

            None
        "#]],
    );
}

#[test]
fn code_actions_on_a_short_underline_lengthen_it() {
    check_code_actions(
        "fx-actions-underline",
        "%! specs/pike/a.rst\nText\n\nProblem Description\n===========\n^^^^^\n\nNone\n",
        "heading-underline",
        expect![[r#"
            == Lengthen the underline to 19 characters (quickfix)
            Text

            Problem Description
            ===================

            None
        "#]],
    );
}

/// A workspace with its own template and configuration; "Overveiw" is too far from
/// "Overview" to be a near miss (normalized similarity 0.75 < 0.8).
const WORKSPACE: &str = "\
%! trove-spec-lsp.toml
[severity]
section-order = \"off\"

%! specs/template.rst
=======
 Title
=======

Overview
========

Say what.

Design
======

Say how.

%! specs/pike/a.rst
=======
 Mine
=======

Design
======

Like this.

Overveiw
========

Like that.
";

#[test]
fn a_workspace_template_and_configuration_apply() {
    let mut server = InProcess::start("fx-workspace", WORKSPACE);
    expect![[r#"
        =======
         Mine
        =======

        Design
        ^^^^^^ missing-section: add section 'Overview' before 'Design' (to line 6)
        ======

        Like this.

        Overveiw
        ^^^^^^^^ extra-section: section 'Overveiw' is not in the template; the closest is 'Overview': rename it, or make it a subsection of a template section (extra subsections are allowed) (to line 11)
        ========

        Like that.
    "#]].assert_eq(&server.diagnostics(2));
}

#[test]
fn hover_and_diagnostics_agree_on_what_is_not_a_near_miss() {
    check_hover(
        "fx-hover-far",
        &WORKSPACE.replace("Overveiw\n", "Over$0veiw\n"),
        expect![[r#"
            =======
             Mine
            =======

            Design
            ======

            Like this.

            Overveiw
            ^^^^^^^^ hover (to line 11)
            ========

            Like that.
            ---
            ### Overveiw

            The template has no section of this name."#]],
    );
}

#[test]
fn hover_names_a_workspace_template_by_its_file_not_its_absolute_path() {
    check_hover(
        "fx-hover-template-path",
        &WORKSPACE.replace("Design\n======\n\nLike", "Des$0ign\n======\n\nLike"),
        expect![[r#"
            =======
             Mine
            =======

            Design
            ^^^^^^ hover (to line 6)
            ======

            Like this.

            Overveiw
            ========

            Like that.
            ---
            ### Design

            Section 2 of 2 in `template.rst` (line 10).

            ---

            Say how."#]],
    );
}

#[test]
fn hover_on_the_last_line_shows_the_sections_missing_at_the_end() {
    check_hover(
        "fx-hover-end",
        &SPEC.replace(
            "Proposed Changes\n================\n\nNone\n",
            "Proposed Changes\n================\n\nNo$0ne\n",
        ),
        expect![[r#"
            ==========
             A spec
            ==========

            Problem Description
            ===================

            None

            Proposed Changes
            ================

            None
            ---
            Missing here: **Dashboard Impact (UX)**, **Implementation**, **Upgrade Implications**, **Dependencies**, **Testing**, **Documentation Impact**, **References**, **Appendix**.

            ### Dashboard Impact (UX)

            Section 3 of 10 in the built-in Trove template (line 138).

            ---

            This section should detail how the dashboard (Horizon) should display the new
            changes, if relevant.  For example, if adding cluster support for Redis, this
            section could say:

            ```
            Enabling Redis clustering will simply reuse the existing Launch Cluster
            dialog. The Redis datastore will be in the datastore pulldown. When the
            user selects Redis the Launch Cluster dialog fields will dynamically
            change to display the default Launch Cluster fields.

            There will be a new detail overview panel with Redis cluster specific
            information.

            There are no additional actions to be added at this point for the Redis
            cluster.
            ```"#]],
    );
}
