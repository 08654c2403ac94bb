//! French amounts in words, as written on a receipt (Cerfa 16216): traditional spelling
//! ("soixante et onze", "quatre-vingts", "deux cents", "mille", "deux millions d'euros").

use rust_decimal::Decimal;

use crate::money::round_cent;

const UNITS: [&str; 20] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
];
const TENS: [&str; 7] = [
    "",
    "",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
];

/// 0..=99; `last`: nothing follows (then "quatre-vingts" takes its s).
fn below_100(n: u128, last: bool) -> String {
    match n {
        0..=19 => UNITS[n as usize].to_string(),
        20..=69 => {
            let (t, u) = (n / 10, n % 10);
            match u {
                0 => TENS[t as usize].to_string(),
                1 => format!("{} et un", TENS[t as usize]),
                _ => format!("{}-{}", TENS[t as usize], UNITS[u as usize]),
            }
        }
        70..=79 => {
            if n == 71 {
                "soixante et onze".into()
            } else {
                format!("soixante-{}", UNITS[(n - 60) as usize])
            }
        }
        _ => {
            let r = n - 80;
            if r == 0 {
                if last {
                    "quatre-vingts".into()
                } else {
                    "quatre-vingt".into()
                }
            } else {
                format!("quatre-vingt-{}", UNITS[r as usize])
            }
        }
    }
}

/// 0..=999 (0 gives "zéro"); `last`: nothing follows.
fn below_1000(n: u128, last: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    let head = match h {
        0 => return below_100(r, last),
        1 => "cent".to_string(),
        _ if r == 0 && last => format!("{} cents", UNITS[h as usize]),
        _ => format!("{} cent", UNITS[h as usize]),
    };
    if r == 0 {
        head
    } else {
        format!("{head} {}", below_100(r, last))
    }
}

/// The scale words of the long scale (French usage), largest first: 10²⁷ down to 10⁶.
///
/// They cover every [`Decimal`] (at most 7.9 × 10²⁸): a number of quadrilliards above 999
/// is itself written with these words.
const GROUPS: [(u128, &str, &str); 8] = [
    (
        1_000_000_000_000_000_000_000_000_000,
        "quadrilliard",
        "quadrilliards",
    ),
    (
        1_000_000_000_000_000_000_000_000,
        "quadrillion",
        "quadrillions",
    ),
    (1_000_000_000_000_000_000_000, "trilliard", "trilliards"),
    (1_000_000_000_000_000_000, "trillion", "trillions"),
    (1_000_000_000_000_000, "billiard", "billiards"),
    (1_000_000_000_000, "billion", "billions"),
    (1_000_000_000, "milliard", "milliards"),
    (1_000_000, "million", "millions"),
];

/// A whole number in French words (traditional spelling, long scale: million, milliard,
/// billion, billiard, trillion…), exact over the whole `u128` range.
///
/// # Examples
///
/// ```
/// assert_eq!(mecenat::words::number_fr(1234), "mille deux cent trente-quatre");
/// assert_eq!(mecenat::words::number_fr(80), "quatre-vingts");
/// assert_eq!(mecenat::words::number_fr(200_000), "deux cent mille");
/// assert_eq!(mecenat::words::number_fr(2_000_000_000_000_000), "deux billiards");
/// ```
pub fn number_fr(n: u128) -> String {
    if n == 0 {
        return "zéro".into();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut rest = n;
    for (i, (size, one, many)) in GROUPS.into_iter().enumerate() {
        let q = rest / size;
        rest %= size;
        if q > 0 {
            let w = if q == 1 { one } else { many };
            // Only the largest group can hold 1000 or more (then written recursively).
            let head = if i == 0 && q >= 1_000 {
                number_fr(q)
            } else {
                number_fr_below_million(q, false)
            };
            parts.push(format!("{head} {w}"));
        }
    }
    if rest > 0 {
        parts.push(number_fr_below_million(rest, true));
    }
    parts.join(" ")
}

/// 1..=999,999; `last`: nothing follows.
fn number_fr_below_million(n: u128, last: bool) -> String {
    let (th, r) = (n / 1000, n % 1000);
    let mut s = String::new();
    if th == 1 {
        s.push_str("mille");
    } else if th > 1 {
        // "cent" and "vingt" are invariable before "mille".
        s.push_str(&below_1000(th, false));
        s.push_str(" mille");
    }
    if r > 0 {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&below_1000(r, last));
    }
    s
}

/// An amount in euros in French words, as on a receipt.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use std::str::FromStr;
/// let w = |s| mecenat::words::euros_fr(Decimal::from_str(s).unwrap());
/// assert_eq!(w("1234.50"), "mille deux cent trente-quatre euros et cinquante centimes");
/// assert_eq!(w("1.01"), "un euro et un centime");
/// assert_eq!(w("2000000"), "deux millions d'euros");
/// assert_eq!(w("0.30"), "trente centimes");
/// ```
pub fn euros_fr(amount: Decimal) -> String {
    let a = round_cent(amount.abs());
    // Rounded to the cent, the scale is at most 2: the cents are the mantissa times
    // 10^(2 - scale), below 7.9 × 10³⁰, well within u128 (exact for every Decimal).
    let cents_total = a.mantissa().unsigned_abs() * 10u128.pow(2u32.saturating_sub(a.scale()));
    let (e, c) = (cents_total / 100, cents_total % 100);
    let mut s = String::new();
    if e > 0 || c == 0 {
        let w = number_fr(e);
        let unit = if e <= 1 {
            " euro"
        } else if w.ends_with("illions")
            || w.ends_with("illion")
            || w.ends_with("illiards")
            || w.ends_with("illiard")
        {
            " d'euros"
        } else {
            " euros"
        };
        s.push_str(&w);
        s.push_str(unit);
    }
    if c > 0 {
        if !s.is_empty() {
            s.push_str(" et ");
        }
        s.push_str(&below_100(c, true));
        s.push_str(if c == 1 { " centime" } else { " centimes" });
    }
    if amount.is_sign_negative() && !a.is_zero() {
        s.insert_str(0, "moins ");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_spelling() {
        let cases = [
            (1, "un"),
            (16, "seize"),
            (17, "dix-sept"),
            (21, "vingt et un"),
            (22, "vingt-deux"),
            (61, "soixante et un"),
            (70, "soixante-dix"),
            (71, "soixante et onze"),
            (72, "soixante-douze"),
            (80, "quatre-vingts"),
            (81, "quatre-vingt-un"),
            (90, "quatre-vingt-dix"),
            (91, "quatre-vingt-onze"),
            (99, "quatre-vingt-dix-neuf"),
            (100, "cent"),
            (101, "cent un"),
            (200, "deux cents"),
            (201, "deux cent un"),
            (280, "deux cent quatre-vingts"),
            (1000, "mille"),
            (1001, "mille un"),
            (2000, "deux mille"),
            (80_000, "quatre-vingt mille"),
            (200_000, "deux cent mille"),
            (1_000_000, "un million"),
            (2_000_000, "deux millions"),
            (2_500_000, "deux millions cinq cent mille"),
            (1_000_000_000, "un milliard"),
            (
                22_089_721,
                "vingt-deux millions quatre-vingt-neuf mille sept cent vingt et un",
            ),
        ];
        for (n, w) in cases {
            assert_eq!(number_fr(n), w, "{n}");
        }
    }

    #[test]
    fn euros() {
        use std::str::FromStr;
        let w = |s| euros_fr(Decimal::from_str(s).unwrap());
        assert_eq!(w("0"), "zéro euro");
        assert_eq!(w("1"), "un euro");
        assert_eq!(w("71"), "soixante et onze euros");
        assert_eq!(w("21.21"), "vingt et un euros et vingt et un centimes");
        assert_eq!(w("80.80"), "quatre-vingts euros et quatre-vingts centimes");
        assert_eq!(w("1000000.01"), "un million d'euros et un centime");
        assert_eq!(w("3000000000"), "trois milliards d'euros");
    }

    #[test]
    fn large_amounts_are_exact_never_zero() {
        use std::str::FromStr;
        let w = |s| euros_fr(Decimal::from_str(s).unwrap());
        let nine = "neuf cent quatre-vingt-dix-neuf";
        assert_eq!(
            w("999999999999999.99"),
            format!(
                "{nine} billions {nine} milliards {nine} millions {nine} mille {nine} euros et quatre-vingt-dix-neuf centimes"
            )
        );
        // Above u64 cents (1.8 × 10¹⁷ €): once "zéro euro".
        assert_eq!(w("1000000000000000000"), "un trillion d'euros");
        assert_eq!(w("20000000000000000000000"), "vingt trilliards d'euros");
        let max = w("79228162514264337593543950335");
        assert!(
            max.starts_with("soixante-dix-neuf quadrilliards deux cent vingt-huit quadrillions"),
            "{max}"
        );
        assert!(max.ends_with("trois cent trente-cinq euros"), "{max}");
        assert_eq!(
            w("-1000000.5"),
            "moins un million d'euros et cinquante centimes"
        );
        assert_eq!(w("0.001"), "zéro euro");
        assert_eq!(number_fr(u128::MAX).split(' ').next(), Some("trois"));
    }
}
