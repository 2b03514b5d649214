//! `bcp graph`: the plan's graph as Graphviz DOT, Mermaid or JSON.
//!
//! Nodes are written in plan order (functions, systems, sites, suppliers, teams, procedures,
//! steps), edges in the order they were built, so the output is the same bytes every run.
//! Every text taken from the plan goes through `escape::dot` or `escape::mermaid`.

use super::{Analysis, EdgeKind, Node, NodeKind};
use crate::escape;
use crate::model::{Duration, Phase, Plan, Tier};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::fmt::Write as _;

fn tier_colour(tier: Tier) -> &'static str {
    match tier {
        Tier::Critical => "#f4cccc",
        Tier::Essential => "#fce5cd",
        Tier::Necessary => "#fff2cc",
        Tier::Desirable => "#d9ead3",
    }
}

fn fill(node: &Node) -> &'static str {
    match node.kind {
        NodeKind::Function => node.tier.map_or("#ffffff", tier_colour),
        NodeKind::System => "#cfe2f3",
        NodeKind::Site => "#eeeeee",
        NodeKind::Supplier => "#d9d2e9",
        NodeKind::Team | NodeKind::Procedure | NodeKind::Step => "#ffffff",
    }
}

/// Whether a dependency edge is an RTO / RPO inversion (G002 / G003).
fn inversions(analysis: &Analysis, from: NodeIndex, to: NodeIndex) -> (bool, bool) {
    let (dependent, dependency) = (&analysis.graph[from], &analysis.graph[to]);
    let longer = |own: Option<&crate::model::Sp<Duration>>,
                  theirs: Option<&crate::model::Sp<Duration>>| {
        matches!((own, theirs), (Some(own), Some(theirs)) if theirs.value > own.value)
    };
    let rto = longer(dependent.rto(), dependency.rto());
    let rpo = dependency.kind == NodeKind::System
        && dependency.holds_data
        && longer(dependent.rpo(), dependency.rpo());
    (rto, rpo)
}

/// The lines of a node's label.
fn label_lines(plan: &Plan, a: &Analysis, n: NodeIndex) -> Vec<String> {
    let node = &a.graph[n];
    let achievable = a.timing.as_ref().map(|t| t.achievable(n));
    match node.kind {
        NodeKind::Step => vec![
            format!("{} ({})", node.step_id(), node.duration.unwrap_or_default()),
            node.name(plan).to_string(),
        ],
        NodeKind::Function | NodeKind::System => {
            let mut facts = Vec::new();
            if let Some(t) = node.tier {
                facts.push(t.as_str().to_string());
            }
            if let Some(r) = node.rto() {
                facts.push(format!("RTO {}", r.value));
            }
            if let Some(x) = achievable {
                facts.push(format!("achievable {x}"));
            }
            vec![
                node.id.clone(),
                node.name(plan).to_string(),
                facts.join(" · "),
            ]
        }
        NodeKind::Site | NodeKind::Supplier => {
            let mut lines = vec![node.id.clone(), node.name(plan).to_string()];
            if let Some(d) = node.duration {
                let what = if node.kind == NodeKind::Site {
                    "activation"
                } else {
                    "switch-over"
                };
                lines.push(format!("{what} {d}"));
            }
            lines
        }
        NodeKind::Team | NodeKind::Procedure => vec![node.id.clone(), node.name(plan).to_string()],
    }
}

fn over_rto(a: &Analysis, n: NodeIndex) -> bool {
    let node = &a.graph[n];
    match (&a.timing, node.rto()) {
        (Some(t), Some(r)) => node.kind.is_recoverable() && t.achievable(n) > r.value,
        _ => false,
    }
}

/// Graphviz DOT: nodes coloured by tier (systems blue, sites grey, suppliers purple),
/// procedures as clusters of their steps, inverted dependencies red and labelled with both RTOs.
pub fn dot(plan: &Plan, a: &Analysis) -> String {
    let g = &a.graph;
    let mut out = String::new();
    out.push_str("digraph bcp {\n");
    out.push_str("  rankdir=LR;\n  compound=true;\n");
    out.push_str(
        "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#ffffff\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let node_line = |n: NodeIndex, indent: &str| -> String {
        let node = &g[n];
        let shape = match node.kind {
            NodeKind::Function | NodeKind::Step => "box",
            NodeKind::System => "cylinder",
            NodeKind::Site => "house",
            NodeKind::Supplier => "hexagon",
            NodeKind::Team => "ellipse",
            NodeKind::Procedure => "folder",
        };
        let style = if node.kind == NodeKind::Function {
            "rounded,filled"
        } else {
            "filled"
        };
        let mut attrs = format!(
            "label={}, shape={shape}, style={}, fillcolor={}",
            escape::dot(&label_lines(plan, a, n).join("\n")),
            escape::dot(style),
            escape::dot(fill(node))
        );
        if over_rto(a, n) {
            attrs.push_str(", color=\"#c00000\", penwidth=2");
        }
        format!("{indent}{} [{attrs}];\n", escape::dot(&node.id))
    };
    for n in g
        .node_indices()
        .filter(|&n| !matches!(g[n].kind, NodeKind::Procedure | NodeKind::Step))
    {
        out.push_str(&node_line(n, "  "));
    }
    for p in g
        .node_indices()
        .filter(|&n| g[n].kind == NodeKind::Procedure)
    {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            escape::dot(&format!("cluster_{}", g[p].id))
        );
        let _ = writeln!(
            out,
            "    label={};",
            escape::dot(&format!("procedure {}: {}", g[p].id, g[p].name(plan)))
        );
        out.push_str("    style=dashed;\n");
        out.push_str(&node_line(p, "    "));
        let mut steps: Vec<NodeIndex> = g
            .edges(p)
            .filter(|e| e.weight().kind == EdgeKind::HasStep)
            .map(|e| e.target())
            .collect();
        steps.sort_unstable();
        for s in steps {
            out.push_str(&node_line(s, "    "));
        }
        out.push_str("  }\n");
    }
    for e in edge_list(a) {
        let (from, to) = (escape::dot(&g[e.from].id), escape::dot(&g[e.to].id));
        let attrs = match e.kind {
            EdgeKind::DependsOn => {
                let mut labels = Vec::new();
                if e.rto_inversion {
                    let (f, t) = (&g[e.from], &g[e.to]);
                    labels.push(format!(
                        "RTO {} > {}",
                        t.rto().map(|r| r.value).unwrap_or_default(),
                        f.rto().map(|r| r.value).unwrap_or_default()
                    ));
                }
                if e.rpo_inversion {
                    let (f, t) = (&g[e.from], &g[e.to]);
                    labels.push(format!(
                        "RPO {} > {}",
                        t.rpo().map(|r| r.value).unwrap_or_default(),
                        f.rpo().map(|r| r.value).unwrap_or_default()
                    ));
                }
                if labels.is_empty() {
                    String::new()
                } else {
                    format!(
                        " [label={}, color=\"#c00000\", fontcolor=\"#c00000\", penwidth=2]",
                        escape::dot(&labels.join("\n"))
                    )
                }
            }
            EdgeKind::Recovers => {
                " [label=\"recovers\", color=\"#38761d\", fontcolor=\"#38761d\"]".to_string()
            }
            EdgeKind::HasStep => continue,
            EdgeKind::After => " [label=\"after\", style=dashed]".to_string(),
            EdgeKind::PerformedBy => {
                " [style=dotted, color=\"#999999\", constraint=false]".to_string()
            }
            EdgeKind::Alternate => {
                " [label=\"alternate\", style=dashed, color=\"#3d85c6\"]".to_string()
            }
            EdgeKind::DrSite => " [label=\"DR site\", style=dashed, color=\"#3d85c6\"]".to_string(),
            EdgeKind::Covers => " [label=\"workaround\", style=dotted]".to_string(),
        };
        let _ = writeln!(out, "  {from} -> {to}{attrs};");
    }
    out.push_str("}\n");
    out
}

/// A Mermaid flowchart. Node ids are `n<index>` (plan ids may hold characters Mermaid refuses);
/// the plan id is the first line of each label.
pub fn mermaid(plan: &Plan, a: &Analysis) -> String {
    let g = &a.graph;
    let mut out = String::from("flowchart LR\n");
    let id = |n: NodeIndex| format!("n{}", n.index());
    let node_line = |n: NodeIndex| -> String {
        let node = &g[n];
        let label = label_lines(plan, a, n)
            .iter()
            .map(|l| escape::mermaid(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let shape = match node.kind {
            NodeKind::Function => format!("(\"{label}\")"),
            NodeKind::System => format!("[(\"{label}\")]"),
            NodeKind::Site => format!("{{{{\"{label}\"}}}}"),
            NodeKind::Supplier => format!("[[\"{label}\"]]"),
            NodeKind::Team => format!("([\"{label}\"])"),
            NodeKind::Procedure | NodeKind::Step => format!("[\"{label}\"]"),
        };
        let class = match node.kind {
            NodeKind::Function => node.tier.map_or("function", Tier::as_str),
            k => k.as_str(),
        };
        let over = if over_rto(a, n) {
            "\n  class {} overRto".replace("{}", &id(n))
        } else {
            String::new()
        };
        format!("  {}{shape}:::{class}{over}\n", id(n))
    };
    for n in g
        .node_indices()
        .filter(|&n| !matches!(g[n].kind, NodeKind::Procedure | NodeKind::Step))
    {
        out.push_str(&node_line(n));
    }
    for p in g
        .node_indices()
        .filter(|&n| g[n].kind == NodeKind::Procedure)
    {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            id(p),
            escape::mermaid(&format!("procedure {}: {}", g[p].id, g[p].name(plan)))
        );
        let mut steps: Vec<NodeIndex> = g
            .edges(p)
            .filter(|e| e.weight().kind == EdgeKind::HasStep)
            .map(|e| e.target())
            .collect();
        steps.sort_unstable();
        for s in steps {
            out.push_str("  ");
            out.push_str(&node_line(s));
        }
        out.push_str("  end\n");
    }
    for e in edge_list(a) {
        let (from, to) = (id(e.from), id(e.to));
        let line = match e.kind {
            EdgeKind::DependsOn if e.rto_inversion || e.rpo_inversion => {
                let (f, t) = (&g[e.from], &g[e.to]);
                let mut labels = Vec::new();
                if e.rto_inversion {
                    labels.push(format!(
                        "RTO {} > {}",
                        t.rto().map(|r| r.value).unwrap_or_default(),
                        f.rto().map(|r| r.value).unwrap_or_default()
                    ));
                }
                if e.rpo_inversion {
                    labels.push(format!(
                        "RPO {} > {}",
                        t.rpo().map(|r| r.value).unwrap_or_default(),
                        f.rpo().map(|r| r.value).unwrap_or_default()
                    ));
                }
                format!(
                    "{from} ==>|\"{}\"| {to}",
                    escape::mermaid(&labels.join(", "))
                )
            }
            EdgeKind::DependsOn => format!("{from} --> {to}"),
            EdgeKind::Recovers => format!("{from} -.->|recovers| {to}"),
            EdgeKind::HasStep => continue,
            EdgeKind::After => format!("{from} -.->|after| {to}"),
            EdgeKind::PerformedBy => format!("{from} -.- {to}"),
            EdgeKind::Alternate => format!("{from} -.->|alternate| {to}"),
            EdgeKind::DrSite => format!("{from} -.->|DR site| {to}"),
            EdgeKind::Covers => format!("{from} -.->|workaround| {to}"),
        };
        let _ = writeln!(out, "  {line}");
    }
    for tier in Tier::ALL {
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:#666666",
            tier.as_str(),
            tier_colour(tier)
        );
    }
    out.push_str("  classDef system fill:#cfe2f3,stroke:#666666\n");
    out.push_str("  classDef site fill:#eeeeee,stroke:#666666\n");
    out.push_str("  classDef supplier fill:#d9d2e9,stroke:#666666\n");
    out.push_str("  classDef team fill:#ffffff,stroke:#999999\n");
    out.push_str("  classDef step fill:#ffffff,stroke:#999999\n");
    out.push_str("  classDef overRto stroke:#c00000,stroke-width:3px\n");
    out
}

struct EdgeInfo {
    from: NodeIndex,
    to: NodeIndex,
    kind: EdgeKind,
    rto_inversion: bool,
    rpo_inversion: bool,
}

fn edge_list(a: &Analysis) -> Vec<EdgeInfo> {
    a.graph
        .edge_references()
        .map(|e| {
            let inverted = if e.weight().kind == EdgeKind::DependsOn {
                inversions(a, e.source(), e.target())
            } else {
                (false, false)
            };
            EdgeInfo {
                from: e.source(),
                to: e.target(),
                kind: e.weight().kind,
                rto_inversion: inverted.0,
                rpo_inversion: inverted.1,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: NodeKind,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rto: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rpo: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mtd: Option<Duration>,
    /// Functions and systems, when the graph has no cycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    achievable: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    over_rto: Option<bool>,
    /// Steps: their duration; sites: activation time; suppliers: switch-over time.
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<Phase>,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: EdgeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    rto_inversion: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rpo_inversion: Option<bool>,
}

/// `{"nodes":[{"id","kind","name",...}],"edges":[{"from","to","kind",...}]}`.
pub fn json(plan: &Plan, a: &Analysis) -> String {
    let g = &a.graph;
    let doc = JsonGraph {
        nodes: g
            .node_indices()
            .map(|n| {
                let node = &g[n];
                let recoverable = node.kind.is_recoverable();
                JsonNode {
                    id: &node.id,
                    kind: node.kind,
                    name: node.name(plan),
                    tier: node.tier,
                    rto: node.rto().map(|r| r.value),
                    rpo: node.rpo().map(|r| r.value),
                    mtd: node.mtd().map(|r| r.value),
                    achievable: a
                        .timing
                        .as_ref()
                        .filter(|_| recoverable)
                        .map(|t| t.achievable(n)),
                    over_rto: (recoverable && a.timing.is_some()).then(|| over_rto(a, n)),
                    duration: node.duration,
                    team: super::step_team(g, n).map(|team| g[team].id.as_str()),
                    phase: node.phase,
                }
            })
            .collect(),
        edges: edge_list(a)
            .into_iter()
            .map(|e| {
                let depends = e.kind == EdgeKind::DependsOn;
                JsonEdge {
                    from: &g[e.from].id,
                    to: &g[e.to].id,
                    kind: e.kind,
                    rto_inversion: depends.then_some(e.rto_inversion),
                    rpo_inversion: depends.then_some(e.rpo_inversion),
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
