//! What the documents need of the recovery analysis: the order functions come back in, the
//! time each can be back, and when each step of a procedure starts.
//!
//! When the recovery analysis ([`crate::graph`]) ran, its order (dependencies first, then
//! RTO) and achievable times are used; otherwise (a plan rendered with `--force` whose graph
//! has a cycle or unresolved ids) a simple stand-in: by RTO then id, each procedure's longest
//! chain of steps before reconstitution.

use crate::graph::{Analysis, NodeKind};
use crate::model::{Duration, Phase, Plan, Procedure};
use std::collections::BTreeMap;

/// A function or system in recovery order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recovered {
    pub id: String,
    pub name: String,
    /// `function` or `system`.
    pub kind: &'static str,
    /// Tier (functions only).
    pub tier: Option<&'static str>,
    pub rto: Duration,
    /// When it can be back, from the procedures that recover it (their longest chain of steps
    /// before reconstitution);
    /// `None` when no procedure recovers it.
    pub achievable: Option<Duration>,
}

/// The functions of an [`order_all`], in recovery order.
pub fn functions(all: &[Recovered]) -> Vec<Recovered> {
    all.iter()
        .filter(|r| r.kind == "function")
        .cloned()
        .collect()
}

/// Functions and systems together in recovery order: the order team runbooks list their
/// procedures in.
pub fn order_all(plan: &Plan, analysis: Option<&Analysis>) -> Vec<Recovered> {
    let Some((analysis, timing)) = analysis
        .and_then(|a| Some((a, a.timing.as_ref()?)))
        .filter(|(a, _)| !a.order(plan).is_empty())
    else {
        return simple_order_all(plan);
    };
    let has_steps = |id: &str| {
        analysis
            .node(id)
            .is_some_and(|n| timing.has_steps(&analysis.graph, n))
    };
    analysis
        .order(plan)
        .iter()
        .filter(|o| matches!(o.kind, NodeKind::Function | NodeKind::System))
        .map(|o| Recovered {
            id: o.id.clone(),
            name: o.name.clone(),
            kind: if o.kind == NodeKind::Function {
                "function"
            } else {
                "system"
            },
            tier: o.tier.map(crate::model::Tier::as_str),
            rto: o.rto,
            // Nothing recovers it and nothing it waits for takes time: say so, not "0m".
            achievable: (o.achievable > Duration::ZERO || has_steps(&o.id)).then_some(o.achievable),
        })
        .collect()
}

/// The stand-in: functions by RTO, then id (the BIA's priority; domain.md §5).
fn simple_order(plan: &Plan) -> Vec<Recovered> {
    let finish = procedure_lengths(plan);
    let mut rows: Vec<Recovered> = plan
        .functions
        .iter()
        .map(|f| Recovered {
            id: f.id.value.clone(),
            name: f.name.clone(),
            kind: "function",
            tier: Some(f.tier.as_str()),
            rto: f.rto.value,
            achievable: achievable(plan, &f.id.value, &finish),
        })
        .collect();
    rows.sort_by(|a, b| (a.rto, &a.id).cmp(&(b.rto, &b.id)));
    rows
}

/// The stand-in for functions and systems together, by RTO then id.
fn simple_order_all(plan: &Plan) -> Vec<Recovered> {
    let finish = procedure_lengths(plan);
    let mut rows = simple_order(plan);
    rows.extend(plan.systems.iter().map(|s| Recovered {
        id: s.id.value.clone(),
        name: s.name.clone(),
        kind: "system",
        tier: None,
        rto: s.rto.value,
        achievable: achievable(plan, &s.id.value, &finish),
    }));
    rows.sort_by(|a, b| (a.rto, &a.id).cmp(&(b.rto, &b.id)));
    rows
}

fn achievable(plan: &Plan, id: &str, lengths: &BTreeMap<String, Duration>) -> Option<Duration> {
    plan.procedures
        .iter()
        .filter(|p| p.recovers.iter().any(|r| r.value == id))
        .filter_map(|p| lengths.get(&p.id.value).copied())
        .max()
}

/// When each procedure has brought back what it recovers: the end of its last step before
/// reconstitution (the return to normal comes after recovery).
fn procedure_lengths(plan: &Plan) -> BTreeMap<String, Duration> {
    plan.procedures
        .iter()
        .map(|p| {
            let end = schedule(p)
                .iter()
                .filter(|t| p.steps[t.index].phase != Phase::Reconstitution)
                .map(|s| s.finish)
                .max()
                .unwrap_or(Duration::ZERO);
            (p.id.value.clone(), end)
        })
        .collect()
}

/// When a step starts and finishes, counted from the start of its procedure.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Index of the step in the procedure as written.
    pub index: usize,
    pub start: Duration,
    pub finish: Duration,
}

/// Earliest start and finish of every step (each waits for the steps in its `after`), in the
/// order they start (ties: as written). A cycle or an unknown step in `after` (which `check`
/// reports) is ignored rather than looped on.
pub fn schedule(procedure: &Procedure) -> Vec<Timing> {
    let steps = &procedure.steps;
    let position: BTreeMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.value.as_str(), i))
        .collect();
    let mut finish: Vec<Option<Duration>> = vec![None; steps.len()];
    let mut start: Vec<Duration> = vec![Duration::ZERO; steps.len()];
    // Relax until nothing changes: at most n rounds for an acyclic procedure.
    for _ in 0..=steps.len() {
        let mut changed = false;
        for (i, step) in steps.iter().enumerate() {
            if finish[i].is_some() {
                continue;
            }
            let mut begin = Duration::ZERO;
            let mut ready = true;
            for dep in &step.after {
                match position.get(dep.value.as_str()).map(|&j| finish[j]) {
                    Some(Some(f)) => begin = begin.max(f),
                    Some(None) => ready = false,
                    None => {}
                }
            }
            if ready {
                start[i] = begin;
                finish[i] = Some(begin.plus(step.duration.value));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut out: Vec<Timing> = (0..steps.len())
        .map(|i| Timing {
            index: i,
            start: start[i],
            finish: finish[i].unwrap_or_else(|| start[i].plus(steps[i].duration.value)),
        })
        .collect();
    out.sort_by_key(|t| (t.start, t.index));
    out
}
