//! Watching the files a document's context comes from: the configuration file and
//! templates. A client that can watches them for us (`workspace/didChangeWatchedFiles`,
//! registered dynamically); for any other client the server watches them itself
//! (`disk_watch`). Any event about them - or saving one in the editor - reloads the
//! context.

use std::path::Path;

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileEvent, FileSystemWatcher, GlobPattern,
    Registration, Unregistration, Uri,
};
use tracing::{info, warn};

use crate::config::FILE_NAME as CONFIG_FILE;
use crate::template::{TEMPLATE_GLOBS, is_template};

/// The globs registered with the client.
fn globs(configured_template: Option<&Path>) -> Vec<String> {
    let mut globs = vec![format!("**/{CONFIG_FILE}")];
    globs.extend(TEMPLATE_GLOBS.map(str::to_string));
    if let Some(path) = configured_template {
        globs.push(path.to_string_lossy().into_owned());
    }
    globs
}

/// The id of the one registration.
const REGISTRATION: &str = "trove-spec-lsp/watched-files";
const METHOD: &str = "workspace/didChangeWatchedFiles";

/// Register the watchers (run in a task of its own: it waits for the client's answer);
/// with `replace`, drop the earlier registration first (the configured template changed).
pub async fn register(
    client: Client,
    configured_template: Option<std::path::PathBuf>,
    replace: bool,
) {
    if replace {
        let earlier = Unregistration {
            id: REGISTRATION.to_string(),
            method: METHOD.to_string(),
        };
        if let Err(err) = client.unregister_capability(vec![earlier]).await {
            warn!("unregistering file watchers failed: {err}");
        }
    }
    let watchers = globs(configured_template.as_deref())
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: REGISTRATION.to_string(),
        method: METHOD.to_string(),
        register_options: Some(serde_json::to_value(options).expect("options serialize")),
    };
    match client.register_capability(vec![registration]).await {
        Ok(()) => info!("watching the configuration file and templates"),
        Err(err) => warn!("registering file watchers failed: {err}"),
    }
}

/// Whether any of `events` is about a file the analysis context comes from.
pub fn affects_context(events: &[FileEvent], configured_template: Option<&Path>) -> bool {
    events
        .iter()
        .any(|event| is_context_file(&event.uri, configured_template))
}

/// Whether `uri` is a configuration file or a template (by name, or the configured one).
pub fn is_context_file(uri: &Uri, configured_template: Option<&Path>) -> bool {
    super::from_proto::local_path(uri)
        .is_some_and(|path| is_context_path(&path, configured_template))
}

/// Whether `path` is a configuration file or a template (by name, or the configured one).
pub fn is_context_path(path: &Path, configured_template: Option<&Path>) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == CONFIG_FILE || is_template(path) || configured_template.is_some_and(|t| t == path)
}
