use std::process::ExitCode;

/// mimalloc, not the system's allocator: see `src/server/memory.rs`.
#[global_allocator]
static ALLOCATOR: trove_spec_lsp::alloc::Mimalloc = trove_spec_lsp::alloc::Mimalloc;

/// mimalloc set up before the first allocation, which Rust's runtime makes before
/// `main` (noting the main thread's stack for its overflow handler): run by the C
/// runtime as the program starts, as constructors are.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CONFIGURE: extern "C" fn() = {
    extern "C" fn configure() {
        trove_spec_lsp::alloc::configure();
    }
    configure
};

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    trove_spec_lsp::alloc::configure();
    trove_spec_lsp::cli::main()
}
