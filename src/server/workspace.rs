//! What a document is checked against: its configuration (the nearest
//! `trove-spec-lsp.toml` above it - the workspace root's, in a usual repository - as the
//! CLI reads it, overridden by the editor's settings), the template it uses (discovered
//! as the CLI does), and whether it is a spec at all.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::Uri;
use tracing::{debug, warn};

use crate::Mode;
use crate::config::{self, Asked, Config, SETTINGS_KEYS};
use crate::files::Limit;
use crate::template::{self, Template, TemplateSource};

/// The key under which editors nest this server's settings.
pub const SETTINGS_SECTION: &str = "trove-spec-lsp";

/// Everything a document's analysis depends on besides its text.
#[derive(Debug)]
pub struct DocContext {
    pub mode: Mode,
    pub template: Arc<Template>,
    pub config: Arc<Config>,
    /// The document's path (what it includes is looked for in its directory): `None`
    /// for a document that is not a file (neither its path nor its includes are
    /// checked).
    pub path: Option<PathBuf>,
}

/// The workspace: its root, the editor's settings, and the configurations and templates
/// loaded for its documents (cached until the next reload).
pub struct Workspace {
    root: Option<PathBuf>,
    /// `initializationOptions`, then the latest `didChangeConfiguration` (or
    /// `workspace/configuration` answer): each overrides what comes before it, key by key.
    settings: [Value; 2],
    /// Per configuration file (`None`: no file applies), the file merged with the settings.
    configs: HashMap<Option<PathBuf>, Arc<Config>>,
    templates: HashMap<TemplateSource, Arc<Template>>,
    /// Problems met while loading, not yet reported to the user.
    problems: Vec<String>,
    /// Problems reported since the last reload.
    shown: HashSet<String>,
}

impl Workspace {
    pub fn new(root: Option<PathBuf>, init_options: Option<Value>) -> Workspace {
        Workspace {
            root,
            settings: [init_options.map_or(Value::Null, unnest), Value::Null],
            configs: HashMap::new(),
            templates: HashMap::new(),
            problems: Vec::new(),
            shown: HashSet::new(),
        }
    }

    /// The workspace root from `initialize`, if any.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// New editor settings (`workspace/didChangeConfiguration`); they replace the previous
    /// ones, over the `initializationOptions`.
    pub fn set_settings(&mut self, settings: Value) {
        self.settings[1] = unnest(settings);
        self.reload();
    }

    /// Forget loaded configuration files and templates: they are read again when next
    /// needed.
    pub fn reload(&mut self) {
        self.configs.clear();
        self.templates.clear();
        self.shown.clear();
    }

    /// Loading problems since the last call (to show the user).
    pub fn take_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.problems)
    }

    /// The template path the workspace's configuration sets, if any (watched for changes).
    pub fn configured_template(&mut self) -> Option<PathBuf> {
        let root = self.root.clone()?;
        self.config_for(&root).template.clone()
    }

    /// The analysis context of the document at `uri`. A document that is no local file
    /// (`untitled:`, `https:`) gets the defaults with the editor's settings and the
    /// built-in template, never a configuration file or template from this machine's
    /// files; its URI's path decides only whether it is a spec (as a file's path would).
    pub fn context(&mut self, uri: &Uri) -> Arc<DocContext> {
        let Some(path) = super::from_proto::local_path(uri) else {
            let config = self.config_without_file();
            let path = PathBuf::from(uri.path().decode().to_string_lossy().into_owned());
            return Arc::new(DocContext {
                mode: mode(&config, &path),
                template: self.template(&TemplateSource::Builtin, "", &config.max_file_size),
                config,
                // neither where it is nor what it includes is looked at
                path: None,
            });
        };
        let config = self.config_for(path.parent().unwrap_or(&path));
        // the overrides matching this document
        let config = config.for_path_shared(&path);
        let source = template::discover(&path, config.template.as_deref(), Path::is_file);
        let origin = match &source {
            TemplateSource::File(p) => config.template_origin(p),
            TemplateSource::Builtin => String::new(),
        };
        let template = self.template(&source, &origin, &config.max_file_size);
        for unknown in config.unknown_sections(&template) {
            let name = template.name();
            self.problem(format!(
                "configuration {unknown} names no section of template {name}"
            ));
        }
        Arc::new(DocContext {
            mode: mode(&config, &path),
            template,
            config,
            path: Some(path),
        })
    }

    /// The configuration for documents in `dir`: the nearest `trove-spec-lsp.toml` above
    /// it (or none), overridden by the settings.
    fn config_for(&mut self, dir: &Path) -> Arc<Config> {
        let file = config::find_file(dir, Path::is_file);
        if let Some(config) = self.configs.get(&file) {
            return config.clone();
        }
        let mut config = match &file {
            Some(path) => Config::load(path).unwrap_or_else(|err| {
                self.problem(err.to_string());
                Config::default()
            }),
            None => Config::default(),
        };
        self.merge_settings(&mut config, file.as_deref());
        let config = Arc::new(config);
        self.configs.insert(file, config.clone());
        config
    }

    fn config_without_file(&mut self) -> Arc<Config> {
        if let Some(config) = self.configs.get(&None) {
            return config.clone();
        }
        let mut config = Config::default();
        self.merge_settings(&mut config, None);
        let config = Arc::new(config);
        self.configs.insert(None, config.clone());
        config
    }

    /// Apply the editor's settings over `config`; a relative template path in them is
    /// resolved against the workspace root (else the configuration file's directory).
    fn merge_settings(&mut self, config: &mut Config, file: Option<&Path>) {
        let base = self
            .root
            .clone()
            .or_else(|| file.and_then(Path::parent).map(Path::to_path_buf))
            .unwrap_or_default();
        // A preset named by later settings replaces an earlier one, keys and all.
        let layers = self.settings.clone();
        for (layer, settings) in layers.iter().enumerate() {
            if settings.is_null() {
                continue;
            }
            let mut settings = settings.clone();
            if layers[layer + 1..]
                .iter()
                .any(|s| s.get("preset").is_some())
                && let Some(object) = settings.as_object_mut()
            {
                object.remove("preset");
            }
            if let Err(err) = config.merge_json(&settings, &base) {
                self.problem(err.to_string());
            }
        }
    }

    /// The template `source` names, loaded once; `origin` says where a configured one was
    /// set ([`Config::template_origin`]); a file is read within `max`.
    fn template(&mut self, source: &TemplateSource, origin: &str, max: &Limit) -> Arc<Template> {
        if let Some(template) = self.templates.get(source) {
            return template.clone();
        }
        let template = Template::from_source(source, max).unwrap_or_else(|err| {
            self.problem(format!(
                "template {}{origin}: {err}; using the built-in template",
                source.name()
            ));
            Template::builtin()
        });
        let template = Arc::new(template);
        self.templates.insert(source.clone(), template.clone());
        template
    }

    /// Report a problem to the user, once until the settings or files change: the same
    /// bad file or setting met for every document is shown once.
    fn problem(&mut self, message: String) {
        if self.shown.insert(message.clone()) {
            warn!("{message}");
            self.problems.push(message);
        }
    }
}

/// How a document at `path` is checked ([`Config::check_as`]): one the configuration
/// does not check is still shown as plain reStructuredText.
fn mode(config: &Config, path: &Path) -> Mode {
    config.check_as(path, Asked::Editor).unwrap_or(Mode::Plain)
}

/// Settings may arrive as `{"trove-spec-lsp": {...}}` (an editor's settings section) or as
/// the object itself. Anything else carries no settings of ours and is ignored rather
/// than reported: an empty object or array (Neovim sends an empty Lua table as `[]`), or
/// an object holding only other servers' sections (eglot sends one object to every
/// server). An object with at least one of our keys is taken as ours, so a misspelt key
/// beside it is still reported.
fn unnest(settings: Value) -> Value {
    let settings = match settings {
        Value::Object(mut map) if map.contains_key(SETTINGS_SECTION) => {
            map.remove(SETTINGS_SECTION).unwrap_or(Value::Null)
        }
        other => other,
    };
    match settings {
        Value::Object(map) if map.keys().any(|k| SETTINGS_KEYS.contains(&k.as_str())) => {
            Value::Object(map)
        }
        Value::Object(_) | Value::Array(_) => {
            debug!("settings without any {SETTINGS_SECTION} key ignored: {settings}");
            Value::Null
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::unnest;

    #[test]
    fn settings_of_ours_are_taken_nested_or_flat() {
        let ours = json!({"severity": {"line-too-long": "off"}});
        assert_eq!(unnest(json!({"trove-spec-lsp": ours.clone()})), ours);
        assert_eq!(unnest(ours.clone()), ours);
        // a misspelt key beside a real one still reaches the parser (and is reported)
        let typo = json!({"severity": {}, "max-line-lenght": 80});
        assert_eq!(unnest(typo.clone()), typo);
    }

    #[test]
    fn settings_without_our_keys_are_ignored() {
        assert!(unnest(json!([])).is_null(), "Neovim's empty table");
        assert!(unnest(json!({})).is_null());
        assert!(unnest(json!({"trove-spec-lsp": []})).is_null());
        assert!(
            unnest(json!({"pylsp": {"plugins": {}}})).is_null(),
            "eglot's shared object"
        );
    }
}
