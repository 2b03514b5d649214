//! DOCX output: the document's Markdown, parsed by comrak, written as WordprocessingML.
//!
//! Why not a DOCX crate: docx-rs (the maintained one) cannot mark a table row as a header
//! row repeated on every page (`w:tblHeader`), pulls in a second major version of `zip` and
//! the `image` crate, and the parts it writes always include comments and footnotes. The
//! parts a plan needs are few and fixed, so they are written here: headings are Word's own
//! Heading styles (the navigation pane and a TOC field work), tables repeat their header row,
//! the page header and footer carry the organisation, classification, title and page
//! numbers, CJK text gets an East Asian font, and diagrams are the HTML's SVG rasterised to
//! PNG ([`super::raster`]). Every zip entry has the same fixed timestamp, so the same plan
//! gives the same bytes.
//!
//! Plan text reaches the XML only through [`text`], which escapes it and drops what XML
//! cannot hold.

use super::markdown::{MARK, xml};
use super::{Diagrams, Paper, i18n, raster, svg};
use crate::error::Error;
use crate::model::{Date, Lang};
use comrak::nodes::{ListType, NodeValue, TableAlignment};
use std::fmt::Write as _;
use std::io::Write as _;

/// What the page furniture and the file's properties say.
pub struct Meta {
    /// The document's own title (the plan's title for the whole plan, else the document's
    /// name).
    pub title: String,
    pub organisation: String,
    pub classification: Option<String>,
    pub version: String,
    pub lang: Lang,
    pub date: Option<Date>,
    /// The word printed across every page of a draft (`DRAFT`), `None` for a final document.
    pub draft: Option<String>,
    pub keywords: String,
    pub tool: String,
    /// Each chapter (a level-2 heading) starts a new page, as in the HTML.
    pub chapters_on_new_pages: bool,
    /// The wallet card: its panels become the cells of a 2 x 4 grid of 85 x 54 mm.
    pub card: bool,
}

/// A wallet card panel, 85 x 54 mm, in twips; and its inner margin.
const PANEL_W: u32 = 4_819;
const PANEL_H: u32 = 3_061;
const PANEL_PAD: u32 = 150;

/// A finished DOCX and what the reader of stderr should know about it.
pub struct Docx {
    pub bytes: Vec<u8>,
    pub notes: Vec<String>,
}

/// Page geometry in twentieths of a point (twips).
struct Page {
    width: u32,
    height: u32,
    margin_x: u32,
    margin_y: u32,
}

impl Page {
    fn of(paper: Paper) -> Page {
        let (width, height) = match paper {
            Paper::A4 => (11_906, 16_838),
            Paper::Letter => (12_240, 15_840),
        };
        Page {
            width,
            height,
            margin_x: 1_021, // 18 mm
            margin_y: 1_134, // 20 mm
        }
    }

    fn text_width(&self) -> u32 {
        self.width - 2 * self.margin_x
    }

    fn text_height(&self) -> u32 {
        self.height - 2 * self.margin_y
    }
}

/// Writes one document as DOCX.
///
/// # Errors
/// [`Error::Document`] when the zip writer fails.
pub fn write(markdown: &str, d: &Diagrams, meta: &Meta, paper: Paper) -> Result<Docx, Error> {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &super::html::options());
    let mut page = Page::of(paper);
    if meta.card {
        // The sheet of panels (216 mm) and its heading fit a Letter page only with narrow
        // top and bottom margins.
        page.margin_y = 624; // 11 mm
    }
    #[allow(clippy::redundant_closure_for_method_calls)] // the method is on the arena node
    let toc: Vec<String> = root
        .descendants()
        .filter(|n| matches!(&n.data().value, NodeValue::Heading(h) if h.level == 2))
        .map(|n| n.collect_text())
        .collect();
    let mut w = Body {
        out: String::with_capacity(markdown.len() * 4),
        d,
        page: &page,
        toc,
        h2_seen: 0,
        bookmarks: 0,
        ordered_starts: Vec::new(),
        images: Vec::new(),
        notes: Vec::new(),
        title_seen: false,
        cover_closed: false,
        after_title: false,
        chapter_breaks: meta.chapters_on_new_pages,
        card: meta.card,
        panels: Vec::new(),
        in_panel: false,
        width: page.text_width(),
        head: String::new(),
        panel_kinds: Vec::new(),
        front: false,
        cost: None,
    };
    for child in root.children() {
        w.block(child, &Context::default());
    }
    let has_cover = w.title_seen && !meta.card;
    let body = if meta.card {
        w.card_sheet()
    } else {
        std::mem::take(&mut w.out)
    };
    package(&w, &body, meta, &page, has_cover)
}

#[derive(Default, Clone)]
struct Context {
    /// Numbering id and level of the list being written.
    list: Option<(usize, u32)>,
    /// Whether the paragraph is the first of its list item (it carries the number).
    first_in_item: bool,
    quote: bool,
}

#[derive(Default, Clone, Copy)]
#[allow(clippy::struct_excessive_bools)] // independent run properties, as in WordprocessingML
struct Run {
    bold: bool,
    italic: bool,
    code: bool,
    strike: bool,
    /// White text (the card's red front panel).
    white: bool,
}

#[allow(clippy::struct_excessive_bools)] // where the writer is in the document
struct Body<'a> {
    out: String,
    d: &'a Diagrams<'a>,
    page: &'a Page,
    /// The level-2 headings, for the table of contents.
    toc: Vec<String>,
    h2_seen: usize,
    bookmarks: u32,
    /// One numbering instance per ordered list (its start number): numbers restart per list.
    ordered_starts: Vec<u64>,
    /// PNG files under word/media, in order (`image1.png`...).
    images: Vec<Vec<u8>>,
    notes: Vec<String>,
    title_seen: bool,
    cover_closed: bool,
    after_title: bool,
    chapter_breaks: bool,
    card: bool,
    /// The wallet card's finished panels; `out` holds the one being written.
    panels: Vec<String>,
    in_panel: bool,
    /// Width available to tables and images: the page's text, or a card panel.
    width: u32,
    /// The card's heading above the panels, and each panel's kind.
    head: String,
    panel_kinds: Vec<String>,
    /// Writing the card's front panel (white on red).
    front: bool,
    /// The cost trade-off behind the cost charts, worked out at the first chart.
    cost: Option<crate::cost::CostReport>,
}

impl Body<'_> {
    fn block(&mut self, node: comrak::Node<'_>, ctx: &Context) {
        match &node.data().value {
            NodeValue::Heading(h) => {
                let level = h.level;
                if level == 1 {
                    self.title_seen = true;
                    self.after_title = !self.card;
                    let style = if self.card { "CardTitle" } else { "Title" };
                    let runs = self.inlines(node, Run::default());
                    let _ = write!(
                        self.out,
                        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>"#
                    );
                    return;
                }
                if self.card {
                    let runs = self.inlines(node, Run::default());
                    let _ = write!(
                        self.out,
                        r#"<w:p><w:pPr><w:pStyle w:val="CardHeading"/></w:pPr>{runs}</w:p>"#
                    );
                    return;
                }
                if level == 2 {
                    self.close_cover(true);
                }
                self.after_title = false;
                let style = format!("Heading{}", (level - 1).min(4));
                let brk = if level == 2 && self.chapter_breaks {
                    "<w:pageBreakBefore/>"
                } else {
                    ""
                };
                let runs = self.inlines(node, Run::default());
                if level == 2 {
                    self.h2_seen += 1;
                    self.bookmarks += 1;
                    let id = self.bookmarks;
                    let _ = write!(
                        self.out,
                        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{brk}</w:pPr><w:bookmarkStart w:id="{id}" w:name="_Toc{n}"/>{runs}<w:bookmarkEnd w:id="{id}"/></w:p>"#,
                        n = self.h2_seen
                    );
                } else {
                    let _ = write!(
                        self.out,
                        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>"#
                    );
                }
            }
            NodeValue::Paragraph => {
                let plain = node.collect_text();
                if let Some((kind, arg)) = whole_marker(&plain) {
                    self.block_marker(kind, arg);
                    return;
                }
                let style = if std::mem::take(&mut self.after_title) {
                    Some("Subtitle")
                } else if self.in_panel {
                    Some("CardText")
                } else if ctx.quote {
                    Some("Quote")
                } else if ctx.list.is_some() {
                    Some("ListParagraph")
                } else {
                    None
                };
                let mut ppr = String::new();
                if let Some(s) = style {
                    let _ = write!(ppr, r#"<w:pStyle w:val="{s}"/>"#);
                }
                if let Some((num, level)) = ctx.list {
                    if ctx.first_in_item {
                        let _ = write!(
                            ppr,
                            r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#
                        );
                    } else {
                        let _ = write!(ppr, r#"<w:ind w:left="{}"/>"#, 360 * (level + 1));
                    }
                }
                let runs = self.inlines(node, Run::default());
                self.paragraph(&ppr, &runs);
            }
            NodeValue::List(list) => {
                let level = ctx.list.map_or(0, |(_, l)| l + 1);
                let num = match list.list_type {
                    ListType::Bullet => 1,
                    ListType::Ordered => {
                        self.ordered_starts.push(list.start as u64);
                        1 + self.ordered_starts.len()
                    }
                };
                for item in node.children() {
                    let mut first = true;
                    for child in item.children() {
                        let inner = Context {
                            list: Some((num, level)),
                            first_in_item: first,
                            quote: ctx.quote,
                        };
                        self.block(child, &inner);
                        first = false;
                    }
                }
            }
            NodeValue::BlockQuote => {
                let inner = Context {
                    quote: true,
                    ..ctx.clone()
                };
                for child in node.children() {
                    self.block(child, &inner);
                }
            }
            NodeValue::Table(table) => {
                self.table(node, &table.alignments);
            }
            NodeValue::ThematicBreak => {
                self.out.push_str(r#"<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="D8DEE8"/></w:pBdr></w:pPr></w:p>"#);
            }
            NodeValue::CodeBlock(code) => {
                for line in code.literal.lines() {
                    let _ = write!(
                        self.out,
                        r#"<w:p><w:pPr><w:pStyle w:val="Code"/></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                        text(line)
                    );
                }
            }
            // Raw HTML never reaches the output (safe mode); anything else: its children.
            NodeValue::HtmlBlock(_) => {}
            _ => {
                for child in node.children() {
                    self.block(child, ctx);
                }
            }
        }
    }

    /// The wallet card: its heading, then a 2 x 4 grid of exact 85 x 54 mm cells, dashed
    /// inside (the folds), solid outside (the cut).
    fn card_sheet(&mut self) -> String {
        if self.in_panel {
            let done = std::mem::take(&mut self.out);
            self.panels.push(done);
        }
        let mut out = std::mem::take(&mut self.head);
        let cut = r#"w:val="single" w:sz="6" w:space="0" w:color="5D6B7D""#;
        let fold = r#"w:val="dashed" w:sz="4" w:space="0" w:color="9AA7B8""#;
        let _ = write!(
            out,
            r#"<w:tbl><w:tblPr><w:tblW w:w="{w}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders><w:top {cut}/><w:left {cut}/><w:bottom {cut}/><w:right {cut}/><w:insideH {fold}/><w:insideV {fold}/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="{p}" w:type="dxa"/><w:left w:w="{p}" w:type="dxa"/><w:bottom w:w="{p}" w:type="dxa"/><w:right w:w="{p}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="{PANEL_W}"/><w:gridCol w:w="{PANEL_W}"/></w:tblGrid>"#,
            w = 2 * PANEL_W,
            p = PANEL_PAD
        );
        for row in 0..super::card::PANELS / 2 {
            let _ = write!(
                out,
                r#"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{PANEL_H}" w:hRule="exact"/></w:trPr>"#
            );
            for col in 0..2 {
                let i = row * 2 + col;
                let body = self.panels.get(i).map_or("", String::as_str);
                let front = self.panel_kinds.get(i).is_some_and(|k| k == "front");
                let shade = if front {
                    r#"<w:shd w:val="clear" w:color="auto" w:fill="C0392B"/>"#
                } else {
                    ""
                };
                // A cell must end with a paragraph (a table inside it does not count).
                let _ = write!(
                    out,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{PANEL_W}" w:type="dxa"/>{shade}</w:tcPr>{body}<w:p><w:pPr><w:pStyle w:val="AfterTable"/></w:pPr></w:p></w:tc>"#
                );
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
        out
    }

    fn paragraph(&mut self, ppr: &str, runs: &str) {
        if ppr.is_empty() {
            let _ = write!(self.out, "<w:p>{runs}</w:p>");
        } else {
            let _ = write!(self.out, "<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>");
        }
    }

    /// The cover page ends before the contents or the first chapter (which may start a new
    /// page of its own).
    fn close_cover(&mut self, by_chapter: bool) {
        if self.title_seen && !self.cover_closed {
            self.cover_closed = true;
            if !(by_chapter && self.chapter_breaks) {
                self.out
                    .push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
            }
        }
    }

    fn block_marker(&mut self, kind: &str, arg: &str) {
        match (kind, arg) {
            ("toc", _) => {
                self.close_cover(false);
                self.contents();
            }
            ("panel", kind) if self.card => {
                if self.in_panel {
                    let done = std::mem::take(&mut self.out);
                    self.panels.push(done);
                } else {
                    // What came before the first panel heads the sheet.
                    self.head = std::mem::take(&mut self.out);
                }
                self.in_panel = true;
                self.front = kind == "front";
                self.panel_kinds.push(kind.to_string());
                self.width = PANEL_W - 2 * PANEL_PAD;
            }
            ("diagram", name) => {
                if let Some((name, svg)) = self.d.diagram(name) {
                    self.image(&svg, name);
                }
            }
            ("cost-chart", index) => {
                if let Some(chart) = self.d.cost_chart(&mut self.cost, index) {
                    self.image(&chart, "cost-chart");
                }
            }
            _ => {}
        }
    }

    /// A TOC field over the chapter headings. Its cached entries (the headings, linked) show
    /// until Word updates the field on opening (settings ask it to), adding page numbers.
    fn contents(&mut self) {
        let title = text(i18n::label(self.d.lang, "contents"));
        let _ = write!(
            self.out,
            r#"<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>{title}</w:t></w:r></w:p>"#
        );
        let entries = self.toc.clone();
        if entries.is_empty() {
            return;
        }
        let last = entries.len() - 1;
        for (i, entry) in entries.iter().enumerate() {
            let mut p = String::from(r#"<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>"#);
            if i == 0 {
                p.push_str(r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-1" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>"#);
            }
            let _ = write!(
                p,
                r#"<w:hyperlink w:anchor="_Toc{n}" w:history="1"><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:hyperlink>"#,
                text(entry),
                n = i + 1
            );
            if i == last {
                p.push_str(r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#);
            }
            p.push_str("</w:p>");
            self.out.push_str(&p);
        }
    }

    fn image(&mut self, svg: &str, name: &str) {
        if let Some(note) = raster::missing_fonts(svg)
            && !self.notes.contains(&note)
        {
            self.notes.push(note);
        }
        let png = match raster::png(svg) {
            Ok(png) => png,
            Err(e) => {
                self.notes
                    .push(format!("the {name} diagram could not be drawn: {e}"));
                return;
            }
        };
        self.images.push(png.bytes);
        let n = self.images.len();
        // CSS pixels are 1/96 inch: 9,525 EMU; a twip is 635 EMU. Shrink to the text width
        // and to two thirds of the text height, keeping the aspect ratio.
        let max_w = u64::from(self.width) * 635;
        let max_h = u64::from(self.page.text_height()) * 635 * 2 / 3;
        let (mut cx, mut cy) = (u64::from(png.width) * 9_525, u64::from(png.height) * 9_525);
        if cx > max_w {
            cy = cy * max_w / cx;
            cx = max_w;
        }
        if cy > max_h {
            cx = cx * max_h / cy;
            cy = max_h;
        }
        let title = svg
            .split_once("<title>")
            .and_then(|(_, rest)| rest.split_once("</title>"))
            .map_or("", |(t, _)| t);
        // `title` is already XML-escaped: it comes out of the SVG.
        let _ = write!(
            self.out,
            r#"<w:p><w:pPr><w:pStyle w:val="Figure"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="{name}" descr="{title}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
        );
    }

    fn table<'n>(&mut self, node: comrak::Node<'n>, alignments: &[TableAlignment]) {
        let rows: Vec<comrak::Node<'n>> = node.children().collect();
        let columns = alignments.len().max(1);
        // Column widths from the content: each column gets room for its longest word (ids,
        // dates and durations stay whole), the rest of the width goes where the text is.
        let mut longest_word = vec![3usize; columns];
        let mut longest_text = vec![3usize; columns];
        for row in &rows {
            for (i, cell) in row.children().enumerate().take(columns) {
                let t = visible(&cell.collect_text());
                let words = t
                    .split(char::is_whitespace)
                    .map(display_width)
                    .max()
                    .unwrap_or(0);
                longest_word[i] = longest_word[i].max(words.min(18));
                longest_text[i] = longest_text[i].max(display_width(&t).min(60));
            }
        }
        let widths = share(self.width, &longest_word, &longest_text);
        let _ = write!(
            self.out,
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="PlanTable"/><w:tblW w:w="{}" w:type="dxa"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:left w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:right w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
            widths.iter().sum::<u32>()
        );
        for w in &widths {
            let _ = write!(self.out, r#"<w:gridCol w:w="{w}"/>"#);
        }
        self.out.push_str("</w:tblGrid>");
        for (r, row) in rows.iter().enumerate() {
            let header = matches!(&row.data().value, NodeValue::TableRow(true));
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if header {
                self.out.push_str("<w:tblHeader/>");
            }
            self.out.push_str("</w:trPr>");
            let cells: Vec<_> = row.children().collect();
            for (i, width) in widths.iter().enumerate() {
                let shade = if header {
                    r#"<w:shd w:val="clear" w:color="auto" w:fill="1F3A5F"/>"#
                } else if r % 2 == 0 {
                    r#"<w:shd w:val="clear" w:color="auto" w:fill="F5F7FA"/>"#
                } else {
                    ""
                };
                let jc = match alignments.get(i) {
                    Some(TableAlignment::Right) => r#"<w:jc w:val="right"/>"#,
                    Some(TableAlignment::Center) => r#"<w:jc w:val="center"/>"#,
                    _ => "",
                };
                let fmt = Run {
                    bold: header,
                    ..Run::default()
                };
                let runs = cells
                    .get(i)
                    .map(|c| self.inlines(c, fmt))
                    .unwrap_or_default();
                let style = match (header, self.in_panel) {
                    (true, false) => "TableHeading",
                    (false, false) => "TableText",
                    (true, true) => "CardTableHeading",
                    (false, true) => "CardTableText",
                };
                let _ = write!(
                    self.out,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>{runs}</w:p></w:tc>"#
                );
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        // A paragraph after every table: Word needs one between two tables, and it spaces.
        self.out
            .push_str(r#"<w:p><w:pPr><w:pStyle w:val="AfterTable"/></w:pPr></w:p>"#);
    }

    fn inlines(&mut self, node: comrak::Node<'_>, fmt: Run) -> String {
        let fmt = Run {
            white: fmt.white || self.front,
            ..fmt
        };
        let mut out = String::new();
        for child in node.children() {
            match &child.data().value {
                NodeValue::Text(t) => self.text_runs(&mut out, t, fmt),
                NodeValue::Code(c) => {
                    out.push_str(&run(&c.literal, Run { code: true, ..fmt }));
                }
                NodeValue::Strong => out.push_str(&self.inlines(child, Run { bold: true, ..fmt })),
                NodeValue::Emph => out.push_str(&self.inlines(
                    child,
                    Run {
                        italic: true,
                        ..fmt
                    },
                )),
                NodeValue::Strikethrough => {
                    out.push_str(&self.inlines(
                        child,
                        Run {
                            strike: true,
                            ..fmt
                        },
                    ));
                }
                NodeValue::SoftBreak => out.push_str(&run(" ", fmt)),
                NodeValue::LineBreak => out.push_str("<w:r><w:br/></w:r>"),
                // Links inside a document (the Markdown contents list) are plain text here.
                _ => out.push_str(&self.inlines(child, fmt)),
            }
        }
        out
    }

    /// Text with its markers: tiers and scores as shaded words.
    fn text_runs(&self, out: &mut String, t: &str, fmt: Run) {
        let mut rest = t;
        while let Some(start) = rest.find(MARK) {
            out.push_str(&run(&rest[..start], fmt));
            let after = &rest[start + MARK.len_utf8()..];
            let Some(end) = after.find(MARK) else {
                rest = after;
                break;
            };
            let inner = &after[..end];
            let (kind, arg) = inner.split_once(':').unwrap_or((inner, ""));
            match kind {
                "tier" => {
                    let word = i18n::value(self.d.lang, "tier", arg).unwrap_or(arg);
                    let fill = svg::tier_colour(arg).trim_start_matches('#');
                    let _ = write!(
                        out,
                        r#"<w:r><w:rPr><w:b/><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:rPr><w:t xml:space="preserve"> {} </w:t></w:r>"#,
                        text(word)
                    );
                }
                "score" => {
                    let score: u32 = arg.parse().unwrap_or(0);
                    let fill = svg::score_colour(score).trim_start_matches('#');
                    let _ = write!(
                        out,
                        r#"<w:r><w:rPr><w:b/><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:rPr><w:t xml:space="preserve"> {score} </w:t></w:r>"#
                    );
                }
                _ => {}
            }
            rest = &after[end + MARK.len_utf8()..];
        }
        out.push_str(&run(rest, fmt));
    }
}

/// A paragraph that is nothing but one marker (a diagram, the contents).
fn whole_marker(plain: &str) -> Option<(&str, &str)> {
    let inner = plain.trim().strip_prefix(MARK)?.strip_suffix(MARK)?;
    if inner.contains(MARK) {
        return None;
    }
    Some(inner.split_once(':').unwrap_or((inner, "")))
}

/// Text without markers, as a reader sees it (for measuring columns).
fn visible(t: &str) -> String {
    super::replace_markers(t, |kind, arg| match kind {
        "tier" | "score" => format!(" {arg} "),
        _ => String::new(),
    })
}

/// Display width: CJK characters count double.
fn display_width(t: &str) -> usize {
    t.chars().map(|c| if svg::is_wide(c) { 2 } else { 1 }).sum()
}

/// Splits `total` twips over columns: first each column's longest word, then the rest in
/// proportion to how much more text each column holds.
fn share(total: u32, words: &[usize], texts: &[usize]) -> Vec<u32> {
    // One character of 9pt text is about 100 twips; cells have 2 x 108 twips of padding.
    const PER_CHAR: u64 = 115;
    const PADDING: u64 = 216;
    let total = u64::from(total);
    let min: Vec<u64> = words
        .iter()
        .map(|w| *w as u64 * PER_CHAR + PADDING)
        .collect();
    let min_sum: u64 = min.iter().sum();
    if min_sum >= total {
        // Not even the words fit: shrink them all alike.
        return min
            .iter()
            .map(|m| u32::try_from(m * total / min_sum.max(1)).unwrap_or(u32::MAX))
            .collect();
    }
    let extra: Vec<u64> = texts
        .iter()
        .zip(words)
        .map(|(t, w)| (t.saturating_sub(*w) as u64).max(1))
        .collect();
    let extra_sum: u64 = extra.iter().sum();
    let spare = total - min_sum;
    let mut widths: Vec<u64> = min
        .iter()
        .zip(&extra)
        .map(|(m, e)| m + spare * e / extra_sum.max(1))
        .collect();
    // Rounding leaves a few twips: give them to the widest column.
    let used: u64 = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        *widest += total.saturating_sub(used);
    }
    widths
        .into_iter()
        .map(|w| u32::try_from(w).unwrap_or(u32::MAX))
        .collect()
}

/// One run of text in a format.
fn run(t: &str, fmt: Run) -> String {
    if t.is_empty() {
        return String::new();
    }
    let mut rpr = String::new();
    if fmt.code {
        rpr.push_str(r#"<w:rStyle w:val="CodeChar"/>"#);
    }
    if fmt.bold {
        rpr.push_str("<w:b/><w:bCs/>");
    }
    if fmt.italic {
        rpr.push_str("<w:i/><w:iCs/>");
    }
    if fmt.strike {
        rpr.push_str("<w:strike/>");
    }
    if fmt.white {
        rpr.push_str(r#"<w:color w:val="FFFFFF"/>"#);
    }
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    format!(
        r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
        text(t)
    )
}

/// Escapes text for WordprocessingML: XML escaping, and no character XML 1.0 forbids.
pub fn text(t: &str) -> String {
    xml(t)
        .chars()
        .filter(|c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// The zip package around the body.
fn package(w: &Body, body: &str, meta: &Meta, page: &Page, has_cover: bool) -> Result<Docx, Error> {
    let lang = meta.lang;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| files.push((name.to_string(), bytes));

    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#,
    );
    for part in ["header1", "header2", "footer1", "footer2"] {
        let kind = if part.starts_with("header") {
            "header"
        } else {
            "footer"
        };
        let _ = write!(
            types,
            r#"<Override PartName="/word/{part}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>"#
        );
    }
    types.push_str(r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#);
    add("[Content_Types].xml", types.into_bytes());
    add(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#.to_vec(),
    );
    add("docProps/core.xml", core(meta).into_bytes());
    add(
        "docProps/app.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>{}</Application><Company>{}</Company></Properties>"#,
            text(&meta.tool),
            text(&meta.organisation)
        )
        .into_bytes(),
    );

    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/><Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooter2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>"#,
    );
    for (i, png) in w.images.iter().enumerate() {
        let n = i + 1;
        let _ = write!(
            rels,
            r#"<Relationship Id="rIdImage{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{n}.png"/>"#
        );
        add(&format!("word/media/image{n}.png"), png.clone());
    }
    rels.push_str("</Relationships>");
    add("word/_rels/document.xml.rels", rels.into_bytes());

    let title_page = if has_cover { "<w:titlePg/>" } else { "" };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="first" r:id="rIdHeader2"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="first" r:id="rIdFooter2"/><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{my}" w:right="{mx}" w:bottom="{my}" w:left="{mx}" w:header="{hf}" w:footer="{hf}" w:gutter="0"/>{title_page}</w:sectPr></w:body></w:document>"#,
        page.width,
        page.height,
        my = page.margin_y,
        mx = page.margin_x,
        // Header and footer halfway into the margin, clear of the text.
        hf = page.margin_y / 2,
    );
    add("word/document.xml", document.into_bytes());
    add("word/styles.xml", styles(lang).into_bytes());
    add("word/settings.xml", settings(lang).into_bytes());
    add(
        "word/numbering.xml",
        numbering(&w.ordered_starts).into_bytes(),
    );

    let tab = page.text_width();
    let mark = meta.draft.as_deref().map(watermark).unwrap_or_default();
    let classification = meta.classification.as_deref().map(text).unwrap_or_default();
    add(
        "word/header1.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W_NS} {VML_NS}><w:p><w:pPr><w:pStyle w:val="Header"/><w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs></w:pPr>{mark}<w:r><w:t xml:space="preserve">{}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:rPr><w:b/><w:color w:val="B03A2E"/></w:rPr><w:t xml:space="preserve">{classification}</w:t></w:r></w:p></w:hdr>"#,
            text(&meta.organisation)
        )
        .into_bytes(),
    );
    add(
        "word/header2.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W_NS} {VML_NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{mark}</w:p></w:hdr>"#
        )
        .into_bytes(),
    );
    let page_of = i18n::label(lang, "page_of");
    let (before, after) = page_of.split_once("{n}").unwrap_or(("", page_of));
    let (middle, end) = after.split_once("{total}").unwrap_or((after, ""));
    add(
        "word/footer1.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">{} · {} {}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{}</w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve">{}</w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:ftr>"#,
            text(&meta.title),
            text(i18n::label(lang, "version")),
            text(&meta.version),
            text(before),
            text(middle),
            text(end),
        )
        .into_bytes(),
    );
    add(
        "word/footer2.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="B03A2E"/></w:rPr><w:t xml:space="preserve">{classification}</w:t></w:r></w:p></w:ftr>"#
        )
        .into_bytes(),
    );
    let notes = w.notes.clone();
    Ok(Docx {
        bytes: zip(files)?,
        notes,
    })
}

/// The parts into one zip, every entry with the same timestamp (1980-01-01).
pub fn zip(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Document {
        format: "docx",
        message: e.to_string(),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(|e| fail(&e))?;
        zip.write_all(&bytes).map_err(|e| fail(&e))?;
    }
    let cursor = zip.finish().map_err(|e| fail(&e))?;
    Ok(cursor.into_inner())
}

const VML_NS: &str = r#"xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word""#;

/// A draft mark across the page, the way Word writes its own watermarks (so Word and
/// LibreOffice both show it, behind the text, on every page the header is on).
fn watermark(word: &str) -> String {
    format!(
        r##"<w:r><w:rPr><w:noProof/></w:rPr><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype><v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:140pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#c0392b" stroked="f"><v:fill opacity=".25"/><v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{}"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"##,
        text(word)
    )
}

fn core(meta: &Meta) -> String {
    let date = meta
        .date
        .map_or_else(|| "1980-01-01".to_string(), |d| d.to_string());
    let status = meta
        .draft
        .as_ref()
        .map(|_| "<cp:contentStatus>Draft</cp:contentStatus>")
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:keywords>{}</cp:keywords><dc:language>{}</dc:language>{status}<cp:version>{}</cp:version><dcterms:created xsi:type="dcterms:W3CDTF">{date}T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}T00:00:00Z</dcterms:modified></cp:coreProperties>"#,
        text(&meta.title),
        text(&meta.organisation),
        text(&meta.organisation),
        text(&meta.keywords),
        meta.lang.code(),
        text(&meta.version),
    )
}

fn settings(lang: Lang) -> String {
    let lang = match lang {
        Lang::En => "en-GB",
        Lang::ZhCn => "zh-CN",
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {W_NS}><w:updateFields w:val="true"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="{lang}" w:eastAsia="zh-CN"/></w:settings>"#
    )
}

fn numbering(ordered: &[u64]) -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {W_NS}><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>"#
    );
    for (level, bullet) in ["•", "◦", "▪", "•"].iter().enumerate() {
        let _ = write!(
            out,
            r#"<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{bullet}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:hanging="300"/></w:pPr></w:lvl>"#,
            360 * (level + 1)
        );
    }
    out.push_str(r#"</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>"#);
    for level in 0..4 {
        let _ = write!(
            out,
            r#"<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%{}."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:hanging="360"/></w:pPr></w:lvl>"#,
            level + 1,
            360 * (level + 1)
        );
    }
    out.push_str(r#"</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#);
    for (i, start) in ordered.iter().enumerate() {
        let _ = write!(
            out,
            r#"<w:num w:numId="{}"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>"#,
            i + 2
        );
    }
    out.push_str("</w:numbering>");
    out
}

/// Word's built-in style names, so the navigation pane, the TOC field and a reader's own
/// template work as usual. Latin text in Calibri, CJK text in Microsoft YaHei (Word swaps in
/// the fonts the reader has: LibreOffice takes Noto Sans CJK).
fn styles(lang: Lang) -> String {
    let lang = match lang {
        Lang::En => "en-GB",
        Lang::ZhCn => "zh-CN",
    };
    let heading = |n: u32, size: u32, before: u32, colour: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="{colour}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#,
            n - 1
        )
    };
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Microsoft YaHei" w:cs="Calibri"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="{lang}" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="1D2733"/></w:rPr></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Subtitle"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3A5F"/><w:sz w:val="56"/><w:szCs w:val="56"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="8" w:color="1F3A5F"/></w:pBdr><w:spacing w:after="480"/></w:pPr><w:rPr><w:color w:val="5D6B7D"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>"#
    );
    out.push_str(&heading(1, 32, 360, "1F3A5F"));
    out.push_str(&heading(2, 26, 280, "1F3A5F"));
    out.push_str(&heading(3, 22, 220, "1D2733"));
    out.push_str(&heading(4, 20, 200, "1D2733"));
    out.push_str(r#"<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3A5F"/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:pPr><w:pBdr><w:bottom w:val="dotted" w:sz="4" w:space="2" w:color="D8DEE8"/></w:pBdr><w:spacing w:after="80"/></w:pPr><w:rPr><w:sz w:val="22"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="40"/><w:contextualSpacing/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="2A7AB0"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="F3F6FA"/><w:ind w:left="240" w:right="240"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TableHeading"><w:name w:val="Table Heading"/><w:basedOn w:val="TableText"/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="AfterTable"><w:name w:val="After Table"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:keepLines/><w:jc w:val="center"/><w:spacing w:before="120" w:after="240"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Code"><w:name w:val="Code"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="character" w:styleId="CodeChar"><w:name w:val="Code Char"/><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:shd w:val="clear" w:color="auto" w:fill="F3F6FA"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="7A8699"/><w:sz w:val="15"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="7A8699"/><w:sz w:val="15"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="CardTitle"><w:name w:val="Card Title"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="2" w:color="C0392B"/></w:pBdr><w:spacing w:after="80"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3A5F"/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="CardHeading"><w:name w:val="Card Heading"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="C0392B"/></w:pBdr><w:spacing w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:b/><w:color w:val="C0392B"/><w:sz w:val="16"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="CardText"><w:name w:val="Card Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="216" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="13"/><w:szCs w:val="13"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="CardTableText"><w:name w:val="Card Table Text"/><w:basedOn w:val="CardText"/><w:rPr><w:sz w:val="12"/><w:szCs w:val="12"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="CardTableHeading"><w:name w:val="Card Table Heading"/><w:basedOn w:val="CardTableText"/><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr></w:style><w:style w:type="table" w:styleId="PlanTable"><w:name w:val="Plan Table"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:left w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:right w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="D8DEE8"/></w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#);
    out
}
