//! The reconciliation of each receipt with the company's retained gifts, both read from the
//! report's rows.

use super::*;

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
