//! The list sheets: the rejections and the sources (the declaration list is in
//! `declaration.rs`).

use mecenat::report::Report;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Table, TableStyle, Worksheet};

use super::{
    note_header, num, plain_header, set_widths, table_columns, words, x, Fmts, Put, Res, Tr,
};
use crate::cells::LAST_ROW;

// Rejets

pub(super) fn rejections_sheet(
    mut ws: Worksheet,
    report: &Report,
    tr: Tr,
    f: &Fmts,
    max_table_rows: usize,
) -> Res<Worksheet> {
    x(ws.set_name(tr.t("Rejets", "Rejections")))?;
    note_header(&mut ws, tr);
    set_widths(&mut ws, &[14, 7, 16, 14, 20, 80])?;
    let heads = [
        tr.t("Table", "Table"),
        tr.t("Ligne", "Row"),
        tr.t("Cellule", "Cell"),
        tr.t("Colonne", "Column"),
        tr.t("Valeur", "Value"),
        tr.t("Motif", "Reason"),
    ];
    let n = report.rejected.len().min(LAST_ROW as usize - 1);
    if n == 0 {
        ws.text(
            0,
            0,
            tr.t("Aucune ligne rejetée.", "No row rejected."),
            None,
        )?;
        return Ok(ws);
    }
    if n <= max_table_rows {
        let table = Table::new()
            .set_name(tr.t("Rejets", "Rejections"))
            .set_style(TableStyle::Light11)
            .set_columns(&table_columns("", &heads, &[], &f.header));
        x(ws.add_table(0, 0, u32::try_from(n).unwrap_or(1), 5, &table))?;
    } else {
        plain_header(&mut ws, &heads, u32::try_from(n).unwrap_or(1), &f.header)?;
    }
    x(ws.set_freeze_panes(1, 0))?;
    for (i, rj) in report.rejected.iter().take(n).enumerate() {
        let r = 1 + u32::try_from(i).unwrap_or(0);
        ws.text(r, 0, &super::words::table(tr, &rj.table), None)?;
        x(ws.write_number_with_format(r, 1, rj.row as f64, &f.count))?;
        ws.text(r, 2, rj.cell.as_deref().unwrap_or(""), None)?;
        ws.text(
            r,
            3,
            &super::words::column(tr, &rj.table, rj.key.as_deref().unwrap_or("")),
            None,
        )?;
        ws.text(r, 4, rj.value.as_deref().unwrap_or(""), None)?;
        let reason = if i + 1 == n && n < report.rejected.len() {
            format!(
                "{} ({} {})",
                super::words::rejection(tr, rj),
                report.rejected.len() - n,
                tr.t(
                    "autres rejets : voir le rapport JSON",
                    "more rejections: see the JSON report"
                )
            )
        } else {
            super::words::rejection(tr, rj)
        };
        ws.text(r, 5, &reason, None)?;
    }
    Ok(ws)
}

// Sources

pub(super) fn sources_sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name("Sources"))?;
    note_header(&mut ws, tr);
    ws.text(
        0,
        0,
        tr.t(
            "Sources : chaque paramètre légal utilisé, sa valeur, sa date et sa référence",
            "Sources: every legal parameter used, its value, date and reference",
        ),
        Some(&f.title),
    )?;
    x(ws.merge_range(1, 0, 1, 4, &report.disclaimer, &f.note))?;
    x(ws.set_row_height(1, 32))?;
    let heads = [
        tr.t("Paramètre", "Parameter"),
        tr.t("Valeur", "Value"),
        tr.t("Depuis", "Since"),
        tr.t("Référence", "Reference"),
        tr.t("Description", "Description"),
    ];
    let top = 3u32;
    let n = u32::try_from(report.references.len()).unwrap_or(0);
    if n > 0 {
        let table = Table::new()
            .set_name("Sources")
            .set_style(TableStyle::Light9)
            .set_columns(&table_columns("", &heads, &[], &f.header));
        x(ws.add_table(top, 0, top + n, 4, &table))?;
        for (i, rf) in report.references.iter().enumerate() {
            let r = top + 1 + u32::try_from(i).unwrap_or(0);
            ws.text(r, 0, &rf.parameter, Some(&f.wrap))?;
            value_cell(&mut ws, r, rf, f)?;
            ws.date(r, 2, rf.since, &f.date)?;
            let description = words::parameter(tr, rf);
            ws.text(r, 3, &rf.source, Some(&f.wrap))?;
            ws.text(r, 4, description, Some(&f.wrap))?;
            let height = words::wrapped_height(&[
                (rf.source.as_str(), SOURCES_WIDTHS[3]),
                (description, SOURCES_WIDTHS[4]),
            ]);
            x(ws.set_row_height(r, height))?;
        }
    }
    let r = supplied_values(&mut ws, report, top + n + 2, tr, f)?;
    let r = policies_and_notes(&mut ws, report, r, tr, f)?;
    ws.text(r, 0, &report.disclaimer, Some(&f.note))?;
    set_widths(&mut ws, &SOURCES_WIDTHS)?;
    Ok(ws)
}

/// The Sources sheet's column widths, in characters.
const SOURCES_WIDTHS: [u16; 5] = [24, 14, 11, 70, 60];

/// A parameter's value in column B of row `r`: a number in the value format, or a text
/// (a regime is a label, `2020`, not a number).
fn value_cell(ws: &mut Worksheet, r: u32, rf: &mecenat::report::Reference, f: &Fmts) -> Res {
    match Decimal::from_str_exact(&rf.value) {
        Ok(d) if rf.parameter != "regime" => {
            x(ws.write_number_with_format(r, 1, num(d), &f.value)).map(|_| ())
        }
        _ => ws.text(r, 1, &rf.value, Some(&f.wrap)),
    }
}

/// The legal values the scenario supplied (its `law` table) among those used, apart from
/// the library's own (from row `r`); the row after them (`r` when there are none).
fn supplied_values(ws: &mut Worksheet, report: &Report, mut r: u32, tr: Tr, f: &Fmts) -> Res<u32> {
    let supplied: Vec<_> = report
        .references
        .iter()
        .filter_map(|rf| rf.supplied_by.as_ref().map(|by| (rf, by)))
        .collect();
    if supplied.is_empty() {
        return Ok(r);
    }
    ws.text(
        r,
        0,
        tr.t(
            "Valeurs légales fournies par le scénario (table Loi), à vérifier sur leur source",
            "Legal values supplied by the scenario (law table), to check against their source",
        ),
        Some(&f.section),
    )?;
    r += 1;
    for (rf, by) in supplied {
        ws.text(r, 0, &rf.parameter, Some(&f.bold))?;
        value_cell(ws, r, rf, f)?;
        ws.date(r, 2, rf.since, &f.date)?;
        ws.text(r, 3, &rf.source, Some(&f.wrap))?;
        x(ws.set_row_height(
            r,
            words::wrapped_height(&[(rf.source.as_str(), SOURCES_WIDTHS[3])]),
        ))?;
        ws.text(
            r,
            4,
            &format!("{} {}", tr.t("table Loi, ligne", "law table, row"), by.row),
            None,
        )?;
        r += 1;
    }
    Ok(r + 1)
}

/// The policies applied, the assumptions and warnings (from row `r`); the row after them.
fn policies_and_notes(
    ws: &mut Worksheet,
    report: &Report,
    mut r: u32,
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    ws.text(
        r,
        0,
        tr.t("Politiques appliquées", "Policies applied"),
        Some(&f.section),
    )?;
    r += 1;
    let p = &report.policies;
    for (k, v) in [
        (
            "cap_method",
            words::cap_method(tr, p.cap_method).to_string(),
        ),
        (
            "retention_order",
            words::retention_order(tr, p.retention_order).to_string(),
        ),
        (
            "carried_order",
            words::carried_order(tr, p.carried_order).to_string(),
        ),
        (
            "fixed_ceiling_proration",
            words::fixed_ceiling_proration(tr, p.fixed_ceiling_proration).to_string(),
        ),
        ("journal_accounts", journal_accounts(p, tr)),
    ] {
        let label = words::policy(tr, k);
        // The label over the name and value columns, the value over the other three.
        x(ws.merge_range(r, 0, r, 1, &label, &f.bold))?;
        x(ws.merge_range(r, 2, r, 4, &v, &f.wrap))?;
        x(ws.set_row_height(
            r,
            words::wrapped_height(&[(
                v.as_str(),
                SOURCES_WIDTHS[2] + SOURCES_WIDTHS[3] + SOURCES_WIDTHS[4],
            )]),
        ))?;
        r += 1;
    }
    r += 1;
    for (title, list) in [
        (tr.t("Hypothèses", "Assumptions"), &report.assumptions),
        (tr.t("Avertissements", "Warnings"), &report.warnings),
    ] {
        if list.is_empty() {
            continue;
        }
        ws.text(r, 0, title, Some(&f.section))?;
        r += 1;
        for a in list {
            ws.text(r, 0, &words::warning(tr, a), None)?;
            r += 1;
        }
        r += 1;
    }
    Ok(r)
}

/// The journal's accounts policy as the Sources sheet shows it: `chart`, or
/// `sub_accounts` with the accounts to create under their parents.
fn journal_accounts(p: &mecenat::report::Policies, tr: Tr) -> String {
    match p.journal_accounts {
        mecenat::scenario::JournalAccounts::Chart => tr
            .t("les comptes du plan comptable (chart)", "chart")
            .to_string(),
        mecenat::scenario::JournalAccounts::SubAccounts => {
            let list: Vec<String> = (p.accounts_to_create.iter())
                .map(|a| format!("{} {} ({})", a.account, a.label, a.parent))
                .collect();
            let head = tr.t("sous-comptes à créer (sub_accounts) :", "sub_accounts:");
            format!("{head} {}", list.join(", "))
        }
    }
}
