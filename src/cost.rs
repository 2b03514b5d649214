//! The cost trade-off of continuity strategies (§6, 成本因素): per function, what an outage
//! costs as it lasts longer, what each strategy option costs a year and how fast it recovers,
//! which option was chosen, and where cost and expected loss balance.
//!
//! The model, kept simple enough to check by hand:
//! - an outage of a function costs `loss_per_day` for every day it lasts (linear; the
//!   `impacts` over time say how the harm grows, but carry no amounts);
//! - outages happen as often as the risks that `affect` the function: each risk's likelihood
//!   (1-5) stands for [`INCIDENTS_PER_YEAR`] incidents a year, summed over the risks;
//! - a strategy option with a `recovery_time` ends the outage after that time; its
//!   `annual_cost` is shared among the functions it covers in proportion to their
//!   `loss_per_day` (equally when none has one);
//! - without the chosen options an outage lasts the longer of the MTD and the slowest option on
//!   record: the most the chosen options can prevent is the loss between that and the
//!   fastest chosen option (F003);
//! - an option's yearly total is its cost share plus the expected loss of the outages it still
//!   leaves (incidents a year x loss per incident); the balance point is the option with the
//!   lowest total.
//!
//! Prevention strategies (no `recovery_time`) lower the likelihood rather than the duration:
//! they are listed but take no part in the trade-off.

// Money and rates are computed in f64: amounts are far below 2^52, and results are rounded
// to whole units before they are printed or compared.
#![allow(clippy::cast_precision_loss)]

use crate::diagnostic::Diagnostic;
use crate::model::{Duration, Function, Plan, Strategy, Tier};
use crate::t;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Incidents a year a risk of likelihood 1 (rare) .. 5 (almost certain) stands for: once in
/// 50 years, once in 10, once in 3, once a year, three times a year.
pub const INCIDENTS_PER_YEAR: [f64; 5] = [0.02, 0.1, 0.3, 1.0, 3.0];

const MINUTES_PER_DAY: f64 = 24.0 * 60.0;

/// The trade-off of every function that has a `loss_per_day` or a strategy option covering it.
#[derive(Clone, Debug, Serialize)]
pub struct CostReport {
    pub currency: Option<String>,
    pub functions: Vec<FunctionCost>,
}

/// One function's trade-off.
#[derive(Clone, Debug, Serialize)]
pub struct FunctionCost {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub rto: Duration,
    pub mtd: Duration,
    pub loss_per_day: Option<u64>,
    /// Expected incidents a year from the risks that affect the function; `None` when no
    /// risk names it.
    pub incidents_per_year: Option<f64>,
    /// Ids of those risks.
    pub risks: Vec<String>,
    /// Strategy options covering the function, fastest first (prevention strategies last).
    pub options: Vec<OptionCost>,
    /// Id of the option with the lowest yearly total, when totals are known.
    pub balance: Option<String>,
}

/// One strategy option as seen from one function.
#[derive(Clone, Debug, Serialize)]
pub struct OptionCost {
    pub id: String,
    pub name: String,
    pub chosen: bool,
    pub annual_cost: Option<u64>,
    pub recovery_time: Option<Duration>,
    /// The part of `annual_cost` borne by this function.
    pub cost_share: Option<u64>,
    /// Whether the recovery time is within the function's RTO.
    pub meets_rto: Option<bool>,
    /// Loss of one outage that lasts the recovery time.
    pub loss_per_incident: Option<u64>,
    /// Incidents a year x loss per incident.
    pub expected_annual_loss: Option<u64>,
    /// Cost share plus expected annual loss.
    pub total: Option<u64>,
}

impl FunctionCost {
    /// Options that take part in the trade-off: a recovery time and an annual cost.
    pub fn priced(&self) -> impl Iterator<Item = &OptionCost> {
        self.options
            .iter()
            .filter(|o| o.recovery_time.is_some() && o.annual_cost.is_some())
    }

    /// Loss of an outage of this length, when the function has a `loss_per_day`.
    pub fn loss_after(&self, d: Duration) -> Option<u64> {
        self.loss_per_day.map(|l| scale(l, d))
    }
}

/// `per_day` for the length of `d`, rounded to a whole unit.
fn scale(per_day: u64, d: Duration) -> u64 {
    round(per_day as f64 * d.minutes() as f64 / MINUTES_PER_DAY)
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn round(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        x.round().min(u64::MAX as f64) as u64
    } else {
        0
    }
}

/// The trade-off for every function of the plan, in plan order. Strategies and risks are
/// indexed by the functions they name first, so the pass is linear in the plan's size.
pub fn analyse(plan: &Plan) -> CostReport {
    let losses: BTreeMap<&str, Option<u64>> = plan
        .functions
        .iter()
        .map(|f| (f.id.as_str(), f.loss_per_day))
        .collect();
    let mut covering: BTreeMap<&str, Vec<&Strategy>> = BTreeMap::new();
    for s in &plan.strategies {
        for c in &s.covers {
            covering.entry(c.as_str()).or_default().push(&s.value);
        }
    }
    let mut affecting: BTreeMap<&str, Vec<&crate::model::Risk>> = BTreeMap::new();
    for r in &plan.risks {
        for a in &r.affects {
            affecting.entry(a.as_str()).or_default().push(&r.value);
        }
    }
    // Per strategy: the functions it covers that exist, and their summed loss per day.
    let shares: BTreeMap<&str, (usize, u64)> = plan
        .strategies
        .iter()
        .map(|s| {
            let known: Vec<Option<u64>> = s
                .covers
                .iter()
                .filter_map(|c| losses.get(c.as_str()).copied())
                .collect();
            let total = known.iter().flatten().sum();
            (s.id.as_str(), (known.len(), total))
        })
        .collect();
    let mut rows = Vec::new();
    for f in &plan.functions {
        let strategies = covering.get(f.id.as_str()).map_or(&[][..], Vec::as_slice);
        if f.loss_per_day.is_none() && strategies.is_empty() {
            continue;
        }
        let risks = affecting.get(f.id.as_str()).map_or(&[][..], Vec::as_slice);
        let incidents = (!risks.is_empty())
            .then(|| {
                risks
                    .iter()
                    .map(|r| INCIDENTS_PER_YEAR[usize::from(r.likelihood.value.clamp(1, 5)) - 1])
                    .sum::<f64>()
            })
            .map(|n| (n * 100.0).round() / 100.0);
        let mut options: Vec<OptionCost> = strategies
            .iter()
            .map(|s| {
                let share = shares.get(s.id.as_str()).copied().unwrap_or((1, 0));
                option(s, f, share, incidents)
            })
            .collect();
        options.sort_by(|a, b| {
            (a.recovery_time.is_none(), a.recovery_time, &a.id).cmp(&(
                b.recovery_time.is_none(),
                b.recovery_time,
                &b.id,
            ))
        });
        options.dedup_by(|a, b| a.id == b.id);
        let balance = options
            .iter()
            .filter_map(|o| o.total.map(|t| (t, o.recovery_time, &o.id)))
            .min()
            .map(|(_, _, id)| id.clone());
        rows.push(FunctionCost {
            id: f.id.value.clone(),
            name: f.name.clone(),
            tier: f.tier.value,
            rto: f.rto.value,
            mtd: f.mtd.value,
            loss_per_day: f.loss_per_day,
            incidents_per_year: incidents,
            risks: risks.iter().map(|r| r.id.value.clone()).collect(),
            options,
            balance,
        });
    }
    CostReport {
        currency: plan.meta.currency.clone(),
        functions: rows,
    }
}

/// One option for one function; `share` is (functions the strategy covers, their summed
/// loss per day).
fn option(s: &Strategy, f: &Function, share: (usize, u64), incidents: Option<f64>) -> OptionCost {
    let (covered, total_loss) = share;
    let cost_share = s.annual_cost.map(|cost| {
        if total_loss > 0 {
            round(cost as f64 * f.loss_per_day.unwrap_or(0) as f64 / total_loss as f64)
        } else {
            round(cost as f64 / covered.max(1) as f64)
        }
    });
    let recovery_time = s.recovery_time.as_ref().map(|t| t.value);
    let loss_per_incident = recovery_time.zip(f.loss_per_day).map(|(t, l)| scale(l, t));
    let expected_annual_loss = loss_per_incident
        .zip(incidents)
        .map(|(loss, n)| round(loss as f64 * n));
    OptionCost {
        id: s.id.value.clone(),
        name: s.name.clone(),
        chosen: s.chosen,
        annual_cost: s.annual_cost,
        recovery_time,
        cost_share,
        meets_rto: recovery_time.map(|t| t <= f.rto.value),
        loss_per_incident,
        expected_annual_loss,
        total: cost_share
            .zip(expected_annual_loss)
            .map(|(c, l)| c.saturating_add(l)),
    }
}

/// The functions the full plan draws a cost chart for: critical, with a `loss_per_day` and at
/// least one priced option, in plan order.
pub fn charted(report: &CostReport) -> Vec<&FunctionCost> {
    report
        .functions
        .iter()
        .filter(|f| {
            f.tier == Tier::Critical && f.loss_per_day.is_some() && f.priced().next().is_some()
        })
        .collect()
}

/// The cost findings (F001-F003) of a plan.
pub fn findings(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let report = analyse(plan);
    let currency = plan.meta.currency.as_deref();
    let strategies: BTreeMap<&str, &crate::model::Sp<Strategy>> =
        plan.strategies.iter().map(|s| (s.id.as_str(), s)).collect();
    let functions: BTreeMap<&str, &crate::model::Sp<Function>> =
        plan.functions.iter().map(|f| (f.id.as_str(), f)).collect();
    let strategy = |id: &str| strategies.get(id).copied();
    let function = |id: &str| functions.get(id).copied();
    for fc in &report.functions {
        let Some(f) = function(&fc.id) else {
            continue;
        };
        // F001: a chosen option slower than the RTO it is meant to meet.
        for o in fc.options.iter().filter(|o| o.chosen) {
            let (Some(s), Some(t)) = (strategy(&o.id), o.recovery_time) else {
                continue;
            };
            if t <= fc.rto {
                continue;
            }
            let Some(at) = s.recovery_time.as_ref().map(|r| r.span) else {
                continue;
            };
            out.push(
                Diagnostic::error(
                    "F001",
                    t!(
                        "F001.message",
                        strategy = o.id,
                        id = fc.id,
                        time = t,
                        rto = fc.rto
                    ),
                )
                .at(at)
                .label(t!("F001.label", time = t))
                .also(f.rto.span, t!("F001.rto", id = fc.id))
                .help(t!("F001.help"))
                .target(&fc.id),
            );
        }
        // F002: a rejected option that meets the RTO for less than a chosen one costs.
        let chosen_priced: Vec<&OptionCost> = fc.priced().filter(|o| o.chosen).collect();
        for r in fc
            .priced()
            .filter(|o| !o.chosen && o.meets_rto == Some(true))
        {
            let (Some(cost), Some(s)) = (r.annual_cost, strategy(&r.id)) else {
                continue;
            };
            let dearer = chosen_priced
                .iter()
                .filter(|c| c.annual_cost.is_some_and(|c| c > cost))
                .max_by_key(|c| (c.annual_cost, std::cmp::Reverse(&c.id)));
            let Some(c) = dearer else {
                continue;
            };
            out.push(
                Diagnostic::warning(
                    "F002",
                    t!(
                        "F002.message",
                        strategy = r.id,
                        rto = fc.rto,
                        id = fc.id,
                        time = r.recovery_time.map(|t| t.to_string()).unwrap_or_default(),
                        cost = money(cost, currency),
                        chosen = c.id,
                        chosen_cost = money(c.annual_cost.unwrap_or(0), currency),
                    ),
                )
                .at(s.id.span)
                .label(t!("F002.label"))
                .help(t!("F002.help"))
                .target(&fc.id),
            );
        }
        // F003: chosen options cost more a year than they could possibly save.
        let (Some(per_day), Some(incidents)) = (fc.loss_per_day, fc.incidents_per_year) else {
            continue;
        };
        let Some(fastest) = chosen_priced.iter().filter_map(|o| o.recovery_time).min() else {
            continue;
        };
        let spent: u64 = chosen_priced.iter().filter_map(|o| o.cost_share).sum();
        // Without the chosen options an outage lasts at least the MTD, and at least as long
        // as the slowest option on record would take.
        let without = fc
            .priced()
            .filter_map(|o| o.recovery_time)
            .max()
            .map_or(fc.mtd, |t| t.max(fc.mtd));
        let saved_minutes = without.minutes().saturating_sub(fastest.minutes());
        let preventable =
            round(per_day as f64 * saved_minutes as f64 / MINUTES_PER_DAY * incidents);
        if spent > preventable {
            out.push(
                Diagnostic::warning(
                    "F003",
                    t!(
                        "F003.message",
                        id = fc.id,
                        spent = money(spent, currency),
                        preventable = money(preventable, currency),
                    ),
                )
                .at(f.id.span)
                .label(t!("F003.label"))
                .help(t!(
                    "F003.help",
                    without,
                    fastest,
                    per_day = money(per_day, currency),
                    saved = Duration::from_minutes(saved_minutes),
                    rate = rate(incidents),
                    risks = fc.risks.join(", "),
                ))
                .target(&fc.id),
            );
        }
    }
}

/// `GBP 85,000`, or `85,000` without a currency.
pub fn money(amount: u64, currency: Option<&str>) -> String {
    let digits = amount.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match currency {
        Some(c) => format!("{c} {grouped}"),
        None => grouped,
    }
}

/// Incidents a year with two decimals, without trailing zeros.
pub fn rate(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `bcp cost` as text, for a terminal: escaped with `escape::terminal` where `lib::run` prints
/// it (the option tables' cells by `graph::report::table`).
pub fn table(report: &CostReport) -> String {
    let mut out = String::new();
    let cur = report.currency.as_deref();
    let dash = || "-".to_string();
    let _ = writeln!(
        out,
        "cost trade-off: {} functions{}",
        report.functions.len(),
        cur.map(|c| format!(" (amounts in {c})"))
            .unwrap_or_default()
    );
    out.push_str("(yearly total = the option's share of its annual cost + incidents a year x loss per incident)\n");
    for f in &report.functions {
        let _ = writeln!(
            out,
            "\n{} ({}): {}, RTO {}, MTD {}, loss per day {}, {} incidents a year{}",
            f.id,
            f.tier.as_str(),
            f.name,
            f.rto,
            f.mtd,
            f.loss_per_day.map_or_else(dash, |l| money(l, None)),
            f.incidents_per_year.map_or_else(dash, rate),
            if f.risks.is_empty() {
                " (no risk names it)".to_string()
            } else {
                format!(" ({})", f.risks.join(", "))
            }
        );
        if f.options.is_empty() {
            out.push_str("  no strategy covers it\n");
            continue;
        }
        let rows: Vec<Vec<String>> = f
            .options
            .iter()
            .map(|o| {
                let mark = if f.balance.as_deref() == Some(o.id.as_str()) {
                    " <- balance"
                } else {
                    ""
                };
                vec![
                    o.id.clone(),
                    if o.chosen { "chosen" } else { "rejected" }.to_string(),
                    o.recovery_time.map_or_else(dash, |t| t.to_string()),
                    match o.meets_rto {
                        Some(true) => "yes".to_string(),
                        Some(false) => "NO".to_string(),
                        None => dash(),
                    },
                    o.annual_cost.map_or_else(dash, |c| money(c, None)),
                    o.cost_share.map_or_else(dash, |c| money(c, None)),
                    o.loss_per_incident.map_or_else(dash, |c| money(c, None)),
                    o.expected_annual_loss.map_or_else(dash, |c| money(c, None)),
                    format!("{}{mark}", o.total.map_or_else(dash, |c| money(c, None))),
                ]
            })
            .collect();
        out.push_str(&crate::graph::report::table(
            &[
                "option",
                "status",
                "recovery",
                "in RTO",
                "annual cost",
                "share",
                "loss/incident",
                "expected loss/yr",
                "yearly total",
            ],
            &rows,
        ));
    }
    out
}

/// `bcp cost --format json`.
pub fn json(report: &CostReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}
