//! Large numbers never crash (issue 14, item 3): the demo scenario with each money or
//! quantity field set, on every row of its table, to 79228162514264337593543950335 (the
//! largest decimal), 10²⁶, 10¹⁵ (just above the amount bound), 99999999999999.99 (just
//! under it) and the largest value within the field's own bound, through the JSON report,
//! the report workbook and the PDF receipts. Each run must end with exit 0, 1 or 2 and no
//! panic; a value beyond its bound is rejected naming the key and the bound.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_mecenat");

/// Values beyond every bound, then near the amount bound.
const HUGE: &[&str] = &[
    "79228162514264337593543950335",
    "100000000000000000000000000",
    "1000000000000000",
    "99999999999999.99",
];

/// (table, key, the largest value within the key's bound).
const FIELDS: &[(&str, &str, &str)] = &[
    ("fiscal_years", "turnover", "999999999999999.99"),
    ("fiscal_years", "tax_due", "999999999999999.99"),
    ("carryforwards", "amount", "999999999999999.99"),
    // Within its bounds and one of the rates the law has had (0.60 or 0.40).
    ("carryforwards", "rate", "0.60"),
    ("beneficiaries", "cvn_factor", "9.9999"),
    ("employees", "annual_gross_salary", "999999999999999.99"),
    ("employees", "annual_employer_charges", "999999999999999.99"),
    ("employees", "annual_working_days", "1"),
    ("employees", "annual_working_hours", "1"),
    ("employees", "hours_per_day", "24"),
    ("time_entries", "days", "999999.9999"),
    ("time_entries", "hours", "999999.9999"),
    ("donations", "amount", "999999999999999.99"),
    ("counterparts", "value", "999999999999999.99"),
    ("rates", "amount", "999999999999999.99"),
    ("outputs", "quantity", "999999.9999"),
];

fn demo() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/scenario.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Sets `key` to `value` on every row of `table` of `s` (the first beneficiary's for
/// `cvn_factor`, with the method that reads it; an opening balance is added for
/// `carryforwards`).
fn set(s: &mut Value, table: &str, key: &str, value: &str) {
    if table == "carryforwards" && s.get(table).is_none() {
        s["carryforwards"] = json!([{"company": "OCTET", "kind": "donations",
            "origin_end": "2024-12-31", "amount": "1000"}]);
    }
    let rows = s[table].as_array_mut().unwrap();
    for (i, r) in rows.iter_mut().enumerate() {
        let r = r.as_object_mut().unwrap();
        match key {
            "annual_working_days" | "annual_working_hours" => {
                r.remove("annual_working_days");
                r.remove("annual_working_hours");
            }
            "days" | "hours" => {
                r.remove("days");
                r.remove("hours");
            }
            "cvn_factor" if i == 0 => {
                r.insert("cvn_method".into(), json!("smic_loaded"));
            }
            "cvn_factor" => continue,
            _ => {}
        }
        r.insert(key.into(), json!(value));
    }
}

fn with_value(table: &str, key: &str, value: &str) -> Value {
    let mut s = demo();
    set(&mut s, table, key, value);
    s
}

/// The money and quantity fields at the largest value within their bounds, at once (the
/// annual working days and the rates left as they are: with them too, the time would be
/// worth more than a report holds, which the next test checks).
fn everything_at_the_bound() -> Value {
    let mut s = demo();
    for (table, key, max) in FIELDS {
        if !matches!(
            *key,
            "annual_working_days" | "annual_working_hours" | "hours"
        ) && *table != "rates"
        {
            set(&mut s, table, key, max);
        }
    }
    s
}

struct Run {
    code: i32,
    stderr: String,
    stdout: String,
}

/// Starts the command (the three commands of a case run side by side).
fn start(args: &[&str]) -> std::process::Child {
    Command::new(BIN)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: std::process::Child) -> Run {
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// Runs the JSON report, the workbook and the receipts on `s`; the JSON run's report or
/// error (stdout, stderr).
fn all_commands(s: &Value, dir: &Path, name: &str, failures: &mut Vec<String>) -> Run {
    let input = dir.join(format!("{name}.json"));
    std::fs::write(&input, s.to_string()).unwrap();
    let i = input.to_str().unwrap();
    let xlsx = dir.join(format!("{name}.xlsx"));
    let receipts = dir.join(format!("{name}_receipts"));
    let children = [
        ("compute json", start(&["compute", i, "--format", "json"])),
        (
            "compute xlsx",
            start(&["compute", i, "-o", xlsx.to_str().unwrap()]),
        ),
        (
            "receipts",
            start(&["receipts", i, "-o", receipts.to_str().unwrap()]),
        ),
    ];
    let runs = children.map(|(what, c)| (what, finish(c)));
    let mut first = None;
    for (what, r) in runs {
        if !(0..=2).contains(&r.code) || r.stderr.contains("panicked") {
            failures.push(format!("{name}: {what} exit {}: {}", r.code, r.stderr));
        }
        first.get_or_insert(r);
    }
    first.unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn huge_values_are_rejected_with_their_bound_never_a_panic() {
    let dir = scratch("large_numbers");
    let mut failures = Vec::new();
    for (table, key, max) in FIELDS {
        for (n, v) in HUGE.iter().chain(std::iter::once(max)).enumerate() {
            let name = format!("{table}.{key}.{n}");
            let r = all_commands(&with_value(table, key, v), &dir, &name, &mut failures);
            if r.code != 0 {
                continue;
            }
            let report: Value = serde_json::from_str(&r.stdout).unwrap();
            let own = report["rejected"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["table"] == *table && x["key"] == *key);
            let beyond = v != max && !(*v == "99999999999999.99" && max.len() > 12);
            match (beyond, own) {
                (true, None) => failures.push(format!("{name}: {v} not rejected")),
                (true, Some(x)) => {
                    let reason = x["reason"].as_str().unwrap();
                    if !reason.contains(key)
                        || !(reason.contains("below") || reason.contains("between"))
                    {
                        failures.push(format!("{name}: reason without its bound: {reason}"));
                    }
                }
                (false, Some(x)) => {
                    failures.push(format!("{name}: {v} within bounds rejected: {x}"))
                }
                (false, None) => {}
            }
        }
    }
    let r = all_commands(
        &everything_at_the_bound(),
        &dir,
        "everything",
        &mut failures,
    );
    if r.code != 0 {
        failures.push(format!(
            "everything at the bound: exit {}: {}",
            r.code, r.stderr
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn time_worth_beyond_a_report_is_refused_not_overflowed() {
    // Each row within its bounds, their worst-case sum beyond the 10^24 € a report is
    // guaranteed to hold: 60 entries of 999,999 days (counted as 24 hours) at 10^15 € a
    // year over 1 working day. (These 60 would still fit in a decimal; about 1.6 million
    // such entries would overflow it, which the bound prevents: see mecenat::bounds.)
    let mut s = demo();
    for r in s["employees"].as_array_mut().unwrap() {
        r["annual_gross_salary"] = json!("999999999999999.99");
        r.as_object_mut().unwrap().remove("annual_working_hours");
        r["annual_working_days"] = json!("1");
    }
    let entries = s["time_entries"].as_array_mut().unwrap();
    entries.truncate(60);
    for e in entries.iter_mut() {
        e.as_object_mut().unwrap().remove("hours");
        e["days"] = json!("999999");
    }
    let dir = scratch("large_sums");
    let mut failures = Vec::new();
    let r = all_commands(&s, &dir, "sum", &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("10^24"), "{}", r.stderr);
}
