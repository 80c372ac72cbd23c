//! The template's structure: missing and extra sections, missing subsections, near-miss
//! titles, template headings at the wrong depth and sections out of template order, with
//! fixes that insert, rename and move sections.
//!
//! Upstream parity: top-level titles are compared verbatim; when a title occurs twice
//! the last occurrence counts (upstream builds a dict); only the template's subsections
//! are required, extra ones are allowed; subsections of a missing section are not
//! reported. A title-mismatch or section-level finding stands for the missing/extra pair
//! upstream reports, and is an error too.

use super::edit::{
    Insertion, insert_blocks, lengthen_adornments, level_style, move_section, section_block,
};
use super::{Code, Cx, Edit, FindingData, Fix};
use crate::config::Config;
use crate::rst::column_width;
use crate::rst::{Outline, Section};
use crate::template::{NEAR_MISS, Template, TemplateSection, similarity};

/// One level of the document matched against one level of the template.
struct Matching<'a> {
    tpl: &'a [TemplateSection],
    doc: &'a [Section],
    /// Template entry -> the document section that counts for it (the last occurrence).
    present: Vec<Option<usize>>,
    /// Document section -> its template entry.
    tpl_of: Vec<Option<usize>>,
    /// Where sections inserted after every section of this level go.
    end: usize,
    /// The parent section's title (None at the top level).
    parent: Option<&'a str>,
    /// Heading depth of this level (1: sections, 2: subsections).
    depth: usize,
}

impl<'a> Matching<'a> {
    fn new(
        tpl: &'a [TemplateSection],
        doc: &'a [Section],
        end: usize,
        parent: Option<&'a str>,
        depth: usize,
    ) -> Matching<'a> {
        // Templates have a dozen sections: a scan beats hashing.
        let tpl_of: Vec<Option<usize>> = doc
            .iter()
            .map(|s| tpl.iter().position(|t| t.title == s.heading.title))
            .collect();
        let mut present = vec![None; tpl.len()];
        for (d, t) in tpl_of.iter().enumerate() {
            if let Some(t) = t {
                present[*t] = Some(d);
            }
        }
        Matching {
            tpl,
            doc,
            present,
            tpl_of,
            end,
            parent,
            depth,
        }
    }

    /// Offset where template entry `t` belongs: before the first section of a later
    /// template entry, else after the last section of an earlier one, else at the end.
    fn place(&self, t: usize) -> usize {
        let later = self
            .tpl_of
            .iter()
            .position(|x| x.is_some_and(|x| x > t))
            .map(|d| self.doc[d].range.start);
        let earlier = || {
            self.tpl_of
                .iter()
                .rposition(|x| x.is_some_and(|x| x < t))
                .map(|d| self.doc[d].range.end)
        };
        later.or_else(earlier).unwrap_or(self.end)
    }

    /// "after 'X'" / "before 'Y'" for template entry `t`, naming present neighbours.
    fn whereabouts(&self, t: usize) -> String {
        let prev = (0..t).rev().find(|&i| self.present[i].is_some());
        let next = (t + 1..self.tpl.len()).find(|&i| self.present[i].is_some());
        match (prev, next) {
            (Some(p), _) => format!(" after '{}'", self.tpl[p].title),
            (None, Some(n)) => format!(" before '{}'", self.tpl[n].title),
            (None, None) => String::new(),
        }
    }

    fn noun(&self) -> &'static str {
        if self.depth == 1 {
            "section"
        } else {
            "subsection"
        }
    }

    fn noun_capitalised(&self) -> &'static str {
        if self.depth == 1 {
            "Section"
        } else {
            "Subsection"
        }
    }
}

pub(super) fn check(cx: &mut Cx) {
    check_and_plan(cx);
}

/// One edit set that inserts every missing section and subsection (each heading in the
/// document's adornment style, with "None" as its body) at its template position; for
/// the "insert all missing sections" source action. `None` when nothing is missing.
pub fn fix_all_missing(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
) -> Option<Fix> {
    let mut cx = Cx::new(text, outline, template, config);
    let blocks = check_and_plan(&mut cx);
    (!blocks.is_empty()).then(|| Fix {
        title: "Add all missing sections".to_string(),
        edits: insert_blocks(text, blocks),
    })
}

/// Report the structural findings; return the blocks that insert the missing ones.
fn check_and_plan(cx: &mut Cx) -> Vec<Insertion> {
    let (text, outline, template) = (cx.text, cx.outline, cx.template);
    let top = Matching::new(&template.sections, &outline.sections, text.len(), None, 1);
    let mut missing: Vec<usize> = (0..top.tpl.len())
        .filter(|&t| top.present[t].is_none())
        .collect();
    let allowed = &cx.config.allow_extra;
    let mut extra: Vec<usize> = (0..top.doc.len())
        .filter(|&d| top.tpl_of[d].is_none() && !allowed.contains(&top.doc[d].heading.title))
        .collect();
    let placed_subs = subsections_at_top_level(cx, &top, &mut extra);
    // Template sections written below the top level.
    missing
        .retain(|&t| !report_nested(cx, &outline.sections, &top.tpl[t].title, top.place(t), None));
    near_misses(cx, &top, &mut missing, &mut extra);
    let mut blocks = Vec::new();
    for &t in &missing {
        blocks.extend(missing_section(cx, &top, t, &[]));
    }
    for &d in &extra {
        extra_section(cx, &top, d);
    }
    order(cx, &top);
    for (p, d) in top.present.iter().enumerate() {
        let Some(d) = *d else { continue };
        let done: Vec<&str> = placed_subs
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, s)| *s)
            .collect();
        blocks.extend(subsections(cx, &top, p, d, &done));
    }
    blocks
}

/// Template subsections written as top-level sections (taken out of `extra`): each is
/// reported at the wrong level, with a fix moving it under its section. Returns them as
/// (template section, subsection title).
fn subsections_at_top_level<'a>(
    cx: &mut Cx<'a>,
    top: &Matching<'a>,
    extra: &mut Vec<usize>,
) -> Vec<(usize, &'a str)> {
    let (text, outline, template) = (cx.text, cx.outline, cx.template);
    let mut placed = Vec::new();
    extra.retain(|&d| {
        let section = &top.doc[d];
        let Some((p, s)) = subsection_owner(top, &section.heading.title) else {
            return true;
        };
        let parent = &top.doc[top.present[p].unwrap_or_default()];
        let sub = Matching::new(
            &top.tpl[p].subsections,
            &parent.sections,
            parent.range.end,
            None,
            2,
        );
        let fix = section.sections.is_empty().then(|| Fix {
            title: format!(
                "Move '{}' under '{}'",
                section.heading.title, top.tpl[p].title
            ),
            edits: move_section(
                text,
                section,
                sub.place(s),
                Some(level_style(outline, template, 2)),
            ),
        });
        level_finding(cx, section, None, Some(&top.tpl[p].title), fix);
        placed.push((p, top.tpl[p].subsections[s].title.as_str()));
        false
    });
    placed
}

/// The subsections of template section `p`, present as document section `d`: missing
/// ones (but those in `done`, already reported at the top level), ones written deeper,
/// near misses, order. Returns the blocks that insert the missing ones.
fn subsections(cx: &mut Cx, top: &Matching, p: usize, d: usize, done: &[&str]) -> Vec<Insertion> {
    let parent = &top.doc[d];
    let title = parent.heading.title.as_str();
    let sub = Matching::new(
        &top.tpl[p].subsections,
        &parent.sections,
        parent.range.end,
        Some(title),
        2,
    );
    let mut missing: Vec<usize> = (0..sub.tpl.len())
        .filter(|&s| sub.present[s].is_none() && !done.contains(&sub.tpl[s].title.as_str()))
        .collect();
    missing.retain(|&s| {
        !report_nested(
            cx,
            &parent.sections,
            &sub.tpl[s].title,
            sub.place(s),
            Some(title),
        )
    });
    let mut extra: Vec<usize> = (0..sub.doc.len())
        .filter(|&d| sub.tpl_of[d].is_none())
        .collect();
    near_misses(cx, &sub, &mut missing, &mut extra);
    let mut blocks = Vec::new();
    for &s in &missing {
        blocks.extend(missing_section(cx, &sub, s, done));
    }
    order(cx, &sub);
    blocks
}

/// The template section `p` and subsection index `s` titled `title`, if `p` is present
/// and lacks it.
fn subsection_owner(top: &Matching, title: &str) -> Option<(usize, usize)> {
    top.tpl.iter().enumerate().find_map(|(p, t)| {
        let d = top.present[p]?;
        let s = t.subsections.iter().position(|s| s.title == title)?;
        let has = top.doc[d].sections.iter().any(|c| c.heading.title == title);
        (!has).then_some((p, s))
    })
}

/// The first section titled `title` strictly below one of `sections`, with its parent.
fn find_nested<'a>(sections: &'a [Section], title: &str) -> Option<(&'a Section, &'a Section)> {
    sections.iter().find_map(|parent| {
        parent
            .sections
            .iter()
            .find(|c| c.heading.title == title)
            .map(|c| (c, parent))
            .or_else(|| find_nested(&parent.sections, title))
    })
}

/// If template entry `name` is written deeper below `sections` than the template has
/// it, report a section-level finding, with a fix moving it to `at` under
/// `belongs_under` (the top level when `None`), and return true.
fn report_nested(
    cx: &mut Cx,
    sections: &[Section],
    name: &str,
    at: usize,
    belongs_under: Option<&str>,
) -> bool {
    let Some((section, holder)) = find_nested(sections, name) else {
        return false;
    };
    let (title, depth) = match belongs_under {
        Some(p) => (format!("Move '{name}' directly under '{p}'"), 2),
        None => (format!("Move '{name}' to the top level"), 1),
    };
    let fix = section.sections.is_empty().then(|| Fix {
        title,
        edits: move_section(
            cx.text,
            section,
            at,
            Some(level_style(cx.outline, cx.template, depth)),
        ),
    });
    level_finding(cx, section, Some(&holder.heading.title), belongs_under, fix);
    true
}

fn level_finding(
    cx: &mut Cx,
    section: &Section,
    parent: Option<&str>,
    belongs_under: Option<&str>,
    fix: Option<Fix>,
) {
    let title = &section.heading.title;
    let message = match (belongs_under, parent) {
        (Some(p), None) => {
            format!("'{title}' is a subsection of '{p}' in the template: move it under '{p}'")
        }
        (Some(p), Some(here)) => format!(
            "'{title}' is a direct subsection of '{p}' in the template, not of '{here}': move it up a level"
        ),
        (None, here) => format!(
            "'{title}' is a top-level section in the template, not a subsection of '{}': move it to the top level",
            here.unwrap_or_default()
        ),
    };
    cx.report(
        Code::SectionLevel,
        section.heading.range(),
        message,
        FindingData {
            section: Some(title.clone()),
            parent: parent.map(str::to_string),
            expected: belongs_under.map(str::to_string),
        },
        fix.into_iter().collect(),
    );
}

/// Pair missing template entries with extra document sections whose titles are near
/// misses (best pairs first); report each pair as one title-mismatch.
fn near_misses(cx: &mut Cx, level: &Matching, missing: &mut Vec<usize>, extra: &mut Vec<usize>) {
    if missing.is_empty() || extra.is_empty() {
        return;
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for &t in missing.iter() {
        for &d in extra.iter() {
            let score = similarity(&level.tpl[t].title, &level.doc[d].heading.title);
            if score >= NEAR_MISS {
                pairs.push((score, t, d));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, t, d) in pairs {
        if !(missing.contains(&t) && extra.contains(&d)) {
            continue;
        }
        missing.retain(|&x| x != t);
        extra.retain(|&x| x != d);
        mismatch(cx, level, t, d);
    }
}

fn mismatch(cx: &mut Cx, level: &Matching, t: usize, d: usize) {
    let expected = &level.tpl[t].title;
    let h = &level.doc[d].heading;
    let mut edits = vec![Edit {
        range: h.title_range.clone(),
        new_text: expected.clone(),
    }];
    edits.extend(lengthen_adornments(h, column_width(expected)));
    cx.report(
        Code::TitleMismatch,
        h.range(),
        format!(
            "did you mean '{expected}'? {} titles must match the template's exactly",
            level.noun_capitalised()
        ),
        FindingData {
            section: Some(h.title.clone()),
            parent: level.parent.map(str::to_string),
            expected: Some(expected.clone()),
        },
        vec![Fix {
            title: format!("Rename to '{expected}'"),
            edits,
        }],
    );
}

/// Report template entry `t` as missing, with a fix inserting it (and, for a section,
/// its required subsections); returns the inserted block for the fix-all action.
fn missing_section(cx: &mut Cx, level: &Matching, t: usize, skip: &[&str]) -> Option<Insertion> {
    let (code, rank) = if level.depth == 1 {
        (Code::MissingSection, 1)
    } else {
        (Code::MissingSubsection, 0)
    };
    let entry = &level.tpl[t];
    if cx.config.is_optional(level.parent, &entry.title) || !cx.on(code) {
        return None;
    }
    let (outline, template) = (cx.outline, cx.template);
    let subs: Vec<String> = if level.depth == 1 {
        let style = level_style(outline, template, 2);
        entry
            .subsections
            .iter()
            .filter(|s| {
                !cx.config.is_optional(Some(&entry.title), &s.title)
                    && !skip.contains(&s.title.as_str())
            })
            .map(|s| section_block(&s.title, style, &[]))
            .collect()
    } else {
        Vec::new()
    };
    let block = section_block(
        &entry.title,
        level_style(outline, template, level.depth),
        &subs,
    );
    let at = level.place(t);
    let range = heading_at(outline, at).unwrap_or(at..at);
    let whereabouts = level.whereabouts(t);
    let subtitle = outline.subtitle.as_ref().filter(|s| s.title == entry.title);
    let message = match (level.parent, subtitle) {
        (Some(parent), _) => format!(
            "add subsection '{}' to '{parent}'{whereabouts}",
            entry.title
        ),
        (None, Some(_)) => format!(
            "'{}' is taken as the document's subtitle, not a section, because it is the only section: add the template's other sections",
            entry.title
        ),
        (None, None) => format!("add section '{}'{whereabouts}", entry.title),
    };
    let fixes = if subtitle.is_some() {
        Vec::new()
    } else {
        vec![Fix {
            title: format!("Add {} '{}'", level.noun(), entry.title),
            edits: insert_blocks(cx.text, vec![(at, (rank, t), block.clone())]),
        }]
    };
    cx.report(
        code,
        range,
        message,
        FindingData::section(&entry.title, level.parent),
        fixes,
    );
    subtitle.is_none().then_some((at, (rank, t), block))
}

/// The range of the heading of the section that starts at `at`, if any.
fn heading_at(outline: &Outline, at: usize) -> Option<std::ops::Range<usize>> {
    fn find(sections: &[Section], at: usize) -> Option<std::ops::Range<usize>> {
        let i = sections.partition_point(|s| s.range.end <= at);
        let s = sections.get(i)?;
        if s.range.start == at {
            Some(s.heading.range())
        } else {
            find(&s.sections, at)
        }
    }
    find(&outline.sections, at)
}

fn extra_section(cx: &mut Cx, top: &Matching, d: usize) {
    let section = &top.doc[d];
    let title = &section.heading.title;
    let unpromoted_title = d == 0
        && cx.outline.title.is_none()
        && section
            .sections
            .iter()
            .any(|c| top.tpl.iter().any(|t| t.title == c.heading.title));
    let owner = top
        .tpl
        .iter()
        .find(|t| t.subsections.iter().any(|s| &s.title == title));
    let message = match (unpromoted_title, owner) {
        (true, _) => format!(
            "'{title}' is not taken as the document title because text comes before it, so the sections under it are not top-level sections: move that text below the title (or into the comment)"
        ),
        (false, Some(owner)) => format!(
            "'{title}' is not a top-level section in the template: it belongs under '{}'",
            owner.title
        ),
        (false, None) => format!(
            "section '{title}' is not in the template: rename it to a template section, or make it a subsection of one (extra subsections are allowed)"
        ),
    };
    cx.report(
        Code::ExtraSection,
        section.heading.range(),
        message,
        FindingData::section(title, None),
        Vec::new(),
    );
}

/// section-order: the sections that must move are those outside a longest run of
/// present template sections in template order.
fn order(cx: &mut Cx, level: &Matching) {
    if !cx.on(Code::SectionOrder) {
        return;
    }
    // (document index, template index) of the template sections, in document order;
    // a title written twice has no one place, so it takes no part.
    let once = |t: usize| level.tpl_of.iter().filter(|&&x| x == Some(t)).count() == 1;
    let seq: Vec<(usize, usize)> = level
        .tpl_of
        .iter()
        .enumerate()
        .filter_map(|(d, t)| t.filter(|&t| once(t)).map(|t| (d, t)))
        .collect();
    let keep = longest_increasing(&seq.iter().map(|&(_, t)| t).collect::<Vec<_>>());
    let kept: Vec<(usize, usize)> = keep.iter().map(|&i| seq[i]).collect();
    for (i, &(d, t)) in seq.iter().enumerate() {
        if keep.contains(&i) {
            continue;
        }
        let section = &level.doc[d];
        let prev = kept.iter().rev().find(|&&(_, k)| k < t);
        let next = kept.iter().find(|&&(_, k)| k > t);
        let (at, wherever) = match (prev, next) {
            (Some(&(pd, pt)), _) => (
                level.doc[pd].range.end,
                format!("after '{}'", level.tpl[pt].title),
            ),
            (None, Some(&(nd, nt))) => (
                level.doc[nd].range.start,
                format!("before '{}'", level.tpl[nt].title),
            ),
            (None, None) => continue,
        };
        let title = &section.heading.title;
        cx.report(
            Code::SectionOrder,
            section.heading.range(),
            format!(
                "{} '{title}' is out of template order: move it {wherever}",
                level.noun()
            ),
            FindingData::section(title, level.parent),
            vec![Fix {
                title: format!("Move '{title}' {wherever}"),
                edits: move_section(cx.text, section, at, None),
            }],
        );
    }
}

/// Indices of a longest strictly increasing subsequence of `xs` (the earliest such).
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let n = xs.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if xs[j] < xs[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut i) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut out = vec![i];
    while prev[i] != usize::MAX {
        i = prev[i];
        out.push(i);
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lis_keeps_the_longest_run() {
        assert_eq!(longest_increasing(&[0, 1, 2]), vec![0, 1, 2]);
        assert_eq!(longest_increasing(&[0, 3, 1, 2]), vec![0, 2, 3]);
        assert_eq!(longest_increasing(&[2, 0, 1]), vec![1, 2]);
        assert!(longest_increasing(&[]).is_empty());
    }
}
