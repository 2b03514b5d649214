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

    /// Language of messages, `bcp explain`, rendered documents and questionnaires (and of a
    /// new plan's comments with `init`). Default: the plan's `lang` (in bcp.yaml), else
    /// LC_ALL, LC_MESSAGES or LANG (`zh...` chooses Chinese), else English.
    #[arg(long, global = true, value_parser = parse_lang, value_name = "en|zh-CN")]
    pub lang: Option<crate::model::Lang>,

    #[command(subcommand)]
    pub command: Command,
}

/// The command line as plan authors see it, for completions and the man page: without the
/// hidden benchmark commands (clap_complete would offer them).
pub fn public_command() -> clap::Command {
    use clap::CommandFactory;
    let full = Cli::command();
    let mut public = clap::Command::new("bcp")
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|c| !c.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        public = public.about(about.clone());
    }
    if let Some(about) = full.get_long_about() {
        public = public.long_about(about.clone());
    }
    public.version(env!("CARGO_PKG_VERSION"))
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
    Render(RenderArgs),
    Order(OrderArgs),
    Impact(ImpactArgs),
    Scenarios(ScenariosArgs),
    Graph(GraphArgs),
    Calltree(CalltreeArgs),
    Serve(ServeArgs),
    Cost(CostArgs),
    Diff(DiffArgs),
    Audit(AuditArgs),
    Explain(ExplainArgs),
    Init(InitArgs),
    Schema(SchemaArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Questionnaire(QuestionnaireArgs),
    // Hidden: for the benchmark (bench/run.sh) and its smoke test, not for plan authors.
    #[command(hide = true)]
    Generate(GenerateArgs),
    #[command(hide = true)]
    ParseOnly(ParseOnlyArgs),
}

/// Check a plan and report every problem with its file:line:col.
///
/// Runs every check (references, teams and call tree, BIA, backups, suppliers, maintenance)
/// and prints all findings at once. The human format shows the first five findings of each
/// code and counts the rest (--max-per-code); --format short prints one line per finding;
/// --only and --skip choose codes or families. Exit status: 0 when there are no errors, 1
/// when the plan has errors (or warnings with --deny-warnings), 2 when the plan cannot be read.
///
/// Example: bcp validate my-plan --format short --skip M004
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

    /// Also audit against a standards profile: unmet requirements become P001 findings.
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,

    /// A profile parameter, NAME=VALUE (see `bcp audit`).
    #[arg(long, value_name = "NAME=VALUE", requires = "profile")]
    pub set: Vec<String>,
    /// Report only findings whose code starts with one of these: a code (`M004`) or a family
    /// (`M`). Load problems (L) are always reported: what did not load was not checked.
    #[arg(long, value_name = "CODE,...", value_delimiter = ',', value_parser = RuleCode::PREFIX, hide_possible_values = true)]
    pub only: Vec<String>,

    /// Leave out findings whose code starts with one of these (`--skip M004,C`). Left-out
    /// findings do not count towards the exit status; load problems (L) are always reported.
    #[arg(long, value_name = "CODE,...", value_delimiter = ',', value_parser = RuleCode::PREFIX, hide_possible_values = true)]
    pub skip: Vec<String>,

    /// In the human format, show this many findings of one code, then count the rest in one
    /// line; 0 shows every finding.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_per_code: usize,
}

/// Parses a rule code (`explain`) or a code prefix (`--only`, `--skip`), and offers every code
/// and family to shell completion.
#[derive(Clone, Copy, Debug)]
pub struct RuleCode {
    /// Accept a prefix (`M`, `M00`) and refuse what starts no code; otherwise any text passes
    /// (`explain` reports an unknown code with a suggestion itself).
    prefix: bool,
}

impl RuleCode {
    pub const CODE: RuleCode = RuleCode { prefix: false };
    pub const PREFIX: RuleCode = RuleCode { prefix: true };
}

impl clap::builder::TypedValueParser for RuleCode {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let invalid = |message: String| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, message).with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| invalid("a rule code is plain text, e.g. `M004`\n".to_string()))?
            .trim()
            .to_uppercase();
        if self.prefix
            && !crate::check::RULES
                .iter()
                .any(|r| r.code.starts_with(text.as_str()))
        {
            let hint = crate::suggest::nearest(&text, crate::check::RULES.iter().map(|r| r.code))
                .map(|code| format!("; did you mean `{code}`?"))
                .unwrap_or_default();
            return Err(invalid(format!(
                "no rule code starts with `{text}`{hint}\n\nrule codes are a family letter and a number, e.g. `M004` or `M`; `bcp explain --list` lists them\n"
            )));
        }
        Ok(text)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::builder::PossibleValue;
        let rules = crate::check::RULES.iter();
        let codes = rules.map(|r| PossibleValue::new(r.code).help(r.summary()));
        let mut families: Vec<&'static str> =
            crate::check::RULES.iter().map(|r| &r.code[..1]).collect();
        families.sort_unstable();
        families.dedup();
        let families = families
            .into_iter()
            .filter(|_| self.prefix)
            .map(|f| PossibleValue::new(f).help("every rule of the family"));
        Some(Box::new(families.chain(codes)))
    }
}

/// Render the plan as documents: Markdown, HTML, PDF, Word or spreadsheets, in English or Chinese.
///
/// The plan is checked first; a plan with errors is not rendered (exit 1, the findings on
/// stderr) unless --force. Documents: `full` (the whole plan), `drp` (IT disaster recovery),
/// `team` (one runbook per team), `card` (wallet card that folds to 85 x 54 mm; --team for one
/// team's), `bia` (impact analysis, plus `bia.csv`), `risks` (register and matrix),
/// `compliance` (the coverage matrix of --profile), or `all` into a folder. `--format xlsx` is
/// for `bia` and `risks`. A render forced over errors is marked as a draft. In a git
/// repository, document control of `full` and `drp` lists the changes since the version the
/// latest approval names. Every document is rendered in memory first, then all are written
/// together, each through a temporary file renamed into place: an interrupted render leaves
/// the earlier files as they were. A plan folder's own
/// `templates/` overrides the built-in templates file by file. The same plan gives the same
/// bytes: the date comes from --date, SOURCE_DATE_EPOCH or the plan's latest review or
/// approval. PDF needs Chrome or Chromium on PATH (or --browser).
///
/// Example: bcp render examples/bank --format html --out bank.html
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::render::Format::Html)]
    pub format: crate::render::Format,

    /// Which document to render; `all` writes every one into the --out folder.
    #[arg(long, value_enum, default_value_t = DocChoice::Full)]
    pub doc: DocChoice,

    /// Where to write. A folder when the name ends in `/`, names an existing folder, or with
    /// --doc all: each document goes into it as `<doc>.<format>` (and `bia.csv`), and a
    /// missing folder is created. Otherwise a file: its extension must be the format's, and
    /// is added when the name has none (`--out plan` writes `plan.html`); with --doc bia the
    /// CSV goes beside it under the same name (`--out r.html` writes `r.html` and `r.csv`).
    /// Symbolic links, the plan's own files and its `templates/` folder are refused.
    #[arg(long, short, value_name = "FILE_OR_DIR")]
    pub out: PathBuf,

    /// Language of the document's labels: the global `--lang`, else the plan's `lang`.
    #[arg(skip)]
    pub lang: Option<crate::model::Lang>,

    /// Replace every phone number and e-mail address in the documents with a placeholder
    /// (people's contacts, and any written in free text, channels or a supplier's or site's
    /// contact), for copies that go beyond the continuity team. The emergency key numbers
    /// stay.
    #[arg(long)]
    pub redact: bool,

    /// Render even when the plan has errors (the findings are printed to stderr).
    #[arg(long)]
    pub force: bool,

    /// Generation date printed in the document (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH, else
    /// the plan's latest review or approval date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,

    /// Paper size for HTML printing and PDF.
    #[arg(long, value_enum, default_value_t = crate::render::Paper::A4)]
    pub paper: crate::render::Paper,

    /// Standards profile for `--doc compliance` (`bcp audit --list`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// A profile parameter, NAME=VALUE (see `bcp audit`).
    #[arg(long, value_name = "NAME=VALUE", requires = "profile")]
    pub set: Vec<String>,

    /// With --doc card: the wallet card of this team (its part of the call tree, its
    /// responsibilities) instead of the whole plan's.
    #[arg(long, value_name = "TEAM_ID")]
    pub team: Option<String>,

    /// Chrome or Chromium executable for --format pdf. Default: the first of chromium,
    /// chromium-browser, google-chrome found on PATH.
    #[arg(long, value_name = "PATH")]
    pub browser: Option<PathBuf>,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Send the business impact analysis out as questionnaires, and read the answers back.
///
/// Writes one XLSX workbook per function owner into --out (or only those chosen with
/// --owner/--department): a cover sheet with instructions, one protected form per function
/// with the plan's values filled in (tier, RTO/RPO/MTD as a number and a unit, minimum staff,
/// dependencies chosen from drop-down lists of the plan's ids), and a hidden sheet with the
/// plan version and a checksum of the questions. `bcp questionnaire import` reads the filled
/// workbooks back into the plan's YAML.
///
/// Example: bcp questionnaire examples/bank --out forms
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct QuestionnaireArgs {
    #[command(subcommand)]
    pub command: Option<QuestionnaireCommand>,

    #[command(flatten)]
    pub export: QuestionnaireExportArgs,
}

#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    Import(QuestionnaireImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct QuestionnaireExportArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Folder to write the workbooks into (created if missing).
    #[arg(long, short, value_name = "DIR", required = true)]
    pub out: Option<PathBuf>,

    /// Only the questionnaire of this function owner (a person id); repeatable.
    #[arg(long, value_name = "PERSON_ID")]
    pub owner: Vec<String>,

    /// Only the questionnaires of owners in this department (a person's `department`); repeatable.
    #[arg(long, value_name = "NAME")]
    pub department: Vec<String>,

    /// Language of the questions: the global `--lang`, else the plan's `lang`.
    #[arg(skip)]
    pub lang: Option<crate::model::Lang>,
}

/// Read filled questionnaires and write the answers into the plan's YAML.
///
/// Only values a respondent changed are written, each as an edit of that value alone:
/// comments, key order and formatting stay. Every problem in an answer is reported at its
/// FILE:SHEET!CELL; when any answer has an error nothing is written (exit 1) unless
/// --partial, which writes the clean answers. Importing the same workbook twice changes
/// nothing the second time.
///
/// Example: bcp questionnaire import examples/bank forms/bia-xu-na.xlsx --dry-run
#[derive(Debug, clap::Args)]
pub struct QuestionnaireImportArgs {
    /// The plan (folder or file; default `.`), then the filled workbooks.
    #[arg(value_name = "[PATH] FILE", required = true, num_args = 1..)]
    pub args: Vec<PathBuf>,

    /// Print what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,

    /// Write the clean answers even when others have errors.
    #[arg(long)]
    pub partial: bool,

    /// Output format of the problems found in answers.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `--doc`: one document or all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DocChoice {
    /// The whole plan, §1-§13, with document control on the first page.
    Full,
    /// The IT disaster recovery plan.
    Drp,
    /// One runbook per team.
    Team,
    /// The wallet card: eight 85 x 54 mm panels to cut out and fold.
    Card,
    /// The business impact analysis (and bia.csv).
    Bia,
    /// The risk register and matrix.
    Risks,
    /// The coverage matrix of the standards profile given with --profile.
    Compliance,
    /// Every document, into the --out folder.
    All,
}

fn parse_lang(text: &str) -> Result<crate::model::Lang, String> {
    crate::i18n::parse_lang(text)
        .ok_or_else(|| format!("unknown language `{text}`; use `en` or `zh-CN`"))
}

impl Cli {
    /// The language of this run: `--lang`, else the plan's `lang`, else the environment's.
    /// Sets it for every later message and passes it to the commands that write in a language.
    pub fn choose_language(&mut self) {
        use crate::model::Lang;
        let plan = match &self.command {
            Command::Validate(a) => Some(&a.path),
            Command::Render(a) => Some(&a.path),
            Command::Order(a) => Some(&a.path),
            Command::Impact(a) => Some(&a.path),
            Command::Scenarios(a) => Some(&a.path),
            Command::Graph(a) => Some(&a.path),
            Command::Calltree(a) => Some(&a.path),
            Command::Cost(a) => Some(&a.path),
            Command::Audit(a) => Some(&a.path),
            Command::Diff(a) => a.plans.last(),
            Command::Serve(a) => Some(&a.path),
            Command::Questionnaire(a) => match &a.command {
                // `import [PATH] FILE...`: the plan is the first argument when it is not a
                // workbook.
                Some(QuestionnaireCommand::Import(i)) => i
                    .args
                    .first()
                    .filter(|p| p.extension().is_none_or(|e| e != "xlsx")),
                None => Some(&a.export.path),
            },
            _ => None,
        };
        let lang = self
            .lang
            .or_else(|| plan.and_then(|p| crate::load::declared_lang(p)))
            .or_else(crate::i18n::from_environment)
            .unwrap_or_default();
        crate::i18n::set(lang);
        match &mut self.command {
            Command::Render(a) => a.lang = self.lang,
            Command::Audit(a) => a.lang = self.lang,
            Command::Questionnaire(a) => a.export.lang = self.lang,
            Command::Init(a) if self.lang == Some(Lang::ZhCn) => a.lang = InitLang::ZhCn,
            _ => {}
        }
    }
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

/// Preview the rendered plan in a browser while you write it: pages reload on every save.
///
/// Serves every document of the plan as HTML: / (the whole plan), /drp, /scenarios (the
/// scenario matrix), /team (every runbook), /team/ID (one team's runbook), /card, /bia and
/// /risks. When a plan file or a template
/// under the plan's templates/ changes, the plan is checked and rendered again, and open pages
/// reload by themselves. While the plan has errors, the pages keep showing the last version
/// without errors under a banner listing each finding with its file:line:col. Listens on
/// 127.0.0.1 only, unless --bind says otherwise. Nothing is written to disk; Ctrl-C stops the
/// server (exit status 0).
///
/// Example: bcp serve examples/acme --open
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Port to listen on; 0 picks a free one (printed at start).
    #[arg(long, short, default_value_t = 8340)]
    pub port: u16,

    /// Address to listen on. The default, 127.0.0.1, admits this machine only; 0.0.0.0 (or
    /// `::`) shares the preview, contact details included, with the whole network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,

    /// Language of the documents' labels; default: the plan's `lang`.
    #[arg(long, value_parser = parse_lang, value_name = "en|zh-CN")]
    pub lang: Option<crate::model::Lang>,

    /// Replace people's phone numbers and e-mail addresses with a placeholder (for showing
    /// the plan on a shared screen).
    #[arg(long)]
    pub redact: bool,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Explain what a rule checks, why it matters and how to fix a finding.
///
/// Example: bcp explain B001
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule's code, as printed in brackets by `bcp validate` (e.g. R002).
    #[arg(required_unless_present = "list", value_parser = RuleCode::CODE, hide_possible_values = true)]
    pub code: Option<String>,

    /// List every rule with its code and summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

/// Output format of the analysis reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for people.
    Table,
    /// One JSON document (shapes in docs/analysis.md).
    Json,
}

/// Print the recovery order: every dependency before what needs it, tightest RTO first.
///
/// Functions and systems in priority topological order (among those ready: smallest RTO,
/// then tier, then id), grouped into waves that can be recovered in parallel, with each
/// one's earliest achievable recovery time from its dependencies and recovery steps.
/// Exit status: 0 when the order is printed, 1 when plan errors (unresolved references, a
/// dependency cycle) prevent it, 2 when the plan cannot be read.
///
/// Example: bcp order examples/bank --format json
#[derive(Debug, clap::Args)]
pub struct OrderArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Show what a disruption takes down: affected functions, achievable times, MTD breaches.
///
/// Loses the sites, systems, suppliers, teams and people of a scenario (or those given with
/// --lose), finds every function and system that depends on them transitively, recomputes
/// the achievable recovery time (alternate sites, alternate suppliers, DR sites; nothing to
/// fall back on means unrecoverable) and prints the recovery order for the scenario.
///
/// Example: bcp impact examples/bank --scenario sc-dc-fire
#[derive(Debug, clap::Args)]
pub struct ImpactArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Id of a scenario defined in the plan's `scenarios`.
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "lose",
        conflicts_with = "lose"
    )]
    pub scenario: Option<String>,

    /// Ids of sites, systems, suppliers, teams or people lost, comma-separated.
    #[arg(long, value_name = "ID,ID", value_delimiter = ',', num_args = 1..)]
    pub lose: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Print the scenario matrix: how each critical and essential function fares in every scenario.
///
/// Every scenario of the plan's `scenarios` is analysed as `bcp impact --scenario` does; for
/// each critical and essential function the matrix gives its achievable recovery time in that
/// scenario and whether it is within its RTO, over it, over its MTD, unrecoverable or
/// understaffed. `bcp validate` reports the same gaps with their critical paths.
/// Exit status: 0 when the matrix is printed (gaps included), 1 when plan errors (unresolved
/// references, a dependency cycle) prevent it, 2 when the plan cannot be read.
///
/// Example: bcp scenarios examples/bank --format json
#[derive(Debug, clap::Args)]
pub struct ScenariosArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Graph export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`bcp graph --format dot | dot -Tsvg > plan.svg`).
    Dot,
    /// A Mermaid flowchart, for Markdown that renders Mermaid.
    Mermaid,
    /// `{"nodes": [...], "edges": [...]}`.
    Json,
}

/// Export the plan's dependency graph as Graphviz DOT, Mermaid or JSON.
///
/// Nodes are functions (coloured by tier), systems, sites, suppliers, teams, procedures and
/// their steps; edges are dependencies, what procedures recover, step order, who carries out
/// each step, alternates and DR sites. Inverted dependencies are drawn red and labelled with
/// both RTOs. A plan with a dependency cycle can still be exported.
///
/// Example: bcp graph examples/bank --format dot | dot -Tsvg > bank.svg
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Analyse the call tree: time to reach everyone, single points of failure, key people.
///
/// One call takes `minutes_per_call`; a person makes their calls in sequence and different
/// callers call in parallel. Lists everyone with the time they are reached, the slowest
/// chain, callers without a fallback, and people holding too many roles.
///
/// Example: bcp calltree examples/bank
#[derive(Debug, clap::Args)]
pub struct CalltreeArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Show the cost trade-off of the strategies: per function, every option's cost and recovery time.
///
/// For each function with a `loss_per_day` or a strategy covering it: the loss of an outage
/// as it lasts, the incidents a year from the risks that affect it, and every strategy option
/// with its annual cost (and the function's share of it), recovery time, whether it meets the
/// RTO, the loss per incident and the expected loss a year; the balance point is the option
/// with the lowest yearly total. `bcp validate` reports the findings F001-F003.
///
/// Example: bcp cost examples/acme --format json
#[derive(Debug, clap::Args)]
pub struct CostArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Compare two versions of a plan: what changed, in the plan's terms, and what it does to the analysis.
///
/// Entities added, removed and renamed (same id); field changes with old and new values;
/// objectives tightened or loosened (RTO, RPO, MTD, backup interval, tier); call-tree changes;
/// achievable recovery times per function, in the whole-plan case and per scenario; findings
/// that appeared or were fixed. Positions point into the new version. With --git the plan is
/// read from git objects (no checkout): `REV` compares with the working tree, `A..B` two
/// revisions. Exit status: 1 when a --fail-on condition holds, 2 when a plan cannot be read.
///
/// Example: bcp diff --git HEAD~1..HEAD examples/bank --format markdown
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// OLD and NEW plan (folders or files); with --git, at most one: the plan's path.
    #[arg(value_name = "PLAN", num_args = 0..=2)]
    pub plans: Vec<PathBuf>,

    /// Read the plan at git revisions: `REV` (against the working tree) or `OLD..NEW`.
    #[arg(long, value_name = "REV[..REV]")]
    pub git: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Exit 1 when an objective was loosened, or when new findings appeared.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub fail_on: Vec<FailOn>,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Output format of `bcp diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Text for people.
    Human,
    /// GitHub-flavoured Markdown, to post as a pull-request comment.
    Markdown,
    /// `{"changes": [...], "findings": {"new": [...], "fixed": [...]}}`.
    Json,
}

/// What makes `bcp diff` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// An RTO, RPO, MTD, backup interval or tier was loosened.
    Loosened,
    /// The new version has findings the old one did not.
    NewFindings,
}

/// Audit the plan against a standard or a regulator's guideline: a coverage matrix.
///
/// Built-in profiles: `iso-22301` (ISO 22301:2019, clauses 8.2-8.5 and 9.1), `nist-sp-800-34`
/// (NIST SP 800-34 Rev. 1), `gb-t-20988` (GB/T 20988-2007 disaster recovery), `cn-bank-bcm`
/// (the Chinese banking regulator's business continuity guideline). Each requirement is `met`,
/// `unmet`, `not_applicable` or `parameter_missing` (a threshold the profile leaves to the
/// plan: `plan.compliance.<profile>.<name>` or --set), with the plan evidence as file:line.
/// A plan folder's `profiles/NAME.yaml` overrides the built-in profile.
/// Exit status: 1 when a requirement is unmet.
///
/// Example: bcp audit examples/bank --profile cn-bank-bcm --format markdown
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Plan folder (holding bcp.yaml) or plan file.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// The profile to audit against (`--list` names them).
    #[arg(long, value_name = "NAME", required_unless_present = "list")]
    pub profile: Option<String>,

    /// List the built-in profiles.
    #[arg(long, conflicts_with = "profile")]
    pub list: bool,

    /// A profile parameter, NAME=VALUE (wins over the plan's `compliance` values).
    #[arg(long, value_name = "NAME=VALUE")]
    pub set: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,

    /// Language of the requirement titles: the global `--lang`, else the plan's `lang`.
    #[arg(skip)]
    pub lang: Option<crate::model::Lang>,

    #[command(flatten)]
    pub today: TodayArg,
}

/// Output format of `bcp audit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// Aligned text for people.
    Table,
    /// A Markdown table.
    Markdown,
    /// `{"profile", "requirements": [{"id", "clause", "title", "status", "evidence"}]}`.
    Json,
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

    /// Language of the comments and placeholders: the global `--lang`, else English.
    #[arg(skip)]
    pub lang: InitLang,

    /// Which skeleton to start from.
    #[arg(long, value_enum, default_value_t = Template::Standard)]
    pub template: Template,

    /// The organisation's name, written into `plan.organisation`.
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,

    /// Also write a CI workflow that checks the plan on every push: `github` writes
    /// .github/workflows/bcp.yml at the root of the git repository holding the folder (or in the
    /// folder, when it is not in one), using bcp's GitHub Action.
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub ci: Option<Ci>,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,

    /// The date written as "today" (review, exercise, approval dates); for reproducible tests.
    #[arg(long, value_name = "DATE", value_parser = parse_date, hide = true)]
    pub today: Option<Date>,
}

/// CI services `bcp init --ci` writes a workflow for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// GitHub Actions: .github/workflows/bcp.yml with bcp's GitHub Action.
    Github,
}

/// Language of a new plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum InitLang {
    /// English.
    #[default]
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

    /// How many of the twenty scenarios to write (the benchmark compares 0 and 20).
    #[arg(long, default_value_t = crate::generate::SCENARIOS, value_parser = scenario_count)]
    pub scenarios: usize,
}

/// `--scenarios`: 0 to 20 (the generator writes at most twenty).
fn scenario_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= crate::generate::SCENARIOS => Ok(n),
        _ => Err(format!(
            "expected a number from 0 to {}",
            crate::generate::SCENARIOS
        )),
    }
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
