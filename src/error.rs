//! Failures of the tool itself (I/O, usage), as opposed to problems in the plan, which are
//! [`crate::diagnostic::Diagnostic`]s. Every variant maps to exit status 2.

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
                write!(f, "cannot read `{}`: {}", path.display(), io_reason(source))
            }
            Error::NoPlan { path } => write!(
                f,
                "`{}` holds no `bcp.yaml`\nhelp: point at a plan folder or a plan file, or create a plan with `bcp init {}`",
                path.display(),
                path.display()
            ),
            Error::NotPlanFile { path, kind } => {
                write!(f, "`{}` is {kind}, not a plan file\nhelp: ", path.display())?;
                f.write_str(if *kind == "a folder" {
                    "a plan folder's main file `bcp.yaml` must be a file: rename or move this folder"
                } else {
                    "give a plan folder holding `bcp.yaml`, or a YAML plan file; a plan coming from a pipe or a device must be saved to a file first"
                })
            }
            Error::WriteOutput { path, source } => {
                write!(
                    f,
                    "cannot write `{}`: {}",
                    path.display(),
                    io_reason(source)
                )
            }
            Error::WouldOverwrite { path } => write!(
                f,
                "`{}` already exists; nothing was written\nhelp: pass `--force` to overwrite it",
                path.display()
            ),
            Error::UnknownCode { code, suggestion } => {
                write!(f, "no rule has the code `{code}`")?;
                match suggestion {
                    Some(s) => write!(f, "\nhelp: did you mean `{s}`?"),
                    None => write!(f, "\nhelp: `bcp explain --list` lists every code"),
                }
            }
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
            Error::NoBrowser { given: Some(path) } => write!(
                f,
                "the browser `{}` was not found\nhelp: give the path of a Chrome or Chromium executable",
                path.display()
            ),
            Error::NoBrowser { given: None } => write!(
                f,
                "no Chrome or Chromium found on PATH (tried {}); PDF needs one\nhelp: install one (Debian: `apt-get install chromium`), pass `--browser PATH`, or render `--format html` and print that",
                crate::render::pdf::CANDIDATES
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Error::Git { command, message } => write!(
                f,
                "`{command}` failed: {message}\nhelp: run it in the plan's git repository with a revision that exists (`git log --oneline` lists them)"
            ),
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
