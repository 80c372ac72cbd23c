//! Work on every core, results handed on in input order as they arrive: the calling
//! thread makes the items in order while scoped worker threads start on the first ones
//! (each waits for the item it took to be made); then the calling thread takes items
//! too, from the same shared counter. The workers send each result back, and the
//! calling thread, between its own items, passes each result on as soon as those
//! before it are in, so output starts while later items are still being worked on. The
//! calling thread waits only once it has no item left: a thread that waited for every
//! result would be woken (a context switch) once per item, on cores the workers need.
//! Plain `std::thread::scope`, a channel and a condition variable: one loop needs no
//! thread-pool dependency.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError, mpsc};

/// `work` on each of `count` items, on every core; `make` makes them, in order, on the
/// calling thread (the workers start on the first ones while it makes the rest);
/// `each` gets each item and its result in input order, on the calling thread. When
/// `each` breaks, the workers stop taking items and its value is returned.
pub fn in_order<I: Send + Sync, R: Send, B>(
    count: usize,
    mut make: impl FnMut() -> I,
    work: impl Fn(&I) -> R + Sync,
    mut each: impl FnMut(&I, R) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count.max(1));
    let items: Vec<OnceLock<I>> = (0..count).map(|_| OnceLock::new()).collect();
    let supply = Supply::default();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        // the calling thread is the last of `threads`
        for _ in 1..threads {
            let send = send.clone();
            let (items, supply, next, stop, work) = (&items, &supply, &next, &stop, &work);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= count || !supply.wait_for(k) {
                        break;
                    }
                    let Some(item) = items[k].get() else { break };
                    if send.send((k, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        {
            // (marks the supply over however making ends: no worker waits forever)
            let _over = Over(&supply);
            for (k, slot) in items.iter().enumerate() {
                // (each slot is set here only)
                let _ = slot.set(make());
                supply.made(k + 1);
            }
        }
        let made = |k: usize| items[k].get().expect("every item is made");
        let mut in_order = InOrder {
            waiting: (0..count).map(|_| None).collect(),
            due: 0,
        };
        let flow = (|| {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= count {
                    break;
                }
                in_order.waiting[k] = Some(work(made(k)));
                for (k, result) in receive.try_iter() {
                    in_order.waiting[k] = Some(result);
                }
                in_order.pass_on(|k, r| each(made(k), r))?;
            }
            // ends when every worker is done (or one panicked: the scope then panics too)
            for (k, result) in receive.iter() {
                in_order.waiting[k] = Some(result);
                in_order.pass_on(|k, r| each(made(k), r))?;
            }
            ControlFlow::Continue(())
        })();
        if flow.is_break() {
            stop.store(true, Ordering::Relaxed);
        }
        flow
    })
}

/// How many items are made, for the workers to wait on.
#[derive(Default)]
struct Supply {
    state: Mutex<Made>,
    more: Condvar,
}

#[derive(Default)]
struct Made {
    count: usize,
    /// No more will be made (all are, or making them failed).
    over: bool,
    /// Workers waiting: only then is there anyone to wake.
    waiting: usize,
}

impl Supply {
    fn lock(&self) -> MutexGuard<'_, Made> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Items `..count` are made.
    fn made(&self, count: usize) {
        let mut made = self.lock();
        made.count = count;
        if made.waiting > 0 {
            self.more.notify_all();
        }
    }

    /// Wait until item `k` is made: false when it never will be.
    fn wait_for(&self, k: usize) -> bool {
        let mut made = self.lock();
        while made.count <= k && !made.over {
            made.waiting += 1;
            made = self.more.wait(made).unwrap_or_else(PoisonError::into_inner);
            made.waiting -= 1;
        }
        made.count > k
    }
}

/// Marks its supply over when dropped.
struct Over<'a>(&'a Supply);

impl Drop for Over<'_> {
    fn drop(&mut self) {
        self.0.lock().over = true;
        self.0.more.notify_all();
    }
}

/// Results that came in before the ones ahead of them, and the index of the next one
/// to pass on.
struct InOrder<R> {
    waiting: Vec<Option<R>>,
    due: usize,
}

impl<R> InOrder<R> {
    /// Passes on every result whose turn has come.
    fn pass_on<B>(&mut self, mut each: impl FnMut(usize, R) -> ControlFlow<B>) -> ControlFlow<B> {
        while let Some(result) = self.waiting.get_mut(self.due).and_then(Option::take) {
            each(self.due, result)?;
            self.due += 1;
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A maker of the items 0, 1, 2...
    fn counter() -> impl FnMut() -> u64 {
        let mut n = 0;
        move || {
            n += 1;
            n - 1
        }
    }

    #[test]
    fn results_come_in_input_order() {
        let mut seen = Vec::new();
        // later items finish first: the order is still the input's
        let flow = in_order(
            200,
            counter(),
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros(200 - n));
                n * 2
            },
            |&n, r| {
                seen.push((n, r));
                ControlFlow::<()>::Continue(())
            },
        );
        assert_eq!(flow, ControlFlow::Continue(()));
        let expected: Vec<(u64, u64)> = (0..200).map(|n| (n, n * 2)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_break_stops_the_work() {
        let done = AtomicUsize::new(0);
        let flow = in_order(
            10_000,
            counter(),
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros(100));
                done.fetch_add(1, Ordering::Relaxed);
                n
            },
            |&n, _| {
                if n == 3 {
                    ControlFlow::Break(n)
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(flow, ControlFlow::Break(3));
        assert!(
            done.load(Ordering::Relaxed) < 10_000,
            "every item was worked on"
        );
    }

    #[test]
    fn workers_start_while_the_items_are_made() {
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            return; // no worker: the calling thread does everything
        }
        let all_made = AtomicBool::new(false);
        let early = AtomicUsize::new(0);
        let mut make = counter();
        let flow = in_order(
            50,
            || {
                std::thread::sleep(std::time::Duration::from_millis(1));
                let n = make();
                all_made.store(n == 49, Ordering::SeqCst);
                n
            },
            |_| {
                if !all_made.load(Ordering::SeqCst) {
                    early.fetch_add(1, Ordering::SeqCst);
                }
            },
            |_, ()| ControlFlow::<()>::Continue(()),
        );
        assert_eq!(flow, ControlFlow::Continue(()));
        assert!(
            early.load(Ordering::SeqCst) > 0,
            "no item was worked on early"
        );
    }

    #[test]
    fn a_maker_that_panics_leaves_no_worker_waiting() {
        let mut make = counter();
        // (a worker waiting forever for the item never made would hang the scope)
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_order(
                100,
                || match make() {
                    50 => panic!("cannot make it"),
                    n => n,
                },
                |&n| n,
                |_, _| ControlFlow::<()>::Continue(()),
            )
        }));
        assert!(result.is_err());
    }
}
