//! docutils' own messages about the body of a document (indentation, ...), reported for
//! every reStructuredText file, specs or not: docutils' text first (an author can search
//! for it), then what to do. The severity is docutils' level (WARNING -> warning, ERROR
//! and SEVERE -> error) unless the configuration sets one for the code.

use std::collections::HashSet;

use super::{Code, Cx, Edit, Finding, FindingData, Fix, Severity};
use crate::rst::{Message, MessageKind};

pub(super) fn check(cx: &mut Cx) {
    // docutils can give a message twice when it parses a block again; one is enough.
    let mut seen = HashSet::new();
    for m in &cx.outline.messages {
        let code = match m.kind {
            MessageKind::Indentation => Code::RstIndent,
            _ => continue,
        };
        if !seen.insert((m.line, m.range.start, m.text.as_str())) {
            continue;
        }
        let severity = match cx.config.configured_severity(code) {
            Some(None) => continue,
            Some(Some(severity)) => severity,
            None if m.level >= 3 => Severity::Error,
            None => Severity::Warning,
        };
        let (advice, fixes) = advice(cx.text, m);
        cx.findings.push(Finding {
            code,
            severity,
            range: m.range.clone(),
            message: format!("{}{advice}", m.text),
            data: FindingData::default(),
            fixes,
        });
    }
}

/// What to do about a message, and the mechanical fix where there is one.
fn advice(text: &str, m: &Message) -> (&'static str, Vec<Fix>) {
    let blank_line_before = || {
        vec![Fix {
            title: "Insert a blank line before this line".to_owned(),
            edits: vec![Edit {
                range: line_start(text, m.range.start)..line_start(text, m.range.start),
                new_text: "\n".to_owned(),
            }],
        }]
    };
    if m.text.ends_with("unexpected unindent.") {
        (
            " Add a blank line before this line, or indent it to continue the construct above.",
            blank_line_before(),
        )
    } else if m.text.starts_with("Unexpected indentation") {
        (
            " Add a blank line before this line to start a block quote, or unindent it to continue the paragraph.",
            blank_line_before(),
        )
    } else if m.text.starts_with("Blank line required after table") {
        (" Add a blank line after the table.", blank_line_before())
    } else if m.text.starts_with("Literal block expected") {
        (
            " Indent the literal block under the paragraph ending in '::', or end the paragraph with ':' instead.",
            Vec::new(),
        )
    } else {
        ("", Vec::new())
    }
}

/// The start of the line holding byte `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}
