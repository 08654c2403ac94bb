//! docs/tables.md cannot drift from the tables the core reads: every table of
//! `mecenat::schema::TABLES` has its section (`` ## `companies` ``) and every key of it a row
//! (`` | `id` | ``) in that section.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each section's table → the keys of its rows.
fn documented(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = h.split('`').nth(1).map(str::to_string);
            if let Some(t) = &current {
                out.entry(t.clone()).or_default();
            }
        } else if let (Some(t), Some(row)) = (&current, line.strip_prefix("| `")) {
            if let Some((key, _)) = row.split_once('`') {
                out.entry(t.clone()).or_default().insert(key.to_string());
            }
        }
    }
    out
}

#[test]
fn every_table_and_key_is_documented() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(repo.join("docs/tables.md")).unwrap();
    let sections = documented(&doc);
    let mut missing = Vec::new();
    for t in mecenat::schema::TABLES {
        let table = t.name;
        let Some(documented) = sections.get(table) else {
            missing.push(format!("table `{table}`"));
            continue;
        };
        for k in t.keys() {
            if !documented.contains(k) {
                missing.push(format!("`{k}` of `{table}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/tables.md does not document:\n  {}",
        missing.join("\n  ")
    );
    assert!(mecenat::schema::TABLES.len() >= 12);
}

#[test]
fn the_parser_reads_sections_and_keys() {
    let s = documented("## `a` — sheet « A »\n| `x` | X |\n| key | h |\n## Values\n| `y` |\n");
    assert_eq!(s["a"], BTreeSet::from(["x".to_string()]));
    assert_eq!(s.len(), 1);
}
