//! Scenarios proved: the scenario findings of `bcp validate` (X001-X004, G007), system-level
//! DR, recovery paths, warning time, staff, workarounds, `bcp scenarios`, and their agreement
//! with `bcp impact --scenario`.

use crate::common::{bcp, status, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;

const TODAY: &str = "2026-11-27";
const SCENARIOS: &str = "tests/fixtures/graph/X001-X004-scenarios.yaml";
const WORKAROUND: &str = "tests/fixtures/graph/G007-G008-workaround-tabletop.yaml";

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

fn validate_json(path: &str) -> (i32, Value) {
    let o = bcp(&["validate", path, "--today", TODAY, "--format", "json"]);
    (status(&o), json(&o))
}

fn human(path: &str) -> String {
    stdout(&bcp(&["validate", path, "--today", TODAY]))
}

fn impact(path: &str, scenario: &str) -> Value {
    let o = bcp(&[
        "impact",
        path,
        "--scenario",
        scenario,
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    json(&o)
}

/// (code, line, column, scenario, target) of every finding.
fn findings(doc: &Value) -> Vec<(String, u64, u64, String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["scenario"].as_str().unwrap_or_default().to_string(),
                d["target"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn owned(list: &[(&str, u64, u64, &str, &str)]) -> Vec<(String, u64, u64, String, String)> {
    list.iter()
        .map(|(c, l, col, s, t)| (c.to_string(), *l, *col, s.to_string(), t.to_string()))
        .collect()
}

#[test]
fn every_scenario_is_proved_in_validate() {
    let (exit, doc) = validate_json(SCENARIOS);
    assert_eq!(exit, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            ("X003", 117, 9, "wang-leaves", "payments"),
            ("X001", 121, 10, "dc-fire-warned", "payments"),
            ("X001", 121, 10, "dc-fire", "payments"),
            ("X004", 126, 14, "flu", "payments"),
            ("X003", 130, 9, "wang-leaves", "reporting"),
            ("X002", 136, 10, "archive-flood", "reporting"),
        ])
    );
    // The scenario's `loses` entry (or its share of staff) is the related position.
    let related: Vec<u64> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["related"][0]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(related, [188, 179, 175, 192, 188, 184]);

    let text = human(SCENARIOS);
    for expected in [
        "error[X001]: in scenario `dc-fire`, function `payments` needs 8h45m, over its RTO of 8h",
        // System-level DR: dc-1 has no alternate, the systems fail over to their DR site.
        "help: critical path: dc-1 lost -> dc-2 activation (5h) -> network: reroute (30m) -> core-db: declare (15m) -> restore (1h) -> verify (30m) -> payments: open (1h) -> notify (30m) = 8h45m > RTO 8h",
        // With an hour's warning the activation step is done before the fire.
        "error[X001]: in scenario `dc-fire-warned`, function `payments` needs 8h30m, over its RTO of 8h",
        "core-db: restore (1h) -> verify (30m) -> payments: open (1h) -> notify (30m) (activation steps done in the 1h warning are not counted) = 8h30m > RTO 8h",
        "error[X002]: in scenario `archive-flood`, function `reporting` needs 5d, over its maximum tolerable downtime of 4d",
        "help: critical path: archive lost -> archive-2 activation (5d) = 5d > MTD 4d",
        "error[X003]: in scenario `wang-leaves`, function `payments` cannot be recovered: key person `p-wang` is lost and no available backup stands in",
        "error[X003]: in scenario `wang-leaves`, function `reporting` cannot be recovered: it needs function `payments`, whose key person `p-wang` is lost and no available backup stands in",
        "error[X004]: in scenario `flu`, function `payments` has 2 of the 3 staff it needs (2 of 4 normally; 50% of staff unavailable)",
        "`dc-fire` loses `dc-1`",
        "`flu` makes staff unavailable",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

/// `validate` reports exactly the functions `impact --scenario` marks over RTO or MTD.
#[test]
fn impact_and_validate_agree_on_every_scenario() {
    let (_, doc) = validate_json(SCENARIOS);
    let found = findings(&doc);
    for scenario in [
        "dc-fire",
        "dc-fire-warned",
        "archive-flood",
        "wang-leaves",
        "flu",
        "telco-cut",
    ] {
        let reported: BTreeSet<String> = found
            .iter()
            .filter(|f| f.3 == scenario && ["X001", "X002", "X003"].contains(&f.0.as_str()))
            .map(|f| f.4.clone())
            .collect();
        let marked: BTreeSet<String> = impact(SCENARIOS, scenario)["affected"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["rto_breached"] == true || a["mtd_breached"] == true)
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(reported, marked, "{scenario}");
    }
}

#[test]
fn systems_fail_over_to_their_dr_site_and_repair_in_place_when_it_stands() {
    let doc = impact(SCENARIOS, "dc-fire");
    assert_eq!(
        doc["lost"][0]["fallback"],
        "no alternate site; its systems fail over to their DR site `dc-2` (activation 5h)"
    );
    let times = |doc: &Value, key: &str| -> Vec<(String, String)> {
        doc[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["id"].as_str().unwrap().to_string(),
                    a["achievable"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // DR site ready at 5h, reroute 30m; core-db's failover path: declare, restore, verify.
    assert_eq!(
        times(&doc, "affected_systems"),
        [
            ("network".to_string(), "5h30m".to_string()),
            ("core-db".to_string(), "7h15m".to_string())
        ]
    );
    // The data centre stands when the telecom line is cut: core-db is repaired in place
    // (declare 15m, repair and log check 30m, verify 30m) after the 1h switch-over and reroute.
    let doc = impact(SCENARIOS, "telco-cut");
    assert_eq!(
        times(&doc, "affected_systems"),
        [
            ("network".to_string(), "1h30m".to_string()),
            ("core-db".to_string(), "2h45m".to_string())
        ]
    );
    assert_eq!(doc["affected"][0]["status"], "ok");
}

#[test]
fn staff_and_key_people_in_impact() {
    let doc = impact(SCENARIOS, "flu");
    let payments = &doc["affected"][0];
    assert_eq!(payments["id"], "payments");
    assert_eq!(payments["status"], "understaffed");
    assert_eq!(payments["via"], "staff");
    assert_eq!(
        payments["staff"],
        serde_json::json!({"minimum": 3, "headcount": 4, "lost": 0, "available": 2})
    );
    let doc = impact(SCENARIOS, "wang-leaves");
    assert_eq!(doc["lost"][0]["kind"], "person");
    assert_eq!(doc["affected"][0]["status"], "unrecoverable");
    assert_eq!(doc["affected"][0]["achievable"], "unrecoverable");
}

#[test]
fn scenario_matrix_as_table_and_json() {
    let o = bcp(&["scenarios", SCENARIOS, "--today", TODAY]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    insta::assert_snapshot!("scenarios-table", stdout(&o));

    let o = bcp(&["scenarios", SCENARIOS, "--format", "json", "--today", TODAY]);
    assert_eq!(status(&o), 0);
    let doc = json(&o);
    let cells: Vec<(String, String, Value, String)> = doc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["functions"].as_array().unwrap().iter().map(|f| {
                (
                    s["id"].as_str().unwrap().to_string(),
                    f["id"].as_str().unwrap().to_string(),
                    f["achievable"].clone(),
                    f["status"].as_str().unwrap().to_string(),
                )
            })
        })
        .filter(|c| c.1 == "payments")
        .collect();
    let expected: Vec<(String, String, Value, String)> = [
        ("dc-fire", Value::from("8h45m"), "over_rto"),
        ("dc-fire-warned", Value::from("8h30m"), "over_rto"),
        ("archive-flood", Value::Null, "unaffected"),
        ("wang-leaves", Value::from("unrecoverable"), "unrecoverable"),
        ("flu", Value::Null, "understaffed"),
        ("telco-cut", Value::from("4h15m"), "ok"),
    ]
    .into_iter()
    .map(|(s, a, st)| (s.to_string(), "payments".to_string(), a, st.to_string()))
    .collect();
    assert_eq!(cells, expected);
    assert_eq!(doc["scenarios"][0]["name"], "Fire in the data centre");
    assert_eq!(doc["scenarios"][0]["functions"][0]["rto"], "8h");
}

#[test]
fn a_plan_without_scenarios_says_so() {
    let o = bcp(&[
        "scenarios",
        "tests/fixtures/graph/G004-G006-over-rto.yaml",
        "--today",
        TODAY,
    ]);
    assert_eq!(status(&o), 0);
    assert_eq!(
        stdout(&o),
        "the plan declares no scenarios; add `scenarios` to prove them\n"
    );
}

#[test]
fn unrecoverable_says_what_is_missing() {
    let path = "tests/fixtures/graph/X003-unrecoverable.yaml";
    let (exit, doc) = validate_json(path);
    assert_eq!(exit, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            ("X003", 97, 9, "dc-flood", "payments"),
            ("X003", 105, 9, "dc-flood", "reporting"),
        ])
    );
    let text = human(path);
    assert!(text.contains("error[X003]: in scenario `dc-flood`, function `payments` cannot be recovered: site `dc-1` is lost and has no alternate site that is up"), "{text}");
    assert!(text.contains("help: give site `dc-1` an `alternate` site with its `activation_time`, give the systems that run there a `dr_site`, or add a workaround"), "{text}");
}

#[test]
fn a_lost_team_blocks_the_procedures_it_carries_out() {
    // p-zhao and p-liu lead the technical team, which carries out steps of every procedure.
    let o = bcp(&[
        "impact",
        "tests/fixtures/graph/clean.yaml",
        "--lose",
        "t-tech",
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["affected"][0]["status"], "unrecoverable");
    // Scenario findings say which step the lost team carries out.
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string("tests/fixtures/graph/clean.yaml").unwrap()
        + "  - id: tech-out\n    name: Technical team out\n    loses: [t-tech]\n    damage: no_physical_damage\n";
    std::fs::write(dir.path().join("plan.yaml"), plan).unwrap();
    let path = dir.path().join("plan.yaml");
    let text = human(path.to_str().unwrap());
    assert!(
        text.contains("error[X003]: in scenario `tech-out`, function `payments` cannot be recovered: team `t-tech` is lost and carries out step `pr-"),
        "{text}"
    );
}

#[test]
fn workarounds_hold_until_they_run_out() {
    let (exit, doc) = validate_json(WORKAROUND);
    assert_eq!(exit, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            ("G007", 109, 24, "hq-fire", "payments"),
            ("G007", 109, 24, "", "payments"),
            ("G008", 158, 46, "", "ex-tabletop"),
        ])
    );
    let text = human(WORKAROUND);
    assert!(text.contains("error[G007]: the workaround of function `payments` can be kept up for 2h, but system `core-db` it covers is back after 2h15m"), "{text}");
    assert!(text.contains("error[G007]: in scenario `hq-fire`, the workaround of function `payments` can be kept up for 2h, but system `core-db` it covers is back after 3h15m"), "{text}");
    assert!(text.contains("warning[G008]: exercise `ex-tabletop` is a tabletop and records 3h for `payments`, but does not run the recovery"), "{text}");

    // The workaround counts in the order: payments runs on paper once its own steps are done
    // (1h30m); everything is back at 3h45m. The parallel test's 3h30m is compared with that.
    let o = bcp(&["order", WORKAROUND, "--format", "json", "--today", TODAY]);
    let order = json(&o);
    let payments = order
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "payments")
        .unwrap();
    assert_eq!(payments["achievable"], "1h30m");
    assert_eq!(payments["restored"], "3h45m");
    assert_eq!(payments["workaround"], true);
    let table = stdout(&bcp(&["order", WORKAROUND, "--today", TODAY]));
    assert!(
        table.contains("1h30m       ok (workaround)  Customer payments"),
        "{table}"
    );

    let doc = impact(WORKAROUND, "hq-fire");
    assert_eq!(doc["affected"][0]["id"], "payments");
    assert_eq!(doc["affected"][0]["workaround"], true);
    assert_eq!(doc["affected"][0]["restored"], "4h45m");
}

#[test]
fn call_tree_counts_everyone_cut_off_and_second_leads_stand_in() {
    let path = "tests/fixtures/graph/C001-transitive.yaml";
    let (exit, doc) = validate_json(path);
    assert_eq!(exit, 0);
    assert_eq!(findings(&doc), owned(&[("C001", 48, 19, "", "p-zhao")]));
    assert_eq!(
        doc["diagnostics"][0]["message"],
        "`p-zhao` is the only link to 2 people in the call tree and has no fallback (1 called directly, 1 more below them)"
    );
    let o = bcp(&["calltree", path, "--format", "json", "--today", TODAY]);
    let report = json(&o);
    let fallback = |person: &str| -> (Value, Value, Value) {
        let p = report["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person"] == person)
            .unwrap();
        (
            p["fallback"].clone(),
            p["fallback_team"].clone(),
            p["below"].clone(),
        )
    };
    assert_eq!(
        fallback("p-chen"),
        (Value::from("p-wang"), Value::from("t-mgmt"), Value::from(4))
    );
    assert_eq!(
        fallback("p-liu"),
        (Value::from("p-zhao"), Value::from("t-tech"), Value::from(1))
    );
    assert_eq!(
        fallback("p-zhao"),
        (Value::Null, Value::Null, Value::from(2))
    );
    assert_eq!(
        report["single_points_of_failure"],
        serde_json::json!(["p-zhao"])
    );
}

#[test]
fn order_shows_what_has_no_procedure() {
    let o = bcp(&[
        "order",
        "tests/fixtures/graph/clean.yaml",
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    let order = json(&o);
    let has: Vec<(&str, bool)> = order
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap(),
                o["has_procedure"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        has,
        [
            ("network", true),
            ("core-db", true),
            ("payments", true),
            ("reporting", false)
        ]
    );
}

/// Every rule explains itself in the user's terms, without citing internal documents.
#[test]
fn every_rule_is_explained_in_the_users_terms() {
    let list = stdout(&bcp(&["explain", "--list"]));
    for code in [
        "X001", "X002", "X003", "X004", "G007", "G008", "S002", "S003", "B006", "A001", "A002",
        "A003",
    ] {
        assert!(list.contains(&format!("{code}  ")), "{code} not listed");
    }
    for line in list.lines() {
        let code = line.split_whitespace().next().unwrap();
        let o = bcp(&["explain", code]);
        assert_eq!(status(&o), 0, "{code}");
        let text = stdout(&o);
        for internal in ["domain", "§", "seed"] {
            assert!(
                !text.contains(internal),
                "{code} cites {internal:?}:\n{text}"
            );
        }
    }
    assert!(stdout(&bcp(&["explain", "B002"])).contains("critical functions within a day"));
}
