//! `bcp render`: the plan as printable documents.
//!
//! ```text
//! Plan --context--> values --minijinja (templates/*.md)--> Markdown with markers
//!      --markdown.rs--> .md  (markers -> Mermaid, plain words, a linked table of contents)
//!      --html.rs-----> .html (comrak in safe mode, then markers -> inline SVG, badges, contents)
//!      --pdf.rs------> .pdf  (the HTML printed by headless Chromium)
//! ```
//!
//! Templates are compiled in from `templates/`; a plan folder's own `templates/` overrides them
//! file by file (the built-ins are the loader's fallback, so a user file always wins).

pub mod card;
pub mod context;
pub mod docx;
pub mod html;
pub mod i18n;
pub mod limits;
pub mod markdown;
pub mod mermaid;
pub mod pdf;
pub mod raster;
pub mod recovery;
pub mod redact;
pub mod svg;
pub mod tables;
pub mod tree;

use crate::Checked;
use crate::error::Error;
use crate::model::{Date, Lang, Plan};
use crate::output::Content;
use markdown::{MARK, escape_inline, marker};
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One document of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Doc {
    /// The whole plan, §1-§13, with document control on the first page.
    Full,
    /// The IT disaster recovery plan: systems, backups, DR sites, restore procedures.
    Drp,
    /// One runbook per team: its people and call list, its steps in recovery order.
    Team,
    /// The wallet card: eight 85 x 54 mm panels (activation, first actions, call tree, key
    /// numbers, assembly points) to cut out and fold.
    Card,
    /// The business impact analysis report (and `bia.csv` beside it).
    Bia,
    /// The risk register with the likelihood x impact matrix.
    Risks,
    /// The coverage matrix of a standards profile (`--profile`); not part of `all`.
    Compliance,
}

impl Doc {
    pub const ALL: [Doc; 6] = [
        Doc::Full,
        Doc::Drp,
        Doc::Team,
        Doc::Card,
        Doc::Bia,
        Doc::Risks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Doc::Full => "full",
            Doc::Drp => "drp",
            Doc::Team => "team",
            Doc::Card => "card",
            Doc::Bia => "bia",
            Doc::Risks => "risks",
            Doc::Compliance => "compliance",
        }
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GitHub-flavoured Markdown, diagrams as Mermaid blocks.
    Md,
    /// One self-contained, printable HTML file with inline SVG diagrams.
    Html,
    /// PDF, printed from the HTML by a Chrome or Chromium found on PATH.
    Pdf,
    /// Word (DOCX): real headings, repeated table headers, diagrams as images.
    Docx,
    /// A spreadsheet (XLSX) of the BIA or the risk register.
    Xlsx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }

    /// The documents a format can hold: a spreadsheet only has the registers.
    pub fn holds(self, doc: Doc) -> bool {
        self != Format::Xlsx || matches!(doc, Doc::Bia | Doc::Risks)
    }
}

/// Paper size of HTML and PDF output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// What to render and how.
#[derive(Debug, Clone)]
pub struct Settings {
    pub docs: Vec<Doc>,
    pub format: Format,
    pub lang: Option<Lang>,
    pub redact: bool,
    pub date: Option<Date>,
    pub paper: Paper,
    /// The audit of `--doc compliance` (the coverage matrix as JSON).
    pub compliance: Option<serde_json::Value>,
    /// The changes since the last approved version, for document control
    /// ([`crate::diff::SinceApproval::context`]); read from git by [`command`].
    pub since_approval: Option<serde_json::Value>,
    /// The wallet card of one team (its part of the call tree) instead of the whole plan's.
    pub team: Option<String>,
}

/// One rendered file: its name (inside the output folder) and bytes.
#[derive(Debug)]
pub struct Rendered {
    pub doc: Option<Doc>,
    pub file_name: String,
    /// A large HTML page is stored in a temporary file as it is made ([`Content`]).
    pub content: Content,
    /// What the reader of stderr should know about this file (a font missing for the
    /// diagrams, wallet card content left out).
    pub notes: Vec<String>,
}

/// Renders the requested documents of a checked plan, in memory. PDF is not produced here:
/// `Format::Pdf` yields the HTML that [`pdf::print`] turns into PDF.
///
/// # Errors
/// [`Error::Template`] when a template (built-in or the plan's own) fails.
pub fn render(checked: &Checked, settings: &Settings) -> Result<Vec<Rendered>, Error> {
    render_prepared(&prepare_borrowed(checked, settings), settings)
}

/// [`render`] with its context and templates prepared.
fn render_prepared(prepared: &Prepared, settings: &Settings) -> Result<Vec<Rendered>, Error> {
    let Prepared {
        plan,
        lang,
        stamp,
        ctx,
        card_notes,
        names,
        env,
        order,
        redactor,
        output_limit,
        full,
    } = prepared;
    let (plan, lang, output_limit) = (*plan, *lang, *output_limit);
    let redactor = redactor.as_ref();
    let diagrams = Diagrams {
        plan,
        names,
        lang,
        order,
    };
    let sheet_names = tables::Names { lang, names };

    let mut out = Vec::new();
    for &doc in settings.docs.iter().filter(|d| settings.format.holds(**d)) {
        let ext = settings.format.extension();
        let mut notes = if doc == Doc::Card {
            card_notes.clone()
        } else {
            Vec::new()
        };
        let content = if settings.format == Format::Xlsx {
            let mut book = if doc == Doc::Bia {
                tables::bia_workbook(plan, order, &sheet_names)
            } else {
                tables::risks_workbook(plan, &sheet_names)
            };
            if let Some(r) = redactor {
                book.sheets.iter_mut().for_each(|sheet| r.sheet(sheet));
            }
            book.properties = workbook_properties(plan, doc, lang, stamp);
            Content::from(crate::xlsx::write(&book)?)
        } else {
            let name = format!("{}.md", doc.as_str());
            let title = doc_title_of(ctx, doc);
            let job = Job {
                env,
                name: &name,
                values: ctx.to_value(),
                title: &title,
                doc,
                settings,
                output_limit,
                full,
            };
            match settings.format {
                Format::Md | Format::Docx => {
                    let source = markdown::tidy(&render_template(job)?);
                    if settings.format == Format::Md {
                        Content::from(finish_markdown(&source, &diagrams))
                    } else {
                        let meta = docx_meta(plan, doc, lang, stamp);
                        let written = docx::write(&source, &diagrams, &meta, settings.paper)?;
                        notes.extend(written.notes);
                        Content::from(written.bytes)
                    }
                }
                _ => {
                    let body = render_html_body(job, &diagrams)?;
                    html::page(env, ctx, doc, settings.paper, body)?
                }
            }
        };
        // PDF is printed from the HTML afterwards; until then the file is HTML.
        let ext = if settings.format == Format::Pdf {
            "html"
        } else {
            ext
        };
        out.push(Rendered {
            doc: Some(doc),
            file_name: format!("{}.{ext}", doc.as_str()),
            content,
            notes,
        });
        if doc == Doc::Bia && settings.format != Format::Xlsx {
            out.push(Rendered {
                doc: None,
                file_name: "bia.csv".into(),
                content: {
                    let mut sheet = tables::bia(plan, order, &sheet_names);
                    if let Some(r) = redactor {
                        r.sheet(&mut sheet);
                    }
                    Content::from(crate::xlsx::csv(&sheet))
                },
                notes: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// What every document of one render shares: the context, the template environment and the
/// recovery order.
struct Prepared<'a> {
    plan: &'a Plan,
    lang: Lang,
    stamp: context::Stamp,
    /// The context, shared by the templates without a copy ([`tree::Tree::to_value`]).
    ctx: tree::Tree,
    /// What the wallet card left out, for the card's notes.
    card_notes: Vec<String>,
    names: Arc<BTreeMap<String, String>>,
    env: Environment<'static>,
    order: Vec<recovery::Recovered>,
    /// With `--redact`: what hides contact details in what does not come from the context.
    redactor: Option<redact::Redactor>,
    /// Most bytes one template may write, and whether the one being rendered did.
    output_limit: usize,
    full: limits::Full,
}

impl Prepared<'_> {
    fn diagrams(&self) -> Diagrams<'_> {
        Diagrams {
            plan: self.plan,
            names: &self.names,
            lang: self.lang,
            order: &self.order,
        }
    }
}

/// [`prepare`] of a plan whose checks and analysis stay with the caller.
fn prepare_borrowed<'a>(checked: &'a Checked, settings: &Settings) -> Prepared<'a> {
    prepare(
        &checked.loaded.plan,
        checked.analysis.as_ref(),
        checked,
        settings,
    )
}

/// `plan` is `checked.loaded.plan`, borrowed on its own so that the caller may free the rest.
/// `analysis` is the plan's (`checked.analysis`), borrowed or handed over: handed over, it is
/// freed as soon as the context no longer needs it, before the context is complete.
fn prepare<'a, A: Borrow<crate::graph::Analysis> + Send>(
    plan: &'a Plan,
    analysis: Option<A>,
    checked: &Checked,
    settings: &Settings,
) -> Prepared<'a> {
    let lang = settings.lang.unwrap_or(plan.meta.lang);
    let stamp = context::Stamp {
        date: settings.date.or_else(|| context::latest_plan_date(plan)),
        commit: git_commit(&checked.loaded),
        // Rendered over errors (only `--force` gets this far with them): a draft.
        draft: checked.has_errors(),
    };
    let redactor = settings
        .redact
        .then(|| redact::Redactor::new(plan, i18n::label(lang, "redacted")));
    // Worked out once for the context, the diagrams and the sheets.
    let order_all = recovery::order_all(plan, analysis.as_ref().map(Borrow::borrow));
    // The scenario matrix on a core of its own while the rest of the context is built.
    let (mut ctx, scenario_matrix) = std::thread::scope(|scope| {
        let matrix = scope.spawn(move || {
            let matrix = context::scenario_matrix(
                plan,
                analysis.as_ref().map(Borrow::borrow),
                &checked.diagnostics,
            );
            // The last use: an analysis handed over is freed while the context is being made.
            drop(analysis);
            matrix
        });
        let ctx = context::build(plan, &order_all, lang, redactor.as_ref(), &stamp);
        (ctx, crate::joined(matrix))
    });
    ctx.insert("scenario_matrix", scenario_matrix);
    // The coverage matrix and the changes since approval quote plan values (a changed phone
    // number, a person who left): redacted like the rest of the context.
    for (key, value) in [
        ("compliance", &settings.compliance),
        ("since_approval", &settings.since_approval),
    ] {
        if let Some(value) = value {
            let mut value = value.clone();
            if let Some(r) = &redactor {
                r.value(&mut value);
            }
            ctx.insert(key, tree::Tree::from(value));
        }
    }
    let (mut card, card_notes) = card::build(plan, &ctx, lang, settings.team.as_deref());
    let mut names = context::names(plan);
    let mut order = recovery::functions(&order_all);
    if let Some(r) = &redactor {
        // The card takes names and text from the plan; names reach the documents through
        // `name()`, the diagrams and the sheets, not the context.
        r.value(&mut card);
        for name in names
            .values_mut()
            .chain(order.iter_mut().map(|o| &mut o.name))
        {
            if let std::borrow::Cow::Owned(text) = r.text(name) {
                *name = text;
            }
        }
    }
    ctx.insert("card", tree::Tree::from(card));
    let names = Arc::new(names);
    // A plan loaded from memory has no folder (an empty root), so no templates of its own.
    let root = &checked.loaded.root;
    let overrides = (!root.as_os_str().is_empty())
        .then(|| root.join("templates"))
        .filter(|dir| dir.is_dir());
    // On a page (not in Markdown), a duration never breaks between its number and unit.
    let keep_whole = !matches!(settings.format, Format::Md | Format::Xlsx);
    // The fuel is sized by the plan's data: the parts that repeat others (runbooks, functions
    // by id) are not counted twice.
    let repeats = ["runbooks", "functions_by_id"].map(|key| (key, ctx.remove(key)));
    let context_bytes = ctx.json_len();
    for (key, value) in repeats {
        ctx.insert(key, value.unwrap_or_default());
    }
    let full = limits::Full::default();
    let mut env = environment(overrides, lang, &names, &ctx, keep_whole, &full);
    env.set_fuel(Some(limits::fuel(context_bytes)));
    let output_limit = limits::output_limit(context_bytes);
    Prepared {
        plan,
        lang,
        stamp,
        ctx,
        card_notes,
        names,
        env,
        order,
        redactor,
        output_limit,
        full,
    }
}

/// The `team` document of each team on its own (one runbook), as HTML pages in memory:
/// `(team id, page)` in plan order. One context serves every team: the plan is converted
/// for the templates once, not once per team.
///
/// # Errors
/// [`Error::Template`] when a template (built-in or the plan's own) fails.
pub fn team_pages(checked: &Checked, settings: &Settings) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let prepared = prepare_borrowed(checked, settings);
    let base = prepared.ctx.to_value();
    let title = doc_title_of(&prepared.ctx, Doc::Team);
    let teams = prepared.ctx["runbooks"].as_array().map_or(0, <[_]>::len);
    let mut out = Vec::with_capacity(teams);
    for i in 0..teams {
        // Runbooks are in plan order, one per team.
        let id = prepared
            .plan
            .teams
            .get(i)
            .map(|t| t.id.value.clone())
            .unwrap_or_default();
        let values = minijinja::context! {
            runbooks => Value::from(vec![prepared.ctx["runbooks"][i].to_value()]),
            ..base.clone()
        };
        let page = page_of_template(&prepared, "team.md", &values, &title, Doc::Team, settings)?;
        out.push((id, page));
    }
    Ok(out)
}

/// The scenario-matrix chapter (as the whole plan and the DRP hold it) on a page of its own,
/// in HTML, under the DRP's cover: how each critical and essential function fares in every
/// scenario. A plan without scenarios gets a page that says how to add them.
///
/// # Errors
/// [`Error::Template`] when a template (built-in or the plan's own) fails.
pub fn scenario_page(checked: &Checked, settings: &Settings) -> Result<Vec<u8>, Error> {
    let prepared = prepare_borrowed(checked, settings);
    let title = i18n::label(prepared.lang, "scenario_matrix");
    let values = prepared.ctx.to_value();
    let template = if prepared.ctx["scenario_matrix"]["rows"]
        .as_array()
        .is_some_and(|rows| !rows.is_empty())
    {
        "chapters/scenario-matrix.md"
    } else {
        "scenario-matrix-empty.md"
    };
    page_of_template(&prepared, template, &values, title, Doc::Drp, settings)
}

/// One Markdown template of a prepared render as an HTML page: `doc` picks the cover and the
/// stylesheet's rules for it.
fn page_of_template(
    prepared: &Prepared,
    template: &str,
    values: &Value,
    title: &str,
    doc: Doc,
    settings: &Settings,
) -> Result<Vec<u8>, Error> {
    let source = render_template(Job {
        env: &prepared.env,
        name: template,
        values: values.clone(),
        title,
        doc,
        settings,
        output_limit: prepared.output_limit,
        full: &prepared.full,
    })?;
    let body = html::body(&markdown::tidy(&source), &prepared.diagrams());
    let page = html::page_of(&prepared.env, values, title, doc, settings.paper, body)?;
    bytes_of(page)
}

/// A document made as [`Content`], in memory.
///
/// # Errors
/// [`Error::WriteOutput`] when a stretch stored in the temporary folder cannot be read back.
pub fn bytes_of(content: Content) -> Result<Vec<u8>, Error> {
    content.into_bytes().map_err(|source| Error::WriteOutput {
        path: std::env::temp_dir(),
        source,
    })
}

/// An HTML body or page (always text), in memory.
fn text_of(content: Content) -> Result<String, Error> {
    String::from_utf8(bytes_of(content)?).map_err(|_| not_text("document.html"))
}

/// The document's title from the template context (see [`doc_title`]).
pub fn doc_title_of(ctx: &tree::Tree, doc: Doc) -> String {
    ctx["titles"][doc.as_str()]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The document's own title: the plan's title for the whole plan, else the document's name.
pub fn doc_title(plan: &Plan, doc: Doc, lang: Lang) -> String {
    match doc {
        Doc::Full => plan.meta.title.clone(),
        _ => i18n::label(lang, &format!("doc_{}", doc.as_str())).to_string(),
    }
}

fn keywords(plan: &Plan, doc: Doc, lang: Lang, stamp: &context::Stamp) -> String {
    let mut words = vec![
        i18n::label(lang, &format!("doc_{}", doc.as_str())).to_string(),
        plan.meta.title.clone(),
    ];
    if stamp.draft {
        words.push(i18n::label(lang, "draft").to_string());
        words.push("draft".to_string());
    }
    words.dedup();
    words.join("; ")
}

fn docx_meta(plan: &Plan, doc: Doc, lang: Lang, stamp: &context::Stamp) -> docx::Meta {
    docx::Meta {
        title: doc_title(plan, doc, lang),
        organisation: plan.meta.organisation.clone(),
        classification: plan.meta.classification.clone(),
        version: plan.meta.version.clone(),
        lang,
        date: stamp.date,
        draft: stamp.draft.then(|| i18n::label(lang, "draft").to_string()),
        keywords: keywords(plan, doc, lang, stamp),
        tool: format!("bcp {}", env!("CARGO_PKG_VERSION")),
        chapters_on_new_pages: matches!(doc, Doc::Full | Doc::Drp | Doc::Team),
        card: doc == Doc::Card,
    }
}

fn workbook_properties(
    plan: &Plan,
    doc: Doc,
    lang: Lang,
    stamp: &context::Stamp,
) -> crate::xlsx::Properties {
    crate::xlsx::Properties {
        title: doc_title(plan, doc, lang),
        subject: plan.meta.title.clone(),
        company: plan.meta.organisation.clone(),
        language: lang.code().to_string(),
        status: stamp.draft.then(|| "Draft".to_string()),
        keywords: keywords(plan, doc, lang, stamp),
        date: stamp.date,
    }
}

/// What the diagram markers stand for.
pub struct Diagrams<'a> {
    pub plan: &'a Plan,
    pub names: &'a BTreeMap<String, String>,
    pub lang: Lang,
    pub order: &'a [recovery::Recovered],
}

impl Diagrams<'_> {
    /// The SVG of the diagram a marker names (`timeline`), with the name as the program
    /// spells it; none for a name no diagram has.
    pub fn diagram(&self, name: &str) -> Option<(&'static str, String)> {
        Some(match name {
            "risk-matrix" => ("risk-matrix", svg::risk_matrix(self.plan, self.lang)),
            "call-tree" => (
                "call-tree",
                svg::call_tree(self.plan, self.names, self.lang),
            ),
            "timeline" => ("timeline", svg::timeline(self.order, self.lang)),
            _ => return None,
        })
    }

    /// The SVG of the cost chart a marker numbers (`cost::charted`'s order, `0`, `1`…), the
    /// plan's cost report made once into `cost`; none past the last chart.
    pub fn cost_chart(
        &self,
        cost: &mut Option<crate::cost::CostReport>,
        index: &str,
    ) -> Option<String> {
        let i = index
            .parse::<usize>()
            .ok()
            .filter(|i| i.to_string() == index)?;
        let report = cost.get_or_insert_with(|| crate::cost::analyse(self.plan));
        let chart = crate::cost::charted(report).into_iter().nth(i)?;
        Some(svg::cost_chart(chart, self.lang))
    }
}

/// One template to render for a document: its name, the context and title it is given, and
/// the limits of its output.
#[derive(Clone)]
struct Job<'a> {
    env: &'a Environment<'static>,
    name: &'a str,
    values: Value,
    title: &'a str,
    doc: Doc,
    settings: &'a Settings,
    output_limit: usize,
    full: &'a limits::Full,
}

fn render_template(job: Job) -> Result<String, Error> {
    let mut out = limits::Bounded::new(job.output_limit, job.full);
    let name = job.name;
    render_into(job, &mut out)?;
    String::from_utf8(out.bytes).map_err(|_| not_text(name))
}

/// A document's HTML body: its template rendered (and its Markdown tidied) on this thread
/// while another converts the Markdown as it comes ([`html::Streamed`]), the same HTML as
/// `html::body(&markdown::tidy(&render_template(..)))`, in the time of the slower of the two
/// instead of both. A document the stream cannot convert (one that must be converted whole,
/// or that is not text) is rendered again and converted so.
fn render_html_body(job: Job, diagrams: &Diagrams) -> Result<Content, Error> {
    use std::sync::atomic::{AtomicBool, Ordering};
    // Set when the template fails: what is left of its output is not worth converting.
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // A few pieces in flight: the template waits rather than run far ahead of the HTML.
        // `None`: a piece that is not text.
        let (pieces, arriving) = std::sync::mpsc::sync_channel::<Option<String>>(4);
        let converter = scope.spawn(|| {
            let mut body = html::Streamed::new(diagrams);
            for piece in arriving {
                if failed.load(Ordering::SeqCst) {
                    return None;
                }
                body.push(&piece?);
            }
            if failed.load(Ordering::SeqCst) {
                return None;
            }
            body.finish()
        });
        // Pieces end after a blank line, so tidied one by one they read as the whole. They are
        // tidied on this thread: the conversion is the slower of the two.
        let tidied = move |piece: Vec<u8>| {
            let piece = String::from_utf8(piece).ok();
            // A receiver that is gone has failed; its thread's result tells how.
            let _ = pieces.send(piece.map(|p| markdown::tidy_piece(&p)));
        };
        let mut out = limits::Bounded::streaming(job.output_limit, job.full, Box::new(tidied));
        let rendered = render_into(job.clone(), &mut out);
        if rendered.is_ok() {
            out.finish();
        } else {
            failed.store(true, Ordering::SeqCst);
            drop(out);
        }
        let body = crate::joined(converter);
        rendered?;
        match body {
            Some(body) => Ok(body),
            None => Ok(html::body(
                &markdown::tidy(&render_template(job)?),
                diagrams,
            )),
        }
    })
}

/// Renders a template into `out`; an error names the template and line, or the limit passed.
fn render_into(job: Job, out: &mut limits::Bounded) -> Result<(), Error> {
    let Job {
        env,
        name,
        values,
        title,
        doc,
        settings,
        output_limit,
        full,
    } = job;
    let template = env.get_template(name).map_err(|e| template_error(&e))?;
    let format = match settings.format {
        Format::Md | Format::Xlsx => "md",
        Format::Docx => "docx",
        Format::Html | Format::Pdf => "html",
    };
    let rendered = template.render_captured_to(
        minijinja::context! { doc => doc.as_str(), format => format, title => title, ..values },
        out,
    );
    let full = full.get().then_some(output_limit);
    match rendered {
        Err(e) => {
            let mut error = template_error(&e);
            if let (Error::Template { message, .. }, Some(limit)) =
                (&mut error, limits::message(&e, full))
            {
                *message = limit;
            }
            Err(error)
        }
        // Raw text past the limit, with no value printed after it.
        Ok(_) if full.is_some() => Err(Error::Template {
            name: name.to_string(),
            line: None,
            message: limits::full_message(output_limit),
        }),
        Ok(_) => Ok(()),
    }
}

/// Templates write text; a plan's own template cannot write anything else.
fn not_text(name: &str) -> Error {
    Error::Template {
        name: name.to_string(),
        line: None,
        message: "the template wrote text that is not UTF-8".to_string(),
    }
}

/// A template failure, naming the template file and line.
pub fn template_error(e: &minijinja::Error) -> Error {
    // An error inside an included template is wrapped: report the innermost one.
    let mut inner: &minijinja::Error = e;
    while let Some(next) =
        std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>())
    {
        inner = next;
    }
    Error::Template {
        name: inner
            .name()
            .or(e.name())
            .unwrap_or("<template>")
            .to_string(),
        line: inner.line().or(e.line()),
        message: limits::message(inner, None).unwrap_or_else(|| {
            inner
                .detail()
                .map_or_else(|| inner.kind().to_string(), str::to_string)
        }),
    }
}

/// The built-in templates, compiled in.
const BUILTIN: &[(&str, &str)] = &[
    ("full.md", include_str!("../../templates/full.md")),
    ("drp.md", include_str!("../../templates/drp.md")),
    ("team.md", include_str!("../../templates/team.md")),
    ("card.md", include_str!("../../templates/card.md")),
    ("bia.md", include_str!("../../templates/bia.md")),
    ("risks.md", include_str!("../../templates/risks.md")),
    (
        "compliance.md",
        include_str!("../../templates/compliance.md"),
    ),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
    (
        "chapters/head.md",
        include_str!("../../templates/chapters/head.md"),
    ),
    (
        "chapters/control.md",
        include_str!("../../templates/chapters/control.md"),
    ),
    (
        "chapters/scope.md",
        include_str!("../../templates/chapters/scope.md"),
    ),
    (
        "chapters/teams.md",
        include_str!("../../templates/chapters/teams.md"),
    ),
    (
        "chapters/call-tree.md",
        include_str!("../../templates/chapters/call-tree.md"),
    ),
    (
        "chapters/risks.md",
        include_str!("../../templates/chapters/risks.md"),
    ),
    (
        "chapters/bia.md",
        include_str!("../../templates/chapters/bia.md"),
    ),
    (
        "chapters/strategies.md",
        include_str!("../../templates/chapters/strategies.md"),
    ),
    (
        "chapters/response.md",
        include_str!("../../templates/chapters/response.md"),
    ),
    (
        "chapters/procedures.md",
        include_str!("../../templates/chapters/procedures.md"),
    ),
    (
        "chapters/drp.md",
        include_str!("../../templates/chapters/drp.md"),
    ),
    (
        "chapters/suppliers.md",
        include_str!("../../templates/chapters/suppliers.md"),
    ),
    (
        "chapters/training.md",
        include_str!("../../templates/chapters/training.md"),
    ),
    (
        "chapters/exercises.md",
        include_str!("../../templates/chapters/exercises.md"),
    ),
    (
        "chapters/maintenance.md",
        include_str!("../../templates/chapters/maintenance.md"),
    ),
    (
        "chapters/scenario-matrix.md",
        include_str!("../../templates/chapters/scenario-matrix.md"),
    ),
    (
        "chapters/exceptions.md",
        include_str!("../../templates/chapters/exceptions.md"),
    ),
    (
        "cover-exceptions.html",
        include_str!("../../templates/cover-exceptions.html"),
    ),
    (
        "scenario-matrix-empty.md",
        include_str!("../../templates/scenario-matrix-empty.md"),
    ),
];

/// The text of the built-in template `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Names of the built-in templates, for `templates/` overrides.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// The real path of a file under a plan's `templates/` folder, if it stays inside it once
/// symbolic links are followed (and the folder itself is inside the plan folder). A plan is
/// edited by many hands and rendered in CI: a link to `~/.ssh/id_rsa` named `card.md` must not
/// publish the key.
fn inside_templates(dir: &Path, path: &Path) -> Option<PathBuf> {
    let root = dir.parent()?.canonicalize().ok()?;
    let dir = dir.canonicalize().ok()?;
    let path = path.canonicalize().ok()?;
    (dir.starts_with(&root) && path.starts_with(&dir)).then_some(path)
}

fn environment(
    overrides: Option<PathBuf>,
    lang: Lang,
    names: &Arc<BTreeMap<String, String>>,
    ctx: &tree::Tree,
    keep_whole: bool,
    full: &limits::Full,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .unwrap_or_default(),
    );
    env.set_loader(move |name| {
        // Names come from templates; never leave the templates folder.
        let safe = !name.is_empty()
            && !name.starts_with('/')
            && !name.contains('\\')
            && name
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        if !safe {
            return Ok(None);
        }
        if let Some(dir) = &overrides {
            let path = dir.join(name);
            if path.symlink_metadata().is_ok() {
                let Some(path) = inside_templates(dir, &path) else {
                    return Err(minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!(
                            "template `templates/{name}` leads outside the plan's `templates` folder (a symbolic link?); templates are read from that folder only"
                        ),
                    ));
                };
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("cannot read template `templates/{name}`: {e}"),
                        )
                    });
                }
            }
        }
        Ok(builtin(name).map(str::to_string))
    });
    env.set_auto_escape_callback(|name| {
        match Path::new(name).extension().and_then(|e| e.to_str()) {
            Some("md") => AutoEscape::Custom(std::borrow::Cow::Borrowed("markdown")),
            Some("css") => AutoEscape::Custom(std::borrow::Cow::Borrowed("css")),
            Some("html") => AutoEscape::Html,
            _ => AutoEscape::None,
        }
    });
    let full = full.clone();
    env.set_formatter(move |out, state, value| {
        limits::check(&full)?;
        let text = || {
            if value.is_none() {
                String::new()
            } else {
                value.to_string()
            }
        };
        match state.auto_escape() {
            // Most printed values are strings: escaped (or not) without a copy.
            AutoEscape::Custom(kind) if kind == "markdown" && !value.is_safe() => out
                .write_str(&match value.as_str() {
                    Some(text) => escape_inline(text),
                    None => escape_inline(&text()).into_owned().into(),
                })
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write")),
            AutoEscape::Custom(kind) if kind == "css" && !value.is_safe() => out
                .write_str(&markdown::css_string(&text()))
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write")),
            AutoEscape::Custom(_) => out
                .write_str(&text())
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write")),
            _ if value.is_none() => Ok(()),
            _ => minijinja::escape_formatter(out, state, value),
        }
    });

    let n = Arc::clone(names);
    env.add_function("name", move |id: Value| -> String {
        match id.as_str() {
            Some(id) => n.get(id).cloned().unwrap_or_else(|| id.to_string()),
            None if id.is_none() || id.is_undefined() => "—".to_string(),
            None => id.to_string(),
        }
    });
    let n = Arc::clone(names);
    env.add_function(
        "names",
        move |ids: Value| -> Result<String, minijinja::Error> {
            if ids.is_undefined() || ids.is_none() {
                return Ok(String::new());
            }
            let list: Vec<String> = ids
                .try_iter()?
                .map(|id| {
                    id.as_str().map_or_else(
                        || id.to_string(),
                        |s| n.get(s).cloned().unwrap_or_else(|| s.to_string()),
                    )
                })
                .collect();
            Ok(list.join(sep(lang)))
        },
    );
    let people_value = ctx["people_index"].to_value();
    let redacted = i18n::label(lang, "redacted");
    env.add_function("contact", move |id: Value| -> String {
        let Some(id) = id.as_str() else {
            return String::new();
        };
        let Ok(person) = people_value.get_attr(id) else {
            return String::new();
        };
        let Ok(contacts) = person.get_attr("contacts") else {
            return String::new();
        };
        let mut parts: Vec<String> = Vec::new();
        for key in ["mobile", "phone", "email", "pager", "im"] {
            if let Some(s) = contacts.get_attr(key).ok().as_ref().and_then(Value::as_str)
                && !parts.iter().any(|p| p == s)
                && (s != redacted || parts.is_empty())
            {
                parts.push(s.to_string());
            }
        }
        parts.join(" · ")
    });
    let people_value = ctx["people_index"].to_value();
    // The one number to call: mobile, else phone (the wallet card has room for one).
    env.add_function("phone", move |id: Value| -> String {
        let Some(id) = id.as_str() else {
            return String::new();
        };
        let contacts = people_value
            .get_attr(id)
            .and_then(|p| p.get_attr("contacts"));
        let Ok(contacts) = contacts else {
            return String::new();
        };
        ["mobile", "phone"]
            .iter()
            .find_map(|k| {
                contacts
                    .get_attr(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
            })
            .unwrap_or_default()
    });
    env.add_filter(
        "tr",
        move |value: Value, kind: &str| -> Result<String, minijinja::Error> {
            let Some(v) = value.as_str() else {
                return Ok(if value.is_none() || value.is_undefined() {
                    "—".into()
                } else {
                    value.to_string()
                });
            };
            i18n::value(lang, kind, v)
                .map(str::to_string)
                .ok_or_else(|| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::UndefinedError,
                        format!("no label for `{kind}.{v}`"),
                    )
                })
        },
    );
    env.add_filter("dur", move |value: Value| -> String {
        match value.as_str() {
            Some(crate::model::Rpo::NOT_APPLICABLE) => i18n::label(lang, "not_applicable").into(),
            // No line break inside a duration on a page: a no-break space in `4 h`, word
            // joiners in `1天12小时`.
            Some(v) if keep_whole => {
                let mut out = String::new();
                for (i, c) in i18n::duration(lang, v).chars().enumerate() {
                    if c == ' ' {
                        out.push('\u{a0}');
                        continue;
                    }
                    if i > 0 && lang == Lang::ZhCn {
                        out.push('\u{2060}');
                    }
                    out.push(c);
                }
                out
            }
            Some(v) => i18n::duration(lang, v),
            None => "—".into(),
        }
    });
    env.add_filter("num", |value: Value| -> String {
        match value.as_i64() {
            Some(n) => thousands(n),
            None => value.to_string(),
        }
    });
    env.add_function("tier", |t: Value| -> Value {
        Value::from_safe_string(marker("tier", word(&t)))
    });
    env.add_function("score", |s: Value| -> Value {
        Value::from_safe_string(marker("score", &s.as_i64().unwrap_or(0).to_string()))
    });
    env.add_function("diagram", |name: &str| -> Result<Value, minijinja::Error> {
        if !matches!(name, "risk-matrix" | "call-tree" | "timeline") {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("unknown diagram `{name}`; use `risk-matrix`, `call-tree` or `timeline`"),
            ));
        }
        Ok(Value::from_safe_string(format!(
            "\n{}\n",
            marker("diagram", name)
        )))
    });
    env.add_function("cost_chart", |i: usize| {
        Value::from_safe_string(format!("\n{}\n", marker("cost-chart", &i.to_string())))
    });
    env.add_function("panel", |kind: Value| -> Value {
        Value::from_safe_string(format!("\n{}\n", marker("panel", word(&kind))))
    });
    env.add_function("toc", || {
        Value::from_safe_string(format!("\n{}\n", marker("toc", "contents")))
    });
    env
}

/// An enum word for a marker: lowercase ASCII letters and `_` only.
fn word(v: &Value) -> &str {
    v.as_str()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .unwrap_or("other")
}

/// List separator of the language.
pub fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ", ",
        Lang::ZhCn => "、",
    }
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Replaces every marker with what `f` returns for (kind, arg).
pub fn replace_markers(text: &str, mut f: impl FnMut(&str, &str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len_utf8()..];
        let Some(end) = after.find(MARK) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (kind, arg) = inner.split_once(':').unwrap_or((inner, ""));
        out.push_str(&f(kind, arg));
        rest = &after[end + MARK.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The headings of a Markdown document (level, text, anchor), anchored exactly as comrak does.
/// Parsed part by part ([`html::parts`]) with one anchorizer, as the HTML is: a tree of the
/// whole of a large plan's document took most of a Markdown render's memory.
pub fn headings(markdown: &str) -> Vec<(u8, String, String)> {
    let options = html::options();
    let mut anchorizer = comrak::Anchorizer::new();
    let mut out = Vec::new();
    // A long table holds no heading: it is not parsed at all.
    let texts = html::parts(markdown)
        .into_iter()
        .flat_map(html::stretches)
        .filter_map(|stretch| match stretch {
            html::Stretch::Text(text) => Some(text),
            html::Stretch::LongTable { .. } => None,
        });
    for text in texts {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, text, &options);
        for node in root.descendants() {
            if let comrak::nodes::NodeValue::Heading(h) = &node.data().value {
                let text = node.collect_text();
                let id = anchorizer.anchorize(&text);
                out.push((h.level, text, id));
            }
        }
    }
    out
}

/// Markdown output: markers become Mermaid blocks, plain labels and a linked contents list.
fn finish_markdown(source: &str, d: &Diagrams) -> String {
    let heads = headings(source);
    let text = replace_markers(source, |kind, arg| match (kind, arg) {
        ("diagram", "risk-matrix") => mermaid::risk_matrix(d.plan, d.lang),
        ("diagram", "call-tree") => mermaid::call_tree(d.plan, d.names, d.lang),
        ("diagram", "timeline") => mermaid::timeline(d.order, d.lang),
        ("tier", t) => escape_inline(i18n::value(d.lang, "tier", t).unwrap_or(t)).into_owned(),
        ("score", s) => s.to_string(),
        ("toc", _) => {
            let mut toc = format!("**{}**\n\n", i18n::label(d.lang, "contents"));
            for (level, text, id) in heads.iter().filter(|(l, _, _)| *l == 2) {
                let _ = level;
                let _ = writeln!(toc, "- [{}](#{id})", escape_inline(text));
            }
            toc
        }
        _ => String::new(),
    });
    // Collapse the blank lines templates leave around optional parts.
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_start_matches('\n').trim_end();
    format!("{trimmed}\n")
}

/// The commit of the plan's repository, when the plan folder is in a git repository and git
/// is installed, with whether the plan's own files (and its `templates/`) differ from it;
/// nothing otherwise.
fn git_commit(loaded: &crate::load::Loaded) -> Option<context::Commit> {
    let root = &loaded.root;
    // A plan loaded from memory has no folder, so no commit.
    if root.as_os_str().is_empty() {
        return None;
    }
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let text = git(&["rev-parse", "HEAD"])?;
    let hash = text.trim();
    if hash.len() < 40 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // Paths in `git status` are relative to the repository's top; the plan's files are
    // relative to the plan folder, which is `prefix` below the top.
    let prefix = git(&["rev-parse", "--show-prefix"]).unwrap_or_default();
    let prefix = prefix.trim();
    let status = git(&[
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
    ])
    .unwrap_or_default();
    let plan_files: std::collections::BTreeSet<String> = loaded
        .sources
        .files()
        .iter()
        .map(|f| f.relative.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut entries = status.split('\0');
    let mut dirty = false;
    while let Some(entry) = entries.next() {
        let Some(path) = entry.get(3..) else { continue };
        // A rename is followed by its old name: skip that.
        if entry.starts_with('R') || entry.starts_with('C') {
            entries.next();
        }
        let inside = path.strip_prefix(prefix).unwrap_or(path);
        if plan_files.contains(inside) || inside.starts_with("templates/") {
            dirty = true;
            break;
        }
    }
    Some(context::Commit {
        hash: hash.to_string(),
        dirty,
    })
}

/// `bcp render`: check, render in memory, then write every file atomically.
///
/// # Errors
/// [`Error`] for I/O, template and browser failures (exit status 2).
pub fn command(args: &crate::cli::RenderArgs, color: bool) -> Result<crate::Outcome, Error> {
    use crate::cli::DocChoice;
    let ctx = crate::check::Context {
        today: args.today.date(),
    };
    let mut checked = crate::load_and_check(&args.path, &ctx)?;
    if checked.has_errors() {
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let mut text = crate::diagnostic::render(
            &errors,
            &checked.loaded.sources,
            crate::diagnostic::Format::Human,
            color,
        );
        if !args.force {
            text.push_str("note: nothing was rendered; fix the errors above, or pass `--force` to render anyway\n");
            eprint!("{text}");
            return Ok(crate::Outcome::PlanErrors);
        }
        text.push_str(
            "note: rendering anyway because of `--force`; every page is marked as a draft\n",
        );
        eprint!("{text}");
    }
    let date = match args.date {
        Some(d) => Some(d),
        None => source_date_epoch()?,
    };
    let docs = match args.doc {
        DocChoice::All => Doc::ALL.to_vec(),
        DocChoice::Full => vec![Doc::Full],
        DocChoice::Drp => vec![Doc::Drp],
        DocChoice::Team => vec![Doc::Team],
        DocChoice::Card => vec![Doc::Card],
        DocChoice::Bia => vec![Doc::Bia],
        DocChoice::Risks => vec![Doc::Risks],
        DocChoice::Compliance => vec![Doc::Compliance],
    };
    let compliance = match (&args.profile, args.doc) {
        (Some(name), _) => {
            let p = crate::audit::profile(name, &checked.loaded.root)?;
            let set = crate::audit::parse_set(&args.set)?;
            let coverage = crate::audit::audit(
                &p,
                &crate::audit::Ctx {
                    checked: &checked,
                    today: ctx.today,
                    lang: args.lang.unwrap_or(checked.loaded.plan.meta.lang),
                    set: &set,
                },
            );
            Some(serde_json::to_value(&coverage).unwrap_or_default())
        }
        (None, DocChoice::Compliance) => {
            return Err(Error::Usage {
                message: "`--doc compliance` needs `--profile NAME`\nhelp: `bcp audit --list` lists the profiles".into(),
            });
        }
        (None, _) => None,
    };
    if let Some(team) = &args.team {
        if args.doc != DocChoice::Card {
            return Err(Error::Usage {
                message: "`--team` chooses whose wallet card to print: use it with `--doc card`"
                    .to_string(),
            });
        }
        let teams = &checked.loaded.plan.teams;
        if !teams.iter().any(|t| &t.id.value == team) {
            let hint = crate::suggest::nearest(team, teams.iter().map(|t| t.id.value.as_str()))
                .map_or_else(
                    || {
                        format!(
                            "the plan's teams: {}",
                            teams
                                .iter()
                                .map(|t| format!("`{}`", t.id.value))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    |s| format!("did you mean `{s}`?"),
                );
            return Err(Error::Usage {
                message: format!("the plan has no team `{team}`\nhelp: {hint}"),
            });
        }
    }
    if !docs.iter().any(|d| args.format.holds(*d)) {
        return Err(Error::Usage {
            message: "`--format xlsx` is for the registers only: use `--doc bia`, `--doc risks`, or `--doc all` for both".to_string(),
        });
    }
    let browser = match args.format {
        Format::Pdf => Some(pdf::find_browser(args.browser.as_deref())?),
        _ => None,
    };
    // Document control of the full plan and the DRP lists the changes since the approved
    // version, read from git.
    let since_approval = docs
        .iter()
        .any(|d| matches!(d, Doc::Full | Doc::Drp))
        .then(|| crate::diff::since_approval(&args.path, &checked, &ctx))
        .flatten()
        .map(|s| s.context());
    let settings = Settings {
        docs,
        format: args.format,
        lang: args.lang,
        redact: args.redact,
        date,
        paper: args.paper,
        compliance,
        since_approval,
        team: args.team.clone(),
    };
    let protected = crate::output::Protected::plan(&checked.loaded);
    // What the checks kept for their messages (tens of MB on a large plan) is freed before
    // the render's peak: the texts of the files and the id index now, the analysis once the
    // context is made from it.
    checked.loaded.sources.forget_texts();
    checked.index = crate::check::Index::default();
    let analysis = checked.analysis.take();
    let prepared = prepare(&checked.loaded.plan, analysis, &checked, &settings);
    let mut files = render_prepared(&prepared, &settings)?;
    if let Some(browser) = &browser {
        for f in files.iter_mut().filter(|f| f.doc.is_some()) {
            let html = bytes_of(std::mem::take(&mut f.content))?;
            f.content = Content::from(pdf::print(browser, &html)?);
            f.file_name = f.file_name.replace(".html", ".pdf");
        }
    }
    // Every document is in memory: place them by the `--out` rules, then write them all.
    let documents: Vec<crate::output::Document> = files
        .into_iter()
        .map(|f| crate::output::Document {
            name: f.file_name,
            content: f.content,
            notes: f.notes,
        })
        .collect();
    let paths = crate::output::place(
        &args.out,
        &documents,
        args.doc == DocChoice::All,
        &protected,
    )?;
    crate::output::write_documents(&paths, &documents)?;
    // What was written goes to stderr, so the command stays quiet in pipes that read stdout.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        crate::output::report(&paths, &documents).as_bytes(),
    );
    crate::leave_at_exit(prepared);
    crate::leave_at_exit(checked);
    Ok(crate::Outcome::Clean)
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970) as a date, per reproducible-builds.org.
fn source_date_epoch() -> Result<Option<Date>, Error> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    let secs: i64 = text.trim().parse().map_err(|_| Error::Usage {
        message: format!(
            "`SOURCE_DATE_EPOCH` must be a number of seconds since 1970-01-01, not `{text}`"
        ),
    })?;
    Ok(Some(Date::from_days_since_epoch(secs.div_euclid(86_400))))
}
