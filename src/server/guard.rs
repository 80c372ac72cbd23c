//! A panic in the engine or a feature must not take the server down: run a computation,
//! and turn a panic into a logged `None` (the request gets an empty answer, the document
//! keeps its previous diagnostics).

use std::panic::{AssertUnwindSafe, catch_unwind};

use tracing::error;

/// `f()`, or `None` (logged as `what`) if it panics.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(_) => {
            error!("{what} panicked; answered with nothing");
            None
        }
    }
}
