//! The language server: LSP over stdio on tower-lsp-server, one ropey buffer per open
//! document, diagnostics from the engine on every change.
//!
//! Map: `framing` reads LSP frames, resynchronising after bad input; `wire` parses and
//! dispatches messages and writes the output; `backend` implements the protocol methods and
//! dispatches; `capabilities` is the handshake; `documents` keeps the buffers and their
//! analyses; `from_proto` turns LSP positions into rope indices (the engine's byte
//! ranges go out through `crate::proto`); `workspace` resolves configuration, template
//! and mode per document; `watch` registers and filters file events, `disk_watch` watches
//! the disk itself for clients that cannot; `diagnostics`
//! publishes (one ordered task) or answers pulls. One module per feature: `completion`,
//! `hover`, `code_actions`, `symbols`, `folding`, each converting the position in, asking
//! the engine (`crate::assist`, `crate::check`) and converting the answer out; `guard`
//! keeps a panic from taking the server down; `log` writes the log to stderr without ever
//! blocking the server; `memory` gives a closed document's memory back to the system;
//! `settle` keeps one timer per document for its fresh edit.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tower_lsp_server::{ClientSocket, LspService};
use tracing_subscriber::EnvFilter;

mod backend;
mod capabilities;
mod code_actions;
mod completion;
mod diagnostics;
mod disk_watch;
mod documents;
mod folding;
mod framing;
mod from_proto;
mod guard;
mod hover;
mod inline;
mod log;
mod memory;
mod settle;
mod symbols;
mod watch;
mod wire;
mod workspace;

pub use backend::Backend;

/// The environment variable that sets the log level (`--log-level` wins).
pub const LOG_ENV: &str = "TROVE_SPEC_LSP_LOG";

/// Serve LSP on stdin/stdout until `exit`; logs go to stderr. Exits 0 when the client
/// sent `shutdown` before `exit`, 1 otherwise (as LSP asks).
///
/// One runtime thread runs the protocol and the publishing in order; two plain threads
/// take turns at reading stdin and apply the edits that arrive while the runtime's thread
/// is idle, running their analyses too (`wire`).
pub fn run(log_level: Option<&str>) -> ExitCode {
    init_logging(log_level);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("trove-spec-lsp: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let requested = shutdown_requested.clone();
    let (service, socket) = runtime.block_on(async move { service(requested) });
    let taken = Arc::new(AtomicU64::new(0));
    let incoming = wire::spawn_stdin(wire::Shortcut {
        backend: service.inner().clone(),
        runtime: runtime.handle().clone(),
        taken: taken.clone(),
    });
    runtime.block_on(wire::serve(service, socket, incoming, taken));
    // stdin may still be blocked in a read: the process ends without waiting for it
    runtime.shutdown_background();
    log::flush(std::time::Duration::from_secs(1));
    if shutdown_requested.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The language service without its transport: what [`run`] serves over stdio, and
/// what in-process tests drive request by request (the same handlers). The flag is set
/// when the client sends `shutdown`.
pub fn service(shutdown_requested: Arc<AtomicBool>) -> (LspService<Backend>, ClientSocket) {
    LspService::new(|client| Backend::new(client, shutdown_requested))
}

fn init_logging(log_level: Option<&str>) {
    let requested = log_level
        .map(str::to_string)
        .or_else(|| std::env::var(LOG_ENV).ok());
    let filter = match requested.as_deref().map(EnvFilter::try_new) {
        Some(Ok(filter)) => filter,
        Some(Err(err)) => {
            eprintln!("trove-spec-lsp: ignoring log level {requested:?}: {err}");
            EnvFilter::new("warn")
        }
        None => EnvFilter::new("warn"),
    };
    log::start();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(log::Stderr)
        .with_ansi(false)
        .init();
}
