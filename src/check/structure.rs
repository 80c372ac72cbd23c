//! The template's structure: missing and extra sections, missing subsections, near-miss
//! titles, template headings at the wrong depth and sections out of template order, with
//! fixes that insert, rename and move sections.
//!
//! Upstream parity: top-level titles are compared verbatim; when a title occurs twice
//! the last occurrence counts (upstream builds a dict); only the template's subsections
//! are required, extra ones are allowed; subsections of a missing section are not
//! reported. A title-mismatch or section-level finding stands for the missing/extra pair
//! upstream reports, and is an error too.

use std::collections::HashSet;

use super::edit::{
    Apart, Insertion, describe_style, heading_text, insert_blocks, lengthen_adornments, move_apart,
    move_restyled, move_sections, restyle, section_block,
};
use super::title::carried;
use super::{Code, Cx, Edit, FindingData, Fix, Fixes};
use crate::config::Config;
use crate::rst::column_width;
use crate::rst::{Heading, Outline, Section, Style};
use crate::template::{CLOSE, Comparable, NEAR_MISS, Template, TemplateSection, alike, most_alike};

/// One level of the document matched against one level of the template.
struct Matching<'a> {
    tpl: &'a [TemplateSection],
    doc: Vec<&'a Section>,
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
    /// The parent section's heading (None at the top level).
    parent_heading: Option<std::ops::Range<usize>>,
    /// Which template sections are in order, and which must move.
    order: Order,
    /// Template entries a copy of which moves here, once per copy (see
    /// [`Matching::expect`]).
    coming: Vec<usize>,
    /// Per document section, whether it is leaving this level (see [`Matching::expect`]).
    leaving: Vec<bool>,
    /// Whether these are the subsections of a section written a level too deep, which
    /// its move takes along (see [`Matching::rank`]).
    moving: bool,
    /// At the top level, the template entry the section docutils takes as the subtitle
    /// stands for (its title, or a near miss of it).
    subtitle: Option<usize>,
}

/// The present template sections (each written once) fall into chains: runs of
/// sections next to each other in the document (but for sections leaving the level
/// between them, which part no run) that are consecutive in template order.
/// The chains of a longest run of chains in template order (the heaviest of those) are
/// in order; the others must move, each as a whole.
struct Order {
    /// (document index, template index) of the sections written once, in document order.
    seq: Vec<(usize, usize)>,
    /// Their template indices, sorted.
    sorted: Vec<usize>,
    /// Slices of `seq`.
    chains: Vec<std::ops::Range<usize>>,
    /// Each chain's weight: its sections, and those the fixes will add to it (see
    /// [`Matching::settle`]).
    sizes: Vec<usize>,
    /// Indices of the chains in order.
    keep: Vec<usize>,
}

impl Order {
    /// The order of the sections `tpl_of` maps to template entries, copies of those in
    /// `coming` still to be moved here, those `leaving` marks about to leave.
    fn new(tpl_of: &[Option<usize>], coming: &[usize], leaving: &[bool]) -> Order {
        // A title written twice (or to be, once a copy moves here) has no one place, so
        // it takes no part.
        let entries = tpl_of.iter().flatten().max().map_or(0, |&t| t + 1);
        // (counted up to 2, on the stack for a template's dozen entries)
        let (mut small, mut large) = ([0u8; 64], Vec::new());
        let count: &mut [u8] = match small.get_mut(..entries) {
            Some(count) => count,
            None => {
                large.resize(entries, 0);
                &mut large
            }
        };
        for &t in tpl_of.iter().flatten().chain(coming) {
            if let Some(n) = count.get_mut(t) {
                *n = (*n + 1).min(2);
            }
        }
        let once = |t: usize| count[t] == 1;
        // (sized at once: collecting a filter grows the vector a few times)
        let mut seq: Vec<(usize, usize)> = Vec::with_capacity(tpl_of.len());
        seq.extend(
            (tpl_of.iter().enumerate()).filter_map(|(d, t)| t.filter(|&t| once(t)).map(|t| (d, t))),
        );
        let mut sorted: Vec<usize> = seq.iter().map(|&(_, t)| t).collect();
        sorted.sort_unstable();
        let rank = |t: usize| sorted.binary_search(&t).unwrap_or_default();
        // (the usual next entry is the template's next one: then their ranks are too)
        let follows = |a: usize, b: usize| b == a + 1 || rank(a) + 1 == rank(b);
        let next_to = |a: usize, b: usize| (a + 1..b).all(|x| leaving.get(x) == Some(&true));
        let mut chains: Vec<std::ops::Range<usize>> = Vec::with_capacity(seq.len());
        for (i, &(d, t)) in seq.iter().enumerate() {
            match chains.last_mut() {
                Some(c) if next_to(seq[i - 1].0, d) && follows(seq[i - 1].1, t) => c.end += 1,
                _ => chains.push(i..i + 1),
            }
        }
        let sizes: Vec<usize> = chains.iter().map(ExactSizeIterator::len).collect();
        let mut order = Order {
            seq,
            sorted,
            chains,
            sizes,
            keep: Vec::new(),
        };
        order.choose();
        order
    }

    /// The chains kept in order: the heaviest run of chains in template order.
    fn choose(&mut self) {
        let head = |c: &std::ops::Range<usize>| self.seq[c.start].1;
        // (the usual document is in order: then every chain is kept)
        self.keep = if (self.chains.windows(2)).all(|w| head(&w[0]) < head(&w[1])) {
            (0..self.chains.len()).collect()
        } else {
            let heads: Vec<usize> = self.chains.iter().map(head).collect();
            heaviest_increasing(&heads, &self.sizes)
        };
    }

    fn rank(&self, t: usize) -> usize {
        self.sorted.binary_search(&t).unwrap_or_default()
    }
}

impl<'a> Matching<'a> {
    fn new(
        tpl: &'a [TemplateSection],
        doc: Vec<&'a Section>,
        end: usize,
        parent: Option<&'a Section>,
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
            order: Order::new(&tpl_of, &[], &[]),
            coming: Vec::new(),
            leaving: Vec::new(),
            moving: false,
            subtitle: None,
            tpl_of,
            end,
            parent: parent.map(|p| p.heading.title.as_str()),
            parent_heading: parent.map(|p| p.heading.range()),
            depth,
        }
    }

    /// Where template entry `t` belongs, and its neighbour there: after the present
    /// template section it follows in the final order, else before the one it precedes,
    /// else at the end. Wherever that neighbour is now, the insertion joins its chain
    /// (see [`Order`]) and splits none, so it adds no section-order finding.
    fn place(&self, t: usize) -> (usize, String) {
        // (named as written: a near miss keeps its title until it is renamed)
        match self.neighbour(t) {
            // (`concat` sizes the string at once; this is asked for every missing entry)
            Some((d, true)) => (
                self.doc[d].range.end,
                [" after '", &self.doc[d].heading.title, "'"].concat(),
            ),
            Some((d, false)) => (
                self.doc[d].range.start,
                [" before '", &self.doc[d].heading.title, "'"].concat(),
            ),
            None => (self.end, String::new()),
        }
    }

    /// Judge the order with the copies of template entries in `coming` moved here
    /// already (one written here too is then written twice, and has no one place), and
    /// the sections starting at `lifting` gone (template sections written a level too
    /// deep, whose move to the top level is offered: between two sections in order, they
    /// part no run, so that their leaving and their arrival with a section that a move
    /// brings here change nothing).
    fn expect(&mut self, coming: Vec<usize>, lifting: &[usize]) {
        // (asked of a new matching: the order it judged with nothing coming or leaving
        // stands while that is still so)
        let before = self.coming.is_empty() && !self.leaving.contains(&true);
        self.leaving = (self.doc.iter())
            .map(|s| lifting.contains(&s.range.start))
            .collect();
        if !(before && coming.is_empty() && !self.leaving.contains(&true)) {
            self.order = Order::new(&self.tpl_of, &coming, &self.leaving);
        }
        self.coming = coming;
    }

    /// Where a copy of template entry `t` that a move brings here lands, and its rank
    /// there: at its place, but for a copy of one written here (next to that one) and
    /// one brought more than once (at the end): a title written twice has no one place
    /// (see [`Order`]), so each goes where it parts no run of sections in order.
    fn landing(&self, t: usize) -> (usize, (u8, usize)) {
        let twice = self.coming.iter().filter(|&&x| x == t).nth(1).is_some();
        match self.present[t] {
            Some(d) => (self.doc[d].range.end, (0, t)),
            None if twice => (self.end, (1, t)),
            None => (self.place(t).0, self.rank(t)),
        }
    }

    /// Where template entry `t` goes among the blocks inserted at its place: at one
    /// offset subsections come before sections, and those that go after the section
    /// ending there (or end the subsections a move takes along), then those that end the
    /// section ending there, then those that go before the one starting there.
    fn rank(&self, t: usize) -> (u8, usize) {
        let class = match self.neighbour(t) {
            Some((_, true)) => 0,
            None => u8::from(!self.moving),
            Some((_, false)) => 2,
        };
        (3 * u8::from(self.depth == 1) + class, t)
    }

    /// The document section template entry `t` goes next to (see [`Matching::place`]),
    /// and whether it goes after it.
    fn neighbour(&self, t: usize) -> Option<(usize, bool)> {
        let present = |x: usize| self.order.seq.iter().find(|&&(_, y)| y == x).copied();
        let earlier = (0..t).rev().find_map(present).map(|(d, _)| (d, true));
        earlier.or_else(|| {
            (t + 1..self.tpl.len())
                .find_map(present)
                .map(|(d, _)| (d, false))
        })
    }

    /// Weigh the order as it will be once every template entry missing here is added
    /// or moved here (but optional ones, and those nested under a sibling, which its
    /// restyling brings): each joins the chain of the neighbour [`Matching::place`] puts
    /// it next to, so that no fix adding or moving one changes which chains are in order.
    fn settle(&mut self, config: &Config, subtitle: Option<&Heading>, slips: &[&str]) {
        let order = &self.order;
        let chain_of = |d: usize| {
            let i = order.seq.iter().position(|&(x, _)| x == d)?;
            order.chains.iter().position(|c| c.contains(&i))
        };
        let mut added = vec![0; order.chains.len()];
        for t in 0..self.tpl.len() {
            let title = self.tpl[t].title.as_str();
            // (one that arrives twice has no one place: it joins no chain)
            let here = self.present[t].is_some() || order.seq.iter().any(|&(_, x)| x == t);
            let twice = self.coming.iter().filter(|&&x| x == t).nth(1).is_some();
            // (looked for only when neither settles it: most entries are here)
            let restyled = || {
                !slips.contains(&title)
                    && (self.doc.iter().zip(&self.tpl_of)).any(|(d, x)| {
                        x.is_some() && d.sections.iter().any(|c| c.heading.title == title)
                    })
            };
            let subtitle = subtitle.is_some_and(|h| h.title == title);
            if here || twice || restyled() || subtitle || config.is_optional(self.parent, title) {
                continue;
            }
            let d = self.neighbour(t).map(|(d, _)| d);
            if let Some(c) = d.and_then(chain_of) {
                added[c] += 1;
            }
        }
        if added.iter().any(|&n| n > 0) {
            for (size, n) in self.order.sizes.iter_mut().zip(added) {
                *size += n;
            }
            self.order.choose();
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

/// Where a template section's subsections are: under it, or, for a section written a
/// level too deep whose move to the top level is offered, under it and the sibling
/// sections after it that the move takes along (its subsections once it is moved: they
/// are judged as such now, so that the move reveals nothing).
#[derive(Clone, Copy)]
struct Holder<'a> {
    section: &'a Section,
    subs: &'a [Section],
    /// The siblings after it that its move takes along.
    more: &'a [Section],
    /// Where subsections inserted after every one of them go.
    end: usize,
}

impl<'a> Holder<'a> {
    fn of(section: &'a Section) -> Holder<'a> {
        Holder {
            section,
            subs: &section.sections,
            more: &[],
            end: section.range.end,
        }
    }

    /// Its subsections, in document order.
    fn sections(&self) -> Vec<&'a Section> {
        self.subs.iter().chain(self.more).collect()
    }

    /// Where `lifting` has sections leaving their level start (see [`Matching::expect`]),
    /// but the siblings after it that its move takes along: they leave their level with
    /// it, and stay its subsections.
    fn staying(&self, lifting: &[usize]) -> Vec<usize> {
        let along = |x: usize| {
            !self.section.range.contains(&x)
                && (self.subs.iter().chain(self.more)).any(|s| s.range.start == x)
        };
        lifting.iter().copied().filter(|&x| !along(x)).collect()
    }

    /// The first of its subsections' descendants titled `title` (see [`find_nested`]).
    fn find_nested(&self, title: &str) -> Option<(&'a Section, &'a Section)> {
        find_nested(self.subs, title).or_else(|| find_nested(self.more, title))
    }
}

pub(super) fn check(cx: &mut Cx) {
    check_and_plan(cx);
}

/// One edit set that inserts every missing section and subsection (each heading in the
/// document's adornment style, with "None" as its body) at its template position; for
/// the "insert all missing sections" source action. `None` when nothing is missing, or
/// while a level is set with the wrong adornment (its fix comes first).
pub fn fix_all_missing(
    text: &str,
    outline: &Outline,
    template: &Template,
    config: &Config,
) -> Option<Fix> {
    if super::cascade::shifted(text, outline, template) {
        return None;
    }
    let mut cx = Cx::new(text, outline, template, config);
    let blocks = check_and_plan(&mut cx);
    let styles = [1, 2].map(|depth| cx.level_style(depth));
    (!blocks.is_empty()).then(|| {
        let fix = Fix {
            title: "Add all missing sections".to_string(),
            edits: insert_blocks(text, blocks),
        };
        carried(outline, template, &styles, fix)
    })
}

/// Report the structural findings; return the blocks that insert the missing ones.
fn check_and_plan(cx: &mut Cx) -> Vec<Insertion> {
    let (text, outline, template) = (cx.text, cx.outline, cx.template);
    let doc = outline.sections.iter().collect();
    let mut top = Matching::new(&template.sections, doc, text.len(), None, 1);
    let mut missing: Vec<usize> = (0..top.tpl.len())
        .filter(|&t| top.present[t].is_none())
        .collect();
    let allowed = &cx.config.allow_extra;
    let mut extra: Vec<usize> = (0..top.doc.len())
        .filter(|&d| top.tpl_of[d].is_none() && !allowed.contains(&top.doc[d].heading.title))
        .collect();
    duplicates(cx, &top);
    let mut holders: Vec<Option<Holder>> = (top.present.iter())
        .map(|d| d.map(|d| Holder::of(top.doc[d])))
        .collect();
    // Template sections written below the top level.
    let sub_style = cx.level_style(2);
    let mut lifted = Vec::new();
    // those whose subsections are under them, in an adornment the move changes: judged
    // now, so that the move reveals nothing, and fixed once it is done
    let mut fixed_once_moved = Vec::new();
    missing.retain(|&t| {
        let Some(n) = nested(cx, &outline.sections, &top.tpl[t].title, None) else {
            return true;
        };
        // (written in the adornment of subsections, as its subsections after it)
        if n.movable && n.section.sections.is_empty() && n.section.heading.style == sub_style {
            holders[t] = Some(Holder {
                section: n.section,
                subs: n.run,
                more: &[],
                end: n.end,
            });
        } else if n.movable {
            holders[t] = Some(Holder {
                section: n.section,
                subs: &n.section.sections,
                more: n.run,
                end: n.end,
            });
            fixed_once_moved.push(t);
        }
        lifted.push((t, n));
        false
    });
    // where those whose move is offered start: they are leaving their level
    // (and the subsections after them that their moves take along)
    let lifting: Vec<usize> = (lifted.iter())
        .filter(|(_, n)| n.movable)
        .flat_map(|(_, n)| std::iter::once(n.section).chain(n.run))
        .map(|s| s.range.start)
        .collect();
    let near = near_subsections(&top);
    let (mut placed_subs, mut brought) =
        subsections_at_top_level(cx, &top, &holders, &mut extra, &near, &lifting);
    let renamed = near_misses(cx, &mut top, &mut missing, &mut extra);
    // each moves next to the section it follows in the final order, near misses paired
    for (t, n) in lifted {
        n.report(cx, top.place(t).0, None);
    }
    // the subsections of a near miss written at the top level move under it as written
    let mut near_holders: Vec<Option<Holder>> = vec![None; holders.len()];
    for &(p, d) in &renamed {
        near_holders[p] = Some(Holder::of(top.doc[d]));
    }
    let (placed, more) =
        subsections_at_top_level(cx, &top, &near_holders, &mut extra, &near, &lifting);
    placed_subs.extend(placed);
    brought.extend(more);
    let subtitle_entry = subtitle_near_miss(cx, &top, &mut missing);
    top.subtitle = subtitle_entry;
    subtitle_subsection(cx, &top);
    subtitle_order(cx, &top, subtitle_entry);
    let mut blocks = Vec::new();
    for &t in &missing {
        // its subsections written at the top level (and the siblings that made their
        // children) are moved, not written again
        // (near misses included, under the template's title)
        let subs = &top.tpl[t].subsections;
        let ours = |s: &Section| subs.iter().any(|x| x.title == s.heading.title);
        let near =
            |d: usize| (near[d].filter(|&(p, _)| p == t)).map(|(_, s)| subs[s].title.as_str());
        let written: Vec<&str> = (extra.iter())
            .filter(|&&d| ours(top.doc[d]) || near(d).is_some())
            .flat_map(|&d| {
                let s = top.doc[d];
                let own = s.sections.iter().filter(|c| ours(c));
                std::iter::once(near(d).unwrap_or(&s.heading.title))
                    .chain(own.map(|c| c.heading.title.as_str()))
            })
            .collect();
        blocks.extend(missing_section(cx, &top, t, &written));
        let subtitle = (cx.outline.subtitle.as_ref()).is_some_and(|h| h.title == top.tpl[t].title);
        if !subtitle {
            let waiting_here: Vec<(&Section, usize)> = (extra.iter())
                .filter_map(|&d| {
                    let s = top.doc[d];
                    let k = subs.iter().position(|x| x.title == s.heading.title);
                    let k =
                        k.or_else(|| near(d).and_then(|n| subs.iter().position(|x| x.title == n)))?;
                    Some((s, k))
                })
                .collect();
            waiting(cx, &top, t, &waiting_here);
        }
    }
    for &d in &extra {
        extra_section(cx, &top, d, near[d]);
    }
    top.settle(cx.config, cx.outline.subtitle.as_ref(), &[]);
    order(cx, &top);
    // a near miss's subsections are checked as its template section's (upstream looks
    // into it once it is renamed): the rename reveals nothing
    let renamed = (renamed.into_iter()).map(|(p, d)| (p, Holder::of(top.doc[d])));
    let held = (holders.iter().enumerate()).filter_map(|(p, h)| Some((p, (*h)?)));
    for (p, holder) in held.chain(renamed) {
        // (a template section without subsections requires none and has no order
        // among them: most are, and there is nothing to match)
        if top.tpl[p].subsections.is_empty() {
            continue;
        }
        let done: Vec<&str> = placed_subs
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, s)| *s)
            .collect();
        let brought: Vec<&Brought> = brought.iter().filter(|b| b.parent == p).collect();
        let moving = (&done[..], &brought[..], &lifting[..]);
        let start = cx.findings.len();
        let inserted = subsections(cx, &top, p, holder, moving);
        if fixed_once_moved.contains(&p) {
            for f in &mut cx.findings[start..] {
                f.fixes = Fixes::None;
            }
        } else {
            blocks.extend(inserted);
        }
    }
    blocks
}

/// A template subsection held by a section written at the top level, which the move
/// of that section brings back.
struct Brought<'a> {
    /// The template section, and the title of its template subsection.
    parent: usize,
    title: &'a str,
    /// The section written at the top level that holds it, and the title it has there
    /// (a near miss is renamed as it moves).
    holder: &'a str,
    written: &'a str,
}

/// Template subsections written as top-level sections (taken out of `extra`): each is
/// reported at the wrong level, with a fix moving it under its section. Returns them as
/// (template section, subsection title), and the template subsections of that section
/// they hold, which the move brings back. `near`: the template subsection each
/// top-level section is a near miss of; `lifting`: where the template sections written
/// a level too deep whose move is offered start.
fn subsections_at_top_level<'a>(
    cx: &mut Cx<'a>,
    top: &Matching<'a>,
    holders: &[Option<Holder<'a>>],
    extra: &mut Vec<usize>,
    near: &[Option<(usize, usize)>],
    lifting: &[usize],
) -> (Vec<(usize, &'a str)>, Vec<Brought<'a>>) {
    // (document section, template section, subsection, the name it is renamed to)
    let mut moves: Vec<(usize, usize, usize, Option<&'a str>)> = Vec::new();
    let mut placed = Vec::new();
    extra.retain(|&d| {
        let section = top.doc[d];
        let Some((p, s)) = subsection_owner(top, holders, &section.heading.title) else {
            return true;
        };
        moves.push((d, p, s, None));
        placed.push((p, top.tpl[p].subsections[s].title.as_str()));
        false
    });
    // a near miss of a template subsection its section lacks: renamed as it moves
    extra.retain(|&d| {
        let Some((p, s)) = near[d] else {
            return true;
        };
        let Some(parent) = holders[p] else {
            return true;
        };
        let name = top.tpl[p].subsections[s].title.as_str();
        let wanted = &top.tpl[p].subsections[s].comparable;
        let there = (parent.subs.iter().chain(parent.more)).any(|c| {
            c.heading.title == name
                || alike(&Comparable::new(&c.heading.title), wanted) >= NEAR_MISS
        });
        if there || placed.contains(&(p, name)) {
            return true;
        }
        moves.push((d, p, s, Some(name)));
        placed.push((p, name));
        false
    });
    // (the usual spec moves nothing)
    if moves.is_empty() {
        return (placed, Vec::new());
    }
    // each parent's subsections as they will be once the moves are done
    let style = cx.level_style(2);
    let mut unders: Vec<Option<Matching>> = (0..top.tpl.len()).map(|_| None).collect();
    for &(_, p, _, _) in &moves {
        if let (None, Some(parent)) = (&unders[p], holders[p]) {
            let subs = &top.tpl[p].subsections;
            let coming = (moves.iter().filter(|m| m.1 == p)).flat_map(|&(d, _, s, _)| {
                let section = top.doc[d];
                let nested = (section.sections.iter())
                    .filter(|_| movable(section, style))
                    .filter_map(|c| subs.iter().position(|x| x.title == c.heading.title));
                std::iter::once(s).chain(nested)
            });
            let coming = coming.collect();
            let under = under(top, p, parent, &placed, (coming, lifting), cx.config);
            unders[p] = Some(under);
        }
    }
    let mut brought = Vec::new();
    let mut arriving = Vec::new();
    for (d, p, s, renamed) in moves {
        if let Some(sub) = &unders[p] {
            let moved = (top.doc[d], (p, s), renamed);
            arriving.extend(move_under(cx, top, sub, holders, moved, &mut brought));
        }
    }
    // what the moves bring (each, and the template subsections it nested, near misses
    // renamed): each copy of one its parent has, or that a later move brings again, is a
    // duplicate there once moved (judged now)
    arriving.sort_by_key(|a: &Arrival| a.heading.line);
    let mut last: std::collections::HashMap<(usize, usize), &Heading> = Default::default();
    for a in arriving.iter().rev() {
        let Some(sub) = &unders[a.parent] else {
            continue;
        };
        let there = sub.present[a.entry].map(|d| &sub.doc[d].heading);
        let again = last.insert((a.parent, a.entry), a.heading);
        if let Some(last) = there.or(again) {
            duplicate(cx, sub, a.heading, last);
        }
    }
    (placed, brought)
}

/// A template subsection a move under its section brings there.
struct Arrival<'a> {
    /// The template section and subsection.
    parent: usize,
    entry: usize,
    heading: &'a Heading,
}

/// Report `section`, a top-level section that is template subsection `s` (`renamed`: a
/// near miss of it) of template section `p`, written as `holders[p]` (with its title, a
/// near miss of it, or a level too deep), with a fix moving it under that section
/// (renamed, in the adornment of subsections), and note the template
/// subsections of `p` it holds, which the move brings back, in `brought`.
fn move_under<'a>(
    cx: &mut Cx<'a>,
    top: &Matching<'a>,
    sub: &Matching<'a>,
    holders: &[Option<Holder<'a>>],
    (section, (p, s), renamed): (&'a Section, (usize, usize), Option<&'a str>),
    brought: &mut Vec<Brought<'a>>,
) -> Vec<Arrival<'a>> {
    let text = cx.text;
    let Some(parent) = holders[p] else {
        return Vec::new();
    };
    let style = cx.level_style(2);
    let title = &section.heading.title;
    // (as written: a near miss of it is renamed on its own)
    let owner = &parent.section.heading.title;
    // the template subsections of `p` the wrong level made its children, which `p`
    // lacks, each go to their own place (moved along, they would be out of order there)
    let subs = &top.tpl[p].subsections;
    let exact: Vec<Option<usize>> = (section.sections.iter())
        .map(|c| subs.iter().position(|x| x.title == c.heading.title))
        .collect();
    let mut taken: Vec<usize> = exact.iter().flatten().copied().collect();
    taken.push(s);
    let mut apart: Vec<Apart> = Vec::new();
    for (c, e) in section.sections.iter().zip(&exact) {
        if let Some(k) = *e {
            let (at, rank) = sub.landing(k);
            if k != s {
                apart.push(Apart {
                    section: c,
                    at,
                    rank,
                    title: None,
                });
            }
            continue;
        }
        // a near miss of one it lacks: renamed as it moves
        let title = Comparable::new(&c.heading.title);
        let best = (0..subs.len())
            .filter(|&k| sub.present[k].is_none() && !taken.contains(&k))
            .map(|k| (alike(&subs[k].comparable, &title), k))
            .filter(|&(score, _)| score >= NEAR_MISS)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, k)) = best {
            taken.push(k);
            apart.push(Apart {
                section: c,
                at: sub.place(k).0,
                rank: sub.rank(k),
                title: Some(subs[k].title.as_str()),
            });
        }
    }
    // (a section written a level too deep moves to the top level first: moved under it
    // now, this one could leave it the only top-level section, which docutils then
    // takes as the subtitle)
    let lifted = !(top.doc.iter()).any(|d| std::ptr::eq(*d, parent.section));
    let fix = (movable(section, style) && !lifted).then(|| Fix {
        title: match renamed {
            Some(name) => format!("Move '{title}' under '{owner}' as '{name}'"),
            None => format!("Move '{title}' under '{owner}'"),
        },
        edits: move_apart(text, section, sub.landing(s), style, renamed, &apart),
    });
    if movable(section, style) {
        let exact = (section.sections.iter().zip(&exact)).filter_map(|(c, e)| Some((c, (*e)?)));
        let renamed = (apart.iter()).filter(|a| a.title.is_some());
        let renamed = renamed.map(|a| (a.section, a.rank.1));
        brought.extend(exact.chain(renamed).map(|(c, k)| Brought {
            parent: p,
            title: subs[k].title.as_str(),
            holder: title.as_str(),
            written: c.heading.title.as_str(),
        }));
    }
    // what the move brings: it, and the template subsections it nested (near misses
    // renamed)
    let mut arriving = Vec::new();
    if movable(section, style) {
        let nested = (section.sections.iter().zip(&exact))
            .filter_map(|(c, e)| Some(((*e)?, &c.heading)))
            .chain(
                (apart.iter())
                    .filter(|a| a.title.is_some())
                    .map(|a| (a.rank.1, &a.section.heading)),
            );
        arriving = std::iter::once((s, &section.heading))
            .chain(nested)
            .map(|(entry, heading)| Arrival {
                parent: p,
                entry,
                heading,
            })
            .collect();
    }
    let tpl = &top.tpl[p].title;
    let message = match renamed {
        None if lifted => format!(
            "'{title}' is a subsection of '{tpl}' in the template: move it under '{owner}' once '{owner}' is moved to the top level"
        ),
        None => {
            format!("'{title}' is a subsection of '{tpl}' in the template: move it under '{owner}'")
        }
        Some(name) => format!(
            "did you mean '{name}'? It is a subsection of '{tpl}' in the template: rename it and move it under '{owner}'"
        ),
    };
    cx.report(
        Code::SectionLevel,
        section.heading.range(),
        message,
        FindingData {
            section: Some(title.clone()),
            parent: None,
            expected: Some(owner.clone()),
        },
        fix.into_iter().collect::<Vec<_>>(),
    );
    arriving
}

/// The subsections of template section `p` as `parent` holds them, their order judged
/// with near misses in their entries' places, as [`subsections`] judges it (but for the
/// ones `placed` from the top level, and those written deeper, which move there), with
/// what is `coming` and `lifting` (see [`Matching::expect`]).
fn under<'a>(
    top: &Matching<'a>,
    p: usize,
    parent: Holder<'a>,
    placed: &[(usize, &str)],
    (coming, lifting): (Vec<usize>, &[usize]),
    config: &Config,
) -> Matching<'a> {
    let mut sub = Matching::new(
        &top.tpl[p].subsections,
        parent.sections(),
        parent.end,
        Some(parent.section),
        2,
    );
    sub.expect(coming, &parent.staying(lifting));
    let missing: Vec<usize> = (0..sub.tpl.len())
        .filter(|&k| sub.present[k].is_none())
        .filter(|&k| !placed.contains(&(p, sub.tpl[k].title.as_str())))
        .filter(|&k| parent.find_nested(&sub.tpl[k].title).is_none())
        .collect();
    let extra: Vec<usize> = (0..sub.doc.len())
        .filter(|&d| sub.tpl_of[d].is_none())
        .collect();
    pair_near_misses(&mut sub, &missing, &extra);
    sub.settle(config, None, &[]);
    sub
}

/// Per top-level section, the template subsection (template section, subsection) it is
/// a near miss of (the most alike), where it counts as one: not where it is a near miss
/// of a missing section too (renamed where it is), where that subsection is written at
/// the top level with its exact title (that one moves, the near miss is extra), or where
/// another top-level section is a near miss of it as well (neither has the one place).
fn near_subsections(top: &Matching) -> Vec<Option<(usize, usize)>> {
    // (the usual spec writes no section the template lacks: nothing is a near miss)
    if top.tpl_of.iter().all(Option::is_some) {
        return vec![None; top.doc.len()];
    }
    let missing: Vec<&Comparable> = (top.present.iter().zip(top.tpl))
        .filter(|(d, _)| d.is_none())
        .map(|(_, t)| &t.comparable)
        .collect();
    let subs: Vec<(usize, usize, &str, &Comparable)> = (top.tpl.iter().enumerate())
        .flat_map(|(p, t)| (t.subsections.iter().enumerate()).map(move |(s, sub)| (p, s, sub)))
        .map(|(p, s, sub)| (p, s, sub.title.as_str(), &sub.comparable))
        .collect();
    let exact: HashSet<(usize, usize)> = (subs.iter())
        .filter(|(_, _, name, _)| top.doc.iter().any(|d| d.heading.title == *name))
        .map(|&(p, s, _, _)| (p, s))
        .collect();
    let best: Vec<Option<(usize, usize)>> = (top.doc.iter().zip(&top.tpl_of))
        .map(|(d, t)| {
            if t.is_some() {
                return None;
            }
            let title = Comparable::new(&d.heading.title);
            if missing.iter().any(|m| alike(m, &title) >= NEAR_MISS) {
                return None;
            }
            (subs.iter())
                .map(|(p, s, _, sub)| (alike(sub, &title), *p, *s))
                .filter(|&(score, _, _)| score >= NEAR_MISS)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)))
                .map(|(_, p, s)| (p, s))
                .filter(|x| !exact.contains(x))
        })
        .collect();
    let mut count = std::collections::HashMap::new();
    for b in best.iter().flatten() {
        *count.entry(*b).or_insert(0) += 1;
    }
    (best.iter()).map(|b| b.filter(|b| count[b] == 1)).collect()
}

/// The subsections of template section `p`, present as document section `d`: missing
/// ones (but those in `done`, already reported at the top level; those in `brought`,
/// held by a subsection written at the top level, without a fix of their own: its move
/// brings them back; `lifting`, see [`Matching::expect`]), ones written deeper, near
/// misses, order. Returns the blocks that insert the missing ones.
fn subsections(
    cx: &mut Cx,
    top: &Matching,
    p: usize,
    holder: Holder,
    (done, brought, lifting): (&[&str], &[&Brought], &[usize]),
) -> Vec<Insertion> {
    let parent = holder.section;
    let title = parent.heading.title.as_str();
    let mut sub = Matching::new(
        &top.tpl[p].subsections,
        holder.sections(),
        holder.end,
        Some(parent),
        2,
    );
    // (copies moved here from the top level, as [`under`] expects them)
    let titles = done.iter().copied().chain(brought.iter().map(|b| b.title));
    let index = |name: &str| sub.tpl.iter().position(|t| t.title == name);
    let coming: Vec<usize> = titles.filter_map(index).collect();
    let lifting = &holder.staying(lifting);
    sub.expect(coming.clone(), lifting);
    // (a section written a level too deep: what is inserted after its subsections stays
    // with them, before what ends the section it is under)
    let moving = !(top.doc.iter()).any(|d| std::ptr::eq(*d, parent));
    sub.moving = moving;
    let slipped = misadorned(cx, &sub);
    // a subsection whose restyling is the fix makes what it nests its siblings, where
    // they are: they are judged so (their order and copies among the others included)
    if slipped.iter().any(|m| !m.slips) {
        let mut doc = Vec::new();
        for s in holder.sections() {
            doc.push(s);
            let slip = (slipped.iter()).find(|m| !m.slips && std::ptr::eq(m.holder, s));
            doc.extend(slip.into_iter().flat_map(|m| &m.holder.sections));
        }
        sub = Matching::new(&top.tpl[p].subsections, doc, holder.end, Some(parent), 2);
        sub.expect(coming, lifting);
        sub.moving = moving;
    }
    duplicates(cx, &sub);
    // (every title they cover, or the slips' only)
    let titles = |all: bool| -> Vec<&str> {
        (slipped.iter())
            .filter(|m| all || m.slips)
            .flat_map(|m| m.nested.iter().map(|c| c.heading.title.as_str()))
            .collect()
    };
    let (restyled, slips) = (titles(true), titles(false));
    let mut missing: Vec<usize> = (0..sub.tpl.len())
        .filter(|&s| sub.present[s].is_none() && !done.contains(&sub.tpl[s].title.as_str()))
        .filter(|&s| !restyled.contains(&sub.tpl[s].title.as_str()))
        .collect();
    let mut deeper = Vec::new();
    missing.retain(|&s| {
        let name = &sub.tpl[s].title;
        let n = nested(cx, holder.subs, name, Some(title))
            .or_else(|| nested(cx, holder.more, name, Some(title)));
        n.map(|n| deeper.push((s, n))).is_none()
    });
    let mut extra: Vec<usize> = (0..sub.doc.len())
        .filter(|&d| sub.tpl_of[d].is_none())
        .collect();
    near_misses(cx, &mut sub, &mut missing, &mut extra);
    report_misadorned(cx, &sub, &slipped);
    // each moves next to the subsection it follows in the final order, near misses paired
    for (s, n) in deeper {
        n.report(cx, sub.place(s).0, Some(title));
    }
    let mut blocks = Vec::new();
    for &s in &missing {
        let name = sub.tpl[s].title.as_str();
        if let Some(b) = brought.iter().find(|b| b.title == name) {
            held(cx, parent.heading.range(), title, b);
            continue;
        }
        let start = cx.findings.len();
        blocks.extend(missing_section(cx, &sub, s, done));
        // written under another template section: said where (moving it is the author's
        // choice; the fix adds one, as "Add all missing sections" does)
        if let Some(other) = (!moving).then(|| elsewhere(top, p, name)).flatten() {
            for f in &mut cx.findings[start..] {
                let message = format!(
                    "{}: '{name}' is written under '{}' instead; move it here, or add it",
                    f.message, other.heading.title
                );
                f.message = message.into();
            }
        }
    }
    sub.settle(cx.config, None, &slips);
    order(cx, &sub);
    blocks
}

/// The top-level template section other than `p` with a subsection titled `name`.
fn elsewhere<'a>(top: &Matching<'a>, p: usize, name: &str) -> Option<&'a Section> {
    (top.doc.iter().zip(&top.tpl_of))
        .filter(|(_, t)| t.is_some_and(|t| t != p))
        .map(|(d, _)| *d)
        .find(|d| d.sections.iter().any(|c| c.heading.title == name))
}

/// missing-subsection: template subsection `b.title` of `parent` is held by a section
/// written at the top level (reported on `range`), without a fix: the move of that
/// section brings it back.
fn held(cx: &mut Cx, range: std::ops::Range<usize>, parent: &str, b: &Brought) {
    let (name, holder) = (b.title, b.holder);
    if cx.config.is_optional(Some(parent), name) || !cx.on(Code::MissingSubsection) {
        return;
    }
    let it = match b.written {
        written if written == name => String::from("it"),
        written => format!("it ('{written}')"),
    };
    cx.report(
        Code::MissingSubsection,
        range,
        format!("add subsection '{name}' to '{parent}': {it} is under '{holder}', which is written as a section; moving '{holder}' under '{parent}' brings it back"),
        FindingData::section(name, Some(parent)),
        Vec::new(),
    );
}

/// Template subsections of `t`, a missing section, written as top-level sections (each
/// with the template subsection it is, a near miss as the one it is renamed to), which
/// move under `t` once it is added, with what they nest: what they bring twice is a
/// duplicate now, and a template subsection one of them nests is missing from `t` until
/// that one moves (as [`subsections`] reports it once `t` is there).
fn waiting(cx: &mut Cx, top: &Matching, t: usize, written: &[(&Section, usize)]) {
    let entry = &top.tpl[t];
    let parent = entry.title.as_str();
    let style = cx.level_style(2);
    let index = |title: &str| (entry.subsections.iter()).position(|s| s.title == title);
    let mut arriving: Vec<(usize, &Heading)> = Vec::new();
    let mut brought: Vec<(&Section, Brought)> = Vec::new();
    let mut moving = vec![false; entry.subsections.len()];
    for &(_, k) in written {
        moving[k] = true;
    }
    for &(section, k) in written {
        if !movable(section, style) {
            continue;
        }
        arriving.push((k, &section.heading));
        for c in &section.sections {
            let Some(j) = index(&c.heading.title) else {
                continue;
            };
            arriving.push((j, &c.heading));
            let title = entry.subsections[j].title.as_str();
            // (one written at the top level too moves itself: this copy is a duplicate)
            if !moving[j] && !brought.iter().any(|(_, b)| b.title == title) {
                brought.push((
                    c,
                    Brought {
                        parent: t,
                        title,
                        holder: &section.heading.title,
                        written: &c.heading.title,
                    },
                ));
            }
        }
    }
    arriving.sort_by_key(|(_, h)| h.line);
    let mut last = vec![None; entry.subsections.len()];
    for &(k, heading) in arriving.iter().rev() {
        if let Some(last) = last[k].replace(heading) {
            duplicate_in(cx, "subsection", Some(parent), heading, last);
        }
    }
    for (c, b) in &brought {
        held(cx, c.heading.range(), parent, b);
    }
}

/// duplicate-section: a template title written more than once at this level, on each
/// occurrence but the last (the one upstream reads, and the rules check).
fn duplicates(cx: &mut Cx, level: &Matching) {
    if !cx.on(Code::DuplicateSection) {
        return;
    }
    for (d, t) in level.tpl_of.iter().enumerate() {
        let Some(last) = t.and_then(|t| level.present[t]).filter(|&last| last != d) else {
            continue;
        };
        duplicate(cx, level, &level.doc[d].heading, &level.doc[last].heading);
    }
}

/// duplicate-section on `heading`, a copy of `last` (the one that counts) that is at
/// that level or is moving there, before that one.
fn duplicate(cx: &mut Cx, level: &Matching, heading: &Heading, last: &Heading) {
    duplicate_in(cx, level.noun(), level.parent, heading, last);
}

/// duplicate-section on `heading`, a copy of `last` among the `noun`s of `parent` (the
/// top level when `None`).
fn duplicate_in(cx: &mut Cx, noun: &str, parent: Option<&str>, heading: &Heading, last: &Heading) {
    let title = &heading.title;
    let under = parent.map_or(String::new(), |p| format!(" under '{p}'"));
    cx.report(
        Code::DuplicateSection,
        heading.range(),
        format!(
            "{noun} '{title}' is written again{under} on line {}: only that one counts; merge the two",
            last.line.saturating_sub(1).max(1)
        ),
        FindingData::section(title, parent),
        Fixes::None,
    );
}

/// One wrongly adorned subsection nests its siblings: 'Configuration' underlined with
/// `~` where the others use `-` makes `~` the subsection level, and the template
/// subsections after it its children. That is one mistake, reported once on that
/// heading (as section-level, with a fix that gives it its siblings' adornment) in place
/// of a section-level finding per sibling. Where it has the template's adornment, or
/// other headings at its depth (siblings, or subsections of other sections: its
/// adornment is the document's own for that level, which restyling it would take from
/// them), the headings nested under it are the slips instead, each given its adornment.
struct Misadorned<'a> {
    holder: &'a Section,
    /// The template subsections written under it, and nowhere at its level.
    nested: Vec<&'a Section>,
    /// Whether those are the slips (else the holder is).
    slips: bool,
}

/// The misadorned subsections of `level` (see [`Misadorned`]), reported later by
/// [`report_misadorned`] (once near misses are paired: the slips' fixes move them to
/// their template places).
fn misadorned<'a>(cx: &Cx, level: &Matching<'a>) -> Vec<Misadorned<'a>> {
    let mut found = Vec::new();
    let mut at_depth = None;
    for (d, holder) in level.doc.iter().enumerate() {
        if level.tpl_of[d].is_none() {
            continue;
        }
        let nested: Vec<&Section> = (holder.sections.iter())
            .filter(|c| {
                (level.tpl.iter())
                    .position(|t| t.title == c.heading.title)
                    .is_some_and(|t| level.present[t].is_none())
            })
            .collect();
        if nested.is_empty() {
            continue;
        }
        // (every heading at its depth has its adornment, docutils' level for it)
        let others = *at_depth.get_or_insert_with(|| headings_at(cx.outline, level.depth)) > 1;
        let template = cx.template.style(level.depth) == Some(holder.heading.style);
        let slips = template || level.doc.len() > 1 || others;
        found.push(Misadorned {
            holder,
            nested,
            slips,
        });
    }
    found
}

/// How many headings `outline` has at `depth` (1: sections, 2: subsections).
fn headings_at(outline: &Outline, depth: usize) -> usize {
    fn count(sections: &[Section], depth: usize) -> usize {
        match depth {
            0 | 1 => sections.len(),
            _ => (sections.iter())
                .map(|s| count(&s.sections, depth - 1))
                .sum(),
        }
    }
    count(&outline.sections, depth)
}

/// Report what [`misadorned`] found.
fn report_misadorned(cx: &mut Cx, level: &Matching, found: &[Misadorned]) {
    for m in found {
        let (holder, nested) = (m.holder, &m.nested);
        if m.slips {
            for c in nested {
                misadorned_child(cx, level, holder, c);
            }
            continue;
        }
        let style = nested[0].heading.style;
        let title = &holder.heading.title;
        let names: Vec<String> = nested
            .iter()
            .map(|c| format!("'{}'", c.heading.title))
            .collect();
        let adorn = describe_style;
        cx.report(
            Code::SectionLevel,
            holder.heading.range(),
            format!(
                "'{title}' has a {} where its sibling subsections have a {}, so {} {} nested under it: give it the {}",
                adorn(holder.heading.style),
                adorn(style),
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" },
                adorn(style)
            ),
            FindingData {
                section: Some(title.clone()),
                parent: level.parent.map(str::to_string),
                expected: level.parent.map(str::to_string),
            },
            vec![restyle(&holder.heading, style)],
        );
    }
}

/// A template subsection written in an adornment of its own under a sibling that has
/// the template's: one finding on it, with the fix that gives it its sibling's.
fn misadorned_child(cx: &mut Cx, level: &Matching, holder: &Section, child: &Section) {
    let (title, style) = (&child.heading.title, holder.heading.style);
    cx.report(
        Code::SectionLevel,
        child.heading.range(),
        format!(
            "'{title}' has a {} where its sibling subsections have a {}, so it is nested under '{}': give it the {}",
            describe_style(child.heading.style),
            describe_style(style),
            holder.heading.title,
            describe_style(style)
        ),
        FindingData {
            section: Some(title.clone()),
            parent: Some(holder.heading.title.clone()),
            expected: level.parent.map(str::to_string),
        },
        vec![slip_fix(cx.text, level, child, style)],
    );
}

/// The fix giving `child`, a template subsection nested under a sibling, `style`: it
/// moves to its template place (as [`Matching::place`] has it), where the order was
/// judged with it.
fn slip_fix(text: &str, level: &Matching, child: &Section, style: Style) -> Fix {
    let title = restyle(&child.heading, style).title;
    let Some(k) = (level.tpl.iter()).position(|t| t.title == child.heading.title) else {
        return restyle(&child.heading, style);
    };
    let at = level.place(k).0;
    Fix {
        title,
        edits: move_restyled(text, child, child.range.end, at, style, None, None),
    }
}

/// The template section `p` and subsection index `s` titled `title`, if `p` holds its
/// subsections (see [`Holder`]).
fn subsection_owner(
    top: &Matching,
    holders: &[Option<Holder>],
    title: &str,
) -> Option<(usize, usize)> {
    top.tpl.iter().enumerate().find_map(|(p, t)| {
        holders[p]?;
        let s = t.subsections.iter().position(|s| s.title == title)?;
        Some((p, s))
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

/// A template entry written deeper than the template has it (see [`nested`]).
struct Nested<'a> {
    section: &'a Section,
    /// The section it is written under.
    holder: &'a Section,
    /// Its own subsections written after it, which its move takes along, and where they
    /// end.
    run: &'a [Section],
    end: usize,
    /// The fix's title, and the adornments it moves it (and its children) in.
    title: String,
    style: Style,
    children: Option<Style>,
    /// Whether it can move with what it holds.
    movable: bool,
}

impl Nested<'_> {
    /// The fix moving it to `at`, when it can move.
    fn fix(self, text: &str, at: usize) -> Option<Fix> {
        self.movable.then(|| Fix {
            edits: move_restyled(
                text,
                self.section,
                self.end,
                at,
                self.style,
                self.children,
                None,
            ),
            title: self.title,
        })
    }

    /// Report it (see [`level_finding`]), with the fix moving it to `at`.
    fn report(self, cx: &mut Cx, at: usize, belongs_under: Option<&str>) {
        let (section, holder) = (self.section, self.holder);
        let fix = self.fix(cx.text, at);
        level_finding(cx, section, &holder.heading.title, belongs_under, fix);
    }
}

/// Template entry `name` if it is written deeper below `sections` than the template has
/// it, to move under `belongs_under` (the top level when `None`).
fn nested<'a>(
    cx: &Cx,
    sections: &'a [Section],
    name: &str,
    belongs_under: Option<&str>,
) -> Option<Nested<'a>> {
    let (section, holder) = find_nested(sections, name)?;
    let (title, depth) = match belongs_under {
        Some(p) => (format!("Move '{name}' directly under '{p}'"), 2),
        None => (format!("Move '{name}' to the top level"), 1),
    };
    let style = cx.level_style(depth);
    // a section written as a subsection left its subsections to the section it is
    // under: the ones right after it move with it
    let own = (cx.template.sections.iter())
        .find(|t| belongs_under.is_none() && t.title == name)
        .map_or(&[][..], |t| &t.subsections[..]);
    let i = (holder.sections.iter())
        .position(|s| std::ptr::eq(s, section))
        .unwrap_or(holder.sections.len());
    let after = holder.sections.get(i + 1..).unwrap_or_default();
    let run = &after[..(after.iter())
        .take_while(|s| own.iter().any(|o| o.title == s.heading.title))
        .count()];
    let end = run.last().map_or(section.range.end, |s| s.range.end);
    // a section moved to the top level keeps its own subsections (childless ones in
    // another adornment), in the adornment of subsections
    let children = (depth == 1).then(|| cx.level_style(2));
    let own_subsections = |c: &Section| children.is_some() && c.sections.is_empty();
    let movable = (section.sections.iter()).all(|c| c.heading.style == style || own_subsections(c));
    Some(Nested {
        section,
        holder,
        run,
        end,
        title,
        style,
        children,
        movable,
    })
}

/// Whether a heading at the wrong level can move to a level written in `style` with
/// what it holds: sections written in that style (siblings the wrong level made its
/// children, which become its siblings again), or none.
fn movable(section: &Section, style: Style) -> bool {
    (section.sections.iter()).all(|c| c.heading.style == style)
}

/// section-level on `section`, written under `parent`: it is a direct subsection of
/// `belongs_under` in the template (a top-level section when `None`).
fn level_finding(
    cx: &mut Cx,
    section: &Section,
    parent: &str,
    belongs_under: Option<&str>,
    fix: Option<Fix>,
) {
    let title = &section.heading.title;
    let message = match belongs_under {
        Some(p) => format!(
            "'{title}' is a direct subsection of '{p}' in the template, not of '{parent}': move it up a level"
        ),
        None => format!(
            "'{title}' is a top-level section in the template, not a subsection of '{parent}': move it to the top level"
        ),
    };
    cx.report(
        Code::SectionLevel,
        section.heading.range(),
        message,
        FindingData {
            section: Some(title.clone()),
            parent: Some(parent.to_string()),
            expected: belongs_under.map(str::to_string),
        },
        fix.into_iter().collect::<Vec<_>>(),
    );
}

/// Pair missing template entries with extra document sections whose titles are near
/// misses (best pairs first); report each pair as one title-mismatch. A near miss takes
/// its template entry's place in the order, so renaming it moves nothing. Returns the
/// pairs (template entry, document section).
fn near_misses(
    cx: &mut Cx,
    level: &mut Matching,
    missing: &mut Vec<usize>,
    extra: &mut Vec<usize>,
) -> Vec<(usize, usize)> {
    let taken = pair_near_misses(level, missing, extra);
    for &(t, d) in &taken {
        mismatch(cx, level, t, &level.doc[d].heading);
    }
    missing.retain(|x| !taken.iter().any(|&(t, _)| t == *x));
    extra.retain(|x| !taken.iter().any(|&(_, d)| d == *x));
    taken
}

/// The near-miss pairs (template entry, document section) of `missing` and `extra`
/// (best pairs first), and `level`'s order with each near miss in its entry's place.
fn pair_near_misses(
    level: &mut Matching,
    missing: &[usize],
    extra: &[usize],
) -> Vec<(usize, usize)> {
    if missing.is_empty() || extra.is_empty() {
        return Vec::new();
    }
    let mut tpl_of = level.tpl_of.clone();
    // each title prepared once: thousands of headings stay linear
    let tpl: Vec<_> = (missing.iter())
        .map(|&t| &level.tpl[t].comparable)
        .collect();
    let doc: Vec<_> = (extra.iter())
        .map(|&d| Comparable::new(&level.doc[d].heading.title))
        .collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (&t, a) in missing.iter().zip(&tpl) {
        for (&d, b) in extra.iter().zip(&doc) {
            let score = alike(a, b);
            if score >= NEAR_MISS {
                pairs.push((score, t, d));
            }
        }
    }
    // best first; of a title written twice, the last occurrence (as for exact titles),
    // so that moving it into order settles which one counts
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
    let (mut taken_t, mut taken_d) = (HashSet::new(), HashSet::new());
    let mut taken = Vec::new();
    for (_, t, d) in pairs {
        if taken_t.contains(&t) || taken_d.contains(&d) {
            continue;
        }
        taken_t.insert(t);
        taken_d.insert(d);
        taken.push((t, d));
        // a near miss written twice, like an exact title written twice (see [`Order`]),
        // has no one place: moving either copy would only make the other one count
        let title = &level.doc[d].heading.title;
        if !extra
            .iter()
            .any(|&e| e != d && level.doc[e].heading.title == *title)
        {
            tpl_of[d] = Some(t);
        }
    }
    level.order = Order::new(&tpl_of, &level.coming, &level.leaving);
    taken
}

/// A lone section docutils takes as the subtitle, whose title is a near miss of a
/// missing template section: one title-mismatch on it (renamed, it is that section),
/// not a missing section as well.
/// Returns the template section the subtitle is, as written or once renamed.
fn subtitle_near_miss(cx: &mut Cx, top: &Matching, missing: &mut Vec<usize>) -> Option<usize> {
    let h = cx.outline.subtitle.as_ref()?;
    if let Some(t) = top.tpl.iter().position(|t| t.title == h.title) {
        return Some(t);
    }
    let title = Comparable::new(&h.title);
    let best = (missing.iter().enumerate())
        .map(|(i, &t)| (alike(&top.tpl[t].comparable, &title), i))
        .filter(|&(score, _)| score >= NEAR_MISS)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let (_, i) = best?;
    let t = missing.remove(i);
    mismatch(cx, top, t, h);
    Some(t)
}

/// A template section docutils takes as the subtitle (template entry `t`), written
/// before sections that go before it (present, or required and so added beside those
/// that are):
/// once it is a section it is out of order. Reported now, without a fix (the fix that
/// makes it a section comes first), so that the fix making it a section adds nothing.
fn subtitle_order(cx: &mut Cx, top: &Matching, t: Option<usize>) {
    let (Some(h), Some(t)) = (&cx.outline.subtitle, t) else {
        return;
    };
    if !cx.on(Code::SectionOrder) {
        return;
    }
    let here = |p: usize| top.present[p].is_some() || top.order.seq.iter().any(|&(_, x)| x == p);
    // (named after the section it will follow once moved, as the move will be: one
    // written here, else one that will be added)
    // (a lone subtitle, the only section, has the template's other sections to add
    // first: its finding says so, and they are added after it)
    let required = |p: &usize| {
        !cx.outline.sections.is_empty() && !cx.config.is_optional(None, &top.tpl[*p].title)
    };
    let Some(p) = (0..t)
        .rev()
        .find(|&p| here(p))
        .or_else(|| (0..t).rev().find(required))
    else {
        return;
    };
    let title = &top.tpl[t].title;
    cx.report(
        Code::SectionOrder,
        h.range(),
        format!(
            "section '{title}' is out of template order: once it is a section, move it after '{}'",
            top.tpl[p].title
        ),
        FindingData::section(title, None),
        Fixes::None,
    );
}

/// A template subsection written before every section, which docutils takes as the
/// document's subtitle (the sections after it have another adornment, so they nest
/// under it): not under its section, where it is missing (reported there, or its
/// section is), and no section either. One finding on it says so; a copy of one its
/// section has is a duplicate.
fn subtitle_subsection(cx: &mut Cx, top: &Matching) {
    let Some(h) = &cx.outline.subtitle else {
        return;
    };
    let Some(p) = (top.tpl.iter()).position(|t| t.subsections.iter().any(|s| s.title == h.title))
    else {
        return;
    };
    let owner = &top.tpl[p].title;
    let written = top.present[p].map(|d| top.doc[d]);
    let taken = match top.doc.first() {
        Some(first) => format!(
            "'{}' is taken as the document's subtitle, not a section: the sections after it ('{}', ...) have a {}, not its {}, so they are nested under it and it is the only section",
            h.title,
            first.heading.title,
            describe_style(first.heading.style),
            describe_style(h.style),
        ),
        None => format!(
            "'{}' is taken as the document's subtitle, not a section, because it is the only section",
            h.title
        ),
    };
    let data = FindingData {
        section: Some(h.title.clone()),
        parent: None,
        expected: Some(owner.clone()),
    };
    let copy = written.and_then(|s| s.sections.iter().find(|c| c.heading.title == h.title));
    let (code, message) = match (written, copy) {
        (_, Some(copy)) => (
            Code::DuplicateSection,
            format!(
                "{taken}; the subsection '{}' under '{owner}' on line {} is the one that counts: merge the two",
                h.title,
                copy.heading.line.saturating_sub(1).max(1)
            ),
        ),
        (Some(_), None) => (
            Code::SectionLevel,
            format!(
                "{taken}; it is a subsection of '{owner}' in the template: move it under '{owner}'"
            ),
        ),
        (None, _) => (
            Code::SectionLevel,
            format!(
                "{taken}; it is a subsection of '{owner}' in the template, a section this spec does not have yet (under that title): move it under '{owner}' once it is there"
            ),
        ),
    };
    cx.report(code, h.range(), message, data, Fixes::None);
}

fn mismatch(cx: &mut Cx, level: &Matching, t: usize, h: &Heading) {
    let expected = &level.tpl[t].title;
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
/// its required subsections); returns the inserted block for the fix-all action. Neither
/// is built when the fixes are not wanted ([`Cx::fixes`]).
fn missing_section(cx: &mut Cx, level: &Matching, t: usize, skip: &[&str]) -> Option<Insertion> {
    let code = if level.depth == 1 {
        Code::MissingSection
    } else {
        Code::MissingSubsection
    };
    let entry = &level.tpl[t];
    if cx.config.is_optional(level.parent, &entry.title) || !cx.on(code) {
        return None;
    }
    let (outline, template) = (cx.outline, cx.template);
    let (at, whereabouts) = match lone_subtitle_after(outline, level, t) {
        Some(h) => (h.range().start, [" before '", &h.title, "'"].concat()),
        None => level.place(t),
    };
    // (a subsection is missing from its section whatever the subtitle is: see
    // [`subtitle_subsection`])
    let subtitle =
        (outline.subtitle.as_ref()).filter(|s| level.depth == 1 && s.title == entry.title);
    // A missing subsection is about its parent: the insertion point is only in the fix.
    let range = match (subtitle, &level.parent_heading) {
        (Some(s), _) => s.range(),
        (None, Some(parent)) => parent.clone(),
        (None, None) => heading_at(outline, at).unwrap_or(at..at),
    };
    // template sections written under the subtitle: they nest under it because they
    // have another adornment, and give it theirs
    let nested = subtitle.and_then(|h| {
        let first = outline.sections.first()?;
        let style = first.heading.style;
        (outline.sections.iter())
            .any(|s| cx.template.depth_of(&s.heading.title) == Some(1))
            .then(|| {
                (
                    restyle(h, style),
                    describe_style(style),
                    &first.heading.title,
                )
            })
    });
    // (the usual messages and fix titles are concatenated: sized at once)
    let message = match (level.parent, subtitle, &nested) {
        (Some(parent), _, _) => [
            "add subsection '",
            &entry.title,
            "' to '",
            parent,
            "'",
            &whereabouts,
        ]
        .concat(),
        (None, Some(h), Some((_, theirs, next))) => format!(
            "'{}' is taken as the document's subtitle, not a section: the sections after it ('{next}', ...) have a {theirs}, not its {}, so they are nested under it and it is the only section: give it their {theirs}",
            entry.title,
            describe_style(h.style),
        ),
        (None, Some(_), None) => format!(
            "'{}' is taken as the document's subtitle, not a section, because it is the only section: add the template's other sections",
            entry.title
        ),
        (None, None, _) => ["add section '", &entry.title, "'", &whereabouts].concat(),
    };
    let data = FindingData::section(&entry.title, level.parent);
    if !cx.fixes {
        // (nor the block that "Add all missing sections" inserts)
        cx.report(code, range, message, data, Fixes::None);
        return None;
    }
    let rank = level.rank(t);
    let sub_style = cx.level_style(2);
    let style = cx.level_style(level.depth);
    let subs: Vec<String> = if level.depth == 1 {
        entry
            .subsections
            .iter()
            .filter(|s| {
                !cx.config.is_optional(Some(&entry.title), &s.title)
                    && !skip.contains(&s.title.as_str())
            })
            .map(|s| section_block(&s.title, sub_style, &[]))
            .collect()
    } else {
        Vec::new()
    };
    let block = section_block(&entry.title, style, &subs);
    let written = if subs.is_empty() {
        vec![style]
    } else {
        vec![style, sub_style]
    };
    let fixes = match (subtitle, nested) {
        (Some(_), Some((fix, _, _))) => vec![fix],
        (Some(_), None) => Vec::new(),
        (None, _) => vec![carried(
            outline,
            template,
            &written,
            Fix {
                title: ["Add ", level.noun(), " '", &entry.title, "'"].concat(),
                edits: insert_blocks(cx.text, vec![(at, rank, block.clone())]),
            },
        )],
    };
    cx.report(code, range, message, data, fixes);
    subtitle.is_none().then_some((at, rank, block))
}

/// The subtitle, when it is the only section (docutils promoted it) and template
/// section `t` goes before the one it is (or is a near miss of): inserted before it, in
/// its adornment, `t` makes it a section in its place.
fn lone_subtitle_after<'o>(
    outline: &'o Outline,
    level: &Matching,
    t: usize,
) -> Option<&'o Heading> {
    let h = outline.subtitle.as_ref()?;
    let lone = level.depth == 1 && outline.sections.is_empty();
    let s = level.subtitle?;
    (lone && t < s).then_some(h)
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

fn extra_section(cx: &mut Cx, top: &Matching, d: usize, near: Option<(usize, usize)>) {
    let section = top.doc[d];
    let title = &section.heading.title;
    let unpromoted_title = d == 0
        && cx.outline.title.is_none()
        && section
            .sections
            .iter()
            .any(|c| top.tpl.iter().any(|t| t.title == c.heading.title));
    if let Some(fix) = title_style_fix(cx, top, d) {
        let style = fix.1;
        let what = if style.overline {
            format!("an overline and an underline of '{}'", style.ch)
        } else {
            format!("an underline of '{}'", style.ch)
        };
        cx.report(
            Code::ExtraSection,
            section.heading.range(),
            format!("'{title}' is written as a section, not as the document title: give it the template's title style, {what}"),
            FindingData::section(title, None),
            vec![fix.0],
        );
        return;
    }
    // docutils took the owner as the subtitle: it is there, and needs the other sections
    let subtitle = |owner: &TemplateSection| {
        (cx.outline.subtitle.as_ref()).is_some_and(|s| s.title == owner.title)
    };
    let exact = (top.tpl.iter()).find(|t| t.subsections.iter().any(|s| &s.title == title));
    // a near miss of a subsection of a missing section is one as much (as
    // `missing_section` leaves it out)
    let near = near
        .filter(|&(p, _)| top.present[p].is_none() && !subtitle(&top.tpl[p]))
        .map(|(p, s)| {
            (
                &top.tpl[p],
                format!("did you mean '{}'? It", top.tpl[p].subsections[s].title),
            )
        });
    let (owner, it) = match (exact, near) {
        (Some(owner), _) => (Some(owner), format!("'{title}'")),
        (None, Some((owner, it))) => (Some(owner), it),
        (None, None) => (None, String::new()),
    };
    let message = match (unpromoted_title, owner) {
        (true, _) => format!(
            "'{title}' is not taken as the document title because text comes before it, so the sections under it are not top-level sections: move that text below the title (or into the comment)"
        ),
        (false, Some(owner)) if subtitle(owner) => format!(
            "'{title}' is not a top-level section in the template: it belongs under '{}'",
            owner.title
        ),
        (false, Some(owner)) => {
            // a template heading at the wrong depth, whose parent is still to be added
            let owner = owner.title.as_str();
            let message = format!(
                "{it} is a subsection of '{owner}' in the template, a section this spec does not have yet (under that title): move it under '{owner}' once it is there"
            );
            let data = FindingData {
                section: Some(title.clone()),
                parent: None,
                expected: Some(owner.to_string()),
            };
            cx.report(
                Code::SectionLevel,
                section.heading.range(),
                message,
                data,
                Vec::new(),
            );
            return;
        }
        (false, None) => match closest_entry(cx.template, title) {
            Some((close, None)) => format!(
                "section '{title}' is not in the template; the closest is '{}': rename it, or make it a subsection of a template section (extra subsections are allowed)",
                close.title
            ),
            Some((close, Some(parent))) => format!(
                "section '{title}' is not in the template; the closest is '{}', a subsection of '{}': rename it and move it there, or make it a subsection of '{}' (extra subsections are allowed)",
                close.title, parent.title, parent.title
            ),
            None => format!(
                "section '{title}' is not in the template: rename it to a template section, or make it a subsection of one (extra subsections are allowed)"
            ),
        },
    };
    cx.report(
        Code::ExtraSection,
        section.heading.range(),
        message,
        FindingData::section(title, None),
        Fixes::None,
    );
}

/// For the first section of a document without a title, written in another style than
/// the template's title (with only comments before it): the fix that gives it the
/// title style, and that style. docutils then takes it as the title.
fn title_style_fix(cx: &Cx, top: &Matching, d: usize) -> Option<(Fix, Style)> {
    let style = cx.template.title_style?;
    let heading = &top.doc[d].heading;
    let only_comments_before = cx.text[..heading.range().start]
        .lines()
        .all(|l| l.trim().is_empty() || l.starts_with("..") || l.starts_with([' ', '\t']));
    let first = d == 0 && cx.outline.title.is_none() && cx.outline.subtitle.is_none();
    (first && only_comments_before && heading.style != style).then(|| {
        let fix = Fix {
            title: format!("Make '{}' the document title", heading.title),
            edits: vec![Edit {
                range: heading.range(),
                new_text: heading_text(&heading.title, style),
            }],
        };
        (fix, style)
    })
}

/// The template section or subsection (with its parent) most alike `title`, if one is
/// close ([`CLOSE`]).
fn closest_entry<'t>(
    template: &'t Template,
    title: &str,
) -> Option<(&'t TemplateSection, Option<&'t TemplateSection>)> {
    let sections = template.sections.iter().map(|s| (s, None));
    let subsections =
        (template.sections.iter()).flat_map(|p| p.subsections.iter().map(move |s| (s, Some(p))));
    most_alike(sections.chain(subsections), title, CLOSE)
}

/// section-order: each chain out of order (see [`Order`]) moves, as a whole, next to the
/// section it will neighbour in the final order; the message and the fix name that
/// section. Each move joins two chains and splits none, so the fixes converge whatever
/// order they are applied in.
fn order(cx: &mut Cx, level: &Matching) {
    if !cx.on(Code::SectionOrder) {
        return;
    }
    let Order {
        seq,
        sorted,
        chains,
        keep,
        ..
    } = &level.order;
    let doc_of = |t: usize| seq.iter().find(|&&(_, x)| x == t).map(|&(d, _)| d);
    for (c, chain) in chains.iter().enumerate() {
        if keep.contains(&c) {
            continue;
        }
        let (first, last) = (seq[chain.start], seq[chain.end - 1]);
        let prev = level.order.rank(first.1).checked_sub(1).map(|r| sorted[r]);
        let next = sorted.get(level.order.rank(last.1) + 1).copied();
        // (named as written, as in [`Matching::place`])
        let (at, wherever) = match (prev, next) {
            (Some(p), _) => {
                let d = level.doc[doc_of(p).unwrap_or_default()];
                (d.range.end, format!("after '{}'", d.heading.title))
            }
            (None, Some(n)) => {
                let d = level.doc[doc_of(n).unwrap_or_default()];
                (d.range.start, format!("before '{}'", d.heading.title))
            }
            (None, None) => continue,
        };
        let section = level.doc[first.0];
        let title = &section.heading.title;
        let block = &level.doc[first.0..=last.0];
        let (names, verb, it, plural) = match block {
            [_] => (format!("'{title}'"), "is", "it", ""),
            [.., end] => (
                format!("'{title}' to '{}'", end.heading.title),
                "are",
                "them",
                "s",
            ),
            [] => continue,
        };
        cx.report(
            Code::SectionOrder,
            section.heading.range(),
            format!(
                "{}{plural} {names} {verb} out of template order: move {it} {wherever}",
                level.noun()
            ),
            FindingData::section(title, level.parent),
            vec![Fix {
                title: format!("Move {names} {wherever}"),
                edits: move_sections(cx.text, block, at),
            }],
        );
    }
}

/// Indices of a longest increasing subsequence of `xs`, the one with the greatest total
/// `weight` among those (the earliest such): the fewest chains move, then the fewest
/// sections.
fn heaviest_increasing(xs: &[usize], weight: &[usize]) -> Vec<usize> {
    let n = xs.len();
    let mut best: Vec<(usize, usize)> = weight.iter().map(|&w| (1, w)).collect();
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            let through = (best[j].0 + 1, best[j].1 + weight[i]);
            if xs[j] < xs[i] && through > best[i] {
                best[i] = through;
                prev[i] = j;
            }
        }
    }
    let Some(mut i) = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else {
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
    fn the_heaviest_increasing_run_is_kept() {
        let one = |xs: &[usize]| heaviest_increasing(xs, &vec![1; xs.len()]);
        assert_eq!(one(&[0, 1, 2]), vec![0, 1, 2]);
        assert_eq!(one(&[0, 3, 1, 2]), vec![0, 2, 3]);
        assert_eq!(one(&[2, 0, 1]), vec![1, 2]);
        assert!(one(&[]).is_empty());
        assert_eq!(heaviest_increasing(&[2, 0], &[1, 3]), vec![1]);
        assert_eq!(heaviest_increasing(&[3, 0, 1], &[5, 1, 1]), vec![1, 2]);
    }
}
