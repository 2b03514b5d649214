//! Findings over the graph: RTO and RPO inversions (G002, G003), achievable time over the RTO
//! (G004), and against what exercises demonstrated (G005, G006).

use super::order::chain_text;
use super::{EdgeKind, NodeKind, PlanGraph, Timing};
use crate::diagnostic::Diagnostic;
use crate::model::{Date, Duration, Plan, Span};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::HashMap;

/// G002 and G003, one pass over the dependency edges.
pub(crate) fn inversions(g: &PlanGraph, out: &mut Vec<Diagnostic>) {
    for e in g
        .edge_references()
        .filter(|e| e.weight().kind == EdgeKind::DependsOn)
    {
        let (from, to) = (&g[e.source()], &g[e.target()]);
        if let (Some(own), Some(theirs)) = (&from.rto, &to.rto)
            && theirs.value > own.value
        {
            out.push(
                Diagnostic::error(
                    "G002",
                    format!(
                        "{} `{}` (RTO {}) depends on {} `{}`, whose RTO is longer ({})",
                        from.kind.as_str(),
                        from.id,
                        own.value,
                        to.kind.as_str(),
                        to.id,
                        theirs.value
                    ),
                )
                .at(e.weight().span)
                .label(format!("RTO {} > {}", theirs.value, own.value))
                .also(own.span, format!("`{}` must be back within {}", from.id, own.value))
                .also(theirs.span, format!("`{}` may take {}", to.id, theirs.value))
                .help(format!(
                    "`{}` cannot be back before what it needs: give `{}` an RTO of {} or less, or relax the RTO of `{}`",
                    from.id, to.id, own.value, from.id
                )),
            );
        }
        // Data dependencies: a function or a system on a system that holds data (a network
        // or infrastructure carries data but does not keep it: its RPO is about configuration).
        let data = to.kind == NodeKind::System
            && to.holds_data
            && matches!(from.kind, NodeKind::Function | NodeKind::System);
        if let (true, Some(own), Some(theirs)) = (data, &from.rpo, &to.rpo)
            && theirs.value > own.value
        {
            out.push(
                Diagnostic::error(
                    "G003",
                    format!(
                        "{} `{}` (RPO {}) takes its data from system `{}`, whose RPO is longer ({})",
                        from.kind.as_str(),
                        from.id,
                        own.value,
                        to.id,
                        theirs.value
                    ),
                )
                .at(e.weight().span)
                .label(format!("RPO {} > {}", theirs.value, own.value))
                .also(own.span, format!("`{}` may lose at most {} of data", from.id, own.value))
                .also(theirs.span, format!("`{}` may lose {}", to.id, theirs.value))
                .help(format!(
                    "data lost by `{}` is lost to `{}`: give `{}` an RPO of {} or less, or relax the RPO of `{}`",
                    to.id, from.id, to.id, own.value, from.id
                )),
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
        let Some(rto) = &node.rto else { continue };
        let achievable = t.achievable(n);
        if achievable <= rto.value {
            continue;
        }
        let (path, cut) = t.critical_path(g, n, super::order::MAX_PATH_NODES);
        out.push(
            Diagnostic::error(
                "G004",
                format!(
                    "{} `{}` cannot be recovered within its RTO: it needs {achievable}, the RTO is {}",
                    node.kind.as_str(),
                    node.id,
                    rto.value
                ),
            )
            .at(rto.span)
            .label(format!("RTO {}", rto.value))
            .help(format!(
                "critical path: {}{} = {achievable} > RTO {}; shorten or parallelise these steps, speed up the slowest dependency, or relax the RTO",
                if cut { "... -> " } else { "" },
                chain_text(&path),
                rto.value
            )),
        );
    }
}

/// The latest exercise that demonstrated a recovery time for each target.
struct Shown {
    date: Date,
    exercise: String,
    time: Duration,
    span: Span,
}

/// G005 (the latest exercise took longer than the plan's steps add up to: the plan is
/// optimistic) and G006 (the latest exercise took longer than the RTO).
pub(crate) fn exercises(
    plan: &Plan,
    g: &PlanGraph,
    lookup: &HashMap<String, NodeIndex>,
    t: &Timing,
    out: &mut Vec<Diagnostic>,
) {
    let mut latest: HashMap<&str, Shown> = HashMap::new();
    for e in &plan.exercises {
        let Some(results) = &e.results else { continue };
        for d in &results.demonstrated {
            let newer = latest
                .get(d.target.as_str())
                .is_none_or(|s| e.date.value >= s.date);
            if newer {
                latest.insert(
                    d.target.as_str(),
                    Shown {
                        date: e.date.value,
                        exercise: e.id.value.clone(),
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
        let Some(&n) = lookup.get(target) else {
            continue;
        };
        let node = &g[n];
        let achievable = t.achievable(n);
        if shown.time > achievable {
            out.push(
                Diagnostic::warning(
                    "G005",
                    format!(
                        "exercise `{}` took {} to recover `{}`, longer than the {achievable} the plan's steps add up to",
                        shown.exercise, shown.time, node.id
                    ),
                )
                .at(shown.span)
                .label(format!("demonstrated {} on {}", shown.time, shown.date))
                .help(format!(
                    "the plan is more optimistic than the exercise: lengthen the step durations of `{}` (or of what it depends on) to what the exercise showed, or exercise it again",
                    node.id
                )),
            );
        }
        if let Some(rto) = &node.rto
            && shown.time > rto.value
        {
            out.push(
                Diagnostic::warning(
                    "G006",
                    format!(
                        "exercise `{}` took {} to recover `{}`, over its RTO of {}",
                        shown.exercise, shown.time, node.id, rto.value
                    ),
                )
                .at(shown.span)
                .label(format!("RTO {}", rto.value))
                .also(rto.span, "the RTO")
                .help("remediate the exercise's findings and exercise again; if the plan's steps claim less time than the exercise took, correct their durations"),
            );
        }
    }
}
