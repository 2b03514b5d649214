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
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Validate(ValidateArgs),
    Explain(ExplainArgs),
    /// Write a synthetic plan of N functions, for benchmarks (hidden).
    #[command(hide = true)]
    Generate(GenerateArgs),
    /// Only load (parse) a plan, without checks: the benchmark's floor (hidden).
    #[command(hide = true)]
    ParseOnly(ParseOnlyArgs),
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

/// Write a realistic synthetic plan folder: N business functions spread over departments,
/// with systems, sites, suppliers, people, teams, procedures and exercises in proportion.
///
/// Valid by construction for the `--today` given; the same arguments give the same bytes.
///
/// Example: bcp generate --functions 1000 --seed 7 --out /tmp/plan-1k
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Number of business functions.
    #[arg(long, default_value_t = 1000)]
    pub functions: usize,

    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Folder to write the plan into; created, and must be empty if it exists.
    #[arg(long)]
    pub out: PathBuf,

    /// The date the plan is current for (validate with the same `--today`).
    #[arg(long, value_name = "DATE", value_parser = parse_date, default_value = "2026-06-01")]
    pub today: Date,
}

/// Load a plan into the model and stop: no checks, no output but a count. The floor the
/// benchmark compares `validate` and `render` with.
///
/// Example: bcp parse-only /tmp/plan-1k
#[derive(Debug, clap::Args)]
pub struct ParseOnlyArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
}
