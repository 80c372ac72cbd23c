//! The document title's adornment style (`title-style`): a title docutils takes as the
//! document title, written in another style than the template's title (underlined only
//! where the template's has an overline, another character, an overline the template's
//! lacks), with the fix that gives it the template's style.
//!
//! docutils promotes a lone first section to the title whatever its style, so upstream
//! accepts such a spec: a warning, never an error. The style matters to the author all
//! the same: a heading written later in the title's style would take the title's level,
//! and the title would become a section. So while the title has the wrong style, new
//! headings are written as if it had the template's (see [`super::edit::level_style`]),
//! and a fix or completion that writes one in the title's present style restyles the
//! title too ([`restyle_for`]). A first heading written as a section where the template
//! has a title (the clash) is `extra-section`'s, not this rule's.

use super::edit::{describe_style, restyle};
use super::{Code, Cx, Edit, FindingData, Fix};
use crate::rst::{Heading, Outline, Section, Style};
use crate::template::Template;

/// The document title, when docutils takes it as the title but its style is not the
/// template title's, and the style the fix gives it: the template's title style, used
/// by no other heading of the document (else the restyled title would be that heading's
/// sibling, a section).
pub(super) fn misstyled<'a>(
    outline: &'a Outline,
    template: &Template,
) -> Option<(&'a Heading, Style)> {
    let want = template.title_style?;
    let title = outline.title.as_ref()?;
    fn uses(sections: &[Section], style: Style) -> bool {
        (sections.iter()).any(|s| s.heading.style == style || uses(&s.sections, style))
    }
    // (the usual title has the template's style: then no heading is looked at)
    if title.style == want {
        return None;
    }
    let taken =
        outline.subtitle.as_ref().is_some_and(|h| h.style == want) || uses(&outline.sections, want);
    (!taken).then_some((title, want))
}

/// The edit that gives the document title the template's style, when a heading written
/// in `style` would otherwise take the title's level (the title has that style now):
/// every fix and completion that writes such a heading carries it.
pub fn restyle_for(outline: &Outline, template: &Template, style: Style) -> Option<Edit> {
    let (title, want) = misstyled(outline, template).filter(|(t, _)| t.style == style)?;
    restyle(title, want).edits.into_iter().next()
}

/// `fix`, which writes headings in `styles`, with the edit that restyles the title when
/// one of them is the title's present style (see [`restyle_for`]).
pub(super) fn carried(
    outline: &Outline,
    template: &Template,
    styles: &[Style],
    mut fix: Fix,
) -> Fix {
    if let Some(edit) = styles
        .iter()
        .find_map(|&style| restyle_for(outline, template, style))
    {
        fix.title
            .push_str(", and give the title the template's style");
        fix.edits.push(edit);
    }
    fix
}

pub(super) fn check(cx: &mut Cx) {
    let Some((title, want)) = misstyled(cx.outline, cx.template) else {
        return;
    };
    cx.report(
        Code::TitleStyle,
        title.title_range.clone(),
        format!(
            "title '{}' has a {} where the template's title has a {}: give it the template's style",
            title.title,
            describe_style(title.style),
            describe_style(want)
        ),
        FindingData::section(&title.title, None),
        vec![restyle(title, want)],
    );
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::config::Config;
    use crate::template::TemplateSource;
    use crate::{Mode, analyze};

    fn codes_of(text: &str, template: &Template) -> Vec<Code> {
        let findings = analyze(text, template, &Config::default(), Mode::Spec).findings;
        findings.into_iter().map(|f| f.code).collect()
    }

    /// The findings of `text` under the built-in template but the missing sections.
    fn besides_missing(text: &str, template: &Template) -> Vec<super::super::Finding> {
        (analyze(text, template, &Config::default(), Mode::Spec)
            .findings
            .into_iter())
        .filter(|f| f.code != Code::MissingSection)
        .collect()
    }

    /// `text` with "Add all missing sections" applied, then the first fix offered, one at
    /// a time, until none is left (at most 40 steps); a document that has a title keeps
    /// it at every step.
    fn fixed_through(text: &str, template: &Template) -> String {
        let config = Config::default();
        let titled = |text: &str| crate::rst::parse(text).title.is_some();
        let had_title = titled(text);
        let outline = crate::rst::parse(text);
        let all = super::super::fix_all_missing(text, &outline, template, &config);
        let mut text = all.map_or(text.to_string(), |f| {
            super::super::apply_edits(text, &f.edits)
        });
        for _ in 0..40 {
            assert!(
                !had_title || titled(&text),
                "the title was lost in:\n{text}"
            );
            let findings = analyze(&text, template, &config, Mode::Spec).findings;
            let Some(fix) = findings
                .iter()
                .find_map(|f| f.fixes(&text).first().cloned())
            else {
                break;
            };
            text = super::super::apply_edits(&text, &fix.edits);
        }
        text
    }

    const UNDERLINED: &str = "Faster Backups\n==============\n\nx\n";

    #[test]
    fn a_title_underlined_only_gets_one_warning_with_the_templates_style() {
        let template = Template::builtin();
        let found = besides_missing(UNDERLINED, &template);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(f.code, Code::TitleStyle);
        assert_eq!(f.severity, crate::codes::Severity::Warning);
        assert_eq!(
            f.message,
            "title 'Faster Backups' has a '=' underline where the template's title has a '=' overline and underline: give it the template's style"
        );
        // on the title's line
        assert_eq!(&UNDERLINED[f.range.clone()], "Faster Backups");
        let fixes = f.fixes(UNDERLINED);
        assert_eq!(fixes.len(), 1);
        assert_eq!(
            fixes[0].title,
            "Give 'Faster Backups' the '=' overline and underline"
        );
        let fixed = super::super::apply_edits(UNDERLINED, &fixes[0].edits);
        assert_eq!(
            fixed,
            "==============\nFaster Backups\n==============\n\nx\n"
        );
        assert_eq!(besides_missing(&fixed, &template), []);
    }

    #[test]
    fn another_character_or_an_overline_the_template_lacks_is_the_wrong_style() {
        let template = Template::builtin();
        let hashes = "##############\nFaster Backups\n##############\n\nx\n";
        let found = besides_missing(hashes, &template);
        assert_eq!(
            found.iter().map(|f| f.code).collect::<Vec<_>>(),
            [Code::TitleStyle]
        );
        assert!(
            found[0]
                .message
                .contains("has a '#' overline and underline where")
        );
        // a template whose title is underlined only
        let plain = Template::parse(
            "Title\n=====\n\nProblem\n-------\n\nx\n\nChange\n------\n\ny\n".to_string(),
            TemplateSource::File("template.rst".into()),
        );
        let spec = "=====\nCache\n=====\n\nProblem\n-------\n\nx\n\nChange\n------\n\ny\n";
        let f = besides_missing(spec, &plain);
        assert_eq!(
            f.iter().map(|f| f.code).collect::<Vec<_>>(),
            [Code::TitleStyle]
        );
        assert!(f[0].message.ends_with(
            "has a '=' overline and underline where the template's title has a '=' underline: give it the template's style"
        ));
        let fixed = super::super::apply_edits(spec, &f[0].fixes(spec)[0].edits);
        assert!(fixed.starts_with("Cache\n=====\n\nProblem\n"));
        assert_eq!(codes_of(&fixed, &plain), []);
    }

    #[test]
    fn the_templates_style_and_a_title_written_as_a_section_get_no_title_style() {
        let template = Template::builtin();
        let right = "==============\nFaster Backups\n==============\n\nx\n";
        assert_eq!(besides_missing(right, &template), []);
        // the clash: the first heading is a section (extra-section's one finding)
        let clash =
            "Faster Backups\n==============\n\nProblem Description\n===================\n\nx\n";
        let found = besides_missing(clash, &template);
        assert_eq!(
            found.iter().map(|f| f.code).collect::<Vec<_>>(),
            [Code::ExtraSection],
            "{found:?}"
        );
        // the template's title style taken by a section: restyling would make the title
        // that section's sibling, so there is nothing to offer
        let taken = "Faster Backups\n--------------\n\n===================\nProblem Description\n===================\n\nx\n";
        assert!(!codes_of(taken, &template).contains(&Code::TitleStyle));
    }

    #[test]
    fn missing_sections_under_such_a_title_are_written_in_the_templates_adornments() {
        let template = Template::builtin();
        let outline = crate::rst::parse(UNDERLINED);
        let all =
            super::super::fix_all_missing(UNDERLINED, &outline, &template, &Config::default())
                .expect("sections are missing");
        assert_eq!(
            all.title,
            "Add all missing sections, and give the title the template's style"
        );
        let fixed = super::super::apply_edits(UNDERLINED, &all.edits);
        assert!(fixed.starts_with("==============\nFaster Backups\n==============\n\nx\n\nProblem Description\n===================\n\nNone\n\nProposed Change\n===============\n\nConfiguration\n-------------\n"), "{fixed}");
        assert!(!fixed.contains("~~~"), "{fixed}");
        let left: Vec<Code> = codes_of(&fixed, &template)
            .into_iter()
            .filter(|c| *c != Code::EmptySection && *c != Code::TemplateText)
            .collect();
        assert_eq!(left, []);
        // one section's quick fix restyles the title too
        let one = analyze(UNDERLINED, &template, &Config::default(), Mode::Spec).findings;
        let testing = one
            .iter()
            .find(|f| f.data.section.as_deref() == Some("Testing"))
            .expect("Testing is missing");
        let fix = &testing.fixes(UNDERLINED)[0];
        assert_eq!(
            fix.title,
            "Add section 'Testing', and give the title the template's style"
        );
        let fixed = super::super::apply_edits(UNDERLINED, &fix.edits);
        assert!(fixed.starts_with("==============\nFaster Backups\n==============\n"));
        assert!(fixed.contains("\nTesting\n=======\n\nNone\n"), "{fixed}");
        assert!(!codes_of(&fixed, &template).contains(&Code::TitleStyle));
        assert!(!codes_of(&fixed, &template).contains(&Code::ExtraSection));
    }

    #[test]
    fn sections_in_a_style_of_their_own_keep_it_and_leave_the_title_alone() {
        let template = Template::builtin();
        // sections underlined '-': new ones follow them, the title's style clashes with
        // none of them, so the fixes leave it to its own finding
        let text = "Faster Backups\n==============\n\nProblem Description\n-------------------\n\nx\n\nProposed Change\n---------------\n\ny\n";
        let outline = crate::rst::parse(text);
        let all = super::super::fix_all_missing(text, &outline, &template, &Config::default())
            .expect("sections are missing");
        assert_eq!(all.title, "Add all missing sections");
        let fixed = super::super::apply_edits(text, &all.edits);
        assert!(fixed.contains("\nTesting\n-------\n"), "{fixed}");
        assert!(
            fixed.contains("\nConfiguration\n~~~~~~~~~~~~~\n"),
            "{fixed}"
        );
        assert_eq!(
            besides_missing(&fixed, &template)
                .iter()
                .map(|f| f.code)
                .filter(|c| *c != Code::EmptySection)
                .collect::<Vec<_>>(),
            [Code::TitleStyle]
        );
    }

    /// A title style: (character, overline).
    fn style() -> impl Strategy<Value = Style> {
        (
            prop::sample::select(vec!['=', '-', '~', '#', '*']),
            any::<bool>(),
        )
            .prop_map(|(ch, overline)| Style { ch, overline })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A title in any style, then template sections (any of them, in the template's
        /// adornments or underlined '-' with '~' subsections): after "Add all missing
        /// sections" and the fixes offered, one at a time, no finding is left but empty
        /// sections, the title has the template's style, the headings the document's
        /// own adornments (the template's when it had no section), and no fix takes the
        /// title away from a document that has one (a heading written in its level).
        #[test]
        fn fixes_under_a_title_in_any_style_converge(
            title in style(),
            keep in prop::collection::vec(any::<bool>(), 10),
            dashes in any::<bool>(),
        ) {
            let template = Template::builtin();
            let mut text = format!("{}\n\nIntro.\n\n", super::super::heading_text("Faster Backups", title));
            let (section, sub) = if dashes { ('-', '~') } else { ('=', '-') };
            let under = |ch| Style { ch, overline: false };
            for (t, keep) in template.sections.iter().zip(&keep) {
                if !keep {
                    continue;
                }
                text.push_str(&super::super::heading_text(&t.title, under(section)));
                text.push_str("\n\nText.\n\n");
                for s in &t.subsections {
                    text.push_str(&super::super::heading_text(&s.title, under(sub)));
                    text.push_str("\n\nText.\n\n");
                }
            }
            let fixed = fixed_through(&text, &template);
            let outline = crate::rst::parse(&fixed);
            prop_assert_eq!(
                outline.title.map(|h| h.style),
                template.title_style,
                "in:\n{}",
                &fixed
            );
            // the document's own adornments where it has sections, else the template's
            let own = dashes && keep.iter().any(|k| *k);
            let want = if own { [under('-'), under('~')] } else { [under('='), under('-')] };
            for s in &outline.sections {
                prop_assert_eq!(s.heading.style, want[0], "in:\n{}", &fixed);
                for c in &s.sections {
                    prop_assert_eq!(c.heading.style, want[1], "in:\n{}", &fixed);
                }
            }
            let left: Vec<Code> = codes_of(&fixed, &template)
                .into_iter()
                .filter(|c| !matches!(c, Code::EmptySection | Code::TemplateText))
                .collect();
            prop_assert_eq!(left, Vec::<Code>::new(), "in:\n{}", fixed);
        }
    }
}
