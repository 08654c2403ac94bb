//! A company's fiscal years in order (rules-company §2-6): the buckets of the year's gifts,
//! the ceiling, the retention (current year first, then carried excesses), the reduction
//! by rate, the imputation on the tax due, the counterparts and the declaration, each year
//! carrying both ledgers to the next.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::input::resolve::World;
use crate::law::{months, YearLaw};
use crate::money::{round_cent, round_dp, Money, Qty, Rate};
use crate::report::{
    CounterpartCheck, Donations, FiscalYearReport, Imputation, LedgerLine, Retention, YearLawReport,
};

use super::gifts::YearGifts;
use super::ledger::{Ledger, Lot};
use super::opening::Spans;

/// Everything the company side reports per fiscal year.
#[derive(Default)]
pub(crate) struct CompanyYears {
    pub(crate) fiscal_years: Vec<FiscalYearReport>,
    pub(crate) donations_ledger: Vec<LedgerLine>,
    pub(crate) reduction_ledger: Vec<LedgerLine>,
    pub(crate) counterparts: Vec<CounterpartCheck>,
    /// Per fiscal year (index): the reduction earned by the year's own donations.
    pub(crate) own_reduction: Vec<Decimal>,
    pub(crate) warnings: Vec<String>,
    pub(crate) assumptions: BTreeSet<String>,
    /// Per company: its donations ledger after its last fiscal year (for the forecast).
    pub(crate) closing_ledgers: Vec<Ledger>,
}

/// A year's gifts in the three buckets (§3): aid to people in difficulty at 60 % whatever
/// the amount and not counted toward the threshold; the other gifts at 60 % up to the
/// threshold and at the reduced rate above. Without the tranche, everything is `std60`.
pub(crate) fn buckets(total: Decimal, aid: Decimal, yl: &YearLaw) -> (Decimal, Decimal, Decimal) {
    match yl.tranche() {
        Some(t) => {
            let other = total - aid;
            (aid, other.min(t), other - other.min(t))
        }
        None => (Decimal::ZERO, total, Decimal::ZERO),
    }
}

/// The ceiling (§4.1): max(fixed amount, round_cent(share × turnover)).
pub(crate) fn ceiling(turnover: Decimal, yl: &YearLaw) -> Decimal {
    yl.fixed_ceiling
        .max(round_cent(yl.turnover_rate * turnover))
}

/// The current year's retention (§4.2): bucket by bucket (aid60, std60, std40) up to the
/// headroom; returns what was retained and the excess per rate (in order of first rate).
fn retain_current(
    buckets: [(Decimal, Decimal); 3],
    headroom: &mut Decimal,
    retained_by_rate: &mut BTreeMap<Decimal, Decimal>,
) -> (Decimal, Vec<(Decimal, Decimal)>) {
    let mut retained = Decimal::ZERO;
    let mut excess_by_rate: Vec<(Decimal, Decimal)> = Vec::new();
    for (amount, rate) in buckets {
        let r = amount.min(*headroom);
        *headroom -= r;
        retained += r;
        *retained_by_rate.entry(rate).or_default() += r;
        let x = amount - r;
        if x > Decimal::ZERO {
            match excess_by_rate.iter_mut().find(|(rr, _)| *rr == rate) {
                Some(e) => e.1 += x,
                None => excess_by_rate.push((rate, x)),
            }
        }
    }
    (retained, excess_by_rate)
}

/// The reduction per rate (§4.5): round_cent(rate × retained at that rate), and its sum.
fn reduction_by_rate(retained: &BTreeMap<Decimal, Decimal>) -> (BTreeMap<String, Money>, Decimal) {
    let mut by_rate = BTreeMap::new();
    let mut total = Decimal::ZERO;
    for (rate, amt) in retained {
        let r = round_cent(*rate * *amt);
        total += r;
        by_rate.insert(Rate(*rate).label(), Money(r));
    }
    (by_rate, total)
}

/// One company's ledgers as they go from year to year.
struct Carry {
    donations: Ledger,
    reductions: Ledger,
    /// Whether every year so far gave its tax due (else imputation stays unknown).
    tax_known: bool,
}

/// Folds every company's fiscal years in order.
pub(crate) fn fold(
    w: &World,
    acc: &[YearGifts],
    laws: &[Option<YearLaw>],
    opening: Vec<(Ledger, Ledger)>,
    spans: Spans,
    legal_rates: &BTreeSet<Decimal>,
) -> Result<CompanyYears, crate::Error> {
    let s = w.scenario;
    let mut out = CompanyYears {
        own_reduction: vec![Decimal::ZERO; s.fiscal_years.len()],
        ..CompanyYears::default()
    };
    for (c, (donations, reductions)) in opening.into_iter().enumerate() {
        let mut carry = Carry {
            donations,
            reductions,
            tax_known: true,
        };
        let fys = &w.fys_of[c];
        for (k, &fyi) in fys.iter().enumerate() {
            let Some(yl) = &laws[fyi] else { continue };
            let report = one_year(
                w,
                c,
                k,
                fyi,
                &acc[fyi],
                yl,
                &mut carry,
                spans,
                legal_rates,
                &mut out,
            )?;
            out.fiscal_years.push(report);
        }
        out.closing_ledgers.push(carry.donations);
    }
    Ok(out)
}

/// One fiscal year of a company: the figures of §2-6, both ledgers moved on.
#[allow(clippy::too_many_arguments)]
fn one_year(
    w: &World,
    c: usize,
    k: usize,
    fyi: usize,
    a: &YearGifts,
    yl: &YearLaw,
    carry: &mut Carry,
    spans: Spans,
    legal_rates: &BTreeSet<Decimal>,
    out: &mut CompanyYears,
) -> Result<FiscalYearReport, crate::Error> {
    let s = w.scenario;
    let fy = &s.fiscal_years[fyi];
    let company = &s.companies[c];
    let fys = &w.fys_of[c];
    let closing_of = |i: usize| crate::company::closing_of(s, fys, i);
    if months(fy.start, fy.end) != 12 && !yl.fixed_ceiling.is_zero() {
        out.assumptions.insert(format!(
            "fiscal year {} of {} is not 12 months long: the fixed ceiling amount is not prorated, and turnover is its own (never annualised)", fy.label, company.id
        ));
    }
    let ceiling = ceiling(fy.turnover, yl);
    let total = a.total();
    let (aid60, std60, std40) = buckets(total, a.aid, yl);
    let (std_rate, low_rate) = (yl.rate, yl.low_rate());
    // Every rate the law has had is a key, "0.00" when nothing is at it this year.
    let mut retained_by_rate: BTreeMap<Decimal, Decimal> =
        legal_rates.iter().map(|&r| (r, Decimal::ZERO)).collect();
    retained_by_rate.insert(std_rate, Decimal::ZERO);
    if let Some(r) = yl.reduced_rate {
        retained_by_rate.insert(r, Decimal::ZERO);
    }
    let mut headroom = ceiling;
    let (retained_current, excess_by_rate) = retain_current(
        [(aid60, std_rate), (std60, std_rate), (std40, low_rate)],
        &mut headroom,
        &mut retained_by_rate,
    );
    let headroom_after_current = headroom;
    let carried_available = carry.donations.balance();
    // Carried excesses: oldest origin first, higher rate first within an origin.
    let retained_carried = carry.donations.open_and_use(&mut headroom, |lot, u| {
        *retained_by_rate
            .entry(lot.rate.unwrap_or(std_rate))
            .or_default() += u;
    });
    let excess: Decimal = excess_by_rate.iter().map(|x| x.1).sum();
    for (rate, x) in &excess_by_rate {
        carry.donations.push(Lot::added(
            &fy.label,
            fy.end,
            Some(*rate),
            *x,
            k + spans.donations,
        ));
    }
    let donations_expired = carry.donations.close(
        k,
        &company.id,
        &fy.label,
        closing_of,
        &mut out.donations_ledger,
    );
    let carried_closing = carry.donations.balance();
    let (reduction_by_rate, reduction) = reduction_by_rate(&retained_by_rate);
    // The part earned by this year's own donations (bench).
    let first_tranche = (aid60 + std60).min(ceiling);
    let reduction_own = round_cent(std_rate * first_tranche)
        + round_cent(low_rate * (retained_current - first_tranche));
    out.own_reduction[fyi] = reduction_own;
    let imputed = impute(carry, fy, k, reduction, spans, &company.id, closing_of, out);
    let (cp_total, cp_warning) = counterparts(w, c, fyi, a, yl, out);
    let ret_aid = aid60.min(ceiling);
    let ret_std60 = std60.min(ceiling - ret_aid);
    let retention = Retention {
        aid60: Money(ret_aid),
        std60: Money(ret_std60),
        std40: Money(retained_current - ret_aid - ret_std60),
        headroom_after_current: Money(headroom_after_current),
        carried_available: Money(carried_available),
        excess_standard: Money(aid60 + std60 - ret_aid - ret_std60),
        excess_reduced: Money(std40 - (retained_current - ret_aid - ret_std60)),
        reduction_own: Money(reduction_own),
    };
    let (marginal_rate, marginal_rate_aid) = marginal_rates(headroom, std60 + std40, yl);
    Ok(FiscalYearReport {
        company: company.id.clone(),
        label: fy.label.clone(),
        start: fy.start,
        end: fy.end,
        regime: yl.regime.clone(),
        turnover: Money(fy.turnover),
        donations: Donations {
            staff_time: Money(a.staff),
            cash: Money(a.cash),
            in_kind: Money(a.in_kind),
            total: Money(total),
            aid60: Money(aid60),
            std60: Money(std60),
            std40: Money(std40),
        },
        ceiling: Money(ceiling),
        retained_current: Money(retained_current),
        retained_carried: Money(retained_carried),
        retained_by_rate: retained_by_rate
            .iter()
            .map(|(r, v)| (Rate(*r).label(), Money(*v)))
            .collect(),
        reduction: Money(reduction),
        reduction_by_rate,
        excess: Money(excess),
        donations_expired: Money(donations_expired),
        donations_carried_closing: Money(carried_closing),
        tax_due: imputed.as_ref().map(|i| Money(i.tax)),
        reduction_used: imputed.as_ref().map(|i| Money(i.used)),
        reduction_expired: imputed.as_ref().map(|i| Money(i.expired)),
        reduction_carried_closing: imputed.as_ref().map(|i| Money(i.closing)),
        form_2069_rci_reduction: whole_euros(reduction)?,
        declaration_required: yl.declaration_threshold.is_some_and(|t| total > t),
        counterparts: Money(cp_total),
        counterparts_warning: cp_warning,
        excluded: Money(a.excluded),
        headroom: Money(headroom),
        marginal_rate: Rate(marginal_rate),
        marginal_rate_aid: Rate(marginal_rate_aid),
        law: law_report(yl),
        retention,
        imputation: imputed.map(|i| i.breakdown).unwrap_or_default(),
    })
}

/// The rates one more euro would earn this year (rules-company §8): nothing without
/// headroom; for an ordinary beneficiary, the reduced rate once the year's non-exception
/// donations reach the threshold; the standard rate otherwise (and always for aid).
fn marginal_rates(headroom: Decimal, non_exception: Decimal, yl: &YearLaw) -> (Decimal, Decimal) {
    if headroom <= Decimal::ZERO {
        return (Decimal::ZERO, Decimal::ZERO);
    }
    let ordinary = match yl.tranche() {
        Some(t) if non_exception >= t => yl.low_rate(),
        _ => yl.rate,
    };
    (ordinary, yl.rate)
}

/// The law in force as the report shows it.
fn law_report(yl: &YearLaw) -> YearLawReport {
    YearLawReport {
        reduction_rate: Rate(yl.rate),
        reduced_rate: yl.reduced_rate.map(Rate),
        reduced_rate_threshold: yl.threshold.map(Money),
        ceiling_fixed: Money(yl.fixed_ceiling),
        ceiling_turnover_rate: Rate(yl.turnover_rate),
        salary_cap_multiple: yl.salary_cap_multiple.map(Qty),
        counterparts_tolerance: Rate(yl.counterparts_tolerance),
        declaration_threshold: yl.declaration_threshold.map(Money),
    }
}

/// What the imputation of a year gives.
struct Imputed {
    tax: Decimal,
    used: Decimal,
    expired: Decimal,
    closing: Decimal,
    breakdown: Imputation,
}

/// The imputation on the tax due (§5): carried reductions oldest first, then the year's
/// own, up to the tax due; the unused part is carried. `None` when a tax due is missing
/// (this year or before).
#[allow(clippy::too_many_arguments)]
fn impute(
    carry: &mut Carry,
    fy: &crate::input::scenario::FiscalYear,
    k: usize,
    reduction: Decimal,
    spans: Spans,
    company: &str,
    closing_of: impl Fn(usize) -> chrono::NaiveDate,
    out: &mut CompanyYears,
) -> Option<Imputed> {
    if !carry.tax_known {
        return None;
    }
    let Some(tax) = fy.tax_due else {
        carry.tax_known = false;
        return None;
    };
    let mut left = tax;
    let carried_available = carry.reductions.balance();
    let carried_used = carry.reductions.open_and_use(&mut left, |_, _| {});
    let u = reduction.min(left);
    let used = carried_used + u;
    let unused = reduction - u;
    if unused > Decimal::ZERO {
        carry.reductions.push(Lot::added(
            &fy.label,
            fy.end,
            None,
            unused,
            k + spans.reduction,
        ));
    }
    let expired =
        carry
            .reductions
            .close(k, company, &fy.label, closing_of, &mut out.reduction_ledger);
    Some(Imputed {
        tax,
        used,
        expired,
        closing: carry.reductions.balance(),
        breakdown: Imputation {
            carried_available: Some(Money(carried_available)),
            carried_used: Some(Money(carried_used)),
            current_used: Some(Money(u)),
            current_unused: Some(Money(unused)),
        },
    })
}

/// The counterparts of the year (§6): their ratio to the retained gifts per beneficiary,
/// warned above the tolerance (or with no gift). Returns their total and whether any warns.
fn counterparts(
    w: &World,
    c: usize,
    fyi: usize,
    a: &YearGifts,
    yl: &YearLaw,
    out: &mut CompanyYears,
) -> (Decimal, bool) {
    let s = w.scenario;
    let company = &s.companies[c];
    let fy = &s.fiscal_years[fyi];
    let tolerance = yl.counterparts_tolerance;
    let mut total = Decimal::ZERO;
    let mut any = false;
    for (&b, &v) in &a.counterparts_by_ben {
        let g = a.by_ben.get(&b).copied().unwrap_or_default();
        let ratio = (!g.is_zero()).then(|| v / g);
        let warning = ratio.map_or(v > Decimal::ZERO, |r| r > tolerance);
        total += v;
        any |= warning;
        out.counterparts.push(CounterpartCheck {
            company: company.id.clone(),
            fiscal_year: fy.label.clone(),
            beneficiary: s.beneficiaries[b].id.clone(),
            counterparts: Money(v),
            gifts: Money(g),
            ratio: ratio.map(Qty),
            warning,
        });
        if warning {
            out.warnings.push(format!(
                "{} {}: counterparts from {} ({}) exceed {} of the gifts ({}): disproportion marquée",
                company.id, fy.label, s.beneficiaries[b].id, crate::money::fmt_money(v), tolerance, crate::money::fmt_money(g)
            ));
        }
    }
    (total, any)
}

/// Whole euros, half up, for forms. A reduction is at most 60 % of a ceiling below 0.5 %
/// of a turnover under [`crate::bounds::MAX_AMOUNT`], so it always fits; if it did not, an
/// internal error, never a figure cut to fit.
fn whole_euros(x: Decimal) -> Result<i64, crate::Error> {
    let r = round_dp(x, 0);
    i64::try_from(r.mantissa() / 10i128.pow(r.scale())).map_err(|_| crate::Error::Internal {
        message: format!("{x} euros do not fit a form's whole number"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::FiscalYear;
    use crate::law::params::Parameters;
    use crate::law::{Closing, Law};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn law_2025() -> YearLaw {
        let mut law = Law::new(Parameters::embedded().unwrap());
        let day = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let fy = FiscalYear {
            row: 1,
            company: "C1".into(),
            start: day("2025-01-01"),
            end: day("2025-12-31"),
            turnover: d("1000000"),
            tax_due: None,
            label: "2025".into(),
        };
        YearLaw::at(&mut law, Closing::of(&fy), fy.row).unwrap()
    }

    /// The Senate's example (§3): "une entreprise qui verserait 2 100 000 euros ne verrait
    /// son avantage réduit à 40 % que sur les 100 000 euros excédant 2 millions".
    #[test]
    fn senate_example_40_percent_on_the_last_100000_only() {
        let yl = law_2025();
        assert_eq!(
            buckets(d("2100000"), d("0"), &yl),
            (d("0"), d("2000000"), d("100000"))
        );
        // Aid to people in difficulty stays at 60 % and does not count toward the 2 M€.
        assert_eq!(
            buckets(d("2100000"), d("300000"), &yl),
            (d("300000"), d("1800000"), d("0"))
        );
    }

    /// Current year first, bucket by bucket in the order aid60, std60, std40: the highest
    /// rates are retained first, the excess keeps its rate.
    #[test]
    fn retention_order_keeps_the_highest_rates() {
        let (r60, r40) = (d("0.60"), d("0.40"));
        let mut headroom = d("2050000");
        let mut by_rate = BTreeMap::new();
        let (retained, excess) = retain_current(
            [(d("30000"), r60), (d("2000000"), r60), (d("100000"), r40)],
            &mut headroom,
            &mut by_rate,
        );
        assert_eq!(retained, d("2050000"));
        assert_eq!(by_rate[&r60], d("2030000"));
        assert_eq!(by_rate[&r40], d("20000"));
        assert_eq!(excess, vec![(r40, d("80000"))]);
        assert_eq!(headroom, d("0"));
    }

    #[test]
    fn ceiling_is_the_larger_of_the_fixed_amount_and_the_turnover_share() {
        let yl = law_2025();
        assert_eq!(ceiling(d("1000000"), &yl), d("20000"));
        assert_eq!(ceiling(d("21480000"), &yl), d("107400.00"));
        assert_eq!(ceiling(d("4000001"), &yl), d("20000.01"));
    }

    #[test]
    fn whole_euros_round_half_up() {
        assert_eq!(whole_euros(Decimal::new(1650050, 2)).unwrap(), 16501);
        assert_eq!(whole_euros(Decimal::new(1650049, 2)).unwrap(), 16500);
        // The largest amount of the input fits; beyond i64, an error, not i64::MAX.
        let max = crate::bounds::MAX_AMOUNT;
        assert_eq!(whole_euros(max).unwrap(), 1_000_000_000_000_000);
        assert!(whole_euros(Decimal::from(i64::MAX) + Decimal::ONE).is_err());
    }
}
