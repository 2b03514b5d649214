//! Which files of a plan folder are read: default skips, `files: {include, exclude}` in
//! `bcp.yaml`, and one clear finding (L009) for a YAML file that is not a plan file.

use crate::common::{bcp, copy_dir, root, status, stdout};
use std::path::Path;

const TODAY: &str = "2026-11-27";

/// The acme example in a temporary folder, with extra files written into it.
fn plan_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/acme"), temp.path());
    for (name, text) in files {
        let path = temp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    temp
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// The summary of the acme example, whose plan accepts three cost findings by exception.
const CLEAN: &str = "no problems found; 3 accepted by exceptions: 3 F003";

/// `bcp validate DIR --format short`: exit status and the lines, with DIR left out, and
/// without the acme example's accepted findings (the summary still counts them).
fn short(dir: &Path) -> (i32, Vec<String>) {
    let dir = dir.to_str().unwrap();
    let o = bcp(&["validate", dir, "--today", TODAY, "--format", "short"]);
    let lines = stdout(&o)
        .lines()
        .filter(|l| !l.contains(": accepted[F003]: "))
        .map(|l| l.replace(&format!("{dir}/"), ""))
        .collect();
    (status(&o), lines)
}

const MKDOCS: &str = "site_name: Acme continuity\nnav:\n  - Home: index.md\ntheme: material\n";

#[test]
fn a_foreign_yaml_file_gets_one_finding_saying_how_to_exclude_it() {
    let plan = plan_with(&[("site/mkdocs.yml", MKDOCS)]);
    let dir = plan.path().to_str().unwrap();
    let o = bcp(&["validate", dir, "--today", TODAY]);
    assert_eq!(status(&o), 1);
    // The acme example's accepted cost findings are reported too; they are not what this is about.
    let text: String = stdout(&o)
        .replace(&format!("{dir}/"), "")
        .split_inclusive("\n\n")
        .filter(|block| !block.starts_with("accepted[F003]"))
        .collect();
    assert_eq!(
        text,
        "error[L009]: not a plan file: none of its keys (`site_name`, `nav`, `theme`) is a plan section
 --> site/mkdocs.yml:1:1
  |
1 | site_name: Acme continuity
  | ^^^^^^^^^ not a plan section
  |
help: if the file belongs to another tool, leave it out in bcp.yaml with `files: {exclude: [\"site/mkdocs.yml\"]}`; plan files hold sections such as `plan`, `people` and `functions` (`bcp schema` lists them)

1 error, 0 warnings: 1 L009; 3 accepted by exceptions: 3 F003
"
    );

    // The rest of the plan is still checked.
    let plan = plan_with(&[
        ("mkdocs.yml", MKDOCS),
        (
            "more.yaml",
            "sites:\n  - id: fc-north\n    name: Twice\n    kind: office\n",
        ),
    ]);
    let (exit, lines) = short(plan.path());
    assert_eq!(exit, 1);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("mkdocs.yml:1:1: error[L009]: "),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("more.yaml:2:9: error[R001]: duplicate id `fc-north`"),
        "{lines:#?}"
    );
}

/// A file with plan sections and a misspelt one is a plan file with a mistake, not a foreign
/// file: the key is reported with the nearest section.
#[test]
fn a_misspelt_section_is_not_a_foreign_file() {
    let plan = plan_with(&[("extra.yaml", "fuctions: []\n")]);
    let (exit, lines) = short(plan.path());
    assert_eq!(exit, 1);
    assert_eq!(
        lines,
        [
            "extra.yaml:1:1: error[L002]: unknown key `fuctions`",
            "1 error, 0 warnings"
        ]
    );
}

#[test]
fn hidden_folders_node_modules_and_top_level_tool_folders_are_skipped() {
    let foreign = "name: not a plan\n";
    let plan = plan_with(&[
        (".github/workflows/ci.yml", foreign),
        (".hidden.yaml", foreign),
        ("node_modules/pkg/x.yaml", foreign),
        ("docs/node_modules/pkg/x.yaml", foreign),
        ("templates/x.yaml", foreign),
        ("out/x.yaml", foreign),
        ("target/x.yaml", foreign),
    ]);
    assert_eq!(short(plan.path()), (0, vec![CLEAN.to_string()]));

    // `templates/`, `out/` and `target/` are skipped at the top only.
    let plan = plan_with(&[("docs/templates/x.yaml", foreign)]);
    let (exit, lines) = short(plan.path());
    assert_eq!(exit, 1);
    assert!(
        lines[0].starts_with("docs/templates/x.yaml:1:1: error[L009]"),
        "{lines:#?}"
    );
}

#[test]
fn exclude_patterns_leave_files_and_folders_out() {
    let plan = plan_with(&[
        ("mkdocs.yml", MKDOCS),
        ("site/mkdocs.yml", MKDOCS),
        ("docs/conf.yaml", "title: x\n"),
        ("ci/github/build.yml", "on: push\n"),
    ]);
    append(
        &plan.path().join("bcp.yaml"),
        "\nfiles:\n  exclude: [mkdocs.yml, docs/, \"ci/**/*.yml\"]\n",
    );
    assert_eq!(short(plan.path()), (0, vec![CLEAN.to_string()]));
}

/// `bcp.yaml` is read for its `files:` section before the folder is searched; a key spelt
/// with an escape is still that section.
#[test]
fn a_files_section_with_an_escaped_key_is_read() {
    let plan = plan_with(&[("mkdocs.yml", MKDOCS)]);
    let main = plan.path().join("bcp.yaml");
    // Not even a comment of it says "files".
    let text = std::fs::read_to_string(&main)
        .unwrap()
        .replace("files", "parts");
    std::fs::write(&main, text).unwrap();
    let (status, lines) = short(plan.path());
    assert!(
        status == 1 && lines.iter().any(|l| l.starts_with("mkdocs.yml:")),
        "{lines:?}"
    );
    append(&main, "\n\"fil\\x65s\":\n  exclude: [mkdocs.yml]\n");
    assert_eq!(short(plan.path()), (0, vec![CLEAN.to_string()]));
}

#[test]
fn include_patterns_choose_the_plan_files() {
    let plan = plan_with(&[("mkdocs.yml", MKDOCS)]);
    // Move every plan file but bcp.yaml into `plan/`, and read only that folder.
    std::fs::create_dir(plan.path().join("plan")).unwrap();
    for name in [
        "assets.yaml",
        "bia.yaml",
        "exercises.yaml",
        "governance.yaml",
        "response.yaml",
    ] {
        std::fs::rename(plan.path().join(name), plan.path().join("plan").join(name)).unwrap();
    }
    append(
        &plan.path().join("bcp.yaml"),
        "\nfiles:\n  include: [plan/]\n",
    );
    assert_eq!(short(plan.path()), (0, vec![CLEAN.to_string()]));

    // Without the include, mkdocs.yml is read again.
    let text = std::fs::read_to_string(plan.path().join("bcp.yaml")).unwrap();
    std::fs::write(
        plan.path().join("bcp.yaml"),
        text.replace("files:\n  include: [plan/]\n", ""),
    )
    .unwrap();
    assert_eq!(short(plan.path()).0, 1);
}

#[test]
fn a_bad_pattern_or_a_files_section_outside_bcp_yaml_is_an_error() {
    let plan = plan_with(&[("extra.yaml", "files:\n  exclude: [x.yaml]\n")]);
    append(
        &plan.path().join("bcp.yaml"),
        "\nfiles:\n  exclude: [\"docs/[a\"]\n",
    );
    let lines = std::fs::read_to_string(plan.path().join("bcp.yaml"))
        .unwrap()
        .lines()
        .count();
    let (exit, found) = short(plan.path());
    assert_eq!(exit, 1);
    assert_eq!(
        found,
        [
            format!(
                "bcp.yaml:{lines}:13: error[L002]: `files.exclude` pattern `docs/[a` is not a valid glob: unclosed character class; missing ']'"
            ),
            "extra.yaml:2:3: error[L002]: `files` is read from `bcp.yaml` only".to_string(),
            "2 errors, 0 warnings: 2 L002; 3 accepted by exceptions: 3 F003".to_string(),
        ]
    );
}
