//! The checks: every rule has a stable code, a severity and an explanation (`bcp explain`).
//!
//! [`check`] runs every family and returns all findings; it never stops at the first.

mod bia;
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

/// A rule: its code, a short name, default severity, and the text `bcp explain` prints.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters and how to fix a finding.
    pub explanation: &'static str,
}

/// Runs every check over the plan.
pub fn check(plan: &Plan, sources: &Sources, ctx: &Context) -> (Index, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let index = ids::check(plan, &mut out);
    ranges::check(plan, &mut out);
    teams::check(plan, &index, &mut out);
    bia::check(plan, &index, &mut out);
    resilience::check(plan, &index, ctx, &mut out);
    maintenance::check(plan, sources, ctx, &mut out);
    (index, out)
}

/// The rule with this code, if any.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

macro_rules! rules {
    ($($code:literal $name:literal $sev:ident $summary:literal $explanation:literal;)*) => {
        /// Every rule, in code order.
        pub const RULES: &[Rule] = &[$(Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            summary: $summary,
            explanation: $explanation,
        }),*];
    };
}

rules! {
    "L001" "yaml-syntax" Error "a plan file is not well-formed YAML"
        "The file cannot be parsed as YAML, so nothing in it can be checked. Common causes: a tab used for indentation, a missing space after `:`, unbalanced quotes or brackets, text holding `: ` or ` #` that is not quoted. Fix the syntax at the position shown.";
    "L002" "plan-structure" Error "a value has the wrong type, or a key is unknown or missing"
        "Every section and field of a plan has a fixed name and type (see docs/format.md, or `bcp schema` for the JSON Schema your editor can use). An unknown key is usually a typo: bcp suggests the nearest known key. Durations are strict (`30m`, `4h`, `2d`, `1w`) and dates are ISO 8601 (`2026-11-27`).";
    "L003" "empty-file" Error "a plan file is empty"
        "An empty file is almost always a mistake (a failed save, a file created and forgotten), and an empty plan must never pass CI. Add sections to the file, or delete it.";
    "L004" "parser-limits" Error "a plan file exceeds the parser's limits"
        "bcp refuses files larger than 32 MiB, nesting deeper than 64 levels and files with more than 10,000 aliases or anchors. These limits are far above any real plan and protect CI from hostile or corrupted input (alias bombs). Split large plans into several files in a plan folder.";
    "L005" "not-utf8" Error "a plan file is not UTF-8"
        "Plan files are read as UTF-8 only. Files saved in GBK, GB18030 or Latin-1 must be converted, e.g. `iconv -f GBK -t UTF-8`.";
    "L006" "section-twice" Error "a section that may appear once is written twice"
        "`plan`, `call_tree` and `emergency_response` describe the plan as a whole and may be written in one file only. Lists (`functions`, `systems`, ...) may be split across files freely.";
    "L007" "no-plan-section" Error "the plan has no `plan` section"
        "The `plan:` section holds the organisation, version, owner and review cycle that every rendered document prints on its first page. Add it to `bcp.yaml`; `bcp init` writes one.";
    "L008" "not-a-plan-file" Error "a YAML file below the plan folder is not a plan file"
        "bcp reads every `*.yaml` and `*.yml` file below the plan folder. A file none of whose top-level keys is a plan section (a `mkdocs.yml`, a `docker-compose.yml`, a CI configuration) belongs to another tool: leave it out with `files: {exclude: [\"mkdocs.yml\"]}` in `bcp.yaml` (globs as in .gitignore), or move the plan into a folder of its own. Hidden files and folders, `node_modules/`, and the plan folder's own `templates/`, `out/` and `target/` are never read. The other files are still checked.";
    "V001" "value-out-of-range" Error "a number is outside the range its field allows"
        "Scales and shares have fixed ranges: risk likelihood and impact 1-5, recovery target percent 1-100, DR capability level 1-6 (of GB/T 20988, China's disaster recovery standard), staff unavailable percent 0-100, review interval at least 1 month. A value outside is a typo or a misunderstanding of the scale.";
    "R001" "duplicate-id" Error "two entities share an id"
        "Ids are unique across the whole plan, whatever the section: a reference must name exactly one thing. Rename one of the two; both places are shown.";
    "R002" "unknown-reference" Error "a reference names an id that does not exist"
        "A reference (an owner, a dependency, a team member, a step's predecessor...) must name an id defined somewhere in the plan. bcp suggests the nearest existing id; fix the spelling or add the missing entity.";
    "R003" "wrong-kind-reference" Error "a reference names an id of the wrong kind"
        "Each reference expects a kind of entity: an owner is a person, `depends_on.systems` lists systems, a step's `team` is a team. The id exists but is of another kind.";
    "R004" "invalid-id" Error "an id is empty, too long, or holds spaces or invisible characters"
        "Ids are printed in tables and used as anchors and in references, so they are short names without spaces: letters of any script, digits, `-`, `_` and `.`. An empty id names nothing; spaces, tabs and invisible characters (zero-width spaces, right-to-left overrides) make two different ids look alike or make a printed id lie about what it names. At most 100 characters.";
    "T001" "team-lead-missing" Error "a team has no primary lead or no second lead"
        "Every response team has a primary lead and a second lead (第二负责人): when the primary cannot be reached, the second is notified and acts. Add the missing `lead` or `second_lead`.";
    "T002" "team-lead-twice" Error "a team's primary and second lead are the same person"
        "The second lead exists to stand in when the primary cannot be reached; the same person in both roles gives no fallback. Name a different person as `second_lead`.";
    "T003" "no-contact-channel" Error "a person in a team or the call tree has no contact channel"
        "Nobody can be notified without a way to reach them. Give the person at least one of `mobile`, `phone`, `email`, `pager` or `im` under `contacts`.";
    "T004" "call-tree-incomplete" Error "the call tree does not reach a team member"
        "Every member and lead of every team must be reached by the call tree, or they will not hear that the plan is activated. Add the person under someone who calls them.";
    "T005" "call-tree-loop" Error "the call tree loops or calls someone twice"
        "A person who appears among their own callers makes the tree a loop; a person called from two places gets two calls and hides a gap elsewhere. Each person appears once.";
    "T006" "no-call-tree" Error "the plan has teams but no call tree"
        "The call tree (告知树) is how the continuity team is notified. A plan with teams and no `call_tree` cannot be activated. Add a `call_tree` section.";
    "B001" "rto-exceeds-mtd" Error "a function's RTO is longer than its maximum tolerable downtime"
        "The MTD is the longest outage the business survives; the RTO is the target for recovery and must fit inside it (RTO <= MTD). Shorten the RTO, or revisit the MTD with the function's owner.";
    "B002" "rto-outside-tier" Warning "a function's RTO does not match its tier's recovery window"
        "The tiers have recovery windows, usually stated as < 1 day, 2-4 days, 5-7 days, > 10 days. bcp gives each gap to the tier below: critical at most 1d, essential more than 1d and at most 4d, necessary more than 4d and at most 7d, desirable more than 7d. An RTO outside its window usually means the tier or the RTO is wrong.";
    "B003" "critical-without-owner" Error "a critical function has no owner"
        "A critical function needs a named owner who answers for its recovery. Set `owner` to a person id.";
    "B004" "critical-without-procedure" Error "a critical function has no recovery procedure"
        "A critical function must be recoverable by following written steps. Add a procedure whose `recovers` lists the function.";
    "B005" "mtd-exceeds-organisation" Warning "a function's MTD is longer than the organisation's maximum tolerable interruption"
        "The plan's `max_tolerable_interruption` bounds every function: a function that may stay down longer contradicts the plan's own objective.";
    "D001" "backup-misses-rpo" Error "a system's backup interval is longer than its RPO"
        "Data written just after a backup is lost until the next one: a backup every 24h cannot meet an RPO of 4h. Back up (or replicate) at least as often as the RPO, or relax the RPO.";
    "D002" "no-backup" Warning "a system with an RPO has no backup"
        "A system with a recovery point objective needs a backup or replica to restore from. Add a `backups` entry.";
    "D003" "restore-not-tested" Warning "a system's restore has not been tested in the last 12 months"
        "Backups that were never restored are a hope, not a control. Test a restore at least yearly and record `last_restore_test`.";
    "S001" "critical-supplier-spof" Error "a critical supplier has no alternate and no assessed BCP"
        "A critical supplier with no alternate and whose own continuity plan was never assessed is a single point of failure. Add an alternate supplier, or assess their BCP and record `bcp_assessed`.";
    "G001" "dependency-cycle" Error "functions or systems depend on each other in a cycle"
        "Recovery follows dependencies: everything a function needs is recovered before it. In a cycle (`payments -> core-banking -> network -> payments`) nothing can come first, so no recovery order exists; the chain is printed in order with the place each dependency is written. The same holds for the steps of a procedure that wait for each other through `after`. Remove the dependency that is not real, or split the entity that plays two roles. While a cycle remains, the recovery order and achievable times (G004, G005) are not computed.";
    "G002" "rto-inversion" Error "something depends on a function or system whose RTO is longer than its own"
        "A function or system cannot be back before what it needs: if `payments` (RTO 4h) depends on `core-db` (RTO 8h), the 4h objective cannot be met whenever `core-db` takes its full 8h. Give the dependency an RTO no longer than the dependent's, or relax the dependent's RTO. The error points at the dependency as written in `depends_on`.";
    "G003" "rpo-inversion" Error "a function or system takes data from a system whose RPO is longer than its own"
        "Data lost by a system is lost to everything that takes its data: a function with an RPO of 1h depending on a system backed up to an RPO of 24h can lose a day of data. Data dependencies are a function's or system's `depends_on.systems`. Tighten the system's RPO (and its backups, see D001), or relax the dependent's RPO.";
    "G004" "critical-path-over-rto" Error "the achievable recovery time is longer than the RTO"
        "A function's or system's achievable recovery time is the longest chain through its dependencies (each recovered first, sites and suppliers costing their activation or switch-over time) and then its own procedure's steps (`duration`, waiting for the steps in `after`; with several procedures, the longest). When it exceeds the RTO, the plan as written cannot meet its objective. The help prints the chain step by step, e.g. `declare (30m) -> restore-core-db (6h) -> verify (1h) = 7h30m > RTO 4h`. Shorten or parallelise those steps, speed up the slowest dependency, or relax the RTO.";
    "G005" "slower-than-planned" Warning "the latest exercise took longer than the plan's steps add up to"
        "The latest exercise with `results.demonstrated` for a function or system took longer than its achievable recovery time computed from the plan (its dependencies and the steps of its procedures). The plan is more optimistic than what was shown, so the critical-path check (G004) trusts numbers the exercise contradicts. Lengthen the step durations to what the exercise showed, or remediate and exercise again. (An exercise faster than the plan is not a finding: estimates may be conservative.)";
    "G006" "exercise-over-rto" Warning "the latest exercise took longer than the RTO"
        "The most recent exercise that timed a function's or system's recovery took longer than its RTO. The objective is not demonstrated: remediate the exercise's findings and exercise again; if the plan's step durations claim less than the exercise took, correct them.";
    "C001" "call-tree-spof" Warning "someone in the call tree calls others and has no fallback"
        "A person who makes calls in the call tree is the only link to everyone below them: if they cannot be reached, nobody below hears of the activation. Give every caller a `fallback` person (usually the team's second lead) who makes the calls in their place.";
    "C002" "key-person-risk" Warning "one person holds too many critical roles"
        "In a disaster one person cannot lead several teams or recover several critical functions at once, and losing them loses all those roles. bcp warns when a person is the lead or second lead of more than 2 teams, or the owner of more than 3 critical functions. Hand some of the roles to others.";
    "C003" "call-tree-too-slow" Error "the call tree takes longer to reach everyone than its objective"
        "`call_tree.reach_within` sets how soon everyone must be reached. The time is estimated with `minutes_per_call` (default 2): a person makes their calls one after another in the order written, different people call at the same time, and the first people of the tree are called in order by whoever activates it. Make the tree wider and shallower, or split long call lists between a caller and a deputy.";
    "M001" "review-overdue" Error "the plan's review is overdue"
        "A plan is living: it is reviewed every `review.interval_months`, and whenever the business, a process or a key contact changes. Review it and record `review.last_reviewed`.";
    "M002" "no-recent-exercise" Error "no exercise was held in the last 12 months"
        "An untested plan is unlikely to work. Hold at least one exercise a year (a tabletop counts) and record it under `exercises`.";
    "M003" "action-overdue" Error "an open action is past its due date"
        "Findings from exercises are remediated by actions with owners and due dates. Close the action (`status: done`) or agree a new due date.";
    "M004" "placeholder" Error "a value still holds a scaffold placeholder"
        "`bcp init` writes `TODO` where the author must supply a value; a plan cannot pass until each is filled in.";
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
