//! bcp: business continuity plans as code.
//!
//! The pipeline, in the order [`run`] drives it:
//! `load` (YAML files -> [`model::Plan`] with positions) -> `check` (every rule, all findings)
//! -> `graph` (recovery analysis) -> `render` (documents).
//! Stages after `check` only see a plan without errors.

#![forbid(unsafe_code)]

pub mod audit;
pub mod check;
pub mod cli;
pub mod cost;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod escape;
pub mod file_filter;
pub mod generate;
pub mod graph;
pub mod i18n;
pub mod init;
pub mod load;
pub mod manual;
pub mod model;
pub mod output;
pub mod questionnaire;
pub mod render;
pub mod schema;
pub mod serve;
mod suggest;
pub mod xlsx;

use cli::{Cli, Color, Command};
use diagnostic::{Diagnostic, Severity};
use error::Error;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// How a successful run ended: the exit status is 0 for `Clean`, 1 for `PlanErrors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    PlanErrors,
}

/// A loaded and checked plan, with every finding sorted into reading order.
pub struct Checked {
    pub loaded: load::Loaded,
    pub index: check::Index,
    pub diagnostics: Vec<Diagnostic>,
    /// The recovery analysis; `None` when structural errors (a file that does not parse, an
    /// unresolved or duplicate id) leave the graph undefined.
    pub analysis: Option<graph::Analysis>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads and checks a plan: the first two stages of every command.
///
/// # Errors
/// [`Error`] when the plan cannot be read; problems in it are diagnostics.
pub fn load_and_check(path: &Path, ctx: &check::Context) -> Result<Checked, Error> {
    Ok(check_loaded(load::load(path)?, ctx))
}

/// Checks a loaded plan (from [`load::load`] or [`load::load_bytes`]).
pub fn check_loaded(loaded: load::Loaded, ctx: &check::Context) -> Checked {
    check_loaded_keeping(loaded, ctx, Texts::Keep)
}

/// What the checks do with the texts of the plan's files once the checks that read them
/// have run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Texts {
    Keep,
    /// Freed before the graph analysis, the stage that allocates most (19 MB on a
    /// 10,000-function plan, a seventh of `validate`'s peak); read back from the files for
    /// snippets ([`load::Sources::read_back`]).
    Forget,
}

fn check_loaded_keeping(mut loaded: load::Loaded, ctx: &check::Context, texts: Texts) -> Checked {
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    // A file that did not load at all hides ids that references may name, so reference checks
    // would only add noise: report the load problems alone. When only some entries did not
    // load, their ids are known, and the rest of the plan is checked.
    let checked = !loaded.unloaded.unknown;
    if checked && !loaded.plan.has_meta && !diagnostics.iter().any(|d| d.code.starts_with('L')) {
        // Without load problems: a file that did not load, or an empty one, may be where the
        // `plan` section was meant to be.
        let first = model::Span {
            file: 0,
            line: 1,
            column: 1,
        };
        diagnostics.push(
            Diagnostic::error("L007", t!("L007.message"))
                .at(first)
                .help(t!("L007.help")),
        );
    }
    let mut in_texts = Vec::new();
    if checked {
        check::texts(&loaded.sources, &mut in_texts);
    }
    if texts == Texts::Forget {
        loaded.sources.forget_texts();
    }
    // The graph stage relies on the plan's structure: every file parsed, ids unique, every
    // reference resolving — all known once the reference checks have run. Other errors (an
    // overdue review, an RTO over the MTD) do not change the graph, so they do not hide its
    // findings. The checks run on a thread of their own, the graph here (it allocates most,
    // and this thread's heap has the parse's freed memory to reuse): the graph is built while
    // the reference checks run, since building needs none of what they establish (see
    // `graph::Built`), and analysed once they pass, while the other checks run.
    let plan = &loaded.plan;
    let (index, found, analysis) = std::thread::scope(|scope| {
        let (verdict, references_passed) = std::sync::mpsc::channel();
        let checks = scope.spawn(move || {
            let mut found = Vec::new();
            let index = if checked {
                check::references(plan, &mut found)
            } else {
                check::Index::default()
            };
            // Buffered: read only when the graph was built. (The receiver outlives this
            // thread, so the send cannot fail.)
            let _ = verdict.send(!found.iter().any(blocks_analysis));
            let mut more = Vec::new();
            if checked {
                check::rest(plan, &index, ctx, &mut more);
            }
            (index, found, more)
        });
        let analysis = (!diagnostics.iter().any(blocks_analysis))
            .then(|| graph::build(plan))
            // No verdict: the checks panicked, and `joined` passes the panic on.
            .filter(|_| references_passed.recv().unwrap_or(false))
            .map(|built| built.analyse(plan));
        let (index, mut found, more) = joined(checks);
        found.extend(in_texts);
        found.extend(more);
        (index, found, analysis)
    });
    let unloaded = &loaded.unloaded.sections;
    diagnostics.extend(found.into_iter().filter(|d| {
        !NEEDS_WHOLE_SECTION
            .iter()
            .any(|(code, section)| d.code == *code && unloaded.contains(*section))
    }));
    if let Some(analysis) = &analysis {
        diagnostics.extend(analysis.diagnostics.iter().cloned());
    }
    // Exceptions accept findings of every family, so they come last. They need the ids of the
    // plan (checked above unless a file did not load at all); with load problems, a finding
    // an exception was written for may sit in an entry that did not load, so an exception
    // that matches nothing is not reported then.
    if checked {
        let complete = analysis.is_some() && !diagnostics.iter().any(|d| d.code.starts_with('L'));
        check::exceptions::apply(&loaded.plan, &index, ctx, &mut diagnostics, complete);
    }
    diagnostic::sort(&mut diagnostics);
    Checked {
        loaded,
        index,
        diagnostics,
        analysis,
    }
}

/// Findings that may only be caused by an entry that did not load, with the section that entry
/// would be in: held back while that section is incomplete (its load problems are reported).
const NEEDS_WHOLE_SECTION: &[(&str, &str)] = &[
    ("T004", "call_tree"),
    ("T005", "call_tree"),
    ("T006", "call_tree"),
    ("B004", "procedures"),
    ("M002", "exercises"),
];

/// `validate --profile`: audits the checked plan and adds the P findings, accepted by the
/// plan's exceptions like any other.
fn audit_into(
    checked: &mut Checked,
    profiles: &[String],
    set: &[String],
    ctx: &check::Context,
) -> Result<(), Error> {
    let set = audit::parse_set(set)?;
    let mut found = Vec::new();
    for name in profiles {
        let p = audit::profile(name, &checked.loaded.root)?;
        let coverage = audit::audit(
            &p,
            &audit::Ctx {
                checked,
                today: ctx.today,
                lang: checked.loaded.plan.meta.lang,
                set: &set,
            },
        );
        found.extend(audit::findings(&coverage));
    }
    if checked.diagnostics.iter().any(|d| d.code.starts_with('L')) {
        return Ok(());
    }
    // The exceptions were matched before; match them again over the new findings only.
    let mut fresh = found;
    check::exceptions::accept(&checked.loaded.plan, ctx, &mut fresh);
    checked.diagnostics.extend(fresh);
    diagnostic::sort(&mut checked.diagnostics);
    Ok(())
}

/// Whether a finding leaves the plan's graph undefined: a file that did not load (L), an id
/// defined twice or a reference that does not resolve (R).
pub fn blocks_analysis(d: &Diagnostic) -> bool {
    d.severity == Severity::Error && (d.code.starts_with('L') || d.code.starts_with('R'))
}

/// Runs a parsed command line.
///
/// # Errors
/// [`Error`] for I/O and usage failures (exit status 2).
pub fn run(mut cli: Cli) -> Result<Outcome, Error> {
    cli.choose_language();
    let color = use_color(cli.color, Stream::Stdout);
    match cli.command {
        Command::Validate(args) => {
            let ctx = check::Context {
                today: args.today.date(),
            };
            // Only the diagnostics are shown: the texts are needed again for their snippets
            // alone, and are read back only when there is one to show.
            let mut checked = check_loaded_keeping(load::load(&args.path)?, &ctx, Texts::Forget);
            if !args.profile.is_empty() {
                audit_into(&mut checked, &args.profile, &args.set, &ctx)?;
            }
            let selection = diagnostic::Selection {
                only: args.only,
                skip: args.skip,
            };
            let options = diagnostic::Options {
                color,
                max_per_code: Some(args.max_per_code),
                not_shown: selection.apply(&mut checked.diagnostics),
            };
            if !checked.diagnostics.is_empty() {
                checked.loaded.sources.read_back(&checked.loaded.root);
            }
            let text = diagnostic::render_with(
                &checked.diagnostics,
                &checked.loaded.sources,
                args.format,
                &options,
            );
            print(&text)?;
            let summary = diagnostic::Summary::of(&checked.diagnostics);
            let failed = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
            leave_at_exit(checked);
            Ok(if failed {
                Outcome::PlanErrors
            } else {
                Outcome::Clean
            })
        }
        Command::Render(args) => render::command(&args, use_color(cli.color, Stream::Stderr)),
        Command::Order(args) => {
            let Some((checked, analysis)) = analysed(&args.path, &args.today, cli.color, true)?
            else {
                return Ok(Outcome::PlanErrors);
            };
            let plan = &checked.loaded.plan;
            let order = analysis.order(plan);
            let waves = analysis
                .timing
                .as_ref()
                .map_or(0, |t| t.waves(plan, &analysis.graph).len());
            print(&match args.format {
                cli::ReportFormat::Table => human(graph::report::order_table(order, waves)),
                cli::ReportFormat::Json => graph::report::order_json(plan, &analysis),
            })?;
            leave_at_exit((checked, analysis));
            Ok(Outcome::Clean)
        }
        Command::Impact(args) => {
            let Some((checked, analysis)) = analysed(&args.path, &args.today, cli.color, true)?
            else {
                return Ok(Outcome::PlanErrors);
            };
            let plan = &checked.loaded.plan;
            let scenario =
                graph::resolve_lost(plan, &analysis, args.scenario.as_deref(), &args.lose)?;
            let Some(impact) = graph::impact(plan, &analysis, scenario) else {
                return Ok(Outcome::PlanErrors);
            };
            print(&match args.format {
                cli::ReportFormat::Table => human(graph::report::impact_table(&impact)),
                cli::ReportFormat::Json => graph::report::impact_json(&impact),
            })?;
            leave_at_exit((checked, analysis));
            Ok(Outcome::Clean)
        }
        Command::Scenarios(args) => {
            let Some((checked, analysis)) = analysed(&args.path, &args.today, cli.color, true)?
            else {
                return Ok(Outcome::PlanErrors);
            };
            let matrix =
                graph::matrix::Matrix::of(&checked.loaded.plan, &analysis, &checked.diagnostics);
            print(&match args.format {
                cli::ReportFormat::Table => human(graph::report::scenarios_table(&matrix)),
                cli::ReportFormat::Json => graph::report::scenarios_json(&matrix),
            })?;
            leave_at_exit((checked, analysis));
            Ok(Outcome::Clean)
        }
        Command::Graph(args) => {
            let Some((checked, analysis)) = analysed(&args.path, &args.today, cli.color, false)?
            else {
                return Ok(Outcome::PlanErrors);
            };
            let plan = &checked.loaded.plan;
            print(&match args.format {
                cli::GraphFormat::Dot => graph::export::dot(plan, &analysis),
                cli::GraphFormat::Mermaid => graph::export::mermaid(plan, &analysis),
                cli::GraphFormat::Json => graph::export::json(plan, &analysis),
            })?;
            Ok(Outcome::Clean)
        }
        Command::Calltree(args) => {
            let Some((_, analysis)) = analysed(&args.path, &args.today, cli.color, false)? else {
                return Ok(Outcome::PlanErrors);
            };
            let Some(report) = &analysis.call_tree else {
                return Err(Error::Usage {
                    message: format!(
                        "{}\n{}: {}",
                        t!("cli.no_call_tree.message", path = args.path.display()),
                        i18n::raw(i18n::current(), "report.help"),
                        t!("cli.no_call_tree.help")
                    ),
                });
            };
            print(&match args.format {
                cli::ReportFormat::Table => human(graph::report::calltree_table(report)),
                cli::ReportFormat::Json => graph::report::calltree_json(report),
            })?;
            Ok(Outcome::Clean)
        }
        Command::Serve(args) => serve::run(&serve::Options {
            path: args.path,
            bind: args.bind,
            port: args.port,
            open: args.open,
            lang: args.lang,
            redact: args.redact,
            today: args.today.today,
        }),
        Command::Cost(args) => {
            let Some((checked, _)) = analysed(&args.path, &args.today, cli.color, false)? else {
                return Ok(Outcome::PlanErrors);
            };
            let report = cost::analyse(&checked.loaded.plan);
            print(&match args.format {
                cli::ReportFormat::Table => human(cost::table(&report)),
                cli::ReportFormat::Json => cost::json(&report),
            })?;
            Ok(Outcome::Clean)
        }
        Command::Diff(args) => diff::command(&args, use_color(cli.color, Stream::Stdout)),
        Command::Audit(args) => audit::command(&args),
        Command::Explain(args) => {
            print(&explain(args.code.as_deref(), args.list)?)?;
            Ok(Outcome::Clean)
        }
        Command::Init(args) => {
            let report = init::init(&init::Options::from_args(&args))?;
            print(&human(report))?;
            Ok(Outcome::Clean)
        }
        Command::Questionnaire(args) => match &args.command {
            Some(cli::QuestionnaireCommand::Import(import)) => {
                questionnaire::import_command(import, use_color(cli.color, Stream::Stdout))
            }
            None => {
                questionnaire::export_command(&args.export, use_color(cli.color, Stream::Stderr))
            }
        },
        Command::Schema(_) => {
            print(&schema::json())?;
            Ok(Outcome::Clean)
        }
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut cli::public_command(), "bcp", &mut out);
            print(&String::from_utf8_lossy(&out))?;
            Ok(Outcome::Clean)
        }
        Command::Man(_) => {
            let page = manual::page().map_err(|source| Error::WriteOutput {
                path: "<stdout>".into(),
                source,
            })?;
            print(&page)?;
            Ok(Outcome::Clean)
        }
        Command::Generate(args) => {
            let options = generate::Options {
                functions: args.functions,
                seed: args.seed,
                today: args.today,
                scenarios: args.scenarios,
            };
            let s = generate::generate(&options, &args.out)?;
            print(&human(format!(
                "wrote `{}`: {} files, {} bytes; {} functions, {} systems, {} people, {} teams, {} sites, {} suppliers, {} procedures with {} steps, {} dependencies, {} scenarios\nvalidate with: bcp validate {} --today {}\n",
                args.out.display(),
                s.files,
                s.bytes,
                s.functions,
                s.systems,
                s.people,
                s.teams,
                s.sites,
                s.suppliers,
                s.procedures,
                s.steps,
                s.dependencies,
                s.scenarios,
                args.out.display(),
                args.today
            )))?;
            Ok(Outcome::Clean)
        }
        Command::ParseOnly(args) => {
            let loaded = load::load(&args.path)?;
            let p = &loaded.plan;
            print(&format!(
                "{} files, {} functions, {} systems, {} people, {} procedures, {} load problems\n",
                loaded.sources.files().len(),
                p.functions.len(),
                p.systems.len(),
                p.people.len(),
                p.procedures.len(),
                loaded.diagnostics.len()
            ))?;
            let clean = loaded.diagnostics.is_empty();
            leave_at_exit(loaded);
            Ok(if clean {
                Outcome::Clean
            } else {
                Outcome::PlanErrors
            })
        }
    }
}

/// Hands what a command built over to the operating system instead of freeing it: the process
/// ends when the command does and gives all its memory back at once, where freeing a large
/// plan's millions of small allocations one by one took 0.1-0.2 s of a 10,000-function
/// `validate` (clang's `-disable-free` does the same). Only for what one run of the CLI holds
/// until it ends, never for what `serve` builds per request.
pub(crate) fn leave_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// What a scoped thread returned; a panic in it is raised again here, as if its work had run
/// on this thread (a panic is a bug, never a plan's fault).
pub(crate) fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// An output stream, for deciding whether to colour it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Whether to colour a stream: `--color always|never`, or (auto) only when the stream is a
/// terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn use_color(choice: Color, stream: Stream) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let terminal = match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            };
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The `error: ...` line `main` prints on stderr for a tool failure, coloured when asked.
pub fn error_message(error: &Error, color: bool) -> String {
    // The message may quote paths and plan text: escaped for the terminal.
    let text = error.to_string();
    let text = escape::terminal(&text);
    let error = i18n::raw(i18n::current(), "report.error");
    if color {
        format!("\x1b[1;31m{error}\x1b[0m\x1b[1m:\x1b[0m {text}")
    } else {
        format!("{error}: {text}")
    }
}

/// Loads, checks and analyses a plan for an analysis command. When errors prevent the
/// analysis (or, with `need_order`, a cycle prevents the order), prints them to stderr and
/// returns `None`: the command exits 1.
fn analysed(
    path: &Path,
    today: &cli::TodayArg,
    color: Color,
    need_order: bool,
) -> Result<Option<(Checked, graph::Analysis)>, Error> {
    let ctx = check::Context {
        today: today.date(),
    };
    let mut checked = load_and_check(path, &ctx)?;
    let blocking: Vec<Diagnostic> = match &checked.analysis {
        None => checked
            .diagnostics
            .iter()
            .filter(|d| blocks_analysis(d))
            .cloned()
            .collect(),
        Some(a) if need_order && a.timing.is_none() => checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "G001")
            .cloned()
            .collect(),
        Some(_) => {
            let analysis = checked.analysis.take();
            return Ok(analysis.map(|a| (checked, a)));
        }
    };
    let mut text = diagnostic::render(
        &blocking,
        &checked.loaded.sources,
        diagnostic::Format::Human,
        use_color(color, Stream::Stderr),
    );
    let _ = std::fmt::Write::write_fmt(
        &mut text,
        format_args!(
            "{}: {}\n",
            i18n::raw(i18n::current(), "report.error"),
            t!("cli.analysis_prevented")
        ),
    );
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    Ok(None)
}

fn explain(code: Option<&str>, list: bool) -> Result<String, Error> {
    use std::fmt::Write as _;
    let mut out = String::new();
    if list {
        for r in check::RULES {
            let _ = writeln!(
                out,
                "{}  {:<8} {:<28} {}",
                r.code,
                r.severity.as_str(),
                r.name,
                r.summary()
            );
        }
        return Ok(out);
    }
    let code = code.unwrap_or_default();
    let Some(rule) = check::rule(code) else {
        return Err(Error::UnknownCode {
            code: code.to_string(),
            suggestion: suggest::nearest(&code.to_uppercase(), check::RULES.iter().map(|r| r.code))
                .map(str::to_string),
        });
    };
    let _ = writeln!(out, "{} ({}): {}", rule.code, rule.name, rule.summary());
    let _ = writeln!(
        out,
        "{}",
        t!(
            "cli.explain_severity",
            severity = i18n::raw(
                i18n::current(),
                &format!("report.{}", rule.severity.as_str())
            )
        )
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", textwrap(rule.explanation(), 88));
    Ok(out)
}

/// Wraps prose at word boundaries, and between Chinese characters (which take two columns
/// and need no spaces); closing punctuation never starts a line, opening never ends one.
fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        for (i, piece) in wrap_pieces(word).into_iter().enumerate() {
            let len: usize = piece.chars().map(columns).sum();
            let space = i == 0 && line_len > 0;
            if line_len > 0 && line_len + usize::from(space) + len > width {
                out.push('\n');
                line_len = 0;
            } else if space {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(piece);
            line_len += len;
        }
    }
    out
}

/// Where a word may break: before each wide character, except before closing punctuation
/// and after opening punctuation. A word without wide characters is one piece.
fn wrap_pieces(word: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (i, c) in word.char_indices() {
        let breakable = previous.is_some_and(|p| {
            (columns(c) == 2 || columns(p) == 2)
                && !"，。；：、）》」』！？".contains(c)
                && !"（《「『".contains(p)
        });
        if breakable {
            pieces.push(&word[start..i]);
            start = i;
        }
        previous = Some(c);
    }
    pieces.push(&word[start..]);
    pieces
}

/// Terminal columns of a character: two for CJK ideographs and full-width forms.
fn columns(c: char) -> usize {
    if matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}')
    {
        2
    } else {
        1
    }
}

/// A report for people, with any plan text in it escaped for the terminal.
pub(crate) fn human(text: String) -> String {
    match escape::terminal(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// Writes to stdout; a closed pipe (`bcp ... | head`) is not an error worth reporting.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::WriteOutput {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
