//! Text positions: byte offsets <-> (line, column) in a chosen encoding, with LSP's line
//! breaks (`\n`, `\r\n`, `\r`). Out-of-range input is clamped, never a panic.

use std::cell::Cell;
use std::ops::Range;

/// How columns are counted (LSP `PositionEncodingKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of one text, for converting offsets and positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line; always starts with 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        if memchr::memchr(b'\r', bytes).is_none() {
            // the usual text: its line feeds
            line_feeds(bytes, &mut starts);
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                // "\r\n" is one break: its "\n" starts the line
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    starts.push(i + 1);
                }
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The index of `new`, an edit of `old` (whose index this is): the lines before and
    /// after the edit are taken from here, only the edited ones are looked for again.
    pub fn after_edit(&self, old: &str, new: &str) -> LineIndex {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let same_start = common_prefix(a, b);
        let same_end = common_suffix(a, b, a.len().min(b.len()) - same_start);
        // whether a line starts at `s` depends on the bytes at `s - 1` and `s`
        let kept = self.starts.partition_point(|&s| s < same_start.max(1));
        let mut starts = Vec::with_capacity(self.starts.len() + 1);
        starts.extend_from_slice(&self.starts[..kept]);
        for i in same_start.saturating_sub(1)..b.len() - same_end {
            if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        let delta = b.len() as isize - a.len() as isize;
        let moved = self.starts.partition_point(|&s| s < a.len() - same_end + 1);
        starts.extend(
            self.starts[moved..]
                .iter()
                .map(|&s| s.saturating_add_signed(delta)),
        );
        LineIndex {
            starts,
            len: b.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line` without its line break (clamped to the last line).
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// 0-based line containing byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Position of byte `offset`, columns counted in `enc`. Offsets past the end or inside
    /// a character are clamped back to a character boundary.
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col: usize = text[start..offset].chars().map(|c| enc.width(c)).sum();
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a position. A line past the end gives the end of the text; a column
    /// past the line's end gives the end of the line (before its break); a column inside
    /// a character gives that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let mut col = 0usize;
        for (i, c) in text[range.clone()].char_indices() {
            let w = enc.width(c);
            if col + w > pos.col as usize {
                return range.start + i;
            }
            col += w;
        }
        range.end
    }
}

/// What gives the positions of byte offsets of one text (the same text at every call).
pub trait Locate {
    /// As [`LineIndex::position`].
    fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol;
}

impl Locate for LineIndex {
    fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        LineIndex::position(self, text, offset, enc)
    }
}

/// Positions for a few offsets of a text, asked in about increasing order (`check`'s
/// findings): the lines are counted from the offset asked before, and no line after the
/// last offset is looked at. A text with `\r` gets a [`LineIndex`] of its lines up to
/// the last offset; one without has its line feeds counted (with `memchr`'s vector
/// count), with no index of every line.
pub enum Locator {
    Index(LineIndex),
    /// The offset asked before and the line feeds before it.
    Feeds(Cell<(usize, usize)>),
}

impl Locator {
    /// For offsets of `text` up to `last`.
    pub fn new(text: &str, last: usize) -> Locator {
        if memchr::memchr(b'\r', text.as_bytes()).is_none() {
            return Locator::Feeds(Cell::new((0, 0)));
        }
        // Whether a line starts at an offset depends on the bytes before it and the one
        // at it.
        let cut = (last.saturating_add(1).min(text.len())..=text.len())
            .find(|&at| text.is_char_boundary(at))
            .unwrap_or(text.len());
        Locator::Index(LineIndex::new(&text[..cut]))
    }
}

impl Locate for Locator {
    fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let at = match self {
            Locator::Index(index) => return index.position(text, offset, enc),
            Locator::Feeds(at) => at,
        };
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let bytes = text.as_bytes();
        let feeds = |range: Range<usize>| memchr::memchr_iter(b'\n', &bytes[range]).count();
        let (before, line) = at.get();
        let line = if offset >= before {
            line + feeds(before..offset)
        } else {
            line - feeds(offset..before)
        };
        at.set((offset, line));
        let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        let col: usize = text[start..offset].chars().map(|c| enc.width(c)).sum();
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }
}

/// Push the offset after each `\n` of `bytes`: on x86-64, 16 bytes at a time with SSE2
/// (which every x86-64 processor has; a search per line costs more on short lines).
fn line_feeds(bytes: &[u8], starts: &mut Vec<usize>) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        // (counted first, so that the pushes never grow the vector)
        starts.reserve(memchr::memchr_iter(b'\n', bytes).count());
        let mut chunks = bytes.chunks_exact(16);
        let mut at = 0;
        for chunk in &mut chunks {
            // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `chunk`
            // (unaligned loads allowed).
            let mut found = unsafe {
                let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
                _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\n' as i8)))
            };
            while found != 0 {
                starts.push(at + found.trailing_zeros() as usize + 1);
                found &= found - 1;
            }
            at += 16;
        }
        let rest = chunks.remainder();
        starts.extend(memchr::memchr_iter(b'\n', rest).map(|i| at + i + 1));
    }
    #[cfg(not(target_arch = "x86_64"))]
    starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
}

/// Length of the common start of `a` and `b`.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the common end of `a` and `b`, at most `limit` (at most the shorter's
/// length).
pub fn common_suffix(a: &[u8], b: &[u8], limit: usize) -> usize {
    const CHUNK: usize = 256;
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + CHUNK <= limit && a[la - i - CHUNK..la - i] == b[lb - i - CHUNK..lb - i] {
        i += CHUNK;
    }
    while i < limit && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The index of an edited text, from the index before the edit, is the index of
        /// the edited text.
        #[test]
        fn after_an_edit_the_index_is_the_new_texts(
            old in "[ab\r\n\u{e9}]{0,40}",
            at in any::<prop::sample::Index>(),
            delete in 0usize..6,
            insert in "[ab\r\n]{0,6}",
        ) {
            let mut start = at.index(old.len() + 1);
            while !old.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + delete).min(old.len());
            while !old.is_char_boundary(end) {
                end -= 1;
            }
            let new = format!("{}{insert}{}", &old[..start], &old[end.max(start)..]);
            let index = LineIndex::new(&old).after_edit(&old, &new);
            prop_assert_eq!(index.starts, LineIndex::new(&new).starts);
            prop_assert_eq!(index.len, new.len());
        }
    }

    proptest! {
        /// Lines start after each line feed (and at 0), in texts with no `\r`, however
        /// long and wherever the line feeds fall among the blocks searched at once.
        #[test]
        fn lines_start_after_each_line_feed(text in "[ab\n\u{e9}]{0,80}") {
            let expected: Vec<usize> = std::iter::once(0)
                .chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1))
                .collect();
            prop_assert_eq!(LineIndex::new(&text).starts, expected);
        }
    }

    proptest! {
        /// A [`Locator`] gives the positions a [`LineIndex`] of the whole text gives,
        /// for offsets asked in any order (past the end and inside characters too).
        #[test]
        fn a_locator_places_offsets_as_the_index_does(
            text in "[ab\r\n\u{e9}\u{1f600}]{0,60}",
            offsets in prop::collection::vec(0usize..70, 0..8),
        ) {
            let last = offsets.iter().copied().max().unwrap_or(0);
            let (locator, index) = (Locator::new(&text, last), LineIndex::new(&text));
            for offset in offsets {
                for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                    prop_assert_eq!(
                        Locate::position(&locator, &text, offset, enc),
                        index.position(&text, offset, enc)
                    );
                }
            }
        }
    }

    #[test]
    fn breaks_and_encodings() {
        let text = "a\r\nbé😀c\rx\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let c = text.find('c').unwrap();
        assert_eq!(
            idx.position(text, c, Encoding::Utf16),
            LineCol { line: 1, col: 4 }
        );
        assert_eq!(
            idx.position(text, c, Encoding::Utf8),
            LineCol { line: 1, col: 7 }
        );
        assert_eq!(
            idx.position(text, c, Encoding::Utf32),
            LineCol { line: 1, col: 3 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 4 }, Encoding::Utf16),
            c
        );
        // inside the surrogate pair: clamped to the emoji's start
        let emoji = text.find('😀').unwrap();
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 3 }, Encoding::Utf16),
            emoji
        );
        // past the line end / past the document end
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            1
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            idx.line_range(text, 2),
            text.find('x').unwrap()..text.len() - 1
        );
    }
}
