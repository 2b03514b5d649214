//! "Did you mean": the closest known name to a misspelt one.
//!
//! [`nearest`] compares a name with every candidate: for short fixed lists (keys, rule codes,
//! a scenario given on the command line). [`Candidates`] indexes a plan's ids once, so that
//! each of many unknown references is compared with a bounded number of them: comparing every
//! unknown reference with every id made 50,000 of them take minutes.

/// Names longer than this get no suggestion: no id is that long (R004 allows 100 characters),
/// and comparing long texts costs the square of their length.
const MAX_CHARS: usize = 128;

/// Candidates compared on each side of a name's place in each sorted order.
const WINDOW: usize = 16;

/// The candidate closest to `given`, if it is close enough to be a likely typo: at most a
/// third of its characters changed (inserted, deleted, replaced, or two neighbours swapped),
/// or a longer name that contains it. Ties go to the name that sorts first.
pub fn nearest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = given.chars().count();
    if len > MAX_CHARS {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|c| {
            let c_len = c.chars().count();
            // A name that contains `given` differs by exactly the letters added around it.
            if len >= 3 && c_len > len && c.contains(given) {
                return Some((c_len - len, c));
            }
            // Too different in length to be within the limit: no need to compare.
            if c_len.abs_diff(len) > limit {
                return None;
            }
            let d = strsim::osa_distance(given, c);
            (d <= limit).then_some((d, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// Names indexed for "did you mean", so that a lookup compares a bounded number of them:
/// - the names next to the given one when all are sorted as written (a typo late in a name
///   keeps its start) and sorted written backwards (a typo early in a name keeps its end);
/// - the names that share a one-character deletion with it (a typo anywhere: `persn` and
///   `person` both become `persn`), found in a sorted list of deletion hashes.
///
/// Finding the places is O(log n); each lookup then compares at most `4 * WINDOW` plus
/// [`MAX_SHARED`] names, whatever the number of names.
#[derive(Debug, Default)]
pub struct Candidates {
    forward: Vec<String>,
    /// Each name reversed, with its index in `forward`.
    backward: Vec<(String, usize)>,
    /// Hash of each name and of each one-character deletion of it, with the name's index in
    /// `forward`; sorted. A hash collision only adds a name to compare.
    deletions: Vec<(u64, usize)>,
}

/// Names compared through shared deletions, per lookup.
const MAX_SHARED: usize = 64;

impl Candidates {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut forward: Vec<String> = names.into_iter().map(str::to_string).collect();
        forward.sort_unstable();
        forward.dedup();
        let mut backward: Vec<(String, usize)> = forward
            .iter()
            .enumerate()
            .map(|(i, n)| (n.chars().rev().collect(), i))
            .collect();
        backward.sort_unstable();
        let mut deletions = Vec::new();
        for (i, name) in forward.iter().enumerate() {
            if name.chars().count() <= MAX_CHARS {
                deletions.extend(deletion_hashes(name).map(|h| (h, i)));
            }
        }
        deletions.sort_unstable();
        deletions.dedup();
        Candidates {
            forward,
            backward,
            deletions,
        }
    }

    /// The names worth comparing with `given`.
    pub fn near<'s>(&'s self, given: &str) -> impl Iterator<Item = &'s str> {
        let around = |at: usize, len: usize| at.saturating_sub(WINDOW)..(at + WINDOW).min(len);
        let at = self.forward.partition_point(|n| n.as_str() < given);
        let reversed: String = given.chars().rev().collect();
        let back_at = self.backward.partition_point(|(n, _)| *n < reversed);
        let forward = self.forward[around(at, self.forward.len())]
            .iter()
            .map(String::as_str);
        let backward = self.backward[around(back_at, self.backward.len())]
            .iter()
            .map(|(_, i)| self.forward[*i].as_str());
        let mut shared: Vec<usize> = Vec::new();
        if given.chars().count() <= MAX_CHARS {
            for h in deletion_hashes(given) {
                let start = self.deletions.partition_point(|(d, _)| *d < h);
                shared.extend(
                    self.deletions[start..]
                        .iter()
                        .take_while(|(d, _)| *d == h)
                        .map(|(_, i)| *i)
                        .take(MAX_SHARED),
                );
                if shared.len() >= MAX_SHARED {
                    break;
                }
            }
        }
        shared.sort_unstable();
        shared.dedup();
        shared.truncate(MAX_SHARED);
        forward
            .chain(backward)
            .chain(shared.into_iter().map(|i| self.forward[i].as_str()))
    }

    /// The nearest name to `given`, as [`nearest`] finds it among [`Candidates::near`].
    pub fn nearest(&self, given: &str) -> Option<&str> {
        nearest(given, self.near(given))
    }
}

/// Hashes of a name and of each text made by deleting one of its characters. A simple
/// multiplicative hash over the bytes, fed the text before and after the deleted character,
/// so no shorter text is built: this runs for every character of every id.
fn deletion_hashes(name: &str) -> impl Iterator<Item = u64> + '_ {
    fn feed(mut h: u64, bytes: &[u8]) -> u64 {
        for &b in bytes {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        h
    }
    let bytes = name.as_bytes();
    std::iter::once(feed(0, bytes)).chain(
        name.char_indices()
            .map(move |(i, c)| feed(feed(0, &bytes[..i]), &bytes[i + c.len_utf8()..])),
    )
}

#[cfg(test)]
mod tests {
    use super::Candidates;

    #[test]
    fn finds_typos_not_strangers() {
        let ids = ["core-banking", "payments", "atm-network"];
        assert_eq!(super::nearest("core-bankng", ids), Some("core-banking"));
        assert_eq!(super::nearest("paymnets", ids), Some("payments"));
        assert_eq!(super::nearest("hr", ids), None);
        assert_eq!(super::nearest("bank", ids), Some("core-banking"));
    }

    #[test]
    fn the_index_finds_typos_at_either_end_among_many_names() {
        let names: Vec<String> = (0..50_000).map(|i| format!("system-{i:05}")).collect();
        let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
        all.extend(["core-banking", "payments"]);
        let index = Candidates::new(all.iter().copied());
        assert_eq!(index.nearest("core-bankng"), Some("core-banking"));
        assert_eq!(index.nearest("xore-banking"), Some("core-banking"));
        assert_eq!(index.nearest("system-01234x"), Some("system-01234"));
        assert_eq!(index.nearest("sistem-01234"), Some("system-01234"));
        // A typo in the middle and one at the end, among names that share a long start.
        assert_eq!(index.nearest("sytem-01234x"), Some("system-01234"));
        assert_eq!(index.nearest("hr"), None);
        assert!(index.near("anything").count() <= 4 * super::WINDOW + super::MAX_SHARED);
    }
}
