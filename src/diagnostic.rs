//! Plan problems as data, and every way of printing them: human (rustc-style), JSON, GitHub
//! workflow commands and SARIF 2.1.0.

use crate::escape::terminal as visible;
use crate::i18n;
use crate::load::Sources;
use crate::model::{Date, Span};
use crate::t;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary place that explains the finding ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding about the plan: a stable code, where it is, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// `None` for findings about the plan as a whole.
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Id of the entity the finding is about (a function, system, supplier, person...): what an
    /// exception names as its `target`. `None` for findings about the plan as a whole.
    pub target: Option<String>,
    /// The scenario the finding holds in, for findings of one scenario.
    pub scenario: Option<String>,
    /// Set when an exception of the plan accepts the finding: it is still reported, but does
    /// not count as an error or a warning.
    pub accepted: Option<Accepted>,
}

/// The exception that accepts a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Accepted {
    /// Where the exception is written.
    #[serde(skip)]
    pub span: Span,
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
            span: None,
            label: None,
            labels: Vec::new(),
            help: None,
            target: None,
            scenario: None,
            accepted: None,
        }
    }

    /// The id of the entity the finding is about, for exceptions.
    #[must_use]
    pub fn target(mut self, id: impl Into<String>) -> Self {
        self.target = Some(id.into());
        self
    }

    /// The scenario the finding holds in.
    #[must_use]
    pub fn in_scenario(mut self, id: impl Into<String>) -> Self {
        self.scenario = Some(id.into());
        self
    }

    /// Whether the finding counts: an error or a warning no exception accepts.
    pub fn counts(&self) -> bool {
        self.accepted.is_none()
    }

    /// An error that counts (not accepted).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error && self.accepted.is_none()
    }

    #[must_use]
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Text printed under the caret of the primary position.
    #[must_use]
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }

    /// A secondary position, printed with its own snippet.
    #[must_use]
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    #[must_use]
    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }
}

/// Sorts diagnostics into reading order: by file, line, column, then code. Stable and total,
/// so output is the same bytes every run.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.is_none(), a.span, a.code, &a.message).cmp(&(
            b.span.is_none(),
            b.span,
            b.code,
            &b.message,
        ))
    });
}

/// How many findings count as errors and warnings; accepted findings are counted apart.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub accepted: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut summary = Summary::default();
        for d in diagnostics {
            match (d.accepted.is_some(), d.severity) {
                (true, _) => summary.accepted += 1,
                (false, Severity::Error) => summary.errors += 1,
                (false, Severity::Warning) => summary.warnings += 1,
            }
        }
        summary
    }
}

/// Findings of each code, most frequent first (then by code): what the summary line counts.
pub fn count_by_code<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<(&'static str, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.code).or_insert(0) += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}

/// Which findings a report shows: `--only` and `--skip`, each a list of code prefixes (`M004`,
/// `M`). Load problems (L) are always shown: what did not load was not checked, so hiding them
/// would make an unchecked plan look clean.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub only: Vec<String>,
    pub skip: Vec<String>,
}

impl Selection {
    pub fn selects(&self, code: &str) -> bool {
        let starts = |prefixes: &[String]| prefixes.iter().any(|p| code.starts_with(p.as_str()));
        code.starts_with('L')
            || ((self.only.is_empty() || starts(&self.only)) && !starts(&self.skip))
    }

    /// Keeps the selected findings; returns how many were left out.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let before = diagnostics.len();
        diagnostics.retain(|d| self.selects(d.code));
        before - diagnostics.len()
    }
}

/// How a report is printed, beyond its format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Colour (human format only).
    pub color: bool,
    /// Human format: show this many findings of one code, then count the rest in one line.
    pub max_per_code: Option<usize>,
    /// Findings a [`Selection`] left out, mentioned in the summary.
    pub not_shown: usize,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source snippets.
    Human,
    /// One line per finding: `file:line:col: severity[CODE]: message`.
    Short,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

/// Renders all diagnostics, with a summary, in the given format.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    format: Format,
    color: bool,
) -> String {
    let options = Options {
        color,
        ..Options::default()
    };
    render_with(diagnostics, sources, format, &options)
}

/// Renders diagnostics as [`render`] does, with the report options of `bcp validate`.
pub fn render_with(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    format: Format,
    options: &Options,
) -> String {
    match format {
        Format::Human => human(diagnostics, sources, options),
        Format::Short => short(diagnostics, sources, options),
        Format::Json => json(diagnostics, sources, options),
        Format::Github => github(diagnostics, sources, options),
        Format::Sarif => sarif(diagnostics, sources),
    }
}

/// `FILE:SHEET!CELL` when the span is a workbook answer (see [`Sources::push_cell`]).
fn cell_position(sources: &Sources, span: Span) -> Option<String> {
    let cell = sources.cell(span.file)?;
    Some(format!("{}:{cell}", sources.display_path(span.file)))
}

/// File path, line and column of a span, as printed.
fn position(sources: &Sources, span: Span) -> (String, u32, u32) {
    (
        sources.display_path(span.file),
        span.line.max(1),
        span.column.max(1),
    )
}

fn human(diagnostics: &[Diagnostic], sources: &Sources, options: &Options) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let collapsed = Collapsed::new(diagnostics, options.max_per_code);
    for d in collapsed.shown {
        let level = match (&d.accepted, d.severity) {
            (Some(_), _) => Level::NOTE.with_name(word("report.accepted")),
            (None, Severity::Error) => Level::ERROR.with_name(word("report.error")),
            (None, Severity::Warning) => Level::WARNING.with_name(word("report.warning")),
        };
        let message = visible(&d.message);
        let title = level.primary_title(message.as_ref()).id(d.code);
        let label = d.label.as_deref().map(visible);
        let mut places: Vec<(Span, Option<&str>, bool)> = Vec::new();
        if let Some(span) = d.span {
            places.push((span, label.as_deref(), true));
        }
        let also: Vec<_> = d
            .labels
            .iter()
            .map(|l| (l.span, visible(&l.message)))
            .collect();
        places.extend(
            also.iter()
                .map(|(span, m)| (*span, Some(m.as_ref()), false)),
        );
        let accepted_label = d.accepted.as_ref().map(|a| {
            (
                a.span,
                t!(
                    "report.accepted_until",
                    expires = a.expires,
                    approved_by = visible(&a.approved_by)
                ),
            )
        });
        if let Some((span, text)) = &accepted_label {
            places.push((*span, Some(text.as_str()), false));
        }
        let mut snippets = Vec::new();
        let mut cells = Vec::new();
        for (span, text, primary) in places {
            if let Some(cell) = cell_position(sources, span) {
                cells.push(visible(&cell).into_owned());
                continue;
            }
            let (path, line, column) = position(sources, span);
            let path = visible(&path).into_owned();
            let source_line = sources.line(span.file, line).unwrap_or_default();
            let range = token_range(source_line, column);
            let kind = if primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let mut annotation = kind.span(range);
            if let Some(text) = text {
                annotation = annotation.label(text);
            }
            snippets.push(
                Snippet::source(source_line)
                    .line_start(line as usize)
                    .path(path)
                    .annotation(annotation),
            );
        }
        let mut group = Group::with_title(title);
        for cell in cells {
            group = group.element(annotate_snippets::Origin::path(cell));
        }
        for snippet in snippets {
            group = group.element(snippet);
        }
        let mut report = vec![group];
        let help = d.help.as_deref().map(visible);
        if let Some(help) = &help {
            report.push(Group::with_title(
                Level::HELP
                    .with_name(word("report.help"))
                    .secondary_title(help.as_ref()),
            ));
        }
        let reason = d.accepted.as_ref().map(|a| visible(&a.reason));
        if let Some(reason) = &reason {
            report.push(Group::with_title(
                Level::NOTE
                    .with_name(word("report.accepted"))
                    .secondary_title(reason.as_ref()),
            ));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    for (code, more) in &collapsed.hidden {
        let _ = writeln!(
            out,
            "{}",
            text::more_of_code(code, more.count, more.files.len())
        );
    }
    if !collapsed.hidden.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", totals_line(diagnostics, options));
    out
}

/// The findings the human format shows in full, and for each code whose findings go over
/// `--max-per-code`, how many more there are and in which files.
struct Collapsed<'a> {
    shown: Vec<&'a Diagnostic>,
    hidden: std::collections::BTreeMap<&'static str, More>,
}

#[derive(Default)]
struct More {
    count: usize,
    files: std::collections::BTreeSet<u32>,
}

impl<'a> Collapsed<'a> {
    fn new(diagnostics: &'a [Diagnostic], max_per_code: Option<usize>) -> Self {
        let limit = max_per_code.filter(|&n| n > 0).unwrap_or(usize::MAX);
        let mut seen = std::collections::HashMap::new();
        let mut shown = Vec::new();
        let mut hidden = std::collections::BTreeMap::<_, More>::new();
        for d in diagnostics {
            let n = seen.entry(d.code).or_insert(0_usize);
            *n += 1;
            if *n <= limit {
                shown.push(d);
            } else {
                let more = hidden.entry(d.code).or_default();
                more.count += 1;
                more.files.extend(d.span.map(|s| s.file));
            }
        }
        Collapsed { shown, hidden }
    }
}

/// One finding per line, for compilers' and linters' consumers (editors' problem matchers,
/// `grep`, a quick look): `file:line:col: severity[CODE]: message`. Findings about the plan as
/// a whole have no position.
fn short(diagnostics: &[Diagnostic], sources: &Sources, options: &Options) -> String {
    let mut out = String::new();
    for d in diagnostics {
        if let Some(span) = d.span {
            if let Some(cell) = cell_position(sources, span) {
                let _ = write!(out, "{}: ", one_line(&cell));
            } else {
                let (path, line, column) = position(sources, span);
                let _ = write!(out, "{}:{line}:{column}: ", one_line(&path));
            }
        }
        // An accepted finding is marked as the human format marks it, with who accepted it
        // until when: the exception's reason is in the other formats.
        let (level, accepted) = match &d.accepted {
            Some(a) => (
                "accepted",
                format!(
                    " ({})",
                    t!(
                        "report.accepted_until",
                        expires = a.expires,
                        approved_by = one_line(&a.approved_by)
                    )
                ),
            ),
            None => (d.severity.as_str(), String::new()),
        };
        let _ = writeln!(
            out,
            "{level}[{}]: {}{accepted}",
            d.code,
            one_line(&d.message)
        );
    }
    let _ = writeln!(out, "{}", totals_line(diagnostics, options));
    out
}

/// [`visible`] text on one line: line breaks shown as `\n`.
fn one_line(text: &str) -> String {
    visible(text).replace('\n', "\\n")
}

/// The last line of a text report: the counts, by code, and what `--only`/`--skip` left out.
/// Findings that count and findings exceptions accept are broken down apart:
/// `2 errors, 0 warnings: 2 G004; 3 accepted by exceptions: 3 X004`.
fn totals_line(diagnostics: &[Diagnostic], options: &Options) -> String {
    let summary = Summary::of(diagnostics);
    // One finding needs no breakdown: its code is on the line above.
    let line = if diagnostics.len() > 1 {
        let counted = count_by_code(diagnostics.iter().filter(|d| d.counts()));
        let accepted = count_by_code(diagnostics.iter().filter(|d| !d.counts()));
        let mut line = summary_line(Summary {
            accepted: 0,
            ..summary
        });
        if !counted.is_empty() {
            line = text::with_codes(&line, &counted);
        }
        if !accepted.is_empty() {
            line = text::with_accepted(&line, summary.accepted, &accepted);
        }
        line
    } else {
        summary_line(summary)
    };
    if options.not_shown > 0 {
        text::with_not_shown(&line, options.not_shown)
    } else {
        line
    }
}

/// `2 errors, 1 warning` / `no problems found`, then `; 3 accepted` when exceptions accept
/// findings.
pub fn summary_line(summary: Summary) -> String {
    let counted = match (summary.errors, summary.warnings) {
        (0, 0) => t!("report.no_problems"),
        (e, w) => t!(
            "report.counted",
            errors = i18n::plural("report.errors", e, &[]),
            warnings = i18n::plural("report.warnings", w, &[])
        ),
    };
    match summary.accepted {
        0 => counted,
        n => t!("report.accepted_by_exceptions", summary = counted, n),
    }
}

/// A word of the report in the language of messages (severity names, `help`).
fn word(key: &str) -> &'static str {
    i18n::raw(i18n::current(), key)
}

/// Byte range of the value or key starting at a 1-based character column: a quoted string,
/// a bracketed list or mapping, or plain text up to a comment, a `key: ` colon or the end of
/// the line (inside brackets also a comma or the closing bracket); at least one character
/// wide when the line has one.
fn token_range(line: &str, column: u32) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
        Some(open @ ('[' | '{')) => bracketed(rest, open),
        // A tab is pointed at alone (YAML errors about tabs).
        Some('\t') => 1,
        Some(_) => plain_len(rest, in_brackets(&line[..start])),
        None => 0,
    };
    // A key such as `rto:` is pointed at without its colon.
    let token = &rest[..len];
    let len = if token.len() > 1 && token.ends_with(':') {
        len - 1
    } else {
        len
    };
    start..start + len
}

/// Whether a position after `before` lies inside `[...]` or `{...}` (quotes skipped).
fn in_brackets(before: &str) -> bool {
    let mut depth = 0usize;
    let mut quote = None;
    for c in before.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth > 0
}

/// Length of a bracketed list or mapping, to its matching bracket (or the end of the line).
fn bracketed(rest: &str, open: char) -> usize {
    let close = if open == '[' { ']' } else { '}' };
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    return i + c.len_utf8();
                }
            }
            _ => {}
        }
    }
    rest.trim_end().len()
}

/// Length of plain (unquoted) text: up to ` #`, `: ` (or a final `:`), the end of the line,
/// and inside brackets a `,`, `]` or `}`; trailing blanks left out.
fn plain_len(rest: &str, flow: bool) -> usize {
    let mut end = rest.len();
    let mut prev = None;
    for (i, c) in rest.char_indices() {
        let next = rest[i + c.len_utf8()..].chars().next();
        let stop = (c == '#' && prev.is_some_and(char::is_whitespace))
            || (c == ':' && next.is_none_or(char::is_whitespace) && i > 0)
            || (flow && matches!(c, ',' | ']' | '}'));
        if stop {
            // A key keeps its colon here; it is cut off by the caller.
            end = if c == ':' { i + 1 } else { i };
            break;
        }
        prev = Some(c);
    }
    let len = rest[..end].trim_end().len();
    len.max(rest.chars().next().map_or(0, char::len_utf8))
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    help: Option<&'a str>,
    related: Vec<JsonRelated>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<JsonAccepted<'a>>,
}

#[derive(Serialize)]
struct JsonAccepted<'a> {
    file: String,
    line: u32,
    column: u32,
    reason: &'a str,
    approved_by: &'a str,
    expires: Date,
}

#[derive(Serialize)]
struct JsonRelated {
    file: String,
    line: u32,
    column: u32,
    message: String,
}

fn json(diagnostics: &[Diagnostic], sources: &Sources, options: &Options) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        diagnostics: Vec<JsonDiagnostic<'a>>,
        summary: JsonSummary,
    }
    #[derive(Serialize)]
    struct JsonSummary {
        #[serde(flatten)]
        counts: Summary,
        /// Findings of each code, in code order.
        by_code: std::collections::BTreeMap<&'static str, usize>,
        /// Findings `--only`/`--skip` left out.
        not_shown: usize,
    }
    let doc = Doc {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let cell = d.span.and_then(|s| cell_position(sources, s));
                let pos = d
                    .span
                    .filter(|_| cell.is_none())
                    .map(|s| position(sources, s));
                JsonDiagnostic {
                    code: d.code,
                    severity: d.severity,
                    message: &d.message,
                    file: cell.or_else(|| pos.as_ref().map(|p| p.0.clone())),
                    line: pos.as_ref().map(|p| p.1),
                    column: pos.as_ref().map(|p| p.2),
                    help: d.help.as_deref(),
                    related: d
                        .labels
                        .iter()
                        .map(|l| {
                            let (file, line, column) = position(sources, l.span);
                            JsonRelated {
                                file,
                                line,
                                column,
                                message: l.message.clone(),
                            }
                        })
                        .collect(),
                    target: d.target.as_deref(),
                    scenario: d.scenario.as_deref(),
                    accepted: d.accepted.as_ref().map(|a| {
                        let (file, line, column) = position(sources, a.span);
                        JsonAccepted {
                            file,
                            line,
                            column,
                            reason: &a.reason,
                            approved_by: &a.approved_by,
                            expires: a.expires,
                        }
                    }),
                }
            })
            .collect(),
        summary: JsonSummary {
            counts: Summary::of(diagnostics),
            by_code: count_by_code(diagnostics).into_iter().collect(),
            not_shown: options.not_shown,
        },
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// GitHub workflow commands: `::error file=F,line=L,col=C,title=CODE::message`.
fn github(diagnostics: &[Diagnostic], sources: &Sources, options: &Options) -> String {
    // Escaping rules of the workflow command syntax.
    fn data(s: &str) -> String {
        visible(s)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in diagnostics {
        let mut props = Vec::new();
        let cell = d.span.and_then(|s| cell_position(sources, s));
        if let Some(span) = d.span.filter(|_| cell.is_none()) {
            let (file, line, column) = position(sources, span);
            props.push(format!("file={}", property(&file)));
            props.push(format!("line={line}"));
            props.push(format!("col={column}"));
        }
        let mut message = d.message.clone();
        // A workbook is no file of the repository to annotate: the cell leads the message.
        if let Some(cell) = cell {
            message = format!("{cell}: {message}");
        }
        if let Some(help) = &d.help {
            message = format!("{message}\n{}: {help}", word("report.help"));
        }
        // An accepted finding is a notice, not an error or warning annotation.
        let command = if let Some(a) = &d.accepted {
            props.push(format!(
                "title={}",
                property(&format!("{} ({})", d.code, word("report.accepted")))
            ));
            let (file, line, _) = position(sources, a.span);
            let until = t!(
                "report.accepted_until",
                expires = a.expires,
                approved_by = a.approved_by
            );
            message = format!("{message}\n{until} ({file}:{line}): {}", a.reason);
            "notice"
        } else {
            props.push(format!("title={}", property(d.code)));
            d.severity.as_str()
        };
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    let _ = writeln!(out, "{}", totals_line(diagnostics, options));
    out
}

fn sarif(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    use serde_json::json;
    let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes
        .iter()
        .map(|code| {
            let rule = crate::check::rule(code);
            json!({
                "id": code,
                "name": rule.map_or("", |r| r.name),
                "shortDescription": { "text": rule.map_or("", |r| r.summary()) },
                "fullDescription": { "text": rule.map_or("", |r| r.explanation()) },
                "help": { "text": t!("report.sarif_help", code) },
            })
        })
        .collect();
    let results: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": codes.iter().position(|c| *c == d.code),
                "level": d.severity.as_str(),
                "message": { "text": match &d.help {
                    Some(help) => format!("{}\n{}: {help}", d.message, word("report.help")),
                    None => d.message.clone(),
                } },
            });
            let location = |span: Span| {
                if let Some(cell) = sources.cell(span.file) {
                    return json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": sources.display_path(span.file).replace('\\', "/") },
                        },
                        "logicalLocations": [{ "fullyQualifiedName": cell, "kind": "element" }],
                    });
                }
                let (file, line, column) = position(sources, span);
                json!({ "physicalLocation": {
                    "artifactLocation": { "uri": file.replace('\\', "/") },
                    "region": { "startLine": line, "startColumn": column },
                } })
            };
            if let Some(span) = d.span {
                result["locations"] = json!([location(span)]);
            }
            if let Some(a) = &d.accepted {
                result["suppressions"] = json!([{
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": t!(
                        "report.justification",
                        reason = a.reason,
                        approved_by = a.approved_by,
                        expires = a.expires
                    ),
                    "location": location(a.span),
                }]);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut loc = location(l.span);
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": l.message });
                        loc
                    })
                    .collect();
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "bcp",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The sentences of a findings report that are built from counts and codes, from the catalogue.
mod text {
    use crate::{i18n, t};

    /// `... and 121 more M004 findings (placeholder) in 9 files`, with how to see them.
    pub fn more_of_code(code: &str, count: usize, files: usize) -> String {
        let name = crate::check::rule(code).map_or("", |r| r.name);
        let files = match files {
            0 => String::new(),
            n => i18n::plural("report.in_files", n, &[]),
        };
        i18n::plural(
            "report.more_of_code",
            count,
            &[("code", &code), ("name", &name), ("files", &files)],
        )
    }

    /// `3 errors, 1 warning: 2 M004, 1 B001, 1 C001`.
    pub fn with_codes(summary: &str, counts: &[(&str, usize)]) -> String {
        let list: Vec<String> = counts
            .iter()
            .map(|(code, n)| format!("{n} {code}"))
            .collect();
        let codes = list.join(i18n::raw(i18n::current(), "report.list_separator"));
        t!("report.with_codes", summary, codes)
    }

    /// The counted summary, then the accepted findings by code:
    /// `no problems found; 3 accepted by exceptions: 2 X004, 1 X001`.
    pub fn with_accepted(summary: &str, count: usize, counts: &[(&str, usize)]) -> String {
        with_codes(
            &t!("report.accepted_by_exceptions", summary, n = count),
            counts,
        )
    }

    /// The summary, then how many findings `--only`/`--skip` left out.
    pub fn with_not_shown(summary: &str, count: usize) -> String {
        i18n::plural("report.not_shown", count, &[("summary", &summary)])
    }
}

#[cfg(test)]
mod tests {
    use super::token_range;

    #[test]
    fn token_ranges_cover_the_value() {
        assert_eq!(token_range("  rto: 4h", 8), 7..9);
        assert_eq!(token_range("  owner: \"p x\" # c", 10), 9..14);
        assert_eq!(token_range("  - id: 支付 # x", 9), 8..14);
        assert_eq!(token_range("  rto:", 3), 2..5);
        assert_eq!(token_range("", 1), 0..0);
        // Plain text runs to a comment or the end of the line, not to the first blank.
        assert_eq!(token_range("  type: table top  # x", 9), 8..17);
        assert_eq!(token_range("  name: Annual tabletop", 9), 8..23);
        // Inside brackets it stops at a comma; a bracketed value is taken whole.
        assert_eq!(token_range("  x: [a b, c]", 7), 6..9);
        assert_eq!(token_range("  title: [a, [b]]", 10), 9..17);
        assert_eq!(token_range("  c: {email: a@x}", 7), 6..11);
    }
}
