//! What the importer checks before it lets calamine read a file: what the file is (by its
//! content, never its extension), the archive's sizes against [`Limits`], and the claims
//! calamine would trust (the shared strings' count, which it reserves memory for).

use std::io::{Cursor, Read};

use mecenat::{Error, Location};

use crate::cells::Limits;

/// The two workbook formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Office Open XML (Excel's .xlsx).
    Xlsx,
    /// OpenDocument spreadsheet (LibreOffice's .ods).
    Ods,
}

/// The start of every OLE2 compound file (.xls, .doc, and encrypted .xlsx).
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The `mimetype` entry of an OpenDocument spreadsheet.
pub(crate) const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";
/// The smallest shared string item (`<si/>`): no part holds more items than its size over this.
const MIN_SI_BYTES: u64 = 5;
/// The smallest cell that uses a shared string (`<c t="s"><v>0</v></c>` less its tags' ends).
const MIN_CELL_BYTES: u64 = 10;
/// How much of the shared strings part is read to find its `<sst …>` tag.
const SST_HEAD_BYTES: u64 = 64 << 10;

pub(crate) fn workbook_error(message: impl Into<String>) -> Error {
    Error::scenario(Location::default(), message)
}

/// Says what a file is and checks it against the limits before calamine reads it.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<Format, Error> {
    if bytes.len() as u64 > limits.max_archive_bytes {
        return Err(workbook_error(format!(
            "the workbook is {} bytes, more than the limit of {} bytes",
            bytes.len(),
            limits.max_archive_bytes
        )));
    }
    if !bytes.starts_with(b"PK") {
        return Err(not_a_zip(bytes));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        workbook_error(format!(
            "not a readable .xlsx or .ods workbook (both are zip archives): {e}"
        ))
    })?;
    let format = zip_format(&mut zip)?;
    check_parts(&mut zip, format, limits)?;
    if format == Format::Ods && ods_encrypted(&mut zip, limits)? {
        return Err(workbook_error(ODS_ENCRYPTED));
    }
    Ok(format)
}

/// The refusal of a password-protected .ods.
pub(crate) const ODS_ENCRYPTED: &str = "an encrypted (password-protected) .ods workbook, which cannot be read: remove the password in LibreOffice (Fichier > Enregistrer sous, untick « Enregistrer avec mot de passe ») and save again";

/// Whether an OpenDocument package is encrypted: its manifest gives the parts'
/// `manifest:encryption-data` (and their content is then no XML to read).
fn ods_encrypted(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> Result<bool, Error> {
    let Ok(f) = zip.by_name("META-INF/manifest.xml") else {
        return Ok(false);
    };
    let mut manifest = Vec::new();
    f.take(limits.max_part_bytes)
        .read_to_end(&mut manifest)
        .map_err(|e| workbook_error(format!("corrupt OpenDocument archive: {e}")))?;
    Ok(manifest.windows(15).any(|w| w == b"encryption-data"))
}

/// Whether a file starts as a zip archive or an OLE2 compound file.
pub(crate) fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(&OLE2_MAGIC)
}

/// A file that is not a zip archive: what it is, and what to do.
fn not_a_zip(bytes: &[u8]) -> Error {
    if bytes.starts_with(&OLE2_MAGIC) {
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            return workbook_error(
                "an encrypted (password-protected) workbook, which cannot be read: remove the password in Excel (Fichier > Informations > Protéger le classeur > Chiffrer avec mot de passe, empty the password) and save again",
            );
        }
        return workbook_error(
            "an Excel 97-2003 workbook (.xls), which is not read: open it in Excel or LibreOffice and save it as .xlsx (Fichier > Enregistrer sous > Classeur Excel) or .ods",
        );
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().copied().find(|b| !b.is_ascii_whitespace());
    let what = if bytes.is_empty() {
        "an empty file"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF file"
    } else if matches!(first, Some(b'{')) {
        "a JSON file (read it as a JSON scenario instead)"
    } else if std::str::from_utf8(text).is_ok() {
        "a text file (a CSV? open it in Excel or LibreOffice and save it as .xlsx or .ods)"
    } else {
        "not a workbook"
    };
    workbook_error(format!(
        "{what}: a scenario workbook is an .xlsx (Excel) or .ods (LibreOffice) file"
    ))
}

/// Whether `bytes` holds `name` in UTF-16LE (the names of an OLE2 directory).
fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// A zip archive: an OpenDocument spreadsheet (its `mimetype` entry), an .xlsx (its
/// workbook part), or something else, refused.
fn zip_format(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<Format, Error> {
    if let Ok(f) = zip.by_name("mimetype") {
        let mut mime = String::new();
        f.take(200)
            .read_to_string(&mut mime)
            .map_err(|e| workbook_error(format!("corrupt OpenDocument archive: {e}")))?;
        let mime = mime.trim();
        if mime == ODS_MIME {
            return Ok(Format::Ods);
        }
        return Err(workbook_error(format!(
            "an OpenDocument file of type {mime:?}, not a spreadsheet: a scenario workbook is an .xlsx (Excel) or .ods (LibreOffice) spreadsheet"
        )));
    }
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_ascii_lowercase()))
        .collect();
    if names.iter().any(|n| n.starts_with("xl/")) {
        return Ok(Format::Xlsx);
    }
    let what = if names.iter().any(|n| n.starts_with("word/")) {
        "a Word document"
    } else if names.iter().any(|n| n.starts_with("ppt/")) {
        "a PowerPoint presentation"
    } else {
        "a zip archive that is not a workbook"
    };
    Err(workbook_error(format!(
        "{what}: a scenario workbook is an .xlsx (Excel) or .ods (LibreOffice) file"
    )))
}

/// Each part's declared size (the zip reader refuses to inflate a part beyond it, so these
/// bound what is read), the total, the compression ratio of large parts, and the claims of
/// the shared strings part.
fn check_parts(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    format: Format,
    limits: &Limits,
) -> Result<(), Error> {
    let mut total: u64 = 0;
    let mut shared_strings = None;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| workbook_error(format!("corrupt workbook archive: {e}")))?;
        let size = f.size();
        let packed = f.compressed_size().max(1);
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(size);
        // Worksheets are streamed; the OpenDocument content is bounded cell by cell.
        let streamed = match format {
            Format::Xlsx => name.starts_with("xl/worksheets/"),
            Format::Ods => name == "content.xml",
        };
        if !streamed && size > limits.max_part_bytes {
            return Err(workbook_error(format!(
                "part {name} of the workbook inflates to {size} bytes, more than the limit of {} bytes",
                limits.max_part_bytes
            )));
        }
        if size > (1 << 20) && size / packed > limits.max_compression_ratio {
            return Err(workbook_error(format!(
                "part {name} of the workbook inflates {}-fold ({packed} bytes to {size}): refused as a likely zip bomb (limit {}-fold)",
                size / packed,
                limits.max_compression_ratio
            )));
        }
        if total > limits.max_decompressed_bytes {
            return Err(workbook_error(format!(
                "the workbook inflates to more than {} bytes (limit): refused as a likely zip bomb",
                limits.max_decompressed_bytes
            )));
        }
        if format == Format::Xlsx && name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            shared_strings = Some((i, name, size));
        }
    }
    if let Some((i, name, size)) = shared_strings {
        check_shared_strings(zip, i, &name, size, total)?;
    }
    Ok(())
}

/// The shared strings part says how many strings it holds (`uniqueCount`, which calamine
/// reserves memory for before reading one) and how many cells use them (`count`): both
/// must be possible for the real sizes, the part's for its strings (an item takes at least
/// 5 bytes, `<si/>`), the worksheets' for their cells (a string cell takes at least 10).
fn check_shared_strings(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    name: &str,
    size: u64,
    total: u64,
) -> Result<(), Error> {
    let f = zip
        .by_index(index)
        .map_err(|e| workbook_error(format!("corrupt workbook archive: {e}")))?;
    let mut head = Vec::new();
    f.take(SST_HEAD_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| workbook_error(format!("part {name} of the workbook cannot be read: {e}")))?;
    let Some(tag) = start_tag(&head, b"sst") else {
        return Ok(());
    };
    for (attr, bound, what) in [
        (
            "uniqueCount",
            size / MIN_SI_BYTES,
            format!("its {size} bytes"),
        ),
        (
            "count",
            total / MIN_CELL_BYTES,
            format!("the workbook's {total} bytes"),
        ),
    ] {
        let Some(raw) = attr_value(tag, attr) else {
            continue;
        };
        if raw.trim().parse::<u64>().ok().is_none_or(|n| n > bound) {
            return Err(workbook_error(format!(
                "part {name} of the workbook claims {attr}=\"{raw}\" shared strings, but {what} can hold at most {bound}: a corrupt or hostile workbook (open it in Excel or LibreOffice and save it again)"
            )));
        }
    }
    Ok(())
}

/// The attributes text of the first start tag `<name …>` or `<prefix:name …>` in `xml`.
fn start_tag<'x>(xml: &'x [u8], name: &[u8]) -> Option<&'x [u8]> {
    let mut from = 0;
    while let Some(lt) = xml[from..].iter().position(|&b| b == b'<') {
        let at = from + lt + 1;
        let rest = &xml[at..];
        let end = rest
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
            .unwrap_or(rest.len());
        let qname = &rest[..end];
        let local = qname
            .iter()
            .rposition(|&b| b == b':')
            .map_or(qname, |p| &qname[p + 1..]);
        if local == name {
            let close = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
            return Some(&rest[end..close]);
        }
        from = at;
    }
    None
}

/// The value of attribute `name` in a start tag's attributes text.
fn attr_value(tag: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(tag);
    let mut rest = text.as_ref();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value_end = after[1..].find(quote)?;
        let value = &after[1..1 + value_end];
        if key == name {
            return Some(value.to_string());
        }
        rest = &after[1 + value_end + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sst_tag_and_its_counts_are_found() {
        let xml = br#"<?xml version="1.0"?><x:sst xmlns:x="u" count="12" uniqueCount='7'><si/>"#;
        let tag = start_tag(xml, b"sst").unwrap();
        assert_eq!(attr_value(tag, "count").as_deref(), Some("12"));
        assert_eq!(attr_value(tag, "uniqueCount").as_deref(), Some("7"));
        assert_eq!(attr_value(tag, "other"), None);
        assert!(start_tag(b"<sstx a='1'>", b"sst").is_none());
    }

    #[test]
    fn files_that_are_not_zips_are_named() {
        let msg = |b: &[u8]| not_a_zip(b).to_string();
        assert!(msg(b"").contains("an empty file"));
        assert!(msg(b"%PDF-1.7").contains("a PDF file"));
        assert!(msg(b"\xEF\xBB\xBF {\"companies\": []}").contains("JSON"));
        assert!(msg(b"a;b;c\n1;2;3\n").contains("CSV"));
        let mut ole = OLE2_MAGIC.to_vec();
        ole.extend([0u8; 64]);
        assert!(msg(&ole).contains(".xls"));
        ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(msg(&ole).contains("encrypted"));
    }
}
