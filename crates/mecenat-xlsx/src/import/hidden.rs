//! Hidden rows and columns of an .xlsx worksheet, which calamine does not expose: a light
//! pass over the sheet's XML (`<row r="42" hidden="1">`, `<col min max hidden="1">`),
//! bounded by the same limits as the reading, so that data a user cannot see is imported
//! with a warning, never silently.

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use mecenat::{Error, RawRow};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::precheck::workbook_error;
use crate::cells::Limits;

type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// What one sheet hides.
#[derive(Debug, Default)]
pub(crate) struct Hidden {
    /// Rows, 1-based inclusive ranges.
    pub rows: Vec<(u32, u32)>,
    /// Columns, 0-based inclusive ranges.
    pub cols: Vec<(u32, u32)>,
}

impl Hidden {
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.cols.is_empty()
    }
}

/// What a workbook hides, per sheet name (sheets that hide nothing are left out).
pub(crate) type HiddenParts = HashMap<String, Hidden>;

/// Adds `n` to a list of inclusive ranges, merging it with the last one when they touch.
pub(crate) fn push_range(list: &mut Vec<(u32, u32)>, first: u32, last: u32) {
    match list.last_mut() {
        Some((_, end)) if end.saturating_add(1) >= first => *end = (*end).max(last),
        _ => list.push((first, last)),
    }
}

/// The hidden rows and columns of every worksheet of an .xlsx.
pub(crate) fn xlsx_hidden(bytes: &[u8], limits: &Limits) -> Result<HiddenParts, Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| workbook_error(format!("not a readable .xlsx workbook: {e}")))?;
    let mut out = HiddenParts::new();
    for (sheet, part) in sheet_parts(&mut zip)? {
        let hidden = hidden_of_part(&mut zip, &part, limits)?;
        if !hidden.is_empty() {
            out.insert(sheet, hidden);
        }
    }
    Ok(out)
}

/// Reads a small part whole (the archive check bounded its size).
fn small_part(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, Error> {
    let Some(index) = zip
        .file_names()
        .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
    else {
        return Ok(None);
    };
    let mut f = zip
        .by_index(index)
        .map_err(|e| workbook_error(format!("corrupt .xlsx archive: {e}")))?;
    let mut text = String::new();
    f.read_to_string(&mut text)
        .map_err(|e| workbook_error(format!("part {name} of the workbook cannot be read: {e}")))?;
    Ok(Some(text))
}

/// The value of one attribute (unescaped), matched by its full name.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    Some(
        quick_xml::escape::unescape(&a.value)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string()),
    )
}

/// Each element `<local …>` of a small XML text, with its attributes.
fn elements(xml: &str, local: &str, mut f: impl FnMut(&BytesStart<'_>)) -> Result<(), Error> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => f(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(workbook_error(format!("corrupt .xlsx workbook: {e}"))),
        }
    }
}

/// The worksheets' names and parts: the workbook part (from the package's relationships),
/// its `<sheet name r:id>` list, and the workbook's relationships.
fn sheet_parts(zip: &mut Zip<'_>) -> Result<Vec<(String, String)>, Error> {
    let mut workbook = "xl/workbook.xml".to_string();
    if let Some(rels) = small_part(zip, "_rels/.rels")? {
        elements(&rels, "Relationship", |e| {
            if attr(e, "Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                if let Some(t) = attr(e, "Target") {
                    workbook = t.trim_start_matches('/').to_string();
                }
            }
        })?;
    }
    let dir = workbook.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let rels_name = format!(
        "{dir}{}_rels/{}.rels",
        if dir.is_empty() { "" } else { "/" },
        workbook.rsplit('/').next().unwrap_or("workbook.xml")
    );
    let mut targets: HashMap<String, String> = HashMap::new();
    if let Some(rels) = small_part(zip, &rels_name)? {
        elements(&rels, "Relationship", |e| {
            if let (Some(id), Some(t)) = (attr(e, "Id"), attr(e, "Target")) {
                let path = match t.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None if dir.is_empty() => t,
                    None => format!("{dir}/{t}"),
                };
                targets.insert(id, path);
            }
        })?;
    }
    let mut out = Vec::new();
    if let Some(wb) = small_part(zip, &workbook)? {
        elements(&wb, "sheet", |e| {
            let id = attr(e, "r:id").or_else(|| {
                e.attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "id")
                    .map(|a| a.value.to_string())
            });
            if let (Some(name), Some(part)) = (attr(e, "name"), id.and_then(|i| targets.get(&i))) {
                out.push((name, part.clone()));
            }
        })?;
    }
    Ok(out)
}

/// The hidden rows and columns of one worksheet part. A part that does not contain
/// `hidden=` at all (nearly every one) is only scanned for those bytes.
fn hidden_of_part(zip: &mut Zip<'_>, part: &str, limits: &Limits) -> Result<Hidden, Error> {
    let Some(index) = zip
        .file_names()
        .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(part)))
    else {
        return Ok(Hidden::default());
    };
    let corrupt = |e: &dyn std::fmt::Display| {
        workbook_error(format!(
            "part {part} of the workbook cannot be read (corrupt workbook?): {e}"
        ))
    };
    if !mentions_hidden(zip.by_index(index).map_err(|e| corrupt(&e))?).map_err(|e| corrupt(&e))? {
        return Ok(Hidden::default());
    }
    let f = zip.by_index(index).map_err(|e| corrupt(&e))?;
    let mut reader = Reader::from_reader(BufReader::new(f));
    let mut buf = Vec::with_capacity(1024);
    let mut out = Hidden::default();
    let mut next_row: u32 = 1;
    let is_hidden = |e: &BytesStart<'_>| attr(e, "hidden").is_some_and(|v| v == "1" || v == "true");
    let number =
        |e: &BytesStart<'_>, name: &str| attr(e, name).and_then(|v| v.trim().parse::<u32>().ok());
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let r = number(&e, "r").unwrap_or(next_row);
                if r > limits.max_rows {
                    break; // the reading refuses the sheet, naming the cell
                }
                next_row = r.saturating_add(1);
                if is_hidden(&e) {
                    push_range(&mut out.rows, r, r);
                }
            }
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().as_ref() == "col" && is_hidden(&e) =>
            {
                if let (Some(min), Some(max)) = (number(&e, "min"), number(&e, "max")) {
                    if (1..=max).contains(&min) {
                        push_range(&mut out.cols, min - 1, max - 1);
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => break,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(corrupt(&e)),
        }
    }
    Ok(out)
}

/// Whether a part's bytes contain `hidden=` (streamed, in chunks that overlap).
fn mentions_hidden(mut r: impl Read) -> std::io::Result<bool> {
    const NEEDLE: &[u8] = b"hidden=";
    let mut buf = vec![0u8; 64 << 10];
    let mut kept = 0;
    loop {
        let n = r.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(false);
        }
        let filled = kept + n;
        if buf[..filled]
            .windows(NEEDLE.len())
            .any(|w| w[0] == b'h' && w == NEEDLE)
        {
            return Ok(true);
        }
        kept = (NEEDLE.len() - 1).min(filled);
        buf.copy_within(filled - kept..filled, 0);
    }
}

/// The sheet rows of `rows` that lie in the hidden ranges.
pub(crate) fn rows_in(rows: &[RawRow], hidden: &[(u32, u32)]) -> Vec<u32> {
    rows.iter()
        .map(|r| r.sheet_row)
        .filter(|r| hidden.iter().any(|(a, b)| (a..=b).contains(&r)))
        .collect()
}

/// The columns of `rows` (letters and key) that lie in the hidden ranges and hold a value.
pub(crate) fn cols_in(rows: &[RawRow], hidden: &[(u32, u32)]) -> Vec<(String, String)> {
    let Some(info) = rows.first().and_then(|r| r.sheet.clone()) else {
        return Vec::new();
    };
    info.columns
        .iter()
        .filter(|(_, letters)| {
            let c = col_index(letters);
            hidden.iter().any(|(a, b)| (a..=b).contains(&&c))
        })
        .filter(|(key, _)| rows.iter().any(|r| r.get(key).is_some()))
        .map(|(key, letters)| (letters.clone(), key.to_string()))
        .collect()
}

/// The 0-based index of column letters (`A` is 0, `AB` is 27).
fn col_index(letters: &str) -> u32 {
    letters
        .bytes()
        .fold(0u32, |n, b| {
            n.saturating_mul(26).saturating_add(u32::from(b - b'A') + 1)
        })
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_is_found_across_chunk_boundaries() {
        let mut text = vec![b' '; (64 << 10) - 3];
        text.extend_from_slice(b"hidden=\"1\"");
        assert!(mentions_hidden(&text[..]).unwrap());
        assert!(!mentions_hidden(&b"<row r=\"1\">"[..]).unwrap());
    }

    #[test]
    fn column_letters_and_ranges() {
        assert_eq!(col_index("A"), 0);
        assert_eq!(col_index("AB"), 27);
        assert_eq!(crate::cells::col_letters(col_index("XFD")), "XFD");
        let mut v = Vec::new();
        push_range(&mut v, 3, 3);
        push_range(&mut v, 4, 4);
        push_range(&mut v, 9, 12);
        assert_eq!(v, vec![(3, 4), (9, 12)]);
    }
}
