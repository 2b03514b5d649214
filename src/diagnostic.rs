//! Plan problems as data, and every way of printing them: human (rustc-style), JSON, GitHub
//! workflow commands and SARIF 2.1.0.

use crate::escape::terminal as visible;
use crate::load::Sources;
use crate::model::{Date, Span};
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

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source snippets.
    Human,
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
    match format {
        Format::Human => human(diagnostics, sources, color),
        Format::Json => json(diagnostics, sources),
        Format::Github => github(diagnostics, sources),
        Format::Sarif => sarif(diagnostics, sources),
    }
}

/// File path, line and column of a span, as printed.
fn position(sources: &Sources, span: Span) -> (String, u32, u32) {
    (
        sources.display_path(span.file),
        span.line.max(1),
        span.column.max(1),
    )
}

fn human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match (&d.accepted, d.severity) {
            (Some(_), _) => Level::NOTE.with_name("accepted"),
            (None, Severity::Error) => Level::ERROR,
            (None, Severity::Warning) => Level::WARNING,
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
                format!(
                    "accepted until {} by `{}`",
                    a.expires,
                    visible(&a.approved_by)
                ),
            )
        });
        if let Some((span, text)) = &accepted_label {
            places.push((*span, Some(text.as_str()), false));
        }
        let mut snippets = Vec::new();
        for (span, text, primary) in places {
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
        for snippet in snippets {
            group = group.element(snippet);
        }
        let mut report = vec![group];
        let help = d.help.as_deref().map(visible);
        if let Some(help) = &help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_ref()),
            ));
        }
        let reason = d.accepted.as_ref().map(|a| visible(&a.reason));
        if let Some(reason) = &reason {
            report.push(Group::with_title(
                Level::NOTE
                    .with_name("accepted")
                    .secondary_title(reason.as_ref()),
            ));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    let summary = Summary::of(diagnostics);
    let _ = writeln!(out, "{}", summary_line(summary));
    out
}

/// `2 errors, 1 warning` / `no problems found`, then `; 3 accepted` when exceptions accept
/// findings.
pub fn summary_line(summary: Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let counted = match (summary.errors, summary.warnings) {
        (0, 0) => "no problems found".to_string(),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    match summary.accepted {
        0 => counted,
        n => format!("{counted}; {n} accepted by exceptions"),
    }
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

fn json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        diagnostics: Vec<JsonDiagnostic<'a>>,
        summary: Summary,
    }
    let doc = Doc {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let pos = d.span.map(|s| position(sources, s));
                JsonDiagnostic {
                    code: d.code,
                    severity: d.severity,
                    message: &d.message,
                    file: pos.as_ref().map(|p| p.0.clone()),
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
        summary: Summary::of(diagnostics),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// GitHub workflow commands: `::error file=F,line=L,col=C,title=CODE::message`.
fn github(diagnostics: &[Diagnostic], sources: &Sources) -> String {
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
        if let Some(span) = d.span {
            let (file, line, column) = position(sources, span);
            props.push(format!("file={}", property(&file)));
            props.push(format!("line={line}"));
            props.push(format!("col={column}"));
        }
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message = format!("{message}\nhelp: {help}");
        }
        // An accepted finding is a notice, not an error or warning annotation.
        let command = if let Some(a) = &d.accepted {
            props.push(format!(
                "title={}",
                property(&format!("{} (accepted)", d.code))
            ));
            let (file, line, _) = position(sources, a.span);
            message = format!(
                "{message}\naccepted until {} by `{}` ({file}:{line}): {}",
                a.expires, a.approved_by, a.reason
            );
            "notice"
        } else {
            props.push(format!("title={}", property(d.code)));
            d.severity.as_str()
        };
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    let _ = writeln!(out, "{}", summary_line(Summary::of(diagnostics)));
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
                "shortDescription": { "text": rule.map_or("", |r| r.summary) },
                "fullDescription": { "text": rule.map_or("", |r| r.explanation) },
                "help": { "text": format!("run `bcp explain {code}`") },
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
                    Some(help) => format!("{}\nhelp: {help}", d.message),
                    None => d.message.clone(),
                } },
            });
            let location = |span: Span| {
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
                    "justification": format!(
                        "{} (approved by {}, expires {})",
                        a.reason, a.approved_by, a.expires
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
