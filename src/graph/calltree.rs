//! The call tree (告知树): time to reach everyone, single points of failure (C001), key-person
//! risk (C002), and the time against the plan's objective (C003).
//!
//! Timing model: one call takes `minutes_per_call`; a person makes their calls one after the
//! other, in the order written; different people call at the same time. The first people of
//! the tree are called in order by whoever activates it, so the k-th is reached after k calls.
//!
//! Fallbacks: when a caller cannot be reached, their `fallback` makes their calls. A caller
//! without one who leads a team (`lead`) has that team's second lead as fallback — the
//! second lead (第二负责人) exists to act when the primary cannot be reached. A caller with
//! neither cuts off everyone below them, transitively: they are the only link (C001).

use crate::diagnostic::Diagnostic;
use crate::model::{CallNode, Duration, Plan, Sp, Span, Tier};
use crate::t;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// A person leading (lead or second lead) more teams than this is a key-person risk.
pub const MAX_TEAMS_LED: usize = 2;
/// A person owning more critical functions than this is a key-person risk.
pub const MAX_CRITICAL_OWNED: usize = 3;

/// The call tree analysed.
#[derive(Clone, Debug, Serialize)]
pub struct CallTreeReport {
    pub minutes_per_call: u32,
    /// Time until the last person is reached.
    pub total: Duration,
    pub total_minutes: u64,
    /// The objective, when the plan sets `reach_within`.
    pub reach_within: Option<Duration>,
    /// Everyone in the tree, in the order they are reached (ties: tree order).
    pub people: Vec<Reached>,
    /// The chain of calls to the last person reached, first caller first.
    pub longest_chain: Vec<String>,
    /// People who make calls and have no fallback.
    pub single_points_of_failure: Vec<String>,
    pub key_people: Vec<KeyPersonRisk>,
}

/// One person of the tree and when they are reached.
#[derive(Clone, Debug, Serialize)]
pub struct Reached {
    pub person: String,
    pub name: String,
    pub reached: Duration,
    pub reached_minutes: u64,
    /// Who calls them; `None` for the first people called.
    pub called_by: Option<String>,
    pub fallback: Option<String>,
    /// When the fallback is not written in the tree: the team whose second lead it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_team: Option<String>,
    /// How many people they call.
    pub calls: usize,
    /// How many people are reached only through them (everyone below them in the tree).
    pub below: usize,
}

/// A person holding too many roles.
#[derive(Clone, Debug, Serialize)]
pub struct KeyPersonRisk {
    pub person: String,
    /// Teams they lead or second-lead.
    pub teams_led: Vec<String>,
    /// Critical functions they own.
    pub critical_functions_owned: Vec<String>,
}

/// A person reached, while walking the tree.
struct Visit<'a> {
    node: &'a Sp<CallNode>,
    reached: u64,
    /// Index of the caller in the visit list.
    parent: Option<usize>,
}

pub(crate) fn analyse(plan: &Plan, out: &mut Vec<Diagnostic>) -> Option<CallTreeReport> {
    let key_people = key_people(plan, out);
    let tree = plan.call_tree.as_ref()?;
    let names: FxHashMap<&str, &str> = plan
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let per_call = u64::from(tree.minutes_per_call);

    // Depth-first with an explicit stack; `parent` indexes `visits` for the longest chain.
    let mut visits: Vec<Visit> = Vec::new();
    let mut stack: Vec<Visit> = tree
        .tree
        .iter()
        .enumerate()
        .rev()
        .map(|(k, node)| Visit {
            node,
            reached: per_call.saturating_mul(k as u64 + 1),
            parent: None,
        })
        .collect();
    while let Some(v) = stack.pop() {
        let me = visits.len();
        for (k, child) in v.node.calls.iter().enumerate().rev() {
            stack.push(Visit {
                node: child,
                reached: v
                    .reached
                    .saturating_add(per_call.saturating_mul(k as u64 + 1)),
                parent: Some(me),
            });
        }
        visits.push(v);
    }

    // Everyone below each person: children come after their parent in `visits` (preorder),
    // so one pass from the end adds each subtree to its parent.
    let mut below = vec![0usize; visits.len()];
    for i in (0..visits.len()).rev() {
        if let Some(p) = visits[i].parent {
            below[p] += below[i] + 1;
        }
    }
    // A team lead's implicit fallback: the second lead of the first team they lead.
    let mut second_lead_of: FxHashMap<&str, (&str, &str)> = FxHashMap::default();
    for t in &plan.teams {
        if let (Some(lead), Some(second)) = (&t.lead, &t.second_lead)
            && lead.value != second.value
        {
            second_lead_of
                .entry(lead.as_str())
                .or_insert((second.as_str(), t.id.as_str()));
        }
    }
    let fallback_of = |node: &CallNode| -> (Option<String>, Option<String>) {
        match &node.fallback {
            Some(f) => (Some(f.value.clone()), None),
            // Only callers need someone to make their calls.
            None if node.calls.is_empty() => (None, None),
            None => second_lead_of
                .get(node.person.as_str())
                .map_or((None, None), |(s, t)| {
                    (Some((*s).to_string()), Some((*t).to_string()))
                }),
        }
    };

    let mut single_points = Vec::new();
    for (i, v) in visits.iter().enumerate() {
        let node = &v.node.value;
        if !node.calls.is_empty() && fallback_of(node).0.is_none() {
            single_points.push(node.person.value.clone());
            let n = below[i];
            let direct = node.calls.len();
            let more = if n > direct {
                t!("C001.more", direct, below = n - direct)
            } else {
                String::new()
            };
            out.push(
                Diagnostic::warning(
                    "C001",
                    crate::i18n::plural(
                        "C001.message",
                        n,
                        &[("person", &node.person.value), ("more", &more)],
                    ),
                )
                .at(node.person.span)
                .label(t!("C001.label"))
                .help(t!("C001.help", person = node.person.value))
                .target(&node.person.value),
            );
        }
    }

    let last = visits
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| a.reached.cmp(&b.reached).then(ib.cmp(ia)))
        .map(|(i, _)| i);
    let total = last.map_or(0, |i| visits[i].reached);
    let mut longest_chain = Vec::new();
    let mut at = last;
    while let Some(i) = at {
        longest_chain.push(visits[i].node.person.value.clone());
        at = visits[i].parent;
    }
    longest_chain.reverse();

    if let Some(limit) = &tree.reach_within
        && total > limit.value.minutes()
    {
        out.push(
            Diagnostic::error(
                "C003",
                t!(
                    "C003.message",
                    total = Duration::from_minutes(total),
                    objective = limit.value
                ),
            )
            .at(limit.span)
            .label(t!("C003.label", total = Duration::from_minutes(total)))
            .help(t!(
                "C003.help",
                chain = longest_chain
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            )),
        );
    }

    let mut order: Vec<usize> = (0..visits.len()).collect();
    order.sort_by_key(|&i| (visits[i].reached, i));
    let people = order
        .into_iter()
        .map(|i| {
            let v = &visits[i];
            let person = v.node.person.value.clone();
            let (fallback, fallback_team) = fallback_of(&v.node.value);
            Reached {
                name: names
                    .get(person.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                person,
                reached: Duration::from_minutes(v.reached),
                reached_minutes: v.reached,
                called_by: v.parent.map(|p| visits[p].node.person.value.clone()),
                fallback,
                fallback_team,
                calls: v.node.calls.len(),
                below: below[i],
            }
        })
        .collect();
    Some(CallTreeReport {
        minutes_per_call: tree.minutes_per_call,
        total: Duration::from_minutes(total),
        total_minutes: total,
        reach_within: tree.reach_within.as_ref().map(|r| r.value),
        people,
        longest_chain,
        single_points_of_failure: single_points,
        key_people,
    })
}

/// C002: people leading more than [`MAX_TEAMS_LED`] teams or owning more than
/// [`MAX_CRITICAL_OWNED`] critical functions.
fn key_people(plan: &Plan, out: &mut Vec<Diagnostic>) -> Vec<KeyPersonRisk> {
    #[derive(Default)]
    struct Roles<'a> {
        teams: Vec<(&'a str, Span)>,
        functions: Vec<(&'a str, Span)>,
    }
    let mut roles: BTreeMap<&str, Roles> = BTreeMap::new();
    for t in &plan.teams {
        let mut leads: Vec<&Sp<String>> = t.lead.iter().chain(&t.second_lead).collect();
        leads.dedup_by(|a, b| a.value == b.value);
        for l in leads {
            roles
                .entry(l.as_str())
                .or_default()
                .teams
                .push((t.id.as_str(), l.span));
        }
    }
    for f in plan
        .functions
        .iter()
        .filter(|f| f.tier.value == Tier::Critical)
    {
        if let Some(o) = &f.owner {
            roles
                .entry(o.as_str())
                .or_default()
                .functions
                .push((f.id.as_str(), o.span));
        }
    }
    let defined: FxHashMap<&str, Span> = plan
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.id.span))
        .collect();
    let mut risks = Vec::new();
    for (person, r) in roles {
        let too_many_teams = r.teams.len() > MAX_TEAMS_LED;
        let too_many_functions = r.functions.len() > MAX_CRITICAL_OWNED;
        if !too_many_teams && !too_many_functions {
            continue;
        }
        let list = |items: &[(&str, Span)]| {
            items
                .iter()
                .map(|(id, _)| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut what = Vec::new();
        if too_many_teams {
            what.push(t!("C002.leads", n = r.teams.len(), list = list(&r.teams)));
        }
        if too_many_functions {
            what.push(t!(
                "C002.owns",
                n = r.functions.len(),
                list = list(&r.functions)
            ));
        }
        let mut d = Diagnostic::warning(
            "C002",
            t!(
                "C002.message",
                person,
                what = what.join(crate::i18n::raw(crate::i18n::current(), "C002.and"))
            ),
        );
        if let Some(&span) = defined.get(person) {
            d = d.at(span);
        }
        if too_many_teams {
            for (team, span) in &r.teams {
                d = d.also(*span, t!("C002.leads_one", team));
            }
        }
        if too_many_functions {
            for (function, span) in &r.functions {
                d = d.also(*span, t!("C002.owns_one", function));
            }
        }
        out.push(
            d.help(t!(
                "C002.help",
                teams = MAX_TEAMS_LED,
                functions = MAX_CRITICAL_OWNED
            ))
            .target(person),
        );
        risks.push(KeyPersonRisk {
            person: person.to_string(),
            teams_led: if too_many_teams {
                r.teams.iter().map(|t| t.0.to_string()).collect()
            } else {
                Vec::new()
            },
            critical_functions_owned: if too_many_functions {
                r.functions.iter().map(|f| f.0.to_string()).collect()
            } else {
                Vec::new()
            },
        });
    }
    risks
}
