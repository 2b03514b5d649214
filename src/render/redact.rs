//! `--redact`: every phone number and e-mail address in the rendered text replaced with a
//! placeholder, wherever it is written: people's contacts, a call-tree trigger ("call p on
//! +44 7700 900555"), team channels, a supplier's or a site's contact, free text. Found by
//! their shape, plus every contact value of the plan exactly as written (which catches
//! shorter numbers too). The emergency key numbers (police, fire brigade, a regulator's
//! hotline) are public and stay: a copy without them would fail its readers.

use crate::model::Plan;
use serde_json::Value;
use std::borrow::Cow;

/// Replaces phone numbers and e-mail addresses in text.
#[derive(Debug)]
pub struct Redactor {
    placeholder: String,
    /// Contact values of the plan, longest first, replaced wherever they appear.
    known: Vec<String>,
    /// Numbers that stay: the emergency key numbers.
    public: Vec<String>,
}

impl Redactor {
    pub fn new(plan: &Plan, placeholder: &str) -> Self {
        let mut known: Vec<String> = plan
            .people
            .iter()
            .flat_map(|p| {
                let c = &p.contacts;
                [&c.mobile, &c.phone, &c.email, &c.pager, &c.im]
                    .into_iter()
                    .flatten()
                    .map(|v| v.trim().to_string())
            })
            .filter(|v| v.chars().count() >= 4)
            .collect();
        known.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        known.dedup();
        let public = plan
            .emergency_response
            .iter()
            .flat_map(|r| r.key_numbers.iter().map(|k| k.number.trim().to_string()))
            .collect();
        Redactor {
            placeholder: placeholder.to_string(),
            known,
            public,
        }
    }

    /// The text with every contact value, phone number and e-mail address replaced.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.known {
            if out.contains(secret.as_str()) && !self.public.contains(secret) {
                out = Cow::Owned(out.replace(secret.as_str(), &self.placeholder));
            }
        }
        let found = matches(&out);
        if found.is_empty() {
            return out;
        }
        let mut redacted = String::with_capacity(out.len());
        let mut at = 0;
        for range in found {
            let hit = &out[range.clone()];
            if self.public.iter().any(|p| p == hit) {
                continue;
            }
            redacted.push_str(&out[at..range.start]);
            redacted.push_str(&self.placeholder);
            at = range.end;
        }
        redacted.push_str(&out[at..]);
        Cow::Owned(redacted)
    }

    /// Every text cell of a sheet (the BIA CSV, the registers' workbooks), redacted in place.
    pub fn sheet(&self, sheet: &mut crate::xlsx::Sheet) {
        for cell in sheet.rows.iter_mut().flatten() {
            if let crate::xlsx::Cell::Text(text) = cell
                && let Cow::Owned(r) = self.text(text)
            {
                *text = r;
            }
        }
    }

    /// Every string of the template context (keys excepted), redacted in place.
    pub fn tree(&self, tree: &mut super::tree::Tree) {
        tree.rewrite_strings(&|text| match self.text(text) {
            Cow::Owned(r) => Some(r),
            Cow::Borrowed(_) => None,
        });
    }

    /// Every string in a JSON value (keys excepted), redacted in place.
    pub fn value(&self, value: &mut Value) {
        // Iterative: the context is as deep as the call tree.
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::String(s) => {
                    if let Cow::Owned(r) = self.text(s) {
                        *s = r;
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(map) => stack.extend(map.values_mut()),
                _ => {}
            }
        }
    }
}

/// Byte ranges of the e-mail addresses and phone numbers in `text`, in order, not overlapping.
fn matches(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = emails(text);
    let phones: Vec<_> = phones(text)
        .into_iter()
        .filter(|p| !found.iter().any(|e| e.start < p.end && p.start < e.end))
        .collect();
    found.extend(phones);
    found.sort_by_key(|r| r.start);
    found
}

/// `local@domain.tld`: the local part of letters, digits and `.`, `_`, `%`, `+`, `-`; a
/// domain of at least two labels, the last of two letters or more.
fn emails(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    let mut out = Vec::new();
    let mut from = 0;
    for (at, _) in text.match_indices('@') {
        if at < from {
            continue;
        }
        let start = (from..at)
            .rev()
            .take_while(|&i| local(bytes[i]))
            .last()
            .unwrap_or(at);
        let mut end = (at + 1..bytes.len())
            .take_while(|&i| domain(bytes[i]))
            .last()
            .map_or(at + 1, |i| i + 1);
        // A sentence's full stop or a hyphen is not part of the domain.
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let host = &text[at + 1..end];
        let tld = host.rsplit('.').next().unwrap_or_default();
        let valid = start < at
            && host.contains('.')
            && !host.starts_with('.')
            && tld.len() >= 2
            && tld.bytes().all(|b| b.is_ascii_alphabetic());
        if valid {
            out.push(start..end);
            from = end;
        }
    }
    out
}

/// Phone numbers: a run of digits and the separators people write in numbers (blanks,
/// `-`, `.`, `/`, brackets), optionally after `+`, not inside a word, with at least seven
/// digits and at most fifteen (an extension `ext 12` or `x12` is not counted). Plain digit runs
/// count when they look like a number to dial: ten digits or more, or seven or more starting
/// with 0. Dates (`2026-11-27`) and dotted IP addresses are not phone numbers.
fn phones(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let starts = b.is_ascii_digit() || (b == b'+' || b == b'(') && next_is_digit(bytes, i);
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        // Extend over digits and short separators between them (`) `, ` (`, `-`): a longer
        // one (` - `, `, `) separates two numbers.
        let mut end = i + 1;
        let mut j = i + 1;
        let mut gap = 0;
        while j < bytes.len() {
            let c = bytes[j];
            if c.is_ascii_digit() {
                end = j + 1;
                gap = 0;
            } else if matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')') && gap < 2 {
                gap += 1;
            } else {
                break;
            }
            j += 1;
        }
        // A closing bracket right after the last digit belongs to it.
        if bytes.get(end) == Some(&b')') && bytes[i..end].contains(&b'(') {
            end += 1;
        }
        let after_ok = bytes.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
        let candidate = &text[i..end];
        if after_ok && is_phone(candidate) {
            out.push(i..end);
            i = end;
        } else {
            // Skip this run of digits: a number inside it is not a phone either.
            i = end.max(i + 1);
        }
    }
    out
}

fn next_is_digit(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
}

fn is_phone(candidate: &str) -> bool {
    let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return false;
    }
    let plain = candidate.bytes().all(|b| b.is_ascii_digit());
    if plain {
        return digits >= 10 || candidate.starts_with('0');
    }
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    // A date (2026-11-27, 27.11.2026, 2026/11/27) or an IPv4 address (10.20.30.40).
    let separators: String = candidate.chars().filter(|c| !c.is_ascii_digit()).collect();
    let shape: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let date = matches!(shape.as_slice(), [4, 2, 2] | [2, 2, 4] | [4, 1 | 2, 1 | 2])
        && separators.len() == 2
        && separators
            .chars()
            .all(|c| c == separators.chars().next().unwrap_or('-'));
    let ip = shape.len() == 4 && shape.iter().all(|&n| n <= 3) && separators == "...";
    !(date || ip)
}

#[cfg(test)]
mod tests {
    use super::{emails, phones};

    fn found(text: &str) -> Vec<&str> {
        let mut all: Vec<std::ops::Range<usize>> = emails(text);
        all.extend(phones(text));
        all.sort_by_key(|r| r.start);
        all.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn phone_numbers_and_addresses_are_found() {
        assert_eq!(found("call p on +44 7700 900555 now"), ["+44 7700 900555"]);
        assert_eq!(found("请拨打13800138000联系"), ["13800138000"]);
        assert_eq!(
            found("(020) 7946-0958, or ops@example.co.uk."),
            ["(020) 7946-0958", "ops@example.co.uk"]
        );
        assert_eq!(found("desk 010-6601 2345 ext 12"), ["010-6601 2345"]);
        assert_eq!(
            found("0171 555 0100 - 0171 555 0101"),
            ["0171 555 0100", "0171 555 0101"]
        );
        assert_eq!(
            found("mail first.last+bcp@mail.example.com"),
            ["first.last+bcp@mail.example.com"]
        );
    }

    #[test]
    fn dates_durations_and_amounts_are_not() {
        for text in [
            "review 2026-11-27, due 27.11.2026, 2026-06-01 - 2026-06-30",
            "RTO 1d12h, 4h, 30m",
            "loss 1,000,000 a day, 10,000 functions",
            "version 1.2.3, level 4, 110 and 119",
            "server 10.20.30.40",
            "commit 1234567abcdef",
            "a@b, @team, x@localhost",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }
}
