//! The resolved world: the scenario's string ids turned into indexes once (companies,
//! beneficiaries, each company's fiscal years in order, each employee's pay rows in order),
//! with the rejections of rows whose company is unknown. Every later stage looks things up
//! here instead of hashing ids again.

use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::input::scenario::{Rejection, RejectionKind, Scenario};

/// A rejection of `table`'s `row`, located at `key` (and its Excel cell, when the row came
/// from a workbook).
pub(crate) fn rejection(
    s: &Scenario,
    kind: RejectionKind,
    (table, row): (&str, usize),
    key: &str,
    value: impl ToString,
    reason: String,
) -> Rejection {
    Rejection {
        table: table.to_string(),
        row,
        reason,
        kind,
        cell: s.cell_of(table, row, key),
        key: Some(key.to_string()),
        value: Some(value.to_string()),
    }
}

/// The scenario's ids as indexes.
pub(crate) struct World<'s> {
    pub(crate) scenario: &'s Scenario,
    pub(crate) company_idx: FxHashMap<&'s str, usize>,
    pub(crate) ben_idx: FxHashMap<&'s str, usize>,
    /// Per company (index), its fiscal years (indexes) by start date.
    pub(crate) fys_of: Vec<Vec<usize>>,
    /// Per employee id, its pay rows (indexes) by `from`.
    pub(crate) pay_of: FxHashMap<&'s str, Vec<usize>>,
    /// Per pay row, its company (index), when known.
    pub(crate) company_of_pay: Vec<Option<usize>>,
}

impl<'s> World<'s> {
    /// Resolves the ids; fiscal years and pay rows of an unknown company are rejected.
    pub(crate) fn new(s: &'s Scenario) -> (World<'s>, Vec<Rejection>) {
        let mut rejected = Vec::new();
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
                None => rejected.push(unknown_company(s, "fiscal_years", fy.row, &fy.company)),
            }
        }
        for v in &mut fys_of {
            v.sort_by_key(|&i| s.fiscal_years[i].start);
        }
        let mut pay_of: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut company_of_pay = Vec::with_capacity(s.employees.len());
        for (i, p) in s.employees.iter().enumerate() {
            let c = company_idx.get(p.company.as_str()).copied();
            company_of_pay.push(c);
            if c.is_some() {
                pay_of.entry(p.id.as_str()).or_default().push(i);
            } else {
                rejected.push(unknown_company(s, "employees", p.row, &p.company));
            }
        }
        for v in pay_of.values_mut() {
            v.sort_by_key(|&i| s.employees[i].from);
        }
        let world = World {
            scenario: s,
            company_idx,
            ben_idx,
            fys_of,
            pay_of,
            company_of_pay,
        };
        (world, rejected)
    }

    /// The fiscal year (index) of company `c` that contains `d`.
    pub(crate) fn fy_of(&self, c: usize, d: NaiveDate) -> Option<usize> {
        let fys = &self.scenario.fiscal_years;
        let v = &self.fys_of[c];
        let k = v.partition_point(|&i| fys[i].start <= d);
        (k > 0 && fys[v[k - 1]].end >= d).then(|| v[k - 1])
    }

    /// The pay row (index) in force on `d` among an employee's `rows`, or `None` before the
    /// first one.
    pub(crate) fn pay_at(&self, rows: &[usize], d: NaiveDate) -> Option<usize> {
        let pay = &self.scenario.employees;
        let k = rows.partition_point(|&i| pay[i].from.is_none_or(|f| f <= d));
        k.checked_sub(1).map(|k| rows[k])
    }

    /// The last closing date of the scenario (the date of the defaults' look-ups), or the
    /// latest date when there is no fiscal year.
    pub(crate) fn last_day(&self) -> NaiveDate {
        self.scenario
            .fiscal_years
            .iter()
            .map(|f| f.end)
            .max()
            .unwrap_or(NaiveDate::MAX)
    }

    /// A gift or counterpart row's beneficiary and fiscal year (indexes), or its rejection.
    pub(crate) fn gift(
        &self,
        table: &str,
        row: usize,
        company: &str,
        beneficiary: &str,
        date: NaiveDate,
    ) -> Result<(usize, usize), Rejection> {
        let s = self.scenario;
        let &c = self
            .company_idx
            .get(company)
            .ok_or_else(|| unknown_company(s, table, row, company))?;
        let &b = self.ben_idx.get(beneficiary).ok_or_else(|| {
            rejection(
                s,
                RejectionKind::UnknownBeneficiary,
                (table, row),
                "beneficiary",
                beneficiary,
                format!("unknown beneficiary {beneficiary:?}"),
            )
        })?;
        let fy = self.fy_of(c, date).ok_or_else(|| {
            rejection(
                s,
                RejectionKind::OutsideFiscalYears,
                (table, row),
                "date",
                date,
                format!("date {date} is outside every fiscal year of company {company:?}"),
            )
        })?;
        Ok((b, fy))
    }
}

fn unknown_company(s: &Scenario, table: &str, row: usize, company: &str) -> Rejection {
    rejection(
        s,
        RejectionKind::UnknownCompany,
        (table, row),
        "company",
        company,
        format!("unknown company {company:?}"),
    )
}

/// Look-ups keyed by a shared text, by the address of its copy first.
///
/// The texts of a million rows are a few thousand shared copies ([`Arc<str>`]): hashing the
/// copy's address (one multiplication) and comparing it as an integer replaces hashing and
/// comparing the text. A copy not seen yet is looked up by its text once (`by_text`), so two
/// copies of one text get the same answer. The addresses stay valid while the texts are
/// borrowed: none can be freed and reused meanwhile.
pub(crate) struct ByCopy<V> {
    seen: FxHashMap<usize, V>,
}

impl<V: Clone> ByCopy<V> {
    pub(crate) fn new() -> Self {
        ByCopy {
            seen: FxHashMap::default(),
        }
    }

    /// The answer for `text`, computed by `by_text` the first time its copy is seen.
    #[inline]
    pub(crate) fn get(&mut self, text: &Arc<str>, by_text: impl FnOnce(&str) -> V) -> V {
        self.seen
            .entry(address(text))
            .or_insert_with(|| by_text(text))
            .clone()
    }
}

/// Dense numbers of keys (0, 1, 2…) in the order they are first given; `keys` lists them.
pub(crate) struct Numbers<K> {
    pub(crate) keys: Vec<K>,
    by_key: FxHashMap<K, u32>,
}

impl<K: std::hash::Hash + Eq + Copy> Numbers<K> {
    pub(crate) fn new() -> Self {
        Numbers {
            keys: Vec::new(),
            by_key: FxHashMap::default(),
        }
    }

    /// The number of `key`, a new one the first time.
    pub(crate) fn of(&mut self, key: K) -> u32 {
        let keys = &mut self.keys;
        *self.by_key.entry(key).or_insert_with(|| {
            keys.push(key);
            u32::try_from(keys.len() - 1).unwrap_or(u32::MAX)
        })
    }
}

/// The address of a shared text's copy.
#[inline]
pub(crate) fn address(text: &Arc<str>) -> usize {
    Arc::as_ptr(text).cast::<u8>() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two copies of one text get the answer of the text, each computed once per copy;
    /// another text gets its own.
    #[test]
    fn by_copy_answers_by_text() {
        let (a1, a2, b) = (
            Arc::<str>::from("A"),
            Arc::<str>::from("A"),
            Arc::<str>::from("B"),
        );
        let mut calls = 0;
        let mut m = ByCopy::new();
        let mut get = |t: &Arc<str>| {
            m.get(t, |s| {
                calls += 1;
                s.len() + usize::from(s == "B")
            })
        };
        assert_eq!((get(&a1), get(&a2), get(&b), get(&a1)), (1, 1, 2, 1));
        assert_eq!(calls, 3);
    }

    #[test]
    fn numbers_in_first_order() {
        let mut n = Numbers::new();
        assert_eq!([n.of("b"), n.of("a"), n.of("b"), n.of("c")], [0, 1, 0, 2]);
        assert_eq!(n.keys, ["b", "a", "c"]);
    }
}
