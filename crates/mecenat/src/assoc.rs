//! The association's side: impact per beneficiary and year, valuation of contributions in
//! kind (CVN) by the beneficiary's method, the class-8 journal, and bench economics.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::compute::{EntryFacts, Law};
use crate::error::Error;
use crate::money::{round_cent, Money, Qty};
use crate::report::*;
use crate::scenario::*;

pub(crate) struct AssocInput<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) entries: &'a [EntryReport],
    pub(crate) valued: &'a [Option<EntryFacts>],
    pub(crate) own_reduction: &'a [Decimal],
    pub(crate) fys_of: &'a [Vec<usize>],
    pub(crate) ben_idx: &'a HashMap<&'a str, usize>,
    pub(crate) pay_of: &'a HashMap<&'a str, Vec<usize>>,
    pub(crate) default_hpd: Decimal,
}

/// Accounts of one category in a chart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    /// Debit (use, 86x).
    pub debit: String,
    /// Credit (source, 87x).
    pub credit: String,
    /// Debit account's name.
    pub debit_label: String,
    /// Credit account's name.
    pub credit_label: String,
}

/// One chart of accounts for class 8.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartAccounts {
    /// Name of the chart.
    pub label: String,
    /// Regulation.
    pub reference: String,
    /// Staff lent by a company.
    pub staff_lent: Accounts,
    /// Volunteers' own time.
    pub volunteers: Accounts,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Charts {
    #[allow(dead_code)]
    last_checked: toml::value::Datetime,
    pca2018: ChartAccounts,
    pca1999: ChartAccounts,
}

/// The class-8 accounts of a chart (embedded data file `params/charts.toml`).
///
/// # Errors
///
/// [`Error::Parameter`] if the embedded file is invalid.
pub fn chart_accounts(chart: Chart) -> Result<ChartAccounts, Error> {
    let charts: Charts =
        toml::from_str(include_str!("../params/charts.toml")).map_err(|e| Error::Parameter {
            parameter: "charts".into(),
            message: e.to_string(),
        })?;
    Ok(match chart {
        Chart::Pca2018 => charts.pca2018,
        Chart::Pca1999 => charts.pca1999,
    })
}

/// Whether an entry counts in impact: time really given (retained, or excluded only because
/// the beneficiary is not eligible, or a volunteer's own time); refused and rejected do not.
pub(crate) fn counts_in_impact(te: &TimeEntry, e: &EntryReport) -> bool {
    e.status != Status::Rejected && !te.refused
}

/// The rate row for an entry: `id` when given, matching the activity (or a rate with no
/// activity), the latest `from` on or before the date.
fn find_rate<'a>(
    rates: &'a [RateRow],
    id: Option<&str>,
    activity: Option<&str>,
    date: NaiveDate,
) -> Option<&'a RateRow> {
    let ok = |r: &&RateRow| id.is_none_or(|i| r.id == i) && r.from.is_none_or(|f| f <= date);
    let best = |want: Option<&str>| {
        rates
            .iter()
            .filter(ok)
            .filter(|r| r.activity.as_deref() == want)
            .max_by_key(|r| (r.from, std::cmp::Reverse(r.row)))
    };
    activity.and_then(|a| best(Some(a))).or_else(|| best(None))
}

fn priced(r: &RateRow, days: Decimal, hours: Decimal) -> Decimal {
    round_cent(match r.unit {
        RateUnit::Day => days * r.amount,
        RateUnit::Hour => hours * r.amount,
    })
}

#[derive(Default)]
struct ImpactAcc<'a> {
    hours: Decimal,
    days: Decimal,
    people: HashSet<(bool, &'a str)>,
    companies: HashSet<usize>,
    projects: HashSet<&'a str>,
    donor_cost: Decimal,
    cvn: Option<Decimal>,
    cvn_missing: bool,
    market: Decimal,
    market_missing: bool,
    staff_cvn: Decimal,
    volunteer_cvn: Decimal,
    staff_days: Decimal,
    volunteer_days: Decimal,
    lenders: Vec<usize>,
}

/// The value of an entry for the beneficiary's accounts.
fn cvn_value(
    inp: &AssocInput,
    law: &mut Law,
    ben: &Beneficiary,
    te: &TimeEntry,
    fact: Option<&EntryFacts>,
    days: Decimal,
    hours: Decimal,
) -> Result<Option<Decimal>, Error> {
    let smic = |law: &mut Law| law.dec("smic_hourly", te.date);
    Ok(match (ben.cvn_method, fact) {
        (CvnMethod::DonorCost, Some(f)) => Some(f.value),
        (CvnMethod::DonorCost | CvnMethod::Smic, _) => smic(law)?.map(|s| round_cent(hours * s)),
        (CvnMethod::SmicLoaded, _) => {
            let k = ben
                .cvn_factor
                .as_deref()
                .and_then(|k| Decimal::from_str_exact(k).ok())
                .unwrap_or_default();
            smic(law)?.map(|s| round_cent(hours * s * (Decimal::ONE + k)))
        }
        (CvnMethod::Rate, _) => find_rate(
            &inp.scenario.rates,
            ben.cvn_factor.as_deref(),
            te.activity.as_deref(),
            te.date,
        )
        .map(|r| priced(r, days, hours)),
    })
}

/// Impact per beneficiary (table order) and calendar year.
pub(crate) fn impact(inp: &AssocInput, law: &mut Law) -> Result<Vec<ImpactReport>, Error> {
    let s = inp.scenario;
    let fte_hours = match s.settings.fte_hours {
        Some(h) => h,
        None => law.req(
            "fte_hours",
            s.fiscal_years
                .iter()
                .map(|f| f.end)
                .max()
                .unwrap_or(NaiveDate::MIN),
        )?,
    };
    let mut acc: BTreeMap<(usize, i32), ImpactAcc> = BTreeMap::new();
    for ((te, e), fact) in s.time_entries.iter().zip(inp.entries).zip(inp.valued) {
        if !counts_in_impact(te, e) {
            continue;
        }
        let b = inp.ben_idx[te.beneficiary.as_str()];
        let ben = &s.beneficiaries[b];
        let (days, hours) = (
            e.days.map(|q| q.0).unwrap_or_default(),
            e.hours.map(|q| q.0).unwrap_or_default(),
        );
        let cvn = cvn_value(inp, law, ben, te, fact.as_ref(), days, hours)?;
        let market = if s.rates.is_empty() {
            None
        } else {
            find_rate(&s.rates, None, te.activity.as_deref(), te.date)
                .map(|r| priced(r, days, hours))
        };
        let a = acc.entry((b, te.date.year())).or_default();
        a.hours += hours;
        a.days += days;
        match &te.giver {
            Giver::Employee(id) => {
                a.people.insert((true, id.as_str()));
                if let Some(f) = fact {
                    a.companies.insert(f.company);
                    a.donor_cost += f.value;
                    if !a.lenders.contains(&f.company) {
                        a.lenders.push(f.company);
                    }
                }
                a.staff_cvn += cvn.unwrap_or_default();
                a.staff_days += days;
            }
            Giver::Volunteer(name) => {
                a.people.insert((false, name.as_str()));
                a.volunteer_cvn += cvn.unwrap_or_default();
                a.volunteer_days += days;
            }
        }
        if let Some(p) = te.project.as_deref() {
            a.projects.insert(p);
        }
        match cvn {
            Some(v) => a.cvn = Some(a.cvn.unwrap_or_default() + v),
            None => a.cvn_missing = true,
        }
        match market {
            Some(v) => a.market += v,
            None => a.market_missing = true,
        }
    }
    let mut out = Vec::with_capacity(acc.len());
    for ((b, year), a) in acc {
        let ben = &s.beneficiaries[b];
        if a.cvn_missing {
            law.warnings.insert(format!(
                "{} {year}: some entries have no value for the accounts ({:?} method: no SMIC or rate for their date or activity); value_cvn is absent",
                ben.id, ben.cvn_method
            ));
        }
        if a.market_missing && !s.rates.is_empty() {
            law.warnings.insert(format!(
                "{} {year}: some entries match no market rate; value_market is absent",
                ben.id
            ));
        }
        out.push(ImpactReport {
            beneficiary: ben.id.clone(),
            period: year.to_string(),
            hours: Qty(a.hours),
            days: Qty(a.days),
            fte: Qty(a.hours / fte_hours),
            volunteers: a.people.len(),
            companies: a.companies.len(),
            projects: a.projects.len(),
            value_donor_cost: Money(a.donor_cost),
            value_cvn: if a.cvn_missing {
                None
            } else {
                Some(Money(a.cvn.unwrap_or_default()))
            },
            value_market: if s.rates.is_empty() || a.market_missing {
                None
            } else {
                Some(Money(a.market))
            },
            cvn_method: ben.cvn_method,
        });
    }
    Ok(out)
}

/// French decimal text (`12,5`).
fn fr(d: Decimal) -> String {
    crate::money::fmt_qty(d).replace('.', ",")
}

/// Class-8 journal: per beneficiary (table order) and calendar year, one balanced line per
/// category with time (staff lent, then volunteers), adding up to the period's value_cvn.
pub(crate) fn journal(
    inp: &AssocInput,
    impact: &[ImpactReport],
    law: &mut Law,
) -> Result<Vec<JournalLine>, Error> {
    let s = inp.scenario;
    let chart = chart_accounts(s.settings.chart.unwrap_or_default())?;
    // Recompute per-category sums (impact holds only the totals).
    // (beneficiary, year) -> [staff lent, volunteers] as (value, days, lending companies)
    type Sums = BTreeMap<(usize, i32), [(Decimal, Decimal, Vec<usize>); 2]>;
    let mut sums: Sums = BTreeMap::new();
    for ((te, e), fact) in s.time_entries.iter().zip(inp.entries).zip(inp.valued) {
        if !counts_in_impact(te, e) {
            continue;
        }
        let b = inp.ben_idx[te.beneficiary.as_str()];
        let ben = &s.beneficiaries[b];
        let (days, hours) = (
            e.days.map(|q| q.0).unwrap_or_default(),
            e.hours.map(|q| q.0).unwrap_or_default(),
        );
        let v = cvn_value(inp, law, ben, te, fact.as_ref(), days, hours)?.unwrap_or_default();
        let slot = sums.entry((b, te.date.year())).or_default();
        let i = usize::from(matches!(te.giver, Giver::Volunteer(_)));
        slot[i].0 += v;
        slot[i].1 += days;
        if let (0, Some(f)) = (i, fact) {
            if !slot[0].2.contains(&f.company) {
                slot[0].2.push(f.company);
            }
        }
    }
    let mut out = Vec::new();
    for imp in impact {
        if imp.value_cvn.is_none() {
            continue;
        }
        let b = inp.ben_idx[imp.beneficiary.as_str()];
        let year: i32 = imp.period.parse().unwrap_or_default();
        let Some(slot) = sums.get(&(b, year)) else {
            continue;
        };
        for (i, (cat, acc)) in [
            ("staff_lent", &chart.staff_lent),
            ("volunteers", &chart.volunteers),
        ]
        .into_iter()
        .enumerate()
        {
            let (amount, days, companies) = &slot[i];
            if days.is_zero() {
                continue;
            }
            let label = if i == 0 {
                let names: Vec<&str> = companies
                    .iter()
                    .map(|&c| s.companies[c].name.as_str())
                    .collect();
                format!(
                    "Mécénat de compétences – {} jours – {}",
                    fr(*days),
                    names.join(", ")
                )
            } else {
                format!("Bénévolat – {} jours", fr(*days))
            };
            out.push(JournalLine {
                beneficiary: imp.beneficiary.clone(),
                period: imp.period.clone(),
                category: cat.into(),
                debit_account: acc.debit.clone(),
                credit_account: acc.credit.clone(),
                amount: Money(*amount),
                label,
            });
        }
    }
    Ok(out)
}

fn weekdays(a: NaiveDate, b: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    a.iter_days()
        .take_while(move |d| *d <= b)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

/// Uncapped daily cost of a pay row.
fn daily_cost(p: &PayRow, default_hpd: Decimal) -> Decimal {
    let hpd = if p.hours_per_day.is_zero() {
        default_hpd
    } else {
        p.hours_per_day
    };
    match p.basis {
        Basis::Days(a) => p.annual_cost() / a,
        Basis::Hours(a) => p.annual_cost() * hpd / a,
    }
}

/// Bench economics per company and fiscal year (rules-company.md §7, report-format.md).
pub(crate) fn bench(
    inp: &AssocInput,
    fy_reports: &[FiscalYearReport],
    rejected: &mut Vec<Rejection>,
    _law: &mut Law,
) -> Result<Vec<BenchReport>, Error> {
    let s = inp.scenario;
    if s.bench.is_empty() {
        return Ok(Vec::new());
    }
    // Valid periods per employee, overlapping ones rejected.
    let mut periods: HashMap<&str, Vec<&BenchPeriod>> = HashMap::new();
    for bp in &s.bench {
        let Some(rows) = inp.pay_of.get(bp.employee.as_str()) else {
            rejected.push(Rejection {
                table: "bench".into(),
                row: bp.row,
                reason: format!("unknown employee {:?}", bp.employee),
                cell: s.cell_of("bench", bp.row, "employee"),
                key: Some("employee".into()),
                value: Some(bp.employee.clone()),
            });
            continue;
        };
        let _ = rows;
        let list = periods.entry(bp.employee.as_str()).or_default();
        if let Some(o) = list.iter().find(|o| o.start <= bp.end && bp.start <= o.end) {
            rejected.push(Rejection {
                table: "bench".into(),
                row: bp.row,
                reason: format!(
                    "bench period {}..{} of {:?} overlaps row {}",
                    bp.start, bp.end, bp.employee, o.row
                ),
                cell: s.cell_of("bench", bp.row, "start"),
                key: Some("start".into()),
                value: Some(bp.start.to_string()),
            });
            continue;
        }
        list.push(bp);
    }
    let pay_at = |id: &str, d: NaiveDate| -> Option<&PayRow> {
        let rows = inp.pay_of.get(id)?;
        let k = rows.partition_point(|&i| s.employees[i].from.is_none_or(|f| f <= d));
        (k > 0).then(|| &s.employees[rows[k - 1]])
    };
    // Per fiscal year: bench days and cost.
    let mut days: HashMap<usize, (Decimal, Decimal)> = HashMap::new();
    let company_idx: HashMap<&str, usize> = s
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    for (emp, list) in &periods {
        for bp in list {
            for &fyi in inp.fys_of.iter().flatten() {
                let fy = &s.fiscal_years[fyi];
                let (a, b) = (bp.start.max(fy.start), bp.end.min(fy.end));
                if a > b {
                    continue;
                }
                let mut n = Decimal::ZERO;
                let mut cost = Decimal::ZERO;
                for d in weekdays(a, b) {
                    let Some(p) = pay_at(emp, d) else { continue };
                    if company_idx
                        .get(p.company.as_str())
                        .is_none_or(|&c| !inp.fys_of[c].contains(&fyi))
                    {
                        continue;
                    }
                    n += Decimal::ONE;
                    cost += daily_cost(p, inp.default_hpd);
                }
                if !n.is_zero() {
                    let slot = days.entry(fyi).or_default();
                    slot.0 += n;
                    slot.1 += round_cent(cost);
                }
            }
        }
    }
    // Donated days inside bench periods.
    let mut donated: HashMap<usize, (Decimal, Decimal, Decimal)> = HashMap::new();
    for ((te, e), fact) in s.time_entries.iter().zip(inp.entries).zip(inp.valued) {
        let (Some(f), Status::Retained, Giver::Employee(id)) = (fact, e.status, &te.giver) else {
            continue;
        };
        let Some(list) = periods.get(id.as_str()) else {
            continue;
        };
        if !list
            .iter()
            .any(|bp| bp.start <= te.date && te.date <= bp.end)
        {
            continue;
        }
        let slot = donated.entry(f.fy).or_default();
        slot.0 += f.days;
        slot.1 += f.value;
        slot.2 += f.days * daily_cost(&s.employees[f.pay], inp.default_hpd);
    }
    let mut out = Vec::new();
    for (c, fys) in inp.fys_of.iter().enumerate() {
        for &fyi in fys {
            let (bd, bc) = days.get(&fyi).copied().unwrap_or_default();
            let (dd, dv, dcost) = donated.get(&fyi).copied().unwrap_or_default();
            if bd.is_zero() && dd.is_zero() {
                continue;
            }
            let fy = &s.fiscal_years[fyi];
            let total = fy_reports
                .iter()
                .find(|r| r.company == fy.company && r.label == fy.label)
                .map(|r| r.donations.total.0)
                .unwrap_or_default();
            let attributable = if total.is_zero() {
                Decimal::ZERO
            } else {
                round_cent(inp.own_reduction[fyi] * dv / total)
            };
            out.push(BenchReport {
                company: s.companies[c].id.clone(),
                fiscal_year: fy.label.clone(),
                bench_days: Qty(bd),
                bench_cost: Money(bc),
                donated_days: Qty(dd),
                donated_value: Money(dv),
                donated_share: (!bd.is_zero()).then(|| Qty(dd / bd)),
                reduction_attributable: Money(attributable),
                net_cost: Money(round_cent(dcost) - attributable),
            });
        }
    }
    Ok(out)
}
