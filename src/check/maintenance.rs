//! §12-§13: the plan is living. Reviews and exercises on time, actions closed, no placeholders.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::load::Sources;
use crate::model::{ActionStatus, Plan, Span};
use crate::t;

/// The text `bcp init` writes where the author must supply a value.
pub const PLACEHOLDER: &str = "TODO";

pub fn check(plan: &Plan, ctx: &Context, out: &mut Vec<Diagnostic>) {
    review(plan, ctx, out);
    exercises(plan, ctx, out);
}

/// M001: the review is due `interval_months` after the last one.
fn review(plan: &Plan, ctx: &Context, out: &mut Vec<Diagnostic>) {
    if !plan.has_meta {
        return;
    }
    let Some(review) = &plan.meta.review else {
        out.push(
            Diagnostic::error("M001", t!("M001.no_cycle.message"))
                .at(plan.meta_span)
                .help(t!("M001.no_cycle.help")),
        );
        return;
    };
    let due = review
        .last_reviewed
        .value
        .plus_months(review.interval_months.value);
    if due < ctx.today {
        out.push(
            Diagnostic::error("M001", t!("M001.overdue.message", due))
                .at(review.last_reviewed.span)
                .label(t!(
                    "M001.overdue.label",
                    months = review.interval_months.value
                ))
                .help(t!("M001.overdue.help")),
        );
    }
}

/// M002, M003: an exercise held in the last 12 months, and no open action past its due date.
fn exercises(plan: &Plan, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let year_ago = ctx.today.plus_days(-365);
    let held: Vec<_> = plan
        .exercises
        .iter()
        .filter(|e| e.date.value <= ctx.today)
        .collect();
    if plan.has_meta && !held.iter().any(|e| e.date.value > year_ago) {
        let latest = held.iter().max_by_key(|e| e.date.value);
        let mut d = Diagnostic::error("M002", t!("M002.message"));
        d = match latest {
            Some(e) => d.at(e.date.span).label(t!("M002.label", id = e.id.value)),
            None => d.at(plan.meta_span),
        };
        out.push(d.help(t!("M002.help")));
    }
    for e in &plan.exercises {
        for a in e.results.iter().flat_map(|r| &r.actions) {
            if a.status == ActionStatus::Open && a.due.value < ctx.today {
                out.push(
                    Diagnostic::error(
                        "M003",
                        t!("M003.message", id = a.id.value, due = a.due.value),
                    )
                    .at(a.due.span)
                    .help(t!("M003.help"))
                    .target(&a.id.value),
                );
            }
        }
    }
}

/// M004: every `TODO` left in a value (comments are ignored), with its exact position.
pub fn placeholders(sources: &Sources, out: &mut Vec<Diagnostic>) {
    for (file, source) in sources.files().iter().enumerate() {
        let file = u32::try_from(file).unwrap_or(u32::MAX);
        // Most files hold no placeholder at all: one fast search skips them whole, and only
        // lines holding one are parsed for comments.
        if !source.text.contains(PLACEHOLDER) {
            continue;
        }
        for (n, line) in source.text.lines().enumerate() {
            if !line.contains(PLACEHOLDER) {
                continue;
            }
            let content = without_comment(line);
            let Some(byte) = find_word(content, PLACEHOLDER) else {
                continue;
            };
            let column = content[..byte].chars().count() + 1;
            let value = content[byte..].trim().trim_end_matches(['"', '\'']);
            let value: String = value.chars().take(60).collect();
            out.push(
                Diagnostic::error("M004", t!("M004.message", value))
                    .at(Span {
                        file,
                        line: u32::try_from(n + 1).unwrap_or(u32::MAX),
                        column: u32::try_from(column).unwrap_or(u32::MAX),
                    })
                    .help(t!("M004.help")),
            );
        }
    }
}

/// Byte offset of `word` standing alone (not inside `TODOS` or `MASTODON`).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        !is_word(text[..i].chars().next_back()) && !is_word(text[i + word.len()..].chars().next())
    })
}

/// The line without a trailing `# comment`: a `#` at the start or after white space, outside quotes.
fn without_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..i],
            Some(_) | None => {}
        }
        previous = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::without_comment;

    #[test]
    fn comments_are_stripped_outside_quotes() {
        assert_eq!(without_comment("name: x # TODO later"), "name: x ");
        assert_eq!(without_comment("# TODO"), "");
        assert_eq!(without_comment("name: \"a # b\" # c"), "name: \"a # b\" ");
        assert_eq!(without_comment("url: a#b"), "url: a#b");
    }

    #[test]
    fn placeholders_are_whole_words() {
        assert_eq!(super::find_word("name: \"TODO: x\"", "TODO"), Some(7));
        assert_eq!(super::find_word("name: TODOS", "TODO"), None);
        assert_eq!(super::find_word("name: MASTODON TODO", "TODO"), Some(15));
    }
}
