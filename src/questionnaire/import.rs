//! Reading filled questionnaires: every answer checked, each problem a diagnostic at its
//! `FILE:SHEET!CELL`.
//!
//! An answer becomes a change only when the respondent changed it (it differs from the
//! value the form showed, column D) and it differs from the plan's value now: so a form
//! left alone changes nothing, importing twice changes nothing, and an answer nobody
//! touched never reverts a plan value edited since the export.

use super::export::{IMPACT_CATEGORIES, SEVERITIES};
use super::{
    DepKind, FORMAT, Field, ImpactPart, LAYOUT, ListKind, MAP_SHEET, WorkPart, checksum,
    export::deps, parse_cell_ref, parse_duration,
};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::load::Sources;
use crate::model::{Duration, Function, Plan, Span, Tier};
use crate::t;
use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

/// Largest workbook file read: a filled questionnaire is tens of kilobytes.
pub const MAX_WORKBOOK_BYTES: u64 = 16 * MIB;
/// Largest size a workbook's parts may unpack to (XLSX is a zip of XML).
pub const MAX_UNPACKED_BYTES: u64 = 64 * MIB;
/// Most cells read from one workbook, over all the sheets read.
pub const MAX_CELLS: usize = 100_000;
const MIB: u64 = 1024 * 1024;

/// A sheet's non-empty cells by 0-based (row, column).
type Cells = BTreeMap<(u32, u32), Data>;

enum SheetError {
    Broken(String),
    TooMany,
}

/// The non-empty cells of a sheet, `None` when there is no such sheet; each cell counts
/// against `budget`.
fn sheet_cells<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    budget: &mut usize,
) -> Result<Option<Cells>, SheetError> {
    if !book.sheet_names().iter().any(|n| n == name) {
        return Ok(None);
    }
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| SheetError::Broken(e.to_string()))?;
    let mut cells = Cells::new();
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| SheetError::Broken(e.to_string()))?
    {
        *budget = budget.checked_sub(1).ok_or(SheetError::TooMany)?;
        let value = Data::from(cell.get_value().clone());
        if value != Data::Empty {
            cells.insert(cell.get_position(), value);
        }
    }
    Ok(Some(cells))
}

/// What the zip's parts say they unpack to, in all.
fn unpacked_size(bytes: &[u8]) -> Result<u64, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        total = total.saturating_add(part.size());
    }
    Ok(total)
}

/// A value to write into the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Tier(Tier),
    Duration(Duration),
    Count(u32),
    /// An RPO of `n/a`: the function holds no data of its own.
    NotApplicable,
    /// Dependencies added and removed (the plan's others stay, in their order).
    Deps {
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// Lists answered row by row, each replacing the plan's list as a whole.
    Peaks(Vec<String>),
    Impacts(Vec<ImpactAnswer>),
    /// Key people with their backups, person ids.
    KeyPeople(Vec<(String, Option<String>)>),
    /// The workaround as answered, `None` when every part was cleared.
    Workaround(Option<WorkaroundAnswer>),
}

/// A workaround as answered.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkaroundAnswer {
    pub description: String,
    pub covers: Vec<String>,
    pub sustainable_for: Duration,
    pub capacity_percent: Option<u8>,
}

/// An impact over time as answered: category and severity in the plan's words.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactAnswer {
    pub after: Duration,
    pub category: String,
    pub severity: String,
    pub description: Option<String>,
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Tier(t) => f.write_str(t.as_str()),
            Value::Duration(d) => write!(f, "{d}"),
            Value::Count(n) => write!(f, "{n}"),
            Value::NotApplicable => f.write_str(crate::model::Rpo::NOT_APPLICABLE),
            Value::Deps { add, remove } => {
                let parts: Vec<String> = add
                    .iter()
                    .map(|a| format!("+{a}"))
                    .chain(remove.iter().map(|r| format!("-{r}")))
                    .collect();
                f.write_str(&parts.join(" "))
            }
            Value::Peaks(list) => write!(f, "[{}]", list.join(", ")),
            Value::Impacts(list) => {
                let parts: Vec<String> = list
                    .iter()
                    .map(|i| format!("{} {} {}", i.after, i.category, i.severity))
                    .collect();
                write!(f, "[{}]", parts.join(", "))
            }
            Value::KeyPeople(list) => {
                let parts: Vec<String> = list
                    .iter()
                    .map(|(p, b)| match b {
                        Some(b) => format!("{p} (backup {b})"),
                        None => p.clone(),
                    })
                    .collect();
                write!(f, "[{}]", parts.join(", "))
            }
            Value::Workaround(None) => f.write_str("none"),
            Value::Workaround(Some(w)) => write!(
                f,
                "covers [{}] for {}{}",
                w.covers.join(", "),
                w.sustainable_for,
                w.capacity_percent
                    .map(|c| format!(" at {c}%"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// One changed answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub function: String,
    pub field: Field,
    pub value: Value,
    /// The answer's cell, as a source of [`Sources`].
    pub span: Span,
}

/// What a workbook held: the answers that changed something and are clean, and every problem.
#[derive(Debug, Default)]
pub struct Read {
    pub answers: Vec<Answer>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A dependency row of a form: the answer, the value the form showed, the answer's cell.
type DepRow = (String, String, Span);

/// A row of a list answered row by row: its field, answer, unit, the value shown, its cell.
struct ListRow {
    field: Field,
    answer: String,
    unit: String,
    was: String,
    span: Span,
}

/// One question of the map sheet.
struct Question {
    sheet: String,
    cell: String,
    row: u32,
    col: u32,
    function: String,
    field: Field,
}

/// Reads one filled questionnaire against the plan. Cells that diagnostics point at are added
/// to `sources`.
///
/// # Errors
/// [`Error::ReadPlan`] when the file cannot be read or is not a workbook at all.
pub fn read(path: &Path, plan: &Plan, sources: &mut Sources) -> Result<Read, Error> {
    let display = path.display().to_string();
    let read_error = |source| Error::ReadPlan {
        path: path.to_path_buf(),
        source,
    };
    // A named pipe would block the read until something writes to it, a device may never end.
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if !meta.is_file() {
        return Err(read_error(std::io::Error::other(format!(
            "it is {}, not a workbook file; give the questionnaires as `.xlsx` files",
            crate::load::file_kind(&meta)
        ))));
    }
    let too_big = |what: String| {
        read_error(std::io::Error::other(format!(
            "{what}; a questionnaire is far smaller: give the filled form bcp exported"
        )))
    };
    if meta.len() > MAX_WORKBOOK_BYTES {
        return Err(too_big(format!(
            "it is {} MiB, over the {} MiB a workbook may be",
            meta.len() / MIB,
            MAX_WORKBOOK_BYTES / MIB
        )));
    }
    // Never more than the limit, even when the file grows while it is read.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_WORKBOOK_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(too_big(format!(
            "it is over the {} MiB a workbook may be",
            MAX_WORKBOOK_BYTES / MIB
        )));
    }
    let unreadable = |e: &dyn std::fmt::Display| Error::ReadPlan {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!(
            "not an XLSX workbook ({e}); give the questionnaires as `.xlsx` files"
        )),
    };
    // XLSX is a zip of XML parts: what they say they unpack to is checked before any is read.
    let unpacked = unpacked_size(&bytes).map_err(|e| unreadable(&e))?;
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(too_big(format!(
            "its parts unpack to {} MiB, over the {} MiB a workbook may hold",
            unpacked / MIB,
            MAX_UNPACKED_BYTES / MIB
        )));
    }
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut out = Read::default();
    let not_ours = |why: &str| {
        Diagnostic::error("Q001", t!("Q001.message", file = display, why)).help(t!("Q001.help"))
    };
    // Cells are read one by one into a sparse map, at most MAX_CELLS in all: a sheet that
    // names a far corner cell costs nothing, and a huge one stops with a clear error.
    let mut budget = MAX_CELLS;
    let mut cells_of = |book: &mut Xlsx<_>, name: &str| {
        sheet_cells(book, name, &mut budget).map_err(|e| match e {
            SheetError::Broken(e) => unreadable(&e),
            SheetError::TooMany => too_big(format!(
                "it holds more than {MAX_CELLS} cells, the most a workbook may hold"
            )),
        })
    };
    let Some(map) = cells_of(&mut book, MAP_SHEET)? else {
        out.diagnostics.push(not_ours(&t!("Q001.no_map")));
        return Ok(out);
    };
    let text_at = |r: u32, c: u32| map.get(&(r, c)).map(text).unwrap_or_default();
    let mut meta = BTreeMap::new();
    let mut questions = Vec::new();
    let last_row = map.keys().next_back().map_or(0, |k| k.0);
    for r in 1..=last_row {
        match text_at(r, 0).as_str() {
            "question" => {
                let (sheet, cell) = (text_at(r, 1), text_at(r, 2));
                let field = Field::from_key(&text_at(r, 4));
                let (Some((row, col)), Some(field)) = (parse_cell_ref(&cell), field) else {
                    out.diagnostics.push(not_ours(&t!("Q001.map_edited")));
                    return Ok(out);
                };
                questions.push(Question {
                    sheet,
                    cell,
                    row,
                    col,
                    function: text_at(r, 3),
                    field,
                });
            }
            "" => {}
            key => {
                meta.insert(key.to_string(), text_at(r, 1));
            }
        }
    }
    if meta.get("format").map(String::as_str) != Some(FORMAT) {
        out.diagnostics
            .push(not_ours(&t!("Q001.not_questionnaire")));
        return Ok(out);
    }
    if meta.get("layout").map(String::as_str) != Some(LAYOUT) {
        out.diagnostics.push(not_ours(&t!(
            "Q001.layout",
            layout = meta.get("layout").map_or("(none)", String::as_str),
            reads = LAYOUT
        )));
        return Ok(out);
    }
    // The checksum export computed over its map rows (sheet, cell, function, field).
    let keys: Vec<String> = questions.iter().map(|q| q.field.key()).collect();
    let parts: Vec<&str> = std::iter::once(LAYOUT)
        .chain(questions.iter().zip(&keys).flat_map(|(q, k)| {
            [
                q.sheet.as_str(),
                q.cell.as_str(),
                q.function.as_str(),
                k.as_str(),
            ]
        }))
        .collect();
    if meta.get("checksum") != Some(&checksum(parts)) {
        out.diagnostics.push(not_ours(&t!("Q001.checksum")));
        return Ok(out);
    }
    let version = meta.get("plan_version").cloned().unwrap_or_default();
    if version != plan.meta.version {
        out.diagnostics.push(
            Diagnostic::warning(
                "Q006",
                t!(
                    "Q006.message",
                    file = display,
                    version,
                    now = plan.meta.version
                ),
            )
            .help(t!("Q006.help")),
        );
    }

    // Every answer cell, read once per sheet.
    let mut sheets: BTreeMap<String, Cells> = BTreeMap::new();
    for q in &questions {
        if !sheets.contains_key(&q.sheet) {
            let Some(range) = cells_of(&mut book, &q.sheet)? else {
                out.diagnostics
                    .push(not_ours(&t!("Q001.sheet_missing", sheet = q.sheet)));
                return Ok(out);
            };
            sheets.insert(q.sheet.clone(), range);
        }
    }
    let cell = |q: &Question, col: u32| {
        sheets
            .get(&q.sheet)
            .and_then(|s| s.get(&(q.row, col)))
            .map(text)
            .unwrap_or_default()
    };
    let mut place = |q: &Question, value: &str| {
        let file = sources.push_cell(
            display.clone(),
            format!("{}!{}", q.sheet, q.cell),
            value.to_string(),
        );
        Span {
            file,
            line: 0,
            column: 0,
        }
    };

    // Dependencies are answered by several rows: gather them per function and kind.
    let mut dep_rows: BTreeMap<(String, DepKind), Vec<DepRow>> = BTreeMap::new();
    let mut list_rows: BTreeMap<(String, ListKind), Vec<ListRow>> = BTreeMap::new();
    for q in &questions {
        let Some(function) = plan.functions.iter().find(|f| f.id.value == q.function) else {
            let span = place(q, &q.function);
            if !out
                .diagnostics
                .iter()
                .any(|d| d.code == "Q002" && d.message.contains(&format!("`{}`", q.function)))
            {
                out.diagnostics.push(unknown(
                    "function",
                    &q.function,
                    plan.functions.iter().map(|f| f.id.value.as_str()),
                    span,
                ));
            }
            continue;
        };
        let (answer, unit, was) = (cell(q, q.col), cell(q, q.col + 1), cell(q, q.col + 2));
        if let Some(kind) = q.field.list() {
            let span = place(q, &answer);
            list_rows
                .entry((q.function.clone(), kind))
                .or_default()
                .push(ListRow {
                    field: q.field,
                    answer,
                    unit,
                    was,
                    span,
                });
            continue;
        }
        if let Field::Depends(kind) = q.field {
            let span = place(q, &answer);
            dep_rows
                .entry((q.function.clone(), kind))
                .or_default()
                .push((answer, was, span));
            continue;
        }
        let parsed = scalar(q.field, &answer, &unit);
        let before = scalar(q.field, &was, "").or_else(|_| {
            let (n, u) = was.rsplit_once(' ').unwrap_or((&was, ""));
            scalar(q.field, n, u)
        });
        match parsed {
            Err(message) => {
                let span = place(q, &answer);
                out.diagnostics.push(
                    Diagnostic::error("Q003", message)
                        .at(span)
                        .help(field_help(q.field)),
                );
            }
            Ok(None) => {}
            Ok(Some(value)) => {
                let untouched = before.ok().flatten().as_ref() == Some(&value);
                if !untouched && current(function, q.field).as_ref() != Some(&value) {
                    let span = place(q, &answer);
                    out.answers.push(Answer {
                        function: q.function.clone(),
                        field: q.field,
                        value,
                        span,
                    });
                }
            }
        }
    }
    for ((function_id, kind), rows) in dep_rows {
        let Some(function) = plan.functions.iter().find(|f| f.id.value == function_id) else {
            continue;
        };
        let known = known_ids(plan, kind);
        let mut answered = Vec::new();
        let mut clean = true;
        for (answer, _, span) in &rows {
            let id = entry_id(answer);
            if id.is_empty() {
                continue;
            }
            if known.contains(&id) {
                answered.push(id.to_string());
            } else {
                clean = false;
                out.diagnostics.push(unknown(
                    match kind {
                        DepKind::Functions => "function",
                        DepKind::Systems => "system",
                        DepKind::Sites => "site",
                        DepKind::Suppliers => "supplier",
                    },
                    id,
                    known.iter().copied(),
                    *span,
                ));
            }
        }
        if !clean {
            continue;
        }
        let shown: Vec<&str> = rows
            .iter()
            .map(|(_, was, _)| entry_id(was))
            .filter(|i| !i.is_empty())
            .collect();
        let now = deps(function, kind);
        let add: Vec<String> = answered
            .iter()
            .filter(|a| !shown.contains(&a.as_str()) && !now.contains(&a.as_str()))
            .fold(Vec::new(), |mut v, a| {
                if !v.contains(a) {
                    v.push(a.clone());
                }
                v
            });
        let remove: Vec<String> = shown
            .iter()
            .filter(|s| !answered.iter().any(|a| a == *s) && now.contains(s))
            .map(|s| (*s).to_string())
            .collect();
        if !add.is_empty() || !remove.is_empty() {
            let span = rows
                .iter()
                .find(|(a, w, _)| a != w)
                .map_or(rows[0].2, |r| r.2);
            out.answers.push(Answer {
                function: function_id,
                field: Field::Depends(kind),
                value: Value::Deps { add, remove },
                span,
            });
        }
    }
    for ((function_id, kind), rows) in list_rows {
        let Some(function) = plan.functions.iter().find(|f| f.id.value == function_id) else {
            continue;
        };
        let (answered, problems) = list_answer(plan, kind, &rows, |r| (&r.answer, &r.unit));
        if !problems.is_empty() {
            out.diagnostics.extend(problems);
            continue;
        }
        // What the form showed, read the same way (column D holds `4 hours` for a time).
        let (shown, _) = list_answer(plan, kind, &rows, |r| {
            if is_duration(r.field) {
                r.was.rsplit_once(' ').unwrap_or((&r.was, ""))
            } else {
                (r.was.as_str(), "")
            }
        });
        if answered != shown && current(function, Field::List(kind)).as_ref() != Some(&answered) {
            // The first row the respondent changed (a time shows as `4 hours` in column D).
            let changed = |r: &&ListRow| {
                let answer = if is_duration(r.field) {
                    format!("{} {}", r.answer, r.unit)
                } else {
                    r.answer.clone()
                };
                answer.trim() != r.was.trim()
            };
            let span = rows.iter().find(changed).map_or(rows[0].span, |r| r.span);
            out.answers.push(Answer {
                function: function_id,
                field: Field::List(kind),
                value: answered,
                span,
            });
        }
    }
    Ok(out)
}

/// A list answered row by row, from each row's answer and unit as `parts` gives them; with
/// every problem of an answer (none for the shown values, which bcp wrote).
fn list_answer<'r>(
    plan: &Plan,
    kind: ListKind,
    rows: &'r [ListRow],
    parts: impl Fn(&'r ListRow) -> (&'r str, &'r str),
) -> (Value, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    // Row groups by entry index, in the form's order.
    let mut entries: BTreeMap<u8, Vec<&ListRow>> = BTreeMap::new();
    for r in rows {
        let i = match r.field {
            Field::Peak(i) | Field::Impact(i, _) | Field::KeyPerson(i, _) => i,
            Field::Workaround(_) => 0,
            _ => continue,
        };
        entries.entry(i).or_default().push(r);
    }
    let part = |group: &[&'r ListRow], f: Field| {
        group
            .iter()
            .find(|r| r.field == f)
            .map(|r| (parts(r), r.span))
    };
    let person = |id: &str, span: Span, problems: &mut Vec<Diagnostic>| {
        if plan.people.iter().any(|p| p.id.value == id) {
            true
        } else {
            problems.push(unknown(
                "person",
                id,
                plan.people.iter().map(|p| p.id.value.as_str()),
                span,
            ));
            false
        }
    };
    let value = match kind {
        ListKind::Peaks => Value::Peaks(
            rows.iter()
                .map(|r| parts(r).0.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
        ),
        ListKind::KeyPeople => {
            let mut list = Vec::new();
            for (i, group) in &entries {
                let (Some(((who, _), who_span)), Some(((backup, _), backup_span))) = (
                    part(group, Field::KeyPerson(*i, false)),
                    part(group, Field::KeyPerson(*i, true)),
                ) else {
                    continue;
                };
                let (who, backup) = (entry_id(who), entry_id(backup));
                if who.is_empty() {
                    if !backup.is_empty() {
                        problems.push(
                            Diagnostic::error(
                                "Q003",
                                format!("`{backup}` is a backup for no one: the key person above is empty"),
                            )
                            .at(backup_span)
                            .help("choose the key person they stand in for, or clear the backup"),
                        );
                    }
                    continue;
                }
                let known = person(who, who_span, &mut problems);
                let backup = (!backup.is_empty()).then(|| backup.to_string());
                let known_backup = backup
                    .as_deref()
                    .is_none_or(|b| person(b, backup_span, &mut problems));
                if known && known_backup {
                    list.push((who.to_string(), backup));
                }
            }
            Value::KeyPeople(list)
        }
        ListKind::Impacts => {
            let mut list = Vec::new();
            for (i, group) in &entries {
                let get = |p: ImpactPart| part(group, Field::Impact(*i, p));
                let (
                    Some(((after, unit), after_span)),
                    Some(((category, _), category_span)),
                    Some(((severity, _), severity_span)),
                    Some(((description, _), _)),
                ) = (
                    get(ImpactPart::After),
                    get(ImpactPart::Category),
                    get(ImpactPart::Severity),
                    get(ImpactPart::Description),
                )
                else {
                    continue;
                };
                let (after, category, severity, description) = (
                    after.trim(),
                    category.trim(),
                    severity.trim(),
                    description.trim(),
                );
                if after.is_empty()
                    && category.is_empty()
                    && severity.is_empty()
                    && description.is_empty()
                {
                    continue;
                }
                let n = usize::from(*i) + 1;
                let after = if after.is_empty() {
                    Err(format!(
                        "impact {n} has no time; every impact says when it starts"
                    ))
                } else {
                    parse_duration(after, unit)
                        .map_err(|e| format!("the time of impact {n} does not parse: {e}"))
                };
                let word = |text: &str, words: &[&str], what: &str| {
                    let w = text.to_lowercase().replace([' ', '-'], "_");
                    if text.is_empty() {
                        Err(format!("impact {n} has no {what}"))
                    } else if words.contains(&w.as_str()) {
                        Ok(w)
                    } else {
                        Err(format!("`{text}` is not an impact {what}"))
                    }
                };
                let category = word(category, &IMPACT_CATEGORIES, "category");
                let severity = word(severity, &SEVERITIES, "severity");
                for (result, span, help) in [
                    (
                        after.as_ref().err(),
                        after_span,
                        "write a whole number in column B and choose minutes, hours, days or weeks in column C; clear the whole impact to remove it",
                    ),
                    (
                        category.as_ref().err(),
                        category_span,
                        "choose a category from the list: operational, financial, customer_confidence, market_share, competitive, future_sales, legal_regulatory, reputation, safety",
                    ),
                    (
                        severity.as_ref().err(),
                        severity_span,
                        "choose low, medium, high or severe from the list",
                    ),
                ] {
                    if let Some(message) = result {
                        problems.push(
                            Diagnostic::error("Q003", message.clone())
                                .at(span)
                                .help(help),
                        );
                    }
                }
                if let (Ok(after), Ok(category), Ok(severity)) = (after, category, severity) {
                    list.push(ImpactAnswer {
                        after,
                        category,
                        severity,
                        description: (!description.is_empty()).then(|| description.to_string()),
                    });
                }
            }
            Value::Impacts(list)
        }
        ListKind::Workaround => workaround_answer(plan, rows, &parts, &mut problems),
    };
    (value, problems)
}

/// Whether a field's answer is a number with its unit in the next column.
fn is_duration(field: Field) -> bool {
    matches!(
        field,
        Field::Impact(_, ImpactPart::After) | Field::Workaround(WorkPart::SustainableFor)
    )
}

fn workaround_answer<'r>(
    plan: &Plan,
    rows: &'r [ListRow],
    parts: &impl Fn(&'r ListRow) -> (&'r str, &'r str),
    problems: &mut Vec<Diagnostic>,
) -> Value {
    let get = |part: WorkPart| {
        rows.iter()
            .find(|r| r.field == Field::Workaround(part))
            .map(|r| {
                let (a, u) = parts(r);
                (a.trim(), u.trim(), r.span)
            })
    };
    let covers: Vec<(&str, Span)> = rows
        .iter()
        .filter(|r| matches!(r.field, Field::Workaround(WorkPart::Covers(_))))
        .map(|r| (entry_id(parts(r).0), r.span))
        .filter(|(id, _)| !id.is_empty())
        .collect();
    let (Some(description), Some(sustain), Some(capacity)) = (
        get(WorkPart::Description),
        get(WorkPart::SustainableFor),
        get(WorkPart::Capacity),
    ) else {
        return Value::Workaround(None);
    };
    if description.0.is_empty()
        && covers.is_empty()
        && sustain.0.is_empty()
        && capacity.0.is_empty()
    {
        return Value::Workaround(None);
    }
    let before = problems.len();
    if description.0.is_empty() {
        problems.push(
            Diagnostic::error("Q003", "the workaround has no description")
                .at(description.2)
                .help("say what is done instead, or clear every row of the workaround"),
        );
    }
    let known = known_ids(plan, DepKind::Systems);
    for (id, span) in &covers {
        if !known.contains(id) {
            problems.push(unknown("system", id, known.iter().copied(), *span));
        }
    }
    let sustainable_for = if sustain.0.is_empty() {
        Err("the workaround does not say how long it can be kept up".to_string())
    } else {
        parse_duration(sustain.0, sustain.1)
            .map_err(|e| format!("how long the workaround holds does not parse: {e}"))
    };
    if let Err(message) = &sustainable_for {
        problems.push(
            Diagnostic::error("Q003", message.clone())
                .at(sustain.2)
                .help("write a whole number in column B and choose minutes, hours, days or weeks in column C"),
        );
    }
    let capacity_percent = match capacity.0 {
        "" => None,
        text => match text.parse::<u8>() {
            Ok(n) if (1..=100).contains(&n) => Some(n),
            _ => {
                problems.push(
                    Diagnostic::error(
                        "Q003",
                        format!("the workaround's capacity `{text}` is not a whole percentage from 1 to 100"),
                    )
                    .at(capacity.2)
                    .help("write the share of normal capacity, e.g. 30, or leave it empty"),
                );
                None
            }
        },
    };
    match sustainable_for {
        Ok(sustainable_for) if problems.len() == before => {
            Value::Workaround(Some(WorkaroundAnswer {
                description: description.0.to_string(),
                covers: covers.iter().map(|(id, _)| (*id).to_string()).collect(),
                sustainable_for,
                capacity_percent,
            }))
        }
        _ => Value::Workaround(None),
    }
}

/// The id of a drop-down entry (`id — name`), or the text itself when typed as an id.
fn entry_id(text: &str) -> &str {
    text.split_once(" — ").map_or(text, |(id, _)| id).trim()
}

fn known_ids(plan: &Plan, kind: DepKind) -> Vec<&str> {
    match kind {
        DepKind::Functions => plan.functions.iter().map(|x| x.id.value.as_str()).collect(),
        DepKind::Systems => plan.systems.iter().map(|x| x.id.value.as_str()).collect(),
        DepKind::Sites => plan.sites.iter().map(|x| x.id.value.as_str()).collect(),
        DepKind::Suppliers => plan.suppliers.iter().map(|x| x.id.value.as_str()).collect(),
    }
}

fn unknown<'a>(
    what: &str,
    id: &str,
    known: impl IntoIterator<Item = &'a str>,
    span: Span,
) -> Diagnostic {
    let known: Vec<&str> = known.into_iter().collect();
    let what = crate::i18n::raw(crate::i18n::current(), &format!("kind.{what}"));
    let help = crate::suggest::nearest(id, known.iter().copied()).map_or_else(
        || t!("Q002.help", what, id),
        |suggestion| t!("Q002.did_you_mean", suggestion),
    );
    Diagnostic::error("Q002", t!("Q002.message", what, id))
        .at(span)
        .help(help)
}

fn field_help(field: Field) -> &'static str {
    match field {
        Field::Tier => "choose critical, essential, necessary or desirable from the list",
        Field::Rto | Field::Mtd => {
            "write a whole number in column B and choose minutes, hours, days or weeks in column C"
        }
        Field::Rpo => {
            "write a whole number in column B and choose minutes, hours, days or weeks in column C, or choose n/a in column C for a function that holds no data"
        }
        Field::Staff => "write a whole number of people",
        Field::Depends(_)
        | Field::KeyPerson(..)
        | Field::List(_)
        | Field::Impact(..)
        | Field::Workaround(_) => "choose an entry from the drop-down list",
        Field::Peak(_) => "describe the period in a few words",
    }
}

/// An answer cell's value; `Ok(None)` for an empty cell that may stay empty.
fn scalar(field: Field, answer: &str, unit: &str) -> Result<Option<Value>, String> {
    let answer = answer.trim();
    let name = match field {
        Field::Rto => "RTO",
        Field::Rpo => "RPO",
        Field::Mtd => "MTD",
        _ => "",
    };
    match field {
        Field::Tier => {
            if answer.is_empty() {
                return Err("the tier is empty; every function has one".to_string());
            }
            let word = answer
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase();
            Tier::ALL
                .into_iter()
                .find(|t| t.as_str() == word)
                .map(|t| Some(Value::Tier(t)))
                .ok_or_else(|| format!("`{answer}` is not a tier"))
        }
        // `n/a` chosen as the unit (or written as the answer): the function holds no data.
        Field::Rpo if is_not_applicable(unit) || is_not_applicable(answer) => {
            Ok(Some(Value::NotApplicable))
        }
        Field::Rpo if answer.is_empty() => Ok(None),
        Field::Rto | Field::Rpo | Field::Mtd => {
            if answer.is_empty() {
                return Err(format!("the {name} is empty; every function has one"));
            }
            parse_duration(answer, unit)
                .map(|d| Some(Value::Duration(d)))
                .map_err(|e| format!("the {name} does not parse: {e}"))
        }
        Field::Staff => {
            if answer.is_empty() {
                return Ok(None);
            }
            answer
                .parse::<u32>()
                .map(|n| Some(Value::Count(n)))
                .map_err(|_| format!("minimum staff `{answer}` is not a whole number"))
        }
        _ => Ok(None),
    }
}

fn is_not_applicable(text: &str) -> bool {
    text.trim()
        .eq_ignore_ascii_case(crate::model::Rpo::NOT_APPLICABLE)
}

/// The plan's value of a scalar field.
pub fn current(f: &Function, field: Field) -> Option<Value> {
    match field {
        Field::Tier => Some(Value::Tier(*f.tier)),
        Field::Rto => Some(Value::Duration(*f.rto)),
        // Left out and `n/a` say the same: no RPO to meet.
        Field::Rpo => Some(
            f.rpo
                .as_ref()
                .and_then(|r| r.duration())
                .map_or(Value::NotApplicable, Value::Duration),
        ),
        Field::Mtd => Some(Value::Duration(*f.mtd)),
        Field::Staff => f.resources.staff.as_ref().map(|s| Value::Count(s.value)),
        Field::List(ListKind::Peaks) => Some(Value::Peaks(f.peak_periods.clone())),
        Field::List(ListKind::Impacts) => Some(Value::Impacts(
            f.impacts
                .iter()
                .map(|i| ImpactAnswer {
                    after: i.after,
                    category: word_of(i.category),
                    severity: word_of(i.severity),
                    description: i.description.clone(),
                })
                .collect(),
        )),
        Field::List(ListKind::KeyPeople) => Some(Value::KeyPeople(
            f.resources
                .key_people
                .iter()
                .map(|k| {
                    (
                        k.person.value.clone(),
                        k.backup.as_ref().map(|b| b.value.clone()),
                    )
                })
                .collect(),
        )),
        Field::List(ListKind::Workaround) => {
            Some(Value::Workaround(f.workaround.as_ref().map(|w| {
                WorkaroundAnswer {
                    description: w.description.clone(),
                    covers: w.covers.iter().map(|c| c.value.clone()).collect(),
                    sustainable_for: *w.sustainable_for,
                    capacity_percent: w.capacity_percent.as_ref().map(|c| c.value),
                }
            })))
        }
        Field::Depends(_)
        | Field::Peak(_)
        | Field::Impact(..)
        | Field::KeyPerson(..)
        | Field::Workaround(_) => None,
    }
}

/// An enum as the plan writes it (`customer_confidence`).
fn word_of(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A cell as text: numbers without a needless decimal point.
fn text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("{e:?}"),
    }
}
