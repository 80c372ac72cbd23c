//! Pathological documents, each `n` repetitions of one shape: the inputs that once made
//! a rule quadratic or the findings unbounded. Shared by `benches/hostile.rs` and
//! `tests/growth.rs` (included by path).

/// A shape: `n` -> a document of `n` repetitions.
pub type Shape = fn(usize) -> String;

/// The shapes, by name.
pub const SHAPES: [(&str, Shape); 9] = [
    ("short-underlines", short_underlines),
    ("mixed-adornments", mixed_adornments),
    ("crlf-headings", crlf_headings),
    ("wide-titles", wide_titles),
    ("near-miss-titles", near_miss_titles),
    ("overlines", overlines),
    ("trailing-whitespace", trailing_whitespace),
    ("long-lines", long_lines),
    ("references", references),
];

/// `n` paragraphs of unknown references and `n` pairs of duplicate targets.
pub fn references(n: usize) -> String {
    let mut text = "a_ `b <c`_ [1]_ |d| e__ [CIT]_\n\n".repeat(n);
    text.push_str(&".. _t: http://x/\n.. _t: http://y/\n".repeat(n));
    text
}

/// `n` headings of one style, each underline too short (one docutils message each).
pub fn short_underlines(n: usize) -> String {
    (0..n)
        .map(|i| format!("Heading number {i}\n=====\n\n"))
        .collect()
}

/// `n` headings cycling through adornments: inconsistent title levels everywhere.
pub fn mixed_adornments(n: usize) -> String {
    const CHARS: [char; 4] = ['=', '-', '~', '^'];
    (0..n)
        .map(|i| {
            let c = CHARS[(i * 7 / 3) % CHARS.len()];
            format!("Heading number {i}\n{}\n\n", c.to_string().repeat(5))
        })
        .collect()
}

/// `n` headings with CRLF line breaks and short underlines.
pub fn crlf_headings(n: usize) -> String {
    (0..n)
        .map(|i| format!("Title {i}\r\n===\r\n\r\n"))
        .collect()
}

/// `n` headings of wide characters with underlines as long as their characters only.
pub fn wide_titles(n: usize) -> String {
    (0..n)
        .map(|i| format!("標題標題{i}\n========\n\n"))
        .collect()
}

/// `n` distinct sections, each a near miss of the template's "Problem description".
pub fn near_miss_titles(n: usize) -> String {
    (0..n)
        .map(|i| {
            let letter = |k: usize| char::from(b'a' + (i / 26usize.pow(k as u32) % 26) as u8);
            let title = format!("Problem description{}{}{}", letter(0), letter(1), letter(2));
            format!("{title}\n{}\n\n", "=".repeat(title.len()))
        })
        .collect()
}

/// `n` overlined headings with short overlines and underlines.
pub fn overlines(n: usize) -> String {
    (0..n)
        .map(|i| format!("=====\nHeading number {i}\n=====\n\n"))
        .collect()
}

/// `n` lines with trailing whitespace (one finding each).
pub fn trailing_whitespace(n: usize) -> String {
    "abc   \n".repeat(n)
}

/// `n` lines over the length limit (one finding each).
pub fn long_lines(n: usize) -> String {
    format!("{}\n", "word ".repeat(20)).repeat(n)
}
