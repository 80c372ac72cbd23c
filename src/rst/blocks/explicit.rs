//! Explicit markup (`.. `): comments, targets, substitution definitions, footnotes,
//! citations and directives, with the checks docutils makes before a directive's
//! content is parsed.

use std::ops::Range;

use super::list_table::{Shape, widths_match};
use super::tables;
use super::{Block, Parser};
use crate::rst::directives::{self, Args, Content, Kind, Spec};
use crate::rst::options::{makes_class_name, repr};
use crate::rst::patterns::{self, Explicit};
use crate::rst::references::{FootnoteLabel, Place, normalize_name_shared};
use crate::rst::reuse::Effect;
use crate::rst::{Include, MessageKind, Reads, known};

/// A directive block's lines: arguments, the content docutils takes from the argument
/// lines when the directive has no arguments (`leading`), and the content proper.
struct DirectiveParts {
    arguments: Range<usize>,
    leading: Range<usize>,
    content: Range<usize>,
    has_content: bool,
    /// The options given: each name (lower case) and value (`None`: none given).
    options: Vec<(String, Option<String>)>,
}

impl DirectiveParts {
    /// The value of option `name` (`Some(None)` when it is given no value).
    fn option(&self, name: &str) -> Option<Option<&str>> {
        (self.options.iter())
            .find(|(o, _)| o == name)
            .map(|(_, value)| value.as_deref())
    }

    /// Whether a `file` or `url` option gives the content (`csv-table`, `raw`).
    fn content_elsewhere(&self) -> bool {
        self.option("file").is_some() || self.option("url").is_some()
    }

    /// The value of a `nonnegative_int` option (0 when not given).
    fn count(&self, name: &str) -> u64 {
        let digits = self
            .option(name)
            .flatten()
            .unwrap_or("0")
            .trim()
            .replace('_', "");
        let digits = digits.trim_start_matches('+');
        // (a number past `u64` is as good as infinite here)
        digits
            .parse()
            .unwrap_or(if digits.is_empty() { 0 } else { u64::MAX })
    }
}

impl<const RECORDS: bool> Parser<'_, '_, RECORDS> {
    /// Explicit markup (`.. `): comments, targets, substitution definitions,
    /// footnotes, citations, directives.
    pub(super) fn explicit(&mut self, b: Block, i: usize) -> usize {
        let line = self.text(b, i);
        let m = patterns::marker(line, "..").unwrap_or(2);
        let (end, visible) = match patterns::explicit(line) {
            Explicit::Target => {
                if b.titles {
                    self.effect(Effect::TreeName(normalize_name_shared(
                        patterns::target_name(line),
                    )));
                }
                let end = self.indented_end(b, i + 1, true);
                self.hyperlink_target(b, i, end);
                (end, false)
            }
            Explicit::Substitution => {
                let end = self.indented_end(b, i + 1, false);
                if let Some(name) = line[m..].trim_start().strip_prefix('|') {
                    if let Some(close) = name.find('|') {
                        self.effect(Effect::Substitution(name[..close].to_owned()));
                    }
                }
                match patterns::substitution_directive(line) {
                    // `replace` parses its content as body elements, but only here.
                    Some((name, args)) if name.eq_ignore_ascii_case("replace") => {
                        self.nested(self.after_marker(b, i, end, args));
                    }
                    Some((name, args)) => {
                        if let Some(spec) = directives::lookup(name) {
                            let inside = Block { titles: false, ..b };
                            let made = self.directive(inside, (i, end), (name, args), spec, true);
                            if made.is_err() {
                                // docutils moves the error out, leaving the definition empty
                                let name = line[m..].trim_start()[1..].split('|').next();
                                self.body_message(
                                    MessageKind::Directive,
                                    2,
                                    b,
                                    i,
                                    &format!(
                                        "Substitution definition \"{}\" empty or invalid.",
                                        name.unwrap_or("")
                                    ),
                                );
                            }
                        }
                    }
                    None => {}
                }
                (end, false)
            }
            Explicit::Footnote | Explicit::Citation => {
                let place = Place {
                    line: i + 1,
                    range: self.range(b, i, i + 1),
                };
                let label = line[m..]
                    .trim_start()
                    .strip_prefix('[')
                    .and_then(|l| l.split(']').next())
                    .unwrap_or("");
                match (patterns::explicit(line), label) {
                    (Explicit::Citation, _) => {
                        self.effect(Effect::Citation(label.to_owned(), place))
                    }
                    (_, "#") => self.effect(Effect::Footnote(FootnoteLabel::Auto, place)),
                    (_, "*") => self.effect(Effect::Footnote(FootnoteLabel::Symbol, place)),
                    (_, l) => {
                        let label = match l.strip_prefix('#') {
                            Some(name) => FootnoteLabel::AutoNamed(name.to_owned()),
                            None => FootnoteLabel::Named(l.to_owned()),
                        };
                        self.effect(Effect::Footnote(label, place));
                    }
                }
                let marker = line.find(']').map_or(m, |p| p + 1);
                let marker = marker + line[marker..].bytes().take_while(|&c| c == b' ').count();
                (self.first_known_indented(b, i, marker, false), true)
            }
            Explicit::Comment => {
                let next_blank = self.next_text(b, i).is_none_or(str::is_empty);
                if next_blank && line[m..].trim().is_empty() {
                    (i + 1, false)
                } else {
                    (self.indented_end(b, i + 1, false), false)
                }
            }
            Explicit::Directive { name, end: args } => {
                let end = self.indented_end(b, i + 1, false);
                self.directive_name_option(b, i, end);
                // Unknown directives leave an error message.
                let node = match directives::lookup(name) {
                    Some(spec) => (self.directive(b, (i, end), (name, args), spec, false))
                        .unwrap_or(Some(false)),
                    None => {
                        if !known::is_known(known::DIRECTIVES, name) {
                            self.unknown_directive(b, i, line, name);
                        } else if let Some(spec) = (directives::sphinx_body(name))
                            .or_else(|| directives::sphinx_checked(name))
                        {
                            // Sphinx checks it (and parses a `sphinx_body` one's content): check
                            // it, leave docutils' tree.
                            let _error_for_docutils = self.directive(
                                Block { titles: false, ..b },
                                (i, end),
                                (name, args),
                                spec,
                                false,
                            );
                        } else if !directives::sphinx_opaque(name)
                            && (i + 1..end).any(|k| !self.text(b, k).is_empty())
                        {
                            self.effect(Effect::Unparsed);
                        }
                        Some(false)
                    }
                };
                match node {
                    Some(visible) => (end, visible),
                    None => return end,
                }
            }
        };
        if b.titles {
            self.node(visible);
        }
        end
    }

    /// A known directive `name` on lines `i..end` whose arguments start at byte `args`
    /// of line `i`: docutils' `parse_directive_block`, then the directive's own checks,
    /// then its content parsed if it has body content. Returns the node it leaves
    /// (`Some(true)` visible, `Some(false)` invisible or an error message), `None` for
    /// none; `Err` when its arguments, options or content are refused, before it runs
    /// (docutils leaves only the error message). `substitution`: it defines a
    /// substitution (`.. |name| image:: ...`).
    pub(super) fn directive(
        &mut self,
        b: Block,
        (i, end): (usize, usize),
        (name, args): (&str, usize),
        spec: Spec,
        substitution: bool,
    ) -> Result<Option<bool>, ()> {
        let block = self.after_marker(b, i, end, args);
        let checked = self
            .directive_parts(block, i, end, name, spec)
            .map_err(|error| (3, error))
            .and_then(|parts| {
                self.directive_is_valid(block, name, spec, &parts, substitution)
                    .map(|()| parts)
            });
        let parts = match checked {
            Ok(parts) => parts,
            Err((level, error)) => {
                // docutils replaces the directive by an error message.
                self.body_message(MessageKind::Directive, level, b, i, &error);
                return Err(());
            }
        };
        if substitution && name.eq_ignore_ascii_case("image") && parts.option("name").is_some() {
            // (the image gets an id, which a substitution may not hold)
            let error = "Substitution definition contains illegal element <image>:";
            self.body_message(MessageKind::Directive, 3, b, i, error);
            return Ok(Some(false));
        }
        if let Some((reads, path)) = self.file_read(block, name, &parts, substitution) {
            let range = self.range(b, i, i + 1);
            self.effect(Effect::Include(Include {
                reads,
                path,
                line: i + 1,
                range,
            }));
        }
        let node = match spec.kind {
            Kind::Nothing => None,
            // Wherever it stands, `meta` puts its nodes at the start of the document.
            Kind::DocumentStart => {
                self.effect(Effect::DocumentStartNode);
                None
            }
            // `class` without content leaves a `pending` node a transform removes.
            Kind::Body if !parts.has_content && spec.options.is_none() => None,
            Kind::Invisible => Some(false),
            // `table` and `list-table` parse their content, then turn into an error
            // message unless it is the expected table or list.
            Kind::Opaque | Kind::Body => Some(self.content_has_shape(block, spec, &parts)),
        };
        let mut node = node;
        if spec.content == Content::BulletList && node.is_some() {
            let lines = parts.leading.clone().chain(parts.content.clone());
            let shape = Shape {
                widths: parts.option("widths").flatten(),
                header_rows: parts.count("header-rows"),
                stub_columns: parts.count("stub-columns"),
            };
            if let Err(error) = self.list_table_columns(block, lines, name, shape) {
                // docutils parses the content, then replaces the table by the error.
                self.body_message(MessageKind::Directive, 3, b, i, &error);
                node = Some(false);
            }
        }
        let exactly_one = || {
            format!(
                "Error parsing content block for the \"{name}\" directive: exactly one table expected."
            )
        };
        let table = spec.content == Content::Table;
        if table && node == Some(false) {
            // (what the content starts with is no table)
            self.body_message(MessageKind::Directive, 3, b, i, &exactly_one());
        }
        let content_lines = parts.leading.clone().chain(parts.content.clone());
        self.last_table = None;
        if parts.has_content {
            let (leading, content) = (parts.leading.clone(), parts.content.clone());
            self.body_directive(spec, block.lines(leading.start, leading.end));
            self.body_directive(spec, block.lines(content.start, content.end));
        }
        if table && node == Some(true) {
            // docutils parses the content, then wants one node, a table: a malformed
            // one is an error message, and whatever follows the table is a node too.
            let first = (content_lines.clone()).find(|&k| !self.text(block, k).is_empty());
            let end = parts.content.end.max(parts.leading.end);
            let one_table = match self.last_table {
                Some((top, ok, next)) => {
                    Some(top) == first && ok && (next..end).all(|k| self.text(block, k).is_empty())
                }
                None => true, // (not parsed: nested too deep)
            };
            if !one_table {
                self.body_message(MessageKind::Directive, 3, b, i, &exactly_one());
                node = Some(false);
            } else {
                let lines = content_lines
                    .map(|k| self.text(block, k))
                    .skip_while(|t| t.is_empty());
                let columns = tables::table_columns(lines).unwrap_or(0);
                if let Err(error) = widths_match(name, parts.option("widths").flatten(), columns) {
                    self.body_message(MessageKind::Directive, 3, b, i, &error);
                    node = Some(false);
                }
            }
        }
        Ok(node)
    }

    /// The value of the directive option on line `k` of `block`, continued on the
    /// lines before `next` (as docutils' field body: the continuation lines dedented,
    /// joined by newlines); `None` when the option is given no value.
    fn option_value(&self, block: Block, k: usize, next: usize) -> Option<String> {
        let t = self.text(block, k);
        let m = patterns::field_marker(t).unwrap_or(t.len());
        let more = (k + 1..next).map(|j| self.text(block, j));
        let indent = (more.clone())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        let lines: Vec<&str> = std::iter::once(&t[m..])
            .filter(|first| !first.is_empty())
            .chain(more.map(|l| &l[indent..]))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// docutils' `parse_directive_block`: the argument lines, the options checked
    /// against the directive's (the error message when one is unknown), and the
    /// content lines.
    fn directive_parts(
        &self,
        block: Block,
        i: usize,
        end: usize,
        name: &str,
        spec: Spec,
    ) -> Result<DirectiveParts, String> {
        let mut start = i;
        if self.text(block, start).is_empty() {
            start += 1;
        }
        let mut stop = end;
        while stop > start && self.text(block, stop - 1).is_empty() {
            stop -= 1;
        }
        let mut given: Vec<(String, Option<String>)> = Vec::new();
        let (mut arguments, mut content) =
            if start < stop && (spec.args != Args::None || spec.options.is_some()) {
                let blank = (start..stop)
                    .find(|&k| self.text(block, k).is_empty())
                    .unwrap_or(stop);
                (start..blank, (blank + 1).min(stop)..stop)
            } else {
                (start..start, start..stop)
            };
        if let Some(options) = directives::sphinx_options(name).or(spec.options) {
            if let Some(first_option) = arguments
                .clone()
                .find(|&k| patterns::field_marker(self.text(block, k)).is_some())
            {
                let error = |what: String| format!("Error in \"{name}\" directive: {what}.");
                // each option: its name, its first line and the line after it
                let mut fields = Vec::new();
                let mut k = first_option;
                while k < arguments.end {
                    let t = self.text(block, k);
                    let Some(m) = patterns::field_marker(t) else {
                        return Err(error("invalid option block".into()));
                    };
                    let next = (k + 1..arguments.end)
                        .find(|&j| !self.text(block, j).starts_with(' '))
                        .unwrap_or(arguments.end);
                    let option = t[1..m].trim_end().strip_suffix(':').unwrap_or("");
                    fields.push((option, k, next));
                    k = next;
                }
                // docutils' `extract_options`, then `assemble_option_dict`
                if fields
                    .iter()
                    .any(|(option, ..)| option.contains(char::is_whitespace))
                {
                    return Err(error(
                        "invalid option data: extension option field name may not contain multiple words".into(),
                    ));
                }
                for &(option, k, next) in &fields {
                    let option = option.to_lowercase();
                    let Some(&(_, convert)) = options.iter().find(|(o, _)| *o == option) else {
                        return Err(error(format!("unknown option: \"{option}\"")));
                    };
                    if given.iter().any(|(o, _)| *o == option) {
                        return Err(error(format!(
                            "invalid option data: duplicate option \"{option}\""
                        )));
                    }
                    let value = self.option_value(block, k, next);
                    if let Some(refusal) = convert.refusal(value.as_deref()) {
                        let value = value.as_deref().map_or("None".into(), repr);
                        return Err(error(
                            format!(
                                "invalid option value: (option: \"{option}\"; value: {value})\n{refusal}"
                            )
                            .replace('\n', " "),
                        ));
                    }
                    given.push((option, value));
                }
                arguments.end = first_option;
            }
        }
        // Without arguments, docutils' content is the argument lines (the options left
        // out) followed by what comes after the blank line.
        let mut leading = start..start;
        if spec.args == Args::None && !arguments.is_empty() {
            if arguments.end + 1 >= content.start {
                content = arguments.start..stop;
            } else {
                leading = arguments.clone();
            }
            arguments = start..start;
        }
        let has_content = !leading.is_empty()
            || (content.start..content.end).any(|k| !self.text(block, k).is_empty());
        Ok(DirectiveParts {
            arguments,
            leading,
            content,
            has_content,
            options: given,
        })
    }

    /// The file a directive reads, as docutils' `directives.path` reads its name (the
    /// lines stripped and joined): an `include`'s or a `literalinclude`'s argument (the
    /// latter on one line), or the `file` option of a `csv-table` or a `raw` that has no
    /// content and no `url`; or the image of an `image` or a `figure` outside a
    /// substitution definition (its argument as `directives.uri` reads it: no
    /// whitespace).
    fn file_read(
        &self,
        block: Block,
        name: &str,
        parts: &DirectiveParts,
        substitution: bool,
    ) -> Option<(Reads, String)> {
        let argument = || -> String {
            (parts.arguments.clone())
                .map(|k| self.text(block, k).trim())
                .collect()
        };
        let option = || -> Option<String> {
            let path = parts.option("file")??;
            (!parts.has_content && parts.option("url").is_none())
                .then(|| path.lines().map(str::trim).collect())
        };
        let is = |directive: &str| name.eq_ignore_ascii_case(directive);
        let (reads, path) = if is("include") {
            (Reads::Include, argument())
        } else if is("literalinclude") && parts.arguments.len() == 1 {
            (Reads::LiteralInclude, argument())
        } else if is("csv-table") {
            (Reads::CsvTable, option()?)
        } else if is("raw") {
            (Reads::Raw, option()?)
        } else if (is("image") || is("figure")) && !substitution {
            (Reads::Image, argument().split_whitespace().collect())
        } else {
            return None;
        };
        (!path.is_empty()).then_some((reads, path))
    }

    /// The directive's own checks: required arguments and content, forbidden content,
    /// top-level only, class names, one-word arguments; docutils' message when one
    /// fails.
    fn directive_is_valid(
        &self,
        block: Block,
        name: &str,
        spec: Spec,
        parts: &DirectiveParts,
        substitution: bool,
    ) -> Result<(), (u8, String)> {
        let arguments = &parts.arguments;
        let error_in = |what: &str| Err((3, format!("Error in \"{name}\" directive: {what}.")));
        if spec.args == Args::Required && arguments.is_empty() {
            return error_in("1 argument(s) required, 0 supplied");
        }
        if spec.content == Content::Forbidden && parts.has_content {
            return error_in("no content permitted");
        }
        if spec.one_word_argument {
            let words = arguments
                .clone()
                .flat_map(|k| self.text(block, k).split_whitespace())
                .count();
            if words > 1 {
                return error_in(&format!("maximum 1 argument(s) allowed, {words} supplied"));
            }
        }
        if spec.content != Content::Forbidden
            && spec.content != Content::Optional
            && !parts.has_content
        {
            // (the table directives check it themselves, each in its own words)
            return Err(match name.to_ascii_lowercase().as_str() {
                "list-table" => (
                    3,
                    format!("The \"{name}\" directive is empty; content required."),
                ),
                "table" => (
                    2,
                    format!("Content block expected for the \"{name}\" directive; none found."),
                ),
                _ => (
                    3,
                    format!("Content block expected for the \"{name}\" directive; none found."),
                ),
            });
        }
        let csv = name.eq_ignore_ascii_case("csv-table");
        if (csv || name.eq_ignore_ascii_case("raw")) && parts.content_elsewhere() {
            if parts.has_content {
                return Err((
                    3,
                    format!(
                        "\"{name}\" directive may not both specify an external file and have content."
                    ),
                ));
            }
            if parts.option("file").is_some() && parts.option("url").is_some() {
                return Err((
                    3,
                    format!(
                        "The \"file\" and \"url\" options may not be simultaneously specified for the \"{name}\" directive."
                    ),
                ));
            }
        }
        if csv && !parts.has_content && !parts.content_elsewhere() {
            return Err((
                2,
                format!("The \"{name}\" directive requires content; none supplied."),
            ));
        }
        if name.eq_ignore_ascii_case("raw") && !parts.has_content && !parts.content_elsewhere() {
            return Err((
                3,
                format!("Content block expected for the \"{name}\" directive; none found."),
            ));
        }
        if spec.top_only && !block.titles {
            return Err((
                3,
                format!("The \"{name}\" directive may not be used within topics or body elements."),
            ));
        }
        if let Some(error) = image_alignment(name, parts, substitution) {
            return Err((3, error));
        }
        if spec.class_argument && !self.valid_class_names(block, arguments.clone()) {
            return Err((
                3,
                format!("Invalid class attribute value for \"{name}\" directive."),
            ));
        }
        Ok(())
    }

    /// Whether the content has the shape the directive needs (a table for `table`, a
    /// bullet list for `list-table`; anything for the others).
    fn content_has_shape(&self, block: Block, spec: Spec, parts: &DirectiveParts) -> bool {
        let first_line = parts
            .leading
            .clone()
            .chain(parts.content.clone())
            .map(|k| self.text(block, k))
            .find(|t| !t.is_empty());
        match spec.content {
            Content::Table => first_line
                .is_some_and(|t| patterns::grid_table_top(t) || patterns::simple_table_top(t)),
            Content::BulletList => first_line.is_some_and(|t| patterns::bullet(t).is_some()),
            Content::Forbidden | Content::Optional | Content::Required => true,
        }
    }

    /// A hyperlink target (`.. _name: link`) on lines `i..end`: its name for the
    /// document, or docutils' "malformed hyperlink target." on the block's last line.
    fn hyperlink_target(&mut self, b: Block, i: usize, end: usize) {
        let first = self.text(b, i);
        let after = first.find('_').map_or(first.len(), |u| u + 1);
        let mut joined = first[after..].to_owned();
        for k in i + 1..end {
            joined.push_str(self.text(b, k));
        }
        let place = Place {
            line: i + 1,
            range: self.range(b, i, end),
        };
        match patterns::hyperlink_target(&joined) {
            Some(("_", _)) => self.effect(Effect::AnonymousTarget(place)),
            Some((name, link)) => {
                let link: String = joined[link..].split_whitespace().collect();
                let refuri = (!link.is_empty() && !link.ends_with('_')).then_some(link);
                let name = name.replace('\\', "");
                self.effect(Effect::Target {
                    name,
                    refuri,
                    place,
                });
            }
            None => {
                let last = end.max(i + 1) - 1;
                self.body_message(
                    MessageKind::Reference,
                    2,
                    b,
                    last,
                    "malformed hyperlink target.",
                );
            }
        }
    }

    /// A directive's `:name:` option: an explicit target.
    fn directive_name_option(&mut self, b: Block, i: usize, end: usize) {
        for k in i + 1..end {
            let t = self.text(b, k).trim_start();
            if t.is_empty() {
                break;
            }
            if let Some(name) = t.strip_prefix(":name:") {
                let place = Place {
                    line: k + 1,
                    range: self.range(b, k, k + 1),
                };
                self.effect(Effect::Target {
                    name: name.trim().to_owned(),
                    refuri: None,
                    place,
                });
            }
        }
    }

    /// docutils' "Unknown directive type" error for `name` (a slice of `line`, the
    /// block's view of line `i`), on the directive's line, over the name.
    fn unknown_directive(&mut self, b: Block, i: usize, line: &str, name: &str) {
        let at = self.view_start(b, i) + (name.as_ptr() as usize - line.as_ptr() as usize);
        let source = &self.lines[i];
        let range =
            source.source_offset(self.src, at)..source.source_offset(self.src, at + name.len());
        let message = format!("Unknown directive type \"{name}\".");
        self.message(MessageKind::UnknownDirective, 3, i + 1, range, &message);
    }

    /// Whether every word of the argument lines makes a docutils class name (`make_id`
    /// keeps letters: a word without any becomes empty).
    pub(super) fn valid_class_names(&self, block: Block, lines: std::ops::Range<usize>) -> bool {
        lines
            .flat_map(|k| self.text(block, k).split_whitespace())
            .all(makes_class_name)
    }

    /// Parse directive content `inner` as nested body elements if the directive does.
    pub(super) fn body_directive(&mut self, spec: Spec, inner: Block) {
        if spec.kind == Kind::Body {
            self.nested(inner);
        }
    }
}

/// docutils' `Image.run` on its `align` option: `top`, `middle` and `bottom` only in a
/// substitution definition, the others only outside one.
fn image_alignment(name: &str, parts: &DirectiveParts, substitution: bool) -> Option<String> {
    if !name.eq_ignore_ascii_case("image") {
        return None;
    }
    // (the value as `choice` returns it)
    let align = parts.option("align").flatten()?.trim().to_lowercase();
    let vertical = ["top", "middle", "bottom"].contains(&align.as_str());
    match (substitution, vertical) {
        (false, true) => Some(format!(
            "Error in \"{name}\" directive: \"{align}\" is not a valid value for the \"align\" option.  Valid values for \"align\" are: \"left\", \"center\", \"right\"."
        )),
        (true, false) => Some(format!(
            "Error in \"{name}\" directive: \"{align}\" is not a valid value for the \"align\" option within a substitution definition.  Valid values for \"align\" are: \"top\", \"middle\", \"bottom\"."
        )),
        _ => None,
    }
}
