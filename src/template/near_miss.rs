//! Near-miss titles: how alike a heading is to a template title once case, spacing and
//! punctuation are set aside. The checker's `title-mismatch` and hover's "did you mean"
//! both ask here, so the editor and the diagnostics agree.

use super::TemplateSection;

/// Similarity (0..1, on normalized titles) from which a title is a near miss.
pub const NEAR_MISS: f64 = 0.8;

/// Lower-case words of a title, punctuation and spacing ignored.
fn normalize_title(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How alike two titles are (0..1, normalized Levenshtein on normalized titles).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize_title(a), normalize_title(b));
    if a.is_empty() || b.is_empty() {
        0.0
    } else {
        strsim::normalized_levenshtein(&a, &b)
    }
}

/// The entry of `entries` that `title` is a near miss of (the most alike), if any.
pub fn closest<'t>(entries: &'t [TemplateSection], title: &str) -> Option<&'t TemplateSection> {
    entries
        .iter()
        .map(|s| (similarity(title, &s.title), s))
        .filter(|(score, _)| *score >= NEAR_MISS)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_miss_titles() {
        assert!(similarity("Proposed Change", "Proposed change") >= NEAR_MISS);
        assert!(similarity("Proposed Change", "Proposed Changes") >= NEAR_MISS);
        assert!(similarity("Problem Description", "Problem  description:") >= NEAR_MISS);
        assert!(similarity("References", "Resources") < NEAR_MISS);
        assert!(similarity("Testing", "Examples") < NEAR_MISS);
    }
}
