//! The JSON Schema of a plan file (draft-07, what yaml-language-server understands),
//! generated from [`crate::model::PlanFile`] and its doc comments.
//!
//! The schema says what the loader accepts, no more and no less: a test feeds every fixture and
//! example to both (`tests/it/schema.rs`).

use crate::model::PlanFile;
use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;

/// The schema as pretty-printed JSON, ending with a newline. Same model, same bytes.
pub fn json() -> String {
    let mut schema = root();
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
    root()
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn root() -> Schema {
    SchemaSettings::draft07()
        .with_transform(RecursiveTransform(plain_scalars_are_text))
        .with_transform(RecursiveTransform(integers_fit_their_type))
        .into_generator()
        .into_root_schema_for::<PlanFile>()
}

/// Text fields take any plain scalar: bcp reads `version: 2.1` or `name: 110` as the text
/// written (`2.1`, not the number 2.1 that an editor's YAML parser makes of it). Text with a
/// pattern (durations, dates) or a list of choices stays text only.
fn plain_scalars_are_text(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if ["pattern", "enum", "const", "format"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return;
    }
    let widened = match object.get("type") {
        Some(t) if t == "string" => serde_json::json!(["string", "number", "boolean"]),
        Some(t) if *t == serde_json::json!(["string", "null"]) => {
            serde_json::json!(["string", "number", "boolean", "null"])
        }
        _ => return,
    };
    object.insert("type".into(), widened);
}

/// A whole number the model keeps in 32 or 64 bits has that maximum: bcp refuses a larger one.
/// (schemars gives the smaller types theirs.)
fn integers_fit_their_type(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let maximum = match object.get("format").and_then(|f| f.as_str()) {
        Some("uint32") => serde_json::json!(u32::MAX),
        Some("uint64") => serde_json::json!(u64::MAX),
        _ => return,
    };
    object.entry("maximum").or_insert(maximum);
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_takes_numbers_and_patterns_stay_text() {
        let schema: serde_json::Value = serde_json::from_str(&super::json()).unwrap();
        let defs = &schema["definitions"];
        assert_eq!(
            defs["Person"]["properties"]["name"]["type"],
            serde_json::json!(["string", "number", "boolean"])
        );
        assert_eq!(defs["Duration"]["type"], "string");
        assert_eq!(defs["Date"]["type"], "string");
    }
}
