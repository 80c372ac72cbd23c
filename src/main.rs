use std::process::ExitCode;

fn main() -> ExitCode {
    trove_spec_lsp::cli::main()
}
