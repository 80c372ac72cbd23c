//! What docutils itself says about headings: underlines (or overlines) shorter than the
//! title (`heading-underline`, with a fix that lengthens them) and structure it rejects,
//! such as inconsistent title levels or unexpected titles (`heading-structure`).

use std::collections::HashSet;

use super::edit::lengthen_adornments;
use super::{Code, Cx, Edit, FindingData, Fix};
use crate::rst::column_width;
use crate::rst::{Heading, Message, MessageKind, Section, adornment};

pub(super) fn check(cx: &mut Cx) {
    // docutils repeats a message when the title it is about bubbles up to a parent
    // section; one finding is enough.
    let mut seen = HashSet::new();
    for m in &cx.outline.messages {
        if !seen.insert((m.kind as u8, m.line, m.range.start, m.range.end)) {
            continue;
        }
        match m.kind {
            MessageKind::UnderlineTooShort | MessageKind::OverlineTooShort => {
                if let Some(h) = heading_for(cx, m) {
                    short_adornment(cx, m, h);
                }
            }
            MessageKind::PossibleUnderlineTooShort => possible_title(cx, m),
            MessageKind::InconsistentTitleLevel | MessageKind::UnexpectedSectionTitle => {
                structure(cx, m)
            }
            MessageKind::Other if m.level >= 2 => structure(cx, m),
            MessageKind::Other => {}
            MessageKind::Indentation
            | MessageKind::Inline
            | MessageKind::UnknownDirective
            | MessageKind::UnknownRole => {}
        }
    }
}

/// The heading a message is about: the one on the message's line or covering its range.
fn heading_for<'a>(cx: &Cx<'a>, m: &Message) -> Option<&'a Heading> {
    let hit = |h: &Heading| {
        let r = h.range();
        h.line == m.line || (r.start <= m.range.start && m.range.start < r.end.max(r.start + 1))
    };
    fn find<'a>(sections: &'a [Section], hit: &dyn Fn(&Heading) -> bool) -> Option<&'a Heading> {
        sections.iter().find_map(|s| {
            if hit(&s.heading) {
                Some(&s.heading)
            } else {
                find(&s.sections, hit)
            }
        })
    }
    let outline = cx.outline;
    outline
        .title
        .iter()
        .chain(&outline.subtitle)
        .find(|h| hit(h))
        .or_else(|| find(&outline.sections, &hit))
}

fn short_adornment(cx: &mut Cx, m: &Message, h: &Heading) {
    let width = column_width(&h.title);
    let edits = lengthen_adornments(h, width);
    let which = if m.kind == MessageKind::OverlineTooShort {
        "overline"
    } else {
        "underline"
    };
    // The diagnostic starts on docutils' line: the underline's, or the overline's.
    let range = if m.kind == MessageKind::OverlineTooShort {
        h.range()
    } else {
        h.underline.clone()
    };
    cx.report(
        Code::HeadingUnderline,
        range,
        format!(
            "Title {which} too short: make it {width} characters long for '{}'",
            h.title
        ),
        FindingData::section(&h.title, None),
        vec![Fix {
            title: format!("Lengthen the {which} to {width} characters"),
            edits,
        }],
    );
}

/// "Possible title underline, too short for the title": an underline under four
/// characters is plain text to docutils, though a heading was probably meant.
fn possible_title(cx: &mut Cx, m: &Message) {
    let text = cx.text;
    let Some((title, underline)) = title_and_underline(text, m.range.start) else {
        return;
    };
    let ch = text[underline.clone()].chars().next().unwrap_or('=');
    // `..` (a comment) and `::` (a literal block) under a line are not meant as titles.
    if matches!(ch, '.' | ':') {
        return;
    }
    let name = text[title.clone()].trim().to_string();
    let width = column_width(&name);
    cx.report(
        Code::HeadingUnderline,
        title.start..underline.end,
        format!(
            "Possible title underline, too short for the title: '{name}' is not a heading; make the underline {width} characters long if it should be one"
        ),
        FindingData::section(&name, None),
        vec![Fix {
            title: format!("Lengthen the underline to {width} characters"),
            edits: vec![Edit {
                range: underline,
                new_text: std::iter::repeat_n(ch, width).collect(),
            }],
        }],
    );
}

/// The title line and adornment line around `offset`: the line at `offset` if it is an
/// adornment (one repeated punctuation character), else the line after it.
fn title_and_underline(
    text: &str,
    offset: usize,
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let line_at = |at: usize| {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    };
    let is_adornment = |r: &std::ops::Range<usize>| adornment(text[r.clone()].trim_end()).is_some();
    let offset = offset.min(text.len());
    let here = line_at(offset);
    let (title, underline) = if is_adornment(&here) {
        (line_at(here.start.checked_sub(1)?), here)
    } else {
        let next = text[here.end..].find('\n').map(|i| here.end + i + 1)?;
        (here, line_at(next))
    };
    let underline = underline.start..underline.start + text[underline].trim_end().len();
    (is_adornment(&underline) && !text[title.clone()].trim().is_empty())
        .then_some((title, underline))
}

fn structure(cx: &mut Cx, m: &Message) {
    let first_line = m
        .text
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ':']);
    let advice = match m.kind {
        MessageKind::InconsistentTitleLevel => {
            ": this heading's adornment is used at a different level elsewhere; use the adornment of the level you mean"
        }
        MessageKind::UnexpectedSectionTitle => {
            ": headings cannot appear inside an indented block, list or directive; unindent it or make it plain text"
        }
        _ => "",
    };
    let section = heading_for(cx, m).map(|h| h.title.clone());
    cx.report(
        Code::HeadingStructure,
        from_line(cx.text, m.line, m.range.clone()),
        format!("{first_line}{advice}"),
        FindingData {
            section,
            ..FindingData::default()
        },
        Vec::new(),
    );
}

/// `range`, made to start on docutils' 1-based `line` (where the diagnostic must start)
/// when it starts on an earlier line.
fn from_line(text: &str, line: usize, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    if range.start < line_start {
        line_start..range.end.max(line_start)
    } else {
        range
    }
}
