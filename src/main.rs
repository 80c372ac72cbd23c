use std::process::ExitCode;

/// mimalloc, not the system's allocator: see `src/server/memory.rs`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    trove_spec_lsp::cli::main()
}
