//! The `template` command.

use std::process::ExitCode;

use super::TemplateArgs;

pub fn run(args: &TemplateArgs) -> ExitCode {
    let _ = args;
    todo!("template command")
}
