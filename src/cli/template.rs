//! The `template` command: the expected outline of a template (the built-in one or a
//! file), as indented text or as one JSON object.

use std::process::ExitCode;

use super::{Format, TemplateArgs};
use crate::template::{Template, TemplateSection, TemplateSource};

pub fn run(args: &TemplateArgs) -> ExitCode {
    let source = args
        .template
        .clone()
        .map_or(TemplateSource::Builtin, TemplateSource::File);
    let template = match Template::from_source(&source) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: template {}: {e}", source.name());
            return ExitCode::from(2);
        }
    };
    match args.format {
        Format::Text => print!("{}", text(&template)),
        Format::Json => println!("{}", json(&template)),
    }
    ExitCode::SUCCESS
}

fn text(t: &Template) -> String {
    let mut out = format!("{}\n", t.name());
    if let Some(title) = &t.title {
        out.push_str(&format!("title: {title}\n"));
    }
    for s in &t.sections {
        out.push_str(&format!("  {}\n", s.title));
        for sub in &s.subsections {
            out.push_str(&format!("    {}\n", sub.title));
        }
    }
    out
}

fn json(t: &Template) -> serde_json::Value {
    fn section(s: &TemplateSection) -> serde_json::Value {
        serde_json::json!({
            "title": s.title,
            "guidance": s.guidance,
            "sections": s.subsections.iter().map(section).collect::<Vec<_>>(),
        })
    }
    serde_json::json!({
        "template": t.name(),
        "title": t.title,
        "sections": t.sections.iter().map(section).collect::<Vec<_>>(),
    })
}
