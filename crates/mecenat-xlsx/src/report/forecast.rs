//! The Prévisions sheet: per company, its last fiscal year's figures for planning, then the
//! forecast of its donations ledger under both assumptions side by side (rules-company §8),
//! the fate of the excess carried at the last closing with its chart, and the assumptions.
//!
//! A projection, labelled as such and kept apart from the year's figures. Where the rule is
//! a formula the cell is one, with the report's figure as its cached value: the opening is
//! the previous closing, the year's gifts are retained up to the ceiling, the carried excess
//! fills the headroom left, the oldest lots (those that expire first) go first, and the
//! closing adds up. The formulas are checked against the report before they are written: a
//! projection they would not reproduce is written as the report's values (and says so).

use mecenat::money::round_cent;
use mecenat::report::{Assumption, FiscalYearReport, ForecastReport, Report};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartFormat, ChartSolidFill, ChartType, Color, Worksheet};

use super::layout::{Layout, Row};
use super::ledgers::{LedgerPlan, DCOL_CLOSE};
use super::{a1, abs, note_header, num, q, set_widths, x, Fmts, Put, Res, Tr};
use crate::cells::cell_text;

/// Columns shared by both projections: the projected year, its dates, the carried lots
/// reaching their last year.
const C_LABEL: u16 = 0;
const C_START: u16 = 1;
const C_END: u16 = 2;
const C_DUE: u16 = 3;
/// First column of each projection's block, and the block's columns.
const BLOCKS: [u16; 2] = [4, 14];
const OPEN: u16 = 0;
const GIFTS: u16 = 1;
const RET_CUR: u16 = 2;
const RET_CAR: u16 = 3;
const OF_START: u16 = 4;
const RED: u16 = 5;
const EXP: u16 = 6;
const CLOSE: u16 = 7;
const LEFT: u16 = 8;
/// Last column of the sheet.
const LAST_COL: u16 = 22;
/// The planning figures' value column.
const C_VALUE: u16 = 4;

pub(super) fn name(tr: Tr) -> &'static str {
    tr.t("Prévisions", "Forecast")
}

pub(super) fn sheet(
    report: &Report,
    tr: Tr,
    f: &Fmts,
    layout: &Layout,
    plan: &LedgerPlan,
) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    let sheet_name = name(tr);
    x(ws.set_name(sheet_name))?;
    note_header(&mut ws, tr);
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.text(
        0,
        0,
        tr.t(
            "Prévisions : le report en base projeté sur les cinq exercices suivants",
            "Forecast: the carry-forward of donations projected over the next five fiscal years",
        ),
        Some(&f.title),
    )?;
    x(ws.merge_range(
        1,
        0,
        1,
        LAST_COL,
        tr.t(
            "PROJECTION sous les hypothèses écrites en bas de la feuille, pas un chiffre d'un exercice : ces montants ne figurent dans aucune déclaration et ne se mêlent pas aux chiffres des exercices donnés (feuilles Synthèse, Calcul, Reports).",
            "A PROJECTION under the assumptions written at the bottom of the sheet, not a figure of any fiscal year: these amounts are in no return and are never mixed with the figures of the fiscal years given (Summary, Calculation, Carry-forwards sheets).",
        ),
        &f.note,
    ))?;
    x(ws.set_row_height(1, 30))?;
    x(ws.merge_range(2, 0, 2, LAST_COL, &report.disclaimer, &f.note))?;
    x(ws.set_row_height(2, 30))?;
    ws.text(
        3,
        0,
        tr.t(
            "Les cellules vertes sont des formules : leur valeur affichée est celle de mecenat, et Excel ou LibreOffice la recalcule à l'identique.",
            "Green cells are formulas: they show mecenat's figure, and Excel or LibreOffice recomputes the same one.",
        ),
        Some(&f.explain),
    )?;
    let mut r = 5u32;
    let companies = companies(report);
    if companies.is_empty() {
        ws.text(
            r,
            0,
            tr.t(
                "Aucune prévision (aucun exercice).",
                "No forecast (no fiscal year).",
            ),
            Some(&f.explain),
        )?;
        r += 2;
    }
    for (last, fcs) in companies {
        let c = Company::new(report, last, fcs, layout, plan);
        r = c.write(&mut ws, r, sheet_name, tr, f)?;
    }
    assumptions(&mut ws, report, r, tr, f)?;
    let mut widths = vec![13u16; usize::from(LAST_COL) + 1];
    widths[usize::from(C_LABEL)] = 12;
    widths[usize::from(C_START)] = 11;
    widths[usize::from(C_END)] = 11;
    widths[usize::from(C_DUE)] = 14;
    widths[usize::from(BLOCKS[1] - 1)] = 3;
    set_widths(&mut ws, &widths)?;
    Ok(ws)
}

/// Per company with a forecast, in report order: its last fiscal year and both forecasts.
fn companies(report: &Report) -> Vec<(&FiscalYearReport, [&ForecastReport; 2])> {
    let mut out = Vec::new();
    for (i, fc) in report.forecast.iter().enumerate() {
        if fc.assumption != Assumption::NoNewGifts {
            continue;
        }
        let Some(same) = report.forecast[i..]
            .iter()
            .find(|o| o.company == fc.company && o.assumption == Assumption::SameGiftsEachYear)
        else {
            continue;
        };
        let Some(last) = report
            .fiscal_years
            .iter()
            .find(|y| y.company == fc.company && y.label == fc.after)
        else {
            continue;
        };
        out.push((last, [fc, same]));
    }
    out
}

/// One projected year as the sheet's formulas compute it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Step {
    retained_carried: Decimal,
    of_start: Decimal,
    expired: Decimal,
}

/// The sheet's formulas for the carried excess, evaluated exactly: the year's gifts first
/// (`MIN(gifts, ceiling)`), then every lot open at the opening is usable this year
/// (`MIN(ceiling − retained, opening)`), the oldest first; the lots of the last closing come
/// before any the projection creates and expire oldest first, those the projection creates
/// do not expire within five years. `due[k]`: the last closing's lots whose last usable year
/// is projected year `k`. `None` when the formulas would not give the report's figures.
fn steps(fc: &ForecastReport, ceiling: Decimal, due: &[Decimal]) -> Option<Vec<Step>> {
    let zero = Decimal::ZERO;
    let start = fc.carried_at_start.0;
    let (mut out, mut gone, mut due_sum) = (Vec::new(), zero, zero);
    let (mut used, mut expired_sum) = (zero, zero);
    let mut opening = start;
    for (k, y) in fc.years.iter().enumerate() {
        due_sum += due.get(k).copied()?;
        let current = y.gifts.0.min(ceiling);
        let carried = (ceiling - current).min(opening);
        let of_start = carried.min((start - gone).max(zero));
        let expired = (due_sum - gone - carried).max(zero);
        let closing = opening + y.gifts.0 - current - carried - expired;
        if y.opening.0 != opening
            || y.retained_current.0 != current
            || y.retained_carried.0 != carried
            || y.expired.0 != expired
            || y.closing.0 != closing
        {
            return None;
        }
        gone += carried + expired;
        used += of_start;
        expired_sum += expired;
        opening = closing;
        out.push(Step {
            retained_carried: carried,
            of_start,
            expired,
        });
    }
    (used == fc.carried_used.0 && expired_sum == fc.carried_expired.0 && due_sum == start)
        .then_some(out)
}

/// What one company's block needs.
struct Company<'a> {
    last: &'a FiscalYearReport,
    fcs: [&'a ForecastReport; 2],
    layout: &'a Layout,
    /// Per projected year, the Reports sheet's closing cells of the last closing's lots whose
    /// last usable year it is, and their sum.
    due: Vec<(Vec<String>, Decimal)>,
    /// The rates of the lots of the last closing.
    lot_rates: Vec<Decimal>,
    /// Per assumption, the carried excess as the formulas compute it, when it is the
    /// report's.
    steps: [Option<Vec<Step>>; 2],
}

impl<'a> Company<'a> {
    fn new(
        report: &'a Report,
        last: &'a FiscalYearReport,
        fcs: [&'a ForecastReport; 2],
        layout: &'a Layout,
        plan: &LedgerPlan,
    ) -> Self {
        let years = &fcs[0].years;
        let mut due: Vec<(Vec<String>, Decimal)> = vec![(Vec::new(), Decimal::ZERO); years.len()];
        let mut due_ok = true;
        let mut lot_rates = Vec::new();
        for (i, l) in report.donations_ledger.iter().enumerate() {
            if l.company != last.company || l.fiscal_year != last.label || l.closing.0.is_zero() {
                continue;
            }
            lot_rates.push(l.rate.map_or(last.law.reduction_rate.0, |r| r.0));
            match years.iter().position(|y| y.end == l.usable_until) {
                Some(k) => {
                    due[k].0.push(format!(
                        "{}!{}",
                        q(&layout.reports),
                        abs(DCOL_CLOSE, plan.don_row(i))
                    ));
                    due[k].1 += l.closing.0;
                }
                None => due_ok = false,
            }
        }
        let amounts: Vec<Decimal> = due.iter().map(|d| d.1).collect();
        let steps = fcs.map(|fc| {
            due_ok
                .then(|| steps(fc, last.ceiling.0, &amounts))
                .flatten()
        });
        Company {
            last,
            fcs,
            layout,
            due,
            lot_rates,
            steps,
        }
    }

    /// A Calcul cell of the last fiscal year, or the value when the year has no column.
    fn calc(&self, ws: &mut Worksheet, r: u32, row: Row, v: Decimal, f: &Fmts) -> Res {
        match self.layout.col_of(&self.last.company, &self.last.label) {
            Some(col) => ws.formula(r, C_VALUE, &self.layout.cell(row, col), v, &f.money_formula),
            None => ws.money(r, C_VALUE, v, &f.money),
        }
    }

    /// The block from row `r`; returns the row after it.
    fn write(&self, ws: &mut Worksheet, mut r: u32, sheet: &str, tr: Tr, f: &Fmts) -> Res<u32> {
        let y = self.last;
        x(ws.merge_range(
            r,
            0,
            r,
            LAST_COL,
            cell_text(&format!(
                "{} {} — {} {}",
                tr.t("Entreprise", "Company"),
                y.company,
                tr.t(
                    "projection après l'exercice",
                    "projection after the fiscal year"
                ),
                y.label
            )),
            &f.section,
        ))?;
        r += 1;
        // The last fiscal year's figures for planning (labels spill over B–D).
        ws.text(
            r,
            0,
            tr.t(
                "Chiffres du dernier exercice donné (pour décider) :",
                "Figures of the last fiscal year given (to decide):",
            ),
            Some(&f.explain),
        )?;
        r += 1;
        let p = r;
        let label = |fr: &'static str, en: &'static str| tr.t(fr, en);
        let rows: [&str; 11] = [
            label("Dernier exercice donné", "Last fiscal year given"),
            label("Dons de l'exercice", "Donations of the year"),
            label("Plafond", "Ceiling"),
            label("Retenus de l'exercice", "Retained (this year)"),
            label("Excédents antérieurs utilisés", "Carried excesses used"),
            label(
                "Marge sous le plafond = MAX(0 ; plafond − retenus)",
                "Headroom = MAX(0; ceiling − retained)",
            ),
            label(
                "Taux marginal d'un euro de plus",
                "Marginal rate of one more euro",
            ),
            label(
                "Taux marginal, aide aux personnes en difficulté",
                "Marginal rate, aid to people in difficulty",
            ),
            label("Taux de réduction", "Reduction rate"),
            label(
                "Taux réduit (au-delà du seuil)",
                "Reduced rate (above the threshold)",
            ),
            label(
                "Excédent reporté à la clôture",
                "Excess carried at the closing",
            ),
        ];
        for (i, l) in rows.iter().enumerate() {
            ws.text(p + u32::try_from(i).unwrap_or(0), 0, l, Some(&f.bold))?;
        }
        ws.text(p, C_VALUE, &y.label, Some(&f.bold))?;
        ws.date(p, C_VALUE + 1, y.start, &f.date)?;
        ws.date(p, C_VALUE + 2, y.end, &f.date)?;
        self.calc(ws, p + 1, Row::Total, y.donations.total.0, f)?;
        self.calc(ws, p + 2, Row::Ceiling, y.ceiling.0, f)?;
        self.calc(ws, p + 3, Row::RetainedCurrent, y.retained_current.0, f)?;
        self.calc(ws, p + 4, Row::RetainedCarried, y.retained_carried.0, f)?;
        let v = |k: u32| a1(C_VALUE, p + k);
        let headroom =
            (y.ceiling.0 - y.retained_current.0 - y.retained_carried.0).max(Decimal::ZERO);
        if headroom == y.headroom.0 {
            ws.formula(
                p + 5,
                C_VALUE,
                &format!("ROUND(MAX(0,{}-{}-{}),2)", v(2), v(3), v(4)),
                y.headroom.0,
                &f.money_formula,
            )?;
        } else {
            ws.money(p + 5, C_VALUE, y.headroom.0, &f.money)?;
        }
        let rate = |ws: &mut Worksheet, r: u32, d: Decimal| -> Res {
            x(ws.write_number_with_format(r, C_VALUE, num(d), &f.rate)).map(|_| ())
        };
        rate(ws, p + 6, y.marginal_rate.0)?;
        rate(ws, p + 7, y.marginal_rate_aid.0)?;
        let std = y.law.reduction_rate.0;
        rate(ws, p + 8, std)?;
        let low = y.law.reduced_rate.map(|r| r.0).filter(|l| *l != std);
        match low {
            Some(l) => rate(ws, p + 9, l)?,
            None => ws.text(p + 9, C_VALUE, "—", None)?,
        }
        self.calc(
            ws,
            p + 10,
            Row::DonClosing,
            y.donations_carried_closing.0,
            f,
        )?;
        let cells = Cells {
            gifts: abs(C_VALUE, p + 1),
            ceiling: abs(C_VALUE, p + 2),
            std: (std, abs(C_VALUE, p + 8)),
            low: low.map(|l| (l, abs(C_VALUE, p + 9))),
            carried: abs(C_VALUE, p + 10),
        };
        r = p + 12;
        let (top, notes) = self.projections(ws, r, &cells, tr, f)?;
        r = top + 2;
        r = self.fate(ws, r, &cells, sheet, tr, f)?;
        for n in notes {
            ws.text(r, 0, n, Some(&f.explain))?;
            r += 1;
        }
        Ok(r + 1)
    }

    /// Both projections side by side from row `r`: returns the total row and the notes on
    /// the cells written as values.
    fn projections(
        &self,
        ws: &mut Worksheet,
        r: u32,
        cells: &Cells,
        tr: Tr,
        f: &Fmts,
    ) -> Res<(u32, Vec<&'static str>)> {
        let h = self.projection_heads(ws, r, tr, f)?;
        let first = h + 1;
        let total = self.due_column(ws, first, tr, f)?;
        let mut notes = Vec::new();
        for ((b, fc), steps) in BLOCKS.iter().zip(self.fcs).zip(&self.steps) {
            let at = Block {
                b: *b,
                first,
                total,
            };
            notes.extend(self.projection(ws, &at, fc, steps.as_deref(), cells, tr, f)?);
        }
        notes.dedup();
        Ok((total, notes))
    }

    /// The headers of both projections from row `r`; returns the header row.
    fn projection_heads(&self, ws: &mut Worksheet, r: u32, tr: Tr, f: &Fmts) -> Res<u32> {
        let y = self.last;
        let after = &y.label;
        x(ws.merge_range(r, 0, r, C_DUE, tr.t("Projection", "Projection"), &f.section))?;
        for (b, fc) in BLOCKS.iter().zip(self.fcs) {
            x(ws.merge_range(
                r,
                *b,
                r,
                b + LEFT,
                cell_text(&assumption_name(tr, fc.assumption, after)),
                &f.section,
            ))?;
        }
        let h = r + 1;
        let due_head = format!(
            "{} {after}",
            tr.t("Échéance des reports de", "Falling due, carried at")
        );
        ws.text(
            h,
            C_LABEL,
            tr.t("Exercice projeté", "Projected year"),
            Some(&f.header),
        )?;
        ws.text(h, C_START, tr.t("Début", "Start"), Some(&f.header))?;
        ws.text(h, C_END, tr.t("Clôture", "End"), Some(&f.header))?;
        ws.text(h, C_DUE, &due_head, Some(&f.header))?;
        let of_head = format!(
            "{} {after}",
            tr.t("dont reportés à la clôture de", "of which carried at")
        );
        let heads: [&str; 9] = [
            tr.t("Ouverture (reports)", "Opening (carried)"),
            tr.t("Dons", "Donations"),
            tr.t("Retenus de l'exercice", "Retained (this year)"),
            tr.t("Reports utilisés", "Carried used"),
            &of_head,
            tr.t("Réduction", "Reduction"),
            tr.t("Expirés", "Expired"),
            tr.t("Clôture (reports)", "Closing (carried)"),
            tr.t("Marge restante", "Headroom left"),
        ];
        for b in BLOCKS {
            for (i, head) in heads.iter().enumerate() {
                ws.text(h, b + u16::try_from(i).unwrap_or(0), head, Some(&f.header))?;
            }
        }
        x(ws.set_row_height(h, 45))?;
        Ok(h)
    }

    /// The years' labels and dates, and the lots falling due, from row `first`; returns
    /// the total row.
    fn due_column(&self, ws: &mut Worksheet, first: u32, tr: Tr, f: &Fmts) -> Res<u32> {
        let years = &self.fcs[0].years;
        let n = u32::try_from(years.len()).unwrap_or(0);
        let fm = &f.money_formula;
        for (k, py) in years.iter().enumerate() {
            let rr = first + u32::try_from(k).unwrap_or(0);
            ws.text(rr, C_LABEL, &py.end.format("%Y").to_string(), None)?;
            ws.date(rr, C_START, py.start, &f.date)?;
            ws.date(rr, C_END, py.end, &f.date)?;
            let (refs, amount) = &self.due[k];
            if refs.is_empty() {
                ws.money(rr, C_DUE, Decimal::ZERO, &f.money)?;
            } else {
                ws.formula(rr, C_DUE, &refs.join("+"), *amount, fm)?;
            }
        }
        let total = first + n;
        ws.text(total, C_LABEL, tr.t("Total", "Total"), Some(&f.bold))?;
        let sum = |c: u16| format!("SUM({}:{})", a1(c, first), a1(c, total.saturating_sub(1)));
        let due_total: Decimal = self.due.iter().map(|d| d.1).sum();
        ws.formula(total, C_DUE, &sum(C_DUE), due_total, fm)?;
        Ok(total)
    }

    /// One projection's block of columns: its years and its total row; returns the notes
    /// on the cells written as values.
    #[allow(clippy::too_many_arguments)]
    fn projection(
        &self,
        ws: &mut Worksheet,
        at_block: &Block,
        fc: &ForecastReport,
        steps: Option<&[Step]>,
        cells: &Cells,
        tr: Tr,
        f: &Fmts,
    ) -> Res<Vec<&'static str>> {
        let (b, first, total) = (at_block.b, at_block.first, at_block.total);
        let y = self.last;
        let fm = &f.money_formula;
        let sum = |c: u16| format!("SUM({}:{})", a1(c, first), a1(c, total.saturating_sub(1)));
        let mut notes = Vec::new();
        if steps.is_none() {
            notes.push(tr.t(
                "Reports utilisés et expirés : valeurs du rapport (l'âge des reports ne se ramène pas ici aux formules de la feuille).",
                "Carried used and expired: the report's values (the lots' ages do not reduce to the sheet's formulas here).",
            ));
        }
        let rate = reduction_rate(fc, y, &self.lot_rates, cells);
        if rate.is_none() {
            notes.push(tr.t(
                "Réduction : valeurs du rapport (montants à plusieurs taux, arrondis taux par taux).",
                "Reduction: the report's values (amounts at several rates, rounded rate by rate).",
            ));
        }
        let gifts_formula = fc.assumption == Assumption::SameGiftsEachYear
            && fc.years.iter().all(|g| g.gifts == y.donations.total);
        for (k, py) in fc.years.iter().enumerate() {
            let rr = first + u32::try_from(k).unwrap_or(0);
            let row = YearRow {
                b,
                k,
                rr,
                first,
                gifts_formula,
            };
            self.year_row(ws, &row, py, steps, rate.as_deref(), cells, f)?;
        }
        let total_of = |g: &dyn Fn(&mecenat::report::ForecastYear) -> Decimal| {
            fc.years.iter().map(g).sum::<Decimal>()
        };
        for (c, v) in [
            (GIFTS, total_of(&|g| g.gifts.0)),
            (RET_CUR, total_of(&|g| g.retained_current.0)),
            (RET_CAR, total_of(&|g| g.retained_carried.0)),
            (RED, total_of(&|g| g.reduction.0)),
            (EXP, total_of(&|g| g.expired.0)),
        ] {
            ws.formula(total, b + c, &sum(b + c), v, fm)?;
        }
        if let Some(s) = steps {
            let of: Decimal = s.iter().map(|s| s.of_start).sum();
            ws.formula(total, b + OF_START, &sum(b + OF_START), of, fm)?;
        }
        Ok(notes)
    }

    /// One projected year of one projection.
    #[allow(clippy::too_many_arguments)]
    fn year_row(
        &self,
        ws: &mut Worksheet,
        row: &YearRow,
        py: &mecenat::report::ForecastYear,
        steps: Option<&[Step]>,
        rate: Option<&str>,
        cells: &Cells,
        f: &Fmts,
    ) -> Res {
        let (b, k, rr, first, gifts_formula) = (row.b, row.k, row.rr, row.first, row.gifts_formula);
        let y = self.last;
        let fm = &f.money_formula;
        let at = |c: u16| a1(b + c, rr);
        let opening = if k == 0 {
            cells.carried.clone()
        } else {
            a1(b + CLOSE, rr - 1)
        };
        ws.formula(rr, b + OPEN, &opening, py.opening.0, fm)?;
        if gifts_formula {
            ws.formula(rr, b + GIFTS, &cells.gifts, py.gifts.0, fm)?;
        } else {
            ws.money(rr, b + GIFTS, py.gifts.0, &f.money)?;
        }
        ws.formula(
            rr,
            b + RET_CUR,
            &format!("MIN({},{})", at(GIFTS), cells.ceiling),
            py.retained_current.0,
            fm,
        )?;
        match steps {
            Some(s) => {
                let s = s[k];
                ws.formula(
                    rr,
                    b + RET_CAR,
                    &format!(
                        "ROUND(MIN({}-{},{}),2)",
                        cells.ceiling,
                        at(RET_CUR),
                        at(OPEN)
                    ),
                    s.retained_carried,
                    fm,
                )?;
                // What left the queue before this year: used and expired.
                let gone = if k == 0 {
                    "0".to_string()
                } else {
                    format!(
                        "SUM({}:{})+SUM({}:{})",
                        abs(b + RET_CAR, first),
                        a1(b + RET_CAR, rr - 1),
                        abs(b + EXP, first),
                        a1(b + EXP, rr - 1)
                    )
                };
                ws.formula(
                    rr,
                    b + OF_START,
                    &format!(
                        "ROUND(MIN({},MAX(0,{}-({gone}))),2)",
                        at(RET_CAR),
                        cells.carried
                    ),
                    s.of_start,
                    fm,
                )?;
                ws.formula(
                    rr,
                    b + EXP,
                    &format!(
                        "ROUND(MAX(0,SUM({}:{})-({gone})-{}),2)",
                        abs(C_DUE, first),
                        a1(C_DUE, rr),
                        at(RET_CAR)
                    ),
                    s.expired,
                    fm,
                )?;
            }
            None => {
                ws.money(rr, b + RET_CAR, py.retained_carried.0, &f.money)?;
                ws.text(rr, b + OF_START, "—", None)?;
                ws.money(rr, b + EXP, py.expired.0, &f.money)?;
            }
        }
        match &rate {
            Some(cell) => ws.formula(
                rr,
                b + RED,
                &format!("ROUND({cell}*({}+{}),2)", at(RET_CUR), at(RET_CAR)),
                py.reduction.0,
                fm,
            )?,
            None => ws.money(rr, b + RED, py.reduction.0, &f.money)?,
        }
        ws.formula(
            rr,
            b + CLOSE,
            &format!(
                "ROUND({}+{}-{}-{}-{},2)",
                at(OPEN),
                at(GIFTS),
                at(RET_CUR),
                at(RET_CAR),
                at(EXP)
            ),
            py.closing.0,
            fm,
        )?;
        ws.formula(
            rr,
            b + LEFT,
            &format!("ROUND({}-{}-{},2)", cells.ceiling, at(RET_CUR), at(RET_CAR)),
            y.ceiling.0 - py.retained_current.0 - py.retained_carried.0,
            fm,
        )?;
        Ok(())
    }

    /// The fate of the excess carried at the last closing, per assumption, with its chart,
    /// from row `r`; returns the row after it.
    fn fate(
        &self,
        ws: &mut Worksheet,
        r: u32,
        cells: &Cells,
        sheet: &str,
        tr: Tr,
        f: &Fmts,
    ) -> Res<u32> {
        let after = &self.last.label;
        let total = r - 2;
        x(ws.merge_range(
            r,
            0,
            r,
            C_DUE + 3,
            cell_text(&format!(
                "{} {after}",
                tr.t(
                    "Sort de l'excédent reporté à la clôture de",
                    "Fate of the excess carried at the closing of"
                )
            )),
            &f.section,
        ))?;
        for (c, h) in [
            (C_DUE, tr.t("Reporté", "Carried")),
            (C_DUE + 1, tr.t("Utilisé", "Used")),
            (C_DUE + 2, tr.t("Expiré", "Expired")),
            (
                C_DUE + 3,
                tr.t("Écart (doit être nul)", "Difference (must be nil)"),
            ),
        ] {
            ws.text(r + 1, c, h, Some(&f.header))?;
        }
        x(ws.set_row_height(r + 1, 30))?;
        let fm = &f.money_formula;
        for (i, (b, fc)) in BLOCKS.iter().zip(self.fcs).enumerate() {
            let rr = r + 2 + u32::try_from(i).unwrap_or(0);
            ws.text(
                rr,
                0,
                &assumption_name(tr, fc.assumption, after),
                Some(&f.bold),
            )?;
            ws.formula(rr, C_DUE, &cells.carried, fc.carried_at_start.0, fm)?;
            let used = a1(b + OF_START, total);
            if self.steps[i].is_some() {
                ws.formula(rr, C_DUE + 1, &used, fc.carried_used.0, fm)?;
            } else {
                ws.money(rr, C_DUE + 1, fc.carried_used.0, &f.money)?;
            }
            ws.formula(rr, C_DUE + 2, &a1(b + EXP, total), fc.carried_expired.0, fm)?;
            ws.formula(
                rr,
                C_DUE + 3,
                &format!(
                    "ROUND({}+{}-{},2)",
                    a1(C_DUE + 1, rr),
                    a1(C_DUE + 2, rr),
                    a1(C_DUE, rr)
                ),
                fc.carried_used.0 + fc.carried_expired.0 - fc.carried_at_start.0,
                fm,
            )?;
        }
        let (r1, r2) = (r + 2, r + 3);
        let mut chart = Chart::new(ChartType::ColumnStacked);
        for (c, color) in [(C_DUE + 1, 0x00_70_AD_47), (C_DUE + 2, 0x00_C0_50_4D)] {
            chart
                .add_series()
                .set_name((sheet, r + 1, c))
                .set_categories((sheet, r1, 0, r2, 0))
                .set_values((sheet, r1, c, r2, c))
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(color))),
                );
        }
        chart.title().set_name(&format!(
            "{} — {} {after}",
            self.last.company,
            tr.t(
                "sort de l'excédent reporté à la clôture de",
                "fate of the excess carried at the closing of"
            )
        ));
        chart.y_axis().set_num_format("#,##0 \"€\"");
        chart.set_width(620).set_height(300);
        x(ws.insert_chart(r, BLOCKS[0] + 5, &chart))?;
        Ok((r + 4).max(r + 16))
    }
}

/// The cells of the planning figures the projections' formulas read.
struct Cells {
    gifts: String,
    ceiling: String,
    std: (Decimal, String),
    low: Option<(Decimal, String)>,
    carried: String,
}

/// The rate cell of a projection's reduction when every amount it retains is at one rate
/// and `ROUND(rate × retained, 2)` gives the report's reduction each year (no half cent a
/// binary product could round the other way); `None` otherwise.
fn reduction_rate(
    fc: &ForecastReport,
    y: &FiscalYearReport,
    lots: &[Decimal],
    cells: &Cells,
) -> Option<String> {
    let std = y.law.reduction_rate.0;
    let low = y.law.reduced_rate.map_or(std, |r| r.0);
    let d = &y.donations;
    let mut rates: Vec<Decimal> = Vec::new();
    let gifts = fc.assumption == Assumption::SameGiftsEachYear;
    if gifts && !(d.aid60.0 + d.std60.0).is_zero() {
        rates.push(std);
    }
    if gifts && !d.std40.0.is_zero() {
        rates.push(low);
    }
    // The lots carried at the last closing, at their own rates.
    rates.extend_from_slice(lots);
    rates.sort();
    rates.dedup();
    let rate = match rates.as_slice() {
        [] => std,
        [r] => *r,
        _ => return None,
    };
    let cell = if rate == cells.std.0 {
        cells.std.1.clone()
    } else {
        cells.low.as_ref().filter(|l| l.0 == rate)?.1.clone()
    };
    let exact = fc.years.iter().all(|p| {
        let product = rate * (p.retained_current.0 + p.retained_carried.0);
        let half = (product * Decimal::from(1000)).fract().is_zero()
            && (product * Decimal::from(1000)) % Decimal::from(10) == Decimal::from(5);
        round_cent(product) == p.reduction.0 && !half
    });
    exact.then_some(cell)
}

/// The name of an assumption, as the block's title.
fn assumption_name(tr: Tr, a: Assumption, after: &str) -> String {
    match a {
        Assumption::NoNewGifts => tr.t("Sans nouveau don", "No new gifts").to_string(),
        Assumption::SameGiftsEachYear => format!(
            "{} {after})",
            tr.t(
                "Dons constants (niveau de",
                "Same gifts each year (level of"
            )
        ),
    }
}

/// The assumptions written out, from row `r`.
fn assumptions(ws: &mut Worksheet, report: &Report, mut r: u32, tr: Tr, f: &Fmts) -> Res {
    x(ws.merge_range(
        r,
        0,
        r,
        LAST_COL,
        tr.t(
            "Hypothèses de la projection",
            "Assumptions of the projection",
        ),
        &f.section,
    ))?;
    r += 1;
    let mut lines: Vec<String> = [
        tr.t(
            "Cinq exercices projetés après le dernier exercice donné de chaque entreprise, de douze mois chacun : chacun commence le lendemain de la clôture du précédent.",
            "Five projected fiscal years after each company's last one given, twelve months each: each starts the day after the previous one ends.",
        ),
        tr.t(
            "Le plafond du dernier exercice est conservé (chiffre d'affaires inchangé), comme la loi de cet exercice (taux, seuil du taux réduit).",
            "The last fiscal year's ceiling is kept (turnover unchanged), as is that year's law (rates, reduced-rate threshold).",
        ),
        tr.t(
            "Sans nouveau don : aucun don pendant les exercices projetés. Dons constants : chaque exercice projeté reçoit les dons du dernier exercice, poste par poste (aide aux personnes en difficulté, autres dons jusqu'au seuil, au-delà du seuil).",
            "No new gifts: no donation in the projected years. Same gifts each year: each projected year gets the last fiscal year's donations, bucket by bucket (aid to people in difficulty, other gifts up to the threshold, above it).",
        ),
        tr.t(
            "Les règles de l'article 238 bis telles quelles : les dons de l'exercice d'abord, dans la limite du plafond, puis les excédents reportés dans la marge restante, les plus anciens d'abord ; un excédent expire après les cinq exercices qui suivent son exercice d'origine.",
            "The rules of article 238 bis as they are: the year's gifts first, up to the ceiling, then the carried excesses in the headroom left, oldest first; an excess expires after the five fiscal years that follow its origin year.",
        ),
        tr.t(
            "Le sort de l'excédent reporté ne porte que sur les excédents existant à la clôture du dernier exercice donné, pas sur ceux que la projection crée (qui n'expirent pas dans les cinq ans).",
            "The fate of the carried excess covers only the excesses at the last closing given, not those the projection creates (which do not expire within five years).",
        ),
        tr.t(
            "Formules : ouverture = clôture précédente (la première : l'excédent reporté à la dernière clôture) ; retenus de l'exercice = MIN(dons ; plafond) ; reports utilisés = MIN(plafond − retenus ; ouverture) ; expirés = MAX(0 ; échéances cumulées − reports déjà sortis − reports utilisés) ; clôture = ouverture + dons − retenus − reports utilisés − expirés.",
            "Formulas: opening = previous closing (the first: the excess carried at the last closing); retained = MIN(donations; ceiling); carried used = MIN(ceiling − retained; opening); expired = MAX(0; cumulated lots due − carried already out − carried used); closing = opening + donations − retained − carried used − expired.",
        ),
        tr.t(
            "Les plus anciens reports sont utilisés et expirent les premiers : c'est ce qui rend ces formules exactes. Réduction = ARRONDI(taux × (retenus + reports utilisés) ; 2) quand tout est à un même taux ; sinon valeur du rapport, arrondie taux par taux.",
            "The oldest lots are used and expire first: that is what makes these formulas exact. Reduction = ROUND(rate × (retained + carried used); 2) when all is at one rate; otherwise the report's value, rounded rate by rate.",
        ),
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    for a in report
        .assumptions
        .iter()
        .filter(|a| a.starts_with("forecast"))
    {
        lines.push(format!(
            "{} {}",
            tr.t("Hypothèse du rapport :", "The report's assumption:"),
            super::words::warning(tr, a)
        ));
    }
    for l in lines {
        x(ws.merge_range(r, 0, r, LAST_COL, cell_text(&l), &f.wrap))?;
        let chars = u32::try_from(l.chars().count()).unwrap_or(0);
        x(ws.set_row_height(r, f64::from(15 * (chars / 300 + 1))))?;
        r += 1;
    }
    Ok(())
}

/// Where a projection's block of columns stands.
struct Block {
    b: u16,
    first: u32,
    total: u32,
}

/// One projected year's row in a block.
struct YearRow {
    b: u16,
    k: usize,
    rr: u32,
    first: u32,
    gifts_formula: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_report;

    #[test]
    fn the_formulas_reproduce_the_reports_projection() {
        let report = test_report();
        let layout = Layout::new(&report, Tr(true), &[]);
        let plan = LedgerPlan::new(&report);
        let all = companies(&report);
        assert_eq!(all.len(), 1);
        let (last, fcs) = all[0];
        assert_eq!(last.label, "2026");
        let c = Company::new(&report, last, fcs, &layout, &plan);
        // Every lot of the last closing falls due in a projected year, and its cell is the
        // Reports sheet's closing.
        let due: Decimal = c.due.iter().map(|d| d.1).sum();
        assert_eq!(due, fcs[0].carried_at_start.0);
        assert!(c
            .due
            .iter()
            .flat_map(|d| &d.0)
            .all(|r| r.starts_with("'Reports'!$J$")));
        for (fc, s) in fcs.iter().zip(&c.steps) {
            let s = s.as_ref().expect("the formulas reproduce the report");
            let used: Decimal = s.iter().map(|s| s.of_start).sum();
            assert_eq!(used, fc.carried_used.0);
        }
        // A report the formulas would not reproduce is refused (written as values).
        let mut wrong = fcs[0].clone();
        wrong.years[0].expired.0 += Decimal::ONE;
        let amounts: Vec<Decimal> = c.due.iter().map(|d| d.1).collect();
        assert!(steps(&wrong, last.ceiling.0, &amounts).is_none());
    }

    #[test]
    fn the_reduction_is_a_formula_only_at_one_rate() {
        let report = test_report();
        let (last, fcs) = companies(&report)[0];
        let cells = Cells {
            gifts: "G".into(),
            ceiling: "C".into(),
            std: (last.law.reduction_rate.0, "S".into()),
            low: None,
            carried: "K".into(),
        };
        let std = last.law.reduction_rate.0;
        assert_eq!(
            reduction_rate(fcs[0], last, &[std], &cells).as_deref(),
            Some("S")
        );
        assert_eq!(
            reduction_rate(fcs[0], last, &[std, Decimal::new(4, 1)], &cells),
            None
        );
        assert_eq!(
            assumption_name(Tr(true), Assumption::SameGiftsEachYear, "2026"),
            "Dons constants (niveau de 2026)"
        );
    }
}
