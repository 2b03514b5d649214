//! `bcp schema`: a draft-07 JSON Schema with a description for every field; plans that bcp
//! accepts pass it, and values of the wrong type fail it (as they fail `bcp validate`).

use crate::common::{bcp, root, status, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn schema() -> Value {
    let o = bcp(&["schema"]);
    assert_eq!(status(&o), 0);
    serde_json::from_str(&stdout(&o)).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).expect("the schema is a valid draft-07 schema")
}

/// A plan file as the JSON document an editor's YAML language server checks.
fn yaml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn schema_is_draft_07_with_duration_and_date_patterns() {
    let schema = schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown top-level sections are refused"
    );
    let defs = &schema["definitions"];
    assert_eq!(
        defs["Duration"]["pattern"],
        "^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?$"
    );
    assert_eq!(defs["Date"]["pattern"], "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    // Same model, same bytes.
    assert_eq!(stdout(&bcp(&["schema"])), stdout(&bcp(&["schema"])));
}

/// Hover help in the editor comes from these descriptions: every field and every choice has one.
#[test]
fn every_field_and_choice_has_a_description() {
    fn walk(name: &str, node: &Value, missing: &mut Vec<String>) {
        if let Some(properties) = node["properties"].as_object() {
            for (key, property) in properties {
                if property.get("description").is_none() {
                    missing.push(format!("{name}.{key}"));
                }
            }
        }
        for key in ["oneOf", "anyOf"] {
            for choice in node[key].as_array().into_iter().flatten() {
                if (choice.get("const").is_some() || choice.get("enum").is_some())
                    && choice.get("description").is_none()
                {
                    missing.push(format!("{name} = {choice}"));
                }
            }
        }
        if node.get("enum").is_some() && node.get("description").is_none() {
            missing.push(format!("{name} (enum)"));
        }
    }
    let schema = schema();
    let mut missing = Vec::new();
    walk("<file>", &schema, &mut missing);
    for (name, definition) in schema["definitions"].as_object().unwrap() {
        walk(name, definition, &mut missing);
    }
    assert!(missing.is_empty(), "no description: {missing:#?}");
}

/// Every plan file bcp accepts must satisfy the schema, or editors would flag valid plans:
/// the examples, and every `bcp init` skeleton.
#[test]
fn example_plans_and_init_skeletons_satisfy_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(&root().join("examples"), &mut files);
    assert!(
        files.len() >= 10,
        "the example plans are missing: {files:?}"
    );
    let temp = tempfile::tempdir().unwrap();
    for template in ["minimal", "standard", "bank"] {
        for lang in ["en", "zh-CN"] {
            let dir = temp.path().join(format!("{template}-{lang}"));
            let o = bcp(&[
                "init",
                dir.to_str().unwrap(),
                "--template",
                template,
                "--lang",
                lang,
            ]);
            assert_eq!(status(&o), 0);
            yaml_files(&dir, &mut files);
        }
    }
    assert!(files.len() >= 58, "{files:?}");
    for path in &files {
        let found = errors(&validator, &yaml_as_json(path));
        assert!(
            found.is_empty(),
            "{}:\n{}",
            path.display(),
            found.join("\n")
        );
    }
}

/// Broken fixtures of the wrong-type kind fail the schema at the value that is wrong, and
/// `bcp validate` refuses them too.
#[test]
fn wrong_types_fail_the_schema_where_they_are() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(&root().join("tests/fixtures/schema/wrong-type"), &mut files);
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("an `# expect: <path>` line");
        let found = errors(&validator, &yaml_as_json(path));
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{expected}:"))),
            "{}: expected an error at {expected}, got {found:#?}",
            path.display()
        );
        let o = bcp(&["validate", path.to_str().unwrap(), "--today", "2026-11-27"]);
        assert_eq!(status(&o), 1, "{}", path.display());
        assert!(
            stdout(&o).contains("error[L002]"),
            "{}:\n{}",
            path.display(),
            stdout(&o)
        );
    }
}
