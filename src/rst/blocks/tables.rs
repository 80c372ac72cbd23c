//! Grid and simple tables: the lines docutils' `isolate_grid_table` and
//! `isolate_simple_table` consume, and whether the table is well formed.

use super::{Block, Parser};
use crate::rst::MessageKind;
use crate::rst::lines::is_py_space;
use crate::rst::patterns;
use crate::rst::width::column_width;

impl Parser<'_, '_> {
    /// A grid table from line `i` (`+---+`): docutils' `isolate_grid_table`.
    pub(super) fn grid_table(&mut self, b: Block, i: usize) -> usize {
        let mut end = i;
        while end < b.end {
            let t = self.text(b, end);
            if t.is_empty() || (end > i && t.starts_with(' ')) {
                break;
            }
            end += 1;
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
        let mut next = end;
        let mut ok = true;
        if !patterns::grid_table_top(stripped(self, end - 1)) {
            match (i + 2..end - 1)
                .rev()
                .find(|&k| patterns::grid_table_top(stripped(self, k)))
            {
                Some(k) => {
                    end = k + 1;
                    next = k - 1;
                }
                None => ok = false,
            }
        }
        let width = column_width(stripped(self, i));
        ok = ok
            && (i..end).all(|k| {
                let s = stripped(self, k);
                column_width(s) == width && matches!(s.as_bytes().last(), Some(b'+' | b'|'))
            });
        if b.titles {
            // A malformed table is an error message.
            self.tree.node(ok);
        }
        if next != end || self.next_text(b, end - 1).is_some_and(|t| !t.is_empty()) {
            if b.titles {
                self.tree.node(false);
            }
            let message = "Blank line required after table.";
            self.body_message(MessageKind::Indentation, 2, b, end, message);
        }
        next
    }

    /// A simple table from line `i` (`=== ===`): docutils' `isolate_simple_table`.
    pub(super) fn simple_table(&mut self, b: Block, i: usize) -> usize {
        let (next, ok) = self.isolate_simple_table(b, i);
        if b.titles {
            // A malformed table is an error message.
            self.tree.node(ok);
        }
        self.unindent(b, next, "Blank line required after table.", |_| false)
    }

    /// docutils' `check_columns`: no text in the margins between the columns the top
    /// border (line `top`) defines, on the rows up to the bottom border `bottom` (the
    /// last column may overflow to the right).
    pub(super) fn simple_table_margins_clear(&self, b: Block, top: usize, bottom: usize) -> bool {
        let border: Vec<bool> = self.text(b, top).chars().map(|c| c == '=').collect();
        let in_margin = |col: usize| {
            // Between two columns: a space in the border with a column on the right.
            col < border.len() && !border[col] && border[col..].contains(&true)
        };
        (top + 1..bottom).all(|k| {
            let line = self.text(b, k);
            if patterns::simple_table_border(line)
                || line.starts_with('-') && line.bytes().all(|c| c == b'-' || c == b' ')
            {
                return true;
            }
            line.chars()
                .enumerate()
                .all(|(col, c)| c == ' ' || !in_margin(col))
        })
    }

    /// The line after a simple table from line `i`, and whether it is well formed.
    pub(super) fn isolate_simple_table(&self, b: Block, i: usize) -> (usize, bool) {
        let top_len = self.text(b, i).trim().chars().count();
        let limit = b.end - 1;
        let mut found = 0;
        let mut found_at = i;
        for k in i + 1..=limit {
            let t = self.text(b, k);
            if patterns::simple_table_border(t) {
                if t.trim().chars().count() != top_len {
                    return (k + 1, false);
                }
                found += 1;
                found_at = k;
                if found == 2 || k == limit || self.text(b, k + 1).is_empty() {
                    return (k + 1, self.simple_table_margins_clear(b, i, k));
                }
            }
        }
        (if found > 0 { found_at + 1 } else { b.end }, false)
    }
}
