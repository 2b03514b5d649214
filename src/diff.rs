//! `bcp diff`: what changed between two versions of a plan, in the plan's own terms.
//!
//! Both versions are loaded and checked as `bcp validate` would. Entities are matched by id
//! in every section; each entity is compared field by field on its serialised value (lists
//! of entries with ids, such as a procedure's steps, are matched by id too), so a new field
//! of the model is diffed without code here. Objectives carry an effect: `tightened` or
//! `loosened` (RTO, RPO, MTD, a backup interval, the tier, the plan's maxima). The call tree
//! is compared as "who is called by whom". Then the analysis: achievable recovery times per
//! function, in the whole-plan case and in each scenario, and findings that appeared or were
//! fixed. Positions point into the new version.

use crate::check;
use crate::cli::{DiffArgs, DiffFormat, FailOn};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::graph::matrix::Matrix;
use crate::load::{self, Sources};
use crate::model::{Duration, Plan, Span};
use crate::render::markdown::escape_inline;
use crate::{Checked, Outcome};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One change.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// `added`, `removed`, `renamed`, `changed`, `call_tree` or `achievable`.
    pub kind: &'static str,
    /// What kind of entity: `function`, `system`, `person`, `plan`...
    pub entity: &'static str,
    pub id: String,
    /// Dotted path of the field (`rto`, `backups[0].every`, `steps[restore].duration`);
    /// `null` for whole entities.
    pub field: Option<String>,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// `tightened` / `loosened` for objectives, `slower` / `faster` for achievable times,
    /// `joined` / `left` / `moved` for the call tree.
    pub effect: Option<&'static str>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// A finding of one version that the other does not have.
#[derive(Clone, Debug, Serialize)]
pub struct FindingChange {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub target: Option<String>,
    pub scenario: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// Findings that appeared in the new version and those fixed since the old one.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Findings {
    pub new: Vec<FindingChange>,
    pub fixed: Vec<FindingChange>,
}

/// The whole comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
    pub findings: Findings,
}

impl Diff {
    pub fn loosened(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.effect == Some("loosened"))
            .count()
    }
}

/// Compares two checked plans.
pub fn diff(old_name: &str, old: &Checked, new_name: &str, new: &Checked) -> Diff {
    let mut changes = Vec::new();
    let old_entities = entities(&old.loaded.plan);
    let new_entities = entities(&new.loaded.plan);
    let at = |span: Span, key: Option<&str>| position(&new.loaded.sources, span, key);
    for ((entity, id), (new_value, span)) in &new_entities {
        let Some((old_value, _)) = old_entities.get(&(*entity, id.clone())) else {
            let (file, line) = at(*span, None);
            changes.push(Change {
                kind: "added",
                entity,
                id: id.clone(),
                field: None,
                old: None,
                new: name_of(new_value),
                effect: None,
                file,
                line,
            });
            continue;
        };
        let mut fields = Vec::new();
        compare("", old_value, new_value, &mut fields);
        for (field, o, n) in fields {
            // The last segment of the path, without an entry's `[id]`: its key in the file.
            let key = field.rsplit('.').next().and_then(|k| k.split('[').next());
            let (file, line) = at(*span, key);

            let renamed = field == "name" && *entity != "plan";
            changes.push(Change {
                kind: if renamed { "renamed" } else { "changed" },
                entity,
                id: id.clone(),
                effect: effect(&field, o.as_ref(), n.as_ref()),
                field: Some(field),
                old: o,
                new: n,
                file,
                line,
            });
        }
    }
    for ((entity, id), (old_value, _)) in &old_entities {
        if !new_entities.contains_key(&(*entity, id.clone())) {
            changes.push(Change {
                kind: "removed",
                entity,
                id: id.clone(),
                field: None,
                old: name_of(old_value),
                new: None,
                effect: None,
                file: None,
                line: None,
            });
        }
    }
    call_tree(&old.loaded.plan, new, &mut changes);
    achievable(old, new, &mut changes);
    Diff {
        old: old_name.to_string(),
        new: new_name.to_string(),
        changes,
        findings: findings(old, new),
    }
}

type Entities = BTreeMap<(&'static str, String), (Value, Span)>;

/// Every entity with an id, as its serialised value, keyed by (kind, id); the plan's own
/// metadata as (`plan`, `plan`) without its change log and approvals' order noise.
fn entities(plan: &Plan) -> Entities {
    let mut out = Entities::new();
    macro_rules! section {
        ($list:expr, $kind:literal) => {
            for e in &$list {
                let value = serde_json::to_value(&e.value).unwrap_or(Value::Null);
                out.insert(($kind, e.id.value.clone()), (value, e.id.span));
            }
        };
    }
    section!(plan.people, "person");
    section!(plan.teams, "team");
    section!(plan.risks, "risk");
    section!(plan.functions, "function");
    section!(plan.strategies, "strategy");
    section!(plan.procedures, "procedure");
    section!(plan.systems, "system");
    section!(plan.sites, "site");
    section!(plan.suppliers, "supplier");
    section!(plan.resources, "resource");
    section!(plan.training, "training");
    section!(plan.scenarios, "scenario");
    section!(plan.exercises, "exercise");
    for e in &plan.exceptions {
        let value = serde_json::to_value(&e.value).unwrap_or(Value::Null);
        let id = format!("{}:{}", e.code.value, e.target.value);
        out.insert(("exception", id), (value, e.code.span));
    }
    let meta = serde_json::to_value(&plan.meta).unwrap_or(Value::Null);
    out.insert(("plan", "plan".into()), (meta, plan.meta_span));
    if let Some(r) = &plan.emergency_response {
        let value = serde_json::to_value(&r.value).unwrap_or(Value::Null);
        out.insert(
            ("emergency_response", "emergency_response".into()),
            (value, r.span),
        );
    }
    out
}

fn name_of(v: &Value) -> Option<Value> {
    v.get("name")
        .or_else(|| v.get("title"))
        .or_else(|| v.get("reason"))
        .cloned()
}

/// Field-by-field differences: objects by key, lists of objects with ids by id, anything
/// else as a whole.
fn compare(
    path: &str,
    old: &Value,
    new: &Value,
    out: &mut Vec<(String, Option<Value>, Option<Value>)>,
) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => compare(&join(k), x, y, out),
                    (x, y) => out.push((join(k), x.cloned(), y.cloned())),
                }
            }
        }
        (Value::Array(before), Value::Array(after)) if keyed(before) && keyed(after) => {
            let by_id = |list: &Vec<Value>| -> BTreeMap<String, Value> {
                list.iter()
                    .filter_map(|v| Some((v.get("id")?.as_str()?.to_string(), v.clone())))
                    .collect()
            };
            let (before, after) = (by_id(before), by_id(after));
            let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
            for id in ids {
                let entry = format!("{path}[{id}]");
                match (before.get(id), after.get(id)) {
                    (Some(x), Some(y)) => compare(&entry, x, y, out),
                    (x, y) => out.push((entry, x.cloned(), y.cloned())),
                }
            }
        }
        (Value::Array(before), Value::Array(after))
            if before.iter().chain(after).all(Value::is_object) =>
        {
            for index in 0..before.len().max(after.len()) {
                let entry = format!("{path}[{index}]");
                match (before.get(index), after.get(index)) {
                    (Some(x), Some(y)) => compare(&entry, x, y, out),
                    (x, y) => out.push((entry, x.cloned(), y.cloned())),
                }
            }
        }
        (a, b) if a != b => out.push((path.to_string(), Some(a.clone()), Some(b.clone()))),
        _ => {}
    }
}

fn keyed(list: &[Value]) -> bool {
    !list.is_empty()
        && list
            .iter()
            .all(|v| v.get("id").is_some_and(Value::is_string))
}

/// Whether a change of an objective tightens or loosens it.
fn effect(field: &str, old: Option<&Value>, new: Option<&Value>) -> Option<&'static str> {
    let last = field.rsplit('.').next().unwrap_or(field);
    let objective = matches!(
        last,
        "rto"
            | "rpo"
            | "mtd"
            | "every"
            | "max_tolerable_interruption"
            | "max_data_loss"
            | "reach_within"
    );
    if objective {
        // A missing or `n/a` value is the loosest of all.
        let minutes = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .and_then(|s| Duration::parse(s).ok())
                .map_or(u64::MAX, Duration::minutes)
        };
        let (a, b) = (minutes(old), minutes(new));
        return match b.cmp(&a) {
            std::cmp::Ordering::Less => Some("tightened"),
            std::cmp::Ordering::Greater => Some("loosened"),
            std::cmp::Ordering::Equal => None,
        };
    }
    if last == "tier" {
        let rank = |v: Option<&Value>| match v.and_then(Value::as_str) {
            Some("critical") => 0,
            Some("essential") => 1,
            Some("necessary") => 2,
            _ => 3,
        };
        return match rank(new).cmp(&rank(old)) {
            std::cmp::Ordering::Less => Some("tightened"),
            std::cmp::Ordering::Greater => Some("loosened"),
            std::cmp::Ordering::Equal => None,
        };
    }
    None
}

/// File and line of an entity's field in the new version: the line of `key:` below the
/// entity's id, else the id itself.
fn position(sources: &Sources, span: Span, key: Option<&str>) -> (Option<String>, Option<u32>) {
    if span.line == 0 {
        return (None, None);
    }
    let file = Some(sources.display_path(span.file));
    let Some(key) = key else {
        return (file, Some(span.line));
    };
    // The entity's block: the lines after the id indented deeper than its list dash (or,
    // for `plan:`, than the key).
    let indent = |l: &str| l.len() - l.trim_start().len();
    let first = sources.line(span.file, span.line).unwrap_or_default();
    // `- id: x` opens a list entry whose fields are indented deeper than the dash; a span at
    // a mapping's first key (the plan's metadata) has its siblings at the same indentation.
    let base = if first.trim_start().starts_with("- ") {
        indent(first)
    } else {
        if first.trim_start().starts_with(&format!("{key}:")) {
            return (file, Some(span.line));
        }
        indent(first).saturating_sub(1)
    };
    let mut line = span.line;
    while let Some(text) = sources.line(span.file, line + 1) {
        line += 1;
        if text.trim().is_empty() || text.trim_start().starts_with('#') {
            continue;
        }
        if indent(text) <= base {
            break;
        }
        if text
            .trim_start()
            .trim_start_matches("- ")
            .starts_with(&format!("{key}:"))
        {
            return (file, Some(line));
        }
    }
    (file, Some(span.line))
}

/// Who calls whom, per person: (caller or `-` for the first row, fallback).
fn callers(plan: &Plan) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(tree) = &plan.call_tree else {
        return out;
    };
    let mut stack: Vec<(&crate::model::CallNode, String)> = tree
        .tree
        .iter()
        .map(|n| (&n.value, "-".to_string()))
        .collect();
    while let Some((node, caller)) = stack.pop() {
        out.entry(node.person.value.clone()).or_insert(caller);
        for c in &node.calls {
            stack.push((&c.value, node.person.value.clone()));
        }
    }
    out
}

fn call_tree(old: &Plan, new: &Checked, out: &mut Vec<Change>) {
    let (a, b) = (callers(old), callers(&new.loaded.plan));
    let span_of = |id: &str| {
        let mut stack: Vec<&crate::model::Sp<crate::model::CallNode>> = new
            .loaded
            .plan
            .call_tree
            .as_ref()
            .map(|t| t.tree.iter().collect())
            .unwrap_or_default();
        while let Some(n) = stack.pop() {
            if n.person.value == id {
                return Some(n.person.span);
            }
            stack.extend(n.calls.iter());
        }
        None
    };
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for id in ids {
        let (effect, o, n) = match (a.get(id), b.get(id)) {
            (Some(x), Some(y)) if x != y => ("moved", Some(x), Some(y)),
            (Some(x), None) => ("left", Some(x), None),
            (None, Some(y)) => ("joined", None, Some(y)),
            _ => continue,
        };
        let (file, line) =
            span_of(id).map_or((None, None), |s| position(&new.loaded.sources, s, None));
        let caller = |c: &String| {
            Value::String(if c == "-" {
                "(first called)".into()
            } else {
                c.clone()
            })
        };
        out.push(Change {
            kind: "call_tree",
            entity: "person",
            id: id.clone(),
            field: Some("called_by".into()),
            old: o.map(caller),
            new: n.map(caller),
            effect: Some(effect),
            file,
            line,
        });
    }
}

/// Achievable times per function: the whole-plan case, then each scenario.
fn times(checked: &Checked) -> BTreeMap<(String, String), (String, bool)> {
    let mut out = BTreeMap::new();
    let Some(analysis) = &checked.analysis else {
        return out;
    };
    for o in analysis.order(&checked.loaded.plan) {
        if o.kind == crate::graph::NodeKind::Function {
            out.insert(
                (o.id.clone(), String::new()),
                (o.achievable.to_string(), o.over_rto),
            );
        }
    }
    for column in Matrix::of(&checked.loaded.plan, analysis, &checked.diagnostics).scenarios {
        for cell in column.functions {
            if let Some(a) = cell.achievable {
                out.insert(
                    (cell.id, column.id.clone()),
                    (a.to_string(), a.exceeds(cell.rto)),
                );
            }
        }
    }
    out
}

fn achievable(old: &Checked, new: &Checked, out: &mut Vec<Change>) {
    let (a, b) = (times(old), times(new));
    let minutes = |s: &str| Duration::parse(s).map_or(u64::MAX, Duration::minutes);
    for ((id, scenario), (n, over)) in &b {
        let Some((o, _)) = a.get(&(id.clone(), scenario.clone())) else {
            continue;
        };
        if o == n {
            continue;
        }
        let span = new
            .loaded
            .plan
            .functions
            .iter()
            .find(|f| &f.id.value == id)
            .map(|f| f.id.span);
        let (file, line) = span.map_or((None, None), |s| position(&new.loaded.sources, s, None));
        let _ = over;
        out.push(Change {
            kind: "achievable",
            entity: "function",
            id: id.clone(),
            field: Some(if scenario.is_empty() {
                "achievable".into()
            } else {
                format!("achievable[{scenario}]")
            }),
            old: Some(Value::String(o.clone())),
            new: Some(Value::String(n.clone())),
            effect: Some(if minutes(n) > minutes(o) {
                "slower"
            } else {
                "faster"
            }),
            file,
            line,
        });
    }
}

/// The key a finding is recognised by across versions: its code and what it is about, or its
/// message when it is about the plan as a whole.
fn key(d: &Diagnostic) -> (String, String, String) {
    match &d.target {
        Some(t) => (
            d.code.to_string(),
            t.clone(),
            d.scenario.clone().unwrap_or_default(),
        ),
        None => (d.code.to_string(), d.message.clone(), String::new()),
    }
}

fn findings(old: &Checked, new: &Checked) -> Findings {
    let counted = |c: &Checked| -> BTreeMap<(String, String, String), Diagnostic> {
        c.diagnostics
            .iter()
            .filter(|d| d.counts())
            .map(|d| (key(d), d.clone()))
            .collect()
    };
    let (a, b) = (counted(old), counted(new));
    let change = |d: &Diagnostic, sources: &Sources| {
        let (file, line) = d.span.map_or((None, None), |s| {
            (Some(sources.display_path(s.file)), Some(s.line))
        });
        FindingChange {
            code: d.code,
            severity: d.severity.as_str(),
            message: d.message.clone(),
            target: d.target.clone(),
            scenario: d.scenario.clone(),
            file,
            line,
        }
    };
    Findings {
        new: b
            .iter()
            .filter(|(k, _)| !a.contains_key(*k))
            .map(|(_, d)| change(d, &new.loaded.sources))
            .collect(),
        fixed: a
            .iter()
            .filter(|(k, _)| !b.contains_key(*k))
            .map(|(_, d)| change(d, &old.loaded.sources))
            .collect(),
    }
}

/// A JSON value as short text: strings bare, lists joined, objects as JSON.
fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(|i| !i.is_object()) => {
            let parts: Vec<String> = items.iter().map(|i| text(Some(i))).collect();
            format!("[{}]", parts.join(", "))
        }
        Some(Value::Object(fields)) => fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", text(Some(v))))
            .collect::<Vec<_>>()
            .join(", "),
        Some(v) => v.to_string(),
    }
}

fn counts(d: &Diff) -> String {
    let n = |kind: &str| d.changes.iter().filter(|c| c.kind == kind).count();
    format!(
        "{} added, {} removed, {} renamed, {} changed ({} tightened, {} loosened), {} call-tree changes, {} achievable times changed; findings: {} new, {} fixed",
        n("added"),
        n("removed"),
        n("renamed"),
        n("changed") + n("renamed"),
        d.changes
            .iter()
            .filter(|c| c.effect == Some("tightened"))
            .count(),
        d.loosened(),
        n("call_tree"),
        n("achievable"),
        d.findings.new.len(),
        d.findings.fixed.len()
    )
}

fn describe(c: &Change) -> String {
    let field = c.field.as_deref().unwrap_or_default();
    match c.kind {
        "added" => format!("added {} `{}` ({})", c.entity, c.id, text(c.new.as_ref())),
        "removed" => format!("removed {} `{}` ({})", c.entity, c.id, text(c.old.as_ref())),
        "renamed" => format!(
            "renamed {} `{}`: {} -> {}",
            c.entity,
            c.id,
            text(c.old.as_ref()),
            text(c.new.as_ref())
        ),
        "call_tree" => match c.effect {
            Some("left") => format!(
                "`{}` left the call tree (was called by {})",
                c.id,
                text(c.old.as_ref())
            ),
            Some("joined") => format!(
                "`{}` joined the call tree (called by {})",
                c.id,
                text(c.new.as_ref())
            ),
            _ => format!(
                "`{}` is now called by {} (was {})",
                c.id,
                text(c.new.as_ref()),
                text(c.old.as_ref())
            ),
        },
        "achievable" => format!(
            "{} `{}` {}: {} -> {}{}",
            c.entity,
            c.id,
            field,
            text(c.old.as_ref()),
            text(c.new.as_ref()),
            c.effect.map(|e| format!(" ({e})")).unwrap_or_default()
        ),
        _ => format!(
            "{} `{}` {}: {} -> {}{}",
            c.entity,
            c.id,
            field,
            text(c.old.as_ref()),
            text(c.new.as_ref()),
            c.effect.map(|e| format!(" ({e})")).unwrap_or_default()
        ),
    }
}

/// Whether a change is to an objective (tightened or loosened).
fn objective(c: &Change) -> bool {
    c.effect
        .is_some_and(|e| e == "tightened" || e == "loosened")
}

/// How changes are grouped in the human and Markdown output.
/// A group's title and which changes belong to it.
type Group = (&'static str, fn(&Change) -> bool);

const GROUPS: [Group; 4] = [
    ("Objectives", objective),
    ("Entities and fields", |c| {
        matches!(c.kind, "added" | "removed" | "renamed" | "changed") && !objective(c)
    }),
    ("Call tree", |c| c.kind == "call_tree"),
    ("Achievable recovery times", |c| c.kind == "achievable"),
];

/// Human text: one line per change, positions in the new version. For a terminal: escaped
/// with `escape::terminal` where [`command`] prints it.
pub fn human(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} -> {}", d.old, d.new);
    let _ = writeln!(out, "{}", counts(d));
    let groups = GROUPS;
    for (title, belongs) in groups {
        let title = title.to_lowercase();
        let items: Vec<&Change> = d.changes.iter().filter(|c| belongs(c)).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for c in items {
            let at = match (&c.file, c.line) {
                (Some(f), Some(l)) => format!("  ({f}:{l})"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {}{at}", describe(c));
        }
    }
    for (title, list) in [
        ("new findings", &d.findings.new),
        ("fixed findings", &d.findings.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for f in list {
            let at = match (&f.file, f.line) {
                (Some(file), Some(l)) => format!("  ({file}:{l})"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {}[{}]: {}{at}", f.severity, f.code, f.message);
        }
    }
    out
}

/// Markdown for a pull-request comment: a summary, then tables.
pub fn markdown(d: &Diff) -> String {
    let mut out = String::new();
    let code = |s: &str| format!("`{}`", s.replace('`', "'"));
    let _ = writeln!(
        out,
        "### Plan changes: {} → {}\n",
        escape_inline(&d.old),
        escape_inline(&d.new)
    );
    let _ = writeln!(out, "{}\n", escape_inline(&counts(d)));
    let loosened = d.loosened();
    if loosened > 0 {
        let _ = writeln!(
            out,
            "> **{loosened} objective{} loosened** — check that the owners agreed.\n",
            if loosened == 1 { "" } else { "s" }
        );
    }
    let row = |c: &Change| {
        let at = match (&c.file, c.line) {
            (Some(f), Some(l)) => code(&format!("{f}:{l}")),
            _ => "—".into(),
        };
        format!(
            "| {} {} | {} | {} | {} | {} | {} |",
            escape_inline(c.entity),
            code(&c.id),
            escape_inline(c.field.as_deref().unwrap_or("—")),
            escape_inline(&text(c.old.as_ref())),
            escape_inline(&text(c.new.as_ref())),
            c.effect
                .map_or_else(|| c.kind.to_string(), |e| format!("**{e}**")),
            at
        )
    };
    let sections = GROUPS;
    for (title, belongs) in sections {
        let items: Vec<&Change> = d.changes.iter().filter(|c| belongs(c)).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "#### {title}\n");
        out.push_str("| what | field | old | new | effect | where (new) |\n| --- | --- | --- | --- | --- | --- |\n");
        for c in items {
            let _ = writeln!(out, "{}", row(c));
        }
        out.push('\n');
    }
    for (title, list) in [
        ("New findings", &d.findings.new),
        ("Fixed findings", &d.findings.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "#### {title}\n");
        for f in list {
            let at = match (&f.file, f.line) {
                (Some(file), Some(l)) => format!(" ({})", code(&format!("{file}:{l}"))),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "- {} **{}**: {}{at}",
                f.severity,
                f.code,
                escape_inline(&f.message)
            );
        }
        out.push('\n');
    }
    format!("{}\n", out.trim_end())
}

pub fn json(d: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(d).unwrap_or_default();
    text.push('\n');
    text
}

/// `bcp diff`.
///
/// # Errors
/// [`Error`] when a plan cannot be read or git fails.
pub fn command(args: &DiffArgs, _color: bool) -> Result<Outcome, Error> {
    let ctx = check::Context {
        today: args.today.date(),
    };
    let ((old_name, old), (new_name, new)) = match &args.git {
        Some(revs) => {
            let path = match args.plans.as_slice() {
                [] => PathBuf::from("."),
                [p] => p.clone(),
                _ => {
                    return Err(Error::Usage {
                        message: "with `--git`, give at most one plan path (the plan inside the repository)\nhelp: bcp diff --git HEAD~1..HEAD examples/bank".into(),
                    });
                }
            };
            let (a, b) = match revs.split_once("..") {
                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                None => (revs.clone(), None),
            };
            let old = (a.clone(), at_revision(&path, &a)?);
            let new = match b {
                Some(b) if !b.is_empty() => (b.clone(), at_revision(&path, &b)?),
                _ => ("working tree".to_string(), load::load(&path)?),
            };
            (old, new)
        }
        None => match args.plans.as_slice() {
            [a, b] => (
                (a.display().to_string(), load::load(a)?),
                (b.display().to_string(), load::load(b)?),
            ),
            _ => {
                return Err(Error::Usage {
                    message: "give two plans to compare, or `--git REV[..REV]`\nhelp: bcp diff old-plan/ new-plan/   or   bcp diff --git HEAD~1 examples/bank".into(),
                });
            }
        },
    };
    let old = crate::check_loaded(old, &ctx);
    let new = crate::check_loaded(new, &ctx);
    let d = diff(&old_name, &old, &new_name, &new);
    let text = match args.format {
        DiffFormat::Human => crate::human(human(&d)),
        DiffFormat::Markdown => markdown(&d),
        DiffFormat::Json => json(&d),
    };
    crate::print(&text)?;
    let fail = args.fail_on.iter().any(|f| match f {
        FailOn::Loosened => d.loosened() > 0,
        FailOn::NewFindings => !d.findings.new.is_empty(),
    });
    Ok(if fail {
        Outcome::PlanErrors
    } else {
        Outcome::Clean
    })
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| Error::Git {
            command: format!("git {}", args.join(" ")),
            message: e.to_string(),
        })?;
    if !output.status.success() {
        return Err(Error::Git {
            command: format!("git {}", args.join(" ")),
            message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(output.stdout)
}

/// The plan at `path` as it was at git revision `rev`, read from the repository's objects
/// (`git ls-tree`, `git cat-file`): nothing is checked out.
fn at_revision(path: &Path, rev: &str) -> Result<load::Loaded, Error> {
    if rev.starts_with('-') {
        return Err(Error::Usage {
            message: format!("`{rev}` is not a git revision"),
        });
    }
    let folder = path.is_dir();
    let dir = if folder {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    // The plan's place inside the repository, e.g. `examples/bank/`.
    let prefix = String::from_utf8_lossy(&git(&dir, &["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let commit = format!("{rev}^{{commit}}");
    git(&dir, &["rev-parse", "--verify", "--quiet", &commit])?;
    let mut files = Vec::new();
    if folder {
        let listing = git(
            &dir,
            &[
                "ls-tree",
                "-r",
                "-z",
                "--full-name",
                "--name-only",
                rev,
                "--",
                ".",
            ],
        )?;
        for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let full = String::from_utf8_lossy(entry).into_owned();
            let Some(relative) = full.strip_prefix(&prefix) else {
                continue;
            };
            let relative = PathBuf::from(relative);
            if !load::is_plan_file(&relative) {
                continue;
            }
            let bytes = git(&dir, &["cat-file", "blob", &format!("{rev}:{full}")])?;
            files.push((relative, bytes));
        }
    } else {
        let name = path.file_name().map(PathBuf::from).unwrap_or_default();
        let bytes = git(
            &dir,
            &["cat-file", "blob", &format!("{rev}:./{}", name.display())],
        )?;
        files.push((name, bytes));
    }
    let display = if folder {
        format!("{rev}:{}", with_slash(path))
    } else {
        format!("{rev}:{}", path.display())
    };
    load::load_memory(&display, files, folder)
}

fn with_slash(path: &Path) -> String {
    let text = path.display().to_string();
    if text.ends_with('/') {
        text
    } else {
        format!("{text}/")
    }
}

/// What changed since the version the plan's latest approval names, for the document-control
/// section of rendered documents.
#[derive(Clone, Debug, Serialize)]
pub struct SinceApproval {
    /// The approved version, its approver (person id) and approval date.
    pub version: String,
    pub by: String,
    pub date: String,
    /// The newest commit whose plan carries that version (12 hex digits); `None` when the
    /// plan's git history has no such commit.
    pub revision: Option<String>,
    /// The comparison of that commit's plan with the plan rendered; `None` without a revision.
    pub diff: Option<Diff>,
    /// Names of the people who have left since: the new plan's names do not have them.
    #[serde(skip)]
    pub gone: BTreeMap<String, String>,
}

/// The changes since the plan's last approved version: the approval with the latest date
/// names a version; the plan at the newest commit of the plan's main file (`bcp.yaml` of a
/// folder) whose `plan.version` is that version is compared with `new`. `None` when the
/// plan has no approvals or is not in a git repository (or git is not installed).
pub fn since_approval(path: &Path, new: &Checked, ctx: &check::Context) -> Option<SinceApproval> {
    // The latest approval; of approvals on the same day, the last listed.
    let approval = new
        .loaded
        .plan
        .meta
        .approvals
        .iter()
        .rev()
        .max_by_key(|a| a.date.value)?;
    let (dir, main) = if path.is_dir() {
        (path.to_path_buf(), "bcp.yaml".to_string())
    } else {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        (dir, path.file_name()?.to_string_lossy().into_owned())
    };
    let log = git(&dir, &["log", "--format=%H", "--", &main]).ok()?;
    let mut since = SinceApproval {
        version: approval.version.clone(),
        by: approval.by.value.clone(),
        date: approval.date.value.to_string(),
        revision: None,
        diff: None,
        gone: BTreeMap::new(),
    };
    for hash in String::from_utf8_lossy(&log).lines() {
        let Ok(bytes) = git(&dir, &["cat-file", "blob", &format!("{hash}:./{main}")]) else {
            continue;
        };
        if version_of(&bytes).as_deref() != Some(approval.version.as_str()) {
            continue;
        }
        let Ok(old) = at_revision(path, hash) else {
            break;
        };
        let short = hash.get(..12).unwrap_or(hash).to_string();
        let old = crate::check_loaded(old, ctx);
        let now: BTreeSet<&str> = new
            .loaded
            .plan
            .people
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        since.gone = old
            .loaded
            .plan
            .people
            .iter()
            .filter(|p| !now.contains(p.id.as_str()))
            .map(|p| (p.id.value.clone(), p.name.clone()))
            .collect();
        since.diff = Some(diff(&short, &old, "this version", new));
        since.revision = Some(short);
        break;
    }
    Some(since)
}

/// `plan.version` of a plan file's text, without loading the whole plan.
fn version_of(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct File {
        plan: Option<Meta>,
    }
    #[derive(serde::Deserialize)]
    struct Meta {
        version: Option<String>,
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let file: File = load::data_from_yaml(text.trim_start_matches('\u{feff}')).ok()?;
    file.plan?.version
}

impl SinceApproval {
    /// The template context of the change log: one row per change with its values as text,
    /// the counts of findings new and fixed.
    pub fn context(&self) -> Value {
        // The change log and the approvals are document control's own records, shown beside.
        let own_record = |c: &&Change| {
            c.entity == "plan"
                && c.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("change_log") || f.starts_with("approvals"))
        };
        let rows: Vec<Value> = self
            .diff
            .iter()
            .flat_map(|d| &d.changes)
            .filter(|c| !own_record(c))
            .map(|c| {
                serde_json::json!({
                    "entity": c.entity,
                    "id": c.id,
                    // A removed entity is no longer in the plan's names: its old name.
                    "name": if c.kind == "removed" {
                        Some(text(c.old.as_ref()))
                    } else {
                        self.gone.get(&c.id).cloned()
                    },
                    "field": c.field,
                    "old": text(c.old.as_ref()),
                    "new": text(c.new.as_ref()),
                    "change": c.effect.unwrap_or(c.kind),
                })
            })
            .collect();
        serde_json::json!({
            "version": self.version,
            "by": self.by,
            "date": self.date,
            "revision": self.revision,
            "rows": rows,
            "loosened": self.diff.as_ref().map_or(0, Diff::loosened),
            "findings_new": self.diff.as_ref().map_or(0, |d| d.findings.new.len()),
            "findings_fixed": self.diff.as_ref().map_or(0, |d| d.findings.fixed.len()),
        })
    }
}
