//! Technical bounds on input values.
//!
//! These are not legal numbers: they are the ranges within which every figure of a report
//! provably fits in a [`Decimal`] (at most 7.9 × 10²⁸, 28 significant digits), far beyond
//! any real scenario. A row with a value beyond its bound is rejected with its cell, key,
//! value and the bound, so that no input ever reaches an arithmetic overflow (a panic).
//!
//! # The arithmetic
//!
//! - An amount (salary, charges, gift, turnover, rate…) is below [`MAX_AMOUNT`] = 10¹⁵ €.
//! - A quantity of one row (days, hours, an output's quantity) is below
//!   [`MAX_QUANTITY`] = 10⁶.
//! - A pay row's annual units are at least 1 and at most a year of days or hours, and its
//!   hours per day within [1, 24]: so one entry's value (quantity × annual cost / annual
//!   units, × hours per day for days on an hours basis) is below
//!   10⁶ × 24 × 2 × 10¹⁵ / 1 = 4.8 × 10²² €; a priced rate (amount × quantity, × 24 at
//!   most for a conversion) likewise.
//! - Sums of amounts: a million rows of 10¹⁵ € make 10²¹ €, a hundred million (more
//!   rows than memory holds, whatever the face) 10²³ €, within a Decimal with a margin of
//!   over 700,000.
//! - Sums of time values could still exceed a Decimal: 1.6 million entries of
//!   4.8 × 10²² € make 7.9 × 10²⁸. [`check_time_value`] bounds their worst case,
//!   Σ quantity (days counted as 24 hours) × the largest cost or rate per unit, below
//!   [`MAX_TIME_VALUE`] = 10²⁴ €, leaving a factor of 79,000 for the products of a report
//!   (a rate, a percentage, cents).

use rust_decimal::Decimal;

/// Every amount in euros is strictly below this: 10¹⁵ € (a thousand billion euros).
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// A quantity of one row (days, hours, an output's quantity) is strictly below this: 10⁶.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// `annual_working_days` lies within [1, 366] (the days of a leap year).
pub const MAX_ANNUAL_DAYS: Decimal = Decimal::from_parts(366, 0, 0, false, 0);

/// `annual_working_hours` (and the `fte_hours` setting) lie within [1, 8784] (the hours of
/// a leap year, 366 × 24).
pub const MAX_ANNUAL_HOURS: Decimal = Decimal::from_parts(8_784, 0, 0, false, 0);

/// Annual units (days or hours), hours per day and head counts are at least 1: dividing by
/// them never multiplies a value.
pub const MIN_UNITS: Decimal = Decimal::ONE;

/// `hours_per_day` is at most 24, the hours of a day.
pub const MAX_HOURS_PER_DAY: Decimal = Decimal::from_parts(24, 0, 0, false, 0);

/// A factor such as the loading k of `smic_loaded` (`cvn_factor`) lies within [0, 10):
/// charges of ten times the wage are not a loading.
pub const MAX_FACTOR: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// A head count (setting `eligible_headcount`) lies within [1, 10⁹).
pub const MAX_COUNT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// The worst-case value of all time entries together (see [`check_time_value`]) is
/// strictly below this: 10²⁴ €.
pub const MAX_TIME_VALUE: Decimal =
    Decimal::from_parts(2_701_131_776, 466_537_709, 54_210, false, 0);

/// An amount's or count's bound as a reason clause: `"10^15"`.
pub(crate) fn show(bound: Decimal) -> String {
    let digits = bound.normalize().to_string();
    match digits.strip_prefix('1') {
        Some(zeros) if zeros.len() >= 4 && zeros.bytes().all(|b| b == b'0') => {
            format!("10^{}", zeros.len())
        }
        _ => digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn constants_are_the_powers_they_name() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(MAX_AMOUNT, d("1000000000000000"));
        assert_eq!(MAX_TIME_VALUE, d("1000000000000000000000000"));
        assert_eq!(MAX_QUANTITY, d("1000000"));
        assert_eq!(show(MAX_AMOUNT), "10^15");
        assert_eq!(show(MAX_TIME_VALUE), "10^24");
        assert_eq!(show(MAX_HOURS_PER_DAY), "24");
    }
}
