//! The language server: LSP over stdio on tower-lsp-server, one ropey buffer per open
//! document, diagnostics from the engine on every change. See `ARCHITECTURE.md` for the
//! map; each LSP feature lives in a module of its own.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp_server::{LspService, Server};
use tracing_subscriber::EnvFilter;

mod backend;
mod capabilities;
mod code_actions;
mod completion;
mod diagnostics;
mod documents;
mod folding;
mod from_proto;
mod guidance;
mod headings;
mod hover;
mod markdown;
mod symbols;
mod watch;
mod wire;
mod workspace;

/// The environment variable that sets the log level (`--log-level` wins).
pub const LOG_ENV: &str = "TROVE_SPEC_LSP_LOG";

/// Serve LSP on stdin/stdout until `exit`; logs go to stderr. Exits 0 when the client
/// sent `shutdown` before `exit` (or closed stdin after it), 1 otherwise, as LSP asks.
pub fn run(log_level: Option<&str>) -> ExitCode {
    init_logging(log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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
    runtime.block_on(serve(shutdown_requested.clone()));
    // stdin may still be blocked in a read: do not wait for it
    runtime.shutdown_background();
    if shutdown_requested.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn serve(shutdown_requested: Arc<AtomicBool>) {
    let (server_in, client_in) = tokio::io::duplex(1 << 16);
    let (server_out, client_out) = tokio::io::duplex(1 << 16);
    let (frames_tx, frames_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(wire::pump_input(
        tokio::io::stdin(),
        client_in,
        frames_tx.downgrade(),
    ));
    let forward = tokio::spawn(wire::pump_server_output(client_out, frames_tx));
    let write = tokio::spawn(wire::pump_output(frames_rx, tokio::io::stdout()));

    let (service, socket) =
        LspService::new(|client| backend::Backend::new(client, shutdown_requested));
    Server::new(server_in, server_out, socket)
        .serve(service)
        .await;
    // the server's output end is dropped: drain what it wrote, then stop writing
    let _ = forward.await;
    let _ = write.await;
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
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
}
