//! The Calcul sheet: the reduction chain of each fiscal year as live formulas, one column
//! per year, one [`Row`] per step. Every cell's formula reads the cells above it (and the
//! valuation and carry-forward sheets); its cached value is the report's own figure, which
//! the LibreOffice recalculation test checks the formula reproduces.

use std::collections::BTreeMap;

use mecenat::money::Money;
use mecenat::report::{FiscalYearReport, Imputation, Report, Status};
use rust_decimal::Decimal;
use rust_xlsxwriter::Worksheet;

use super::layout::{Layout, RatePart, Row, TOP};
use super::ledgers::{LedgerPlan, DCOL_EXPIRED, DCOL_RATE, DCOL_USED, RCOL_EXPIRED, RED_COL};
use super::{a1, abs, num, q, status_text, x, Fmts, Put, Res, Tr};
use crate::cells::col_letters;
use crate::detail::vcol;

/// What one cell of a fiscal year's column holds.
enum Cell {
    Text(String),
    Date(chrono::NaiveDate),
    Money(Decimal),
    Rate(Decimal),
    /// A formula and its cached value (the report's figure).
    Formula(String, Decimal),
    /// `—`: not given, not computed.
    Dash,
    /// Nothing (section rows).
    Empty,
}

pub(super) fn sheet(
    report: &Report,
    tr: Tr,
    f: &Fmts,
    layout: &Layout,
    ledgers: &LedgerPlan,
) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(&layout.calc))?;
    super::note_header(&mut ws, tr);
    ws.text(
        0,
        0,
        tr.t(
            "Calcul de la réduction d'impôt, exercice par exercice",
            "The tax reduction, fiscal year by fiscal year",
        ),
        Some(&f.title),
    )?;
    x(ws.merge_range(1, 0, 1, 8, &report.disclaimer, &f.note))?;
    x(ws.set_row_height(1, 32))?;
    ws.text(
        2,
        0,
        tr.t(
            "Les cellules vertes sont des formules : leur valeur affichée est celle de mecenat, et Excel ou LibreOffice la recalcule à l'identique.",
            "Green cells are formulas: they show mecenat's figure, and Excel or LibreOffice recomputes the same one.",
        ),
        Some(&f.explain),
    )?;
    labels(&mut ws, layout, tr, f)?;
    for j in 0..report.fiscal_years.len() {
        let year = Year::new(report, j, layout, ledgers, tr);
        year.write(&mut ws, f)?;
    }
    // The regime written out takes five lines of a year's column.
    x(ws.set_row_height(layout.row(Row::Regime), 78))?;
    x(ws.set_column_width(0, 44))?;
    x(ws.set_column_width(1, 46))?;
    x(ws.set_freeze_panes(TOP + 1, 2))?;
    Ok(ws)
}

/// The first two columns: each row's label and rule.
fn labels(ws: &mut Worksheet, layout: &Layout, tr: Tr, f: &Fmts) -> Res {
    ws.text(TOP, 0, tr.t("Poste", "Item"), Some(&f.header))?;
    ws.text(TOP, 1, tr.t("Règle", "Rule"), Some(&f.header))?;
    let mut put = |r: u32, (label, rule): (&str, &str), section: bool| -> Res {
        if section {
            ws.text(r, 0, label, Some(&f.section))
        } else {
            ws.text(r, 0, label, Some(&f.bold))?;
            ws.text(r, 1, rule, Some(&f.explain))
        }
    };
    for row in Row::ALL {
        put(layout.row(row), row.text(tr), row.is_section())?;
    }
    for k in 0..layout.rates.len() {
        for p in RatePart::ALL {
            put(layout.rate_row(k, p), p.text(tr), false)?;
        }
    }
    Ok(())
}

/// One fiscal year's column and what its formulas need.
struct Year<'a> {
    y: &'a FiscalYearReport,
    /// The previous fiscal year, when it is the same company's.
    prev: Option<&'a FiscalYearReport>,
    col: u16,
    layout: &'a Layout,
    ledgers: &'a LedgerPlan,
    tr: Tr,
    /// The year's rows in the donations ledger (first, last).
    block: Option<(u32, u32)>,
    /// The retained amount and the reduction at each rate.
    retained_by_rate: BTreeMap<Decimal, Decimal>,
    reduction_by_rate: BTreeMap<Decimal, Decimal>,
}

/// A report's per-rate figures keyed by the rate.
fn by_rate(m: &BTreeMap<String, Money>) -> BTreeMap<Decimal, Decimal> {
    m.iter()
        .filter_map(|(k, v)| Decimal::from_str_exact(k).ok().map(|r| (r, v.0)))
        .collect()
}

impl<'a> Year<'a> {
    fn new(
        report: &'a Report,
        j: usize,
        layout: &'a Layout,
        ledgers: &'a LedgerPlan,
        tr: Tr,
    ) -> Self {
        let fys = &report.fiscal_years;
        let y = &fys[j];
        Year {
            y,
            prev: (j > 0 && fys[j - 1].company == y.company).then(|| &fys[j - 1]),
            col: 2 + u16::try_from(j).unwrap_or(0),
            layout,
            ledgers,
            tr,
            block: ledgers
                .don_block
                .get(&(y.company.clone(), y.label.clone()))
                .copied(),
            retained_by_rate: by_rate(&y.retained_by_rate),
            reduction_by_rate: by_rate(&y.reduction_by_rate),
        }
    }

    /// This column's cell of a row (`C12`).
    fn at(&self, r: Row) -> String {
        a1(self.col, self.layout.row(r))
    }

    /// A range of the Reports sheet, one column, the year's block of rows.
    fn reports_range(&self, col: u16, (b0, b1): (u32, u32)) -> String {
        format!(
            "{}!{}:{}",
            q(&self.layout.reports),
            abs(col, b0),
            abs(col, b1)
        )
    }

    fn write(&self, ws: &mut Worksheet, f: &Fmts) -> Res {
        let (y, col) = (self.y, self.col);
        ws.text(
            TOP,
            col,
            &format!("{} · {}", y.company, y.label),
            Some(&f.header),
        )?;
        for row in Row::ALL {
            put(ws, self.layout.row(row), col, self.cell(row), f)?;
        }
        for (k, &rate) in self.layout.rates.iter().enumerate() {
            for p in RatePart::ALL {
                put(
                    ws,
                    self.layout.rate_row(k, p),
                    col,
                    self.rate_cell(k, rate, p),
                    f,
                )?;
            }
        }
        x(ws.set_column_width(col, 16)).map(|_| ())
    }

    fn cell(&self, r: Row) -> Cell {
        use Row::*;
        match r {
            Company | Label | Start | End | Regime => self.identity(r),
            Staff | Cash | InKind | Total | Aid60 | Threshold | Std60 | Std40 => self.gifts(r),
            Turnover | TurnoverRate | Fixed | Ceiling => self.ceiling(r),
            RetAid | RetStd60 | RetStd40 | RetainedCurrent | Headroom => self.retention(r),
            Available | RetainedCarried | ExcessStd | ExcessLow | Excess => self.carried(r),
            Reduction | Form | DonExpired | DonClosing => self.reduction(r),
            Tax | RedAvailable | RedPrior | RedCurrent | RedUsed | RedUnused | RedExpired
            | RedClosing => match (
                self.y.tax_due,
                self.y.reduction_used,
                Imp::of(&self.y.imputation),
            ) {
                (Some(tax), Some(used), Some(imp)) => self.imputation(r, tax.0, used.0, &imp),
                _ => Cell::Dash,
            },
            SecDonations | SecCeiling | SecRetention | SecReduction | SecDonationsCarried
            | SecImputation => Cell::Empty,
        }
    }

    fn identity(&self, r: Row) -> Cell {
        let y = self.y;
        match r {
            Row::Company => Cell::Text(y.company.clone()),
            Row::Label => Cell::Text(y.label.clone()),
            Row::Start => Cell::Date(y.start),
            Row::End => Cell::Date(y.end),
            _ => Cell::Text(super::words::regime(self.tr, y)),
        }
    }

    /// The retained staff time of the valuation sheet(s), matched exactly on company and
    /// fiscal year (EXACT: no wildcard or operator in ids can leak in).
    fn staff(&self) -> Cell {
        let col = col_letters(u32::from(self.col));
        let sums: Vec<String> = self
            .layout
            .valo
            .iter()
            .filter(|(_, rows)| *rows > 0)
            .map(|(sheet, rows)| {
                let range = |c: u16| format!("{}!{}:{}", q(sheet), abs(c, 1), abs(c, *rows));
                format!(
                    "SUMPRODUCT(EXACT({},{col}${})*EXACT({},{col}${})*({}=\"{}\"),{})",
                    range(vcol::COMPANY),
                    self.layout.row(Row::Company) + 1,
                    range(vcol::FY),
                    self.layout.row(Row::Label) + 1,
                    range(vcol::STATUS),
                    status_text(self.tr, Status::Retained),
                    range(vcol::VALUE)
                )
            })
            .collect();
        let staff = self.y.donations.staff_time.0;
        if sums.is_empty() {
            Cell::Money(staff)
        } else {
            Cell::Formula(sums.join("+"), staff)
        }
    }

    fn gifts(&self, r: Row) -> Cell {
        use Row::*;
        let d = &self.y.donations;
        let law = &self.y.law;
        let threshold = law
            .reduced_rate_threshold
            .filter(|_| law.reduced_rate.is_some());
        let at = |r| self.at(r);
        match (r, threshold) {
            (Staff, _) => self.staff(),
            (Cash, _) => Cell::Money(d.cash.0),
            (InKind, _) => Cell::Money(d.in_kind.0),
            (Total, _) => Cell::Formula(
                format!("{}+{}+{}", at(Staff), at(Cash), at(InKind)),
                d.total.0,
            ),
            (Aid60, _) => Cell::Money(d.aid60.0),
            (Threshold, Some(t)) => Cell::Money(t.0),
            (Threshold, None) => Cell::Dash,
            (Std60, Some(_)) => Cell::Formula(
                format!("MIN({}-{},{})", at(Total), at(Aid60), at(Threshold)),
                d.std60.0,
            ),
            (Std60, None) => Cell::Formula(format!("{}-{}", at(Total), at(Aid60)), d.std60.0),
            _ => Cell::Formula(
                format!("{}-{}-{}", at(Total), at(Aid60), at(Std60)),
                d.std40.0,
            ),
        }
    }

    fn ceiling(&self, r: Row) -> Cell {
        let y = self.y;
        match r {
            Row::Turnover => Cell::Money(y.turnover.0),
            Row::TurnoverRate => Cell::Rate(y.law.ceiling_turnover_rate.0),
            Row::Fixed => Cell::Money(y.law.ceiling_fixed.0),
            _ => Cell::Formula(
                format!(
                    "MAX({},ROUND({}*{},2))",
                    self.at(Row::Fixed),
                    self.at(Row::Turnover),
                    self.at(Row::TurnoverRate)
                ),
                y.ceiling.0,
            ),
        }
    }

    fn retention(&self, r: Row) -> Cell {
        use Row::*;
        let (y, ret) = (self.y, &self.y.retention);
        let at = |r| self.at(r);
        match r {
            RetAid => Cell::Formula(format!("MIN({},{})", at(Aid60), at(Ceiling)), ret.aid60.0),
            RetStd60 => Cell::Formula(
                format!("MIN({},{}-{})", at(Std60), at(Ceiling), at(RetAid)),
                ret.std60.0,
            ),
            RetStd40 => Cell::Formula(
                format!(
                    "MIN({},{}-{}-{})",
                    at(Std40),
                    at(Ceiling),
                    at(RetAid),
                    at(RetStd60)
                ),
                ret.std40.0,
            ),
            RetainedCurrent => Cell::Formula(
                format!("{}+{}+{}", at(RetAid), at(RetStd60), at(RetStd40)),
                y.retained_current.0,
            ),
            _ => Cell::Formula(
                format!("{}-{}", at(Ceiling), at(RetainedCurrent)),
                ret.headroom_after_current.0,
            ),
        }
    }

    fn carried(&self, r: Row) -> Cell {
        use Row::*;
        let (y, ret) = (self.y, &self.y.retention);
        let at = |r| self.at(r);
        match r {
            // The previous year's closing balance, when it is the same company's.
            Available => match self.prev {
                Some(p) if p.donations_carried_closing == ret.carried_available => Cell::Formula(
                    a1(self.col - 1, self.layout.row(DonClosing)),
                    ret.carried_available.0,
                ),
                _ => Cell::Money(ret.carried_available.0),
            },
            RetainedCarried => Cell::Formula(
                format!("MIN({},{})", at(Available), at(Headroom)),
                y.retained_carried.0,
            ),
            ExcessStd => Cell::Formula(
                format!(
                    "({}-{})+({}-{})",
                    at(Aid60),
                    at(RetAid),
                    at(Std60),
                    at(RetStd60)
                ),
                ret.excess_standard.0,
            ),
            ExcessLow => Cell::Formula(
                format!("{}-{}", at(Std40), at(RetStd40)),
                ret.excess_reduced.0,
            ),
            _ => Cell::Formula(format!("{}+{}", at(ExcessStd), at(ExcessLow)), y.excess.0),
        }
    }

    /// A rate's rows: the rate, this year's retained part at that rate plus the carried
    /// lots used at that rate (Reports sheet, this year's block), the reduction.
    fn rate_cell(&self, k: usize, rate: Decimal, p: RatePart) -> Cell {
        let rate_cell = a1(self.col, self.layout.rate_row(k, RatePart::Rate));
        let retained_cell = a1(self.col, self.layout.rate_row(k, RatePart::Retained));
        let retained = self
            .retained_by_rate
            .get(&rate)
            .copied()
            .unwrap_or_default();
        match p {
            RatePart::Rate => Cell::Rate(rate),
            RatePart::Retained => {
                let law = &self.y.law;
                let std = law.reduction_rate.0;
                let mut parts: Vec<String> = Vec::new();
                if rate == std {
                    parts.push(format!(
                        "{}+{}",
                        self.at(Row::RetAid),
                        self.at(Row::RetStd60)
                    ));
                }
                if rate == law.reduced_rate.map_or(std, |r| r.0) {
                    parts.push(self.at(Row::RetStd40));
                }
                if let Some(b) = self.block {
                    parts.push(format!(
                        "SUMPRODUCT(({}={rate_cell})*{})",
                        self.reports_range(DCOL_RATE, b),
                        self.reports_range(DCOL_USED, b)
                    ));
                }
                if parts.is_empty() {
                    Cell::Money(Decimal::ZERO)
                } else {
                    Cell::Formula(parts.join("+"), retained)
                }
            }
            RatePart::Reduction => Cell::Formula(
                format!("ROUND({rate_cell}*{retained_cell},2)"),
                self.reduction_by_rate
                    .get(&rate)
                    .copied()
                    .unwrap_or_default(),
            ),
        }
    }

    fn reduction(&self, r: Row) -> Cell {
        use Row::*;
        let y = self.y;
        let at = |r| self.at(r);
        match r {
            Reduction => {
                let cells: Vec<String> = (0..self.layout.rates.len())
                    .map(|k| a1(self.col, self.layout.rate_row(k, RatePart::Reduction)))
                    .collect();
                let sum = if cells.is_empty() {
                    "0".to_string()
                } else {
                    cells.join("+")
                };
                Cell::Formula(sum, y.reduction.0)
            }
            Form => Cell::Formula(
                format!("ROUND({},0)", at(Reduction)),
                Decimal::from(y.form_2069_rci_reduction),
            ),
            DonExpired => match self.block {
                Some(b) => Cell::Formula(
                    format!("SUM({})", self.reports_range(DCOL_EXPIRED, b)),
                    y.donations_expired.0,
                ),
                None => Cell::Money(y.donations_expired.0),
            },
            _ => Cell::Formula(
                format!(
                    "{}-{}+{}-{}",
                    at(Available),
                    at(RetainedCarried),
                    at(Excess),
                    at(DonExpired)
                ),
                y.donations_carried_closing.0,
            ),
        }
    }

    /// The imputation on tax, when the tax due is known.
    fn imputation(&self, r: Row, tax: Decimal, used: Decimal, imp: &Imp) -> Cell {
        use Row::*;
        let y = self.y;
        let at = |r| self.at(r);
        match r {
            Tax => Cell::Money(tax),
            RedAvailable => match self.prev.and_then(|p| p.reduction_carried_closing) {
                Some(c) if c == imp.carried_available => Cell::Formula(
                    a1(self.col - 1, self.layout.row(RedClosing)),
                    imp.carried_available.0,
                ),
                _ => Cell::Money(imp.carried_available.0),
            },
            RedPrior => Cell::Formula(
                format!("MIN({},{})", at(RedAvailable), at(Tax)),
                imp.carried_used.0,
            ),
            RedCurrent => Cell::Formula(
                format!("MIN({},{}-{})", at(Reduction), at(Tax), at(RedPrior)),
                imp.current_used.0,
            ),
            RedUsed => Cell::Formula(format!("{}+{}", at(RedPrior), at(RedCurrent)), used),
            RedUnused => Cell::Formula(
                format!("{}-{}", at(Reduction), at(RedCurrent)),
                imp.current_unused.0,
            ),
            RedExpired => {
                let expired = y.reduction_expired.map(|m| m.0).unwrap_or_default();
                let block = self
                    .ledgers
                    .red_block
                    .get(&(y.company.clone(), y.label.clone()));
                match block {
                    Some(&b) => Cell::Formula(
                        format!("SUM({})", self.reports_range(RED_COL + RCOL_EXPIRED, b)),
                        expired,
                    ),
                    None => Cell::Money(expired),
                }
            }
            _ => Cell::Formula(
                format!(
                    "{}-{}+{}-{}",
                    at(RedAvailable),
                    at(RedPrior),
                    at(RedUnused),
                    at(RedExpired)
                ),
                y.reduction_carried_closing.map(|m| m.0).unwrap_or_default(),
            ),
        }
    }
}

/// Writes one cell.
fn put(ws: &mut Worksheet, r: u32, c: u16, cell: Cell, f: &Fmts) -> Res {
    match cell {
        Cell::Text(s) => ws.text(r, c, &s, Some(&f.wrap_bottom)),
        Cell::Date(d) => ws.date(r, c, d, &f.date),
        Cell::Money(d) => ws.money(r, c, d, &f.money),
        Cell::Rate(d) => x(ws.write_number_with_format(r, c, num(d), &f.rate)).map(|_| ()),
        Cell::Formula(formula, cached) => ws.formula(r, c, &formula, cached, &f.money_formula),
        Cell::Dash => ws.text(r, c, "—", None),
        Cell::Empty => Ok(()),
    }
}

/// A fiscal year's imputation when it is computed (every figure present).
struct Imp {
    carried_available: mecenat::money::Money,
    carried_used: mecenat::money::Money,
    current_used: mecenat::money::Money,
    current_unused: mecenat::money::Money,
}

impl Imp {
    fn of(i: &Imputation) -> Option<Imp> {
        Some(Imp {
            carried_available: i.carried_available?,
            carried_used: i.carried_used?,
            current_used: i.current_used?,
            current_unused: i.current_unused?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_report;

    fn formula(c: Cell) -> (String, Decimal) {
        match c {
            Cell::Formula(f, v) => (f, v),
            _ => panic!("not a formula"),
        }
    }

    #[test]
    fn cached_values_are_the_reports_own_figures() {
        let report = test_report();
        let layout = Layout::new(&report, Tr(true), &[("Valorisation".into(), 4)]);
        let plan = LedgerPlan::new(&report);
        let y0 = Year::new(&report, 0, &layout, &plan, Tr(true));
        let fy = &report.fiscal_years[0];
        let (f, v) = formula(y0.cell(Row::Ceiling));
        assert_eq!(
            f,
            format!(
                "MAX(C{},ROUND(C{}*C{},2))",
                layout.row(Row::Fixed) + 1,
                layout.row(Row::Turnover) + 1,
                layout.row(Row::TurnoverRate) + 1
            )
        );
        assert_eq!(v, fy.ceiling.0);
        assert_eq!(
            formula(y0.cell(Row::Headroom)).1,
            fy.retention.headroom_after_current.0
        );
        assert_eq!(formula(y0.cell(Row::Excess)).1, fy.excess.0);
        assert!(
            fy.excess.0 > Decimal::ZERO,
            "the first year carries an excess"
        );
        let unused = fy.imputation.current_unused.unwrap();
        assert_eq!(formula(y0.cell(Row::RedUnused)).1, unused.0);
        assert!(matches!(y0.cell(Row::Available), Cell::Money(_)));
        assert!(matches!(y0.cell(Row::SecImputation), Cell::Empty));
        // The second year's opening balances are the first year's closing cells.
        let y1 = Year::new(&report, 1, &layout, &plan, Tr(true));
        let (f, v) = formula(y1.cell(Row::Available));
        assert_eq!(f, a1(2, layout.row(Row::DonClosing)));
        assert_eq!(v, report.fiscal_years[0].donations_carried_closing.0);
        let (staff, v) = formula(y1.cell(Row::Staff));
        assert!(
            staff.starts_with("SUMPRODUCT(EXACT('Valorisation'!$E$2:$E$5,D$6)"),
            "{staff}"
        );
        assert_eq!(v, report.fiscal_years[1].donations.staff_time.0);
    }

    #[test]
    fn the_reduction_sums_the_rates_rows() {
        let report = test_report();
        let layout = Layout::new(&report, Tr(false), &[]);
        let plan = LedgerPlan::new(&report);
        let y = Year::new(&report, 0, &layout, &plan, Tr(false));
        let (f, v) = formula(y.cell(Row::Reduction));
        assert_eq!(f.split('+').count(), layout.rates.len());
        assert_eq!(v, report.fiscal_years[0].reduction.0);
        // Without valuation rows the staff time is a figure, not a formula.
        assert!(matches!(y.cell(Row::Staff), Cell::Money(_)));
    }

    #[test]
    fn per_rate_figures_are_keyed_by_their_rate() {
        let mut m = BTreeMap::new();
        m.insert("0.60".to_string(), Money(Decimal::new(120, 0)));
        m.insert("bad".to_string(), Money(Decimal::ONE));
        let k = by_rate(&m);
        assert_eq!(k.len(), 1);
        assert_eq!(k.get(&Decimal::new(6, 1)), Some(&Decimal::new(120, 0)));
    }
}
