//! Plan files -> [`Plan`] with source positions. The only module that knows the YAML crate.
//!
//! A plan is one YAML file, or a folder holding `bcp.yaml` and any `*.yaml`/`*.yml` below it.
//! Each file may hold any sections; lists are merged in path order (`bcp.yaml` first). A file
//! that does not parse becomes a diagnostic and the others still load, so one run reports
//! every problem.

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::file_filter::{FileFilter, SKIPPED_AT_TOP, SKIPPED_EVERYWHERE};
use crate::model::{FileSelection, Plan, PlanFile, Sp, Span};
use crate::t;
use serde::Deserialize;
use std::cell::Cell;
use std::io::Read as _;
use std::path::{Path, PathBuf};

mod messages;
mod outline;
mod recover;
mod unquoted;

/// Largest plan file read. Far above any real plan file (a 10,000-function plan split by
/// department is a few MB a file), and a clear refusal instead of minutes of parsing.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Deepest folder nesting searched for plan files.
const MAX_FOLDER_DEPTH: usize = 16;

/// The plan's files: display path and text, indexed by [`Span::file`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user will recognise it: the plan path they gave, joined with the
    /// file's path inside the plan folder.
    pub display: String,
    /// Path inside the plan folder (the file name for a single-file plan).
    pub relative: PathBuf,
    pub text: String,
    /// For an answer in a workbook: the cell (`Sheet!B4`) the text came from; `display` is
    /// then the workbook's path, and positions have no line or column.
    pub cell: Option<String>,
    /// Byte offset of each line start, for snippets: computed when a snippet is first shown,
    /// so a clean run of a large plan never pays for it (it was 6 MB for 10,000 functions).
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Set while the text is forgotten ([`Sources::forget_texts`]): a hash of it, to know the
    /// file read back is the one that was checked.
    forgotten: Option<u64>,
}

impl Sources {
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn display_path(&self, file: u32) -> String {
        self.files
            .get(file as usize)
            .map_or_else(String::new, |f| f.display.clone())
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, file: u32, line: u32) -> Option<&str> {
        let f = self.files.get(file as usize)?;
        let index = (line as usize).checked_sub(1)?;
        let line_starts = f.line_starts.get_or_init(|| line_starts(&f.text));
        let start = *line_starts.get(index)?;
        let end = line_starts.get(index + 1).copied().unwrap_or(f.text.len());
        Some(f.text[start..end].trim_end_matches(['\n', '\r']))
    }

    fn push(&mut self, display: String, relative: PathBuf, text: String) -> u32 {
        self.files.push(SourceFile {
            display,
            relative,
            text,
            cell: None,
            line_starts: std::sync::OnceLock::new(),
            forgotten: None,
        });
        u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX)
    }

    /// Adds a workbook cell as a source, so diagnostics about an answer point at
    /// `FILE:SHEET!CELL`; `text` is the cell's content.
    pub fn push_cell(&mut self, workbook: String, cell: String, text: String) -> u32 {
        let index = self.push(workbook, PathBuf::new(), text);
        if let Some(f) = self.files.last_mut() {
            f.cell = Some(cell);
        }
        index
    }

    /// Frees the files' texts (19 MB on a 10,000-function plan) and keeps their paths and a
    /// hash of each, for a command past the checks that read them: a snippet shown afterwards
    /// is empty unless [`Sources::read_back`] brings the texts back. The cell of a workbook
    /// cannot be read back: it is kept.
    pub fn forget_texts(&mut self) {
        for f in self.files.iter_mut().filter(|f| f.cell.is_none()) {
            if f.forgotten.is_none() {
                f.forgotten = Some(text_hash(&f.text));
            }
            f.text = String::new();
            f.line_starts = std::sync::OnceLock::new();
        }
    }

    /// Reads the forgotten texts back from the plan folder `root`, for snippets. A file that
    /// cannot be read or no longer holds the text that was checked stays forgotten: its
    /// snippets are left out rather than quote lines that were not checked.
    pub fn read_back(&mut self, root: &Path) {
        if root.as_os_str().is_empty() {
            return;
        }
        for f in &mut self.files {
            let Some(hash) = f.forgotten else { continue };
            // A file with a load problem reads back as it was loaded (the valid part of a
            // file that is not UTF-8): the snippet of the problem.
            if let Ok((text, _)) = read_text(&root.join(&f.relative))
                && text_hash(&text) == hash
            {
                f.text = text;
                f.line_starts = std::sync::OnceLock::new();
                f.forgotten = None;
            }
        }
    }

    /// The cell a source stands for, when it is a workbook answer.
    pub fn cell(&self, file: u32) -> Option<&str> {
        self.files.get(file as usize)?.cell.as_deref()
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// Byte offset of each line start. Line breaks are YAML's (`\r\n`, `\r` or `\n`), so that
/// the parser's line numbers and ours agree on any line ending.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(i + 1);
        }
    }
    starts
}

/// What loading produced: the merged plan, its sources, and the problems found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub plan: Plan,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// What the plan lacks because parts of its files did not load.
    pub unloaded: Unloaded,
    /// The plan folder (the file's folder for a single-file plan): where `templates/` is looked
    /// for. Empty for a plan loaded from memory, which has no folder.
    pub root: PathBuf,
}

/// What parts of the plan's files did not load (each with a load finding), so that the checks
/// of the parts that did are not misled by their absence.
#[derive(Debug, Default)]
pub struct Unloaded {
    /// Ids of list entries that did not load.
    pub ids: std::collections::BTreeSet<String>,
    /// Sections with an entry (or the whole section) that did not load.
    pub sections: std::collections::BTreeSet<String>,
    /// Whether what did not load is not known: a whole file, or a list entry whose `id` could
    /// not be read. The checks that rely on the plan's ids do not run then.
    pub unknown: bool,
}

impl Unloaded {
    fn absorb(&mut self, other: Unloaded) {
        self.ids.extend(other.ids);
        self.sections.extend(other.sections);
        self.unknown |= other.unknown;
    }
}

/// Loads the plan at `path`, a YAML file or a plan folder.
///
/// # Errors
/// [`Error`] when the path cannot be read or is not a plan; problems inside the plan's files
/// are diagnostics in [`Loaded::diagnostics`].
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let meta = std::fs::metadata(path).map_err(|source| Error::ReadPlan {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        return load_folder(path);
    }
    if !meta.is_file() {
        // A named pipe would block the read until something writes to it, a device may never
        // end: refuse before opening.
        return Err(Error::NotPlanFile {
            path: path.to_path_buf(),
            kind: file_kind(&meta),
        });
    }
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    // `bcp.yaml` alone: the plan folder is the working directory, written out so that an
    // empty path always means "no folder" (see `load_bytes`).
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let (text, problem) = read_text(&root.join(&name))?;
    Ok(assemble(
        root,
        vec![(path.display().to_string(), name, text, problem)],
        false,
    ))
}

/// The language a plan declares (`plan: {lang: ...}` in `bcp.yaml`, or in the one plan file),
/// read before loading so that the loader's own messages are in it. A quick look at the text,
/// not a parse: `None` when the file cannot be read or says nothing plain (the environment's
/// language is used then).
pub fn declared_lang(path: &Path) -> Option<crate::model::Lang> {
    let file = if path.is_dir() {
        path.join("bcp.yaml")
    } else {
        path.to_path_buf()
    };
    // Only regular files: a named pipe would block the read.
    if !std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let mut in_plan = false;
    for line in text.lines() {
        if !line.starts_with([' ', '\t', '#']) && !line.is_empty() {
            in_plan = line.split(" #").next().unwrap_or_default().trim_end() == "plan:";
            continue;
        }
        if let Some(value) = line.trim_start().strip_prefix("lang:")
            && in_plan
        {
            let value = value.split(" #").next().unwrap_or_default().trim();
            return crate::i18n::parse_lang(value.trim_matches(['"', '\'']));
        }
    }
    None
}

/// What a plan folder holds: `bcp.yaml`, read first because its `files:` section says which
/// other YAML files below the folder are plan files, and those files.
struct FolderFiles {
    main_text: String,
    main_problem: Option<Diagnostic>,
    /// The other plan files, relative to the folder, in path order.
    others: Vec<PathBuf>,
    /// Problems of the `files:` patterns (positions in `bcp.yaml`).
    pattern_problems: Vec<Diagnostic>,
    skipped: Vec<Skipped>,
}

fn folder_files(dir: &Path) -> Result<FolderFiles, Error> {
    let main = dir.join("bcp.yaml");
    match std::fs::metadata(&main) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            return Err(Error::NotPlanFile {
                path: main,
                kind: file_kind(&meta),
            });
        }
        Err(_) => {
            return Err(Error::NoPlan {
                path: dir.to_path_buf(),
            });
        }
    }
    let (main_text, main_problem) = read_text(&main)?;
    let selection = if main_problem.is_none() {
        file_selection(&main_text)
    } else {
        FileSelection::default()
    };
    let (filter, pattern_problems) = FileFilter::new(&selection);
    let mut skipped = Vec::new();
    let others = selected_files(dir, &filter, &mut skipped)?;
    Ok(FolderFiles {
        main_text,
        main_problem,
        others,
        pattern_problems,
        skipped,
    })
}

/// The plan files of a folder, relative to it: `bcp.yaml` first, then the files its `files:`
/// section selects, in path order. Files named like plan files that cannot be read as one are
/// added to `skipped`. The preview watches these files.
///
/// # Errors
/// When the folder has no `bcp.yaml`, or it or a folder below cannot be read.
pub fn plan_files(dir: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<PathBuf>, Error> {
    let found = folder_files(dir)?;
    skipped.extend(found.skipped);
    Ok(std::iter::once(PathBuf::from("bcp.yaml"))
        .chain(found.others)
        .collect())
}

/// Loads a plan folder: `bcp.yaml` first, then the files it selects.
fn load_folder(dir: &Path) -> Result<Loaded, Error> {
    let main = Path::new("bcp.yaml");
    let FolderFiles {
        main_text,
        main_problem,
        others,
        pattern_problems,
        skipped,
    } = folder_files(dir)?;
    let mut texts = vec![(
        dir.join(main).display().to_string(),
        main.to_path_buf(),
        main_text,
        main_problem,
    )];
    for relative in others {
        let (text, problem) = read_text(&dir.join(&relative))?;
        texts.push((
            dir.join(&relative).display().to_string(),
            relative,
            text,
            problem,
        ));
    }
    let mut loaded = assemble(dir.to_path_buf(), texts, true);
    // The patterns' positions are in bcp.yaml, the first file.
    loaded.diagnostics.extend(pattern_problems);
    loaded
        .diagnostics
        .extend(skipped.into_iter().map(|(relative, why)| {
            Diagnostic::warning(
                "L008",
                t!("L008.message", path = dir.join(&relative).display(), why),
            )
            .help(if relative.components().count() > MAX_FOLDER_DEPTH {
                t!("L008.deep_help", max = MAX_FOLDER_DEPTH)
            } else {
                t!("L008.help")
            })
        }));
    Ok(loaded)
}

/// The `files:` section of a folder's `bcp.yaml`, read before the folder is searched. When
/// `bcp.yaml` does not parse, the default (every YAML file); its problems are reported when it
/// is loaded with the others.
fn file_selection(text: &str) -> FileSelection {
    #[derive(Deserialize)]
    struct OnlyFiles {
        #[serde(default)]
        files: Option<Sp<FileSelection>>,
    }
    // Most plans select no files: a text without the word (or an escape, which could spell it
    // in a quoted key) has no such section, and is parsed once, with the plan, not twice.
    if !text.contains("files") && !text.contains('\\') {
        return FileSelection::default();
    }
    CURRENT_FILE.with(|f| f.set(0));
    from_yaml::<OnlyFiles>(text)
        .ok()
        .and_then(|only| only.files)
        .map(|files| files.value)
        .unwrap_or_default()
}

/// What a path is, for a refusal: `a named pipe`, `a device`, `a folder`.
pub(crate) fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return word("file_kind.folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return word("file_kind.fifo");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return word("file_kind.device");
        }
        if kind.is_socket() {
            return word("file_kind.socket");
        }
    }
    word("file_kind.other")
}

/// A word of the catalogue in the language of messages.
fn word(key: &str) -> &'static str {
    crate::i18n::raw(crate::i18n::current(), key)
}

/// Loads a one-file plan held in memory, as [`load`] would load a file named `name` holding
/// `bytes`: the same decoding (UTF-8, byte order mark), parsing and merging. For fuzzing and
/// for tools that hold a plan without a file. [`Loaded::root`] is empty: the plan has no
/// folder, so no `templates/` of its own and no commit.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    let (text, problem) = if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_FILE_BYTES {
        (String::new(), Some(too_large(Some(bytes.len() as u64))))
    } else {
        decode(bytes.to_vec())
    };
    assemble(
        PathBuf::new(),
        vec![(name.to_string(), PathBuf::from(name), text, problem)],
        false,
    )
}

/// Whether a path inside a plan folder names a plan file, by the rules [`load`] walks the
/// folder with: `*.yaml`/`*.yml`, no hidden component, not under the top-level `templates/`,
/// `profiles/`, `out/` or `target/`, at most [`MAX_FOLDER_DEPTH`] folders deep.
pub fn is_plan_file(relative: &Path) -> bool {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(name) = parts.last() else {
        return false;
    };
    Path::new(name)
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml")
        && parts.len() <= MAX_FOLDER_DEPTH + 1
        && !parts.iter().any(|p| p.starts_with('.'))
        && !(parts.len() > 1
            && matches!(
                parts[0].as_str(),
                "templates" | "profiles" | "out" | "target"
            ))
}

/// Loads a plan whose files are held in memory (read from git, say): `files` are paths
/// inside the plan folder with their bytes, `display` what positions print before each path
/// (`HEAD~1:examples/bank/`). A folder plan needs `bcp.yaml`; a one-file plan is one entry.
/// The same decoding, ordering (`bcp.yaml` first, then path order), parsing and merging as
/// [`load`]; [`Loaded::root`] is empty, as for [`load_bytes`].
///
/// # Errors
/// [`Error::NoPlan`] for a folder without `bcp.yaml`.
pub fn load_memory(
    display: &str,
    mut files: Vec<(PathBuf, Vec<u8>)>,
    folder: bool,
) -> Result<Loaded, Error> {
    if folder && !files.iter().any(|(p, _)| p == Path::new("bcp.yaml")) {
        return Err(Error::NoPlan {
            path: PathBuf::from(display),
        });
    }
    files.sort_by(|(a, _), (b, _)| {
        let main_first = |p: &Path| p != Path::new("bcp.yaml");
        (main_first(a), a).cmp(&(main_first(b), b))
    });
    let texts = files
        .into_iter()
        .map(|(relative, bytes)| {
            let (text, problem) = if bytes.len() as u64 > MAX_FILE_BYTES {
                (String::new(), Some(too_large(Some(bytes.len() as u64))))
            } else {
                decode(bytes)
            };
            let shown = if folder {
                format!("{display}{}", relative.display())
            } else {
                display.to_string()
            };
            (shown, relative, text, problem)
        })
        .collect();
    Ok(assemble(PathBuf::new(), texts, folder))
}

/// Parses YAML data that is not a plan (a standards profile) into `T`.
///
/// # Errors
/// The parser's message, with the line and column.
pub fn data_from_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| e.to_string())
}

/// Parses one plan file's text as [`load`] parses each file. `Ok(None)` for a file with no
/// content. Positions in the result have file index 0.
pub fn parse_str(text: &str) -> Result<Option<PlanFile>, Box<Diagnostic>> {
    parse_whole(text, 0).map_err(|e| Box::new(messages::yaml_error(&e, text, 0)))
}

/// Writes plan data (a [`PlanFile`], or any part of one) as YAML that [`load`] reads back.
///
/// # Errors
/// The serialiser's message, for data YAML cannot hold (none the model produces).
pub fn to_yaml<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}

/// One file's display path, relative path, text, and the reason it cannot be parsed.
type FileText = (String, PathBuf, String, Option<Diagnostic>);

/// Parses and merges the files' texts, in the order given. `folder`: the files are those of
/// a plan folder, the first being `bcp.yaml`.
fn assemble(root: PathBuf, texts: Vec<FileText>, folder: bool) -> Loaded {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let mut unloaded = Unloaded::default();
    // Every file is added first (in order), then those that are text are parsed in parallel.
    let mut readable = Vec::new();
    for (display, relative, text, problem) in texts {
        let file = sources.push(display, relative, text);
        if let Some(problem) = problem {
            unloaded.unknown = true;
            // The reader's position (where UTF-8 broke) is in the file just added.
            let at = problem.span.unwrap_or(Span {
                file,
                line: 1,
                column: 1,
            });
            diagnostics.push(problem.at(Span { file, ..at }));
        } else {
            readable.push(file);
        }
    }
    let mut parsed = Vec::new();
    for (file, result) in readable
        .iter()
        .copied()
        .zip(parse_all(&sources, &readable, folder))
    {
        match result {
            Parsed::Whole(plan_file) => parsed.push((file, plan_file)),
            Parsed::Partial(plan_file, problems, missing) => {
                parsed.push((file, plan_file));
                diagnostics.extend(problems);
                unloaded.absorb(missing);
            }
            Parsed::Empty => diagnostics.push(
                Diagnostic::error("L003", t!("L003.message"))
                    .at(Span {
                        file,
                        line: 1,
                        column: 1,
                    })
                    .help(t!("L003.help")),
            ),
            Parsed::Failed(d) => {
                // A file that is not a plan file takes nothing from the plan.
                unloaded.unknown |= d.code != "L009";
                diagnostics.push(*d);
            }
        }
    }
    let mut plan = merge(parsed, folder, &mut diagnostics);
    plan.unloaded_ids.clone_from(&unloaded.ids);
    Loaded {
        plan,
        sources,
        diagnostics,
        unloaded,
        root,
    }
}

/// A file that looks like a plan file but is not read, and why (`is a named pipe`).
pub type Skipped = (PathBuf, String);

/// The plan files of a folder besides `bcp.yaml`: every `*.yaml`/`*.yml` below it that the
/// filter reads, in path order. Hidden files and folders, `node_modules/` and the top-level
/// `templates/`, `out/` and `target/` are skipped; symlinked folders are not followed (no
/// loops). Files named like plan files that cannot be read as one (a named pipe, a file too
/// deep) are listed in `skipped`, to be reported.
fn selected_files(
    dir: &Path,
    filter: &FileFilter,
    skipped: &mut Vec<Skipped>,
) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    walk(dir, Path::new(""), 0, filter, &mut found, skipped)?;
    found.retain(|p| p != Path::new("bcp.yaml"));
    found.sort();
    skipped.sort();
    Ok(found)
}

/// `*.yaml` and `*.yml`, case-sensitive on purpose: `X.YAML` is not a plan file (documented).
#[allow(clippy::case_sensitive_file_extension_comparisons)]
fn is_plan_file_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Whether the folder at `relative` (from the plan folder) is left out, whatever it holds.
fn skips_folder(name: &str, relative: &Path, depth: usize, filter: &FileFilter) -> bool {
    name.starts_with('.')
        || SKIPPED_EVERYWHERE.contains(&name)
        || (depth == 0 && SKIPPED_AT_TOP.contains(&name))
        || filter.skips_folder(relative)
}

fn walk(
    dir: &Path,
    relative: &Path,
    depth: usize,
    filter: &FileFilter,
    found: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), Error> {
    let read_error = |source| Error::ReadPlan {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(read_error)?;
        let rel = relative.join(&name);
        if kind.is_dir() {
            if skips_folder(&name_text, &rel, depth, filter) {
                continue;
            }
            if depth < MAX_FOLDER_DEPTH {
                walk(&entry.path(), &rel, depth + 1, filter, found, skipped)?;
            } else if let Some(deep) = first_plan_file(&entry.path(), &rel, filter) {
                skipped.push((rel.join(deep), t!("L008.deep", max = MAX_FOLDER_DEPTH)));
            }
        } else if is_plan_file_name(&name_text) && filter.reads_file(&rel) {
            // Only regular files are plan files: a named pipe or a device called `x.yaml`
            // would block the read forever or never end. A symlink is followed to see what
            // it names; a broken one is kept, so that reading it reports the problem.
            let target = if kind.is_symlink() {
                std::fs::metadata(entry.path()).ok()
            } else {
                entry.metadata().ok()
            };
            match target {
                Some(meta) if !meta.is_file() => {
                    skipped.push((rel, t!("L008.not_a_file", kind = file_kind(&meta))));
                }
                _ => found.push(rel),
            }
        }
    }
    Ok(())
}

/// The first plan file (in path order) anywhere below `dir`, as a path relative to it, that
/// the folder walk would read but for the depth limit; for reporting files below it.
/// `relative`: `dir` from the plan folder, for the filter. Iterative, so that no folder depth
/// can exhaust the stack; symbolic links are not followed.
fn first_plan_file(dir: &Path, relative: &Path, filter: &FileFilter) -> Option<PathBuf> {
    let mut stack = vec![PathBuf::new()];
    while let Some(below) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&below)) else {
            continue;
        };
        let mut entries: Vec<_> = entries
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        if let Some(file) = entries.iter().find(|e| {
            e.file_type().is_ok_and(|t| !t.is_dir())
                && is_plan_file_name(&e.file_name().to_string_lossy())
                && filter.reads_file(&relative.join(&below).join(e.file_name()))
        }) {
            return Some(below.join(file.file_name()));
        }
        // Folders pushed last-first, so the first in path order is searched first.
        for e in entries.iter().rev() {
            let name = e.file_name();
            let folder = below.join(&name);
            if e.file_type().is_ok_and(|t| t.is_dir())
                && !skips_folder(&name.to_string_lossy(), &relative.join(&folder), 1, filter)
            {
                stack.push(folder);
            }
        }
    }
    None
}

/// Reads a file as UTF-8 text. Returns the text and, when it cannot be used as a plan file,
/// the reason as a diagnostic (too large, not UTF-8).
fn read_text(path: &Path) -> Result<(String, Option<Diagnostic>), Error> {
    let read_error = |source| Error::ReadPlan {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if !meta.is_file() {
        return Err(Error::NotPlanFile {
            path: path.to_path_buf(),
            kind: file_kind(&meta),
        });
    }
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Ok((String::new(), Some(too_large(Some(size)))));
    }
    // Never more than the limit, whatever the size said: a file may grow after the look. The
    // buffer is made the size the file had (reading without a size doubles as it goes, which
    // left a third of the plan's text as spare capacity), and grows only if the file did.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok((String::new(), Some(too_large(None))));
    }
    Ok(decode(bytes))
}

/// UTF-16 or UTF-32, told by the byte order mark or, without one, by the zero bytes that the
/// first characters (ASCII in any plan: `plan:`, `#`, `-`) have in those encodings. NUL is
/// valid UTF-8, so such a file would otherwise be read as text full of NUL characters.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xff, 0xfe, 0, 0, ..] | [0, 0, 0xfe, 0xff, ..] => Some("UTF-32"),
        [0xff, 0xfe, ..] | [0xfe, 0xff, ..] => Some("UTF-16"),
        [a, 0, 0, 0, ..] | [0, 0, 0, a, ..] if *a != 0 => Some("UTF-32"),
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some("UTF-16"),
        _ => None,
    }
}

/// The refusal of a file over [`MAX_FILE_BYTES`]; `size` when it is known.
fn too_large(size: Option<u64>) -> Diagnostic {
    let mib = |bytes: u64| bytes / (1024 * 1024);
    let limit = mib(MAX_FILE_BYTES);
    let size = match size {
        Some(size) => t!("L004.size", size = mib(size), limit),
        None => t!("L004.over", limit),
    };
    Diagnostic::error("L004", t!("L004.message", size)).help(t!("load.limit.split_help"))
}

/// A file's bytes as text without a byte order mark, or the valid prefix and why the rest is
/// not text.
fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    if let Some(encoding) = wide_encoding(&bytes) {
        return (
            String::new(),
            Some(
                Diagnostic::error("L005", t!("L005.wide.message", encoding))
                    .help(t!("L005.wide.help", encoding)),
            ),
        );
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            (text, None)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Keep the valid prefix so the snippet can show the line.
            let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let starts = line_starts(&text);
            let last = starts.last().copied().unwrap_or(0);
            let at = Span {
                file: 0,
                line: u32::try_from(starts.len()).unwrap_or(u32::MAX),
                column: u32::try_from(text[last..].chars().count() + 1).unwrap_or(u32::MAX),
            };
            (
                text,
                Some(
                    Diagnostic::error("L005", t!("L005.invalid.message"))
                        .at(at)
                        .label(t!("L005.invalid.label"))
                        .help(t!("L005.invalid.help")),
                ),
            )
        }
    }
}

thread_local! {
    /// File being deserialised, stamped into every [`Sp`] span. serde gives a deserialiser no
    /// way to pass context down, and this keeps file ids out of the YAML crate's locations.
    static CURRENT_FILE: Cell<u32> = const { Cell::new(0) };
    /// Lines before the text being deserialised, when it is a part of its file (a section or
    /// an entry loaded on its own): added to every line, so positions are the file's.
    static LINE_OFFSET: Cell<u32> = const { Cell::new(0) };
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let at = spanned.referenced;
        let line = u32::try_from(at.line()).unwrap_or(u32::MAX);
        Ok(Sp {
            value: spanned.value,
            span: Span {
                file: CURRENT_FILE.with(Cell::get),
                // 0 stays "unknown".
                line: if line == 0 {
                    0
                } else {
                    line.saturating_add(LINE_OFFSET.with(Cell::get))
                },
                column: u32::try_from(at.column()).unwrap_or(u32::MAX),
            },
        })
    }
}

/// Parser limits, set on purpose. The defaults (250k nodes, 1M events) refuse a large bank's
/// plan file; these admit a 10,000-function plan in one file while an alias bomb or absurd
/// nesting is still refused in milliseconds.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 40_000_000,
            max_nodes: 10_000_000,
            max_depth: 64,
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_total_scalar_bytes: 64 * 1024 * 1024,
            max_documents: 1,
        },
        // A YAML file is first-class input: refuse duplicate keys rather than silently pick one.
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        // YAML 1.2, as editors read it: `yes`, `no`, `on` and `off` are text, not booleans.
        strict_booleans: true,
    }
}

/// Deserialises YAML text with bcp's parser options. Numbers and booleans written in quotes
/// are refused, as the schema refuses them ([`unquoted`]).
fn from_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), |deserializer| {
        T::deserialize(unquoted::Unquoted(deserializer))
    })
}

/// What one file gave.
enum Parsed {
    /// No content: empty, or only comments.
    Empty,
    /// Every section loaded.
    Whole(PlanFile),
    /// Some sections or list entries did not load: the rest, the problems, and what is missing.
    Partial(PlanFile, Vec<Diagnostic>, Unloaded),
    /// Nothing could be loaded.
    Failed(Box<Diagnostic>),
}

/// Parses the given files, on as many threads as there are cores and files; the results are
/// in the order of `files`, so the plan and its diagnostics do not depend on scheduling.
/// A large plan is a folder of files (one per department): parsing is nearly all of
/// `validate`'s time, and the files are independent.
fn parse_all(sources: &Sources, files: &[u32], folder: bool) -> Vec<Parsed> {
    let parse = |file: u32| {
        let source = &sources.files[file as usize];
        parse_file(
            &source.text,
            file,
            folder.then_some(source.relative.as_path()),
        )
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(files.len());
    if threads <= 1 {
        return files.iter().map(|f| parse(*f)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each worker takes the next file until none is left, and returns (position, result).
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(file) = files.get(i) else {
                return done;
            };
            done.push((i, parse(*file)));
        }
    };
    let mut results: Vec<Option<Parsed>> = files.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        // The main thread's stack size: deeply nested (but admitted) YAML recurses in serde.
        let workers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(8 * 1024 * 1024)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // This thread works too, so the files are parsed even if no thread could start.
        let mut done = work();
        for worker in workers {
            done.extend(crate::joined(worker));
        }
        for (i, result) in done {
            results[i] = Some(result);
        }
    });
    results.into_iter().flatten().collect()
}

/// Fits the lists that every function, procedure, step and system has to their length.
/// serde reads a list of unknown length into a `Vec` that grows by doubling: a list of one
/// id (most dependency and `after` lists) kept room for four, a procedure of five steps room
/// for eight — 13 MB of the 10,000-function plan's 55 MB model, for as long as the plan is
/// held. The lists of the other sections are few, and left as read.
fn fit(file: &mut PlanFile) {
    fn dependencies(d: &mut crate::model::Dependencies) {
        for ids in [
            &mut d.functions,
            &mut d.systems,
            &mut d.sites,
            &mut d.suppliers,
        ] {
            ids.shrink_to_fit();
        }
    }
    for f in &mut file.functions {
        f.value.peak_periods.shrink_to_fit();
        f.value.impacts.shrink_to_fit();
        f.value.recovery_targets.shrink_to_fit();
        f.value.precautions.shrink_to_fit();
        f.value.resources.key_people.shrink_to_fit();
        dependencies(&mut f.value.depends_on);
        if let Some(w) = &mut f.value.workaround {
            w.value.covers.shrink_to_fit();
        }
    }
    for p in &mut file.procedures {
        p.value.recovers.shrink_to_fit();
        p.value.steps.shrink_to_fit();
        for step in &mut p.value.steps {
            step.value.after.shrink_to_fit();
        }
    }
    for s in &mut file.systems {
        s.value.backups.shrink_to_fit();
        dependencies(&mut s.value.depends_on);
    }
    for t in &mut file.teams {
        t.value.members.shrink_to_fit();
    }
}

/// Parses one file whole. `Ok(None)` for a file with no content (empty, or only comments).
fn parse_whole(text: &str, file: u32) -> Result<Option<PlanFile>, serde_saphyr::Error> {
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    }) {
        return Ok(None);
    }
    CURRENT_FILE.with(|f| f.set(file));
    LINE_OFFSET.with(|o| o.set(0));
    from_yaml::<PlanFile>(text).map(Some)
}

/// Parses one file. When it does not load whole because of its structure (a wrong type, an
/// unknown key), its sections and list entries are loaded one by one, so that one run reports
/// a problem in every entry and the entries that load are still checked. `in_folder`: the
/// file's path inside the plan folder, for a folder plan.
fn parse_file(text: &str, file: u32, in_folder: Option<&Path>) -> Parsed {
    let error = match parse_whole(text, file) {
        Ok(Some(mut plan)) => {
            fit(&mut plan);
            return Parsed::Whole(plan);
        }
        Ok(None) => return Parsed::Empty,
        Err(error) => error,
    };
    let first = messages::yaml_error(&error, text, file);
    // Only a file that is well-formed YAML but does not fit the plan's structure can be
    // loaded in parts.
    if first.code != "L002" {
        return Parsed::Failed(Box::new(first));
    }
    let Some(outline) = outline::outline(text) else {
        return Parsed::Failed(Box::new(first));
    };
    if let Some(foreign) = not_a_plan_file(&outline, file, in_folder) {
        return Parsed::Failed(Box::new(foreign));
    }
    match recover::recover(text, file, &outline) {
        Some(mut r) => {
            fit(&mut r.plan);
            Parsed::Partial(r.plan, r.problems, r.unloaded)
        }
        None => Parsed::Failed(Box::new(first)),
    }
}

/// A mapping none of whose keys is a plan section, nor a near miss of one (a `mkdocs.yml`, a
/// `docker-compose.yml`): one finding (L009) saying how to leave the file out, instead of an
/// unknown key for each of its keys.
fn not_a_plan_file(
    outline: &outline::Outline,
    file: u32,
    in_folder: Option<&Path>,
) -> Option<Diagnostic> {
    let sections = crate::schema::sections();
    let near = |key: &str| {
        sections.iter().any(|s| s == key)
            || crate::suggest::nearest(key, sections.iter().map(String::as_str)).is_some()
    };
    let first = outline.sections.first()?;
    if outline.sections.iter().any(|s| near(&s.key)) {
        return None;
    }
    let mut shown: Vec<String> = outline
        .sections
        .iter()
        .take(3)
        .map(|s| format!("`{}`", s.key))
        .collect();
    if outline.sections.len() > 3 {
        shown.push("...".to_string());
    }
    let help = match in_folder {
        Some(relative) => {
            let pattern = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            t!("L009.exclude_help", pattern)
        }
        None => t!("L009.help"),
    };
    Some(
        Diagnostic::error("L009", t!("L009.message", keys = shown.join(", ")))
            .at(Span {
                file,
                line: u32::try_from(first.line).unwrap_or(u32::MAX),
                column: u32::try_from(first.column).unwrap_or(u32::MAX),
            })
            .label(t!("L009.label"))
            .help(help),
    )
}

/// Merges the parsed files into one plan, in file order. `folder`: the first file is the
/// folder's `bcp.yaml`, the only one whose `files:` section is read.
fn merge(files: Vec<(u32, PlanFile)>, folder: bool, diagnostics: &mut Vec<Diagnostic>) -> Plan {
    let mut plan = Plan::default();
    // Each list reserved at its size: grown file by file, the plan's largest lists (tens of
    // MB on a large plan) were up to half unused.
    macro_rules! reserve {
        ($($list:ident),*) => {$(
            plan.$list.reserve_exact(files.iter().map(|(_, f)| f.$list.len()).sum());
        )*};
    }
    reserve!(
        people, teams, risks, functions, strategies, procedures, systems, sites, suppliers,
        resources, training, scenarios, exercises, exceptions
    );
    let mut meta_seen: Option<Span> = None;
    let mut call_tree_seen: Option<Span> = None;
    let mut response_seen: Option<Span> = None;
    for (file, f) in files {
        if let Some(files) = f.files.filter(|_| folder && file != 0) {
            diagnostics.push(
                Diagnostic::error("L002", t!("L002.files_elsewhere.message"))
                    .at(files.span)
                    .help(t!("L002.files_elsewhere.help")),
            );
        }
        if let Some(meta) = f.plan {
            if let Some(first) = meta_seen {
                diagnostics.push(
                    Diagnostic::error("L006", t!("L006.message", name = "plan"))
                        .at(meta.span)
                        .also(first, t!("L006.first"))
                        .help(t!("L006.plan_help")),
                );
            } else {
                meta_seen = Some(meta.span);
                plan.meta_span = meta.span;
                plan.meta = meta.value;
            }
        }
        once(
            &mut plan.call_tree,
            f.call_tree,
            &mut call_tree_seen,
            "call_tree",
            diagnostics,
        );
        once(
            &mut plan.emergency_response,
            f.emergency_response,
            &mut response_seen,
            "emergency_response",
            diagnostics,
        );
        plan.people.extend(f.people);
        plan.teams.extend(f.teams);
        plan.risks.extend(f.risks);
        plan.functions.extend(f.functions);
        plan.strategies.extend(f.strategies);
        plan.procedures.extend(f.procedures);
        plan.systems.extend(f.systems);
        plan.sites.extend(f.sites);
        plan.suppliers.extend(f.suppliers);
        plan.resources.extend(f.resources);
        plan.training.extend(f.training);
        plan.scenarios.extend(f.scenarios);
        plan.exercises.extend(f.exercises);
        plan.exceptions.extend(f.exceptions);
    }
    plan.has_meta = meta_seen.is_some();
    plan
}

/// Keeps the first of a section that may be written once, reporting the others.
fn once<T>(
    slot: &mut Option<Sp<T>>,
    value: Option<Sp<T>>,
    seen: &mut Option<Span>,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(value) = value else { return };
    if let Some(first) = *seen {
        diagnostics.push(
            Diagnostic::error("L006", t!("L006.message", name))
                .at(value.span)
                .also(first, t!("L006.first"))
                .help(t!("L006.help", name)),
        );
    } else {
        *seen = Some(value.span);
        *slot = Some(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan folder with one file, loaded.
    fn loaded(text: &str) -> (tempfile::TempDir, Loaded) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bcp.yaml"), text).unwrap();
        let loaded = load(dir.path()).unwrap();
        (dir, loaded)
    }

    #[test]
    fn forgotten_texts_are_read_back_for_snippets() {
        let (_dir, mut loaded) = loaded("plan:\n  title: Test\n");
        loaded.sources.forget_texts();
        assert_eq!(loaded.sources.line(0, 2), None);
        loaded.sources.read_back(&loaded.root);
        assert_eq!(loaded.sources.line(0, 2), Some("  title: Test"));
    }

    #[test]
    fn a_file_changed_since_the_checks_is_not_quoted() {
        let (dir, mut loaded) = loaded("plan:\n  title: Test\n");
        loaded.sources.forget_texts();
        std::fs::write(dir.path().join("bcp.yaml"), "plan:\n  title: Changed\n").unwrap();
        loaded.sources.read_back(&loaded.root);
        assert_eq!(loaded.sources.line(0, 2), None);
        // Back as it was checked, it is quoted again.
        std::fs::write(dir.path().join("bcp.yaml"), "plan:\n  title: Test\n").unwrap();
        loaded.sources.read_back(&loaded.root);
        assert_eq!(loaded.sources.line(0, 2), Some("  title: Test"));
    }
}
