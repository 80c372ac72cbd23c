//! Names and references across the document, as docutils' `document.note_*` methods and
//! its `transforms/references.py` (with Sphinx's citation and footnote transforms) see
//! them: every explicit and implicit target name, hyperlink, footnote, citation and
//! substitution reference, and anonymous targets, collected while parsing, then
//! resolved once at the end. Messages: "Duplicate explicit target name", "Unknown
//! target name", "Anonymous hyperlink mismatch", "Undefined substitution referenced",
//! Sphinx's "citation not found" and "Footnote [x] is not referenced", and the parser's
//! "malformed hyperlink target".
//!
//! Linear: one hash map of names, one pass over the references.

use foldhash::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use super::{Heading, Message, MessageKind, Outline, Section};

/// Whether `name` is printable ASCII words one space apart (the common case), which
/// normalizes by lowering its letters alone (one pass).
///
/// Eight bytes at a time (the last eight read again, overlapping the word before): a
/// byte at a time, it was half of a title's normalization.
fn is_simple(name: &str) -> bool {
    let b = name.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    let Some(tail) = b.len().checked_sub(8) else {
        let mut after_space = false;
        return b.iter().all(|&c| {
            let ok = c.is_ascii_graphic() || (c == b' ' && !after_space);
            after_space = c == b' ';
            ok
        });
    };
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().expect("8 bytes"));
    // (the space after the word before: two spaces across the words' boundary)
    let mut space_before = 0;
    for w in b.chunks_exact(8) {
        match printable_spaces(word(w)) {
            Some(spaces) if spaces & (spaces << 8 | space_before) == 0 => {
                space_before = spaces >> 63 << 7;
            }
            _ => return false,
        }
    }
    printable_spaces(word(&b[tail..])).is_some_and(|spaces| spaces & (spaces << 8) == 0)
}

/// The spaces of the eight bytes of `w` (byte `k` the `k`-th), as the high bit of each
/// byte, if they are all printable ASCII or spaces.
fn printable_spaces(w: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // (with every high bit clear, adding to a byte up to 0x7f carries into no other)
    let ascii = w & HIGH == 0;
    let below_del = w.wrapping_add(ONES) & HIGH == 0;
    let from_space = w.wrapping_add(0x60 * ONES) & HIGH == HIGH;
    // a space is the byte that XOR 0x20 makes 0, which adding 0x7f leaves below 0x80
    let spaces = !(w ^ (0x20 * ONES)).wrapping_add(0x7f * ONES) & HIGH;
    (ascii && below_del && from_space).then_some(spaces)
}

/// `text.make_ascii_lowercase()`, eight bytes at a time (see [`lower_words`]).
fn lower_ascii(text: &mut str) {
    lower_words(text, false);
}

/// [`lower_ascii`] of `text` if it [`is_simple`]: whether it is. One pass does both (a
/// pass each cost 0.1 M instructions more over the corpus's titles); when it is not
/// simple, `text` is left lowered in part.
fn lower_if_simple(text: &mut str) -> bool {
    if text.len() < 8 {
        let simple = is_simple(text);
        if simple {
            text.make_ascii_lowercase();
        }
        return simple;
    }
    let b = text.as_bytes();
    if b[0] == b' ' || b[b.len() - 1] == b' ' {
        return false;
    }
    lower_words(text, true)
}

/// Lower the ASCII capital letters of `text` eight bytes at a time (the last eight
/// lowered again, overlapping the word before: lowering twice changes nothing; a byte
/// at a time, it was a third of a title's normalization). When `simple_only`, stops at
/// the first eight bytes [`is_simple`] would stop at (the rest of its checks the
/// caller's): whether it went through.
#[inline(always)]
fn lower_words(text: &mut str, simple_only: bool) -> bool {
    // SAFETY: only the bytes of ASCII capital letters change, each to the small letter's
    // byte: the text stays UTF-8.
    let b = unsafe { text.as_bytes_mut() };
    let Some(tail) = b.len().checked_sub(8) else {
        b.make_ascii_lowercase();
        return true;
    };
    // (as in `is_simple`: the space after the word before)
    let mut space_before = 0;
    let mut lower = |w: &mut [u8], last: bool| {
        let word = u64::from_le_bytes((&*w).try_into().expect("8 bytes"));
        if simple_only {
            match printable_spaces(word) {
                Some(spaces) if last && spaces & (spaces << 8) == 0 => {}
                Some(spaces) if !last && spaces & (spaces << 8 | space_before) == 0 => {
                    space_before = spaces >> 63 << 7;
                }
                _ => return false,
            }
        }
        w.copy_from_slice(&lower_word(word).to_le_bytes());
        true
    };
    b.chunks_exact_mut(8).all(|w| lower(w, false)) && lower(&mut b[tail..], true)
}

/// The eight bytes of `w` with each ASCII capital letter made small.
fn lower_word(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // (each byte's low seven bits: adding up to 0x3f to them carries into no other byte)
    let low = w & !HIGH;
    // 0x41..=0x5a: adding 0x3f reaches 0x80, adding 0x25 does not; and below 0x80
    let capitals = low.wrapping_add(0x3f * ONES) & !low.wrapping_add(0x25 * ONES) & !w & HIGH;
    // each capital's 0x80 bit made its 0x20 bit
    w | capitals >> 2
}

/// [`normalize_name`], shared (a parse replaying it from an earlier one clones it).
pub fn normalize_name_shared(name: &str) -> Arc<str> {
    let mut shared = Arc::<str>::from(name);
    // (always mutable: nothing else holds it yet)
    if Arc::get_mut(&mut shared).is_some_and(lower_if_simple) {
        return shared;
    }
    normalize_name(name).into()
}

/// docutils' `normalize_name`: whitespace collapsed, lower case.
pub fn normalize_name(name: &str) -> String {
    if is_simple(name) {
        let mut lowered = name.to_owned();
        lower_ascii(&mut lowered);
        return lowered;
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.push_str(word);
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    // ASCII words were copied as they are (the common case, without a per-character
    // case mapping); lowering ASCII letters leaves the rest, already lowered, alone
    lower_ascii(&mut out);
    out
}

/// Substitutions Sphinx defines in every document.
const SPHINX_SUBSTITUTIONS: [&str; 4] = ["version", "release", "today", "translation progress"];

/// Where something was written: docutils' line for it and its byte range.
#[derive(Debug, Clone)]
pub struct Place {
    pub line: usize,
    pub range: Range<usize>,
}

/// What a reference refers to.
#[derive(Debug, Clone)]
pub enum Refers {
    Name(String),
    Anonymous,
    /// `[1]_`: a footnote's label (a name).
    Footnote(String),
    /// `[#]_`, or `[#label]_` with its normalized label.
    AutoFootnote(Option<String>),
    SymbolFootnote,
    Citation(String),
    Substitution(String),
}

/// A footnote's label as written.
#[derive(Debug, Clone)]
pub enum FootnoteLabel {
    /// `[1]`: a name.
    Named(String),
    /// `[#name]`: a name, and numbered when the document is resolved.
    AutoNamed(String),
    /// `[#]`: numbered when the document is resolved.
    Auto,
    /// `[*]`.
    Symbol,
}

/// One explicit target as docutils registers it, in document order.
#[derive(Debug, Clone)]
struct Explicit {
    name: String,
    refuri: Option<String>,
    /// Reported on the line of the top-level state machine (inline targets): the
    /// target node has no line of its own when docutils registers it.
    inline: bool,
    place: Place,
}

/// Everything the document names and refers to, collected while parsing.
#[derive(Debug, Default)]
pub struct Collector {
    explicit: Vec<Explicit>,
    references: Vec<(Refers, Place)>,
    anonymous_targets: Vec<Place>,
    substitutions: HashSet<String>,
    citations: HashSet<String>,
    footnotes: Vec<(FootnoteLabel, Place)>,
    /// Content the docs build parses and this parser does not (a Sphinx directive's
    /// body): what it defines and refers to is unknown, so nothing is reported as
    /// missing or unreferenced.
    unparsed: bool,
}

impl Collector {
    /// An explicit target: `.. _name:`, a citation, a directive's `:name:`.
    pub fn target(&mut self, name: &str, refuri: Option<String>, place: Place) {
        self.explicit.push(Explicit {
            name: normalize_name(name),
            refuri,
            inline: false,
            place,
        });
    }

    /// An inline target (`` _`name` ``, `` `text <uri>`_ ``); `name` is normalized.
    pub fn inline_target(&mut self, name: String, refuri: Option<String>, place: Place) {
        self.explicit.push(Explicit {
            name,
            refuri,
            inline: true,
            place,
        });
    }

    pub fn anonymous_target(&mut self, place: Place) {
        self.anonymous_targets.push(place);
    }

    pub fn reference(&mut self, refers: Refers, place: Place) {
        self.references.push((refers, place));
    }

    pub fn substitution(&mut self, name: &str) {
        self.substitutions
            .insert(name.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    pub fn citation(&mut self, label: &str, place: Place) {
        self.citations.insert(label.to_owned());
        self.target(label, None, place);
    }

    pub fn footnote(&mut self, label: FootnoteLabel, place: Place) {
        if let FootnoteLabel::Named(name) | FootnoteLabel::AutoNamed(name) = &label {
            self.target(name, None, place.clone());
        }
        self.footnotes.push((label, place));
    }

    /// Content the docs build parses and this parser does not.
    pub fn unparsed(&mut self) {
        self.unparsed = true;
    }

    /// Resolve every reference of the parsed document: its messages.
    pub fn resolve(self, outline: &Outline) -> Vec<Message> {
        let mut messages = Vec::new();
        // name -> the explicit target it resolves to still has a unique name, and its URI.
        let mut names: HashMap<String, Option<Option<String>>> = HashMap::default();
        for t in &self.explicit {
            match names.get_mut(&t.name) {
                None => {
                    names.insert(t.name.clone(), Some(t.refuri.clone()));
                }
                Some(old) => {
                    // docutils' `set_duplicate_name_id`: the same URI again is only
                    // information.
                    let same_uri =
                        t.refuri.is_some() && old.as_ref().is_some_and(|uri| *uri == t.refuri);
                    if !same_uri {
                        *old = None;
                        // For an inline target docutils reports the line its top-level
                        // state machine is on (the enclosing section's title): say so,
                        // and point at the duplicate itself.
                        let reported = match top_level_line(outline, t.place.range.start) {
                            Some(line) if t.inline && line != t.place.line => {
                                format!(" (docutils reports it on line {line})")
                            }
                            _ => String::new(),
                        };
                        messages.push(message(
                            2,
                            t.place.line,
                            t.place.range.clone(),
                            format!("Duplicate explicit target name: \"{}\".{reported}", t.name),
                        ));
                    }
                }
            }
        }
        let mut known = Known {
            names,
            sections: None,
            outline,
        };
        // docutils numbers auto-numbered footnotes (`[#]` and `[#name]`) with the first
        // numbers no name takes; a `[#]` footnote takes its number as its name.
        let mut auto_numbered = 0;
        let mut auto_named = HashSet::default();
        let mut symbols = 0;
        let mut next = 1;
        for (label, _) in &self.footnotes {
            match label {
                FootnoteLabel::Named(_) => continue,
                FootnoteLabel::Symbol => {
                    symbols += 1;
                    continue;
                }
                FootnoteLabel::AutoNamed(name) => {
                    auto_named.insert(normalize_name(name));
                }
                FootnoteLabel::Auto => {}
            }
            while known.contains(&next.to_string()) {
                next += 1;
            }
            if matches!(label, FootnoteLabel::Auto) {
                known.names.insert(next.to_string(), Some(None));
                auto_numbered += 1;
            }
            next += 1;
        }
        if self.unparsed {
            return messages;
        }
        let lowered: HashSet<String> = self
            .substitutions
            .iter()
            .map(|d| d.to_lowercase())
            .collect();
        // the names footnote references give (docutils' `footnote_refs`)
        let mut referenced: HashSet<&str> = HashSet::default();
        let mut auto_references = 0;
        let mut anonymous = Vec::new();
        let mut symbol_references = 0;
        let mut autos_run_out = false;
        let too_many = |what: &str, available: usize, place: &Place| {
            message(
                3,
                place.line,
                place.range.clone(),
                format!(
                    "Too many {what} footnote references: only {available} corresponding footnotes available.{}",
                    reported_below_title(outline, place)
                ),
            )
        };
        for (refers, place) in &self.references {
            let name = match refers {
                Refers::Name(name) => name,
                Refers::Footnote(name) => {
                    referenced.insert(name);
                    name
                }
                // docutils' `number_footnote_references`: `[#name]_` of a `[#name]`
                // footnote is that footnote's (unless another target has the name too);
                // any other takes the next `[#]` footnote's number, and past the last it
                // is an error (once), after which a `[#name]_` is resolved by its name.
                Refers::AutoFootnote(Some(name))
                    if auto_named.contains(name)
                        && matches!(known.names.get(name), Some(Some(_))) =>
                {
                    referenced.insert(name);
                    name
                }
                Refers::AutoFootnote(label) => {
                    if auto_references < auto_numbered {
                        auto_references += 1;
                        continue;
                    }
                    if !autos_run_out {
                        autos_run_out = true;
                        messages.push(too_many("autonumbered", auto_numbered, place));
                    }
                    let Some(name) = label else {
                        continue;
                    };
                    referenced.insert(name);
                    name
                }
                // `symbolize_footnotes`: the n-th `[*]_` is the n-th `[*]` footnote's
                Refers::SymbolFootnote => {
                    symbol_references += 1;
                    if symbol_references == symbols + 1 {
                        messages.push(too_many("symbol", symbols, place));
                    }
                    continue;
                }
                Refers::Anonymous => {
                    anonymous.push(place);
                    continue;
                }
                Refers::Citation(label) => {
                    if !self.citations.contains(label) {
                        messages.push(message(
                            2,
                            place.line,
                            place.range.clone(),
                            format!(
                                "citation not found: {label}{}",
                                reported_below_title(outline, place)
                            ),
                        ));
                    }
                    continue;
                }
                Refers::Substitution(name) => {
                    let defined = self.substitutions.contains(name)
                        || SPHINX_SUBSTITUTIONS.contains(&name.as_str())
                        || lowered.contains(&name.to_lowercase());
                    if !defined {
                        messages.push(message(
                            3,
                            place.line,
                            place.range.clone(),
                            format!(
                                "Undefined substitution referenced: \"{name}\".{}",
                                reported_below_title(outline, place)
                            ),
                        ));
                    }
                    continue;
                }
            };
            let text = match known.target(name) {
                Target::Unique => continue,
                Target::Duplicate => format!(
                    "Duplicate target name, cannot be used as a unique reference: \"{name}\"."
                ),
                Target::Unknown => format!("Unknown target name: \"{name}\"."),
            };
            let text = format!("{text}{}", reported_below_title(outline, place));
            messages.push(message(3, place.line, place.range.clone(), text));
        }
        if anonymous.len() != self.anonymous_targets.len() {
            let at = anonymous
                .first()
                .copied()
                .or(self.anonymous_targets.first());
            if let Some(place) = at {
                messages.push(message(
                    3,
                    place.line,
                    place.range.clone(),
                    format!(
                        "Anonymous hyperlink mismatch: {} references but {} targets.",
                        anonymous.len(),
                        self.anonymous_targets.len()
                    ),
                ));
            }
        }
        // Sphinx's `UnreferencedFootnotesDetector`: each footnote no footnote reference
        // reached, named by its label as written (`[#]` and `[*]` for the numbered and
        // symbol ones), but one whose name another target has too (docutils reports that).
        let unique = |name: &str| matches!(known.names.get(name), Some(Some(_)));
        let (mut autos, mut symbols_seen) = (0, 0);
        for (label, place) in &self.footnotes {
            let label = match label {
                FootnoteLabel::Named(name) | FootnoteLabel::AutoNamed(name) => {
                    let name = normalize_name(name);
                    if referenced.contains(name.as_str()) || !unique(&name) {
                        continue;
                    }
                    match label {
                        FootnoteLabel::AutoNamed(_) => "#".to_owned(),
                        _ => name,
                    }
                }
                FootnoteLabel::Auto => {
                    autos += 1;
                    if autos <= auto_references {
                        continue;
                    }
                    "#".to_owned()
                }
                FootnoteLabel::Symbol => {
                    symbols_seen += 1;
                    if symbols_seen <= symbol_references {
                        continue;
                    }
                    "*".to_owned()
                }
            };
            messages.push(message(
                2,
                place.line,
                place.range.clone(),
                format!("Footnote [{label}] is not referenced."),
            ));
        }
        messages
    }
}

fn message(level: u8, line: usize, range: Range<usize>, text: String) -> Message {
    Message {
        kind: MessageKind::Reference,
        level,
        line,
        range,
        text,
        elsewhere: false,
    }
}

/// The line docutils' top-level state machine is on while the text at `offset` is
/// parsed: the underline of the top-level section holding it (docutils parses a
/// section's body with a nested state machine). `None` outside any section.
fn top_level_line(outline: &Outline, offset: usize) -> Option<usize> {
    if let Some(title) = &outline.title {
        if title.range().start <= offset {
            return Some(title.line);
        }
    }
    outline
        .sections
        .iter()
        .rev()
        .find(|s| s.range.start <= offset)
        .map(|s| s.heading.line)
}

/// " (docutils reports it on line N)" for a reference in a section title: docutils
/// reports it on the line of the title's last adornment (the title node's line), the
/// finding stands on the reference.
fn reported_below_title(outline: &Outline, place: &Place) -> String {
    fn within(sections: &[Section], at: usize) -> Option<&Heading> {
        let s = sections.iter().rev().find(|s| s.range.start <= at)?;
        match s.heading.title_range.contains(&at) {
            true => Some(&s.heading),
            false => within(&s.sections, at),
        }
    }
    let at = place.range.start;
    let heading = (outline.title.iter().chain(&outline.subtitle))
        .find(|h| h.title_range.contains(&at))
        .or_else(|| within(&outline.sections, at));
    match heading {
        Some(h) => format!(" (docutils reports it on line {})", h.line),
        None => String::new(),
    }
}

/// The names a reference may resolve to: explicit targets and numbered footnotes, then
/// section titles, which are collected only when a name is not among the first (most
/// documents refer to few names, and some have thousands of sections).
struct Known<'o> {
    /// Explicit names -> `None` where docutils lost track of the name (two targets of
    /// it with different links), else the target's URI.
    names: HashMap<String, Option<Option<String>>>,
    /// Section names -> whether two sections have it.
    sections: Option<HashMap<String, bool>>,
    outline: &'o Outline,
}

/// What a reference's name is to docutils (its `nameids`).
enum Target {
    Unique,
    /// Two targets have it: docutils keeps neither for references
    /// (`set_duplicate_name_id`).
    Duplicate,
    Unknown,
}

impl Known<'_> {
    fn contains(&mut self, name: &str) -> bool {
        !matches!(self.target(name), Target::Unknown)
    }

    /// An explicit target takes the name from sections of that title.
    fn target(&mut self, name: &str) -> Target {
        let duplicate = match self.names.get(name) {
            Some(target) => target.is_none(),
            None => match self
                .sections
                .get_or_insert_with(|| section_names(self.outline))
                .get(name)
            {
                Some(&twice) => twice,
                None => return Target::Unknown,
            },
        };
        match duplicate {
            true => Target::Duplicate,
            false => Target::Unique,
        }
    }
}

/// The implicit targets of section titles (the title as written and without its
/// inline markup characters: docutils names a section by its title's text), each with
/// whether two sections have it.
fn section_names(outline: &Outline) -> HashMap<String, bool> {
    fn add(title: &str, names: &mut HashMap<String, bool>) {
        let written = normalize_name(title);
        let plain = (title.contains(['`', '*', '|', '\\']) || title.ends_with('_')).then(|| {
            let plain: String = title
                .chars()
                .filter(|c| !matches!(c, '`' | '*' | '|' | '\\'))
                .collect();
            normalize_name(plain.trim_end_matches('_'))
        });
        let plain = plain.filter(|plain| *plain != written);
        for name in std::iter::once(written).chain(plain) {
            names
                .entry(name)
                .and_modify(|twice| *twice = true)
                .or_insert(false);
        }
    }
    fn walk(sections: &[Section], names: &mut HashMap<String, bool>) {
        for s in sections {
            add(&s.heading.title, names);
            walk(&s.sections, names);
        }
    }
    let mut names = HashMap::default();
    for h in outline.title.iter().chain(&outline.subtitle) {
        add(&h.title, &mut names);
    }
    walk(&outline.sections, &mut names);
    names
}

#[cfg(test)]
mod tests {
    use super::{is_simple, lower_ascii, lower_if_simple, normalize_name, normalize_name_shared};
    use crate::rst::parse;

    fn messages(text: &str) -> Vec<(usize, String)> {
        parse(text)
            .messages
            .into_iter()
            .filter(|m| m.kind == super::MessageKind::Reference)
            .map(|m| (m.line, m.text))
            .collect()
    }

    #[test]
    fn resolved_references_are_silent() {
        let text = "Title\n=====\n\nSee name_, `Other Name`_, title_, [1]_, [#a]_, [#]_, [C]_,\n|s|, |version| and `x <http://x>`_ then x_ and anon__.\n\n.. _name: http://a\n.. _other   name:\n.. [1] one\n.. [#a] a\n.. [#] auto\n.. [C] citation\n.. |s| replace:: s\n.. __: http://anon\n";
        assert_eq!(messages(text), vec![]);
    }

    #[test]
    fn unresolved_references_are_reported() {
        let text = "Para with missing_, [2]_, [CIT]_, |nope| and anon__.\n\n.. _dup: http://a\n.. _dup: http://b\n.. [3] never referenced\n.. _malformed http://x\n";
        assert_eq!(
            messages(text),
            vec![
                (6, "malformed hyperlink target.".to_owned()),
                (4, "Duplicate explicit target name: \"dup\".".to_owned()),
                (1, "Unknown target name: \"missing\".".to_owned()),
                (1, "Unknown target name: \"2\".".to_owned()),
                (1, "citation not found: CIT".to_owned()),
                (1, "Undefined substitution referenced: \"nope\".".to_owned()),
                (
                    1,
                    "Anonymous hyperlink mismatch: 1 references but 0 targets.".to_owned()
                ),
                (5, "Footnote [3] is not referenced.".to_owned()),
            ]
        );
    }

    /// A reference to a name two targets have, or two sections (an explicit target
    /// takes the name from them): docutils 0.21.2's messages for this text.
    #[test]
    fn a_name_two_targets_have_is_no_unique_reference() {
        let text = "Doc\n===\n\nA\n-\n\nSee `B`_ and C_.\n\nB\n-\n\nx\n\nB\n-\n\ny\n\nC\n-\n\n.. _C: http://x\n\nC\n-\n\nz [1]_\n\n.. [1] one\n.. [1] two\n";
        let duplicate = |name: &str| {
            format!("Duplicate target name, cannot be used as a unique reference: \"{name}\".")
        };
        assert_eq!(
            messages(text),
            vec![
                (30, "Duplicate explicit target name: \"1\".".to_owned()),
                (7, duplicate("b")),
                (27, duplicate("1")),
            ]
        );
    }

    #[test]
    fn same_uri_twice_is_not_a_duplicate() {
        let text = "`a <http://x>`_ and `a <http://x>`_.\n";
        assert_eq!(messages(text), vec![]);
    }

    #[test]
    fn letters_are_lowered_at_any_length_eight_bytes_at_a_time() {
        // every byte at each position of texts of each length (a character beyond
        // ASCII keeps its bytes)
        for len in 1..27 {
            for at in 0..len {
                for c in (0..=0x7f_u8)
                    .map(char::from)
                    .chain(['\u{e9}', '\u{c9}', '\u{1e9e}'])
                {
                    let text = format!(
                        "{}{c}{}",
                        "aZ".repeat(at).get(..at).unwrap_or(""),
                        "Q".repeat(len - at - 1)
                    );
                    let mut lowered = text.clone();
                    lower_ascii(&mut lowered);
                    assert_eq!(lowered, text.to_ascii_lowercase(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn simple_names_are_found_at_any_length_eight_bytes_at_a_time() {
        let byte_at_a_time = |name: &str| {
            let mut after_space = true;
            name.bytes().all(|c| {
                let ok = c.is_ascii_graphic() || (c == b' ' && !after_space);
                after_space = c == b' ';
                ok
            }) && !after_space
        };
        // each byte that matters at each position, and two spaces at each position
        for len in 0..27 {
            for at in 0..len {
                for c in [" ", "\t", "\u{7f}", "\u{1f}", "!", "~", "\u{e9}", "\u{ff}"] {
                    let name = format!("{}{c}{}", "a".repeat(at), "b".repeat(len - at - 1));
                    assert_eq!(is_simple(&name), byte_at_a_time(&name), "{name:?}");
                    assert_eq!(lower_if_simple(&mut name.clone()), is_simple(&name));
                    let name = format!("{}  {}", "a".repeat(at), "b".repeat(len - at - 1));
                    assert_eq!(is_simple(&name), byte_at_a_time(&name), "{name:?}");
                    assert_eq!(lower_if_simple(&mut name.clone()), is_simple(&name));
                }
            }
        }
    }

    #[test]
    fn names_are_lowered_and_whitespace_collapsed() {
        assert_eq!(normalize_name("  Proposed   Change "), "proposed change");
        assert_eq!(normalize_name("Ünïcode TITLE\u{a0}Σ"), "ünïcode title σ");
        assert_eq!(normalize_name("MiXeD Ärger"), "mixed ärger");
    }

    #[test]
    fn whitespace_collapsed_and_lowered() {
        for (name, want) in [
            ("Foo Bar", "foo bar"),
            ("", ""),
            (" ", ""),
            ("a ", "a"),
            (" a", "a"),
            ("A  b\tC\n", "a b c"),
            ("Ärger X", "ärger x"),
            ("x_y-Z", "x_y-z"),
            (
                "A Title Longer Than Sixty-Four Bytes, Which Is Lowered The Slow Way",
                "a title longer than sixty-four bytes, which is lowered the slow way",
            ),
            ("  Proposed   Change ", "proposed change"),
        ] {
            assert_eq!(normalize_name(name), want, "{name:?}");
            assert_eq!(&*normalize_name_shared(name), want, "{name:?}");
        }
    }
}
