//! `required-text`: each `[[require]]` of the configuration - text (a regular expression)
//! that must occur above a given line, unless the spec holds the waiver line - as
//! ironic's license-header and RFE-link checks.

use super::{Code, Cx, FindingData, Fixes};
use crate::config::Require;

pub(super) fn check(cx: &mut Cx) {
    if !cx.on(Code::RequiredText) {
        return;
    }
    let config = cx.config;
    for require in &config.requires {
        if let Some(at) = unmet(cx.text, require) {
            cx.report(
                Code::RequiredText,
                at..at,
                require.message.clone(),
                FindingData::default(),
                Fixes::None,
            );
        }
    }
}

/// Where the finding goes (the start of the boundary line, or the end of the text) when
/// `require` is not met; `None` when it is, or is waived.
fn unmet(text: &str, require: &Require) -> Option<usize> {
    if let Some(waiver) = &require.waiver
        && text.lines().any(|l| l.trim() == waiver.trim())
    {
        return None;
    }
    let mut end = text.len();
    if let Some(before) = &require.before {
        let mut start = 0;
        for line in text.split('\n') {
            if before.is_match(line) {
                end = start;
                break;
            }
            start += line.len() + 1;
        }
    }
    let region = &text[..end];
    let found = if require.join_lines {
        require.pattern.is_match(&region.replace('\n', ""))
    } else {
        require.pattern.is_match(region)
    };
    (!found).then_some(end.min(text.len()))
}
