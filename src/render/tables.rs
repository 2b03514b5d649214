//! The plan's registers as spreadsheet sheets: the business impact analysis and the risk
//! register. The same sheets give `bia.csv`, `bia.xlsx` and `risks.xlsx`, so a column never
//! means one thing in the CSV and another in the workbook.
//!
//! Durations come twice: as the document shows them (`4 h`, `4小时`) and as a number of
//! hours a spreadsheet can sort, sum and compare. Money comes as a number with its currency
//! in a column of its own.

use super::{i18n, recovery};
use crate::model::{Duration, Id, Lang, Plan, Rpo};
use crate::xlsx::{Cell, Column, Sheet, Workbook};
use std::collections::BTreeMap;

/// Everything a sheet needs to name things.
pub struct Names<'a> {
    pub lang: Lang,
    pub names: &'a BTreeMap<String, String>,
}

impl Names<'_> {
    fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn list(&self, ids: &[Id]) -> String {
        ids.iter()
            .map(|i| self.name(&i.value))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn label(&self, key: &str) -> String {
        i18n::label(self.lang, key).to_string()
    }

    /// An enum value's word in the language (`tier`, `critical` -> `关键功能`).
    fn value<T: serde::Serialize>(&self, kind: &str, v: &T) -> String {
        let word = serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        i18n::value(self.lang, kind, &word).map_or(word.clone(), str::to_string)
    }

    fn duration(&self, d: Duration) -> Cell {
        Cell::text(i18n::duration(self.lang, &d.to_string()))
    }
}

/// Hours as a number: `15m` is 0.25.
fn hours(d: Duration) -> Cell {
    // Durations in a plan are far below 2^52 minutes.
    #[allow(clippy::cast_precision_loss)]
    let h = d.minutes() as f64 / 60.0;
    Cell::Number(h)
}

const HOURS: &str = "0.##";

/// The BIA summary: one row per function in recovery order.
pub fn bia(plan: &Plan, order: &[recovery::Recovered], n: &Names) -> Sheet {
    let h = |key: &str| n.label(key);
    let columns = vec![
        Column::number(h("recovery_order"), 8.0, "0"),
        Column::text(h("id"), 14.0),
        Column::text(h("function"), 28.0).wrapped(),
        Column::text(h("tier"), 11.0),
        Column::text(h("rto"), 9.0),
        Column::number(h("rto_hours"), 9.0, HOURS),
        Column::text(h("rpo"), 9.0),
        Column::number(h("rpo_hours"), 9.0, HOURS),
        Column::text(h("mtd"), 9.0),
        Column::number(h("mtd_hours"), 9.0, HOURS),
        Column::text(h("achievable"), 11.0),
        Column::number(h("achievable_hours"), 11.0, HOURS),
        Column::text(h("owner"), 16.0),
        Column::text(h("depends_on_functions"), 24.0).wrapped(),
        Column::text(h("depends_on_systems"), 24.0).wrapped(),
        Column::text(h("depends_on_suppliers"), 20.0).wrapped(),
        Column::text(h("depends_on_sites"), 20.0).wrapped(),
        Column::number(h("loss_per_day"), 14.0, "#,##0"),
        Column::text(h("currency"), 9.0),
        Column::text(h("peak_periods"), 24.0).wrapped(),
    ];
    let currency = plan.meta.currency.clone().unwrap_or_default();
    let mut rows = Vec::new();
    for (i, r) in order.iter().enumerate() {
        let Some(f) = plan.functions.iter().find(|f| f.id.value == r.id) else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)]
        let loss = f
            .loss_per_day
            .map_or(Cell::Empty, |l| Cell::Number(l as f64));
        rows.push(vec![
            #[allow(clippy::cast_precision_loss)]
            Cell::Number((i + 1) as f64),
            Cell::text(&f.id.value),
            Cell::text(&f.name),
            Cell::text(n.value("tier", &f.tier.value)),
            n.duration(f.rto.value),
            hours(f.rto.value),
            match f.rpo.as_ref().map(|r| r.value) {
                Some(Rpo::Within(d)) => n.duration(d),
                Some(Rpo::NotApplicable) => Cell::text(h("not_applicable")),
                None => Cell::Empty,
            },
            f.rpo
                .as_ref()
                .and_then(|r| r.value.duration())
                .map_or(Cell::Empty, hours),
            n.duration(f.mtd.value),
            hours(f.mtd.value),
            r.achievable
                .map_or_else(|| Cell::text(h("no_procedure")), |a| n.duration(a)),
            r.achievable.map_or(Cell::Empty, hours),
            f.owner
                .as_ref()
                .map_or(Cell::Empty, |o| Cell::text(n.name(&o.value))),
            Cell::text(n.list(&f.depends_on.functions)),
            Cell::text(n.list(&f.depends_on.systems)),
            Cell::text(n.list(&f.depends_on.suppliers)),
            Cell::text(n.list(&f.depends_on.sites)),
            loss.clone(),
            if f.loss_per_day.is_some() {
                Cell::text(&currency)
            } else {
                Cell::Empty
            },
            Cell::text(f.peak_periods.join("; ")),
        ]);
    }
    Sheet {
        name: h("bia_sheet"),
        columns,
        rows,
        ..Sheet::default()
    }
}

/// Impact over time: one row per function and point in time.
fn impacts(plan: &Plan, order: &[recovery::Recovered], n: &Names) -> Sheet {
    let h = |key: &str| n.label(key);
    let columns = vec![
        Column::text(h("id"), 14.0),
        Column::text(h("function"), 28.0).wrapped(),
        Column::text(h("after"), 10.0),
        Column::number(h("after_hours"), 10.0, HOURS),
        Column::text(h("category"), 18.0),
        Column::text(h("severity"), 10.0),
        Column::text(h("description"), 50.0).wrapped(),
    ];
    let mut rows = Vec::new();
    for r in order {
        let Some(f) = plan.functions.iter().find(|f| f.id.value == r.id) else {
            continue;
        };
        for i in &f.impacts {
            rows.push(vec![
                Cell::text(&f.id.value),
                Cell::text(&f.name),
                n.duration(i.after),
                hours(i.after),
                Cell::text(n.value("impact_category", &i.category)),
                Cell::text(n.value("severity", &i.severity)),
                Cell::text(i.description.clone().unwrap_or_default()),
            ]);
        }
    }
    Sheet {
        name: h("impacts"),
        columns,
        rows,
        ..Sheet::default()
    }
}

/// The risk register, highest score first (ties by id), as the documents list it.
pub fn risks(plan: &Plan, n: &Names) -> Sheet {
    let h = |key: &str| n.label(key);
    let columns = vec![
        Column::text(h("id"), 12.0),
        Column::text(h("risk"), 32.0).wrapped(),
        Column::text(h("category"), 16.0),
        Column::text(h("source"), 24.0).wrapped(),
        Column::number(h("likelihood"), 10.0, "0"),
        Column::number(h("impact"), 10.0, "0"),
        Column::number(h("score"), 10.0, "0"),
        Column::text(h("warning"), 16.0),
        Column::text(h("damage"), 18.0),
        Column::text(h("treatment"), 12.0),
        Column::text(h("controls"), 48.0).wrapped(),
        Column::text(h("affects"), 28.0).wrapped(),
        Column::text(h("owner"), 16.0),
        Column::text(h("notes"), 36.0).wrapped(),
    ];
    let mut risks: Vec<_> = plan.risks.iter().collect();
    risks.sort_by_key(|r| {
        (
            std::cmp::Reverse(u32::from(*r.likelihood) * u32::from(*r.impact)),
            r.id.value.clone(),
        )
    });
    let colon = h("colon");
    let rows = risks
        .iter()
        .map(|r| {
            let controls = r
                .controls
                .iter()
                .map(|c| {
                    format!(
                        "{}{colon} {}",
                        n.value("control_kind", &c.kind),
                        c.description
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                Cell::text(&r.id.value),
                Cell::text(&r.title),
                Cell::text(n.value("risk_category", &r.category)),
                Cell::text(r.source.clone().unwrap_or_default()),
                Cell::Number(f64::from(*r.likelihood)),
                Cell::Number(f64::from(*r.impact)),
                Cell::Number(f64::from(u32::from(*r.likelihood) * u32::from(*r.impact))),
                Cell::text(n.value("warning", &r.warning)),
                Cell::text(n.value("damage", &r.damage)),
                Cell::text(n.value("treatment", &r.treatment)),
                Cell::text(controls),
                Cell::text(n.list(&r.affects)),
                Cell::text(n.name(&r.owner.value)),
                Cell::text(r.notes.clone().unwrap_or_default()),
            ]
        })
        .collect();
    Sheet {
        name: h("doc_risks"),
        columns,
        rows,
        ..Sheet::default()
    }
}

/// The BIA workbook: the summary and the impact over time.
pub fn bia_workbook(plan: &Plan, order: &[recovery::Recovered], n: &Names) -> Workbook {
    Workbook {
        sheets: vec![bia(plan, order, n), impacts(plan, order, n)],
        ..Workbook::default()
    }
}

/// The risk register workbook.
pub fn risks_workbook(plan: &Plan, n: &Names) -> Workbook {
    Workbook {
        sheets: vec![risks(plan, n)],
        ..Workbook::default()
    }
}
