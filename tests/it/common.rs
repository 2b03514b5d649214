//! Helpers shared by the integration tests.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `bcp` with the repository root as working directory, no colour, a fixed `today`-free
/// environment, and no locale (messages follow `--lang` or the plan, not the test machine).
pub fn bcp(args: &[&str]) -> Output {
    bcp_in(&root(), args)
}

pub fn bcp_in(dir: &Path, args: &[&str]) -> Output {
    bcp_env(dir, args, &[] as &[(&str, &str)])
}

/// [`bcp_in`] with `vars` set in that environment (a locale, `TMPDIR`).
pub fn bcp_env<V: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[&str], vars: &[(&str, V)]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(vars.iter().map(|(name, value)| (name, value)))
        .output()
        .expect("the bcp binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit status, asserting the process was not killed by a signal (a panic exits 101).
pub fn status(o: &Output) -> i32 {
    let code = o
        .status
        .code()
        .expect("bcp exited normally, not by a signal");
    assert_ne!(code, 101, "bcp panicked:\n{}", stderr(o));
    code
}

/// Copies a folder tree (a fixture plan into a temporary workspace).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A finding of the JSON format: (code, line, column, message).
pub type Finding = (String, u64, u64, String);

/// `bcp validate PATH --today TODAY --format json`: the exit status, every finding in the order
/// printed, and the whole JSON document.
pub fn findings(path: &str, today: &str) -> (i32, Vec<Finding>, Value) {
    let o = bcp(&["validate", path, "--today", today, "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&o)));
    let found = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (status(&o), found, doc)
}

/// The Chrome or Chromium on PATH, for the tests that print PDF or drive a browser. Missing, it
/// says what was not tested and returns `None`; in CI (`CI` set, where `.ci/run` installs
/// Debian's `chromium`) it fails instead, so that a browser test never passes by skipping.
pub fn chromium(untested: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let message =
            format!("no Chromium on PATH, so {untested} was not tested (`.ci/run` installs it)");
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("SKIPPED: {message}");
    }
    found
}
