//! The computation: valuation of time entries, ceilings, carry-forwards, reduction,
//! imputation on tax, counterparts, declarations, receipts and impact.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, Location};
use crate::money::{mul_div_cent, round_cent, Money, Qty, Rate};
use crate::params::{as_decimal, ParamValue, Parameters};
use crate::report::*;
use crate::scenario::*;

/// Options of a computation.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides the scenario's `cap_method` setting.
    pub cap_method: Option<CapMethod>,
    /// Fail with [`Error::Strict`] when any row is rejected.
    pub strict: bool,
}

/// Parameter look-ups that remember what they used (for the report's references).
pub(crate) struct Law<'p> {
    params: &'p Parameters,
    used: BTreeSet<(&'static str, usize)>,
    pub(crate) warnings: BTreeSet<String>,
}

impl<'p> Law<'p> {
    pub(crate) fn new(params: &'p Parameters) -> Self {
        Law {
            params,
            used: BTreeSet::new(),
            warnings: BTreeSet::new(),
        }
    }

    pub(crate) fn value(
        &mut self,
        name: &'static str,
        date: NaiveDate,
    ) -> Result<Option<&'p ParamValue>, Error> {
        let p = self.params.get(name)?;
        let Some(i) = p.index_at(date) else {
            return Ok(None);
        };
        self.used.insert((name, i));
        if p.extrapolated(date) {
            self.warnings.insert(format!(
                "{name}: no value is known for {date} (known until {}); the last value, {} since {}, was used",
                p.known_until.map_or_else(String::new, |d| d.to_string()),
                p.values[i].value,
                p.values[i].since
            ));
        }
        Ok(Some(&p.values[i].value))
    }

    /// A decimal parameter, `None` when not in force on `date`.
    pub(crate) fn dec(
        &mut self,
        name: &'static str,
        date: NaiveDate,
    ) -> Result<Option<Decimal>, Error> {
        self.value(name, date)?
            .map(|v| as_decimal(name, v))
            .transpose()
    }

    /// A decimal parameter that must be in force.
    pub(crate) fn req(&mut self, name: &'static str, date: NaiveDate) -> Result<Decimal, Error> {
        self.dec(name, date)?.ok_or_else(|| {
            Error::scenario(
                Location { value: Some(date.to_string()), ..Location::default() },
                format!("the legal parameter {name} is not known on {date} (the library covers dates from its first value on)"),
            )
        })
    }

    pub(crate) fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        for (name, i) in &self.used {
            if let Ok(p) = self.params.get(name) {
                let v = &p.values[*i];
                out.push(Reference {
                    parameter: (*name).to_string(),
                    value: v.value.to_string(),
                    since: v.since,
                    source: v.reference.clone(),
                    description: p.description.clone(),
                });
            }
        }
        out
    }
}

fn rej(
    s: &Scenario,
    table: &str,
    row: usize,
    key: &str,
    value: impl ToString,
    reason: String,
) -> Rejection {
    Rejection {
        table: table.to_string(),
        row,
        reason,
        cell: s.cell_of(table, row, key),
        key: Some(key.to_string()),
        value: Some(value.to_string()),
    }
}

/// Per fiscal-year accumulators.
#[derive(Default, Clone)]
struct FyAcc {
    staff: Decimal,
    cash: Decimal,
    in_kind: Decimal,
    aid: Decimal,
    excluded: Decimal,
    /// Retained gifts per beneficiary index.
    gifts_by_ben: FxHashMap<usize, Decimal>,
    counterparts_by_ben: BTreeMap<usize, Decimal>,
}

impl FyAcc {
    /// Adds the staff time summed over another part of the entries (see [`staff_time`]).
    fn merge_staff(&mut self, x: FyAcc) {
        self.staff += x.staff;
        self.aid += x.aid;
        self.excluded += x.excluded;
        for (b, v) in x.gifts_by_ben {
            *self.gifts_by_ben.entry(b).or_default() += v;
        }
    }
}

/// The accumulators of each fiscal year (by index) with the staff time of some valued
/// entries: retained, of which aid to people in difficulty, excluded, and retained per
/// beneficiary.
fn staff_time(s: &Scenario, valued: &[Option<EntryFacts>]) -> Vec<FyAcc> {
    let mut out = vec![FyAcc::default(); s.fiscal_years.len()];
    for v in valued.iter().flatten() {
        let Some(a) = out.get_mut(v.fy) else { continue };
        if v.retained {
            a.staff += v.value;
            *a.gifts_by_ben.entry(v.ben).or_default() += v.value;
            if s.beneficiaries[v.ben].aid_to_people_in_difficulty {
                a.aid += v.value;
            }
        } else {
            a.excluded += v.value;
        }
    }
    out
}

/// A lot in a carry-forward ledger.
struct Lot {
    origin: String,
    origin_end: NaiveDate,
    rate: Option<Decimal>,
    opening: Decimal,
    added: Decimal,
    remaining: Decimal,
    used: Decimal,
    /// Index (within the company's fiscal years) of the last year it can be used in.
    last: usize,
}

/// Whole 12-month periods from `from` (inclusive) to `to` (exclusive).
fn whole_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut months =
        i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months.div_euclid(12)
}

/// Computes the report of a validated scenario.
///
/// # Errors
///
/// [`Error::Scenario`] when a fiscal year closes before the legal parameters begin;
/// [`Error::Strict`] in strict mode when any row is rejected; [`Error::Parameter`] if the
/// embedded parameters are invalid.
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{
///   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
///   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
///   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
///   "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
///                  "annual_employer_charges": "21600", "annual_working_days": "218"}],
///   "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}]
/// }"#).unwrap();
/// let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
/// assert_eq!(r.entries[0].value.unwrap().0.to_string(), "319.27");
/// assert_eq!(r.fiscal_years[0].reduction.0.to_string(), "191.56");
/// ```
pub fn compute(s: &Scenario, opts: &Options) -> Result<Report, Error> {
    let params = Parameters::embedded()?;
    compute_with(s, opts, params)
}

/// As [`compute`], with explicit parameters (for tests of alternative legal values).
///
/// # Errors
///
/// As [`compute`].
pub fn compute_with<'s>(
    s: &'s Scenario,
    opts: &Options,
    params: &Parameters,
) -> Result<Report, Error> {
    let t0 = std::time::Instant::now();
    let mut law = Law::new(params);
    let mut rejected: Vec<Rejection> = s.rejections.clone();
    let mut assumptions: BTreeSet<String> = BTreeSet::new();
    let cap_method = opts
        .cap_method
        .or(s.settings.cap_method)
        .unwrap_or_default();

    // ---- indexes
    let company_idx: FxHashMap<&str, usize> = s
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let ben_idx: FxHashMap<&str, usize> = s
        .beneficiaries
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let mut fys_of: Vec<Vec<usize>> = vec![Vec::new(); s.companies.len()];
    for (i, fy) in s.fiscal_years.iter().enumerate() {
        match company_idx.get(fy.company.as_str()) {
            Some(&c) => fys_of[c].push(i),
            None => rejected.push(rej(
                s,
                "fiscal_years",
                fy.row,
                "company",
                &fy.company,
                format!("unknown company {:?}", fy.company),
            )),
        }
    }
    for v in &mut fys_of {
        v.sort_by_key(|&i| s.fiscal_years[i].start);
    }
    let fy_of = |c: usize, d: NaiveDate| -> Option<usize> {
        let v = &fys_of[c];
        let k = v.partition_point(|&i| s.fiscal_years[i].start <= d);
        (k > 0 && s.fiscal_years[v[k - 1]].end >= d).then(|| v[k - 1])
    };
    let mut pay_of: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, p) in s.employees.iter().enumerate() {
        if company_idx.contains_key(p.company.as_str()) {
            pay_of.entry(p.id.as_str()).or_default().push(i);
        } else {
            rejected.push(rej(
                s,
                "employees",
                p.row,
                "company",
                &p.company,
                format!("unknown company {:?}", p.company),
            ));
        }
    }
    for v in pay_of.values_mut() {
        v.sort_by_key(|&i| s.employees[i].from);
    }
    // Defaults (hours per day, carry-forward spans, FTE hours) are looked up at the last
    // closing date; a scenario without fiscal years gets their latest values.
    let last_day = s
        .fiscal_years
        .iter()
        .map(|f| f.end)
        .max()
        .unwrap_or(NaiveDate::MAX);
    let default_hpd = law.req("hours_per_day", last_day)?;
    let hpd_of = |p: &PayRow| {
        if p.hours_per_day.is_zero() {
            default_hpd
        } else {
            p.hours_per_day
        }
    };

    // Per fiscal year: is the salary cap in force (its multiple)?
    let mut cap_multiple: Vec<Option<Decimal>> = Vec::with_capacity(s.fiscal_years.len());
    for fy in &s.fiscal_years {
        cap_multiple.push(law.dec("salary_cap_multiple", fy.end)?);
    }
    // PASS by calendar year, for every fiscal year under the salary cap (looked up once, so
    // that valuing entries needs no mutable state and can run on both cores).
    let mut pass_by_year: FxHashMap<i32, Decimal> = FxHashMap::default();
    for (fy, m) in s.fiscal_years.iter().zip(&cap_multiple) {
        if m.is_some() && cap_method == CapMethod::Rate {
            for y in fy.start.year()..=fy.end.year() {
                let day = NaiveDate::from_ymd_opt(y, 1, 1)
                    .unwrap_or(fy.start)
                    .max(fy.start);
                if let Some(p) = law.dec("pass", day)? {
                    pass_by_year.insert(y, p);
                }
            }
        }
    }
    let mut pmss_cache: FxHashMap<(i32, u32), Decimal> = FxHashMap::default();

    // ---- time entries
    /// One valued entry: its report line, its facts when valued, its rejection if any.
    type Valued = (EntryReport, Option<EntryFacts>, Option<Rejection>);
    let value_one = |e: &'s TimeEntry, texts: &mut Texts<'s>| -> Valued {
        let b_found = ben_idx.get(&*e.beneficiary).copied();
        let mut out = EntryReport {
            beneficiary: Some(match b_found {
                Some(b) => texts.indexed(Texts::BEN, b, &e.beneficiary),
                None => Arc::clone(&e.beneficiary),
            }),
            date: Some(e.date),
            project: e.project.as_deref().map(|p| texts.text(p)),
            activity: e.activity.as_deref().map(|a| texts.text(a)),
            ..rejected_line(e.row, None)
        };
        let mut v_out = None;
        let result: Result<(), Rejection> = (|| {
            let b = b_found.ok_or_else(|| {
                rej(
                    s,
                    "time_entries",
                    e.row,
                    "beneficiary",
                    &e.beneficiary,
                    format!("unknown beneficiary {:?}", e.beneficiary),
                )
            })?;
            let ben = &s.beneficiaries[b];
            match &e.giver {
                Giver::Volunteer(name) => {
                    out.volunteer = Some(texts.text(name));
                    let (days, hours) = match e.quantity {
                        Quantity::Days(d) => (d, d * default_hpd),
                        Quantity::Hours(h) => (h / default_hpd, h),
                    };
                    out.days = Some(Qty(days));
                    out.hours = Some(Qty(hours));
                    out.status = Status::Excluded;
                    out.reason = Some(if e.refused {
                        "refused by the beneficiary".into()
                    } else {
                        "a volunteer's own time: no company, no receipt (counted in impact)".into()
                    });
                    Ok(())
                }
                Giver::Employee(id) => {
                    let rows = pay_of.get(&**id);
                    out.employee = Some(match rows {
                        Some(rows) => texts.indexed(Texts::EMPLOYEE, rows[0], id),
                        None => Arc::clone(id),
                    });
                    let rows = rows.ok_or_else(|| {
                        rej(
                            s,
                            "time_entries",
                            e.row,
                            "employee",
                            id,
                            format!("unknown employee {id:?}"),
                        )
                    })?;
                    let k =
                        rows.partition_point(|&i| s.employees[i].from.is_none_or(|f| f <= e.date));
                    if k == 0 {
                        let first = s.employees[rows[0]]
                            .from
                            .map_or_else(String::new, |d| d.to_string());
                        return Err(rej(
                            s,
                            "time_entries",
                            e.row,
                            "date",
                            e.date,
                            format!(
                                "no pay row of employee {id:?} on {} (the first starts {first})",
                                e.date
                            ),
                        ));
                    }
                    let pi = rows[k - 1];
                    let pay = &s.employees[pi];
                    let c = company_idx[pay.company.as_str()];
                    out.company = Some(texts.indexed(Texts::COMPANY, c, &pay.company));
                    let fyi = fy_of(c, e.date).ok_or_else(|| {
                        rej(
                            s,
                            "time_entries",
                            e.row,
                            "date",
                            e.date,
                            format!(
                                "date {} is outside every fiscal year of company {:?}",
                                e.date, pay.company
                            ),
                        )
                    })?;
                    out.fiscal_year =
                        Some(texts.indexed(Texts::FISCAL_YEAR, fyi, &s.fiscal_years[fyi].label));
                    let hpd = hpd_of(pay);
                    let cost = pay.annual_cost();
                    let cap = match (cap_method, cap_multiple[fyi]) {
                        (CapMethod::Rate, Some(m)) => {
                            let y = e.date.year();
                            let pass = *pass_by_year.get(&y).ok_or_else(|| {
                                rej(
                                    s,
                                    "time_entries",
                                    e.row,
                                    "date",
                                    e.date,
                                    format!("no PASS is known for {y}"),
                                )
                            })?;
                            Some(m * pass)
                        }
                        _ => None,
                    };
                    let capped = cap.map_or(cost, |c| cost.min(c));
                    let (units, annual_units) = match (pay.basis, e.quantity) {
                        (Basis::Days(a), Quantity::Days(d)) => (d, a),
                        (Basis::Days(a), Quantity::Hours(h)) => (h / hpd, a),
                        (Basis::Hours(a), Quantity::Hours(h)) => (h, a),
                        (Basis::Hours(a), Quantity::Days(d)) => (d * hpd, a),
                    };
                    // Multiply before dividing: quantity × cost / (annual units [× hours per day]).
                    let value = match (pay.basis, e.quantity) {
                        (Basis::Days(a), Quantity::Hours(h)) => mul_div_cent(h, capped, a * hpd),
                        _ => mul_div_cent(units, capped, annual_units),
                    };
                    let (days, hours) = match e.quantity {
                        Quantity::Days(d) => (d, d * hpd),
                        Quantity::Hours(h) => (h / hpd, h),
                    };
                    out.days = Some(Qty(days));
                    out.hours = Some(Qty(hours));
                    out.annual_cost = Some(Money(cost));
                    out.cost_cap = cap.map(Money);
                    out.units = Some(Qty(units));
                    out.annual_units = Some(Qty(annual_units));
                    out.value = Some(Money(value));
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
                    v_out = Some(EntryFacts {
                        company: c,
                        fy: fyi,
                        pay: pi,
                        ben: b,
                        retained,
                        value,
                        days,
                        hours,
                    });
                    Ok(())
                }
            }
        })();
        let mut rejection = None;
        if let Err(r) = result {
            out.status = Status::Rejected;
            out.reason = Some(r.reason.clone());
            out.company = None;
            out.fiscal_year = None;
            out.value = None;
            rejection = Some(r);
            v_out = None;
        }
        (out, v_out, rejection)
    };
    // One chunk's report lines, facts and rejections, in input order.
    type Chunk = (Vec<EntryReport>, Vec<Option<EntryFacts>>, Vec<Rejection>);
    let value_chunk = |c: &'s [TimeEntry], capacity: usize| -> Chunk {
        let mut out: Chunk = (
            Vec::with_capacity(capacity),
            Vec::with_capacity(capacity),
            Vec::new(),
        );
        let mut texts = Texts::new(s);
        for e in c {
            let (line, fact, rejection) = value_one(e, &mut texts);
            out.0.push(line);
            out.1.push(fact);
            out.2.extend(rejection);
        }
        out
    };
    let chunk = s.time_entries.len().div_ceil(2).max(1);
    let (mut entries, mut valued, entry_rejections) = std::thread::scope(|scope| {
        let second = s
            .time_entries
            .get(chunk..)
            .map(|c| scope.spawn(|| value_chunk(c, c.len())));
        let mut first = value_chunk(
            &s.time_entries[..chunk.min(s.time_entries.len())],
            s.time_entries.len(),
        );
        if let Some(h) = second {
            let (e, v, r) = match h.join() {
                Ok(p) => p,
                Err(p) => std::panic::resume_unwind(p),
            };
            // Only the second half moves: the first half's vectors have room for all.
            first.0.extend(e);
            first.1.extend(v);
            first.2.extend(r);
        }
        first
    });
    phase!(t0, "entries valued");
    rejected.extend(entry_rejections);
    // period policy: (employee, year, month) -> entry indexes (retained, cap in force)
    let mut month_groups: FxHashMap<(&str, i32, u32), Vec<usize>> = FxHashMap::default();
    if cap_method == CapMethod::Period {
        for (i, ((e, out), v_out)) in s.time_entries.iter().zip(&entries).zip(&valued).enumerate() {
            if let (Status::Retained, Some(v), Giver::Employee(id)) = (out.status, v_out, &e.giver)
            {
                if cap_multiple[v.fy].is_some() {
                    month_groups
                        .entry((&**id, e.date.year(), e.date.month()))
                        .or_default()
                        .push(i);
                }
            }
        }
    }

    // ---- period policy: cap each employee's calendar month at multiple × PMSS.
    if cap_method == CapMethod::Period {
        let mut keys: Vec<_> = month_groups.keys().copied().collect();
        keys.sort();
        for key in keys {
            let idx = &month_groups[&key];
            let first = idx[0];
            let date = s.time_entries[first].date;
            let Some(v0) = &valued[first] else { continue };
            let m = cap_multiple[v0.fy].unwrap_or(Decimal::ZERO);
            let pmss = match pmss_cache.get(&(key.1, key.2)) {
                Some(p) => *p,
                None => {
                    let p = law.req("pmss", date)?;
                    pmss_cache.insert((key.1, key.2), p);
                    p
                }
            };
            let cap = round_cent(m * pmss);
            let sum: Decimal = idx
                .iter()
                .filter_map(|&i| valued[i].as_ref().map(|v| v.value))
                .sum();
            if sum <= cap || sum.is_zero() {
                continue;
            }
            // Pro rata, floored to the cent; leftover cents by largest remainder, ties to the earliest row.
            let cent = Decimal::new(1, 2);
            let mut shares: Vec<(usize, Decimal, Decimal)> = idx
                .iter()
                .filter_map(|&i| {
                    valued[i].as_ref().map(|v| {
                        let exact = cap * v.value / sum;
                        let floor = (exact / cent).floor() * cent;
                        (i, floor, exact - floor)
                    })
                })
                .collect();
            let floors: Decimal = shares.iter().map(|x| x.1).sum();
            let mut left = ((cap - floors) / cent).round();
            let mut order: Vec<usize> = (0..shares.len()).collect();
            order.sort_by(|&a, &b| {
                shares[b]
                    .2
                    .cmp(&shares[a].2)
                    .then(shares[a].0.cmp(&shares[b].0))
            });
            for o in order {
                if left <= Decimal::ZERO {
                    break;
                }
                shares[o].1 += cent;
                left -= Decimal::ONE;
            }
            for (i, val, _) in shares {
                if let Some(v) = valued[i].as_mut() {
                    v.value = val;
                }
                entries[i].value = Some(Money(val));
                entries[i].cost_cap = None;
            }
        }
        assumptions.insert("cap_method = period: each employee's retained entries of a calendar month are limited to 3 × PMSS of that month, scaled pro rata (largest remainder to the cent)".into());
    }

    // ---- fiscal-year accumulators
    // Staff time per fiscal year, each half of the entries on its own core.
    let mut acc: Vec<FyAcc> = std::thread::scope(|scope| {
        let (first, second) = valued.split_at(valued.len() / 2);
        let other = scope.spawn(|| staff_time(s, second));
        let mut acc = staff_time(s, first);
        match other.join() {
            Ok(x) => {
                for (a, b) in acc.iter_mut().zip(x) {
                    a.merge_staff(b);
                }
            }
            Err(p) => std::panic::resume_unwind(p),
        }
        acc
    });

    phase!(t0, "staff time summed");
    // ---- donations
    // A gift or counterpart row's company, beneficiary and fiscal year, or its rejection.
    let resolve = |table: &str, row: usize, company: &str, beneficiary: &str, date: NaiveDate| {
        let &c = company_idx.get(company).ok_or_else(|| {
            rej(
                s,
                table,
                row,
                "company",
                company,
                format!("unknown company {company:?}"),
            )
        })?;
        let &b = ben_idx.get(beneficiary).ok_or_else(|| {
            rej(
                s,
                table,
                row,
                "beneficiary",
                beneficiary,
                format!("unknown beneficiary {beneficiary:?}"),
            )
        })?;
        let fy = fy_of(c, date).ok_or_else(|| {
            rej(
                s,
                table,
                row,
                "date",
                date,
                format!("date {date} is outside every fiscal year of company {company:?}"),
            )
        })?;
        Ok::<_, Rejection>((b, fy))
    };
    let mut gifts: Vec<GiftReport> = Vec::with_capacity(s.donations.len());
    // The fiscal year (index) of each gift, when it has one.
    let mut gift_fy: Vec<Option<usize>> = Vec::with_capacity(s.donations.len());
    for d in &s.donations {
        let mut g = GiftReport {
            row: d.row,
            company: d.company.clone(),
            beneficiary: d.beneficiary.clone(),
            date: d.date,
            kind: d.kind,
            amount: Money(d.amount),
            fiscal_year: None,
            status: Status::Rejected,
            reason: None,
        };
        let found = resolve("donations", d.row, &d.company, &d.beneficiary, d.date);
        match found {
            Err(r) => {
                g.reason = Some(r.reason.clone());
                rejected.push(r);
                gift_fy.push(None);
            }
            Ok((b, fy)) => {
                gift_fy.push(Some(fy));
                g.fiscal_year = Some(s.fiscal_years[fy].label.clone());
                let a = &mut acc[fy];
                if s.beneficiaries[b].eligible {
                    g.status = Status::Retained;
                    match d.kind {
                        DonationKind::Cash => a.cash += d.amount,
                        DonationKind::InKind => a.in_kind += d.amount,
                    }
                    *a.gifts_by_ben.entry(b).or_default() += d.amount;
                    if s.beneficiaries[b].aid_to_people_in_difficulty {
                        a.aid += d.amount;
                    }
                } else {
                    g.status = Status::Excluded;
                    g.reason = Some(format!(
                        "beneficiary {:?} is not eligible (art. 238 bis): no reduction",
                        d.beneficiary
                    ));
                    a.excluded += d.amount;
                }
            }
        }
        gifts.push(g);
    }

    // ---- counterparts
    for cp in &s.counterparts {
        let found = resolve(
            "counterparts",
            cp.row,
            &cp.company,
            &cp.beneficiary,
            cp.date,
        );
        match found {
            Err(r) => rejected.push(r),
            Ok((b, fy)) => *acc[fy].counterparts_by_ben.entry(b).or_default() += cp.value,
        }
    }

    // ---- opening balances
    let mut opening: Vec<Vec<(&CarryForward, usize)>> = vec![Vec::new(); s.companies.len()];
    let donations_years = whole_years_param(&mut law, "donations_carry_years", last_day)?;
    let reduction_years = whole_years_param(&mut law, "reduction_carry_years", last_day)?;
    for cf in &s.carryforwards {
        let res = (|| {
            let &c = company_idx.get(cf.company.as_str()).ok_or_else(|| {
                rej(
                    s,
                    "carryforwards",
                    cf.row,
                    "company",
                    &cf.company,
                    format!("unknown company {:?}", cf.company),
                )
            })?;
            let &first = fys_of[c].first().ok_or_else(|| {
                rej(
                    s,
                    "carryforwards",
                    cf.row,
                    "company",
                    &cf.company,
                    format!("company {:?} has no fiscal year", cf.company),
                )
            })?;
            let first = &s.fiscal_years[first];
            if cf.origin_end >= first.start {
                return Err(rej(s, "carryforwards", cf.row, "origin_end", cf.origin_end, format!(
                    "origin_end {} is not before the first fiscal year given ({}): an opening balance comes from an earlier year", cf.origin_end, first.start
                )));
            }
            let span = if cf.kind == CarryKind::Donations {
                donations_years
            } else {
                reduction_years
            };
            let span = i64::try_from(span).unwrap_or(i64::MAX);
            let years_left = match cf.years_left {
                Some(y) if i64::from(y) > span => {
                    return Err(rej(s, "carryforwards", cf.row, "years_left", y, format!(
                        "years_left {y} is more than the {span} following fiscal years a balance can be used in"
                    )));
                }
                Some(y) => i64::from(y),
                None => {
                    assumptions.insert("opening balances without years_left: 12-month fiscal years assumed between their origin and the first fiscal year given".into());
                    span - whole_years(
                        cf.origin_end.succ_opt().unwrap_or(cf.origin_end),
                        first.start,
                    )
                }
            };
            if years_left <= 0 {
                return Err(rej(s, "carryforwards", cf.row, "origin_end", cf.origin_end, format!(
                    "the balance from the fiscal year closed {} has expired before {} (usable in the {span} following fiscal years only)", cf.origin_end, first.start
                )));
            }
            if let Some(r) = cf.rate {
                if r <= Decimal::ZERO || r > Decimal::ONE {
                    return Err(rej(
                        s,
                        "carryforwards",
                        cf.row,
                        "rate",
                        r,
                        format!("rate {r} must be a share between 0 and 1, such as 0.60"),
                    ));
                }
            }
            Ok((c, usize::try_from(years_left - 1).unwrap_or(0)))
        })();
        match res {
            Ok((c, last)) => opening[c].push((cf, last)),
            Err(r) => rejected.push(r),
        }
    }

    // ---- the ledgers, per company, fiscal years in order
    let mut fy_reports: Vec<FiscalYearReport> = Vec::with_capacity(s.fiscal_years.len());
    let mut donations_ledger = Vec::new();
    let mut reduction_ledger = Vec::new();
    let mut counterpart_checks = Vec::new();
    let mut own_reduction: Vec<Decimal> = vec![Decimal::ZERO; s.fiscal_years.len()];
    for (c, fys) in fys_of.iter().enumerate() {
        let company = &s.companies[c];
        let mut lots: Vec<Lot> = Vec::new();
        let mut red_lots: Vec<Lot> = Vec::new();
        let mut tax_known = true;
        for (cf, last) in &opening[c] {
            let lot = Lot {
                origin: "opening".into(),
                origin_end: cf.origin_end,
                rate: None,
                opening: cf.amount,
                added: Decimal::ZERO,
                remaining: cf.amount,
                used: Decimal::ZERO,
                last: *last,
            };
            match cf.kind {
                CarryKind::Donations => {
                    let std = law.req("reduction_rate", cf.origin_end)?;
                    lots.push(Lot {
                        rate: Some(cf.rate.unwrap_or(std)),
                        ..lot
                    });
                }
                CarryKind::Reduction => red_lots.push(lot),
            }
        }
        for (k, &fyi) in fys.iter().enumerate() {
            let fy = &s.fiscal_years[fyi];
            let a = &acc[fyi];
            let regime = match law.value("regime", fy.end)? {
                Some(v) => v.to_string(),
                None => {
                    return Err(Error::scenario(
                        Location {
                            table: Some("fiscal_years".into()),
                            row: Some(fy.row),
                            key: Some("end".into()),
                            value: Some(fy.end.to_string()),
                            cell: None,
                        },
                        format!(
                            "no ceiling regime is known for a fiscal year closed on {}",
                            fy.end
                        ),
                    ))
                }
            };
            let months = whole_years_months(fy.start, fy.end);
            let fixed = law.dec("ceiling_fixed", fy.end)?.unwrap_or(Decimal::ZERO);
            if months != 12 && !fixed.is_zero() {
                assumptions.insert(format!(
                    "fiscal year {} of {} is not 12 months long: the fixed ceiling amount is not prorated, and turnover is its own (never annualised)", fy.label, company.id
                ));
            }
            let trate = law.req("ceiling_turnover_rate", fy.end)?;
            let ceiling = fixed.max(round_cent(trate * fy.turnover));
            let std_rate = law.req("reduction_rate", fy.end)?;
            let reduced = law.dec("reduced_rate", fy.end)?;
            let threshold = law.dec("reduced_rate_threshold", fy.end)?;
            let total = a.staff + a.cash + a.in_kind;
            let (aid60, std60, std40) = match (threshold, reduced) {
                (Some(t), Some(_)) => {
                    let other = total - a.aid;
                    (a.aid, other.min(t), other - other.min(t))
                }
                _ => (Decimal::ZERO, total, Decimal::ZERO),
            };
            let low_rate = reduced.unwrap_or(std_rate);
            let mut headroom = ceiling;
            let mut retained_by_rate: BTreeMap<Decimal, Decimal> = BTreeMap::new();
            retained_by_rate.insert(std_rate, Decimal::ZERO);
            if let Some(r) = reduced {
                retained_by_rate.insert(r, Decimal::ZERO);
            }
            let mut retained_current = Decimal::ZERO;
            let mut excess_by_rate: Vec<(Decimal, Decimal)> = Vec::new();
            for (amount, rate) in [(aid60, std_rate), (std60, std_rate), (std40, low_rate)] {
                let r = amount.min(headroom);
                headroom -= r;
                retained_current += r;
                *retained_by_rate.entry(rate).or_default() += r;
                let x = amount - r;
                if x > Decimal::ZERO {
                    match excess_by_rate.iter_mut().find(|(rr, _)| *rr == rate) {
                        Some(e) => e.1 += x,
                        None => excess_by_rate.push((rate, x)),
                    }
                }
            }
            // Carried excesses: oldest origin first, higher rate first within an origin.
            lots.sort_by(|x, y| x.origin_end.cmp(&y.origin_end).then(y.rate.cmp(&x.rate)));
            let mut retained_carried = Decimal::ZERO;
            for lot in &mut lots {
                lot.opening = lot.remaining;
                lot.added = Decimal::ZERO;
                let u = lot.remaining.min(headroom);
                headroom -= u;
                lot.used = u;
                lot.remaining -= u;
                retained_carried += u;
                *retained_by_rate
                    .entry(lot.rate.unwrap_or(std_rate))
                    .or_default() += u;
            }
            let excess: Decimal = excess_by_rate.iter().map(|x| x.1).sum();
            let last_new = k + donations_years;
            for (rate, x) in &excess_by_rate {
                lots.push(Lot {
                    origin: fy.label.clone(),
                    origin_end: fy.end,
                    rate: Some(*rate),
                    opening: Decimal::ZERO,
                    added: *x,
                    remaining: *x,
                    used: Decimal::ZERO,
                    last: last_new,
                });
            }
            let mut donations_expired = Decimal::ZERO;
            for lot in &mut lots {
                let expired = if lot.last <= k {
                    lot.remaining
                } else {
                    Decimal::ZERO
                };
                donations_expired += expired;
                lot.remaining -= expired;
                donations_ledger.push(LedgerLine {
                    company: company.id.clone(),
                    fiscal_year: fy.label.clone(),
                    origin: lot.origin.clone(),
                    origin_end: lot.origin_end,
                    rate: lot.rate.map(Rate),
                    opening: Money(lot.opening),
                    added: Money(lot.added),
                    used: Money(lot.used),
                    expired: Money(expired),
                    closing: Money(lot.remaining),
                    usable_until: fys.get(lot.last).map(|&i| s.fiscal_years[i].label.clone()),
                });
                lot.used = Decimal::ZERO;
            }
            lots.retain(|l| l.remaining > Decimal::ZERO);
            let carried_closing: Decimal = lots.iter().map(|l| l.remaining).sum();

            // Reduction by rate, and the part earned by this year's own donations (bench).
            let mut reduction_by_rate = BTreeMap::new();
            let mut reduction = Decimal::ZERO;
            for (rate, amt) in &retained_by_rate {
                let r = round_cent(*rate * *amt);
                reduction += r;
                reduction_by_rate.insert(Rate(*rate).label(), Money(r));
            }
            let own: Decimal = [
                (aid60 + std60).min(ceiling),
                retained_current - (aid60 + std60).min(ceiling),
            ]
            .iter()
            .zip([std_rate, low_rate])
            .map(|(amt, rate)| round_cent(rate * *amt))
            .sum();
            own_reduction[fyi] = own;

            // Imputation on tax (report en impôt).
            let (mut tax_due, mut reduction_used, mut reduction_expired, mut reduction_closing) =
                (None, None, None, None);
            if tax_known {
                if let Some(tax) = fy.tax_due {
                    red_lots.sort_by_key(|l| l.origin_end);
                    let mut left = tax;
                    let mut used_total = Decimal::ZERO;
                    for lot in &mut red_lots {
                        lot.opening = lot.remaining;
                        lot.added = Decimal::ZERO;
                        let u = lot.remaining.min(left);
                        left -= u;
                        lot.used = u;
                        lot.remaining -= u;
                        used_total += u;
                    }
                    let u = reduction.min(left);
                    used_total += u;
                    let unused = reduction - u;
                    if unused > Decimal::ZERO {
                        red_lots.push(Lot {
                            origin: fy.label.clone(),
                            origin_end: fy.end,
                            rate: None,
                            opening: Decimal::ZERO,
                            added: unused,
                            remaining: unused,
                            used: Decimal::ZERO,
                            last: k + reduction_years,
                        });
                    }
                    let mut expired_total = Decimal::ZERO;
                    for lot in &mut red_lots {
                        let expired = if lot.last <= k {
                            lot.remaining
                        } else {
                            Decimal::ZERO
                        };
                        expired_total += expired;
                        lot.remaining -= expired;
                        reduction_ledger.push(LedgerLine {
                            company: company.id.clone(),
                            fiscal_year: fy.label.clone(),
                            origin: lot.origin.clone(),
                            origin_end: lot.origin_end,
                            rate: None,
                            opening: Money(lot.opening),
                            added: Money(lot.added),
                            used: Money(lot.used),
                            expired: Money(expired),
                            closing: Money(lot.remaining),
                            usable_until: fys
                                .get(lot.last)
                                .map(|&i| s.fiscal_years[i].label.clone()),
                        });
                        lot.used = Decimal::ZERO;
                    }
                    red_lots.retain(|l| l.remaining > Decimal::ZERO);
                    tax_due = Some(Money(tax));
                    reduction_used = Some(Money(used_total));
                    reduction_expired = Some(Money(expired_total));
                    reduction_closing = Some(Money(red_lots.iter().map(|l| l.remaining).sum()));
                } else {
                    tax_known = false;
                }
            }

            // Counterparts.
            let tolerance = law.req("counterparts_tolerance", fy.end)?;
            let mut cp_total = Decimal::ZERO;
            let mut cp_warning = false;
            for (&b, &v) in &a.counterparts_by_ben {
                let g = a.gifts_by_ben.get(&b).copied().unwrap_or_default();
                let ratio = (!g.is_zero()).then(|| v / g);
                let warning = ratio.map_or(v > Decimal::ZERO, |r| r > tolerance);
                cp_total += v;
                cp_warning |= warning;
                counterpart_checks.push(CounterpartCheck {
                    company: company.id.clone(),
                    fiscal_year: fy.label.clone(),
                    beneficiary: s.beneficiaries[b].id.clone(),
                    counterparts: Money(v),
                    gifts: Money(g),
                    ratio: ratio.map(Qty),
                    warning,
                });
                if warning {
                    law.warnings.insert(format!(
                        "{} {}: counterparts from {} ({}) exceed {} of the gifts ({}): disproportion marquée",
                        company.id, fy.label, s.beneficiaries[b].id, crate::money::fmt_money(v), tolerance, crate::money::fmt_money(g)
                    ));
                }
            }
            let decl = law.dec("declaration_threshold", fy.end)?;
            fy_reports.push(FiscalYearReport {
                company: company.id.clone(),
                label: fy.label.clone(),
                start: fy.start,
                end: fy.end,
                regime,
                turnover: Money(fy.turnover),
                donations: Donations {
                    staff_time: Money(a.staff),
                    cash: Money(a.cash),
                    in_kind: Money(a.in_kind),
                    total: Money(total),
                    aid60: Money(aid60),
                    std60: Money(std60),
                    std40: Money(std40),
                },
                ceiling: Money(ceiling),
                retained_current: Money(retained_current),
                retained_carried: Money(retained_carried),
                retained_by_rate: retained_by_rate
                    .iter()
                    .map(|(r, v)| (Rate(*r).label(), Money(*v)))
                    .collect(),
                reduction: Money(reduction),
                reduction_by_rate,
                excess: Money(excess),
                donations_expired: Money(donations_expired),
                donations_carried_closing: Money(carried_closing),
                tax_due,
                reduction_used,
                reduction_expired,
                reduction_carried_closing: reduction_closing,
                form_2069_rci_reduction: whole_euros(reduction),
                declaration_required: decl.is_some_and(|t| total > t),
                counterparts: Money(cp_total),
                counterparts_warning: cp_warning,
                excluded: Money(a.excluded),
            });
        }
    }

    phase!(t0, "gifts, ledgers");
    let counterparts_by_fy: Vec<BTreeMap<usize, Decimal>> =
        acc.into_iter().map(|a| a.counterparts_by_ben).collect();
    let assoc = crate::assoc::AssocInput {
        scenario: s,
        entries: &entries,
        valued: &valued,
        own_reduction: &own_reduction,
        fys_of: &fys_of,
        ben_idx: &ben_idx,
        pay_of: &pay_of,
        default_hpd,
        last_day,
        started: t0,
    };
    // Receipts, declarations and their reconciliation with the entries (no parameter
    // look-ups) run on a second thread while the association side runs on this one.
    let ((receipts, declarations, reconciliation), assoc_result) = std::thread::scope(|scope| {
        let documents = scope.spawn(|| {
            let receipts =
                crate::receipts::receipts(s, &valued, &gifts, &gift_fy, &fys_of, &ben_idx);
            phase!(t0, "receipts");
            let declarations = crate::receipts::declarations(
                s,
                &valued,
                &gifts,
                &gift_fy,
                &fys_of,
                &fy_reports,
                &counterparts_by_fy,
                &ben_idx,
            );
            phase!(t0, "declarations");
            let reconciliation = crate::assoc::reconciliation(&assoc, &receipts, &gifts);
            phase!(t0, "reconciliation");
            (receipts, declarations, reconciliation)
        });
        let assoc_result =
            crate::assoc::association(&assoc, &fy_reports, &gifts, &mut rejected, &mut law);
        phase!(t0, "association side");
        match documents.join() {
            Ok(d) => (d, assoc_result),
            Err(p) => std::panic::resume_unwind(p),
        }
    });
    let a = assoc_result?;
    phase!(t0, "both sides joined");

    // ---- rejections in table order, then row order; nothing lost.
    rejected.sort_by(|x, y| {
        crate::raw::table_index(&x.table)
            .cmp(&crate::raw::table_index(&y.table))
            .then(x.row.cmp(&y.row))
    });
    rejected.dedup_by(|a, b| a.table == b.table && a.row == b.row);
    let inputs = s
        .row_counts
        .iter()
        .map(|(t, n)| InputCount {
            table: t.clone(),
            rows: *n,
            rejected: rejected.iter().filter(|r| &r.table == t).count(),
        })
        .collect();
    if opts.strict && !rejected.is_empty() {
        return Err(Error::Strict {
            count: rejected.len(),
            first: rejected[0].to_string(),
        });
    }
    phase!(t0, "rejections sorted");
    Ok(Report {
        fiscal_years: fy_reports,
        entries: with_typing_rejections(entries, &s.rejections),
        gifts,
        beneficiaries: a.beneficiaries,
        receipts,
        journal: a.journal,
        bench: a.bench,
        projects: a.projects,
        outputs: a.outputs,
        programme: a.programme,
        annex: a.annex,
        reconciliation,
        goods_for_accountant: a.goods_for_accountant,
        declarations,
        counterparts: counterpart_checks,
        donations_ledger,
        reduction_ledger,
        rejected,
        inputs,
        policies: Policies {
            cap_method,
            retention_order: "aid60, std60, std40 (highest rate first); then carried excesses, oldest origin first, 60 % before 40 %".into(),
            carried_order: "oldest origin first".into(),
            fixed_ceiling_proration: "none (fixed amount not prorated for fiscal years not 12 months long)".into(),
            chart: s.settings.chart.unwrap_or_default(),
        },
        references: law.references(),
        // The input's own warnings (hidden sheets or rows…) first, then the law's.
        warnings: s
            .input_warnings
            .iter()
            .cloned()
            .chain(law.warnings)
            .collect(),
        assumptions: assumptions.into_iter().collect(),
        disclaimer: DISCLAIMER.to_string(),
    })
}

/// Every time entry has its line, in input order: rows rejected while the tables were typed
/// (a missing date, a negative quantity…) get a rejected line beside the valued ones.
fn with_typing_rejections(entries: Vec<EntryReport>, typing: &[Rejection]) -> Vec<EntryReport> {
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
            out.push(rejected_line(r.row, Some(r.reason.clone())));
        }
        out.push(e);
    }
    out.extend(rest.map(|r| rejected_line(r.row, Some(r.reason.clone()))));
    out
}

/// One thread's shared copies of the texts of its entries lines: each distinct id, label or
/// project is allocated once per thread (threads never share a counter), then every line
/// holding it takes one more reference.
struct Texts<'s> {
    /// By kind ([`Texts::BEN`]…), then by index in its table.
    indexed: [Vec<Option<Arc<str>>>; 4],
    /// Other texts (volunteers, projects, activities), by content.
    by_text: crate::scenario::SharedTexts<'s>,
}

impl<'s> Texts<'s> {
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
            by_text: crate::scenario::SharedTexts::default(),
        }
    }

    /// The shared copy of `text`, row `i` of table `kind`.
    fn indexed(&mut self, kind: usize, i: usize, text: &str) -> Arc<str> {
        match self.indexed[kind].get_mut(i) {
            Some(slot) => slot.get_or_insert_with(|| Arc::from(text)).clone(),
            None => Arc::from(text),
        }
    }

    /// The shared copy of `text`.
    fn text(&mut self, text: &'s str) -> Arc<str> {
        self.by_text.get(text)
    }
}

/// An entries line with nothing valued: status rejected, every figure absent.
fn rejected_line(row: usize, reason: Option<String>) -> EntryReport {
    EntryReport {
        row,
        employee: None,
        volunteer: None,
        beneficiary: None,
        date: None,
        company: None,
        fiscal_year: None,
        days: None,
        hours: None,
        annual_cost: None,
        cost_cap: None,
        annual_units: None,
        units: None,
        value: None,
        status: Status::Rejected,
        reason,
        project: None,
        activity: None,
    }
}

/// Length of a fiscal year in whole months (12 for a calendar year).
fn whole_years_months(start: NaiveDate, end: NaiveDate) -> i64 {
    let next = end.succ_opt().unwrap_or(end);
    let mut months = i64::from(next.year() - start.year()) * 12 + i64::from(next.month())
        - i64::from(start.month());
    if next.day() < start.day() {
        months -= 1;
    }
    months
}

/// A parameter that counts fiscal years, as a whole number.
fn whole_years_param(law: &mut Law, name: &'static str, date: NaiveDate) -> Result<usize, Error> {
    let v = law.req(name, date)?;
    if !v.fract().is_zero() || v.is_sign_negative() {
        return Err(Error::Parameter {
            parameter: name.into(),
            message: format!("{v} is not a whole number of fiscal years"),
        });
    }
    usize::try_from(v.trunc().mantissa()).map_err(|_| Error::Parameter {
        parameter: name.into(),
        message: format!("{v} is out of range"),
    })
}

/// Whole euros, half up, for forms.
fn whole_euros(x: Decimal) -> i64 {
    let r = crate::money::round_dp(x, 0);
    i64::try_from(r.mantissa() / 10i128.pow(r.scale())).unwrap_or(i64::MAX)
}

/// Valuation facts shared with the receipts, impact and bench modules.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_years_between_dates() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(whole_years(d("2024-01-01"), d("2025-01-01")), 1);
        assert_eq!(whole_years(d("2024-01-01"), d("2024-12-31")), 0);
        assert_eq!(whole_years(d("2019-01-01"), d("2025-01-01")), 6);
        assert_eq!(whole_years_months(d("2025-01-01"), d("2025-12-31")), 12);
        assert_eq!(whole_years_months(d("2025-01-01"), d("2026-06-30")), 18);
        assert_eq!(whole_euros(Decimal::new(1650050, 2)), 16501);
        assert_eq!(whole_euros(Decimal::new(1650049, 2)), 16500);
    }
}
