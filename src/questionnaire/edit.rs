//! Writing answers into the plan's YAML as targeted edits of the text.
//!
//! A YAML round trip through the model would rewrite every file (comments gone, keys
//! reordered, quoting changed). Instead each change replaces the bytes of one value, found
//! by the parser's positions ([`super::tree`]), or inserts lines at the end of the mapping
//! that lacks the key; everything else in the file stays byte for byte.

use super::import::{Answer, Value};
use super::tree::{self, Node, NodeKind};
use super::{Field, ListKind, export::deps};
use crate::error::Error;
use crate::load::Loaded;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A plan file with its new text.
#[derive(Debug)]
pub struct Edited {
    pub file: u32,
    pub path: PathBuf,
    pub text: String,
}

/// One replacement of bytes `start..end`.
struct Splice {
    start: usize,
    end: usize,
    text: String,
}

/// The plan's files that the answers change, with their new text.
///
/// # Errors
/// [`Error::Document`] when a value is written in a shape these edits do not handle (an
/// alias, a flow mapping) or an edit would not read back as the answer.
pub fn apply(loaded: &Loaded, answers: &[Answer]) -> Result<Vec<Edited>, Error> {
    let fail = |message: String| Error::Document {
        format: "yaml",
        message,
    };
    let mut by_file: BTreeMap<u32, BTreeMap<&str, Vec<&Answer>>> = BTreeMap::new();
    for a in answers {
        let Some(f) = loaded
            .plan
            .functions
            .iter()
            .find(|f| f.id.value == a.function)
        else {
            continue;
        };
        by_file
            .entry(f.id.span.file)
            .or_default()
            .entry(a.function.as_str())
            .or_default()
            .push(a);
    }
    let mut out = Vec::new();
    for (file, functions) in by_file {
        let source = &loaded.sources.files()[file as usize];
        let text = &source.text;
        let root = tree::parse(text)
            .map_err(|e| fail(format!("{}: {e}", source.display)))?
            .ok_or_else(|| fail(format!("{}: no YAML document", source.display)))?;
        let mut splices = Vec::new();
        let in_file: Vec<&Answer> = functions.values().flatten().copied().collect();
        for (id, answers) in functions {
            let node = root
                .get("functions")
                .and_then(Node::items)
                .and_then(|items| {
                    items
                        .iter()
                        .find(|n| n.get("id").and_then(Node::scalar) == Some(id))
                })
                .ok_or_else(|| fail(format!("{}: function `{id}` not found", source.display)))?;
            let function = loaded
                .plan
                .functions
                .iter()
                .find(|f| f.id.value == id)
                .ok_or_else(|| fail(format!("function `{id}` not in the plan")))?;
            function_splices(text, node, function, &answers, &mut splices)
                .map_err(|e| fail(format!("{}: function `{id}`: {e}", source.display)))?;
        }
        splices.sort_by_key(|s| std::cmp::Reverse((s.start, s.end)));
        let mut new = text.clone();
        for s in splices {
            new.replace_range(s.start..s.end, &s.text);
        }
        verify(&new, in_file).map_err(|e| {
            fail(format!(
                "{}: the edited file would not read back as the answers ({e}); nothing was written",
                source.display
            ))
        })?;
        out.push(Edited {
            file,
            path: loaded.root.join(&source.relative),
            text: new,
        });
    }
    Ok(out)
}

fn function_splices(
    text: &str,
    node: &Node,
    function: &crate::model::Function,
    answers: &[&Answer],
    out: &mut Vec<Splice>,
) -> Result<(), String> {
    // Lines to add at the end of the function's mapping (a missing `resources` or `depends_on`).
    let mut new_lines: Vec<String> = Vec::new();
    let mut new_deps: Vec<String> = Vec::new();
    // Entries of a `resources` mapping the function lacks (staff, key people).
    let mut new_resources: Vec<String> = Vec::new();
    let resources = node.get("resources").filter(|r| !r.is_empty_null());
    for a in answers {
        match (&a.value, a.field) {
            (value, Field::List(kind)) => {
                let items = list_items(value);
                match kind {
                    ListKind::Peaks => set_block(text, node, "peak_periods", &items, out)?,
                    ListKind::Impacts => set_block(text, node, "impacts", &items, out)?,
                    ListKind::Workaround => match value {
                        Value::Workaround(Some(w)) => {
                            set_value(text, node, "workaround", &workaround_lines(w), "", out)?;
                        }
                        _ => remove_key(text, node, "workaround", out),
                    },
                    ListKind::KeyPeople => match resources {
                        Some(r) => set_block(text, r, "key_people", &items, out)?,
                        None if items.is_empty() => {}
                        None => {
                            new_resources.push("key_people:".to_string());
                            new_resources.extend(block_lines(&items, "  "));
                        }
                    },
                }
            }
            (Value::Deps { add, remove }, Field::Depends(kind)) => {
                let mut list: Vec<String> = deps(function, kind)
                    .into_iter()
                    .filter(|d| !remove.iter().any(|r| r == d))
                    .map(str::to_string)
                    .collect();
                list.extend(add.iter().cloned());
                match node.get("depends_on") {
                    Some(d) if !d.is_empty_null() => {
                        set_list(text, d, kind.key(), &list, out)?;
                    }
                    _ if list.is_empty() => {}
                    _ => {
                        new_deps.push(format!("  {}:", kind.key()));
                        new_deps.extend(list.iter().map(|i| format!("    - {}", scalar(i))));
                    }
                }
            }
            (value, Field::Staff) => match resources {
                Some(r) => set_scalar(text, r, "staff", &value.to_string(), out)?,
                None => new_resources.push(format!("staff: {value}")),
            },
            (value, field) => {
                set_scalar(text, node, field.path()[0], &value.to_string(), out)?;
            }
        }
    }
    if !new_resources.is_empty() {
        new_lines.push("resources:".to_string());
        new_lines.extend(new_resources.iter().map(|l| format!("  {l}")));
    }
    if !new_deps.is_empty() {
        if node.entry("depends_on").is_some() {
            return Err("`depends_on` is written empty; give it a value by hand first".into());
        }
        new_lines.push("depends_on:".to_string());
        new_lines.extend(new_deps);
    }
    if !new_lines.is_empty() {
        if node
            .entry("resources")
            .is_some_and(|(_, v)| v.is_empty_null())
            && new_lines[0] == "resources:"
        {
            return Err("`resources` is written empty; give it a value by hand first".into());
        }
        out.push(insert_lines(text, node, &new_lines)?);
    }
    Ok(())
}

/// Sets `key: value` in a block mapping: the value's bytes replaced, or a new line added.
fn set_scalar(
    text: &str,
    map: &Node,
    key: &str,
    value: &str,
    out: &mut Vec<Splice>,
) -> Result<(), String> {
    match map.entry(key) {
        Some((_, v)) if matches!(v.kind, NodeKind::Scalar { .. }) && !v.is_empty_null() => {
            out.push(Splice {
                start: v.start,
                end: v.end,
                text: value.to_string(),
            });
            Ok(())
        }
        Some((k, v)) if v.is_empty_null() => {
            out.push(Splice {
                start: k.end,
                end: v.end.max(k.end),
                text: format!(": {value}"),
            });
            Ok(())
        }
        Some(_) => Err(format!("`{key}` is not a plain value")),
        None => {
            out.push(insert_lines(text, map, &[format!("{key}: {value}")])?);
            Ok(())
        }
    }
}

/// Sets the list under `key` of the `depends_on` mapping, keeping its style.
fn set_list(
    text: &str,
    map: &Node,
    key: &str,
    list: &[String],
    out: &mut Vec<Splice>,
) -> Result<(), String> {
    let flow = || {
        format!(
            "[{}]",
            list.iter()
                .map(|i| scalar(i))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match map.entry(key) {
        Some((k, v)) if v.is_empty_null() || list.is_empty() => {
            let text = if list.is_empty() {
                ": []".to_string()
            } else {
                format!(": {}", flow())
            };
            out.push(Splice {
                start: k.end,
                end: v.end.max(k.end),
                text,
            });
        }
        Some((_, v)) => match &v.kind {
            NodeKind::Sequence { flow: true, .. } => out.push(Splice {
                start: v.start,
                end: v.end,
                text: flow(),
            }),
            NodeKind::Sequence { flow: false, .. } => {
                // A block list: one `- id` line per entry at the first entry's indentation.
                // An indentless list (`- ` at its key's column) starts at its first item, not
                // at the dash: step back to the dash.
                let start = dash_before(text, v.start);
                let indent = " ".repeat(column_of(text, start));
                let items: Vec<String> = list.iter().map(|i| format!("- {}", scalar(i))).collect();
                out.push(Splice {
                    start,
                    end: v.end,
                    text: items.join(&format!("\n{indent}")),
                });
            }
            _ => return Err(format!("`depends_on.{key}` is not a list")),
        },
        None if list.is_empty() => {}
        None => {
            if matches!(map.kind, NodeKind::Mapping { flow: true, .. }) {
                return Err(
                    "`depends_on` is a flow mapping; write it as a block to import into it".into(),
                );
            }
            let mut lines = vec![format!("{key}:")];
            lines.extend(list.iter().map(|i| format!("  - {}", scalar(i))));
            out.push(insert_lines(text, map, &lines)?);
        }
    }
    Ok(())
}

/// A list answer as block-list items, each item its lines (a mapping's keys, or a scalar).
fn list_items(value: &Value) -> Vec<Vec<String>> {
    match value {
        Value::Peaks(list) => list.iter().map(|p| vec![text_scalar(p)]).collect(),
        Value::KeyPeople(list) => list
            .iter()
            .map(|(person, backup)| {
                let mut lines = vec![format!("person: {}", scalar(person))];
                lines.extend(backup.iter().map(|b| format!("backup: {}", scalar(b))));
                lines
            })
            .collect(),
        Value::Impacts(list) => list
            .iter()
            .map(|i| {
                let mut lines = vec![
                    format!("after: {}", i.after),
                    format!("category: {}", i.category),
                    format!("severity: {}", i.severity),
                ];
                lines.extend(
                    i.description
                        .iter()
                        .map(|d| format!("description: {}", text_scalar(d))),
                );
                lines
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Block-list lines (`- ` before an item's first line, two spaces before the others).
fn block_lines(items: &[Vec<String>], indent: &str) -> Vec<String> {
    items
        .iter()
        .flat_map(|lines| {
            lines
                .iter()
                .enumerate()
                .map(move |(j, l)| format!("{indent}{}{l}", if j == 0 { "- " } else { "  " }))
        })
        .collect()
}

/// Sets `key` of a block mapping to a block list, replacing its whole value (a list answered
/// row by row replaces the plan's list), or adds it; an empty list is written `[]`.
fn set_block(
    text: &str,
    map: &Node,
    key: &str,
    items: &[Vec<String>],
    out: &mut Vec<Splice>,
) -> Result<(), String> {
    if items.is_empty() && map.entry(key).is_none() {
        return Ok(());
    }
    set_value(text, map, key, &block_lines(items, ""), " []", out)
}

/// Sets `key` of a block mapping to a block value given as its lines (unindented), replacing
/// the whole value, or adds it; with no lines, the value becomes `empty`.
fn set_value(
    text: &str,
    map: &Node,
    key: &str,
    lines: &[String],
    empty: &str,
    out: &mut Vec<Splice>,
) -> Result<(), String> {
    match map.entry(key) {
        Some((_, v)) if matches!(v.kind, NodeKind::Alias) => Err(format!(
            "`{key}` is an alias; write it out to import into it"
        )),
        Some((k, v)) => {
            let indent = " ".repeat(column_of(text, k.start) + 2);
            let value = if lines.is_empty() {
                empty.to_string()
            } else {
                lines
                    .iter()
                    .fold(String::new(), |acc, l| format!("{acc}\n{indent}{l}"))
            };
            out.push(Splice {
                start: k.end,
                end: v.end.max(k.end),
                text: format!(":{value}"),
            });
            Ok(())
        }
        None => {
            if matches!(map.kind, NodeKind::Mapping { flow: true, .. }) {
                return Err(format!(
                    "the mapping to add `{key}` to is a flow mapping; write it as a block"
                ));
            }
            let mut all = vec![format!("{key}:")];
            all.extend(lines.iter().map(|l| format!("  {l}")));
            out.push(insert_lines(text, map, &all)?);
            Ok(())
        }
    }
}

/// Removes `key` and its value from a block mapping: the lines from the key's to the end of
/// the value's.
fn remove_key(text: &str, map: &Node, key: &str, out: &mut Vec<Splice>) {
    let Some((k, v)) = map.entry(key) else {
        return;
    };
    let start = text[..k.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[v.end..]
        .find('\n')
        .map_or(text.len(), |i| v.end + i + 1);
    out.push(Splice {
        start,
        end,
        text: String::new(),
    });
}

/// A workaround's mapping, line by line.
fn workaround_lines(w: &super::import::WorkaroundAnswer) -> Vec<String> {
    let mut lines = vec![format!("description: {}", text_scalar(&w.description))];
    if w.covers.is_empty() {
        lines.push("covers: []".to_string());
    } else {
        lines.push("covers:".to_string());
        lines.extend(w.covers.iter().map(|c| format!("  - {}", scalar(c))));
    }
    lines.push(format!("sustainable_for: {}", w.sustainable_for));
    lines.extend(w.capacity_percent.map(|c| format!("capacity_percent: {c}")));
    lines
}

/// Free text as a YAML scalar: plain when it reads back as the same string (the common
/// sentence), else double-quoted.
fn text_scalar(text: &str) -> String {
    let plain = text.chars().next().is_some_and(char::is_alphanumeric)
        && text.trim_end() == text
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text
            .chars()
            .any(|c| c.is_control() || "\"\\`{}[]|".contains(c))
        && text.parse::<f64>().is_err()
        && !matches!(
            text.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// Lines added after the last entry of a block mapping, at its keys' indentation.
fn insert_lines(text: &str, map: &Node, lines: &[String]) -> Result<Splice, String> {
    if !matches!(map.kind, NodeKind::Mapping { flow: false, .. }) {
        return Err("the value to extend is not a block mapping".into());
    }
    let indent = " ".repeat(column_of(text, map.start));
    let mut at = map.end;
    let mut prefix = String::new();
    if !text[..at].ends_with('\n') {
        if let Some(i) = text[at..].find('\n') {
            at += i + 1;
        } else {
            at = text.len();
            prefix.push('\n');
        }
    }
    let body = lines.iter().fold(String::new(), |mut body, l| {
        body.push_str(&indent);
        body.push_str(l);
        body.push('\n');
        body
    });
    Ok(Splice {
        start: at,
        end: at,
        text: format!("{prefix}{body}"),
    })
}

/// The offset of the `- ` that introduces the item at `start`, when there is one on its line.
fn dash_before(text: &str, start: usize) -> usize {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..start].trim_end();
    if before.trim_start() == "-" {
        line_start + before.len() - 1
    } else {
        start
    }
}

/// The 0-based column of a byte offset, in characters (YAML indentation is spaces).
fn column_of(text: &str, offset: usize) -> usize {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].chars().count()
}

/// An id as a YAML scalar: plain when it reads back as the same string, else double-quoted.
fn scalar(id: &str) -> String {
    let plain = !id.is_empty()
        && id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c))
        && !id.starts_with(['-', '.'])
        && id.parse::<f64>().is_err()
        && !matches!(
            id.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        id.to_string()
    } else {
        serde_json::to_string(id).unwrap_or_default()
    }
}

/// Reads the edited file back and checks that every answer to a function in it holds.
fn verify(text: &str, answers: Vec<&Answer>) -> Result<(), String> {
    let file = crate::load::parse_str(text)
        .map_err(|d| d.message.clone())?
        .ok_or("the file is empty")?;
    for a in answers {
        let f = file
            .functions
            .iter()
            .find(|f| f.id.value == a.function)
            .ok_or_else(|| format!("function `{}` is gone", a.function))?;
        let ok = match &a.value {
            Value::Deps { add, remove } => {
                let Field::Depends(kind) = a.field else {
                    return Err("a dependency answer to another field".into());
                };
                let now = deps(f, kind);
                add.iter().all(|x| now.contains(&x.as_str()))
                    && remove.iter().all(|x| !now.contains(&x.as_str()))
            }
            v => super::import::current(f, a.field).as_ref() == Some(v),
        };
        if !ok {
            return Err(format!("`{}` of `{}`", a.field.key(), a.function));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Free text stays plain where YAML reads it back unchanged, quoted elsewhere.
    #[test]
    fn free_text_is_quoted_only_when_needed() {
        for (text, written) in [
            ("Month end", "Month end"),
            (
                "Weekdays 10:00-14:00 (cut-off)",
                "Weekdays 10:00-14:00 (cut-off)",
            ),
            ("Orders wait; clients call", "Orders wait; clients call"),
            ("Press: \"down\"", "\"Press: \\\"down\\\"\""),
            ("yes", "\"yes\""),
            ("12", "\"12\""),
            ("- list", "\"- list\""),
            ("a #b", "\"a #b\""),
        ] {
            assert_eq!(text_scalar(text), written, "{text}");
            let back: String = serde_saphyr::from_str(&text_scalar(text)).unwrap();
            assert_eq!(back, text);
        }
    }

    /// Block lists keep their style whether indented under their key or not.
    #[test]
    fn block_lists_are_replaced_from_their_dash() {
        for text in [
            "depends_on:\n  systems:\n    - a\n  sites: [x]\n",
            "depends_on:\n  systems:\n  - a\n  sites: [x]\n",
        ] {
            let root = tree::parse(text).unwrap().unwrap();
            let map = root.get("depends_on").unwrap();
            let mut out = Vec::new();
            set_list(text, map, "systems", &["a".into(), "b".into()], &mut out).unwrap();
            let s = &out[0];
            let mut new = text.to_string();
            new.replace_range(s.start..s.end, &s.text);
            let indent = if text.contains("    - a") {
                "    "
            } else {
                "  "
            };
            assert_eq!(
                new,
                format!("depends_on:\n  systems:\n{indent}- a\n{indent}- b\n  sites: [x]\n")
            );
        }
    }
}
