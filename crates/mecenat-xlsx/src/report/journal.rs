//! The Journal sheet: the class-8 entries (rules-association §3) per beneficiary and
//! calendar year, each balanced (the debit and the credit of one amount), with the total of
//! each beneficiary's year as a formula checked against its value for the accounts (Impact).

use mecenat::report::{JournalLine, Report};
use mecenat::scenario::Chart;
use rust_decimal::Decimal;
use rust_xlsxwriter::Worksheet;

use super::words::journal_category;
use super::{a1, note_header, set_widths, x, Fmts, Put, Res, Tr};

/// The sheet's name.
pub(super) fn name(tr: Tr) -> &'static str {
    tr.t("Journal", "Journal")
}

/// Header row.
pub(super) const TOP: u32 = 3;
/// The amount's column.
pub(super) const AMOUNT: u16 = 9;

fn heads(tr: Tr) -> [&'static str; 13] {
    [
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("Nom", "Name"),
        tr.t("Année", "Year"),
        tr.t("Date", "Date"),
        tr.t("Catégorie", "Category"),
        tr.t("Compte débité", "Debit account"),
        tr.t("Intitulé", "Account name"),
        tr.t("Compte crédité", "Credit account"),
        tr.t("Intitulé", "Account name"),
        tr.t("Montant", "Amount"),
        tr.t("Libellé de l'écriture", "Entry label"),
        tr.t(
            "Valeur pour les comptes (Impact)",
            "Value for the accounts (Impact)",
        ),
        tr.t("Écart", "Difference"),
    ]
}

pub(super) fn sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(name(tr)))?;
    note_header(&mut ws, tr);
    let page = super::print::Page {
        landscape: true,
        repeat: Some((TOP, TOP)),
        ..Default::default()
    };
    super::print::setup(&mut ws, page, &super::print::company(report, tr), tr)?;
    let chart = match report.policies.chart {
        Chart::Pca2018 => tr.t(
            "plan comptable des associations 2018 (ANC 2018-06)",
            "the 2018 non-profit chart (ANC 2018-06)",
        ),
        Chart::Pca1999 => tr.t(
            "plan comptable des associations 1999 (CRC 1999-01)",
            "the 1999 non-profit chart (CRC 1999-01)",
        ),
    };
    ws.text(
        0,
        0,
        &format!(
            "{} {chart}",
            tr.t(
                "Journal des contributions volontaires en nature (classe 8) :",
                "Journal of contributions in kind (class 8):"
            )
        ),
        Some(&f.title),
    )?;
    ws.text(
        1,
        0,
        tr.t(
            "Une écriture équilibrée par bénéficiaire, année et catégorie (débit 86, crédit 87, même montant) ; la classe 8 ne modifie pas le résultat. Les biens et services reçus en nature ne sont pas journalisés.",
            "One balanced entry per beneficiary, year and category (debit 86, credit 87, same amount); class 8 never changes the result. Goods and services received in kind are not journalled.",
        ),
        Some(&f.explain),
    )?;
    set_widths(&mut ws, &[14, 34, 7, 11, 22, 9, 26, 9, 26, 14, 48, 16, 10])?;
    if report.journal.is_empty() {
        ws.text(
            TOP,
            0,
            tr.t(
                "Aucune écriture (aucun temps donné).",
                "No entry (no time given).",
            ),
            Some(&f.explain),
        )?;
        return Ok(ws);
    }
    for (c, h) in heads(tr).iter().enumerate() {
        ws.text(TOP, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
    }
    x(ws.set_row_height(TOP, 32))?;
    x(ws.set_freeze_panes(TOP + 1, 0))?;
    let mut r = TOP + 1;
    let mut start = 0usize;
    let lines = &report.journal;
    while start < lines.len() {
        let (b, p) = (&lines[start].beneficiary, &lines[start].period);
        let end = start
            + lines[start..]
                .iter()
                .take_while(|l| &l.beneficiary == b && &l.period == p)
                .count();
        r = group(&mut ws, report, &lines[start..end], r, tr, f)?;
        start = end;
    }
    Ok(ws)
}

/// One beneficiary's year: its lines, then their total and its check; the next free row.
fn group(
    ws: &mut Worksheet,
    report: &Report,
    lines: &[JournalLine],
    mut r: u32,
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let first = r;
    let impact = report
        .beneficiaries
        .iter()
        .find(|i| i.beneficiary == lines[0].beneficiary && i.period == lines[0].period);
    let name = impact.map_or("", |i| i.beneficiary_name.as_str());
    for l in lines {
        ws.text(r, 0, &l.beneficiary, None)?;
        ws.text(r, 1, name, None)?;
        ws.text(r, 2, &l.period, None)?;
        ws.date(r, 3, l.date, &f.date)?;
        ws.text(r, 4, &journal_category(tr, &l.category), None)?;
        ws.text(r, 5, &l.debit_account, None)?;
        ws.text(r, 6, &l.debit_label, None)?;
        ws.text(r, 7, &l.credit_account, None)?;
        ws.text(r, 8, &l.credit_label, None)?;
        ws.money(r, AMOUNT, l.amount.0, &f.money)?;
        ws.text(r, 10, &l.label, None)?;
        r += 1;
    }
    let total: Decimal = lines.iter().map(|l| l.amount.0).sum();
    ws.text(r, 0, tr.t("Total", "Total"), Some(&f.bold))?;
    ws.text(r, 1, name, Some(&f.bold))?;
    ws.text(r, 2, &lines[0].period, Some(&f.bold))?;
    ws.formula(
        r,
        AMOUNT,
        &format!("SUM({}:{})", a1(AMOUNT, first), a1(AMOUNT, r - 1)),
        total,
        &f.money_formula,
    )?;
    if let Some(v) = impact.and_then(|i| i.value_cvn) {
        ws.money(r, 11, v.0, &f.money_total)?;
        ws.formula(
            r,
            12,
            &format!("ROUND({}-{},2)", a1(AMOUNT, r), a1(11, r)),
            total - v.0,
            &f.money_formula,
        )?;
    }
    Ok(r + 2)
}
