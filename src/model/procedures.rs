//! §8 recovery procedures and §12 tests and exercises.

use super::{Date, Duration, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An ordered recovery procedure for functions or systems.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub id: Id,
    pub name: String,
    /// Function and system ids this procedure brings back.
    pub recovers: Vec<Id>,
    pub steps: Vec<Sp<Step>>,
}

/// One step: who does it, how long it takes, what it waits for.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique within its procedure.
    pub id: Id,
    pub name: String,
    /// Team id that carries it out.
    pub team: Id,
    /// Estimated duration.
    pub duration: Sp<Duration>,
    /// Ids of steps of the same procedure that must finish first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<Id>,
    #[serde(default)]
    pub phase: Phase,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Activation and notification.
    Activation,
    #[default]
    Recovery,
    /// Return to normal operations.
    Reconstitution,
}

/// A test or exercise, planned or held.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub id: Id,
    pub name: String,
    pub date: Sp<Date>,
    #[serde(rename = "type")]
    pub kind: ExerciseType,
    /// Scenario id rehearsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Id>,
    /// Normal, abnormal or disaster conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// Team and person ids taking part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluation_criteria: Vec<String>,
    /// Results, once held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<ExerciseResults>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseType {
    Walkthrough,
    Tabletop,
    Simulation,
    Parallel,
    FullInterruption,
    RestoreTest,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Conditions {
    Normal,
    Abnormal,
    Disaster,
}

/// What an exercise showed.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExerciseResults {
    /// Recovery times demonstrated, per function or system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub demonstrated: Vec<Demonstrated>,
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
    pub recovery_time: Sp<Duration>,
}

/// A remediation action with an owner and a due date.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: Id,
    pub description: String,
    /// Person id.
    pub owner: Id,
    pub due: Sp<Date>,
    #[serde(default)]
    pub status: ActionStatus,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
}
