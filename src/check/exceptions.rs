//! Accepted gaps: the plan's `exceptions` matched against every finding, whatever rule
//! produced it.
//!
//! An exception names a rule's `code`, the `target` a finding is about (the id in the
//! finding's `target`) and optionally a `scenario`. A finding it matches is carried as
//! accepted: still printed in every format, with the exception's position, but not counted
//! as an error or a warning. Load (L), reference (R) and exception (A) findings cannot be
//! accepted. An expired exception accepts nothing and is an error (A001); one that matches
//! nothing is a warning (A002), since the gap it was written for is closed or its ids are
//! wrong; an unknown or unacceptable code is an error (A003).
//!
//! Exceptions are checked after the analysis, because they are about its findings: their
//! own reference problems (R002/R003) are reported here and never hold the analysis up.

use super::ids::{Index, Kind, expect};
use super::{Context, RULES, rule};
use crate::diagnostic::{Accepted, Diagnostic};
use crate::model::{Exception, Plan};
use crate::t;

/// Rule families whose findings no exception can accept.
const NOT_ACCEPTABLE: [char; 3] = ['L', 'R', 'A'];

/// The rule family of standards-profile findings (`validate --profile`).
const PROFILE_FAMILY: char = 'P';

/// Whether an exception accepts a finding: same code, same target, and the same scenario
/// when the exception names one.
fn matches(e: &Exception, d: &Diagnostic) -> bool {
    d.accepted.is_none()
        && d.code.eq_ignore_ascii_case(&e.code.value)
        && d.target.as_deref() == Some(e.target.as_str())
        && e.scenario
            .as_ref()
            .is_none_or(|s| d.scenario.as_deref() == Some(s.as_str()))
}

fn accepted(e: &Exception) -> Accepted {
    Accepted {
        span: e.code.span,
        reason: e.reason.clone(),
        approved_by: e.approved_by.value.clone(),
        expires: e.expires.value,
    }
}

/// Marks findings added after [`apply`] ran (the profile findings of `validate --profile`)
/// as accepted by the exceptions that have not expired; [`apply`] has already reported the
/// exceptions' own problems.
pub fn accept(plan: &Plan, ctx: &Context, diagnostics: &mut [Diagnostic]) {
    for e in plan
        .exceptions
        .iter()
        .filter(|e| e.expires.value >= ctx.today)
    {
        for d in diagnostics.iter_mut().filter(|d| matches(e, d)) {
            d.accepted = Some(accepted(e));
        }
    }
}

/// Checks the exceptions and marks the findings they accept. `complete` says whether every
/// finding is there (the analysis ran): otherwise an exception matching nothing proves
/// nothing and is not reported.
pub fn apply(
    plan: &Plan,
    index: &Index,
    ctx: &Context,
    diagnostics: &mut Vec<Diagnostic>,
    complete: bool,
) {
    let mut found = Vec::new();
    for e in &plan.exceptions {
        let mut usable = true;
        let before = found.len();
        expect(
            index,
            &e.approved_by,
            &[Kind::Person],
            &|| t!("what.exception_approver"),
            &mut found,
        );
        // A profile finding's target is a requirement id of the profile, not a plan entity.
        if !e
            .code
            .value
            .to_ascii_uppercase()
            .starts_with(PROFILE_FAMILY)
        {
            expect(
                index,
                &e.target,
                &Kind::ALL,
                &|| t!("what.exception_target"),
                &mut found,
            );
        }
        if let Some(s) = &e.scenario {
            expect(
                index,
                s,
                &[Kind::Scenario],
                &|| t!("what.exception"),
                &mut found,
            );
        }
        usable &= found.len() == before;
        let code = e.code.value.to_ascii_uppercase();
        match rule(&code) {
            Some(r) if NOT_ACCEPTABLE.iter().any(|f| r.code.starts_with(*f)) => {
                usable = false;
                found.push(
                    Diagnostic::error("A003", t!("A003.not_acceptable.message", code = r.code))
                        .at(e.code.span)
                        .label(t!("A003.not_acceptable.label"))
                        .help(t!("A003.not_acceptable.help")),
                );
            }
            Some(_) => {}
            None => {
                usable = false;
                let help = match crate::suggest::nearest(&code, RULES.iter().map(|r| r.code)) {
                    Some(suggestion) => t!("A003.unknown.did_you_mean", suggestion),
                    None => t!("A003.unknown.help"),
                };
                found.push(
                    Diagnostic::error("A003", t!("A003.unknown.message", code = e.code.value))
                        .at(e.code.span)
                        .label(t!("A003.unknown.label"))
                        .help(help),
                );
            }
        }
        if e.expires.value < ctx.today {
            usable = false;
            found.push(
                Diagnostic::error(
                    "A001",
                    t!(
                        "A001.message",
                        code = e.code.value,
                        target = e.target.value,
                        expires = e.expires.value
                    ),
                )
                .at(e.expires.span)
                .label(t!("A001.label"))
                .help(t!("A001.help")),
            );
        }
        if !usable {
            continue;
        }
        let mut matched = false;
        for d in diagnostics.iter_mut().filter(|d| matches(e, d)) {
            matched = true;
            d.accepted = Some(accepted(e));
        }
        // Profile findings (P) only exist with `validate --profile`: an exception for one
        // matching nothing in a plain run proves nothing.
        if !matched && complete && !code.starts_with(PROFILE_FAMILY) {
            let scenario = e
                .scenario
                .as_ref()
                .map(|s| t!("A002.in_scenario", scenario = s.value))
                .unwrap_or_default();
            found.push(
                Diagnostic::warning(
                    "A002",
                    t!(
                        "A002.message",
                        code = e.code.value,
                        target = e.target.value,
                        scenario
                    ),
                )
                .at(e.code.span)
                .label(t!("A002.label"))
                .help(t!("A002.help")),
            );
        }
    }
    diagnostics.extend(found);
}
