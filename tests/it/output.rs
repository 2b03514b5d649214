//! Where `bcp render` writes: the `--out` rules, never over the plan, never a path twice, a
//! whole set or nothing (even when killed), and no temporary files left behind.

use crate::common::{bcp_in, copy_dir, root, status, stderr};
use std::path::Path;

const TODAY: &str = "2026-05-01";

/// The render fixture plan in `plan/` of a new temporary folder.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/render/plan"),
        &dir.path().join("plan"),
    );
    dir
}

fn render(dir: &Path, plan: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["render", plan, "--today", TODAY];
    all.extend_from_slice(args);
    bcp_in(dir, &all)
}

/// Every file below `dir`, relative and sorted (folders themselves not listed).
fn files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Asserts a refusal: exit 2, the message, and nothing written anywhere.
fn assert_refused(dir: &Path, o: &std::process::Output, message: &str) {
    let before: Vec<String> = files(dir);
    assert_eq!(status(o), 2, "{}", stderr(o));
    assert!(
        stderr(o).starts_with(&format!("error: {message}")),
        "expected `{message}`:\n{}",
        stderr(o)
    );
    assert!(!stderr(o).contains("wrote "), "{}", stderr(o));
    assert_eq!(files(dir), before);
}

/// Regression: `render plan.yaml --out plan.yaml` replaced the plan with HTML, and so did
/// `--out PLAN/bcp.yaml` for a folder plan. Any path of a plan file, however it is spelt or
/// linked, is refused, and so are the plan's `templates/` and `profiles/` folders.
#[test]
fn output_over_the_plan_or_into_its_templates_is_refused() {
    let ws = workspace();
    let dir = ws.path();
    let plan_text = std::fs::read_to_string(dir.join("plan/bcp.yaml")).unwrap();
    std::fs::write(dir.join("one.yaml"), &plan_text).unwrap();
    let refused = "refusing to write";
    for (plan, out) in [
        ("one.yaml", "one.yaml"),
        ("one.yaml", "./one.yaml"),
        ("plan", "plan/bcp.yaml"),
        ("plan", "plan/../plan/bcp.yaml"),
        ("plan/bcp.yaml", "plan/bcp.yaml"),
    ] {
        let o = render(dir, plan, &["--out", out]);
        assert_refused(dir, &o, &format!("{refused} `{out}`: it is the plan file"));
    }
    // A hard link to the plan file, named like a document.
    #[cfg(unix)]
    {
        std::fs::hard_link(dir.join("one.yaml"), dir.join("doc.html")).unwrap();
        let o = render(dir, "one.yaml", &["--out", "doc.html"]);
        assert_refused(
            dir,
            &o,
            &format!("{refused} `doc.html`: it is the plan file"),
        );
        std::fs::remove_file(dir.join("doc.html")).unwrap();
    }
    // Templates and standards profiles are the plan's own input too.
    for folder in ["templates", "profiles"] {
        std::fs::create_dir(dir.join("plan").join(folder)).unwrap();
        for out in [
            format!("plan/{folder}/"),
            format!("plan/{folder}/x.html"),
            format!("plan/{folder}/new/"),
        ] {
            for doc in ["full", "all"] {
                let o = render(dir, "plan", &["--doc", doc, "--out", &out]);
                assert_refused(dir, &o, refused);
                assert!(
                    stderr(&o).contains(&format!("it lies in the plan's `{folder}` folder")),
                    "{}",
                    stderr(&o)
                );
            }
        }
    }
    // In the language of messages, as every message.
    let o = render(dir, "plan", &["--lang", "zh-CN", "--out", "plan/bcp.yaml"]);
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "错误: 拒绝写入 `plan/bcp.yaml`：它是计划文件 `plan/bcp.yaml`（bcp 从不覆盖输入）；未写入任何文件\n提示: 把文档写到别处，例如 `--out out/`\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("plan/bcp.yaml")).unwrap(),
        plan_text
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("one.yaml")).unwrap(),
        plan_text
    );
}

/// The `--out` rules, case by case (they are documented in `--help`, README and
/// docs/format.md): a trailing `/`, an existing folder or `--doc all` is a folder, created
/// when missing; otherwise a file whose extension is the format's or is added.
#[test]
fn out_rules() {
    let ws = workspace();
    let dir = ws.path();
    let wrote = |o: &std::process::Output| -> Vec<String> {
        assert_eq!(status(o), 0, "{}", stderr(o));
        stderr(o)
            .lines()
            .map(|l| l.strip_prefix("wrote ").unwrap_or(l).to_string())
            .collect()
    };
    // Regression: `--out newdir/` failed with "not a directory".
    assert_eq!(
        wrote(&render(dir, "plan", &["--out", "newdir/"])),
        ["newdir/full.html"]
    );
    assert_eq!(
        wrote(&render(dir, "plan", &["--out", "a/b/x.html"])),
        ["a/b/x.html"]
    );
    // An existing folder without the slash.
    assert_eq!(
        wrote(&render(dir, "plan", &["--out", "a/b"])),
        ["a/b/full.html"]
    );
    // Regression: `--out foo` wrote an HTML file without an extension (and `foo.csv`).
    assert_eq!(wrote(&render(dir, "plan", &["--out", "foo"])), ["foo.html"]);
    assert_eq!(
        wrote(&render(dir, "plan", &["--format", "md", "--out", "foo"])),
        ["foo.md"]
    );
    assert_eq!(
        wrote(&render(dir, "plan", &["--out", "Up.HTML"])),
        ["Up.HTML"]
    );
    // `--doc all` always means a folder, created when missing.
    assert_eq!(
        wrote(&render(
            dir,
            "plan",
            &["--doc", "all", "--format", "md", "--out", "every"]
        ))
        .len(),
        7
    );
    assert!(dir.join("every/bia.csv").is_file() && dir.join("every/full.md").is_file());

    // A wrong extension, and a file where a folder is needed, are refused.
    let o = render(dir, "plan", &["--out", "x.md"]);
    assert_refused(
        dir,
        &o,
        "`--out x.md` ends in `.md`, but this document is written as `.html`",
    );
    let o = render(dir, "plan", &["--doc", "all", "--out", "foo.html"]);
    assert_refused(
        dir,
        &o,
        "`--out foo.html` is a file, but these documents go into a folder",
    );
}

/// Regression: `--doc bia --out report.csv` wrote the HTML there and then overwrote it with
/// the CSV. The BIA's CSV goes beside the document under the same name; one path is never
/// written twice.
#[test]
fn a_single_bia_and_its_csv_never_share_a_path() {
    let ws = workspace();
    let dir = ws.path();
    let o = render(dir, "plan", &["--doc", "bia", "--out", "report.csv"]);
    assert_refused(
        dir,
        &o,
        "`--out report.csv` ends in `.csv`, but this document is written as `.html`",
    );
    assert!(
        stderr(&o)
            .contains("`--out report.html` writes `report.html` and, beside it, `report.csv`"),
        "{}",
        stderr(&o)
    );
    for (format, out, written) in [
        ("html", "report", ["report.html", "report.csv"]),
        ("html", "r.html", ["r.html", "r.csv"]),
        ("md", "notes/r.md", ["notes/r.md", "notes/r.csv"]),
    ] {
        let o = render(
            dir,
            "plan",
            &["--doc", "bia", "--format", format, "--out", out],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines, written.map(|w| format!("wrote {w}")), "{out}");
        let csv = std::fs::read(dir.join(written[1])).unwrap();
        assert!(
            csv.starts_with("\u{feff}".as_bytes()),
            "{out}: the CSV is a CSV"
        );
        let doc = std::fs::read_to_string(dir.join(written[0])).unwrap();
        assert!(
            !doc.starts_with('\u{feff}'),
            "{out}: the document is not the CSV"
        );
    }
}

/// Regression: a link to a file was refused but a link to a folder was followed. A link is
/// refused whatever it points at, with or without a trailing slash; so is a link in the
/// output folder where a document would go.
#[cfg(unix)]
#[test]
fn symbolic_links_are_refused_whatever_they_point_at() {
    use std::os::unix::fs::symlink;
    let ws = workspace();
    let dir = ws.path();
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real.html"), "untouched").unwrap();
    symlink("real", dir.join("to-folder")).unwrap();
    symlink("real.html", dir.join("to-file.html")).unwrap();
    symlink("nowhere", dir.join("dangling")).unwrap();
    for out in [
        "to-folder",
        "to-folder/",
        "to-file.html",
        "dangling",
        "dangling/",
    ] {
        for doc in ["full", "all"] {
            let o = render(dir, "plan", &["--doc", doc, "--out", out]);
            assert_refused(dir, &o, &format!("`--out {out}` is a symbolic link"));
        }
    }
    assert!(files(&dir.join("real")).is_empty());
    std::fs::create_dir(dir.join("out")).unwrap();
    symlink("../real.html", dir.join("out/card.html")).unwrap();
    let o = render(dir, "plan", &["--doc", "all", "--out", "out/"]);
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write `out/card.html`: it is a symbolic link"),
        "{}",
        stderr(&o)
    );
    // Checked before the first write: nothing else was written.
    assert_eq!(files(&dir.join("out")), ["card.html"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("real.html")).unwrap(),
        "untouched"
    );
}

/// Temporary files of bcp's own naming in the output folder.
fn temporaries(dir: &Path) -> Vec<String> {
    files(dir)
        .into_iter()
        .filter(|f| {
            Path::new(f)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".bcp-"))
        })
        .collect()
}

/// Regression: temporary files of a killed run stayed forever. Those whose writer is gone
/// (and those of the naming before the process id, once old) are removed by the next write
/// into the folder; a live writer's are not.
#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_are_removed() {
    let ws = workspace();
    let dir = ws.path();
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    // No process has this id (Linux pids stay below 2^22).
    std::fs::write(out.join(".bcp-999999999-AbC123.tmp"), "litter").unwrap();
    let old = std::fs::File::create(out.join(".bcp-x7Y2qZ")).unwrap();
    old.set_modified(std::time::SystemTime::now() - std::time::Duration::from_hours(2))
        .unwrap();
    // A writer that is alive (this test), and files that are not bcp's.
    let live = format!(".bcp-{}-LiVe00.tmp", std::process::id());
    std::fs::write(out.join(&live), "in progress").unwrap();
    std::fs::write(out.join(".bcp-notes"), "mine").unwrap();
    std::fs::write(out.join(".bcp-young1"), "too new to be stale").unwrap();
    let o = render(dir, "plan", &["--out", "out/"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        temporaries(&out),
        [live.as_str(), ".bcp-notes", ".bcp-young1"]
            .iter()
            .map(|s| (*s).to_string())
            .collect::<Vec<_>>()
    );
}

/// Regression: `kill -9` while writing left temporary files that later runs never removed,
/// and killing a `--doc all` render left new and old documents mixed. Now every document is
/// written to a temporary file first and renamed only when all are on disk: a render killed
/// while writing leaves the earlier set whole, and the next render removes its temporaries.
///
/// The render is killed (SIGKILL) as soon as two of its temporary files exist at once, which
/// only happens when the whole set is written before any is renamed; had it renamed one
/// document before writing the next, the first new document would be seen first, and the
/// kill would leave a mixed set, which the test refuses.
#[cfg(unix)]
#[test]
fn a_render_killed_while_writing_leaves_the_earlier_set_and_no_litter() {
    let ws = tempfile::tempdir().unwrap();
    let dir = ws.path();
    let o = bcp_in(
        dir,
        &[
            "generate",
            "--functions",
            "500",
            "--seed",
            "3",
            "--out",
            "plan",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let args = |out: &str| {
        [
            "render",
            "plan",
            "--today",
            "2026-06-01",
            "--doc",
            "all",
            "--out",
            out,
        ]
        .map(str::to_string)
    };
    // The new set, rendered whole, for reference.
    let reference = args("new/");
    assert_eq!(
        status(&bcp_in(dir, &reference.each_ref().map(String::as_str))),
        0
    );
    let names = files(&dir.join("new"));
    assert_eq!(names.len(), 7, "{names:?}");
    let new: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(dir.join("new").join(n)).unwrap())
        .collect();

    let out = dir.join("out");
    let mut caught = false;
    for attempt in 0..5 {
        std::fs::create_dir_all(&out).unwrap();
        for name in &names {
            std::fs::write(out.join(name), format!("earlier {name}")).unwrap();
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bcp"))
            .args(args("out/"))
            .current_dir(dir)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let is_new = |i: usize| std::fs::read(out.join(&names[i])).is_ok_and(|b| b == new[i]);
        loop {
            if temporaries(&out).len() >= 2 || (0..names.len()).any(is_new) {
                let _ = child.kill();
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
        }
        let ended = child.wait().unwrap();
        let newer: Vec<bool> = (0..names.len()).map(is_new).collect();
        assert!(
            newer.iter().all(|n| *n) || newer.iter().all(|n| !n),
            "attempt {attempt}: a mixed set of documents: {:?}",
            names.iter().zip(&newer).collect::<Vec<_>>()
        );
        {
            use std::os::unix::process::ExitStatusExt as _;
            if ended.signal() == Some(9) && !temporaries(&out).is_empty() {
                caught = true;
                assert!(newer.iter().all(|n| !n), "killed before any rename");
                for name in &names {
                    assert_eq!(
                        std::fs::read_to_string(out.join(name)).unwrap(),
                        format!("earlier {name}")
                    );
                }
                break;
            }
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
    assert!(caught, "the render was never caught while writing");
    // The next render replaces the set and removes the killed run's temporary files.
    let again = args("out/");
    let o = bcp_in(dir, &again.each_ref().map(String::as_str));
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(temporaries(&out), Vec::<String>::new());
    assert_eq!(files(&out), names);
    for (name, bytes) in names.iter().zip(&new) {
        assert!(
            std::fs::read(out.join(name)).unwrap() == *bytes,
            "{name} is the new document"
        );
    }
}

/// DOCX and XLSX go through the same writer and the same `--out` rules as the other formats:
/// the extension is added or must match, a folder takes each register under its own name,
/// and nothing is written over the plan.
#[test]
fn docx_and_xlsx_follow_the_same_out_rules() {
    let ws = workspace();
    let dir = ws.path();
    let o = render(
        dir,
        "plan",
        &["--doc", "bia", "--format", "xlsx", "--out", "out/r"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "wrote out/r.xlsx\n");
    let o = render(
        dir,
        "plan",
        &["--doc", "card", "--format", "docx", "--out", "out/c.DOCX"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let o = render(
        dir,
        "plan",
        &["--doc", "all", "--format", "xlsx", "--out", "out/x/"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        files(&dir.join("out")),
        ["c.DOCX", "r.xlsx", "x/bia.xlsx", "x/risks.xlsx"]
    );
    let o = render(
        dir,
        "plan",
        &["--doc", "bia", "--format", "docx", "--out", "out/r.xlsx"],
    );
    assert_refused(
        dir,
        &o,
        "`--out out/r.xlsx` ends in `.xlsx`, but this document is written as `.docx`",
    );
    let o = render(
        dir,
        "plan",
        &[
            "--doc",
            "risks",
            "--format",
            "xlsx",
            "--out",
            "plan/bcp.yaml",
        ],
    );
    assert_refused(
        dir,
        &o,
        "refusing to write `plan/bcp.yaml`: it is the plan file",
    );
}
