//! docutils' body parser (`Body`, `Text` and `Line` states of `docutils.parsers.rst.states`)
//! reduced to what decides sections: which lines each body element consumes, where a
//! title is a section, and the messages docutils gives about titles. Nested content
//! (block quotes, list items, definitions, directive bodies) is parsed the same way with
//! titles disallowed, as docutils does, to report "Unexpected section title".

use std::cell::Cell;

use super::lines::{Line, byte_to_char, char_to_byte, leading_space_chars};
use super::patterns;
use super::references::{Collector, Place};
use super::reuse::{Earlier, Effect, Recorder, Shift, shifted, shifted_place, shifted_title};
use super::sections::Tree;
use super::{Message, MessageKind};

/// docutils' `unindent_warning` text for a construct.
macro_rules! ends {
    ($what:literal) => {
        concat!($what, " ends without a blank line; unexpected unindent.")
    };
}
pub(super) use ends;

/// Nesting deeper than this is consumed without looking inside (no messages there).
const MAX_DEPTH: u32 = 48;

mod cells;
mod explicit;
mod list_table;
mod markup;
mod tables;
mod titles;

/// A run of lines as a (nested) state machine sees them: lines `start..end`, with
/// `first` characters stripped from the first line and `rest` from the others; and the
/// context it is parsed in, which every step reads: whether titles are sections here
/// (only at the document's top level) and how deeply it is nested.
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    first: usize,
    rest: usize,
    titles: bool,
    depth: u32,
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
            ..self
        }
    }
}

/// `RECORDS`: whether the parse may record what the next parse of an edited text replays
/// (the language server's); `check`'s parse records nothing, and its steps test nothing
/// for it (asked on every line read, the test was 0.3 M instructions over the corpus).
pub struct Parser<'s, 'l, const RECORDS: bool> {
    src: &'s str,
    lines: &'l [Line<'s>],
    pub tree: Tree,
    /// Names and references, resolved once the document is parsed.
    pub references: Collector,
    /// The files directives read (`include` and the others: [`super::Include`]).
    pub includes: Vec<super::Include>,
    /// The last grid or simple table parsed: its top line, whether it is well formed,
    /// and the line parsing resumes at after it (what a `table` directive asks of the
    /// table its content holds).
    last_table: Option<(usize, bool, usize)>,
    /// Title line of the last title that closed open sections (docutils parses those
    /// twice and repeats the messages it gave before deciding the level).
    reparsed_title: Option<usize>,
    /// Where docutils resumes parsing (as text) after its short-overline quirk.
    resume: Option<usize>,
    /// The line of an overline being read as text after a short-overline info.
    short_overline: Option<usize>,
    /// The parse of an earlier text of the document, whose top-level constructs are
    /// replayed where their lines are unchanged.
    earlier: Option<Earlier<'l>>,
    /// What this parse leaves for the next one, if it keeps anything.
    pub recorder: Option<Recorder>,
    /// Whether the effects of the top-level construct being parsed are recorded.
    recording: bool,
    /// The first and last line read since the top-level construct started.
    reads: Cell<(usize, usize)>,
    /// Whether that construct decided something from the document's state (a title, a
    /// transition): it is parsed again next time, never replayed.
    tainted: bool,
    /// A paragraph's lines joined, and where each starts in it: kept from paragraph to
    /// paragraph (`inline_markup`), so that they are allocated once per parse, with
    /// room at once for a long paragraph (making room as longer ones came was 765
    /// allocations over the corpus, where two a document are made now).
    joined: (String, Vec<usize>),
    /// Where effects are kept rather than done, while a title's inline markup is read
    /// (see `section`).
    kept: Option<Vec<Effect>>,
}

/// Whether a line starts another explicit markup construct (which continues the list
/// of explicit constructs docutils parses together).
fn is_explicit(line: &str) -> bool {
    patterns::marker(line, "..").is_some() || patterns::marker(line, "__").is_some()
}

impl<'s, 'l, const RECORDS: bool> Parser<'s, 'l, RECORDS> {
    /// A parser of `lines` of `src`, with room for `names` section and target names (see
    /// [`Tree::new`]).
    pub fn new(src: &'s str, lines: &'l [Line<'s>], names: usize) -> Self {
        let joined = (String::with_capacity(2048), Vec::with_capacity(64));
        Self::with_buffer(src, lines, names, joined)
    }

    /// [`Parser::new`] with `joined` as the buffer a paragraph's lines are joined in.
    fn with_buffer(
        src: &'s str,
        lines: &'l [Line<'s>],
        names: usize,
        joined: (String, Vec<usize>),
    ) -> Self {
        Parser {
            src,
            lines,
            tree: Tree::new(names),
            references: Collector::default(),
            includes: Vec::new(),
            last_table: None,
            reparsed_title: None,
            resume: None,
            short_overline: None,
            earlier: None,
            recorder: None,
            recording: false,
            reads: Cell::new((0, 0)),
            tainted: false,
            joined,
            kept: None,
        }
    }

    /// Replay what `earlier` parsed where its lines are unchanged.
    pub fn reusing(&mut self, earlier: Option<Earlier<'l>>) {
        self.earlier = earlier;
    }

    /// Do `effect` to the document being built (and record it).
    /// Whether the effects done now are recorded.
    fn recording(&self) -> bool {
        RECORDS && self.recording && self.recorder.is_some()
    }

    fn effect(&mut self, effect: Effect) {
        if let Some(kept) = self.kept.as_mut() {
            return kept.push(effect);
        }
        if let Some(recorder) = self.recorder.as_mut().filter(|_| RECORDS && self.recording)
            && !recorder.effect(effect.clone())
        {
            // too much to keep: this parse leaves nothing to reuse
            self.recorder = None;
            self.earlier = None;
        }
        self.apply(effect);
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Node(visible) => self.tree.node(visible),
            Effect::Message(message) => self.tree.message(message),
            Effect::TreeName(name) => self.tree.target(name),
            Effect::DocumentStartNode => self.tree.document_start_node(),
            Effect::Target {
                name,
                refuri,
                place,
            } => self.references.target(&name, refuri, place),
            Effect::InlineTarget {
                name,
                refuri,
                place,
            } => self.references.inline_target(name, refuri, place),
            Effect::AnonymousTarget(place) => self.references.anonymous_target(place),
            Effect::Reference(refers, place) => self.references.reference(refers, place),
            Effect::Substitution(name) => self.references.substitution(&name),
            Effect::Citation(label, place) => self.references.citation(&label, place),
            Effect::Footnote(label, place) => self.references.footnote(label, place),
            Effect::Unparsed => self.references.unparsed(),
            Effect::Include(include) => self.includes.push(include),
            Effect::Title(title) => self.title(*title),
        }
    }

    /// Replay what an earlier parse recorded, moved by `shift`: only what the document
    /// keeps is copied.
    fn replay(&mut self, effect: &Effect, shift: Shift) {
        match effect {
            Effect::Node(visible) => self.tree.node(*visible),
            Effect::TreeName(name) => self.tree.target(name.clone()),
            Effect::DocumentStartNode => self.tree.document_start_node(),
            Effect::Substitution(name) => self.references.substitution(name),
            Effect::Citation(label, place) => {
                self.references.citation(label, shifted_place(place, shift));
            }
            Effect::AnonymousTarget(place) => {
                self.references
                    .anonymous_target(shifted_place(place, shift));
            }
            Effect::Unparsed => self.references.unparsed(),
            Effect::Title(title) => self.title(shifted_title(title, shift)),
            _ => self.apply(shifted(effect, shift)),
        }
    }

    /// The construct at top-level line `i` (and docutils' resumption after it): replayed
    /// from the earlier parse when it can be, else parsed (and recorded). Returns the
    /// next line to parse.
    fn top_level(&mut self, b: Block, i: usize) -> usize {
        if !RECORDS {
            // (nothing earlier to replay: only a recording parse is given one)
            return self.top_level_step(b, i);
        }
        let earlier = self.earlier.as_mut().and_then(|e| e.construct_at(i));
        if let Some(construct) = earlier.filter(|_| self.recorder.is_some()) {
            let next = construct.next;
            for effect in construct.effects.as_slice() {
                self.replay(effect, construct.shift);
            }
            if self.resume.is_none() {
                if let Some(recorder) = &mut self.recorder {
                    recorder.replayed(construct);
                }
                return next;
            }
            // a title whose level now makes docutils resume above it: parsed on from
            // there, as a construct decided by the document's state (not kept)
            let mut i = next;
            while let Some(r) = self.resume.take() {
                i = self.text_block(b, r);
            }
            return i;
        }
        if self.recorder.is_none() {
            return self.top_level_step(b, i);
        }
        self.reads.set((i, i));
        self.tainted = false;
        self.recording = true;
        let next = self.top_level_step(b, i);
        self.recording = false;
        let (reads, tainted) = (self.reads.get(), self.tainted);
        if let Some(recorder) = &mut self.recorder {
            recorder.construct(i, next, reads, tainted);
        }
        next
    }

    fn top_level_step(&mut self, b: Block, i: usize) -> usize {
        let mut i = self.construct(b, i);
        while let Some(r) = self.resume.take() {
            self.tainted = true;
            i = self.text_block(b, r);
        }
        i
    }

    /// A node in the innermost open section (see [`Tree::node`]).
    fn node(&mut self, visible: bool) {
        if self.recording() {
            self.effect(Effect::Node(visible));
        } else {
            // what `effect` would do, without making an effect first
            self.tree.node(visible);
        }
    }

    /// The construct being parsed decides from the document's state: never replay it.
    fn taint(&mut self) {
        self.tainted = true;
    }

    /// Parse the whole document (titles allowed).
    pub fn document(&mut self) {
        let block = Block {
            start: 0,
            end: self.lines.len(),
            first: 0,
            rest: 0,
            titles: true,
            depth: 0,
        };
        self.body(block);
    }

    fn strip(&self, b: Block, i: usize) -> usize {
        if i == b.start { b.first } else { b.rest }
    }

    /// Note that the construct being recorded read line `i`.
    #[inline(never)]
    fn read(&self, i: usize) {
        let (lo, hi) = self.reads.get();
        self.reads.set((lo.min(i), hi.max(i)));
    }

    /// Byte offset into `lines[i].text` where the block's view of line `i` starts.
    fn view_start(&self, b: Block, i: usize) -> usize {
        char_to_byte(self.lines[i].text, self.strip(b, i))
    }

    /// Line `i` as block `b` sees it. (Inlined: asked several times for most lines, a
    /// call cost as much as the answer.)
    #[inline(always)]
    fn text(&self, b: Block, i: usize) -> &'l str {
        // (only a construct being recorded keeps what it read: `check` records none)
        if RECORDS && self.recording {
            self.read(i);
        }
        let t: &'l str = self.lines[i].text;
        let from = char_to_byte(t, self.strip(b, i));
        debug_assert!(t.is_char_boundary(from));
        // SAFETY: `char_to_byte` answers a character boundary of `t` (where its `n`-th
        // character starts, or its length). (Checked again by slicing, it was a fifth
        // of the answer's work, in a call asked several times for most lines.)
        unsafe { t.get_unchecked(from..) }
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
        self.effect(Effect::Message(Message {
            kind,
            level,
            line,
            range,
            text: text.to_owned(),
            elsewhere: false,
        }));
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
                // (spaces, usually: no character to look at more closely)
                let spaces = prefix.bytes().all(|c| c == b' ')
                    || prefix.chars().all(super::lines::is_py_space);
                if !t.starts_with(' ') || !spaces {
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

    /// Lines `i..end` of `b` with `indent` more characters stripped from each (a block
    /// quote, a list item's or a definition's body).
    fn indented(&self, b: Block, i: usize, end: usize, indent: usize) -> Block {
        Block {
            start: i,
            end,
            first: self.strip(b, i) + indent,
            rest: b.rest + indent,
            ..b
        }
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
            ..b
        }
    }

    /// Parse `inner` as nested body content (titles not allowed).
    fn nested(&mut self, inner: Block) {
        if inner.depth < MAX_DEPTH && inner.start < inner.end {
            self.body(Block {
                titles: false,
                depth: inner.depth + 1,
                ..inner
            });
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
    ) -> usize {
        let end = self.indented_end(b, i + 1, until_blank);
        self.nested(self.after_marker(b, i, end, marker));
        end
    }

    fn body(&mut self, b: Block) {
        let mut i = b.start;
        if b.titles && b.depth == 0 {
            // The document's lines (nothing stripped). A blank line between top-level
            // constructs is not recorded as read: each construct's reads start at it.
            while i < b.end {
                if self.lines[i].text.is_empty() {
                    i += 1;
                    continue;
                }
                i = self.top_level(b, i);
            }
            return;
        }
        while i < b.end {
            if self.text(b, i).is_empty() {
                i += 1;
                continue;
            }
            i = self.construct(b, i);
            while let Some(r) = self.resume.take() {
                i = self.text_block(b, r);
            }
        }
    }

    /// docutils' `Body` state on a non-blank line `i`; returns the next line to parse.
    fn construct(&mut self, b: Block, i: usize) -> usize {
        let line = self.text(b, i);
        if let Some(next) = self.indented_or_list(b, i, line) {
            return next;
        }
        if let Some(next) = self.markup(b, i, line) {
            return next;
        }
        self.text_block(b, i)
    }

    /// A visible body element starts here (it ends a title's reach at the top level).
    fn visible(&mut self, b: Block) {
        if b.titles {
            self.node(true);
        }
    }

    /// A block quote, or a bullet, enumerated, field or option list item, at line `i`
    /// (`line`, as `b` sees it).
    fn indented_or_list(&mut self, b: Block, i: usize, line: &str) -> Option<usize> {
        if line.starts_with(' ') {
            // Block quote.
            let end = self.indented_end(b, i, false);
            let indent = self.min_indent(b, i, end);
            self.block_quote(self.indented(b, i, end, indent));
            self.visible(b);
            return Some(self.unindent(b, end, ends!("Block quote"), |_| false));
        }
        if let Some(m) = patterns::bullet(line) {
            self.visible(b);
            let end = self.list_item(b, i, m);
            let bullet = line.chars().next();
            return Some(self.unindent(b, end, ends!("Bullet list"), |t| {
                patterns::bullet(t).is_some() && t.chars().next() == bullet
            }));
        }
        if let Some((m, list)) = patterns::enumeration_start(line, || self.next_text(b, i)) {
            self.visible(b);
            return Some(self.enumerated_list(b, i, m, list));
        }
        if let Some(m) = patterns::field_marker(line) {
            self.visible(b);
            let end = self.first_known_indented(b, i, m, false);
            return Some(self.unindent(b, end, ends!("Field list"), |t| {
                patterns::field_marker(t).is_some()
            }));
        }
        if let Some(m) = patterns::option_marker(line) {
            let end = self.indented_end(b, i + 1, false);
            let has_description =
                !line[m..].is_empty() || (i + 1..end).any(|j| !self.text(b, j).is_empty());
            if !has_description {
                return Some(self.text_block(b, i));
            }
            self.visible(b);
            let end = self.first_known_indented(b, i, m, false);
            return Some(self.unindent(b, end, ends!("Option list"), |t| {
                patterns::option_marker(t).is_some()
            }));
        }
        None
    }

    /// A doctest block, line block, table, explicit markup, anonymous target or
    /// adornment line at line `i` (`line`, as `b` sees it).
    fn markup(&mut self, b: Block, i: usize, line: &str) -> Option<usize> {
        // each of them starts with one of the adornment characters (a line of text
        // seldom does)
        if !line
            .as_bytes()
            .first()
            .is_some_and(|&c| patterns::is_adornment_char(c))
        {
            return None;
        }
        if patterns::marker(line, ">>>").is_some() {
            self.visible(b);
            let mut j = i + 1;
            while j < b.end && !self.text(b, j).is_empty() {
                j += 1;
            }
            return Some(j);
        }
        if patterns::marker(line, "|").is_some() {
            self.visible(b);
            return Some(self.line_block(b, i));
        }
        if patterns::grid_table_top(line) {
            return Some(self.grid_table(b, i));
        }
        if patterns::simple_table_top(line) {
            return Some(self.simple_table(b, i));
        }
        if patterns::marker(line, "..").is_some() {
            let end = self.explicit(b, i);
            return Some(self.unindent(b, end, ends!("Explicit markup"), is_explicit));
        }
        if patterns::marker(line, "__").is_some() {
            // Anonymous target: invisible.
            if b.titles {
                self.node(false);
            }
            let end = self.indented_end(b, i + 1, true);
            let range = self.range(b, i, i + 1);
            self.effect(Effect::AnonymousTarget(Place { line: i + 1, range }));
            return Some(self.unindent(b, end, ends!("Explicit markup"), is_explicit));
        }
        if patterns::adornment(line).is_some() {
            return Some(if b.titles {
                self.line_state(b, i)
            } else {
                self.nested_adornment(b, i)
            });
        }
        None
    }

    /// docutils' "... ends without a blank line; unexpected unindent." warning after a
    /// construct ending at `end` that the next line touches, unless that line
    /// `continues` the same list. Returns `end`.
    fn unindent(
        &mut self,
        b: Block,
        end: usize,
        message: &str,
        continues: impl Fn(&str) -> bool,
    ) -> usize {
        if end < b.end
            && end > b.start
            && !self.text(b, end - 1).is_empty()
            && let next = self.text(b, end)
            && !next.is_empty()
            && !continues(next)
        {
            if b.titles {
                self.node(false);
            }
            self.body_message(MessageKind::Indentation, 2, b, end, message);
        }
        end
    }

    /// docutils' "Unexpected indentation." at line `end` (an indented line right after a
    /// text block), which also ends any run of section titles there.
    fn unexpected_indentation(&mut self, b: Block, end: usize) {
        if b.titles {
            self.node(false);
        }
        self.body_message(
            MessageKind::Indentation,
            3,
            b,
            end,
            "Unexpected indentation.",
        );
    }

    /// A message about the construct on line `i` (0-based) of block `b`, reported on
    /// that line; past the last line (docutils' line after it), the finding stands on
    /// the last line and says where docutils reports it.
    fn body_message(&mut self, kind: MessageKind, level: u8, b: Block, i: usize, text: &str) {
        let last = i.min(self.lines.len().saturating_sub(1));
        self.effect(Effect::Message(Message {
            kind,
            level,
            line: i + 1,
            range: self.range(b, last, last + 1),
            text: text.to_owned(),
            elsewhere: last != i,
        }));
    }

    /// docutils' `line_block` from line `i` of block `b`: each `|` line with the indented
    /// lines continuing it is inline text (its messages on the `|` line). A block that
    /// ends at another unindented line gets docutils' warning, which docutils puts on
    /// the block's second line: the finding stands on the line that ends it, and says
    /// so. Returns the line after the block.
    fn line_block(&mut self, b: Block, i: usize) -> usize {
        let mut k = i;
        while let Some(marker) = (k < b.end)
            .then(|| patterns::marker(self.text(b, k), "|"))
            .flatten()
        {
            // docutils' `get_first_known_indented(until_blank=True)`
            let mut end = k + 1;
            let mut indent = usize::MAX;
            while let Some(t) = (end < b.end).then(|| self.text(b, end)) {
                if !t.starts_with(' ') {
                    break;
                }
                indent = indent.min(leading_space_chars(t));
                end += 1;
            }
            let line = Block {
                start: k,
                end,
                first: self.strip(b, k) + marker,
                rest: b.rest + if end > k + 1 { indent } else { 0 },
                ..b
            };
            if !self.text(line, k).is_empty() {
                self.inline_markup(line, k, end, false);
            }
            k = end;
        }
        if k < b.end && !self.text(b, k).is_empty() {
            if b.titles {
                self.node(false);
            }
            let k = k.min(self.lines.len().saturating_sub(1));
            self.effect(Effect::Message(Message {
                kind: MessageKind::Indentation,
                level: 2,
                line: i + 2,
                range: self.range(b, k, k + 1),
                text: "Line block ends without a blank line.".to_owned(),
                elsewhere: i + 1 != k,
            }));
        }
        k
    }

    /// docutils' `block_quote`: the quoted lines, split at attributions (`-- Author`
    /// after a blank line), each part parsed as nested body content.
    fn block_quote(&mut self, q: Block) {
        let mut start = q.start;
        while start < q.end {
            let (content_end, next) = self.split_attribution(q, start);
            self.nested(q.lines(start, content_end));
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

    /// An enumerated list from its first item on line `i` (its marker `m` bytes long),
    /// as docutils' `EnumeratedList` state reads it: item after item, over blank lines,
    /// while the next line is the list's next item ([`patterns::enumeration_item`]).
    fn enumerated_list(
        &mut self,
        b: Block,
        mut i: usize,
        mut m: usize,
        mut list: patterns::Enumeration,
    ) -> usize {
        loop {
            let end = self.list_item(b, i, m);
            let Some(k) = (end..b.end).find(|&k| !self.text(b, k).is_empty()) else {
                return end;
            };
            let next = self.next_text(b, k);
            let Some((item, items)) = patterns::enumeration_item(list, self.text(b, k), || next)
            else {
                return self.unindent(b, end, ends!("Enumerated list"), |_| false);
            };
            (i, m, list) = (k, item, items);
        }
    }

    fn list_item(&mut self, b: Block, i: usize, m: usize) -> usize {
        let view = self.text(b, i);
        if view[m..].is_empty() {
            return self.first_known_indented(b, i, m, false);
        }
        let indent = byte_to_char(view, m);
        let end = self.known_indented_end(b, i + 1, indent);
        self.nested(self.indented(b, i, end, indent));
        end
    }
}
