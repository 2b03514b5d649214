//! The JSON Schema of a plan file (draft-07, what yaml-language-server understands),
//! generated from [`crate::model::PlanFile`] and its doc comments.

use crate::model::PlanFile;
use schemars::generate::SchemaSettings;

/// The schema as pretty-printed JSON, ending with a newline. Same model, same bytes.
pub fn json() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<PlanFile>();
    schema.insert("title".into(), "bcp plan file".into());
    schema.insert(
        "description".into(),
        "One file of a business continuity plan kept with bcp. Every section is optional in any one file; lists from all files of a plan folder are merged.".into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The names of the sections a plan file may hold, in the model's order.
pub fn sections() -> Vec<String> {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<PlanFile>();
    schema
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}
