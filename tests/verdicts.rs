//! Upstream parity: for every spec in `tests/corpus/*/verdicts.jsonl`, the check
//! with the template named there finds exactly what upstream CI (docutils +
//! trove-specs' test_titles.py) found: missing and extra top-level titles (a
//! title-mismatch or section-level finding standing for the pair it replaces), missing
//! subsections, over-long lines and trailing spaces. Upstream reads specs with universal
//! newlines, so each spec is also checked with CRLF line ends: the verdict must not
//! change (a carriage return is a warning, never an error).

mod support;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use trove_spec_lsp::check::Finding;
use trove_spec_lsp::codes::{Code, Severity};
use trove_spec_lsp::config::Asked;
use trove_spec_lsp::template::{self, Template, TemplateSource};
use trove_spec_lsp::{Config, Mode, analyze};

/// What upstream reports, as sets.
#[derive(Debug, Default, PartialEq)]
struct Verdict {
    missing: BTreeSet<String>,
    extra: BTreeSet<String>,
    missing_sub: BTreeSet<(String, String)>,
    long_lines: Vec<usize>,
    trailing: Vec<usize>,
    /// Errors of a kind upstream does not report (none may exist on a verdict row).
    other_errors: Vec<Code>,
    /// A level set with the wrong adornment: one section-level finding (no place) stands
    /// for the whole cascade upstream reports, so only that upstream reports one counts.
    shifted: bool,
}

impl Verdict {
    /// Whether `ours` says what upstream (`self`) says.
    fn agrees(&self, ours: &Verdict) -> bool {
        if !ours.shifted {
            return self == ours;
        }
        let cascade =
            !(self.missing.is_empty() && self.extra.is_empty() && self.missing_sub.is_empty());
        cascade
            && ours.missing.is_subset(&self.missing)
            && ours.extra.is_subset(&self.extra)
            && ours.missing_sub.is_subset(&self.missing_sub)
            && self.long_lines == ours.long_lines
            && self.trailing == ours.trailing
            && self.other_errors == ours.other_errors
    }
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn lines(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap() as usize)
        .collect()
}

fn upstream(row: &Value) -> Verdict {
    Verdict {
        missing: strings(&row["missing"]),
        extra: strings(&row["extra"]),
        missing_sub: row["missing_sub"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_str().unwrap().to_string(),
                )
            })
            .collect(),
        long_lines: lines(&row["long_lines"]),
        trailing: lines(&row["trailing"]),
        other_errors: Vec::new(),
        shifted: false,
    }
}

/// Whether `findings` report the section `title` missing (or misnamed: `title` is the
/// template's title or the near miss written for it).
fn missing_parent(findings: &[Finding], title: &str) -> bool {
    findings.iter().any(|f| match f.code {
        Code::MissingSection => f.data.section.as_deref() == Some(title),
        Code::TitleMismatch => {
            f.data.parent.is_none()
                && [&f.data.expected, &f.data.section].contains(&&Some(title.to_string()))
        }
        _ => false,
    })
}

/// Whether `findings` report the section written as `title` as a near miss: upstream
/// does not look into it (it is extra there), we check its subsections as the template
/// section's.
fn misnamed(findings: &[Finding], title: &str) -> bool {
    (findings.iter()).any(|f| {
        f.code == Code::TitleMismatch
            && f.data.parent.is_none()
            && f.data.section.as_deref() == Some(title)
    })
}

/// Whether `findings` report the template section `title` written below the top level:
/// upstream reports it missing and does not look into it, we check the subsections its
/// move to the top level takes along as its own.
fn nested(findings: &[Finding], title: &str) -> bool {
    (findings.iter()).any(|f| {
        f.code == Code::SectionLevel
            && f.data.parent.is_some()
            && f.data.expected.is_none()
            && f.data.section.as_deref() == Some(title)
    })
}

/// Our findings as upstream would have reported them.
fn ours(text: &str, findings: &[Finding]) -> Verdict {
    let mut v = Verdict::default();
    // (a subsection held by a section written at the top level is reported missing from
    // its section before that section is added: upstream does not look into a missing one)
    let missing_sub = |v: &mut Verdict, parent: String, section: String| {
        if !misnamed(findings, &parent)
            && !nested(findings, &parent)
            && !missing_parent(findings, &parent)
        {
            v.missing_sub.insert((parent, section));
        }
    };
    let line = |f: &Finding| 1 + text[..f.range.start].matches('\n').count();
    for f in findings {
        let section = f.data.section.clone().unwrap_or_default();
        let parent = f.data.parent.clone();
        let expected = f.data.expected.clone();
        match f.code {
            Code::MissingSection => {
                v.missing.insert(section);
            }
            Code::ExtraSection => {
                v.extra.insert(section);
            }
            Code::MissingSubsection => missing_sub(&mut v, parent.unwrap(), section),
            Code::TitleMismatch => match parent {
                None => {
                    v.missing.insert(expected.unwrap());
                    v.extra.insert(section);
                }
                Some(p) => missing_sub(&mut v, p, expected.unwrap()),
            },
            Code::SectionLevel => match (parent, expected) {
                // a subsection written at the top level: extra there, and missing from
                // its section (when that section is there: upstream does not look into
                // a missing one)
                (None, Some(p)) => {
                    v.extra.insert(section.clone());
                    if !missing_parent(findings, &p) {
                        v.missing_sub.insert((p, section));
                    }
                }
                (Some(_), None) => {
                    v.missing.insert(section);
                }
                (Some(_), Some(p)) => missing_sub(&mut v, p, section),
                (None, None) => v.shifted = true,
            },
            Code::LineTooLong => v.long_lines.push(line(f)),
            Code::TrailingWhitespace => v.trailing.push(line(f)),
            _ if f.severity == Severity::Error => v.other_errors.push(f.code),
            _ => {}
        }
    }
    v
}

#[test]
fn every_verdict_row_agrees_with_upstream() {
    disagreements_with(|_| Config::default());
}

/// With `preset = "trove"` and `preset = "keystone"`: the same verdicts, and the preset
/// selects exactly the files upstream checks.
#[test]
fn presets_agree_with_upstream_and_select_its_files() {
    disagreements_with(|repo| {
        let name = repo.file_name().unwrap().to_str().unwrap();
        let preset = name.strip_suffix("-specs").unwrap();
        let file = repo.join("trove-spec-lsp.toml");
        Config::from_toml(&format!("preset = {preset:?}"), &file).unwrap()
    });
    for repo in repos() {
        let name = repo.file_name().unwrap().to_str().unwrap();
        let preset = name.strip_suffix("-specs").unwrap();
        let config =
            Config::from_toml(&format!("preset = {preset:?}"), &repo.join("x.toml")).unwrap();
        let mut selected: Vec<String> = walkdir::WalkDir::new(repo.join("specs"))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.is_file() && config.check_as(p, Asked::Walk) == Some(Mode::Spec))
            .map(|p| p.strip_prefix(&repo).unwrap().display().to_string())
            .collect();
        selected.sort();
        let verdicts = std::fs::read_to_string(repo.join("verdicts.jsonl")).unwrap();
        let mut upstream: Vec<String> = verdicts
            .lines()
            .map(|row| {
                serde_json::from_str::<Value>(row).unwrap()["file"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        upstream.sort();
        assert_eq!(selected, upstream, "{name}");
    }
}

fn repos() -> Vec<PathBuf> {
    let mut repos: Vec<PathBuf> = std::fs::read_dir(support::corpus())
        .expect("corpus beside the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("verdicts.jsonl").is_file())
        .collect();
    repos.sort();
    repos
}

/// Check every verdict row with the configuration `config_for` gives its repository
/// (resolved for the spec's path).
fn disagreements_with(config_for: impl Fn(&Path) -> Config) {
    let mut templates: HashMap<PathBuf, Template> = HashMap::new();
    let (mut rows, mut disagreements) = (0, Vec::new());
    for repo in &repos() {
        let repo_config = config_for(repo);
        let verdicts = std::fs::read_to_string(repo.join("verdicts.jsonl")).unwrap();
        for row in verdicts.lines() {
            let row: Value = serde_json::from_str(row).unwrap();
            rows += 1;
            let file = repo.join(row["file"].as_str().unwrap());
            let config = repo_config.for_path(&file);
            let template_path = repo.join(row["template"].as_str().unwrap());
            let found = template::discover(&file, None, Path::is_file);
            if found != TemplateSource::File(template_path.clone()) {
                disagreements.push(format!("{}: discovered {found:?}", file.display()));
            }
            let template = templates
                .entry(template_path.clone())
                .or_insert_with(|| Template::load(&template_path, &Default::default()).unwrap());
            let lf = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                row["cr"],
                0,
                "{}: upstream never sees a \\r",
                file.display()
            );
            let crlf = lf.replace('\n', "\r\n");
            for (endings, text) in [("LF", &lf), ("CRLF", &crlf)] {
                let analysis = analyze(text, template, &config, Mode::Spec);
                let (want, got) = (upstream(&row), ours(text, &analysis.findings));
                if !want.agrees(&got) {
                    disagreements.push(format!(
                        "{} ({endings}):\n  upstream {want:?}\n  ours     {got:?}",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(
        rows >= 190,
        "only {rows} verdict rows found under {}",
        support::corpus().display()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {rows} rows disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
