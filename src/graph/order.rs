//! Cycles, the priority recovery order, waves and achievable recovery times.

use super::evaluate::{Achievable, Conditions, Eval, evaluate};
use super::schedule::{Schedule, schedule};
use super::{EdgeKind, NodeKind, PlanGraph, ProcedureNodes};
use crate::diagnostic::Diagnostic;
use crate::model::{Duration, Phase, Plan, RecoveryPath, Span, Tier};
use crate::t;
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::{Arc, OnceLock};

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
                t!("G001.dependency.message", chain = self.chain()),
                "G001.dependency.edge",
                t!("G001.dependency.help"),
            ),
            Some(p) => (
                t!("G001.step.message", procedure = p, chain = self.chain()),
                "G001.step.edge",
                t!("G001.step.help"),
            ),
        };
        let target = match &self.procedure {
            Some(p) => p.clone(),
            None => self
                .edges
                .first()
                .map(|e| e.from.clone())
                .unwrap_or_default(),
        };
        let mut d = Diagnostic::error("G001", message).at(first).target(target);
        for (i, e) in self.edges.iter().take(MAX_CYCLE_LABELS).enumerate() {
            let text = t!(verb, from = e.from, to = e.to);
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
/// chain of 80,000 dependencies overflowed the stack. A plan without cycles (the usual case)
/// is told by an iterative topological sort first, which allocates nothing per node, where
/// Kosaraju's algorithm allocates a list for every component.
pub(crate) fn cycles(g: &PlanGraph) -> Vec<Cycle> {
    let filtered = EdgeFiltered::from_fn(g, |e| {
        matches!(e.weight().kind, EdgeKind::DependsOn | EdgeKind::After)
    });
    if petgraph::algo::toposort(&filtered, None).is_ok() {
        return Vec::new();
    }
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
    let mut parent: FxHashMap<NodeIndex, (NodeIndex, Span)> = FxHashMap::default();
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
/// `candidates` holds every node `include` may accept (all nodes, or a scenario's affected
/// ones), so the cost follows the nodes considered.
pub(crate) fn priority_order(
    g: &PlanGraph,
    candidates: impl Iterator<Item = NodeIndex>,
    include: &dyn Fn(NodeIndex) -> bool,
) -> Vec<NodeIndex> {
    type Key<'a> = Reverse<(u64, u8, &'a str, NodeIndex)>;
    let key = |n: NodeIndex| -> Key<'_> {
        let node = &g[n];
        Reverse((
            node.rto().map_or(0, |r| r.minutes()),
            node.tier_rank(),
            node.id.as_str(),
            n,
        ))
    };
    let mut remaining = vec![0usize; g.node_count()];
    let mut heap: BinaryHeap<Key<'_>> = BinaryHeap::new();
    for n in candidates.filter(|&n| include(n)) {
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
/// Its own steps, at their times, are placed on demand by [`Timing::steps_of`]: only
/// `order --format json` lists them, and placing every step of a large plan costs four
/// strings a step.
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
    /// Whether a procedure recovers it; without one it is back when its dependencies are.
    pub has_procedure: bool,
    /// Whether a workaround lets it run before the systems it covers are back.
    pub workaround: bool,
    /// With a workaround: when everything it depends on is back (full service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<Duration>,
    /// The dependency that is back last and so fixes `start`.
    pub critical_dependency: Option<String>,
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
/// supplier's switch-over); `lost` when a scenario loses it.
#[derive(Clone, Debug, Serialize)]
pub struct Segment {
    pub node: String,
    pub kind: NodeKind,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lost: bool,
    pub items: Vec<SegmentItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SegmentItem {
    /// A step id, or `activation` / `switch-over` / `<site> activation`.
    pub label: String,
    pub duration: Duration,
}

/// Renders a critical path: `core-db: restore (6h) -> payments: declare (30m) -> verify (1h)`.
/// The node prefix is left out when the path stays inside one node; a lost item reads
/// `dc-main lost -> dr-same-city activation (30m)`.
pub fn chain_text(segments: &[Segment]) -> String {
    let prefix = segments.len() > 1;
    let mut parts = Vec::new();
    for s in segments {
        if s.lost {
            parts.push(format!("{} lost", s.node));
        }
        for (i, item) in s.items.iter().enumerate() {
            let head = if prefix && i == 0 && !s.lost {
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
    /// Functions and systems in recovery order, with the ids per wave: built when first
    /// asked for ([`Timing::order`]), since `validate` never shows it (4 MB of copied ids,
    /// names and times on a 10,000-function plan).
    order: OnceLock<RecoveryOrder>,
    /// Every dependency node (sites and suppliers too), dependencies first.
    pub(crate) topo: Vec<NodeIndex>,
    /// Dependency nodes and procedures in the order their times are computed.
    pub(crate) evaluation: Vec<NodeIndex>,
    /// Per node: its position in `evaluation` (`u32::MAX` when not in it).
    pub(crate) evaluation_position: Arc<[u32]>,
    /// Per procedure: what its targets depend on outside the procedure, with the target
    /// that depends on it; it starts when all of that is back.
    pub(crate) ext: FxHashMap<NodeIndex, Vec<(NodeIndex, NodeIndex)>>,
    /// Per procedure node: its steps, and their schedules on each path (in place, failover)
    /// without warning.
    procedures: FxHashMap<NodeIndex, ProcedureTimes>,
    /// The whole plan down at once.
    pub(crate) eval: Eval,
}

#[derive(Debug)]
struct ProcedureTimes {
    steps: Vec<NodeIndex>,
    /// The schedule in place, then on failover; one schedule serves both when no step
    /// names a path (most procedures).
    paths: Vec<Schedule>,
}

impl ProcedureTimes {
    fn on(&self, path: RecoveryPath) -> &Schedule {
        let i = match path {
            RecoveryPath::InPlace => 0,
            RecoveryPath::Failover => 1,
        };
        &self.paths[i.min(self.paths.len() - 1)]
    }
}

/// Longest chain of each procedure's steps on each path (steps with no `after` start at 0),
/// then the priority order and, in the same pass, every node's start and achievable time
/// with the whole plan down at once (see [`super::evaluate`]).
pub(crate) fn timing(g: &PlanGraph, procedures: &[ProcedureNodes]) -> Timing {
    let count = g.node_count();
    let mut procedure_times = FxHashMap::with_capacity_and_hasher(procedures.len(), FxBuildHasher);
    for p in procedures {
        let paths = if p.steps.iter().any(|&s| g[s].path.is_some()) {
            RecoveryPath::BOTH
                .iter()
                .map(|&path| schedule(g, &p.steps, path, Duration::ZERO))
                .collect()
        } else {
            vec![schedule(g, &p.steps, RecoveryPath::InPlace, Duration::ZERO)]
        };
        procedure_times.insert(
            p.node,
            ProcedureTimes {
                steps: p.steps.clone(),
                paths,
            },
        );
    }
    let topo = priority_order(g, g.node_indices(), &|n| g[n].kind.is_dependency_node());
    let (ext, evaluation) = evaluation_order(g, &topo);
    let mut evaluation_position = vec![u32::MAX; count];
    for (i, &n) in evaluation.iter().enumerate() {
        evaluation_position[n.index()] = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let mut t = Timing {
        order: OnceLock::new(),
        topo,
        evaluation,
        evaluation_position: evaluation_position.into(),
        ext,
        procedures: procedure_times,
        eval: Eval::empty(),
    };
    let blocked = FxHashMap::default();
    let whole_plan = Conditions {
        lost: &[],
        blocked: &blocked,
        warning: Duration::ZERO,
        whole_plan: true,
    };
    t.eval = evaluate(g, &t, &whole_plan, &t.evaluation);
    t
}

/// Functions and systems in recovery order, and the ids per wave.
#[derive(Debug)]
struct RecoveryOrder {
    entries: Vec<Ordered>,
    waves: Vec<Vec<String>>,
}

impl Timing {
    /// Functions and systems in recovery order. `plan` and `g` are those the timing was
    /// computed from.
    pub fn order(&self, plan: &Plan, g: &PlanGraph) -> &[Ordered] {
        &self.recovery_order(plan, g).entries
    }

    /// Ids per wave, in order.
    pub fn waves(&self, plan: &Plan, g: &PlanGraph) -> &[Vec<String>] {
        &self.recovery_order(plan, g).waves
    }

    fn recovery_order(&self, plan: &Plan, g: &PlanGraph) -> &RecoveryOrder {
        self.order.get_or_init(|| self.build_order(plan, g))
    }

    fn build_order(&self, plan: &Plan, g: &PlanGraph) -> RecoveryOrder {
        let mut wave = vec![0usize; g.node_count()];
        for &n in &self.topo {
            if g[n].kind.is_recoverable() {
                wave[n.index()] = 1 + dependencies(g, n)
                    .filter(|&(d, _)| g[d].kind.is_recoverable())
                    .map(|(d, _)| wave[d.index()])
                    .max()
                    .unwrap_or(0);
            }
        }
        let mut order = Vec::new();
        let mut waves: Vec<Vec<String>> = Vec::new();
        for &n in self.topo.iter().filter(|&&n| g[n].kind.is_recoverable()) {
            let node = &g[n];
            let position = order.len() + 1;
            let w = wave[n.index()];
            if waves.len() < w {
                waves.resize(w, Vec::new());
            }
            waves[w - 1].push(node.id.clone());
            let rto = node.rto().map(|r| r.value).unwrap_or_default();
            let (start, achievable) = (self.start(n), self.achievable(n));
            order.push(Ordered {
                position,
                wave: w,
                id: node.id.clone(),
                kind: node.kind,
                name: node.name(plan).to_string(),
                tier: node.tier,
                rto,
                mtd: node.mtd().map(|m| m.value),
                start,
                achievable,
                start_minutes: start.minutes(),
                achievable_minutes: achievable.minutes(),
                over_rto: achievable > rto,
                has_procedure: procedures_of(g, n).next().is_some(),
                workaround: self.eval.worked_around[self.eval.at(n)],
                restored: self.eval.restored.get(&n).and_then(|r| r.time()),
                critical_dependency: self.eval.pred[self.eval.at(n)]
                    .filter(|&d| g[d].kind.is_dependency_node())
                    .map(|d| g[d].id.clone()),
            });
        }
        RecoveryOrder {
            entries: order,
            waves,
        }
    }
}

/// The order in which times are computed, over dependency nodes and procedures. A procedure
/// runs once for all it recovers: it starts when everything its targets depend on outside
/// the procedure is back (`ext`), and its targets are back when it ends. A node without a
/// procedure is back when its dependencies are. Kahn's algorithm, seeded in `topo` order;
/// in the rare plan where a procedure's targets depend on each other through something
/// outside it, the rest follows in `topo` order (each procedure before its targets).
#[allow(clippy::type_complexity)]
pub(crate) fn evaluation_order(
    g: &PlanGraph,
    topo: &[NodeIndex],
) -> (
    FxHashMap<NodeIndex, Vec<(NodeIndex, NodeIndex)>>,
    Vec<NodeIndex>,
) {
    let count = g.node_count();
    let mut is_target = vec![false; count];
    let mut ext: FxHashMap<NodeIndex, Vec<(NodeIndex, NodeIndex)>> = FxHashMap::default();
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
                    .filter(|d| !is_target[d.index()])
                    .map(|d| (d, t)),
            );
        }
        for &t in &targets {
            is_target[t.index()] = false;
        }
        outside.sort_unstable();
        outside.dedup();
        let mut distinct: Vec<NodeIndex> = outside.iter().map(|&(d, _)| d).collect();
        distinct.dedup();
        waiting[p.index()] = distinct.len();
        for &d in &distinct {
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

impl Timing {
    /// Achievable recovery time of a dependency node with the whole plan down.
    pub fn achievable(&self, n: NodeIndex) -> Duration {
        self.eval.value[self.eval.at(n)].time().unwrap_or_default()
    }

    /// With a workaround: when everything the node depends on is back, whole plan down.
    pub fn restored(&self, n: NodeIndex) -> Duration {
        self.eval
            .restored
            .get(&n)
            .and_then(|v| v.time())
            .unwrap_or_else(|| self.achievable(n))
    }

    /// When a node's own procedures can start with the whole plan down.
    pub fn start(&self, n: NodeIndex) -> Duration {
        self.eval.start[self.eval.at(n)].time().unwrap_or_default()
    }

    /// The path a procedure follows with the whole plan down: the longer of the two (ties:
    /// in place).
    pub(crate) fn whole_plan_path(&self, p: NodeIndex) -> RecoveryPath {
        match self.procedures.get(&p) {
            Some(times)
                if times.on(RecoveryPath::Failover).len > times.on(RecoveryPath::InPlace).len =>
            {
                RecoveryPath::Failover
            }
            _ => RecoveryPath::InPlace,
        }
    }

    /// A procedure's length on a path, with a warning time.
    pub(crate) fn procedure_length(
        &self,
        g: &PlanGraph,
        p: NodeIndex,
        path: RecoveryPath,
        warning: Duration,
    ) -> Duration {
        let Some(times) = self.procedures.get(&p) else {
            return Duration::ZERO;
        };
        if warning == Duration::ZERO {
            times.on(path).len
        } else {
            schedule(g, &times.steps, path, warning).len
        }
    }

    /// A node's own recovery steps on the whole-plan timeline, starting at `start` (the node's
    /// [`Ordered::start`]): its procedures by id, each procedure's steps on the path taken in
    /// the order they start.
    pub fn steps_of(
        &self,
        plan: &Plan,
        g: &PlanGraph,
        n: NodeIndex,
        start: Duration,
    ) -> Vec<ScheduledStep> {
        let critical_proc = self.eval.proc[self.eval.at(n)];
        let mut out = Vec::new();
        let mut procs: Vec<NodeIndex> = procedures_of(g, n).collect();
        procs.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
        procs.dedup();
        for p in procs {
            let Some(times) = self.procedures.get(&p) else {
                continue;
            };
            let schedule = times.on(self.whole_plan_path(p));
            let chain = if Some(p) == critical_proc {
                schedule.chain()
            } else {
                Vec::new()
            };
            let mut steps: Vec<usize> = (0..times.steps.len())
                .filter(|&i| schedule.on_path[i])
                .collect();
            steps.sort_by_key(|&i| (schedule.rel[i], i));
            for i in steps {
                let (rs, rf) = schedule.rel[i];
                let step = &g[times.steps[i]];
                let at = |m: i64| start.plus(Duration::from_minutes(u64::try_from(m).unwrap_or(0)));
                out.push(ScheduledStep {
                    procedure: g[p].id.clone(),
                    step: step.step_id().to_string(),
                    name: step.name(plan).to_string(),
                    team: super::step_team(g, times.steps[i])
                        .map(|team| g[team].id.clone())
                        .unwrap_or_default(),
                    phase: step.phase.unwrap_or_default(),
                    start: at(rs),
                    finish: at(rf),
                    critical: chain.contains(&i),
                });
            }
        }
        out
    }

    /// Whether [`Timing::steps_of`] lists any step for the node.
    pub fn has_steps(&self, g: &PlanGraph, n: NodeIndex) -> bool {
        procedures_of(g, n).any(|p| {
            self.procedures
                .get(&p)
                .is_some_and(|times| times.on(self.whole_plan_path(p)).on_path.contains(&true))
        })
    }

    /// The chain behind a node's achievable time with the whole plan down. At most `limit`
    /// nodes are followed (diagnostics pass [`MAX_PATH_NODES`] so that printing every path
    /// stays linear); the flag says whether the path was cut at its start.
    pub(crate) fn critical_path(
        &self,
        g: &PlanGraph,
        n: NodeIndex,
        limit: usize,
    ) -> (Vec<Segment>, bool) {
        self.path_of(g, &self.eval, &[], Duration::ZERO, n, limit)
    }

    /// The chain behind a node's time in an evaluation: following each node's latest
    /// dependency back to the lost item (or the first thing recovered).
    pub(crate) fn path_of(
        &self,
        g: &PlanGraph,
        e: &Eval,
        lost: &[bool],
        warning: Duration,
        n: NodeIndex,
        limit: usize,
    ) -> (Vec<Segment>, bool) {
        let is_lost = |c: NodeIndex| lost.get(c.index()).copied().unwrap_or(false);
        let activation = |site: NodeIndex, label: String| SegmentItem {
            label,
            duration: g[site].duration.unwrap_or_default(),
        };
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
            let i = e.at(c);
            let segment = |lost: bool, items: Vec<SegmentItem>| Segment {
                node: node.id.clone(),
                kind: node.kind,
                lost,
                items,
            };
            at = None;
            match node.kind {
                NodeKind::Site if is_lost(c) => {
                    let items = e.pred[i]
                        .map(|a| vec![activation(a, format!("{} activation", g[a].id))])
                        .unwrap_or_default();
                    segments.push(segment(true, items));
                }
                NodeKind::Supplier if is_lost(c) => {
                    let items = e.value[i]
                        .time()
                        .map(|d| {
                            vec![SegmentItem {
                                label: "switch-over".to_string(),
                                duration: d,
                            }]
                        })
                        .unwrap_or_default();
                    segments.push(segment(true, items));
                }
                NodeKind::Site | NodeKind::Supplier => {
                    if let Some(d) = node.duration.filter(|d| *d > Duration::ZERO)
                        && node.kind == NodeKind::Site
                    {
                        segments.push(segment(
                            false,
                            vec![SegmentItem {
                                label: "activation".to_string(),
                                duration: d,
                            }],
                        ));
                    }
                }
                _ => {
                    if is_lost(c) && e.proc[i].is_none() {
                        let items = e.dr[i]
                            .map(|dr| {
                                vec![activation(dr, format!("DR site {} activation", g[dr].id))]
                            })
                            .unwrap_or_default();
                        segments.push(segment(true, items));
                    } else if let Some(p) = e.proc[i] {
                        let items = self.steps_on_path(g, e, p, warning);
                        if !items.is_empty() {
                            segments.push(segment(false, items));
                        }
                    }
                    let pred = e.pred[i];
                    match (pred, e.dr[i]) {
                        // Failing over to the DR site in place of a lost site.
                        (Some(site), Some(dr)) if !(is_lost(c) && e.proc[i].is_none()) => {
                            segments.push(Segment {
                                node: g[site].id.clone(),
                                kind: NodeKind::Site,
                                lost: true,
                                items: vec![activation(dr, format!("{} activation", g[dr].id))],
                            });
                        }
                        _ => {
                            at = pred.filter(|&d| e.value[e.at(d)] != Achievable::ZERO);
                        }
                    }
                }
            }
        }
        segments.reverse();
        (segments, false)
    }

    /// A procedure's steps on the chain that fixes its length, as path items.
    fn steps_on_path(
        &self,
        g: &PlanGraph,
        e: &Eval,
        p: NodeIndex,
        warning: Duration,
    ) -> Vec<SegmentItem> {
        let Some(times) = self.procedures.get(&p) else {
            return Vec::new();
        };
        let path = e.path[e.at(p)];
        let fresh;
        let schedule = if warning == Duration::ZERO {
            times.on(path)
        } else {
            fresh = schedule(g, &times.steps, path, warning);
            &fresh
        };
        schedule
            .chain()
            .into_iter()
            .filter(|&i| {
                schedule.on_path[i]
                    && (warning == Duration::ZERO || schedule.counted(i) > Duration::ZERO)
            })
            .map(|i| SegmentItem {
                label: g[times.steps[i]].step_id().to_string(),
                duration: schedule.counted(i),
            })
            .collect()
    }
}

/// Nodes followed when a diagnostic prints a critical path (a longer one is cut at its start).
pub const MAX_PATH_NODES: usize = 64;
