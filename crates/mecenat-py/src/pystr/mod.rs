//! Python `str`s written in place from UTF-8 text (the way orjson builds its strings),
//! above all a report's JSON, written as it is rendered with the interpreter released
//! ([`JsonStr`], in `growing`).
//!
//! CPython stores a `str` as one fixed-width array of code points: one byte a character
//! when every character is below U+0100 (ASCII or Latin-1), two below U+10000, four
//! otherwise. Decoding UTF-8 into it (`PyUnicode_FromStringAndSize`, `bytes.decode()`)
//! holds the interpreter for the whole text, and is slow for a report's JSON: mostly ASCII
//! with a few wider characters (names and notes in French), so CPython decodes the ASCII
//! prefix, widens it at the first wider character, then goes on character by character.
//!
//! Here a text is scanned once for its number of characters and its largest byte
//! ([`scan`]); `PyUnicode_New` allocates the `str` ([`alloc`], its middle backed by huge
//! pages where Linux offers them: [`advise_huge_pages`]); the characters are written
//! straight into the `str`'s array ([`fill`]: a copy for ASCII, one unit a character
//! otherwise), with the interpreter released for a report's JSON; a large `str`'s pages are
//! faulted in from its end by a helper thread while the writer fills it from the start
//! (`prefault`). The only `unsafe` code of the crate is here ([`alloc`], [`units`],
//! [`advise_huge_pages`], the resizing in `growing`, `madvise` in `prefault`): this module
//! is the only one allowed it; `unsafe_code` is denied everywhere else.
//!
//! Without CPython's layout (the limited API, PyPy, GraalPy), `to_json` falls back to the
//! interpreter's own decoder of the whole text.

use std::mem::MaybeUninit;

use pyo3::prelude::*;
use pyo3::types::PyString;

// A report's JSON written into a `str` as it is rendered.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
mod growing;
// The pages of a large `str` faulted in ahead of its writer.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
mod prefault;
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
pub use growing::JsonStr;

/// JSON text with every character beyond ASCII written as Python's `json.dumps` writes it
/// (`\\u00e9`, lowercase; a pair of surrogates beyond U+FFFF): only inside strings, where
/// the escape means the character. Text already ASCII is returned as it is.
///
/// # Errors
///
/// The internal error of text that is not UTF-8.
pub fn ascii_escaped(bytes: Vec<u8>) -> PyResult<Vec<u8>> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if bytes.is_ascii() {
        return Ok(bytes);
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        Python::attach(|py| {
            crate::errors::internal(py, &format!("the JSON report is not UTF-8: {e}"))
        })
    })?;
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    let mut units = [0u16; 2];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        for &mut u in c.encode_utf16(&mut units) {
            let hex = |shift: u16| HEX[usize::from((u >> shift) & 0xF)];
            out.extend_from_slice(&[b'\\', b'u', hex(12), hex(8), hex(4), hex(0)]);
        }
    }
    Ok(out)
}

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

    /// Bytes a unit of the width takes in a `str`.
    pub fn unit_bytes(self) -> usize {
        match self {
            Width::Ascii | Width::Latin1 => 1,
            Width::Ucs2 => 2,
            Width::Ucs4 => 4,
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

/// Whether a run is ASCII: no byte with its high bit set, eight bytes a test.
fn is_ascii_run(run: &[u8; RUN]) -> bool {
    let (words, _) = run.as_chunks::<8>();
    words.iter().fold(0, |a, w| a | u64::from_ne_bytes(*w)) & 0x8080_8080_8080_8080 == 0
}

/// Writes the characters of `bytes` (valid UTF-8 whose code points fit `T`) into `out`,
/// one unit each, until either ends: returns how many bytes were read and units written
/// (`(bytes.len(), out.len())` when `out` has one unit a character).
pub fn fill<S: Slot>(bytes: &[u8], out: &mut [S]) -> (usize, usize) {
    let (mut i, mut j) = (0, 0);
    while i < bytes.len() {
        // Fixed-size runs, tested eight bytes at a time and widened in one loop the compiler
        // vectorizes (a third faster than slices at two bytes a unit).
        let run = bytes.get(i..).and_then(<[u8]>::first_chunk::<RUN>);
        let dst = out.get_mut(j..).and_then(<[S]>::first_chunk_mut::<RUN>);
        if let (Some(src), Some(dst)) = (run, dst) {
            if is_ascii_run(src) {
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
                return (i, j);
            };
            let (c, n) = decode(bytes, i);
            slot.put(c);
            i += n;
            j += 1;
        }
    }
    (i, j)
}

/// Writes the characters of `bytes` (valid UTF-8 no wider than `width`) into `out`, the
/// units of a `str` of that width: `true` when they fill it exactly.
pub(crate) fn write_units(bytes: &[u8], width: Width, out: Units<'_>) -> bool {
    match out {
        Units::U8(o) => write_piece(bytes, width == Width::Ascii, o),
        Units::U16(o) => write_piece(bytes, false, o),
        Units::U32(o) => write_piece(bytes, false, o),
    }
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
        fill(bytes, part) == (bytes.len(), part.len())
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
    let unit = width.unit_bytes();
    if kind != expected || data.is_null() || data.align_offset(unit) != 0 {
        return Err(crate::errors::internal(
            py,
            "the new str has an unexpected layout",
        ));
    }
    advise_huge_pages(data.cast(), chars * unit);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The Python `str` of `text`, written the way [`JsonStr`] writes each piece: scanned,
    /// allocated at its width, filled by [`write_units`].
    fn to_py_str<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
        let (chars, max) = scan(text.as_bytes());
        let width = Width::of_max_byte(max);
        let s = alloc(py, chars, width).unwrap();
        // SAFETY: `s` was just made with `chars` units of `width` and is referenced only
        // here; this is the only slice of its units, dropped before `s` is returned.
        let out = unsafe { units(s.as_ptr(), width, 0, chars) };
        assert!(write_units(text.as_bytes(), width, out), "{text:.80}");
        s
    }

    /// `text` through [`to_py_str`] equals what Python decodes itself, and has its length.
    fn same_as_python(text: &str) {
        Python::initialize();
        Python::attach(|py| {
            let ours = to_py_str(py, text);
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
    fn escapes_are_json_dumps_ones() {
        let t = "{\"n\": \"é€😀\u{7F}\u{80}\u{FFFF}\"}";
        let out = ascii_escaped(t.as_bytes().to_vec()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"n\": \"\\u00e9\\u20ac\\ud83d\\ude00\u{7F}\\u0080\\uffff\"}"
        );
        assert_eq!(ascii_escaped(b"plain".to_vec()).unwrap(), b"plain");
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
            let (chars, max) = scan(text.as_bytes());
            assert_eq!(Width::of_max_byte(max), w, "{text:?}");
            assert_eq!(chars, text.chars().count(), "{text:?}");
            let c = text.chars().map(u32::from).max().unwrap_or(0);
            assert!(c <= w.max_char(), "{text:?}");
        }
    }

    #[test]
    fn fill_writes_every_character_once() {
        for text in ["", "a", "é", "€", "😀", "aé€😀", "é€😀a"] {
            for prefix in [0, 1, RUN - 1, RUN, RUN + 1, 2 * RUN] {
                for suffix in [0, 1, RUN - 1, RUN] {
                    let t = "a".repeat(prefix) + text + &"b".repeat(suffix);
                    let want: Vec<u32> = t.chars().map(u32::from).collect();
                    let mut out = vec![u32::MAX; want.len()];
                    assert_eq!(fill(t.as_bytes(), &mut out), (t.len(), want.len()), "{t:?}");
                    assert_eq!(out, want, "{t:?}");
                    // A buffer too short is filled and no more, never overrun.
                    if !want.is_empty() {
                        let mut short = vec![u32::MAX; want.len() - 1];
                        assert_eq!(fill(t.as_bytes(), &mut short).1, want.len() - 1);
                        assert_eq!(short, want[..want.len() - 1], "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_wide_character_at_any_byte_of_a_run_is_seen() {
        // One non-ASCII character at each offset of two runs' worth of ASCII: the run test
        // looks at every byte of its eight-byte words, none skipped.
        for c in ['é', '€', '😀'] {
            for at in 0..2 * RUN {
                let t = "a".repeat(at) + &c.to_string() + &"b".repeat(2 * RUN);
                let want: Vec<u32> = t.chars().map(u32::from).collect();
                let mut out = vec![0u32; want.len()];
                assert_eq!(
                    fill(t.as_bytes(), &mut out),
                    (t.len(), want.len()),
                    "{c} at {at}"
                );
                assert_eq!(out, want, "{c} at {at}");
            }
        }
        let mut run = [b'a'; RUN];
        assert!(is_ascii_run(&run));
        for at in 0..RUN {
            run[at] = 0x80;
            assert!(!is_ascii_run(&run), "high bit at {at}");
            run[at] = 0x7F;
            assert!(is_ascii_run(&run), "0x7F at {at}");
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
    fn a_piece_that_does_not_fill_its_part_is_a_defect() {
        // Three characters for a part of two, or two for three: reported rather than
        // written past the part or leaving a unit unwritten.
        for ascii in [true, false] {
            let mut out = vec![0u32; 2];
            assert!(!write_piece(b"abc", ascii, &mut out));
            let mut out = vec![0u32; 3];
            assert!(!write_piece(b"ab", ascii, &mut out));
            let mut out = vec![0u32; 2];
            assert!(write_piece(b"ab", ascii, &mut out));
            assert_eq!(out, [97, 98]);
        }
        let mut out = vec![0u32; 2];
        assert!(write_piece("é€".as_bytes(), false, &mut out));
        assert_eq!(out, [0xE9, 0x20AC]);
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
        assert!(t.len() > 2 << 20);
        same_as_python(&t);
    }
}
