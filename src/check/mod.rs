//! The checks: every rule has a stable code, a severity and an explanation (`bcp explain`).
//!
//! [`check`] runs every family and returns all findings; it never stops at the first.

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
    crate::cost::findings(plan, &mut out);
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
        "bcp refuses files larger than 32 MiB, nesting deeper than 64 levels, files with more than 10,000 aliases, anchors or merge keys (`<<`), and more than 64 MiB of text in values once aliases are expanded. These limits are far above any real plan and protect CI from hostile or corrupted input (alias bombs). Split large plans into several files in a plan folder.";
    "L005" "not-utf8" Error "a plan file is not UTF-8"
        "Plan files are read as UTF-8 only. Files saved in GBK, GB18030 or Latin-1 must be converted, e.g. `iconv -f GBK -t UTF-8`.";
    "L006" "section-twice" Error "a section that may appear once is written twice"
        "`plan`, `call_tree` and `emergency_response` describe the plan as a whole and may be written in one file only. Lists (`functions`, `systems`, ...) may be split across files freely.";
    "L007" "no-plan-section" Error "the plan has no `plan` section"
        "The `plan:` section holds the organisation, version, owner and review cycle that every rendered document prints on its first page. Add it to `bcp.yaml`; `bcp init` writes one.";
    "L008" "file-not-read" Warning "a file named like a plan file was not read"
        "Every `*.yaml` and `*.yml` file in a plan folder is part of the plan, except hidden ones, those in `node_modules/` and the top-level `templates/`, `out/` and `target/`, and those that `files: {exclude: [...]}` in `bcp.yaml` leaves out. A file that is not a regular file (a named pipe, a device) cannot be read as one, and files more than 16 folders deep are not searched for. Make it a regular file or move it higher; if it is not part of the plan, exclude it, rename it or move it out of the plan folder.";
    "L009" "not-a-plan-file" Error "a YAML file below the plan folder is not a plan file"
        "bcp reads every `*.yaml` and `*.yml` file below the plan folder. A file none of whose top-level keys is a plan section (a `mkdocs.yml`, a `docker-compose.yml`, a CI configuration) belongs to another tool: leave it out with `files: {exclude: [\"mkdocs.yml\"]}` in `bcp.yaml` (globs as in .gitignore), or move the plan into a folder of its own. Hidden files and folders, `node_modules/`, and the plan folder's own `templates/`, `out/` and `target/` are never read. The other files are still checked.";
    "V001" "value-out-of-range" Error "a number is outside the range its field allows"
        "Scales and shares have fixed ranges: risk likelihood and impact 1-5, recovery target and workaround capacity percent 1-100, DR capability level 1-6 (of GB/T 20988, China's disaster recovery standard), staff unavailable percent 0-100, review and supplier assessment intervals at least 1 month. A value outside is a typo or a misunderstanding of the scale.";
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
        "Each tier has a standard recovery window: critical functions within a day, essential ones in 2-4 days, necessary ones in 5-7 days, desirable ones after 10 days or more. bcp gives each gap between windows to the tier below: critical at most 1d, essential more than 1d and at most 4d, necessary more than 4d and at most 7d, desirable more than 7d. An RTO outside its window usually means the tier or the RTO is wrong.";
    "B003" "critical-without-owner" Error "a critical function has no owner"
        "A critical function needs a named owner who answers for its recovery. Set `owner` to a person id.";
    "B004" "critical-without-procedure" Error "a critical function has no recovery procedure"
        "A critical function must be recoverable by following written steps. Add a procedure whose `recovers` lists the function.";
    "B005" "mtd-exceeds-organisation" Warning "a function's MTD is longer than the organisation's maximum tolerable interruption"
        "The plan's `max_tolerable_interruption` bounds every function: a function that may stay down longer contradicts the plan's own objective.";
    "B006" "headcount-below-minimum" Error "a function's headcount is below its minimum staff"
        "`resources.staff` is the fewest people the function can run with in recovery; `resources.headcount` is how many normally carry it out. A minimum above the headcount cannot be met even with everyone at work. Correct one of the two.";
    "D001" "backup-misses-rpo" Error "a system's backup interval is longer than its RPO"
        "Data written just after a backup is lost until the next one: a backup every 24h cannot meet an RPO of 4h. Back up (or replicate) at least as often as the RPO, or relax the RPO.";
    "D002" "no-backup" Warning "a system with an RPO has no backup"
        "A system with a recovery point objective needs a backup or replica to restore from. Add a `backups` entry.";
    "D003" "restore-not-tested" Warning "a system's restore has not been tested in the last 12 months"
        "Backups that were never restored are a hope, not a control. Test a restore at least yearly and record `last_restore_test`.";
    "S001" "critical-supplier-spof" Error "a critical supplier has no alternate and no assessed BCP"
        "A supplier is critical when it is marked `critical: true` or a critical function depends on it; the finding names that function. A critical supplier with no alternate and whose own continuity plan was never assessed is a single point of failure. Add an alternate supplier, or assess their BCP and record `bcp_assessed`.";
    "S002" "switch-over-too-slow" Error "switching to an alternate supplier takes longer than a critical function that needs it may wait"
        "When a supplier fails, its alternate takes over after `switch_over`. A critical function that depends on the supplier, directly or through the systems and functions it needs, is down at least that long; the finding names the one with the smallest RTO and says when the MTD is exceeded too. Agree a faster switch-over (a warm standby contract), give the function a workaround, or accept the gap with an exception.";
    "S003" "supplier-assessment-stale" Warning "a critical supplier's continuity plan was last assessed too long ago"
        "A supplier's own BCP changes with its business; an assessment older than the plan's `supplier_assessment_months` (24 months unless the plan says otherwise) no longer tells whether it can deliver in a disruption. Assess it again and record the date in `bcp_assessed`.";
    "G001" "dependency-cycle" Error "functions or systems depend on each other in a cycle"
        "Recovery follows dependencies: everything a function needs is recovered before it. In a cycle (`payments -> core-banking -> network -> payments`) nothing can come first, so no recovery order exists; the chain is printed in order with the place each dependency is written. The same holds for the steps of a procedure that wait for each other through `after`. Remove the dependency that is not real, or split the entity that plays two roles. While a cycle remains, the recovery order and achievable times (G004, G005) are not computed.";
    "G002" "rto-inversion" Error "something depends on a function or system whose RTO is longer than its own"
        "A function or system cannot be back before what it needs: if `payments` (RTO 4h) depends on `core-db` (RTO 8h), the 4h objective cannot be met whenever `core-db` takes its full 8h. Give the dependency an RTO no longer than the dependent's, or relax the dependent's RTO. The error points at the dependency as written in `depends_on`.";
    "G003" "rpo-inversion" Error "a function or system takes data from a system whose RPO is longer than its own"
        "Data lost by a system is lost to everything that takes its data: a function with an RPO of 1h depending on a system backed up to an RPO of 24h can lose a day of data. Data dependencies are a function's or system's `depends_on.systems`. Tighten the system's RPO (and its backups, see D001), or relax the dependent's RPO.";
    "G004" "critical-path-over-rto" Error "the achievable recovery time is longer than the RTO"
        "A function's or system's achievable recovery time is the longest chain through its dependencies (each recovered first, sites and suppliers costing their activation or switch-over time) and then its own procedure's steps (`duration`, waiting for the steps in `after`; with several procedures, the longest). When it exceeds the RTO, the plan as written cannot meet its objective. The help prints the chain step by step, e.g. `declare (30m) -> restore-core-db (6h) -> verify (1h) = 7h30m > RTO 4h`. Shorten or parallelise those steps, speed up the slowest dependency, or relax the RTO.";
    "G005" "slower-than-planned" Warning "the latest exercise took longer than the plan's steps add up to"
        "The latest exercise that ran the recovery (simulation, parallel, full interruption or restore test) with `results.demonstrated` for a function or system took longer than its achievable recovery time computed from the plan (its dependencies and the steps of its procedures) — in the exercise's `scenario` when it names one that takes the target down, else with the whole plan down. The plan is more optimistic than what was shown, so the critical-path checks trust numbers the exercise contradicts. Lengthen the step durations to what the exercise showed, or remediate and exercise again. (An exercise faster than the plan is not a finding: estimates may be conservative.)";
    "G006" "exercise-over-rto" Warning "the latest exercise took longer than the RTO"
        "The most recent exercise that timed a function's or system's recovery took longer than its RTO. The objective is not demonstrated: remediate the exercise's findings and exercise again; if the plan's step durations claim less than the exercise took, correct them.";
    "G007" "workaround-outlasted" Error "systems a workaround covers come back later than the workaround can be kept up"
        "A function's `workaround` (manual or degraded operation, 手工替代) keeps it running without the systems it `covers`, for `sustainable_for` from the start of the disruption; meanwhile those systems do not count against its RTO. If a covered system is back later than that, in the whole-plan case or in a scenario, the function stops when the workaround runs out. Bring the system back sooner, or plan (and staff) the workaround for longer.";
    "G008" "exercise-does-not-demonstrate" Warning "a recovery time is recorded on an exercise that does not run the recovery"
        "Only exercises that actually carry out the recovery demonstrate how long it takes: `simulation`, `parallel`, `full_interruption` and `restore_test`. A `walkthrough` or `tabletop` talks the plan through; a time written on it is an estimate, and bcp does not compare it with the plan (G005, G006). Move the estimate into the procedure's step durations, or record times after a test that runs the recovery.";
    "C001" "call-tree-spof" Warning "someone in the call tree calls others and has no fallback"
        "A person who makes calls in the call tree is the only link to everyone below them, transitively: if they cannot be reached, the people they call are never called, and neither is anyone those people would call. The finding counts them all. When a caller cannot be reached, their `fallback` makes their calls; a caller without one who is the `lead` of a team has that team's second lead as fallback (the second lead exists to act when the primary cannot be reached). Give every other caller a `fallback` person.";
    "C002" "key-person-risk" Warning "one person holds too many critical roles"
        "In a disaster one person cannot lead several teams or recover several critical functions at once, and losing them loses all those roles. bcp warns when a person is the lead or second lead of more than 2 teams, or the owner of more than 3 critical functions. Hand some of the roles to others.";
    "C003" "call-tree-too-slow" Error "the call tree takes longer to reach everyone than its objective"
        "`call_tree.reach_within` sets how soon everyone must be reached. The time is estimated with `minutes_per_call` (default 2): a person makes their calls one after another in the order written, different people call at the same time, and the first people of the tree are called in order by whoever activates it. Make the tree wider and shallower, or split long call lists between a caller and a deputy.";
    "X001" "scenario-over-rto" Error "in a scenario of the plan, a function comes back after its RTO"
        "Every scenario in `scenarios` is analysed as `bcp impact --scenario` does: what it loses (sites, systems, suppliers, teams, people) and everything that depends on it, transitively, must come back through alternates, DR sites, alternate suppliers and recovery procedures. A function whose achievable time in the scenario is over its RTO (but within its MTD) is reported at its RTO, with the scenario's `loses` entry and the critical path under the scenario, fallback activation included: `dc-main lost -> dr-same-city activation (30m) -> core-banking: restore (2h) -> ... = 4h20m > RTO 4h`. Shorten or parallelise the steps on the path, speed up the failover, add a workaround, or accept the gap with an approved, dated exception.";
    "X002" "scenario-over-mtd" Error "in a scenario of the plan, a function comes back after its maximum tolerable downtime"
        "As X001, but the function is down longer than its MTD — the longest outage the business survives. Reported at the MTD with the scenario's critical path. This is the gap a plan exists to close: shorten the path, add a fallback or a workaround.";
    "X003" "scenario-unrecoverable" Error "in a scenario of the plan, a function cannot be recovered at all"
        "Something the function needs is lost and nothing stands in: a site without an alternate site that is up (and its systems without a DR site), a supplier without an alternate, a system with neither a procedure nor a DR site, a team that is lost (both leads, or the team itself) and carries out a step of the recovery, or a key person without an available backup. The finding says which. Add the missing fallback, or accept the gap with an exception.";
    "X004" "scenario-understaffed" Error "in a scenario of the plan, a function has fewer staff than its minimum"
        "A function's staff is its `resources.headcount`, or, without one, the people of the teams that carry out its recovery steps. A scenario takes off the named people it loses among those (lost people, everyone in a lost team), then its `staff_unavailable_percent` of the rest, rounding down. Fewer than `resources.staff` is this finding. Cross-train people from other functions, arrange stand-in or agency staff, or lower the minimum if the function can run with fewer.";
    "F001" "chosen-strategy-over-rto" Error "a chosen strategy recovers a function it covers later than the function's RTO"
        "A strategy option that is `chosen` and has a `recovery_time` is how the plan means to bring back the functions it `covers`. When that time is longer than a covered function's RTO, the choice cannot meet the objective. Choose (or add) a faster option, relax the RTO, or, for an option that is slower by design (a remote fallback for regional disasters), accept the gap with an approved exception. `bcp cost` shows every option of the function.";
    "F002" "cheaper-option-rejected" Warning "a rejected strategy meets a function's RTO for less than a chosen one costs"
        "Among the strategy options covering a function, one marked `chosen: false` recovers within the function's RTO and has a lower `annual_cost` than a chosen option that covers it too. Either the choice should be reviewed, or the reason the dearer option is needed belongs in its `rationale` (and this finding in an exception).";
    "F003" "strategy-cost-exceeds-loss" Warning "the strategies chosen for a function cost more a year than the loss they can prevent"
        "The chosen options covering a function (their annual cost shared among the functions each covers, in proportion to `loss_per_day`) cost more a year than the most they can prevent: shortening every outage from the longer of the function's MTD and the slowest option on record to the fastest chosen recovery time, at its `loss_per_day`, as often as the risks that `affect` it happen (likelihood 1-5 read as 0.02, 0.1, 0.3, 1 and 3 incidents a year). An option whose cost far exceeds the loss it prevents is normally rejected. Choose a cheaper option, or correct `loss_per_day` or the risks' likelihoods.";
    "M001" "review-overdue" Error "the plan's review is overdue"
        "A plan is living: it is reviewed every `review.interval_months`, and whenever the business, a process or a key contact changes. Review it and record `review.last_reviewed`.";
    "M002" "no-recent-exercise" Error "no exercise was held in the last 12 months"
        "An untested plan is unlikely to work. Hold at least one exercise a year (a tabletop counts) and record it under `exercises`.";
    "M003" "action-overdue" Error "an open action is past its due date"
        "Findings from exercises are remediated by actions with owners and due dates. Close the action (`status: done`) or agree a new due date.";
    "M004" "placeholder" Error "a value still holds a scaffold placeholder"
        "`bcp init` writes `TODO` where the author must supply a value; a plan cannot pass until each is filled in.";
    "P001" "profile-requirement-unmet" Error "a requirement of the standards profile given with --profile is not met"
        "`bcp validate --profile NAME` audits the plan against a standards profile (`bcp audit --list`) and reports each unmet requirement, at the plan evidence that falls short, with the requirement id as its target. `bcp audit --profile NAME` prints the whole coverage matrix. Close the gap, or accept it with an exception naming the code `P001` and the requirement id.";
    "P002" "profile-parameter-missing" Warning "a requirement of the standards profile needs a threshold the plan does not give"
        "Some thresholds (a regulator's maximum RTO, how often to exercise) could not be verified from the standard's text, so the profile leaves them as parameters with no default. Set the value in the plan, `plan.compliance.<profile>.<name>`, or pass `--set name=value`.";
    "A001" "exception-expired" Error "an accepted gap's exception has expired"
        "An entry of `exceptions` accepts one finding until its `expires` date. After that it accepts nothing and the finding counts again: review the gap, close it, or have the exception approved again with a new date.";
    "A002" "exception-unused" Warning "an exception matches no finding"
        "An exception names a rule's `code`, the `target` the finding is about and optionally a `scenario`. When no finding matches, the gap it was written for is closed (remove the exception) or one of its ids is wrong.";
    "A003" "exception-code" Error "an exception names a rule that does not exist or cannot be accepted"
        "`code` must be a rule code as `bcp validate` prints it (`bcp explain --list`). Findings of load (L), reference (R) and exception (A) rules cannot be accepted: a plan that does not load or whose ids do not resolve cannot be analysed at all.";
    "Q001" "form-not-recognised" Error "a workbook is not a questionnaire this bcp made, or its questions were changed"
        "`bcp questionnaire import` reads answers from known cells, listed on the workbook's hidden `_bcp` sheet with a checksum of the questions. A workbook without that sheet, of another layout, or whose questions no longer match the checksum (sheets renamed, the map edited) cannot be read safely. Export a fresh questionnaire with `bcp questionnaire` and copy the answers into it.";
    "Q002" "answer-unknown-id" Error "an answer names a function, system, site or supplier the plan does not have"
        "A questionnaire answers for the functions of the plan it was made from, and dependencies are chosen from the plan's own lists. The function was removed or renamed since, or a dependency was typed rather than chosen. Choose an entry from the drop-down (bcp suggests the nearest id), or add the missing entity to the plan first.";
    "Q003" "answer-invalid" Error "an answer is not a value its field accepts"
        "Durations are a whole number and a unit (minutes, hours, days, weeks), tiers one of critical, essential, necessary or desirable, staff a whole number. Correct the cell shown as FILE:SHEET!CELL and import again.";
    "Q004" "answer-rto-over-mtd" Error "the answers make a function's RTO longer than its MTD"
        "The maximum tolerable downtime is the longest outage the business survives, so the recovery time objective must fit inside it. Shorten the RTO or lengthen the MTD in the answer (or in the plan).";
    "Q005" "answers-disagree" Error "two workbooks give different answers for the same value"
        "Each value can take only one answer in an import. Decide which answer is right and import that workbook alone, or correct the other.";
    "Q006" "form-outdated" Warning "a questionnaire was made from an older version of the plan"
        "The plan's `version` changed since the workbook was exported. Its answers are still imported where the respondent changed a value, but check them against the current plan (`--dry-run` shows what would change).";
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
