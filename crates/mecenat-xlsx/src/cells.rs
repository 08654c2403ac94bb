//! Cell primitives shared by every part of the crate, depending on nothing else of it: the
//! language, the limits of a workbook (what a read may cost, what a sheet and a cell hold),
//! column letters, text cut to a cell, Excel dates, decimals to and from Excel numbers,
//! and the crate's two error conversions.

use std::path::Path;

use chrono::NaiveDate;
use mecenat::money::round_dp;
use mecenat::Error;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::ExcelDateTime;

/// Last row index of a sheet (Excel's 1,048,576 rows, 0-based).
pub(crate) const LAST_ROW: u32 = 1_048_575;
/// Time entries per valuation sheet: Excel's 1,048,576 rows less the header and total rows.
pub(crate) const MAX_ENTRY_ROWS: u32 = 1_048_574;
/// Sheets longer than this get a header with filters instead of an Excel table:
/// rust_xlsxwriter keeps one map entry per cell of a table's range (about 30 bytes each),
/// which for a million rows would cost more memory than the rest of the workbook.
pub(crate) const MAX_TABLE_ROWS: usize = 50_000;
/// Excel's limit on the text of a cell.
pub(crate) const MAX_TEXT: usize = 32_767;

/// Bounds on what reading a workbook may cost, so that a hostile file (a zip bomb, a
/// sheet claiming 16,384 columns, millions of cells) is refused with a clear error instead
/// of exhausting memory.
///
/// The defaults accept any genuine workbook up to Excel's own row limit.
///
/// # Examples
///
/// ```
/// let strict = mecenat_xlsx::Limits { max_cells: 1_000, ..Default::default() };
/// assert!(strict.max_cells < mecenat_xlsx::Limits::default().max_cells);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Size of the .xlsx file itself (default 512 MiB).
    pub max_archive_bytes: u64,
    /// Total size of the archive's parts once inflated (default 4 GiB).
    pub max_decompressed_bytes: u64,
    /// Inflated size of any part other than a worksheet, such as the shared strings, which
    /// is held in memory whole (default 256 MiB).
    pub max_part_bytes: u64,
    /// Inflation ratio refused for a part larger than 1 MiB, the mark of a zip bomb
    /// (default 100, as Apache POI).
    pub max_compression_ratio: u64,
    /// Rows of a sheet, as claimed or present (default 1,048,576, Excel's limit).
    pub max_rows: u32,
    /// Columns of a sheet, as claimed or present (default 256).
    pub max_cols: u32,
    /// Cells read in the whole workbook (default 50,000,000).
    pub max_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_archive_bytes: 512 << 20,
            max_decompressed_bytes: 4 << 30,
            max_part_bytes: 256 << 20,
            max_compression_ratio: 100,
            max_rows: 1_048_576,
            max_cols: 256,
            max_cells: 50_000_000,
        }
    }
}

/// The language of a workbook's sheet names, headers and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French (the default: the users' language).
    #[default]
    Fr,
    /// English (the scenario's own keys).
    En,
}

impl Lang {
    pub(crate) fn fr(self) -> bool {
        self == Lang::Fr
    }
}

pub(crate) fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io {
        path: "(workbook)".into(),
        message: format!("cannot write the workbook: {e}"),
    }
}

/// Column letters of a 0-based column index (`0` → `A`, `27` → `AB`).
pub(crate) fn col_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Text cut to what a cell holds.
pub(crate) fn cell_text(s: &str) -> &str {
    if s.len() <= MAX_TEXT {
        return s;
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A date as rust_xlsxwriter writes it.
pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, Error> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        u8::try_from(d.month()).unwrap_or(1),
        u8::try_from(d.day()).unwrap_or(1),
    )
    .map_err(xlsx_error)
}

/// An Excel date serial (1900 system) of a date.
pub(crate) fn excel_serial(d: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (d - epoch).num_days()
}

/// A decimal as an Excel number (the nearest double): the one deliberate conversion of
/// money to binary floating point, since Excel cells hold doubles. The exact figure is what
/// a cell's formula reproduces, checked by the LibreOffice recalculation test.
pub(crate) fn excel_number(d: Decimal) -> f64 {
    d.as_f64()
}

/// The one conversion of an Excel number to an exact decimal: the float's decimal value,
/// rounded to the column's scale when it is within a tiny tolerance of it (binary noise
/// such as 7.0000000000000009); otherwise kept as it is, so that validation rejects it for
/// having too many decimals.
pub(crate) fn decimal_from_excel(x: f64, scale: u32) -> Option<Decimal> {
    let d = Decimal::from_f64(x)?;
    let r = round_dp(d, scale);
    let tolerance = Decimal::new(1, 9).max(d.abs() * Decimal::new(1, 14));
    Some(if (d - r).abs() <= tolerance { r } else { d })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(16383), "XFD");
    }

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        let long = "é".repeat(MAX_TEXT);
        let cut = cell_text(&long);
        assert!(cut.len() <= MAX_TEXT && cut.len() >= MAX_TEXT - 1);
        assert_eq!(cell_text("abc"), "abc");
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(
            excel_serial(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
            45658
        );
        assert_eq!(excel_number(Decimal::new(1234, 2)), 12.34);
        assert_eq!(
            decimal_from_excel(7.000_000_000_000_001, 2),
            Some(Decimal::from(7))
        );
        assert_eq!(
            decimal_from_excel(0.125, 2),
            Some(Decimal::new(125, 3)),
            "real extra decimals are kept, for validation to refuse"
        );
        assert!(Lang::Fr.fr() && !Lang::En.fr());
    }
}
