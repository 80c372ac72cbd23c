//! Configuration: `trove-spec-lsp.toml` at the repository root, read by the CLI and the
//! server alike; LSP settings (the same keys, as JSON) override it per editor.
//!
//! ```toml
//! template = "specs/template.rst"   # relative to this file
//! optional = ["History", "Proposed Change/Alternatives"]
//! max-line-length = 79
//! specs = ["doc/source/specs/**/*.rst"]
//!
//! [severity]
//! section-order = "off"
//! line-too-long = "warning"
//! ```
//!
//! As LSP settings (`initializationOptions`, `workspace/didChangeConfiguration`) the same
//! keys form a JSON object, e.g. `{"template": "specs/template.rst", "optional":
//! ["History"], "severity": {"section-order": "off"}, "max-line-length": 99, "specs":
//! []}`; every key is optional and only the keys given override the file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::Mode;
use crate::codes::{Code, Severity};

/// The configuration file's name, looked up in the spec's directory and its ancestors.
pub const FILE_NAME: &str = "trove-spec-lsp.toml";

/// Effective configuration for checking one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Explicit template path (wins over discovery).
    pub template: Option<PathBuf>,
    /// Sections that may be absent: "History" (top level) or "Proposed Change/Alternatives".
    pub optional: Vec<String>,
    /// Per-code severity; `None` means the code is off.
    pub severities: BTreeMap<Code, Option<Severity>>,
    /// Line-length limit (upstream: 79; lines indented four spaces get four more).
    pub max_line_length: usize,
    /// Globs (besides `specs/`) naming files checked as specs.
    pub spec_globs: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            template: None,
            optional: Vec::new(),
            severities: BTreeMap::new(),
            max_line_length: 79,
            spec_globs: Vec::new(),
        }
    }
}

/// A configuration that could not be read: where, and what is wrong (naming the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file (or settings source) the error is in.
    pub source: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message.trim_end())
    }
}

impl std::error::Error for ConfigError {}

/// A severity as written in the configuration: a level or `off`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeveritySetting {
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

/// The keys of [`Settings`], as written in the file and in LSP settings.
pub const SETTINGS_KEYS: [&str; 5] = [
    "template",
    "optional",
    "severity",
    "max-line-length",
    "specs",
];

/// The keys of the file and of the LSP settings; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    template: Option<PathBuf>,
    optional: Option<Vec<String>>,
    severity: Option<BTreeMap<Code, SeveritySetting>>,
    max_line_length: Option<usize>,
    specs: Option<Vec<String>>,
}

impl Config {
    /// The severity in force for `code`, or `None` when it is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.severities.get(&code) {
            Some(s) => *s,
            None => Some(code.default_severity()),
        }
    }

    /// Whether a template section may be absent: `title` at the top level (`parent`
    /// `None`), or `"Parent/Title"` for a subsection.
    pub fn is_optional(&self, parent: Option<&str>, title: &str) -> bool {
        self.optional.iter().any(|o| match parent {
            None => o == title,
            Some(p) => o.strip_prefix(p).and_then(|r| r.strip_prefix('/')) == Some(title),
        })
    }

    /// Parse a configuration file's text. `path` names the file in errors and is the base
    /// of a relative `template`.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let source = path.display().to_string();
        let settings: Settings = toml::from_str(text).map_err(|e| toml_error(text, &source, &e))?;
        let mut config = Config::default();
        config.apply(settings, path.parent().unwrap_or(Path::new("")), &source)?;
        Ok(config)
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            source: path.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        Config::from_toml(&text, path)
    }

    /// Override this configuration with LSP settings: a JSON object with the file's keys
    /// (see the module docs). A relative `template` is resolved against `base` (the
    /// workspace root). On error `self` is left unchanged.
    pub fn merge_json(
        &mut self,
        settings: &serde_json::Value,
        base: &Path,
    ) -> Result<(), ConfigError> {
        let source = "settings".to_string();
        let parsed = Settings::deserialize(settings).map_err(|e| ConfigError {
            source: source.clone(),
            message: e.to_string(),
        })?;
        let mut merged = self.clone();
        merged.apply(parsed, base, &source)?;
        *self = merged;
        Ok(())
    }

    fn apply(&mut self, s: Settings, base: &Path, source: &str) -> Result<(), ConfigError> {
        let error = |message: String| ConfigError {
            source: source.to_string(),
            message,
        };
        if let Some(t) = s.template {
            self.template = Some(if t.is_relative() { base.join(t) } else { t });
        }
        if let Some(o) = s.optional {
            self.optional = o;
        }
        if let Some(sev) = s.severity {
            for (code, level) in sev {
                self.severities.insert(code, level.severity());
            }
        }
        if let Some(n) = s.max_line_length {
            if n == 0 {
                return Err(error("max-line-length must be at least 1".into()));
            }
            self.max_line_length = n;
        }
        if let Some(globs) = s.specs {
            for g in &globs {
                Glob::new(g).map_err(|e| error(format!("specs: invalid glob {g:?}: {e}")))?;
            }
            self.spec_globs = globs;
        }
        Ok(())
    }

    /// Whether `path` is checked as a spec (every rule) rather than as plain
    /// reStructuredText: it lies under a `specs` directory or matches a `specs` glob, and
    /// it is not a template.
    pub fn is_spec(&self, path: &Path) -> bool {
        if crate::template::is_template(path) {
            return false;
        }
        let parent = path.parent().unwrap_or(Path::new(""));
        if parent.components().any(|c| c.as_os_str() == "specs") {
            return true;
        }
        self.spec_matchers().iter().any(|m| m.is_match(path))
    }

    /// How the document at `path` is checked: [`Mode::Spec`] for a `.rst` file that
    /// [`Config::is_spec`] accepts, else [`Mode::Plain`]. The CLI and the server both
    /// decide with this, so a file gets the same findings from either.
    pub fn mode(&self, path: &Path) -> Mode {
        if path.extension().is_some_and(|e| e == "rst") && self.is_spec(path) {
            Mode::Spec
        } else {
            Mode::Plain
        }
    }

    fn spec_matchers(&self) -> Vec<GlobMatcher> {
        self.spec_globs
            .iter()
            .filter_map(|g| {
                let anchored = if g.starts_with('/') || g.starts_with("**") {
                    g.clone()
                } else {
                    format!("**/{g}")
                };
                Glob::new(&anchored).ok().map(|g| g.compile_matcher())
            })
            .collect()
    }
}

/// A TOML error on one line: `file:line:col: message (at `the line`)`.
fn toml_error(text: &str, source: &str, e: &toml::de::Error) -> ConfigError {
    let message = e.message().trim_end().replace('\n', " ");
    let Some(span) = e.span() else {
        return ConfigError {
            source: source.to_string(),
            message,
        };
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[..start].matches('\n').count() + 1;
    let col = text[line_start..start].chars().count() + 1;
    ConfigError {
        source: format!("{source}:{line}:{col}"),
        message: format!("{message} (at `{}`)", text[line_start..line_end].trim()),
    }
}

/// The nearest `trove-spec-lsp.toml` in `start` (a file's directory, or a directory) or
/// one of its ancestors.
pub fn find_file(start: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| exists(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new("/repo/trove-spec-lsp.toml"))
    }

    #[test]
    fn full_file() {
        let c = parse(
            r#"
template = "specs/template.rst"
optional = ["History", "Proposed Change/Alternatives"]
max-line-length = 99
specs = ["doc/specs/*.rst"]
[severity]
section-order = "off"
line-too-long = "warning"
"#,
        )
        .unwrap();
        assert_eq!(c.template, Some(PathBuf::from("/repo/specs/template.rst")));
        assert_eq!(c.max_line_length, 99);
        assert_eq!(c.severity(Code::SectionOrder), None);
        assert_eq!(c.severity(Code::LineTooLong), Some(Severity::Warning));
        assert_eq!(c.severity(Code::MissingSection), Some(Severity::Error));
        assert!(c.is_optional(None, "History"));
        assert!(c.is_optional(Some("Proposed Change"), "Alternatives"));
        assert!(!c.is_optional(None, "Alternatives"));
        assert!(!c.is_optional(Some("Implementation"), "Alternatives"));
        assert!(c.is_spec(Path::new("/repo/doc/specs/x.rst")));
        assert!(c.is_spec(Path::new("/repo/specs/kilo/x.rst")));
        assert!(!c.is_spec(Path::new("/repo/specs/template.rst")));
        assert!(!c.is_spec(Path::new("/repo/README.rst")));
    }

    #[test]
    fn errors_name_the_key_and_file() {
        let e = parse("tempalte = 'x'").unwrap_err();
        assert!(e.to_string().contains("trove-spec-lsp.toml"), "{e}");
        assert!(e.to_string().contains("tempalte"), "{e}");
        let e = parse("[severity]\nmissing-sectoin = 'off'").unwrap_err();
        assert!(e.to_string().contains("missing-sectoin"), "{e}");
        let e = parse("[severity]\nmissing-section = 'loud'").unwrap_err();
        assert!(e.to_string().contains("loud"), "{e}");
        let e = parse("max-line-length = 'long'").unwrap_err();
        assert!(e.to_string().contains("max-line-length"), "{e}");
        let e = parse("specs = ['a[']").unwrap_err();
        assert!(e.to_string().contains("specs"), "{e}");
    }

    #[test]
    fn json_settings_override_only_given_keys() {
        let mut c = parse("optional = ['History']\nmax-line-length = 99").unwrap();
        c.merge_json(
            &serde_json::json!({"severity": {"placeholder": "hint"}, "template": "t.rst"}),
            Path::new("/ws"),
        )
        .unwrap();
        assert_eq!(c.optional, vec!["History".to_string()]);
        assert_eq!(c.max_line_length, 99);
        assert_eq!(c.severity(Code::Placeholder), Some(Severity::Hint));
        assert_eq!(c.template, Some(PathBuf::from("/ws/t.rst")));
        let before = c.clone();
        let e = c
            .merge_json(&serde_json::json!({"max-line-length": 0}), Path::new("/ws"))
            .unwrap_err();
        assert!(e.to_string().contains("max-line-length"), "{e}");
        assert!(
            c.merge_json(&serde_json::json!({"colour": 1}), Path::new("/"))
                .is_err()
        );
        assert_eq!(c, before);
    }

    #[test]
    fn nearest_file_wins() {
        let found = find_file(Path::new("/a/b/specs/kilo"), |p| {
            p == Path::new("/a/b/trove-spec-lsp.toml") || p == Path::new("/a/trove-spec-lsp.toml")
        });
        assert_eq!(found, Some(PathBuf::from("/a/b/trove-spec-lsp.toml")));
        assert_eq!(find_file(Path::new("/x"), |_| false), None);
    }
}
