//! Scenario impact: what losing sites, systems, suppliers, teams or people does to the plan.
//!
//! The lost items hit nodes directly (a lost team blocks every procedure with a step it
//! carries out, so the functions and systems those procedures recover are hit; a lost person
//! takes down a team that loses both its leads, and a function whose key person has no
//! backup). Everything that depends on a hit node, transitively, is affected: one
//! breadth-first search over the reversed dependency edges. Achievable times are then
//! recomputed for the affected nodes only, in the plan's topological order:
//! - a node not affected is up: it costs nothing;
//! - a lost site costs its alternate's activation time; without an alternate that is up, it
//!   is unrecoverable;
//! - a lost supplier costs its switch-over time when one of its alternates is up, else it is
//!   unrecoverable;
//! - a lost system is rebuilt by its procedures after its dependencies; with no procedure it
//!   costs its DR site's activation time; with neither it is unrecoverable;
//! - an affected function or system waits for its dependencies, then runs its procedures; a
//!   procedure with a step by a lost team cannot run, which makes it unrecoverable.

use super::order::{dependencies, priority_order, procedures_of};
use super::{Analysis, EdgeKind, NodeKind};
use crate::error::Error;
use crate::model::{DamageProfile, Duration, Plan, Tier};
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::{Serialize, Serializer};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

/// An achievable time in a scenario: a duration, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Achievable {
    Time(Duration),
    Unrecoverable,
}

impl Achievable {
    fn max(self, other: Achievable) -> Achievable {
        match (self, other) {
            (Achievable::Time(a), Achievable::Time(b)) => Achievable::Time(a.max(b)),
            _ => Achievable::Unrecoverable,
        }
    }

    fn plus(self, d: Duration) -> Achievable {
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
        match self {
            Achievable::Time(t) => Some(t.minutes()),
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

/// The scenario as given: from the plan (`--scenario`) or ad hoc (`--lose`).
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioInfo {
    /// `None` for `--lose`.
    pub id: Option<String>,
    pub name: Option<String>,
    pub loses: Vec<String>,
    pub damage: Option<DamageProfile>,
    pub warning_time: Option<Duration>,
    pub staff_unavailable_percent: Option<u8>,
}

/// One lost item and what stands in for it.
#[derive(Clone, Debug, Serialize)]
pub struct Lost {
    pub id: String,
    /// `site`, `system`, `supplier`, `team` or `person`.
    pub kind: String,
    /// What stands in, in words; `None` when nothing does.
    pub fallback: Option<String>,
}

/// An affected function or system.
#[derive(Clone, Debug, Serialize)]
pub struct Affected {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub tier: Option<Tier>,
    pub rto: Duration,
    pub mtd: Option<Duration>,
    pub achievable: Achievable,
    pub achievable_minutes: Option<u64>,
    pub rto_breached: bool,
    /// Functions only (systems have no MTD): `false` for systems.
    pub mtd_breached: bool,
    /// The lost item through which it is affected.
    pub via: String,
}

/// One entry of the scenario's recovery order.
#[derive(Clone, Debug, Serialize)]
pub struct ImpactOrdered {
    pub position: usize,
    pub wave: usize,
    pub id: String,
    pub kind: NodeKind,
    pub achievable: Achievable,
}

/// The impact of a scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Impact {
    pub scenario: ScenarioInfo,
    pub lost: Vec<Lost>,
    /// Affected functions, in the scenario's recovery order.
    pub affected: Vec<Affected>,
    /// Affected systems, in the scenario's recovery order.
    pub affected_systems: Vec<Affected>,
    /// Affected functions and systems in recovery order.
    pub order: Vec<ImpactOrdered>,
}

/// The scenario to analyse: a plan scenario by id, or a list of lost ids.
///
/// # Errors
/// [`Error::Usage`] for an unknown scenario, an unknown id, or an id that cannot be lost.
pub fn resolve_lost(
    plan: &Plan,
    analysis: &Analysis,
    scenario: Option<&str>,
    lose: &[String],
) -> Result<ScenarioInfo, Error> {
    if let Some(id) = scenario {
        let Some(s) = plan.scenarios.iter().find(|s| s.id.as_str() == id) else {
            let mut ids: Vec<&str> = plan.scenarios.iter().map(|s| s.id.as_str()).collect();
            ids.sort_unstable();
            let help = match crate::suggest::nearest(id, ids.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None if ids.is_empty() => {
                    "the plan defines no `scenarios`; use `--lose ID,ID` instead".to_string()
                }
                None => format!("the plan's scenarios: {}", ids.join(", ")),
            };
            return Err(Error::Usage {
                message: format!("no scenario `{id}` in the plan\nhelp: {help}"),
            });
        };
        return Ok(ScenarioInfo {
            id: Some(s.id.value.clone()),
            name: Some(s.name.clone()),
            loses: s.loses.iter().map(|l| l.value.clone()).collect(),
            damage: Some(s.damage),
            warning_time: s.warning_time,
            staff_unavailable_percent: s.staff_unavailable_percent.as_ref().map(|p| p.value),
        });
    }
    let people: HashSet<&str> = plan.people.iter().map(|p| p.id.as_str()).collect();
    for id in lose {
        let kind = analysis.node(id).map(|n| analysis.graph[n].kind);
        match kind {
            Some(NodeKind::Site | NodeKind::System | NodeKind::Supplier | NodeKind::Team) => {}
            Some(k) => {
                return Err(Error::Usage {
                    message: format!(
                        "`{id}` is a {}; `--lose` takes sites, systems, suppliers, teams and people\nhelp: lose what `{id}` depends on instead",
                        k.as_str()
                    ),
                });
            }
            None if people.contains(id.as_str()) => {}
            None => {
                let mut candidates: Vec<&str> = plan
                    .sites
                    .iter()
                    .map(|s| s.id.as_str())
                    .chain(plan.systems.iter().map(|s| s.id.as_str()))
                    .chain(plan.suppliers.iter().map(|s| s.id.as_str()))
                    .chain(plan.teams.iter().map(|s| s.id.as_str()))
                    .chain(people.iter().copied())
                    .collect();
                candidates.sort_unstable();
                let help = match crate::suggest::nearest(id, candidates) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "`--lose` takes ids of sites, systems, suppliers, teams and people"
                        .to_string(),
                };
                return Err(Error::Usage {
                    message: format!(
                        "no site, system, supplier, team or person `{id}` in the plan\nhelp: {help}"
                    ),
                });
            }
        }
    }
    let mut loses: Vec<String> = lose.to_vec();
    loses.sort_unstable();
    loses.dedup();
    Ok(ScenarioInfo {
        id: None,
        name: None,
        loses,
        damage: None,
        warning_time: None,
        staff_unavailable_percent: None,
    })
}

/// Analyses a scenario. `None` when the plan has a cycle (no order exists).
pub fn impact(plan: &Plan, analysis: &Analysis, scenario: ScenarioInfo) -> Option<Impact> {
    let t = analysis.timing.as_ref()?;
    let g = &analysis.graph;
    let count = g.node_count();
    let lost_ids: BTreeSet<&str> = scenario.loses.iter().map(String::as_str).collect();
    let mut lost = vec![false; count];
    for id in &lost_ids {
        if let Some(n) = analysis.node(id) {
            lost[n.index()] = true;
        }
    }

    // People: a team is lost with both its leads; a function with a key person and no backup.
    let mut lost_teams: Vec<(NodeIndex, String)> = Vec::new();
    for team in &plan.teams {
        let leads: Vec<&str> = team
            .lead
            .iter()
            .chain(&team.second_lead)
            .map(|l| l.as_str())
            .collect();
        let people: Vec<&str> = if leads.is_empty() {
            team.members.iter().map(|m| m.as_str()).collect()
        } else {
            leads
        };
        if !people.is_empty()
            && people.iter().all(|p| lost_ids.contains(p))
            && let Some(n) = analysis.node(&team.id)
            && !lost[n.index()]
        {
            lost[n.index()] = true;
            lost_teams.push((n, people.join(", ")));
        }
    }
    let mut hits: Vec<(NodeIndex, String)> = Vec::new();
    let mut blocked_node = vec![false; count];
    for f in &plan.functions {
        for k in &f.resources.key_people {
            let backup_up = k
                .backup
                .as_ref()
                .is_some_and(|b| !lost_ids.contains(b.as_str()));
            if lost_ids.contains(k.person.as_str())
                && !backup_up
                && let Some(n) = analysis.node(&f.id)
            {
                blocked_node[n.index()] = true;
                hits.push((n, k.person.value.clone()));
            }
        }
    }

    // Lost teams block the procedures they carry out steps of.
    let mut blocked_proc = vec![false; count];
    for team in g
        .node_indices()
        .filter(|&n| lost[n.index()] && g[n].kind == NodeKind::Team)
    {
        for step in g
            .edges_directed(team, Incoming)
            .filter(|e| e.weight().kind == EdgeKind::PerformedBy)
        {
            for p in g
                .edges_directed(step.source(), Incoming)
                .filter(|e| e.weight().kind == EdgeKind::HasStep)
            {
                let p = p.source();
                if !blocked_proc[p.index()] {
                    blocked_proc[p.index()] = true;
                    for target in g
                        .edges_directed(p, Outgoing)
                        .filter(|e| e.weight().kind == EdgeKind::Recovers)
                    {
                        hits.push((target.target(), g[team].id.clone()));
                    }
                }
            }
        }
    }
    for n in g
        .node_indices()
        .filter(|&n| lost[n.index()] && g[n].kind.is_dependency_node())
    {
        hits.push((n, g[n].id.clone()));
    }
    hits.sort_by(|a, b| (&a.1, &g[a.0].id).cmp(&(&b.1, &g[b.0].id)));

    // Everything that depends on a hit node, transitively.
    let mut via: Vec<Option<String>> = vec![None; count];
    let mut queue = VecDeque::new();
    for (n, cause) in hits {
        if via[n.index()].is_none() {
            via[n.index()] = Some(cause);
            queue.push_back(n);
        }
    }
    while let Some(n) = queue.pop_front() {
        for e in g
            .edges_directed(n, Incoming)
            .filter(|e| e.weight().kind == EdgeKind::DependsOn)
        {
            let d = e.source();
            if via[d.index()].is_none() {
                let cause = via[n.index()].clone();
                via[d.index()] = cause;
                queue.push_back(d);
            }
        }
    }
    let affected = |n: NodeIndex| via[n.index()].is_some();

    // Achievable times of affected nodes, in the evaluation order of the plan (a procedure
    // runs once for all it recovers; see `order::evaluation_order`).
    let mut value = vec![Achievable::Time(Duration::ZERO); count];
    let up = |n: NodeIndex, lost: &[bool]| !lost[n.index()];
    for &n in &t.evaluation {
        let node = &g[n];
        if node.kind == NodeKind::Procedure {
            let touched = g
                .edges_directed(n, Outgoing)
                .any(|e| e.weight().kind == EdgeKind::Recovers && affected(e.target()));
            if touched {
                value[n.index()] = if blocked_proc[n.index()] {
                    Achievable::Unrecoverable
                } else {
                    t.ext
                        .get(&n)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .fold(Achievable::Time(Duration::ZERO), |acc, d| {
                            acc.max(value[d.index()])
                        })
                        .plus(t.proc_len[n.index()])
                };
            }
            continue;
        }
        if !affected(n) {
            continue;
        }
        value[n.index()] = match node.kind {
            NodeKind::Site => node
                .team
                .as_deref()
                .and_then(|a| analysis.node(a))
                .filter(|&a| up(a, &lost))
                .map_or(Achievable::Unrecoverable, |a| {
                    Achievable::Time(g[a].duration.unwrap_or_default())
                }),
            NodeKind::Supplier => {
                let alternate_up = g
                    .edges_directed(n, Outgoing)
                    .any(|e| e.weight().kind == EdgeKind::Alternate && up(e.target(), &lost));
                if alternate_up {
                    Achievable::Time(node.duration.unwrap_or_default())
                } else {
                    Achievable::Unrecoverable
                }
            }
            _ => {
                let procs: Vec<NodeIndex> = procedures_of(g, n).collect();
                let start = dependencies(g, n)
                    .fold(Achievable::Time(Duration::ZERO), |acc, (d, _)| {
                        acc.max(value[d.index()])
                    });
                if blocked_node[n.index()] {
                    Achievable::Unrecoverable
                } else if procs.is_empty() {
                    if lost[n.index()] {
                        g.edges_directed(n, Outgoing)
                            .find(|e| e.weight().kind == EdgeKind::DrSite && up(e.target(), &lost))
                            .map_or(Achievable::Unrecoverable, |e| {
                                start.plus(g[e.target()].duration.unwrap_or_default())
                            })
                    } else {
                        start
                    }
                } else {
                    procs
                        .iter()
                        .fold(Achievable::Time(Duration::ZERO), |acc, p| {
                            acc.max(value[p.index()])
                        })
                }
            }
        };
    }

    // The scenario's own recovery order.
    let order_nodes = priority_order(g, &|n| affected(n) && g[n].kind.is_recoverable());
    let mut wave = vec![0usize; count];
    let mut order = Vec::new();
    let mut affected_functions = Vec::new();
    let mut affected_systems = Vec::new();
    for n in order_nodes {
        let node = &g[n];
        wave[n.index()] = 1 + dependencies(g, n)
            .filter(|&(d, _)| affected(d) && g[d].kind.is_recoverable())
            .map(|(d, _)| wave[d.index()])
            .max()
            .unwrap_or(0);
        let achievable = value[n.index()];
        order.push(ImpactOrdered {
            position: order.len() + 1,
            wave: wave[n.index()],
            id: node.id.clone(),
            kind: node.kind,
            achievable,
        });
        let rto = node.rto.as_ref().map(|r| r.value).unwrap_or_default();
        let mtd = node.mtd.as_ref().map(|m| m.value);
        let entry = Affected {
            id: node.id.clone(),
            kind: node.kind,
            name: node.name.clone(),
            tier: node.tier,
            rto,
            mtd,
            achievable,
            achievable_minutes: achievable.minutes(),
            rto_breached: achievable.exceeds(rto),
            mtd_breached: mtd.is_some_and(|m| achievable.exceeds(m)),
            via: via[n.index()].clone().unwrap_or_default(),
        };
        if node.kind == NodeKind::Function {
            affected_functions.push(entry);
        } else {
            affected_systems.push(entry);
        }
    }

    let team_reasons: HashMap<NodeIndex, String> = lost_teams.into_iter().collect();
    let mut lost_list = Vec::new();
    for id in &lost_ids {
        let (kind, fallback) = match analysis.node(id) {
            Some(n) => (g[n].kind.as_str().to_string(), fallback(analysis, n, &lost)),
            None => ("person".to_string(), person_fallback(plan, id, &lost_ids)),
        };
        lost_list.push(Lost {
            id: (*id).to_string(),
            kind,
            fallback,
        });
    }
    let mut extra: Vec<_> = team_reasons.into_iter().collect();
    extra.sort_by(|a, b| g[a.0].id.cmp(&g[b.0].id));
    for (n, people) in extra {
        lost_list.push(Lost {
            id: g[n].id.clone(),
            kind: "team".to_string(),
            fallback: Some(format!("none: both its leads ({people}) are lost")),
        });
    }
    Some(Impact {
        scenario,
        lost: lost_list,
        affected: affected_functions,
        affected_systems,
        order,
    })
}

/// What stands in for a lost site, supplier, system or team, in words.
fn fallback(analysis: &Analysis, n: NodeIndex, lost: &[bool]) -> Option<String> {
    let g = &analysis.graph;
    let node = &g[n];
    let targets = |kind: EdgeKind| -> Vec<NodeIndex> {
        let mut v: Vec<NodeIndex> = g
            .edges_directed(n, Outgoing)
            .filter(|e| e.weight().kind == kind && !lost[e.target().index()])
            .map(|e| e.target())
            .collect();
        v.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
        v
    };
    match node.kind {
        NodeKind::Site => targets(EdgeKind::Alternate).first().map(|&a| {
            format!(
                "alternate site `{}` (activation {})",
                g[a].id,
                g[a].duration.unwrap_or_default()
            )
        }),
        NodeKind::Supplier => {
            let alts = targets(EdgeKind::Alternate);
            (!alts.is_empty()).then(|| {
                let names: Vec<String> = alts.iter().map(|&a| format!("`{}`", g[a].id)).collect();
                format!(
                    "alternate {} (switch-over {})",
                    names.join(", "),
                    node.duration.unwrap_or_default()
                )
            })
        }
        NodeKind::System => {
            let mut procs: Vec<&str> = procedures_of(g, n).map(|p| g[p].id.as_str()).collect();
            procs.sort_unstable();
            procs.dedup();
            if procs.is_empty() {
                targets(EdgeKind::DrSite).first().map(|&s| {
                    format!(
                        "DR site `{}` (activation {})",
                        g[s].id,
                        g[s].duration.unwrap_or_default()
                    )
                })
            } else {
                Some(format!(
                    "rebuilt by procedure {}",
                    procs
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
        _ => None,
    }
}

/// A lost person's stand-ins: the second leads and key-person backups still available.
fn person_fallback(plan: &Plan, id: &str, lost: &BTreeSet<&str>) -> Option<String> {
    let mut backups: BTreeSet<&str> = BTreeSet::new();
    for t in &plan.teams {
        if t.lead.as_ref().is_some_and(|l| l.as_str() == id)
            && let Some(s) = &t.second_lead
            && !lost.contains(s.as_str())
        {
            backups.insert(s.as_str());
        }
    }
    for f in &plan.functions {
        for k in f
            .resources
            .key_people
            .iter()
            .filter(|k| k.person.as_str() == id)
        {
            if let Some(b) = k.backup.as_ref().filter(|b| !lost.contains(b.as_str())) {
                backups.insert(b.as_str());
            }
        }
    }
    (!backups.is_empty()).then(|| {
        format!(
            "stood in for by {}",
            backups
                .iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}
