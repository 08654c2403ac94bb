//! The list sheets: the declaration list, the rejections and the sources.

use mecenat::report::Report;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Table, TableStyle, Worksheet};

use super::{
    note_header, num, plain_header, set_widths, table_columns, x, Fmts, Put, Res, Total, Tr,
};
use crate::cells::LAST_ROW;

pub(super) fn declaration_sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(tr.t("Déclaration", "Declaration")))?;
    note_header(&mut ws, tr);
    ws.text(
        0,
        0,
        tr.t(
            "Dons de plus de 10 000 € : liste à joindre au formulaire 2069-RCI-SD",
            "Donations above 10,000 EUR: the list for form 2069-RCI-SD",
        ),
        Some(&f.title),
    )?;
    ws.text(1, 0, &report.disclaimer, Some(&f.note))?;
    let heads = [
        tr.t("Entreprise", "Company"),
        tr.t("Exercice", "Fiscal year"),
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("Nom", "Name"),
        "SIREN",
        "RNA",
        tr.t("Adresse", "Address"),
        tr.t("Nature du don", "Kind of gift"),
        tr.t("Date", "Date"),
        tr.t("Jusqu'au", "Until"),
        tr.t("Montant", "Amount"),
        tr.t("Description", "Description"),
        tr.t("Contreparties reçues", "Counterparts received"),
    ];
    let top = 3u32;
    let count: usize = report
        .declarations
        .iter()
        .map(|d| d.gifts.len().max(1))
        .sum();
    if count == 0 {
        ws.text(
            top,
            0,
            tr.t(
                "Aucun exercice n'a plus de 10 000 € de dons : pas de liste à déclarer.",
                "No fiscal year has more than 10,000 EUR of donations: nothing to list.",
            ),
            Some(&f.explain),
        )?;
    } else {
        let total: Decimal = report.declarations.iter().map(|d| d.total.0).sum();
        let mut totals: Vec<Total> = (0..heads.len()).map(|_| Total::None).collect();
        totals[0] = Total::Label("Total");
        totals[10] = Total::Sum(total);
        let last = top + u32::try_from(count).unwrap_or(0) + 1;
        let table = Table::new()
            .set_name("Declaration")
            .set_style(TableStyle::Medium2)
            .set_total_row(true)
            .set_columns(&table_columns("Declaration", &heads, &totals, &f.header));
        x(ws.add_table(top, 0, last, 12, &table))?;
        declaration_rows(&mut ws, report, top + 1, tr, f)?;
    }
    set_widths(
        &mut ws,
        &[12, 10, 12, 28, 12, 12, 30, 20, 11, 11, 13, 30, 14],
    )?;
    x(ws.set_row_height(top, 30))?;
    x(ws.set_freeze_panes(top + 1, 0))?;
    Ok(ws)
}

/// The gifts of every declaration, one row each (from row `r`).
fn declaration_rows(ws: &mut Worksheet, report: &Report, mut r: u32, tr: Tr, f: &Fmts) -> Res {
    for d in &report.declarations {
        for (k, g) in d.gifts.iter().enumerate() {
            ws.text(r, 0, &d.company, None)?;
            ws.text(r, 1, &d.fiscal_year, None)?;
            ws.text(r, 2, &d.beneficiary, None)?;
            ws.text(r, 3, &d.beneficiary_name, None)?;
            ws.text(r, 4, d.siren.as_deref().unwrap_or(""), None)?;
            ws.text(r, 5, d.rna.as_deref().unwrap_or(""), None)?;
            ws.text(r, 6, d.address.as_deref().unwrap_or(""), None)?;
            let kind = match g.kind.as_str() {
                "staff_time" => tr.t("mécénat de compétences", "staff time"),
                "cash" => tr.t("numéraire", "cash"),
                "in_kind" => tr.t("en nature", "in kind"),
                _ => "",
            };
            ws.text(r, 7, if kind.is_empty() { &g.kind } else { kind }, None)?;
            ws.date(r, 8, g.date, &f.date)?;
            if let Some(e) = g.date_end {
                ws.date(r, 9, e, &f.date)?;
            }
            ws.money(r, 10, g.amount.0, &f.money)?;
            ws.text(r, 11, g.description.as_deref().unwrap_or(""), None)?;
            if k == 0 {
                ws.money(r, 12, d.counterparts.0, &f.money)?;
            }
            r += 1;
        }
        if d.gifts.is_empty() {
            ws.text(r, 0, &d.company, None)?;
            ws.text(r, 1, &d.fiscal_year, None)?;
            ws.text(r, 2, &d.beneficiary, None)?;
            ws.money(r, 12, d.counterparts.0, &f.money)?;
            r += 1;
        }
    }
    Ok(())
}

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
            ws.text(r, 0, &rf.parameter, None)?;
            match Decimal::from_str_exact(&rf.value) {
                Ok(d) => x(ws.write_number(r, 1, num(d))).map(|_| ())?,
                Err(_) => ws.text(r, 1, &rf.value, None)?,
            }
            ws.date(r, 2, rf.since, &f.date)?;
            ws.text(r, 3, &rf.source, Some(&f.wrap))?;
            ws.text(r, 4, &rf.description, Some(&f.wrap))?;
        }
    }
    let r = policies_and_notes(&mut ws, report, top + n + 2, tr, f)?;
    ws.text(r, 0, &report.disclaimer, Some(&f.note))?;
    set_widths(&mut ws, &[26, 14, 11, 70, 60])?;
    Ok(ws)
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
            match p.cap_method {
                mecenat::CapMethod::Rate => "rate".to_string(),
                mecenat::CapMethod::Period => "period".to_string(),
            },
        ),
        ("retention_order", p.retention_order.clone()),
        ("carried_order", p.carried_order.clone()),
        ("fixed_ceiling_proration", p.fixed_ceiling_proration.clone()),
    ] {
        ws.text(r, 0, k, Some(&f.bold))?;
        ws.text(r, 1, &v, None)?;
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
            ws.text(r, 0, a, None)?;
            r += 1;
        }
        r += 1;
    }
    Ok(r)
}
