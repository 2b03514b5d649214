//! V001: numbers on fixed scales stay on them.

use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Sp};
use crate::t;

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let mut within = |value: &Sp<u8>, min: u8, max: u8, what: &str| {
        if !(min..=max).contains(&value.value) {
            out.push(
                Diagnostic::error(
                    "V001",
                    t!(
                        "V001.message",
                        what = t!(what),
                        value = value.value,
                        min,
                        max
                    ),
                )
                .at(value.span)
                .help(t!("V001.help", min, max)),
            );
        }
    };
    for r in &plan.risks {
        within(&r.likelihood, 1, 5, "V001.likelihood");
        within(&r.impact, 1, 5, "V001.impact");
    }
    for t in plan.functions.iter().flat_map(|f| &f.recovery_targets) {
        within(&t.percent, 1, 100, "V001.recovery_target");
    }
    for w in plan.functions.iter().filter_map(|f| f.workaround.as_ref()) {
        if let Some(capacity) = &w.capacity_percent {
            within(capacity, 1, 100, "V001.workaround_capacity");
        }
    }
    for s in &plan.sites {
        if let Some(level) = &s.dr_level {
            within(level, 1, 6, "V001.dr_level");
        }
    }
    for s in &plan.scenarios {
        if let Some(share) = &s.staff_unavailable_percent {
            within(share, 0, 100, "V001.staff_unavailable");
        }
    }
    if let Some(months) = &plan.meta.supplier_assessment_months
        && months.value == 0
    {
        out.push(
            Diagnostic::error("V001", t!("V001.supplier_months.message"))
                .at(months.span)
                .help(t!("V001.supplier_months.help")),
        );
    }
    if let Some(review) = &plan.meta.review
        && review.interval_months.value == 0
    {
        out.push(
            Diagnostic::error("V001", t!("V001.review_months.message"))
                .at(review.interval_months.span)
                .help(t!("V001.review_months.help")),
        );
    }
}
