//! `bcp init`: writes a new plan folder from a built-in skeleton.
//!
//! The skeletons live in `templates/init/<template>/<lang>/` and are compiled in. Their
//! comments explain each section and field; every value the author must supply holds `TODO`
//! (reported by rule M004 until filled in), and everything else is valid, so a fresh
//! scaffold fails `bcp validate` only on its placeholders. Three markers are replaced when
//! writing: `{{org}}`, `{{today}}` and `{{due}}` (today plus three months, for action due
//! dates).

use crate::cli::{Ci, InitArgs, InitLang, Template};
use crate::error::Error;
use crate::model::Date;
use crate::t;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `bcp init` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    pub lang: InitLang,
    pub template: Template,
    pub org: Option<String>,
    /// Also write a CI workflow for this service.
    pub ci: Option<Ci>,
    pub force: bool,
    pub today: Date,
}

impl Options {
    pub fn from_args(args: &InitArgs) -> Self {
        Options {
            dir: args.dir.clone(),
            lang: args.lang,
            template: args.template,
            org: args.org.clone(),
            ci: args.ci,
            force: args.force,
            today: args.today.unwrap_or_else(Date::today),
        }
    }
}

/// Name of the schema file written next to the plan.
pub const SCHEMA_FILE: &str = "bcp.schema.json";

macro_rules! skeleton {
    ($template:literal, $lang:literal, [$($name:literal),* $(,)?]) => {
        &[$((
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/init/", $template, "/", $lang, "/", $name)),
        )),*]
    };
}

type Skeleton = &'static [(&'static str, &'static str)];

/// One template in both languages: the same files, each translated.
macro_rules! skeletons {
    ($en:ident, $zh:ident, $template:literal, [$($name:literal),* $(,)?]) => {
        const $en: Skeleton = skeleton!($template, "en", [$($name),*]);
        const $zh: Skeleton = skeleton!($template, "zh-CN", [$($name),*]);
    };
}

skeletons!(
    MINIMAL_EN,
    MINIMAL_ZH,
    "minimal",
    [
        "bcp.yaml",
        "people.yaml",
        "functions.yaml",
        "systems.yaml",
        "procedures.yaml",
        "exercises.yaml",
    ]
);
skeletons!(
    STANDARD_EN,
    STANDARD_ZH,
    "standard",
    [
        "bcp.yaml",
        "people.yaml",
        "risks.yaml",
        "functions.yaml",
        "systems.yaml",
        "sites.yaml",
        "suppliers.yaml",
        "procedures.yaml",
        "exercises.yaml",
    ]
);
skeletons!(
    BANK_EN,
    BANK_ZH,
    "bank",
    [
        "bcp.yaml",
        "people.yaml",
        "risks.yaml",
        "functions.yaml",
        "systems.yaml",
        "sites.yaml",
        "suppliers.yaml",
        "procedures.yaml",
        "exercises.yaml",
    ]
);

fn skeleton(template: Template, lang: InitLang) -> Skeleton {
    match (template, lang) {
        (Template::Minimal, InitLang::En) => MINIMAL_EN,
        (Template::Minimal, InitLang::ZhCn) => MINIMAL_ZH,
        (Template::Standard, InitLang::En) => STANDARD_EN,
        (Template::Standard, InitLang::ZhCn) => STANDARD_ZH,
        (Template::Bank, InitLang::En) => BANK_EN,
        (Template::Bank, InitLang::ZhCn) => BANK_ZH,
    }
}

/// The placeholder for the organisation when `--org` is not given.
fn org_placeholder(lang: InitLang) -> &'static str {
    match lang {
        InitLang::En => "TODO: the organisation's name",
        InitLang::ZhCn => "TODO: 机构全称",
    }
}

/// The files of a new plan: path inside the plan folder and contents, in writing order
/// (`bcp.yaml` first, the schema last).
pub fn files(options: &Options) -> Vec<(PathBuf, String)> {
    let org = options
        .org
        .as_deref()
        .unwrap_or_else(|| org_placeholder(options.lang));
    // A JSON string is a valid YAML double-quoted scalar: quotes, backslashes and control
    // characters in the name are escaped.
    let org = serde_json::to_string(org).unwrap_or_else(|_| String::from("\"\""));
    let today = options.today.to_string();
    let due = options.today.plus_months(3).to_string();
    let mut out: Vec<(PathBuf, String)> = skeleton(options.template, options.lang)
        .iter()
        .map(|(name, text)| {
            let path = PathBuf::from(name);
            let body = text
                .replace("{{org}}", &org)
                .replace("{{today}}", &today)
                .replace("{{due}}", &due);
            (
                path.clone(),
                format!(
                    "# yaml-language-server: $schema={}\n{body}",
                    schema_path(&path)
                ),
            )
        })
        .collect();
    out.push((PathBuf::from(SCHEMA_FILE), crate::schema::json()));
    out
}

/// The schema's path relative to a plan file at `file` (a path inside the plan folder), as
/// yaml-language-server resolves it: from the file's own folder.
pub fn schema_path(file: &Path) -> String {
    let depth = file.components().count().saturating_sub(1);
    if depth == 0 {
        format!("./{SCHEMA_FILE}")
    } else {
        format!("{}{SCHEMA_FILE}", "../".repeat(depth))
    }
}

/// The GitHub Actions workflow `--ci github` writes: the repository's own example workflow,
/// which runs bcp's GitHub Action (`action.yml`).
const GITHUB_WORKFLOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/ci/github-actions.yml"
));

/// Where a CI workflow goes and what it says.
#[derive(Debug, Clone)]
pub struct Workflow {
    /// At the root of the git repository holding the plan folder, or in the plan folder.
    pub path: PathBuf,
    pub text: String,
    /// Whether `uses:` still names the placeholder repository (this build does not know
    /// bcp's own).
    pub placeholder: bool,
}

/// The GitHub Actions workflow for a plan in `dir`: `.github/workflows/bcp.yml` at the root of
/// the git repository holding `dir` (the first folder upwards with a `.git`), with `path` set to
/// the plan folder inside it; in `dir` itself when it is in no repository yet.
pub fn github_workflow(dir: &Path) -> Workflow {
    let absolute = lexically_absolute(dir);
    let repository = absolute
        .ancestors()
        .find(|folder| folder.join(".git").exists())
        .map(Path::to_path_buf);
    let (root, plan) = match repository {
        Some(root) => {
            let inside = absolute.strip_prefix(&root).unwrap_or(Path::new(""));
            let parts: Vec<_> = inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let plan = if parts.is_empty() {
                ".".to_string()
            } else {
                parts.join("/")
            };
            (root, plan)
        }
        None => (dir.to_path_buf(), ".".to_string()),
    };
    let (action, placeholder) = match env!("CARGO_PKG_REPOSITORY")
        .strip_prefix("https://github.com/")
        .map(|r| r.trim_end_matches('/').trim_end_matches(".git"))
    {
        Some(repository) if !repository.is_empty() => (repository, false),
        _ => ("YOUR-ORG/bcp", true),
    };
    let text = GITHUB_WORKFLOW
        .replace(
            &format!("YOUR-ORG/bcp@v{}", env!("CARGO_PKG_VERSION")),
            &format!("{action}@v{}", env!("CARGO_PKG_VERSION")),
        )
        .replace(
            "path: \".\"",
            &format!(
                "path: {}",
                serde_json::to_string(&plan).unwrap_or_else(|_| "\".\"".into())
            ),
        );
    Workflow {
        path: root.join(".github").join("workflows").join("bcp.yml"),
        text,
        placeholder,
    }
}

/// `dir` as an absolute path with `.` and `..` resolved by name (the folder may not exist yet).
fn lexically_absolute(dir: &Path) -> PathBuf {
    let joined = std::env::current_dir().unwrap_or_default().join(dir);
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes the plan folder and returns what to print: the files written and the next steps.
///
/// # Errors
/// [`Error::WouldOverwrite`] naming the first file that exists (nothing is written then) unless
/// `force`; [`Error::WriteOutput`] when the folder or a file cannot be written.
pub fn init(options: &Options) -> Result<String, Error> {
    // `--ci` on a folder that already holds a plan adds the workflow alone.
    let only_ci = options.ci.is_some() && !options.force && options.dir.join("bcp.yaml").is_file();
    let files = if only_ci { Vec::new() } else { files(options) };
    let workflow = options.ci.map(|Ci::Github| github_workflow(&options.dir));
    let set: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(path, text)| (options.dir.join(path), text.as_bytes()))
        .chain(workflow.iter().map(|w| (w.path.clone(), w.text.as_bytes())))
        .collect();
    // Every target is checked before anything is written: a refusal leaves no trace.
    crate::output::write_set(
        &set,
        crate::output::Links::Replace,
        if options.force {
            crate::output::Existing::Replace
        } else {
            crate::output::Existing::Refuse
        },
    )?;
    Ok(report(options, &files, workflow.as_ref()))
}

fn report(options: &Options, files: &[(PathBuf, String)], workflow: Option<&Workflow>) -> String {
    let template = match options.template {
        Template::Minimal => "minimal",
        Template::Standard => "standard",
        Template::Bank => "bank",
    };
    let lang = match options.lang {
        InitLang::En => "en",
        InitLang::ZhCn => "zh-CN",
    };
    let dir = options.dir.display();
    let placeholders: usize = files.iter().map(|(_, text)| count_placeholders(text)).sum();
    let mut out = String::new();
    if let (true, Some(workflow)) = (files.is_empty(), workflow) {
        let _ = writeln!(out, "{}", t!("init.added_workflow", dir));
        let _ = writeln!(out, "  {}", workflow.path.display());
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", t!("init.next_steps"));
        let _ = writeln!(out, "  {}", ci_step(workflow).trim_start_matches("4. "));
        return out;
    }
    let _ = writeln!(out, "{}", t!("init.created", template, lang, dir));
    for (path, _) in files {
        let _ = writeln!(out, "  {}", options.dir.join(path).display());
    }
    if let Some(workflow) = workflow {
        let _ = writeln!(out, "  {}", workflow.path.display());
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", t!("init.next_steps"));
    let _ = writeln!(out, "  {}", t!("init.fill", placeholders, dir));
    let _ = writeln!(out, "  {}", t!("init.review"));
    let _ = writeln!(out, "  {}", t!("init.editor", schema = SCHEMA_FILE));
    let step = match workflow {
        Some(workflow) => ci_step(workflow),
        None => t!("init.check", dir),
    };
    let _ = writeln!(out, "  {step}");
    out
}

/// The next step once a workflow is written.
fn ci_step(workflow: &Workflow) -> String {
    let path = workflow.path.display();
    if workflow.placeholder {
        t!("init.ci_placeholder", path)
    } else {
        t!("init.ci_commit", path)
    }
}

/// Lines with a `TODO` outside comments: what the author has to fill in.
fn count_placeholders(text: &str) -> usize {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#') && line.contains("TODO"))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_path_climbs_out_of_sub_folders() {
        assert_eq!(schema_path(Path::new("bcp.yaml")), "./bcp.schema.json");
        assert_eq!(
            schema_path(Path::new("it/systems.yaml")),
            "../bcp.schema.json"
        );
        assert_eq!(
            schema_path(Path::new("a/b/c.yaml")),
            "../../bcp.schema.json"
        );
    }

    #[test]
    fn every_marker_is_replaced() {
        for template in [Template::Minimal, Template::Standard, Template::Bank] {
            for lang in [InitLang::En, InitLang::ZhCn] {
                let options = Options {
                    dir: PathBuf::from("plan"),
                    lang,
                    template,
                    org: Some("A \"quoted\" org".into()),
                    ci: None,
                    force: false,
                    today: Date::parse("2026-11-27").unwrap(),
                };
                for (path, text) in files(&options) {
                    assert!(
                        !text.contains("{{"),
                        "{template:?}/{lang:?}/{}",
                        path.display()
                    );
                    if path == Path::new("bcp.yaml") {
                        assert!(
                            text.contains(r#"organisation: "A \"quoted\" org""#),
                            "{text}"
                        );
                    }
                }
            }
        }
    }
}
