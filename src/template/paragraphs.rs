//! Guidance paragraphs: blank-line separated blocks of text, each with a key that
//! ignores line wrapping and indentation, so that guidance a spec left in place is found
//! however it was re-wrapped.

use std::ops::Range;

/// Paragraphs shorter than this (whitespace-normalized bytes) are too generic to count
/// as left-over guidance.
const MIN_GUIDANCE: usize = 24;

/// Blank-line separated blocks of `text` with their ranges (offset by `base`), each
/// range covering the block's lines and the blank lines after it.
pub(crate) fn paragraphs(text: &str, base: usize) -> Paragraphs<'_> {
    Paragraphs { text, base, pos: 0 }
}

/// Iterator of [`paragraphs`].
pub(crate) struct Paragraphs<'a> {
    text: &'a str,
    base: usize,
    pos: usize,
}

impl Paragraphs<'_> {
    /// Where the next paragraph starts (relative to the text), after the blank lines
    /// before it; `None` at the end.
    pub(crate) fn peek_start(&mut self) -> Option<usize> {
        self.skip_blank_lines();
        (self.pos < self.text.len()).then_some(self.pos)
    }

    /// Go on from `pos` (relative to the text), the end of a paragraph's lines.
    pub(crate) fn skip_to(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The end of the line starting at `at` (after its `\n`) and whether it is blank.
    fn line(&self, at: usize) -> (usize, bool) {
        let bytes = &self.text.as_bytes()[at..];
        let len = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
        (at + len, bytes[..len].iter().all(u8::is_ascii_whitespace))
    }

    /// Go on to the start of the line holding the next byte that is not white space
    /// (the lines before it are blank), or to the end: the white space is read once,
    /// and a line that is not blank is not searched for its end.
    fn skip_blank_lines(&mut self) {
        let rest = &self.text.as_bytes()[self.pos..];
        self.pos += match rest.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(visible) => (rest[..visible].iter())
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1),
            None => rest.len(),
        };
    }
}

impl<'a> Iterator for Paragraphs<'a> {
    type Item = (Range<usize>, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.skip_blank_lines();
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        while self.pos < self.text.len() {
            let (end, blank) = self.line(self.pos);
            if blank {
                break;
            }
            self.pos = end;
        }
        let content_end = self.pos;
        self.skip_blank_lines();
        let range = self.base + start..self.base + self.pos;
        Some((range, &self.text[start..content_end]))
    }
}

/// What identifies a paragraph whatever its wrapping: hashes (FNV-1a) of its first word
/// and of all its words joined by single spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParagraphKey {
    first_word: u64,
    words: u64,
}

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

fn mix(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
}

fn first_word(paragraph: &str) -> u64 {
    paragraph
        .bytes()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(|b| !b.is_ascii_whitespace())
        .fold(SEED, mix)
}

/// The key of a paragraph worth matching as guidance: not a comment or directive, not
/// too short.
pub(crate) fn key(paragraph: &str) -> Option<ParagraphKey> {
    if paragraph.trim_start().starts_with("..") {
        return None;
    }
    let mut words = SEED;
    let (mut len, mut space) = (0usize, false);
    for &b in paragraph.as_bytes() {
        if b.is_ascii_whitespace() {
            space = len > 0;
            continue;
        }
        if space {
            words = mix(words, b' ');
            len += 1;
            space = false;
        }
        words = mix(words, b);
        len += 1;
    }
    (len >= MIN_GUIDANCE).then(|| ParagraphKey {
        first_word: first_word(paragraph),
        words,
    })
}

/// What a paragraph of a spec section is, compared with its template's guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paragraph {
    /// One of the guidance paragraphs, however wrapped.
    Guidance,
    /// Text of the spec's own, long enough to count.
    Content,
    /// A comment, a directive line or something too short to tell ("None").
    Minor,
}

/// Classify `paragraph` against the guidance `keys`; the first word is compared first,
/// which settles almost every paragraph cheaply.
pub(crate) fn classify(paragraph: &str, keys: &[ParagraphKey]) -> Paragraph {
    if paragraph.trim_start().starts_with("..") {
        return Paragraph::Minor;
    }
    let first = first_word(paragraph);
    if keys.iter().any(|k| k.first_word == first)
        && key(paragraph).is_some_and(|k| keys.contains(&k))
    {
        return Paragraph::Guidance;
    }
    let visible = paragraph
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .take(MIN_GUIDANCE)
        .count();
    if visible >= MIN_GUIDANCE {
        Paragraph::Content
    } else {
        Paragraph::Minor
    }
}

/// What the start of a paragraph settles, without reading all of it (see [`start`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// [`classify`] says [`Paragraph::Content`].
    Content,
    /// [`classify`] says [`Paragraph::Minor`] (too short), and the paragraph's lines end
    /// at this offset.
    Minor(usize),
    /// Only [`classify`] on the whole paragraph tells.
    Unsettled,
}

/// What the start of the paragraph `rest` starts with (at a line holding a visible
/// byte) settles for `keys`: when its first word is no guidance paragraph's and it is
/// no comment or directive, it is [`Paragraph::Content`] once it has enough visible
/// bytes, and [`Paragraph::Minor`] if it ends before.
pub(crate) fn start(rest: &str, keys: &[ParagraphKey]) -> Start {
    let bytes = rest.as_bytes();
    let Some(first) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Start::Unsettled;
    };
    // (an ASCII byte that is no white space, where `str::trim_start` stops too)
    if !bytes[first].is_ascii() || bytes[first] == 0x0b || bytes[first..].starts_with(b"..") {
        return Start::Unsettled;
    }
    // the first word's end and hash (as `first_word`'s), in one pass over it
    let (mut word, mut hash) = (first, SEED);
    while let Some(&b) = bytes.get(word).filter(|b| !b.is_ascii_whitespace()) {
        hash = mix(hash, b);
        word += 1;
    }
    if keys.iter().any(|k| k.first_word == hash) {
        return Start::Unsettled;
    }
    // visible bytes up to the first blank line (the paragraph's end)
    let (mut visible, mut line_visible, mut line_start) = (word - first, true, 0);
    let mut i = word;
    while let Some(&b) = bytes.get(i) {
        if visible >= MIN_GUIDANCE {
            return Start::Content;
        }
        // (eight bytes at a time while they hold no control character, so no line feed)
        if let Some(n) = (bytes[i..].first_chunk()).and_then(|&eight| visible_in(eight)) {
            visible += n;
            line_visible |= n > 0;
            i += 8;
            continue;
        }
        if b == b'\n' {
            if !line_visible {
                return Start::Minor(line_start);
            }
            (line_visible, line_start) = (false, i + 1);
        } else if !b.is_ascii_whitespace() {
            visible += 1;
            line_visible = true;
        }
        i += 1;
    }
    if visible >= MIN_GUIDANCE {
        Start::Content
    } else if line_visible {
        Start::Minor(bytes.len())
    } else {
        Start::Minor(line_start)
    }
}

/// How many of `eight` bytes are visible (no ASCII white space), when none of them is a
/// control character (below U+0020): then the only white space there is the spaces.
fn visible_in(eight: [u8; 8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let x = u64::from_le_bytes(eight);
    // (the high bit of a byte below 0x20 is set by the subtraction, and not in `x`; a
    // borrow only follows such a byte)
    if x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0 {
        return None;
    }
    // the bytes that are not a space: those that stay non-zero without 0x20
    let y = x ^ (ONES * 0x20);
    let set = (((y & !HIGH) + !HIGH) | y) & HIGH;
    // (their high bits, summed in the top byte)
    Some(((set >> 7).wrapping_mul(ONES) >> 56) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_with_ranges() {
        let text = "a b\nc\n\n\nd\n";
        let ps: Vec<_> = paragraphs(text, 10).collect();
        assert_eq!(ps, vec![(10..18, "a b\nc\n"), (18..20, "d\n")]);
    }

    #[test]
    fn guidance_is_found_however_wrapped() {
        let keys: Vec<ParagraphKey> = key("Describe how the change will be tested.")
            .into_iter()
            .collect();
        let guidance = classify("  Describe how the\nchange will be tested.\n", &keys);
        assert_eq!(guidance, Paragraph::Guidance);
        let own = classify("Describe how the change was tested.", &keys);
        assert_eq!(own, Paragraph::Content);
        assert_eq!(classify("None", &keys), Paragraph::Minor);
        let comment = classify(".. Describe how the change will be tested.", &keys);
        assert_eq!(comment, Paragraph::Minor);
    }

    #[test]
    fn a_start_settles_only_what_classify_says() {
        let keys: Vec<ParagraphKey> = key("Describe how the change will be tested.")
            .into_iter()
            .collect();
        let content = Some(Paragraph::Content);
        let minor = Some(Paragraph::Minor);
        // (text, what its start settles)
        let texts = [
            (
                "Our own text, long enough to count as content.\n\nmore\n",
                content,
            ),
            ("Our own\ntext, which is long enough\n", content),
            (
                "Short\n\nand then a long paragraph after the blank line\n",
                minor,
            ),
            (
                "Short\n  \t\nand then a long paragraph after the blank line\n",
                minor,
            ),
            ("Short\nand short\n", minor),
            ("Short", minor),
            ("Short\n  ", minor),
            ("Describe how the change will be tested.\n", None),
            ("Describe our own text, long enough to count\n", None),
            (".. a comment long enough to count as content\n", None),
            (
                "\u{a0}\n\n.. a comment long enough to count as content\n",
                None,
            ),
            (
                "\u{a0}\u{a0} and text long enough to count as content\n",
                None,
            ),
            ("\u{b} and text long enough to count as content\n", None),
            ("abcdefghij klmnopqrst uvw\n", minor),
            ("abcdefghij klmnopqrst\nuvwx\n", content),
            ("abcdefghijklmnopqrstuvwxyz\n", content),
        ];
        for (text, settled) in texts {
            let mut ps = paragraphs(text, 0);
            let (range, p) = ps.next().unwrap();
            let kind = classify(p, &keys);
            match start(text, &keys) {
                Start::Content => assert_eq!((kind, settled), (Paragraph::Content, content)),
                Start::Minor(end) => {
                    assert_eq!((kind, settled), (Paragraph::Minor, minor), "{text:?}");
                    assert_eq!(end, p.len(), "{text:?}");
                    let mut skipped = paragraphs(text, 0);
                    skipped.skip_to(end);
                    assert_eq!(skipped.peek_start(), ps.peek_start(), "{text:?}");
                    assert!(range.end >= end);
                }
                Start::Unsettled => assert_eq!(settled, None, "{text:?}"),
            }
        }
    }

    proptest::proptest! {
        /// Paragraphs are the runs of lines that are not blank (all ASCII white space),
        /// each with the blank lines after it, as splitting the text into lines finds them.
        #[test]
        fn paragraphs_are_runs_of_lines_that_are_not_blank(text in "[a \t\n\r\u{b}\u{a0}]{0,60}") {
            let mut expected: Vec<(Range<usize>, &str)> = Vec::new();
            let (mut start, mut content_end) = (None, 0);
            for line in text.split_inclusive('\n') {
                let at = line.as_ptr() as usize - text.as_ptr() as usize;
                let blank = line.bytes().all(|b| b.is_ascii_whitespace());
                match (blank, start) {
                    (false, None) => start = Some(at),
                    (false, Some(s)) if content_end < at => {
                        expected.push((s..at, &text[s..content_end]));
                        start = Some(at);
                    }
                    _ => {}
                }
                if !blank {
                    content_end = at + line.len();
                }
            }
            if let Some(s) = start {
                expected.push((s..text.len(), &text[s..content_end]));
            }
            let found: Vec<_> = paragraphs(&text, 0).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    proptest::proptest! {
        /// What the start of a paragraph settles is what [`classify`] says of all of it
        /// (and a short one's lines end where the paragraph's do).
        #[test]
        fn a_start_settles_what_classify_says(
            text in "[ab ]{0,3}[a-d\u{e9} ]{1,6}[a-d\u{e9} \t\n\r\u{b}\u{1}\u{7f}]{0,40}",
        ) {
            let keys: Vec<ParagraphKey> = key("Describe how the change will be tested.")
                .into_iter()
                .collect();
            let first_line = text.split('\n').next().unwrap_or_default();
            proptest::prop_assume!(!first_line.bytes().all(|b| b.is_ascii_whitespace()));
            let (_, p) = paragraphs(&text, 0).next().unwrap();
            let kind = classify(p, &keys);
            match start(&text, &keys) {
                Start::Content => proptest::prop_assert_eq!(kind, Paragraph::Content),
                Start::Minor(end) => {
                    proptest::prop_assert_eq!(kind, Paragraph::Minor);
                    proptest::prop_assert_eq!(end, p.len());
                }
                Start::Unsettled => {}
            }
        }
    }

    #[test]
    fn keys_ignore_wrapping_but_not_words() {
        let a = key("Describe how the change\n  will be tested.");
        assert!(a.is_some());
        assert_eq!(a, key("Describe how the change will be tested.  "));
        assert_ne!(a, key("Describe how the change will be tested!"));
        assert_eq!(key(".. comment that is long enough to count"), None);
        assert_eq!(key("Too short."), None);
    }
}
