//! The scenario matrix: for every scenario of the plan, how each critical and essential
//! function fares. `bcp scenarios` prints it; the full plan and the DRP render it.

use super::{Achievable, Analysis, Status};
use crate::model::{Duration, Plan, Tier};
use serde::Serialize;
use std::collections::HashMap;

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
}

impl Matrix {
    /// The matrix from the scenarios the analysis ran (empty when the plan has a cycle).
    pub fn of(plan: &Plan, analysis: &Analysis) -> Matrix {
        let functions: HashMap<&str, &crate::model::Function> = plan
            .functions
            .iter()
            .map(|f| (f.id.as_str(), &f.value))
            .collect();
        let rows: Vec<&crate::model::Function> = analysis
            .order()
            .iter()
            .filter_map(|o| functions.get(o.id.as_str()).copied())
            .filter(|f| matches!(f.tier.value, Tier::Critical | Tier::Essential))
            .collect();
        let scenarios = analysis
            .scenarios
            .iter()
            .map(|run| {
                let affected: HashMap<&str, &super::Affected> =
                    run.affected.iter().map(|a| (a.id.as_str(), a)).collect();
                Column {
                    id: run.scenario.id.clone().unwrap_or_default(),
                    name: run.scenario.name.clone().unwrap_or_default(),
                    functions: rows
                        .iter()
                        .map(|f| {
                            let a = affected.get(f.id.as_str());
                            Cell {
                                id: f.id.value.clone(),
                                tier: f.tier.value,
                                rto: f.rto.value,
                                mtd: f.mtd.value,
                                achievable: a.filter(|a| a.via != "staff").map(|a| a.achievable),
                                status: a.map_or(Status::Unaffected, |a| a.status),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        Matrix { scenarios }
    }

    /// How many cells are gaps (over RTO or MTD, unrecoverable, understaffed).
    pub fn gaps(&self) -> usize {
        self.scenarios
            .iter()
            .flat_map(|s| &s.functions)
            .filter(|c| c.status.is_gap())
            .count()
    }
}
