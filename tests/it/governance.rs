//! `bcp cost`, `bcp diff` and `bcp audit` (with `validate --profile`): every cost finding,
//! every kind of change, every profile check, on the fixture plans in
//! `tests/fixtures/governance/`.

use crate::common::{bcp, bcp_in, root, status, stderr, stdout};
use serde_json::Value;

const TODAY: &str = "2026-11-27";
const OLD: &str = "tests/fixtures/governance/old.yaml";
const NEW: &str = "tests/fixtures/governance/new.yaml";

fn json(args: &[&str]) -> (i32, Value) {
    let o = bcp(args);
    let code = status(&o);
    let doc = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{}{}", stdout(&o), stderr(&o)));
    (code, doc)
}

/// (code, line, target) of every finding of `validate --format json`.
fn findings(doc: &Value) -> Vec<(String, u64, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["target"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_cost_finding_at_its_place() {
    let (code, doc) = json(&["validate", OLD, "--today", TODAY, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&doc),
        vec![
            // The archive's replica costs EUR 500,000 a year; it can save at most 1000/day x
            // (1w - 1d) x 0.02 incidents = EUR 120.
            ("F003".into(), 70, "archive".into()),
            // st-warm (3h, EUR 50,000) meets the 4h RTO for less than st-hot (EUR 100,000).
            ("F002".into(), 100, "payments".into()),
            // st-remote is chosen and takes 1d against the 4h RTO.
            ("F001".into(), 112, "payments".into()),
        ]
    );
    let messages: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].contains("EUR 500,000 a year, more than the EUR 120 a year"));
    assert!(messages[2].contains("`st-remote` recovers `payments` in 1d, over its RTO 4h"));
}

#[test]
fn cost_findings_are_accepted_by_exceptions() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(root().join(OLD)).unwrap();
    text.push_str(
        "exceptions:\n  - code: F001\n    target: payments\n    reason: regional fallback, slower by design\n    approved_by: p-owner\n    expires: 2027-06-30\n",
    );
    std::fs::write(dir.path().join("plan.yaml"), text).unwrap();
    let o = bcp_in(dir.path(), &["validate", "plan.yaml", "--today", TODAY]);
    assert_eq!(
        status(&o),
        0,
        "F002 and F003 are warnings, F001 is accepted"
    );
    let out = stdout(&o);
    assert!(out.contains("accepted[F001]"), "{out}");
    assert!(
        out.ends_with("0 errors, 2 warnings: 1 F002, 1 F003; 1 accepted by exceptions: 1 F001\n"),
        "{out}"
    );
}

#[test]
fn cost_table_and_json() {
    let (code, doc) = json(&["cost", OLD, "--today", TODAY, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["currency"], "EUR");
    let payments = &doc["functions"][0];
    assert_eq!(payments["id"], "payments");
    assert_eq!(payments["incidents_per_year"], 1.0);
    let ids: Vec<&str> = payments["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["st-hot", "st-warm", "st-remote"], "fastest first");
    let hot = &payments["options"][0];
    // 2h of 480,000 a day = 40,000 a time, once a year; plus the whole 100,000.
    assert_eq!(hot["loss_per_incident"], 40000);
    assert_eq!(hot["expected_annual_loss"], 40000);
    assert_eq!(hot["total"], 140_000);
    assert_eq!(hot["meets_rto"], true);
    // st-warm: 50,000 + 60,000 = 110,000, the lowest yearly total.
    assert_eq!(payments["balance"], "st-warm");
    let o = bcp(&["cost", OLD, "--today", TODAY]);
    assert_eq!(status(&o), 0);
    let text = stdout(&o);
    assert!(text.contains("payments (critical): Payments, RTO 4h, MTD 8h, loss per day 480,000, 1 incidents a year (r-outage)"), "{text}");
    assert!(text.contains("110,000 <- balance"), "{text}");
}

#[test]
fn diff_reports_every_kind_of_change() {
    let (code, doc) = json(&["diff", OLD, NEW, "--today", TODAY, "--format", "json"]);
    assert_eq!(code, 0);
    let changes: Vec<(String, String, String, String)> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["id"].as_str().unwrap().to_string(),
                c["field"].as_str().unwrap_or_default().to_string(),
                c["effect"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let has = |kind: &str, id: &str, field: &str, effect: &str| {
        assert!(
            changes.contains(&(kind.into(), id.into(), field.into(), effect.into())),
            "missing ({kind}, {id}, {field}, {effect}) in {changes:#?}"
        );
    };
    has("added", "p-new", "", "");
    has("added", "st-cloud", "", "");
    has("removed", "st-remote", "", "");
    has("renamed", "p-tech", "name", "");
    has("changed", "payments", "rto", "tightened");
    has("changed", "archive", "mtd", "loosened");
    has("changed", "proc-core", "steps[failover].duration", "");
    has("changed", "t-tech", "members", "");
    has("call_tree", "p-new", "called_by", "joined");
    has("call_tree", "p-tech", "called_by", "moved");
    has("achievable", "payments", "achievable", "slower");
    let rto = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "payments" && c["field"] == "rto")
        .unwrap();
    assert_eq!(
        (&rto["old"], &rto["new"]),
        (&Value::from("4h"), &Value::from("3h"))
    );
    // Positions point into the new version, at the field.
    assert_eq!(rto["file"], NEW);
    assert_eq!(rto["line"], 66);
    let codes = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&doc["findings"]["new"]), ["C001", "F002", "G004"]);
    assert_eq!(codes(&doc["findings"]["fixed"]), ["F001"]);
}

#[test]
fn diff_fail_on_and_formats() {
    // (old, new, --fail-on, exit status, why)
    let cases = [
        (OLD, NEW, "loosened", 1, "archive's MTD was loosened"),
        (OLD, NEW, "new-findings", 1, "G004 is new"),
        (NEW, OLD, "new-findings", 1, "F001 comes back"),
        (OLD, OLD, "loosened,new-findings", 0, "nothing changed"),
    ];
    for (old, new, fail_on, exit, why) in cases {
        let o = bcp(&["diff", old, new, "--today", TODAY, "--fail-on", fail_on]);
        assert_eq!(status(&o), exit, "{why}");
    }
    let o = bcp(&["diff", OLD, OLD, "--today", TODAY]);
    assert!(stdout(&o).contains("0 added, 0 removed"));
    let o = bcp(&["diff", OLD, NEW, "--today", TODAY, "--format", "markdown"]);
    assert_eq!(status(&o), 0);
    let md = stdout(&o);
    assert!(
        md.starts_with("### Plan changes: tests/fixtures/governance/old.yaml → "),
        "{md}"
    );
    assert!(md.contains("> **1 objective loosened**"), "{md}");
    assert!(md.contains("| function `payments` | rto | 4h | 3h | **tightened** | `tests/fixtures/governance/new.yaml:66` |"), "{md}");
    assert!(
        md.contains("- error **G004**: system \\`core\\` cannot be recovered"),
        "{md}"
    );
    let human = stdout(&bcp(&["diff", OLD, NEW, "--today", TODAY]));
    assert!(
        human.contains("`p-tech` is now called by p-deputy (was p-owner)"),
        "{human}"
    );
    // Usage errors exit 2 with a hint.
    let o = bcp(&["diff", OLD]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("give two plans to compare"),
        "{}",
        stderr(&o)
    );
}

/// Runs git in `dir` with a fixed identity; the test fails when git does.
fn git(dir: &std::path::Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn diff_reads_git_revisions_without_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| git(dir.path(), args);
    let plan = dir.path().join("plan");
    std::fs::create_dir(&plan).unwrap();
    std::fs::copy(root().join(OLD), plan.join("bcp.yaml")).unwrap();
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "old"]);
    let mut new = std::fs::read_to_string(root().join(OLD)).unwrap();
    new = new.replace(
        "        - person: p-deputy\n        - person: p-tech\n",
        "        - person: p-deputy\n",
    );
    new = new.replace("    members: [p-tech]", "    members: [p-deputy]");
    std::fs::write(plan.join("bcp.yaml"), new).unwrap();
    git(&["commit", "-qam", "p-tech leaves the team"]);
    // The working tree changes too, but HEAD~1..HEAD reads only the commits.
    std::fs::write(plan.join("bcp.yaml"), "not: a plan\n").unwrap();
    let o = bcp_in(
        dir.path(),
        &[
            "diff",
            "--git",
            "HEAD~1..HEAD",
            "plan",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let left = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "call_tree")
        .expect("a call-tree change");
    assert_eq!(left["id"], "p-tech");
    assert_eq!(left["effect"], "left");
    let member = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "members")
        .unwrap();
    assert_eq!(member["file"], "HEAD:plan/bcp.yaml");
    // A revision that does not exist: exit 2, git's message.
    let o = bcp_in(dir.path(), &["diff", "--git", "nope..HEAD", "plan"]);
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("git"), "{}", stderr(&o));
}

#[test]
fn document_control_lists_the_changes_since_the_approved_version() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan");
    std::fs::create_dir(&plan).unwrap();
    let approved = std::fs::read_to_string(root().join(OLD)).unwrap().replace(
        "  currency: EUR\n",
        "  currency: EUR\n  approvals:\n    - {by: p-owner, date: 2026-06-02, version: \"1.0\"}\n",
    );
    std::fs::write(plan.join("bcp.yaml"), &approved).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "1.0, approved"]);
    // Version 1.1 in the working tree: the RTO of payments tightened, the archive's MTD
    // loosened, Tara Tech now called by her deputy.
    let next = std::fs::read_to_string(root().join(NEW)).unwrap().replace(
        "  currency: EUR\n",
        "  currency: EUR\n  approvals:\n    - {by: p-owner, date: 2026-06-02, version: \"1.0\"}\n",
    );
    std::fs::write(plan.join("bcp.yaml"), &next).unwrap();
    let render = |format: &str| {
        let out = format!("full.{format}");
        let o = bcp_in(
            dir.path(),
            &[
                "render", "plan", "--doc", "full", "--format", format, "--force", "--today", TODAY,
                "--out", &out,
            ],
        );
        assert!(status(&o) <= 1, "{}", stderr(&o));
        std::fs::read_to_string(dir.path().join(out)).unwrap()
    };
    let md = render("md");
    assert!(
        md.contains("**Changes since approved version 1.0** (Olivia Owner, 2026-06-02)"),
        "{md}"
    );
    assert!(md.contains("· **Objectives loosened: 1**"), "{md}");
    assert!(
        md.contains("| Payments | rto | 4h | 3h | tightened |"),
        "{md}"
    );
    assert!(
        md.contains("| Archive | mtd | 1w | 2w | loosened |"),
        "{md}"
    );
    assert!(
        md.contains("| Tara Tech-Smith | called_by | p-owner | p-deputy | moved |"),
        "{md}"
    );
    let html = render("html");
    assert!(
        html.contains(r#"<td class="change-loosened">loosened</td>"#),
        "{html}"
    );
    // Approved as 0.9, a version the history does not have: said so, nothing invented.
    std::fs::write(
        plan.join("bcp.yaml"),
        next.replace("version: \"1.0\"}", "version: \"0.9\"}"),
    )
    .unwrap();
    let md = render("md");
    assert!(
        md.contains("This version is not in the plan's git history"),
        "{md}"
    );
    // The approved version itself, unchanged: no changes listed.
    std::fs::write(plan.join("bcp.yaml"), &approved).unwrap();
    let md = render("md");
    assert!(
        md.contains("No changes since the approved version (Compared with commit `"),
        "{md}"
    );
    // Outside git, document control has no change log.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("bcp.yaml"), &approved).unwrap();
    let o = bcp_in(
        elsewhere.path(),
        &[
            "render", ".", "--format", "md", "--force", "--today", TODAY, "--out", "full.md",
        ],
    );
    assert!(status(&o) <= 1, "{}", stderr(&o));
    let md = std::fs::read_to_string(elsewhere.path().join("full.md")).unwrap();
    assert!(md.contains("**Approvals**"), "{md}");
    assert!(!md.contains("Changes since approved version"), "{md}");
}

/// A profile exercising every check kind, in the plan folder's `profiles/` (which also tests
/// the override), with its expected status per requirement.
const PROFILE: &str = r#"
id: test
title: {en: Test profile, zh-CN: 测试}
parameters:
  rto_max: {description: {en: max RTO, zh-CN: 最大 RTO}}
  months: {description: {en: months, zh-CN: 月}, default: "12"}
requirements:
  - {id: section-met, clause: "1", title: {en: risks, zh-CN: 风险}, check: {kind: section, section: risks}}
  - {id: section-unmet, clause: "2", title: {en: suppliers, zh-CN: 供应商}, check: {kind: section, section: suppliers}}
  - {id: field-met, clause: "3", title: {en: owner, zh-CN: 负责人}, check: {kind: function_field, field: owner}}
  - {id: field-na, clause: "4", title: {en: desirable, zh-CN: 有利}, check: {kind: function_field, field: owner, tiers: [desirable]}}
  - {id: system-unmet, clause: "5", title: {en: config, zh-CN: 配置}, check: {kind: system_field, field: config_backed_up}}
  - {id: rto-missing, clause: "6", title: {en: rto, zh-CN: rto}, check: {kind: max_rto, max: $rto_max}}
  - {id: rpo-unmet, clause: "7", title: {en: rpo, zh-CN: rpo}, check: {kind: max_rpo, max: 15m}}
  - {id: exercise-met, clause: "8", title: {en: exercise, zh-CN: 演练}, check: {kind: exercise_within, months: $months}}
  - {id: review-unmet, clause: "9", title: {en: review, zh-CN: 评审}, check: {kind: review_within, months: "3"}}
  - {id: restore-met, clause: "10", title: {en: restore, zh-CN: 恢复}, check: {kind: restore_tested_within, months: "12"}}
  - {id: level-unmet, clause: "11", title: {en: level, zh-CN: 等级}, check: {kind: dr_level, min: "5"}}
  - {id: team-met, clause: "12", title: {en: team, zh-CN: 团队}, check: {kind: team_kind, team: technical}}
  - {id: findings-unmet, clause: "13", title: {en: F001, zh-CN: F001}, check: {kind: no_findings, codes: [F001]}}
  - {id: priced-met, clause: "14", title: {en: priced, zh-CN: 定价}, check: {kind: strategies_priced}}
"#;

/// `bcp audit . --profile test --format json` in `dir`, with extra arguments: the exit status
/// and the document.
fn audit_json(dir: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["audit", ".", "--profile", "test", "--today", TODAY];
    args.extend(extra);
    args.extend(["--format", "json"]);
    let o = bcp_in(dir, &args);
    let doc = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}{}", stdout(&o), stderr(&o)));
    (status(&o), doc)
}

fn audit_plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(OLD), dir.path().join("bcp.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    std::fs::write(dir.path().join("profiles/test.yaml"), PROFILE).unwrap();
    dir
}

#[test]
fn every_profile_check() {
    let dir = audit_plan();
    let (exit, doc) = audit_json(dir.path(), &[]);
    assert_eq!(exit, 1, "unmet requirements: exit 1");
    assert_eq!(doc["profile"], "test");
    for r in doc["requirements"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let want = match id.rsplit('-').next().unwrap() {
            "met" => "met",
            "unmet" => "unmet",
            "na" => "not_applicable",
            "missing" => "parameter_missing",
            _ => unreachable!(),
        };
        assert_eq!(r["status"], want, "{id}: {r}");
    }
    // Evidence is file:line in the plan.
    let rpo = &doc["requirements"][6];
    assert_eq!(rpo["evidence"][0]["file"], "./bcp.yaml");
    assert_eq!(rpo["evidence"][0]["line"], 63, "{rpo}");
    // A parameter from the command line, or from the plan, makes the check run.
    let (_, doc) = audit_json(dir.path(), &["--set", "rto_max=2h"]);
    assert_eq!(
        doc["requirements"][5]["status"], "unmet",
        "payments' RTO 4h > 2h"
    );
    let (_, doc) = audit_json(dir.path(), &["--set", "rto_max=4h"]);
    assert_eq!(doc["requirements"][5]["status"], "met");
}

#[test]
fn validate_profile_findings_and_exceptions() {
    let dir = audit_plan();
    let run = |dir: &std::path::Path| {
        let o = bcp_in(
            dir,
            &[
                "validate",
                ".",
                "--profile",
                "test",
                "--today",
                TODAY,
                "--format",
                "json",
            ],
        );
        let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
        (status(&o), doc)
    };
    let (_, doc) = run(dir.path());
    let p: Vec<(String, u64, String)> = findings(&doc)
        .into_iter()
        .filter(|f| f.0.starts_with('P'))
        .collect();
    assert!(
        p.contains(&("P001".into(), 63, "rpo-unmet".into())),
        "{p:?}"
    );
    assert!(
        p.contains(&("P002".into(), 0, "rto-missing".into())),
        "{p:?}"
    );
    assert_eq!(p.iter().filter(|f| f.0 == "P001").count(), 6, "{p:?}");
    // An exception accepts a requirement like any finding, and is not reported unused
    // without --profile.
    let mut text = std::fs::read_to_string(dir.path().join("bcp.yaml")).unwrap();
    text.push_str("exceptions:\n  - code: P001\n    target: rpo-unmet\n    reason: the regulator allows 30m for this function\n    approved_by: p-owner\n    expires: 2027-06-30\n");
    std::fs::write(dir.path().join("bcp.yaml"), text).unwrap();
    let (_, doc) = run(dir.path());
    let accepted = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["target"] == "rpo-unmet")
        .unwrap();
    assert_eq!(accepted["accepted"]["approved_by"], "p-owner");
    let o = bcp_in(dir.path(), &["validate", ".", "--today", TODAY]);
    assert!(!stdout(&o).contains("A002"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("R002"), "{}", stdout(&o));
}

#[test]
fn builtin_profiles_list_and_errors() {
    let o = bcp(&["audit", "--list"]);
    assert_eq!(status(&o), 0);
    let list = stdout(&o);
    for name in ["iso-22301", "nist-sp-800-34", "gb-t-20988", "cn-bank-bcm"] {
        assert!(list.contains(name), "{list}");
    }
    let o = bcp(&["audit", OLD, "--profile", "iso-2230"]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `iso-22301`?"),
        "{}",
        stderr(&o)
    );
    // Unverified thresholds are parameters with no default.
    let (code, doc) = json(&[
        "audit",
        OLD,
        "--profile",
        "cn-bank-bcm",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "nothing unmet in the fixture: {doc}");
    let rto = doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CBRC-rto")
        .unwrap();
    assert_eq!(rto["status"], "parameter_missing");
}

#[test]
fn examples_pass_their_profiles() {
    for (example, profile) in [
        ("examples/bank", "cn-bank-bcm"),
        ("examples/bank", "gb-t-20988"),
        ("examples/acme", "iso-22301"),
    ] {
        let o = bcp(&[
            "validate",
            example,
            "--profile",
            profile,
            "--today",
            TODAY,
            "--deny-warnings",
        ]);
        assert_eq!(status(&o), 0, "{example} {profile}:\n{}", stdout(&o));
        let (code, doc) = json(&[
            "audit",
            example,
            "--profile",
            profile,
            "--today",
            TODAY,
            "--format",
            "json",
        ]);
        assert!(code <= 1);
        for r in doc["requirements"].as_array().unwrap() {
            assert_ne!(r["status"], "parameter_missing", "{example} {profile}: {r}");
        }
    }
}

/// Plan text holding escape sequences and a right-to-left override (a function's name, a
/// profile's titles in the plan folder) reaches the terminal from `cost`, `diff` and `audit`
/// as `\u{..}`, never raw, like every other human output; JSON keeps the exact text.
#[test]
fn plan_text_reaches_the_terminal_escaped() {
    let hostile = "\u{1b}[2J\u{1b}[31mRED \u{202e}x\u{7}";
    let shown = "\\u{1b}[2J\\u{1b}[31mRED \\u{202e}x\\u{7}";
    let quoted = serde_json::to_string(hostile).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let old = std::fs::read_to_string(root().join(OLD)).unwrap();
    let new = old.replace("    name: Payments\n", &format!("    name: {quoted}\n"));
    assert_ne!(old, new);
    for (folder, text) in [("old", &old), ("new", &new)] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("bcp.yaml"), text).unwrap();
    }
    std::fs::create_dir(dir.path().join("new/profiles")).unwrap();
    std::fs::write(
        dir.path().join("new/profiles/test.yaml"),
        format!(
            "id: test\ntitle: {{en: {quoted}, zh-CN: 测试}}\nrequirements:\n  - {{id: r1, clause: \"1\", title: {{en: {quoted}, zh-CN: 风险}}, check: {{kind: section, section: risks}}}}\n"
        ),
    )
    .unwrap();
    for args in [
        &["cost", "new"][..],
        &["diff", "old", "new"],
        &["audit", "new", "--profile", "test"],
    ] {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--today", TODAY]);
        let o = bcp_in(dir.path(), &all);
        assert_eq!(status(&o), 0, "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{args:?} prints control characters:\n{out:?}"
        );
        assert!(out.contains(shown), "{args:?} shows `{shown}`:\n{out}");
    }
    let o = bcp_in(
        dir.path(),
        &["diff", "old", "new", "--today", TODAY, "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        doc["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["new"].as_str() == Some(hostile)),
        "{doc}"
    );
}
