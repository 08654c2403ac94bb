//! The report workbook: summary and chart, the reduction chain as live formulas, one
//! valuation row per time entry, both carry-forward ledgers, receipts, the declaration
//! list, rejections and sources.
//!
//! Every formula's cached result is the library's own figure, so the workbook opens with
//! mecenat's numbers and Excel or LibreOffice recomputes the same ones. Formulas only ever
//! reference cells: user text is written as text, never inside a formula.

use std::io::Write;

use chrono::NaiveDate;
use mecenat::money::round_dp;
use mecenat::report::{Report, Status};
use mecenat::Error;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Formula, TableColumn, TableFunction, Workbook,
    Worksheet, XlsxError,
};

use crate::cells::{cell_text, col_letters, excel_date, excel_number, xlsx_error, MAX_ENTRY_ROWS};
use crate::detail;
use crate::ReportOptions;

mod calc;
mod declaration;
mod declared;
mod forecast;
mod layout;
mod ledgers;
mod lists;
mod receipts;
mod summary;
mod valuation;
// The sheets of issue 16 and their words, page setup.
mod annex;
mod bench;
mod impact;
mod journal;
mod print;
pub(crate) mod words;

use layout::Layout;
use ledgers::LedgerPlan;

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
    excel_number(d)
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
    /// Days, hours, FTE: two decimals at most shown.
    qty: Format,
    /// Counts (people, rows): thousands separated.
    count: Format,
    /// Whole euros (the 2069-RCI line).
    euro_int: Format,
    /// A share (`62,45 %`).
    share: Format,
    /// A total amount.
    money_total: Format,
    /// A text that wraps, top aligned, in a box (the annex text).
    boxed: Format,
    /// A legal or dated value (`11,88`): up to four decimals.
    value: Format,
    /// A text that wraps, at the bottom of its cell like the figures beside it.
    wrap_bottom: Format,
}

/// The number format of money: `# ##0,00 €` in a French Excel.
pub(super) const MONEY_FMT: &str = "#,##0.00 \"€\"";
/// The number format of whole euros: `# ##0 €`.
pub(super) const EURO_INT_FMT: &str = "#,##0 \"€\"";
/// The number format of days and hours: `# ##0,00`.
pub(super) const QTY_FMT: &str = "#,##0.00";

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
            qty: Format::new().set_num_format(QTY_FMT),
            count: Format::new().set_num_format("#,##0"),
            euro_int: Format::new().set_num_format(EURO_INT_FMT),
            share: Format::new().set_num_format("0.00%"),
            money_total: Format::new().set_num_format(money).set_bold(),
            boxed: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin),
            value: Format::new().set_num_format("#,##0.00##"),
            wrap_bottom: Format::new().set_text_wrap(),
        }
    }
}

/// Writing helpers: text is always text (never a formula), absent values leave the cell
/// empty.
trait Put {
    fn text(&mut self, r: u32, c: u16, s: &str, f: Option<&Format>) -> Res;
    fn money(&mut self, r: u32, c: u16, d: Decimal, f: &Format) -> Res;
    fn qty(&mut self, r: u32, c: u16, d: Decimal) -> Res;
    /// Days, hours or a count in a number format (`# ##0,00`, `# ##0`).
    fn num_as(&mut self, r: u32, c: u16, d: Decimal, f: &Format) -> Res;
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
        let f = Format::new().set_num_format(QTY_FMT);
        x(self.write_number_with_format(r, c, num(round_dp(d, 4)), &f)).map(|_| ())
    }
    fn num_as(&mut self, r: u32, c: u16, d: Decimal, f: &Format) -> Res {
        x(self.write_number_with_format(r, c, num(round_dp(d, 4)), f)).map(|_| ())
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
                Some(Total::Sum(v)) => tc
                    .set_total_function(TableFunction::Custom(
                        Formula::new(format!("SUBTOTAL(109,{table}[{}])", escape_col(h)))
                            .set_result(res(*v)),
                    ))
                    .set_format(Format::new().set_num_format(MONEY_FMT)),
                Some(Total::SumWhole(v)) => tc
                    .set_total_function(TableFunction::Custom(
                        Formula::new(format!("SUBTOTAL(109,{table}[{}])", escape_col(h)))
                            .set_result(res(*v)),
                    ))
                    .set_format(Format::new().set_num_format(EURO_INT_FMT)),

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
    /// A sum of money (`# ##0,00 €`).
    Sum(Decimal),
    /// A sum of whole euros (`# ##0 €`).
    SumWhole(Decimal),
}

/// Status as written in the valuation sheet (Calcul sums the retained ones).
fn status_text(tr: Tr, s: Status) -> &'static str {
    detail::Words { fr: tr.0 }.status(s)
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
pub(crate) fn write<W: Write>(report: &Report, opts: &ReportOptions, out: W) -> Result<(), Error> {
    let tr = Tr(opts.lang.fr());
    let per_sheet = opts.rows_per_sheet.clamp(1, MAX_ENTRY_ROWS);
    let valo = valuation_parts(tr, report.entries.len(), per_sheet);
    let ctx = detail::Ctx::new(report, tr.0);
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
                let (mut wb, placeholders) = build(report, opts, valo)?;
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
    opts: &ReportOptions,
    valo: &[(String, u32)],
) -> Result<(Workbook, Vec<detail::Placeholder>), Error> {
    let tr = Tr(opts.lang.fr());
    let f = Fmts::new(tr.0);
    let layout = Layout::new(report, tr, valo);
    let mut wb = Workbook::new();
    // The detail rows' styles get the first indices, known before the workbook is saved.
    wb.register_format(&f.date);
    wb.register_format(&f.money);
    wb.register_format(&f.qty);
    let mut sheets: Vec<Worksheet> = Vec::new();
    sheets.push(summary::sheet(report, tr, &f)?);
    let ledgers = LedgerPlan::new(report);
    sheets.push(calc::sheet(report, tr, &f, &layout, &ledgers)?);
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
        sheets.push(valuation::placeholder(
            part,
            name,
            *rows,
            tr,
            &f,
            opts.excel_tables_up_to,
        )?);
    }
    sheets.push(ledgers::sheet(report, tr, &f, &layout, &ledgers)?);
    sheets.push(forecast::sheet(report, tr, &f, &layout, &ledgers)?);
    sheets.push(bench::sheet(report, tr, &f)?);
    sheets.push(impact::sheet(report, tr, &f)?);
    sheets.push(journal::sheet(report, tr, &f)?);
    sheets.push(annex::sheet(report, tr, &f)?);
    let receipts = x(wb.new_worksheet_with_constant_memory())?;
    sheets.push(receipts::sheet(receipts, report, tr, &f)?);
    sheets.push(declaration::declaration_sheet(report, tr, &f)?);
    sheets.push(declared::receipts_declared_sheet(report, tr, &f)?);
    let rej = x(wb.new_worksheet_with_constant_memory())?;
    sheets.push(lists::rejections_sheet(
        rej,
        report,
        tr,
        &f,
        opts.excel_tables_up_to,
    )?);
    sheets.push(lists::sources_sheet(report, tr, &f)?);
    print::setup_all(
        &mut sheets,
        report,
        tr,
        &[
            bench::name(tr),
            impact::name(tr),
            journal::name(tr),
            annex::name(tr),
        ],
    )?;
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    Ok((wb, placeholders))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_is_written_from_the_report_alone() {
        let report = crate::test_report();
        let mut out = Vec::new();
        write(&report, &ReportOptions::default(), &mut out).unwrap();
        assert!(out.starts_with(b"PK"));
    }

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
