//! The "Déclaration" sheet: the list of gifts of form 2069-RCI-SD section III, per fiscal
//! year, each final beneficiary's gifts then its subtotal, and the year's subtotal (never
//! one total over several years). Subtotals are live `SUBTOTAL(9, …)` formulas, which skip
//! the beneficiaries' subtotals inside a year's range; their cached values are the report's.

use mecenat::report::{Declaration, DeclarationTotal, Report};
use rust_xlsxwriter::Worksheet;

use super::{a1, note_header, set_widths, words, x, Fmts, Put, Res, Tr};

/// Columns of the sheet.
const AMOUNT: u16 = 9;
const COUNTERPARTS: u16 = 11;

pub(super) fn declaration_sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(tr.t("Déclaration", "Declaration")))?;
    note_header(&mut ws, tr);
    let threshold = threshold_words(report, tr);
    // Printed landscape, as wide as one page.
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.text(
        0,
        0,
        &format!(
            "{} {} {}",
            tr.t(
                "Formulaire 2069-RCI-SD, section III : liste des bénéficiaires finaux (dons au-delà",
                "Form 2069-RCI-SD section III: the final beneficiaries (donations above",
            ),
            threshold,
            tr.t("sur l'exercice)", "in the fiscal year)"),
        ),
        Some(&f.title),
    )?;
    x(ws.merge_range(1, 0, 1, 10, &report.disclaimer, &f.note))?;
    x(ws.set_row_height(1, 30))?;
    x(ws.set_row_height(2, 45))?;
    x(ws.merge_range(
        2,
        0,
        2,
        10,
        tr.t(
            "Par exercice : chaque don, le total de chaque bénéficiaire puis celui de l'exercice. Les contreparties reçues d'un bénéficiaire sur l'exercice figurent sur chacune de ses lignes, et une seule fois dans les totaux.",
            "Per fiscal year: each gift, each beneficiary's total, then the year's. The counterparts received from a beneficiary in the year are shown on each of its lines, and once in the totals.",
        ),
        &f.wrap,
    ))?;
    let heads = [
        tr.t("Entreprise", "Company"),
        tr.t("Exercice", "Fiscal year"),
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("SIREN (à défaut RNA)", "SIREN (else RNA)"),
        tr.t("Nom", "Name"),
        tr.t("Adresse", "Address"),
        tr.t("Nature du don", "Kind of gift"),
        tr.t("Date", "Date"),
        tr.t("Jusqu'au", "Until"),
        tr.t("Montant", "Amount"),
        tr.t("Description", "Description"),
        tr.t(
            "Contreparties reçues du bénéficiaire",
            "Counterparts received from the beneficiary",
        ),
        tr.t("Organisme intermédiaire", "Intermediary organism"),
        tr.t(
            "SIREN (à défaut RNA) de l'intermédiaire",
            "Intermediary's SIREN (else RNA)",
        ),
    ];
    let top = 4u32;
    for (c, h) in heads.iter().enumerate() {
        ws.text(top, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
    }
    if report.declaration_totals.is_empty() {
        ws.text(
            top + 1,
            0,
            &format!(
                "{} {} {}",
                tr.t(
                    "Aucun exercice n'a de dons au-delà",
                    "No fiscal year has donations above",
                ),
                threshold,
                tr.t(": pas de liste à déclarer.", ": nothing to list."),
            ),
            Some(&f.explain),
        )?;
    } else {
        let mut r = top + 1;
        for t in &report.declaration_totals {
            r = year_rows(&mut ws, report, t, r, tr, f)? + 1;
        }
    }
    set_widths(
        &mut ws,
        &[12, 10, 12, 16, 28, 30, 20, 11, 11, 13, 30, 16, 26, 16],
    )?;
    x(ws.set_row_height(top, 45))?;
    x(ws.set_freeze_panes(top + 1, 0))?;
    Ok(ws)
}

/// One fiscal year from row `r`: its title, each beneficiary's gifts and subtotal, the
/// year's subtotal; the row after them.
fn year_rows(
    ws: &mut Worksheet,
    report: &Report,
    t: &DeclarationTotal,
    mut r: u32,
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let title = format!(
        "{} {} · {} {} ({} – {})",
        tr.t("Exercice", "Fiscal year"),
        t.fiscal_year,
        tr.t("entreprise", "company"),
        t.company,
        words::date(tr, t.start),
        words::date(tr, t.end)
    );
    ws.text(r, 0, &title, Some(&f.section))?;
    r += 1;
    let first = r;
    let mut subtotal_rows = Vec::new();
    for d in report
        .declarations
        .iter()
        .filter(|d| d.company == t.company && d.fiscal_year == t.fiscal_year)
    {
        r = gift_rows(ws, d, r, tr, f)?;
        // The beneficiary's subtotal.
        let label = format!("{} {}", tr.t("Total", "Total"), d.beneficiary_name);
        ws.text(r, 2, &d.beneficiary, Some(&f.bold))?;
        ws.text(r, 4, &label, Some(&f.bold))?;
        let start = r - u32::try_from(d.gifts.len()).unwrap_or(0);
        let sum = format!("SUBTOTAL(9,{}:{})", a1(AMOUNT, start), a1(AMOUNT, r - 1));
        ws.formula(r, AMOUNT, &sum, d.total.0, &f.money_bold)?;
        ws.money(r, COUNTERPARTS, d.counterparts.0, &f.money_bold)?;
        subtotal_rows.push(r);
        r += 1;
    }
    let label = format!(
        "{} {}",
        tr.t("Total de l'exercice", "Total of fiscal year"),
        t.fiscal_year
    );
    ws.text(r, 0, &t.company, Some(&f.bold))?;
    ws.text(r, 1, &t.fiscal_year, Some(&f.bold))?;
    ws.text(r, 4, &label, Some(&f.bold))?;
    let sum = format!("SUBTOTAL(9,{}:{})", a1(AMOUNT, first), a1(AMOUNT, r - 1));
    ws.formula(r, AMOUNT, &sum, t.total.0, &f.money_bold)?;
    let counterparts: Vec<String> = subtotal_rows.iter().map(|&s| a1(COUNTERPARTS, s)).collect();
    let counterparts = if counterparts.is_empty() {
        "0".to_string()
    } else {
        counterparts.join("+")
    };
    ws.formula(
        r,
        COUNTERPARTS,
        &counterparts,
        t.counterparts.0,
        &f.money_bold,
    )?;
    Ok(r + 1)
}

/// The gift lines of one beneficiary from row `r`, its counterparts on each; the row after.
fn gift_rows(ws: &mut Worksheet, d: &Declaration, mut r: u32, tr: Tr, f: &Fmts) -> Res<u32> {
    let intermediary_id = d
        .intermediary_siren
        .as_deref()
        .or(d.intermediary_rna.as_deref())
        .unwrap_or("");
    for g in &d.gifts {
        ws.text(r, 0, &d.company, None)?;
        ws.text(r, 1, &d.fiscal_year, None)?;
        ws.text(r, 2, &d.beneficiary, None)?;
        ws.text(r, 3, d.identifier.as_deref().unwrap_or(""), None)?;
        ws.text(r, 4, &d.beneficiary_name, None)?;
        ws.text(r, 5, d.address.as_deref().unwrap_or(""), None)?;
        let kind = match g.kind.as_str() {
            "staff_time" => tr.t("mécénat de compétences", "staff time"),
            "cash" => tr.t("numéraire", "cash"),
            "in_kind" => tr.t("en nature", "in kind"),
            _ => "",
        };
        ws.text(r, 6, if kind.is_empty() { &g.kind } else { kind }, None)?;
        ws.date(r, 7, g.date, &f.date)?;
        if let Some(e) = g.date_end {
            ws.date(r, 8, e, &f.date)?;
        }
        ws.money(r, AMOUNT, g.amount.0, &f.money)?;
        ws.text(r, 10, g.description.as_deref().unwrap_or(""), None)?;
        ws.money(r, COUNTERPARTS, d.counterparts.0, &f.money)?;
        ws.text(r, 12, d.intermediary_name.as_deref().unwrap_or(""), None)?;
        ws.text(r, 13, intermediary_id, None)?;
        r += 1;
    }
    Ok(r)
}

/// The declaration threshold as the fiscal years' law gives it, after "au-delà" (`de
/// 10 000 €`, English `10,000 EUR`), or the threshold in words when the years have none or
/// different ones: the face holds no legal number.
fn threshold_words(report: &Report, tr: Tr) -> String {
    let all: Vec<_> = (report.fiscal_years.iter())
        .filter_map(|fy| fy.law.declaration_threshold.as_ref().map(|m| m.0))
        .collect();
    match all.first() {
        Some(first) if all.iter().all(|v| v == first) => {
            format!("{}{}", tr.t("de ", ""), words::whole_euros(tr, *first))
        }
        _ => tr.t("du seuil", "the threshold").to_string(),
    }
}
