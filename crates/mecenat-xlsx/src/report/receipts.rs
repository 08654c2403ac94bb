//! The receipts sheet: the data of each receipt (Cerfa 16216, 2041-MEC-SD).

use mecenat::money::round_dp;
use mecenat::report::{Receipt, Report};
use rust_xlsxwriter::Worksheet;

use super::{note_header, num, set_widths, x, Fmts, Put, Res, Tr};
use crate::cells::LAST_ROW;

/// A sequence of rows continued on a new sheet when one is full.
struct Rows {
    ws: Worksheet,
    r: u32,
}

pub(super) fn sheet(mut ws: Worksheet, report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    x(ws.set_name(tr.t("Reçus", "Receipts")))?;
    note_header(&mut ws, tr);
    set_widths(&mut ws, &[34, 16, 12, 16, 60])?;
    let mut out = Rows { ws, r: 0 };
    let w = &mut out;
    w.ws.text(
        0,
        0,
        tr.t(
            "Reçus fiscaux (Cerfa n° 16216, 2041-MEC-SD) : données par entreprise, bénéficiaire et exercice",
            "Tax receipts (Cerfa 16216, 2041-MEC-SD): data per company, beneficiary and fiscal year",
        ),
        Some(&f.title),
    )?;
    x(w.ws.merge_range(1, 0, 1, 4, &report.disclaimer, &f.note))?;
    x(w.ws.set_row_height(1, 30))?;
    w.r = 3;
    if report.receipts.is_empty() {
        w.ws.text(w.r, 0, tr.t("Aucun reçu.", "No receipt."), Some(&f.explain))?;
    }
    for (k, rc) in report.receipts.iter().enumerate() {
        if w.r >= LAST_ROW - 16 {
            // Excel's row limit: the rest would not fit; say so rather than lose it silently.
            w.ws.text(
                w.r,
                0,
                tr.t(
                    "… limite de lignes d'Excel atteinte : les reçus suivants sont dans le rapport JSON.",
                    "… Excel's row limit reached: the following receipts are in the JSON report.",
                ),
                Some(&f.note),
            )?;
            break;
        }
        receipt(w, k, rc, tr, f)?;
        w.r += 1;
    }
    Ok(out.ws)
}

/// One receipt: its title, the parties, the amounts, the employees and the goods.
fn receipt(w: &mut Rows, k: usize, rc: &Receipt, tr: Tr, f: &Fmts) -> Res {
    let title = format!(
        "{} {} — {} → {} — {} {} ({} → {})",
        tr.t("Reçu", "Receipt"),
        k + 1,
        rc.company_name,
        rc.beneficiary_name,
        tr.t("exercice", "fiscal year"),
        rc.fiscal_year,
        super::words::date(tr, rc.period_start),
        super::words::date(tr, rc.period_end)
    );
    // One merged cell: the title is never cut by a neighbouring cell.
    x(w.ws.merge_range(w.r, 0, w.r, 4, crate::cells::cell_text(&title), &f.section))?;
    w.r += 1;
    parties(w, rc, tr, f)?;
    amounts(w, rc, tr, f)?;
    employees(w, rc, tr, f)?;
    goods(w, rc, tr, f)
}

/// The beneficiary and the donor.
fn parties(w: &mut Rows, rc: &Receipt, tr: Tr, f: &Fmts) -> Res {
    let ids = [
        rc.beneficiary_siren
            .as_deref()
            .map(|s| format!("SIREN {s}")),
        rc.beneficiary_rna.as_deref().map(|s| format!("RNA {s}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let company = [
        Some(rc.company_name.clone()),
        rc.company_legal_form.clone(),
        rc.company_siren.as_deref().map(|s| format!("SIREN {s}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let lines: Vec<(&str, String)> = vec![
        (
            tr.t("Bénéficiaire", "Beneficiary"),
            rc.beneficiary_name.clone(),
        ),
        (tr.t("Identifiants", "Identifiers"), ids),
        (
            tr.t("Adresse", "Address"),
            rc.beneficiary_address.clone().unwrap_or_default(),
        ),
        (
            tr.t("Objet", "Purpose"),
            rc.beneficiary_object.clone().unwrap_or_default(),
        ),
        (
            tr.t("Catégorie", "Category"),
            super::words::category(tr, rc.beneficiary_category),
        ),
        (tr.t("Donateur", "Donor"), company),
        (
            tr.t("Adresse du donateur", "Donor's address"),
            rc.company_address.clone().unwrap_or_default(),
        ),
    ];
    for (label, value) in lines {
        w.ws.text(w.r, 0, label, Some(&f.bold))?;
        w.ws.text(w.r, 1, &value, None)?;
        w.r += 1;
    }
    Ok(())
}

/// Cash and in kind, with their words.
fn amounts(w: &mut Rows, rc: &Receipt, tr: Tr, f: &Fmts) -> Res {
    for (label, amount, words) in [
        (tr.t("Numéraire", "Cash"), rc.cash.0, Some(&rc.cash_words)),
        (
            tr.t("En nature", "In kind"),
            rc.in_kind.0,
            Some(&rc.in_kind_words),
        ),
        (
            tr.t("dont temps des salariés", "of which staff time"),
            rc.staff_time.0,
            None,
        ),
        (
            tr.t("dont biens et services", "of which goods and services"),
            rc.goods_value.0,
            None,
        ),
    ] {
        w.ws.text(w.r, 0, label, Some(&f.bold))?;
        w.ws.money(w.r, 1, amount, &f.money_bold)?;
        if let Some(words) = words {
            w.ws.text(w.r, 2, words, Some(&f.explain))?;
        }
        w.r += 1;
    }
    Ok(())
}

/// The employees made available.
fn employees(w: &mut Rows, rc: &Receipt, tr: Tr, f: &Fmts) -> Res {
    if !rc.employees.is_empty() {
        w.ws.text(
            w.r,
            0,
            tr.t("Salariés mis à disposition", "Employees made available"),
            Some(&f.header),
        )?;
        w.ws.text(w.r, 1, tr.t("Jours", "Days"), Some(&f.header))?;
        w.ws.text(w.r, 2, tr.t("Heures", "Hours"), Some(&f.header))?;
        w.ws.text(w.r, 3, tr.t("Valeur", "Value"), Some(&f.header))?;
        w.r += 1;
        for e in &rc.employees {
            if w.r >= LAST_ROW - 2 {
                break;
            }
            w.ws.text(w.r, 0, &e.name, None)?;
            x(w.ws.write_number_with_format(w.r, 1, num(round_dp(e.days.0, 4)), &f.qty))?;
            x(w.ws.write_number_with_format(w.r, 2, num(round_dp(e.hours.0, 4)), &f.qty))?;
            w.ws.money(w.r, 3, e.value.0, &f.money)?;
            w.r += 1;
        }
    }
    Ok(())
}

/// The goods and services given.
fn goods(w: &mut Rows, rc: &Receipt, tr: Tr, f: &Fmts) -> Res {
    if !rc.goods.is_empty() {
        w.ws.text(
            w.r,
            0,
            tr.t("Biens et services", "Goods and services"),
            Some(&f.header),
        )?;
        w.ws.text(w.r, 1, tr.t("Date", "Date"), Some(&f.header))?;
        w.ws.text(w.r, 3, tr.t("Montant", "Amount"), Some(&f.header))?;
        w.ws.text(w.r, 4, tr.t("Description", "Description"), Some(&f.header))?;
        w.r += 1;
        for g in &rc.goods {
            if w.r >= LAST_ROW - 2 {
                break;
            }
            w.ws.date(w.r, 1, g.date, &f.date)?;
            w.ws.money(w.r, 3, g.amount.0, &f.money)?;
            w.ws.text(w.r, 4, &g.description, None)?;
            w.r += 1;
        }
    }
    Ok(())
}
