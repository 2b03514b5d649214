//! §8 recovery procedures and §12 tests and exercises.

use super::{Date, Duration, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An ordered recovery procedure for functions or systems.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Unique id of the procedure.
    pub id: Id,
    /// Name of the procedure, e.g. "Fail over to the DR data centre".
    pub name: String,
    /// Function and system ids this procedure brings back.
    pub recovers: Vec<Id>,
    /// The steps; their order and `after` lists fix the recovery timeline.
    pub steps: Vec<Sp<Step>>,
}

/// One step: who does it, how long it takes, what it waits for.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique within its procedure.
    pub id: Id,
    /// What is done, e.g. "Fail the database over".
    pub name: String,
    /// Team id that carries it out.
    pub team: Id,
    /// Estimated duration.
    pub duration: Sp<Duration>,
    /// Ids of steps of the same procedure that must finish first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<Id>,
    /// Activation, recovery (the default) or reconstitution.
    #[serde(default)]
    pub phase: Phase,
    /// Which way back the step belongs to: `failover` (only when moving to the DR site or an
    /// alternate site, because the usual site is lost) or `in_place` (only when recovering at
    /// the usual site). Left out: the step is done either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<RecoveryPath>,
    /// How the step is carried out, or where the runbook is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Phase of the recovery a step belongs to.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Activation and notification.
    Activation,
    /// Bringing the function or system back.
    #[default]
    Recovery,
    /// Return to normal operations.
    Reconstitution,
}

/// The two ways back a procedure may describe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryPath {
    /// Recovering at the usual site (the site stands; the system or function failed).
    InPlace,
    /// Moving to the DR site or the alternate site, because the usual site is lost.
    Failover,
}

impl RecoveryPath {
    pub const BOTH: [RecoveryPath; 2] = [RecoveryPath::InPlace, RecoveryPath::Failover];

    pub fn as_str(self) -> &'static str {
        match self {
            RecoveryPath::InPlace => "in_place",
            RecoveryPath::Failover => "failover",
        }
    }
}

impl ExerciseType {
    /// Whether the exercise actually runs the recovery, so that a time it records is a
    /// demonstrated recovery time: simulation, parallel, full interruption and restore test.
    /// A walkthrough or tabletop only talks it through.
    pub fn runs_recovery(self) -> bool {
        !matches!(self, ExerciseType::Walkthrough | ExerciseType::Tabletop)
    }
}

/// A test or exercise, planned or held.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Unique id of the exercise.
    pub id: Id,
    /// Name of the exercise.
    pub name: String,
    /// Date the exercise was (or will be) held.
    pub date: Sp<Date>,
    /// Walkthrough, tabletop, simulation, parallel, full interruption or restore test.
    #[serde(rename = "type")]
    pub kind: ExerciseType,
    /// Scenario id rehearsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Id>,
    /// Normal, abnormal or disaster conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// What the exercise must show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// Team and person ids taking part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Id>,
    /// How success is judged, e.g. "all team leads reached within 30 minutes".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluation_criteria: Vec<String>,
    /// Results, once held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<ExerciseResults>,
}

/// Kind of test or exercise, from a discussion to a full interruption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseType {
    /// Reading through the plan together.
    Walkthrough,
    /// Discussing a scenario around a table.
    Tabletop,
    /// Acting out a scenario without stopping production.
    Simulation,
    /// Recovering at the alternate site while production runs.
    Parallel,
    /// Stopping production and recovering for real.
    FullInterruption,
    /// Restoring systems or data from backup.
    RestoreTest,
}

/// Conditions an exercise is run under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Conditions {
    /// Normal operating conditions.
    Normal,
    /// Degraded conditions (a partial outage).
    Abnormal,
    /// A disaster: a site or a data centre is lost.
    Disaster,
}

/// What an exercise showed.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExerciseResults {
    /// Recovery times demonstrated, per function or system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub demonstrated: Vec<Demonstrated>,
    /// What went well and what did not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// Remediation actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Sp<Action>>,
}

/// A recovery time shown in an exercise.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Demonstrated {
    /// Function or system id.
    pub target: Id,
    /// Time the recovery took in the exercise.
    pub recovery_time: Sp<Duration>,
}

/// A remediation action with an owner and a due date.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Unique id of the action.
    pub id: Id,
    /// What must be done.
    pub description: String,
    /// Person id.
    pub owner: Id,
    /// Date by which it must be done; an open action past it is reported (M003).
    pub due: Sp<Date>,
    /// `open` until done, then `done`.
    #[serde(default)]
    pub status: ActionStatus,
}

/// Whether a remediation action is still open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Still to be done.
    #[default]
    Open,
    /// Completed.
    Done,
}
