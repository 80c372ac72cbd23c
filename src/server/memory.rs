//! Why the binary allocates with mimalloc, and giving a closed document's memory back to
//! the system.
//!
//! The binary allocates with mimalloc (`src/main.rs`; the benchmarks and the keystroke
//! example too), not the system's allocator. With glibc's, the server had to fix small
//! thresholds so that a closed document's memory came back (glibc keeps an arena per
//! thread that allocated, and `malloc_trim` does not return their free tops); then an
//! arena's top was given back and taken again on most keystrokes: 30-50 page faults per
//! keystroke in the 10,000-line spec (in about half the runs), each a trip into the
//! kernel between an edit and its diagnostics. mimalloc keeps freed pages for a second
//! before it purges them (0-1 fault per keystroke), `check` of the corpus executes
//! about 7% fewer instructions with it, and [`release_freed_memory`] returns what a
//! closed document held at once. It is built without transparent huge pages (the
//! `no_thp` feature): with them, a short process such as `check` spends its start
//! clearing 2 MB pages it mostly does not use (0.93 of the wall time without them).

use std::sync::{Arc, Barrier};

/// How many tasks of the blocking pool (where analyses run) give their thread's freed
/// memory back after a close: more threads than the pool keeps (a turn per core, at
/// least two, and the frees beside them).
const POOL_THREADS: usize = 8;

/// Return the memory freed so far to the system (after a document is closed; call it
/// within the runtime). mimalloc keeps freed pages per thread and gives back only the
/// calling thread's: so the runtime's thread does it, and so does every thread of the
/// blocking pool, each task held by a barrier until all have started, so that each is on
/// a thread of its own; and again a little later, for what is freed after the close (a
/// run or a publishing of the closed document that was still under way). (What an
/// edit's analysis left on a stdin thread comes back with that thread's next work.)
/// Nothing to do under another allocator (the in-process tests).
pub fn release_freed_memory() {
    tokio::spawn(async {
        for wait in [0, 100, 1_000] {
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            collect();
            let barrier = Arc::new(Barrier::new(POOL_THREADS));
            for _ in 0..POOL_THREADS {
                let barrier = barrier.clone();
                tokio::task::spawn_blocking(move || {
                    barrier.wait();
                    collect();
                });
            }
        }
    });
}

/// Give this thread's freed pages back.
fn collect() {
    // SAFETY: mi_collect takes no pointer; it only frees the allocator's own unused
    // pages, and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
