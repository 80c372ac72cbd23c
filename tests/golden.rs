//! Acceptance: for every file docutils 0.21.2 parsed in `tests/corpus/*/golden.jsonl`,
//! `rst::parse` yields the same document title and section tree (titles, nesting,
//! docutils' line), and the same heading-related messages. Fails listing every mismatch.

mod support;

use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use trove_spec_lsp::rst;

/// docutils messages about titles, sections and transitions (the others come from
/// docutils not knowing Sphinx roles and directives, and are not ours to reproduce).
fn is_heading_message(text: &str) -> bool {
    const MARKERS: [&str; 10] = [
        "title underline",
        "Title underline",
        "Title overline",
        "Title level inconsistent",
        "Unexpected section title",
        "overline",
        "transition",
        "Incomplete section title",
        "Possible incomplete section title",
        "section title",
    ];
    MARKERS.iter().any(|m| text.contains(m))
}

#[test]
fn every_golden_tree_matches_docutils() {
    let mut checked = 0;
    let mut mismatches = Vec::new();
    let mut repos: Vec<_> = fs::read_dir(support::corpus())
        .expect("corpus directory")
        .flatten()
        .collect();
    repos.sort_by_key(|e| e.path());
    for repo in repos {
        let golden = repo.path().join("golden.jsonl");
        let Ok(text) = fs::read_to_string(&golden) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            let entry: Value = serde_json::from_str(line).expect("golden line is JSON");
            let file = entry["file"].as_str().expect("file");
            let path = repo.path().join(file);
            let where_ = format!("{}:{} ({})", golden.display(), n + 1, file);
            let Ok(source) = fs::read_to_string(Path::new(&path)) else {
                mismatches.push(format!("{where_}: cannot read {}", path.display()));
                continue;
            };
            checked += 1;
            let outline = rst::parse(&source);
            // The very line `outline --format json` prints, read back.
            let printed = serde_json::to_string(&outline.golden(file)).expect("serializes");
            let golden: Value = serde_json::from_str(&printed).expect("JSON");
            if golden["file"] != entry["file"] {
                mismatches.push(format!("{where_}: file {}", golden["file"]));
            }
            let title = golden["title"].as_str();
            if json!(title) != entry["title"] {
                mismatches.push(format!(
                    "{where_}: title {:?}, docutils {}",
                    title, entry["title"]
                ));
            }
            let ours = &golden["sections"];
            if *ours != entry["sections"] {
                mismatches.push(format!(
                    "{where_}: sections differ\n  ours:     {ours}\n  docutils: {}",
                    entry["sections"]
                ));
            }
            let theirs: Vec<(u64, u64, String)> = entry["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .filter(|m| is_heading_message(m["message"].as_str().unwrap_or("")))
                .map(|m| {
                    let text = m["message"].as_str().unwrap_or("");
                    (
                        m["level"].as_u64().unwrap_or(0),
                        m["line"].as_u64().unwrap_or(0),
                        text.lines().next().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            let ours: Vec<(u64, u64, String)> = outline
                .messages
                .iter()
                .filter(|m| is_heading_message(&m.text))
                .map(|m| {
                    (
                        u64::from(m.level),
                        m.line as u64,
                        m.text.lines().next().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            let mut theirs_sorted = theirs.clone();
            theirs_sorted.sort();
            let mut ours_sorted = ours.clone();
            ours_sorted.sort();
            if ours_sorted != theirs_sorted {
                mismatches.push(format!(
                    "{where_}: messages differ\n  ours:     {ours:?}\n  docutils: {theirs:?}"
                ));
            }
        }
    }
    assert!(
        checked > 0,
        "no golden entries found under {}",
        support::corpus().display()
    );
    eprintln!("{checked} golden files compared");
    assert!(
        mismatches.is_empty(),
        "{} of {checked} files disagree with docutils:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
