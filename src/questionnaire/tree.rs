//! A plan file's YAML as a tree of nodes with their byte ranges: what in-place edits need.
//!
//! The model keeps where each value starts ([`crate::model::Sp`]); editing a value also needs
//! where it ends, how it is written (plain, quoted, block; flow or block collections) and where
//! its siblings are. This reads the parser's events into that tree, without interpreting it.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

/// Deepest nesting read (the loader's own limit).
const MAX_DEPTH: usize = 64;

/// One YAML node and the bytes it is written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte offset of the node's first character: a scalar's quote or block indicator, a flow
    /// collection's bracket, a block collection's first `-` or first key.
    pub start: usize,
    /// Byte offset just after the node's last character (a block collection ends where its last
    /// child ends).
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, in characters.
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar {
        value: String,
        style: Style,
    },
    Sequence {
        flow: bool,
        items: Vec<Node>,
    },
    Mapping {
        flow: bool,
        entries: Vec<(Node, Node)>,
    },
    /// `*name`: the value is written elsewhere.
    Alias,
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

impl Node {
    /// The value of a mapping's key, when this node is a mapping holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value of a mapping entry.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Mapping { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The text of a scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The items of a sequence.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence { items, .. } => Some(items),
            _ => None,
        }
    }

    /// Whether the node is a null written as nothing (`key:` with no value).
    pub fn is_empty_null(&self) -> bool {
        self.start == self.end && matches!(self.kind, NodeKind::Scalar { .. })
    }
}

/// Parses one YAML document into its tree. `Ok(None)` for a file without a document.
///
/// # Errors
/// The parser's message for text that is not YAML (the loader has reported it already).
pub fn parse(text: &str) -> Result<Option<Node>, String> {
    let mut events = Parser::new_from_str(text).map(|r| {
        r.map_err(|e| e.to_string()).and_then(|(event, span)| {
            let range = span
                .byte_range()
                .ok_or_else(|| "the parser gave no byte offsets".to_string())?;
            let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
            let column = u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX);
            Ok((event, range, line, column))
        })
    });
    loop {
        let Some(next) = events.next() else {
            return Ok(None);
        };
        let (event, range, line, column) = next?;
        match event {
            Event::StreamStart | Event::DocumentStart(..) => {}
            Event::StreamEnd | Event::DocumentEnd => return Ok(None),
            other => return node(other, range, line, column, &mut events, 0).map(Some),
        }
    }
}

type Item<'a> = Result<(Event<'a>, std::ops::Range<usize>, u32, u32), String>;

fn node<'a>(
    event: Event<'a>,
    range: std::ops::Range<usize>,
    line: u32,
    column: u32,
    events: &mut impl Iterator<Item = Item<'a>>,
    depth: usize,
) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err("nesting too deep".to_string());
    }
    let leaf = |kind| Node {
        kind,
        start: range.start,
        end: range.end,
        line,
        column,
    };
    match event {
        Event::Scalar(value, style, ..) => Ok(leaf(NodeKind::Scalar {
            value: value.into_owned(),
            style: match style {
                ScalarStyle::SingleQuoted => Style::SingleQuoted,
                ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                ScalarStyle::Literal => Style::Literal,
                ScalarStyle::Folded => Style::Folded,
                ScalarStyle::Plain => Style::Plain,
            },
        })),
        Event::Alias(..) | Event::UnresolvedAlias(..) => Ok(leaf(NodeKind::Alias)),
        Event::SequenceStart(style, ..) => {
            let flow = style == StructureStyle::Flow;
            let mut items = Vec::new();
            let end = loop {
                let (event, r, l, c) = events.next().ok_or("unexpected end")??;
                match event {
                    Event::SequenceEnd => break r.end,
                    Event::Anchor(..) => {}
                    other => items.push(node(other, r, l, c, events, depth + 1)?),
                }
            };
            let end = if flow {
                end
            } else {
                items.last().map_or(range.end, |n| n.end)
            };
            Ok(Node {
                end,
                ..leaf(NodeKind::Sequence { flow, items })
            })
        }
        Event::MappingStart(style, ..) => {
            let flow = style == StructureStyle::Flow;
            let mut entries = Vec::new();
            let mut key: Option<Node> = None;
            let end = loop {
                let (event, at, line, column) = events.next().ok_or("unexpected end")??;
                match event {
                    Event::MappingEnd => break at.end,
                    Event::Anchor(..) => {}
                    other => {
                        let child = node(other, at, line, column, events, depth + 1)?;
                        match key.take() {
                            None => key = Some(child),
                            Some(k) => entries.push((k, child)),
                        }
                    }
                }
            };
            let end = if flow {
                end
            } else {
                entries.last().map_or(range.end, |(k, v)| v.end.max(k.end))
            };
            Ok(Node {
                end,
                ..leaf(NodeKind::Mapping { flow, entries })
            })
        }
        _ => Err("unexpected YAML event".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str, n: &Node, out: &mut String, indent: usize) {
        use std::fmt::Write as _;
        let _ = writeln!(
            out,
            "{}{}:{} {:?}",
            " ".repeat(indent),
            n.line,
            n.column,
            &text[n.start..n.end]
        );
        match &n.kind {
            NodeKind::Sequence { items, .. } => {
                for i in items {
                    show(text, i, out, indent + 2);
                }
            }
            NodeKind::Mapping { entries, .. } => {
                for (k, v) in entries {
                    show(text, k, out, indent + 2);
                    show(text, v, out, indent + 4);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn nodes_cover_their_text() {
        let text = "# c\nfunctions:\n  - id: a # x\n    name: \"q \\\" x\"\n    d: >-\n      long\n      text\n\n    e: 'it''s'\n    deps: [a, b]\n    m: {x: 1}\n    empty:\n    lst:\n    - 1\n    - 2\n  - id: b\nother: |\n  lit\n";
        let root = parse(text).unwrap().unwrap();
        let mut out = String::new();
        show(text, &root, &mut out, 0);
        let f = &root.get("functions").unwrap().items().unwrap()[0];
        let span = |n: &Node| &text[n.start..n.end];
        assert_eq!(span(f.get("id").unwrap()), "a", "{out}");
        assert_eq!(span(f.get("name").unwrap()), "\"q \\\" x\"", "{out}");
        assert_eq!(f.get("name").unwrap().scalar(), Some("q \" x"));
        assert_eq!(span(f.get("e").unwrap()), "'it''s'", "{out}");
        assert_eq!(span(f.get("deps").unwrap()), "[a, b]", "{out}");
        assert!(f.get("empty").unwrap().is_empty_null(), "{out}");
        // An indentless block list (at its key's column) starts at its first item, after the
        // dash; an indented one (`functions`) at its first dash. Both end after the last item.
        assert_eq!(span(f.get("lst").unwrap()), "1\n    - 2", "{out}");
        assert_eq!(
            &text[root.get("functions").unwrap().start..][..4],
            "- id",
            "{out}"
        );
        // A block mapping starts at its first key.
        assert_eq!(&text[f.start..f.start + 2], "id", "{out}");
        assert_eq!((f.line, f.column), (3, 5));
    }
}
