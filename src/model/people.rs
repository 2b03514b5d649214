//! §2 the continuity team, §3 the call tree, §11 training.

use super::{Date, Duration, Id, Sp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A person named anywhere in the plan.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Unique id, referenced by teams, the call tree, owners.
    pub id: Id,
    /// Full name.
    pub name: String,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Department or unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// How to reach them; at least one channel for anyone in a team or the call tree.
    #[serde(default)]
    pub contacts: Contacts,
    /// True for someone outside the organisation (regulator, police, insurer...).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
}

/// Contact channels of a person.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// Mobile phone (also used for SMS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Desk or home phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Pager number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pager: Option<String>,
    /// Instant messaging handle (e.g. WeChat, Teams).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub im: Option<String>,
}

impl Contacts {
    pub fn is_empty(&self) -> bool {
        [
            &self.mobile,
            &self.phone,
            &self.email,
            &self.pager,
            &self.im,
        ]
        .iter()
        .all(|c| c.as_deref().is_none_or(|v| v.trim().is_empty()))
    }
}

/// A response team. The seed's four are the default set; others are allowed.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Unique id of the team, used by procedure steps and exercises.
    pub id: Id,
    /// Name of the team, e.g. "Management team".
    pub name: String,
    /// What kind of team this is.
    #[serde(default)]
    pub kind: TeamKind,
    /// What the team is responsible for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<String>,
    /// Person id of the primary lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Id>,
    /// Person id of the second lead (第二负责人), notified when the primary cannot be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_lead: Option<Id>,
    /// Person ids of the other members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Id>,
    /// Channels the team is equipped with (satellite phone, radio, conference bridge...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
}

/// The four classic response teams, and others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    /// 管理团队: authority to activate the plan; speaks to media, customers, shareholders.
    Management,
    /// 危险评估团队: first on site; assesses cause, damage and business impact.
    Assessment,
    /// 技术团队: supports the decision makers.
    Technical,
    /// 运营团队: carries out the recovery.
    Operations,
    /// Crisis communications.
    Communications,
    /// Any other team.
    #[default]
    Other,
}

/// The notification call tree (告知树): who calls whom, with fallbacks.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CallTree {
    /// Minutes one call takes, for the time-to-reach-everyone estimate (default 2).
    #[serde(default = "default_minutes_per_call")]
    pub minutes_per_call: u32,
    /// Who may start the tree, and how (e.g. "on activation by the management team").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// Everyone must be reached within this time (e.g. `30m`); checked by rule C003.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach_within: Option<Sp<Duration>>,
    /// The first people called; each calls the people below them.
    pub tree: Vec<Sp<CallNode>>,
}

fn default_minutes_per_call() -> u32 {
    2
}

/// One person in the call tree and the people they call, in order.
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CallNode {
    /// Person id.
    pub person: Id,
    /// Person id who makes this person's calls when they cannot be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Id>,
    /// The people this person calls, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<Sp<CallNode>>,
}

/// A training and awareness activity (§11).
#[derive(Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Unique id of the activity.
    pub id: Id,
    /// Name of the activity.
    pub name: String,
    /// Team ids, or groups by name ("all staff").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
    /// What it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Online, face to face, case study, role play or briefing.
    pub method: TrainingMethod,
    /// Months between sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_months: Option<u32>,
    /// Date it was last delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_delivered: Option<Sp<Date>>,
    /// How it is evaluated (survey, discussion...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<String>,
}

/// How a training activity is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrainingMethod {
    /// Online course.
    Online,
    /// Face-to-face session.
    FaceToFace,
    /// Case study.
    CaseStudy,
    /// Role play.
    RolePlay,
    /// Short briefing.
    Briefing,
}
