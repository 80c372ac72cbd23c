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
//! - [`analyze`] for the outline and the findings, each with its fixes;
//! - [`check::fix_all_missing`] for "insert all missing sections", and
//!   [`check::level_style`] + [`check::heading_text`] to write new headings;
//! - [`proto::diagnostic`] to publish a finding;
//! - [`assist::complete`] and [`assist::hover`] for what an editor offers at a cursor.

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
}

/// The result of analysing one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub outline: Outline,
    pub findings: Vec<Finding>,
}

/// Analyse `text` against `template` under `config`. Pure: no I/O, no globals.
pub fn analyze(text: &str, template: &Template, config: &Config, mode: Mode) -> Analysis {
    let outline = rst::parse(text);
    let findings = check::run(text, &outline, template, config, mode);
    Analysis { outline, findings }
}
