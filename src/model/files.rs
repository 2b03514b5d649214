//! Which YAML files of a plan folder are plan files: `files:` in `bcp.yaml`.

use super::Sp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which files below the plan folder bcp reads, for a plan that shares its folder with other
/// YAML (a documentation site, CI configuration, containers). Read from `bcp.yaml` only.
/// Patterns are globs relative to the plan folder, written as in `.gitignore`: `*` matches
/// within a name, `**` across folders, a pattern without `/` matches a name at any depth, and
/// a pattern that names a folder covers everything in it. Hidden files and folders, any
/// `node_modules/`, and the plan folder's own `templates/`, `out/` and `target/` are always
/// skipped.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileSelection {
    /// Read only the YAML files these patterns match (default: every `*.yaml` and `*.yml`),
    /// e.g. `["plan/**", "departments/*.yaml"]`. `bcp.yaml` is always read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Sp<String>>,
    /// Skip the files and folders these patterns match, e.g. `["mkdocs.yml", "docs/", "ci/**"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Sp<String>>,
}
