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
    InvisibleCharacter,
    TabIndentation,
    MissingFinalNewline,
    RequiredText,
    DirectoryName,
    FileExtension,
    RstIndent,
    RstInline,
    RstDirective,
    RstRole,
    RstReference,
    RstTable,
    DuplicateSection,
    TitleStyle,
}

impl Code {
    pub const ALL: [Code; 28] = [
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
        Code::InvisibleCharacter,
        Code::TabIndentation,
        Code::MissingFinalNewline,
        Code::RequiredText,
        Code::DirectoryName,
        Code::FileExtension,
        Code::RstIndent,
        Code::RstInline,
        Code::RstDirective,
        Code::RstRole,
        Code::RstReference,
        Code::RstTable,
        Code::DuplicateSection,
        Code::TitleStyle,
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
            Code::InvisibleCharacter => "invisible-character",
            Code::TabIndentation => "tab-indentation",
            Code::MissingFinalNewline => "missing-final-newline",
            Code::RequiredText => "required-text",
            Code::DirectoryName => "directory-name",
            Code::FileExtension => "file-extension",
            Code::RstIndent => "rst-indent",
            Code::RstInline => "rst-inline",
            Code::RstDirective => "rst-directive",
            Code::RstRole => "rst-role",
            Code::RstReference => "rst-reference",
            Code::RstTable => "rst-table",
            Code::DuplicateSection => "duplicate-section",
            Code::TitleStyle => "title-style",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What the code means, in one line (SARIF's rule description).
    pub fn summary(self) -> &'static str {
        match self {
            Code::MissingSection => "A top-level template section is absent.",
            Code::MissingSubsection => "A template subsection is absent under its section.",
            Code::ExtraSection => "A top-level section the template does not have.",
            Code::SectionOrder => "Sections out of template order.",
            Code::SectionLevel => "A template heading at the wrong depth.",
            Code::TitleMismatch => "A near miss of a template title.",
            Code::HeadingUnderline => "A title underline (or overline) shorter than the title.",
            Code::HeadingStructure => "Title structure docutils rejects.",
            Code::LineTooLong => "A line over the line-length limit.",
            Code::TrailingWhitespace => "Whitespace at the end of a line.",
            Code::CarriageReturn => "Carriage returns in the file.",
            Code::TemplateText => "The template's guidance left in the spec.",
            Code::Placeholder => "A left-over template placeholder.",
            Code::EmptySection => "A template section with nothing in it.",
            Code::InvisibleCharacter => "A zero-width or other invisible character.",
            Code::TabIndentation => "A tab in a line's indentation.",
            Code::MissingFinalNewline => "No newline at the end of the file.",
            Code::RequiredText => "Text the configuration requires is missing.",
            Code::DirectoryName => "A spec outside the directories allowed in its release.",
            Code::RstIndent => {
                "docutils: a construct ends without a blank line, unexpected indentation, a missing literal block."
            }
            Code::FileExtension => "A file selected as a spec whose name does not end in .rst.",
            Code::RstInline => "docutils: inline markup without its end-string.",
            Code::RstDirective => "A directive the docs build does not know.",
            Code::RstRole => "An interpreted text role the docs build does not know.",
            Code::RstReference => {
                "docutils: a reference without its target, footnote, citation or substitution; a duplicate or malformed target."
            }
            Code::RstTable => "docutils: a malformed grid or simple table.",
            Code::DuplicateSection => "A template section written twice at one level.",
            Code::TitleStyle => {
                "The document title in another adornment style than the template's."
            }
        }
    }

    /// Whether `check --fix` applies this code's fix: only fixes that change no words
    /// (whitespace, line endings, invisible characters, underline length).
    pub fn has_safe_fix(self) -> bool {
        matches!(
            self,
            Code::HeadingUnderline
                | Code::TrailingWhitespace
                | Code::CarriageReturn
                | Code::InvisibleCharacter
                | Code::MissingFinalNewline
        )
    }

    /// Whether the code is reported without configuration: the repository rules
    /// (invisible characters, tabs, the final newline, required text, directory names)
    /// are off until a configuration or preset gives them a severity.
    pub fn on_by_default(self) -> bool {
        !matches!(
            self,
            Code::InvisibleCharacter
                | Code::TabIndentation
                | Code::MissingFinalNewline
                | Code::RequiredText
                | Code::DirectoryName
        )
    }

    /// The default severity of this code when on (the README's findings table). The
    /// docutils message codes (`rst-*`) take docutils' level instead unless configured.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::SectionOrder
            | Code::HeadingUnderline
            | Code::TemplateText
            | Code::Placeholder
            | Code::EmptySection
            | Code::DuplicateSection
            | Code::TitleStyle
            | Code::CarriageReturn
            | Code::RstIndent
            | Code::RstInline => Severity::Warning,
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
