//! The bundled example plans: the README's main input and the material later stages are
//! snapshotted on. They must stay clean, so a new check that flags them fails here first.

use crate::common::{bcp, status, stdout};
use serde_json::Value;

const TODAY: &str = "2026-11-27";
const EXAMPLES: [&str; 2] = ["examples/bank", "examples/acme"];

/// An accepted gap: (code, target, scenario).
type Gap = (&'static str, &'static str, &'static str);

/// The gaps each example has accepted with an approved, dated exception. Everything else must
/// be clean.
const ACCEPTED: [(&str, &[Gap]); 2] = [
    (
        "examples/bank",
        &[
            // Regulator-mandated DR that costs more than the expected loss it prevents.
            ("F003", "card-services", ""),
            ("F003", "ebanking", ""),
            ("F003", "atm-services", ""),
            ("F003", "call-centre", ""),
            ("X004", "call-centre", "sc-epidemic"),
            // The remote DR centre: a regional fallback, slower than the RTO by design.
            ("F001", "card-services", ""),
            ("F001", "counter-services", ""),
            ("F001", "ebanking", ""),
            ("F001", "payment-clearing", ""),
        ],
    ),
    (
        "examples/acme",
        &[
            ("F003", "transport-dispatch", ""),
            ("F003", "customer-service", ""),
            ("F003", "goods-in", ""),
        ],
    ),
];

/// "4 F001, 4 F003, 1 X004": the summary line's count by code, in code order.
fn count_by_code(findings: &[(&str, &str, &str)]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for (code, _, _) in findings {
        *counts.entry(*code).or_insert(0) += 1;
    }
    counts
        .iter()
        .map(|(code, n)| format!("{n} {code}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn examples_validate_clean() {
    for (example, accepted) in ACCEPTED {
        let o = bcp(&["validate", example, "--today", TODAY]);
        assert_eq!(status(&o), 0, "{example}:\n{}", stdout(&o));
        // The bank's plan is written in Chinese (`lang: zh-CN`), and so is its report.
        let chinese = std::fs::read_to_string(format!("{example}/bcp.yaml"))
            .unwrap()
            .contains("lang: zh-CN");
        let expected = match (accepted.len(), chinese) {
            (0, false) => "no problems found\n".to_string(),
            (0, true) => "未发现问题\n".to_string(),
            (n, false) => format!(
                "no problems found; {n} accepted by exceptions: {}\n",
                count_by_code(accepted)
            ),
            (n, true) => format!(
                "未发现问题；{n} 项已由例外接受：{}\n",
                count_by_code(accepted).replace(", ", "，")
            ),
        };
        assert!(
            stdout(&o).ends_with(&expected),
            "{example}:\n{}",
            stdout(&o)
        );
        for counted in ["\nerror[", "\nwarning[", "\n错误[", "\n警告["] {
            assert!(!stdout(&o).contains(counted), "{example}:\n{}", stdout(&o));
        }
    }
}

#[test]
fn examples_have_no_warnings_either() {
    for (example, accepted) in ACCEPTED {
        let o = bcp(&[
            "validate",
            example,
            "--today",
            TODAY,
            "--deny-warnings",
            "--format",
            "json",
        ]);
        assert_eq!(status(&o), 0, "{example}:\n{}", stdout(&o));
        let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
        let listed: Vec<(&str, &str, &str)> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                assert!(d["accepted"].is_object(), "{example}: counted finding {d}");
                (
                    d["code"].as_str().unwrap(),
                    d["target"].as_str().unwrap(),
                    d["scenario"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(listed, accepted, "{example}");
        assert_eq!(doc["summary"]["errors"], 0, "{example}");
        assert_eq!(doc["summary"]["warnings"], 0, "{example}");
        assert_eq!(doc["summary"]["accepted"], accepted.len(), "{example}");
    }
}

/// Each example declares the scenarios a plan exists for, and proves them.
#[test]
fn examples_prove_their_scenarios() {
    for example in EXAMPLES {
        let o = bcp(&["scenarios", example, "--format", "json", "--today", TODAY]);
        assert_eq!(status(&o), 0, "{example}");
        let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
        let scenarios = doc["scenarios"].as_array().unwrap();
        assert!(
            scenarios.len() >= 5,
            "{example}: {} scenarios",
            scenarios.len()
        );
        // Most scenarios take a critical or essential function down or reduce its staff, and
        // every one of those comes back in time.
        let touched = scenarios
            .iter()
            .filter(|s| {
                s["functions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["status"] != "unaffected")
            })
            .count();
        assert!(
            touched >= 5,
            "{example}: {touched} scenarios touch a function"
        );
        for f in scenarios
            .iter()
            .flat_map(|s| s["functions"].as_array().unwrap())
        {
            assert!(
                ["ok", "unaffected"].contains(&f["status"].as_str().unwrap())
                    || f["id"] == "call-centre",
                "{example}: {f}"
            );
        }
    }
}

/// The examples carry real dates: left alone until mid-2028, their review, their exercise
/// programme and their open remediation actions all fall due.
#[test]
fn examples_age_like_real_plans() {
    for example in EXAMPLES {
        let o = bcp(&[
            "validate",
            example,
            "--today",
            "2028-06-01",
            "--format",
            "json",
        ]);
        assert_eq!(status(&o), 1, "{example}:\n{}", stdout(&o));
        let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
        let codes: Vec<&str> = doc["diagnostics"]
            .as_array()
            .expect("a list of diagnostics")
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        for code in ["M001", "M002", "M003"] {
            assert!(
                codes.contains(&code),
                "{example}: expected {code} in {codes:?}"
            );
        }
    }
}

/// Editors check the examples as they check a plan from `bcp init`: each file names the schema
/// in its first line, and the schema next to the examples is the one bcp prints.
#[test]
fn examples_name_the_schema_in_a_modeline() {
    let schema = crate::common::root().join("examples/bcp.schema.json");
    assert_eq!(
        std::fs::read_to_string(&schema).unwrap(),
        stdout(&bcp(&["schema"])),
        "examples/bcp.schema.json is stale: run `bcp schema > examples/bcp.schema.json`"
    );
    let mut files = Vec::new();
    let mut folders = vec![crate::common::root().join("examples")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let inside = path
            .strip_prefix(crate::common::root().join("examples"))
            .unwrap();
        let up = "../".repeat(inside.components().count() - 1);
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema={up}bcp.schema.json"),
            "{}",
            path.display()
        );
    }
}

/// docs/format.md promises that its YAML examples, each saved in its own file (the `plan`
/// example, with the `files` example, as `bcp.yaml`), make a plan without a single finding:
/// keep that true as the format grows.
#[test]
fn format_reference_examples_validate_clean() {
    let page = std::fs::read_to_string(crate::common::root().join("docs/format.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match current.as_mut() {
            None if line == "```yaml" => current = Some(String::new()),
            None => {}
            Some(block) if line == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    let ws = tempfile::tempdir().unwrap();
    let mut bcp_yaml = String::new();
    let mut sections = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let section = block
            .lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .and_then(|l| l.strip_suffix(':'))
            .unwrap_or_else(|| panic!("a YAML example starts with its section key:\n{block}"));
        if section == "plan" || section == "files" {
            bcp_yaml.push_str(block);
        } else {
            // A section may have several examples (`functions` has one for workarounds).
            std::fs::write(ws.path().join(format!("{i:02}-{section}.yaml")), block).unwrap();
        }
        sections.push(section);
    }
    for needed in [
        "plan",
        "files",
        "people",
        "teams",
        "call_tree",
        "functions",
        "procedures",
        "scenarios",
    ] {
        assert!(
            sections.contains(&needed),
            "no `{needed}` example in {sections:?}"
        );
    }
    std::fs::write(ws.path().join("bcp.yaml"), bcp_yaml).unwrap();
    let o = crate::common::bcp_in(
        ws.path(),
        &["validate", ".", "--today", TODAY, "--deny-warnings"],
    );
    assert_eq!(stdout(&o), "no problems found\n");
    assert_eq!(status(&o), 0, "{}", stdout(&o));
}
