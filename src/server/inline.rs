//! Running an analysis on the thread that started it rather than on tokio's blocking
//! pool: the stdin thread that applies an edit runs the edit's analysis itself once
//! another thread has taken over reading (`wire`), so no thread has to wake between an
//! edit and its diagnostics.

use std::cell::RefCell;

/// Work handed back to the thread that started it.
pub type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    /// While [`collect`] runs on this thread: the job handed to it, if any yet.
    static HERE: RefCell<Option<Option<Job>>> = const { RefCell::new(None) };
}

/// Do `f`; the first job [`spawn`] is given on this thread meanwhile is returned instead
/// of run. The caller must run it: others may be waiting for its result.
pub fn collect<T>(f: impl FnOnce() -> T) -> (T, Option<Job>) {
    /// Stops collecting even if `f` unwinds.
    struct Stop;
    impl Drop for Stop {
        fn drop(&mut self) {
            HERE.with(|here| here.borrow_mut().take());
        }
    }
    HERE.with(|here| *here.borrow_mut() = Some(None));
    let stop = Stop;
    let out = f();
    let job = HERE.with(|here| here.borrow_mut().take().flatten());
    drop(stop);
    (out, job)
}

/// Hand `job` to this thread's [`collect`] if it is collecting and has none yet; else
/// run it on tokio's blocking pool (within the runtime's context).
pub fn spawn(job: impl FnOnce() + Send + 'static) {
    let pooled = HERE.with(|here| match &mut *here.borrow_mut() {
        Some(slot @ None) => {
            *slot = Some(Box::new(job));
            None
        }
        _ => Some(job),
    });
    if let Some(job) = pooled {
        tokio::task::spawn_blocking(job);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_first_job_is_collected_the_rest_pooled() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _context = runtime.enter();
        let ran = Arc::new(AtomicUsize::new(0));
        let count = |ran: &Arc<AtomicUsize>, n| {
            let ran = ran.clone();
            move || {
                ran.fetch_add(n, Ordering::SeqCst);
            }
        };
        let ((), job) = collect(|| {
            spawn(count(&ran, 1));
            spawn(count(&ran, 10));
        });
        // outside `collect`: pooled
        spawn(count(&ran, 100));
        let job = job.expect("the first job is handed back");
        assert_eq!(
            ran.load(Ordering::SeqCst) % 10,
            0,
            "not run before it is asked"
        );
        job();
        drop(_context);
        drop(runtime); // waits for the blocking pool's jobs
        assert_eq!(ran.load(Ordering::SeqCst), 111);
    }

    #[test]
    fn collecting_stops_when_its_work_panics() {
        let caught = std::panic::catch_unwind(|| collect(|| panic!("boom")));
        assert!(caught.is_err());
        HERE.with(|here| assert!(here.borrow().is_none()));
    }
}
