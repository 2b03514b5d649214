//! §5 business impact analysis and §6 strategies.

use super::{Duration, Id, Rpo, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A business function or process, with its impact analysis.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Unique id of the function, used by dependencies, procedures and risks.
    pub id: Id,
    /// Name of the function, e.g. "Counter services".
    pub name: String,
    /// What the function does and for whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Person id of the function's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// Criticality tier; fixes the expected recovery window.
    pub tier: Sp<Tier>,
    /// Recovery time objective (恢复时间目标).
    pub rto: Sp<Duration>,
    /// Recovery point objective (数据恢复点目标): the data loss the function tolerates; `n/a`
    /// (or left out) for a function that holds no data of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo: Option<Sp<Rpo>>,
    /// Maximum tolerable downtime.
    pub mtd: Sp<Duration>,
    /// Periods when an outage hurts most (month end, Chinese New Year...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peak_periods: Vec<String>,
    /// Impact of an outage over time, per category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub impacts: Vec<Impact>,
    /// Financial loss per day of outage, in the plan's currency: the basis of the cost trade-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_per_day: Option<u64>,
    /// Staged recovery targets, e.g. 40% within 24h, then 100% within 3d.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_targets: Vec<Sp<RecoveryTarget>>,
    /// Minimum resources to run the function in recovery.
    #[serde(default)]
    pub resources: MinimumResources,
    /// What the function needs to run.
    #[serde(default)]
    pub depends_on: Dependencies,
    /// Manual or degraded operation (手工替代) that keeps the function going without some of
    /// its systems for a while.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workaround: Option<Sp<Workaround>>,
    /// Precautions when recovering without a test environment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub precautions: Vec<String>,
}

impl Function {
    /// The RPO as a duration, with its position; `None` when not applicable.
    pub fn rpo_duration(&self) -> Option<Sp<Duration>> {
        rpo_duration(self.rpo.as_ref())
    }
}

/// An RPO as a duration, with its position; `None` when left out or `n/a`.
pub fn rpo_duration(rpo: Option<&Sp<Rpo>>) -> Option<Sp<Duration>> {
    rpo.and_then(|r| r.value.duration().map(|d| Sp::new(d, r.span)))
}

/// Manual or degraded operation: how the function keeps going while some systems are down.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Workaround {
    /// What is done instead, e.g. "Counters take deposits on paper vouchers, posted later".
    pub description: String,
    /// System ids the function can do without while the workaround holds: they do not count
    /// against its RTO.
    pub covers: Vec<Id>,
    /// How long the workaround can be kept up, from the start of the disruption; the systems it
    /// covers must be back by then.
    pub sustainable_for: Sp<Duration>,
    /// Share of normal capacity the workaround gives, in percent (1-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub capacity_percent: Option<Sp<u8>>,
}

/// Criticality tier; each has a recovery window for the RTO (checked by B002).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 关键功能: interruption endangers the whole business; RTO at most 1 day.
    Critical,
    /// 基础功能: long-term operation seriously affected; RTO more than 1 day, at most 4 days.
    Essential,
    /// 必要功能: business runs, efficiency badly limited; RTO more than 4 days, at most 7 days.
    Necessary,
    /// 有利功能: useful; absence does not stop operations; RTO more than 7 days.
    Desirable,
}

impl Tier {
    pub const ALL: [Tier; 4] = [
        Tier::Critical,
        Tier::Essential,
        Tier::Necessary,
        Tier::Desirable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Critical => "critical",
            Tier::Essential => "essential",
            Tier::Necessary => "necessary",
            Tier::Desirable => "desirable",
        }
    }

    /// The recovery window: RTO from (exclusive) .. to (inclusive), in days; `None` means
    /// unbounded on that side. The usual statement "< 1, 2-4, 5-7, > 10 days" leaves gaps; each
    /// gap goes to the tier below. `window_words`, `bcp init`'s comments and the rendered tier
    /// table say the same (a test keeps them together).
    pub fn window_days(self) -> (Option<u64>, Option<u64>) {
        match self {
            Tier::Critical => (None, Some(1)),
            Tier::Essential => (Some(1), Some(4)),
            Tier::Necessary => (Some(4), Some(7)),
            Tier::Desirable => (Some(7), None),
        }
    }

    /// The recovery window in words, as B002's help gives it.
    /// In the language of messages (`tier_window.*` of the catalogues).
    pub fn window_words(self) -> &'static str {
        crate::i18n::raw(
            crate::i18n::current(),
            &format!("tier_window.{}", self.as_str()),
        )
    }
}

/// How an outage hurts after a given time.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// Time into the outage.
    pub after: Duration,
    /// Kind of impact: operational, financial, customer confidence, reputation...
    pub category: ImpactCategory,
    /// How bad it is at that time: low, medium, high or severe.
    pub severity: Severity,
    /// What happens, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Category of an outage's impact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpactCategory {
    /// Other functions affected.
    Operational,
    /// Lost revenue, penalties.
    Financial,
    /// Customers' trust.
    CustomerConfidence,
    /// Share of the market.
    MarketShare,
    /// Position against competitors.
    Competitive,
    /// Sales lost in the future.
    FutureSales,
    /// Legal and regulatory consequences.
    LegalRegulatory,
    /// Reputation.
    Reputation,
    /// Injury to people.
    Safety,
}

/// How severe an impact is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Noticeable, easily absorbed.
    Low,
    /// Harmful but contained.
    Medium,
    /// Serious harm.
    High,
    /// Threatens the business.
    Severe,
}

/// "40% of daily business within 24 hours".
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecoveryTarget {
    /// Time from the start of the outage.
    pub within: Sp<Duration>,
    /// Share of normal capacity, in percent (1-100).
    #[schemars(range(min = 1, max = 100))]
    pub percent: Sp<u8>,
}

/// Minimum resources a function needs in recovery.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MinimumResources {
    /// Minimum number of staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<Sp<u32>>,
    /// How many people normally carry out the function; without it, the people of the teams
    /// that carry out its recovery steps. Scenarios that make staff unavailable are checked
    /// against `staff`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<Sp<u32>>,
    /// Key people and their backups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_people: Vec<KeyPerson>,
    /// Workspace and facilities (seats, counters, vaults).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<String>,
    /// Equipment (PCs, printers, phones, fax, cash sorters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment: Vec<String>,
    /// Documents and vital records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vital_records: Vec<String>,
    /// What may come from outside the organisation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<String>,
}

/// A key person and who stands in for them.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeyPerson {
    /// Person id of the key person.
    pub person: Id,
    /// Person id of who stands in for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<Id>,
}

/// What a function or system needs, by id.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dependencies {
    /// Function ids (functions only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Id>,
    /// System ids; a function's data comes from these, so their RPO must be as tight as its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<Id>,
    /// Site ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Id>,
    /// Supplier ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppliers: Vec<Id>,
}

impl Dependencies {
    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
            && self.systems.is_empty()
            && self.sites.is_empty()
            && self.suppliers.is_empty()
    }
}

/// A continuity strategy option with its cost and achievable recovery time (§6).
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// Unique id of the strategy.
    pub id: Id,
    /// Name of the strategy, e.g. "Hot standby DR data centre".
    pub name: String,
    /// Prevention, response or recovery.
    pub kind: StrategyKind,
    /// How the strategy works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Function ids the strategy protects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<Id>,
    /// Annual cost in the plan's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_cost: Option<u64>,
    /// Recovery time the strategy achieves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_time: Option<Sp<Duration>>,
    /// Whether this option was chosen; rejected options stay on record with the reason.
    #[serde(default = "yes")]
    pub chosen: bool,
    /// Why the option was chosen or rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

fn yes() -> bool {
    true
}

/// Where a strategy acts: before, during or after a disruption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StrategyKind {
    /// Deterrent and preventive controls.
    Prevention,
    /// Contain, assess, communicate.
    Response,
    /// Alternate sites, spare equipment, multiple suppliers.
    Recovery,
}
