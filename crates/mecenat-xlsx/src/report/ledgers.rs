//! The Reports sheet: both carry-forward ledgers, each line's opening linked to the line
//! of the previous fiscal year it continues, its use and expiry as formulas on the Calcul
//! sheet's headroom and tax.

use std::collections::HashMap;

use mecenat::report::{LedgerLine, Report};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Table, TableStyle, Worksheet};

use super::layout::{Layout, Row};
use super::{a1, abs, note_header, num, set_widths, table_columns, x, Fmts, Put, Res, Tr};

pub(super) const DCOL_RATE: u16 = 4;
const DCOL_OPEN: u16 = 5;
const DCOL_ADDED: u16 = 6;
pub(super) const DCOL_USED: u16 = 7;
pub(super) const DCOL_EXPIRED: u16 = 8;
pub(super) const DCOL_CLOSE: u16 = 9;
const RCOL_OPEN: u16 = 4;
const RCOL_ADDED: u16 = 5;
const RCOL_USED: u16 = 6;
pub(super) const RCOL_EXPIRED: u16 = 7;
const RCOL_CLOSE: u16 = 8;

/// Where each ledger line sits and which line of the previous year it continues.
pub(super) struct LedgerPlan {
    /// Donations ledger: first data row (0-based) and, per line, the row of the line of
    /// the previous fiscal year it continues, if any.
    don_first: u32,
    don_prev: Vec<Option<u32>>,
    /// Per (company, label): the donations ledger rows of that year (first, last).
    pub(super) don_block: HashMap<(String, String), (u32, u32)>,
    red_first: u32,
    red_prev: Vec<Option<u32>>,
    pub(super) red_block: HashMap<(String, String), (u32, u32)>,
}

const LEDGER_TOP: u32 = 4;
/// First column of the reduction ledger on the Reports sheet.
pub(super) const RED_COL: u16 = 12;

impl LedgerPlan {
    pub(super) fn new(report: &Report) -> LedgerPlan {
        let first = LEDGER_TOP + 1;
        let (don_prev, don_block) = Self::links(&report.donations_ledger, report, first);
        let (red_prev, red_block) = Self::links(&report.reduction_ledger, report, first);
        LedgerPlan {
            don_first: first,
            don_prev,
            don_block,
            red_first: first,
            red_prev,
            red_block,
        }
    }

    /// The sheet row (0-based) of the donations ledger's line `i`.
    pub(super) fn don_row(&self, i: usize) -> u32 {
        self.don_first + u32::try_from(i).unwrap_or(0)
    }

    #[allow(clippy::type_complexity)]
    fn links(
        lines: &[LedgerLine],
        report: &Report,
        first: u32,
    ) -> (Vec<Option<u32>>, HashMap<(String, String), (u32, u32)>) {
        let row = |i: usize| first + u32::try_from(i).unwrap_or(0);
        let mut blocks: HashMap<(String, String), (u32, u32)> = HashMap::new();
        let mut block_lines: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let k = (l.company.clone(), l.fiscal_year.clone());
            blocks
                .entry(k.clone())
                .and_modify(|b| b.1 = row(i))
                .or_insert((row(i), row(i)));
            block_lines.entry(k).or_default().push(i);
        }
        // The previous fiscal year of each (company, label).
        let mut prev_fy: HashMap<(String, String), String> = HashMap::new();
        for w in report.fiscal_years.windows(2) {
            if w[0].company == w[1].company {
                prev_fy.insert(
                    (w[1].company.clone(), w[1].label.clone()),
                    w[0].label.clone(),
                );
            }
        }
        let same = |a: &LedgerLine, b: &LedgerLine| {
            a.origin == b.origin && a.origin_end == b.origin_end && a.rate == b.rate
        };
        let mut prev = vec![None; lines.len()];
        for (k, idx) in &block_lines {
            let Some(p) = prev_fy.get(k) else { continue };
            let Some(pidx) = block_lines.get(&(k.0.clone(), p.clone())) else {
                continue;
            };
            let mut used = vec![false; pidx.len()];
            for &i in idx {
                let l = &lines[i];
                if l.origin == l.fiscal_year {
                    continue;
                }
                if let Some(j) = (0..pidx.len()).find(|&j| {
                    !used[j] && same(&lines[pidx[j]], l) && lines[pidx[j]].closing.0 > Decimal::ZERO
                }) {
                    used[j] = true;
                    if lines[pidx[j]].closing == l.opening {
                        prev[i] = Some(row(pidx[j]));
                    }
                }
            }
        }
        (prev, blocks)
    }
}

pub(super) fn sheet(
    report: &Report,
    tr: Tr,
    f: &Fmts,
    layout: &Layout,
    plan: &LedgerPlan,
) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(&layout.reports))?;
    note_header(&mut ws, tr);
    ws.text(
        0,
        0,
        tr.t(
            "Reports : les excédents de dons (report en base) et les réductions non imputées (report en impôt), par exercice d'origine",
            "Carry-forwards: excess donations and unused reductions, by origin year",
        ),
        Some(&f.title),
    )?;
    x(ws.merge_range(1, 0, 1, 10, &report.disclaimer, &f.note))?;
    x(ws.set_row_height(1, 32))?;
    ws.text(
        LEDGER_TOP - 1,
        0,
        tr.t(
            "Report en base (excédents de dons, 5 exercices)",
            "Excess donations (5 fiscal years)",
        ),
        Some(&f.section),
    )?;
    ws.text(
        LEDGER_TOP - 1,
        RED_COL,
        tr.t(
            "Report en impôt (réductions non imputées, 5 exercices)",
            "Unused reductions (5 fiscal years)",
        ),
        Some(&f.section),
    )?;
    let ledger = Ledger {
        report,
        layout,
        plan,
        fm: &f.money_formula,
        f,
    };
    ledger.donations(&mut ws, tr)?;
    ledger.reductions(&mut ws, tr)?;
    let mut widths = vec![11u16; 22];
    widths[11] = 3;
    set_widths(&mut ws, &widths)?;
    x(ws.set_row_height(LEDGER_TOP, 30))?;
    x(ws.set_freeze_panes(LEDGER_TOP + 1, 0))?;
    Ok(ws)
}

/// What the ledgers' lines need.
struct Ledger<'a> {
    report: &'a Report,
    layout: &'a Layout,
    plan: &'a LedgerPlan,
    f: &'a Fmts,
    fm: &'a Format,
}

impl Ledger<'_> {
    /// The Calcul column of a line's fiscal year.
    fn col_of(&self, l: &LedgerLine) -> u16 {
        self.layout.col_of(&l.company, &l.fiscal_year).unwrap_or(2)
    }

    /// Rows `first` to `r` of a year's block: `used` is what is left of `budget` (a Calcul
    /// cell) after the lines above, at most the opening.
    fn used(&self, open: u16, used: u16, r: u32, first: u32, budget: &str) -> String {
        if r == first {
            format!("MIN({},{budget})", a1(open, r))
        } else {
            format!(
                "MIN({},{budget}-SUM({}:{}))",
                a1(open, r),
                abs(used, first),
                a1(used, r - 1)
            )
        }
    }

    /// Expired (the whole balance, in its last usable year) and closing, as formulas.
    fn expired_and_closing(&self, ws: &mut Worksheet, r: u32, c0: u16, l: &LedgerLine) -> Res {
        let (open, added, used) = (a1(c0, r), a1(c0 + 1, r), a1(c0 + 2, r));
        if l.last_usable_year {
            ws.formula(
                r,
                c0 + 3,
                &format!("{open}+{added}-{used}"),
                l.expired.0,
                self.fm,
            )?;
        } else {
            ws.money(r, c0 + 3, l.expired.0, &self.f.money)?;
        }
        ws.formula(
            r,
            c0 + 4,
            &format!("{open}+{added}-{used}-{}", a1(c0 + 3, r)),
            l.closing.0,
            self.fm,
        )
    }

    fn donations(&self, ws: &mut Worksheet, tr: Tr) -> Res {
        let f = self.f;
        let dheads = [
            tr.t("Entreprise", "Company"),
            tr.t("Exercice", "Fiscal year"),
            tr.t("Origine", "Origin"),
            tr.t("Clôture d'origine", "Origin end"),
            tr.t("Taux", "Rate"),
            tr.t("Ouverture", "Opening"),
            tr.t("Ajouté", "Added"),
            tr.t("Utilisé", "Used"),
            tr.t("Expiré", "Expired"),
            tr.t("Clôture", "Closing"),
            tr.t("Utilisable jusqu'au", "Usable until"),
        ];
        let lines = &self.report.donations_ledger;
        if lines.is_empty() {
            return ws.text(
                LEDGER_TOP,
                0,
                tr.t("(aucun excédent)", "(no excess)"),
                Some(&f.explain),
            );
        }
        let last = self.plan.don_first + u32::try_from(lines.len()).unwrap_or(0) - 1;
        let table = Table::new()
            .set_name("Report_base")
            .set_style(TableStyle::Light9)
            .set_columns(&table_columns("", &dheads, &[], &f.header));
        x(ws.add_table(LEDGER_TOP, 0, last, 10, &table))?;
        let mut block_start: HashMap<(String, String), u32> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let r = self.plan.don_first + u32::try_from(i).unwrap_or(0);
            let first = *block_start
                .entry((l.company.clone(), l.fiscal_year.clone()))
                .or_insert(r);
            self.donation_line(ws, i, r, first, l)?;
        }
        Ok(())
    }

    fn donation_line(
        &self,
        ws: &mut Worksheet,
        i: usize,
        r: u32,
        first: u32,
        l: &LedgerLine,
    ) -> Res {
        let (f, fm) = (self.f, self.fm);
        let col = self.col_of(l);
        ws.text(r, 0, &l.company, None)?;
        ws.text(r, 1, &l.fiscal_year, None)?;
        ws.text(r, 2, &l.origin, None)?;
        ws.date(r, 3, l.origin_end, &f.date)?;
        if let Some(rate) = &l.rate {
            x(ws.write_number_with_format(r, DCOL_RATE, num(rate.0), &f.rate))?;
        }
        match self.plan.don_prev[i] {
            Some(p) => ws.formula(r, DCOL_OPEN, &a1(DCOL_CLOSE, p), l.opening.0, fm)?,
            None => ws.money(r, DCOL_OPEN, l.opening.0, &f.money)?,
        }
        // A lot created this year: its part of the year's excess, by rate.
        let added = if l.origin == l.fiscal_year {
            let (std, low) = self.year_rates(l);
            let (c, c2) = (
                self.layout.cell(Row::ExcessStd, col),
                self.layout.cell(Row::ExcessLow, col),
            );
            match (std, low) {
                (true, true) => format!("{c}+{c2}"),
                (true, false) => c,
                (false, true) => c2,
                (false, false) => String::new(),
            }
        } else {
            String::new()
        };
        if added.is_empty() {
            ws.money(r, DCOL_ADDED, l.added.0, &f.money)?;
        } else {
            ws.formula(r, DCOL_ADDED, &added, l.added.0, fm)?;
        }
        let headroom = self.layout.cell(Row::Headroom, col);
        let used = self.used(DCOL_OPEN, DCOL_USED, r, first, &headroom);
        ws.formula(r, DCOL_USED, &used, l.used.0, fm)?;
        self.expired_and_closing(ws, r, DCOL_OPEN, l)?;
        ws.date(r, 10, l.usable_until, &f.date)
    }

    /// Whether a new lot of a fiscal year collects the year's excess at the standard rate,
    /// at the reduced rate, or both (when they are the same rate).
    fn year_rates(&self, l: &LedgerLine) -> (bool, bool) {
        let year = self
            .report
            .fiscal_years
            .iter()
            .find(|y| y.company == l.company && y.label == l.fiscal_year);
        let (Some(y), Some(rate)) = (year, l.rate) else {
            return (false, false);
        };
        let std = y.law.reduction_rate.0;
        let low = y.law.reduced_rate.map_or(std, |r| r.0);
        (rate.0 == std, rate.0 == low)
    }

    fn reductions(&self, ws: &mut Worksheet, tr: Tr) -> Res {
        let f = self.f;
        let rheads = [
            tr.t("Entreprise ", "Company "),
            tr.t("Exercice ", "Fiscal year "),
            tr.t("Origine ", "Origin "),
            tr.t("Clôture d'origine ", "Origin end "),
            tr.t("Ouverture ", "Opening "),
            tr.t("Ajouté ", "Added "),
            tr.t("Utilisé ", "Used "),
            tr.t("Expiré ", "Expired "),
            tr.t("Clôture ", "Closing "),
            tr.t("Utilisable jusqu'au ", "Usable until "),
        ];
        let lines = &self.report.reduction_ledger;
        let c0 = RED_COL;
        if lines.is_empty() {
            return ws.text(
                LEDGER_TOP,
                c0,
                tr.t(
                    "(aucune : IS dû non fourni, ou réduction entièrement imputée)",
                    "(none: tax due not given, or reduction fully used)",
                ),
                Some(&f.explain),
            );
        }
        let last = self.plan.red_first + u32::try_from(lines.len()).unwrap_or(0) - 1;
        let table = Table::new()
            .set_name("Report_impot")
            .set_style(TableStyle::Light10)
            .set_columns(&table_columns("", &rheads, &[], &f.header));
        x(ws.add_table(LEDGER_TOP, c0, last, c0 + 9, &table))?;
        let mut block_start: HashMap<(String, String), u32> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let r = self.plan.red_first + u32::try_from(i).unwrap_or(0);
            let first = *block_start
                .entry((l.company.clone(), l.fiscal_year.clone()))
                .or_insert(r);
            self.reduction_line(ws, i, r, first, l)?;
        }
        Ok(())
    }

    fn reduction_line(
        &self,
        ws: &mut Worksheet,
        i: usize,
        r: u32,
        first: u32,
        l: &LedgerLine,
    ) -> Res {
        let (f, fm, c0) = (self.f, self.fm, RED_COL);
        let col = self.col_of(l);
        ws.text(r, c0, &l.company, None)?;
        ws.text(r, c0 + 1, &l.fiscal_year, None)?;
        ws.text(r, c0 + 2, &l.origin, None)?;
        ws.date(r, c0 + 3, l.origin_end, &f.date)?;
        match self.plan.red_prev[i] {
            Some(p) => ws.formula(r, c0 + RCOL_OPEN, &a1(c0 + RCOL_CLOSE, p), l.opening.0, fm)?,
            None => ws.money(r, c0 + RCOL_OPEN, l.opening.0, &f.money)?,
        }
        if l.origin == l.fiscal_year {
            let unused = self.layout.cell(Row::RedUnused, col);
            ws.formula(r, c0 + RCOL_ADDED, &unused, l.added.0, fm)?;
        } else {
            ws.money(r, c0 + RCOL_ADDED, l.added.0, &f.money)?;
        }
        let tax = self.layout.cell(Row::Tax, col);
        let used = self.used(c0 + RCOL_OPEN, c0 + RCOL_USED, r, first, &tax);
        ws.formula(r, c0 + RCOL_USED, &used, l.used.0, fm)?;
        self.expired_and_closing(ws, r, c0 + RCOL_OPEN, l)?;
        ws.date(r, c0 + 9, l.usable_until, &f.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_report;

    #[test]
    fn a_carried_line_opens_with_the_previous_years_closing() {
        let report = test_report();
        let plan = LedgerPlan::new(&report);
        let lines = &report.donations_ledger;
        let carried = lines
            .iter()
            .position(|l| l.fiscal_year != l.origin)
            .expect("a line carried into the second year");
        let prev = plan.don_prev[carried].expect("linked");
        let origin = (prev - plan.don_first) as usize;
        assert_eq!(lines[origin].closing, lines[carried].opening);
        assert!(plan.don_prev[origin].is_none());
    }

    #[test]
    fn use_is_capped_by_what_the_lines_above_left() {
        let report = test_report();
        let layout = Layout::new(&report, Tr(true), &[]);
        let plan = LedgerPlan::new(&report);
        let f = Fmts::new(true);
        let l = Ledger {
            report: &report,
            layout: &layout,
            plan: &plan,
            f: &f,
            fm: &f.money_formula,
        };
        assert_eq!(l.used(5, 7, 4, 4, "X"), "MIN(F5,X)");
        assert_eq!(l.used(5, 7, 6, 4, "X"), "MIN(F7,X-SUM($H$5:H6))");
        let first = &report.donations_ledger[0];
        assert_eq!(
            l.year_rates(first),
            (true, false),
            "a lot of 2025 at the standard rate, not the reduced one"
        );
    }
}
