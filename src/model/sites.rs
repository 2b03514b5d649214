//! Sites, suppliers (§10) and the emergency resource stock (§6).

use super::{Date, Duration, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A place: office, branch, data centre, alternate site.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique id of the site.
    pub id: Id,
    /// Name of the site.
    pub name: String,
    /// Kind of site: headquarters, office, branch, data centre, alternate...
    pub kind: SiteKind,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Seats or capacity available in recovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<String>,
    /// Disaster recovery capability level, 1-6, as defined by GB/T 20988 (China's national
    /// standard for information system disaster recovery), for DR sites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 6))]
    pub dr_level: Option<Sp<u8>>,
    /// Time to make an alternate site ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_time: Option<Sp<Duration>>,
    /// Site id of the alternate site for this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate: Option<Id>,
    /// Assembly points for evacuation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assembly_points: Vec<String>,
}

/// Kind of site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// Head office.
    Headquarters,
    /// Office.
    Office,
    /// Branch or outlet.
    Branch,
    /// Data centre.
    DataCentre,
    /// 备用场所: alternate work site.
    Alternate,
    /// Alternate data centre.
    DrDataCentre,
    /// Warehouse or depot.
    Warehouse,
}

/// A key supplier or partner.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    /// Unique id of the supplier.
    pub id: Id,
    /// Name of the supplier or partner.
    pub name: String,
    /// What they supply.
    pub supplies: String,
    /// Whether losing them stops a critical function.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    /// Contract reference and terms (SLA, recovery commitments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// 24/7 contact for incidents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Date their own BCP was last assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcp_assessed: Option<Sp<Date>>,
    /// Supplier ids of alternates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<Id>,
    /// Time to switch over to an alternate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_over: Option<Sp<Duration>>,
}

/// An item of the emergency resource stock (应急资源库).
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Unique id of the resource.
    pub id: Id,
    /// Name of the resource.
    pub name: String,
    /// Type, e.g. "generator", "laptop", "satellite phone".
    #[serde(rename = "type")]
    pub kind: String,
    /// How many are kept.
    pub quantity: u32,
    /// Site id where it is kept.
    pub location: Id,
    /// Person id responsible.
    pub owner: Id,
}
