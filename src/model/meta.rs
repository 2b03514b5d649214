//! §1 scope and objectives, §13 maintenance: the plan's own metadata.

use super::{Date, Duration, Id, Lang, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Plan metadata: who owns the plan, what it covers, and how it is kept current.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The plan's title, e.g. "Business Continuity Plan" or "业务连续性计划".
    pub title: String,
    /// The organisation the plan belongs to.
    pub organisation: String,
    /// Language of the plan's text and of rendered labels: `en` or `zh-CN`.
    #[serde(default)]
    pub lang: Lang,
    /// Document version, e.g. "2.1".
    pub version: String,
    /// Person id of the plan owner.
    pub owner: Id,
    /// Document classification printed on every page, e.g. "Internal" or "内部".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Currency used for costs and losses, e.g. "CNY", "EUR".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether the IT disaster recovery plan is a chapter of this plan or a separate annex.
    #[serde(default)]
    pub drp: DrpPlacement,
    /// What the plan covers.
    #[serde(default)]
    pub scope: Scope,
    /// Objectives of the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// Organisation-wide maximum tolerable interruption (最大可容忍中断时间).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tolerable_interruption: Option<Sp<Duration>>,
    /// Organisation-wide maximum acceptable data loss (最大可接受数据丢失量).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_data_loss: Option<Sp<Duration>>,
    /// Assumptions the plan rests on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    /// Constraints the plan works within.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    /// Who approved which version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Sp<Approval>>,
    /// Who holds a copy of the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<Sp<Distribution>>,
    /// A critical supplier whose own BCP was last assessed longer ago than this is reported
    /// (rule S003); default 24 months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub supplier_assessment_months: Option<Sp<u32>>,
    /// Review cycle and history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Sp<Review>>,
    /// Changes between versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub change_log: Vec<Sp<Change>>,
    /// Values of standards-profile parameters (`bcp audit`), per profile: thresholds a
    /// profile leaves to the plan, e.g. `cn-bank-bcm: { important_rto_max: 4h }`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[schemars(
        with = "std::collections::BTreeMap<String, std::collections::BTreeMap<String, ParameterValue>>"
    )]
    pub compliance: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// A standards-profile parameter as written: a duration (`4h`), a number (`12`) or a level.
/// Only the schema uses it; the loader reads every value as text.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum ParameterValue {
    Text(String),
    Number(u64),
}

/// Where the disaster recovery plan (DRP) sits: "the IT part of the BCP; an annex or a chapter".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DrpPlacement {
    #[default]
    Chapter,
    Annex,
}

/// Units, sites and services the plan covers.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// A sentence or two on what is in scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Business units in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// Site ids in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Id>,
    /// Services in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// What is explicitly out of scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<String>,
}

/// One approval of one version of the plan.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Person id of the approver.
    pub by: Id,
    /// The approver's role, e.g. "Chief Risk Officer".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Date of approval.
    pub date: Sp<Date>,
    /// Version approved.
    pub version: String,
}

/// One controlled copy of the plan.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// Who receives it: a person id, a team id, or an outside party by name.
    pub to: String,
    /// Form of the copy, e.g. "printed", "PDF".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Copy number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<u32>,
}

/// The review cycle (§13).
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Months between reviews, e.g. 12.
    #[schemars(range(min = 1))]
    pub interval_months: Sp<u32>,
    /// Date of the last completed review.
    pub last_reviewed: Sp<Date>,
    /// Past reviews.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Sp<ReviewRecord>>,
}

/// One past review.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    /// Date of the review.
    pub date: Sp<Date>,
    /// Person id of the reviewer.
    pub by: Id,
    /// What was reviewed and concluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// One entry of the change log.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Version the change produced.
    pub version: String,
    /// Date of the change.
    pub date: Sp<Date>,
    /// Person id of the author of the change.
    pub author: Id,
    /// What changed.
    pub summary: String,
}
