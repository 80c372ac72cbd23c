//! The `check` command: find the specs under the given paths, check each against its
//! template and configuration (with `--fix`, after applying the safe fixes; with
//! `--diff`, printing them instead), print compiler-style lines, LSP diagnostics as
//! JSON, GitHub workflow commands or a SARIF log, and exit 0 (no error-severity
//! finding), 1 (some, or a `--diff` to show) or 2 (usage or I/O errors).

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsString;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use foldhash::{HashMap, HashSet};
use serde::Serialize;

use super::fix;
use super::lookup::Lookup;
use super::output::{self, CheckFormat, severity_name};
use super::pipeline;
use super::walk::{Left, Walked};
use super::{CheckArgs, display_path, finish, normalize, output_failed, path_text, stdout};
use crate::codes::Code;
use crate::config::{Asked, Config};
use crate::files::{Limit, read_text};
use crate::template::{Template, TemplateSource};
use crate::text::{Encoding, Locate, Locator};
use crate::{Finding, Location, Mode, Severity, analyze_in, findings_in, proto};

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
        Some(path) => match Config::load(&normalize(run.lookup.cwd(), path)) {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                let source = display_path(run.lookup.cwd(), Path::new(&e.source));
                eprintln!("error: {source}: {}", e.message.trim_end());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if let Some(path) = &args.template
        && let Err(e) = run
            .template(&TemplateSource::File(path.clone()), None)
            .get()
    {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let mut selection = Selection::new(&args.paths, explicit_config.as_ref());
    let mut checked = 0;
    let mut out = stdout();
    // Find the files and each one's template (the workers start on the first files
    // meanwhile), read and analyse the files on every core; write each as soon as the
    // ones before it are written, in input order. (`run` serves making the jobs and
    // reporting them, both on this thread, one at a time.)
    let shared = RefCell::new(run);
    let written = pipeline::in_order(
        selection.most(),
        || {
            let mut run = shared.borrow_mut();
            let selected = run.next_selected(&mut selection)?;
            Some(run.job(selected))
        },
        |job| work(job, args),
        |job, outcome| match shared.borrow_mut().report(job, outcome, args, &mut out) {
            Ok(counted) => {
                checked += usize::from(counted);
                ControlFlow::Continue(())
            }
            Err(e) => ControlFlow::Break(e),
        },
    );
    let mut run = shared.into_inner();
    // what went wrong writing the fixes comes after what went wrong reading the files
    for e in std::mem::take(&mut run.unwritten) {
        run.fail(e);
    }
    if let ControlFlow::Break(e) = written {
        return output_failed(&e);
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
    super::end(run.exit_code())
}

/// A file to check, with what the main thread found for it: the part of the work that
/// reads the caches of [`Run`].
struct Job {
    file: PathBuf,
    /// `file` made absolute: where it is (its directory holds what it includes).
    absolute: PathBuf,
    config: Arc<Config>,
    mode: Mode,
    /// Its template.
    template: Arc<Loading>,
    /// The largest file read.
    limit: Limit,
}

/// A template some files are checked against: found on the main thread, read and
/// parsed by the first thread that checks one of them (a worker, as a rule, while the
/// main thread goes on finding files: parsing the template first kept the workers
/// waiting for their first file). Another thread that needs it meanwhile parses its own
/// file first, then waits awake: one that slept on it was woken 0.03 ms after it was
/// loaded at best, and in some runs 0.5-2.7 ms after.
struct Loading {
    source: TemplateSource,
    /// The largest template file read.
    max: Limit,
    /// The name printed for it.
    name: Arc<str>,
    /// What a loading error is said to be about: the template, and the configuration
    /// file that named it.
    about: String,
    /// Whether a thread has begun to load it.
    loading: AtomicBool,
    loaded: OnceLock<Result<Template, String>>,
}

impl Loading {
    /// The template, or why it cannot be loaded: loaded at the first call.
    fn get(&self) -> Result<&Template, &str> {
        if self.loaded.get().is_none() && self.loading.swap(true, Ordering::Relaxed) {
            // another thread is loading it: wait awake (see `pipeline::spin_until`)
            pipeline::spin_until(|| self.loaded.get().is_some());
        }
        let loaded = self.loaded.get_or_init(|| {
            Template::from_source(&self.source, &self.max)
                .map_err(|e| format!("template {}: {e}", self.about))
        });
        loaded.as_ref().map_err(String::as_str)
    }
}

/// A file `check` selected, with its configuration (overrides applied) and mode.
struct Selected {
    file: PathBuf,
    /// `file` made absolute.
    absolute: PathBuf,
    config: Arc<Config>,
    mode: Mode,
}

/// What became of a [`Job`] on a worker thread.
enum Outcome {
    /// It could not be checked: the one-line reason.
    Failed(String),
    Checked(Checked),
}

/// A file analysed, and its output written for it.
struct Checked {
    /// The text with the safe fixes applied (`--fix`, `--diff`).
    fixed: Option<String>,
    /// Whether `fixed` differs from the text read.
    changed: bool,
    findings: Vec<Finding>,
    /// What is printed for it: the diff with `--diff`, else its findings (text, JSON,
    /// GitHub).
    printed: Vec<u8>,
    /// Its findings as SARIF results.
    sarif: output::sarif::Log,
    /// Warnings about the configuration and the template, printed (each once) with it.
    warnings: Vec<String>,
}

/// Read the file of `job`, analyse it (after applying the safe fixes with `--fix`) and
/// write its output: the pure, CPU-bound part, run in parallel.
fn work(job: &Job, args: &CheckArgs) -> Outcome {
    let place = matches!(job.mode, Mode::Place { .. });
    let text = if place {
        String::new()
    } else {
        match read_text(&job.file, &job.limit) {
            Ok(t) => t,
            // a selected file that is no spec at all: its name is the finding
            Err(_)
                if job.config.has_include() && job.file.extension().is_none_or(|e| e != "rst") =>
            {
                String::new()
            }
            Err(e) => return Outcome::Failed(e),
        }
    };
    let template = || (job.template.get()).map_err(|e| format!("{}: {e}", job.file.display()));
    let template_name = &*job.template.name;
    let (config, mode) = (&*job.config, job.mode);
    let path = &*job.absolute;
    // (the fixes are applied without looking for what the text includes)
    let at = Location { path, exists: None };
    // The fixes need the template first; without them it is asked for once the text is
    // parsed (see `findings_in`).
    let fixed = match !place && (args.fix || args.diff) {
        true => match template() {
            Ok(template) => Some(fix::fix_text(&text, |t| {
                analyze_in(t, template, config, mode, Some(at)).findings
            })),
            Err(e) => return Outcome::Failed(e),
        },
        false => None,
    };
    let changed = fixed.as_ref().is_some_and(|f| *f != text);
    let analysed = match &fixed {
        Some(f) if !args.diff => f.as_str(),
        _ => text.as_str(),
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let exists = |path: &Path| dir.join(path).is_file();
    let at = Location {
        exists: Some(&exists),
        ..at
    };
    let found = findings_in(analysed, template, config, mode, Some(at));
    let (findings, template) = match found.and_then(|f| Ok((f, template()?))) {
        Ok(found) => found,
        Err(e) => return Outcome::Failed(e),
    };
    let warnings = match mode {
        Mode::Place { .. } => Vec::new(),
        _ => (config.unknown_sections(template).into_iter())
            .map(|unknown| {
                format!(
                    "warning: configuration {unknown} names no section of template {}",
                    job.template.source.name()
                )
            })
            .collect(),
    };
    let (mut printed, mut sarif) = (Vec::new(), output::sarif::Log::default());
    let name = path_text(&job.file);
    let written = match &fixed {
        Some(fixed) if args.diff => match changed {
            true => fix::write_diff(&mut printed, &name, &text, fixed),
            false => Ok(()),
        },
        _ => {
            // Positions are asked only of the findings' offsets, in about increasing
            // order: no line after the last one is looked at.
            let last = findings.iter().map(|f| f.range.end).max().unwrap_or(0);
            let index = Locator::new(analysed, last);
            let text = analysed;
            match args.format {
                CheckFormat::Text if args.statistics => Ok(()),
                CheckFormat::Text => write_text(&mut printed, &name, text, &index, &findings),
                CheckFormat::Json => {
                    write_json(&mut printed, &name, template_name, text, &index, &findings)
                }
                CheckFormat::Github => {
                    output::github::write(&mut printed, &name, text, &index, &findings)
                }
                CheckFormat::Sarif => {
                    sarif.add(&name, text, &index, &findings);
                    Ok(())
                }
            }
        }
    };
    // writing to memory does not fail
    debug_assert!(written.is_ok());
    Outcome::Checked(Checked {
        fixed,
        changed,
        findings,
        printed,
        sarif,
        warnings,
    })
}

/// State of one `check` invocation: caches, counts, whether anything failed.
struct Run {
    lookup: Lookup,
    explicit_template: Option<PathBuf>,
    /// Templates found, by path (`None`: the built-in one).
    templates: HashMap<Option<OsString>, Arc<Loading>>,
    /// Configuration files read (`None`: invalid, reported once).
    configs: HashMap<PathBuf, Option<Arc<Config>>>,
    /// Directories (as given) -> the configuration of the files in them.
    dir_configs: HashMap<OsString, Option<Arc<Config>>>,
    /// The configuration where no file sets one.
    default_config: Arc<Config>,
    errors: usize,
    warnings: usize,
    others: usize,
    failed: bool,
    /// Warnings about the configuration already printed (each is printed once).
    warned: HashSet<String>,
    /// Fixes that could not be written: reported after the files that could not be read.
    unwritten: Vec<String>,
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
            lookup: Lookup::new(std::env::current_dir().unwrap_or_default()),
            explicit_template: args.template.clone(),
            templates: HashMap::default(),
            configs: HashMap::default(),
            dir_configs: HashMap::default(),
            default_config: Arc::new(Config::default()),
            errors: 0,
            warnings: 0,
            others: 0,
            failed: false,
            warned: HashSet::default(),
            unwritten: Vec::new(),
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

    /// The next file to check, with its configuration (overrides applied) and mode:
    /// files as given, and `*.rst` files under directories, sorted; the configuration
    /// decides which are checked, and how ([`Config::check_as`]). With `include` or
    /// `allowed-directories`, a directory walk also gives the places no checked spec
    /// stands for. Each is given as soon as what comes before it is settled (see
    /// [`Walked`]), while the rest of the directory is walked.
    fn next_selected(&mut self, selection: &mut Selection) -> Option<Selected> {
        let explicit = selection.explicit;
        loop {
            if let Some((path, entries, walked)) = &mut selection.walk {
                if let Some(file) = walked.next_settled() {
                    return Some(file);
                }
                match entries.next() {
                    Some(entry) => self.walked(walked, entry, explicit, &mut selection.unselected),
                    None => {
                        let path = *path;
                        let (_, _, walked) = selection.walk.take()?;
                        self.walk_ended(path, walked, explicit, selection);
                    }
                }
                continue;
            }
            if let Some(file) = selection.left.pop_front() {
                return Some(file);
            }
            let (path, directory) = selection.paths.next()?;
            if !directory {
                match self.select(path, explicit, Asked::Named) {
                    Some(file) => return Some(file),
                    None => continue,
                }
            }
            let walk = walkdir::WalkDir::new(path).follow_links(true);
            // by file name: the entries of one directory are its path joined with their
            // names, so their paths compare as their names do (and a path needs no
            // parsing, which `DirEntry::file_name` does at every comparison); a walk in
            // this order finds paths in their sorted order
            let walk = walk.sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()));
            selection.walk = Some((path, walk.into_iter(), Walked::default()));
            selection.unselected = 0;
        }
    }

    /// One entry of a directory walk.
    fn walked(
        &mut self,
        walked: &mut Walked<Selected>,
        entry: walkdir::Result<walkdir::DirEntry>,
        explicit: Option<&Arc<Config>>,
        unselected: &mut usize,
    ) {
        let e = match entry {
            Ok(e) => e,
            Err(e) => return self.fail(walk_error(&e)),
        };
        walked.at_depth(e.depth());
        if e.file_type().is_dir() {
            let depth = e.depth();
            walked.directory(e.into_path(), depth);
            return;
        }
        if !e.file_type().is_file() {
            return;
        }
        let p = e.path();
        if let Some(file) = self.select(p, explicit, Asked::Walk) {
            walked.spec(file);
            return;
        }
        if (explicit.is_some()
            || self
                .config_for(p.parent().unwrap_or(Path::new("")))
                .is_some())
            && p.extension().is_some_and(|x| x == "rst")
        {
            *unselected += 1;
        }
        // a file not checked may be a place checked (its configuration is read already)
        if let Some(place) = self.place(p, explicit, false) {
            walked.other(place);
        }
    }

    /// A directory walk ended: what it left to hand on (the directories holding no spec
    /// that are places checked, with what came after them), or an error if it found no
    /// spec.
    fn walk_ended(
        &mut self,
        path: &Path,
        walked: Walked<Selected>,
        explicit: Option<&Arc<Config>>,
        selection: &mut Selection,
    ) {
        let found_spec = walked.found_spec();
        for left in walked.end() {
            match left {
                Left::Item(file) => selection.left.push_back(file),
                Left::Directory(dir) => selection.left.extend(self.place(&dir, explicit, true)),
            }
        }
        // (a configuration that could not be read is reported already)
        let unselected = selection.unselected;
        if !found_spec && (unselected > 0 || !self.failed) {
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

    /// `file` with its configuration and mode, if it is checked.
    fn select(
        &mut self,
        file: &Path,
        explicit: Option<&Arc<Config>>,
        asked: Asked,
    ) -> Option<Selected> {
        let (config, absolute) = self.configured(file, explicit)?;
        let mode = config.check_as(&absolute, asked)?;
        Some(Selected {
            file: file.to_path_buf(),
            config: config.for_path_shared(&absolute),
            absolute,
            mode,
        })
    }

    /// `place` (a file not checked, or a directory holding no file checked) with its
    /// configuration, when that has rules about where files are ([`Mode::Place`]).
    fn place(
        &mut self,
        place: &Path,
        explicit: Option<&Arc<Config>>,
        directory: bool,
    ) -> Option<Selected> {
        let (config, absolute) = self.configured(place, explicit)?;
        let config = config.for_path_shared(&absolute);
        let mode = Mode::Place { directory };
        config.checks_place(directory).then(|| Selected {
            file: place.to_path_buf(),
            absolute,
            config,
            mode,
        })
    }

    /// The configuration for `path` (`explicit`, or the nearest file's), and `path`
    /// made absolute.
    fn configured(
        &mut self,
        path: &Path,
        explicit: Option<&Arc<Config>>,
    ) -> Option<(Arc<Config>, PathBuf)> {
        // (the path parsed once for its directory, for both)
        let dir = path.parent();
        let config = match explicit {
            Some(c) => c.clone(),
            None => self.config_for(dir.unwrap_or(Path::new("")))?,
        };
        Some((config, self.lookup.absolute(path, dir)))
    }

    /// The configuration for the files in `dir`: the nearest trove-spec-lsp.toml above
    /// it, or the defaults; `None` (reported once) when that file is invalid. Looked up
    /// once per directory.
    fn config_for(&mut self, dir: &Path) -> Option<Arc<Config>> {
        if let Some(c) = self.dir_configs.get(dir.as_os_str()) {
            return c.clone();
        }
        let absolute = self.lookup.directory(dir).to_path_buf();
        let config = match self.lookup.config_file(&absolute) {
            None => Some(self.default_config.clone()),
            Some(path) => self.load_config(path),
        };
        (self.dir_configs).insert(dir.as_os_str().to_owned(), config.clone());
        config
    }

    /// The configuration file at `path`, read once.
    fn load_config(&mut self, path: PathBuf) -> Option<Arc<Config>> {
        if let Some(c) = self.configs.get(&path) {
            return c.clone();
        }
        let loaded = Config::load(&path)
            .map_err(|e| {
                self.fail(format!(
                    "{}: {}",
                    display_path(self.lookup.cwd(), Path::new(&e.source)),
                    e.message.trim_end()
                ))
            })
            .ok()
            .map(Arc::new);
        self.configs.insert(path, loaded.clone());
        loaded
    }

    /// The template `source` names, found once (it is loaded when first needed, see
    /// [`Loading`]); a configured one (`config`) that cannot be loaded is named by its
    /// absolute path and the file that set it.
    fn template(&mut self, source: &TemplateSource, config: Option<&Config>) -> Arc<Loading> {
        let key = match source {
            TemplateSource::Builtin => None,
            TemplateSource::File(path) => Some(path.as_os_str().to_owned()),
        };
        if let Some(t) = self.templates.get(&key) {
            return t.clone();
        }
        let cwd = self.lookup.cwd();
        let origin = match source {
            TemplateSource::File(path) => config.map(|c| c.template_origin(path)),
            TemplateSource::Builtin => None,
        };
        let about = match origin.filter(|o| !o.is_empty()) {
            Some(origin) => format!("{}{origin}", source.name()),
            None => display_path(cwd, Path::new(&source.name())),
        };
        let name: Arc<str> = match source {
            TemplateSource::Builtin => source.name().into(),
            TemplateSource::File(p) => display_path(cwd, p).into(),
        };
        let t = Arc::new(Loading {
            source: source.clone(),
            max: self.limit(config),
            name,
            about,
            loading: AtomicBool::new(false),
            loaded: OnceLock::new(),
        });
        self.templates.insert(key, t.clone());
        t
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

    /// `file` with its template (found and loaded here, once per directory and
    /// template), for a worker to read and analyse.
    fn job(&mut self, selected: Selected) -> Job {
        let Selected {
            file,
            absolute,
            config,
            mode,
        } = selected;
        if mode == Mode::Plain {
            self.plain += 1;
        }
        let limit = self.limit(Some(&config));
        let template = if let Mode::Place { .. } = mode {
            self.template(&TemplateSource::Builtin, None)
        } else {
            let explicit = self
                .explicit_template
                .clone()
                .or_else(|| config.template.clone());
            let source = self.lookup.template(&absolute, explicit.as_deref());
            self.template(&source, Some(&config))
        };
        Job {
            file,
            absolute,
            config,
            mode,
            template,
            limit,
        }
    }

    /// Report one file (its fixes, its diff, its findings): whether it counts as a file
    /// checked; `Err` only when output fails.
    fn report(
        &mut self,
        job: &Job,
        outcome: Outcome,
        args: &CheckArgs,
        out: &mut impl Write,
    ) -> std::io::Result<bool> {
        let checked = match outcome {
            Outcome::Failed(e) => {
                self.fail(e);
                return Ok(false);
            }
            Outcome::Checked(checked) => checked,
        };
        for warning in &checked.warnings {
            if self.warned.insert(warning.clone()) {
                eprintln!("{warning}");
            }
        }
        // a place is not a file checked, and is reported only when something is wrong
        let place = matches!(job.mode, Mode::Place { .. });
        if place && checked.findings.is_empty() {
            return Ok(false);
        }
        if let Some(fixed) = &checked.fixed {
            if args.diff {
                if checked.changed {
                    self.diffs += 1;
                    out.write_all(&checked.printed)?;
                }
                return Ok(!place);
            }
            if checked.changed {
                if let Err(e) = std::fs::write(&job.file, fixed) {
                    let file = job.file.display();
                    self.unwritten
                        .push(format!("{file}: cannot write the fixes: {e}"));
                    return Ok(false);
                }
                self.fixed += 1;
            }
        }
        for f in &checked.findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                _ => self.others += 1,
            }
            *self.counts.entry(f.code).or_default() += 1;
        }
        match args.format {
            CheckFormat::Sarif => self.sarif.append(checked.sarif),
            _ => out.write_all(&checked.printed)?,
        }
        Ok(!place)
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

    fn exit_code(&self) -> u8 {
        if self.failed {
            2
        } else if self.errors > 0 || self.diffs > 0 {
            1
        } else {
            0
        }
    }
}

/// The paths `check` was given, and where it is in them (see [`Run::next_selected`]).
struct Selection<'a> {
    /// The paths to go, each with whether it is a directory.
    paths: std::vec::IntoIter<(&'a Path, bool)>,
    explicit: Option<&'a Arc<Config>>,
    /// The directory being walked: its path as given, its entries and what they were.
    walk: Option<(&'a Path, walkdir::IntoIter, Walked<Selected>)>,
    /// Its `*.rst` files the configuration does not select.
    unselected: usize,
    /// What a walk that ended left to hand on, before the next path.
    left: VecDeque<Selected>,
    /// The most files there can be: the paths, unless one is a directory.
    most: usize,
}

impl<'a> Selection<'a> {
    fn new(paths: &'a [PathBuf], explicit: Option<&'a Arc<Config>>) -> Selection<'a> {
        let paths: Vec<(&Path, bool)> = paths.iter().map(|p| (&**p, p.is_dir())).collect();
        let walks = paths.iter().any(|&(_, directory)| directory);
        let most = if walks { usize::MAX } else { paths.len() };
        Selection {
            paths: paths.into_iter(),
            explicit,
            walk: None,
            unselected: 0,
            left: VecDeque::new(),
            most,
        }
    }

    fn most(&self) -> usize {
        self.most
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
    file: &str,
    text: &str,
    index: &impl Locate,
    findings: &[Finding],
) -> std::io::Result<()> {
    // (written in pieces: `writeln!` with six arguments cost about 1,400 instructions
    // a line)
    let (mut line, mut col) = (itoa::Buffer::new(), itoa::Buffer::new());
    for f in findings {
        let pos = index.position(text, f.range.start, Encoding::Utf32);
        let parts = [
            file,
            ":",
            line.format(pos.line + 1),
            ":",
            col.format(pos.col + 1),
            ": ",
            severity_name(f.severity),
            "[",
            f.code.as_str(),
            "]: ",
            &f.message,
            "\n",
        ];
        for part in parts {
            out.write_all(part.as_bytes())?;
        }
    }
    Ok(())
}

/// One line of `check --format json`, keys in this order.
#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    template: &'a str,
    diagnostics: Diagnostics<'a>,
}

/// The findings of one file as LSP diagnostics, each converted while it is written
/// (never all of them held at once).
struct Diagnostics<'a> {
    text: &'a str,
    index: &'a Locator,
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
    file: &str,
    template: &str,
    text: &str,
    index: &Locator,
    findings: &[Finding],
) -> std::io::Result<()> {
    let line = FileReport {
        file,
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
