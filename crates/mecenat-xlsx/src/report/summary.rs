//! The summary sheet: per company and fiscal year, the time given per beneficiary with its
//! chart, the rows read, warnings and assumptions.

use std::collections::HashMap;

use mecenat::money::Money;
use mecenat::report::{FiscalYearReport, Report};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Color, Format, Table, TableStyle, Url, Worksheet};

use super::{note_header, set_widths, table_columns, x, Fmts, Put, Res, Total, Tr};
use crate::cells::cell_text;

pub(super) fn sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    let name = tr.t("Synthèse", "Summary");
    x(ws.set_name(name))?;
    note_header(&mut ws, tr);
    ws.text(
        0,
        0,
        tr.t(
            "mecenat — rapport de mécénat de compétences (art. 238 bis CGI)",
            "mecenat — skills-sponsorship report (art. 238 bis CGI)",
        ),
        Some(&f.title),
    )?;
    x(ws.merge_range(1, 0, 1, 12, &report.disclaimer, &f.note))?;
    x(ws.set_row_height(1, 32))?;
    let policy = format!(
        "{} {} · mecenat {}",
        tr.t("Plafonnement des salaires :", "Salary cap:"),
        super::words::cap_method(tr, report.policies.cap_method),
        env!("CARGO_PKG_VERSION"),
    );
    ws.text(2, 0, &policy, Some(&f.explain))?;

    let top = alerts(&mut ws, report, 3, tr, f)?;
    fiscal_years(&mut ws, report, top, tr, f)?;
    let r = top + u32::try_from(report.fiscal_years.len()).unwrap_or(0) + 4;
    let r = time_per_beneficiary(&mut ws, report, r, name, tr, f)?;
    inputs_and_notes(&mut ws, report, r, tr, f)?;
    Ok(ws)
}

/// The table of fiscal years (row `top` its header), with its total row.
/// The headers of the fiscal years' table.
fn year_heads(tr: Tr) -> Vec<&'static str> {
    vec![
        tr.t("Entreprise", "Company"),
        tr.t("Exercice", "Fiscal year"),
        tr.t("Début", "Start"),
        tr.t("Clôture", "End"),
        tr.t("Régime", "Regime"),
        tr.t("Dons", "Donations"),
        tr.t("dont temps", "of which staff time"),
        tr.t("dont numéraire", "of which cash"),
        tr.t("dont nature", "of which in kind"),
        tr.t("Plafond", "Ceiling"),
        tr.t("Retenus de l'exercice", "Retained (this year)"),
        tr.t("Reports utilisés", "Carried used"),
        tr.t("Réduction d'impôt", "Tax reduction"),
        tr.t("Ligne 2069-RCI (€)", "Form 2069-RCI (EUR)"),
        tr.t("Excédent reporté", "Excess carried"),
        tr.t("Solde reporté (base)", "Carried balance"),
        tr.t("IS dû", "Tax due"),
        tr.t("Réduction imputée", "Reduction used"),
        tr.t("Report en impôt", "Unused reduction carried"),
        tr.t("Déclaration requise", "Declaration required"),
        tr.t("Contreparties", "Counterparts"),
        tr.t("Alerte contreparties", "Counterparts warning"),
        tr.t("Exclus", "Excluded"),
    ]
}

/// The total row of the fiscal years' table.
fn year_totals(fys: &[FiscalYearReport]) -> Vec<Total> {
    let sum = |g: &dyn Fn(&FiscalYearReport) -> Decimal| fys.iter().map(g).sum::<Decimal>();
    let osum = |g: &dyn Fn(&FiscalYearReport) -> Option<Money>| {
        fys.iter().filter_map(g).map(|m| m.0).sum::<Decimal>()
    };
    vec![
        Total::Label("Total"),
        Total::None,
        Total::None,
        Total::None,
        Total::None,
        Total::Sum(sum(&|y| y.donations.total.0)),
        Total::Sum(sum(&|y| y.donations.staff_time.0)),
        Total::Sum(sum(&|y| y.donations.cash.0)),
        Total::Sum(sum(&|y| y.donations.in_kind.0)),
        Total::None,
        Total::Sum(sum(&|y| y.retained_current.0)),
        Total::Sum(sum(&|y| y.retained_carried.0)),
        Total::Sum(sum(&|y| y.reduction.0)),
        Total::SumWhole(
            fys.iter()
                .map(|y| Decimal::from(y.form_2069_rci_reduction))
                .sum(),
        ),
        Total::Sum(sum(&|y| y.excess.0)),
        Total::None,
        Total::Sum(osum(&|y| y.tax_due)),
        Total::Sum(osum(&|y| y.reduction_used)),
        Total::None,
        Total::None,
        Total::Sum(sum(&|y| y.counterparts.0)),
        Total::None,
        Total::Sum(sum(&|y| y.excluded.0)),
    ]
}

fn fiscal_years(ws: &mut Worksheet, report: &Report, top: u32, tr: Tr, f: &Fmts) -> Res {
    let heads = year_heads(tr);
    let fys = &report.fiscal_years;
    let totals = year_totals(fys);
    if fys.is_empty() {
        ws.text(top, 0, tr.t("Aucun exercice.", "No fiscal year."), None)?;
    } else {
        let last = top + u32::try_from(fys.len()).unwrap_or(0) + 1;
        let table = Table::new()
            .set_name("Synthese")
            .set_style(TableStyle::Medium2)
            .set_total_row(true)
            .set_columns(&table_columns("Synthese", &heads, &totals, &f.header));
        x(ws.add_table(
            top,
            0,
            last,
            u16::try_from(heads.len() - 1).unwrap_or(0),
            &table,
        ))?;
        for (i, y) in fys.iter().enumerate() {
            let r = top + 1 + u32::try_from(i).unwrap_or(0);
            ws.text(r, 0, &y.company, None)?;
            ws.text(r, 1, &y.label, None)?;
            ws.date(r, 2, y.start, &f.date)?;
            ws.date(r, 3, y.end, &f.date)?;
            ws.text(r, 4, &super::words::regime(tr, y), Some(&f.wrap_bottom))?;
            x(ws.set_row_height(r, 48))?;
            let d = &y.donations;
            for (c, v) in [
                (5u16, d.total.0),
                (6, d.staff_time.0),
                (7, d.cash.0),
                (8, d.in_kind.0),
                (9, y.ceiling.0),
                (10, y.retained_current.0),
                (11, y.retained_carried.0),
                (12, y.reduction.0),
                (14, y.excess.0),
                (15, y.donations_carried_closing.0),
                (20, y.counterparts.0),
                (22, y.excluded.0),
            ] {
                ws.money(r, c, v, &f.money)?;
            }
            x(ws.write_number_with_format(r, 13, y.form_2069_rci_reduction as f64, &f.euro_int))?;
            for (c, v) in [
                (16u16, y.tax_due),
                (17, y.reduction_used),
                (18, y.reduction_carried_closing),
            ] {
                match v {
                    Some(m) => ws.money(r, c, m.0, &f.money)?,
                    None => ws.text(r, c, "—", None)?,
                }
            }
            ws.text(r, 19, yes_no(tr, y.declaration_required), None)?;
            ws.text(r, 21, if y.counterparts_warning { "⚠" } else { "" }, None)?;
        }
    }
    let mut widths = vec![15u16; heads.len()];
    widths[0] = 18;
    widths[1] = 30;
    widths[4] = 30;
    set_widths(ws, &widths)?;
    x(ws.set_row_height(top, 45))?;
    x(ws.set_freeze_panes(top + 1, 2))?;

    Ok(())
}

/// Days, hours and value given per beneficiary (id, name), most days first.
fn given_per_beneficiary(report: &Report) -> Vec<(String, String, Decimal, Decimal, Decimal)> {
    let mut per_ben: Vec<(String, String, Decimal, Decimal, Decimal)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for i in &report.beneficiaries {
        let k = *at.entry(i.beneficiary.as_str()).or_insert_with(|| {
            per_ben.push((
                i.beneficiary.clone(),
                i.beneficiary_name.clone(),
                Decimal::ZERO,
                Decimal::ZERO,
                Decimal::ZERO,
            ));
            per_ben.len() - 1
        });
        let b = &mut per_ben[k];
        b.2 += i.days.0;
        b.3 += i.hours.0;
        b.4 += i.value_donor_cost.0;
    }
    per_ben.retain(|b| !b.2.is_zero() || !b.3.is_zero());
    per_ben.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    per_ben
}

/// Days donated per beneficiary, with a chart of the 20 largest, from row `r`; returns
/// the row after it.
fn time_per_beneficiary(
    ws: &mut Worksheet,
    report: &Report,
    mut r: u32,
    name: &str,
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let per_ben = given_per_beneficiary(report);
    ws.text(
        r,
        0,
        tr.t("Temps donné par bénéficiaire", "Time given per beneficiary"),
        Some(&f.section),
    )?;
    r += 1;
    if per_ben.is_empty() {
        ws.text(r, 0, tr.t("Aucun temps donné.", "No time given."), None)?;
        r += 2;
    } else {
        let heads = [
            tr.t("Bénéficiaire", "Beneficiary"),
            tr.t("Nom", "Name"),
            tr.t("Jours", "Days"),
            tr.t("Heures", "Hours"),
            tr.t("Valeur (coût de revient)", "Value (cost price)"),
        ];
        let first = r;
        let last = r + u32::try_from(per_ben.len()).unwrap_or(0);
        let table = Table::new()
            .set_name("Temps_par_beneficiaire")
            .set_style(TableStyle::Light9)
            .set_columns(&table_columns("", &heads, &[], &f.header));
        x(ws.add_table(first, 0, last, 4, &table))?;
        for (i, (id, nm, days, hours, value)) in per_ben.iter().enumerate() {
            let rr = first + 1 + u32::try_from(i).unwrap_or(0);
            ws.text(rr, 0, id, None)?;
            ws.text(rr, 1, nm, Some(&f.wrap_bottom))?;
            if nm.chars().count() > 32 {
                x(ws.set_row_height(rr, 30))?;
            }
            ws.qty(rr, 2, *days)?;
            ws.qty(rr, 3, *hours)?;
            ws.money(rr, 4, *value, &f.money)?;
        }
        let shown = u32::try_from(per_ben.len().min(20)).unwrap_or(20);
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(tr.t("Jours donnés", "Days given"))
            .set_categories((name, first + 1, 1, first + shown, 1))
            .set_values((name, first + 1, 2, first + shown, 2));
        chart.title().set_name(if per_ben.len() > 20 {
            tr.t(
                "Jours donnés par bénéficiaire (20 premiers)",
                "Days given per beneficiary (top 20)",
            )
        } else {
            tr.t(
                "Jours donnés par bénéficiaire",
                "Days given per beneficiary",
            )
        });
        chart.legend().set_hidden();
        chart.y_axis().set_reverse();
        chart.set_width(720).set_height(320);
        x(ws.insert_chart(first, 6, &chart))?;
        r = last.max(first + 20) + 2;
    }

    Ok(r)
}

/// Rows read and rejected, warnings, assumptions, from row `r`.
fn inputs_and_notes(ws: &mut Worksheet, report: &Report, mut r: u32, tr: Tr, f: &Fmts) -> Res {
    ws.text(r, 0, tr.t("Lignes lues", "Rows read"), Some(&f.section))?;
    r += 1;
    for (c, h) in [
        tr.t("Table", "Table"),
        tr.t("Lignes", "Rows"),
        tr.t("Rejetées", "Rejected"),
    ]
    .iter()
    .enumerate()
    {
        ws.text(r, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
    }
    r += 1;
    for i in report.inputs.iter().filter(|i| i.rows > 0) {
        ws.text(r, 0, &super::words::table(tr, &i.table), None)?;
        x(ws.write_number_with_format(r, 1, i.rows as f64, &f.count))?;
        x(ws.write_number_with_format(r, 2, i.rejected as f64, &f.count))?;
        r += 1;
    }
    r += 1;
    for (title, list) in [
        (tr.t("Avertissements", "Warnings"), &report.warnings),
        (tr.t("Hypothèses", "Assumptions"), &report.assumptions),
    ] {
        if list.is_empty() {
            continue;
        }
        ws.text(r, 0, title, Some(&f.section))?;
        r += 1;
        // The first ten: the Synthèse stays one page; all are in the JSON report.
        for w in list.iter().take(SHOWN) {
            let w = super::words::warning(tr, w);
            x(ws.merge_range(r, 0, r, 12, cell_text(&w), &f.wrap))?;
            r += 1;
        }
        if list.len() > SHOWN {
            let more = format!(
                "{} {} {}",
                tr.t("… et", "… and"),
                list.len() - SHOWN,
                tr.t(
                    "autres, listés dans le rapport JSON (et la feuille Sources).",
                    "more, listed in the JSON report (and the Sources sheet)."
                )
            );
            ws.text(r, 0, &more, Some(&f.explain))?;
            r += 1;
        }
        r += 1;
    }
    Ok(())
}

/// The rejections and warnings, at the top of the sheet (from row `r`) when there are any:
/// their count, the amount set aside, a link to the Rejets sheet; the table's header row.
fn alerts(ws: &mut Worksheet, report: &Report, r: u32, tr: Tr, f: &Fmts) -> Res<u32> {
    let rejected = report.rejected.len();
    let warnings = report.warnings.len();
    let excluded: Decimal = report.fiscal_years.iter().map(|y| y.excluded.0).sum();
    if rejected == 0 && warnings == 0 && excluded.is_zero() {
        return Ok(r + 1);
    }
    let alert = Format::new()
        .set_bold()
        .set_font_color(Color::RGB(0x00_9C_00_06))
        .set_background_color(Color::RGB(0x00_FF_EB_9C));
    let mut parts = Vec::new();
    if rejected > 0 {
        parts.push(if tr.0 {
            format!(
                "{} rejetée{} (non valorisée{})",
                plural_fr(rejected, "ligne"),
                if rejected > 1 { "s" } else { "" },
                if rejected > 1 { "s" } else { "" }
            )
        } else {
            format!("{rejected} row(s) rejected (not valued)")
        });
    }
    if warnings > 0 {
        parts.push(if tr.0 {
            plural_fr(warnings, "avertissement")
        } else {
            format!("{warnings} warning(s)")
        });
    }
    if !excluded.is_zero() {
        parts.push(format!(
            "{} {}",
            tr.t(
                "montant écarté de la réduction (dons refusés ou à des bénéficiaires non éligibles) :",
                "amount set aside from the reduction (refused gifts or ineligible beneficiaries):"
            ),
            super::words::euros(tr, excluded)
        ));
    }
    let text = format!("⚠ {}", parts.join(" · "));
    x(ws.merge_range(r, 0, r, 12, &text, &alert))?;
    if rejected > 0 {
        let sheet = tr.t("Rejets", "Rejections");
        let url = Url::new(format!("internal:{}!A1", super::q(sheet))).set_text(tr.t(
            "→ voir la feuille Rejets (table, ligne, cellule, valeur et motif de chaque rejet)",
            "→ see the Rejections sheet (table, row, cell, value and reason of each)",
        ));
        x(ws.write_url(r + 1, 0, &url))?;
    } else {
        ws.text(
            r + 1,
            0,
            tr.t(
                "Les avertissements sont en bas de la feuille.",
                "The warnings are at the bottom of the sheet.",
            ),
            Some(&f.explain),
        )?;
    }
    Ok(r + 3)
}

/// Warnings and assumptions shown on the Synthèse (the others are counted).
const SHOWN: usize = 10;

/// `3 lignes`, `1 ligne`.
fn plural_fr(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n > 1 { "s" } else { "" })
}

fn yes_no(tr: Tr, b: bool) -> &'static str {
    if b {
        tr.t("oui", "yes")
    } else {
        tr.t("non", "no")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_report;

    #[test]
    fn time_is_summed_per_beneficiary_with_its_name_most_days_first() {
        let per_ben = given_per_beneficiary(&test_report());
        let ids: Vec<&str> = per_ben.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(ids, ["A1", "A2"]);
        assert_eq!(per_ben[0].1, "Association Un");
        assert_eq!(per_ben[1].1, "Association Deux");
        assert!(per_ben[0].2 > per_ben[1].2);
    }
}
