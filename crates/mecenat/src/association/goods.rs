//! In-kind goods and services received, listed for the accountant (not journalled).

use super::*;

/// In-kind goods and services received (retained or excluded), per beneficiary (table
/// order), calendar year and row, with the accounts an accountant would use.
pub(super) fn goods(
    inp: &AssocInput,
    gifts: &[GiftReport],
    chart: &ChartAccounts,
) -> Vec<GoodsLine> {
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
