//! How `bcp validate` reports: `--format short`, `--only`/`--skip`, repeated findings collapsed
//! in the human format, and the summary counted by code.

use crate::common::{bcp, status, stderr, stdout};
use serde_json::Value;

const TODAY: &str = "2026-11-27";
/// Two G004 errors, a G005 and a G006 warning.
const OVER_RTO: &str = "tests/fixtures/graph/G004-G006-over-rto.yaml";

fn validate(path: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["validate", path, "--today", TODAY];
    args.extend_from_slice(extra);
    bcp(&args)
}

/// The codes of the findings, in the order printed, from the JSON format.
fn codes(path: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let doc: Value = serde_json::from_str(&stdout(&validate(path, &args))).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn short_format_is_one_line_per_finding() {
    let o = validate(
        "tests/fixtures/validate/B001-rto-exceeds-mtd",
        &["--format", "short"],
    );
    assert_eq!(status(&o), 1);
    assert_eq!(
        stdout(&o),
        "tests/fixtures/validate/B001-rto-exceeds-mtd/bcp.yaml:27:10: error[B001]: function `payroll` has RTO 6d longer than its MTD 5d\n\
         1 error, 0 warnings\n"
    );

    // Every finding of the JSON format, as `file:line:col: severity[CODE]: message`.
    let o = validate(OVER_RTO, &["--format", "short"]);
    assert_eq!(status(&o), 1);
    let doc: Value =
        serde_json::from_str(&stdout(&validate(OVER_RTO, &["--format", "json"]))).unwrap();
    let mut expected: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}[{}]: {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(expected.len(), 4);
    expected.push("2 errors, 2 warnings: 2 G004, 1 G005, 1 G006".to_string());
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), expected);
}

#[test]
fn only_and_skip_take_codes_and_families() {
    assert_eq!(codes(OVER_RTO, &[]), ["G004", "G004", "G005", "G006"]);
    assert_eq!(codes(OVER_RTO, &["--only", "G004"]), ["G004", "G004"]);
    assert_eq!(codes(OVER_RTO, &["--only", "g005,G006"]), ["G005", "G006"]);
    assert_eq!(
        codes(OVER_RTO, &["--only", "G", "--skip", "G004"]),
        ["G005", "G006"]
    );
    assert_eq!(codes(OVER_RTO, &["--skip", "G00"]), Vec::<String>::new());
    assert_eq!(
        codes(OVER_RTO, &["--skip", "G005", "--skip", "G006"]),
        ["G004", "G004"]
    );

    // What is left out does not count: without the errors, warnings alone pass.
    let o = validate(OVER_RTO, &["--skip", "G004", "--format", "short"]);
    assert_eq!(status(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).ends_with(
            "\n0 errors, 2 warnings: 1 G005, 1 G006 (2 findings left out by --only/--skip)\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = validate(OVER_RTO, &["--only", "C", "--format", "json"]);
    assert_eq!(status(&o), 0);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["summary"]["not_shown"], 4);

    // A prefix that starts no code is a usage error, with the nearest code.
    let o = validate(OVER_RTO, &["--only", "G0004"]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).starts_with("error: no rule code starts with `G0004`; did you mean `G004`?"),
        "{}",
        stderr(&o)
    );
}

/// What did not load was not checked: `--only`/`--skip` never hide load problems.
#[test]
fn load_problems_are_always_reported() {
    let o = validate(
        "tests/fixtures/load/malformed.yaml",
        &["--skip", "L", "--format", "short"],
    );
    assert_eq!(status(&o), 1);
    assert!(stdout(&o).contains(": error[L001]: "), "{}", stdout(&o));
}

/// A fresh scaffold holds well over a hundred `TODO`s: the human format shows five, then counts
/// the rest in one line; the short and JSON formats list every one.
#[test]
fn repeated_findings_collapse_in_the_human_format() {
    let temp = tempfile::tempdir().unwrap();
    let plan = temp.path().join("plan");
    let plan = plan.to_str().unwrap();
    let o = bcp(&["init", plan, "--template", "standard", "--today", TODAY]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));

    let all = codes(plan, &[]);
    assert!(
        all.len() > 100 && all.iter().all(|c| c == "M004"),
        "{all:?}"
    );
    let total = all.len();

    let o = validate(plan, &[]);
    assert_eq!(status(&o), 1);
    let human = stdout(&o);
    assert_eq!(human.matches("error[M004]").count(), 5, "{human}");
    let tail = format!(
        "\n... and {} more M004 findings (placeholder) in 9 files; `--max-per-code 0` shows them all\n\n\
         {total} errors, 0 warnings: {total} M004\n",
        total - 5
    );
    assert!(human.ends_with(&tail), "{human}");

    let o = validate(plan, &["--max-per-code", "2"]);
    assert_eq!(stdout(&o).matches("error[M004]").count(), 2);
    let o = validate(plan, &["--max-per-code", "0"]);
    let human = stdout(&o);
    assert_eq!(human.matches("error[M004]").count(), total);
    assert!(!human.contains("more M004"));

    let o = validate(plan, &["--format", "short"]);
    assert_eq!(stdout(&o).lines().count(), total + 1);
}

#[test]
fn the_summary_counts_by_code() {
    let o = validate("tests/fixtures/graph/C001-C003-calltree.yaml", &[]);
    assert!(
        stdout(&o).ends_with("\n1 error, 2 warnings: 1 C001, 1 C002, 1 C003\n"),
        "{}",
        stdout(&o)
    );
    let o = validate(OVER_RTO, &["--format", "github"]);
    assert!(stdout(&o).ends_with("\n2 errors, 2 warnings: 2 G004, 1 G005, 1 G006\n"));
    let doc: Value =
        serde_json::from_str(&stdout(&validate(OVER_RTO, &["--format", "json"]))).unwrap();
    assert_eq!(
        doc["summary"],
        serde_json::json!({"errors": 2, "warnings": 2, "accepted": 0, "by_code": {"G004": 2, "G005": 1, "G006": 1}, "not_shown": 0})
    );
}

/// Scenario findings (X) and findings an exception accepts read in the short format as in the
/// human one: an accepted finding is marked `accepted` with who accepted it until when, and the
/// summary counts it apart from the findings that count. `--only`/`--skip` select them by code.
#[test]
fn short_format_marks_accepted_findings_and_selects_scenario_findings() {
    const EXCEPTIONS: &str = "tests/fixtures/validate/A001-A003-exceptions";
    const SCENARIOS: &str = "tests/fixtures/graph/X001-X004-scenarios.yaml";
    let o = validate(EXCEPTIONS, &["--format", "short", "--only", "B"]);
    assert_eq!(status(&o), 1);
    assert_eq!(
        stdout(&o),
        "tests/fixtures/validate/A001-A003-exceptions/bcp.yaml:25:9: accepted[B004]: critical function `archive` has no recovery procedure (accepted until 2027-06-30 by `p-deputy`)\n\
         tests/fixtures/validate/A001-A003-exceptions/bcp.yaml:31:9: error[B004]: critical function `ledger-close` has no recovery procedure\n\
         1 error, 0 warnings: 1 B004; 1 accepted by exceptions: 1 B004 (3 findings left out by --only/--skip)\n"
    );

    // Only the accepted finding left: nothing counts, so the run passes. (The bank plan is
    // written in Chinese, so its findings are too unless `--lang` says otherwise.)
    let o = validate(
        "examples/bank",
        &["--format", "short", "--only", "X", "--lang", "en"],
    );
    assert_eq!(status(&o), 0, "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("examples/bank/bia/retail.yaml:")
            && out.contains(": accepted[X004]: in scenario `sc-epidemic`"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "\nno problems found; 1 accepted by exceptions (8 findings left out by --only/--skip)\n"
        ),
        "{out}"
    );

    let o = validate(SCENARIOS, &["--format", "short", "--only", "X"]);
    assert_eq!(status(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    assert!(
        lines[..6].iter().all(|l| l.starts_with(SCENARIOS)
            && l.contains(": error[X00")
            && l.contains("in scenario `")),
        "{out}"
    );
    assert_eq!(
        lines[6],
        "6 errors, 0 warnings: 2 X001, 2 X003, 1 X002, 1 X004"
    );
    assert_eq!(
        codes(SCENARIOS, &["--only", "X"]).len(),
        6,
        "the JSON format selects the same findings"
    );
    let o = validate(SCENARIOS, &["--format", "short", "--skip", "X"]);
    assert_eq!(status(&o), 0);
    assert_eq!(
        stdout(&o),
        "no problems found (6 findings left out by --only/--skip)\n"
    );
}
