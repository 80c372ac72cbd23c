//! docutils' body parser (`Body`, `Text` and `Line` states of `docutils.parsers.rst.states`)
//! reduced to what decides sections: which lines each body element consumes, where a
//! title is a section, and the messages docutils gives about titles. Nested content
//! (block quotes, list items, definitions, directive bodies) is parsed the same way with
//! titles disallowed, as docutils does, to report "Unexpected section title".

use super::directives::{self, Args, Content, Kind, Spec};
use super::lines::{Line, byte_to_char, char_to_byte, leading_space_chars};
use super::patterns::{self, Explicit};
use super::sections::{Outcome, Tree};
use super::width::column_width;
use super::{Heading, Message, MessageKind, Style};

/// Nesting deeper than this is consumed without looking inside (no messages there).
const MAX_DEPTH: u32 = 48;

/// A run of lines as a (nested) state machine sees them: lines `start..end`, with
/// `first` characters stripped from the first line and `rest` from the others.
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    first: usize,
    rest: usize,
}

impl Block {
    /// Lines `from..to` of this block, stripped as this block strips them.
    fn lines(self, from: usize, to: usize) -> Block {
        let first = if from == self.start {
            self.first
        } else {
            self.rest
        };
        Block {
            start: from,
            end: to,
            first,
            rest: self.rest,
        }
    }
}

pub struct Parser<'s, 'l> {
    src: &'s str,
    lines: &'l [Line<'s>],
    pub tree: Tree,
    /// Title line of the last title that closed open sections (docutils parses those
    /// twice and repeats the messages it gave before deciding the level).
    reparsed_title: Option<usize>,
    /// Where docutils resumes parsing (as text) after its short-overline quirk.
    resume: Option<usize>,
}

/// Whether a paragraph's text ends with an unescaped `::` (a literal block follows).
fn ends_with_literal_marker(line: &str) -> bool {
    let Some(before) = line.strip_suffix("::") else {
        return false;
    };
    let backslashes = before.bytes().rev().take_while(|&b| b == b'\\').count();
    backslashes % 2 == 0
}

impl<'s, 'l> Parser<'s, 'l> {
    pub fn new(src: &'s str, lines: &'l [Line<'s>]) -> Self {
        Parser {
            src,
            lines,
            tree: Tree::new(),
            reparsed_title: None,
            resume: None,
        }
    }

    /// Parse the whole document (titles allowed).
    pub fn document(&mut self) {
        let block = Block {
            start: 0,
            end: self.lines.len(),
            first: 0,
            rest: 0,
        };
        self.body(block, true, 0);
    }

    fn strip(&self, b: Block, i: usize) -> usize {
        if i == b.start { b.first } else { b.rest }
    }

    /// Byte offset into `lines[i].text` where the block's view of line `i` starts.
    fn view_start(&self, b: Block, i: usize) -> usize {
        char_to_byte(&self.lines[i].text, self.strip(b, i))
    }

    fn text(&self, b: Block, i: usize) -> &'l str {
        let t: &'l str = &self.lines[i].text;
        &t[char_to_byte(t, self.strip(b, i))..]
    }

    fn next_text(&self, b: Block, i: usize) -> Option<&'l str> {
        (i + 1 < b.end).then(|| self.text(b, i + 1))
    }

    /// Source byte range of lines `from..to` as the block sees them.
    fn range(&self, b: Block, from: usize, to: usize) -> std::ops::Range<usize> {
        let first = &self.lines[from];
        let start = first
            .source_offset(self.src, self.view_start(b, from))
            .min(first.end);
        let end = self.lines[to.max(from + 1) - 1].end;
        start..end.max(start)
    }

    fn message(
        &mut self,
        kind: MessageKind,
        level: u8,
        line: usize,
        range: std::ops::Range<usize>,
        text: &str,
    ) {
        self.tree.message(Message {
            kind,
            level,
            line,
            range,
            text: text.to_owned(),
        });
    }

    /// First line after `from` that ends an indented block: a non-blank unindented line
    /// (or, with `until_blank`, a blank one).
    fn indented_end(&self, b: Block, from: usize, until_blank: bool) -> usize {
        let mut j = from;
        while j < b.end {
            let t = self.text(b, j);
            if (!t.is_empty() && !t.starts_with(' ')) || (t.is_empty() && until_blank) {
                break;
            }
            j += 1;
        }
        j
    }

    /// Like [`Parser::indented_end`] with a known indent of `indent` characters.
    fn known_indented_end(&self, b: Block, from: usize, indent: usize) -> usize {
        let mut j = from;
        while j < b.end {
            let t = self.text(b, j);
            if !t.is_empty() {
                let prefix = &t[..char_to_byte(t, indent)];
                if !t.starts_with(' ') || !prefix.chars().all(super::lines::is_py_space) {
                    break;
                }
            }
            j += 1;
        }
        j
    }

    fn min_indent(&self, b: Block, from: usize, to: usize) -> usize {
        (from..to)
            .map(|j| self.text(b, j))
            .filter(|t| !t.is_empty())
            .map(leading_space_chars)
            .min()
            .unwrap_or(0)
    }

    /// Lines `i..end` as the content after a marker of `marker` bytes on line `i`,
    /// the following lines stripped of their common indentation.
    fn after_marker(&self, b: Block, i: usize, end: usize, marker: usize) -> Block {
        let view = self.text(b, i);
        let first = self.strip(b, i) + byte_to_char(view, marker.min(view.len()));
        let rest = b.rest + self.min_indent(b, i + 1, end);
        Block {
            start: i,
            end,
            first,
            rest,
        }
    }

    /// Parse `inner` as nested body content (titles not allowed).
    fn nested(&mut self, inner: Block, depth: u32) {
        if depth < MAX_DEPTH && inner.start < inner.end {
            self.body(inner, false, depth + 1);
        }
    }

    /// The block that follows a marker of `marker` bytes on line `i` (list items,
    /// fields, footnotes): docutils' `get_first_known_indented`. Returns its end.
    fn first_known_indented(
        &mut self,
        b: Block,
        i: usize,
        marker: usize,
        until_blank: bool,
        depth: u32,
    ) -> usize {
        let end = self.indented_end(b, i + 1, until_blank);
        self.nested(self.after_marker(b, i, end, marker), depth);
        end
    }

    fn body(&mut self, b: Block, titles: bool, depth: u32) {
        let mut i = b.start;
        while i < b.end {
            if self.text(b, i).is_empty() {
                i += 1;
                continue;
            }
            i = self.construct(b, i, titles, depth);
            while let Some(r) = self.resume.take() {
                i = self.text_block(b, r, titles, depth);
            }
        }
    }

    /// docutils' `Body` state on a non-blank line `i`; returns the next line to parse.
    fn construct(&mut self, b: Block, i: usize, titles: bool, depth: u32) -> usize {
        let line = self.text(b, i);
        let visible = |p: &mut Self| {
            if titles {
                p.tree.content();
            }
        };
        if line.starts_with(' ') {
            // Block quote.
            let end = self.indented_end(b, i, false);
            let indent = self.min_indent(b, i, end);
            let inner = Block {
                start: i,
                end,
                first: self.strip(b, i) + indent,
                rest: b.rest + indent,
            };
            self.block_quote(inner, depth);
            visible(self);
            return end;
        }
        if let Some(m) = patterns::bullet(line) {
            visible(self);
            return self.list_item(b, i, m, depth);
        }
        if let Some(m) = patterns::enumerator(line, self.next_text(b, i)) {
            visible(self);
            return self.list_item(b, i, m, depth);
        }
        if let Some(m) = patterns::field_marker(line) {
            visible(self);
            return self.first_known_indented(b, i, m, false, depth);
        }
        if let Some(m) = patterns::option_marker(line) {
            let end = self.indented_end(b, i + 1, false);
            let has_description =
                !line[m..].is_empty() || (i + 1..end).any(|j| !self.text(b, j).is_empty());
            if has_description {
                visible(self);
                return self.first_known_indented(b, i, m, false, depth);
            }
            return self.text_block(b, i, titles, depth);
        }
        if patterns::marker(line, ">>>").is_some() {
            visible(self);
            let mut j = i + 1;
            while j < b.end && !self.text(b, j).is_empty() {
                j += 1;
            }
            return j;
        }
        if patterns::marker(line, "|").is_some() {
            visible(self);
            return self.indented_end(b, i + 1, true);
        }
        if patterns::grid_table_top(line) {
            return self.grid_table(b, i, titles);
        }
        if patterns::simple_table_top(line) {
            return self.simple_table(b, i, titles);
        }
        if patterns::marker(line, "..").is_some() {
            return self.explicit(b, i, titles, depth);
        }
        if patterns::marker(line, "__").is_some() {
            // Anonymous target: invisible.
            return self.indented_end(b, i + 1, true);
        }
        if patterns::adornment(line).is_some() {
            return if titles {
                self.line_state(b, i, depth)
            } else {
                self.nested_adornment(b, i, depth)
            };
        }
        self.text_block(b, i, titles, depth)
    }

    /// docutils' `block_quote`: the quoted lines, split at attributions (`-- Author`
    /// after a blank line), each part parsed as nested body content.
    fn block_quote(&mut self, q: Block, depth: u32) {
        let mut start = q.start;
        while start < q.end {
            let (content_end, next) = self.split_attribution(q, start);
            self.nested(q.lines(start, content_end), depth);
            start = next;
            while start < q.end && self.text(q, start).is_empty() {
                start += 1;
            }
        }
    }

    /// docutils' `split_attribution`: where the quote's content ends and where the
    /// lines after its attribution start.
    fn split_attribution(&self, q: Block, start: usize) -> (usize, usize) {
        let mut blank = None;
        let mut nonblank_seen = false;
        for k in start..q.end {
            let t = self.text(q, k);
            if t.is_empty() {
                blank = Some(k);
                continue;
            }
            if nonblank_seen && blank == Some(k - 1) && patterns::attribution(t) {
                if let Some(end) = self.attribution_end(q, k) {
                    return (k, end);
                }
            }
            nonblank_seen = true;
        }
        (q.end, q.end)
    }

    /// docutils' `check_attribution`: the lines after an attribution's first line up
    /// to a blank line must share one indentation.
    fn attribution_end(&self, q: Block, first: usize) -> Option<usize> {
        let mut indent = None;
        for k in first + 1..q.end {
            let t = self.text(q, k);
            if t.is_empty() {
                return Some(k);
            }
            let this = leading_space_chars(t);
            if *indent.get_or_insert(this) != this {
                return None;
            }
        }
        Some(q.end)
    }

    fn list_item(&mut self, b: Block, i: usize, m: usize, depth: u32) -> usize {
        let view = self.text(b, i);
        if view[m..].is_empty() {
            return self.first_known_indented(b, i, m, false, depth);
        }
        let indent = byte_to_char(view, m);
        let end = self.known_indented_end(b, i + 1, indent);
        let inner = Block {
            start: i,
            end,
            first: self.strip(b, i) + indent,
            rest: b.rest + indent,
        };
        self.nested(inner, depth);
        end
    }

    /// An adornment line where titles are not allowed (docutils' `Body.line` in a
    /// nested state machine).
    fn nested_adornment(&mut self, b: Block, i: usize, depth: u32) -> usize {
        let line = self.text(b, i);
        if line == "::" {
            return self.text_block(b, i, false, depth);
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
            return self.text_block(b, i, false, depth);
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
    fn line_state(&mut self, b: Block, i: usize, depth: u32) -> usize {
        let overline = self.text(b, i);
        let short = overline.len() < 4;
        let next = match self.next_text(b, i) {
            None | Some("") if short => return self.text_block(b, i, true, depth),
            None | Some("") => {
                self.tree.content();
                return i + 1;
            }
            Some(next) => next,
        };
        if patterns::adornment(next).is_some() {
            return self.bad_overline(
                b,
                i,
                2,
                3,
                "Invalid section title or transition marker.",
                depth,
            );
        }
        // A title line (possibly indented) after an overline.
        let title_line = i + 1;
        let Some(under) = self.next_text(b, title_line) else {
            return self.bad_overline(b, i, 2, 4, "Incomplete section title.", depth);
        };
        if patterns::adornment(under).is_none() {
            return self.bad_overline(
                b,
                i,
                3,
                4,
                "Missing matching underline for section title overline.",
                depth,
            );
        }
        if under != overline {
            return self.bad_overline(b, i, 3, 4, "Title overline & underline mismatch.", depth);
        }
        let mut warning = None;
        if column_width(next) > overline.len() {
            if short {
                return self.short_overline(b, i, depth);
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
    fn bad_overline(
        &mut self,
        b: Block,
        i: usize,
        lines: usize,
        level: u8,
        text: &str,
        depth: u32,
    ) -> usize {
        if self.text(b, i).len() < 4 {
            return self.short_overline(b, i, depth);
        }
        let range = self.range(b, i, i + lines);
        self.message(MessageKind::Other, level, i + 1, range, text);
        i + lines
    }

    /// docutils' `short_overline`: an info, then the overline is read as text.
    fn short_overline(&mut self, b: Block, i: usize, depth: u32) -> usize {
        const TEXT: &str = "Possible incomplete section title.\nTreating the overline as ordinary text because it's so short.";
        let range = self.range(b, i, i + 1);
        self.message(MessageKind::Other, 1, i + 1, range.clone(), TEXT);
        let next = self.text_block(b, i, true, depth);
        if self.reparsed_title == Some(i) {
            self.message(MessageKind::Other, 1, i + 1, range, TEXT);
        }
        next
    }

    /// Hand an accepted title to the section tree. `warning` carries the range of a
    /// too-short adornment.
    fn section(
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
        let lead = view.len() - view.trim_start_matches(super::lines::is_py_space).len();
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
        match self.tree.title(heading, body, self.src) {
            Outcome::Resume => self.resume = Some(first_line.saturating_sub(2)),
            Outcome::Reparsed => self.reparse(title_line, warning),
            Outcome::Opened | Outcome::Inconsistent => {}
        }
    }

    /// docutils parses a title that closes sections a second time: the messages it
    /// gives before deciding the level come again.
    fn reparse(
        &mut self,
        title_line: usize,
        warning: Option<(MessageKind, &'static str, usize, std::ops::Range<usize>)>,
    ) {
        self.reparsed_title = Some(title_line);
        {
            // docutils reads the title again in the parent section: same warning again.
            if let Some((kind, text, at, range)) = warning {
                self.message(kind, 2, at + 1, range, text);
            }
        }
    }

    /// docutils' `Text` state: line `i` is text; the next line decides.
    fn text_block(&mut self, b: Block, i: usize, titles: bool, depth: u32) -> usize {
        let Some(next) = self.next_text(b, i) else {
            return self.paragraph(b, i, i + 1, titles);
        };
        if next.is_empty() {
            return self.paragraph(b, i, i + 1, titles);
        }
        if next.starts_with(' ') {
            // Definition list item.
            if titles {
                self.tree.content();
            }
            let end = self.indented_end(b, i + 1, false);
            let indent = self.min_indent(b, i + 1, end);
            let inner = Block {
                start: i + 1,
                end,
                first: b.rest + indent,
                rest: b.rest + indent,
            };
            self.nested(inner, depth);
            return end;
        }
        if patterns::adornment(next).is_some() {
            let title = self.text(b, i);
            let too_short = column_width(title) > next.len();
            if too_short && next.len() < 4 {
                if titles {
                    let range = self.range(b, i + 1, i + 2);
                    self.message(
                        MessageKind::PossibleUnderlineTooShort,
                        1,
                        i + 2,
                        range,
                        "Possible title underline, too short for the title.\nTreating it as ordinary text because it's so short.",
                    );
                }
                return self.paragraph_lines(b, i, titles);
            }
            let warning = too_short.then(|| self.range(b, i, i + 2));
            if !titles {
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
        self.paragraph_lines(b, i, titles)
    }

    /// docutils' `Text.text`: a paragraph from line `i` to the next blank line (or an
    /// unexpectedly indented one).
    fn paragraph_lines(&mut self, b: Block, i: usize, titles: bool) -> usize {
        let mut j = i + 1;
        while j < b.end {
            let t = self.text(b, j);
            if t.is_empty() || t.starts_with(' ') {
                break;
            }
            j += 1;
        }
        self.paragraph(b, i, j, titles)
    }

    /// A paragraph of lines `i..end`, and the literal block its `::` announces.
    fn paragraph(&mut self, b: Block, i: usize, end: usize, titles: bool) -> usize {
        let last = self.text(b, end - 1);
        let literal = ends_with_literal_marker(last);
        if titles && !(end == i + 1 && last == "::") {
            self.tree.content();
        }
        if literal {
            self.literal_block(b, end, titles)
        } else {
            end
        }
    }

    /// The literal block after a `::` paragraph, starting at line `j`: indented, or
    /// "quoted" (unindented lines starting with the same punctuation character).
    fn literal_block(&mut self, b: Block, j: usize, titles: bool) -> usize {
        let end = self.indented_end(b, j, false);
        if (j..end).any(|k| !self.text(b, k).is_empty()) {
            if titles {
                self.tree.content();
            }
            return end;
        }
        let Some(first) = (end < b.end).then(|| self.text(b, end)) else {
            return end;
        };
        let quote = first.as_bytes()[0];
        if !patterns::is_adornment_char(quote) {
            return end;
        }
        if titles {
            self.tree.content();
        }
        let mut k = end + 1;
        while k < b.end {
            let t = self.text(b, k);
            if t.is_empty() || t.as_bytes()[0] != quote {
                break;
            }
            k += 1;
        }
        k
    }

    /// Explicit markup (`.. `): comments, targets, substitution definitions,
    /// footnotes, citations, directives.
    fn explicit(&mut self, b: Block, i: usize, titles: bool, depth: u32) -> usize {
        let line = self.text(b, i);
        let m = patterns::marker(line, "..").unwrap_or(2);
        match patterns::explicit(line) {
            Explicit::Target => self.indented_end(b, i + 1, true),
            Explicit::Substitution => {
                let end = self.indented_end(b, i + 1, false);
                match patterns::substitution_directive(line) {
                    // `replace` parses its content as body elements, but only here.
                    Some((name, args)) if name.eq_ignore_ascii_case("replace") => {
                        self.nested(self.after_marker(b, i, end, args), depth);
                    }
                    Some((name, args)) => {
                        if let Some(spec) = directives::lookup(name) {
                            self.directive(b, i, end, args, spec, false, depth);
                        }
                    }
                    None => {}
                }
                end
            }
            Explicit::Footnote | Explicit::Citation => {
                if titles {
                    self.tree.content();
                }
                let marker = line.find(']').map_or(m, |p| p + 1);
                let marker = marker + line[marker..].bytes().take_while(|&c| c == b' ').count();
                self.first_known_indented(b, i, marker, false, depth)
            }
            Explicit::Comment => {
                let next_blank = self.next_text(b, i).is_none_or(str::is_empty);
                if next_blank && line[m..].trim().is_empty() {
                    i + 1
                } else {
                    self.indented_end(b, i + 1, false)
                }
            }
            Explicit::Directive { name, end: args } => {
                let end = self.indented_end(b, i + 1, false);
                if let Some(spec) = directives::lookup(name) {
                    self.directive(b, i, end, args, spec, titles, depth);
                }
                end
            }
        }
    }

    /// A known directive on lines `i..end` whose arguments start at byte `args` of line
    /// `i`: docutils' `parse_directive_block`, then the directive's own checks.
    #[allow(clippy::too_many_arguments)]
    fn directive(
        &mut self,
        b: Block,
        i: usize,
        end: usize,
        args: usize,
        spec: Spec,
        titles: bool,
        depth: u32,
    ) {
        let block = self.after_marker(b, i, end, args);
        let mut start = i;
        if self.text(block, start).is_empty() {
            start += 1;
        }
        let mut stop = end;
        while stop > start && self.text(block, stop - 1).is_empty() {
            stop -= 1;
        }
        let (mut arguments, mut content) =
            if start < stop && (spec.args != Args::None || spec.options.is_some()) {
                let blank = (start..stop)
                    .find(|&k| self.text(block, k).is_empty())
                    .unwrap_or(stop);
                (start..blank, (blank + 1).min(stop)..stop)
            } else {
                (start..start, start..stop)
            };
        if let Some(names) = spec.options {
            if let Some(first_option) = arguments
                .clone()
                .find(|&k| patterns::field_marker(self.text(block, k)).is_some())
            {
                let valid = (first_option..arguments.end).all(|k| {
                    let t = self.text(block, k);
                    if t.starts_with(' ') {
                        return true;
                    }
                    patterns::field_marker(t).is_some_and(|m| {
                        let name = t[1..m].trim_end().strip_suffix(':').unwrap_or("");
                        names.contains(&name)
                    })
                });
                if !valid {
                    return;
                }
                // Content then is what precedes the options plus what follows the blank.
                if spec.args == Args::None && arguments.start < first_option {
                    self.body_directive(spec, block.lines(arguments.start, first_option), depth);
                }
                arguments.end = first_option;
            }
        }
        if spec.args == Args::None && !arguments.is_empty() {
            content = arguments.start..stop;
            arguments = start..start;
        }
        let has_content = (content.start..content.end).any(|k| !self.text(block, k).is_empty());
        let first_line = (content.start..content.end)
            .map(|k| self.text(block, k))
            .find(|t| !t.is_empty());
        let shape_ok = match spec.content {
            Content::Table => first_line
                .is_some_and(|t| patterns::grid_table_top(t) || patterns::simple_table_top(t)),
            Content::BulletList => first_line.is_some_and(|t| patterns::bullet(t).is_some()),
            Content::Forbidden | Content::Optional | Content::Required => true,
        };
        let failed = (spec.args == Args::Required && arguments.is_empty())
            || (spec.content != Content::Forbidden
                && spec.content != Content::Optional
                && !has_content)
            || (spec.content == Content::Forbidden && has_content)
            || (spec.top_only && !titles);
        if failed {
            // docutils replaces the directive by an error message.
            return;
        }
        // `table` and `list-table` parse their content, then turn into an error message
        // unless it is the expected table or list.
        let visible = shape_ok
            && match spec.kind {
                Kind::Invisible => false,
                Kind::Opaque => true,
                // `class` without content leaves an invisible `pending` node.
                Kind::Body => has_content || spec.options.is_some(),
            };
        if visible && titles {
            self.tree.content();
        }
        if has_content {
            self.body_directive(spec, block.lines(content.start, content.end), depth);
        }
    }

    /// Parse directive content `inner` as nested body elements if the directive does.
    fn body_directive(&mut self, spec: Spec, inner: Block, depth: u32) {
        if spec.kind == Kind::Body {
            self.nested(inner, depth);
        }
    }

    /// A grid table from line `i` (`+---+`): docutils' `isolate_grid_table`.
    fn grid_table(&mut self, b: Block, i: usize, titles: bool) -> usize {
        let mut end = i;
        while end < b.end {
            let t = self.text(b, end);
            if t.is_empty() || (end > i && t.starts_with(' ')) {
                break;
            }
            end += 1;
        }
        let stripped = |p: &Self, j: usize| p.text(b, j).trim_matches(super::lines::is_py_space);
        if let Some(k) =
            (i..end).find(|&k| !matches!(stripped(self, k).as_bytes().first(), Some(b'+' | b'|')))
        {
            end = k;
        }
        // Parsing resumes after the table, except that when docutils has to look for
        // the bottom border above the last line it backs up one line too many and
        // resumes at the line before that border.
        let mut next = end;
        let mut ok = true;
        if !patterns::grid_table_top(stripped(self, end - 1)) {
            match (i + 2..end - 1)
                .rev()
                .find(|&k| patterns::grid_table_top(stripped(self, k)))
            {
                Some(k) => {
                    end = k + 1;
                    next = k - 1;
                }
                None => ok = false,
            }
        }
        let width = column_width(stripped(self, i));
        ok = ok
            && (i..end).all(|k| {
                let s = stripped(self, k);
                column_width(s) == width && matches!(s.as_bytes().last(), Some(b'+' | b'|'))
            });
        if ok && titles {
            self.tree.content();
        }
        next
    }

    /// A simple table from line `i` (`=== ===`): docutils' `isolate_simple_table`.
    fn simple_table(&mut self, b: Block, i: usize, titles: bool) -> usize {
        let top_len = self.text(b, i).trim().chars().count();
        let limit = b.end - 1;
        let mut found = 0;
        let mut found_at = i;
        let mut k = i + 1;
        while k <= limit {
            let t = self.text(b, k);
            if patterns::simple_table_border(t) {
                if t.trim().chars().count() != top_len {
                    return k + 1;
                }
                found += 1;
                found_at = k;
                if found == 2 || k == limit || self.text(b, k + 1).is_empty() {
                    if titles {
                        self.tree.content();
                    }
                    return k + 1;
                }
            }
            k += 1;
        }
        if found > 0 { found_at + 1 } else { b.end }
    }
}
