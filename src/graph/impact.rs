//! Scenario impact: what losing sites, systems, suppliers, teams or people does to the plan,
//! and whether each function still comes back within its RTO and MTD.
//!
//! The lost items hit nodes directly: a lost site, system or supplier is down; a lost team
//! (or a team whose two leads are both lost) blocks every procedure with a step it carries
//! out; a lost person without an available backup blocks each function they are a key person
//! of. Everything that depends on a hit node, transitively, is affected: one breadth-first
//! search over the reversed dependency edges. The affected nodes, and only they, are then
//! evaluated by [`super::evaluate`] — the same rules as the whole-plan order, so `order`,
//! `impact`, `scenarios` and `validate` cannot disagree. Staff: a scenario's
//! `staff_unavailable_percent`, lost teams and lost people reduce each function's staff (see
//! [`PeopleIndex`]); below its `resources.staff` minimum it is understaffed.
//!
//! The cost of one scenario is O((A + E_A) log A) for the A nodes and E_A edges its losses
//! reach, plus the functions with a staff minimum when the scenario makes staff unavailable.

pub use super::evaluate::Achievable;
use super::evaluate::{Conditions, Eval, Missing, evaluate, procedures_of_team};
use super::order::{MAX_PATH_NODES, chain_text, dependencies, priority_order, procedures_of};
use super::{Analysis, EdgeKind, NodeIds, NodeKind, PlanGraph, Timing};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::{DamageProfile, Duration, Plan, Span, Tier};
use crate::t;
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::{BTreeSet, VecDeque};
use std::sync::OnceLock;

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
    /// Where the scenario's id is written (plan scenarios only).
    #[serde(skip)]
    pub span: Option<Span>,
    /// Where each `loses` entry is written, in the order of `loses`.
    #[serde(skip)]
    pub loses_spans: Vec<Span>,
    /// Where `staff_unavailable_percent` is written.
    #[serde(skip)]
    pub staff_span: Option<Span>,
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

/// How a function fares in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Back within its RTO, with the staff it needs.
    Ok,
    /// Back after its RTO, within its MTD.
    OverRto,
    /// Back after its maximum tolerable downtime.
    OverMtd,
    /// Nothing to fall back on: it cannot be recovered.
    Unrecoverable,
    /// Back in time, but with fewer staff than its minimum.
    Understaffed,
    /// The scenario does not touch it.
    Unaffected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::OverRto => "over RTO",
            Status::OverMtd => "over MTD",
            Status::Unrecoverable => "unrecoverable",
            Status::Understaffed => "understaffed",
            Status::Unaffected => "unaffected",
        }
    }

    /// Whether the status is a finding of `bcp validate`.
    pub fn is_gap(self) -> bool {
        !matches!(self, Status::Ok | Status::Unaffected)
    }
}

/// Staff of a function in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Staffing {
    /// `resources.staff`.
    pub minimum: u32,
    /// `resources.headcount`, or the people of the teams carrying out its recovery steps.
    pub headcount: u32,
    /// Named people unavailable (lost, or in a lost team) among them.
    pub lost: u32,
    /// What is left once the scenario's share of unavailable staff is taken off.
    pub available: u32,
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
    pub status: Status,
    /// Functions with a staff minimum, when the scenario makes staff unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<Staffing>,
    /// Whether a workaround lets it run before the systems it covers are back.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub workaround: bool,
    /// With a workaround: when everything it depends on is back (full service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<Achievable>,
    /// The lost item through which it is affected (`staff` when only its staff is).
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
    /// Affected functions, in the scenario's recovery order, then those whose staff only is
    /// affected (`via: "staff"`, achievable `0m`: they are not down).
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
        return Ok(ScenarioInfo::of(s));
    }
    let people: FxHashSet<&str> = plan.people.iter().map(|p| p.id.as_str()).collect();
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
        span: None,
        loses_spans: Vec::new(),
        staff_span: None,
    })
}

impl ScenarioInfo {
    /// A scenario of the plan.
    pub fn of(s: &crate::model::Scenario) -> ScenarioInfo {
        ScenarioInfo {
            id: Some(s.id.value.clone()),
            name: Some(s.name.clone()),
            loses: s.loses.iter().map(|l| l.value.clone()).collect(),
            damage: Some(s.damage),
            warning_time: s.warning_time,
            staff_unavailable_percent: s.staff_unavailable_percent.as_ref().map(|p| p.value),
            span: Some(s.id.span),
            loses_spans: s.loses.iter().map(|l| l.span).collect(),
            staff_span: s.staff_unavailable_percent.as_ref().map(|p| p.span),
        }
    }

    /// Where the scenario names `id` among what it loses, else the scenario itself.
    fn position_of(&self, id: &str) -> Option<Span> {
        self.loses
            .iter()
            .position(|l| l == id)
            .and_then(|i| self.loses_spans.get(i).copied())
            .or(self.span)
    }
}

/// Who is who, for scenarios that lose people or teams or make staff unavailable: built
/// once per plan so that a scenario only looks at the people it loses.
///
/// The staff rule: a function's staff is its `resources.headcount`, or, without one, the
/// distinct people (leads, second leads, members) of the teams that carry out the steps of
/// the procedures recovering it. In a scenario, the named people it loses among those team
/// people (lost people, and everyone in a lost team) are taken off first, then the
/// scenario's `staff_unavailable_percent` of the rest, rounding down what is left. Fewer
/// than `resources.staff` is understaffed. Only scenarios that make someone unavailable are
/// checked, and only functions whose staff can be counted (a headcount, or teams).
#[derive(Debug, Default)]
pub(crate) struct PeopleIndex {
    /// Person -> teams whose leads (or, for a team without leads, members) include them.
    leads_of: FxHashMap<String, Vec<NodeIndex>>,
    /// Team -> its leads, or its members when it has no lead: losing them all loses the team.
    team_leads: FxHashMap<NodeIndex, Vec<String>>,
    /// Team -> everyone in it.
    team_people: FxHashMap<NodeIndex, Vec<String>>,
    /// Person -> (function, backup) for each function they are a key person of.
    key_for: FxHashMap<String, Vec<(NodeIndex, Option<String>)>>,
    /// Person -> teams they are in.
    teams_of: FxHashMap<String, Vec<NodeIndex>>,
    /// Functions with a staff minimum.
    pools: Vec<StaffPool>,
    /// Team -> pools whose recovery steps it carries out.
    pools_of_team: FxHashMap<NodeIndex, Vec<usize>>,
}

/// A function with a staff minimum, and the teams whose people are counted in its staff
/// (their people are looked up only when a scenario loses someone).
#[derive(Debug)]
struct StaffPool {
    function: NodeIndex,
    minimum: u32,
    headcount: u32,
    /// The teams carrying out its recovery steps.
    teams: Vec<NodeIndex>,
}

impl PeopleIndex {
    pub(crate) fn new(plan: &Plan, g: &PlanGraph, lookup: &NodeIds) -> Self {
        let mut index = PeopleIndex::default();
        for team in &plan.teams {
            let Some(n) = lookup.get(g, team.id.as_str()) else {
                continue;
            };
            let leads: Vec<String> = team
                .lead
                .iter()
                .chain(&team.second_lead)
                .map(|l| l.value.clone())
                .collect();
            let leads = if leads.is_empty() {
                team.members.iter().map(|m| m.value.clone()).collect()
            } else {
                leads
            };
            for l in &leads {
                index.leads_of.entry(l.clone()).or_default().push(n);
            }
            index.team_leads.insert(n, leads);
            let mut people: Vec<String> = team
                .lead
                .iter()
                .chain(&team.second_lead)
                .chain(&team.members)
                .map(|p| p.value.clone())
                .collect();
            people.sort_unstable();
            people.dedup();
            for p in &people {
                index.teams_of.entry(p.clone()).or_default().push(n);
            }
            index.team_people.insert(n, people);
        }
        for f in &plan.functions {
            let Some(n) = lookup.get(g, f.id.as_str()) else {
                continue;
            };
            for k in &f.resources.key_people {
                index
                    .key_for
                    .entry(k.person.value.clone())
                    .or_default()
                    .push((n, k.backup.as_ref().map(|b| b.value.clone())));
            }
            let Some(minimum) = &f.resources.staff else {
                continue;
            };
            let mut teams: Vec<NodeIndex> = procedures_of(g, n)
                .flat_map(|p| {
                    g.edges_directed(p, Outgoing)
                        .filter(|e| e.weight().kind == EdgeKind::HasStep)
                        .filter_map(|s| super::step_team(g, s.target()))
                })
                .collect();
            teams.sort_unstable();
            teams.dedup();
            let headcount = f.resources.headcount.as_ref().map_or_else(
                || {
                    let people: FxHashSet<&str> = teams
                        .iter()
                        .flat_map(|t| index.team_people.get(t).into_iter().flatten())
                        .map(String::as_str)
                        .collect();
                    u32::try_from(people.len()).unwrap_or(u32::MAX)
                },
                |h| h.value,
            );
            // Neither a headcount nor teams to count: nothing to check against.
            if headcount == 0 && f.resources.headcount.is_none() {
                continue;
            }
            let pool = index.pools.len();
            for &t in &teams {
                index.pools_of_team.entry(t).or_default().push(pool);
            }
            index.pools.push(StaffPool {
                function: n,
                minimum: minimum.value,
                headcount,
                teams,
            });
        }
        index
    }
}

/// A scenario as the analysis keeps it, for the matrix and the exercises: each function and
/// system the scenario touches, by node, without the report's words (20 scenarios of a
/// 10,000-function plan stay a few megabytes). `bcp impact` builds the full report from the
/// same [`reach`].
#[derive(Clone, Debug)]
pub struct ScenarioRun {
    pub scenario: ScenarioInfo,
    pub outcomes: Vec<Outcome>,
}

/// How one function or system fares in a scenario.
#[derive(Clone, Copy, Debug)]
pub struct Outcome {
    pub node: NodeIndex,
    pub achievable: Achievable,
    pub status: Status,
    /// Whether it is down (false: only its staff is reduced).
    pub down: bool,
    /// With a workaround: when everything it depends on is back.
    pub restored: Option<Achievable>,
}

impl ScenarioRun {
    /// The outcome of a node, when the scenario touches it.
    pub fn outcome(&self, n: NodeIndex) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.node == n)
    }
}

/// Analyses a scenario of the plan with its findings, keeping the compact result: the
/// outcomes are taken from the nodes reached, never from the report's words, so the two
/// scenarios under way at once hold no copies of ids and names.
pub(crate) fn run_plan_scenario(
    ctx: &Ctx,
    scenario: ScenarioInfo,
    findings: &mut Vec<Diagnostic>,
) -> ScenarioRun {
    let outcomes = {
        let reach = reach(ctx, &scenario);
        scenario_findings(ctx, &scenario, &reach, findings);
        reach
            .touched
            .iter()
            .map(|t| Outcome {
                node: t.node,
                achievable: t.achievable,
                status: t.status,
                down: t.via.is_some(),
                restored: t.restored,
            })
            .collect()
    };
    ScenarioRun { scenario, outcomes }
}

/// Analyses every scenario of the plan ([`run_plan_scenario`]) on the machine's cores: each
/// depends only on the whole-plan analysis, not on another. Results and findings come in
/// scenario order, as one at a time gives them.
pub(crate) fn run_plan_scenarios(ctx: &Ctx, findings: &mut Vec<Diagnostic>) -> Vec<ScenarioRun> {
    let scenarios = &ctx.plan.scenarios;
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(scenarios.len());
    // Scenarios cost very different amounts (losing a data centre reaches everything): each
    // thread takes the next one left rather than a fixed share.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(s) = scenarios.get(i) else {
                return done;
            };
            let mut found = Vec::new();
            let run = run_plan_scenario(ctx, ScenarioInfo::of(s), &mut found);
            done.push((i, run, found));
        }
    };
    let mut done: Vec<(usize, ScenarioRun, Vec<Diagnostic>)> = if threads <= 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            workers.into_iter().flat_map(crate::joined).collect()
        })
    };
    done.sort_by_key(|(i, _, _)| *i);
    done.into_iter()
        .map(|(_, run, found)| {
            findings.extend(found);
            run
        })
        .collect()
}

/// `via` of a function the scenario touches only through its staff.
const STAFF_ONLY: &str = "staff";

/// What a scenario analysis reads: the plan, its graph and whole-plan timing, and who is who.
pub(crate) struct Ctx<'a> {
    pub plan: &'a Plan,
    pub g: &'a PlanGraph,
    pub lookup: &'a NodeIds,
    pub t: &'a Timing,
    /// Built by [`Ctx::people`] when a scenario first asks who is who.
    pub people: &'a OnceLock<PeopleIndex>,
}

impl<'a> Ctx<'a> {
    /// Who is who: built on first use, as most scenarios (and plans) lose no one.
    fn people(&self) -> &'a PeopleIndex {
        self.people
            .get_or_init(|| PeopleIndex::new(self.plan, self.g, self.lookup))
    }
}

/// Analyses a scenario. `None` when the plan has a cycle (no order exists).
pub fn impact(plan: &Plan, analysis: &Analysis, scenario: ScenarioInfo) -> Option<Impact> {
    let t = analysis.timing.as_ref()?;
    let ctx = Ctx {
        plan,
        g: &analysis.graph,
        lookup: &analysis.lookup,
        t,
        people: &analysis.people,
    };
    Some(run(&ctx, scenario))
}

/// What a scenario does, by node: the analysis behind both the report `bcp impact` prints
/// ([`run`]) and what `validate` keeps ([`run_plan_scenario`]). Its words are borrowed from
/// the scenario, the graph and the people index, not copied.
struct Reach<'s> {
    /// By node: lost by the scenario (lost items, and teams lost with both their leads).
    lost: Vec<bool>,
    /// Teams lost with both their leads, and those leads in words.
    lost_teams: Vec<(NodeIndex, String)>,
    /// The key people whose loss blocks a function, for [`Missing::KeyPerson`].
    key_people: Vec<&'s str>,
    eval: Eval,
    /// The affected functions and systems in the scenario's recovery order, then the
    /// functions it touches only through their staff.
    touched: Vec<Touched<'s>>,
}

/// How a scenario touches one function or system.
struct Touched<'s> {
    node: NodeIndex,
    achievable: Achievable,
    status: Status,
    staff: Option<Staffing>,
    workaround: bool,
    restored: Option<Achievable>,
    /// The lost item through which it is down; `None` when only its staff is reduced.
    via: Option<&'s str>,
}

/// What a scenario takes down and how each affected function and system fares: the report
/// `bcp impact` prints.
pub(crate) fn run(ctx: &Ctx, scenario: ScenarioInfo) -> Impact {
    let g = ctx.g;
    let reach = reach(ctx, &scenario);
    let mut wave: FxHashMap<NodeIndex, usize> = FxHashMap::default();
    let mut order = Vec::new();
    let mut affected_functions = Vec::new();
    let mut affected_systems = Vec::new();
    for t in &reach.touched {
        let node = &g[t.node];
        if t.via.is_some() {
            let w = 1 + dependencies(g, t.node)
                .filter_map(|(d, _)| wave.get(&d).copied())
                .max()
                .unwrap_or(0);
            wave.insert(t.node, w);
            order.push(ImpactOrdered {
                position: order.len() + 1,
                wave: w,
                id: node.id.clone(),
                kind: node.kind,
                achievable: t.achievable,
            });
        }
        if node.kind == NodeKind::Function {
            affected_functions.push(entry(ctx.plan, g, t));
        } else {
            affected_systems.push(entry(ctx.plan, g, t));
        }
    }

    let mut lost_list = Vec::new();
    let lost_ids: BTreeSet<&str> = scenario.loses.iter().map(String::as_str).collect();
    for id in &lost_ids {
        let (kind, fallback) = match ctx.lookup.get(g, id) {
            Some(n) => (g[n].kind.as_str().to_string(), fallback(g, n, &reach.lost)),
            None => (
                "person".to_string(),
                person_fallback(ctx.plan, id, &lost_ids),
            ),
        };
        lost_list.push(Lost {
            id: (*id).to_string(),
            kind,
            fallback,
        });
    }
    let mut lost_teams = reach.lost_teams;
    lost_teams.sort_by(|a, b| g[a.0].id.cmp(&g[b.0].id));
    for (n, people) in lost_teams {
        lost_list.push(Lost {
            id: g[n].id.clone(),
            kind: "team".to_string(),
            fallback: Some(format!("none: both its leads ({people}) are lost")),
        });
    }
    Impact {
        scenario,
        lost: lost_list,
        affected: affected_functions,
        affected_systems,
        order,
    }
}

/// What a scenario takes down, and how each function and system it reaches fares.
fn reach<'s>(ctx: &Ctx<'s>, scenario: &'s ScenarioInfo) -> Reach<'s> {
    let (g, t) = (ctx.g, ctx.t);
    let count = g.node_count();
    let mut lost = vec![false; count];
    let mut lost_people: BTreeSet<&str> = BTreeSet::new();
    for id in &scenario.loses {
        match ctx.lookup.get(g, id) {
            Some(n) => lost[n.index()] = true,
            None => {
                lost_people.insert(id.as_str());
            }
        }
    }

    // A team is lost with both its leads; everyone in a lost team is unavailable.
    let mut lost_teams: Vec<(NodeIndex, String)> = Vec::new();
    for person in &lost_people {
        for &team in ctx.people().leads_of.get(*person).into_iter().flatten() {
            let leads = ctx
                .people()
                .team_leads
                .get(&team)
                .map_or(&[][..], Vec::as_slice);
            if !lost[team.index()] && leads.iter().all(|l| lost_people.contains(l.as_str())) {
                lost[team.index()] = true;
                lost_teams.push((team, leads.join(", ")));
            }
        }
    }
    let mut unavailable: BTreeSet<&str> = lost_people.clone();
    for id in &scenario.loses {
        if let Some(n) = ctx.lookup.get(g, id)
            && g[n].kind == NodeKind::Team
        {
            unavailable.extend(
                ctx.people()
                    .team_people
                    .get(&n)
                    .into_iter()
                    .flatten()
                    .map(String::as_str),
            );
        }
    }

    let mut hits: Vec<(NodeIndex, &str)> = Vec::new();
    let mut blocked: FxHashMap<NodeIndex, Missing> = FxHashMap::default();
    let mut key_people: Vec<&str> = Vec::new();
    for person in &unavailable {
        for (f, backup) in ctx.people().key_for.get(*person).into_iter().flatten() {
            let stood_in = backup.as_deref().is_some_and(|b| !unavailable.contains(b));
            if !stood_in && !blocked.contains_key(f) {
                blocked.insert(
                    *f,
                    Missing::KeyPerson {
                        function: *f,
                        person: key_people.len(),
                    },
                );
                key_people.push(person);
                hits.push((*f, person));
            }
        }
    }
    let mut teams: Vec<NodeIndex> = Vec::new();
    for id in &scenario.loses {
        if let Some(n) = ctx.lookup.get(g, id)
            && g[n].kind == NodeKind::Team
        {
            teams.push(n);
        }
    }
    teams.extend(lost_teams.iter().map(|(n, _)| *n));
    teams.sort_unstable();
    teams.dedup();
    for &team in &teams {
        for (p, step) in procedures_of_team(g, team) {
            if blocked.contains_key(&p) {
                continue;
            }
            blocked.insert(p, Missing::Team { team, step });
            for target in g
                .edges_directed(p, Outgoing)
                .filter(|e| e.weight().kind == EdgeKind::Recovers)
            {
                hits.push((target.target(), g[team].id.as_str()));
            }
        }
    }
    for id in &scenario.loses {
        if let Some(n) = ctx.lookup.get(g, id)
            && g[n].kind.is_dependency_node()
        {
            hits.push((n, g[n].id.as_str()));
        }
    }
    hits.sort_by(|a, b| (a.1, &g[a.0].id).cmp(&(b.1, &g[b.0].id)));

    // Everything that depends on a hit node, transitively.
    let mut via: FxHashMap<NodeIndex, &str> = FxHashMap::default();
    let mut queue = VecDeque::new();
    let mut reached = Vec::new();
    for (n, cause) in hits {
        if let std::collections::hash_map::Entry::Vacant(slot) = via.entry(n) {
            slot.insert(cause);
            queue.push_back(n);
            reached.push(n);
        }
    }
    while let Some(n) = queue.pop_front() {
        for e in g
            .edges_directed(n, Incoming)
            .filter(|e| e.weight().kind == EdgeKind::DependsOn)
        {
            let d = e.source();
            if !via.contains_key(&d) {
                let cause = via.get(&n).copied().unwrap_or_default();
                via.insert(d, cause);
                queue.push_back(d);
                reached.push(d);
            }
        }
    }

    // Evaluate what was reached, and the procedures recovering it, in evaluation order.
    let mut nodes = reached.clone();
    for &n in &reached {
        nodes.extend(procedures_of(g, n));
    }
    nodes.sort_unstable_by_key(|n| t.evaluation_position[n.index()]);
    nodes.dedup();
    let warning = scenario.warning_time.unwrap_or_default();
    let conditions = Conditions {
        lost: &lost,
        blocked: &blocked,
        warning,
        whole_plan: false,
    };
    let eval = evaluate(g, t, &conditions, &nodes);

    let staffing = staffing(ctx, scenario, &unavailable);

    // The scenario's own recovery order.
    let affected = |n: NodeIndex| via.contains_key(&n);
    let order_nodes = priority_order(g, reached.iter().copied(), &|n| {
        affected(n) && g[n].kind.is_recoverable()
    });
    // Sized up front: grown by doubling, the touched nodes of the two scenarios under way
    // at once kept 2 MB of unused room on a 10,000-function plan.
    let mut touched = Vec::with_capacity(order_nodes.len() + staffing.len());
    for n in order_nodes {
        let at = eval.at(n);
        touched.push(Touched::new(
            g,
            n,
            eval.value[at],
            staffing.get(&n).copied(),
            (eval.worked_around[at], eval.restored.get(&n).copied()),
            Some(via.get(&n).copied().unwrap_or_default()),
        ));
    }
    // Functions the scenario touches only through their staff.
    let mut staff_only: Vec<NodeIndex> =
        staffing.keys().copied().filter(|&n| !affected(n)).collect();
    staff_only.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
    for n in staff_only {
        touched.push(Touched::new(
            g,
            n,
            Achievable::ZERO,
            staffing.get(&n).copied(),
            (false, None),
            None,
        ));
    }
    Reach {
        lost,
        lost_teams,
        key_people,
        eval,
        touched,
    }
}

impl<'s> Touched<'s> {
    /// Judges a function or system against its objectives; `workaround` is whether one lets
    /// it run before the systems it covers are back, and when everything is back then.
    fn new(
        g: &PlanGraph,
        n: NodeIndex,
        achievable: Achievable,
        staff: Option<Staffing>,
        workaround: (bool, Option<Achievable>),
        via: Option<&'s str>,
    ) -> Self {
        let judged = Judged::of(&g[n], achievable);
        let status = if achievable == Achievable::Unrecoverable {
            Status::Unrecoverable
        } else if judged.mtd_breached {
            Status::OverMtd
        } else if judged.rto_breached {
            Status::OverRto
        } else if staff.is_some_and(|s| s.available < s.minimum) {
            Status::Understaffed
        } else {
            Status::Ok
        };
        Touched {
            node: n,
            achievable,
            status,
            staff,
            workaround: workaround.0,
            restored: workaround.1,
            via,
        }
    }
}

/// A function's or system's objectives against when it can be back.
struct Judged {
    rto: Duration,
    mtd: Option<Duration>,
    rto_breached: bool,
    mtd_breached: bool,
}

impl Judged {
    fn of(node: &super::Node, achievable: Achievable) -> Judged {
        let rto = node.rto().map(|r| r.value).unwrap_or_default();
        let mtd = node.mtd().map(|m| m.value);
        Judged {
            rto,
            mtd,
            rto_breached: achievable.exceeds(rto),
            mtd_breached: mtd.is_some_and(|m| achievable.exceeds(m)),
        }
    }
}

/// One affected function or system in the report's words.
fn entry(plan: &Plan, g: &PlanGraph, t: &Touched) -> Affected {
    let node = &g[t.node];
    let judged = Judged::of(node, t.achievable);
    Affected {
        id: node.id.clone(),
        kind: node.kind,
        name: node.name(plan).to_string(),
        tier: node.tier,
        rto: judged.rto,
        mtd: judged.mtd,
        achievable: t.achievable,
        achievable_minutes: t.achievable.minutes(),
        rto_breached: judged.rto_breached,
        mtd_breached: judged.mtd_breached,
        status: t.status,
        staff: t.staff,
        workaround: t.workaround,
        restored: t.restored,
        via: t.via.unwrap_or(STAFF_ONLY).to_string(),
    }
}

/// Staff of the functions with a minimum whose people the scenario makes unavailable (every
/// one of them when a share of all staff is unavailable).
fn staffing(
    ctx: &Ctx,
    scenario: &ScenarioInfo,
    unavailable: &BTreeSet<&str>,
) -> FxHashMap<NodeIndex, Staffing> {
    let percent = u64::from(scenario.staff_unavailable_percent.unwrap_or(0).min(100));
    let people = ctx.people();
    let mut pools: Vec<usize> = if percent > 0 {
        (0..people.pools.len()).collect()
    } else {
        unavailable
            .iter()
            .flat_map(|p| people.teams_of.get(*p).into_iter().flatten())
            .flat_map(|t| people.pools_of_team.get(t).into_iter().flatten().copied())
            .collect()
    };
    pools.sort_unstable();
    pools.dedup();
    let mut out = FxHashMap::default();
    for i in pools {
        let pool = &people.pools[i];
        let lost = if unavailable.is_empty() {
            0
        } else {
            let lost: FxHashSet<&str> = pool
                .teams
                .iter()
                .flat_map(|t| people.team_people.get(t).into_iter().flatten())
                .map(String::as_str)
                .filter(|p| unavailable.contains(p))
                .collect();
            lost.len()
        };
        let lost = u32::try_from(lost).unwrap_or(u32::MAX);
        if percent == 0 && lost == 0 {
            continue;
        }
        let left = u64::from(pool.headcount.saturating_sub(lost));
        let available = u32::try_from(left * (100 - percent) / 100).unwrap_or(u32::MAX);
        out.insert(
            pool.function,
            Staffing {
                minimum: pool.minimum,
                headcount: pool.headcount,
                lost,
                available,
            },
        );
    }
    out
}

/// X001-X004 and G007 for one scenario of the plan: the affected functions over their RTO or
/// MTD (with the critical path under the scenario), unrecoverable (with what is missing),
/// understaffed, or outlasting their workaround.
fn scenario_findings(ctx: &Ctx, scenario: &ScenarioInfo, reach: &Reach, out: &mut Vec<Diagnostic>) {
    let g = ctx.g;
    let Some(sc) = scenario.id.as_deref() else {
        return;
    };
    let (lost, eval) = (&reach.lost, &reach.eval);
    let warning = scenario.warning_time.unwrap_or_default();
    for a in &reach.touched {
        let n = a.node;
        let node = &g[n];
        if node.kind != NodeKind::Function {
            continue;
        }
        let id = node.id.as_str();
        let via = a.via.unwrap_or(STAFF_ONLY);
        let related = scenario.position_of(via);
        let with_related = |d: Diagnostic, what: &str| match related {
            Some(span) => d.also(span, t!("X.related", scenario = sc, what)),
            None => d,
        };
        let path = || {
            let (segments, cut) = ctx.t.path_of(g, eval, lost, warning, n, MAX_PATH_NODES);
            let warned = if warning > Duration::ZERO {
                t!("X.warned", warning)
            } else {
                String::new()
            };
            format!(
                "{}{}{warned}",
                if cut { "... -> " } else { "" },
                chain_text(&segments)
            )
        };
        match (a.achievable, node.rto(), node.mtd()) {
            (Achievable::Unrecoverable, _, _) => {
                let (what, help) = missing_text(g, n, eval.missing[eval.at(n)], &reach.key_people);
                out.push(
                    with_related(
                        Diagnostic::error("X003", t!("X003.message", scenario = sc, id, what))
                            .at(node.span)
                            .label(t!("X003.label")),
                        &t!("X.loses", via),
                    )
                    .help(help)
                    .target(id)
                    .in_scenario(sc),
                );
            }
            (Achievable::Time(time), _, Some(mtd)) if time > mtd.value => {
                out.push(
                    with_related(
                        Diagnostic::error(
                            "X002",
                            t!("X002.message", scenario = sc, id, time, mtd = mtd.value),
                        )
                        .at(mtd.span)
                        .label(format!("MTD {}", mtd.value)),
                        &t!("X.loses", via),
                    )
                    .help(t!("X002.help", path = path(), time, mtd = mtd.value))
                    .target(id)
                    .in_scenario(sc),
                );
            }
            (Achievable::Time(time), Some(rto), _) if time > rto.value => {
                out.push(
                    with_related(
                        Diagnostic::error(
                            "X001",
                            t!("X001.message", scenario = sc, id, time, rto = rto.value),
                        )
                        .at(rto.span)
                        .label(format!("RTO {}", rto.value)),
                        &t!("X.loses", via),
                    )
                    .help(t!("X001.help", path = path(), time, rto = rto.value))
                    .target(id)
                    .in_scenario(sc),
                );
            }
            _ => {}
        }
        if let Some(s) = a.staff.filter(|s| s.available < s.minimum) {
            // The node's own entry, not a search of every function per finding.
            let function = node.function(ctx.plan);
            let at = function
                .and_then(|f| f.resources.staff.as_ref().map(|m| m.span))
                .unwrap_or(node.span);
            let mut why = Vec::new();
            if s.lost > 0 {
                why.push(t!("X004.lost", n = s.lost));
            }
            if let Some(p) = scenario.staff_unavailable_percent.filter(|p| *p > 0) {
                why.push(t!("X004.unavailable", percent = p));
            }
            let mut d = Diagnostic::error(
                "X004",
                t!(
                    "X004.message",
                    scenario = sc,
                    id,
                    available = s.available,
                    minimum = s.minimum,
                    headcount = s.headcount,
                    why = why.join(crate::i18n::raw(
                        crate::i18n::current(),
                        "report.list_separator"
                    ))
                ),
            )
            .at(at)
            .label(t!("X004.label", minimum = s.minimum));
            if let Some(span) = scenario.staff_span.or(related) {
                d = d.also(span, t!("X004.also", scenario = sc));
            }
            let help = if function.is_some_and(|f| f.resources.headcount.is_none()) {
                t!("X004.help_no_headcount")
            } else {
                t!("X004.help")
            };
            out.push(d.help(help).target(id).in_scenario(sc));
        }
    }
    for &(f, system, value) in &eval.outlasted {
        out.extend(outlasted(ctx, f, system, value, Some(sc)));
    }
}

/// G007: the systems a function's workaround covers come back later than it can be kept up.
pub(crate) fn outlasted(
    ctx: &Ctx,
    f: NodeIndex,
    system: NodeIndex,
    value: Achievable,
    scenario: Option<&str>,
) -> Option<Diagnostic> {
    let g = ctx.g;
    let sustain = g[f].sustain()?;
    let when = match value {
        Achievable::Time(time) => t!("G007.back_after", time),
        Achievable::Unrecoverable => t!("G007.unrecoverable"),
    };
    let context = scenario.map_or_else(String::new, |s| t!("G007.in_scenario", scenario = s));
    let d = Diagnostic::error(
        "G007",
        t!(
            "G007.message",
            context,
            id = g[f].id,
            sustain = sustain.value,
            system = g[system].id,
            when
        ),
    );
    let d = match scenario {
        Some(s) => d.in_scenario(s),
        None => d,
    };
    Some(
        d.at(sustain.span)
            .label(t!("G007.label", sustain = sustain.value))
            .help(t!("G007.help", id = g[f].id, system = g[system].id))
            .target(&g[f].id),
    )
}

/// What is missing, in words, and how to fix it.
fn missing_text(
    g: &PlanGraph,
    n: NodeIndex,
    missing: Option<Missing>,
    key_people: &[&str],
) -> (String, String) {
    match missing {
        Some(Missing::SiteAlternate(s)) => (
            t!("X003.site.what", id = g[s].id),
            t!("X003.site.help", id = g[s].id),
        ),
        Some(Missing::SupplierAlternate(s)) => (
            t!("X003.supplier.what", id = g[s].id),
            t!("X003.supplier.help", id = g[s].id),
        ),
        Some(Missing::SystemWayBack(s)) => (
            t!("X003.system.what", id = g[s].id),
            t!("X003.system.help", id = g[s].id),
        ),
        Some(Missing::Team { team, step }) => (
            t!("X003.team.what", team = g[team].id, step = g[step].id),
            t!("X003.team.help", step = g[step].id),
        ),
        Some(Missing::KeyPerson { function, person }) => {
            let person = key_people.get(person).copied().unwrap_or_default();
            let what = if function == n {
                t!("X003.key_person.what", person)
            } else {
                t!("X003.key_person.whose", function = g[function].id, person)
            };
            (what, t!("X003.key_person.help", person))
        }
        None => (t!("X003.other.what"), t!("X003.other.help")),
    }
}

/// What stands in for a lost site, supplier, system or team, in words.
fn fallback(g: &PlanGraph, n: NodeIndex, lost: &[bool]) -> Option<String> {
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
        NodeKind::Site => {
            if let Some(&a) = targets(EdgeKind::Alternate).first() {
                Some(format!(
                    "alternate site `{}` (activation {})",
                    g[a].id,
                    g[a].duration.unwrap_or_default()
                ))
            } else {
                // Systems on the site with a DR site of their own fail over there.
                let mut dr: Vec<NodeIndex> = g
                    .edges_directed(n, Incoming)
                    .filter(|e| e.weight().kind == EdgeKind::DependsOn)
                    .flat_map(|e| {
                        g.edges_directed(e.source(), Outgoing)
                            .filter(|d| d.weight().kind == EdgeKind::DrSite)
                            .map(|d| d.target())
                    })
                    .filter(|&d| !lost[d.index()])
                    .collect();
                dr.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
                dr.dedup();
                (!dr.is_empty()).then(|| {
                    let sites: Vec<String> = dr
                        .iter()
                        .map(|&d| {
                            format!(
                                "`{}` (activation {})",
                                g[d].id,
                                g[d].duration.unwrap_or_default()
                            )
                        })
                        .collect();
                    format!(
                        "no alternate site; its systems fail over to their DR site {}",
                        sites.join(", ")
                    )
                })
            }
        }
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
