//! BIA questionnaires: workbooks for the people who own business functions, and their
//! answers read back into the plan's YAML.
//!
//! [`export`] builds one workbook per respondent: a cover sheet, one form per function with
//! the plan's current values, hidden lists for the drop-downs and a hidden map of which cell
//! answers which field. [`import`] reads filled workbooks and checks every answer; [`edit`]
//! changes only those values in the plan's files, line by line, so comments, key order and
//! formatting stay as the author wrote them.

pub mod edit;
pub mod export;
pub mod import;
pub mod tree;

use crate::Outcome;
use crate::cli::{QuestionnaireExportArgs, QuestionnaireImportArgs};
use crate::diagnostic::{Diagnostic, Format, Severity};
use crate::error::Error;
use crate::escape::terminal as visible;
use crate::model::{Duration, Lang, Plan, Span};
use crate::output::{Document, Existing, Links, Protected};
use crate::t;
use import::{Answer, Value};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Version of the workbook layout; a form of another layout is refused on import.
pub const LAYOUT: &str = "1";
/// The hidden sheet that maps cells to fields.
pub const MAP_SHEET: &str = "_bcp";
/// The hidden sheet holding the drop-down lists.
pub const LISTS_SHEET: &str = "_lists";
/// What the map sheet says the workbook is.
pub const FORMAT: &str = "bcp-questionnaire";

/// What a cell of a form answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Tier,
    Rto,
    Rpo,
    Mtd,
    Staff,
    Depends(DepKind),
    /// The n-th peak period (0-based), free text.
    Peak(u8),
    /// A part of the n-th impact over time.
    Impact(u8, ImpactPart),
    /// The n-th key person (`false`) or their backup (`true`), person ids.
    KeyPerson(u8, bool),
    /// A part of the function's manual workaround.
    Workaround(WorkPart),
    /// A list answered row by row: what an imported answer replaces as a whole.
    List(ListKind),
}

/// The parts of an impact row group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImpactPart {
    After,
    Category,
    Severity,
    Description,
}

impl ImpactPart {
    pub const ALL: [ImpactPart; 4] = [
        ImpactPart::After,
        ImpactPart::Category,
        ImpactPart::Severity,
        ImpactPart::Description,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ImpactPart::After => "after",
            ImpactPart::Category => "category",
            ImpactPart::Severity => "severity",
            ImpactPart::Description => "description",
        }
    }
}

/// The parts of a workaround: what is done, the systems it covers (one per row), how long
/// it holds, the capacity it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkPart {
    Description,
    Covers(u8),
    SustainableFor,
    Capacity,
}

/// The lists a form asks row by row (a workaround is a mapping asked the same way).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListKind {
    Peaks,
    Impacts,
    KeyPeople,
    Workaround,
}

impl ListKind {
    pub fn key(self) -> &'static str {
        match self {
            ListKind::Peaks => "peak_periods",
            ListKind::Impacts => "impacts",
            ListKind::KeyPeople => "resources.key_people",
            ListKind::Workaround => "workaround",
        }
    }
}

/// The kinds of things a function depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DepKind {
    Functions,
    Systems,
    Sites,
    Suppliers,
}

impl DepKind {
    pub const ALL: [DepKind; 4] = [
        DepKind::Functions,
        DepKind::Systems,
        DepKind::Sites,
        DepKind::Suppliers,
    ];

    /// The key under `depends_on`.
    pub fn key(self) -> &'static str {
        match self {
            DepKind::Functions => "functions",
            DepKind::Systems => "systems",
            DepKind::Sites => "sites",
            DepKind::Suppliers => "suppliers",
        }
    }

    /// Column of the lists sheet holding this kind's drop-down entries.
    pub fn list_column(self) -> char {
        match self {
            DepKind::Functions => 'A',
            DepKind::Systems => 'B',
            DepKind::Sites => 'C',
            DepKind::Suppliers => 'D',
        }
    }
}

/// Column of the lists sheet holding the people (key people and backups).
pub const PEOPLE_COLUMN: char = 'E';

impl Field {
    /// The field as the map sheet names it: its path inside the function, dotted, with an
    /// entry's index (`impacts.0.severity`).
    pub fn key(self) -> String {
        match self {
            Field::Peak(i) => format!("peak_periods.{i}"),
            Field::Impact(i, part) => format!("impacts.{i}.{}", part.key()),
            Field::KeyPerson(i, backup) => format!(
                "resources.key_people.{i}.{}",
                if backup { "backup" } else { "person" }
            ),
            Field::List(kind) => kind.key().to_string(),
            Field::Workaround(part) => match part {
                WorkPart::Description => "workaround.description".to_string(),
                WorkPart::Covers(i) => format!("workaround.covers.{i}"),
                WorkPart::SustainableFor => "workaround.sustainable_for".to_string(),
                WorkPart::Capacity => "workaround.capacity_percent".to_string(),
            },
            _ => self.path().join("."),
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        let indexed = |prefix: &str| -> Option<(u8, &str)> {
            let rest = key.strip_prefix(prefix)?.strip_prefix('.')?;
            let (n, tail) = rest.split_once('.').unwrap_or((rest, ""));
            Some((n.parse().ok()?, tail))
        };
        if let Some((i, "")) = indexed("peak_periods") {
            return Some(Field::Peak(i));
        }
        if let Some((i, part)) = indexed("impacts") {
            return ImpactPart::ALL
                .into_iter()
                .find(|p| p.key() == part)
                .map(|p| Field::Impact(i, p));
        }
        if let Some((i, "")) = indexed("workaround.covers") {
            return Some(Field::Workaround(WorkPart::Covers(i)));
        }
        match key {
            "workaround.description" => return Some(Field::Workaround(WorkPart::Description)),
            "workaround.sustainable_for" => {
                return Some(Field::Workaround(WorkPart::SustainableFor));
            }
            "workaround.capacity_percent" => return Some(Field::Workaround(WorkPart::Capacity)),
            _ => {}
        }
        match indexed("resources.key_people") {
            Some((i, "person")) => return Some(Field::KeyPerson(i, false)),
            Some((i, "backup")) => return Some(Field::KeyPerson(i, true)),
            _ => {}
        }
        [
            Field::Tier,
            Field::Rto,
            Field::Rpo,
            Field::Mtd,
            Field::Staff,
        ]
        .into_iter()
        .chain(DepKind::ALL.map(Field::Depends))
        .find(|f| f.key() == key)
    }

    /// Keys from the function's mapping down to the value (of the whole list, for the
    /// fields of list entries).
    pub fn path(self) -> Vec<&'static str> {
        match self {
            Field::Tier => vec!["tier"],
            Field::Rto => vec!["rto"],
            Field::Rpo => vec!["rpo"],
            Field::Mtd => vec!["mtd"],
            Field::Staff => vec!["resources", "staff"],
            Field::Depends(kind) => vec!["depends_on", kind.key()],
            Field::Peak(_) | Field::List(ListKind::Peaks) => vec!["peak_periods"],
            Field::Impact(..) | Field::List(ListKind::Impacts) => vec!["impacts"],
            Field::KeyPerson(..) | Field::List(ListKind::KeyPeople) => {
                vec!["resources", "key_people"]
            }
            Field::Workaround(_) | Field::List(ListKind::Workaround) => vec!["workaround"],
        }
    }

    /// The list a row-by-row field belongs to.
    pub fn list(self) -> Option<ListKind> {
        match self {
            Field::Peak(_) => Some(ListKind::Peaks),
            Field::Impact(..) => Some(ListKind::Impacts),
            Field::KeyPerson(..) => Some(ListKind::KeyPeople),
            Field::Workaround(_) => Some(ListKind::Workaround),
            _ => None,
        }
    }
}

/// Units a duration is answered in, largest first: letter, minutes, English and Chinese
/// names (the names are the drop-down's words).
const UNITS: [(char, u64, &str, &str); 4] = [
    ('w', 7 * 24 * 60, "weeks", "周"),
    ('d', 24 * 60, "days", "天"),
    ('h', 60, "hours", "小时"),
    ('m', 1, "minutes", "分钟"),
];

/// The unit names of a language, for the drop-down.
pub fn unit_names(lang: Lang) -> Vec<String> {
    UNITS
        .iter()
        .rev()
        .map(|u| pick(lang, u.2, u.3).to_string())
        .collect()
}

/// A duration as a number and the largest unit that divides it exactly: `1d12h` is 36 hours.
pub fn duration_cells(d: Duration, lang: Lang) -> (u64, &'static str) {
    let minutes = d.minutes();
    let unit = UNITS
        .iter()
        .find(|u| minutes.is_multiple_of(u.1) && minutes > 0 && u.0 != 'w')
        .unwrap_or(&UNITS[3]);
    (minutes / unit.1, pick(lang, unit.2, unit.3))
}

/// Reads a duration answered as a number and a unit (in either language, or its letter), or
/// as duration text in the number cell (`4h`, `1d12h`) with the unit left empty.
///
/// # Errors
/// What is wrong, for a diagnostic.
pub fn parse_duration(number: &str, unit: &str) -> Result<Duration, String> {
    let (number, unit) = (number.trim(), unit.trim());
    if unit.is_empty() {
        return Duration::parse(number);
    }
    let Some(size) = UNITS
        .iter()
        .find(|u| {
            unit.eq_ignore_ascii_case(u.2)
                || unit == u.3
                || unit.chars().eq([u.0])
                || unit.eq_ignore_ascii_case(u.2.trim_end_matches('s'))
        })
        .map(|u| u.1)
    else {
        return Err(format!(
            "unknown unit `{unit}`; choose minutes, hours, days or weeks from the list"
        ));
    };
    let amount: f64 = number
        .parse()
        .map_err(|_| format!("`{number}` is not a number; write a whole number such as 4"))?;
    if !(amount >= 0.0 && amount.fract() == 0.0 && amount < 1e9) {
        return Err(format!(
            "`{number}` is not a whole number; use a smaller unit (1.5 days is 36 hours)"
        ));
    }
    // Checked above: a whole number below 10^9.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let amount = amount as u64;
    Duration::parse(&format!("{}m", amount.saturating_mul(size)))
}

pub fn pick(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
}

/// FNV-1a, 64 bits: a stable checksum of the questions (not a security measure: it tells
/// an older or altered form from the one this version of bcp would make).
pub fn checksum<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A cell reference such as `B4` from 0-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// 0-based row and column of a cell reference such as `B4`.
pub fn parse_cell_ref(text: &str) -> Option<(u32, u32)> {
    let letters = text.chars().take_while(char::is_ascii_uppercase).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = text[..letters]
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    let row: u32 = text[letters..].parse().ok()?;
    (row > 0).then(|| (row - 1, col - 1))
}

/// `bcp questionnaire`: one workbook per respondent into `--out`.
///
/// # Errors
/// [`Error`] for I/O and usage failures (exit status 2).
pub fn export_command(args: &QuestionnaireExportArgs, color: bool) -> Result<Outcome, Error> {
    let loaded = crate::load::load(&args.path)?;
    if refuse_broken(&loaded, color, "no questionnaire was written") {
        return Ok(Outcome::PlanErrors);
    }
    let plan = &loaded.plan;
    let selection = export::Selection {
        owners: args.owner.clone(),
        departments: args.department.clone(),
    };
    let books = export::workbooks(plan, args.lang.unwrap_or(plan.meta.lang), &selection)?;
    // Every workbook is in memory: placed by the `--out` rules (always a folder), then
    // written together, as `render` writes a set of documents.
    let (documents, respondents): (Vec<Document>, Vec<(String, usize)>) = books
        .into_iter()
        .map(|book| {
            let document = Document {
                name: book.file_name,
                content: book.bytes.into(),
                notes: Vec::new(),
            };
            (document, (book.respondent, book.functions))
        })
        .unzip();
    let paths = crate::output::place(
        args.out.as_deref().unwrap_or(Path::new("")),
        &documents,
        true,
        &Protected::plan(&loaded),
    )?;
    crate::output::write_documents(&paths, &documents)?;
    let mut written = String::new();
    for (path, (respondent, functions)) in paths.iter().zip(&respondents) {
        let who = plan
            .people
            .iter()
            .find(|p| &p.id.value == respondent)
            .map_or(respondent.as_str(), |p| p.name.as_str());
        let _ = writeln!(
            written,
            "wrote {} for {who} ({functions} function{})",
            path.display(),
            if *functions == 1 { "" } else { "s" }
        );
    }
    let written = visible(&written);
    let _ = std::io::stderr().write_all(written.as_bytes());
    Ok(Outcome::Clean)
}

/// Prints the loader's errors and says nothing was done; `true` when there were any.
fn refuse_broken(loaded: &crate::load::Loaded, color: bool, what: &str) -> bool {
    let errors: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if errors.is_empty() {
        return false;
    }
    let mut text = crate::diagnostic::render(&errors, &loaded.sources, Format::Human, color);
    let _ = writeln!(text, "note: {what}; the plan's files must load first");
    let _ = std::io::stderr().write_all(text.as_bytes());
    true
}

/// `bcp questionnaire import`: check every answer, then edit the plan's files.
///
/// # Errors
/// [`Error`] for I/O and usage failures (exit status 2).
pub fn import_command(args: &QuestionnaireImportArgs, color: bool) -> Result<Outcome, Error> {
    let is_book = |p: &PathBuf| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    };
    let (path, files) = match args.args.split_first() {
        Some((first, rest)) if !is_book(first) => (first.clone(), rest),
        _ => (PathBuf::from("."), args.args.as_slice()),
    };
    if files.is_empty() {
        return Err(Error::Usage {
            message: "give the filled questionnaires to import: `bcp questionnaire import [PLAN] FILE.xlsx...`".to_string(),
        });
    }
    let mut loaded = crate::load::load(&path)?;
    if refuse_broken(&loaded, color, "no answer was imported") {
        return Ok(Outcome::PlanErrors);
    }
    let mut answers = Vec::new();
    let mut diagnostics = Vec::new();
    for file in files {
        let read = import::read(file, &loaded.plan, &mut loaded.sources)?;
        answers.extend(read.answers);
        diagnostics.extend(read.diagnostics);
    }
    let mut answers = reconcile(&loaded.plan, answers, &mut diagnostics);
    // In the plan's order: function by function, fields as the form asks them.
    let position = |id: &str| loaded.plan.functions.iter().position(|f| f.id.value == id);
    answers.sort_by_key(|a| (position(&a.function), a.field));
    crate::diagnostic::sort(&mut diagnostics);
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let edited = if has_errors && !args.partial {
        Vec::new()
    } else {
        edit::apply(&loaded, &answers)?
    };

    let mut report = String::new();
    let writes = !args.dry_run && (!has_errors || args.partial);
    if (!has_errors || args.partial) && !answers.is_empty() {
        if args.dry_run {
            // What would change in the plan's terms, as `bcp diff` says it, then which cell
            // each changed value comes from.
            report.push_str(&crate::human(semantic_diff(&path, &loaded, &edited)?));
            let _ = writeln!(report, "\nfrom the answers:");
            for a in &answers {
                let _ = writeln!(report, "  {}", provenance(&loaded, a));
            }
            report.push('\n');
        } else {
            for a in &answers {
                let _ = writeln!(report, "{}", describe(&loaded, a));
            }
        }
    }
    if has_errors && !args.partial {
        let _ = writeln!(
            report,
            "note: nothing was written: correct the answers below, or pass `--partial` to write the clean ones"
        );
    } else if answers.is_empty() {
        let _ = writeln!(report, "no changes: the plan already holds every answer");
    } else {
        let verb = if args.dry_run {
            "would change"
        } else {
            "changed"
        };
        let _ = writeln!(
            report,
            "{verb} {} value{} in {} file{}",
            answers.len(),
            if answers.len() == 1 { "" } else { "s" },
            edited.len(),
            if edited.len() == 1 { "" } else { "s" }
        );
    }
    if writes {
        // All edited plan files together: a failure leaves every one as it was.
        let set: Vec<(PathBuf, &[u8])> = edited
            .iter()
            .map(|e| (e.path.clone(), e.text.as_bytes()))
            .collect();
        crate::output::write_set(&set, Links::Refuse, Existing::Replace)?;
    }
    let problems = (!diagnostics.is_empty())
        .then(|| crate::diagnostic::render(&diagnostics, &loaded.sources, args.format, color));
    // Machine formats keep stdout for the problems alone; the report goes to stderr.
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let result = if args.format == Format::Human {
        stdout
            .write_all(report.as_bytes())
            .and_then(|()| stdout.write_all(problems.unwrap_or_default().as_bytes()))
    } else {
        let _ = stderr.write_all(report.as_bytes());
        stdout.write_all(problems.unwrap_or_default().as_bytes())
    };
    result.map_err(|source| Error::WriteOutput {
        path: "<stdout>".into(),
        source,
    })?;
    Ok(if has_errors {
        Outcome::PlanErrors
    } else {
        Outcome::Clean
    })
}

/// Answers across workbooks: two different answers for one value are an error (Q005), and
/// a function whose answers put its RTO over its MTD keeps neither (Q004).
fn reconcile(plan: &Plan, answers: Vec<Answer>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Answer> {
    let mut kept: Vec<Answer> = Vec::new();
    let mut dropped: Vec<(String, Field)> = Vec::new();
    for a in answers {
        if let Some(first) = kept
            .iter()
            .find(|k| k.function == a.function && k.field == a.field)
        {
            if first.value != a.value {
                diagnostics.push(
                    Diagnostic::error(
                        "Q005",
                        t!(
                            "Q005.message",
                            field = a.field.key(),
                            id = a.function,
                            first = first.value,
                            second = a.value
                        ),
                    )
                    .at(a.span)
                    .also(first.span, t!("Q005.also"))
                    .help(t!("Q005.help")),
                );
                dropped.push((a.function.clone(), a.field));
            }
            continue;
        }
        kept.push(a);
    }
    kept.retain(|k| !dropped.contains(&(k.function.clone(), k.field)));
    let duration = |function: &str, field: Field| {
        kept.iter()
            .find(|k| k.function == function && k.field == field)
            .map(|k| (k.value.clone(), Some(k.span)))
    };
    let mut over = Vec::new();
    for f in &plan.functions {
        let id = f.id.value.as_str();
        let (rto, mtd) = (duration(id, Field::Rto), duration(id, Field::Mtd));
        if rto.is_none() && mtd.is_none() {
            continue;
        }
        let value = |answer: Option<(Value, Option<Span>)>, plan: Duration| match answer {
            Some((Value::Duration(d), span)) => (d, span),
            _ => (plan, None),
        };
        let (rto, rto_span) = value(rto, *f.rto);
        let (mtd, mtd_span) = value(mtd, *f.mtd);
        if rto > mtd {
            let Some(span) = rto_span.or(mtd_span) else {
                continue;
            };
            let mut d = Diagnostic::error("Q004", t!("Q004.message", id, rto, mtd))
                .at(span)
                .help(t!("Q004.help"));
            if let (Some(r), Some(m)) = (rto_span, mtd_span)
                && r != m
            {
                d = d.also(m, t!("Q004.also"));
            }
            diagnostics.push(d);
            over.push(id.to_string());
        }
    }
    kept.retain(|k| !(over.contains(&k.function) && matches!(k.field, Field::Rto | Field::Mtd)));
    kept
}

/// The plan before and after the edits, compared as `bcp diff` compares two plans: both
/// loaded from memory the same way, so only the answers differ.
fn semantic_diff(
    path: &Path,
    loaded: &crate::load::Loaded,
    edited: &[edit::Edited],
) -> Result<String, Error> {
    let folder = path.is_dir();
    let mut display = path.display().to_string();
    if folder && !display.ends_with('/') {
        display.push('/');
    }
    let plan_files = || {
        loaded
            .sources
            .files()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.cell.is_none())
    };
    let before: Vec<(PathBuf, Vec<u8>)> = plan_files()
        .map(|(_, f)| (f.relative.clone(), f.text.clone().into_bytes()))
        .collect();
    let after: Vec<(PathBuf, Vec<u8>)> = plan_files()
        .map(|(i, f)| {
            let text = edited
                .iter()
                .find(|e| e.file as usize == i)
                .map_or(&f.text, |e| &e.text);
            (f.relative.clone(), text.clone().into_bytes())
        })
        .collect();
    let ctx = crate::check::Context {
        today: crate::model::Date::today(),
    };
    let old = crate::check_loaded(crate::load::load_memory(&display, before, folder)?, &ctx);
    let new = crate::check_loaded(crate::load::load_memory(&display, after, folder)?, &ctx);
    let name = path.display().to_string();
    let d = crate::diff::diff(
        &format!("{name} (now)"),
        &old,
        &format!("{name} (with the answers)"),
        &new,
    );
    Ok(crate::diff::human(&d))
}

/// `` `rto` of `pay`: forms/bia-ann.xlsx:pay!B5 ``, escaped for a terminal.
fn provenance(loaded: &crate::load::Loaded, a: &Answer) -> String {
    visible(&format!(
        "`{}` of `{}`: {}",
        a.field.key(),
        a.function,
        answer_cell(loaded, a)
    ))
    .into_owned()
}

/// `forms/bia-ann.xlsx:pay!B5`: the workbook and cell an answer came from.
fn answer_cell(loaded: &crate::load::Loaded, a: &Answer) -> String {
    let sources = &loaded.sources;
    format!(
        "{}:{}",
        sources.display_path(a.span.file),
        sources.cell(a.span.file).unwrap_or_default()
    )
}

/// `bia/finance.yaml:12:10: set `rto` of `pay`: 4h -> 2h (from forms/bia-ann.xlsx:pay!B5)`,
/// escaped for a terminal.
fn describe(loaded: &crate::load::Loaded, a: &Answer) -> String {
    let sources = &loaded.sources;
    let function = loaded
        .plan
        .functions
        .iter()
        .find(|f| f.id.value == a.function);
    let span = function.map(|f| match a.field {
        Field::Rto => f.rto.span,
        Field::Rpo => f.rpo.as_ref().map_or(f.id.span, |r| r.span),
        Field::Mtd => f.mtd.span,
        Field::Tier => f.tier.span,
        _ => f.id.span,
    });
    let at = span.map_or_else(String::new, |s| {
        format!("{}:{}:{}: ", sources.display_path(s.file), s.line, s.column)
    });
    let change = match (&a.value, function.and_then(|f| import::current(f, a.field))) {
        (Value::Deps { .. }, _) | (_, None) => format!("{}", a.value),
        (new, Some(old)) => format!("{old} -> {new}"),
    };
    visible(&format!(
        "{at}set `{}` of `{}`: {change} (from {})",
        a.field.key(),
        a.function,
        answer_cell(loaded, a)
    ))
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip_through_cells() {
        for text in ["4h", "1d12h", "30m", "2w", "0m", "3d"] {
            let d = Duration::parse(text).unwrap();
            let (n, unit) = duration_cells(d, Lang::En);
            assert_eq!(parse_duration(&n.to_string(), unit).unwrap(), d, "{text}");
            let (n, unit) = duration_cells(d, Lang::ZhCn);
            assert_eq!(parse_duration(&n.to_string(), unit).unwrap(), d, "{text}");
        }
        assert_eq!(
            duration_cells(Duration::parse("1d12h").unwrap(), Lang::En),
            (36, "hours")
        );
        assert_eq!(parse_duration("4h", "").unwrap().minutes(), 240);
        assert_eq!(parse_duration("2", "d").unwrap().minutes(), 2880);
        assert!(parse_duration("1.5", "days").is_err());
        assert!(parse_duration("four", "hours").is_err());
        assert!(parse_duration("4", "fortnights").is_err());
        assert!(parse_duration("-1", "hours").is_err());
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(3, 1), "B4");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(parse_cell_ref("B4"), Some((3, 1)));
        assert_eq!(parse_cell_ref("AA1"), Some((0, 26)));
        assert_eq!(parse_cell_ref("4"), None);
        assert_eq!(parse_cell_ref("B0"), None);
    }

    #[test]
    fn field_keys_round_trip() {
        for f in [
            Field::Tier,
            Field::Staff,
            Field::Depends(DepKind::Sites),
            Field::Peak(3),
            Field::Impact(1, ImpactPart::Severity),
            Field::KeyPerson(0, true),
            Field::Workaround(WorkPart::Covers(1)),
            Field::Workaround(WorkPart::SustainableFor),
        ] {
            assert_eq!(Field::from_key(&f.key()), Some(f));
        }
        assert_eq!(Field::Staff.key(), "resources.staff");
        assert_eq!(
            Field::KeyPerson(2, false).key(),
            "resources.key_people.2.person"
        );
        assert_eq!(Field::from_key("impacts.x.after"), None);
        assert_eq!(Field::from_key("impacts.0.colour"), None);
    }
}
