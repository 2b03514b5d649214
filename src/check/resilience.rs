//! §9 backups against RPO and restore tests, §10 suppliers: single points of failure and
//! stale continuity assessments.

use super::{Context, Index, Kind};
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, SystemKind, Tier};
use std::collections::HashMap;

/// Months after which a critical supplier's BCP assessment is stale, unless the plan says.
pub const SUPPLIER_ASSESSMENT_MONTHS: u32 = 24;

pub fn check(plan: &Plan, index: &Index, ctx: &Context, out: &mut Vec<Diagnostic>) {
    backups(plan, ctx, out);
    suppliers(plan, index, ctx, out);
}

fn backups(plan: &Plan, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let year_ago = ctx.today.plus_days(-365);
    for s in &plan.systems {
        let id = s.id.as_str();
        // A system without an RPO (`n/a`, or none given) holds no data to lose.
        let Some(rpo) = s.rpo_duration() else {
            restore_test(s, year_ago, out);
            continue;
        };
        // Several schemes may serve one system (daily full + 15-minute logs): the most frequent
        // decides the data that can be lost.
        match s.backups.iter().min_by_key(|b| b.every.value) {
            Some(best) if best.every.value > rpo.value => out.push(
                Diagnostic::error(
                    "D001",
                    format!(
                        "system `{id}` is backed up every {} but its RPO is {}",
                        best.every.value, rpo.value
                    ),
                )
                .at(best.every.span)
                .label("backup interval")
                .also(rpo.span, "recovery point objective")
                .help(format!(
                    "back up or replicate at least every {}, or relax the RPO",
                    rpo.value
                ))
                .target(id),
            ),
            None if matches!(
                s.kind,
                SystemKind::Application | SystemKind::Database | SystemKind::DataSet
            ) =>
            {
                out.push(
                    Diagnostic::warning(
                        "D002",
                        format!("system `{id}` has an RPO of {} but no backup", rpo.value),
                    )
                    .at(s.id.span)
                    .help("add a `backups:` entry (type, every, location, offsite), or write `rpo: n/a` if the system holds no data")
                    .target(id),
                );
            }
            Some(_) | None => {}
        }
        restore_test(s, year_ago, out);
    }
}

/// D003: backups restore-tested in the last 12 months.
fn restore_test(s: &crate::model::System, year_ago: crate::model::Date, out: &mut Vec<Diagnostic>) {
    let id = s.id.as_str();
    if !s.backups.is_empty() {
        match &s.last_restore_test {
            Some(date) if date.value < year_ago => out.push(
                Diagnostic::warning(
                    "D003",
                    format!(
                        "system `{id}` was last restore-tested on {}, more than 12 months ago",
                        date.value
                    ),
                )
                .at(date.span)
                .help("test a restore from backup and record the date in `last_restore_test`")
                .target(id),
            ),
            Some(_) => {}
            None => out.push(
                Diagnostic::warning(
                    "D003",
                    format!("system `{id}` has backups but no recorded restore test"),
                )
                .at(s.id.span)
                .help("test a restore from backup and record the date in `last_restore_test`")
                .target(id),
            ),
        }
    }
}

/// A supplier is critical when marked so or when a critical function depends on it.
/// S001: no alternate and no assessed BCP. S003: the assessment is older than the plan's
/// `supplier_assessment_months` (default 24).
fn suppliers(plan: &Plan, index: &Index, ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Supplier -> the first critical function (by id) that depends on it.
    let mut needed_by: HashMap<&str, &str> = HashMap::new();
    for f in plan
        .functions
        .iter()
        .filter(|f| f.tier.value == Tier::Critical)
    {
        for s in &f.depends_on.suppliers {
            let slot = needed_by.entry(s.as_str()).or_insert(f.id.as_str());
            if f.id.as_str() < *slot {
                *slot = f.id.as_str();
            }
        }
    }
    let months = plan
        .meta
        .supplier_assessment_months
        .as_ref()
        .map_or(SUPPLIER_ASSESSMENT_MONTHS, |m| m.value);
    for s in &plan.suppliers {
        let id = s.id.as_str();
        let function = needed_by.get(id).copied();
        if !s.critical && function.is_none() {
            continue;
        }
        let why = match function {
            Some(f) if !s.critical => format!("serves critical function `{f}`"),
            Some(f) => format!("is marked critical (and serves critical function `{f}`)"),
            None => "is marked critical".to_string(),
        };
        let has_alternate = s
            .alternates
            .iter()
            .any(|a| index.kind(a) == Some(Kind::Supplier));
        match &s.bcp_assessed {
            None if !has_alternate => out.push(
                Diagnostic::error(
                    "S001",
                    format!("supplier `{id}` {why} but has no alternate and no assessed BCP"),
                )
                .at(s.id.span)
                .label("single point of failure")
                .help("add `alternates: [<supplier id>]`, or assess the supplier's own continuity plan and record `bcp_assessed: <date>`")
                .target(id),
            ),
            Some(date) if date.value.plus_months(months) < ctx.today => out.push(
                Diagnostic::warning(
                    "S003",
                    format!(
                        "supplier `{id}` {why}, but its BCP was last assessed on {}, more than {months} months ago",
                        date.value
                    ),
                )
                .at(date.span)
                .label("assessment out of date")
                .help(format!(
                    "assess the supplier's continuity plan again and record the date in `bcp_assessed` (the plan's `supplier_assessment_months` sets the interval, default {SUPPLIER_ASSESSMENT_MONTHS})"
                ))
                .target(id),
            ),
            _ => {}
        }
    }
}
