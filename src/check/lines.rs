//! Line rules, as the upstream checks apply them: the file is read with universal
//! newlines, so lines end at `\n`, `\r\n` or a lone `\r` and are measured in characters
//! without their line end. `line-too-long`: over `max-line-length` (79), except the
//! configured exemptions (Trove's default: lines with more than one `/`, lines whose
//! first non-blank is `+` or `|`, lines containing `<% $`, and four more characters for
//! lines indented four spaces; nova's: literal blocks - the lines after a line containing
//! `::` while they stay blank or start with a space -, URLs, lines without whitespace).
//! Trailing whitespace means spaces (or, configured, any whitespace) before the line's
//! end. Carriage returns pass upstream, so they are one warning per file with a fix; a
//! tab in a line's indentation, an invisible character and a missing final newline are
//! doc8's and nova's extra rules.

use std::cell::OnceCell;

use super::{Code, Cx, Edit, FindingData, Fix, Fixes};
use crate::config::{Exemption, Trailing};
use crate::rst::Line;

pub(super) fn check(cx: &mut Cx) {
    let text = cx.text;
    let long = cx.on(Code::LineTooLong);
    let trailing = cx.on(Code::TrailingWhitespace);
    let tabs = cx.on(Code::TabIndentation);
    let literal_blocks = cx
        .config
        .line_exemptions
        .contains(&Exemption::LiteralBlocks);
    let limit = cx.config.max_line_length;
    // a line's first or last byte that is visible ASCII rules out whitespace there
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    // (the text is searched for a `\r` at most once, for both rules that ask)
    let cr = OnceCell::new();
    let first_cr = || *cr.get_or_init(|| memchr::memchr(b'\r', text.as_bytes()));
    // the usual case: only the long lines and the spaces before a line end matter, and
    // both are found without looking at every line's text: in the parse's lines, where
    // each ends at a `\n` (then the text has no `\r`), or a text without `\r` at a time
    // (one of short lines, see `SHORT_LINE`, or without the parse's lines)
    let usual_rules = !(literal_blocks || tabs || cx.config.trailing != Trailing::Spaces);
    let over = if long { limit } else { usize::MAX };
    let parsed = (cx.lines)
        .filter(|lines| usual_rules && (long || trailing) && text.len() >= SHORT_LINE * lines.len())
        .and_then(|lines| spans_of_lines(text.as_bytes(), lines, over));
    if let Some(found) = parsed {
        cr.set(None).expect("not looked for yet");
        for span in found {
            report_span(cx, span, trailing);
        }
    } else if usual_rules && first_cr().is_none() {
        if long || trailing {
            spans(text.as_bytes(), over, |span| {
                report_span(cx, span, trailing)
            });
        }
    } else {
        let mut in_literal = false;
        for (start, line) in normalized_lines(text) {
            let mut exempt = false;
            if literal_blocks {
                if in_literal && (line.is_empty() || line.starts_with(' ')) {
                    exempt = true;
                } else {
                    in_literal = line.contains("::");
                }
            }
            // (bytes never outnumber characters)
            if long && !exempt && line.len() > limit {
                too_long(cx, start, line);
            }
            if trailing && !line.is_empty() && !visible(line.as_bytes().last()) {
                trailing_whitespace(cx, start, line);
            }
            if tabs && !visible(line.as_bytes().first()) {
                tab_indentation(cx, start, line);
            }
        }
    }
    if cx.on(Code::CarriageReturn) {
        carriage_returns(cx, first_cr());
    }
    if cx.on(Code::InvisibleCharacter) {
        invisible_characters(cx);
    }
    // as doc8's D005: the last line ends with "\n" or "\r"
    if cx.on(Code::MissingFinalNewline) && !text.is_empty() && !text.ends_with(['\n', '\r']) {
        cx.report(
            Code::MissingFinalNewline,
            text.len()..text.len(),
            "no newline at the end of the file: add one",
            FindingData::default(),
            vec![Fix {
                title: "Add a final newline".into(),
                edits: vec![Edit {
                    range: text.len()..text.len(),
                    new_text: "\n".into(),
                }],
            }],
        );
    }
}

/// nova's `re.match(r"\s*[^\s]+$", line)`: some text, and no whitespace after the
/// indentation (a line of spaces only is not exempt).
fn no_whitespace(line: &str) -> bool {
    let text = line.trim_start();
    !text.is_empty() && !text.contains(char::is_whitespace)
}

/// A line of more bytes than the limit: reported if it has more characters too.
fn too_long(cx: &mut Cx, start: usize, line: &str) {
    let limit = cx.config.max_line_length;
    let exempt = |e: Exemption| cx.config.line_exemptions.contains(&e);
    let limit = if exempt(Exemption::IndentedFour) && line.starts_with("    ") {
        limit + 4
    } else {
        limit
    };
    let first = line.trim_start().chars().next();
    if (exempt(Exemption::Paths) && memchr::memchr_iter(b'/', line.as_bytes()).nth(1).is_some())
        || (exempt(Exemption::Tables) && matches!(first, Some('+' | '|')))
        || (exempt(Exemption::YaqlExpressions) && contains_at(line, b'<', "<% $"))
        || (exempt(Exemption::Urls) && (line.contains("http://") || line.contains("https://")))
        || (exempt(Exemption::NoWhitespace) && no_whitespace(line))
    {
        return;
    }
    // (the usual long line is ASCII: a byte is a character)
    let (over, chars) = if line.is_ascii() {
        if line.len() <= limit {
            return;
        }
        (limit, line.len())
    } else {
        let Some((over, _)) = line.char_indices().nth(limit) else {
            return;
        };
        (over, limit + line[over..].chars().count())
    };
    let range = start + over..start + line.len();
    if !cx.room(Code::LineTooLong, &range) {
        return;
    }
    cx.report(
        Code::LineTooLong,
        range,
        format!("line is {chars} characters long, over the limit of {limit}: wrap it"),
        FindingData::default(),
        Fixes::None,
    );
}

/// Whether `line` contains `needle`, which starts with the byte `first`: looked for
/// where that byte is (a short line's `contains` prepares a searcher first).
fn contains_at(line: &str, first: u8, needle: &str) -> bool {
    debug_assert_eq!(needle.as_bytes().first(), Some(&first));
    let bytes = line.as_bytes();
    memchr::memchr_iter(first, bytes).any(|i| bytes[i..].starts_with(needle.as_bytes()))
}

/// A line longer than the limit in bytes, reported if it has more characters too, or
/// (with `trailing`) the spaces at the end of a line.
fn report_span(cx: &mut Cx, span: Span, trailing: bool) {
    let text = cx.text;
    match span {
        Span::Long(start, end) => too_long(cx, start, &text[start..end]),
        Span::Trailing(end) if trailing => {
            let spaces = (text.as_bytes()[..end].iter().rev())
                .take_while(|&&b| b == b' ')
                .count();
            report_trailing(cx, end - spaces..end);
        }
        Span::Trailing(_) => {}
    }
}

/// What [`spans`] and [`spans_of_lines`] find: each kind in the order of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    /// A line longer than the limit: its start and its end (before its `\n`).
    Long(usize, usize),
    /// The end (its `\n`, or the text's end) of a line that ends with a space.
    Trailing(usize),
}

/// Bytes per line, on average, under which a text is searched for its long lines and
/// its spaces before a line end rather than its parse's lines read: reading a line costs
/// about as many instructions as searching 20 bytes (a spec's lines average 30 bytes,
/// the 10,000-line spec of `examples/keystroke.rs` 15).
const SHORT_LINE: usize = 20;

/// What [`spans`] finds in `bytes`, a text, read from the parse's `lines` of it instead,
/// in the order of the lines: `None` if a line ends otherwise than at a `\n` with no `\r`
/// before it (or, the last, at the text's end), where Python's universal newlines would
/// split the text differently. (Each `\r` ends a docutils line, or comes just before the
/// `\n` that does, stripped from the line's end: with `Some`, the text has none.)
fn spans_of_lines(bytes: &[u8], lines: &[Line], limit: usize) -> Option<Vec<Span>> {
    let mut found = Vec::new();
    for line in lines {
        // where the line break starts
        let end = match bytes[line.next - 1] {
            b'\n' => line.next - 1,
            // (the last bytes of the other line breaks docutils splits at)
            b'\r' | 0x1c..=0x1e | 0x85 | 0xa8 | 0xa9 => return None,
            _ if line.next == bytes.len() => line.next,
            _ => return None,
        };
        if end - line.start > limit {
            found.push(Span::Long(line.start, end));
        }
        // (the line's content ends where its break starts, but for stripped whitespace)
        if line.end != end {
            match bytes[end - 1] {
                b' ' => found.push(Span::Trailing(end)),
                b'\r' => return None,
                _ => {}
            }
        }
    }
    Some(found)
}

/// Bytes per chunk of [`spans`].
const CHUNK: usize = 64;

/// Call `found` with each line of `bytes` (a text without `\r`) longer than `limit`
/// bytes and the end of each line that ends with a space, in one pass: the line feeds
/// and the spaces are found 64 bytes at a time, with AVX2 where the processor has it.
fn spans(bytes: &[u8], limit: usize, found: impl FnMut(Span)) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (asked just above).
        return unsafe { spans_avx2(bytes, limit, found) };
    }
    spans_with(bytes, limit, found, masks);
}

/// [`spans`] with the masks of [`masks_avx2`] (the same as [`masks`]'s, found in half
/// the instructions).
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn spans_avx2(bytes: &[u8], limit: usize, found: impl FnMut(Span)) {
    // SAFETY: this runs with AVX2 (the caller's promise).
    spans_with(bytes, limit, found, |chunk| unsafe { masks_avx2(chunk) });
}

/// [`spans`], with `masks` giving the line feeds and spaces of each chunk. A line between
/// two line feeds of one chunk is at most `CHUNK - 2` bytes long, so, over such a limit,
/// only the first line feed of a chunk can end a long line, and a chunk costs the same
/// however many lines it holds (a search per window of `limit` bytes costs more to set
/// up than to run); a line that ends with a space is a line feed with a space before it.
#[inline(always)]
fn spans_with(
    bytes: &[u8],
    limit: usize,
    mut found: impl FnMut(Span),
    masks: impl Fn(&[u8]) -> (u64, u64),
) {
    // the start of the line the next line feed ends
    let mut start = 0;
    let mut chunks = bytes.chunks_exact(CHUNK);
    // (whether the byte before the chunk is a space)
    let (mut at, mut space_before) = (0, 0);
    for chunk in &mut chunks {
        let (feeds, spaces) = masks(chunk);
        let trailing = feeds & (spaces << 1 | space_before);
        space_before = spaces >> (CHUNK - 1);
        // the usual chunk: no line ending in it with a space, or over the limit (which
        // only its first line feed can end), found without a call that would keep the
        // loop's state in memory
        let first = at + feeds.trailing_zeros() as usize;
        if trailing == 0 && limit >= CHUNK - 2 && (feeds == 0 || first - start <= limit) {
            if feeds != 0 {
                start = at + (CHUNK - feeds.leading_zeros() as usize);
            }
        } else {
            chunk_spans((at, feeds, trailing), &mut start, limit, &mut found);
        }
        at += CHUNK;
    }
    for i in memchr::memchr_iter(b'\n', chunks.remainder()) {
        line_end(at + i, &mut start, limit, &mut found);
        if at + i > 0 && bytes[at + i - 1] == b' ' {
            found(Span::Trailing(at + i));
        }
    }
    line_end(bytes.len(), &mut start, limit, &mut found);
    if bytes.ends_with(b" ") {
        found(Span::Trailing(bytes.len()));
    }
}

/// What [`spans_with`] finds in the chunk at `at`, with these `feeds` and `trailing`
/// spaces before them: out of the loop, which then keeps its state in registers.
#[cold]
#[inline(never)]
fn chunk_spans(
    (at, mut feeds, mut trailing): (usize, u64, u64),
    start: &mut usize,
    limit: usize,
    found: &mut impl FnMut(Span),
) {
    if feeds != 0 && limit >= CHUNK - 2 {
        line_end(at + feeds.trailing_zeros() as usize, start, limit, found);
        *start = at + (CHUNK - feeds.leading_zeros() as usize);
    } else {
        while feeds != 0 {
            line_end(at + feeds.trailing_zeros() as usize, start, limit, found);
            feeds &= feeds - 1;
        }
    }
    while trailing != 0 {
        found(Span::Trailing(at + trailing.trailing_zeros() as usize));
        trailing &= trailing - 1;
    }
}

/// A line that starts at `start` ends at `end`: found if longer than `limit`; the next
/// one starts after it.
fn line_end(end: usize, start: &mut usize, limit: usize, found: &mut impl FnMut(Span)) {
    if end - *start > limit {
        found(Span::Long(*start, end));
    }
    *start = end + 1;
}

/// The line feeds and the spaces of a 64-byte chunk, one bit each (bit `i`: byte `i`):
/// on x86-64 with SSE2, which every x86-64 processor has.
fn masks(chunk: &[u8]) -> (u64, u64) {
    debug_assert_eq!(chunk.len(), CHUNK);
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        let (mut feeds, mut spaces) = (0u64, 0u64);
        for (i, part) in chunk.chunks_exact(16).enumerate() {
            // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `part`
            // (unaligned loads allowed).
            let (f, s) = unsafe {
                let x = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
                (
                    _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\n' as i8))),
                    _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8))),
                )
            };
            feeds |= u64::from(f as u16) << (16 * i);
            spaces |= u64::from(s as u16) << (16 * i);
        }
        (feeds, spaces)
    }
    #[cfg(not(target_arch = "x86_64"))]
    chunk.iter().enumerate().fold((0, 0), |(f, s), (i, &b)| {
        (
            f | u64::from(b == b'\n') << i,
            s | u64::from(b == b' ') << i,
        )
    })
}

/// [`masks`], 32 bytes at a time.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn masks_avx2(chunk: &[u8]) -> (u64, u64) {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8,
    };
    debug_assert_eq!(chunk.len(), CHUNK);
    let (mut feeds, mut spaces) = (0u64, 0u64);
    for (i, part) in chunk.chunks_exact(32).enumerate() {
        // SAFETY: AVX2 is there (the caller's promise); the load reads the 32 bytes of
        // `part` (unaligned loads allowed).
        let (f, s) = unsafe {
            let x = _mm256_loadu_si256(part.as_ptr().cast::<__m256i>());
            (
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(b'\n' as i8))),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(b' ' as i8))),
            )
        };
        feeds |= u64::from(f as u32) << (32 * i);
        spaces |= u64::from(s as u32) << (32 * i);
    }
    (feeds, spaces)
}

fn trailing_whitespace(cx: &mut Cx, start: usize, line: &str) {
    let kept = match cx.config.trailing {
        Trailing::Spaces => line.trim_end_matches(' '),
        Trailing::Any => line.trim_end_matches(python_space),
    };
    if kept.len() == line.len() {
        return;
    }
    report_trailing(cx, start + kept.len()..start + line.len());
}

fn report_trailing(cx: &mut Cx, range: std::ops::Range<usize>) {
    if !cx.room(Code::TrailingWhitespace, &range) {
        return;
    }
    cx.report(
        Code::TrailingWhitespace,
        range,
        "trailing whitespace: remove it",
        FindingData::default(),
        Fixes::Delete("Remove trailing whitespace"),
    );
}

/// Whether Python's `\s` matches `c` (doc8's regular expressions): Unicode white space,
/// and the separators U+001C..U+001F besides.
fn python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// doc8's D003: a tab in the line's leading whitespace.
fn tab_indentation(cx: &mut Cx, start: usize, line: &str) {
    let indent = line.len() - line.trim_start_matches(python_space).len();
    if let Some(tab) = line[..indent].find('\t') {
        cx.report(
            Code::TabIndentation,
            start + tab..start + indent,
            "tab in the indentation: indent with spaces",
            FindingData::default(),
            Fixes::None,
        );
    }
}

/// One finding per invisible character, each with a fix that deletes it.
fn invisible_characters(cx: &mut Cx) {
    let (text, invisible) = (cx.text, &cx.config.invisible);
    // the first bytes of their encodings (the default's are three): where to look
    let mut leads: Vec<u8> = invisible
        .iter()
        .map(|c| c.encode_utf8(&mut [0; 4]).as_bytes()[0])
        .collect();
    leads.sort_unstable();
    leads.dedup();
    let at = |i: usize| text[i..].chars().next().map(|c| (i, c));
    let found: Vec<(usize, char)> = match leads[..] {
        [] => Vec::new(),
        [a] => memchr::memchr_iter(a, text.as_bytes())
            .filter_map(at)
            .collect(),
        [a, b] => memchr::memchr2_iter(a, b, text.as_bytes())
            .filter_map(at)
            .collect(),
        [a, b, c] => memchr::memchr3_iter(a, b, c, text.as_bytes())
            .filter_map(at)
            .collect(),
        _ => text.char_indices().collect(),
    };
    let found: Vec<(usize, char)> = found
        .into_iter()
        .filter(|(_, c)| invisible.contains(c))
        .collect();
    for (at, c) in found {
        let range = at..at + c.len_utf8();
        cx.report(
            Code::InvisibleCharacter,
            range,
            format!("invisible character U+{:04X}: remove it", c as u32),
            FindingData::default(),
            Fixes::DeleteCharacter,
        );
    }
}

/// Each line's start offset and its text without the line end, as Python's universal
/// newlines split them (`\n`, `\r\n` and a lone `\r` end a line).
pub(super) fn normalized_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    // the usual text has no `\r`: then each line end is one search for one byte
    let cr = memchr::memchr(b'\r', bytes).is_some();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let rest = &bytes[start..];
        let end = if cr {
            memchr::memchr2(b'\n', b'\r', rest)
        } else {
            memchr::memchr(b'\n', rest)
        };
        let Some(i) = end else {
            done = true;
            return Some((start, &text[start..]));
        };
        let crlf = rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n');
        let item = (start, &text[start..start + i]);
        start += i + if crlf { 2 } else { 1 };
        Some(item)
    })
}

/// One finding at the `first` `\r`, if any, counting them all; its fix turns CRLF and CR
/// line endings into LF.
fn carriage_returns(cx: &mut Cx, first: Option<usize>) {
    let Some(first) = first else {
        return;
    };
    let n = memchr::memchr_iter(b'\r', &cx.text.as_bytes()[first..]).count();
    let plural = if n == 1 { "" } else { "s" };
    cx.report(
        Code::CarriageReturn,
        first..first + 1,
        format!("{n} carriage return{plural} (\\r): use LF line endings"),
        FindingData::default(),
        Fixes::LineEndings,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::template::Template;
    use proptest::prelude::*;

    /// The line findings of `text` under the configuration `toml`, in order.
    fn line_findings(text: &str, toml: &str) -> Vec<super::super::Finding> {
        let config = Config::from_toml(toml, std::path::Path::new("/r/trove-spec-lsp.toml"));
        let config = config.unwrap();
        let (outline, template) = (crate::rst::parse(text), Template::builtin());
        let mut cx = Cx::new(text, &outline, &template, &config);
        check(&mut cx);
        let mut found: Vec<_> = (cx.finish().into_iter())
            .filter(|f| matches!(f.code, Code::LineTooLong | Code::TrailingWhitespace))
            .collect();
        found.sort_by_key(|f| (f.range.start, f.range.end, f.code));
        found
    }

    proptest! {
        /// Long lines and trailing spaces found without splitting every line (the usual
        /// configuration) are the ones found line by line (with tabs checked too).
        #[test]
        fn the_usual_lines_are_found_as_line_by_line(
            text in "[a /\u{e9}\t\n]{0,300}",
            limit in 1usize..12,
        ) {
            let usual = format!("max-line-length = {limit}");
            let every = format!("{usual}\n[severity]\ntab-indentation = \"error\"");
            prop_assert_eq!(line_findings(&text, &usual), line_findings(&text, &every));
        }
    }

    proptest! {
        /// A long line is measured in characters, and its finding starts at the first
        /// character over the limit, ASCII or not.
        #[test]
        fn long_lines_are_measured_in_characters(
            text in "[a \u{e9}\u{65e5}\n]{0,200}",
            limit in 1usize..12,
        ) {
            let found = line_findings(&text, &format!("max-line-length = {limit}"));
            let mut expected = Vec::new();
            for (start, line) in normalized_lines(&text) {
                let chars = line.chars().count();
                // (trove's exemption: four more for a line indented four spaces)
                let limit = limit + if line.starts_with("    ") { 4 } else { 0 };
                if let Some((over, _)) = line.char_indices().nth(limit) {
                    let message = format!(
                        "line is {chars} characters long, over the limit of {limit}: wrap it"
                    );
                    expected.push((start + over..start + line.len(), message));
                }
            }
            let found: Vec<_> = (found.iter())
                .filter(|f| f.code == Code::LineTooLong)
                .map(|f| (f.range.clone(), f.message.to_string()))
                .collect();
            prop_assert_eq!(found, expected);
        }
    }

    proptest! {
        /// The long lines and the lines ending with a space found a chunk at a time
        /// (with SSE2, and with AVX2 where the processor has it) are those found line
        /// by line, at limits under and over a chunk's length.
        #[test]
        fn spans_are_the_long_lines_and_the_trailing_spaces(
            lines in prop::collection::vec((0usize..150, 0usize..3), 0..40),
            limit in 0usize..140,
        ) {
            let text: String = (lines.iter())
                .map(|&(n, spaces)| "a".repeat(n) + &" ".repeat(spaces) + "\n")
                .collect();
            let text = &text[..text.len().saturating_sub(lines.len() % 2)];
            let mut expected = Vec::new();
            for (start, line) in normalized_lines(text) {
                if line.len() > limit {
                    expected.push(Span::Long(start, start + line.len()));
                }
                if line.ends_with(' ') {
                    expected.push(Span::Trailing(start + line.len()));
                }
            }
            let by_kind = |mut spans: Vec<Span>| {
                spans.sort_by_key(|s| matches!(s, Span::Trailing(_)));
                spans
            };
            let expected = by_kind(expected);
            let mut found = Vec::new();
            spans_with(text.as_bytes(), limit, |s| found.push(s), masks);
            prop_assert_eq!(by_kind(found), expected.clone());
            let mut found = Vec::new();
            spans(text.as_bytes(), limit, |s| found.push(s));
            prop_assert_eq!(by_kind(found), expected);
        }
    }

    /// Texts of pieces of at least `min` characters, each mostly ending a line at a `\n`,
    /// now and then at another line break (`\r\n`, `\r`, or one universal newlines do
    /// not split at) or not at all.
    fn texts(min: usize) -> impl Strategy<Value = String> {
        let text = format!("[a \t\u{e9}]{{{min},{}}}", min + 30);
        let piece = (proptest::string::string_regex(&text).unwrap(), 0..60u8);
        prop::collection::vec(piece, 0..10).prop_map(|pieces| {
            let ending = |kind| match kind {
                0 => "\r\n",
                1 => "\r",
                2 => "\u{1c}",
                3 => "\u{85}",
                4 => "\u{2028}",
                5 => "",
                _ => "\n",
            };
            (pieces.into_iter())
                .map(|(text, kind)| text + ending(kind))
                .collect()
        })
    }

    proptest! {
        /// The spans read from the parse's lines are those found in the text, where the
        /// lines tell them: a text without `\r` whose lines end at a `\n` (the last but
        /// for one ending in a byte that ends another line break).
        #[test]
        fn spans_of_the_parse_lines_are_those_of_the_text(
            text in texts(0),
            limit in 0usize..12,
        ) {
            let mut expanded = Vec::new();
            let (_, lines) = crate::rst::parse_lines(&text, &mut expanded);
            let usual = !text.contains(['\r', '\u{1c}', '\u{85}', '\u{2028}']);
            let Some(of_lines) = spans_of_lines(text.as_bytes(), &lines, limit) else {
                let ends_like_a_break = text.ends_with('\u{e9}');
                prop_assert!(!usual || ends_like_a_break);
                return Ok(());
            };
            prop_assert!(!text.contains('\r'));
            let mut found = Vec::new();
            spans(text.as_bytes(), limit, |s| found.push(s));
            let by_kind = |mut spans: Vec<Span>| {
                spans.sort_by_key(|s| matches!(s, Span::Trailing(_)));
                spans
            };
            prop_assert_eq!(by_kind(of_lines), by_kind(found));
        }
    }

    proptest! {
        /// The findings of a check given the parse's lines are those of one without.
        #[test]
        fn the_findings_are_the_same_given_the_lines(
            text in texts(SHORT_LINE),
            limit in 1usize..40,
        ) {
            let toml = format!("max-line-length = {limit}");
            let config = Config::from_toml(&toml, std::path::Path::new("/r/x.toml")).unwrap();
            let template = Template::builtin();
            let mut expanded = Vec::new();
            let (outline, lines) = crate::rst::parse_lines(&text, &mut expanded);
            let spec = crate::Mode::Spec;
            let given = (&outline, Some(&lines[..]));
            prop_assert_eq!(
                super::super::run(&text, given, &template, &config, spec, None, true),
                super::super::run(&text, (&outline, None), &template, &config, spec, None, true)
            );
        }
    }

    #[test]
    fn yaql_expressions_are_found_as_contains_finds_them() {
        for line in [
            "<% $x %>",
            "a <%$ b <% $",
            "<%",
            "",
            "<<% $",
            "% $",
            "\u{e9}<% $",
        ] {
            assert_eq!(
                contains_at(line, b'<', "<% $"),
                line.contains("<% $"),
                "{line}"
            );
        }
    }

    #[test]
    fn over_the_cap_the_last_line_is_counted_either_way() {
        let text = "a line far too long for the limit  \n".repeat(1200);
        let usual = "max-line-length = 20";
        let every = "max-line-length = 20\n[severity]\ntab-indentation = \"error\"";
        let found = line_findings(&text, usual);
        // 1000 of each code, and one more per code counting the rest
        assert_eq!(found.len(), 2002);
        assert_eq!(found, line_findings(&text, every));
    }

    #[test]
    fn lines_end_as_with_universal_newlines() {
        fn lines(t: &str) -> Vec<(usize, &str)> {
            normalized_lines(t).collect()
        }
        assert_eq!(lines(""), [(0, "")]);
        assert_eq!(lines("a\nbc\n"), [(0, "a"), (2, "bc"), (5, "")]);
        assert_eq!(lines("a\r\nb\rc"), [(0, "a"), (3, "b"), (5, "c")]);
        assert_eq!(
            lines("long line of text\n\nend"),
            [(0, "long line of text"), (18, ""), (19, "end")]
        );
    }
}
