//! LSP positions into a ropey buffer: an LSP `Position` in the negotiated encoding to a
//! char index of the rope. Out-of-range positions are clamped (a line past the end to the
//! end of the text, a column past the line's end to the end of the line, a column inside
//! a character to that character's start); LSP line breaks are `\n`, `\r\n` and `\r`,
//! exactly ropey's with `cr_lines`. Also an LSP position to a byte offset of an analysed
//! text (what the engine's features take). And a document's URI to a local path, when it
//! names one.

use std::path::PathBuf;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Uri};

use super::documents::Analyzed;
use crate::text::{Encoding, LineCol};

/// The local file a `file:` URI names; `None` for any other scheme (`untitled:`,
/// `https:`, ...), whose path says nothing about this machine's files.
pub fn local_path(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme().as_str();
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    let path = uri.to_file_path()?.into_owned();
    path.is_absolute().then_some(path)
}

/// The char index of `pos` in `rope`, clamped.
pub fn char_index(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let end = line_content_end(rope, line);
    let col = pos.character as usize;
    match enc {
        Encoding::Utf8 => {
            let start_byte = rope.char_to_byte(start);
            let byte = start_byte.saturating_add(col).min(rope.char_to_byte(end));
            // the char containing `byte`: a column inside a character clamps to its start
            rope.byte_to_char(byte)
        }
        Encoding::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(start);
            let cu = start_cu.saturating_add(col).min(rope.char_to_utf16_cu(end));
            rope.utf16_cu_to_char(cu)
        }
        Encoding::Utf32 => start.saturating_add(col).min(end),
    }
}

/// The char index where line `line`'s content ends (before its line break).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let next = if line + 1 < rope.len_lines() {
        rope.line_to_char(line + 1)
    } else {
        return rope.len_chars();
    };
    let mut end = next;
    if end > 0 && rope.char(end - 1) == '\n' {
        end -= 1;
    }
    if end > 0 && rope.char(end - 1) == '\r' && end > rope.line_to_char(line) {
        end -= 1;
    }
    end
}

/// The byte offset of `pos` in an analysed text (clamped, as `LineIndex::offset`).
pub fn offset(analyzed: &Analyzed, pos: Position, enc: Encoding) -> usize {
    let at = LineCol {
        line: pos.line,
        col: pos.character,
    };
    analyzed.index.offset(&analyzed.text, at, enc)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::text::{LineCol, LineIndex};

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn encodings_clamping_and_line_breaks() {
        let rope = Rope::from_str("aé😀b\r\nx\ry\n");
        let b = 3; // chars: a é 😀 b
        assert_eq!(char_index(&rope, at(0, 7), Encoding::Utf8), b);
        assert_eq!(char_index(&rope, at(0, 4), Encoding::Utf16), b);
        assert_eq!(char_index(&rope, at(0, 3), Encoding::Utf32), b);
        // inside é (utf-8) and inside the surrogate pair (utf-16): the character's start
        assert_eq!(char_index(&rope, at(0, 2), Encoding::Utf8), 1);
        assert_eq!(char_index(&rope, at(0, 3), Encoding::Utf16), 2);
        // past the line's end: before "\r\n"; lines split at "\r" too
        assert_eq!(char_index(&rope, at(0, 99), Encoding::Utf16), 4);
        assert_eq!(char_index(&rope, at(1, 9), Encoding::Utf8), 7);
        assert_eq!(char_index(&rope, at(2, 0), Encoding::Utf8), 8);
        // the empty last line, and past the end
        assert_eq!(
            char_index(&rope, at(3, 5), Encoding::Utf8),
            rope.len_chars()
        );
        assert_eq!(
            char_index(&rope, at(9, 0), Encoding::Utf8),
            rope.len_chars()
        );
    }

    /// Text made of pieces that stress conversions: multi-byte characters, surrogate
    /// pairs and every LSP line break.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec!["a", "é", "中", "😀", "\n", "\r\n", "\r", " "]);
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    fn encoding() -> impl Strategy<Value = Encoding> {
        prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])
    }

    proptest! {
        /// The rope conversion agrees with the engine's line index (an independent
        /// implementation) for every position, in range or not.
        #[test]
        fn agrees_with_line_index(text in tricky_text(), line in 0u32..12, col in 0u32..30, enc in encoding()) {
            let rope = Rope::from_str(&text);
            let index = LineIndex::new(&text);
            let char_idx = char_index(&rope, Position { line, character: col }, enc);
            let byte = rope.char_to_byte(char_idx);
            prop_assert_eq!(byte, index.offset(&text, LineCol { line, col }, enc));
        }
    }
}
