//! The report workbook's declaration sheets read back (issue 11 items 5 and 6, issue 16
//! item 5): "Déclaration" lists the gifts of form 2069-RCI-SD section III per fiscal year,
//! each beneficiary's subtotal then the year's, never one total over two years, the
//! counterparts on every line of the beneficiary and the intermediary; "Déclaration 222
//! bis" holds the receipts declared per beneficiary and year with their assumption.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};
use mecenat_xlsx::ReportOptions;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

fn case_report(name: &str) -> mecenat::Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cases")
        .join(name);
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let s = mecenat::Scenario::from_json(&case["scenario"].to_string()).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

fn sheet(report: &mecenat::Report, name: &str) -> (Range<Data>, Range<String>) {
    let book = mecenat_xlsx::report_bytes_with(report, &ReportOptions::default()).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(book)).unwrap();
    (
        wb.worksheet_range(name).unwrap(),
        wb.worksheet_formula(name).unwrap(),
    )
}

fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn money(r: &Range<Data>, row: u32, col: u32) -> Option<Decimal> {
    match r.get_value((row, col)) {
        Some(Data::Float(x)) => Decimal::from_f64(*x).map(|v| v.round_dp(2)),
        Some(Data::Int(i)) => Some(Decimal::from(*i)),
        _ => None,
    }
}

fn formula(f: &Range<String>, row: u32, col: u32) -> String {
    f.get_value((row, col)).cloned().unwrap_or_default()
}

fn d(s: &str) -> Option<Decimal> {
    Some(Decimal::from_str_exact(s).unwrap())
}

#[test]
fn the_declaration_sheet_has_a_subtotal_per_beneficiary_and_per_fiscal_year() {
    let r = case_report("c29_section_iii_declaration.json");
    let (ws, f) = sheet(&r, "Déclaration");
    let rows: Vec<u32> = (0..=ws.end().unwrap().0).collect();
    let find = |label: &str| {
        rows.iter()
            .copied()
            .find(|&i| text(&ws, i, 4) == label || text(&ws, i, 0) == label)
            .unwrap_or_else(|| panic!("no row {label:?}"))
    };
    // Header at row 5, first year's title at row 6 (1-based).
    assert_eq!(text(&ws, 4, 3), "SIREN (à défaut RNA)");
    assert!(
        text(&ws, 5, 0).starts_with("Exercice 2025"),
        "{}",
        text(&ws, 5, 0)
    );
    // A1 2025: 8,000 cash then the March staff time, counterparts 500 on both lines.
    assert_eq!(
        (text(&ws, 6, 2), text(&ws, 6, 3)),
        ("A1".into(), "123456789".into())
    );
    assert_eq!(money(&ws, 6, 9), d("8000"));
    assert_eq!(money(&ws, 7, 9), d("638.54"));
    assert_eq!((money(&ws, 6, 11), money(&ws, 7, 11)), (d("500"), d("500")));
    let a1 = find("Total Association Alpha");
    assert_eq!(a1, 8);
    assert_eq!(formula(&f, a1, 9), "SUBTOTAL(9,J7:J8)");
    assert_eq!(
        (money(&ws, a1, 9), money(&ws, a1, 11)),
        (d("8638.54"), d("500"))
    );
    // A2 2025: its RNA, the intermediary on the line.
    assert_eq!(text(&ws, 9, 3), "W752000002");
    assert_eq!(
        (text(&ws, 9, 12), text(&ws, 9, 13)),
        ("Fondation Relais".into(), "987654321".into())
    );
    // The year's subtotal: SUBTOTAL skips the beneficiaries' subtotals in its range.
    let y25 = find("Total de l'exercice 2025");
    assert_eq!(formula(&f, y25, 9), "SUBTOTAL(9,J7:J11)");
    assert_eq!(money(&ws, y25, 9), d("12638.54"));
    assert_eq!(money(&ws, y25, 11), d("500"));
    let y26 = find("Total de l'exercice 2026");
    assert_eq!(money(&ws, y26, 9), d("11000"));
    assert_eq!(money(&ws, y26, 11), d("300"));
    // No total adds the two years.
    for i in rows {
        if let Some(v) = money(&ws, i, 9) {
            assert_ne!(v, Decimal::new(2_363_854, 2), "row {}", i + 1);
        }
    }
}

#[test]
fn the_222_bis_sheet_lists_receipts_per_beneficiary_and_year_with_its_assumption() {
    let r = case_report("c28_receipts_declared_222bis.json");
    let (ws, f) = sheet(&r, "Déclaration 222 bis");
    assert!(text(&ws, 2, 0).contains("l'année civile où finit sa période"));
    assert_eq!(text(&ws, 4, 4), "Nombre de reçus");
    let want = [
        ("A1", "2025", 2.0, "500", "638.54", "1138.54"),
        ("A1", "2026", 1.0, "1000", "319.27", "1319.27"),
        ("A2", "2025", 1.0, "0", "638.53", "638.53"),
        ("A2", "2026", 1.0, "0", "250", "250"),
    ];
    for (i, (b, y, n, cash, kind, total)) in want.into_iter().enumerate() {
        let row = 5 + i as u32;
        assert_eq!((text(&ws, row, 0), text(&ws, row, 2)), (b.into(), y.into()));
        assert_eq!(text(&ws, row, 3), "238 bis CGI");
        assert_eq!(ws.get_value((row, 4)), Some(&Data::Float(n)));
        assert_eq!(money(&ws, row, 5), d(cash));
        assert_eq!(money(&ws, row, 6), d(kind));
        assert_eq!(money(&ws, row, 7), d(total));
        assert_eq!(formula(&f, row, 7), format!("F{}+G{}", row + 1, row + 1));
    }
    assert_eq!(text(&ws, 9, 0), "");
}

#[test]
fn the_declaration_titles_say_the_threshold_of_the_years_law() {
    let mut r = case_report("c29_section_iii_declaration.json");
    let (ws, _) = sheet(&r, "Déclaration");
    assert!(text(&ws, 0, 0).contains("dons au-delà de 10 000 € sur l'exercice"));
    // The figure is the report's, not the face's: another threshold shows as given, and
    // years with different ones say "du seuil".
    for fy in &mut r.fiscal_years {
        fy.law.declaration_threshold = Some(mecenat::money::Money(Decimal::new(12_345, 0)));
    }
    let (ws, _) = sheet(&r, "Déclaration");
    assert!(
        text(&ws, 0, 0).contains("dons au-delà de 12 345 € sur l'exercice"),
        "{}",
        text(&ws, 0, 0)
    );
    r.fiscal_years[0].law.declaration_threshold = Some(mecenat::money::Money(Decimal::new(1, 0)));
    let (ws, _) = sheet(&r, "Déclaration");
    assert!(
        text(&ws, 0, 0).contains("dons au-delà du seuil sur"),
        "{}",
        text(&ws, 0, 0)
    );
}
