//! The Prévisions sheet of the report workbook: its figures read back with calamine equal
//! the JSON report's forecast, the rules that are formulas are written as formulas, and no
//! number is left in the General format.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};
use mecenat_xlsx::{Lang, ReportOptions};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn report_of(raw: &mecenat::RawScenario) -> mecenat::Report {
    let s = mecenat::Scenario::from_raw(raw).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

fn demo() -> mecenat::Report {
    let raw = mecenat::RawScenario::from_json_slice(
        &std::fs::read(repo().join("fixtures/demo/scenario.json")).unwrap(),
    )
    .unwrap();
    report_of(&raw)
}

fn cell(r: &Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn money(d: &Data) -> Decimal {
    match d {
        Data::Float(x) => Decimal::from_f64(*x).unwrap().round_dp(2),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("not a number: {other:?}"),
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str_exact(v.as_str().unwrap()).unwrap()
}

/// The rows whose column A holds `label`.
fn rows_of(r: &Range<Data>, label: &str) -> Vec<u32> {
    (0..r.end().map_or(0, |e| e.0 + 1))
        .filter(|&i| text(&cell(r, i, 0)) == label)
        .collect()
}

/// The sheet's values and formulas.
fn forecast_sheet(book: &[u8], name: &str) -> (Range<Data>, Range<String>) {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(book)).unwrap();
    let names = wb.sheet_names();
    let at = names
        .iter()
        .position(|n| n == name)
        .expect("the forecast sheet");
    assert_eq!(
        names[at - 1],
        if name == "Forecast" {
            "Carry-forwards"
        } else {
            "Reports"
        }
    );
    (
        wb.worksheet_range(name).unwrap(),
        wb.worksheet_formula(name).unwrap(),
    )
}

fn formula_at(f: &Range<String>, row: u32, col: u32) -> String {
    f.get_value((row, col)).cloned().unwrap_or_default()
}

/// Block columns: the first column of each projection, then the offsets.
const BLOCKS: [u32; 2] = [4, 14];

/// Checks the sheet against the JSON forecast; returns how many projections have their
/// carried use and expiry as formulas.
fn check(report: &mecenat::Report, book: &[u8], lang: Lang) -> (usize, usize) {
    let json = serde_json::to_value(report).unwrap();
    let fr = lang == Lang::Fr;
    let (v, f) = forecast_sheet(book, if fr { "Prévisions" } else { "Forecast" });
    let heads = rows_of(
        &v,
        if fr {
            "Exercice projeté"
        } else {
            "Projected year"
        },
    );
    let forecasts = json["forecast"].as_array().unwrap();
    assert_eq!(heads.len() * 2, forecasts.len());
    let fates = rows_of(
        &v,
        if fr {
            "Sans nouveau don"
        } else {
            "No new gifts"
        },
    );
    assert_eq!(fates.len(), heads.len());
    let (mut formulas, mut total) = (0, 0);
    for (i, h) in heads.iter().enumerate() {
        for (b, fc) in BLOCKS.iter().zip(&forecasts[2 * i..2 * i + 2]) {
            total += 1;
            let years = fc["years"].as_array().unwrap();
            assert_eq!(years.len(), 5);
            for (k, y) in years.iter().enumerate() {
                let r = h + 1 + k as u32;
                assert_eq!(text(&cell(&v, r, 0)), &y["end"].as_str().unwrap()[..4]);
                for (off, key) in [
                    (0, "opening"),
                    (1, "gifts"),
                    (2, "retained_current"),
                    (3, "retained_carried"),
                    (5, "reduction"),
                    (6, "expired"),
                    (7, "closing"),
                ] {
                    assert_eq!(
                        money(&cell(&v, r, b + off)),
                        dec(&y[key]),
                        "{} {} year {k} {key}",
                        fc["company"],
                        fc["assumption"]
                    );
                }
                for off in [0, 2, 7, 8] {
                    assert!(
                        !formula_at(&f, r, b + off).is_empty(),
                        "a formula at {r},{}",
                        b + off
                    );
                }
            }
            if !formula_at(&f, h + 1, b + 3).is_empty() {
                formulas += 1;
                for k in 0..5 {
                    assert!(!formula_at(&f, h + 1 + k, b + 6).is_empty());
                }
            }
        }
        // The fate: carried, used, expired, difference (nil), per assumption.
        for (j, fc) in forecasts[2 * i..2 * i + 2].iter().enumerate() {
            let r = fates[i] + j as u32;
            assert_eq!(money(&cell(&v, r, 3)), dec(&fc["carried_at_start"]));
            assert_eq!(money(&cell(&v, r, 4)), dec(&fc["carried_used"]));
            assert_eq!(money(&cell(&v, r, 5)), dec(&fc["carried_expired"]));
            assert_eq!(money(&cell(&v, r, 6)), Decimal::ZERO);
            for c in [3, 5, 6] {
                assert!(!formula_at(&f, r, c).is_empty());
            }
        }
    }
    (formulas, total)
}

/// The numeric cells of a sheet (by name) whose style has the General number format.
fn general_numbers(book: &[u8], sheet: &str) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(book)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let styles = read("xl/styles.xml");
    let rid = workbook
        .split("<sheet ")
        .find(|s| s.contains(&format!("name=\"{sheet}\"")))
        .and_then(|s| s.split("r:id=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let target = rels
        .split("<Relationship ")
        .find(|s| s.contains(&format!("Id=\"{rid}\"")))
        .and_then(|s| s.split("Target=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let xml = read(&format!("xl/{target}"));
    // cellXfs, in order: each one's numFmtId.
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap();
    let fmt: HashMap<usize, u32> = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .map(|(i, x)| {
            let id = x
                .split("numFmtId=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map_or(0, |s| s.parse().unwrap());
            (i, id)
        })
        .collect();
    let mut bad = Vec::new();
    for c in xml.split("<c ").skip(1) {
        let head = c.split('>').next().unwrap();
        if head.contains("t=\"") || !c.contains("<v>") {
            continue; // text, boolean, or empty
        }
        let style = head
            .split("s=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map_or(0, |s| s.parse().unwrap());
        if fmt.get(&style).copied().unwrap_or(0) == 0 {
            bad.push(head.to_string());
        }
    }
    bad
}

#[test]
fn the_demos_forecast_sheet_shows_the_json_reports_figures() {
    let report = demo();
    let octet: Vec<_> = report.forecast.iter().collect();
    assert_eq!(octet[0].carried_at_start.0, Decimal::new(18616611, 2));
    for lang in [Lang::Fr, Lang::En] {
        let book = mecenat_xlsx::report_bytes_with(
            &report,
            &ReportOptions {
                lang,
                ..ReportOptions::default()
            },
        )
        .unwrap();
        let (formulas, total) = check(&report, &book, lang);
        assert_eq!((formulas, total), (2, 2), "both projections as formulas");
        let name = if lang == Lang::Fr {
            "Prévisions"
        } else {
            "Forecast"
        };
        let bad = general_numbers(&book, name);
        assert!(bad.is_empty(), "numbers in the General format: {bad:?}");
        // The check finds General numbers where there are some: the valuation's row
        // numbers (the Synthèse's counts have a format since issue 16).
        let valuation = if lang == Lang::Fr {
            "Valorisation"
        } else {
            "Valuation"
        };
        assert!(!general_numbers(&book, valuation).is_empty());
        // The demo's story: all used without new gifts, none at the same pace.
        let (v, _) = forecast_sheet(&book, name);
        let fate = rows_of(
            &v,
            if lang == Lang::Fr {
                "Sans nouveau don"
            } else {
                "No new gifts"
            },
        )[0];
        assert_eq!(money(&cell(&v, fate, 4)), Decimal::new(18616611, 2));
        assert_eq!(money(&cell(&v, fate + 1, 4)), Decimal::ZERO);
        assert_eq!(money(&cell(&v, fate + 1, 5)), Decimal::new(18616611, 2));
    }
}

#[test]
fn every_golden_cases_forecast_sheet_shows_its_figures_as_formulas() {
    let (mut formulas, mut total) = (0, 0);
    for dir in [
        repo().join("../shared/cases"),
        repo().join("fixtures/cases"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for p in files {
            let case: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let raw = mecenat::RawScenario::from_json(&case["scenario"].to_string()).unwrap();
            let report = report_of(&raw);
            let book = mecenat_xlsx::report_bytes(&report, Lang::Fr).unwrap();
            let (f, t) = check(&report, &book, Lang::Fr);
            formulas += f;
            total += t;
            let bad = general_numbers(&book, "Prévisions");
            assert!(bad.is_empty(), "{}: General format: {bad:?}", p.display());
        }
    }
    eprintln!("{formulas} of {total} projections with the carried excess as formulas");
    assert!(total > 0);
    assert_eq!(formulas, total, "a projection fell back to values");
}
