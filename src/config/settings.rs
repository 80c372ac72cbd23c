//! The keys of `trove-spec-lsp.toml`, of a preset and of the LSP settings, as parsed
//! (every key optional), and how one set of them is applied over a [`Config`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::Glob;
use serde::Deserialize;

use super::require::{Require, RequireSpec};
use super::{Config, ConfigError, Exemption, MessageFilter};
use crate::codes::{Code, Severity};

/// The top-level keys a file or the LSP settings may hold.
pub const SETTINGS_KEYS: [&str; 22] = [
    "preset",
    "include",
    "exclude",
    "specs",
    "override",
    "template",
    "optional",
    "required",
    "allow-extra",
    "severity",
    "max-line-length",
    "line-length-exemptions",
    "require",
    "allowed-directories",
    "trailing-whitespace",
    "directives",
    "roles",
    "ignore-messages",
    "check-templates",
    "rst-error-level",
    "invisible-characters",
    "max-file-size",
];

/// A severity as written in the configuration: a level or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum SeveritySetting {
    Error,
    Warning,
    Information,
    Hint,
    Off,
}

impl SeveritySetting {
    fn severity(self) -> Option<Severity> {
        match self {
            SeveritySetting::Error => Some(Severity::Error),
            SeveritySetting::Warning => Some(Severity::Warning),
            SeveritySetting::Information => Some(Severity::Information),
            SeveritySetting::Hint => Some(Severity::Hint),
            SeveritySetting::Off => None,
        }
    }
}

/// What counts as trailing whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trailing {
    /// Spaces only (`test_titles.py`: `" +$"`).
    #[default]
    Spaces,
    /// Any whitespace, tabs too (doc8's D002).
    Any,
}

/// The docutils level from which an `rst-*` or `heading-structure` message is an error (below
/// it, a warning), unless `[severity]` sets its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RstErrorLevel {
    /// ERROR (3) and SEVERE (4): what fails the docs build.
    #[default]
    Error,
    /// SEVERE (4) only: what `publish_doctree` halts at, so what fails `test_titles.py`.
    Severe,
}

impl RstErrorLevel {
    pub fn level(self) -> u8 {
        match self {
            RstErrorLevel::Error => 3,
            RstErrorLevel::Severe => 4,
        }
    }
}

/// One file's, preset's or settings object's keys. An `[[override]]` table holds the
/// same keys plus `files`, and none of the file-selection keys.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct Settings {
    pub preset: Option<String>,
    pub include: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub specs: Option<Vec<String>>,
    #[serde(rename = "override")]
    pub overrides: Option<Vec<Settings>>,
    pub files: Option<Vec<String>>,
    pub template: Option<PathBuf>,
    pub optional: Option<Vec<String>>,
    pub required: Option<Vec<String>>,
    pub allow_extra: Option<Vec<String>>,
    pub severity: Option<BTreeMap<Code, SeveritySetting>>,
    pub max_line_length: Option<usize>,
    pub line_length_exemptions: Option<Vec<Exemption>>,
    #[serde(rename = "require")]
    pub requires: Option<Vec<RequireSpec>>,
    pub allowed_directories: Option<Vec<String>>,
    pub trailing_whitespace: Option<Trailing>,
    pub directives: Option<Vec<String>>,
    pub roles: Option<Vec<String>>,
    pub ignore_messages: Option<Vec<String>>,
    pub check_templates: Option<bool>,
    pub rst_error_level: Option<RstErrorLevel>,
    pub invisible_characters: Option<Vec<String>>,
    pub max_file_size: Option<FileSize>,
}

/// `max-file-size`: bytes, or a string with a unit ("64MiB", see
/// [`crate::files::parse_size`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileSize(u64);

impl<'de> Deserialize<'de> for FileSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FileSize, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = FileSize;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a size: bytes, or a string such as \"64MiB\"")
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<FileSize, E> {
                match n {
                    0 => Err(E::custom("the size must be at least 1 byte")),
                    n => Ok(FileSize(n)),
                }
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<FileSize, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom("the size must be at least 1 byte")),
                }
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<FileSize, E> {
                crate::files::parse_size(s).map(FileSize).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Settings {
    /// Keys that select files, allowed at the top level only.
    fn selection_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        for (key, set) in [
            ("preset", self.preset.is_some()),
            ("include", self.include.is_some()),
            ("exclude", self.exclude.is_some()),
            ("specs", self.specs.is_some()),
            ("override", self.overrides.is_some()),
            ("check-templates", self.check_templates.is_some()),
        ] {
            if set {
                keys.push(key);
            }
        }
        keys
    }

    /// Check what `serde` cannot: where each key may appear, globs, limits and regular
    /// expressions (by applying every table to a scratch configuration).
    pub fn validate(&self, base: &Path, source: &str, in_preset: bool) -> Result<(), ConfigError> {
        let error = |message: String| ConfigError {
            source: source.to_string(),
            message,
        };
        if self.files.is_some() {
            return Err(error("files: only allowed in an [[override]] table".into()));
        }
        if in_preset && self.preset.is_some() {
            return Err(error("preset: a preset cannot name another preset".into()));
        }
        for (key, globs) in [
            ("include", &self.include),
            ("exclude", &self.exclude),
            ("specs", &self.specs),
        ] {
            check_globs(key, globs.as_deref().unwrap_or_default(), source)?;
        }
        self.apply_rules(&mut Config::default(), base, source, None, None)?;
        for (i, o) in self.overrides.iter().flatten().enumerate() {
            let at = format!("override[{i}]");
            if let Some(key) = o.selection_keys().first() {
                return Err(error(format!("{at}: {key} is not allowed in an override")));
            }
            let Some(files) = &o.files else {
                return Err(error(format!("{at}: files is required (a list of globs)")));
            };
            check_globs(&format!("{at}.files"), files, source)?;
            o.apply_rules(&mut Config::default(), base, source, None, None)?;
        }
        Ok(())
    }

    /// Apply the rule keys (everything but file selection) over `config`, for the
    /// document at `file` if for one; `ignore` is `ignore-messages` compiled already, if
    /// it was.
    pub fn apply_rules(
        &self,
        c: &mut Config,
        base: &Path,
        source: &str,
        ignore: Option<&MessageFilter>,
        file: Option<&Path>,
    ) -> Result<(), ConfigError> {
        let error = |message: String| ConfigError {
            source: source.to_string(),
            message,
        };
        if let Some(t) = &self.template {
            if t.as_os_str().is_empty() {
                let why = "the value is empty: give a template path, or remove the key for the built-in template";
                return Err(error(format!("template: {why}")));
            }
            c.template = Some(if t.is_relative() {
                base.join(t)
            } else {
                t.clone()
            });
            c.template_from = Some(source.to_string());
        }
        if let Some(o) = &self.optional {
            c.optional = o.clone();
        }
        if let Some(r) = &self.required {
            c.required = Some(r.clone());
        }
        if let Some(a) = &self.allow_extra {
            c.allow_extra = a.clone();
        }
        if let Some(d) = &self.directives {
            c.directives = d.clone();
        }
        if let Some(r) = &self.roles {
            c.roles = r.clone();
        }
        if let Some(m) = &self.ignore_messages {
            c.ignore_messages = match ignore {
                Some(compiled) => compiled.clone(),
                None => {
                    MessageFilter::new(m).map_err(|e| error(format!("ignore-messages: {e}")))?
                }
            };
        }
        if let Some(chars) = &self.invisible_characters {
            c.invisible = chars
                .iter()
                .map(|c| {
                    code_point(c).ok_or_else(|| {
                        error(format!(
                            "invisible-characters: {c:?} is not a code point written U+XXXX"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(level) = self.rst_error_level {
            c.rst_error_level = level;
        }
        if let Some(sev) = &self.severity {
            for (code, level) in sev {
                c.severities.insert(*code, level.severity());
            }
        }
        if let Some(n) = self.max_line_length {
            if n == 0 {
                return Err(error("max-line-length must be at least 1".into()));
            }
            c.max_line_length = n;
        }
        if let Some(e) = &self.line_length_exemptions {
            c.line_exemptions = e.iter().copied().collect();
        }
        if let Some(specs) = &self.requires {
            c.requires = specs
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    Require::new(s, file).map_err(|m| error(format!("require[{i}]: {m}")))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(d) = &self.allowed_directories {
            c.allowed_directories = Some(d.clone());
        }
        if let Some(t) = self.trailing_whitespace {
            c.trailing = t;
        }
        if let Some(FileSize(bytes)) = self.max_file_size {
            c.max_file_size = crate::files::Limit {
                bytes,
                set_in: Some(source.to_string()),
            };
        }
        Ok(())
    }
}

/// The character `U+XXXX` names.
fn code_point(name: &str) -> Option<char> {
    let hex = name.strip_prefix("U+")?;
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

fn check_globs(key: &str, globs: &[String], source: &str) -> Result<(), ConfigError> {
    for g in globs {
        Glob::new(g).map_err(|e| ConfigError {
            source: source.to_string(),
            message: format!("{key}: invalid glob {g:?}: {e}"),
        })?;
    }
    Ok(())
}
