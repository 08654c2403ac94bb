//! The one reading of text cells, shared by every face: a decimal or a date written as
//! text is read here, whether it came from a JSON string, an Excel or LibreOffice text
//! cell, or a Python `str`, so that the same data gives the same report in every face.
//!
//! Decimals: the international form of the format (`"1234.50"`, `"-3"`) and the French
//! one (`"1 234,50"`, `"1234,50"`, thousands separated by spaces, no-break or thin spaces),
//! an optional `€` after the figure. Refused: both marks in one text (`"1.234,56"`,
//! ambiguous), a comma followed by exactly three digits after one to three digits
//! (`"1,234"`: an English thousands separator or a French decimal?), spaces that do not
//! separate thousands (`"1 2 3 4"`), and everything `Decimal::from_str` would partly
//! accept (`1_000`, `0_._5`, `1e9`, `+5`, `.5`, `5.`).
//!
//! Dates: ISO `2025-03-01` (exactly: four-digit year, two-digit month and day), or French
//! `01/03/2025` (day and month of one or two digits, four-digit year).

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a text is not a decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberTextError {
    /// Not a number in any accepted form.
    NotANumber,
    /// Both a comma and a point, or `1,234`: which one is the decimal mark cannot be told.
    Ambiguous,
    /// Of an accepted form, but beyond what a decimal holds (28 significant digits).
    TooLarge,
}

/// A number read from text: its value, and whether it was written with a euro sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextNumber {
    /// The exact value.
    pub value: Decimal,
    /// Whether the text ended with `€` (acceptable for an amount only).
    pub euro: bool,
}

/// The spaces that may separate thousands: space, no-break space, narrow no-break space
/// (what French typography and Excel's French formats use) and thin space.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Reads a decimal written as text (see the module's documentation for the forms).
///
/// # Errors
///
/// [`NumberTextError::Ambiguous`] for `1.234,56` or `1,234`, [`NumberTextError::TooLarge`]
/// beyond 28 significant digits, [`NumberTextError::NotANumber`] otherwise.
///
/// # Examples
///
/// ```
/// use mecenat::cells::{parse_number, NumberTextError};
/// assert_eq!(parse_number("1 234,50").unwrap().value.to_string(), "1234.50");
/// assert_eq!(parse_number("1234.50").unwrap().value.to_string(), "1234.50");
/// assert!(parse_number("12 €").unwrap().euro);
/// assert_eq!(parse_number("1.234,56"), Err(NumberTextError::Ambiguous));
/// assert_eq!(parse_number("1_000"), Err(NumberTextError::NotANumber));
/// ```
pub fn parse_number(text: &str) -> Result<TextNumber, NumberTextError> {
    let t = text.trim_matches(|c: char| c.is_whitespace());
    let (t, euro) = match t.strip_suffix('€') {
        Some(rest) => (rest.trim_end_matches(is_group_space), true),
        None => (t, false),
    };
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let (commas, points) = (unsigned.matches(',').count(), unsigned.matches('.').count());
    if commas > 0 && points > 0 {
        return Err(NumberTextError::Ambiguous);
    }
    if commas + points > 1 {
        return Err(NumberTextError::NotANumber);
    }
    let (int, frac) = match unsigned.split_once([',', '.']) {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if frac.is_some_and(|f| !digits(f)) || !int_part_ok(int) {
        return Err(NumberTextError::NotANumber);
    }
    if commas == 1 && frac.is_some_and(|f| f.len() == 3) && int.len() <= 3 && !int.starts_with('0')
    {
        // "1,234" could be an English thousands separator: refuse to guess.
        return Err(NumberTextError::Ambiguous);
    }
    let mut plain = String::with_capacity(t.len());
    if unsigned.len() != t.len() {
        plain.push('-');
    }
    plain.extend(int.chars().filter(char::is_ascii_digit));
    if let Some(f) = frac {
        plain.push('.');
        plain.push_str(f);
    }
    let value = Decimal::from_str_exact(&plain).map_err(|_| NumberTextError::TooLarge)?;
    Ok(TextNumber { value, euro })
}

/// Whether the integer part is digits, or groups of digits separated by one space each: a
/// first group of 1 to 3 digits, then groups of exactly 3 (`1 234 567`).
fn int_part_ok(int: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !int.contains(is_group_space) {
        return digits(int);
    }
    let mut groups = int.split(is_group_space);
    let first = groups.next().unwrap_or("");
    digits(first) && first.len() <= 3 && groups.all(|g| digits(g) && g.len() == 3)
}

/// Reads a decimal written as text, without a euro sign (see [`parse_number`]).
///
/// # Errors
///
/// As [`parse_number`]; a text with `€` is [`NumberTextError::NotANumber`].
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberTextError> {
    match parse_number(text)? {
        TextNumber { euro: true, .. } => Err(NumberTextError::NotANumber),
        TextNumber { value, .. } => Ok(value),
    }
}

/// Reads a date written as text: ISO `YYYY-MM-DD` or French `JJ/MM/AAAA` (surrounding
/// spaces ignored); `None` for anything else or a day that does not exist.
///
/// # Examples
///
/// ```
/// use mecenat::cells::parse_date;
/// assert_eq!(parse_date("2025-12-31"), parse_date("31/12/2025"));
/// assert_eq!(parse_date("1/3/2025").unwrap().to_string(), "2025-03-01");
/// assert_eq!(parse_date("31/02/2025"), None);
/// assert_eq!(parse_date("12/31/2025"), None);
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    parse_iso_date(t).or_else(|| parse_french_date(t))
}

/// An ISO date `YYYY-MM-DD`, exactly: four-digit year, two-digit month and day.
pub(crate) fn parse_iso_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(num(&b[0..4])?).ok()?,
        num(&b[5..7])?,
        num(&b[8..10])?,
    )
}

/// A French date `JJ/MM/AAAA` (`1/3/2025` too): day and month of one or two digits, a
/// four-digit year.
fn parse_french_date(t: &str) -> Option<NaiveDate> {
    let mut parts = t.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&d.len())
        || !(1..=2).contains(&m.len())
    {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(num(y.as_bytes())?).ok()?,
        num(m.as_bytes())?,
        num(d.as_bytes())?,
    )
}

/// ASCII digits as a number (`None` for anything else).
fn num(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(t: &str) -> Result<String, NumberTextError> {
        parse_decimal(t).map(|d| d.to_string())
    }

    #[test]
    fn the_international_and_french_forms_are_read_alike() {
        for (t, want) in [
            ("1234.50", "1234.50"),
            ("1234,50", "1234.50"),
            ("1 234,50", "1234.50"),
            ("1\u{a0}234,50", "1234.50"),
            ("1\u{202f}234\u{202f}567,5", "1234567.5"),
            ("1 234.50", "1234.50"),
            ("-12 000", "-12000"),
            ("-3,5", "-3.5"),
            ("0,5", "0.5"),
            ("0,123", "0.123"),
            ("1,2345", "1.2345"),
            ("12 345,678", "12345.678"),
            (" 218 ", "218"),
            ("-0", "0"),
            ("007", "7"),
            ("1.234", "1.234"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
        ] {
            assert_eq!(n(t), Ok(want.to_string()), "{t:?}");
        }
    }

    #[test]
    fn ambiguous_texts_are_refused_as_such() {
        for t in [
            "1.234,56",
            "1,234.56",
            "1 234.567,8",
            "1,234",
            "-12,500",
            "999,000",
        ] {
            assert_eq!(n(t), Err(NumberTextError::Ambiguous), "{t:?}");
        }
    }

    #[test]
    fn what_is_not_a_number_stays_refused() {
        for t in [
            "1_000",
            "0_._5",
            "1 2 3 4",
            "12 34",
            "1 234,5 0",
            "1234 ,50",
            "1  234",
            " 1234 567",
            "1e9",
            "1E9",
            "+5",
            ".5",
            "5.",
            ",5",
            "1.2.3",
            "1,2,3",
            "--1",
            "-",
            "",
            "½",
            "١٢",
            "0x10",
            "NaN",
            "inf",
            "douze",
            "12 €€",
            "€",
            "- 5",
        ] {
            assert_eq!(n(t), Err(NumberTextError::NotANumber), "{t:?}");
        }
        assert_eq!(
            n("792281625142643375935439503350"),
            Err(NumberTextError::TooLarge)
        );
    }

    #[test]
    fn a_euro_sign_is_read_and_told() {
        let m = parse_number("1 234,56 €").unwrap();
        assert_eq!((m.value.to_string().as_str(), m.euro), ("1234.56", true));
        let m = parse_number("12€").unwrap();
        assert_eq!((m.value.to_string().as_str(), m.euro), ("12", true));
        assert!(!parse_number("12").unwrap().euro);
        assert_eq!(parse_decimal("12 €"), Err(NumberTextError::NotANumber));
    }

    #[test]
    fn dates_iso_and_french() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("2025-03-03"), d(2025, 3, 3));
        assert_eq!(parse_date("2024-02-29"), d(2024, 2, 29));
        assert_eq!(parse_date("03/02/2025"), d(2025, 2, 3));
        assert_eq!(parse_date("3/2/2025"), d(2025, 2, 3));
        assert_eq!(parse_date(" 31/12/2025 "), d(2025, 12, 31));
        for bad in [
            "2025-02-30",
            "2025-13-01",
            "2025-3-03",
            "25-03-03xx",
            "2025/03/03",
            "2025-03-0a",
            "+025-03-03",
            "",
            "31/02/2025",
            "12/31/2025",
            "03/02/25",
            "003/02/2025",
            "03-02-2025",
            "3/2/2025/1",
            "+3/2/2025",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
