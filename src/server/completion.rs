//! Completion: the position in, the engine's [`assist::complete`] answer out as
//! `CompletionItem`s (a snippet with the cursor in the body where the client supports
//! snippets; Markdown documentation where it renders it).

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::capabilities::ClientFeatures;
use super::documents::Analyzed;
use super::from_proto;
use crate::assist::{self, Completion, HeadingItem, Slot};
use crate::proto;

/// The completion items at `pos`.
pub fn complete(
    analyzed: &Analyzed,
    pos: Position,
    features: &ClientFeatures,
) -> Vec<CompletionItem> {
    let offset = from_proto::offset(analyzed, pos, features.encoding);
    let context = &analyzed.context;
    let completion = assist::complete(
        &analyzed.text,
        &analyzed.index,
        &analyzed.analysis.outline,
        &context.template,
        context.mode,
        offset,
    );
    let edit = |range: &std::ops::Range<usize>, new_text: String| TextEdit {
        range: proto::range(&analyzed.text, &analyzed.index, range, features.encoding),
        new_text,
    };
    match completion {
        Completion::Nothing => Vec::new(),
        Completion::Underline(u) => vec![CompletionItem {
            label: u.text.clone(),
            kind: Some(CompletionItemKind::TEXT),
            detail: Some(format!("underline of {} columns", u.width)),
            filter_text: Some(u.typed),
            additional_text_edits: u.overline.map(|over| vec![edit(&over, u.text.clone())]),
            text_edit: Some(CompletionTextEdit::Edit(edit(&u.replace, u.text))),
            preselect: Some(true),
            ..CompletionItem::default()
        }],
        Completion::Headings { slot, items } => items
            .into_iter()
            .map(|item| heading_item(&slot, item, features, &edit))
            .collect(),
    }
}

/// A heading inserted at `slot`, then the cursor in the body.
fn heading_item(
    slot: &Slot,
    item: HeadingItem,
    features: &ClientFeatures,
    edit: &dyn Fn(&std::ops::Range<usize>, String) -> TextEdit,
) -> CompletionItem {
    let snippets = features.snippets;
    let mut new_text = if snippets {
        format!("{}\n\n$0", escape_snippet(&item.heading))
    } else {
        format!("{}\n\n", item.heading)
    };
    if slot.needs_blank_after {
        new_text.push('\n');
    }
    let kind = if features.markdown_completion_docs {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    CompletionItem {
        filter_text: Some(item.label.clone()),
        label: item.label,
        kind: Some(CompletionItemKind::MODULE),
        detail: Some(item.detail),
        documentation: item
            .guidance
            .map(|value| Documentation::MarkupContent(MarkupContent { kind, value })),
        sort_text: Some(item.sort_key),
        preselect: item.preselect.then_some(true),
        insert_text_format: Some(if snippets {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(edit(&slot.replace, new_text))),
        ..CompletionItem::default()
    }
}

fn escape_snippet(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}
