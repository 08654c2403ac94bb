//! The Intercontrat sheet: bench economics per company and fiscal year (rules-company §7),
//! the per-day comparison as live formulas, one sentence per year saying why the ratio is
//! what it is, and a chart of the idle day's cost against the donated day's net cost.

use mecenat::money::{round_cent, round_dp};
use mecenat::report::{BenchReport, FiscalYearReport, Report};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Worksheet};

use super::words::{euros, percent, qty};
use super::{a1, note_header, set_widths, x, Fmts, Put, Res, Tr};

/// The sheet's name.
pub(super) fn name(tr: Tr) -> &'static str {
    tr.t("Intercontrat", "Bench")
}

/// Columns of the table.
mod col {
    pub const COMPANY: u16 = 0;
    pub const FY: u16 = 1;
    pub const BENCH_DAYS: u16 = 2;
    pub const BENCH_COST: u16 = 3;
    pub const DONATED_DAYS: u16 = 4;
    pub const SHARE: u16 = 5;
    pub const DONATED_VALUE: u16 = 6;
    pub const DONATED_COST: u16 = 7;
    pub const REDUCTION: u16 = 8;
    pub const NET: u16 = 9;
    pub const COVERED: u16 = 10;
    pub const COVERED_LATER: u16 = 11;
    pub const IDLE_DAY: u16 = 12;
    pub const NET_DAY: u16 = 13;
    pub const RATIO: u16 = 14;
    pub const LAST: u16 = RATIO;
}

/// Header row of the table.
pub(super) const TOP: u32 = 4;

fn heads(tr: Tr) -> [&'static str; 15] {
    [
        tr.t("Entreprise", "Company"),
        tr.t("Exercice", "Fiscal year"),
        tr.t("Jours d'intercontrat", "Bench days"),
        tr.t("Coût de l'intercontrat", "Bench cost"),
        tr.t("Jours donnés en intercontrat", "Days donated on the bench"),
        tr.t("Part donnée", "Share donated"),
        tr.t(
            "Valeur retenue des jours donnés",
            "Retained value of the days donated",
        ),
        tr.t("Coût des jours donnés", "Cost of the days donated"),
        tr.t("Réduction attribuable", "Reduction attributable"),
        tr.t("Coût net des jours donnés", "Net cost of the days donated"),
        tr.t("Part du coût couverte", "Share of the cost covered"),
        tr.t(
            "… si l'excédent est utilisé plus tard",
            "… if the excess is used later",
        ),
        tr.t("Coût d'un jour inoccupé", "Cost of an idle day"),
        tr.t("Coût net d'un jour donné", "Net cost of a donated day"),
        tr.t("Jour donné / jour inoccupé", "Donated day / idle day"),
    ]
}

pub(super) fn sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    let sheet = name(tr);
    x(ws.set_name(sheet))?;
    note_header(&mut ws, tr);
    let page = super::print::Page {
        landscape: true,
        repeat: Some((TOP, TOP)),
        ..Default::default()
    };
    super::print::setup(&mut ws, page, &super::print::company(report, tr), tr)?;
    ws.text(
        0,
        0,
        tr.t(
            "Intercontrat : ce que coûte un jour d'intercontrat donné, comparé à un jour inoccupé",
            "Bench: what a bench day donated costs, compared with an idle bench day",
        ),
        Some(&f.title),
    )?;
    ws.text(
        1,
        0,
        tr.t(
            "Coûts au coût de revient non plafonné ; la réduction attribuable est la part des jours donnés dans la réduction des dons de l'exercice. Les cellules vertes sont des formules.",
            "Costs at uncapped cost price; the reduction attributable is the days donated's share of the reduction earned by the year's gifts. Green cells are formulas.",
        ),
        Some(&f.explain),
    )?;
    x(ws.merge_range(2, 0, 2, col::LAST, &report.disclaimer, &f.note))?;
    let mut widths = vec![15u16; usize::from(col::LAST) + 1];
    widths[usize::from(col::COMPANY)] = 16;
    widths[usize::from(col::FY)] = 10;
    set_widths(&mut ws, &widths)?;
    if report.bench.is_empty() {
        ws.text(
            TOP,
            0,
            tr.t(
                "Aucune période d'intercontrat (table des intercontrats vide).",
                "No bench period (the bench table is empty).",
            ),
            Some(&f.explain),
        )?;
        return Ok(ws);
    }
    for (c, h) in heads(tr).iter().enumerate() {
        ws.text(TOP, u16::try_from(c).unwrap_or(0), h, Some(&f.header))?;
    }
    x(ws.set_row_height(TOP, 48))?;
    x(ws.set_freeze_panes(TOP + 1, 2))?;
    let mut r = TOP + 1;
    for b in &report.bench {
        row(&mut ws, r, b, tr, f)?;
        r += 1;
    }
    let last = r - 1;
    r += 1;
    ws.text(
        r,
        0,
        tr.t("Pourquoi ce rapport", "Why this ratio"),
        Some(&f.section),
    )?;
    r += 1;
    for b in &report.bench {
        let y = report
            .fiscal_years
            .iter()
            .find(|y| y.company == b.company && y.label == b.fiscal_year);
        let text = format!("{} {} — {}", b.company, b.fiscal_year, explain(tr, b, y));
        x(ws.merge_range(r, 0, r, col::LAST, crate::cells::cell_text(&text), &f.wrap))?;
        x(ws.set_row_height(r, 45))?;
        r += 1;
    }
    let mut chart = Chart::new(ChartType::Column);
    for c in [col::IDLE_DAY, col::NET_DAY] {
        chart
            .add_series()
            .set_name((sheet, TOP, c))
            .set_categories((sheet, TOP + 1, col::FY, last, col::FY))
            .set_values((sheet, TOP + 1, c, last, c));
    }
    chart.title().set_name(tr.t(
        "Coût d'un jour d'intercontrat : inoccupé ou donné",
        "Cost of a bench day: idle or donated",
    ));
    chart.y_axis().set_num_format("#,##0 \"€\"");
    chart.set_width(560).set_height(300);
    x(ws.insert_chart(r + 1, 1, &chart))?;
    Ok(ws)
}

/// One company year's row: the report's figures, and the derived ones as formulas.
fn row(ws: &mut Worksheet, r: u32, b: &BenchReport, tr: Tr, f: &Fmts) -> Res {
    let at = |c: u16| a1(c, r);
    ws.text(r, col::COMPANY, &b.company, None)?;
    ws.text(r, col::FY, &b.fiscal_year, None)?;
    ws.num_as(r, col::BENCH_DAYS, b.bench_days.0, &f.qty)?;
    ws.money(r, col::BENCH_COST, b.bench_cost.0, &f.money)?;
    ws.num_as(r, col::DONATED_DAYS, b.donated_days.0, &f.qty)?;
    match b.donated_share {
        Some(s) => ws.formula(
            r,
            col::SHARE,
            &format!("{}/{}", at(col::DONATED_DAYS), at(col::BENCH_DAYS)),
            s.0,
            &share_formula(),
        )?,
        None => ws.text(r, col::SHARE, "—", None)?,
    }
    ws.money(r, col::DONATED_VALUE, b.donated_value.0, &f.money)?;
    ws.money(r, col::DONATED_COST, b.donated_cost.0, &f.money)?;
    ws.money(r, col::REDUCTION, b.reduction_attributable.0, &f.money)?;
    ws.formula(
        r,
        col::NET,
        &format!("{}-{}", at(col::DONATED_COST), at(col::REDUCTION)),
        b.net_cost.0,
        &f.money_formula,
    )?;
    match b.reduction_share {
        Some(s) => ws.formula(
            r,
            col::COVERED,
            &format!("ROUND({}/{},4)", at(col::REDUCTION), at(col::DONATED_COST)),
            s.0,
            &share_formula(),
        )?,
        None => ws.text(r, col::COVERED, "—", None)?,
    }
    match b.reduction_share_if_excess_used {
        Some(s) => x(ws.write_number_with_format(r, col::COVERED_LATER, super::num(s.0), &f.share))
            .map(|_| ())?,
        None => ws.text(r, col::COVERED_LATER, "—", None)?,
    }
    match b.idle_day_cost {
        Some(d) => ws.formula(
            r,
            col::IDLE_DAY,
            &format!("ROUND({}/{},2)", at(col::BENCH_COST), at(col::BENCH_DAYS)),
            d.0,
            &f.money_formula,
        )?,
        None => ws.text(r, col::IDLE_DAY, "—", None)?,
    }
    match b.donated_day_net_cost {
        Some(d) => ws.formula(
            r,
            col::NET_DAY,
            &format!("ROUND({}/{},2)", at(col::NET), at(col::DONATED_DAYS)),
            d.0,
            &f.money_formula,
        )?,
        None => ws.text(r, col::NET_DAY, "—", None)?,
    }
    match ratio(b) {
        Some(q) => ws.formula(
            r,
            col::RATIO,
            &format!("{}/{}", at(col::NET_DAY), at(col::IDLE_DAY)),
            q,
            &share_formula(),
        )?,
        None => ws.text(r, col::RATIO, "—", None)?,
    }
    let _ = tr;
    Ok(())
}

/// A share computed by a formula (green, as a percentage).
fn share_formula() -> rust_xlsxwriter::Format {
    rust_xlsxwriter::Format::new()
        .set_num_format("0.00%")
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00_E2_EF_DA))
}

/// The donated day's net cost over the idle day's cost (exact quotient of the two cents
/// figures; the sheet shows it as a percentage).
pub(super) fn ratio(b: &BenchReport) -> Option<Decimal> {
    let (idle, net) = (b.idle_day_cost?.0, b.donated_day_net_cost?.0);
    (!idle.is_zero()).then(|| round_dp(net / idle, 12))
}

/// One sentence on a company year: the two day costs, then why the ratio is what it is
/// (the ceiling, the capped salaries, the mix of people on the bench).
pub(super) fn explain(tr: Tr, b: &BenchReport, y: Option<&FiscalYearReport>) -> String {
    let (Some(idle), Some(net), Some(q)) = (b.idle_day_cost, b.donated_day_net_cost, ratio(b))
    else {
        return tr
            .t(
                "pas de jour donné pendant l'intercontrat : pas de comparaison.",
                "no day donated on the bench: nothing to compare.",
            )
            .to_string();
    };
    let mut s = if tr.0 {
        format!(
            "un jour donné en intercontrat coûte net {} contre {} pour un jour inoccupé, soit {} de son coût.",
            euros(tr, net.0),
            euros(tr, idle.0),
            percent(tr, round_dp(q, 4))
        )
    } else {
        format!(
            "a bench day donated costs {} net against {} for an idle day, {} of its cost.",
            euros(tr, net.0),
            euros(tr, idle.0),
            percent(tr, round_dp(q, 4))
        )
    };
    let covered = b.reduction_share.map(|c| c.0).unwrap_or_default();
    if let Some(y) = y {
        let rate = y.law.reduction_rate.0;
        if y.excess.0 > Decimal::ZERO {
            s += &if tr.0 {
                format!(
                    " Le plafond de {} est atteint : {} de dons de l'exercice sont reportés, la réduction ne couvre cette année que {} du coût des jours donnés ({} si l'excédent est utilisé plus tard).",
                    euros(tr, y.ceiling.0),
                    euros(tr, y.excess.0),
                    percent(tr, covered),
                    percent(tr, b.reduction_share_if_excess_used.map(|c| c.0).unwrap_or(covered))
                )
            } else {
                format!(
                    " The ceiling of {} binds: {} of the year's gifts are carried forward, so the reduction covers only {} of the cost of the days donated this year ({} if the excess is used later).",
                    euros(tr, y.ceiling.0),
                    euros(tr, y.excess.0),
                    percent(tr, covered),
                    percent(tr, b.reduction_share_if_excess_used.map(|c| c.0).unwrap_or(covered))
                )
            };
        } else if covered < rate && b.donated_value.0 < b.donated_cost.0 {
            s += &if tr.0 {
                format!(
                    " La réduction ({}) ne porte que sur la valeur retenue ({}, salaires plafonnés), pas sur tout le coût ({}) : elle en couvre {}.",
                    percent(tr, rate),
                    euros(tr, b.donated_value.0),
                    euros(tr, b.donated_cost.0),
                    percent(tr, covered)
                )
            } else {
                format!(
                    " The reduction ({}) applies to the retained value only ({}, capped salaries), not to the whole cost ({}): it covers {}.",
                    percent(tr, rate),
                    euros(tr, b.donated_value.0),
                    euros(tr, b.donated_cost.0),
                    percent(tr, covered)
                )
            };
        } else {
            s += &if tr.0 {
                format!(
                    " La réduction couvre {} du coût des jours donnés.",
                    percent(tr, covered)
                )
            } else {
                format!(
                    " The reduction covers {} of the cost of the days donated.",
                    percent(tr, covered)
                )
            };
        }
    }
    // The people donating are not the average of the bench.
    if !b.donated_days.0.is_zero() {
        let per_day = round_cent(b.donated_cost.0 / b.donated_days.0);
        let gap = (per_day - idle.0).abs();
        if gap * Decimal::ONE_HUNDRED > idle.0 {
            s += &if tr.0 {
                format!(
                    " Les jours donnés coûtent en moyenne {} par jour avant réduction, contre {} pour l'ensemble de l'intercontrat ({} jours donnés sur {}) : ce ne sont pas les mêmes personnes.",
                    euros(tr, per_day),
                    euros(tr, idle.0),
                    qty(tr, b.donated_days.0),
                    qty(tr, b.bench_days.0)
                )
            } else {
                format!(
                    " The days donated cost {} per day before the reduction on average, against {} for the whole bench ({} days donated of {}): not the same people.",
                    euros(tr, per_day),
                    euros(tr, idle.0),
                    qty(tr, b.donated_days.0),
                    qty(tr, b.bench_days.0)
                )
            };
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use mecenat::money::{Money, Qty};

    /// 10 bench days costing 4 000 € (400 € a day); 5 donated, costing 2 100 € (420 € a
    /// day), retained at 1 800 € (capped), 1 080 € of reduction attributable (60 %).
    fn bench() -> BenchReport {
        let d = |v: i64, s: u32| Decimal::new(v, s);
        BenchReport {
            company: "C1".into(),
            fiscal_year: "2025".into(),
            bench_days: Qty(d(10, 0)),
            bench_cost: Money(d(4000, 0)),
            donated_days: Qty(d(5, 0)),
            donated_value: Money(d(1800, 0)),
            donated_share: Some(Qty(d(5, 1))),
            reduction_attributable: Money(d(1080, 0)),
            net_cost: Money(d(1020, 0)),
            donated_cost: Money(d(2100, 0)),
            reduction_share: Some(Qty(d(5143, 4))),
            reduction_share_if_excess_used: Some(Qty(d(5143, 4))),
            idle_day_cost: Some(Money(d(400, 0))),
            donated_day_net_cost: Some(Money(d(204, 0))),
        }
    }

    #[test]
    fn the_sentence_gives_both_day_costs_and_why() {
        let b = bench();
        // 204 / 400 = 51 %.
        assert_eq!(ratio(&b), Some(Decimal::new(51, 2)));
        let report = crate::test_report();
        let mut y = report.fiscal_years[0].clone();
        y.excess = Money(Decimal::ZERO);
        let s = explain(Tr(true), &b, Some(&y));
        assert!(s.starts_with("un jour donné en intercontrat coûte net 204,00 € contre 400,00 € pour un jour inoccupé, soit 51 % de son coût."), "{s}");
        // Capped salaries: the reduction covers 51,43 % of the cost, not 60 %.
        assert!(
            s.contains("valeur retenue (1 800,00 €, salaires plafonnés)"),
            "{s}"
        );
        assert!(s.contains("elle en couvre 51,43 %"), "{s}");
        // 2 100 / 5 = 420 € a donated day against 400 €: not the same people.
        assert!(s.contains("420,00 € par jour"), "{s}");
        // With an excess, the ceiling is the reason.
        y.excess = Money(Decimal::new(5000, 0));
        let s = explain(Tr(true), &b, Some(&y));
        assert!(s.contains("Le plafond de"), "{s}");
        assert!(
            s.contains("5 000,00 € de dons de l'exercice sont reportés"),
            "{s}"
        );
        let none = BenchReport {
            donated_days: Qty(Decimal::ZERO),
            donated_day_net_cost: None,
            ..bench()
        };
        assert!(explain(Tr(false), &none, None).starts_with("no day donated"));
    }
}
