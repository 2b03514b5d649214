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
        "^(0*[0-9]{1,4}w)?(0*[0-9]{1,5}d)?(0*[0-9]{1,6}h)?(0*[0-9]{1,8}m)?$"
    );
    assert!(
        defs["Date"]["pattern"]
            .as_str()
            .unwrap()
            .ends_with("-02-29)$")
    );
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

/// Load findings that mean the file is refused as written (the structure, its encoding, its
/// size, a value off its scale), as the schema would refuse it; not those about the plan as a
/// whole (L006 a section twice, L007 no `plan` section) or about references and checks.
const REFUSED: &[&str] = &["L001", "L002", "L003", "L004", "L005", "L009", "V001"];

/// The schema says what the loader accepts, in both directions: every YAML file of the
/// fixtures and examples, fed on its own to `bcp validate` and to the schema (read as an
/// editor reads YAML 1.2: `yes` is text, a key written twice is an error), is refused by both
/// or by neither.
#[test]
fn schema_and_loader_agree_on_every_fixture_and_example() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(&root().join("tests/fixtures"), &mut files);
    yaml_files(&root().join("examples"), &mut files);
    files.sort();
    assert!(files.len() > 150, "{}", files.len());
    let yaml12 = serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    let mut disagreements = Vec::new();
    for path in &files {
        let o = bcp(&[
            "validate",
            path.to_str().unwrap(),
            "--today",
            "2026-11-27",
            "--format",
            "json",
        ]);
        let doc: Value = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
        let loader: Vec<String> = doc["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["code"].as_str())
            .filter(|c| REFUSED.contains(c))
            .map(|c| format!("{c} at {}", doc["diagnostics"][0]["line"]))
            .collect();
        let schema: Vec<String> = match std::fs::read(path)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
        {
            None => vec!["not UTF-8".to_string()],
            Some(text) => match serde_saphyr::from_str_with_options::<Value>(&text, yaml12.clone())
            {
                Err(e) => vec![format!(
                    "not YAML: {}",
                    e.to_string().lines().next().unwrap_or_default()
                )],
                Ok(instance) => errors(&validator, &instance),
            },
        };
        // The cases written for this test say which way they go in their name.
        let name = path.file_name().unwrap().to_string_lossy();
        let in_agreement = path
            .parent()
            .is_some_and(|p| p.ends_with("schema/agreement"));
        if in_agreement {
            let refused = !name.starts_with("accepted-");
            assert_eq!(
                !loader.is_empty(),
                refused,
                "{name}: bcp validate {loader:?}"
            );
            assert_eq!(!schema.is_empty(), refused, "{name}: schema {schema:?}");
        }
        if loader.is_empty() != schema.is_empty() {
            disagreements.push(format!(
                "{}:\n  bcp validate: {loader:?}\n  schema: {schema:?}",
                path.strip_prefix(root()).unwrap_or(path).display()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// The date pattern is the calendar bcp reads dates on: every day of the months around leap
/// years and century years, and the impossible ones, agree with bcp's own date parser.
#[test]
fn the_date_pattern_is_the_calendar() {
    let pattern = schema()["definitions"]["Date"]["pattern"].clone();
    let date = jsonschema::draft7::new(&serde_json::json!({"type": "string", "pattern": pattern}))
        .unwrap();
    let mut checked = 0;
    for year in [
        0, 1, 4, 100, 400, 1900, 1996, 2000, 2023, 2024, 2026, 2100, 2400, 9999,
    ] {
        for month in 0..=13 {
            for day in 0..=32 {
                let text = format!("{year:04}-{month:02}-{day:02}");
                assert_eq!(
                    date.is_valid(&Value::String(text.clone())),
                    bcp::model::Date::parse(&text).is_ok(),
                    "{text}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 6000);
}
