//! Reusing the parse of an earlier text of the same document (an editor's previous
//! version): a top-level construct whose lines, and the lines it looked at, are the same
//! in both texts is not parsed again; what it did to the document (nodes, messages,
//! names, references, includes: its [`Effect`]s) is replayed, shifted to where it now
//! stands. The result is the parse of the new text, exactly: `tests/rst_reuse.rs`
//! compares it with a fresh parse after random edits of real specs.
//!
//! What is replayed never decides anything from the state the document is in: a
//! title's effect is the title as found, which the section tree places again (its level
//! comes from the titles before it); transitions and docutils' short-overline quirk,
//! which the parser decides from the sections open, are always parsed again. Which lines stayed the same is found from the texts
//! themselves (their common start and end), so a caller needs no edit ranges.

use std::ops::Range;
use std::sync::Arc;

use ropey::Rope;

use super::lines::{self, Line, Span};
use super::references::{FootnoteLabel, Place, Refers};
use super::{Heading, Include, Message, MessageKind};
use crate::text::{common_prefix, common_suffix};

/// Documents with more lines than this keep nothing to reuse: what is kept grows with
/// the number of constructs (about 100 bytes each), and memory must stay bounded.
const MAX_LINES: usize = 100_000;

/// Nor do documents whose constructs do more than this (a reference is an effect, and a
/// hostile document can hold millions): about 100 bytes each.
const MAX_EFFECTS: usize = 250_000;

/// What one parse leaves for the next parse of an edited text of the same document.
#[derive(Debug, Default)]
pub struct Reuse {
    /// Its text: a rope, which shares with the text of the parse before it what the edit
    /// left as it was (an edit copies the few pieces it touched, not the whole text).
    text: Rope,
    /// Its lines, as split.
    lines: Vec<Span>,
    constructs: Vec<Construct>,
    /// How many of `constructs` were replayed from the parse before.
    replayed: usize,
    /// How many distinct section and target names the document had.
    names: usize,
}

/// One top-level construct (with the blank lines before it skipped): the lines it took,
/// the lines it read to decide, and what it did.
#[derive(Debug, Clone)]
pub(super) struct Construct {
    start: usize,
    /// The line after it.
    pub(super) next: usize,
    /// The first and last line it read (the line after `next` counts as read: the end
    /// of the document, or of a list, is decided by looking there).
    lo: usize,
    hi: usize,
    /// What it did where it was first parsed (shared by the parses that replayed it
    /// since), and how far it moved from there.
    pub(super) effects: Effects,
    pub(super) shift: Shift,
}

/// What a construct did, in order: shared by the parses that replay it.
#[derive(Debug, Clone)]
pub(super) enum Effects {
    /// One of the few lists most constructs have (nothing, or one or two visible nodes:
    /// paragraphs, list items): copied without counting owners, an atomic operation a
    /// document's thousands of constructs would each pay on every keystroke.
    Common(&'static [Effect]),
    Own(Arc<[Effect]>),
}

/// The lists of [`Effects::Common`].
static COMMON: [&[Effect]; 3] = [
    &[],
    &[Effect::Node(true)],
    &[Effect::Node(true), Effect::Node(true)],
];

impl Effects {
    /// The effects recorded in `pending`, taken from it.
    fn take(pending: &mut Vec<Effect>) -> Effects {
        let common = match pending.as_slice() {
            [] => COMMON[0],
            [Effect::Node(true)] => COMMON[1],
            [Effect::Node(true), Effect::Node(true)] => COMMON[2],
            _ => return Effects::Own(Arc::from(std::mem::take(pending))),
        };
        pending.clear();
        Effects::Common(common)
    }

    pub(super) fn as_slice(&self) -> &[Effect] {
        match self {
            Effects::Common(effects) => effects,
            Effects::Own(effects) => effects,
        }
    }
}

/// Something a construct did to the document being built, in order.
#[derive(Debug, Clone)]
pub(super) enum Effect {
    /// A node in the innermost open section; visible or not.
    Node(bool),
    Message(Message),
    /// A target name docutils checks for duplicates among section names, normalized.
    TreeName(Arc<str>),
    DocumentStartNode,
    Target {
        name: String,
        refuri: Option<String>,
        place: Place,
    },
    InlineTarget {
        name: String,
        refuri: Option<String>,
        place: Place,
    },
    AnonymousTarget(Place),
    Reference(Refers, Place),
    Substitution(String),
    Citation(String, Place),
    Footnote(FootnoteLabel, Place),
    Unparsed,
    Include(Include),
    /// A section title, handed to the section tree (boxed: the largest effect, and a
    /// rare one).
    Title(Box<Title>),
}

/// A section title as the parser found it, for the section tree to place.
#[derive(Debug, Clone)]
pub(super) struct Title {
    pub heading: Heading,
    /// Its normalized name (its section's implicit target).
    pub name: Arc<str>,
    /// Where its section's body starts.
    pub body: usize,
    /// Its text's line and its first line (the overline's, if any), 0-based.
    pub title_line: usize,
    pub first_line: usize,
    /// docutils' warning about a short adornment: its kind, text, line and range.
    pub warning: Option<(MessageKind, &'static str, usize, Range<usize>)>,
    /// What its inline markup gives (messages, references, inline targets): docutils
    /// parses it once the title makes a section (`new_subsection`).
    pub inline: Vec<Effect>,
}

impl Title {
    fn shift(&mut self, shift: Shift) {
        let h = &mut self.heading;
        shift_range(&mut h.title_range, shift.bytes);
        shift_range(&mut h.underline, shift.bytes);
        if let Some(overline) = &mut h.overline {
            shift_range(overline, shift.bytes);
        }
        h.line = moved(h.line, shift.lines);
        self.body = moved(self.body, shift.bytes);
        self.title_line = moved(self.title_line, shift.lines);
        self.first_line = moved(self.first_line, shift.lines);
        if let Some((_, _, at, range)) = &mut self.warning {
            *at = moved(*at, shift.lines);
            shift_range(range, shift.bytes);
        }
        for effect in &mut self.inline {
            effect.shift(shift);
        }
    }
}

/// `at` moved by `by`.
fn moved(at: usize, by: isize) -> usize {
    at.saturating_add_signed(by)
}

fn shift_range(range: &mut Range<usize>, bytes: isize) {
    *range = moved(range.start, bytes)..moved(range.end, bytes);
}

fn shift_place(place: &mut Place, shift: Shift) {
    place.line = moved(place.line, shift.lines);
    shift_range(&mut place.range, shift.bytes);
}

impl Effect {
    pub(super) fn shift(&mut self, shift: Shift) {
        match self {
            Effect::Message(m) => {
                m.line = moved(m.line, shift.lines);
                shift_range(&mut m.range, shift.bytes);
            }
            Effect::Include(include) => {
                include.line = moved(include.line, shift.lines);
                shift_range(&mut include.range, shift.bytes);
            }
            Effect::Target { place, .. }
            | Effect::InlineTarget { place, .. }
            | Effect::AnonymousTarget(place)
            | Effect::Reference(_, place)
            | Effect::Citation(_, place)
            | Effect::Footnote(_, place) => shift_place(place, shift),
            Effect::Title(title) => title.shift(shift),
            Effect::Node(_)
            | Effect::TreeName(_)
            | Effect::DocumentStartNode
            | Effect::Substitution(_)
            | Effect::Unparsed => {}
        }
    }
}

/// How far the lines after an edit moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shift {
    bytes: isize,
    lines: isize,
}

const UNMOVED: Shift = Shift { bytes: 0, lines: 0 };

impl Shift {
    /// A move of `by` lines down, the bytes where they were.
    pub(super) fn lines(by: usize) -> Shift {
        Shift {
            bytes: 0,
            lines: by as isize,
        }
    }

    /// This shift, then `then`.
    fn then(self, then: Shift) -> Shift {
        Shift {
            bytes: self.bytes + then.bytes,
            lines: self.lines + then.lines,
        }
    }
}

/// Which lines of the new text are lines of the earlier one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unchanged {
    /// Lines `0..prefix` are the same, at the same offsets.
    prefix: usize,
    /// Earlier lines from `suffix` on are the same, moved by `shift`.
    suffix: usize,
    shift: Shift,
    /// The length in bytes of the texts' common start and common end.
    same: (usize, usize),
}

impl Unchanged {
    /// The lines of the new text that [`Reuse::split`] split again: the others are lines
    /// of the earlier text, which has none over docutils' length limit (else its parse
    /// would have kept nothing).
    pub(super) fn split_again(&self) -> Range<usize> {
        self.prefix..self.suffix.saturating_add_signed(self.shift.lines)
    }
}

/// The earlier parse, and how the new text relates to it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Earlier<'r> {
    reuse: &'r Reuse,
    unchanged: Unchanged,
    /// The earlier constructs before this one start before the line asked for last
    /// (the parse asks in document order).
    cursor: usize,
}

impl Reuse {
    /// The number of top-level constructs kept, and how many of them the parse that
    /// kept them replayed from the parse before it.
    pub fn constructs(&self) -> (usize, usize) {
        (self.constructs.len(), self.replayed)
    }

    /// How many distinct section and target names the document had.
    pub(super) fn names(&self) -> usize {
        self.names
    }

    /// Which lines of `text` are lines of the text this was left by; `None` when
    /// nothing can be reused.
    pub(super) fn unchanged(&self, text: &str) -> Option<Unchanged> {
        if self.constructs.is_empty() {
            return None;
        }
        let (old, new) = (&self.text, text.as_bytes());
        let old_len = old.len_bytes();
        let same_start = common_start(old, new);
        let limit = old_len.min(new.len()) - same_start;
        let same_end = common_end(old, new, limit);
        // A line is the same when it and its line break lie in the common start, and the
        // byte after them is the same too (a "\r" then "\n" is one line break).
        let prefix = self.lines.partition_point(|l| l.next < same_start);
        // ... or when it and the three bytes before it (the longest line break) lie in
        // the common end: a line starts there in both texts.
        let from = (old_len - same_end).saturating_add(3);
        let suffix = self.lines.partition_point(|l| l.start < from);
        Some(Unchanged {
            prefix,
            suffix,
            shift: Shift {
                bytes: new.len() as isize - old_len as isize,
                lines: 0,
            },
            same: (same_start, same_end),
        })
    }

    /// Split `text` into lines, taking those `unchanged` says are the same from here.
    pub(super) fn split<'a>(
        &self,
        text: &'a str,
        expanded: &'a mut Vec<String>,
        unchanged: &mut Unchanged,
    ) -> Vec<Line<'a>> {
        let (before, after) = (
            &self.lines[..unchanged.prefix],
            &self.lines[unchanged.suffix..],
        );
        let bytes = unchanged.shift.bytes;
        let middle = before.last().map_or(0, |l| l.next)
            ..after
                .first()
                .map_or(text.len(), |l| l.start.saturating_add_signed(bytes));
        let lines = lines::split_keeping(text, expanded, before, middle, after, bytes);
        unchanged.shift.lines = lines.len() as isize - self.lines.len() as isize;
        lines
    }

    /// The earlier parse, for a text whose lines relate to its text as `unchanged` says.
    pub(super) fn earlier(&self, unchanged: Unchanged) -> Earlier<'_> {
        Earlier {
            reuse: self,
            unchanged,
            cursor: 0,
        }
    }
}

impl Earlier<'_> {
    /// The earlier construct that line `i` of the new text starts, if everything it read
    /// is unchanged, moved to where it now stands.
    pub(super) fn construct_at(&mut self, i: usize) -> Option<Construct> {
        let u = self.unchanged;
        let (old_i, shift) = if i < u.prefix {
            (i, UNMOVED)
        } else {
            let old_i = i.checked_add_signed(-u.shift.lines)?;
            (old_i >= u.suffix).then_some((old_i, u.shift))?
        };
        // asked in document order: the search goes on from where the last one stopped
        let constructs = &self.reuse.constructs;
        let mut k = self.cursor;
        while constructs.get(k).is_some_and(|c| c.start < old_i) {
            k += 1;
        }
        self.cursor = k;
        let c = constructs.get(k).filter(|c| c.start == old_i)?;
        let usable = if i < u.prefix {
            c.hi < u.prefix
        } else {
            c.lo >= u.suffix
        };
        usable.then(|| Construct {
            start: i,
            next: moved(c.next, shift.lines),
            lo: moved(c.lo, shift.lines),
            hi: moved(c.hi, shift.lines),
            effects: c.effects.clone(),
            shift: c.shift.then(shift),
        })
    }
}

/// What a parse records for the next one.
#[derive(Debug)]
pub(super) struct Recorder {
    constructs: Vec<Construct>,
    /// The effects of the construct being parsed.
    pending: Vec<Effect>,
    /// How many effects the constructs hold in all.
    effects: usize,
    replayed: usize,
}

impl Recorder {
    /// A recorder for a document of `lines` lines, if it is small enough to keep one;
    /// sized like what `earlier` kept, with room for an edit's new constructs.
    pub(super) fn for_lines(lines: usize, earlier: Option<&Reuse>) -> Option<Recorder> {
        let kept = earlier.map_or(0, |e| e.constructs.len());
        (lines <= MAX_LINES).then(|| Recorder {
            constructs: Vec::with_capacity(kept + kept / 16 + 16),
            pending: Vec::new(),
            effects: 0,
            replayed: 0,
        })
    }

    /// Record an effect of the construct being parsed; false when there are too many to
    /// keep (the recorder is then of no more use).
    pub(super) fn effect(&mut self, effect: Effect) -> bool {
        self.pending.push(effect);
        self.effects + self.pending.len() <= MAX_EFFECTS
    }

    /// The construct on lines `start..next` being parsed ends: it read lines `lo..=hi`.
    /// A `tainted` one is forgotten.
    pub(super) fn construct(
        &mut self,
        start: usize,
        next: usize,
        (lo, hi): (usize, usize),
        tainted: bool,
    ) {
        if tainted {
            self.pending.clear();
            return;
        }
        self.effects += self.pending.len();
        let effects = Effects::take(&mut self.pending);
        self.constructs.push(Construct {
            start,
            next,
            lo: lo.min(start),
            hi: hi.max(next + 1),
            effects,
            shift: UNMOVED,
        });
    }

    /// A construct replayed from the earlier parse.
    pub(super) fn replayed(&mut self, c: Construct) {
        self.replayed += 1;
        self.effects += c.effects.as_slice().len();
        self.constructs.push(c);
    }

    /// What the next parse of an edited `text` (split into `lines`) can reuse; `earlier`
    /// is what the parse reused, and how `text` relates to its text.
    pub(super) fn finish(
        self,
        text: &str,
        lines: &[Line],
        names: usize,
        earlier: Option<(&Reuse, Unchanged)>,
    ) -> Reuse {
        Reuse {
            names,
            text: match earlier {
                Some((e, u)) => edited(&e.text, text, u.same),
                None => Rope::from_str(text),
            },
            lines: lines.iter().map(|l| Span::of(text, l)).collect(),
            constructs: self.constructs,
            replayed: self.replayed,
        }
    }
}

/// Length of the common start of `rope` and `text`.
fn common_start(rope: &Rope, text: &[u8]) -> usize {
    let mut same = 0;
    for chunk in rope.chunks().map(str::as_bytes) {
        // (a whole piece at once, as most are the same)
        if text[same..].starts_with(chunk) {
            same += chunk.len();
            continue;
        }
        let n = common_prefix(chunk, &text[same..]);
        same += n;
        if n < chunk.len() {
            break;
        }
    }
    same
}

/// Length of the common end of `rope` and `text`, at most `limit` (at most the
/// shorter's length).
fn common_end(rope: &Rope, text: &[u8], limit: usize) -> usize {
    let mut same = 0;
    let (chunks, ..) = rope.chunks_at_byte(rope.len_bytes());
    for chunk in chunks.reversed().map(str::as_bytes) {
        let (left, rest) = (limit - same, &text[..text.len() - same]);
        if chunk.len() <= left && rest.ends_with(chunk) {
            same += chunk.len();
            continue;
        }
        let n = common_suffix(chunk, rest, left.min(chunk.len()));
        same += n;
        if n < chunk.len() {
            break;
        }
    }
    same
}

/// `text` as a rope: `rope`, an earlier text with which it has a common start and end
/// of `same` bytes, with what lies between replaced (the pieces of `rope` the edit left
/// as they were are shared, not copied).
fn edited(rope: &Rope, text: &str, (same_start, same_end): (usize, usize)) -> Rope {
    // the replaced bytes, widened to whole characters (a character boundary of `text`
    // within or at the edge of the common start or end is one of `rope`'s too)
    let mut start = same_start;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = text.len() - same_end;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let old_end = rope.len_bytes() - (text.len() - end);
    let mut rope = rope.clone();
    let from = rope.byte_to_char(start);
    rope.remove(from..rope.byte_to_char(old_end));
    rope.insert(from, &text[start..end]);
    rope
}

/// `place`, moved by `shift`.
pub(super) fn shifted_place(place: &Place, shift: Shift) -> Place {
    let mut place = place.clone();
    shift_place(&mut place, shift);
    place
}

/// `title`, moved by `shift` (copied out of its box: the section tree keeps it).
pub(super) fn shifted_title(title: &Title, shift: Shift) -> Title {
    let mut title = title.clone();
    if shift != UNMOVED {
        title.shift(shift);
    }
    title
}

/// `effect`, moved by `shift`.
pub(super) fn shifted(effect: &Effect, shift: Shift) -> Effect {
    let mut effect = effect.clone();
    if shift != UNMOVED {
        effect.shift(shift);
    }
    effect
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A rope's common start and end with a text are a string's, and the rope of an
        /// edited text is that text (texts of many of the rope's pieces, edits that
        /// split a character's bytes from the common start or end).
        #[test]
        fn an_edited_rope_is_the_edited_text(
            unit in "[ab\n\u{e9}\u{2028}]{1,40}",
            times in 1usize..200,
            at in any::<prop::sample::Index>(),
            removed in 0usize..300,
            inserted in "[ab\n\u{e8}\u{e9}\u{2029}]{0,20}",
        ) {
            let old = unit.repeat(times);
            let start = (0..=old.len()).filter(|&i| old.is_char_boundary(i)).collect::<Vec<_>>();
            let from = start[at.index(start.len())];
            let to = (from + removed..=old.len()).find(|&i| old.is_char_boundary(i)).unwrap_or(old.len());
            let new = format!("{}{inserted}{}", &old[..from], &old[to..]);
            let rope = Rope::from_str(&old);
            let same_start = common_prefix(old.as_bytes(), new.as_bytes());
            prop_assert_eq!(common_start(&rope, new.as_bytes()), same_start);
            let limit = old.len().min(new.len()) - same_start;
            let same_end = common_suffix(old.as_bytes(), new.as_bytes(), limit);
            prop_assert_eq!(common_end(&rope, new.as_bytes(), limit), same_end);
            let edited = edited(&rope, &new, (same_start, same_end));
            prop_assert_eq!(edited.to_string(), new);
        }
    }
}
