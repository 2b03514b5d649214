//! The preview's pages in memory, and how a plan becomes them.
//!
//! A [`Builder`] (owned by the watching thread) loads, checks and renders the plan with the
//! render stage's in-memory functions, puts the preview around each document, and publishes
//! the result as one [`Site`]. Requests only read the current `Site`: a render never runs on a
//! request, and a request never sees half of a render.

use super::Options;
use super::page::{self, BANNER_LIMIT, Banner, Chrome, Finding, Marks, Route};
use crate::diagnostic::{Diagnostic, Severity, Summary};
use crate::load::Sources;
use crate::model::{Date, Lang};
use crate::render::{self, Doc, Format, Paper, Settings};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

/// What the server serves: every page, ready to send.
#[derive(Debug)]
pub struct Site {
    /// Changes whenever the pages change; open pages reload when it is not theirs.
    pub generation: String,
    pages: BTreeMap<String, Arc<[u8]>>,
    /// The findings page, for every document path while the plan has never rendered.
    fallback: Option<Arc<[u8]>>,
    not_found: Arc<[u8]>,
}

/// The answer to a path.
pub enum Lookup {
    Page(Arc<[u8]>),
    NotFound(Arc<[u8]>),
}

impl Site {
    /// What is served before the first build: nothing (the server starts after it).
    pub fn placeholder() -> Self {
        Site {
            generation: String::new(),
            pages: BTreeMap::new(),
            fallback: None,
            not_found: Arc::from(&b""[..]),
        }
    }

    pub fn lookup(&self, path: &str) -> Lookup {
        // `/drp/` is `/drp`.
        let path = if path.len() > 1 {
            path.strip_suffix('/').unwrap_or(path)
        } else {
            path
        };
        if let Some(page) = self.pages.get(path) {
            return Lookup::Page(Arc::clone(page));
        }
        if let Some(fallback) = &self.fallback
            && is_document_path(path)
        {
            return Lookup::Page(Arc::clone(fallback));
        }
        Lookup::NotFound(Arc::clone(&self.not_found))
    }
}

/// Whether a path names a document (or a team's runbook) of a plan that renders.
fn is_document_path(path: &str) -> bool {
    path.strip_prefix("/team/").is_some_and(|id| !id.is_empty())
        || path == "/team"
        || path == Route::Scenarios.path()
        || Doc::ALL.iter().any(|&doc| Route::Doc(doc).path() == path)
}

/// The current [`Site`], shared by the watching thread (which replaces it) and the request
/// threads (which read it, or wait for the next one).
#[derive(Debug)]
pub struct Shared {
    now: Mutex<Now>,
    changed: Condvar,
}

#[derive(Debug)]
struct Now {
    site: Arc<Site>,
    /// A rebuild is under way (on a large plan it takes seconds: open pages say so).
    building: bool,
}

/// What an open page is told: the generation of the pages, and whether a rebuild runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub generation: String,
    pub building: bool,
}

impl Shared {
    pub fn new(site: Site) -> Self {
        Shared {
            now: Mutex::new(Now {
                site: Arc::new(site),
                building: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Now> {
        // A panic elsewhere cannot leave a half-replaced `Arc`: the data is always whole.
        self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn current(&self) -> Arc<Site> {
        Arc::clone(&self.lock().site)
    }

    pub fn seen(&self) -> Seen {
        let now = self.lock();
        Seen {
            generation: now.site.generation.clone(),
            building: now.building,
        }
    }

    /// Says that a rebuild starts (or ended without a new site).
    pub fn set_building(&self, building: bool) {
        self.lock().building = building;
        self.changed.notify_all();
    }

    /// Replaces the site (and ends the rebuild that made it).
    pub fn publish(&self, site: Site) {
        let mut now = self.lock();
        now.site = Arc::new(site);
        now.building = false;
        drop(now);
        self.changed.notify_all();
    }

    /// Waits until what a page was last told is out of date (returning what to tell it now),
    /// or `timeout`.
    pub fn wait_for_change(&self, seen: &Seen, timeout: Duration) -> Option<Seen> {
        let (now, _) = self
            .changed
            .wait_timeout_while(self.lock(), timeout, |now| {
                now.site.generation == seen.generation && now.building == seen.building
            })
            .unwrap_or_else(PoisonError::into_inner);
        let next = Seen {
            generation: now.site.generation.clone(),
            building: now.building,
        };
        (next != *seen).then_some(next)
    }
}

/// The documents of one successful render, before the preview is put around them.
#[derive(Debug)]
struct Rendering {
    lang: Lang,
    docs: Vec<(Route, String)>,
    /// Teams with a runbook page: (id, name).
    teams: Vec<(String, String)>,
}

/// What one rebuild found, besides the documents.
#[derive(Debug, Hash)]
struct State {
    status: String,
    has_errors: bool,
    banner: Option<Banner>,
    /// The plan files the banner's findings point into, as they are now.
    sources: Vec<Source>,
}

/// A plan file with findings, for its page.
#[derive(Debug)]
struct Source {
    /// Path inside the plan folder, `/` between folders: the page's path.
    file: String,
    /// The path as the banner shows it.
    display: String,
    lines: Vec<String>,
    marks: Marks,
}

impl Hash for Banner {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.headline.hash(state);
        self.more.hash(state);
        for f in &self.findings {
            (
                &f.code,
                &f.position,
                &f.link,
                &f.message,
                &f.help,
                &f.source,
            )
                .hash(state);
        }
    }
}

impl Hash for Source {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.file, &self.display, &self.lines).hash(state);
        for (line, found) in &self.marks {
            line.hash(state);
            for (severity, code, message) in found {
                (severity.as_str(), code, message).hash(state);
            }
        }
    }
}

impl Hash for Rendering {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.lang == Lang::ZhCn).hash(state);
        self.docs.hash(state);
        self.teams.hash(state);
    }
}

impl Hash for Route {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.path().hash(state);
    }
}

/// Builds sites from the plan, remembering the last render without errors.
pub struct Builder {
    options: Options,
    /// Distinguishes this server's generations from an earlier run's, so that pages left open
    /// across a restart reload too.
    run: String,
    published: u64,
    last_content: Option<u64>,
    good: Option<Rendering>,
}

/// What a rebuild did, for the log.
pub struct Outcome {
    /// A new site to publish; `None` when nothing a reader sees has changed.
    pub site: Option<Site>,
    pub log: String,
}

impl Builder {
    pub fn new(options: Options) -> Self {
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Builder {
            options,
            run: format!("{run:x}"),
            published: 0,
            last_content: None,
            good: None,
        }
    }

    /// Loads, checks and renders the plan, and makes the site that shows the result.
    pub fn build(&mut self) -> Outcome {
        let ctx = crate::check::Context {
            today: self.options.today.unwrap_or_else(Date::today),
        };
        let checked = match crate::load_and_check(&self.options.path, &ctx) {
            Ok(checked) => checked,
            Err(e) => return self.failed("the plan cannot be read", "read", &e),
        };
        let summary = Summary::of(&checked.diagnostics);
        let status = crate::diagnostic::summary_line(summary);
        if summary.errors == 0 {
            return match self.render(&checked) {
                Ok(rendering) => {
                    self.good = Some(rendering);
                    let state = State {
                        status: status.clone(),
                        has_errors: false,
                        banner: None,
                        sources: Vec::new(),
                    };
                    self.outcome(state, None, status)
                }
                Err(e) => self.failed("a template failed", "template", &e),
            };
        }
        let errors: Vec<&Diagnostic> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let plural = if errors.len() == 1 { "" } else { "s" };
        // Nothing good to show yet: show the plan as it is, when it loaded whole. A file that
        // does not parse leaves too little to be worth a page.
        let as_is = if self.good.is_none() && !errors.iter().any(|d| d.code.starts_with('L')) {
            self.render(&checked).ok()
        } else {
            None
        };
        let (headline, shown) = match (&as_is, &self.good) {
            (Some(_), _) => (
                format!(
                    "The plan has {} error{plural}. The pages show it as it is now, errors and all.",
                    errors.len()
                ),
                "the pages show it with its errors",
            ),
            (None, Some(_)) => (
                format!(
                    "The plan has {} error{plural}. Until {} fixed, the pages show the last version without errors.",
                    errors.len(),
                    if errors.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    }
                ),
                "the pages show the last version without errors",
            ),
            (None, None) => (
                format!(
                    "The plan cannot be shown: it has {} error{plural}.",
                    errors.len()
                ),
                "nothing to show yet",
            ),
        };
        let listed = &errors[..errors.len().min(BANNER_LIMIT)];
        // The plan files themselves are not redacted: with `--redact`, positions stay text.
        let sources = if self.options.redact {
            Vec::new()
        } else {
            sources_of(listed, &checked.loaded.sources)
        };
        let state = State {
            status: status.clone(),
            has_errors: true,
            banner: Some(Banner {
                headline,
                findings: listed
                    .iter()
                    .map(|d| finding(d, &checked.loaded.sources, self.options.redact))
                    .collect(),
                more: errors.len().saturating_sub(BANNER_LIMIT),
            }),
            sources,
        };
        self.outcome(state, as_is.as_ref(), format!("{status}; {shown}"))
    }

    /// Every document and every team's runbook, in memory, in HTML.
    fn render(&self, checked: &crate::Checked) -> Result<Rendering, crate::error::Error> {
        let plan = &checked.loaded.plan;
        let settings = Settings {
            docs: Doc::ALL.to_vec(),
            format: Format::Html,
            lang: self.options.lang,
            redact: self.options.redact,
            date: None,
            paper: Paper::A4,
            // Audits and the change log since approval are `bcp render`'s: a preview does
            // not read git history on every save.
            compliance: None,
            since_approval: None,
            // `/card` is the whole plan's wallet card.
            team: None,
        };
        let mut docs: Vec<(Route, String)> = render::render(checked, &settings)?
            .into_iter()
            .filter_map(|r| {
                Some((
                    Route::Doc(r.doc?),
                    String::from_utf8(render::bytes_of(r.content).ok()?).ok()?,
                ))
            })
            .collect();
        docs.extend(
            render::team_pages(checked, &settings)?
                .into_iter()
                .filter_map(|(id, bytes)| Some((Route::Team(id), String::from_utf8(bytes).ok()?))),
        );
        if let Ok(html) = String::from_utf8(render::scenario_page(checked, &settings)?) {
            docs.push((Route::Scenarios, html));
        }
        Ok(Rendering {
            lang: self.options.lang.unwrap_or(plan.meta.lang),
            docs,
            teams: plan
                .teams
                .iter()
                .map(|t| (t.id.value.clone(), t.name.clone()))
                .collect(),
        })
    }

    /// The site for a failure of the tool rather than a finding (the plan cannot be read, a
    /// template fails): one banner entry, over the last good pages.
    fn failed(&mut self, status: &str, code: &str, error: &crate::error::Error) -> Outcome {
        let text = error.to_string();
        // The message's first line is the problem; the rest (`help: ...`) the way out.
        let (message, help) = match text.split_once("\nhelp: ") {
            Some((m, h)) => (m.to_string(), Some(h.to_string())),
            None => (text.clone(), None),
        };
        let mut headline = format!("{}{}.", status[..1].to_uppercase(), &status[1..]);
        if self.good.is_some() {
            headline.push_str(" The pages show the last version that rendered.");
        }
        let state = State {
            status: status.to_string(),
            has_errors: true,
            banner: Some(Banner {
                headline,
                findings: vec![Finding {
                    severity: Severity::Error,
                    code: code.into(),
                    position: None,
                    link: None,
                    message,
                    help,
                    source: None,
                }],
                more: 0,
            }),
            sources: Vec::new(),
        };
        self.outcome(state, None, format!("{status}: {text}"))
    }

    /// The site for a rebuild's state, showing `as_is` or else the last good rendering; `None`
    /// when it would show exactly what is already published.
    fn outcome(&mut self, state: State, as_is: Option<&Rendering>, log: String) -> Outcome {
        let shown = as_is.or(self.good.as_ref());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (&state, shown).hash(&mut hasher);
        let content = hasher.finish();
        if self.last_content == Some(content) {
            return Outcome {
                site: None,
                log: format!("{log} (no change to the pages)"),
            };
        }
        self.last_content = Some(content);
        self.published += 1;
        let state_sources = state.sources;
        let chrome = Chrome {
            generation: format!("{}-{}", self.run, self.published),
            lang: shown.map_or(self.options.lang.unwrap_or(Lang::En), |r| r.lang),
            teams: shown.map(|r| r.teams.clone()).unwrap_or_default(),
            status: state.status,
            has_errors: state.has_errors,
            banner: state.banner,
        };
        let mut pages = BTreeMap::new();
        let fallback = if let Some(shown) = shown {
            for (route, html) in &shown.docs {
                pages.insert(route.path(), Arc::from(page::compose(html, route, &chrome)));
            }
            // `/team`: every runbook in one page.
            if let Some(all) = pages.get(&Route::Doc(Doc::Team).path()).cloned() {
                pages.insert("/team".into(), all);
            }
            None
        } else {
            Some(Arc::from(page::own_page(
                "The plan cannot be shown yet",
                "Fix the findings above and save: this page follows the plan and shows it as soon as it renders.",
                &chrome,
            )))
        };
        for source in &state_sources {
            let lines: Vec<&str> = source.lines.iter().map(String::as_str).collect();
            pages.insert(
                Route::Source(source.file.clone()).path(),
                Arc::from(page::source_page(
                    &source.file,
                    &source.display,
                    &lines,
                    &source.marks,
                    &chrome,
                )),
            );
        }
        let not_found = Arc::from(page::own_page(
            "Not found",
            "The preview serves the plan's documents, and a plan file while findings point into it: the links above lead to each document.",
            &chrome,
        ));
        Outcome {
            site: Some(Site {
                generation: chrome.generation,
                pages,
                fallback,
                not_found,
            }),
            log,
        }
    }
}

/// Longest source line shown in the banner; longer lines are cut.
const SOURCE_LINE_LIMIT: usize = 240;

/// A finding for the banner. `redact`: the plan's own lines (which may hold contact details)
/// are neither quoted nor linked.
fn finding(d: &Diagnostic, sources: &Sources, redact: bool) -> Finding {
    let place = d.span.map(|s| (s, s.line.max(1)));
    Finding {
        severity: d.severity,
        code: d.code.to_string(),
        position: place.map(|(s, line)| {
            format!(
                "{}:{line}:{}",
                sources.display_path(s.file),
                s.column.max(1)
            )
        }),
        link: place
            .filter(|_| !redact)
            .and_then(|(s, line)| Some(page::source_href(&page_path(sources, s.file)?, line))),
        message: d.message.clone(),
        help: d.help.clone(),
        source: place.filter(|_| !redact).and_then(|(s, line)| {
            let text = sources.line(s.file, line)?;
            let mut shown: String = text.chars().take(SOURCE_LINE_LIMIT).collect();
            if shown.len() < text.len() {
                shown.push('…');
            }
            Some((line, shown))
        }),
    }
}

/// A plan file's page path: its path inside the plan folder, `/` between folders.
fn page_path(sources: &Sources, file: u32) -> Option<String> {
    let relative = &sources.files().get(file as usize)?.relative;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The plan files that listed findings point into, with those findings marked on their lines.
fn sources_of(listed: &[&Diagnostic], sources: &Sources) -> Vec<Source> {
    let mut by_file: BTreeMap<u32, Marks> = BTreeMap::new();
    for d in listed {
        if let Some(span) = d.span {
            by_file
                .entry(span.file)
                .or_default()
                .entry(span.line.max(1))
                .or_default()
                .push((d.severity, d.code.to_string(), d.message.clone()));
        }
    }
    by_file
        .into_iter()
        .filter_map(|(file, marks)| {
            let lines = (1..)
                .map_while(|n| sources.line(file, n).map(str::to_string))
                .collect();
            Some(Source {
                file: page_path(sources, file)?,
                display: sources.display_path(file),
                lines,
                marks,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(generation: &str) -> Site {
        Site {
            generation: generation.into(),
            ..Site::placeholder()
        }
    }

    /// An event stream waiting on the shared state hears of a rebuild starting, of one that
    /// changed nothing, and of new pages; and of nothing else.
    #[test]
    fn waiting_pages_hear_of_rebuilds_and_new_pages() {
        let shared = Arc::new(Shared::new(site("g1")));
        let first = shared.seen();
        assert_eq!(
            shared.wait_for_change(&first, Duration::from_millis(10)),
            None
        );
        let waiter = {
            let shared = Arc::clone(&shared);
            let first = first.clone();
            std::thread::spawn(move || shared.wait_for_change(&first, Duration::from_mins(1)))
        };
        shared.set_building(true);
        let building = waiter.join().unwrap().unwrap();
        assert_eq!(building.generation, "g1");
        assert!(building.building);
        shared.set_building(false);
        assert_eq!(
            shared.wait_for_change(&building, Duration::from_mins(1)),
            Some(first.clone())
        );
        shared.set_building(true);
        shared.publish(site("g2"));
        let next = shared
            .wait_for_change(&first, Duration::from_mins(1))
            .unwrap();
        assert_eq!(next.generation, "g2");
        assert!(!next.building);
    }
}
