//! The forecast of the donations ledger (rules-company §8): per company, five projected
//! 12-month fiscal years after its last one given, under two assumptions (no new gift; the
//! last year's gifts again, bucket by bucket), with the last year's ceiling and law and the
//! rules of §4 as they are; and the fate (used, expired) of the excess carried at the last
//! closing. A projection, reported apart from the year's figures.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::input::resolve::World;
use crate::money::{round_cent, Money};
use crate::report::{Assumption, FiscalYearReport, ForecastReport, ForecastYear};

use super::ledger::{Ledger, Lot};
use super::opening::Spans;

/// How many fiscal years a forecast projects.
pub(crate) const YEARS: usize = 5;

/// The assumption stated in every report with a forecast.
pub(crate) const ASSUMPTION: &str = "forecast: five projected 12-month fiscal years after each company's last one, with its last ceiling and law; under no_new_gifts no donation, under same_gifts_each_year the last year's donations bucket by bucket; a projection, never mixed with the year's figures";

/// What a forecast needs of a company's last fiscal year.
pub(crate) struct LastYear<'a> {
    pub(crate) report: &'a FiscalYearReport,
    /// Its donations ledger after its closing.
    pub(crate) ledger: &'a Ledger,
    /// How many fiscal years the company has (the index of the first projected one).
    pub(crate) count: usize,
}

/// Both forecasts of every company with fiscal years, in company order.
pub(crate) fn forecasts(
    w: &World,
    years: &[FiscalYearReport],
    ledgers: &[Ledger],
    spans: Spans,
) -> Vec<ForecastReport> {
    let s = w.scenario;
    let mut out = Vec::new();
    for (c, fys) in w.fys_of.iter().enumerate() {
        let company = &s.companies[c].id;
        let Some(report) = years.iter().rev().find(|y| &y.company == company) else {
            continue;
        };
        let last = LastYear {
            report,
            ledger: &ledgers[c],
            count: fys.len(),
        };
        for assumption in [Assumption::NoNewGifts, Assumption::SameGiftsEachYear] {
            out.push(forecast(w, c, &last, assumption, spans));
        }
    }
    out
}

/// One company's forecast under one assumption.
fn forecast(
    w: &World,
    c: usize,
    last: &LastYear,
    assumption: Assumption,
    spans: Spans,
) -> ForecastReport {
    let y = last.report;
    let law = &y.law;
    let (rate, low) = (
        law.reduction_rate.0,
        law.reduced_rate
            .as_ref()
            .map_or(law.reduction_rate.0, |r| r.0),
    );
    let gifts = match assumption {
        Assumption::NoNewGifts => [Decimal::ZERO; 3],
        Assumption::SameGiftsEachYear => {
            let d = &y.donations;
            [d.aid60.0, d.std60.0, d.std40.0]
        }
    };
    let mut ledger = last.ledger.clone();
    let carried_at_start = ledger.balance();
    let mut carried_used = Decimal::ZERO;
    let mut out_years = Vec::with_capacity(YEARS);
    let fys = &w.fys_of[c];
    for k in last.count..last.count + YEARS {
        let end = super::closing_of(w.scenario, fys, k);
        let start = super::closing_of(w.scenario, fys, k - 1)
            .succ_opt()
            .unwrap_or(end);
        let opening = ledger.balance();
        let mut by_rate: BTreeMap<Decimal, Decimal> = BTreeMap::new();
        let mut headroom = y.ceiling.0;
        let mut retained_current = Decimal::ZERO;
        let mut excess: Vec<(Decimal, Decimal)> = Vec::new();
        for (amount, r) in gifts.into_iter().zip([rate, rate, low]) {
            let kept = amount.min(headroom);
            headroom -= kept;
            retained_current += kept;
            *by_rate.entry(r).or_default() += kept;
            if amount > kept {
                match excess.iter_mut().find(|x| x.0 == r) {
                    Some(x) => x.1 += amount - kept,
                    None => excess.push((r, amount - kept)),
                }
            }
        }
        let retained_carried = ledger.open_and_use(&mut headroom, |lot, u| {
            *by_rate.entry(lot.rate.unwrap_or(rate)).or_default() += u;
            if !lot.projected {
                carried_used += u;
            }
        });
        let label = end.format("%Y").to_string();
        for (r, x) in excess {
            let lot = Lot::added(&label, end, Some(r), x, k + spans.donations);
            ledger.push(lot.in_forecast());
        }
        let expired = ledger.close(
            k,
            "",
            &label,
            |i| super::closing_of(w.scenario, fys, i),
            &mut Vec::new(),
        );
        let reduction = by_rate.iter().map(|(r, a)| round_cent(*r * *a)).sum();
        out_years.push(ForecastYear {
            start,
            end,
            opening: Money(opening),
            gifts: Money(gifts.iter().copied().sum()),
            retained_current: Money(retained_current),
            retained_carried: Money(retained_carried),
            reduction: Money(reduction),
            expired: Money(expired),
            closing: Money(ledger.balance()),
        });
    }
    let left = ledger.balance_given();
    ForecastReport {
        company: y.company.clone(),
        assumption,
        after: y.label.clone(),
        carried_at_start: Money(carried_at_start),
        carried_used: Money(carried_used),
        carried_expired: Money(carried_at_start - carried_used - left),
        years: out_years,
    }
}
