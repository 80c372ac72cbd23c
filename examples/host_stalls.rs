//! Does this machine stall memory-touching code? The latency figures of a keystroke
//! depend on it, and nothing in the server can change it.
//!
//! Copies a 128 KiB buffer (it fits in the core's L2 cache) 100 times per sample, for
//! 10 seconds, and prints the median sample, how many samples took 4 times the median
//! or more, and the windows they come in. Run it on a quiet machine: a build beside it
//! takes turns with it on the cores, which looks the same. On the 2-core VM the README's
//! latency figures come from, such samples come in windows of about 50 ms every 1.3-1.5
//! s, up to ~10 times slower; a busy loop that touches no memory shows none.
//!
//! ```sh
//! cargo run --release --example host_stalls
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let source = vec![1u8; 128 << 10];
    let mut target = vec![0u8; 128 << 10];
    let start = Instant::now();
    let mut samples: Vec<(Duration, Duration)> = Vec::new();
    while start.elapsed() < Duration::from_secs(10) {
        let at = start.elapsed();
        let began = Instant::now();
        for _ in 0..100 {
            target.copy_from_slice(black_box(&source));
            black_box(&mut target);
        }
        samples.push((at, began.elapsed()));
    }
    let mut sorted: Vec<Duration> = samples.iter().map(|s| s.1).collect();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let slow: Vec<&(Duration, Duration)> = samples.iter().filter(|s| s.1 >= median * 4).collect();
    println!(
        "{} samples of 100 copies of 128 KiB: median {:.3} ms, {} took 4x the median or more (max {:.3} ms)",
        samples.len(),
        median.as_secs_f64() * 1e3,
        slow.len(),
        sorted[sorted.len() - 1].as_secs_f64() * 1e3
    );
    // slow samples less than 20 ms apart make one window
    let mut windows: Vec<(Duration, Duration, Duration)> = Vec::new(); // start, end, worst
    for &&(at, took) in &slow {
        match windows.last_mut() {
            Some(w) if at <= w.1 + Duration::from_millis(20) => {
                w.1 = at + took;
                w.2 = w.2.max(took);
            }
            _ => windows.push((at, at + took, took)),
        }
    }
    println!("{} windows of slow samples:", windows.len());
    for (from, to, worst) in windows.iter().take(15) {
        println!(
            "  at {:.3} s for {:.0} ms, at worst {:.1}x the median",
            from.as_secs_f64(),
            (*to - *from).as_secs_f64() * 1e3,
            worst.as_secs_f64() / median.as_secs_f64()
        );
    }
}
