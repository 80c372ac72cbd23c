//! The document's sections in document order, each with its depth and parent, for the
//! features that look up "the heading on this line" or "the section around the cursor".

use crate::rst::{Outline, Section};

/// A section with where it sits in the tree.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub section: &'a Section,
    /// 1 for top-level sections (after title promotion).
    pub depth: usize,
    pub parent: Option<&'a Section>,
}

/// Every section, depth-first in document order.
pub fn all(outline: &Outline) -> Vec<Placed<'_>> {
    fn walk<'a>(
        sections: &'a [Section],
        depth: usize,
        parent: Option<&'a Section>,
        out: &mut Vec<Placed<'a>>,
    ) {
        for section in sections {
            out.push(Placed {
                section,
                depth,
                parent,
            });
            walk(&section.sections, depth + 1, Some(section), out);
        }
    }
    let mut out = Vec::new();
    walk(&outline.sections, 1, None, &mut out);
    out
}
