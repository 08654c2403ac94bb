//! The report workbook: summary and chart, the reduction chain as live formulas, one
//! valuation row per time entry, both carry-forward ledgers, receipts, the declaration
//! list, rejections and sources.
//!
//! Every formula's cached result is the library's own figure, so the workbook opens with
//! mecenat's numbers and Excel or LibreOffice recomputes the same ones. Formulas only ever
//! reference cells: user text is written as text, never inside a formula.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use chrono::NaiveDate;
use mecenat::money::{round_cent, round_dp, Money};
use mecenat::params::{ParamValue, Parameters};
use mecenat::report::{EntryReport, FiscalYearReport, LedgerLine, Report, Status};
use mecenat::scenario::Scenario;
use mecenat::Error;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Color, Format, FormatAlign, FormatBorder, Formula, Table, TableColumn,
    TableFunction, TableStyle, Workbook, Worksheet, XlsxError,
};

use crate::detail::{self, vcol};
use crate::template::{cell_text, excel_date};
use crate::{col_letters, xlsx_error, ReportOptions};

/// Time entries per valuation sheet: Excel's 1,048,576 rows less the header and total rows.
pub(crate) const MAX_ENTRY_ROWS: u32 = 1_048_574;
/// Last row index of a sheet.
const LAST_ROW: u32 = 1_048_575;
/// Detail sheets longer than this get a header with filters instead of an Excel table:
/// rust_xlsxwriter keeps one map entry per cell of a table's range (about 30 bytes each),
/// which for a million rows would cost more memory than the rest of the report.
pub(crate) const MAX_TABLE_ROWS: usize = 50_000;

/// A header row with filter buttons, for detail sheets too long for an Excel table.
fn plain_header(ws: &mut Worksheet, heads: &[&str], last_row: u32, header: &Format) -> Res {
    for (c, h) in heads.iter().enumerate() {
        ws.text(0, u16::try_from(c).unwrap_or(0), h, Some(header))?;
    }
    let last_col = u16::try_from(heads.len().saturating_sub(1)).unwrap_or(0);
    x(ws.autofilter(0, 0, last_row.max(1), last_col)).map(|_| ())
}

type Res<T = ()> = Result<T, Error>;

fn x<T>(r: Result<T, XlsxError>) -> Res<T> {
    r.map_err(xlsx_error)
}

/// French or English.
#[derive(Clone, Copy)]
struct Tr(bool);

impl Tr {
    fn t(self, fr: &'static str, en: &'static str) -> &'static str {
        if self.0 {
            fr
        } else {
            en
        }
    }
}

/// Cell reference, 0-based row and column (`C5`).
fn a1(col: u16, row: u32) -> String {
    format!("{}{}", col_letters(u32::from(col)), row + 1)
}

/// Absolute cell reference (`$C$5`).
fn abs(col: u16, row: u32) -> String {
    format!("${}${}", col_letters(u32::from(col)), row + 1)
}

/// A sheet name as formulas quote it.
fn q(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

/// A decimal as an Excel number (the nearest double): the one deliberate conversion of the
/// report's money to binary floating point, since Excel cells hold doubles. The exact figure
/// is what the cell's formula reproduces, checked by the LibreOffice recalculation test.
fn num(d: Decimal) -> f64 {
    d.as_f64()
}

/// A decimal as a formula's cached result.
fn res(d: Decimal) -> String {
    d.normalize().to_string()
}

struct Fmts {
    title: Format,
    note: Format,
    header: Format,
    bold: Format,
    money: Format,
    money_bold: Format,
    money_formula: Format,
    rate: Format,
    date: Format,
    wrap: Format,
    explain: Format,
    section: Format,
    int: Format,
}

impl Fmts {
    fn new(fr: bool) -> Fmts {
        let money = "#,##0.00 \"€\"";
        let formula_fill = Color::RGB(0x00_E2_EF_DA);
        Fmts {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new()
                .set_italic()
                .set_text_wrap()
                .set_font_color(Color::RGB(0x00_9C_00_06))
                .set_align(FormatAlign::Top),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border_bottom(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format(money),
            money_bold: Format::new().set_num_format(money).set_bold(),
            money_formula: Format::new()
                .set_num_format(money)
                .set_background_color(formula_fill),
            rate: Format::new().set_num_format("0.00%"),
            date: Format::new().set_num_format(if fr { "dd/mm/yyyy" } else { "yyyy-mm-dd" }),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            explain: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x00_59_59_59)),
            section: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00_DD_EB_F7)),
            int: Format::new().set_num_format("0"),
        }
    }
}

/// Writing helpers: text is always text (never a formula), absent values leave the cell
/// empty.
trait Put {
    fn text(&mut self, r: u32, c: u16, s: &str, f: Option<&Format>) -> Res;
    fn money(&mut self, r: u32, c: u16, d: Decimal, f: &Format) -> Res;
    fn qty(&mut self, r: u32, c: u16, d: Decimal) -> Res;
    fn date(&mut self, r: u32, c: u16, d: NaiveDate, f: &Format) -> Res;
    fn formula(&mut self, r: u32, c: u16, formula: &str, cached: Decimal, f: &Format) -> Res;
}

impl Put for Worksheet {
    fn text(&mut self, r: u32, c: u16, s: &str, f: Option<&Format>) -> Res {
        if s.is_empty() {
            return Ok(());
        }
        let s = cell_text(s);
        x(match f {
            Some(f) => self.write_string_with_format(r, c, s, f),
            None => self.write_string(r, c, s),
        })
        .map(|_| ())
    }
    fn money(&mut self, r: u32, c: u16, d: Decimal, f: &Format) -> Res {
        x(self.write_number_with_format(r, c, num(d), f)).map(|_| ())
    }
    fn qty(&mut self, r: u32, c: u16, d: Decimal) -> Res {
        x(self.write_number(r, c, num(round_dp(d, 4)))).map(|_| ())
    }
    fn date(&mut self, r: u32, c: u16, d: NaiveDate, f: &Format) -> Res {
        x(self.write_datetime_with_format(r, c, excel_date(d)?, f)).map(|_| ())
    }
    fn formula(&mut self, r: u32, c: u16, formula: &str, cached: Decimal, f: &Format) -> Res {
        x(self.write_formula_with_format(r, c, Formula::new(formula).set_result(res(cached)), f))
            .map(|_| ())
    }
}

fn set_widths(ws: &mut Worksheet, widths: &[u16]) -> Res {
    for (i, w) in widths.iter().enumerate() {
        x(ws.set_column_width(u16::try_from(i).unwrap_or(0), *w))?;
    }
    Ok(())
}

fn note_header(ws: &mut Worksheet, tr: Tr) {
    ws.set_header(tr.t(
        "&L&\"-,Italic\"mecenat – pas un conseil fiscal&R&A",
        "&L&\"-,Italic\"mecenat – not tax advice&R&A",
    ));
    ws.set_footer("&C&P / &N");
}

/// Table columns with headers; `totals` gives, per column, the total row's label or sum.
fn table_columns(
    table: &str,
    heads: &[&str],
    totals: &[Total],
    header: &Format,
) -> Vec<TableColumn> {
    heads
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let tc = TableColumn::new().set_header(*h).set_header_format(header);
            match totals.get(i) {
                Some(Total::Label(l)) => tc.set_total_label(*l),
                Some(Total::Sum(v)) => tc.set_total_function(TableFunction::Custom(
                    Formula::new(format!("SUBTOTAL(109,{table}[{}])", escape_col(h)))
                        .set_result(res(*v)),
                )),
                _ => tc,
            }
        })
        .collect()
}

/// A table column name inside a structured reference.
fn escape_col(h: &str) -> String {
    h.replace('\'', "''")
        .replace('#', "'#")
        .replace(']', "']")
        .replace('[', "'[")
}

enum Total {
    None,
    Label(&'static str),
    Sum(Decimal),
}

/// The legal parameters of a fiscal year that the formulas show.
struct Law {
    fixed: Decimal,
    turnover_rate: Decimal,
    std: Decimal,
    low: Decimal,
    threshold: Option<Decimal>,
}

fn param(params: &Parameters, name: &str, date: NaiveDate) -> Option<Decimal> {
    let p = params.get(name).ok()?;
    match &p.at(date)?.value {
        ParamValue::Decimal(d) => Some(*d),
        ParamValue::Text(_) => None,
    }
}

fn law_of(params: &Parameters, end: NaiveDate) -> Law {
    let std = param(params, "reduction_rate", end).unwrap_or(Decimal::new(60, 2));
    let reduced = param(params, "reduced_rate", end);
    let threshold = param(params, "reduced_rate_threshold", end);
    Law {
        fixed: param(params, "ceiling_fixed", end).unwrap_or_default(),
        turnover_rate: param(params, "ceiling_turnover_rate", end).unwrap_or(Decimal::new(5, 3)),
        std,
        low: reduced.unwrap_or(std),
        threshold: threshold.filter(|_| reduced.is_some()),
    }
}

/// Where things are: sheet names and the rows of the Calcul sheet.
struct Layout {
    calc: String,
    valo: Vec<(String, u32)>,
    reports: String,
    /// Row of each Calcul item.
    rows: HashMap<&'static str, u32>,
    /// Rate rows: (rate, rate row, retained row, reduction row).
    rate_rows: Vec<(Decimal, u32, u32, u32)>,
    /// Column of each fiscal year in Calcul, by (company, label).
    fy_col: HashMap<(String, String), u16>,
}

impl Layout {
    fn cell(&self, item: &str, col: u16) -> String {
        format!(
            "{}!{}",
            q(&self.calc),
            abs(col, self.rows.get(item).copied().unwrap_or(0))
        )
    }
}

/// Status as written in the valuation sheet (Calcul sums the retained ones).
fn status_text(tr: Tr, s: Status) -> &'static str {
    crate::detail::Words { fr: tr.0 }.status(s)
}

/// The sheets of the valuation detail: names and row counts.
fn valuation_parts(tr: Tr, n: usize, per_sheet: u32) -> Vec<(String, u32)> {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    let parts = n.div_ceil(per_sheet).max(1);
    let base = tr.t("Valorisation", "Valuation");
    (0..parts)
        .map(|p| {
            let name = if p == 0 {
                base.to_string()
            } else {
                format!("{base} ({})", p + 1)
            };
            (name, n.saturating_sub(p * per_sheet).min(per_sheet))
        })
        .collect()
}

/// Writes the report workbook to `out`: rust_xlsxwriter builds every sheet (the detail
/// sheets as placeholders) on one thread while the detail rows are written on the others,
/// then both are assembled.
pub(crate) fn write<W: Write>(
    report: &Report,
    scenario: &Scenario,
    opts: &ReportOptions,
    out: W,
) -> Result<(), Error> {
    let tr = Tr(opts.lang.fr());
    let params = Parameters::embedded()?;
    let per_sheet = opts.rows_per_sheet.clamp(1, MAX_ENTRY_ROWS);
    let valo = valuation_parts(tr, report.entries.len(), per_sheet);
    let last_end = scenario
        .fiscal_years
        .iter()
        .map(|y| y.end)
        .max()
        .unwrap_or(NaiveDate::MIN);
    let default_hpd = param(params, "hours_per_day", last_end).unwrap_or(Decimal::from(7));
    let ctx = detail::Ctx::new(report, scenario, default_hpd, tr.0);
    let mut first = 0usize;
    let parts: Vec<detail::Part> = valo
        .iter()
        .map(|(_, rows)| {
            let rows = *rows as usize;
            let p = detail::Part {
                level: opts.detail_deflate_level.clamp(1, 9),
                first,
                rows,
                own_total_row: rows > opts.excel_tables_up_to && rows > 0,
            };
            first += rows;
            p
        })
        .collect();
    let io = |e: std::io::Error| Error::Io {
        path: "(report workbook)".into(),
        message: e.to_string(),
    };
    std::thread::scope(|scope| -> Result<(), Error> {
        let valo = &valo;
        let base = scope.spawn(
            move || -> Result<(Vec<u8>, Vec<detail::Placeholder>), Error> {
                let (mut wb, placeholders) = build(report, scenario, opts, params, valo)?;
                Ok((x(wb.save_to_buffer())?, placeholders))
            },
        );
        let mut spill = tempfile::tempfile().map_err(io)?;
        let streams = detail::compress_parts(&ctx, &parts, &mut spill).map_err(io);
        let (base, placeholders) = joined(base.join())?;
        let streams = streams?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
        detail::assemble(&base, &placeholders, &streams, &mut spill, &mut out).map_err(io)?;
        out.flush().map_err(io)
    })
}

/// The result of the workbook thread: a panic there is a defect of the writer
/// ([`Error::Internal`], with the panic's message), never a problem of the input.
fn joined<T>(r: std::thread::Result<Result<T, Error>>) -> Result<T, Error> {
    r.map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Error::Internal {
            message: format!("the report workbook's writer panicked: {what}"),
        }
    })?
}

/// Every sheet of the report with rust_xlsxwriter, the valuation detail as placeholders
/// (header, total row, one prototype row) whose rows `detail` writes.
fn build(
    report: &Report,
    scenario: &Scenario,
    opts: &ReportOptions,
    params: &Parameters,
    valo: &[(String, u32)],
) -> Result<(Workbook, Vec<detail::Placeholder>), Error> {
    let tr = Tr(opts.lang.fr());
    let f = Fmts::new(tr.0);
    let mut layout = Layout {
        calc: tr.t("Calcul", "Calculation").to_string(),
        valo: valo.to_vec(),
        reports: tr.t("Reports", "Carry-forwards").to_string(),
        rows: HashMap::new(),
        rate_rows: Vec::new(),
        fy_col: HashMap::new(),
    };
    for (j, fy) in report.fiscal_years.iter().enumerate() {
        layout.fy_col.insert(
            (fy.company.clone(), fy.label.clone()),
            2 + u16::try_from(j).unwrap_or(u16::MAX - 2),
        );
    }
    let mut wb = Workbook::new();
    // The detail rows' styles get the first indices, known before the workbook is saved.
    wb.register_format(&f.date);
    wb.register_format(&f.money);
    let mut sheets: Vec<Worksheet> = Vec::new();
    sheets.push(summary_sheet(report, scenario, tr, &f)?);
    let ledgers = LedgerPlan::new(report, &layout);
    sheets.push(calc_sheet(
        report,
        scenario,
        params,
        tr,
        &f,
        &mut layout,
        &ledgers,
    )?);
    let mut placeholders = Vec::new();
    let mut start = 0usize;
    for (name, rows) in valo {
        placeholders.push(detail::Placeholder {
            entry: format!("xl/worksheets/sheet{}.xml", sheets.len() + 1),
            rows: *rows as usize,
        });
        let end = (start + *rows as usize).min(report.entries.len());
        let part = &report.entries[start.min(end)..end];
        start = end;
        sheets.push(valuation_placeholder(
            part,
            name,
            *rows,
            tr,
            &f,
            opts.excel_tables_up_to,
        )?);
    }
    sheets.push(reports_sheet(report, tr, &f, &layout, &ledgers)?);
    let receipts = x(wb.new_worksheet_with_constant_memory())?;
    sheets.push(receipts_sheet(receipts, report, tr, &f)?);
    sheets.push(declaration_sheet(report, tr, &f)?);
    let rej = x(wb.new_worksheet_with_constant_memory())?;
    sheets.push(rejections_sheet(
        rej,
        report,
        tr,
        &f,
        opts.excel_tables_up_to,
    )?);
    sheets.push(sources_sheet(report, tr, &f)?);
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    Ok((wb, placeholders))
}

// ---------------------------------------------------------------------------------------
// Synthèse

fn summary_sheet(report: &Report, scenario: &Scenario, tr: Tr, f: &Fmts) -> Res<Worksheet> {
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
        "{} {} · {} {}",
        tr.t("Politique de plafonnement :", "Salary-cap policy:"),
        match report.policies.cap_method {
            mecenat::CapMethod::Rate =>
                tr.t("rate (taux annuel plafonné)", "rate (capped annual rate)"),
            mecenat::CapMethod::Period =>
                tr.t("period (3 × PMSS par mois)", "period (3 × PMSS per month)"),
        },
        tr.t("· mecenat", "· mecenat"),
        env!("CARGO_PKG_VERSION"),
    );
    ws.text(2, 0, &policy, Some(&f.explain))?;

    let heads: Vec<&str> = vec![
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
    ];
    let fys = &report.fiscal_years;
    let sum = |g: &dyn Fn(&FiscalYearReport) -> Decimal| fys.iter().map(g).sum::<Decimal>();
    let osum = |g: &dyn Fn(&FiscalYearReport) -> Option<Money>| {
        fys.iter().filter_map(g).map(|m| m.0).sum::<Decimal>()
    };
    let totals = vec![
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
        Total::Sum(
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
    ];
    let top = 4u32;
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
            ws.text(r, 4, &y.regime, None)?;
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
            x(ws.write_number_with_format(r, 13, y.form_2069_rci_reduction as f64, &f.int))?;
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
    let mut widths = vec![12u16; heads.len()];
    widths[0] = 16;
    set_widths(&mut ws, &widths)?;
    x(ws.set_row_height(top, 45))?;
    x(ws.set_freeze_panes(top + 1, 2))?;

    // Days donated per beneficiary, with a chart of the 20 largest.
    let mut r = top + u32::try_from(fys.len()).unwrap_or(0) + 4;
    let mut per_ben: Vec<(String, String, Decimal, Decimal, Decimal)> = Vec::new();
    for b in &scenario.beneficiaries {
        let mut days = Decimal::ZERO;
        let mut hours = Decimal::ZERO;
        let mut value = Decimal::ZERO;
        for i in report
            .beneficiaries
            .iter()
            .filter(|i| i.beneficiary == b.id)
        {
            days += i.days.0;
            hours += i.hours.0;
            value += i.value_donor_cost.0;
        }
        if !days.is_zero() || !hours.is_zero() {
            per_ben.push((b.id.clone(), b.name.clone(), days, hours, value));
        }
    }
    per_ben.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
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
            ws.text(rr, 1, nm, None)?;
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
        x(ws.insert_chart(first, 6, &chart))?;
        r = last.max(first + 20) + 2;
    }

    // Rows read and rejected, warnings, assumptions.
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
        ws.text(r, 0, &i.table, None)?;
        x(ws.write_number(r, 1, i.rows as f64))?;
        x(ws.write_number(r, 2, i.rejected as f64))?;
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
        for w in list {
            x(ws.merge_range(r, 0, r, 12, cell_text(w), &f.wrap))?;
            r += 1;
        }
        r += 1;
    }
    Ok(ws)
}

fn yes_no(tr: Tr, b: bool) -> &'static str {
    if b {
        tr.t("oui", "yes")
    } else {
        tr.t("non", "no")
    }
}

// ---------------------------------------------------------------------------------------
// Ledgers: where each line sits and which line of the previous year it continues.

struct LedgerPlan {
    /// Donations ledger: first data row (0-based) and, per line, the row of the line of
    /// the previous fiscal year it continues, if any.
    don_first: u32,
    don_prev: Vec<Option<u32>>,
    /// Per (company, label): the donations ledger rows of that year (first, last).
    don_block: HashMap<(String, String), (u32, u32)>,
    red_first: u32,
    red_prev: Vec<Option<u32>>,
    red_block: HashMap<(String, String), (u32, u32)>,
}

const LEDGER_TOP: u32 = 4;
/// First column of the reduction ledger on the Reports sheet.
const RED_COL: u16 = 12;

impl LedgerPlan {
    fn new(report: &Report, _layout: &Layout) -> LedgerPlan {
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

// ---------------------------------------------------------------------------------------
// Calcul

/// Intermediate figures of one fiscal year, computed the way the formulas do, checked
/// against the library's own.
struct Chain {
    law: Law,
    ret_aid: Decimal,
    ret_std60: Decimal,
    ret_std40: Decimal,
    headroom: Decimal,
    available: Decimal,
    excess_std: Decimal,
    excess_low: Decimal,
    red_available: Decimal,
    red_prior_used: Decimal,
    red_current_used: Decimal,
    red_unused: Decimal,
}

fn chain(report: &Report, y: &FiscalYearReport, law: Law) -> Chain {
    let d = &y.donations;
    let ceiling = y.ceiling.0;
    let ret_aid = d.aid60.0.min(ceiling);
    let ret_std60 = d.std60.0.min(ceiling - ret_aid);
    let ret_std40 = d.std40.0.min(ceiling - ret_aid - ret_std60);
    let headroom = ceiling - (ret_aid + ret_std60 + ret_std40);
    let of_year = |l: &&LedgerLine| l.company == y.company && l.fiscal_year == y.label;
    let available = report
        .donations_ledger
        .iter()
        .filter(of_year)
        .map(|l| l.opening.0)
        .sum();
    let red_available: Decimal = report
        .reduction_ledger
        .iter()
        .filter(of_year)
        .map(|l| l.opening.0)
        .sum();
    let tax = y.tax_due.map(|t| t.0).unwrap_or_default();
    let red_prior_used = red_available.min(tax);
    let red_current_used = y.reduction.0.min(tax - red_prior_used);
    Chain {
        ret_aid,
        ret_std60,
        ret_std40,
        headroom,
        available,
        excess_std: (d.aid60.0 - ret_aid) + (d.std60.0 - ret_std60),
        excess_low: d.std40.0 - ret_std40,
        red_available,
        red_prior_used,
        red_current_used,
        red_unused: y.reduction.0 - red_current_used,
        law,
    }
}

#[allow(clippy::too_many_lines)]
fn calc_sheet(
    report: &Report,
    _scenario: &Scenario,
    params: &Parameters,
    tr: Tr,
    f: &Fmts,
    layout: &mut Layout,
    ledgers: &LedgerPlan,
) -> Res<Worksheet> {
    let mut ws = Worksheet::new();
    x(ws.set_name(&layout.calc))?;
    note_header(&mut ws, tr);
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
    let fys = &report.fiscal_years;
    let chains: Vec<Chain> = fys
        .iter()
        .map(|y| chain(report, y, law_of(params, y.end)))
        .collect();
    // Every rate any year uses, highest first.
    let mut rates: BTreeSet<Decimal> = BTreeSet::new();
    for (y, c) in fys.iter().zip(&chains) {
        rates.insert(c.law.std);
        rates.insert(c.law.low);
        for k in y.reduction_by_rate.keys() {
            if let Ok(r) = Decimal::from_str_exact(k) {
                rates.insert(r);
            }
        }
    }
    for l in &report.donations_ledger {
        if let Some(r) = &l.rate {
            rates.insert(r.0);
        }
    }
    let rates: Vec<Decimal> = rates.into_iter().rev().collect();

    // Row plan.
    struct Item {
        key: &'static str,
        label: &'static str,
        explain: &'static str,
        section: bool,
    }
    let it = |key, label, explain| Item {
        key,
        label,
        explain,
        section: false,
    };
    let sec = |label| Item {
        key: "",
        label,
        explain: "",
        section: true,
    };
    let mut items: Vec<Item> = vec![
        it("company", tr.t("Entreprise", "Company"), ""),
        it("label", tr.t("Exercice", "Fiscal year"), ""),
        it("start", tr.t("Début", "Start"), ""),
        it(
            "end",
            tr.t("Clôture", "End"),
            tr.t(
                "la date de clôture choisit le régime",
                "the closing date picks the regime",
            ),
        ),
        it("regime", tr.t("Régime", "Regime"), ""),
        sec(tr.t("Dons de l'exercice", "Donations of the year")),
        it(
            "staff",
            tr.t("Temps donné (coût de revient)", "Staff time (cost price)"),
            tr.t(
                "Σ des valeurs retenues de la feuille Valorisation",
                "Σ of the retained values of the Valuation sheet",
            ),
        ),
        it("cash", tr.t("Dons en numéraire", "Cash gifts"), ""),
        it("in_kind", tr.t("Dons en nature", "In-kind gifts"), ""),
        it(
            "total",
            tr.t("Total des dons", "Total donations"),
            "= temps + numéraire + nature",
        ),
        it(
            "aid60",
            tr.t(
                "dont aide aux personnes en difficulté (60 %)",
                "of which aid to people in difficulty (60 %)",
            ),
            tr.t("hors seuil des 2 M€", "outside the 2 M EUR threshold"),
        ),
        it(
            "threshold",
            tr.t("Seuil du taux réduit", "Reduced-rate threshold"),
            "",
        ),
        it(
            "std60",
            tr.t(
                "Autres dons jusqu'au seuil",
                "Other gifts up to the threshold",
            ),
            "= MIN(total − aide ; seuil)",
        ),
        it(
            "std40",
            tr.t(
                "Autres dons au-delà du seuil",
                "Other gifts above the threshold",
            ),
            tr.t(
                "= total − aide − jusqu'au seuil",
                "= total − aid − up to the threshold",
            ),
        ),
        sec(tr.t(
            "Plafond des versements retenus",
            "Ceiling on retained donations",
        )),
        it(
            "turnover",
            tr.t("Chiffre d'affaires HT", "Turnover excl. VAT"),
            "",
        ),
        it(
            "trate",
            tr.t("Part du chiffre d'affaires", "Share of turnover"),
            "",
        ),
        it("fixed", tr.t("Montant fixe", "Fixed amount"), ""),
        it(
            "ceiling",
            tr.t("Plafond", "Ceiling"),
            "= MAX(fixe ; ARRONDI(CA × part ; 2))",
        ),
        sec(tr.t(
            "Rétention : l'exercice d'abord, puis les reports",
            "Retention: the year first, then carried excesses",
        )),
        it(
            "ret_aid",
            tr.t("Retenu : aide aux personnes", "Retained: aid to people"),
            "= MIN(aide ; plafond)",
        ),
        it(
            "ret_std60",
            tr.t("Retenu : jusqu'au seuil", "Retained: up to the threshold"),
            tr.t(
                "= MIN(jusqu'au seuil ; plafond − déjà retenu)",
                "= MIN(up to threshold ; ceiling − retained)",
            ),
        ),
        it(
            "ret_std40",
            tr.t("Retenu : au-delà du seuil", "Retained: above the threshold"),
            tr.t(
                "= MIN(au-delà ; plafond − déjà retenu)",
                "= MIN(above ; ceiling − retained)",
            ),
        ),
        it(
            "retained_current",
            tr.t("Retenu de l'exercice", "Retained (this year)"),
            "",
        ),
        it(
            "headroom",
            tr.t("Marge sous le plafond", "Headroom under the ceiling"),
            "",
        ),
        it(
            "available",
            tr.t(
                "Excédents antérieurs disponibles",
                "Carried excesses available",
            ),
            tr.t(
                "= solde reporté de l'exercice précédent",
                "= previous year's carried balance",
            ),
        ),
        it(
            "retained_carried",
            tr.t("Excédents antérieurs utilisés", "Carried excesses used"),
            tr.t(
                "= MIN(disponibles ; marge), les plus anciens d'abord (feuille Reports)",
                "= MIN(available ; headroom), oldest first (Carry-forwards sheet)",
            ),
        ),
        it(
            "excess_std",
            tr.t(
                "Excédent de l'exercice à taux normal",
                "Excess of the year at the standard rate",
            ),
            "",
        ),
        it(
            "excess_low",
            tr.t(
                "Excédent de l'exercice à taux réduit",
                "Excess of the year at the reduced rate",
            ),
            "",
        ),
        it(
            "excess",
            tr.t(
                "Excédent reporté de l'exercice",
                "Excess carried from this year",
            ),
            "",
        ),
        sec(tr.t("Réduction d'impôt", "Tax reduction")),
    ];
    let mut rate_items = Vec::new();
    for _ in &rates {
        rate_items.push(items.len());
        items.push(it("rate", tr.t("Taux", "Rate"), ""));
        items.push(it(
            "rate_ret",
            tr.t("Retenu à ce taux", "Retained at this rate"),
            tr.t(
                "exercice + reports à ce taux",
                "this year + carried at this rate",
            ),
        ));
        items.push(it(
            "rate_red",
            tr.t("Réduction à ce taux", "Reduction at this rate"),
            "= ARRONDI(taux × retenu ; 2)",
        ));
    }
    items.extend([
        it(
            "reduction",
            tr.t(
                "Réduction d'impôt de l'exercice",
                "Tax reduction of the year",
            ),
            "",
        ),
        it(
            "form",
            tr.t(
                "Ligne 2069-RCI-SD (euros entiers)",
                "Form 2069-RCI-SD (whole euros)",
            ),
            "= ARRONDI(réduction ; 0)",
        ),
        sec(tr.t(
            "Report en base (excédents de dons)",
            "Carry-forward of donations",
        )),
        it(
            "don_expired",
            tr.t(
                "Excédents expirés en fin d'exercice",
                "Excesses expired at year end",
            ),
            tr.t("feuille Reports", "Carry-forwards sheet"),
        ),
        it(
            "don_closing",
            tr.t(
                "Excédents reportés après l'exercice",
                "Excesses carried after the year",
            ),
            tr.t(
                "= disponibles − utilisés + excédent − expirés",
                "= available − used + excess − expired",
            ),
        ),
        sec(tr.t(
            "Imputation sur l'impôt sur les sociétés",
            "Imputation on corporate tax",
        )),
        it(
            "tax",
            tr.t("IS dû avant réduction", "Tax due before the reduction"),
            tr.t(
                "— : non fourni, imputation non calculée",
                "—: not given, imputation not computed",
            ),
        ),
        it(
            "red_available",
            tr.t(
                "Réductions antérieures disponibles",
                "Earlier reductions available",
            ),
            "",
        ),
        it(
            "red_prior",
            tr.t("Réductions antérieures imputées", "Earlier reductions used"),
            tr.t(
                "= MIN(disponibles ; IS), les plus anciennes d'abord",
                "= MIN(available ; tax), oldest first",
            ),
        ),
        it(
            "red_current",
            tr.t(
                "Réduction de l'exercice imputée",
                "This year's reduction used",
            ),
            "= MIN(réduction ; IS − imputé)",
        ),
        it(
            "red_used",
            tr.t("Réduction imputée (total)", "Reduction used (total)"),
            "",
        ),
        it(
            "red_unused",
            tr.t(
                "Réduction de l'exercice reportée",
                "This year's reduction carried",
            ),
            "",
        ),
        it(
            "red_expired",
            tr.t("Réductions expirées", "Reductions expired"),
            tr.t("feuille Reports", "Carry-forwards sheet"),
        ),
        it(
            "red_closing",
            tr.t(
                "Report en impôt après l'exercice",
                "Unused reduction carried after the year",
            ),
            "",
        ),
    ]);
    let top = 4u32;
    let rows: Vec<u32> = (0..items.len())
        .map(|i| top + 1 + u32::try_from(i).unwrap_or(0))
        .collect();
    for (i, item) in items.iter().enumerate() {
        if !item.key.is_empty() && !item.key.starts_with("rate") {
            layout.rows.insert(item.key, rows[i]);
        }
    }
    for (k, &ri) in rate_items.iter().enumerate() {
        layout
            .rate_rows
            .push((rates[k], rows[ri], rows[ri + 1], rows[ri + 2]));
    }
    ws.text(top, 0, tr.t("Poste", "Item"), Some(&f.header))?;
    ws.text(top, 1, tr.t("Règle", "Rule"), Some(&f.header))?;
    for (i, item) in items.iter().enumerate() {
        let r = rows[i];
        if item.section {
            ws.text(r, 0, item.label, Some(&f.section))?;
            ws.text(r, 1, "", None)?;
        } else {
            ws.text(r, 0, item.label, Some(&f.bold))?;
            ws.text(r, 1, item.explain, Some(&f.explain))?;
        }
    }
    let row = |k: &str| layout.rows.get(k).copied().unwrap_or(0);
    let fm = &f.money_formula;
    for (j, (y, c)) in fys.iter().zip(&chains).enumerate() {
        let col = 2 + u16::try_from(j).unwrap_or(0);
        let at = |k: &str| a1(col, row(k));
        ws.text(
            top,
            col,
            &format!("{} · {}", y.company, y.label),
            Some(&f.header),
        )?;
        ws.text(row("company"), col, &y.company, None)?;
        ws.text(row("label"), col, &y.label, None)?;
        ws.date(row("start"), col, y.start, &f.date)?;
        ws.date(row("end"), col, y.end, &f.date)?;
        ws.text(row("regime"), col, &y.regime, None)?;
        let d = &y.donations;
        // Staff time: the retained values of the valuation sheet(s), matched exactly on
        // company and fiscal year (EXACT: no wildcard or operator in ids can leak in).
        let staff_formula = layout
            .valo
            .iter()
            .filter(|(_, rows)| *rows > 0)
            .map(|(sheet, rows)| {
                let range = |c: u16| format!("{}!{}:{}", q(sheet), abs(c, 1), abs(c, *rows));
                format!(
                    "SUMPRODUCT(EXACT({},{})*EXACT({},{})*({}=\"{}\"),{})",
                    range(vcol::COMPANY),
                    format_args!("{}${}", col_letters(u32::from(col)), row("company") + 1),
                    range(vcol::FY),
                    format_args!("{}${}", col_letters(u32::from(col)), row("label") + 1),
                    range(vcol::STATUS),
                    status_text(tr, Status::Retained),
                    range(vcol::VALUE)
                )
            })
            .collect::<Vec<_>>();
        if staff_formula.is_empty() {
            ws.money(row("staff"), col, d.staff_time.0, &f.money)?;
        } else {
            ws.formula(
                row("staff"),
                col,
                &staff_formula.join("+"),
                d.staff_time.0,
                fm,
            )?;
        }
        ws.money(row("cash"), col, d.cash.0, &f.money)?;
        ws.money(row("in_kind"), col, d.in_kind.0, &f.money)?;
        ws.formula(
            row("total"),
            col,
            &format!("{}+{}+{}", at("staff"), at("cash"), at("in_kind")),
            d.total.0,
            fm,
        )?;
        ws.money(row("aid60"), col, d.aid60.0, &f.money)?;
        match c.law.threshold {
            Some(t) => {
                ws.money(row("threshold"), col, t, &f.money)?;
                ws.formula(
                    row("std60"),
                    col,
                    &format!("MIN({}-{},{})", at("total"), at("aid60"), at("threshold")),
                    d.std60.0,
                    fm,
                )?;
            }
            None => {
                ws.text(row("threshold"), col, "—", None)?;
                ws.formula(
                    row("std60"),
                    col,
                    &format!("{}-{}", at("total"), at("aid60")),
                    d.std60.0,
                    fm,
                )?;
            }
        }
        ws.formula(
            row("std40"),
            col,
            &format!("{}-{}-{}", at("total"), at("aid60"), at("std60")),
            d.std40.0,
            fm,
        )?;
        ws.money(row("turnover"), col, y.turnover.0, &f.money)?;
        x(ws.write_number_with_format(row("trate"), col, num(c.law.turnover_rate), &f.rate))?;
        ws.money(row("fixed"), col, c.law.fixed, &f.money)?;
        ws.formula(
            row("ceiling"),
            col,
            &format!(
                "MAX({},ROUND({}*{},2))",
                at("fixed"),
                at("turnover"),
                at("trate")
            ),
            y.ceiling.0,
            fm,
        )?;
        ws.formula(
            row("ret_aid"),
            col,
            &format!("MIN({},{})", at("aid60"), at("ceiling")),
            c.ret_aid,
            fm,
        )?;
        ws.formula(
            row("ret_std60"),
            col,
            &format!("MIN({},{}-{})", at("std60"), at("ceiling"), at("ret_aid")),
            c.ret_std60,
            fm,
        )?;
        ws.formula(
            row("ret_std40"),
            col,
            &format!(
                "MIN({},{}-{}-{})",
                at("std40"),
                at("ceiling"),
                at("ret_aid"),
                at("ret_std60")
            ),
            c.ret_std40,
            fm,
        )?;
        ws.formula(
            row("retained_current"),
            col,
            &format!("{}+{}+{}", at("ret_aid"), at("ret_std60"), at("ret_std40")),
            y.retained_current.0,
            fm,
        )?;
        ws.formula(
            row("headroom"),
            col,
            &format!("{}-{}", at("ceiling"), at("retained_current")),
            c.headroom,
            fm,
        )?;
        // Available: the previous year's closing balance, when it is the same company's.
        let prev_col = (j > 0 && fys[j - 1].company == y.company).then(|| col - 1);
        match prev_col {
            Some(pc) if fys[j - 1].donations_carried_closing.0 == c.available => ws.formula(
                row("available"),
                col,
                &a1(pc, row("don_closing")),
                c.available,
                fm,
            )?,
            _ => ws.money(row("available"), col, c.available, &f.money)?,
        }
        ws.formula(
            row("retained_carried"),
            col,
            &format!("MIN({},{})", at("available"), at("headroom")),
            y.retained_carried.0,
            fm,
        )?;
        ws.formula(
            row("excess_std"),
            col,
            &format!(
                "({}-{})+({}-{})",
                at("aid60"),
                at("ret_aid"),
                at("std60"),
                at("ret_std60")
            ),
            c.excess_std,
            fm,
        )?;
        ws.formula(
            row("excess_low"),
            col,
            &format!("{}-{}", at("std40"), at("ret_std40")),
            c.excess_low,
            fm,
        )?;
        ws.formula(
            row("excess"),
            col,
            &format!("{}+{}", at("excess_std"), at("excess_low")),
            y.excess.0,
            fm,
        )?;
        // Per rate: this year's retained part at that rate, plus the carried lots used at
        // that rate (Reports sheet, this year's block).
        let block = ledgers
            .don_block
            .get(&(y.company.clone(), y.label.clone()))
            .copied();
        let mut red_cells = Vec::new();
        for &(rate, rr, rret, rred) in &layout.rate_rows {
            x(ws.write_number_with_format(rr, col, num(rate), &f.rate))?;
            let mut parts: Vec<String> = Vec::new();
            let mut current = Decimal::ZERO;
            if rate == c.law.std {
                parts.push(format!("{}+{}", at("ret_aid"), at("ret_std60")));
                current += c.ret_aid + c.ret_std60;
            }
            if rate == c.law.low {
                parts.push(at("ret_std40"));
                current += c.ret_std40;
            }
            let mut carried = Decimal::ZERO;
            if let Some((b0, b1)) = block {
                let rate_range = format!(
                    "{}!{}:{}",
                    q(&layout.reports),
                    abs(DCOL_RATE, b0),
                    abs(DCOL_RATE, b1)
                );
                let used_range = format!(
                    "{}!{}:{}",
                    q(&layout.reports),
                    abs(DCOL_USED, b0),
                    abs(DCOL_USED, b1)
                );
                parts.push(format!(
                    "SUMPRODUCT(({rate_range}={})*{used_range})",
                    a1(col, rr)
                ));
                carried = report
                    .donations_ledger
                    .iter()
                    .filter(|l| {
                        l.company == y.company
                            && l.fiscal_year == y.label
                            && l.rate.is_some_and(|r| r.0 == rate)
                    })
                    .map(|l| l.used.0)
                    .sum();
            }
            let retained = current + carried;
            if parts.is_empty() {
                ws.money(rret, col, Decimal::ZERO, &f.money)?;
            } else {
                ws.formula(rret, col, &parts.join("+"), retained, fm)?;
            }
            let red = round_cent(rate * retained);
            ws.formula(
                rred,
                col,
                &format!("ROUND({}*{},2)", a1(col, rr), a1(col, rret)),
                red,
                fm,
            )?;
            red_cells.push(a1(col, rred));
        }
        let reduction_formula = if red_cells.is_empty() {
            "0".to_string()
        } else {
            red_cells.join("+")
        };
        ws.formula(row("reduction"), col, &reduction_formula, y.reduction.0, fm)?;
        ws.formula(
            row("form"),
            col,
            &format!("ROUND({},0)", at("reduction")),
            Decimal::from(y.form_2069_rci_reduction),
            &f.money_formula,
        )?;
        match block {
            Some((b0, b1)) => ws.formula(
                row("don_expired"),
                col,
                &format!(
                    "SUM({}!{}:{})",
                    q(&layout.reports),
                    abs(DCOL_EXPIRED, b0),
                    abs(DCOL_EXPIRED, b1)
                ),
                y.donations_expired.0,
                fm,
            )?,
            None => ws.money(row("don_expired"), col, y.donations_expired.0, &f.money)?,
        }
        ws.formula(
            row("don_closing"),
            col,
            &format!(
                "{}-{}+{}-{}",
                at("available"),
                at("retained_carried"),
                at("excess"),
                at("don_expired")
            ),
            y.donations_carried_closing.0,
            fm,
        )?;
        // Imputation on tax, when the tax due is known.
        match (y.tax_due, y.reduction_used) {
            (Some(tax), Some(used)) => {
                ws.money(row("tax"), col, tax.0, &f.money)?;
                let prev_known =
                    prev_col.is_some() && fys[j - 1].reduction_carried_closing.is_some();
                match prev_col {
                    Some(pc)
                        if prev_known
                            && fys[j - 1].reduction_carried_closing.map(|m| m.0)
                                == Some(c.red_available) =>
                    {
                        ws.formula(
                            row("red_available"),
                            col,
                            &a1(pc, row("red_closing")),
                            c.red_available,
                            fm,
                        )?;
                    }
                    _ => ws.money(row("red_available"), col, c.red_available, &f.money)?,
                }
                ws.formula(
                    row("red_prior"),
                    col,
                    &format!("MIN({},{})", at("red_available"), at("tax")),
                    c.red_prior_used,
                    fm,
                )?;
                ws.formula(
                    row("red_current"),
                    col,
                    &format!("MIN({},{}-{})", at("reduction"), at("tax"), at("red_prior")),
                    c.red_current_used,
                    fm,
                )?;
                ws.formula(
                    row("red_used"),
                    col,
                    &format!("{}+{}", at("red_prior"), at("red_current")),
                    used.0,
                    fm,
                )?;
                ws.formula(
                    row("red_unused"),
                    col,
                    &format!("{}-{}", at("reduction"), at("red_current")),
                    c.red_unused,
                    fm,
                )?;
                let expired = y.reduction_expired.map(|m| m.0).unwrap_or_default();
                match ledgers.red_block.get(&(y.company.clone(), y.label.clone())) {
                    Some(&(b0, b1)) => ws.formula(
                        row("red_expired"),
                        col,
                        &format!(
                            "SUM({}!{}:{})",
                            q(&layout.reports),
                            abs(RED_COL + RCOL_EXPIRED, b0),
                            abs(RED_COL + RCOL_EXPIRED, b1)
                        ),
                        expired,
                        fm,
                    )?,
                    None => ws.money(row("red_expired"), col, expired, &f.money)?,
                }
                ws.formula(
                    row("red_closing"),
                    col,
                    &format!(
                        "{}-{}+{}-{}",
                        at("red_available"),
                        at("red_prior"),
                        at("red_unused"),
                        at("red_expired")
                    ),
                    y.reduction_carried_closing.map(|m| m.0).unwrap_or_default(),
                    fm,
                )?;
            }
            _ => {
                for k in [
                    "tax",
                    "red_available",
                    "red_prior",
                    "red_current",
                    "red_used",
                    "red_unused",
                    "red_expired",
                    "red_closing",
                ] {
                    ws.text(row(k), col, "—", None)?;
                }
            }
        }
        x(ws.set_column_width(col, 16))?;
    }
    x(ws.set_column_width(0, 44))?;
    x(ws.set_column_width(1, 46))?;
    x(ws.set_freeze_panes(top + 1, 2))?;
    Ok(ws)
}

// ---------------------------------------------------------------------------------------
// Valorisation

/// A valuation sheet as rust_xlsxwriter writes it: header (an Excel table with its total
/// row, or filters for a long sheet), widths, frozen header, and a prototype row (Excel row
/// 2) carrying the styles of the detail cells; [`detail`] writes the rows in its place.
fn valuation_placeholder(
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
        &[7, 18, 14, 11, 11, 9, 9, 6, 8, 13, 13, 9, 12, 12, 9, 40],
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
    // The prototype row: a date, an amount and a formula in the detail's formats.
    ws.date(
        1,
        vcol::DATE,
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
        &f.date,
    )?;
    ws.money(1, vcol::COST, Decimal::ZERO, &f.money)?;
    ws.formula(1, vcol::VALUE, "0", Decimal::ZERO, &f.money)?;
    Ok(ws)
}
// ---------------------------------------------------------------------------------------
// Reports (ledgers)

const DCOL_RATE: u16 = 4;
const DCOL_OPEN: u16 = 5;
const DCOL_ADDED: u16 = 6;
const DCOL_USED: u16 = 7;
const DCOL_EXPIRED: u16 = 8;
const DCOL_CLOSE: u16 = 9;
const RCOL_OPEN: u16 = 4;
const RCOL_ADDED: u16 = 5;
const RCOL_USED: u16 = 6;
const RCOL_EXPIRED: u16 = 7;
const RCOL_CLOSE: u16 = 8;

#[allow(clippy::too_many_lines)]
fn reports_sheet(
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
    let fm = &f.money_formula;
    let col_of = |l: &LedgerLine| {
        layout
            .fy_col
            .get(&(l.company.clone(), l.fiscal_year.clone()))
            .copied()
            .unwrap_or(2)
    };
    // Donations ledger.
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
    let lines = &report.donations_ledger;
    if lines.is_empty() {
        ws.text(
            LEDGER_TOP,
            0,
            tr.t("(aucun excédent)", "(no excess)"),
            Some(&f.explain),
        )?;
    } else {
        let last = plan.don_first + u32::try_from(lines.len()).unwrap_or(0) - 1;
        let table = Table::new()
            .set_name("Report_base")
            .set_style(TableStyle::Light9)
            .set_columns(&table_columns("", &dheads, &[], &f.header));
        x(ws.add_table(LEDGER_TOP, 0, last, 10, &table))?;
        let mut block_start: HashMap<(String, String), u32> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let r = plan.don_first + u32::try_from(i).unwrap_or(0);
            let col = col_of(l);
            let first = *block_start
                .entry((l.company.clone(), l.fiscal_year.clone()))
                .or_insert(r);
            ws.text(r, 0, &l.company, None)?;
            ws.text(r, 1, &l.fiscal_year, None)?;
            ws.text(r, 2, &l.origin, None)?;
            ws.date(r, 3, l.origin_end, &f.date)?;
            if let Some(rate) = &l.rate {
                x(ws.write_number_with_format(r, DCOL_RATE, num(rate.0), &f.rate))?;
            }
            match plan.don_prev[i] {
                Some(p) => ws.formula(r, DCOL_OPEN, &a1(DCOL_CLOSE, p), l.opening.0, fm)?,
                None => ws.money(r, DCOL_OPEN, l.opening.0, &f.money)?,
            }
            if l.origin == l.fiscal_year {
                // A lot created this year: its part of the year's excess, by rate.
                let c = layout.cell("excess_std", col);
                let c2 = layout.cell("excess_low", col);
                let rate = l.rate.map(|r| r.0);
                let (std, low) = layout_rates(report, l, rate);
                let formula = match (std, low) {
                    (true, true) => format!("{c}+{c2}"),
                    (true, false) => c,
                    (false, true) => c2,
                    (false, false) => String::new(),
                };
                if formula.is_empty() {
                    ws.money(r, DCOL_ADDED, l.added.0, &f.money)?;
                } else {
                    ws.formula(r, DCOL_ADDED, &formula, l.added.0, fm)?;
                }
            } else {
                ws.money(r, DCOL_ADDED, l.added.0, &f.money)?;
            }
            let headroom = layout.cell("headroom", col);
            let used = if r == first {
                format!("MIN({},{headroom})", a1(DCOL_OPEN, r))
            } else {
                format!(
                    "MIN({},{headroom}-SUM({}:{}))",
                    a1(DCOL_OPEN, r),
                    abs(DCOL_USED, first),
                    a1(DCOL_USED, r - 1)
                )
            };
            ws.formula(r, DCOL_USED, &used, l.used.0, fm)?;
            if l.last_usable_year {
                ws.formula(
                    r,
                    DCOL_EXPIRED,
                    &format!(
                        "{}+{}-{}",
                        a1(DCOL_OPEN, r),
                        a1(DCOL_ADDED, r),
                        a1(DCOL_USED, r)
                    ),
                    l.expired.0,
                    fm,
                )?;
            } else {
                ws.money(r, DCOL_EXPIRED, l.expired.0, &f.money)?;
            }
            ws.formula(
                r,
                DCOL_CLOSE,
                &format!(
                    "{}+{}-{}-{}",
                    a1(DCOL_OPEN, r),
                    a1(DCOL_ADDED, r),
                    a1(DCOL_USED, r),
                    a1(DCOL_EXPIRED, r)
                ),
                l.closing.0,
                fm,
            )?;
            ws.date(r, 10, l.usable_until, &f.date)?;
        }
    }
    // Reduction ledger.
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
    let lines = &report.reduction_ledger;
    let c0 = RED_COL;
    if lines.is_empty() {
        ws.text(
            LEDGER_TOP,
            c0,
            tr.t(
                "(aucune : IS dû non fourni, ou réduction entièrement imputée)",
                "(none: tax due not given, or reduction fully used)",
            ),
            Some(&f.explain),
        )?;
    } else {
        let last = plan.red_first + u32::try_from(lines.len()).unwrap_or(0) - 1;
        let table = Table::new()
            .set_name("Report_impot")
            .set_style(TableStyle::Light10)
            .set_columns(&table_columns("", &rheads, &[], &f.header));
        x(ws.add_table(LEDGER_TOP, c0, last, c0 + 9, &table))?;
        let mut block_start: HashMap<(String, String), u32> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let r = plan.red_first + u32::try_from(i).unwrap_or(0);
            let col = col_of(l);
            let first = *block_start
                .entry((l.company.clone(), l.fiscal_year.clone()))
                .or_insert(r);
            ws.text(r, c0, &l.company, None)?;
            ws.text(r, c0 + 1, &l.fiscal_year, None)?;
            ws.text(r, c0 + 2, &l.origin, None)?;
            ws.date(r, c0 + 3, l.origin_end, &f.date)?;
            match plan.red_prev[i] {
                Some(p) => {
                    ws.formula(r, c0 + RCOL_OPEN, &a1(c0 + RCOL_CLOSE, p), l.opening.0, fm)?
                }
                None => ws.money(r, c0 + RCOL_OPEN, l.opening.0, &f.money)?,
            }
            if l.origin == l.fiscal_year {
                ws.formula(
                    r,
                    c0 + RCOL_ADDED,
                    &layout.cell("red_unused", col),
                    l.added.0,
                    fm,
                )?;
            } else {
                ws.money(r, c0 + RCOL_ADDED, l.added.0, &f.money)?;
            }
            let tax = layout.cell("tax", col);
            let used = if r == first {
                format!("MIN({},{tax})", a1(c0 + RCOL_OPEN, r))
            } else {
                format!(
                    "MIN({},{tax}-SUM({}:{}))",
                    a1(c0 + RCOL_OPEN, r),
                    abs(c0 + RCOL_USED, first),
                    a1(c0 + RCOL_USED, r - 1)
                )
            };
            ws.formula(r, c0 + RCOL_USED, &used, l.used.0, fm)?;
            if l.last_usable_year {
                ws.formula(
                    r,
                    c0 + RCOL_EXPIRED,
                    &format!(
                        "{}+{}-{}",
                        a1(c0 + RCOL_OPEN, r),
                        a1(c0 + RCOL_ADDED, r),
                        a1(c0 + RCOL_USED, r)
                    ),
                    l.expired.0,
                    fm,
                )?;
            } else {
                ws.money(r, c0 + RCOL_EXPIRED, l.expired.0, &f.money)?;
            }
            ws.formula(
                r,
                c0 + RCOL_CLOSE,
                &format!(
                    "{}+{}-{}-{}",
                    a1(c0 + RCOL_OPEN, r),
                    a1(c0 + RCOL_ADDED, r),
                    a1(c0 + RCOL_USED, r),
                    a1(c0 + RCOL_EXPIRED, r)
                ),
                l.closing.0,
                fm,
            )?;
            ws.date(r, c0 + 9, l.usable_until, &f.date)?;
        }
    }
    let mut widths = vec![11u16; 22];
    widths[11] = 3;
    set_widths(&mut ws, &widths)?;
    x(ws.set_row_height(LEDGER_TOP, 30))?;
    x(ws.set_freeze_panes(LEDGER_TOP + 1, 0))?;
    Ok(ws)
}

/// Whether a new lot of a fiscal year collects the year's excess at the standard rate,
/// at the reduced rate, or both (when they are the same rate).
fn layout_rates(report: &Report, l: &LedgerLine, rate: Option<Decimal>) -> (bool, bool) {
    let Some(y) = report
        .fiscal_years
        .iter()
        .find(|y| y.company == l.company && y.label == l.fiscal_year)
    else {
        return (false, false);
    };
    let Ok(params) = Parameters::embedded() else {
        return (false, false);
    };
    let law = law_of(params, y.end);
    let Some(rate) = rate else {
        return (false, false);
    };
    (rate == law.std, rate == law.low)
}

// ---------------------------------------------------------------------------------------
// Reçus

/// A sequence of rows continued on a new sheet when one is full.
struct Rows {
    ws: Worksheet,
    r: u32,
}

fn receipts_sheet(mut ws: Worksheet, report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
    x(ws.set_name(tr.t("Reçus", "Receipts")))?;
    note_header(&mut ws, tr);
    set_widths(&mut ws, &[34, 16, 12, 16, 60])?;
    let mut out = Rows { ws, r: 0 };
    let w = &mut out;
    w.ws.text(
        0,
        0,
        tr.t(
            "Reçus fiscaux (Cerfa n° 16216, 2041-MEC-SD) : données par entreprise, bénéficiaire et exercice",
            "Tax receipts (Cerfa 16216, 2041-MEC-SD): data per company, beneficiary and fiscal year",
        ),
        Some(&f.title),
    )?;
    w.ws.text(1, 0, &report.disclaimer, Some(&f.note))?;
    w.r = 3;
    if report.receipts.is_empty() {
        w.ws.text(w.r, 0, tr.t("Aucun reçu.", "No receipt."), Some(&f.explain))?;
    }
    for (k, rc) in report.receipts.iter().enumerate() {
        if w.r >= LAST_ROW - 16 {
            // Excel's row limit: the rest would not fit; say so rather than lose it silently.
            w.ws.text(
                w.r,
                0,
                tr.t(
                    "… limite de lignes d'Excel atteinte : les reçus suivants sont dans le rapport JSON.",
                    "… Excel's row limit reached: the following receipts are in the JSON report.",
                ),
                Some(&f.note),
            )?;
            break;
        }
        let title = format!(
            "{} {} — {} → {} — {} {} ({} → {})",
            tr.t("Reçu", "Receipt"),
            k + 1,
            rc.company_name,
            rc.beneficiary_name,
            tr.t("exercice", "fiscal year"),
            rc.fiscal_year,
            rc.period_start,
            rc.period_end
        );
        w.ws.text(w.r, 0, &title, Some(&f.section))?;
        for c in 1..5 {
            w.ws.text(w.r, c, " ", Some(&f.section))?;
        }
        w.r += 1;
        let ids = [
            rc.beneficiary_siren
                .as_deref()
                .map(|s| format!("SIREN {s}")),
            rc.beneficiary_rna.as_deref().map(|s| format!("RNA {s}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        let company = [
            Some(rc.company_name.clone()),
            rc.company_legal_form.clone(),
            rc.company_siren.as_deref().map(|s| format!("SIREN {s}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        let lines: Vec<(&str, String)> = vec![
            (
                tr.t("Bénéficiaire", "Beneficiary"),
                rc.beneficiary_name.clone(),
            ),
            (tr.t("Identifiants", "Identifiers"), ids),
            (
                tr.t("Adresse", "Address"),
                rc.beneficiary_address.clone().unwrap_or_default(),
            ),
            (
                tr.t("Objet", "Purpose"),
                rc.beneficiary_object.clone().unwrap_or_default(),
            ),
            (
                tr.t("Catégorie", "Category"),
                rc.beneficiary_category.clone(),
            ),
            (tr.t("Donateur", "Donor"), company),
            (
                tr.t("Adresse du donateur", "Donor's address"),
                rc.company_address.clone().unwrap_or_default(),
            ),
        ];
        for (label, value) in lines {
            w.ws.text(w.r, 0, label, Some(&f.bold))?;
            w.ws.text(w.r, 1, &value, None)?;
            w.r += 1;
        }
        for (label, amount, words) in [
            (tr.t("Numéraire", "Cash"), rc.cash.0, Some(&rc.cash_words)),
            (
                tr.t("En nature", "In kind"),
                rc.in_kind.0,
                Some(&rc.in_kind_words),
            ),
            (
                tr.t("dont temps des salariés", "of which staff time"),
                rc.staff_time.0,
                None,
            ),
            (
                tr.t("dont biens et services", "of which goods and services"),
                rc.goods_value.0,
                None,
            ),
        ] {
            w.ws.text(w.r, 0, label, Some(&f.bold))?;
            w.ws.money(w.r, 1, amount, &f.money_bold)?;
            if let Some(words) = words {
                w.ws.text(w.r, 2, words, Some(&f.explain))?;
            }
            w.r += 1;
        }
        if !rc.employees.is_empty() {
            w.ws.text(
                w.r,
                0,
                tr.t("Salariés mis à disposition", "Employees made available"),
                Some(&f.header),
            )?;
            w.ws.text(w.r, 1, tr.t("Jours", "Days"), Some(&f.header))?;
            w.ws.text(w.r, 2, tr.t("Heures", "Hours"), Some(&f.header))?;
            w.ws.text(w.r, 3, tr.t("Valeur", "Value"), Some(&f.header))?;
            w.r += 1;
            for e in &rc.employees {
                if w.r >= LAST_ROW - 2 {
                    break;
                }
                w.ws.text(w.r, 0, &e.name, None)?;
                x(w.ws.write_number(w.r, 1, num(round_dp(e.days.0, 4))))?;
                x(w.ws.write_number(w.r, 2, num(round_dp(e.hours.0, 4))))?;
                w.ws.money(w.r, 3, e.value.0, &f.money)?;
                w.r += 1;
            }
        }
        if !rc.goods.is_empty() {
            w.ws.text(
                w.r,
                0,
                tr.t("Biens et services", "Goods and services"),
                Some(&f.header),
            )?;
            w.ws.text(w.r, 1, tr.t("Date", "Date"), Some(&f.header))?;
            w.ws.text(w.r, 3, tr.t("Montant", "Amount"), Some(&f.header))?;
            w.ws.text(w.r, 4, tr.t("Description", "Description"), Some(&f.header))?;
            w.r += 1;
            for g in &rc.goods {
                if w.r >= LAST_ROW - 2 {
                    break;
                }
                w.ws.date(w.r, 1, g.date, &f.date)?;
                w.ws.money(w.r, 3, g.amount.0, &f.money)?;
                w.ws.text(w.r, 4, &g.description, None)?;
                w.r += 1;
            }
        }
        w.r += 1;
    }
    Ok(out.ws)
}

// ---------------------------------------------------------------------------------------
// Déclaration

fn declaration_sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
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
        let mut r = top + 1;
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
    }
    set_widths(
        &mut ws,
        &[12, 10, 12, 28, 12, 12, 30, 20, 11, 11, 13, 30, 14],
    )?;
    x(ws.set_row_height(top, 30))?;
    x(ws.set_freeze_panes(top + 1, 0))?;
    Ok(ws)
}

// ---------------------------------------------------------------------------------------
// Rejets

fn rejections_sheet(
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
        ws.text(r, 0, &rj.table, None)?;
        x(ws.write_number(r, 1, rj.row as f64))?;
        ws.text(r, 2, rj.cell.as_deref().unwrap_or(""), None)?;
        ws.text(r, 3, rj.key.as_deref().unwrap_or(""), None)?;
        ws.text(r, 4, rj.value.as_deref().unwrap_or(""), None)?;
        let reason = if i + 1 == n && n < report.rejected.len() {
            format!(
                "{} ({} {})",
                rj.reason,
                report.rejected.len() - n,
                tr.t(
                    "autres rejets : voir le rapport JSON",
                    "more rejections: see the JSON report"
                )
            )
        } else {
            rj.reason.clone()
        };
        ws.text(r, 5, &reason, None)?;
    }
    Ok(ws)
}

// ---------------------------------------------------------------------------------------
// Sources

fn sources_sheet(report: &Report, tr: Tr, f: &Fmts) -> Res<Worksheet> {
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
    let mut r = top + n + 2;
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
    ws.text(r, 0, &report.disclaimer, Some(&f.note))?;
    set_widths(&mut ws, &[26, 14, 11, 70, 60])?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(abs(2, 4), "$C$5");
        assert_eq!(q("Synthèse"), "'Synthèse'");
        assert_eq!(q("l'an"), "'l''an'");
        assert_eq!(res(Decimal::new(1650000, 2)), "16500");
        assert_eq!(escape_col("Valeur [€]"), "Valeur '[€']");
    }

    #[test]
    fn a_panic_of_the_workbook_thread_is_a_defect_not_an_input_error() {
        let r = std::thread::spawn(|| -> Result<(), Error> { panic!("cell out of range") }).join();
        match joined(r) {
            Err(Error::Internal { message }) => assert!(message.contains("cell out of range")),
            other => panic!("{other:?}"),
        }
        let ok = std::thread::spawn(|| -> Result<u8, Error> { Ok(7) }).join();
        assert_eq!(joined(ok).unwrap(), 7);
    }
}
