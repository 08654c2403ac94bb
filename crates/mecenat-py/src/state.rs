//! A raw scenario as compact bytes and back, losslessly: the pickled state of a scenario
//! built from Python tables.
//!
//! The bytes are a JSON array of tables, `[name, rows]`, each row a flat array of
//! alternating keys and values. Values keep their [`RawValue`] variant: `null`, booleans,
//! integers and text as JSON's own; a decimal as `{"d": "1.50"}` (its exact text), a date
//! as `{"t": "2025-03-03"}`, a float as `{"f": bits}` (its IEEE-754 bits: it is refused by
//! validation, with its exact value in the message). Workbook provenance (sheet and cell)
//! is not kept: scenarios from workbooks are pickled as the workbook's own bytes.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use mecenat::raw::intern_key;
use mecenat::{RawRow, RawScenario, RawTable, RawValue};
use rust_decimal::Decimal;
use serde_json::Value;

/// Format version, first element of the array.
const VERSION: &str = "mecenat-raw-1";

/// Appends a JSON string.
fn text(out: &mut Vec<u8>, s: &str) -> Result<(), String> {
    serde_json::to_writer(&mut *out, s).map_err(|e| e.to_string())
}

/// Appends one value (see the module's documentation).
fn value(out: &mut Vec<u8>, v: &RawValue) -> Result<(), String> {
    use std::io::Write;
    let io = |e: std::io::Error| e.to_string();
    match v {
        RawValue::Null => out.extend_from_slice(b"null"),
        RawValue::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        RawValue::Int(i) => write!(out, "{i}").map_err(io)?,
        RawValue::Text(t) => text(out, t)?,
        RawValue::Decimal(d) => write!(out, "{{\"d\":\"{d}\"}}").map_err(io)?,
        RawValue::Date(d) => {
            let (y, m, day) = (d.year(), d.month(), d.day());
            write!(out, "{{\"t\":\"{y:04}-{m:02}-{day:02}\"}}").map_err(io)?;
        }
        RawValue::Float(x) => write!(out, "{{\"f\":{}}}", x.to_bits()).map_err(io)?,
    }
    Ok(())
}

/// The raw scenario as bytes, written directly (no intermediate JSON values).
///
/// # Errors
///
/// Never in practice (writing to memory); a message otherwise.
///
/// # Examples
///
/// ```
/// let raw = mecenat::RawScenario::from_json(r#"{"companies": [{"id": "C1", "name": "X"}]}"#).unwrap();
/// let bytes = _mecenat::state::encode(&raw).unwrap();
/// assert_eq!(_mecenat::state::decode(&bytes).unwrap(), raw);
/// ```
pub fn encode(raw: &RawScenario) -> Result<Vec<u8>, String> {
    let cells: usize = raw
        .tables
        .iter()
        .map(|t| t.rows.iter().map(|r| r.cells.len()).sum::<usize>())
        .sum();
    let mut out = Vec::with_capacity(64 + 24 * cells);
    out.push(b'[');
    text(&mut out, VERSION)?;
    for t in &raw.tables {
        out.extend_from_slice(b",[");
        text(&mut out, &t.name)?;
        out.extend_from_slice(b",[");
        for (i, r) in t.rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'[');
            for (j, (k, v)) in r.cells.iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                text(&mut out, k)?;
                out.push(b',');
                value(&mut out, v)?;
            }
            out.push(b']');
        }
        out.extend_from_slice(b"]]");
    }
    out.push(b']');
    Ok(out)
}

fn bad(what: &str) -> String {
    format!("not a pickled mecenat scenario ({what})")
}

fn raw_value(v: &Value) -> Result<RawValue, String> {
    Ok(match v {
        Value::Null => RawValue::Null,
        Value::Bool(b) => RawValue::Bool(*b),
        Value::Number(n) => RawValue::Int(n.as_i64().ok_or_else(|| bad("an integer"))?),
        Value::String(s) => RawValue::Text(s.clone()),
        Value::Object(o) => {
            let (tag, inner) = o.iter().next().ok_or_else(|| bad("an empty value"))?;
            match (tag.as_str(), inner) {
                ("d", Value::String(s)) => {
                    RawValue::Decimal(Decimal::from_str(s).map_err(|_| bad("a decimal"))?)
                }
                ("t", Value::String(s)) => RawValue::Date(
                    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("a date"))?,
                ),
                ("f", Value::Number(n)) => {
                    RawValue::Float(f64::from_bits(n.as_u64().ok_or_else(|| bad("a float"))?))
                }
                _ => return Err(bad("a tagged value")),
            }
        }
        Value::Array(_) => return Err(bad("a nested value")),
    })
}

/// The raw scenario back from [`encode`]'s bytes.
///
/// # Errors
///
/// When the bytes are not such a scenario.
pub fn decode(bytes: &[u8]) -> Result<RawScenario, String> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| bad(&e.to_string()))?;
    let items = v.as_array().ok_or_else(|| bad("not an array"))?;
    if items.first().and_then(Value::as_str) != Some(VERSION) {
        return Err(bad("unknown version"));
    }
    let mut out = RawScenario::default();
    for t in &items[1..] {
        let (Some(name), Some(rows)) = (
            t.get(0).and_then(Value::as_str),
            t.get(1).and_then(Value::as_array),
        ) else {
            return Err(bad("a table"));
        };
        let mut table = RawTable {
            name: name.to_string(),
            rows: Vec::with_capacity(rows.len()),
        };
        for r in rows {
            let cells = r.as_array().ok_or_else(|| bad("a row"))?;
            if cells.len() % 2 != 0 {
                return Err(bad("a row"));
            }
            let mut row = RawRow {
                cells: Vec::with_capacity(cells.len() / 2),
                sheet: None,
                sheet_row: 0,
            };
            for kv in cells.chunks(2) {
                let key = kv[0].as_str().ok_or_else(|| bad("a key"))?;
                row.cells.push((intern_key(key), raw_value(&kv[1])?));
            }
            table.rows.push(row);
        }
        out.tables.push(table);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_survives() {
        let d = |s: &str| RawValue::Decimal(Decimal::from_str(s).unwrap());
        let raw = RawScenario {
            tables: vec![RawTable {
                name: "t".into(),
                rows: vec![RawRow {
                    cells: vec![
                        (intern_key("a"), RawValue::Null),
                        (intern_key("b"), RawValue::Bool(true)),
                        (intern_key("c"), RawValue::Int(-7)),
                        (intern_key("d"), RawValue::Text("{\"d\": 1}".into())),
                        (intern_key("e"), d("1.50")),
                        (intern_key("f"), d("-0.0000")),
                        (
                            intern_key("g"),
                            RawValue::Date(NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()),
                        ),
                        (intern_key("h"), RawValue::Float(0.1)),
                        (intern_key("amount"), RawValue::Float(f64::NAN)),
                    ],
                    sheet: None,
                    sheet_row: 0,
                }],
            }],
            warnings: Vec::new(),
        };
        let back = decode(&encode(&raw).unwrap()).unwrap();
        let (a, b) = (&raw.tables[0].rows[0].cells, &back.tables[0].rows[0].cells);
        assert_eq!(a.len(), b.len());
        for ((ka, va), (kb, vb)) in a.iter().zip(b) {
            assert_eq!(ka, kb);
            match (va, vb) {
                (RawValue::Float(x), RawValue::Float(y)) => assert_eq!(x.to_bits(), y.to_bits()),
                (RawValue::Decimal(x), RawValue::Decimal(y)) => {
                    assert_eq!(x.to_string(), y.to_string());
                }
                _ => assert_eq!(va, vb),
            }
        }
        assert!(decode(b"[\"other\"]").is_err());
        assert!(decode(b"{}").is_err());
    }
}
