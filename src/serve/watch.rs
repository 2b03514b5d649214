//! Noticing that the plan changed: every [`POLL`], the size and modification time of each plan
//! file (`*.yaml`, `*.yml`) and each file under the plan's `templates/` are compared with the
//! last look. A change is acted on once the files have been still for [`QUIET`], so that an
//! editor's save (write, rename, touch) or a `git checkout` of many files makes one rebuild.
//!
//! Polling rather than the operating system's notifications: a plan is tens to hundreds of
//! files, a look costs one `stat` each (well under a millisecond for the 211 files of a
//! 10,000-function plan), and it behaves the same on every platform, on network drives and
//! in containers, with editors that save by renaming, and for files created after start.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the files are looked at.
pub const POLL: Duration = Duration::from_millis(250);
/// How long the files must stay unchanged before the plan is rebuilt.
pub const QUIET: Duration = Duration::from_millis(200);
/// Deepest folder nesting looked into under `templates/`.
const MAX_DEPTH: usize = 16;

/// Each watched file's path, size and modification time, in path order.
pub type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// What to watch for a plan path.
#[derive(Debug, Clone)]
pub struct Watched {
    /// The plan folder (the file's folder for a one-file plan).
    root: PathBuf,
    /// The plan file, for a one-file plan.
    file: Option<PathBuf>,
}

impl Watched {
    pub fn new(path: &Path) -> Self {
        if path.is_dir() {
            Watched {
                root: path.to_path_buf(),
                file: None,
            }
        } else {
            let root = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            Watched {
                root,
                file: Some(path.to_path_buf()),
            }
        }
    }

    /// The watched files as they are now.
    pub fn fingerprint(&self) -> Fingerprint {
        let mut found = Vec::new();
        match &self.file {
            Some(file) => found.push(file.clone()),
            // The loader's own list, so that what is watched is what is loaded. A folder whose
            // `bcp.yaml` went missing has none; its return is a change.
            None => found.extend(
                // (Files it skips, it reports when loading: not watched.)
                crate::load::plan_files(&self.root, &mut Vec::new())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|relative| self.root.join(relative)),
            ),
        }
        walk_all(&self.root.join("templates"), 0, &mut found);
        let mut out: Fingerprint = found
            .into_iter()
            .filter_map(|path| {
                let meta = std::fs::metadata(&path).ok()?;
                meta.is_file()
                    .then(|| (path, meta.len(), meta.modified().ok()))
            })
            .collect();
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

/// Every file below a folder (the plan's `templates/`), hidden ones left out.
fn walk_all(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => {
                if depth < MAX_DEPTH {
                    walk_all(&entry.path(), depth + 1, found);
                }
            }
            Ok(_) => found.push(entry.path()),
            Err(_) => {}
        }
    }
}

/// Which files differ between two looks, for the log: `bcp.yaml`, or `bcp.yaml and 3 more`.
pub fn describe(before: &Fingerprint, after: &Fingerprint, root: &Path) -> String {
    let mut changed: Vec<&Path> = after
        .iter()
        .filter(|entry| !before.contains(entry))
        .map(|(path, _, _)| path.as_path())
        .collect();
    changed.extend(
        before
            .iter()
            .filter(|(path, _, _)| !after.iter().any(|(p, _, _)| p == path))
            .map(|(path, _, _)| path.as_path()),
    );
    let Some(first) = changed.first() else {
        return "no file".into();
    };
    let first = first.strip_prefix(root).unwrap_or(first).display();
    match changed.len() {
        1 => format!("{first}"),
        n => format!("{first} and {} more", n - 1),
    }
}

impl Watched {
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Waits for the next change and for the files to settle; returns the new look.
    pub fn next_change(&self, last: &Fingerprint) -> Fingerprint {
        loop {
            std::thread::sleep(POLL);
            let mut now = self.fingerprint();
            if now == *last {
                continue;
            }
            loop {
                std::thread::sleep(QUIET);
                let again = self.fingerprint();
                if again == now {
                    return now;
                }
                now = again;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_files_and_templates_are_watched_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("bcp.yaml", "plan: {}"),
            ("teams/it.yml", "teams: []"),
            ("notes.txt", "not a plan file"),
            (".git/config", "hidden"),
            ("out/full.html", "output"),
            ("templates/full.md", "override"),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let watched = Watched::new(root);
        let names: Vec<String> = watched
            .fingerprint()
            .iter()
            .map(|(p, _, _)| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["bcp.yaml", "teams/it.yml", "templates/full.md"]);

        let before = watched.fingerprint();
        std::fs::write(root.join("teams/it.yml"), "teams: [] # longer").unwrap();
        std::fs::write(root.join("new.yaml"), "risks: []").unwrap();
        let after = watched.fingerprint();
        assert_ne!(before, after);
        assert_eq!(describe(&before, &after, root), "new.yaml and 1 more");

        let one = Watched::new(&root.join("bcp.yaml"));
        let names: Vec<String> = one
            .fingerprint()
            .iter()
            .map(|(p, _, _)| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["bcp.yaml", "templates/full.md"]);
    }
}
