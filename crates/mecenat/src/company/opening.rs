//! Opening balances (rules-company §4): excesses and unused reductions from fiscal years
//! before the first one given, with the number of years they can still be used in (given,
//! or from 12-month years between their origin and the first year).

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::input::resolve::{rejection, World};
use crate::input::scenario::{CarryForward, CarryKind, Rejection, RejectionKind};
use crate::law::{whole_years, AtClosing, Closing, Law};

use super::ledger::{Ledger, Lot};

/// The assumption stated when a balance has no `years_left`.
pub(crate) const ASSUMPTION: &str = "opening balances without years_left: 12-month fiscal years assumed between their origin and the first fiscal year given";

/// Each company's two ledgers at the opening of its first fiscal year.
pub(crate) struct Opening {
    /// Per company: (donations, reductions).
    pub(crate) ledgers: Vec<(Ledger, Ledger)>,
    /// Whether a balance relied on the 12-month assumption.
    pub(crate) assumed_years: bool,
}

/// The spans of both ledgers, in fiscal years.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spans {
    pub(crate) donations: usize,
    pub(crate) reduction: usize,
}

/// Builds the opening ledgers; unusable balances are rejected.
///
/// # Errors
///
/// When the standard rate is not known at a balance's origin.
pub(crate) fn opening(
    w: &World,
    law: &mut Law,
    spans: Spans,
    rates: &BTreeSet<Decimal>,
    rejected: &mut Vec<Rejection>,
) -> Result<Opening, Error> {
    let s = w.scenario;
    let mut out = Opening {
        ledgers: (0..s.companies.len()).map(|_| Default::default()).collect(),
        assumed_years: false,
    };
    for cf in &s.carryforwards {
        match check(w, cf, spans, rates, &mut out.assumed_years) {
            Err(r) => rejected.push(r),
            Ok((c, last)) => {
                let (donations, reductions) = &mut out.ledgers[c];
                match cf.kind {
                    CarryKind::Donations => {
                        let std = law.req((AtClosing::ReductionRate, Closing::origin(cf)))?;
                        let rate = Some(cf.rate.unwrap_or(std));
                        donations.push(Lot::opening(cf.origin_end, rate, cf.amount, last));
                    }
                    CarryKind::Reduction => {
                        reductions.push(Lot::opening(cf.origin_end, None, cf.amount, last));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A balance's company and the index of the last fiscal year it can be used in.
fn check(
    w: &World,
    cf: &CarryForward,
    spans: Spans,
    rates: &BTreeSet<Decimal>,
    assumed: &mut bool,
) -> Result<(usize, usize), Rejection> {
    let s = w.scenario;
    let rej = |kind: RejectionKind, key: &str, value: String, reason: String| {
        rejection(s, kind, ("carryforwards", cf.row), key, value, reason)
    };
    let &c = w.company_idx.get(cf.company.as_str()).ok_or_else(|| {
        rej(
            RejectionKind::UnknownCompany,
            "company",
            cf.company.clone(),
            format!("unknown company {:?}", cf.company),
        )
    })?;
    let &first = w.fys_of[c].first().ok_or_else(|| {
        rej(
            RejectionKind::NoFiscalYear,
            "company",
            cf.company.clone(),
            format!("company {:?} has no fiscal year", cf.company),
        )
    })?;
    let first = &s.fiscal_years[first];
    if cf.origin_end >= first.start {
        return Err(rej(RejectionKind::NotBeforeFirstYear, "origin_end", cf.origin_end.to_string(), format!(
            "origin_end {} is not before the first fiscal year given ({}): an opening balance comes from an earlier year", cf.origin_end, first.start
        )));
    }
    let span = match cf.kind {
        CarryKind::Donations => spans.donations,
        CarryKind::Reduction => spans.reduction,
    };
    let span = i64::try_from(span).unwrap_or(i64::MAX);
    let years_left = match cf.years_left {
        Some(y) if i64::from(y) > span => {
            return Err(rej(RejectionKind::TooManyYearsLeft, "years_left", y.to_string(), format!(
                "years_left {y} is more than the {span} following fiscal years a balance can be used in"
            )));
        }
        Some(y) => i64::from(y),
        None => {
            *assumed = true;
            span - whole_years(
                cf.origin_end.succ_opt().unwrap_or(cf.origin_end),
                first.start,
            )
        }
    };
    if years_left <= 0 {
        return Err(rej(RejectionKind::Expired, "origin_end", cf.origin_end.to_string(), format!(
            "the balance from the fiscal year closed {} has expired before {} (usable in the {span} following fiscal years only)", cf.origin_end, first.start
        )));
    }
    if let Some(r) = cf.rate {
        // Only a rate the law has had (issue 14: "1" gave a 100 % reduction).
        if !rates.contains(&r) {
            let list: Vec<String> = rates
                .iter()
                .rev()
                .map(|x| crate::money::Rate(*x).label())
                .collect();
            return Err(rej(
                RejectionKind::NotALegalRate,
                "rate",
                r.to_string(),
                format!(
                    "rate {r} is not a rate of the reduction the law has had: use {}",
                    list.join(" or ")
                ),
            ));
        }
    }
    Ok((c, usize::try_from(years_left - 1).unwrap_or(0)))
}
