//! The data templates see: the plan as plain values (redacted when asked), plus what is
//! computed from it (recovery order, schedules, the flattened call tree, risk scores).
//! Everything is sorted or in plan order, so the same plan always gives the same context.

use super::i18n;
use super::recovery;
use super::tree::{self, Key, Tree};
use crate::model::{CallNode, Date, Lang, Plan, Sp};
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

/// Entries of a map of the template context, written like `json!`: `entries! { "id" => value,
/// … }`, each value anything a [`Tree`] is made from.
macro_rules! entries {
    ($($key:literal => $value:expr),* $(,)?) => {
        vec![$((Key::Static($key), Tree::from($value))),*]
    };
}

/// A map of the template context: `tree_map! { "id" => value, … }` (see [`entries!`]).
macro_rules! tree_map {
    ($($entries:tt)*) => {
        Tree::map(entries!($($entries)*))
    };
}

/// `value` as a tree (a value of the plan's own types, which always has one).
fn tree_of<T: serde::Serialize + ?Sized>(value: &T) -> Tree {
    tree::to_tree(value).unwrap_or_default()
}

/// Builds the context shared by every document of one render.
/// `order_all` is [`recovery::order_all`] of the plan and its analysis.
pub fn build(
    plan: &Plan,
    order_all: &[recovery::Recovered],
    lang: Lang,
    redactor: Option<&super::redact::Redactor>,
    stamp: &Stamp,
) -> Tree {
    let redact = redactor.is_some();
    // The plan's own tree is about a third of the work here: made on another core meanwhile.
    std::thread::scope(|scope| {
        let plan_tree = scope.spawn(|| {
            let mut plan_tree = tree::sharing_texts(|| tree_of(plan));
            if redact {
                redact_contacts(&mut plan_tree, lang);
            }
            plan_tree
        });
        tree::sharing_texts(|| {
            let parts = derived(plan, order_all, lang, stamp);
            assemble(plan, crate::joined(plan_tree), parts, redactor)
        })
    })
}

/// What [`build`] derives from the plan and its recovery order, beside the plan's own tree.
struct Derived<'a> {
    steps_of: BTreeMap<&'a str, Vec<(usize, usize)>>,
    /// In recovery order; completed with the plan's tree ([`assemble`]).
    procedures: Vec<Procedure>,
    entries: Vec<(Key, Tree)>,
}

/// A procedure of the context but for its steps as written, which are the plan tree's.
struct Procedure {
    /// Its place in the plan.
    index: usize,
    entries: Vec<(Key, Tree)>,
    /// Its steps in the order they start: each one's place in the procedure, and its times.
    steps: Vec<(usize, Vec<(Key, Tree)>)>,
}

fn derived<'a>(
    plan: &'a Plan,
    order_all: &[recovery::Recovered],
    lang: Lang,
    stamp: &Stamp,
) -> Derived<'a> {
    let order = recovery::functions(order_all);
    let rank: BTreeMap<&str, usize> = order_all
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    // Procedures: steps in the order they start, with their times.
    let mut procedures: Vec<(usize, Procedure)> = plan
        .procedures
        .iter()
        .enumerate()
        .map(|(index, p)| {
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
            let steps: Vec<(usize, Vec<(Key, Tree)>)> = timings
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let step = &p.steps[t.index];
                    let after_numbers: Vec<usize> = step
                        .after
                        .iter()
                        .filter_map(|a| number.get(a.value.as_str()).copied())
                        .collect();
                    let after_names: Vec<&str> = step
                        .after
                        .iter()
                        .filter_map(|a| p.steps.iter().find(|s| s.id.value == a.value))
                        .map(|s| s.name.as_str())
                        .collect();
                    let times = entries! {
                        "number" => i + 1,
                        "after_numbers" => after_numbers,
                        "after_names" => after_names,
                        "start" => t.start.to_string(),
                        "finish" => t.finish.to_string(),
                        "procedure" => p.id.value.as_str(),
                        "procedure_name" => p.name.as_str(),
                    };
                    (t.index, times)
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
            let procedure = Procedure {
                index,
                entries: entries! {
                    "id" => p.id.value.as_str(),
                    "name" => p.name.as_str(),
                    "recovers" => p.recovers.iter().map(|r| r.value.as_str()).collect::<Vec<_>>(),
                    "recovers_systems" => recovers_systems,
                    "length" => length.to_string(),
                    "recovered" => recovered.to_string(),
                },
                steps,
            };
            (first, procedure)
        })
        .collect();
    // Procedures in the recovery order of what they bring back; ties as written.
    procedures.sort_by_key(|(first, p)| (*first, p.index));
    let procedures: Vec<Procedure> = procedures.into_iter().map(|(_, p)| p).collect();
    // Each team's steps (procedure and step index), procedures in recovery order, found in
    // one pass before the redaction (a pass per team made this quadratic: teams grow with
    // the plan).
    let mut steps_of: BTreeMap<&str, Vec<(usize, usize)>> = plan
        .teams
        .iter()
        .map(|t| (t.id.as_str(), Vec::new()))
        .collect();
    for (i, p) in procedures.iter().enumerate() {
        for (j, (step, _)) in p.steps.iter().enumerate() {
            let team = plan.procedures[p.index].steps[*step].team.as_str();
            if let Some(list) = steps_of.get_mut(team) {
                list.push((i, j));
            }
        }
    }

    // Risks with their score, highest first.
    let mut risks: Vec<Tree> = plan
        .risks
        .iter()
        .map(|r| {
            let mut v = tree_of(&r.value);
            v.insert(
                "score",
                Tree::from(u64::from(*r.likelihood) * u64::from(*r.impact)),
            );
            v
        })
        .collect();
    risks.sort_by(|a, b| {
        let key = |v: &Tree| {
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
    let strategies: Vec<Tree> = plan
        .strategies
        .iter()
        .map(|s| {
            let mut v = tree_of(&s.value);
            let per_day: u64 = s
                .covers
                .iter()
                .filter_map(|c| plan.functions.iter().find(|f| f.id.value == c.value))
                .filter_map(|f| f.loss_per_day)
                .sum();
            if let Some(t) = &s.recovery_time
                && per_day > 0
            {
                v.insert(
                    "loss_until_recovered",
                    Tree::from(per_day.saturating_mul(t.minutes()) / (24 * 60)),
                );
            }
            v
        })
        .collect();

    let assembly: Vec<Tree> = plan
        .sites
        .iter()
        .flat_map(|s| {
            s.assembly_points
                .iter()
                .map(|p| tree_map! { "site" => s.name.as_str(), "point" => p.as_str() })
        })
        .collect();

    let next_review = plan
        .meta
        .review
        .as_ref()
        .map(|r| r.last_reviewed.plus_months(*r.interval_months).to_string());

    let order_value: Vec<Tree> = order.iter().map(recovered).collect();
    let titles: BTreeMap<&str, String> = super::Doc::ALL
        .iter()
        .map(|d| (d.as_str(), super::doc_title(plan, *d, lang)))
        .collect();

    let entries = entries! {
        "lang" => lang.code(),
        "L" => tree_of(&i18n::labels(lang)),
        "generated" => tree_map! {
            "date" => stamp.date.map(|d| d.to_string()),
            "commit" => stamp.commit.as_ref().map(|c| c.hash.as_str()),
            "source" => stamp.commit.as_ref().map(Commit::short),
            "tool" => format!("bcp {}", env!("CARGO_PKG_VERSION")),
        },
        "draft" => stamp.draft,
        "titles" => tree_of(&titles),
        "order" => order_value,
        "risks" => risks,
        "calls" => calls,
        "call_reach_minutes" => reach,
        "strategies" => strategies,
        "cost_tradeoff" => tree_of(&crate::cost::charted(&crate::cost::analyse(plan))),
        "assembly_points" => assembly,
        "next_review" => next_review,
        "sep" => super::sep(lang),
    };
    Derived {
        steps_of,
        procedures,
        entries,
    }
}

/// The context from the plan's tree and what was derived beside it.
fn assemble(
    plan: &Plan,
    plan_tree: Tree,
    Derived {
        mut steps_of,
        procedures,
        mut entries,
    }: Derived,
    redactor: Option<&super::redact::Redactor>,
) -> Tree {
    // A step in recovery order extends the plan tree's step: held once.
    let procedures: Vec<Tree> = procedures
        .into_iter()
        .map(|p| {
            let as_written = &plan_tree["procedures"][p.index]["steps"];
            let steps: Vec<Tree> = p
                .steps
                .into_iter()
                .map(|(step, times)| Tree::extended(as_written[step].clone(), times))
                .collect();
            let mut entries = p.entries;
            entries.push((Key::Static("steps"), Tree::from(steps)));
            Tree::map(entries)
        })
        .collect();
    entries.push((Key::Static("procedures"), Tree::from(procedures)));
    entries.push((Key::Static("plan"), plan_tree));
    entries.push((Key::Static("redacted"), Tree::from(redactor.is_some())));
    let mut ctx = Tree::map(entries);
    if let Some(redactor) = redactor {
        // Everything a template can print, whatever part of the plan it comes from.
        redactor.tree(&mut ctx);
    }
    // What repeats a part of the context is that part itself, not a copy: added after the
    // redaction, so nothing is redacted twice or copied to be redacted.
    let plan_tree = ctx["plan"].clone();
    let people: Vec<(Key, Tree)> = plan_tree["people"]
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some((Key::from(p["id"].as_str()?), p.clone())))
        .collect();
    let runbooks: Vec<Tree> = plan
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let steps: Vec<Tree> = steps_of
                .remove(t.id.as_str())
                .unwrap_or_default()
                .into_iter()
                .map(|(p, s)| ctx["procedures"][p]["steps"][s].clone())
                .collect();
            tree_map! { "team" => plan_tree["teams"][i].clone(), "steps" => steps }
        })
        .collect();
    let functions_by_id: Vec<(Key, Tree)> = plan
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                Key::from(f.id.value.as_str()),
                plan_tree["functions"][i].clone(),
            )
        })
        .collect();
    ctx.insert("people_index", Tree::map(people));
    ctx.insert("runbooks", Tree::from(runbooks));
    ctx.insert("functions_by_id", Tree::map(functions_by_id));
    ctx
}

/// The scenario matrix as a table: one row per critical or essential function, one cell per
/// scenario (empty when the analysis did not run or the plan has no scenarios); gaps accepted
/// by exceptions are marked.
pub fn scenario_matrix(
    plan: &Plan,
    analysis: Option<&crate::graph::Analysis>,
    diagnostics: &[crate::diagnostic::Diagnostic],
) -> Tree {
    let Some(analysis) = analysis else {
        return tree_map! { "scenarios" => Vec::<Tree>::new(), "rows" => Vec::<Tree>::new() };
    };
    let matrix = crate::graph::matrix::Matrix::of(plan, analysis, diagnostics);
    let scenarios: Vec<Tree> = matrix
        .scenarios
        .iter()
        .map(|s| tree_map! { "id" => s.id.as_str(), "name" => s.name.as_str() })
        .collect();
    // Most cells repeat others (a function unaffected, or back in the same time): each
    // distinct cell is made once and shared (10,000 functions: 25 MB of cells -> 5 MB).
    let mut distinct = BTreeMap::new();
    let rows: Vec<Tree> = matrix.scenarios.first().map_or_else(Vec::new, |first| {
        (0..first.functions.len())
            .map(|i| {
                let f = &first.functions[i];
                let cells: Vec<Tree> = matrix
                    .scenarios
                    .iter()
                    .map(|s| {
                        let c = &s.functions[i];
                        let cell = distinct
                            .entry((c.achievable, c.status, c.accepted))
                            .or_insert_with(|| {
                                tree_map! {
                                    "achievable" => c.achievable.map(|a| a.to_string()),
                                    "status" => tree_of(&c.status),
                                    "accepted" => c.accepted,
                                }
                            });
                        cell.clone()
                    })
                    .collect();
                tree_map! {
                    "id" => f.id.as_str(),
                    "tier" => tree_of(&f.tier),
                    "rto" => f.rto.to_string(),
                    "mtd" => f.mtd.to_string(),
                    "cells" => cells,
                }
            })
            .collect()
    });
    tree_map! { "scenarios" => scenarios, "rows" => rows }
}

fn recovered(r: &recovery::Recovered) -> Tree {
    tree_map! {
        "id" => r.id.as_str(),
        "name" => r.name.as_str(),
        "kind" => r.kind,
        "tier" => r.tier,
        "rto" => r.rto.to_string(),
        "achievable" => r.achievable.map(|d| d.to_string()),
        "late" => r.achievable.is_some_and(|a| a > r.rto),
    }
}

fn flatten(
    node: &Sp<CallNode>,
    depth: usize,
    caller: Option<&str>,
    at: u64,
    per_call: u64,
    out: &mut Vec<Tree>,
    reach: &mut u64,
) {
    *reach = (*reach).max(at);
    out.push(tree_map! {
        "depth" => depth,
        "person" => node.person.value.as_str(),
        "fallback" => node.fallback.as_ref().map(|f| f.value.as_str()),
        "caller" => caller,
        "minute" => at,
    });
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
fn redact_contacts(plan: &mut Tree, lang: Lang) {
    let placeholder = i18n::label(lang, "redacted");
    for person in plan
        .get_mut("people")
        .map(Tree::items_mut)
        .unwrap_or_default()
    {
        if let Some(contacts) = person.get_mut("contacts") {
            for value in contacts.values_mut() {
                *value = Tree::from(placeholder);
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
