//! Round trip: template → filled → compute → report workbook; the report's figures read
//! back with calamine equal the JSON report's (computed from the same scenario as JSON).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};
use mecenat_xlsx::{read_scenario_bytes, scenario_bytes, Lang, Limits, ReportOptions};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

fn demo_raw() -> mecenat::RawScenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/scenario.json");
    mecenat::RawScenario::from_json_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The JSON report of the scenario, computed straight from JSON.
fn json_report(raw: &mecenat::RawScenario) -> Value {
    let s = mecenat::Scenario::from_raw(raw).unwrap();
    serde_json::to_value(mecenat::compute(&s, &mecenat::Options::default()).unwrap()).unwrap()
}

/// The scenario through the Excel template, computed, and the report workbook.
fn through_excel(raw: &mecenat::RawScenario, opts: &ReportOptions) -> (mecenat::Report, Vec<u8>) {
    let filled = scenario_bytes(raw, opts.lang).unwrap();
    let back = read_scenario_bytes(&filled, &Limits::default()).unwrap();
    let s = mecenat::Scenario::from_raw(&back).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let book = mecenat_xlsx::report_bytes_with(&r, opts).unwrap();
    (r, book)
}

fn sheets(book: &[u8]) -> Vec<(String, Range<Data>)> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(book)).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            (n, r)
        })
        .collect()
}

fn sheet<'a>(all: &'a [(String, Range<Data>)], name: &str) -> &'a Range<Data> {
    &all.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
        .1
}

/// A cell by 0-based absolute position.
fn cell(r: &Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// A money cell as an exact decimal (the nearest cent of the double).
fn money(d: &Data) -> Option<Decimal> {
    match d {
        Data::Float(x) => Decimal::from_f64(*x).map(|v| v.round_dp(2)),
        Data::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

fn dec(v: &Value) -> Option<Decimal> {
    v.as_str().map(|s| Decimal::from_str_exact(s).unwrap())
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The row of a label in column A.
fn row_of(r: &Range<Data>, label: &str) -> u32 {
    (0..r.end().map_or(0, |e| e.0 + 1))
        .find(|&i| text(&cell(r, i, 0)) == label)
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

#[test]
fn report_figures_read_back_equal_the_json_report() {
    let raw = demo_raw();
    let json = json_report(&raw);
    let (report, book) = through_excel(&raw, &ReportOptions::default());
    assert_eq!(
        serde_json::to_value(&report).unwrap()["fiscal_years"],
        json["fiscal_years"]
    );
    let all = sheets(&book);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Synthèse",
            "Calcul",
            "Valorisation",
            "Reports",
            "Prévisions",
            "Intercontrat",
            "Impact",
            "Journal",
            "Annexe",
            "Reçus",
            "Déclaration",
            "Déclaration 222 bis",
            "Rejets",
            "Sources"
        ]
    );

    // Synthèse: one row per fiscal year under the table's header (after the alerts).
    let syn = sheet(&all, "Synthèse");
    let fys = json["fiscal_years"].as_array().unwrap();
    assert!(!fys.is_empty());
    let first = row_of(syn, "Entreprise") + 1;
    for (i, fy) in fys.iter().enumerate() {
        let r = first + i as u32;
        assert_eq!(text(&cell(syn, r, 0)), fy["company"].as_str().unwrap());
        assert_eq!(text(&cell(syn, r, 1)), fy["label"].as_str().unwrap());
        let d = &fy["donations"];
        for (col, want) in [
            (5, &d["total"]),
            (6, &d["staff_time"]),
            (7, &d["cash"]),
            (8, &d["in_kind"]),
            (9, &fy["ceiling"]),
            (10, &fy["retained_current"]),
            (11, &fy["retained_carried"]),
            (12, &fy["reduction"]),
            (14, &fy["excess"]),
            (15, &fy["donations_carried_closing"]),
            (16, &fy["tax_due"]),
            (17, &fy["reduction_used"]),
            (18, &fy["reduction_carried_closing"]),
            (20, &fy["counterparts"]),
        ] {
            assert_eq!(
                money(&cell(syn, r, col)),
                dec(want),
                "Synthèse row {r} col {col}"
            );
        }
        assert_eq!(
            money(&cell(syn, r, 13)),
            Some(Decimal::from(
                fy["form_2069_rci_reduction"].as_i64().unwrap()
            ))
        );
    }

    // Calcul: one column per fiscal year from C.
    let calc = sheet(&all, "Calcul");
    for (label, key) in [
        ("Plafond", "ceiling"),
        ("Total des dons", ""),
        ("Retenu de l'exercice", "retained_current"),
        ("Excédents antérieurs utilisés", "retained_carried"),
        ("Réduction d'impôt de l'exercice", "reduction"),
        ("Excédent reporté de l'exercice", "excess"),
        ("Excédents expirés en fin d'exercice", "donations_expired"),
        (
            "Excédents reportés après l'exercice",
            "donations_carried_closing",
        ),
    ] {
        let r = row_of(calc, label);
        for (j, fy) in fys.iter().enumerate() {
            let want = if key.is_empty() {
                dec(&fy["donations"]["total"])
            } else {
                dec(&fy[key])
            };
            assert_eq!(
                money(&cell(calc, r, 2 + j as u32)),
                want,
                "Calcul {label} {j}"
            );
        }
    }
    let r = row_of(calc, "Réduction imputée (total)");
    for (j, fy) in fys.iter().enumerate() {
        match dec(&fy["reduction_used"]) {
            Some(v) => assert_eq!(money(&cell(calc, r, 2 + j as u32)), Some(v)),
            None => assert_eq!(text(&cell(calc, r, 2 + j as u32)), "—"),
        }
    }

    // Valorisation: one row per entry, the value in column N.
    let valo = sheet(&all, "Valorisation");
    let entries = json["entries"].as_array().unwrap();
    for (i, e) in entries.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(
            money(&cell(valo, r, 0)),
            Some(Decimal::from(e["row"].as_u64().unwrap()))
        );
        assert_eq!(money(&cell(valo, r, 13)), dec(&e["value"]), "entry {i}");
    }
    // Every valued entry's value is a live ROUND formula (the demo uses the rate policy).
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(&book)).unwrap();
    let formulas = wb.worksheet_formula("Valorisation").unwrap();
    let start = formulas.start().unwrap_or((0, 0));
    let rounds = formulas
        .used_cells()
        .filter(|(r, c, f)| {
            start.1 + *c as u32 == 13
                && start.0 + (*r as u32) <= entries.len() as u32
                && f.starts_with("ROUND(")
        })
        .count();
    let valued = entries.iter().filter(|e| !e["value"].is_null()).count();
    assert_eq!(rounds, valued, "ROUND formulas in Valorisation");
    let total_row = 1 + entries.len() as u32;
    let total: Decimal = entries.iter().filter_map(|e| dec(&e["value"])).sum();
    assert_eq!(money(&cell(valo, total_row, 13)), Some(total));

    // Reports: both ledgers, line by line.
    let rep = sheet(&all, "Reports");
    for (ledger, c0, first_money) in [
        ("donations_ledger", 0u32, 5u32),
        ("reduction_ledger", 12, 16),
    ] {
        for (i, l) in json[ledger].as_array().unwrap().iter().enumerate() {
            let r = 5 + i as u32;
            assert_eq!(text(&cell(rep, r, c0)), l["company"].as_str().unwrap());
            assert_eq!(
                text(&cell(rep, r, c0 + 1)),
                l["fiscal_year"].as_str().unwrap()
            );
            for (k, key) in ["opening", "added", "used", "expired", "closing"]
                .iter()
                .enumerate()
            {
                assert_eq!(
                    money(&cell(rep, r, first_money + k as u32)),
                    dec(&l[*key]),
                    "{ledger}[{i}].{key}"
                );
            }
        }
    }

    // Reçus: the amounts of each receipt, in order.
    let recus = sheet(&all, "Reçus");
    let rows = recus.end().map_or(0, |e| e.0 + 1);
    let amounts = |label: &str| -> Vec<Option<Decimal>> {
        (0..rows)
            .filter(|&r| text(&cell(recus, r, 0)) == label)
            .map(|r| money(&cell(recus, r, 1)))
            .collect()
    };
    let receipts = json["receipts"].as_array().unwrap();
    assert_eq!(
        amounts("Numéraire"),
        receipts.iter().map(|r| dec(&r["cash"])).collect::<Vec<_>>()
    );
    assert_eq!(
        amounts("En nature"),
        receipts
            .iter()
            .map(|r| dec(&r["in_kind"]))
            .collect::<Vec<_>>()
    );
    let words: Vec<String> = (0..rows)
        .filter(|&r| text(&cell(recus, r, 0)) == "En nature")
        .map(|r| text(&cell(recus, r, 2)))
        .collect();
    let want: Vec<&str> = receipts
        .iter()
        .map(|r| r["in_kind_words"].as_str().unwrap())
        .collect();
    assert_eq!(words, want);

    // Rejets: every rejection.
    let rej = sheet(&all, "Rejets");
    let n = json["rejected"].as_array().unwrap().len();
    if n > 0 {
        assert_eq!(rej.end().map_or(0, |e| e.0), n as u32);
    }
    // Sources: every reference.
    let src = sheet(&all, "Sources");
    for (i, rf) in json["references"].as_array().unwrap().iter().enumerate() {
        assert_eq!(
            text(&cell(src, 4 + i as u32, 0)),
            rf["parameter"].as_str().unwrap()
        );
    }
}

#[test]
fn the_english_report_has_the_same_figures() {
    let raw = demo_raw();
    let json = json_report(&raw);
    let opts = ReportOptions {
        lang: Lang::En,
        ..ReportOptions::default()
    };
    let (_, book) = through_excel(&raw, &opts);
    let all = sheets(&book);
    let syn = sheet(&all, "Summary");
    for (i, fy) in json["fiscal_years"].as_array().unwrap().iter().enumerate() {
        let r = row_of(syn, "Company") + 1 + i as u32;
        assert_eq!(money(&cell(syn, r, 12)), dec(&fy["reduction"]));
    }
    let calc = sheet(&all, "Calculation");
    let r = row_of(calc, "Tax reduction of the year");
    assert_eq!(
        money(&cell(calc, r, 2)),
        dec(&json["fiscal_years"][0]["reduction"])
    );
}

#[test]
fn the_valuation_detail_continues_on_further_sheets() {
    let raw = demo_raw();
    let json = json_report(&raw);
    let entries = json["entries"].as_array().unwrap();
    let per = 500u32;
    let opts = ReportOptions {
        lang: Lang::Fr,
        rows_per_sheet: per,
        excel_tables_up_to: 0,
        detail_deflate_level: 9,
    };
    let (_, book) = through_excel(&raw, &opts);
    let all = sheets(&book);
    let parts = entries.len().div_ceil(per as usize);
    assert!(
        parts >= 2,
        "the demo needs more than {per} entries for this test"
    );
    let mut seen = 0usize;
    for p in 0..parts {
        let name = if p == 0 {
            "Valorisation".to_string()
        } else {
            format!("Valorisation ({})", p + 1)
        };
        let s = sheet(&all, &name);
        let rows = (entries.len() - seen).min(per as usize);
        for i in 0..rows {
            let e = &entries[seen + i];
            assert_eq!(
                money(&cell(s, 1 + i as u32, 13)),
                dec(&e["value"]),
                "{name} {i}"
            );
        }
        seen += rows;
    }
    assert_eq!(seen, entries.len());
    // The staff time in Calcul sums every part.
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(&book)).unwrap();
    let f = wb.worksheet_formula("Calcul").unwrap();
    let calc = sheet(&all, "Calcul");
    let r = row_of(calc, "Temps donné (coût de revient)");
    let formula = f.get_value((r, 2)).cloned().unwrap_or_default();
    assert!(formula.contains("'Valorisation (2)'"), "{formula}");
    assert_eq!(
        money(&cell(calc, r, 2)),
        dec(&json["fiscal_years"][0]["donations"]["staff_time"])
    );
}
