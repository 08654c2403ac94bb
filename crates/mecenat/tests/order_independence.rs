//! Issue 14, item 14: with the period policy, which entry receives a rounding cent must not
//! depend on the order of the rows. The same entries, reversed or rotated, get the same
//! value per date.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn values_by_date(scenario: &Value) -> BTreeMap<String, String> {
    let s = mecenat::Scenario::from_json(&scenario.to_string()).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    r.entries
        .iter()
        .map(|e| {
            let date = e.date.map(|d| d.to_string()).unwrap_or_default();
            (date, e.value.map(|v| v.0.to_string()).unwrap_or_default())
        })
        .collect()
}

#[test]
fn the_period_caps_cents_follow_the_dates_not_the_rows() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("fixtures/cases/c01_period_cap.json")).unwrap(),
    )
    .unwrap();
    let scenario = case["scenario"].clone();
    let entries = scenario["time_entries"].as_array().unwrap().clone();
    // One entry per date: the values by date say who got the cents.
    let want = values_by_date(&scenario);
    assert_eq!(want.len(), entries.len());
    let mut reversed = scenario.clone();
    reversed["time_entries"] = Value::Array(entries.iter().rev().cloned().collect());
    assert_eq!(values_by_date(&reversed), want, "reversed rows");
    for k in [3, 11, 17] {
        let mut rotated = scenario.clone();
        let mut e = entries.clone();
        e.rotate_left(k);
        rotated["time_entries"] = Value::Array(e);
        assert_eq!(values_by_date(&rotated), want, "rows rotated by {k}");
    }
}
