//! `bcp generate` (hidden, for the benchmark): the plan it writes validates clean, the same
//! seed gives the same bytes, and it never writes into a folder that holds files.

use crate::common::{bcp, bcp_env, root, status, stderr, stdout};
use std::path::Path;

const TODAY: &str = "2026-06-01";

fn generate(functions: &str, seed: &str, out: &Path) -> std::process::Output {
    let out = out.to_str().unwrap();
    bcp(&[
        "generate",
        "--functions",
        functions,
        "--seed",
        seed,
        "--out",
        out,
        "--today",
        TODAY,
    ])
}

/// Every file below `dir`, as (relative path, bytes), sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_generated_thousand_function_plan_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan");
    let o = generate("1000", "7", &plan);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1000 functions"),
        "summary: {}",
        stdout(&o)
    );
    let files = tree(&plan);
    assert!(files.len() > 10, "one file per department: {}", files.len());
    assert!(files.iter().any(|(p, _)| p == "bcp.yaml"));

    let o = bcp(&["validate", plan.to_str().unwrap(), "--today", TODAY]);
    assert_eq!(status(&o), 0, "{}", stdout(&o));
    assert_eq!(stdout(&o).trim(), "no problems found", "not even a warning");

    let o = bcp(&["parse-only", plan.to_str().unwrap()]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1000 functions, 200 systems"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_another_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    for (out, seed) in [(&a, "3"), (&b, "3"), (&c, "4")] {
        assert_eq!(status(&generate("120", seed, out)), 0);
    }
    assert_eq!(tree(&a), tree(&b));
    assert_ne!(tree(&a), tree(&c));
}

#[test]
fn it_refuses_a_folder_that_holds_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let o = generate("10", "1", dir.path());
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("is not empty; nothing was written"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(dir.path()).len(), 1, "nothing was added");
}

#[test]
fn it_is_hidden_from_help() {
    let help = stdout(&bcp(&["--help"]));
    assert!(
        !help.contains("generate") && !help.contains("parse-only"),
        "{help}"
    );
}

/// The benchmark times `validate` with and without the scenarios: `--scenarios N` keeps the
/// first N of the twenty, and every count validates clean.
#[test]
fn scenarios_can_be_left_out_and_every_count_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    for (count, expected) in [("0", 0), ("3", 3), ("20", 20)] {
        let plan = dir.path().join(format!("plan-{count}"));
        let out = plan.to_str().unwrap();
        let o = bcp(&[
            "generate",
            "--functions",
            "60",
            "--out",
            out,
            "--today",
            TODAY,
            "--scenarios",
            count,
        ]);
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!(" {expected} scenarios")),
            "{}",
            stdout(&o)
        );
        let main = std::fs::read_to_string(plan.join("bcp.yaml")).unwrap();
        assert_eq!(main.matches("\n  - id: sc-").count(), expected, "{main}");
        let o = bcp(&["validate", out, "--today", TODAY]);
        assert_eq!(
            stdout(&o).trim(),
            "no problems found",
            "--scenarios {count}"
        );
        assert_eq!(status(&o), 0);
        let o = bcp(&["scenarios", out, "--today", TODAY, "--format", "json"]);
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        assert_eq!(
            stdout(&o).matches("\"id\": \"sc-").count(),
            expected,
            "{}",
            stdout(&o)
        );
    }
    let o = bcp(&[
        "generate",
        "--out",
        dir.path().join("too-many").to_str().unwrap(),
        "--scenarios",
        "21",
    ]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("expected a number from 0 to 20"),
        "{}",
        stderr(&o)
    );
}

/// A long table (the recovery priority of 1,000 functions, well over the 64 KB that the HTML
/// writer converts at a time) is one table in HTML with every row of its Markdown.
#[test]
fn a_long_table_is_one_table_with_every_row_in_html() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan");
    let o = generate("1000", "7", &plan);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let section = |text: &str, start: &str, end: &str| -> String {
        let from = text.find(start).expect(start);
        let to = text[from + start.len()..]
            .find(end)
            .map_or(text.len(), |i| from + start.len() + i);
        text[from..to].to_string()
    };
    let mut documents = Vec::new();
    for format in ["md", "html"] {
        let out = dir.path().join(format!("full.{format}"));
        let o = bcp(&[
            "render",
            plan.to_str().unwrap(),
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--today",
            TODAY,
        ]);
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        documents.push(std::fs::read_to_string(&out).unwrap());
    }
    let markdown = section(&documents[0], "### Recovery priority", "\n#");
    let html = section(&documents[1], "id=\"sec-recovery-priority\"", "<h");
    assert!(markdown.len() > 64 * 1024, "{}", markdown.len());
    // Header and body rows; the delimiter row is no row in HTML.
    let rows = markdown.lines().filter(|l| l.starts_with('|')).count() - 1;
    assert_eq!(rows, 1001);
    assert_eq!(html.matches("<table>").count(), 1);
    assert_eq!(html.matches("</table>").count(), 1);
    assert_eq!(html.matches("<thead>").count(), 1);
    assert_eq!(html.matches("<tr>").count(), rows);
    // The page, over a MiB, was kept in the temporary folder while it was made: it is whole,
    // contents first and every chapter's heading listed in them, in order.
    let page = &documents[1];
    assert!(page.len() > 2 << 20, "{}", page.len());
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
    assert_eq!(page.matches("<nav class=\"toc\"").count(), 1);
    let contents = section(page, "<nav class=\"toc\"", "</nav>");
    let listed: Vec<&str> = contents
        .split("href=\"#")
        .skip(1)
        .map(|l| &l[..l.find('"').unwrap()])
        .collect();
    let headings: Vec<&str> = page
        .split("<h2 id=\"")
        .skip(1)
        .map(|l| &l[..l.find('"').unwrap()])
        .collect();
    assert!(listed.len() > 5);
    assert_eq!(listed, headings);

    // A temporary folder that cannot take the page (here: none) costs memory, not the page.
    let again = dir.path().join("again.html");
    let o = bcp_env(
        &root(),
        &[
            "render",
            plan.to_str().unwrap(),
            "--format",
            "html",
            "--out",
            again.to_str().unwrap(),
            "--today",
            TODAY,
        ],
        &[("TMPDIR", dir.path().join("no such folder"))],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&again).unwrap() == *page,
        "the same page"
    );
}
