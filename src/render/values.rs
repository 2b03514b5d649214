//! The template context as minijinja values that read the JSON context in place.
//!
//! `Value::from_serialize` copies the whole context into template values before a template
//! runs: on a 10,000-function plan that is a second copy of the plan (hundreds of MB) built
//! in full for every document, whatever the template reads. [`context`] instead hands the
//! templates one object over the shared JSON; a map or list is wrapped only when a template
//! reaches it, and only the scalars it reads are converted. What templates see is the same:
//! maps and lists with the same keys, order, lengths and truthiness, scalars converted as
//! serde conversion converts them.
//!
//! A part of the context that repeats another (a function by id, a team's steps) is written
//! as a [`reference`] to it, which templates see as the value it points to.

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use serde_json::Value as Json;
use std::sync::Arc;

/// One step from a container to a child.
#[derive(Debug, Clone)]
enum Step {
    Key(Arc<str>),
    Index(usize),
}

/// A map or list inside the shared JSON, found from the root by its path.
#[derive(Debug)]
struct JsonNode {
    root: Arc<Json>,
    path: Box<[Step]>,
}

const NULL: Json = Json::Null;

/// The key of a reference object: a private-use character, so no context key is one.
const REFERENCE: &str = "\u{E000}ref";

/// A stand-in for the context's value at `pointer` (a JSON pointer, RFC 6901, into maps by
/// key and lists by index): templates see that value, not a copy of it.
pub fn reference(pointer: &str) -> Json {
    let mut m = serde_json::Map::new();
    m.insert(REFERENCE.into(), Json::String(pointer.into()));
    Json::Object(m)
}

/// The pointer of a reference object.
fn pointer_of(json: &Json) -> Option<&str> {
    match json {
        Json::Object(m) if m.len() == 1 => m.get(REFERENCE)?.as_str(),
        _ => None,
    }
}

/// The path of a pointer from the root, or `None` when it does not lead to a value.
fn path_of(root: &Json, pointer: &str) -> Option<Vec<Step>> {
    let mut at = root;
    let mut path = Vec::new();
    for part in pointer.split('/').skip(1) {
        let step = match at {
            Json::Object(_) => Step::Key(Arc::from(part)),
            Json::Array(_) => Step::Index(part.parse().ok()?),
            _ => return None,
        };
        at = match (&step, at) {
            (Step::Key(k), Json::Object(m)) => m.get(&**k)?,
            (Step::Index(i), Json::Array(a)) => a.get(*i)?,
            _ => return None,
        };
        path.push(step);
    }
    Some(path)
}

impl JsonNode {
    fn json(&self) -> &Json {
        let mut at = &*self.root;
        for step in &self.path {
            at = match (step, at) {
                (Step::Key(k), Json::Object(m)) => m.get(&**k).unwrap_or(&NULL),
                (Step::Index(i), Json::Array(a)) => a.get(*i).unwrap_or(&NULL),
                _ => &NULL,
            };
        }
        at
    }

    fn child(&self, step: Step, json: &Json) -> Value {
        if let Some(pointer) = pointer_of(json) {
            return match path_of(&self.root, pointer) {
                Some(path) => Value::from_object(JsonNode {
                    root: Arc::clone(&self.root),
                    path: path.into_boxed_slice(),
                }),
                None => Value::from(()),
            };
        }
        match json {
            Json::Array(_) | Json::Object(_) => {
                let mut path = Vec::with_capacity(self.path.len() + 1);
                path.extend_from_slice(&self.path);
                path.push(step);
                Value::from_object(JsonNode {
                    root: Arc::clone(&self.root),
                    path: path.into_boxed_slice(),
                })
            }
            scalar => scalar_value(scalar),
        }
    }
}

/// A scalar as serde conversion gives it (`Value::from_serialize`).
fn scalar_value(json: &Json) -> Value {
    match json {
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                Value::from(n.as_f64().unwrap_or_default())
            }
        }
        Json::String(s) => Value::from(s.as_str()),
        _ => Value::from(()),
    }
}

impl Object for JsonNode {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.json() {
            Json::Array(_) => ObjectRepr::Seq,
            _ => ObjectRepr::Map,
        }
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match self.json() {
            Json::Object(m) => {
                let k = key.as_str()?;
                let (k, v) = m.get_key_value(k)?;
                Some(self.child(Step::Key(Arc::from(k.as_str())), v))
            }
            Json::Array(a) => {
                let i = key.as_usize()?;
                Some(self.child(Step::Index(i), a.get(i)?))
            }
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.json() {
            Json::Object(m) => {
                Enumerator::Values(m.keys().map(|k| Value::from(k.as_str())).collect())
            }
            Json::Array(a) => Enumerator::Seq(a.len()),
            _ => Enumerator::Empty,
        }
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        match self.json() {
            Json::Object(m) => Some(m.len()),
            Json::Array(a) => Some(a.len()),
            _ => Some(0),
        }
    }
}

/// The template value of the context's value at `pointer` (see [`reference`]).
pub fn at(root: &Arc<Json>, pointer: &str) -> Value {
    match path_of(root, pointer) {
        Some(path) => Value::from_object(JsonNode {
            root: Arc::clone(root),
            path: path.into_boxed_slice(),
        }),
        None => Value::from(()),
    }
}

/// The template value of a shared JSON context (a map or a scalar).
pub fn context(root: &Arc<Json>) -> Value {
    match &**root {
        Json::Array(_) | Json::Object(_) => Value::from_object(JsonNode {
            root: Arc::clone(root),
            path: Box::new([]),
        }),
        scalar => scalar_value(scalar),
    }
}
