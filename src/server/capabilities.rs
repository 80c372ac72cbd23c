//! The `initialize` handshake: what the client can do (reduced to the few facts the
//! server acts on) and what the server advertises in return.

use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, DiagnosticOptions, DiagnosticServerCapabilities,
    FoldingRangeProviderCapability, HoverProviderCapability, InitializeParams, OneOf,
    PositionEncodingKind, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use crate::proto::SOURCE;
use crate::text::Encoding;

/// The adornment characters that trigger completion (to complete an underline).
pub const TRIGGER_CHARACTERS: [&str; 4] = ["=", "-", "~", "^"];

/// What the server needs to know about the client.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientFeatures {
    /// Position encoding agreed for this session.
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`).
    pub pull_diagnostics: bool,
    /// The client honours `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    pub snippets: bool,
    /// Completion items may carry an `InsertReplaceEdit`.
    pub insert_replace: bool,
    pub markdown_completion_docs: bool,
    pub hierarchical_symbols: bool,
    /// `didChangeWatchedFiles` can be registered dynamically.
    pub watch_files: bool,
    /// The client answers `workspace/configuration`.
    pub configuration_requests: bool,
    /// Workspace edits may carry versioned `documentChanges`.
    pub document_changes: bool,
    /// The client inserts a completion's label when its completion UI applies no edit
    /// (lsp-mode 8.0, `clientInfo.name` "emacs", under plain `completion-at-point`).
    pub inserts_label: bool,
    /// The client inserts a plain-text item's text only up to its first space (Neovim
    /// 0.11's built-in completion, `clientInfo.name` "Neovim"): headings go as snippets.
    pub word_only: bool,
}

impl ClientFeatures {
    /// The features of the client that sent `params`.
    pub fn from_params(params: &InitializeParams) -> ClientFeatures {
        let client = params.client_info.as_ref().map(|c| c.name.as_str());
        ClientFeatures {
            inserts_label: client == Some("emacs"),
            word_only: client == Some("Neovim"),
            ..ClientFeatures::from_capabilities(&params.capabilities)
        }
    }

    pub fn from_capabilities(caps: &ClientCapabilities) -> ClientFeatures {
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref())
            .unwrap_or_default();
        let encoding = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        let completion_item = text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref());
        let refresh = workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        ClientFeatures {
            encoding,
            // Pull only with a client that can be told to pull again (a template changed
            // on disk); otherwise publish, so findings never go stale.
            pull_diagnostics: text.is_some_and(|t| t.diagnostic.is_some()) && refresh,
            diagnostic_refresh: refresh,
            snippets: completion_item
                .and_then(|c| c.snippet_support)
                .unwrap_or(false),
            insert_replace: completion_item
                .and_then(|c| c.insert_replace_support)
                .unwrap_or(false),
            markdown_completion_docs: completion_item
                .and_then(|c| c.documentation_format.as_ref())
                .is_some_and(|f| f.contains(&tower_lsp_server::ls_types::MarkupKind::Markdown)),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            configuration_requests: workspace.and_then(|w| w.configuration).unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            inserts_label: false,
            word_only: false,
        }
    }
}

fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// The capabilities advertised to a client with `features`.
pub fn server_capabilities(features: &ClientFeatures) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(features.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                // the saved text: a document out of sync takes it, and one that
                // diverged unnoticed is caught
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(TRIGGER_CHARACTERS.map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::SOURCE]),
            ..CodeActionOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        diagnostic_provider: features.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(SOURCE.to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })
        }),
        ..ServerCapabilities::default()
    }
}
