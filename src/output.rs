//! Writing output files: a run's documents, produced in memory first (a name and bytes each),
//! are placed by the `--out` rules and written together, atomically, readable by others,
//! never through links or devices, never over the plan's own files.
//!
//! Formats only produce [`Document`]s; [`place`] decides the paths, [`write_set`] writes them.
//!
//! The `--out` rules (also in `--help`, README and docs/format.md):
//! 1. **A folder** when `--out` ends in `/`, names an existing folder, or several documents
//!    are asked for (`--doc all`): each document is written into it under its own name
//!    (`full.html`, `bia.csv`). A missing folder is created, with its parents.
//! 2. **A file** otherwise. Its extension must be the document's (`.html`, `.md`, `.pdf`), or
//!    is added when the name has none (`--out plan` writes `plan.html`); any other extension
//!    is refused. A document's companion (the BIA's CSV) is written beside it under the same
//!    name with its own extension (`--out report.html` also writes `report.csv`).
//! 3. `--out` may not be a symbolic link, whatever it points at (a file, a folder, nothing),
//!    nor may any file written be one.
//! 4. Nothing is written over a file the plan was loaded from, nor inside the plan's
//!    `templates/` folder; no path is written twice in a run.
//!
//! Every check is made before the first byte is written: a refusal writes nothing.

mod content;

pub use content::Content;

use crate::error::Error;
use crate::t;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// One file of a run, produced before anything is written: its name (a file name, or a path
/// relative to the output folder such as `it/systems.yaml`) and its bytes.
#[derive(Debug)]
pub struct Document {
    pub name: String,
    pub content: Content,
    /// What the reader should know about this file (a font missing for the diagrams, wallet
    /// card content left out), reported with it by [`report`].
    pub notes: Vec<String>,
}

/// What a run wrote, for stderr: `wrote PATH` for each file, then its notes; plan text in it
/// escaped for the terminal.
pub fn report(paths: &[PathBuf], documents: &[Document]) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for (path, document) in paths.iter().zip(documents) {
        let _ = writeln!(text, "wrote {}", path.display());
        for note in &document.notes {
            let _ = writeln!(text, "note: {}: {note}", path.display());
        }
    }
    crate::escape::terminal(&text).into_owned()
}

/// What to do when a target is a symbolic link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// Replace the link by the new file (`bcp init --force` in its own folder).
    Replace,
    /// Refuse: the user named a link as output.
    Refuse,
}

/// What to do when a target exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (`render` replaces its own earlier output).
    Replace,
    /// Refuse with [`Error::WouldOverwrite`] (`init` without `--force`).
    Refuse,
}

/// Paths no run may write: the plan's own files and its `templates/` and `profiles/` folders.
#[derive(Debug, Default, Clone)]
pub struct Protected {
    /// Files the plan was loaded from.
    pub files: Vec<PathBuf>,
    /// Folders nothing may be written into.
    pub folders: Vec<PathBuf>,
}

/// Where each document goes by the `--out` rules (module docs): `documents[0]` is the main
/// document; with `folder` (several documents asked for) `--out` is always a folder.
///
/// # Errors
/// [`Error::Usage`] for an `--out` the rules refuse (nothing has been written).
pub fn place(
    out: &Path,
    documents: &[Document],
    folder: bool,
    protected: &Protected,
) -> Result<Vec<PathBuf>, Error> {
    let usage = |message: String| Error::Usage { message };
    let shown = out.display();
    if out.as_os_str().is_empty() {
        return Err(usage(t!("out.empty")));
    }
    if let Some(reason) = protected.refuses(out) {
        return Err(usage(t!("out.refused", path = shown, reason)));
    }
    if is_link(out) {
        return Err(usage(t!("out.link", path = shown)));
    }
    let into_folder = folder || ends_with_separator(out) || out.is_dir();
    let paths: Vec<PathBuf> = if into_folder {
        if out.exists() && !out.is_dir() {
            return Err(usage(t!("out.file_not_folder", path = shown)));
        }
        documents.iter().map(|d| out.join(&d.name)).collect()
    } else {
        let Some(main) = documents.first() else {
            return Ok(Vec::new());
        };
        let wanted = extension(&main.name);
        let file = match out.extension().and_then(|e| e.to_str()) {
            Some(given) if given.eq_ignore_ascii_case(wanted) => out.to_path_buf(),
            None if !wanted.is_empty() => {
                let mut name = out.as_os_str().to_owned();
                name.push(format!(".{wanted}"));
                PathBuf::from(name)
            }
            None => out.to_path_buf(),
            Some(given) => {
                let stem = out.with_extension("").display().to_string();
                let mut help = t!("out.name_file", wanted, stem);
                let beside: Vec<String> = documents[1..]
                    .iter()
                    .map(|d| format!("`{stem}.{}`", extension(&d.name)))
                    .collect();
                if !beside.is_empty() {
                    let files = beside.join(&t!("out.and"));
                    help = t!("out.beside", help, files);
                }
                return Err(usage(t!(
                    "out.wrong_extension",
                    path = shown,
                    given,
                    wanted,
                    help,
                    stem
                )));
            }
        };
        let mut paths = vec![file.clone()];
        paths.extend(
            documents[1..]
                .iter()
                .map(|d| file.with_extension(extension(&d.name))),
        );
        paths
    };
    for path in &paths {
        if let Some(reason) = protected.refuses(path) {
            return Err(usage(t!("out.refused", path = path.display(), reason)));
        }
    }
    for (i, path) in paths.iter().enumerate() {
        if paths[..i].iter().any(|p| same_place(p, path)) {
            return Err(usage(t!(
                "out.twice",
                path = path.display(),
                stem = out.with_extension("").display()
            )));
        }
    }
    Ok(paths)
}

/// The extension of a document name (`html` for `full.html`), or `""`.
fn extension(name: &str) -> &str {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
}

fn ends_with_separator(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

fn is_link(path: &Path) -> bool {
    // `out/` names the folder the link points at for the OS; look at the link itself.
    let text = path.as_os_str().to_string_lossy();
    let bare = Path::new(text.trim_end_matches(['/', std::path::MAIN_SEPARATOR]));
    let bare = if bare.as_os_str().is_empty() {
        path
    } else {
        bare
    };
    std::fs::symlink_metadata(bare).is_ok_and(|m| m.file_type().is_symlink())
}

impl Protected {
    /// What a run that writes documents from `loaded` may not write: the plan's own files and
    /// its `templates/` and `profiles/` folders (`render`, `questionnaire`).
    pub fn plan(loaded: &crate::load::Loaded) -> Self {
        // A plan loaded from memory has no folder and no files on disk.
        if loaded.root.as_os_str().is_empty() {
            return Protected::default();
        }
        Protected {
            files: loaded
                .sources
                .files()
                .iter()
                // A workbook cell read by `questionnaire import` is no plan file.
                .filter(|f| f.cell.is_none())
                .map(|f| loaded.root.join(&f.relative))
                .collect(),
            folders: vec![loaded.root.join("templates"), loaded.root.join("profiles")],
        }
    }

    /// Why `path` may not be written, if it may not.
    fn refuses(&self, path: &Path) -> Option<String> {
        if let Some(file) = self.files.iter().find(|f| same_file(f, path)) {
            return Some(t!("out.plan_file", file = file.display()));
        }
        let resolved = resolve(path);
        self.folders
            .iter()
            .find(|dir| resolved.starts_with(resolve(dir)))
            .map(|dir| {
                let folder = dir.file_name().unwrap_or_default().to_string_lossy();
                t!("out.plan_folder", folder)
            })
    }
}

/// Whether two paths name the same existing file (links followed; on Unix also hard links).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        a.canonicalize().ok() == b.canonicalize().ok()
    }
}

/// Whether two output paths are the same place, existing or not.
fn same_place(a: &Path, b: &Path) -> bool {
    same_file(a, b) || resolve(a) == resolve(b)
}

/// An absolute path with links resolved as far as the path exists, and `.`/`..` applied to
/// the rest: where a file would be written.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The longest existing ancestor, canonicalised; the rest appended.
    let mut base = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = base.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        let (Some(parent), Some(last)) = (base.parent(), base.components().next_back()) else {
            return absolute;
        };
        rest.push(last);
        base = parent;
    }
}

/// Writes a set of files together: every check first (a refusal writes nothing), then each
/// file to a temporary file beside its target, flushed to disk, then all renamed into place
/// at the end. A failure or a kill before the renames leaves every earlier file as it was;
/// the renames take microseconds. Files are readable by others (0644). Temporary files of
/// earlier runs that were killed are removed from the folders written to.
///
/// # Errors
/// [`Error::WriteOutput`] (a target that is a folder, a device or, with [`Links::Refuse`], a
/// link; a disk error) or, with [`Existing::Refuse`], [`Error::WouldOverwrite`].
pub fn write_set<B: Bytes>(
    files: &[(PathBuf, B)],
    links: Links,
    existing: Existing,
) -> Result<(), Error> {
    for (path, _) in files {
        check_target(path, links, existing)?;
    }
    let mut folders: Vec<PathBuf> = files.iter().map(|(p, _)| folder_of(p)).collect();
    folders.sort();
    folders.dedup();
    for dir in &folders {
        std::fs::create_dir_all(dir).map_err(|source| Error::WriteOutput {
            path: dir.clone(),
            source,
        })?;
        remove_stale_temporaries(dir);
    }
    // Written and flushed, not yet in place; dropped (deleted) on any failure.
    let mut pending = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        pending.push((path, temporary(path, bytes)?));
    }
    for (path, tmp) in pending {
        tmp.persist(path).map_err(|e| Error::WriteOutput {
            path: path.clone(),
            source: e.error,
        })?;
    }
    Ok(())
}

/// Writes documents to the paths [`place`] gave them, as one set (see [`write_set`]): links
/// refused, existing files replaced.
///
/// # Errors
/// As [`write_set`].
pub fn write_documents(paths: &[PathBuf], documents: &[Document]) -> Result<(), Error> {
    let set: Vec<(PathBuf, &Content)> = paths
        .iter()
        .cloned()
        .zip(documents.iter().map(|d| &d.content))
        .collect();
    write_set(&set, Links::Refuse, Existing::Replace)
}

/// Writes one file atomically (see [`write_set`]).
///
/// # Errors
/// As [`write_set`].
pub fn write_atomic(path: &Path, bytes: &[u8], links: Links) -> Result<(), Error> {
    write_set(&[(path.to_path_buf(), bytes)], links, Existing::Replace)
}

/// An existing target that is not a regular file (a folder, a pipe, a device) is refused;
/// a symbolic link is never written through: with [`Links::Replace`] the link itself is
/// replaced by the new file, with [`Links::Refuse`] it is an error (`--out /dev/stdout` and
/// the like are links whose replacement would do harm).
fn check_target(path: &Path, links: Links, existing: Existing) -> Result<(), Error> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if existing == Existing::Refuse {
        return Err(Error::WouldOverwrite {
            path: path.to_path_buf(),
        });
    }
    let refused = if meta.file_type().is_symlink() {
        (links == Links::Refuse).then_some(
            "it is a symbolic link, which bcp neither follows nor replaces; name the real file",
        )
    } else {
        (!meta.is_file()).then_some("it exists and is not a regular file; name a file to write")
    };
    match refused {
        Some(reason) => Err(Error::WriteOutput {
            path: path.to_path_buf(),
            source: std::io::Error::other(reason),
        }),
        None => Ok(()),
    }
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Temporary files are `.bcp-<pid>-<random>.tmp`: the process id tells a later run whether
/// the writer is still alive.
const TEMP_PREFIX: &str = ".bcp-";
const TEMP_SUFFIX: &str = ".tmp";

/// What a file of a set is written from.
pub trait Bytes {
    /// # Errors
    /// Writing to `out` failed, or reading the bytes did.
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

impl Bytes for &[u8] {
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(self)
    }
}

impl Bytes for &Content {
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        Content::write_to(self, out)
    }
}

/// `bytes` in a temporary file in `path`'s folder, flushed to disk, mode 0644.
fn temporary(path: &Path, bytes: &impl Bytes) -> Result<tempfile::NamedTempFile, Error> {
    let fail = |source| Error::WriteOutput {
        path: path.to_path_buf(),
        source,
    };
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(folder_of(path)).map_err(fail)?;
    let mut out = std::io::BufWriter::new(tmp.as_file_mut());
    bytes
        .write_to(&mut out)
        .and_then(|()| out.flush())
        .map_err(fail)?;
    drop(out);
    tmp.as_file().sync_all().map_err(fail)?;
    Ok(tmp)
}

/// Removes temporary files a killed run of bcp left in `dir`: `.bcp-<pid>-<random>.tmp`
/// whose process is gone (or, where that cannot be known, older than a day), and the
/// `.bcp-XXXXXX` of earlier versions when older than an hour. Best effort: a file that
/// cannot be removed is left.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let age = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .unwrap_or_default();
        let hours = std::time::Duration::from_hours;
        let stale = match rest
            .strip_suffix(TEMP_SUFFIX)
            .and_then(|r| r.split_once('-'))
        {
            Some((pid, random)) if is_word(pid, |c| c.is_ascii_digit()) && !random.is_empty() => {
                match process_alive(pid) {
                    Some(alive) => !alive,
                    None => age > hours(24),
                }
            }
            // Before the process id was in the name: six random letters or digits.
            _ => rest.len() == 6 && is_word(rest, |c| c.is_ascii_alphanumeric()) && age > hours(1),
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn is_word(text: &str, ok: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(ok)
}

/// Whether a process runs, where the system says (`/proc`); `None` elsewhere.
fn process_alive(pid: &str) -> Option<bool> {
    if pid == std::process::id().to_string() {
        return Some(true);
    }
    let proc = Path::new("/proc");
    proc.join("self").exists().then(|| proc.join(pid).exists())
}
