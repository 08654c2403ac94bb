//! The law table through Excel (issue 11): a legal value supplied in the template's "Loi"
//! sheet (English `law` accepted) is read, used, cited with its row in the report, and shown
//! apart on the report workbook's Sources sheet.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use mecenat_xlsx::{read_scenario_bytes, scenario_bytes, Lang, Limits};

/// The golden case of a consultant above the cap valued with a supplied PASS of 2027.
fn case_raw() -> mecenat::RawScenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cases/c24_law_pass_2027_above_cap.json");
    let case: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    mecenat::RawScenario::from_json(&case["scenario"].to_string()).unwrap()
}

fn compute(raw: &mecenat::RawScenario) -> mecenat::Report {
    let s = mecenat::Scenario::from_raw(raw).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

/// The PASS reference of a report: its value, and the law row that supplied it.
fn pass_reference(r: &mecenat::Report) -> (String, Option<usize>, String) {
    let p = r
        .references
        .iter()
        .find(|x| x.parameter == "pass")
        .expect("the PASS is cited");
    (
        p.value.clone(),
        p.supplied_by.as_ref().map(|b| b.row),
        p.source.clone(),
    )
}

/// Every text of a sheet of a workbook, row by row.
fn sheet_texts(book: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(book)).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_law_row_written_in_the_template_is_used_and_cited_in_the_report() {
    let raw = case_raw();
    for lang in [Lang::Fr, Lang::En] {
        let book = scenario_bytes(&raw, lang).unwrap();
        // The row is on the sheet Loi (law in English), under its headers.
        let sheet = if lang == Lang::Fr { "Loi" } else { "law" };
        let rows = sheet_texts(&book, sheet);
        assert_eq!(
            rows[0][0].trim_end_matches(" *"),
            if lang == Lang::Fr {
                "Paramètre"
            } else {
                "parameter"
            }
        );
        assert_eq!(rows[1][0], "pass");
        let back = read_scenario_bytes(&book, &Limits::default()).unwrap();
        let r = compute(&back);
        assert_eq!(r.entries[0].value.unwrap().0.to_string(), "674.31");
        assert_eq!(r.entries[1].value.unwrap().0.to_string(), "337.16");
        let (value, row, source) = pass_reference(&r);
        assert_eq!(value, "49000");
        assert_eq!(row, Some(1));
        assert!(source.starts_with("Arrêté du 19 décembre 2026"), "{source}");
        assert!(
            r.warnings[0].contains("law table, row 1: pass = 49000 since 2027-01-01"),
            "{:?}",
            r.warnings
        );
        assert!(!r.warnings.iter().any(|w| w.contains("no value is known")));
        // The report workbook shows the supplied value apart on its Sources sheet.
        let report = mecenat_xlsx::report_bytes(&r, lang).unwrap();
        let sources = sheet_texts(&report, "Sources");
        let title = sources
            .iter()
            .position(|row| {
                row[0].starts_with(if lang == Lang::Fr {
                    "Valeurs légales fournies"
                } else {
                    "Legal values supplied"
                })
            })
            .expect("a section of supplied values");
        let line = &sources[title + 1];
        assert_eq!(line[0], "pass");
        assert_eq!(line[1], "49000");
        assert!(
            line[3].starts_with("Arrêté du 19 décembre 2026"),
            "{line:?}"
        );
        assert!(line[4].ends_with(" 1"), "{line:?}");
    }
}

/// A law sheet typed by hand: the date a date cell, the value a number cell (12,45 shown in
/// French), the sheet named in English; the SMIC of 2027 values the volunteer's hours.
#[test]
fn a_hand_typed_law_sheet_with_number_and_date_cells_is_read() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let put = |ws: &mut rust_xlsxwriter::Worksheet, rows: &[&[&str]]| {
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    };
    put(
        wb.add_worksheet().set_name("Entreprises").unwrap(),
        &[
            &["Identifiant", "Dénomination"],
            &["C1", "Exemple Conseil SAS"],
        ],
    );
    put(
        wb.add_worksheet().set_name("Exercices").unwrap(),
        &[
            &["Entreprise", "Début", "Fin", "Chiffre d'affaires HT"],
            &["C1", "2027-01-01", "2027-12-31", "2000000"],
        ],
    );
    put(
        wb.add_worksheet().set_name("Bénéficiaires").unwrap(),
        &[&["Identifiant", "Nom"], &["A1", "Association Exemple"]],
    );
    put(
        wb.add_worksheet().set_name("Temps").unwrap(),
        &[
            &["Bénévole", "Bénéficiaire", "Date", "Heures"],
            &["Lou", "A1", "2027-01-12", "4"],
        ],
    );
    let ws = wb.add_worksheet().set_name("law").unwrap();
    for (c, h) in ["parameter", "since", "value", "reference"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(1, 0, "smic_hourly").unwrap();
    ws.write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2027, 1, 1).unwrap(), &date)
        .unwrap();
    ws.write_number(1, 2, 12.45).unwrap();
    ws.write_string(1, 3, "Décret du … décembre 2026 (exemple)")
        .unwrap();
    let book = wb.save_to_buffer().unwrap();
    let back = read_scenario_bytes(&book, &Limits::default()).unwrap();
    let s = mecenat::Scenario::from_raw(&back).unwrap();
    assert_eq!(s.law.len(), 1);
    assert_eq!(s.law[0].since.to_string(), "2027-01-01");
    assert_eq!(s.law[0].value.to_string(), "12.45");
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    // 4 h x 12.45 = 49.80 (the 2026 SMIC, 12.31, would give 49.24).
    assert_eq!(
        r.beneficiaries[0].value_cvn.as_ref().unwrap().0.to_string(),
        "49.80"
    );
    let smic = r
        .references
        .iter()
        .find(|x| x.parameter == "smic_hourly")
        .unwrap();
    assert_eq!(smic.supplied_by.as_ref().map(|b| b.row), Some(1));
}

/// A law row the core refuses names the sheet's cell.
#[test]
fn a_refused_law_row_names_its_cell() {
    let mut raw = case_raw();
    let law = raw.tables.iter_mut().find(|t| t.name == "law").unwrap();
    for (k, v) in &mut law.rows[0].cells {
        if k == "reference" {
            *v = mecenat::RawValue::Text(" ".into());
        }
    }
    // An empty text cell is no value: the template writes nothing, the importer sees the
    // reference missing.
    let book = scenario_bytes(&raw, Lang::Fr).unwrap();
    let back = read_scenario_bytes(&book, &Limits::default()).unwrap();
    let e = mecenat::Scenario::from_raw(&back).unwrap_err().to_string();
    assert!(e.contains("table law, row 1"), "{e}");
    assert!(e.contains("reference"), "{e}");
    assert!(e.contains("Loi!D2"), "{e}");
}

/// The empty template's sheet Loi reads back empty, its instructions and example are in a
/// note (never imported), and the example row on the instructions sheet is not read either.
#[test]
fn the_template_explains_the_law_sheet_without_importing_its_example() {
    for lang in [Lang::Fr, Lang::En] {
        let bytes = mecenat_xlsx::template_bytes(lang).unwrap();
        let raw = read_scenario_bytes(&bytes, &Limits::default()).unwrap();
        let law = raw.tables.iter().find(|t| t.name == "law").unwrap();
        assert!(law.rows.is_empty());
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut notes = String::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            if f.name().unwrap().starts_with("xl/comments") {
                std::io::Read::read_to_string(&mut f, &mut notes).unwrap();
            }
        }
        let example = if lang == Lang::Fr {
            "Exemple : pass | 01/01/2027"
        } else {
            "Example: pass | 2027-01-01"
        };
        assert!(notes.contains(example), "{notes}");
        let help = sheet_texts(
            &bytes,
            if lang == Lang::Fr {
                "Mode d'emploi"
            } else {
                "Instructions"
            },
        );
        assert!(
            help.iter().any(|row| row[0] == "pass"
                && row[3].contains("plafond de la sécurité sociale pour 2027")),
            "the example row on the instructions sheet"
        );
    }
}
