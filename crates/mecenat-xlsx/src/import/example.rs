//! The template's example sheet is never read. A cell someone typed into it (their own rows
//! under the example's, or an example value changed) would be lost without a word, so the
//! importer compares the sheet with the library's own example, cell by cell, and warns,
//! naming the first cells that are not the example's. Cells of the example left empty lose
//! nothing and are not counted.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};
use std::sync::OnceLock;

use calamine::{DataRef, Ods, Reader, Xlsx};

use crate::cells::{col_letters, Lang};
use crate::template::{EXAMPLE_SHEET_EN, EXAMPLE_SHEET_FR};

/// A sheet's cells by (row, column), from 0, as texts that read alike whichever
/// application saved the workbook ([`canonical`]).
type Cells = HashMap<(u32, u32), String>;

/// Cells named in the warning, at most.
const NAMED: usize = 3;
/// Cells of a workbook's example sheet looked at, at most.
const MAX_LOOKED_AT: usize = 100_000;

/// The language of the template's example sheet called `name`, if it is that sheet.
pub(super) fn example_lang(name: &str) -> Option<Lang> {
    let n = crate::schema::normalize(name);
    [Lang::Fr, Lang::En]
        .into_iter()
        .find(|&lang| n == crate::schema::normalize(sheet_name(lang)))
}

fn sheet_name(lang: Lang) -> &'static str {
    if lang.fr() {
        EXAMPLE_SHEET_FR
    } else {
        EXAMPLE_SHEET_EN
    }
}

/// The library's example sheet in `lang`, as the template writes it (made once a process);
/// `None` if it could not be made (a defect the template's own tests catch): then nothing
/// is compared.
fn library_example(lang: Lang) -> Option<&'static Cells> {
    static FR: OnceLock<Option<Cells>> = OnceLock::new();
    static EN: OnceLock<Option<Cells>> = OnceLock::new();
    let once = if lang.fr() { &FR } else { &EN };
    once.get_or_init(|| {
        let bytes = crate::template::example_workbook(lang)
            .ok()?
            .save_to_buffer()
            .ok()?;
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).ok()?;
        let range = book.worksheet_range(sheet_name(lang)).ok()?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range.used_cells().filter_map(|(r, c, v)| {
            let at = (r0 + u32::try_from(r).ok()?, c0 + u32::try_from(c).ok()?);
            Some((at, canonical(&super::data_ref(v))?))
        });
        Some(cells.collect())
    })
    .as_ref()
}

/// A cell's value as the user would recognise it ([`super::data_text`]), trimmed, with an
/// .ods date (an ISO text, `2025-01-06` or `2025-01-06T10:00:00`) written as an .xlsx one
/// (a serial number) reads; `None` for an empty cell.
fn canonical(v: &DataRef<'_>) -> Option<String> {
    let text = match v {
        DataRef::DateTimeIso(s) if s.len() == 10 => format!("{s} 00:00:00"),
        DataRef::DateTimeIso(s) => s.replacen('T', " ", 1),
        v => super::data_text(v),
    };
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The workbook's example sheet (in either language), with the library's, if it has one.
fn example_of(names: &[String]) -> Option<(&String, &'static Cells)> {
    names
        .iter()
        .find_map(|n| Some((n, library_example(example_lang(n)?)?)))
}

/// Warns when an .xlsx workbook has the template's example sheet holding a cell that is not
/// the library's example. The sheet is streamed and at most [`MAX_LOOKED_AT`] cells are
/// looked at (the library's example has a few hundred).
pub(super) fn warn_edited_example_xlsx<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    warnings: &mut Vec<String>,
) {
    let names = wb.sheet_names();
    let Some((name, library)) = example_of(&names) else {
        return;
    };
    let Ok(mut reader) = wb.worksheet_cells_reader(name) else {
        return;
    };
    let mut other = Vec::new();
    let mut looked_at = 0;
    while let Ok(Some(cell)) = reader.next_cell() {
        other.extend(differs(library, cell.get_position(), cell.get_value()));
        looked_at += 1;
        if looked_at == MAX_LOOKED_AT {
            break;
        }
    }
    warn(name, other, warnings);
}

/// The same for an .ods workbook (already read whole, within the limits, by calamine).
pub(super) fn warn_edited_example_ods<RS: Read + Seek>(
    wb: &mut Ods<RS>,
    warnings: &mut Vec<String>,
) {
    let names = wb.sheet_names();
    let Some((name, library)) = example_of(&names) else {
        return;
    };
    let Ok(range) = wb.worksheet_range(name) else {
        return;
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let other = range.used_cells().filter_map(|(r, c, v)| {
        let at = (r0 + u32::try_from(r).ok()?, c0 + u32::try_from(c).ok()?);
        differs(library, at, &super::data_ref(v))
    });
    warn(name, other.collect(), warnings);
}

/// The cell at `at` with its text, when it is not the library's example's.
fn differs(library: &Cells, at: (u32, u32), v: &DataRef<'_>) -> Option<((u32, u32), String)> {
    canonical(v)
        .filter(|text| library.get(&at) != Some(text))
        .map(|text| (at, text))
}

/// The warning, when some of the sheet's cells are not the library's.
fn warn(name: &str, mut other: Vec<((u32, u32), String)>, warnings: &mut Vec<String>) {
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
        let at_ten = calamine::ExcelDateTime::new(
            45_663.0 + 10.0 / 24.0,
            calamine::ExcelDateTimeType::DateTime,
            false,
        );
        assert_eq!(
            canonical(&DataRef::DateTime(at_ten)),
            canonical(&DataRef::DateTimeIso("2025-01-06T10:00:00".into()))
        );
        assert_eq!(canonical(&DataRef::SharedString("  ")), None);
        assert_eq!(canonical(&DataRef::Float(0.6)), Some("0.6".into()));
        assert_eq!(example_lang("exemple"), Some(Lang::Fr));
        assert_eq!(example_lang("Example"), Some(Lang::En));
        assert_eq!(example_lang("Temps"), None);
    }
}
