//! §7 emergency response and crisis communications.

use super::{Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the plan is activated and the first hours are run.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EmergencyResponse {
    /// Conditions that activate the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activation_criteria: Vec<String>,
    /// Person or team ids with the authority to activate the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activation_authority: Vec<Id>,
    /// First actions, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_actions: Vec<String>,
    /// Staff safety and evacuation procedure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evacuation: Vec<String>,
    /// Containment measures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containment: Vec<String>,
    /// Damage assessment checklist for the assessment team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessment_checklist: Vec<String>,
    /// Communication channels, primary first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
    /// Backup channels when the primary ones fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backup_channels: Vec<String>,
    /// Key outside numbers (police, fire, regulator hotline...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_numbers: Vec<KeyNumber>,
    /// Prepared messages per audience.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Sp<Message>>,
}

/// A number everyone should have on the wallet card.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeyNumber {
    /// Who the number reaches, e.g. "Fire brigade".
    pub name: String,
    /// The phone number.
    pub number: String,
}

/// A message template for one audience.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Unique id of the message.
    pub id: Id,
    /// Who the message is for.
    pub audience: Audience,
    /// Channel used, e.g. "SMS", "press release".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Person or team id who approves and sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Id>,
    /// The message itself, ready to send.
    pub text: String,
}

/// Who a prepared message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Employees.
    Staff,
    /// Customers.
    Customers,
    /// Press, radio, TV.
    Media,
    /// Supervisory authorities.
    Regulators,
    /// Suppliers and partners.
    Suppliers,
    /// Shareholders and investors.
    Shareholders,
    /// The general public.
    Public,
}
