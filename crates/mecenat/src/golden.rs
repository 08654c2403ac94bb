//! Golden cases as data: a case is a scenario and the part of the report it expects
//! (report-format.md, "Golden cases"). Users can keep their own cases next to their data and
//! check them the way the project checks its own.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// Compares an expected subset of a report with the report, as report-format.md says:
/// objects on the keys the case names (recursively), arrays element by element with the
/// same length, decimals as numbers (`"16500"` equals `"16500.00"`). Returns one message
/// per difference, naming its path (`.fiscal_years[0].reduction`).
///
/// # Examples
///
/// ```
/// use serde_json::json;
/// let report = json!({"fiscal_years": [{"reduction": "16500.00", "tax_due": null}]});
/// assert!(mecenat::golden::compare(&json!({"fiscal_years": [{"reduction": "16500"}]}), &report).is_empty());
/// let diff = mecenat::golden::compare(&json!({"fiscal_years": [{"tax_due": "0"}]}), &report);
/// assert_eq!(diff, vec![".fiscal_years[0].tax_due: expected \"0\", got null".to_string()]);
/// ```
pub fn compare(expect: &Value, actual: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    walk(expect, actual, "", &mut errors);
    errors
}

fn walk(expect: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expect, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => walk(v, av, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k}: missing in the report")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!(
                    "{path}: expected {} elements, the report has {}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(ev, av, &format!("{path}[{i}]"), errors);
            }
        }
        (Value::String(e), Value::String(a)) => {
            let same = match (Decimal::from_str(e), Decimal::from_str(a)) {
                (Ok(x), Ok(y)) => x == y,
                _ => e == a,
            };
            if !same {
                errors.push(format!("{path}: expected {e:?}, got {a:?}"));
            }
        }
        (e, a) => {
            if e != a {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

/// Runs one golden case (`{"name", "source", "scenario", "expect"}`) through the core:
/// reads the scenario, computes the report with the default options, and compares.
///
/// # Errors
///
/// The list of differences, or a single message when the case is malformed or its
/// scenario is refused.
pub fn run_case(case: &Value) -> Result<(), Vec<String>> {
    let scenario = case
        .get("scenario")
        .ok_or_else(|| vec!["the case has no \"scenario\"".to_string()])?;
    let expect = case
        .get("expect")
        .ok_or_else(|| vec!["the case has no \"expect\"".to_string()])?;
    let s = crate::Scenario::from_json(&scenario.to_string())
        .map_err(|e| vec![format!("scenario refused: {e}")])?;
    let report = crate::compute(&s, &crate::Options::default())
        .map_err(|e| vec![format!("computation failed: {e}")])?;
    let actual = serde_json::to_value(&report).map_err(|e| vec![e.to_string()])?;
    let diff = compare(expect, &actual);
    if diff.is_empty() {
        Ok(())
    } else {
        Err(diff)
    }
}
