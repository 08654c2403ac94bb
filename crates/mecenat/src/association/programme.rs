//! The programme view for the companies (rules-association §4): per company and fiscal
//! year, per calendar year, and for all years (distinct counts over the periods).

use super::*;

/// The programme view: per company and fiscal year, and totals per calendar year that are
/// the sums of the `beneficiaries` rows.
pub(super) fn programme(
    inp: &AssocInput,
    rows: &[ImpactReport],
    by_ben: &BTreeMap<(usize, i32), Group>,
    by_fy: &FxHashMap<usize, Group>,
    bench: &[BenchReport],
    fte_hours: Decimal,
) -> Programme {
    let s = inp.scenario;
    let mut companies = Vec::new();
    for (c, fys) in inp.fys_of.iter().enumerate() {
        let company = &s.companies[c];
        let headcount = s
            .settings
            .eligible_headcount
            .iter()
            .find(|(id, _)| id.as_deref() == Some(company.id.as_str()))
            .or_else(|| {
                s.settings
                    .eligible_headcount
                    .iter()
                    .find(|(id, _)| id.is_none())
            })
            .map(|(_, n)| *n);
        for &fyi in fys {
            let fy = &s.fiscal_years[fyi];
            let empty = Group::default();
            let g = by_fy.get(&fyi).unwrap_or(&empty);
            let b_report = bench
                .iter()
                .find(|r| r.company == company.id && r.fiscal_year == fy.label);
            let volunteers = g.people.len();
            companies.push(CompanyProgramme {
                company: company.id.clone(),
                fiscal_year: fy.label.clone(),
                start: fy.start,
                end: fy.end,
                volunteers,
                eligible_headcount: headcount.map(Qty),
                participation_rate: headcount.map(|h| Qty(div(Decimal::from(volunteers), h))),
                hours: Qty(g.hours),
                days: Qty(g.days),
                value: Money(g.donor_cost),
                value_retained: Money(g.retained),
                projects: g.project_keys,
                beneficiaries: g.bens.len(),
                beneficiaries_supported: g
                    .bens
                    .iter()
                    .map(|&b| s.beneficiaries[b].id.clone())
                    .collect(),
                bench_days: (!s.bench.is_empty())
                    .then(|| b_report.map_or(Qty(Decimal::ZERO), |r| r.bench_days)),
                bench_days_donated: (!s.bench.is_empty())
                    .then(|| b_report.map_or(Qty(Decimal::ZERO), |r| r.donated_days)),
                bench_share_donated: b_report.and_then(|r| r.donated_share),
            });
        }
    }
    let totals_of = |period: String, keys: &[(usize, i32)], rows: &[&ImpactReport]| {
        let mut t = ProgrammeTotals {
            period,
            value_cvn: Some(Money(Decimal::ZERO)),
            value_market: Some(Money(Decimal::ZERO)),
            ..ProgrammeTotals::default()
        };
        let mut people: HashSet<u32> = HashSet::new();
        let mut lenders: HashSet<usize> = HashSet::new();
        // Distinct over the periods: a beneficiary, or a beneficiary's project, helped in
        // two years counts once (rules-association §4).
        let mut bens: HashSet<usize> = HashSet::new();
        let mut projects: HashSet<(usize, u32)> = HashSet::new();
        let mut years: BTreeSet<i32> = BTreeSet::new();
        for r in rows {
            t.hours.0 += r.hours.0;
            t.days.0 += r.days.0;
            t.value_donor_cost.0 += r.value_donor_cost.0;
            t.value_cvn = t.value_cvn.zip(r.value_cvn).map(|(a, b)| Money(a.0 + b.0));
            t.value_market = t
                .value_market
                .zip(r.value_market)
                .map(|(a, b)| Money(a.0 + b.0));
        }
        for k in keys {
            bens.insert(k.0);
            years.insert(k.1);
            if let Some(g) = by_ben.get(k) {
                projects.extend(g.projects.iter().map(|&p| (k.0, p)));
                people.extend(g.people.iter().copied());
                lenders.extend(g.companies.iter().copied());
                t.hours_staff_lent.0 += g.cat[0].hours;
                t.hours_volunteers.0 += g.cat[1].hours;
            }
        }
        if s.rates.is_empty() {
            t.value_market = None;
        }
        // FTE prorated over the calendar years the totals cover (first to last).
        let covered = match (years.first(), years.last()) {
            (Some(a), Some(z)) => Decimal::from(z - a + 1),
            _ => Decimal::ONE,
        };
        t.fte = Qty(div(t.hours.0, fte_hours * covered));
        t.volunteers = people.len();
        t.companies = lenders.len();
        t.beneficiaries = bens.len();
        t.projects = projects.len();
        t
    };
    // `rows` and `by_ben` are in the same (beneficiary, year) order.
    let keys: Vec<(usize, i32)> = by_ben.keys().copied().collect();
    let mut years: Vec<i32> = keys.iter().map(|k| k.1).collect();
    years.sort_unstable();
    years.dedup();
    let periods = years
        .iter()
        .map(|&y| {
            let (k, r): (Vec<(usize, i32)>, Vec<&ImpactReport>) = keys
                .iter()
                .zip(rows)
                .filter(|(k, _)| k.1 == y)
                .map(|(k, r)| (*k, r))
                .unzip();
            totals_of(y.to_string(), &k, &r)
        })
        .collect();
    let all: Vec<&ImpactReport> = rows.iter().collect();
    let totals = totals_of("all".into(), &keys, &all);
    Programme {
        companies,
        periods,
        totals,
    }
}
