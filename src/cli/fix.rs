//! `check --fix` and `--diff`: every safe fix (those that change no words: whitespace,
//! line endings, invisible characters, underline length; [`Code::has_safe_fix`]) applied
//! to a spec's text, again until none is left, and the unified diff of the result.
//!
//! [`Code::has_safe_fix`]: crate::codes::Code::has_safe_fix

use std::io::Write;

use similar::TextDiff;

use crate::Finding;
use crate::check::{Edit, apply_edits};

/// Passes at most: a fix can make another finding appear (an underline lengthened
/// after its title lost trailing spaces), so the text is analysed again after each.
const PASSES: usize = 8;

/// `text` with every safe fix applied; `findings` analyses a text.
pub fn fix_text(text: &str, findings: impl Fn(&str) -> Vec<Finding>) -> String {
    let mut text = text.to_string();
    for _ in 0..PASSES {
        let edits: Vec<Edit> = findings(&text)
            .iter()
            .filter(|f| f.code.has_safe_fix())
            .filter_map(|f| f.fixes(&text).first().cloned())
            .flat_map(|fix| fix.edits)
            .collect();
        let next = apply_edits(&text, &edits);
        if next == text {
            break;
        }
        text = next;
    }
    text
}

/// The unified diff from `old` to `new`, both named `file`.
pub fn write_diff(out: &mut impl Write, file: &str, old: &str, new: &str) -> std::io::Result<()> {
    let diff = TextDiff::from_lines(old, new);
    write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(file, file)
            .missing_newline_hint(true)
    )
}
