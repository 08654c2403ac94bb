//! The golden cases of `../shared/cases/` and `fixtures/cases/` pass when their scenario goes
//! through Excel: written into the template (French and English), read back with the
//! importer, validated and computed.

use std::path::{Path, PathBuf};

use mecenat_xlsx::{read_scenario_bytes, scenario_bytes, Lang, Limits};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no case in {}", dir.display());
    v
}

fn run_case(path: &Path, lang: Lang) -> Vec<String> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let scenario_json = serde_json::to_string(&case["scenario"]).unwrap();
    let raw = match mecenat::RawScenario::from_json(&scenario_json) {
        Ok(r) => r,
        Err(e) => return vec![format!("scenario refused: {e}")],
    };
    let xlsx = match scenario_bytes(&raw, lang) {
        Ok(x) => x,
        Err(e) => return vec![format!("cannot write the workbook: {e}")],
    };
    let back = match read_scenario_bytes(&xlsx, &Limits::default()) {
        Ok(r) => r,
        Err(e) => return vec![format!("cannot read the workbook back: {e}")],
    };
    let s = match mecenat::Scenario::from_raw(&back) {
        Ok(s) => s,
        Err(e) => return vec![format!("scenario from Excel refused: {e}")],
    };
    let report = match mecenat::compute(&s, &mecenat::Options::default()) {
        Ok(r) => r,
        Err(e) => return vec![format!("compute failed: {e}")],
    };
    let actual = serde_json::to_value(&report).unwrap();
    let mut errors = mecenat::golden::compare(&case["expect"], &actual);
    // And the whole report equals the JSON path's, but for where rejections point.
    let direct = mecenat::Scenario::from_raw(&raw)
        .and_then(|s| mecenat::compute(&s, &mecenat::Options::default()))
        .map(|r| serde_json::to_value(&r).unwrap());
    if let Ok(mut direct) = direct {
        let mut actual = actual;
        for v in [&mut direct, &mut actual] {
            // The workbook has every table, the JSON only those given: compare the tables
            // with rows, in table order.
            if let Some(inputs) = v["inputs"].as_array_mut() {
                inputs.retain(|i| i["rows"] != 0);
                inputs.sort_by_key(|i| mecenat::raw::table_index(i["table"].as_str().unwrap()));
            }
            for r in v["rejected"].as_array_mut().into_iter().flatten() {
                r.as_object_mut().unwrap().remove("cell");
                r.as_object_mut().unwrap().remove("value");
            }
        }
        if direct != actual {
            let diffs = mecenat::golden::compare(&direct, &actual);
            errors.push(format!(
                "the report through Excel differs from the JSON path's: {}",
                diffs.join("; ")
            ));
        }
    }
    errors
}

fn run_dir(dir: &Path) -> usize {
    let files = case_files(dir);
    let mut failures = Vec::new();
    for f in &files {
        for lang in [Lang::Fr, Lang::En] {
            let errs = run_case(f, lang);
            if !errs.is_empty() {
                failures.push(format!(
                    "{} ({lang:?}):\n  {}",
                    f.display(),
                    errs.join("\n  ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn shared_golden_cases_through_excel() {
    let n = run_dir(&repo().join("../shared/cases"));
    assert!(n >= 11, "expected the 11 shared cases, found {n}");
}

#[test]
fn own_golden_cases_through_excel() {
    run_dir(&repo().join("fixtures/cases"));
}

#[test]
fn demo_scenario_through_excel() {
    let raw = mecenat::RawScenario::from_json_slice(
        &std::fs::read(repo().join("fixtures/demo/scenario.json")).unwrap(),
    )
    .unwrap();
    let direct = mecenat::compute(
        &mecenat::Scenario::from_raw(&raw).unwrap(),
        &mecenat::Options::default(),
    )
    .unwrap();
    let back =
        read_scenario_bytes(&scenario_bytes(&raw, Lang::Fr).unwrap(), &Limits::default()).unwrap();
    let via = mecenat::compute(
        &mecenat::Scenario::from_raw(&back).unwrap(),
        &mecenat::Options::default(),
    )
    .unwrap();
    assert_eq!(direct.fiscal_years, via.fiscal_years);
    assert_eq!(direct.entries, via.entries);
    assert_eq!(direct.receipts, via.receipts);
}
