//! The valuation sheets as rust_xlsxwriter writes them, the rows left to the detail writer.

use chrono::NaiveDate;
use mecenat::report::EntryReport;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Table, TableStyle, Worksheet};

use super::{note_header, plain_header, set_widths, table_columns, x, Fmts, Put, Res, Total, Tr};
use crate::cells::LAST_ROW;
use crate::detail::vcol;

/// A valuation sheet as rust_xlsxwriter writes it: header (an Excel table with its total
/// row, or filters for a long sheet), widths, frozen header, and a prototype row (Excel row
/// 2) carrying the styles of the detail cells; [`crate::detail`] writes the rows in its place.
pub(super) fn placeholder(
    entries: &[EntryReport],
    name: &str,
    rows: u32,
    tr: Tr,
    f: &Fmts,
    max_table_rows: usize,
) -> Res<Worksheet> {
    let heads = [
        tr.t("Ligne", "Row"),
        tr.t("Salarié ou bénévole", "Employee or volunteer"),
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("Date", "Date"),
        tr.t("Entreprise", "Company"),
        tr.t("Exercice", "Fiscal year"),
        tr.t("Quantité", "Quantity"),
        tr.t("Unité", "Unit"),
        tr.t("Heures par jour", "Hours per day"),
        tr.t("Coût annuel", "Annual cost"),
        tr.t("Plafond", "Cap"),
        tr.t("Base annuelle", "Annual basis"),
        tr.t("Valeur unitaire", "Unit value"),
        tr.t("Valeur", "Value"),
        tr.t("Statut", "Status"),
        tr.t("Motif ou note", "Reason or note"),
    ];
    let mut ws = Worksheet::new();
    x(ws.set_name(name))?;
    note_header(&mut ws, tr);
    set_widths(
        &mut ws,
        &[7, 30, 14, 11, 11, 9, 9, 15, 8, 13, 13, 9, 12, 12, 9, 60],
    )?;
    let last = rows.max(1) + 1;
    if rows as usize <= max_table_rows {
        let mut totals: Vec<Total> = (0..heads.len()).map(|_| Total::None).collect();
        totals[0] = Total::Label("Total");
        totals[vcol::VALUE as usize] =
            Total::Sum(entries.iter().filter_map(|e| e.value).map(|v| v.0).sum());
        let table_name = format!(
            "{}{}",
            tr.t("Valorisation", "Valuation"),
            name.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        );
        let table = Table::new()
            .set_name(&table_name)
            .set_style(TableStyle::Light1)
            .set_total_row(true)
            .set_columns(&table_columns(&table_name, &heads, &totals, &f.header));
        x(ws.add_table(0, 0, last.min(LAST_ROW), vcol::LAST, &table))?;
    } else {
        plain_header(&mut ws, &heads, last - 1, &f.header)?;
    }
    x(ws.set_freeze_panes(1, 0))?;
    // Headers of two lines ("Heures par jour") stay inside their row.
    x(ws.set_row_height(0, 30))?;
    // The prototype row: a date, an amount and a formula in the detail's formats.
    ws.date(
        1,
        vcol::DATE,
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
        &f.date,
    )?;
    ws.num_as(1, vcol::QTY, Decimal::ZERO, &f.qty)?;
    ws.money(1, vcol::COST, Decimal::ZERO, &f.money)?;
    ws.formula(1, vcol::VALUE, "0", Decimal::ZERO, &f.money)?;
    Ok(ws)
}
