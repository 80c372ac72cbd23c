//! The line patterns docutils' `Body` state tries, in its order, on the first line of a
//! block: list markers, tables, explicit markup, adornment lines. Each matcher takes a
//! right-stripped line (as docutils sees it) and returns the byte length of the match.

/// The 32 ASCII punctuation characters docutils accepts in adornments
/// (`[!-/:-@[-`{-~]`).
pub fn is_adornment_char(b: u8) -> bool {
    matches!(b, b'!'..=b'/' | b':'..=b'@' | b'['..=b'`' | b'{'..=b'~')
}

/// `(punct)\1* *$`: a line of one repeated punctuation character (given right-stripped,
/// as docutils sees it): the one "is this an adornment line" rule of the crate.
/// (Inlined, always: most lines asked about start with a letter, answered without a
/// call; left to the compiler, it stayed a call in the text block's loop.)
#[inline(always)]
pub fn adornment(line: &str) -> Option<u8> {
    let first = *line.as_bytes().first()?;
    if !is_adornment_char(first) {
        return None;
    }
    repeated(line.as_bytes(), first)
}

/// [`adornment`] of a line starting with the adornment character `first`.
fn repeated(b: &[u8], first: u8) -> Option<u8> {
    // (compared eight bytes at a time: a title's adornment is as long as the title)
    let word = u64::from_ne_bytes([first; 8]);
    let mut words = b.chunks_exact(8);
    let same = (words.by_ref()).all(|w| u64::from_ne_bytes(w.try_into().expect("8 bytes")) == word)
        && words.remainder().iter().all(|&c| c == first);
    same.then_some(first)
}

/// Length of `( +|$)` at `rest`, if it matches.
fn spaces_or_end(rest: &str) -> Option<usize> {
    if rest.is_empty() {
        return Some(0);
    }
    let n = rest.bytes().take_while(|&b| b == b' ').count();
    (n > 0).then_some(n)
}

/// `[-+*\u2022\u2023\u2043]( +|$)`. (Inlined: most lines start with none of the
/// bullets' first bytes, which the three non-ASCII ones share, answered without a call.)
#[inline]
pub fn bullet(line: &str) -> Option<usize> {
    if !matches!(line.as_bytes().first(), Some(b'-' | b'+' | b'*' | 0xe2)) {
        return None;
    }
    bullet_char(line)
}

/// [`bullet`], by the line's first character.
fn bullet_char(line: &str) -> Option<usize> {
    let c = line.chars().next()?;
    if !matches!(c, '-' | '+' | '*' | '\u{2022}' | '\u{2023}' | '\u{2043}') {
        return None;
    }
    let n = c.len_utf8();
    Some(n + spaces_or_end(&line[n..])?)
}

/// An enumerator's format: `(1)`, `1)` or `1.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Parens,
    RParen,
    Period,
}

impl Format {
    fn affixes(self) -> (&'static str, &'static str) {
        match self {
            Format::Parens => ("(", ")"),
            Format::RParen => ("", ")"),
            Format::Period => ("", "."),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sequence {
    Auto,
    Arabic,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
}

fn is_roman(text: &str, upper: bool) -> bool {
    let ok = |c: u8| {
        let c = if upper { c } else { c.to_ascii_uppercase() };
        matches!(c, b'I' | b'V' | b'X' | b'L' | b'C' | b'D' | b'M')
    };
    let cased = text.bytes().all(|c| {
        if upper {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_lowercase()
        }
    });
    !text.is_empty() && cased && text.bytes().all(ok)
}

/// The enumerator text alternatives of docutils' `enum` pattern, with the sequence
/// docutils' `parse_enumerator` picks for them.
fn sequence_of(text: &str) -> Option<Sequence> {
    use Sequence::*;
    match text {
        "#" => Some(Auto),
        "i" => Some(LowerRoman),
        "I" => Some(UpperRoman),
        _ => [Arabic, LowerAlpha, UpperAlpha, LowerRoman, UpperRoman]
            .into_iter()
            .find(|&sequence| in_sequence(sequence, text)),
    }
}

/// `roman.fromRoman`: the value of a Roman numeral matching
/// `^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$`.
fn roman_value(text: &str) -> Option<u64> {
    let s = text.to_ascii_uppercase();
    let mut rest = s.as_bytes();
    let mut total = 0u64;
    let thousands = rest.iter().take(4).take_while(|&&c| c == b'M').count();
    total += 1000 * thousands as u64;
    rest = &rest[thousands..];
    for (one, five, ten, unit) in [
        (b'C', b'D', b'M', 100),
        (b'X', b'L', b'C', 10),
        (b'I', b'V', b'X', 1),
    ] {
        if rest.starts_with(&[one, ten]) {
            total += 9 * unit;
            rest = &rest[2..];
        } else if rest.starts_with(&[one, five]) {
            total += 4 * unit;
            rest = &rest[2..];
        } else {
            if rest.first() == Some(&five) {
                total += 5 * unit;
                rest = &rest[1..];
            }
            let ones = rest.iter().take(3).take_while(|&&c| c == one).count();
            total += ones as u64 * unit;
            rest = &rest[ones..];
        }
    }
    (rest.is_empty() && !text.is_empty()).then_some(total)
}

fn to_roman(mut n: u64) -> Option<String> {
    if !(1..5000).contains(&n) {
        return None;
    }
    const TABLE: [(&str, u64); 13] = [
        ("M", 1000),
        ("CM", 900),
        ("D", 500),
        ("CD", 400),
        ("C", 100),
        ("XC", 90),
        ("L", 50),
        ("XL", 40),
        ("X", 10),
        ("IX", 9),
        ("V", 5),
        ("IV", 4),
        ("I", 1),
    ];
    let mut out = String::new();
    for (s, v) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

fn ordinal(sequence: Sequence, text: &str) -> Option<u64> {
    match sequence {
        Sequence::Auto => Some(1),
        Sequence::Arabic => Some(text.parse::<u64>().unwrap_or(u64::MAX / 2)),
        Sequence::LowerAlpha => Some(u64::from(text.as_bytes()[0] - b'a' + 1)),
        Sequence::UpperAlpha => Some(u64::from(text.as_bytes()[0] - b'A' + 1)),
        Sequence::LowerRoman | Sequence::UpperRoman => roman_value(text),
    }
}

/// Whether `b`, a line from where its enumerator's text would start (after `(`), may
/// start one: that text (`#`, digits, one letter or Roman numerals) followed by `.` or
/// `)`. Settles most lines of text at their first letter or two, before
/// [`enumerator_marker`] reads the word they start with.
fn may_be_enumerator(b: &[u8]) -> bool {
    let run = b
        .iter()
        .take_while(|&&c| {
            c.is_ascii_digit()
                || matches!(
                    c.to_ascii_uppercase(),
                    b'#' | b'I' | b'V' | b'X' | b'L' | b'C' | b'D' | b'M'
                )
        })
        .count();
    match b.get(run) {
        Some(b'.' | b')') => true,
        // one letter other than a Roman numeral
        _ => {
            run == 0
                && b.first().is_some_and(u8::is_ascii_alphabetic)
                && matches!(b.get(1), Some(b'.' | b')'))
        }
    }
}

/// The enumerator pattern (`(1) `, `a) `, `iv. `, `#. `...) and docutils'
/// `is_enumerated_list_item` check against the following line (`next` gives it, `None`
/// at the end of input; asked only of a line that has the pattern). Returns the length
/// of the marker with its trailing spaces.
pub fn enumerator<'a>(line: &str, next: impl FnOnce() -> Option<&'a str>) -> Option<usize> {
    enumeration_start(line, next).map(|(marker, _)| marker)
}

/// An enumerated list as docutils' `EnumeratedList` state knows it after an item.
#[derive(Debug, Clone, Copy)]
pub struct Enumeration {
    format: Format,
    /// The list's `enumtype` (a list started with `#` counts in Arabic numerals).
    sequence: Sequence,
    /// Whether an item was `#` (after one, only `#` goes on).
    auto: bool,
    last: u64,
}

/// [`enumerator`] on a list's first item (docutils' `Body.enumerator`): the marker's
/// length and the list it starts.
pub fn enumeration_start<'a>(
    line: &str,
    next: impl FnOnce() -> Option<&'a str>,
) -> Option<(usize, Enumeration)> {
    let (format, text, end) = marker_settled_early(line)?;
    let sequence = sequence_of(text)?;
    let ordinal = ordinal(sequence, text)?;
    let auto = sequence == Sequence::Auto;
    let list = Enumeration {
        format,
        sequence: if auto { Sequence::Arabic } else { sequence },
        auto,
        last: ordinal,
    };
    is_enumerated_list_item(ordinal, sequence, format, next).then_some((end, list))
}

/// The item on `line` if it is the next of `list` (docutils' `EnumeratedList.enumerator`):
/// `#`, or the list's own sequence with the next ordinal (never after a `#`), in the
/// list's format. An enumerator is read in the list's sequence where it can be, so `i.`
/// after `h.` is a letter, not a Roman one. Returns the marker's length and the list
/// with this item.
pub fn enumeration_item<'a>(
    list: Enumeration,
    line: &str,
    next: impl FnOnce() -> Option<&'a str>,
) -> Option<(usize, Enumeration)> {
    let (format, text, end) = marker_settled_early(line)?;
    if format != list.format {
        return None;
    }
    let (sequence, ordinal) = if text == "#" {
        (Sequence::Auto, 1)
    } else if list.auto || !in_sequence(list.sequence, text) {
        return None;
    } else {
        let ordinal = ordinal(list.sequence, text).filter(|&o| o == list.last + 1)?;
        (list.sequence, ordinal)
    };
    let list = Enumeration {
        auto: list.auto || sequence == Sequence::Auto,
        last: ordinal,
        ..list
    };
    is_enumerated_list_item(ordinal, sequence, format, next).then_some((end, list))
}

/// Whether `text` matches `sequence`'s pattern in docutils' `enum.sequencepats`.
fn in_sequence(sequence: Sequence, text: &str) -> bool {
    let b = text.as_bytes();
    match sequence {
        Sequence::Auto => text == "#",
        Sequence::Arabic => !b.is_empty() && b.iter().all(u8::is_ascii_digit),
        Sequence::LowerAlpha => b.len() == 1 && b[0].is_ascii_lowercase(),
        Sequence::UpperAlpha => b.len() == 1 && b[0].is_ascii_uppercase(),
        Sequence::LowerRoman => is_roman(text, false),
        Sequence::UpperRoman => is_roman(text, true),
    }
}

/// docutils' `is_enumerated_list_item`: the line after an item (`next`) is blank,
/// indented, missing, or starts with the next enumerator or `#` in the same format.
fn is_enumerated_list_item<'a>(
    ordinal: u64,
    sequence: Sequence,
    format: Format,
    next: impl FnOnce() -> Option<&'a str>,
) -> bool {
    match next() {
        None => true,
        Some(n) if n.is_empty() || n.starts_with(' ') => true,
        Some(n) => {
            let marked = |text: &str| {
                let (pre, post) = format.affixes();
                (n.strip_prefix(pre))
                    .and_then(|n| n.strip_prefix(text))
                    .and_then(|n| n.strip_prefix(post))
                    .is_some_and(|n| n.starts_with(' '))
            };
            // docutils' `make_enumerator` for the next ordinal, and `#`
            let next = ordinal + 1;
            marked("#")
                || match sequence {
                    Sequence::Auto => false,
                    Sequence::Arabic => marked(itoa::Buffer::new().format(next)),
                    Sequence::LowerAlpha | Sequence::UpperAlpha => {
                        let base = if sequence == Sequence::LowerAlpha {
                            b'a'
                        } else {
                            b'A'
                        };
                        next <= 26
                            && marked(char::from(base + (next - 1) as u8).encode_utf8(&mut [0; 4]))
                    }
                    Sequence::LowerRoman => {
                        to_roman(next).is_some_and(|r| marked(&r.to_ascii_lowercase()))
                    }
                    Sequence::UpperRoman => to_roman(next).is_some_and(|r| marked(&r)),
                }
        }
    }
}

/// [`enumerator_marker`], most lines settled by [`may_be_enumerator`] first.
fn marker_settled_early(line: &str) -> Option<(Format, &str, usize)> {
    let b = line.as_bytes();
    if !may_be_enumerator(&b[usize::from(b.first() == Some(&b'('))..]) {
        return None;
    }
    enumerator_marker(line)
}

fn enumerator_marker(line: &str) -> Option<(Format, &str, usize)> {
    let b = line.as_bytes();
    let (format, start) = if b.first() == Some(&b'(') {
        (Format::Parens, 1)
    } else {
        (Format::RParen, 0)
    };
    // The enumerator text is ASCII alphanumerics or `#`: find where it stops.
    let len = b[start..]
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'#')
        .count();
    let text = &line[start..start + len];
    let end = start + len;
    let format = match (format, b.get(end)) {
        (Format::Parens, Some(b')')) => Format::Parens,
        (Format::RParen, Some(b')')) => Format::RParen,
        (Format::RParen, Some(b'.')) => Format::Period,
        _ => return None,
    };
    sequence_of(text)?;
    let end = end + 1;
    Some((format, text, end + spaces_or_end(&line[end..])?))
}

/// `:(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)`: a field list marker.
/// (Inlined: most lines asked about do not start with a colon, answered without a
/// call.)
#[inline]
pub fn field_marker(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    if b.first() != Some(&b':') || matches!(b.get(1), Some(b':' | b' ')) {
        return None;
    }
    field_marker_end(line)
}

/// [`field_marker`] of a line starting with a colon and another character than a colon
/// or a space.
fn field_marker_end(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if i + 1 >= b.len() {
                    return None;
                }
                // Skip the escaped character (which may be multi-byte).
                let c = line[i + 1..].chars().next()?;
                i += 1 + c.len_utf8();
            }
            b':' => match b.get(i + 1) {
                None | Some(b' ') => {
                    if b[i - 1] == b' ' {
                        return None;
                    }
                    return Some(i + 1 + spaces_or_end(&line[i + 1..])?);
                }
                Some(b'`') => return None,
                _ => i += 1,
            },
            _ => i += 1,
        }
    }
    None
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_alnum_plus(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Ends of `optarg` (`[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>`) at `i`, longest first.
fn optarg_ends(b: &[u8], i: usize, out: &mut Vec<usize>) {
    match b.get(i) {
        Some(c) if c.is_ascii_alphabetic() => {
            let mut j = i + 1;
            while j < b.len() && is_alnum_plus(b[j]) {
                j += 1;
            }
            out.extend((i + 1..=j).rev());
        }
        Some(b'<') => {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'<' && b[j] != b'>' {
                j += 1;
            }
            if j > i + 1 && b.get(j) == Some(&b'>') {
                out.push(j + 1);
            }
        }
        _ => {}
    }
}

/// Ends of one `option` at `i`, in the order Python's regex engine tries them.
fn option_ends(b: &[u8], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    // shortopt: (-|\+)[a-zA-Z0-9]( ?optarg)?
    if matches!(b.get(i), Some(b'-' | b'+')) && b.get(i + 1).is_some_and(|&c| is_alnum(c)) {
        let base = i + 2;
        let mut args = Vec::new();
        if b.get(base) == Some(&b' ') {
            optarg_ends(b, base + 1, &mut args);
        }
        optarg_ends(b, base, &mut args);
        out.extend(args);
        out.push(base);
    }
    // longopt: (--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*([ =]optarg)?
    let prefix = if b[i..].starts_with(b"--") {
        Some(2)
    } else if b.get(i) == Some(&b'/') {
        Some(1)
    } else {
        None
    };
    if let Some(p) = prefix {
        let s = i + p;
        if b.get(s).is_some_and(|&c| is_alnum(c)) {
            let mut j = s + 1;
            while j < b.len() && is_alnum_plus(b[j]) {
                j += 1;
            }
            for name_end in (s + 1..=j).rev() {
                if matches!(b.get(name_end), Some(b' ' | b'=')) {
                    optarg_ends(b, name_end + 1, &mut out);
                }
                out.push(name_end);
            }
        }
    }
    out
}

/// Whether `option(, option)*(  +| ?$)` matches from `i`; returns the match end.
fn option_list_from(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    for end in option_ends(b, i) {
        if b[end..].starts_with(b", ") {
            if let Some(e) = option_list_from(b, end + 2, depth + 1) {
                return Some(e);
            }
        }
        let rest = &b[end..];
        let spaces = rest.iter().take_while(|&&c| c == b' ').count();
        if spaces >= 2 {
            return Some(end + spaces);
        }
        if spaces == rest.len() && spaces <= 1 {
            return Some(end + spaces);
        }
    }
    None
}

/// Whether docutils' `Body` state takes `line` (not blank, not indented) as text, its
/// last transition: no other construct's pattern matches it (a bullet, an enumerator
/// as written, a field or option marker, `>>>`, `|`, a table top, `..`, `__`, a line
/// of one punctuation character). Where only text goes on (a definition list's next
/// term), any other pattern ends the construct.
pub fn is_plain_text(line: &str) -> bool {
    bullet(line).is_none()
        && enumerator(line, || None).is_none()
        && field_marker(line).is_none()
        && option_marker(line).is_none()
        && [">>>", "|", "..", "__"]
            .iter()
            .all(|prefix| marker(line, prefix).is_none())
        && !grid_table_top(line)
        && !simple_table_top(line)
        && adornment(line).is_none()
}

/// docutils' option list marker pattern (`-a`, `--all`, `-f FILE`, `/V`, ...).
pub fn option_marker(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    if !matches!(b.first(), Some(b'-' | b'+' | b'/')) {
        return None;
    }
    option_list_from(b, 0, 0)
}

/// `prefix( +|$)` for `>>>`, `|`, `..` and `__`. (Inlined: with the prefix known, its
/// comparison takes no call to `memcmp`.)
#[inline(always)]
pub fn marker(line: &str, prefix: &str) -> Option<usize> {
    let rest = line.strip_prefix(prefix)?;
    Some(prefix.len() + spaces_or_end(rest)?)
}

/// `\+-[-+]+-\+ *$`: the top border of a grid table.
pub fn grid_table_top(line: &str) -> bool {
    let b = line.trim_end_matches(' ').as_bytes();
    b.len() >= 5
        && b.starts_with(b"+-")
        && b.ends_with(b"-+")
        && b[2..b.len() - 2].iter().all(|&c| c == b'-' || c == b'+')
}

/// `=+( +=+)+ *$`: the top border of a simple table (two columns at least).
pub fn simple_table_top(line: &str) -> bool {
    let b = line.trim_end_matches(' ').as_bytes();
    b.first() == Some(&b'=') && b.contains(&b' ') && b.iter().all(|&c| c == b'=' || c == b' ')
}

/// `=+[ =]*$`: a simple table border.
pub fn simple_table_border(line: &str) -> bool {
    let b = line.as_bytes();
    b.first() == Some(&b'=') && b.iter().all(|&c| c == b'=' || c == b' ')
}

/// `(---?(?!-)|\u2014) *(?=[^ \n])`: the start of a block quote attribution.
pub fn attribution(line: &str) -> bool {
    let rest = match line.strip_prefix('\u{2014}') {
        Some(rest) => rest,
        None => {
            let dashes = line.bytes().take_while(|&b| b == b'-').count();
            if !(2..=3).contains(&dashes) {
                return false;
            }
            &line[dashes..]
        }
    };
    !rest.trim_start_matches(' ').is_empty()
}

/// The name of a hyperlink target line (`.. _name: uri`, ``.. _`a: b`: uri``).
pub fn target_name(line: &str) -> &str {
    let rest = line[2..]
        .trim_start_matches(' ')
        .strip_prefix('_')
        .unwrap_or("");
    if let Some(quoted) = rest.strip_prefix('`') {
        return quoted.split('`').next().unwrap_or("");
    }
    let mut end = rest.len();
    let b = rest.as_bytes();
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b':' if matches!(b.get(k + 1), None | Some(b' ')) => {
                end = k;
                break;
            }
            _ => {}
        }
        k += 1;
    }
    &rest[..end.min(rest.len())]
}

/// docutils' hyperlink target pattern (`Body.explicit.patterns.target`) on the text
/// after `.. _` (the block's lines joined as docutils joins them, without line
/// breaks): the name as written (`_` for an anonymous target) and the byte offset
/// where the link block starts. `None`: "malformed hyperlink target.".
pub fn hyperlink_target(text: &str) -> Option<(&str, usize)> {
    // Escapes as docutils' `escape2null` leaves them: a backslash and the next char.
    let c: Vec<(usize, char)> = text.char_indices().collect();
    let n = c.len();
    let mut escaped = vec![false; n + 1];
    let mut k = 0;
    while k < n {
        if c[k].1 == '\\' {
            escaped[k] = true; // the backslash itself is docutils' \x00
            k += 2;
        } else {
            k += 1;
        }
    }
    let byte = |k: usize| c.get(k).map_or(text.len(), |&(b, _)| b);
    let is_space = |k: usize| c[k].1.is_whitespace();
    // What follows the name (after an optional close quote) at `p`.
    let tail = |p: usize| -> Option<usize> {
        if p == 0 {
            return None;
        }
        // (?<!(?<!\x00):) and (?<![\s\x00])
        let before = p - 1;
        if c[before].1 == ':' && !(before > 0 && escaped[before - 1]) {
            return None;
        }
        if is_space(before) || escaped[before] {
            return None;
        }
        let mut q = p;
        if q < n && c[q].1 == ' ' && q + 1 < n && c[q + 1].1 == ':' {
            q += 1;
        }
        if q < n && c[q].1 == ':' && (q + 1 == n || c[q + 1].1 == ' ') {
            let mut e = q + 1;
            while e < n && c[e].1 == ' ' {
                e += 1;
            }
            return Some(e);
        }
        None
    };
    if n > 0 && c[0].1 == '_' {
        if let Some(e) = tail(1) {
            return Some((&text[..1], byte(e)));
        }
    }
    if n == 0 || c[0].1 == '_' {
        return None;
    }
    let quoted = c[0].1 == '`';
    let first = usize::from(quoted);
    if first >= n || c[first].1 == ' ' || c[first].1 == '`' {
        return None;
    }
    for e in first + 1..=n {
        // The name is `first..e`: its last char is neither whitespace nor an escape.
        if is_space(e - 1) || escaped[e - 1] {
            continue;
        }
        let p = if quoted {
            if e < n && c[e].1 == '`' {
                e + 1
            } else {
                continue;
            }
        } else {
            e
        };
        if let Some(end) = tail(p) {
            return Some((&text[byte(first)..byte(e)], byte(end)));
        }
    }
    None
}

/// What an explicit markup block (`.. `) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explicit<'a> {
    Footnote,
    Citation,
    Target,
    Substitution,
    /// A directive and where its arguments start.
    Directive {
        name: &'a str,
        end: usize,
    },
    Comment,
}

/// Python's `(?:(?!_)\w)`: a word character other than the underscore.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Byte length of docutils' `simplename` at the start of `s`.
fn simplename(s: &str) -> Option<usize> {
    let word_run = |from: usize| -> usize {
        s[from..]
            .char_indices()
            .find(|&(_, c)| !is_word(c))
            .map_or(s.len(), |(i, _)| from + i)
    };
    let mut end = word_run(0);
    if end == 0 {
        return None;
    }
    loop {
        let b = s.as_bytes();
        if end < b.len() && matches!(b[end], b'-' | b'.' | b'_' | b'+' | b':') {
            let next = word_run(end + 1);
            if next > end + 1 {
                end = next;
                continue;
            }
        }
        return Some(end);
    }
}

/// The directive embedded in a substitution definition line (`.. |name| image:: x`):
/// its name and the byte offset where its arguments start.
pub fn substitution_directive(line: &str) -> Option<(&str, usize)> {
    let rest = line
        .trim_start_matches('.')
        .trim_start_matches(' ')
        .strip_prefix('|')?;
    let offset = line.len() - rest.len();
    let b = rest.as_bytes();
    let close = (1..b.len())
        .find(|&k| b[k] == b'|' && b[k - 1] != b' ' && matches!(b.get(k + 1), None | Some(b' ')))?;
    let after = &rest[close + 1..];
    let text = after.trim_start_matches(' ');
    let n = simplename(text)?;
    let tail = text[n..].strip_prefix("::")?;
    let spaces = spaces_or_end(tail)?;
    Some((
        &text[..n],
        offset + close + 1 + (after.len() - text.len()) + n + 2 + spaces,
    ))
}

/// Classify an explicit markup line (it starts with `..` and spaces).
pub fn explicit(line: &str) -> Explicit<'_> {
    let after_dots = &line[2..];
    let spaces = after_dots.bytes().take_while(|&b| b == b' ').count();
    if spaces == 0 {
        return Explicit::Comment;
    }
    let rest = &after_dots[spaces..];
    if let Some(label) = rest.strip_prefix('[') {
        if let Some(close) = label.find(']') {
            let inner = &label[..close];
            let after = &label[close + 1..];
            if spaces_or_end(after).is_some() {
                let numbered = !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit());
                let auto = inner == "#" || inner == "*";
                let named_auto = inner
                    .strip_prefix('#')
                    .is_some_and(|n| simplename(n) == Some(n.len()));
                if numbered || auto || named_auto {
                    return Explicit::Footnote;
                }
                if simplename(inner) == Some(inner.len()) {
                    return Explicit::Citation;
                }
            }
        }
    }
    let nonspace_follows = |s: &str| s.chars().next().is_some_and(|c| c != ' ');
    if let Some(t) = rest.strip_prefix('_') {
        if nonspace_follows(t) {
            return Explicit::Target;
        }
    }
    if let Some(t) = rest.strip_prefix('|') {
        if nonspace_follows(t) {
            return Explicit::Substitution;
        }
    }
    if let Some(n) = simplename(rest) {
        let mut after = &rest[n..];
        after = after.strip_prefix(' ').unwrap_or(after);
        if let Some(tail) = after.strip_prefix("::") {
            if let Some(sp) = spaces_or_end(tail) {
                let end = line.len() - tail.len() + sp;
                return Explicit::Directive {
                    name: &rest[..n],
                    end,
                };
            }
        }
    }
    Explicit::Comment
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docutils' `EnumeratedList.enumerator` rule on whether the second item continues
    /// the list (each pair, the first item given a second line, is docutils 0.21.2's
    /// verdict: a warning where it does not).
    #[test]
    fn an_enumeration_goes_on_with_the_next_ordinal_in_its_format() {
        for (prev, next, continues) in [
            ("4. a", "5. b", true),
            ("4. a", "6. b", false),
            ("4. a", "5) b", false),
            ("1. a", "#. b", true),
            ("#. a", "2. b", false),
            ("(b) a", "(c) b", true),
            ("h. a", "i. b", true),
            ("II. a", "III. b", true),
            ("II. a", "IV. b", false),
            ("#. a", "#. b", true),
            ("v. a", "w. b", true),
            ("i. a", "ii. b", true),
            ("i. a", "j. b", false),
        ] {
            let (_, list) = enumeration_start(prev, || None).unwrap();
            assert_eq!(
                enumeration_item(list, next, || None).is_some(),
                continues,
                "{prev} / {next}"
            );
        }
    }

    proptest::proptest! {
        /// A line starting with none of the bytes [`bullet`] looks for first starts
        /// with no bullet: the lines of bullets, other characters sharing the
        /// non-ASCII bullets' first byte (U+2014, U+2044) and others.
        #[test]
        fn bullet_by_its_first_byte_is_bullet_by_its_first_character(
            line in "[-+* a\u{2022}\u{2023}\u{2043}\u{2014}\u{2044}\u{e9}]{0,6}",
        ) {
            proptest::prop_assert_eq!(bullet(&line), bullet_char(&line));
        }
    }

    #[test]
    fn adornments() {
        assert_eq!(adornment("====="), Some(b'='));
        assert_eq!(adornment("~"), Some(b'~'));
        assert_eq!(adornment("==-="), None);
        assert_eq!(adornment("aaaa"), None);
        assert_eq!(adornment(""), None);
        // one other character anywhere, in the words compared at once or after them
        for len in 1..30 {
            assert_eq!(adornment(&"-".repeat(len)), Some(b'-'));
            for at in 1..len {
                let mut line = "-".repeat(len).into_bytes();
                line[at] = b'=';
                let line = String::from_utf8(line).unwrap();
                assert_eq!(adornment(&line), None, "{line}");
            }
        }
    }

    #[test]
    fn bullets() {
        assert_eq!(bullet("- item"), Some(2));
        assert_eq!(bullet("-"), Some(1));
        assert_eq!(bullet("--"), None);
        assert_eq!(bullet("\u{2022}  x"), Some(5));
    }

    #[test]
    fn enumerators() {
        assert_eq!(enumerator("1. Intro", || None), Some(3));
        assert_eq!(enumerator("1. Intro", || Some("=======")), None);
        assert_eq!(enumerator("1. Intro", || Some("2. Next")), Some(3));
        assert_eq!(enumerator("1. Intro", || Some("#. Next")), Some(3));
        assert_eq!(enumerator("(a) x", || Some("   more")), Some(4));
        assert_eq!(enumerator("iv) x", || Some("")), Some(4));
        assert_eq!(enumerator("iiii) x", || Some("")), None);
        assert_eq!(enumerator("ab. x", || Some("")), None);
        assert_eq!(enumerator("1.x", || Some("")), None);
        assert_eq!(enumerator("Z. x", || Some("")), Some(3));
        assert_eq!(enumerator("#) x", || Some("")), Some(3));
        assert_eq!(enumerator("(Mix) x", || Some("")), None);
        assert_eq!(enumerator("MCM. x", || Some("")), Some(5));
    }

    #[test]
    fn only_lines_that_cannot_start_an_enumerator_are_settled_early() {
        // every line of up to 4 characters from an alphabet of enumerator pieces
        let alphabet = [
            '(', ')', '.', '#', ' ', '1', '0', 'i', 'v', 'I', 'M', 'c', 'a', 'Z', 'x',
        ];
        let mut lines = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| alphabet.iter().map(move |c| format!("{l}{c}")))
                .collect();
            for line in &longer {
                let b = line.as_bytes();
                let after_paren = &b[usize::from(b.first() == Some(&b'('))..];
                if enumerator_marker(line).is_some() {
                    assert!(may_be_enumerator(after_paren), "{line:?}");
                }
            }
            lines = longer;
        }
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_value("iv"), Some(4));
        assert_eq!(roman_value("MCMXCIV"), Some(1994));
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(roman_value("VX"), None);
        assert_eq!(roman_value("CD"), Some(400));
        assert_eq!(roman_value("XL"), Some(40));
        assert_eq!(roman_value("LX"), Some(60));
        assert_eq!(roman_value("DCCC"), Some(800));
    }

    #[test]
    fn field_markers() {
        assert_eq!(field_marker(":field: body"), Some(8));
        assert_eq!(field_marker(":a:b: c"), Some(6));
        assert_eq!(field_marker(":a :"), None);
        assert_eq!(field_marker("::"), None);
        assert_eq!(field_marker(":a:`x`"), None);
        assert_eq!(field_marker(":esc\\: x: y"), Some(10));
    }

    #[test]
    fn option_markers() {
        assert_eq!(option_marker("-a  desc"), Some(4));
        assert_eq!(option_marker("--all"), Some(5));
        assert_eq!(option_marker("-f FILE, --file=FILE  x"), Some(22));
        assert_eq!(option_marker("/V"), Some(2));
        assert_eq!(option_marker("/usr/bin"), None);
        assert_eq!(option_marker("----"), None);
        assert_eq!(option_marker("-a desc"), Some(7));
        assert_eq!(option_marker("-a, -b"), Some(6));
        assert_eq!(option_marker("--opt=<a b>  x"), Some(13));
        assert_eq!(option_marker("-ab"), Some(3));
        assert_eq!(option_marker("-a b c"), None);
    }

    #[test]
    fn tables() {
        assert!(grid_table_top("+---+---+"));
        assert!(!grid_table_top("+---"));
        assert!(simple_table_top("===  ==="));
        assert!(!simple_table_top("======"));
        assert!(simple_table_border("======"));
    }

    #[test]
    fn target_names() {
        assert_eq!(
            target_name(".. _Proposed change: http://x"),
            "Proposed change"
        );
        assert_eq!(target_name(".. _`a: b`: http://x"), "a: b");
        assert_eq!(target_name(".. _t:"), "t");
    }

    #[test]
    fn hyperlink_targets() {
        assert_eq!(hyperlink_target("name: http://x"), Some(("name", 6)));
        assert_eq!(hyperlink_target("a b:"), Some(("a b", 4)));
        assert_eq!(hyperlink_target("`a: b`: uri"), Some(("a: b", 8)));
        assert_eq!(hyperlink_target("_: uri"), Some(("_", 3)));
        assert_eq!(hyperlink_target("esc\\: x: y"), Some(("esc\\: x", 9)));
        assert_eq!(hyperlink_target("name http://x/"), None);
        assert_eq!(hyperlink_target("implementation"), None);
        assert_eq!(hyperlink_target("name:x"), None);
    }

    #[test]
    fn attributions() {
        assert!(attribution("-- Author"));
        assert!(attribution("--opt"));
        assert!(attribution("--- Author"));
        assert!(attribution("\u{2014} Author"));
        assert!(!attribution("---- x"));
        assert!(!attribution("--"));
        assert!(!attribution("- x"));
    }

    #[test]
    fn substitution_directives() {
        assert_eq!(
            substitution_directive(".. |s| replace:: x"),
            Some(("replace", 17))
        );
        assert_eq!(
            substitution_directive(".. |a b| image:: i.png"),
            Some(("image", 17))
        );
        assert_eq!(substitution_directive(".. |s| text"), None);
    }

    #[test]
    fn explicit_constructs() {
        assert_eq!(explicit(".. _target: x"), Explicit::Target);
        assert_eq!(explicit(".. |s| replace:: x"), Explicit::Substitution);
        assert_eq!(explicit(".. [1] x"), Explicit::Footnote);
        assert_eq!(explicit(".. [cit] x"), Explicit::Citation);
        assert_eq!(
            explicit(".. code-block:: python"),
            Explicit::Directive {
                name: "code-block",
                end: 16
            }
        );
        assert_eq!(
            explicit(".. note::"),
            Explicit::Directive {
                name: "note",
                end: 9
            }
        );
        assert_eq!(
            explicit(".. py:function:: f()"),
            Explicit::Directive {
                name: "py:function",
                end: 17
            }
        );
        assert_eq!(explicit(".. This is a comment"), Explicit::Comment);
        assert_eq!(explicit(".."), Explicit::Comment);
    }
}
