//! The scenario matrix: for every scenario of the plan, how each critical and essential
//! function fares. `bcp scenarios` prints it; the full plan and the DRP render it.

use super::{Achievable, Analysis, Status};
use crate::diagnostic::Diagnostic;
use crate::model::{Duration, Plan, Tier};
use petgraph::graph::NodeIndex;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Every scenario, in plan order, with the critical and essential functions in recovery order.
#[derive(Clone, Debug, Serialize)]
pub struct Matrix {
    pub scenarios: Vec<Column>,
}

/// One scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub id: String,
    pub name: String,
    pub functions: Vec<Cell>,
}

/// One function in one scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub id: String,
    pub tier: Tier,
    pub rto: Duration,
    pub mtd: Duration,
    /// A duration, `unrecoverable`, or `null` when the scenario does not touch the function.
    pub achievable: Option<Achievable>,
    pub status: Status,
    /// A gap an exception of the plan accepts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
}

impl Matrix {
    /// The matrix from the scenarios the analysis ran (empty when the plan has a cycle);
    /// `diagnostics` tell which gaps exceptions accept.
    pub fn of(plan: &Plan, analysis: &Analysis, diagnostics: &[Diagnostic]) -> Matrix {
        let accepted: std::collections::HashSet<(&str, &str)> = diagnostics
            .iter()
            .filter(|d| d.accepted.is_some() && d.code.starts_with('X'))
            .filter_map(|d| Some((d.scenario.as_deref()?, d.target.as_deref()?)))
            .collect();
        let functions: FxHashMap<&str, &crate::model::Function> = plan
            .functions
            .iter()
            .map(|f| (f.id.as_str(), &f.value))
            .collect();
        let rows: Vec<(&crate::model::Function, NodeIndex)> = analysis
            .order(plan)
            .iter()
            .filter_map(|o| Some((*functions.get(o.id.as_str())?, analysis.node(&o.id)?)))
            .filter(|(f, _)| matches!(f.tier.value, Tier::Critical | Tier::Essential))
            .collect();
        let scenarios = analysis
            .scenarios
            .iter()
            .map(|run| {
                let touched: FxHashMap<NodeIndex, &super::Outcome> =
                    run.outcomes.iter().map(|o| (o.node, o)).collect();
                let id = run.scenario.id.clone().unwrap_or_default();
                Column {
                    name: run.scenario.name.clone().unwrap_or_default(),
                    functions: rows
                        .iter()
                        .map(|&(f, n)| {
                            let a = touched.get(&n);
                            let status = a.map_or(Status::Unaffected, |a| a.status);
                            Cell {
                                id: f.id.value.clone(),
                                tier: f.tier.value,
                                rto: f.rto.value,
                                mtd: f.mtd.value,
                                achievable: a.filter(|a| a.down).map(|a| a.achievable),
                                status,
                                accepted: status.is_gap()
                                    && accepted.contains(&(id.as_str(), f.id.as_str())),
                            }
                        })
                        .collect(),
                    id,
                }
            })
            .collect();
        Matrix { scenarios }
    }

    /// How many cells are gaps (over RTO or MTD, unrecoverable, understaffed), and how many
    /// of those exceptions accept.
    pub fn gaps(&self) -> (usize, usize) {
        let cells = self.scenarios.iter().flat_map(|s| &s.functions);
        let gaps = cells.clone().filter(|c| c.status.is_gap()).count();
        (gaps, cells.filter(|c| c.accepted).count())
    }
}
