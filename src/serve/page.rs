//! What the preview adds to a rendered document: a bar with the documents and the plan's state,
//! the banner of findings, and the script that reloads the page. Also the pages of its own: the
//! findings page (a plan that never rendered) and "not found". Every piece of plan text goes
//! through [`xml`], the HTML escaper of the render stage.

use crate::diagnostic::Severity;
use crate::model::Lang;
use crate::render::markdown::xml;
use crate::render::{Doc, i18n};
use std::fmt::Write as _;

/// The reload script, inlined into every page.
pub const SCRIPT: &str = include_str!("preview.js");

/// SHA-256 of [`SCRIPT`], base64: the only script the Content-Security-Policy lets run.
/// (`page::tests` checks it against the script, and says the new value when the script changes.)
pub const SCRIPT_SHA256: &str = "JsMGYhnoV7pLanLLuRa50Zh7LCk3RHxah66uEq0O/+Y=";

/// Nothing loads from elsewhere, the one script that runs is ours, the styles and inline SVG
/// of the documents are allowed, and the page may only talk back to this server.
pub static CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "default-src 'none'; script-src 'sha256-{SCRIPT_SHA256}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
});

/// The preview's own styles, scoped to its elements and never printed.
const STYLE: &str = r"
#bcp-preview, #bcp-preview *, #bcp-preview-banner, #bcp-preview-banner * {
  box-sizing: border-box; font-family: system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', sans-serif;
  font-size: 13px; line-height: 1.45; letter-spacing: normal; text-transform: none;
}
#bcp-preview {
  position: sticky; top: 0; z-index: 2147483000; display: flex; flex-wrap: wrap; align-items: center;
  gap: 4px 14px; margin: 0 0 12px; padding: 6px 12px; background: #1f2933; color: #e4e7eb;
  border-radius: 0 0 6px 6px; box-shadow: 0 1px 4px rgba(0,0,0,.25);
}
#bcp-preview a { color: #e4e7eb; text-decoration: none; border-bottom: 2px solid transparent; }
#bcp-preview a:hover { border-bottom-color: #9aa5b1; }
#bcp-preview a.bcp-current, #bcp-preview summary.bcp-current { color: #fff; font-weight: 600; border-bottom: 2px solid #fff; }
#bcp-preview .bcp-docs { display: flex; flex-wrap: wrap; gap: 4px 12px; flex: 1 1 auto; }
#bcp-preview details { position: relative; }
#bcp-preview summary { cursor: pointer; }
#bcp-preview details ul {
  position: absolute; left: 0; top: 1.8em; margin: 0; padding: 6px 0; list-style: none;
  background: #323f4b; border-radius: 4px; min-width: 16em; max-height: 60vh; overflow: auto;
  box-shadow: 0 2px 8px rgba(0,0,0,.35);
}
#bcp-preview details li a { display: block; padding: 3px 12px; }
#bcp-preview .bcp-status { white-space: nowrap; }
#bcp-preview .bcp-status .bcp-count { padding: 1px 8px; border-radius: 9px; background: #3e4c59; }
#bcp-preview.bcp-has-errors .bcp-status .bcp-count { background: #c53030; color: #fff; }
#bcp-preview .bcp-state::before { content: '\25CF\00A0'; color: #48bb78; }
#bcp-preview.bcp-offline .bcp-state::before { color: #ecc94b; }
#bcp-preview-banner {
  margin: 0 0 16px; padding: 10px 14px; background: #fff5f5; color: #1a202c;
  border: 1px solid #feb2b2; border-left: 6px solid #c53030; border-radius: 4px;
}
#bcp-preview-banner .bcp-headline { margin: 0 0 6px; font-weight: 600; }
#bcp-preview-banner ol { margin: 0; padding-left: 1.6em; }
#bcp-preview-banner li { margin: 6px 0; }
#bcp-preview-banner .bcp-pos { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-weight: 600; }
#bcp-preview-banner .bcp-code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; color: #c53030; }
#bcp-preview-banner li.bcp-warning .bcp-code { color: #b7791f; }
#bcp-preview-banner pre {
  margin: 4px 0; padding: 4px 8px; background: #fff; border: 1px solid #fed7d7; border-radius: 3px;
  overflow-x: auto; white-space: pre; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px;
}
#bcp-preview-banner .bcp-ln { color: #718096; user-select: none; }
#bcp-preview-banner .bcp-help { margin: 2px 0 0; color: #2d3748; }
#bcp-preview-banner .bcp-more { margin: 6px 0 0; }
#bcp-preview-banner summary { cursor: pointer; margin: 4px 0 0 1.6em; color: #c53030; }
.bcp-preview-page { max-width: 60em; margin: 2em auto; font-family: system-ui, sans-serif; color: #1a202c; }
#bcp-preview-banner a.bcp-pos { color: inherit; }
.bcp-source pre { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 13px; line-height: 1.4; }
.bcp-source .bcp-line { display: block; scroll-margin-top: 6em; }
.bcp-source .bcp-ln { display: inline-block; width: 4.5em; padding-right: 1em; text-align: right; color: #718096; text-decoration: none; user-select: none; }
.bcp-source .bcp-marked { background: #fff5f5; }
.bcp-source .bcp-line:target { background: #fefcbf; }
.bcp-source .bcp-note { display: block; padding-left: 5.5em; color: #c53030; font-weight: 600; white-space: pre-wrap; }
.bcp-source .bcp-note.bcp-warning { color: #b7791f; }
@media print { #bcp-preview, #bcp-preview-banner { display: none !important; } }
";

/// A page the preview serves: a document, a team's runbook, or a plan file with findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Doc(Doc),
    Team(String),
    /// The scenario matrix on a page of its own.
    Scenarios,
    /// A plan file, by its path inside the plan folder (`/` between folders).
    Source(String),
    /// The findings page, or "not found": no document is current.
    Other,
}

impl Route {
    /// The path of a page as a request names it, decoded: `/` for the whole plan, `/drp`,
    /// `/team/ID`...
    pub fn path(&self) -> String {
        match self {
            Route::Doc(Doc::Full) => "/".into(),
            Route::Doc(doc) => format!("/{}", doc.as_str()),
            Route::Team(id) => format!("/team/{id}"),
            Route::Scenarios => "/scenarios".into(),
            Route::Source(file) => format!("/source/{file}"),
            Route::Other => String::new(),
        }
    }

    /// The path in a link: a team's id percent-encoded (ids may hold any visible character),
    /// and each folder and name of a plan file.
    fn href(&self) -> String {
        match self {
            Route::Team(id) => format!("/team/{}", percent_encode(id)),
            Route::Source(file) => {
                let parts: Vec<String> = file.split('/').map(percent_encode).collect();
                format!("/source/{}", parts.join("/"))
            }
            other => other.path(),
        }
    }
}

/// Where a finding's link leads: its line in the plan file's page.
pub fn source_href(file: &str, line: u32) -> String {
    format!("{}#L{line}", Route::Source(file.to_string()).href())
}

/// A team's id in a path: unreserved characters as they are, everything else `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One finding as the banner shows it.
#[derive(Clone, Debug)]
pub struct Finding {
    pub severity: Severity,
    /// `B001`, or a word for problems that are not plan findings (`template`, `read`).
    pub code: String,
    /// `file:line:col`, when the finding has a place.
    pub position: Option<String>,
    /// The position's line in the plan file's page ([`source_href`]), when that page is served.
    pub link: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The line the finding points at: its number and text.
    pub source: Option<(u32, String)>,
}

/// The banner: what is wrong and what the pages show meanwhile.
#[derive(Clone, Debug)]
pub struct Banner {
    pub headline: String,
    pub findings: Vec<Finding>,
    /// Findings not listed (the list is cut at [`BANNER_LIMIT`]).
    pub more: usize,
}

/// Findings listed in a banner at most; `bcp validate` lists every one.
pub const BANNER_LIMIT: usize = 50;
/// Findings shown at once; the others are behind a "N more" fold.
const BANNER_OPEN: usize = 5;

/// Everything around a document that depends on the plan's current state.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub generation: String,
    pub lang: Lang,
    /// Teams with a runbook page: (id, name).
    pub teams: Vec<(String, String)>,
    /// `2 errors, 1 warning`, `no problems found`, `cannot be read`.
    pub status: String,
    pub has_errors: bool,
    pub banner: Option<Banner>,
}

impl Chrome {
    /// The bar and the banner, for the top of `<body>`.
    fn top(&self, current: &Route) -> String {
        let mut out = String::with_capacity(2048);
        let _ = write!(
            out,
            "<div id=\"bcp-preview\" class=\"bcp-offline{}\" data-generation=\"{}\"><span class=\"bcp-docs\">",
            if self.has_errors {
                " bcp-has-errors"
            } else {
                ""
            },
            xml(&self.generation)
        );
        for doc in Doc::ALL {
            if doc == Doc::Team && !self.teams.is_empty() {
                self.teams_menu(&mut out, current);
                continue;
            }
            link(&mut out, &Route::Doc(doc), &self.short(doc), current);
            // The scenario matrix is a chapter of the DRP: its page follows the DRP's.
            if doc == Doc::Drp {
                let label = if self.lang == Lang::ZhCn {
                    "情景"
                } else {
                    "Scenarios"
                };
                link(&mut out, &Route::Scenarios, label, current);
            }
        }
        let _ = writeln!(
            out,
            "</span><span class=\"bcp-status\"><span class=\"bcp-count\">{}</span> <span id=\"bcp-preview-state\" class=\"bcp-state\">connecting…</span></span></div>",
            xml(&self.status)
        );
        if let Some(banner) = &self.banner {
            banner_html(&mut out, banner);
        }
        out
    }

    /// A document's name in the bar: short, in the plan's language.
    fn short(&self, doc: Doc) -> String {
        let zh = self.lang == Lang::ZhCn;
        match doc {
            Doc::Full => if zh { "计划" } else { "Plan" }.into(),
            Doc::Drp => if zh { "灾难恢复" } else { "DRP" }.into(),
            Doc::Team => if zh { "团队" } else { "Teams" }.into(),
            Doc::Card => if zh { "应急卡片" } else { "Card" }.into(),
            Doc::Bia => if zh { "业务影响分析" } else { "BIA" }.into(),
            Doc::Risks => if zh { "风险" } else { "Risks" }.into(),
            Doc::Compliance => if zh { "合规" } else { "Compliance" }.into(),
        }
    }

    fn teams_menu(&self, out: &mut String, current: &Route) {
        let here = matches!(current, Route::Team(_) | Route::Doc(Doc::Team));
        let _ = write!(
            out,
            "<details><summary{}>{}</summary><ul>",
            if here { " class=\"bcp-current\"" } else { "" },
            xml(&self.short(Doc::Team))
        );
        out.push_str("<li>");
        link(
            out,
            &Route::Doc(Doc::Team),
            i18n::label(self.lang, "doc_team"),
            current,
        );
        out.push_str("</li>");
        for (id, name) in &self.teams {
            out.push_str("<li>");
            link(out, &Route::Team(id.clone()), name, current);
            out.push_str("</li>");
        }
        out.push_str("</ul></details>");
    }
}

fn link(out: &mut String, route: &Route, label: &str, current: &Route) {
    let _ = write!(
        out,
        "<a href=\"{}\"{}>{}</a>",
        xml(&route.href()),
        if route == current {
            " class=\"bcp-current\" aria-current=\"page\""
        } else {
            ""
        },
        xml(label)
    );
}

fn banner_html(out: &mut String, banner: &Banner) {
    let _ = write!(
        out,
        "<div id=\"bcp-preview-banner\" role=\"alert\"><p class=\"bcp-headline\">{}</p><ol>",
        xml(&banner.headline)
    );
    for (i, f) in banner.findings.iter().enumerate() {
        if i == BANNER_OPEN && banner.findings.len() > BANNER_OPEN {
            // The rest folded away, so that a new plan full of placeholders still shows the
            // document under its banner.
            let _ = write!(
                out,
                "</ol><details><summary>{} more</summary><ol start=\"{}\">",
                banner.findings.len() - BANNER_OPEN,
                BANNER_OPEN + 1
            );
        }
        let _ = write!(
            out,
            "<li class=\"bcp-{}\">",
            match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
        );
        match (&f.position, &f.link) {
            (Some(position), Some(href)) => {
                let _ = write!(
                    out,
                    "<a class=\"bcp-pos\" href=\"{}\">{}</a> ",
                    xml(href),
                    xml(position)
                );
            }
            (Some(position), None) => {
                let _ = write!(out, "<span class=\"bcp-pos\">{}</span> ", xml(position));
            }
            (None, _) => {}
        }
        let _ = write!(
            out,
            "<span class=\"bcp-code\">{}[{}]</span> <span class=\"bcp-msg\">{}</span>",
            f.severity.as_str(),
            xml(&f.code),
            xml(&f.message)
        );
        if let Some((line, text)) = &f.source {
            let _ = write!(
                out,
                "<pre><span class=\"bcp-ln\">{line} | </span>{}</pre>",
                xml(text)
            );
        }
        if let Some(help) = &f.help {
            let _ = write!(out, "<p class=\"bcp-help\">help: {}</p>", xml(help));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    if banner.findings.len() > BANNER_OPEN {
        out.push_str("</details>");
    }
    if banner.more > 0 {
        let _ = write!(
            out,
            "<p class=\"bcp-more\">… and {} more; <code>bcp validate</code> lists every finding.</p>",
            banner.more
        );
    }
    out.push_str("</div>\n");
}

/// A rendered document with the preview around it: styles at the end of `<head>`, the bar and
/// banner at the top of `<body>`, the script at its end. (A plan's own `document.html` that
/// lacks these tags still gets all three.)
pub fn compose(document: &str, current: &Route, chrome: &Chrome) -> Vec<u8> {
    let style = format!("<style>{STYLE}</style>\n");
    let top = chrome.top(current);
    let script = format!("<script>{SCRIPT}</script>\n");
    let mut out = String::with_capacity(document.len() + style.len() + top.len() + script.len());
    let lower = document.to_ascii_lowercase();
    let head_end = lower.find("</head>");
    let body_start = lower
        .find("<body")
        .and_then(|i| lower[i..].find('>').map(|j| i + j + 1));
    let body_end = lower
        .rfind("</body>")
        .filter(|&end| body_start.is_none_or(|s| end >= s));
    match (head_end, body_start) {
        (Some(h), Some(b)) if h < b => {
            out.push_str(&document[..h]);
            out.push_str(&style);
            out.push_str(&document[h..b]);
        }
        (_, Some(b)) => {
            out.push_str(&document[..b]);
            out.push_str(&style);
        }
        (_, None) => out.push_str(&style),
    }
    out.push_str(&top);
    let rest_start = body_start.unwrap_or(0);
    let end = body_end.unwrap_or(document.len());
    out.push_str(&document[rest_start..end]);
    out.push_str(&script);
    out.push_str(&document[end..]);
    out.into_bytes()
}

/// A page of the preview's own: the bar, the banner, and a short text.
pub fn own_page(title: &str, text: &str, chrome: &Chrome) -> Vec<u8> {
    let lang = match chrome.lang {
        Lang::En => "en",
        Lang::ZhCn => "zh-CN",
    };
    let document = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} · bcp serve</title>\n</head>\n<body><main class=\"bcp-preview-page\"><h1>{}</h1><p>{}</p></main></body>\n</html>\n",
        xml(title),
        xml(title),
        xml(text)
    );
    compose(&document, &Route::Other, chrome)
}

/// A line of a plan file that has findings: its number, and each finding's severity, code and
/// message.
pub type Marks = std::collections::BTreeMap<u32, Vec<(Severity, String, String)>>;

/// A plan file as it is now, numbered line by line (`#L12` is line 12), the lines with findings
/// marked and their findings under them: where a finding's link in the banner leads.
pub fn source_page(
    file: &str,
    display: &str,
    lines: &[&str],
    marks: &Marks,
    chrome: &Chrome,
) -> Vec<u8> {
    let lang = match chrome.lang {
        Lang::En => "en",
        Lang::ZhCn => "zh-CN",
    };
    let mut body = String::with_capacity(lines.iter().map(|l| l.len() + 64).sum());
    for (index, text) in lines.iter().enumerate() {
        let n = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let found = marks.get(&n);
        let _ = write!(
            body,
            "<span id=\"L{n}\" class=\"bcp-line{}\"><a class=\"bcp-ln\" href=\"#L{n}\">{n}</a>{}</span>",
            if found.is_some() { " bcp-marked" } else { "" },
            xml(text)
        );
        for (severity, code, message) in found.into_iter().flatten() {
            let _ = write!(
                body,
                "<span class=\"bcp-note bcp-{}\">{}[{}] {}</span>",
                match severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                severity.as_str(),
                xml(code),
                xml(message)
            );
        }
    }
    let document = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} · bcp serve</title>\n</head>\n<body><main class=\"bcp-preview-page bcp-source\"><h1>{}</h1><pre>{body}</pre></main></body>\n</html>\n",
        xml(display),
        xml(display),
    );
    compose(&document, &Route::Source(file.to_string()), chrome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome(banner: Option<Banner>) -> Chrome {
        Chrome {
            generation: "g-1".into(),
            lang: Lang::En,
            teams: vec![("t-it".into(), "IT <recovery> team".into())],
            status: "no problems found".into(),
            has_errors: banner.is_some(),
            banner,
        }
    }

    /// The CSP's hash is the script's: were it not, browsers would refuse to run it and pages
    /// would never reload. Checked with coreutils' `sha256sum` where it exists.
    #[test]
    fn the_policy_allows_exactly_the_script() {
        assert!(CSP.contains(&format!("'sha256-{SCRIPT_SHA256}'")));
        assert!(!CSP.contains("script-src 'unsafe"));
        let Ok(mut child) = std::process::Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
        else {
            eprintln!("skipped: no `sha256sum` to check the script's hash");
            return;
        };
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), SCRIPT.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let hex = String::from_utf8(out.stdout).unwrap();
        let hex = hex.split_whitespace().next().unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        assert_eq!(
            base64(&bytes),
            SCRIPT_SHA256,
            "preview.js changed: put its new hash in SCRIPT_SHA256 and CSP"
        );
    }

    fn base64(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        while !out.len().is_multiple_of(4) {
            out.push('=');
        }
        out
    }

    #[test]
    fn compose_places_style_bar_and_script() {
        let doc = "<!DOCTYPE html>\n<html><head><title>x</title></head>\n<body class=\"doc-full\">\n<main>plan</main>\n</body>\n</html>\n";
        let page = String::from_utf8(compose(doc, &Route::Doc(Doc::Full), &chrome(None))).unwrap();
        let style = page.find("<style>").unwrap();
        assert!(style < page.find("</head>").unwrap());
        let bar = page.find("<div id=\"bcp-preview\"").unwrap();
        assert!(bar > page.find("<body class=\"doc-full\">").unwrap());
        assert!(bar < page.find("<main>plan").unwrap());
        let script = page.find("<script>").unwrap();
        assert!(script > page.find("</main>").unwrap() && script < page.find("</body>").unwrap());
        assert!(
            page.contains("IT &lt;recovery&gt; team"),
            "team names are escaped"
        );
        assert!(
            page.contains("<a href=\"/\" class=\"bcp-current\" aria-current=\"page\">Plan</a>")
        );
        assert!(
            !page.contains("bcp-preview-banner\""),
            "no banner without findings"
        );
        // A bare fragment still gets everything.
        let page = String::from_utf8(compose("plain", &Route::Other, &chrome(None))).unwrap();
        assert!(
            page.starts_with("<style>") && page.contains("plain") && page.ends_with("</script>\n")
        );
    }

    #[test]
    fn banner_escapes_every_finding() {
        let banner = Banner {
            headline: "The plan has 1 error".into(),
            findings: vec![Finding {
                severity: Severity::Error,
                code: "B001".into(),
                position: Some("plan/<x>.yaml:3:5".into()),
                link: None,
                message: "function `<script>alert(1)</script>` is late".into(),
                help: Some("fix & retry".into()),
                source: Some((3, "  name: <img src=x onerror=alert(1)>".into())),
            }],
            more: 2,
        };
        let page = String::from_utf8(compose(
            "<body></body>",
            &Route::Other,
            &chrome(Some(banner)),
        ))
        .unwrap();
        assert!(page.contains("<span class=\"bcp-pos\">plan/&lt;x&gt;.yaml:3:5</span>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(page.contains("fix &amp; retry"));
        assert!(page.contains("and 2 more"));
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the preview's own script"
        );
    }

    #[test]
    fn a_long_banner_folds_after_five() {
        let finding = |i: usize| Finding {
            severity: Severity::Error,
            code: "M004".into(),
            position: Some(format!("plan/bcp.yaml:{i}:3")),
            link: Some(source_href("bcp.yaml", 3)),
            message: "placeholder".into(),
            help: None,
            source: None,
        };
        let banner = Banner {
            headline: "The plan has 57 errors.".into(),
            findings: (1..=7).map(finding).collect(),
            more: 50,
        };
        let page = String::from_utf8(compose(
            "<body></body>",
            &Route::Other,
            &chrome(Some(banner)),
        ))
        .unwrap();
        let fold = page
            .find("<details><summary>2 more</summary><ol start=\"6\">")
            .unwrap();
        assert!(page.find("bcp.yaml:5:3").unwrap() < fold);
        assert!(page.find("bcp.yaml:6:3").unwrap() > fold);
        assert!(page.contains("and 50 more; <code>bcp validate</code> lists every finding."));
    }

    #[test]
    fn team_ids_are_percent_encoded_in_links() {
        assert_eq!(Route::Team("t-it".into()).href(), "/team/t-it");
        let team = Route::Team("技术/组".into());
        assert_eq!(team.href(), "/team/%E6%8A%80%E6%9C%AF%2F%E7%BB%84");
        assert_eq!(team.path(), "/team/技术/组");
        assert_eq!(Route::Doc(Doc::Full).path(), "/");
        assert_eq!(Route::Doc(Doc::Card).path(), "/card");
    }
}
