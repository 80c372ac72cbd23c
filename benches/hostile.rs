//! Pathological documents at 1x, 4x and 16x (`inputs/shapes.rs`): headings whose
//! underlines are too short, mixed adornments, CRLF, wide titles, near misses of a
//! template title, overlines, and one finding per line. Time per run must grow with the
//! size, not its square. Run:
//! `cargo bench --bench hostile -- --warm-up-time 1 --measurement-time 3`.

#[path = "inputs/shapes.rs"]
mod shapes;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use trove_spec_lsp::{Config, Mode, Template, analyze};

fn bench(c: &mut Criterion) {
    let (template, config) = (Template::builtin(), Config::default());
    for (name, shape) in shapes::SHAPES {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for n in [2_000, 8_000, 32_000] {
            let text = shape(n);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| analyze(black_box(text), &template, &config, Mode::Spec))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
