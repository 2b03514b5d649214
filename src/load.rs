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
use serde::Deserialize;
use std::cell::Cell;
use std::io::Read as _;
use std::path::{Path, PathBuf};

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
    /// Byte offset of each line start, for snippets: computed when a snippet is first shown,
    /// so a clean run of a large plan never pays for it (it was 6 MB for 10,000 functions).
    line_starts: std::sync::OnceLock<Vec<usize>>,
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
            line_starts: std::sync::OnceLock::new(),
        });
        u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX)
    }
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

/// Loads a plan folder: `bcp.yaml` first, whose `files:` section says which other YAML files
/// below the folder are plan files.
fn load_folder(dir: &Path) -> Result<Loaded, Error> {
    let main = Path::new("bcp.yaml");
    if !dir.join(main).is_file() {
        return Err(Error::NoPlan {
            path: dir.to_path_buf(),
        });
    }
    let (main_text, main_problem) = read_text(&dir.join(main))?;
    let selection = if main_problem.is_none() {
        file_selection(&main_text)
    } else {
        FileSelection::default()
    };
    let (filter, pattern_problems) = FileFilter::new(&selection);
    let mut texts = vec![(
        dir.join(main).display().to_string(),
        main.to_path_buf(),
        main_text,
        main_problem,
    )];
    for relative in plan_files(dir, &filter)? {
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
    CURRENT_FILE.with(|f| f.set(0));
    from_yaml::<OnlyFiles>(text)
        .ok()
        .and_then(|only| only.files)
        .map(|files| files.value)
        .unwrap_or_default()
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

/// Parses one plan file's text as [`load`] parses each file. `Ok(None)` for a file with no
/// content. Positions in the result have file index 0.
pub fn parse_str(text: &str) -> Result<Option<PlanFile>, Box<Diagnostic>> {
    parse_whole(text, 0).map_err(|e| Box::new(yaml_error(&e, 0, 0)))
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
                Diagnostic::error("L003", "plan file is empty")
                    .at(Span {
                        file,
                        line: 1,
                        column: 1,
                    })
                    .help("add sections to the file, or delete it"),
            ),
            Parsed::Failed(d) => {
                // A file that is not a plan file takes nothing from the plan.
                unloaded.unknown |= d.code != "L008";
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

/// The plan files of a folder besides `bcp.yaml`: every `*.yaml`/`*.yml` below it that the
/// filter reads, in path order. Hidden files and folders, `node_modules/` and the top-level
/// `templates/`, `out/` and `target/` are skipped; symlinked folders are not followed (no
/// loops).
fn plan_files(dir: &Path, filter: &FileFilter) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    walk(dir, Path::new(""), 0, filter, &mut found)?;
    found.retain(|p| p != Path::new("bcp.yaml"));
    found.sort();
    Ok(found)
}

fn walk(
    dir: &Path,
    relative: &Path,
    depth: usize,
    filter: &FileFilter,
    found: &mut Vec<PathBuf>,
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
            let skipped = SKIPPED_EVERYWHERE.contains(&name_text.as_ref())
                || (depth == 0 && SKIPPED_AT_TOP.contains(&name_text.as_ref()))
                || filter.skips_folder(&rel);
            if !skipped && depth < MAX_FOLDER_DEPTH {
                walk(&entry.path(), &rel, depth + 1, filter, found)?;
            }
        } else if (name_text.ends_with(".yaml") || name_text.ends_with(".yml"))
            && filter.reads_file(&rel)
        {
            // Only regular files are plan files: a named pipe or a device called `x.yaml`
            // would block the read forever or never end. A symlink is followed to see what
            // it names; a broken one is kept, so that reading it reports the problem.
            let target = if kind.is_symlink() {
                std::fs::metadata(entry.path()).ok().map(|m| m.file_type())
            } else {
                Some(kind)
            };
            if target.is_none_or(|t| t.is_file()) {
                found.push(rel);
            }
        }
    }
    Ok(())
}

/// Reads a file as UTF-8 text. Returns the text and, when it cannot be used as a plan file,
/// the reason as a diagnostic (too large, not UTF-8).
fn read_text(path: &Path) -> Result<(String, Option<Diagnostic>), Error> {
    let read_error = |source| Error::ReadPlan {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_FILE_BYTES {
        return Ok((String::new(), Some(too_large(Some(size)))));
    }
    // Never more than the limit, whatever the size said: a file may grow after the look, and
    // a device or pipe (`/dev/zero`, `<(...)`) has no size at all.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok((String::new(), Some(too_large(None))));
    }
    Ok(decode(bytes))
}

/// The refusal of a file over [`MAX_FILE_BYTES`]; `size` when it is known.
fn too_large(size: Option<u64>) -> Diagnostic {
    let mib = |bytes: u64| bytes / (1024 * 1024);
    let limit = mib(MAX_FILE_BYTES);
    let size = match size {
        Some(size) => format!("{} MiB; at most {limit} MiB", mib(size)),
        None => format!("over {limit} MiB"),
    };
    Diagnostic::error("L004", format!("plan file is too large ({size})"))
        .help("split the plan into several files in a plan folder, e.g. one per department")
}

/// A file's bytes as text without a byte order mark, or the valid prefix and why the rest is
/// not text.
fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            (text, None)
        }
        Err(e)
            if e.as_bytes().starts_with(&[0xff, 0xfe])
                || e.as_bytes().starts_with(&[0xfe, 0xff]) =>
        {
            (
                String::new(),
                Some(
                    Diagnostic::error("L005", "plan file is UTF-16, not UTF-8").help(
                        "save the file as UTF-8 (in most editors: \"Save with encoding\", UTF-8)",
                    ),
                ),
            )
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
                    Diagnostic::error("L005", "plan file is not valid UTF-8")
                        .at(at)
                        .label("this byte is not UTF-8")
                        .help("save the file as UTF-8 (GBK and other encodings are not read)"),
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
            match worker.join() {
                Ok(more) => done.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, result) in done {
            results[i] = Some(result);
        }
    });
    results.into_iter().flatten().collect()
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
        Ok(Some(plan)) => return Parsed::Whole(plan),
        Ok(None) => return Parsed::Empty,
        Err(error) => error,
    };
    let first = || Parsed::Failed(Box::new(yaml_error(&error, file, 0)));
    if classify(&error, "") != "L002" {
        return first();
    }
    let Some(outline) = outline::outline(text) else {
        return first();
    };
    if let Some(foreign) = not_a_plan_file(&outline, file, in_folder) {
        return Parsed::Failed(Box::new(foreign));
    }
    recover::recover(text, file, &outline)
        .map_or_else(first, |r| Parsed::Partial(r.plan, r.problems, r.unloaded))
}

/// A mapping none of whose keys is a plan section, nor a near miss of one (a `mkdocs.yml`, a
/// `docker-compose.yml`): one finding (L008) saying how to leave the file out, instead of an
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
            format!(
                "if the file belongs to another tool, leave it out in bcp.yaml with `files: {{exclude: [\"{pattern}\"]}}`; plan files hold sections such as `plan`, `people` and `functions` (`bcp schema` lists them)"
            )
        }
        None => "a plan file holds sections such as `plan`, `people` and `functions` (`bcp schema` lists them)".to_string(),
    };
    Some(
        Diagnostic::error(
            "L008",
            format!(
                "not a plan file: none of its keys ({}) is a plan section",
                shown.join(", ")
            ),
        )
        .at(Span {
            file,
            line: u32::try_from(first.line).unwrap_or(u32::MAX),
            column: u32::try_from(first.column).unwrap_or(u32::MAX),
        })
        .label("not a plan section")
        .help(help),
    )
}

/// Turns the YAML crate's error into a diagnostic: position, a one-line message, and a
/// "did you mean" for unknown keys and values.
fn yaml_error(error: &serde_saphyr::Error, file: u32, line_offset: u32) -> Diagnostic {
    let location = error.location();
    let span = Span {
        file,
        line: location
            .map_or(1, |l| u32::try_from(l.line()).unwrap_or(1))
            .max(1)
            .saturating_add(line_offset),
        column: location
            .map_or(1, |l| u32::try_from(l.column()).unwrap_or(1))
            .max(1),
    };
    let full = error.without_snippet().to_string();
    // The crate appends its own position ("at line 3, column 5"): ours is in the span.
    let message = full.lines().next().unwrap_or_default().trim();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .trim_end_matches('.')
        .to_string();
    let code = classify(error, &message);
    let (message, help) = reword(&message);
    let mut d = Diagnostic::error(code, message).at(span);
    if let Some(help) = help {
        d = d.help(help);
    } else if code == "L001" {
        d = d.help(
            "fix the YAML syntax; indent with spaces, not tabs, and quote text holding `: ` or `#`",
        );
    } else if code == "L004" {
        d = d.help("the file exceeds bcp's parser limits (nesting depth 64, 10,000 aliases); simplify it or split it");
    }
    d
}

fn classify(error: &serde_saphyr::Error, message: &str) -> &'static str {
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::{Error as E, ExternalMessageSource as Source};
    // By the error's kind, never by its text alone: the text quotes the plan's own keys and
    // values (an unknown key `rate_limit` is not a parser limit).
    match error.without_snippet() {
        // A second document is a syntax matter, not a size limit.
        E::Budget {
            breach: BudgetBreach::Documents { .. },
            ..
        }
        | E::Eof { .. }
        | E::MultipleDocuments { .. }
        | E::UnknownAnchor { .. }
        | E::UnexpectedSequenceEnd { .. }
        | E::UnexpectedMappingEnd { .. } => "L001",
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => "L004",
        // Only the parser's own errors are syntax; everything else is a well-formed file that
        // does not fit the plan's structure.
        E::ExternalMessage { source, .. } if matches!(**source, Source::Parser(_)) => {
            let lower = message.to_lowercase();
            if lower.contains("recursion") || lower.contains("too deep") {
                "L004"
            } else {
                "L001"
            }
        }
        _ => "L002",
    }
}

/// Rewrites serde's `unknown field `x`, expected one of a, b` and `unknown variant` /
/// `missing field` messages in the plan's vocabulary, with a "did you mean".
fn reword(message: &str) -> (String, Option<String>) {
    let known = [("unknown field `", "key"), ("unknown variant `", "value")];
    for (prefix, kind) in known {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((given, expected)) = rest.split_once('`') else {
            continue;
        };
        let expected = expected.trim_start_matches([',', ' ']);
        let list = expected
            .strip_prefix("expected one of ")
            .or_else(|| expected.strip_prefix("expected "))
            .unwrap_or_default();
        let candidates: Vec<&str> = list
            .split(", ")
            .map(|c| c.trim_matches('`'))
            .filter(|c| !c.is_empty())
            .collect();
        let reworded = format!("unknown {kind} `{given}`");
        let help = match crate::suggest::nearest(given, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if candidates.is_empty() => return (reworded, None),
            None => format!("expected one of: {}", candidates.join(", ")),
        };
        return (reworded, Some(help));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (
            format!("missing key `{field}`"),
            Some(format!("add `{field}:` to the entry that ends here")),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key") {
        let key = rest
            .trim_start_matches(": ")
            .trim_end_matches("set DuplicateKeyPolicy in Options if acceptable")
            .trim_end_matches([',', ' ']);
        let key = if key.is_empty() {
            "a key".to_string()
        } else {
            format!("key `{key}`")
        };
        return (
            format!("{key} is written twice in the same mapping"),
            Some("remove one of the two; bcp does not guess which one you meant".to_string()),
        );
    }
    if message.starts_with("cannot deserialize null") {
        return (
            "expected a value here, found nothing (null)".to_string(),
            Some("write the value after the `:`".to_string()),
        );
    }
    if let Some(detail) = message.strip_prefix("budget breached: ") {
        let detail = match detail.split_once(" {") {
            Some(("AliasAnchorRatio", _)) => {
                "far more aliases than anchors, the shape of an alias bomb".to_string()
            }
            Some(("Depth", _)) => "nesting deeper than 64 levels".to_string(),
            Some(("Aliases", _)) => "more than 10,000 aliases (`*name`)".to_string(),
            Some(("Anchors", _)) => "more than 10,000 anchors (`&name`)".to_string(),
            Some(("Nodes" | "Events", _)) => "more than 10,000,000 values".to_string(),
            Some(("ScalarBytes", _)) => "more than 64 MiB of text in values".to_string(),
            Some(("Documents", _)) => {
                return (
                    "a plan file holds one YAML document, this one holds several (`---`)"
                        .to_string(),
                    Some("put each document in a file of its own in the plan folder".to_string()),
                );
            }
            // Only the limit's name: the rest is the crate's debug output.
            _ => detail
                .split([' ', '{'])
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        return (
            format!("the file exceeds bcp's parser limits: {detail}"),
            None,
        );
    }
    // The parser quotes the character as `X' (with an escaped control character).
    if let Some(c) = message
        .strip_prefix("unexpected character: `")
        .and_then(|c| c.strip_suffix('\''))
    {
        return (
            format!("unexpected character `{c}`"),
            Some("remove it: YAML text holds no control characters".to_string()),
        );
    }
    match message {
        "recursion limit exceeded" => {
            return (
                "the file exceeds bcp's parser limits: nesting too deep".to_string(),
                None,
            );
        }
        "expected mapping start" => {
            return (
                "expected `key: value` lines (a mapping) here".to_string(),
                None,
            );
        }
        "expected sequence start" => return ("expected a list here".to_string(), None),
        "expected string scalar" => {
            return (
                "expected text here".to_string(),
                Some(
                    "write plain text, not a list or a mapping (quote it if it holds `: ` or ` #`)"
                        .to_string(),
                ),
            );
        }
        _ => {}
    }
    // serde-saphyr names the Rust type that did not parse ("invalid u32"): say what to write.
    let wanted = match message {
        "invalid u8" | "invalid u16" | "invalid u32" | "invalid u64" => Some("a whole number"),
        "invalid bool" | "invalid boolean" => Some("`true` or `false`"),
        _ => None,
    };
    if let Some(wanted) = wanted {
        return (
            format!("expected {wanted} here"),
            Some(format!("write {wanted} without quotes")),
        );
    }
    (message.to_string(), None)
}

/// Merges the parsed files into one plan, in file order. `folder`: the first file is the
/// folder's `bcp.yaml`, the only one whose `files:` section is read.
fn merge(files: Vec<(u32, PlanFile)>, folder: bool, diagnostics: &mut Vec<Diagnostic>) -> Plan {
    let mut plan = Plan::default();
    let mut meta_seen: Option<Span> = None;
    let mut call_tree_seen: Option<Span> = None;
    let mut response_seen: Option<Span> = None;
    for (file, f) in files {
        if let Some(files) = f.files.filter(|_| folder && file != 0) {
            diagnostics.push(
                Diagnostic::error("L002", "`files` is read from `bcp.yaml` only")
                    .at(files.span)
                    .help("move the `files:` section to the plan folder's bcp.yaml"),
            );
        }
        if let Some(meta) = f.plan {
            if let Some(first) = meta_seen {
                diagnostics.push(
                    Diagnostic::error("L006", "the `plan` section is written twice")
                        .at(meta.span)
                        .also(first, "first written here")
                        .help("keep one `plan:` section, normally in `bcp.yaml`"),
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
            Diagnostic::error("L006", format!("the `{name}` section is written twice"))
                .at(value.span)
                .also(first, "first written here")
                .help(format!("keep one `{name}:` section in the plan")),
        );
    } else {
        *seen = Some(value.span);
        *slot = Some(value);
    }
}
