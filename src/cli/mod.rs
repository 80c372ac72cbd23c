//! The command line: argument parsing and dispatch to the `check`, `outline` and
//! `template` commands and to the language server (the default).

use std::io::{self, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod check;
mod fix;
mod lookup;
mod outline;
mod output;
mod pipeline;
mod template;
mod walk;

#[derive(Debug, Parser)]
#[command(
    name = "trove-spec-lsp",
    version,
    about = "Language server and checker for OpenStack specs"
)]
pub struct Cli {
    /// Log level for the server's stderr log (error, warn, info, debug, trace); also
    /// TROVE_SPEC_LSP_LOG.
    #[arg(long, global = true)]
    pub log_level: Option<String>,
    /// Speak LSP on stdio, as with no command (accepted as most language servers
    /// accept it: VS Code's client passes it).
    #[arg(long)]
    pub stdio: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Speak LSP on stdio (the default when no command is given).
    Serve(ServeArgs),
    /// Check specs (files, or directories searched for *.rst) against their template.
    Check(CheckArgs),
    /// Print the section tree docutils would build.
    Outline(OutlineArgs),
    /// Print the expected outline of a template.
    Template(TemplateArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Speak LSP on stdio (the only transport; accepted for clients that pass it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Template to check against (overrides discovery and the config file).
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// Configuration file (default: the nearest trove-spec-lsp.toml above each spec).
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: output::CheckFormat,
    /// Apply every safe fix (whitespace, line endings, invisible characters, underline
    /// length) in place, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Print the unified diff that --fix would apply instead of writing it; exit 1 when
    /// there is one.
    #[arg(long)]
    pub diff: bool,
    /// Print the number of findings per code instead of each finding (text format).
    #[arg(long)]
    pub statistics: bool,
    /// The largest spec or template read: bytes, or with a unit ("64MiB", "512KiB";
    /// default: max-file-size in the configuration, else 64MiB).
    #[arg(long, value_name = "SIZE", value_parser = crate::files::parse_size)]
    pub max_file_size: Option<u64>,
    /// Spec files or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct OutlineArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// Template file (default: the built-in Trove template).
    #[arg(long)]
    pub template: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    if let Some(args) = plain_check(std::env::args_os().skip(1)) {
        return check::run(&args);
    }
    let cli = Cli::parse();
    if cli.stdio && !matches!(cli.command, None | Some(Command::Serve(_))) {
        use clap::CommandFactory;
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--stdio starts the language server: it takes no other command",
            )
            .exit();
    }
    match cli.command {
        None | Some(Command::Serve(_)) => crate::server::run(cli.log_level.as_deref()),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Outline(args)) => outline::run(&args),
        Some(Command::Template(args)) => template::run(&args),
    }
}

/// `check` given only paths (`check DIR ...`, as CI runs it): the arguments clap would
/// make of them, without clap; anything else (an option, an empty argument, no path) is
/// left to clap. clap sets up the whole command line first, 0.15-0.2 ms of the main
/// thread before it starts on the files (90,000 instructions and 23 page faults of
/// `check` of an empty directory's 428,000 and 135): `check` of one repository of the
/// corpus took 0.984-0.986 of its time with clap (runs taking turns, 81 pairs, in each order).
/// A test compares the two on many command lines.
fn plain_check(mut args: impl Iterator<Item = std::ffi::OsString>) -> Option<CheckArgs> {
    if args.next()? != "check" {
        return None;
    }
    let paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let plain = |p: &PathBuf| {
        !p.as_os_str().is_empty() && !p.as_os_str().as_encoded_bytes().starts_with(b"-")
    };
    (!paths.is_empty() && paths.iter().all(plain)).then(|| CheckArgs {
        template: None,
        config: None,
        format: output::CheckFormat::default(),
        fix: false,
        diff: false,
        statistics: false,
        max_file_size: None,
        paths,
    })
}

/// Standard output, buffered, for a command's whole output: 64 KiB at a time into a pipe
/// or a file (each write wakes a reader, on a core the workers need: `check` of the
/// corpus wrote its 77 KB in 11 pieces), the usual 8 KiB on a terminal, where output
/// shows as it comes.
fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    let out = io::stdout();
    let capacity = if out.is_terminal() { 8 << 10 } else { 64 << 10 };
    io::BufWriter::with_capacity(capacity, out.lock())
}

/// Flushes a command's output: `Err` is the exit of [`output_failed`].
fn finish(mut out: impl Write) -> Result<(), ExitCode> {
    out.flush().map_err(|e| output_failed(&e))
}

/// Ends the process at once with `code`, its output written: what the command built is
/// freed with the process rather than piece by piece, and the allocator's own clean-up
/// at exit (handing each arena's pages back with `madvise`, nine calls after `check`
/// of the corpus) is skipped.
fn end(code: u8) -> ! {
    // (the command flushed its own buffer already; standard error is unbuffered)
    let _ = io::stdout().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process without running exit handlers or destructors:
    // nothing is left unwritten (above), and no file is left half-written (`--fix`
    // writes each file whole before this).
    unsafe {
        libc::_exit(code.into())
    }
    #[cfg(not(unix))]
    std::process::exit(code.into())
}

/// The exit of a command whose output could not be written (exit 2): a closed pipe
/// (`| head -1`) ends it quietly, as it does other Unix tools; any other error (a full
/// disk) is one line.
fn output_failed(e: &io::Error) -> ExitCode {
    if e.kind() != io::ErrorKind::BrokenPipe {
        eprintln!("error: writing output: {e}");
    }
    ExitCode::from(2)
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically, so that its
/// ancestors are the directories template and configuration discovery look in.
fn normalize(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` as `Path::display` writes it, borrowed when it is UTF-8 (written for each
/// finding, `display` costs a thousand instructions or so).
fn path_text(path: &Path) -> std::borrow::Cow<'_, str> {
    match path.to_str() {
        Some(text) => text.into(),
        None => path.display().to_string().into(),
    }
}

/// An absolute `path` relative to `cwd` (with `..` where needed), for output; other
/// paths as they are.
fn display_path(cwd: &Path, path: &Path) -> String {
    if !path.is_absolute() {
        return path.display().to_string();
    }
    let (mut here, mut there) = (cwd.components().peekable(), path.components().peekable());
    while let (Some(a), Some(b)) = (here.peek(), there.peek()) {
        if a != b {
            break;
        }
        here.next();
        there.next();
    }
    let mut out: PathBuf = here.map(|_| Component::ParentDir).collect();
    out.extend(there);
    out.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_for_output() {
        let cwd = Path::new("/work/wt");
        assert_eq!(
            normalize(cwd, Path::new("../other/./a.rst")),
            Path::new("/work/other/a.rst")
        );
        assert_eq!(
            display_path(cwd, Path::new("/work/other/t.rst")),
            "../other/t.rst"
        );
        assert_eq!(
            display_path(cwd, Path::new("/work/wt/specs/t.rst")),
            "specs/t.rst"
        );
        assert_eq!(display_path(cwd, Path::new("rel/t.rst")), "rel/t.rst");
    }

    /// What clap makes of `args` (after the program's name), as `check`'s arguments.
    fn by_clap(args: &[std::ffi::OsString]) -> Option<String> {
        let name = std::ffi::OsString::from("trove-spec-lsp");
        let cli = Cli::try_parse_from(std::iter::once(name).chain(args.iter().cloned())).ok()?;
        match (cli.command, cli.stdio, cli.log_level) {
            (Some(Command::Check(args)), false, None) => Some(format!("{args:?}")),
            _ => None,
        }
    }

    proptest::proptest! {
        /// Whatever `check` command line `plain_check` takes, clap makes the same of it
        /// (paths, options, empty arguments and dashes mixed; `plain_check` takes no
        /// other command).
        #[test]
        fn a_plain_check_is_what_clap_makes_of_it(
            rest in proptest::collection::vec(
                proptest::sample::select(vec![
                    "specs", "a b.rst", "", "-", "--", "--fix", "--format", "json", "help",
                    "check", "-x", "\u{e9}t\u{e9}.rst", "--log-level", "debug", "--stdio",
                ]),
                0..4,
            ),
        ) {
            let args: Vec<std::ffi::OsString> =
                std::iter::once("check").chain(rest).map(Into::into).collect();
            if let Some(plain) = plain_check(args.clone().into_iter()) {
                proptest::prop_assert_eq!(Some(format!("{plain:?}")), by_clap(&args));
            }
        }
    }

    #[test]
    fn only_paths_after_check_skip_clap() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let plain = args(&["check", "specs", "other/a.rst"]);
        let taken = plain_check(plain.clone().into_iter()).expect("only paths");
        assert_eq!(Some(format!("{taken:?}")), by_clap(&plain));
        for left in [
            &["check"][..],
            &["check", "--fix", "specs"],
            &["check", ""],
            &["outline", "a"],
        ] {
            assert!(plain_check(args(left).into_iter()).is_none(), "{left:?}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let invalid = std::ffi::OsStr::from_bytes(b"specs/\xffa.rst").to_owned();
            let plain = vec!["check".into(), invalid];
            let taken = plain_check(plain.clone().into_iter()).expect("a path");
            assert_eq!(Some(format!("{taken:?}")), by_clap(&plain));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_path_is_printed_as_display_writes_it() {
        use std::os::unix::ffi::OsStrExt;
        let invalid = std::ffi::OsStr::from_bytes(b"specs/\xffa\xc3.rst");
        for path in [Path::new("specs/\u{e9}t\u{e9}.rst"), Path::new(invalid)] {
            assert_eq!(path_text(path), path.display().to_string());
        }
    }
}
