//! The timeline of one procedure's steps, on one recovery path, with or without warning time.
//!
//! Steps start when the steps they wait for (`after`) are done; a step off the path (its
//! `path` names the other way back) takes no time but keeps its place in the chain, so a
//! step waiting for it waits for what it waits for. With a warning time `W`, the steps of
//! phase `activation` may start up to `W` before the disruption (notification, mobilising
//! teams, decisions taken ahead); no other step starts before it. The procedure takes the
//! longest chain of steps that are not `reconstitution`.

use super::PlanGraph;
use super::{EdgeKind, NodeKind};
use crate::model::{Duration, Phase, RecoveryPath};
use petgraph::Direction::{self, Incoming, Outgoing};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::VecDeque;

/// One procedure's steps placed on a timeline, for one path and one warning time.
#[derive(Clone, Debug, Default)]
pub(crate) struct Schedule {
    /// Per step, in plan order: start and finish in minutes from the procedure's start;
    /// negative for activation steps done during the warning time.
    pub rel: Vec<(i64, i64)>,
    /// Per step: the step before it on its longest chain.
    pub pred: Vec<Option<usize>>,
    /// Per step: whether it is on this path.
    pub on_path: Vec<bool>,
    /// The longest chain of steps before reconstitution.
    pub len: Duration,
    /// The last step of that chain.
    pub last: Option<usize>,
}

fn minutes(d: Duration) -> i64 {
    i64::try_from(d.minutes()).unwrap_or(i64::MAX)
}

/// Schedules the steps (`steps`, in plan order) of one procedure. Kahn's algorithm over the
/// `after` edges: O(steps + after edges). Steps caught in a cycle are left at 0 (a plan with
/// a step cycle is reported as G001 and not timed).
pub(crate) fn schedule(
    g: &PlanGraph,
    steps: &[NodeIndex],
    path: RecoveryPath,
    warning: Duration,
) -> Schedule {
    // `steps` is in plan order, which is ascending node order (the graph adds a procedure's
    // steps one after another), so a step's position is found by binary search.
    debug_assert!(steps.is_sorted());
    let position = |n: NodeIndex| steps.binary_search(&n).ok();
    let after = |i: usize, direction: Direction| {
        g.edges_directed(steps[i], direction)
            .filter(|e| e.weight().kind == EdgeKind::After)
            .filter_map(move |e| {
                position(if direction == Outgoing {
                    e.target()
                } else {
                    e.source()
                })
            })
    };
    let mut s = Schedule {
        rel: vec![(0, 0); steps.len()],
        pred: vec![None; steps.len()],
        on_path: steps
            .iter()
            .map(|&n| g[n].path.is_none_or(|p| p == path))
            .collect(),
        len: Duration::ZERO,
        last: None,
    };
    let early = -minutes(warning);
    let mut waiting: Vec<usize> = (0..steps.len())
        .map(|i| after(i, Outgoing).count())
        .collect();
    let mut ready: VecDeque<usize> = (0..steps.len()).filter(|&i| waiting[i] == 0).collect();
    let mut longest: Option<(i64, usize)> = None;
    while let Some(i) = ready.pop_front() {
        let node = &g[steps[i]];
        debug_assert_eq!(node.kind, NodeKind::Step);
        let base = if node.phase == Some(Phase::Activation) {
            early
        } else {
            0
        };
        // The predecessor that finishes last fixes the start (ties: plan order).
        let mut start = base;
        let mut pred = None;
        for j in after(i, Outgoing) {
            let finish = s.rel[j].1;
            if pred.is_none_or(|p: usize| finish > s.rel[p].1 || (finish == s.rel[p].1 && j < p)) {
                pred = Some(j);
            }
            start = start.max(finish);
        }
        let duration = if s.on_path[i] {
            minutes(node.duration.unwrap_or_default())
        } else {
            0
        };
        s.rel[i] = (start, start.saturating_add(duration));
        s.pred[i] = pred;
        // Reconstitution (return to normal) comes after the recovery: it is scheduled, but
        // does not count towards the recovery time.
        if node.phase != Some(Phase::Reconstitution) {
            let finish = s.rel[i].1;
            if longest.is_none_or(|(f, j)| finish > f || (finish == f && i < j)) {
                longest = Some((finish, i));
            }
        }
        for k in after(i, Incoming) {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push_back(k);
            }
        }
    }
    if let Some((finish, i)) = longest {
        s.len = Duration::from_minutes(u64::try_from(finish.max(0)).unwrap_or(0));
        s.last = Some(i);
    }
    s
}

impl Schedule {
    /// The steps of the longest chain, first to last.
    pub fn chain(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.last;
        while let Some(i) = at {
            out.push(i);
            at = self.pred[i];
        }
        out.reverse();
        out
    }

    /// Minutes a step adds to the procedure's time after the disruption: its part of the
    /// timeline after time 0 (an activation step done in the warning time adds nothing).
    pub fn counted(&self, i: usize) -> Duration {
        let (start, finish) = self.rel[i];
        Duration::from_minutes(u64::try_from(finish.max(0) - start.max(0)).unwrap_or(0))
    }
}
