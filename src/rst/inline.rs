//! docutils' inline markup recognition (`Inliner.parse` of
//! `docutils.parsers.rst.states`), reduced to what yields messages: which start-strings
//! (`*`, `**`, ``` `` ```, `` _` ``, `|`, `` ` ``) docutils takes as such and whether it
//! finds their end-string, with its start-string and end-string conditions exactly
//! (the characters allowed around them, backslash escapes, quoted start-strings, text
//! resuming after each construct as if at the start of the text).
//!
//! It also yields the role names of interpreted text, which the docs build must know.
//!
//! Linear in the text: docutils searches for each end-string afresh (quadratic on
//! `* * * * ...`); here each kind's search for its next valid end-string only moves
//! forward (`NextValid`).

use super::punctuation::{CLOSERS, CLOSING_DELIMITERS, DELIMITERS, OPENERS, QUOTE_PAIRS};

/// What docutils reports about a start-string it finds no end-string for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclosed {
    Emphasis,
    Strong,
    Literal,
    Target,
    SubstitutionReference,
    Interpreted,
}

impl Unclosed {
    /// docutils' message.
    pub fn message(self) -> &'static str {
        match self {
            Unclosed::Emphasis => "Inline emphasis start-string without end-string.",
            Unclosed::Strong => "Inline strong start-string without end-string.",
            Unclosed::Literal => "Inline literal start-string without end-string.",
            Unclosed::Target => "Inline target start-string without end-string.",
            Unclosed::SubstitutionReference => {
                "Inline substitution_reference start-string without end-string."
            }
            Unclosed::Interpreted => {
                "Inline interpreted text or phrase reference start-string without end-string."
            }
        }
    }
}

/// One start-string without an end-string: its kind and char range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: Unclosed,
    /// Char offsets (not bytes) of the start-string in the scanned text.
    pub start: usize,
    pub end: usize,
}

const ESCAPE: char = '\0';

fn is_delimiter(c: char) -> bool {
    super::width::in_table(&DELIMITERS, c)
}

/// May stand before a start-string (`start_string_prefix`): whitespace, an opener
/// other than `\\`, a delimiter.
const BEFORE_START: u8 = 1;
/// May stand after an end-string (`end_string_suffix`): whitespace, an escape, a
/// closing delimiter, a delimiter, a closer.
const AFTER_END: u8 = 2;
/// Python's `\s`.
const SPACE: u8 = 4;
/// Python's `\w` without `_`.
const WORD: u8 = 8;
/// Opens a pair [`matching`] knows (an opener, or the first of a quote pair).
const OPENER: u8 = 16;

/// The classes of each ASCII character, computed at compile time from the same tables.
const ASCII_CLASSES: [u8; 128] = {
    const fn among(set: &[char], c: u32) -> bool {
        let mut i = 0;
        while i < set.len() {
            if set[i] as u32 == c {
                return true;
            }
            i += 1;
        }
        false
    }
    const fn delimiter(c: u32) -> bool {
        let mut i = 0;
        while i < DELIMITERS.len() {
            if DELIMITERS[i].0 as u32 <= c && c <= DELIMITERS[i].1 as u32 {
                return true;
            }
            i += 1;
        }
        false
    }
    let mut out = [0u8; 128];
    let mut c = 0u32;
    while c < 128 {
        let space = matches!(c, 0x09..=0x0d | 0x1c..=0x20);
        let word = (c as u8).is_ascii_alphanumeric();
        let opener = among(&OPENERS, c) && c != '\\' as u32;
        let mut class = 0;
        if space || opener || delimiter(c) {
            class |= BEFORE_START;
        }
        if space
            || c == ESCAPE as u32
            || among(&CLOSING_DELIMITERS, c)
            || delimiter(c)
            || among(&CLOSERS, c)
        {
            class |= AFTER_END;
        }
        if space {
            class |= SPACE;
        }
        if word {
            class |= WORD;
        }
        let mut q = 0;
        while q < QUOTE_PAIRS.len() {
            if QUOTE_PAIRS[q].0 as u32 == c {
                class |= OPENER;
            }
            q += 1;
        }
        if among(&OPENERS, c) {
            class |= OPENER;
        }
        out[c as usize] = class;
        c += 1;
    }
    out
};

/// The classes of `c`: a table lookup for ASCII (inlined), the tables' searches
/// otherwise.
#[inline]
fn class(c: char) -> u8 {
    match ASCII_CLASSES.get(c as usize) {
        Some(&class) => class,
        None => class_beyond_ascii(c),
    }
}

/// [`class`] of a character beyond ASCII.
#[cold]
fn class_beyond_ascii(c: char) -> u8 {
    let space = c.is_whitespace();
    let delimiter = is_delimiter(c);
    let mut class = 0;
    if space || OPENERS.contains(&c) || delimiter {
        class |= BEFORE_START;
    }
    if space || CLOSING_DELIMITERS.contains(&c) || delimiter || CLOSERS.contains(&c) {
        class |= AFTER_END;
    }
    if space {
        class |= SPACE;
    }
    if c.is_alphanumeric() {
        class |= WORD;
    }
    class
}

/// Python's `\s` (Unicode whitespace).
fn is_space(c: char) -> bool {
    class(c) & SPACE != 0
}

/// Python's `\w` without `_`.
fn is_word(c: char) -> bool {
    class(c) & WORD != 0
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '_' | '+' | ':')
}

/// docutils' `match_chars`: `open` and `close` are a matching pair.
fn matching(open: char, close: char) -> bool {
    // (the usual case, a space or a letter before the start-string, from the table)
    if ASCII_CLASSES
        .get(open as usize)
        .is_some_and(|&c| c & OPENER == 0)
    {
        return false;
    }
    let Some(i) = OPENERS.iter().position(|&o| o == open) else {
        return false;
    };
    CLOSERS[i] == close
        || QUOTE_PAIRS
            .iter()
            .any(|&(o, cs)| o == open && cs.contains(close))
}

/// One unit of the scanned text: a byte of an ASCII text (the usual case: no decoding,
/// a quarter of the memory), or a char.
trait Unit: Copy {
    fn ch(self) -> char;

    /// The first position of `units` holding `*`, `` ` `` or `|`, or `units.len()`.
    fn marks(units: &[Self]) -> usize;

    /// The first position of `units` holding `_`, or `units.len()`.
    fn underscore(units: &[Self]) -> usize;

    /// The first position of `units` holding the ASCII character `needle`.
    fn find(units: &[Self], needle: u8) -> Option<usize>;

    /// The last position of `units` holding the ASCII character `a` or `b`.
    fn rfind2(units: &[Self], a: u8, b: u8) -> Option<usize>;

    /// `units` as a string, if they are bytes without an escape (copied as they are).
    fn unescaped(units: &[Self]) -> Option<&str>;
}

impl Unit for u8 {
    fn ch(self) -> char {
        self as char
    }

    fn marks(units: &[u8]) -> usize {
        memchr::memchr3(b'*', b'`', b'|', units).unwrap_or(units.len())
    }

    fn underscore(units: &[u8]) -> usize {
        memchr::memchr(b'_', units).unwrap_or(units.len())
    }

    fn find(units: &[u8], needle: u8) -> Option<usize> {
        memchr::memchr(needle, units)
    }

    fn rfind2(units: &[u8], a: u8, b: u8) -> Option<usize> {
        memchr::memrchr2(a, b, units)
    }

    fn unescaped(units: &[u8]) -> Option<&str> {
        // (the bytes of an ASCII text; `escape2null` made each backslash a 0)
        if memchr::memchr(0, units).is_some() {
            return None;
        }
        std::str::from_utf8(units).ok()
    }
}

impl Unit for char {
    fn ch(self) -> char {
        self
    }

    fn marks(units: &[char]) -> usize {
        (units.iter())
            .position(|c| matches!(c, '*' | '`' | '|'))
            .unwrap_or(units.len())
    }

    fn underscore(units: &[char]) -> usize {
        units.iter().position(|&c| c == '_').unwrap_or(units.len())
    }

    fn find(units: &[char], needle: u8) -> Option<usize> {
        units.iter().position(|&c| c == char::from(needle))
    }

    fn rfind2(units: &[char], a: u8, b: u8) -> Option<usize> {
        (units.iter()).rposition(|&c| c == char::from(a) || c == char::from(b))
    }

    fn unescaped(_: &[char]) -> Option<&str> {
        None
    }
}

/// The next trigger character, a character every construct holds one of (`*`, `` ` ``,
/// `|`, `_`), and where the whitespace-free stretch ending at it starts (see
/// [`Text::candidate`]); and the next `*`, `` ` `` or `|`, which the search for the
/// next trigger reuses while it lies ahead (each `_` before it is a trigger of its own:
/// searching past them again each time made a paragraph of many `_` quadratic).
struct Stretch {
    trigger: usize,
    start: usize,
    marks: usize,
}

struct Text<'a, T> {
    c: &'a [T],
}

impl<T: Unit> Text<'_, T> {
    /// Where the simplename run (word characters, single joiners between them) that
    /// starts at word character `p` ends. Every position of a run ends where the run
    /// does, so the scan, having tried a run's start, skips the rest of it.
    fn run_end(&self, p: usize) -> usize {
        let mut e = p + 1;
        loop {
            match (self.at(e), self.at(e + 1)) {
                (Some(w), _) if is_word(w) => e += 1,
                (Some(j), Some(w)) if is_joiner(j) && is_word(w) => e += 2,
                _ => return e,
            }
        }
    }

    /// The first position at or after `p` where a construct may start: every construct
    /// holds a trigger character (see [`Unit::trigger`]), and none holds whitespace
    /// before its first one (a reference's name, a footnote's label and a role's name
    /// are runs without it), so nothing starts before the whitespace-free stretch that
    /// ends at the next trigger. `trigger` remembers the next trigger found.
    fn candidate(&self, p: usize, next: &mut Stretch) -> usize {
        if next.trigger < p {
            self.stretch(p, next);
        }
        p.max(next.start)
    }

    /// The stretch of the text's start.
    fn first_stretch(&self) -> Stretch {
        let mut first = Stretch {
            trigger: 0,
            start: 0,
            marks: T::marks(self.c),
        };
        self.stretch(0, &mut first);
        first
    }

    /// Make `next` the next trigger at or after `p`, and the stretch before it.
    fn stretch(&self, p: usize, next: &mut Stretch) {
        if next.marks < p {
            next.marks = p + T::marks(&self.c[p..]);
        }
        let trigger = p + T::underscore(&self.c[p..next.marks]);
        let mut start = trigger;
        while start > p && !is_space(self.ch(start - 1)) {
            start -= 1;
        }
        next.trigger = trigger;
        next.start = start;
    }

    fn at(&self, i: usize) -> Option<char> {
        self.c.get(i).map(|u| u.ch())
    }

    fn ch(&self, i: usize) -> char {
        self.c[i].ch()
    }

    /// `start_string_prefix` at `p`, the text resuming at `from`.
    fn prefix_ok(&self, p: usize, from: usize) -> bool {
        p == from || class(self.ch(p - 1)) & BEFORE_START != 0
    }

    /// `end_string_suffix` at `p`.
    fn suffix_ok(&self, p: usize) -> bool {
        self.at(p).is_none_or(|c| class(c) & AFTER_END != 0)
    }

    /// `(?!\s)` at `p`.
    fn no_space_at(&self, p: usize) -> bool {
        self.at(p).is_none_or(|c| !is_space(c))
    }

    /// `(?<![\s\x00])` at `q` (`q` > 0).
    fn no_space_or_escape_before(&self, q: usize) -> bool {
        let b = self.ch(q - 1);
        !is_space(b) && b != ESCAPE
    }

    /// A simple reference or footnote reference (`name_`, `name__`, `[1]_`) at `p`:
    /// where it ends.
    fn whole(&self, p: usize) -> Option<usize> {
        let c = self.ch(p);
        if is_word(c) {
            let e = self.run_end(p);
            if self.at(e) != Some('_') {
                return None;
            }
            if self.at(e + 1) == Some('_') && self.suffix_ok(e + 2) {
                return Some(e + 2);
            }
            return self.suffix_ok(e + 1).then_some(e + 1);
        }
        if c == '[' {
            let q = p + 1;
            let label_end = match self.at(q)? {
                d if d.is_ascii_digit() => {
                    let mut k = q;
                    while self.at(k).is_some_and(|d| d.is_ascii_digit()) {
                        k += 1;
                    }
                    k
                }
                '#' => match self.at(q + 1) {
                    Some(w) if is_word(w) => self.run_end(q + 1),
                    _ => q + 1,
                },
                '*' => q + 1,
                w if is_word(w) => self.run_end(q),
                _ => return None,
            };
            if self.at(label_end) == Some(']')
                && self.at(label_end + 1) == Some('_')
                && self.suffix_ok(label_end + 2)
            {
                return Some(label_end + 2);
            }
        }
        None
    }

    /// `:role:` followed by `` ` `` (not ``` `` ```) and a non-space at `p` (a `:`):
    /// where the backquote is.
    fn role_prefix(&self, p: usize) -> Option<usize> {
        let q = p + 1;
        if !self.at(q).is_some_and(is_word) {
            return None;
        }
        // The role's name may contain `:`, so the last `:` of the run before the
        // backquote closes it; the backquote can only follow the run's end.
        let e = self.run_end(q);
        (self.at(e) == Some(':')
            && self.at(e + 1) == Some('`')
            && self.at(e + 2) != Some('`')
            && self.no_space_at(e + 2))
        .then_some(e + 1)
    }
}

/// The next position `>= x` where `valid` holds, found by searching forward from `x`
/// for the end-string's first character `needle` (every valid position holds it) and
/// remembered: the scan asks for increasing `x`, so each kind's search only moves
/// forward and costs linear time over the whole text.
struct NextValid<'a, T, F> {
    units: &'a [T],
    needle: u8,
    valid: F,
    /// The last query, and the first valid position at or after it (`usize::MAX`:
    /// none up to the end).
    asked: usize,
    found: Option<usize>,
}

impl<'a, T: Unit, F: Fn(usize) -> bool> NextValid<'a, T, F> {
    fn new(units: &'a [T], needle: u8, valid: F) -> Self {
        NextValid {
            units,
            needle,
            valid,
            asked: 0,
            found: None,
        }
    }

    fn at_or_after(&mut self, x: usize) -> usize {
        if let Some(found) = self.found {
            if self.asked <= x && x <= found {
                return found;
            }
        }
        let mut q = x;
        let found = loop {
            let Some(k) = self
                .units
                .get(q..)
                .and_then(|rest| T::find(rest, self.needle))
            else {
                break usize::MAX;
            };
            if (self.valid)(q + k) {
                break q + k;
            }
            q += k + 1;
        };
        self.asked = x;
        self.found = Some(found);
        found
    }
}

/// docutils' `escape2null`: each backslash becomes `\0` and the character after it is
/// kept (escaped); the text keeps its length in units.
fn escape2null<T: Unit>(mut units: Vec<T>, escape: T) -> Vec<T> {
    let mut i = 0;
    while i < units.len() {
        if units[i].ch() == '\\' {
            units[i] = escape;
            i += 2;
        } else {
            i += 1;
        }
    }
    units
}

/// What a reference names (docutils' `refname`, normalized where docutils does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    /// `name_`, `` `phrase`_ ``, `|sub|_`, `` `text <alias_>`_ ``: a normalized name.
    Named(String),
    /// `name__`, `` `phrase`__ ``: the next anonymous target.
    Anonymous,
    /// `[1]_`: a footnote's label.
    Footnote(String),
    /// `[#]_` (the next auto-numbered footnote) or `[#label]_` (a normalized label).
    AutoFootnote(Option<String>),
    /// `[*]_`: the next auto-symbol footnote.
    SymbolFootnote,
    /// `[LABEL]_`: a citation, by its exact label.
    Citation(String),
    /// `|name|`: a substitution, by its whitespace-normalized name.
    Substitution(String),
}

/// A reference and the char range of its markup in the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: RefKind,
    pub start: usize,
    pub end: usize,
}

/// A target the inline text defines: `` _`name` ``, or the named target of
/// `` `text <uri>`_ ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineTarget {
    /// docutils' normalized name.
    pub name: String,
    pub refuri: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// What docutils finds in an inline text that it may report on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Start-strings without an end-string.
    pub unclosed: Vec<Problem>,
    /// The char ranges of the role names of interpreted text (`:name:` before or after
    /// it).
    pub roles: Vec<std::ops::Range<usize>>,
    /// Hyperlink, footnote, citation and substitution references, in text order.
    pub references: Vec<Reference>,
    /// Inline targets and the targets of named embedded URIs, in text order.
    pub targets: Vec<InlineTarget>,
}

/// docutils' `unescape` of escaped text: escapes dropped, escaped whitespace removed.
fn unescape<T: Unit>(c: &[T]) -> String {
    if let Some(text) = T::unescaped(c) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(c.len());
    let mut k = 0;
    while k < c.len() {
        if c[k].ch() == ESCAPE {
            if c.get(k + 1).is_some_and(|n| matches!(n.ch(), ' ' | '\n')) {
                k += 2;
            } else {
                k += 1;
            }
            continue;
        }
        out.push(c[k].ch());
        k += 1;
    }
    out
}

/// docutils' embedded link at the end of a phrase reference's text (`` text <uri>``):
/// where the text before it ends and the alias inside the brackets.
fn embedded_link<T: Unit>(c: &[T]) -> Option<(usize, &[T])> {
    let n = c.len();
    if n < 3 || c[n - 1].ch() != '>' || c[n - 2].ch() == ESCAPE || is_space(c[n - 2].ch()) {
        return None;
    }
    // The last unescaped `<`; nothing between it and `>` may be an unescaped bracket.
    // (the brackets searched for, not every unit looked at: a URI is long)
    let mut before = n - 1;
    let k = loop {
        let k = T::rfind2(&c[..before], b'<', b'>')?;
        if k > 0 && c[k - 1].ch() == ESCAPE {
            before = k;
            continue;
        }
        if c[k].ch() == '>' {
            return None;
        }
        break k;
    };
    if k + 2 > n - 1 || is_space(c[k + 1].ch()) {
        return None;
    }
    let mut text_end = k;
    while text_end > 0 && matches!(c[text_end - 1].ch(), ' ' | '\n') {
        text_end -= 1;
    }
    if text_end == k && k != 0 {
        return None;
    }
    Some((text_end, &c[k + 1..n - 1]))
}

/// Whether an alias looks like docutils' URI pattern (a scheme, or an e-mail address).
fn looks_like_uri(alias: &str) -> bool {
    let scheme = alias.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    scheme || alias.contains('@')
}

/// The reference (and target) a phrase reference `` `c`_ `` or `` `c`__ `` makes.
fn phrase_reference<T: Unit>(c: &[T], anonymous: bool, start: usize, end: usize, out: &mut Scan) {
    let Some((text_end, alias)) = embedded_link(c) else {
        let kind = if anonymous {
            RefKind::Anonymous
        } else {
            RefKind::Named(super::references::normalize_name(&unescape(c)))
        };
        out.references.push(Reference { kind, start, end });
        return;
    };
    let alias_text = unescape(alias);
    let escaped_underscore = alias.len() >= 2 && alias[alias.len() - 2].ch() == ESCAPE;
    if alias_text.ends_with('_') && !escaped_underscore && !looks_like_uri(&alias_text) {
        let name = super::references::normalize_name(&alias_text[..alias_text.len() - 1]);
        out.references.push(Reference {
            kind: RefKind::Named(name),
            start,
            end,
        });
    } else if !anonymous {
        let name = match text_end {
            0 => super::references::normalize_name(&alias_text),
            _ => super::references::normalize_name(&unescape(&c[..text_end])),
        };
        // whitespace removed (most URIs hold none: printable ASCII is kept as it is)
        let uri: String = match alias_text.bytes().all(|b| b.is_ascii_graphic()) {
            true => alias_text,
            false => alias_text.split_whitespace().collect(),
        };
        out.targets.push(InlineTarget {
            name,
            refuri: Some(uri),
            start,
            end,
        });
    }
}

/// Whether `text` holds a character that could start inline markup or end a reference
/// (every construct the scan finds holds one); a text without one has nothing to find.
///
/// One pass, 64 bytes at a time (most paragraphs hold none, and are short: two
/// `memchr` searches cost more to set up than to run).
pub fn may_hold_markup(text: &str) -> bool {
    let b = text.as_bytes();
    let Some(last) = b.len().checked_sub(16) else {
        return b.iter().any(|&c| is_trigger(c));
    };
    let chunk = |c: &[u8]| trigger_mask(c.try_into().expect("16 bytes"));
    // whole 64-byte blocks (the masks of their four chunks tested at once), whole
    // chunks after them, then the last 16 bytes (overlapping the chunk before)
    let mut blocks = b.chunks_exact(64);
    if (blocks.by_ref()).any(|block| block.chunks_exact(16).fold(0, |m, c| m | chunk(c)) != 0) {
        return true;
    }
    (blocks.remainder().chunks_exact(16)).any(|c| chunk(c) != 0) || chunk(&b[last..]) != 0
}

/// Whether byte `c` is `*`, `` ` ``, `|` or `_`.
fn is_trigger(c: u8) -> bool {
    matches!(c, b'*' | b'`' | b'|' | b'_')
}

/// The bytes of `chunk` [`is_trigger`] says are triggers, as a bit mask (bit `k`:
/// `chunk[k]`): with SSE2 on x86-64 (which every x86-64 processor has), byte by byte
/// elsewhere.
#[inline(always)]
fn trigger_mask(chunk: &[u8; 16]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `chunk`
        // (unaligned loads allowed).
        unsafe {
            let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let is = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
            let any = _mm_or_si128(
                _mm_or_si128(is(b'*'), is(b'`')),
                _mm_or_si128(is(b'|'), is(b'_')),
            );
            _mm_movemask_epi8(any) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (chunk.iter().enumerate())
            .filter(|(_, c)| is_trigger(**c))
            .fold(0, |mask, (k, _)| mask | 1 << k)
    }
}

/// Scan `text` (a paragraph's lines joined by `\n`, as docutils passes them) as
/// docutils' `Inliner.parse` does. (The caller skips a text [`may_hold_markup`] says
/// holds nothing: this finds nothing in it.)
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let (beyond_ascii, escapes) = beyond_ascii_and_escapes(bytes);
    if beyond_ascii {
        scan_units(&escape2null(text.chars().collect(), ESCAPE))
    } else if escapes {
        scan_units(&escape2null(bytes.to_vec(), 0))
    } else {
        // nothing escaped: the text's own bytes
        scan_units(bytes)
    }
}

/// Whether `text` holds a byte beyond ASCII, and whether it holds a backslash: one pass
/// for both, 16 bytes at a time, the last 16 read again (overlapping the chunk before).
/// (`is_ascii` then `memchr` read the text twice, and `is_ascii` the bytes after its last
/// whole 64 one at a time.)
fn beyond_ascii_and_escapes(text: &[u8]) -> (bool, bool) {
    let Some(last) = text.len().checked_sub(16) else {
        return (!text.is_ascii(), text.contains(&b'\\'));
    };
    let chunk = |c: &[u8]| high_and_escape_masks(c.try_into().expect("16 bytes"));
    let (mut high, mut escapes) = chunk(&text[last..]);
    for c in text.chunks_exact(16) {
        let (h, e) = chunk(c);
        high |= h;
        escapes |= e;
    }
    (high != 0, escapes != 0)
}

/// The bytes of `chunk` beyond ASCII, and its backslashes, as bit masks (bit `k`:
/// `chunk[k]`): with SSE2 on x86-64 (which every x86-64 processor has), byte by byte
/// elsewhere.
#[inline(always)]
fn high_and_escape_masks(chunk: &[u8; 16]) -> (u32, u32) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `chunk`
        // (unaligned loads allowed).
        unsafe {
            let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let escapes = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
            (
                _mm_movemask_epi8(x) as u32,
                _mm_movemask_epi8(escapes) as u32,
            )
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (chunk.iter().enumerate()).fold((0, 0), |(high, escapes), (k, &c)| {
            (
                high | u32::from(!c.is_ascii()) << k,
                escapes | u32::from(c == b'\\') << k,
            )
        })
    }
}

/// [`scan`] over the text's units (bytes of an ASCII text, or chars): offsets are
/// char offsets either way.
fn scan_units<T: Unit>(c: &[T]) -> Scan {
    let n = c.len();
    let t = Text { c };
    // Where each kind's end-string may stand (docutils' end patterns).
    let mut emphasis_end = NextValid::new(c, b'*', |q| {
        q > 0 && t.ch(q) == '*' && t.no_space_or_escape_before(q) && t.suffix_ok(q + 1)
    });
    let mut strong_end = NextValid::new(c, b'*', |q| {
        q > 0
            && t.ch(q) == '*'
            && t.at(q + 1) == Some('*')
            && t.no_space_or_escape_before(q)
            && t.suffix_ok(q + 2)
    });
    let mut literal_end = NextValid::new(c, b'`', |q| {
        q > 0
            && t.ch(q) == '`'
            && t.at(q + 1) == Some('`')
            && !is_space(t.ch(q - 1))
            && t.suffix_ok(q + 2)
    });
    let mut target_end = NextValid::new(c, b'`', |q| {
        q > 0 && t.ch(q) == '`' && t.no_space_or_escape_before(q) && t.suffix_ok(q + 1)
    });
    let mut substitution_end = NextValid::new(c, b'|', |q| {
        q > 0
            && t.ch(q) == '|'
            && t.no_space_or_escape_before(q)
            && (t.suffix_ok(q + 1)
                || (t.at(q + 1) == Some('_') && t.suffix_ok(q + 2))
                || (t.at(q + 1) == Some('_') && t.at(q + 2) == Some('_') && t.suffix_ok(q + 3)))
    });
    let mut interpreted_end = NextValid::new(c, b'`', |q| {
        if q == 0 || t.ch(q) != '`' {
            return false;
        }
        // `(?<!(?<!\x00)[\s\x00])`
        let b = t.ch(q - 1);
        if (is_space(b) || b == ESCAPE) && (q < 2 || t.ch(q - 2) != ESCAPE) {
            return false;
        }
        let refend_ok = |k: usize| {
            t.suffix_ok(k)
                || (t.at(k) == Some('_') && t.suffix_ok(k + 1))
                || (t.at(k) == Some('_') && t.at(k + 1) == Some('_') && t.suffix_ok(k + 2))
        };
        if refend_ok(q + 1) {
            return true;
        }
        // A role suffix: `:name:`.
        t.at(q + 1) == Some(':') && t.at(q + 2).is_some_and(is_word) && {
            let run_end = t.run_end(q + 2);
            (q + 2..run_end)
                .filter(|&k| t.ch(k) == ':')
                .chain(std::iter::once(run_end))
        }
        .any(|k| t.at(k) == Some(':') && refend_ok(k + 1))
    });

    // The role after an interpreted text's closing backquote at `q`, and where the
    // suffix (role, reference `_`) ends: docutils' greedy `(:name:)?(__?)?`.
    let refend = |k: usize| {
        if t.at(k) == Some('_') && t.at(k + 1) == Some('_') && t.suffix_ok(k + 2) {
            Some(k + 2)
        } else if t.at(k) == Some('_') && t.suffix_ok(k + 1) {
            Some(k + 1)
        } else {
            t.suffix_ok(k).then_some(k)
        }
    };
    let suffix = |q: usize| -> (Option<std::ops::Range<usize>>, usize) {
        if t.at(q + 1) == Some(':') && t.at(q + 2).is_some_and(is_word) {
            let run_end = t.run_end(q + 2);
            let role = std::iter::once(run_end)
                .chain((q + 2..run_end).rev().filter(|&k| t.ch(k) == ':'))
                .filter(|&k| t.at(k) == Some(':'))
                .find_map(|k| refend(k + 1).map(|end| (k, end)));
            if let Some((k, end)) = role {
                return (Some(q + 2..k), end);
            }
        }
        (None, refend(q + 1).unwrap_or(q + 1))
    };
    let mut out = Scan::default();
    let mut from = 0;
    let mut p = 0;
    let mut next = t.first_stretch();
    while p < n {
        p = t.candidate(p, &mut next);
        if p >= n {
            break;
        }
        if !t.prefix_ok(p, from) {
            p += 1;
            continue;
        }
        let ch = t.ch(p);
        if is_word(ch) {
            // Only a reference (`name_`) can start at a word: past the run when none does.
            let e = t.run_end(p);
            if t.at(e) != Some('_') {
                p = e;
                continue;
            }
        }
        // (kind, start-string length, end-string length)
        let start = match ch {
            '*' if t.at(p + 1) == Some('*') && t.no_space_at(p + 2) => {
                Some((Unclosed::Strong, 2, 2))
            }
            '*' if t.at(p + 1) != Some('*') && t.no_space_at(p + 1) => {
                Some((Unclosed::Emphasis, 1, 1))
            }
            '`' if t.at(p + 1) == Some('`') && t.no_space_at(p + 2) => {
                Some((Unclosed::Literal, 2, 2))
            }
            '_' if t.at(p + 1) == Some('`') && t.no_space_at(p + 2) => {
                Some((Unclosed::Target, 2, 1))
            }
            '|' if t.at(p + 1) != Some('|') && t.no_space_at(p + 1) => {
                Some((Unclosed::SubstitutionReference, 1, 1))
            }
            _ => None,
        };
        if let Some((kind, len, end_len)) = start {
            let match_end = p + len;
            // docutils' `quoted_start`.
            if p > from && (match_end >= n || matching(t.ch(p - 1), t.ch(match_end))) {
                from = match_end;
                p = match_end;
                continue;
            }
            let q = match kind {
                Unclosed::Strong => strong_end.at_or_after(match_end + 1),
                Unclosed::Emphasis => emphasis_end.at_or_after(match_end + 1),
                Unclosed::Literal => literal_end.at_or_after(match_end + 1),
                Unclosed::Target => target_end.at_or_after(match_end + 1),
                _ => substitution_end.at_or_after(match_end + 1),
            };
            if q != usize::MAX {
                from = q + end_len;
                let inner = &t.c[match_end..q];
                match kind {
                    Unclosed::Target => out.targets.push(InlineTarget {
                        name: super::references::normalize_name(&unescape(inner)),
                        refuri: None,
                        start: p,
                        end: from,
                    }),
                    Unclosed::SubstitutionReference => {
                        let name = unescape(inner)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        let anonymous = t.at(q + 1) == Some('_')
                            && t.at(q + 2) == Some('_')
                            && t.suffix_ok(q + 3);
                        let named = !anonymous && t.at(q + 1) == Some('_') && t.suffix_ok(q + 2);
                        if anonymous || named {
                            from = q + if anonymous { 3 } else { 2 };
                            let kind = if anonymous {
                                RefKind::Anonymous
                            } else {
                                RefKind::Named(super::references::normalize_name(&name))
                            };
                            out.references.push(Reference {
                                kind,
                                start: p,
                                end: from,
                            });
                        }
                        out.references.push(Reference {
                            kind: RefKind::Substitution(name),
                            start: p,
                            end: from,
                        });
                    }
                    _ => {}
                }
            } else {
                out.unclosed.push(Problem {
                    kind,
                    start: p,
                    end: match_end,
                });
                from = match_end;
            }
            p = from;
            continue;
        }
        if let Some(end) = t.whole(p) {
            let kind = if ch == '[' {
                let label: String = t.c[p + 1..end - 2].iter().map(|u| u.ch()).collect();
                match label.as_str() {
                    "#" => RefKind::AutoFootnote(None),
                    "*" => RefKind::SymbolFootnote,
                    l if l.bytes().all(|d| d.is_ascii_digit()) => RefKind::Footnote(label),
                    l if l.starts_with('#') => {
                        RefKind::AutoFootnote(Some(super::references::normalize_name(&l[1..])))
                    }
                    _ => RefKind::Citation(label),
                }
            } else if end == t.run_end(p) + 2 {
                RefKind::Anonymous
            } else {
                let name: String = t.c[p..end - 1].iter().map(|u| u.ch()).collect();
                RefKind::Named(super::references::normalize_name(&name))
            };
            out.references.push(Reference {
                kind,
                start: p,
                end,
            });
            from = end;
            p = end;
            continue;
        }
        let backquote = match ch {
            '`' if t.at(p + 1) != Some('`') && t.no_space_at(p + 1) => Some((p, false)),
            ':' => t.role_prefix(p).map(|q| (q, true)),
            _ => None,
        };
        if let Some((q, role)) = backquote {
            let match_end = q + 1;
            if !role && p > from && (match_end >= n || matching(t.ch(p - 1), t.ch(match_end))) {
                from = match_end;
                p = match_end;
                continue;
            }
            let e = interpreted_end.at_or_after(match_end + 1);
            if e != usize::MAX {
                let (suffix_role, end) = suffix(e);
                if role {
                    out.roles.push(p + 1..q - 1);
                } else if let Some(r) = suffix_role {
                    out.roles.push(r);
                } else if end > e + 1 {
                    phrase_reference(&t.c[match_end..e], end == e + 3, p, end, &mut out);
                }
                from = end;
            } else {
                out.unclosed.push(Problem {
                    kind: Unclosed::Interpreted,
                    start: p,
                    end: match_end,
                });
                from = match_end;
            }
            p = from;
            continue;
        }
        // Not a reference: nothing starts inside the rest of a word's run either.
        p = if is_word(ch) { t.run_end(p) } else { p + 1 };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trigger_is_found_at_any_position_of_any_length() {
        // (past 64 bytes: in a whole block, in a chunk after it, in the last bytes)
        for len in (0..50).chain([63, 64, 65, 79, 80, 95, 127, 128, 129, 143]) {
            for at in 0..len {
                for c in 0..=127u8 {
                    let mut text = vec![b'x'; len];
                    text[at] = c;
                    let text = String::from_utf8(text).unwrap();
                    assert_eq!(
                        may_hold_markup(&text),
                        is_trigger(c),
                        "{c} at {at} of {len}"
                    );
                }
            }
            assert!(!may_hold_markup(&"x".repeat(len)));
        }
    }

    #[test]
    fn bytes_beyond_ascii_and_backslashes_are_found_at_any_position_of_any_length() {
        for len in (0..40).chain([63, 64, 65, 80, 129]) {
            for at in 0..len {
                for (c, expected) in [(b'\\', (false, true)), (0xc3, (true, false))] {
                    let mut text = vec![b'x'; len];
                    text[at] = c;
                    assert_eq!(
                        beyond_ascii_and_escapes(&text),
                        expected,
                        "{c} at {at} of {len}"
                    );
                }
            }
            assert_eq!(beyond_ascii_and_escapes(&vec![b'x'; len]), (false, false));
        }
    }

    /// [`embedded_link`]'s search for the last unescaped `<`, a unit at a time.
    fn last_open_bracket_unit_by_unit<T: Unit>(c: &[T]) -> Option<usize> {
        let mut k = c.len() - 1;
        while k > 0 {
            k -= 1;
            let escaped = k > 0 && c[k - 1].ch() == ESCAPE;
            match c[k].ch() {
                '>' if !escaped => return None,
                '<' if !escaped => return Some(k),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn embedded_links_are_found_as_unit_by_unit() {
        // every text of up to 7 units from these, and a `>` after it
        let units = [b'<', b'>', 0, b'a', b' '];
        for len in 0..8u32 {
            for code in 0..5usize.pow(len) {
                let mut c: Vec<u8> = (0..len).map(|d| units[code / 5usize.pow(d) % 5]).collect();
                c.push(b'>');
                let expected = last_open_bracket_unit_by_unit(&c)
                    .filter(|&k| k + 2 < c.len() && !is_space(char::from(c[k + 1])));
                let found = embedded_link(&c).map(|(_, alias)| c.len() - 2 - alias.len());
                let plausible = c.len() >= 3 && c[c.len() - 2] != 0 && c[c.len() - 2] != b' ';
                if plausible {
                    let expected = expected.filter(|&k| {
                        let before = c[..k].iter().rev().take_while(|&&u| u == b' ').count();
                        before > 0 || k == 0
                    });
                    assert_eq!(found, expected, "{c:?}");
                } else {
                    assert_eq!(found, None, "{c:?}");
                }
                let chars: Vec<char> = c.iter().map(|&u| char::from(u)).collect();
                let in_chars = embedded_link(&chars).map(|(_, alias)| c.len() - 2 - alias.len());
                assert_eq!(in_chars, found, "{c:?}");
            }
        }
    }

    #[test]
    fn ascii_pairs_are_matched_as_the_tables_say() {
        // the table's shortcut against the search of every pair, for every ASCII opener
        let closers = CLOSERS
            .iter()
            .copied()
            .chain(QUOTE_PAIRS.iter().flat_map(|p| p.1.chars()));
        for open in (0..128u8).map(char::from) {
            for close in closers.clone().chain((0..128u8).map(char::from)) {
                let searched = OPENERS
                    .iter()
                    .position(|&o| o == open)
                    .is_some_and(|i| CLOSERS[i] == close)
                    || QUOTE_PAIRS
                        .iter()
                        .any(|&(o, cs)| o == open && cs.contains(close));
                assert_eq!(matching(open, close), searched, "{open:?} {close:?}");
            }
        }
    }

    fn kinds(text: &str) -> Vec<(Unclosed, usize)> {
        scan(text)
            .unclosed
            .into_iter()
            .map(|p| (p.kind, p.start))
            .collect()
    }

    fn roles(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        scan(text)
            .roles
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn roles_before_and_after() {
        assert_eq!(
            roles(":ref:`a` and `b`:doc: and `c`_ and :py:func:`d`"),
            ["ref", "doc", "py:func"]
        );
        assert_eq!(roles("no: roles`"), Vec::<String>::new());
    }

    #[test]
    fn constructs_are_found_at_the_start_of_the_stretch_before_a_trigger() {
        // the scan jumps over text that holds no markup character: a reference's name,
        // a footnote's label and a role's name start before the character that
        // triggers them, and a start-string can follow a stretch without one
        let long = "x-y.z".repeat(40);
        let text = format!("{long} my-ref.name_ {long} [12]_ :py:func:`f` {long} *a* ``b``");
        let found = scan(&text);
        let kinds: Vec<_> = found.references.iter().map(|r| r.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                RefKind::Named("my-ref.name".into()),
                RefKind::Footnote("12".into())
            ]
        );
        assert_eq!(roles(&text), ["py:func"]);
        assert!(found.unclosed.is_empty());
        assert_eq!(
            kinds_of_unclosed(&format!("{long} *{long}")),
            [Unclosed::Emphasis]
        );
    }

    fn kinds_of_unclosed(text: &str) -> Vec<Unclosed> {
        kinds(text).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn closed_markup_is_fine() {
        for ok in [
            "*a* **b** ``c`` _`d` |e| `f` :role:`g` `h`_ `i`__ `j`:role:",
            "2 * 3 * 4",
            "a*b",
            "(*) and '*' and \"*\"",
            "\\*not emphasis",
            "``a * b``",
            "name_ and [1]_ and [#]_",
            "*a\nb*",
            "|sub|_",
        ] {
            assert_eq!(kinds(ok), vec![], "{ok}");
        }
    }

    #[test]
    fn unclosed_markup_is_reported() {
        assert_eq!(kinds("an *emphasis"), vec![(Unclosed::Emphasis, 3)]);
        assert_eq!(kinds("**strong"), vec![(Unclosed::Strong, 0)]);
        assert_eq!(kinds("a ``literal"), vec![(Unclosed::Literal, 2)]);
        assert_eq!(kinds("_`target"), vec![(Unclosed::Target, 0)]);
        assert_eq!(kinds("|sub"), vec![(Unclosed::SubstitutionReference, 0)]);
        assert_eq!(kinds("`interp"), vec![(Unclosed::Interpreted, 0)]);
        assert_eq!(kinds("a :ref:`x"), vec![(Unclosed::Interpreted, 2)]);
        assert_eq!(kinds("*a *b*"), vec![]);
        assert_eq!(kinds("*a * b"), vec![(Unclosed::Emphasis, 0)]);
    }
}
