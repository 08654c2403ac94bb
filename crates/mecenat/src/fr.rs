//! French words and figures for the documents and texts people read: decimals with a
//! comma, amounts with thousands separated by a space, dates as `31/12/2025`, days in
//! prose.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// French decimal text (`12,5`), at most four decimals.
pub(crate) fn fr(d: Decimal) -> String {
    crate::money::fmt_qty(d).replace('.', ",")
}

/// A number of days in French: singular below 2 (`1 jour`, `0,5 jour`, `2,5 jours`).
pub(crate) fn fr_days(d: Decimal) -> String {
    format!(
        "{} {}",
        fr(d),
        if d < Decimal::TWO { "jour" } else { "jours" }
    )
}

/// An amount in euros as French text: two decimals, a comma, thousands separated by a
/// space (`"1 234,50"`).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(mecenat::fr::fr_amount(Decimal::new(123450, 2)), "1 234,50");
/// assert_eq!(mecenat::fr::fr_amount(Decimal::new(-5, 1)), "-0,50");
/// ```
pub fn fr_amount(d: Decimal) -> String {
    let t = crate::money::fmt_money(d);
    let (sign, t) = t.strip_prefix('-').map_or(("", t.as_str()), |r| ("-", r));
    let (int, dec) = t.split_once('.').unwrap_or((t, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{dec}")
}

/// A date as French text (`31/12/2025`).
pub(crate) fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// A number in French prose: rounded half away from zero to at most `max_dp` decimals
/// (trailing zeros dropped), a comma, thousands separated by a space (`1 571,5`).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(mecenat::fr::fr_number(Decimal::new(15715, 1), 2), "1 571,5");
/// assert_eq!(mecenat::fr::fr_number(Decimal::new(2246428, 4), 2), "224,64");
/// assert_eq!(mecenat::fr::fr_number(Decimal::new(1234567, 0), 2), "1 234 567");
/// ```
pub fn fr_number(d: Decimal, max_dp: u32) -> String {
    let r = d
        .round_dp_with_strategy(max_dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let t = r.abs().to_string();
    let (int, dec) = t.split_once('.').unwrap_or((t.as_str(), ""));
    let mut out = String::new();
    if r.is_sign_negative() && !r.is_zero() {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    if !dec.is_empty() {
        out.push(',');
        out.push_str(dec);
    }
    out
}

/// A quantity in French prose with its unit, at most 2 decimals, singular below 2
/// (`0,5 jour`, `1 571,5 heures`): `one` and `many` are the unit's two forms.
pub fn fr_quantity(d: Decimal, one: &str, many: &str) -> String {
    let r = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!(
        "{} {}",
        fr_number(r, 2),
        if r.abs() < Decimal::TWO { one } else { many }
    )
}

/// `de` before a name, elided before a vowel (`d'Octet Conseil`, `de Vague Bleue`); an
/// initial `h` is left alone (it may be aspirated: `de Hachette`).
///
/// # Examples
///
/// ```
/// assert_eq!(mecenat::fr::de("Octet Conseil"), "d'Octet Conseil");
/// assert_eq!(mecenat::fr::de("Élan"), "d'Élan");
/// assert_eq!(mecenat::fr::de("Vague Bleue"), "de Vague Bleue");
/// ```
pub fn de(name: &str) -> String {
    let vowel = name.chars().next().is_some_and(|c| {
        c.to_lowercase()
            .next()
            .is_some_and(|l| "aeiouyàâäéèêëîïôöùûüÿœæ".contains(l))
    });
    if vowel {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

#[cfg(test)]
mod prose_tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn numbers_in_prose() {
        assert_eq!(fr_number(d("1571.5"), 2), "1 571,5");
        assert_eq!(fr_number(d("224.6428"), 2), "224,64");
        // Half away from zero: 0.125 -> 0.13, -0.125 -> -0.13.
        assert_eq!(fr_number(d("0.125"), 2), "0,13");
        assert_eq!(fr_number(d("-0.125"), 2), "-0,13");
        assert_eq!(fr_number(d("999.999"), 2), "1 000");
        assert_eq!(fr_number(d("-0.001"), 2), "0");
        assert_eq!(fr_number(d("12345678.9"), 2), "12 345 678,9");
        assert_eq!(fr_number(d("100"), 2), "100");
    }

    #[test]
    fn quantities_and_their_plural() {
        assert_eq!(fr_quantity(d("0.5"), "jour", "jours"), "0,5 jour");
        assert_eq!(fr_quantity(d("1.999"), "jour", "jours"), "2 jours");
        assert_eq!(fr_quantity(d("224.6428"), "jour", "jours"), "224,64 jours");
        assert_eq!(
            fr_quantity(d("1571.5"), "heure", "heures"),
            "1 571,5 heures"
        );
    }

    #[test]
    fn elision() {
        assert_eq!(de("Octet"), "d'Octet");
        assert_eq!(de("Œuvre"), "d'Œuvre");
        assert_eq!(de("île"), "d'île");
        assert_eq!(de("Habitat"), "de Habitat");
        assert_eq!(de("Vague"), "de Vague");
        assert_eq!(de(""), "de ");
    }
}
