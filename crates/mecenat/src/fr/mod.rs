//! French words and figures for the documents and texts people read: decimals with a
//! comma, amounts with thousands separated by a space, dates as `31/12/2025`, days in
//! prose.

pub mod words;

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
    format!("{sign}{},{dec}", group_thousands(int))
}

/// A date as French text (`31/12/2025`).
pub(crate) fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// Digits of a whole number grouped by three with a space (`"1234567"` → `"1 234 567"`).
fn group_thousands(int: &str) -> String {
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    grouped
}

/// An amount in euros as French text with its sign: `"1 234,50 €"`.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(mecenat::fr::fr_euros(Decimal::new(21611802, 2)), "216 118,02 €");
/// ```
pub fn fr_euros(d: Decimal) -> String {
    format!("{} €", fr_amount(d))
}

/// Whole euros as French text, as forms take them: `"64 440 €"`.
pub fn fr_whole_euros(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{} €", group_thousands(&n.unsigned_abs().to_string()))
}

/// A quantity as French text, rounded half away from zero to at most `decimals` decimals,
/// trailing zeros dropped, thousands separated by a space: `"1 571,5"`, `"0,98"`.
pub fn fr_number(d: Decimal, decimals: u32) -> String {
    let t = crate::money::round_dp(d, decimals).normalize().to_string();
    let (sign, t) = t.strip_prefix('-').map_or(("", t.as_str()), |r| ("-", r));
    match t.split_once('.') {
        Some((int, dec)) => format!("{sign}{},{dec}", group_thousands(int)),
        None => format!("{sign}{}", group_thousands(t)),
    }
}

/// A rate as a French percentage, with the space French puts before `%`: `"0.60"` →
/// `"60 %"`, `"0.055"` → `"5,5 %"`.
pub fn fr_percent(rate: Decimal) -> String {
    format!("{} %", fr_number(rate * Decimal::ONE_HUNDRED, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn euros_have_thousands_and_a_comma() {
        assert_eq!(fr_euros(d("216118.02")), "216 118,02 €");
        assert_eq!(fr_euros(d("64440")), "64 440,00 €");
        assert_eq!(fr_euros(d("999.999")), "1 000,00 €");
        assert_eq!(fr_euros(d("0.005")), "0,01 €");
        assert_eq!(fr_euros(d("-1234.5")), "-1 234,50 €");
        assert_eq!(fr_euros(d("100")), "100,00 €");
        assert_eq!(fr_euros(d("1000000")), "1 000 000,00 €");
    }

    #[test]
    fn whole_euros_for_forms() {
        assert_eq!(fr_whole_euros(64440), "64 440 €");
        assert_eq!(fr_whole_euros(0), "0 €");
        assert_eq!(fr_whole_euros(999), "999 €");
        assert_eq!(fr_whole_euros(1_234_567), "1 234 567 €");
        assert_eq!(fr_whole_euros(-20000), "-20 000 €");
    }

    #[test]
    fn numbers_are_rounded_half_away_from_zero_and_grouped() {
        assert_eq!(fr_number(d("1571.5"), 2), "1 571,5");
        assert_eq!(fr_number(d("224.50"), 2), "224,5");
        assert_eq!(fr_number(d("0.975"), 2), "0,98");
        assert_eq!(fr_number(d("0.985"), 2), "0,99");
        assert_eq!(fr_number(d("-0.125"), 2), "-0,13");
        assert_eq!(fr_number(d("12000"), 2), "12 000");
        assert_eq!(fr_number(d("1234.5678"), 4), "1 234,5678");
        assert_eq!(fr_number(d("0.0001"), 2), "0");
    }

    #[test]
    fn percentages_and_dates() {
        assert_eq!(fr_percent(d("0.60")), "60 %");
        assert_eq!(fr_percent(d("0.40")), "40 %");
        assert_eq!(fr_percent(d("0.2262")), "22,62 %");
        assert_eq!(fr_percent(d("0")), "0 %");
        let date = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(fr_date(date), "31/12/2025");
        let date = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert_eq!(fr_date(date), "01/02/2026");
    }
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
