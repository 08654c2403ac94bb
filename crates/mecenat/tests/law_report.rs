//! The law table in the report (issue 11, items 1 and 2): supplied values cited with their
//! row in the JSON, listed apart in the text summary, announced in the warnings (used or
//! not); a date past a parameter's known period says how to supply the real value.

use std::path::Path;

fn case_scenario(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cases")
        .join(format!("{name}.json"));
    let case: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    case["scenario"].clone()
}

fn compute(scenario: &serde_json::Value) -> mecenat::Report {
    let s = mecenat::Scenario::from_json(&scenario.to_string()).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

#[test]
fn supplied_values_are_cited_with_their_row_and_listed_apart() {
    let r = compute(&case_scenario("c24_law_pass_2027_above_cap"));
    let json: serde_json::Value = serde_json::from_str(&r.to_json().unwrap()).unwrap();
    let refs = json["references"].as_array().unwrap();
    let supplied: Vec<_> = refs
        .iter()
        .filter(|x| x.get("supplied_by").is_some())
        .collect();
    assert_eq!(supplied.len(), 1, "{refs:?}");
    assert_eq!(supplied[0]["parameter"], "pass");
    assert_eq!(supplied[0]["value"], "49000");
    assert_eq!(supplied[0]["since"], "2027-01-01");
    assert_eq!(
        supplied[0]["supplied_by"],
        serde_json::json!({"table": "law", "row": 1})
    );
    // The library's own values carry no supplied_by at all.
    assert!(refs.len() > 5);
    let text = r.to_text();
    assert!(
        text.contains("Valeurs légales fournies par le scénario (table law) :\n  pass = 49000 depuis le 01/01/2027 (ligne 1) — source : Arrêté du 19 décembre 2026"),
        "{text}"
    );
}

#[test]
fn a_supplied_value_no_date_reaches_is_warned_of_and_not_cited() {
    let mut s = case_scenario("c24_law_pass_2027_above_cap");
    s["law"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"parameter": "pass", "since": "2028-01-01", "value": "50000", "reference": "Arrêté 2028"}));
    let r = compute(&s);
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("row 1") && r.warnings[0].contains("was used"));
    assert!(
        r.warnings[1].starts_with("law table, row 2: pass = 50000 since 2028-01-01")
            && r.warnings[1].contains("not used"),
        "{:?}",
        r.warnings
    );
    assert!(!r.references.iter().any(|x| x.value == "50000"));
    assert!(!r.to_text().contains("50000 depuis"));
}

#[test]
fn a_replaced_value_says_which_library_value_it_replaced() {
    let r = compute(&case_scenario("c25_law_replaces_embedded_value"));
    assert!(
        r.warnings[0].contains("in place of the library's value 48060"),
        "{:?}",
        r.warnings
    );
    let pass: Vec<_> = r
        .references
        .iter()
        .filter(|x| x.parameter == "pass")
        .collect();
    assert_eq!(pass.len(), 1);
    assert_eq!(pass[0].value, "48000");
}

#[test]
fn an_extrapolated_value_says_how_to_supply_the_real_one() {
    let mut s = case_scenario("c26_law_smic_2027_volunteers");
    s.as_object_mut().unwrap().remove("law");
    let r = compute(&s);
    let w: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.starts_with("smic_hourly: no value is known after 2026-12-31"))
        .collect();
    // One warning for the two dates past the known period (2027-01-12 and 2027-01-13).
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert!(w[0].contains("the last value, 12.31 since 2026-06-01, was used"));
    assert!(w[0].contains("law table (sheet Loi of the workbook) with parameter smic_hourly"));
    // 4 h and 3.5 h at 12.31: 49.24 + 43.09 (43.085 rounded half away from zero).
    assert_eq!(
        r.beneficiaries[1].value_cvn.as_ref().unwrap().0.to_string(),
        "92.33"
    );
}
