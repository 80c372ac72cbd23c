//! `required-text`: each `[[require]]` of the configuration - text (a regular expression)
//! that must occur above a given line, unless the spec holds the waiver line - as
//! ironic's license-header and RFE-link checks. Lines are split as upstream reads them
//! (universal newlines: `\n`, `\r\n` or a lone `\r`), without their line ends.

use super::lines::normalized_lines;
use super::{Code, Cx, FindingData, Fixes};
use crate::config::{Boundary, Require};

pub(super) fn check(cx: &mut Cx) {
    if !cx.on(Code::RequiredText) {
        return;
    }
    let config = cx.config;
    for require in &config.requires {
        if let Some((at, message)) = unmet(cx.text, require) {
            cx.report(
                Code::RequiredText,
                at..at,
                message.to_owned(),
                FindingData::default(),
                Fixes::None,
            );
        }
    }
}

/// Where the finding goes (the start of the deciding or boundary line, or the end of the
/// text) and what it says, when `require` is not met; `None` when it is, or is waived.
fn unmet<'r>(text: &str, require: &'r Require) -> Option<(usize, &'r str)> {
    if let Some(waiver) = &require.waiver
        && normalized_lines(text).any(|(_, l)| l.trim() == waiver.trim())
    {
        return None;
    }
    // The lines searched, in order, and where the search stopped.
    let mut searched = Vec::new();
    let mut end = text.len();
    for (start, line) in normalized_lines(text) {
        match &require.boundary {
            Some(Boundary::Before(b)) if b.is_match(line) => {
                end = start;
                break;
            }
            Some(Boundary::Until(u)) if u.is_match(line) => {
                searched.push((start, line));
                end = start;
                break;
            }
            _ => searched.push((start, line)),
        }
    }
    if let Some(accept) = &require.accept {
        // the first line the pattern matches decides
        return match searched.iter().find(|(_, l)| require.pattern.is_match(l)) {
            Some((_, line)) if accept.is_match(line) => None,
            Some((start, _)) => Some((
                *start,
                require
                    .accept_message
                    .as_deref()
                    .unwrap_or(&require.message),
            )),
            None => Some((end, &require.message)),
        };
    }
    let lines = searched.iter().map(|(_, l)| *l);
    let found = if require.join_lines {
        require.pattern.is_match(&lines.collect::<String>())
    } else {
        require
            .pattern
            .is_match(&lines.collect::<Vec<_>>().join("\n"))
    };
    (!found).then_some((end, &require.message))
}
