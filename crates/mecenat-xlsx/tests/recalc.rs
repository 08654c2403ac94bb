//! An independent recalculation: report workbooks (the demo in French and English, the
//! demo with its valuation split over several sheets, and every golden case) are opened by
//! LibreOffice headless with a throw-away profile that recalculates on load
//! (`OOXMLRecalcMode` = 0, "always"), saved again, and every formula cell must equal the
//! cached value the library wrote.
//!
//! Without `soffice` the test is skipped with a message, unless `CI=true` or
//! `MECENAT_REQUIRE_SOFFICE=1`, where it fails: `scripts/test-extra.sh` installs
//! `libreoffice-calc-nogui` and runs it that way.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use mecenat_xlsx::{Lang, ReportOptions};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

mod common;

/// The profile setting that makes LibreOffice recalculate an .xlsx on load.
const RECALC_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The report workbooks to check: (file name, bytes).
fn reports() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut add = |name: String, raw: &mecenat::RawScenario, opts: &ReportOptions| {
        let s = mecenat::Scenario::from_raw(raw).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
        out.push((name, mecenat_xlsx::report_bytes_with(&r, opts).unwrap()));
    };
    let demo = mecenat::RawScenario::from_json_slice(
        &std::fs::read(repo().join("fixtures/demo/scenario.json")).unwrap(),
    )
    .unwrap();
    add("demo_fr.xlsx".into(), &demo, &ReportOptions::default());
    add(
        "demo_en.xlsx".into(),
        &demo,
        &ReportOptions {
            lang: Lang::En,
            ..ReportOptions::default()
        },
    );
    add(
        "demo_split.xlsx".into(),
        &demo,
        &ReportOptions {
            lang: Lang::Fr,
            rows_per_sheet: 300,
            excel_tables_up_to: 0,
            detail_deflate_level: 6,
        },
    );
    add(
        "half_cents.xlsx".into(),
        &half_cents(),
        &ReportOptions::default(),
    );
    for dir in [
        repo().join("../shared/cases"),
        repo().join("fixtures/cases"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let case: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let raw = mecenat::RawScenario::from_json(&case["scenario"].to_string()).unwrap();
            let name = format!(
                "case_{}.xlsx",
                f.file_stem().unwrap().to_string_lossy().replace(' ', "_")
            );
            add(name, &raw, &ReportOptions::default());
        }
    }
    out
}

/// Entries whose exact value ends in a half cent (1.005, 2.675…), where a binary ROUND
/// could go the other way, and conversions between days and hours.
fn half_cents() -> mecenat::RawScenario {
    let mut employees = Vec::new();
    let mut entries = Vec::new();
    for i in 0..60u32 {
        // Annual cost with odd cents over 2 days: each day is worth x.xx5 exactly.
        let cents = 200_001 + 2 * 7_919 * i;
        employees.push(format!(
            r#"{{"id": "E{i}", "company": "C1", "annual_gross_salary": "{}.{:02}",
                "annual_employer_charges": "0", "annual_working_days": "2"}}"#,
            cents / 100,
            cents % 100
        ));
        entries.push(format!(
            r#"{{"employee": "E{i}", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}}"#
        ));
        employees.push(format!(
            r#"{{"id": "H{i}", "company": "C1", "annual_gross_salary": "{}.{:02}",
                "annual_employer_charges": "1234.56", "annual_working_hours": "1607",
                "hours_per_day": "7.5"}}"#,
            30_000 + i * 113,
            (i * 37) % 100
        ));
        entries.push(format!(
            r#"{{"employee": "H{i}", "beneficiary": "A1", "date": "2025-03-04", "days": "0.5"}}"#
        ));
        entries.push(format!(
            r#"{{"employee": "E{i}", "beneficiary": "A1", "date": "2025-03-05", "hours": "3.5"}}"#
        ));
    }
    let json = format!(
        r#"{{"companies": [{{"id": "C1", "name": "Arrondis SAS"}}, {{"id": "C2", "name": "Ancien"}}],
            "fiscal_years": [{{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                               "turnover": "1001.00", "tax_due": "1000"}},
                             {{"company": "C2", "start": "2018-01-01", "end": "2018-12-31",
                               "turnover": "1001.00", "tax_due": "1"}}],
            "beneficiaries": [{{"id": "A1", "name": "Association"}}],
            "donations": [{{"company": "C2", "beneficiary": "A1", "date": "2018-06-01", "amount": "100"}}],
            "employees": [{}], "time_entries": [{}]}}"#,
        employees.join(","),
        entries.join(",")
    );
    mecenat::RawScenario::from_json(&json).unwrap()
}

/// A workbook whose only formula has a wrong cached value: proves LibreOffice recalculates
/// rather than echoing the cached values.
fn canary() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_formula(0, 0, rust_xlsxwriter::Formula::new("=1+1").set_result("5"))
        .unwrap();
    wb.save_to_buffer().unwrap()
}

/// Equal values; numbers within a millionth (the cached values are the library's exact
/// decimals, LibreOffice's are doubles).
fn value_eq(a: &Data, b: &Data) -> bool {
    let n = |d: &Data| match d {
        Data::Float(x) => Decimal::from_f64(*x),
        Data::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    };
    match (n(a), n(b)) {
        (Some(x), Some(y)) => (x - y).abs() < Decimal::new(1, 6),
        _ => a == b,
    }
}

/// Formula cells whose recalculated value differs from the cached one, and the count.
fn compare(original: &[u8], recalculated: &Path) -> (usize, Vec<String>) {
    let mut orig: Xlsx<_> = Xlsx::new(Cursor::new(original)).unwrap();
    let mut lo: Xlsx<_> = calamine::open_workbook(recalculated)
        .unwrap_or_else(|e| panic!("{}: {e}", recalculated.display()));
    let mut count = 0;
    let mut bad = Vec::new();
    for name in orig.sheet_names() {
        let formulas = orig.worksheet_formula(&name).unwrap();
        let cached = orig.worksheet_range(&name).unwrap();
        let recalc = lo
            .worksheet_range(&name)
            .unwrap_or_else(|e| panic!("{}: sheet {name}: {e}", recalculated.display()));
        let start = formulas.start().unwrap_or((0, 0));
        for (r, c, f) in formulas.used_cells() {
            if f.is_empty() {
                continue;
            }
            count += 1;
            let pos = (start.0 + r as u32, start.1 + c as u32);
            let want = cached.get_value(pos).cloned().unwrap_or(Data::Empty);
            let got = recalc.get_value(pos).cloned().unwrap_or(Data::Empty);
            if !value_eq(&want, &got) {
                bad.push(format!(
                    "{name}!R{}C{}: ={f}: cached {want:?}, LibreOffice {got:?}",
                    pos.0 + 1,
                    pos.1 + 1
                ));
            }
        }
    }
    (count, bad)
}

#[test]
fn libreoffice_recomputes_every_formula_to_the_cached_value() {
    if !common::soffice_or_skip() {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("mecenat-recalc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (profile, input, output) = (tmp.join("profile"), tmp.join("in"), tmp.join("out"));
    for d in [&profile.join("user"), &input, &output] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_PROFILE,
    )
    .unwrap();
    let mut books = reports();
    books.push(("canary.xlsx".into(), canary()));
    let mut paths = Vec::new();
    for (name, bytes) in &books {
        let p = input.join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    let inputs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    common::convert(&profile, &inputs, "xlsx", &output);
    // The canary: a cached 5 for =1+1 must come back as 2.
    let mut c: Xlsx<_> = calamine::open_workbook(output.join("canary.xlsx")).unwrap();
    let first = c.sheet_names()[0].clone();
    let v = c.worksheet_range(&first).unwrap();
    assert!(
        value_eq(
            &v.get_value((0, 0)).cloned().unwrap_or(Data::Empty),
            &Data::Float(2.0)
        ),
        "LibreOffice did not recalculate on load (OOXMLRecalcMode profile not applied?)"
    );
    let mut total = 0;
    let mut failures = Vec::new();
    for (name, bytes) in books.iter().filter(|(n, _)| n != "canary.xlsx") {
        let (count, bad) = compare(bytes, &output.join(name));
        assert!(count > 0, "{name}: no formula checked");
        total += count;
        failures.extend(bad.into_iter().take(10).map(|b| format!("{name}: {b}")));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "{} formula cells differ after recalculation:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{total} formula cells of {} workbooks recalculated by LibreOffice equal the cached values",
        books.len() - 1
    );
}
