//! The content of a table's cells, parsed as docutils parses it (`tableparser` and
//! `build_table_row`): each cell's lines, cut out at its columns, right-stripped and
//! dedented (`get_2D_block`), are a nested body of their own.
//!
//! docutils numbers a cell's lines one too far: it hands the nested parse the table's
//! first line number where the parse counts from a line offset ("TODO: why is
//! abs_line_number() == srcline+1 if the error is in a table", its `states.py`). A
//! message placed by the state machine's count lands on the line below its own; one
//! placed from the line itself ("Unexpected indentation." after a paragraph, and
//! "Unexpected section title.", placed by its source line, which the title's line is
//! there) and the names and references (placed by their paragraph's source line) land
//! on their line.

use std::collections::BTreeSet;
use std::ops::Range;

use super::tables::{Cells, columns};
use super::{Block, MAX_DEPTH, Parser};
use crate::rst::inline;
use crate::rst::lines::{Line, is_py_space};
use crate::rst::reuse::{Effect, Shift};
use crate::rst::width::{is_combining, is_wide};

/// One cell: for each of its lines (consecutive lines of the text), the line and the
/// byte range of the block's view of it that the cell holds.
pub(super) struct Cell {
    pub first: usize,
    pub spans: Vec<Range<usize>>,
}

/// The byte offset in `line` where padded column `col` starts as docutils slices a
/// table's line (wide characters take two columns, combining ones none, a column in a
/// wide character's second half starts after it); the line's length past its end.
fn column_byte(line: &str, col: usize) -> usize {
    if line.is_ascii() {
        return col.min(line.len());
    }
    let mut at = 0;
    for (i, c) in line.char_indices() {
        if is_combining(c) {
            continue;
        }
        if at >= col {
            return i;
        }
        at += if is_wide(c) { 2 } else { 1 };
    }
    line.len()
}

/// docutils' `get_2D_block` of `lines` (the block's views of consecutive lines from
/// `first`) between padded columns `from` and `to` (`None`: to the end of each line):
/// each line's part right-stripped, then all dedented by the least indentation of the
/// lines holding text. `None` when no line holds text (docutils parses no such cell).
fn cut(first: usize, lines: &[&str], from: usize, to: Option<usize>) -> Option<Cell> {
    let mut spans: Vec<Range<usize>> = lines
        .iter()
        .map(|line| {
            let start = column_byte(line, from);
            let end = to.map_or(line.len(), |to| column_byte(line, to)).max(start);
            let kept = line[start..end].trim_end_matches(is_py_space);
            start..start + kept.len()
        })
        .collect();
    let indent = (lines.iter().zip(&spans))
        .map(|(line, span)| &line[span.clone()])
        .filter(|part| !part.is_empty())
        .map(|part| part.chars().take_while(|&c| is_py_space(c)).count())
        .min()?;
    for (line, span) in lines.iter().zip(&mut spans) {
        let part = &line[span.clone()];
        let skip: usize = part.chars().take(indent).map(char::len_utf8).sum();
        span.start += skip;
    }
    Some(Cell { first, spans })
}

/// `\+=[=+]+=\+ *$`: a grid table's head/body separator.
fn is_head_body_separator(line: &str) -> bool {
    let b = line.trim_end_matches(' ').as_bytes();
    b.len() >= 5
        && b[0] == b'+'
        && b[1] == b'='
        && b[b.len() - 2] == b'='
        && b[b.len() - 1] == b'+'
        && b[1..b.len() - 1].iter().all(|&c| c == b'=' || c == b'+')
}

/// Whether a simple table's line is a border or column-span underline (docutils turns
/// the `=` borders into `-` ones, then matches `-[ -]*$`).
fn is_span(line: &str) -> bool {
    let b = line.as_bytes();
    matches!(b.first(), Some(b'-' | b'=')) && b.iter().all(|&c| c == b' ' || c == b[0])
}

/// A grid table's lines as docutils scans them: each a row of characters, a wide one
/// followed by a pad, the `=` of the head/body separator made `-`.
struct Grid(Vec<Vec<char>>);

impl Grid {
    fn at(&self, row: usize, col: usize) -> char {
        self.0[row].get(col).copied().unwrap_or(' ')
    }

    /// docutils' `scan_cell` from the top-left corner (`top`, `left`): the bottom-right
    /// corner of the cell, if its borders close.
    fn scan_cell(&self, top: usize, left: usize) -> Option<(usize, usize)> {
        let (last_row, last_col) = (self.0.len() - 1, self.0[0].len() - 1);
        for right in left + 1..=last_col {
            match self.at(top, right) {
                '+' => {
                    if let Some(bottom) = self.scan_down(top, left, right, last_row) {
                        return Some((bottom, right));
                    }
                }
                '-' => {}
                _ => return None,
            }
        }
        None
    }

    /// docutils' `scan_down`, `scan_left` and `scan_up`.
    fn scan_down(&self, top: usize, left: usize, right: usize, last_row: usize) -> Option<usize> {
        for bottom in top + 1..=last_row {
            match self.at(bottom, right) {
                '+' => {
                    let closes = (left + 1..right).all(|c| matches!(self.at(bottom, c), '+' | '-'))
                        && self.at(bottom, left) == '+'
                        && (top + 1..bottom).all(|r| matches!(self.at(r, left), '+' | '|'));
                    if closes {
                        return Some(bottom);
                    }
                }
                '|' => {}
                _ => return None,
            }
        }
        None
    }
}

/// A cell's corners in a grid table: top row, left column, bottom row, right column.
type Corners = (usize, usize, usize, usize);

/// The cells of a grid table (docutils' `parse_table`); `None` when their borders leave
/// part of the table out (docutils' "parse incomplete").
fn grid_cells(grid: &Grid) -> Option<Vec<Corners>> {
    let (last_row, last_col) = (grid.0.len() - 1, grid.0[0].len() - 1);
    // docutils' `done`: the last text row seen of each column (-1: none yet)
    let mut done = vec![-1; grid.0[0].len()];
    let mut corners = BTreeSet::from([(0, 0)]);
    let mut cells = Vec::new();
    while let Some((top, left)) = corners.pop_first() {
        if top == last_row || left == last_col || top as isize <= done[left] {
            continue;
        }
        let Some((bottom, right)) = grid.scan_cell(top, left) else {
            continue;
        };
        for d in &mut done[left..right] {
            *d = bottom as isize - 1;
        }
        cells.push((top, left, bottom, right));
        corners.extend([(top, right), (bottom, left)]);
    }
    done[..last_col]
        .iter()
        .all(|&d| d == last_row as isize - 1)
        .then_some(cells)
}

impl<'s, const RECORDS: bool> Parser<'s, '_, RECORDS> {
    /// The cells of a grid table whose lines `top..end` of block `b` have its shape:
    /// docutils' `GridTableParser`, or where and why it finds the table malformed.
    pub(super) fn grid_table_cells(
        &self,
        b: Block,
        top: usize,
        end: usize,
    ) -> Result<Vec<Cell>, (usize, String)> {
        let views: Vec<&str> = (top..end).map(|j| self.text(b, j)).collect();
        if views.iter().any(|v| v.chars().any(is_combining)) {
            return Ok(Vec::new()); // (docutils miscounts their columns: left alone)
        }
        let mut separators = Vec::new();
        let rows = (views.iter().enumerate())
            .map(|(n, v)| {
                let separator = is_head_body_separator(v);
                if separator {
                    separators.push(n);
                }
                let mut row = Vec::with_capacity(v.len());
                for c in v.chars() {
                    row.push(if separator && c == '=' { '-' } else { c });
                    if is_wide(c) {
                        row.push('\0');
                    }
                }
                row
            })
            .collect();
        if let [first, second, ..] = separators[..] {
            let detail = format!(
                "Multiple head/body row separators (table lines {} and {}); only one allowed.",
                first + 1,
                second + 1
            );
            return Err((top + second, detail));
        }
        if separators
            .first()
            .is_some_and(|&s| s == 0 || s == views.len() - 1)
        {
            let detail =
                "The head/body row separator may not be the first or last line of the table.";
            return Err((end - 1, detail.to_owned()));
        }
        let grid = Grid(rows);
        let detail = "Malformed table; parse incomplete.";
        let cells = grid_cells(&grid).ok_or_else(|| (top, detail.to_owned()))?;
        Ok((cells.into_iter())
            .filter_map(|(t, l, bottom, r)| cut(top + t + 1, &views[t + 1..bottom], l + 1, Some(r)))
            .collect())
    }

    /// The cells of a simple table, lines `top..=bottom` of block `b`, or where and why
    /// it is malformed: docutils' `SimpleTableParser.parse_table`, row by row
    /// (`parse_row`): a column span underline must end where the top border does
    /// (`parse_columns`), no text may stand in a margin between columns (`check_columns`;
    /// text past the last column widens it, for the rows after too), and a span's
    /// columns must start and end where the border's do (`init_row`).
    pub(super) fn simple_table_cells(
        &self,
        b: Block,
        top: usize,
        bottom: usize,
    ) -> Result<Vec<Cell>, (usize, String)> {
        let mut border = columns(self.text(b, top));
        let (Some(&first_col), Some(&(_, border_end))) = (border.first(), border.last()) else {
            return Ok(Vec::new());
        };
        let table_line = |k: usize| k - top + 1;
        let mut cells = Vec::new();
        let mut row = |cells: &mut Vec<Cell>, lines: Range<usize>, span: Option<usize>| {
            let mut spanned = match span {
                None => border.clone(),
                Some(k) => {
                    let mut spanned = columns(self.text(b, k));
                    if spanned.last().is_none_or(|c| c.1 != border_end) {
                        let detail =
                            format!("Column span incomplete in table line {}.", table_line(k));
                        return Err((k, detail));
                    }
                    if let (Some(last), Some(border_last)) = (spanned.last_mut(), border.last()) {
                        last.1 = border_last.1;
                    }
                    spanned
                }
            };
            let views: Vec<&str> = lines.clone().map(|j| self.text(b, j)).collect();
            // (columns as the margin check counts them, made once per line)
            let counted: Vec<Cells> = views.iter().map(|view| Cells::new(view, false)).collect();
            let last = spanned.len() - 1;
            for n in 0..spanned.len() {
                let (from, to) = spanned[n];
                let next_from = spanned.get(n + 1).map_or(usize::MAX, |c| c.0);
                for (k, line) in lines.clone().zip(&counted) {
                    if n == last && line.has_text((to, usize::MAX)) {
                        let text_end = line.text_end().max(from);
                        let border_last = border.last_mut().expect("a border has a column");
                        spanned[n].1 = border_last.1.max(text_end);
                        border_last.1 = border_last.1.max(text_end);
                    } else if line.has_text((to, next_from)) {
                        let detail =
                            format!("Text in column margin in table line {}.", table_line(k));
                        return Err((k, detail));
                    }
                }
            }
            // each span starts at a border column's start and ends at one's end
            let mut at = 0;
            for &(from, to) in &spanned {
                let aligned = border.get(at).is_some_and(|c| c.0 == from) && {
                    while border.get(at).is_some_and(|c| c.1 != to) {
                        at += 1;
                    }
                    at < border.len()
                };
                if !aligned {
                    let detail = format!(
                        "Column span alignment problem in table line {}.",
                        table_line(lines.start) + 1
                    );
                    return Err((lines.start + 1, detail));
                }
                at += 1;
            }
            for (n, &(from, to)) in spanned.iter().enumerate() {
                let to = (n < last).then_some(to);
                cells.extend(cut(lines.start, &views, from, to));
            }
            Ok(())
        };
        let (mut start, mut text_found) = (top + 1, false);
        for k in top + 1..=bottom {
            let line = self.text(b, k);
            if is_span(line) {
                row(&mut cells, start..k, Some(k))?;
                (start, text_found) = (k + 1, false);
            } else if Cells::new(line, true).has_text(first_col) {
                if text_found && k != start {
                    row(&mut cells, start..k, None)?;
                }
                (start, text_found) = (k, true);
            } else if !text_found {
                start = k + 1;
            }
        }
        Ok(cells)
    }

    /// Whether `cell` (of a table in block `b`) is one line of plain words, which
    /// docutils parses without a message: a paragraph (or a one-item enumerated list)
    /// with nothing that could start inline markup and no `::`. Most cells are; they
    /// are not parsed.
    fn cell_is_plain(&self, b: Block, cell: &Cell) -> bool {
        let mut parts = (cell.spans.iter().enumerate())
            .map(|(n, span)| &self.text(b, cell.first + n)[span.clone()])
            .filter(|part| !part.is_empty());
        let (Some(part), None) = (parts.next(), parts.next()) else {
            return false;
        };
        part.chars().next().is_some_and(char::is_alphanumeric)
            && !part.ends_with("::")
            && !inline::may_hold_markup(part)
    }

    /// Parse each of `cells` (of a table in block `b`) as a nested body, as docutils
    /// does, with what it finds moved to the lines docutils gives it.
    pub(super) fn parse_cells(&mut self, b: Block, cells: &[Cell]) {
        if b.depth + 1 >= MAX_DEPTH {
            return;
        }
        for cell in cells {
            if self.cell_is_plain(b, cell) {
                continue;
            }
            let lines: Vec<Line<'s>> = (cell.spans.iter().enumerate())
                .map(|(n, span)| {
                    let i = cell.first + n;
                    let line = &self.lines[i];
                    let view = self.view_start(b, i);
                    let bytes = view + span.start..view + span.end;
                    Line {
                        text: &line.text[bytes.clone()],
                        start: line.source_offset(self.src, bytes.start),
                        end: line.source_offset(self.src, bytes.end),
                        next: line.next,
                    }
                })
                .collect();
            let joined = std::mem::take(&mut self.joined);
            let mut inner = Parser::<'s, '_, false>::with_buffer(self.src, &lines, 0, joined);
            inner.kept = Some(Vec::new());
            inner.body(Block {
                start: 0,
                end: lines.len(),
                first: 0,
                rest: 0,
                titles: false,
                depth: b.depth + 1,
            });
            self.joined = std::mem::take(&mut inner.joined);
            for mut effect in inner.kept.take().unwrap_or_default() {
                let below = match &effect {
                    Effect::Node(_) | Effect::DocumentStartNode | Effect::Title(_) => continue,
                    Effect::Message(m) => {
                        m.text != "Unexpected indentation." && m.text != "Unexpected section title."
                    }
                    _ => false,
                };
                effect.shift(Shift::lines(cell.first + usize::from(below)));
                if let Effect::Message(m) = &mut effect {
                    m.elsewhere |= below;
                }
                self.effect(effect);
            }
        }
    }
}
