//! Markdown escaping of plan text, and the markers templates leave for what Markdown cannot say.
//!
//! Every value a `.md` template prints goes through [`escape_inline`] (the environment's
//! formatter does it), so text from the plan can never open a heading, a list, a table cell,
//! a link or raw HTML: it stays the words the author wrote.
//!
//! Templates place diagrams, the table of contents and coloured badges as *markers*: a private-use
//! character ([`MARK`]) around a short name. Plan text cannot produce a marker because the
//! escaper replaces [`MARK`] with U+FFFD. The Markdown writer replaces markers with Mermaid
//! blocks and plain words; the HTML writer lets them pass through comrak (which sees plain
//! text) and replaces them with inline SVG and `<span>`s afterwards.

use std::fmt::Write as _;

/// Opens and closes a marker. Private use, so it never appears in real text.
pub const MARK: char = '\u{E000}';

/// A marker for `kind` and `arg` (both ASCII words chosen by the renderer, never plan text).
pub fn marker(kind: &str, arg: &str) -> String {
    format!("{MARK}{kind}:{arg}{MARK}")
}

/// Escapes one piece of plan text for use anywhere inline: a paragraph, a list item, a heading
/// or a table cell. Line breaks become ` / ` (a table row cannot hold a line break, and raw
/// `<br>` would be dropped by the HTML writer's safe mode).
pub fn escape_inline(text: &str) -> std::borrow::Cow<'_, str> {
    // Most plan text (names, ids, durations) has nothing to escape: returned as it is, without
    // the work below or a copy (called for every value a document prints).
    if is_plain(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(escape_each(text))
}

/// [`escape_inline`] character by character.
fn escape_each(text: &str) -> String {
    // Only ASCII blanks matter to Markdown; other spaces (an em space used to indent) stay.
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_ascii_whitespace()))
        .filter(|l| !l.is_empty())
        .collect();
    let joined = lines.join(" / ");
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::with_capacity(joined.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        match c {
            MARK => out.push('\u{FFFD}'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Inside a word (`snake_case`, CJK) an underscore cannot start emphasis.
            '_' if !(prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)) =>
            {
                out.push_str("\\_");
            }
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("\\&"),
            // A bare e-mail address or URL stays text, not a link (markdownlint's "no bare
            // URLs"): `@`, the `:` of `://` and the `.` after `www` are escaped.
            '@' => out.push_str("\\@"),
            ':' if chars.get(i + 1..i + 3) == Some(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www")
                && (i == 3 || !chars[i - 4].is_alphanumeric()) =>
            {
                out.push_str("\\.");
            }
            // `!` only matters before `[`, which is escaped. At the start, `#`, `-`, `+`, `=`
            // open a heading, list or rule when a blank, the end or the same character follows.
            '#' | '-' | '+' | '=' if i == 0 && next.is_none_or(|n| n == ' ' || n == c) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // `1. text` or `1) text` at the start would open an ordered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let mut after = out[digits..].chars();
    if digits > 0
        && matches!(after.next(), Some('.' | ')'))
        && after.next().is_none_or(|c| c == ' ')
    {
        out.insert(digits, '\\');
    }
    out
}

/// The template's Markdown made regular: blocks apart, empty table cells dashed.
pub fn tidy(markdown: &str) -> String {
    let mut tidy = tidy_piece(markdown);
    // Held through the conversion: not with the spare half a growing String may have.
    tidy.shrink_to_fit();
    tidy
}

/// [`tidy`] of a piece of the Markdown that ends after a blank line (or is the last): the
/// pieces tidied one by one and joined are the whole tidied, as every rule here looks at one
/// line and the kind of the line before it — except in a fenced code block, which may run on
/// past a blank line; a document with one is tidied whole (see `html::Streamed`).
pub fn tidy_piece(markdown: &str) -> String {
    fill_empty_cells(&separate_blocks(markdown))
}

/// What a line of template output is, for [`separate_blocks`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Blank,
    Heading,
    Table,
    List,
    Quote,
    Text,
}

fn line_kind(line: &str) -> Line {
    let t = line.trim_end();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if t.is_empty() {
        Line::Blank
    } else if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        Line::Heading
    } else if t.starts_with('|') {
        Line::Table
    } else if t.starts_with("- ") || (digits > 0 && t[digits..].starts_with(". ")) {
        Line::List
    } else if t.starts_with('>') {
        Line::Quote
    } else {
        Line::Text
    }
}

/// The fenced code blocks of a Markdown text, followed line by line: a plan's own template
/// may write one, and what is inside is printed as it is.
#[derive(Default)]
struct Fences {
    /// The open fence's character and length.
    open: Option<(u8, usize)>,
}

impl Fences {
    /// Whether `line` (the next) belongs to a fenced code block: a fence or a line between.
    fn code(&mut self, line: &str) -> bool {
        match (self.open, fence(line)) {
            (Some((c, n)), Some((c2, n2, bare))) if c2 == c && n2 >= n && bare => {
                self.open = None;
                true
            }
            (Some(_), _) => true,
            (None, Some((c, n, _))) => {
                self.open = Some((c, n));
                true
            }
            (None, None) => false,
        }
    }

    fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

/// A code fence (CommonMark: up to three spaces, then three or more backticks or tildes): its
/// character, its length, and whether nothing follows it (only such a fence closes a block).
fn fence(line: &str) -> Option<(u8, usize, bool)> {
    let t = line.trim_end();
    let indent = t.bytes().take_while(|&b| b == b' ').count();
    let rest = t.get(indent..).filter(|_| indent <= 3)?;
    let c = *rest
        .as_bytes()
        .first()
        .filter(|c| matches!(c, b'`' | b'~'))?;
    let n = rest.bytes().take_while(|&b| b == c).count();
    let info = &rest[n..];
    (n >= 3 && !(c == b'`' && info.contains('`'))).then_some((c, n, info.is_empty()))
}

/// Puts a blank line around every heading, table, list and quote of the template's output,
/// whatever blank lines its tags left (markdownlint's blank-line rules; a paragraph straight
/// after a list would otherwise join its last item). A fenced code block is left as it is.
pub fn separate_blocks(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 256);
    let mut previous = Line::Blank;
    let mut fences = Fences::default();
    for line in markdown.split_inclusive('\n') {
        let in_code = fences.is_open();
        let kind = if fences.code(line) {
            Line::Text
        } else {
            line_kind(line)
        };
        let apart = !in_code
            && previous != Line::Blank
            && kind != Line::Blank
            && (previous != kind || kind == Line::Heading)
            && (previous != Line::Text || kind != Line::Text);
        if apart {
            out.push('\n');
        }
        out.push_str(line);
        previous = kind;
    }
    out
}

/// Table cells with nothing in them get a dash, so every table shows a missing value the same
/// way. Works on the template's Markdown, before any output format is made from it.
pub fn fill_empty_cells(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut pipes = Vec::new();
    let mut fences = Fences::default();
    for line in markdown.split_inclusive('\n') {
        if fences.code(line) {
            out.push_str(line);
            continue;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        let is_row = body.starts_with('|') && body.trim_end().ends_with('|') && body.len() > 1;
        let is_delimiter = body.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
        if !is_row || is_delimiter {
            out.push_str(line);
            continue;
        }
        // The unescaped pipes, by byte: `|` and `\` are ASCII, never inside a wider character.
        let row = body.trim_end();
        pipes.clear();
        let mut escaped = false;
        for (at, byte) in row.bytes().enumerate() {
            if byte == b'|' && !escaped {
                pipes.push(at);
            }
            escaped = byte == b'\\' && !escaped;
        }
        // The cells between the first pipe and the last; the text outside them is dropped.
        out.push('|');
        for (i, pair) in pipes.windows(2).enumerate() {
            if i > 0 {
                out.push('|');
            }
            let cell = &row[pair[0] + 1..pair[1]];
            out.push_str(if cell.trim().is_empty() {
                " — "
            } else {
                cell
            });
        }
        out.push('|');
        out.push_str(&line[body.len()..]);
    }
    out
}

/// Whether [`escape_inline`] leaves `text` as it is, known cheaply: one line without blanks
/// at its ends, made of letters, digits and punctuation that Markdown gives no meaning where
/// it stands (`-`, `#`, `+`, `=` and digits only matter at the start; `.` after `www`; `:`
/// before `//`).
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    // At the start: a heading, list or rule marker, or the number of an ordered list.
    let opens_block = matches!(first, b' ' | b'#' | b'-' | b'+' | b'=')
        || digits > 0 && matches!(bytes.get(digits), Some(b'.' | b')'));
    if opens_block || *last == b' ' {
        return false;
    }
    // ASCII text (most ids, dates, durations and English names) byte by byte, in one pass.
    if text.is_ascii() {
        let mut colon = false;
        let mut w = false;
        for &b in bytes {
            if !(b.is_ascii_alphanumeric() || is_plain_punctuation(char::from(b))) {
                return false;
            }
            colon |= b == b':';
            w |= b == b'w' || b == b'W';
        }
        let www = w && bytes.windows(3).any(|w| w.eq_ignore_ascii_case(b"www"));
        let url = colon && text.contains("://");
        return !www && !url;
    }
    text.chars()
        .all(|c| c.is_alphanumeric() && c != MARK || is_plain_punctuation(c))
        && !bytes.windows(3).any(|w| w.eq_ignore_ascii_case(b"www"))
        && !text.contains("://")
}

/// The punctuation [`is_plain`] lets through with letters and digits: what Markdown gives no
/// meaning where it stands (or only at the start, which is checked apart). With it the
/// characters the documents themselves print in values: the no-break space of a duration
/// (`4\u{a0}h`), the dash of an empty value, the separators and signs of the registers —
/// three in four values the 1,000-function plan's document escaped went the long way for
/// one of these.
fn is_plain_punctuation(c: char) -> bool {
    matches!(
        c,
        ' ' | ','
            | '\u{a0}'
            | '—'
            | '–'
            | '·'
            | '×'
            | '≤'
            | '≥'
            | '('
            | ')'
            | '/'
            | '\''
            | '"'
            | '%'
            | '?'
            | '!'
            | ';'
            | '-'
            | '#'
            | '+'
            | '='
            | '.'
            | ':'
    )
}

/// Whether the text after `&` would make an HTML entity (`&lt;`, `&#60;`).
fn starts_entity(rest: &[char]) -> bool {
    let body: Vec<char> = rest
        .iter()
        .take(33)
        .copied()
        .take_while(|c| *c != ';')
        .collect();
    let valid = match body.first() {
        Some('#') => body.len() > 1 && body[1..].iter().all(char::is_ascii_alphanumeric),
        Some(_) => body.iter().all(char::is_ascii_alphanumeric),
        None => false,
    };
    valid && rest.get(body.len()) == Some(&';')
}

/// Makes a Gantt task name safe: Mermaid's gantt syntax gives `:`, `;` and `#` meaning, and
/// knows no escapes there, so they become their full-width forms.
pub fn mermaid_task(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ':' => '：',
            ';' => '；',
            '#' => '＃',
            '\n' | '\r' | '\t' => ' ',
            MARK => '\u{FFFD}',
            c => c,
        })
        .filter(|c| !c.is_control())
        .collect()
}

/// Escapes text for XML (SVG text and attributes).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            MARK => out.push('\u{FFFD}'),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a CSS string literal (`content: "..."`): everything but letters, digits
/// and spaces as a hex escape, so nothing can end the string or the `<style>` element.
pub fn css_string(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == ' ' {
            out.push(c);
        } else if !c.is_control() {
            // A hex escape ends at the first blank after it, which CSS swallows: one is always
            // written, so a blank that follows in the text survives ("Internal — controlled"
            // printed as "Internal —controlled").
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_text_is_what_escaping_leaves_alone() {
        let samples = [
            "Payments",
            "F-00123",
            "4 h",
            "2026-06-01",
            "Core banking (primary)",
            "支付清算",
            "客户服务，热线",
            "a.b",
            "Dr. Li",
            "www.example.com",
            "WWW.x",
            "http://x",
            "a:b",
            "x // y",
            "#1",
            "-a",
            "a-b",
            "+1",
            "a+b",
            "= x",
            "1. item",
            "1) item",
            "12",
            "a_b",
            "_a",
            "x@y",
            "a&b",
            "&amp;",
            "a|b",
            "a*b",
            "[x]",
            "<b>",
            "~x",
            "`x`",
            " a",
            "a ",
            "a\tb",
            "a\nb",
            "a  b",
            "Q&A",
            "50%",
            "why?",
            "yes!",
            "\"quoted\"",
            "it's",
            "",
            "\u{E000}x",
            "x\u{7}",
            "\u{3000}indent",
            "a; b",
            "Σ",
            "ｗｗｗ.x",
            "4\u{a0}h",
            "\u{a0}",
            "1\u{a0}d.",
            "—",
            "– a",
            "a · b",
            "Likelihood × impact",
            "> 1 day, ≤ 4 days",
            "≥ 2",
        ];
        for text in samples {
            if is_plain(text) {
                assert_eq!(
                    escape_each(text),
                    text,
                    "{text:?} is plain but escaping changes it"
                );
            }
        }
        // The common cases take the short way.
        for text in [
            "Payments",
            "F-00123",
            "4 h",
            "2026-06-01",
            "支付清算",
            "Core banking (primary)",
            "90\u{a0}d",
            "—",
            "a · b",
        ] {
            assert!(is_plain(text), "{text:?}");
        }
        for text in ["1. item", "-a", "www.x", "a_b", "x@y", "a\nb", " a"] {
            assert!(!is_plain(text), "{text:?}");
        }
    }

    use super::*;

    #[test]
    fn structure_characters_are_escaped() {
        assert_eq!(escape_inline("*bold* | cell"), "\\*bold\\* \\| cell");
        assert_eq!(escape_inline("# title"), "\\# title");
        assert_eq!(escape_inline("C# and F#"), "C# and F#");
        assert_eq!(escape_inline("- item"), "\\- item");
        assert_eq!(escape_inline("1. first"), "1\\. first");
        assert_eq!(escape_inline("2026) year"), "2026\\) year");
        assert_eq!(escape_inline("1.2"), "1.2");
        assert_eq!(escape_inline("+31 6 1234"), "+31 6 1234");
        assert_eq!(escape_inline("---"), "\\---");
        assert_eq!(escape_inline("#hashtag"), "#hashtag");
        assert_eq!(escape_inline("<script>"), "\\<script\\>");
        assert_eq!(
            escape_inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(
            escape_inline("line one\n\n  line two\n"),
            "line one / line two"
        );
        assert_eq!(escape_inline("snake_case _em_"), "snake_case \\_em\\_");
        assert_eq!(escape_inline("R&D &amp; &#60;"), "R&D \\&amp; \\&#60;");
        assert_eq!(escape_inline("a@b.example"), "a\\@b.example");
        assert_eq!(
            escape_inline("see https://x.example or www.y.example"),
            "see https\\://x.example or www\\.y.example"
        );
        assert_eq!(escape_inline("12:30 and WWW"), "12:30 and WWW");
        assert_eq!(
            escape_inline("a\u{E000}toc\u{E000}"),
            "a\u{FFFD}toc\u{FFFD}"
        );
    }

    #[test]
    fn escaped_text_renders_as_itself() {
        let hostile = "*em* _u_ `code` [l](javascript:x) <b>x</b> | a | b | ~~s~~ \\ &lt; # h";
        let options = crate::render::html::options();
        let html = comrak::markdown_to_html(
            &format!("| a |\n| - |\n| {} |\n", escape_inline(hostile)),
            &options,
        );
        assert!(
            !html.contains("<em>") && !html.contains("<code>") && !html.contains("<a "),
            "{html}"
        );
        assert!(!html.contains("<b>") && !html.contains("<del>"), "{html}");
        assert_eq!(html.matches("<td>").count(), 1, "{html}");
    }

    #[test]
    fn blocks_are_kept_apart() {
        assert_eq!(
            separate_blocks("# T\n**b**\n- a\n- b\n### H\n| a |\n| - |\ntext\nmore\n> q\n"),
            "# T\n\n**b**\n\n- a\n- b\n\n### H\n\n| a |\n| - |\n\ntext\nmore\n\n> q\n"
        );
    }

    #[test]
    fn pieces_cut_after_blank_lines_tidy_as_the_whole() {
        let md = "# T\n**b**\n\n- a\n- b\n\n| a |  |\n| - | - |\n\ntext\n\n\n> q\n\n## H\ntext\n";
        let mut joined = String::new();
        let mut start = 0;
        for (at, _) in md.match_indices("\n\n") {
            joined.push_str(&tidy_piece(&md[start..at + 2]));
            start = at + 2;
        }
        joined.push_str(&tidy_piece(&md[start..]));
        assert_eq!(joined, tidy(md));
    }

    #[test]
    fn empty_cells_get_a_dash() {
        let md = "| a | b |\n| --- | --: |\n| x |  |\n|  | a \\| b |\nnot | a row\n";
        assert_eq!(
            fill_empty_cells(md),
            "| a | b |\n| --- | --: |\n| x | — |\n| — | a \\| b |\nnot | a row\n"
        );
        // Line endings kept, blanks after the last pipe dropped, wide characters whole, and a
        // pipe after an escaped backslash splits the cell.
        assert_eq!(
            fill_empty_cells("| 中文 |   |  \r\n| a \\\\| |\n"),
            "| 中文 | — |\r\n| a \\\\| — |\n"
        );
    }

    #[test]
    fn css_strings_cannot_close() {
        assert_eq!(css_string("a\"</style>"), "a\\22 \\3c \\2f style\\3e ");
        assert_eq!(
            css_string("Internal — controlled copy"),
            "Internal \\2014  controlled copy"
        );
    }
}
