//! "Did you mean": the closest known name to a misspelt one.

/// The candidate closest to `given`, if it is close enough to be a likely typo.
pub fn nearest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (given.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), c))
        .filter(|(d, c)| *d <= limit || (c.contains(given) && given.chars().count() >= 3))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_typos_not_strangers() {
        let ids = ["core-banking", "payments", "atm-network"];
        assert_eq!(super::nearest("core-bankng", ids), Some("core-banking"));
        assert_eq!(super::nearest("paymnets", ids), Some("payments"));
        assert_eq!(super::nearest("hr", ids), None);
    }
}
