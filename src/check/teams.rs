//! §2 teams and §3 the call tree: leads, contact channels, coverage, loops.

use super::{Index, Kind};
use crate::diagnostic::Diagnostic;
use crate::model::{CallNode, Id, Plan, Sp, Span};
use crate::t;
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn check(plan: &Plan, index: &Index, out: &mut Vec<Diagnostic>) {
    leads(plan, out);
    contacts(plan, index, out);
    call_tree(plan, index, out);
}

/// T001, T002: a primary and a second lead, different people.
fn leads(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for team in &plan.teams {
        let id = &team.id;
        for (lead, key, role) in [
            (&team.lead, "lead", t!("T001.primary_lead")),
            (&team.second_lead, "second_lead", t!("T001.second_lead")),
        ] {
            if lead.is_none() {
                out.push(
                    Diagnostic::error("T001", t!("T001.message", id = id.value, role))
                        .at(id.span)
                        .label(t!("T001.label", key))
                        .help(t!("T001.help", key))
                        .target(&id.value),
                );
            }
        }
        if let (Some(lead), Some(second)) = (&team.lead, &team.second_lead)
            && lead.value == second.value
        {
            out.push(
                Diagnostic::error(
                    "T002",
                    t!("T002.message", id = id.value, person = lead.value),
                )
                .at(second.span)
                .also(lead.span, t!("T002.also"))
                .help(t!("T002.help"))
                .target(&id.value),
            );
        }
    }
}

/// Every person named in a team or the call tree, with the first place they are named.
fn people_in_teams_and_tree(plan: &Plan) -> BTreeMap<&str, Span> {
    fn note<'a>(named: &mut BTreeMap<&'a str, Span>, id: &'a Id) {
        named.entry(id.as_str()).or_insert(id.span);
    }
    let mut named = BTreeMap::new();
    for team in &plan.teams {
        for id in team
            .lead
            .iter()
            .chain(&team.second_lead)
            .chain(&team.members)
        {
            note(&mut named, id);
        }
    }
    if let Some(tree) = &plan.call_tree {
        walk(&tree.tree, &mut |node| {
            note(&mut named, &node.person);
            if let Some(f) = &node.fallback {
                note(&mut named, f);
            }
        });
    }
    named
}

/// T003: everyone who must be reached has a channel.
fn contacts(plan: &Plan, index: &Index, out: &mut Vec<Diagnostic>) {
    for (id, used_at) in people_in_teams_and_tree(plan) {
        let Some(entry) = index.get(id).filter(|e| e.kind == Kind::Person) else {
            continue;
        };
        let person = &plan.people[entry.position];
        if person.contacts.is_empty() {
            out.push(
                Diagnostic::error("T003", t!("T003.message", id))
                    .at(person.id.span)
                    .label(t!("T003.label"))
                    .also(used_at, t!("T003.also"))
                    .help(t!("T003.help"))
                    .target(id),
            );
        }
    }
}

/// Visits every node of the tree, depth first, in written order.
fn walk<'a>(nodes: &'a [Sp<CallNode>], visit: &mut impl FnMut(&'a CallNode)) {
    let mut stack: Vec<&Sp<CallNode>> = nodes.iter().rev().collect();
    while let Some(node) = stack.pop() {
        visit(node);
        stack.extend(node.calls.iter().rev());
    }
}

/// T004, T005, T006: the tree reaches every team member, once, without loops.
fn call_tree(plan: &Plan, index: &Index, out: &mut Vec<Diagnostic>) {
    let Some(tree) = &plan.call_tree else {
        if let Some(first) = plan.teams.first() {
            out.push(
                Diagnostic::error("T006", t!("T006.message"))
                    .at(first.id.span)
                    .help(t!("T006.help")),
            );
        }
        return;
    };
    // Loops: a person among their own callers. Iterative, with the chain of callers on a stack.
    let mut first_seen: HashMap<&str, Span> = HashMap::new();
    let mut stack: Vec<(&Sp<CallNode>, Vec<&str>)> =
        tree.tree.iter().rev().map(|n| (n, Vec::new())).collect();
    while let Some((node, callers)) = stack.pop() {
        let person = node.person.as_str();
        if let Some(at) = callers.iter().position(|c| *c == person) {
            let chain: Vec<&str> = callers[at..].iter().copied().chain([person]).collect();
            out.push(
                Diagnostic::error("T005", t!("T005.loop.message", chain = chain.join(" -> ")))
                    .at(node.person.span)
                    .label(t!("T005.loop.label", person))
                    .help(t!("T005.loop.help"))
                    .target(person),
            );
            continue;
        }
        if let Some(first) = first_seen.get(person) {
            out.push(
                Diagnostic::error("T005", t!("T005.twice.message", person))
                    .at(node.person.span)
                    .also(*first, t!("T005.twice.first"))
                    .help(t!("T005.twice.help"))
                    .target(person),
            );
        } else {
            first_seen.insert(person, node.person.span);
        }
        let mut chain = callers.clone();
        chain.push(person);
        stack.extend(node.calls.iter().rev().map(|c| (c, chain.clone())));
    }
    let reached: HashSet<&str> = first_seen.keys().copied().collect();
    let mut reported = HashSet::new();
    for team in &plan.teams {
        for member in team
            .lead
            .iter()
            .chain(&team.second_lead)
            .chain(&team.members)
        {
            // An id that names no person is already R002/R003; advising to call it would
            // spread the typo.
            let is_person = index.kind(member) == Some(Kind::Person);
            if is_person && !reached.contains(member.as_str()) && reported.insert(member.as_str()) {
                out.push(
                    Diagnostic::error(
                        "T004",
                        t!("T004.message", person = member.value, team = team.id.value),
                    )
                    .at(member.span)
                    .label(t!("T004.label"))
                    .help(t!("T004.help", person = member.value))
                    .target(&member.value),
                );
            }
        }
    }
}
