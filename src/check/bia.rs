//! §5 business impact analysis: RTO, MTD and tiers, owners and procedures of critical functions.

use super::Index;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Tier};
use std::collections::HashSet;

pub fn check(plan: &Plan, _index: &Index, out: &mut Vec<Diagnostic>) {
    let recovered: HashSet<&str> = plan
        .procedures
        .iter()
        .flat_map(|p| p.recovers.iter().map(|r| r.as_str()))
        .collect();
    let org_mtd = plan.meta.max_tolerable_interruption.as_ref();
    for f in &plan.functions {
        let id = f.id.as_str();
        if f.rto.value > f.mtd.value {
            out.push(
                Diagnostic::error("B001", format!("function `{id}` has RTO {} longer than its MTD {}", f.rto.value, f.mtd.value))
                    .at(f.rto.span)
                    .label("RTO")
                    .also(f.mtd.span, "maximum tolerable downtime")
                    .help("the RTO must fit inside the MTD: shorten the RTO or revisit the MTD with the function's owner")
                    .target(id),
            );
        }
        if outside_window(f.tier.value, f.rto.value.minutes()) {
            out.push(
                Diagnostic::warning(
                    "B002",
                    format!(
                        "function `{id}` is {} but its RTO is {}",
                        f.tier.value.as_str(),
                        f.rto.value
                    ),
                )
                .at(f.rto.span)
                .also(f.tier.span, "tier")
                .help(format!(
                    "a {} function has an {}; change the tier or the RTO",
                    f.tier.value.as_str(),
                    f.tier.value.window_words()
                ))
                .target(id),
            );
        }
        if f.tier.value == Tier::Critical && f.owner.is_none() {
            out.push(
                Diagnostic::error("B003", format!("critical function `{id}` has no owner"))
                    .at(f.id.span)
                    .help("add `owner: <person id>`")
                    .target(id),
            );
        }
        if f.tier.value == Tier::Critical && !recovered.contains(id) {
            out.push(
                Diagnostic::error(
                    "B004",
                    format!("critical function `{id}` has no recovery procedure"),
                )
                .at(f.id.span)
                .help(format!(
                    "add a procedure with `recovers: [{id}]` and its steps"
                ))
                .target(id),
            );
        }
        if let (Some(minimum), Some(headcount)) = (&f.resources.staff, &f.resources.headcount)
            && headcount.value < minimum.value
        {
            out.push(
                Diagnostic::error(
                    "B006",
                    format!(
                        "function `{id}` needs at least {} staff but has a headcount of {}",
                        minimum.value, headcount.value
                    ),
                )
                .at(headcount.span)
                .label("headcount")
                .also(minimum.span, "minimum staff")
                .help("the minimum is what the function needs in recovery and cannot exceed the people who carry it out: correct the headcount or the minimum")
                .target(id),
            );
        }
        if let Some(limit) = org_mtd
            && f.mtd.value > limit.value
        {
            out.push(
                Diagnostic::warning("B005", format!("function `{id}` tolerates {} of downtime, more than the plan's maximum of {}", f.mtd.value, limit.value))
                    .at(f.mtd.span)
                    .also(limit.span, "the plan's maximum tolerable interruption")
                    .help("lower the function's MTD, or raise `max_tolerable_interruption` if the organisation accepts it")
                    .target(id),
            );
        }
    }
}

/// Whether `rto_minutes` falls outside the tier's recovery window.
fn outside_window(tier: Tier, rto_minutes: u64) -> bool {
    const DAY: u64 = 24 * 60;
    let (above, up_to) = tier.window_days();
    let inside =
        above.is_none_or(|a| rto_minutes > a * DAY) && up_to.is_none_or(|u| rto_minutes <= u * DAY);
    !inside
}
