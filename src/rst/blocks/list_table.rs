//! The shape docutils' `list-table` checks in its content (`check_list_content`): one
//! uniform two-level bullet list, every row with as many items as the first; then the
//! widths, header rows and stub columns its options ask for.

use super::{Block, Parser};
use crate::rst::lines::leading_space_chars;
use crate::rst::options::width_entries;
use crate::rst::patterns;

/// The items of one bullet list written at indentation 0 of `lines` (the views of a
/// block): how many there are, or `None` when the lines are not just that list (no
/// line, another construct, or a second list with another bullet).
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

/// What a `list-table`'s options ask of its shape.
pub(super) struct Shape<'a> {
    /// The `widths` option's value (one docutils takes).
    pub widths: Option<&'a str>,
    pub header_rows: u64,
    pub stub_columns: u64,
}

impl<const RECORDS: bool> Parser<'_, '_, RECORDS> {
    /// docutils' error for a `list-table` whose content is not one bullet list, whose
    /// rows are not each one bullet list with as many items as the first, whose
    /// `widths` are not one for each column, or that has no row or column left for its
    /// body after the header rows and stub columns (in docutils' order:
    /// `check_list_content`, then `check_table_dimensions`); `Ok` when none.
    pub(super) fn list_table_columns(
        &self,
        block: Block,
        lines: impl Iterator<Item = usize>,
        name: &str,
        shape: Shape,
    ) -> Result<(), String> {
        let views: Vec<&str> = lines.map(|k| self.text(block, k)).collect();
        let error = |what: String| {
            format!("Error parsing content block for the \"{name}\" directive: {what}.")
        };
        let Some(_) = items(&views) else {
            return Err(error("exactly one bullet list expected".into()));
        };
        let rows = split_items(&views);
        let mut columns = None;
        for (index, row) in rows.iter().enumerate() {
            // A second-level item's continuation lines are indented under it: the
            // row's first line holds the marker, the rest keep the item's indentation.
            let Some(n) = items(row) else {
                return Err(error(format!(
                    "two-level bullet list expected, but row {} does not contain a second-level bullet list",
                    index + 1
                )));
            };
            match columns {
                None => columns = Some(n),
                Some(c) if c != n => {
                    return Err(error(format!(
                        "uniform two-level bullet list expected, but row {} does not contain the same number of items as row 1 ({n} vs {c})",
                        index + 1
                    )));
                }
                Some(_) => {}
            }
        }
        let Some(columns) = columns else {
            return Ok(());
        };
        widths_match(name, shape.widths, columns)?;
        let (rows, header, stub) = (rows.len() as u64, shape.header_rows, shape.stub_columns);
        let columns = columns as u64;
        if rows < header {
            return Err(format!(
                "{header} header row(s) specified but only {rows} row(s) of data supplied (\"{name}\" directive)."
            ));
        }
        if rows == header && header > 0 {
            return Err(format!(
                "Insufficient data supplied ({rows} row(s)); no data remaining for table body, required by \"{name}\" directive."
            ));
        }
        if columns < stub {
            return Err(format!(
                "{stub} stub column(s) specified but only {columns} columns(s) of data supplied (\"{name}\" directive)."
            ));
        }
        if columns == stub && stub > 0 {
            return Err(format!(
                "Insufficient data supplied ({columns} columns(s)); no data remaining for table body, required by \"{name}\" directive."
            ));
        }
        Ok(())
    }
}

/// docutils' error for a table directive whose `widths` are not one for each of its
/// `columns`.
pub(super) fn widths_match(name: &str, widths: Option<&str>, columns: usize) -> Result<(), String> {
    match widths.and_then(width_count) {
        Some(w) if w != columns => Err(format!(
            "\"{name}\" widths do not match the number of columns in table ({columns})."
        )),
        _ => Ok(()),
    }
}

/// How many widths a `widths` option docutils takes gives (its `positive_int_list`:
/// [`width_entries`]); `None` for `auto` and `grid`.
fn width_count(value: &str) -> Option<usize> {
    match value {
        "auto" | "grid" => None,
        _ => Some(width_entries(value).count()),
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
