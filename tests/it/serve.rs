//! `bcp serve`: the live preview, driven the way an author uses it. The server runs on a free
//! port (`--port 0`); plain HTTP checks the routes and refusals, a headless Chromium (driven
//! over the DevTools protocol) checks that an open page follows the plan's files by itself.
//! Time limits here are hang bounds, not speed requirements.

use crate::common::{chromium, copy_dir, root};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-05-01";
/// How long anything may take before the test calls it hung.
const HANG: Duration = Duration::from_secs(90);

/// A copy of the render fixture in a fresh folder, as `plan/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/render/plan"),
        &dir.path().join("plan"),
    );
    dir
}

/// A running `bcp serve`; killed when dropped.
struct Server {
    child: Child,
    address: String,
    stderr: Arc<Mutex<String>>,
    /// What it printed on start-up up to its address, then the lines after it.
    seen: String,
    stdout: Receiver<String>,
}

impl Server {
    /// Starts `bcp serve plan --port 0 --today TODAY ARGS` in `dir` and waits for its address.
    fn start(dir: &Path, args: &[&str]) -> Server {
        Server::start_at(dir, "plan", args)
    }

    /// Starts `bcp serve PLAN --port 0 --today TODAY ARGS` in `dir`.
    fn start_at(dir: &Path, plan: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bcp"))
            .args(["serve", plan, "--port", "0", "--today", TODAY])
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bcp runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let lines = lines_of(child.stdout.take().unwrap());
        let deadline = Instant::now() + HANG;
        let mut seen = String::new();
        let address = loop {
            let line = lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| {
                    panic!(
                        "no address printed; stdout:\n{seen}\nstderr:\n{}",
                        stderr.lock().unwrap()
                    )
                });
            seen.push_str(&line);
            seen.push('\n');
            if let Some(at) = line.split(" at http://").nth(1) {
                break at.trim_end_matches('/').to_string();
            }
        };
        assert!(
            seen.starts_with(&format!("serving `{plan}` at http://127.0.0.1:")),
            "{seen}"
        );
        Server {
            child,
            address,
            stderr,
            seen,
            stdout: lines,
        }
    }

    /// The first line of standard output starting with `prefix`.
    fn stdout_line(&self, prefix: &str) -> String {
        if let Some(line) = self.seen.lines().find(|l| l.starts_with(prefix)) {
            return line.to_string();
        }
        let deadline = Instant::now() + HANG;
        loop {
            let line = self
                .stdout
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no line `{prefix}...` printed after:\n{}", self.seen));
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn get(&self, path: &str) -> Reply {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: bcp-test\r\n\r\n",
            self.address
        ))
    }

    /// Sends a request as written and reads the whole response (the server closes).
    fn raw(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.address).expect("the server accepts");
        stream.set_read_timeout(Some(HANG)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("a whole response");
        Reply::parse(&bytes)
    }

    /// GETs `path` until `ok` holds for the page, or fails after the hang bound.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + HANG;
        loop {
            let reply = self.get(path);
            if ok(&reply.body) {
                return reply.body;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never showed {what}; last page:\n{}\nserver log:\n{}",
                reply.body,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lines a child writes, as they come.
fn lines_of(out: impl Read + Send + 'static) -> Receiver<String> {
    let (send, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// An HTTP response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.to_ascii_lowercase(), v.trim().to_string())
            })
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The document part of a page (what the render stage made), without the preview's bar.
fn main_of(page: &str) -> &str {
    let start = page.find("<main>").expect("a document");
    &page[start..page.find("</main>").expect("a document's end")]
}

fn has_banner(page: &str) -> bool {
    page.contains("id=\"bcp-preview-banner\"")
}

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("plan/bcp.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "the fixture has `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_document_is_served_with_the_preview_around_it() {
    let ws = workspace();
    let server = Server::start(ws.path(), &[]);
    for (path, title) in [
        ("/", "Business Continuity Plan"),
        ("/drp", "IT disaster recovery plan"),
        ("/scenarios", "Scenario matrix"),
        ("/team", "Team runbooks"),
        ("/team/t-it", "Team runbooks"),
        ("/card", "Emergency wallet card"),
        ("/bia", "Business impact analysis"),
        ("/risks", "Risk register"),
        ("/drp/", "IT disaster recovery plan"),
        ("/bia?from=bookmark", "Business impact analysis"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(
            reply
                .body
                .contains(&format!("<title>{title} · Harbour Freight Ltd</title>")),
            "{path} is the {title}"
        );
        let csp = reply.header("content-security-policy").unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'sha256-"),
            "{csp}"
        );
        assert_eq!(reply.body.matches("<script>").count(), 1, "{path}");
        assert!(reply.body.contains("new EventSource(\"/events\")"));
        assert!(!has_banner(&reply.body), "a clean plan has no banner");
        // C001 (one caller for three people), G008 (a tabletop records a time) and F003 (the
        // strategies cost more than they can prevent): the fixture's known warnings.
        assert!(reply.body.contains(">0 errors, 3 warnings<"), "{path}");
    }
    // One team's page is that team's runbook alone; `/team` has every team's.
    let one = server.get("/team/t-it").body;
    let all = server.get("/team").body;
    assert!(main_of(&one).contains("Technical team"));
    for other in ["Management team", "Operations team"] {
        assert!(!main_of(&one).contains(other), "/team/t-it shows {other}");
        assert!(main_of(&all).contains(other));
    }
    // The bar links every team's page.
    for id in ["t-mgmt", "t-it", "t-ops"] {
        assert!(one.contains(&format!("<a href=\"/team/{id}\"")), "{id}");
    }
    // The event stream starts with the generation the pages carry.
    let generation = one
        .split("data-generation=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(HANG)).unwrap();
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while !String::from_utf8_lossy(&got).contains(&format!("data: {generation}\n\n")) {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the stream ended: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 200 OK\r\n"), "{got}");
    assert!(got.contains("Content-Type: text/event-stream\r\n"), "{got}");
}

/// The scenario matrix, a chapter of the whole plan and the DRP, has a page of its own beside
/// the DRP: in the bar, in the start-up list, and telling a plan without scenarios what it
/// needs.
#[test]
fn the_scenario_matrix_has_a_page_of_its_own() {
    let ws = workspace();
    let server = Server::start(ws.path(), &[]);
    assert_eq!(
        server.stdout_line("pages: "),
        "pages: / (the whole plan), /drp, /scenarios, /team, /team/ID, /card, /bia, /risks; they reload when a plan file or template changes"
    );
    let page = server.get("/scenarios").body;
    let matrix = main_of(&page);
    // The chapter as the DRP has it: the scenario's column, a row for each critical and
    // essential function with its cell, and nothing else of the DRP.
    assert!(matrix.contains("<th>Depot flooded</th>"), "{matrix}");
    for row in [
        "<td>Freight booking</td>\n<td><span class=\"tier tier-critical\">critical</span></td>\n<td><span class=\"nb\">4\u{a0}h</span></td>\n<td><span class=\"nb\">1\u{a0}d</span></td>\n<td>ok</td>",
        "<td>Dispatch</td>",
        "<td>Customer billing</td>",
    ] {
        assert!(matrix.contains(row), "{row} in {matrix}");
    }
    let drp = server.get("/drp").body;
    let in_drp = main_of(&drp);
    let chapter = &in_drp[in_drp
        .find("id=\"sec-scenario-matrix\"")
        .expect("the DRP's chapter")..];
    assert!(
        chapter.contains(&matrix[matrix.find("<table>").unwrap()..]),
        "the same table as the DRP's"
    );
    assert!(!matrix.contains("Recovery procedures"), "{matrix}");
    // The bar links it from every page, right after the DRP, and marks it where it is.
    assert!(drp.contains("<a href=\"/drp\" class=\"bcp-current\" aria-current=\"page\">DRP</a><a href=\"/scenarios\">Scenarios</a>"));
    assert!(page.contains("<a href=\"/drp\">DRP</a><a href=\"/scenarios\" class=\"bcp-current\" aria-current=\"page\">Scenarios</a>"));

    // Without scenarios: the page says what the matrix needs, and follows the plan there.
    edit(ws.path(), "    scenario: sc-flood\n", "");
    edit(
        ws.path(),
        "scenarios:\n  - id: sc-flood\n    name: Depot flooded\n    risks: [R1]\n    loses: [s-depot]\n    staff_unavailable_percent: 30\n    warning_time: 1d\n    damage: partly_destroyed\n",
        "",
    );
    let empty = server.wait_for("/scenarios", "the matrix without scenarios", |page| {
        !page.contains("Depot flooded")
    });
    assert!(
        main_of(&empty).contains("Nothing to show yet: the matrix needs disruption scenarios"),
        "{empty}"
    );
    assert!(!main_of(&empty).contains("<table>"));
    assert!(!has_banner(&empty), "the plan without scenarios is clean");
}

/// `--lang`, `--redact` and team ids outside ASCII reach the pages.
#[test]
fn language_redaction_and_any_team_id() {
    let ws = workspace();
    let plan = ws.path().join("plan/bcp.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("t-it", "技术组")).unwrap();
    let server = Server::start(ws.path(), &["--lang", "zh-CN", "--redact"]);
    let page = server.get("/").body;
    assert!(page.contains("业务连续性计划"), "labels in Chinese");
    assert!(
        page.contains("aria-current=\"page\">计划</a>"),
        "the bar too"
    );
    assert!(!page.contains("+31 6 1234 5678"), "phone numbers redacted");
    assert!(
        !page.contains("ada.jansen@harbour.example"),
        "e-mail redacted"
    );
    assert!(page.contains("<a href=\"/team/%E6%8A%80%E6%9C%AF%E7%BB%84\">Technical team</a>"));
    let reply = server.get("/team/%E6%8A%80%E6%9C%AF%E7%BB%84");
    assert_eq!(reply.status, 200);
    assert!(main_of(&reply.body).contains("Technical team"));
    assert!(!main_of(&reply.body).contains("Operations team"));
    // Redacted, the banner neither quotes nor links the plan's lines, which hold the numbers.
    edit(ws.path(), "title: Business Continuity Plan", "titel: x");
    let page = server.wait_for("/", "the banner", |p| p.contains("error[L002]"));
    assert!(
        page.contains("<span class=\"bcp-pos\">plan/bcp.yaml:2:3</span>"),
        "{page}"
    );
    assert!(
        !page.contains("href=\"/source/") && !page.contains("<span class=\"bcp-ln\">"),
        "{page}"
    );
    assert_eq!(server.get("/source/bcp.yaml").status, 404);
}

#[test]
fn anything_else_is_refused() {
    let ws = workspace();
    let server = Server::start(ws.path(), &[]);
    // Not a page: 404, whatever file exists in the plan folder.
    for path in [
        "/nope",
        "/team/nobody",
        "/bcp.yaml",
        "/plan/bcp.yaml",
        "/templates/full.md",
        "/full",
        "/favicon.ico",
        "/team/t-it/extra",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.body.contains("Not found"), "{path}");
        assert!(!reply.body.contains("Harbour Freight"), "{path}");
    }
    // Ways out of the served pages: refused, whatever the encoding.
    for path in [
        "/../plan/bcp.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/plan/bcp.yaml",
        "/team/..%2f..%2fplan%2fbcp.yaml",
        "/team/%2E%2E",
        "/..%5cplan%5cbcp.yaml",
        "/./drp",
        "/drp%00.html",
    ] {
        let reply = server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.address
        ));
        assert_eq!(reply.status, 400, "{path}");
        assert!(
            !reply.body.contains("root:") && !reply.body.contains("plan:"),
            "{path}"
        );
    }
    // Methods other than GET and HEAD.
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ] {
        let reply = server.raw(&format!(
            "{method} / HTTP/1.1\r\nHost: {}\r\nContent-Length: 4\r\n\r\nbody",
            server.address
        ));
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
    }
    // HEAD: the headers of GET, no body.
    let head = server.raw(&format!(
        "HEAD /drp HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    ));
    let get = server.get("/drp");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length").unwrap(),
        get.body.len().to_string()
    );
    // A name pointed at 127.0.0.1 by someone else's web page (DNS rebinding) gets nothing.
    let reply = server.raw("GET / HTTP/1.1\r\nHost: attacker.example:80\r\n\r\n");
    assert_eq!(reply.status, 403);
    assert!(!reply.body.contains("Harbour"));
    let reply = server.raw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(reply.status, 200);
    // Nonsense.
    assert_eq!(server.raw("hello\r\n\r\n").status, 400);
    assert_eq!(server.raw("GET / HTTP/2.0\r\n\r\n").status, 505);
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Pad: {}\r\n\r\n",
        server.address,
        "a".repeat(40_000)
    );
    assert_eq!(server.raw(&huge).status, 431);
    // And the server still serves.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn the_server_survives_a_plan_edited_into_garbage_and_back() {
    let ws = workspace();
    let server = Server::start(ws.path(), &[]);
    let plan = ws.path().join("plan/bcp.yaml");
    let good = std::fs::read(&plan).unwrap();
    let garbage: [&[u8]; 5] = [
        b"plan: [unclosed\n  - {",
        b"",
        b"\xff\xfe\x00binary\x00\x01",
        b"plan: &a [*a, *a]\nfunctions: 12\n",
        b"- just\n- a list\n",
    ];
    for bytes in garbage {
        std::fs::write(&plan, bytes).unwrap();
        // The pages keep the last good render under a banner that says what is wrong.
        let page = server.wait_for("/", "a banner", has_banner);
        assert!(
            main_of(&page).contains("Freight booking"),
            "the last good render"
        );
        assert!(page.contains("plan/bcp.yaml:"), "{page}");
        assert_eq!(server.get("/drp").status, 200);
    }
    // A deleted plan file: the same, with the reason.
    std::fs::remove_file(&plan).unwrap();
    let page = server.wait_for("/", "the missing plan", |p| {
        p.contains("holds no `bcp.yaml`")
    });
    assert!(main_of(&page).contains("Freight booking"));
    std::fs::write(&plan, &good).unwrap();
    server.wait_for("/", "no banner", |p| !has_banner(p));
    assert!(
        server.log().contains("changed; rebuilt in"),
        "{}",
        server.log()
    );
}

/// A one-file plan and its folder's `templates/` are watched; a template that fails is shown
/// like a finding, with the last good pages.
#[test]
fn a_plan_file_and_its_templates_are_watched() {
    let ws = workspace();
    let server = Server::start_at(ws.path(), "plan/bcp.yaml", &[]);
    assert!(server.get("/card").body.contains("Emergency wallet card"));
    edit(ws.path(), "name: Freight booking", "name: Parcel booking");
    server.wait_for("/", "the edit", |p| main_of(p).contains("Parcel booking"));

    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("card.md"),
        "# Our own card\n\nCall {{ plan.meta.organisation }}.\n",
    )
    .unwrap();
    server.wait_for("/card", "the template", |p| {
        main_of(p).contains("Our own card") && main_of(p).contains("Call Harbour Freight Ltd.")
    });
    std::fs::write(
        templates.join("card.md"),
        "# Our own card\n\n{{ plan.no_such_thing.at_all }}\n",
    )
    .unwrap();
    let page = server.wait_for("/card", "the template's failure", has_banner);
    assert!(
        page.contains("A template failed. The pages show the last version that rendered."),
        "{page}"
    );
    assert!(page.contains("error[template]"), "{page}");
    assert!(page.contains("card.md"), "{page}");
    assert!(
        main_of(&page).contains("Call Harbour Freight Ltd."),
        "the last good card"
    );
    std::fs::remove_file(templates.join("card.md")).unwrap();
    let page = server.wait_for("/card", "the built-in card", |p| !has_banner(p));
    assert!(!main_of(&page).contains("Our own card"));
}

#[test]
fn a_plan_that_never_loaded_shows_the_findings_page() {
    let ws = workspace();
    let plan = ws.path().join("plan/bcp.yaml");
    let good = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, good.replacen("plan:\n", "plan:\n  titel: x\n", 1)).unwrap();
    let server = Server::start(ws.path(), &[]);
    for path in ["/", "/drp", "/team/t-it", "/risks"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        let page = reply.body;
        assert!(page.contains("The plan cannot be shown yet"), "{page}");
        assert!(
            page.contains("The plan cannot be shown: it has 1 error."),
            "{page}"
        );
        assert!(
            page.contains("<a class=\"bcp-pos\" href=\"/source/bcp.yaml#L2\">plan/bcp.yaml:2:3</a> <span class=\"bcp-code\">error[L002]</span> <span class=\"bcp-msg\">unknown key `titel`"),
            "{page}"
        );
        assert!(
            page.contains("<span class=\"bcp-ln\">2 | </span>  titel: x</pre>"),
            "{page}"
        );
        assert!(!page.contains("Freight booking"));
    }
    assert_eq!(server.get("/nope").status, 404);
    // The finding's link: the plan file, each line numbered, the finding under its line.
    let source = server.get("/source/bcp.yaml");
    assert_eq!(source.status, 200);
    assert!(
        source
            .body
            .contains("<title>plan/bcp.yaml · bcp serve</title>")
    );
    assert!(
        source.body.contains("<span id=\"L1\" class=\"bcp-line\"><a class=\"bcp-ln\" href=\"#L1\">1</a>plan:</span><span id=\"L2\" class=\"bcp-line bcp-marked\"><a class=\"bcp-ln\" href=\"#L2\">2</a>  titel: x</span><span class=\"bcp-note bcp-error\">error[L002] unknown key `titel`"),
        "{}",
        source.body
    );
    assert!(has_banner(&source.body), "the banner is there too");
    assert_eq!(server.get("/source/teams.yaml").status, 404);
    std::fs::write(&plan, &good).unwrap();
    let page = server.wait_for("/", "the plan", |p| p.contains("Freight booking"));
    assert!(!has_banner(&page));
    // Without findings, no plan file is served.
    assert_eq!(server.get("/source/bcp.yaml").status, 404);
}

#[test]
fn ctrl_c_stops_the_server_with_status_0() {
    let ws = workspace();
    let mut server = Server::start(ws.path(), &[]);
    assert_eq!(server.get("/").status, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + HANG;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "bcp serve ignored SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", server.log());
    // The log is read by a thread: give it the last line.
    let deadline = Instant::now() + HANG;
    while !server.log().contains("stopped") {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    // Nothing was written into the plan folder.
    let files: Vec<_> = std::fs::read_dir(ws.path().join("plan"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["bcp.yaml"]);
}

#[test]
fn start_up_failures_are_usage_errors() {
    let ws = workspace();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bcp"))
            .args(args)
            .current_dir(ws.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let o = run(&["serve", "plan", "--port", &port]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "error: cannot serve on `127.0.0.1:{port}`: address already in use\nhelp: another program uses the port; choose another with `--port N`, or `--port 0` for any free one"
        )),
        "{err}"
    );
    let o = run(&["serve", "no-such-plan", "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read `no-such-plan`"));
    let o = run(&["serve", "plan", "--bind", "localhost"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("invalid value 'localhost' for '--bind <ADDR>'")
    );
}

/// `--bind` to every address says who can read the plan; `--open` asks the desktop to open it.
#[cfg(target_os = "linux")]
#[test]
fn bind_says_who_can_connect_and_open_starts_a_browser() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace();
    let bin = ws.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let opened = ws.path().join("opened.txt");
    let stub = bin.join("xdg-open");
    std::fs::write(
        &stub,
        format!("#!/bin/sh\necho \"$@\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args([
            "serve", "plan", "--port", "0", "--today", TODAY, "--bind", "0.0.0.0", "--open",
        ])
        .current_dir(ws.path())
        .env("PATH", path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = lines_of(child.stdout.take().unwrap());
    let first = lines.recv_timeout(HANG).unwrap();
    let second = lines.recv_timeout(HANG).unwrap();
    let url = first.split(" at ").nth(1).unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    assert!(
        second.starts_with("listening on 0.0.0.0: anyone who can reach this machine on the network can read the plan"),
        "{second}"
    );
    let deadline = Instant::now() + HANG;
    while std::fs::read_to_string(&opened).map_or(true, |t| t.trim() != url) {
        assert!(Instant::now() < deadline, "xdg-open was not run with {url}");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Shared on purpose: any host name is answered.
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .write_all(b"HEAD / HTTP/1.1\r\nHost: plans.internal\r\n\r\n")
        .unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    assert!(reply.starts_with(b"HTTP/1.1 200 OK"));
    let _ = child.kill();
    let _ = child.wait();
}

/// A headless Chromium, driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
/// messages are JSON ended by a NUL byte, on the browser's file descriptors 3 and 4).
struct Browser {
    child: Child,
    to: std::process::ChildStdin,
    from: Receiver<serde_json::Value>,
    next_id: u64,
    session: Option<String>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A new browser; `None` (or, in CI, a failure) when there is no Chromium.
    fn launch() -> Option<Browser> {
        let chromium = chromium("the live preview in a browser")?;
        let profile = tempfile::tempdir().unwrap();
        // The shell gives the browser our pipes as descriptors 3 (commands) and 4 (replies).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null")
            .arg(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Chromium starts");
        let to = child.stdin.take().unwrap();
        let mut out = child.stdout.take().unwrap();
        let (send, from) = channel();
        std::thread::spawn(move || {
            let mut pending = Vec::new();
            let mut buf = [0u8; 16384];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                pending.extend_from_slice(&buf[..n]);
                while let Some(end) = pending.iter().position(|&b| b == 0) {
                    let message: Vec<u8> = pending.drain(..=end).collect();
                    if let Ok(v) = serde_json::from_slice(&message[..end])
                        && send.send(v).is_err()
                    {
                        return;
                    }
                }
            }
        });
        Some(Browser {
            child,
            to,
            from,
            next_id: 0,
            session: None,
            _profile: profile,
        })
    }

    /// Sends a command (to the page once one is open) and returns its result, or the error
    /// Chromium answered with.
    fn call(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = serde_json::json!({ "id": id, "method": method });
        message["params"] = params;
        if let Some(session) = &self.session {
            message["sessionId"] = session.clone().into();
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap();
        self.to.flush().unwrap();
        let deadline = Instant::now() + HANG;
        loop {
            let reply = self
                .from
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("Chromium did not answer {method}"));
            if reply["id"] == id {
                return match reply.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(reply["result"].clone()),
                };
            }
        }
    }

    fn open(&mut self, url: &str) {
        let target = self
            .call("Target.createTarget", serde_json::json!({ "url": url }))
            .expect("a new page");
        let attached = self
            .call(
                "Target.attachToTarget",
                serde_json::json!({ "targetId": target["targetId"], "flatten": true }),
            )
            .expect("attached to the page");
        self.session = Some(attached["sessionId"].as_str().unwrap().to_string());
    }

    /// Evaluates an expression in the page; its value (`null` while the page is between two
    /// documents, when there is nothing to evaluate in).
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        let params = serde_json::json!({ "expression": expression, "returnByValue": true });
        match self.call("Runtime.evaluate", params) {
            Ok(result) => result["result"]["value"].clone(),
            Err(_) => serde_json::Value::Null,
        }
    }

    /// Evaluates `expression` until `ok` holds for its value; the value.
    fn wait_for(
        &mut self,
        expression: &str,
        what: &str,
        ok: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + HANG;
        loop {
            let value = self.eval(expression);
            if ok(&value) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {what}; last: {}",
                value.to_string().chars().take(2000).collect::<String>()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the page shows once it has loaded (`null` while it loads or reloads): the banner's
/// text, the document's text, the bar's classes.
const SHOWN: &str = "(function () {
  var bar = document.getElementById('bcp-preview');
  if (document.readyState !== 'complete' || !bar) { return null; }
  var banner = document.getElementById('bcp-preview-banner');
  var main = document.querySelector('main');
  return { banner: banner ? banner.innerText : '', main: main ? main.innerText : '', bar: bar.className };
})()";

fn field(shown: &serde_json::Value, name: &str) -> String {
    shown[name].as_str().unwrap_or_default().to_string()
}

/// An open page follows the plan: an edit shows without a reload by hand, an error brings
/// the banner with its position, the fix takes it away.
#[test]
fn an_open_page_follows_the_plan_in_chromium() {
    let Some(mut browser) = Browser::launch() else {
        return;
    };
    let ws = workspace();
    let server = Server::start(ws.path(), &[]);
    browser.open(&server.url("/"));
    let loaded = |v: &serde_json::Value| !v.is_null();

    // The page renders, and its event stream connects (the script says so in the bar).
    let shown = browser.wait_for(SHOWN, "the plan", loaded);
    assert!(field(&shown, "main").contains("Freight booking"));
    assert_eq!(field(&shown, "banner"), "");
    browser.wait_for(
        "document.getElementById('bcp-preview-state').textContent",
        "a live connection",
        |v| v == "live",
    );
    assert_eq!(browser.eval(SHOWN)["bar"], "", "connected, no errors");
    // Marks this page: a reload (by the page itself) forgets it.
    browser.eval("window.untouched = true");

    // An edit to the YAML shows in the open page.
    edit(
        ws.path(),
        "name: Freight booking",
        "name: Freight booking and tracking",
    );
    browser.wait_for(SHOWN, "the edit", |v| {
        field(v, "main").contains("Freight booking and tracking")
    });
    assert_eq!(
        browser.eval("window.untouched === undefined"),
        true,
        "the page reloaded by itself"
    );

    // An error: the banner, with the finding's position; the page keeps the last good render.
    edit(ws.path(), "rto: 4h", "rto: 2d");
    // (Waiting for this finding, not any banner: on a busy machine the watcher may see the
    // file between its truncation and its writing, and show "plan file is empty" meanwhile.)
    let shown = browser.wait_for(SHOWN, "the banner", |v| {
        field(v, "banner").contains("error[B001]")
    });
    let banner = field(&shown, "banner");
    assert!(banner.contains("The plan has 2 errors."), "{banner}");
    assert!(
        banner.contains("plan/bcp.yaml:165:10 error[B001] function `f-booking` has RTO 2d longer than its MTD 1d"),
        "{banner}"
    );
    assert!(banner.contains("165 |     rto: 2d"), "{banner}");
    assert!(field(&shown, "main").contains("Freight booking and tracking"));
    assert!(field(&shown, "bar").contains("bcp-has-errors"));

    // The position is a link to that line of the plan file, the finding under it.
    browser.eval("document.querySelector('#bcp-preview-banner a.bcp-pos').click()");
    let line = browser.wait_for(
        "(function () {
          var line = document.readyState === 'complete' && document.querySelector(':target');
          return line ? location.pathname + location.hash + ' ' + line.innerText + ' / ' + line.nextSibling.innerText : null;
        })()",
        "the finding's line in the plan file",
        |v| !v.is_null(),
    );
    assert_eq!(
        line,
        "/source/bcp.yaml#L165 165    rto: 2d / error[B001] function `f-booking` has RTO 2d longer than its MTD 1d"
    );
    browser.eval("history.back()");
    browser.wait_for(SHOWN, "the plan again", |v| {
        field(v, "main").contains("Freight booking and tracking")
    });

    // Fixed: the banner goes.
    edit(ws.path(), "rto: 2d", "rto: 4h");
    browser.wait_for(SHOWN, "no banner", |v| {
        loaded(v) && field(v, "banner").is_empty()
    });

    // Garbage and back: the page survives both ways.
    let plan = ws.path().join("plan/bcp.yaml");
    let good = std::fs::read(&plan).unwrap();
    std::fs::write(&plan, b"plan: [unclosed\n").unwrap();
    let shown = browser.wait_for(SHOWN, "the broken file's position", |v| {
        field(v, "banner").contains("plan/bcp.yaml:1:7 error[L")
    });
    assert!(field(&shown, "main").contains("Freight booking and tracking"));
    std::fs::write(&plan, good).unwrap();
    let shown = browser.wait_for(SHOWN, "no banner", |v| {
        loaded(v) && field(v, "banner").is_empty()
    });
    assert!(field(&shown, "main").contains("Freight booking and tracking"));

    // The bar leads to the scenario matrix, and that page follows the plan too.
    browser.eval("document.querySelector('#bcp-preview a[href=\"/scenarios\"]').click()");
    let shown = browser.wait_for(SHOWN, "the scenario matrix", |v| {
        field(v, "main").contains("Depot flooded")
    });
    assert!(
        field(&shown, "main").contains("Freight booking and tracking"),
        "{shown}"
    );
    edit(ws.path(), "name: Depot flooded", "name: Depot under water");
    browser.wait_for(SHOWN, "the renamed scenario", |v| {
        field(v, "main").contains("Depot under water")
    });
}
