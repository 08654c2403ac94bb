//! Which entries count in impact, and each one's value for the association's accounts by
//! the beneficiary's method (rules-association §2: donor cost, SMIC, loaded SMIC, a rate).

use super::*;

/// Whether an entry counts in impact: time really given (retained, or excluded only because
/// the beneficiary is not eligible, or a volunteer's own time); refused and rejected do not.
pub(super) fn counts_in_impact(te: &TimeEntry, e: &EntryReport) -> bool {
    e.status != Status::Rejected && !te.refused
}

/// The rate row for an entry: `id` when given, matching the activity (or a rate with no
/// activity), the latest `from` on or before the date.
pub(super) fn find_rate<'a>(
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

pub(super) fn priced(r: &RateRow, days: Decimal, hours: Decimal) -> Decimal {
    round_cent(match r.unit {
        RateUnit::Day => days * r.amount,
        RateUnit::Hour => hours * r.amount,
    })
}

/// The value of an entry for the beneficiary's accounts, and where it came from.
#[allow(clippy::too_many_arguments)]
pub(super) fn cvn_value(
    inp: &AssocInput,
    law: &mut Law,
    cache: &mut FxHashMap<NaiveDate, Option<Decimal>>,
    ben: &Beneficiary,
    te: &TimeEntry,
    fact: Option<&EntryFacts>,
    days: Decimal,
    hours: Decimal,
) -> Result<(Option<Decimal>, Source), Error> {
    let mut smic = |law: &mut Law| -> Result<Option<Decimal>, Error> {
        if let Some(v) = cache.get(&te.date) {
            return Ok(*v);
        }
        let v = law.dec((crate::law::OnDate::SmicHourly, te.date))?;
        cache.insert(te.date, v);
        Ok(v)
    };
    let at_smic = |v: Option<Decimal>| match v {
        Some(v) => (Some(v), Source::Smic),
        None => (None, Source::Missing),
    };
    Ok(match (&ben.cvn, fact) {
        (CvnValuation::DonorCost, Some(f)) => (Some(f.value), Source::DonorCost),
        (CvnValuation::DonorCost | CvnValuation::Smic, _) => at_smic(
            smic(law)?
                .and_then(|s| hours.checked_mul(s))
                .map(round_cent),
        ),
        (CvnValuation::SmicLoaded(k), _) => at_smic(
            smic(law)?
                .and_then(|s| hours.checked_mul(s)?.checked_mul(Decimal::ONE + *k))
                .map(round_cent),
        ),
        (CvnValuation::Rate(id), _) => {
            let row = find_rate_index(
                &inp.scenario.rates,
                Some(id.as_str()),
                te.activity.as_deref(),
                te.date,
            );
            match row {
                Some(r) => (
                    Some(priced(&inp.scenario.rates[r], days, hours)),
                    Source::Rate(r),
                ),
                None => (None, Source::Missing),
            }
        }
    })
}

/// The index of [`find_rate`]'s row.
pub(super) fn find_rate_index(
    rates: &[RateRow],
    id: Option<&str>,
    activity: Option<&str>,
    date: NaiveDate,
) -> Option<usize> {
    let r = find_rate(rates, id, activity, date)?;
    rates.iter().position(|x| std::ptr::eq(x, r))
}

impl<'a> Interned<'a> {
    pub(super) fn person(&mut self, staff: bool, id: &'a str) -> u32 {
        let n = u32::try_from(self.people.len()).unwrap_or(u32::MAX);
        *self.people.entry((staff, id)).or_insert(n)
    }

    pub(super) fn project(&mut self, p: &'a str) -> u32 {
        let n = u32::try_from(self.projects.len()).unwrap_or(u32::MAX);
        let id = *self.project_ids.entry(p).or_insert(n);
        if id == n {
            self.projects.push(p);
        }
        id
    }

    pub(super) fn pair(&mut self, b: usize, p: u32) -> u32 {
        let n = u32::try_from(self.pairs.len()).unwrap_or(u32::MAX);
        *self.pairs.entry((b, p)).or_insert(n)
    }
}

/// Values every entry that counts in impact (in input order).
pub(super) fn counted<'a>(
    inp: &'a AssocInput,
    law: &mut Law,
    names: &mut Interned<'a>,
) -> Result<Vec<Counted<'a>>, Error> {
    let s = inp.scenario;
    let mut out = Vec::new();
    // SMIC by date: one look-up per distinct date.
    let mut smic: FxHashMap<NaiveDate, Option<Decimal>> = FxHashMap::default();
    // Each pay row's employee, interned once.
    let person_of_pay: Vec<u32> = s
        .employees
        .iter()
        .map(|p| names.person(true, &p.id))
        .collect();
    for (i, (te, fact)) in s.time_entries.iter().zip(inp.valued).enumerate() {
        // A valued entry is never rejected: its facts say all (the long lines of the
        // entries are not read); the others (volunteers, rejected rows) are looked up.
        let (b, days, hours) = match fact {
            Some(f) if te.refused => continue,
            Some(f) => (f.ben, f.days, f.hours),
            None => {
                let e = &inp.entries[i];
                if !counts_in_impact(te, e) {
                    continue;
                }
                let Some(&b) = inp.ben_idx.get(&*te.beneficiary) else {
                    continue;
                };
                (
                    b,
                    e.days.map(|q| q.0).unwrap_or_default(),
                    e.hours.map(|q| q.0).unwrap_or_default(),
                )
            }
        };
        let ben = &s.beneficiaries[b];
        let (cvn, source) = cvn_value(inp, law, &mut smic, ben, te, fact.as_ref(), days, hours)?;
        let market = if s.rates.is_empty() {
            None
        } else {
            find_rate(&s.rates, None, te.activity.as_deref(), te.date)
                .map(|r| priced(r, days, hours))
        };
        let (staff, person) = match (&te.giver, fact) {
            (Giver::Employee(_), Some(f)) => (true, person_of_pay[f.pay]),
            (Giver::Employee(id), None) => (true, names.person(true, id)),
            (Giver::Volunteer(name), _) => (false, names.person(false, name)),
        };
        let project = te.project.as_deref().map(|p| names.project(p));
        let pair = project.map_or(u32::MAX, |p| names.pair(b, p));
        out.push(Counted {
            b,
            year: te.date.year(),
            date: te.date,
            days,
            hours,
            staff,
            person,
            fact: fact.as_ref(),
            project,
            pair,
            cvn,
            source,
            market,
        });
    }
    Ok(out)
}
