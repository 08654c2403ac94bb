//! Exact decimal helpers: rounding to the cent half away from zero, and serialization of
//! money (two decimals) and quantities (at most four decimals) as JSON strings.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

/// Rounds to the cent, half away from zero (Excel's `ROUND(x, 2)`).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use std::str::FromStr;
/// let x = Decimal::from_str("159.635").unwrap();
/// assert_eq!(mecenat::money::round_cent(x).to_string(), "159.64");
/// let y = Decimal::from_str("-0.005").unwrap();
/// assert_eq!(mecenat::money::round_cent(y).to_string(), "-0.01");
/// ```
pub fn round_cent(x: Decimal) -> Decimal {
    round_dp(x, 2)
}

/// Rounds to `dp` decimals, half away from zero.
pub fn round_dp(x: Decimal, dp: u32) -> Decimal {
    x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats money with exactly two decimals (`"16500.00"`).
pub fn fmt_money(x: Decimal) -> String {
    let mut r = round_cent(x);
    r.rescale(2);
    r.to_string()
}

/// Formats a quantity rounded to at most four decimals, without trailing zeros.
pub fn fmt_qty(x: Decimal) -> String {
    round_dp(x, 4).normalize().to_string()
}

/// Money: serialized as a string with exactly two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(pub Decimal);

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut r = round_cent(self.0);
        r.rescale(2);
        s.collect_str(&r)
    }
}

/// A quantity (hours, days, FTE, share): serialized as a string, at most four decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Qty(pub Decimal);

impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&round_dp(self.0, 4).normalize())
    }
}

/// A rate such as `0.60`: serialized with at least two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Rate(pub Decimal);

impl Rate {
    /// The rate as text, at least two decimals (`"0.60"`, `"0.40"`).
    pub fn label(&self) -> String {
        let mut r = self.0.normalize();
        if r.scale() < 2 {
            r.rescale(2);
        }
        r.to_string()
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rounding_is_half_away_from_zero() {
        let r = |s: &str| round_cent(Decimal::from_str(s).unwrap()).to_string();
        assert_eq!(r("0.125"), "0.13");
        assert_eq!(r("0.135"), "0.14");
        assert_eq!(r("-0.125"), "-0.13");
        assert_eq!(r("2.675"), "2.68");
        assert_eq!(fmt_money(Decimal::from(16500)), "16500.00");
        assert_eq!(fmt_qty(Decimal::from_str("0.013067").unwrap()), "0.0131");
        assert_eq!(fmt_qty(Decimal::from_str("21.0000").unwrap()), "21");
        assert_eq!(Rate(Decimal::from_str("0.6").unwrap()).label(), "0.60");
        assert_eq!(Rate(Decimal::from_str("0.005").unwrap()).label(), "0.005");
    }
}
