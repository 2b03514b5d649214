//! Text and JSON output of `bcp order`, `bcp impact`, `bcp scenarios` and `bcp calltree`. The
//! text is for a terminal: plan text in it is escaped with `escape::terminal` (table cells here,
//! whole reports where `lib::run` prints them).

use super::matrix::Matrix;
use super::{Analysis, CallTreeReport, Impact, NodeKind, Ordered, ScheduledStep, Status};
use crate::model::Plan;
use serde::Serialize;
use std::fmt::Write as _;

/// Columns padded to their widest cell; the last column (names, which may hold wide CJK
/// characters) is not padded, so the others stay aligned whatever the script.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    // Plan text is escaped for the terminal before the widths are measured.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| crate::escape::terminal(cell).into_owned())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        let cells: Vec<&str> = cells.collect();
        let mut text = String::from("  ");
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &mut header.iter().copied());
    for row in &rows {
        line(&mut out, &mut row.iter().map(String::as_str));
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `bcp order` as a table.
pub fn order_table(order: &[Ordered], waves: usize) -> String {
    let mut out = String::new();
    let functions = order
        .iter()
        .filter(|o| o.kind == NodeKind::Function)
        .count();
    let systems = order.len() - functions;
    let over = order.iter().filter(|o| o.over_rto).count();
    let _ = writeln!(
        out,
        "recovery order: {} and {} in {}",
        plural(functions, "function", "functions"),
        plural(systems, "system", "systems"),
        plural(waves, "wave", "waves")
    );
    out.push_str(
        "(achievable: earliest recovery from the start of the disruption, dependencies first)\n\n",
    );
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|o| {
            vec![
                o.position.to_string(),
                o.wave.to_string(),
                o.id.clone(),
                o.kind.as_str().to_string(),
                o.tier.map_or("-", |t| t.as_str()).to_string(),
                o.rto.to_string(),
                o.mtd.map_or_else(|| "-".to_string(), |m| m.to_string()),
                if o.has_procedure || o.achievable > crate::model::Duration::ZERO {
                    o.achievable.to_string()
                } else {
                    "-".to_string()
                },
                if o.over_rto {
                    "OVER RTO"
                } else if !o.has_procedure {
                    "no procedure"
                } else if o.workaround {
                    "ok (workaround)"
                } else {
                    "ok"
                }
                .to_string(),
                o.name.clone(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "#",
            "wave",
            "id",
            "kind",
            "tier",
            "rto",
            "mtd",
            "achievable",
            "status",
            "name",
        ],
        &rows,
    ));
    if over > 0 {
        let _ = writeln!(
            out,
            "\n{} cannot be recovered within the RTO; `bcp validate` prints each critical path",
            plural(over, "function or system", "functions or systems")
        );
    }
    let without = order.iter().filter(|o| !o.has_procedure).count();
    if without > 0 {
        let _ = writeln!(
            out,
            "\n{} no procedure: back when what it depends on is back (\"-\": nothing to wait for)",
            plural(without, "item has", "items have")
        );
    }
    out
}

/// `bcp order --format json`: the ordered list, each with its steps at their times.
pub fn order_json(plan: &Plan, analysis: &Analysis) -> String {
    #[derive(Serialize)]
    struct WithSteps<'a> {
        #[serde(flatten)]
        ordered: &'a Ordered,
        steps: Vec<ScheduledStep>,
    }
    let rows: Vec<WithSteps> = match &analysis.timing {
        Some(t) => analysis
            .order(plan)
            .iter()
            .map(|o| WithSteps {
                ordered: o,
                steps: analysis
                    .node(&o.id)
                    .map(|n| t.steps_of(plan, &analysis.graph, n, o.start))
                    .unwrap_or_default(),
            })
            .collect(),
        None => Vec::new(),
    };
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

/// `bcp impact` as text.
pub fn impact_table(impact: &Impact) -> String {
    let mut out = String::new();
    let s = &impact.scenario;
    if let (Some(id), Some(name)) = (&s.id, &s.name) {
        let _ = writeln!(out, "scenario `{id}`: {name}");
    } else {
        let ids: Vec<String> = s.loses.iter().map(|l| format!("`{l}`")).collect();
        let _ = writeln!(out, "scenario: losing {}", ids.join(", "));
    }
    let mut facts = Vec::new();
    if let Some(d) = s.damage {
        facts.push(format!(
            "damage: {}",
            serde_json::to_value(d)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ));
    }
    if let Some(w) = s.warning_time {
        facts.push(format!("warning: {w}"));
    }
    if let Some(p) = s.staff_unavailable_percent {
        facts.push(format!("staff unavailable: {p}%"));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}", facts.join("; "));
    }
    out.push_str("\nlost:\n");
    for l in &impact.lost {
        let _ = writeln!(
            out,
            "  {} `{}`: {}",
            l.kind,
            l.id,
            l.fallback.as_deref().unwrap_or("no fallback")
        );
    }
    let breached = impact.affected.iter().filter(|a| a.mtd_breached).count();
    let over_rto = impact.affected.iter().filter(|a| a.rto_breached).count();
    let understaffed = impact
        .affected
        .iter()
        .filter(|a| a.staff.is_some_and(|s| s.available < s.minimum))
        .count();
    let staff = if impact.affected.iter().any(|a| a.staff.is_some()) {
        format!(", {understaffed} understaffed")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\naffected functions: {} ({over_rto} over the RTO, {breached} over the MTD{staff})",
        impact.affected.len(),
    );
    if !impact.affected.is_empty() {
        let rows: Vec<Vec<String>> = impact
            .affected
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.tier.map_or("-", |t| t.as_str()).to_string(),
                    a.rto.to_string(),
                    a.mtd.map_or_else(|| "-".to_string(), |m| m.to_string()),
                    if a.via == "staff" {
                        "-".to_string()
                    } else {
                        a.achievable.to_string()
                    },
                    match (a.status, a.staff) {
                        (Status::OverMtd | Status::Unrecoverable, _) => "MTD BREACHED".to_string(),
                        (Status::Understaffed, Some(s)) => {
                            format!("understaffed ({}/{})", s.available, s.minimum)
                        }
                        (status, _) if a.workaround && status == Status::Ok => {
                            "ok (workaround)".to_string()
                        }
                        (status, _) => status.as_str().to_string(),
                    },
                    a.via.clone(),
                    a.name.clone(),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                "id",
                "tier",
                "rto",
                "mtd",
                "achievable",
                "status",
                "via",
                "name",
            ],
            &rows,
        ));
    }
    if !impact.affected_systems.is_empty() {
        let _ = writeln!(out, "\naffected systems: {}", impact.affected_systems.len());
        let rows: Vec<Vec<String>> = impact
            .affected_systems
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.rto.to_string(),
                    a.achievable.to_string(),
                    if a.rto_breached { "over RTO" } else { "ok" }.to_string(),
                    a.via.clone(),
                    a.name.clone(),
                ]
            })
            .collect();
        out.push_str(&table(
            &["id", "rto", "achievable", "status", "via", "name"],
            &rows,
        ));
    }
    if !impact.order.is_empty() {
        out.push_str("\nrecovery order for this scenario:\n");
        let rows: Vec<Vec<String>> = impact
            .order
            .iter()
            .map(|o| {
                vec![
                    o.position.to_string(),
                    o.wave.to_string(),
                    o.kind.as_str().to_string(),
                    o.achievable.to_string(),
                    o.id.clone(),
                ]
            })
            .collect();
        out.push_str(&table(&["#", "wave", "kind", "achievable", "id"], &rows));
    }
    out
}

/// `bcp scenarios` as text: one row per critical or essential function, one column per
/// scenario; each cell the achievable time and, when it is a gap, its status.
pub fn scenarios_table(matrix: &Matrix) -> String {
    let mut out = String::new();
    let Some(first) = matrix.scenarios.first() else {
        out.push_str("the plan declares no scenarios; add `scenarios` to prove them\n");
        return out;
    };
    let _ = writeln!(
        out,
        "scenario matrix: {} and {} critical and essential {}",
        plural(matrix.scenarios.len(), "scenario", "scenarios"),
        first.functions.len(),
        if first.functions.len() == 1 {
            "function"
        } else {
            "functions"
        }
    );
    out.push_str("(achievable time in each scenario; \"-\": the scenario does not touch it; \"staffed\": only its staff is reduced, and enough are left)\n\n");
    let mut header = vec!["function", "tier", "rto", "mtd"];
    header.extend(matrix.scenarios.iter().map(|s| s.id.as_str()));
    header.push("");
    let rows: Vec<Vec<String>> = (0..first.functions.len())
        .map(|i| {
            let f = &first.functions[i];
            let mut row = vec![
                f.id.clone(),
                f.tier.as_str().to_string(),
                f.rto.to_string(),
                f.mtd.to_string(),
            ];
            for s in &matrix.scenarios {
                let c = &s.functions[i];
                let cell = match (c.achievable, c.status) {
                    (_, Status::Unrecoverable) => "UNRECOVERABLE".to_string(),
                    (None, Status::Understaffed) => "UNDERSTAFFED".to_string(),
                    (None, Status::Unaffected) => "-".to_string(),
                    (None, _) => "staffed".to_string(),
                    (Some(a), Status::Ok) => a.to_string(),
                    (Some(a), status) => format!("{a} {}", status.as_str().to_uppercase()),
                };
                row.push(if c.accepted {
                    format!("{cell} (accepted)")
                } else {
                    cell
                });
            }
            row.push(String::new());
            row
        })
        .collect();
    out.push_str(&table(&header, &rows));
    out.push('\n');
    for s in &matrix.scenarios {
        let _ = writeln!(out, "  {}: {}", s.id, s.name);
    }
    let (gaps, accepted) = matrix.gaps();
    if gaps > 0 {
        let accepted = match accepted {
            0 => String::new(),
            n => format!(" ({n} accepted by exceptions)"),
        };
        let _ = writeln!(
            out,
            "\n{}{accepted}; `bcp validate` prints each with its critical path",
            plural(gaps, "gap", "gaps")
        );
    }
    out
}

/// `bcp scenarios --format json`.
pub fn scenarios_json(matrix: &Matrix) -> String {
    let mut text = serde_json::to_string_pretty(matrix).unwrap_or_default();
    text.push('\n');
    text
}

/// `bcp impact --format json`.
pub fn impact_json(impact: &Impact) -> String {
    let mut text = serde_json::to_string_pretty(impact).unwrap_or_default();
    text.push('\n');
    text
}

/// `bcp calltree` as text.
pub fn calltree_table(r: &CallTreeReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "call tree: {} reached in {} ({} a call; calls in sequence, callers in parallel)",
        plural(r.people.len(), "person", "people"),
        r.total,
        crate::model::Duration::from_minutes(u64::from(r.minutes_per_call))
    );
    if let Some(limit) = r.reach_within {
        let met = r.total <= limit;
        let _ = writeln!(
            out,
            "objective: everyone within {limit} ({})",
            if met { "met" } else { "MISSED" }
        );
    }
    if !r.longest_chain.is_empty() {
        let _ = writeln!(out, "slowest chain: {}", r.longest_chain.join(" -> "));
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = r
        .people
        .iter()
        .map(|p| {
            vec![
                p.reached.to_string(),
                p.person.clone(),
                p.called_by.clone().unwrap_or_else(|| "(first)".to_string()),
                p.calls.to_string(),
                match (&p.fallback, p.calls) {
                    (Some(f), _) => f.clone(),
                    (None, 0) => "-".to_string(),
                    (None, _) => "NONE".to_string(),
                },
                p.name.clone(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "reached",
            "person",
            "called by",
            "calls",
            "fallback",
            "name",
        ],
        &rows,
    ));
    if !r.single_points_of_failure.is_empty() {
        let ids: Vec<String> = r
            .single_points_of_failure
            .iter()
            .map(|p| format!("`{p}`"))
            .collect();
        let _ = writeln!(
            out,
            "\nsingle points of failure (call others, no fallback): {}",
            ids.join(", ")
        );
    }
    for k in &r.key_people {
        let mut what = Vec::new();
        if !k.teams_led.is_empty() {
            what.push(format!("leads {}", k.teams_led.join(", ")));
        }
        if !k.critical_functions_owned.is_empty() {
            what.push(format!(
                "owns critical {}",
                k.critical_functions_owned.join(", ")
            ));
        }
        let _ = writeln!(out, "key-person risk: `{}` {}", k.person, what.join("; "));
    }
    out
}

/// `bcp calltree --format json`.
pub fn calltree_json(r: &CallTreeReport) -> String {
    let mut text = serde_json::to_string_pretty(r).unwrap_or_default();
    text.push('\n');
    text
}
