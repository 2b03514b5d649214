//! `bcp questionnaire`: BIA workbooks out, answers back into the plan's YAML.
//!
//! Workbooks are read back and filled with openpyxl (`tests/lint/questionnaire.py`), as a
//! respondent's spreadsheet program would; `.ci/run` installs it.

use crate::common::{bcp_in, copy_dir, root, status, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of an example plan in a temporary folder (imports edit it).
fn example(name: &str) -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples").join(name), &ws.path().join("plan"));
    ws
}

fn export(ws: &Path, extra: &[&str]) -> Vec<PathBuf> {
    let mut args = vec!["questionnaire", "plan", "--out", "forms"];
    args.extend(extra);
    let o = bcp_in(ws, &args);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let mut files: Vec<PathBuf> = std::fs::read_dir(ws.join("forms"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Exports the questionnaire of one owner and returns its workbook.
fn form(ws: &Path, owner: &str) -> PathBuf {
    export(ws, &["--owner", owner]);
    ws.join(format!("forms/bia-{owner}.xlsx"))
}

/// `bcp questionnaire import plan ARGS...` in the workspace.
fn import(ws: &Path, args: &[&str]) -> Output {
    let mut all = vec!["questionnaire", "import", "plan"];
    all.extend(args);
    bcp_in(ws, &all)
}

/// Every plan file's text, by path inside the plan.
fn plan_texts(ws: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![ws.join("plan")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn openpyxl() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let message = "CHECKER MISSING: openpyxl is not installed, so this check did not run (`.ci/run` installs it)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("note: {message}");
    }
    found
}

fn script(args: &[&str]) -> Output {
    let o = Command::new("python3")
        .arg(root().join("tests/lint/questionnaire.py"))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn dump(file: &Path) -> Value {
    serde_json::from_slice(&script(&["dump", file.to_str().unwrap()]).stdout).unwrap()
}

/// A filled copy of a workbook: `edits` are (sheet, cell, value).
fn fill(file: &Path, out: &Path, edits: &Value) {
    script(&[
        "fill",
        file.to_str().unwrap(),
        out.to_str().unwrap(),
        &edits.to_string(),
    ]);
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The data validation of a cell of a dumped sheet.
fn validation(sheet: &Value, cell: &str) -> Value {
    sheet["validations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["sqref"] == cell)
        .unwrap_or_else(|| panic!("no validation on {cell}: {}", sheet["validations"]))
        .clone()
}

#[test]
fn one_workbook_per_owner_same_bytes_every_time() {
    let ws = example("acme");
    let files = export(ws.path(), &[]);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "bia-claire-dobson.xlsx",
            "bia-fiona-grant.xlsx",
            "bia-hannah-lee.xlsx",
            "bia-nina-kowalski.xlsx",
            "bia-omar-haddad.xlsx",
            "bia-paul-mercer.xlsx",
            "bia-rachel-adeyemi.xlsx",
            "bia-tom-becker.xlsx",
        ]
    );
    let first = std::fs::read(&files[0]).unwrap();
    std::fs::remove_dir_all(ws.path().join("forms")).unwrap();
    export(ws.path(), &[]);
    assert_eq!(
        first,
        std::fs::read(&files[0]).unwrap(),
        "same plan, same bytes"
    );

    let o = bcp_in(
        ws.path(),
        &[
            "questionnaire",
            "plan",
            "--out",
            "one",
            "--owner",
            "fiona-grant",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "wrote one/bia-fiona-grant.xlsx for Fiona Grant (2 functions)\n"
    );
    let o = bcp_in(
        ws.path(),
        &["questionnaire", "plan", "--out", "x", "--owner", "nobody"],
    );
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("no function's owner matches"),
        "{}",
        stderr(&o)
    );
}

/// What a respondent opens: a cover, one protected form per function with the plan's
/// values, answer cells unlocked with drop-downs and ranges, hidden lists and map.
#[test]
fn forms_are_protected_prefilled_and_validated() {
    if !openpyxl() {
        return;
    }
    let ws = example("acme");
    let book = dump(&form(ws.path(), "claire-dobson"));
    let names: Vec<(&str, &str)> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("Instructions", "visible"),
            ("_lists", "hidden"),
            ("_bcp", "hidden"),
            ("order-intake", "visible"),
            ("order-fulfilment", "visible"),
        ]
    );
    let form = sheet(&book, "order-intake");
    assert_eq!(form["protected"], true);
    let cells = &form["cells"];
    assert_eq!(cells["A2"], "Function");
    assert_eq!(cells["B2"], "order-intake — Order intake");
    assert_eq!(cells["A4"], "Criticality tier");
    assert_eq!(cells["B4"], "critical");
    assert_eq!(cells["A5"], "RTO (recovery time objective)");
    assert_eq!(
        (&cells["B5"], &cells["C5"], &cells["D5"]),
        (
            &Value::from(4),
            &Value::from("hours"),
            &Value::from("4 hours")
        )
    );
    assert_eq!(
        (&cells["B6"], &cells["C6"]),
        (&Value::from(15), &Value::from("minutes"))
    );
    assert_eq!(
        (&cells["B7"], &cells["C7"]),
        (&Value::from(12), &Value::from("hours"))
    );
    assert_eq!(cells["B8"], 3, "minimum staff");
    // Dependencies: functions (none yet, two spare rows), systems, sites, suppliers.
    assert_eq!(cells["A10"], "Other function");
    assert_eq!(cells.get("B10"), None);
    assert_eq!(cells["A12"], "IT system");
    assert_eq!(
        cells["B12"],
        "order-gateway — Order gateway (web shop connectors and EDI)"
    );
    assert_eq!(cells["B17"], "cloud-provider — Stratus Cloud UK");
    let unlocked: Vec<&str> = form["unlocked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        ["B4", "B5", "C5", "B8", "B10", "B12", "B13"]
            .iter()
            .all(|c| unlocked.contains(c)),
        "{unlocked:?}"
    );
    assert!(
        !unlocked.contains(&"A4") && !unlocked.contains(&"D5") && !unlocked.contains(&"B2"),
        "{unlocked:?}"
    );
    let validation = |cell: &str| validation(form, cell);
    assert_eq!(
        validation("B4")["formula1"],
        "\"critical,essential,necessary,desirable\""
    );
    assert_eq!(validation("C5")["formula1"], "\"minutes,hours,days,weeks\"");
    assert_eq!(validation("B5")["type"], "whole");
    assert_eq!(validation("B10")["formula1"], "'_lists'!$A$2:$A$11");
    assert_eq!(validation("B12")["formula1"], "'_lists'!$B$2:$B$9");
    let map = &sheet(&book, "_bcp")["cells"];
    assert_eq!(map["A2"], "format");
    assert_eq!(map["B2"], "bcp-questionnaire");
    assert_eq!(map["B5"], "2.4");
    assert_eq!(map["A7"], "checksum");
    assert_eq!(map["B7"].as_str().unwrap().len(), 16);
}

/// Both examples: an unchanged export imports as no change, byte for byte, also after a
/// spreadsheet program saved it.
#[test]
fn unchanged_forms_import_as_no_change() {
    for name in ["acme", "bank"] {
        let ws = example(name);
        let files = export(ws.path(), &[]);
        let before = plan_texts(ws.path());
        let mut args: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        if openpyxl() {
            let saved = ws.path().join("saved.xlsx");
            fill(&files[0], &saved, &serde_json::json!([]));
            args.push(saved.display().to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = import(ws.path(), &args);
        assert_eq!(status(&o), 0, "{name}: {}{}", stdout(&o), stderr(&o));
        assert_eq!(
            stdout(&o),
            "no changes: the plan already holds every answer\n",
            "{name}"
        );
        assert_eq!(plan_texts(ws.path()), before, "{name}: nothing written");
    }
}

/// Answers changed in a spreadsheet land in the YAML as edits of those values alone: a
/// duration, a count, a dependency added to a flow list and one removed, and (bank) a block
/// list extended and a missing key added. Importing again changes nothing.
#[test]
fn answers_edit_only_the_changed_values() {
    if !openpyxl() {
        return;
    }
    let ws = example("acme");
    let filled = ws.path().join("filled.xlsx");
    fill(
        &form(ws.path(), "claire-dobson"),
        &filled,
        &serde_json::json!([
            ["order-intake", "B5", 2],
            ["order-intake", "B8", 5],
            ["order-intake", "B13", "wms"],
            ["order-intake", "B17", null],
            ["order-fulfilment", "B6", 30],
        ]),
    );
    let bia = ws.path().join("plan/bia.yaml");
    let before = std::fs::read_to_string(&bia).unwrap();
    let o = import(ws.path(), &["filled.xlsx", "--dry-run"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    // The dry run says what changes in the plan's terms, as `bcp diff` does (objectives
    // tightened or loosened, achievable times, findings the answers would bring), then
    // which cell each value comes from.
    assert_eq!(
        stdout(&o),
        "plan (now) -> plan (with the answers)\n\
         0 added, 0 removed, 0 renamed, 5 changed (1 tightened, 1 loosened), 0 call-tree changes, 4 achievable times changed; findings: 5 new, 0 fixed\n\
         \n\
         objectives:\n  \
         function `order-fulfilment` rpo: 15m -> 30m (loosened)  (plan/bia.yaml:51)\n  \
         function `order-intake` rto: 4h -> 2h (tightened)  (plan/bia.yaml:10)\n\
         \n\
         entities and fields:\n  \
         function `order-intake` depends_on.suppliers: [cloud-provider] -> —  (plan/bia.yaml:41)\n  \
         function `order-intake` depends_on.systems: [order-gateway] -> [order-gateway, wms]  (plan/bia.yaml:40)\n  \
         function `order-intake` resources.staff: 3 -> 5  (plan/bia.yaml:34)\n\
         \n\
         achievable recovery times:\n  \
         function `order-fulfilment` achievable: 8h20m -> 9h5m (slower)  (plan/bia.yaml:45)\n  \
         function `order-fulfilment` achievable[sc-colo-outage]: 7h50m -> 8h35m (slower)  (plan/bia.yaml:45)\n  \
         function `order-fulfilment` achievable[sc-ransomware]: 7h20m -> 8h5m (slower)  (plan/bia.yaml:45)\n  \
         function `order-intake` achievable: 1h45m -> 6h5m (slower)  (plan/bia.yaml:5)\n\
         \n\
         new findings:\n  \
         error[F001]: chosen strategy `st-cloud-dr` recovers `order-intake` in 4h, over its RTO 2h  (plan/bia.yaml:357)\n  \
         error[G002]: function `order-intake` (RTO 2h) depends on system `wms`, whose RTO is longer (6h)  (plan/bia.yaml:40)\n  \
         error[G004]: function `order-intake` cannot be recovered within its RTO: it needs 6h5m, the RTO is 2h  (plan/bia.yaml:10)\n  \
         error[X001]: in scenario `sc-colo-outage`, function `order-intake` needs 5h35m, over its RTO of 2h  (plan/bia.yaml:10)\n  \
         error[X001]: in scenario `sc-ransomware`, function `order-intake` needs 5h5m, over its RTO of 2h  (plan/bia.yaml:10)\n\
         \n\
         from the answers:\n  \
         `rto` of `order-intake`: filled.xlsx:order-intake!B5\n  \
         `resources.staff` of `order-intake`: filled.xlsx:order-intake!B8\n  \
         `depends_on.systems` of `order-intake`: filled.xlsx:order-intake!B13\n  \
         `depends_on.suppliers` of `order-intake`: filled.xlsx:order-intake!B17\n  \
         `rpo` of `order-fulfilment`: filled.xlsx:order-fulfilment!B6\n\
         \n\
         would change 5 values in 1 file\n"
    );
    assert_eq!(
        std::fs::read_to_string(&bia).unwrap(),
        before,
        "a dry run writes nothing"
    );

    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "plan/bia.yaml:10:10: set `rto` of `order-intake`: 4h -> 2h (from filled.xlsx:order-intake!B5)\n\
         plan/bia.yaml:5:9: set `resources.staff` of `order-intake`: 3 -> 5 (from filled.xlsx:order-intake!B8)\n\
         plan/bia.yaml:5:9: set `depends_on.systems` of `order-intake`: +wms (from filled.xlsx:order-intake!B13)\n\
         plan/bia.yaml:5:9: set `depends_on.suppliers` of `order-intake`: -cloud-provider (from filled.xlsx:order-intake!B17)\n\
         plan/bia.yaml:51:10: set `rpo` of `order-fulfilment`: 15m -> 30m (from filled.xlsx:order-fulfilment!B6)\n\
         changed 5 values in 1 file\n"
    );
    let expected = before
        .replacen(
            "    rto: 4h\n    rpo: 15m\n    mtd: 12h\n",
            "    rto: 2h\n    rpo: 15m\n    mtd: 12h\n",
            1,
        )
        .replacen("      staff: 3\n", "      staff: 5\n", 1)
        .replacen(
            "      systems: [order-gateway]\n      suppliers: [cloud-provider]\n",
            "      systems: [order-gateway, wms]\n      suppliers: []\n",
            1,
        )
        .replacen(
            "    rto: 12h\n    rpo: 15m\n    mtd: 1d\n",
            "    rto: 12h\n    rpo: 30m\n    mtd: 1d\n",
            1,
        );
    assert_ne!(expected, before);
    assert_eq!(std::fs::read_to_string(&bia).unwrap(), expected);
    let o = bcp_in(
        ws.path(),
        &[
            "validate",
            "plan",
            "--today",
            "2026-11-30",
            "--format",
            "json",
        ],
    );
    assert!(!stdout(&o).contains("\"Q0"), "{}", stdout(&o));

    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "no changes: the plan already holds every answer\n"
    );
    assert_eq!(
        std::fs::read_to_string(&bia).unwrap(),
        expected,
        "importing twice changes nothing"
    );
}

#[test]
fn block_lists_grow_and_missing_keys_are_added() {
    if !openpyxl() {
        return;
    }
    let ws = example("bank");
    let questionnaire = form(ws.path(), "xu-na");
    let book = dump(&questionnaire);
    let form = sheet(&book, "aml-reporting");
    let row_of = |text: &str| {
        form["cells"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, v)| k.starts_with('B') && v.as_str().is_some_and(|s| s.starts_with(text)))
            .map_or_else(
                || panic!("no answer starting {text}"),
                |(k, _)| k[1..].parse::<u32>().unwrap(),
            )
    };
    let system = row_of("aml-system");
    let supplier_row = form["cells"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| k.starts_with('A') && **v == "供应商")
        .map(|(k, _)| k[1..].parse::<u32>().unwrap())
        .min()
        .expect("a supplier row");
    let suppliers = std::fs::read_to_string(ws.path().join("plan/suppliers.yaml")).unwrap();
    let supplier = suppliers
        .lines()
        .find_map(|l| l.strip_prefix("  - id: "))
        .unwrap()
        .trim()
        .to_string();
    let filled = ws.path().join("filled.xlsx");
    fill(
        &questionnaire,
        &filled,
        &serde_json::json!([
            ["aml-reporting", format!("B{}", system + 1), "reg-system"],
            ["aml-reporting", format!("B{supplier_row}"), supplier],
        ]),
    );
    let file = ws.path().join("plan/bia/compliance.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let expected = before.replacen(
        "    depends_on:\n      systems:\n        - aml-system\n      sites:\n        - hq\n",
        &format!("    depends_on:\n      systems:\n        - aml-system\n        - reg-system\n      sites:\n        - hq\n      suppliers:\n        - {supplier}\n"),
        1,
    );
    assert_ne!(expected, before);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
}

/// Every kind of bad answer, each at its FILE:SHEET!CELL in every format; nothing written
/// unless --partial, which writes the clean answers only.
#[test]
fn bad_answers_are_positioned_in_cells_and_block_the_import() {
    if !openpyxl() {
        return;
    }
    let ws = example("acme");
    fill(
        &form(ws.path(), "claire-dobson"),
        &ws.path().join("bad.xlsx"),
        &serde_json::json!([
            ["order-intake", "B5", "four"],
            ["order-intake", "B4", "vital"],
            ["order-intake", "B13", "wmz"],
            ["order-fulfilment", "B5", 3],
            ["order-fulfilment", "C5", "days"],
            ["order-fulfilment", "B8", 60],
        ]),
    );
    let bia = ws.path().join("plan/bia.yaml");
    let before = std::fs::read_to_string(&bia).unwrap();
    let o = import(ws.path(), &["bad.xlsx"]);
    assert_eq!(status(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("note: nothing was written"), "{out}");
    for expected in [
        "error[Q003]: `vital` is not a tier\n--> bad.xlsx:order-intake!B4\n",
        "error[Q003]: the RTO does not parse: `four` is not a number",
        "--> bad.xlsx:order-intake!B5\n",
        "error[Q002]: the plan has no system `wmz`\n--> bad.xlsx:order-intake!B13\n",
        "help: did you mean `wms`? Choose from the drop-down list",
        "error[Q004]: the answers make the RTO of `order-fulfilment` (3d) longer than its MTD (1d)\n--> bad.xlsx:order-fulfilment!B5\n",
        "4 errors, 0 warnings",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert_eq!(
        std::fs::read_to_string(&bia).unwrap(),
        before,
        "nothing written"
    );

    let o = import(ws.path(), &["bad.xlsx", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "bad.xlsx:order-intake!B4",
            "bad.xlsx:order-intake!B5",
            "bad.xlsx:order-intake!B13",
            "bad.xlsx:order-fulfilment!B5",
        ]
    );
    assert_eq!(json["diagnostics"][0]["line"], Value::Null);
    let o = import(ws.path(), &["bad.xlsx", "--format", "github"]);
    assert!(
        stdout(&o).contains(
            "::error title=Q002::bad.xlsx:order-intake!B13: the plan has no system `wmz`"
        ),
        "{}",
        stdout(&o)
    );
    let o = import(ws.path(), &["bad.xlsx", "--format", "short"]);
    assert!(
        stdout(&o)
            .contains("\nbad.xlsx:order-intake!B13: error[Q002]: the plan has no system `wmz`\n"),
        "{}",
        stdout(&o)
    );
    let o = import(ws.path(), &["bad.xlsx", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "bad.xlsx"
    );
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "order-intake!B4"
    );

    let o = import(ws.path(), &["bad.xlsx", "--partial"]);
    assert_eq!(status(&o), 1, "errors still fail the run");
    assert!(
        stdout(&o).contains("changed 1 value in 1 file"),
        "{}",
        stdout(&o)
    );
    let expected = before.replacen("      staff: 140\n", "      staff: 60\n", 1);
    assert_ne!(expected, before);
    assert_eq!(
        std::fs::read_to_string(&bia).unwrap(),
        expected,
        "only the clean answer"
    );
}

/// A workbook that is not a questionnaire, or whose questions were changed, is refused.
#[test]
fn foreign_and_altered_workbooks_are_refused() {
    let ws = example("acme");
    let o = bcp_in(
        ws.path(),
        &[
            "render",
            "plan",
            "--doc",
            "bia",
            "--format",
            "xlsx",
            "--out",
            "bia.xlsx",
            "--today",
            "2026-11-30",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let o = import(ws.path(), &["bia.xlsx"]);
    assert_eq!(status(&o), 1);
    assert!(
        stdout(&o).contains("error[Q001]: `bia.xlsx` is not a questionnaire bcp can read: it has no hidden `_bcp` sheet"),
        "{}",
        stdout(&o)
    );
    std::fs::write(ws.path().join("junk.xlsx"), "not a workbook").unwrap();
    let o = import(ws.path(), &["junk.xlsx"]);
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("error: cannot read `junk.xlsx`: not an XLSX workbook"),
        "{}",
        stderr(&o)
    );
    if !openpyxl() {
        return;
    }
    fill(
        &form(ws.path(), "fiona-grant"),
        &ws.path().join("moved.xlsx"),
        &serde_json::json!([["_bcp", "C8", "B9"]]),
    );
    let o = import(ws.path(), &["moved.xlsx"]);
    assert_eq!(status(&o), 1);
    assert!(
        stdout(&o).contains("its questions do not match their checksum"),
        "{}",
        stdout(&o)
    );
}

/// The workbooks are written as `render` writes documents: all together into the `--out`
/// folder, never into the plan's `templates/` or through a link; a refusal writes nothing.
#[test]
fn workbooks_follow_the_out_rules() {
    let ws = example("acme");
    let refused = |out: &str, expected: &str| {
        let o = bcp_in(ws.path(), &["questionnaire", "plan", "--out", out]);
        assert_eq!(status(&o), 2, "--out {out}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "--out {out}: {}", stderr(&o));
    };
    std::fs::write(ws.path().join("forms"), "a file").unwrap();
    refused(
        "forms",
        "`--out forms` is a file, but these documents go into a folder",
    );
    let templates = ws.path().join("plan/templates");
    std::fs::create_dir(&templates).unwrap();
    refused(
        "plan/templates",
        "lies in the plan's `templates` folder, which bcp only reads",
    );
    assert_eq!(std::fs::read_dir(&templates).unwrap().count(), 0);
    #[cfg(unix)]
    {
        let elsewhere = ws.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, ws.path().join("link")).unwrap();
        refused("link", "`--out link` is a symbolic link");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
    let o = bcp_in(
        ws.path(),
        &[
            "questionnaire",
            "plan",
            "--out",
            "new/forms/",
            "--owner",
            "tom-becker",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(ws.path().join("new/forms/bia-tom-becker.xlsx").is_file());
}

/// Plan text in what the questionnaire prints is escaped for the terminal: a name cannot
/// move the cursor or retitle the window.
#[test]
fn printed_plan_text_is_escaped_for_the_terminal() {
    let ws = example("acme");
    let plan = ws.path().join("plan/bcp.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replacen(
            "name: Fiona Grant",
            "name: \"Fiona\\e]0;owned\\a Grant\"",
            1,
        ),
    )
    .unwrap();
    let o = bcp_in(
        ws.path(),
        &[
            "questionnaire",
            "plan",
            "--out",
            "forms",
            "--owner",
            "fiona-grant",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "wrote forms/bia-fiona-grant.xlsx for Fiona\\u{1b}]0;owned\\u{7} Grant (2 functions)\n"
    );
}

/// A named pipe given as a workbook is refused at once (reading it would wait forever).
#[cfg(unix)]
#[test]
fn a_named_pipe_is_not_read_as_a_workbook() {
    let ws = example("acme");
    let made = Command::new("mkfifo")
        .arg(ws.path().join("pipe.xlsx"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let o = assert_cmd::Command::new(env!("CARGO_BIN_EXE_bcp"))
        .args(["questionnaire", "import", "plan", "pipe.xlsx"])
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_mins(1))
        .output()
        .unwrap();
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: cannot read `pipe.xlsx`: it is a named pipe, not a workbook file; give the questionnaires as `.xlsx` files\n"
    );
}

/// An RPO of `n/a` (a function that holds no data) is offered as a unit: chosen, it is
/// written as `rpo: n/a`; a form showing `n/a` takes a duration again.
#[test]
fn an_rpo_can_be_set_to_not_applicable_and_back() {
    if !openpyxl() {
        return;
    }
    let ws = example("acme");
    let questionnaire = form(ws.path(), "claire-dobson");
    let filled = ws.path().join("filled.xlsx");
    fill(
        &questionnaire,
        &filled,
        &serde_json::json!([
            ["order-fulfilment", "B6", null],
            ["order-fulfilment", "C6", "n/a"]
        ]),
    );
    let bia = ws.path().join("plan/bia.yaml");
    let before = std::fs::read_to_string(&bia).unwrap();
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o),
        "plan/bia.yaml:51:10: set `rpo` of `order-fulfilment`: 15m -> n/a (from filled.xlsx:order-fulfilment!B6)\n\
         changed 1 value in 1 file\n"
    );
    let na = before.replacen(
        "    rto: 12h\n    rpo: 15m\n    mtd: 1d\n",
        "    rto: 12h\n    rpo: n/a\n    mtd: 1d\n",
        1,
    );
    assert_ne!(na, before);
    assert_eq!(std::fs::read_to_string(&bia).unwrap(), na);

    // The new form shows it as the unit `n/a` with no number, offers it in the unit list
    // of the RPO alone, and imports unchanged as no change.
    let again = form(ws.path(), "claire-dobson");
    let book = dump(&again);
    let sheet = sheet(&book, "order-fulfilment");
    let cells = &sheet["cells"];
    assert_eq!(cells.get("B6"), None);
    assert_eq!(
        (&cells["C6"], &cells["D6"]),
        (&Value::from("n/a"), &Value::from("n/a"))
    );
    let list = |cell: &str| validation(sheet, cell)["formula1"].clone();
    assert_eq!(list("C6"), "\"minutes,hours,days,weeks,n/a\"");
    assert_eq!(list("C5"), "\"minutes,hours,days,weeks\"");
    let o = import(ws.path(), &[again.to_str().unwrap()]);
    assert_eq!(
        stdout(&o),
        "no changes: the plan already holds every answer\n"
    );

    fill(
        &again,
        &filled,
        &serde_json::json!([
            ["order-fulfilment", "B6", 1],
            ["order-fulfilment", "C6", "hours"]
        ]),
    );
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&bia).unwrap(),
        before.replacen(
            "    rto: 12h\n    rpo: 15m\n    mtd: 1d\n",
            "    rto: 12h\n    rpo: 1h\n    mtd: 1d\n",
            1,
        )
    );
}

/// A workbook is read only up to a size: a huge file, one whose parts unpack to too much,
/// or one with too many cells is refused with a clear error (exit 2) before it is read.
#[test]
fn oversized_workbooks_are_refused() {
    let ws = example("acme");
    let big = std::fs::File::create(ws.path().join("big.xlsx")).unwrap();
    big.set_len(17 * 1024 * 1024).unwrap();
    drop(big);
    let o = import(ws.path(), &["big.xlsx"]);
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: cannot read `big.xlsx`: it is 17 MiB, over the 16 MiB a workbook may be; a questionnaire is far smaller: give the filled form bcp exported\n"
    );
    if !openpyxl() {
        return;
    }
    // A part that unpacks to 65 MiB (zeros compress to almost nothing).
    let made = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n    \
             z.writestr('xl/sharedStrings.xml', b'\\0' * (65 * 1024 * 1024))",
        ])
        .arg(ws.path().join("bomb.xlsx"))
        .status()
        .unwrap();
    assert!(made.success());
    let o = import(ws.path(), &["bomb.xlsx"]);
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "error: cannot read `bomb.xlsx`: its parts unpack to 65 MiB, over the 64 MiB a workbook may hold"
        ),
        "{}",
        stderr(&o)
    );
    // A map sheet of 100,100 cells: over the 100,000 a workbook may hold.
    let made = Command::new("python3")
        .args([
            "-c",
            "import sys, openpyxl\n\
             book = openpyxl.Workbook()\n\
             sheet = book.active\n\
             sheet.title = '_bcp'\n\
             for _ in range(1001):\n    sheet.append([1] * 100)\n\
             book.save(sys.argv[1])",
        ])
        .arg(ws.path().join("cells.xlsx"))
        .status()
        .unwrap();
    assert!(made.success());
    let o = import(ws.path(), &["cells.xlsx"]);
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: cannot read `cells.xlsx`: it holds more than 100000 cells, the most a workbook may hold; a questionnaire is far smaller: give the filled form bcp exported\n"
    );
}

/// Peak periods, impacts over time by category and key people with their backups are asked
/// row by row (severities and categories from lists, times as number and unit, people from
/// the plan's list); a changed list replaces the plan's list, everything else stays as it is.
#[test]
fn impacts_peak_periods_and_key_people_are_answered_row_by_row() {
    if !openpyxl() {
        return;
    }
    let ws = example("acme");
    let questionnaire = form(ws.path(), "claire-dobson");
    let book = dump(&questionnaire);
    let form_sheet = sheet(&book, "order-intake");
    let cells = &form_sheet["cells"];
    assert_eq!(cells["A21"], "Peak period");
    assert_eq!(cells["B21"], "Black Friday to Christmas");
    assert_eq!(
        (&cells["A30"], &cells["B30"], &cells["C30"], &cells["D30"]),
        (
            &Value::from("Impact 2: after"),
            &Value::from(4),
            &Value::from("hours"),
            &Value::from("4 hours")
        )
    );
    assert_eq!(cells["B32"], "high");
    assert_eq!(cells["B53"], "emma-walsh — Emma Walsh");
    assert_eq!(cells["B54"], "lucy-chen — Lucy Chen");
    let validation = |cell: &str| validation(form_sheet, cell);
    assert_eq!(validation("B32")["formula1"], "\"low,medium,high,severe\"");
    assert_eq!(
        validation("B31")["formula1"],
        "\"operational,financial,customer_confidence,market_share,competitive,future_sales,legal_regulatory,reputation,safety\""
    );
    assert_eq!(validation("B38")["type"], "whole");
    assert_eq!(
        validation("C38")["formula1"],
        "\"minutes,hours,days,weeks\""
    );
    assert_eq!(validation("B55")["formula1"], "'_lists'!$E$2:$E$25");

    let filled = ws.path().join("filled.xlsx");
    fill(
        &questionnaire,
        &filled,
        &serde_json::json!([
            ["order-intake", "B23", "Month end"],
            ["order-intake", "B32", "severe"],
            ["order-intake", "B38", 1],
            ["order-intake", "C38", "days"],
            ["order-intake", "B39", "reputation"],
            ["order-intake", "B40", "high"],
            ["order-intake", "B41", "Press: \"3PL down\""],
            ["order-intake", "B54", null],
            ["order-intake", "B55", "tom-becker — Tom Becker"],
            ["order-intake", "B56", "fiona-grant"],
        ]),
    );
    let bia = ws.path().join("plan/bia.yaml");
    let before = std::fs::read_to_string(&bia).unwrap();
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).ends_with("changed 3 values in 1 file\n"),
        "{}",
        stdout(&o)
    );
    let expected = before
        .replacen(
            "      - Weekdays 10:00-14:00 (order cut-off for next-day delivery)\n",
            "      - Weekdays 10:00-14:00 (order cut-off for next-day delivery)\n      - Month end\n",
            1,
        )
        .replacen(
            "        severity: high\n        description: Orders miss",
            "        severity: severe\n        description: Orders miss",
            1,
        )
        .replacen(
            "        description: Clients divert orders to their backup 3PL\n",
            "        description: Clients divert orders to their backup 3PL\n      - after: 1d\n        category: reputation\n        severity: high\n        description: \"Press: \\\"3PL down\\\"\"\n",
            1,
        )
        .replacen(
            "        - person: emma-walsh\n          backup: lucy-chen\n",
            "        - person: emma-walsh\n        - person: tom-becker\n          backup: fiona-grant\n",
            1,
        );
    assert_ne!(expected, before);
    assert_eq!(std::fs::read_to_string(&bia).unwrap(), expected);
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(
        stdout(&o),
        "no changes: the plan already holds every answer\n",
        "importing twice changes nothing"
    );

    // Each kind of bad row, at its cell; nothing written.
    fill(
        &questionnaire,
        &ws.path().join("bad.xlsx"),
        &serde_json::json!([
            ["order-intake", "B36", "awful"],
            ["order-intake", "B38", 1],
            ["order-intake", "C38", "days"],
            ["order-intake", "B55", "tom-beker"],
            ["order-intake", "B58", "lucy-chen"],
        ]),
    );
    let o = import(ws.path(), &["bad.xlsx"]);
    assert_eq!(status(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    for wanted in [
        "error[Q003]: `awful` is not an impact severity\n--> bad.xlsx:order-intake!B36\n",
        "error[Q003]: impact 4 has no category\n--> bad.xlsx:order-intake!B39\n",
        "error[Q003]: impact 4 has no severity\n--> bad.xlsx:order-intake!B40\n",
        "error[Q002]: the plan has no person `tom-beker`\n--> bad.xlsx:order-intake!B55\n",
        "help: did you mean `tom-becker`?",
        "error[Q003]: `lucy-chen` is a backup for no one: the key person above is empty\n--> bad.xlsx:order-intake!B58\n",
        "5 errors, 0 warnings",
    ] {
        assert!(out.contains(wanted), "missing {wanted:?} in:\n{out}");
    }
    assert_eq!(std::fs::read_to_string(&bia).unwrap(), expected);
}

/// LibreOffice Calc opens the workbooks: every sheet reads as the form bcp wrote, and a
/// form Calc saved again (then filled) imports as the respondent's answers, nothing else.
#[test]
fn libreoffice_opens_and_saves_the_forms() {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let message = "CHECKER MISSING: LibreOffice Calc (apt-get install libreoffice-calc-nogui) is not installed, so this check did not run (`.ci/run` installs it)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("note: {message}");
        return;
    }
    let ws = example("acme");
    let questionnaire = form(ws.path(), "claire-dobson");
    let soffice = |convert: &str, out: &str, file: &Path| {
        let o = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                ws.path().join("lo-profile").display()
            ))
            .args(["--headless", "--convert-to", convert, "--outdir"])
            .arg(ws.path().join(out))
            .arg(file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // Every sheet as CSV (the last filter option, -1, writes one file per sheet).
    soffice(
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        "csv",
        &questionnaire,
    );
    let csv = |sheet: &str| {
        std::fs::read_to_string(ws.path().join(format!("csv/bia-claire-dobson-{sheet}.csv")))
            .unwrap_or_else(|e| {
                panic!("LibreOffice wrote no {sheet} sheet ({e}): is Calc installed?")
            })
    };
    let form_csv = csv("order-intake");
    for row in [
        "Criticality tier,critical,,critical,",
        "RTO (recovery time objective),4,hours,4 hours,",
        "Impact 2: severity,high,,high,",
        "Key person,emma-walsh — Emma Walsh,,emma-walsh — Emma Walsh,",
    ] {
        assert!(form_csv.contains(row), "missing {row:?} in:\n{form_csv}");
    }
    assert!(csv("_bcp").starts_with("key,value,cell,function,field\nformat,bcp-questionnaire,"));

    soffice("xlsx", "saved", &questionnaire);
    let saved = ws.path().join("saved/bia-claire-dobson.xlsx");
    let o = import(ws.path(), &[saved.to_str().unwrap()]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o),
        "no changes: the plan already holds every answer\n"
    );
    if !openpyxl() {
        return;
    }
    let filled = ws.path().join("filled.xlsx");
    fill(
        &saved,
        &filled,
        &serde_json::json!([["order-intake", "B32", "severe"]]),
    );
    soffice("xlsx", "resaved", &filled);
    let o = import(ws.path(), &["resaved/filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o)
            .ends_with("(from resaved/filled.xlsx:order-intake!B32)\nchanged 1 value in 1 file\n"),
        "{}",
        stdout(&o)
    );
}

/// The manual workaround is asked as its parts (what is done, the systems it covers from the
/// list, how long it holds as number and unit, the capacity 1-100): changed, it is rewritten
/// in place; cleared, its lines go (comments around it stay).
#[test]
fn workarounds_are_answered_changed_and_removed() {
    if !openpyxl() {
        return;
    }
    let ws = example("bank");
    let questionnaire = form(ws.path(), "tang-jing");
    let book = dump(&questionnaire);
    let cells = &sheet(&book, "counter-services")["cells"];
    assert_eq!(cells["A54"], "替代做法");
    assert_eq!(cells["B55"], "core-banking — 核心业务系统");
    assert_eq!(
        (&cells["B59"], &cells["C59"]),
        (&Value::from(1), &Value::from("天"))
    );
    assert_eq!(cells["B60"], 30);

    let file = ws.path().join("plan/bia/operations.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let filled = ws.path().join("filled.xlsx");
    fill(
        &questionnaire,
        &filled,
        &serde_json::json!([
            ["counter-services", "B56", null],
            ["counter-services", "B59", 2],
            ["counter-services", "B60", 40],
        ]),
    );
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let changed = before.replacen(
        "        - core-banking\n        - card-system\n      sustainable_for: 1d\n      capacity_percent: 30\n",
        "        - core-banking\n      sustainable_for: 2d\n      capacity_percent: 40\n",
        1,
    );
    assert_ne!(changed, before);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), changed);
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(
        stdout(&o),
        "no changes: the plan already holds every answer\n"
    );

    fill(
        &questionnaire,
        &ws.path().join("bad.xlsx"),
        &serde_json::json!([
            ["counter-services", "B57", "core-bankin"],
            ["counter-services", "B59", null],
            ["counter-services", "B60", 150],
        ]),
    );
    // The bank's plan is in Chinese; its findings are asked for in English here.
    let o = import(ws.path(), &["bad.xlsx", "--lang", "en"]);
    assert_eq!(status(&o), 1);
    for wanted in [
        "error[Q002]: the plan has no system `core-bankin`\n--> bad.xlsx:counter-services!B57\n",
        "error[Q003]: the workaround does not say how long it can be kept up\n--> bad.xlsx:counter-services!B59\n",
        "error[Q003]: the workaround's capacity `150` is not a whole percentage from 1 to 100\n--> bad.xlsx:counter-services!B60\n",
    ] {
        assert!(
            stdout(&o).contains(wanted),
            "missing {wanted:?} in:\n{}",
            stdout(&o)
        );
    }

    let cleared: Vec<Value> = [54, 55, 56, 59, 60]
        .iter()
        .map(|r| serde_json::json!(["counter-services", format!("B{r}"), null]))
        .chain([serde_json::json!(["counter-services", "C59", null])])
        .collect();
    fill(&questionnaire, &filled, &Value::from(cleared));
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let start = changed.find("    workaround:\n").unwrap();
    let end = changed[start..]
        .find("      capacity_percent: 40\n")
        .unwrap()
        + start
        + 27;
    let removed = format!("{}{}", &changed[..start], &changed[end..]);
    assert!(removed.contains("# 应急手工操作"), "the comment stays");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), removed);

    // A workaround added where there is none: its lines go at the end of the function.
    let fresh = form(ws.path(), "tang-jing");
    fill(
        &fresh,
        &filled,
        &serde_json::json!([
            ["counter-services", "B54", "Paper vouchers: posted later"],
            ["counter-services", "B55", "core-banking — 核心业务系统"],
            ["counter-services", "B57", 4],
            ["counter-services", "C57", "小时"],
        ]),
    );
    let o = import(ws.path(), &["filled.xlsx"]);
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let added = removed.replacen(
        "      - 应急期间手工受理的业务须逐笔登记,恢复后由第二人复核补录\n",
        "      - 应急期间手工受理的业务须逐笔登记,恢复后由第二人复核补录\n    workaround:\n      description: \"Paper vouchers: posted later\"\n      covers:\n        - core-banking\n      sustainable_for: 4h\n",
        1,
    );
    assert_ne!(added, removed);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), added);
    let o = bcp_in(
        ws.path(),
        &[
            "validate",
            "plan",
            "--today",
            "2026-11-30",
            "--format",
            "short",
        ],
    );
    assert!(!stdout(&o).contains("error"), "{}", stdout(&o));
}
