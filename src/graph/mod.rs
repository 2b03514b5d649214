//! The recovery analysis: a petgraph model of the plan and the analyses over it.
//!
//! [`analyse`] builds one directed graph of functions, systems, sites, suppliers, teams,
//! procedures and steps, then, in order:
//! 1. finds dependency cycles (and step cycles inside a procedure) with Kosaraju's algorithm and
//!    walks each component to print the cycle as a chain (G001); when there is a cycle nothing
//!    below runs, because an order does not exist;
//! 2. checks every dependency edge for RTO and RPO inversions (G002, G003);
//! 3. computes the priority recovery order (Kahn's algorithm, smallest RTO first, then tier,
//!    then id), its waves, and each node's achievable recovery time in one topological pass;
//!    a time over the RTO is G004, over what the latest exercise demonstrated G005;
//! 4. analyses the call tree (C001-C003).
//!
//! Scenario impact ([`impact()`]) and the exports ([`export`]) reuse the built graph.
//! Every pass is O((V + E) log V): no all-pairs or per-function walks.
//!
//! Edges point from the dependent to what it needs: `payments -> core-banking` reads
//! "payments depends on core-banking".

mod calltree;
mod evaluate;
pub mod export;
mod findings;
mod impact;
pub mod matrix;
mod order;
pub mod report;
mod schedule;

pub use calltree::{CallTreeReport, KeyPersonRisk, Reached};
pub use impact::{
    Achievable, Affected, Impact, ImpactOrdered, Lost, Outcome, ScenarioInfo, ScenarioRun,
    Staffing, Status, impact, resolve_lost,
};
pub use order::{Cycle, CycleEdge, Ordered, ScheduledStep, Segment, Timing};

use crate::diagnostic::Diagnostic;
use crate::model::{Duration, Function, Phase, Plan, RecoveryPath, Sp, Span, SystemKind, Tier};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::Serialize;
use std::hash::BuildHasher as _;

/// What a node of the graph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Function,
    System,
    Site,
    Supplier,
    Team,
    Procedure,
    Step,
}

impl NodeKind {
    /// The kind's name in the language of messages.
    pub fn word(self) -> &'static str {
        crate::i18n::raw(crate::i18n::current(), &format!("kind.{}", self.as_str()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Function => "function",
            NodeKind::System => "system",
            NodeKind::Site => "site",
            NodeKind::Supplier => "supplier",
            NodeKind::Team => "team",
            NodeKind::Procedure => "procedure",
            NodeKind::Step => "step",
        }
    }

    /// Whether the node takes part in the dependency analysis (order, achievable times).
    pub fn is_dependency_node(self) -> bool {
        matches!(
            self,
            NodeKind::Function | NodeKind::System | NodeKind::Site | NodeKind::Supplier
        )
    }

    /// Whether the node is recovered by procedures and appears in the recovery order.
    pub fn is_recoverable(self) -> bool {
        matches!(self, NodeKind::Function | NodeKind::System)
    }
}

/// One node: an entity of the plan, with the values the analyses read.
#[derive(Clone, Debug)]
pub struct Node {
    /// The entity's id; a step's is `procedure/step`.
    pub id: String,
    pub kind: NodeKind,
    /// Where the entity is in the plan: its position in its section's list, and for a step
    /// its position among the procedure's steps. The name is read from there ([`Node::name`])
    /// rather than copied: names were 4 MB of the graph of a 10,000-function plan.
    entity: [u32; 2],
    /// Where the id is written.
    pub span: Span,
    /// Functions only.
    pub tier: Option<Tier>,
    /// Functions and systems: their objectives, boxed because the other five kinds (five
    /// nodes in six on the generated plans, steps and procedures above all) have none, and
    /// four optional positioned durations inline would double every node's size.
    targets: Option<Box<Targets>>,
    /// A step's duration, a site's activation time, a supplier's switch-over time.
    pub duration: Option<Duration>,
    /// Steps only.
    pub phase: Option<Phase>,
    /// Steps only: the one recovery path the step belongs to, if not both.
    pub path: Option<RecoveryPath>,
    /// Systems: whether it holds business data (not a network, infrastructure or end-user
    /// equipment), so that what depends on it takes its RPO (G003).
    pub holds_data: bool,
}

/// The objectives of a function or system node.
#[derive(Clone, Debug, Default)]
struct Targets {
    rto: Option<Sp<Duration>>,
    rpo: Option<Sp<Duration>>,
    /// Functions only.
    mtd: Option<Sp<Duration>>,
    /// Functions with a workaround: how long it can be kept up (the systems it covers are
    /// the targets of the function's `covers` edges).
    sustain: Option<Sp<Duration>>,
}

impl Node {
    /// Functions and systems.
    pub fn rto(&self) -> Option<&Sp<Duration>> {
        self.targets.as_ref()?.rto.as_ref()
    }

    /// Functions and systems.
    pub fn rpo(&self) -> Option<&Sp<Duration>> {
        self.targets.as_ref()?.rpo.as_ref()
    }

    /// Functions only.
    pub fn mtd(&self) -> Option<&Sp<Duration>> {
        self.targets.as_ref()?.mtd.as_ref()
    }

    /// Functions with a workaround: how long it can be kept up.
    pub fn sustain(&self) -> Option<&Sp<Duration>> {
        self.targets.as_ref()?.sustain.as_ref()
    }

    /// The function a function's node stands for, in the plan the graph was built from.
    pub(crate) fn function<'p>(&self, plan: &'p Plan) -> Option<&'p Function> {
        (self.kind == NodeKind::Function)
            .then(|| plan.functions.get(self.entity[0] as usize))
            .flatten()
            .map(|f| &f.value)
    }

    /// The entity's name, from the plan the graph was built from.
    pub fn name<'p>(&self, plan: &'p Plan) -> &'p str {
        let [at, step] = self.entity.map(|i| i as usize);
        let name = match self.kind {
            NodeKind::Function => self.function(plan).map(|f| &f.name),
            NodeKind::System => plan.systems.get(at).map(|s| &s.name),
            NodeKind::Site => plan.sites.get(at).map(|s| &s.name),
            NodeKind::Supplier => plan.suppliers.get(at).map(|s| &s.name),
            NodeKind::Team => plan.teams.get(at).map(|t| &t.name),
            NodeKind::Procedure => plan.procedures.get(at).map(|p| &p.name),
            NodeKind::Step => plan
                .procedures
                .get(at)
                .and_then(|p| p.steps.get(step))
                .map(|s| &s.name),
        };
        name.map_or("", String::as_str)
    }

    fn new(id: impl Into<String>, kind: NodeKind, entity: [usize; 2], span: Span) -> Self {
        Node {
            id: id.into(),
            kind,
            // A plan's lists are far below 2^32 entries; past that, the name reads empty.
            entity: entity.map(|i| u32::try_from(i).unwrap_or(u32::MAX)),
            span,
            tier: None,
            targets: None,
            duration: None,
            phase: None,
            path: None,
            holds_data: false,
        }
    }

    /// The step's own id within its procedure (`restore` for `dr-core/restore`).
    pub fn step_id(&self) -> &str {
        self.id
            .rsplit_once('/')
            .map_or(self.id.as_str(), |(_, s)| s)
    }

    /// Priority of a tier in the order: critical first; nodes without a tier last.
    fn tier_rank(&self) -> u8 {
        self.tier.map_or(4, |t| t as u8)
    }
}

/// The team that carries out a step: the target of its `performed_by` edge (the reference
/// is kept in the edge, not copied into the node).
pub fn step_team(g: &PlanGraph, step: NodeIndex) -> Option<NodeIndex> {
    g.edges_directed(step, petgraph::Direction::Outgoing)
        .find(|e| e.weight().kind == EdgeKind::PerformedBy)
        .map(|e| e.target())
}

/// What an edge means. Every edge points from the dependent or owner to what it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Function or system -> function, system, site or supplier it needs.
    DependsOn,
    /// Procedure -> function or system it brings back.
    Recovers,
    /// Procedure -> one of its steps.
    HasStep,
    /// Step -> step of the same procedure it waits for.
    After,
    /// Step -> team that carries it out.
    PerformedBy,
    /// Site -> its alternate site; supplier -> an alternate supplier.
    Alternate,
    /// System -> its disaster recovery site.
    DrSite,
    /// Function -> a system its workaround lets it do without for a while.
    Covers,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::DependsOn => "depends_on",
            EdgeKind::Recovers => "recovers",
            EdgeKind::HasStep => "has_step",
            EdgeKind::After => "after",
            EdgeKind::PerformedBy => "performed_by",
            EdgeKind::Alternate => "alternate",
            EdgeKind::DrSite => "dr_site",
            EdgeKind::Covers => "covers",
        }
    }
}

/// One edge and where the reference behind it is written.
#[derive(Clone, Copy, Debug)]
pub struct Edge {
    pub kind: EdgeKind,
    pub span: Span,
}

/// The plan as a graph.
pub type PlanGraph = DiGraph<Node, Edge>;

/// Entity id -> node, for functions, systems, sites, suppliers, teams and procedures: node
/// indices hashed by their node's id, so the ids are not copied again as keys (a map of
/// owned ids was 2 MB of a 10,000-function plan's graph).
#[derive(Debug, Default)]
pub(crate) struct NodeIds(hashbrown::HashTable<NodeIndex>);

impl NodeIds {
    fn with_capacity(n: usize) -> Self {
        NodeIds(hashbrown::HashTable::with_capacity(n))
    }

    fn hash(id: &str) -> u64 {
        FxBuildHasher.hash_one(id)
    }

    /// The node of `id` in `g`, the graph the ids were added from.
    pub(crate) fn get(&self, g: &PlanGraph, id: &str) -> Option<NodeIndex> {
        self.0.find(Self::hash(id), |&n| g[n].id == id).copied()
    }

    /// Adds the node `n` of `g` under its id; a later node with the same id replaces it.
    fn insert(&mut self, g: &PlanGraph, n: NodeIndex) {
        let id = g[n].id.as_str();
        match self.0.entry(
            Self::hash(id),
            |&m| g[m].id == id,
            |&m| Self::hash(&g[m].id),
        ) {
            hashbrown::hash_table::Entry::Occupied(mut e) => *e.get_mut() = n,
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(n);
            }
        }
    }
}

/// Everything the analysis found: the graph, cycles, the recovery order with achievable times,
/// the call tree, and the findings as diagnostics. Owns its data, so it can live beside the
/// plan (in [`crate::Checked`]) and be handed to the render stage.
#[derive(Debug)]
pub struct Analysis {
    pub graph: PlanGraph,
    /// Entity id -> node, for functions, systems, sites, suppliers, teams and procedures.
    lookup: NodeIds,
    /// Dependency and step cycles; when any exist, [`Analysis::timing`] is `None`.
    pub cycles: Vec<Cycle>,
    /// The recovery order and achievable times; `None` when the graph has a cycle.
    pub timing: Option<Timing>,
    /// The call tree analysis; `None` when the plan has no call tree.
    pub call_tree: Option<CallTreeReport>,
    /// Each scenario of the plan analysed, in plan order; empty when the graph has a cycle.
    pub scenarios: Vec<impact::ScenarioRun>,
    /// Who is who, for scenarios that lose people; built when one does.
    pub(crate) people: std::sync::OnceLock<impact::PeopleIndex>,
    /// Every finding, unsorted (the caller sorts all diagnostics together).
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// The node of an entity id (function, system, site, supplier, team, procedure).
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.lookup.get(&self.graph, id)
    }

    /// The recovery order: functions and systems, dependencies first. Empty when there is a
    /// cycle. `plan` is the plan analysed.
    pub fn order(&self, plan: &Plan) -> &[Ordered] {
        self.timing
            .as_ref()
            .map_or(&[], |t| t.order(plan, &self.graph))
    }

    /// A function's or system's all-up recovery time: its own procedures with everything it
    /// depends on up, on the faster of its two recovery paths, with a warning time (no
    /// procedure: 0). No scenario brings it back sooner. `None` when unknown (a cycle).
    pub fn all_up(&self, id: &str, warning: Duration) -> Option<Duration> {
        let t = self.timing.as_ref()?;
        let n = self.node(id)?;
        let procs: Vec<NodeIndex> = order::procedures_of(&self.graph, n).collect();
        RecoveryPath::BOTH
            .iter()
            .map(|&path| {
                procs
                    .iter()
                    .map(|&p| t.procedure_length(&self.graph, p, path, warning))
                    .max()
                    .unwrap_or_default()
            })
            .min()
    }

    /// The chain behind an achievable recovery time, from the first thing recovered to the
    /// node's own last step. Empty when unknown (a cycle) or when nothing takes time.
    pub fn critical_path(&self, id: &str) -> Vec<Segment> {
        match (&self.timing, self.node(id)) {
            (Some(t), Some(n)) => t.critical_path(&self.graph, n, usize::MAX).0,
            _ => Vec::new(),
        }
    }
}

/// Builds the graph and runs every analysis. The plan must have passed the reference checks
/// (ids unique, references resolving); see [`crate::load_and_check`].
pub fn analyse(plan: &Plan) -> Analysis {
    build(plan).analyse(plan)
}

/// A plan's graph, built but not analysed yet.
///
/// Building needs nothing the reference checks establish (a reference that does not resolve is
/// left out, a repeated id names its last node), so `validate` builds it while they run and
/// analyses it only once they pass; see [`crate::check_loaded_keeping`].
#[derive(Debug)]
pub struct Built {
    graph: PlanGraph,
    lookup: NodeIds,
    procedures: Vec<ProcedureNodes>,
}

impl Built {
    /// Runs every analysis. The plan, the one the graph was built from, must have passed the
    /// reference checks.
    pub fn analyse(self, plan: &Plan) -> Analysis {
        let Built {
            graph,
            lookup,
            procedures,
        } = self;
        let mut diagnostics = Vec::new();
        let cycles = order::cycles(&graph);
        diagnostics.extend(cycles.iter().map(|c| c.diagnostic(&graph)));
        findings::inversions(&graph, &mut diagnostics);
        let people = std::sync::OnceLock::new();
        let mut scenarios = Vec::new();
        let timing = if cycles.is_empty() {
            let timing = order::timing(&graph, &procedures);
            findings::over_rto(&graph, &timing, &mut diagnostics);
            let ctx = impact::Ctx {
                plan,
                g: &graph,
                lookup: &lookup,
                t: &timing,
                people: &people,
            };
            for &(f, system, value) in &timing.eval.outlasted {
                diagnostics.extend(impact::outlasted(&ctx, f, system, value, None));
            }
            scenarios = impact::run_plan_scenarios(&ctx, &mut diagnostics);
            findings::exercises(plan, &graph, &lookup, &timing, &scenarios, &mut diagnostics);
            findings::supplier_switch_over(plan, &graph, &lookup, &timing, &mut diagnostics);
            Some(timing)
        } else {
            None
        };
        let call_tree = calltree::analyse(plan, &mut diagnostics);
        Analysis {
            graph,
            lookup,
            cycles,
            timing,
            call_tree,
            scenarios,
            people,
            diagnostics,
        }
    }
}

/// How many edges [`build`] adds at most (one per reference; an unresolved one is left out),
/// so the graph's edge list is allocated once, at its size.
fn edge_count(plan: &Plan) -> usize {
    let functions: usize = plan
        .functions
        .iter()
        .map(|f| {
            let d = &f.depends_on;
            d.functions.len()
                + d.systems.len()
                + d.sites.len()
                + d.suppliers.len()
                + f.workaround.as_ref().map_or(0, |w| w.covers.len())
        })
        .sum();
    let systems: usize = plan
        .systems
        .iter()
        .map(|s| {
            let d = &s.depends_on;
            d.systems.len() + d.sites.len() + d.suppliers.len() + usize::from(s.dr_site.is_some())
        })
        .sum();
    let sites = plan.sites.iter().filter(|s| s.alternate.is_some()).count();
    let suppliers: usize = plan.suppliers.iter().map(|s| s.alternates.len()).sum();
    // A step: its procedure's edge, its team's, and one per step it waits for.
    let procedures: usize = plan
        .procedures
        .iter()
        .map(|p| p.recovers.len() + p.steps.iter().map(|s| 2 + s.after.len()).sum::<usize>())
        .sum();
    functions + systems + sites + suppliers + procedures
}

/// A procedure as the timing pass sees it: its node, its steps and the targets it recovers.
#[derive(Debug)]
pub(crate) struct ProcedureNodes {
    pub node: NodeIndex,
    /// Step nodes in plan order.
    pub steps: Vec<NodeIndex>,
}

/// Builds the graph of `plan`: a node per entity and step, an edge per reference.
pub fn build(plan: &Plan) -> Built {
    let steps: usize = plan.procedures.iter().map(|p| p.steps.len()).sum();
    let nodes = plan.functions.len()
        + plan.systems.len()
        + plan.sites.len()
        + plan.suppliers.len()
        + plan.teams.len()
        + plan.procedures.len()
        + steps;
    let edges = edge_count(plan);
    let mut g = PlanGraph::with_capacity(nodes, edges);
    let mut lookup = NodeIds::with_capacity(nodes - steps);
    let mut add = |g: &mut PlanGraph, node: Node| {
        let index = g.add_node(node);
        lookup.insert(g, index);
        index
    };
    for (i, f) in plan.functions.iter().enumerate() {
        let mut n = Node::new(f.id.as_str(), NodeKind::Function, [i, 0], f.id.span);
        n.tier = Some(f.tier.value);
        n.targets = Some(Box::new(Targets {
            rto: Some(f.rto.clone()),
            rpo: f.rpo_duration(),
            mtd: Some(f.mtd.clone()),
            sustain: f.workaround.as_ref().map(|w| w.sustainable_for.clone()),
        }));
        add(&mut g, n);
    }
    for (i, s) in plan.systems.iter().enumerate() {
        let mut n = Node::new(s.id.as_str(), NodeKind::System, [i, 0], s.id.span);
        n.targets = Some(Box::new(Targets {
            rto: Some(s.rto.clone()),
            rpo: s.rpo_duration(),
            ..Targets::default()
        }));
        n.holds_data = !matches!(
            s.kind,
            SystemKind::Network | SystemKind::Infrastructure | SystemKind::EndUser
        );
        add(&mut g, n);
    }
    for (i, s) in plan.sites.iter().enumerate() {
        let mut n = Node::new(s.id.as_str(), NodeKind::Site, [i, 0], s.id.span);
        n.duration = s.activation_time.as_ref().map(|d| d.value);
        add(&mut g, n);
    }
    for (i, s) in plan.suppliers.iter().enumerate() {
        let mut n = Node::new(s.id.as_str(), NodeKind::Supplier, [i, 0], s.id.span);
        n.duration = s.switch_over.as_ref().map(|d| d.value);
        add(&mut g, n);
    }
    for (i, t) in plan.teams.iter().enumerate() {
        add(
            &mut g,
            Node::new(t.id.as_str(), NodeKind::Team, [i, 0], t.id.span),
        );
    }
    let mut procedures = Vec::with_capacity(plan.procedures.len());
    for (i, p) in plan.procedures.iter().enumerate() {
        let node = add(
            &mut g,
            Node::new(p.id.as_str(), NodeKind::Procedure, [i, 0], p.id.span),
        );
        let mut steps = Vec::with_capacity(p.steps.len());
        for (j, s) in p.steps.iter().enumerate() {
            // `join` allocates the exact length; `format!` grew the 50,000 step ids of a
            // 10,000-function plan by doubling, 0.7 MB of unused room.
            let mut n = Node::new(
                [p.id.as_str(), s.id.as_str()].join("/"),
                NodeKind::Step,
                [i, j],
                s.id.span,
            );
            n.duration = Some(s.duration.value);
            n.phase = Some(s.phase);
            n.path = s.path;
            steps.push(g.add_node(n));
        }
        procedures.push(ProcedureNodes { node, steps });
    }

    // Edges. References were checked, so a miss only happens on a plan that skipped the
    // checks: such a reference is left out rather than panicking.
    let edge = |g: &mut PlanGraph, from: NodeIndex, to: &Sp<String>, kind: EdgeKind| {
        if let Some(target) = lookup.get(g, to.as_str()) {
            g.add_edge(
                from,
                target,
                Edge {
                    kind,
                    span: to.span,
                },
            );
        }
    };
    for f in &plan.functions {
        let Some(from) = lookup.get(&g, f.id.as_str()) else {
            continue;
        };
        let d = &f.depends_on;
        for to in d
            .functions
            .iter()
            .chain(&d.systems)
            .chain(&d.sites)
            .chain(&d.suppliers)
        {
            edge(&mut g, from, to, EdgeKind::DependsOn);
        }
        if let Some(w) = &f.workaround {
            for to in &w.covers {
                edge(&mut g, from, to, EdgeKind::Covers);
            }
        }
    }
    for s in &plan.systems {
        let Some(from) = lookup.get(&g, s.id.as_str()) else {
            continue;
        };
        let d = &s.depends_on;
        // `depends_on.functions` of a system is an error (R003) and never reaches here.
        for to in d.systems.iter().chain(&d.sites).chain(&d.suppliers) {
            edge(&mut g, from, to, EdgeKind::DependsOn);
        }
        if let Some(dr) = &s.dr_site {
            edge(&mut g, from, dr, EdgeKind::DrSite);
        }
    }
    for s in &plan.sites {
        if let (Some(from), Some(a)) = (lookup.get(&g, s.id.as_str()), &s.alternate) {
            edge(&mut g, from, a, EdgeKind::Alternate);
        }
    }
    for s in &plan.suppliers {
        let Some(from) = lookup.get(&g, s.id.as_str()) else {
            continue;
        };
        for a in &s.alternates {
            edge(&mut g, from, a, EdgeKind::Alternate);
        }
    }
    let mut by_id: FxHashMap<&str, NodeIndex> = FxHashMap::default();
    for (p, nodes) in plan.procedures.iter().zip(&procedures) {
        for t in &p.recovers {
            edge(&mut g, nodes.node, t, EdgeKind::Recovers);
        }
        by_id.clear();
        by_id.extend(
            p.steps
                .iter()
                .map(|s| s.id.as_str())
                .zip(nodes.steps.iter().copied()),
        );
        for (s, &step) in p.steps.iter().zip(&nodes.steps) {
            g.add_edge(
                nodes.node,
                step,
                Edge {
                    kind: EdgeKind::HasStep,
                    span: s.id.span,
                },
            );
            edge(&mut g, step, &s.team, EdgeKind::PerformedBy);
            for a in &s.after {
                if let Some(&before) = by_id.get(a.as_str()) {
                    g.add_edge(
                        step,
                        before,
                        Edge {
                            kind: EdgeKind::After,
                            span: a.span,
                        },
                    );
                }
            }
        }
    }
    debug_assert!(g.edge_count() <= edges, "edge_count missed an edge");
    Built {
        graph: g,
        lookup,
        procedures,
    }
}

#[cfg(test)]
mod tests;
