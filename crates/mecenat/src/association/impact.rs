//! The impact groupings in one pass over the counted entries (rules-association §4): per
//! beneficiary and year, per project, per company year, with distinct counts found by bit
//! marks; and the declared outputs.

use super::*;

impl<T> Default for Distinct<T> {
    fn default() -> Self {
        Distinct(Vec::new())
    }
}

impl<T: Ord + Copy> Distinct<T> {
    pub(super) fn push(&mut self, x: T) {
        self.0.push(x);
    }

    pub(super) fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }

    /// Distinct count.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl Marks {
    /// Bits of a matrix beyond which pairs are hashed instead (8 MiB).
    const MAX_BITS: usize = 1 << 26;

    pub(super) fn new(groups: usize, values: usize) -> Self {
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
    pub(super) fn first(&mut self, g: u32, v: usize) -> bool {
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

impl Seen {
    /// Marks for `groups` groups of entries dated from `first` to `last`.
    pub(super) fn new(
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

    pub(super) fn week(&self, d: NaiveDate) -> usize {
        usize::try_from((monday(d).num_days_from_ce() - self.first_monday) / 7).unwrap_or_default()
    }

    pub(super) fn day(&self, d: NaiveDate) -> usize {
        usize::try_from(d.num_days_from_ce() - self.first_day).unwrap_or_default()
    }
}

impl Sums {
    pub(super) fn add(&mut self, c: &Counted, retained: bool) {
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
    pub(super) fn absorb(&mut self, x: &Sums) {
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
    pub(super) fn finish(&mut self) {
        self.people.finish();
        self.companies.finish();
        self.projects.finish();
        self.smic_dates.finish();
        self.rate_rows.finish();
        self.bens.finish();
    }

    /// Volunteers per project: Σ distinct people of each project / projects.
    pub(super) fn rotation(&self) -> Option<Qty> {
        (!self.projects.is_empty()).then(|| {
            Qty(div(
                Decimal::from(self.project_people),
                Decimal::from(self.projects.len()),
            ))
        })
    }

    pub(super) fn value_cvn(&self) -> Option<Money> {
        (!self.cvn_missing).then_some(Money(self.cvn))
    }

    pub(super) fn value_market(&self, has_rates: bool) -> Option<Money> {
        (has_rates && !self.market_missing).then_some(Money(self.market))
    }
}

/// Builds the three [`Groupings`] in two passes over the counted entries: the first finds each
/// entry's cell (beneficiary, year, project, company year) and the groups; the second adds
/// each entry's sums to its cell (rolled up into the groups at the end) and marks its
/// distinct values (people, companies, projects, weeks…) in each grouping.
pub(super) fn groupings(inp: &AssocInput, names: &Interned, counted: &[Counted]) -> Groupings {
    type CellKey = (usize, i32, Option<u32>, Option<usize>);
    /// A cell's groups: (beneficiary, year), (…, project), company year.
    type CellGroups = (u32, Option<u32>, Option<u32>);
    pub(super) fn id<K: Copy + Eq + std::hash::Hash>(
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

pub(super) fn output_sums<'a>(
    inp: &'a AssocInput,
    rejected: &mut Vec<Rejection>,
) -> OutputSums<'a> {
    let s = inp.scenario;
    let mut out = OutputSums::new();
    for o in &s.outputs {
        let Some(&b) = inp.ben_idx.get(o.beneficiary.as_str()) else {
            rejected.push(Rejection {
                table: "outputs".into(),
                row: o.row,
                reason: format!("unknown beneficiary {:?}", o.beneficiary),
                kind: crate::input::scenario::RejectionKind::UnknownBeneficiary,
                cell: s.cell_of("outputs", o.row, "beneficiary"),
                key: Some("beneficiary".into()),
                value: Some(o.beneficiary.clone()),
            });
            continue;
        };
        let u = o.unit.index();
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
pub(super) fn outputs_map(
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
        m.insert(OutputUnit::ALL[u].code().to_string(), v.map(Qty));
    }
    m
}

/// What the impact rows read besides their groups.
pub(super) struct Rows<'a> {
    pub(super) s: &'a Scenario,
    pub(super) out_sums: &'a OutputSums<'a>,
    pub(super) units_of: &'a BTreeMap<usize, BTreeSet<usize>>,
    pub(super) fte_hours: Decimal,
    pub(super) has_rates: bool,
}

/// Impact per beneficiary and period (warning where a value is missing).
pub(super) fn beneficiary_rows(
    ctx: &Rows,
    by_ben: &BTreeMap<(usize, i32), Group>,
    law: &mut Law,
) -> Vec<ImpactReport> {
    let (s, fte_hours, has_rates) = (ctx.s, ctx.fte_hours, ctx.has_rates);
    let (out_sums, units_of) = (ctx.out_sums, ctx.units_of);
    let mut beneficiaries = Vec::with_capacity(by_ben.len());
    for (&(b, year), g) in by_ben {
        let ben = &s.beneficiaries[b];
        if g.cvn_missing {
            law.warn(format!(
            "{} {year}: some entries have no value for the accounts (method {}: no SMIC or rate for their date or activity); value_cvn is absent",
            ben.id,
            method_name(ben.cvn_method)
        ));
        }
        if g.market_missing && has_rates {
            law.warn(format!(
                "{} {year}: some entries match no market rate; value_market is absent",
                ben.id
            ));
        }
        let rotation = g.rotation();
        let value_market = g.value_market(has_rates);
        beneficiaries.push(ImpactReport {
            beneficiary: ben.id.clone(),
            beneficiary_name: ben.name.clone(),
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
            outputs: outputs_map(out_sums, units_of, b, year, None),
        });
    }
    beneficiaries
}

/// Impact per project, in beneficiary, period, then name order.
pub(super) fn project_rows(
    ctx: &Rows,
    by_project: &FxHashMap<(usize, i32, u32), Group>,
    project_keys: &[(usize, i32, u32)],
    names: &Interned,
) -> Vec<ProjectImpact> {
    let (s, has_rates) = (ctx.s, ctx.has_rates);
    let (out_sums, units_of) = (ctx.out_sums, ctx.units_of);
    let mut projects = Vec::with_capacity(by_project.len());
    for &(b, year, id) in project_keys {
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
            outputs: outputs_map(out_sums, units_of, b, year, Some(Some(p))),
        });
    }
    projects
}
