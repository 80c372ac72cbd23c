//! Guidance paragraphs: blank-line separated blocks of text, each with a key that
//! ignores line wrapping and indentation, so that guidance a spec left in place is found
//! however it was re-wrapped.

use std::ops::Range;

/// Paragraphs shorter than this (whitespace-normalised bytes) are too generic to count
/// as left-over guidance.
const MIN_GUIDANCE: usize = 24;

/// Blank-line separated blocks of `text` with their ranges (offset by `base`), each
/// range covering the block's lines and the blank lines after it.
pub(crate) fn paragraphs(text: &str, base: usize) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut blocks = Vec::new();
    let mut start: Option<usize> = None;
    let mut content_end = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(pos),
            (true, Some(s)) => {
                blocks.push((s, content_end));
                start = None;
            }
            _ => {}
        }
        pos += line.len();
        if !blank {
            content_end = pos;
        }
    }
    if let Some(s) = start {
        blocks.push((s, content_end));
    }
    let ends: Vec<usize> = blocks
        .iter()
        .skip(1)
        .map(|&(s, _)| s)
        .chain(std::iter::once(text.len()))
        .collect();
    blocks
        .into_iter()
        .zip(ends)
        .map(move |((s, e), next)| (base + s..base + next, &text[s..e]))
}

/// A hash of a paragraph's words joined by single spaces (FNV-1a), if it is guidance
/// worth matching: not a comment or directive, not too short.
pub(crate) fn key(paragraph: &str) -> Option<u64> {
    if paragraph.trim_start().starts_with("..") {
        return None;
    }
    const PRIME: u64 = 0x100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let (mut len, mut space) = (0usize, false);
    for &b in paragraph.as_bytes() {
        if b.is_ascii_whitespace() {
            space = len > 0;
            continue;
        }
        if space {
            hash = (hash ^ u64::from(b' ')).wrapping_mul(PRIME);
            len += 1;
            space = false;
        }
        hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
        len += 1;
    }
    (len >= MIN_GUIDANCE).then_some(hash)
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
    fn keys_ignore_wrapping_but_not_words() {
        let a = key("Describe how the change\n  will be tested.");
        assert!(a.is_some());
        assert_eq!(a, key("Describe how the change will be tested.  "));
        assert_ne!(a, key("Describe how the change will be tested!"));
        assert_eq!(key(".. comment that is long enough to count"), None);
        assert_eq!(key("Too short."), None);
    }
}
