//! The `outline` command: the section tree docutils would build, as indented text or as
//! one JSON object per file in exactly the shape of the corpus' `golden.jsonl`.

use std::io::Write;
use std::process::ExitCode;

use super::{Format, OutlineArgs, finish, output_failed, stdout};
use crate::files::{Limit, read_text};
use crate::rst::{self, Outline, Section};

pub fn run(args: &OutlineArgs) -> ExitCode {
    let mut failed = false;
    let mut out = stdout();
    for file in &args.files {
        let text = match read_text(file, &Limit::default()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let outline = rst::parse(&text);
        let name = file.display().to_string();
        let written = match args.format {
            Format::Text => write!(out, "{}", text_tree(&name, &outline)),
            Format::Json => writeln!(out, "{}", json_tree(&name, &outline)),
        };
        if let Err(e) = written {
            return output_failed(&e);
        }
    }
    if let Err(code) = finish(out) {
        code
    } else if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn text_tree(name: &str, outline: &Outline) -> String {
    fn walk(out: &mut String, sections: &[Section], depth: usize) {
        for s in sections {
            let indent = "  ".repeat(depth);
            out.push_str(&format!(
                "{indent}{} (line {})\n",
                s.heading.title, s.heading.line
            ));
            walk(out, &s.sections, depth + 1);
        }
    }
    let mut out = format!("{name}\n");
    if let Some(t) = &outline.title {
        out.push_str(&format!("title: {}\n", t.title));
    }
    if let Some(t) = &outline.subtitle {
        out.push_str(&format!("subtitle: {}\n", t.title));
    }
    walk(&mut out, &outline.sections, 1);
    out
}

/// `{"file", "title", "sections": [{"title", "line", "sections"}]}`, in that order.
fn json_tree(name: &str, outline: &Outline) -> String {
    serde_json::to_string(&outline.golden(name)).expect("the golden outline serializes")
}
