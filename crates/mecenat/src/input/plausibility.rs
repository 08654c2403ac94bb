//! Plausibility warnings on a validated scenario (issue 14, item 8): time that cannot have
//! been given, and entries that look imported twice. Nothing is excluded: the warnings name
//! the rows, the user decides.
//!
//! - **More than a day**: for one person (an employee, or a volunteer: distinct even under
//!   the same name) on one date, the hours entries add up to more than 24 hours, or the days
//!   entries to more than 1 day. Hours and days are summed separately, each against its own
//!   unit (converting days to hours would need each pay row's `hours_per_day`; a person
//!   entering both on one date is rare, and each sum alone is already implausible).
//! - **The same entry several times**: the same person, beneficiary, date and quantity
//!   (unit included) on several rows: usually one export imported twice.
//!
//! Every entry counts, refused ones included: the warnings are about the data as typed.
//! One pass numbers people and beneficiaries and makes each entry a numeric key; the keys
//! are sorted once, so that each (person, date) and each set of identical entries is a
//! contiguous run; only the warnings kept are written. A warning lists at most
//! [`MAX_ROWS_LISTED`] rows, and at most [`MAX_WARNINGS`] warnings of each kind are given,
//! then one line counts the others.

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::input::resolve::{ByCopy, Numbers};
use crate::input::scenario::{Giver, Quantity, Scenario, TimeEntry};
use crate::money::fmt_qty;

/// The hours of one day: more for one person on one date is impossible.
const HOURS_IN_A_DAY: Decimal = Decimal::from_parts(24, 0, 0, false, 0);

/// A warning lists at most this many rows (then "and N more").
pub const MAX_ROWS_LISTED: usize = 20;

/// At most this many warnings of each kind; one more line counts the rest.
pub const MAX_WARNINGS: usize = 200;

/// Who gave the time: an employee and a volunteer of the same name are two people.
type Person<'a> = (bool, &'a str);

fn person(g: &Giver) -> Person<'_> {
    match g {
        Giver::Employee(e) => (true, e),
        Giver::Volunteer(v) => (false, v),
    }
}

fn who((employee, id): Person<'_>) -> String {
    format!("{} {id:?}", if employee { "employee" } else { "volunteer" })
}

/// The plausibility warnings of a scenario's time entries, in the order of their first
/// row: each names the table, the rows, the person, the date and what is implausible.
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{"time_entries": [
///   {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "hours": "20"},
///   {"employee": "E1", "beneficiary": "A2", "date": "2025-03-03", "hours": "6"}
/// ]}"#)?;
/// let w = mecenat::plausibility::warnings(&s);
/// assert_eq!(w.len(), 1);
/// assert!(w[0].contains("rows 1, 2") && w[0].contains("26 hours"));
/// # Ok::<(), mecenat::Error>(())
/// ```
pub fn warnings(s: &Scenario) -> Vec<String> {
    let entries = &s.time_entries;
    let (people, keys) = sorted_keys(entries);
    // Candidates first (their first row only), so that only the warnings kept are written.
    let (mut days, mut same) = (Vec::new(), Vec::new());
    for run in keys.chunk_by(|a, b| a.0 == b.0) {
        if let Some(first) = over_a_day(run).and_then(|over| first_row(entries, run, over)) {
            days.push((first, run));
        }
        for group in run.chunk_by(|a, b| (a.1, a.2) == (b.1, b.2)) {
            if group.len() > 1 {
                same.extend(identical(entries, group));
            }
        }
    }
    let mut out = capped(
        days,
        |run| more_than_a_day(entries, &people, run),
        "people and dates with more than a day",
    );
    out.extend(capped(same, |g| repeated(entries, g), "repeated entries"));
    out.sort_by_key(|(first, _)| *first);
    out.into_iter().map(|(_, w)| w).collect()
}

/// The entries of a group (same person, date, beneficiary and quantity) that are also of
/// the same project and activity, with their first row: two half days on two projects are
/// two entries, not one imported twice.
fn identical<'k>(entries: &[TimeEntry], group: &'k [EntryKey]) -> Vec<(usize, Vec<&'k EntryKey>)> {
    let what = |k: &EntryKey| {
        let e = &entries[k.3 as usize];
        (e.project.as_deref(), e.activity.as_deref())
    };
    let mut out: Vec<(usize, Vec<&EntryKey>)> = Vec::new();
    let mut sets: Vec<Vec<&EntryKey>> = Vec::new();
    for k in group {
        match sets.iter_mut().find(|set| what(set[0]) == what(k)) {
            Some(set) => set.push(k),
            None => sets.push(vec![k]),
        }
    }
    for set in sets.into_iter().filter(|set| set.len() > 1) {
        let first = set
            .iter()
            .map(|k| entries[k.3 as usize].row)
            .min()
            .unwrap_or(0);
        out.push((first, set));
    }
    out
}

/// Which units of a (person, date) run exceed a day: (hours over 24, days over 1), or
/// `None` when neither does.
fn over_a_day(run: &[EntryKey]) -> Option<(bool, bool)> {
    let hours: i64 = run.iter().filter(|k| k.2 < 0).map(|k| -k.2).sum();
    let days: i64 = run.iter().filter(|k| k.2 > 0).map(|k| k.2).sum();
    let over = (
        hours > ten_thousandths(HOURS_IN_A_DAY),
        days > ten_thousandths(Decimal::ONE),
    );
    (over.0 || over.1).then_some(over)
}

/// The first row of the entries of a run in the units beyond a day.
fn first_row(
    entries: &[TimeEntry],
    run: &[EntryKey],
    (over_h, over_d): (bool, bool),
) -> Option<usize> {
    run.iter()
        .filter(|k| (k.2 < 0 && over_h) || (k.2 > 0 && over_d))
        .map(|k| entries[k.3 as usize].row)
        .min()
}

/// One entry as a sortable key: (person and date, beneficiary, quantity in ten-thousandths
/// with hours negative, index of the entry).
type EntryKey = (u64, u32, i64, u32);

/// People numbered in order of appearance, and every entry's key sorted: the entries of one
/// (person, date) are contiguous, and within them identical entries, in row order. Sorting
/// a million keys is faster than hashing them (no cache miss per entry).
fn sorted_keys(entries: &[TimeEntry]) -> (Vec<Person<'_>>, Vec<EntryKey>) {
    let (mut people, mut bens) = (Numbers::new(), Numbers::new());
    let mut keys = Vec::with_capacity(entries.len());
    // The numbers by the addresses of the shared ids first (employees, volunteers: an
    // employee and a volunteer of one name are two people, even sharing one copy).
    let mut by_copy = [ByCopy::new(), ByCopy::new()];
    let mut ben_by_copy = ByCopy::new();
    for (i, e) in entries.iter().enumerate() {
        let (copy, copies) = match &e.giver {
            Giver::Employee(id) => (id, &mut by_copy[0]),
            Giver::Volunteer(id) => (id, &mut by_copy[1]),
        };
        let pid = copies.get(copy, |_| people.of(person(&e.giver)));
        let bid = ben_by_copy.get(&e.beneficiary, |_| bens.of(&*e.beneficiary));
        let date = u32::try_from(e.date.num_days_from_ce()).unwrap_or(0);
        let q = match e.quantity {
            Quantity::Hours(h) => -ten_thousandths(h),
            Quantity::Days(d) => ten_thousandths(d),
        };
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        keys.push(((u64::from(pid) << 32) | u64::from(date), bid, q, i));
    }
    keys.sort_unstable();
    (people.keys, keys)
}

/// A quantity in ten-thousandths (validated: at most four decimals, below 10⁶, so a sum of
/// up to 9 × 10⁸ entries fits in an i64).
fn ten_thousandths(d: Decimal) -> i64 {
    let mut x = d;
    x.rescale(4);
    i64::try_from(x.mantissa()).unwrap_or(i64::MAX)
}

/// The rows of keys, in row order.
fn rows_of<'k>(entries: &[TimeEntry], keys: impl Iterator<Item = &'k EntryKey>) -> Vec<usize> {
    let mut rows: Vec<usize> = keys.map(|k| entries[k.3 as usize].row).collect();
    rows.sort_unstable();
    rows
}

/// The warning for one (person, date) whose hours exceed 24 or days exceed 1, if so.
fn more_than_a_day(entries: &[TimeEntry], people: &[Person<'_>], run: &[EntryKey]) -> String {
    let hours: i64 = run.iter().filter(|k| k.2 < 0).map(|k| -k.2).sum();
    let days: i64 = run.iter().filter(|k| k.2 > 0).map(|k| k.2).sum();
    let (over_h, over_d) = over_a_day(run).unwrap_or_default();
    let qty = |x: i64| fmt_qty(Decimal::new(x, 4));
    let mut what = Vec::new();
    if over_h {
        what.push(format!(
            "{} hours (more than 24 hours in a day)",
            qty(hours)
        ));
    }
    if over_d {
        what.push(format!("{} days (more than 1 day)", qty(days)));
    }
    // Only the rows of the unit beyond a day are listed.
    let rows = rows_of(
        entries,
        run.iter()
            .filter(|k| (k.2 < 0 && over_h) || (k.2 > 0 && over_d)),
    );
    let e = &entries[run[0].3 as usize];
    format!(
        "time_entries {}: {} gives {} on {} in all; nothing is excluded, check the entries",
        rows_text(&rows),
        who(people[(run[0].0 >> 32) as usize]),
        what.join(" and "),
        e.date
    )
}

/// The warning for identical entries (same person, date, beneficiary and quantity).
fn repeated(entries: &[TimeEntry], group: &[&EntryKey]) -> String {
    let rows = rows_of(entries, group.iter().copied());
    let e = &entries[group[0].3 as usize];
    let (q, unit) = match e.quantity {
        Quantity::Days(d) if d == Decimal::ONE => (d, "day"),
        Quantity::Days(d) => (d, "days"),
        Quantity::Hours(h) if h == Decimal::ONE => (h, "hour"),
        Quantity::Hours(h) => (h, "hours"),
    };
    let w = format!(
        "time_entries {}: the same entry ({}, beneficiary {:?}, {}, {} {unit}) appears {} times: imported more than once? Nothing is excluded, check the entries",
        rows_text(&rows),
        who(person(&e.giver)),
        &*e.beneficiary,
        e.date,
        fmt_qty(q),
        rows.len()
    );
    w
}

/// Rows as listed in a warning: `rows 3, 7, 9` (at most [`MAX_ROWS_LISTED`], then how
/// many more).
fn rows_text(rows: &[usize]) -> String {
    let shown: Vec<String> = rows
        .iter()
        .take(MAX_ROWS_LISTED)
        .map(ToString::to_string)
        .collect();
    let more = rows.len().saturating_sub(MAX_ROWS_LISTED);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("rows {}{tail}", shown.join(", "))
}

/// Writes the first [`MAX_WARNINGS`] warnings (by first row) and counts the others.
fn capped<T>(
    mut list: Vec<(usize, T)>,
    write: impl Fn(&T) -> String,
    what: &str,
) -> Vec<(usize, String)> {
    list.sort_by_key(|(first, _)| *first);
    let more = list.len().saturating_sub(MAX_WARNINGS);
    let mut out: Vec<(usize, String)> = list
        .iter()
        .take(MAX_WARNINGS)
        .map(|(first, keys)| (*first, write(keys)))
        .collect();
    if more > 0 {
        let last = out.last().map_or(0, |x| x.0);
        out.push((
            last,
            format!("time_entries: {more} more {what} (only the first {MAX_WARNINGS} are listed)"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two half days on two projects the same date are two entries; the same half day of
    /// the same project twice is one imported twice (the demo has the first kind).
    #[test]
    fn entries_of_other_projects_are_not_repeats() {
        let s = Scenario::from_json(
            r#"{"time_entries": [
              {"employee": "E1", "beneficiary": "A1", "date": "2025-01-21", "days": "0.5", "project": "Site"},
              {"employee": "E1", "beneficiary": "A1", "date": "2025-01-21", "days": "0.5", "project": "Ateliers"},
              {"employee": "E2", "beneficiary": "A1", "date": "2025-01-21", "days": "0.5", "project": "Site"},
              {"employee": "E2", "beneficiary": "A1", "date": "2025-01-21", "days": "0.5", "project": "Site"}
            ]}"#,
        )
        .unwrap();
        let w = warnings(&s);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("rows 3, 4") && w[0].contains("\"E2\""),
            "{w:?}"
        );
    }

    fn scenario(entries: &[(&str, &str, &str, &str)]) -> Scenario {
        // (giver: "E1" employee or "v:Name" volunteer, beneficiary, date, "8h" or "1d")
        let rows: Vec<String> = entries
            .iter()
            .map(|(g, b, d, q)| {
                let giver = match g.strip_prefix("v:") {
                    Some(v) => format!(r#""volunteer": "{v}""#),
                    None => format!(r#""employee": "{g}""#),
                };
                let (n, unit) = q.split_at(q.len() - 1);
                let unit = if unit == "h" { "hours" } else { "days" };
                format!(r#"{{{giver}, "beneficiary": "{b}", "date": "{d}", "{unit}": "{n}"}}"#)
            })
            .collect();
        let s =
            Scenario::from_json(&format!(r#"{{"time_entries": [{}]}}"#, rows.join(","))).unwrap();
        assert!(s.rejections.is_empty(), "{:?}", s.rejections);
        s
    }

    #[test]
    fn a_plausible_scenario_has_no_warning() {
        let s = scenario(&[
            ("E1", "A1", "2025-03-03", "8h"),
            ("E1", "A2", "2025-03-03", "8h"),
            ("E1", "A1", "2025-03-03", "0.5d"),
            ("E1", "A2", "2025-03-03", "0.5d"),
            ("E1", "A1", "2025-03-04", "8h"),
            ("E2", "A1", "2025-03-03", "8h"),
            ("v:E1", "A1", "2025-03-03", "24h"),
        ]);
        assert_eq!(warnings(&s), Vec::<String>::new());
    }

    #[test]
    fn more_than_a_day_is_located() {
        let s = scenario(&[
            ("E1", "A1", "2025-03-03", "20h"),
            ("E2", "A1", "2025-03-03", "1d"),
            ("E1", "A2", "2025-03-03", "4.5h"),
            ("E2", "A2", "2025-03-03", "0.5d"),
            ("v:Lou", "A1", "2025-03-05", "25h"),
        ]);
        let w = warnings(&s);
        assert_eq!(w.len(), 3, "{w:#?}");
        assert!(w[0].starts_with("time_entries rows 1, 3: employee \"E1\" gives 24.5 hours (more than 24 hours in a day) on 2025-03-03"), "{}", w[0]);
        assert!(w[1].starts_with("time_entries rows 2, 4: employee \"E2\" gives 1.5 days (more than 1 day) on 2025-03-03"), "{}", w[1]);
        assert!(
            w[2].contains("rows 5: volunteer \"Lou\" gives 25 hours"),
            "{}",
            w[2]
        );
    }

    #[test]
    fn repeated_entries_are_located() {
        let s = scenario(&[
            ("E1", "A1", "2025-03-03", "4h"),
            ("E1", "A1", "2025-03-04", "1d"),
            ("E1", "A1", "2025-03-03", "4.0h"),
            ("E1", "A2", "2025-03-05", "1d"),
            ("E1", "A1", "2025-03-06", "7h"),
            ("E1", "A1", "2025-03-06", "7d"),
        ]);
        let w = warnings(&s);
        assert_eq!(w.len(), 2, "{w:#?}");
        assert!(w[0].starts_with("time_entries rows 1, 3: the same entry (employee \"E1\", beneficiary \"A1\", 2025-03-03, 4 hours) appears 2 times"), "{}", w[0]);
        // Day 6: 7 hours and 7 days are two different entries, but 7 days is more than a day.
        assert!(
            w[1].contains("rows 6:") && w[1].contains("7 days"),
            "{}",
            w[1]
        );
    }

    #[test]
    fn long_lists_are_capped_and_counted() {
        let many: Vec<(&str, &str, &str, &str)> = vec![("E1", "A1", "2025-03-03", "1h"); 30];
        let w = warnings(&scenario(&many));
        assert_eq!(w.len(), 2, "{w:#?}");
        assert!(w[0].contains("20 and 10 more: employee"), "{}", w[0]);
        assert!(w[1].contains("appears 30 times"), "{}", w[1]);
        let dates: Vec<String> = (0..MAX_WARNINGS + 5)
            .map(|i| {
                (chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i as u64))
                    .to_string()
            })
            .collect();
        let entries: Vec<(&str, &str, &str, &str)> = dates
            .iter()
            .map(|d| ("E1", "A1", d.as_str(), "2d"))
            .collect();
        let w = warnings(&scenario(&entries));
        assert_eq!(w.len(), MAX_WARNINGS + 1);
        assert!(
            w.last().unwrap().contains("5 more people and dates"),
            "{:?}",
            w.last()
        );
    }
}
