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

/// `a × b / c` rounded to the cent, half away from zero: `round_cent(a * b / c)`, with the
/// result always at two decimals.
///
/// When the operands are small enough (the usual case: a quantity, an annual cost, annual
/// units), it is computed on integers, exactly: the decimal quotient has an error below
/// 10⁻¹⁶ € while a quotient that is not a midpoint lies at least 5 × 10⁻¹⁶ € from one
/// (its denominator is at most 10¹³), so both round to the same cent; a midpoint is exact in
/// both. Otherwise the decimal computation is used.
pub(crate) fn mul_div_cent(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    let mut r = mul_div_cent_exact(a, b, c).unwrap_or_else(|| round_cent(a * b / c));
    r.rescale(2);
    r
}

fn mul_div_cent_exact(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    const MAX_DEN: u128 = 10_000_000_000_000; // 10^13
    const MAX_CENTS: u128 = 100_000_000_000_000; // 10^14 cents = 10^12 €
    let ten = |e: u32| 10i128.checked_pow(e);
    let (sab, sc) = (a.scale() + b.scale(), c.scale());
    let ab = a.mantissa().checked_mul(b.mantissa())?;
    // a × b must be exact as a decimal too (96-bit mantissa, scale at most 28).
    if ab.unsigned_abs() >= 1u128 << 96 || sab > 28 || c.is_zero() {
        return None;
    }
    // In cents: ab / 10^sab / (mc / 10^sc) × 100 = ab × 10^(sc + 2) / (mc × 10^sab).
    let num = ab.checked_mul(ten(sc + 2)?)?;
    let den = c.mantissa().checked_mul(ten(sab)?)?;
    if den.unsigned_abs() > MAX_DEN {
        return None;
    }
    let (q, r) = (num / den, num % den);
    let q = if 2 * r.unsigned_abs() >= den.unsigned_abs() {
        q + num.signum() * den.signum()
    } else {
        q
    };
    if q.unsigned_abs() >= MAX_CENTS {
        return None;
    }
    Decimal::try_from_i128_with_scale(q, 2).ok()
}

/// Formats money with exactly two decimals (`"16500.00"`).
pub fn fmt_money(x: Decimal) -> String {
    Money(x).shown().to_string()
}

/// Formats a quantity rounded to at most four decimals, without trailing zeros.
pub fn fmt_qty(x: Decimal) -> String {
    Qty(x).shown().to_string()
}

/// Money: serialized as a string with exactly two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(pub Decimal);

impl Money {
    /// The amount as it is written: rounded to the cent, exactly two decimals.
    pub(crate) fn shown(self) -> Decimal {
        let mut r = round_cent(self.0);
        r.rescale(2);
        r
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(DecimalText::new(self.shown()).as_str())
    }
}

/// Appends a decimal's text as its `Display` writes it (`"-12.50"`), without the formatting
/// machinery: for writers of millions of cells.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// let mut out = String::from("<v>");
/// mecenat::money::push_decimal(&mut out, Decimal::new(-1250, 2));
/// assert_eq!(out, "<v>-12.50");
/// ```
pub fn push_decimal(out: &mut String, d: Decimal) {
    out.push_str(DecimalText::new(d).as_str());
}

/// The decimal digits of `n`, written at the end of `buf` (no formatting machinery: for
/// writers of millions of numbers).
///
/// # Examples
///
/// ```
/// let mut buf = [0u8; 20];
/// assert_eq!(mecenat::money::uint_text(1250, &mut buf), b"1250");
/// assert_eq!(mecenat::money::uint_text(0, &mut buf), b"0");
/// assert_eq!(mecenat::money::uint_text(u64::MAX, &mut buf), u64::MAX.to_string().as_bytes());
/// ```
pub fn uint_text(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[at..]
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

impl Qty {
    /// The quantity as it is written: at most four decimals, no trailing zeros.
    pub(crate) fn shown(self) -> Decimal {
        round_dp(self.0, 4).normalize()
    }
}

impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(DecimalText::new(self.shown()).as_str())
    }
}

/// Serializes an optional date as chrono does (`"2024-03-01"`, or `null`), without the
/// formatting machinery for the years 0 to 9999 (a million entries carry one each).
pub(crate) fn iso_date<S: Serializer>(
    d: &Option<chrono::NaiveDate>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d.and_then(iso_date_text) {
        Some(buf) => s.serialize_str(std::str::from_utf8(&buf).unwrap_or_default()),
        None => d.serialize(s),
    }
}

/// A date's ISO text (`2024-03-01`) for the years 0 to 9999, else `None`.
pub(crate) fn iso_date_text(d: chrono::NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    if !(0..=9999).contains(&d.year()) {
        return None;
    }
    let (y, m, day) = (d.year() as u32, d.month(), d.day());
    let digit = |x: u32| b'0' + (x % 10) as u8;
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
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

    #[test]
    fn mul_div_cent_by_hand() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // 1 day of 60,000 € over 218 days: 275.229357… → 275.23.
        assert_eq!(
            mul_div_cent(d("1"), d("60000"), d("218")).to_string(),
            "275.23"
        );
        // A midpoint: 0.5 × 0.25 / 1 = 0.125 → 0.13 (away from zero).
        assert_eq!(
            mul_div_cent(d("0.5"), d("0.25"), d("1")).to_string(),
            "0.13"
        );
        assert_eq!(
            mul_div_cent(d("-0.5"), d("0.25"), d("1")).to_string(),
            "-0.13"
        );
        // Exact, and at two decimals.
        assert_eq!(mul_div_cent(d("2"), d("150"), d("1")).to_string(), "300.00");
        // 7 hours of 52,000 € over 1,607 hours: 226.5090230… → 226.51.
        assert_eq!(
            mul_div_cent(d("7"), d("52000"), d("1607")).to_string(),
            "226.51"
        );
    }

    proptest! {
        #[test]
        fn iso_date_is_chrono(days in -4_000_000i32..4_000_000) {
            let d = chrono::NaiveDate::from_num_days_from_ce_opt(days);
            let mut ours = Vec::new();
            iso_date(&d, &mut serde_json::Serializer::new(&mut ours)).unwrap();
            prop_assert_eq!(ours, serde_json::to_vec(&d).unwrap());
        }

        #[test]
        fn mul_div_cent_is_the_decimal_computation(
            q in 1u64..=10_000_000, qs in 0u32..=4,
            cost in 0u64..=100_000_000_000, cs in 0u32..=2,
            units in 1u64..=10_000_000, us in 0u32..=4,
        ) {
            let (a, b, c) = (Decimal::new(q as i64, qs), Decimal::new(cost as i64, cs), Decimal::new(units as i64, us));
            let mut want = round_cent(a * b / c);
            want.rescale(2);
            prop_assert_eq!(mul_div_cent(a, b, c), want);
            prop_assert_eq!(mul_div_cent(a, b, c).to_string(), want.to_string());
        }

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
