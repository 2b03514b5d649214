//! The YAML crate's errors in the plan's words: the right code, a one-line message without
//! the crate's types or options, a help line that says how to fix it, and the position of the
//! thing to fix (the tab itself, the entry that lacks a key, the anchor an alias names).

use super::line_starts;
use crate::diagnostic::Diagnostic;
use crate::model::Span;
use crate::t;

/// Turns the YAML crate's error into a diagnostic. `text` is the file's text, for the
/// positions and values the crate's error does not carry.
pub(super) fn yaml_error(error: &serde_saphyr::Error, text: &str, file: u32) -> Diagnostic {
    let position = |l: serde_saphyr::Location| {
        (
            u32::try_from(l.line()).unwrap_or(1).max(1),
            u32::try_from(l.column()).unwrap_or(1).max(1),
        )
    };
    let (line, column) = error.location().map_or((1, 1), position);
    let source = Source::new(text);
    let message = bare_message(error);
    let mut found = describe(error, &message, &source, line, column);
    // The first line of a message only: the rest is the crate's snippet or chain.
    let (line, column) = found.at.unwrap_or((line, column));
    let mut d = Diagnostic::error(found.code, found.message).at(Span { file, line, column });
    if let Some(label) = found.label.take() {
        d = d.label(label);
    }
    // A value that comes from an anchor: show where the anchor is defined, too.
    if let Some(both) = error.locations().filter(|_| d.code == "L002") {
        let used = position(both.reference_location);
        let defined = position(both.defined_location);
        if both.defined_location != serde_saphyr::Location::UNKNOWN && defined != used {
            d = d.also(
                Span {
                    file,
                    line: defined.0,
                    column: defined.1,
                },
                t!("load.anchor_defined"),
            );
        }
    }
    match found.help {
        Some(help) => d.help(help),
        None => d,
    }
}

/// What a YAML error means for the plan author.
struct Found {
    code: &'static str,
    message: String,
    help: Option<String>,
    label: Option<String>,
    /// A better position than the crate's, when it points next to the problem.
    at: Option<(u32, u32)>,
}

impl Found {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Found {
            code,
            message: message.into(),
            help: None,
            label: None,
            at: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The crate's message without its position suffixes (` at line 3, column 5`,
/// ` (defined at line 1, column 10)`, ` (used at ...)`) and without a trailing full stop:
/// our position is in the span.
fn bare_message(error: &serde_saphyr::Error) -> String {
    let full = error.without_snippet().to_string();
    let first = full.lines().next().unwrap_or_default().trim();
    let cut = [" (defined at line ", " (used at line ", " at line "]
        .iter()
        .filter_map(|marker| first.find(marker))
        .min()
        .unwrap_or(first.len());
    first[..cut].trim().trim_end_matches('.').to_string()
}

/// Classifies an error (by its kind, never by its text alone: the text quotes the plan's own
/// keys and values, and an unknown key `rate_limit` is not a parser limit) and words it.
fn describe(
    error: &serde_saphyr::Error,
    message: &str,
    source: &Source,
    line: u32,
    column: u32,
) -> Found {
    use serde_saphyr::{Error as E, ExternalMessageSource as External};
    match error.without_snippet() {
        E::Budget { breach, .. } => limit(&format!("{breach:?}")),
        // The crate raises some limits met inside an alias's value as another kind of error
        // that carries the limit's text.
        _ if message.starts_with("budget breached: ") => {
            limit(message.trim_start_matches("budget breached: "))
        }
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            Found::new("L004", t!("load.alias_expansion.message"))
                .help(t!("load.alias_expansion.help"))
        }
        E::UnknownAnchor { .. } => {
            let alias = source.token(line, column);
            let name = alias.trim_start_matches('*');
            Found::new("L001", t!("load.unknown_anchor.message", alias))
                .help(t!("load.unknown_anchor.help", name))
        }
        E::Eof { .. } => Found::new("L001", t!("load.eof.message")).help(t!("load.eof.help")),
        E::MultipleDocuments { .. } => several_documents(),
        E::UnexpectedSequenceEnd { .. } | E::UnexpectedMappingEnd { .. } => {
            Found::new("L001", t!("load.unexpected_end")).help(syntax_help())
        }
        E::BinaryNotUtf8 { .. }
        | E::InvalidBinaryBase64 { .. }
        | E::TaggedScalarCannotDeserializeIntoString { .. }
        | E::UnsupportedTag { .. } => {
            // The crate points at the value; the tag is what to remove.
            let token = source.token(line, column);
            let (at, tag) = if token.starts_with('!') {
                ((line, column), token)
            } else {
                source
                    .tag_before(line, column)
                    .map_or(((line, column), "!!"), |(c, tag)| ((line, c), tag))
            };
            let mut found =
                Found::new("L002", t!("load.tag.message", tag)).help(t!("load.tag.help", tag));
            found.at = Some(at);
            found
        }
        E::InvalidScalar { ty, .. } => number(ty, source.token(line, column)),
        E::InvalidBooleanStrict { .. } => expected(t!("load.wanted.boolean")),
        E::SerdeInvalidType {
            expected: wanted, ..
        } => invalid_type(wanted),
        // Only the parser's own errors are syntax; everything else is a well-formed file
        // that does not fit the plan's structure.
        E::ExternalMessage { source: from, .. } if matches!(**from, External::Parser(_)) => {
            syntax(message, source, line, column)
        }
        _ => structure(message, source, line, column),
    }
}

fn syntax_help() -> String {
    t!("load.syntax_help")
}

/// A parser limit, by the crate's name for it (`MergeKeys { merge_keys: 10001 }`).
fn limit(breach: &str) -> Found {
    let name = breach
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    let (what, help) = match name {
        "AliasAnchorRatio" => (
            t!("load.limit.alias_ratio.what"),
            t!("load.limit.alias_ratio.help"),
        ),
        "Depth" => (t!("load.limit.depth.what"), t!("load.limit.depth.help")),
        "Aliases" => (t!("load.limit.aliases.what"), t!("load.limit.aliases.help")),
        "Anchors" => (t!("load.limit.anchors.what"), t!("load.limit.anchors.help")),
        "MergeKeys" => (
            t!("load.limit.merge_keys.what"),
            t!("load.limit.merge_keys.help"),
        ),
        "Nodes" | "Events" => (t!("load.limit.nodes.what"), t!("load.limit.split_help")),
        "ScalarBytes" | "InputBytes" | "RecordedAnchorBytes" | "RecordedAnchorEvents" => {
            (t!("load.limit.bytes.what"), t!("load.limit.bytes.help"))
        }
        "Documents" => return several_documents(),
        _ => (t!("load.limit.other.what"), t!("load.limit.split_help")),
    };
    Found::new("L004", t!("load.limit.message", what)).help(help)
}

fn several_documents() -> Found {
    Found::new("L001", t!("load.several_documents.message")).help(t!("load.several_documents.help"))
}

/// A value of the wrong kind, by serde's description of what was expected.
fn invalid_type(wanted: &str) -> Found {
    let wanted = wanted.to_lowercase();
    if wanted.contains("string") || wanted.contains("char") {
        Found::new("L002", t!("load.expected_text.message")).help(t!("load.expected_text.help"))
    } else if wanted.contains("sequence") || wanted.contains("list") {
        Found::new("L002", t!("load.expected_list"))
    } else if wanted.contains("map") || wanted.contains("struct") {
        Found::new("L002", t!("load.expected_mapping"))
    } else if wanted.contains("bool") {
        expected(t!("load.wanted.boolean"))
    } else if wanted.starts_with('u') || wanted.starts_with('i') || wanted.contains("integer") {
        expected(t!("load.wanted.whole_number"))
    } else {
        Found::new("L002", t!("load.wrong_type.message")).help(t!("load.wrong_type.help"))
    }
}

fn expected(wanted: impl std::fmt::Display) -> Found {
    Found::new("L002", t!("load.expected.message", wanted)).help(t!("load.expected.help", wanted))
}

/// A value that does not read as the number the key takes (`ty`, the crate's Rust type).
fn number(ty: &str, value: &str) -> Found {
    let max = match ty {
        "u8" => Some(u64::from(u8::MAX)),
        "u16" => Some(u64::from(u16::MAX)),
        "u32" => Some(u64::from(u32::MAX)),
        "u64" => Some(u64::MAX),
        _ => None,
    };
    let Some(max) = max else {
        return match ty {
            "bool" | "boolean" => expected(t!("load.wanted.boolean")),
            "char" => expected(t!("load.wanted.character")),
            _ => expected(t!("load.wanted.number")),
        };
    };
    let digits = value.trim_start_matches('+').replace('_', "");
    let too_large = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u128>().map_or(true, |n| n > u128::from(max));
    if too_large {
        return Found::new("L002", t!("load.too_large.message", value, max))
            .help(t!("load.too_large.help"));
    }
    if value.starts_with('-') {
        return Found::new("L002", t!("load.negative.message", value))
            .help(t!("load.negative.help"));
    }
    expected(t!("load.wanted.whole_number"))
}

/// A parser (syntax) error.
fn syntax(message: &str, source: &Source, line: u32, column: u32) -> Found {
    let lower = message.to_lowercase();
    if lower.contains("recursion") || lower.contains("too deep") {
        return Found::new("L004", t!("load.too_deep.message")).help(t!("load.limit.depth.help"));
    }
    // A tab: point at the tab itself (the parser points at the value it was reading, or one
    // column past the tab).
    if lower.contains("tab") {
        let mut found = Found::new("L001", t!("load.tab.message")).help(t!("load.tab.help"));
        found.at = source.tab_near(line, column);
        found.label = Some(t!("load.tab.label"));
        return found;
    }
    // The parser quotes the character as `X' (with an escaped control character).
    if let Some(c) = message
        .strip_prefix("unexpected character: `")
        .and_then(|c| c.strip_suffix('\''))
    {
        return Found::new(
            "L001",
            t!("load.unexpected_character.message", character = c),
        )
        .help(t!("load.unexpected_character.help"));
    }
    Found::new("L001", message).help(syntax_help())
}

/// A well-formed file whose values do not fit the plan's structure.
fn structure(message: &str, source: &Source, line: u32, column: u32) -> Found {
    let known = [
        ("unknown field `", "load.unknown_key"),
        ("unknown variant `", "load.unknown_value"),
    ];
    for (prefix, kind) in known {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((given, expected)) = rest.split_once('`') else {
            continue;
        };
        let expected = expected.trim_start_matches([',', ' ']);
        let list = expected
            .strip_prefix("expected one of ")
            .or_else(|| expected.strip_prefix("expected "))
            .unwrap_or_default();
        let candidates: Vec<&str> = list
            .split(", ")
            .map(|c| c.trim_matches('`'))
            .filter(|c| !c.is_empty())
            .collect();
        let found = Found::new("L002", t!(kind, given));
        return match crate::suggest::nearest(given, candidates.iter().copied()) {
            Some(suggestion) => found.help(t!("did_you_mean", suggestion)),
            None if candidates.is_empty() => found,
            None => found.help(t!("load.one_of", list = candidates.join(", "))),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let mut found = Found::new("L002", t!("load.missing_key.message", field))
            .help(t!("load.missing_key.help", field));
        found.at = source.entry_start(line, column);
        found.label = Some(t!("load.missing_key.label", field));
        return found;
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key") {
        let key = rest
            .trim_start_matches(": ")
            .trim_end_matches("set DuplicateKeyPolicy in Options if acceptable")
            .trim_end_matches([',', ' ']);
        let key = if key.is_empty() {
            t!("load.twice.a_key")
        } else {
            t!("load.twice.key", key)
        };
        return Found::new("L002", t!("load.twice.message", key)).help(t!("load.twice.help"));
    }
    if message.starts_with("cannot deserialize null") {
        return Found::new("L002", t!("load.null.message")).help(t!("load.null.help"));
    }
    match message {
        "expected mapping start" => {
            return Found::new("L002", t!("load.expected_mapping"));
        }
        "expected sequence start" => return Found::new("L002", t!("load.expected_list")),
        "expected string scalar" => {
            return Found::new("L002", t!("load.expected_text.message"))
                .help(t!("load.expected_text.help"));
        }
        "invalid bool" | "invalid boolean" => return expected(t!("load.wanted.boolean")),
        // A quoted number, refused as the crate refuses a number of the wrong kind
        // (`invalid u32`, see `unquoted`); not our own `invalid date ...`.
        _ => {
            let numeric = |ty: &&str| {
                ty.len() > 1
                    && ty.starts_with(['u', 'i', 'f'])
                    && ty[1..].bytes().all(|b| b.is_ascii_digit())
            };
            if let Some(ty) = message.strip_prefix("invalid ").filter(numeric) {
                return number(ty, source.token(line, column));
            }
        }
    }
    // Our own value parsers (durations, dates) word their messages already; anything else
    // the crate says is in its words, so say what is known in ours.
    if JARGON.iter().any(|j| message.contains(j)) {
        return Found::new("L002", t!("load.wrong_type.message")).help(t!("load.wrong_type.help"));
    }
    Found::new("L002", message)
}

/// Words of the YAML crate and of Rust that must not reach a plan author.
const JARGON: &[&str] = &[
    "Options",
    "Option<",
    "deserializ",
    "scalar",
    "serde",
    "struct ",
    "enum ",
    "variant",
    " u8",
    " u16",
    " u32",
    " u64",
    " i64",
    "usize",
];

/// A file's text, to read what the crate's error points at.
struct Source<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        Source {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// A 1-based line without its line break.
    fn line(&self, line: u32) -> Option<&'a str> {
        let starts = self.starts.get_or_init(|| line_starts(self.text));
        let index = (line as usize).checked_sub(1)?;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    /// The text from a 1-based character column of a line.
    fn rest_of_line(&self, line: u32, column: u32) -> &'a str {
        let text = self.line(line).unwrap_or_default();
        let start = text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| i);
        &text[start..]
    }

    /// The word at a position: up to a blank, a comma or a closing bracket.
    fn token(&self, line: u32, column: u32) -> &'a str {
        let rest = self.rest_of_line(line, column);
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
            .unwrap_or(rest.len());
        &rest[..end]
    }

    /// The last tag (`!!binary`, `!x`) written before a position on its line, and its
    /// 1-based column.
    fn tag_before(&self, line: u32, column: u32) -> Option<(u32, &'a str)> {
        let text = self.line(line)?;
        let end = text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| i);
        let before = &text[..end];
        let bang = before.rfind('!')?;
        let start = before[..bang].trim_end_matches('!').len();
        let tag = before[start..].split_whitespace().next()?;
        let column = before[..start].chars().count() + 1;
        Some((u32::try_from(column).unwrap_or(u32::MAX), tag))
    }

    /// The tab an error is about: on the error's line, else the next one after the position
    /// (a plain value that runs on into a line indented with a tab).
    fn tab_near(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let column_of = |text: &str| {
            text.chars()
                .position(|c| c == '\t')
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
        };
        if let Some(c) = self.line(line).and_then(column_of) {
            return Some((line, c));
        }
        let _ = column;
        (line + 1..line + 64).find_map(|l| Some((l, self.line(l).and_then(column_of)?)))
    }

    /// Where the mapping holding the key at (`line`, `column`) starts: its `- ` entry line,
    /// or the key it is the value of. The crate reports a missing key at the mapping's last
    /// key, which is not where a reader looks for the entry. Flow mappings (`{...}`) keep
    /// the crate's position.
    fn entry_start(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let key_indent = column.checked_sub(1)? as usize;
        let own = self.line(line)?;
        let own_indent = own.len() - own.trim_start_matches(' ').len();
        let dashed = dash_content(own) == Some(key_indent);
        if own_indent != key_indent && !dashed {
            return None;
        }
        let mut at = line;
        loop {
            let text = self.line(at)?;
            if dash_content(text) == Some(key_indent) {
                return Some((at, column));
            }
            let trimmed = text.trim_start_matches(' ');
            let indent = text.len() - trimmed.len();
            let blank = trimmed.is_empty() || trimmed.starts_with('#');
            if !blank && indent < key_indent {
                // The mapping is the value of this key: point at the key.
                return Some((at, u32::try_from(indent + 1).unwrap_or(u32::MAX)));
            }
            at = at.checked_sub(1).filter(|l| *l >= 1)?;
        }
    }
}

/// For a block list entry `  - key: value` (or `- - key`), the indentation of the text
/// after the dashes; `None` for other lines.
fn dash_content(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    if !trimmed.starts_with("- ") {
        return None;
    }
    let mut rest = trimmed;
    while let Some(r) = rest.strip_prefix('-') {
        let after = r.trim_start_matches(' ');
        if after.len() == r.len() {
            break;
        }
        rest = after;
    }
    Some(line.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::{Source, dash_content};

    #[test]
    fn entries_start_at_their_dash() {
        assert_eq!(dash_content("  - id: x"), Some(4));
        assert_eq!(dash_content("  - - id: x"), Some(6));
        assert_eq!(dash_content("    name: x"), None);
        let text =
            "people:\n  - id: a\n    name: A\n    contacts:\n      email: a@x\n    role: r\n";
        let source = Source::new(text);
        assert_eq!(source.entry_start(6, 5), Some((2, 5)));
        assert_eq!(source.entry_start(2, 5), Some((2, 5)));
        let text = "plan:\n  title: T\n  version: v\n";
        assert_eq!(Source::new(text).entry_start(3, 3), Some((1, 1)));
        // A flow mapping keeps the crate's position.
        assert_eq!(
            Source::new("people:\n  - {id: a}\n").entry_start(2, 6),
            None
        );
    }

    #[test]
    fn tabs_are_found_where_they_are() {
        let source = Source::new("a:\n  b: x\n\tc: y\n");
        assert_eq!(source.tab_near(2, 6), Some((3, 1)));
        assert_eq!(source.tab_near(3, 2), Some((3, 1)));
    }
}
