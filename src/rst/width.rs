//! docutils' `column_width`: the display width it compares with an adornment's length
//! (East Asian wide and full-width characters count 2, combining characters 0).
//!
//! The tables in `width_table.rs` were generated with Python's `unicodedata`:
//! `east_asian_width(c) in "WF"` and `combining(c) != 0` over all code points, merged
//! into ranges.

use super::width_table::{COMBINING, WIDE};

fn in_table(table: &[(u32, u32)], c: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The width docutils gives `text`: one column per character, two for wide ones, none
/// for combining ones.
pub fn column_width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    let mut width = 0usize;
    let mut combining = 0usize;
    for c in text.chars() {
        let code = c as u32;
        if code < 0x300 {
            width += 1;
            continue;
        }
        width += if in_table(WIDE, code) { 2 } else { 1 };
        if in_table(COMBINING, code) {
            combining += 1;
        }
    }
    width.saturating_sub(combining)
}

#[cfg(test)]
mod tests {
    use super::column_width;

    #[test]
    fn ascii_counts_bytes() {
        assert_eq!(column_width("Problem description"), 19);
    }

    #[test]
    fn wide_characters_count_two() {
        assert_eq!(column_width("仕様"), 4);
        assert_eq!(column_width("ＡＢ"), 4);
    }

    #[test]
    fn combining_characters_count_zero() {
        assert_eq!(column_width("e\u{301}"), 1);
        assert_eq!(column_width("é"), 1);
    }

    #[test]
    fn zero_width_space_counts_one() {
        // Python's unicodedata: U+200B is neutral width and not combining.
        assert_eq!(column_width("a\u{200B}b"), 3);
    }
}
