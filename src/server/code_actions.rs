//! Code actions: each fix the engine attached to a finding in the requested range as a
//! quick fix - the findings of the request's `context.diagnostics` first, then the others
//! that really overlap the range (LSP ranges are end-exclusive: touching is not
//! overlapping, but a cursor at either end of a finding is on it); one preferred action
//! per diagnostic, and only for the context's diagnostics when it names some -, and the engine's "insert all missing sections" as a source action. Every action is a
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
        let context = &params.context.diagnostics;
        let mut found: Vec<(bool, _, _)> = Vec::new();
        for finding in &analyzed.analysis.findings {
            let diagnostic = proto::diagnostic(text, &analyzed.index, finding, enc);
            let asked = context.iter().any(|d| {
                d.range == diagnostic.range
                    && d.code == diagnostic.code
                    && d.message == diagnostic.message
            });
            if asked || overlaps(&finding.range, &(start..end)) {
                found.push((asked, finding, diagnostic));
            }
        }
        // the context's diagnostics first (a stable sort keeps position order)
        found.sort_by_key(|(asked, _, _)| !asked);
        let any_asked = found.iter().any(|(asked, _, _)| *asked);
        for (asked, finding, diagnostic) in found {
            for (n, fix) in finding.fixes(text).iter().enumerate() {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(analyzed, uri, &fix.edits, features)),
                    is_preferred: Some(n == 0 && (asked || !any_asked)),
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

/// Whether a finding's range and a requested range overlap: end-exclusive, so ranges
/// that merely touch do not, unless one of them is empty (a cursor, an insertion point).
fn overlaps(finding: &std::ops::Range<usize>, asked: &std::ops::Range<usize>) -> bool {
    if finding.is_empty() || asked.is_empty() {
        finding.start <= asked.end && asked.start <= finding.end
    } else {
        finding.start < asked.end && asked.start < finding.end
    }
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

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn touching_ranges_do_not_overlap() {
        assert!(!overlaps(&(0..5), &(5..9)));
        assert!(!overlaps(&(5..9), &(0..5)));
        assert!(overlaps(&(0..6), &(5..9)));
        assert!(
            overlaps(&(0..5), &(5..5)),
            "a cursor at the end of a finding"
        );
        assert!(
            overlaps(&(5..5), &(0..5)),
            "an insertion point at the range's end"
        );
        assert!(!overlaps(&(0..4), &(5..5)));
    }
}
