//! The `outline` command.

use std::process::ExitCode;

use super::OutlineArgs;

pub fn run(args: &OutlineArgs) -> ExitCode {
    let _ = args;
    todo!("outline command")
}
