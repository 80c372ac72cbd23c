//! Parse + check throughput: the whole corpus (and its parse and its rules alone, to
//! tell the two apart), its largest spec, and the generated 10,000-line spec
//! (`inputs`), also after one keystroke with the previous parse reused; and
//! pathological markup at 1x, 4x and 16x (100k `*`, backticks, `|`; lists nested deep; a
//! huge grid table), which must scale linearly. Run: `cargo bench --bench engine --
//! --warm-up-time 1 --measurement-time 3`.

mod inputs;
#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use inputs::generated_spec;
use trove_spec_lsp::check;
use trove_spec_lsp::template::Template;
use trove_spec_lsp::{Config, Mode, analyze, analyze_reusing};

/// The binary's allocator (`src/main.rs`), so the timings are the binary's.
#[global_allocator]
static ALLOCATOR: trove_spec_lsp::alloc::Mimalloc = trove_spec_lsp::alloc::Mimalloc;

/// Every spec of the corpus with the index of its repository's template, and the
/// templates.
fn corpus() -> (Vec<(String, usize)>, Vec<Template>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rst")
                && p.file_name().is_some_and(|n| n != "template.rst")
            {
                out.push(p);
            }
        }
    }
    let mut specs = Vec::new();
    let mut repos: Vec<PathBuf> = std::fs::read_dir(support::corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("specs/template.rst").is_file())
        .collect();
    repos.sort();
    let mut templates = Vec::new();
    for (i, repo) in repos.iter().enumerate() {
        templates.push(repo.join("specs/template.rst"));
        let mut files = Vec::new();
        walk(&repo.join("specs"), &mut files);
        specs.extend(
            files
                .into_iter()
                .map(|f| (std::fs::read_to_string(f).unwrap(), i)),
        );
    }
    let templates = templates
        .iter()
        .map(|p| Template::load(p, &Default::default()).unwrap())
        .collect();
    (specs, templates)
}

fn bench(c: &mut Criterion) {
    let config = Config::default();
    let (specs, templates) = corpus();
    let total: usize = specs.iter().map(|(s, _)| s.len()).sum();

    let mut group = c.benchmark_group("parse+check");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("corpus ({} specs)", specs.len()), |b| {
        b.iter(|| {
            for (text, t) in &specs {
                black_box(analyze(text, &templates[*t], &config, Mode::Spec));
            }
        })
    });

    group.bench_function("corpus, parse only", |b| {
        b.iter(|| {
            for (text, _) in &specs {
                black_box(trove_spec_lsp::rst::parse(text));
            }
        })
    });

    let parsed: Vec<_> = specs
        .iter()
        .map(|(text, _)| trove_spec_lsp::rst::parse(text))
        .collect();
    group.bench_function("corpus, rules only", |b| {
        b.iter(|| {
            for ((text, t), outline) in specs.iter().zip(&parsed) {
                black_box(check::run(
                    text,
                    (outline, None),
                    &templates[*t],
                    &config,
                    Mode::Spec,
                    None,
                    true,
                ));
            }
        })
    });

    let (largest, t) = specs.iter().max_by_key(|(s, _)| s.len()).unwrap();
    group.throughput(Throughput::Bytes(largest.len() as u64));
    group.bench_function("largest spec", |b| {
        b.iter(|| black_box(analyze(largest, &templates[*t], &config, Mode::Spec)))
    });

    let big = generated_spec(10_000);
    let builtin = Template::builtin();
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("generated 10,000-line spec", |b| {
        b.iter(|| black_box(analyze(&big, &builtin, &config, Mode::Spec)))
    });
    group.finish();

    // What the server does per keystroke: the text with one letter typed at the start
    // of its middle line, analysed reusing the parse of the text before.
    let mut group = c.benchmark_group("one keystroke, reusing the previous parse");
    let mid = big.len() / 2;
    let at = mid + big[mid..].find('\n').unwrap() + 1;
    let typed = format!("{}x{}", &big[..at], &big[at..]);
    let (_, before) = trove_spec_lsp::rst::parse_reusing(&big, None);
    group.throughput(Throughput::Bytes(typed.len() as u64));
    group.bench_function("generated 10,000-line spec", |b| {
        b.iter(|| {
            black_box(analyze_reusing(
                &typed,
                &builtin,
                &config,
                Mode::Spec,
                None,
                Some(&before),
            ))
        })
    });
    group.bench_function("generated 10,000-line spec, parse only", |b| {
        b.iter(|| black_box(trove_spec_lsp::rst::parse_reusing(&typed, Some(&before))))
    });
    group.finish();
}

/// Pathological inputs at `n` units: unclosed inline markup, deep lists, a huge table.
fn pathological(n: usize) -> Vec<(&'static str, String)> {
    let deep: String = (0..n / 100)
        .map(|d| format!("{}- item\n\n", "  ".repeat(d % 200)))
        .collect();
    let row = "| cell | cell | cell |\n+------+------+------+\n";
    vec![
        ("stars", "*".repeat(n)),
        ("unclosed emphasis", "*a ".repeat(n / 3)),
        ("backticks", "`".repeat(n)),
        ("unclosed roles", ":r:`a ".repeat(n / 6)),
        ("bars", "| ".repeat(n / 2)),
        // every reference unknown, every target a duplicate, `<` without `>`
        (
            "references",
            format!(
                "{}\n\n{}",
                "a_ `b <c`_ [1]_ |d| e__ ".repeat(n / 24),
                ".. _t: http://x/\n.. _t: http://y/\n".repeat(n / 36)
            ),
        ),
        ("deep lists", deep),
        (
            "grid table",
            format!("+------+------+------+\n{}", row.repeat(n / 50)),
        ),
    ]
}

fn scaling(c: &mut Criterion) {
    let config = Config::default();
    let builtin = Template::builtin();
    let mut group = c.benchmark_group("pathological");
    for scale in [1, 4, 16] {
        for (name, text) in pathological(100_000 * scale / 16) {
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(format!("{name} {scale}x"), |b| {
                b.iter(|| black_box(analyze(&text, &builtin, &config, Mode::Plain)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, scaling);
criterion_main!(benches);
