//! The workbook's zip archive: the parts rust_xlsxwriter wrote copied as they are, each
//! detail placeholder replaced by its head, the deflated rows and its tail, in a plain zip
//! (sizes in data descriptors, as Java's and Apache POI's writers produce).

use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

use super::{vcol, PartStream, DATE_STYLE, LEVEL, MONEY_STYLE, QTY_STYLE};
use crate::cells::col_letters;

/// Deflates one chunk: ends on a sync flush unless it is the last one of its stream.
pub(crate) fn deflate_chunk(data: &[u8], last: bool, level: u32) -> io::Result<Vec<u8>> {
    let mut c = Compress::new(Compression::new(level), false);
    let mut out = Vec::with_capacity(data.len() / 4 + 1024);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    loop {
        let consumed = usize::try_from(c.total_in())
            .unwrap_or(usize::MAX)
            .min(data.len());
        if out.capacity() - out.len() < 4096 {
            out.reserve(out.capacity().max(4096));
        }
        let status = c
            .compress_vec(&data[consumed..], &mut out, flush)
            .map_err(io::Error::other)?;
        let all_in = usize::try_from(c.total_in()).unwrap_or(usize::MAX) >= data.len();
        match status {
            Status::StreamEnd => break,
            _ if !last && all_in && out.capacity() - out.len() >= 4096 => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A detail sheet's place in the workbook rust_xlsxwriter wrote.
pub(crate) struct Placeholder {
    /// Zip entry name (`xl/worksheets/sheet3.xml`).
    pub entry: String,
    /// Rows of data.
    pub rows: usize,
}

/// Splits a placeholder sheet around its prototype row (Excel row 2), checking that the
/// prototype's cells have the styles the rows are written with; fixes the dimension.
fn splice(xml: &str, rows: usize) -> io::Result<(String, String)> {
    let bad = |what: &str| io::Error::other(format!("detail sheet placeholder: {what}"));
    let start = xml
        .find("<row r=\"2\"")
        .ok_or_else(|| bad("no prototype row"))?;
    let end = xml[start..]
        .find("</row>")
        .map(|k| start + k + "</row>".len())
        .ok_or_else(|| bad("unterminated prototype row"))?;
    let proto = &xml[start..end];
    for (cell, style) in [
        ("D2", DATE_STYLE),
        ("G2", QTY_STYLE),
        ("J2", MONEY_STYLE),
        ("N2", MONEY_STYLE),
    ] {
        if !proto.contains(&format!("<c r=\"{cell}\" s=\"{style}\"")) {
            return Err(bad(&format!(
                "cell {cell} has not the style {style}: {proto}"
            )));
        }
    }
    let mut prefix = xml[..start].to_string();
    let last_row = rows.max(1) + 2;
    if let Some(d) = prefix.find("<dimension ref=\"") {
        if let Some(e) = prefix[d..].find("\"/>") {
            let col = col_letters(u32::from(vcol::LAST));
            prefix.replace_range(
                d..d + e + 3,
                &format!("<dimension ref=\"A1:{col}{last_row}\"/>"),
            );
        }
    }
    Ok((prefix, xml[end..].to_string()))
}

struct Counting<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn u16le(w: &mut impl Write, v: u16) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

fn u32le(w: &mut impl Write, v: u32) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

fn small(v: u64) -> io::Result<u32> {
    u32::try_from(v).map_err(|_| {
        io::Error::other("the report workbook would exceed the 4 GiB of a plain zip archive")
    })
}

struct Entry {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    offset: u64,
}

const DATA_DESCRIPTOR: u16 = 0x0008;
const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01, as rust_xlsxwriter writes

fn local_header(w: &mut impl Write, e: &Entry) -> io::Result<()> {
    u32le(w, 0x0403_4b50)?;
    u16le(w, 20)?;
    u16le(w, e.flags)?;
    u16le(w, e.method)?;
    u16le(w, 0)?;
    u16le(w, DOS_DATE)?;
    let known = e.flags & DATA_DESCRIPTOR == 0;
    u32le(w, if known { e.crc } else { 0 })?;
    u32le(w, if known { small(e.csize)? } else { 0 })?;
    u32le(w, if known { small(e.usize)? } else { 0 })?;
    u16le(w, u16::try_from(e.name.len()).map_err(io::Error::other)?)?;
    u16le(w, 0)?;
    w.write_all(&e.name)
}

/// Writes the final workbook: the parts of `base` in order, each detail placeholder
/// replaced by its head, the rows from `spill`, and its tail.
pub(crate) fn assemble<R: Read + Seek, W: Write>(
    base: &[u8],
    placeholders: &[Placeholder],
    streams: &[PartStream],
    spill: &mut R,
    out: W,
) -> io::Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(base)).map_err(io::Error::other)?;
    let mut w = Counting { inner: out, n: 0 };
    let mut entries: Vec<Entry> = Vec::with_capacity(zip.len());
    let mut replaced = 0;
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .map_err(io::Error::other)?
            .name_raw()
            .to_vec();
        let slot = placeholders
            .iter()
            .position(|p| p.entry.as_bytes() == name.as_slice());
        let e = if let Some(k) = slot {
            let mut xml = String::new();
            zip.by_index(i)
                .map_err(io::Error::other)?
                .read_to_string(&mut xml)?;
            replaced += 1;
            let halves = splice(&xml, placeholders[k].rows)?;
            spliced(&mut w, name, &halves, &streams[k], spill)?
        } else {
            copied(&mut w, name, zip.by_index_raw(i).map_err(io::Error::other)?)?
        };
        entries.push(e);
    }
    if replaced != placeholders.len() {
        return Err(io::Error::other("a detail sheet placeholder is missing"));
    }
    central_directory(&mut w, &entries)?;
    w.flush()
}

/// A detail sheet: its head, its rows (already deflated, from `spill`) and its tail, as one
/// deflate stream with a data descriptor.
fn spliced<R: Read + Seek, W: Write>(
    w: &mut Counting<W>,
    name: Vec<u8>,
    (prefix, suffix): &(String, String),
    s: &PartStream,
    spill: &mut R,
) -> io::Result<Entry> {
    let mut e = Entry {
        name,
        flags: DATA_DESCRIPTOR,
        method: 8,
        crc: 0,
        csize: 0,
        usize: 0,
        offset: w.n,
    };
    local_header(w, &e)?;
    let start = w.n;
    let mut crc = crc32fast::Hasher::new();
    crc.update(prefix.as_bytes());
    w.write_all(&deflate_chunk(prefix.as_bytes(), false, LEVEL)?)?;
    spill.seek(SeekFrom::Start(s.start))?;
    io::copy(&mut spill.by_ref().take(s.len), w)?;
    crc.combine(&s.crc);
    crc.update(suffix.as_bytes());
    w.write_all(&deflate_chunk(suffix.as_bytes(), true, LEVEL)?)?;
    e.crc = crc.finalize();
    e.csize = w.n - start;
    e.usize = (prefix.len() + suffix.len()) as u64 + s.raw_len;
    u32le(w, 0x0807_4b50)?;
    u32le(w, e.crc)?;
    u32le(w, small(e.csize)?)?;
    u32le(w, small(e.usize)?)?;
    Ok(e)
}

/// Any other part, copied compressed as it is.
fn copied<W: Write>(
    w: &mut Counting<W>,
    name: Vec<u8>,
    mut f: zip::read::ZipFile<'_, Cursor<&[u8]>>,
) -> io::Result<Entry> {
    let method = match f.compression() {
        zip::CompressionMethod::Stored => 0,
        zip::CompressionMethod::Deflated => 8,
        other => {
            return Err(io::Error::other(format!(
                "unexpected compression {other:?} in the workbook"
            )))
        }
    };
    let e = Entry {
        name,
        flags: 0,
        method,
        crc: f.crc32(),
        csize: f.compressed_size(),
        usize: f.size(),
        offset: w.n,
    };
    local_header(w, &e)?;
    io::copy(&mut f, w)?;
    Ok(e)
}

/// The central directory and its end record.
fn central_directory<W: Write>(w: &mut Counting<W>, entries: &[Entry]) -> io::Result<()> {
    let cd_start = w.n;
    for e in entries {
        u32le(w, 0x0201_4b50)?;
        u16le(w, 20)?;
        u16le(w, 20)?;
        u16le(w, e.flags)?;
        u16le(w, e.method)?;
        u16le(w, 0)?;
        u16le(w, DOS_DATE)?;
        u32le(w, e.crc)?;
        u32le(w, small(e.csize)?)?;
        u32le(w, small(e.usize)?)?;
        u16le(w, u16::try_from(e.name.len()).map_err(io::Error::other)?)?;
        for _ in 0..4 {
            u16le(w, 0)?;
        }
        u32le(w, 0)?;
        u32le(w, small(e.offset)?)?;
        w.write_all(&e.name)?;
    }
    let cd_size = w.n - cd_start;
    let count = u16::try_from(entries.len()).map_err(io::Error::other)?;
    u32le(w, 0x0605_4b50)?;
    u16le(w, 0)?;
    u16le(w, 0)?;
    u16le(w, count)?;
    u16le(w, count)?;
    u32le(w, small(cd_size)?)?;
    u32le(w, small(cd_start)?)?;
    u16le(w, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_joined_inflate_back() {
        let data: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut z = Vec::new();
        for (k, c) in data.chunks(100_000).enumerate() {
            z.extend(deflate_chunk(c, k == 11, 1).unwrap());
        }
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&z[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn the_prototype_row_is_replaced_and_the_dimension_fixed() {
        let xml = "<worksheet><dimension ref=\"A1:P3\"/><sheetData><row r=\"1\"></row>\
                   <row r=\"2\"><c r=\"D2\" s=\"1\"/><c r=\"G2\" s=\"3\"/><c r=\"J2\" s=\"2\"/><c r=\"N2\" s=\"2\"/></row>\
                   <row r=\"3\"></row></sheetData></worksheet>";
        let (head, tail) = splice(xml, 10).unwrap();
        assert!(head.contains("<dimension ref=\"A1:P12\"/>"), "{head}");
        assert!(head.ends_with("<row r=\"1\"></row>"), "{head}");
        assert!(tail.starts_with("<row r=\"3\">"));
        assert!(splice("<row r=\"2\"><c r=\"D2\"/></row>", 1).is_err());
    }
}
