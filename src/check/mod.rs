//! The checks: every rule has a stable code, a severity and an explanation (`bcp explain`).
//!
//! [`references`] and then [`rest`] run every family and return all findings; they never stop at
//! the first.

mod bia;
pub mod exceptions;
mod ids;
mod maintenance;
mod ranges;
mod resilience;
mod teams;

pub use ids::{Index, Kind};

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Sources;
use crate::model::{Date, Plan};

/// What the checks need beyond the plan.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// "Today" for date checks; `--today` makes results reproducible.
    pub today: Date,
}

/// A rule: its code, a short name and default severity; `bcp explain` prints its texts.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
}

impl Rule {
    /// One line: what the rule finds, in the language of messages.
    pub fn summary(&self) -> &'static str {
        crate::i18n::raw(
            crate::i18n::current(),
            &format!("rule.{}.summary", self.code),
        )
    }

    /// Why it matters and how to fix a finding, in the language of messages.
    pub fn explanation(&self) -> &'static str {
        crate::i18n::raw(
            crate::i18n::current(),
            &format!("rule.{}.explanation", self.code),
        )
    }
}

/// The reference checks: ids well formed and unique, every reference resolving to the right
/// kind (the R findings). They are what the graph stage relies on, so they run first; the
/// index they build serves [`rest`].
pub fn references(plan: &Plan, out: &mut Vec<Diagnostic>) -> Index {
    ids::check(plan, out)
}

/// The checks that read the plan's files as written, not the plan: placeholders left in
/// values (M004). They run before [`rest`], so that the texts may be freed before the graph
/// analysis.
pub fn texts(sources: &Sources, out: &mut Vec<Diagnostic>) {
    maintenance::placeholders(sources, out);
}

/// Every check after [`references`] and [`texts`].
pub fn rest(plan: &Plan, index: &Index, ctx: &Context, out: &mut Vec<Diagnostic>) {
    ranges::check(plan, out);
    teams::check(plan, index, out);
    bia::check(plan, index, out);
    resilience::check(plan, index, ctx, out);
    maintenance::check(plan, ctx, out);
    crate::cost::findings(plan, out);
}

/// The rule with this code, if any.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

macro_rules! rules {
    ($($code:literal $name:literal $sev:ident;)*) => {
        /// Every rule, in code order. Their texts are in the catalogues (`rule.CODE.summary`,
        /// `rule.CODE.explanation`).
        pub const RULES: &[Rule] = &[$(Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
        }),*];
    };
}

rules! {
    "L001" "yaml-syntax" Error;
    "L002" "plan-structure" Error;
    "L003" "empty-file" Error;
    "L004" "parser-limits" Error;
    "L005" "not-utf8" Error;
    "L006" "section-twice" Error;
    "L007" "no-plan-section" Error;
    "L008" "file-not-read" Warning;
    "L009" "not-a-plan-file" Error;
    "V001" "value-out-of-range" Error;
    "R001" "duplicate-id" Error;
    "R002" "unknown-reference" Error;
    "R003" "wrong-kind-reference" Error;
    "R004" "invalid-id" Error;
    "T001" "team-lead-missing" Error;
    "T002" "team-lead-twice" Error;
    "T003" "no-contact-channel" Error;
    "T004" "call-tree-incomplete" Error;
    "T005" "call-tree-loop" Error;
    "T006" "no-call-tree" Error;
    "B001" "rto-exceeds-mtd" Error;
    "B002" "rto-outside-tier" Warning;
    "B003" "critical-without-owner" Error;
    "B004" "critical-without-procedure" Error;
    "B005" "mtd-exceeds-organisation" Warning;
    "B006" "headcount-below-minimum" Error;
    "D001" "backup-misses-rpo" Error;
    "D002" "no-backup" Warning;
    "D003" "restore-not-tested" Warning;
    "S001" "critical-supplier-spof" Error;
    "S002" "switch-over-too-slow" Error;
    "S003" "supplier-assessment-stale" Warning;
    "G001" "dependency-cycle" Error;
    "G002" "rto-inversion" Error;
    "G003" "rpo-inversion" Error;
    "G004" "critical-path-over-rto" Error;
    "G005" "slower-than-planned" Warning;
    "G006" "exercise-over-rto" Warning;
    "G007" "workaround-outlasted" Error;
    "G008" "exercise-does-not-demonstrate" Warning;
    "C001" "call-tree-spof" Warning;
    "C002" "key-person-risk" Warning;
    "C003" "call-tree-too-slow" Error;
    "X001" "scenario-over-rto" Error;
    "X002" "scenario-over-mtd" Error;
    "X003" "scenario-unrecoverable" Error;
    "X004" "scenario-understaffed" Error;
    "F001" "chosen-strategy-over-rto" Error;
    "F002" "cheaper-option-rejected" Warning;
    "F003" "strategy-cost-exceeds-loss" Warning;
    "M001" "review-overdue" Error;
    "M002" "no-recent-exercise" Error;
    "M003" "action-overdue" Error;
    "M004" "placeholder" Error;
    "P001" "profile-requirement-unmet" Error;
    "P002" "profile-parameter-missing" Warning;
    "A001" "exception-expired" Error;
    "A002" "exception-unused" Warning;
    "A003" "exception-code" Error;
    "Q001" "form-not-recognised" Error;
    "Q002" "answer-unknown-id" Error;
    "Q003" "answer-invalid" Error;
    "Q004" "answer-rto-over-mtd" Error;
    "Q005" "answers-disagree" Error;
    "Q006" "form-outdated" Warning;
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_sorted_within_families() {
        let codes: Vec<_> = super::RULES.iter().map(|r| r.code).collect();
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
