//! `bcp init`: every skeleton validates with placeholder errors only, and clean once filled;
//! existing files are never touched.

use crate::common::{bcp, bcp_in, status, stderr, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-27";
const TEMPLATES: [&str; 3] = ["minimal", "standard", "bank"];
const LANGS: [&str; 2] = ["en", "zh-CN"];

/// Every file under `dir` with its bytes, by relative path: what "changes nothing" compares.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

fn init(dir: &Path, template: &str, lang: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "init",
        dir.to_str().unwrap(),
        "--template",
        template,
        "--lang",
        lang,
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    bcp(&args)
}

fn validate_json(dir: &Path, today: &str) -> (i32, serde_json::Value) {
    let o = bcp(&[
        "validate",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        today,
    ]);
    let code = status(&o);
    let doc = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    (code, doc)
}

/// Replaces every double-quoted value holding `TODO` (outside comments) by a plain text, as an
/// author filling the scaffold would.
fn fill(dir: &Path) {
    for path in snapshot(dir)
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let path = dir.join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            if line.trim_start().starts_with('#') {
                out.push_str(line);
            } else {
                let mut rest = line;
                while let Some(start) = rest.find("\"TODO") {
                    let end = start + 1 + rest[start + 1..].find('"').expect("closing quote");
                    out.push_str(&rest[..start]);
                    out.push_str("\"Filled in by the author\"");
                    rest = &rest[end + 1..];
                }
                out.push_str(rest);
            }
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
    }
}

#[test]
fn every_skeleton_fails_on_placeholders_only_and_validates_clean_once_filled() {
    for template in TEMPLATES {
        for lang in LANGS {
            let temp = tempfile::tempdir().unwrap();
            let dir = temp.path().join("plan");
            let o = init(&dir, template, lang, &[]);
            assert_eq!(status(&o), 0, "{template}/{lang}: {}", stderr(&o));
            // What to do next, in the language of the plan being made.
            let next = if lang == "zh-CN" {
                "下一步：\n  1. 把 "
            } else {
                "next steps:\n  1. replace each of the "
            };
            assert!(stdout(&o).contains(next), "{}", stdout(&o));

            let (code, doc) = validate_json(&dir, TODAY);
            assert_eq!(code, 1, "{template}/{lang}: a scaffold must not pass");
            let found = doc["diagnostics"].as_array().unwrap();
            assert!(
                !found.is_empty(),
                "{template}/{lang}: no placeholder reported"
            );
            for d in found {
                assert_eq!(d["code"], "M004", "{template}/{lang}: {d}");
                // The position points at the placeholder itself.
                let file = std::fs::read_to_string(d["file"].as_str().unwrap()).unwrap();
                let line = file
                    .lines()
                    .nth(d["line"].as_u64().unwrap() as usize - 1)
                    .unwrap();
                let column = d["column"].as_u64().unwrap() as usize;
                let at: String = line.chars().skip(column - 1).take(4).collect();
                assert_eq!(at, "TODO", "{template}/{lang}: {d}");
            }

            fill(&dir);
            let o = bcp(&[
                "validate",
                dir.to_str().unwrap(),
                "--today",
                TODAY,
                "--deny-warnings",
            ]);
            assert_eq!(status(&o), 0, "{template}/{lang} filled:\n{}", stdout(&o));
            // A Chinese skeleton says `lang: zh-CN`: its report is in Chinese.
            let clean = if lang == "zh-CN" {
                "未发现问题"
            } else {
                "no problems found"
            };
            assert_eq!(stdout(&o).trim(), clean, "{template}/{lang}");

            // And it renders: every document, in Markdown and HTML.
            for format in ["md", "html"] {
                let out = temp.path().join(format!("out-{format}"));
                let o = bcp(&[
                    "render",
                    dir.to_str().unwrap(),
                    "--today",
                    TODAY,
                    "--doc",
                    "all",
                    "--format",
                    format,
                    "--out",
                    out.to_str().unwrap(),
                ]);
                assert_eq!(
                    status(&o),
                    0,
                    "{template}/{lang} render {format}: {}",
                    stderr(&o)
                );
                let full = std::fs::read_to_string(out.join(format!("full.{format}"))).unwrap();
                assert!(
                    !full.contains("TODO"),
                    "{template}/{lang}: a placeholder was rendered"
                );
            }
        }
    }
}

#[test]
fn every_file_points_at_the_schema_written_beside_it() {
    let schema = stdout(&bcp(&["schema"]));
    for template in TEMPLATES {
        for lang in LANGS {
            let temp = tempfile::tempdir().unwrap();
            let o = init(temp.path(), template, lang, &[]);
            assert_eq!(status(&o), 0, "{}", stderr(&o));
            let files = snapshot(temp.path());
            assert_eq!(files[Path::new("bcp.schema.json")], schema.as_bytes());
            let yaml: Vec<_> = files
                .keys()
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect();
            let expected = if template == "minimal" { 6 } else { 9 };
            assert_eq!(yaml.len(), expected, "{template}/{lang}: {yaml:?}");
            assert_eq!(
                files.len(),
                expected + 1,
                "only the plan and its schema: {files:?}"
            );
            for path in yaml {
                let text = String::from_utf8(files[path].clone()).unwrap();
                assert!(
                    text.starts_with("# yaml-language-server: $schema=./bcp.schema.json\n"),
                    "{template}/{lang}/{}",
                    path.display()
                );
            }
            let main = String::from_utf8(files[Path::new("bcp.yaml")].clone()).unwrap();
            assert!(main.contains(&format!("\n  lang: {lang}\n")), "{main}");
        }
    }
}

#[test]
fn existing_bcp_yaml_is_never_overwritten() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("bcp.yaml"), "plan: mine\n").unwrap();
    std::fs::write(temp.path().join("notes.txt"), "keep\n").unwrap();
    let before = snapshot(temp.path());
    let o = bcp_in(temp.path(), &["init", "--today", TODAY]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("`./bcp.yaml` already exists; nothing was written"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(snapshot(temp.path()), before, "the folder changed");
}

#[test]
fn any_existing_target_stops_every_write() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("plan");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("suppliers.yaml"), "suppliers: []\n").unwrap();
    let before = snapshot(&dir);
    let o = init(&dir, "bank", "en", &[]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("suppliers.yaml` already exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "a file was written before the refusal"
    );
}

#[test]
fn force_replaces_existing_files() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("bcp.yaml"), "plan: mine\n").unwrap();
    let o = init(temp.path(), "minimal", "en", &["--force"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(temp.path().join("bcp.yaml")).unwrap();
    assert!(
        text.contains("title: \"Business Continuity Plan\""),
        "{text}"
    );
}

#[test]
fn org_is_written_as_a_quoted_value() {
    let temp = tempfile::tempdir().unwrap();
    let (_, without) = {
        let o = init(&temp.path().join("a"), "minimal", "en", &[]);
        assert_eq!(status(&o), 0);
        validate_json(&temp.path().join("a"), TODAY)
    };
    let dir = temp.path().join("b");
    let o = init(&dir, "minimal", "en", &["--org", "Bank \"of\" Tests: #1"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("bcp.yaml")).unwrap();
    assert!(
        text.contains(r#"organisation: "Bank \"of\" Tests: #1""#),
        "{text}"
    );
    let (_, with) = validate_json(&dir, TODAY);
    let count = |doc: &serde_json::Value| doc["diagnostics"].as_array().unwrap().len();
    assert_eq!(
        count(&with) + 1,
        count(&without),
        "the organisation is no longer a placeholder"
    );
    assert!(
        with["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] == "M004"),
        "{with}"
    );
}

#[test]
fn dates_are_today_so_they_age_like_a_real_plan() {
    let temp = tempfile::tempdir().unwrap();
    let o = init(temp.path(), "standard", "en", &[]);
    assert_eq!(status(&o), 0);
    let text = std::fs::read_to_string(temp.path().join("bcp.yaml")).unwrap();
    assert!(text.contains("last_reviewed: 2026-11-27"), "{text}");
    let exercises = std::fs::read_to_string(temp.path().join("exercises.yaml")).unwrap();
    assert!(
        exercises.contains("due: 2027-02-27"),
        "actions are due three months later"
    );
    fill(temp.path());
    // Fourteen months later the review, the exercises and the action are overdue.
    let (code, doc) = validate_json(temp.path(), "2028-01-27");
    assert_eq!(code, 1);
    let codes: Vec<_> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    for expected in ["M001", "M002", "M003"] {
        assert!(
            codes.iter().any(|c| c == expected),
            "{expected} missing: {codes:?}"
        );
    }
}

#[test]
fn unknown_template_is_a_usage_error() {
    let temp = tempfile::tempdir().unwrap();
    let o = bcp_in(temp.path(), &["init", "--template", "bnak"]);
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("bank"), "{}", stderr(&o));
    assert!(snapshot(temp.path()).is_empty());
}

/// `--ci github` writes the repository's example workflow, which uses bcp's GitHub Action: at
/// the root of the git repository holding the plan, with `path` set to the plan folder, or in
/// the plan folder when there is no repository (where validate does not read it).
#[test]
fn ci_github_writes_the_workflow_where_github_reads_it() {
    let example =
        std::fs::read_to_string(crate::common::root().join("ci/github-actions.yml")).unwrap();
    let temp = tempfile::tempdir().unwrap();

    // In a repository: at its root.
    let repo = temp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let plan = repo.join("plans/bcp");
    let o = init(&plan, "minimal", "en", &["--ci", "github"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let workflow = repo.join(".github/workflows/bcp.yml");
    assert!(
        stdout(&o).contains(&format!("  {}\n", workflow.display())),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&workflow).unwrap(),
        example.replace("path: \".\"", "path: \"plans/bcp\"")
    );
    // Again: nothing is overwritten.
    let before = snapshot(&repo);
    let o = init(&plan, "minimal", "en", &["--ci", "github"]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("bcp.yml` already exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&repo), before);

    // An existing plan without a workflow: `--ci` adds the workflow alone.
    let plan = temp.path().join("later");
    assert_eq!(status(&init(&plan, "minimal", "en", &[])), 0);
    let before = snapshot(&plan);
    let o = init(&plan, "minimal", "en", &["--ci", "github"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("added a GitHub Actions workflow"),
        "{}",
        stdout(&o)
    );
    let after = snapshot(&plan);
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(added, [&PathBuf::from(".github/workflows/bcp.yml")]);
    assert_eq!(
        after[&PathBuf::from(".github/workflows/bcp.yml")],
        example.as_bytes()
    );
    // The plan folder's own .github is not read as part of the plan: only the TODOs remain.
    let (exit, doc) = validate_json(&plan, TODAY);
    assert_eq!(exit, 1);
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] == "M004"),
        "{doc}"
    );
}

/// A tier's recovery window is stated three times to a plan author: in the comments `bcp init`
/// writes, in B002's help when an RTO falls outside it, and in the rendered BIA's tier table.
/// All three give the same limits.
#[test]
fn init_comments_b002_and_the_tier_table_state_the_same_windows() {
    // tier, an RTO outside its window, the window in words, the rendered Markdown table's cell
    // (`>` escaped).
    let tiers = [
        ("critical", "3d", "RTO at most 1 day", "≤ 1 day"),
        (
            "essential",
            "1d",
            "RTO more than 1 day, at most 4 days",
            r"\> 1 day, ≤ 4 days",
        ),
        (
            "necessary",
            "8d",
            "RTO more than 4 days, at most 7 days",
            r"\> 4 days, ≤ 7 days",
        ),
        ("desirable", "7d", "RTO more than 7 days", r"\> 7 days"),
    ];
    let ws = tempfile::tempdir().unwrap();
    let plan = ws.path().join("plan");
    assert_eq!(status(&init(&plan, "standard", "en", &[])), 0);
    let comments = std::fs::read_to_string(plan.join("functions.yaml")).unwrap();
    let minimal = ws.path().join("minimal");
    assert_eq!(status(&init(&minimal, "minimal", "en", &[])), 0);
    let minimal_comments = std::fs::read_to_string(minimal.join("functions.yaml")).unwrap();

    let fixture = crate::common::root().join("tests/fixtures/validate/B002-rto-outside-tier");
    let original = std::fs::read_to_string(fixture.join("bcp.yaml")).unwrap();
    // The render fixture's own date (its actions fall due later).
    let bia = ws.path().join("bia.md");
    let o = bcp(&[
        "render",
        "tests/fixtures/render/plan",
        "--doc",
        "bia",
        "--format",
        "md",
        "--today",
        "2026-05-01",
        "--out",
        bia.to_str().unwrap(),
    ]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let table = std::fs::read_to_string(&bia).unwrap();
    for (tier, rto, words, cell) in tiers {
        assert!(
            comments.contains(&format!("{tier:<9} - ")) && comments.contains(words),
            "standard init comments lack `{words}` for {tier}:\n{comments}"
        );
        assert!(
            minimal_comments.contains(&format!("{tier} ({words})")),
            "minimal init comments lack `{tier} ({words})`:\n{minimal_comments}"
        );

        let outside = original.replace(
            "tier: critical\n    rto: 3d\n    rpo: 15m\n    mtd: 4d",
            &format!("tier: {tier}\n    rto: {rto}\n    rpo: 15m\n    mtd: 30d"),
        );
        assert_ne!(outside, original, "the fixture's function changed shape");
        let dir = ws.path().join(tier);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("bcp.yaml"), outside).unwrap();
        let o = bcp(&[
            "validate",
            dir.to_str().unwrap(),
            "--today",
            TODAY,
            "--only",
            "B002",
            "--format",
            "json",
        ]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let found = &doc["diagnostics"][0];
        assert_eq!(found["code"], "B002", "{tier} RTO {rto}: {doc}");
        assert_eq!(
            found["help"].as_str(),
            Some(format!("a {tier} function has an {words}; change the tier or the RTO").as_str()),
            "{tier}"
        );

        assert!(
            table.contains(&format!("| {cell} |")),
            "the rendered tier table lacks `{cell}` for {tier}:\n{table}"
        );
    }
}
