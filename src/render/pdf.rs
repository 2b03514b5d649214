//! PDF: the HTML page printed by a headless Chrome or Chromium. The browser is found on PATH
//! (`chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable`) or given with
//! `--browser`; it runs with a fresh profile, no network services, and no header or footer
//! of its own (the stylesheet prints page numbers).

use crate::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser names tried on PATH, in order.
pub const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// How long one page may take to print before the browser is stopped.
const TIMEOUT: Duration = Duration::from_mins(3);

/// The browser to use: `--browser`, else the first candidate found on PATH.
///
/// # Errors
/// [`Error::NoBrowser`] when none is found.
pub fn find_browser(given: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(path) = given {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        if let Some(found) = on_path(&path.to_string_lossy()) {
            return Ok(found);
        }
        return Err(Error::NoBrowser {
            given: Some(path.to_path_buf()),
        });
    }
    CANDIDATES
        .iter()
        .find_map(|name| on_path(name))
        .ok_or(Error::NoBrowser { given: None })
}

fn on_path(name: &str) -> Option<PathBuf> {
    if name.contains(std::path::MAIN_SEPARATOR) {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Prints one HTML page to PDF bytes.
///
/// # Errors
/// [`Error::Browser`] when the browser fails, times out or writes no PDF.
pub fn print(browser: &Path, html: &[u8]) -> Result<Vec<u8>, Error> {
    let fail = |message: String| Error::Browser {
        browser: browser.to_path_buf(),
        message,
    };
    let work =
        tempfile::tempdir().map_err(|e| fail(format!("cannot create a temporary folder: {e}")))?;
    let input = work.path().join("document.html");
    let output = work.path().join("document.pdf");
    let profile = work.path().join("profile");
    std::fs::write(&input, html)
        .map_err(|e| fail(format!("cannot write the temporary page: {e}")))?;
    // The browser's chatter goes to a file: a pipe nobody reads could fill up and stall it.
    let log_path = work.path().join("browser.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| fail(format!("cannot create a log file: {e}")))?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", output.display()))
        .arg(file_url(&input))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .map_err(|e| fail(format!("cannot start it: {e}")))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "it did not finish within {} seconds",
                    TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(fail(format!("cannot wait for it: {e}"))),
        }
    };
    let stderr = std::fs::read_to_string(&log_path).unwrap_or_default();
    match std::fs::read(&output) {
        Ok(bytes) if bytes.starts_with(b"%PDF") => Ok(bytes),
        _ => {
            let last: Vec<&str> = stderr
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            // `ExitStatus` prints as "exit status: 1": say it in our words.
            let ended = match status.code() {
                Some(code) => format!("it exited with status {code}"),
                None => "it was stopped by a signal".to_string(),
            };
            Err(fail(format!(
                "{ended} and wrote no PDF{}{}",
                if last.is_empty() { "" } else { ":\n" },
                last.join("\n")
            )))
        }
    }
}

/// A `file://` URL for a local path, percent-encoding what a URL cannot hold.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            let _ = write!(url, "%{b:02X}");
        }
    }
    url
}
