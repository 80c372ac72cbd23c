//! The `check` command.

use std::process::ExitCode;

use super::CheckArgs;

pub fn run(args: &CheckArgs) -> ExitCode {
    let _ = args;
    todo!("check command")
}
