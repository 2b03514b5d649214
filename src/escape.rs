//! Plan text made safe for the medium it is printed in: one function per medium.
//!
//! - [`terminal`]: every human-readable line bcp prints (findings, reports, errors, the files
//!   it wrote); control characters and invisible or right-to-left formatting characters are
//!   shown as `\u{..}`, so a plan cannot move the cursor, clear the screen, retitle the
//!   window or reorder what is shown.
//! - [`dot`]: a Graphviz DOT double-quoted string.
//! - [`mermaid`]: the text of a Mermaid label.
//! - Markdown, HTML, CSS and SVG text are escaped where documents are rendered:
//!   `render::markdown::{escape_inline, css_string, xml}` and minijinja's HTML escaping.
//!
//! JSON and SARIF are escaped by the JSON writer itself and keep the exact text.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character must not reach a terminal as itself: control characters (but the line
/// break) and the invisible or direction-changing formatting characters.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Text for a terminal or a CI log: hidden characters as `\u{..}` escapes, the rest as is.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A Graphviz DOT double-quoted string holding `text`: quotes and backslashes escaped, a line
/// break as DOT's `\n`, `&` as an entity (Graphviz reads `&amp;`, `&#60;` in labels as
/// entities), hidden characters as in [`terminal`].
pub fn dot(text: &str) -> String {
    let text = terminal(text);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a Mermaid `"..."` label, one line: every character Mermaid gives a meaning
/// there (quotes, `<`, `>`, `&`, `#` which starts an entity such as `#35;`, the backtick of
/// Markdown strings) as a Mermaid entity, line breaks as blanks, hidden characters as in
/// [`terminal`]. Join lines with `<br/>` outside this function.
pub fn mermaid(text: &str) -> String {
    let text = terminal(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminals_see_escapes_not_controls() {
        assert_eq!(super::terminal("plain 计划"), "plain 计划");
        assert_eq!(
            super::terminal("\u{1b}[2J\u{1b}[31mRED \u{202e}x\ny"),
            "\\u{1b}[2J\\u{1b}[31mRED \\u{202e}x\ny"
        );
    }

    #[test]
    fn dot_strings_cannot_close() {
        assert_eq!(
            super::dot("a\"b\\c\nd &amp; \u{7}"),
            "\"a\\\"b\\\\c\\nd &amp;amp; \\\\u{7}\""
        );
    }

    #[test]
    fn mermaid_labels_hold_no_syntax() {
        assert_eq!(
            super::mermaid("R&D #1; \"x\" <b> `y`"),
            "R#amp;D #35;1; #quot;x#quot; #lt;b#gt; #96;y#96;"
        );
        assert_eq!(super::mermaid("\u{1b}[2J"), "\\u{1b}[2J");
    }
}
