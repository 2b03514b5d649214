//! The template context: a compact tree of the values templates read, shared by them in place.
//!
//! The context used to be a `serde_json::Value`: every map a B-tree with a node of eleven
//! slots and an allocated key per entry, 25 to 40 times the plan's size on disk, built (and
//! freed) for every render, and read by walking a path from the root on every access. A
//! [`Tree`] holds the same values as JSON would — maps sorted by key, scalars as serde
//! conversion gives them — in exactly sized lists, with the field names of the plan's types
//! borrowed (`&'static str`), and every map and list behind an `Arc`: a template reaches a
//! child with a reference count, a part of the context that repeats another (a function by
//! id, a team's steps) is the same node, and nothing is copied for the templates.
//!
//! What templates see is what they saw of the JSON context: maps and lists with the same
//! keys, order, lengths and truthiness, scalars converted as serde conversion converts them.
//! [`Tree`] serializes as the JSON it replaces (the fuel of a render is sized by it).

use minijinja::value::{DynObject, Enumerator, Object, ObjectRepr, Value};
use serde::ser::{self, Serialize, Serializer};
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    /// The longer texts of the context being built on this thread ([`sharing_texts`]).
    static TEXTS: RefCell<Option<rustc_hash::FxHashSet<Arc<str>>>> = const { RefCell::new(None) };
    /// The key lists of the maps of the context being built on this thread ([`sharing_texts`]).
    static KEYS: RefCell<Option<rustc_hash::FxHashSet<Arc<[Key]>>>> = const { RefCell::new(None) };
}

/// Runs `build` with equal texts of the trees it makes on this thread sharing one
/// allocation, and equal key lists of their maps another. A plan repeats its texts: ids
/// referred to (a team's id in each of its steps) and names of steps every procedure has
/// ("Verify with the business"); the context of a 10,000-function plan held hundreds of
/// thousands of copies. Its maps repeat their keys: every step of every procedure is a map
/// with the same few field names.
pub fn sharing_texts<R>(build: impl FnOnce() -> R) -> R {
    struct Done;
    impl Drop for Done {
        fn drop(&mut self) {
            TEXTS.with(|texts| *texts.borrow_mut() = None);
            KEYS.with(|keys| *keys.borrow_mut() = None);
        }
    }
    TEXTS.with(|texts| *texts.borrow_mut() = Some(rustc_hash::FxHashSet::default()));
    KEYS.with(|keys| *keys.borrow_mut() = Some(rustc_hash::FxHashSet::default()));
    let _done = Done;
    build()
}

/// `keys` in an allocation of their own, or the one of an equal list ([`sharing_texts`]).
fn shared_keys(keys: Vec<Key>) -> Arc<[Key]> {
    KEYS.with(|shared| match shared.borrow_mut().as_mut() {
        Some(shared) => {
            if let Some(same) = shared.get(keys.as_slice()) {
                Arc::clone(same)
            } else {
                let keys: Arc<[Key]> = Arc::from(keys);
                shared.insert(Arc::clone(&keys));
                keys
            }
        }
        None => Arc::from(keys),
    })
}

/// `s` in an allocation of its own, or the one of an equal text ([`sharing_texts`]).
fn shared(s: &str) -> Arc<str> {
    TEXTS.with(|texts| match texts.borrow_mut().as_mut() {
        Some(texts) => {
            if let Some(text) = texts.get(s) {
                Arc::clone(text)
            } else {
                let text: Arc<str> = Arc::from(s);
                texts.insert(Arc::clone(&text));
                text
            }
        }
        None => Arc::from(s),
    })
}

/// A text of the context that fits in the value itself: ids, dates, durations, names of
/// kinds. Most of a plan's strings are this short; kept inline, they cost no allocation.
#[derive(Clone, Copy)]
pub struct Small {
    len: u8,
    bytes: [u8; Small::CAPACITY],
}

impl Small {
    const CAPACITY: usize = 22;

    fn new(s: &str) -> Option<Small> {
        let mut bytes = [0; Small::CAPACITY];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Small {
            len: s.len() as u8,
            bytes,
        })
    }

    fn as_str(&self) -> &str {
        // Always whole characters: made from a `&str`.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The text's bytes, without the check of [`Small::as_str`]: what comparing and
    /// counting need (half the cost of finding a key in a map of ids was that check).
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl std::fmt::Debug for Small {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A map key: a field name of the plan's types (borrowed), or a key of one of its maps.
#[derive(Debug, Clone)]
pub enum Key {
    Static(&'static str),
    Small(Small),
    Shared(Arc<str>),
}

impl Key {
    fn as_str(&self) -> &str {
        match self {
            Key::Static(s) => s,
            Key::Small(s) => s.as_str(),
            Key::Shared(s) => s,
        }
    }

    /// [`Key::as_str`]'s bytes: keys compare as their bytes (the order of `str`).
    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Static(s) => s.as_bytes(),
            Key::Small(s) => s.as_bytes(),
            Key::Shared(s) => s.as_bytes(),
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        Small::new(s).map_or_else(|| Key::Shared(shared(s)), Key::Small)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

/// A value of the context.
#[derive(Debug, Clone, Default)]
pub enum Tree {
    #[default]
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    /// A text of the program (a kind's name): never allocated.
    Static(&'static str),
    Small(Small),
    Shared(Arc<str>),
    List(Arc<List>),
    Map(Arc<Map>),
    /// A map of the plan's with entries computed for it ([`Tree::extended`]).
    Extended(Arc<Extended>),
}

// Three words: a map entry is a key and a value of three words each.
const _: () = assert!(std::mem::size_of::<Tree>() == 24 && std::mem::size_of::<Key>() == 24);

/// A list of the context.
#[derive(Debug, Clone, Default)]
pub struct List(Vec<Tree>);

/// A map of the context: entries sorted by key, keys unique (the order of a JSON map).
///
/// The keys are kept apart from the values, in a list shared by the maps with the same keys
/// ([`sharing_texts`]): an entry costs its value alone, half of a key and a value side by
/// side, and most maps of a plan's context are records of a few fields repeated thousands
/// of times.
#[derive(Debug, Clone, Default)]
pub struct Map {
    keys: Arc<[Key]>,
    /// As many as `keys`, in their order.
    values: Box<[Tree]>,
}

/// A map of the plan's tree and entries computed for it, their keys apart: a procedure's step
/// in recovery order is the step as written (the node of the plan's tree, not a copy) and its
/// times. It reads as one map, keys in order.
#[derive(Debug, Clone)]
pub struct Extended {
    base: Arc<Map>,
    extra: Map,
}

impl Extended {
    fn get(&self, key: &str) -> Option<&Tree> {
        self.extra.get(key).or_else(|| self.base.get(key))
    }

    fn len(&self) -> usize {
        self.base.len() + self.extra.len()
    }

    /// The entries of both, in key order.
    fn entries(&self) -> impl Iterator<Item = (&Key, &Tree)> {
        let (mut base, mut extra) = (
            self.base.entries().peekable(),
            self.extra.entries().peekable(),
        );
        std::iter::from_fn(move || match (base.peek(), extra.peek()) {
            (Some(a), Some(b)) if a.0.as_bytes() < b.0.as_bytes() => base.next(),
            (_, Some(_)) => extra.next(),
            (Some(_), None) => base.next(),
            (None, None) => None,
        })
    }
}

static NULL: Tree = Tree::Null;

impl Map {
    /// A map of `entries` in any order; of equal keys the last one stays, as in a JSON map.
    fn new(mut entries: Vec<(Key, Tree)>) -> Self {
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        // After a stable sort, equal keys are in the order they came: keep the last of each run.
        let mut keys: Vec<Key> = Vec::with_capacity(entries.len());
        let mut values: Vec<Tree> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            match (keys.last(), values.last_mut()) {
                (Some(last), Some(slot)) if *last == key => *slot = value,
                _ => {
                    keys.push(key);
                    values.push(value);
                }
            }
        }
        Map::sorted(keys, values)
    }

    /// A map of `keys`, sorted and unique, and their values.
    fn sorted(keys: Vec<Key>, values: Vec<Tree>) -> Self {
        Map {
            keys: shared_keys(keys),
            values: values.into_boxed_slice(),
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    /// The entries, in key order.
    fn entries(&self) -> impl Iterator<Item = (&Key, &Tree)> {
        self.keys.iter().zip(&self.values)
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.keys
            .binary_search_by(|k| k.as_bytes().cmp(key.as_bytes()))
    }

    fn get(&self, key: &str) -> Option<&Tree> {
        self.position(key).ok().map(|i| &self.values[i])
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Tree> {
        self.position(key).ok().map(|i| &mut self.values[i])
    }

    fn insert(&mut self, key: Key, value: Tree) {
        match self.position(key.as_str()) {
            Ok(i) => self.values[i] = value,
            Err(i) => {
                let (mut keys, mut values) = self.take();
                keys.insert(i, key);
                values.insert(i, value);
                *self = Map::sorted(keys, values);
            }
        }
    }

    fn remove(&mut self, key: &str) -> Option<Tree> {
        let i = self.position(key).ok()?;
        let (mut keys, mut values) = self.take();
        keys.remove(i);
        let value = values.remove(i);
        *self = Map::sorted(keys, values);
        Some(value)
    }

    /// The keys and values, the map left empty.
    fn take(&mut self) -> (Vec<Key>, Vec<Tree>) {
        let Map { keys, values } = std::mem::take(self);
        (keys.to_vec(), values.into_vec())
    }
}

impl Tree {
    /// A map of `entries` in any order (see [`Map`]).
    pub fn map(entries: Vec<(Key, Tree)>) -> Self {
        Tree::Map(Arc::new(Map::new(entries)))
    }

    /// The map `base` with `entries` computed for it. When `base` is a map that holds none of
    /// their keys it is shared, not copied ([`Extended`]); otherwise this is [`Tree::extend`].
    pub fn extended(mut base: Tree, entries: Vec<(Key, Tree)>) -> Self {
        match &base {
            Tree::Map(m) if entries.iter().all(|(k, _)| m.get(k.as_str()).is_none()) => {
                Tree::Extended(Arc::new(Extended {
                    base: Arc::clone(m),
                    extra: Map::new(entries),
                }))
            }
            _ => {
                base.extend(entries);
                base
            }
        }
    }

    /// An [`Extended`] map made a map of its own, to be changed.
    fn own_map(&mut self) {
        if let Tree::Extended(e) = self {
            let (keys, values) = e.entries().map(|(k, v)| (k.clone(), v.clone())).unzip();
            *self = Tree::Map(Arc::new(Map::sorted(keys, values)));
        }
    }

    /// A list of `items`.
    pub fn list(mut items: Vec<Tree>) -> Self {
        items.shrink_to_fit();
        Tree::List(Arc::new(List(items)))
    }

    /// The value of `key` in a map.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Map(m) => m.get(key),
            Tree::Extended(e) => e.get(key),
            _ => None,
        }
    }

    /// Sets `key` of a map to `value` (nothing when `self` is not a map).
    pub fn insert(&mut self, key: impl Into<Key>, value: Tree) {
        self.own_map();
        if let Tree::Map(m) = self {
            Arc::make_mut(m).insert(key.into(), value);
        }
    }

    /// Sets the keys of `entries` in a map (nothing when `self` is not a map), growing it by
    /// exactly their number: a map of the plan gets its computed fields without spare room.
    pub fn extend(&mut self, entries: Vec<(Key, Tree)>) {
        self.own_map();
        if let Tree::Map(m) = self {
            let m = Arc::make_mut(m);
            let (keys, values) = m.take();
            let mut all = Vec::with_capacity(keys.len() + entries.len());
            all.extend(keys.into_iter().zip(values));
            all.extend(entries);
            *m = Map::new(all);
        }
    }

    /// The value of `key` in a map, to change (a map shared with another part of the
    /// context is copied first).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Tree> {
        self.own_map();
        match self {
            Tree::Map(m) => Arc::make_mut(m).get_mut(key),
            _ => None,
        }
    }

    /// Takes `key` out of a map.
    pub fn remove(&mut self, key: &str) -> Option<Tree> {
        self.own_map();
        match self {
            Tree::Map(m) => Arc::make_mut(m).remove(key),
            _ => None,
        }
    }

    /// The items of a list, to change (none when `self` is not a list).
    pub fn items_mut(&mut self) -> &mut [Tree] {
        match self {
            Tree::List(l) => &mut Arc::make_mut(l).0,
            _ => &mut [],
        }
    }

    /// The values of a map, to change (none when `self` is not a map).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Tree> {
        self.own_map();
        let values: &mut [Tree] = match self {
            Tree::Map(m) => &mut Arc::make_mut(m).values,
            _ => &mut [],
        };
        values.iter_mut()
    }

    /// A text of the context, kept inline when it is short.
    pub fn text(s: &str) -> Self {
        Small::new(s).map_or_else(|| Tree::Shared(shared(s)), Tree::Small)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Tree::Static(s) => Some(s),
            Tree::Small(s) => Some(s.as_str()),
            Tree::Shared(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Tree::U64(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Tree]> {
        match self {
            Tree::List(l) => Some(&l.0),
            _ => None,
        }
    }

    /// The template value of this part of the context: no copy of a map or list.
    pub fn to_value(&self) -> Value {
        match self {
            Tree::Null => Value::from(()),
            Tree::Bool(b) => Value::from(*b),
            Tree::U64(n) => Value::from(*n),
            Tree::I64(n) => Value::from(*n),
            Tree::F64(n) => Value::from(*n),
            Tree::Static(s) => Value::from(*s),
            Tree::Small(s) => Value::from(s.as_str()),
            Tree::Shared(s) => Value::from(Arc::clone(s)),
            Tree::List(l) => Value::from_dyn_object(DynObject::new(Arc::clone(l))),
            Tree::Map(m) => Value::from_dyn_object(DynObject::new(Arc::clone(m))),
            Tree::Extended(e) => Value::from_dyn_object(DynObject::new(Arc::clone(e))),
        }
    }

    /// Rewrites every string (keys excepted) for which `rewrite` gives a new text. A map or
    /// list shared with another part of the context is copied first, and only when something
    /// in it changes.
    pub fn rewrite_strings(&mut self, rewrite: &dyn Fn(&str) -> Option<String>) {
        // Iterative: the context is as deep as the call tree.
        let mut stack = vec![self];
        while let Some(tree) = stack.pop() {
            if let Some(new) = tree.as_str().and_then(rewrite) {
                *tree = Tree::from(new);
                continue;
            }
            // An extended map shares its base with the plan's tree: made a map of its own (and
            // then changed below) only when something in it changes.
            if let Tree::Extended(e) = tree
                && e.entries().any(|(_, t)| t.any_string(rewrite))
            {
                tree.own_map();
            }
            // No weak references are made: a count of one is a node of this tree alone.
            match tree {
                Tree::List(l)
                    if Arc::strong_count(l) == 1 || l.0.iter().any(|t| t.any_string(rewrite)) =>
                {
                    stack.extend(Arc::make_mut(l).0.iter_mut());
                }
                Tree::Map(m)
                    if Arc::strong_count(m) == 1
                        || m.values.iter().any(|t| t.any_string(rewrite)) =>
                {
                    stack.extend(Arc::make_mut(m).values.iter_mut());
                }
                _ => {}
            }
        }
    }

    /// How long this part of the context is written as JSON (compact, as `serde_json`
    /// writes it and [`Serialize`] gives it), counted without writing it: the fuel of a
    /// render is sized by it. Writing the 48 MB of a 10,000-function plan's context through
    /// `serde_json` to count them took a tenth of a second.
    pub fn json_len(&self) -> usize {
        /// What is left to count: a value, a map or list behind its `Arc`, or the end of a
        /// shared one, its length then known (the count when it began).
        enum Step<'a> {
            Value(&'a Tree),
            Map(&'a Arc<Map>),
            List(&'a Arc<List>),
            Counted(usize, usize),
        }
        /// Entries or items and the commas between them, and the brackets.
        fn joined(count: usize) -> usize {
            2 + count.saturating_sub(1)
        }
        fn digits(n: u64) -> usize {
            n.checked_ilog10().map_or(1, |d| d as usize + 1)
        }
        /// `s` quoted and escaped: `"` and `\` and the control characters.
        fn quoted(s: &[u8]) -> usize {
            let escapes: usize = s
                .iter()
                .map(|b| match b {
                    b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                    0..0x20 => 5,
                    _ => 0,
                })
                .sum();
            2 + s.len() + escapes
        }
        fn keys(keys: &[Key]) -> usize {
            keys.iter().map(|k| quoted(k.as_bytes()) + 1).sum()
        }
        // Iterative: the context is as deep as the call tree. A map or list reached more
        // than once (a function by id and in the recovery order, a shared base) is counted
        // once: the JSON repeats it, so its length is added again each time.
        let mut len = 0;
        let mut counted = rustc_hash::FxHashMap::<usize, usize>::default();
        let mut stack = vec![Step::Value(self)];
        while let Some(step) = stack.pop() {
            let (at, shared) = match &step {
                Step::Map(m) => (Arc::as_ptr(m).addr(), Arc::strong_count(m) > 1),
                Step::List(l) => (Arc::as_ptr(l).addr(), Arc::strong_count(l) > 1),
                _ => (0, false),
            };
            if shared {
                if let Some(n) = counted.get(&at) {
                    len += n;
                    continue;
                }
                stack.push(Step::Counted(at, len));
            }
            len += match step {
                Step::Counted(at, start) => {
                    counted.insert(at, len - start);
                    0
                }
                Step::List(l) => {
                    stack.extend(l.0.iter().map(Step::Value));
                    joined(l.0.len())
                }
                Step::Map(m) => {
                    stack.extend(m.values.iter().map(Step::Value));
                    joined(m.len()) + keys(&m.keys)
                }
                Step::Value(tree) => match tree {
                    Tree::Null | Tree::Bool(true) => 4,
                    Tree::Bool(false) => 5,
                    Tree::U64(n) => digits(*n),
                    Tree::I64(n) => usize::from(*n < 0) + digits(n.unsigned_abs()),
                    // Rare (no field of the plan is a float): written to be counted.
                    Tree::F64(n) => serde_json::to_string(n).map_or(4, |json| json.len()),
                    Tree::Static(s) => quoted(s.as_bytes()),
                    Tree::Small(s) => quoted(s.as_bytes()),
                    Tree::Shared(s) => quoted(s.as_bytes()),
                    Tree::List(l) => {
                        stack.push(Step::List(l));
                        0
                    }
                    Tree::Map(m) => {
                        stack.push(Step::Map(m));
                        0
                    }
                    // The base's entries as the base's JSON, with the brackets and commas of
                    // the longer map.
                    Tree::Extended(e) => {
                        stack.push(Step::Map(&e.base));
                        stack.extend(e.extra.values.iter().map(Step::Value));
                        joined(e.len()) - joined(e.base.len()) + keys(&e.extra.keys)
                    }
                },
            };
        }
        len
    }

    /// Whether `rewrite` would change a string of this part of the context.
    fn any_string(&self, rewrite: &dyn Fn(&str) -> Option<String>) -> bool {
        let mut stack = vec![self];
        while let Some(tree) = stack.pop() {
            match tree {
                Tree::List(l) => stack.extend(l.0.iter()),
                Tree::Map(m) => stack.extend(m.values.iter()),
                Tree::Extended(e) => stack.extend(e.entries().map(|(_, t)| t)),
                _ => {
                    if tree.as_str().and_then(rewrite).is_some() {
                        return true;
                    }
                }
            }
        }
        false
    }
}

impl std::ops::Index<&str> for Tree {
    type Output = Tree;

    /// The value of `key` in a map, null when there is none (as in `serde_json`).
    fn index(&self, key: &str) -> &Tree {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Tree {
    type Output = Tree;

    /// The item `i` of a list, null when there is none.
    fn index(&self, i: usize) -> &Tree {
        self.as_array().and_then(|l| l.get(i)).unwrap_or(&NULL)
    }
}

impl From<&str> for Tree {
    fn from(s: &str) -> Self {
        Tree::text(s)
    }
}

impl From<String> for Tree {
    fn from(s: String) -> Self {
        Tree::text(&s)
    }
}

impl From<bool> for Tree {
    fn from(b: bool) -> Self {
        Tree::Bool(b)
    }
}

impl From<u64> for Tree {
    fn from(n: u64) -> Self {
        Tree::U64(n)
    }
}

impl From<usize> for Tree {
    fn from(n: usize) -> Self {
        Tree::U64(n as u64)
    }
}

impl<T: Into<Tree>> From<Option<T>> for Tree {
    /// Null for none, as in JSON.
    fn from(value: Option<T>) -> Self {
        value.map_or(Tree::Null, Into::into)
    }
}

impl<T: Into<Tree>> From<Vec<T>> for Tree {
    fn from(items: Vec<T>) -> Self {
        Tree::list(items.into_iter().map(Into::into).collect())
    }
}

impl From<serde_json::Value> for Tree {
    /// The same values; numbers as serde conversion reads them (unsigned, else signed, else
    /// floating).
    fn from(json: serde_json::Value) -> Self {
        use serde_json::Value as Json;
        match json {
            Json::Null => Tree::Null,
            Json::Bool(b) => Tree::Bool(b),
            Json::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Tree::U64(u),
                (None, Some(i)) => Tree::I64(i),
                (None, None) => Tree::F64(n.as_f64().unwrap_or_default()),
            },
            Json::String(s) => Tree::from(s),
            Json::Array(items) => Tree::list(items.into_iter().map(Tree::from).collect()),
            // Already sorted and unique.
            Json::Object(m) => {
                let (keys, values) = m
                    .into_iter()
                    .map(|(k, v)| (Key::from(k.as_str()), Tree::from(v)))
                    .unzip();
                Tree::Map(Arc::new(Map::sorted(keys, values)))
            }
        }
    }
}

impl Serialize for Tree {
    /// As the JSON value it stands for.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeSeq;
        match self {
            Tree::Null => serializer.serialize_unit(),
            Tree::Bool(b) => serializer.serialize_bool(*b),
            Tree::U64(n) => serializer.serialize_u64(*n),
            Tree::I64(n) => serializer.serialize_i64(*n),
            Tree::F64(n) => serializer.serialize_f64(*n),
            Tree::Static(_) | Tree::Small(_) | Tree::Shared(_) => {
                serializer.serialize_str(self.as_str().unwrap_or_default())
            }
            Tree::List(l) => {
                let mut seq = serializer.serialize_seq(Some(l.0.len()))?;
                for item in &l.0 {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Map(m) => serialize_map(serializer, m.len(), m.entries()),
            Tree::Extended(e) => serialize_map(serializer, e.len(), e.entries()),
        }
    }
}

fn serialize_map<'a, S: Serializer>(
    serializer: S,
    len: usize,
    entries: impl Iterator<Item = (&'a Key, &'a Tree)>,
) -> Result<S::Ok, S::Error> {
    use ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(len))?;
    for (k, v) in entries {
        map.serialize_entry(k.as_str(), v)?;
    }
    map.end()
}

/// A map of the context as templates read it (its `get`, `entries` in key order and `len`).
macro_rules! map_object {
    ($type:ty) => {
        impl Object for $type {
            fn repr(self: &Arc<Self>) -> ObjectRepr {
                ObjectRepr::Map
            }

            fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
                self.get_value_by_str(key.as_str()?)
            }

            fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
                self.get(key).map(Tree::to_value)
            }

            fn enumerate(self: &Arc<Self>) -> Enumerator {
                Enumerator::Values(
                    self.entries()
                        .map(|(k, _)| Value::from(k.as_str()))
                        .collect(),
                )
            }

            fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
                Some(self.len())
            }
        }
    };
}

map_object!(Map);
map_object!(Extended);

impl Object for List {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(Tree::to_value)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }
}

/// `value` as a tree: what `serde_json::to_value` gives, converted, without building the JSON.
///
/// # Errors
/// When `value` cannot be written as JSON (a map key that is not a string, a number, a bool
/// or a unit variant).
pub fn to_tree<T: Serialize + ?Sized>(value: &T) -> Result<Tree, Error> {
    value.serialize(TreeSerializer)
}

/// Why a value has no tree.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Writes a value as a [`Tree`], case by case as `serde_json`'s value serializer does.
struct TreeSerializer;

/// A sequence, tuple or tuple variant (then wrapped in a one-key map).
struct SeqBuilder {
    variant: Option<&'static str>,
    items: Vec<Tree>,
}

/// A map, struct or struct variant (then wrapped in a one-key map).
struct MapBuilder {
    variant: Option<&'static str>,
    entries: Vec<(Key, Tree)>,
    key: Option<Key>,
}

fn variant(name: &'static str, value: Tree) -> Tree {
    Tree::map(vec![(Key::Static(name), value)])
}

impl Serializer for TreeSerializer {
    type Ok = Tree;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, v: bool) -> Result<Tree, Error> {
        Ok(Tree::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Tree, Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Tree, Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Tree, Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Tree, Error> {
        // A JSON number that is not negative reads as unsigned.
        Ok(u64::try_from(v).map_or(Tree::I64(v), Tree::U64))
    }
    fn serialize_i128(self, v: i128) -> Result<Tree, Error> {
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => Ok(Tree::U64(u)),
            (_, Ok(i)) => Ok(Tree::I64(i)),
            _ => Err(Error("number out of range".into())),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<Tree, Error> {
        Ok(Tree::U64(u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Tree, Error> {
        Ok(Tree::U64(u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Tree, Error> {
        Ok(Tree::U64(u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Tree, Error> {
        Ok(Tree::U64(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Tree, Error> {
        u64::try_from(v)
            .map(Tree::U64)
            .map_err(|_| Error("number out of range".into()))
    }
    fn serialize_f32(self, v: f32) -> Result<Tree, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Tree, Error> {
        // JSON has no NaN or infinity: serde_json makes them null.
        Ok(if v.is_finite() {
            Tree::F64(v)
        } else {
            Tree::Null
        })
    }
    fn serialize_char(self, v: char) -> Result<Tree, Error> {
        Ok(Tree::text(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<Tree, Error> {
        Ok(Tree::from(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Tree, Error> {
        Ok(Tree::list(
            v.iter().map(|b| Tree::U64(u64::from(*b))).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Tree, Error> {
        Ok(Tree::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Tree, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Tree, Error> {
        Ok(Tree::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Tree, Error> {
        Ok(Tree::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Tree, Error> {
        Ok(Tree::Static(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Tree, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Tree, Error> {
        Ok(variant(name, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder {
            variant: None,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder {
            variant: Some(name),
            items: Vec::with_capacity(len),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            variant: None,
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            variant: Some(name),
            entries: Vec::with_capacity(len),
            key: None,
        })
    }
}

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(TreeSerializer)?);
        Ok(())
    }

    fn finish(self) -> Tree {
        let list = Tree::list(self.items);
        match self.variant {
            Some(name) => variant(name, list),
            None => list,
        }
    }
}

/// The sequence-like compound serializers differ only in the name of their method.
macro_rules! seq_builder {
    ($($compound:ident :: $method:ident),*) => {$(
        impl ser::$compound for SeqBuilder {
            type Ok = Tree;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<Tree, Error> {
                Ok(self.finish())
            }
        }
    )*};
}

seq_builder!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl MapBuilder {
    fn field<T: Serialize + ?Sized>(&mut self, key: Key, value: &T) -> Result<(), Error> {
        self.entries.push((key, value.serialize(TreeSerializer)?));
        Ok(())
    }

    fn finish(self) -> Tree {
        let map = Tree::map(self.entries);
        match self.variant {
            Some(name) => variant(name, map),
            None => map,
        }
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Tree;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value without its key".into()))?;
        self.field(key, value)
    }
    fn end(self) -> Result<Tree, Error> {
        Ok(self.finish())
    }
}

/// A struct and a struct variant are written alike: fields by their name.
macro_rules! struct_builder {
    ($($compound:ident),*) => {$(
        impl ser::$compound for MapBuilder {
            type Ok = Tree;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(Key::Static(key), value)
            }
            fn end(self) -> Result<Tree, Error> {
                Ok(self.finish())
            }
        }
    )*};
}

struct_builder!(SerializeStruct, SerializeStructVariant);

/// Writes a map key as `serde_json` does: strings as they are, numbers, booleans and
/// characters as their text, unit variants as their name; anything else is an error.
struct KeySerializer;

/// Numbers as keys: their text.
macro_rules! key_numbers {
    ($($method:ident: $number:ty),*) => {$(
        fn $method(self, v: $number) -> Result<Key, Error> {
            Ok(Key::from(v.to_string().as_str()))
        }
    )*};
}

fn key_error() -> Error {
    Error("a map key must be a string".into())
}

impl Serializer for KeySerializer {
    type Ok = Key;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Key, Error>;
    type SerializeTuple = ser::Impossible<Key, Error>;
    type SerializeTupleStruct = ser::Impossible<Key, Error>;
    type SerializeTupleVariant = ser::Impossible<Key, Error>;
    type SerializeMap = ser::Impossible<Key, Error>;
    type SerializeStruct = ser::Impossible<Key, Error>;
    type SerializeStructVariant = ser::Impossible<Key, Error>;

    fn serialize_bool(self, v: bool) -> Result<Key, Error> {
        Ok(Key::Static(if v { "true" } else { "false" }))
    }
    key_numbers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128
    );
    fn serialize_f32(self, _v: f32) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _v: f64) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_char(self, v: char) -> Result<Key, Error> {
        Ok(Key::from(v.to_string().as_str()))
    }
    fn serialize_str(self, v: &str) -> Result<Key, Error> {
        Ok(Key::from(v.to_string().as_str()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Key, Error> {
        Ok(Key::Static(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Key, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Key, Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The tree of a value serializes as the JSON `serde_json` makes of it.
    fn same_as_json<T: Serialize>(value: &T) {
        let tree = to_tree(value).expect("tree");
        let json = serde_json::to_value(value).expect("json");
        assert_eq!(
            serde_json::to_string(&tree).unwrap(),
            serde_json::to_string(&json).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&Tree::from(json.clone())).unwrap(),
            serde_json::to_string(&json).unwrap()
        );
    }

    #[derive(serde::Serialize)]
    enum Kind {
        Unit,
        New(u8),
        Tuple(u8, i8),
        Struct { b: u8, a: i64 },
    }

    #[derive(serde::Serialize)]
    struct Sample {
        zeta: Vec<Kind>,
        alpha: Option<f64>,
        nan: f64,
        negative: i32,
        map: std::collections::HashMap<u16, &'static str>,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, bool>,
        unit: (),
        bytes: &'static [u8],
        ch: char,
    }

    #[test]
    fn trees_serialize_as_the_json_they_replace() {
        let sample = Sample {
            zeta: vec![
                Kind::Unit,
                Kind::New(3),
                Kind::Tuple(1, -2),
                Kind::Struct { b: 1, a: -5 },
            ],
            alpha: Some(1.5),
            nan: f64::NAN,
            negative: -7,
            map: [(10, "ten"), (2, "two")].into_iter().collect(),
            rest: [("m".to_string(), true), ("alpha".to_string(), false)]
                .into_iter()
                .collect(),
            unit: (),
            bytes: b"ab",
            ch: '字',
        };
        same_as_json(&sample);
        same_as_json(&json!({ "b": [1, -1, 2.5, null, "x"], "a": { "z": {}, "y": [] } }));
    }

    #[test]
    fn templates_read_the_tree_as_they_read_the_json() {
        let json = json!({
            "b": [1, "x", 2.5, -4, null],
            "a": { "k": true, "long": "a text longer than twenty-two bytes" },
            "empty": {},
        });
        let env = minijinja::Environment::new();
        let template = "{% for k in ctx %}{{ k }}={{ ctx[k] }};{% endfor %}{{ ctx.b|length }}\
                        {% for v in ctx.b %}{{ v }},{% endfor %}{{ ctx.a.k }}{{ ctx.a.long }}\
                        {{ ctx.missing is undefined }}{{ ctx.empty is true }}{{ ctx.b|join('-') }}{{ ctx.a|dictsort }}";
        let read = |ctx: minijinja::Value| {
            env.render_str(template, minijinja::context! { ctx => ctx })
                .unwrap()
        };
        let from_json = read(minijinja::Value::from(minijinja::value::Serde(&json)));
        assert_eq!(read(Tree::from(json.clone()).to_value()), from_json);
        assert_eq!(read(to_tree(&json).unwrap().to_value()), from_json);
        assert!(from_json.starts_with("a={"), "{from_json}");
    }

    #[test]
    fn an_extended_map_reads_as_the_map_with_its_entries_and_shares_its_base() {
        let base = Tree::from(json!({ "id": "s1", "name": "Restore", "team": "ops", "z": [1] }));
        let extra = || entries_of(json!({ "start": "0m", "number": 1, "after": [] }));
        let whole = Tree::from(json!({
            "id": "s1", "name": "Restore", "team": "ops", "z": [1],
            "start": "0m", "number": 1, "after": []
        }));
        let extended = Tree::extended(base.clone(), extra());
        let (Tree::Extended(e), Tree::Map(b)) = (&extended, &base) else {
            panic!("an extended map over the base")
        };
        assert!(Arc::ptr_eq(&e.base, b), "the base is shared, not copied");
        // Serialized, read by a template, and read here: the map with its entries.
        let json = |t: &Tree| serde_json::to_string(t).unwrap();
        assert_eq!(json(&extended), json(&whole));
        let env = minijinja::Environment::new();
        let template = "{% for k in m %}{{ k }}={{ m[k] }};{% endfor %}{{ m|length }}{{ m.team }}\
                        {{ m.number }}{{ m.nothing is undefined }}{{ m|items|list }}{{ m|dictsort }}";
        let read = |t: &Tree| {
            env.render_str(template, minijinja::context! { m => t.to_value() })
                .unwrap()
        };
        assert_eq!(read(&extended), read(&whole));
        assert_eq!(extended["team"].as_str(), Some("ops"));
        assert_eq!(extended["number"].as_u64(), Some(1));
        // Changed, it becomes a map of its own; the base is untouched.
        let mut changed = extended.clone();
        changed.insert("team", Tree::from("dba"));
        assert_eq!(changed["team"].as_str(), Some("dba"));
        assert_eq!(base["team"].as_str(), Some("ops"));
        // A redaction copies it only when it changes something in it.
        let mut ctx = Tree::map(vec![(Key::Static("s"), extended.clone())]);
        ctx.rewrite_strings(&|s| (s == "nothing here").then(String::new));
        assert!(matches!(ctx["s"], Tree::Extended(_)));
        ctx.rewrite_strings(&|s| (s == "ops").then(|| "[hidden]".to_string()));
        assert_eq!(ctx["s"]["team"].as_str(), Some("[hidden]"));
        assert_eq!(json(&ctx["s"]).replace("[hidden]", "ops"), json(&whole));
        assert_eq!(base["team"].as_str(), Some("ops"));
        // Entries whose keys the base has: the map extended as before, no sharing.
        let overlapping = Tree::extended(base.clone(), entries_of(json!({ "name": "Other" })));
        assert!(matches!(overlapping, Tree::Map(_)));
        assert_eq!(overlapping["name"].as_str(), Some("Other"));
    }

    fn entries_of(json: serde_json::Value) -> Vec<(Key, Tree)> {
        let serde_json::Value::Object(map) = json else {
            panic!("an object")
        };
        map.into_iter()
            .map(|(k, v)| (Key::from(k.as_str()), Tree::from(v)))
            .collect()
    }

    #[test]
    fn maps_with_the_same_keys_share_one_list_of_them() {
        let (mut a, b, c) = sharing_texts(|| {
            (
                Tree::from(json!({ "id": "s1", "name": "Restore", "after": [] })),
                to_tree(&json!({ "name": "Verify", "id": "s2", "after": ["s1"] })).unwrap(),
                Tree::from(json!({ "id": "s3", "name": "Close" })),
            )
        });
        let keys = |t: &Tree| match t {
            Tree::Map(m) => Arc::clone(&m.keys),
            _ => panic!("a map"),
        };
        assert!(Arc::ptr_eq(&keys(&a), &keys(&b)), "the same keys, one list");
        assert!(!Arc::ptr_eq(&keys(&a), &keys(&c)));
        let json = |t: &Tree| serde_json::to_string(t).unwrap();
        assert_eq!(json(&b), r#"{"after":["s1"],"id":"s2","name":"Verify"}"#);
        // A map changed gets keys of its own; the maps it shared them with are untouched.
        a.insert("team", Tree::from("ops"));
        assert_eq!(a.remove("after").map(|t| json(&t)).as_deref(), Some("[]"));
        assert_eq!(json(&a), r#"{"id":"s1","name":"Restore","team":"ops"}"#);
        assert_eq!(json(&b), r#"{"after":["s1"],"id":"s2","name":"Verify"}"#);
        assert_eq!(keys(&b).len(), 3);
        *a.get_mut("id").unwrap() = Tree::from("s9");
        assert_eq!(a["id"].as_str(), Some("s9"));
        assert_eq!(a.values_mut().count(), 3);
    }

    #[test]
    fn the_json_length_is_that_of_the_json_written() {
        let json = json!({
            "plain": "payments", "quoted": "say \"hi\" \\ back", "lines": "a\nb\r\tc\u{8}\u{c}",
            "control": "bell\u{7}\u{1f}\u{7f}", "unicode": "付款处理 ✓", "empty": "",
            "numbers": [0, 7, 10, 99, 100, 18_446_744_073_709_551_615_u64, -1, -10, -9_223_372_036_854_775_808_i64, 1.5, 0.1, 1e300, -2.0],
            "nested": { "list": [[], {}, [null, true, false]], "k\"ey": "v" },
            "long key of a map, past the inline size": { "x": null }
        });
        let tree = Tree::from(json.clone());
        let step = Tree::from(json!({ "id": "s1", "name": "Restore" }));
        let extended = Tree::extended(
            step.clone(),
            entries_of(json!({ "start": "0m", "n": [1, 2] })),
        );
        // Parts reached more than once are counted once and added each time.
        let on_empty = Tree::extended(Tree::from(json!({})), entries_of(json!({ "a": 1 })));
        let nothing_added = Tree::extended(step.clone(), Vec::new());
        let sharing = Tree::list(vec![
            step.clone(),
            extended.clone(),
            step.clone(),
            extended.clone(),
            Tree::list(vec![step, extended.clone(), on_empty.clone()]),
            nothing_added,
            on_empty,
        ]);
        for t in [
            tree,
            to_tree(&json).unwrap(),
            extended,
            sharing,
            Tree::Null,
            Tree::from(Vec::<Tree>::new()),
        ] {
            assert_eq!(
                t.json_len(),
                serde_json::to_string(&t).unwrap().len(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_rewrite_copies_a_shared_node_only_when_it_changes() {
        let person = Tree::from(json!({ "phone": "123", "name": "Li" }));
        let mut ctx = Tree::map(vec![
            (Key::Static("plan"), person.clone()),
            (Key::Static("index"), person.clone()),
        ]);
        ctx.rewrite_strings(&|s| (s == "123").then(|| "[hidden]".to_string()));
        assert_eq!(ctx["plan"]["phone"].as_str(), Some("[hidden]"));
        assert_eq!(ctx["index"]["phone"].as_str(), Some("[hidden]"));
        // The tree outside is untouched.
        assert_eq!(person["phone"].as_str(), Some("123"));
        let mut shared = Tree::map(vec![
            (Key::Static("a"), person.clone()),
            (Key::Static("b"), person.clone()),
        ]);
        shared.rewrite_strings(&|_| None);
        let (Tree::Map(a), Tree::Map(p)) = (&shared["a"], &person) else {
            panic!("maps")
        };
        assert!(Arc::ptr_eq(a, p), "nothing changed, nothing copied");
    }
}
