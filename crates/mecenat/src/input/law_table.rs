//! The scenario's `law` table read against the law book: each row names an embedded
//! parameter ([`Parameters`]) and gives it a dated value of its kind, checked like the
//! embedded files' values; the result is the law's own [`SuppliedValue`]s, which
//! [`Parameters::with_supplied`] merges in.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::raw::{RawRow, RawValue};
use crate::error::{Error, Location};
use crate::law::params::{check_decimal, decimal_text, ParamValue, Parameters, SuppliedValue};

/// The keys of a `law` row, in the order of scenario-format.md.
const LAW_KEYS: [&str; 4] = ["parameter", "since", "value", "reference"];

impl Parameters {
    /// Reads the scenario's `law` table: each row names an embedded parameter, a date, a
    /// value of the parameter's kind and a non-empty reference; two rows for the same
    /// parameter and date are refused.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] naming the table `law`, the row, the key (and the cell for a
    /// workbook) of the first row that cannot be used: an unknown parameter, a missing key,
    /// an empty reference, a date or value that does not parse, a value outside what the
    /// parameter admits, a repeated parameter and date.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = mecenat::RawScenario::from_json(r#"{"law": [
    ///   {"parameter": "pass", "since": "2027-01-01", "value": "49000", "reference": "Arrêté"},
    ///   {"parameter": "pas", "since": "2027-01-01", "value": "49000", "reference": "Arrêté"}]}"#).unwrap();
    /// let p = mecenat::params::Parameters::embedded().unwrap();
    /// let err = p.read_law_table(&raw.tables[0].rows).unwrap_err().to_string();
    /// assert!(err.contains("table law, row 2") && err.contains("pas"), "{err}");
    /// assert_eq!(p.read_law_table(&raw.tables[0].rows[..1]).unwrap()[0].since.to_string(), "2027-01-01");
    /// ```
    pub fn read_law_table(&self, rows: &[RawRow]) -> Result<Vec<SuppliedValue>, Error> {
        let mut out: Vec<SuppliedValue> = Vec::with_capacity(rows.len());
        let mut seen: BTreeMap<(&str, NaiveDate), usize> = BTreeMap::new();
        for (i, row) in rows.iter().enumerate() {
            let v = self.law_row(i + 1, row)?;
            let name = self.get(&v.parameter).map(|p| p.name.as_str())?;
            if let Some(first) = seen.insert((name, v.since), i + 1) {
                return Err(law_error(
                    i + 1,
                    row,
                    "since",
                    format!(
                        "rows {first} and {} both give {} since {}: keep one value per parameter and date",
                        i + 1,
                        v.parameter,
                        v.since
                    ),
                ));
            }
            out.push(v);
        }
        Ok(out)
    }

    /// One row of the `law` table.
    fn law_row(&self, n: usize, row: &RawRow) -> Result<SuppliedValue, Error> {
        let fail = |key: &str, message: String| Err(law_error(n, row, key, message));
        for key in LAW_KEYS {
            if matches!(row.get(key), None | Some(RawValue::Null)) {
                return fail(key, format!("law.{key} is required (the law table's keys: parameter, since, value, reference)"));
            }
        }
        let text = |key: &str| match row.get(key) {
            Some(RawValue::Text(t)) => Some(t.trim().to_string()),
            _ => None,
        };
        let Some(name) = text("parameter") else {
            return fail(
                "parameter",
                "law.parameter must be a parameter's name (text)".into(),
            );
        };
        let Ok(p) = self.get(&name) else {
            let names: Vec<&str> = self.iter().map(|p| p.name.as_str()).collect();
            return fail(
                "parameter",
                format!(
                    "unknown legal parameter {name:?} (mecenat params lists them: {})",
                    names.join(", ")
                ),
            );
        };
        let since = match row.get("since") {
            Some(RawValue::Date(d)) => Some(*d),
            Some(RawValue::Text(t)) if t.trim().len() == 10 => {
                NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok()
            }
            _ => None,
        };
        let Some(since) = since else {
            return fail("since", "law.since must be a date (YYYY-MM-DD)".into());
        };
        let value = match (p.kind.as_str(), row.get("value")) {
            ("text", Some(RawValue::Text(t))) => {
                let t = t.trim();
                if !p.values.iter().any(|v| v.value.to_string() == t) {
                    let known: Vec<String> = p.values.iter().map(|v| v.value.to_string()).collect();
                    return fail(
                        "value",
                        format!("{name} takes one of: {}", known.join(", ")),
                    );
                }
                ParamValue::Text(t.to_string())
            }
            ("text", _) => return fail("value", format!("{name} takes a text value")),
            (_, Some(RawValue::Int(i))) => ParamValue::Decimal(Decimal::from(*i)),
            (_, Some(RawValue::Decimal(d))) => ParamValue::Decimal(*d),
            (_, Some(RawValue::Text(t))) => match decimal_text(t) {
                Some(d) => ParamValue::Decimal(d),
                None => {
                    return fail(
                        "value",
                        format!("law.value of {name} is not a decimal number (write it with a point: \"12.31\")"),
                    )
                }
            },
            (_, Some(RawValue::Float(x))) => {
                return fail("value", format!("law.value is the float {x:?}: write it as a string"))
            }
            _ => return fail("value", format!("law.value of {name} is not a decimal number")),
        };
        if let ParamValue::Decimal(d) = value {
            if let Err(m) = check_decimal(&p.unit, d) {
                return fail("value", format!("{name} ({}): {m}", p.unit));
            }
        }
        let reference = text("reference").unwrap_or_default();
        if reference.is_empty() {
            return fail(
                "reference",
                "law.reference is empty: a legal value without its source (the text, article, decree) is refused".into(),
            );
        }
        Ok(SuppliedValue {
            row: n,
            parameter: p.name.clone(),
            since,
            value,
            reference,
        })
    }
}

/// A whole-scenario error on a row of the `law` table.
fn law_error(n: usize, row: &RawRow, key: &str, message: String) -> Error {
    Error::scenario(
        Location {
            table: Some("law".into()),
            row: Some(n),
            key: Some(key.into()),
            cell: row.cell_ref(key),
            value: row.get(key).map(ToString::to_string),
        },
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn law_rows(json: &str) -> Vec<RawRow> {
        let raw = crate::RawScenario::from_json(&format!(r#"{{"law": {json}}}"#)).unwrap();
        raw.tables[0].rows.clone()
    }

    /// A supplied value dated like an embedded one replaces it; another is added in date
    /// order and extends the known period by a year; both carry their row.
    #[test]
    fn supplied_values_replace_or_add_and_extend_the_known_period() {
        let p = Parameters::embedded().unwrap();
        let rows = law_rows(
            r#"[{"parameter": "pass", "since": "2027-01-01", "value": "49000", "reference": "A 2027"},
                {"parameter": "pass", "since": "2026-01-01", "value": 48000, "reference": "A 2026"}]"#,
        );
        let supplied = p.read_law_table(&rows).unwrap();
        let m = p.with_supplied(&supplied).unwrap();
        let pass = m.get("pass").unwrap();
        assert_eq!(pass.values.len(), p.get("pass").unwrap().values.len() + 1);
        let at = |s| pass.at(d(s)).unwrap();
        assert_eq!(at("2026-06-01").value.to_string(), "48000");
        assert_eq!(at("2026-06-01").supplied_by, Some(2));
        assert_eq!(at("2027-12-31").value.to_string(), "49000");
        assert_eq!(at("2027-12-31").supplied_by, Some(1));
        assert_eq!(at("2025-06-01").supplied_by, None);
        assert_eq!(pass.known_until, Some(d("2027-12-31")));
        assert!(!pass.extrapolated(d("2027-12-31")));
        assert!(pass.extrapolated(d("2028-01-01")));
        // The embedded parameters are untouched.
        assert_eq!(p.get("pass").unwrap().known_until, Some(d("2026-12-31")));
    }

    #[test]
    fn law_rows_are_checked_like_the_embedded_files() {
        let p = Parameters::embedded().unwrap();
        // The row of fte_hours 1607 since 2027-01-01, with one key changed.
        let row = |key: &str, value: serde_json::Value| {
            let mut r = serde_json::json!({"parameter": "fte_hours", "since": "2027-01-01",
                                           "value": "1607", "reference": "r"});
            r[key] = value;
            law_rows(&format!("[{r}]"))
        };
        assert!(p.read_law_table(&row("value", "1607".into())).is_ok());
        let j = serde_json::Value::from;
        for (key, value, want) in [
            ("value", j("5.5"), "ok"),
            ("value", j("0"), "positive"),
            ("value", j("-3"), "not a decimal"),
            ("value", j("1e3"), "not a decimal"),
            ("value", j("1000000000000001"), "at most 10^15"),
            ("value", serde_json::Value::Bool(true), "not a decimal"),
            ("since", j("01/01/2027"), "since must be a date"),
            ("since", j("2027-1-1"), "since must be a date"),
            (
                "reference",
                serde_json::Value::from(12),
                "reference is empty",
            ),
            ("parameter", j("regime"), "takes one of"),
        ] {
            let got = p.read_law_table(&row(key, value.clone()));
            if want == "ok" {
                assert!(got.is_ok(), "{key} {value}: {got:?}");
                continue;
            }
            let e = got.unwrap_err().to_string();
            assert!(
                e.contains(want) && e.contains("table law, row 1"),
                "{key} {value}: {e}"
            );
        }
        let years = law_rows(
            r#"[{"parameter": "donations_carry_years", "since": "2027-12-31", "value": "5.5", "reference": "r"}]"#,
        );
        let e = p.read_law_table(&years).unwrap_err().to_string();
        assert!(e.contains("whole"), "{e}");
    }
}
