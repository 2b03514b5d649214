//! `bcp audit`: a plan against a standard or a regulator's guideline.
//!
//! A profile is a data file (`profiles/*.yaml`, compiled in; a plan folder's own `profiles/`
//! overrides one by name): requirement id, clause, title in English and Chinese, and one
//! check from a fixed vocabulary ([`Check`]). Thresholds that the standard's text fixes are
//! written in the profile with their source; those that could not be verified are
//! parameters with no default, supplied by the plan (`plan.compliance.<profile>.<name>`) or on
//! the command line (`--set name=value`), and reported as `parameter_missing` until then.
//!
//! `bcp validate --profile NAME` turns unmet requirements into P001 findings (and missing
//! parameters into P002), with the requirement id as their target, so an approved exception
//! accepts a gap like any other finding.

use crate::cli::{AuditArgs, AuditFormat};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::{Date, Duration, Lang, Plan, Span, Tier};
use crate::render::markdown::escape_inline;
use crate::t;
use crate::{Checked, Outcome, check};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The built-in profiles, compiled in.
const BUILTIN: &[(&str, &str)] = &[
    ("iso-22301", include_str!("../profiles/iso-22301.yaml")),
    (
        "nist-sp-800-34",
        include_str!("../profiles/nist-sp-800-34.yaml"),
    ),
    ("gb-t-20988", include_str!("../profiles/gb-t-20988.yaml")),
    ("cn-bank-bcm", include_str!("../profiles/cn-bank-bcm.yaml")),
];

/// Text in both languages.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh,
        }
    }
}

/// A standards profile.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub title: Text,
    /// Where the clauses and thresholds come from.
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    pub requirements: Vec<Requirement>,
}

/// A threshold the profile leaves to the plan.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub description: Text,
    /// A value verified from the standard's text; none when it could not be verified.
    #[serde(default)]
    pub default: Option<String>,
}

/// One requirement and the check that decides it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub clause: String,
    pub title: Text,
    pub check: Check,
}

/// The fixed check vocabulary. Thresholds are a literal (`4h`, `12`) or `$parameter`.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A section of the plan is present and not empty.
    Section { section: String },
    /// A field is set on every function of the tiers.
    FunctionField {
        field: String,
        #[serde(default = "critical")]
        tiers: Vec<Tier>,
    },
    /// A field is set on every system the functions of the tiers depend on.
    SystemField {
        field: String,
        #[serde(default = "critical")]
        tiers: Vec<Tier>,
    },
    /// Every function of the tiers has an RTO of at most `max`.
    MaxRto {
        max: String,
        #[serde(default = "critical")]
        tiers: Vec<Tier>,
    },
    /// Every function of the tiers has an RPO of at most `max`.
    MaxRpo {
        max: String,
        #[serde(default = "critical")]
        tiers: Vec<Tier>,
    },
    /// The latest exercise is at most `months` old.
    ExerciseWithin { months: String },
    /// The plan was reviewed at most `months` ago.
    ReviewWithin { months: String },
    /// Every system the functions of the tiers depend on had a restore test in `months`.
    RestoreTestedWithin {
        months: String,
        #[serde(default = "critical")]
        tiers: Vec<Tier>,
    },
    /// Every system the functions of the tiers depend on fails over to a DR site of at least
    /// this GB/T 20988 level.
    DrLevel {
        min: String,
        #[serde(default = "critical")]
        tiers: Vec<Tier>,
    },
    /// A team of this kind exists.
    TeamKind { team: String },
    /// No counted finding of these rule codes (or code prefixes).
    NoFindings { codes: Vec<String> },
    /// Every chosen strategy with a recovery time has an annual cost.
    StrategiesPriced,
}

fn critical() -> Vec<Tier> {
    vec![Tier::Critical]
}

/// The outcome of one requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Unmet,
    NotApplicable,
    ParameterMissing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Unmet => "unmet",
            Status::NotApplicable => "not_applicable",
            Status::ParameterMissing => "parameter_missing",
        }
    }
}

/// A place in the plan that shows the requirement met (or not).
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub file: String,
    pub line: u32,
    #[serde(skip)]
    pub span: Span,
    /// What is there (or missing).
    pub note: String,
}

/// One row of the coverage matrix.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub clause: String,
    pub title: String,
    pub status: Status,
    /// Why, in a sentence (the values compared, what is missing).
    pub detail: String,
    pub evidence: Vec<Evidence>,
}

/// The coverage matrix.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    pub profile: String,
    pub title: String,
    pub requirements: Vec<Row>,
}

impl Coverage {
    pub fn count(&self, s: Status) -> usize {
        self.requirements.iter().filter(|r| r.status == s).count()
    }
}

/// Names of the built-in profiles.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// A profile by name: the plan folder's `profiles/NAME.yaml` when there is one, else the
/// built-in.
///
/// # Errors
/// [`Error::Profile`] for an unknown name or a file that does not parse.
pub fn profile(name: &str, root: &Path) -> Result<Profile, Error> {
    let fail = |message: String| Error::Profile {
        name: name.to_string(),
        message,
    };
    let own = (!root.as_os_str().is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then(|| root.join("profiles").join(format!("{name}.yaml")))
    .filter(|p| p.is_file());
    let text = match &own {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| fail(format!("cannot read `{}`: {e}", path.display())))?,
        None => BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| (*t).to_string())
            .ok_or_else(|| {
                let names: Vec<&str> = builtin_names().collect();
                let hint = crate::suggest::nearest(name, names.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                fail(format!(
                    "no such profile\nhelp: {hint}`bcp audit --list` lists them: {}",
                    names.join(", ")
                ))
            })?,
    };
    let where_ = own
        .as_ref()
        .map_or_else(|| "built-in".to_string(), |p| p.display().to_string());
    crate::load::data_from_yaml::<Profile>(&text).map_err(|e| fail(format!("{where_}: {e}")))
}

/// What the checks need: the plan, its findings, "today", and the parameter values.
pub struct Ctx<'a> {
    pub checked: &'a Checked,
    pub today: Date,
    pub lang: Lang,
    /// `--set name=value`, which wins over the plan's `compliance` values.
    pub set: &'a BTreeMap<String, String>,
}

/// Audits a checked plan against a profile.
pub fn audit(p: &Profile, ctx: &Ctx) -> Coverage {
    let plan = &ctx.checked.loaded.plan;
    let from_plan = plan.meta.compliance.get(&p.id);
    let param = |value: &str| -> Result<String, String> {
        let Some(name) = value.strip_prefix('$') else {
            return Ok(value.to_string());
        };
        ctx.set
            .get(name)
            .cloned()
            .or_else(|| from_plan.and_then(|m| m.get(name)).cloned())
            .or_else(|| p.parameters.get(name).and_then(|d| d.default.clone()))
            .ok_or_else(|| name.to_string())
    };
    let requirements = p
        .requirements
        .iter()
        .map(|r| {
            let (status, detail, spans) = match evaluate(&r.check, ctx, &param) {
                Ok(x) => x,
                Err(Missing(name)) => (
                    Status::ParameterMissing,
                    format!(
                        "parameter `{name}` has no value: set `plan.compliance.{}.{name}` or pass `--set {name}=VALUE`",
                        p.id
                    ),
                    Vec::new(),
                ),
            };
            let sources = &ctx.checked.loaded.sources;
            Row {
                id: r.id.clone(),
                clause: r.clause.clone(),
                title: r.title.get(ctx.lang).to_string(),
                status,
                detail,
                evidence: spans
                    .into_iter()
                    .filter(|(s, _)| s.line > 0)
                    .map(|(span, note)| Evidence {
                        file: sources.display_path(span.file),
                        line: span.line,
                        span,
                        note,
                    })
                    .collect(),
            }
        })
        .collect();
    Coverage {
        profile: p.id.clone(),
        title: p.title.get(ctx.lang).to_string(),
        requirements,
    }
}

struct Missing(String);

type Outcome3 = (Status, String, Vec<(Span, String)>);

fn number(text: &str, what: &str) -> Result<u32, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of {what}"))
}

#[allow(clippy::too_many_lines)]
fn evaluate(
    check: &Check,
    ctx: &Ctx,
    param: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Outcome3, Missing> {
    let plan = &ctx.checked.loaded.plan;
    let get = |v: &str| param(v).map_err(Missing);
    let bad = |message: String| Ok((Status::Unmet, message, Vec::new()));
    let in_tiers = |tiers: &[Tier]| -> Vec<&crate::model::Sp<crate::model::Function>> {
        plan.functions
            .iter()
            .filter(|f| tiers.contains(&f.tier.value))
            .collect()
    };
    let tier_words = |tiers: &[Tier]| {
        tiers
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("/")
    };
    let systems_of = |tiers: &[Tier]| -> Vec<&crate::model::Sp<crate::model::System>> {
        let ids: std::collections::BTreeSet<&str> = in_tiers(tiers)
            .iter()
            .flat_map(|f| f.depends_on.systems.iter().map(|s| s.as_str()))
            .collect();
        plan.systems
            .iter()
            .filter(|s| ids.contains(s.id.as_str()))
            .collect()
    };
    let all_or_gaps =
        |total: usize, gaps: Vec<(Span, String)>, ok: Vec<(Span, String)>, what: String| {
            if total == 0 {
                (
                    Status::NotApplicable,
                    format!("{what}: none to check"),
                    Vec::new(),
                )
            } else if gaps.is_empty() {
                (Status::Met, format!("{what}: all {total}"), ok)
            } else {
                (
                    Status::Unmet,
                    format!("{what}: {} of {total} fall short", gaps.len()),
                    gaps,
                )
            }
        };
    Ok(match check {
        Check::Section { section } => match section_first(plan, section) {
            Found::At(span) => (
                Status::Met,
                format!("`{section}` is present"),
                vec![(span, section.clone())],
            ),
            Found::Missing => (
                Status::Unmet,
                format!("`{section}` is missing or empty"),
                Vec::new(),
            ),
            Found::Unknown => {
                return bad(format!("the profile names an unknown section `{section}`"));
            }
        },
        Check::FunctionField { field, tiers } => {
            let functions = in_tiers(tiers);
            let mut ok = Vec::new();
            let mut gaps = Vec::new();
            for f in &functions {
                match function_field(plan, f, field) {
                    Found::At(span) => ok.push((span, format!("`{}` {field}", f.id.value))),
                    Found::Missing => {
                        gaps.push((f.id.span, format!("`{}` has no {field}", f.id.value)));
                    }
                    Found::Unknown => {
                        return bad(format!(
                            "the profile names an unknown function field `{field}`"
                        ));
                    }
                }
            }
            all_or_gaps(
                functions.len(),
                gaps,
                ok,
                format!("{} functions with `{field}`", tier_words(tiers)),
            )
        }
        Check::SystemField { field, tiers } => {
            let systems = systems_of(tiers);
            let mut ok = Vec::new();
            let mut gaps = Vec::new();
            for s in &systems {
                match system_field(plan, s, field) {
                    Found::At(span) => ok.push((span, format!("`{}` {field}", s.id.value))),
                    Found::Missing => {
                        gaps.push((s.id.span, format!("`{}` has no {field}", s.id.value)));
                    }
                    Found::Unknown => {
                        return bad(format!(
                            "the profile names an unknown system field `{field}`"
                        ));
                    }
                }
            }
            all_or_gaps(
                systems.len(),
                gaps,
                ok,
                format!("systems of {} functions with `{field}`", tier_words(tiers)),
            )
        }
        Check::MaxRto { max, tiers } | Check::MaxRpo { max, tiers } => {
            let value = get(max)?;
            let Ok(limit) = Duration::parse(&value) else {
                return bad(format!("`{value}` is not a duration"));
            };
            let rto = matches!(check, Check::MaxRto { .. });
            let functions = in_tiers(tiers);
            let mut ok = Vec::new();
            let mut gaps = Vec::new();
            for f in &functions {
                let (d, span) = if rto {
                    (Some(f.rto.value), f.rto.span)
                } else {
                    match f.rpo_duration() {
                        Some(r) => (Some(r.value), r.span),
                        None => (None, f.id.span),
                    }
                };
                let word = if rto { "RTO" } else { "RPO" };
                match d {
                    Some(d) if d <= limit => {
                        ok.push((span, format!("`{}` {word} {d}", f.id.value)));
                    }
                    Some(d) => gaps.push((span, format!("`{}` {word} {d} > {limit}", f.id.value))),
                    None => gaps.push((span, format!("`{}` has no {word}", f.id.value))),
                }
            }
            all_or_gaps(
                functions.len(),
                gaps,
                ok,
                format!(
                    "{} functions with an {} of at most {limit}",
                    tier_words(tiers),
                    if rto { "RTO" } else { "RPO" }
                ),
            )
        }
        Check::ExerciseWithin { months } => {
            let months = match number(&get(months)?, "months") {
                Ok(m) => m,
                Err(e) => return bad(e),
            };
            // Exercises planned for later do not count.
            let latest = plan
                .exercises
                .iter()
                .filter(|e| e.date.value <= ctx.today)
                .max_by_key(|e| e.date.value);
            match latest {
                Some(e) if e.date.value.plus_months(months) >= ctx.today => (
                    Status::Met,
                    format!("latest exercise {} (within {months} months)", e.date.value),
                    vec![(e.date.span, format!("`{}` on {}", e.id.value, e.date.value))],
                ),
                Some(e) => (
                    Status::Unmet,
                    format!(
                        "latest exercise {} is older than {months} months",
                        e.date.value
                    ),
                    vec![(e.date.span, format!("`{}` on {}", e.id.value, e.date.value))],
                ),
                None => (Status::Unmet, "no exercise recorded".into(), Vec::new()),
            }
        }
        Check::ReviewWithin { months } => {
            let months = match number(&get(months)?, "months") {
                Ok(m) => m,
                Err(e) => return bad(e),
            };
            match &plan.meta.review {
                Some(r) if r.last_reviewed.value.plus_months(months) >= ctx.today => (
                    Status::Met,
                    format!(
                        "last reviewed {} (within {months} months)",
                        r.last_reviewed.value
                    ),
                    vec![(
                        r.last_reviewed.span,
                        format!("reviewed {}", r.last_reviewed.value),
                    )],
                ),
                Some(r) => (
                    Status::Unmet,
                    format!(
                        "last reviewed {}, more than {months} months ago",
                        r.last_reviewed.value
                    ),
                    vec![(
                        r.last_reviewed.span,
                        format!("reviewed {}", r.last_reviewed.value),
                    )],
                ),
                None => (Status::Unmet, "no review recorded".into(), Vec::new()),
            }
        }
        Check::RestoreTestedWithin { months, tiers } => {
            let months = match number(&get(months)?, "months") {
                Ok(m) => m,
                Err(e) => return bad(e),
            };
            let systems = systems_of(tiers);
            let mut ok = Vec::new();
            let mut gaps = Vec::new();
            for s in &systems {
                match &s.last_restore_test {
                    Some(d) if d.value.plus_months(months) >= ctx.today => {
                        ok.push((d.span, format!("`{}` restored {}", s.id.value, d.value)));
                    }
                    Some(d) => gaps.push((
                        d.span,
                        format!("`{}` last restored {}", s.id.value, d.value),
                    )),
                    None => {
                        gaps.push((s.id.span, format!("`{}` never restore-tested", s.id.value)));
                    }
                }
            }
            all_or_gaps(
                systems.len(),
                gaps,
                ok,
                format!(
                    "systems of {} functions restore-tested within {months} months",
                    tier_words(tiers)
                ),
            )
        }
        Check::DrLevel { min, tiers } => {
            let value = get(min)?;
            let level: u8 = match value.trim().parse() {
                Ok(l) if (1..=6).contains(&l) => l,
                _ => return bad(format!("`{value}` is not a level from 1 to 6")),
            };
            let systems = systems_of(tiers);
            let mut ok = Vec::new();
            let mut gaps = Vec::new();
            for s in &systems {
                let site = s
                    .dr_site
                    .as_ref()
                    .and_then(|d| plan.sites.iter().find(|x| x.id.value == d.value));
                match site.and_then(|x| x.dr_level.as_ref().map(|l| (x, l))) {
                    Some((x, l)) if l.value >= level => ok.push((
                        l.span,
                        format!("`{}` -> `{}` level {}", s.id.value, x.id.value, l.value),
                    )),
                    Some((x, l)) => gaps.push((
                        l.span,
                        format!(
                            "`{}` -> `{}` level {} < {level}",
                            s.id.value, x.id.value, l.value
                        ),
                    )),
                    None => gaps.push((
                        s.id.span,
                        format!("`{}` has no DR site with a level", s.id.value),
                    )),
                }
            }
            all_or_gaps(
                systems.len(),
                gaps,
                ok,
                format!(
                    "systems of {} functions failing over to a DR site of level {level} or more",
                    tier_words(tiers)
                ),
            )
        }
        Check::TeamKind { team } => {
            let found = plan.teams.iter().find(|t| {
                serde_json::to_value(t.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .as_deref()
                    == Some(team.as_str())
            });
            match found {
                Some(t) => (
                    Status::Met,
                    format!("team `{}` is the {team} team", t.id.value),
                    vec![(t.id.span, t.id.value.clone())],
                ),
                None => (
                    Status::Unmet,
                    format!("no team of kind `{team}`"),
                    Vec::new(),
                ),
            }
        }
        Check::NoFindings { codes } => {
            let hits: Vec<&Diagnostic> = ctx
                .checked
                .diagnostics
                .iter()
                .filter(|d| d.counts() && codes.iter().any(|c| d.code.starts_with(c.as_str())))
                .collect();
            let accepted = ctx
                .checked
                .diagnostics
                .iter()
                .filter(|d| !d.counts() && codes.iter().any(|c| d.code.starts_with(c.as_str())))
                .count();
            if ctx.checked.analysis.is_none() {
                (
                    Status::Unmet,
                    "the analysis did not run: the plan has structural errors".into(),
                    Vec::new(),
                )
            } else if hits.is_empty() {
                let extra = if accepted > 0 {
                    format!(" ({accepted} accepted by exceptions)")
                } else {
                    String::new()
                };
                (
                    Status::Met,
                    format!("no {} findings{extra}", codes.join("/")),
                    Vec::new(),
                )
            } else {
                (
                    Status::Unmet,
                    format!("{} {} findings", hits.len(), codes.join("/")),
                    hits.iter()
                        .filter_map(|d| d.span.map(|s| (s, format!("{}: {}", d.code, d.message))))
                        .collect(),
                )
            }
        }
        Check::StrategiesPriced => {
            let chosen: Vec<_> = plan
                .strategies
                .iter()
                .filter(|s| s.chosen && s.recovery_time.is_some())
                .collect();
            let mut ok = Vec::new();
            let mut gaps = Vec::new();
            for s in &chosen {
                if s.annual_cost.is_some() {
                    ok.push((s.id.span, format!("`{}` priced", s.id.value)));
                } else {
                    gaps.push((s.id.span, format!("`{}` has no annual_cost", s.id.value)));
                }
            }
            all_or_gaps(
                chosen.len(),
                gaps,
                ok,
                "chosen recovery strategies with an annual cost".into(),
            )
        }
    })
}

/// Whether a section or field is there, and where.
enum Found {
    At(Span),
    Missing,
    /// A name the check vocabulary does not know (a typo in a profile).
    Unknown,
}

impl From<Option<Span>> for Found {
    fn from(at: Option<Span>) -> Self {
        at.map_or(Found::Missing, Found::At)
    }
}

/// Whether a section is present and not empty.
fn section_first(plan: &Plan, section: &str) -> Found {
    fn first<T>(list: &[crate::model::Sp<T>]) -> Option<Span> {
        list.first().map(|x| x.span)
    }
    let m = &plan.meta;
    let at = plan.meta_span;
    Found::from(match section {
        "people" => first(&plan.people),
        "teams" => first(&plan.teams),
        "call_tree" => plan
            .call_tree
            .as_ref()
            .filter(|t| !t.tree.is_empty())
            .map(|t| t.span),
        "risks" => first(&plan.risks),
        "functions" => first(&plan.functions),
        "strategies" => first(&plan.strategies),
        "emergency_response" => plan.emergency_response.as_ref().map(|r| r.span),
        "procedures" => first(&plan.procedures),
        "systems" => first(&plan.systems),
        "sites" => first(&plan.sites),
        "suppliers" => first(&plan.suppliers),
        "resources" => first(&plan.resources),
        "training" => first(&plan.training),
        "scenarios" => first(&plan.scenarios),
        "exercises" => first(&plan.exercises),
        "scope" => (m.scope.summary.is_some() || !m.scope.units.is_empty()).then_some(at),
        "objectives" => (!m.objectives.is_empty()).then_some(at),
        "approvals" => m.approvals.first().map(|a| a.span),
        "review" => m.review.as_ref().map(|r| r.span),
        "change_log" => m.change_log.first().map(|c| c.span),
        "distribution" => m.distribution.first().map(|d| d.span),
        "max_tolerable_interruption" => m.max_tolerable_interruption.as_ref().map(|d| d.span),
        "max_data_loss" => m.max_data_loss.as_ref().map(|d| d.span),
        _ => return Found::Unknown,
    })
}

/// Whether a function has a field: `Some(Some(where))`, `Some(None)` when not, `None` for an
/// unknown field.
fn function_field(plan: &Plan, f: &crate::model::Sp<crate::model::Function>, field: &str) -> Found {
    let id = f.id.span;
    let set = |yes: bool| yes.then_some(id);
    Found::from(match field {
        "owner" => f.owner.as_ref().map(|o| o.span),
        "rto" => Some(f.rto.span),
        "mtd" => Some(f.mtd.span),
        "rpo" => f.rpo.as_ref().map(|r| r.span),
        "loss_per_day" => set(f.loss_per_day.is_some()),
        "impacts" => set(!f.impacts.is_empty()),
        "recovery_targets" => f.recovery_targets.first().map(|t| t.span),
        "staff" => f.resources.staff.as_ref().map(|s| s.span),
        "key_people" => set(!f.resources.key_people.is_empty()),
        "depends_on" => set(!f.depends_on.is_empty()),
        "workaround" => f.workaround.as_ref().map(|w| w.span),
        "procedure" => plan
            .procedures
            .iter()
            .find(|p| p.recovers.iter().any(|r| r.value == f.id.value))
            .map(|p| p.id.span),
        "strategy" => plan
            .strategies
            .iter()
            .find(|s| s.chosen && s.covers.iter().any(|c| c.value == f.id.value))
            .map(|s| s.id.span),
        "risk" => plan
            .risks
            .iter()
            .find(|r| r.affects.iter().any(|a| a.value == f.id.value))
            .map(|r| r.id.span),
        _ => return Found::Unknown,
    })
}

/// Whether a system has a field, and where.
fn system_field(plan: &Plan, s: &crate::model::Sp<crate::model::System>, field: &str) -> Found {
    Found::from(match field {
        "rpo" => s.rpo.as_ref().map(|r| r.span),
        "backups" => s.backups.first().map(|b| b.span),
        "offsite_backup" => s.backups.iter().find(|b| b.offsite).map(|b| b.span),
        "dr_site" => s.dr_site.as_ref().map(|d| d.span),
        "last_restore_test" => s.last_restore_test.as_ref().map(|d| d.span),
        "procedure" => plan
            .procedures
            .iter()
            .find(|p| p.recovers.iter().any(|r| r.value == s.id.value))
            .map(|p| p.id.span),
        "config_backed_up" => s.config_backed_up.then_some(s.id.span),
        _ => return Found::Unknown,
    })
}

/// P001/P002 findings from a coverage matrix, for `bcp validate --profile`.
pub fn findings(c: &Coverage) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in &c.requirements {
        let d = match r.status {
            Status::Unmet => Diagnostic::error(
                "P001",
                t!(
                    "P001.message",
                    profile = c.profile,
                    id = r.id,
                    clause = r.clause,
                    title = r.title
                ),
            )
            .help(t!("P001.help", detail = r.detail, profile = c.profile)),
            Status::ParameterMissing => Diagnostic::warning(
                "P002",
                t!(
                    "P002.message",
                    profile = c.profile,
                    id = r.id,
                    clause = r.clause,
                    detail = r.detail
                ),
            )
            .help(t!("P002.help")),
            _ => continue,
        };
        let mut d = d.target(&r.id);
        if let Some(first) = r.evidence.first() {
            d = d.at(first.span).label(first.note.clone());
            for e in r.evidence.iter().skip(1).take(4) {
                d = d.also(e.span, e.note.clone());
            }
        }
        out.push(d);
    }
    out
}

/// The coverage matrix as text, for a terminal: escaped with `escape::terminal` where
/// [`command`] prints it (the table's cells by `graph::report::table`).
pub fn table(c: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", c.title, c.profile);
    let _ = writeln!(
        out,
        "{} met, {} unmet, {} not applicable, {} parameter missing\n",
        c.count(Status::Met),
        c.count(Status::Unmet),
        c.count(Status::NotApplicable),
        c.count(Status::ParameterMissing)
    );
    let rows: Vec<Vec<String>> = c
        .requirements
        .iter()
        .map(|r| {
            let evidence = r
                .evidence
                .first()
                .map_or_else(|| "-".into(), |e| format!("{}:{}", e.file, e.line));
            vec![
                r.id.clone(),
                r.clause.clone(),
                r.status.as_str().to_string(),
                evidence,
                format!("{}: {}", r.title, r.detail),
            ]
        })
        .collect();
    out.push_str(&crate::graph::report::table(
        &[
            "requirement",
            "clause",
            "status",
            "evidence",
            "title: detail",
        ],
        &rows,
    ));
    out
}

/// The coverage matrix as Markdown (also the body of `--doc compliance`).
pub fn markdown(c: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", escape_inline(&c.title));
    let _ = writeln!(
        out,
        "{} met, {} unmet, {} not applicable, {} parameter missing.\n",
        c.count(Status::Met),
        c.count(Status::Unmet),
        c.count(Status::NotApplicable),
        c.count(Status::ParameterMissing)
    );
    out.push_str(
        "| requirement | clause | title | status | evidence |\n| --- | --- | --- | --- | --- |\n",
    );
    for r in &c.requirements {
        let evidence: Vec<String> = r
            .evidence
            .iter()
            .take(3)
            .map(|e| format!("`{}:{}`", e.file.replace('`', "'"), e.line))
            .collect();
        let more = r.evidence.len().saturating_sub(3);
        let _ = writeln!(
            out,
            "| {} | {} | {} | **{}** — {} | {}{} |",
            escape_inline(&r.id),
            escape_inline(&r.clause),
            escape_inline(&r.title),
            r.status.as_str(),
            escape_inline(&r.detail),
            if evidence.is_empty() {
                "—".to_string()
            } else {
                evidence.join(" ")
            },
            if more > 0 {
                format!(" (+{more})")
            } else {
                String::new()
            }
        );
    }
    out
}

pub fn json(c: &Coverage) -> String {
    let mut text = serde_json::to_string_pretty(c).unwrap_or_default();
    text.push('\n');
    text
}

/// Parses `--set name=value`.
///
/// # Errors
/// [`Error::Usage`] for an entry without `=`.
pub fn parse_set(items: &[String]) -> Result<BTreeMap<String, String>, Error> {
    items
        .iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| Error::Usage {
                    message: format!(
                        "`--set {s}`: write NAME=VALUE, e.g. `--set important_rto_max=4h`"
                    ),
                })
        })
        .collect()
}

/// `bcp audit`.
///
/// # Errors
/// [`Error`] when the plan cannot be read or the profile is unknown or malformed.
pub fn command(args: &AuditArgs) -> Result<Outcome, Error> {
    if args.list {
        let mut out = String::new();
        for name in builtin_names() {
            let p = profile(name, Path::new(""))?;
            let _ = writeln!(
                out,
                "{name:<16} {} ({} requirements)",
                p.title.en,
                p.requirements.len()
            );
        }
        crate::print(&crate::human(out))?;
        return Ok(Outcome::Clean);
    }
    let Some(name) = &args.profile else {
        return Err(Error::Usage {
            message: "name a profile with `--profile NAME`\nhelp: `bcp audit --list` lists them"
                .into(),
        });
    };
    let ctx_check = check::Context {
        today: args.today.date(),
    };
    let checked = crate::load_and_check(&args.path, &ctx_check)?;
    let p = profile(name, &checked.loaded.root)?;
    let set = parse_set(&args.set)?;
    let coverage = audit(
        &p,
        &Ctx {
            checked: &checked,
            today: args.today.date(),
            lang: args.lang.unwrap_or(checked.loaded.plan.meta.lang),
            set: &set,
        },
    );
    crate::print(&match args.format {
        AuditFormat::Table => crate::human(table(&coverage)),
        AuditFormat::Markdown => markdown(&coverage),
        AuditFormat::Json => json(&coverage),
    })?;
    Ok(if coverage.count(Status::Unmet) > 0 {
        Outcome::PlanErrors
    } else {
        Outcome::Clean
    })
}
