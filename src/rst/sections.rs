//! Building the section tree from the titles the block parser finds at the top level:
//! docutils' level rules (`check_subsection`: levels by first appearance of a style,
//! "Title level inconsistent"), section ranges, and the `DocTitle` transform (promotion
//! of a lone first section to document title, and of its lone subsection to subtitle).

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

/// A section whose end is not known yet.
struct Open {
    section: Section,
    /// docutils' `memo.section_level` when the section was opened.
    mylevel: usize,
    /// Whether its overline is shorter than 4 characters.
    short_overline: bool,
    /// Whether it directly holds body content other than docutils' `PreBibliographic`
    /// nodes (comments, targets, substitution definitions, messages...).
    visible_content: bool,
}

/// Collects titles, content markers and messages in document order.
pub struct Tree {
    styles: Vec<Style>,
    /// docutils' `memo.section_level` (normally the number of open sections).
    level: usize,
    stack: Vec<Open>,
    top: Vec<Section>,
    /// `visible_content` of the first top-level section.
    first_top_visible_content: bool,
    /// Whether the document directly holds visible body content (before its first
    /// section, or after one when docutils' short-overline quirk resumes there).
    visible_at_top: bool,
    messages: Vec<Message>,
}

impl Tree {
    pub fn new() -> Self {
        Tree {
            styles: Vec::new(),
            level: 0,
            stack: Vec::new(),
            top: Vec::new(),
            first_top_visible_content: false,
            visible_at_top: false,
            messages: Vec::new(),
        }
    }

    pub fn message(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// A body element that docutils would not let precede the document title or
    /// subtitle.
    pub fn content(&mut self) {
        match self.stack.last_mut() {
            None => self.visible_at_top = true,
            Some(open) => open.visible_content = true,
        }
    }

    /// A title docutils accepts as such at the top level (`check_subsection` and
    /// `new_subsection`). `body` is where the section's body starts (after the
    /// underline's line break).
    pub fn title(&mut self, heading: Heading, body: usize, source: &str) -> Outcome {
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
        } else if level != self.level + 1 {
            return self.inconsistent(&heading, source);
        }
        let short_overline = heading.overline.as_ref().is_some_and(|o| o.len() < 4);
        self.stack.push(Open {
            section: Section {
                range: start..start,
                body: body..body,
                heading,
                sections: Vec::new(),
            },
            mylevel: self.level,
            short_overline,
            visible_content: false,
        });
        self.level += 1;
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
            range,
        });
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
        let mut section = open.section;
        section.range.end = end;
        section.body.end = end.max(section.body.start);
        match self.stack.last_mut() {
            Some(parent) => parent.section.sections.push(section),
            None => {
                if self.top.is_empty() {
                    self.first_top_visible_content = open.visible_content;
                }
                self.top.push(section);
            }
        }
    }

    /// Close everything at `len` and apply docutils' `DocTitle` transform.
    pub fn finish(mut self, len: usize) -> Outline {
        self.close_all(len);
        let mut outline = Outline {
            messages: self.messages,
            ..Outline::default()
        };
        if self.top.len() != 1 || self.visible_at_top {
            outline.sections = self.top;
            return outline;
        }
        let Some(first) = self.top.pop() else {
            return outline;
        };
        outline.title = Some(first.heading);
        let mut sections = first.sections;
        if sections.len() == 1 && !self.first_top_visible_content {
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
