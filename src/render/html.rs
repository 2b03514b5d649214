//! HTML output: Markdown through comrak in safe mode (raw HTML and `javascript:` links are
//! never passed through), then the markers replaced by inline SVG diagrams, coloured badges
//! and the table of contents, all generated here with every plan string escaped. The page
//! shell and stylesheet are templates (`document.html`, `style.css`).

use super::markdown::{MARK, marker, xml};
use super::{Diagrams, Doc, Paper, i18n, replace_markers, svg, template_error};
use crate::error::Error;
use crate::output::Content;
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
pub fn body(source: &str, d: &Diagrams) -> Content {
    let mut body = Body::new(d);
    for part in parts(source) {
        body.push(part);
    }
    body.finish()
}

/// A document body being made, one part at a time, in order ([`body`]).
struct Body<'a> {
    d: &'a Diagrams<'a>,
    options: comrak::Options<'static>,
    headings: Headings,
    /// The finished parts; large, they are stored as they come ([`Content`]).
    html: Content,
    /// Where the contents go, when the document has them: known only at the end.
    contents: Vec<usize>,
    part_html: String,
    figures: Figures,
    card: Card,
}

impl<'a> Body<'a> {
    fn new(d: &'a Diagrams<'a>) -> Self {
        Body {
            d,
            options: options(),
            headings: Headings::default(),
            html: Content::default(),
            contents: Vec::new(),
            part_html: String::new(),
            figures: Figures::default(),
            card: Card::default(),
        }
    }

    /// Converts and finishes the next part, as [`parts`] cuts the document.
    fn push(&mut self, part: &str) {
        self.convert_part(part);
        self.finish_part();
    }

    /// comrak's HTML of a part, in `part_html`: its long tables a slice at a time.
    fn convert_part(&mut self, part: &str) {
        self.part_html.clear();
        for stretch in stretches(part) {
            match stretch {
                Stretch::Text(text) => self.convert(text),
                Stretch::LongTable { table, head } => {
                    let mark = self.part_html.len();
                    if !self.table_in_slices(table, head) {
                        self.part_html.truncate(mark);
                        self.convert(table);
                    }
                }
            }
        }
    }

    /// Appends comrak's HTML of `markdown` to the part's.
    fn convert(&mut self, markdown: &str) {
        let mut html = std::mem::take(&mut self.part_html);
        self.convert_into(markdown, &mut html);
        self.part_html = html;
    }

    fn convert_into(&self, markdown: &str, html: &mut String) {
        if markdown.is_empty() {
            return;
        }
        let mut plugins = comrak::options::Plugins::default();
        plugins.render.heading_adapter = Some(&self.headings);
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, markdown, &self.options);
        // Writing into a String cannot fail.
        let _ = comrak::format_html_with_plugins(root, &self.options, html, &plugins);
    }

    /// Appends comrak's HTML of a long table ([`stretches`]), converted a slice of rows at a
    /// time: each slice is the table's head (its first `head` bytes: the header and delimiter
    /// rows) and the next rows. Rows are read one by one against the head, so the slices'
    /// tables joined are the whole table's; each slice's HTML is checked to be one table with
    /// the same head, and false is returned (with some HTML appended) when one is not.
    fn table_in_slices(&mut self, table: &str, head: usize) -> bool {
        const OPEN: &str = "<table>\n<thead>\n";
        const HEAD_END: &str = "</thead>\n<tbody>\n";
        const CLOSE: &str = "</tbody>\n</table>\n";
        let (head, mut rows) = table.split_at(head);
        let mut markdown = String::with_capacity(head.len() + TABLE_SLICE + 1024);
        let mut html = String::new();
        let mut head_html = String::new();
        while !rows.is_empty() {
            // Bytes, not text: the slice's size may fall inside a character, a line end does not.
            let cut = memchr::memchr(b'\n', &rows.as_bytes()[TABLE_SLICE.min(rows.len())..])
                .map_or(rows.len(), |i| TABLE_SLICE + i + 1);
            markdown.clear();
            markdown.push_str(head);
            markdown.push_str(&rows[..cut]);
            rows = &rows[cut..];
            html.clear();
            self.convert_into(&markdown, &mut html);
            let Some(body) = html.find(HEAD_END).map(|i| i + HEAD_END.len()) else {
                return false;
            };
            let (this_head, body) = html.split_at(body);
            let Some(body) = body.strip_suffix(CLOSE) else {
                return false;
            };
            if !this_head.starts_with(OPEN) || body.contains("</table>") {
                return false;
            }
            if head_html.is_empty() {
                head_html.push_str(this_head);
                self.part_html.push_str(this_head);
            } else if head_html != this_head {
                return false;
            }
            self.part_html.push_str(body);
        }
        self.part_html.push_str(CLOSE);
        true
    }

    /// Finishes the part's HTML and adds it to the body. A large part (a long table) is
    /// finished a stretch of rows at a time, so each step's copy is of a stretch: every change
    /// here is local to a tag, a cell or a marker paragraph, and none of those holds the end
    /// of a table row.
    fn finish_part(&mut self) {
        let html = std::mem::take(&mut self.part_html);
        let mut rest = html.as_str();
        while rest.len() > TABLE_SLICE {
            let end = memchr::memmem::find(&rest.as_bytes()[TABLE_SLICE..], b"</tr>\n")
                .map_or(rest.len(), |i| TABLE_SLICE + i + "</tr>\n".len());
            self.finish_stretch(&rest[..end]);
            rest = &rest[end..];
        }
        self.finish_stretch(rest);
        // The buffer is kept for the next part, unless a long table made it large.
        if html.capacity() <= 4 * TABLE_SLICE {
            self.part_html = html;
        }
    }

    fn finish_stretch(&mut self, html: &str) {
        // comrak aligns table cells with the obsolete `align` attribute: classes instead (the
        // stylesheet aligns them). Plan text cannot forge these tags: its quotes are escaped.
        let html = cell_classes(html);
        // Figures go into the body as they are (megabytes of SVG for a large plan's timeline,
        // with nothing in them for the steps below); the text around them is finished.
        let mut rest = html.as_str();
        while let Some((at, length, class, svg)) = self.figures.next(rest, self.d) {
            self.finish_text(&rest[..at]);
            self.html.push_str(&format!("<figure class=\"{class}\">"));
            self.html.push_str(&svg);
            self.html.push_str("</figure>\n");
            rest = &rest[at + length..];
        }
        self.finish_text(rest);
    }

    fn finish_text(&mut self, html: &str) {
        let part = self.card.panels(&keep_tokens_whole(html));
        let part = badges(&part, self.d);
        // A contents marker lies within one part (a paragraph): a slot for the contents.
        let block = format!("<p>{}</p>", marker("toc", "contents"));
        let block = memchr::memmem::Finder::new(&block);
        let mut rest = part.as_str();
        while let Some(at) = block.find(rest.as_bytes()) {
            self.html.push_str(&rest[..at]);
            self.contents.push(self.html.slot());
            rest = &rest[at + block.needle().len()..];
        }
        self.html.push_str(rest);
    }

    fn finish(self) -> Content {
        let Body {
            d,
            headings,
            mut html,
            contents,
            card,
            ..
        } = self;
        html.push_str(card.end());
        if !contents.is_empty() {
            let list = toc(&headings.into_list(), d);
            for slot in contents {
                html.fill(slot, &list);
            }
        }
        html
    }
}

/// The body of a document whose Markdown arrives in pieces while its template is still being
/// rendered (on another thread): each part is converted as soon as the next has begun, so
/// the conversion keeps pace with the template instead of following it. Gives the same HTML
/// as [`body`] of the pieces joined, or nothing when the document turns out to need
/// converting whole ([`parts`]): the Markdown converted is not kept (tens of MB for a large
/// plan), so such a document, which no built-in template writes, is made again whole.
pub struct Streamed<'a> {
    body: Body<'a>,
    /// The Markdown not yet converted: the part that has begun.
    source: String,
    /// How much of the document is converted (the first byte of `source`, in the document).
    done: usize,
    /// Where the search for the next cut resumes, in `source`: cuts before it were decided.
    searched: usize,
    whole: bool,
}

impl<'a> Streamed<'a> {
    pub fn new(d: &'a Diagrams<'a>) -> Self {
        Streamed {
            body: Body::new(d),
            source: String::new(),
            done: 0,
            searched: 0,
            whole: false,
        }
    }

    /// The next piece of the document's (tidied) Markdown, ending at a line end (the last
    /// may end anywhere).
    pub fn push(&mut self, piece: &str) {
        self.whole = self.whole || reaches_across(piece);
        if self.whole {
            return;
        }
        self.source.push_str(piece);
        // The parts that are complete. Pieces end at line ends, so a heading after a cut is
        // whole; only a blank line at the very end may yet be followed by one.
        let from = self.searched;
        let cuts: Vec<usize> = self.source[from..]
            .match_indices("\n\n#")
            .map(|(i, _)| from + i + 2)
            .filter(|&cut| is_heading_at(&self.source, cut))
            .collect();
        self.searched = self
            .source
            .floor_char_boundary(self.source.len().saturating_sub(2))
            .max(from);
        let mut start = 0;
        for cut in cuts {
            self.body.push(&self.source[start..cut]);
            start = cut;
        }
        self.source.drain(..start);
        self.searched -= start;
        self.done += start;
    }

    /// The body, or `None` when the document needs converting whole.
    pub fn finish(mut self) -> Option<Content> {
        if self.whole {
            return None;
        }
        self.body.push(&self.source);
        Some(self.body.finish())
    }
}

/// The diagrams and cost charts that replace their block markers (a marker sits alone in a
/// paragraph: the paragraph is replaced), each drawn where it stands: the built-in chapters
/// have each diagram once, and the timeline of a large plan is megabytes of SVG not worth
/// keeping for the rest of the document.
#[derive(Default)]
struct Figures {
    cost: Option<crate::cost::CostReport>,
}

impl Figures {
    /// The first figure block in `html`: where it starts, its length, and the figure's class
    /// and SVG. Blocks of no figure (an unknown diagram, a cost chart past the last) are
    /// passed over.
    fn next(&mut self, html: &str, d: &Diagrams) -> Option<(usize, usize, &'static str, String)> {
        let open = format!("<p>{MARK}");
        let close = format!("{MARK}</p>");
        let mut from = 0;
        while let Some(found) = html[from..].find(&open) {
            let start = from + found;
            from = start + open.len();
            let Some(end) = html[from..].find(MARK).map(|e| from + e) else {
                break;
            };
            if !html[end..].starts_with(&close) {
                continue;
            }
            let length = end + close.len() - start;
            match html[from..end].split_once(':') {
                Some(("diagram", name)) => {
                    if let Some((class, svg)) = d.diagram(name) {
                        return Some((start, length, class, svg));
                    }
                }
                // One cost chart per critical function with priced options (`cost::charted`).
                Some(("cost-chart", index)) => {
                    if let Some(svg) = d.cost_chart(&mut self.cost, index) {
                        return Some((start, length, "cost-chart", svg));
                    }
                }
                _ => {}
            }
        }
        None
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
        let panel_open = memchr::memmem::Finder::new(&panel_open);
        let mut out = String::with_capacity(html.len() + 1024);
        let mut rest = html;
        while let Some(start) = panel_open.find(rest.as_bytes()) {
            out.push_str(&rest[..start]);
            let after = &rest[start + panel_open.needle().len()..];
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

/// Table cells aligned by class instead of comrak's `align` attribute (`<td align="right">`
/// becomes `<td class="num">`), in one pass.
fn cell_classes(html: &str) -> String {
    const ATTRIBUTE: &str = " align=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = memchr::memmem::find(rest.as_bytes(), ATTRIBUTE.as_bytes()) {
        let in_cell = at >= 3 && matches!(&rest.as_bytes()[at - 3..at], b"<td" | b"<th");
        let value = &rest[at + ATTRIBUTE.len()..];
        let class = [("right", "num"), ("center", "center"), ("left", "left")]
            .into_iter()
            .find(|(align, _)| value.starts_with(align) && value[align.len()..].starts_with("\">"));
        match class {
            Some((align, class)) if in_cell => {
                out.push_str(&rest[..at]);
                out.push_str(" class=\"");
                out.push_str(class);
                rest = &value[align.len()..];
            }
            _ => {
                out.push_str(&rest[..=at]);
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The document cut where comrak converts each part alone to the same HTML as the whole:
/// before an ATX heading that follows a blank line (every block before it has ended there;
/// a list or quote does not continue into a heading at the margin). A fenced code block or
/// a link reference definition could reach across such a line, so a document with either
/// (no built-in template writes one; plan text cannot, it is escaped) stays whole.
pub(super) fn parts(source: &str) -> Vec<&str> {
    if reaches_across(source) {
        return vec![source];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in source.match_indices("\n\n#") {
        let cut = i + 2;
        if is_heading_at(source, cut) && cut > start {
            out.push(&source[start..cut]);
            start = cut;
        }
    }
    out.push(&source[start..]);
    out
}

/// Tables with more Markdown than this are converted a slice of rows at a time: comrak's tree
/// of a table of 10,000 rows took 60 MB.
const TABLE_SLICE: usize = 64 * 1024;

/// A stretch of a part: text, or a table longer than [`TABLE_SLICE`] that can be converted
/// on its own.
pub(super) enum Stretch<'a> {
    Text(&'a str),
    /// The table, and how many of its bytes are its head (the header and delimiter rows).
    LongTable {
        table: &'a str,
        head: usize,
    },
}

/// A part in stretches, in order: its long tables (each starts after a blank line with a
/// header row and a delimiter row, every line of it starts with `|`, and a blank line or the
/// part's end follows it) and the text before, between and after them.
pub(super) fn stretches(part: &str) -> Vec<Stretch<'_>> {
    let line_end = |at: usize| part[at..].find('\n').map_or(part.len(), |i| at + i + 1);
    let bytes = part.as_bytes();
    let mut out = Vec::new();
    // The end of the last long table: where the next text begins.
    let mut text = 0;
    let mut from = 0;
    while let Some(found) = part[from..].find("\n\n|") {
        let start = from + found + 2;
        let delimiter = line_end(start);
        let rows = line_end(delimiter);
        from = start;
        if !is_delimiter_row(&part[delimiter..rows]) {
            continue;
        }
        let mut end = rows;
        while bytes.get(end) == Some(&b'|') {
            end = line_end(end);
        }
        // The blank line after this table may come before the next.
        from = end - 1;
        if (end == part.len() || bytes[end] == b'\n') && end - start > TABLE_SLICE {
            out.push(Stretch::Text(&part[text..start]));
            out.push(Stretch::LongTable {
                table: &part[start..end],
                head: rows - start,
            });
            text = end;
        }
    }
    out.push(Stretch::Text(&part[text..]));
    out
}

/// Whether a line is a table's delimiter row (`| --- | --: |`).
fn is_delimiter_row(line: &str) -> bool {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.starts_with('|')
        && line.contains('-')
        && line
            .bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// Whether a line of the Markdown opens a fenced code block or is a link reference
/// definition, either of which could reach across a cut ([`parts`]).
fn reaches_across(source: &str) -> bool {
    source.lines().any(|line| {
        let t = line.trim_start();
        t.starts_with("```") || t.starts_with("~~~") || (t.starts_with('[') && t.contains("]:"))
    })
}

/// Whether an ATX heading starts at `at`.
fn is_heading_at(source: &str, at: usize) -> bool {
    let hashes = source[at..].bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(
            source.as_bytes().get(at + hashes),
            Some(b' ' | b'\t' | b'\n')
        )
}

/// Writes headings as comrak does with `header_id_prefix = "sec-"` (its own `id`, then the
/// anchor link), with one anchorizer over all the parts of a document, and keeps the
/// chapters for the contents (level, text, id, as [`super::headings`] gives them).
#[derive(Default)]
struct Headings {
    seen: std::sync::Mutex<Seen>,
}

/// What [`Headings`] keeps over a document.
#[derive(Default)]
struct Seen {
    anchors: Anchors,
    /// The id of the heading being written, for its anchor link.
    current: String,
    /// The chapters, the headings the contents list: of the 20,000 headings of a
    /// 10,000-function plan, 13 (keeping them all was 3 MB of copies at the render's peak).
    chapters: Vec<Heading>,
}

/// comrak's [`comrak::Anchorizer`] with one copy of each id instead of two: the ids of the
/// 20,000 headings of a 10,000-function plan were 3.5 MB at the render's peak.
///
/// comrak keeps the ids given and, per id made from a heading's text, the next suffix to
/// try. Every such id was given (it was free, or given before), so one map of the ids
/// given, each with its next suffix (0 while it was not made from a text), holds both.
#[derive(Default)]
struct Anchors(rustc_hash::FxHashMap<Box<str>, usize>);

impl Anchors {
    /// The id of a heading with `text`, as comrak's anchorizer gives it.
    fn anchorize(&mut self, text: &str) -> String {
        // A new anchorizer has given no id: it gives the id made from the text, unchanged.
        let id = comrak::Anchorizer::new().anchorize(text);
        let mut suffix = self.0.get(id.as_str()).copied().unwrap_or(0);
        let chosen = loop {
            let anchor = if suffix == 0 {
                std::borrow::Cow::from(&id)
            } else {
                std::borrow::Cow::from(format!("{id}-{suffix}"))
            };
            if !self.0.contains_key(&*anchor) {
                break anchor.into_owned();
            }
            suffix += 1;
        };
        if chosen != id {
            self.0.insert(chosen.as_str().into(), 0);
        }
        self.0.insert(id.into_boxed_str(), suffix + 1);
        chosen
    }
}

/// A heading's level, text and id.
type Heading = (u8, String, String);

impl Headings {
    fn into_list(self) -> Vec<Heading> {
        self.seen
            .into_inner()
            .map(|seen| seen.chapters)
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
        let id = seen.anchors.anchorize(&heading.content);
        write!(out, r#"<h{} id="sec-{id}">"#, heading.level)?;
        if heading.level == CONTENTS_LEVEL {
            seen.chapters
                .push((heading.level, heading.content.clone(), id.clone()));
        }
        seen.current = id;
        Ok(())
    }

    fn exit(
        &self,
        out: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
    ) -> std::fmt::Result {
        let seen = self.seen.lock().map_err(|_| std::fmt::Error)?;
        let id = &seen.current;
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
    let cell_open = memchr::memmem::Finder::new("<td");
    let cell_close = memchr::memmem::Finder::new("</td>");
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(start) = cell_open.find(rest.as_bytes()) {
        let Some(open_end) = memchr::memchr(b'>', &rest.as_bytes()[start..]).map(|e| start + e + 1)
        else {
            break;
        };
        out.push_str(&rest[..open_end]);
        rest = &rest[open_end..];
        let Some(close) = cell_close.find(rest.as_bytes()) else {
            break;
        };
        let cell = &rest[..close];
        // Only tokens a browser could break: with a digit or a hyphen-like character. (More
        // than 96 bytes is more than 24 characters: not looked at further.)
        let token_like = |c: char| c.is_ascii_digit() || "-_./:".contains(c);
        let whole = if cell.is_ascii() {
            // Most cells, byte by byte (a character is a byte).
            let bytes = cell.as_bytes();
            (2..=24).contains(&bytes.len())
                && !bytes.iter().any(|b| matches!(b, b'<' | b' ' | b'\n'))
                && bytes.iter().any(|&b| token_like(char::from(b)))
        } else {
            (2..=96).contains(&cell.len())
                && !cell.contains(['<', ' ', '\n', MARK])
                && (2..=24).contains(&cell.chars().count())
                && cell.chars().any(|c| c.is_ascii_digit())
                && cell.chars().any(token_like)
        };
        if whole {
            out.push_str("<span class=\"nb\">");
            out.push_str(cell);
            out.push_str("</span>");
        } else {
            out.push_str(cell);
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The level of the headings the contents list: chapters.
const CONTENTS_LEVEL: u8 = 2;

fn toc(heads: &[(u8, String, String)], d: &Diagrams) -> String {
    let mut out = format!(
        "<nav class=\"toc\"><h2 class=\"toc-title\">{}</h2><ol>\n",
        xml(i18n::label(d.lang, "contents"))
    );
    for (_, text, id) in heads.iter().filter(|(l, _, _)| *l == CONTENTS_LEVEL) {
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
    body: Content,
) -> Result<Content, Error> {
    let title = super::doc_title_of(ctx, doc);
    page_of(env, &ctx.to_value(), &title, doc, paper, body)
}

/// [`page`] with the context already converted for the templates, and the document's title.
///
/// The body (tens of MB for a large plan, stored as it was made) is not handed to the
/// template: the page is rendered around a stand-in, and the body put in its place. A plan's
/// own `document.html` gets the body as a value, as before: it may do more with it than print
/// it once.
///
/// # Errors
/// [`Error::Template`] when `document.html` or `style.css` fails.
pub fn page_of(
    env: &Environment<'static>,
    base: &Value,
    title: &str,
    doc: Doc,
    paper: Paper,
    body: Content,
) -> Result<Content, Error> {
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
    if built_in {
        // Plan text cannot hold MARK (the escaper replaces it), so only the stand-in is this.
        let stand_in = format!("{MARK}body{MARK}");
        let shell = render(Value::from_safe_string(stand_in.clone()))?;
        let mut halves = shell.split(&stand_in);
        if let (Some(before), Some(after), None) = (halves.next(), halves.next(), halves.next()) {
            let mut page = body;
            page.prepend(before);
            page.push_str(after);
            return Ok(page);
        }
    }
    let body = super::text_of(body)?;
    render(Value::from_safe_string(body)).map(Content::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, Plan};

    #[test]
    fn headings_get_the_ids_comrak_gives_them() {
        // Repeats, texts that read as another's suffixed id, and texts that differ only in
        // what the id leaves out.
        let texts = [
            "Steps",
            "Steps",
            "Steps-1",
            "steps",
            "Steps 2",
            "Steps-2",
            "Steps",
            "x-1",
            "X",
            "x",
            "x",
            "x-2",
            "Ticks aren't in",
            "ticks arent in",
            "付款 处理",
            "付款-处理",
            "",
            "",
            "-1",
        ];
        let mut comrak = comrak::Anchorizer::new();
        let mut ours = Anchors::default();
        for text in texts {
            assert_eq!(ours.anchorize(text), comrak.anchorize(text), "{text:?}");
        }
    }

    /// The document cut after every `step`-th `end` (the template's output is handed on
    /// after blank lines; cuts after any line try the stream's own guard).
    fn pieces<'a>(document: &'a str, end: &str, step: usize) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut start = 0;
        for (n, (at, _)) in document.match_indices(end).enumerate() {
            if (n + 1) % step == 0 && at + end.len() > start {
                out.push(&document[start..at + end.len()]);
                start = at + end.len();
            }
        }
        out.push(&document[start..]);
        out
    }

    /// Runs `test` with the diagrams of an empty plan.
    fn with_diagrams(test: impl FnOnce(&Diagrams)) {
        let plan = Plan::default();
        let names = std::collections::BTreeMap::new();
        test(&Diagrams {
            plan: &plan,
            names: &names,
            lang: Lang::En,
            order: &[],
        });
    }

    #[test]
    fn long_tables_converted_a_slice_at_a_time_are_the_tables_converted_whole() {
        with_diagrams(long_tables_sliced);
    }

    fn long_tables_sliced(d: &Diagrams) {
        let mut part = String::from("## Register\n\nBefore.\n\n");
        let table = |part: &mut String, head: &str, rows: usize| {
            part.push_str(head);
            for i in 0..rows {
                // Ragged rows, escaped pipes, inline markup, wide characters, empty cells.
                let _ = match i % 4 {
                    0 => writeln!(part, "| {i} | **中文** `a\\|b` | x |"),
                    1 => writeln!(part, "| {i} | [l](https://e.org/{i}) |"),
                    2 => writeln!(part, "| {i} | — | y | extra |"),
                    _ => writeln!(part, "| {i} |  | *z* |"),
                };
            }
        };
        table(
            &mut part,
            "| # | Name | Note |\n| --: | :-: | --- |\n",
            8000,
        );
        part.push_str("\nBetween.\n\n");
        table(
            &mut part,
            "| # | Name | Note |\n| --- | --- | --- |\n",
            6000,
        );
        // Not a table (its delimiter row has a cell too few): converted whole.
        part.push('\n');
        table(&mut part, "| # | Name | Note |\n| --- | --- |\n", 6000);
        part.push_str("\n- after\n- the tables\n");
        let tables: Vec<(&str, usize)> = stretches(&part)
            .into_iter()
            .filter_map(|stretch| match stretch {
                Stretch::LongTable { table, head } => Some((table, head)),
                Stretch::Text(_) => None,
            })
            .collect();
        assert_eq!(tables.len(), 3);

        let mut sliced = Body::new(d);
        sliced.convert_part(&part);
        let mut whole = Body::new(d);
        whole.convert(&part);
        assert_eq!(sliced.part_html, whole.part_html);
        assert_eq!(sliced.part_html.matches("<table>").count(), 2);

        // The first two were sliced; the third could not be, and said so.
        for ((table, head), sliced) in tables.into_iter().zip([true, true, false]) {
            let mut body = Body::new(d);
            assert!(table.len() > 2 * TABLE_SLICE);
            assert_eq!(body.table_in_slices(table, head), sliced);
        }
    }

    #[test]
    fn a_long_table_is_finished_a_stretch_of_rows_at_a_time_with_every_cell_whole() {
        with_diagrams(|d| {
            let mut document = format!(
                "# Register\n\n{}\n\n| Tier | Hours | Id |\n| --- | --: | --- |\n",
                marker("toc", "contents")
            );
            for i in 0..5000 {
                let _ = writeln!(
                    document,
                    "| {} | {i} | fn-{i:05} |",
                    marker("tier", "critical")
                );
            }
            document.push_str("\n## After\n\nText.\n");
            let html = String::from_utf8(body(&document, d).into_bytes().unwrap()).unwrap();
            assert!(html.len() > 8 * TABLE_SLICE, "several stretches");
            // Every cell's change made, none cut in two at a stretch's end.
            assert_eq!(html.matches("<td class=\"num\">").count(), 5000);
            assert_eq!(
                html.matches("<span class=\"tier tier-critical\">").count(),
                5000
            );
            assert_eq!(html.matches("<td><span class=\"nb\">fn-").count(), 5000);
            assert!(!html.contains(MARK) && !html.contains(" align="));
            assert_eq!(html.matches("<tr>").count(), 5001);
            assert!(html.contains("<nav class=\"toc\""));
        });
    }

    #[test]
    fn a_body_made_as_its_markdown_arrives_is_the_body_of_the_whole() {
        with_diagrams(streamed_is_whole);
    }

    fn streamed_is_whole(d: &Diagrams) {
        let mut document = format!("# Plan\n\n{}\n\n", marker("toc", "contents"));
        for i in 0..30 {
            // Repeated headings (their ids count up across parts), tables, wide characters,
            // and lines that look like headings but are not.
            let _ = write!(
                document,
                "## Part {}\n\ntext {i} 中文\n\n| a | b |\n| - | - |\n| {i} | — |\n\n### Same\n\n\
                 - item\n- item\n\n#not a heading\n\n####### seven\n\n#{}\n\n",
                i % 7,
                "#".repeat(i % 9)
            );
        }
        let text = |content: Content| String::from_utf8(content.into_bytes().unwrap()).unwrap();
        let whole = text(body(&document, d));
        let starts: Vec<usize> = parts(&document)
            .iter()
            .scan(0, |start, part| {
                let this = *start;
                *start += part.len();
                Some(this)
            })
            .collect();
        assert!(starts.len() > 60);
        assert!(whole.contains("id=\"sec-same-29\"") && whole.contains("<nav class=\"toc\""));
        for (end, step) in [
            ("\n\n", 1),
            ("\n\n", 2),
            ("\n\n", 5),
            ("\n\n", 1000),
            ("\n", 1),
            ("\n", 3),
        ] {
            let mut streamed = Streamed::new(d);
            let mut converted = vec![0];
            for piece in pieces(&document, end, step) {
                streamed.push(piece);
                if streamed.done != converted[converted.len() - 1] {
                    converted.push(streamed.done);
                }
            }
            if step == 1 {
                // Every part was converted as soon as the next began (one a piece at most).
                assert_eq!(converted, starts, "cut after every {end:?}");
            }
            assert_eq!(
                streamed.finish().map(text).as_ref(),
                Some(&whole),
                "cut after every {step} {end:?}"
            );
        }
        // A fenced block late in the document: to be converted whole, from the start.
        document.push_str("```\ncode\n```\n\n## After\n\ntext\n");
        let mut streamed = Streamed::new(d);
        for piece in pieces(&document, "\n\n", 2) {
            streamed.push(piece);
        }
        assert!(streamed.finish().is_none());
    }
}
