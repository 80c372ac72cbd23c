//! Language-server latency over real stdio: the time from sending a one-character
//! `didChange` to receiving its `publishDiagnostics`, for the corpus's largest spec and
//! for a generated 10,000-line spec; and the server's peak memory with 200 specs open.
//!
//! Run: `cargo bench --bench lsp_latency` (release build of the real binary).
//!
//! The client reads the server's messages on the thread that times them, as an editor's
//! event loop reads them (`Server::spawn_direct`): a reading thread of the harness's own
//! would add its own wake-up to every round trip.
//!
//! Criterion measures the round trip (`iter_custom`, so its statistics and run-to-run
//! comparisons apply). Criterion reports central estimates only, so the same binary then
//! records 1,000 individual edits per document and prints their median and p99, and
//! reads the server's `VmHWM` from `/proc/<pid>/status` after opening 200 specs.

mod inputs;
#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use inputs::generated_spec;
use support::{Server, corpus, file_uri, scratch_dir};

/// The specs of the corpus's spec repositories (not the mutations).
fn corpus_specs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(corpus()).sort_by_file_name();
    for entry in walk
        .into_iter()
        .filter_entry(|e| e.file_name() != "mutations")
    {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rst")
            && !trove_spec_lsp::template::is_template(path)
        {
            out.push(path.canonicalize().unwrap());
        }
    }
    out
}

/// A server with one document open, edited one character at a time.
struct Session {
    server: Server,
    uri: String,
    version: i64,
    /// Where the character goes: (line, character).
    spot: (u32, u32),
}

impl Session {
    fn open(path: &Path, text: &str) -> Session {
        let mut server = Server::spawn_direct();
        server.initialize(support::capabilities(&["utf-16"]), None, None);
        let uri = file_uri(path);
        server.open(&uri, 1, text);
        server.diagnostics(&uri, 1);
        // the middle line of the document, at its start
        let spot = ((text.lines().count() / 2) as u32, 0);
        Session {
            server,
            uri,
            version: 1,
            spot,
        }
    }

    /// One edit (alternately typing and deleting a character) and its diagnostics.
    fn edit(&mut self) -> Duration {
        self.version += 1;
        let (line, character) = self.spot;
        let (range, text) = if self.version % 2 == 0 {
            ([(line, character), (line, character)], "x")
        } else {
            ([(line, character), (line, character + 1)], "")
        };
        let start = Instant::now();
        self.server.change(&self.uri, self.version, range, text);
        self.server.diagnostics(&self.uri, self.version);
        start.elapsed()
    }
}

fn documents() -> Vec<(&'static str, PathBuf, String)> {
    let largest = corpus_specs()
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let largest_text = std::fs::read_to_string(&largest).unwrap();
    let dir = scratch_dir("bench");
    let generated = dir.join("specs/generated.rst");
    vec![
        ("largest corpus spec", largest, largest_text),
        (
            "generated 10,000-line spec",
            generated,
            generated_spec(10_000),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("didChange -> publishDiagnostics");
    for (name, path, text) in documents() {
        let mut session = Session::open(&path, &text);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| session.edit()).sum())
        });
    }
    group.finish();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Median and p99 over 1,000 edits per document.
fn edit_percentiles() {
    println!("\n1,000 one-character edits, didChange -> publishDiagnostics over stdio:");
    for (name, path, text) in documents() {
        let mut session = Session::open(&path, &text);
        for _ in 0..50 {
            session.edit(); // warm up
        }
        let mut samples: Vec<Duration> = (0..1000).map(|_| session.edit()).collect();
        samples.sort();
        println!(
            "  {name:<28} {:>6} lines  median {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
            text.lines().count(),
            percentile(&samples, 0.5),
            percentile(&samples, 0.99),
            samples[samples.len() - 1],
        );
    }
}

/// The server's peak resident memory after opening 200 specs.
fn peak_memory() {
    let specs = corpus_specs();
    let (mut server, _) = Server::initialized(&["utf-16"]);
    let mut opened = 0;
    for (n, path) in specs.iter().cycle().take(200).enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        // a repeat of a spec gets its own name beside it (same template, same mode)
        let uri = if n < specs.len() {
            file_uri(path)
        } else {
            let name = path.file_name().unwrap().to_string_lossy();
            file_uri(&path.with_file_name(format!("copy-{n}-{name}")))
        };
        server.open(&uri, 1, &text);
        server.diagnostics(&uri, 1);
        opened += 1;
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map_or("?".to_string(), |l| l[name.len()..].trim().to_string())
    };
    println!(
        "\n{opened} specs open: peak memory (VmHWM) {}, resident now (VmRSS) {}",
        field("VmHWM:"),
        field("VmRSS:")
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs this binary with `--bench` absent: keep that quick
    if std::env::args().any(|a| a == "--bench") {
        edit_percentiles();
        peak_memory();
    }
}
