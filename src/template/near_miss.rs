//! Near-miss titles: how alike a heading is to a template title once case, spacing and
//! punctuation are set aside. The checker's `title-mismatch` and hover's "did you mean"
//! both ask here, so the editor and the diagnostics agree.

use super::TemplateSection;

/// Similarity (0..1, on normalized titles) from which a title is a near miss.
pub const NEAR_MISS: f64 = 0.8;

/// Lower-case words of a title, punctuation and spacing ignored.
fn normalize_title(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut text = String::with_capacity(lower.len());
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// How alike two titles are (0..1, normalized Levenshtein on normalized titles).
pub fn similarity(a: &str, b: &str) -> f64 {
    alike(&Comparable::new(a), &Comparable::new(b))
}

/// A title as compared for near misses: normalized once, with its length in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparable {
    text: String,
    chars: usize,
}

impl Comparable {
    pub fn new(title: &str) -> Comparable {
        let text = normalize_title(title);
        let chars = text.chars().count();
        Comparable { text, chars }
    }
}

/// [`similarity`] of two prepared titles. Two cheap lower bounds of the edit distance
/// (the difference of the lengths, and of the bags of characters) rule out most pairs
/// below [`NEAR_MISS`] before the edit distance is computed.
pub fn alike(a: &Comparable, b: &Comparable) -> f64 {
    let longest = a.chars.max(b.chars) as f64;
    let possible = |distance: usize| 1.0 - distance as f64 / longest >= NEAR_MISS;
    if a.text.is_empty()
        || b.text.is_empty()
        || !possible(a.chars.abs_diff(b.chars))
        || !possible(bag_distance(&a.text, &b.text))
    {
        0.0
    } else {
        // (`strsim::normalized_levenshtein`, neither text being empty)
        1.0 - levenshtein(&a.text, &b.text) as f64 / longest
    }
}

/// The edit distance of `a` and `b`, as `strsim::levenshtein` counts it; a column of
/// the distance matrix at a time, in the bits of a word, when both are ASCII and `a` fits
/// in one (Myers' algorithm, as Hyyrö words it).
fn levenshtein(a: &str, b: &str) -> usize {
    if a.is_empty() || a.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::levenshtein(a, b);
    }
    // bit i of `equal[c]`: whether byte i of `a` is c
    let mut equal = [0u64; 128];
    for (i, &c) in a.as_bytes().iter().enumerate() {
        equal[usize::from(c)] |= 1 << i;
    }
    let last = 1 << (a.len() - 1);
    // (the vertical differences of the column, +1 and -1, and its last cell)
    let (mut plus, mut minus, mut distance) = (!0u64, 0u64, a.len());
    for &c in b.as_bytes() {
        let eq = equal[usize::from(c)];
        let xv = eq | minus;
        let xh = ((eq & plus).wrapping_add(plus) ^ plus) | eq;
        let up = minus | !(xh | plus);
        let down = plus & xh;
        if up & last != 0 {
            distance += 1;
        } else if down & last != 0 {
            distance -= 1;
        }
        let up = (up << 1) | 1;
        plus = (down << 1) | !(xv | up);
        minus = up & xv;
    }
    distance
}

/// A lower bound of the edit distance of `a` and `b`: the larger of the numbers of
/// characters each has that the other lacks (characters counted in 64 classes, which
/// only lowers it).
fn bag_distance(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 64];
    for c in a.chars() {
        counts[c as usize % 64] += 1;
    }
    for c in b.chars() {
        counts[c as usize % 64] -= 1;
    }
    let surplus: i32 = counts.iter().filter(|&&n| n > 0).sum();
    let deficit: i32 = -counts.iter().filter(|&&n| n < 0).sum::<i32>();
    surplus.max(deficit) as usize
}

/// Similarity (0..1) from which a title is close enough to name as a suggestion in
/// `extra-section`'s message (not enough to pair them as a `title-mismatch`).
pub const CLOSE: f64 = 0.6;

/// The entry of `entries` that `title` is a near miss of (the most alike), if any.
pub fn closest<'t>(entries: &'t [TemplateSection], title: &str) -> Option<&'t TemplateSection> {
    most_alike(entries.iter().map(|s| (s, ())), title, NEAR_MISS).map(|(s, ())| s)
}

/// The entry (with what it comes with) most alike `title`, if it is at least `min` alike.
pub fn most_alike<'t, T>(
    entries: impl Iterator<Item = (&'t TemplateSection, T)>,
    title: &str,
    min: f64,
) -> Option<(&'t TemplateSection, T)> {
    let title = Comparable::new(title);
    entries
        .map(|(s, with)| (alike(&title, &s.comparable), s, with))
        .filter(|(score, _, _)| *score >= min)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s, with)| (s, with))
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
        // hover and title-mismatch ask the same function: no "did you mean" here
        assert!(similarity("Security Impact", "Documentation Impact") < NEAR_MISS);
    }

    #[test]
    fn levenshtein_counts_as_strsim() {
        let words = [
            "",
            "a",
            "kitten",
            "sitting",
            "proposed change",
            "proposed changes",
            "problem description",
            "references",
            "resources",
            "testing",
            "examples",
            "security impact",
            "documentation impact",
            "aaaa",
            "abab",
            "baba",
            "work items",
            "ré sumé",
            "resume",
            // (64 bytes: the most one word holds, then one more)
            "a title of sixty four bytes, as many as the bits of a word holds",
            "a title of sixty four bytes, as many as the bits of a word holds.",
            "a title of sixty four bytes, as many as the bits in a word holds",
        ];
        for a in words {
            for b in words {
                assert_eq!(levenshtein(a, b), strsim::levenshtein(a, b), "{a:?} {b:?}");
            }
        }
    }

    proptest::proptest! {
        /// Any two ASCII titles: few letters, so that they share many; up to 70 bytes,
        /// past the 64 one word holds (non-ASCII ones are the example test's).
        #[test]
        fn levenshtein_counts_as_strsim_on_any_titles(
            a in "[abc ]{0,70}",
            b in "[abc ]{0,70}",
        ) {
            proptest::prop_assert_eq!(levenshtein(&a, &b), strsim::levenshtein(&a, &b));
        }
    }
}
