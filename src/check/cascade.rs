//! One mistake, one error: a heading that sets a level with the wrong adornment (the
//! first section of a spec underlined like the template's subsections) shifts every
//! heading after it, and each rule then reports its share of the shift. When the first
//! heading of a level has an adornment other than the template's for that level, and the
//! document uses the template's adornment at another level (so it is a slip, not a
//! house style), that heading gets one finding naming the adornment, the level it set
//! and where, with the fix; the structural findings that its fix makes go away are the
//! cascade, and are not reported.

use super::edit::{describe_style, restyle};
use super::{Code, Edit, Finding, FindingData, Fixes};
use crate::config::Config;
use crate::rst::{Heading, Outline, Section, Style};
use crate::template::Template;

/// The codes a shifted level cascades into.
const CASCADE: [Code; 8] = [
    Code::MissingSection,
    Code::MissingSubsection,
    Code::ExtraSection,
    Code::SectionOrder,
    Code::SectionLevel,
    Code::TitleMismatch,
    Code::HeadingStructure,
    Code::DuplicateSection,
];

/// A heading that set a level (1: sections, 2: subsections) with the wrong adornment,
/// the adornment the template gives that level, and the level as docutils numbers it.
struct Slip<'a> {
    heading: &'a Heading,
    depth: usize,
    want: Style,
    level: usize,
}

/// The first heading at each depth (1: sections, 2: subsections), and every (depth,
/// style) used.
fn firsts(outline: &Outline) -> ([Option<&Heading>; 2], Vec<(usize, Style)>) {
    fn walk<'a>(
        sections: &'a [Section],
        depth: usize,
        first: &mut [Option<&'a Heading>; 2],
        used: &mut Vec<(usize, Style)>,
    ) {
        for s in sections {
            if let Some(slot) = first.get_mut(depth - 1) {
                slot.get_or_insert(&s.heading);
            }
            used.push((depth, s.heading.style));
            walk(&s.sections, depth + 1, first, used);
        }
    }
    let mut first = [None, None];
    let mut used = Vec::new();
    walk(&outline.sections, 1, &mut first, &mut used);
    (first, used)
}

/// The first depth whose first heading has an adornment other than the template's.
fn off_depth(first: &[Option<&Heading>; 2], template: &Template) -> Option<(usize, Style)> {
    (1..=2).find_map(|depth| {
        let want = template.style(depth)?;
        (first[depth - 1]?.style != want).then_some((depth, want))
    })
}

fn slip<'a>(outline: &'a Outline, template: &Template) -> Option<Slip<'a>> {
    let (first, used) = firsts(outline);
    let (depth, want) = off_depth(&first, template)?;
    // the template's adornment is written at another depth: a slip, not a house style
    if !used.iter().any(|&(d, s)| s == want && d != depth) {
        return None;
    }
    let above = usize::from(outline.title.is_some()) + usize::from(outline.subtitle.is_some());
    Some(Slip {
        heading: first[depth - 1]?,
        depth,
        want,
        level: above + depth,
    })
}

/// Whether a level is set with the wrong adornment: the structural fixes wait for its
/// fix (they would be made for the shifted levels).
pub(super) fn shifted(outline: &Outline, template: &Template) -> bool {
    slip(outline, template).is_some()
}

/// Replace the cascade of a level set with the wrong adornment by one finding.
/// `rerun` analyses a text with every rule (and no collapsing).
pub(super) fn collapse(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
    mut findings: Vec<Finding>,
    rerun: impl Fn(&str) -> Vec<Finding>,
) -> Vec<Finding> {
    let Some(slip) = slip(outline, template) else {
        return findings;
    };
    let Some(severity) = config.severity(Code::SectionLevel) else {
        return findings;
    };
    let h = slip.heading;
    let fix = restyle(h, slip.want);
    let fixed_text = super::apply_edits(text, &fix.edits);
    // one slip only if undoing it gives every level the template's adornment
    if off_depth(&firsts(&crate::rst::parse(&fixed_text)).0, template).is_some() {
        return findings;
    }
    let fixed = rerun(&fixed_text);
    let stays = |f: &Finding| {
        !CASCADE.contains(&f.code)
            || fixed.iter().any(|g| {
                g.code == f.code
                    && g.data == f.data
                    && (f.data.section.is_some() || g.message == f.message)
            })
    };
    // a finding that already points this heading at its fix (a misadorned subsection)
    let known = findings
        .iter()
        .any(|f| f.code == Code::SectionLevel && f.range == h.range());
    let before = findings.len();
    findings.retain(|f| stays(f) || (f.code == Code::SectionLevel && f.range == h.range()));
    let collapsed = findings.len() < before;
    // other headings at the wrong level are mistakes of their own, not the cascade: they
    // stay reported (their fixes offered once the slip is fixed)
    let edit = &fix.edits[0];
    let others: Vec<Finding> = (fixed.iter())
        .filter(|g| g.code == Code::SectionLevel)
        .filter(|g| {
            !findings
                .iter()
                .any(|f| f.code == g.code && f.data == g.data)
        })
        .map(|g| Finding {
            range: map_back(edit, g.range.start)..map_back(edit, g.range.end),
            fixes: Fixes::None,
            ..g.clone()
        })
        .filter(|g| g.range != h.range())
        .collect();
    if collapsed {
        findings.extend(others);
    }
    if known || collapsed {
        // the other structural fixes were made for the shifted levels: they are offered
        // once the slip is fixed
        for f in &mut findings {
            if CASCADE.contains(&f.code) && f.range != h.range() {
                f.fixes = Fixes::None;
            }
        }
    }
    // no cascade to stand for (a spec upstream accepts as it is): nothing to add
    if !known && collapsed {
        let kind = if slip.depth == 1 {
            "section"
        } else {
            "subsection"
        };
        let got = describe_style(h.style);
        let want = describe_style(slip.want);
        findings.push(Finding {
            code: Code::SectionLevel,
            severity,
            range: h.range(),
            message: format!(
                "'{}' has a {got}, but the template's {kind}s have a {want}: as the first {kind} heading, it made {got} level {} (set by line {}), so the headings after it are nested at the wrong levels: give it the {want}",
                h.title,
                slip.level,
                h.line.saturating_sub(1),
            )
            .into(),
            data: FindingData {
                section: Some(h.title.clone()),
                parent: None,
                expected: None,
            }
            .into(),
            fixes: vec![fix].into(),
        });
    }
    findings.sort_by_key(|f| (f.range.start, f.range.end, f.code));
    findings
}

/// `x`, an offset of the text with `edit` applied, in the text as written: offsets in
/// the replacement map to the start of what it replaced.
fn map_back(edit: &Edit, x: usize) -> usize {
    let end = edit.range.start + edit.new_text.len();
    if x < edit.range.start {
        x
    } else if x < end {
        edit.range.start
    } else {
        x - end + edit.range.end
    }
}
