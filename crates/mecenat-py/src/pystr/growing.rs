//! A report's JSON written into a Python `str` as its writer renders it, with the
//! interpreter released: no copy of the whole text is ever held beside the `str`, and the
//! characters are written while the next entries are rendered.
//!
//! The writer hands the shell first (the text before and after the entries,
//! [`mecenat::report::JsonPiece::Shell`]), then the entries in blocks. At the first block,
//! the `str` is allocated at the width of what has been seen and at the size the block
//! predicts for all the entries (a little more); each block is then written at its place
//! and dropped. A block wider than the `str` widens it (a new `str`, the units written so
//! far copied); a text longer than predicted grows it (`PyUnicode_Resize`: a `realloc`,
//! which moves pages rather than bytes at this size); at the end, the tail is written and
//! the `str` cut to its exact length. The interpreter is taken back only to allocate,
//! grow or widen, a few times a text.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;

use mecenat::report::JsonPiece;

use super::prefault::Prefault;
use super::{alloc, ascii_escaped, check_layout, scan, units, write_units, Slot, Units, Width};

/// A `str` being written: `len` of its `cap` units are.
struct Growing {
    /// The helper faulting in the units not written yet, if the `str` is large. First
    /// field: dropped (the helper stopped and joined) before `obj`.
    prefault: Option<Prefault>,
    /// The `str` (referenced only here until [`Growing::finish`]).
    obj: Py<PyString>,
    width: Width,
    cap: usize,
    len: usize,
}

impl Growing {
    fn new(py: Python<'_>, cap: usize, width: Width) -> PyResult<Self> {
        let mut out = Growing {
            prefault: None,
            obj: alloc(py, cap, width)?.unbind(),
            width,
            cap,
            len: 0,
        };
        out.prefault_rest();
        Ok(out)
    }

    /// Starts a helper faulting in the units not written yet ([`Prefault`]), the one before
    /// stopped.
    fn prefault_rest(&mut self) {
        self.stop_prefault();
        let unit = self.width.unit_bytes();
        // SAFETY: `obj` is a live `str` (made by `alloc`, checked again after each resize);
        // `PyUnicode_DATA` only reads where its units are.
        let data = unsafe { ffi::PyUnicode_DATA(self.obj.as_ptr()) }.cast::<u8>();
        // The helper is stopped before `obj` is resized, replaced or dropped.
        self.prefault = Prefault::start(data, self.len * unit, self.cap * unit);
    }

    /// Stops the helper, if any (dropping it joins it): after this nothing but `self`
    /// touches the `str`.
    fn stop_prefault(&mut self) {
        self.prefault = None;
    }

    /// Writes `piece` (valid UTF-8 of `chars` characters, no wider than the `str`) after the units
    /// written; `false` when it does not fit or does not fill its part exactly (a defect).
    fn append(&mut self, piece: &[u8], chars: usize) -> bool {
        let Some(end) = self.len.checked_add(chars).filter(|&e| e <= self.cap) else {
            return false;
        };
        // SAFETY: `obj` is a `str` of `width` with `cap` units (made by `alloc`, checked
        // again after each resize), referenced only by `self`; `len..end` lies within it,
        // and the slice is the only one alive, dropped at the end of this function.
        let out = unsafe { units(self.obj.as_ptr(), self.width, self.len, end) };
        let exact = write_units(piece, self.width, out);
        if exact {
            self.len = end;
            if let Some(p) = &self.prefault {
                p.written(end * self.width.unit_bytes());
            }
        }
        exact
    }

    /// Room for `more` units after those written, keeping `spare` beyond them when it has
    /// to grow (the interpreter taken back to resize).
    fn reserve(&mut self, more: usize, spare: usize) -> PyResult<()> {
        let need = self.len.saturating_add(more);
        if need <= self.cap {
            return Ok(());
        }
        let cap = need.saturating_add(spare).max(self.cap + self.cap / 4);
        Python::attach(|py| self.resize(py, cap))
    }

    /// Gives the `str` `cap` units (the first `len` kept).
    fn resize(&mut self, py: Python<'_>, cap: usize) -> PyResult<()> {
        let n = ffi::Py_ssize_t::try_from(cap)
            .map_err(|_| pyo3::exceptions::PyMemoryError::new_err("text too long for a str"))?;
        self.stop_prefault();
        let empty = PyString::new(py, "").unbind();
        let mut ptr = std::mem::replace(&mut self.obj, empty).into_ptr();
        // SAFETY: we hold the interpreter; `ptr` is our only reference to a `str` nobody
        // else can reach, so CPython resizes it in place (a `realloc`) and keeps its first
        // units. On failure it leaves `ptr` as it was, still ours, and sets an exception.
        let (rc, obj) = unsafe {
            let rc = ffi::PyUnicode_Resize(&mut ptr, n);
            (rc, Bound::<PyAny>::from_owned_ptr(py, ptr))
        };
        let obj = obj.cast_into::<PyString>()?;
        self.obj = obj.unbind();
        if rc != 0 {
            return Err(PyErr::fetch(py));
        }
        self.cap = cap;
        check_layout(py, self.obj.as_ptr(), self.width, cap)?;
        if self.len < cap {
            self.prefault_rest();
        }
        Ok(())
    }

    /// The same text in a new `str` of `width` (wider) and `cap` units.
    fn widen(&mut self, py: Python<'_>, width: Width, cap: usize) -> PyResult<()> {
        self.stop_prefault();
        let new = alloc(py, cap, width)?;
        let (old, len) = (self.obj.as_ptr(), self.len);
        // SAFETY: both are ours alone: `old` has its first `len` units written, of
        // `self.width`; `new` has `cap >= len` units of `width`, of which this is the only
        // slice.
        let ok = unsafe {
            let data = ffi::PyUnicode_DATA(old);
            let dst = units(new.as_ptr(), width, 0, len);
            match self.width {
                Width::Ascii | Width::Latin1 => {
                    widen_units(std::slice::from_raw_parts(data.cast::<u8>(), len), dst)
                }
                Width::Ucs2 => {
                    widen_units(std::slice::from_raw_parts(data.cast::<u16>(), len), dst)
                }
                Width::Ucs4 => false,
            }
        };
        if !ok {
            return Err(crate::errors::internal(py, "a str could not be widened"));
        }
        self.obj = new.unbind();
        (self.width, self.cap) = (width, cap);
        self.prefault_rest();
        Ok(())
    }

    /// The `str`, cut to the units written.
    fn finish(mut self, py: Python<'_>) -> PyResult<Bound<'_, PyString>> {
        self.stop_prefault();
        if self.len == 0 {
            return Ok(PyString::new(py, ""));
        }
        if self.len != self.cap {
            self.resize(py, self.len)?;
        }
        Ok(self.obj.into_bound(py))
    }
}

/// Copies written units into a wider `str`'s (`dst` as long as `src`); `false` when `dst`
/// is narrower (a defect).
fn widen_units<S: Copy + Into<u32>>(src: &[S], dst: Units<'_>) -> bool {
    fn copy<S: Copy + Into<u32>, D: Slot>(src: &[S], dst: &mut [D]) -> bool {
        for (d, &s) in dst.iter_mut().zip(src) {
            d.put(s.into());
        }
        src.len() == dst.len()
    }
    let unit = std::mem::size_of::<S>();
    match dst {
        Units::U8(d) if unit == 1 => copy(src, d),
        Units::U16(d) if unit <= 2 => copy(src, d),
        Units::U32(d) => copy(src, d),
        _ => false,
    }
}

/// A text checked (valid UTF-8) and scanned: its characters and its largest byte.
struct Scanned {
    text: Vec<u8>,
    chars: usize,
    max: u8,
}

/// ASCII text (the entries' blocks, as a rule) is checked in one fast pass: valid, one
/// character a byte; other text is validated, then scanned.
fn scanned(text: Vec<u8>) -> Result<Scanned, std::str::Utf8Error> {
    if text.is_ascii() {
        let chars = text.len();
        return Ok(Scanned {
            text,
            chars,
            max: 0,
        });
    }
    std::str::from_utf8(&text)?;
    let (chars, max) = scan(&text);
    Ok(Scanned { text, chars, max })
}

/// The report's JSON being written into a `str`: give it every piece of
/// [`mecenat::Report::json_pieces`] ([`JsonStr::take`], the interpreter released), then
/// take the `str` ([`JsonStr::finish`], the interpreter held).
#[derive(Default)]
pub struct JsonStr {
    head: Option<Scanned>,
    tail: Option<Scanned>,
    /// The largest byte seen.
    max: u8,
    /// Entries announced by the shell, and handed so far.
    entries: usize,
    seen: usize,
    out: Option<Growing>,
    /// The first failure: what follows is ignored, and `finish` returns it.
    failed: Option<PyErr>,
    /// Every character beyond ASCII written as a `\\uXXXX` escape ([`ascii_escaped`]).
    ascii: bool,
}

impl JsonStr {
    /// Nothing yet.
    pub fn new() -> Self {
        JsonStr::default()
    }

    /// Nothing yet; the text will be ASCII, every other character escaped (`\\u00e9`), as
    /// Python's `json.dumps` writes it by default: one byte a character in the `str`.
    pub fn ascii() -> Self {
        JsonStr {
            ascii: true,
            ..JsonStr::default()
        }
    }

    /// Takes the next piece, in the order the report's writer hands them (with the
    /// interpreter released: it is taken back only to allocate, grow or widen the `str`).
    pub fn take(&mut self, piece: JsonPiece) {
        if self.failed.is_none() {
            if let Err(e) = self.try_take(piece) {
                self.failed = Some(e);
            }
        }
    }

    fn try_take(&mut self, piece: JsonPiece) -> PyResult<()> {
        let ascii = self.ascii;
        let checked = |bytes: Vec<u8>| checked(if ascii { ascii_escaped(bytes)? } else { bytes });
        match piece {
            JsonPiece::Shell {
                head,
                tail,
                entries,
            } => {
                let (head, tail) = (checked(head)?, checked(tail)?);
                self.max = head.max.max(tail.max);
                (self.head, self.tail, self.entries) = (Some(head), Some(tail), entries);
                Ok(())
            }
            JsonPiece::Entries { bytes, count } => self.block(checked(bytes)?, count),
        }
    }

    /// A block of `count` entries: written after the text before it.
    fn block(&mut self, b: Scanned, count: usize) -> PyResult<()> {
        self.seen += count;
        self.max = self.max.max(b.max);
        let width = Width::of_max_byte(self.max);
        let tail = self.tail.as_ref().map_or(0, |t| t.chars);
        // What the entries still to come should take, from this block's size (2 % more).
        let rest = self.entries.saturating_sub(self.seen) as u128;
        let more = (b.chars as u128 * rest * 51 / (50 * count.max(1) as u128)) as usize;
        let spare = more.saturating_add(tail).saturating_add(64);
        let out = match self.out.as_mut() {
            Some(out) => out,
            None => {
                let head = self
                    .head
                    .take()
                    .ok_or_else(|| defect("entries before the shell"))?;
                let cap = head.chars.saturating_add(b.chars).saturating_add(spare);
                let mut out = Python::attach(|py| Growing::new(py, cap, width))?;
                if !out.append(&head.text, head.chars) {
                    return Err(defect("the text before the entries did not fit"));
                }
                self.out.insert(out)
            }
        };
        if width > out.width {
            let cap = out
                .cap
                .max(out.len.saturating_add(b.chars).saturating_add(spare));
            Python::attach(|py| out.widen(py, width, cap))?;
        }
        out.reserve(b.chars, spare)?;
        if out.append(&b.text, b.chars) {
            Ok(())
        } else {
            Err(defect(
                "a block of entries did not fill its part of the str",
            ))
        }
    }

    /// The `str` of the whole text.
    ///
    /// # Errors
    ///
    /// The first failure while the pieces were taken (`MemoryError`, or an internal error
    /// on a defect), or of the last steps.
    pub fn finish(self, py: Python<'_>) -> PyResult<Bound<'_, PyString>> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let tail = self.tail.ok_or_else(|| defect("no text was written"))?;
        let width = Width::of_max_byte(self.max);
        let mut out = match (self.out, self.head) {
            (Some(out), _) => out,
            // No entries: the head and the tail alone.
            (None, Some(head)) => {
                let mut out = Growing::new(py, head.chars + tail.chars, width)?;
                if !out.append(&head.text, head.chars) {
                    return Err(defect("the text before the entries did not fit"));
                }
                out
            }
            (None, None) => return Err(defect("no text was written")),
        };
        if self.seen != self.entries {
            return Err(defect("the entries written are not those announced"));
        }
        if out.len + tail.chars > out.cap {
            out.resize(py, out.len + tail.chars)?;
        }
        if !out.append(&tail.text, tail.chars) {
            return Err(defect("the text after the entries did not fit"));
        }
        out.finish(py)
    }
}

/// A piece checked and scanned, or the internal error of text that is not UTF-8.
fn checked(bytes: Vec<u8>) -> PyResult<Scanned> {
    scanned(bytes).map_err(|e| defect(&format!("the JSON report is not UTF-8: {e}")))
}

/// An internal error (a defect), made with the interpreter taken back.
fn defect(what: &str) -> PyErr {
    Python::attach(|py| crate::errors::internal(py, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `str` of `head`, `blocks` (text and entries each) and `tail`, handed as the
    /// report's writer does, against Python's own decoding of the whole.
    fn same_as_python(head: &str, blocks: &[(String, usize)], tail: &str) {
        let entries = blocks.iter().map(|b| b.1).sum();
        let whole =
            head.to_string() + &blocks.iter().map(|b| b.0.as_str()).collect::<String>() + tail;
        let mut js = JsonStr::new();
        js.take(JsonPiece::Shell {
            head: head.into(),
            tail: tail.into(),
            entries,
        });
        Python::initialize();
        // The pieces are taken with the interpreter released, as in `to_json`.
        let js = Python::attach(|py| {
            py.detach(move || {
                for (text, count) in blocks {
                    js.take(JsonPiece::Entries {
                        bytes: text.clone().into_bytes(),
                        count: *count,
                    });
                }
                js
            })
        });
        Python::attach(|py| {
            let ours = js.finish(py).unwrap();
            let theirs = pyo3::types::PyBytes::new(py, whole.as_bytes())
                .call_method1("decode", ("utf-8",))
                .unwrap();
            assert!(ours.as_any().eq(&theirs).unwrap(), "differs: {whole:.80}");
            assert_eq!(ours.len().unwrap(), whole.chars().count());
            assert_eq!(ours.hash().unwrap(), theirs.hash().unwrap());
        });
    }

    fn block(c: &str, n: usize, count: usize) -> (String, usize) {
        (format!("{}{c},", "x".repeat(n)), count)
    }

    #[test]
    fn every_width_widened_on_the_way() {
        // The shell narrower than a block (ASCII to Latin-1, to UCS-2, to UCS-4), or wider.
        for (shell, wide) in [
            ("a", "é"),
            ("a", "€"),
            ("é", "€"),
            ("€", "😀"),
            ("a", "😀"),
            ("😀", "a"),
        ] {
            let head = format!("{{\"h{shell}\": [");
            let tail = format!("], \"t\": \"{shell}\"}}");
            same_as_python(
                &head,
                &[block("a", 100, 2), block(wide, 100, 2), block("b", 5, 1)],
                &tail,
            );
            same_as_python(&head, &[block(wide, 10, 1)], &tail);
        }
    }

    #[test]
    fn a_text_longer_than_its_first_block_predicts_grows() {
        // A short first block, then blocks a hundred times longer (the str grows several
        // times), and the other way round (the str is cut at the end).
        let many: Vec<_> = std::iter::once(block("a", 10, 10))
            .chain((0..20).map(|k| block(if k == 7 { "€" } else { "b" }, 1000, 10)))
            .collect();
        same_as_python("{\"e\": [", &many, "]}");
        let few = [block("é", 100_000, 10), block("a", 10, 10)];
        same_as_python("{\"e\": [", &few, "]}");
        // Large enough for huge pages (more than 16 MiB of units).
        let big: Vec<_> = (0..4)
            .map(|k| block(if k == 2 { "€" } else { "c" }, 3 << 20, 1))
            .collect();
        same_as_python("[", &big, "]");
    }

    #[test]
    fn a_str_faulted_in_ahead_grows_and_widens() {
        // Above the helper's threshold from the first block (seven million ASCII characters
        // of ten announced blocks: a str of some 75 MB), widened to two bytes a character by
        // the second block (the helper stopped, then started on the new str), and grown
        // near the end, the helper still running, because a fourth block three times as
        // long made the prediction short: the text is exact.
        let blocks: Vec<_> = (0..10)
            .map(|k| match k {
                1 => block("€", 7 << 20, 1),
                3 => block("d", 21 << 20, 1),
                _ => block("c", 7 << 20, 1),
            })
            .collect();
        same_as_python("{\"e\": [", &blocks, "], \"t\": \"x\"}");
    }

    #[test]
    fn no_entries_and_defects() {
        same_as_python("{\"entries\": [", &[], "], \"x\": \"é\"}");
        Python::initialize();
        // Fewer entries than announced, entries before the shell, bytes that are not UTF-8:
        // internal errors, never a str.
        let mut js = JsonStr::new();
        js.take(JsonPiece::Shell {
            head: b"[".to_vec(),
            tail: b"]".to_vec(),
            entries: 3,
        });
        js.take(JsonPiece::Entries {
            bytes: b"1,2".to_vec(),
            count: 2,
        });
        Python::attach(|py| assert!(js.finish(py).is_err()));
        let mut js = JsonStr::new();
        js.take(JsonPiece::Entries {
            bytes: b"1".to_vec(),
            count: 1,
        });
        Python::attach(|py| assert!(js.finish(py).is_err()));
        let mut js = JsonStr::new();
        js.take(JsonPiece::Shell {
            head: b"[".to_vec(),
            tail: b"]".to_vec(),
            entries: 1,
        });
        js.take(JsonPiece::Entries {
            bytes: vec![0xC3],
            count: 1,
        });
        Python::attach(|py| {
            let e = js.finish(py).unwrap_err();
            assert!(e.to_string().contains("not UTF-8"), "{e}");
        });
    }
}
