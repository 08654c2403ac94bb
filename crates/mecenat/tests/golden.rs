//! Runs every golden case of `../shared/cases/`, `../shared/spec/examples/` and
//! `fixtures/cases/`, and every bad input
//! of `fixtures/bad/`, through the core.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Case files of a directory, sorted. Panics when the directory is missing or empty: a
/// runner that finds no case must not pass.
fn case_files(dir: &Path, suffix: &str, exclude: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.ends_with(suffix) && (exclude.is_empty() || !n.ends_with(exclude))
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no case in {}", dir.display());
    v
}

fn run_case(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let case: Value = serde_json::from_str(&text).unwrap();
    mecenat::golden::run_case(&case).err().unwrap_or_default()
}

fn run_dir(dir: &Path) -> usize {
    let files = case_files(dir, ".json", "");
    let mut failures = Vec::new();
    for f in &files {
        let errs = run_case(f);
        if !errs.is_empty() {
            failures.push(format!("{}:\n  {}", f.display(), errs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn shared_golden_cases() {
    let n = run_dir(&repo().join("../shared/cases"));
    assert!(n >= 11, "expected the 11 shared cases, found {n}");
}

/// The spec's worked examples (in the golden-case format), such as the planning example.
#[test]
fn spec_examples() {
    let n = run_dir(&repo().join("../shared/spec/examples"));
    assert!(n >= 1, "expected the spec's examples, found {n}");
}

#[test]
fn own_golden_cases() {
    run_dir(&repo().join("fixtures/cases"));
}

#[test]
fn compare_is_not_vacuous() {
    use mecenat::golden::compare;
    use serde_json::json;
    assert!(compare(
        &json!({"a": "1.0", "b": [1, 2]}),
        &json!({"a": "1.00", "b": [1, 2], "z": 0})
    )
    .is_empty());
    assert_eq!(
        compare(&json!({"a": "1.01"}), &json!({"a": "1.00"})).len(),
        1
    );
    assert_eq!(compare(&json!({"b": [1]}), &json!({"b": [1, 2]})).len(), 1);
    assert_eq!(compare(&json!({"c": null}), &json!({"c": "0.00"})).len(), 1);
    assert_eq!(compare(&json!({"d": 1}), &json!({})).len(), 1);
    assert_eq!(compare(&json!({"e": "x"}), &json!({"e": "y"})).len(), 1);
}

#[test]
fn bad_inputs_give_their_specific_error_or_rejection() {
    let dir = repo().join("fixtures/bad");
    let mut failures = Vec::new();
    let files = case_files(&dir, ".expect.json", "");
    for exp_path in &files {
        let name = exp_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".expect.json", "");
        let expect: Value =
            serde_json::from_str(&std::fs::read_to_string(exp_path).unwrap()).unwrap();
        let input = std::fs::read(dir.join(format!("{name}.json"))).unwrap();
        let result = mecenat::RawScenario::from_json_slice(&input)
            .and_then(|raw| mecenat::Scenario::from_raw(&raw))
            .and_then(|s| mecenat::compute(&s, &mecenat::Options::default()));
        let subs = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        };
        match (expect.get("error"), expect.get("rejected"), result) {
            (Some(want), _, Err(e)) => {
                let msg = e.to_string();
                for s in subs(want) {
                    if !msg.contains(&s) {
                        failures.push(format!("{name}: error {msg:?} lacks {s:?}"));
                    }
                }
            }
            (Some(_), _, Ok(r)) => failures.push(format!(
                "{name}: expected an error, got a report with {} rejections",
                r.rejected.len()
            )),
            (None, Some(want), Ok(r)) => {
                // One entries line per input time entry, rejected ones included.
                // (A UTF-8 byte order mark, which the reader skips, is not JSON to serde.)
                let text = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&input);
                let input: Value = serde_json::from_slice(text).unwrap();
                let rows = input
                    .get("time_entries")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                if r.entries.len() != rows {
                    failures.push(format!(
                        "{name}: {rows} time entries in, {} entries lines out",
                        r.entries.len()
                    ));
                }
                for (i, e) in r.entries.iter().enumerate() {
                    if e.row != i + 1 {
                        failures.push(format!("{name}: entries line {i} has row {}", e.row));
                    }
                }
                let want = want.as_array().unwrap();
                if want.len() != r.rejected.len() {
                    failures.push(format!(
                        "{name}: expected {} rejections, got {:?}",
                        want.len(),
                        r.rejected
                    ));
                    continue;
                }
                for (w, got) in want.iter().zip(&r.rejected) {
                    if w["table"] != got.table.as_str() || w["row"] != got.row {
                        failures.push(format!("{name}: expected rejection {w}, got {got:?}"));
                    }
                    // Every expected rejection names its stable kind.
                    match w["kind"].as_str() {
                        Some(k) if k == got.kind.code() => {}
                        Some(k) => failures.push(format!(
                            "{name}: expected kind {k:?}, got {:?}",
                            got.kind.code()
                        )),
                        None => failures.push(format!("{name}: the expectation names no kind")),
                    }
                    let text = format!("{} {:?} {:?}", got.reason, got.key, got.value);
                    for s in subs(&w["contains"]) {
                        if !text.contains(&s) {
                            failures.push(format!("{name}: rejection {text:?} lacks {s:?}"));
                        }
                    }
                }
            }
            (None, _, Err(e)) => {
                failures.push(format!("{name}: expected rejections, got error {e}"))
            }
            (None, None, Ok(_)) => failures.push(format!(
                "{name}: expect file names neither error nor rejected"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} bad inputs misbehave:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_scenario_without_fiscal_years_rejects_its_rows_instead_of_failing() {
    let s = mecenat::Scenario::from_json(
        r#"{"companies": [{"id": "C1", "name": "X"}], "beneficiaries": [{"id": "A1", "name": "A"}],
            "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "1", "annual_employer_charges": "1", "annual_working_days": "218"}],
            "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}],
            "carryforwards": [{"company": "C1", "kind": "donations", "origin_end": "2024-12-31", "amount": "10"}]}"#,
    )
    .unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert!(r.fiscal_years.is_empty());
    assert_eq!(r.rejected.len(), 2, "{:?}", r.rejected);
    assert!(
        r.rejected[0].reason.contains("no fiscal year"),
        "{:?}",
        r.rejected[0]
    );
    assert!(
        r.rejected[1].reason.contains("outside every fiscal year"),
        "{:?}",
        r.rejected[1]
    );
}
