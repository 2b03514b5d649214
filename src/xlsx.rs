//! Spreadsheets: one small layer over rust_xlsxwriter for every workbook bcp writes (the BIA
//! and the risk register now, questionnaires to fill in later), and CSV from the same sheets.
//!
//! A [`Workbook`] is plain data: sheets of typed cells under one header row, with column
//! widths, number formats, validation lists and protection described per column. [`write`]
//! turns it into XLSX bytes with a frozen header and a filter, and the same workbook always
//! gives the same bytes (the creation date is the plan's, never the clock's).
//!
//! Text is always written as text: a cell that starts with `=` is a string, never a formula.

use crate::error::Error;
use crate::model::Date;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook as XlsxBook, Worksheet,
};

/// The longest text a cell holds (Excel's limit is 32,767 characters).
const MAX_CELL_CHARS: usize = 32_000;

/// A workbook: its sheets in order and its document properties.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    pub properties: Properties,
}

/// Document properties (File > Info in a spreadsheet program).
#[derive(Debug, Clone, Default)]
pub struct Properties {
    pub title: String,
    pub subject: String,
    pub company: String,
    /// BCP 47 language tag of the content, e.g. `en` or `zh-CN`.
    pub language: String,
    /// E.g. `Draft` for a plan rendered over its errors.
    pub status: Option<String>,
    pub keywords: String,
    /// The creation date written into the file; `None` writes 1980-01-01, never today.
    pub date: Option<Date>,
}

/// One sheet: a header row, then the rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// At most 31 characters, none of `[]:*?/\` (longer names are cut, those characters
    /// replaced).
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Hidden sheets hold lists other sheets validate against.
    pub hidden: bool,
    /// Protect the sheet: only the cells of [`Column::editable`] columns (and editable
    /// [`CellRule`]s) can be changed.
    pub protected: bool,
    /// A form rather than a table: rows ask different questions, so no filter on the header.
    pub form: bool,
    /// Cells that differ from their column: on a form each row has its own checks.
    pub cell_rules: Vec<CellRule>,
}

/// One cell's own editability and check, over its column's.
#[derive(Debug, Clone)]
pub struct CellRule {
    /// Index into [`Sheet::rows`] (the header row is not counted).
    pub row: usize,
    pub col: usize,
    /// On a protected sheet, whether the cell can be changed.
    pub editable: bool,
    pub validation: Option<Validation>,
    /// A note shown when the cell is selected (at most 255 characters).
    pub prompt: Option<String>,
}

/// One column: its header, width and how its cells are shown and checked.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    /// Width in characters (Excel's unit); CJK text needs about twice its character count.
    pub width: f64,
    /// Number format for numeric cells, e.g. `0.##` or `#,##0`; dates always show
    /// `yyyy-mm-dd`.
    pub number_format: Option<&'static str>,
    /// Wrap long text inside the cell instead of running into the next.
    pub wrap: bool,
    /// On a protected sheet, whether these cells stay editable (answer cells).
    pub editable: bool,
    /// What a typed value must be.
    pub validation: Option<Validation>,
}

impl Column {
    /// A text column of the given width.
    pub fn text(header: impl Into<String>, width: f64) -> Column {
        Column {
            header: header.into(),
            width,
            number_format: None,
            wrap: false,
            editable: false,
            validation: None,
        }
    }

    /// A column of numbers shown with `format`.
    pub fn number(header: impl Into<String>, width: f64, format: &'static str) -> Column {
        Column {
            number_format: Some(format),
            ..Column::text(header, width)
        }
    }

    /// The same column, wrapping its text.
    #[must_use]
    pub fn wrapped(mut self) -> Column {
        self.wrap = true;
        self
    }
}

/// A check on what may be typed into a column's cells.
#[derive(Debug, Clone)]
pub enum Validation {
    /// One of these words (shown as a drop-down); the list, joined with commas, must stay
    /// under 255 characters: longer lists go on a hidden sheet and use [`Validation::Range`].
    List(Vec<String>),
    /// One of the values in a range, e.g. `=Lists!$A$2:$A$20`.
    Range(String),
    /// A whole number between the two bounds.
    WholeNumber { min: i32, max: i32 },
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
}

impl Cell {
    /// Text, or an empty cell for empty text.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// The cell as CSV shows it: numbers without thousands separators, dates ISO 8601.
    fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A number as plain text: whole numbers without a decimal point, others with at most four
/// decimals and no trailing zeros.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let text = format!("{n:.4}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A workbook as XLSX bytes.
///
/// # Errors
/// [`Error::Document`] when the spreadsheet writer fails (a bad validation list, say).
pub fn write(book: &Workbook) -> Result<Vec<u8>, Error> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Document {
        format: "xlsx",
        message: e.to_string(),
    };
    let mut xlsx = XlsxBook::new();
    let p = &book.properties;
    let created = match p.date {
        Some(d) => excel_date(d),
        None => ExcelDateTime::from_ymd(1980, 1, 1),
    }
    .map_err(fail)?;
    let mut props = DocProperties::new()
        .set_title(&p.title)
        .set_subject(&p.subject)
        .set_company(&p.company)
        .set_keywords(&p.keywords)
        .set_creation_datetime(&created);
    if let Some(status) = &p.status {
        props = props.set_status(status);
    }
    xlsx.set_properties(&props);

    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("1F3A5F")
        .set_font_color("FFFFFF")
        .set_border(FormatBorder::Thin)
        .set_border_color("1F3A5F");
    let mut used_names: Vec<String> = Vec::new();
    for sheet in &book.sheets {
        let ws = xlsx.add_worksheet();
        let name = unique_sheet_name(&sheet.name, &used_names);
        ws.set_name(&name).map_err(fail)?;
        used_names.push(name);
        write_sheet(ws, sheet, &header).map_err(fail)?;
    }
    xlsx.save_to_buffer().map_err(fail)
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    header: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let formats: Vec<(Format, Format)> = sheet
        .columns
        .iter()
        .map(|c| {
            let mut f = Format::new().set_align(FormatAlign::Top);
            if c.wrap {
                f = f.set_text_wrap();
            }
            if let Some(n) = c.number_format {
                f = f.set_num_format(n);
            }
            if sheet.protected && c.editable {
                f = f.set_unlocked();
            }
            let date = f.clone().set_num_format("yyyy-mm-dd");
            (f, date)
        })
        .collect();
    for (col, c) in sheet.columns.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        ws.set_column_width(col, c.width)?;
        ws.write_string_with_format(0, col, &c.header, header)?;
    }
    let rules: std::collections::HashMap<(usize, usize), &CellRule> = sheet
        .cell_rules
        .iter()
        .map(|rule| ((rule.row, rule.col), rule))
        .collect();
    for (row_index, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(row_index + 1).unwrap_or(u32::MAX);
        for (col_index, cell) in row.iter().enumerate() {
            let Some((format, date)) = formats.get(col_index) else {
                continue;
            };
            let own = rules
                .get(&(row_index, col_index))
                .filter(|_| sheet.protected)
                .map(|rule| {
                    let f = if rule.editable {
                        format.clone().set_unlocked()
                    } else {
                        format.clone().set_locked()
                    };
                    (f.clone(), f.set_num_format("yyyy-mm-dd"))
                });
            let (format, date) = own.as_ref().map_or((format, date), |(f, d)| (f, d));
            let col = u16::try_from(col_index).unwrap_or(u16::MAX);
            match cell {
                Cell::Empty => ws.write_blank(r, col, format).map(|_| ())?,
                Cell::Text(t) => ws
                    .write_string_with_format(r, col, cut(t), format)
                    .map(|_| ())?,
                Cell::Number(n) => ws
                    .write_number_with_format(r, col, *n, format)
                    .map(|_| ())?,
                Cell::Date(d) => ws
                    .write_number_with_format(r, col, excel_serial(*d), date)
                    .map(|_| ())?,
            }
        }
    }
    let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(sheet.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    if !sheet.columns.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        if !sheet.form {
            ws.autofilter(0, 0, last_row, last_col)?;
        }
    }
    // Validation covers the column's rows and room below for rows a person adds.
    let validated_to = last_row.max(1).saturating_add(500);
    for (col, c) in sheet.columns.iter().enumerate() {
        let Some(v) = &c.validation else { continue };
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        ws.add_data_validation(1, col, validated_to, col, &data_validation(v)?)?;
    }
    for rule in &sheet.cell_rules {
        let (r, col) = (
            u32::try_from(rule.row + 1).unwrap_or(u32::MAX),
            u16::try_from(rule.col).unwrap_or(u16::MAX),
        );
        let mut check = match &rule.validation {
            Some(v) => data_validation(v)?,
            None if rule.prompt.is_some() => DataValidation::new().allow_any_value(),
            None => continue,
        };
        if let Some(prompt) = &rule.prompt {
            let prompt: String = prompt.chars().take(255).collect();
            check = check.set_input_message(&prompt)?;
        }
        ws.add_data_validation(r, col, r, col, &check)?;
    }
    if sheet.protected {
        ws.protect();
    }
    if sheet.hidden {
        ws.set_hidden(true);
    }
    Ok(())
}

fn data_validation(v: &Validation) -> Result<DataValidation, rust_xlsxwriter::XlsxError> {
    Ok(match v {
        Validation::List(words) => DataValidation::new().allow_list_strings(words)?,
        Validation::Range(range) => DataValidation::new().allow_list_formula(range.as_str().into()),
        Validation::WholeNumber { min, max } => {
            DataValidation::new().allow_whole_number(DataValidationRule::Between(*min, *max))
        }
    })
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(MAX_CELL_CHARS).collect();
        out.push('…');
        out
    }
}

/// Excel's day number of a date (1900 date system: 1970-01-01 is 25,569).
fn excel_serial(d: Date) -> f64 {
    // Dates in a plan are years 1..9999; the serial fits an f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let days = (d.days_since_epoch() + 25_569) as f64;
    days
}

fn excel_date(d: Date) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    // From the date's ISO text: the serial number form does not carry into the file's
    // creation date.
    let text = d.to_string();
    let mut parts = text.split('-').map(|p| p.parse::<u32>().unwrap_or(1));
    let (y, m, day) = (
        parts.next().unwrap_or(1980),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    ExcelDateTime::from_ymd(
        u16::try_from(y).unwrap_or(1980),
        u8::try_from(m).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// A sheet name Excel accepts, unique in the workbook.
pub fn unique_sheet_name(name: &str, used: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "Sheet".to_string()
    } else {
        clean.chars().take(31).collect()
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&candidate)) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    candidate
}

/// A sheet as CSV: the header row, RFC 4180 quoting, CRLF line ends, UTF-8 with a BOM so
/// spreadsheet programs read CJK text correctly. Text a spreadsheet would run as a formula
/// gets a leading `'`.
pub fn csv(sheet: &Sheet) -> Vec<u8> {
    let mut out = String::from('\u{FEFF}');
    let header = sheet.columns.iter().map(|c| csv_cell(&c.header, true));
    out.push_str(&header.collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in &sheet.rows {
        let cells = row
            .iter()
            .map(|c| csv_cell(&c.plain(), matches!(c, Cell::Text(_))));
        out.push_str(&cells.collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_cell(text: &str, is_text: bool) -> String {
    let text = if is_text && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(unique_sheet_name("a/b:c", &[]), "a_b_c");
        assert_eq!(unique_sheet_name("", &[]), "Sheet");
        let long = "x".repeat(40);
        assert_eq!(unique_sheet_name(&long, &[]).chars().count(), 31);
        let used = vec!["Lists".to_string()];
        assert_eq!(unique_sheet_name("lists", &used), "lists (2)");
    }

    #[test]
    fn numbers_and_formulas_in_csv() {
        let sheet = Sheet {
            name: "t".into(),
            columns: vec![Column::text("a", 5.0), Column::number("b", 5.0, "0.##")],
            rows: vec![
                vec![Cell::text("=1+1"), Cell::Number(0.25)],
                vec![Cell::text("x, \"y\""), Cell::Number(-4.0)],
            ],
            ..Sheet::default()
        };
        let text = String::from_utf8(csv(&sheet)).unwrap();
        assert_eq!(text, "\u{FEFF}a,b\r\n'=1+1,0.25\r\n\"x, \"\"y\"\"\",-4\r\n");
    }

    #[test]
    fn the_same_workbook_gives_the_same_bytes() {
        let book = Workbook {
            sheets: vec![Sheet {
                name: "s".into(),
                columns: vec![Column::text("a", 5.0)],
                rows: vec![vec![Cell::text("x")]],
                ..Sheet::default()
            }],
            ..Workbook::default()
        };
        assert_eq!(write(&book).unwrap(), write(&book).unwrap());
    }
}
