//! The shape docutils' `list-table` checks in its content (`check_list_content`): a
//! uniform two-level bullet list, every row with as many items as the first.

use super::{Block, Parser};
use crate::rst::lines::leading_space_chars;
use crate::rst::patterns;

/// The items of one bullet list written at indentation 0 of `lines` (the views of a
/// block): how many there are, or `None` when the lines are not just that list (then
/// nothing is reported here: docutils' other messages cover it).
fn items(lines: &[&str]) -> Option<usize> {
    let first = lines.iter().find(|t| !t.is_empty())?;
    patterns::bullet(first)?;
    let bullet = first.chars().next();
    let mut count = 0;
    for t in lines
        .iter()
        .filter(|t| !t.is_empty() && !t.starts_with(' '))
    {
        if patterns::bullet(t).is_none() || t.chars().next() != bullet {
            return None;
        }
        count += 1;
    }
    Some(count)
}

/// Each item of the bullet list in `lines`: its lines with the marker and the item's
/// indentation taken off.
fn split_items<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut rows: Vec<Vec<&'a str>> = Vec::new();
    let mut indent = 0;
    for t in lines {
        if !t.is_empty() && !t.starts_with(' ') {
            let m = patterns::bullet(t).unwrap_or(0);
            indent = m;
            rows.push(vec![&t[m..]]);
        } else if let Some(row) = rows.last_mut() {
            let strip = leading_space_chars(t).min(indent);
            row.push(&t[strip..]);
        }
    }
    rows
}

impl<const RECORDS: bool> Parser<'_, '_, RECORDS> {
    /// docutils' error for a `list-table` whose rows do not all have as many items as
    /// the first; `None` when they do (or the content is not a two-level list at all).
    pub(super) fn ragged_list_table(
        &self,
        block: Block,
        lines: impl Iterator<Item = usize>,
        name: &str,
    ) -> Option<String> {
        let views: Vec<&str> = lines.map(|k| self.text(block, k)).collect();
        items(&views)?;
        let rows = split_items(&views);
        let mut columns = None;
        for (index, row) in rows.iter().enumerate() {
            // A second-level item's continuation lines are indented under it: the
            // row's first line holds the marker, the rest keep the item's indentation.
            let n = items(row)?;
            match columns {
                None => columns = Some(n),
                Some(c) if c != n => {
                    return Some(format!(
                        "Error parsing content block for the \"{name}\" directive: uniform two-level bullet list expected, but row {} does not contain the same number of items as row 1 ({n} vs {c}).",
                        index + 1
                    ));
                }
                Some(_) => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_items() {
        let lines = ["* - a", "  - b", "* - c", "", "  - d", "* - e"];
        assert_eq!(items(&lines), Some(3));
        let rows = split_items(&lines);
        assert_eq!(rows.len(), 3);
        assert_eq!(items(&rows[0]), Some(2));
        assert_eq!(items(&rows[1]), Some(2));
        assert_eq!(items(&rows[2]), Some(1));
        assert_eq!(items(&["para", "* - a"]), None);
    }
}
