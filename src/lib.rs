//! bcp: business continuity plans as code.
//!
//! The pipeline, in the order [`run`] drives it:
//! `load` (YAML files -> [`model::Plan`] with positions) -> `check` (every rule, all findings)
//! -> `graph` (recovery analysis) -> `render` (documents).
//! Stages after `check` only see a plan without errors.

#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod error;
pub mod generate;
pub mod load;
pub mod model;
mod suggest;

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
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads and checks a plan: the first two stages of every command.
///
/// # Errors
/// [`Error`] when the plan cannot be read; problems in it are diagnostics.
pub fn load_and_check(path: &Path, ctx: &check::Context) -> Result<Checked, Error> {
    let mut loaded = load::load(path)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    // Structural failures (a file that did not parse) hide references into that file, so
    // reference checks would only add noise: report them alone.
    let index = if diagnostics.iter().any(|d| d.code.starts_with('L')) {
        check::Index::default()
    } else {
        if !loaded.plan.has_meta {
            let first = model::Span {
                file: 0,
                line: 1,
                column: 1,
            };
            diagnostics.push(
                Diagnostic::error("L007", "the plan has no `plan` section")
                    .at(first)
                    .help("add `plan:` with title, organisation, version and owner to bcp.yaml (`bcp init` writes one)"),
            );
        }
        let (index, found) = check::check(&loaded.plan, &loaded.sources, ctx);
        diagnostics.extend(found);
        index
    };
    diagnostic::sort(&mut diagnostics);
    Ok(Checked {
        loaded,
        index,
        diagnostics,
    })
}

/// Runs a parsed command line.
///
/// # Errors
/// [`Error`] for I/O and usage failures (exit status 2).
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    match cli.command {
        Command::Validate(args) => {
            let ctx = check::Context {
                today: args.today.date(),
            };
            let checked = load_and_check(&args.path, &ctx)?;
            let text = diagnostic::render(
                &checked.diagnostics,
                &checked.loaded.sources,
                args.format,
                color,
            );
            print(&text)?;
            let summary = diagnostic::Summary::of(&checked.diagnostics);
            let failed = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
            Ok(if failed {
                Outcome::PlanErrors
            } else {
                Outcome::Clean
            })
        }
        Command::Explain(args) => {
            print(&explain(args.code.as_deref(), args.list)?)?;
            Ok(Outcome::Clean)
        }
        Command::Generate(args) => {
            let options = generate::Options {
                functions: args.functions,
                seed: args.seed,
                today: args.today,
            };
            let s = generate::generate(&options, &args.out)?;
            print(&format!(
                "wrote `{}`: {} files, {} bytes; {} functions, {} systems, {} people, {} teams, {} sites, {} suppliers, {} procedures with {} steps, {} dependencies\nvalidate with: bcp validate {} --today {}\n",
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
                args.out.display(),
                args.today
            ))?;
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
            Ok(if loaded.diagnostics.is_empty() {
                Outcome::Clean
            } else {
                Outcome::PlanErrors
            })
        }
    }
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
                r.summary
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
    let _ = writeln!(out, "{} ({}): {}", rule.code, rule.name, rule.summary);
    let _ = writeln!(out, "severity: {}", rule.severity.as_str());
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", textwrap(rule.explanation, 88));
    Ok(out)
}

/// Wraps prose at word boundaries.
fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// Writes to stdout; a closed pipe (`bcp ... | head`) is not an error worth reporting.
fn print(text: &str) -> Result<(), Error> {
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
