//! HTML output: Markdown through comrak in safe mode (raw HTML and `javascript:` links are
//! never passed through), then the markers replaced by inline SVG diagrams, coloured badges
//! and the table of contents, all generated here with every plan string escaped. The page
//! shell and stylesheet are templates (`document.html`, `style.css`).

use super::markdown::{MARK, xml};
use super::{Diagrams, Doc, Paper, headings_of, i18n, replace_markers, svg, template_error};
use crate::error::Error;
use minijinja::Environment;
use minijinja::value::Value;
use std::fmt::Write as _;

/// comrak's options: GitHub tables and strikethrough, heading ids with a prefix, and safe mode
/// (the default: `render.r#unsafe` stays false).
pub fn options() -> comrak::Options<'static> {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.header_id_prefix = Some("sec-".into());
    o.extension.header_id_prefix_in_href = true;
    o
}

/// The document body: Markdown to HTML, then markers to diagrams and badges.
pub fn body(source: &str, d: &Diagrams) -> String {
    // One parse serves the contents list and the HTML (a large plan's document is tens of MB).
    let arena = comrak::Arena::new();
    let options = options();
    let root = comrak::parse_document(&arena, source, &options);
    let heads = headings_of(root);
    let mut html = String::with_capacity(source.len() * 2);
    // Writing into a String cannot fail.
    let _ = comrak::format_html(root, &options, &mut html);
    // comrak aligns table cells with the obsolete `align` attribute: classes instead (the
    // stylesheet aligns them). Plan text cannot forge these tags: its quotes are escaped.
    for cell in ["th", "td"] {
        for (align, class) in [("right", "num"), ("center", "center"), ("left", "left")] {
            html = html.replace(
                &format!(r#"<{cell} align="{align}">"#),
                &format!(r#"<{cell} class="{class}">"#),
            );
        }
    }
    // Block markers sit alone in a paragraph: replace the paragraph.
    for (kind, arg) in [
        ("diagram", "risk-matrix"),
        ("diagram", "call-tree"),
        ("diagram", "timeline"),
        ("toc", "contents"),
    ] {
        let block = format!("<p>{MARK}{kind}:{arg}{MARK}</p>");
        if html.contains(&block) {
            let replacement = match (kind, arg) {
                ("toc", _) => toc(&heads, d),
                ("diagram", "risk-matrix") => {
                    figure("risk-matrix", &svg::risk_matrix(d.plan, d.lang))
                }
                ("diagram", "call-tree") => {
                    figure("call-tree", &svg::call_tree(d.plan, d.names, d.lang))
                }
                _ => figure("timeline", &svg::timeline(d.order, d.lang)),
            };
            html = html.replace(&block, &replacement);
        }
    }
    // One cost chart per critical function with priced options (see `cost::charted`).
    if html.contains(&format!("{MARK}cost-chart:")) {
        let report = crate::cost::analyse(d.plan);
        for (i, f) in crate::cost::charted(&report).into_iter().enumerate() {
            let block = format!("<p>{MARK}cost-chart:{i}{MARK}</p>");
            html = html.replace(&block, &figure("cost-chart", &svg::cost_chart(f, d.lang)));
        }
    }
    let mut html = keep_tokens_whole(&html);
    // The wallet card's panels: each marker paragraph closes the panel before it.
    let panel_open = format!("<p>{MARK}panel:");
    if html.contains(&panel_open) {
        let mut out = String::with_capacity(html.len() + 1024);
        let mut rest = html.as_str();
        let mut first = true;
        while let Some(start) = rest.find(&panel_open) {
            out.push_str(&rest[..start]);
            let after = &rest[start + panel_open.len()..];
            let Some(end) = after.find(&format!("{MARK}</p>")) else {
                break;
            };
            let kind = &after[..end];
            out.push_str(if first {
                "<div class=\"card-sheet\">\n"
            } else {
                "</section>\n"
            });
            first = false;
            let _ = writeln!(out, "<section class=\"panel panel-{}\">", xml(kind));
            rest = &after[end + MARK.len_utf8() + "</p>".len()..];
        }
        out.push_str(rest);
        out.push_str("</section>\n</div>\n");
        html = out;
    }
    replace_markers(&html, |kind, arg| match kind {
        "tier" => format!(
            r#"<span class="tier tier-{arg}">{}</span>"#,
            xml(i18n::value(d.lang, "tier", arg).unwrap_or(arg))
        ),
        "score" => {
            let score: u32 = arg.parse().unwrap_or(0);
            format!(
                r#"<span class="score" style="background:{}">{score}</span>"#,
                svg::score_colour(score)
            )
        }
        _ => String::new(),
    })
}

/// A table cell holding one short token (an id, a date, a number with its unit) keeps it on
/// one line: narrow columns otherwise break `warehouse-fire` or `2026-03-02` at the hyphen.
fn keep_tokens_whole(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(start) = rest.find("<td") {
        let Some(open_end) = rest[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        out.push_str(&rest[..open_end]);
        rest = &rest[open_end..];
        let Some(close) = rest.find("</td>") else {
            break;
        };
        let cell = &rest[..close];
        // Only tokens a browser could break: with a digit or a hyphen-like character.
        let whole = !cell.contains(['<', ' ', '\n', MARK])
            && (2..=24).contains(&cell.chars().count())
            && (cell.is_ascii() || cell.chars().any(|c| c.is_ascii_digit()))
            && cell
                .chars()
                .any(|c| c.is_ascii_digit() || "-_./:".contains(c));
        if whole {
            let _ = write!(out, "<span class=\"nb\">{cell}</span>");
        } else {
            out.push_str(cell);
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

fn figure(class: &str, svg: &str) -> String {
    format!("<figure class=\"{class}\">{svg}</figure>\n")
}

fn toc(heads: &[(u8, String, String)], d: &Diagrams) -> String {
    let mut out = format!(
        "<nav class=\"toc\"><h2 class=\"toc-title\">{}</h2><ol>\n",
        xml(i18n::label(d.lang, "contents"))
    );
    for (_, text, id) in heads.iter().filter(|(l, _, _)| *l == 2) {
        let _ = writeln!(
            out,
            "<li><a href=\"#sec-{}\">{}</a></li>",
            xml(id),
            xml(text)
        );
    }
    out.push_str("</ol></nav>\n");
    out
}

/// The whole page: the `document.html` template around the body, with `style.css` inlined.
///
/// # Errors
/// [`Error::Template`] when `document.html` or `style.css` fails.
pub fn page(
    env: &Environment<'static>,
    ctx: &serde_json::Value,
    doc: Doc,
    paper: Paper,
    body: &str,
) -> Result<String, Error> {
    let title = super::doc_title_of(ctx, doc);
    page_of(
        env,
        Value::from(minijinja::value::Serde(ctx)),
        &title,
        doc,
        paper,
        body,
    )
}

/// [`page`] with the context already converted for the templates, and the document's title.
///
/// # Errors
/// [`Error::Template`] when `document.html` or `style.css` fails.
pub fn page_of(
    env: &Environment<'static>,
    base: Value,
    title: &str,
    doc: Doc,
    paper: Paper,
    body: &str,
) -> Result<String, Error> {
    let paper = match paper {
        Paper::A4 => "A4",
        Paper::Letter => "Letter",
    };
    let css = env
        .get_template("style.css")
        .and_then(|t| {
            t.render(minijinja::context! { doc => doc.as_str(), title => title, paper => paper, ..base.clone() })
        })
        .map_err(|e| template_error(&e))?;
    env.get_template("document.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                doc => doc.as_str(),
                title => title,
                paper => paper,
                css => Value::from_safe_string(css),
                body => Value::from_safe_string(body.to_string()),
                ..base
            })
        })
        .map_err(|e| template_error(&e))
}
