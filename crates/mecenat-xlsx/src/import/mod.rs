//! The importer: a workbook (bytes) to a [`RawScenario`]. An .xlsx is streamed sheet by
//! sheet with calamine, an .ods read whole by calamine once its extent is checked; either
//! way every cell is converted once, by the same [`SheetReader`]. Its checks are beside it:
//! `precheck` (the container, its type and its claims), `hidden` and `ods_scan` (hidden
//! sheets and rows).

use std::io::{Cursor, Read, Seek};
use std::str::FromStr;
use std::sync::Arc;

use calamine::{
    Data, DataRef, ExcelDateTime, ExcelDateTimeType, Ods, Reader, SheetVisible, Xlsx,
    XlsxFormulaMetadata,
};
use chrono::{NaiveDate, Timelike};
use mecenat::money::round_dp;
use mecenat::raw::{intern_key, Key};
use mecenat::{Error, Location, RawRow, RawScenario, RawTable, RawValue, SheetInfo};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::cells::{col_letters, decimal_from_excel, Limits};
use crate::schema::{self, Column, Kind, KindExt, Need, TableDef};
use hidden::HiddenParts;
use precheck::{workbook_error, Format};

mod example;
mod hidden;
mod ods_scan;
mod precheck;

pub(crate) use precheck::is_workbook;

/// At most this many cells are named in one error message.
const MAX_NAMED: usize = 5;

/// Reads a workbook from bytes (see [`crate::read_scenario_bytes`]).
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<RawScenario, Error> {
    match precheck::check(bytes, limits)? {
        Format::Xlsx => read_xlsx(bytes, limits),
        Format::Ods => read_ods(bytes, limits),
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<RawScenario, Error> {
    let hidden = hidden::xlsx_hidden(bytes, limits)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| workbook_error(format!("not a readable .xlsx workbook: {e}")))?;
    let is_1904 = wb.has_1904_epoch();
    let plan = plan_sheets(&wb.sheet_names())?;
    let visibility = visibility(wb.sheets_metadata());
    let mut budget = CellBudget {
        left: limits.max_cells,
        limit: limits.max_cells,
    };
    let mut out = RawScenario::default();
    for (name, def) in plan {
        let t = read_xlsx_sheet(&mut wb, &name, def, is_1904, limits, &mut budget)?;
        warn_hidden(&mut out.warnings, &name, &t, &visibility, &hidden);
        out.tables.push(t);
    }
    example::warn_edited_example_xlsx(&mut wb, &mut out.warnings);
    Ok(out)
}

fn read_ods(bytes: &[u8], limits: &Limits) -> Result<RawScenario, Error> {
    let hidden = ods_scan::scan(bytes, limits)?;
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| {
        workbook_error(match e {
            calamine::OdsError::Password => precheck::ODS_ENCRYPTED.to_string(),
            e => format!("not a readable .ods workbook: {e}"),
        })
    })?;
    let plan = plan_sheets(&wb.sheet_names())?;
    let visibility = visibility(wb.sheets_metadata());
    let mut out = RawScenario::default();
    for (name, def) in plan {
        let range = wb.worksheet_range(&name).map_err(|e| {
            Error::scenario(
                Location {
                    table: Some(def.key.into()),
                    ..Location::default()
                },
                format!("sheet {name:?} cannot be read (corrupt workbook?): {e}"),
            )
        })?;
        let mut sheet = SheetReader::new(&name, def, false);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            sheet.cell(r, c, data_ref(v))?;
        }
        let t = sheet.finish()?;
        warn_hidden(&mut out.warnings, &name, &t, &visibility, &hidden);
        out.tables.push(t);
    }
    example::warn_edited_example_ods(&mut wb, &mut out.warnings);
    Ok(out)
}

/// An owned cell (as the .ods reader gives it) as the cells reader would give it.
fn data_ref(v: &Data) -> DataRef<'_> {
    match v {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(x) => DataRef::Float(*x),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// Which sheets are hidden, and how.
fn visibility(sheets: &[calamine::Sheet]) -> Vec<(String, SheetVisible)> {
    sheets
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible)
        .map(|s| (s.name.clone(), s.visible))
        .collect()
}

/// Data a user cannot see is imported (nothing is lost), each hidden sheet and each
/// sheet's hidden rows and columns with a warning that names them.
fn warn_hidden(
    warnings: &mut Vec<String>,
    name: &str,
    table: &RawTable,
    visibility: &[(String, SheetVisible)],
    hidden: &HiddenParts,
) {
    if table.rows.is_empty() {
        return;
    }
    if let Some((_, how)) = visibility.iter().find(|(n, _)| n == name) {
        let how = match how {
            SheetVisible::VeryHidden => "very hidden (shown only through Visual Basic)",
            _ => "hidden (right-click a sheet tab > Afficher to see it)",
        };
        warnings.push(format!(
            "sheet {name:?} is {how}: its {} row(s) were imported; check them",
            table.rows.len()
        ));
    }
    let Some(hidden) = hidden.get(name) else {
        return;
    };
    let sheet = quote_sheet(name);
    let rows = hidden::rows_in(&table.rows, &hidden.rows);
    if !rows.is_empty() {
        let named: Vec<String> = rows
            .iter()
            .take(MAX_NAMED)
            .map(|r| format!("{sheet}!{r}:{r}"))
            .collect();
        warnings.push(format!(
            "sheet {name:?} has {} hidden row(s) with data, imported: {}{}; show them (select the rows around them, right-click > Afficher) to check them",
            rows.len(),
            named.join(", "),
            if rows.len() > MAX_NAMED { ", …" } else { "" }
        ));
    }
    let cols = hidden::cols_in(&table.rows, &hidden.cols);
    if !cols.is_empty() {
        let named: Vec<String> = cols
            .iter()
            .map(|(c, key)| format!("{sheet}!{c}:{c} ({key})"))
            .collect();
        warnings.push(format!(
            "sheet {name:?} has {} hidden column(s) with data, imported: {}; show them (select the columns around them, right-click > Afficher) to check them",
            cols.len(),
            named.join(", ")
        ));
    }
}

/// The sheets to read, with their tables: help sheets and sheets named `_…` or `#…` are
/// skipped; an unknown sheet, or two sheets for one table, are errors naming them.
fn plan_sheets(names: &[String]) -> Result<Vec<(String, &'static TableDef)>, Error> {
    let mut plan: Vec<(String, &'static TableDef)> = Vec::new();
    for name in names {
        if name.starts_with('_') || name.starts_with('#') || is_help_sheet(name) {
            continue;
        }
        let Some(def) = schema::table_for_sheet(name) else {
            return Err(Error::scenario(
                Location {
                    value: Some(name.clone()),
                    ..Location::default()
                },
                format!(
                    "unknown sheet {name:?}: sheets are named after the tables ({}); sheets whose name starts with \"_\" are ignored",
                    schema::DEFS
                        .iter()
                        .map(|t| format!("{} / {}", t.fr, t.key))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        if let Some((other, _)) = plan.iter().find(|(_, d)| d.key == def.key) {
            return Err(Error::scenario(
                Location {
                    table: Some(def.key.into()),
                    value: Some(name.clone()),
                    ..Location::default()
                },
                format!(
                    "sheets {other:?} and {name:?} both hold the table {}",
                    def.key
                ),
            ));
        }
        plan.push((name.clone(), def));
    }
    Ok(plan)
}

/// The template's instructions and example sheets, in either language.
fn is_help_sheet(name: &str) -> bool {
    let n = schema::normalize(name);
    n == schema::normalize(crate::template::HELP_SHEET_FR)
        || n == schema::normalize(crate::template::HELP_SHEET_EN)
        || example::example_lang(name).is_some()
}

struct CellBudget {
    left: u64,
    limit: u64,
}

/// A problem found in a cell that makes the workbook unusable as it is (error values,
/// formulas without a cached value): the first one is the error's location, the others are
/// counted in its message.
#[derive(Default)]
struct Problems {
    first: Option<(Location, String)>,
    more: Vec<String>,
    count: usize,
}

impl Problems {
    fn add(&mut self, loc: Location, what: String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((loc, what));
        } else if self.more.len() < MAX_NAMED {
            self.more.push(loc.cell.unwrap_or_default());
        }
    }

    fn into_result(self) -> Result<(), Error> {
        let Some((loc, what)) = self.first else {
            return Ok(());
        };
        let mut msg = what;
        if self.count > 1 {
            msg.push_str(&format!(
                " ({} more such cell(s): {}{})",
                self.count - 1,
                self.more.join(", "),
                if self.count - 1 > self.more.len() {
                    ", …"
                } else {
                    ""
                }
            ));
        }
        Err(Error::scenario(loc, msg))
    }
}

/// Streams one .xlsx sheet through a [`SheetReader`], within the limits.
fn read_xlsx_sheet<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
    def: &'static TableDef,
    is_1904: bool,
    limits: &Limits,
    budget: &mut CellBudget,
) -> Result<RawTable, Error> {
    let mut sheet = SheetReader::new(name, def, is_1904);
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| Error::scenario(sheet.loc(None, None), format!("sheet {name:?}: {e}")))?;
    let dims = reader.dimensions();
    let (rows_claimed, cols_claimed) = (dims.end.0.saturating_add(1), dims.end.1.saturating_add(1));
    if cols_claimed > limits.max_cols || rows_claimed > limits.max_rows {
        return Err(Error::scenario(
            sheet.loc(None, Some(format!("{}{}", col_letters(dims.end.1), dims.end.0 + 1))),
            format!(
                "sheet {name:?} claims {rows_claimed} rows x {cols_claimed} columns, beyond the limits ({} rows x {} columns)",
                limits.max_rows, limits.max_cols
            ),
        ));
    }
    loop {
        let cell = match reader.next_cell_with_formula_metadata() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                return Err(Error::scenario(
                    sheet.loc(None, None),
                    format!("sheet {name:?} cannot be read (corrupt workbook?): {e}"),
                ))
            }
        };
        let (r, c) = cell.pos;
        if r >= limits.max_rows || c >= limits.max_cols {
            return Err(Error::scenario(
                sheet.loc(Some(sheet.cell_ref(r, c)), None),
                format!(
                    "sheet {name:?} has a cell at {}, beyond the limits ({} rows x {} columns)",
                    sheet.cell_ref(r, c),
                    limits.max_rows,
                    limits.max_cols
                ),
            ));
        }
        if budget.left == 0 {
            return Err(Error::scenario(
                sheet.loc(Some(sheet.cell_ref(r, c)), None),
                format!("the workbook has more than {} cells (limit)", budget.limit),
            ));
        }
        budget.left -= 1;
        // A formula whose value was never computed: the cell shows nothing we can trust.
        if matches!(cell.value, DataRef::Empty) {
            if let Some(f) = &cell.formula {
                let text = match f {
                    XlsxFormulaMetadata::Normal { formula }
                    | XlsxFormulaMetadata::Shared { formula, .. } => format!("={formula}"),
                    _ => "(shared formula)".to_string(),
                };
                sheet.uncomputed(r, c, text);
            }
            continue;
        }
        sheet.cell(r, c, cell.value)?;
    }
    sheet.finish()
}

/// One sheet being read, cell by cell in row order: the header row (the first row with a
/// cell) maps columns to keys, every later cell is converted once into its row.
struct SheetReader<'n> {
    name: &'n str,
    def: &'static TableDef,
    is_1904: bool,
    header_cells: Vec<(u32, String)>,
    header_row: Option<u32>,
    columns: Vec<Option<&'static Column>>,
    info: Option<Arc<SheetInfo>>,
    rows: Vec<RawRow>,
    cur: Option<RawRow>,
    problems: Problems,
}

impl<'n> SheetReader<'n> {
    fn new(name: &'n str, def: &'static TableDef, is_1904: bool) -> Self {
        SheetReader {
            name,
            def,
            is_1904,
            header_cells: Vec::new(),
            header_row: None,
            columns: Vec::new(),
            info: None,
            rows: Vec::new(),
            cur: None,
            problems: Problems::default(),
        }
    }

    fn loc(&self, cell: Option<String>, value: Option<String>) -> Location {
        Location {
            table: Some(self.def.key.to_string()),
            cell,
            value,
            ..Location::default()
        }
    }

    fn cell_ref(&self, r: u32, c: u32) -> String {
        format!("{}!{}{}", self.name, col_letters(c), r + 1)
    }

    /// A formula cell without a computed value.
    fn uncomputed(&mut self, r: u32, c: u32, text: String) {
        let key = self
            .columns
            .get(c as usize)
            .copied()
            .flatten()
            .map(|k| k.key);
        let cell = self.cell_ref(r, c);
        self.problems.add(
            Location {
                table: Some(self.def.key.into()),
                row: None,
                key: key.map(str::to_string),
                cell: Some(cell.clone()),
                value: Some(text.clone()),
            },
            format!(
                "{cell} holds the formula {text} without a computed value: open the workbook in Excel or LibreOffice and save it (or type the value)"
            ),
        );
    }

    /// One non-empty cell.
    fn cell(&mut self, r: u32, c: u32, value: DataRef<'_>) -> Result<(), Error> {
        let in_header = match self.header_row {
            None => {
                self.header_row = Some(r);
                true
            }
            Some(h) => h == r,
        };
        if in_header {
            return self.header_cell(r, c, &value);
        }
        if self.info.is_none() {
            let (cols, i) = finish_header(
                self.name,
                self.def,
                self.header_row.unwrap_or(0),
                &self.header_cells,
            )?;
            self.columns = cols;
            self.info = Some(i);
        }
        let Some(col) = self.columns.get(c as usize).copied().flatten() else {
            if is_blank(&value) {
                return Ok(());
            }
            return Err(Error::scenario(
                self.loc(Some(self.cell_ref(r, c)), Some(data_text(&value))),
                format!(
                    "{} holds {:?} in a column without a header ({} is empty: a missing or merged header?)",
                    self.cell_ref(r, c),
                    data_text(&value),
                    self.cell_ref(self.header_row.unwrap_or(0), c)
                ),
            ));
        };
        if let DataRef::Error(e) = &value {
            let cell = self.cell_ref(r, c);
            self.problems.add(
                Location {
                    table: Some(self.def.key.into()),
                    row: None,
                    key: Some(col.key.into()),
                    cell: Some(cell.clone()),
                    value: Some(e.to_string()),
                },
                format!(
                    "{cell} ({}) holds the error value {e}: correct the cell (or its formula) and save the workbook",
                    col.header(true)
                ),
            );
            return Ok(());
        }
        let value = convert_cell(col, value, self.is_1904);
        if matches!(value, RawValue::Null) {
            return Ok(());
        }
        if self.cur.as_ref().is_some_and(|row| row.sheet_row != r + 1) {
            if let Some(done) = self.cur.take() {
                self.rows.push(done);
            }
        }
        let width = self.columns.len();
        let info = &self.info;
        let row = self.cur.get_or_insert_with(|| RawRow {
            cells: Vec::with_capacity(width),
            sheet: info.clone(),
            sheet_row: r + 1,
        });
        row.cells.push((Key::Borrowed(col.key), value));
        Ok(())
    }

    fn header_cell(&mut self, r: u32, c: u32, value: &DataRef<'_>) -> Result<(), Error> {
        let text = match value {
            DataRef::String(s) => s.trim().to_string(),
            DataRef::SharedString(s) => s.trim().to_string(),
            other => {
                return Err(Error::scenario(
                    self.loc(Some(self.cell_ref(r, c)), Some(data_text(other))),
                    format!(
                        "header {} must be a column name (text), found {}",
                        self.cell_ref(r, c),
                        data_text(other)
                    ),
                ))
            }
        };
        if !text.is_empty() {
            self.header_cells.push((c, text));
        }
        Ok(())
    }

    /// The sheet's table, once its headers are checked and no cell is unusable.
    fn finish(mut self) -> Result<RawTable, Error> {
        if let Some(done) = self.cur.take() {
            self.rows.push(done);
        }
        let header_row = self.header_row.unwrap_or(0);
        if self.info.is_none() && !self.header_cells.is_empty() {
            // A sheet with headers and no data: still check the headers.
            self.info = Some(finish_header(self.name, self.def, header_row, &self.header_cells)?.1);
        }
        if let Some(info) = &self.info {
            check_required(self.name, self.def, header_row, info)?;
        }
        self.problems.into_result()?;
        Ok(RawTable {
            name: self.def.key.to_string(),
            rows: self.rows,
        })
    }
}

/// Maps the header cells to keys: unknown, repeated and missing required columns are
/// errors naming the cell.
fn finish_header(
    name: &str,
    def: &'static TableDef,
    header_row: u32,
    cells: &[(u32, String)],
) -> Result<(Vec<Option<&'static Column>>, Arc<SheetInfo>), Error> {
    let width = cells
        .iter()
        .map(|(c, _)| *c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut columns: Vec<Option<&'static Column>> = vec![None; width];
    let mut info = SheetInfo {
        sheet: quote_sheet(name),
        columns: Vec::with_capacity(cells.len()),
    };
    let cell_ref = |c: u32| format!("{name}!{}{}", col_letters(c), header_row + 1);
    for (c, text) in cells {
        let Some(col) = schema::column_for_header(def, text) else {
            return Err(Error::scenario(
                Location {
                    table: Some(def.key.into()),
                    cell: Some(cell_ref(*c)),
                    value: Some(text.clone()),
                    ..Location::default()
                },
                format!(
                    "unknown column {text:?} in sheet {name:?} ({}); expected: {}",
                    cell_ref(*c),
                    def.columns
                        .iter()
                        .map(|k| format!("{} / {}", k.fr, k.key))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        if let Some((k, _)) = info.columns.iter().find(|(k, _)| k == col.key) {
            let first = columns
                .iter()
                .position(|x| x.is_some_and(|x| x.key == k))
                .unwrap_or(0);
            return Err(Error::scenario(
                Location {
                    table: Some(def.key.into()),
                    key: Some(col.key.into()),
                    cell: Some(cell_ref(*c)),
                    value: Some(text.clone()),
                    ..Location::default()
                },
                format!(
                    "column {text:?} ({}) repeats {} in sheet {name:?}",
                    cell_ref(*c),
                    cell_ref(u32::try_from(first).unwrap_or(0))
                ),
            ));
        }
        columns[*c as usize] = Some(col);
        info.columns.push((intern_key(col.key), col_letters(*c)));
    }
    Ok((columns, Arc::new(info)))
}

/// Required columns must be in the header; for pairs, one of them.
fn check_required(
    name: &str,
    def: &TableDef,
    header_row: u32,
    info: &SheetInfo,
) -> Result<(), Error> {
    let present = |k: &str| info.columns.iter().any(|(x, _)| x == k);
    for col in &def.columns {
        let missing = match col.need {
            Need::Required => !present(col.key),
            Need::OneOf(g) => !def
                .columns
                .iter()
                .any(|o| o.need == Need::OneOf(g) && present(o.key)),
            Need::Optional => false,
        };
        if missing {
            let alternatives: Vec<String> = def
                .columns
                .iter()
                .filter(|o| matches!(col.need, Need::OneOf(g) if o.need == Need::OneOf(g)))
                .map(|o| format!("{:?} ({})", o.fr, o.key))
                .collect();
            let what = if alternatives.is_empty() {
                format!("{:?} ({})", col.fr, col.key)
            } else {
                alternatives.join(" or ")
            };
            return Err(Error::scenario(
                Location {
                    table: Some(def.key.into()),
                    key: Some(col.key.into()),
                    cell: Some(format!(
                        "{name}!A{r}:{}{r}",
                        info.columns.last().map_or("A", |(_, c)| c.as_str()),
                        r = header_row + 1
                    )),
                    ..Location::default()
                },
                format!(
                    "sheet {name:?} has no column {what} in its header row {}",
                    header_row + 1
                ),
            ));
        }
    }
    Ok(())
}

/// A sheet name as it appears in a cell reference (quoted when it needs to be).
fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

fn is_blank(v: &DataRef<'_>) -> bool {
    match v {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell value as the user would recognise it.
fn data_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(x) => format!("{x}"),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| format!("{}", d.as_f64()), |x| x.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn text_of(v: DataRef<'_>) -> Option<String> {
    match v {
        DataRef::String(s) => Some(s),
        DataRef::SharedString(s) => Some(s.to_string()),
        _ => None,
    }
}

/// Converts one cell for a column of the given kind. Values that do not fit the column
/// are passed on as they were seen (text, a date, a boolean) so that validation rejects
/// the row naming the cell and the value.
pub(crate) fn convert(kind: Kind, v: DataRef<'_>, is_1904: bool) -> RawValue {
    match v {
        DataRef::Empty => RawValue::Null,
        DataRef::String(_) | DataRef::SharedString(_) => {
            let s = text_of(v).unwrap_or_default();
            if s.trim().is_empty() {
                return RawValue::Null;
            }
            convert_text(kind, s)
        }
        DataRef::Float(x) => convert_number(kind, x, is_1904),
        DataRef::Int(i) => match kind {
            Kind::Date => convert_number(kind, i as f64, is_1904),
            _ => RawValue::Int(i),
        },
        DataRef::Bool(b) => RawValue::Bool(b),
        DataRef::DateTime(d) => convert_datetime(kind, d),
        DataRef::DateTimeIso(s) => match kind {
            Kind::Date => match NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d") {
                Ok(d)
                    if s.len() == 10
                        || s[10..]
                            .trim_start_matches('T')
                            .chars()
                            .all(|c| c == '0' || c == ':' || c == '.') =>
                {
                    RawValue::Date(d)
                }
                _ => RawValue::Text(s),
            },
            _ => RawValue::Text(s),
        },
        DataRef::DurationIso(s) => RawValue::Text(s),
        DataRef::Error(e) => RawValue::Text(e.to_string()),
    }
}

/// The columns holding hours: there a cell formatted as a time or a duration (`[h]:mm`,
/// `hh:mm`) is read as hours (7:30 is 7.5 h).
fn is_hours(key: &str) -> bool {
    matches!(key, "hours" | "hours_per_day" | "annual_working_hours")
}

/// Converts one cell of a column: [`convert`], except for times and durations in numeric
/// columns. In an hours column they are hours, converted exactly from whole seconds and
/// rounded to the column's decimals (7:30 is 7.5, 7:20 is 7.3333); in any other numeric
/// column (days, money…) they are passed on as the text the user sees (`7:30`), so that
/// validation rejects the row naming the cell, never a silent fraction of a day.
pub(crate) fn convert_cell(col: &Column, v: DataRef<'_>, is_1904: bool) -> RawValue {
    let numeric = matches!(
        col.kind,
        Kind::Money | Kind::Qty | Kind::Units | Kind::Rate | Kind::Whole
    );
    if numeric {
        if let Some(seconds) = duration_seconds(&v) {
            if is_hours(col.key) {
                let hours = seconds / Decimal::from(3600);
                return RawValue::Decimal(round_dp(hours, col.kind.scale().unwrap_or(4)));
            }
            return RawValue::Text(duration_text(seconds));
        }
    }
    convert(col.kind, v, is_1904)
}

/// The whole seconds of a cell formatted as a duration (`[h]:mm`), or as a time of day
/// without a date (`hh:mm`, a serial below 1), or of an OpenDocument time (`PT07H30M00S`).
fn duration_seconds(v: &DataRef<'_>) -> Option<Decimal> {
    let days = match v {
        DataRef::DateTime(d) if d.is_duration() || (d.is_datetime() && d.as_f64() < 1.0) => {
            Decimal::from_f64(d.as_f64())?
        }
        DataRef::DurationIso(s) => return iso_duration_seconds(s),
        _ => return None,
    };
    if days.is_sign_negative() {
        return None;
    }
    Some(round_dp(days.checked_mul(Decimal::from(86_400))?, 0))
}

/// The whole seconds of an ISO 8601 duration as OpenDocument writes times
/// (`PT07H30M00S`, `P1DT2H`, `PT7H30M0.5S`); `None` for anything else.
fn iso_duration_seconds(s: &str) -> Option<Decimal> {
    let rest = s.trim().strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = Decimal::ZERO;
    for (part, units) in [
        (date, &[('D', 86_400)][..]),
        (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut text = part;
        for (unit, factor) in units {
            if let Some((n, after)) = text.split_once(*unit) {
                let n = Decimal::from_str_exact(n).ok()?;
                if n.is_sign_negative() {
                    return None;
                }
                total = total.checked_add(n.checked_mul(Decimal::from(*factor))?)?;
                text = after;
            }
        }
        if !text.is_empty() {
            return None;
        }
    }
    Some(round_dp(total, 0))
}

/// A duration as the user sees it: `7:30`, or `7:30:15` with seconds.
fn duration_text(seconds: Decimal) -> String {
    let s = u64::try_from(seconds).unwrap_or(u64::MAX);
    if s % 60 == 0 {
        format!("{}:{:02}", s / 3600, s / 60 % 60)
    } else {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

fn convert_text(kind: Kind, s: String) -> RawValue {
    match kind {
        Kind::Text => RawValue::Text(s),
        // Numbers and dates typed as text are read by the core's one reading of text cells
        // (the same for JSON strings and Python values); what it refuses is passed on as
        // text, and validation rejects it naming the cell. A figure with "€" is passed on
        // too: validation accepts it for an amount only.
        Kind::Money | Kind::Qty | Kind::Units | Kind::Rate | Kind::Whole => {
            match mecenat::cells::parse_decimal(&s) {
                Ok(d) => RawValue::Decimal(d),
                Err(_) => RawValue::Text(s),
            }
        }
        Kind::SettingValue => match schema::choice_code(schema::SETTING_VALUES, &s) {
            Some(code) => RawValue::Text(code.into()),
            None => RawValue::Text(s),
        },
        Kind::Date => match mecenat::cells::parse_date(&s) {
            Some(d) => RawValue::Date(d),
            None => RawValue::Text(s),
        },
        Kind::Bool => match schema::choice_code(schema::BOOL, &s) {
            Some(code) => RawValue::Bool(code == "true"),
            None => RawValue::Text(s),
        },
        Kind::Choice(list) => match schema::choice_code(schema::choices(list), &s) {
            Some(code) => RawValue::Text(code.into()),
            None => RawValue::Text(s),
        },
        Kind::SettingKey => match schema::choice_code(schema::SETTING_KEYS, &s) {
            Some(code) => RawValue::Text(code.into()),
            None => RawValue::Text(s),
        },
    }
}

fn convert_number(kind: Kind, x: f64, is_1904: bool) -> RawValue {
    match kind {
        Kind::Money | Kind::Qty | Kind::Units | Kind::Rate | Kind::Whole => {
            match decimal_from_excel(x, kind.scale().unwrap_or(4)) {
                Some(d) => RawValue::Decimal(d),
                None => RawValue::Text(format!("{x}")),
            }
        }
        Kind::Date => match serial_to_date(x, is_1904) {
            Some(d) => RawValue::Date(d),
            None => RawValue::Text(format!("{x}")),
        },
        Kind::Bool => {
            if x == 0.0 {
                RawValue::Bool(false)
            } else if x == 1.0 {
                RawValue::Bool(true)
            } else {
                RawValue::Text(format!("{x}"))
            }
        }
        // Ids, labels and setting values typed as numbers: their text, without binary noise.
        Kind::Text | Kind::Choice(_) | Kind::SettingKey | Kind::SettingValue => {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                RawValue::Text(format!("{}", x as i64))
            } else {
                match decimal_from_excel(x, 10) {
                    Some(d) => RawValue::Text(d.normalize().to_string()),
                    None => RawValue::Text(format!("{x}")),
                }
            }
        }
    }
}

/// An Excel date serial (whole days) as a date, honouring the 1904 system.
fn serial_to_date(x: f64, is_1904: bool) -> Option<NaiveDate> {
    if x.fract() != 0.0 || !(1.0..2_958_466.0).contains(&x) {
        return None;
    }
    ExcelDateTime::new(x, ExcelDateTimeType::DateTime, is_1904)
        .as_datetime()
        .map(|d| d.date())
}

fn convert_datetime(kind: Kind, d: ExcelDateTime) -> RawValue {
    let dt = if d.is_datetime() {
        d.as_datetime()
    } else {
        None
    };
    match (kind, dt) {
        (Kind::Date, Some(dt)) if dt.time().num_seconds_from_midnight() == 0 => {
            RawValue::Date(dt.date())
        }
        (Kind::Date, Some(dt)) => RawValue::Text(dt.to_string()),
        // A date where a number or text is expected: shown as the date the user sees,
        // which validation refuses.
        (_, Some(dt)) if dt.time().num_seconds_from_midnight() == 0 => RawValue::Date(dt.date()),
        (_, Some(dt)) => RawValue::Text(dt.to_string()),
        (_, None) => RawValue::Text(format!("{}", d.as_f64())),
    }
}

impl FromStr for crate::cells::Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "fr" | "français" | "francais" | "french" => Ok(crate::cells::Lang::Fr),
            "en" | "english" | "anglais" => Ok(crate::cells::Lang::En),
            _ => Err(format!("unknown language {s:?} (expected fr or en)")),
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn excel_floats_become_exact_decimals_once() {
        assert_eq!(decimal_from_excel(7.000_000_000_000_001, 4), Some(dec("7")));
        assert_eq!(decimal_from_excel(72330.85, 2), Some(dec("72330.85")));
        assert_eq!(
            decimal_from_excel(0.300_000_000_000_000_04, 2),
            Some(dec("0.3"))
        );
        assert_eq!(
            decimal_from_excel(100_000_000_000.05, 2),
            Some(dec("100000000000.05"))
        );
        // Not near the scale: kept, so validation says "more than 2 decimals".
        assert_eq!(decimal_from_excel(100.005, 2), Some(dec("100.005")));
        assert!(
            decimal_from_excel(0.333_333_333_333_333_3, 4)
                .unwrap()
                .scale()
                > 4
        );
        assert_eq!(decimal_from_excel(f64::NAN, 2), None);
    }

    #[test]
    fn text_cells_are_read_by_the_core() {
        let text = |kind, t: &str| convert(kind, DataRef::SharedString(t), false);
        assert_eq!(
            text(Kind::Money, "1 234,56"),
            RawValue::Decimal(dec("1234.56"))
        );
        assert_eq!(
            text(Kind::Qty, "1234.50"),
            RawValue::Decimal(dec("1234.50"))
        );
        assert_eq!(text(Kind::Qty, "0,5"), RawValue::Decimal(dec("0.5")));
        // Refused or left to validation: passed on as the text the user typed.
        for t in ["1,234", "1.234,56", "douze", "1 2 3 4", "12 €"] {
            assert_eq!(text(Kind::Money, t), RawValue::Text(t.into()), "{t}");
        }
        assert_eq!(
            text(Kind::SettingValue, "1 607,5"),
            RawValue::Text("1 607,5".into())
        );
        assert_eq!(
            text(Kind::Date, "2025-02-03"),
            RawValue::Date(NaiveDate::from_ymd_opt(2025, 2, 3).unwrap())
        );
        assert_eq!(
            text(Kind::Date, "3/2/2025"),
            RawValue::Date(NaiveDate::from_ymd_opt(2025, 2, 3).unwrap())
        );
        assert_eq!(
            text(Kind::Date, "31/02/2025"),
            RawValue::Text("31/02/2025".into())
        );
    }

    #[test]
    fn dates_from_text_and_serials() {
        assert_eq!(
            serial_to_date(45658.0, false),
            NaiveDate::from_ymd_opt(2025, 1, 1)
        );
        assert_eq!(
            serial_to_date(44196.0, true),
            NaiveDate::from_ymd_opt(2025, 1, 1)
        );
        assert_eq!(serial_to_date(45658.5, false), None);
        assert_eq!(
            convert(Kind::Date, DataRef::Float(45658.0), false),
            RawValue::Date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
        );
        // A number is a date only in a date column.
        assert_eq!(
            convert(Kind::Qty, DataRef::Float(45658.0), false),
            RawValue::Decimal(dec("45658"))
        );
    }

    #[test]
    fn durations_are_hours_only_in_hours_columns() {
        let col = |key: &str| {
            schema::DEFS
                .iter()
                .flat_map(|t| &t.columns)
                .find(|c| c.key == key)
                .unwrap()
        };
        let iso = |s: &str| DataRef::DurationIso(s.to_string());
        // OpenDocument times, as LibreOffice writes them.
        assert_eq!(iso_duration_seconds("PT07H30M00S"), Some(dec("27000")));
        assert_eq!(iso_duration_seconds("P1DT2H"), Some(dec("93600")));
        assert_eq!(iso_duration_seconds("PT7H30M0.6S"), Some(dec("27001")));
        assert_eq!(iso_duration_seconds("-PT1H"), None);
        assert_eq!(iso_duration_seconds("PT1X"), None);
        assert_eq!(
            convert_cell(col("hours"), iso("PT07H20M00S"), false),
            RawValue::Decimal(dec("7.3333"))
        );
        assert_eq!(
            convert_cell(col("annual_working_hours"), iso("PT1607H30M00S"), false),
            RawValue::Decimal(dec("1607.5"))
        );
        assert_eq!(
            convert_cell(col("days"), iso("PT07H30M15S"), false),
            RawValue::Text("7:30:15".into())
        );
        // A duration cell of an .xlsx: [h]:mm (a duration) or hh:mm (a time of day).
        let xl = |x: f64, t| DataRef::DateTime(ExcelDateTime::new(x, t, false));
        assert_eq!(
            convert_cell(
                col("hours"),
                xl(0.3125, ExcelDateTimeType::TimeDelta),
                false
            ),
            RawValue::Decimal(dec("7.5"))
        );
        assert_eq!(
            convert_cell(col("hours"), xl(0.3125, ExcelDateTimeType::DateTime), false),
            RawValue::Decimal(dec("7.5"))
        );
        assert_eq!(
            convert_cell(
                col("amount"),
                xl(0.3125, ExcelDateTimeType::TimeDelta),
                false
            ),
            RawValue::Text("7:30".into())
        );
        // A full date in an hours column is no duration: validation refuses it.
        assert_eq!(
            convert_cell(
                col("hours"),
                xl(45658.0, ExcelDateTimeType::DateTime),
                false
            ),
            RawValue::Date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
        );
    }

    #[test]
    fn labels_and_ids() {
        assert_eq!(
            convert(
                Kind::Choice(schema::List::Status),
                DataRef::SharedString("Refusé"),
                false
            ),
            RawValue::Text("refused".into())
        );
        assert_eq!(
            convert(Kind::Text, DataRef::Float(123456789.0), false),
            RawValue::Text("123456789".into())
        );
        assert_eq!(
            convert(Kind::Bool, DataRef::SharedString("Oui"), false),
            RawValue::Bool(true)
        );
    }
}
