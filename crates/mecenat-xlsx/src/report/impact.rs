//! The Impact sheet (rules-association §4): per beneficiary and year, per project, the
//! programme (per company year, per calendar year, all years), the declared outputs, and a
//! chart of the days given per beneficiary and year. The market value is labelled and kept
//! apart, never added to the other values.
//!
//! Days and hours are written at full precision (shown with two decimals) so that the
//! formulas summing them give the report's own totals.

use std::collections::BTreeSet;

use mecenat::money::Money;
use mecenat::report::{ImpactReport, ProgrammeTotals, ProjectImpact, Report};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Worksheet};

use super::words::{cvn_method, output_unit};
use super::{a1, abs, note_header, num, set_widths, x, Fmts, Put, Res, Tr};

/// The sheet's name.
pub(super) fn name(tr: Tr) -> &'static str {
    tr.t("Impact", "Impact")
}

/// Columns of the per-beneficiary table the formulas read.
mod bc {
    pub const BEN: u16 = 0;
    pub const NAME: u16 = 1;
    pub const PERIOD: u16 = 2;
    pub const HOURS: u16 = 3;
    pub const DAYS: u16 = 4;
    pub const FTE: u16 = 5;
    pub const PEOPLE: u16 = 6;
    pub const COMPANIES: u16 = 7;
    pub const PROJECTS: u16 = 8;
    pub const AVG: u16 = 9;
    pub const ROTATION: u16 = 10;
    pub const DONOR: u16 = 11;
    pub const METHOD: u16 = 12;
    pub const CVN: u16 = 13;
    /// The declared outputs, one column per unit, from here.
    pub const OUTPUTS: u16 = 14;
}

/// Every output unit any row declares, in the report's order.
fn units(report: &Report) -> Vec<String> {
    let mut u: BTreeSet<&str> = BTreeSet::new();
    for b in &report.beneficiaries {
        u.extend(b.outputs.keys().map(String::as_str));
    }
    for p in &report.projects {
        u.extend(p.outputs.keys().map(String::as_str));
    }
    u.into_iter().map(str::to_string).collect()
}

/// A quantity at full precision (its format shows two decimals).
fn exact(ws: &mut Worksheet, r: u32, c: u16, d: Decimal, f: &Format) -> Res {
    x(ws.write_number_with_format(r, c, num(d), f)).map(|_| ())
}

fn heads(ws: &mut Worksheet, r: u32, heads: &[&str], f: &Fmts) -> Res {
    for (c, h) in heads.iter().enumerate() {
        ws.text(r, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
    }
    x(ws.set_row_height(r, 58)).map(|_| ())
}

pub(super) fn sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    let sheet = name(tr);
    x(ws.set_name(sheet))?;
    note_header(&mut ws, tr);
    let page = super::print::Page {
        landscape: true,
        ..Default::default()
    };
    super::print::setup(&mut ws, page, &super::print::company(report, tr), tr)?;
    ws.text(
        0,
        0,
        tr.t(
            "Impact : le temps réellement donné, par bénéficiaire, par projet et pour le programme",
            "Impact: the time really given, per beneficiary, per project and for the programme",
        ),
        Some(&f.title),
    )?;
    ws.text(
        1,
        0,
        tr.t(
            "Compté : le temps retenu pour l'entreprise et celui des bénéficiaires non éligibles ; ni le temps refusé ni les lignes rejetées. La valeur de marché est indicative, à part, jamais additionnée aux autres valeurs.",
            "Counted: the time retained for the company and the time given to ineligible beneficiaries; neither refused time nor rejected rows. The market value is indicative, apart, never added to the other values.",
        ),
        Some(&f.explain),
    )?;
    let units = units(report);
    set_widths(
        &mut ws,
        &[
            12, 34, 7, 11, 11, 11, 11, 11, 11, 11, 14, 14, 22, 14, 13, 13, 14, 14, 14, 14, 14,
        ],
    )?;
    let mut r = 3u32;
    if report.beneficiaries.is_empty() {
        ws.text(
            r,
            0,
            tr.t("Aucun temps donné.", "No time given."),
            Some(&f.explain),
        )?;
        return Ok(ws);
    }
    let (first, last) = (
        r + 2,
        r + 1 + u32::try_from(report.beneficiaries.len()).unwrap_or(0),
    );
    r = per_beneficiary(&mut ws, report, r, &units, tr, f)?;
    r = per_project(&mut ws, report, r + 1, &units, tr, f)?;
    r = programme(&mut ws, report, r + 1, (first, last), tr, f)?;
    if r > 30 {
        // The chart and its figures start a page of their own.
        x(ws.set_page_breaks(&[r + 1]))?;
    }
    chart(&mut ws, report, r + 1, sheet, (first, last), tr, f)?;
    x(ws.set_freeze_panes(0, 2))?;
    Ok(ws)
}

/// The section title at `r` and the table's header below; the first data row.
fn section(ws: &mut Worksheet, r: u32, title: &str, hs: &[&str], f: &Fmts) -> Res<u32> {
    ws.text(r, 0, title, Some(&f.section))?;
    heads(ws, r + 1, hs, f)?;
    Ok(r + 2)
}

/// The declared outputs of a row, one column per unit from `c0` (empty when not declared).
fn outputs(
    ws: &mut Worksheet,
    r: u32,
    c0: u16,
    units: &[String],
    o: &std::collections::BTreeMap<String, Option<mecenat::money::Qty>>,
    f: &Fmts,
) -> Res {
    for (k, u) in units.iter().enumerate() {
        if let Some(Some(q)) = o.get(u) {
            exact(ws, r, c0 + u16::try_from(k).unwrap_or(0), q.0, &f.qty)?;
        }
    }
    Ok(())
}

/// The market value, labelled, in the column after the others.
fn market(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<Money>,
    label: Option<&str>,
    f: &Fmts,
) -> Res {
    if let Some(v) = v {
        ws.money(r, c, v.0, &f.money)?;
    }
    if let Some(l) = label {
        ws.text(r, c + 1, l, Some(&f.explain))?;
    }
    Ok(())
}

fn per_beneficiary(
    ws: &mut Worksheet,
    report: &Report,
    r: u32,
    units: &[String],
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let mut hs = vec![
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("Nom", "Name"),
        tr.t("Année", "Year"),
        tr.t("Heures", "Hours"),
        tr.t("Jours", "Days"),
        tr.t("ETP", "FTE"),
        tr.t("Personnes", "People"),
        tr.t("Entreprises", "Companies"),
        tr.t("Projets", "Projects"),
        tr.t("Jours par personne", "Days per person"),
        tr.t(
            "Rotation (personnes par projet)",
            "Rotation (people per project)",
        ),
        tr.t("Valeur au coût du donateur", "Value at donor cost"),
        tr.t("Méthode des comptes", "Accounts' method"),
        tr.t("Valeur pour les comptes", "Value for the accounts"),
    ];
    let unit_names: Vec<String> = units.iter().map(|u| output_unit(tr, u)).collect();
    hs.extend(unit_names.iter().map(String::as_str));
    let mc = bc::OUTPUTS + u16::try_from(units.len()).unwrap_or(0);
    hs.push(tr.t(
        "Valeur de marché (indicative, à part)",
        "Market value (indicative, apart)",
    ));
    let mut r = section(
        ws,
        r,
        tr.t("Par bénéficiaire et par année", "Per beneficiary and year"),
        &hs,
        f,
    )?;
    for b in &report.beneficiaries {
        beneficiary_row(ws, r, b, tr, f)?;
        outputs(ws, r, bc::OUTPUTS, units, &b.outputs, f)?;
        market(ws, r, mc, b.value_market, None, f)?;
        r += 1;
    }
    // What the market value is, once under the table (the report labels each row alike).
    let mut labels: Vec<&str> = report
        .beneficiaries
        .iter()
        .filter_map(|b| b.value_market_label.as_deref())
        .collect();
    labels.dedup();
    for l in labels {
        let l = format!("{} {l}", tr.t("Valeur de marché :", "Market value:"));
        ws.text(r, 0, &l, Some(&f.explain))?;
        r += 1;
    }
    Ok(r)
}

fn beneficiary_row(ws: &mut Worksheet, r: u32, b: &ImpactReport, tr: Tr, f: &Fmts) -> Res {
    ws.text(r, bc::BEN, &b.beneficiary, None)?;
    ws.text(r, bc::NAME, &b.beneficiary_name, Some(&f.wrap_bottom))?;
    if b.beneficiary_name.chars().count() > 36 {
        x(ws.set_row_height(r, 30))?;
    }
    ws.text(r, bc::PERIOD, &b.period, None)?;
    exact(ws, r, bc::HOURS, b.hours.0, &f.qty)?;
    exact(ws, r, bc::DAYS, b.days.0, &f.qty)?;
    exact(ws, r, bc::FTE, b.fte.0, &f.qty)?;
    for (c, n) in [
        (bc::PEOPLE, b.volunteers),
        (bc::COMPANIES, b.companies),
        (bc::PROJECTS, b.projects),
    ] {
        exact(ws, r, c, Decimal::from(n), &f.count)?;
    }
    if b.volunteers > 0 {
        ws.formula(
            r,
            bc::AVG,
            &format!("{}/{}", a1(bc::DAYS, r), a1(bc::PEOPLE, r)),
            b.avg_days_per_volunteer.0,
            &qty_formula(),
        )?;
    }
    if let Some(q) = b.rotation {
        exact(ws, r, bc::ROTATION, q.0, &f.qty)?;
    }
    ws.money(r, bc::DONOR, b.value_donor_cost.0, &f.money)?;
    ws.text(r, bc::METHOD, cvn_method(tr, b.cvn_method), None)?;
    match b.value_cvn {
        Some(v) => ws.money(r, bc::CVN, v.0, &f.money),
        None => ws.text(r, bc::CVN, "—", None),
    }
}

/// Days or hours computed by a formula (green, two decimals shown).
fn qty_formula() -> Format {
    Format::new()
        .set_num_format(super::QTY_FMT)
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00_E2_EF_DA))
}

fn per_project(
    ws: &mut Worksheet,
    report: &Report,
    r: u32,
    units: &[String],
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    if report.projects.is_empty() {
        return Ok(r);
    }
    let mut hs = vec![
        tr.t("Bénéficiaire", "Beneficiary"),
        tr.t("Projet", "Project"),
        tr.t("Année", "Year"),
        tr.t("Heures", "Hours"),
        tr.t("Jours", "Days"),
        tr.t("Personnes (rotation)", "People (rotation)"),
        tr.t("Entreprises", "Companies"),
        tr.t("Premier jour", "First day"),
        tr.t("Dernier jour", "Last day"),
        tr.t("Semaines actives", "Active weeks"),
        tr.t("Semaines avec du temps", "Weeks with time"),
        tr.t("Continuité", "Continuity"),
        tr.t("Valeur au coût du donateur", "Value at donor cost"),
        tr.t("Valeur pour les comptes", "Value for the accounts"),
    ];
    let unit_names: Vec<String> = units.iter().map(|u| output_unit(tr, u)).collect();
    hs.extend(unit_names.iter().map(String::as_str));
    let mc = 14 + u16::try_from(units.len()).unwrap_or(0);
    hs.push(tr.t(
        "Valeur de marché (indicative, à part)",
        "Market value (indicative, apart)",
    ));
    let mut r = section(ws, r, tr.t("Par projet", "Per project"), &hs, f)?;
    for p in &report.projects {
        project_row(ws, r, p, f)?;
        outputs(ws, r, 14, units, &p.outputs, f)?;
        market(ws, r, mc, p.value_market, None, f)?;
        r += 1;
    }
    Ok(r)
}

fn project_row(ws: &mut Worksheet, r: u32, p: &ProjectImpact, f: &Fmts) -> Res {
    ws.text(r, 0, &p.beneficiary, None)?;
    ws.text(r, 1, &p.project, None)?;
    ws.text(r, 2, &p.period, None)?;
    exact(ws, r, 3, p.hours.0, &f.qty)?;
    exact(ws, r, 4, p.days.0, &f.qty)?;
    exact(ws, r, 5, Decimal::from(p.volunteers), &f.count)?;
    exact(ws, r, 6, Decimal::from(p.companies), &f.count)?;
    ws.date(r, 7, p.first_entry, &f.date)?;
    ws.date(r, 8, p.last_entry, &f.date)?;
    exact(ws, r, 9, Decimal::from(p.active_weeks), &f.count)?;
    exact(ws, r, 10, Decimal::from(p.weeks_with_entries), &f.count)?;
    if p.active_weeks > 0 {
        let share = Format::new()
            .set_num_format("0.00%")
            .set_background_color(rust_xlsxwriter::Color::RGB(0x00_E2_EF_DA));
        ws.formula(
            r,
            11,
            &format!("{}/{}", a1(10, r), a1(9, r)),
            p.continuity.0,
            &share,
        )?;
    }
    ws.money(r, 12, p.value_donor_cost.0, &f.money)?;
    match p.value_cvn {
        Some(v) => ws.money(r, 13, v.0, &f.money),
        None => ws.text(r, 13, "—", None),
    }
}

/// A sum over the per-beneficiary rows of one period (`crit`: the cell naming it).
fn period_sum(col: u16, (first, last): (u32, u32), crit: &str) -> String {
    format!(
        "SUMPRODUCT(EXACT({}:{},{crit})*{}:{})",
        abs(bc::PERIOD, first),
        abs(bc::PERIOD, last),
        abs(col, first),
        abs(col, last)
    )
}

fn programme(
    ws: &mut Worksheet,
    report: &Report,
    r: u32,
    rows: (u32, u32),
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let pg = &report.programme;
    let mut r = r;
    if !pg.companies.is_empty() {
        let hs = [
            tr.t("Entreprise", "Company"),
            tr.t("Exercice", "Fiscal year"),
            tr.t("Personnes", "People"),
            tr.t("Effectif éligible", "Eligible headcount"),
            tr.t("Taux de participation", "Participation rate"),
            tr.t("Heures", "Hours"),
            tr.t("Jours", "Days"),
            tr.t("Projets", "Projects"),
            tr.t("Bénéficiaires", "Beneficiaries"),
            tr.t("Jours d'intercontrat", "Bench days"),
            tr.t("dont donnés", "of which donated"),
            tr.t("Part donnée", "Share donated"),
            tr.t("Valeur au coût du donateur", "Value at donor cost"),
            tr.t(
                "dont retenue pour la réduction",
                "of which retained for the reduction",
            ),
        ];
        r = section(
            ws,
            r,
            tr.t(
                "Programme de l'entreprise, par exercice",
                "The company's programme, per fiscal year",
            ),
            &hs,
            f,
        )?;
        for c in &pg.companies {
            ws.text(r, 0, &c.company, None)?;
            ws.text(r, 1, &c.fiscal_year, None)?;
            exact(ws, r, 2, Decimal::from(c.volunteers), &f.count)?;
            if let Some(h) = c.eligible_headcount {
                exact(ws, r, 3, h.0, &f.count)?;
            }
            if let Some(p) = c.participation_rate {
                exact(ws, r, 4, p.0, &f.share)?;
            }
            exact(ws, r, 5, c.hours.0, &f.qty)?;
            exact(ws, r, 6, c.days.0, &f.qty)?;
            exact(ws, r, 7, Decimal::from(c.projects), &f.count)?;
            exact(ws, r, 8, Decimal::from(c.beneficiaries), &f.count)?;
            for (col, v, fm) in [
                (9u16, c.bench_days, &f.qty),
                (10, c.bench_days_donated, &f.qty),
                (11, c.bench_share_donated, &f.share),
            ] {
                if let Some(v) = v {
                    exact(ws, r, col, v.0, fm)?;
                }
            }
            ws.money(r, 12, c.value.0, &f.money)?;
            ws.money(r, 13, c.value_retained.0, &f.money)?;
            r += 1;
        }
        r += 1;
    }
    periods(ws, report, r, rows, tr, f)
}

/// The programme per calendar year (sums of the per-beneficiary rows as formulas) and over
/// all years.
fn periods(
    ws: &mut Worksheet,
    report: &Report,
    r: u32,
    rows: (u32, u32),
    tr: Tr,
    f: &Fmts,
) -> Res<u32> {
    let pg = &report.programme;
    let hs = [
        tr.t("Période", "Period"),
        tr.t("Heures", "Hours"),
        tr.t("dont salariés mis à disposition", "of which staff lent"),
        tr.t("dont bénévoles", "of which volunteers"),
        tr.t("Jours", "Days"),
        tr.t("ETP", "FTE"),
        tr.t("Personnes (distinctes)", "People (distinct)"),
        tr.t("Entreprises", "Companies"),
        tr.t("Bénéficiaires", "Beneficiaries"),
        tr.t("Projets", "Projects"),
        tr.t("Valeur au coût du donateur", "Value at donor cost"),
        tr.t("Valeur pour les comptes", "Value for the accounts"),
        tr.t(
            "Valeur de marché (indicative, à part)",
            "Market value (indicative, apart)",
        ),
    ];
    let mut r = section(
        ws,
        r,
        tr.t(
            "Programme : par année et toutes années",
            "Programme: per year and all years",
        ),
        &hs,
        f,
    )?;
    let first = r;
    let qf = qty_formula();
    for p in &pg.periods {
        let crit = a1(0, r);
        ws.text(r, 0, &p.period, None)?;
        ws.formula(r, 1, &period_sum(bc::HOURS, rows, &crit), p.hours.0, &qf)?;
        ws.formula(r, 4, &period_sum(bc::DAYS, rows, &crit), p.days.0, &qf)?;
        ws.formula(
            r,
            10,
            &period_sum(bc::DONOR, rows, &crit),
            p.value_donor_cost.0,
            &f.money_formula,
        )?;
        if let Some(v) = p.value_cvn {
            ws.formula(
                r,
                11,
                &period_sum(bc::CVN, rows, &crit),
                v.0,
                &f.money_formula,
            )?;
        }
        totals_row(ws, r, p, f)?;
        r += 1;
    }
    let t = &pg.totals;
    ws.text(r, 0, tr.t("Toutes années", "All years"), Some(&f.bold))?;
    if !pg.periods.is_empty() {
        let sum = |c: u16| format!("SUM({}:{})", a1(c, first), a1(c, r - 1));
        ws.formula(r, 1, &sum(1), t.hours.0, &qf)?;
        ws.formula(r, 4, &sum(4), t.days.0, &qf)?;
        ws.formula(r, 10, &sum(10), t.value_donor_cost.0, &f.money_formula)?;
        if let Some(v) = t.value_cvn {
            if pg.periods.iter().all(|p| p.value_cvn.is_some()) {
                ws.formula(r, 11, &sum(11), v.0, &f.money_formula)?;
            }
        }
    }
    totals_row(ws, r, t, f)?;
    Ok(r + 1)
}

/// The figures of a programme row that are not formulas.
fn totals_row(ws: &mut Worksheet, r: u32, p: &ProgrammeTotals, f: &Fmts) -> Res {
    exact(ws, r, 2, p.hours_staff_lent.0, &f.qty)?;
    exact(ws, r, 3, p.hours_volunteers.0, &f.qty)?;
    exact(ws, r, 5, p.fte.0, &f.qty)?;
    for (c, n) in [
        (6u16, p.volunteers),
        (7, p.companies),
        (8, p.beneficiaries),
        (9, p.projects),
    ] {
        exact(ws, r, c, Decimal::from(n), &f.count)?;
    }
    if let Some(v) = p.value_market {
        ws.money(r, 12, v.0, &f.money)?;
    }
    Ok(())
}

/// Days per beneficiary (rows) and year (columns) as formulas over the per-beneficiary
/// table, and their chart.
fn chart(
    ws: &mut Worksheet,
    report: &Report,
    r: u32,
    sheet: &str,
    (first, last): (u32, u32),
    tr: Tr,
    f: &Fmts,
) -> Res {
    let periods: Vec<&str> = report
        .programme
        .periods
        .iter()
        .map(|p| p.period.as_str())
        .collect();
    let mut bens: Vec<(&str, &str)> = Vec::new();
    for b in &report.beneficiaries {
        if !bens.iter().any(|(id, _)| *id == b.beneficiary) {
            bens.push((&b.beneficiary, &b.beneficiary_name));
        }
    }
    if periods.is_empty() || bens.is_empty() {
        return Ok(());
    }
    ws.text(
        r,
        0,
        tr.t(
            "Jours donnés par bénéficiaire et par année",
            "Days given per beneficiary and year",
        ),
        Some(&f.section),
    )?;
    let h = r + 1;
    ws.text(h, 0, tr.t("Bénéficiaire", "Beneficiary"), Some(&f.header))?;
    ws.text(h, 1, tr.t("Nom", "Name"), Some(&f.header))?;
    for (k, p) in periods.iter().enumerate() {
        ws.text(h, 2 + u16::try_from(k).unwrap_or(0), p, Some(&f.header))?;
    }
    let qf = qty_formula();
    for (i, (id, nm)) in bens.iter().enumerate() {
        let rr = h + 1 + u32::try_from(i).unwrap_or(0);
        ws.text(rr, 0, id, None)?;
        ws.text(rr, 1, nm, None)?;
        for (k, p) in periods.iter().enumerate() {
            let c = 2 + u16::try_from(k).unwrap_or(0);
            let days: Decimal = report
                .beneficiaries
                .iter()
                .filter(|b| b.beneficiary == *id && b.period == *p)
                .map(|b| b.days.0)
                .sum();
            let period = format!("{}${}", crate::cells::col_letters(u32::from(c)), h + 1);
            let formula = format!(
                "SUMPRODUCT(EXACT({}:{},{})*EXACT({}:{},{period})*{}:{})",
                abs(bc::BEN, first),
                abs(bc::BEN, last),
                abs(0, rr),
                abs(bc::PERIOD, first),
                abs(bc::PERIOD, last),
                abs(bc::DAYS, first),
                abs(bc::DAYS, last)
            );
            ws.formula(rr, c, &formula, days, &qf)?;
        }
    }
    let end = h + u32::try_from(bens.len()).unwrap_or(0);
    let mut chart = Chart::new(ChartType::Column);
    for k in 0..periods.len() {
        let c = 2 + u16::try_from(k).unwrap_or(0);
        chart
            .add_series()
            .set_name((sheet, h, c))
            .set_categories((sheet, h + 1, 1, end, 1))
            .set_values((sheet, h + 1, c, end, c));
    }
    chart.title().set_name(tr.t(
        "Jours donnés par bénéficiaire et par année",
        "Days given per beneficiary and year",
    ));
    chart.set_width(720).set_height(320);
    x(ws.insert_chart(end + 2, 0, &chart)).map(|_| ())
}
