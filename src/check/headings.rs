//! What docutils itself says about headings: underlines (or overlines) shorter than the
//! title (`heading-underline`, with a fix that lengthens them) and structure it rejects,
//! such as inconsistent title levels or unexpected titles (`heading-structure`).

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use super::edit::{describe_style, lengthen_adornments, level_style, restyle_lines};
use super::{Code, Cx, Edit, FindingData, Fix};
use crate::rst::column_width;
use crate::rst::{Heading, Message, MessageKind, Outline, Section, Style, adornment};

pub(super) fn check(cx: &mut Cx) {
    let outline = cx.outline;
    // Built when a message needs it: most documents' messages are about other things
    // (and building it walks every heading, on every keystroke).
    let index = OnceCell::new();
    let index = || index.get_or_init(|| HeadingIndex::new(outline));
    // docutils repeats a message when the title it is about bubbles up to a parent
    // section; one finding is enough.
    let mut seen = HashSet::new();
    for m in &outline.messages {
        let about_headings = match m.kind {
            MessageKind::UnderlineTooShort
            | MessageKind::OverlineTooShort
            | MessageKind::PossibleUnderlineTooShort
            | MessageKind::InconsistentTitleLevel
            | MessageKind::UnexpectedSectionTitle => true,
            MessageKind::Other => m.level >= 2,
            MessageKind::Indentation
            | MessageKind::Inline
            | MessageKind::UnknownDirective
            | MessageKind::UnknownRole
            | MessageKind::Reference
            | MessageKind::Directive
            | MessageKind::Table => false,
        };
        if !about_headings || !seen.insert((m.kind as u8, m.line, m.range.start, m.range.end)) {
            continue;
        }
        match m.kind {
            MessageKind::UnderlineTooShort | MessageKind::OverlineTooShort => {
                match index().heading_for(m) {
                    Some(h) => short_adornment(cx, m, h),
                    None if m.kind == MessageKind::UnderlineTooShort => {
                        short_underline_of_no_section(cx, m)
                    }
                    None => {}
                }
            }
            MessageKind::PossibleUnderlineTooShort => possible_title(cx, m),
            _ => structure(cx, m, index()),
        }
    }
}

/// Every heading of an outline, to find the one a message is about in O(log n) (a scan
/// of the tree per message made documents with many messages quadratic).
struct HeadingIndex<'a> {
    /// In outline order (title, subtitle, sections depth first): the order that decides
    /// between two candidates.
    headings: Vec<&'a Heading>,
    /// Indices into `headings`, sorted by the start of the heading's range.
    by_start: Vec<usize>,
    /// The first heading (in outline order) on each docutils line.
    by_line: HashMap<usize, usize>,
    /// The offsets of the text's `\n`s, found once when first needed (a scan of the text
    /// per message made documents with many messages quadratic).
    newlines: OnceCell<Vec<usize>>,
    /// Each adornment style in the order docutils first meets it (its level), with the
    /// title line and the start of the heading that first uses it.
    first_uses: Vec<(Style, usize, usize)>,
}

impl<'a> HeadingIndex<'a> {
    fn new(outline: &'a Outline) -> HeadingIndex<'a> {
        fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Heading>) {
            for s in sections {
                out.push(&s.heading);
                walk(&s.sections, out);
            }
        }
        let mut headings: Vec<&Heading> = outline.title.iter().chain(&outline.subtitle).collect();
        walk(&outline.sections, &mut headings);
        let mut by_start: Vec<usize> = (0..headings.len()).collect();
        by_start.sort_by_key(|&i| (headings[i].range().start, i));
        let mut by_line = HashMap::new();
        for (i, h) in headings.iter().enumerate() {
            by_line.entry(h.line).or_insert(i);
        }
        let mut first_uses: Vec<(Style, usize, usize)> = Vec::new();
        for h in by_start.iter().map(|&i| headings[i]) {
            if !first_uses.iter().any(|(s, _, _)| *s == h.style) {
                first_uses.push((h.style, h.line.saturating_sub(1), h.range().start));
            }
        }
        HeadingIndex {
            headings,
            by_start,
            by_line,
            newlines: OnceCell::new(),
            first_uses,
        }
    }

    /// The offset where docutils' 1-based `line` of `text` starts (the end of the text
    /// past its last line).
    fn line_start(&self, text: &str, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        let newlines = self
            .newlines
            .get_or_init(|| memchr::memchr_iter(b'\n', text.as_bytes()).collect());
        newlines.get(line - 2).map_or(text.len(), |i| i + 1)
    }

    /// The heading a message is about: the one on the message's line or covering the
    /// start of its range (the first in outline order when both exist).
    fn heading_for(&self, m: &Message) -> Option<&'a Heading> {
        let at = m.range.start;
        // Headings do not overlap: only those starting last before `at` can cover it.
        let before = &self.by_start[..self
            .by_start
            .partition_point(|&i| self.headings[i].range().start <= at)];
        let last_start = before.last().map(|&i| self.headings[i].range().start);
        let covering = before
            .iter()
            .rev()
            .take_while(|&&i| Some(self.headings[i].range().start) == last_start)
            .copied()
            .filter(|&i| {
                let r = self.headings[i].range();
                at < r.end.max(r.start + 1)
            })
            .min();
        let on_line = self.by_line.get(&m.line).copied();
        let best = match (covering, on_line) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        best.map(|i| self.headings[i])
    }
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

/// "Title underline too short" of a heading that is no section (docutils rejects it for
/// its level, or finds it where no section may start): docutils measures its underline
/// all the same, and the fix that gives it another adornment would lengthen it too.
fn short_underline_of_no_section(cx: &mut Cx, m: &Message) {
    let text = cx.text;
    let Some((title, underline)) = title_and_underline(text, m.range.start) else {
        return;
    };
    let name = text[title].trim().to_string();
    let width = column_width(&name);
    let ch = text[underline.clone()].chars().next().unwrap_or('=');
    cx.report(
        Code::HeadingUnderline,
        underline.clone(),
        format!("Title underline too short: make it {width} characters long for '{name}'"),
        FindingData::section(&name, None),
        vec![lengthen_underline(underline, ch, width)],
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
        vec![lengthen_underline(underline, ch, width)],
    );
}

/// The fix that makes `underline`, of `ch`, `width` characters long.
fn lengthen_underline(underline: std::ops::Range<usize>, ch: char, width: usize) -> Fix {
    Fix {
        title: format!("Lengthen the underline to {width} characters"),
        edits: vec![Edit {
            range: underline,
            new_text: std::iter::repeat_n(ch, width).collect(),
        }],
    }
}

/// The title line and adornment line around `offset`: the line at `offset` if it is an
/// adornment (one repeated punctuation character), else the line after it (the
/// adornment's range without its indentation).
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
    // (a title in a block quote, list item or directive is indented: so is its underline)
    let is_adornment = |r: &std::ops::Range<usize>| adornment(text[r.clone()].trim()).is_some();
    let offset = offset.min(text.len());
    let here = line_at(offset);
    let (title, underline) = if is_adornment(&here) {
        (line_at(here.start.checked_sub(1)?), here)
    } else {
        let next = text[here.end..].find('\n').map(|i| here.end + i + 1)?;
        (here, line_at(next))
    };
    let line = &text[underline.clone()];
    let end = underline.start + line.trim_end().len();
    let underline = (underline.start + line.len() - line.trim_start().len()).min(end)..end;
    (is_adornment(&underline) && !text[title.clone()].trim().is_empty())
        .then_some((title, underline))
}

fn structure(cx: &mut Cx, m: &Message, index: &HeadingIndex) {
    let first_line = m
        .text
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ':']);
    let rejected = (m.kind == MessageKind::InconsistentTitleLevel)
        .then(|| inconsistent_level(cx, m, index))
        .flatten();
    let advice = match m.kind {
        MessageKind::InconsistentTitleLevel => rejected.as_ref().map_or_else(
            || ": this heading's adornment is used at a different level elsewhere; use the adornment of the level you mean".to_string(),
            |r| r.advice.clone(),
        ),
        MessageKind::UnexpectedSectionTitle => {
            ": headings cannot appear inside an indented block, list or directive; unindent it or make it plain text".to_string()
        }
        _ => String::new(),
    };
    let section = match &rejected {
        Some(r) => Some(r.title.clone()),
        None => index.heading_for(m).map(|h| h.title.clone()),
    };
    // below `rst-error-level` (an ERROR where only SEVERE fails), a warning
    let below = m.level < cx.config.rst_error_level.level()
        && cx
            .config
            .configured_severity(Code::HeadingStructure)
            .is_none();
    let at = cx.findings.len();
    cx.report(
        Code::HeadingStructure,
        from_line(index.line_start(cx.text, m.line), m.range.clone()),
        format!("{first_line}{advice}"),
        FindingData {
            section,
            ..FindingData::default()
        },
        rejected.and_then(|r| r.fix).into_iter().collect::<Vec<_>>(),
    );
    if below && let Some(f) = cx.findings.get_mut(at) {
        f.severity = super::Severity::Warning;
    }
}

/// A heading docutils rejects for an inconsistent title level: what to tell the
/// author, its title, and the fix that gives it the adornment advised.
struct Rejected {
    advice: String,
    title: String,
    fix: Option<Fix>,
}

/// What "Title level inconsistent" is about: the heading's adornment, the level it has
/// and the line that set it (docutils numbers levels in the order adornments are first
/// used), the level of the section the heading is in, and the adornment to give it: the
/// document's adornment for the template's level of that title (a template section or
/// subsection) when docutils allows it there, else the adornment a subsection there
/// takes.
fn inconsistent_level(cx: &Cx, m: &Message, index: &HeadingIndex) -> Option<Rejected> {
    let (outline, text) = (cx.outline, cx.text);
    let (style, title) = rejected_heading(text, m)?;
    let describe = describe_style;
    // each level's adornment, with the title line that set it
    let levels: Vec<(Style, usize)> = (index.first_uses.iter())
        .take_while(|(_, _, start)| *start < m.range.start)
        .map(|&(style, line, _)| (style, line))
        .collect();
    // the level of the section around the heading (a promoted title and subtitle are
    // levels 1 and 2)
    let mut current =
        usize::from(outline.title.is_some()) + usize::from(outline.subtitle.is_some());
    let mut sections = &outline.sections;
    loop {
        let i = sections.partition_point(|s| s.range.start < m.range.start);
        match i.checked_sub(1).map(|i| &sections[i]) {
            Some(s) if m.range.start < s.range.end => {
                current += 1;
                sections = &s.sections;
            }
            _ => break,
        }
    }
    let here = match levels.iter().position(|(s, _)| *s == style) {
        Some(i) => format!(
            "{} is level {} (set by line {})",
            describe(style),
            i + 1,
            levels[i].1
        ),
        None => format!(
            "{} is new, and a new adornment can only open level {}, below the deepest",
            describe(style),
            levels.len() + 1
        ),
    };
    let place = if current == 0 {
        "at the top level".to_string()
    } else {
        format!("in a level-{current} section")
    };
    // the template's level for this title, if docutils allows its adornment here
    let template = cx.template;
    let depth = template
        .depth_of(title)
        .map(|d| (d, if d == 1 { "section" } else { "subsection" }));
    let allowed = |want: Style| {
        let i = levels.iter().position(|(s, _)| *s == want)?;
        (i <= current).then_some((want, i))
    };
    let templated =
        depth.and_then(|(d, noun)| allowed(level_style(outline, template, d)).map(|l| (l, noun)));
    let (fit, why, or) = match templated {
        Some((l, noun)) => (
            Some(l),
            format!("; '{title}' is a {noun} in the template"),
            "",
        ),
        None => (
            levels.get(current).map(|&(s, _)| (s, current)),
            String::new(),
            ", or the adornment of the level you mean",
        ),
    };
    let advice = match fit {
        Some((s, i)) => format!(
            ": {here}, but this heading is {place}{why}: use {} for level {} (set by line {}){or}",
            describe(s),
            i + 1,
            levels[i].1
        ),
        None => format!(": {here}, but this heading is {place}"),
    };
    let fix =
        (fit.filter(|&(s, _)| s != style)).map(|(s, _)| restyle_lines(m.range.clone(), title, s));
    Some(Rejected {
        advice,
        title: title.to_string(),
        fix,
    })
}

/// The adornment and title of the heading a "Title level inconsistent" message is
/// about (docutils did not take it as a heading).
pub(super) fn rejected_heading<'t>(text: &'t str, m: &Message) -> Option<(Style, &'t str)> {
    let lines: Vec<&str> = text.get(m.range.clone())?.lines().collect();
    let first_char = |line: &str| line.trim().chars().next();
    match lines.as_slice() {
        [over, title, _] => Some((
            Style {
                ch: first_char(over)?,
                overline: true,
            },
            title.trim(),
        )),
        [title, under] => Some((
            Style {
                ch: first_char(under)?,
                overline: false,
            },
            title.trim_end(),
        )),
        _ => None,
    }
}

/// `range`, made to start at `line_start` (the start of docutils' line for a message,
/// where the diagnostic must start) when it starts on an earlier line.
fn from_line(line_start: usize, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    if range.start < line_start {
        line_start..range.end.max(line_start)
    } else {
        range
    }
}
