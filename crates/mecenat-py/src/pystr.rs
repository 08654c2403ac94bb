//! A large Python `str` from UTF-8 text, with almost no work done with the interpreter
//! held (the way orjson builds its strings).
//!
//! CPython stores a `str` as one fixed-width array of code points: one byte a character
//! when every character is below U+0100 (ASCII or Latin-1), two below U+10000, four
//! otherwise. Decoding UTF-8 into it (`PyUnicode_FromStringAndSize`, `bytes.decode()`)
//! holds the interpreter for the whole text, and is slow for a report's JSON: mostly ASCII
//! with a few wider characters (names and notes in French), so CPython decodes the ASCII
//! prefix, widens it at the first wider character, then goes on character by character.
//!
//! Here, with the interpreter released, the text is scanned once ([`layout`], on two
//! threads above [`LARGE`] bytes: two halves cut at character boundaries) for its number
//! of characters and its width; with the interpreter held, `PyUnicode_New` allocates the
//! `str`; released again, its characters are written straight into the `str`'s array
//! ([`fill`]: a copy for ASCII, one unit a character otherwise, each half at the offset of
//! the characters before it). The only `unsafe` code of the crate is [`new_str`]'s (this
//! module is the only one allowed it; `unsafe_code` is denied everywhere else).
//!
//! Without CPython's layout (the limited API, PyPy, GraalPy), [`to_py_str`] falls back to
//! the interpreter's own decoder.

use std::mem::MaybeUninit;

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Texts of at least this many bytes are scanned and written with the interpreter
/// released, in two halves on two threads; shorter ones in one piece, holding it.
pub const LARGE: usize = 1 << 20;

/// The width of a character in CPython's array for a `str`: the smallest that holds its
/// largest code point (CPython relies on it: two `str` of different widths differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// Every code point below U+0080: one byte each, the UTF-8 bytes themselves.
    Ascii,
    /// Below U+0100: one byte each (Latin-1).
    Latin1,
    /// Below U+10000: two bytes each.
    Ucs2,
    /// Four bytes each (a character beyond the Basic Multilingual Plane).
    Ucs4,
}

impl Width {
    /// The width of valid UTF-8 whose largest byte is `max`: a byte above 0x7F is part of
    /// a wider character, and the largest lead byte tells its range (0xC2–0xC3 start the
    /// two-byte sequences of U+0080–U+00FF, up to 0xEF three-byte ones, below U+10000).
    pub fn of_max_byte(max: u8) -> Width {
        match max {
            0..=0x7F => Width::Ascii,
            0x80..=0xC3 => Width::Latin1,
            0xC4..=0xEF => Width::Ucs2,
            _ => Width::Ucs4,
        }
    }

    /// The largest code point of the width (what `PyUnicode_New` is given).
    pub fn max_char(self) -> u32 {
        match self {
            Width::Ascii => 0x7F,
            Width::Latin1 => 0xFF,
            Width::Ucs2 => 0xFFFF,
            Width::Ucs4 => 0x10_FFFF,
        }
    }
}

/// A piece of the text: its byte range and its number of characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// First byte (a character boundary).
    pub start: usize,
    /// One past the last byte (a character boundary).
    pub end: usize,
    /// Characters in `start..end`.
    pub chars: usize,
}

/// What the `str` of a text needs: its pieces, in order, and its width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The pieces, covering the text in order (one for a short text).
    pub pieces: Vec<Piece>,
    /// The width of the whole text.
    pub width: Width,
}

impl Layout {
    /// The number of characters of the whole text.
    pub fn chars(&self) -> usize {
        self.pieces.iter().map(|p| p.chars).sum()
    }
}

/// Cuts `text` into `parts` pieces of about the same size, at character boundaries:
/// `(start, end)` byte ranges covering it in order (fewer when the text is shorter than
/// `parts` bytes; one, empty, for an empty text).
///
/// # Examples
///
/// ```
/// use _mecenat::pystr::split;
/// assert_eq!(split("aé€", 2), [(0, 3), (3, 6)]);
/// ```
pub fn split(text: &str, parts: usize) -> Vec<(usize, usize)> {
    let parts = parts.clamp(1, text.len().max(1));
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for k in 1..=parts {
        let mut end = text.len() * k / parts;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if end > start || text.is_empty() {
            out.push((start, end));
        }
        start = end;
    }
    out
}

/// The number of characters of valid UTF-8 `bytes` (the bytes that are not continuation
/// bytes, 0x80–0xBF) and their largest byte, in one pass the compiler vectorizes.
fn scan(bytes: &[u8]) -> (usize, u8) {
    let (mut chars, mut max) = (0usize, 0u8);
    for block in bytes.chunks(1 << 12) {
        let (mut n, mut m) = (0u32, 0u8);
        for &b in block {
            // As a signed byte, a continuation byte is below -64.
            n += u32::from(b as i8 >= -64);
            m = m.max(b);
        }
        chars += n as usize;
        max = max.max(m);
    }
    (chars, max)
}

/// The layout of `text`: scanned in `parts` pieces, the pieces after the first on their
/// own threads.
///
/// # Examples
///
/// ```
/// use _mecenat::pystr::{layout, Width};
/// let l = layout("aé€😀", 2);
/// assert_eq!((l.chars(), l.width), (4, Width::Ucs4));
/// assert_eq!(layout("café", 1).width, Width::Latin1);
/// ```
pub fn layout(text: &str, parts: usize) -> Layout {
    let ranges = split(text, parts);
    let bytes = text.as_bytes();
    let scanned: Vec<(usize, u8)> = if ranges.len() < 2 {
        ranges.iter().map(|&(a, b)| scan(&bytes[a..b])).collect()
    } else {
        std::thread::scope(|scope| {
            let others: Vec<_> = ranges[1..]
                .iter()
                .map(|&(a, b)| scope.spawn(move || scan(&bytes[a..b])))
                .collect();
            let mut all = vec![scan(&bytes[ranges[0].0..ranges[0].1])];
            for h in others {
                all.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            all
        })
    };
    let max = scanned.iter().map(|s| s.1).max().unwrap_or(0);
    Layout {
        pieces: ranges
            .iter()
            .zip(&scanned)
            .map(|(&(start, end), &(chars, _))| Piece { start, end, chars })
            .collect(),
        width: Width::of_max_byte(max),
    }
}

/// A place for one unit of CPython's array for a `str` (`u8`, `u16` or `u32`, not
/// initialized yet).
pub trait Slot: Send {
    /// Writes a code point known to fit.
    fn put(&mut self, c: u32);
    /// Writes an ASCII byte.
    fn put_ascii(&mut self, b: u8);
}

impl Slot for MaybeUninit<u8> {
    fn put(&mut self, c: u32) {
        self.write(c as u8);
    }
    fn put_ascii(&mut self, b: u8) {
        self.write(b);
    }
}

impl Slot for MaybeUninit<u16> {
    fn put(&mut self, c: u32) {
        self.write(c as u16);
    }
    fn put_ascii(&mut self, b: u8) {
        self.write(u16::from(b));
    }
}

impl Slot for MaybeUninit<u32> {
    fn put(&mut self, c: u32) {
        self.write(c);
    }
    fn put_ascii(&mut self, b: u8) {
        self.write(u32::from(b));
    }
}

/// For the tests: code points in plain integers.
#[cfg(test)]
impl Slot for u32 {
    fn put(&mut self, c: u32) {
        *self = c;
    }
    fn put_ascii(&mut self, b: u8) {
        *self = u32::from(b);
    }
}

/// The code point starting at `bytes[i]` (valid UTF-8, `i` a character boundary) and its
/// length in bytes.
fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let lead = u32::from(bytes[i]);
    let cont = |k: usize| u32::from(bytes[i + k] & 0x3F);
    match bytes[i] {
        0..=0x7F => (lead, 1),
        0x80..=0xDF => (((lead & 0x1F) << 6) | cont(1), 2),
        0xE0..=0xEF => (((lead & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3),
        _ => (
            ((lead & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
    }
}

/// Bytes looked at together: a run of ASCII is widened this many at a time.
const RUN: usize = 32;

/// Writes the characters of `bytes` (valid UTF-8 whose code points fit `T`) into `out`,
/// one unit each, and returns how many were written (`out.len()` when it is the number
/// of characters).
pub fn fill<S: Slot>(bytes: &[u8], out: &mut [S]) -> usize {
    let (mut i, mut j) = (0, 0);
    while i < bytes.len() {
        if let (Some(src), Some(dst)) = (bytes.get(i..i + RUN), out.get_mut(j..j + RUN)) {
            if src.iter().fold(0, |a, &b| a | b) < 0x80 {
                for (d, &s) in dst.iter_mut().zip(src) {
                    d.put_ascii(s);
                }
                i += RUN;
                j += RUN;
                continue;
            }
        }
        // A wider character in the next RUN bytes (or the end): one at a time past them.
        let stop = (i + RUN).min(bytes.len());
        while i < stop {
            let Some(slot) = out.get_mut(j) else {
                return j;
            };
            let (c, n) = decode(bytes, i);
            slot.put(c);
            i += n;
            j += 1;
        }
    }
    j
}

/// Writes `text` (scanned into `layout`) into `out` (its characters' units), the pieces
/// after the first on their own threads; `false` when a piece did not fill its part
/// exactly (a defect: the `str` must then not be used).
fn fill_pieces<S: Slot>(text: &str, layout: &Layout, out: &mut [S]) -> bool {
    let bytes = text.as_bytes();
    let mut parts = Vec::with_capacity(layout.pieces.len());
    let mut rest = out;
    for p in &layout.pieces {
        let (part, tail) = rest.split_at_mut(p.chars.min(rest.len()));
        parts.push((&bytes[p.start..p.end], part));
        rest = tail;
    }
    let exact = |(src, dst): (&[u8], &mut [S])| {
        let n = dst.len();
        fill(src, dst) == n
    };
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return rest.is_empty();
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = parts.map(|p| scope.spawn(move || exact(p))).collect();
        let mut ok = exact(first);
        for h in others {
            ok &= h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
        ok
    }) && rest.is_empty()
}

/// The Python `str` of `text`: scanned and written with the interpreter released (on two
/// threads) when the text has at least [`LARGE`] bytes.
///
/// # Errors
///
/// `MemoryError` when the `str` cannot be allocated; `MecenatError` (internal) on a defect.
pub fn to_py_str<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyString>> {
    if text.is_empty() || cfg!(any(Py_LIMITED_API, PyPy, GraalPy)) {
        return Ok(PyString::new(py, text));
    }
    if text.len() < LARGE {
        let layout = layout(text, 1);
        return new_str(py, &layout, |out| Ok(fill_units(text, &layout, out)));
    }
    let layout = crate::detached(py, || Ok(layout(text, 2)))?;
    new_str(py, &layout, |out| {
        crate::detached(py, || Ok(fill_units(text, &layout, out)))
    })
}

/// The units of a new `str`, of the width its layout says.
pub enum Units<'a> {
    /// One byte a character (ASCII or Latin-1).
    U8(&'a mut [MaybeUninit<u8>]),
    /// Two bytes a character.
    U16(&'a mut [MaybeUninit<u16>]),
    /// Four bytes a character.
    U32(&'a mut [MaybeUninit<u32>]),
}

/// Fills `out` with `text`'s characters; `false` on a defect (see [`fill_pieces`]).
fn fill_units(text: &str, layout: &Layout, out: Units<'_>) -> bool {
    match out {
        Units::U8(o) if layout.width == Width::Ascii => {
            for (d, &s) in o.iter_mut().zip(text.as_bytes()) {
                d.write(s);
            }
            o.len() == text.len()
        }
        Units::U8(o) => fill_pieces(text, layout, o),
        Units::U16(o) => fill_pieces(text, layout, o),
        Units::U32(o) => fill_pieces(text, layout, o),
    }
}

/// A new `str` of `layout.chars()` characters of `layout.width`, whose units `write`
/// fills (returning `true` once every unit is written; on `false`, the `str` is dropped
/// and an internal error returned).
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
fn new_str<'py>(
    py: Python<'py>,
    layout: &Layout,
    write: impl FnOnce(Units<'_>) -> PyResult<bool>,
) -> PyResult<Bound<'py, PyString>> {
    use pyo3::ffi;
    let chars = layout.chars();
    let len = ffi::Py_ssize_t::try_from(chars)
        .map_err(|_| pyo3::exceptions::PyMemoryError::new_err("text too long for a str"))?;
    // SAFETY: we hold the interpreter (`py`); `PyUnicode_New` returns a new reference or
    // NULL with an exception set, which `from_owned_ptr_or_err` turns into the error.
    let s = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_New(len, layout.width.max_char()))
    }?
    .cast_into::<PyString>()?;
    let ptr = s.as_ptr();
    // SAFETY: `ptr` is a live `str` (checked by the cast, owned by `s`) and the
    // interpreter is held.
    let (kind, data) = unsafe { (ffi::PyUnicode_KIND(ptr), ffi::PyUnicode_DATA(ptr)) };
    let expected = match layout.width {
        Width::Ascii | Width::Latin1 => ffi::PyUnicode_1BYTE_KIND,
        Width::Ucs2 => ffi::PyUnicode_2BYTE_KIND,
        Width::Ucs4 => ffi::PyUnicode_4BYTE_KIND,
    };
    let align = (kind as usize).max(1);
    if kind != expected || data.is_null() || data.align_offset(align) != 0 {
        return Err(crate::errors::internal(
            py,
            "the new str has an unexpected layout",
        ));
    }
    // SAFETY: `PyUnicode_New(len, max)` allocated `data` for `len` units of `kind` bytes
    // (checked above, aligned for them), plus CPython's own terminating unit, which stays
    // outside the slice. The units are uninitialized, hence `MaybeUninit`. The slice lives
    // only for `write`, while `s` keeps the object alive; nobody else can reach the object
    // (it is referenced only by `s` and not yet returned or stored), so `write` may fill it
    // from other threads with the interpreter released. Only the characters are written,
    // never the header (its hash stays "not computed").
    let units = unsafe {
        match layout.width {
            Width::Ascii | Width::Latin1 => {
                Units::U8(std::slice::from_raw_parts_mut(data.cast(), chars))
            }
            Width::Ucs2 => Units::U16(std::slice::from_raw_parts_mut(data.cast(), chars)),
            Width::Ucs4 => Units::U32(std::slice::from_raw_parts_mut(data.cast(), chars)),
        }
    };
    if write(units)? {
        Ok(s)
    } else {
        Err(crate::errors::internal(
            py,
            "the text's characters did not fill the new str exactly",
        ))
    }
}

/// Without CPython's layout: never called ([`to_py_str`] decodes with the interpreter).
#[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
fn new_str<'py>(
    py: Python<'py>,
    _layout: &Layout,
    _write: impl FnOnce(Units<'_>) -> PyResult<bool>,
) -> PyResult<Bound<'py, PyString>> {
    Err(crate::errors::internal(
        py,
        "no direct str construction here",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` through [`to_py_str`] equals what Python decodes itself, and has its length.
    fn same_as_python(text: &str) {
        Python::initialize();
        Python::attach(|py| {
            let ours = to_py_str(py, text).unwrap();
            let bytes = pyo3::types::PyBytes::new(py, text.as_bytes());
            let theirs = bytes.call_method1("decode", ("utf-8",)).unwrap();
            assert!(ours.as_any().eq(&theirs).unwrap(), "differs: {:.80}", text);
            assert_eq!(ours.len().unwrap(), text.chars().count());
            assert_eq!(ours.to_str().unwrap(), text);
            // The hash is CPython's (not computed yet, then the same as the decoded str's).
            assert_eq!(ours.hash().unwrap(), theirs.hash().unwrap());
        });
    }

    #[test]
    fn widths_from_the_largest_byte() {
        for (text, w) in [
            ("", Width::Ascii),
            ("plain {\"a\": 1}", Width::Ascii),
            ("\u{7F}", Width::Ascii),
            ("\u{80}", Width::Latin1),
            ("café", Width::Latin1),
            ("ÿ", Width::Latin1),
            ("\u{100}", Width::Ucs2),
            ("€ ’ \u{202F}", Width::Ucs2),
            ("\u{FFFF}", Width::Ucs2),
            ("😀", Width::Ucs4),
            ("\u{10000}", Width::Ucs4),
            ("é€😀", Width::Ucs4),
        ] {
            let l = layout(text, 1);
            assert_eq!(l.width, w, "{text:?}");
            assert_eq!(l.chars(), text.chars().count(), "{text:?}");
            let c = text.chars().map(u32::from).max().unwrap_or(0);
            assert!(c <= w.max_char(), "{text:?}");
        }
    }

    #[test]
    fn split_cuts_at_character_boundaries() {
        let text = "é".repeat(1001) + "x€😀";
        for parts in 1..9 {
            let r = split(&text, parts);
            assert_eq!(r.len(), parts);
            assert_eq!((r[0].0, r[parts - 1].1), (0, text.len()));
            assert!(r.windows(2).all(|w| w[0].1 == w[1].0 && w[0].0 < w[0].1));
            assert!(r
                .iter()
                .all(|&(a, b)| text.is_char_boundary(a) && text.is_char_boundary(b)));
            let l = layout(&text, parts);
            assert_eq!(l.chars(), text.chars().count());
            assert_eq!(l.width, Width::Ucs4);
        }
        assert_eq!(split("", 2), [(0, 0)]);
        assert_eq!(split("ab", 5), [(0, 1), (1, 2)]);
        // A cut inside the last character moves past it: fewer pieces, never an empty one.
        assert_eq!(split("a😀", 2), [(0, 5)]);
    }

    #[test]
    fn fill_writes_every_character_once() {
        for text in ["", "a", "é", "€", "😀", "aé€😀", "é€😀a"] {
            for prefix in [0, 1, RUN - 1, RUN, RUN + 1, 2 * RUN] {
                for suffix in [0, 1, RUN - 1, RUN] {
                    let t = "a".repeat(prefix) + text + &"b".repeat(suffix);
                    let want: Vec<u32> = t.chars().map(u32::from).collect();
                    let mut out = vec![u32::MAX; want.len()];
                    assert_eq!(fill(t.as_bytes(), &mut out), want.len(), "{t:?}");
                    assert_eq!(out, want, "{t:?}");
                    // A buffer too short is filled and no more, never overrun.
                    if !want.is_empty() {
                        let mut short = vec![u32::MAX; want.len() - 1];
                        assert_eq!(fill(t.as_bytes(), &mut short), want.len() - 1);
                        assert_eq!(short, want[..want.len() - 1], "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn short_texts_of_every_width() {
        for text in [
            "",
            "a",
            "{\"name\": \"plain ASCII\"}",
            "é",
            "Société Générale, 12 rue de l'Église",
            "ÿ\u{80}",
            "€",
            "l’association — 1\u{202F}234,50\u{A0}€",
            "\u{FFFF}\u{100}",
            "😀",
            "emoji 😀 and é and € and \u{10FFFF}",
        ] {
            same_as_python(text);
        }
    }

    #[test]
    fn large_texts_at_and_around_the_threshold() {
        for len in [LARGE - 1, LARGE, LARGE + 1, 2 * LARGE + 7] {
            same_as_python(&"a".repeat(len));
            // The wider character where the halves are cut, at the start and at the end.
            for wide in ["é", "€", "😀"] {
                let mut t = "a".repeat(len / 2 - 1) + wide;
                t.push_str(&"b".repeat(len - t.len()));
                same_as_python(&t);
                same_as_python(&(wide.to_string() + &"c".repeat(len)));
                same_as_python(&("d".repeat(len) + wide));
            }
        }
    }

    #[test]
    fn a_large_mixed_text() {
        // Mostly ASCII with Latin-1, BMP and astral characters spread through it, as in
        // a report's JSON, and a piece made only of wide characters.
        let mut t = String::new();
        for i in 0..100_000 {
            t.push_str("{\"name\": \"Employé ");
            t.push_str(&i.to_string());
            t.push_str(match i % 5 {
                0 => "\", \"note\": \"l’heure\u{202F}: 10\u{A0}€\"},\n",
                1 => "\", \"note\": \"😀\"},\n",
                _ => "\"},\n",
            });
        }
        t.push_str(&"€😀é".repeat(50_000));
        assert!(t.len() > 2 * LARGE);
        same_as_python(&t);
    }
}
