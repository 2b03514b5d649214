//! §9 systems, data sets and backups: the disaster recovery plan.

use super::{Date, Dependencies, Duration, Id, Rpo, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An IT system or data set.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// Unique id of the system, used by dependencies and procedures.
    pub id: Id,
    /// Name of the system.
    pub name: String,
    /// Kind of system: application (the default), database, infrastructure, network, data set or end-user.
    #[serde(default)]
    pub kind: SystemKind,
    /// What the system does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Team or person id responsible for the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// Recovery time objective.
    pub rto: Sp<Duration>,
    /// Recovery point objective; `n/a` (or left out) for a system that holds no data, such as
    /// a network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo: Option<Sp<Rpo>>,
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

impl System {
    /// The RPO as a duration, with its position; `None` when not applicable.
    pub fn rpo_duration(&self) -> Option<Sp<Duration>> {
        super::rpo_duration(self.rpo.as_ref())
    }
}

/// Kind of IT system or data set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    /// A business application.
    #[default]
    Application,
    /// A database.
    Database,
    /// Servers, storage, power, cooling.
    Infrastructure,
    /// Network links and devices.
    Network,
    /// A data set kept apart from any one system.
    DataSet,
    /// End-user computing: PCs, phones, printers.
    EndUser,
}

/// One backup or replication scheme.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Kind of backup: full, incremental, differential, snapshot, replication or log.
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

/// Kind of backup or replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BackupType {
    /// A complete copy.
    Full,
    /// Changes since the last backup of any kind.
    Incremental,
    /// Changes since the last full backup.
    Differential,
    /// A point-in-time image of a volume or database.
    Snapshot,
    /// Continuous copy to another site; `every` is the replication lag.
    Replication,
    /// Transaction log backups.
    Log,
}
