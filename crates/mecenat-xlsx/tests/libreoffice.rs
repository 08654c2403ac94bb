//! LibreOffice users (issue 16, item 8): the demo's filled template, converted by
//! LibreOffice to `.ods` and from that `.ods` back to `.xlsx`, gives the same rows and the
//! same report from all three files.
//!
//! Without `soffice` the test is skipped with a message, unless `CI=true` or
//! `MECENAT_REQUIRE_SOFFICE=1`, where it fails.

use std::path::{Path, PathBuf};

use mecenat::RawScenario;
use mecenat_xlsx::{read_scenario, Lang, Limits};

mod common;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One row's cells as (key, value) texts.
type Cells = Vec<(String, String)>;

/// The rows of a raw scenario without where they came from (sheet names and columns).
fn rows(raw: &RawScenario) -> Vec<(String, Vec<Cells>)> {
    raw.tables
        .iter()
        .map(|t| {
            let rows = t
                .rows
                .iter()
                .map(|r| {
                    r.cells
                        .iter()
                        .map(|(k, v)| (k.to_string(), format!("{v:?}")))
                        .collect()
                })
                .collect();
            (t.name.clone(), rows)
        })
        .collect()
}

/// The JSON report, without the counts of empty tables (a workbook has a sheet for every
/// table, the demo's JSON only the tables it fills).
fn report(raw: &RawScenario) -> serde_json::Value {
    let s = mecenat::Scenario::from_raw(raw).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let mut v = serde_json::to_value(&r).unwrap();
    v["inputs"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["rows"] != serde_json::json!(0));
    v
}

#[test]
fn the_demo_through_ods_and_back_to_xlsx_gives_the_same_report() {
    if !common::soffice_or_skip() {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("mecenat-lo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (profile, ods_dir, back_dir) = (tmp.join("profile"), tmp.join("ods"), tmp.join("back"));
    for d in [&profile, &ods_dir, &back_dir] {
        std::fs::create_dir_all(d).unwrap();
    }
    let demo = RawScenario::from_json_slice(
        &std::fs::read(repo().join("fixtures/demo/scenario.json")).unwrap(),
    )
    .unwrap();
    let xlsx = tmp.join("demo.xlsx");
    mecenat_xlsx::write_scenario(&demo, Lang::Fr, &xlsx).unwrap();
    let ods = common::convert(&profile, &[&xlsx], "ods", &ods_dir).remove(0);
    let back = common::convert(&profile, &[&ods], "xlsx", &back_dir).remove(0);
    let limits = Limits::default();
    let read =
        |p: &Path| read_scenario(p, &limits).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let (a, b, c) = (read(&xlsx), read(&ods), read(&back));
    let want = report(&demo);
    assert!(
        want["rejected"].as_array().is_some_and(Vec::is_empty),
        "the demo has no rejection"
    );
    for (name, raw) in [("template .xlsx", &a), (".ods", &b), ("back to .xlsx", &c)] {
        assert!(raw.warnings.is_empty(), "{name}: {:?}", raw.warnings);
        assert!(
            rows(raw) == rows(&a),
            "{name}: other rows than the template"
        );
        let got = report(raw);
        let differ: Vec<&String> = want
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| got.get(k.as_str()) != Some(v))
            .map(|(k, _)| k)
            .collect();
        assert!(
            differ.is_empty(),
            "{name}: another report than the JSON's in {differ:?}"
        );
    }
    // The rows really came from the files: every time entry of the demo, in each.
    let entries = |raw: &RawScenario| {
        raw.tables
            .iter()
            .find(|t| t.name == "time_entries")
            .map_or(0, |t| t.rows.len())
    };
    assert_eq!(entries(&b), 1609);
    assert_eq!(entries(&c), 1609);
    let _ = std::fs::remove_dir_all(&tmp);
}
