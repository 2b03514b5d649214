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

#[test]
fn examples_validate_clean() {
    for (example, accepted) in ACCEPTED {
        let o = bcp(&["validate", example, "--today", TODAY]);
        assert_eq!(status(&o), 0, "{example}:\n{}", stdout(&o));
        let expected = match accepted.len() {
            0 => "no problems found\n".to_string(),
            n => format!("no problems found; {n} accepted by exceptions\n"),
        };
        assert!(
            stdout(&o).ends_with(&expected),
            "{example}:\n{}",
            stdout(&o)
        );
        assert!(
            !stdout(&o).contains("\nerror["),
            "{example}:\n{}",
            stdout(&o)
        );
        assert!(
            !stdout(&o).contains("\nwarning["),
            "{example}:\n{}",
            stdout(&o)
        );
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

/// docs/format.md says its YAML examples fit together into one plan that validates clean:
/// keep that true as the format grows.
#[test]
fn the_format_reference_examples_make_a_clean_plan() {
    let text = std::fs::read_to_string(crate::common::root().join("docs/format.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut blocks = 0;
    for (i, block) in text.split("```yaml\n").skip(1).enumerate() {
        let yaml = block.split("```").next().unwrap();
        let name = if yaml.trim_start().starts_with("plan:") {
            "bcp.yaml".to_string()
        } else {
            format!("part-{i:02}.yaml")
        };
        std::fs::write(dir.path().join(name), yaml).unwrap();
        blocks += 1;
    }
    assert!(blocks > 10, "{blocks} examples");
    let o = bcp(&[
        "validate",
        dir.path().to_str().unwrap(),
        "--today",
        TODAY,
        "--deny-warnings",
    ]);
    assert_eq!(status(&o), 0, "{}", stdout(&o));
    assert_eq!(stdout(&o), "no problems found\n");
}
