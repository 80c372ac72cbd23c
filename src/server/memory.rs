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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

/// How many tasks of the blocking pool (where analyses run) give their thread's freed
/// memory back after a close: more threads than the pool keeps (a turn per core, at
/// least two, and the frees beside them).
const POOL_THREADS: usize = 8;

/// When the threads give their freed memory back after a close: at once, and a little
/// later for what is freed after the close (a run or a publishing of the closed document
/// that was still under way).
const SCHEDULE: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_millis(100),
    Duration::from_secs(1),
];

/// A release sequence is under way (at most one at a time).
static RUNNING: AtomicBool = AtomicBool::new(false);
/// A close came after the running sequence last looked: it starts its schedule again.
static AGAIN: AtomicBool = AtomicBool::new(false);

/// Return the memory freed so far to the system (after a document is closed; call it
/// within the runtime). mimalloc keeps freed pages per thread and gives back only the
/// calling thread's: so the runtime's thread does it, and so does every thread of the
/// blocking pool, each task held by a barrier until all have started, so that each is on
/// a thread of its own; at each time of [`SCHEDULE`]. One sequence runs at a time: a
/// close while it runs starts its schedule again (an editor closing 200 files costs one
/// round at a time, not 200 rounds of [`POOL_THREADS`] threads at once). (What an edit's
/// analysis left on a stdin thread comes back with that thread's next work.) Nothing to
/// do under another allocator (the in-process tests).
pub fn release_freed_memory() {
    AGAIN.store(true, Ordering::SeqCst);
    if RUNNING.swap(true, Ordering::SeqCst) {
        return;
    }
    tokio::spawn(async {
        loop {
            let mut at = 0;
            while at < SCHEDULE.len() {
                if AGAIN.swap(false, Ordering::SeqCst) {
                    at = 0;
                }
                tokio::time::sleep(SCHEDULE[at]).await;
                collect_everywhere().await;
                at += 1;
            }
            RUNNING.store(false, Ordering::SeqCst);
            // a close between the last look and the store above found it running
            if !AGAIN.load(Ordering::SeqCst) || RUNNING.swap(true, Ordering::SeqCst) {
                return;
            }
        }
    });
}

/// One round: the runtime's thread and [`POOL_THREADS`] threads of the blocking pool
/// give their freed pages back; done when all have.
async fn collect_everywhere() {
    collect();
    let barrier = Arc::new(Barrier::new(POOL_THREADS));
    let tasks: Vec<_> = (0..POOL_THREADS)
        .map(|_| {
            let barrier = barrier.clone();
            tokio::task::spawn_blocking(move || {
                barrier.wait();
                collect();
            })
        })
        .collect();
    for task in tasks {
        // (a collect that panicked has nothing more to give back)
        let _ = task.await;
    }
}

/// Give this thread's freed pages back.
fn collect() {
    // SAFETY: mi_collect takes no pointer; it only frees the allocator's own unused
    // pages, and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
