//! Receipt data (issue 12, item 1): the `payment_method` column and its refusals, the
//! `recognition_decree` and aid mentions carried to the receipt, the numbering per
//! beneficiary and year with its prefix, and the identity warnings in the report.

use mecenat::scenario::{PaymentMethod, RejectionKind};
use serde_json::{json, Value};

fn compute(v: &Value) -> mecenat::Report {
    let s = mecenat::Scenario::from_json(&v.to_string()).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

fn base(donations: Value) -> Value {
    json!({
        "companies": [{"id": "C1", "name": "Octet Conseil", "siren": "552100554"}],
        "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                          "turnover": "2000000"}],
        "beneficiaries": [{"id": "A1", "name": "Élan", "category": "public_utility",
                           "recognition_decree": "1985-03-12",
                           "aid_to_people_in_difficulty": true}],
        "donations": donations
    })
}

#[test]
fn payment_methods_go_to_the_receipt_with_each_gift_s_date() {
    let r = compute(&base(json!([
        {"company": "C1", "beneficiary": "A1", "date": "2025-06-01", "amount": "300",
         "payment_method": "transfer"},
        {"company": "C1", "beneficiary": "A1", "date": "2025-02-15", "amount": "200",
         "payment_method": "cheque"},
        {"company": "C1", "beneficiary": "A1", "date": "2025-09-30", "amount": "50"},
        {"company": "C1", "beneficiary": "A1", "date": "2025-04-01", "amount": "700",
         "kind": "in_kind", "description": "Ordinateurs"}
    ])));
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let rc = &r.receipts[0];
    // 300 + 200 + 50 in cash; the in-kind gift is not a cash gift.
    assert_eq!(rc.cash.0.to_string(), "550");
    let gifts: Vec<(String, String, Option<PaymentMethod>)> = rc
        .cash_gifts
        .iter()
        .map(|g| (g.date.to_string(), g.amount.0.to_string(), g.payment_method))
        .collect();
    assert_eq!(
        gifts,
        [
            (
                "2025-02-15".into(),
                "200".into(),
                Some(PaymentMethod::Cheque)
            ),
            (
                "2025-06-01".into(),
                "300".into(),
                Some(PaymentMethod::Transfer)
            ),
            ("2025-09-30".into(), "50".into(), None),
        ]
    );
    assert!(rc.beneficiary_aid_to_people_in_difficulty);
    assert_eq!(
        rc.beneficiary_recognition_decree.map(|d| d.to_string()),
        Some("1985-03-12".into())
    );
    let js: Value = serde_json::from_str(&r.to_json().unwrap()).unwrap();
    assert_eq!(
        js["receipts"][0]["cash_gifts"][0]["payment_method"],
        "cheque"
    );
    assert_eq!(
        js["receipts"][0]["cash_gifts"][2]["payment_method"],
        Value::Null
    );
    assert_eq!(js["receipts"][0]["number"], "2025-0001");
}

#[test]
fn an_unknown_payment_method_is_rejected_with_its_row_and_value() {
    let r = compute(&base(json!([
        {"company": "C1", "beneficiary": "A1", "date": "2025-06-01", "amount": "300",
         "payment_method": "card"},
        {"company": "C1", "beneficiary": "A1", "date": "2025-06-02", "amount": "100"}
    ])));
    assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
    let x = &r.rejected[0];
    assert_eq!((x.table.as_str(), x.row), ("donations", 1));
    assert_eq!(x.kind, RejectionKind::NotInList);
    assert_eq!(x.kind.code(), "not_in_list");
    assert_eq!(x.key.as_deref(), Some("payment_method"));
    assert_eq!(x.value.as_deref(), Some("card"));
    assert!(
        x.reason.contains("cash_in_hand, cheque, transfer, other"),
        "{}",
        x.reason
    );
    // The rejected gift is not on the receipt: 100 only.
    assert_eq!(r.receipts[0].cash.0.to_string(), "100");
}

#[test]
fn a_payment_method_on_an_in_kind_gift_is_rejected() {
    let r = compute(&base(json!([
        {"company": "C1", "beneficiary": "A1", "date": "2025-06-01", "amount": "300",
         "kind": "in_kind", "description": "Chaises", "payment_method": "cheque"}
    ])));
    assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
    let x = &r.rejected[0];
    assert_eq!(x.kind, RejectionKind::NotApplicable);
    assert_eq!(x.kind.code(), "not_applicable");
    assert_eq!(x.key.as_deref(), Some("payment_method"));
    assert!(x.reason.contains("cash gift only"), "{}", x.reason);
    assert!(r.receipts.is_empty());
}

/// Two companies, two fiscal years of C1, two beneficiaries: numbers per beneficiary and
/// year, in the order of the periods' ends, then of the companies.
fn numbering_scenario(prefix: Option<&str>) -> Value {
    let gift = |c: &str, b: &str, d: &str| json!({"company": c, "beneficiary": b, "date": d, "amount": "100"});
    let mut v = json!({
        "companies": [{"id": "C1", "name": "Octet"}, {"id": "C2", "name": "Bit"}],
        "fiscal_years": [
            {"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000"},
            {"company": "C1", "start": "2026-01-01", "end": "2026-12-31", "turnover": "1000000"},
            {"company": "C2", "start": "2024-07-01", "end": "2025-06-30", "turnover": "1000000"}
        ],
        "beneficiaries": [{"id": "A1", "name": "Élan"}, {"id": "A2", "name": "Vague"}],
        "donations": [
            gift("C1", "A1", "2025-03-01"), gift("C1", "A2", "2025-03-01"),
            gift("C1", "A1", "2026-03-01"), gift("C2", "A1", "2025-01-10")
        ]
    });
    if let Some(p) = prefix {
        v["settings"] = json!([{"key": "receipt_prefix", "value": p}]);
    }
    v
}

#[test]
fn receipts_are_numbered_per_beneficiary_and_year() {
    let r = compute(&numbering_scenario(None));
    let got: Vec<(&str, &str, &str, &str)> = r
        .receipts
        .iter()
        .map(|x| {
            (
                x.company.as_str(),
                x.fiscal_year.as_str(),
                x.beneficiary.as_str(),
                x.number.as_str(),
            )
        })
        .collect();
    // A1 in 2025: C2's year ends on 2025-06-30, before C1's (2025-12-31): 0001, then 0002.
    assert_eq!(
        got,
        [
            ("C1", "2025", "A1", "2025-0002"),
            ("C1", "2025", "A2", "2025-0001"),
            ("C1", "2026", "A1", "2026-0001"),
            ("C2", "2025", "A1", "2025-0001"),
        ]
    );
    // Stable: the same numbers at every run.
    let again = compute(&numbering_scenario(None));
    let numbers = |r: &mecenat::Report| -> Vec<String> {
        r.receipts.iter().map(|x| x.number.clone()).collect()
    };
    assert_eq!(numbers(&r), numbers(&again));
    let prefixed = compute(&numbering_scenario(Some("ELAN-")));
    assert_eq!(
        numbers(&prefixed),
        [
            "ELAN-2025-0002",
            "ELAN-2025-0001",
            "ELAN-2026-0001",
            "ELAN-2025-0001"
        ]
    );
}

#[test]
fn a_bad_receipt_prefix_is_rejected() {
    let r = compute(&numbering_scenario(Some("reçu n° ")));
    assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
    assert_eq!(r.rejected[0].table, "settings");
    assert_eq!(r.rejected[0].kind, RejectionKind::InvalidSetting);
    assert_eq!(r.receipts[0].number, "2025-0002");
}

#[test]
fn identity_warnings_are_in_the_report() {
    let mut v = base(json!([]));
    v["companies"][0]["siren"] = json!("552100555");
    v["beneficiaries"][0]["rna"] = json!("W75100000");
    let r = compute(&v);
    let w: Vec<&String> = r
        .warnings
        .iter()
        .filter(|w| w.contains("is not a"))
        .collect();
    assert_eq!(w.len(), 2, "{:?}", r.warnings);
    assert!(w[0].starts_with("companies row 1, key siren: \"552100555\" is not a SIREN"));
    assert!(w[1].starts_with("beneficiaries row 1, key rna: \"W75100000\" is not an RNA"));
}
