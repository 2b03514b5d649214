//! Cycles, the priority recovery order, waves and achievable recovery times.

use super::{EdgeKind, NodeKind, PlanGraph, ProcedureNodes};
use crate::diagnostic::Diagnostic;
use crate::model::{Duration, Phase, Span, Tier};
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

/// A dependency cycle (or a cycle of steps inside one procedure), in order.
#[derive(Clone, Debug, Serialize)]
pub struct Cycle {
    /// Each edge of the chain; the last one leads back to the first node.
    pub edges: Vec<CycleEdge>,
    /// For a step cycle, the procedure; `None` for a dependency cycle.
    pub procedure: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CycleEdge {
    pub from: String,
    pub to: String,
    #[serde(skip)]
    pub span: Span,
}

/// Places of a cycle shown with their own snippet in its finding; a cycle through 100,000
/// functions printed 100,000 snippets.
const MAX_CYCLE_LABELS: usize = 16;

impl Cycle {
    /// `a -> b -> c -> a`, ids in backticks. A cycle longer than [`MAX_PATH_NODES`] is cut in
    /// the middle: its first ids, how many are left out, its last id and the first again.
    pub fn chain(&self) -> String {
        let ids: Vec<String> = self.edges.iter().map(|e| format!("`{}`", e.from)).collect();
        let mut parts: Vec<String> = if ids.len() > MAX_PATH_NODES {
            let head = MAX_PATH_NODES - 1;
            let mut parts = ids[..head].to_vec();
            parts.push(format!("... {} more ...", ids.len() - head - 1));
            parts.extend(ids.last().cloned());
            parts
        } else {
            ids
        };
        if let Some(first) = self.edges.first() {
            parts.push(format!("`{}`", first.from));
        }
        parts.join(" -> ")
    }

    pub(crate) fn diagnostic(&self, _g: &PlanGraph) -> Diagnostic {
        let first = self.edges.first().map(|e| e.span).unwrap_or_default();
        let (message, verb, help) = match &self.procedure {
            None => (
                format!("dependency cycle: {}", self.chain()),
                "depends on",
                "nothing in a cycle can be recovered first: remove the dependency that is not real, or split the function or system that plays two roles",
            ),
            Some(p) => (
                format!("step cycle in procedure `{p}`: {}", self.chain()),
                "waits for",
                "a step cannot wait for itself: remove one of these `after` entries",
            ),
        };
        let mut d = Diagnostic::error("G001", message).at(first);
        for (i, e) in self.edges.iter().take(MAX_CYCLE_LABELS).enumerate() {
            let text = format!("`{}` {verb} `{}`", e.from, e.to);
            d = if i == 0 {
                d.label(text)
            } else {
                d.also(e.span, text)
            };
        }
        d.help(help)
    }
}

/// Every cycle through `depends_on` and `after` edges: one per strongly connected component,
/// the shortest cycle through the component's smallest id. O(V + E). Kosaraju's algorithm,
/// which petgraph runs iteratively: its `tarjan_scc` recurses once per node of a path, and a
/// chain of 80,000 dependencies overflowed the stack.
pub(crate) fn cycles(g: &PlanGraph) -> Vec<Cycle> {
    let filtered = EdgeFiltered::from_fn(g, |e| {
        matches!(e.weight().kind, EdgeKind::DependsOn | EdgeKind::After)
    });
    let mut in_component = vec![false; g.node_count()];
    let mut found = Vec::new();
    for component in petgraph::algo::kosaraju_scc(&filtered) {
        let is_cycle = component.len() > 1
            || component.first().is_some_and(|&n| {
                g.edges_connecting(n, n)
                    .any(|e| is_cycle_edge(e.weight().kind))
            });
        if !is_cycle {
            continue;
        }
        for &n in &component {
            in_component[n.index()] = true;
        }
        let Some(&start) = component.iter().min_by(|a, b| g[**a].id.cmp(&g[**b].id)) else {
            continue;
        };
        found.push(walk(g, start, &in_component));
        for &n in &component {
            in_component[n.index()] = false;
        }
    }
    found.sort_by(|a, b| {
        a.edges
            .first()
            .map(|e| &e.from)
            .cmp(&b.edges.first().map(|e| &e.from))
    });
    found
}

fn is_cycle_edge(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::DependsOn | EdgeKind::After)
}

/// Breadth-first from `start` inside its component until an edge leads back to it: the
/// shortest cycle through `start`, taking neighbours in id order so the result is stable.
fn walk(g: &PlanGraph, start: NodeIndex, in_component: &[bool]) -> Cycle {
    let mut parent: HashMap<NodeIndex, (NodeIndex, Span)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut back: Option<(NodeIndex, Span)> = None;
    'search: while let Some(u) = queue.pop_front() {
        let mut next: Vec<_> = g
            .edges_directed(u, Outgoing)
            .filter(|e| is_cycle_edge(e.weight().kind) && in_component[e.target().index()])
            .map(|e| (e.target(), e.weight().span))
            .collect();
        next.sort_by(|a, b| (&g[a.0].id, a.1).cmp(&(&g[b.0].id, b.1)));
        for (v, span) in next {
            if v == start {
                back = Some((u, span));
                break 'search;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = parent.entry(v) {
                slot.insert((u, span));
                queue.push_back(v);
            }
        }
    }
    let mut edges = Vec::new();
    if let Some((last, span)) = back {
        edges.push((last, start, span));
        let mut at = last;
        while at != start {
            let Some(&(p, span)) = parent.get(&at) else {
                break;
            };
            edges.push((p, at, span));
            at = p;
        }
    }
    edges.reverse();
    let step_cycle = g[start].kind == NodeKind::Step;
    let name = |n: NodeIndex| {
        if step_cycle {
            g[n].step_id().to_string()
        } else {
            g[n].id.clone()
        }
    };
    Cycle {
        procedure: step_cycle.then(|| {
            g[start]
                .id
                .rsplit_once('/')
                .map_or(String::new(), |(p, _)| p.to_string())
        }),
        edges: edges
            .into_iter()
            .map(|(from, to, span)| CycleEdge {
                from: name(from),
                to: name(to),
                span,
            })
            .collect(),
    }
}

/// The priority topological order of the dependency nodes `include` accepts: a node comes
/// after everything it depends on; among the nodes ready, the smallest RTO first, then the
/// most critical tier, then the id. Kahn's algorithm with a binary heap: O((V + E) log V).
pub(crate) fn priority_order(g: &PlanGraph, include: &dyn Fn(NodeIndex) -> bool) -> Vec<NodeIndex> {
    type Key<'a> = Reverse<(u64, u8, &'a str, NodeIndex)>;
    let key = |n: NodeIndex| -> Key<'_> {
        let node = &g[n];
        Reverse((
            node.rto.as_ref().map_or(0, |r| r.minutes()),
            node.tier_rank(),
            node.id.as_str(),
            n,
        ))
    };
    let mut remaining = vec![0usize; g.node_count()];
    let mut heap: BinaryHeap<Key<'_>> = BinaryHeap::new();
    for n in g.node_indices().filter(|&n| include(n)) {
        remaining[n.index()] = dependencies(g, n).filter(|&(d, _)| include(d)).count();
        if remaining[n.index()] == 0 {
            heap.push(key(n));
        }
    }
    let mut order = Vec::new();
    while let Some(Reverse((_, _, _, n))) = heap.pop() {
        order.push(n);
        for e in g.edges_directed(n, Incoming) {
            let dependent = e.source();
            if e.weight().kind == EdgeKind::DependsOn && include(dependent) {
                remaining[dependent.index()] -= 1;
                if remaining[dependent.index()] == 0 {
                    heap.push(key(dependent));
                }
            }
        }
    }
    order
}

/// What a node depends on, with where each dependency is written.
pub(crate) fn dependencies(
    g: &PlanGraph,
    n: NodeIndex,
) -> impl Iterator<Item = (NodeIndex, Span)> + '_ {
    g.edges_directed(n, Outgoing)
        .filter(|e| e.weight().kind == EdgeKind::DependsOn)
        .map(|e| (e.target(), e.weight().span))
}

/// The procedures that recover a node.
pub(crate) fn procedures_of(g: &PlanGraph, n: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
    g.edges_directed(n, Incoming)
        .filter(|e| e.weight().kind == EdgeKind::Recovers)
        .map(|e| e.source())
}

/// One function or system in the recovery order, with the times a Gantt chart needs: its
/// procedures start when its dependencies are back (`start`) and it is back at `achievable`.
#[derive(Clone, Debug, Serialize)]
pub struct Ordered {
    /// 1-based.
    pub position: usize,
    /// 1-based; nodes of one wave do not depend on each other and can be recovered in parallel.
    pub wave: usize,
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub tier: Option<Tier>,
    pub rto: Duration,
    pub mtd: Option<Duration>,
    /// When its dependencies are back and its own procedures can start.
    pub start: Duration,
    /// Earliest achievable recovery time, from the start of the disruption.
    pub achievable: Duration,
    pub start_minutes: u64,
    pub achievable_minutes: u64,
    pub over_rto: bool,
    /// The dependency that is back last and so fixes `start`.
    pub critical_dependency: Option<String>,
    /// The node's own recovery steps, at their times.
    pub steps: Vec<ScheduledStep>,
}

/// A recovery step placed on the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct ScheduledStep {
    pub procedure: String,
    pub step: String,
    pub name: String,
    pub team: String,
    pub phase: Phase,
    pub start: Duration,
    pub finish: Duration,
    /// On the chain that fixes the node's achievable time.
    pub critical: bool,
}

/// One node's part of a critical path: its steps on the path (or a site's activation, a
/// supplier's switch-over).
#[derive(Clone, Debug, Serialize)]
pub struct Segment {
    pub node: String,
    pub kind: NodeKind,
    pub items: Vec<SegmentItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SegmentItem {
    /// A step id, or `activation` / `switch-over`.
    pub label: String,
    pub duration: Duration,
}

/// Renders a critical path: `core-db: restore (6h) -> payments: declare (30m) -> verify (1h)`.
/// The node prefix is left out when the path stays inside one node.
pub fn chain_text(segments: &[Segment]) -> String {
    let prefix = segments.len() > 1;
    let mut parts = Vec::new();
    for s in segments {
        for (i, item) in s.items.iter().enumerate() {
            let head = if prefix && i == 0 {
                format!("{}: ", s.node)
            } else {
                String::new()
            };
            parts.push(format!("{head}{} ({})", item.label, item.duration));
        }
    }
    parts.join(" -> ")
}

/// Times of the whole plan, from one topological pass.
#[derive(Debug)]
pub struct Timing {
    /// Functions and systems in recovery order.
    pub order: Vec<Ordered>,
    /// Ids per wave, in order.
    pub waves: Vec<Vec<String>>,
    /// Every dependency node (sites and suppliers too), dependencies first.
    pub(crate) topo: Vec<NodeIndex>,
    /// Dependency nodes and procedures in the order their times are computed.
    pub(crate) evaluation: Vec<NodeIndex>,
    /// Per procedure: what its targets depend on outside the procedure; it starts when all
    /// of that is back.
    pub(crate) ext: HashMap<NodeIndex, Vec<NodeIndex>>,
    pub(crate) start: Vec<Duration>,
    pub(crate) finish: Vec<Duration>,
    pub(crate) critical_dep: Vec<Option<NodeIndex>>,
    pub(crate) critical_proc: Vec<Option<NodeIndex>>,
    /// Per procedure node: the length of its longest chain of steps.
    pub(crate) proc_len: Vec<Duration>,
    /// Per procedure node: its last step on the longest chain.
    proc_last: Vec<Option<NodeIndex>>,
    /// Per step node: start and finish relative to its procedure's start, and the step
    /// before it on its longest chain.
    step_rel: Vec<(Duration, Duration)>,
    step_pred: Vec<Option<NodeIndex>>,
}

/// Longest chain of each procedure's steps (steps with no `after` start at 0), then the
/// priority order and, in the same pass, every node's start and achievable time.
pub(crate) fn timing(g: &PlanGraph, procedures: &[ProcedureNodes]) -> Timing {
    let count = g.node_count();
    let mut t = Timing {
        order: Vec::new(),
        waves: Vec::new(),
        topo: Vec::new(),
        evaluation: Vec::new(),
        ext: HashMap::new(),
        start: vec![Duration::ZERO; count],
        finish: vec![Duration::ZERO; count],
        critical_dep: vec![None; count],
        critical_proc: vec![None; count],
        proc_len: vec![Duration::ZERO; count],
        proc_last: vec![None; count],
        step_rel: vec![(Duration::ZERO, Duration::ZERO); count],
        step_pred: vec![None; count],
    };
    for p in procedures {
        schedule_procedure(g, p, &mut t);
    }

    t.topo = priority_order(g, &|n| g[n].kind.is_dependency_node());
    let mut wave = vec![0usize; count];
    let (ext, evaluation) = evaluation_order(g, &t.topo);
    for &n in &evaluation {
        let node = &g[n];
        match node.kind {
            // A site a function depends on costs its activation time (an alternate site must
            // be made ready). A supplier is assumed to deliver: its switch-over time is the
            // cost of losing it, charged by `bcp impact` when a scenario does.
            NodeKind::Site => {
                t.finish[n.index()] = node.duration.unwrap_or_default();
            }
            NodeKind::Procedure => {
                let (start, dep) =
                    latest_of(g, ext.get(&n).map_or(&[][..], Vec::as_slice), &t.finish);
                t.start[n.index()] = start;
                t.critical_dep[n.index()] = dep;
                t.finish[n.index()] = start.plus(t.proc_len[n.index()]);
            }
            NodeKind::Function | NodeKind::System => {
                let (finish, proc) = latest_procedure(g, n, &t.finish);
                if let Some(p) = proc {
                    t.critical_proc[n.index()] = Some(p);
                    t.start[n.index()] = t.start[p.index()];
                    t.critical_dep[n.index()] = t.critical_dep[p.index()];
                    t.finish[n.index()] = finish;
                } else {
                    let deps: Vec<NodeIndex> = dependencies(g, n).map(|(d, _)| d).collect();
                    let (start, dep) = latest_of(g, &deps, &t.finish);
                    t.start[n.index()] = start;
                    t.critical_dep[n.index()] = dep;
                    t.finish[n.index()] = start;
                }
            }
            NodeKind::Supplier | NodeKind::Team | NodeKind::Step => {}
        }
    }
    for &n in &t.topo {
        if g[n].kind.is_recoverable() {
            wave[n.index()] = 1 + dependencies(g, n)
                .filter(|&(d, _)| g[d].kind.is_recoverable())
                .map(|(d, _)| wave[d.index()])
                .max()
                .unwrap_or(0);
        }
    }
    t.ext = ext;
    t.evaluation = evaluation;
    for &n in t.topo.iter().filter(|&&n| g[n].kind.is_recoverable()) {
        let node = &g[n];
        let position = t.order.len() + 1;
        let w = wave[n.index()];
        if t.waves.len() < w {
            t.waves.resize(w, Vec::new());
        }
        t.waves[w - 1].push(node.id.clone());
        let rto = node.rto.as_ref().map(|r| r.value).unwrap_or_default();
        let (start, achievable) = (t.start[n.index()], t.finish[n.index()]);
        let steps = t.scheduled_steps(g, n, start);
        t.order.push(Ordered {
            position,
            wave: w,
            id: node.id.clone(),
            kind: node.kind,
            name: node.name.clone(),
            tier: node.tier,
            rto,
            mtd: node.mtd.as_ref().map(|m| m.value),
            start,
            achievable,
            start_minutes: start.minutes(),
            achievable_minutes: achievable.minutes(),
            over_rto: achievable > rto,
            critical_dependency: t.critical_dep[n.index()].map(|d| g[d].id.clone()),
            steps,
        });
    }
    t
}

/// The latest of some nodes (ties: the smallest id), given each node's finish.
pub(crate) fn latest_of(
    g: &PlanGraph,
    nodes: &[NodeIndex],
    finish: &[Duration],
) -> (Duration, Option<NodeIndex>) {
    let mut best: Option<(Duration, NodeIndex)> = None;
    for &d in nodes {
        let f = finish[d.index()];
        let better = match best {
            None => true,
            Some((bf, bd)) => f > bf || (f == bf && g[d].id < g[bd].id),
        };
        if better {
            best = Some((f, d));
        }
    }
    best.map_or((Duration::ZERO, None), |(f, d)| (f, Some(d)))
}

/// The procedure recovering a node that finishes last (ties: the smallest id).
fn latest_procedure(
    g: &PlanGraph,
    n: NodeIndex,
    finish: &[Duration],
) -> (Duration, Option<NodeIndex>) {
    let procs: Vec<NodeIndex> = procedures_of(g, n).collect();
    latest_of(g, &procs, finish)
}

/// The order in which times are computed, over dependency nodes and procedures. A procedure
/// runs once for all it recovers: it starts when everything its targets depend on outside
/// the procedure is back (`ext`), and its targets are back when it ends. A node without a
/// procedure is back when its dependencies are. Kahn's algorithm, seeded in `topo` order;
/// in the rare plan where a procedure's targets depend on each other through something
/// outside it, the rest follows in `topo` order (each procedure before its targets).
pub(crate) fn evaluation_order(
    g: &PlanGraph,
    topo: &[NodeIndex],
) -> (HashMap<NodeIndex, Vec<NodeIndex>>, Vec<NodeIndex>) {
    let count = g.node_count();
    let mut is_target = vec![false; count];
    let mut ext: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    let mut waiting = vec![0usize; count];
    let mut dependents: Vec<Vec<NodeIndex>> = vec![Vec::new(); count];
    let mut procs: Vec<NodeIndex> = g
        .node_indices()
        .filter(|&n| g[n].kind == NodeKind::Procedure)
        .collect();
    procs.sort_unstable();
    for &p in &procs {
        let targets: Vec<NodeIndex> = g
            .edges_directed(p, Outgoing)
            .filter(|e| e.weight().kind == EdgeKind::Recovers)
            .map(|e| e.target())
            .collect();
        for &t in &targets {
            is_target[t.index()] = true;
        }
        let mut outside = Vec::new();
        for &t in &targets {
            outside.extend(
                dependencies(g, t)
                    .map(|(d, _)| d)
                    .filter(|d| !is_target[d.index()]),
            );
        }
        for &t in &targets {
            is_target[t.index()] = false;
        }
        outside.sort_unstable();
        outside.dedup();
        waiting[p.index()] = outside.len();
        for &d in &outside {
            dependents[d.index()].push(p);
        }
        ext.insert(p, outside);
    }
    for &n in topo {
        let mine: Vec<NodeIndex> = procedures_of(g, n).collect();
        if mine.is_empty() {
            for (d, _) in dependencies(g, n) {
                waiting[n.index()] += 1;
                dependents[d.index()].push(n);
            }
        } else {
            for p in mine {
                waiting[n.index()] += 1;
                dependents[p.index()].push(n);
            }
        }
    }
    let mut queue: VecDeque<NodeIndex> = procs
        .iter()
        .chain(topo)
        .copied()
        .filter(|n| waiting[n.index()] == 0)
        .collect();
    let mut done = vec![false; count];
    let mut order = Vec::with_capacity(topo.len() + procs.len());
    while let Some(n) = queue.pop_front() {
        if done[n.index()] {
            continue;
        }
        done[n.index()] = true;
        order.push(n);
        for &m in &dependents[n.index()] {
            waiting[m.index()] -= 1;
            if waiting[m.index()] == 0 {
                queue.push_back(m);
            }
        }
    }
    for &n in topo {
        for p in procedures_of(g, n) {
            if !done[p.index()] {
                done[p.index()] = true;
                order.push(p);
            }
        }
        if !done[n.index()] {
            done[n.index()] = true;
            order.push(n);
        }
    }
    (ext, order)
}

/// Earliest start and finish of each step of one procedure (Kahn over its `after` edges).
fn schedule_procedure(g: &PlanGraph, p: &ProcedureNodes, t: &mut Timing) {
    let mut waiting: HashMap<NodeIndex, usize> = HashMap::with_capacity(p.steps.len());
    let mut ready = VecDeque::new();
    for &s in &p.steps {
        let n = g
            .edges_directed(s, Outgoing)
            .filter(|e| e.weight().kind == EdgeKind::After)
            .count();
        waiting.insert(s, n);
        if n == 0 {
            ready.push_back(s);
        }
    }
    let mut last: Option<(Duration, NodeIndex)> = None;
    while let Some(s) = ready.pop_front() {
        let (start, _) = t.step_rel[s.index()];
        let finish = start.plus(g[s].duration.unwrap_or_default());
        t.step_rel[s.index()].1 = finish;
        // Reconstitution (return to normal) comes after the recovery: it is scheduled, but
        // does not count towards the recovery time.
        let recovering = g[s].phase != Some(Phase::Reconstitution);
        if recovering && last.is_none_or(|(f, _)| finish > f) {
            last = Some((finish, s));
        }
        for e in g
            .edges_directed(s, Incoming)
            .filter(|e| e.weight().kind == EdgeKind::After)
        {
            let later = e.source();
            let rel = &mut t.step_rel[later.index()];
            // The first predecessor to finish latest fixes the start (ties: plan order).
            if t.step_pred[later.index()].is_none() || finish > rel.0 {
                rel.0 = finish;
                t.step_pred[later.index()] = Some(s);
            }
            if let Some(w) = waiting.get_mut(&later) {
                *w -= 1;
                if *w == 0 {
                    ready.push_back(later);
                }
            }
        }
    }
    if let Some((len, s)) = last {
        t.proc_len[p.node.index()] = len;
        t.proc_last[p.node.index()] = Some(s);
    }
}

impl Timing {
    /// Achievable recovery time of a dependency node.
    pub fn achievable(&self, n: NodeIndex) -> Duration {
        self.finish.get(n.index()).copied().unwrap_or_default()
    }

    /// A procedure's steps on its longest chain, first to last.
    fn critical_steps(&self, p: NodeIndex) -> Vec<NodeIndex> {
        let mut steps = Vec::new();
        let mut at = self.proc_last[p.index()];
        while let Some(s) = at {
            steps.push(s);
            at = self.step_pred[s.index()];
        }
        steps.reverse();
        steps
    }

    /// The node's own steps (every procedure recovering it) placed after `start`.
    fn scheduled_steps(&self, g: &PlanGraph, n: NodeIndex, start: Duration) -> Vec<ScheduledStep> {
        let critical_proc = self.critical_proc[n.index()];
        let critical: Vec<NodeIndex> = critical_proc
            .map(|p| self.critical_steps(p))
            .unwrap_or_default();
        let mut procs: Vec<NodeIndex> = procedures_of(g, n).collect();
        procs.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
        procs.dedup();
        let mut out = Vec::new();
        for p in procs {
            let mut steps: Vec<NodeIndex> = g
                .edges_directed(p, Outgoing)
                .filter(|e| e.weight().kind == EdgeKind::HasStep)
                .map(|e| e.target())
                .collect();
            steps.sort_by_key(|s| (self.step_rel[s.index()], s.index()));
            for s in steps {
                let (rs, rf) = self.step_rel[s.index()];
                let step = &g[s];
                out.push(ScheduledStep {
                    procedure: g[p].id.clone(),
                    step: step.step_id().to_string(),
                    name: step.name.clone(),
                    team: step.team.clone().unwrap_or_default(),
                    phase: step.phase.unwrap_or_default(),
                    start: start.plus(rs),
                    finish: start.plus(rf),
                    critical: Some(p) == critical_proc && critical.contains(&s),
                });
            }
        }
        out
    }

    /// The chain behind a node's achievable time, following each node's latest dependency.
    /// At most `limit` nodes are followed (diagnostics pass [`MAX_PATH_NODES`] so that
    /// printing every path stays linear); the flag says whether the path was cut at its start.
    pub(crate) fn critical_path(
        &self,
        g: &PlanGraph,
        n: NodeIndex,
        limit: usize,
    ) -> (Vec<Segment>, bool) {
        let mut segments = Vec::new();
        let mut at = Some(n);
        let mut hops = 0;
        while let Some(c) = at {
            hops += 1;
            if hops > limit {
                segments.reverse();
                return (segments, true);
            }
            let node = &g[c];
            let items: Vec<SegmentItem> = match node.kind {
                NodeKind::Site | NodeKind::Supplier => node
                    .duration
                    .filter(|d| *d > Duration::ZERO)
                    .map(|d| SegmentItem {
                        label: if node.kind == NodeKind::Site {
                            "activation"
                        } else {
                            "switch-over"
                        }
                        .to_string(),
                        duration: d,
                    })
                    .into_iter()
                    .collect(),
                _ => self.critical_proc[c.index()]
                    .map(|p| self.critical_steps(p))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| SegmentItem {
                        label: g[s].step_id().to_string(),
                        duration: g[s].duration.unwrap_or_default(),
                    })
                    .collect(),
            };
            if !items.is_empty() {
                segments.push(Segment {
                    node: node.id.clone(),
                    kind: node.kind,
                    items,
                });
            }
            at = self.critical_dep[c.index()].filter(|&d| self.finish[d.index()] > Duration::ZERO);
        }
        segments.reverse();
        (segments, false)
    }
}

/// Nodes followed when a diagnostic prints a critical path (a longer one is cut at its start).
pub const MAX_PATH_NODES: usize = 64;
