//! The `template` command: the expected outline of a template (the built-in one or a
//! file), as indented text or as one JSON object.

use std::io::Write;
use std::process::ExitCode;

use super::{Format, TemplateArgs, finish, output_failed, stdout};
use crate::template::{Template, TemplateSection, TemplateSource};

pub fn run(args: &TemplateArgs) -> ExitCode {
    let source = args
        .template
        .clone()
        .map_or(TemplateSource::Builtin, TemplateSource::File);
    let template = match Template::from_source(&source, &crate::files::Limit::default()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: template {}: {e}", source.name());
            return ExitCode::from(2);
        }
    };
    let mut out = stdout();
    let written = match args.format {
        Format::Text => write!(out, "{}", text(&template)),
        Format::Json => writeln!(out, "{}", json(&template)),
    };
    match written
        .map_err(|e| output_failed(&e))
        .and_then(|()| finish(out))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
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
