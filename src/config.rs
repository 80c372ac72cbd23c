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
//!
//! Keys are applied in layers, each over the ones before it: a preset (when one is named),
//! the file, the editor's settings; within each layer its top-level keys and then, for a
//! given document, every `[[override]]` whose `files` match it, in order. Submodules: the
//! keys as parsed (`settings`), file selection (`select`), presets shipped in the binary
//! (`preset`), `[[require]]` (`require`).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::Mode;
use crate::codes::{Code, Severity};

mod preset;
mod require;
mod select;
mod settings;

pub use preset::PRESETS;
pub use require::{Boundary, Require, RequireSpec};
pub use select::Asked;
pub use settings::{RstErrorLevel, SETTINGS_KEYS, Trailing};

pub(crate) use select::Globs;
use settings::Settings;

/// The configuration file's name, looked up in the spec's directory and its ancestors.
pub const FILE_NAME: &str = "trove-spec-lsp.toml";

/// Zero-width and other invisible code points: what `invisible-character` reports by
/// default.
pub const INVISIBLE: [char; 10] = [
    '\u{180E}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{2061}', '\u{2062}', '\u{2063}',
    '\u{2064}', '\u{FEFF}',
];

/// docutils messages not to report: regular expressions matched at the start of the
/// message's text (doc8's Sphinx mode drops "Unknown directive type" and the like).
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    patterns: Vec<String>,
    set: Option<regex::RegexSet>,
}

impl MessageFilter {
    pub fn new(patterns: &[String]) -> Result<MessageFilter, regex::Error> {
        let anchored = patterns.iter().map(|p| format!("^(?:{p})"));
        Ok(MessageFilter {
            patterns: patterns.to_vec(),
            set: Some(regex::RegexSet::new(anchored)?),
        })
    }

    /// Whether the message `text` is dropped.
    pub fn ignores(&self, text: &str) -> bool {
        self.set.as_ref().is_some_and(|s| s.is_match(text))
    }
}

impl PartialEq for MessageFilter {
    fn eq(&self, other: &MessageFilter) -> bool {
        self.patterns == other.patterns
    }
}

impl Eq for MessageFilter {}

/// A line-length exemption: lines of this kind may be longer than `max-line-length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exemption {
    /// Lines after a line containing `::`, while they stay blank or start with a space
    /// (nova).
    LiteralBlocks,
    /// Lines containing `http://` or `https://` (nova).
    Urls,
    /// Lines with no whitespace after their indentation (nova).
    NoWhitespace,
    /// Lines whose first non-blank character is `+` or `|` (trove).
    Tables,
    /// Lines with more than one `/` (trove).
    Paths,
    /// Lines starting with four spaces get four more characters (trove).
    IndentedFour,
    /// Lines containing `<% $` (trove).
    YaqlExpressions,
}

impl Exemption {
    /// Trove's set, the default.
    pub const TROVE: [Exemption; 4] = [
        Exemption::Tables,
        Exemption::Paths,
        Exemption::IndentedFour,
        Exemption::YaqlExpressions,
    ];
}

/// Effective configuration for checking one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Explicit template path (wins over discovery).
    pub template: Option<PathBuf>,
    /// The file (or `settings`, or preset) that set `template`, for messages.
    pub template_from: Option<String>,
    /// Sections that may be absent: "History" (top level) or "Proposed Change/Alternatives".
    pub optional: Vec<String>,
    /// When set, only these template sections are required (same form as `optional`).
    pub required: Option<Vec<String>>,
    /// Top-level sections allowed besides the template's.
    pub allow_extra: Vec<String>,
    /// Directive names the repository's docs build adds (extensions of its own).
    pub directives: Vec<String>,
    /// Interpreted text role names the repository's docs build adds.
    pub roles: Vec<String>,
    /// docutils messages not reported (`ignore-messages`; doc8's Sphinx mode).
    pub ignore_messages: MessageFilter,
    /// Whether templates that `include` matches are checked like specs
    /// (`check-templates`; doc8 reads every file).
    pub check_templates: bool,
    /// The characters `invisible-character` reports (`invisible-characters`).
    pub invisible: Vec<char>,
    /// From which docutils level an `rst-*` message is an error (`rst-error-level`).
    pub rst_error_level: RstErrorLevel,
    /// Per-code severity; `None` means the code is off.
    pub severities: BTreeMap<Code, Option<Severity>>,
    /// Line-length limit (upstream: 79).
    pub max_line_length: usize,
    /// Kinds of lines exempt from the limit (default: Trove's).
    pub line_exemptions: BTreeSet<Exemption>,
    /// Text required before some line (`[[require]]`).
    pub requires: Vec<Require>,
    /// Names allowed right below a release directory (`specs/<release>/<name>`).
    pub allowed_directories: Option<Vec<String>>,
    /// What counts as trailing whitespace.
    pub trailing: Trailing,
    /// Globs (besides `specs/`) naming files checked as specs.
    pub spec_globs: Vec<String>,
    /// The largest spec or template file read (`max-file-size`).
    pub max_file_size: crate::files::Limit,
    /// `include` and `exclude`, with the directory they are relative to.
    pub(crate) include: Option<Globs>,
    pub(crate) exclude: Option<Globs>,
    /// Every layer applied so far, kept to resolve overrides per document.
    pub(crate) layers: Vec<Layer>,
}

/// One source of keys: a preset, a file or the editor's settings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layer {
    settings: Settings,
    /// The directory relative paths and globs are relative to.
    base: PathBuf,
    source: String,
    /// Its `include`, `exclude` and each override's `files`, compiled.
    include: Option<Globs>,
    exclude: Option<Globs>,
    overrides: Vec<Globs>,
    /// Its `ignore-messages` and each override's, compiled once: a configuration is
    /// resolved again for every document.
    ignore: Compiled,
    override_ignores: Vec<Compiled>,
}

/// A layer's `ignore-messages`, compiled (the layer was validated, so it compiles).
type Compiled = Option<MessageFilter>;

fn compile_ignores(settings: &Settings) -> Compiled {
    (settings.ignore_messages.as_deref()).and_then(|m| MessageFilter::new(m).ok())
}

impl Layer {
    fn new(settings: Settings, base: &Path, source: String) -> Layer {
        let globs = |g: &Option<Vec<String>>| g.as_deref().map(|g| Globs::new(base, g));
        Layer {
            include: globs(&settings.include),
            exclude: globs(&settings.exclude),
            overrides: settings
                .overrides
                .iter()
                .flatten()
                .map(|o| Globs::new(base, o.files.as_deref().unwrap_or_default()))
                .collect(),
            ignore: compile_ignores(&settings),
            override_ignores: settings
                .overrides
                .iter()
                .flatten()
                .map(compile_ignores)
                .collect(),
            settings,
            base: base.to_path_buf(),
            source,
        }
    }
}

impl Eq for Layer {}

impl Default for Config {
    fn default() -> Self {
        Config {
            template: None,
            template_from: None,
            optional: Vec::new(),
            required: None,
            allow_extra: Vec::new(),
            directives: Vec::new(),
            roles: Vec::new(),
            ignore_messages: MessageFilter::default(),
            check_templates: false,
            rst_error_level: RstErrorLevel::default(),
            invisible: INVISIBLE.to_vec(),
            severities: BTreeMap::new(),
            max_line_length: 79,
            line_exemptions: Exemption::TROVE.into_iter().collect(),
            requires: Vec::new(),
            allowed_directories: None,
            trailing: Trailing::default(),
            spec_globs: Vec::new(),
            max_file_size: crate::files::Limit::default(),
            include: None,
            exclude: None,
            layers: Vec::new(),
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

impl Config {
    /// The severity in force for `code`, or `None` when it is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.severities.get(&code) {
            Some(s) => *s,
            None => code.on_by_default().then(|| code.default_severity()),
        }
    }

    /// The severity the configuration gives `code` explicitly (`Some(None)` for `off`),
    /// `None` when it leaves the default.
    pub fn configured_severity(&self, code: Code) -> Option<Option<Severity>> {
        self.severities.get(&code).copied()
    }

    /// Whether a template section may be absent: `title` at the top level (`parent`
    /// `None`), or `"Parent/Title"` for a subsection. With `required` set, every section
    /// it does not name may be absent.
    pub fn is_optional(&self, parent: Option<&str>, title: &str) -> bool {
        let names = |list: &[String]| {
            list.iter().any(|o| match parent {
                None => o == title,
                Some(p) => o.strip_prefix(p).and_then(|r| r.strip_prefix('/')) == Some(title),
            })
        };
        names(&self.optional) || self.required.as_deref().is_some_and(|r| !names(r))
    }

    /// Parse a configuration file's text. `path` names the file in errors and is the base
    /// of a relative `template` and of globs.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let source = path.display().to_string();
        let settings: Settings = toml::from_str(text).map_err(|e| toml_error(text, &source, &e))?;
        let mut config = Config::default();
        config.push(settings, path.parent().unwrap_or(Path::new("")), &source)?;
        Ok(config)
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let cannot = |e: &dyn std::fmt::Display| ConfigError {
            source: path.display().to_string(),
            message: format!("cannot read: {e}"),
        };
        // (the configuration file itself is read within the default limit)
        let bytes = crate::files::read_bytes(path, &crate::files::Limit::default())
            .map_err(|e| cannot(&e))?;
        let text = String::from_utf8(bytes).map_err(|e| cannot(&e))?;
        Config::from_toml(&text, path)
    }

    /// Override this configuration with LSP settings: a JSON object with the file's keys
    /// (see the module docs). Relative paths and globs are resolved against `base` (the
    /// workspace root). On error `self` is left unchanged.
    pub fn merge_json(
        &mut self,
        settings: &serde_json::Value,
        base: &Path,
    ) -> Result<(), ConfigError> {
        let source = "settings";
        let parsed: Settings = serde_path_to_error::deserialize(settings).map_err(|e| {
            let at = match e.path().to_string() {
                root if root == "." => source.to_string(),
                key => format!("{source}.{key}"),
            };
            // serde's words for JSON's arrays and objects
            let message = (e.inner().to_string())
                .replace("expected a sequence", "expected a list")
                .replace("expected a map", "expected an object");
            ConfigError {
                source: at,
                message,
            }
        })?;
        let mut merged = self.clone();
        merged.push(parsed, base, source)?;
        *self = merged;
        Ok(())
    }

    /// Add a layer (after its preset, if it names one) and re-resolve.
    fn push(&mut self, settings: Settings, base: &Path, source: &str) -> Result<(), ConfigError> {
        settings.validate(base, source, false)?;
        if let Some(name) = &settings.preset {
            let preset = preset::load(name).map_err(|message| ConfigError {
                source: source.to_string(),
                message,
            })?;
            self.layers
                .push(Layer::new(preset, base, format!("preset {name}")));
        }
        self.layers
            .push(Layer::new(settings, base, source.to_string()));
        *self = Config::resolve(&self.layers, None)?;
        Ok(())
    }

    /// Apply `layers` in order; for a document, each layer's matching overrides after its
    /// top-level keys.
    fn resolve(layers: &[Layer], file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut c = Config {
            layers: layers.to_vec(),
            ..Config::default()
        };
        for layer in layers {
            let (s, base) = (&layer.settings, &layer.base);
            s.apply_rules(&mut c, base, &layer.source, layer.ignore.as_ref(), file)?;
            if layer.include.is_some() {
                c.include = layer.include.clone();
            }
            if layer.exclude.is_some() {
                c.exclude = layer.exclude.clone();
            }
            if let Some(specs) = &s.specs {
                c.spec_globs = specs.clone();
            }
            if let Some(t) = s.check_templates {
                c.check_templates = t;
            }
            let Some(file) = file else { continue };
            let overrides = (layer.overrides.iter()).zip(&layer.override_ignores);
            for (o, (files, ignore)) in s.overrides.iter().flatten().zip(overrides) {
                if files.is_match(file) {
                    o.apply_rules(&mut c, base, &layer.source, ignore.as_ref(), Some(file))?;
                }
            }
        }
        Ok(c)
    }

    /// Where the template at `path` was configured, for messages about it: `" (set in
    /// FILE)"` when `path` is the configured template, else nothing.
    pub fn template_origin(&self, path: &Path) -> String {
        match (&self.template, &self.template_from) {
            (Some(t), Some(from)) if t == path => format!(" (set in {from})"),
            _ => String::new(),
        }
    }

    /// The `optional` and `required` names that name no section of `template` (each as
    /// `key: 'name'`), to report: a misspelt name would otherwise silently do nothing.
    pub fn unknown_sections(&self, template: &crate::template::Template) -> Vec<String> {
        let known = |name: &str| {
            template.sections.iter().any(|s| {
                s.title == name
                    || name.strip_prefix(s.title.as_str()).is_some_and(|rest| {
                        rest.strip_prefix('/')
                            .is_some_and(|sub| s.subsections.iter().any(|x| x.title == sub))
                    })
            })
        };
        let lists = [
            ("optional", Some(&self.optional)),
            ("required", self.required.as_ref()),
        ];
        lists
            .into_iter()
            .filter_map(|(key, names)| Some((key, names?)))
            .flat_map(|(key, names)| {
                names
                    .iter()
                    .filter(|n| !known(n))
                    .map(move |n| format!("{key}: '{n}'"))
            })
            .collect()
    }

    /// This configuration as it applies to the document at `path` (absolute): with the
    /// overrides that match it, and `{stem}` in each `[[require]]` its file name.
    pub fn for_path(&self, path: &Path) -> Config {
        Config::resolve(&self.layers, Some(path)).unwrap_or_else(|_| self.clone())
    }

    /// [`Config::for_path`], shared: this configuration itself when it is the same for
    /// every document (see [`Config::varies_by_path`]).
    pub fn for_path_shared(self: &Arc<Config>, path: &Path) -> Arc<Config> {
        match self.varies_by_path() {
            true => Arc::new(self.for_path(path)),
            false => self.clone(),
        }
    }

    /// Whether [`Config::for_path`] can differ from this configuration: whether a layer
    /// has an `[[override]]` or a `[[require]]` that names `{stem}`.
    fn varies_by_path(&self) -> bool {
        self.layers.iter().any(|layer| {
            let s = &layer.settings;
            s.overrides.is_some() || s.requires.iter().flatten().any(RequireSpec::names_stem)
        })
    }

    /// How the file at `path` (absolute) is checked, asked by `asked`; `None` when it is
    /// not checked. The one decision the CLI and the language server share:
    /// - a template is plain reStructuredText (a directory walk skips it), unless
    ///   `check-templates` is set (with `include`): then it is selected as any file is;
    /// - an `exclude`d file, or one `include` does not match, is not checked (the editor
    ///   still shows it as plain reStructuredText);
    /// - with `include`, the files it matches are specs, whatever their name (one not
    ///   named `*.rst` gets `file-extension`);
    /// - without it, a `*.rst` file under a `specs` directory or matching a `specs` glob
    ///   is a spec, and so is any file named on the command line; other `*.rst` files
    ///   are plain reStructuredText (a README never gets "missing section").
    pub fn check_as(&self, path: &Path, asked: Asked) -> Option<Mode> {
        let editor = asked == Asked::Editor;
        // (the path parsed once for its name: a walk asks of every file)
        let name = path.file_name().unwrap_or_default();
        let rst = is_rst(name);
        let checked_template = self.check_templates && self.include.is_some();
        if crate::template::is_template_name(name) && !checked_template {
            return (asked != Asked::Walk).then_some(Mode::Plain);
        }
        let excluded = self.excludes(path);
        let included = self.include.as_ref().is_none_or(|g| g.is_match(path));
        if excluded || !included {
            return editor.then_some(Mode::Plain);
        }
        if self.include.is_some() {
            return Some(Mode::Spec);
        }
        // (asked only of a `*.rst` file: its name is not `specs`, so a component of its
        // directory is, if one of the path is)
        let under_specs = || {
            has_component(path, "specs") || self.spec_matchers().iter().any(|m| m.is_match(path))
        };
        match asked {
            Asked::Named => Some(Mode::Spec),
            _ if rst && under_specs() => Some(Mode::Spec),
            Asked::Editor => Some(Mode::Plain),
            Asked::Walk => rst.then_some(Mode::Plain),
        }
    }

    /// Whether `check DIR` checks a place it meets that no spec stands for (see
    /// [`Mode::Place`]): a directory when `include` (a directory it selects fails) or
    /// `allowed-directories` is set, a file not selected when `allowed-directories` is.
    pub fn checks_place(&self, directory: bool) -> bool {
        self.allowed_directories.is_some() || (directory && self.include.is_some())
    }

    /// Whether `exclude` matches `path`: then it is not checked at all.
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// Whether `include` is configured (then only the files it names are checked, and
    /// any of them may be named other than `*.rst`).
    pub fn has_include(&self) -> bool {
        self.include.is_some()
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

/// Whether a component of `path` is `name`. On Unix the path's bytes are split at `/`
/// (what `Path::components` parses, at more cost, besides dropping the empty and `.`
/// components, which no `name` is).
fn has_component(path: &Path, name: &str) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        (path.as_os_str().as_bytes().split(|&b| b == b'/')).any(|c| c == name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        path.components().any(|c| c.as_os_str() == name)
    }
}

/// Whether a file named `name` is named `*.rst`: what `Path::extension` finds `rst` in
/// (a name longer than `.rst` that ends in it), without parsing a path again.
fn is_rst(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() > 4 && name.ends_with(b".rst")
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
    fn components_as_parsed() {
        for path in [
            "specs",
            "/specs/",
            "a//specs/./b",
            "./specs",
            "a/specs.d",
            "a/xspecs",
            "",
            "/",
        ] {
            let path = Path::new(path);
            let parsed = path.components().any(|c| c.as_os_str() == "specs");
            assert_eq!(has_component(path, "specs"), parsed, "{path:?}");
        }
    }

    #[test]
    fn a_rst_file_is_under_specs_as_its_directory_is() {
        let paths = [
            "/r/specs/a.rst",
            "specs/x.rst/.",
            "a/specs.rst",
            "/r/x/a.rst",
            "a//specs/./b.rst",
        ];
        for path in paths.map(Path::new) {
            assert!(path.file_name().is_some_and(is_rst), "{path:?}");
            let parent = path.parent().unwrap_or(Path::new(""));
            assert_eq!(
                has_component(path, "specs"),
                has_component(parent, "specs"),
                "{path:?}"
            );
        }
    }

    #[test]
    fn rst_names_as_parsed() {
        for name in [
            "a.rst",
            ".rst",
            "..rst",
            "a.b.rst",
            "rst",
            "a.rst.txt",
            "a.RST",
            "",
            "..",
        ] {
            let parsed = Path::new(name).extension().is_some_and(|e| e == "rst");
            assert_eq!(is_rst(OsStr::new(name)), parsed, "{name:?}");
        }
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
        let spec = |p: &str| c.check_as(Path::new(p), Asked::Editor) == Some(Mode::Spec);
        assert!(spec("/repo/doc/specs/x.rst"));
        assert!(spec("/repo/specs/kilo/x.rst"));
        assert!(!spec("/repo/specs/template.rst"));
        assert!(!spec("/repo/README.rst"));
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

    #[test]
    fn include_exclude_select_files_relative_to_the_file() {
        let c = parse(
            "include = ['specs/[k-z]*/**/*.rst']\nexclude = ['**/*stadium*/**']\nspecs = ['x/*.rst']",
        )
        .unwrap();
        let walk = |c: &Config, p: &str| c.check_as(Path::new(p), Asked::Walk);
        assert_eq!(walk(&c, "/repo/specs/kilo/a.rst"), Some(Mode::Spec));
        assert_eq!(walk(&c, "/repo/specs/zed/sub/a.rst"), Some(Mode::Spec));
        assert_eq!(walk(&c, "/repo/specs/juno/a.rst"), None);
        assert_eq!(walk(&c, "/repo/specs/2023.1/a.rst"), None);
        assert_eq!(walk(&c, "/repo/specs/kilo/stadium/a.rst"), None);
        assert_eq!(walk(&c, "/repo/specs/kilo-template.rst"), None);
        assert_eq!(walk(&c, "/elsewhere/specs/kilo/a.rst"), None);
        // what the editor opens is always shown; what the command line names is checked
        let at = |c: &Config, p: &str, asked| c.check_as(Path::new(p), asked);
        assert_eq!(
            at(&c, "/repo/specs/juno/a.rst", Asked::Editor),
            Some(Mode::Plain)
        );
        assert_eq!(at(&c, "/repo/specs/juno/a.rst", Asked::Named), None);
        assert_eq!(
            at(&c, "/repo/specs/template.rst", Asked::Named),
            Some(Mode::Plain)
        );
        let d = Config::default();
        assert_eq!(walk(&d, "/r/specs/a.rst"), Some(Mode::Spec));
        assert_eq!(walk(&d, "/r/specs/a.txt"), None);
        assert_eq!(walk(&d, "/r/README.rst"), Some(Mode::Plain));
        assert_eq!(at(&d, "/r/README.rst", Asked::Editor), Some(Mode::Plain));
        assert_eq!(at(&d, "/r/README.rst", Asked::Named), Some(Mode::Spec));
        assert_eq!(at(&d, "/r/specs/a.txt", Asked::Named), Some(Mode::Spec));
        assert!(!d.has_include() && c.has_include());
    }

    #[test]
    fn overrides_apply_in_order_to_matching_files() {
        let c = parse(
            r#"
optional = ["History"]
[[override]]
files = ["specs/queens/**"]
optional = ["Upgrade"]
max-line-length = 99
[[override]]
files = ["specs/*/b.rst"]
max-line-length = 120
"#,
        )
        .unwrap();
        let at = |p: &str| c.for_path(Path::new(p));
        assert_eq!(at("/repo/specs/rocky/a.rst").optional, ["History"]);
        assert_eq!(at("/repo/specs/queens/a.rst").optional, ["Upgrade"]);
        assert_eq!(at("/repo/specs/queens/a.rst").max_line_length, 99);
        assert_eq!(at("/repo/specs/queens/b.rst").max_line_length, 120);
        assert!(c.varies_by_path());
        let e = parse("[[override]]\noptional = []").unwrap_err();
        assert!(e.message.contains("files"), "{e}");
        let e = parse("[[override]]\nfiles = ['a']\ninclude = ['b']").unwrap_err();
        assert!(e.message.contains("include"), "{e}");
        let e = parse("files = ['a']").unwrap_err();
        assert!(e.message.contains("override"), "{e}");
    }

    #[test]
    fn only_overrides_and_stems_make_a_configuration_vary_by_path() {
        let at = Path::new("/repo/specs/kilo/b.rst");
        let plain = parse("optional = ['History']\n[[require]]\npattern = 'x'\nmessage = 'm'");
        let plain = plain.unwrap();
        assert!(!plain.varies_by_path());
        assert_eq!(plain.for_path(at), plain);
        assert!(!Config::default().varies_by_path());
        assert_eq!(Config::default().for_path(at), Config::default());
        let stem = "[[require]]\npattern = 'x'\naccept = 'x-{stem}'\nmessage = 'm'";
        let stem = parse(stem).unwrap();
        assert!(stem.varies_by_path());
        assert_ne!(stem.for_path(at), stem);
        assert!(parse("preset = 'nova'").unwrap().varies_by_path());
    }

    #[test]
    fn a_preset_is_applied_beneath_the_users_keys() {
        let c = parse("preset = 'neutron'\n[severity]\nline-too-long = 'warning'").unwrap();
        assert_eq!(c.severity(Code::LineTooLong), Some(Severity::Warning));
        assert_eq!(c.severity(Code::CarriageReturn), None);
        assert!(c.allow_extra.contains(&"Testing".to_string()));
        assert_eq!(
            c.check_as(Path::new("/repo/specs/juno/a.rst"), Asked::Walk),
            None
        );
        let e = parse("preset = 'swift'").unwrap_err();
        assert!(
            e.message.contains("preset") && e.message.contains("nova"),
            "{e}"
        );
        let nova = parse("preset = 'nova'").unwrap();
        let queens = nova.for_path(Path::new("/repo/specs/queens/approved/a.rst"));
        assert!(queens.is_optional(Some("Proposed change"), "Upgrade impact"));
        assert!(!queens.is_optional(Some("Implementation"), "Feature Liaison"));
        let rocky = nova.for_path(Path::new("/repo/specs/rocky/approved/a.rst"));
        assert!(rocky.is_optional(Some("Implementation"), "Feature Liaison"));
    }

    #[test]
    fn required_makes_every_other_section_optional() {
        let c = parse("required = ['Problem description', 'Proposed change']").unwrap();
        assert!(!c.is_optional(None, "Problem description"));
        assert!(c.is_optional(None, "Testing"));
        assert!(c.is_optional(Some("Proposed change"), "Alternatives"));
    }

    #[test]
    fn rule_options_are_validated() {
        let e = parse("line-length-exemptions = ['urls', 'tabs']").unwrap_err();
        assert!(e.to_string().contains("tabs"), "{e}");
        let e = parse("[[require]]\npattern = '('\nmessage = 'm'").unwrap_err();
        assert!(
            e.message.contains("require[0]") && e.message.contains("pattern"),
            "{e}"
        );
        let e = parse("[severity]\ninvisible-character = 'loud'").unwrap_err();
        assert!(e.to_string().contains("loud"), "{e}");
        let c = parse("line-length-exemptions = ['urls']").unwrap();
        assert_eq!(c.line_exemptions, [Exemption::Urls].into_iter().collect());
        assert_eq!(Config::default().severity(Code::TabIndentation), None);
    }

    #[test]
    fn the_readme_example_is_a_valid_file() {
        let readme = include_str!("../README.md");
        let section = &readme[readme.find("## Configuration").unwrap()..];
        let start = section.find("```toml\n").unwrap() + 8;
        let end = start + section[start..].find("```").unwrap();
        let c = parse(&section[start..end]).unwrap();
        assert_eq!(c.severity(Code::InvisibleCharacter), Some(Severity::Error));
        assert_eq!(c.requires.len(), 1);
    }
}
