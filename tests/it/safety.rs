//! Safe output: templates stay in `templates/`, writes are atomic even when the disk fails,
//! `init` and `render` never write outside the folder they were given, and rendering is the
//! same bytes from any working directory with no machine path in them.

use crate::common::{bcp_in, copy_dir, root, status, stderr};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-05-01";
const SECRET: &str = "TOP-SECRET-42";

/// A copy of the render fixture plan in `plan/`, an `out/` folder, and a file outside the
/// plan holding a secret.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/render/plan"),
        &dir.path().join("plan"),
    );
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    dir
}

fn render(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["render", "plan", "--today", TODAY];
    all.extend_from_slice(args);
    bcp_in(dir, &all)
}

/// Every file below `dir`, as relative paths, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// No file below `dir` holds the secret.
fn assert_no_secret(dir: &Path) {
    for file in files(dir) {
        let bytes = std::fs::read(dir.join(&file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{} holds the secret",
            file.display()
        );
    }
}

/// Regression: a symbolic link in `templates/` was followed, so a plan (edited by many
/// hands, rendered in CI) could publish any file the renderer can read.
#[cfg(unix)]
#[test]
fn template_links_out_of_templates_are_refused() {
    use std::os::unix::fs::symlink;
    // A template file that is a link to a file outside.
    let ws = workspace();
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    symlink("../../secret.txt", templates.join("card.md")).unwrap();
    std::fs::write(ws.path().join("out/card.md"), "earlier output").unwrap();
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "md", "--out", "out/card.md"],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o)
            .contains("template `templates/card.md` leads outside the plan's `templates` folder"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(SECRET));
    assert_eq!(
        std::fs::read_to_string(ws.path().join("out/card.md")).unwrap(),
        "earlier output"
    );

    // A folder of chapters that is a link to a folder outside.
    let ws = workspace();
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    let elsewhere = ws.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("scope.md"), SECRET).unwrap();
    symlink("../../elsewhere", templates.join("chapters")).unwrap();
    let o = render(ws.path(), &["--format", "html", "--out", "out/full.html"]);
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("leads outside"), "{}", stderr(&o));

    // `templates/` itself a link to a folder outside the plan.
    let ws = workspace();
    let elsewhere = ws.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("card.md"), SECRET).unwrap();
    symlink("../elsewhere", ws.path().join("plan/templates")).unwrap();
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "md", "--out", "out/card.md"],
    );
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert_no_secret(&ws.path().join("out"));

    // Includes by relative or absolute path name nothing outside either.
    for include in ["../../secret.txt", "../secret.txt", "/etc/hostname"] {
        let ws = workspace();
        let templates = ws.path().join("plan/templates");
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(
            templates.join("card.md"),
            format!("# card\n{{% include \"{include}\" %}}\n"),
        )
        .unwrap();
        let o = render(
            ws.path(),
            &["--doc", "card", "--format", "md", "--out", "out/card.md"],
        );
        assert_eq!(status(&o), 2, "{include}: {}", stderr(&o));
        assert!(!stderr(&o).contains(SECRET));
        assert_no_secret(&ws.path().join("out"));
    }
}

#[cfg(unix)]
#[test]
fn template_links_inside_templates_work() {
    use std::os::unix::fs::symlink;
    let ws = workspace();
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("my-card.md"), "# my card\n").unwrap();
    symlink("my-card.md", templates.join("card.md")).unwrap();
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "md", "--out", "out/card.md"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(ws.path().join("out/card.md")).unwrap(),
        "# my card\n"
    );
}

/// The temporary files `render` writes before renaming them into place.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".bcp-"))
        })
        .collect()
}

/// A write that fails half-way (the file-size limit is hit, as on a full disk) leaves the
/// earlier output as it was and no temporary file behind.
#[cfg(unix)]
#[test]
fn a_failing_write_leaves_earlier_output_and_no_temporary_file() {
    let ws = workspace();
    std::fs::write(ws.path().join("out/full.html"), "earlier output").unwrap();
    // `ulimit -f 8`: files may not grow past 8 KiB (the document is far larger); SIGXFSZ is
    // ignored so the write fails with EFBIG instead of killing the process.
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_bcp"))
        .args([
            "render",
            "plan",
            "--today",
            TODAY,
            "--format",
            "html",
            "--out",
            "out/full.html",
        ])
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: cannot write `out/full.html`: "),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(ws.path().join("out/full.html")).unwrap(),
        "earlier output"
    );
    assert_eq!(leftovers(ws.path()), Vec::<PathBuf>::new());
}

/// The rename fails (the target is a folder): earlier output of the other documents is kept
/// or replaced whole, never half-written, and no temporary file is left.
#[test]
fn a_failing_rename_leaves_no_temporary_file() {
    let ws = workspace();
    std::fs::create_dir_all(ws.path().join("out/risks.html/in-the-way")).unwrap();
    std::fs::write(ws.path().join("out/card.html"), "earlier output").unwrap();
    let o = render(
        ws.path(),
        &["--doc", "all", "--format", "html", "--out", "out"],
    );
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("risks.html"), "{}", stderr(&o));
    let card = std::fs::read_to_string(ws.path().join("out/card.html")).unwrap();
    assert!(
        card == "earlier output"
            || card.starts_with("<!DOCTYPE html>") && card.ends_with("</html>\n"),
        "card.html is whole: {card:.200}"
    );
    assert_eq!(leftovers(ws.path()), Vec::<PathBuf>::new());
}

/// `init --force` over a file that is a link to somewhere else replaces the link, and
/// never writes through it.
#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.yaml");
    std::fs::write(&outside, "untouched\n").unwrap();
    let plan = dir.path().join("plan");
    std::fs::create_dir(&plan).unwrap();
    symlink("../outside.yaml", plan.join("bcp.yaml")).unwrap();
    let o = bcp_in(dir.path(), &["init", "plan"]);
    assert_eq!(status(&o), 2, "refuses without --force: {}", stderr(&o));
    let o = bcp_in(dir.path(), &["init", "plan", "--force"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched\n");
    assert!(
        !plan
            .join("bcp.yaml")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Nothing was written beside the plan folder but what the test made.
    assert_eq!(
        files(dir.path())
            .iter()
            .filter(|f| !f.starts_with("plan"))
            .collect::<Vec<_>>(),
        [&PathBuf::from("outside.yaml")]
    );
}

/// The examples render to the same bytes from the repository root with a relative path and
/// from another folder with an absolute path, and no path of this machine is in them.
#[test]
fn rendering_is_the_same_from_any_working_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let home = std::env::var("HOME").unwrap_or_default();
    let root_text = root().display().to_string();
    for example in ["acme", "bank"] {
        for format in ["html", "md"] {
            let relative = format!("examples/{example}");
            let absolute = root().join(&relative).display().to_string();
            let out_a = elsewhere.path().join(format!("a-{example}-{format}"));
            let out_b = elsewhere.path().join(format!("b-{example}-{format}"));
            let args = |plan: &str, out: &Path| {
                vec![
                    "render".to_string(),
                    plan.to_string(),
                    "--today".to_string(),
                    "2026-11-27".to_string(),
                    "--doc".to_string(),
                    "all".to_string(),
                    "--format".to_string(),
                    format.to_string(),
                    "--out".to_string(),
                    out.display().to_string(),
                ]
            };
            let a = args(&relative, &out_a);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            assert_eq!(status(&bcp_in(&root(), &a)), 0);
            let b = args(&absolute, &out_b);
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            assert_eq!(status(&bcp_in(elsewhere.path(), &b)), 0);
            let names = files(&out_a);
            assert_eq!(names, files(&out_b), "{example} {format}: the same files");
            assert!(names.len() >= 6, "{example} {format}: {names:?}");
            for name in names {
                let x = std::fs::read(out_a.join(&name)).unwrap();
                let y = std::fs::read(out_b.join(&name)).unwrap();
                assert!(x == y, "{example}: {} differs", name.display());
                let text = String::from_utf8_lossy(&x);
                for path in [
                    root_text.as_str(),
                    &elsewhere.path().display().to_string(),
                    &home,
                ] {
                    assert!(
                        path.len() < 2 || !text.contains(path),
                        "{example}: {} holds the machine path {path}",
                        name.display()
                    );
                }
            }
        }
    }
}

/// A one-file plan named without a folder (`bcp render bcp.yaml` in the plan folder) still
/// finds its `templates/` there.
#[test]
fn a_plan_file_named_alone_finds_its_templates() {
    let ws = workspace();
    let plan = ws.path().join("plan");
    std::fs::create_dir(plan.join("templates")).unwrap();
    std::fs::write(plan.join("templates/card.md"), "# own card\n").unwrap();
    let o = bcp_in(
        &plan,
        &[
            "render",
            "bcp.yaml",
            "--today",
            TODAY,
            "--doc",
            "card",
            "--format",
            "md",
            "--out",
            "../out/card.md",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(ws.path().join("out/card.md")).unwrap(),
        "# own card\n"
    );
}

/// `--out` naming a symbolic link (`/dev/stdout` is one) is refused: the link and what it
/// points at stay as they were. A missing output folder is created.
#[cfg(unix)]
#[test]
fn render_refuses_a_link_as_output_and_creates_missing_folders() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("real.md"), "old\n").unwrap();
    symlink("real.md", dir.path().join("link.md")).unwrap();
    let acme = root().join("examples/acme");
    let acme = acme.to_str().unwrap();
    let o = bcp_in(
        dir.path(),
        &["render", acme, "--format", "md", "--out", "link.md"],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("`--out link.md` is a symbolic link"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real.md")).unwrap(),
        "old\n"
    );
    assert!(
        dir.path()
            .join("link.md")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let o = bcp_in(
        dir.path(),
        &[
            "render",
            acme,
            "--format",
            "md",
            "--out",
            "new/folder/plan.md",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(dir.path().join("new/folder/plan.md").is_file());
}

/// Files `bcp init` writes are readable by colleagues (0644), not the temporary file's 0600.
#[cfg(unix)]
#[test]
fn init_files_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let o = bcp_in(dir.path(), &["init", "plan", "--template", "minimal"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let mode = std::fs::metadata(dir.path().join("plan/bcp.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

/// A render says on stderr what it wrote, one line a file; stdout stays empty for pipes.
#[test]
fn render_reports_what_it_wrote_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let acme = root().join("examples/acme");
    let o = bcp_in(
        dir.path(),
        &[
            "render",
            acme.to_str().unwrap(),
            "--doc",
            "all",
            "--out",
            "out",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "wrote out/full.html",
            "wrote out/drp.html",
            "wrote out/team.html",
            "wrote out/card.html",
            "wrote out/bia.html",
            "wrote out/bia.csv",
            "wrote out/risks.html",
        ]
    );
}

/// Regression: a plan's own template could exhaust memory (a string doubled in a loop aborted
/// with an allocation failure) or run for hours (three nested `range(10000)`), or write
/// without end. Template execution is bounded: each stops with an error naming the template
/// and the line, exit status 2, nothing written — in Markdown, and in HTML, where the
/// template's output is converted on another thread as it is written.
#[cfg(unix)]
#[test]
fn runaway_templates_stop_with_an_error_naming_template_and_line() {
    let work = "the template used up the work bcp allows one document (a loop that never ends, or text built up without end?)";
    let cases = [
        (
            "{% set ns = namespace(s=\"x\") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
            work.to_string(),
        ),
        ("{{ \"x\" * 1000000000000 }}", work.to_string()),
        (
            "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}.{% endfor %}{% endfor %}{% endfor %}",
            work.to_string(),
        ),
        (
            "{% for i in range(100000) %}{{ \"y\" * 4096 }}{% endfor %}",
            "the template writes more than bcp allows one document (64 MiB)".to_string(),
        ),
    ];
    for ((body, message), format) in cases
        .iter()
        .flat_map(|case| ["md", "html"].map(|format| (case, format)))
    {
        let out = format!("out/card.{format}");
        let ws = workspace();
        let templates = ws.path().join("plan/templates");
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(templates.join("card.md"), format!("# card\n{body}\n")).unwrap();
        // Bounded like the bad-input corpus: 1 GiB of address space, and a hang guard.
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1048576 && exec timeout 120 \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_bcp"))
            .args([
                "render", "plan", "--today", TODAY, "--doc", "card", "--format", format, "--out",
                &out,
            ])
            .current_dir(ws.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(status(&o), 2, "{format} {body}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!("error: template `card.md`, line 2: {message}\n"),
            "{format} {body}"
        );
        assert!(!ws.path().join(&out).exists());
    }
}
