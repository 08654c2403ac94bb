//! The company's documents (rules-company §6): receipt data (Cerfa 16216 / 2041-MEC-SD)
//! and the > 10,000 EUR declaration lists.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::company::valuation::EntryFacts;
use crate::fr::words::euros_fr;
use crate::input::scenario::{DonationKind, Scenario};
use crate::money::{Money, Qty};
use crate::report::*;

mod declared;
pub(crate) use declared::{declaration_totals, receipts_declared};
pub(crate) const RECEIPTS_DECLARED_ASSUMPTION: &str = declared::ASSUMPTION;

#[derive(Default)]
struct Acc {
    cash: Decimal,
    staff: Decimal,
    goods_value: Decimal,
    /// employee number -> (order, days, hours, value)
    employees: FxHashMap<usize, (usize, Decimal, Decimal, Decimal)>,
    goods: Vec<ReceiptGood>,
    cash_gifts: Vec<ReceiptCashGift>,
}

/// Receipt data per company (table order), fiscal year, beneficiary (table order), for
/// eligible beneficiaries that received retained gifts.
pub(crate) fn receipts(
    s: &Scenario,
    facts: &[Option<EntryFacts>],
    gifts: &[GiftReport],
    gift_fy: &[Option<usize>],
    fys_of: &[Vec<usize>],
    ben_idx: &FxHashMap<&str, usize>,
) -> Vec<Receipt> {
    let mut acc: FxHashMap<(usize, usize), Acc> = FxHashMap::default();
    // Each employee id gets a dense number and the first name given on any of its pay rows.
    let mut numbers: FxHashMap<&str, usize> = FxHashMap::default();
    let mut people: Vec<(&str, Option<&str>)> = Vec::new();
    let mut number_of_pay: Vec<usize> = Vec::with_capacity(s.employees.len());
    for p in &s.employees {
        let n = *numbers.entry(p.id.as_str()).or_insert_with(|| {
            people.push((p.id.as_str(), None));
            people.len() - 1
        });
        if people[n].1.is_none() {
            people[n].1 = p.name.as_deref();
        }
        number_of_pay.push(n);
    }
    for f in facts.iter().flatten().filter(|f| f.retained) {
        let a = acc.entry((f.fy, f.ben)).or_default();
        a.staff += f.value;
        let order = a.employees.len();
        let slot = a.employees.entry(number_of_pay[f.pay]).or_insert((
            order,
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::ZERO,
        ));
        slot.1 += f.days;
        slot.2 += f.hours;
        slot.3 += f.value;
    }
    for ((g, d), fy) in gifts.iter().zip(&s.donations).zip(gift_fy) {
        let (Status::Retained, Some(fy)) = (g.status, *fy) else {
            continue;
        };
        let a = acc
            .entry((fy, ben_idx[g.beneficiary.as_str()]))
            .or_default();
        match d.kind {
            DonationKind::Cash => {
                a.cash += d.amount;
                a.cash_gifts.push(ReceiptCashGift {
                    date: d.date,
                    amount: Money(d.amount),
                    payment_method: d.payment_method,
                });
            }
            DonationKind::InKind => {
                a.goods_value += d.amount;
                a.goods.push(ReceiptGood {
                    date: d.date,
                    description: d.description.clone().unwrap_or_default(),
                    amount: Money(d.amount),
                });
            }
        }
    }
    let mut out = Vec::new();
    for (c, fys) in fys_of.iter().enumerate() {
        let company = &s.companies[c];
        for &fyi in fys {
            let fy = &s.fiscal_years[fyi];
            for (b, ben) in s.beneficiaries.iter().enumerate() {
                let Some(a) = acc.get(&(fyi, b)) else {
                    continue;
                };
                let in_kind = a.staff + a.goods_value;
                if !ben.eligible || (a.cash + in_kind).is_zero() {
                    continue;
                }
                let mut employees: Vec<_> = a.employees.iter().collect();
                employees.sort_by_key(|(_, v)| v.0);
                out.push(Receipt {
                    company: company.id.clone(),
                    beneficiary: ben.id.clone(),
                    fiscal_year: fy.label.clone(),
                    period_start: fy.start,
                    period_end: fy.end,
                    cash: Money(a.cash),
                    cash_words: euros_fr(a.cash),
                    in_kind: Money(in_kind),
                    in_kind_words: euros_fr(in_kind),
                    staff_time: Money(a.staff),
                    goods_value: Money(a.goods_value),
                    employees: employees
                        .into_iter()
                        .map(|(&n, v)| {
                            let (id, name) = people[n];
                            ReceiptEmployee {
                                employee: id.to_string(),
                                name: name.unwrap_or(id).to_string(),
                                days: Qty(v.1),
                                hours: Qty(v.2),
                                value: Money(v.3),
                            }
                        })
                        .collect(),
                    goods: a.goods.clone(),
                    company_name: company.name.clone(),
                    company_legal_form: company.legal_form.clone(),
                    company_siren: company.siren.clone(),
                    company_address: company.address.clone(),
                    beneficiary_name: ben.name.clone(),
                    beneficiary_siren: ben.siren.clone(),
                    beneficiary_rna: ben.rna.clone(),
                    beneficiary_address: ben.address.clone(),
                    beneficiary_object: ben.object.clone(),
                    beneficiary_category: ben.category,
                    number: String::new(),
                    cash_gifts: {
                        let mut g = a.cash_gifts.clone();
                        g.sort_by_key(|g| g.date);
                        g
                    },
                    beneficiary_aid_to_people_in_difficulty: ben.aid_to_people_in_difficulty,
                    beneficiary_recognition_decree: ben.recognition_decree,
                });
            }
        }
    }
    number(&mut out, s);
    out
}

/// Numbers the receipts: per beneficiary and year (the year their period ends), in the
/// order of their period's end then of the companies, `PREFIX` + `2025-0001`. The numbers
/// depend on the scenario only, so that they are the same at every run, whatever a face
/// then selects.
fn number(out: &mut [Receipt], s: &Scenario) {
    let prefix = s.settings.receipt_prefix.as_deref().unwrap_or("");
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (&out[x], &out[y]);
        (a.beneficiary.as_str(), a.period_end.year(), a.period_end, x).cmp(&(
            b.beneficiary.as_str(),
            b.period_end.year(),
            b.period_end,
            y,
        ))
    });
    let mut rank = 0;
    let mut last: Option<(String, i32)> = None;
    for i in order {
        let key = (out[i].beneficiary.clone(), out[i].period_end.year());
        if last.as_ref() == Some(&key) {
            rank += 1;
        } else {
            rank = 1;
        }
        out[i].number = format!("{prefix}{}-{rank:04}", key.1);
        last = Some(key);
    }
}

/// The declaration lists of fiscal years whose donations exceed the threshold: per
/// beneficiary, staff time grouped by calendar month, each cash or in-kind gift, and the
/// counterparts received.
#[allow(clippy::too_many_arguments)]
pub(crate) fn declarations(
    s: &Scenario,
    facts: &[Option<EntryFacts>],
    gifts: &[GiftReport],
    gift_fy: &[Option<usize>],
    fys_of: &[Vec<usize>],
    fy_reports: &[FiscalYearReport],
    counterparts: &[BTreeMap<usize, Decimal>],
    ben_idx: &FxHashMap<&str, usize>,
) -> Vec<Declaration> {
    // Whether each fiscal year (index) needs its declaration.
    let mut required = vec![false; s.fiscal_years.len()];
    for (c, fys) in fys_of.iter().enumerate() {
        for &fyi in fys {
            let fy = &s.fiscal_years[fyi];
            required[fyi] = fy_reports.iter().any(|f| {
                f.declaration_required && f.company == s.companies[c].id && f.label == fy.label
            });
        }
    }
    let needs = |fy: usize| required.get(fy).copied().unwrap_or(false);
    // (fy, ben) -> month -> (first, last, amount)
    type Months = BTreeMap<(i32, u32), (NaiveDate, NaiveDate, Decimal)>;
    let mut staff: FxHashMap<(usize, usize), Months> = FxHashMap::default();
    if required.contains(&true) {
        for (te, f) in s.time_entries.iter().zip(facts) {
            let Some(f) = f.as_ref().filter(|f| f.retained && needs(f.fy)) else {
                continue;
            };
            let date = te.date;
            let m = staff
                .entry((f.fy, f.ben))
                .or_default()
                .entry((date.year(), date.month()))
                .or_insert((date, date, Decimal::ZERO));
            m.0 = m.0.min(date);
            m.1 = m.1.max(date);
            m.2 += f.value;
        }
    }
    let mut other: HashMap<(usize, usize), Vec<DeclarationGift>> = HashMap::new();
    for ((g, d), fy) in gifts.iter().zip(&s.donations).zip(gift_fy) {
        let (Status::Retained, Some(fy)) = (g.status, *fy) else {
            continue;
        };
        if !needs(fy) {
            continue;
        }
        other
            .entry((fy, ben_idx[g.beneficiary.as_str()]))
            .or_default()
            .push(DeclarationGift {
                kind: match d.kind {
                    DonationKind::Cash => "cash".into(),
                    DonationKind::InKind => "in_kind".into(),
                },
                date: d.date,
                date_end: None,
                amount: Money(d.amount),
                description: d.description.clone(),
            });
    }
    let mut out = Vec::new();
    for (c, fys) in fys_of.iter().enumerate() {
        for &fyi in fys {
            if !needs(fyi) {
                continue;
            }
            for (b, ben) in s.beneficiaries.iter().enumerate() {
                let mut list: Vec<DeclarationGift> = staff
                    .get(&(fyi, b))
                    .map(|m| {
                        m.values()
                            .map(|(a, z, v)| DeclarationGift {
                                kind: "staff_time".into(),
                                date: *a,
                                date_end: Some(*z),
                                amount: Money(*v),
                                description: Some(
                                    "mécénat de compétences (mise à disposition de personnel)"
                                        .into(),
                                ),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                list.extend(other.get(&(fyi, b)).cloned().unwrap_or_default());
                if list.is_empty() {
                    continue;
                }
                list.sort_by_key(|g| g.date);
                let total = list.iter().map(|g| g.amount.0).sum();
                out.push(Declaration {
                    company: s.companies[c].id.clone(),
                    fiscal_year: s.fiscal_years[fyi].label.clone(),
                    beneficiary: ben.id.clone(),
                    beneficiary_name: ben.name.clone(),
                    siren: ben.siren.clone(),
                    rna: ben.rna.clone(),
                    address: ben.address.clone(),
                    gifts: list,
                    total: Money(total),
                    counterparts: Money(counterparts[fyi].get(&b).copied().unwrap_or_default()),
                    identifier: ben.siren.clone().or_else(|| ben.rna.clone()),
                    intermediary_name: ben.intermediary_name.clone(),
                    intermediary_siren: ben.intermediary_siren.clone(),
                    intermediary_rna: ben.intermediary_rna.clone(),
                });
            }
        }
    }
    out
}
