//! Help, completions, the man page and colour: what a user sees before using a plan.

use crate::common::{root, status, stderr, stdout};
use bcp::cli::Cli;
use clap::CommandFactory;
use std::process::{Command, Output};

/// Runs bcp with a fixed terminal width, so wrapped help is the same on every machine.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bcp"));
    command
        .args(args)
        .current_dir(root())
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the bcp binary runs")
}

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

/// The commands a user sees (hidden ones, for the benchmark, are left out of help and man).
fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .filter(|name| name != "help")
        .collect()
}

/// `bcp --help` and `bcp <command> --help` for every command, reviewed as snapshots. Every
/// command's help has a paragraph and an example.
#[test]
fn help_of_every_command() {
    let o = run(&["--help"], &[("NO_COLOR", "1")]);
    assert_eq!(status(&o), 0);
    assert!(stdout(&o).contains("\nExample: bcp "), "{}", stdout(&o));
    insta::assert_snapshot!("help", stdout(&o));
    for name in subcommands() {
        let o = run(&[&name, "--help"], &[("NO_COLOR", "1")]);
        assert_eq!(status(&o), 0, "{name}");
        let text = stdout(&o);
        assert!(
            text.contains("\nExample: bcp "),
            "`bcp {name} --help` has no example:\n{text}"
        );
        let paragraph = text.lines().next().unwrap_or_default();
        assert!(
            paragraph.len() > 20,
            "`bcp {name} --help` has no description:\n{text}"
        );
        insta::assert_snapshot!(format!("help-{name}"), text);
    }
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef bcp"),
        ("fish", "complete -c bcp"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(&["completions", shell], &[]);
        assert_eq!(status(&o), 0, "{shell}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(text.contains(marker), "{shell}: no `{marker}`");
        for name in subcommands() {
            assert!(text.contains(&name), "{shell} completion lacks `{name}`");
        }
        // The benchmark's commands are for the benchmark, not for plan authors.
        for hidden in ["parse-only", "generate"] {
            assert!(
                !text.contains(hidden),
                "{shell} completion offers `{hidden}`"
            );
        }
    }
    // `explain`, `--only` and `--skip` complete rule codes (and, for the filters, families).
    let bash = stdout(&run(&["completions", "bash"], &[]));
    let explain = bash
        .lines()
        .find(|l| l.contains("opts=\"-h --list"))
        .expect("explain's options in the bash completion");
    assert!(
        explain.contains(" L001 ") && explain.contains(" M004"),
        "{explain}"
    );
    let fish = stdout(&run(&["completions", "fish"], &[]));
    let (_, only) = fish
        .split_once("using_subcommand validate\" -l only")
        .expect("--only in the fish completion");
    let only = only.split("\ncomplete ").next().unwrap_or_default();
    assert!(
        only.contains(r"M\t'every rule of the family'") && only.contains(r"G004\t'the achievable"),
        "{only}"
    );
    let o = run(&["completions", "tcsh"], &[]);
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("possible values"), "{}", stderr(&o));
}

#[test]
fn man_page_is_roff_with_every_command() {
    let o = run(&["man"], &[]);
    assert_eq!(status(&o), 0);
    let text = stdout(&o);
    assert!(
        text.starts_with(".ie \\n(.g .ds Aq") || text.contains(".TH bcp"),
        "{text}"
    );
    assert!(text.contains(".TH bcp 1"), "{text}");
    for name in subcommands() {
        assert!(
            text.contains(&format!(".SS \"bcp {name}\"\n")),
            "man page lacks a section for `{name}`"
        );
    }
    assert!(!text.contains("parse\\-only"), "{text}");
    assert!(
        text.contains(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\n"),
        "{text}"
    );
    // The page refers to no other manual page: there is only this one.
    let references: Vec<&str> = text
        .match_indices("(1)")
        .map(|(at, _)| text[..at].rsplit([' ', '\n']).next().unwrap_or_default())
        .collect();
    assert!(references.is_empty(), "{references:?}");
}

/// Colour only on a terminal without NO_COLOR, or when asked: tests never run on a terminal,
/// so the default is plain on both streams.
#[test]
fn colour_follows_the_stream_and_no_color() {
    let missing = "tests/fixtures/does-not-exist";
    let plain = run(&["validate", missing], &[]);
    assert_eq!(status(&plain), 2);
    assert!(
        stderr(&plain).starts_with("error: cannot read"),
        "{}",
        stderr(&plain)
    );
    assert!(!stderr(&plain).contains('\x1b'));

    let forced = run(
        &["--color", "always", "validate", missing],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(status(&forced), 2);
    assert!(stderr(&forced).contains("\x1b["), "{:?}", stderr(&forced));

    let never = run(&["--color", "never", "validate", missing], &[]);
    assert!(!stderr(&never).contains('\x1b'));
}

/// The CI recipes run commands bcp understands: the workflow uses bcp's own GitHub Action at
/// this version with inputs the action declares, the action's `bcp validate` lines parse with
/// bcp's command line, and the pre-commit hooks' entries do too.
#[test]
fn ci_recipes_call_real_commands() {
    use clap::Parser;
    let workflow: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join("ci/github-actions.yml")).unwrap(),
    )
    .unwrap();
    let steps = workflow["jobs"]["validate"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("/bcp@")))
        .expect("the workflow uses bcp's action");
    assert_eq!(
        step["uses"],
        format!("YOUR-ORG/bcp@v{}", env!("CARGO_PKG_VERSION"))
    );
    let action_text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_json::Value = serde_saphyr::from_str(&action_text).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    for (input, _) in step["with"].as_object().unwrap() {
        assert!(
            action["inputs"][input].is_object(),
            "the action has no input `{input}`"
        );
    }
    // The install is pinned to Cargo.lock, and every `bcp validate` line parses.
    assert!(action_text.contains("cargo install --locked --path \"$SOURCE\""));
    let lines: Vec<&str> = action_text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"$BCP\" validate "))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for line in lines {
        let args: Vec<&str> = ["bcp", "validate"]
            .into_iter()
            .chain(
                line.split_whitespace()
                    .take_while(|w| !w.starts_with("\"${extra"))
                    .map(|w| if w == "\"$PLAN\"" { "plan" } else { w }),
            )
            .chain(["--skip", "M004", "--deny-warnings"])
            .collect();
        Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }

    let hooks: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let languages: Vec<(&str, &str)> = hooks
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h["language"].as_str().unwrap()))
        .collect();
    assert_eq!(
        languages,
        [("bcp-validate", "system"), ("bcp-validate-build", "rust")]
    );
    for hook in hooks.as_array().unwrap() {
        assert_eq!(hook["pass_filenames"], false);
        assert_eq!(hook["files"], "\\.ya?ml$");
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(entry, ["bcp", "validate"]);
        Cli::try_parse_from(entry.iter().chain(&["plan"])).unwrap();
    }
}

/// The action's validate step, run as GitHub runs a composite step (`bash -eo pipefail`) with
/// this bcp: annotations on stdout, the exit status and the SARIF file in the step's outputs,
/// extra arguments passed through.
#[test]
fn the_actions_validate_step_annotates_and_reports_the_exit_status() {
    let action: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(root().join("action.yml")).unwrap())
            .unwrap();
    let script = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "validate")
        .and_then(|s| s["run"].as_str())
        .expect("the action has a step `validate` with a script");
    let runner = tempfile::tempdir().unwrap();
    let outputs = runner.path().join("github_output");
    let o = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(root())
        .env("BCP", env!("CARGO_BIN_EXE_bcp"))
        .env("PLAN", "tests/fixtures/validate/B002-rto-outside-tier")
        .env("ARGS", "--today 2026-11-27 --deny-warnings")
        .env("SARIF", "true")
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .expect("bash runs");
    assert_eq!(
        status(&o),
        0,
        "the step records the status, the last step fails: {}",
        stderr(&o)
    );
    assert!(
        stdout(&o).starts_with(
            "::warning file=tests/fixtures/validate/B002-rto-outside-tier/bcp.yaml,line=27,col=10,title=B002::"
        ),
        "{}",
        stdout(&o)
    );
    let sarif = runner.path().join("bcp.sarif");
    assert_eq!(
        std::fs::read_to_string(&outputs).unwrap(),
        format!("sarif-file={}\nexit-code=1\n", sarif.display())
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "B002");
}
