//! The valuation detail (one row per time entry), written on every core.
//!
//! rust_xlsxwriter writes a sheet's rows and then deflates the workbook on one thread; for
//! a million time entries that is most of a report's cost. So the detail rows are
//! serialized here, in chunks of rows each turned into SpreadsheetML and deflated on its own
//! core (the chunks of one sheet form one deflate stream: each ends on a sync flush, as
//! pigz does). rust_xlsxwriter still writes everything else, including each detail sheet
//! with its header, filters or table, widths, frozen panes, total row and one prototype row
//! that shows which styles its cells use; [`assemble`] then replaces the prototype with the
//! rows, copies the other parts of the workbook as they are, and writes a plain zip (sizes
//! in data descriptors, as Java's and Apache POI's writers produce).
//!
//! Cells carry their values as exact decimal text (`72330.85`), never through a float.
//! Text is XML-escaped and always written as an inline string, never as a formula.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Seek, Write};
use std::sync::{mpsc, Arc, Mutex};

use mecenat::money::{round_cent, round_dp};
use mecenat::report::{Conversion, EntryReport, Report, Status as EntryStatus, TimeUnit};
use rust_decimal::Decimal;

use crate::cells::{cell_text, col_letters, excel_serial};
use archive::deflate_chunk;
pub(crate) use archive::{assemble, Placeholder};

mod archive;
pub(crate) mod notes;

/// Workbook style (xf) indices of the formats the detail rows use: registered first thing
/// in the workbook, so known before it is saved (and checked against the prototype row).
pub(crate) const DATE_STYLE: u32 = 1;
pub(crate) const MONEY_STYLE: u32 = 2;
/// Days, hours and the annual basis (`# ##0,00`).
pub(crate) const QTY_STYLE: u32 = 3;

/// Rows per chunk handed to a core.
const CHUNK_ROWS: usize = 8192;
/// Default deflate level of the detail rows: the fastest (less than half the time of level
/// 6, for a file about a quarter larger).
pub(crate) const DETAIL_LEVEL: u32 = 1;
/// rust_xlsxwriter's level, for the head and tail of a detail sheet.
const LEVEL: u32 = 6;

/// Columns of a detail sheet.
pub(crate) mod vcol {
    pub const ROW: u16 = 0;
    pub const WHO: u16 = 1;
    pub const BEN: u16 = 2;
    pub const DATE: u16 = 3;
    pub const COMPANY: u16 = 4;
    pub const FY: u16 = 5;
    pub const QTY: u16 = 6;
    pub const UNIT: u16 = 7;
    pub const HPD: u16 = 8;
    pub const COST: u16 = 9;
    pub const CAP: u16 = 10;
    pub const BASIS: u16 = 11;
    pub const UNIT_VALUE: u16 = 12;
    pub const VALUE: u16 = 13;
    pub const STATUS: u16 = 14;
    pub const REASON: u16 = 15;
    pub const LAST: u16 = REASON;
}

/// French or English labels of the detail rows.
#[derive(Clone, Copy)]
pub(crate) struct Words {
    pub fr: bool,
}

impl Words {
    fn t(self, fr: &'static str, en: &'static str) -> &'static str {
        if self.fr {
            fr
        } else {
            en
        }
    }

    pub(crate) fn status(self, s: EntryStatus) -> &'static str {
        match s {
            EntryStatus::Retained => self.t("retenue", "retained"),
            EntryStatus::Excluded => self.t("exclue", "excluded"),
            EntryStatus::Rejected => self.t("rejetée", "rejected"),
        }
    }
}

/// How an entry's value is reproduced in Excel.
enum Valued {
    /// A ROUND formula, with the cells it needs.
    Formula {
        qty: Decimal,
        unit: &'static str,
        hpd: Option<Decimal>,
        kind: Conv,
    },
    /// The value as a constant, with the reason it is not a formula.
    Constant {
        qty: Option<(Decimal, &'static str)>,
        note: &'static str,
    },
    /// No value (rejected row, volunteer's own time).
    None {
        qty: Option<(Decimal, &'static str)>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Conv {
    Same,
    HoursOnDays,
    DaysOnHours,
}

/// What the detail rows need: the report and the language.
pub(crate) struct Ctx<'a> {
    pub report: &'a Report,
    pub words: Words,
    /// The quantity as given of the lines without a conversion (rejected while valued,
    /// volunteers' own time), by row.
    rejected_quantities: HashMap<usize, (Decimal, TimeUnit)>,
    /// The rows whose value the period policy scaled down.
    period_scaled: std::collections::HashSet<usize>,
    /// The rejections of the time entries, by row (their notes come from their kinds).
    rejections: HashMap<usize, &'a mecenat::Rejection>,
    /// Each named employee's cell text, `id · name`, made once (not once a row).
    who: HashMap<&'a str, String>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(report: &'a Report, fr: bool) -> Self {
        Ctx {
            report,
            words: Words { fr },
            rejected_quantities: report
                .rejected_quantities
                .iter()
                .map(|&(row, q, unit)| (row, (q.0, unit)))
                .collect(),
            period_scaled: report
                .period_caps
                .iter()
                .flat_map(|m| m.rows.iter().copied())
                .collect(),
            rejections: report
                .rejected
                .iter()
                .filter(|r| r.table == "time_entries")
                .map(|r| (r.row, r))
                .collect(),
            who: report
                .names
                .employees
                .iter()
                .map(|(id, name)| (id.as_str(), format!("{id} · {name}")))
                .collect(),
        }
    }

    /// An entry's quantity as given, in its unit: days when given in days, hours when in
    /// hours (a line rejected while valuing has neither: the report lists it apart).
    fn given(&self, e: &EntryReport) -> Option<(Decimal, TimeUnit)> {
        match e.conversion.map(given_unit) {
            Some(TimeUnit::Days) => e.days.map(|d| (d.0, TimeUnit::Days)),
            Some(TimeUnit::Hours) => e.hours.map(|h| (h.0, TimeUnit::Hours)),
            None if self.rejected_quantities.is_empty() => None,
            None => self.rejected_quantities.get(&e.row).copied(),
        }
    }

    /// How an entry's value is shown, from the report's figures alone: a `ROUND` formula
    /// on the row's cells when it reproduces the value, the value itself otherwise.
    fn valued(&self, e: &EntryReport) -> Valued {
        let w = self.words;
        let given = self.given(e);
        let qty = given.map(|(q, unit)| match unit {
            TimeUnit::Days => (q, w.t("j", "d")),
            TimeUnit::Hours => (q, "h"),
        });
        let Some(value) = e.value else {
            return Valued::None { qty };
        };
        let constant = |note| Valued::Constant { qty, note };
        let by_mecenat = w.t("valeur calculée par mecenat", "value computed by mecenat");
        let (Some(cost), Some(a), Some(_), Some(basis), Some((q, given)), Some(hpd)) = (
            e.annual_cost,
            e.annual_units,
            e.employee.as_deref(),
            e.conversion.map(basis_unit),
            given,
            e.hours_per_day,
        ) else {
            return constant(by_mecenat);
        };
        let (a, hpd) = (a.0, hpd.0);
        let capped = e.cost_cap.map_or(cost.0, |c| cost.0.min(c.0));
        let (unit, kind, expr) = match (basis, given) {
            (TimeUnit::Days, TimeUnit::Days) => (w.t("j", "d"), Conv::Same, q * capped / a),
            (TimeUnit::Hours, TimeUnit::Hours) => ("h", Conv::Same, q * capped / a),
            (TimeUnit::Days, TimeUnit::Hours) => {
                (w.t("h→j", "h→d"), Conv::HoursOnDays, q * capped / (a * hpd))
            }
            (TimeUnit::Hours, TimeUnit::Days) => {
                (w.t("j→h", "d→h"), Conv::DaysOnHours, q * hpd * capped / a)
            }
        };
        if self.period_scaled.contains(&e.row) || round_cent(expr) != value.0 {
            return constant(w.t(
                "plafond mensuel (méthode period) : valeur répartie par mecenat",
                "monthly cap (period method): value allocated by mecenat",
            ));
        }
        Valued::Formula {
            qty: q,
            unit,
            hpd: (!matches!(kind, Conv::Same)).then_some(hpd),
            kind,
        }
    }
}

/// The unit a quantity was given in, from its conversion.
fn given_unit(c: Conversion) -> TimeUnit {
    match c {
        Conversion::Days | Conversion::DaysToHours => TimeUnit::Days,
        Conversion::Hours | Conversion::HoursToDays => TimeUnit::Hours,
    }
}

/// The pay row's basis, from a conversion.
fn basis_unit(c: Conversion) -> TimeUnit {
    match c {
        Conversion::Days | Conversion::HoursToDays => TimeUnit::Days,
        Conversion::Hours | Conversion::DaysToHours => TimeUnit::Hours,
    }
}

/// Appends text as XML character data: markup characters escaped, characters XML cannot
/// hold written as Excel's `_xHHHH_`, and a literal `_xHHHH_` protected the same way.
fn esc(out: &mut String, s: &str) {
    let b = s.as_bytes();
    if !b
        .iter()
        .any(|&c| matches!(c, b'&' | b'<' | b'>' | b'_' | 0..=0x1F | 0xEF))
    {
        // Nothing to escape (U+FFFE and U+FFFF start with the byte 0xEF).
        out.push_str(s);
        return;
    }
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", c as u32);
            }
            '_' if b.len() >= i + 7
                && b[i + 1] == b'x'
                && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
                && b[i + 6] == b'_' =>
            {
                out.push_str("_x005F_");
            }
            c => out.push(c),
        }
    }
}

/// Column letters of the detail columns, computed once.
struct Cols([String; vcol::LAST as usize + 1]);

impl Cols {
    fn new() -> Cols {
        Cols(std::array::from_fn(|i| col_letters(i as u32)))
    }
}

struct RowWriter<'a> {
    out: &'a mut String,
    cols: &'a Cols,
    /// The row number, as text.
    r: &'a str,
}

/// Appends an integer in decimal (cells are written by the million: no formatting machinery).
/// Going through `mecenat::money::push_decimal` instead cost about 1 CPU s more over the
/// million detail rows (measured), hence this integer-only twin.
fn push_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    let digits = mecenat::money::uint_text(v.unsigned_abs(), &mut buf);
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
}

impl RowWriter<'_> {
    fn open(&mut self, col: u16, style: Option<u32>, t: Option<&str>) {
        self.out.push_str("<c r=\"");
        self.out.push_str(&self.cols.0[col as usize]);
        self.out.push_str(self.r);
        self.out.push('"');
        if let Some(s) = style {
            self.out.push_str(" s=\"");
            push_int(self.out, i64::from(s));
            self.out.push('"');
        }
        if let Some(t) = t {
            self.out.push_str(" t=\"");
            self.out.push_str(t);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn text(&mut self, col: u16, s: &str) {
        if s.is_empty() {
            return;
        }
        let s = cell_text(s);
        self.open(col, None, Some("inlineStr"));
        if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
            self.out.push_str("<is><t xml:space=\"preserve\">");
        } else {
            self.out.push_str("<is><t>");
        }
        esc(self.out, s);
        self.out.push_str("</t></is></c>");
    }

    fn int(&mut self, col: u16, style: Option<u32>, v: i64) {
        self.open(col, style, None);
        self.out.push_str("<v>");
        push_int(self.out, v);
        self.out.push_str("</v></c>");
    }

    fn number(&mut self, col: u16, style: Option<u32>, v: Decimal) {
        self.open(col, style, None);
        self.out.push_str("<v>");
        mecenat::money::push_decimal(self.out, v);
        self.out.push_str("</v></c>");
    }

    /// A formula written by `f` (which appends its text), with its cached value.
    fn formula(&mut self, col: u16, style: Option<u32>, f: impl FnOnce(&mut String), v: Decimal) {
        self.open(col, style, None);
        self.out.push_str("<f>");
        f(self.out);
        self.out.push_str("</f><v>");
        mecenat::money::push_decimal(self.out, v.normalize());
        self.out.push_str("</v></c>");
    }
}

/// Appends `MIN(J{r},K{r})` (annual cost capped) or `J{r}` (no cap).
fn push_capped(out: &mut String, r: &str, cap: bool) {
    if cap {
        for p in ["MIN(J", r, ",K", r, ")"] {
            out.push_str(p);
        }
    } else {
        out.push('J');
        out.push_str(r);
    }
}

/// Appends one detail row (Excel row `r`, 1-based) as SpreadsheetML.
fn row_xml(out: &mut String, cols: &Cols, ctx: &Ctx<'_>, r: u32, e: &EntryReport) {
    let mut rs = String::with_capacity(8);
    push_int(&mut rs, i64::from(r));
    let r = rs.as_str();
    out.push_str("<row r=\"");
    out.push_str(r);
    out.push_str("\">");
    let mut w = RowWriter { out, cols, r };
    w.int(vcol::ROW, None, i64::try_from(e.row).unwrap_or(i64::MAX));
    if let Some(who) = e.employee.as_deref() {
        w.text(vcol::WHO, ctx.who.get(who).map_or(who, String::as_str));
    } else if let Some(who) = e.volunteer.as_deref() {
        w.text(vcol::WHO, who);
    }
    if let Some(b) = &e.beneficiary {
        w.text(vcol::BEN, b);
    }
    if let Some(d) = e.date {
        w.int(vcol::DATE, Some(DATE_STYLE), excel_serial(d));
    }
    if let Some(c) = &e.company {
        w.text(vcol::COMPANY, c);
    }
    if let Some(y) = &e.fiscal_year {
        w.text(vcol::FY, y);
    }
    let valued = ctx.valued(e);
    let qty = match &valued {
        Valued::Formula { qty, unit, .. } => Some((*qty, *unit)),
        Valued::Constant { qty, .. } | Valued::None { qty } => *qty,
    };
    if let Some((q, unit)) = qty {
        w.number(vcol::QTY, Some(QTY_STYLE), q.normalize());
        w.text(vcol::UNIT, notes::unit_words(ctx.words.fr, unit));
    }
    if let Valued::Formula { hpd: Some(h), .. } = &valued {
        w.number(vcol::HPD, Some(QTY_STYLE), h.normalize());
    }
    if let Some(c) = e.annual_cost {
        w.number(vcol::COST, Some(MONEY_STYLE), c.0.normalize());
    }
    if let Some(c) = e.cost_cap {
        w.number(vcol::CAP, Some(MONEY_STYLE), c.0.normalize());
    }
    let cap = e.cost_cap.is_some();
    if let Some(a) = e.annual_units {
        w.number(vcol::BASIS, Some(QTY_STYLE), round_dp(a.0, 4).normalize());
        // Cost per day or hour of the basis: informational; the value's formula
        // multiplies before dividing, as the engine does.
        if let (Some(c), false) = (e.annual_cost, a.0.is_zero()) {
            let capped = e.cost_cap.map_or(c.0, |k| c.0.min(k.0));
            w.formula(
                vcol::UNIT_VALUE,
                Some(MONEY_STYLE),
                |o| {
                    push_capped(o, r, cap);
                    o.push_str("/L");
                    o.push_str(r);
                },
                round_dp(capped / a.0, 10),
            );
        }
    }
    let note = value_cell(&mut w, e, &valued, r, cap);
    w.text(vcol::STATUS, ctx.words.status(e.status));
    let reason = e
        .reason
        .as_deref()
        .map(|r| notes::entry_note(ctx.words.fr, r, ctx.rejections.get(&e.row).copied()));
    match (&reason, note) {
        (Some(reason), Some(n)) => {
            let sep = if ctx.words.fr { " ; " } else { "; " };
            w.text(vcol::REASON, &format!("{reason}{sep}{n}"));
        }
        (Some(reason), None) => w.text(vcol::REASON, reason),
        (None, Some(n)) => w.text(vcol::REASON, n),
        (None, None) => {}
    }
    out.push_str("</row>");
}

/// The value cell: its `ROUND` formula, or the value with the note saying why it is not a
/// formula (returned).
fn value_cell(
    w: &mut RowWriter<'_>,
    e: &EntryReport,
    valued: &Valued,
    r: &str,
    cap: bool,
) -> Option<&'static str> {
    match *valued {
        Valued::Formula { kind, .. } => {
            let v = e.value.map(|v| v.0).unwrap_or_default();
            // ROUND(G*capped/L,2), ROUND(G*capped/(L*I),2) or ROUND(G*I*capped/L,2).
            w.formula(
                vcol::VALUE,
                Some(MONEY_STYLE),
                |o| {
                    o.push_str("ROUND(G");
                    o.push_str(r);
                    o.push('*');
                    if kind == Conv::DaysOnHours {
                        o.push('I');
                        o.push_str(r);
                        o.push('*');
                    }
                    push_capped(o, r, cap);
                    if kind == Conv::HoursOnDays {
                        for p in ["/(L", r, "*I", r, "),2)"] {
                            o.push_str(p);
                        }
                    } else {
                        for p in ["/L", r, ",2)"] {
                            o.push_str(p);
                        }
                    }
                },
                v,
            );
            None
        }
        Valued::Constant { note, .. } => {
            if let Some(v) = e.value {
                w.number(vcol::VALUE, Some(MONEY_STYLE), v.0.normalize());
            }
            Some(note)
        }
        Valued::None { .. } => None,
    }
}

/// The total row of a detail sheet without an Excel table (Excel row `r`).
fn total_row_xml(out: &mut String, r: u32, last_data_row: u32, total: Decimal) {
    let _ = write!(
        out,
        "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>Total</t></is></c>\
         <c r=\"N{r}\" s=\"{MONEY_STYLE}\"><f>SUBTOTAL(109,N2:N{last_data_row})</f><v>{}</v></c></row>",
        total.normalize()
    );
}

/// One detail sheet's rows, deflated, in the spill file.
pub(crate) struct PartStream {
    /// Where the compressed rows start in the spill file, and their length.
    pub start: u64,
    pub len: u64,
    /// CRC-32 and length of the uncompressed rows.
    pub crc: crc32fast::Hasher,
    pub raw_len: u64,
}

/// One detail sheet to write: its entries (a range of the report's) and whether its total
/// row is written with the rows (sheets too long for an Excel table).
pub(crate) struct Part {
    pub level: u32,
    pub first: usize,
    pub rows: usize,
    pub own_total_row: bool,
}

/// A chunk of deflated rows, its CRC and its inflated length.
type Done = io::Result<(Vec<u8>, crc32fast::Hasher, u64)>;

/// Chunk `k` of a part: its rows (and the part's total row after the last) as
/// SpreadsheetML, deflated.
fn chunk(ctx: &Ctx<'_>, cols: &Cols, part: &Part, k: usize) -> Done {
    let lo = part.first + k * CHUNK_ROWS;
    let hi = (lo + CHUNK_ROWS).min(part.first + part.rows);
    let mut xml = String::with_capacity((hi - lo) * 800);
    for i in lo..hi {
        let r = u32::try_from(i - part.first + 2).unwrap_or(u32::MAX);
        row_xml(&mut xml, cols, ctx, r, &ctx.report.entries[i]);
    }
    if part.own_total_row && hi == part.first + part.rows {
        let last = u32::try_from(part.rows + 1).unwrap_or(u32::MAX);
        let total: Decimal = ctx.report.entries[part.first..hi]
            .iter()
            .filter_map(|e| e.value)
            .map(|v| v.0)
            .sum();
        total_row_xml(&mut xml, last + 1, last, total);
    }
    let mut h = crc32fast::Hasher::new();
    h.update(xml.as_bytes());
    deflate_chunk(xml.as_bytes(), false, part.level).map(|z| (z, h, xml.len() as u64))
}

/// Serializes and deflates the rows of every part on every core, into `spill`.
pub(crate) fn compress_parts<S: Write + Seek>(
    ctx: &Ctx<'_>,
    parts: &[Part],
    spill: &mut S,
) -> io::Result<Vec<PartStream>> {
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .clamp(1, 8);
    let cols = Cols::new();
    let mut streams = Vec::with_capacity(parts.len());
    for part in parts {
        let start = spill.stream_position()?;
        let n_chunks = part.rows.div_ceil(CHUNK_ROWS);
        let mut crc = crc32fast::Hasher::new();
        let mut raw_len: u64 = 0;
        let mut written: u64 = 0;
        std::thread::scope(|scope| -> io::Result<()> {
            let (job_tx, job_rx) = mpsc::sync_channel::<usize>(workers * 2);
            let job_rx = Arc::new(Mutex::new(job_rx));
            let (res_tx, res_rx) = mpsc::channel::<(usize, Done)>();
            for _ in 0..workers {
                let job_rx = Arc::clone(&job_rx);
                let res_tx = res_tx.clone();
                let cols = &cols;
                scope.spawn(move || loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(k) = job else { return };
                    if res_tx.send((k, chunk(ctx, cols, part, k))).is_err() {
                        return;
                    }
                });
            }
            drop(res_tx);
            let mut pending: BTreeMap<usize, (Vec<u8>, crc32fast::Hasher, u64)> = BTreeMap::new();
            let mut next = 0usize;
            let mut flush = |pending: &mut BTreeMap<usize, (Vec<u8>, crc32fast::Hasher, u64)>,
                             next: &mut usize|
             -> io::Result<()> {
                while let Some((z, h, n)) = pending.remove(next) {
                    spill.write_all(&z)?;
                    written += z.len() as u64;
                    crc.combine(&h);
                    raw_len += n;
                    *next += 1;
                }
                Ok(())
            };
            for k in 0..n_chunks {
                job_tx
                    .send(k)
                    .map_err(|_| io::Error::other("a writing thread stopped"))?;
                while let Ok((i, done)) = res_rx.try_recv() {
                    pending.insert(i, done?);
                }
                flush(&mut pending, &mut next)?;
            }
            drop(job_tx);
            while next < n_chunks {
                let (i, done) = res_rx
                    .recv()
                    .map_err(|_| io::Error::other("a writing thread stopped"))?;
                pending.insert(i, done?);
                flush(&mut pending, &mut next)?;
            }
            Ok(())
        })?;
        streams.push(PartStream {
            start,
            len: written,
            crc,
            raw_len,
        });
    }
    Ok(streams)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_report;

    #[test]
    fn values_are_formulas_from_the_report_alone() {
        let report = test_report();
        let ctx = Ctx::new(&report, true);
        let e = &report.entries;
        // Days on a days basis: the value's formula, no hours per day shown.
        assert!(matches!(
            ctx.valued(&e[0]),
            Valued::Formula {
                unit: "j",
                hpd: None,
                kind: Conv::Same,
                ..
            }
        ));
        // Hours on a days basis: converted with the hours per day the report gives.
        match ctx.valued(&e[1]) {
            Valued::Formula {
                qty,
                unit,
                hpd: Some(h),
                kind: Conv::HoursOnDays,
            } => {
                assert_eq!((qty, unit), (Decimal::new(35, 1), "h→j"));
                assert_eq!(Some(h), e[1].hours_per_day.map(|q| q.0));
            }
            _ => panic!("hours on days"),
        }
        // Rejected while valuing (unknown employee): the quantity as given, no value.
        assert!(matches!(
            ctx.valued(&e[2]),
            Valued::None { qty: Some((q, "j")) } if q == Decimal::ONE
        ));
        // A volunteer: the hours as given, no value.
        assert!(matches!(
            ctx.valued(&e[3]),
            Valued::None {
                qty: Some((_, "h"))
            }
        ));
        // A value the period policy scaled is shown as mecenat's figure.
        let mut scaled_report = report.clone();
        scaled_report.period_caps.push(mecenat::report::PeriodCap {
            employee: "E1".into(),
            month: "2025-03".into(),
            cap: mecenat::money::Money(Decimal::ONE),
            uncapped: mecenat::money::Money(Decimal::TWO),
            rows: vec![e[0].row],
        });
        let scaled = Ctx::new(&scaled_report, false);
        assert!(matches!(scaled.valued(&e[0]), Valued::Constant { .. }));
    }

    #[test]
    fn a_row_holds_its_round_formula_and_cached_value() {
        let report = test_report();
        let ctx = Ctx::new(&report, false);
        let mut out = String::new();
        row_xml(&mut out, &Cols::new(), &ctx, 2, &report.entries[0]);
        let value = report.entries[0].value.unwrap().0;
        assert!(
            out.contains(&format!(
                "<f>ROUND(G2*MIN(J2,K2)/L2,2)</f><v>{}</v>",
                value.normalize()
            )),
            "{out}"
        );
        assert!(out.contains("<t>retained</t>"));
    }

    #[test]
    fn text_is_escaped_for_xml() {
        let mut s = String::new();
        esc(&mut s, "a<b>&c \u{1} _x0041_ =SUM(A1)");
        assert_eq!(s, "a&lt;b&gt;&amp;c _x0001_ _x005F_x0041_ =SUM(A1)");
    }
}
