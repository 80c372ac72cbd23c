//! docutils' directive option conversion functions (`directives.flag`, `class_option`,
//! `choice`, `nonnegative_int`, ...) and the Sphinx ones its directives use: which
//! option values the docs build refuses, with the reason in its own words. A refused
//! value turns the whole directive into "Error in "name" directive: invalid option
//! value: ..." (docutils' `assemble_option_dict`).

use std::fmt::Write as _;

/// How a directive converts one option's value (its `option_spec` entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// `unchanged`: anything, or nothing.
    Any,
    /// `unchanged_required`, `path`, `uri`: anything but nothing.
    Required,
    /// `flag`: nothing.
    Flag,
    /// `class_option`: words that make class names.
    Class,
    /// Python's `int`.
    Int,
    /// Sphinx's `int_or_nothing`: nothing, or an `Int`.
    IntOrNothing,
    /// `nonnegative_int`.
    NonNegative,
    /// `positive_int`.
    Positive,
    /// Sphinx's `optional_int`: nothing, or a `nonnegative_int`.
    OptionalNonNegative,
    /// `percentage`: a `nonnegative_int` with an optional `%`.
    Percentage,
    /// `length_or_unitless`.
    Length,
    /// `length_or_percentage_or_unitless`.
    LengthOrPercentage,
    /// `figure`'s `figwidth`: `image`, or a `LengthOrPercentage`.
    FigureWidth,
    /// `choice` among these (lower case).
    Choice(&'static [&'static str]),
    /// `value_or(these, positive_int_list)` (a table's `widths`).
    Widths(&'static [&'static str]),
    /// `single_char_or_unicode`.
    Char,
    /// `single_char_or_whitespace_or_unicode`.
    CharOrWhitespace,
    /// `encoding`: a name Python's `codecs.lookup` knows (only its absence is checked
    /// here: Python's codec names and their spellings are not listed).
    Encoding,
}

/// A directive's options: each name (lower case) and its conversion.
pub type Options = &'static [(&'static str, Value)];

/// The units of `length_or_unitless` and of `length_or_percentage_or_unitless`.
const LENGTH_OR_UNITLESS: [&str; 9] = ["em", "ex", "px", "in", "cm", "mm", "pt", "pc", ""];
const LENGTH_OR_PERCENTAGE: [&str; 9] = ["em", "ex", "px", "in", "cm", "mm", "pt", "pc", "%"];

impl Value {
    /// Why the docs build refuses `value` (`None`: the option is given no value), in
    /// the words of the conversion's Python exception; `None` when it accepts it (or
    /// when docutils would fail in a way it does not report).
    pub fn refusal(self, value: Option<&str>) -> Option<String> {
        let required = || value.is_none().then(|| REQUIRED.to_owned());
        match self {
            Value::Any => None,
            Value::Required => required(),
            Value::Flag => value
                .filter(|v| !v.trim().is_empty())
                .map(|v| format!("no argument is allowed; \"{v}\" supplied")),
            Value::Class => required().or_else(|| {
                let word = value?.split_whitespace().find(|w| !makes_class_name(w))?;
                Some(format!("cannot make \"{word}\" into a class name"))
            }),
            Value::Int => int(value).err(),
            Value::IntOrNothing => value
                .filter(|v| !v.is_empty())
                .and_then(|v| int(Some(v)).err()),
            Value::Positive => match value {
                Some(v) => positive(v).err(),
                None => int(None).err(),
            },
            Value::NonNegative => non_negative(value),
            Value::OptionalNonNegative => value.and_then(|v| non_negative(Some(v))),
            Value::Percentage => non_negative(value.map(|v| v.trim_end_matches([' ', '%']))),
            Value::Length => measure(value, &LENGTH_OR_UNITLESS),
            Value::LengthOrPercentage => length_or_percentage(value),
            Value::FigureWidth => match value {
                // (`argument.lower()` on nothing: an exception docutils does not report)
                None => None,
                Some(v) if v.to_lowercase() == "image" => None,
                Some(_) => length_or_percentage(value),
            },
            Value::Choice(values) => choice(value, values),
            Value::Widths(values) => match value {
                Some(v) if values.contains(&v) => None,
                None => Some("argument of type 'NoneType' is not iterable".to_owned()),
                Some(v) => width_entries(v).find_map(|entry| positive(entry).err()),
            },
            // (`unicode_code` of nothing: an exception docutils does not report)
            Value::Char => value.and_then(single_char),
            Value::Encoding => value
                .is_none()
                .then(|| "lookup() argument must be str, not None".to_owned()),
            Value::CharOrWhitespace => value
                .filter(|v| *v != "tab" && *v != "space")
                .and_then(single_char),
        }
    }
}

const REQUIRED: &str = "argument required but none supplied";

/// The entries of a list of widths, as docutils' `positive_int_list` splits it: at
/// commas if there is one, else at whitespace.
pub fn width_entries(value: &str) -> impl Iterator<Item = &str> {
    let commas = value.contains(',');
    let split = |at_commas: bool| (commas == at_commas).then_some(value).into_iter();
    (split(true).flat_map(|v| v.split(','))).chain(split(false).flat_map(str::split_whitespace))
}

/// Whether `int()` takes `value`: its sign and whether it is zero, or Python's
/// `ValueError`/`TypeError` text. A value with digits other than ASCII ones (which
/// `int` also reads) counts as a positive number.
fn int(value: Option<&str>) -> Result<(bool, bool), String> {
    let Some(v) = value else {
        return Err(
            "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"
                .to_owned(),
        );
    };
    let invalid = || format!("invalid literal for int() with base 10: {}", repr(v));
    if v.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
        return Ok((false, false));
    }
    let t = v.trim_matches(python_space);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    // digits, single underscores between them
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return Err(invalid());
    }
    let zero = digits.bytes().all(|b| b == b'0' || b == b'_');
    Ok((negative && !zero, zero))
}

/// `nonnegative_int`'s refusal.
fn non_negative(value: Option<&str>) -> Option<String> {
    match int(value) {
        Err(e) => Some(e),
        Ok((true, _)) => Some("negative value; must be positive or zero".to_owned()),
        Ok(_) => None,
    }
}

/// `positive_int`'s refusal.
fn positive(value: &str) -> Result<(), String> {
    match int(Some(value))? {
        (false, false) => Ok(()),
        _ => Err("negative or zero value; must be positive".to_owned()),
    }
}

/// `length_or_percentage_or_unitless`'s refusal.
fn length_or_percentage(value: Option<&str>) -> Option<String> {
    measure(value, &LENGTH_OR_PERCENTAGE)?;
    measure(value, &[""])?;
    measure(value, &LENGTH_OR_PERCENTAGE)
}

/// `get_measure(value, units)`'s refusal: a number of digits and dots that `float`
/// reads, spaces, then one of the units, exactly.
fn measure(value: Option<&str>, units: &[&str]) -> Option<String> {
    let Some(v) = value else {
        return Some("expected string or bytes-like object, got 'NoneType'".to_owned());
    };
    let number_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, unit) = (&v[..number_end], v[number_end..].trim_start_matches(' '));
    let is_float = number.bytes().any(|b| b.is_ascii_digit())
        && number.bytes().filter(|&b| b == b'.').count() <= 1;
    if is_float && units.contains(&unit) {
        return None;
    }
    let listed: Vec<String> = units.iter().map(|u| format!("\"{u}\"")).collect();
    Some(format!(
        "not a positive measure of one of the following units:\n{}",
        listed.join(" ")
    ))
}

/// `choice(value, values)`'s refusal.
fn choice(value: Option<&str>, values: &[&str]) -> Option<String> {
    let listed = format_values(values);
    match value {
        None => Some(format!("must supply an argument; choose from {listed}")),
        Some(v) if values.contains(&v.to_lowercase().trim_matches(python_space)) => None,
        Some(v) => Some(format!("\"{v}\" unknown; choose from {listed}")),
    }
}

/// docutils' `format_values`: `"a", "b", or "c"`.
fn format_values(values: &[&str]) -> String {
    let Some((last, rest)) = values.split_last() else {
        return String::new();
    };
    let rest: Vec<String> = rest.iter().map(|v| format!("\"{v}\"")).collect();
    format!("{}, or \"{last}\"", rest.join(", "))
}

/// `single_char_or_unicode`'s refusal: a decimal or hexadecimal character code, or
/// one character.
fn single_char(value: &str) -> Option<String> {
    let code = if value.bytes().all(|b| b.is_ascii_digit()) {
        Some(value.parse::<u128>())
    } else {
        hex_code(value).map(|h| u128::from_str_radix(h, 16))
    };
    match code {
        // (`unicode_code`'s `chr` takes a C int)
        Some(Ok(n)) if n <= i32::MAX as u128 => {
            (n >= 0x11_0000).then(|| "chr() arg not in range(0x110000)".to_owned())
        }
        Some(_) => Some("code too large (Python int too large to convert to C int)".to_owned()),
        None if value.chars().count() > 1 => Some(format!(
            "{} invalid; must be a single character or a Unicode code",
            repr(value)
        )),
        None => None,
    }
}

/// The hexadecimal digits of a character code `unicode_code` reads (`0x262E`, `x262E`,
/// `\x262E`, `U+262E`, `U262E`, `\u262E`, `&#x262E;`).
fn hex_code(value: &str) -> Option<&str> {
    let lower = value.to_ascii_lowercase();
    let digits = if let Some(rest) = lower.strip_prefix("&#x") {
        &value[3..3 + rest.strip_suffix(';')?.len()]
    } else {
        let prefix = ["0x", "x", "\\x", "u+", "u", "\\u"]
            .iter()
            .filter(|p| lower.starts_with(*p))
            .map(|p| p.len())
            .max()?;
        &value[prefix..]
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit())).then_some(digits)
}

/// Whether docutils' `make_id` leaves something of `word`: it keeps letters and the
/// digits after one (a Latin letter with an accent becomes its ASCII letter).
pub fn makes_class_name(word: &str) -> bool {
    word.chars()
        .any(|c| c.is_ascii_alphabetic() || (c.is_alphabetic() && (c as u32) < 0x250))
}

/// Python's `str.isspace`.
fn python_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `repr` of a string: in single quotes (double quotes when it holds a single
/// quote and no double one), with backslash escapes for what is not printable.
pub fn repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\0'..='\x1f' | '\x7f'..='\u{a0}' | '\u{ad}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{2000}'..='\u{200f}'
            | '\u{2028}'..='\u{202f}'
            | '\u{205f}'..='\u{206f}'
            | '\u{3000}'
            | '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each refusal is the one docutils 0.21.2 (or Sphinx 8.1.3) gives on Python 3.11,
    /// run on the same value.
    #[test]
    fn refusals_are_docutils_own() {
        let choose = "choose from \"left\", \"center\", or \"right\"";
        let cases: &[(Value, Option<&str>, Option<String>)] = &[
            (Value::Any, None, None),
            (Value::Required, None, Some(REQUIRED.into())),
            (Value::Required, Some("x"), None),
            (Value::Flag, None, None),
            (Value::Flag, Some("yes"), Some("no argument is allowed; \"yes\" supplied".into())),
            (Value::Class, Some("big 1 -a"), Some("cannot make \"1\" into a class name".into())),
            (Value::Class, Some("a1 é"), None),
            (Value::NonNegative, Some(" +1_0 "), None),
            (Value::NonNegative, Some("-0"), None),
            (Value::NonNegative, Some("-3"), Some("negative value; must be positive or zero".into())),
            (Value::NonNegative, Some("one"), Some("invalid literal for int() with base 10: 'one'".into())),
            (Value::NonNegative, Some("1__0"), Some("invalid literal for int() with base 10: '1__0'".into())),
            (Value::NonNegative, None, Some("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'".into())),
            (Value::OptionalNonNegative, None, None),
            (Value::Int, Some("-3"), None),
            (Value::IntOrNothing, None, None),
            (Value::IntOrNothing, Some("x"), Some("invalid literal for int() with base 10: 'x'".into())),
            (Value::Positive, Some("0"), Some("negative or zero value; must be positive".into())),
            (Value::Positive, Some("3"), None),
            (Value::Percentage, Some("50 %"), None),
            (Value::Percentage, Some("half%"), Some("invalid literal for int() with base 10: 'half'".into())),
            (Value::Length, Some("3.5 em"), None),
            (Value::Length, Some("3"), None),
            (Value::Length, Some("3%"), Some("not a positive measure of one of the following units:\n\"em\" \"ex\" \"px\" \"in\" \"cm\" \"mm\" \"pt\" \"pc\" \"\"".into())),
            (Value::LengthOrPercentage, Some("50%"), None),
            (Value::LengthOrPercentage, Some("50"), None),
            (Value::LengthOrPercentage, Some("1.2.3px"), Some("not a positive measure of one of the following units:\n\"em\" \"ex\" \"px\" \"in\" \"cm\" \"mm\" \"pt\" \"pc\" \"%\"".into())),
            (Value::LengthOrPercentage, None, Some("expected string or bytes-like object, got 'NoneType'".into())),
            (Value::FigureWidth, Some("Image"), None),
            (Value::Choice(&["left", "center", "right"]), Some(" Left"), None),
            (Value::Choice(&["left", "center", "right"]), Some("centre"), Some(format!("\"centre\" unknown; {choose}"))),
            (Value::Choice(&["left", "center", "right"]), None, Some(format!("must supply an argument; {choose}"))),
            (Value::Widths(&["auto"]), Some("auto"), None),
            (Value::Widths(&["auto"]), Some("20, 30"), None),
            (Value::Widths(&["auto"]), Some("20 abc"), Some("invalid literal for int() with base 10: 'abc'".into())),
            (Value::Widths(&["auto"]), Some("20,,30"), Some("invalid literal for int() with base 10: ''".into())),
            (Value::Widths(&["auto"]), Some("20 0"), Some("negative or zero value; must be positive".into())),
            (Value::Widths(&["auto"]), None, Some("argument of type 'NoneType' is not iterable".into())),
            (Value::Char, Some(";"), None),
            (Value::Char, Some("0x3B"), None),
            (Value::Char, Some("ab"), Some("'ab' invalid; must be a single character or a Unicode code".into())),
            (Value::Char, Some("1114112"), Some("chr() arg not in range(0x110000)".into())),
            (Value::Char, Some("2147483648"), Some("code too large (Python int too large to convert to C int)".into())),
            (Value::CharOrWhitespace, Some("tab"), None),
            (Value::Encoding, Some("utf-8"), None),
            (Value::Encoding, None, Some("lookup() argument must be str, not None".into())),
        ];
        for (value, given, expected) in cases {
            assert_eq!(&value.refusal(*given), expected, "{value:?} {given:?}");
        }
    }

    #[test]
    fn widths_split_at_commas_else_whitespace() {
        let entries = |v| width_entries(v).collect::<Vec<_>>();
        assert_eq!(entries("20, 30"), ["20", " 30"]);
        assert_eq!(entries("20 30\t40"), ["20", "30", "40"]);
        assert_eq!(entries("20,,30 40"), ["20", "", "30 40"]);
        assert!(entries("").is_empty());
    }

    #[test]
    fn repr_is_pythons() {
        assert_eq!(repr("a'b"), "\"a'b\"");
        assert_eq!(repr("a'b\""), "'a\\'b\"'");
        assert_eq!(repr("é\n\\"), "'é\\n\\\\'");
        assert_eq!(repr("a\u{a0}b\u{200b}c\u{85}"), "'a\\xa0b\\u200bc\\x85'");
    }
}
