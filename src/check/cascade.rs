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
use crate::rst::{Heading, MessageKind, Outline, Section, Style};
use crate::template::{Comparable, NEAR_MISS, Template, alike};

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

/// What a heading with the wrong adornment hides or shows besides its cascade: a
/// heading docutils rejects has no underline to measure.
const HIDDEN: [Code; 1] = [Code::HeadingUnderline];

/// Whether findings of `code` come and go with a heading's adornment.
fn follows_adornment(code: Code) -> bool {
    CASCADE.contains(&code) || HIDDEN.contains(&code)
}

/// A heading that set a level (1: sections, 2: subsections) with the wrong adornment,
/// the adornment the template gives it (that of the template's level for its title, a
/// template section set as the subsection level included, else that of the level it
/// set), that level, and the level it set as docutils numbers it.
struct Slip<'a> {
    heading: &'a Heading,
    depth: usize,
    want: Style,
    want_depth: usize,
    level: usize,
}

/// The first heading at each depth (1: sections, 2: subsections); with `used`, every
/// (depth, style) used is pushed there (asked for only when a first heading is not in
/// the template's adornment: most specs' are, and a walk that stops at the subsections
/// finds the first ones).
fn firsts<'a>(
    outline: &'a Outline,
    mut used: Option<&mut Vec<(usize, Style)>>,
) -> [Option<&'a Heading>; 2] {
    fn walk<'a>(
        sections: &'a [Section],
        depth: usize,
        first: &mut [Option<&'a Heading>; 2],
        used: &mut Option<&mut Vec<(usize, Style)>>,
    ) {
        for s in sections {
            if let Some(slot) = first.get_mut(depth - 1) {
                slot.get_or_insert(&s.heading);
            }
            if let Some(used) = used {
                used.push((depth, s.heading.style));
            } else if depth >= first.len() {
                continue;
            }
            walk(&s.sections, depth + 1, first, used);
        }
    }
    let mut first = [None, None];
    // a lone section docutils took as the subtitle is the first section, and the sections
    // after it are its children (a first section written with a new adornment nests all
    // the others under it)
    let depth = match &outline.subtitle {
        Some(h) => {
            first[0] = Some(h);
            if let Some(used) = &mut used {
                used.push((1, h.style));
            }
            2
        }
        None => 1,
    };
    walk(&outline.sections, depth, &mut first, &mut used);
    first
}

/// The first depth whose first heading has an adornment other than the template's.
fn off_depth(first: &[Option<&Heading>; 2], template: &Template) -> Option<(usize, Style)> {
    (1..=2).find_map(|depth| {
        let want = template.style(depth)?;
        (first[depth - 1]?.style != want).then_some((depth, want))
    })
}

fn slip<'a>(text: &str, outline: &'a Outline, template: &Template) -> Option<Slip<'a>> {
    let first = firsts(outline, None);
    let Some((depth, want)) = off_depth(&first, template) else {
        return own_slip(text, outline, template, &first);
    };
    let mut used = Vec::new();
    firsts(outline, Some(&mut used));
    // the template's adornment is written at another depth (or where docutils rejects
    // it): a slip, not a house style
    if !used.iter().any(|&(d, s)| s == want && d != depth)
        && !rejected(text, outline).any(|(s, _)| s == want)
    {
        return None;
    }
    let above = usize::from(outline.title.is_some());
    let heading = first[depth - 1]?;
    let want_depth = template.depth_of(&heading.title).unwrap_or(depth);
    // a restyling that changes nothing is no fix; nor is one that gives a template
    // subsection written before every section the adornment of subsections: first, it
    // would set the section level in that adornment all the same (its place is what is
    // wrong, and the structural rules say so)
    if template.style(want_depth) == Some(heading.style) || (depth, want_depth) == (1, 2) {
        return None;
    }
    // most of the template's headings of that level written in its adornment, or as
    // many as in the template's where other headings share its level (the one docutils
    // reads first wins a tie: a move that restyles a section into it must not turn a
    // house style into a slip): a house
    // style, whose other headings in the template's adornment are the mistakes (a subtitle
    // is not counted for its own: it is the one heading in it, whose sections were
    // written in another). A template section written as the first subsection is judged
    // by the sections and by the subsections: moving a section to the top level changes
    // the first count, moving a subsection under its section the second.
    let own = usize::from(
        outline.subtitle.as_ref() == Some(heading)
            && template.depth_of(&heading.title) == Some(want_depth),
    );
    // (other headings at its depth have its adornment too, as `structure` has it)
    let others = used.iter().filter(|&&(d, _)| d == depth).count() > 1;
    let house = |depth: usize| -> Option<bool> {
        let theirs = written_in(text, outline, template, depth, heading.style) - own;
        let templates = written_in(text, outline, template, depth, template.style(depth)?);
        Some(theirs > templates || (theirs == templates && theirs > 0 && others))
    };
    if house(want_depth)? || (want_depth != depth && house(depth)?) {
        return None;
    }
    // a title docutils does not take as the title (text before it) is no slip
    if outline.title.is_none() && Some(heading.style) == template.title_style {
        return None;
    }
    Some(Slip {
        heading,
        depth,
        want: template.style(want_depth)?,
        want_depth,
        level: above + depth,
    })
}

/// The first heading of a level written in the template's adornment, before more of the
/// template's headings of that level in an adornment of the spec's own than in the
/// template's, which docutils rejects for their level: that heading is the slip, and its
/// fix gives it the spec's adornment (one finding, not one per rejected heading).
fn own_slip<'a>(
    text: &str,
    outline: &'a Outline,
    template: &Template,
    first: &[Option<&'a Heading>; 2],
) -> Option<Slip<'a>> {
    let above = usize::from(outline.title.is_some());
    (1..=2).find_map(|depth| {
        let heading = first[depth - 1]?;
        let want = template.style(depth)?;
        if heading.style != want {
            return None;
        }
        let (own, _) = rejected(text, outline)
            .find(|&(s, title)| s != want && template.depth_of(title) == Some(depth))?;
        let count = |style| written_in(text, outline, template, depth, style);
        (count(own) > count(want)).then_some(Slip {
            heading,
            depth,
            want: own,
            want_depth: depth,
            level: above + depth,
        })
    })
}

/// How many of the template's headings of `depth` (1: sections, 2: subsections) the
/// document writes in `style` (docutils' rejected headings included).
fn written_in(
    text: &str,
    outline: &Outline,
    template: &Template,
    depth: usize,
    style: Style,
) -> usize {
    fn walk(sections: &[Section], count: &mut dyn FnMut(&Heading)) {
        for s in sections {
            count(&s.heading);
            walk(&s.sections, count);
        }
    }
    let mut n = 0;
    let mut count = |h: &Heading| {
        n += usize::from(h.style == style && template.depth_of(&h.title) == Some(depth));
    };
    outline.subtitle.iter().for_each(&mut count);
    walk(&outline.sections, &mut count);
    n + rejected(text, outline)
        .filter(|&(s, title)| s == style && template.depth_of(title) == Some(depth))
        .count()
}

/// Whether a level is set with the wrong adornment, or a template heading has an
/// adornment docutils rejects where it is: the structural fixes wait for its fix (they
/// would be made for the levels as they are, or without that heading).
pub(super) fn shifted(text: &str, outline: &Outline, template: &Template) -> bool {
    slip(text, outline, template).is_some()
        || rejected(text, outline).any(|(_, title)| template.depth_of(title).is_some())
}

/// Whether `title` is a near miss of a template heading's.
fn near_template(template: &Template, title: &str) -> bool {
    let title = Comparable::new(title);
    (template.sections.iter())
        .flat_map(|s| std::iter::once(s).chain(&s.subsections))
        .any(|t| alike(&t.comparable, &title) >= NEAR_MISS)
}

/// The adornment and title of each heading docutils rejects for its level.
fn rejected<'t>(text: &'t str, outline: &'t Outline) -> impl Iterator<Item = (Style, &'t str)> {
    (outline.messages.iter())
        .filter(|m| m.kind == MessageKind::InconsistentTitleLevel)
        .filter_map(|m| super::headings::rejected_heading(text, m))
}

/// Replace the cascade of a heading with the wrong adornment by one finding: a level set
/// with the wrong adornment (see [`slip`]), or headings docutils rejects for their
/// level (heading-structure, whose fix gives them the adornment of their level).
/// `rerun` analyses a text with every rule.
pub(super) fn collapse(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
    findings: Vec<Finding>,
    rerun: impl Fn(&str) -> Vec<Finding>,
) -> Vec<Finding> {
    let findings = collapse_slip(text, outline, template, config, findings, &rerun);
    let mut findings = collapse_rejected(text, template, findings, &rerun);
    findings.sort_by_key(|f| (f.range.start, f.range.end, f.code));
    findings
}

/// A heading docutils rejects (an inconsistent title level) is not a section: the
/// template entry it was meant to be is missing, and the section before it holds what
/// follows. Its heading-structure finding, with the fix that gives it its level's
/// adornment, stands for all that; the findings the fixes undo are not reported.
fn collapse_rejected(
    text: &str,
    template: &Template,
    mut findings: Vec<Finding>,
    rerun: impl Fn(&str) -> Vec<Finding>,
) -> Vec<Finding> {
    let rejected = |f: &Finding| f.code == Code::HeadingStructure && !f.fixes.is_empty();
    // (another heading docutils rejects is no template entry: nothing else is about it)
    let template_heading = |f: &Finding| {
        rejected(f) && (f.data.section.as_deref()).is_some_and(|t| template.depth_of(t).is_some())
    };
    let fixes_of = |keep: &dyn Fn(&Finding) -> bool| -> Vec<Edit> {
        (findings.iter())
            .filter(|f| keep(f))
            .flat_map(|f| f.fixes(text).first().map(|fix| fix.edits.clone()))
            .flatten()
            .collect()
    };
    let edits = fixes_of(&template_heading);
    // a near miss of a template heading is one once its fix gives it its level: what
    // it is then (a title-mismatch, and out of order if it is) is said now, without a fix
    // (made for the text as it will be)
    let near_miss = |f: &Finding| {
        rejected(f)
            && !template_heading(f)
            && (f.data.section.as_deref()).is_some_and(|t| near_template(template, t))
    };
    let near = fixes_of(&near_miss);
    let mut renamed: Vec<Finding> = Vec::new();
    if !near.is_empty() {
        let titles: Vec<&str> = (findings.iter())
            .filter(|f| near_miss(f))
            .filter_map(|f| f.data.section.as_deref())
            .collect();
        let about = |g: &Finding| match g.code {
            Code::TitleMismatch => true,
            Code::SectionOrder => (g.data.section.as_deref()).is_some_and(|t| titles.contains(&t)),
            _ => false,
        };
        let all: Vec<Edit> = edits.iter().chain(&near).cloned().collect();
        renamed = (rerun(&super::apply_edits(text, &all)).into_iter())
            .filter(|g| about(g))
            .filter(|g| {
                !findings
                    .iter()
                    .any(|f| f.code == g.code && f.data == g.data)
            })
            .map(|g| Finding {
                range: map_back(&all, g.range.start)..map_back(&all, g.range.end),
                fixes: Fixes::None,
                ..g
            })
            .collect();
    }
    if edits.is_empty() && near.is_empty() {
        return findings;
    }
    if !edits.is_empty() {
        let fixed = rerun(&super::apply_edits(text, &edits));
        // (a short underline is measured on a rejected heading too: fixed on its own, or
        // by the fix that gives the heading its level's adornment)
        let keep = |f: &Finding| rejected(f) || f.code == Code::HeadingUnderline;
        let (_, revealed) = undo(&mut findings, &fixed, &edits, keep);
        findings.extend(revealed);
        renamed.retain(|g| !(findings.iter()).any(|f| f.code == g.code && f.data == g.data));
    }
    findings.extend(renamed);
    // a template heading (or a near miss of one) docutils does not see is neither in
    // place nor missing: the structural fixes around it wait for its fix
    for f in &mut findings {
        if CASCADE.contains(&f.code) && !rejected(f) {
            f.fixes = Fixes::None;
        }
    }
    findings
}

/// Drop the cascade findings the `edits` undo (those not in `fixed`, the findings of the
/// text with them applied) but those `keep` holds. Returns whether any finding was
/// undone, and the ones the edits reveal (in `fixed` only: other mistakes the cascade
/// hid), without fixes (made for the text as it will be).
fn undo(
    findings: &mut Vec<Finding>,
    fixed: &[Finding],
    edits: &[Edit],
    keep: impl Fn(&Finding) -> bool,
) -> (bool, Vec<Finding>) {
    let same = |f: &Finding, g: &Finding| {
        g.code == f.code && g.data == f.data && (f.data.section.is_some() || g.message == f.message)
    };
    let before = findings.len();
    findings.retain(|f| !follows_adornment(f.code) || keep(f) || fixed.iter().any(|g| same(f, g)));
    let revealed: Vec<Finding> = (fixed.iter())
        // (not docutils' messages: it says them of the text as it will be)
        .filter(|g| follows_adornment(g.code) && g.code != Code::HeadingStructure)
        .filter(|g| !findings.iter().any(|f| same(f, g)))
        .map(|g| Finding {
            range: map_back(edits, g.range.start)..map_back(edits, g.range.end),
            fixes: Fixes::None,
            ..g.clone()
        })
        .collect();
    (findings.len() < before, revealed)
}

/// Replace the cascade of a level set with the wrong adornment by one finding.
fn collapse_slip(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
    mut findings: Vec<Finding>,
    rerun: impl Fn(&str) -> Vec<Finding>,
) -> Vec<Finding> {
    let Some(slip) = slip(text, outline, template) else {
        return findings;
    };
    let Some(severity) = config.severity(Code::SectionLevel) else {
        return findings;
    };
    let h = slip.heading;
    let fix = restyle(h, slip.want);
    // (another heading with the wrong adornment, one the fix does not undo, is among
    // the findings of the fixed text: reported, and fixed next)
    let fixed = rerun(&super::apply_edits(text, &fix.edits));
    // a finding that already points this heading at this fix (a misadorned subsection)
    let on_it = |f: &Finding| {
        f.code == Code::SectionLevel
            && f.range == h.range()
            && f.fixes(text).first().is_some_and(|g| g.edits == fix.edits)
    };
    let known = findings.iter().any(on_it);
    // other mistakes (headings at the wrong level, sections out of order) are not the
    // cascade: they stay reported, their fixes offered once the slip is fixed
    let (collapsed, revealed) = undo(&mut findings, &fixed, &fix.edits, on_it);
    if collapsed {
        findings.extend(revealed);
    }
    if known || collapsed {
        // the other structural fixes were made for the shifted levels: they are offered
        // once the slip is fixed
        for f in &mut findings {
            if CASCADE.contains(&f.code) && !on_it(f) {
                f.fixes = Fixes::None;
            }
        }
    }
    // no cascade to stand for (a spec upstream accepts as it is): nothing to add
    if !known && collapsed {
        let noun = |depth| if depth == 1 { "section" } else { "subsection" };
        let kind = noun(slip.depth);
        let got = describe_style(h.style);
        let want = describe_style(slip.want);
        let template_has = if template.style(slip.want_depth) != Some(slip.want) {
            format!("the spec writes its {kind}s after it with a {want}")
        } else if slip.want_depth == slip.depth {
            format!("the template's {kind}s have a {want}")
        } else {
            format!(
                "it is a {} in the template, where {}s have a {want}",
                noun(slip.want_depth),
                noun(slip.want_depth)
            )
        };
        findings.push(Finding {
            code: Code::SectionLevel,
            severity,
            range: h.range(),
            message: format!(
                "'{}' has a {got}, but {template_has}: as the first {kind} heading, it made {got} level {} (set by line {}), so the headings after it are nested at the wrong levels: give it the {want}",
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
    findings
}

/// `x`, an offset of the text with `edits` applied, in the text as written: offsets in
/// a replacement map to the start of what it replaced.
fn map_back(edits: &[Edit], x: usize) -> usize {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.range.start);
    // how much longer the fixed text is than the written one, before the current edit
    let mut shift: isize = 0;
    for e in sorted {
        let start = e.range.start.saturating_add_signed(shift);
        let end = start + e.new_text.len();
        if x < start {
            break;
        }
        if x < end {
            return e.range.start;
        }
        shift += e.new_text.len() as isize - e.range.len() as isize;
    }
    x.saturating_add_signed(-shift)
}
