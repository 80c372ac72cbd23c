//! The allocator of the binary, the benchmarks and the keystroke example: mimalloc (see
//! `src/server/memory.rs` for why), called the way most of Rust's allocations need.
//!
//! `mimalloc::MiMalloc` asks for every block through mimalloc's aligned entry points,
//! which check the alignment before they reach the same fast path `mi_malloc` takes:
//! about 17 more instructions per allocation (0.5 M of `check`'s 59.3 M over the
//! corpus). Every mimalloc block is aligned to at least a word, so a layout that asks
//! for no more goes to `mi_malloc` and `mi_realloc`; any other to the aligned ones.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every block mimalloc returns has (its word size).
const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc as the global allocator.
pub struct Mimalloc;

/// mimalloc's `arena_reserve` option (`mi_option_arena_reserve` in its `mimalloc.h`;
/// the Rust bindings name no constant for it).
const ARENA_RESERVE: mi::mi_option_t = 23;

/// Sets mimalloc up for this process, before its first allocation: its first arena
/// reserves 64 MiB of address space rather than 1 GiB. The arena's bitmaps are written
/// out when it is reserved, and for 1 GiB they fill 42 pages: an empty `check` took
/// 289 page faults (about 2 µs each on the development machine), now 251. More arenas
/// are reserved as memory grows. On Unix a
/// `MIMALLOC_ARENA_RESERVE` in the environment is left to decide (looked up without
/// allocating: `std::env::var_os` would allocate, reserving the arena first).
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
        // SAFETY: plain calls into mimalloc with the layout's size (and alignment).
        by_alignment(
            layout.size(),
            layout.align(),
            |size| unsafe { mi::mi_malloc(size) },
            |size, align| unsafe { mi::mi_malloc_aligned(size, align) },
        )
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
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
        let ptr = ptr.cast::<c_void>();
        // SAFETY: `ptr` is a block this allocator returned with `layout` (the caller's
        // contract); the new block keeps the alignment it asked for.
        by_alignment(
            new_size,
            layout.align(),
            |size| unsafe { mi::mi_realloc(ptr, size) },
            |size, align| unsafe { mi::mi_realloc_aligned(ptr, size, align) },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
