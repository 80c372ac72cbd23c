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
    /// The end of the line starting at `at` (after its `\n`) and whether it is blank.
    fn line(&self, at: usize) -> (usize, bool) {
        let bytes = &self.text.as_bytes()[at..];
        let len = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
        (at + len, bytes[..len].iter().all(u8::is_ascii_whitespace))
    }

    fn skip_blank_lines(&mut self) {
        while self.pos < self.text.len() {
            let (end, blank) = self.line(self.pos);
            if !blank {
                break;
            }
            self.pos = end;
        }
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
    fn keys_ignore_wrapping_but_not_words() {
        let a = key("Describe how the change\n  will be tested.");
        assert!(a.is_some());
        assert_eq!(a, key("Describe how the change will be tested.  "));
        assert_ne!(a, key("Describe how the change will be tested!"));
        assert_eq!(key(".. comment that is long enough to count"), None);
        assert_eq!(key("Too short."), None);
    }
}
