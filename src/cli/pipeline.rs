//! Work on every core, results handed on in input order as they arrive: scoped worker
//! threads and the calling thread take the next item from a shared counter; the workers
//! send each result back, and the calling thread, between its own items, passes each
//! result on as soon as those before it are in, so output starts while later items are
//! still being worked on. The calling thread waits only once it has no item left: a
//! thread that waited for every result would be woken (a context switch) once per item,
//! on cores the workers need. Plain `std::thread::scope` and a channel: one loop needs no
//! thread-pool dependency.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// `work` on every item, on every core; `each` gets each item's index and result in
/// input order, on the calling thread. When `each` breaks, the workers stop taking items
/// and its value is returned.
pub fn in_order<I: Sync, R: Send, B>(
    items: &[I],
    work: impl Fn(&I) -> R + Sync,
    mut each: impl FnMut(usize, R) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        // the calling thread is the last of `threads`
        for _ in 1..threads {
            let send = send.clone();
            let (next, stop, work) = (&next, &stop, &work);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(k) else { break };
                    if send.send((k, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut in_order = InOrder {
            waiting: (0..items.len()).map(|_| None).collect(),
            due: 0,
        };
        let flow = (|| {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(k) else { break };
                in_order.waiting[k] = Some(work(item));
                for (k, result) in receive.try_iter() {
                    in_order.waiting[k] = Some(result);
                }
                in_order.pass_on(&mut each)?;
            }
            // ends when every worker is done (or one panicked: the scope then panics too)
            for (k, result) in receive.iter() {
                in_order.waiting[k] = Some(result);
                in_order.pass_on(&mut each)?;
            }
            ControlFlow::Continue(())
        })();
        if flow.is_break() {
            stop.store(true, Ordering::Relaxed);
        }
        flow
    })
}

/// Results that came in before the ones ahead of them, and the index of the next one
/// to pass on.
struct InOrder<R> {
    waiting: Vec<Option<R>>,
    due: usize,
}

impl<R> InOrder<R> {
    /// Passes on every result whose turn has come.
    fn pass_on<B>(&mut self, each: &mut impl FnMut(usize, R) -> ControlFlow<B>) -> ControlFlow<B> {
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

    #[test]
    fn results_come_in_input_order() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        // later items finish first: the order is still the input's
        let flow = in_order(
            &items,
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros(200 - n));
                n * 2
            },
            |k, r| {
                seen.push((k, r));
                ControlFlow::<()>::Continue(())
            },
        );
        assert_eq!(flow, ControlFlow::Continue(()));
        let expected: Vec<(usize, u64)> = (0..200).map(|n| (n as usize, n * 2)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_break_stops_the_work() {
        let items: Vec<usize> = (0..10_000).collect();
        let done = AtomicUsize::new(0);
        let flow = in_order(
            &items,
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros(100));
                done.fetch_add(1, Ordering::Relaxed);
                n
            },
            |k, _| {
                if k == 3 {
                    ControlFlow::Break(k)
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(flow, ControlFlow::Break(3));
        assert!(
            done.load(Ordering::Relaxed) < items.len(),
            "every item was worked on"
        );
    }
}
