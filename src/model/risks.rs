//! §4 risk assessment, and the disruption scenarios used by impact analysis.

use super::{Duration, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One entry of the risk register.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// Unique id of the risk.
    pub id: Id,
    /// The risk in a few words, e.g. "River flooding of the head office".
    pub title: String,
    /// Source and type of the risk (natural, man-made, technical, security...).
    pub category: RiskCategory,
    /// Where the threat comes from, in a phrase (e.g. "river flooding in the old town").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Likelihood, 1 (rare) to 5 (almost certain).
    #[schemars(range(min = 1, max = 5))]
    pub likelihood: Sp<u8>,
    /// Impact, 1 (negligible) to 5 (catastrophic).
    #[schemars(range(min = 1, max = 5))]
    pub impact: Sp<u8>,
    /// How much warning there is before it strikes.
    pub warning: WarningClass,
    /// What is left of sites and equipment afterwards.
    pub damage: DamageProfile,
    /// How the risk is treated: avoid, mitigate, transfer or accept.
    pub treatment: Treatment,
    /// Controls in place or planned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// Person id of the risk owner.
    pub owner: Id,
    /// Function ids the risk threatens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affects: Vec<Id>,
    /// Assumptions behind the rating, and anything else worth recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Source and type of a risk (风险来源).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    /// Flood, earthquake, typhoon, epidemic.
    Natural,
    /// Fire, terrorism, sabotage.
    ManMade,
    /// Hardware, network, communications, power.
    Technical,
    /// Catastrophic application error.
    Application,
    /// Malicious attack, virus, ransomware.
    Security,
    /// Market volatility, credit crisis.
    Financial,
    /// Staff shortage, process failure.
    Process,
    /// Supplier failure, transport disruption.
    SupplyChain,
}

/// How much warning a disruption gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningClass {
    /// Strikes without warning.
    None,
    /// Some warning: the plan can start early (e.g. an epidemic, a typhoon).
    Advance,
    /// Not expected at all in this location.
    NotExpected,
}

/// What a disruption leaves of sites and equipment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DamageProfile {
    /// Site and equipment destroyed.
    Destroyed,
    /// Partly destroyed.
    PartlyDestroyed,
    /// Intact but inaccessible (quarantine, evacuation, cordon).
    Inaccessible,
    /// No physical damage (e.g. a cyber attack or a supplier failure).
    NoPhysicalDamage,
}

/// Risk treatment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// 规避
    Avoid,
    /// 减轻
    Mitigate,
    /// 转移
    Transfer,
    /// 接受
    Accept,
}

/// A control against a risk.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// Deterrent, preventive, detective or corrective.
    pub kind: ControlKind,
    /// What the control is and does.
    pub description: String,
}

/// What a control does against a risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// Discourages the threat (guards, warnings).
    Deterrent,
    /// Stops it from happening (UPS, access control).
    Preventive,
    /// Detects it early (smoke detectors, monitoring).
    Detective,
    /// Limits the damage and restores (extinguishers, backups).
    Corrective,
}

/// A disruption scenario: what is lost, with how much warning.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique id of the scenario.
    pub id: Id,
    /// Name of the scenario, e.g. "Loss of the primary data centre".
    pub name: String,
    /// What happens, in a few sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Risk ids this scenario plays out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Id>,
    /// Ids of the sites, systems, suppliers and teams lost.
    #[serde(default)]
    pub loses: Vec<Id>,
    /// Share of staff unavailable, in percent (e.g. 40 for an epidemic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub staff_unavailable_percent: Option<Sp<u8>>,
    /// Warning time before the disruption, when there is some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_time: Option<Duration>,
    /// What the disruption leaves of sites and equipment.
    pub damage: DamageProfile,
}
