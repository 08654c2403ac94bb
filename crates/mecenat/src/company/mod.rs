//! The company side (rules-company.md), one module per section: valuation of time at cost
//! price with the salary cap (§1, policy `rate` in [`valuation`], policy `period` in
//! [`period_cap`]), the gifts of each fiscal year ([`gifts`]), the opening balances
//! ([`opening`]), the carry-forward ledger of both kinds ([`ledger`]), the fold over each
//! company's fiscal years with the buckets, ceiling, retention, reduction, imputation and
//! counterparts (§2-6, [`year`]), the bench economics (§7, [`bench`]) and the length of a
//! loan of staff (§6, [`staff_loans`]).

pub(crate) mod bench;
pub(crate) mod forecast;
pub(crate) mod gifts;
pub(crate) mod ledger;
pub(crate) mod opening;
pub(crate) mod period_cap;
pub(crate) mod staff_loans;
pub(crate) mod valuation;
pub(crate) mod year;

use chrono::NaiveDate;

use crate::input::scenario::Scenario;

/// The closing date of a company's `k`-th fiscal year (`fys`: its fiscal years in order):
/// the given `end`, or beyond the last one given, projected with 12-month fiscal years (each
/// starts the day after the previous one ends).
pub(crate) fn closing_of(s: &Scenario, fys: &[usize], k: usize) -> NaiveDate {
    if let Some(&i) = fys.get(k) {
        return s.fiscal_years[i].end;
    }
    let Some(&last) = fys.last() else {
        return NaiveDate::MAX;
    };
    let beyond = u32::try_from(k + 1 - fys.len()).unwrap_or(u32::MAX);
    let end = s.fiscal_years[last].end;
    end.succ_opt()
        .and_then(|start| start.checked_add_months(chrono::Months::new(beyond.saturating_mul(12))))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}
