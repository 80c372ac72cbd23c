//! Every rule is linear (or n log n) in the size of the text: analysing 4x a pathological
//! document must cost about 4x, never the 16x of a quadratic rule. The bound is a
//! generous ratio of the best of several timings, so a busy machine does not fail it
//! while a quadratic rule does (the heading rule once took 7.2 s for 50,000 headings).

#[path = "../benches/inputs/shapes.rs"]
mod shapes;

use std::time::{Duration, Instant};

use trove_spec_lsp::{Config, Mode, Template, analyze};

/// The time of one analysis of `text`.
fn time(text: &str, template: &Template, config: &Config) -> Duration {
    let started = Instant::now();
    std::hint::black_box(analyze(text, template, config, Mode::Spec));
    started.elapsed()
}

#[test]
fn analysis_grows_linearly_on_pathological_shapes() {
    let (template, config) = (Template::builtin(), Config::default());
    for (name, shape) in shapes::SHAPES {
        // one finding per line is cheap: more lines, so that timer noise stays small
        let unit = if name.ends_with("-lines") || name == "trailing-whitespace" {
            4_000
        } else {
            1_000
        };
        let small = shape(unit);
        let large = shape(8 * unit);
        // the best of three, interleaved so that a burst of load hits both sizes
        let (mut t1, mut t8) = (Duration::MAX, Duration::MAX);
        for _ in 0..2 {
            t1 = t1.min(time(&small, &template, &config));
            t8 = t8.min(time(&large, &template, &config));
        }
        let ratio = t8.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        eprintln!("{name}: {t1:?} -> {t8:?} ({ratio:.1}x)");
        // linear: 8x; quadratic: 64x
        assert!(
            ratio < 30.0,
            "{name}: 8x the input took {ratio:.1}x the time ({t1:?} -> {t8:?}): superlinear"
        );
    }
}

#[test]
fn findings_are_capped_per_code_with_a_summary() {
    let (template, config) = (Template::builtin(), Config::default());
    let text = shapes::trailing_whitespace(5_000);
    let findings = analyze(&text, &template, &config, Mode::Spec).findings;
    let trailing: Vec<_> = findings
        .iter()
        .filter(|f| f.code == trove_spec_lsp::Code::TrailingWhitespace)
        .collect();
    assert_eq!(
        trailing.len(),
        trove_spec_lsp::check::MAX_FINDINGS_PER_CODE + 1
    );
    let last = trailing.last().unwrap();
    assert!(
        last.message
            .starts_with("4000 more trailing-whitespace findings not shown"),
        "{}",
        last.message
    );
    // the summary sits at the last finding it stands for
    assert_eq!(last.range, text.len() - 4..text.len() - 1);
    // a spec at the cap still fails as upstream's check does
    assert_eq!(last.severity, trove_spec_lsp::Severity::Error);
}

#[test]
fn docutils_findings_are_capped_per_code_too() {
    let (template, config) = (Template::builtin(), Config::default());
    // 1,500 unknown target names and 1,500 unclosed emphases, one paragraph each
    let text = "a_\n\n*b\n\n".repeat(1_500);
    let findings = analyze(&text, &template, &config, Mode::Plain).findings;
    for (code, name) in [
        (trove_spec_lsp::Code::RstReference, "rst-reference"),
        (trove_spec_lsp::Code::RstInline, "rst-inline"),
    ] {
        let of_code: Vec<_> = findings.iter().filter(|f| f.code == code).collect();
        assert_eq!(
            of_code.len(),
            trove_spec_lsp::check::MAX_FINDINGS_PER_CODE + 1,
            "{name}"
        );
        let summary = format!("500 more {name} findings not shown");
        assert!(
            of_code.iter().any(|f| f.message.starts_with(&summary)),
            "{name}: no summary"
        );
    }
}
