//! Findings are compact: a finding costs a few dozen bytes before serialisation (its
//! message shared when it is the same for every occurrence, its fix built when asked
//! for), so that even the findings a capped document keeps cost little. Measured with a
//! counting allocator: the bytes a copy of the findings allocates, per finding.
//! `cargo test --test finding_size -- --nocapture` prints the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use trove_spec_lsp::{Code, Config, Finding, Mode, Template, analyze};

/// The system allocator, counting the bytes it is asked for.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The bytes per finding of `findings`: its share of the vector plus what it owns on
/// the heap (what a copy allocates).
fn bytes_per_finding(findings: &[Finding]) -> usize {
    let before = ALLOCATED.load(Ordering::Relaxed);
    let copy = findings.to_vec();
    let bytes = ALLOCATED.load(Ordering::Relaxed) - before;
    drop(copy);
    bytes / findings.len()
}

#[test]
fn a_trailing_whitespace_finding_costs_a_few_dozen_bytes() {
    let text = "abc   \n".repeat(1_000);
    let findings: Vec<Finding> =
        analyze(&text, &Template::builtin(), &Config::default(), Mode::Spec)
            .findings
            .into_iter()
            .filter(|f| f.code == Code::TrailingWhitespace)
            .collect();
    assert_eq!(findings.len(), 1_000);
    let size = std::mem::size_of::<Finding>();
    let bytes = bytes_per_finding(&findings);
    eprintln!("size_of::<Finding>() = {size} bytes; a trailing-whitespace finding: {bytes} bytes");
    assert!(size <= 80, "size_of::<Finding>() = {size}");
    assert_eq!(
        bytes, size,
        "a trailing-whitespace finding owns nothing on the heap"
    );
}
