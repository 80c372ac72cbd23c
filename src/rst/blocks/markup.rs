//! Inline markup in the text blocks docutils parses inline (paragraphs, definition
//! list terms): the start-strings without an end-string and the roles the docs build
//! does not know, reported on the block's first line as docutils does; the references
//! and inline targets, handed to the document's `references` collector.

use super::{Block, Parser};
use crate::rst::MessageKind;
use crate::rst::inline::RefKind;
use crate::rst::references::{Place, Refers};
use crate::rst::reuse::Effect;
use crate::rst::{inline, known};

impl<const RECORDS: bool> Parser<'_, '_, RECORDS> {
    /// Scan lines `i..end` of `b` as one inline text (joined by line breaks, as
    /// docutils joins them); `literal_marker`: the text ends with the `::` that
    /// announces a literal block, which docutils takes off first.
    pub(super) fn inline_markup(&mut self, b: Block, i: usize, end: usize, literal_marker: bool) {
        // The lines are contiguous in the source: one search over them all, from where
        // the block's view of the first line starts (past a list item's bullet).
        let from = self.lines[i].source_offset(self.src, self.view_start(b, i));
        let source = &self.src[from..self.lines[end - 1].end.max(from)];
        if !inline::may_hold_markup(source) {
            return;
        }
        // The lines joined by line breaks; where each line starts in the joined text.
        // (a line's view is within the source, unless docutils expanded its tabs)
        let (mut text, mut line_starts) = std::mem::take(&mut self.joined);
        text.clear();
        text.reserve(source.len() + 8);
        line_starts.clear();
        line_starts.reserve(end - i);
        for k in i..end {
            if k > i {
                text.push('\n');
            }
            line_starts.push(text.len());
            text.push_str(self.text(b, k));
        }
        let joined_len = text.len();
        if literal_marker {
            // docutils' `paragraph`: `text::` keeps one colon, `text ::` none.
            let cut = text.len() - 2;
            if text[..cut].ends_with([' ', '\n']) {
                text.truncate(cut);
                text.truncate(text.trim_end().len());
            } else {
                text.truncate(cut + 1);
            }
        }
        self.markup_found(b, i, &text, &line_starts, joined_len);
        self.joined = (text, line_starts);
    }

    /// Report what docutils finds in `text`, lines `i..` of `b` joined (each starting
    /// at `line_starts`; `joined_len`: the joined length, before a literal marker was
    /// taken off).
    fn markup_found(
        &mut self,
        b: Block,
        i: usize,
        text: &str,
        line_starts: &[usize],
        joined_len: usize,
    ) {
        let scan = inline::scan(text);
        if scan.unclosed.is_empty()
            && scan.roles.is_empty()
            && scan.references.is_empty()
            && scan.targets.is_empty()
        {
            return;
        }
        // The byte offset in `text` of each char (none needed when it is ASCII).
        let char_bytes: Option<Vec<usize>> = (!text.is_ascii()).then(|| {
            let mut at: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            at.push(text.len());
            at
        });
        let byte = |ch: usize| char_bytes.as_ref().map_or(ch, |at| at[ch]);
        // The source offset of byte `at` of `text`, and which line it is on.
        let source = |p: &Self, at: usize| {
            let k = line_starts.partition_point(|&s| s <= at) - 1;
            let line_end = line_starts.get(k + 1).map_or(joined_len, |&next| next - 1);
            let in_view = at.min(line_end) - line_starts[k];
            let byte = p.view_start(b, i + k) + in_view;
            (k, p.lines[i + k].source_offset(p.src, byte))
        };
        // The diagnostic starts on the block's first line, where docutils reports.
        let range = |p: &Self, start: usize, end: usize| {
            let (k, start) = source(p, byte(start));
            let (_, end) = source(p, byte(end));
            let start = if k == 0 {
                start
            } else {
                p.range(b, i, i + 1).start
            };
            start..end
        };
        for problem in scan.unclosed {
            let r = range(self, problem.start, problem.end);
            self.message(MessageKind::Inline, 2, i + 1, r, problem.kind.message());
        }
        for r in scan.references {
            let range = range(self, r.start, r.end);
            let refers = match r.kind {
                RefKind::Named(name) => Refers::Name(name),
                RefKind::Footnote(name) => Refers::Footnote(name),
                RefKind::Anonymous => Refers::Anonymous,
                RefKind::AutoFootnote(label) => Refers::AutoFootnote(label),
                RefKind::SymbolFootnote => Refers::SymbolFootnote,
                RefKind::Citation(label) => Refers::Citation(label),
                RefKind::Substitution(name) => Refers::Substitution(name),
            };
            self.effect(Effect::Reference(refers, Place { line: i + 1, range }));
        }
        for t in scan.targets {
            let range = range(self, t.start, t.end);
            self.effect(Effect::InlineTarget {
                name: t.name,
                refuri: t.refuri,
                place: Place { line: i + 1, range },
            });
        }
        for role in scan.roles {
            let name = &text[byte(role.start)..byte(role.end)];
            if !known::is_known(known::ROLES, name) {
                let r = range(self, role.start, role.end);
                let message = format!("Unknown interpreted text role \"{name}\".");
                self.message(MessageKind::UnknownRole, 3, i + 1, r, &message);
            }
        }
    }
}
