//! docutils' and Sphinx's own messages about the body of a document (indentation,
//! inline markup, unknown directives and roles, names and references), reported for every reStructuredText
//! file, specs or not: docutils' text first (an author can search for it), then what to
//! do, with a fix where it is mechanical. The severity is docutils' level (WARNING -> warning, ERROR
//! and SEVERE -> error; with `rst-error-level = "severe"`, ERROR -> warning) unless the
//! configuration sets one for the code.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Code, Cx, Edit, Finding, FindingData, Fix, Fixes, Severity};
use crate::rst::{Message, MessageKind, Reads, known};

pub(super) fn check(cx: &mut Cx) {
    // docutils can give a message twice when it parses a block again; one is enough.
    let mut seen = HashSet::new();
    // the known name closest to each unknown one, looked for once per name (a custom
    // role is used again and again)
    let mut closest = HashMap::new();
    for m in &cx.outline.messages {
        let code = match m.kind {
            MessageKind::Indentation => Code::RstIndent,
            MessageKind::Inline => Code::RstInline,
            MessageKind::UnknownDirective => Code::RstDirective,
            MessageKind::UnknownRole => Code::RstRole,
            MessageKind::Reference => Code::RstReference,
            MessageKind::Directive => Code::RstDirective,
            MessageKind::Table => Code::RstTable,
            _ => continue,
        };
        // Names the repository's docs build adds (`directives`, `roles`).
        let added = match m.kind {
            MessageKind::UnknownDirective => &cx.config.directives,
            MessageKind::UnknownRole => &cx.config.roles,
            _ => &Vec::new(),
        };
        if added
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&cx.text[m.range.clone()]))
        {
            continue;
        }
        if cx.config.ignore_messages.ignores(&m.text) {
            continue;
        }
        if !seen.insert((m.line, m.range.start, m.text.as_str())) {
            continue;
        }
        let severity = match cx.config.configured_severity(code) {
            Some(None) => continue,
            Some(Some(severity)) => severity,
            None if m.level >= cx.config.rst_error_level.level() => Severity::Error,
            None => Severity::Warning,
        };
        if !cx.room(code, &m.range) {
            continue;
        }
        let (advice, fixes) = match m.kind {
            MessageKind::UnknownDirective => {
                rename(cx.text, m, (known::DIRECTIVES, "directive"), &mut closest)
            }
            MessageKind::UnknownRole => rename(cx.text, m, (known::ROLES, "role"), &mut closest),
            _ => {
                let (advice, fixes) = advice(cx.text, m);
                (advice.to_owned(), fixes)
            }
        };
        cx.push(Finding {
            code,
            severity,
            range: m.range.clone(),
            message: match m.elsewhere {
                true => format!(
                    "{} (docutils reports it on line {}){advice}",
                    m.text, m.line
                ),
                false => format!("{}{advice}", m.text),
            }
            .into(),
            data: FindingData::default().into(),
            fixes: fixes.into(),
        });
    }
}

/// docutils' standard include files (`.. include:: <isonum.txt>`), which ship with it.
const STANDARD_INCLUDES: &[&str] = &[
    "isoamsa.txt",
    "isoamsb.txt",
    "isoamsc.txt",
    "isoamsn.txt",
    "isoamso.txt",
    "isoamsr.txt",
    "isobox.txt",
    "isocyr1.txt",
    "isocyr2.txt",
    "isodia.txt",
    "isogrk1.txt",
    "isogrk2.txt",
    "isogrk3.txt",
    "isogrk4-wide.txt",
    "isogrk4.txt",
    "isolat1.txt",
    "isolat2.txt",
    "isomfrk-wide.txt",
    "isomfrk.txt",
    "isomopf-wide.txt",
    "isomopf.txt",
    "isomscr-wide.txt",
    "isomscr.txt",
    "isonum.txt",
    "isopub.txt",
    "isotech.txt",
    "mmlalias.txt",
    "mmlextra-wide.txt",
    "mmlextra.txt",
    "s5defs.txt",
    "xhtml1-lat1.txt",
    "xhtml1-special.txt",
    "xhtml1-symbol.txt",
];

/// For each file a directive reads that is not there, what the docs build reports: for an
/// `include`, docutils' "Problems with "include" directive path:" (SEVERE), likewise for
/// the `file` of a `csv-table` or a `raw` (SEVERE), Sphinx's "Include file ... not
/// found or reading it failed" for a `literalinclude` and "image file not readable"
/// for an image (WARNINGs). As Sphinx resolves the name: `<name>` (an `include`) is one
/// of docutils' standard includes; `/path` is relative to the docs' source directory,
/// which a single document does not know (not checked); an image's URI with a scheme,
/// a `data:` one and `name.*` (the builder picks a file) are not looked for; anything
/// else is relative to the document's directory (`exists` answers for that),
/// normalised as `os.path.normpath` does.
pub(super) fn includes(cx: &mut Cx, exists: crate::FileExists) {
    let code = Code::RstDirective;
    let configured = match cx.config.configured_severity(code) {
        Some(None) => return,
        configured => configured.flatten(),
    };
    for include in &cx.outline.includes {
        let path = include.path.as_str();
        let elsewhere = include.reads == Reads::Image
            && (path.starts_with("data:") || path.contains("://") || path.ends_with(".*"));
        let missing = match path.strip_prefix('<').and_then(|p| p.strip_suffix('>')) {
            Some(name) if include.reads == Reads::Include => !STANDARD_INCLUDES.contains(&name),
            _ if path.starts_with('/') || elsewhere => false,
            _ => !exists(&normalise(path)),
        };
        if !missing || !cx.room(code, &include.range) {
            continue;
        }
        let errno = format!("[Errno 2] No such file or directory: '{path}'.");
        let (severity, message) = match include.reads {
            Reads::Include => (
                Severity::Error,
                format!("Problems with \"include\" directive path: InputError: {errno}"),
            ),
            Reads::Raw => (
                Severity::Error,
                format!("Problems with \"raw\" directive path: InputError: {errno}"),
            ),
            Reads::CsvTable => (
                Severity::Error,
                format!("Problems with \"csv-table\" directive path: {errno}"),
            ),
            Reads::Image => (
                Severity::Warning,
                format!("image file not readable: {}.", normalise(path).display()),
            ),
            Reads::LiteralInclude => {
                let dir = cx.path.and_then(Path::parent).unwrap_or(Path::new(""));
                let file = dir.join(normalise(path));
                let file = file.display();
                (
                    Severity::Warning,
                    format!("Include file '{file}' not found or reading it failed."),
                )
            }
        };
        cx.push(Finding {
            code,
            severity: configured.unwrap_or(severity),
            range: include.range.clone(),
            message: format!("{message} Fix the path (relative to this file) or add the file.")
                .into(),
            data: FindingData::default().into(),
            fixes: Fixes::None,
        });
    }
}

/// `path` with `.` and `dir/..` removed lexically, as `os.path.normpath` does (leading
/// `..` kept).
fn normalise(path: &str) -> std::path::PathBuf {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/").into()
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
    if m.text.contains("unexpected unindent.")
        || m.text.starts_with("Line block ends without a blank line")
    {
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
    } else if m.text.starts_with("Inline literal") {
        (
            " Close it with `` (two backquotes) or escape the backquotes with \\.",
            Vec::new(),
        )
    } else if m.text.starts_with("Inline") {
        (
            " Close it, or escape the start-string with \\ if it is meant literally.",
            Vec::new(),
        )
    } else if m.text.starts_with("Error in") && m.text.contains("invalid option value") {
        (
            " Give the option a value it takes (or leave the option out): until then the docs build drops this directive.",
            Vec::new(),
        )
    } else if m.text.starts_with("Error in") && m.text.contains("invalid option data") {
        (
            " Give each option once, named in one word: until then the docs build drops this directive.",
            Vec::new(),
        )
    } else if m.text.starts_with("Error in") && m.text.contains("option") {
        (
            " Fix the option's name (see the directive's documentation), and leave a blank line between the options and the content.",
            Vec::new(),
        )
    } else if m.text.starts_with("Error in") && m.text.contains("argument(s) allowed") {
        (
            " Leave a blank line between the directive's arguments and its content.",
            Vec::new(),
        )
    } else if m.text.ends_with("exactly one table expected.") {
        (
            " The content must be one well-formed table and nothing else: fix the table, or move what follows it out of the directive.",
            Vec::new(),
        )
    } else if m.text.ends_with("exactly one bullet list expected.") {
        (
            " The content must be one bullet list, an item per row, and nothing else.",
            Vec::new(),
        )
    } else if m
        .text
        .contains("does not contain a second-level bullet list")
    {
        (
            " Make each row's item a bullet list of its cells (`- cell`).",
            Vec::new(),
        )
    } else if m.text.starts_with("Error parsing content block") {
        (
            " Give every row the same number of items (an empty cell is `-` alone), or close the list with a blank line.",
            Vec::new(),
        )
    } else if m.text.starts_with("Error in")
        || m.text.starts_with("Content block expected")
        || m.text.starts_with("The \"")
        || m.text.starts_with("Invalid class")
    {
        (" The docs build drops this directive.", Vec::new())
    } else if m.text.starts_with("Unknown target name") {
        (
            " Define the target (`.. _name: URL`), fix the reference's spelling, or escape the trailing underscore with \\.",
            Vec::new(),
        )
    } else if m.text.starts_with("Duplicate target name") {
        (
            " Two targets have this name (a section's title is one): rename one, or give the one you mean a target of its own (`.. _other-name:`) and refer to that.",
            Vec::new(),
        )
    } else if m.text.starts_with("Duplicate explicit target name") {
        (
            " Two targets have this name with different links: rename one, or make the reference anonymous (`__`).",
            Vec::new(),
        )
    } else if m.text.starts_with("Anonymous hyperlink mismatch") {
        (
            " Each anonymous reference (`text`__) needs its own anonymous target (`.. __: URL`), in the same order.",
            Vec::new(),
        )
    } else if m.text.starts_with("Undefined substitution") {
        (
            " Define it (`.. |name| replace:: text`) or escape the first | with \\.",
            Vec::new(),
        )
    } else if m.text.starts_with("citation not found") {
        (
            " Add the citation (`.. [LABEL] text`) or fix the label.",
            Vec::new(),
        )
    } else if m.text.starts_with("Footnote") {
        (" Refer to it (`[label]_`) or remove it.", Vec::new())
    } else if m.text.starts_with("malformed hyperlink target") {
        (
            " A target is `.. _name: URL`: add the colon after the name.",
            Vec::new(),
        )
    } else if m.text.starts_with("Malformed table") {
        (
            " The docs build drops this table: line up every border, column separator and row with the top border.",
            Vec::new(),
        )
    } else if m.text.starts_with("Inconsistent literal block quoting") {
        (
            " Start every line of the quoted literal block with the same character, or leave a blank line before this one to end the block.",
            Vec::new(),
        )
    } else if m.text.starts_with("Literal block expected") {
        (
            " Indent the literal block under the paragraph ending in '::', or end the paragraph with ':' instead.",
            Vec::new(),
        )
    } else {
        ("", Vec::new())
    }
}

/// "Did you mean" the closest known name, with a fix that renames it; or how to make
/// the name known. `names` are the known names of `what`; `closest` keeps the closest
/// found for each name of each kind (by what `known::closest` compares: the name in
/// lower case).
fn rename(
    text: &str,
    m: &Message,
    (names, what): (&[&'static str], &'static str),
    closest: &mut HashMap<(&'static str, String), Option<&'static str>>,
) -> (String, Vec<Fix>) {
    let name = &text[m.range.clone()];
    let found = *closest
        .entry((what, name.to_lowercase()))
        .or_insert_with(|| known::closest(names, name));
    match found {
        Some(closest) => (
            format!(" Did you mean \"{closest}\"?"),
            vec![Fix {
                title: format!("Rename to \"{closest}\""),
                edits: vec![Edit {
                    range: m.range.clone(),
                    new_text: closest.to_owned(),
                }],
            }],
        ),
        None => (
            format!(
                " If the docs build loads an extension that provides it, add it to the configuration's `{what}s` list."
            ),
            Vec::new(),
        ),
    }
}

/// The start of the line holding byte `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}
