//! The "Déclaration 222 bis" sheet: the non-profits' yearly declaration of the receipts
//! they issued (art. 222 bis CGI), per beneficiary and calendar year, with the assumption
//! it rests on. Each total is a live formula (cash + in kind) whose cached value is the
//! report's.

use mecenat::report::Report;
use rust_xlsxwriter::Worksheet;

use super::{a1, note_header, set_widths, x, Fmts, Put, Res, Tr};

pub(super) fn receipts_declared_sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(tr.t("Déclaration 222 bis", "Receipts declared")))?;
    note_header(&mut ws, tr);
    ws.text(
        0,
        0,
        tr.t(
            "Déclaration annuelle des dons par l'organisme (art. 222 bis CGI) : nombre et montant des reçus délivrés",
            "The non-profit's yearly declaration (art. 222 bis CGI): number and amount of the receipts issued",
        ),
        Some(&f.title),
    )?;
    ws.text(1, 0, &report.disclaimer, Some(&f.note))?;
    ws.text(
        2,
        0,
        tr.t(
            "À déclarer dans les trois mois de la clôture (formulaire 2065-SD, 2070-SD ou en ligne). Hypothèse : un reçu compte pour l'année civile où finit sa période (il ne peut être délivré avant) ; les reçus que l'organisme a délivrés hors de ce scénario (dons des particuliers, art. 200) n'y sont pas.",
            "To declare within three months of the year end (form 2065-SD, 2070-SD or online). Assumption: a receipt counts in the calendar year in which its period ends (it cannot be issued before); receipts the body issued outside this scenario (gifts of individuals, art. 200) are not included.",
        ),
        Some(&f.explain),
    )?;
    let heads = [
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("Nom", "Name"),
        tr.t("Année civile", "Calendar year"),
        tr.t("Article", "Article"),
        tr.t("Nombre de reçus", "Receipts"),
        tr.t("Numéraire", "Cash"),
        tr.t("En nature", "In kind"),
        tr.t("Total", "Total"),
    ];
    let top = 4u32;
    for (c, h) in heads.iter().enumerate() {
        ws.text(top, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
    }
    if report.receipts_declared.is_empty() {
        ws.text(
            top + 1,
            0,
            tr.t(
                "Aucun reçu dans ce rapport : rien à déclarer au titre de ces dons.",
                "No receipt in this report: nothing to declare for these gifts.",
            ),
            Some(&f.explain),
        )?;
    }
    for (i, d) in report.receipts_declared.iter().enumerate() {
        let r = top + 1 + u32::try_from(i).unwrap_or(0);
        ws.text(r, 0, &d.beneficiary, None)?;
        ws.text(r, 1, &d.beneficiary_name, None)?;
        ws.text(r, 2, &d.year, None)?;
        ws.text(r, 3, &format!("{} CGI", d.article), None)?;
        x(ws.write_number_with_format(r, 4, d.receipts as f64, &f.count))?;
        ws.money(r, 5, d.cash.0, &f.money)?;
        ws.money(r, 6, d.in_kind.0, &f.money)?;
        let sum = format!("{}+{}", a1(5, r), a1(6, r));
        ws.formula(r, 7, &sum, d.total.0, &f.money_formula)?;
    }
    set_widths(&mut ws, &[14, 30, 12, 14, 12, 14, 14, 14])?;
    x(ws.set_row_height(top, 30))?;
    x(ws.set_freeze_panes(top + 1, 0))?;
    Ok(ws)
}
