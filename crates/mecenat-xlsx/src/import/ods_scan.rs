//! A bounded pass over an OpenDocument spreadsheet's `content.xml` before calamine reads
//! it. calamine holds every sheet in memory, expanding repeated rows and cells
//! (`table:number-rows-repeated`, `table:number-columns-repeated`), so a few bytes can claim
//! billions of cells: each sheet's extent is checked against [`Limits`] first. The pass
//! also finds the hidden rows and columns (`table:visibility="collapse"` or `"filter"`).

use std::io::{BufReader, Cursor};

use mecenat::{Error, Location};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::hidden::{push_range, Hidden, HiddenParts};
use super::precheck::workbook_error;
use crate::cells::{col_letters, Limits};

/// One sheet's extent while it is scanned (0-based, expanded rows and columns).
#[derive(Default)]
struct Extent {
    name: String,
    row: u64,
    first_row: Option<u64>,
    last_row: u64,
    last_col: u64,
    col: u64,
    hidden: Hidden,
}

/// The value of an attribute, matched by its full name.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    Some(
        quick_xml::escape::unescape(&a.value)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string()),
    )
}

/// Whether a row or column is hidden (collapsed, or filtered out).
fn hidden_attr(e: &BytesStart<'_>) -> bool {
    attr(e, "table:visibility").is_some_and(|v| v != "visible")
}

fn repeats(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Checks every sheet of `content.xml` against the limits and returns what each hides.
pub(crate) fn scan(bytes: &[u8], limits: &Limits) -> Result<HiddenParts, Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| workbook_error(format!("not a readable .ods workbook: {e}")))?;
    let corrupt = |e: &dyn std::fmt::Display| {
        workbook_error(format!(
            "content.xml of the .ods workbook cannot be read (corrupt workbook?): {e}"
        ))
    };
    let f = zip.by_name("content.xml").map_err(|e| corrupt(&e))?;
    let mut reader = Reader::from_reader(BufReader::new(f));
    let mut buf = Vec::with_capacity(1024);
    let mut out = HiddenParts::new();
    let mut cells: u64 = 0;
    let mut sheet: Option<Extent> = None;
    // The row being read: its repeat count, hidden or not, its expanded column, whether it
    // holds a value, and where its last value ends.
    let mut row: Option<(u64, bool, u64, u64)> = None;
    loop {
        buf.clear();
        let ev = reader.read_event_into(&mut buf).map_err(|e| corrupt(&e))?;
        let (start, e) = match ev {
            Event::Start(e) => (true, e),
            Event::Empty(e) => (false, e),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "table-row" => {
                        if let (Some(s), Some(r)) = (sheet.as_mut(), row.take()) {
                            end_row(s, r, limits)?;
                        }
                    }
                    "table" => {
                        if let Some(s) = sheet.take() {
                            cells = cells.saturating_add(end_sheet(&s, cells, limits)?);
                            if !s.hidden.is_empty() {
                                out.insert(s.name, s.hidden);
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "table" if start => {
                sheet = Some(Extent {
                    name: attr(&e, "table:name").unwrap_or_default(),
                    ..Extent::default()
                });
            }
            "table-column" => {
                if let Some(s) = sheet.as_mut() {
                    let n = repeats(&e, "table:number-columns-repeated");
                    let first = s.col;
                    s.col = s.col.saturating_add(n);
                    if hidden_attr(&e) {
                        let last = (s.col - 1).min(u64::from(u32::MAX));
                        push_range(&mut s.hidden.cols, first.min(last) as u32, last as u32);
                    }
                }
            }
            "table-row" => {
                let hidden = hidden_attr(&e);
                let r = (repeats(&e, "table:number-rows-repeated"), hidden, 0, 0);
                if start {
                    row = Some(r);
                } else if let Some(s) = sheet.as_mut() {
                    end_row(s, r, limits)?;
                }
            }
            "table-cell" | "covered-table-cell" => {
                if let Some((_, _, col, last)) = row.as_mut() {
                    let n = repeats(&e, "table:number-columns-repeated");
                    let valued = start
                        || attr(&e, "office:value-type").is_some()
                        || attr(&e, "table:formula").is_some();
                    *col = col.saturating_add(n);
                    if valued {
                        *last = *col;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A row ends: where its values end is checked against the columns limit, and it extends
/// the sheet's extent when it holds any.
fn end_row(s: &mut Extent, r: (u64, bool, u64, u64), limits: &Limits) -> Result<(), Error> {
    let (n, hidden, _, last) = r;
    let first = s.row;
    s.row = s.row.saturating_add(n);
    if last == 0 {
        return Ok(());
    }
    let cell = |row: u64, col: u64| {
        format!(
            "{}!{}{}",
            s.name,
            col_letters(u32::try_from(col).unwrap_or(u32::MAX - 1)),
            row.saturating_add(1)
        )
    };
    if last > u64::from(limits.max_cols) || s.row > u64::from(limits.max_rows) {
        let (row, col) = (s.row.min(u64::from(u32::MAX)) - 1, last - 1);
        return Err(Error::scenario(
            Location {
                cell: Some(cell(row, col)),
                ..Location::default()
            },
            format!(
                "sheet {:?} has a cell at {}, beyond the limits ({} rows x {} columns)",
                s.name,
                cell(row, col),
                limits.max_rows,
                limits.max_cols
            ),
        ));
    }
    s.first_row.get_or_insert(first);
    s.last_row = s.row - 1;
    s.last_col = s.last_col.max(last);
    if hidden {
        let (a, b) = (first + 1, s.row);
        push_range(&mut s.hidden.rows, a as u32, b as u32);
    }
    Ok(())
}

/// A sheet ends: the cells calamine will hold for it (its extent, empty cells included),
/// added to those of the sheets before, must stay within the cell limit.
fn end_sheet(s: &Extent, before: u64, limits: &Limits) -> Result<u64, Error> {
    let Some(first) = s.first_row else {
        return Ok(0);
    };
    let area = (s.last_row - first + 1).saturating_mul(s.last_col);
    if before.saturating_add(area) > limits.max_cells {
        return Err(workbook_error(format!(
            "sheet {:?} spans {} rows x {} columns: the workbook has more than {} cells (limit)",
            s.name,
            s.last_row - first + 1,
            s.last_col,
            limits.max_cells
        )));
    }
    Ok(area)
}
