//! What a document is checked against: the workspace's configuration
//! (`trove-spec-lsp.toml` at the root, overridden by the editor's settings), the template
//! each spec uses, and whether a document is a spec at all.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types::Uri;
use tracing::warn;

use crate::Mode;
use crate::config::Config;
use crate::template::Template;

/// The name of the configuration file at the workspace root.
pub const CONFIG_FILE: &str = "trove-spec-lsp.toml";

/// The key under which editors nest this server's settings.
pub const SETTINGS_SECTION: &str = "trove-spec-lsp";

/// Everything a document's analysis depends on besides its text.
#[derive(Debug)]
pub struct DocContext {
    pub mode: Mode,
    pub template: Arc<Template>,
    pub config: Arc<Config>,
}

/// The workspace: its root, the editor's settings and the configuration they yield.
pub struct Workspace {
    root: Option<PathBuf>,
    settings: Value,
    config: Arc<Config>,
    templates: Vec<(Option<PathBuf>, Arc<Template>)>,
}

impl Workspace {
    pub fn new(root: Option<PathBuf>, settings: Option<Value>) -> Workspace {
        let mut workspace = Workspace {
            root,
            settings: settings.map(unnest).unwrap_or(Value::Null),
            config: Arc::new(Config::default()),
            templates: Vec::new(),
        };
        workspace.reload();
        workspace
    }

    /// The template path set by the configuration, if any (watched for changes).
    pub fn configured_template(&self) -> Option<PathBuf> {
        self.config.template.clone()
    }

    /// New editor settings (`workspace/didChangeConfiguration`).
    pub fn set_settings(&mut self, settings: Value) {
        self.settings = unnest(settings);
        self.reload();
    }

    /// Re-read the configuration file and forget loaded templates.
    pub fn reload(&mut self) {
        self.config = Arc::new(load_config(self.root.as_deref(), &self.settings));
        self.templates.clear();
    }

    /// The analysis context of the document at `uri`.
    pub fn context(&mut self, uri: &Uri) -> Arc<DocContext> {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let template = self.template_for(path.as_deref());
        let mode = match &path {
            Some(path) if is_spec(path, self.root.as_deref(), &self.config, &template) => {
                Mode::Spec
            }
            _ => Mode::Plain,
        };
        Arc::new(DocContext {
            mode,
            template,
            config: self.config.clone(),
        })
    }

    fn template_for(&mut self, path: Option<&Path>) -> Arc<Template> {
        let key = template_path(path, &self.config);
        if let Some((_, template)) = self.templates.iter().find(|(k, _)| *k == key) {
            return template.clone();
        }
        let template = Arc::new(load_template(key.as_deref()));
        self.templates.push((key, template.clone()));
        template
    }
}

/// Settings may arrive as `{"trove-spec-lsp": {...}}` (an editor's settings section) or as
/// the object itself.
fn unnest(settings: Value) -> Value {
    match settings {
        Value::Object(mut map) if map.contains_key(SETTINGS_SECTION) => {
            map.remove(SETTINGS_SECTION).unwrap_or(Value::Null)
        }
        other => other,
    }
}

/// Whether `path` is checked as a spec: under a `specs/` directory or matching a configured
/// glob, and not a template.
fn is_spec(path: &Path, root: Option<&Path>, config: &Config, template: &Template) -> bool {
    let _ = (path, root, config, template);
    true
}

fn template_path(path: Option<&Path>, config: &Config) -> Option<PathBuf> {
    let _ = path;
    config.template.clone()
}

fn load_template(path: Option<&Path>) -> Template {
    let _ = path;
    Template {
        source: crate::template::TemplateSource::Builtin,
        text: String::new(),
        title: None,
        sections: Vec::new(),
    }
}

fn load_config(root: Option<&Path>, settings: &Value) -> Config {
    let _ = (root, settings);
    warn!("configuration loading not wired yet");
    Config::default()
}
