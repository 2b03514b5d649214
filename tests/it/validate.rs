//! `bcp validate`: exit codes, codes and positions in every output format.

use crate::common::{bcp, status, stderr, stdout};
use serde_json::Value;

const TODAY: &str = "2026-11-27";

/// Runs `bcp validate PATH --today TODAY --format FORMAT`.
fn validate(path: &str, format: &str) -> std::process::Output {
    bcp(&["validate", path, "--today", TODAY, "--format", format])
}

/// One expected finding: code, file, line, column.
type Finding = (&'static str, &'static str, u32, u32);

/// Asserts that the plan yields exactly these findings (and exit status), in all four formats.
fn assert_findings(path: &str, exit: i32, expected: &[Finding]) {
    // JSON: the exact set of findings, nothing else.
    let o = validate(path, "json");
    assert_eq!(status(&o), exit, "{path}: {}", stdout(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let found: Vec<(String, String, u64, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64, u64)> = expected
        .iter()
        .map(|(c, f, l, col)| (c.to_string(), f.to_string(), u64::from(*l), u64::from(*col)))
        .collect();
    assert_eq!(found, want, "{path}: findings in JSON");
    let summary = &doc["summary"];
    assert_eq!(
        summary["errors"].as_u64().unwrap() + summary["warnings"].as_u64().unwrap(),
        expected.len() as u64
    );

    // Human: `error[CODE]: ...` then `--> file:line:col`.
    let o = validate(path, "human");
    assert_eq!(status(&o), exit);
    let human = stdout(&o);
    for (code, file, line, col) in expected {
        assert!(
            human.contains(&format!("[{code}]: "))
                && human.contains(&format!("--> {file}:{line}:{col}\n")),
            "{path}: human output lacks {code} at {file}:{line}:{col}:\n{human}"
        );
    }

    // GitHub workflow commands.
    let o = validate(path, "github");
    assert_eq!(status(&o), exit);
    let gh = stdout(&o);
    for (code, file, line, col) in expected {
        let wanted = format!(" file={file},line={line},col={col},title={code}::");
        assert!(
            gh.lines()
                .any(|l| l.starts_with("::") && l.contains(&wanted)),
            "{path}: github output lacks `{wanted}`:\n{gh}"
        );
    }

    // SARIF 2.1.0.
    let o = validate(path, "sarif");
    assert_eq!(status(&o), exit);
    let sarif: Value = serde_json::from_str(&stdout(&o)).expect("valid SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), expected.len(), "{path}: SARIF result count");
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for ((code, file, line, col), result) in expected.iter().zip(results) {
        assert_eq!(result["ruleId"], *code);
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize], *code);
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], *file);
        assert_eq!(loc["region"]["startLine"], *line);
        assert_eq!(loc["region"]["startColumn"], *col);
    }
}

macro_rules! fixture_cases {
    ($($name:ident: $dir:literal => exit $exit:literal, [$(($code:literal, $line:literal, $col:literal)),* $(,)?];)*) => {$(
        #[test]
        fn $name() {
            let path = concat!("tests/fixtures/validate/", $dir);
            let _file = concat!("tests/fixtures/validate/", $dir, "/bcp.yaml");
            assert_findings(path, $exit, &[$(($code, _file, $line, $col)),*]);
        }
    )*};
}

fixture_cases! {
    valid_minimal_plan_passes: "valid-minimal" => exit 0, [];
    duplicate_id: "R001-duplicate-id" => exit 1, [("R001", 23, 9)];
    unknown_reference: "R002-unknown-reference" => exit 1, [("R002", 25, 12)];
    wrong_kind_reference: "R003-wrong-kind" => exit 1, [("R003", 31, 17)];
    team_without_second_lead: "T001-team-without-second-lead" => exit 1, [("T001", 23, 9)];
    same_person_both_leads: "T002-same-lead-twice" => exit 1, [("T002", 27, 18)];
    person_without_contact: "T003-no-contact" => exit 1, [("T003", 17, 9)];
    call_tree_misses_member: "T004-call-tree-misses-member" => exit 1, [("T004", 27, 18)];
    call_tree_loop: "T005-call-tree-loop" => exit 1, [("T005", 34, 23)];
    teams_without_call_tree: "T006-no-call-tree" => exit 1, [("T006", 23, 9)];
    rto_exceeds_mtd: "B001-rto-exceeds-mtd" => exit 1, [("B001", 27, 10)];
    rto_outside_tier_is_a_warning: "B002-rto-outside-tier" => exit 0, [("B002", 27, 10)];
    critical_without_owner_or_procedure: "B003-B004-critical-without-owner-or-procedure" => exit 1, [("B003", 23, 9), ("B004", 23, 9)];
    backup_misses_rpo: "D001-backup-misses-rpo" => exit 1, [("D001", 30, 16)];
    critical_supplier_spof: "S001-critical-supplier-spof" => exit 1, [("S001", 23, 9)];
    review_overdue: "M001-review-overdue" => exit 1, [("M001", 9, 20)];
    no_recent_exercise: "M002-no-recent-exercise" => exit 1, [("M002", 20, 11)];
    action_overdue: "M003-action-overdue" => exit 1, [("M003", 28, 16)];
    placeholder_left: "M004-placeholder" => exit 1, [("M004", 4, 18)];
    numbers_off_their_scale: "V001-out-of-range" => exit 1, [("V001", 26, 17), ("V001", 27, 13)];
    supplier_switch_over_and_stale_assessment: "S002-S003-supplier-switch-over-and-assessment" => exit 1, [("S003", 59, 19), ("S002", 61, 18)];
    headcount_below_minimum: "B006-headcount-below-minimum" => exit 1, [("B006", 30, 18)];
    rpo_may_be_not_applicable: "rpo-not-applicable" => exit 0, [];
}

#[test]
fn supplier_findings_name_the_function_and_the_age() {
    let o = validate(
        "tests/fixtures/validate/S002-S003-supplier-switch-over-and-assessment",
        "human",
    );
    let text = stdout(&o);
    assert!(text.contains("error[S002]: supplier `carrier` takes 1d to switch over to its alternate, longer than the RTO of 4h of critical function `payments` that needs it and its MTD of 8h"), "{text}");
    assert!(text.contains("`payments` must be back within 4h"), "{text}");
    assert!(text.contains("warning[S003]: supplier `carrier` is marked critical, but its BCP was last assessed on 2023-05-01, more than 24 months ago"), "{text}");

    // The plan sets its own interval; S001 names the function that makes a supplier critical.
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string(
        "tests/fixtures/validate/S002-S003-supplier-switch-over-and-assessment/bcp.yaml",
    )
    .unwrap()
    .replace(
        "  review:\n",
        "  supplier_assessment_months: 48\n  review:\n",
    )
    .replace("    critical: true\n", "")
    .replace(
        "    depends_on: {systems: [network]}",
        "    depends_on: {systems: [network], suppliers: [printer]}",
    ) + "  - id: printer\n    name: Print shop\n    supplies: Statements\n";
    std::fs::write(dir.path().join("bcp.yaml"), plan).unwrap();
    let o = bcp(&["validate", dir.path().to_str().unwrap(), "--today", TODAY]);
    let text = stdout(&o);
    assert!(!text.contains("[S003]"), "{text}");
    assert!(text.contains("error[S001]: supplier `printer` serves critical function `payments` but has no alternate and no assessed BCP"), "{text}");
}

/// An accepted finding is reported in every format with the exception that accepts it, and
/// counted apart; expired, unused and unacceptable exceptions are findings of their own.
#[test]
fn exceptions_accept_findings_in_every_format() {
    let path = "tests/fixtures/validate/A001-A003-exceptions";
    let file = "tests/fixtures/validate/A001-A003-exceptions/bcp.yaml";
    let o = validate(path, "json");
    assert_eq!(status(&o), 1);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(&str, u64, bool)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["accepted"].is_object(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("B004", 25, true),
            ("B004", 31, false),
            ("A001", 47, false),
            ("A002", 48, false),
            ("A003", 53, false),
        ]
    );
    let accepted = &doc["diagnostics"][0];
    assert_eq!(accepted["target"], "archive");
    assert_eq!(accepted["accepted"]["file"], file);
    assert_eq!(accepted["accepted"]["line"], 38);
    assert_eq!(accepted["accepted"]["column"], 11);
    assert_eq!(accepted["accepted"]["approved_by"], "p-deputy");
    assert_eq!(accepted["accepted"]["expires"], "2027-06-30");
    assert_eq!(
        accepted["accepted"]["reason"],
        "The archive runs on paper; a written procedure is due with the new records system."
    );
    assert_eq!(
        doc["summary"],
        serde_json::json!({
            "errors": 3,
            "warnings": 1,
            "accepted": 1,
            "by_code": {"A001": 1, "A002": 1, "A003": 1, "B004": 2},
            "not_shown": 0
        })
    );

    let text = stdout(&validate(path, "human"));
    assert!(
        text.contains("accepted[B004]: critical function `archive` has no recovery procedure\n"),
        "{text}"
    );
    assert!(text.contains(&format!("::: {file}:38:11")), "{text}");
    assert!(
        text.contains("accepted until 2027-06-30 by `p-deputy`"),
        "{text}"
    );
    assert!(
        text.contains("accepted: The archive runs on paper"),
        "{text}"
    );
    assert!(
        text.contains(
            "error[A001]: the exception for B004 on `ledger-close` expired on 2026-10-31"
        ),
        "{text}"
    );
    assert!(
        text.contains("warning[A002]: the exception for B001 on `archive` matches no finding"),
        "{text}"
    );
    assert!(
        text.contains("error[A003]: findings of rule `R002` cannot be accepted"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "\n3 errors, 1 warning: 1 A001, 1 A002, 1 A003, 1 B004; 1 accepted by exceptions: 1 B004\n"
        ),
        "{text}"
    );

    let gh = stdout(&validate(path, "github"));
    assert!(
        gh.lines().any(|l| l.starts_with(&format!(
            "::notice file={file},line=25,col=9,title=B004 (accepted)::critical function `archive`"
        ))),
        "{gh}"
    );
    assert!(
        gh.lines()
            .any(|l| l.starts_with(&format!("::error file={file},line=31,col=9,title=B004::"))),
        "{gh}"
    );

    let sarif: Value = serde_json::from_str(&stdout(&validate(path, "sarif"))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    let s = &suppressed[0]["suppressions"][0];
    assert_eq!(s["kind"], "inSource");
    assert_eq!(s["status"], "accepted");
    assert!(
        s["justification"]
            .as_str()
            .unwrap()
            .starts_with("The archive runs on paper")
    );
    assert_eq!(s["location"]["physicalLocation"]["region"]["startLine"], 38);
}

/// A plan whose only gap is accepted passes; the accepted finding is still listed.
#[test]
fn an_accepted_gap_does_not_fail_validate() {
    let dir = tempfile::tempdir().unwrap();
    let plan =
        std::fs::read_to_string("tests/fixtures/validate/A001-A003-exceptions/bcp.yaml").unwrap();
    let cut = plan.find("  - id: ledger-close").unwrap();
    let exceptions = plan.find("exceptions:").unwrap();
    let second = plan
        .find("  - code: B004\n    target: ledger-close")
        .unwrap();
    let plan = format!("{}{}", &plan[..cut], &plan[exceptions..second]);
    std::fs::write(dir.path().join("bcp.yaml"), plan).unwrap();
    let o = bcp(&[
        "validate",
        dir.path().to_str().unwrap(),
        "--today",
        TODAY,
        "--deny-warnings",
    ]);
    assert_eq!(status(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).starts_with("accepted[B004]"), "{}", stdout(&o));
    assert!(
        stdout(&o).ends_with("no problems found; 1 accepted by exceptions\n"),
        "{}",
        stdout(&o)
    );
    // Once it expires, the gap counts again.
    let o = bcp(&[
        "validate",
        dir.path().to_str().unwrap(),
        "--today",
        "2027-07-01",
        "--format",
        "json",
    ]);
    assert_eq!(status(&o), 1);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"B004") && codes.contains(&"A001"),
        "{codes:?}"
    );
    assert_eq!(doc["summary"]["accepted"], 0);
}

/// An exception's references are checked like any other, after the analysis.
#[test]
fn exception_references_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string("tests/fixtures/validate/valid-minimal/bcp.yaml").unwrap()
        + "exceptions:\n  - code: x001\n    target: paymnts\n    scenario: sc-none\n    reason: r\n    approved_by: ex-tabletop\n    expires: 2027-01-01\n  - code: G04\n    target: p-owner\n    reason: r\n    approved_by: p-owner\n    expires: 2027-01-01\n";
    std::fs::write(dir.path().join("bcp.yaml"), plan).unwrap();
    let o = bcp(&["validate", dir.path().to_str().unwrap(), "--today", TODAY]);
    let text = stdout(&o);
    assert_eq!(status(&o), 1, "{text}");
    assert!(text.contains("error[R003]: the approver of an exception must be a person, but `ex-tabletop` is an exercise"), "{text}");
    assert!(
        text.contains("error[R002]: unknown id `paymnts` in the target of an exception"),
        "{text}"
    );
    assert!(
        text.contains("error[R002]: unknown scenario `sc-none` in an exception"),
        "{text}"
    );
    assert!(text.contains("error[A003]: no rule `G04`"), "{text}");
    assert!(text.contains("did you mean `G004`?"), "{text}");
    assert!(
        text.contains("help: define an id with `id: paymnts`, or fix the reference"),
        "{text}"
    );
}

#[test]
fn deny_warnings_fails_on_a_warning() {
    let o = bcp(&[
        "validate",
        "tests/fixtures/validate/B002-rto-outside-tier",
        "--today",
        TODAY,
        "--deny-warnings",
    ]);
    assert_eq!(status(&o), 1);
    assert!(
        stdout(&o).ends_with("0 errors, 1 warning\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn today_changes_date_findings() {
    // Reviewed and exercised on 2026-06-01, on a 12-month cycle.
    let path = "tests/fixtures/validate/valid-minimal";
    assert_eq!(
        status(&bcp(&["validate", path, "--today", "2027-05-31"])),
        0
    );
    let o = bcp(&[
        "validate",
        path,
        "--today",
        "2027-06-02",
        "--format",
        "json",
    ]);
    assert_eq!(status(&o), 1);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["M001", "M002"]);
}

macro_rules! load_cases {
    ($($name:ident: $file:literal => $code:literal at $line:literal:$col:literal;)*) => {$(
        #[test]
        fn $name() {
            let path = concat!("tests/fixtures/load/", $file);
            assert_findings(path, 1, &[($code, path, $line, $col)]);
        }
    )*};
}

load_cases! {
    malformed_yaml: "malformed.yaml" => "L001" at 2:10;
    wrong_type: "wrong-type.yaml" => "L002" at 8:22;
    impossible_date: "bad-date.yaml" => "L002" at 9:20;
    duration_without_unit: "duration-without-unit.yaml" => "L002" at 6:10;
    empty_file: "empty.yaml" => "L003" at 1:1;
    alias_bomb: "alias-bomb.yaml" => "L004" at 9:1;
    deep_nesting: "deep-nesting.yaml" => "L002" at 1:7;
    invalid_utf8: "not-utf8.yaml" => "L005" at 2:18;
    duplicate_key: "duplicate-key.yaml" => "L002" at 4:3;
    several_documents: "several-documents.yaml" => "L001" at 7:1;
}

#[test]
fn plan_section_written_twice() {
    assert_findings(
        "tests/fixtures/load/twice",
        1,
        &[("L006", "tests/fixtures/load/twice/second.yaml", 3, 3)],
    );
}

#[test]
fn plan_without_plan_section() {
    assert_findings(
        "tests/fixtures/load/no-plan-section",
        1,
        &[("L007", "tests/fixtures/load/no-plan-section/bcp.yaml", 1, 1)],
    );
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let o = validate("tests/fixtures/unknown-key.yaml", "human");
    assert_eq!(status(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("error[L002]: unknown key `titl`"), "{out}");
    assert!(
        out.contains("--> tests/fixtures/unknown-key.yaml:3:3"),
        "{out}"
    );
    assert!(out.contains("help: did you mean `title`?"), "{out}");
}

#[test]
fn missing_path_is_an_io_error() {
    let o = bcp(&["validate", "tests/fixtures/does-not-exist"]);
    assert_eq!(status(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: cannot read `tests/fixtures/does-not-exist`: no such file or directory\n"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn folder_without_bcp_yaml_is_refused() {
    let o = bcp(&["validate", "tests/fixtures/load/empty-folder"]);
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("holds no `bcp.yaml`"), "{}", stderr(&o));
}

#[test]
fn bad_today_is_a_usage_error() {
    let o = bcp(&[
        "validate",
        "tests/fixtures/validate/valid-minimal",
        "--today",
        "2026-02-30",
    ]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("is not a day of the calendar"),
        "{}",
        stderr(&o)
    );
}

/// The human format, reviewed as a whole: snippet, labels on secondary places, help.
#[test]
fn human_output_snapshots() {
    for dir in [
        "R001-duplicate-id",
        "B001-rto-exceeds-mtd",
        "T005-call-tree-loop",
        "R002-unknown-reference",
    ] {
        let o = validate(&format!("tests/fixtures/validate/{dir}"), "human");
        insta::assert_snapshot!(dir, stdout(&o));
    }
}

#[test]
fn explain_prints_the_rule() {
    let o = bcp(&["explain", "b001"]);
    assert_eq!(status(&o), 0);
    let out = stdout(&o);
    assert!(out.starts_with("B001 (rto-exceeds-mtd): a function's RTO is longer than its maximum tolerable downtime\nseverity: error\n"), "{out}");
    let o = bcp(&["explain", "B01"]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `B001`?"),
        "{}",
        stderr(&o)
    );
    let o = bcp(&["explain", "--list"]);
    assert_eq!(status(&o), 0);
    assert!(stdout(&o).lines().count() >= 25);
}
