//! One keystroke's work, N times, for counting instructions (the benchmarks time it):
//! the generated 10,000-line spec with a letter typed at the start of its middle line,
//! parsed fresh (`fresh`), parsed reusing the parse before the keystroke (`parse`), or
//! analysed reusing it (`analyze`).
//!
//! ```sh
//! cargo build --release --example keystroke
//! valgrind --tool=callgrind target/release/examples/keystroke parse 1
//! valgrind --tool=callgrind target/release/examples/keystroke parse 11
//! ```
//! The difference of the two totals, divided by 10, is one keystroke. `keystroke text`
//! prints the generated spec (for `scripts/lsp-wakeups`).

#[path = "../benches/inputs/mod.rs"]
mod inputs;

use std::hint::black_box;

use trove_spec_lsp::template::Template;
use trove_spec_lsp::{Config, Mode, analyze_reusing, rst};

/// The binary's allocator (`src/main.rs`), so the counts are the binary's.
#[global_allocator]
static ALLOCATOR: trove_spec_lsp::alloc::Mimalloc = trove_spec_lsp::alloc::Mimalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|a| a == "text") {
        print!("{}", inputs::generated_spec(10_000));
        return;
    }
    let (Some(what), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: keystroke fresh|parse|analyze N, or keystroke text");
        std::process::exit(2);
    };
    let text = inputs::generated_spec(10_000);
    let mid = text.len() / 2;
    let at = mid + text[mid..].find('\n').unwrap_or(0) + 1;
    let typed = format!("{}x{}", &text[..at], &text[at..]);
    let (_, before) = rst::parse_reusing(&text, None);
    let (template, config) = (Template::builtin(), Config::default());
    for _ in 0..n {
        match what.as_str() {
            "fresh" => drop(black_box(rst::parse(&typed))),
            "parse" => drop(black_box(rst::parse_reusing(&typed, Some(&before)))),
            _ => drop(black_box(analyze_reusing(
                &typed,
                &template,
                &config,
                Mode::Spec,
                None,
                Some(&before),
            ))),
        }
    }
}
