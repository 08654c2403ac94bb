//! Property tests over random scenarios: conservation of donations, of carried excesses
//! and of unused reductions; the reduction never exceeds 60 % of what is retained; no row
//! disappears.

use std::collections::BTreeMap;
use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn money(v: &Value) -> Decimal {
    d(v.as_str().unwrap_or_else(|| panic!("not money: {v}")))
}

/// A random scenario: 1-2 companies, 1-7 contiguous fiscal years each, up to 3
/// beneficiaries, 4 employees, 40 entries (some unusable), 6 donations, opening balances.
fn scenario() -> impl Strategy<Value = Value> {
    (
        2018i32..2024,
        1usize..8,
        prop::collection::vec((0u64..3_000_000_000u64, prop::option::of(0u64..5_000_000u64)), 7),
        prop::collection::vec((any::<bool>(), any::<bool>()), 3),
        prop::collection::vec((20_000u64..250_000u64, any::<bool>(), 0u32..3), 4),
        prop::collection::vec((0usize..5, 0usize..3, 0i64..2900, 1u32..16, any::<bool>(), any::<bool>()), 0..40),
        prop::collection::vec((0usize..3, 0i64..2900, 1u64..300_000_000u64), 0..6),
        prop::collection::vec((any::<bool>(), 1u64..50_000_000u64, 0i32..8, prop::option::of(1u32..6)), 0..3),
        any::<bool>(),
    )
        .prop_map(|(y0, nfy, fin, bens, emps, ents, dons, cfs, period)| {
            let companies = json!([{"id": "C1", "name": "Alpha"}, {"id": "C2", "name": "Beta"}]);
            let mut fys = Vec::new();
            for c in ["C1", "C2"] {
                for (i, (turnover, tax)) in fin.iter().take(nfy).enumerate() {
                    let y = y0 + i32::try_from(i).unwrap();
                    let mut fy = json!({"company": c, "start": format!("{y}-01-01"), "end": format!("{y}-12-31"),
                                        "turnover": format!("{}.{:02}", turnover / 100, turnover % 100)});
                    if let Some(t) = tax {
                        fy["tax_due"] = json!(format!("{t}"));
                    }
                    fys.push(fy);
                }
            }
            let beneficiaries: Vec<Value> = bens
                .iter()
                .enumerate()
                .map(|(i, (eligible, aid))| json!({"id": format!("A{i}"), "name": format!("Asso {i}"),
                                                   "eligible": eligible, "aid_to_people_in_difficulty": aid}))
                .collect();
            let employees: Vec<Value> = emps
                .iter()
                .enumerate()
                .map(|(i, (salary, days, hpd))| {
                    let mut e = json!({"id": format!("E{i}"), "company": if i % 2 == 0 { "C1" } else { "C2" },
                        "annual_gross_salary": format!("{salary}"), "annual_employer_charges": format!("{}", salary * 45 / 100)});
                    if *days { e["annual_working_days"] = json!("218") } else { e["annual_working_hours"] = json!("1607") }
                    if *hpd > 0 { e["hours_per_day"] = json!(format!("{}", 6 + hpd)) }
                    e
                })
                .collect();
            let base = chrono::NaiveDate::from_ymd_opt(y0, 1, 1).unwrap();
            let time_entries: Vec<Value> = ents
                .iter()
                .map(|(emp, ben, day, q, hours, refused)| {
                    // emp 4 does not exist: a rejection; dates may fall after the last fiscal year.
                    let date = base + chrono::Duration::days(*day);
                    let mut e = json!({"employee": format!("E{emp}"), "beneficiary": format!("A{ben}"), "date": date.to_string()});
                    if *hours { e["hours"] = json!(format!("{}", q)) } else { e["days"] = json!(format!("{}.{}", q / 8, (q % 8) * 125 / 10)) }
                    if *refused { e["status"] = json!("refused") }
                    e
                })
                .filter(|e| e.get("days").is_none_or(|d| d != "0.0"))
                .collect();
            let donations: Vec<Value> = dons
                .iter()
                .map(|(ben, day, amount)| json!({"company": "C1", "beneficiary": format!("A{ben}"),
                    "date": (base + chrono::Duration::days(*day)).to_string(), "amount": format!("{}.{:02}", amount / 100, amount % 100)}))
                .collect();
            let carryforwards: Vec<Value> = cfs
                .iter()
                .map(|(red, amount, back, left)| {
                    let mut c = json!({"company": "C1", "kind": if *red { "reduction" } else { "donations" },
                        "origin_end": format!("{}-12-31", y0 - 1 - back), "amount": format!("{}.{:02}", amount / 100, amount % 100)});
                    if let Some(l) = left { c["years_left"] = json!(l) }
                    c
                })
                .collect();
            json!({"companies": companies, "fiscal_years": fys, "beneficiaries": beneficiaries, "employees": employees,
                   "time_entries": time_entries, "donations": donations, "carryforwards": carryforwards,
                   "settings": [{"key": "cap_method", "value": if period { "period" } else { "rate" }}]})
        })
}

fn report_of(s: &Value) -> (mecenat::Report, Value) {
    let sc = mecenat::Scenario::from_json(&s.to_string()).expect("valid random scenario");
    let r = mecenat::compute(&sc, &mecenat::Options::default()).expect("computes");
    let v = serde_json::to_value(&r).unwrap();
    (r, v)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn donations_are_retained_or_carried(s in scenario()) {
        let (_, v) = report_of(&s);
        for fy in v["fiscal_years"].as_array().unwrap() {
            let total = money(&fy["donations"]["total"]);
            prop_assert_eq!(total, money(&fy["retained_current"]) + money(&fy["excess"]), "{}", fy);
            let buckets = money(&fy["donations"]["aid60"]) + money(&fy["donations"]["std60"]) + money(&fy["donations"]["std40"]);
            prop_assert_eq!(total, buckets);
            prop_assert!(money(&fy["retained_current"]) + money(&fy["retained_carried"]) <= money(&fy["ceiling"]));
            let retained = money(&fy["retained_current"]) + money(&fy["retained_carried"]);
            let reduction = money(&fy["reduction"]);
            // Per-rate rounding can add at most half a cent per rate.
            prop_assert!(reduction <= retained * d("0.60") + d("0.01"), "reduction {} retained {}", reduction, retained);
            let by_rate: Decimal = fy["reduction_by_rate"].as_object().unwrap().values().map(money).sum();
            prop_assert_eq!(reduction, by_rate);
            if let (Some(tax), Some(used)) = (fy["tax_due"].as_str(), fy["reduction_used"].as_str()) {
                prop_assert!(d(used) <= d(tax));
            }
        }
    }

    #[test]
    fn carried_amounts_are_used_expired_or_still_carried(s in scenario()) {
        let (r, _) = report_of(&s);
        for ledger in [&r.donations_ledger, &r.reduction_ledger] {
            // Per line: opening + added = used + expired + closing.
            for l in ledger.iter() {
                prop_assert_eq!(l.opening.0 + l.added.0, l.used.0 + l.expired.0 + l.closing.0, "{:?}", l);
            }
            // Per origin: what was carried is used, expired, or still carried at the end.
            // Several lots may share an origin (two opening balances of the same year): sum
            // what comes in during the first fiscal year the origin appears in, and what is
            // left after the last one.
            #[derive(Default)]
            struct Flow { first: Option<String>, last: String, carried: Decimal, used: Decimal, expired: Decimal, left: Decimal }
            let mut per: BTreeMap<(String, String, String), Flow> = BTreeMap::new();
            for l in ledger.iter() {
                let k = (l.company.clone(), l.origin.clone() + &l.origin_end.to_string(), format!("{:?}", l.rate));
                let f = per.entry(k).or_default();
                if f.first.is_none() { f.first = Some(l.fiscal_year.clone()); }
                if f.first.as_deref() == Some(l.fiscal_year.as_str()) { f.carried += l.opening.0; }
                f.carried += l.added.0;
                if f.last != l.fiscal_year { f.last = l.fiscal_year.clone(); f.left = Decimal::ZERO; }
                f.left += l.closing.0;
                f.used += l.used.0;
                f.expired += l.expired.0;
            }
            for (k, f) in per {
                prop_assert_eq!(f.carried, f.used + f.expired + f.left, "{:?}", k);
            }
        }
        // The fiscal-year figures agree with the ledgers.
        for fy in &r.fiscal_years {
            let lines = r.donations_ledger.iter().filter(|l| l.company == fy.company && l.fiscal_year == fy.label);
            let (mut used, mut expired, mut closing) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for l in lines { used += l.used.0; expired += l.expired.0; closing += l.closing.0; }
            prop_assert_eq!(used, fy.retained_carried.0);
            prop_assert_eq!(expired, fy.donations_expired.0);
            prop_assert_eq!(closing, fy.donations_carried_closing.0);
        }
    }

    #[test]
    fn no_row_disappears(s in scenario()) {
        let (r, _) = report_of(&s);
        let n_entries = s["time_entries"].as_array().unwrap().len();
        prop_assert_eq!(r.entries.len(), n_entries);
        let rejected_entries = r.entries.iter().filter(|e| e.status == mecenat::report::Status::Rejected).count();
        prop_assert_eq!(rejected_entries, r.rejected.iter().filter(|x| x.table == "time_entries").count());
        prop_assert_eq!(r.gifts.len(), s["donations"].as_array().unwrap().len());
        for input in &r.inputs {
            let rows = s[input.table.as_str()].as_array().map_or(0, Vec::len);
            prop_assert_eq!(input.rows, rows);
            prop_assert!(input.rejected <= rows);
        }
        // Retained entry values add up to the year's staff time, cent for cent.
        for fy in &r.fiscal_years {
            let sum: Decimal = r.entries.iter()
                .filter(|e| e.status == mecenat::report::Status::Retained && e.company.as_deref() == Some(&fy.company) && e.fiscal_year.as_deref() == Some(&fy.label))
                .map(|e| e.value.unwrap().0).sum();
            prop_assert_eq!(sum, fy.donations.staff_time.0);
        }
        // Receipts' in-kind equals staff time + in-kind gifts per company and year.
        for fy in &r.fiscal_years {
            let receipts: Decimal = r.receipts.iter().filter(|x| x.company == fy.company && x.fiscal_year == fy.label).map(|x| x.staff_time.0).sum();
            prop_assert_eq!(receipts, fy.donations.staff_time.0);
        }
    }
}

/// The generator reaches every interesting situation, so the properties above are not
/// vacuous: excess, carried use, 40 % tranche, expiry, reduction carried, rejections.
#[test]
fn generator_covers_the_interesting_cases() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = BTreeMap::<&str, usize>::new();
    for _ in 0..300 {
        let s = scenario().new_tree(&mut runner).unwrap().current();
        let (r, _) = report_of(&s);
        for fy in &r.fiscal_years {
            let mut hit = |k, b: bool| *seen.entry(k).or_default() += usize::from(b);
            hit("excess", !fy.excess.0.is_zero());
            hit("carried used", !fy.retained_carried.0.is_zero());
            hit("std40", !fy.donations.std40.0.is_zero());
            hit("aid60", !fy.donations.aid60.0.is_zero());
            hit("expired", !fy.donations_expired.0.is_zero());
            hit(
                "reduction carried",
                fy.reduction_carried_closing.is_some_and(|x| !x.0.is_zero()),
            );
            hit("staff time", !fy.donations.staff_time.0.is_zero());
        }
        *seen.entry("rejected").or_default() += usize::from(!r.rejected.is_empty());
    }
    for k in [
        "excess",
        "carried used",
        "std40",
        "aid60",
        "expired",
        "reduction carried",
        "staff time",
        "rejected",
    ] {
        assert!(
            seen.get(k).copied().unwrap_or(0) > 0,
            "the generator never produced {k}: {seen:?}"
        );
    }
}
