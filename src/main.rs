use std::process::ExitCode;

/// mimalloc, not the system's allocator: see `src/server/memory.rs`.
#[global_allocator]
static ALLOCATOR: trove_spec_lsp::alloc::Mimalloc = trove_spec_lsp::alloc::Mimalloc;

fn main() -> ExitCode {
    trove_spec_lsp::cli::main()
}
