//! One reading of text cells in every face (issue 12, item 4): the demo scenario written
//! with French text forms (`1 234,50` with no-break spaces, `0,5`, `31/12/2025`) gives the
//! same report as JSON strings and as Excel text cells, and the same report as the demo in
//! the international forms (`1234.50`, `2025-12-31`). An ambiguous text (`1.234,56`) is
//! refused alike in both faces, with its cell in Excel.

use std::path::Path;

use mecenat::{RawScenario, RawValue};
use mecenat_xlsx::{read_scenario_bytes, Limits};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// The keys holding numbers and dates (the `settings` value too when it is a number).
const NUMBER_KEYS: &[&str] = &[
    "turnover",
    "tax_due",
    "amount",
    "rate",
    "years_left",
    "annual_gross_salary",
    "annual_employer_charges",
    "annual_working_days",
    "annual_working_hours",
    "hours_per_day",
    "days",
    "hours",
    "value",
    "quantity",
];
const DATE_KEYS: &[&str] = &["start", "end", "origin_end", "from", "date"];

/// The demo, with an opening balance and a setting whose value is a number, so that every
/// kind of numeric cell is there.
fn demo_json() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/scenario.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["carryforwards"] = serde_json::json!([{"company": "OCTET", "kind": "donations",
        "origin_end": "2024-12-31", "amount": "12500.00", "rate": "0.60", "years_left": "4"}]);
    v["settings"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"key": "fte_hours", "value": "1607"}));
    v
}

/// A decimal in the French form: thousands separated by no-break spaces, a comma.
fn french_number(t: &str) -> String {
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// The scenario with every number and date as French text.
fn frenchified(v: &Value) -> (Value, usize) {
    let mut out = v.clone();
    let mut changed = 0;
    for (table, rows) in out.as_object_mut().unwrap() {
        for row in rows.as_array_mut().unwrap() {
            for (k, cell) in row.as_object_mut().unwrap() {
                let Some(t) = cell.as_str() else { continue };
                let number = NUMBER_KEYS.contains(&k.as_str())
                    && (table != "settings" || t.bytes().all(|b| b.is_ascii_digit()));
                let new = if number
                    && t.bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
                {
                    french_number(t)
                } else if DATE_KEYS.contains(&k.as_str()) {
                    let (y, m, d) = (&t[0..4], &t[5..7], &t[8..10]);
                    format!("{d}/{m}/{y}")
                } else {
                    continue;
                };
                if new != t {
                    changed += 1;
                    *cell = Value::String(new);
                }
            }
        }
    }
    (out, changed)
}

/// A workbook with one sheet per table, English headers, every cell written as text
/// (booleans as booleans).
fn text_workbook(raw: &RawScenario) -> Vec<u8> {
    let mut wb = Workbook::new();
    for t in &raw.tables {
        let ws = wb.add_worksheet();
        ws.set_name(&t.name).unwrap();
        let mut keys: Vec<&str> = Vec::new();
        for row in &t.rows {
            for (k, _) in &row.cells {
                if !keys.contains(&k.as_ref()) {
                    keys.push(k);
                }
            }
        }
        for (c, k) in keys.iter().enumerate() {
            ws.write_string(0, c as u16, *k).unwrap();
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (k, v) in &row.cells {
                let c = keys.iter().position(|x| x == k).unwrap() as u16;
                let r = r as u32 + 1;
                match v {
                    RawValue::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    RawValue::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    RawValue::Null => Ok(()),
                    other => panic!("{k}: {other:?} is not text"),
                }
                .unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The JSON report, its row counts in table order (they follow the input's order, and a
/// JSON object here has its tables sorted by name).
fn report(raw: &RawScenario) -> (Value, mecenat::Report) {
    let s = mecenat::Scenario::from_raw(raw).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let mut v = serde_json::to_value(&r).unwrap();
    let pos = |t: &Value| t["table"].as_str().and_then(mecenat::raw::table_index);
    let inputs = v["inputs"].as_array_mut().unwrap();
    // A workbook has a sheet for every table, the JSON only the tables it names: the
    // empty ones (e.g. the law sheet) are read as 0 rows.
    inputs.retain(|i| i["rows"] != 0);
    inputs.sort_by_key(pos);
    (v, r)
}

fn raw_of(v: &Value) -> RawScenario {
    RawScenario::from_json(&v.to_string()).unwrap()
}

#[test]
fn the_same_data_gives_the_same_report_as_json_strings_and_as_excel_text_cells() {
    let demo = demo_json();
    let (french, changed) = frenchified(&demo);
    // Every time entry's date and quantity, and the pay rows, amounts and dates.
    assert!(changed > 3000, "{changed} cells rewritten");
    let text = french.to_string();
    assert!(text.contains("21\u{a0}480\u{a0}000,00") && text.contains("31/12/2025"));
    let (want, r) = report(&raw_of(&demo));
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let (from_json, _) = report(&raw_of(&french));
    assert!(from_json == want, "French JSON strings give another report");
    let book = text_workbook(&raw_of(&french));
    let from_excel = read_scenario_bytes(&book, &Limits::default()).unwrap();
    let (from_excel, _) = report(&from_excel);
    assert!(from_excel == want, "Excel text cells give another report");
    // The French JSON written into the template (`mecenat template --from`): its numbers
    // and dates become number and date cells, and read back the same.
    let filled = mecenat_xlsx::scenario_bytes(&raw_of(&french), mecenat_xlsx::Lang::Fr).unwrap();
    let back = read_scenario_bytes(&filled, &Limits::default()).unwrap();
    let days = back
        .tables
        .iter()
        .find(|t| t.name == "time_entries")
        .and_then(|t| t.rows.iter().find_map(|r| r.get("days")))
        .cloned();
    assert!(matches!(days, Some(RawValue::Decimal(_))), "{days:?}");
    let (from_template, _) = report(&back);
    assert!(
        from_template == want,
        "the filled template gives another report: {:?}",
        mecenat::golden::compare(&want, &from_template)
    );
}

#[test]
fn an_ambiguous_text_is_refused_alike_with_its_cell_in_excel() {
    let json = serde_json::json!({
        "donations": [
            {"company": "C1", "beneficiary": "A1", "date": "02/01/2025", "amount": "1 234,50"},
            {"company": "C1", "beneficiary": "A1", "date": "2025-01-03", "amount": "1.234,56"},
            {"company": "C1", "beneficiary": "A1", "date": "2025-01-04", "amount": "1,234"}
        ],
        "time_entries": [
            {"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "days": "un"}
        ]
    });
    let from_json = mecenat::Scenario::from_raw(&raw_of(&json)).unwrap();
    let book = text_workbook(&raw_of(&json));
    let from_excel =
        mecenat::Scenario::from_raw(&read_scenario_bytes(&book, &Limits::default()).unwrap())
            .unwrap();
    let (a, b) = (from_json.rejections(), from_excel.rejections());
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(b.len(), 3, "{b:?}");
    for (x, y) in a.iter().zip(b) {
        assert_eq!(
            (&x.table, x.row, x.kind, &x.key, &x.value, &x.reason),
            (&y.table, y.row, y.kind, &y.key, &y.value, &y.reason)
        );
        assert!(x.cell.is_none());
    }
    // serde_json sorts keys: amount is column A, days column C.
    let find = |list: &[mecenat::Rejection], table: &str, row: usize| {
        list.iter()
            .find(|r| r.table == table && r.row == row)
            .cloned()
            .unwrap_or_else(|| panic!("no rejection of {table} row {row}: {list:?}"))
    };
    let (j, x) = (find(a, "donations", 2), find(b, "donations", 2));
    assert_eq!(j.kind.code(), "not_a_number");
    assert!(
        j.reason.contains("ambiguous") && j.reason.contains("1.234,56"),
        "{j:?}"
    );
    assert_eq!(x.cell.as_deref(), Some("donations!A3"));
    let (j, x) = (find(a, "donations", 3), find(b, "donations", 3));
    assert!(
        j.reason.contains("ambiguous") && j.reason.contains("\"1,234\""),
        "{j:?}"
    );
    assert_eq!(x.cell.as_deref(), Some("donations!A4"));
    // The quantity's hint speaks of days, not of money.
    let (j, x) = (find(a, "time_entries", 1), find(b, "time_entries", 1));
    assert!(
        j.reason.contains("number of days") && !j.reason.contains("euros"),
        "{j:?}"
    );
    assert_eq!(x.cell.as_deref(), Some("time_entries!C2"));
    // The first donation, read alike: 1234.50 on 2 January 2025.
    assert_eq!(from_json.donations.len(), 1);
    assert_eq!(from_excel.donations.len(), 1);
    for s in [&from_json, &from_excel] {
        assert_eq!(s.donations[0].amount.to_string(), "1234.50");
        assert_eq!(s.donations[0].date.to_string(), "2025-01-02");
    }
}
