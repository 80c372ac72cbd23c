//! The language server: LSP over stdio on tower-lsp-server, one ropey buffer per open
//! document, diagnostics from the engine on every change.

use std::process::ExitCode;

/// Serve LSP on stdin/stdout until `exit`; logs go to stderr.
pub fn run(log_level: Option<&str>) -> ExitCode {
    let _ = log_level;
    todo!("language server")
}
