//! HTML output: Markdown through comrak in safe mode (raw HTML and `javascript:` links are
//! never passed through), then the markers replaced by inline SVG diagrams, coloured badges
//! and the table of contents, all generated here with every plan string escaped. The page
//! shell and stylesheet are templates (`document.html`, `style.css`).

use super::markdown::{MARK, marker, xml};
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
/// The Markdown is converted and finished part by part ([`parts`]): a large plan's document
/// is tens of MB, and comrak's tree of all of it, then a copy of the whole HTML for every
/// kind of marker, took most of `render`'s memory. Every marker but the contents lies within
/// one part (a part ends only before a heading); the heading ids and the contents list are
/// kept over the whole document by [`Headings`], and the contents put in last, so the HTML is
/// the same as from one parse.
pub fn body(source: &str, d: &Diagrams) -> String {
    let options = options();
    let headings = Headings::default();
    let mut plugins = comrak::options::Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    let mut html = String::new();
    let mut part_html = String::new();
    let mut figures = Figures::default();
    let mut card = Card::default();
    for part in parts(source) {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, part, &options);
        part_html.clear();
        // Writing into a String cannot fail.
        let _ = comrak::format_html_with_plugins(root, &options, &mut part_html, &plugins);
        // comrak aligns table cells with the obsolete `align` attribute: classes instead (the
        // stylesheet aligns them). Plan text cannot forge these tags: its quotes are escaped.
        let part = figures.put_in(cell_classes(&part_html), d);
        let part = card.panels(&keep_tokens_whole(&part));
        let part = badges(&part, d);
        // Grown in steps of an eighth: doubling would leave up to half of a large body unused.
        if html.capacity() - html.len() < part.len() {
            html.reserve_exact(part.len().max(html.len() / 8));
        }
        html.push_str(&part);
    }
    html.push_str(card.end());
    // The contents, in place: no second copy of the body.
    let block = format!("<p>{}</p>", marker("toc", "contents"));
    if let Some(first) = html.find(&block) {
        let contents = toc(&headings.into_list(), d);
        let mut at = first;
        while let Some(found) = html[at..].find(&block) {
            let start = at + found;
            html.replace_range(start..start + block.len(), &contents);
            at = start + contents.len();
        }
    }
    html
}

/// The diagrams and cost charts that replace their block markers (a marker sits alone in a
/// paragraph: the paragraph is replaced), each drawn once, when first met.
#[derive(Default)]
struct Figures {
    drawn: std::collections::BTreeMap<String, String>,
    cost: Option<crate::cost::CostReport>,
}

impl Figures {
    fn put_in(&mut self, mut html: String, d: &Diagrams) -> String {
        if !html.contains(MARK) {
            return html;
        }
        for (kind, arg) in [
            ("diagram", "risk-matrix"),
            ("diagram", "call-tree"),
            ("diagram", "timeline"),
        ] {
            let block = format!("<p>{}</p>", marker(kind, arg));
            if html.contains(&block) {
                let figure = self
                    .drawn
                    .entry(block.clone())
                    .or_insert_with(|| match arg {
                        "risk-matrix" => figure("risk-matrix", &svg::risk_matrix(d.plan, d.lang)),
                        "call-tree" => {
                            figure("call-tree", &svg::call_tree(d.plan, d.names, d.lang))
                        }
                        _ => figure("timeline", &svg::timeline(d.order, d.lang)),
                    });
                html = html.replace(&block, figure);
            }
        }
        // One cost chart per critical function with priced options (see `cost::charted`).
        if html.contains(&format!("{MARK}cost-chart:")) {
            let report = self
                .cost
                .get_or_insert_with(|| crate::cost::analyse(d.plan));
            for (i, f) in crate::cost::charted(report).into_iter().enumerate() {
                let block = format!("<p>{}</p>", marker("cost-chart", &i.to_string()));
                if html.contains(&block) {
                    html = html.replace(&block, &figure("cost-chart", &svg::cost_chart(f, d.lang)));
                }
            }
        }
        html
    }
}

/// The wallet card's panels: each panel marker paragraph closes the panel before it; the
/// first opens the sheet, which closes at the end of the document.
#[derive(Default)]
struct Card {
    open: bool,
}

impl Card {
    fn panels(&mut self, html: &str) -> String {
        let panel_open = format!("<p>{MARK}panel:");
        let mut out = String::with_capacity(html.len() + 1024);
        let mut rest = html;
        while let Some(start) = rest.find(&panel_open) {
            out.push_str(&rest[..start]);
            let after = &rest[start + panel_open.len()..];
            let Some(end) = after.find(&format!("{MARK}</p>")) else {
                break;
            };
            let kind = &after[..end];
            out.push_str(if self.open {
                "</section>\n"
            } else {
                "<div class=\"card-sheet\">\n"
            });
            self.open = true;
            let _ = writeln!(out, "<section class=\"panel panel-{}\">", xml(kind));
            rest = &after[end + MARK.len_utf8() + "</p>".len()..];
        }
        out.push_str(rest);
        out
    }

    fn end(&self) -> &'static str {
        if self.open {
            "</section>\n</div>\n"
        } else {
            ""
        }
    }
}

/// Inline markers to badges; the contents marker is kept for [`body`] to fill in at the end.
fn badges(html: &str, d: &Diagrams) -> String {
    replace_markers(html, |kind, arg| match kind {
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
        "toc" => marker(kind, arg),
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
pub(super) fn parts(source: &str) -> Vec<&str> {
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
/// headings (level, text, id) for the contents, as [`super::headings`] gives it.
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
    ctx: &super::tree::Tree,
    doc: Doc,
    paper: Paper,
    body: String,
) -> Result<String, Error> {
    let title = super::doc_title_of(ctx, doc);
    page_of(env, &ctx.to_value(), &title, doc, paper, body)
}

/// [`page`] with the context already converted for the templates, and the document's title.
///
/// The body (tens of MB for a large plan) is not handed to the template: the page is rendered
/// around a stand-in, then put together once, so the body is not copied into a template
/// value and the page into a growing buffer. A plan's own `document.html` gets the body as a
/// value, as before: it may do more with it than print it once.
///
/// # Errors
/// [`Error::Template`] when `document.html` or `style.css` fails.
pub fn page_of(
    env: &Environment<'static>,
    base: &Value,
    title: &str,
    doc: Doc,
    paper: Paper,
    body: String,
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
    let render = |body: Value| {
        env.get_template("document.html")
            .and_then(|t| {
                t.render(minijinja::context! {
                    doc => doc.as_str(),
                    title => title,
                    paper => paper,
                    css => Value::from_safe_string(css.clone()),
                    body => body,
                    ..base.clone()
                })
            })
            .map_err(|e| template_error(&e))
    };
    let built_in = env
        .get_template("document.html")
        .is_ok_and(|t| Some(t.source()) == super::builtin("document.html"));
    if !built_in {
        return render(Value::from_safe_string(body));
    }
    // Plan text cannot hold MARK (the escaper replaces it), so only the stand-in is this.
    let stand_in = format!("{MARK}body{MARK}");
    let shell = render(Value::from_safe_string(stand_in.clone()))?;
    let mut halves = shell.split(&stand_in);
    if let (Some(before), Some(after), None) = (halves.next(), halves.next(), halves.next()) {
        // In the body's own buffer: a large page is not held twice.
        let mut page = body;
        page.reserve_exact(before.len() + after.len());
        page.insert_str(0, before);
        page.push_str(after);
        return Ok(page);
    }
    render(Value::from_safe_string(body))
}
