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
//! Here the text comes in pieces ([`Text`]: a report's JSON as its writer renders it, the
//! entries in blocks on both cores, never copied into one buffer; or one text cut in two),
//! each scanned once for its number of characters and its largest byte. With the
//! interpreter held, `PyUnicode_New` allocates the `str` (its middle backed by huge pages
//! where Linux offers them: [`advise_huge_pages`]); released again, the characters are
//! written straight into the `str`'s array ([`fill`]: a copy for ASCII, one unit a
//! character otherwise), the pieces in two runs on two threads, each piece dropped once
//! written. The only `unsafe` code of the crate is [`new_str`]'s and
//! [`advise_huge_pages`]'s (this module is the only one allowed it; `unsafe_code` is
//! denied everywhere else).
//!
//! Without CPython's layout (the limited API, PyPy, GraalPy), [`to_py_str`] falls back to
//! the interpreter's own decoder.

use std::mem::MaybeUninit;

use pyo3::prelude::*;
use pyo3::types::PyString;

// A report's JSON written into a `str` as it is rendered.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
mod growing;
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
pub use growing::JsonStr;

/// Texts of at least this many bytes are scanned and written with the interpreter
/// released, in two halves on two threads; shorter ones in one piece, holding it.
pub const LARGE: usize = 1 << 20;

/// The width of a character in CPython's array for a `str`: the smallest that holds its
/// largest code point (CPython relies on it: two `str` of different widths differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// A text in pieces, each valid UTF-8 on its own and scanned once (its number of
/// characters), with the largest byte of them all: what a `str` of the whole needs.
///
/// # Examples
///
/// ```
/// use _mecenat::pystr::{Text, Width};
/// let mut t = Text::new();
/// t.push("café ".to_string());
/// t.push("à 10 €".to_string());
/// assert_eq!((t.chars(), t.width()), (11, Width::Ucs2));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Text<S> {
    /// The pieces, in order, with their number of characters.
    pieces: Vec<(S, usize)>,
    /// The largest byte of every piece.
    max: u8,
}

impl<S: AsRef<str>> Text<S> {
    /// An empty text.
    pub fn new() -> Self {
        Text {
            pieces: Vec::new(),
            max: 0,
        }
    }

    /// Appends a piece, scanning it.
    pub fn push(&mut self, piece: S) {
        let (chars, max) = scan(piece.as_ref().as_bytes());
        self.max = self.max.max(max);
        self.pieces.push((piece, chars));
    }

    /// The number of characters of the whole text.
    pub fn chars(&self) -> usize {
        self.pieces.iter().map(|p| p.1).sum()
    }

    /// The number of bytes of the whole text.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(|p| p.0.as_ref().len()).sum()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The width of the whole text.
    pub fn width(&self) -> Width {
        Width::of_max_byte(self.max)
    }
}

impl<'a> Text<&'a str> {
    /// `text` cut into `parts` pieces at character boundaries ([`split`]), scanned each on
    /// its own thread (all but the first).
    ///
    /// # Examples
    ///
    /// ```
    /// use _mecenat::pystr::{Text, Width};
    /// let t = Text::split("aé€😀", 2);
    /// assert_eq!((t.chars(), t.width()), (4, Width::Ucs4));
    /// assert_eq!(Text::split("café", 1).width(), Width::Latin1);
    /// ```
    pub fn split(text: &'a str, parts: usize) -> Self {
        let pieces: Vec<&str> = split(text, parts)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        let scanned: Vec<(usize, u8)> = std::thread::scope(|scope| {
            let others: Vec<_> = pieces[1..]
                .iter()
                .map(|p| scope.spawn(move || scan(p.as_bytes())))
                .collect();
            let mut all = vec![scan(pieces[0].as_bytes())];
            for h in others {
                all.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            all
        });
        Text {
            max: scanned.iter().map(|s| s.1).max().unwrap_or(0),
            pieces: pieces
                .into_iter()
                .zip(scanned)
                .map(|(p, (chars, _))| (p, chars))
                .collect(),
        }
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
pub(crate) fn scan(bytes: &[u8]) -> (usize, u8) {
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

/// Writes the pieces into `out`, one after the other, dropping each once written (its
/// memory is given back as the `str` grows); `false` when a piece did not fill its part
/// exactly (a defect: the `str` must then not be used).
fn fill_run<S: AsRef<str>, U: Slot>(pieces: Vec<(S, usize)>, ascii: bool, out: &mut [U]) -> bool {
    let mut rest = out;
    for (piece, chars) in pieces {
        if chars > rest.len() {
            return false;
        }
        let (part, tail) = rest.split_at_mut(chars);
        if !write_piece(piece.as_ref().as_bytes(), ascii, part) {
            return false;
        }
        drop(piece);
        rest = tail;
    }
    rest.is_empty()
}

/// Writes the characters of `bytes` (valid UTF-8; `ascii` when it is all ASCII) into
/// `part`: `true` when they fill it exactly.
pub(crate) fn write_piece<U: Slot>(bytes: &[u8], ascii: bool, part: &mut [U]) -> bool {
    if ascii {
        for (d, &b) in part.iter_mut().zip(bytes) {
            d.put_ascii(b);
        }
        bytes.len() == part.len()
    } else {
        fill(bytes, part) == part.len()
    }
}

/// Writes `text` into `out` (its characters' units): the pieces in two runs of about the
/// same number of characters, the second on its own thread when `threads` is 2.
fn fill_text<S: AsRef<str> + Send, U: Slot>(text: Text<S>, threads: usize, out: &mut [U]) -> bool {
    let ascii = text.width() == Width::Ascii;
    let total = text.chars();
    let mut pieces = text.pieces;
    if threads < 2 || pieces.len() < 2 {
        return fill_run(pieces, ascii, out);
    }
    // The first piece that ends past the middle starts the second run.
    let mut seen = 0;
    let cut = pieces
        .iter()
        .position(|p| {
            seen += p.1;
            2 * seen > total
        })
        .map_or(pieces.len(), |k| k.max(1));
    let second = pieces.split_off(cut);
    let first_chars: usize = pieces.iter().map(|p| p.1).sum();
    if first_chars > out.len() {
        return false;
    }
    let (a, b) = out.split_at_mut(first_chars);
    std::thread::scope(|scope| {
        let h = scope.spawn(move || fill_run(second, ascii, b));
        let ok = fill_run(pieces, ascii, a);
        ok & h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
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
        let mut t = Text::new();
        t.push(text);
        return pieces_to_py_str(py, t);
    }
    let t = crate::detached(py, || Ok(Text::split(text, 2)))?;
    pieces_to_py_str(py, t)
}

/// The Python `str` of a text in pieces: written with the interpreter released, on two
/// threads, when it has at least [`LARGE`] bytes; the pieces are dropped as they are
/// written.
///
/// # Errors
///
/// As [`to_py_str`].
pub fn pieces_to_py_str<'py, S: AsRef<str> + Send>(
    py: Python<'py>,
    text: Text<S>,
) -> PyResult<Bound<'py, PyString>> {
    if cfg!(any(Py_LIMITED_API, PyPy, GraalPy)) {
        let whole: String = text.pieces.iter().map(|p| p.0.as_ref()).collect();
        return Ok(PyString::new(py, &whole));
    }
    let (chars, width) = (text.chars(), text.width());
    if text.len() < LARGE {
        return new_str(py, chars, width, |out| Ok(fill_units(text, 1, out)));
    }
    new_str(py, chars, width, |out| {
        crate::detached(py, || Ok(fill_units(text, 2, out)))
    })
}

/// Fills `out` with `text`'s characters; `false` on a defect (see [`fill_run`]).
fn fill_units<S: AsRef<str> + Send>(text: Text<S>, threads: usize, out: Units<'_>) -> bool {
    match out {
        Units::U8(o) => fill_text(text, threads, o),
        Units::U16(o) => fill_text(text, threads, o),
        Units::U32(o) => fill_text(text, threads, o),
    }
}

/// The units of a new `str`, of its text's width.
pub enum Units<'a> {
    /// One byte a character (ASCII or Latin-1).
    U8(&'a mut [MaybeUninit<u8>]),
    /// Two bytes a character.
    U16(&'a mut [MaybeUninit<u16>]),
    /// Four bytes a character.
    U32(&'a mut [MaybeUninit<u32>]),
}

/// A new `str` of `chars` characters of `width`, whose units `write`
/// fills (returning `true` once every unit is written; on `false`, the `str` is dropped
/// and an internal error returned).
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
fn new_str<'py>(
    py: Python<'py>,
    chars: usize,
    width: Width,
    write: impl FnOnce(Units<'_>) -> PyResult<bool>,
) -> PyResult<Bound<'py, PyString>> {
    let s = alloc(py, chars, width)?;
    // SAFETY: `s` was just made with `chars` units of `width`; nobody else can reach it (it
    // is referenced only by `s`, not yet returned or stored) and this is the only slice of
    // its units, living only for `write`, while `s` keeps the object alive, so `write` may
    // fill it from other threads with the interpreter released.
    let units = unsafe { units(s.as_ptr(), width, 0, chars) };
    if write(units)? {
        Ok(s)
    } else {
        Err(crate::errors::internal(
            py,
            "the text's characters did not fill the new str exactly",
        ))
    }
}

/// A new `str` of `chars` units of `width`, not written yet: it must be filled (every
/// unit, [`units`]) before anybody else sees it.
///
/// # Errors
///
/// `MemoryError` when it cannot be allocated; `MecenatError` (internal) if CPython's
/// layout is not the one expected.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
pub(crate) fn alloc(py: Python<'_>, chars: usize, width: Width) -> PyResult<Bound<'_, PyString>> {
    use pyo3::ffi;
    let len = ffi::Py_ssize_t::try_from(chars)
        .map_err(|_| pyo3::exceptions::PyMemoryError::new_err("text too long for a str"))?;
    // SAFETY: we hold the interpreter (`py`); `PyUnicode_New` returns a new reference or
    // NULL with an exception set, which `from_owned_ptr_or_err` turns into the error.
    let s = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_New(len, width.max_char())) }?
        .cast_into::<PyString>()?;
    check_layout(py, s.as_ptr(), width, chars)?;
    Ok(s)
}

/// Checks that `s` (a live `str`, the interpreter held) stores units of `width` at an
/// aligned address, and asks for huge pages for its `chars` units.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
pub(crate) fn check_layout(
    py: Python<'_>,
    s: *mut pyo3::ffi::PyObject,
    width: Width,
    chars: usize,
) -> PyResult<()> {
    use pyo3::ffi;
    // SAFETY: `s` is a live `str` and the interpreter is held.
    let (kind, data) = unsafe { (ffi::PyUnicode_KIND(s), ffi::PyUnicode_DATA(s)) };
    let expected = match width {
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
    advise_huge_pages(data.cast(), chars * align);
    Ok(())
}

/// The units `from..to` of a `str` being written, uninitialized (hence `MaybeUninit`).
///
/// # Safety
///
/// `s` must be a live `str` of `width` (checked by [`check_layout`]) with at least `to`
/// units, that nobody else can reach while the slice lives, and no other slice of its
/// units may be alive meanwhile. The interpreter need not be held (only the object's own
/// header is read). Only characters are written through the slice, never the header (the
/// hash stays "not computed") nor CPython's terminating unit, past `to`.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
pub(crate) unsafe fn units<'a>(
    s: *mut pyo3::ffi::PyObject,
    width: Width,
    from: usize,
    to: usize,
) -> Units<'a> {
    // SAFETY: as the caller guarantees: `s` is a live `str` of `width` with `to` units.
    unsafe {
        let data = pyo3::ffi::PyUnicode_DATA(s);
        let n = to - from;
        match width {
            Width::Ascii | Width::Latin1 => Units::U8(std::slice::from_raw_parts_mut(
                data.cast::<MaybeUninit<u8>>().add(from),
                n,
            )),
            Width::Ucs2 => Units::U16(std::slice::from_raw_parts_mut(
                data.cast::<MaybeUninit<u16>>().add(from),
                n,
            )),
            Width::Ucs4 => Units::U32(std::slice::from_raw_parts_mut(
                data.cast::<MaybeUninit<u32>>().add(from),
                n,
            )),
        }
    }
}

/// Asks Linux to back the 2 MiB-aligned middle of a large new `str` with huge pages, as it
/// is first written: a report's JSON is mostly ASCII but often two bytes a character (one
/// `€` or `–` is enough), so its `str` can exceed a gigabyte, and faulting it in 4 KiB
/// pages is what writing it costs most (about half the time at a million entries). Only
/// advice: where transparent huge pages are off, or elsewhere than Linux, nothing changes.
#[cfg(all(target_os = "linux", not(any(Py_LIMITED_API, PyPy, GraalPy))))]
fn advise_huge_pages(data: *mut u8, bytes: usize) {
    const HUGE: usize = 2 << 20;
    if bytes < 8 * HUGE {
        return;
    }
    let start = (data as usize).next_multiple_of(HUGE);
    let end = (data as usize + bytes) / HUGE * HUGE;
    if end > start {
        // SAFETY: `start..end` lies inside the allocation of `bytes` bytes at `data`, owned
        // by the new `str` and not yet written or shared; MADV_HUGEPAGE changes how its
        // pages are backed, never their contents. Its result (an error where huge pages
        // are not available) is only advice, deliberately ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

/// Elsewhere: no advice.
#[cfg(all(not(target_os = "linux"), not(any(Py_LIMITED_API, PyPy, GraalPy))))]
fn advise_huge_pages(_data: *mut u8, _bytes: usize) {}

/// Without CPython's layout: never called ([`to_py_str`] decodes with the interpreter).
#[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
fn new_str<'py>(
    py: Python<'py>,
    _chars: usize,
    _width: Width,
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
            let l = Text::split(text, 1);
            assert_eq!(l.width(), w, "{text:?}");
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
            let l = Text::split(&text, parts);
            assert_eq!(l.chars(), text.chars().count());
            assert_eq!(l.width(), Width::Ucs4);
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

    /// `pieces` through [`pieces_to_py_str`] equal their concatenation decoded by Python.
    fn pieces_same_as_python(pieces: &[String]) {
        let whole = pieces.concat();
        let mut text = Text::new();
        for p in pieces {
            text.push(p.clone());
        }
        assert_eq!(text.len(), whole.len());
        Python::initialize();
        Python::attach(|py| {
            let ours = pieces_to_py_str(py, text).unwrap();
            let theirs = pyo3::types::PyBytes::new(py, whole.as_bytes())
                .call_method1("decode", ("utf-8",))
                .unwrap();
            assert!(ours.as_any().eq(&theirs).unwrap());
            assert_eq!(ours.len().unwrap(), whole.chars().count());
            assert_eq!(ours.hash().unwrap(), theirs.hash().unwrap());
        });
    }

    #[test]
    fn pieces_of_every_width_in_two_runs() {
        // Small (one run, interpreter held) and large (two runs on two threads), the
        // widest character in the first piece, the last one, or a piece of its own; empty
        // pieces and one piece larger than all the others together.
        let block = |c: char, n: usize| "x".repeat(n) + &c.to_string();
        for wide in ['a', 'é', '€', '😀'] {
            for n in [10, LARGE / 3] {
                pieces_same_as_python(&[block(wide, n), block('a', n), block('b', n)]);
                pieces_same_as_python(&[block('a', n), String::new(), block(wide, n)]);
                pieces_same_as_python(&[block('a', n), wide.to_string(), block('c', n)]);
                pieces_same_as_python(&[block('a', 4 * n), block(wide, 1)]);
                pieces_same_as_python(&[block(wide, 1), block('a', 4 * n), String::new()]);
            }
        }
        pieces_same_as_python(&[]);
        pieces_same_as_python(&[String::new(), String::new()]);
    }

    #[test]
    fn a_piece_that_does_not_fill_its_part_is_a_defect() {
        // Counted as 2 characters but holding 3: the fill reports it rather than writing
        // past its part or leaving a unit unwritten.
        let pieces = vec![("abc", 2usize)];
        let mut out = vec![0u32; 2];
        assert!(!fill_run(pieces, true, &mut out));
        let pieces = vec![("ab", 2usize), ("cd", 2)];
        let mut out = vec![0u32; 5];
        assert!(!fill_run(pieces, false, &mut out));
        let pieces = vec![("ab", 2usize), ("cd", 2)];
        let mut out = vec![0u32; 4];
        assert!(fill_run(pieces, false, &mut out));
        assert_eq!(out, [97, 98, 99, 100]);
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
