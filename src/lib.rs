//! trove-spec-lsp: checks OpenStack specifications (reStructuredText) against their
//! project's template, as a language server and as a CI command.
//!
//! The analysis is a pure function, [`analyze`]: text + template + config -> outline +
//! findings. The CLI (`cli`) and the language server (`server`) are thin shells over it
//! and convert positions at the edge (`proto`), so the editor and CI always agree.
//!
//! What a shell calls, per document:
//! - [`config::find_file`] + [`Config::load`], then [`Config::merge_json`] for editor
//!   settings; [`Config::check_as`] decides [`Mode::Spec`] or [`Mode::Plain`];
//! - [`template::discover`] (explicit path, Nova release template, nearest
//!   `specs/template.rst`, built-in) and [`Template::from_source`];
//! - [`analyze_in`] for the outline and the findings, each with its fixes (given where
//!   the document is: its path, and how to ask whether a file next to it exists;
//!   [`analyze`] without); [`findings_in`] for the findings of a report that shows no
//!   fix;
//! - [`check::fix_all_missing`] for "insert all missing sections", and
//!   [`check::level_style`] + [`check::heading_text`] to write new headings;
//! - [`proto::diagnostic`] to publish a finding;
//! - [`assist::complete`] and [`assist::hover`] for what an editor offers at a cursor.

pub mod alloc;
pub mod assist;
pub mod check;
pub mod cli;
pub mod codes;
pub mod config;
pub mod files;
pub mod proto;
pub mod rst;
pub mod server;
pub mod template;
pub mod text;

pub use check::Finding;
pub use codes::{Code, Severity};
pub use config::Config;
pub use rst::Outline;
pub use template::Template;

/// How a document is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A spec: every rule, the template's structure included.
    Spec,
    /// Any other reStructuredText file (a README, a template): only the findings about
    /// heading structure that docutils itself reports.
    Plain,
    /// A file or directory that `check DIR` meets and no checked spec stands for (an
    /// entry of a release directory, a directory): its text is not read, only where it
    /// is and what it is are checked (`directory-name`, `file-extension`).
    Place {
        /// Whether it is a directory.
        directory: bool,
    },
}

/// How many of docutils' messages about rejected headings an analysis keeps.
pub const KEPT_REJECTED: usize = 1_000;

/// The result of analysing one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The parse, without its docutils messages (the findings report them) but those
    /// about headings docutils rejects for their level (at most [`KEPT_REJECTED`]):
    /// "Add all missing sections" waits for their fix.
    pub outline: Outline,
    pub findings: Vec<Finding>,
}

/// The one question the analysis asks about files (for docutils' `include`): whether
/// `path`, relative to the document's directory, is a file docutils could read. The
/// shell answers it (the CLI and the server from the file system); a document with no
/// directory (an unsaved buffer) has no answer, and its includes are not checked.
pub type FileExists<'a> = &'a dyn Fn(&std::path::Path) -> bool;

/// Where a document is, when it is a file: what the rules about where a spec lives
/// (`directory-name`, `file-extension`) read, apart from the configuration, so that one
/// configuration serves every document it resolves the same for.
#[derive(Clone, Copy)]
pub struct Location<'a> {
    /// The document's path (absolute).
    pub path: &'a std::path::Path,
    /// How to ask about the files it includes (`None`: they are not looked for).
    pub exists: Option<FileExists<'a>>,
}

/// Analyse `text` against `template` under `config`. Pure: no I/O, no globals; where
/// the document is is not known, so neither its path is checked nor the files an
/// `include` names looked for (see [`analyze_in`]).
pub fn analyze(text: &str, template: &Template, config: &Config, mode: Mode) -> Analysis {
    analyze_in(text, template, config, mode, None)
}

/// [`analyze`] for a document at `at`.
pub fn analyze_in(
    text: &str,
    template: &Template,
    config: &Config,
    mode: Mode,
    at: Option<Location>,
) -> Analysis {
    let mut expanded = Vec::new();
    let (outline, lines) = rst::parse_lines(text, &mut expanded);
    checked(text, (outline, &lines), template, config, mode, at)
}

/// [`analyze_in`] for a new text of a document whose earlier text's analysis left
/// `earlier` (an editor's previous version): the same analysis, with the parse replaying
/// what did not change. Also returns what the next analysis can reuse.
pub fn analyze_reusing(
    text: &str,
    template: &Template,
    config: &Config,
    mode: Mode,
    at: Option<Location>,
    earlier: Option<&rst::Reuse>,
) -> (Analysis, rst::Reuse) {
    let mut expanded = Vec::new();
    let (outline, reuse, lines) = rst::parse_reusing_lines(text, &mut expanded, earlier);
    let analysis = checked(text, (outline, &lines), template, config, mode, at);
    (analysis, reuse)
}

/// The findings of [`analyze_in`], for a report that shows none of their fixes (`check`
/// without `--fix` or `--diff`): the same findings, but missing sections and subsections
/// come without their fixes (the costliest to build: the text of the section, and where
/// it goes). The text is parsed before `template` is asked for (the parse needs none):
/// `check` parses a file while another thread may still be loading its template.
pub fn findings_in<'t, E>(
    text: &str,
    template: impl FnOnce() -> Result<&'t Template, E>,
    config: &Config,
    mode: Mode,
    at: Option<Location>,
) -> Result<Vec<Finding>, E> {
    let mut expanded = Vec::new();
    let (outline, lines) = rst::parse_lines(text, &mut expanded);
    Ok(check::run(
        text,
        (&outline, Some(&lines)),
        template()?,
        config,
        mode,
        at,
        false,
    ))
}

/// The analysis of `text`, given its parse: the outline and docutils' lines.
fn checked(
    text: &str,
    (mut outline, lines): (Outline, &[rst::Line]),
    template: &Template,
    config: &Config,
    mode: Mode,
    at: Option<Location>,
) -> Analysis {
    let parse = (&outline, Some(lines));
    let findings = check::run(text, parse, template, config, mode, at, true);
    // The rules turned docutils' messages into findings (capped per code); an open
    // document keeps its analysis, and a hostile one can have millions of messages.
    outline
        .messages
        .retain(|m| m.kind == rst::MessageKind::InconsistentTitleLevel);
    outline.messages.truncate(KEPT_REJECTED);
    outline.messages.shrink_to_fit();
    Analysis { outline, findings }
}
