//! Finding codes and severities: the stable vocabulary that the rules (`check`) report
//! in and the configuration (`config`) sets severities for. A module of its own, so
//! neither of those two needs the other for it.

use serde::{Deserialize, Serialize};

/// Stable finding codes (the README's findings table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    MissingSection,
    MissingSubsection,
    ExtraSection,
    SectionOrder,
    SectionLevel,
    TitleMismatch,
    HeadingUnderline,
    HeadingStructure,
    LineTooLong,
    TrailingWhitespace,
    CarriageReturn,
    TemplateText,
    Placeholder,
    EmptySection,
}

impl Code {
    pub const ALL: [Code; 14] = [
        Code::MissingSection,
        Code::MissingSubsection,
        Code::ExtraSection,
        Code::SectionOrder,
        Code::SectionLevel,
        Code::TitleMismatch,
        Code::HeadingUnderline,
        Code::HeadingStructure,
        Code::LineTooLong,
        Code::TrailingWhitespace,
        Code::CarriageReturn,
        Code::TemplateText,
        Code::Placeholder,
        Code::EmptySection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::MissingSection => "missing-section",
            Code::MissingSubsection => "missing-subsection",
            Code::ExtraSection => "extra-section",
            Code::SectionOrder => "section-order",
            Code::SectionLevel => "section-level",
            Code::TitleMismatch => "title-mismatch",
            Code::HeadingUnderline => "heading-underline",
            Code::HeadingStructure => "heading-structure",
            Code::LineTooLong => "line-too-long",
            Code::TrailingWhitespace => "trailing-whitespace",
            Code::CarriageReturn => "carriage-return",
            Code::TemplateText => "template-text",
            Code::Placeholder => "placeholder",
            Code::EmptySection => "empty-section",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The default severity of this code (the README's findings table).
    pub fn default_severity(self) -> Severity {
        match self {
            Code::SectionOrder
            | Code::HeadingUnderline
            | Code::TemplateText
            | Code::Placeholder
            | Code::EmptySection
            | Code::CarriageReturn => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// Finding severity; the numbers are LSP's `DiagnosticSeverity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}
