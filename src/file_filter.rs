//! Which files of a plan folder are read: the `include`/`exclude` globs of `bcp.yaml`'s
//! `files:` section, written as in `.gitignore`.

use crate::diagnostic::Diagnostic;
use crate::model::FileSelection;
use crate::t;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;

/// Folder names skipped at every depth, whatever the patterns say: package managers' folders
/// never hold plan files and can hold thousands of YAML files.
pub const SKIPPED_EVERYWHERE: &[&str] = &["node_modules"];

/// Folder names skipped at the top of the plan folder: the plan's own template overrides,
/// rendered output and a build folder next to it.
pub const SKIPPED_AT_TOP: &[&str] = &["templates", "profiles", "out", "target"];

/// The compiled patterns. The default (no `files:` section) reads every YAML file.
#[derive(Debug, Default)]
pub struct FileFilter {
    include: Option<Patterns>,
    exclude: Patterns,
}

/// A set of patterns, with those written with a trailing `/` matching folders only.
#[derive(Debug, Default)]
struct Patterns {
    any: GlobSet,
    folders: GlobSet,
}

impl Patterns {
    fn matches(&self, relative: &str, is_folder: bool) -> bool {
        self.any.is_match(relative) || (is_folder && self.folders.is_match(relative))
    }
}

impl FileFilter {
    /// Compiles the patterns; a pattern that is not a valid glob is reported (L002) and left
    /// out.
    pub fn new(selection: &FileSelection) -> (Self, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let include = (!selection.include.is_empty())
            .then(|| compile(&selection.include, "include", &mut problems));
        let exclude = compile(&selection.exclude, "exclude", &mut problems);
        (FileFilter { include, exclude }, problems)
    }

    /// Whether a folder (path relative to the plan folder) is left out with all it holds.
    pub fn skips_folder(&self, relative: &Path) -> bool {
        self.exclude.matches(&slashed(relative), true)
    }

    /// Whether a YAML file (path relative to the plan folder) is read. `bcp.yaml` always is.
    pub fn reads_file(&self, relative: &Path) -> bool {
        if relative == Path::new("bcp.yaml") {
            return true;
        }
        if self.exclude.matches(&slashed(relative), false) {
            return false;
        }
        let Some(include) = &self.include else {
            return true;
        };
        // A pattern naming a folder includes what is in it.
        include.matches(&slashed(relative), false)
            || relative
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .any(|folder| include.matches(&slashed(folder), true))
    }
}

/// A relative path with `/` between its parts, as patterns are written on every platform.
fn slashed(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

fn compile(
    patterns: &[crate::model::Sp<String>],
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Patterns {
    let mut any = GlobSetBuilder::new();
    let mut folders = GlobSetBuilder::new();
    for pattern in patterns {
        match glob(pattern) {
            Ok((glob, folder_only)) => {
                if folder_only {
                    folders.add(glob);
                } else {
                    any.add(glob);
                }
            }
            Err(reason) => problems.push(
                Diagnostic::error(
                    "L002",
                    t!("L002.glob.message", key, pattern = pattern.value, reason),
                )
                .at(pattern.span)
                .help(t!("L002.glob.help")),
            ),
        }
    }
    Patterns {
        any: any.build().unwrap_or_else(|_| GlobSet::empty()),
        folders: folders.build().unwrap_or_else(|_| GlobSet::empty()),
    }
}

/// One pattern as a glob over `/`-separated relative paths, and whether it names folders only
/// (a trailing `/`). A pattern without `/` matches a name at any depth, as in `.gitignore`.
fn glob(pattern: &str) -> Result<(Glob, bool), String> {
    let trimmed = pattern.trim();
    let folder_only = trimmed.ends_with('/');
    let body = trimmed.trim_end_matches('/');
    let anchored = body.starts_with('/') || body.contains('/');
    let body = body.trim_start_matches("./").trim_start_matches('/');
    if body.is_empty() {
        return Err("it is empty".to_string());
    }
    let full = if anchored {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    let glob = GlobBuilder::new(&full)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())?;
    Ok((glob, folder_only))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sp;

    fn filter(include: &[&str], exclude: &[&str]) -> FileFilter {
        let list = |l: &[&str]| {
            l.iter()
                .map(|p| Sp::new((*p).to_string(), crate::model::Span::default()))
                .collect()
        };
        let (filter, problems) = FileFilter::new(&FileSelection {
            include: list(include),
            exclude: list(exclude),
        });
        assert!(problems.is_empty(), "{problems:?}");
        filter
    }

    #[test]
    fn patterns_work_as_in_gitignore() {
        let f = filter(&[], &["mkdocs.yml", "docs/", "ci/**/*.yml", "/top.yaml"]);
        assert!(!f.reads_file(Path::new("mkdocs.yml")));
        assert!(
            !f.reads_file(Path::new("site/mkdocs.yml")),
            "no slash: any depth"
        );
        assert!(f.skips_folder(Path::new("docs")));
        assert!(f.skips_folder(Path::new("a/docs")));
        assert!(
            f.reads_file(Path::new("docs")),
            "`docs/` names folders only"
        );
        assert!(!f.reads_file(Path::new("ci/github/x.yml")));
        assert!(f.reads_file(Path::new("ci/x.yaml")));
        assert!(!f.reads_file(Path::new("top.yaml")));
        assert!(f.reads_file(Path::new("a/top.yaml")), "a leading / anchors");
        assert!(f.reads_file(Path::new("functions.yaml")));
    }

    #[test]
    fn include_limits_what_is_read_and_bcp_yaml_is_always_read() {
        let f = filter(&["plan", "extra/*.yaml"], &["plan/draft-*.yaml"]);
        assert!(f.reads_file(Path::new("bcp.yaml")));
        assert!(f.reads_file(Path::new("plan/it/systems.yaml")));
        assert!(f.reads_file(Path::new("extra/a.yaml")));
        assert!(
            !f.reads_file(Path::new("extra/deeper/a.yaml")),
            "`*` stays in a folder"
        );
        assert!(!f.reads_file(Path::new("other.yaml")));
        assert!(
            !f.reads_file(Path::new("plan/draft-1.yaml")),
            "exclude wins"
        );
    }

    #[test]
    fn a_bad_glob_is_reported() {
        let (_, problems) = FileFilter::new(&FileSelection {
            include: vec![],
            exclude: vec![Sp::new(
                "docs/[a".to_string(),
                crate::model::Span::default(),
            )],
        });
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "L002");
    }
}
