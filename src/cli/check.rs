//! The `check` command: find the specs under the given paths, check each against its
//! template and configuration (with `--fix`, after applying the safe fixes; with
//! `--diff`, printing them instead), print compiler-style lines, LSP diagnostics as
//! JSON, GitHub workflow commands or a SARIF log, and exit 0 (no error-severity
//! finding), 1 (some, or a `--diff` to show) or 2 (usage or I/O errors).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::fix;
use super::output::{self, CheckFormat, severity_name};
use super::{CheckArgs, display_path, finish, normalize, output_failed, stdout};
use crate::codes::Code;
use crate::config::{self, Asked, Config};
use crate::files::{Limit, read_text};
use crate::template::{self, Template, TemplateSource};
use crate::text::{Encoding, LineIndex};
use crate::{Finding, Mode, Severity, analyze, analyze_in, proto};

pub fn run(args: &CheckArgs) -> ExitCode {
    if args.statistics && args.format != CheckFormat::Text {
        eprintln!("error: --statistics prints text: drop --format");
        return ExitCode::from(2);
    }
    let mut run = Run::new(args);
    run.max_file_size = args.max_file_size.map(|bytes| Limit {
        bytes,
        set_in: Some("--max-file-size".to_string()),
    });
    let explicit_config = match &args.config {
        Some(path) => match Config::load(&normalize(&run.cwd, path)) {
            Ok(c) => Some(c),
            Err(e) => {
                let source = display_path(&run.cwd, Path::new(&e.source));
                eprintln!("error: {source}: {}", e.message.trim_end());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if let Some(path) = &args.template
        && let Err(e) = run.template(&TemplateSource::File(path.clone()), None)
    {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let files = run.collect(&args.paths, explicit_config.as_ref());
    run.plain = files.iter().filter(|f| f.2 == Mode::Plain).count();
    let mut checked = 0;
    let mut out = stdout();
    // Read each file and find its template in order, analyse them on every core, then
    // write the results in input order.
    let prepared: Vec<Option<Prepared>> = files
        .iter()
        .map(|(file, config, mode)| run.prepare(file, config, *mode))
        .collect();
    let analysed = in_parallel(&files, &prepared, |(_, config, mode), p| {
        analyse(p, config, *mode, args)
    });
    for (((file, _, mode), prepared), analysed) in files.iter().zip(prepared).zip(analysed) {
        let (Some(prepared), Some((fixed, analysis))) = (prepared, analysed) else {
            continue;
        };
        // a place is not a file checked, and is reported only when something is wrong
        let place = matches!(mode, Mode::Place { .. });
        if place && analysis.findings.is_empty() {
            continue;
        }
        match run.report(file, prepared, fixed, analysis, args, &mut out) {
            Ok(true) if !place => checked += 1,
            Ok(true) => {}
            Ok(false) => {}
            Err(e) => return output_failed(&e),
        }
    }
    let written = match args.format {
        CheckFormat::Sarif => std::mem::take(&mut run.sarif).write(&mut out),
        CheckFormat::Text if args.diff => Ok(()),
        CheckFormat::Text if args.statistics => output::write_statistics(&mut out, &run.counts)
            .and_then(|()| writeln!(out, "{}", run.summary(checked))),
        CheckFormat::Text => writeln!(out, "{}", run.summary(checked)),
        CheckFormat::Json | CheckFormat::Github => Ok(()),
    };
    if let Err(code) = written
        .map_err(|e| output_failed(&e))
        .and_then(|()| finish(out))
    {
        return code;
    }
    if args.diff && run.diffs > 0 {
        let plural = if run.diffs == 1 { "" } else { "s" };
        eprintln!("--fix would change {} file{plural}", run.diffs);
    }
    run.exit_code()
}

/// A file read, with its template.
struct Prepared {
    text: String,
    template: Arc<Template>,
    source: TemplateSource,
    /// The file's directory, where what it includes is looked for.
    dir: PathBuf,
}

/// The fixed text (`--fix`, `--diff`) and the analysis of a prepared file: the pure,
/// CPU-bound part, run in parallel.
fn analyse(
    p: &Prepared,
    config: &Config,
    mode: Mode,
    args: &CheckArgs,
) -> (Option<String>, crate::Analysis) {
    let template = &*p.template;
    let place = matches!(mode, Mode::Place { .. });
    let fixed = (!place && (args.fix || args.diff))
        .then(|| fix::fix_text(&p.text, |t| analyze(t, template, config, mode).findings));
    let text = match &fixed {
        Some(f) if !args.diff => f.as_str(),
        _ => p.text.as_str(),
    };
    let exists = |path: &Path| p.dir.join(path).is_file();
    let analysis = analyze_in(text, template, config, mode, Some(&exists));
    (fixed, analysis)
}

/// `work` on every item that has a prepared file, on every core (scoped threads taking
/// the next item from a shared counter), the results in input order. Plain
/// `std::thread::scope`: one loop needs no thread-pool dependency.
fn in_parallel<I: Sync, R: Send>(
    items: &[I],
    prepared: &[Option<Prepared>],
    work: impl Fn(&I, &Prepared) -> R + Sync,
) -> Vec<Option<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(k) else { break };
                        if let Some(p) = &prepared[k] {
                            done.push((k, work(item, p)));
                        }
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_unstable_by_key(|(k, _)| *k);
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (k, r) in results {
        out[k] = Some(r);
    }
    out
}

/// State of one `check` invocation: caches, counts, whether anything failed.
struct Run {
    cwd: PathBuf,
    explicit_template: Option<PathBuf>,
    templates: HashMap<TemplateSource, Arc<Template>>,
    configs: HashMap<PathBuf, Option<Config>>,
    errors: usize,
    warnings: usize,
    others: usize,
    failed: bool,
    /// Warnings about the configuration already printed (each is printed once).
    warned: HashSet<String>,
    /// Findings per code (`--statistics`).
    counts: BTreeMap<Code, usize>,
    /// Files `--diff` has a diff for, and files `--fix` rewrote.
    diffs: usize,
    fixed: usize,
    /// Files checked as plain reStructuredText, not as specs.
    plain: usize,
    sarif: output::sarif::Log,
    /// `--max-file-size`, over every configuration's.
    max_file_size: Option<Limit>,
}

impl Run {
    fn new(args: &CheckArgs) -> Run {
        Run {
            cwd: std::env::current_dir().unwrap_or_default(),
            explicit_template: args.template.clone(),
            templates: HashMap::new(),
            configs: HashMap::new(),
            errors: 0,
            warnings: 0,
            others: 0,
            failed: false,
            warned: HashSet::new(),
            counts: BTreeMap::new(),
            diffs: 0,
            fixed: 0,
            plain: 0,
            sarif: output::sarif::Log::default(),
            max_file_size: None,
        }
    }

    fn fail(&mut self, message: impl std::fmt::Display) {
        eprintln!("error: {message}");
        self.failed = true;
    }

    /// The files to check, each with its configuration (overrides applied) and mode:
    /// files as given, and `*.rst` files under directories, sorted; the configuration
    /// decides which are checked, and how ([`Config::check_as`]).
    fn collect(
        &mut self,
        paths: &[PathBuf],
        explicit: Option<&Config>,
    ) -> Vec<(PathBuf, Config, Mode)> {
        let mut files = Vec::new();
        for path in paths {
            if !path.is_dir() {
                files.extend(self.select(path, explicit, Asked::Named));
                continue;
            }
            let (before, mut unselected) = (files.len(), 0);
            // what no checked spec stands for: the layout rules check where it is
            let mut places = Vec::new();
            let walk = walkdir::WalkDir::new(path).follow_links(true);
            for entry in walk.sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let p = e.path();
                        let selected = self.select(p, explicit, Asked::Walk);
                        let configured = explicit.is_some() || self.config_for(p).is_some();
                        if selected.is_none()
                            && configured
                            && p.extension().is_some_and(|x| x == "rst")
                        {
                            unselected += 1;
                        }
                        if selected.is_none() {
                            places.push((p.to_path_buf(), false));
                        }
                        files.extend(selected);
                    }
                    Ok(e) if e.file_type().is_dir() => places.push((e.into_path(), true)),
                    Ok(_) => {}
                    Err(e) => self.fail(walk_error(&e)),
                }
            }
            let checked = files.len();
            for (place, directory) in places {
                if directory
                    && files[before..checked]
                        .iter()
                        .any(|f| f.0.starts_with(&place))
                {
                    continue;
                }
                files.extend(self.place(&place, explicit, directory));
            }
            files[before..].sort_by(|a, b| a.0.cmp(&b.0));
            // (a configuration that could not be read is reported already)
            if checked == before && (unselected > 0 || !self.failed) {
                let why = match unselected {
                    0 => String::new(),
                    n => format!(
                        " ({n} *.rst files not selected by the configuration's include and exclude, whose globs are relative to the configuration file)"
                    ),
                };
                self.fail(format!(
                    "{}: no specs (*.rst files) found{why}",
                    path.display()
                ));
            }
        }
        files
    }

    /// `file` with its configuration and mode, if it is checked.
    fn select(
        &mut self,
        file: &Path,
        explicit: Option<&Config>,
        asked: Asked,
    ) -> Option<(PathBuf, Config, Mode)> {
        let (config, absolute) = self.configured(file, explicit)?;
        let mode = config.check_as(&absolute, asked)?;
        Some((file.to_path_buf(), config.for_path(&absolute), mode))
    }

    /// `place` (a file not checked, or a directory holding no file checked) with its
    /// configuration, when that has rules about where files are ([`Mode::Place`]).
    fn place(
        &mut self,
        place: &Path,
        explicit: Option<&Config>,
        directory: bool,
    ) -> Option<(PathBuf, Config, Mode)> {
        let (config, absolute) = self.configured(place, explicit)?;
        let config = config.for_path(&absolute);
        let mode = Mode::Place { directory };
        config
            .checks_place(directory)
            .then(|| (place.to_path_buf(), config, mode))
    }

    /// The configuration for `path` (`explicit`, or the nearest file's), and `path`
    /// made absolute.
    fn configured(&mut self, path: &Path, explicit: Option<&Config>) -> Option<(Config, PathBuf)> {
        let config = match explicit {
            Some(c) => c.clone(),
            None => self.config_for(path)?,
        };
        Some((config, normalize(&self.cwd, path)))
    }

    /// The configuration for `file`: the nearest trove-spec-lsp.toml above it, or the
    /// defaults; `None` (reported once) when that file is invalid.
    fn config_for(&mut self, file: &Path) -> Option<Config> {
        let dir = normalize(&self.cwd, file.parent().unwrap_or(Path::new("")));
        let Some(path) = config::find_file(&dir, Path::is_file) else {
            return Some(Config::default());
        };
        if let Some(c) = self.configs.get(&path) {
            return c.clone();
        }
        let loaded = Config::load(&path)
            .map_err(|e| {
                self.fail(format!(
                    "{}: {}",
                    display_path(&self.cwd, Path::new(&e.source)),
                    e.message.trim_end()
                ))
            })
            .ok();
        self.configs.insert(path, loaded.clone());
        loaded
    }

    /// The template `source` names, loaded once; a configured one (`config`) that cannot
    /// be loaded is named by its absolute path and the file that set it.
    fn template(
        &mut self,
        source: &TemplateSource,
        config: Option<&Config>,
    ) -> Result<Arc<Template>, String> {
        if let Some(t) = self.templates.get(source) {
            return Ok(t.clone());
        }
        let max = self.limit(config);
        let t = Arc::new(Template::from_source(source, &max).map_err(|e| {
            let origin = match source {
                TemplateSource::File(path) => config.map(|c| c.template_origin(path)),
                TemplateSource::Builtin => None,
            };
            match origin.filter(|o| !o.is_empty()) {
                Some(origin) => format!("template {}{origin}: {e}", source.name()),
                None => format!(
                    "template {}: {e}",
                    display_path(&self.cwd, Path::new(&source.name()))
                ),
            }
        })?);
        self.templates.insert(source.clone(), t.clone());
        Ok(t)
    }

    /// The size limit on the files read for `config`: `--max-file-size`, else the
    /// configuration's.
    fn limit(&self, config: Option<&Config>) -> Limit {
        match (&self.max_file_size, config) {
            (Some(flag), _) => flag.clone(),
            (None, Some(config)) => config.max_file_size.clone(),
            (None, None) => Limit::default(),
        }
    }

    /// Read `file` and find its template; `None` (reported) when either fails.
    fn prepare(&mut self, file: &Path, config: &Config, mode: Mode) -> Option<Prepared> {
        if let Mode::Place { .. } = mode {
            let dir = normalize(&self.cwd, file);
            let template = self.template(&TemplateSource::Builtin, None).ok()?;
            let source = TemplateSource::Builtin;
            let (text, dir) = (
                String::new(),
                dir.parent().map(Path::to_path_buf).unwrap_or_default(),
            );
            return Some(Prepared {
                text,
                template,
                source,
                dir,
            });
        }
        let text = match read_text(file, &self.limit(Some(config))) {
            Ok(t) => t,
            // a selected file that is no spec at all: its name is the finding
            Err(_) if config.has_include() && file.extension().is_none_or(|e| e != "rst") => {
                String::new()
            }
            Err(e) => {
                self.fail(e);
                return None;
            }
        };
        let absolute = normalize(&self.cwd, file);
        let explicit = self
            .explicit_template
            .clone()
            .or_else(|| config.template.clone());
        let source = template::discover(&absolute, explicit.as_deref(), Path::is_file);
        let template = self.template(&source, Some(config));
        for unknown in template.iter().flat_map(|t| config.unknown_sections(t)) {
            let warning = format!(
                "warning: configuration {unknown} names no section of template {}",
                source.name()
            );
            if self.warned.insert(warning.clone()) {
                eprintln!("{warning}");
            }
        }
        match template {
            Ok(template) => Some(Prepared {
                text,
                template,
                source,
                dir: absolute.parent().map(Path::to_path_buf).unwrap_or_default(),
            }),
            Err(e) => {
                self.fail(format!("{}: {e}", file.display()));
                None
            }
        }
    }

    /// Write one analysed file (its fixes, its diff, its findings): whether it was
    /// checked; `Err` only when output fails.
    fn report(
        &mut self,
        file: &Path,
        prepared: Prepared,
        fixed: Option<String>,
        analysis: crate::Analysis,
        args: &CheckArgs,
        out: &mut impl Write,
    ) -> std::io::Result<bool> {
        let Prepared { text, source, .. } = prepared;
        let mut text = text;
        if let Some(fixed) = fixed {
            if args.diff {
                if fixed != text {
                    self.diffs += 1;
                    fix::write_diff(out, &file.display().to_string(), &text, &fixed)?;
                }
                return Ok(true);
            }
            if fixed != text {
                if let Err(e) = std::fs::write(file, &fixed) {
                    self.fail(format!("{}: cannot write the fixes: {e}", file.display()));
                    return Ok(false);
                }
                self.fixed += 1;
                text = fixed;
            }
        }
        let index = LineIndex::new(&text);
        for f in &analysis.findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                _ => self.others += 1,
            }
            *self.counts.entry(f.code).or_default() += 1;
        }
        let template_name = match &source {
            TemplateSource::Builtin => source.name(),
            TemplateSource::File(p) => display_path(&self.cwd, p),
        };
        let (name, findings) = (file.display().to_string(), &analysis.findings);
        match args.format {
            CheckFormat::Text if args.statistics => {}
            CheckFormat::Text => write_text(out, file, &text, &index, findings)?,
            CheckFormat::Json => write_json(out, file, &template_name, &text, &index, findings)?,
            CheckFormat::Github => output::github::write(out, &name, &text, &index, findings)?,
            CheckFormat::Sarif => self.sarif.add(&name, &text, &index, findings),
        }
        Ok(true)
    }

    fn summary(&self, files: usize) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut parts = vec![
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        ];
        if self.others > 0 {
            parts.push(plural(self.others, "note"));
        }
        if self.fixed > 0 {
            parts.push(format!("fixed {}", plural(self.fixed, "file")));
        }
        let plain = match self.plain {
            0 => String::new(),
            n => format!(" ({n} as plain reStructuredText, not as specs)"),
        };
        format!(
            "checked {}{plain}: {}",
            plural(files, "file"),
            parts.join(", ")
        )
    }

    fn exit_code(&self) -> ExitCode {
        if self.failed {
            ExitCode::from(2)
        } else if self.errors > 0 || self.diffs > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// One line for what a directory walk could not follow: a dangling symbolic link, a link
/// back to a directory being walked (not followed, so a cycle ends), or an I/O error.
fn walk_error(e: &walkdir::Error) -> String {
    let path = e.path().unwrap_or(Path::new("?")).display();
    if let Some(ancestor) = e.loop_ancestor() {
        return format!(
            "{path}: symbolic link to {}, which contains it: not followed",
            ancestor.display()
        );
    }
    let dangling = e.path().is_some_and(|p| p.is_symlink() && !p.exists());
    match e.io_error() {
        Some(_) if dangling => match e.path().and_then(|p| std::fs::read_link(p).ok()) {
            Some(to) => format!("{path}: dangling symbolic link (to {})", to.display()),
            None => format!("{path}: dangling symbolic link"),
        },
        Some(io) => format!("{path}: {io}"),
        None => e.to_string(),
    }
}

/// `path:line:col: severity[code]: message`, 1-based line and (character) column.
fn write_text(
    out: &mut impl Write,
    file: &Path,
    text: &str,
    index: &LineIndex,
    findings: &[Finding],
) -> std::io::Result<()> {
    for f in findings {
        let pos = index.position(text, f.range.start, Encoding::Utf32);
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            file.display(),
            pos.line + 1,
            pos.col + 1,
            severity_name(f.severity),
            f.code.as_str(),
            f.message
        )?;
    }
    Ok(())
}

/// One line of `check --format json`, keys in this order.
#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    template: &'a str,
    diagnostics: Diagnostics<'a>,
}

/// The findings of one file as LSP diagnostics, each converted while it is written
/// (never all of them held at once).
struct Diagnostics<'a> {
    text: &'a str,
    index: &'a LineIndex,
    findings: &'a [Finding],
}

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.findings
                .iter()
                .map(|f| proto::diagnostic(self.text, self.index, f, Encoding::Utf16)),
        )
    }
}

/// One line: `{"file", "template", "diagnostics": [LSP Diagnostic...]}`, written as it
/// is serialised.
fn write_json(
    out: &mut impl Write,
    file: &Path,
    template: &str,
    text: &str,
    index: &LineIndex,
    findings: &[Finding],
) -> std::io::Result<()> {
    let line = FileReport {
        file: file.display().to_string(),
        template,
        diagnostics: Diagnostics {
            text,
            index,
            findings,
        },
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}
