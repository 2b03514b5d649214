//! Property tests over random graphs: the order, the waves and the achievable times against
//! brute force; cycles found exactly when there are some.

use super::order::{cycles, timing};
use super::{Edge, EdgeKind, Node, NodeKind, PlanGraph, ProcedureNodes, Targets};
use crate::model::{Duration, Phase, Plan, Sp, Span, Tier};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use proptest::prelude::*;

/// A random procedure: the node it recovers, step durations, `after` pairs (later, earlier).
type RandomProcedure = (usize, Vec<u64>, Vec<(usize, usize)>);

/// A random plan shape: nodes with RTOs and tiers, dependency pairs, procedures of steps.
#[derive(Debug, Clone)]
struct Shape {
    /// (is_function, rto minutes, tier) per node.
    nodes: Vec<(bool, u64, u8)>,
    /// Topological rank per node: dependencies only go from higher to lower rank, so the
    /// insertion order of nodes is not already a topological order.
    rank: Vec<usize>,
    /// (dependent, dependency) candidates; kept when the ranks make it acyclic.
    pairs: Vec<(usize, usize)>,
    /// Per procedure: the node it recovers, step durations, and `after` pairs (later, earlier).
    procedures: Vec<RandomProcedure>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (2usize..12).prop_flat_map(|n| {
        (
            prop::collection::vec(
                (
                    any::<bool>(),
                    prop::sample::select(vec![30u64, 60, 120, 240, 480, 1440]),
                    0u8..4,
                ),
                n,
            ),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
            prop::collection::vec((0..n, 0..n), 0..n * 3),
            prop::collection::vec(
                (
                    0..n,
                    prop::collection::vec(0u64..300, 1..6),
                    prop::collection::vec((0usize..6, 0usize..6), 0..8),
                ),
                0..n * 2,
            ),
        )
            .prop_map(|(nodes, rank, pairs, procedures)| Shape {
                nodes,
                rank,
                pairs,
                procedures,
            })
    })
}

fn tier(t: u8) -> Tier {
    Tier::ALL[usize::from(t) % 4]
}

/// Builds the graph. With `acyclic`, only pairs going down in rank are kept.
fn build(s: &Shape, acyclic: bool) -> (PlanGraph, Vec<NodeIndex>, Vec<ProcedureNodes>) {
    let mut g = PlanGraph::new();
    let span = Span::default();
    let mut ids = Vec::new();
    for (i, &(function, rto, t)) in s.nodes.iter().enumerate() {
        let kind = if function {
            NodeKind::Function
        } else {
            NodeKind::System
        };
        let mut node = Node::new(format!("n{i:02}"), kind, [0, 0], span);
        node.targets = Some(Box::new(Targets {
            rto: Some(Sp::new(Duration::from_minutes(rto), span)),
            ..Targets::default()
        }));
        node.tier = function.then(|| tier(t));
        ids.push(g.add_node(node));
    }
    for &(a, b) in &s.pairs {
        if a != b && (!acyclic || s.rank[a] > s.rank[b]) {
            g.add_edge(
                ids[a],
                ids[b],
                Edge {
                    kind: EdgeKind::DependsOn,
                    span,
                },
            );
        }
    }
    let mut procedures = Vec::new();
    for (k, (target, durations, after)) in s.procedures.iter().enumerate() {
        let p = g.add_node(Node::new(
            format!("p{k:02}"),
            NodeKind::Procedure,
            [0, 0],
            span,
        ));
        g.add_edge(
            p,
            ids[*target],
            Edge {
                kind: EdgeKind::Recovers,
                span,
            },
        );
        let steps: Vec<NodeIndex> = durations
            .iter()
            .enumerate()
            .map(|(j, d)| {
                let mut n = Node::new(format!("p{k:02}/s{j}"), NodeKind::Step, [0, 0], span);
                n.duration = Some(Duration::from_minutes(*d));
                // Some steps return to normal: scheduled, but not part of the recovery time.
                n.phase = Some(if d % 7 == 0 {
                    Phase::Reconstitution
                } else {
                    Phase::Recovery
                });
                let s = g.add_node(n);
                g.add_edge(
                    p,
                    s,
                    Edge {
                        kind: EdgeKind::HasStep,
                        span,
                    },
                );
                s
            })
            .collect();
        for &(later, earlier) in after {
            // Steps wait only for steps written before them when acyclic.
            if later < steps.len()
                && earlier < steps.len()
                && (earlier < later || (!acyclic && earlier != later))
            {
                g.add_edge(
                    steps[later],
                    steps[earlier],
                    Edge {
                        kind: EdgeKind::After,
                        span,
                    },
                );
            }
        }
        procedures.push(ProcedureNodes { node: p, steps });
    }
    (g, ids, procedures)
}

fn deps(g: &PlanGraph, n: NodeIndex) -> Vec<NodeIndex> {
    g.edges(n)
        .filter(|e| e.weight().kind == EdgeKind::DependsOn)
        .map(|e| e.target())
        .collect()
}

/// Longest chain ending at a step, by trying every path (no memo).
fn brute_step(g: &PlanGraph, s: NodeIndex) -> u64 {
    let own = g[s].duration.unwrap_or_default().minutes();
    own + g
        .edges(s)
        .filter(|e| e.weight().kind == EdgeKind::After)
        .map(|e| brute_step(g, e.target()))
        .max()
        .unwrap_or(0)
}

/// Achievable time by trying every path: the latest dependency, then the longest procedure.
fn brute(g: &PlanGraph, n: NodeIndex) -> u64 {
    let start = deps(g, n)
        .into_iter()
        .map(|d| brute(g, d))
        .max()
        .unwrap_or(0);
    let longest = g
        .edges_directed(n, petgraph::Direction::Incoming)
        .filter(|e| e.weight().kind == EdgeKind::Recovers)
        .map(|e| {
            g.edges(e.source())
                .filter(|s| {
                    s.weight().kind == EdgeKind::HasStep
                        && g[s.target()].phase != Some(Phase::Reconstitution)
                })
                .map(|s| brute_step(g, s.target()))
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    start + longest
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn order_respects_every_edge_and_picks_the_tightest_ready(s in shape()) {
        let (g, ids, procedures) = build(&s, true);
        prop_assert!(cycles(&g).is_empty());
        let plan = Plan::default();
        let t = timing(&g, &procedures);
        let order = t.order(&plan, &g);
        prop_assert_eq!(order.len(), ids.len());
        let position = |n: NodeIndex| order.iter().position(|o| o.id == g[n].id).unwrap();
        for &n in &ids {
            for d in deps(&g, n) {
                prop_assert!(position(d) < position(n), "{} before {}", g[d].id, g[n].id);
            }
        }
        // Each pick is the smallest (rto, tier, id) among the nodes whose dependencies are placed.
        let mut placed = std::collections::HashSet::new();
        for o in order {
            let key = |n: NodeIndex| (g[n].rto().unwrap().minutes(), g[n].tier_rank(), g[n].id.clone());
            let best = ids
                .iter()
                .copied()
                .filter(|n| !placed.contains(n) && deps(&g, *n).iter().all(|d| placed.contains(d)))
                .min_by_key(|&n| key(n))
                .unwrap();
            prop_assert_eq!(&g[best].id, &o.id);
            placed.insert(best);
        }
    }

    #[test]
    fn achievable_equals_brute_force_longest_path(s in shape()) {
        let (g, ids, procedures) = build(&s, true);
        let plan = Plan::default();
        let t = timing(&g, &procedures);
        for &n in &ids {
            prop_assert_eq!(t.achievable(n).minutes(), brute(&g, n), "{}", g[n].id);
        }
        for o in t.order(&plan, &g) {
            let n = ids.iter().copied().find(|&n| g[n].id == o.id).unwrap();
            prop_assert_eq!(o.achievable, t.achievable(n));
            prop_assert_eq!(o.over_rto, o.achievable > o.rto);
            // The critical path adds up to the achievable time.
            let (path, cut) = t.critical_path(&g, n, usize::MAX);
            prop_assert!(!cut);
            let sum: u64 = path.iter().flat_map(|s| &s.items).map(|i| i.duration.minutes()).sum();
            prop_assert_eq!(sum, o.achievable.minutes(), "{:?}", path);
        }
    }

    #[test]
    fn no_edge_inside_a_wave(s in shape()) {
        let (g, ids, procedures) = build(&s, true);
        let plan = Plan::default();
        let t = timing(&g, &procedures);
        let wave = |n: NodeIndex| t.order(&plan, &g).iter().find(|o| o.id == g[n].id).unwrap().wave;
        for &n in &ids {
            for d in deps(&g, n) {
                prop_assert!(wave(d) < wave(n));
            }
        }
        let waves = t.waves(&plan, &g);
        let listed: usize = waves.iter().map(Vec::len).sum();
        prop_assert_eq!(listed, ids.len());
        prop_assert!(waves.iter().all(|w| !w.is_empty()));
    }

    #[test]
    fn cycles_are_found_exactly_when_there_is_one(s in shape()) {
        let (g, _, _) = build(&s, false);
        let filtered = petgraph::visit::EdgeFiltered::from_fn(&g, |e| {
            matches!(e.weight().kind, EdgeKind::DependsOn | EdgeKind::After)
        });
        let cyclic = petgraph::algo::is_cyclic_directed(&filtered);
        let found = cycles(&g);
        prop_assert_eq!(cyclic, !found.is_empty());
        for c in &found {
            // A closed chain: each edge starts where the previous ended, the last returns home.
            let n = c.edges.len();
            for (i, e) in c.edges.iter().enumerate() {
                prop_assert_eq!(&e.to, &c.edges[(i + 1) % n].from);
            }
        }
    }
}

/// One procedure recovering a database and the application on it runs once: both are back
/// when it ends, and it starts when what they need from outside (the network) is back.
#[test]
fn a_procedure_runs_once_for_all_it_recovers() {
    let span = Span::default();
    let mut g = PlanGraph::new();
    let mut node = |id: &str, rto: u64| {
        let mut n = Node::new(id, NodeKind::System, [0, 0], span);
        n.targets = Some(Box::new(Targets {
            rto: Some(Sp::new(Duration::from_minutes(rto), span)),
            ..Targets::default()
        }));
        g.add_node(n)
    };
    let (net, db, app) = (node("net", 60), node("db", 240), node("app", 240));
    let net_proc = g.add_node(Node::new("p-net", NodeKind::Procedure, [0, 0], span));
    let proc = g.add_node(Node::new("p-core", NodeKind::Procedure, [0, 0], span));
    let edge = |kind| Edge { kind, span };
    g.add_edge(db, net, edge(EdgeKind::DependsOn));
    g.add_edge(app, db, edge(EdgeKind::DependsOn));
    g.add_edge(net_proc, net, edge(EdgeKind::Recovers));
    g.add_edge(proc, db, edge(EdgeKind::Recovers));
    g.add_edge(proc, app, edge(EdgeKind::Recovers));
    let mut step = |p: NodeIndex, id: &str, minutes: u64| {
        let mut n = Node::new(id, NodeKind::Step, [0, 0], span);
        n.duration = Some(Duration::from_minutes(minutes));
        let s = g.add_node(n);
        g.add_edge(p, s, edge(EdgeKind::HasStep));
        s
    };
    let reroute = step(net_proc, "p-net/reroute", 30);
    let restore = step(proc, "p-core/restore", 60);
    let start_app = step(proc, "p-core/start-app", 30);
    g.add_edge(start_app, restore, edge(EdgeKind::After));
    let procedures = vec![
        ProcedureNodes {
            node: net_proc,
            steps: vec![reroute],
        },
        ProcedureNodes {
            node: proc,
            steps: vec![restore, start_app],
        },
    ];
    let t = timing(&g, &procedures);
    assert_eq!(t.achievable(net).minutes(), 30);
    assert_eq!(t.achievable(db).minutes(), 30 + 90);
    assert_eq!(t.achievable(app).minutes(), 30 + 90, "not 30 + 90 + 90");
}
