//! The JSON writer: the entries, most of the report's bytes, are rendered on both cores in
//! blocks and written in order; the rest is serde_json's own output. The bytes are exactly
//! those of `serde_json::to_writer` (or `to_writer_pretty`) on the whole report.

use std::cell::Cell;
use std::io::{self, Write};

use serde::{Serialize, Serializer};
use serde_json::ser::Formatter;

use super::{EntryReport, JsonPiece, Report};

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
    for (k, e) in block.iter().enumerate() {
        let first = first && k == 0;
        if pretty {
            buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
            let mut ser = serde_json::Serializer::with_formatter(&mut *buf, PrettyAt::new(2));
            e.serialize(&mut ser)?;
        } else {
            if !first {
                buf.push(b',');
            }
            serde_json::to_writer(&mut *buf, e)?;
        }
    }
    Ok(())
}

/// serde_json's pretty formatter (two spaces), starting at a given depth.
struct PrettyAt {
    level: usize,
    has_value: bool,
}

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
