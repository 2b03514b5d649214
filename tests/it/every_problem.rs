//! One run reports every problem: a file that does not load whole is loaded section by section
//! and entry by entry, and the entries that load are checked.

use crate::common::{Finding, bcp, copy_dir, root, stdout};
use std::path::Path;

const TODAY: &str = "2026-11-27";

/// (code, line, column, message) of every finding, and the exit status.
fn findings(path: &str) -> (i32, Vec<Finding>) {
    let (exit, found, _) = crate::common::findings(path, TODAY);
    (exit, found)
}

fn expect(path: &str, exit: i32, expected: &[(&str, u64, u64, &str)]) {
    let want: Vec<_> = expected
        .iter()
        .map(|(c, l, col, m)| (c.to_string(), *l, *col, m.to_string()))
        .collect();
    assert_eq!(findings(path), (exit, want), "{path}");
}

/// A plan folder made of the valid minimal fixture and the given files.
fn plan(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/validate/valid-minimal"),
        temp.path(),
    );
    for (name, text) in files {
        std::fs::write(temp.path().join(name), text).unwrap();
    }
    temp
}

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn five_mistakes_in_five_entries_are_reported_in_one_run() {
    // A wrong type in a person, a bad duration and an unknown tier in two functions, an
    // unknown key in a system's backup, an impossible date in an exercise; and in a function
    // that loads, an owner who does not exist. References to the entries that did not load
    // (the team's second lead, the procedure's function) are not reported again, nor are
    // the call tree's and the procedures' completeness checks.
    expect(
        "tests/fixtures/load/five-mistakes",
        1,
        &[
            (
                "L002",
                17,
                15,
                "expected `key: value` lines (a mapping) here",
            ),
            (
                "L002",
                39,
                10,
                "unknown unit ` ` in duration `4 hours`; write a whole number and a unit: `30m`, `4h`, `2d`, `1w` (or combined, largest first: `1d12h`)",
            ),
            ("L002", 44, 11, "unknown value `crtical`"),
            (
                "R002",
                52,
                12,
                "unknown person `p-nobody` in function `f-reporting`",
            ),
            ("L002", 62, 10, "unknown key `interval`"),
            ("L002", 75, 11, "`2026-13-01` is not a day of the calendar"),
        ],
    );
    // The same when the file is given on its own.
    let o = bcp(&[
        "validate",
        "tests/fixtures/load/five-mistakes/bcp.yaml",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert!(
        stdout(&o).ends_with("\n6 errors, 0 warnings: 5 L002, 1 R002\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn sections_that_are_not_lists_recover_as_a_whole() {
    // `call_tree` with a wrong type, an unknown top-level key with its "did you mean", and a
    // list entry with a mistake: three findings; the teams' call tree checks wait.
    let dir = plan(&[(
        "more.yaml",
        "call_tree:\n  minutes_per_call: two\nfuctions: []\nteams:\n  - id: t-one\n    name: One\n    kind: management\n    lead: p-owner\n    second_lead: p-deputy\n  - id: t-two\n    name: Two\n    kind: bogus\n    lead: p-owner\n    second_lead: p-deputy\n",
    )]);
    let (exit, found) = findings(path(dir.path()));
    assert_eq!(exit, 1);
    let codes: Vec<_> = found
        .iter()
        .map(|(c, l, _, m)| format!("{c} {l} {m}"))
        .collect();
    assert_eq!(
        codes,
        [
            "L002 2 expected a whole number here",
            "L002 3 unknown key `fuctions`",
            "L002 12 unknown value `bogus`"
        ]
    );
}

#[test]
fn a_file_that_does_not_load_at_all_holds_back_the_checks() {
    // bcp.yaml's owner is defined in a file with a syntax error: the checks would report it
    // unknown, so only the load problem is reported, as before.
    let dir = plan(&[(
        "broken.yaml",
        "people:\n  - id: p-x\n    name: \"unclosed\n",
    )]);
    let (exit, found) = findings(path(dir.path()));
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "L001");

    // An entry whose id cannot be read: what it defined is unknown, the same holds.
    let dir = plan(&[(
        "more.yaml",
        "people:\n  - id: [p-x]\n    name: X\nfunctions:\n  - id: f-a\n    name: A\n    tier: desirable\n    owner: p-nobody\n    rto: 2w\n    rpo: 1w\n    mtd: 4w\n",
    )]);
    let (_, found) = findings(path(dir.path()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("L002", 2));
}

/// An alias may name an anchor in another entry, so a file with aliases is not split: its
/// first problem is reported, as for any file before.
#[test]
fn a_file_with_aliases_reports_its_first_problem() {
    let dir = plan(&[(
        "more.yaml",
        "functions:\n  - id: f-a\n    name: A\n    tier: desirable\n    rto: &long 2w\n    rpo: 1w\n    mtd: 4 weeks\n  - id: f-b\n    name: B\n    tier: bogus\n    rto: *long\n    rpo: 1w\n    mtd: 4w\n",
    )]);
    let (exit, found) = findings(path(dir.path()));
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("L002", 7));
}
