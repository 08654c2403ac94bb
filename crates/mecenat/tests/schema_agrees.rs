//! The one table schema (`mecenat::schema`) says what the reader does: on the demo
//! scenario, a cell of every numeric or date column set to text that is no number or date,
//! and every required column removed from a row, are refused (an error or a rejection of
//! that row) and the refusal names the column. The Excel and Python faces format, convert
//! and check their tables by this schema, so a schema that disagreed with the reader would
//! mislead them.

use mecenat::schema::{ColumnKind, Need, TABLES};
use serde_json::Value;

fn demo() -> Value {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    serde_json::from_str(
        &std::fs::read_to_string(repo.join("fixtures/demo/scenario.json")).unwrap(),
    )
    .unwrap()
}

/// Whether `scenario` is refused for `table`'s first row, naming `key`.
fn refused(scenario: &Value, table: &str, key: &str) -> Result<(), String> {
    let s = match mecenat::Scenario::from_json(&scenario.to_string()) {
        Err(e) => {
            let text = e.to_string();
            return if text.contains(key) {
                Ok(())
            } else {
                Err(format!("the error does not name {key}: {text}"))
            };
        }
        Ok(s) => s,
    };
    let report = match mecenat::compute(&s, &mecenat::Options::default()) {
        Err(e) => {
            let text = e.to_string();
            return if text.contains(key) {
                Ok(())
            } else {
                Err(format!("the error does not name {key}: {text}"))
            };
        }
        Ok(r) => r,
    };
    match report
        .rejected
        .iter()
        .find(|r| r.table == table && r.row == 1)
    {
        Some(r) if r.key.as_deref() == Some(key) || r.reason.contains(key) => Ok(()),
        Some(r) => Err(format!("the rejection does not name {key}: {r:?}")),
        None => Err("accepted".into()),
    }
}

#[test]
fn numbers_and_dates_of_the_schema_are_read_as_such() {
    let base = demo();
    let mut failures = Vec::new();
    let mut checked = 0;
    for t in TABLES {
        let Some(rows) = base[t.name].as_array() else {
            continue;
        };
        if rows.is_empty() {
            continue;
        }
        for c in t.columns {
            let numeric_or_date = matches!(
                c.kind,
                ColumnKind::Money
                    | ColumnKind::Qty
                    | ColumnKind::Units
                    | ColumnKind::Rate
                    | ColumnKind::Whole
                    | ColumnKind::Date
            );
            if !numeric_or_date {
                continue;
            }
            let mut s = base.clone();
            s[t.name][0][c.key] = Value::String("not a number or a date".into());
            checked += 1;
            if let Err(e) = refused(&s, t.name, c.key) {
                failures.push(format!("{}.{} ({:?}): {e}", t.name, c.key, c.kind));
            }
        }
    }
    assert!(checked >= 20, "only {checked} columns checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn required_columns_of_the_schema_are_required() {
    let base = demo();
    let mut failures = Vec::new();
    let mut checked = 0;
    for t in TABLES {
        let Some(rows) = base[t.name].as_array() else {
            continue;
        };
        if rows.is_empty() {
            continue;
        }
        for c in t.columns.iter().filter(|c| c.need == Need::Required) {
            let mut s = base.clone();
            let Some(row) = s[t.name][0].as_object_mut() else {
                continue;
            };
            row.remove(c.key);
            checked += 1;
            if let Err(e) = refused(&s, t.name, c.key) {
                failures.push(format!("{}.{}: {e}", t.name, c.key));
            }
        }
    }
    assert!(checked >= 20, "only {checked} columns checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
