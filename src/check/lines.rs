//! Line rules, as upstream CI (trove-specs `tests/test_titles.py`) applies them: lines
//! are split at `\n` only and measured in characters; the limit is `max-line-length`
//! (79), four more for lines indented four spaces; lines with more than one `/`, lines
//! whose first non-blank is `+` or `|` (tables) and lines containing `<% $` are exempt.
//! Trailing whitespace means spaces before the line's end; any `\r` is a carriage return.

use super::{Code, Cx, Edit, FindingData, Fix};

pub(super) fn check(cx: &mut Cx) {
    let text = cx.text;
    let limit = cx.config.max_line_length;
    let (long, trailing) = (cx.on(Code::LineTooLong), cx.on(Code::TrailingWhitespace));
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    let mut start = 0;
    for end in ends {
        let line = &text[start..end];
        if long && line.len() > limit {
            too_long(cx, start, line, limit);
        }
        if trailing && line.ends_with(' ') {
            let spaces = line.len() - line.trim_end_matches(' ').len();
            let range = start + line.len() - spaces..start + line.len();
            if !cx.room(Code::TrailingWhitespace, &range) {
                start = end + 1;
                continue;
            }
            cx.report(
                Code::TrailingWhitespace,
                range.clone(),
                "trailing whitespace: remove it".into(),
                FindingData::default(),
                vec![Fix {
                    title: "Remove trailing whitespace".into(),
                    edits: vec![Edit {
                        range,
                        new_text: String::new(),
                    }],
                }],
            );
        }
        start = end + 1;
    }
    if cx.on(Code::CarriageReturn) {
        carriage_returns(cx);
    }
}

fn too_long(cx: &mut Cx, start: usize, line: &str, limit: usize) {
    let limit = if line.starts_with("    ") {
        limit + 4
    } else {
        limit
    };
    let first = line.trim_start().chars().next();
    if line.bytes().filter(|&b| b == b'/').count() > 1
        || matches!(first, Some('+' | '|'))
        || line.contains("<% $")
    {
        return;
    }
    let Some((over, _)) = line.char_indices().nth(limit) else {
        return;
    };
    let chars = limit + line[over..].chars().count();
    let end = line
        .strip_suffix('\r')
        .map_or(line.len(), str::len)
        .max(over);
    let range = start + over..start + end;
    if !cx.room(Code::LineTooLong, &range) {
        return;
    }
    cx.report(
        Code::LineTooLong,
        range,
        format!("line is {chars} characters long, over the limit of {limit}: wrap it"),
        FindingData::default(),
        Vec::new(),
    );
}

/// One finding at the first `\r`, counting them all; its fix turns CRLF and CR line
/// endings into LF.
fn carriage_returns(cx: &mut Cx) {
    let bytes = cx.text.as_bytes();
    let edits: Vec<Edit> = memchr::memchr_iter(b'\r', bytes)
        .map(|i| Edit {
            range: i..i + 1,
            new_text: if bytes.get(i + 1) == Some(&b'\n') {
                String::new()
            } else {
                "\n".to_string()
            },
        })
        .collect();
    let Some(first) = edits.first().map(|e| e.range.clone()) else {
        return;
    };
    let n = edits.len();
    let plural = if n == 1 { "" } else { "s" };
    cx.report(
        Code::CarriageReturn,
        first,
        format!("{n} carriage return{plural} (\\r): use LF line endings"),
        FindingData::default(),
        vec![Fix {
            title: "Convert line endings to LF".into(),
            edits,
        }],
    );
}
