//! Completion: the position in, the engine's [`assist::complete`] answer out as
//! `CompletionItem`s. Each edit replaces only what was typed before the cursor (an
//! `InsertReplaceEdit` with the typed word where the client supports it); an underline's
//! `insertText` repeats the edit's text for clients that insert only that (and its label
//! is the rest of it for a client that inserts the label after the typed part). A snippet
//! (cursor in the body) only where the client supports snippets, the tab stop is not at
//! the end anyway and the text has no backtick (snippet engines such as yasnippet
//! evaluate backquoted text); Markdown documentation where the client renders it.

use std::ops::Range;

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertReplaceEdit,
    InsertTextFormat, MarkupContent, MarkupKind, Position, TextEdit,
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
    let edits = Edits { analyzed, features };
    match completion {
        Completion::Nothing => Vec::new(),
        Completion::Underlines(underlines) => underlines
            .into_iter()
            .enumerate()
            .map(|(i, u)| CompletionItem {
                label: underline_label(&u, &analyzed.text, features),
                kind: Some(CompletionItemKind::TEXT),
                detail: Some(u.detail),
                sort_text: Some(i.to_string()),
                filter_text: Some(u.typed),
                insert_text: Some(u.text.clone()),
                insert_text_format: Some(InsertTextFormat::PLAIN_TEXT),
                additional_text_edits: (!u.additional.is_empty()).then(|| {
                    (u.additional.iter())
                        .map(|(range, text)| edits.edit(range, text.clone()))
                        .collect()
                }),
                text_edit: Some(edits.main(&u.insert, &u.replace, u.text)),
                preselect: (i == 0).then_some(true),
                ..CompletionItem::default()
            })
            .collect(),
        Completion::Headings { slot, items } => items
            .into_iter()
            .map(|item| heading_item(&slot, item, &edits))
            .collect(),
    }
}

/// An underline's label: the underline; where the client inserts the label after what
/// was typed (lsp-mode's plain `completion-at-point`: adornment characters are no
/// symbol, so its completion region is empty), the rest of it after the typed part.
fn underline_label(u: &assist::Underline, text: &str, features: &ClientFeatures) -> String {
    let typed = text.get(u.insert.clone()).unwrap_or_default();
    match u.text.strip_prefix(typed) {
        Some(rest) if features.inserts_label && !rest.is_empty() => rest.to_string(),
        _ => u.text.clone(),
    }
}

/// Byte ranges to LSP edits, as far as the client supports them.
struct Edits<'a> {
    analyzed: &'a Analyzed,
    features: &'a ClientFeatures,
}

impl Edits<'_> {
    fn range(&self, range: &Range<usize>) -> tower_lsp_server::ls_types::Range {
        let a = self.analyzed;
        proto::range(&a.text, &a.index, range, self.features.encoding)
    }

    fn edit(&self, range: &Range<usize>, new_text: String) -> TextEdit {
        TextEdit {
            range: self.range(range),
            new_text,
        }
    }

    /// The item's own edit: over `insert` (what was typed before the cursor), or an
    /// insert/replace pair with `replace` where the client takes one.
    fn main(
        &self,
        insert: &Range<usize>,
        replace: &Range<usize>,
        new_text: String,
    ) -> CompletionTextEdit {
        if self.features.insert_replace && replace != insert {
            CompletionTextEdit::InsertAndReplace(InsertReplaceEdit {
                new_text,
                insert: self.range(insert),
                replace: self.range(replace),
            })
        } else {
            CompletionTextEdit::Edit(self.edit(insert, new_text))
        }
    }
}

/// A heading inserted at `slot`, then the cursor in the body.
fn heading_item(slot: &Slot, item: HeadingItem, edits: &Edits) -> CompletionItem {
    let features = edits.features;
    let blank_after = if slot.needs_blank_after { "\n" } else { "" };
    // the cursor's place is only worth a snippet when it is not the end anyway
    // (Neovim inserts a plain-text item only up to its first space: a snippet there)
    let snippet = features.snippets
        && (features.word_only || (slot.needs_blank_after && !item.heading.contains('`')));
    let new_text = if snippet {
        format!("{}\n\n$0{blank_after}", escape_snippet(&item.heading))
    } else {
        format!("{}\n\n{blank_after}", item.heading)
    };
    let kind = if features.markdown_completion_docs {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    // lsp-mode's plain completion-at-point inserts the label and applies no edit: there
    // the label is the heading as inserted (its company-mode path applies the edit)
    let label = if features.inserts_label {
        format!("{}\n\n{blank_after}", item.heading)
    } else {
        item.label.clone()
    };
    CompletionItem {
        filter_text: Some(item.label),
        label,
        kind: Some(CompletionItemKind::MODULE),
        detail: Some(item.detail),
        documentation: item
            .guidance
            .map(|value| Documentation::MarkupContent(MarkupContent { kind, value })),
        sort_text: Some(item.sort_key),
        preselect: item.preselect.then_some(true),
        // no `insertText`: eglot 1.9 would list it (several lines) as the candidate
        insert_text_format: Some(if snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        additional_text_edits: {
            let additional: Vec<TextEdit> = (slot.remove.iter())
                .map(|range| edits.edit(range, String::new()))
                .chain(
                    (item.additional.iter()).map(|(range, text)| edits.edit(range, text.clone())),
                )
                .collect();
            (!additional.is_empty()).then_some(additional)
        },
        text_edit: Some(edits.main(&slot.insert, &slot.replace, new_text)),
        ..CompletionItem::default()
    }
}

fn escape_snippet(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}
