//! The Annexe sheet: the note on contributions in kind for each beneficiary's annual
//! accounts, per calendar year, as the report writes it (ready to paste), with the dated
//! values it relied on.

use mecenat::report::{AnnexText, Report};
use rust_xlsxwriter::Worksheet;

use super::words::cvn_method;
use super::{note_header, set_widths, x, Fmts, Put, Res, Tr};

/// The sheet's name.
pub(super) fn name(tr: Tr) -> &'static str {
    tr.t("Annexe", "Annex")
}

/// The text spans columns A to this one.
pub(super) const LAST_COL: u16 = 5;
/// Characters per line of the merged text cell (its width in characters, less margins).
const CHARS_PER_LINE: usize = 140;

pub(super) fn sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(name(tr)))?;
    note_header(&mut ws, tr);
    super::print::setup(
        &mut ws,
        super::print::Page::default(),
        &super::print::company(report, tr),
        tr,
    )?;
    ws.text(
        0,
        0,
        tr.t(
            "Annexe des comptes : les contributions volontaires en nature, par bénéficiaire et par année",
            "Notes to the accounts: contributions in kind, per beneficiary and year",
        ),
        Some(&f.title),
    )?;
    ws.text(
        1,
        0,
        tr.t(
            "Le texte de chaque cadre se copie tel quel dans l'annexe des comptes annuels du bénéficiaire.",
            "Each box's text is copied as it is into the beneficiary's notes to the annual accounts.",
        ),
        Some(&f.explain),
    )?;
    set_widths(&mut ws, &[30, 18, 16, 12, 60, 4])?;
    let mut r = 3u32;
    if report.annex.is_empty() {
        ws.text(
            r,
            0,
            tr.t(
                "Aucune annexe (aucun temps donné).",
                "No annex (no time given).",
            ),
            Some(&f.explain),
        )?;
        return Ok(ws);
    }
    for a in &report.annex {
        r = annex(&mut ws, report, a, r, tr, f)?;
    }
    Ok(ws)
}

/// The lines a text takes in the merged cell (its paragraphs wrapped).
pub(super) fn lines(text: &str) -> usize {
    text.split('\n')
        .map(|p| p.chars().count().div_ceil(CHARS_PER_LINE).max(1))
        .sum()
}

/// One beneficiary's year: title, the text in a box tall enough, the values used.
fn annex(
    ws: &mut Worksheet,
    report: &Report,
    a: &AnnexText,
    mut r: u32,
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let name = report
        .beneficiaries
        .iter()
        .find(|b| b.beneficiary == a.beneficiary)
        .map_or(a.beneficiary.as_str(), |b| b.beneficiary_name.as_str());
    let title = format!(
        "{name} ({}) — {} {} — {} : {}",
        a.beneficiary,
        tr.t("année", "year"),
        a.period,
        tr.t("méthode", "method"),
        cvn_method(tr, a.cvn_method)
    );
    ws.text(r, 0, &title, Some(&f.section))?;
    r += 1;
    let text = crate::cells::cell_text(&a.text);
    x(ws.merge_range(r, 0, r, LAST_COL, text, &f.boxed))?;
    // 15 points a line, within Excel's limit of 409 points.
    let height = (15 * lines(&a.text) + 6).min(409);
    x(ws.set_row_height(r, u16::try_from(height).unwrap_or(409)))?;
    r += 1;
    if !a.rates.is_empty() {
        for (c, h) in [
            tr.t("Valeur utilisée", "Value used"),
            tr.t("Valeur", "Value"),
            tr.t("Unité", "Unit"),
            tr.t("Depuis", "Since"),
            tr.t("Source", "Source"),
        ]
        .iter()
        .enumerate()
        {
            ws.text(r, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
        }
        r += 1;
        for v in &a.rates {
            let (what, unit) = super::words::annex_value(tr, &v.what, &v.unit);
            ws.text(r, 0, &what, None)?;
            match rust_decimal::Decimal::from_str_exact(&v.value) {
                Ok(d) => {
                    x(ws.write_number_with_format(r, 1, super::num(d), &f.value)).map(|_| ())?
                }
                Err(_) => ws.text(r, 1, &v.value, None)?,
            }
            ws.text(r, 2, &unit, None)?;
            if let Some(d) = v.since {
                ws.date(r, 3, d, &f.date)?;
            }
            ws.text(r, 4, &v.source, Some(&f.wrap))?;
            r += 1;
        }
    }
    Ok(r + 1)
}
