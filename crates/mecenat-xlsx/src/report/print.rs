//! Page setup of every sheet of the report: A4, landscape where the sheet is wide, one page
//! wide, the header rows repeated, a footer with the sheet's name, the company and the page
//! number; long detail sheets print their first page only (a note on the sheet says how to
//! print them whole).

use mecenat::report::Report;
use rust_xlsxwriter::Worksheet;

use super::{x, Res, Tr};

/// How one sheet prints.
#[derive(Clone, Copy, Default)]
pub(super) struct Page {
    /// Landscape (wide sheets).
    pub landscape: bool,
    /// Rows repeated at the top of each page (first, last), 0-based.
    pub repeat: Option<(u32, u32)>,
    /// The whole sheet on one page.
    pub one_page: bool,
    /// Only rows `0..n` and columns `0..=last` are printed (a long detail sheet).
    pub first_rows: Option<(u32, u16)>,
    /// A row before which a page starts (a chart kept whole).
    pub break_before: Option<u32>,
}

/// Rows a long detail sheet prints by default: one landscape page.
pub(super) const DETAIL_PRINT_ROWS: u32 = 40;

/// The detail sheets longer than this print only their first page.
pub(super) const LONG_SHEET_ROWS: u32 = 60;

/// The company named in the footers: its name, or how many companies there are.
pub(super) fn company(report: &Report, tr: Tr) -> String {
    let mut ids: Vec<&str> = report
        .fiscal_years
        .iter()
        .map(|y| y.company.as_str())
        .collect();
    ids.dedup();
    match ids.as_slice() {
        [] => String::new(),
        [one] => report
            .names
            .companies
            .get(*one)
            .map_or_else(|| (*one).to_string(), Clone::clone),
        many => format!("{} {}", many.len(), tr.t("entreprises", "companies")),
    }
}

/// A footer text: `&` doubled so that a name is not read as a code.
fn footer(company: &str, tr: Tr) -> String {
    let company: String = company.replace('&', "&&").chars().take(80).collect();
    format!("&L&A&C{company}&R{} &P / &N", tr.t("Page", "Page"))
}

/// Applies a page setup.
pub(super) fn setup(ws: &mut Worksheet, page: Page, company: &str, tr: Tr) -> Res {
    ws.set_paper_size(9);
    if page.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    if page.one_page {
        ws.set_print_fit_to_pages(1, 1);
    } else {
        ws.set_print_fit_to_pages(1, 0);
    }
    ws.set_footer(footer(company, tr));
    if let Some((a, b)) = page.repeat {
        x(ws.set_repeat_rows(a, b))?;
    }
    if let Some((rows, last_col)) = page.first_rows {
        x(ws.set_print_area(0, 0, rows.saturating_sub(1), last_col))?;
    }
    if let Some((rows, _)) = page.first_rows {
        ws.set_header(tr.t(
            "&L&\"-,Italic\"mecenat – pas un conseil fiscal&CPremières lignes seulement : pour tout imprimer, effacez la zone d'impression&R&A",
            "&L&\"-,Italic\"mecenat – not tax advice&CFirst rows only: clear the print area to print it all&R&A",
        ));
        let _ = rows;
    }
    if let Some(r) = page.break_before {
        x(ws.set_page_breaks(&[r]))?;
    }
    Ok(())
}

/// The page setup of the sheets built elsewhere, by their name: the wide ones landscape,
/// the Synthèse on one page, header rows repeated, long detail sheets cut to their first
/// page. The sheets that set their own page (`own`) are left as they are.
pub(super) fn setup_all(sheets: &mut [Worksheet], report: &Report, tr: Tr, own: &[&str]) -> Res {
    let company = company(report, tr);
    let valo = tr.t("Valorisation", "Valuation");
    let rejected = u32::try_from(report.rejected.len()).unwrap_or(u32::MAX);
    for ws in sheets.iter_mut() {
        let name = ws.name();
        if own.contains(&name.as_str()) {
            continue;
        }
        let mut page = Page {
            landscape: true,
            ..Page::default()
        };
        if name == tr.t("Synthèse", "Summary") {
            page.one_page = true;
        } else if name == tr.t("Calcul", "Calculation") {
            // Two columns of labels and one per fiscal year: portrait up to three years.
            page.landscape = report.fiscal_years.len() > 3;
            page.repeat = Some((super::layout::TOP, super::layout::TOP));
        } else if name.starts_with(valo) {
            page.repeat = Some((0, 0));
            if report.entries.len() > LONG_SHEET_ROWS as usize {
                page.first_rows = Some((DETAIL_PRINT_ROWS, crate::detail::vcol::LAST));
            }
        } else if name == tr.t("Rejets", "Rejections") {
            page.repeat = Some((0, 0));
            if rejected > LONG_SHEET_ROWS {
                page.first_rows = Some((DETAIL_PRINT_ROWS, 5));
            }
        } else if name == tr.t("Reçus", "Receipts") {
            page.landscape = false;
        } else if name == tr.t("Déclaration", "Declaration") || name == "Sources" {
            page.repeat = Some((3, 3));
        }
        setup(ws, page, &company, tr)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_names_the_sheet_the_company_and_the_page() {
        assert_eq!(
            footer("Dupont & Fils", Tr(true)),
            "&L&A&CDupont && Fils&RPage &P / &N"
        );
        let report = crate::test_report();
        assert_eq!(company(&report, Tr(true)), "Exemple Conseil SAS");
    }
}
