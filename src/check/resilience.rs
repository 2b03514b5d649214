//! §9 backups against RPO and restore tests, §10 suppliers: single points of failure and
//! stale continuity assessments.

use super::{Context, Index, Kind};
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, SystemKind, Tier};
use crate::t;
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
                    t!(
                        "D001.message",
                        id,
                        every = best.every.value,
                        rpo = rpo.value
                    ),
                )
                .at(best.every.span)
                .label(t!("D001.label"))
                .also(rpo.span, t!("D001.rpo"))
                .help(t!("D001.help", rpo = rpo.value))
                .target(id),
            ),
            None if matches!(
                s.kind,
                SystemKind::Application | SystemKind::Database | SystemKind::DataSet
            ) =>
            {
                out.push(
                    Diagnostic::warning("D002", t!("D002.message", id, rpo = rpo.value))
                        .at(s.id.span)
                        .help(t!("D002.help"))
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
                Diagnostic::warning("D003", t!("D003.old.message", id, date = date.value))
                    .at(date.span)
                    .help(t!("D003.help"))
                    .target(id),
            ),
            Some(_) => {}
            None => out.push(
                Diagnostic::warning("D003", t!("D003.never.message", id))
                    .at(s.id.span)
                    .help(t!("D003.help"))
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
            Some(f) if !s.critical => t!("S001.why.serves", function = f),
            Some(f) => t!("S001.why.both", function = f),
            None => t!("S001.why.marked"),
        };
        let has_alternate = s
            .alternates
            .iter()
            .any(|a| index.kind(a) == Some(Kind::Supplier));
        match &s.bcp_assessed {
            None if !has_alternate => out.push(
                Diagnostic::error("S001", t!("S001.message", id, why))
                    .at(s.id.span)
                    .label(t!("S001.label"))
                    .help(t!("S001.help"))
                    .target(id),
            ),
            Some(date) if date.value.plus_months(months) < ctx.today => out.push(
                Diagnostic::warning(
                    "S003",
                    t!("S003.message", id, why, date = date.value, months),
                )
                .at(date.span)
                .label(t!("S003.label"))
                .help(t!("S003.help", default = SUPPLIER_ASSESSMENT_MONTHS))
                .target(id),
            ),
            _ => {}
        }
    }
}
