//! Fixes never break the markup: on every corpus spec (the real ones, the mutated ones,
//! and each with CRLF line ends), applying any one fix the engine offers leaves no
//! `heading-structure` finding, and no docutils message (`rst-*`), that was not there
//! before. And a report without fixes has the same findings.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use trove_spec_lsp::check::{Fixes, apply_edits};
use trove_spec_lsp::codes::Code;
use trove_spec_lsp::template::{self, Template};
use trove_spec_lsp::{Config, Mode, analyze, findings_in};

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

/// The corpus specs, real and mutated, each with the file its template is discovered
/// for (a mutated spec's is the real one it was made from).
fn corpus_specs() -> Vec<(PathBuf, PathBuf)> {
    let corpus = support::corpus();
    let mut files = Vec::new();
    for repo in ["trove-specs", "keystone-specs"] {
        specs(&corpus.join(repo).join("specs"), &mut files);
    }
    let mut specs: Vec<(PathBuf, PathBuf)> = files.into_iter().map(|f| (f.clone(), f)).collect();
    let mutations = std::fs::read_to_string(corpus.join("mutations/mutations.jsonl")).unwrap();
    for row in mutations.lines() {
        let row: serde_json::Value = serde_json::from_str(row).unwrap();
        let file = corpus.join("mutations").join(row["file"].as_str().unwrap());
        specs.push((file, corpus.join(row["base"].as_str().unwrap())));
    }
    specs
}

/// The template of a spec discovered for `base`, parsed once per template.
fn template_for<'t>(
    templates: &'t mut HashMap<template::TemplateSource, Template>,
    base: &Path,
) -> &'t Template {
    let source = template::discover(base, None, Path::is_file);
    templates
        .entry(source.clone())
        .or_insert_with(|| Template::from_source(&source, &Default::default()).unwrap())
}

#[test]
fn no_fix_leaves_new_heading_structure_errors_or_docutils_messages() {
    let config = Config::default();
    let mut templates: HashMap<template::TemplateSource, Template> = HashMap::new();
    let (mut fixes, mut broken) = (0, Vec::new());
    for (file, base) in &corpus_specs() {
        let template = template_for(&mut templates, base);
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

/// A report that shows no fix gets the findings of a full analysis, but for the fixes of
/// missing sections and subsections (`findings_in`: `check` without `--fix`).
#[test]
fn findings_without_fixes_are_the_findings() {
    let config = Config::default();
    let mut templates: HashMap<template::TemplateSource, Template> = HashMap::new();
    let missing = [Code::MissingSection, Code::MissingSubsection];
    let mut without = 0;
    for (file, base) in &corpus_specs() {
        let template = template_for(&mut templates, base);
        let lf = std::fs::read_to_string(file).unwrap();
        for text in [lf.clone(), lf.replace('\n', "\r\n")] {
            let mut all = analyze(&text, template, &config, Mode::Spec).findings;
            for f in &mut all {
                if missing.contains(&f.code) && !f.fixes.is_empty() {
                    f.fixes = Fixes::None;
                    without += 1;
                }
            }
            let found = findings_in(&text, || Ok::<_, ()>(template), &config, Mode::Spec, None);
            assert_eq!(found, Ok(all), "{}", file.display());
        }
    }
    assert!(without > 100, "only {without} fixes left out");
}
