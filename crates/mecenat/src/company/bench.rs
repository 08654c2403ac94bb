//! Bench (intercontract) economics per company and fiscal year (rules-company §7 and the
//! definitions of report-format.md).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;

use crate::input::resolve::World;
use crate::input::scenario::{Basis, Giver, PayRow, Rejection};
use crate::money::{round_cent, Money, Qty};
use crate::report::{BenchReport, EntryReport, FiscalYearReport, Status};

use super::valuation::{entry_value, EntryFacts};

/// What the bench economics read of the valuation and the company years.
pub(crate) struct Valued<'a> {
    pub(crate) entries: &'a [EntryReport],
    pub(crate) facts: &'a [Option<EntryFacts>],
    /// Per fiscal year (index): the reduction earned by the year's own donations.
    pub(crate) own_reduction: &'a [Decimal],
    pub(crate) default_hpd: Decimal,
}

fn weekdays(a: NaiveDate, b: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    a.iter_days()
        .take_while(move |d| *d <= b)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

/// Uncapped daily cost of a pay row.
fn daily_cost(p: &PayRow, default_hpd: Decimal) -> Decimal {
    match p.basis {
        Basis::Days(a) => p.annual_cost() / a,
        Basis::Hours(a) => p.annual_cost() * p.hours_per_day_or(default_hpd) / a,
    }
}

/// Each employee's bench periods, merged: overlapping, adjacent or repeated periods become
/// one (each day once), sorted by start. Periods of an unknown employee are rejected.
fn merged_bench<'s>(
    w: &World<'s>,
    rejected: &mut Vec<Rejection>,
) -> HashMap<&'s str, Vec<(NaiveDate, NaiveDate)>> {
    let s = w.scenario;
    let mut periods: HashMap<&str, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for bp in &s.bench {
        if !w.pay_of.contains_key(bp.employee.as_str()) {
            rejected.push(Rejection {
                table: "bench".into(),
                row: bp.row,
                reason: format!("unknown employee {:?}", bp.employee),
                kind: crate::input::scenario::RejectionKind::UnknownEmployee,
                cell: s.cell_of("bench", bp.row, "employee"),
                key: Some("employee".into()),
                value: Some(bp.employee.clone()),
            });
            continue;
        }
        periods
            .entry(bp.employee.as_str())
            .or_default()
            .push((bp.start, bp.end));
    }
    for list in periods.values_mut() {
        list.sort_unstable();
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(list.len());
        for &(a, b) in list.iter() {
            match merged.last_mut() {
                Some(last) if a <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *list = merged;
    }
    periods
}

/// Bench economics per company and fiscal year (rules-company.md §7, report-format.md):
/// bench days (weekdays of the merged periods, each once, in the fiscal year of the company
/// of the pay row in force that day) and their cost (Σ of each day's rounded uncapped daily
/// cost); donated days and value (retained entries inside the periods); the reduction
/// attributable; the net cost (Σ of the donated entries' uncapped values − that reduction).
pub(crate) fn bench(
    w: &World,
    valued: &Valued<'_>,
    fy_reports: &[FiscalYearReport],
    rejected: &mut Vec<Rejection>,
) -> Vec<BenchReport> {
    let s = w.scenario;
    if s.bench.is_empty() {
        return Vec::new();
    }
    let periods = merged_bench(w, rejected);
    // Per fiscal year: bench days and their cost.
    let mut days: HashMap<usize, (Decimal, Decimal)> = HashMap::new();
    // A day outside every fiscal year counts nowhere: the walk is clipped to their span, so
    // that a period typed as 0001-01-01..9999-12-31 costs no more than the years given.
    let span = (
        s.fiscal_years.iter().map(|f| f.start).min(),
        s.fiscal_years.iter().map(|f| f.end).max(),
    );
    let (Some(first), Some(last)) = span else {
        return Vec::new();
    };
    for (emp, list) in &periods {
        let rows = &w.pay_of[emp];
        for &(a, b) in list {
            for d in weekdays(a.max(first), b.min(last)) {
                let Some(p) = w.pay_at(rows, d).map(|i| &s.employees[i]) else {
                    continue;
                };
                let Some(fyi) = w
                    .company_idx
                    .get(p.company.as_str())
                    .and_then(|&c| w.fy_of(c, d))
                else {
                    continue;
                };
                let slot = days.entry(fyi).or_default();
                slot.0 += Decimal::ONE;
                slot.1 += round_cent(daily_cost(p, valued.default_hpd));
            }
        }
    }
    // Donated days inside bench periods: (days, retained value, uncapped value).
    let mut donated: HashMap<usize, (Decimal, Decimal, Decimal)> = HashMap::new();
    for ((te, e), fact) in s.time_entries.iter().zip(valued.entries).zip(valued.facts) {
        let (Some(f), Status::Retained, Giver::Employee(id)) = (fact, e.status, &te.giver) else {
            continue;
        };
        let Some(list) = periods.get(&**id) else {
            continue;
        };
        let k = list.partition_point(|p| p.0 <= te.date);
        if k == 0 || list[k - 1].1 < te.date {
            continue;
        }
        let pay = &s.employees[f.pay];
        let slot = donated.entry(f.fy).or_default();
        slot.0 += f.days;
        slot.1 += f.value;
        slot.2 += entry_value(
            pay,
            te.quantity,
            pay.annual_cost(),
            pay.hours_per_day_or(valued.default_hpd),
        );
    }
    let mut out = Vec::new();
    for (c, fys) in w.fys_of.iter().enumerate() {
        for &fyi in fys {
            let (bd, bc) = days.get(&fyi).copied().unwrap_or_default();
            let (dd, dv, uncapped) = donated.get(&fyi).copied().unwrap_or_default();
            if bd.is_zero() && dd.is_zero() {
                continue;
            }
            let fy = &s.fiscal_years[fyi];
            let year = fy_reports
                .iter()
                .find(|r| r.company == fy.company && r.label == fy.label);
            let total = year.map(|r| r.donations.total.0).unwrap_or_default();
            let share = |reduction: Decimal| {
                if total.is_zero() {
                    Decimal::ZERO
                } else {
                    round_cent(reduction * dv / total)
                }
            };
            let attributable = share(valued.own_reduction[fyi]);
            // What the year's own excess would add if it were used later, at its rates.
            let later = year.map_or(Decimal::ZERO, |r| {
                let low = r
                    .law
                    .reduced_rate
                    .as_ref()
                    .map_or(r.law.reduction_rate.0, |x| x.0);
                round_cent(r.law.reduction_rate.0 * r.retention.excess_standard.0)
                    + round_cent(low * r.retention.excess_reduced.0)
            });
            let of_cost =
                |x: Decimal| (!uncapped.is_zero()).then(|| Qty(round_share(x / uncapped)));
            out.push(BenchReport {
                company: s.companies[c].id.clone(),
                fiscal_year: fy.label.clone(),
                bench_days: Qty(bd),
                bench_cost: Money(bc),
                donated_days: Qty(dd),
                donated_value: Money(dv),
                donated_share: (!bd.is_zero()).then(|| Qty(dd / bd)),
                reduction_attributable: Money(attributable),
                net_cost: Money(uncapped - attributable),
                donated_cost: Money(uncapped),
                reduction_share: of_cost(attributable),
                reduction_share_if_excess_used: of_cost(attributable + share(later)),
                idle_day_cost: (!bd.is_zero()).then(|| Money(round_cent(bc / bd))),
                donated_day_net_cost: (!dd.is_zero())
                    .then(|| Money(round_cent((uncapped - attributable) / dd))),
            });
        }
    }
    out
}

/// A share rounded half away from zero to 4 decimals (report-format.md).
fn round_share(x: Decimal) -> Decimal {
    crate::money::round_dp(x, 4)
}

#[cfg(test)]
mod tests {
    /// A bench period far wider than the fiscal years gives the figures of the years' span
    /// (the walk is clipped to it).
    #[test]
    fn a_period_beyond_the_fiscal_years_counts_their_days_only() {
        let bench = |start: &str, end: &str| {
            let json = format!(
                r#"{{"companies": [{{"id": "C1", "name": "X"}}],
                "fiscal_years": [{{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000"}}],
                "employees": [{{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                               "annual_employer_charges": "21600", "annual_working_days": "218"}}],
                "bench": [{{"employee": "E1", "start": "{start}", "end": "{end}"}}]}}"#
            );
            let s = crate::Scenario::from_json(&json).unwrap();
            crate::compute(&s, &crate::Options::default())
                .unwrap()
                .bench
        };
        let wide = bench("0001-01-01", "9999-12-31");
        assert_eq!(wide, bench("2025-01-01", "2025-12-31"));
        assert_eq!(wide[0].bench_days.0, rust_decimal::Decimal::from(261));
    }
}
