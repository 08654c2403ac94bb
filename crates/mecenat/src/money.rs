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
        s.serialize_str(DecimalText::new(r).as_str())
    }
}

/// A decimal's text as its `Display` writes it (sign, digits, point at its scale), built on
/// the stack: serializing a million amounts goes through no formatter machinery.
pub(crate) struct DecimalText {
    buf: [u8; 48],
    start: usize,
}

impl DecimalText {
    pub(crate) fn new(d: Decimal) -> Self {
        let mut buf = [b'0'; 48];
        let scale = d.scale() as usize;
        let m = d.mantissa().unsigned_abs();
        // Digits from the right; at least one digit before the point. Most mantissas fit in
        // 64 bits, where division by ten is one instruction.
        let mut i = buf.len();
        let mut written = 0;
        let mut put = |digit: u8, i: &mut usize| {
            if written == scale && scale > 0 {
                *i -= 1;
                buf[*i] = b'.';
            }
            *i -= 1;
            buf[*i] = b'0' + digit;
            written += 1;
        };
        match u64::try_from(m) {
            Ok(mut m) => {
                let mut n = 0;
                while m > 0 || n <= scale {
                    put((m % 10) as u8, &mut i);
                    m /= 10;
                    n += 1;
                }
            }
            Err(_) => {
                let mut m = m;
                let mut n = 0;
                while m > 0 || n <= scale {
                    put((m % 10) as u8, &mut i);
                    m /= 10;
                    n += 1;
                }
            }
        }
        if d.is_sign_negative() {
            i -= 1;
            buf[i] = b'-';
        }
        DecimalText { buf, start: i }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits, '.' and '-' were written.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}

/// A quantity (hours, days, FTE, share): serialized as a string, at most four decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Qty(pub Decimal);

impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(DecimalText::new(round_dp(self.0, 4).normalize()).as_str())
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
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn decimal_text_is_display() {
        for t in [
            "0",
            "0.00",
            "-0.00",
            "1",
            "-1",
            "0.5",
            "-0.05",
            "16500.00",
            "0.0131",
            "10",
            "100.10",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
        ] {
            let d = Decimal::from_str(t).unwrap();
            assert_eq!(DecimalText::new(d).as_str(), d.to_string(), "{t}");
        }
        let neg_zero = Decimal::from_str("-0.001").unwrap().round_dp(2);
        assert_eq!(DecimalText::new(neg_zero).as_str(), neg_zero.to_string());
    }

    proptest! {
        #[test]
        fn decimal_text_is_display_everywhere(m in any::<i64>(), hi in any::<u32>(), scale in 0u32..=28, neg in any::<bool>()) {
            let d = Decimal::from_parts(m as u32, (m >> 32) as u32, hi, neg, scale);
            let text = DecimalText::new(d);
            prop_assert_eq!(text.as_str(), d.to_string());
        }
    }

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
