//! V001: numbers on fixed scales stay on them.

use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Sp};

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let mut within = |value: &Sp<u8>, min: u8, max: u8, what: &str| {
        if !(min..=max).contains(&value.value) {
            out.push(
                Diagnostic::error(
                    "V001",
                    format!("{what} is {}, outside {min}-{max}", value.value),
                )
                .at(value.span)
                .help(format!("write a whole number from {min} to {max}")),
            );
        }
    };
    for r in &plan.risks {
        within(&r.likelihood, 1, 5, "likelihood");
        within(&r.impact, 1, 5, "impact");
    }
    for t in plan.functions.iter().flat_map(|f| &f.recovery_targets) {
        within(&t.percent, 1, 100, "recovery target percent");
    }
    for w in plan.functions.iter().filter_map(|f| f.workaround.as_ref()) {
        if let Some(capacity) = &w.capacity_percent {
            within(capacity, 1, 100, "workaround capacity percent");
        }
    }
    for s in &plan.sites {
        if let Some(level) = &s.dr_level {
            within(level, 1, 6, "DR capability level");
        }
    }
    for s in &plan.scenarios {
        if let Some(share) = &s.staff_unavailable_percent {
            within(share, 0, 100, "staff unavailable percent");
        }
    }
    if let Some(months) = &plan.meta.supplier_assessment_months
        && months.value == 0
    {
        out.push(
            Diagnostic::error("V001", "supplier assessment interval is 0 months")
                .at(months.span)
                .help("write the number of months after which a supplier's BCP assessment is out of date, e.g. 24"),
        );
    }
    if let Some(review) = &plan.meta.review
        && review.interval_months.value == 0
    {
        out.push(
            Diagnostic::error("V001", "review interval is 0 months")
                .at(review.interval_months.span)
                .help("write the number of months between reviews, e.g. 12"),
        );
    }
}
