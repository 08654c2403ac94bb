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
