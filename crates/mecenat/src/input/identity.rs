//! Identity checks (issue 12, item 5): the SIREN and RNA numbers printed on receipts and
//! declarations are checked for their form, and a number that cannot be one gets a
//! warning naming its table, row, key and value. Nothing is rejected:
//! the number is printed as given, the user corrects it.
//!
//! - a **SIREN** is 9 digits whose Luhn key is valid (the sum of the digits, those in
//!   even places from the left doubled and reduced by 9 above 9, is a multiple of 10);
//!   spaces between groups of digits (`552 100 554`) are allowed;
//! - an **RNA** number (répertoire national des associations) is `W` and 9 digits
//!   (`W751000001`);
//! - the same for an intermediary's `intermediary_siren` and `intermediary_rna` (they go
//!   on the 2069-RCI-SD list);
//! - a `recognition_decree` is printed only for a public-utility body (`category`
//!   `public_utility`): given for another category, it is warned about, not printed.

use crate::input::scenario::Scenario;

/// Whether `text` is a SIREN: 9 digits (spaces and no-break spaces between them allowed)
/// with a valid Luhn key.
///
/// # Examples
///
/// ```
/// assert!(mecenat::identity::is_siren("552100554"));
/// assert!(mecenat::identity::is_siren("552 100 554"));
/// assert!(!mecenat::identity::is_siren("552100555")); // wrong key
/// assert!(!mecenat::identity::is_siren("55210055")); // 8 digits
/// ```
pub fn is_siren(text: &str) -> bool {
    let digits: Vec<u32> = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if digits.len() != 9 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| match (i % 2 == 1, d * 2) {
            (true, x) if x > 9 => x - 9,
            (true, x) => x,
            (false, _) => d,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether `text` is an RNA number: `W` then 9 digits.
///
/// # Examples
///
/// ```
/// assert!(mecenat::identity::is_rna("W751000001"));
/// assert!(!mecenat::identity::is_rna("W75100000")); // 8 digits
/// assert!(!mecenat::identity::is_rna("751000001")); // no W
/// ```
pub fn is_rna(text: &str) -> bool {
    text.strip_prefix('W')
        .is_some_and(|rest| rest.len() == 9 && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// Where a value is: `companies row 2, key siren`. The Excel cell is not named, so that
/// the same data gives the same report through every face (the row of a sheet is the
/// table's row + 1, under its header).
fn place(_s: &Scenario, table: &str, row: usize, key: &str) -> String {
    format!("{table} row {row}, key {key}")
}

/// The identity warnings of a scenario, in table then row order.
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{
///   "companies": [{"id": "C1", "name": "Exemple", "siren": "123456789"}],
///   "beneficiaries": [{"id": "A1", "name": "Élan", "rna": "W75100001"}]
/// }"#)?;
/// let w = mecenat::identity::warnings(&s);
/// assert_eq!(w.len(), 2);
/// assert!(w[0].starts_with("companies row 1, key siren: \"123456789\" is not a SIREN"));
/// assert!(w[1].starts_with("beneficiaries row 1, key rna: \"W75100001\" is not an RNA number"));
/// # Ok::<(), mecenat::Error>(())
/// ```
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let siren = |out: &mut Vec<String>, table: &str, row: usize, key: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !is_siren(v)) {
            out.push(format!(
                "{}: {v:?} is not a SIREN (9 digits with a valid check key): \
                 it is printed as given on receipts and declarations, check it",
                place(s, table, row, key)
            ));
        }
    };
    let rna = |out: &mut Vec<String>, row: usize, key: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !is_rna(v)) {
            out.push(format!(
                "{}: {v:?} is not an RNA number (W and 9 digits): it is printed as given \
                 on receipts and declarations, check it",
                place(s, "beneficiaries", row, key)
            ));
        }
    };
    for c in &s.companies {
        siren(&mut out, "companies", c.row, "siren", &c.siren);
    }
    for b in &s.beneficiaries {
        siren(&mut out, "beneficiaries", b.row, "siren", &b.siren);
        rna(&mut out, b.row, "rna", &b.rna);
        siren(
            &mut out,
            "beneficiaries",
            b.row,
            "intermediary_siren",
            &b.intermediary_siren,
        );
        rna(&mut out, b.row, "intermediary_rna", &b.intermediary_rna);
        if let Some(d) = b
            .recognition_decree
            .filter(|_| b.category != crate::input::scenario::Category::PublicUtility)
        {
            out.push(format!(
                "{}: a recognition decree ({d}) is printed for a public-utility body only, \
                 and the category is {:?}: it is not printed on the receipts",
                place(s, "beneficiaries", b.row, "recognition_decree"),
                b.category.code()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_key_by_hand() {
        // 732 829 320: 7 + (3×2=6) + 2 + (8×2=16→7) + 2 + (9×2=18→9) + 3 + (2×2=4) + 0 = 40.
        assert!(is_siren("732829320"));
        // The last digit changed: 41.
        assert!(!is_siren("732829321"));
        // Two digits swapped: 7 + (2×2=4) + 3 + … = 39, not a multiple of 10.
        assert!(!is_siren("723829320"));
        assert!(is_siren("732\u{a0}829\u{a0}320"));
        for bad in [
            "",
            "73282932",
            "7328293200",
            "73282932O",
            "७३२८२९३२०",
            "-32829320",
        ] {
            assert!(!is_siren(bad), "{bad}");
        }
    }

    #[test]
    fn rna_form() {
        assert!(is_rna("W942004518"));
        for bad in [
            "w942004518",
            "W9420045181",
            "W94200451",
            "W94200451A",
            "942004518",
            "",
        ] {
            assert!(!is_rna(bad), "{bad}");
        }
    }

    #[test]
    fn warnings_name_the_row_key_and_value() {
        let s = Scenario::from_json(
            r#"{
              "companies": [{"id": "C1", "name": "A", "siren": "552100554"},
                            {"id": "C2", "name": "B", "siren": "55210055"}],
              "beneficiaries": [
                {"id": "A1", "name": "X", "siren": "552100555", "rna": "W751000001"},
                {"id": "A2", "name": "Y", "rna": "751000001", "recognition_decree": "1985-03-12"},
                {"id": "A3", "name": "Z", "category": "public_utility", "recognition_decree": "1985-03-12",
                 "intermediary_name": "Fédération", "intermediary_siren": "12345678",
                 "intermediary_rna": "W12345678"}
              ]
            }"#,
        )
        .unwrap();
        let w = warnings(&s);
        assert_eq!(w.len(), 6, "{w:#?}");
        assert!(w[0].starts_with("companies row 2, key siren: \"55210055\" is not a SIREN"));
        assert!(w[1].starts_with("beneficiaries row 1, key siren: \"552100555\" is not a SIREN"));
        assert!(w[2].starts_with("beneficiaries row 2, key rna: \"751000001\" is not an RNA"));
        assert!(w[3].starts_with(
            "beneficiaries row 2, key recognition_decree: a recognition decree (1985-03-12)"
        ));
        assert!(w[4].starts_with(
            "beneficiaries row 3, key intermediary_siren: \"12345678\" is not a SIREN"
        ));
        assert!(w[5]
            .starts_with("beneficiaries row 3, key intermediary_rna: \"W12345678\" is not an RNA"));
    }
}
