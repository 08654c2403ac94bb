//! # mecenat-xlsx: the Excel face of mecenat
//!
//! Finance and CSR teams live in Excel. This crate lets them go from an empty template to a
//! report an auditor can follow without leaving it:
//!
//! - [`template_bytes`] / [`write_template`]: the input workbook, one sheet per table of
//!   the scenario (French sheet names and headers by default), each a named Excel table
//!   with column formats, dropdowns for closed lists, input messages and an instructions
//!   sheet. [`scenario_bytes`] fills it with an existing scenario.
//! - [`read_scenario`] / [`read_scenario_bytes`]: the importer (calamine), for .xlsx and
//!   LibreOffice's .ods. It accepts the
//!   template or any workbook whose sheets are named after the tables, in French or
//!   English, and converts each cell once and exactly: an Excel number becomes a decimal
//!   rounded to its column's scale (binary noise such as `7.0000000000000009` is absorbed,
//!   real extra decimals are refused), dates come from date cells (1900 or 1904 system),
//!   ISO or `dd/mm/yyyy` text, French text numbers (`1 234,56`) are read. Rows keep their
//!   sheet and row, so that every rejection names its cell (`Temps!C42`). [`Limits`] bound
//!   what a hostile workbook can cost.
//! - [`report_bytes`] / [`write_report`]: the report workbook (rust_xlsxwriter): summary
//!   with a chart, the reduction chain as live formulas whose cached values are the
//!   library's own figures, one valuation row per time entry with its `ROUND` formula
//!   (these rows are serialized and compressed on every core), both carry-forward ledgers,
//!   receipts, the declaration list, rejections and sources.
//!
//! # Examples
//!
//! ```
//! use mecenat_xlsx::{read_scenario_bytes, scenario_bytes, Lang, Limits};
//!
//! let raw = mecenat::RawScenario::from_json(r#"{
//!   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
//!   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
//!   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
//!   "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
//!                  "annual_employer_charges": "21600", "annual_working_days": "218"}],
//!   "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}]
//! }"#)?;
//! // The scenario as a filled French template, then read back as Excel would give it.
//! let xlsx = scenario_bytes(&raw, Lang::Fr)?;
//! let back = read_scenario_bytes(&xlsx, &Limits::default())?;
//! let scenario = mecenat::Scenario::from_raw(&back)?;
//! let report = mecenat::compute(&scenario, &mecenat::Options::default())?;
//! assert_eq!(report.entries[0].value.unwrap().0.to_string(), "319.27");
//! // The report workbook.
//! let book = mecenat_xlsx::report_bytes(&report, Lang::Fr)?;
//! assert!(book.starts_with(b"PK"));
//! # Ok::<(), mecenat::Error>(())
//! ```

use std::path::Path;

use mecenat::{Error, RawScenario};

use crate::cells::{io_error, xlsx_error};
pub use crate::cells::{Lang, Limits};

mod cells;
mod detail;
mod import;
mod report;
mod schema;
mod template;

/// Reads a scenario workbook (Excel `.xlsx` or LibreOffice `.ods`, told apart by their
/// content, not their name) into a raw scenario, ready for
/// [`mecenat::Scenario::from_raw`].
///
/// Sheets are matched to tables by name (French `Temps` or English `time_entries`, any
/// case or accents); sheets whose name starts with `_` and the template's instructions
/// sheet are ignored. The first non-empty row of a sheet is its header row. Every row
/// remembers its sheet and row, so that validation names cells (`Temps!C42`). A cell
/// formatted as a time or a duration (`[h]:mm`) is hours in an hours column (7:30 is 7.5)
/// and is rejected, as the text shown, in any other numeric column. Hidden and very hidden
/// sheets and hidden rows are read like the others, each with a warning naming it
/// ([`RawScenario::warnings`], copied into the report's warnings).
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read; [`Error::Scenario`] when the file is not
/// an .xlsx or .ods workbook (an .xls, an encrypted workbook, a CSV, a PDF… each named,
/// with what to do), exceeds the [`Limits`] (sizes, cells, or claims such as the shared
/// strings' count that the file's real size cannot hold), has an unknown sheet, an
/// unknown, repeated, missing or merged header, an error value (`#N/A`) or a formula
/// without a cached value (the location names the cell and the value seen).
///
/// # Examples
///
/// ```no_run
/// let raw = mecenat_xlsx::read_scenario(
///     std::path::Path::new("scenario.xlsx"),
///     &mecenat_xlsx::Limits::default(),
/// )?;
/// let scenario = mecenat::Scenario::from_raw(&raw)?;
/// # Ok::<(), mecenat::Error>(())
/// ```
pub fn read_scenario(path: &Path, limits: &Limits) -> Result<RawScenario, Error> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.len() > limits.max_archive_bytes {
        return Err(Error::Io {
            path: path.display().to_string(),
            message: format!(
                "the workbook is {} bytes, more than the limit of {} bytes",
                meta.len(),
                limits.max_archive_bytes
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    read_scenario_bytes(&bytes, limits)
}

/// Reads a scenario workbook from its bytes (see [`read_scenario`]).
///
/// # Errors
///
/// As [`read_scenario`], except that there is no file to fail to read.
pub fn read_scenario_bytes(bytes: &[u8], limits: &Limits) -> Result<RawScenario, Error> {
    import::read(bytes, limits)
}

/// Whether a file's first bytes are those of a workbook: a zip archive (.xlsx, .ods) or an
/// OLE2 compound file (.xls, or an encrypted workbook, which [`read_scenario_bytes`]
/// refuses saying what it is). A face that takes a JSON scenario or a workbook chooses by
/// content with it, not by the file's extension.
///
/// # Examples
///
/// ```
/// let xlsx = mecenat_xlsx::template_bytes(mecenat_xlsx::Lang::Fr)?;
/// assert!(mecenat_xlsx::is_workbook(&xlsx));
/// assert!(!mecenat_xlsx::is_workbook(br#"{"companies": []}"#));
/// # Ok::<(), mecenat::Error>(())
/// ```
pub fn is_workbook(head: &[u8]) -> bool {
    import::is_workbook(head)
}

/// The empty input template: an instructions sheet, then one sheet per table of the
/// scenario, each a named Excel table with formats, dropdowns and input messages.
///
/// # Errors
///
/// [`Error::Io`] if the workbook cannot be assembled (not expected).
///
/// # Examples
///
/// ```
/// let xlsx = mecenat_xlsx::template_bytes(mecenat_xlsx::Lang::Fr)?;
/// let raw = mecenat_xlsx::read_scenario_bytes(&xlsx, &Default::default())?;
/// assert!(raw.tables.iter().all(|t| t.rows.is_empty()));
/// # Ok::<(), mecenat::Error>(())
/// ```
pub fn template_bytes(lang: Lang) -> Result<Vec<u8>, Error> {
    template::scenario_workbook(None, lang)?
        .save_to_buffer()
        .map_err(xlsx_error)
}

/// Writes the empty input template to a file (see [`template_bytes`]), atomically: the
/// workbook goes to a temporary file in the same directory, renamed into place once
/// complete, so that a failure leaves any previous file untouched.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be written or `path` is a symbolic link.
pub fn write_template(path: &Path, lang: Lang) -> Result<(), Error> {
    let mut wb = template::scenario_workbook(None, lang)?;
    save_atomic(&mut wb, path)
}

/// Saves a workbook to `path` atomically (see [`mecenat::fsio::atomic_write`]): a failure
/// leaves the previous file, if any, untouched.
fn save_atomic(wb: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<(), Error> {
    mecenat::fsio::atomic_write(path, |w| {
        wb.save_to_writer(w).map_err(|e| io_error(path, e))
    })
}

/// A scenario as a filled template: the same workbook as [`template_bytes`], with the
/// scenario's rows (numbers as numbers, dates as dates, closed lists with their labels in
/// the language chosen). Reading it back with [`read_scenario_bytes`] gives the same
/// scenario.
///
/// Text is always written as text, never as a formula, whatever its first character.
///
/// # Errors
///
/// [`Error::Scenario`] when a table or key is unknown; [`Error::Io`] if the workbook cannot
/// be assembled.
pub fn scenario_bytes(raw: &RawScenario, lang: Lang) -> Result<Vec<u8>, Error> {
    template::scenario_workbook(Some(raw), lang)?
        .save_to_buffer()
        .map_err(xlsx_error)
}

/// Writes a scenario as a filled template to a file (see [`scenario_bytes`]), atomically
/// (as [`write_template`]).
///
/// # Errors
///
/// As [`scenario_bytes`], and [`Error::Io`] when the file cannot be written or `path` is a
/// symbolic link.
pub fn write_scenario(raw: &RawScenario, lang: Lang, path: &Path) -> Result<(), Error> {
    let mut wb = template::scenario_workbook(Some(raw), lang)?;
    save_atomic(&mut wb, path)
}

/// Options of the report workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// Language of sheet names, headers and labels.
    pub lang: Lang,
    /// Time entries per valuation sheet before it continues on the next one (default and
    /// maximum: what fits under Excel's 1,048,576 rows with the header and total rows).
    pub rows_per_sheet: u32,
    /// Detail sheets (valuation, rejections) with at most this many rows are Excel tables;
    /// longer ones get a header with filters and a total row instead, because the writer
    /// keeps some memory per cell of a table (default 50,000).
    pub excel_tables_up_to: usize,
    /// Deflate level (1 to 9) of the valuation detail, which is compressed on every core:
    /// 1, the default, is the fastest; 6 (rust_xlsxwriter's level for the other sheets)
    /// makes the file about a fifth smaller and takes about twice as long.
    pub detail_deflate_level: u32,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            lang: Lang::Fr,
            rows_per_sheet: cells::MAX_ENTRY_ROWS,
            excel_tables_up_to: cells::MAX_TABLE_ROWS,
            detail_deflate_level: detail::DETAIL_LEVEL,
        }
    }
}

/// The report workbook as bytes: Synthèse (per company and fiscal year, with a chart of
/// days donated per beneficiary), Calcul (the reduction chain as live formulas whose cached
/// values are the library's figures), Valorisation (one row per time entry, its value a
/// `ROUND` formula), Reports (both carry-forward ledgers), Reçus, Déclaration, Rejets and
/// Sources, each with the "not tax advice" note.
///
/// Every figure, cached value and legal value shown comes from `report` alone.
///
/// # Errors
///
/// [`Error::Io`] if the workbook cannot be assembled (for instance no writable temporary
/// directory for a large report).
pub fn report_bytes(report: &mecenat::Report, lang: Lang) -> Result<Vec<u8>, Error> {
    let opts = ReportOptions {
        lang,
        ..ReportOptions::default()
    };
    report_bytes_with(report, &opts)
}

/// Writes the report workbook to a file (see [`report_bytes`]).
///
/// The valuation detail (one row per time entry) is serialized and compressed on every
/// core in chunks of rows, in bounded memory, while rust_xlsxwriter writes the other
/// sheets; a sheet holds at most 1,048,574 entries and the detail continues on
/// `Valorisation (2)`, … beyond. The file is written atomically (as [`write_template`]):
/// a failure, a full disk or a kill leaves any previous file untouched.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be written or `path` is a symbolic link;
/// [`Error::Internal`](mecenat::Error::Internal) on a defect of the writer.
pub fn write_report(report: &mecenat::Report, lang: Lang, path: &Path) -> Result<(), Error> {
    let opts = ReportOptions {
        lang,
        ..ReportOptions::default()
    };
    write_report_with(report, &opts, path)
}

/// Writes the report workbook with explicit [`ReportOptions`].
///
/// # Errors
///
/// As [`write_report`].
pub fn write_report_with(
    report: &mecenat::Report,
    opts: &ReportOptions,
    path: &Path,
) -> Result<(), Error> {
    mecenat::fsio::atomic_write(path, |file| {
        report::write(report, opts, file).map_err(|e| match e {
            Error::Io { message, .. } => Error::Io {
                path: path.display().to_string(),
                message,
            },
            other => other,
        })
    })
}

/// The report workbook as bytes, with explicit [`ReportOptions`].
///
/// # Errors
///
/// As [`report_bytes`].
pub fn report_bytes_with(report: &mecenat::Report, opts: &ReportOptions) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    report::write(report, opts, &mut out)?;
    Ok(out)
}

/// The columns of a table as the template writes them: `(key, French header, kind)` in
/// the template's order, `kind` saying how a cell is read (`"text"`, `"money"`,
/// `"quantity"`, `"units"`, `"rate"`, `"whole"`, `"date"`, `"bool"`, `"choice"`,
/// `"setting_key"`, `"setting_value"`); `None` for an unknown table. For other faces (the
/// Python module) that accept the template's French headers.
///
/// # Examples
///
/// ```
/// let cols = mecenat_xlsx::table_columns("time_entries").unwrap();
/// assert!(cols.contains(&("employee", "Salarié", "text")));
/// assert!(cols.contains(&("date", "Date", "date")));
/// assert!(mecenat_xlsx::table_columns("nope").is_none());
/// ```
pub fn table_columns(table: &str) -> Option<Vec<(&'static str, &'static str, &'static str)>> {
    use schema::Kind as K;
    let def = schema::DEFS.iter().find(|t| t.key == table)?;
    Some(
        def.columns
            .iter()
            .map(|c| {
                let kind = match c.kind {
                    K::Text => "text",
                    K::Money => "money",
                    K::Qty => "quantity",
                    K::Units => "units",
                    K::Rate => "rate",
                    K::Whole => "whole",
                    K::Date => "date",
                    K::Bool => "bool",
                    K::Choice(_) => "choice",
                    K::SettingKey => "setting_key",
                    K::SettingValue => "setting_value",
                };
                (c.key, c.fr, kind)
            })
            .collect(),
    )
}

/// The key a column header stands for in a table (its French header as the template
/// writes it, or its English key), compared as the importer compares headers (any case,
/// accents and punctuation); `None` when it names no column of the table.
///
/// # Examples
///
/// ```
/// assert_eq!(mecenat_xlsx::column_key("time_entries", "Salarié"), Some("employee"));
/// assert_eq!(mecenat_xlsx::column_key("time_entries", "SALARIE"), Some("employee"));
/// assert_eq!(mecenat_xlsx::column_key("time_entries", "employee"), Some("employee"));
/// assert_eq!(mecenat_xlsx::column_key("time_entries", "Nope"), None);
/// ```
pub fn column_key(table: &str, header: &str) -> Option<&'static str> {
    let def = schema::DEFS.iter().find(|t| t.key == table)?;
    schema::column_for_header(def, header).map(|c| c.key)
}

/// A small computed report for the unit tests of the report and detail writers: two fiscal years of one company,
/// donations above the ceiling the first year (an excess carried and used the second),
/// the tax due given (an unused reduction carried), two beneficiaries, a volunteer.
#[cfg(test)]
pub(crate) fn test_report() -> mecenat::Report {
    let raw = mecenat::RawScenario::from_json(
        r#"{
      "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
      "fiscal_years": [
        {"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000", "tax_due": "5000"},
        {"company": "C1", "start": "2026-01-01", "end": "2026-12-31", "turnover": "1000000", "tax_due": "100000"}],
      "beneficiaries": [{"id": "A1", "name": "Association Un"}, {"id": "A2", "name": "Association Deux"}],
      "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                     "annual_employer_charges": "21600", "annual_working_days": "218"}],
      "time_entries": [
        {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "2"},
        {"employee": "E1", "beneficiary": "A2", "date": "2025-03-04", "hours": "3.5"},
        {"employee": "E9", "beneficiary": "A1", "date": "2025-03-05", "days": "1"},
        {"volunteer": "Jeanne", "beneficiary": "A2", "date": "2025-03-06", "hours": "2"}],
      "donations": [
        {"company": "C1", "beneficiary": "A1", "date": "2025-05-15", "amount": "30000"},
        {"company": "C1", "beneficiary": "A1", "date": "2026-05-15", "amount": "1000"}]
    }"#,
    )
    .expect("scenario");
    let scenario = mecenat::Scenario::from_raw(&raw).expect("valid");
    mecenat::compute(&scenario, &mecenat::Options::default()).expect("report")
}
