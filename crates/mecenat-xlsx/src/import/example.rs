//! The template's example sheet is never read. A cell someone typed into it (their own rows
//! under the example's, or an example value changed) would be lost without a word, so the
//! importer compares the sheet with the library's own example, cell by cell, and warns,
//! naming the first cell that is not the example's. Cells of the example left empty lose
//! nothing and are not counted.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};
use std::sync::OnceLock;

use calamine::{Data, DataRef, Ods, Range, Reader, Xlsx};

use crate::cells::{col_letters, Lang};
use crate::schema;
use crate::template::{EXAMPLE_SHEET_EN, EXAMPLE_SHEET_FR};

/// A sheet's cells by (row, column), from 0, as texts that read alike whichever
/// application saved the workbook ([`canonical`]).
type Cells = HashMap<(u32, u32), String>;

/// Cells named in the warning, at most.
const NAMED: usize = 3;
/// Cells of a workbook's example sheet looked at, at most.
const MAX_LOOKED_AT: usize = 100_000;

/// The library's example sheet in `lang`, as the template writes it; `None` if the template
/// could not be made (a defect the template's own tests catch): then nothing is compared.
fn library_example(lang: Lang) -> Option<&'static Cells> {
    static FR: OnceLock<Option<Cells>> = OnceLock::new();
    static EN: OnceLock<Option<Cells>> = OnceLock::new();
    let once = if lang.fr() { &FR } else { &EN };
    once.get_or_init(|| {
        let mut wb = crate::template::scenario_workbook(None, lang).ok()?;
        let bytes = wb.save_to_buffer().ok()?;
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).ok()?;
        Some(cells(&book.worksheet_range(sheet_name(lang)).ok()?))
    })
    .as_ref()
}

fn sheet_name(lang: Lang) -> &'static str {
    if lang.fr() {
        EXAMPLE_SHEET_FR
    } else {
        EXAMPLE_SHEET_EN
    }
}

fn cells(range: &Range<Data>) -> Cells {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .filter_map(|(r, c, v)| {
            let (r, c) = (u32::try_from(r).ok()?, u32::try_from(c).ok()?);
            Some(((r0 + r, c0 + c), canonical(&super::data_ref(v))?))
        })
        .collect()
}

/// A cell's value as a text that does not depend on how the workbook was saved (a date is
/// a serial number in .xlsx, an ISO text in .ods); `None` for an empty cell.
fn canonical(v: &DataRef<'_>) -> Option<String> {
    match v {
        DataRef::Empty => None,
        DataRef::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        DataRef::SharedString(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        DataRef::Float(x) => Some(format!("{x}")),
        DataRef::Int(i) => Some(i.to_string()),
        DataRef::Bool(b) => Some(b.to_string()),
        DataRef::DateTime(d) => Some(d.as_datetime().map_or_else(
            || format!("{}", d.as_f64()),
            |t| t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        )),
        DataRef::DateTimeIso(s) if s.len() == 10 => Some(format!("{s}T00:00:00")),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.clone()),
        DataRef::Error(e) => Some(e.to_string()),
    }
}

/// The template's example sheet among `names` (in either language), with its language.
fn example_sheet(names: &[String]) -> Option<(&String, Lang)> {
    [Lang::Fr, Lang::En].into_iter().find_map(|lang| {
        let want = schema::normalize(sheet_name(lang));
        names
            .iter()
            .find(|n| schema::normalize(n) == want)
            .map(|n| (n, lang))
    })
}

/// Warns when an .xlsx workbook has the template's example sheet holding a cell that is not
/// the library's example. The sheet is streamed and at most [`MAX_LOOKED_AT`] cells are
/// looked at (the library's example has a few hundred).
pub(super) fn warn_edited_example_xlsx<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    warnings: &mut Vec<String>,
) {
    let names = wb.sheet_names();
    let Some((name, lang)) = example_sheet(&names) else {
        return;
    };
    let Some(library) = library_example(lang) else {
        return;
    };
    let Ok(mut reader) = wb.worksheet_cells_reader(name) else {
        return;
    };
    let mut seen = Vec::new();
    while let Ok(Some(cell)) = reader.next_cell() {
        let (r, c) = cell.get_position();
        if let Some(text) = canonical(cell.get_value()) {
            seen.push(((r, c), text));
        }
        if seen.len() >= MAX_LOOKED_AT {
            break;
        }
    }
    warn(name, library, seen, warnings);
}

/// The same for an .ods workbook (already read whole, within the limits, by calamine).
pub(super) fn warn_edited_example_ods<RS: Read + Seek>(
    wb: &mut Ods<RS>,
    warnings: &mut Vec<String>,
) {
    let names = wb.sheet_names();
    let Some((name, lang)) = example_sheet(&names) else {
        return;
    };
    let (Some(library), Ok(range)) = (library_example(lang), wb.worksheet_range(name)) else {
        return;
    };
    warn(name, library, cells(&range).into_iter().collect(), warnings);
}

/// The warning, when some of the sheet's cells are not the library's.
fn warn(name: &str, library: &Cells, seen: Vec<((u32, u32), String)>, warnings: &mut Vec<String>) {
    let mut other: Vec<((u32, u32), String)> = seen
        .into_iter()
        .filter(|(at, text)| library.get(at) != Some(text))
        .collect();
    if other.is_empty() {
        return;
    }
    other.sort();
    let sheet = super::quote_sheet(name);
    let named: Vec<String> = other
        .iter()
        .take(NAMED)
        .map(|((r, c), text)| format!("{sheet}!{}{} {text:?}", col_letters(*c), r + 1))
        .collect();
    warnings.push(format!(
        "sheet {name:?} is never read (it only shows an example), and {} of its cells are not mecenat's example: {}{}; rows to compute go in the sheets of their tables",
        other.len(),
        named.join(", "),
        if other.len() > NAMED { ", …" } else { "" }
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cells::Limits;

    #[test]
    fn cells_typed_into_the_example_sheet_are_named_in_a_warning() {
        for lang in [Lang::Fr, Lang::En] {
            let name = sheet_name(lang);
            let mut wb = crate::template::scenario_workbook(None, lang).unwrap();
            // The template as it comes: nothing to say.
            let raw =
                super::super::read(&wb.save_to_buffer().unwrap(), &Limits::default()).unwrap();
            assert!(raw.warnings.is_empty(), "{:?}", raw.warnings);
            // A row of one's own far below the example, and the title typed over.
            let ws = wb.worksheet_from_name(name).unwrap();
            ws.write_string(500, 1, "Dupont").unwrap();
            ws.write_number(500, 2, 218.5).unwrap();
            ws.write_number(0, 0, 3).unwrap();
            let raw =
                super::super::read(&wb.save_to_buffer().unwrap(), &Limits::default()).unwrap();
            assert_eq!(raw.warnings.len(), 1, "{:?}", raw.warnings);
            let w = &raw.warnings[0];
            assert!(
                w.starts_with(&format!("sheet {name:?} is never read")),
                "{w}"
            );
            assert!(
                w.contains("3 of its cells are not mecenat's example"),
                "{w}"
            );
            assert!(
                w.contains(&format!(
                    "{name}!A1 \"3\", {name}!B501 \"Dupont\", {name}!C501 \"218.5\""
                )),
                "{w}"
            );
        }
    }

    #[test]
    fn a_date_reads_alike_from_xlsx_and_ods() {
        let xlsx =
            calamine::ExcelDateTime::new(45_663.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            canonical(&DataRef::DateTime(xlsx)),
            canonical(&DataRef::DateTimeIso("2025-01-06".into()))
        );
        assert_eq!(canonical(&DataRef::SharedString("  ")), None);
        assert_eq!(canonical(&DataRef::Float(0.6)), Some("0.6".into()));
    }
}
