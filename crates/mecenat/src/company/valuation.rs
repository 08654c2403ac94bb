//! Valuing one time entry at cost price (rules-company §1): the pay row in force on the
//! entry's date, the salary cap (policy `rate`: 3 × PASS of the entry's year on the annual
//! cost), days and hours converted with the employee's hours per day, multiply before
//! dividing, rounded to the cent. Each entry gets its report line; valued entries also
//! get their facts, which the later stages read.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::input::resolve::{rejection, ByCopy, World};
use crate::input::scenario::{
    Basis, CapMethod, Giver, PayRow, Quantity, Rejection, RejectionKind, Scenario, TimeEntry,
};
use crate::law::{AtClosing, Closing, Law, OnDate};
use crate::money::{mul_div_cent, Money, Qty};
use crate::report::{Conversion, EntryReport, Status, TimeUnit};

/// Valuation facts of an entry that was valued, read by the later stages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryFacts {
    pub(crate) company: usize,
    pub(crate) fy: usize,
    pub(crate) pay: usize,
    /// Beneficiary index.
    pub(crate) ben: usize,
    /// Retained (else excluded: refused, or a beneficiary that is not eligible).
    pub(crate) retained: bool,
    pub(crate) value: Decimal,
    pub(crate) days: Decimal,
    pub(crate) hours: Decimal,
}

/// The value of a quantity of time at an annual cost (rules-company §1): quantity × cost /
/// annual units (× hours per day for hours on a days basis), multiplied before dividing and
/// rounded to the cent, half away from zero.
pub(crate) fn entry_value(pay: &PayRow, q: Quantity, cost: Decimal, hpd: Decimal) -> Decimal {
    match (pay.basis, q) {
        (Basis::Days(a), Quantity::Days(d)) => mul_div_cent(d, cost, a),
        (Basis::Days(a), Quantity::Hours(h)) => mul_div_cent(h, cost, a * hpd),
        (Basis::Hours(a), Quantity::Hours(h)) => mul_div_cent(h, cost, a),
        (Basis::Hours(a), Quantity::Days(d)) => mul_div_cent(d * hpd, cost, a),
    }
}

/// What valuing needs of the law, looked up once: the default hours per day, the salary
/// cap's multiple per fiscal year (absent before the cap), and the PASS per calendar year
/// of the years under the cap (policy `rate`).
pub(crate) struct ValuationLaw {
    pub(crate) default_hpd: Decimal,
    pub(crate) cap_method: CapMethod,
    pub(crate) cap_multiple: Vec<Option<Decimal>>,
    pass_by_year: FxHashMap<i32, Decimal>,
}

impl ValuationLaw {
    /// Looks up the valuation's parameters (recorded in `law`).
    ///
    /// # Errors
    ///
    /// When `hours_per_day` is not known, or a parameter is invalid.
    pub(crate) fn new(
        law: &mut Law,
        s: &Scenario,
        cap_method: CapMethod,
        last_day: NaiveDate,
    ) -> Result<Self, Error> {
        let default_hpd = law.req((OnDate::HoursPerDay, last_day))?;
        let mut cap_multiple = Vec::with_capacity(s.fiscal_years.len());
        for fy in &s.fiscal_years {
            cap_multiple.push(law.dec((AtClosing::SalaryCapMultiple, Closing::of(fy)))?);
        }
        let mut pass_by_year = FxHashMap::default();
        for (fy, m) in s.fiscal_years.iter().zip(&cap_multiple) {
            if m.is_some() && cap_method == CapMethod::Rate {
                for y in fy.start.year()..=fy.end.year() {
                    let day = NaiveDate::from_ymd_opt(y, 1, 1)
                        .unwrap_or(fy.start)
                        .max(fy.start);
                    if let Some(p) = law.dec((OnDate::Pass, day))? {
                        pass_by_year.insert(y, p);
                    }
                }
            }
        }
        Ok(ValuationLaw {
            default_hpd,
            cap_method,
            cap_multiple,
            pass_by_year,
        })
    }
}

/// The valued entries: one report line per entry (input order), the facts of those valued,
/// and the rejections (with the quantity as given of each entry rejected).
pub(crate) struct Valued {
    pub(crate) entries: Vec<EntryReport>,
    pub(crate) facts: Vec<Option<EntryFacts>>,
    pub(crate) rejected: Vec<Rejection>,
    pub(crate) rejected_quantities: Vec<(usize, Qty, TimeUnit)>,
}

/// Values every time entry, each half on its own core.
pub(crate) fn value_entries(w: &World, vl: &ValuationLaw) -> Valued {
    let s = w.scenario;
    let n = s.time_entries.len();
    let (mut first, second) =
        crate::par::halves(&s.time_entries, n.div_ceil(2).max(1), |c, first| {
            // The first half's vectors have room for all: only the second half moves.
            let capacity = if first { n } else { c.len() };
            value_chunk(w, vl, c, capacity)
        });
    if let Some(b) = second {
        first.entries.extend(b.entries);
        first.facts.extend(b.facts);
        first.rejected.extend(b.rejected);
        first.rejected_quantities.extend(b.rejected_quantities);
    }
    first
}

fn value_chunk<'s>(
    w: &World<'s>,
    vl: &ValuationLaw,
    c: &'s [TimeEntry],
    capacity: usize,
) -> Valued {
    let mut out = Valued {
        entries: Vec::with_capacity(capacity),
        facts: Vec::with_capacity(capacity),
        rejected: Vec::new(),
        rejected_quantities: Vec::new(),
    };
    let mut texts = Texts::new(w.scenario);
    for e in c {
        let (mut line, b) = entry_line(w, e, &mut texts);
        match value_one(w, vl, e, b, &mut line, &mut texts) {
            Ok(fact) => {
                if fact.is_none() {
                    // A volunteer's own time: no conversion tells its unit as given.
                    out.rejected_quantities.push(given(e));
                }
                out.entries.push(line);
                out.facts.push(fact);
            }
            Err(r) => {
                line.status = Status::Rejected;
                line.reason = Some(r.reason.clone());
                line.company = None;
                line.fiscal_year = None;
                line.value = None;
                out.entries.push(line);
                out.facts.push(None);
                out.rejected.push(r);
                out.rejected_quantities.push(given(e));
            }
        }
    }
    out
}

/// An entry's row and quantity as given, in its unit.
fn given(e: &TimeEntry) -> (usize, Qty, TimeUnit) {
    match e.quantity {
        Quantity::Days(d) => (e.row, Qty(d), TimeUnit::Days),
        Quantity::Hours(h) => (e.row, Qty(h), TimeUnit::Hours),
    }
}

/// An entry's line before valuation (its beneficiary, date, project and activity), and its
/// beneficiary (index) when known.
fn entry_line<'s>(
    w: &World<'s>,
    e: &'s TimeEntry,
    texts: &mut Texts<'s, '_>,
) -> (EntryReport, Option<usize>) {
    let b_found = texts.ben.get(&e.beneficiary, |b| w.ben_idx.get(b).copied());
    let line = EntryReport {
        beneficiary: Some(match b_found {
            Some(b) => texts.indexed(Texts::BEN, b, &e.beneficiary),
            None => Arc::clone(&e.beneficiary),
        }),
        date: Some(e.date),
        project: e.project.as_ref().map(|p| texts.copy(p)),
        activity: e.activity.as_ref().map(|a| texts.copy(a)),
        ..EntryReport::rejected(e.row, None)
    };
    (line, b_found)
}

/// Values one entry into its line: its facts when it is staff time, `None` for a
/// volunteer's own time, or its rejection.
fn value_one<'w, 's>(
    w: &'w World<'s>,
    vl: &ValuationLaw,
    e: &'s TimeEntry,
    b: Option<usize>,
    out: &mut EntryReport,
    texts: &mut Texts<'s, 'w>,
) -> Result<Option<EntryFacts>, Rejection> {
    let s = w.scenario;
    let rej = |kind: RejectionKind, key: &str, value: &dyn ToString, reason: String| {
        rejection(
            s,
            kind,
            ("time_entries", e.row),
            key,
            value.to_string(),
            reason,
        )
    };
    let b = b.ok_or_else(|| {
        rej(
            RejectionKind::UnknownBeneficiary,
            "beneficiary",
            &e.beneficiary,
            format!("unknown beneficiary {:?}", e.beneficiary),
        )
    })?;
    let id = match &e.giver {
        Giver::Volunteer(name) => {
            volunteer_line(vl, e, out, texts.copy(name));
            return Ok(None);
        }
        Giver::Employee(id) => id,
    };
    let rows = texts
        .employee
        .get(id, |id| w.pay_of.get(id).map(Vec::as_slice));
    out.employee = Some(match rows {
        Some(rows) => texts.indexed(Texts::EMPLOYEE, rows[0], id),
        None => Arc::clone(id),
    });
    let rows = rows.ok_or_else(|| {
        rej(
            RejectionKind::UnknownEmployee,
            "employee",
            id,
            format!("unknown employee {id:?}"),
        )
    })?;
    let pi = w.pay_at(rows, e.date).ok_or_else(|| {
        let first = s.employees[rows[0]]
            .from
            .map_or_else(String::new, |d| d.to_string());
        rej(
            RejectionKind::NoPayRow,
            "date",
            &e.date,
            format!(
                "no pay row of employee {id:?} on {} (the first starts {first})",
                e.date
            ),
        )
    })?;
    let pay = &s.employees[pi];
    let Some(c) = w.company_of_pay[pi] else {
        // The world keeps only the pay rows of known companies.
        return Err(rej(
            RejectionKind::UnknownCompany,
            "company",
            &pay.company,
            format!("unknown company {:?}", pay.company),
        ));
    };
    out.company = Some(texts.indexed(Texts::COMPANY, c, &pay.company));
    let fyi = w.fy_of(c, e.date).ok_or_else(|| {
        rej(
            RejectionKind::OutsideFiscalYears,
            "date",
            &e.date,
            format!(
                "date {} is outside every fiscal year of company {:?}",
                e.date, pay.company
            ),
        )
    })?;
    out.fiscal_year = Some(texts.indexed(Texts::FISCAL_YEAR, fyi, &s.fiscal_years[fyi].label));
    let cap = match (vl.cap_method, vl.cap_multiple[fyi]) {
        (CapMethod::Rate, Some(m)) => {
            let y = e.date.year();
            let pass = *vl.pass_by_year.get(&y).ok_or_else(|| {
                rej(
                    RejectionKind::NoPass,
                    "date",
                    &e.date,
                    format!("no PASS is known for {y}"),
                )
            })?;
            Some(m * pass)
        }
        _ => None,
    };
    let ben = &s.beneficiaries[b];
    let (value, days, hours) = staff_line(pay, e.quantity, cap, vl.default_hpd, out);
    let retained = !e.refused && ben.eligible;
    if e.refused {
        out.status = Status::Excluded;
        out.reason = Some("refused by the beneficiary".into());
    } else if !ben.eligible {
        out.status = Status::Excluded;
        out.reason = Some(format!(
            "beneficiary {:?} is not eligible (art. 238 bis): no reduction",
            ben.id
        ));
    } else {
        out.status = Status::Retained;
    }
    Ok(Some(EntryFacts {
        company: c,
        fy: fyi,
        pay: pi,
        ben: b,
        retained,
        value,
        days,
        hours,
    }))
}

/// A volunteer's own time: days and hours with the default hours per day, excluded.
fn volunteer_line(vl: &ValuationLaw, e: &TimeEntry, out: &mut EntryReport, name: Arc<str>) {
    out.volunteer = Some(name);
    let hpd = vl.default_hpd;
    out.hours_per_day = Some(Qty(hpd));
    let (days, hours) = match e.quantity {
        Quantity::Days(d) => (d, d * hpd),
        Quantity::Hours(h) => (h / hpd, h),
    };
    out.days = Some(Qty(days));
    out.hours = Some(Qty(hours));
    out.status = Status::Excluded;
    out.reason = Some(if e.refused {
        "refused by the beneficiary".into()
    } else {
        "a volunteer's own time: no company, no receipt (counted in impact)".into()
    });
}

/// Fills a staff entry's valuation details (annual cost, cap, units, value) and returns its
/// value, days and hours.
fn staff_line(
    pay: &PayRow,
    q: Quantity,
    cap: Option<Decimal>,
    default_hpd: Decimal,
    out: &mut EntryReport,
) -> (Decimal, Decimal, Decimal) {
    let hpd = pay.hours_per_day_or(default_hpd);
    let cost = pay.annual_cost();
    let capped = cap.map_or(cost, |c| cost.min(c));
    // Days and hours, each converted once with the hours per day.
    let (days, hours) = match q {
        Quantity::Days(d) => (d, d * hpd),
        Quantity::Hours(h) => (h / hpd, h),
    };
    let (units, annual_units) = match pay.basis {
        Basis::Days(a) => (days, a),
        Basis::Hours(a) => (hours, a),
    };
    let value = entry_value(pay, q, capped, hpd);
    out.days = Some(Qty(days));
    out.hours = Some(Qty(hours));
    out.annual_cost = Some(Money(cost));
    out.cost_cap = cap.map(Money);
    out.units = Some(Qty(units));
    out.annual_units = Some(Qty(annual_units));
    out.value = Some(Money(value));
    out.conversion = Some(match (pay.basis, q) {
        (Basis::Days(_), Quantity::Days(_)) => Conversion::Days,
        (Basis::Hours(_), Quantity::Hours(_)) => Conversion::Hours,
        (Basis::Days(_), Quantity::Hours(_)) => Conversion::HoursToDays,
        (Basis::Hours(_), Quantity::Days(_)) => Conversion::DaysToHours,
    });
    out.hours_per_day = Some(Qty(hpd));
    (value, days, hours)
}

/// Every time entry has its line, in input order: rows rejected while the tables were typed
/// (a missing date, a negative quantity…) get a rejected line beside the valued ones.
pub(crate) fn with_typing_rejections(
    entries: Vec<EntryReport>,
    typing: &[Rejection],
) -> Vec<EntryReport> {
    let rejected: Vec<&Rejection> = typing
        .iter()
        .filter(|r| r.table == "time_entries")
        .collect();
    if rejected.is_empty() {
        return entries;
    }
    let mut out = Vec::with_capacity(entries.len() + rejected.len());
    let mut rest = rejected.into_iter().peekable();
    for e in entries {
        while let Some(r) = rest.next_if(|r| r.row < e.row) {
            out.push(EntryReport::rejected(r.row, Some(r.reason.clone())));
        }
        out.push(e);
    }
    out.extend(rest.map(|r| EntryReport::rejected(r.row, Some(r.reason.clone()))));
    out
}

/// One thread's shared copies of the texts of its entries lines: each distinct id, label or
/// project is allocated once per thread (threads never share a counter), then every line
/// holding it takes one more reference.
struct Texts<'s, 'w> {
    /// By kind ([`Texts::BEN`]…), then by index in its table.
    indexed: [Vec<Option<Arc<str>>>; 4],
    /// Other texts (volunteers, projects, activities), by content ([`Texts::copy`]).
    by_text: crate::input::scenario::SharedTexts<'s>,
    /// Volunteers, projects and activities, by the scenario's copy.
    copies: ByCopy<Arc<str>>,
    /// Beneficiaries (index) by the scenario's copy of their id.
    ben: ByCopy<Option<usize>>,
    /// Employees' pay rows by the scenario's copy of their id.
    employee: ByCopy<Option<&'w [usize]>>,
}

impl<'s> Texts<'s, '_> {
    const BEN: usize = 0;
    const EMPLOYEE: usize = 1;
    const COMPANY: usize = 2;
    const FISCAL_YEAR: usize = 3;

    fn new(s: &Scenario) -> Self {
        let sizes = [
            s.beneficiaries.len(),
            s.employees.len(),
            s.companies.len(),
            s.fiscal_years.len(),
        ];
        Texts {
            indexed: sizes.map(|n| vec![None; n]),
            by_text: crate::input::scenario::SharedTexts::default(),
            copies: ByCopy::new(),
            ben: ByCopy::new(),
            employee: ByCopy::new(),
        }
    }

    /// The shared copy of `text`, row `i` of table `kind`.
    fn indexed(&mut self, kind: usize, i: usize, text: &str) -> Arc<str> {
        match self.indexed[kind].get_mut(i) {
            Some(slot) => slot.get_or_insert_with(|| Arc::from(text)).clone(),
            None => Arc::from(text),
        }
    }

    /// This thread's copy of the scenario's shared `text`.
    fn copy(&mut self, text: &'s Arc<str>) -> Arc<str> {
        let by_text = &mut self.by_text;
        self.copies.get(text, |_| by_text.get(text))
    }
}
