//! The allocator of the binary, the benchmarks and the keystroke example: mimalloc (see
//! `src/server/memory.rs` for why), called the way most of Rust's allocations need.
//!
//! `mimalloc::MiMalloc` asks for every block through mimalloc's aligned entry points,
//! which check the alignment before they reach the same fast path `mi_malloc` takes:
//! about 17 more instructions per allocation (0.5 M of `check`'s 59.3 M over the
//! corpus). Every mimalloc block is aligned to at least a word, so a layout that asks
//! for no more goes to `mi_malloc` and `mi_realloc`; any other to the aligned ones.
//!
//! A block of more than a page is asked for at the next power of two ([`rounded`]).
//! mimalloc serves each size class from pages of its own: a short process that reads
//! files one after another (each text, line table and list of a size of its own) touched
//! fresh memory for almost every file, where a block freed by the file before, of
//! another size class, was left unused. `check` of the corpus took 79 fewer page faults
//! (478 -> 399, the median of 30 runs; about 2 µs each on the development machine),
//! 0.1 M fewer instructions and 0.927 of the wall time (61 pairs). The room a block has
//! beyond what was asked is not touched, so it costs address space, not memory: only a
//! block of more than a page is rounded.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every block mimalloc returns has (its word size).
const WORD: usize = std::mem::size_of::<usize>();

/// The size of a memory page on the machines this runs on (4 KiB; a larger page only
/// makes fewer blocks rounded).
const PAGE: usize = 4096;

/// The size a block of `size` bytes is asked for at: the next power of two, for one
/// of more than a [`PAGE`].
#[inline(always)]
fn rounded(size: usize) -> usize {
    if size > PAGE {
        size.checked_next_power_of_two().unwrap_or(size)
    } else {
        size
    }
}

/// mimalloc as the global allocator.
pub struct Mimalloc;

/// mimalloc's `arena_reserve` option (`mi_option_arena_reserve` in its `mimalloc.h`;
/// the Rust bindings name no constant for it).
const ARENA_RESERVE: mi::mi_option_t = 23;

/// Sets the allocators up for this process, before its first allocation: mimalloc's
/// first arena reserves 64 MiB of address space rather than 1 GiB. The arena's bitmaps
/// are written out when it is reserved, and for 1 GiB they fill 42 pages: an empty
/// `check` took 289 page faults (about 2 µs each on the development machine), now 251.
/// More arenas are reserved as memory grows. On Unix a `MIMALLOC_ARENA_RESERVE` in the
/// environment is left to decide (looked up without allocating: `std::env::var_os`
/// would allocate, reserving the arena first). With glibc, its own allocations share
/// one arena (below).
pub fn configure() {
    #[cfg(unix)]
    // SAFETY: a NUL-terminated name; nothing else reads or changes the environment
    // meanwhile (no other thread is running yet).
    let set = unsafe { !libc::getenv(c"MIMALLOC_ARENA_RESERVE".as_ptr()).is_null() };
    #[cfg(not(unix))]
    let set = false;
    if !set {
        // SAFETY: sets an option by its number (in KiB, as mimalloc keeps it).
        unsafe { mi::mi_option_set(ARENA_RESERVE, 64 * 1024) }
    }
    // glibc's own allocations (a thread's start asks for its CPU set with `malloc`) share
    // one arena: glibc otherwise makes an arena for each thread that allocates, 128 MiB
    // of address space trimmed to 64 in four system calls as the thread starts (a worker
    // of `check` reached its first line of Rust about 0.02 ms sooner without them).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: sets a glibc tunable before any other thread runs.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// `plain(size)` for a block that needs at most word alignment, else
/// `aligned(size, align)`: mimalloc's plain entry points already give word-aligned
/// blocks.
#[inline(always)]
fn by_alignment(
    size: usize,
    align: usize,
    plain: impl FnOnce(usize) -> *mut c_void,
    aligned: impl FnOnce(usize, usize) -> *mut c_void,
) -> *mut u8 {
    if align <= WORD {
        plain(size).cast()
    } else {
        aligned(size, align).cast()
    }
}

// SAFETY: each method hands mimalloc's answer on unchanged; a block whose layout asks
// for at most word alignment comes from `mi_malloc`/`mi_zalloc`/`mi_realloc`, whose
// blocks are word-aligned, any other from the aligned calls with the layout's
// alignment; every block is freed by `mi_free`, which takes blocks of either kind.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain calls into mimalloc with at least the layout's size (and its
        // alignment).
        by_alignment(
            rounded(layout.size()),
            layout.align(),
            |size| unsafe { mi::mi_malloc(size) },
            |size, align| unsafe { mi::mi_malloc_aligned(size, align) },
        )
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // (not rounded: mimalloc would clear the whole block it gives, touching all of it)
        // SAFETY: as `alloc`.
        by_alignment(
            layout.size(),
            layout.align(),
            |size| unsafe { mi::mi_zalloc(size) },
            |size, align| unsafe { mi::mi_zalloc_aligned(size, align) },
        )
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` is a block this allocator returned (the caller's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // (not `mi_realloc`: it copies all the room the old block has, and a rounded
        // block's room beyond what was asked was never touched)
        // SAFETY: `ptr` is a block this allocator returned with `layout` (the caller's
        // contract), so mimalloc knows its room; a new block comes from `alloc` with the
        // layout's alignment and `new_size` bytes or more, and the two do not overlap;
        // the old block's first `layout.size()` bytes are the caller's.
        unsafe {
            let room = mi::mi_usable_size(ptr.cast::<c_void>());
            let wanted = rounded(new_size);
            // kept where it is when it has the room and is not left more than half
            // empty (mimalloc's own rule)
            if wanted <= room && wanted >= room / 2 {
                return ptr;
            }
            let moved = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                mi::mi_free(ptr.cast::<c_void>());
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_over_a_page_is_given_at_the_next_power_of_two() {
        for (size, room) in [(PAGE + 1, 2 * PAGE), (5000, 8192), (40_000, 65_536)] {
            let layout = Layout::from_size_align(size, 1).unwrap();
            // SAFETY: a non-zero layout; the block is freed once, by this allocator.
            unsafe {
                let p = Mimalloc.alloc(layout);
                assert_eq!(mi::mi_usable_size(p.cast()), room, "{size}");
                Mimalloc.dealloc(p, layout);
            }
        }
        assert_eq!(rounded(PAGE), PAGE);
        assert_eq!(rounded(usize::MAX), usize::MAX);
    }

    #[test]
    fn a_block_moved_or_kept_keeps_its_bytes() {
        // grown past its room, grown within it, shrunk a little, shrunk below half
        let steps = [100, 5000, 8000, 7000, 3000, 70_000, 20];
        let mut layout = Layout::from_size_align(steps[0], 8).unwrap();
        // SAFETY: each block is the last one `realloc` returned, with its layout; it
        // is written only within its size, and freed once.
        unsafe {
            let mut p = Mimalloc.alloc(layout);
            for (i, b) in (0..layout.size()).map(|i| (i, i as u8)) {
                *p.add(i) = b;
            }
            for &size in &steps[1..] {
                let kept = layout.size().min(size);
                p = Mimalloc.realloc(p, layout, size);
                assert!(!p.is_null() && p as usize % 8 == 0, "{size}");
                let bytes = std::slice::from_raw_parts(p, kept);
                assert!(
                    bytes.iter().enumerate().all(|(i, &b)| b == i as u8),
                    "{size}"
                );
                layout = Layout::from_size_align(size, 8).unwrap();
                for i in kept..size {
                    *p.add(i) = i as u8;
                }
                assert!(mi::mi_usable_size(p.cast()) >= rounded(size), "{size}");
            }
            Mimalloc.dealloc(p, layout);
        }
    }

    #[test]
    fn blocks_have_the_alignment_asked_for() {
        for (size, align) in [
            (1, 1),
            (3, 2),
            (8, 8),
            (24, 8),
            (24, 16),
            (100, 64),
            (1 << 20, 32),
        ] {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a non-zero layout; each block is freed once, by this allocator.
            unsafe {
                let p = Mimalloc.alloc(layout);
                assert!(!p.is_null() && p as usize % align == 0, "{size} {align}");
                let q = Mimalloc.realloc(p, layout, size * 3);
                assert!(!q.is_null() && q as usize % align == 0, "{size} {align}");
                Mimalloc.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                let z = Mimalloc.alloc_zeroed(layout);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                Mimalloc.dealloc(z, layout);
            }
        }
    }
}
