//! What each fiscal year receives (rules-company §1, §6): the staff time of the valued
//! entries, the cash and in-kind gifts, and the counterparts, per beneficiary.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::input::resolve::World;
use crate::input::scenario::{DonationKind, Rejection, Scenario};
use crate::money::Money;
use crate::report::{GiftReport, Status};

use super::valuation::EntryFacts;

/// A fiscal year's gifts.
#[derive(Default, Clone)]
pub(crate) struct YearGifts {
    pub(crate) staff: Decimal,
    pub(crate) cash: Decimal,
    pub(crate) in_kind: Decimal,
    /// Of which to beneficiaries under the aid-to-people-in-difficulty exception.
    pub(crate) aid: Decimal,
    /// Gifts that give no reduction (refused, or a beneficiary not eligible).
    pub(crate) excluded: Decimal,
    /// Retained gifts per beneficiary index.
    pub(crate) by_ben: FxHashMap<usize, Decimal>,
    /// Counterparts per beneficiary index.
    pub(crate) counterparts_by_ben: BTreeMap<usize, Decimal>,
}

impl YearGifts {
    /// The year's donations total (staff time, cash and in kind).
    pub(crate) fn total(&self) -> Decimal {
        self.staff + self.cash + self.in_kind
    }

    fn merge_staff(&mut self, x: YearGifts) {
        self.staff += x.staff;
        self.aid += x.aid;
        self.excluded += x.excluded;
        for (b, v) in x.by_ben {
            *self.by_ben.entry(b).or_default() += v;
        }
    }
}

/// The staff time of the valued entries per fiscal year (index), each half on its own core.
pub(crate) fn staff_time(s: &Scenario, facts: &[Option<EntryFacts>]) -> Vec<YearGifts> {
    let (mut acc, other) =
        crate::par::halves(facts, facts.len() / 2, |part, _| staff_part(s, part));
    if let Some(x) = other {
        for (a, b) in acc.iter_mut().zip(x) {
            a.merge_staff(b);
        }
    }
    acc
}

fn staff_part(s: &Scenario, facts: &[Option<EntryFacts>]) -> Vec<YearGifts> {
    let mut out = vec![YearGifts::default(); s.fiscal_years.len()];
    for v in facts.iter().flatten() {
        let Some(a) = out.get_mut(v.fy) else { continue };
        if v.retained {
            a.staff += v.value;
            *a.by_ben.entry(v.ben).or_default() += v.value;
            if s.beneficiaries[v.ben].aid_to_people_in_difficulty {
                a.aid += v.value;
            }
        } else {
            a.excluded += v.value;
        }
    }
    out
}

/// The gifts' lines and the fiscal year (index) of each, when it has one.
pub(crate) struct Gifts {
    pub(crate) lines: Vec<GiftReport>,
    pub(crate) fy: Vec<Option<usize>>,
}

/// Adds the cash and in-kind gifts to their fiscal years; unusable rows are rejected.
pub(crate) fn donations(w: &World, acc: &mut [YearGifts], rejected: &mut Vec<Rejection>) -> Gifts {
    let s = w.scenario;
    let mut out = Gifts {
        lines: Vec::with_capacity(s.donations.len()),
        fy: Vec::with_capacity(s.donations.len()),
    };
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
        match w.gift("donations", d.row, &d.company, &d.beneficiary, d.date) {
            Err(r) => {
                g.reason = Some(r.reason.clone());
                rejected.push(r);
                out.fy.push(None);
            }
            Ok((b, fy)) => {
                out.fy.push(Some(fy));
                g.fiscal_year = Some(s.fiscal_years[fy].label.clone());
                let a = &mut acc[fy];
                let ben = &s.beneficiaries[b];
                if ben.eligible {
                    g.status = Status::Retained;
                    match d.kind {
                        DonationKind::Cash => a.cash += d.amount,
                        DonationKind::InKind => a.in_kind += d.amount,
                    }
                    *a.by_ben.entry(b).or_default() += d.amount;
                    if ben.aid_to_people_in_difficulty {
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
        out.lines.push(g);
    }
    out
}

/// Adds the counterparts to their fiscal years; unusable rows are rejected.
pub(crate) fn counterparts(w: &World, acc: &mut [YearGifts], rejected: &mut Vec<Rejection>) {
    for cp in &w.scenario.counterparts {
        match w.gift(
            "counterparts",
            cp.row,
            &cp.company,
            &cp.beneficiary,
            cp.date,
        ) {
            Err(r) => rejected.push(r),
            Ok((b, fy)) => *acc[fy].counterparts_by_ben.entry(b).or_default() += cp.value,
        }
    }
}
