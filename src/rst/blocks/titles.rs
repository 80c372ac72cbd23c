//! docutils' `Text` and `Line` states: a text line and what the next line makes of it
//! (paragraph, definition list item, section title), an adornment line (transition,
//! overline, text after all), and the literal block a paragraph's `::` announces.

use super::{Block, Parser};
use crate::rst::inline;
use crate::rst::lines::leading_space_bytes;
use crate::rst::patterns;
use crate::rst::references::normalize_name_shared;
use crate::rst::reuse::{Effect, Title};
use crate::rst::sections::Outcome;
use crate::rst::width::wider_than;
use crate::rst::{Heading, Message, MessageKind, Style};

/// Whether a paragraph's text ends with an unescaped `::` (a literal block follows).
fn ends_with_literal_marker(line: &str) -> bool {
    let Some(before) = line.strip_suffix("::") else {
        return false;
    };
    let backslashes = before.bytes().rev().take_while(|&b| b == b'\\').count();
    backslashes % 2 == 0
}

impl<const RECORDS: bool> Parser<'_, '_, RECORDS> {
    /// An adornment line where titles are not allowed (docutils' `Body.line` in a
    /// nested state machine).
    pub(super) fn nested_adornment(&mut self, b: Block, i: usize) -> usize {
        let line = self.text(b, i);
        if line == "::" {
            return self.text_block(b, i);
        }
        let range = self.range(b, i, i + 1);
        if line.len() < 4 {
            self.message(
                MessageKind::Other,
                1,
                i + 1,
                range,
                "Unexpected possible title overline or transition.\nTreating it as ordinary text because it's so short.",
            );
            return self.text_block(b, i);
        }
        self.message(
            MessageKind::UnexpectedSectionTitle,
            4,
            i + 1,
            range,
            "Unexpected section title or transition.",
        );
        i + 1
    }

    /// docutils' `Line` state: an adornment line at the top level - a transition, the
    /// overline of a title, or text after all.
    pub(super) fn line_state(&mut self, b: Block, i: usize) -> usize {
        let overline = self.text(b, i);
        let short = overline.len() < 4;
        let next = match self.next_text(b, i) {
            None | Some("") if short => return self.text_block(b, i),
            None | Some("") => {
                // where a transition stands depends on the sections open
                self.taint();
                let range = self.range(b, i, i + 1);
                self.tree.transition(i + 1, range);
                return i + 1;
            }
            Some(next) => next,
        };
        if patterns::adornment(next).is_some() {
            return self.bad_overline(b, i, 2, 3, "Invalid section title or transition marker.");
        }
        // A title line (possibly indented) after an overline.
        let title_line = i + 1;
        let Some(under) = self.next_text(b, title_line) else {
            return self.bad_overline(b, i, 2, 4, "Incomplete section title.");
        };
        if patterns::adornment(under).is_none() {
            return self.bad_overline(
                b,
                i,
                3,
                4,
                "Missing matching underline for section title overline.",
            );
        }
        if under != overline {
            return self.bad_overline(b, i, 3, 4, "Title overline & underline mismatch.");
        }
        let mut warning = None;
        if wider_than(next, overline.len()) {
            if short {
                return self.short_overline(b, i);
            }
            warning = Some(self.range(b, i, i + 3));
        }
        let style = Style {
            ch: char::from(overline.as_bytes()[0]),
            overline: true,
        };
        self.section(b, title_line, Some(i), i + 2, style, warning);
        i + 3
    }

    /// An overline at line `i` that starts no title: read as text when shorter than 4
    /// characters, else docutils' message about the `lines` lines concerned.
    pub(super) fn bad_overline(
        &mut self,
        b: Block,
        i: usize,
        lines: usize,
        level: u8,
        text: &str,
    ) -> usize {
        if self.text(b, i).len() < 4 {
            return self.short_overline(b, i);
        }
        let range = self.range(b, i, i + lines);
        self.message(MessageKind::Other, level, i + 1, range, text);
        self.node(false);
        i + lines
    }

    /// docutils' `short_overline`: an info, then the overline is read as text.
    pub(super) fn short_overline(&mut self, b: Block, i: usize) -> usize {
        const TEXT: &str = "Possible incomplete section title.\nTreating the overline as ordinary text because it's so short.";
        let range = self.range(b, i, i + 1);
        self.message(MessageKind::Other, 1, i + 1, range.clone(), TEXT);
        self.node(false);
        self.taint();
        self.short_overline = Some(i);
        let next = self.text_block(b, i);
        self.short_overline = None;
        if self.reparsed_title == Some(i) {
            self.message(MessageKind::Other, 1, i + 1, range, TEXT);
        }
        next
    }

    /// Hand an accepted title to the section tree. `warning` carries the range of a
    /// too-short adornment.
    pub(super) fn section(
        &mut self,
        b: Block,
        title_line: usize,
        overline: Option<usize>,
        underline: usize,
        style: Style,
        warning: Option<std::ops::Range<usize>>,
    ) {
        let line = &self.lines[title_line];
        let view = self.text(b, title_line);
        let lead = leading_space_bytes(view);
        let title_start = line.source_offset(self.src, self.view_start(b, title_line) + lead);
        let adornment = |j: usize| {
            let l = &self.lines[j];
            l.source_offset(self.src, self.view_start(b, j))..l.end
        };
        let heading = Heading {
            title: view[lead..].to_owned(),
            title_range: title_start.min(line.end)..line.end,
            underline: adornment(underline),
            overline: overline.map(adornment),
            style,
            line: underline + 1,
        };
        let warning = warning.map(|range| {
            if overline.is_some() {
                (
                    MessageKind::OverlineTooShort,
                    "Title overline too short.",
                    overline.unwrap_or(underline),
                    range,
                )
            } else {
                (
                    MessageKind::UnderlineTooShort,
                    "Title underline too short.",
                    underline,
                    range,
                )
            }
        });
        if let Some((kind, text, at, range)) = warning.clone() {
            self.message(kind, 2, at + 1, range, text);
        }
        let body = self.lines[underline].next;
        let first_line = overline.unwrap_or(title_line);
        // what the title's inline markup gives, kept with it: given once it makes a
        // section (`title`)
        let mut inline = Vec::new();
        if inline::may_hold_markup(&heading.title) {
            let kept = self.kept.replace(inline);
            self.inline_markup(b, title_line, title_line + 1, false);
            inline = std::mem::replace(&mut self.kept, kept).unwrap_or_default();
        }
        // docutils gives a title's references and targets the line of its last
        // adornment (the title node's), its other messages the title's line
        for effect in &mut inline {
            if let Effect::Reference(_, place) | Effect::InlineTarget { place, .. } = effect {
                place.line = underline + 1;
            }
        }
        let title = Title {
            name: normalize_name_shared(&heading.title),
            heading,
            body,
            title_line,
            first_line,
            warning,
            inline,
        };
        if self.recording() {
            self.effect(Effect::Title(Box::new(title)));
        } else {
            // what `effect` would do, without boxing it first
            self.title(title);
        }
    }

    /// Hand `title` to the section tree, which decides its level from the titles
    /// before it: docutils may parse it again, or resume parsing above it.
    pub(super) fn title(&mut self, mut title: Title) {
        let inline = std::mem::take(&mut title.inline);
        let reparse_messages = usize::from(self.short_overline == Some(title.title_line));
        let section_messages = usize::from(title.warning.is_some());
        let outcome = self.tree.title(
            title.heading,
            title.name,
            title.body,
            self.src,
            section_messages,
            reparse_messages,
        );
        match outcome {
            Outcome::Resume => self.resume = Some(title.first_line.saturating_sub(2)),
            Outcome::Reparsed => {
                // docutils parses a title that closes sections a second time: the
                // messages it gives before deciding the level come again (decided by
                // the document's state, so never recorded as the title's own)
                self.reparsed_title = Some(title.title_line);
                if let Some((kind, text, at, range)) = title.warning {
                    self.tree.message(Message {
                        kind,
                        level: 2,
                        line: at + 1,
                        range,
                        text: text.to_owned(),
                        elsewhere: false,
                    });
                }
            }
            Outcome::Opened | Outcome::Inconsistent => {}
        }
        // docutils reads a title's inline markup when it makes the section
        // (`new_subsection`): not for an inconsistent level, nor before resuming above
        if matches!(outcome, Outcome::Opened | Outcome::Reparsed) {
            for effect in inline {
                self.apply(effect);
            }
        }
    }

    /// docutils' `Text` state: line `i` is text; the next line decides.
    pub(super) fn text_block(&mut self, b: Block, i: usize) -> usize {
        let Some(next) = self.next_text(b, i) else {
            return self.paragraph(b, i, i + 1, false);
        };
        if next.is_empty() {
            return self.paragraph(b, i, i + 1, false);
        }
        if next.starts_with(' ') {
            // Definition list item.
            if b.titles {
                self.node(true);
            }
            self.inline_markup(b, i, i + 1, false);
            let end = self.indented_end(b, i + 1, false);
            let indent = self.min_indent(b, i + 1, end);
            self.nested(self.indented(b, i + 1, end, indent));
            // Another term (a line of text followed by an indented one) continues the
            // list; a line any other construct starts with ends it.
            let term_follows = self.next_text(b, end).is_some_and(|t| t.starts_with(' '));
            return self.unindent(b, end, super::ends!("Definition list"), |t| {
                term_follows && patterns::is_plain_text(t)
            });
        }
        if patterns::adornment(next).is_some() {
            let title = self.text(b, i);
            let too_short = wider_than(title, next.len());
            if too_short && next.len() < 4 {
                if b.titles {
                    let range = self.range(b, i + 1, i + 2);
                    self.message(
                        MessageKind::PossibleUnderlineTooShort,
                        1,
                        i + 2,
                        range,
                        "Possible title underline, too short for the title.\nTreating it as ordinary text because it's so short.",
                    );
                    self.node(false);
                }
                return self.paragraph_lines(b, i);
            }
            let warning = too_short.then(|| self.range(b, i, i + 2));
            if !b.titles {
                if let Some(range) = warning {
                    self.message(
                        MessageKind::UnderlineTooShort,
                        2,
                        i + 2,
                        range,
                        "Title underline too short.",
                    );
                }
                let range = self.range(b, i, i + 2);
                self.message(
                    MessageKind::UnexpectedSectionTitle,
                    4,
                    i + 2,
                    range,
                    "Unexpected section title.",
                );
                return i + 2;
            }
            let style = Style {
                ch: char::from(next.as_bytes()[0]),
                overline: false,
            };
            self.section(b, i, None, i + 1, style, warning);
            return i + 2;
        }
        self.paragraph_lines(b, i)
    }

    /// docutils' `Text.text`: a paragraph from line `i` to the next blank line (or an
    /// unexpectedly indented one).
    pub(super) fn paragraph_lines(&mut self, b: Block, i: usize) -> usize {
        let mut j = i + 1;
        let mut indented = false;
        while j < b.end {
            let t = self.text(b, j);
            indented = t.starts_with(' ');
            if t.is_empty() || indented {
                break;
            }
            j += 1;
        }
        self.paragraph(b, i, j, indented)
    }

    /// A paragraph of lines `i..end`, and the literal block its `::` announces;
    /// `indented`: the line after it is indented (its caller has read it).
    pub(super) fn paragraph(&mut self, b: Block, i: usize, end: usize, indented: bool) -> usize {
        let last = self.text(b, end - 1);
        let literal = ends_with_literal_marker(last);
        if b.titles && !(end == i + 1 && last == "::") {
            self.node(true);
        }
        if indented {
            self.unexpected_indentation(b, end);
        }
        if !(end == i + 1 && last == "::") {
            self.inline_markup(b, i, end, literal);
        }
        if literal {
            self.literal_block(b, end)
        } else {
            end
        }
    }

    /// The literal block after a `::` paragraph, starting at line `j`: indented, or
    /// "quoted" (unindented lines starting with the same punctuation character).
    pub(super) fn literal_block(&mut self, b: Block, j: usize) -> usize {
        let end = self.indented_end(b, j, false);
        if (j..end).any(|k| !self.text(b, k).is_empty()) {
            if b.titles {
                self.node(true);
            }
            return self.unindent(b, end, super::ends!("Literal block"), |_| false);
        }
        let quote = (end < b.end).then(|| self.text(b, end).as_bytes()[0]);
        let Some(quote) = quote.filter(|&q| patterns::is_adornment_char(q)) else {
            if b.titles {
                self.node(false);
            }
            let message = "Literal block expected; none found.";
            self.body_message(MessageKind::Indentation, 2, b, end, message);
            return end;
        };
        if b.titles {
            self.node(true);
        }
        let mut k = end + 1;
        while k < b.end {
            let t = self.text(b, k);
            if t.is_empty() {
                break;
            }
            if t.as_bytes()[0] != quote {
                // docutils' `QuotedLiteralBlock`: the block ends here, and the line is
                // parsed again after it
                if b.titles {
                    self.node(false);
                }
                let message = match t.starts_with(' ') {
                    true => "Unexpected indentation.",
                    false => "Inconsistent literal block quoting.",
                };
                self.body_message(MessageKind::Indentation, 3, b, k, message);
                break;
            }
            k += 1;
        }
        k
    }
}
