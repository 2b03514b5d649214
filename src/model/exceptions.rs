//! Accepted gaps: findings the organisation has reviewed and accepts for a while.

use super::{Date, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A reviewed, approved and dated acceptance of one finding of `bcp validate`: the finding is
/// still reported, as accepted, until the exception expires.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The rule's code, as printed in brackets by `bcp validate` (e.g. `X001`).
    pub code: Sp<String>,
    /// Id of the entity the finding is about (the function, system, supplier, person...).
    pub target: Id,
    /// Scenario id, for a finding that holds in one scenario; left out, the exception accepts
    /// the finding in every scenario and outside them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Id>,
    /// Why the gap is accepted, and what is done about it.
    pub reason: String,
    /// Person id of who approved the exception.
    pub approved_by: Id,
    /// Date after which the exception no longer holds: the finding counts again.
    pub expires: Sp<Date>,
}
