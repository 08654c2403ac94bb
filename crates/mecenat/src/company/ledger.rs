//! One carry-forward ledger, used twice: the excess donations (report en base, rules-company
//! §4) and the unused reductions (report en impôt, §5). Lots are used oldest origin first
//! (60 % before 40 % within an origin), each can be used in the fiscal years up to its last
//! one, and what is left at the end of that year expires.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::{Money, Rate};
use crate::report::LedgerLine;

/// A lot in a carry-forward ledger.
#[derive(Debug, Clone)]
pub(crate) struct Lot {
    /// Origin fiscal year label, or `opening` for a balance given.
    pub(crate) origin: String,
    pub(crate) origin_end: NaiveDate,
    /// The rate it keeps (donations), none for reductions.
    pub(crate) rate: Option<Decimal>,
    /// Index (within the company's fiscal years, projected past the last one given) of the
    /// last year it can be used in.
    pub(crate) last: usize,
    /// Whether a forecast created it (not a lot of the fiscal years given).
    pub(crate) projected: bool,
    opening: Decimal,
    added: Decimal,
    remaining: Decimal,
    used: Decimal,
}

impl Lot {
    /// A balance given at the opening of the first fiscal year.
    pub(crate) fn opening(
        origin_end: NaiveDate,
        rate: Option<Decimal>,
        amount: Decimal,
        last: usize,
    ) -> Lot {
        Lot {
            origin: "opening".into(),
            origin_end,
            rate,
            last,
            projected: false,
            opening: amount,
            added: Decimal::ZERO,
            remaining: amount,
            used: Decimal::ZERO,
        }
    }

    /// What a fiscal year adds (its excess at one rate, or its unused reduction).
    pub(crate) fn added(
        origin: &str,
        origin_end: NaiveDate,
        rate: Option<Decimal>,
        amount: Decimal,
        last: usize,
    ) -> Lot {
        Lot {
            origin: origin.to_string(),
            origin_end,
            rate,
            last,
            projected: false,
            opening: Decimal::ZERO,
            added: amount,
            remaining: amount,
            used: Decimal::ZERO,
        }
    }
}

impl Lot {
    /// The same lot, marked as created by a forecast.
    pub(crate) fn in_forecast(mut self) -> Lot {
        self.projected = true;
        self
    }
}

/// The lots of one company's ledger.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ledger {
    lots: Vec<Lot>,
}

impl Ledger {
    /// Adds a lot.
    pub(crate) fn push(&mut self, lot: Lot) {
        self.lots.push(lot);
    }

    /// Opens a fiscal year: each lot's balance becomes its opening; then the lots are used,
    /// oldest origin first and the higher rate first within an origin, up to `budget`
    /// (which is lowered by what is used). `on_use` is told each lot and its use.
    pub(crate) fn open_and_use(
        &mut self,
        budget: &mut Decimal,
        mut on_use: impl FnMut(&Lot, Decimal),
    ) -> Decimal {
        self.lots
            .sort_by(|x, y| x.origin_end.cmp(&y.origin_end).then(y.rate.cmp(&x.rate)));
        let mut total = Decimal::ZERO;
        for lot in &mut self.lots {
            lot.opening = lot.remaining;
            lot.added = Decimal::ZERO;
            let u = lot.remaining.min(*budget);
            *budget -= u;
            lot.used = u;
            lot.remaining -= u;
            total += u;
            on_use(lot, u);
        }
        total
    }

    /// Closes fiscal year `k` of `company` (`label`): what is left of the lots whose last
    /// year it is expires; one ledger line per lot; lots with nothing left are dropped.
    /// Returns the expired total. `closing_of(i)` is the closing date of year `i`.
    pub(crate) fn close(
        &mut self,
        k: usize,
        company: &str,
        label: &str,
        closing_of: impl Fn(usize) -> NaiveDate,
        lines: &mut Vec<LedgerLine>,
    ) -> Decimal {
        let mut expired_total = Decimal::ZERO;
        for lot in &mut self.lots {
            let expired = if lot.last <= k {
                lot.remaining
            } else {
                Decimal::ZERO
            };
            expired_total += expired;
            lot.remaining -= expired;
            lines.push(LedgerLine {
                company: company.to_string(),
                fiscal_year: label.to_string(),
                origin: lot.origin.clone(),
                origin_end: lot.origin_end,
                rate: lot.rate.map(Rate),
                opening: Money(lot.opening),
                added: Money(lot.added),
                used: Money(lot.used),
                expired: Money(expired),
                closing: Money(lot.remaining),
                usable_until: closing_of(lot.last),
                last_usable_year: lot.last == k,
            });
            lot.used = Decimal::ZERO;
        }
        self.lots.retain(|l| l.remaining > Decimal::ZERO);
        expired_total
    }

    /// What is still carried.
    pub(crate) fn balance(&self) -> Decimal {
        self.lots.iter().map(|l| l.remaining).sum()
    }

    /// What is still carried of the lots of the fiscal years given (not of a forecast).
    pub(crate) fn balance_given(&self) -> Decimal {
        self.lots
            .iter()
            .filter(|l| !l.projected)
            .map(|l| l.remaining)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dec(n: i64) -> Decimal {
        Decimal::from(n)
    }

    /// An excess of year 0 can be used in years 1..=5; after year 5 what is left expires
    /// and is never used again (rules-company §4.4).
    #[test]
    fn a_lot_expires_after_its_fifth_following_year() {
        let mut l = Ledger::default();
        l.push(Lot::added(
            "2020",
            d("2020-12-31"),
            Some(Decimal::new(60, 2)),
            dec(1000),
            5,
        ));
        let mut lines = Vec::new();
        for k in 1..=5 {
            let mut budget = dec(100);
            assert_eq!(l.open_and_use(&mut budget, |_, _| {}), dec(100));
            let expired = l.close(k, "C1", "x", |_| d("2025-12-31"), &mut lines);
            assert_eq!(expired, if k == 5 { dec(500) } else { dec(0) });
        }
        assert_eq!(l.balance(), dec(0));
        let mut budget = dec(100);
        assert_eq!(l.open_and_use(&mut budget, |_, _| {}), dec(0));
        assert!(lines[4].last_usable_year && !lines[3].last_usable_year);
    }

    /// Oldest origin first, and within an origin 60 % before 40 %.
    #[test]
    fn oldest_origin_first_then_the_higher_rate() {
        let mut l = Ledger::default();
        let r60 = Some(Decimal::new(60, 2));
        let r40 = Some(Decimal::new(40, 2));
        l.push(Lot::added("2024", d("2024-12-31"), r40, dec(100), 5));
        l.push(Lot::added("2024", d("2024-12-31"), r60, dec(100), 5));
        l.push(Lot::added("2023", d("2023-12-31"), r40, dec(100), 5));
        let mut order = Vec::new();
        let mut budget = dec(250);
        l.open_and_use(&mut budget, |lot, u| order.push((lot.rate, u)));
        assert_eq!(
            order,
            vec![(r40, dec(100)), (r60, dec(100)), (r40, dec(50))]
        );
        assert_eq!(budget, dec(0));
    }
}
