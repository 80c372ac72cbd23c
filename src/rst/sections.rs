//! Building the section tree from the titles the block parser finds at the top level:
//! docutils' level rules (`check_subsection`: levels by first appearance of a style,
//! "Title level inconsistent"), section ranges, and the `DocTitle` transform (promotion
//! of a lone first section to document title, and of its lone subsection to subtitle).

use super::{Heading, Message, MessageKind, Outline, Section, Style};

/// A section whose end is not known yet.
struct Open {
    section: Section,
    /// Whether body content other than docutils' `PreBibliographic` nodes (comments,
    /// targets, substitution definitions, messages...) came before its first subsection.
    visible_before_subsection: bool,
}

/// Collects titles, content markers and messages in document order.
pub struct Tree {
    styles: Vec<Style>,
    stack: Vec<Open>,
    top: Vec<Section>,
    first_top_visible_before_sub: bool,
    visible_before_first: bool,
    messages: Vec<Message>,
}

impl Tree {
    pub fn new() -> Self {
        Tree {
            styles: Vec::new(),
            stack: Vec::new(),
            top: Vec::new(),
            first_top_visible_before_sub: false,
            visible_before_first: false,
            messages: Vec::new(),
        }
    }

    pub fn message(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// A body element that docutils would not let precede the document title.
    pub fn content(&mut self) {
        match self.stack.last_mut() {
            None if self.top.is_empty() => self.visible_before_first = true,
            Some(open) if open.section.sections.is_empty() => open.visible_before_subsection = true,
            _ => {}
        }
    }

    /// A title docutils accepts as such at the top level. `body` is where the section's
    /// body starts (after the underline's line break). Returns whether a section opened.
    pub fn title(&mut self, heading: Heading, body: usize, source: &str) -> bool {
        let depth = self.stack.len();
        let level = match self.styles.iter().position(|s| *s == heading.style) {
            Some(i) => i + 1,
            None if self.styles.len() == depth => {
                self.styles.push(heading.style);
                depth + 1
            }
            None => return self.inconsistent(&heading, source),
        };
        if level > depth + 1 {
            return self.inconsistent(&heading, source);
        }
        let start = heading.range().start;
        self.close_to(level - 1, start);
        self.stack.push(Open {
            section: Section {
                range: start..start,
                body: body..body,
                heading,
                sections: Vec::new(),
            },
            visible_before_subsection: false,
        });
        true
    }

    fn inconsistent(&mut self, heading: &Heading, source: &str) -> bool {
        let range = heading.range();
        self.messages.push(Message {
            kind: MessageKind::InconsistentTitleLevel,
            level: 4,
            // docutils reports the title's line.
            line: heading.line - 1,
            text: format!("Title level inconsistent:\n\n{}", &source[range.clone()]),
            range,
        });
        false
    }

    /// Close open sections until `depth` remain, ending them at `end`.
    fn close_to(&mut self, depth: usize, end: usize) {
        while self.stack.len() > depth {
            let Some(open) = self.stack.pop() else { break };
            let mut section = open.section;
            section.range.end = end;
            section.body.end = end.max(section.body.start);
            match self.stack.last_mut() {
                Some(parent) => parent.section.sections.push(section),
                None => {
                    if self.top.is_empty() {
                        self.first_top_visible_before_sub = open.visible_before_subsection;
                    }
                    self.top.push(section);
                }
            }
        }
    }

    /// Close everything at `len` and apply docutils' `DocTitle` transform.
    pub fn finish(mut self, len: usize) -> Outline {
        self.close_to(0, len);
        let mut outline = Outline {
            messages: self.messages,
            ..Outline::default()
        };
        if self.top.len() != 1 || self.visible_before_first {
            outline.sections = self.top;
            return outline;
        }
        let Some(first) = self.top.pop() else {
            return outline;
        };
        outline.title = Some(first.heading);
        let mut sections = first.sections;
        if sections.len() == 1 && !self.first_top_visible_before_sub {
            let Some(sub) = sections.pop() else {
                return outline;
            };
            outline.subtitle = Some(sub.heading);
            outline.sections = sub.sections;
        } else {
            outline.sections = sections;
        }
        outline
    }
}
