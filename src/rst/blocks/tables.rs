//! Grid and simple tables: the lines docutils' `isolate_grid_table` and
//! `isolate_simple_table` consume, and whether the table is well formed.

use super::{Block, Parser};
use crate::rst::MessageKind;
use crate::rst::lines::is_py_space;
use crate::rst::patterns;
use crate::rst::width::{column_width, is_combining, is_wide};

impl<const RECORDS: bool> Parser<'_, '_, RECORDS> {
    /// A grid table from line `i` (`+---+`): docutils' `isolate_grid_table`.
    pub(super) fn grid_table(&mut self, b: Block, i: usize) -> usize {
        let mut end = i;
        let mut indented = false;
        while end < b.end {
            let t = self.text(b, end);
            if t.is_empty() {
                break;
            }
            if end > i && t.starts_with(' ') {
                indented = true;
                break;
            }
            end += 1;
        }
        if indented {
            // `get_text_block(flush_left=True)` stops at an indented line.
            self.unexpected_indentation(b, end);
        }
        let stripped = |p: &Self, j: usize| p.text(b, j).trim_matches(is_py_space);
        if let Some(k) =
            (i..end).find(|&k| !matches!(stripped(self, k).as_bytes().first(), Some(b'+' | b'|')))
        {
            end = k;
        }
        // Parsing resumes after the table, except that when docutils has to look for
        // the bottom border above the last line it backs up one line too many and
        // resumes at the line before that border.
        // (with no bottom border found, docutils takes the table as not ended by a
        // blank line, whatever follows)
        let mut next = end;
        let (mut ok, mut no_bottom) = (true, false);
        if !patterns::grid_table_top(stripped(self, end - 1)) {
            match (i + 2..end - 1)
                .rev()
                .find(|&k| patterns::grid_table_top(stripped(self, k)))
            {
                Some(k) => {
                    end = k + 1;
                    next = k - 1;
                }
                None => (ok, no_bottom) = (false, true),
            }
        }
        let width = column_width(stripped(self, i));
        ok = ok
            && (i..end).all(|k| {
                let s = stripped(self, k);
                column_width(s) == width && matches!(s.as_bytes().last(), Some(b'+' | b'|'))
            });
        let cells = match ok {
            true => self.grid_table_cells(b, i, end).map_err(Some),
            false => Err(None),
        };
        if b.titles {
            // A malformed table is an error message.
            self.node(cells.is_ok());
        }
        self.last_table = Some((i, cells.is_ok(), next));
        match cells {
            Ok(cells) => self.parse_cells(b, &cells),
            Err(None) => self.malformed_table(b, i, i..end, None),
            Err(Some((line, detail))) => self.malformed_table(b, line, i..end, Some(&detail)),
        }
        if next != end || no_bottom || self.next_text(b, end - 1).is_some_and(|t| !t.is_empty()) {
            if b.titles {
                self.node(false);
            }
            let message = "Blank line required after table.";
            self.body_message(MessageKind::Indentation, 2, b, next, message);
        }
        next
    }

    /// A simple table from line `i` (`=== ===`): docutils' `isolate_simple_table`.
    pub(super) fn simple_table(&mut self, b: Block, i: usize) -> usize {
        let (next, isolated) = self.isolate_simple_table(b, i);
        let cells = isolated.and_then(|bottom| self.simple_table_cells(b, i, bottom));
        if b.titles {
            // A malformed table is an error message.
            self.node(cells.is_ok());
        }
        let ok = cells.is_ok();
        match cells {
            Ok(cells) => self.parse_cells(b, &cells),
            Err((line, detail)) => self.malformed_table(b, line, i..next, Some(&detail)),
        }
        let resume = self.unindent(b, next, "Blank line required after table.", |_| false);
        self.last_table = Some((i, ok, resume));
        resume
    }

    /// docutils' `malformed_table`: "Malformed table." and its detail, on line `line`
    /// (where the range starts), up to the end of the table's lines `lines`; past them,
    /// on its own.
    fn malformed_table(
        &mut self,
        b: Block,
        line: usize,
        lines: std::ops::Range<usize>,
        detail: Option<&str>,
    ) {
        let text = match detail {
            Some(detail) => format!("Malformed table. {detail}"),
            None => "Malformed table.".to_owned(),
        };
        if line >= lines.end {
            // (an empty last row's misaligned bottom border: the line after the table)
            return self.body_message(MessageKind::Table, 3, b, line, &text);
        }
        let range = self.range(b, line, lines.end.max(line + 1));
        self.message(MessageKind::Table, 3, line + 1, range, &text);
    }

    /// The line after a simple table from line `i`, and its bottom border's line, or
    /// where and why docutils' `isolate_simple_table` finds none.
    fn isolate_simple_table(&self, b: Block, i: usize) -> (usize, Result<usize, (usize, String)>) {
        let top_len = self.text(b, i).trim().chars().count();
        let limit = b.end - 1;
        let mut found = 0;
        let mut found_at = i;
        for k in i + 1..=limit {
            let t = self.text(b, k);
            if patterns::simple_table_border(t) {
                if t.trim().chars().count() != top_len {
                    let detail = "Bottom/header table border does not match top border.";
                    return (k + 1, Err((i, detail.to_owned())));
                }
                found += 1;
                found_at = k;
                if found == 2 || k == limit || self.text(b, k + 1).is_empty() {
                    return (k + 1, Ok(k));
                }
            }
        }
        let detail = if found > 0 {
            "No bottom table border found or no blank line after table bottom."
        } else {
            "No bottom table border found."
        };
        let next = if found > 0 { found_at + 1 } else { b.end };
        (next, Err((i, detail.to_owned())))
    }
}

/// How many columns docutils gives the table whose first line is the first of `lines`
/// (its `tgroup`'s `cols`): for a simple table, the runs of `=` in its top border; for
/// a grid table, the column boundaries (`+`) on any of its border lines, less one.
/// `None` when the first line starts no table.
pub(super) fn table_columns<'a>(mut lines: impl Iterator<Item = &'a str>) -> Option<usize> {
    let top = lines.next()?;
    if patterns::simple_table_top(top) {
        return Some(columns(top).len());
    }
    if !patterns::grid_table_top(top) {
        return None;
    }
    let mut boundaries = Vec::new();
    let borders = std::iter::once(top).chain(lines.take_while(|l| !l.is_empty()));
    for border in borders.filter(|l| l.starts_with('+')) {
        for (col, c) in border.chars().enumerate() {
            if c == '+' && !boundaries.contains(&col) {
                boundaries.push(col);
            }
        }
    }
    Some(boundaries.len().saturating_sub(1))
}

/// docutils' `parse_columns`: the (begin, end) character columns of the runs of
/// non-space characters in a border or column-span underline.
pub(super) fn columns(line: &str) -> Vec<(usize, usize)> {
    let mut cols = Vec::new();
    let mut begin = None;
    let mut len = 0;
    for (col, c) in line.chars().enumerate() {
        match (c == ' ', begin) {
            (false, None) => begin = Some(col),
            (true, Some(start)) => {
                cols.push((start, col));
                begin = None;
            }
            _ => {}
        }
        len = col + 1;
    }
    if let Some(start) = begin {
        cols.push((start, len));
    }
    cols
}

/// A line of a simple table as docutils' table parser counts its columns: one per
/// character, and one more (its pad character, `'\0'`, which is no space) after each
/// East Asian wide or full-width character (`pad_double_width`). Its check of the
/// margins drops the combining characters first (`strip_combining_chars`); its test
/// for a new row does not.
pub(super) enum Cells<'a> {
    /// An ASCII line: its bytes are its columns.
    Ascii(&'a [u8]),
    Chars(Vec<char>),
}

impl<'a> Cells<'a> {
    pub(super) fn new(line: &'a str, combining: bool) -> Cells<'a> {
        if line.is_ascii() {
            return Cells::Ascii(line.as_bytes());
        }
        let mut cells = Vec::with_capacity(line.len());
        for c in line.chars().filter(|&c| combining || !is_combining(c)) {
            cells.push(c);
            if is_wide(c) {
                cells.push('\0');
            }
        }
        Cells::Chars(cells)
    }

    /// Whether columns `from..to` hold anything but spaces (Python's `strip()`).
    pub(super) fn has_text(&self, (from, to): (usize, usize)) -> bool {
        fn within<T>(cells: &[T], from: usize, to: usize) -> &[T] {
            cells.get(from..to.min(cells.len())).unwrap_or_default()
        }
        match self {
            Cells::Ascii(bytes) => within(bytes, from, to)
                .iter()
                .any(|&b| !is_py_space(b.into())),
            Cells::Chars(chars) => within(chars, from, to).iter().any(|&c| !is_py_space(c)),
        }
    }

    /// The column after the last that holds anything but a space (0 for none).
    pub(super) fn text_end(&self) -> usize {
        match self {
            Cells::Ascii(bytes) => bytes.iter().rposition(|&b| !is_py_space(b.into())),
            Cells::Chars(chars) => chars.iter().rposition(|&c| !is_py_space(c)),
        }
        .map_or(0, |at| at + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::Cells;
    use proptest::prelude::*;

    proptest! {
        /// An ASCII line's bytes answer as its characters do.
        #[test]
        fn ascii_cells_are_its_characters(
            line in "[ a-z\t\x0b\x0c\x1c-\x1f|=-]{0,30}",
            from in 0usize..35,
            to in 0usize..35,
        ) {
            let chars = Cells::Chars(line.chars().collect());
            let ascii = Cells::new(&line, false);
            prop_assert!(matches!(ascii, Cells::Ascii(_)));
            prop_assert_eq!(ascii.has_text((from, to)), chars.has_text((from, to)));
        }
    }

    #[test]
    fn wide_characters_are_padded_and_combining_ones_dropped_when_asked() {
        let Cells::Chars(cells) = Cells::new("漢a\u{301}", false) else {
            panic!("not ASCII")
        };
        assert_eq!(cells, ['漢', '\0', 'a']);
        let Cells::Chars(cells) = Cells::new("漢a\u{301}", true) else {
            panic!("not ASCII")
        };
        assert_eq!(cells, ['漢', '\0', 'a', '\u{301}']);
    }
}
