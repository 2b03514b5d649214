//! Every fixed word of a rendered document, from the language's catalogue (`locales/*.yaml`,
//! sections `label` and `value`).
//!
//! Templates read labels as `L.key`; enum values (tiers, categories, phases...) go through the
//! `tr` filter, which looks up `kind.value`. A missing key is a template error (strict
//! undefined), never an empty cell.

use crate::model::Lang;
use std::collections::BTreeMap;

/// The labels of one language, for templates (`L.key`).
pub fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    crate::i18n::section(lang, "label.").collect()
}

/// The label of an enum value, e.g. `value("tier", "critical")`.
pub fn value(lang: Lang, kind: &str, value: &str) -> Option<&'static str> {
    crate::i18n::lookup(lang, &format!("value.{kind}.{value}"))
}

/// A label by key, for Rust code (diagram axes).
pub fn label(lang: Lang, key: &str) -> &'static str {
    crate::i18n::lookup(lang, &format!("label.{key}")).unwrap_or("")
}

/// A duration in words of the language: `4h` -> `4 h` / `4小时`, `1d12h` -> `1 d 12 h` / `1天12小时`.
pub fn duration(lang: Lang, canonical: &str) -> String {
    let mut out = String::new();
    let mut number = String::new();
    for c in canonical.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match (lang, c) {
            (Lang::En, 'w') => "w",
            (Lang::En, 'd') => "d",
            (Lang::En, 'h') => "h",
            (Lang::En, 'm') => "min",
            (Lang::ZhCn, 'w') => "周",
            (Lang::ZhCn, 'd') => "天",
            (Lang::ZhCn, 'h') => "小时",
            (Lang::ZhCn, 'm') => "分钟",
            _ => return canonical.to_string(),
        };
        if lang == Lang::En && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&number);
        if lang == Lang::En {
            out.push(' ');
        }
        out.push_str(unit);
        number.clear();
    }
    out.push_str(&number);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Lang::En, "4h"), "4 h");
        assert_eq!(duration(Lang::En, "1d12h"), "1 d 12 h");
        assert_eq!(duration(Lang::En, "30m"), "30 min");
        assert_eq!(duration(Lang::ZhCn, "1d12h"), "1天12小时");
        assert_eq!(duration(Lang::ZhCn, "1w"), "1周");
    }
}
