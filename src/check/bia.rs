//! §5 business impact analysis: RTO, MTD and tiers, owners and procedures of critical functions.

use super::Index;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Tier};
use crate::t;
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
                Diagnostic::error(
                    "B001",
                    t!("B001.message", id, rto = f.rto.value, mtd = f.mtd.value),
                )
                .at(f.rto.span)
                .label("RTO")
                .also(f.mtd.span, t!("B001.mtd"))
                .help(t!("B001.help"))
                .target(id),
            );
        }
        if outside_window(f.tier.value, f.rto.value.minutes()) {
            out.push(
                Diagnostic::warning(
                    "B002",
                    t!(
                        "B002.message",
                        id,
                        tier = tier_word(f.tier.value),
                        rto = f.rto.value
                    ),
                )
                .at(f.rto.span)
                .also(f.tier.span, t!("B002.tier"))
                .help(t!(
                    "B002.help",
                    tier = tier_word(f.tier.value),
                    window = f.tier.value.window_words()
                ))
                .target(id),
            );
        }
        if f.tier.value == Tier::Critical && f.owner.is_none() {
            out.push(
                Diagnostic::error("B003", t!("B003.message", id))
                    .at(f.id.span)
                    .help(t!("B003.help"))
                    .target(id),
            );
        }
        if f.tier.value == Tier::Critical && !recovered.contains(id) {
            out.push(
                Diagnostic::error("B004", t!("B004.message", id))
                    .at(f.id.span)
                    .help(t!("B004.help", id))
                    .target(id),
            );
        }
        if let (Some(minimum), Some(headcount)) = (&f.resources.staff, &f.resources.headcount)
            && headcount.value < minimum.value
        {
            out.push(
                Diagnostic::error(
                    "B006",
                    t!(
                        "B006.message",
                        id,
                        minimum = minimum.value,
                        headcount = headcount.value
                    ),
                )
                .at(headcount.span)
                .label(t!("B006.label"))
                .also(minimum.span, t!("B006.minimum"))
                .help(t!("B006.help"))
                .target(id),
            );
        }
        if let Some(limit) = org_mtd
            && f.mtd.value > limit.value
        {
            out.push(
                Diagnostic::warning(
                    "B005",
                    t!("B005.message", id, mtd = f.mtd.value, limit = limit.value),
                )
                .at(f.mtd.span)
                .also(limit.span, t!("B005.limit"))
                .help(t!("B005.help"))
                .target(id),
            );
        }
    }
}

/// A tier as messages name it (`critical` / `关键功能`).
pub fn tier_word(tier: Tier) -> &'static str {
    crate::i18n::raw(
        crate::i18n::current(),
        &format!("value.tier.{}", tier.as_str()),
    )
}

/// Whether `rto_minutes` falls outside the tier's recovery window.
fn outside_window(tier: Tier, rto_minutes: u64) -> bool {
    const DAY: u64 = 24 * 60;
    let (above, up_to) = tier.window_days();
    let inside =
        above.is_none_or(|a| rto_minutes > a * DAY) && up_to.is_none_or(|u| rto_minutes <= u * DAY);
    !inside
}
