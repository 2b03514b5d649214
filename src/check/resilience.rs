//! §9 backups against RPO and restore tests, §10 suppliers as single points of failure.

use super::{Context, Index, Kind};
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, SystemKind, Tier};
use std::collections::HashSet;

pub fn check(plan: &Plan, index: &Index, ctx: &Context, out: &mut Vec<Diagnostic>) {
    backups(plan, ctx, out);
    suppliers(plan, index, out);
}

fn backups(plan: &Plan, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let year_ago = ctx.today.plus_days(-365);
    for s in &plan.systems {
        let id = s.id.as_str();
        // Several schemes may serve one system (daily full + 15-minute logs): the most frequent
        // decides the data that can be lost.
        match s.backups.iter().min_by_key(|b| b.every.value) {
            Some(best) if best.every.value > s.rpo.value => out.push(
                Diagnostic::error(
                    "D001",
                    format!(
                        "system `{id}` is backed up every {} but its RPO is {}",
                        best.every.value, s.rpo.value
                    ),
                )
                .at(best.every.span)
                .label("backup interval")
                .also(s.rpo.span, "recovery point objective")
                .help(format!(
                    "back up or replicate at least every {}, or relax the RPO",
                    s.rpo.value
                )),
            ),
            None if matches!(
                s.kind,
                SystemKind::Application | SystemKind::Database | SystemKind::DataSet
            ) =>
            {
                out.push(
                    Diagnostic::warning(
                        "D002",
                        format!("system `{id}` has an RPO of {} but no backup", s.rpo.value),
                    )
                    .at(s.id.span)
                    .help("add a `backups:` entry (type, every, location, offsite)"),
                );
            }
            Some(_) | None => {}
        }
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
                    .help("test a restore from backup and record the date in `last_restore_test`"),
                ),
                Some(_) => {}
                None => out.push(
                    Diagnostic::warning(
                        "D003",
                        format!("system `{id}` has backups but no recorded restore test"),
                    )
                    .at(s.id.span)
                    .help("test a restore from backup and record the date in `last_restore_test`"),
                ),
            }
        }
    }
}

/// S001: a supplier is critical when marked so or when a critical function depends on it.
fn suppliers(plan: &Plan, index: &Index, out: &mut Vec<Diagnostic>) {
    let needed_by_critical: HashSet<&str> = plan
        .functions
        .iter()
        .filter(|f| f.tier.value == Tier::Critical)
        .flat_map(|f| f.depends_on.suppliers.iter().map(|s| s.as_str()))
        .collect();
    for s in &plan.suppliers {
        let id = s.id.as_str();
        let critical = s.critical || needed_by_critical.contains(id);
        let has_alternate = s
            .alternates
            .iter()
            .any(|a| index.kind(a) == Some(Kind::Supplier));
        if critical && !has_alternate && s.bcp_assessed.is_none() {
            let why = if s.critical {
                "is marked critical"
            } else {
                "serves a critical function"
            };
            out.push(
                Diagnostic::error("S001", format!("supplier `{id}` {why} but has no alternate and no assessed BCP"))
                    .at(s.id.span)
                    .label("single point of failure")
                    .help("add `alternates: [<supplier id>]`, or assess the supplier's own continuity plan and record `bcp_assessed: <date>`"),
            );
        }
    }
}
