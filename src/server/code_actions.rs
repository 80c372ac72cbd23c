//! Code actions: each fix the engine attached to a finding in the requested range as a
//! quick fix, and the engine's "insert all missing sections" as a source action. Every action is a
//! `WorkspaceEdit` (version-checked where the client supports `documentChanges`).

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::capabilities::ClientFeatures;
use super::documents::Analyzed;
use super::from_proto;
use crate::Mode;
use crate::check::{Edit, fix_all_missing};
use crate::proto;

/// The actions for `params.range`, filtered by `params.context.only`.
pub fn actions(
    analyzed: &Analyzed,
    uri: &Uri,
    params: &CodeActionParams,
    features: &ClientFeatures,
) -> Vec<CodeActionOrCommand> {
    let wanted = |kind: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|k| {
                kind.as_str() == k.as_str()
                    || kind.as_str().starts_with(&format!("{}.", k.as_str()))
            })
        })
    };
    let enc = features.encoding;
    let text = &analyzed.text;
    let offset = |p| from_proto::offset(analyzed, p, enc);
    let (start, end) = (offset(params.range.start), offset(params.range.end));
    let mut out = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX) {
        for finding in &analyzed.analysis.findings {
            if finding.range.start > end || start > finding.range.end {
                continue;
            }
            let diagnostic = proto::diagnostic(text, &analyzed.index, finding, enc);
            for (n, fix) in finding.fixes.iter().enumerate() {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(analyzed, uri, &fix.edits, features)),
                    is_preferred: Some(n == 0),
                    ..CodeAction::default()
                }));
            }
        }
    }
    if wanted(&CodeActionKind::SOURCE) && analyzed.context.mode == Mode::Spec {
        let context = &analyzed.context;
        let fix = fix_all_missing(
            text,
            &analyzed.analysis.outline,
            &context.template,
            &context.config,
        );
        if let Some(fix) = fix {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::SOURCE),
                edit: Some(workspace_edit(analyzed, uri, &fix.edits, features)),
                ..CodeAction::default()
            }));
        }
    }
    out
}

/// Engine edits (byte ranges) as a workspace edit of `uri`.
fn workspace_edit(
    analyzed: &Analyzed,
    uri: &Uri,
    edits: &[Edit],
    features: &ClientFeatures,
) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = edits
        .iter()
        .map(|e| TextEdit {
            range: proto::range(&analyzed.text, &analyzed.index, &e.range, features.encoding),
            new_text: e.new_text.clone(),
        })
        .collect();
    if features.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(analyzed.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}
