//! The data templates see: the plan as plain values (redacted when asked), plus what is
//! computed from it (recovery order, schedules, the flattened call tree, risk scores).
//! Everything is sorted or in plan order, so the same plan always gives the same context.

use super::i18n;
use super::recovery;
use crate::model::{CallNode, Date, Lang, Plan, Sp};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// How a document is stamped: when, from which commit, by which tool, and whether it is a
/// draft (rendered with `--force` over errors or placeholders).
#[derive(Debug, Clone)]
pub struct Stamp {
    pub date: Option<Date>,
    pub commit: Option<Commit>,
    pub draft: bool,
}

/// The git commit a plan was rendered from.
#[derive(Debug, Clone)]
pub struct Commit {
    pub hash: String,
    /// The plan's files differ from the commit (edited, added or not yet committed).
    pub dirty: bool,
}

impl Commit {
    /// The short form printed in documents: 12 hex digits, `-dirty` when the plan's files
    /// differ from the commit.
    pub fn short(&self) -> String {
        let short = self.hash.get(..12).unwrap_or(&self.hash);
        if self.dirty {
            format!("{short}-dirty")
        } else {
            short.to_string()
        }
    }
}

/// Builds the context shared by every document of one render.
pub fn build(
    plan: &Plan,
    analysis: Option<&crate::graph::Analysis>,
    lang: Lang,
    redactor: Option<&super::redact::Redactor>,
    stamp: &Stamp,
) -> Value {
    let redact = redactor.is_some();
    let mut plan_value = serde_json::to_value(plan).unwrap_or(Value::Null);
    if redact {
        redact_contacts(&mut plan_value, lang);
    }
    let people: BTreeMap<&str, &Value> = plan_value
        .get("people")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| Some((p.get("id")?.as_str()?, p)))
                .collect()
        })
        .unwrap_or_default();

    let order = recovery::order(plan, analysis);
    let order_all = recovery::order_all(plan, analysis);
    let rank: BTreeMap<&str, usize> = order_all
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    // Procedures: steps in the order they start, with their times.
    let mut procedures: Vec<(usize, usize, Value)> = plan
        .procedures
        .iter()
        .map(|p| {
            let timings = recovery::schedule(p);
            let length = timings.iter().map(|t| t.finish).max().unwrap_or_default();
            // Back in service when the last step before the return to normal is done: the
            // time the RTO is measured against.
            let recovered = timings
                .iter()
                .filter(|t| p.steps[t.index].phase != crate::model::Phase::Reconstitution)
                .map(|t| t.finish)
                .max()
                .unwrap_or_default();
            // Steps are numbered in the order they start; predecessors are shown by number.
            let number: BTreeMap<&str, usize> = timings
                .iter()
                .enumerate()
                .map(|(i, t)| (p.steps[t.index].id.value.as_str(), i + 1))
                .collect();
            let steps: Vec<Value> = timings
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let step = &p.steps[t.index];
                    let mut v = serde_json::to_value(&step.value).unwrap_or(Value::Null);
                    if let Value::Object(m) = &mut v {
                        m.insert("number".into(), json!(i + 1));
                        m.insert(
                            "after_numbers".into(),
                            json!(
                                step.after
                                    .iter()
                                    .filter_map(|a| number.get(a.value.as_str()))
                                    .collect::<Vec<_>>()
                            ),
                        );
                        m.insert(
                            "after_names".into(),
                            json!(
                                step.after
                                    .iter()
                                    .filter_map(|a| p.steps.iter().find(|s| s.id.value == a.value))
                                    .map(|s| s.name.clone())
                                    .collect::<Vec<_>>()
                            ),
                        );
                        m.insert("start".into(), json!(t.start.to_string()));
                        m.insert("finish".into(), json!(t.finish.to_string()));
                        m.insert("procedure".into(), json!(p.id.value));
                        m.insert("procedure_name".into(), json!(p.name));
                    }
                    v
                })
                .collect();
            let first = p
                .recovers
                .iter()
                .filter_map(|r| rank.get(r.value.as_str()))
                .min()
                .copied()
                .unwrap_or(usize::MAX);
            let recovers_systems = p
                .recovers
                .iter()
                .any(|r| plan.systems.iter().any(|s| s.id.value == r.value));
            (
                first,
                json!({
                    "id": p.id.value,
                    "name": p.name,
                    "recovers": p.recovers.iter().map(|r| r.value.clone()).collect::<Vec<_>>(),
                    "recovers_systems": recovers_systems,
                    "length": length.to_string(),
                    "recovered": recovered.to_string(),
                    "steps": steps,
                }),
            )
        })
        .enumerate()
        .map(|(i, (first, v))| (first, i, v))
        .collect();
    // Procedures in the recovery order of what they bring back; ties as written.
    procedures.sort_by_key(|(first, i, _)| (*first, *i));
    let procedures: Vec<Value> = procedures.into_iter().map(|(_, _, v)| v).collect();

    // Team runbooks: each team's steps, procedures in recovery order. One pass over the
    // steps, each put in its team's list: a pass per team that cloned every step made this
    // quadratic (teams grow with the plan), most of `render`'s time on 10,000 functions.
    let mut steps_of: BTreeMap<&str, Vec<Value>> = plan
        .teams
        .iter()
        .map(|t| (t.id.as_str(), Vec::new()))
        .collect();
    for step in procedures
        .iter()
        .filter_map(|p| p["steps"].as_array())
        .flatten()
    {
        if let Some(list) = step["team"]
            .as_str()
            .and_then(|team| steps_of.get_mut(team))
        {
            list.push(step.clone());
        }
    }
    let runbooks: Vec<Value> = plan
        .teams
        .iter()
        .map(|t| {
            let steps = steps_of.get(t.id.as_str()).cloned().unwrap_or_default();
            json!({ "team": serde_json::to_value(&t.value).unwrap_or(Value::Null), "steps": steps })
        })
        .collect();

    // Risks with their score, highest first.
    let mut risks: Vec<Value> = plan
        .risks
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(&r.value).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert(
                    "score".into(),
                    json!(u32::from(*r.likelihood) * u32::from(*r.impact)),
                );
            }
            v
        })
        .collect();
    risks.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                std::cmp::Reverse(v["score"].as_u64().unwrap_or(0)),
                v["id"].as_str().unwrap_or("").to_string(),
            )
        };
        key(a).cmp(&key(b))
    });

    // The call tree, flattened in calling order, with the minute each call is made.
    let mut calls = Vec::new();
    let mut reach = 0u64;
    if let Some(tree) = &plan.call_tree {
        let per_call = u64::from(tree.minutes_per_call);
        for (i, node) in tree.tree.iter().enumerate() {
            flatten(
                node,
                0,
                None,
                per_call * (i as u64 + 1),
                per_call,
                &mut calls,
                &mut reach,
            );
        }
    }

    // Strategies with the loss suffered until they have recovered what they cover.
    let strategies: Vec<Value> = plan
        .strategies
        .iter()
        .map(|s| {
            let mut v = serde_json::to_value(&s.value).unwrap_or(Value::Null);
            let per_day: u64 = s
                .covers
                .iter()
                .filter_map(|c| plan.functions.iter().find(|f| f.id.value == c.value))
                .filter_map(|f| f.loss_per_day)
                .sum();
            if let (Value::Object(m), Some(t)) = (&mut v, &s.recovery_time)
                && per_day > 0
            {
                m.insert(
                    "loss_until_recovered".into(),
                    json!(per_day.saturating_mul(t.minutes()) / (24 * 60)),
                );
            }
            v
        })
        .collect();

    let assembly: Vec<Value> = plan
        .sites
        .iter()
        .flat_map(|s| {
            s.assembly_points
                .iter()
                .map(|p| json!({ "site": s.name, "point": p }))
        })
        .collect();

    let next_review = plan
        .meta
        .review
        .as_ref()
        .map(|r| r.last_reviewed.plus_months(*r.interval_months).to_string());

    let order_value: Vec<Value> = order.iter().map(recovered).collect();
    let functions_by_id: serde_json::Map<String, Value> = plan_value
        .get("functions")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|f| Some((f.get("id")?.as_str()?.to_string(), f.clone())))
                .collect()
        })
        .unwrap_or_default();

    let mut ctx = json!({
        "plan": plan_value,
        "lang": lang.code(),
        "L": i18n::labels(lang),
        "redacted": redact,
        "generated": {
            "date": stamp.date.map(|d| d.to_string()),
            "commit": stamp.commit.as_ref().map(|c| c.hash.clone()),
            "source": stamp.commit.as_ref().map(Commit::short),
            "tool": format!("bcp {}", env!("CARGO_PKG_VERSION")),
        },
        "draft": stamp.draft,
        "titles": super::Doc::ALL
            .iter()
            .map(|d| (d.as_str(), super::doc_title(plan, *d, lang)))
            .collect::<BTreeMap<_, _>>(),
        "order": order_value,
        "procedures": procedures,
        "runbooks": runbooks,
        "risks": risks,
        "calls": calls,
        "call_reach_minutes": reach,
        "strategies": strategies,
        "cost_tradeoff": crate::cost::charted(&crate::cost::analyse(plan)),
        "assembly_points": assembly,
        "next_review": next_review,
        "people_index": people,
        "functions_by_id": functions_by_id,
        "sep": super::sep(lang),
    });
    if let Some(redactor) = redactor {
        // Everything a template can print, whatever part of the plan it comes from.
        redactor.value(&mut ctx);
    }
    ctx
}

/// The scenario matrix as a table: one row per critical or essential function, one cell per
/// scenario (empty when the analysis did not run or the plan has no scenarios); gaps accepted
/// by exceptions are marked.
pub fn scenario_matrix(
    plan: &Plan,
    analysis: Option<&crate::graph::Analysis>,
    diagnostics: &[crate::diagnostic::Diagnostic],
) -> Value {
    let Some(analysis) = analysis else {
        return json!({ "scenarios": [], "rows": [] });
    };
    let matrix = crate::graph::matrix::Matrix::of(plan, analysis, diagnostics);
    let scenarios: Vec<Value> = matrix
        .scenarios
        .iter()
        .map(|s| json!({ "id": s.id, "name": s.name }))
        .collect();
    let rows: Vec<Value> = matrix.scenarios.first().map_or_else(Vec::new, |first| {
        (0..first.functions.len())
            .map(|i| {
                let f = &first.functions[i];
                let cells: Vec<Value> = matrix
                    .scenarios
                    .iter()
                    .map(|s| {
                        let c = &s.functions[i];
                        json!({
                            "achievable": c.achievable.map(|a| a.to_string()),
                            "status": c.status,
                            "accepted": c.accepted,
                        })
                    })
                    .collect();
                json!({
                    "id": f.id,
                    "tier": f.tier,
                    "rto": f.rto.to_string(),
                    "mtd": f.mtd.to_string(),
                    "cells": cells,
                })
            })
            .collect()
    });
    json!({ "scenarios": scenarios, "rows": rows })
}

fn recovered(r: &recovery::Recovered) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "kind": r.kind,
        "tier": r.tier,
        "rto": r.rto.to_string(),
        "achievable": r.achievable.map(|d| d.to_string()),
        "late": r.achievable.is_some_and(|a| a > r.rto),
    })
}

fn flatten(
    node: &Sp<CallNode>,
    depth: usize,
    caller: Option<&str>,
    at: u64,
    per_call: u64,
    out: &mut Vec<Value>,
    reach: &mut u64,
) {
    *reach = (*reach).max(at);
    out.push(json!({
        "depth": depth,
        "person": node.person.value,
        "fallback": node.fallback.as_ref().map(|f| f.value.clone()),
        "caller": caller,
        "minute": at,
    }));
    for (i, child) in node.calls.iter().enumerate() {
        flatten(
            child,
            depth + 1,
            Some(&node.person.value),
            at + per_call * (i as u64 + 1),
            per_call,
            out,
            reach,
        );
    }
}

/// Replaces every contact channel of every person with the placeholder (the rest of the
/// context is redacted by [`super::redact::Redactor`] once it is built).
fn redact_contacts(plan: &mut Value, lang: Lang) {
    let placeholder = i18n::label(lang, "redacted");
    if let Some(people) = plan.get_mut("people").and_then(Value::as_array_mut) {
        for person in people {
            if let Some(Value::Object(contacts)) = person.get_mut("contacts") {
                for value in contacts.values_mut() {
                    *value = json!(placeholder);
                }
            }
        }
    }
}

/// Every entity's display name by id, for `name(id)` in templates.
pub fn names(plan: &Plan) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    macro_rules! add {
        ($($list:ident . $field:ident),*) => {$(
            for item in &plan.$list {
                out.insert(item.id.value.clone(), item.$field.clone());
            }
        )*};
    }
    add!(
        people.name,
        teams.name,
        risks.title,
        functions.name,
        strategies.name,
        procedures.name,
        systems.name,
        sites.name,
        suppliers.name,
        resources.name,
        training.name,
        scenarios.name,
        exercises.name
    );
    out
}

/// The plan's latest review or approval date: the default generation date.
pub fn latest_plan_date(plan: &Plan) -> Option<Date> {
    let meta = &plan.meta;
    let mut dates: Vec<Date> = meta.approvals.iter().map(|a| a.date.value).collect();
    dates.extend(meta.change_log.iter().map(|c| c.date.value));
    if let Some(r) = &meta.review {
        dates.push(r.last_reviewed.value);
        dates.extend(r.history.iter().map(|h| h.date.value));
    }
    dates.into_iter().max()
}
