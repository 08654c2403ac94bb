//! The length of a loan of staff (rules-company §6): since loi 2024-344 (C. trav.
//! L. 8241-3) a company lends an employee to a general-interest body for at most a number of
//! years (the dated parameter `staff_loan_max_years`). When one employee's entries for one
//! beneficiary span longer, the report warns, naming both and the span; nothing is excluded.

use chrono::{Months, NaiveDate};
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::input::resolve::{ByCopy, Numbers};
use crate::input::scenario::{Giver, Scenario, TimeEntry};
use crate::law::{Law, OnDate};

/// The first and last date of one employee's approved entries for one beneficiary.
pub(crate) struct Span<'s> {
    employee: &'s str,
    beneficiary: &'s str,
    first: NaiveDate,
    last: NaiveDate,
}

/// The first and last date of each employee's approved entries for each beneficiary, in the
/// order the pairs first appear (so that the warnings come in input order).
///
/// Each id gets a dense number (found by the address of its shared copy, by its text the
/// first time), then each pair of numbers its span: in a table when the pairs are few
/// enough, else in a map.
pub(crate) fn spans(s: &Scenario) -> Vec<Span<'_>> {
    let (mut employees, mut beneficiaries) = (Numbers::new(), Numbers::new());
    let (mut employee_copies, mut beneficiary_copies) = (ByCopy::new(), ByCopy::new());
    let pairs: Vec<(u32, u32, &TimeEntry)> = s
        .time_entries
        .iter()
        .filter(|te| !te.refused)
        .filter_map(|te| match &te.giver {
            Giver::Employee(e) => Some((
                employee_copies.get(e, |_| employees.of(&**e)),
                beneficiary_copies.get(&te.beneficiary, |_| beneficiaries.of(&*te.beneficiary)),
                te,
            )),
            Giver::Volunteer(_) => None,
        })
        .collect();
    let width = beneficiaries.keys.len();
    let cells = employees.keys.len().saturating_mul(width);
    let mut table: Vec<u32> = Vec::new();
    let mut map: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    if cells <= DENSE_PAIRS {
        table = vec![u32::MAX; cells];
    }
    let mut out: Vec<Span> = Vec::new();
    for (e, b, te) in pairs {
        let slot = if cells <= DENSE_PAIRS {
            &mut table[e as usize * width + b as usize]
        } else {
            map.entry((e, b)).or_insert(u32::MAX)
        };
        if *slot == u32::MAX {
            *slot = out.len() as u32;
            out.push(Span {
                employee: employees.keys[e as usize],
                beneficiary: beneficiaries.keys[b as usize],
                first: te.date,
                last: te.date,
            });
        }
        let span = &mut out[*slot as usize];
        span.first = span.first.min(te.date);
        span.last = span.last.max(te.date);
    }
    out
}

/// The most (employee, beneficiary) pairs whose spans are kept in a table (16 MB).
const DENSE_PAIRS: usize = 1 << 22;

/// An id with its name when the scenario gives one: `E1 (Camille Martin)`.
fn named(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) if !n.trim().is_empty() && n != id => format!("{id} ({n})"),
        _ => id.to_string(),
    }
}

/// Warns (in `law`) of each employee lent (`spans`: [`spans`] of `s`) to one beneficiary
/// for longer than the law allows on the date of the span's last entry. Entries refused by the beneficiary are not counted;
/// a span is too long when its last day is on or after the anniversary that ends the
/// allowed years (2023-01-02 to 2026-01-02 is more than three years).
///
/// # Errors
///
/// [`Error::Parameter`] if the parameter is not a decimal.
pub(crate) fn warn_long_loans(s: &Scenario, spans: &[Span], law: &mut Law) -> Result<(), Error> {
    for &Span {
        employee,
        beneficiary,
        first,
        last,
    } in spans
    {
        let Some(years) = law.dec((OnDate::StaffLoanMaxYears, last))? else {
            continue;
        };
        // A limit beyond the calendar (a supplied value of many years) is never reached.
        let months = years
            .checked_mul(rust_decimal::Decimal::from(12))
            .and_then(|m| rust_decimal::prelude::ToPrimitive::to_u32(&m.trunc()));
        let Some(limit) = months.and_then(|m| first.checked_add_months(Months::new(m))) else {
            continue;
        };
        if last < limit {
            continue;
        }
        // Entries of an unknown employee or beneficiary are rejected rows, not a loan.
        let Some(pay) = s.employees.iter().find(|p| p.id == employee) else {
            continue;
        };
        let Some(ben) = s.beneficiaries.iter().find(|b| b.id == beneficiary) else {
            continue;
        };
        let (e_name, b_name) = (pay.name.as_deref(), Some(ben.name.as_str()));
        let days = (last - first).num_days() + 1;
        law.warn(format!(
            "employee {} is lent to beneficiary {} from {first} to {last} ({days} days), longer than the {years} years a loan of staff may last (C. trav. L. 8241-3, staff_loan_max_years): check the agreement (convention de mise à disposition) and whether it was renewed",
            named(employee, e_name),
            named(beneficiary, b_name),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::params::Parameters;

    fn scenario(dates: &[(&str, &str, &str)]) -> Scenario {
        let entries: Vec<String> = dates
            .iter()
            .map(|(e, b, d)| {
                format!(
                    r#"{{"employee": "{e}", "beneficiary": "{b}", "date": "{d}", "days": "1"}}"#
                )
            })
            .collect();
        Scenario::from_json(&format!(
            r#"{{"companies": [{{"id": "C1", "name": "X"}}],
                "beneficiaries": [{{"id": "A1", "name": "Les Amis"}}, {{"id": "A2", "name": "B"}}],
                "employees": [{{"id": "E1", "company": "C1", "name": "Camille Martin", "annual_gross_salary": "1",
                                "annual_employer_charges": "1", "annual_working_days": "218"}}],
                "time_entries": [{}]}}"#,
            entries.join(",")
        ))
        .unwrap()
    }

    fn warnings(s: &Scenario) -> Vec<String> {
        let mut law = Law::new(Parameters::embedded().unwrap());
        warn_long_loans(s, &spans(s), &mut law).unwrap();
        law.into_warnings()
    }

    /// Three years from 2024-05-02 end on 2027-05-01: an entry that day is within the limit,
    /// one the next day is not; the span counts both ends.
    #[test]
    fn a_span_over_three_years_is_warned_naming_employee_beneficiary_and_span() {
        let ok = scenario(&[("E1", "A1", "2024-05-02"), ("E1", "A1", "2027-05-01")]);
        assert!(warnings(&ok).is_empty());
        let long = scenario(&[
            ("E1", "A1", "2025-01-06"),
            ("E1", "A1", "2027-05-02"),
            ("E1", "A1", "2024-05-02"),
            ("E1", "A2", "2024-05-02"),
        ]);
        let w = warnings(&long);
        assert_eq!(w.len(), 1, "{w:?}");
        // Rows of an unknown employee or beneficiary are rejected, not a loan.
        let unknown = scenario(&[
            ("E9", "A1", "2024-05-02"),
            ("E9", "A1", "2027-05-02"),
            ("E1", "A9", "2024-05-02"),
            ("E1", "A9", "2027-05-02"),
        ]);
        assert!(warnings(&unknown).is_empty());
        for part in [
            "E1 (Camille Martin)",
            "A1 (Les Amis)",
            "from 2024-05-02 to 2027-05-02",
            "(1096 days)",
            "3 years",
        ] {
            assert!(w[0].contains(part), "{part}: {}", w[0]);
        }
    }

    /// Before loi 2024-344 no limit is known: a span ending before 2024-04-17 is not checked.
    #[test]
    fn no_limit_before_the_law() {
        let old = scenario(&[("E1", "A1", "2019-01-07"), ("E1", "A1", "2024-04-16")]);
        assert!(warnings(&old).is_empty());
        let later = scenario(&[("E1", "A1", "2019-01-07"), ("E1", "A1", "2024-04-17")]);
        assert_eq!(warnings(&later).len(), 1);
    }
}
