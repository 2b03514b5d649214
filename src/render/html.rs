//! HTML output: Markdown through comrak in safe mode (raw HTML and `javascript:` links are
//! never passed through), then the markers replaced by inline SVG diagrams, coloured badges
//! and the table of contents, all generated here with every plan string escaped. The page
//! shell and stylesheet are templates (`document.html`, `style.css`).

use super::markdown::{MARK, xml};
use super::{Diagrams, Doc, Paper, i18n, replace_markers, svg, template_error};
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
///
/// The Markdown is converted part by part ([`parts`]): a large plan's document is tens of MB,
/// and comrak's tree of all of it took most of `render`'s memory. The heading ids and the
/// contents list are kept over the whole document by [`Headings`], so the HTML is the same
/// as from one parse.
pub fn body(source: &str, d: &Diagrams) -> String {
    let options = options();
    let headings = Headings::default();
    let mut plugins = comrak::options::Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    let mut html = String::with_capacity(source.len() * 2);
    let mut part_html = String::new();
    for part in parts(source) {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, part, &options);
        part_html.clear();
        // Writing into a String cannot fail.
        let _ = comrak::format_html_with_plugins(root, &options, &mut part_html, &plugins);
        // comrak aligns table cells with the obsolete `align` attribute: classes instead (the
        // stylesheet aligns them). Plan text cannot forge these tags: its quotes are escaped.
        html.push_str(&cell_classes(&part_html));
    }
    let heads = headings.into_list();
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

/// Table cells aligned by class instead of comrak's `align` attribute.
fn cell_classes(html: &str) -> String {
    let mut html = html.to_string();
    for cell in ["th", "td"] {
        for (align, class) in [("right", "num"), ("center", "center"), ("left", "left")] {
            let from = format!(r#"<{cell} align="{align}">"#);
            if html.contains(&from) {
                html = html.replace(&from, &format!(r#"<{cell} class="{class}">"#));
            }
        }
    }
    html
}

/// The document cut where comrak converts each part alone to the same HTML as the whole:
/// before an ATX heading that follows a blank line (every block before it has ended there;
/// a list or quote does not continue into a heading at the margin). A fenced code block or
/// a link reference definition could reach across such a line, so a document with either
/// (no built-in template writes one; plan text cannot, it is escaped) stays whole.
fn parts(source: &str) -> Vec<&str> {
    let reaches_across = source.lines().any(|line| {
        let t = line.trim_start();
        t.starts_with("```") || t.starts_with("~~~") || (t.starts_with('[') && t.contains("]:"))
    });
    if reaches_across {
        return vec![source];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in source.match_indices("\n\n#") {
        let cut = i + 2;
        let hashes = source[cut..].bytes().take_while(|&b| b == b'#').count();
        let heading = (1..=6).contains(&hashes)
            && matches!(
                source.as_bytes().get(cut + hashes),
                Some(b' ' | b'\t' | b'\n')
            );
        if heading && cut > start {
            out.push(&source[start..cut]);
            start = cut;
        }
    }
    out.push(&source[start..]);
    out
}

/// Writes headings as comrak does with `header_id_prefix = "sec-"` (its own `id`, then the
/// anchor link), with one anchorizer over all the parts of a document, and keeps the list of
/// headings (level, text, id) for the contents, as [`super::headings_of`] gives it.
#[derive(Default)]
struct Headings {
    seen: std::sync::Mutex<(comrak::Anchorizer, Vec<Heading>)>,
}

/// A heading's level, text and id.
type Heading = (u8, String, String);

impl Headings {
    fn into_list(self) -> Vec<Heading> {
        self.seen
            .into_inner()
            .map(|(_, list)| list)
            .unwrap_or_default()
    }
}

impl comrak::adapters::HeadingAdapter for Headings {
    fn enter(
        &self,
        out: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
        _sourcepos: Option<comrak::nodes::Sourcepos>,
    ) -> std::fmt::Result {
        let mut seen = self.seen.lock().map_err(|_| std::fmt::Error)?;
        let id = seen.0.anchorize(&heading.content);
        write!(out, r#"<h{} id="sec-{id}">"#, heading.level)?;
        seen.1.push((heading.level, heading.content.clone(), id));
        Ok(())
    }

    fn exit(
        &self,
        out: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
    ) -> std::fmt::Result {
        let seen = self.seen.lock().map_err(|_| std::fmt::Error)?;
        let id = seen.1.last().map_or("", |(_, _, id)| id.as_str());
        write!(
            out,
            r##"<a href="#sec-{id}" aria-label="Link to heading '"##
        )?;
        comrak::html::escape(out, &heading.content)?;
        out.write_str(r#"'" data-heading-content=""#)?;
        comrak::html::escape(out, &heading.content)?;
        out.write_str(r#"" class="anchor"></a>"#)?;
        writeln!(out, "</h{}>", heading.level)
    }
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
    ctx: &std::sync::Arc<serde_json::Value>,
    doc: Doc,
    paper: Paper,
    body: &str,
) -> Result<String, Error> {
    let title = super::doc_title_of(ctx, doc);
    page_of(env, super::values::context(ctx), &title, doc, paper, body)
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
