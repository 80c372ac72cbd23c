//! Building the section tree from the titles the block parser finds at the top level:
//! docutils' level rules (`check_subsection`: levels by first appearance of a style,
//! "Title level inconsistent"), section ranges, and the `DocTitle` transform (promotion
//! of a lone first section to document title, and of its lone subsection to subtitle).

use foldhash::HashSet;
use std::ops::Range;
use std::sync::Arc;

use super::transitions::{Children, Place, Promotion, Transitions};
use super::{Heading, Message, MessageKind, Outline, Section, Style};

/// What became of a title handed to [`Tree::title`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new section.
    Opened,
    /// A new section that closed open ones: docutils parsed the title a second time
    /// (in the parent section's state machine), repeating its messages.
    Reparsed,
    /// "Title level inconsistent": no section.
    Inconsistent,
    /// docutils' short-overline quirk: closing a section whose overline is shorter than
    /// 4 characters makes docutils resume parsing as text two lines above this title.
    Resume,
}

/// How many section levels [`Tree::new`] makes room for (a spec's are fewer).
const LEVELS: usize = 8;

/// A section whose end is not known yet.
struct Open {
    /// Where the section is in [`Tree::sections`] (its closed subsections after it).
    at: usize,
    /// docutils' `memo.section_level` when the section was opened.
    mylevel: usize,
    /// Whether its overline is shorter than 4 characters.
    short_overline: bool,
    /// Whether it directly holds body content other than docutils' `PreBibliographic`
    /// nodes (comments, targets, substitution definitions, messages...).
    visible_content: bool,
    /// Its nodes after the title.
    children: Children,
    /// `children.count` when its first subsection opened.
    children_before_subsection: Option<usize>,
}

/// Collects titles, content markers and messages in document order.
pub struct Tree {
    styles: Vec<Style>,
    /// docutils' `memo.section_level` (normally the number of open sections).
    level: usize,
    stack: Vec<Open>,
    /// The sections not in a closed one yet, in document order: those at the top
    /// level, each open section followed by its closed subsections. A section's
    /// subsections are moved from here into it at once when it closes, in a list of
    /// their exact number (a list of its own grown as they closed copied them all,
    /// more than once); the section itself stays (moving it was two copies of it).
    sections: Vec<Section>,
    /// `visible_content` of the first top-level section.
    first_top_visible_content: bool,
    /// Whether the document directly holds visible body content (before its first
    /// section, or after one when docutils' short-overline quirk resumes there).
    visible_at_top: bool,
    /// The document's own nodes.
    doc: Children,
    /// `doc.count` when the first section opened.
    doc_before_first: Option<usize>,
    /// `children_before_subsection` of the first top-level section.
    first_top_before_subsection: Option<usize>,
    transitions: Transitions,
    /// Normalized names of sections and targets (docutils reports duplicates).
    names: HashSet<Arc<str>>,
    messages: Vec<Message>,
}

impl Tree {
    /// A tree with room for `names` section and target names (growing the set rehashes
    /// every name in it), for as many sections, and for 8 levels of them (guesses: any
    /// room gives the same tree; growing copies).
    pub fn new(names: usize) -> Self {
        Tree {
            styles: Vec::with_capacity(LEVELS),
            level: 0,
            stack: Vec::with_capacity(LEVELS),
            sections: Vec::with_capacity(names),
            first_top_visible_content: false,
            visible_at_top: false,
            doc: Children::default(),
            doc_before_first: None,
            first_top_before_subsection: None,
            transitions: Transitions::default(),
            names: HashSet::with_capacity_and_hasher(names, Default::default()),
            messages: Vec::new(),
        }
    }

    /// Whether a top-level section has closed.
    fn top_closed(&self) -> bool {
        self.stack.first().map_or(self.sections.len(), |o| o.at) > 0
    }

    pub fn message(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// The children of the innermost open section (or of the document).
    fn children(&mut self) -> &mut Children {
        match self.stack.last_mut() {
            None => &mut self.doc,
            Some(open) => &mut open.children,
        }
    }

    /// How many distinct names the document has so far.
    pub fn names(&self) -> usize {
        self.names.len()
    }

    /// A node in the innermost open section: `visible` when docutils would not let it
    /// precede the document title or subtitle (not a comment, target, message...).
    pub fn node(&mut self, visible: bool) {
        self.children().node();
        if visible {
            match self.stack.last_mut() {
                None => self.visible_at_top = true,
                Some(open) => open.visible_content = true,
            }
        }
    }

    /// A transition (4+ adornment characters between blank lines).
    pub fn transition(&mut self, line: usize, range: Range<usize>) {
        let place = match (self.stack.len(), self.top_closed()) {
            (0, _) => Place::Document,
            (1, false) => Place::FirstSection,
            // (the first section's subsections closed: those between it and the open one)
            (2, false) if self.stack[1].at == self.stack[0].at + 1 => Place::FirstSubsection,
            _ => Place::Elsewhere,
        };
        let children = match self.stack.last_mut() {
            None => &mut self.doc,
            Some(open) => &mut open.children,
        };
        self.transitions.add(children, place, line, range);
        self.node_visible();
    }

    fn node_visible(&mut self) {
        match self.stack.last_mut() {
            None => self.visible_at_top = true,
            Some(open) => open.visible_content = true,
        }
    }

    /// A node docutils inserts at the start of the document (`meta`).
    pub fn document_start_node(&mut self) {
        self.transitions.document_start_node();
    }

    /// A target's normalized name, for docutils' duplicate name messages.
    pub fn target(&mut self, name: Arc<str>) {
        self.names.insert(name);
    }

    /// A title docutils accepts as such at the top level (`check_subsection` and
    /// `new_subsection`). `body` is where the section's body starts (after the
    /// underline's line break).
    ///
    /// `section_messages` is how many messages docutils puts into the new section
    /// (a too-short adornment), `reparse_messages` how many it repeats in the parent
    /// section when it reads the title a second time.
    pub fn title(
        &mut self,
        heading: Heading,
        name: Arc<str>,
        body: usize,
        source: &str,
        section_messages: usize,
        reparse_messages: usize,
    ) -> Outcome {
        let level = match self.styles.iter().position(|s| *s == heading.style) {
            Some(i) => i + 1,
            None if self.styles.len() == self.level => {
                self.styles.push(heading.style);
                self.level + 1
            }
            None => return self.inconsistent(&heading, source),
        };
        let start = heading.range().start;
        let mut outcome = Outcome::Opened;
        if level <= self.level {
            // A sibling or an ancestor's sibling: each enclosing section's state
            // machine ends in turn until one can take the title.
            self.level = level;
            while let Some(open) = self.stack.last() {
                let (mylevel, short) = (open.mylevel, open.short_overline);
                self.close_one(start);
                if level > mylevel {
                    self.level = mylevel;
                    break;
                }
                if short {
                    return Outcome::Resume;
                }
            }
            outcome = Outcome::Reparsed;
            for _ in 0..reparse_messages {
                self.node(false);
            }
        } else if level != self.level + 1 {
            return self.inconsistent(&heading, source);
        }
        let short_overline = heading.overline.as_ref().is_some_and(|o| o.len() < 4);
        let at = self.sections.len();
        match self.stack.last_mut() {
            None if at == 0 => self.doc_before_first = Some(self.doc.count),
            // its first subsection: none closed after it
            Some(parent) if parent.at + 1 == at => {
                parent
                    .children_before_subsection
                    .get_or_insert(parent.children.count);
            }
            _ => {}
        }
        // docutils' "Duplicate implicit target name" info goes into the section too.
        let duplicate = !self.names.insert(name);
        self.sections.push(Section {
            range: start..start,
            body: body..body,
            heading,
            sections: Vec::new(),
        });
        self.stack.push(Open {
            at,
            mylevel: self.level,
            short_overline,
            visible_content: false,
            children: Children::default(),
            children_before_subsection: None,
        });
        self.level += 1;
        for _ in 0..section_messages + usize::from(duplicate) {
            self.node(false);
        }
        outcome
    }

    fn inconsistent(&mut self, heading: &Heading, source: &str) -> Outcome {
        let range = heading.range();
        self.messages.push(Message {
            kind: MessageKind::InconsistentTitleLevel,
            level: 4,
            // docutils reports the title's line.
            line: heading.line - 1,
            text: format!("Title level inconsistent:\n\n{}", &source[range.clone()]),
            elsewhere: false,
            range,
        });
        self.node(false);
        Outcome::Inconsistent
    }

    /// Close all open sections at `end`.
    fn close_all(&mut self, end: usize) {
        while !self.stack.is_empty() {
            self.close_one(end);
        }
    }

    /// Close the innermost open section at `end`.
    fn close_one(&mut self, end: usize) {
        let Some(open) = self.stack.pop() else { return };
        // (set only when there are some: setting it drops the empty list, in a call)
        if self.sections.len() > open.at + 1 {
            let subsections = self.sections.split_off(open.at + 1);
            self.sections[open.at].sections = subsections;
        }
        let section = &mut self.sections[open.at];
        section.range.end = end;
        section.body.end = end.max(section.body.start);
        if open.at == 0 {
            self.first_top_visible_content = open.visible_content;
            self.first_top_before_subsection = open.children_before_subsection;
        }
    }

    /// Close everything at `len` and apply docutils' `DocTitle` transform.
    pub fn finish(mut self, len: usize) -> Outline {
        let innermost = self.stack.last().map_or(self.doc, |open| open.children);
        self.transitions.document_end(&innermost);
        self.close_all(len);
        // (all closed, the sections left are those at the top level)
        let mut top = Vec::with_capacity(self.sections.len());
        top.append(&mut self.sections);
        let mut outline = Outline::default();
        let mut promotion = Promotion {
            title: None,
            subtitle: None,
        };
        if top.len() == 1 && !self.visible_at_top {
            if let Some(first) = top.pop() {
                promotion.title = self.doc_before_first;
                outline.title = Some(first.heading);
                let mut sections = first.sections;
                match sections.pop() {
                    Some(sub) if sections.is_empty() && !self.first_top_visible_content => {
                        promotion.subtitle = self.first_top_before_subsection;
                        outline.subtitle = Some(sub.heading);
                        outline.sections = sub.sections;
                    }
                    Some(last) => {
                        sections.push(last);
                        outline.sections = sections;
                    }
                    None => {}
                }
            }
        } else {
            outline.sections = top;
        }
        self.messages.extend(self.transitions.messages(promotion));
        outline.messages = self.messages;
        outline
    }
}
