//! `bcp init`: writes a new plan folder from a built-in skeleton.
//!
//! The skeletons live in `templates/init/<template>/<lang>/` and are compiled in. Their
//! comments explain each section and field; every value the author must supply holds `TODO`
//! (reported by rule M004 until filled in), and everything else is valid, so a fresh
//! scaffold fails `bcp validate` only on its placeholders. Three markers are replaced when
//! writing: `{{org}}`, `{{today}}` and `{{due}}` (today plus three months, for action due
//! dates).

use crate::cli::{InitArgs, InitLang, Template};
use crate::error::Error;
use crate::model::Date;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `bcp init` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    pub lang: InitLang,
    pub template: Template,
    pub org: Option<String>,
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

/// Writes the plan folder and returns what to print: the files written and the next steps.
///
/// # Errors
/// [`Error::WouldOverwrite`] naming the first file that exists (nothing is written then) unless
/// `force`; [`Error::WriteOutput`] when the folder or a file cannot be written.
pub fn init(options: &Options) -> Result<String, Error> {
    let files = files(options);
    let set: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(path, text)| (options.dir.join(path), text.as_bytes()))
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
    Ok(report(options, &files))
}

fn report(options: &Options, files: &[(PathBuf, String)]) -> String {
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
    let _ = writeln!(out, "created a {template} plan ({lang}) in `{dir}`:");
    for (path, _) in files {
        let _ = writeln!(out, "  {}", options.dir.join(path).display());
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "next steps:");
    let _ = writeln!(
        out,
        "  1. replace each of the {placeholders} `TODO` values with your plan's facts; `bcp validate {dir}` lists every one left with its file:line:col"
    );
    let _ = writeln!(
        out,
        "  2. review the dates, durations and choices the comments mark as defaults to review"
    );
    let _ = writeln!(
        out,
        "  3. open the folder in VS Code with the YAML extension (redhat.vscode-yaml): completion and hover help come from {SCHEMA_FILE}"
    );
    let _ = writeln!(
        out,
        "  4. check the plan on every change: copy ci/github-actions.yml or use the `bcp-validate` pre-commit hook (docs/editor-and-ci.md)"
    );
    out
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
