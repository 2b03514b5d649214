//! The command line. Doc comments are the help text.

use crate::diagnostic::Format;
use crate::model::Date;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Business continuity plans as code.
///
/// bcp keeps a business continuity plan (BCP, 业务连续性计划) as YAML files: teams and the call
/// tree, risks, the business impact analysis with RTO/RPO/MTD, systems and backups, sites,
/// suppliers, recovery procedures and exercises. It checks that the plan adds up and renders
/// it as printable documents.
///
/// Example: bcp init my-plan && bcp validate my-plan
#[derive(Debug, Parser)]
#[command(name = "bcp", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// When to colour terminal output.
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour, even when piped.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Validate(ValidateArgs),
    Explain(ExplainArgs),
    Init(InitArgs),
    Schema(SchemaArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Check a plan and report every problem with its file:line:col.
///
/// Runs every check (references, teams and call tree, BIA, backups, suppliers, maintenance)
/// and prints all findings at once. Exit status: 0 when there are no errors, 1 when the plan
/// has errors (or warnings with --deny-warnings), 2 when the plan cannot be read.
///
/// Example: bcp validate examples/bank --format github
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    #[command(flatten)]
    pub today: TodayArg,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `--today`, shared by every command whose results depend on the date.
#[derive(Debug, Clone, clap::Args)]
pub struct TodayArg {
    /// The date to check against (YYYY-MM-DD), for reproducible results. Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
}

impl TodayArg {
    pub fn date(&self) -> Date {
        self.today.unwrap_or_else(Date::today)
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

/// Explain what a rule checks, why it matters and how to fix a finding.
///
/// Example: bcp explain B001
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule's code, as printed in brackets by `bcp validate` (e.g. R002).
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,

    /// List every rule with its code and summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

/// Create a new plan folder: one commented YAML file per area, ready to fill in.
///
/// Writes bcp.yaml (the plan's metadata) and one file each for people and teams, risks,
/// functions, systems, sites, suppliers, procedures and exercises, with comments explaining
/// every section and field in the chosen language, plus bcp.schema.json so that editors offer
/// completion and hover help. Every value you must supply holds `TODO`; `bcp validate` reports
/// each one until it is filled in. Existing files are never overwritten unless --force is given.
///
/// Example: bcp init my-plan --lang zh-CN --template bank --org "Example Bank"
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder to create the plan in (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Language of the comments and placeholders.
    #[arg(long, value_enum, default_value_t = InitLang::En)]
    pub lang: InitLang,

    /// Which skeleton to start from.
    #[arg(long, value_enum, default_value_t = Template::Standard)]
    pub template: Template,

    /// The organisation's name, written into `plan.organisation`.
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,

    /// The date written as "today" (review, exercise, approval dates); for reproducible tests.
    #[arg(long, value_name = "DATE", value_parser = parse_date, hide = true)]
    pub today: Option<Date>,
}

/// Language of a new plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InitLang {
    /// English.
    En,
    /// Simplified Chinese (简体中文).
    #[value(name = "zh-CN")]
    ZhCn,
}

/// The skeletons `bcp init` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// The smallest plan that makes sense: teams, call tree, one critical function, one system, one exercise.
    Minimal,
    /// Every section of a plan, with one or two entries each.
    Standard,
    /// A bank branch network, following the bank BCP training material: counters, payments, ATMs.
    Bank,
}

/// Print the JSON Schema (draft-07) of a plan file, for editors and other tools.
///
/// The schema describes every section and field with its documentation, and the patterns of
/// durations and dates. `bcp init` writes it next to the plan as bcp.schema.json and points
/// each file at it with a yaml-language-server comment on the first line, so VS Code's YAML
/// extension gives completion and hover help.
///
/// Example: bcp schema > bcp.schema.json
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {}

/// Print a shell completion script.
///
/// Load it in your shell's start-up file, or save it where your shell looks for completions.
///
/// Example: bcp completions bash > ~/.local/share/bash-completion/completions/bcp
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the manual page (roff) to standard output.
///
/// Install it where `man` finds it, or read it directly with `man -l`.
///
/// Example: bcp man > ~/.local/share/man/man1/bcp.1
#[derive(Debug, clap::Args)]
pub struct ManArgs {}
