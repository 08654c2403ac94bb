//! The JSON writer: the entries, most of the report's bytes, are rendered on both cores in
//! blocks and written in order; the rest is serde_json's own output. The bytes are exactly
//! those of `serde_json::to_writer` (or `to_writer_pretty`) on the whole report.

use std::cell::Cell;
use std::io::{self, Write};

use serde::{Serialize, Serializer};
#[cfg(test)]
use serde_json::ser::Formatter;

use super::{EntryReport, JsonPiece, Report};
use crate::money::{Money, Qty};

thread_local! {
    /// Set while the report's other members are serialized: the entries are then
    /// written as [`MARK`], to be replaced by the rendered entries.
    static MARK_ENTRIES: Cell<bool> = const { Cell::new(false) };
}

/// Stands for the entries in the shell. Its quotes are unescaped in the output, which
/// user text (always escaped) can never produce, and the key before it is unique.
const MARK: &str = "\u{1}mecenat:entries\u{1}";

pub(super) fn entries_or_mark<S: Serializer>(
    entries: &Vec<EntryReport>,
    s: S,
) -> Result<S::Ok, S::Error> {
    if MARK_ENTRIES.with(Cell::get) {
        s.serialize_str(MARK)
    } else {
        entries.serialize(s)
    }
}

/// Resets the flag even if serialization fails.
struct Marking;

impl Marking {
    fn on() -> Self {
        MARK_ENTRIES.with(|m| m.set(true));
        Marking
    }
}

impl Drop for Marking {
    fn drop(&mut self) {
        MARK_ENTRIES.with(|m| m.set(false));
    }
}

/// Entries per block (a few MB of text: the whole text is never held).
const BLOCK: usize = 1 << 13;

pub(super) fn write<W: Write>(report: &Report, mut w: W, pretty: bool) -> io::Result<()> {
    let mut rest = Vec::new();
    emit(report, pretty, |piece| match piece {
        JsonPiece::Shell { head, tail, .. } => {
            rest = tail;
            w.write_all(&head)
        }
        JsonPiece::Entries { bytes, .. } => w.write_all(&bytes),
    })?;
    w.write_all(&rest)
}

/// Hands the report's JSON text to `take` in pieces ([`JsonPiece`]): the bytes of
/// [`write`], never copied into one buffer.
pub(super) fn pieces(
    report: &Report,
    pretty: bool,
    mut take: impl FnMut(JsonPiece),
) -> io::Result<()> {
    emit(report, pretty, |piece| {
        take(piece);
        Ok(())
    })
}

/// The JSON text in pieces, handed to `out`: the text around the entries first (brackets
/// included), then the entries' blocks in order, each block's bytes taken from the buffer
/// it was rendered into.
fn emit(
    report: &Report,
    pretty: bool,
    mut out: impl FnMut(JsonPiece) -> io::Result<()>,
) -> io::Result<()> {
    let t0 = std::time::Instant::now();
    let mut shell = Vec::with_capacity(1 << 16);
    {
        let _marking = Marking::on();
        if pretty {
            serde_json::to_writer_pretty(&mut shell, report)?;
        } else {
            serde_json::to_writer(&mut shell, report)?;
        }
    }
    let key: &[u8] = if pretty {
        b"\n  \"entries\": "
    } else {
        b"\"entries\":"
    };
    let mut quoted = Vec::new();
    serde_json::to_writer(&mut quoted, MARK)?;
    let needle = [key, &quoted].concat();
    let at = shell
        .windows(needle.len())
        .position(|x| x == needle.as_slice())
        .ok_or_else(|| io::Error::other("the entries' place was not found in the report"))?;
    phase!(t0, "json: all but the entries serialized");
    let entries = &report.entries;
    let mut head = shell[..at + key.len()].to_vec();
    head.push(b'[');
    let mut tail = if pretty && !entries.is_empty() {
        b"\n  ]".to_vec()
    } else {
        b"]".to_vec()
    };
    tail.extend_from_slice(&shell[at + needle.len()..]);
    drop(shell);
    out(JsonPiece::Shell {
        head,
        tail,
        entries: entries.len(),
    })?;
    let blocks: Vec<&[EntryReport]> = entries.chunks(BLOCK).collect();
    let mut next = 0;
    crate::par::render_in_order(
        &blocks,
        |i, block, buf| render(block, i == 0, pretty, buf),
        |bytes| {
            let count = blocks[next].len();
            next += 1;
            out(JsonPiece::Entries {
                bytes: std::mem::take(bytes),
                count,
            })
        },
    )?;
    phase!(t0, "json: entries written");
    Ok(())
}

/// One block of entries, each preceded by its separator, as the whole report's
/// serializer would write them inside the entries array (`first`: the block starts it).
fn render(block: &[EntryReport], first: bool, pretty: bool, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    let keys = EntryKeys::new(pretty);
    for (k, e) in block.iter().enumerate() {
        let first = first && k == 0;
        if pretty {
            buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
        } else if !first {
            buf.push(b',');
        }
        write_entry(e, &keys, buf)?;
    }
    Ok(())
}

/// The text before each member's value of an entry object (its separator, indentation and
/// quoted key), and after its last, as serde_json writes them at the entries' depth.
struct EntryKeys {
    before: [Vec<u8>; ENTRY_FIELDS.len()],
    end: &'static [u8],
}

/// The members of an entry, in [`EntryReport`]'s order (a test checks them against serde's).
const ENTRY_FIELDS: [&str; 20] = [
    "row",
    "employee",
    "volunteer",
    "beneficiary",
    "date",
    "company",
    "fiscal_year",
    "days",
    "hours",
    "annual_cost",
    "cost_cap",
    "annual_units",
    "units",
    "conversion",
    "hours_per_day",
    "value",
    "status",
    "reason",
    "project",
    "activity",
];

impl EntryKeys {
    fn new(pretty: bool) -> Self {
        let before = std::array::from_fn(|i| {
            let open: &[u8] = match (i, pretty) {
                (0, true) => b"{\n      \"",
                (_, true) => b",\n      \"",
                (0, false) => b"{\"",
                (_, false) => b",\"",
            };
            let colon: &[u8] = if pretty { b"\": " } else { b"\":" };
            [open, ENTRY_FIELDS[i].as_bytes(), colon].concat()
        });
        let end: &[u8] = if pretty { b"\n    }" } else { b"}" };
        EntryKeys { before, end }
    }
}

/// One entry object, byte for byte as serde_json writes [`EntryReport`]'s derived
/// serialization, without its machinery: the keys are written once per block, the values
/// straight into the buffer.
fn write_entry(e: &EntryReport, keys: &EntryKeys, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut i = 0;
    let mut key = |buf: &mut Vec<u8>| {
        buf.extend_from_slice(&keys.before[i]);
        i += 1;
    };
    key(buf);
    buf.extend_from_slice(crate::money::uint_text(e.row as u64, &mut [0; 20]));
    for text in [&e.employee, &e.volunteer, &e.beneficiary] {
        key(buf);
        opt_text(text.as_deref(), buf)?;
    }
    key(buf);
    match e.date.map(|d| (d, crate::money::iso_date_text(d))) {
        Some((_, Some(text))) => {
            buf.push(b'"');
            buf.extend_from_slice(&text);
            buf.push(b'"');
        }
        Some((d, None)) => serde_json::to_writer(&mut *buf, &d)?,
        None => buf.extend_from_slice(b"null"),
    }
    for text in [&e.company, &e.fiscal_year] {
        key(buf);
        opt_text(text.as_deref(), buf)?;
    }
    for shown in [
        e.days.map(Qty::shown),
        e.hours.map(Qty::shown),
        e.annual_cost.map(Money::shown),
        e.cost_cap.map(Money::shown),
        e.annual_units.map(Qty::shown),
        e.units.map(Qty::shown),
    ] {
        key(buf);
        opt_decimal(shown, buf);
    }
    key(buf);
    match e.conversion {
        Some(c) => serde_json::to_writer(&mut *buf, &c)?,
        None => buf.extend_from_slice(b"null"),
    }
    key(buf);
    opt_decimal(e.hours_per_day.map(Qty::shown), buf);
    key(buf);
    opt_decimal(e.value.map(Money::shown), buf);
    key(buf);
    serde_json::to_writer(&mut *buf, &e.status)?;
    key(buf);
    opt_text(e.reason.as_deref(), buf)?;
    for text in [&e.project, &e.activity] {
        key(buf);
        opt_text(text.as_deref(), buf)?;
    }
    buf.extend_from_slice(keys.end);
    Ok(())
}

/// A text as a JSON string (`null` when absent): copied as is between its quotes when
/// nothing in it needs escaping, else escaped by serde_json.
fn opt_text(text: Option<&str>, buf: &mut Vec<u8>) -> io::Result<()> {
    match text {
        None => buf.extend_from_slice(b"null"),
        Some(t) if t.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') => {
            buf.push(b'"');
            buf.extend_from_slice(t.as_bytes());
            buf.push(b'"');
        }
        Some(t) => serde_json::to_writer(&mut *buf, t)?,
    }
    Ok(())
}

/// A decimal as it is shown ([`Money::shown`], [`Qty::shown`]) as a JSON string, `null`
/// when absent.
fn opt_decimal(shown: Option<rust_decimal::Decimal>, buf: &mut Vec<u8>) {
    let Some(d) = shown else {
        buf.extend_from_slice(b"null");
        return;
    };
    buf.push(b'"');
    buf.extend_from_slice(crate::money::DecimalText::new(d).as_str().as_bytes());
    buf.push(b'"');
}

/// serde_json's pretty formatter (two spaces), starting at a given depth.
#[cfg(test)]
struct PrettyAt {
    level: usize,
    has_value: bool,
}

#[cfg(test)]
impl PrettyAt {
    fn new(level: usize) -> Self {
        PrettyAt {
            level,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        let mut n = 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

#[cfg(test)]
impl PrettyAt {
    /// Opens an array or an object: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Closes it, on a line of its own when it holds something.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Starts a value or a key: a new line, after a comma unless it is the first.
    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

#[cfg(test)]
impl Formatter for PrettyAt {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Conversion, Status};
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use std::sync::Arc;

    /// serde's own bytes for one entry at the entries' depth.
    fn serde_bytes(e: &EntryReport, pretty: bool) -> Vec<u8> {
        let mut buf = Vec::new();
        if pretty {
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, PrettyAt::new(2));
            e.serialize(&mut ser).unwrap();
        } else {
            serde_json::to_writer(&mut buf, e).unwrap();
        }
        buf
    }

    fn ours(e: &EntryReport, pretty: bool) -> Vec<u8> {
        let mut buf = Vec::new();
        write_entry(e, &EntryKeys::new(pretty), &mut buf).unwrap();
        buf
    }

    #[test]
    fn the_members_are_the_entry_s() {
        let e = EntryReport::rejected(1, None);
        let v = serde_json::to_value(&e).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut ordered: Vec<&str> = ENTRY_FIELDS.to_vec();
        ordered.sort_unstable();
        let mut theirs = keys.clone();
        theirs.sort_unstable();
        assert_eq!(ordered, theirs);
        // And in the struct's order: serde writes them so.
        let text = String::from_utf8(serde_bytes(&e, false)).unwrap();
        let mut at = 0;
        for k in ENTRY_FIELDS {
            let found = text[at..].find(&format!("\"{k}\":")).unwrap();
            at += found;
        }
    }

    fn text() -> impl Strategy<Value = Option<Arc<str>>> {
        prop_oneof![
            Just(None),
            "[A-Za-z0-9 ]{0,8}".prop_map(|s| Some(Arc::from(s))),
            any::<String>().prop_map(|s| Some(Arc::from(s))),
        ]
    }

    fn decimal() -> impl Strategy<Value = Option<Decimal>> {
        prop_oneof![
            Just(None),
            (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Some(Decimal::new(m, s))),
            (0i64..10_000_000, 0u32..=6).prop_map(|(m, s)| Some(Decimal::new(m, s))),
        ]
    }

    prop_compose! {
        fn entry()(
            row in any::<usize>(),
            texts in proptest::array::uniform8(text()),
            reason in proptest::option::of(any::<String>()),
            days in proptest::array::uniform8(decimal()),
            date in proptest::option::of(-1_000_000i32..4_000_000),
            status in 0usize..3,
            conversion in 0usize..5,
        ) -> EntryReport {
            let [employee, volunteer, beneficiary, company, fiscal_year, project, activity, _] = texts;
            let q = |i: usize| days[i].map(Qty);
            let m = |i: usize| days[i].map(Money);
            EntryReport {
                row,
                employee,
                volunteer,
                beneficiary,
                date: date.and_then(chrono::NaiveDate::from_num_days_from_ce_opt),
                company,
                fiscal_year,
                days: q(0),
                hours: q(1),
                annual_cost: m(2),
                cost_cap: m(3),
                annual_units: q(4),
                units: q(5),
                conversion: [None, Some(Conversion::Days), Some(Conversion::Hours), Some(Conversion::HoursToDays), Some(Conversion::DaysToHours)][conversion],
                hours_per_day: q(6),
                value: m(7),
                status: [Status::Retained, Status::Excluded, Status::Rejected][status],
                reason,
                project,
                activity,
            }
        }
    }

    proptest! {
        /// Any entry (texts to escape, any decimal, dates outside 0–9999, absent members)
        /// is written as serde_json writes it, compact and pretty.
        #[test]
        fn an_entry_is_serde_s_bytes(e in entry()) {
            for pretty in [false, true] {
                prop_assert_eq!(
                    String::from_utf8(ours(&e, pretty)).unwrap(),
                    String::from_utf8(serde_bytes(&e, pretty)).unwrap()
                );
            }
        }
    }
}
