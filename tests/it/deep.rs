//! Deep plans: no input may overflow the stack. A chain of 200,000 systems (each depending on
//! the next) and a cycle of 100,000 functions go through every command that analyses the
//! plan. Before, 80,000 were enough to abort `validate`, `order`, `graph`, `calltree`,
//! `impact` and `render` with a stack overflow (petgraph's recursive Tarjan).
//!
//! The plans are large (13 MB and 10 MB of YAML), so each command takes a while in a debug
//! build (parsing is most of it): about 5 minutes of CPU for both tests on a busy machine.
//! The time bound only catches a hang.

use crate::common::{stderr, stdout};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// A hang guard, far above the time a run takes even in a debug build on a busy machine.
const HANG: Duration = Duration::from_mins(10);

/// The valid minimal plan, with a call tree so that `bcp calltree` has one to analyse.
fn base() -> String {
    let mut plan = include_str!("../fixtures/validate/valid-minimal/bcp.yaml").to_string();
    plan.push_str(
        "call_tree:\n  tree:\n    - person: p-owner\n      fallback: p-deputy\n      calls: [{person: p-deputy}]\n",
    );
    plan
}

/// Runs `bcp ARGS` in `dir`, asserting it ended by itself (a stack overflow aborts with a
/// signal) without a panic; returns the output.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let o = assert_cmd::Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(HANG)
        .output()
        .expect("bcp runs");
    let code = o.status.code().unwrap_or_else(|| {
        panic!(
            "bcp {args:?} was killed: {:?}\n{}",
            o.status,
            stderr(&o).chars().take(2000).collect::<String>()
        )
    });
    assert_ne!(code, 101, "bcp {args:?} panicked:\n{}", stderr(&o));
    o
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn a_chain_of_200000_systems() {
    let n = 200_000;
    let dir = tempfile::tempdir().unwrap();
    let mut plan = base();
    plan.push_str("systems:\n");
    for i in 0..n {
        let next = if i + 1 < n {
            format!(", depends_on: {{systems: [s{}]}}", i + 1)
        } else {
            String::new()
        };
        let _ = writeln!(
            plan,
            "  - {{id: s{i}, name: x, kind: network, rto: 1h, rpo: 1h{next}}}"
        );
    }
    plan.push_str("functions:\n  - {id: f, name: F, owner: p-owner, tier: essential, rto: 3d, rpo: 1d, mtd: 5d, depends_on: {systems: [s0]}}\n");
    std::fs::write(dir.path().join("chain.yaml"), plan).unwrap();
    let dir = dir.path();
    let today = ["--today", "2026-11-27"];
    let with = |args: &[&'static str]| -> Vec<&'static str> {
        let mut all = vec![args[0], "chain.yaml"];
        all.extend_from_slice(&args[1..]);
        all.extend_from_slice(&today);
        all
    };

    let o = run(dir, &with(&["validate"]));
    assert_eq!((code(&o), stdout(&o).as_str()), (0, "no problems found\n"));

    let o = run(dir, &with(&["order"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("recovery order: 1 function and 200000 systems in 200001 waves\n"),
        "{}",
        stdout(&o).lines().next().unwrap_or_default()
    );

    for format in ["dot", "mermaid"] {
        let o = run(dir, &with(&["graph", "--format", format]));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stdout(&o).contains("s199999"), "{format}");
    }

    let o = run(dir, &with(&["calltree"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let o = run(dir, &with(&["impact", "--lose", "s199999"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("affected systems: 200000\n"),
        "{}",
        stdout(&o).chars().take(1000).collect::<String>()
    );

    let o = run(dir, &with(&["render", "--format", "md", "--out", "out/"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(dir.join("out/full.md").is_file());
}

#[test]
fn a_cycle_of_100000_functions() {
    let n = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let mut plan = base();
    plan.push_str("functions:\n");
    for i in 0..n {
        let _ = writeln!(
            plan,
            "  - {{id: f{i}, name: x, tier: essential, rto: 3d, rpo: 1d, mtd: 5d, depends_on: {{functions: [f{}]}}}}",
            (i + 1) % n
        );
    }
    std::fs::write(dir.path().join("cycle.yaml"), plan).unwrap();
    let dir = dir.path();
    let with = |args: &[&'static str]| -> Vec<&'static str> {
        let mut all = vec![args[0], "cycle.yaml"];
        all.extend_from_slice(&args[1..]);
        all.extend_from_slice(&["--today", "2026-11-27"]);
        all
    };
    // One finding: the cycle, its chain cut in the middle, a bounded number of snippets.
    let o = run(dir, &with(&["validate", "--format", "json"]));
    assert_eq!(code(&o), 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = doc["diagnostics"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc}");
    assert_eq!(findings[0]["code"], "G001");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("dependency cycle: `f0` -> `f1` -> `f2` -> ")
            && message.ends_with(" -> ... 99936 more ... -> `f99999` -> `f0`"),
        "{message}"
    );
    // A bounded number of places, each printed with its snippet (there were 100,000).
    assert_eq!(findings[0]["related"].as_array().unwrap().len(), 15);

    // What needs an order stops with the cycle; what does not works.
    for args in [
        &["order"][..],
        &["impact", "--lose", "p-owner"],
        &["render", "--out", "out/"],
    ] {
        let o = run(dir, &with(args));
        assert_eq!(code(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("error[G001]: dependency cycle"),
            "{args:?}"
        );
    }
    let o = run(dir, &with(&["graph"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("\"f99999\" -> \"f0\""));
    let o = run(dir, &with(&["calltree"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(
        dir,
        &with(&["render", "--force", "--format", "md", "--out", "out/"]),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(dir.join("out/full.md").is_file());
}
