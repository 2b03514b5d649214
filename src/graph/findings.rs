//! Findings over the graph: RTO and RPO inversions (G002, G003), achievable time over the RTO
//! (G004), against what exercises demonstrated (G005, G006, G008), and suppliers whose
//! switch-over is slower than a critical function that needs them allows (S002).

use super::order::chain_text;
use super::{EdgeKind, NodeIds, NodeKind, PlanGraph, ScenarioRun, Timing};
use crate::diagnostic::Diagnostic;
use crate::model::{Date, Duration, Plan, Span, Tier};
use crate::t;
use petgraph::Direction::Incoming;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;

/// G002 and G003, one pass over the dependency edges.
pub(crate) fn inversions(g: &PlanGraph, out: &mut Vec<Diagnostic>) {
    for e in g
        .edge_references()
        .filter(|e| e.weight().kind == EdgeKind::DependsOn)
    {
        let (from, to) = (&g[e.source()], &g[e.target()]);
        if let (Some(own), Some(theirs)) = (from.rto(), to.rto())
            && theirs.value > own.value
        {
            out.push(
                Diagnostic::error(
                    "G002",
                    t!(
                        "G002.message",
                        kind = from.kind.word(),
                        id = from.id,
                        rto = own.value,
                        their_kind = to.kind.word(),
                        their_id = to.id,
                        their_rto = theirs.value
                    ),
                )
                .at(e.weight().span)
                .label(format!("RTO {} > {}", theirs.value, own.value))
                .also(own.span, t!("G002.own", id = from.id, rto = own.value))
                .also(
                    theirs.span,
                    t!("G002.theirs", id = to.id, rto = theirs.value),
                )
                .help(t!(
                    "G002.help",
                    id = from.id,
                    their_id = to.id,
                    rto = own.value
                ))
                .target(&from.id),
            );
        }
        // Data dependencies: a function or a system on a system that holds data (a network
        // or infrastructure carries data but does not keep it: its RPO is about configuration).
        let data = to.kind == NodeKind::System
            && to.holds_data
            && matches!(from.kind, NodeKind::Function | NodeKind::System);
        if let (true, Some(own), Some(theirs)) = (data, from.rpo(), to.rpo())
            && theirs.value > own.value
        {
            out.push(
                Diagnostic::error(
                    "G003",
                    t!(
                        "G003.message",
                        kind = from.kind.word(),
                        id = from.id,
                        rpo = own.value,
                        their_id = to.id,
                        their_rpo = theirs.value
                    ),
                )
                .at(e.weight().span)
                .label(format!("RPO {} > {}", theirs.value, own.value))
                .also(own.span, t!("G003.own", id = from.id, rpo = own.value))
                .also(
                    theirs.span,
                    t!("G003.theirs", id = to.id, rpo = theirs.value),
                )
                .help(t!(
                    "G003.help",
                    id = from.id,
                    their_id = to.id,
                    rpo = own.value
                ))
                .target(&from.id),
            );
        }
    }
}

/// G004: achievable recovery time over the RTO, with the chain that makes it so.
pub(crate) fn over_rto(g: &PlanGraph, t: &Timing, out: &mut Vec<Diagnostic>) {
    for n in t
        .topo
        .iter()
        .copied()
        .filter(|&n| g[n].kind.is_recoverable())
    {
        let node = &g[n];
        let Some(rto) = node.rto() else { continue };
        let achievable = t.achievable(n);
        if achievable <= rto.value {
            continue;
        }
        let (path, cut) = t.critical_path(g, n, super::order::MAX_PATH_NODES);
        out.push(
            Diagnostic::error(
                "G004",
                t!(
                    "G004.message",
                    kind = node.kind.word(),
                    id = node.id,
                    achievable,
                    rto = rto.value
                ),
            )
            .at(rto.span)
            .label(format!("RTO {}", rto.value))
            .help(t!(
                "G004.help",
                path = format!("{}{}", if cut { "... -> " } else { "" }, chain_text(&path)),
                achievable,
                rto = rto.value
            ))
            .target(&node.id),
        );
    }
}

/// The latest exercise that demonstrated a recovery time for each target.
struct Shown<'p> {
    date: Date,
    exercise: &'p str,
    scenario: Option<&'p str>,
    time: Duration,
    span: Span,
}

/// G005 (the latest exercise took longer than the plan's steps add up to — in the
/// exercise's scenario when it names one: the plan is optimistic), G006 (the latest exercise
/// took longer than the RTO) and G008 (a recovery time recorded on an exercise that does not
/// run the recovery). Only simulations, parallel and full-interruption tests and restore
/// tests demonstrate times.
pub(crate) fn exercises(
    plan: &Plan,
    g: &PlanGraph,
    lookup: &NodeIds,
    t: &Timing,
    scenarios: &[ScenarioRun],
    out: &mut Vec<Diagnostic>,
) {
    let mut latest: FxHashMap<&str, Shown> = FxHashMap::default();
    for e in &plan.exercises {
        let Some(results) = &e.results else { continue };
        if !e.kind.runs_recovery() {
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            for d in &results.demonstrated {
                out.push(
                    Diagnostic::warning(
                        "G008",
                        t!(
                            "G008.message",
                            id = e.id.value,
                            kind = crate::i18n::lookup(
                                crate::i18n::current(),
                                &format!("value.exercise_type.{kind}")
                            )
                            .map_or_else(|| kind.replace('_', " "), str::to_string),
                            time = d.recovery_time.value,
                            target = d.target.value
                        ),
                    )
                    .at(d.recovery_time.span)
                    .label(t!("G008.label"))
                    .help(t!("G008.help"))
                    .target(&e.id.value),
                );
            }
            continue;
        }
        for d in &results.demonstrated {
            let newer = latest
                .get(d.target.as_str())
                .is_none_or(|s| e.date.value >= s.date);
            if newer {
                latest.insert(
                    d.target.as_str(),
                    Shown {
                        date: e.date.value,
                        exercise: e.id.as_str(),
                        scenario: e.scenario.as_ref().map(|s| s.as_str()),
                        time: d.recovery_time.value,
                        span: d.recovery_time.span,
                    },
                );
            }
        }
    }
    let mut targets: Vec<_> = latest.into_iter().collect();
    targets.sort_by(|a, b| a.0.cmp(b.0));
    for (target, shown) in targets {
        let Some(n) = lookup.get(g, target) else {
            continue;
        };
        let node = &g[n];
        // In the exercise's scenario when it names one and takes the target down; else with
        // the whole plan down.
        let in_scenario = shown.scenario.and_then(|sc| {
            let run = scenarios
                .iter()
                .find(|i| i.scenario.id.as_deref() == Some(sc))?;
            let a = run.outcome(n).filter(|a| a.down)?;
            a.restored
                .unwrap_or(a.achievable)
                .time()
                .map(|time| (sc, time))
        });
        let (achievable, context) = match in_scenario {
            Some((sc, time)) => (time, t!("G005.in_scenario", scenario = sc)),
            None => (t.restored(n), String::new()),
        };
        if shown.time > achievable {
            out.push(
                Diagnostic::warning(
                    "G005",
                    t!(
                        "G005.message",
                        exercise = shown.exercise,
                        time = shown.time,
                        id = node.id,
                        achievable,
                        context
                    ),
                )
                .at(shown.span)
                .label(t!("G005.label", time = shown.time, date = shown.date))
                .help(t!("G005.help", id = node.id))
                .target(&node.id),
            );
        }
        if let Some(rto) = node.rto()
            && shown.time > rto.value
        {
            out.push(
                Diagnostic::warning(
                    "G006",
                    t!(
                        "G006.message",
                        exercise = shown.exercise,
                        time = shown.time,
                        id = node.id,
                        rto = rto.value
                    ),
                )
                .at(shown.span)
                .label(format!("RTO {}", rto.value))
                .also(rto.span, t!("G006.also"))
                .help(t!("G006.help"))
                .target(&node.id),
            );
        }
    }
}

/// S002: a supplier's switch-over to its alternate takes longer than the RTO of a critical
/// function that depends on it, directly or through the systems and functions it needs. The
/// tightest such function is found in one pass over the dependency order (dependents first):
/// O(V + E).
pub(crate) fn supplier_switch_over(
    plan: &Plan,
    g: &PlanGraph,
    lookup: &NodeIds,
    t: &Timing,
    out: &mut Vec<Diagnostic>,
) {
    if !plan.suppliers.iter().any(|s| s.switch_over.is_some()) {
        return;
    }
    // Per node: the critical function with the smallest RTO that needs it.
    let mut tightest: Vec<Option<NodeIndex>> = vec![None; g.node_count()];
    let rto = |n: NodeIndex| g[n].rto().map_or(Duration::ZERO, |r| r.value);
    let tighter = |a: NodeIndex, b: Option<NodeIndex>| {
        b.is_none_or(|b| (rto(a), &g[a].id) < (rto(b), &g[b].id))
    };
    for &n in t.topo.iter().rev() {
        let mut best =
            (g[n].kind == NodeKind::Function && g[n].tier == Some(Tier::Critical)).then_some(n);
        for e in g
            .edges_directed(n, Incoming)
            .filter(|e| e.weight().kind == EdgeKind::DependsOn)
        {
            if let Some(f) = tightest[e.source().index()]
                && tighter(f, best)
            {
                best = Some(f);
            }
        }
        tightest[n.index()] = best;
    }
    for s in &plan.suppliers {
        let (Some(switch_over), Some(n)) = (&s.switch_over, lookup.get(g, s.id.as_str())) else {
            continue;
        };
        if s.alternates.is_empty() {
            continue;
        }
        let Some(f) = tightest[n.index()] else {
            continue;
        };
        let Some(rto) = g[f].rto() else { continue };
        if switch_over.value <= rto.value {
            continue;
        }
        let over_mtd = g[f]
            .mtd()
            .filter(|m| switch_over.value > m.value)
            .map(|m| t!("S002.over_mtd", mtd = m.value))
            .unwrap_or_default();
        out.push(
            Diagnostic::error(
                "S002",
                t!(
                    "S002.message",
                    id = s.id.value,
                    switch_over = switch_over.value,
                    rto = rto.value,
                    function = g[f].id,
                    over_mtd
                ),
            )
            .at(switch_over.span)
            .label(t!("S002.label"))
            .also(rto.span, t!("G002.own", id = g[f].id, rto = rto.value))
            .help(t!("S002.help", id = s.id.value, function = g[f].id))
            .target(&s.id.value),
        );
    }
}
