//! The diagrams as Mermaid blocks, for Markdown output (GitHub and GitLab draw them).

use super::i18n::{self, label};
use super::markdown::mermaid_task;
use super::recovery::Recovered;
use crate::escape;
use crate::model::{CallNode, Lang, Plan, Sp};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn fence(body: &str) -> String {
    format!("```mermaid\n{body}```")
}

/// The risk matrix as a quadrant chart: each risk at (likelihood, impact).
pub fn risk_matrix(plan: &Plan, lang: Lang) -> String {
    let mut body = String::from("quadrantChart\n");
    let _ = writeln!(
        body,
        "    title {}",
        escape::mermaid(label(lang, "risk_matrix"))
    );
    let _ = writeln!(
        body,
        "    x-axis \"{} →\"",
        escape::mermaid(label(lang, "likelihood"))
    );
    let _ = writeln!(
        body,
        "    y-axis \"{} →\"",
        escape::mermaid(label(lang, "impact"))
    );
    let mut risks: Vec<_> = plan.risks.iter().collect();
    risks.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    for r in risks {
        // Cell centres: 1 -> 0.1 ... 5 -> 0.9.
        let pos = |v: u8| f64::from(v.clamp(1, 5) * 2 - 1) / 10.0;
        let _ = writeln!(
            body,
            "    \"{}\": [{:.1}, {:.1}]",
            escape::mermaid(&r.id.value),
            pos(*r.likelihood),
            pos(*r.impact)
        );
    }
    fence(&body)
}

/// The call tree as a flowchart, left to right.
pub fn call_tree(plan: &Plan, names: &BTreeMap<String, String>, lang: Lang) -> String {
    let mut body = String::from("flowchart LR\n");
    let mut counter = 0usize;
    if let Some(tree) = &plan.call_tree {
        for node in &tree.tree {
            walk(node, None, names, lang, &mut counter, &mut body);
        }
    }
    fence(&body)
}

fn walk(
    node: &Sp<CallNode>,
    parent: Option<usize>,
    names: &BTreeMap<String, String>,
    lang: Lang,
    counter: &mut usize,
    body: &mut String,
) {
    let me = *counter;
    *counter += 1;
    let name = |id: &str| escape::mermaid(names.get(id).map_or(id, String::as_str));
    let text = match &node.fallback {
        Some(f) => format!(
            "{}<br/><small>{}: {}</small>",
            name(&node.person),
            escape::mermaid(label(lang, "fallback")),
            name(f)
        ),
        None => name(&node.person),
    };
    let _ = writeln!(body, "    n{me}[\"{text}\"]");
    if let Some(p) = parent {
        let _ = writeln!(body, "    n{p} --> n{me}");
    }
    for child in &node.calls {
        walk(child, Some(me), names, lang, counter, body);
    }
}

/// The recovery timeline as a Gantt chart: bars to the achievable time, RTO milestones.
pub fn timeline(order: &[Recovered], lang: Lang) -> String {
    let mut body = String::from("gantt\n    dateFormat X\n    axisFormat %H:%M\n");
    let _ = writeln!(body, "    title {}", mermaid_task(label(lang, "timeline")));
    for (i, r) in order.iter().enumerate() {
        let _ = writeln!(body, "    section {}", mermaid_task(&r.name));
        match r.achievable {
            Some(a) => {
                let tag = if a > r.rto { "crit, " } else { "" };
                let _ = writeln!(
                    body,
                    "    {} :{tag}t{i}, 0, {}s",
                    mermaid_task(&i18n::duration(lang, &a.to_string())),
                    a.minutes() * 60
                );
            }
            None => {
                let _ = writeln!(
                    body,
                    "    {} :t{i}, 0, 0s",
                    mermaid_task(label(lang, "no_procedure"))
                );
            }
        }
        let _ = writeln!(
            body,
            "    RTO {} :milestone, m{i}, {}, 0s",
            mermaid_task(&i18n::duration(lang, &r.rto.to_string())),
            r.rto.minutes() * 60
        );
    }
    fence(&body)
}
