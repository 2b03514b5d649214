//! Failures of the tool itself (I/O, usage), as opposed to problems in the plan, which are
//! [`crate::diagnostic::Diagnostic`]s. Every variant maps to exit status 2.

use crate::t;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// The plan path could not be read.
    ReadPlan {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A folder was given that holds no `bcp.yaml`.
    NoPlan { path: PathBuf },
    /// The plan path (or a folder's `bcp.yaml`) is not a regular file or folder: a named
    /// pipe, a device, a socket; or `bcp.yaml` is a folder. `kind` says which (`a named pipe`).
    NotPlanFile { path: PathBuf, kind: &'static str },
    /// An output file could not be written.
    WriteOutput {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output would overwrite a file the user did not ask to replace.
    WouldOverwrite { path: PathBuf },
    /// `bcp explain` was given a code that does not exist.
    UnknownCode {
        code: String,
        suggestion: Option<String>,
    },
    /// A command-line value is invalid.
    Usage { message: String },
    /// A document template (built-in or the plan's own `templates/`) failed.
    Template {
        name: String,
        line: Option<usize>,
        message: String,
    },
    /// `--format pdf` found no Chrome or Chromium.
    NoBrowser { given: Option<PathBuf> },
    /// The browser printing a PDF failed.
    Browser { browser: PathBuf, message: String },
    /// `bcp serve` cannot listen on its address.
    Serve {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
    /// `git` failed reading a plan at a revision (`bcp diff --git`).
    Git { command: String, message: String },
    /// A standards profile (built-in or the plan's own `profiles/`) is unknown or malformed.
    Profile { name: String, message: String },
    /// Writing a DOCX or XLSX document failed inside its writer.
    Document {
        format: &'static str,
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::ReadPlan { path, source } => {
                let reason = io_reason(source);
                f.write_str(&t!("error.read_plan", path = path.display(), reason))
            }
            Error::NoPlan { path } => f.write_str(&with_help(
                t!("error.no_plan.message", path = path.display()),
                t!("error.no_plan.help", path = path.display()),
            )),
            Error::NotPlanFile { path, kind } => {
                let folder = crate::i18n::raw(crate::i18n::current(), "file_kind.folder");
                f.write_str(&with_help(
                    t!("error.not_plan_file.message", path = path.display(), kind),
                    if *kind == folder {
                        t!("error.not_plan_file.folder_help")
                    } else {
                        t!("error.not_plan_file.help")
                    },
                ))
            }
            Error::WriteOutput { path, source } => {
                let reason = io_reason(source);
                f.write_str(&t!("error.write_output", path = path.display(), reason))
            }
            Error::WouldOverwrite { path } => f.write_str(&with_help(
                t!("error.would_overwrite.message", path = path.display()),
                t!("error.would_overwrite.help"),
            )),
            Error::UnknownCode { code, suggestion } => f.write_str(&with_help(
                t!("error.unknown_code.message", code),
                match suggestion {
                    Some(suggestion) => t!("did_you_mean", suggestion),
                    None => t!("error.unknown_code.help"),
                },
            )),
            Error::Usage { message } => f.write_str(message),
            Error::Template {
                name,
                line,
                message,
            } => {
                write!(f, "template `{name}`")?;
                if let Some(line) = line {
                    write!(f, ", line {line}")?;
                }
                write!(f, ": {message}")
            }
            Error::NoBrowser { given: Some(path) } => f.write_str(&with_help(
                t!("error.browser_not_found.message", path = path.display()),
                t!("error.browser_not_found.help"),
            )),
            Error::NoBrowser { given: None } => f.write_str(&with_help(
                t!(
                    "error.no_browser.message",
                    tried = crate::render::pdf::CANDIDATES
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                t!("error.no_browser.help"),
            )),
            Error::Git { command, message } => f.write_str(&with_help(
                t!("error.git.message", command, message),
                t!("error.git.help"),
            )),
            Error::Profile { name, message } => write!(f, "profile `{name}`: {message}"),
            Error::Document { format, message } => {
                write!(f, "writing the {format} document failed: {message}")
            }
            Error::Browser { browser, message } => {
                write!(
                    f,
                    "printing the PDF with `{}` failed: {message}",
                    browser.display()
                )
            }
            Error::Serve { address, source } => {
                write!(f, "cannot serve on `{address}`: {}", io_reason(source))?;
                match source.kind() {
                    std::io::ErrorKind::AddrInUse => f.write_str(
                        "\nhelp: another program uses the port; choose another with `--port N`, or `--port 0` for any free one",
                    ),
                    std::io::ErrorKind::PermissionDenied => f.write_str(
                        "\nhelp: ports below 1024 need privileges; choose a port above 1024 with `--port N`",
                    ),
                    std::io::ErrorKind::AddrNotAvailable => f.write_str(
                        "\nhelp: `--bind` must be an address of this machine, such as 127.0.0.1 or 0.0.0.0",
                    ),
                    _ => Ok(()),
                }
            }
        }
    }
}

/// A message and its help line, as `main` prints them after `error: `.
fn with_help(message: impl std::fmt::Display, help: impl std::fmt::Display) -> String {
    let word = crate::i18n::raw(crate::i18n::current(), "report.help");
    format!("{message}\n{word}: {help}")
}

/// The OS reason, lowercase and without the "(os error 2)" suffix.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text).to_string();
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or(text)
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::ReadPlan { source, .. }
            | Error::WriteOutput { source, .. }
            | Error::Serve { source, .. } => Some(source),
            _ => None,
        }
    }
}
