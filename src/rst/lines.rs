//! The input as docutils' reStructuredText parser sees it: lines split like Python's
//! `str.splitlines()`, vertical tabs and form feeds turned into spaces, tabs expanded to
//! 8 columns, trailing whitespace removed - each line kept with its byte offsets in the
//! original text so that results can point back into it.

/// docutils' `line_length_limit` default: a longer line stops docutils from parsing.
pub const LINE_LENGTH_LIMIT: usize = 10_000;

const TAB_WIDTH: usize = 8;

/// One docutils line.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// What docutils matches against (tabs expanded, right-stripped): a slice of the
    /// original text, or of the expanded copy [`split`] keeps for a line holding tabs,
    /// vertical tabs or form feeds.
    pub text: &'a str,
    /// Byte offset of the line's first character in the original text.
    pub start: usize,
    /// Byte offset just past the right-stripped content in the original text.
    pub end: usize,
    /// Byte offset of the next line (after the line break).
    pub next: usize,
}

impl Line<'_> {
    /// Original byte offset of byte `pos` of [`Line::text`]. (Inlined: the text is
    /// mostly the original's, a sum; an expanded line's walk is out of line.)
    #[inline]
    pub fn source_offset(&self, src: &str, pos: usize) -> usize {
        if self.text.as_ptr() == src.as_ptr().wrapping_add(self.start) {
            return self.start + pos;
        }
        self.expanded_source_offset(src, pos)
    }

    /// [`Line::source_offset`] of a line docutils expanded: the original and the
    /// expanded text walked side by side.
    #[cold]
    fn expanded_source_offset(&self, src: &str, pos: usize) -> usize {
        let mut expanded_bytes = 0usize;
        let mut column = 0usize;
        for (i, c) in src[self.start..self.end].char_indices() {
            if expanded_bytes >= pos {
                return self.start + i;
            }
            let width = match c {
                '\t' => TAB_WIDTH - column % TAB_WIDTH,
                _ => 1,
            };
            column += width;
            expanded_bytes += match c {
                '\t' | '\u{b}' | '\u{c}' => width,
                _ => c.len_utf8(),
            };
        }
        self.end
    }
}

/// Python's `str.isspace()` (what `rstrip()`/`lstrip()`/`strip()` remove).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.rstrip()` as Python does it.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// Number of leading bytes `s.lstrip()` removes. (The usual line starts with visible
/// ASCII, which answers without looking further.)
pub fn leading_space_bytes(s: &str) -> usize {
    if s.as_bytes().first().is_some_and(u8::is_ascii_graphic) {
        return 0;
    }
    s.len() - s.trim_start_matches(is_py_space).len()
}

/// Number of leading characters `s.lstrip()` removes.
pub fn leading_space_chars(s: &str) -> usize {
    // the usual indentation: spaces, then an ASCII character that is not a space
    let spaces = leading_spaces(s.as_bytes());
    match s.as_bytes().get(spaces) {
        Some(&b) if b.is_ascii() && !is_py_space(char::from(b)) => spaces,
        None => spaces,
        Some(_) => s.chars().take_while(|&c| is_py_space(c)).count(),
    }
}

/// How many spaces `b` starts with: eight bytes at a time (an indentation is mostly
/// several, and a byte at a time cost 4 instructions each).
fn leading_spaces(b: &[u8]) -> usize {
    let mut n = 0;
    for w in b.chunks_exact(8) {
        let other = u64::from_le_bytes(w.try_into().expect("8 bytes")) ^ 0x2020_2020_2020_2020;
        if other != 0 {
            // the first byte that is not a space is the lowest that is not 0
            return n + other.trailing_zeros() as usize / 8;
        }
        n += 8;
    }
    n + b[n..].iter().take_while(|&&c| c == b' ').count()
}

/// Byte offset of the `n`-th character of `s` (or `s.len()` when shorter).
#[inline(always)]
pub fn char_to_byte(s: &str, n: usize) -> usize {
    // (asked for every line a block looks at, mostly with nothing stripped: inlined,
    // the usual answers take no call)
    let b = s.as_bytes();
    if n == 0 || (n <= b.len() && b[..n].is_ascii()) {
        return n;
    }
    nth_char_byte(s, n)
}

/// [`char_to_byte`] past non-ASCII characters (or the end).
#[cold]
fn nth_char_byte(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Number of characters in `s[..byte]`.
pub fn byte_to_char(s: &str, byte: usize) -> usize {
    let b = &s.as_bytes()[..byte];
    if b.is_ascii() {
        byte
    } else {
        s[..byte].chars().count()
    }
}

/// Length in bytes of the line break starting at `bytes[i]`, if one does: asked of a
/// byte other than `\n` (out of line: inlined, its cases came before the usual `\n` in
/// the split's loop, four instructions a line).
///
/// The `\r` of `\r\n` starts none: the `\n` ends the line, and the `\r`, whitespace,
/// is stripped from the line's end with the rest. So no byte after a line break's first
/// is one [`special_mask`] finds (U+0085, U+2028 and U+2029 continue with bytes from
/// 0x80): the split takes each it finds as it comes.
#[cold]
#[inline(never)]
fn line_break(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b'\n' | 0x1c..=0x1e => Some(1),
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => None,
        b'\r' => Some(1),
        0xc2 if bytes.get(i + 1) == Some(&0x85) => Some(2),
        0xe2 if bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
        {
            Some(3)
        }
        _ => None,
    }
}

/// docutils' text for a line whose right-stripped source `content` holds tabs,
/// vertical tabs or form feeds.
fn expanded_text(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 8);
    let mut column = 0usize;
    for c in content.chars() {
        match c {
            '\t' => {
                let n = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
            }
            '\u{b}' | '\u{c}' => {
                out.push(' ');
                column += 1;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    let len = rstrip(&out).len();
    out.truncate(len);
    out
}

/// Whether byte `b` may start a line break or need expanding: below 0x20, or
/// 0xC2/0xE2, which lead U+0085, U+2028 and U+2029.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn is_special(b: u8) -> bool {
    b < 0x20 || b == 0xc2 || b == 0xe2
}

/// The bytes of `chunk` [`is_special`] says may start a line break or need expanding,
/// as a bit mask (bit `k`: `chunk[k]`): with SSE2 on x86-64 (which every x86-64
/// processor has), byte by byte elsewhere.
#[inline(always)]
fn special_mask(chunk: &[u8; 16]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `chunk`
        // (unaligned loads allowed).
        unsafe {
            let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let low = _mm_set1_epi8(0x1f);
            // x <= 0x1f exactly where max(x, 0x1f) == 0x1f (unsigned)
            let control = _mm_cmpeq_epi8(_mm_max_epu8(x, low), low);
            let c2 = _mm_cmpeq_epi8(x, _mm_set1_epi8(0xc2_u8 as i8));
            let e2 = _mm_cmpeq_epi8(x, _mm_set1_epi8(0xe2_u8 as i8));
            _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(c2, e2))) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (chunk.iter().enumerate())
            .filter(|(_, b)| is_special(**b))
            .fold(0, |mask, (k, _)| mask | 1 << k)
    }
}

/// How many bytes [`special_block_mask`] looks at.
const BLOCK: usize = 64;

/// The bytes of `block` that [`special_mask`] finds, as a bit mask (bit `k`:
/// `block[k]`).
#[inline(always)]
fn special_block_mask(block: &[u8; BLOCK]) -> u64 {
    let mut mask = 0u64;
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let chunk: &[u8; 16] = chunk.try_into().expect("16 bytes");
        mask |= u64::from(special_mask(chunk)) << (16 * k);
    }
    mask
}

/// [`special_block_mask`], 32 bytes at a time.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn special_block_mask_avx2(block: &[u8; BLOCK]) -> u64 {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_max_epu8, _mm256_movemask_epi8,
        _mm256_or_si256, _mm256_set1_epi8,
    };
    let mut mask = 0u64;
    for (k, part) in block.chunks_exact(32).enumerate() {
        // SAFETY: AVX2 is there (the caller's promise); the load reads the 32 bytes of
        // `part` (unaligned loads allowed).
        let m = unsafe {
            let x = _mm256_loadu_si256(part.as_ptr().cast::<__m256i>());
            let low = _mm256_set1_epi8(0x1f);
            // x <= 0x1f exactly where max(x, 0x1f) == 0x1f (unsigned)
            let control = _mm256_cmpeq_epi8(_mm256_max_epu8(x, low), low);
            let c2 = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0xc2_u8 as i8));
            let e2 = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0xe2_u8 as i8));
            _mm256_movemask_epi8(_mm256_or_si256(control, _mm256_or_si256(c2, e2))) as u32
        };
        mask |= u64::from(m) << (32 * k);
    }
    mask
}

/// [`special_block_mask`] of the last bytes `bytes[at..end]` (fewer than 64), padded
/// with bytes that are not special.
#[cold]
fn special_tail_mask(bytes: &[u8], at: usize, end: usize) -> u64 {
    let mut block = [b'x'; BLOCK];
    block[..end - at].copy_from_slice(&bytes[at..end]);
    special_block_mask(&block)
}

/// The line of `src` from `start` to its line break at `brk`, the next line at `next`.
///
/// # Safety
/// `start <= brk <= src.len()`, both character boundaries of `src`.
#[inline(always)]
unsafe fn line(src: &str, start: usize, brk: usize, next: usize) -> Line<'_> {
    debug_assert!(start <= brk && src.is_char_boundary(start) && src.is_char_boundary(brk));
    // SAFETY: as the caller promises.
    let raw = unsafe { src.get_unchecked(start..brk) };
    // Fast path for the usual ASCII line end.
    let content = match raw.as_bytes().last() {
        Some(&b) if b.is_ascii_graphic() => raw,
        None => raw,
        _ => rstrip(raw),
    };
    Line {
        text: content,
        start,
        end: start + content.len(),
        next,
    }
}

/// Split `src` into docutils' lines; the text of a line docutils expands (tabs,
/// vertical tabs, form feeds) is kept in `expanded`.
pub fn split<'a>(src: &'a str, expanded: &'a mut Vec<String>) -> Vec<Line<'a>> {
    split_keeping(src, expanded, &[], 0..src.len(), &[], 0)
}

/// A line already split: its offsets (as [`Line`] has them) and whether docutils
/// expands it.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub next: usize,
    pub expands: bool,
}

impl Span {
    pub fn of(src: &str, line: &Line) -> Span {
        Span {
            start: line.start,
            end: line.end,
            next: line.next,
            expands: line.text.as_ptr() != src.as_ptr().wrapping_add(line.start),
        }
    }
}

/// [`split`], taking the lines before byte `middle.start` from `before` and the lines
/// from `middle.end` on from `after` moved by `shift` bytes (the lines of an earlier
/// text of the document that an edit left as they were): only `middle`, which starts
/// and ends at a line's start, is split again.
pub fn split_keeping<'a>(
    src: &'a str,
    expanded: &'a mut Vec<String>,
    before: &[Span],
    middle: std::ops::Range<usize>,
    after: &[Span],
    shift: isize,
) -> Vec<Line<'a>> {
    let bytes = src.as_bytes();
    // Sized at once: a document's lines are many, and growing copies them all. The
    // lines of a short middle (an edit's) are counted; a long one's are estimated
    // generously (counting them all costs more): one line per 12 bytes, where the
    // corpus's specs average 30 bytes a line and none under 15 (one per 32 made most of
    // them grow, copying all their lines, 0.74 M instructions over the corpus). The
    // room left over costs no work: the lines live as long as one parse.
    let breaks = if middle.len() <= 4096 {
        memchr::memchr_iter(b'\n', &bytes[middle.clone()]).count()
    } else {
        middle.len() / 12
    };
    let mut lines = Vec::with_capacity(before.len() + breaks + 1 + after.len());
    // Which lines docutils expands, in order.
    let mut expanding = Vec::new();
    let keep = |lines: &mut Vec<Line<'a>>, expanding: &mut Vec<usize>, spans: &[Span], by| {
        let first = lines.len();
        // (two passes: the lines are copied without a check of the room per line)
        lines.extend(spans.iter().map(|span| {
            // (the kept lines are lines of `src`: moved, they stay inside it)
            let start = span.start.wrapping_add_signed(by);
            let end = span.end.wrapping_add_signed(by);
            debug_assert!(src.is_char_boundary(start) && src.is_char_boundary(end) && start <= end);
            // SAFETY: a kept line is a line of the earlier text that lies, with its line
            // break, where the two texts are the same: its start and end are character
            // boundaries of the earlier text (where a line starts and where its content
            // ends), and the bytes there are the same in `src`, so they are boundaries of
            // `src` too. (Checking it, as slicing does, was a tenth of an edit's split.)
            let text = unsafe { src.get_unchecked(start..end) };
            Line {
                text,
                start,
                end,
                next: span.next.wrapping_add_signed(by),
            }
        }));
        expanding.extend(
            (spans.iter().enumerate())
                .filter(|(_, span)| span.expands)
                .map(|(k, _)| first + k),
        );
    };
    keep(&mut lines, &mut expanding, before, 0);
    split_middle(src, middle, &mut lines, &mut expanding);
    keep(&mut lines, &mut expanding, after, shift);
    expanded.extend(
        expanding
            .iter()
            .map(|&k| expanded_text(&src[lines[k].start..lines[k].end])),
    );
    let expanded: &'a [String] = expanded;
    for (&k, text) in expanding.iter().zip(expanded) {
        lines[k].text = text;
    }
    lines
}

/// The lines of `src[middle]` (which starts and ends where a line starts) pushed onto
/// `lines`, the indices of those docutils expands onto `expanding`, with AVX2 where the
/// processor has it (the bytes to look at found in fewer instructions: 0.5 M over the
/// corpus). (A function of its own: in [`split_keeping`], its loop lost its registers
/// to the code around it.)
#[inline(never)]
fn split_middle<'a>(
    src: &'a str,
    middle: std::ops::Range<usize>,
    lines: &mut Vec<Line<'a>>,
    expanding: &mut Vec<usize>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (asked just above).
        return unsafe { split_middle_avx2(src, middle, lines, expanding) };
    }
    split_middle_with(src, middle, lines, expanding, special_block_mask);
}

/// [`split_middle`] with the masks of [`special_block_mask_avx2`].
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn split_middle_avx2<'a>(
    src: &'a str,
    middle: std::ops::Range<usize>,
    lines: &mut Vec<Line<'a>>,
    expanding: &mut Vec<usize>,
) {
    // SAFETY: this runs with AVX2 (the caller's promise).
    let block_mask = |block: &[u8; BLOCK]| unsafe { special_block_mask_avx2(block) };
    split_middle_with(src, middle, lines, expanding, block_mask);
}

/// [`split_middle`], with `block_mask` giving the bytes of each 64 that
/// [`special_block_mask`] finds.
#[inline(always)]
fn split_middle_with<'a>(
    src: &'a str,
    middle: std::ops::Range<usize>,
    lines: &mut Vec<Line<'a>>,
    expanding: &mut Vec<usize>,
    block_mask: impl Fn(&[u8; BLOCK]) -> u64,
) {
    let bytes = src.as_bytes();
    assert!(src.is_char_boundary(middle.start) && src.is_char_boundary(middle.end));
    // Where the line being split starts.
    let mut start = middle.start;
    // Look at the bytes that may start a line break (or need expanding), found 64 at a
    // time (one mask for four chunks: the loop's own work is paid once per 64 bytes).
    let mut at = middle.start;
    while at < middle.end {
        let mut mask = match bytes.get(at..at + BLOCK) {
            Some(block) if at + BLOCK <= middle.end => {
                block_mask(block.try_into().expect("64 bytes"))
            }
            _ => special_tail_mask(bytes, at, middle.end),
        };
        while mask != 0 {
            let i = at + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let n = match bytes[i] {
                b'\n' => 1,
                _ => match line_break(bytes, i) {
                    Some(n) => n,
                    None => {
                        // docutils expands the line being split (which `lines.len()`
                        // will be): noted at its first such byte
                        if matches!(bytes[i], b'\t' | 0x0b | 0x0c)
                            && expanding.last() != Some(&lines.len())
                        {
                            expanding.push(lines.len());
                        }
                        continue;
                    }
                },
            };
            // SAFETY: `start` is where the middle starts or just past a line break
            // (after its last byte), `i` is where a line break starts (a byte below 0x20,
            // or 0xC2 or 0xE2, which lead a character): both are character boundaries,
            // and `start <= i` (no byte of a line break after its first is found, see
            // `line_break`).
            lines.push(unsafe { line(src, start, i, i + n) });
            start = i + n;
        }
        at += BLOCK;
    }
    if start < middle.end {
        // SAFETY: `start` as above, the middle's end a character boundary (asserted).
        lines.push(unsafe { line(src, start, middle.end, middle.end) });
    }
}

/// Whether docutils refuses to parse these lines (one is over the length limit): the
/// first such line.
///
/// Not every line is looked at. A line's text is at most 8 bytes for each byte of its
/// source (a tab expands to 8 spaces at most, nothing else grows), so only a line whose
/// source spans more than an eighth of the limit can be over it; and the lines follow
/// each other in the text, so of the lines that start within that span of a line's
/// start, all but the last end inside it. One line per span is looked at, found by a
/// binary search (looking at every line cost 0.11 M instructions more over the corpus).
pub fn over_length_limit(lines: &[Line]) -> Option<usize> {
    const SPAN: usize = LINE_LENGTH_LIMIT / TAB_WIDTH;
    let over =
        |l: &Line| l.text.len() > LINE_LENGTH_LIMIT && l.text.chars().count() > LINE_LENGTH_LIMIT;
    let mut k = 0;
    while k < lines.len() {
        let reach = lines[k].start + SPAN;
        // lines k..last start within the span and end before the next line starts
        let last = k + lines[k + 1..].partition_point(|l| l.start <= reach);
        if over(&lines[last]) {
            return Some(last);
        }
        k = last + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_small() {
        // One per line of the document: 1.3 million lines of a 9 MB worst case.
        assert!(std::mem::size_of::<Line>() <= 40);
    }

    fn texts(src: &str) -> Vec<String> {
        split(src, &mut Vec::new())
            .iter()
            .map(|l| l.text.to_string())
            .collect()
    }

    #[test]
    fn splits_like_python_splitlines() {
        assert_eq!(texts("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(texts("a\n"), ["a"]);
        assert_eq!(texts("a\n\n"), ["a", ""]);
        assert_eq!(texts("a\u{2028}b\u{85}c\u{1c}d"), ["a", "b", "c", "d"]);
        assert_eq!(texts(""), Vec::<String>::new());
    }

    #[test]
    fn every_special_byte_is_found_at_any_position() {
        // each byte value at each position of a chunk
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut chunk = [b'x'; 16];
                chunk[at] = b;
                let expected = if is_special(b) { 1 << at } else { 0 };
                assert_eq!(special_mask(&chunk), expected, "byte {b:#x} at {at}");
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_special_byte_is_found_at_any_position_with_avx2() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        // each byte value at each position of a block
        for b in 0..=255u8 {
            for at in 0..BLOCK {
                let mut block = [b'x'; BLOCK];
                block[at] = b;
                let expected = if is_special(b) { 1 << at } else { 0 };
                // SAFETY: the processor has AVX2 (asked above).
                let mask = unsafe { special_block_mask_avx2(&block) };
                assert_eq!(mask, expected, "byte {b:#x} at {at}");
            }
        }
    }

    proptest::proptest! {
        /// [`leading_space_bytes`], which stops at a first byte that is visible ASCII,
        /// is what Python's `lstrip()` removes: any text of spaces, tabs, Python's
        /// other whitespace and visible characters.
        #[test]
        fn leading_space_bytes_are_what_lstrip_removes(
            text in "[a. \t\u{b}\u{1c}\u{1f}\u{85}\u{a0}\u{2028}\u{3000}\u{e9}]{0,8}",
        ) {
            let stripped = text.trim_start_matches(is_py_space);
            proptest::prop_assert_eq!(leading_space_bytes(&text), text.len() - stripped.len());
        }

        /// The split with the masks every x86-64 processor has gives the lines the split
        /// this processor takes gives (with AVX2 where it has it): any text of line
        /// breaks, bytes docutils expands and other characters, over several blocks.
        #[test]
        fn the_split_is_the_same_whichever_masks_it_takes(
            text in "[a \t\r\n\u{b}\u{c}\u{1c}\u{85}\u{2028}\u{e9}]{0,300}",
        ) {
            let (mut taken, mut expanded) = (Vec::new(), Vec::new());
            split_middle(&text, 0..text.len(), &mut taken, &mut expanded);
            let (mut plain, mut plain_expanded) = (Vec::new(), Vec::new());
            split_middle_with(&text, 0..text.len(), &mut plain, &mut plain_expanded, special_block_mask);
            proptest::prop_assert_eq!(format!("{taken:?}"), format!("{plain:?}"));
            proptest::prop_assert_eq!(expanded, plain_expanded);
        }
    }

    #[test]
    fn breaks_are_found_at_any_position_of_a_word() {
        for pad in 0..140 {
            for brk in [
                "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{1e}",
            ] {
                let text = format!("{}{brk}\u{e9}\u{2027}y", "x".repeat(pad));
                let mut expanded = Vec::new();
                let lines = split(&text, &mut expanded);
                assert_eq!(lines.len(), 2, "{text:?}");
                assert_eq!(lines[0].end, pad);
                assert_eq!(lines[1].text, "\u{e9}\u{2027}y");
            }
        }
    }

    /// Python's `splitlines()` of a text without trailing whitespace, the plain way.
    fn splitlines(s: &str) -> Vec<String> {
        let (mut out, mut line) = (Vec::new(), String::new());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' | '\u{1c}'..='\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push(std::mem::take(&mut line));
                }
                _ => line.push(c),
            }
        }
        if !line.is_empty() {
            out.push(line);
        }
        out
    }

    #[test]
    fn breaks_side_by_side_are_found_at_any_position() {
        let breaks = ["\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{1c}", "\u{1e}"];
        for pad in 0..70 {
            for a in breaks {
                for b in breaks {
                    let text = format!("{}{a}{b}y{a}", "x".repeat(pad));
                    assert_eq!(texts(&text), splitlines(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn form_feed_and_vertical_tab_are_spaces_not_breaks() {
        assert_eq!(texts("a\u{c}b\u{b}c"), ["a b c"]);
    }

    #[test]
    fn tabs_expand_and_offsets_map_back() {
        let src = "\tab\t \n";
        let mut expanded = Vec::new();
        let lines = split(src, &mut expanded);
        assert_eq!(lines[0].text, "        ab");
        assert_eq!(lines[0].end, 3);
        assert_eq!(lines[0].source_offset(src, 8), 1);
        assert_eq!(lines[0].source_offset(src, 10), 3);
    }

    #[test]
    fn the_first_line_over_the_length_limit_is_found() {
        let long = |n: usize| "x".repeat(n);
        let check = |src: &str| {
            let mut expanded = Vec::new();
            let lines = split(src, &mut expanded);
            let every = lines.iter().position(|l| {
                l.text.len() > LINE_LENGTH_LIMIT && l.text.chars().count() > LINE_LENGTH_LIMIT
            });
            assert_eq!(over_length_limit(&lines), every, "{}", src.len());
        };
        for before in [0, 1, 5, 300, 2000] {
            for len in [1249, 1250, 1251, 9_999, 10_000, 10_001, 20_000] {
                let short = "ab\n".repeat(before);
                check(&format!("{short}{}\n{short}", long(len)));
                check(&format!("{short}{}x\n{short}", "\t".repeat(len / 8)));
                check(&format!("{short}{}\n{}", "\u{e9}".repeat(len), long(len)));
            }
        }
    }

    #[test]
    fn leading_spaces_are_counted_at_any_length() {
        for spaces in 0..20 {
            for rest in ["", "x", "\u{a0}", "x y", "abcdefghijklmnop"] {
                let s = format!("{}{rest}", " ".repeat(spaces));
                let expected = s.bytes().take_while(|&b| b == b' ').count();
                assert_eq!(leading_spaces(s.as_bytes()), expected, "{s:?}");
            }
        }
    }

    #[test]
    fn right_strips_unicode_whitespace() {
        let mut expanded = Vec::new();
        let lines = split("x\u{3000} \u{a0}\r\n", &mut expanded);
        assert_eq!(lines[0].text, "x");
        assert_eq!((lines[0].start, lines[0].end, lines[0].next), (0, 1, 9));
    }
}
