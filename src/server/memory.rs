//! Giving a closed document's memory back to the system. glibc's allocator keeps what a
//! program frees: after a large block is freed it raises its thresholds (so the next
//! large blocks come from its arenas, not from `mmap`, and an arena's free top is no
//! longer returned), and it keeps one arena per thread that allocated (the analysis runs
//! on a pool of threads), whose free top `malloc_trim` does not return. So after a large
//! document was closed, the server's resident size would stay near its peak for good.
//! Fixed thresholds keep large blocks (a large document's text, line index, outline) in
//! `mmap`s of their own, returned when freed, and arenas trimmed; `malloc_trim` after a
//! close returns the free pages inside them. Other allocators (musl, macOS) return large
//! blocks on their own: nothing to do there.

/// Blocks of at least this size are `mmap`ed and unmapped when freed (glibc's default
/// is 128 KiB, raised up to 32 MiB as large blocks are freed).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 1 << 20;

/// An arena whose free top exceeds this gives it back (glibc's default: 128 KiB, raised
/// with the mmap threshold).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 1 << 20;

/// Fix the allocator's thresholds (glibc only); called once, at start.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters (under its own lock); called
    // at start, before any large block is allocated.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}

/// Return the free pages of the allocator's arenas to the system (glibc only).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer and only rearranges the allocator's own free
    // lists; it is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
