//! Strict durations (`30m`, `4h`, `2d`, `1w`, `1d12h`) and ISO 8601 calendar dates.

use crate::t;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A span of time, kept in whole minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    minutes: u64,
}

/// Largest duration accepted: about 100 years, far beyond any plan, far below overflow.
const MAX_MINUTES: u64 = 100 * 366 * 24 * 60;

const UNITS: [(char, u64); 4] = [('w', 7 * 24 * 60), ('d', 24 * 60), ('h', 60), ('m', 1)];

impl Duration {
    pub const ZERO: Duration = Duration { minutes: 0 };

    pub fn from_minutes(minutes: u64) -> Self {
        Self { minutes }
    }

    pub fn minutes(self) -> u64 {
        self.minutes
    }

    /// Adds two durations, saturating (sums of step chains stay well below u64).
    #[must_use]
    pub fn plus(self, other: Duration) -> Duration {
        Duration {
            minutes: self.minutes.saturating_add(other.minutes),
        }
    }

    /// Parses `30m`, `4h`, `2d`, `1w`, or several units largest first (`1d12h`, `2h30m`).
    ///
    /// # Errors
    /// A message saying what is wrong, for a diagnostic.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let hint = || t!("duration.hint");
        if text.is_empty() {
            return Err(t!("duration.empty", hint = hint()));
        }
        let mut minutes: u64 = 0;
        let mut rest = text;
        let mut last_unit = None::<usize>;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(t!("duration.invalid", text, hint = hint()));
            }
            let Some(unit) = rest[digits..].chars().next() else {
                return Err(t!("duration.no_unit", text, hint = hint()));
            };
            let Some(index) = UNITS.iter().position(|(u, _)| *u == unit) else {
                return Err(t!("duration.unknown_unit", unit, text, hint = hint()));
            };
            if last_unit.is_some_and(|last| index <= last) {
                return Err(t!("duration.out_of_order", text, hint = hint()));
            }
            last_unit = Some(index);
            let amount: u64 = rest[..digits]
                .parse()
                .map_err(|_| t!("duration.too_large", text))?;
            minutes = amount
                .checked_mul(UNITS[index].1)
                .and_then(|m| m.checked_add(minutes))
                .filter(|m| *m <= MAX_MINUTES)
                .ok_or_else(|| t!("duration.too_large_years", text))?;
            rest = &rest[digits + unit.len_utf8()..];
        }
        Ok(Duration { minutes })
    }
}

impl fmt::Display for Duration {
    /// Canonical form, largest units first: `7h30m`, `2d`, `0m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.minutes == 0 {
            return f.write_str("0m");
        }
        let mut rest = self.minutes;
        // Weeks only when exact, so `10d` stays `10d` rather than `1w3d`.
        for (unit, size) in UNITS {
            if unit == 'w' && !rest.is_multiple_of(size) {
                continue;
            }
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as `30m`, `4h`, `2d` or `1w`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Duration, E> {
                Duration::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Duration, E> {
                Err(E::custom(t!("duration.number_no_unit", v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Duration, E> {
                Err(E::custom(t!("duration.negative", v)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            // Each unit within what 100 years allows (5,228 weeks, 36,600 days, 878,400
            // hours, 52,704,000 minutes) by its number of digits; the total is the loader's.
            "pattern": "^(0*[0-9]{1,4}w)?(0*[0-9]{1,5}d)?(0*[0-9]{1,6}h)?(0*[0-9]{1,8}m)?$",
            "minLength": 2,
            "description": "A duration: a whole number and a unit, `m` minutes, `h` hours, `d` days, `w` weeks; several units largest first (`1d12h`). At most 100 years.",
            "examples": ["30m", "4h", "2d", "1w"]
        })
    }
}

/// A recovery point objective: the data loss tolerated, or `n/a` for a function or system
/// that holds no data (a network, a manual process). Omitting `rpo` means the same as `n/a`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rpo {
    /// At most this much data may be lost.
    Within(Duration),
    /// Holds no data: no RPO to meet.
    NotApplicable,
}

impl Rpo {
    /// The text that says "not applicable" in a plan.
    pub const NOT_APPLICABLE: &'static str = "n/a";

    /// The duration, when there is one.
    pub fn duration(self) -> Option<Duration> {
        match self {
            Rpo::Within(d) => Some(d),
            Rpo::NotApplicable => None,
        }
    }
}

impl fmt::Display for Rpo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rpo::Within(d) => d.fmt(f),
            Rpo::NotApplicable => f.write_str(Rpo::NOT_APPLICABLE),
        }
    }
}

impl Serialize for Rpo {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rpo {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Rpo;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as `15m` or `4h`, or `n/a`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Rpo, E> {
                if v.eq_ignore_ascii_case(Rpo::NOT_APPLICABLE) {
                    return Ok(Rpo::NotApplicable);
                }
                Duration::parse(v)
                    .map(Rpo::Within)
                    .map_err(|e| E::custom(t!("duration.or_not_applicable", problem = e)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Rpo, E> {
                Err(E::custom(t!("duration.number_no_unit", v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Rpo, E> {
                Err(E::custom(t!("duration.negative", v)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for Rpo {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rpo".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?|[nN]/[aA])$",
            "minLength": 2,
            "description": "A recovery point objective: a duration (`15m`, `4h`, `1d`), or `n/a` for something that holds no data.",
            "examples": ["15m", "4h", "n/a"]
        })
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// # Errors
    /// A message saying what is wrong, for a diagnostic.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || t!("date.invalid", text);
        let parts: Vec<&str> = text.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return Err(bad());
        }
        let (year, month, day) = (
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        );
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(t!("date.not_a_day", text));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date a number of days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    #[must_use]
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// The same day `months` later, clamped to the month's end (2026-01-31 + 1 = 2026-02-28).
    #[must_use]
    pub fn plus_months(self, months: u32) -> Date {
        let total = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(months);
        let year = i32::try_from(total.div_euclid(12)).unwrap_or(i32::MAX);
        let month = u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as `2026-11-27`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            // A day of the (proleptic Gregorian) calendar: months of 30 and 31 days, and
            // 29 February in leap years only.
            "pattern": "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[048]|[2468][048]|[13579][26])00)-02-29)$",
            "description": "An ISO 8601 calendar date, `YYYY-MM-DD`.",
            "examples": ["2026-11-27"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_canonically() {
        for (text, minutes, shown) in [
            ("30m", 30, "30m"),
            ("4h", 240, "4h"),
            ("2d", 2880, "2d"),
            ("1w", 10080, "1w"),
            ("1d12h", 2160, "1d12h"),
            ("2h30m", 150, "2h30m"),
            ("10d", 14400, "10d"),
            ("0m", 0, "0m"),
        ] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(d.minutes(), minutes, "{text}");
            assert_eq!(d.to_string(), shown, "{text}");
        }
        for bad in [
            "",
            "4",
            "h",
            "4x",
            "30m4h",
            "4h4h",
            "-4h",
            "4 h",
            "99999999999999999999w",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn dates_are_calendar_days() {
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-1-01").is_err());
        let d = Date::parse("2026-11-27").unwrap();
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(d.plus_days(5).to_string(), "2026-12-02");
        assert_eq!(
            Date::parse("2026-01-31")
                .unwrap()
                .plus_months(1)
                .to_string(),
            "2026-02-28"
        );
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    }
}
