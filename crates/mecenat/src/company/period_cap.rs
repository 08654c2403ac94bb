//! Policy `cap_method = period` (rules-company §1): each employee's retained entries of a
//! calendar month, in a fiscal year under the salary cap, are limited to the multiple ×
//! PMSS of that month; when the limit binds, the month's values are scaled pro rata to
//! their uncapped values, floored to the cent, and the cents left go by largest remainder,
//! ties by date, then beneficiary, then row (the row only when all else is equal), so that
//! the order of the input never moves a cent.

use chrono::Datelike;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::input::scenario::{Giver, Scenario};
use crate::law::{Law, OnDate};
use crate::money::{round_cent, Money};
use crate::report::{EntryReport, PeriodCap, Status};

use super::valuation::{EntryFacts, ValuationLaw};

/// The assumption the report states when the policy is applied.
pub(crate) const ASSUMPTION: &str = "cap_method = period: each employee's retained entries of a calendar month are limited to 3 × PMSS of that month, scaled pro rata (largest remainder to the cent)";

/// Applies the period cap to the valued entries (their facts and lines) in place, and
/// returns the months it scaled down.
///
/// # Errors
///
/// When the PMSS of a month is not known.
pub(crate) fn apply(
    s: &Scenario,
    vl: &ValuationLaw,
    law: &mut Law,
    entries: &mut [EntryReport],
    facts: &mut [Option<EntryFacts>],
) -> Result<Vec<PeriodCap>, Error> {
    let mut scaled_months = Vec::new();
    // (employee, year, month) -> entry indexes (retained, cap in force)
    let mut groups: FxHashMap<(&str, i32, u32), Vec<usize>> = FxHashMap::default();
    for (i, ((e, out), fact)) in s
        .time_entries
        .iter()
        .zip(&*entries)
        .zip(&*facts)
        .enumerate()
    {
        if let (Status::Retained, Some(v), Giver::Employee(id)) = (out.status, fact, &e.giver) {
            if vl.cap_multiple[v.fy].is_some() {
                groups
                    .entry((&**id, e.date.year(), e.date.month()))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort();
    let mut pmss_cache: FxHashMap<(i32, u32), Decimal> = FxHashMap::default();
    for key in keys {
        let idx = &groups[&key];
        let first = idx[0];
        let Some(v0) = &facts[first] else { continue };
        let m = vl.cap_multiple[v0.fy].unwrap_or(Decimal::ZERO);
        let pmss = match pmss_cache.get(&(key.1, key.2)) {
            Some(p) => *p,
            None => {
                let p = law.req((OnDate::Pmss, s.time_entries[first].date))?;
                pmss_cache.insert((key.1, key.2), p);
                p
            }
        };
        let cap = round_cent(m * pmss);
        // In the order that breaks ties: date, beneficiary, then the row (only when
        // everything else is equal), so that the input's order never moves a cent.
        let mut values: Vec<(usize, Decimal)> = idx
            .iter()
            .filter_map(|&i| facts[i].as_ref().map(|v| (i, v.value)))
            .collect();
        values.sort_by(|&(a, _), &(b, _)| {
            let (x, y) = (&s.time_entries[a], &s.time_entries[b]);
            (x.date, &*x.beneficiary, x.row).cmp(&(y.date, &*y.beneficiary, y.row))
        });
        let Some(scaled) = scale_to(cap, &values) else {
            continue;
        };
        scaled_months.push(PeriodCap {
            employee: key.0.to_string(),
            month: format!("{:04}-{:02}", key.1, key.2),
            cap: Money(cap),
            uncapped: Money(values.iter().map(|x| x.1).sum()),
            rows: idx.iter().map(|&i| s.time_entries[i].row).collect(),
        });
        for (i, val) in scaled {
            if let Some(v) = facts[i].as_mut() {
                v.value = val;
            }
            entries[i].value = Some(Money(val));
            entries[i].cost_cap = None;
        }
    }
    Ok(scaled_months)
}

/// `values` (entry index, uncapped value) scaled down to add up to `cap`: pro rata, floored
/// to the cent, the cents left to the largest remainders (ties to the earlier in `values`).
/// `None` when the values already fit under the cap.
fn scale_to(cap: Decimal, values: &[(usize, Decimal)]) -> Option<Vec<(usize, Decimal)>> {
    let sum: Decimal = values.iter().map(|x| x.1).sum();
    if sum <= cap || sum.is_zero() {
        return None;
    }
    let cent = Decimal::new(1, 2);
    let mut shares: Vec<(usize, Decimal, Decimal)> = values
        .iter()
        .map(|&(i, v)| {
            let exact = cap * v / sum;
            let floor = (exact / cent).floor() * cent;
            (i, floor, exact - floor)
        })
        .collect();
    let floors: Decimal = shares.iter().map(|x| x.1).sum();
    let mut left = ((cap - floors) / cent).round();
    // Largest remainder first; ties to the earlier value in `values`' order (stable sort).
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.cmp(&shares[a].2));
    for o in order {
        if left <= Decimal::ZERO {
            break;
        }
        shares[o].1 += cent;
        left -= Decimal::ONE;
    }
    Some(shares.into_iter().map(|(i, v, _)| (i, v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Three equal values over a cap that does not divide by three: the floors leave one
    /// cent, which goes to the first in the tie order (largest remainders tie).
    #[test]
    fn largest_remainder_gives_the_cent_to_the_earliest_row() {
        let out = scale_to(d("100.00"), &[(7, d("50")), (3, d("50")), (9, d("50"))]).unwrap();
        assert_eq!(out, vec![(7, d("33.34")), (3, d("33.33")), (9, d("33.33"))]);
        assert_eq!(out.iter().map(|x| x.1).sum::<Decimal>(), d("100.00"));
    }

    /// The largest remainder wins the cent before an earlier row.
    #[test]
    fn the_largest_remainder_wins() {
        // cap 1.00 over 1 + 2: exact shares 0.3333… and 0.6666…: floors 0.33 + 0.66 = 0.99;
        // the remainders are 0.0033… and 0.0066…: the cent goes to the second.
        let out = scale_to(d("1.00"), &[(1, d("1")), (2, d("2"))]).unwrap();
        assert_eq!(out, vec![(1, d("0.33")), (2, d("0.67"))]);
    }

    #[test]
    fn values_under_the_cap_are_left_alone() {
        assert_eq!(scale_to(d("10"), &[(1, d("4")), (2, d("6"))]), None);
        assert_eq!(scale_to(d("10"), &[]), None);
    }
}
