//! `bcp render`: every document in Markdown and HTML, escaping of hostile text, redaction,
//! determinism, atomic output, template overrides and PDF.

use crate::common::{bcp_in, copy_dir, root, status, stderr};
use std::path::Path;

const TODAY: &str = "2026-05-01";
const DOCS: [&str; 6] = ["full", "drp", "team", "card", "bia", "risks"];

/// A copy of a fixture plan in a fresh folder outside any git repository (so no commit is
/// stamped), with `out/` ready for output.
fn workspace(fixture: &str) -> tempfile::TempDir {
    workspace_of(&root().join("tests/fixtures/render").join(fixture))
}

fn workspace_of(plan: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(plan, &dir.path().join("plan"));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    dir
}

/// Runs `bcp render plan ARGS --today TODAY` in the workspace.
fn render(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["render", "plan", "--today", TODAY];
    all.extend_from_slice(args);
    bcp_in(dir, &all)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("out").join(name)).unwrap()
}

/// The HTML with its (large, shared) stylesheet cut out, for snapshots of the content.
fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}<style>/* style.css */{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    }
}

#[test]
fn every_document_of_the_fixture_in_markdown_and_html() {
    let ws = workspace("plan");
    for format in ["md", "html"] {
        let o = render(
            ws.path(),
            &["--doc", "all", "--format", format, "--out", "out"],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        for doc in DOCS {
            let text = read(ws.path(), &format!("{doc}.{format}"));
            let text = if format == "html" {
                without_style(&text)
            } else {
                text
            };
            insta::assert_snapshot!(format!("fixture_{doc}_{format}"), text);
        }
    }
    let html = read(ws.path(), "full.html");
    let css = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    insta::assert_snapshot!("fixture_style_css", css);
}

/// The bundled examples: the Chinese bank and the English agency, every document.
#[test]
fn every_document_of_both_examples_in_markdown_and_html() {
    for example in ["bank", "acme"] {
        let ws = workspace_of(&root().join("examples").join(example));
        for format in ["md", "html"] {
            let o = bcp_in(
                ws.path(),
                &[
                    "render",
                    "plan",
                    "--today",
                    "2026-11-27",
                    "--doc",
                    "all",
                    "--format",
                    format,
                    "--out",
                    "out",
                ],
            );
            assert_eq!(status(&o), 0, "{example}: {}", stderr(&o));
            for doc in DOCS {
                let text = read(ws.path(), &format!("{doc}.{format}"));
                let text = if format == "html" {
                    without_style(&text)
                } else {
                    text
                };
                insta::assert_snapshot!(format!("example_{example}_{doc}_{format}"), text);
            }
        }
        let csv = std::fs::read_to_string(ws.path().join("out/bia.csv")).unwrap();
        insta::assert_snapshot!(format!("example_{example}_bia_csv"), csv);
    }
}

#[test]
fn all_writes_stable_file_names_and_a_spreadsheet_ready_csv() {
    let ws = workspace("plan");
    let o = render(
        ws.path(),
        &["--doc", "all", "--format", "md", "--out", "out/docs"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(ws.path().join("out/docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bia.csv", "bia.md", "card.md", "drp.md", "full.md", "risks.md", "team.md"
        ]
    );
    let csv = std::fs::read(ws.path().join("out/docs/bia.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    // Each duration as the documents print it and in hours; money with its currency.
    assert_eq!(
        lines[0],
        "Recovery priority,ID,Function,Tier,RTO,RTO (hours),RPO,RPO (hours),MTD,MTD (hours),Achievable,Achievable (hours),Owner,Depends on functions,Depends on systems,Depends on suppliers,Depends on sites,Loss per day,Currency,Peak periods"
    );
    assert_eq!(
        lines[1],
        "1,f-booking,Freight booking,critical,4 h,4,15 min,0.25,1 d,24,3 h 30 min,3.5,Dee Bakker,,Transport management system,,Rotterdam head office,120000,EUR,Month end"
    );
    assert_eq!(
        lines.len(),
        5,
        "header, three functions, final CRLF: {text}"
    );
}

#[test]
fn a_single_bia_writes_its_csv_beside_it() {
    let ws = workspace("plan");
    let o = render(
        ws.path(),
        &[
            "--doc",
            "bia",
            "--format",
            "html",
            "--out",
            "out/impact.html",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(ws.path().join("out/impact.html").is_file());
    assert!(ws.path().join("out/impact.csv").is_file());
}

#[test]
fn chinese_labels_and_values() {
    let ws = workspace("plan");
    let o = render(
        ws.path(),
        &[
            "--doc",
            "full",
            "--format",
            "md",
            "--lang",
            "zh-CN",
            "--out",
            "out/zh.md",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let md = read(ws.path(), "zh.md");
    for word in [
        "## 1 范围与目标",
        "## 5 业务影响分析",
        "关键功能",
        "第二负责人",
        "最大可容忍中断时间",
        "4小时",
        "风险矩阵",
    ] {
        assert!(md.contains(word), "missing {word}");
    }
    insta::assert_snapshot!("fixture_full_zh_md", md);
}

/// Every free-text field of this plan holds script tags, `javascript:` links, event
/// handlers, table breakers, emphasis, headings and list markers.
#[test]
fn hostile_text_never_becomes_markup() {
    let ws = workspace("hostile");
    let o = render(
        ws.path(),
        &["--doc", "all", "--format", "html", "--out", "out"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    for doc in DOCS {
        let html = read(ws.path(), &format!("{doc}.html"));
        assert!(
            html.contains("alert(1)"),
            "{doc}: the hostile text is shown, as text"
        );
        let page = scraper::Html::parse_document(&html);
        let all = scraper::Selector::parse("*").unwrap();
        for element in page.select(&all) {
            let e = element.value();
            let name = e.name();
            assert!(
                ![
                    "script", "img", "iframe", "object", "embed", "form", "input", "base", "link",
                    "meta"
                ]
                .contains(&name)
                    || (name == "meta" && e.attr("http-equiv").is_none()),
                "{doc}: element <{name}> in the output"
            );
            for (attr, value) in e.attrs() {
                assert!(
                    !attr.to_ascii_lowercase().starts_with("on"),
                    "{doc}: attribute {attr}={value}"
                );
                if attr == "href" || attr == "src" {
                    assert!(
                        value.starts_with('#'),
                        "{doc}: {attr}={value} leaves the page"
                    );
                }
            }
            let text: String = element.text().collect::<String>();
            let own = text.trim();
            match name {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    assert_ne!(own, "heading", "{doc}: plan text made a heading");
                }
                "li" => assert!(
                    own != "item" && own != "list",
                    "{doc}: plan text made a list"
                ),
                "em" | "code" | "del" => {
                    assert!(
                        own != "emphasis" && own != "u" && own != "code",
                        "{doc}: plan text made <{name}>: {own}"
                    );
                }
                "style" => assert!(!text.contains("</"), "{doc}: the stylesheet holds markup"),
                _ => {}
            }
        }
        // Table breakers did not add cells: every row has as many cells as the header.
        let tables = scraper::Selector::parse("table").unwrap();
        let rows = scraper::Selector::parse("tr").unwrap();
        let cells = scraper::Selector::parse("th, td").unwrap();
        for table in page.select(&tables) {
            let counts: Vec<usize> = table
                .select(&rows)
                .map(|r| r.select(&cells).count())
                .collect();
            assert!(
                counts.windows(2).all(|w| w[0] == w[1]),
                "{doc}: ragged table {counts:?}"
            );
        }
        // Markers cannot be forged from plan text: the private-use character never survives.
        assert!(
            !html.contains('\u{E000}') || doc_head_only(&html),
            "{doc}: a marker character in the body"
        );
    }
    // The Markdown keeps its structure too: every table line has the header's number of cells.
    let o = render(
        ws.path(),
        &["--doc", "full", "--format", "md", "--out", "out/full.md"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let md = read(ws.path(), "full.md");
    assert!(
        !md.lines().any(|l| l.trim() == "# heading"
            || l.starts_with("- item")
            || l.starts_with("<script"))
    );
    let mut header_cells = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = unescaped_pipes(line);
            let expected = *header_cells.get_or_insert(n);
            assert_eq!(n, expected, "ragged table line: {line}");
        } else {
            header_cells = None;
        }
    }
}

/// Plan text is printed raw (HTML-escaped) only in the page head and cover, never in the body.
fn doc_head_only(html: &str) -> bool {
    let body = &html[html.find("<main>").unwrap_or(0)..];
    !body.contains('\u{E000}')
}

fn unescaped_pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn redact_removes_every_personal_phone_and_email() {
    let ws = workspace("plan");
    let secrets = [
        "+31 6 1234 5678",
        "ada.jansen@harbour.example",
        "+31 6 2345 6789",
        "ben.devries@harbour.example",
        "+31 6 3456 7890",
        "+31 10 555 0101",
        "cas.smit@harbour.example",
        "+31 6 4567 8901",
        "eva.mulder@harbour.example",
    ];
    for format in ["md", "html"] {
        let out = render_redacted(ws.path(), format, &secrets);
        let card =
            std::fs::read_to_string(ws.path().join(&out).join(format!("card.{format}"))).unwrap();
        assert!(card.contains("redacted"), "the placeholder is shown");
        // Organisational numbers stay: they are not personal.
        assert!(card.contains("555 0199"));
    }
    let o = render(
        ws.path(),
        &[
            "--doc",
            "card",
            "--format",
            "md",
            "--redact",
            "--lang",
            "zh-CN",
            "--out",
            "out/zh.md",
        ],
    );
    assert_eq!(status(&o), 0);
    assert!(read(ws.path(), "zh.md").contains("［已隐去］"));
}

/// Renders every document with `--redact` into `out/FORMAT` and asserts that none of the
/// files holds any of `secrets` (Markdown's `\\@` read as `@`); returns that folder.
fn render_redacted(dir: &Path, format: &str, secrets: &[&str]) -> String {
    let out = format!("out/{format}");
    let o = render(
        dir,
        &[
            "--doc", "all", "--format", format, "--redact", "--out", &out,
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    for entry in std::fs::read_dir(dir.join(&out)).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().replace("\\@", "@");
        for s in secrets {
            assert!(!text.contains(s), "{} holds {s}", path.display());
        }
    }
    out
}

/// Regression: `--redact` only replaced what `people[].contacts` held, so a personal number
/// or address written elsewhere survived: in the call tree's trigger, a team's channels, a
/// supplier's contact, free text, a procedure's step. Every phone number and e-mail address
/// is redacted now, in every document and format and in the CSV; the emergency key numbers
/// stay.
#[test]
fn redact_removes_phone_numbers_and_addresses_written_anywhere() {
    let ws = workspace("plan");
    let path = ws.path().join("plan/bcp.yaml");
    let plan = std::fs::read_to_string(&path).unwrap();
    let plan = plan
        .replace(
            "trigger: On activation by the management team.",
            "trigger: \"On activation; call p on +44 7700 900555 or page duty@harbour.example\"",
        )
        .replace(
            "channels: [Conference bridge]",
            "channels: [\"Bridge 0800 123 4567\", \"Mobile 06-98765432\"]",
        )
        .replace(
            "contact: \"+31 30 555 0000\"",
            "contact: \"Jan (personal mobile) +31 6 8765 4321, jan@rabo.example\"",
        )
        .replace(
            "description: Customers book transport by phone and through the web portal.",
            "description: \"Escalate to the night manager, tel. (020) 7946-0958.\"",
        )
        .replace(
            "description: Charge the satellite phone monthly.",
            "description: \"Satellite phone +870 7720 12345, charged monthly\"",
        );
    std::fs::write(&path, plan).unwrap();
    let secrets = [
        "7700 900555",
        "duty@harbour.example",
        "0800 123 4567",
        "06-98765432",
        "8765 4321",
        "jan@rabo.example",
        "7946-0958",
        "7720 12345",
        "+31 6 1234 5678",
        "ada.jansen@harbour.example",
    ];
    for format in ["md", "html"] {
        let unredacted = format!("out/plain-{format}");
        let o = render(
            ws.path(),
            &["--doc", "all", "--format", format, "--out", &unredacted],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        let all: String = std::fs::read_dir(ws.path().join(&unredacted))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect::<String>()
            // Markdown writes `@` as `\@`, so that it is never read as a link.
            .replace("\\@", "@");
        // Without --redact every one of them is printed somewhere.
        for s in secrets {
            assert!(
                all.contains(s),
                "{format}: `{s}` is in the unredacted documents"
            );
        }
        render_redacted(ws.path(), format, &secrets);
        let card = read(ws.path(), &format!("{format}/card.{format}"));
        assert!(card.contains("555 0199"), "the key numbers stay");
    }
}

/// The text a CSS string literal stands for: `\\` + up to six hex digits (and one blank
/// after them, which the escape swallows) is that character; `\\` + another character is
/// that character.
fn css_unescape(literal: &str) -> String {
    let mut out = String::new();
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
        } else {
            out.extend(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()));
            if chars.peek().is_some_and(char::is_ascii_whitespace) {
                chars.next();
            }
        }
    }
    out
}

/// Regression: the page header printed "Internal —controlled copy": plan text in the
/// stylesheet's `content:` strings was hex-escaped without the blank that ends an escape, so
/// CSS took the text's own blank as the end and dropped it.
#[test]
fn page_header_text_survives_css_escaping() {
    let ws = workspace("plan");
    let path = ws.path().join("plan/bcp.yaml");
    let classification = "Internal — controlled copy (A&B) \"v2\"";
    let plan = std::fs::read_to_string(&path).unwrap().replace(
        "classification: Internal",
        &format!(
            "classification: {}",
            serde_json::to_string(classification).unwrap()
        ),
    );
    std::fs::write(&path, plan).unwrap();
    let o = render(ws.path(), &["--doc", "card", "--out", "out/card.html"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let html = read(ws.path(), "card.html");
    let rule = html
        .lines()
        .find(|l| l.contains("@top-right"))
        .expect("the page header rule");
    let literal = rule
        .split_once("content: \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(literal, _)| literal)
        .expect("a content string");
    assert_eq!(css_unescape(literal), classification, "{rule}");
}

#[test]
fn the_same_plan_gives_the_same_bytes() {
    let ws = workspace("plan");
    for run in ["a", "b"] {
        let out = format!("out/{run}");
        let o = render(
            ws.path(),
            &["--doc", "all", "--format", "html", "--out", &out],
        );
        assert_eq!(status(&o), 0, "{}", stderr(&o));
    }
    for doc in DOCS {
        let a = read(ws.path(), &format!("a/{doc}.html"));
        let b = read(ws.path(), &format!("b/{doc}.html"));
        assert!(a == b, "{doc}.html differs between two renders");
        assert!(
            !a.contains(&ws.path().display().to_string()),
            "{doc}.html holds an absolute path"
        );
    }
}

#[test]
fn the_date_comes_from_the_flag_the_environment_or_the_plan() {
    let ws = workspace("plan");
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "md", "--out", "out/a.md"],
    );
    assert_eq!(status(&o), 0);
    let o = render(
        ws.path(),
        &["--doc", "full", "--format", "md", "--out", "out/plan.md"],
    );
    assert_eq!(status(&o), 0);
    assert!(
        read(ws.path(), "plan.md").contains("**Generated:** 2026-03-02"),
        "latest approval date"
    );
    let o = render(
        ws.path(),
        &[
            "--doc",
            "full",
            "--format",
            "md",
            "--date",
            "2026-07-04",
            "--out",
            "out/flag.md",
        ],
    );
    assert_eq!(status(&o), 0);
    assert!(read(ws.path(), "flag.md").contains("**Generated:** 2026-07-04"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args([
            "render",
            "plan",
            "--today",
            TODAY,
            "--format",
            "md",
            "--out",
            "out/env.md",
        ])
        .current_dir(ws.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(read(ws.path(), "env.md").contains("**Generated:** 2026-01-01"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args([
            "render",
            "plan",
            "--today",
            TODAY,
            "--format",
            "md",
            "--out",
            "out/bad.md",
        ])
        .current_dir(ws.path())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("`SOURCE_DATE_EPOCH` must be a number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_plan_in_git_is_stamped_with_its_commit() {
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root())
        .output();
    let Ok(head) = head else {
        eprintln!("note: git is not installed; commit stamping not tested");
        return;
    };
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    if head.len() != 40 {
        eprintln!("note: the repository has no commit; commit stamping not tested");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("card.md");
    let o = crate::common::bcp(&[
        "render",
        "tests/fixtures/render/plan",
        "--today",
        TODAY,
        "--doc",
        "full",
        "--format",
        "md",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let md = std::fs::read_to_string(&target).unwrap();
    assert!(
        md.contains(&format!("**Source commit:** `{}`", &head[..12])),
        "{md}"
    );
}

#[test]
fn a_plan_with_errors_is_not_rendered_and_earlier_output_stays() {
    let ws = workspace("plan");
    std::fs::write(ws.path().join("out/full.html"), "earlier output").unwrap();
    let plan = ws.path().join("plan/bcp.yaml");
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "owner: p-ada\n  classification",
        "owner: p-nobody\n  classification",
    );
    std::fs::write(&plan, text).unwrap();
    let o = render(ws.path(), &["--format", "html", "--out", "out/full.html"]);
    assert_eq!(status(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("unknown person `p-nobody`"), "{err}");
    assert!(err.contains("pass `--force` to render anyway"), "{err}");
    assert_eq!(read(ws.path(), "full.html"), "earlier output");

    let o = render(
        ws.path(),
        &["--format", "html", "--force", "--out", "out/full.html"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("rendering anyway"));
    assert!(read(ws.path(), "full.html").starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_plan_template_overrides_the_built_in_and_its_errors_name_file_and_line() {
    let ws = workspace("plan");
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("card.md"),
        "# {{ plan.meta.organisation }} card\n\nCall {{ name(plan.meta.owner) }}.\n",
    )
    .unwrap();
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "md", "--out", "out/card.md"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        read(ws.path(), "card.md"),
        "# Harbour Freight Ltd card\n\nCall Ada Jansen.\n"
    );
    // Only card.md is overridden; the others are still the built-ins.
    let o = render(
        ws.path(),
        &["--doc", "risks", "--format", "md", "--out", "out/risks.md"],
    );
    assert_eq!(status(&o), 0);
    assert!(read(ws.path(), "risks.md").contains("## Risk assessment"));

    // A chapter override with a typo: strict undefined, reported with file and line; the
    // earlier output is left as it was.
    std::fs::create_dir(templates.join("chapters")).unwrap();
    std::fs::write(
        templates.join("chapters/scope.md"),
        "## Scope\n\n{{ plan.meta.organisaton }}\n",
    )
    .unwrap();
    std::fs::write(ws.path().join("out/full.md"), "earlier output").unwrap();
    let o = render(ws.path(), &["--format", "md", "--out", "out/full.md"]);
    assert_eq!(status(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("template `chapters/scope.md`, line 3: "),
        "{err}"
    );
    assert_eq!(read(ws.path(), "full.md"), "earlier output");
}

/// A template that writes a fenced code block or a link reference definition is converted
/// whole (a heading-like line in the fence is no heading, a link finds its definition further
/// down), not part by part as the HTML of other documents is made while the template runs;
/// and what is inside the fence is printed as it is, in HTML and in Markdown.
#[test]
fn a_plan_template_with_a_fenced_block_and_link_definitions_converts_whole() {
    let ws = workspace("plan");
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("card.md"),
        "# {{ plan.meta.organisation }} card\n\nSee [the runbook][rb].\n\n```sh\nstep one\n# not a heading\n| not | a table |  |\n```\n## Contacts\n\n[rb]: https://example.org/runbook\n",
    )
    .unwrap();
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
    let html = read(ws.path(), "card.html");
    // What is inside the fence is printed as it is: no line put between, no cell filled.
    assert!(
        html.contains(
            "<pre><code class=\"language-sh\">step one\n# not a heading\n| not | a table |  |\n</code></pre>\n<h2"
        ),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://example.org/runbook\">the runbook</a>"),
        "{html}"
    );
    assert!(html.contains("id=\"sec-contacts\""), "{html}");
    assert!(!html.contains("sec-not-a-heading"), "{html}");
    // In Markdown too; the heading after the fence is set apart.
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "md", "--out", "out/card.md"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        read(ws.path(), "card.md").contains(
            "```sh\nstep one\n# not a heading\n| not | a table |  |\n```\n\n## Contacts\n"
        ),
        "{}",
        read(ws.path(), "card.md")
    );
}

/// The built-in page shell has the body put into it; a plan's own `document.html` gets the
/// body as a value, whatever it does with it (here: printed once and measured, which a body
/// put in afterwards would get wrong).
#[test]
fn a_plan_page_shell_gets_the_body_as_a_value() {
    let ws = workspace("plan");
    let args = |out: &'static str| ["--doc", "card", "--format", "html", "--out", out];
    let o = render(ws.path(), &args("out/built-in.html"));
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let built_in = read(ws.path(), "built-in.html");
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("document.html"),
        "<main>{{ body }}</main>\n{% if body|length > 100 %}<p>long</p>{% endif %}\n",
    )
    .unwrap();
    let o = render(ws.path(), &args("out/own.html"));
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let own = read(ws.path(), "own.html");
    let body = own
        .split_once("<main>")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map(|(body, _)| body)
        .expect("the body in <main>");
    assert!(body.contains("card-sheet"), "{own}");
    assert!(
        built_in.contains(body),
        "the same body as in the built-in page"
    );
    // (trim_blocks takes the line break after a block tag.)
    assert!(own.ends_with("<p>long</p>"), "{own}");
}

#[test]
fn pdf_without_a_browser_is_a_clear_error() {
    let ws = workspace("plan");
    let o = render(
        ws.path(),
        &[
            "--format",
            "pdf",
            "--browser",
            "no-such-browser",
            "--out",
            "out/full.pdf",
        ],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("the browser `no-such-browser` was not found"),
        "{}",
        stderr(&o)
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args([
            "render",
            "plan",
            "--today",
            TODAY,
            "--format",
            "pdf",
            "--out",
            "out/full.pdf",
        ])
        .current_dir(ws.path())
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("no Chrome or Chromium found on PATH"),
        "{}",
        stderr(&o)
    );
    assert!(!ws.path().join("out/full.pdf").exists());
}

/// Regression: a browser that fails was reported as "exit status exit status: 1".
#[cfg(unix)]
#[test]
fn a_failing_browser_is_reported_in_plain_words() {
    let ws = workspace("plan");
    let o = render(
        ws.path(),
        &[
            "--format",
            "pdf",
            "--browser",
            "/bin/false",
            "--out",
            "out/full.pdf",
        ],
    );
    assert_eq!(status(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: printing the PDF with `/bin/false` failed: it exited with status 1 and wrote no PDF\n"
    );
    assert!(!ws.path().join("out/full.pdf").exists());
}

#[test]
fn pdf_prints_the_plan() {
    if crate::common::chromium("PDF rendering").is_none() {
        return;
    }
    let ws = workspace("plan");
    let o = render(ws.path(), &["--format", "pdf", "--out", "out/full.pdf"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let pdf = ws.path().join("out/full.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output();
    let Ok(info) = info else {
        eprintln!("note: no pdfinfo (poppler-utils); PDF contents not checked");
        return;
    };
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    // Cover, contents and thirteen chapters, each starting on a new page.
    assert!((15..=30).contains(&pages), "{pages} pages");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for words in [
        "Business Continuity Plan",
        "Document control",
        "4 Risk assessment",
        "Freight booking",
        "13 Maintenance",
    ] {
        assert!(text.contains(words), "the PDF text lacks {words}");
    }
    // The Chinese example prints in Chinese.
    let bank = workspace_of(&root().join("examples/bank"));
    let o = bcp_in(
        bank.path(),
        &[
            "render",
            "plan",
            "--today",
            "2026-11-27",
            "--format",
            "pdf",
            "--out",
            "out/bank.pdf",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let text = std::process::Command::new("pdftotext")
        .arg(bank.path().join("out/bank.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for words in ["业务连续性计划", "文档控制", "业务影响分析", "风险矩阵"] {
        assert!(text.contains(words), "the bank PDF text lacks {words}");
    }
    // The bank's wallet card, with its forty-person call tree, still fits on one page.
    let o = bcp_in(
        bank.path(),
        &[
            "render",
            "plan",
            "--today",
            "2026-11-27",
            "--doc",
            "card",
            "--format",
            "pdf",
            "--out",
            "out/card.pdf",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let info = std::process::Command::new("pdfinfo")
        .arg(bank.path().join("out/card.pdf"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 1")),
        "{info}"
    );
    // The wallet card fits on one page.
    let o = render(
        ws.path(),
        &["--doc", "card", "--format", "pdf", "--out", "out/card.pdf"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let info = std::process::Command::new("pdfinfo")
        .arg(ws.path().join("out/card.pdf"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout)
            .lines()
            .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 1"))
    );
}
