//! A large Python `str` from UTF-8 text, with as little work as possible done with the
//! interpreter held.
//!
//! `PyUnicode_FromStringAndSize` on the whole text is slow when the text is mostly ASCII
//! with a few wider characters (a report's JSON: names and notes in French): CPython
//! decodes the ASCII prefix into one byte a character, then widens everything decoded so
//! far when it meets the first wider character, then decodes the rest character by
//! character (1.5 s for 580 MB). Decoded in blocks of 16 MiB instead (cut at character
//! boundaries found without the interpreter), the ASCII blocks take CPython's fast path
//! (a copy) and `str.join` widens them once, in a tight loop: about half the time.
//!
//! Filling a `str` allocated by `PyUnicode_New` without the interpreter would remove the
//! rest, but needs `unsafe` code (forbidden in this workspace) and CPython's private
//! layout of strings (outside the abi3 wheel's limited API).

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

/// Size of the blocks decoded separately.
const BLOCK: usize = 1 << 24;

/// Where to cut `text` into blocks of about [`BLOCK`] bytes, at character boundaries
/// (computed without the interpreter); empty when the text is ASCII or short, which
/// CPython decodes at its fastest in one piece.
///
/// # Examples
///
/// ```
/// use _mecenat::pystr::cuts;
/// assert!(cuts("short é").is_empty());
/// ```
pub fn cuts(text: &str) -> Vec<usize> {
    if text.len() <= BLOCK || text.is_ascii() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(text.len() / BLOCK + 2);
    let mut at = 0;
    while at < text.len() {
        out.push(at);
        let mut end = (at + BLOCK).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        at = end;
    }
    out.push(text.len());
    out
}

/// The Python `str` of `text`; `cuts` is [`cuts`]'s result for it.
pub fn to_py_str<'py>(
    py: Python<'py>,
    text: &str,
    cuts: &[usize],
) -> PyResult<Bound<'py, PyString>> {
    if cuts.len() < 2 {
        return Ok(PyString::new(py, text));
    }
    let blocks = PyList::empty(py);
    for w in cuts.windows(2) {
        blocks.append(PyString::new(py, &text[w[0]..w[1]]))?;
    }
    Ok(PyString::new(py, "")
        .call_method1("join", (blocks,))?
        .cast_into::<PyString>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_character_boundaries() {
        let text = "é".repeat(BLOCK) + "x";
        let c = cuts(&text);
        assert_eq!((c[0], *c.last().unwrap()), (0, text.len()));
        assert!(c.iter().all(|&i| text.is_char_boundary(i)));
        assert!(c.windows(2).all(|w| w[0] < w[1]));
        assert!(cuts(&"a".repeat(BLOCK * 2)).is_empty());
    }

    #[test]
    fn blocks_make_the_same_str() {
        // Mostly ASCII, a Latin-1 character, then wider ones far after the first block.
        let text = format!(
            "é{}—{}😀{}",
            "a".repeat(BLOCK + 3),
            "b".repeat(BLOCK),
            "c".repeat(5)
        );
        let c = cuts(&text);
        assert!(c.len() > 3);
        Python::initialize();
        Python::attach(|py| {
            let blocks = to_py_str(py, &text, &c).unwrap();
            let whole = PyString::new(py, &text);
            assert!(blocks.as_any().eq(whole.as_any()).unwrap());
            assert_eq!(blocks.to_str().unwrap(), text);
        });
    }
}
