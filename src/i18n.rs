//! Every text bcp prints or renders, in each language: message catalogues as data.
//!
//! One YAML file per language in `locales/` (`en.yaml`, `zh-CN.yaml`), embedded in the binary.
//! Nested keys are flattened with dots (`B001.message`, `label.doc_full`, `rule.L001.summary`).
//! Texts hold `{name}` placeholders that [`text`] fills from named arguments; the [`t!`] macro
//! writes them like `format!`. Plural forms are `key.one` / `key.other` ([`plural`]).
//!
//! The language of messages is chosen once per run by the command line ([`set`]: `--lang`,
//! else the plan's `lang`, else `LC_ALL`/`LC_MESSAGES`/`LANG`) before the plan is loaded, so
//! every stage formats its findings in it. Codes (`B001`), ids, paths and plan text are never
//! translated. A catalogue that lacks a key falls back to English, then to the key itself; the
//! tests below make sure neither happens.

use crate::model::Lang;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// Every language with a catalogue, and its file. A new language is a new file here and a
/// variant of [`Lang`].
const CATALOGUES: &[(Lang, &str)] = &[
    (Lang::En, include_str!("../locales/en.yaml")),
    (Lang::ZhCn, include_str!("../locales/zh-CN.yaml")),
];

/// The languages bcp speaks, in catalogue order.
pub fn languages() -> impl Iterator<Item = Lang> {
    CATALOGUES.iter().map(|(lang, _)| *lang)
}

/// One language's texts by flattened key.
type Catalogue = BTreeMap<String, String>;

/// One language's catalogue, parsed when first asked for: a run needs one language (English
/// too only for a key the other lacks), and parsing both took a third of a small plan's
/// `validate`.
fn catalogue(lang: Lang) -> &'static Catalogue {
    static PARSED: [OnceLock<Catalogue>; CATALOGUES.len()] =
        [const { OnceLock::new() }; CATALOGUES.len()];
    let index = CATALOGUES.iter().position(|(l, _)| *l == lang).unwrap_or(0);
    // The files are part of the binary, and the tests parse them: an error here is a build
    // mistake, shown as missing texts (the keys themselves), never a panic.
    PARSED[index].get_or_init(|| parse(CATALOGUES[index].1).unwrap_or_default())
}

/// A catalogue file: nested mappings of text, flattened to dotted keys as they are read.
pub fn parse(source: &str) -> Result<Catalogue, String> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};

    struct Flat(Catalogue);
    struct Flatten<'a> {
        prefix: String,
        out: &'a mut Catalogue,
    }
    impl<'de> serde::Deserialize<'de> for Flat {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let mut out = Catalogue::new();
            Flatten {
                prefix: String::new(),
                out: &mut out,
            }
            .deserialize(d)?;
            Ok(Flat(out))
        }
    }
    impl<'de> DeserializeSeed<'de> for Flatten<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Flatten<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a text or a mapping of texts")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
            self.out.insert(self.prefix, text.to_string());
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                let prefix = if self.prefix.is_empty() {
                    key
                } else {
                    format!("{}.{key}", self.prefix)
                };
                map.next_value_seed(Flatten {
                    prefix,
                    out: &mut *self.out,
                })?;
            }
            Ok(())
        }
    }
    crate::load::data_from_yaml::<Flat>(source).map(|flat| flat.0)
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Chooses the language of messages for the rest of the run.
pub fn set(lang: Lang) {
    let index = CATALOGUES.iter().position(|(l, _)| *l == lang).unwrap_or(0);
    CURRENT.store(u8::try_from(index).unwrap_or(0), Ordering::Relaxed);
}

/// The language of messages.
pub fn current() -> Lang {
    CATALOGUES
        .get(usize::from(CURRENT.load(Ordering::Relaxed)))
        .map_or(Lang::En, |(lang, _)| *lang)
}

/// The language the environment asks for: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`
/// (as POSIX orders them); `zh…` means Simplified Chinese, anything else English.
pub fn from_environment() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .map(|value| {
            if value.to_ascii_lowercase().starts_with("zh") {
                Lang::ZhCn
            } else {
                Lang::En
            }
        })
}

/// A language by its code as written after `--lang` or in a plan (`en`, `zh-CN`, `zh`).
pub fn parse_lang(code: &str) -> Option<Lang> {
    match code.to_ascii_lowercase().as_str() {
        "en" => Some(Lang::En),
        "zh-cn" | "zh" => Some(Lang::ZhCn),
        _ => None,
    }
}

/// The raw text of a key in a language (placeholders unfilled): English when the language
/// lacks it, the key itself when English does too.
pub fn raw(lang: Lang, key: &str) -> &'static str {
    lookup(lang, key).unwrap_or_else(|| {
        catalogue(Lang::En)
            .get_key_value(key)
            .map_or("", |(_, text)| text.as_str())
    })
}

/// The text of a key in a language, if it has one.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue(lang).get(key).map(String::as_str)
}

/// Every key of a language starting with `prefix`, without the prefix, with its text.
pub fn section(lang: Lang, prefix: &str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let prefix = prefix.to_string();
    catalogue(lang).iter().filter_map(move |(key, text)| {
        key.strip_prefix(prefix.as_str())
            .map(|rest| (rest, text.as_str()))
    })
}

/// The text of `key` in the current language, placeholders filled from `args`.
pub fn text(key: &str, args: &[(&str, &dyn Display)]) -> String {
    text_in(current(), key, args)
}

/// The text of `key` in `lang`, placeholders filled from `args`.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let template = raw(lang, key);
    if template.is_empty() {
        return key.to_string();
    }
    fill(template, args)
}

/// `key.one` for one, else `key.other`, with `{n}` and the other placeholders filled.
pub fn plural(key: &str, n: usize, args: &[(&str, &dyn Display)]) -> String {
    let form = if n == 1 { "one" } else { "other" };
    let mut all: Vec<(&str, &dyn Display)> = vec![("n", &n)];
    all.extend_from_slice(args);
    text(&format!("{key}.{form}"), &all)
}

/// Replaces each `{name}` whose name is an argument; other braces stay as written (YAML
/// examples such as `{exclude: [...]}` hold them).
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = placeholder_len(after);
        let value = (name_len > 0)
            .then(|| args.iter().find(|(name, _)| *name == &after[..name_len]))
            .flatten();
        if let Some((_, value)) = value {
            let _ = write!(out, "{value}");
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The length of a placeholder name at the start of `text` when a `}` closes it, else 0.
fn placeholder_len(text: &str) -> usize {
    let len = text
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        .count();
    if len > 0 && text.as_bytes().get(len) == Some(&b'}') {
        len
    } else {
        0
    }
}

/// The placeholders of a text, for the parity test.
pub fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    let mut found = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let len = placeholder_len(after);
        if len > 0 {
            found.insert(&after[..len]);
        }
        rest = after;
    }
    found
}

/// A message of the catalogue in the current language, like `format!`:
/// `t!("B001.message", id, rto = f.rto.value)`.
#[macro_export]
macro_rules! t {
    (@value $name:ident) => { $name };
    (@value $name:ident = $value:expr) => { $value };
    ($key:expr $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::i18n::text(
            $key,
            &[$((stringify!($name), &$crate::t!(@value $name $(= $value)?) as &dyn ::std::fmt::Display)),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<(Lang, Catalogue)> {
        CATALOGUES
            .iter()
            .map(|(lang, source)| {
                let parsed =
                    parse(source).unwrap_or_else(|e| panic!("locales/{}.yaml: {e}", lang.code()));
                (*lang, parsed)
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let all = all();
        let (first, reference) = &all[0];
        for (lang, catalogue) in &all[1..] {
            for key in reference.keys() {
                assert!(
                    catalogue.contains_key(key),
                    "`{key}` is in {} but not in {}",
                    first.code(),
                    lang.code()
                );
            }
            for (key, text) in catalogue {
                let Some(theirs) = reference.get(key) else {
                    panic!("`{key}` is in {} but not in {}", lang.code(), first.code());
                };
                assert_eq!(
                    placeholders(text),
                    placeholders(theirs),
                    "`{key}`: the placeholders of {} and {} differ",
                    lang.code(),
                    first.code()
                );
                assert!(
                    !text.trim().is_empty(),
                    "`{key}` is empty in {}",
                    lang.code()
                );
            }
        }
    }

    /// Every key the code names (`t!("key"`, `text("key"`, `plural("key"`) is in the
    /// catalogues: a typo would print the key instead of a message.
    #[test]
    fn every_key_the_code_uses_exists() {
        let en = &all()[0].1;
        let mut missing = Vec::new();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut seen = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap() {
                    files.push(entry.unwrap().path());
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("src/i18n.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for opener in ["t!(\"", "i18n::text(\"", "i18n::plural(\""] {
                for (at, _) in source.match_indices(opener) {
                    // `format!("` ends like `t!("`: only a whole name counts.
                    let before = source[..at].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue;
                    }
                    let rest = &source[at + opener.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    seen += 1;
                    if !en.contains_key(key) {
                        let plural_forms = ["one", "other"]
                            .iter()
                            .all(|f| en.contains_key(&format!("{key}.{f}")));
                        if !(opener.contains("plural") && plural_forms) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(seen > 20, "the scan found only {seen} keys");
        assert!(
            missing.is_empty(),
            "keys not in locales/en.yaml:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let n = 3;
        assert_eq!(
            fill(
                "{n} of `{id}` in {exclude: [x]}",
                &[("n", &n), ("id", &"a")]
            ),
            "3 of `a` in {exclude: [x]}"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
        assert_eq!(
            placeholders("{a} {b_2} {not here} {}")
                .into_iter()
                .collect::<Vec<_>>(),
            ["a", "b_2"]
        );
    }

    #[test]
    fn the_environment_chooses_chinese_for_zh_locales_only() {
        assert_eq!(parse_lang("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(parse_lang("ZH"), Some(Lang::ZhCn));
        assert_eq!(parse_lang("fr"), None);
    }
}
