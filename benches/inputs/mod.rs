//! The generated spec both benchmarks measure: the built-in template's full structure,
//! then an appendix of numbered subsections with prose, lists and literal blocks.

/// A spec of at least `lines` lines.
pub fn generated_spec(lines: usize) -> String {
    let mut text = trove_spec_lsp::template::BUILTIN_TEXT.to_string();
    let mut count = text.lines().count();
    let mut part = 0;
    while count < lines {
        part += 1;
        let title = format!("Appendix part {part}");
        let block = format!(
            "\n{title}\n{}\n\nThis part describes item {part} in a few lines of prose\n\
             that stay within the limit.\n\n* first point of {part}\n* second point\n\n\
             Example::\n\n    trove show {part}\n",
            "-".repeat(title.len())
        );
        count += block.matches('\n').count();
        text.push_str(&block);
    }
    text
}
