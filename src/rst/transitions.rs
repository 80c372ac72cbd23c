//! docutils' `Transitions` transform, which runs after title promotion: a transition
//! may not begin a section or the document (title and subtitle aside), may not follow
//! another transition, and may not end the document. What counts is every node of the
//! parent, comments and system messages included, so the tree builder counts them.

use std::ops::Range;

use super::{Message, MessageKind};

/// The children a document or section holds so far (after its title).
#[derive(Debug, Clone, Copy, Default)]
pub struct Children {
    pub count: usize,
    /// Index (into [`Transitions`]) of the last child if it is a transition.
    pub last_transition: Option<usize>,
}

impl Children {
    pub fn node(&mut self) {
        self.count += 1;
        self.last_transition = None;
    }
}

/// Where a transition sits, as far as title promotion can change its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Directly in the document.
    Document,
    /// Directly in the first top-level section (the document after promotion).
    FirstSection,
    /// Directly in the first subsection of the first section (a subtitle's section).
    FirstSubsection,
    Elsewhere,
}

#[derive(Debug, Clone)]
struct Pending {
    line: usize,
    range: Range<usize>,
    first: bool,
    adjacent: bool,
    place: Place,
}

/// The transitions seen, with what the transform needs to judge them.
#[derive(Debug, Default)]
pub struct Transitions {
    pending: Vec<Pending>,
    at_end: Option<usize>,
    /// Nodes inserted at the start of the document (`meta`).
    document_start: usize,
}

/// How title promotion went: the number of nodes that end up between the document
/// title (or subtitle) and the promoted section's content.
#[derive(Debug, Clone, Copy)]
pub struct Promotion {
    /// `Some(nodes before the first section)` when the title was promoted.
    pub title: Option<usize>,
    /// `Some(nodes before the subsection in the first section)` when promoted too.
    pub subtitle: Option<usize>,
}

impl Transitions {
    /// A transition as the next child of `children`.
    pub fn add(&mut self, children: &mut Children, place: Place, line: usize, range: Range<usize>) {
        self.pending.push(Pending {
            line,
            range,
            first: children.count == 0,
            adjacent: children.last_transition.is_some(),
            place,
        });
        children.count += 1;
        children.last_transition = Some(self.pending.len() - 1);
    }

    /// A node inserted at the start of the document.
    pub fn document_start_node(&mut self) {
        self.document_start += 1;
    }

    /// The innermost container at the end of the document holds `children`.
    pub fn document_end(&mut self, children: &Children) {
        self.at_end = children.last_transition;
    }

    /// docutils' error messages for the transitions.
    pub fn messages(&self, promotion: Promotion) -> Vec<Message> {
        let mut out = Vec::new();
        for (i, t) in self.pending.iter().enumerate() {
            let start = self.document_start;
            let nodes_before = match (t.place, promotion.title, promotion.subtitle) {
                (Place::Document, _, _) => start,
                (Place::FirstSection, Some(pre), _) => start + pre,
                (Place::FirstSubsection, Some(pre), Some(sub_pre)) => start + pre + sub_pre,
                _ => 0,
            };
            let error = |text: &str| Message {
                kind: MessageKind::Other,
                level: 3,
                line: t.line,
                range: t.range.clone(),
                text: text.to_owned(),
                elsewhere: false,
            };
            if t.first && nodes_before == 0 {
                out.push(error(
                    "Document or section may not begin with a transition.",
                ));
            } else if t.adjacent {
                out.push(error(
                    "At least one body element must separate transitions; adjacent transitions are not allowed.",
                ));
            }
            if self.at_end == Some(i) {
                out.push(error("Document may not end with a transition."));
            }
        }
        out
    }
}
