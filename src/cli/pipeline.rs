//! Work on every core, results handed on in input order as they arrive: the calling
//! thread makes the items in order while scoped worker threads start on the first ones
//! (each waits for the item it took to be made); then the calling thread takes items
//! too, from the same shared counter. The workers send each result back, and the
//! calling thread, between its own items, passes each result on as soon as those
//! before it are in, so output starts while later items are still being worked on. The
//! calling thread waits only once it has no item left: a thread that waited for every
//! result would be woken (a context switch) once per item, on cores the workers need.
//! How many items there are is known once the last is made (`check` finds its files as
//! the workers start on the first ones). Plain `std::thread::scope`, a channel and a
//! condition variable: one loop needs no thread-pool dependency.
//!
//! The calling thread starts one worker, which asks how many threads the process may
//! use and starts the others, while the calling thread makes its first items. On Linux
//! each worker keeps off the CPU the calling thread was on when the workers started
//! ([`keep_off`]; the first moves before it does anything else), and the calling thread
//! yields its CPU once the first is started: a kernel that packs threads onto few CPUs
//! queued a new worker on the calling thread's CPU, where it first ran 1-4 ms later in
//! most runs. A thread about to wait for another spins a while first ([`spin_until`]):
//! a worker for its first items, the calling thread for the last results.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// `work` on each item `make` makes, on every core (on no more threads than `most`, the
/// most items there can be); `make` makes them, in order, on the calling thread until it
/// gives `None` (the workers start on the first ones while it makes the rest); `each`
/// gets each item and its result in input order, on the calling thread. When `each`
/// breaks, the workers stop taking items and its value is returned.
pub fn in_order<I: Send + Sync, R: Send, B>(
    most: usize,
    make: impl FnMut() -> Option<I>,
    work: impl Fn(&I) -> R + Sync,
    each: impl FnMut(&I, R) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let parallelism = || std::thread::available_parallelism().map_or(1, |n| n.get());
    in_order_on(parallelism, most, make, work, each)
}

/// [`in_order`] on as many threads as `parallelism` says the process may use (asked on
/// the first worker).
fn in_order_on<I: Send + Sync, R: Send, B>(
    parallelism: impl Fn() -> usize + Sync,
    most: usize,
    mut make: impl FnMut() -> Option<I>,
    work: impl Fn(&I) -> R + Sync,
    mut each: impl FnMut(&I, R) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let supply = Supply::default();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<(usize, R)>();
    let caller = current_cpu();
    let worker = |send: mpsc::Sender<(usize, R)>| {
        while !stop.load(Ordering::Relaxed) {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = supply.wait_for(k) else {
                break;
            };
            if send.send((k, work(&item))).is_err() {
                break;
            }
        }
    };
    std::thread::scope(|scope| {
        // The first worker moves off the calling thread's CPU (see `keep_off`), then
        // starts the others (which keep off it too: a thread's CPUs are its maker's), as
        // many as the process may use with the calling thread (`available_parallelism`
        // reads the cgroup's CPU quota: 0.07 ms here; the calling thread makes its first
        // items meanwhile).
        let started = most > 1 && cpus_allowed() > 1;
        if started {
            let (send, worker, parallelism) = (send.clone(), &worker, &parallelism);
            scope.spawn(move || {
                let threads = keep_off(caller, parallelism).min(most);
                if threads < 2 {
                    return; // (a quota of one CPU: the calling thread does everything)
                }
                for _ in 2..threads {
                    let send = send.clone();
                    scope.spawn(move || worker(send));
                }
                worker(send);
            });
        }
        drop(send);
        if started {
            // the workers may be queued on this thread's CPU (see `keep_off`): each
            // runs now, moving off it, not when the scheduler next preempts this thread
            std::thread::yield_now();
        }
        let mut items = Vec::new();
        {
            // (marks the supply over however making ends: no worker waits forever)
            let _over = Over(&supply);
            while let Some(item) = make() {
                let item = Arc::new(item);
                supply.add(item.clone());
                items.push(item);
            }
        }
        let count = items.len();
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
                in_order.waiting[k] = Some(work(&items[k]));
                for (k, result) in receive.try_iter() {
                    in_order.waiting[k] = Some(result);
                }
                in_order.pass_on(|k, r| each(&items[k], r))?;
            }
            // ends when every worker is done (or one panicked: the scope then panics too)
            while let Some((k, result)) = next_result(&receive) {
                in_order.waiting[k] = Some(result);
                in_order.pass_on(|k, r| each(&items[k], r))?;
            }
            ControlFlow::Continue(())
        })();
        if flow.is_break() {
            stop.store(true, Ordering::Relaxed);
        }
        flow
    })
}

/// How long a thread that waits for another spins before it sleeps.
const SPIN: Duration = Duration::from_millis(2);

/// Returns once `done` says so, or once it has said no for [`SPIN`]: a thread about to
/// wait for another spins first, so that its CPU stays busy. A CPU left idle is slow to
/// wake in the virtual machines this was measured on: a worker that slept for its first
/// item started on it 0.5-1.6 ms after the item was made in three runs of eight (a trace
/// with timestamps of `check` of the corpus), where the item took about 0.03 ms to
/// make. (The wait itself is mostly far shorter: a worker waits for the first items,
/// the calling thread for the last results, a thread for a template another is
/// loading.)
pub(super) fn spin_until(mut done: impl FnMut() -> bool) {
    if done() {
        return; // (as a rule: no clock read)
    }
    let start = Instant::now();
    loop {
        for _ in 0..64 {
            if done() {
                return;
            }
            std::hint::spin_loop();
        }
        if start.elapsed() >= SPIN {
            return;
        }
    }
}

/// The next result a worker sends (spinning a while first: [`spin_until`]), or `None`
/// once every worker is done.
fn next_result<R>(receive: &mpsc::Receiver<R>) -> Option<R> {
    let mut received = None;
    spin_until(|| match receive.try_recv() {
        Err(TryRecvError::Empty) => false,
        result => {
            received = Some(result);
            true
        }
    });
    match received {
        Some(Ok(result)) => Some(result),
        Some(Err(_)) => None,
        None => receive.recv().ok(),
    }
}

/// How many CPUs the calling thread may run on (on Linux its affinity, one system call;
/// elsewhere what `available_parallelism` says).
fn cpus_allowed() -> usize {
    #[cfg(target_os = "linux")]
    if let Some(allowed) = affinity() {
        return count(&allowed);
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The CPUs the calling thread may run on (`None` if the kernel does not say).
#[cfg(target_os = "linux")]
fn affinity() -> Option<libc::cpu_set_t> {
    // SAFETY: an all-zero `cpu_set_t` is an empty set; the call writes one of the size
    // given.
    unsafe {
        let mut allowed: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        (libc::sched_getaffinity(0, size, &mut allowed) == 0).then_some(allowed)
    }
}

/// How many CPUs `set` holds.
#[cfg(target_os = "linux")]
fn count(set: &libc::cpu_set_t) -> usize {
    // SAFETY: reads the set it is given.
    usize::try_from(unsafe { libc::CPU_COUNT(set) }).unwrap_or(0)
}

/// The CPU the calling thread runs on (`None` where that is not known).
fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: no arguments; -1 when the kernel cannot tell.
        usize::try_from(unsafe { libc::sched_getcpu() }).ok()
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Keeps the calling thread off `cpu` (when it may run on another), and gives what `ask`
/// says as it would have said on the CPUs the thread had: `ask` runs after the move,
/// with the thread let back on `cpu` (which moves no thread; `available_parallelism`
/// counts the CPUs the thread may run on), then the thread is kept off it again. The
/// thread moves first: until it does, it may hold the CPU of the thread that started it
/// (see below), which waits; asking first kept that thread waiting 0.09 ms longer (a
/// trace with timestamps of `check` of the corpus). Some kernels pack
/// threads onto as few CPUs as they can: the virtual machines this was measured on run
/// Linux with `sched_vcpu_pack`, and there a new worker ran on the CPU of the thread
/// that started it, the two taking turns, for 1-4 ms in most runs until the load was
/// balanced (a C program shows it: a new thread's first CPU is its creator's). A worker
/// kept off that CPU is moved to an idle one at once: `check` of the corpus took 0.84
/// and 0.94 of the time (runs taking turns, 61 pairs each), and with the calling thread
/// yielding its CPU as the workers start (so that each first runs, and moves, 0.08 ms
/// after it is started rather than 1-4 ms), 0.95 of that again. Where the CPUs are not
/// known, or none other is allowed, nothing changes.
fn keep_off<T>(cpu: Option<usize>, ask: impl FnOnce() -> T) -> T {
    #[cfg(target_os = "linux")]
    if let (Some(cpu), Some(allowed)) = (cpu, affinity()) {
        let mut off = allowed;
        // SAFETY: `CPU_CLR` ignores a CPU beyond the set.
        unsafe { libc::CPU_CLR(cpu, &mut off) };
        if count(&off) > 0 {
            set_affinity(&off);
            set_affinity(&allowed);
            let asked = ask();
            set_affinity(&off);
            return asked;
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cpu;
    ask()
}

/// Lets the calling thread run on the CPUs of `set` only.
#[cfg(target_os = "linux")]
fn set_affinity(set: &libc::cpu_set_t) {
    // SAFETY: reads one `cpu_set_t` of the size given.
    unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), set) };
}

/// The items made so far, for the workers to wait on.
struct Supply<I> {
    state: Mutex<Made<I>>,
    more: Condvar,
    /// How many items are made, and whether no more will be (as in `state`): what a
    /// spinning worker reads.
    made: AtomicUsize,
    over: AtomicBool,
}

impl<I> Default for Supply<I> {
    fn default() -> Supply<I> {
        Supply {
            state: Mutex::new(Made {
                items: Vec::new(),
                over: false,
                waiting: 0,
            }),
            more: Condvar::new(),
            made: AtomicUsize::new(0),
            over: AtomicBool::new(false),
        }
    }
}

struct Made<I> {
    items: Vec<Arc<I>>,
    /// No more will be made (all are, or making them failed).
    over: bool,
    /// Workers waiting: only then is there anyone to wake.
    waiting: usize,
}

impl<I> Supply<I> {
    fn lock(&self) -> MutexGuard<'_, Made<I>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One more item is made.
    fn add(&self, item: Arc<I>) {
        let mut made = self.lock();
        made.items.push(item);
        self.made.store(made.items.len(), Ordering::Release);
        if made.waiting > 0 {
            self.more.notify_all();
        }
    }

    /// Item `k`, once it is made: `None` when it never will be. A worker spins for it
    /// (for at most [`SPIN`]) before it sleeps: see [`spin_until`].
    fn wait_for(&self, k: usize) -> Option<Arc<I>> {
        spin_until(|| self.made.load(Ordering::Acquire) > k || self.over.load(Ordering::Acquire));
        let mut made = self.lock();
        while made.items.len() <= k && !made.over {
            made.waiting += 1;
            made = self.more.wait(made).unwrap_or_else(PoisonError::into_inner);
            made.waiting -= 1;
        }
        made.items.get(k).cloned()
    }
}

/// Marks its supply over when dropped.
struct Over<'a, I>(&'a Supply<I>);

impl<I> Drop for Over<'_, I> {
    fn drop(&mut self) {
        self.0.lock().over = true;
        self.0.over.store(true, Ordering::Release);
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

    /// A maker of the items 0, 1, 2... up to `count`.
    fn counter(count: u64) -> impl FnMut() -> Option<u64> {
        let mut n = 0;
        move || {
            n += 1;
            (n <= count).then_some(n - 1)
        }
    }

    #[test]
    fn results_come_in_input_order() {
        let mut seen = Vec::new();
        // later items finish first: the order is still the input's
        let flow = in_order(
            usize::MAX,
            counter(200),
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
    fn more_workers_than_cores_keep_the_order() {
        // the first worker starts three more, however many cores this machine has
        let threads = Mutex::new(std::collections::HashSet::new());
        let mut seen = Vec::new();
        let flow = in_order_on(
            || 5,
            usize::MAX,
            counter(300),
            |&n| {
                threads.lock().unwrap().insert(std::thread::current().id());
                std::thread::sleep(std::time::Duration::from_micros(300 - n));
                n + 1
            },
            |&n, r| {
                seen.push((n, r));
                ControlFlow::<()>::Continue(())
            },
        );
        assert_eq!(flow, ControlFlow::Continue(()));
        assert_eq!(seen, (0..300).map(|n| (n, n + 1)).collect::<Vec<_>>());
        let threads = threads.into_inner().unwrap().len();
        if cpus_allowed() > 1 {
            assert!(threads > 2, "the work ran on {threads} threads");
        }
    }

    #[test]
    fn a_quota_of_one_cpu_leaves_the_work_to_the_calling_thread() {
        let caller = std::thread::current().id();
        let flow = in_order_on(
            || 1,
            usize::MAX,
            counter(50),
            |_| std::thread::current().id() == caller,
            |_, on_caller| match on_caller {
                true => ControlFlow::Continue(()),
                false => ControlFlow::Break(()),
            },
        );
        assert_eq!(flow, ControlFlow::Continue(()));
    }

    #[test]
    fn a_break_stops_the_work() {
        let done = AtomicUsize::new(0);
        let flow = in_order(
            10_000,
            counter(10_000),
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
        let mut make = counter(50);
        let flow = in_order(
            usize::MAX,
            || {
                std::thread::sleep(std::time::Duration::from_millis(1));
                let n = make();
                all_made.store(n.is_none_or(|n| n == 49), Ordering::SeqCst);
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
        let mut make = counter(100);
        // (a worker waiting forever for the item never made would hang the scope)
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_order(
                100,
                || match make() {
                    Some(50) => panic!("cannot make it"),
                    n => n,
                },
                |&n| n,
                |_, _| ControlFlow::<()>::Continue(()),
            )
        }));
        assert!(result.is_err());
    }

    #[test]
    fn a_wait_spins_for_a_while_then_gives_up() {
        let start = Instant::now();
        spin_until(|| false);
        assert!(
            start.elapsed() >= SPIN,
            "gave up after {:?}",
            start.elapsed()
        );
        let mut asked = 0;
        spin_until(|| {
            asked += 1;
            asked == 3
        });
        assert_eq!(asked, 3);
    }

    #[test]
    fn a_result_comes_however_late_and_none_once_every_worker_is_done() {
        let (send, receive) = mpsc::channel();
        let late = std::thread::spawn(move || {
            // (after the spinning has given up: the receiver sleeps until it comes)
            std::thread::sleep(SPIN * 3);
            send.send(7).unwrap();
        });
        assert_eq!(next_result(&receive), Some(7));
        late.join().unwrap();
        // every sender is gone: no waiting at all
        let start = Instant::now();
        assert_eq!(next_result(&receive), None);
        assert!(start.elapsed() < SPIN, "took {:?}", start.elapsed());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn keeping_off_a_cpu_asks_as_if_on_every_cpu() {
        // (on a thread of its own: the test's affinity changes)
        std::thread::spawn(|| {
            let everywhere = cpus_allowed();
            if everywhere < 2 {
                return; // no CPU to move to: nothing changes
            }
            let cpu = current_cpu();
            let asked = keep_off(cpu, cpus_allowed);
            assert_eq!(asked, everywhere);
            assert_eq!(cpus_allowed(), everywhere - 1);
            assert_ne!(current_cpu(), cpu);
        })
        .join()
        .unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn workers_keep_off_the_calling_threads_cpu() {
        // how many CPUs the calling thread may run on, and how many each worker may
        let allowed = || affinity().map_or(0, |set| count(&set));
        let everywhere = allowed();
        if everywhere < 2 {
            return; // no worker: the calling thread does everything
        }
        let caller = std::thread::current().id();
        let mut on_workers = Vec::new();
        let flow = in_order(
            usize::MAX,
            counter(50),
            |_| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                (std::thread::current().id() != caller).then(allowed)
            },
            |_, worker| {
                on_workers.extend(worker);
                ControlFlow::<()>::Continue(())
            },
        );
        assert_eq!(flow, ControlFlow::Continue(()));
        assert!(!on_workers.is_empty(), "no worker took an item");
        assert!(
            on_workers.iter().all(|&n| n == everywhere - 1),
            "a worker may run on {on_workers:?} of {everywhere} CPUs"
        );
        assert_eq!(allowed(), everywhere, "the calling thread was confined");
    }
}
