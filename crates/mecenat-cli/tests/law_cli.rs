//! The law through the command line (issue 11, items 1 and 2): a refused law row is exit 2
//! naming the table and the row; `mecenat params` shows how fresh each parameter is.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn mecenat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_refused_law_row_is_exit_2_naming_table_and_row() {
    let dir = repo().join("fixtures/bad");
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("law_") || name.ends_with(".expect.json") {
            continue;
        }
        seen += 1;
        let o = mecenat(&["compute", p.to_str().unwrap(), "--format", "json"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("table law, row"), "{name}: {err}");
        assert!(o.stdout.is_empty(), "{name}: a report was printed");
    }
    assert!(seen >= 9, "law fixtures: {seen}");
}

#[test]
fn params_flags_the_parameters_whose_known_period_ends_within_31_days() {
    let o = mecenat(&["params", "--json", "--today", "2026-12-02"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = list.as_array().unwrap();
    let flagged: Vec<&str> = list
        .iter()
        .filter(|p| p["flagged"] == true)
        .map(|p| p["parameter"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, ["pass", "pmss", "smic_hourly"]);
    let pass = list.iter().find(|p| p["parameter"] == "pass").unwrap();
    assert_eq!(pass["last_value"], "48060");
    assert_eq!(pass["known_until"], "2026-12-31");
    assert_eq!(pass["days_to_end"], 29);
    assert_eq!(pass["status"], "ends_soon");
    // Every parameter says when it was last checked and how long it is known.
    for p in list {
        assert!(p["last_checked"].is_string(), "{p}");
        assert!(
            p["known_until"].is_string() || p["until_amended"] == true,
            "{p}"
        );
    }
    let text = mecenat(&["params", "--today", "2027-02-01"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("3 à revoir"), "{text}");
    assert!(text.contains("fini depuis 32 jour(s)"), "{text}");
    let later = mecenat(&["params", "--today", "31/12/2026"]);
    assert_eq!(later.status.code(), Some(2));
}
