//! Fixes never break the markup: on every corpus spec (the real ones, the mutated ones,
//! and each with CRLF line ends), applying any one fix the engine offers leaves no
//! `heading-structure` finding, and no docutils message (`rst-*`), that was not there
//! before.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use trove_spec_lsp::check::apply_edits;
use trove_spec_lsp::codes::Code;
use trove_spec_lsp::template::{self, Template};
use trove_spec_lsp::{Config, Mode, analyze};

/// Every `*.rst` under `dir` that is not a template, sorted.
fn specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            specs(&path, out);
        } else if name.ends_with(".rst") && !name.ends_with("template.rst") {
            out.push(path);
        }
    }
}

/// The heading-structure findings and docutils' messages about `text`.
fn structure_errors(text: &str, template: &Template, config: &Config) -> usize {
    analyze(text, template, config, Mode::Spec)
        .findings
        .iter()
        .filter(|f| f.code == Code::HeadingStructure || f.code.as_str().starts_with("rst-"))
        .count()
}

#[test]
fn no_fix_leaves_new_heading_structure_errors_or_docutils_messages() {
    let corpus = support::corpus();
    let mut files = Vec::new();
    for repo in ["trove-specs", "keystone-specs"] {
        specs(&corpus.join(repo).join("specs"), &mut files);
    }
    let mutations = std::fs::read_to_string(corpus.join("mutations/mutations.jsonl")).unwrap();
    let mut bases = HashMap::new();
    for row in mutations.lines() {
        let row: serde_json::Value = serde_json::from_str(row).unwrap();
        let file = corpus.join("mutations").join(row["file"].as_str().unwrap());
        bases.insert(file.clone(), corpus.join(row["base"].as_str().unwrap()));
        files.push(file);
    }
    let config = Config::default();
    let mut templates: HashMap<template::TemplateSource, Template> = HashMap::new();
    let (mut fixes, mut broken) = (0, Vec::new());
    for file in &files {
        let base = bases.get(file).unwrap_or(file);
        let source = template::discover(base, None, Path::is_file);
        let template = templates
            .entry(source.clone())
            .or_insert_with(|| Template::from_source(&source, &Default::default()).unwrap());
        let lf = std::fs::read_to_string(file).unwrap();
        for text in [lf.clone(), lf.replace('\n', "\r\n")] {
            let before = structure_errors(&text, template, &config);
            for finding in analyze(&text, template, &config, Mode::Spec).findings {
                for fix in finding.fixes(&text).iter() {
                    fixes += 1;
                    let fixed = apply_edits(&text, &fix.edits);
                    let after = structure_errors(&fixed, template, &config);
                    if after > before {
                        broken.push(format!(
                            "{}: '{}' for {:?} at {:?}: {before} -> {after}",
                            file.display(),
                            fix.title,
                            finding.code,
                            finding.range
                        ));
                    }
                }
            }
        }
    }
    assert!(fixes > 1000, "only {fixes} fixes tried");
    assert!(
        broken.is_empty(),
        "{} of {fixes} fixes add heading-structure errors or docutils messages:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
