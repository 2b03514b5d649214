//! The typed plan: what a business continuity plan holds (see `docs/format.md`).
//!
//! Every section is a list or a block that may appear in any plan file; the loader merges them.
//! Values that diagnostics point at are wrapped in [`Sp`], which keeps the file, line and column
//! they came from. `Sp` serialises as its bare value, so templates and JSON see plain data.

mod duration;
mod exceptions;
mod files;
mod functions;
mod meta;
mod people;
mod procedures;
mod response;
mod risks;
mod sites;
mod systems;

pub use duration::{Date, Duration, Rpo};
pub use exceptions::*;
pub use files::FileSelection;
pub use functions::*;
pub use meta::*;
pub use people::*;
pub use procedures::*;
pub use response::*;
pub use risks::*;
pub use sites::*;
pub use systems::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a value stands in the plan's files. `file` indexes [`crate::load::Sources`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: u32,
    /// 1-based; 0 when unknown.
    pub line: u32,
    /// 1-based, in characters; 0 when unknown.
    pub column: u32,
}

/// A value together with the place it was written. Deserialised by `load` (which knows the
/// YAML crate); serialised transparently as the bare value.
#[derive(Clone, Debug, Default)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    /// Spans are where a value was written, not part of the value.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// `Sp<T>` is `T` in the schema: same name and id, so a recursive `T` (the call tree's
/// `CallNode`) is a `$ref` to one definition rather than an endless inline expansion.
impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// An entity id or a reference to one: unique across the plan.
pub type Id = Sp<String>;

/// One plan file as written. Every section is optional; lists from all files are merged.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Plan metadata: organisation, scope, objectives, owner, version, approvals, review (§1, §13).
    /// Exactly one file of the plan holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Sp<Meta>>,
    /// People and their contact channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Sp<Person>>,
    /// The continuity teams (§2): management, assessment, technical, operations, or others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Sp<Team>>,
    /// The notification call tree (§3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_tree: Option<Sp<CallTree>>,
    /// The risk register (§4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Sp<Risk>>,
    /// Business functions and their impact analysis (§5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Sp<Function>>,
    /// Continuity strategies with their cost and achievable recovery time (§6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategies: Vec<Sp<Strategy>>,
    /// Emergency response: activation, first actions, evacuation, communications (§7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_response: Option<Sp<EmergencyResponse>>,
    /// Recovery procedures: ordered steps per function or system (§8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Sp<Procedure>>,
    /// IT systems and data sets, with their backups (§9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<Sp<System>>,
    /// Sites: offices, data centres, alternate sites, assembly points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Sp<Site>>,
    /// Key suppliers and partners (§10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppliers: Vec<Sp<Supplier>>,
    /// Emergency resource stock (应急资源库).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Sp<Resource>>,
    /// Training and awareness (§11).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub training: Vec<Sp<Training>>,
    /// Disruption scenarios: what is lost, with what warning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Sp<Scenario>>,
    /// Tests and exercises with their results (§12).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exercises: Vec<Sp<Exercise>>,
    /// Which YAML files of the plan folder are plan files (`include`/`exclude` globs). Only in
    /// `bcp.yaml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Sp<FileSelection>>,
    /// Accepted gaps: findings reviewed and accepted, each with a reason, an approver and an
    /// expiry date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Sp<Exception>>,
}

/// The whole plan: every file's sections merged, in file order.
///
/// Produced by [`crate::load`]; downstream stages (graph, render) only receive it once
/// [`crate::check`] found no errors, so they may rely on references resolving.
#[derive(Debug, Default, Serialize)]
pub struct Plan {
    pub meta: Meta,
    /// Where `plan:` was written (the first file's start when it is missing).
    #[serde(skip)]
    pub meta_span: Span,
    /// Whether any file held a `plan:` section.
    #[serde(skip)]
    pub has_meta: bool,
    /// Ids of list entries that did not load (each has a load finding): a reference to one of
    /// them is not reported again as unknown.
    #[serde(skip)]
    pub unloaded_ids: std::collections::BTreeSet<String>,
    pub people: Vec<Sp<Person>>,
    pub teams: Vec<Sp<Team>>,
    pub call_tree: Option<Sp<CallTree>>,
    pub risks: Vec<Sp<Risk>>,
    pub functions: Vec<Sp<Function>>,
    pub strategies: Vec<Sp<Strategy>>,
    pub emergency_response: Option<Sp<EmergencyResponse>>,
    pub procedures: Vec<Sp<Procedure>>,
    pub systems: Vec<Sp<System>>,
    pub sites: Vec<Sp<Site>>,
    pub suppliers: Vec<Sp<Supplier>>,
    pub resources: Vec<Sp<Resource>>,
    pub training: Vec<Sp<Training>>,
    pub scenarios: Vec<Sp<Scenario>>,
    pub exercises: Vec<Sp<Exercise>>,
    pub exceptions: Vec<Sp<Exception>>,
}

/// The plan's language: chooses the fixed labels of rendered documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}
