//! The outline of a plan file, read from the YAML parser's events without building values:
//! the top-level keys with their positions, and for each section the lines it spans and, for a
//! block list, the lines of each entry and the entry's `id`. Used when a file does not load
//! whole, to load its sections and entries one by one.

use serde_saphyr::granit_parser::{Event, Parser, StructureStyle};

/// A file's top-level mapping, section by section.
#[derive(Debug, Default)]
pub(super) struct Outline {
    pub sections: Vec<Section>,
    /// Whether the sections can be parsed apart: one document whose top level is a block
    /// mapping of plain keys, each written once, and no aliases (an alias may name an anchor in
    /// another section or entry).
    pub separable: bool,
}

/// One top-level key and what follows it, up to the next top-level key.
#[derive(Debug)]
pub(super) struct Section {
    pub key: String,
    /// 1-based line and column of the key.
    pub line: usize,
    pub column: usize,
    /// Lines `[line, end)` of the file.
    pub end: usize,
    /// For a block list, its entries in order; `None` for anything else.
    pub entries: Option<Vec<Entry>>,
}

/// One entry of a block list: lines `[line, end)`, from its `-`.
#[derive(Debug)]
pub(super) struct Entry {
    pub line: usize,
    pub end: usize,
    /// The entry's `id`, when it is written as plain text: where a reference to the entry
    /// points, even if the entry does not load.
    pub id: Option<String>,
}

/// Reads the outline; `None` when the file is not well-formed YAML or has no top-level
/// mapping.
pub(super) fn outline(text: &str) -> Option<Outline> {
    let line_starts = super::line_starts(text);
    let line_of = |byte: usize| line_starts.partition_point(|&start| start <= byte);
    let mut out = Outline {
        separable: true,
        ..Outline::default()
    };
    // Open collections; the top-level mapping is depth 1.
    let mut depth = 0_usize;
    // At depth 1, whether the next node is a key; in an entry's mapping (depth 3), likewise.
    let mut top_key_next = true;
    let mut entry_key_next = true;
    let mut id_next = false;
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        let start = span.start;
        match &event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    // A second document is refused anyway; the first one's keys are enough.
                    out.separable = false;
                    break;
                }
                continue;
            }
            Event::Alias(_) => out.separable = false,
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) => {}
            _ => continue,
        }
        // `event` is a node (a scalar, an alias or a collection's start) at `depth`.
        match depth {
            0 => match event {
                Event::MappingStart(style, ..) => {
                    out.separable &= style == StructureStyle::Block;
                }
                _ => return None,
            },
            1 if top_key_next => {
                if let Event::Scalar(key, ..) = &event {
                    if out.sections.iter().any(|s| s.key == *key) {
                        out.separable = false;
                    }
                    let line = start.line();
                    if let Some(previous) = out.sections.last_mut() {
                        previous.end = line;
                    }
                    out.sections.push(Section {
                        key: key.to_string(),
                        line,
                        column: start.col() + 1,
                        end: line_starts.len() + 1,
                        entries: None,
                    });
                } else {
                    out.separable = false;
                }
                top_key_next = false;
            }
            1 => {
                if let (Event::SequenceStart(StructureStyle::Block, ..), Some(section)) =
                    (&event, out.sections.last_mut())
                {
                    section.entries = Some(Vec::new());
                }
                top_key_next = true;
            }
            2 => {
                let section = out.sections.last_mut()?;
                if let Some(entries) = &mut section.entries {
                    // The entry starts at its `-`: before the node, past blank space.
                    let byte = start.byte_offset()?;
                    let before = text[..byte].trim_end();
                    if !before.ends_with('-') {
                        out.separable = false;
                    }
                    let line = line_of(before.len().saturating_sub(1));
                    if let Some(previous) = entries.last_mut() {
                        previous.end = line;
                    }
                    entries.push(Entry {
                        line,
                        end: section.end,
                        id: None,
                    });
                    entry_key_next = true;
                    id_next = false;
                }
            }
            3 => {
                let entry = out
                    .sections
                    .last_mut()
                    .and_then(|s| s.entries.as_mut())
                    .and_then(|e| e.last_mut());
                if let Some(entry) = entry {
                    if entry_key_next {
                        id_next = matches!(&event, Event::Scalar(key, ..) if key == "id");
                    } else if let (true, Event::Scalar(id, ..)) = (id_next, &event) {
                        entry.id = Some(id.to_string());
                    }
                    entry_key_next = !entry_key_next;
                }
            }
            _ => {}
        }
        if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) {
            depth += 1;
        }
    }
    // The last section's entries end where the section does.
    for section in &mut out.sections {
        let end = section.end;
        if let Some(last) = section.entries.as_mut().and_then(|e| e.last_mut()) {
            last.end = end;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::outline;

    #[test]
    fn sections_and_entries_with_their_lines_and_ids() {
        let text = "# a plan file\nplan:\n  title: x\npeople:\n  - id: a\n    name: A\n\n  -\n    id: b\n  - {id: c}\n  - id: [d]\nteams: [x, y]\n";
        let o = outline(text).unwrap();
        assert!(o.separable);
        let keys: Vec<_> = o
            .sections
            .iter()
            .map(|s| (s.key.as_str(), s.line, s.column, s.end))
            .collect();
        assert_eq!(
            keys,
            [
                ("plan", 2, 1, 4),
                ("people", 4, 1, 12),
                ("teams", 12, 1, 14)
            ]
        );
        assert!(o.sections[0].entries.is_none());
        assert!(o.sections[2].entries.is_none(), "a flow list is not split");
        let entries: Vec<_> = o.sections[1]
            .entries
            .as_ref()
            .unwrap()
            .iter()
            .map(|e| (e.line, e.end, e.id.as_deref()))
            .collect();
        assert_eq!(
            entries,
            [
                (5, 8, Some("a")),
                (8, 10, Some("b")),
                (10, 11, Some("c")),
                (11, 12, None)
            ]
        );
    }

    #[test]
    fn nested_collections_keep_the_depth() {
        let text = "call_tree:\n  tree:\n    - person: a\n      calls: [{person: b}]\npeople:\n  - id: a\n    contacts: {email: x}\n";
        let o = outline(text).unwrap();
        assert!(o.separable);
        let keys: Vec<_> = o
            .sections
            .iter()
            .map(|s| (s.key.as_str(), s.line))
            .collect();
        assert_eq!(keys, [("call_tree", 1), ("people", 5)]);
        assert_eq!(
            o.sections[1].entries.as_ref().unwrap()[0].id.as_deref(),
            Some("a")
        );
    }

    #[test]
    fn what_cannot_be_parsed_apart() {
        assert!(!outline("a: &x 1\nb: *x\n").unwrap().separable, "aliases");
        assert!(!outline("a: 1\na: 2\n").unwrap().separable, "a key twice");
        assert!(!outline("{a: 1}\n").unwrap().separable, "a flow mapping");
        assert!(
            !outline("a: 1\n---\nb: 2\n").unwrap().separable,
            "two documents"
        );
        assert!(outline("- a\n").is_none(), "not a mapping");
        assert!(outline("a: [\n").is_none(), "not YAML");
    }
}
