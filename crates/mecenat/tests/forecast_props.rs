//! Properties of the forecast (rules-company §8) on random companies: the excess carried at
//! the last closing is used or expires (nothing else); each projected year's closing is its
//! opening plus gifts minus what is retained and what expires, and the next year opens with
//! it; and projecting `same_gifts_each_year` gives, year by year, the figures of a scenario
//! that really contains those five years with those gifts.

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn money(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not money: {v}"))).unwrap()
}

/// One company, 1-3 calendar fiscal years from 2021 (the 2020 regime on), a turnover and,
/// per year, gifts to an ordinary beneficiary and to an aid one (cents), and an opening
/// balance.
fn company() -> impl Strategy<Value = (Value, usize, u64, Vec<(u64, u64)>)> {
    (
        1usize..4,
        100_000_000u64..1_000_000_000_000u64,
        prop::collection::vec((0u64..20_000_000_000u64, 0u64..5_000_000_000u64), 3),
        prop::option::of(1u64..10_000_000_000u64),
    )
        .prop_map(|(n, turnover, gifts, opening)| {
            let mut fys = Vec::new();
            let mut donations = Vec::new();
            for (i, (std, aid)) in gifts.iter().take(n).enumerate() {
                let y = 2021 + i;
                fys.push(json!({"company": "C1", "start": format!("{y}-01-01"), "end": format!("{y}-12-31"),
                                "turnover": cents(turnover)}));
                for (b, a) in [("A1", *std), ("A2", *aid)] {
                    if a > 0 {
                        donations.push(json!({"company": "C1", "beneficiary": b, "date": format!("{y}-06-01"), "amount": cents(a)}));
                    }
                }
            }
            let mut s = json!({
                "companies": [{"id": "C1", "name": "Alpha"}],
                "fiscal_years": fys,
                "beneficiaries": [{"id": "A1", "name": "Ordinaire"},
                                  {"id": "A2", "name": "Aide", "aid_to_people_in_difficulty": true}],
                "donations": donations,
            });
            if let Some(o) = opening {
                s["carryforwards"] = json!([{"company": "C1", "kind": "donations", "origin_end": "2019-12-31", "amount": cents(o)}]);
            }
            (s, n, turnover, gifts.into_iter().take(n).collect())
        })
}

fn cents(c: u64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn report(s: &Value) -> Value {
    let sc = mecenat::Scenario::from_json(&s.to_string()).expect("valid scenario");
    let r = mecenat::compute(&sc, &mecenat::Options::default()).expect("computes");
    serde_json::to_value(&r).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn carried_excess_is_used_or_expires_and_years_chain(c in company()) {
        let (s, _, _, _) = c;
        let r = report(&s);
        let forecasts = r["forecast"].as_array().unwrap();
        prop_assert_eq!(forecasts.len(), 2);
        let last = r["fiscal_years"].as_array().unwrap().last().unwrap().clone();
        for f in forecasts {
            let start = money(&f["carried_at_start"]);
            prop_assert_eq!(start, money(&last["donations_carried_closing"]));
            prop_assert_eq!(money(&f["carried_used"]) + money(&f["carried_expired"]), start, "{}", f);
            let years = f["years"].as_array().unwrap();
            prop_assert_eq!(years.len(), 5);
            let mut opening = start;
            for y in years {
                prop_assert_eq!(money(&y["opening"]), opening);
                let closing = money(&y["opening"]) + money(&y["gifts"]) - money(&y["retained_current"])
                    - money(&y["retained_carried"]) - money(&y["expired"]);
                prop_assert_eq!(money(&y["closing"]), closing, "{}", y);
                prop_assert!(money(&y["retained_current"]) + money(&y["retained_carried"]) <= money(&last["ceiling"]));
                opening = closing;
            }
        }
    }

    #[test]
    fn same_gifts_each_year_is_what_five_more_years_would_give(c in company()) {
        let (s, n, turnover, gifts) = c;
        let r = report(&s);
        let f = r["forecast"].as_array().unwrap().iter()
            .find(|f| f["assumption"] == "same_gifts_each_year").unwrap().clone();
        // The same company with five more years, each given the last year's gifts.
        let mut longer = s.clone();
        let (std, aid) = gifts[n - 1];
        for i in 0..5 {
            let y = 2021 + n + i;
            longer["fiscal_years"].as_array_mut().unwrap().push(json!({"company": "C1",
                "start": format!("{y}-01-01"), "end": format!("{y}-12-31"), "turnover": cents(turnover)}));
            for (b, a) in [("A1", std), ("A2", aid)] {
                if a > 0 {
                    longer["donations"].as_array_mut().unwrap().push(json!({"company": "C1", "beneficiary": b,
                        "date": format!("{y}-06-01"), "amount": cents(a)}));
                }
            }
        }
        let real = report(&longer);
        let real_years = &real["fiscal_years"].as_array().unwrap()[n..];
        for (p, y) in f["years"].as_array().unwrap().iter().zip(real_years) {
            prop_assert_eq!(&p["end"], &y["end"]);
            prop_assert_eq!(money(&p["gifts"]), money(&y["donations"]["total"]));
            prop_assert_eq!(money(&p["retained_current"]), money(&y["retained_current"]));
            prop_assert_eq!(money(&p["retained_carried"]), money(&y["retained_carried"]));
            prop_assert_eq!(money(&p["reduction"]), money(&y["reduction"]), "{} {}", p, y);
            prop_assert_eq!(money(&p["expired"]), money(&y["donations_expired"]));
            prop_assert_eq!(money(&p["closing"]), money(&y["donations_carried_closing"]));
        }
    }
}
