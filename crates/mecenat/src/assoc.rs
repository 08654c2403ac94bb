//! The association's side: impact per beneficiary, project and year and for the whole
//! programme, valuation of contributions in kind (CVN) by the beneficiary's method, the
//! class-8 journal and its FEC-like export ([`journal_fec`]), the annex note, the
//! reconciliation of receipts with the companies' gifts, the in-kind goods list for the
//! accountant, and bench economics.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
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
    pub(crate) ben_idx: &'a FxHashMap<&'a str, usize>,
    pub(crate) pay_of: &'a FxHashMap<&'a str, Vec<usize>>,
    pub(crate) default_hpd: Decimal,
    /// The last closing date of the scenario (date of the defaults' look-ups).
    pub(crate) last_day: NaiveDate,
    /// When the computation started (for `phase-timings`).
    pub(crate) started: std::time::Instant,
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
    /// In-kind goods (not journalled: shown to the accountant).
    pub goods: Accounts,
    /// In-kind services (not journalled: shown to the accountant).
    pub services: Accounts,
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

/// Where an entry's value for the accounts came from (for the annex).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The company's cost price.
    DonorCost,
    /// SMIC on the entry's date (plain or loaded).
    Smic,
    /// A row of the `rates` table (index).
    Rate(usize),
    /// No value.
    Missing,
}

/// One time entry that counts in impact, valued once for every view.
struct Counted<'a> {
    /// Beneficiary index.
    b: usize,
    year: i32,
    date: NaiveDate,
    days: Decimal,
    hours: Decimal,
    /// Staff lent (an employee) rather than a volunteer's own time.
    staff: bool,
    /// The person (employee or volunteer), interned.
    person: u32,
    fact: Option<&'a EntryFacts>,
    /// The project, interned (its name in [`Interned::projects`]).
    project: Option<u32>,
    /// The (beneficiary, project) pair, interned (when there is a project).
    pair: u32,
    cvn: Option<Decimal>,
    source: Source,
    market: Option<Decimal>,
}

/// The value of an entry for the beneficiary's accounts, and where it came from.
#[allow(clippy::too_many_arguments)]
fn cvn_value(
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
        let v = law.dec("smic_hourly", te.date)?;
        cache.insert(te.date, v);
        Ok(v)
    };
    let at_smic = |v: Option<Decimal>| match v {
        Some(v) => (Some(v), Source::Smic),
        None => (None, Source::Missing),
    };
    Ok(match (ben.cvn_method, fact) {
        (CvnMethod::DonorCost, Some(f)) => (Some(f.value), Source::DonorCost),
        (CvnMethod::DonorCost | CvnMethod::Smic, _) => at_smic(
            smic(law)?
                .and_then(|s| hours.checked_mul(s))
                .map(round_cent),
        ),
        (CvnMethod::SmicLoaded, _) => {
            // Validated as a non-negative decimal when the scenario was read.
            let k = ben
                .cvn_factor
                .as_deref()
                .and_then(|k| Decimal::from_str_exact(k.trim()).ok())
                .unwrap_or_default();
            at_smic(
                smic(law)?
                    .and_then(|s| hours.checked_mul(s)?.checked_mul(Decimal::ONE + k))
                    .map(round_cent),
            )
        }
        (CvnMethod::Rate, _) => {
            let row = find_rate_index(
                &inp.scenario.rates,
                ben.cvn_factor.as_deref(),
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
fn find_rate_index(
    rates: &[RateRow],
    id: Option<&str>,
    activity: Option<&str>,
    date: NaiveDate,
) -> Option<usize> {
    let r = find_rate(rates, id, activity, date)?;
    rates.iter().position(|x| std::ptr::eq(x, r))
}

/// People and projects as small integers, so that grouping hashes and compares no text.
#[derive(Default)]
struct Interned<'a> {
    people: FxHashMap<(bool, &'a str), u32>,
    project_ids: FxHashMap<&'a str, u32>,
    projects: Vec<&'a str>,
    pairs: FxHashMap<(usize, u32), u32>,
}

impl<'a> Interned<'a> {
    fn person(&mut self, staff: bool, id: &'a str) -> u32 {
        let n = u32::try_from(self.people.len()).unwrap_or(u32::MAX);
        *self.people.entry((staff, id)).or_insert(n)
    }

    fn project(&mut self, p: &'a str) -> u32 {
        let n = u32::try_from(self.projects.len()).unwrap_or(u32::MAX);
        let id = *self.project_ids.entry(p).or_insert(n);
        if id == n {
            self.projects.push(p);
        }
        id
    }

    fn pair(&mut self, b: usize, p: u32) -> u32 {
        let n = u32::try_from(self.pairs.len()).unwrap_or(u32::MAX);
        *self.pairs.entry((b, p)).or_insert(n)
    }
}

/// Values every entry that counts in impact (in input order).
fn counted<'a>(
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

/// Distinct values of a group, each pushed once (on its first occurrence in the group, as
/// [`Marks::first`] tells) and sorted once ([`Distinct::finish`]).
struct Distinct<T>(Vec<T>);

impl<T> Default for Distinct<T> {
    fn default() -> Self {
        Distinct(Vec::new())
    }
}

impl<T: Ord + Copy> Distinct<T> {
    fn push(&mut self, x: T) {
        self.0.push(x);
    }

    fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }

    /// Distinct count.
    fn len(&self) -> usize {
        self.0.len()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

/// Which (group, value) pairs of one dimension were seen: a bit matrix when groups × values
/// is small (the usual case: one bit test per entry), a hash set of pairs beyond.
enum Marks {
    Bits { words: Vec<u64>, width: usize },
    Pairs(rustc_hash::FxHashSet<(u32, usize)>),
}

impl Marks {
    /// Bits of a matrix beyond which pairs are hashed instead (8 MiB).
    const MAX_BITS: usize = 1 << 26;

    fn new(groups: usize, values: usize) -> Self {
        let bits = groups.saturating_mul(values);
        if bits <= Self::MAX_BITS {
            Marks::Bits {
                words: vec![0; bits.div_ceil(64)],
                width: values,
            }
        } else {
            Marks::Pairs(rustc_hash::FxHashSet::default())
        }
    }

    /// Whether `v` is new to group `g` (and marks it seen).
    fn first(&mut self, g: u32, v: usize) -> bool {
        match self {
            Marks::Bits { words, width } => {
                let k = (g as usize) * *width + v;
                match words.get_mut(k / 64) {
                    Some(w) if v < *width => {
                        let m = 1u64 << (k % 64);
                        let new = *w & m == 0;
                        *w |= m;
                        new
                    }
                    _ => true,
                }
            }
            Marks::Pairs(set) => set.insert((g, v)),
        }
    }
}

/// The distinct values seen per group of one grouping, one [`Marks`] per dimension, so
/// that each entry costs one test per dimension (no set per group, no sort of every entry's
/// values).
struct Seen {
    people: Marks,
    companies: Marks,
    projects: Marks,
    /// ISO weeks, counted from the first entry's Monday.
    weeks: Marks,
    /// Days, counted from the first entry's date.
    days: Marks,
    rates: Marks,
    bens: Marks,
    pairs: Marks,
    /// The first entry's Monday and date, as days from the common era.
    first_monday: i32,
    first_day: i32,
}

impl Seen {
    /// Marks for `groups` groups of entries dated from `first` to `last`.
    fn new(
        inp: &AssocInput,
        names: &Interned,
        (first, last): (NaiveDate, NaiveDate),
        groups: usize,
    ) -> Self {
        let span = |a: NaiveDate, b: NaiveDate| {
            usize::try_from((b - a).num_days()).unwrap_or_default() + 1
        };
        let m = |values: usize| Marks::new(groups, values);
        Seen {
            people: m(names.people.len()),
            companies: m(inp.scenario.companies.len()),
            projects: m(names.projects.len()),
            weeks: m(span(monday(first), monday(last)) / 7 + 1),
            days: m(span(first, last)),
            rates: m(inp.scenario.rates.len()),
            bens: m(inp.scenario.beneficiaries.len()),
            pairs: m(names.pairs.len()),
            first_monday: monday(first).num_days_from_ce(),
            first_day: first.num_days_from_ce(),
        }
    }

    fn week(&self, d: NaiveDate) -> usize {
        usize::try_from((monday(d).num_days_from_ce() - self.first_monday) / 7).unwrap_or_default()
    }

    fn day(&self, d: NaiveDate) -> usize {
        usize::try_from(d.num_days_from_ce() - self.first_day).unwrap_or_default()
    }
}

/// Sums of a group of counted entries (a beneficiary's period, a project, a company's year).
#[derive(Default)]
struct Group {
    hours: Decimal,
    days: Decimal,
    people: Distinct<u32>,
    companies: Distinct<usize>,
    projects: Distinct<u32>,
    donor_cost: Decimal,
    /// Value of the retained entries (a company's year).
    retained: Decimal,
    cvn: Decimal,
    cvn_missing: bool,
    market: Decimal,
    market_missing: bool,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// ISO weeks with entries (distinct count).
    weeks: usize,
    /// Per category (staff lent, volunteers): value for the accounts, days, hours, people,
    /// lending companies in order of first entry.
    cat: [CatSums; 2],
    /// (project, person) pairs, for rotation: the sum of the projects' volunteers, set
    /// once the project groups are filled.
    project_people: usize,
    /// Values used: SMIC dates, rate rows.
    smic_dates: Distinct<NaiveDate>,
    rate_rows: Distinct<usize>,
    /// Beneficiaries supported (table order) and their projects (distinct count).
    bens: Distinct<usize>,
    project_keys: usize,
}

#[derive(Default)]
struct CatSums {
    value: Decimal,
    days: Decimal,
    hours: Decimal,
    /// Distinct people of the category.
    people: usize,
    lenders: Vec<usize>,
}

/// The sums of the entries of one cell: beneficiary, year, project and company year (the
/// finest grouping), added up once per entry and then rolled up into the three groupings.
#[derive(Default)]
struct Sums {
    /// Per category (staff lent, volunteers): value for the accounts, days, hours.
    cat: [(Decimal, Decimal, Decimal); 2],
    donor_cost: Decimal,
    retained: Decimal,
    cvn_missing: bool,
    market: Decimal,
    market_missing: bool,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

impl Sums {
    fn add(&mut self, c: &Counted, retained: bool) {
        let cat = &mut self.cat[usize::from(!c.staff)];
        match c.cvn {
            Some(v) => cat.0 += v,
            None => self.cvn_missing = true,
        }
        cat.1 += c.days;
        cat.2 += c.hours;
        if let Some(f) = c.fact {
            self.donor_cost += f.value;
            if retained {
                self.retained += f.value;
            }
        }
        match c.market {
            Some(v) => self.market += v,
            None => self.market_missing = true,
        }
        self.first = Some(self.first.map_or(c.date, |d| d.min(c.date)));
        self.last = Some(self.last.map_or(c.date, |d| d.max(c.date)));
    }
}

impl Group {
    /// Adds a cell's sums.
    fn absorb(&mut self, x: &Sums) {
        for (cat, (value, days, hours)) in self.cat.iter_mut().zip(&x.cat) {
            cat.value += *value;
            cat.days += *days;
            cat.hours += *hours;
            self.cvn += *value;
            self.days += *days;
            self.hours += *hours;
        }
        self.donor_cost += x.donor_cost;
        self.retained += x.retained;
        self.cvn_missing |= x.cvn_missing;
        self.market += x.market;
        self.market_missing |= x.market_missing;
        for d in [x.first, x.last].into_iter().flatten() {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
    }

    /// Sorts the distinct values: call once, once the group is filled.
    fn finish(&mut self) {
        self.people.finish();
        self.companies.finish();
        self.projects.finish();
        self.smic_dates.finish();
        self.rate_rows.finish();
        self.bens.finish();
    }

    /// Volunteers per project: Σ distinct people of each project / projects.
    fn rotation(&self) -> Option<Qty> {
        (!self.projects.is_empty()).then(|| {
            Qty(div(
                Decimal::from(self.project_people),
                Decimal::from(self.projects.len()),
            ))
        })
    }

    fn value_cvn(&self) -> Option<Money> {
        (!self.cvn_missing).then_some(Money(self.cvn))
    }

    fn value_market(&self, has_rates: bool) -> Option<Money> {
        (has_rates && !self.market_missing).then_some(Money(self.market))
    }
}

/// The three groupings of the counted entries: per (beneficiary, year), per (beneficiary,
/// year, project) and per company year (staff lent only).
type Groupings = (
    BTreeMap<(usize, i32), Group>,
    FxHashMap<(usize, i32, u32), Group>,
    FxHashMap<usize, Group>,
);

/// Builds the three [`Groupings`] in two passes over the counted entries: the first finds each
/// entry's cell (beneficiary, year, project, company year) and the groups; the second adds
/// each entry's sums to its cell (rolled up into the groups at the end) and marks its
/// distinct values (people, companies, projects, weeks…) in each grouping.
fn groupings(inp: &AssocInput, names: &Interned, counted: &[Counted]) -> Groupings {
    type CellKey = (usize, i32, Option<u32>, Option<usize>);
    /// A cell's groups: (beneficiary, year), (…, project), company year.
    type CellGroups = (u32, Option<u32>, Option<u32>);
    fn id<K: Copy + Eq + std::hash::Hash>(
        ids: &mut FxHashMap<K, u32>,
        keys: &mut Vec<K>,
        k: K,
    ) -> u32 {
        let n = u32::try_from(keys.len()).unwrap_or(u32::MAX);
        *ids.entry(k).or_insert_with(|| {
            keys.push(k);
            n
        })
    }
    let mut cell_ids: FxHashMap<CellKey, u32> = FxHashMap::default();
    let mut cells: Vec<CellKey> = Vec::new();
    let mut cell_of: Vec<u32> = Vec::with_capacity(counted.len());
    let mut dates: Option<(NaiveDate, NaiveDate)> = None;
    for c in counted {
        let key = (c.b, c.year, c.project, c.fact.map(|f| f.fy));
        cell_of.push(id(&mut cell_ids, &mut cells, key));
        dates = Some(dates.map_or((c.date, c.date), |(a, z)| (a.min(c.date), z.max(c.date))));
    }
    let dates = dates.unwrap_or_default();
    drop(cell_ids);
    let (mut ben_ids, mut ben_keys) = (FxHashMap::default(), Vec::new());
    let (mut project_ids, mut project_keys) = (FxHashMap::default(), Vec::new());
    let (mut fy_ids, mut fy_keys) = (FxHashMap::default(), Vec::new());
    let cell_groups: Vec<CellGroups> = cells
        .iter()
        .map(|&(b, year, project, fy)| {
            (
                id(&mut ben_ids, &mut ben_keys, (b, year)),
                project.map(|p| id(&mut project_ids, &mut project_keys, (b, year, p))),
                fy.map(|f| id(&mut fy_ids, &mut fy_keys, f)),
            )
        })
        .collect();
    let new_groups =
        |n: usize| -> Vec<Group> { std::iter::repeat_with(Group::default).take(n).collect() };
    let (mut bens, mut projects, mut fys) = (
        new_groups(ben_keys.len()),
        new_groups(project_keys.len()),
        new_groups(fy_keys.len()),
    );
    let mut sums: Vec<Sums> = std::iter::repeat_with(Sums::default)
        .take(cells.len())
        .collect();
    let (mut seen_b, mut seen_p, mut seen_f) = (
        Seen::new(inp, names, dates, ben_keys.len()),
        Seen::new(inp, names, dates, project_keys.len()),
        Seen::new(inp, names, dates, fy_keys.len()),
    );
    for (c, &cell) in counted.iter().zip(&cell_of) {
        let (Some(x), Some(&(gb, gp, gf))) =
            (sums.get_mut(cell as usize), cell_groups.get(cell as usize))
        else {
            continue;
        };
        x.add(c, c.fact.is_some_and(|f| f.retained));
        let person = c.person as usize;
        if let Some(g) = bens.get_mut(gb as usize) {
            if seen_b.people.first(gb, person) {
                g.people.push(c.person);
                g.cat[usize::from(!c.staff)].people += 1;
            }
            if let Some(f) = c.fact {
                if seen_b.companies.first(gb, f.company) {
                    g.companies.push(f.company);
                    // Lenders in order of their first entry (only staff has a company).
                    g.cat[0].lenders.push(f.company);
                }
            }
            if let Some(p) = c.project {
                if seen_b.projects.first(gb, p as usize) {
                    g.projects.push(p);
                }
            }
            match c.source {
                Source::Smic => {
                    if seen_b.days.first(gb, seen_b.day(c.date)) {
                        g.smic_dates.push(c.date);
                    }
                }
                Source::Rate(r) => {
                    if seen_b.rates.first(gb, r) {
                        g.rate_rows.push(r);
                    }
                }
                Source::DonorCost | Source::Missing => {}
            }
        }
        if let Some(g) = gp.and_then(|gp| projects.get_mut(gp as usize).map(|g| (gp, g))) {
            let (gp, g) = g;
            if seen_p.people.first(gp, person) {
                g.people.push(c.person);
            }
            if let Some(f) = c.fact {
                if seen_p.companies.first(gp, f.company) {
                    g.companies.push(f.company);
                }
            }
            if seen_p.weeks.first(gp, seen_p.week(c.date)) {
                g.weeks += 1;
            }
        }
        if let Some((gf, g)) = gf.and_then(|gf| fys.get_mut(gf as usize).map(|g| (gf, g))) {
            if seen_f.people.first(gf, person) {
                g.people.push(c.person);
            }
            if seen_f.bens.first(gf, c.b) {
                g.bens.push(c.b);
            }
            if c.project.is_some() && seen_f.pairs.first(gf, c.pair as usize) {
                g.project_keys += 1;
            }
        }
    }
    // Roll the cells' sums up into their groups.
    for (x, &(gb, gp, gf)) in sums.iter().zip(&cell_groups) {
        if let Some(g) = bens.get_mut(gb as usize) {
            g.absorb(x);
        }
        for g in [gp.map(|i| (&mut projects, i)), gf.map(|i| (&mut fys, i))]
            .into_iter()
            .flatten()
            .filter_map(|(v, i)| v.get_mut(i as usize))
        {
            g.absorb(x);
        }
    }
    for g in bens.iter_mut().chain(&mut projects).chain(&mut fys) {
        g.finish();
    }
    let mut by_ben: BTreeMap<(usize, i32), Group> = ben_keys.into_iter().zip(bens).collect();
    let by_project: FxHashMap<(usize, i32, u32), Group> =
        project_keys.into_iter().zip(projects).collect();
    // Rotation: distinct (project, person) pairs of a beneficiary's period.
    for (&(b, year, _), g) in &by_project {
        if let Some(x) = by_ben.get_mut(&(b, year)) {
            x.project_people += g.people.len();
        }
    }
    (by_ben, by_project, fy_keys.into_iter().zip(fys).collect())
}

/// The label of the market value.
const MARKET_LABEL: &str = "valeur au prix du marché (table rates : taux par jour ou par heure, selon l'activité), indicative : jamais additionnée à la valeur au coût de revient ni à la valeur comptable";

fn method_name(m: CvnMethod) -> &'static str {
    match m {
        CvnMethod::DonorCost => "donor_cost",
        CvnMethod::Smic => "smic",
        CvnMethod::SmicLoaded => "smic_loaded",
        CvnMethod::Rate => "rate",
    }
}

fn div(a: Decimal, b: Decimal) -> Decimal {
    a.checked_div(b).unwrap_or_default()
}

/// Monday of a date's ISO week.
fn monday(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// ISO weeks from the week of `a` to the week of `b`, inclusive.
fn weeks_between(a: NaiveDate, b: NaiveDate) -> usize {
    let n = (monday(b) - monday(a)).num_days() / 7 + 1;
    usize::try_from(n).unwrap_or(0)
}

/// Declared outputs, validated against the beneficiaries: (b, year, project, unit) → (Σ, rows).
type OutputSums<'a> = BTreeMap<(usize, i32, Option<&'a str>, usize), (Decimal, usize)>;

fn output_sums<'a>(inp: &'a AssocInput, rejected: &mut Vec<Rejection>) -> OutputSums<'a> {
    let s = inp.scenario;
    let mut out = OutputSums::new();
    for o in &s.outputs {
        let Some(&b) = inp.ben_idx.get(o.beneficiary.as_str()) else {
            rejected.push(Rejection {
                table: "outputs".into(),
                row: o.row,
                reason: format!("unknown beneficiary {:?}", o.beneficiary),
                cell: s.cell_of("outputs", o.row, "beneficiary"),
                key: Some("beneficiary".into()),
                value: Some(o.beneficiary.clone()),
            });
            continue;
        };
        // The unit was checked against the closed list when the scenario was read.
        let Some(u) = OUTPUT_UNITS.iter().position(|u| *u == o.unit) else {
            continue;
        };
        let slot = out
            .entry((b, o.date.year(), o.project.as_deref(), u))
            .or_default();
        slot.0 += o.quantity;
        slot.1 += 1;
    }
    out
}

/// Outputs by unit for one beneficiary and period (all projects, or one), over the units the
/// beneficiary declares at all: `None` where nothing was declared.
fn outputs_map(
    sums: &OutputSums,
    units_of: &BTreeMap<usize, BTreeSet<usize>>,
    b: usize,
    year: i32,
    project: Option<Option<&str>>,
) -> BTreeMap<String, Option<Qty>> {
    let mut m = BTreeMap::new();
    for &u in units_of.get(&b).into_iter().flatten() {
        let mut v: Option<Decimal> = None;
        for ((bb, y, p, uu), (q, _)) in sums.range((b, year, None, 0)..) {
            if *bb != b || *y != year {
                break;
            }
            if *uu == u && project.is_none_or(|want| want == *p) {
                v = Some(v.unwrap_or_default() + q);
            }
        }
        m.insert(OUTPUT_UNITS[u].to_string(), v.map(Qty));
    }
    m
}

/// Everything the association side adds to the report.
pub(crate) struct AssocOutput {
    pub(crate) beneficiaries: Vec<ImpactReport>,
    pub(crate) journal: Vec<JournalLine>,
    pub(crate) bench: Vec<BenchReport>,
    pub(crate) projects: Vec<ProjectImpact>,
    pub(crate) outputs: Vec<OutputTotal>,
    pub(crate) programme: Programme,
    pub(crate) annex: Vec<AnnexText>,
    pub(crate) goods_for_accountant: Vec<GoodsLine>,
}

/// The association side: impact (per beneficiary, project, period and for the programme),
/// valuation for the accounts, class-8 journal, annex, goods for the accountant, bench
/// economics. The reconciliation with the receipts is [`reconciliation`].
pub(crate) fn association(
    inp: &AssocInput,
    fy_reports: &[FiscalYearReport],
    gifts: &[GiftReport],
    rejected: &mut Vec<Rejection>,
    law: &mut Law,
) -> Result<AssocOutput, Error> {
    let s = inp.scenario;
    let fte_hours = match s.settings.fte_hours {
        Some(h) => h,
        None => law.req("fte_hours", inp.last_day)?,
    };
    let chart = chart_accounts(s.settings.chart.unwrap_or_default())?;
    let mut names = Interned::default();
    let t0 = inp.started;
    let counted = counted(inp, law, &mut names)?;
    phase!(t0, "association: entries counted");
    let has_rates = !s.rates.is_empty();

    // Groups: per (beneficiary, year), per (beneficiary, year, project), per company year.
    let (by_ben, by_project, by_fy) = groupings(inp, &names, &counted);
    phase!(t0, "association: groups");
    // Projects in beneficiary, period, then name order.
    let mut project_keys: Vec<(usize, i32, u32)> = by_project.keys().copied().collect();
    project_keys.sort_unstable_by_key(|&(b, y, p)| (b, y, names.projects[p as usize]));

    // Declared outputs.
    let out_sums = output_sums(inp, rejected);
    let mut units_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &(b, _, _, u) in out_sums.keys() {
        units_of.entry(b).or_default().insert(u);
    }
    let mut outputs = Vec::with_capacity(out_sums.len());
    for (&(b, year, project, u), &(q, n)) in &out_sums {
        outputs.push(OutputTotal {
            beneficiary: s.beneficiaries[b].id.clone(),
            period: year.to_string(),
            project: project.map(str::to_string),
            unit: OUTPUT_UNITS[u].to_string(),
            quantity: Qty(q),
            rows: n,
        });
    }

    // Impact per beneficiary and period.
    let mut beneficiaries = Vec::with_capacity(by_ben.len());
    for (&(b, year), g) in &by_ben {
        let ben = &s.beneficiaries[b];
        if g.cvn_missing {
            law.warnings.insert(format!(
                "{} {year}: some entries have no value for the accounts (method {}: no SMIC or rate for their date or activity); value_cvn is absent",
                ben.id,
                method_name(ben.cvn_method)
            ));
        }
        if g.market_missing && has_rates {
            law.warnings.insert(format!(
                "{} {year}: some entries match no market rate; value_market is absent",
                ben.id
            ));
        }
        let rotation = g.rotation();
        let value_market = g.value_market(has_rates);
        beneficiaries.push(ImpactReport {
            beneficiary: ben.id.clone(),
            period: year.to_string(),
            hours: Qty(g.hours),
            days: Qty(g.days),
            fte: Qty(div(g.hours, fte_hours)),
            volunteers: g.people.len(),
            companies: g.companies.len(),
            projects: g.projects.len(),
            value_donor_cost: Money(g.donor_cost),
            value_cvn: g.value_cvn(),
            value_market,
            cvn_method: ben.cvn_method,
            avg_days_per_volunteer: Qty(div(g.days, Decimal::from(g.people.len()))),
            rotation,
            value_market_label: value_market.map(|_| MARKET_LABEL.to_string()),
            outputs: outputs_map(&out_sums, &units_of, b, year, None),
        });
    }

    // Per project.
    let mut projects = Vec::with_capacity(by_project.len());
    for &(b, year, id) in &project_keys {
        let Some(g) = by_project.get(&(b, year, id)) else {
            continue;
        };
        let p = names.projects[id as usize];
        let (first, last) = (
            g.first.unwrap_or(NaiveDate::MIN),
            g.last.unwrap_or(NaiveDate::MIN),
        );
        let active = weeks_between(first, last);
        projects.push(ProjectImpact {
            beneficiary: s.beneficiaries[b].id.clone(),
            period: year.to_string(),
            project: p.to_string(),
            hours: Qty(g.hours),
            days: Qty(g.days),
            volunteers: g.people.len(),
            companies: g.companies.len(),
            rotation: Qty(Decimal::from(g.people.len())),
            value_donor_cost: Money(g.donor_cost),
            value_cvn: g.value_cvn(),
            value_market: g.value_market(has_rates),
            first_entry: first,
            last_entry: last,
            active_weeks: active,
            weeks_with_entries: g.weeks,
            continuity: Qty(div(Decimal::from(g.weeks), Decimal::from(active))),
            outputs: outputs_map(&out_sums, &units_of, b, year, Some(Some(p))),
        });
    }

    // Class-8 journal: per beneficiary and period with a value for every entry, one
    // balanced line per category with time.
    let mut journal = Vec::new();
    for (&(b, year), g) in &by_ben {
        if g.cvn_missing {
            continue;
        }
        let ben = &s.beneficiaries[b];
        for (k, (cat, acc)) in [
            ("staff_lent", &chart.staff_lent),
            ("volunteers", &chart.volunteers),
        ]
        .into_iter()
        .enumerate()
        {
            let c = &g.cat[k];
            if c.people == 0 {
                continue;
            }
            let label = if k == 0 {
                let names: Vec<&str> = c
                    .lenders
                    .iter()
                    .map(|&i| s.companies[i].name.as_str())
                    .collect();
                format!(
                    "Mécénat de compétences – {} – {}",
                    fr_days(c.days),
                    names.join(", ")
                )
            } else {
                format!("Bénévolat – {}", fr_days(c.days))
            };
            journal.push(JournalLine {
                beneficiary: ben.id.clone(),
                period: year.to_string(),
                category: cat.into(),
                debit_account: acc.debit.clone(),
                credit_account: acc.credit.clone(),
                amount: Money(c.value),
                label,
                debit_label: acc.debit_label.clone(),
                credit_label: acc.credit_label.clone(),
                date: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
            });
        }
    }

    phase!(t0, "association: impact, journal");
    let bench = bench(inp, fy_reports, rejected)?;
    phase!(t0, "association: bench");
    let programme = programme(inp, &beneficiaries, &by_ben, &by_fy, &bench, fte_hours);
    let annex = annex(inp, &by_ben, &chart, law);
    let goods_for_accountant = goods(inp, gifts, &chart);
    phase!(t0, "association: programme, annex, goods");
    Ok(AssocOutput {
        beneficiaries,
        journal,
        bench,
        projects,
        outputs,
        programme,
        annex,
        goods_for_accountant,
    })
}

/// The programme view: per company and fiscal year, and totals per calendar year that are
/// the sums of the `beneficiaries` rows.
fn programme(
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

/// French decimal text (`12,5`), at most four decimals.
fn fr(d: Decimal) -> String {
    crate::money::fmt_qty(d).replace('.', ",")
}

/// A number of days in French: singular below 2 (`1 jour`, `0,5 jour`, `2,5 jours`).
fn fr_days(d: Decimal) -> String {
    format!(
        "{} {}",
        fr(d),
        if d < Decimal::TWO { "jour" } else { "jours" }
    )
}

/// An amount in euros as French text: two decimals, a comma, thousands separated by a
/// space (`"1 234,50"`).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(mecenat::assoc::fr_amount(Decimal::new(123450, 2)), "1 234,50");
/// assert_eq!(mecenat::assoc::fr_amount(Decimal::new(-5, 1)), "-0,50");
/// ```
pub fn fr_amount(d: Decimal) -> String {
    let t = crate::money::fmt_money(d);
    let (sign, t) = t.strip_prefix('-').map_or(("", t.as_str()), |r| ("-", r));
    let (int, dec) = t.split_once('.').unwrap_or((t, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{dec}")
}

/// A date as French text (`31/12/2025`).
fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// The annex note per beneficiary and period.
fn annex(
    inp: &AssocInput,
    by_ben: &BTreeMap<(usize, i32), Group>,
    chart: &ChartAccounts,
    law: &Law,
) -> Vec<AnnexText> {
    let s = inp.scenario;
    let mut smic_refs: Vec<Reference> = law
        .references()
        .into_iter()
        .filter(|r| r.parameter == "smic_hourly")
        .collect();
    smic_refs.sort_by_key(|r| r.since);
    let mut out = Vec::with_capacity(by_ben.len());
    for (&(b, year), g) in by_ben {
        let ben = &s.beneficiaries[b];
        // Dated values used.
        let mut rates: Vec<AnnexRate> = Vec::new();
        let mut used_smic: BTreeSet<usize> = BTreeSet::new();
        for d in g.smic_dates.iter() {
            if let Some(k) = smic_refs.iter().rposition(|r| r.since <= *d) {
                used_smic.insert(k);
            }
        }
        for &k in &used_smic {
            let r = &smic_refs[k];
            rates.push(AnnexRate {
                what: "smic_hourly".into(),
                value: r.value.clone(),
                unit: "EUR/heure".into(),
                since: Some(r.since),
                source: r.source.clone(),
            });
        }
        for &k in g.rate_rows.iter() {
            let r = &s.rates[k];
            rates.push(AnnexRate {
                what: match &r.activity {
                    Some(a) => format!("{} ({a})", r.id),
                    None => r.id.clone(),
                },
                value: r.amount.normalize().to_string(),
                unit: match r.unit {
                    RateUnit::Day => "EUR/jour".into(),
                    RateUnit::Hour => "EUR/heure".into(),
                },
                since: r.from,
                source: format!("table rates, ligne {}", r.row),
            });
        }
        let smic_text = || -> String {
            used_smic
                .iter()
                .map(|&k| {
                    let r = &smic_refs[k];
                    let v = Decimal::from_str_exact(&r.value)
                        .map_or_else(|_| r.value.clone(), fr_amount);
                    format!(
                        "{v} € de l'heure à compter du {} ({})",
                        fr_date(r.since),
                        r.source
                    )
                })
                .collect::<Vec<_>>()
                .join(" ; ")
        };
        let [staff, vols] = &g.cat;
        // Nature.
        let mut nature = Vec::new();
        if staff.people > 0 {
            let names: Vec<&str> = staff
                .lenders
                .iter()
                .map(|&i| s.companies[i].name.as_str())
                .collect();
            nature.push(format!(
                "mise à disposition de personnel par {} (mécénat de compétences, distinct du bénévolat) : {} ({} heures) donnés par {} de {}",
                if names.len() > 1 { "des entreprises" } else { "une entreprise" },
                fr_days(staff.days),
                fr(staff.hours),
                plural(staff.people, "salarié", "salariés"),
                names.join(", ")
            ));
        }
        if vols.people > 0 {
            nature.push(format!(
                "bénévolat : {} ({} heures) donnés par {}",
                fr_days(vols.days),
                fr(vols.hours),
                plural(vols.people, "bénévole", "bénévoles")
            ));
        }
        // Valuation.
        let smic_part = if used_smic.is_empty() {
            String::new()
        } else {
            format!(" : {}", smic_text())
        };
        let valuation = match ben.cvn_method {
            CvnMethod::DonorCost => {
                let mut t = "au coût de revient pour l'entreprise qui met le personnel à disposition (salaire brut et charges patronales au prorata du temps donné, dans la limite du plafond de l'article 238 bis du CGI), la valeur même des reçus fiscaux".to_string();
                if vols.people > 0 {
                    t.push_str(&format!(
                        " ; le bénévolat, au SMIC horaire brut en vigueur à la date de chaque journée{smic_part}"
                    ));
                }
                t
            }
            CvnMethod::Smic => {
                format!("au SMIC horaire brut en vigueur à la date de chaque journée{smic_part}")
            }
            CvnMethod::SmicLoaded => {
                let k = ben
                    .cvn_factor
                    .as_deref()
                    .and_then(|k| Decimal::from_str_exact(k.trim()).ok())
                    .unwrap_or_default();
                format!(
                    "au SMIC horaire brut en vigueur à la date de chaque journée, majoré de {} % pour les charges (coefficient {}){smic_part}",
                    fr(k * Decimal::ONE_HUNDRED),
                    fr(Decimal::ONE + k)
                )
            }
            CvnMethod::Rate => {
                let list: Vec<String> = g
                    .rate_rows
                    .iter()
                    .map(|&k| {
                        let r = &s.rates[k];
                        format!(
                            "{} € {}{}{}",
                            fr_amount(r.amount),
                            match r.unit {
                                RateUnit::Day => "par jour",
                                RateUnit::Hour => "par heure",
                            },
                            r.activity
                                .as_deref()
                                .map_or_else(String::new, |a| format!(" pour l'activité « {a} »")),
                            r.from.map_or_else(String::new, |d| format!(
                                " à compter du {}",
                                fr_date(d)
                            ))
                        )
                    })
                    .collect();
                format!(
                    "au coût de remplacement d'un emploi équivalent, selon les taux datés « {} » de la table des taux{}",
                    ben.cvn_factor.as_deref().unwrap_or_default(),
                    if list.is_empty() {
                        String::new()
                    } else {
                        format!(" : {}", list.join(" ; "))
                    }
                )
            }
        };
        // Amounts.
        let amounts = if g.cvn_missing {
            "valeur non déterminable pour une partie du temps (aucun SMIC ou taux à sa date ou pour son activité) : ces contributions sont décrites ici sans être comptabilisées".to_string()
        } else {
            let mut parts = Vec::new();
            for (k, acc) in [&chart.staff_lent, &chart.volunteers]
                .into_iter()
                .enumerate()
            {
                if g.cat[k].people > 0 {
                    parts.push(format!(
                        "{} {} / {} {} : {} €",
                        acc.debit,
                        acc.debit_label,
                        acc.credit,
                        acc.credit_label,
                        fr_amount(g.cat[k].value)
                    ));
                }
            }
            format!("{} ; total {} €", parts.join(" ; "), fr_amount(g.cvn))
        };
        let text = format!(
            "Contributions volontaires en nature reçues par {} en {year}.\n\
             Nature : {}.\n\
             Méthode de comptage : temps saisi par personne et par date, en jours ou en heures ; jours et heures convertis avec les heures par jour de chaque salarié ({} heures par défaut et pour les bénévoles) ; seul le temps effectivement donné et accepté par l'association est compté.\n\
             Méthode de valorisation : {}.\n\
             Montants ({}) : {}.\n\
             Ces contributions sont enregistrées en classe 8 (comptes 86 et 87), sans effet sur le résultat. Les dons en nature de biens et de services sont listés à part pour le comptable.",
            ben.name,
            nature.join(" ; "),
            fr(inp.default_hpd),
            valuation,
            chart.label,
            amounts
        );
        out.push(AnnexText {
            beneficiary: ben.id.clone(),
            period: year.to_string(),
            cvn_method: ben.cvn_method,
            rates,
            text,
        });
    }
    out
}

/// For every company, fiscal year and beneficiary with retained gifts or a receipt: the
/// receipt's amounts against the company's retained staff time and gifts, both taken from
/// the report's rows (entries and gifts), not from the receipts' own sums.
pub(crate) fn reconciliation(
    inp: &AssocInput,
    receipts: &[Receipt],
    gifts: &[GiftReport],
) -> Vec<ReconciliationLine> {
    let s = inp.scenario;
    // (company, fiscal year label) → (company index, position among its fiscal years).
    let mut fy_pos: HashMap<(&str, &str), (usize, usize, usize)> = HashMap::new();
    for (c, fys) in inp.fys_of.iter().enumerate() {
        for (k, &fyi) in fys.iter().enumerate() {
            let fy = &s.fiscal_years[fyi];
            fy_pos.insert((s.companies[c].id.as_str(), fy.label.as_str()), (c, k, fyi));
        }
    }
    #[derive(Default)]
    struct Side {
        staff: Decimal,
        in_kind: Decimal,
        cash: Decimal,
        receipt: Option<(Decimal, Decimal)>,
    }
    let mut sides: BTreeMap<(usize, usize, usize), Side> = BTreeMap::new();
    // Position of each fiscal year (index) among its company's.
    let mut pos_of_fy = vec![0usize; s.fiscal_years.len()];
    for fys in inp.fys_of {
        for (k, &fyi) in fys.iter().enumerate() {
            pos_of_fy[fyi] = k;
        }
    }
    // Staff time per (company, fiscal year, beneficiary), summed in a map and then merged.
    let mut staff: FxHashMap<(usize, usize, usize), Decimal> = FxHashMap::default();
    for f in inp.valued.iter().flatten().filter(|f| f.retained) {
        let k = pos_of_fy.get(f.fy).copied().unwrap_or_default();
        *staff.entry((f.company, k, f.ben)).or_default() += f.value;
    }
    for (key, v) in staff {
        sides.entry(key).or_default().staff += v;
    }
    for (g, d) in gifts.iter().zip(&s.donations) {
        let (Status::Retained, Some(label)) = (g.status, &g.fiscal_year) else {
            continue;
        };
        let (Some(&(c, k, _)), Some(&b)) = (
            fy_pos.get(&(g.company.as_str(), label.as_str())),
            inp.ben_idx.get(g.beneficiary.as_str()),
        ) else {
            continue;
        };
        let side = sides.entry((c, k, b)).or_default();
        match d.kind {
            DonationKind::Cash => side.cash += d.amount,
            DonationKind::InKind => side.in_kind += d.amount,
        }
    }
    for r in receipts {
        let (Some(&(c, k, _)), Some(&b)) = (
            fy_pos.get(&(r.company.as_str(), r.fiscal_year.as_str())),
            inp.ben_idx.get(r.beneficiary.as_str()),
        ) else {
            continue;
        };
        sides.entry((c, k, b)).or_default().receipt = Some((r.in_kind.0, r.cash.0));
    }
    sides
        .into_iter()
        .map(|((c, k, b), side)| {
            let company_in_kind = side.staff + side.in_kind;
            let fyi = inp.fys_of[c][k];
            ReconciliationLine {
                company: s.companies[c].id.clone(),
                fiscal_year: s.fiscal_years[fyi].label.clone(),
                beneficiary: s.beneficiaries[b].id.clone(),
                staff_time: Money(side.staff),
                in_kind_gifts: Money(side.in_kind),
                company_in_kind: Money(company_in_kind),
                company_cash: Money(side.cash),
                receipt_in_kind: side.receipt.map(|r| Money(r.0)),
                receipt_cash: side.receipt.map(|r| Money(r.1)),
                difference: side.receipt.map(|r| Money(r.0 - company_in_kind)),
                ok: side
                    .receipt
                    .is_some_and(|r| r.0 == company_in_kind && r.1 == side.cash),
            }
        })
        .collect()
}

/// In-kind goods and services received (retained or excluded), per beneficiary (table
/// order), calendar year and row, with the accounts an accountant would use.
fn goods(inp: &AssocInput, gifts: &[GiftReport], chart: &ChartAccounts) -> Vec<GoodsLine> {
    let s = inp.scenario;
    let accounts = format!(
        "non journalisé : {} {} / {} {} pour un bien redistribué ou consommé en l'état ; {} {} / {} {} pour un service ; classe 2 (immobilisation) pour un bien conservé ({})",
        chart.goods.debit,
        chart.goods.debit_label,
        chart.goods.credit,
        chart.goods.credit_label,
        chart.services.debit,
        chart.services.debit_label,
        chart.services.credit,
        chart.services.credit_label,
        chart.label
    );
    let mut out: Vec<(usize, i32, usize, GoodsLine)> = Vec::new();
    for (g, d) in gifts.iter().zip(&s.donations) {
        if d.kind != DonationKind::InKind || g.status == Status::Rejected {
            continue;
        }
        let Some(&b) = inp.ben_idx.get(g.beneficiary.as_str()) else {
            continue;
        };
        out.push((
            b,
            d.date.year(),
            d.row,
            GoodsLine {
                beneficiary: g.beneficiary.clone(),
                period: d.date.year().to_string(),
                company: g.company.clone(),
                row: d.row,
                date: d.date,
                description: d.description.clone().unwrap_or_default(),
                amount: Money(d.amount),
                status: g.status,
                accounts: accounts.clone(),
            },
        ));
    }
    out.sort_by_key(|x| (x.0, x.1, x.2));
    out.into_iter().map(|x| x.3).collect()
}

/// Columns of the FEC-like journal export ([`journal_fec`]), in order: the 18 columns of
/// the French *fichier des écritures comptables* (BOI-CF-IOR-60-40-20), so that an
/// accounting package's FEC import reads it.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// The class-8 journal as a FEC-like text file an accounting package can import.
///
/// Semicolon-separated, UTF-8, one header line ([`FEC_COLUMNS`]) then two lines per
/// journal line (the debit on the 86 account, then the credit on the 87 account), `\r\n`
/// line ends. `JournalCode` is `CVN`; `EcritureNum` is `beneficiary-period-n` (one entry per
/// category, numbered from 1 within the beneficiary's period); `EcritureDate` and
/// `PieceDate` are the period's last day as `YYYYMMDD`; `PieceRef` is `CVN-beneficiary-period`;
/// `EcritureLib` is the journal line's label; `Debit` and `Credit` are French decimals with
/// a comma and two decimals, no thousands separator (`1234,50`; `0,00` on the other side);
/// the auxiliary-account, lettering, validation and currency columns are empty. With
/// `beneficiary`, only that beneficiary's lines are written (an association's own books);
/// otherwise every beneficiary's, told apart by `EcritureNum` and `PieceRef`.
///
/// Text fields are quoted as in RFC 4180 with `;` as the separator: a field containing `;`,
/// `"`, CR or LF is wrapped in double quotes, its inner quotes doubled. A text field that
/// starts with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so that a spreadsheet
/// opening the file never takes it for a formula. Amounts and dates are never altered.
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
/// let csv = mecenat::assoc::journal_fec(&r, None);
/// let lines: Vec<&str> = csv.lines().collect();
/// assert_eq!(lines.len(), 3);
/// assert!(lines[1].contains(";8642;") && lines[1].contains(";319,27;0,00;"));
/// assert!(lines[2].contains(";8711;") && lines[2].contains(";0,00;319,27;"));
/// ```
pub fn journal_fec(report: &Report, beneficiary: Option<&str>) -> String {
    let amount = |d: Decimal| crate::money::fmt_money(d).replace('.', ",");
    let zero = amount(Decimal::ZERO);
    let mut out = FEC_COLUMNS.join(";");
    out.push_str("\r\n");
    let mut n = 0;
    let mut last: Option<(&str, &str)> = None;
    for l in &report.journal {
        if beneficiary.is_some_and(|b| b != l.beneficiary) {
            continue;
        }
        let key = (l.beneficiary.as_str(), l.period.as_str());
        n = if last == Some(key) { n + 1 } else { 1 };
        last = Some(key);
        let date = l.date.format("%Y%m%d").to_string();
        let num = fec_text(&format!("{}-{}-{n}", l.beneficiary, l.period));
        let piece = fec_text(&format!("CVN-{}-{}", l.beneficiary, l.period));
        for (account, label, debit, credit) in [
            (
                &l.debit_account,
                &l.debit_label,
                amount(l.amount.0),
                zero.clone(),
            ),
            (
                &l.credit_account,
                &l.credit_label,
                zero.clone(),
                amount(l.amount.0),
            ),
        ] {
            let fields = [
                "CVN".to_string(),
                "Contributions volontaires en nature".to_string(),
                num.clone(),
                date.clone(),
                fec_text(account),
                fec_text(label),
                String::new(),
                String::new(),
                piece.clone(),
                date.clone(),
                fec_text(&l.label),
                debit,
                credit,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
            out.push_str(&fields.join(";"));
            out.push_str("\r\n");
        }
    }
    out
}

/// One text field of the journal export ([`journal_fec`]): `'` before a leading `=`, `+`,
/// `-`, `@`, tab or CR (never a formula in a spreadsheet), then RFC 4180 quoting with `;`
/// as the separator (wrapped in `"` with inner quotes doubled when it contains `;`, `"`,
/// CR or LF). Any other text is returned as it is.
fn fec_text(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([';', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn weekdays(a: NaiveDate, b: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    a.iter_days()
        .take_while(move |d| *d <= b)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

/// Uncapped daily cost of a pay row.
fn daily_cost(p: &PayRow, default_hpd: Decimal) -> Decimal {
    match p.basis {
        Basis::Days(a) => p.annual_cost() / a,
        Basis::Hours(a) => p.annual_cost() * p.hours_per_day_or(default_hpd) / a,
    }
}

/// Each employee's bench periods, merged: overlapping, adjacent or repeated periods become
/// one (each day once), sorted by start. Periods of an unknown employee are rejected.
fn merged_bench<'s>(
    inp: &AssocInput<'s>,
    rejected: &mut Vec<Rejection>,
) -> HashMap<&'s str, Vec<(NaiveDate, NaiveDate)>> {
    let s = inp.scenario;
    let mut periods: HashMap<&str, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for bp in &s.bench {
        if !inp.pay_of.contains_key(bp.employee.as_str()) {
            rejected.push(Rejection {
                table: "bench".into(),
                row: bp.row,
                reason: format!("unknown employee {:?}", bp.employee),
                cell: s.cell_of("bench", bp.row, "employee"),
                key: Some("employee".into()),
                value: Some(bp.employee.clone()),
            });
            continue;
        }
        periods
            .entry(bp.employee.as_str())
            .or_default()
            .push((bp.start, bp.end));
    }
    for list in periods.values_mut() {
        list.sort_unstable();
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(list.len());
        for &(a, b) in list.iter() {
            match merged.last_mut() {
                Some(last) if a <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *list = merged;
    }
    periods
}

/// Bench economics per company and fiscal year (rules-company.md §7, report-format.md):
/// bench days (weekdays of the merged periods, each once, in the fiscal year of the company
/// of the pay row in force that day) and their cost (Σ of each day's rounded uncapped daily
/// cost); donated days and value (retained entries inside the periods); the reduction
/// attributable; the net cost (Σ of the donated entries' uncapped values − that reduction).
pub(crate) fn bench(
    inp: &AssocInput,
    fy_reports: &[FiscalYearReport],
    rejected: &mut Vec<Rejection>,
) -> Result<Vec<BenchReport>, Error> {
    let s = inp.scenario;
    if s.bench.is_empty() {
        return Ok(Vec::new());
    }
    let periods = merged_bench(inp, rejected);
    let company_idx: HashMap<&str, usize> = s
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let fy_of = |c: usize, d: NaiveDate| -> Option<usize> {
        let v = &inp.fys_of[c];
        let k = v.partition_point(|&i| s.fiscal_years[i].start <= d);
        (k > 0 && s.fiscal_years[v[k - 1]].end >= d).then(|| v[k - 1])
    };
    // Per fiscal year: bench days and their cost.
    let mut days: HashMap<usize, (Decimal, Decimal)> = HashMap::new();
    for (emp, list) in &periods {
        let rows = &inp.pay_of[emp];
        for &(a, b) in list {
            for d in weekdays(a, b) {
                let k = rows.partition_point(|&i| s.employees[i].from.is_none_or(|f| f <= d));
                let Some(p) = k.checked_sub(1).map(|k| &s.employees[rows[k]]) else {
                    continue;
                };
                let Some(fyi) = company_idx
                    .get(p.company.as_str())
                    .and_then(|&c| fy_of(c, d))
                else {
                    continue;
                };
                let slot = days.entry(fyi).or_default();
                slot.0 += Decimal::ONE;
                slot.1 += round_cent(daily_cost(p, inp.default_hpd));
            }
        }
    }
    // Donated days inside bench periods: (days, retained value, uncapped value).
    let mut donated: HashMap<usize, (Decimal, Decimal, Decimal)> = HashMap::new();
    for ((te, e), fact) in s.time_entries.iter().zip(inp.entries).zip(inp.valued) {
        let (Some(f), Status::Retained, Giver::Employee(id)) = (fact, e.status, &te.giver) else {
            continue;
        };
        let Some(list) = periods.get(&**id) else {
            continue;
        };
        let k = list.partition_point(|p| p.0 <= te.date);
        if k == 0 || list[k - 1].1 < te.date {
            continue;
        }
        let pay = &s.employees[f.pay];
        let slot = donated.entry(f.fy).or_default();
        slot.0 += f.days;
        slot.1 += f.value;
        slot.2 += crate::compute::entry_value(
            pay,
            te.quantity,
            pay.annual_cost(),
            pay.hours_per_day_or(inp.default_hpd),
        );
    }
    let mut out = Vec::new();
    for (c, fys) in inp.fys_of.iter().enumerate() {
        for &fyi in fys {
            let (bd, bc) = days.get(&fyi).copied().unwrap_or_default();
            let (dd, dv, uncapped) = donated.get(&fyi).copied().unwrap_or_default();
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
                net_cost: Money(uncapped - attributable),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: &str) -> Report {
        let s = Scenario::from_json(json).unwrap();
        crate::compute(&s, &crate::Options::default()).unwrap()
    }

    #[test]
    fn annex_states_nature_counting_and_dated_smic_values() {
        let r = report(
            r#"{
          "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
          "fiscal_years": [{"company": "C1", "start": "2024-01-01", "end": "2024-12-31", "turnover": "2000000"}],
          "beneficiaries": [{"id": "A1", "name": "Association Exemple", "cvn_method": "smic_loaded", "cvn_factor": "0.5"}],
          "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                         "annual_employer_charges": "21600", "annual_working_days": "218"}],
          "time_entries": [
            {"employee": "E1", "beneficiary": "A1", "date": "2024-10-31", "days": "1"},
            {"volunteer": "Lou", "beneficiary": "A1", "date": "2024-11-04", "hours": "2"}
          ]
        }"#,
        );
        let t = &r.annex[0].text;
        for want in [
            "Association Exemple en 2024",
            "mise à disposition de personnel par une entreprise",
            "1 jour (7 heures) donnés par 1 salarié de Exemple Conseil SAS",
            "bénévolat : 0,2857 jour (2 heures) donnés par 1 bénévole",
            "7 heures par défaut",
            "majoré de 50 % pour les charges (coefficient 1,5)",
            "11,65 € de l'heure à compter du 01/01/2024",
            "11,88 € de l'heure à compter du 01/11/2024",
            "8642 Personnel mis à disposition / 8711 Mécénat de compétences : 122,33 €",
            "8641 Personnel bénévole / 875 Bénévolat : 35,64 €",
            "total 157,97 €",
        ] {
            assert!(t.contains(want), "{want:?} not in {t}");
        }
    }

    #[test]
    fn a_missing_value_is_warned_and_not_journalled() {
        let r = report(
            r#"{
          "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
          "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
          "beneficiaries": [{"id": "A1", "name": "Association", "cvn_method": "rate", "cvn_factor": "R9"}],
          "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                         "annual_employer_charges": "21600", "annual_working_days": "218"}],
          "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}],
          "rates": [{"id": "R1", "unit": "day", "amount": "400"}]
        }"#,
        );
        assert_eq!(r.beneficiaries[0].value_cvn, None);
        assert!(r.journal.is_empty());
        assert!(r
            .warnings
            .iter()
            .any(|w| w.contains("A1 2025") && w.contains("method rate")));
        assert!(r.annex[0].text.contains("valeur non déterminable"));
    }

    #[test]
    fn weeks_are_counted_across_iso_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(weeks_between(d("2025-12-15"), d("2025-12-30")), 3);
        assert_eq!(weeks_between(d("2025-01-06"), d("2025-01-12")), 1);
        assert_eq!(weeks_between(d("2024-12-30"), d("2025-01-05")), 1);
        assert_eq!(fr_amount(Decimal::new(100_000_000, 2)), "1 000 000,00");
    }
}

#[cfg(test)]
mod fec_text_tests {
    use super::fec_text;

    #[test]
    fn tabs_line_breaks_and_plain_text() {
        assert_eq!(fec_text("\tx"), "'\tx");
        assert_eq!(fec_text("\rx"), "\"'\rx\"");
        assert_eq!(fec_text("a\r\nb"), "\"a\r\nb\"");
        assert_eq!(fec_text("a-b @ c = d"), "a-b @ c = d");
        assert_eq!(fec_text(""), "");
    }
}
