//! §9 systems, data sets and backups: the disaster recovery plan.

use super::{Date, Dependencies, Duration, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An IT system or data set.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub kind: SystemKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Team or person id responsible for the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// Recovery time objective.
    pub rto: Sp<Duration>,
    /// Recovery point objective.
    pub rpo: Sp<Duration>,
    /// What the system needs to run: other systems, sites, suppliers (`functions` is not allowed).
    #[serde(default)]
    pub depends_on: Dependencies,
    /// Site id of the disaster recovery site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dr_site: Option<Id>,
    /// Backups and replicas of the system's data and configuration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<Sp<Backup>>,
    /// Whether hardware and software configuration is backed up too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub config_backed_up: bool,
    /// Date the last restore from backup was tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_restore_test: Option<Sp<Date>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    #[default]
    Application,
    Database,
    Infrastructure,
    Network,
    DataSet,
    EndUser,
}

/// One backup or replication scheme.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    #[serde(rename = "type")]
    pub kind: BackupType,
    /// Time between two backups (for replication: the replication lag).
    pub every: Sp<Duration>,
    /// Media, e.g. "tape", "disk", "object storage".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// Where the copies are kept: a site id or a description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Whether a copy is kept off site.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offsite: bool,
    /// How long copies are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Duration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BackupType {
    Full,
    Incremental,
    Differential,
    Snapshot,
    Replication,
    Log,
}
