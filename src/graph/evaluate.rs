//! Achievable recovery times under given conditions: the one evaluation behind `order` (the
//! whole plan down at once), `impact`, `scenarios` and the scenario findings of `validate`.
//!
//! Nodes are evaluated in the plan's evaluation order (see `order::evaluation_order`), each
//! once, so an evaluation is O((V + E) log V) for the nodes it is given. A scenario passes
//! only what its losses reach; everything else is up and costs nothing. The rules:
//! - a site that is not lost costs its `activation_time` (the whole-plan case); a lost site
//!   costs its alternate's activation time, or is unrecoverable without an alternate that is up;
//! - a supplier that is not lost costs nothing; a lost one costs its `switch_over` when one of
//!   its alternates is up, else it is unrecoverable;
//! - a procedure starts when everything its targets depend on outside it is back, and takes
//!   the longest chain of its steps on the recovery path it follows (`failover` when its
//!   target moves because its site is lost, else `in_place`; the whole-plan case takes the
//!   longer of the two); a procedure with a step by a lost team cannot run;
//! - a system with a `dr_site` whose site is lost (directly, or under a system it depends on)
//!   recovers at its DR site: it waits for the DR site's activation instead of the lost site's
//!   alternate; a lost system with no procedure costs its DR site's activation time;
//! - a function or system is back when its procedures are (the last of them), or, without a
//!   procedure, when its dependencies are; systems a function's workaround covers do not
//!   count against it, and coming back later than the workaround holds is a finding;
//! - a function whose key person is lost without an available backup cannot be recovered.

// Every function here names the graph `g`, the timing `t`, the evaluation `e`, the node `n`
// and its outcome `o`: one vocabulary, kept short because the expressions are long.
#![allow(clippy::many_single_char_names)]

use super::order::{dependencies, procedures_of};
use super::{EdgeKind, NodeKind, PlanGraph, Timing};
use crate::model::{Duration, RecoveryPath};
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// An achievable time: a duration, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Achievable {
    Time(Duration),
    Unrecoverable,
}

impl Achievable {
    pub const ZERO: Achievable = Achievable::Time(Duration::ZERO);

    #[must_use]
    pub fn plus(self, d: Duration) -> Achievable {
        match self {
            Achievable::Time(a) => Achievable::Time(a.plus(d)),
            Achievable::Unrecoverable => Achievable::Unrecoverable,
        }
    }

    /// Whether this is later than a deadline (never is later than any).
    pub fn exceeds(self, limit: Duration) -> bool {
        match self {
            Achievable::Time(t) => t > limit,
            Achievable::Unrecoverable => true,
        }
    }

    pub fn minutes(self) -> Option<u64> {
        self.time().map(Duration::minutes)
    }

    pub fn time(self) -> Option<Duration> {
        match self {
            Achievable::Time(t) => Some(t),
            Achievable::Unrecoverable => None,
        }
    }
}

impl fmt::Display for Achievable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Achievable::Time(t) => t.fmt(f),
            Achievable::Unrecoverable => f.write_str("unrecoverable"),
        }
    }
}

impl Serialize for Achievable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why something cannot be recovered: the lost thing with nothing to fall back on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Missing {
    /// A lost site without an alternate site that is up.
    SiteAlternate(NodeIndex),
    /// A lost supplier without an alternate that is up.
    SupplierAlternate(NodeIndex),
    /// A lost system with no procedure and no DR site that is up.
    SystemWayBack(NodeIndex),
    /// A lost team carries out a step of the procedure.
    Team { team: NodeIndex, step: NodeIndex },
    /// A key person of the function is lost and has no available backup; `person` indexes
    /// the scenario's list of key people.
    KeyPerson { function: NodeIndex, person: usize },
}

/// The conditions of one evaluation.
pub(crate) struct Conditions<'c> {
    /// Per node: lost by the scenario (sites, systems, suppliers, teams). Empty for the
    /// whole-plan case.
    pub lost: &'c [bool],
    /// Procedures that cannot run, and why.
    pub blocked: &'c FxHashMap<NodeIndex, Missing>,
    /// Advance warning: activation steps may start this much before the disruption.
    pub warning: Duration,
    /// The whole plan down at once: every procedure takes the longer of its two paths.
    pub whole_plan: bool,
}

impl Conditions<'_> {
    fn lost(&self, n: NodeIndex) -> bool {
        self.lost.get(n.index()).copied().unwrap_or(false)
    }
}

/// The result of an evaluation, per node (at the slot [`Eval::at`] gives). Nodes that were
/// not evaluated are up: time 0.
#[derive(Debug)]
pub(crate) struct Eval {
    /// Per node: the slot of its results in the vectors below, its position in the evaluation
    /// order (shared with [`Timing`]). Steps and teams are never evaluated, and they are two
    /// nodes in three: they all have the last slot, which stays at its default, so that every
    /// evaluation (one per scenario) costs only the nodes it can evaluate.
    slots: Arc<[u32]>,
    pub value: Vec<Achievable>,
    /// When the node's own procedures can start (its dependencies are back).
    pub start: Vec<Achievable>,
    /// The dependency (or DR site, or alternate) that fixes `start`.
    pub pred: Vec<Option<NodeIndex>>,
    /// Set when the node fails over to this DR site instead of waiting for `pred`, a lost site.
    pub dr: Vec<Option<NodeIndex>>,
    /// Functions and systems: the procedure that finishes last.
    pub proc: Vec<Option<NodeIndex>>,
    /// Procedures: the path taken, and its length.
    pub path: Vec<RecoveryPath>,
    pub len: Vec<Duration>,
    /// Systems: a lost site reaches it (its own, or one under a system it depends on).
    pub relocating: Vec<bool>,
    /// Why a node is unrecoverable.
    pub missing: Vec<Option<Missing>>,
    /// Functions working around systems: (function, latest covered system, its time) when
    /// that system is back later than the workaround holds.
    pub outlasted: Vec<(NodeIndex, NodeIndex, Achievable)>,
    /// Functions whose time counts a workaround.
    pub worked_around: Vec<bool>,
    /// Functions with a workaround: when everything they depend on is back.
    pub restored: FxHashMap<NodeIndex, Achievable>,
}

impl Eval {
    /// No nodes: a placeholder until the whole-plan evaluation runs.
    pub fn empty() -> Eval {
        Eval::new(Arc::default(), 0)
    }

    /// Room for `evaluated` nodes and the shared slot of the others.
    fn new(slots: Arc<[u32]>, evaluated: usize) -> Eval {
        let count = evaluated + 1;
        Eval {
            slots,
            value: vec![Achievable::ZERO; count],
            start: vec![Achievable::ZERO; count],
            pred: vec![None; count],
            dr: vec![None; count],
            proc: vec![None; count],
            path: vec![RecoveryPath::InPlace; count],
            len: vec![Duration::ZERO; count],
            relocating: vec![false; count],
            missing: vec![None; count],
            outlasted: Vec::new(),
            worked_around: vec![false; count],
            restored: FxHashMap::default(),
        }
    }

    /// Where a node's results are in the vectors.
    pub fn at(&self, n: NodeIndex) -> usize {
        let shared = self.value.len() - 1;
        self.slots
            .get(n.index())
            .map_or(shared, |&slot| (slot as usize).min(shared))
    }
}

/// The latest of several candidates: unrecoverable beats any time; ties go to the smaller id.
struct Latest<'g> {
    g: &'g PlanGraph,
    best: Option<(Achievable, NodeIndex, Option<NodeIndex>)>,
}

impl<'g> Latest<'g> {
    fn new(g: &'g PlanGraph) -> Self {
        Latest { g, best: None }
    }

    /// `node` is what the path prints; `dr` a DR site standing in for it.
    fn offer(&mut self, value: Achievable, node: NodeIndex, dr: Option<NodeIndex>) {
        let better = match self.best {
            None => true,
            Some((v, n, _)) => value > v || (value == v && self.g[node].id < self.g[n].id),
        };
        if better {
            self.best = Some((value, node, dr));
        }
    }

    fn value(&self) -> Achievable {
        self.best.map_or(Achievable::ZERO, |b| b.0)
    }
}

/// Evaluates `nodes` (dependency nodes and procedures, in the plan's evaluation order).
pub(crate) fn evaluate(g: &PlanGraph, t: &Timing, cond: &Conditions, nodes: &[NodeIndex]) -> Eval {
    let mut e = Eval::new(Arc::clone(&t.evaluation_position), t.evaluation.len());
    for &n in nodes {
        debug_assert!(
            e.at(n) < e.value.len() - 1 || matches!(g[n].kind, NodeKind::Team | NodeKind::Step),
            "an evaluated node outside the evaluation order would write the shared slot"
        );
        match g[n].kind {
            NodeKind::Site => site(g, cond, &mut e, n),
            NodeKind::Supplier => supplier(g, cond, &mut e, n),
            NodeKind::Procedure => procedure(g, t, cond, &mut e, n),
            NodeKind::Function | NodeKind::System => recoverable(g, t, cond, &mut e, n),
            NodeKind::Team | NodeKind::Step => {}
        }
    }
    e
}

fn site(g: &PlanGraph, cond: &Conditions, e: &mut Eval, n: NodeIndex) {
    let i = e.at(n);
    if !cond.lost(n) {
        e.value[i] = Achievable::Time(g[n].duration.unwrap_or_default());
        return;
    }
    let alternate = g
        .edges_directed(n, Outgoing)
        .find(|x| x.weight().kind == EdgeKind::Alternate && !cond.lost(x.target()))
        .map(|x| x.target());
    if let Some(a) = alternate {
        e.value[i] = Achievable::Time(g[a].duration.unwrap_or_default());
        e.pred[i] = Some(a);
    } else {
        e.value[i] = Achievable::Unrecoverable;
        e.missing[i] = Some(Missing::SiteAlternate(n));
    }
}

fn supplier(g: &PlanGraph, cond: &Conditions, e: &mut Eval, n: NodeIndex) {
    let i = e.at(n);
    if !cond.lost(n) {
        return;
    }
    let mut alternates: Vec<NodeIndex> = g
        .edges_directed(n, Outgoing)
        .filter(|x| x.weight().kind == EdgeKind::Alternate && !cond.lost(x.target()))
        .map(|x| x.target())
        .collect();
    alternates.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
    if let Some(&a) = alternates.first() {
        e.value[i] = Achievable::Time(g[n].duration.unwrap_or_default());
        e.pred[i] = Some(a);
    } else {
        e.value[i] = Achievable::Unrecoverable;
        e.missing[i] = Some(Missing::SupplierAlternate(n));
    }
}

/// The node's DR site, when it has one that is up.
fn dr_site(g: &PlanGraph, cond: &Conditions, n: NodeIndex) -> Option<NodeIndex> {
    g.edges_directed(n, Outgoing)
        .find(|x| x.weight().kind == EdgeKind::DrSite && !cond.lost(x.target()))
        .map(|x| x.target())
}

/// Whether a lost site makes the node move: for a system, its own site or one under a
/// system it depends on; for a function, a site it depends on directly.
fn relocating(g: &PlanGraph, cond: &Conditions, e: &Eval, n: NodeIndex) -> bool {
    let system = g[n].kind == NodeKind::System;
    dependencies(g, n).any(|(d, _)| match g[d].kind {
        NodeKind::Site => cond.lost(d),
        NodeKind::System => system && e.relocating[e.at(d)],
        _ => false,
    })
}

/// Offers what `n` waits for on dependency `d`: the dependency's time, or, for a system
/// failing over, its DR site's activation in place of a lost site.
fn offer_dependency(
    g: &PlanGraph,
    cond: &Conditions,
    e: &Eval,
    latest: &mut Latest,
    n: NodeIndex,
    d: NodeIndex,
) {
    if g[n].kind == NodeKind::System
        && g[d].kind == NodeKind::Site
        && cond.lost(d)
        && let Some(dr) = dr_site(g, cond, n).filter(|&dr| dr != d)
    {
        latest.offer(
            Achievable::Time(g[dr].duration.unwrap_or_default()),
            d,
            Some(dr),
        );
    } else {
        latest.offer(e.value[e.at(d)], d, None);
    }
}

/// A relocating system with a DR site waits for the DR site to be active.
fn offer_dr_activation(
    g: &PlanGraph,
    cond: &Conditions,
    e: &Eval,
    latest: &mut Latest,
    n: NodeIndex,
) {
    if g[n].kind == NodeKind::System
        && relocating(g, cond, e, n)
        && let Some(dr) = dr_site(g, cond, n)
    {
        latest.offer(
            Achievable::Time(g[dr].duration.unwrap_or_default()),
            dr,
            None,
        );
    }
}

/// Systems a function's workaround covers.
fn covered(g: &PlanGraph, n: NodeIndex) -> Vec<NodeIndex> {
    g.edges_directed(n, Outgoing)
        .filter(|x| x.weight().kind == EdgeKind::Covers)
        .map(|x| x.target())
        .collect()
}

/// When a procedure can start: everything its targets depend on outside it is back, except
/// what `skip` holds (the systems a workaround covers).
fn procedure_start<'g>(
    g: &'g PlanGraph,
    t: &Timing,
    cond: &Conditions,
    e: &Eval,
    p: NodeIndex,
    skip: &[NodeIndex],
) -> Latest<'g> {
    let mut latest = Latest::new(g);
    for &(d, target) in t.ext.get(&p).map_or(&[][..], Vec::as_slice) {
        if !skip.contains(&d) {
            offer_dependency(g, cond, e, &mut latest, target, d);
        }
    }
    for x in g
        .edges_directed(p, Outgoing)
        .filter(|x| x.weight().kind == EdgeKind::Recovers)
    {
        offer_dr_activation(g, cond, e, &mut latest, x.target());
    }
    latest
}

fn procedure(g: &PlanGraph, t: &Timing, cond: &Conditions, e: &mut Eval, p: NodeIndex) {
    let i = e.at(p);
    if let Some(&why) = cond.blocked.get(&p) {
        e.value[i] = Achievable::Unrecoverable;
        e.start[i] = Achievable::Unrecoverable;
        e.missing[i] = Some(why);
        return;
    }
    let path = if cond.whole_plan {
        t.whole_plan_path(p)
    } else if g
        .edges_directed(p, Outgoing)
        .any(|x| x.weight().kind == EdgeKind::Recovers && relocating(g, cond, e, x.target()))
    {
        RecoveryPath::Failover
    } else {
        RecoveryPath::InPlace
    };
    let len = t.procedure_length(g, p, path, cond.warning);
    let latest = procedure_start(g, t, cond, e, p, &[]);
    let start = latest.value();
    e.path[i] = path;
    e.len[i] = len;
    e.start[i] = start;
    e.value[i] = start.plus(len);
    if let Some((_, pred, dr)) = latest.best {
        e.pred[i] = Some(pred);
        e.dr[i] = dr;
        if start == Achievable::Unrecoverable {
            e.missing[i] = e.missing[e.at(pred)];
        }
    }
}

/// A function's or system's time, before it is written into the evaluation.
struct Outcome {
    value: Achievable,
    start: Achievable,
    pred: Option<NodeIndex>,
    dr: Option<NodeIndex>,
    proc: Option<NodeIndex>,
    missing: Option<Missing>,
}

fn recoverable(g: &PlanGraph, t: &Timing, cond: &Conditions, e: &mut Eval, n: NodeIndex) {
    let i = e.at(n);
    e.relocating[i] = g[n].kind == NodeKind::System && relocating(g, cond, e, n);
    let covered = if g[n].sustain().is_some() {
        covered(g, n)
    } else {
        Vec::new()
    };
    let full = outcome(g, t, cond, e, n, &[]);
    let o = if covered.is_empty() {
        full
    } else {
        // With a workaround the covered systems do not count; the time everything is back
        // stays on record for comparisons with exercises.
        e.restored.insert(n, full.value);
        let mut latest = Latest::new(g);
        for &c in &covered {
            latest.offer(e.value[e.at(c)], c, None);
        }
        if let (Some((value, c, _)), Some(sustain)) = (latest.best, g[n].sustain())
            && value.exceeds(sustain.value)
        {
            e.outlasted.push((n, c, value));
        }
        e.worked_around[i] = true;
        outcome(g, t, cond, e, n, &covered)
    };
    e.value[i] = o.value;
    e.start[i] = o.start;
    e.pred[i] = o.pred;
    e.dr[i] = o.dr;
    e.proc[i] = o.proc;
    e.missing[i] = o.missing;
}

/// The time of a function or system, leaving out the dependencies in `skip`.
fn outcome(
    g: &PlanGraph,
    t: &Timing,
    cond: &Conditions,
    e: &Eval,
    n: NodeIndex,
    skip: &[NodeIndex],
) -> Outcome {
    let mut o = Outcome {
        value: Achievable::ZERO,
        start: Achievable::ZERO,
        pred: None,
        dr: None,
        proc: None,
        missing: None,
    };
    if let Some(&why) = cond.blocked.get(&n) {
        o.value = Achievable::Unrecoverable;
        o.start = Achievable::Unrecoverable;
        o.missing = Some(why);
        return o;
    }
    let mut procs: Vec<NodeIndex> = procedures_of(g, n).collect();
    procs.sort_unstable();
    procs.dedup();
    if procs.is_empty() {
        let mut latest = Latest::new(g);
        for (d, _) in dependencies(g, n) {
            if !skip.contains(&d) {
                offer_dependency(g, cond, e, &mut latest, n, d);
            }
        }
        offer_dr_activation(g, cond, e, &mut latest, n);
        o.start = latest.value();
        o.value = o.start;
        if let Some((_, pred, dr)) = latest.best {
            o.pred = Some(pred);
            o.dr = dr;
            if o.start == Achievable::Unrecoverable {
                o.missing = e.missing[e.at(pred)];
            }
        }
        if cond.lost(n) {
            // A lost system nothing rebuilds comes back at its DR site, or not at all.
            if let Some(dr) = dr_site(g, cond, n) {
                o.value = o.start.plus(g[dr].duration.unwrap_or_default());
                o.dr = Some(dr);
            } else {
                o.value = Achievable::Unrecoverable;
                o.missing = Some(Missing::SystemWayBack(n));
            }
        }
        return o;
    }
    // The procedure that ends last; leaving dependencies out, each procedure's start is
    // recomputed without them.
    let mut best: Option<(Achievable, NodeIndex, Latest)> = None;
    for &p in &procs {
        let i = e.at(p);
        let (value, latest) = if skip.is_empty() || cond.blocked.contains_key(&p) {
            let mut latest = Latest::new(g);
            if let Some(pred) = e.pred[i] {
                latest.best = Some((e.start[i], pred, e.dr[i]));
            }
            (e.value[i], latest)
        } else {
            let latest = procedure_start(g, t, cond, e, p, skip);
            (latest.value().plus(e.len[i]), latest)
        };
        let better = best
            .as_ref()
            .is_none_or(|(v, q, _)| value > *v || (value == *v && g[p].id < g[*q].id));
        if better {
            best = Some((value, p, latest));
        }
    }
    if let Some((value, p, latest)) = best {
        o.value = value;
        o.proc = Some(p);
        o.start = latest.value();
        if let Some((_, pred, dr)) = latest.best {
            o.pred = Some(pred);
            o.dr = dr;
        }
        if value == Achievable::Unrecoverable {
            o.missing = e.missing[e.at(p)];
        }
    }
    o
}

/// The procedures with a step carried out by a team.
pub(crate) fn procedures_of_team(
    g: &PlanGraph,
    team: NodeIndex,
) -> impl Iterator<Item = (NodeIndex, NodeIndex)> + '_ {
    g.edges_directed(team, Incoming)
        .filter(|x| x.weight().kind == EdgeKind::PerformedBy)
        .flat_map(move |step| {
            g.edges_directed(step.source(), Incoming)
                .filter(|x| x.weight().kind == EdgeKind::HasStep)
                .map(move |p| (p.source(), step.source()))
        })
}
