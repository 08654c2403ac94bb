//! The raw scenario: tables of rows of untyped cells, as read from JSON, Excel or Python,
//! before validation.
//!
//! Every face (JSON reader, Excel importer, Python bindings) produces a [`RawScenario`];
//! [`Scenario::from_raw`](crate::Scenario::from_raw) validates it once, the same way for
//! all three. A face that knows where a row came from (an Excel sheet and row) attaches a
//! [`SheetInfo`], so that rejections name the cell (`Temps!C42`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::Error;

/// The tables of a scenario, in the order of scenario-format.md, with their keys.
pub const TABLES: &[(&str, &[&str])] = &[
    (
        "companies",
        &["id", "name", "siren", "legal_form", "address"],
    ),
    (
        "fiscal_years",
        &["company", "start", "end", "turnover", "tax_due", "label"],
    ),
    (
        "carryforwards",
        &[
            "company",
            "kind",
            "origin_end",
            "amount",
            "rate",
            "years_left",
        ],
    ),
    (
        "beneficiaries",
        &[
            "id",
            "name",
            "siren",
            "rna",
            "address",
            "object",
            "category",
            "eligible",
            "aid_to_people_in_difficulty",
            "cvn_method",
            "cvn_factor",
        ],
    ),
    (
        "employees",
        &[
            "id",
            "company",
            "name",
            "from",
            "annual_gross_salary",
            "annual_employer_charges",
            "annual_working_days",
            "annual_working_hours",
            "hours_per_day",
        ],
    ),
    (
        "time_entries",
        &[
            "employee",
            "volunteer",
            "beneficiary",
            "date",
            "days",
            "hours",
            "project",
            "activity",
            "status",
        ],
    ),
    (
        "donations",
        &[
            "company",
            "beneficiary",
            "date",
            "amount",
            "kind",
            "description",
        ],
    ),
    (
        "counterparts",
        &["company", "beneficiary", "date", "value", "description"],
    ),
    ("bench", &["employee", "start", "end"]),
    ("rates", &["id", "unit", "amount", "activity", "from"]),
    (
        "outputs",
        &["beneficiary", "date", "unit", "quantity", "project"],
    ),
    ("settings", &["key", "value"]),
];

/// Position of a table in [`TABLES`] (the order rejections are listed in).
pub fn table_index(name: &str) -> Option<usize> {
    TABLES.iter().position(|(t, _)| *t == name)
}

/// The allowed keys of a table.
pub fn table_keys(name: &str) -> Option<&'static [&'static str]> {
    TABLES.iter().find(|(t, _)| *t == name).map(|(_, k)| *k)
}

/// A column key; known keys are interned (no allocation).
pub type Key = Cow<'static, str>;

/// Whether two keys are equal: the same interned text, or the same bytes (compared inline:
/// keys are short, and rows are looked up by the million).
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.bytes().zip(b.bytes()).all(|(x, y)| x == y))
}

/// Interns a key: the static string when it is a known key of any table.
pub fn intern_key(k: &str) -> Key {
    for (_, keys) in TABLES {
        if let Some(s) = keys.iter().find(|s| **s == k) {
            return Cow::Borrowed(s);
        }
    }
    Cow::Owned(k.to_string())
}

/// One untyped cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// Absent (JSON `null`, an empty Excel cell, Python `None`).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// An exact decimal (from Python `Decimal`, or an Excel number converted once).
    Decimal(Decimal),
    /// A date (from an Excel date cell or Python `datetime.date`).
    Date(NaiveDate),
    /// A binary floating-point number: always refused where money or quantities go.
    Float(f64),
}

impl fmt::Display for RawValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawValue::Null => f.write_str("null"),
            RawValue::Bool(b) => write!(f, "{b}"),
            RawValue::Int(i) => write!(f, "{i}"),
            RawValue::Text(t) => f.write_str(t),
            RawValue::Decimal(d) => write!(f, "{d}"),
            RawValue::Date(d) => write!(f, "{d}"),
            RawValue::Float(x) => write!(f, "{x:?}"),
        }
    }
}

/// Where the rows of one table came from in a workbook: sheet name and column letters.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetInfo {
    /// The sheet's name as the user sees it (`Temps`).
    pub sheet: String,
    /// For each key, the column letters (`C`).
    pub columns: Vec<(Key, String)>,
}

/// One input row: its cells, and where it came from when the face knows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRow {
    /// The cells, in input order.
    pub cells: Vec<(Key, RawValue)>,
    /// The sheet the row was read from, if any.
    pub sheet: Option<Arc<SheetInfo>>,
    /// The 1-based row number in that sheet.
    pub sheet_row: u32,
}

impl RawRow {
    /// The value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.cells
            .iter()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| v)
    }

    /// The Excel cell of a key (`Temps!C42`), when the row came from a sheet.
    pub fn cell_ref(&self, key: &str) -> Option<String> {
        let s = self.sheet.as_ref()?;
        let (_, col) = s.columns.iter().find(|(k, _)| k == key)?;
        Some(format!("{}!{}{}", s.sheet, col, self.sheet_row))
    }
}

/// One table: its name and rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTable {
    /// Table name (`time_entries`).
    pub name: String,
    /// Rows in input order.
    pub rows: Vec<RawRow>,
}

/// A whole raw scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawScenario {
    /// Tables in input order.
    pub tables: Vec<RawTable>,
    /// Warnings of the face that read the input (hidden Excel sheets or rows imported…),
    /// copied into the report's warnings.
    pub warnings: Vec<String>,
}

impl RawScenario {
    /// Reads a scenario from JSON text.
    ///
    /// The top level is an object whose members are tables (arrays of row objects).
    /// Values are kept untyped; JSON floats are kept as [`RawValue::Float`] so that
    /// validation can refuse them naming table, row and key.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when the text is not JSON, its top level is not an object, a table
    /// is not an array of objects, a key repeats in a row, or a value is nested.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = mecenat::RawScenario::from_json(r#"{"companies": [{"id": "C1", "name": "X"}]}"#).unwrap();
    /// assert_eq!(raw.tables[0].rows.len(), 1);
    /// assert!(mecenat::RawScenario::from_json("[1]").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<RawScenario, Error> {
        Self::from_json_slice(text.as_bytes())
    }

    /// Reads a scenario from JSON bytes (see [`RawScenario::from_json`]).
    ///
    /// # Errors
    ///
    /// As [`RawScenario::from_json`].
    pub fn from_json_slice(bytes: &[u8]) -> Result<RawScenario, Error> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let tables = de
            .deserialize_map(ScenarioVisitor)
            .and_then(|t| de.end().map(|()| t))
            .map_err(|e| Error::Json {
                message: e.to_string(),
            })?;
        Ok(RawScenario {
            tables,
            warnings: Vec::new(),
        })
    }
}

struct ScenarioVisitor;

impl<'de> Visitor<'de> for ScenarioVisitor {
    type Value = Vec<RawTable>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object whose members are tables (arrays of row objects)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tables: Vec<RawTable> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            if tables.iter().any(|t| t.name == name) {
                return Err(de::Error::custom(format!("table {name:?} appears twice")));
            }
            let rows = map.next_value_seed(RowsSeed(&name))?;
            tables.push(RawTable { name, rows });
        }
        Ok(tables)
    }
}

struct RowsSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = Vec<RawRow>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = Vec<RawRow>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "table {:?} as an array of row objects", self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        // Cells are read into one scratch list, then each row gets exactly its own.
        let mut scratch = Vec::with_capacity(16);
        while let Some(cells) =
            seq.next_element_seed(RowSeed(self.0, rows.len() + 1, &mut scratch))?
        {
            rows.push(RawRow {
                cells,
                sheet: None,
                sheet_row: 0,
            });
        }
        Ok(rows)
    }
}

struct RowSeed<'a>(&'a str, usize, &'a mut Vec<(Key, RawValue)>);

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Vec<(Key, RawValue)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Vec<(Key, RawValue)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "row {} of table {:?} as an object", self.1, self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cells = self.2;
        cells.clear();
        while let Some(k) = map.next_key::<KeyDe>()? {
            if cells.iter().any(|(c, _)| *c == k.0) {
                return Err(de::Error::custom(format!(
                    "key {:?} repeats in row {} of table {:?}",
                    k.0, self.1, self.0
                )));
            }
            let v = map.next_value::<ValueDe>()?;
            cells.push((k.0, v.0));
        }
        let mut row = Vec::with_capacity(cells.len());
        row.append(cells);
        Ok(row)
    }
}

struct KeyDe(Key);

impl<'de> de::Deserialize<'de> for KeyDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyDe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyDe, E> {
                Ok(KeyDe(intern_key(v)))
            }
        }
        d.deserialize_str(V)
    }
}

struct ValueDe(RawValue);

impl<'de> de::Deserialize<'de> for ValueDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ValueDe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, integer, boolean or null (no nested arrays or objects)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueDe, E> {
                Ok(ValueDe(match i64::try_from(v) {
                    Ok(i) => RawValue::Int(i),
                    Err(_) => RawValue::Decimal(Decimal::from(v)),
                }))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Float(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Text(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Text(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Null))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_of_every_kind() {
        let raw = RawScenario::from_json(
            r#"{"t": [{"a": "x", "b": 3, "c": 1.5, "d": true, "e": null, "f": 18446744073709551615}]}"#,
        )
        .unwrap();
        let row = &raw.tables[0].rows[0];
        assert_eq!(row.get("a"), Some(&RawValue::Text("x".into())));
        assert_eq!(row.get("b"), Some(&RawValue::Int(3)));
        assert_eq!(row.get("c"), Some(&RawValue::Float(1.5)));
        assert_eq!(row.get("d"), Some(&RawValue::Bool(true)));
        assert_eq!(row.get("e"), Some(&RawValue::Null));
        assert!(matches!(row.get("f"), Some(RawValue::Decimal(_))));
    }

    #[test]
    fn structural_problems_are_json_errors() {
        for bad in [
            "[]",
            r#"{"t": {}}"#,
            r#"{"t": [1]}"#,
            r#"{"t": [{"a": [1]}]}"#,
            r#"{"t": [{"a": 1, "a": 2}]}"#,
            r#"{"t": [], "t": []}"#,
            r#"{"t": [{"a": 1}"#,
            r#"{"t": []} x"#,
        ] {
            assert!(
                matches!(RawScenario::from_json(bad), Err(Error::Json { .. })),
                "{bad}"
            );
        }
    }
}
