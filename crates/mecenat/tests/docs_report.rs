//! docs/report.md cannot drift from the report: every member and every field of every
//! record of the JSON report (the demo under both cap methods, and each case of
//! `fixtures/cases/`) is named in the section of docs/report.md for its place, and a map
//! (keys that are data, such as rates or output units) is documented as a map.
//!
//! A section is a heading naming its place in backticks (`` ## `fiscal_years[]` ``,
//! `` ### `fiscal_years[].donations` ``, "## Top level" for the report itself); its fields
//! are the backticked names of the first cell of its table rows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Places whose object keys are data (a rate, an output unit), not field names.
const MAPS: &[&str] = &[
    "fiscal_years[].retained_by_rate",
    "fiscal_years[].reduction_by_rate",
    "beneficiaries[].outputs",
    "projects[].outputs",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The backticked words of a text (`a`, `b` → [a, b]).
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Each documented place → (field → the rest of its table row).
fn documented(doc: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Vec<String> = Vec::new();
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim();
            current = if h == "Top level" {
                vec![String::new()]
            } else {
                backticked(h)
            };
            for p in &current {
                sections.entry(p.clone()).or_default();
            }
        } else if let Some(row) = line.strip_prefix('|') {
            let (first, rest) = row.split_once('|').unwrap_or((row, ""));
            for p in &current {
                for field in backticked(first) {
                    sections
                        .entry(p.clone())
                        .or_default()
                        .insert(field, rest.to_string());
                }
            }
        }
    }
    sections
}

/// Every object of `v` at `place`: its keys (maps are checked as such, not walked).
fn walk(v: &Value, place: &str, found: &mut BTreeMap<String, BTreeSet<String>>) {
    match v {
        Value::Object(o) => {
            let keys = found.entry(place.to_string()).or_default();
            keys.extend(o.keys().cloned());
            for (k, child) in o {
                let p = if place.is_empty() {
                    k.clone()
                } else {
                    format!("{place}.{k}")
                };
                if !MAPS.contains(&p.as_str()) {
                    walk(child, &p, found);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, &format!("{place}[]"), found);
            }
        }
        _ => {}
    }
}

fn report_json(scenario: &str, cap: Option<mecenat::CapMethod>) -> Value {
    let s = mecenat::Scenario::from_json(scenario).unwrap();
    let opts = mecenat::Options {
        cap_method: cap,
        ..mecenat::Options::default()
    };
    let r = mecenat::compute(&s, &opts).unwrap();
    serde_json::from_str(&r.to_json().unwrap()).unwrap()
}

/// The reports checked: the demo under both cap methods, and every own golden case.
fn reports() -> Vec<(String, Value)> {
    let demo = std::fs::read_to_string(repo().join("fixtures/demo/scenario.json")).unwrap();
    let mut out = vec![
        ("demo".to_string(), report_json(&demo, None)),
        (
            "demo (period)".to_string(),
            report_json(&demo, Some(mecenat::CapMethod::Period)),
        ),
    ];
    let mut cases: Vec<_> = std::fs::read_dir(repo().join("fixtures/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    for p in cases {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, report_json(&case["scenario"].to_string(), None)));
    }
    out
}

#[test]
fn every_field_of_the_report_is_documented() {
    let doc = std::fs::read_to_string(repo().join("docs/report.md")).unwrap();
    let sections = documented(&doc);
    let mut found = BTreeMap::new();
    for (_, r) in reports() {
        walk(&r, "", &mut found);
    }
    // The walk saw the records that matter (a test that cannot fail is a defect).
    for place in [
        "",
        "fiscal_years[]",
        "fiscal_years[].law",
        "entries[]",
        "bench[]",
    ] {
        assert!(found.get(place).is_some_and(|k| !k.is_empty()), "{place:?}");
    }
    let mut missing = Vec::new();
    for (place, keys) in &found {
        let Some(fields) = sections.get(place) else {
            missing.push(format!("no section for `{place}`"));
            continue;
        };
        for k in keys {
            if !fields.contains_key(k) {
                let at = if place.is_empty() {
                    "the top level"
                } else {
                    place
                };
                missing.push(format!("`{k}` of {at}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/report.md does not document:\n  {}",
        missing.join("\n  ")
    );
    for map in MAPS {
        let (parent, key) = map.rsplit_once('.').unwrap();
        let row = sections
            .get(parent)
            .and_then(|f| f.get(key))
            .unwrap_or_else(|| panic!("{map} is not documented"));
        assert!(
            row.contains("map"),
            "{map} is not documented as a map: {row}"
        );
    }
}

/// The parser of docs/report.md finds sections, fields and maps as this test reads them.
#[test]
fn the_doc_parser_reads_sections_and_fields() {
    let doc = "## Top level\n| `a` | x |\n## `b[]` and `c[]`\n| `d`, `e` | map k → v |\n";
    let s = documented(doc);
    assert_eq!(s[""].keys().collect::<Vec<_>>(), ["a"]);
    assert_eq!(s["b[]"].keys().collect::<Vec<_>>(), ["d", "e"]);
    assert_eq!(s["c[]"]["e"].trim(), "map k → v |");
    let mut found = BTreeMap::new();
    let v: Value = serde_json::from_str(r#"{"x": [{"y": {"z": 1}}], "w": 2}"#).unwrap();
    walk(&v, "", &mut found);
    assert_eq!(found[""], BTreeSet::from(["x".into(), "w".into()]));
    assert_eq!(found["x[].y"], BTreeSet::from(["z".into()]));
}
