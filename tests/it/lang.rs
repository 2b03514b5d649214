//! The language of messages: `--lang`, else the plan's `lang`, else the locale; codes, ids and
//! paths stay as written in every language, and machine formats keep their English keys.

use crate::common::{bcp, bcp_env, root, status, stderr, stdout};
use serde_json::Value;

const ZH_PLAN: &str = "tests/fixtures/validate/zh-CN-messages";
const EN_PLAN: &str = "tests/fixtures/validate/B001-rto-exceeds-mtd";
const TODAY: &str = "2026-11-30";

/// Runs `bcp` with a locale variable set (the shared helper clears them).
fn with_locale(name: &str, value: &str, args: &[&str]) -> std::process::Output {
    bcp_env(&root(), args, &[(name, value)])
}

/// A plan written in Chinese (`lang: zh-CN`) is checked in Chinese: the whole report,
/// reviewed as a snapshot.
#[test]
fn a_chinese_plan_is_validated_in_chinese() {
    let o = bcp(&["validate", ZH_PLAN, "--today", TODAY]);
    assert_eq!(status(&o), 1);
    insta::assert_snapshot!("validate-zh-CN", stdout(&o));
}

#[test]
fn lang_on_the_command_line_wins_over_the_plan() {
    let o = bcp(&["validate", ZH_PLAN, "--today", TODAY, "--lang", "en"]);
    assert_eq!(status(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("error[B001]: function `payments` has RTO 8h longer than its MTD 4h"),
        "{out}"
    );
    assert!(
        out.ends_with("5 errors, 1 warning: 1 B001, 1 B002, 1 D001, 1 M004, 1 R002, 1 T001\n"),
        "{out}"
    );

    let o = bcp(&["validate", EN_PLAN, "--today", TODAY, "--lang", "zh-CN"]);
    let out = stdout(&o);
    assert!(
        out.contains("错误[B001]: 业务功能 `payroll` 的 RTO 6d 超过了其 MTD 5d"),
        "{out}"
    );
    assert!(out.ends_with("1 个错误，0 个警告\n"), "{out}");
}

#[test]
fn without_lang_the_locale_chooses_and_a_plan_lang_outranks_it() {
    // The English fixture does not say its language: the locale decides.
    for (name, value) in [("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_TW")] {
        let o = with_locale(name, value, &["validate", EN_PLAN, "--today", TODAY]);
        assert!(
            stdout(&o).contains("错误[B001]"),
            "{name}={value}: {}",
            stdout(&o)
        );
    }
    let o = with_locale(
        "LANG",
        "de_DE.UTF-8",
        &["validate", EN_PLAN, "--today", TODAY],
    );
    assert!(stdout(&o).contains("error[B001]"), "{}", stdout(&o));
    // LC_ALL outranks LANG, as in POSIX.
    let o = bcp_env(
        &root(),
        &["validate", EN_PLAN, "--today", TODAY],
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")],
    );
    assert!(stdout(&o).contains("error[B001]"), "{}", stdout(&o));
    // The plan's `lang: zh-CN` outranks an English locale.
    let o = with_locale(
        "LANG",
        "en_GB.UTF-8",
        &["validate", ZH_PLAN, "--today", TODAY],
    );
    assert!(stdout(&o).contains("错误[B001]"), "{}", stdout(&o));
}

/// JSON, SARIF and GitHub annotations keep codes, severities and keys in English; only the
/// texts follow the language.
#[test]
fn machine_formats_keep_codes_and_translate_texts() {
    let o = bcp(&["validate", ZH_PLAN, "--today", TODAY, "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let b001 = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "B001")
        .expect("B001 is reported");
    assert_eq!(b001["severity"], "error");
    assert_eq!(
        b001["message"],
        "业务功能 `payments` 的 RTO 8h 超过了其 MTD 4h"
    );
    assert_eq!(
        b001["help"],
        "RTO 必须在 MTD 之内：缩短 RTO，或与该业务功能的负责人重新评估 MTD"
    );

    let o = bcp(&["validate", ZH_PLAN, "--today", TODAY, "--format", "sarif"]);
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("valid SARIF");
    let run = &doc["runs"][0];
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "B001")
        .unwrap();
    assert_eq!(rule["name"], "rto-exceeds-mtd");
    assert_eq!(
        rule["shortDescription"]["text"],
        "业务功能的 RTO 超过了其最大可容忍停机时间"
    );
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "B001")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("业务功能 `payments` 的 RTO 8h 超过了其 MTD 4h\n提示: "),
        "{}",
        result["message"]["text"]
    );

    let o = bcp(&["validate", ZH_PLAN, "--today", TODAY, "--format", "github"]);
    let out = stdout(&o);
    assert!(
        out.contains("::error file=tests/fixtures/validate/zh-CN-messages/bcp.yaml,line=42,col=10,title=B001::业务功能 `payments` 的 RTO 8h 超过了其 MTD 4h%0A提示: "),
        "{out}"
    );

    // The short format keeps `error`/`warning` and the code, for problem matchers.
    let o = bcp(&["validate", ZH_PLAN, "--today", TODAY, "--format", "short"]);
    assert!(
        stdout(&o).contains(
            "bcp.yaml:42:10: error[B001]: 业务功能 `payments` 的 RTO 8h 超过了其 MTD 4h\n"
        ),
        "{}",
        stdout(&o)
    );
}

#[test]
fn explain_and_tool_failures_speak_the_language() {
    let o = bcp(&["explain", "B001", "--lang", "zh-CN"]);
    assert_eq!(status(&o), 0);
    assert!(
        stdout(&o).starts_with(
            "B001 (rto-exceeds-mtd): 业务功能的 RTO 超过了其最大可容忍停机时间\n严重程度：错误\n\nMTD 是业务能够承受的最长中断时间"
        ),
        "{}",
        stdout(&o)
    );
    let o = bcp(&["explain", "--list", "--lang", "zh-CN"]);
    assert!(
        stdout(&o)
            .contains("T006  error    no-call-tree                 计划中有团队，但没有告知树\n"),
        "{}",
        stdout(&o)
    );

    let o = bcp(&["validate", "no-such-plan", "--lang", "zh-CN"]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).starts_with("错误: 无法读取 `no-such-plan`："),
        "{}",
        stderr(&o)
    );
    let o = bcp(&["explain", "B01", "--lang", "zh-CN"]);
    assert_eq!(status(&o), 2);
    assert_eq!(
        stderr(&o),
        "错误: 没有代码为 `B01` 的规则\n提示: 是否指 `B001`？\n"
    );
}

/// Loader messages are chosen before the plan is read, from the plan's own `lang`.
#[test]
fn load_problems_of_a_chinese_plan_are_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bcp.yaml"),
        "plan:\n  title: 计划\n  organisation: 示例\n  version: \"1\"\n  owner: a\n  lang: zh-CN\n  reveiw: {}\npeople:\n  - id: a\n    name: 甲\n    contacts: {email: a@example.cn}\n    rto: 4小时\n",
    )
    .unwrap();
    let o = crate::common::bcp_in(
        dir.path(),
        &["validate", ".", "--today", TODAY, "--format", "short"],
    );
    let out = stdout(&o);
    assert!(
        out.contains("bcp.yaml:7:3: error[L002]: 未知的键 `reveiw`\n"),
        "{out}"
    );
    assert!(
        out.contains("bcp.yaml:12:5: error[L002]: 未知的键 `rto`\n"),
        "{out}"
    );
}
