//! `bcp validate`: exit codes, positions and every output format.

use crate::common::{bcp, fixture, status, stdout};

#[test]
fn missing_path_is_an_io_error() {
    let o = bcp(&["validate", "tests/fixtures/does-not-exist"]);
    assert_eq!(status(&o), 2);
    assert!(crate::common::stderr(&o).contains("cannot read `tests/fixtures/does-not-exist`"));
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let path = fixture("unknown-key.yaml");
    let o = bcp(&["validate", path.to_str().unwrap(), "--today", "2026-11-27"]);
    assert_eq!(status(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("error[L002]: unknown key `titl`"), "{out}");
    assert!(
        out.contains("--> tests/fixtures/unknown-key.yaml:3:3"),
        "{out}"
    );
    assert!(out.contains("did you mean `title`?"), "{out}");
}
