//! The raw scenario: tables of rows of untyped cells, as read from JSON, Excel or Python,
//! before validation.
//!
//! Every face (JSON reader, Excel importer, Python bindings) produces a [`RawScenario`];
//! [`Scenario::from_raw`](crate::Scenario::from_raw) validates it once, the same way for
//! all three. A face that knows where a row came from (an Excel sheet and row) attaches a
//! [`SheetInfo`], so that rejections name the cell (`Temps!C42`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Location};

/// What the JSON reader accepts before refusing a scenario, so that a hostile or mistaken
/// input (gigabytes of empty rows, `/dev/zero`) is refused with a clear error instead of
/// exhausting memory.
///
/// The defaults are well above the benchmark scale (a million time entries are 100 MB of
/// compact JSON, 300 MB pretty, and 0.74 GB of peak memory through a whole run) and keep
/// the worst case bounded: a flood of empty rows `{}` costs about 1.1 KB of memory per row
/// through a whole run (each is rejected and listed twice in the report), so the row limit
/// bounds it at about 11 GB; a 2 GiB file of genuine entries (7 to 20 million of them)
/// stops at the row limit or the byte limit first.
///
/// # Examples
///
/// ```
/// let strict = mecenat::JsonLimits { max_rows: 2, ..Default::default() };
/// let text = br#"{"companies": [{"id": "C1", "name": "A"}, {"id": "C2", "name": "B"}, {"id": "C3", "name": "C"}]}"#;
/// let err = mecenat::RawScenario::from_json_slice_with(text, &strict).unwrap_err();
/// assert!(err.to_string().contains("more than 2 rows"));
/// assert!(mecenat::RawScenario::from_json_slice(text).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonLimits {
    /// Largest input in bytes (default 2 GiB).
    pub max_bytes: u64,
    /// Most rows in one table (default 10,000,000: ten times the benchmark scale).
    pub max_rows: usize,
}

impl JsonLimits {
    /// The default largest input: 2 GiB.
    pub const DEFAULT_MAX_BYTES: u64 = 2 << 30;
    /// The default most rows per table: 10 million.
    pub const DEFAULT_MAX_ROWS: usize = 10_000_000;
}

impl Default for JsonLimits {
    fn default() -> Self {
        JsonLimits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_rows: Self::DEFAULT_MAX_ROWS,
        }
    }
}

/// Most tables (members of the top-level object) a JSON scenario may have: the format has
/// 12; beyond this many some are certainly unknown, and the reader stops before a flood of
/// names costs anything.
pub const MAX_TABLES: usize = 64;

/// Most keys one JSON row may have: the widest table has 11; beyond this many some are
/// certainly unknown (a flood of keys would otherwise cost quadratic time to check for
/// repeats).
pub const MAX_KEYS_PER_ROW: usize = 64;

/// The UTF-8 byte order mark, skipped at the start of a JSON file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Refuses a text that is not UTF-8 JSON, by its first bytes: UTF-16 (a byte order mark
/// `FF FE` / `FE FF`, or a NUL every other byte) or NUL bytes (`/dev/zero`, a binary file).
fn check_encoding(head: &[u8]) -> Result<(), Error> {
    let json = |message: &str| {
        Err(Error::Json {
            message: message.into(),
        })
    };
    let utf16 = "the file is UTF-16: save it as UTF-8";
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return json(utf16);
    }
    let sample = &head[..head.len().min(64)];
    let nul_at = |parity: usize| {
        sample.len() >= 2
            && sample
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == parity)
                .all(|(_, b)| *b == 0)
    };
    let nul_free = |parity: usize| {
        sample
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == parity)
            .all(|(_, b)| *b != 0)
    };
    if (nul_at(0) && nul_free(1)) || (nul_at(1) && nul_free(0)) {
        return json(utf16);
    }
    if sample.contains(&0) {
        return json("the file holds NUL bytes: it is not a JSON text (binary data, or a device such as /dev/zero)");
    }
    Ok(())
}

/// Reads a JSON file's bytes within `limits`: a regular file larger than the limit is
/// refused before reading, anything else (a pipe, a device) is read at most one byte past
/// the limit, and a file of NULs or UTF-16 is refused from its first bytes.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read or is larger than `limits.max_bytes`;
/// [`Error::Json`] for a UTF-16 or binary file.
pub fn read_json_bytes(path: &std::path::Path, limits: &JsonLimits) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let io = |message: String| Error::Io {
        path: path.display().to_string(),
        message,
    };
    let too_large = || {
        io(format!(
            "the file is larger than {} bytes, the JSON reader's limit (raise it if the file is genuine)",
            limits.max_bytes
        ))
    };
    let mut f = std::fs::File::open(path).map_err(|e| io(e.to_string()))?;
    let meta = f.metadata().map_err(|e| io(e.to_string()))?;
    if meta.is_file() && meta.len() > limits.max_bytes {
        return Err(too_large());
    }
    let expected = if meta.is_file() { meta.len() } else { 0 };
    let mut buf = Vec::with_capacity(usize::try_from(expected.min(limits.max_bytes)).unwrap_or(0));
    // The first bytes first: a device of NULs is refused before it is read further.
    (&mut f)
        .take(4096)
        .read_to_end(&mut buf)
        .map_err(|e| io(e.to_string()))?;
    check_encoding(&buf)?;
    let rest = limits
        .max_bytes
        .saturating_add(1)
        .saturating_sub(buf.len() as u64);
    f.take(rest)
        .read_to_end(&mut buf)
        .map_err(|e| io(e.to_string()))?;
    if buf.len() as u64 > limits.max_bytes {
        return Err(too_large());
    }
    Ok(buf)
}

/// The position of a table in [`crate::input::schema::TABLES`] (the order rejections are listed
/// in).
pub use crate::input::schema::table_index;

/// A column key; known keys are interned (no allocation).
pub type Key = Cow<'static, str>;

/// Whether two keys are equal: the same interned text, or the same bytes (compared inline:
/// keys are short, and rows are looked up by the million).
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.bytes().zip(b.bytes()).all(|(x, y)| x == y))
}

/// Interns a key: the static string when it is a known key of any table (found in a map
/// of the schema's keys built once: keys are read by the million).
pub fn intern_key(k: &str) -> Key {
    static KNOWN: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for t in crate::input::schema::TABLES {
            for key in t.keys() {
                m.entry(key).or_insert(key);
            }
        }
        m
    });
    match known.get(k) {
        Some(key) => Cow::Borrowed(key),
        None => Cow::Owned(k.to_string()),
    }
}

/// One untyped cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// Absent (JSON `null`, an empty Excel cell, Python `None`).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// An exact decimal (from Python `Decimal`, or an Excel number converted once).
    Decimal(Decimal),
    /// A date (from an Excel date cell or Python `datetime.date`).
    Date(NaiveDate),
    /// A binary floating-point number: always refused where money or quantities go.
    Float(f64),
}

impl fmt::Display for RawValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawValue::Null => f.write_str("null"),
            RawValue::Bool(b) => write!(f, "{b}"),
            RawValue::Int(i) => write!(f, "{i}"),
            RawValue::Text(t) => f.write_str(t),
            RawValue::Decimal(d) => write!(f, "{d}"),
            RawValue::Date(d) => write!(f, "{d}"),
            RawValue::Float(x) => write!(f, "{x:?}"),
        }
    }
}

/// Where the rows of one table came from in a workbook: sheet name and column letters.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetInfo {
    /// The sheet's name as the user sees it (`Temps`).
    pub sheet: String,
    /// For each key, the column letters (`C`).
    pub columns: Vec<(Key, String)>,
}

/// One input row: its cells, and where it came from when the face knows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRow {
    /// The cells, in input order.
    pub cells: Vec<(Key, RawValue)>,
    /// The sheet the row was read from, if any.
    pub sheet: Option<Arc<SheetInfo>>,
    /// The 1-based row number in that sheet.
    pub sheet_row: u32,
}

impl RawRow {
    /// The value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.cells
            .iter()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| v)
    }

    /// The Excel cell of a key (`Temps!C42`), when the row came from a sheet.
    pub fn cell_ref(&self, key: &str) -> Option<String> {
        let s = self.sheet.as_ref()?;
        let (_, col) = s.columns.iter().find(|(k, _)| k == key)?;
        Some(format!("{}!{}{}", s.sheet, col, self.sheet_row))
    }
}

/// One table: its name and rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTable {
    /// Table name (`time_entries`).
    pub name: String,
    /// Rows in input order.
    pub rows: Vec<RawRow>,
}

/// A whole raw scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawScenario {
    /// Tables in input order.
    pub tables: Vec<RawTable>,
    /// Warnings of the face that read the input (hidden Excel sheets or rows imported…),
    /// copied into the report's warnings.
    pub warnings: Vec<String>,
}

impl RawScenario {
    /// Reads a scenario from JSON text.
    ///
    /// The top level is an object whose members are tables (arrays of row objects).
    /// Values are kept untyped; JSON floats are kept as [`RawValue::Float`] so that
    /// validation can refuse them naming table, row and key.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when the text is not JSON, its top level is not an object, a table
    /// is not an array of objects, a key repeats in a row, or a value is nested.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = mecenat::RawScenario::from_json(r#"{"companies": [{"id": "C1", "name": "X"}]}"#).unwrap();
    /// assert_eq!(raw.tables[0].rows.len(), 1);
    /// assert!(mecenat::RawScenario::from_json("[1]").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<RawScenario, Error> {
        Self::from_json_slice(text.as_bytes())
    }

    /// Reads a scenario from JSON bytes (see [`RawScenario::from_json`]).
    ///
    /// # Errors
    ///
    /// As [`RawScenario::from_json`].
    pub fn from_json_slice(bytes: &[u8]) -> Result<RawScenario, Error> {
        Self::from_json_slice_with(bytes, &JsonLimits::default())
    }

    /// Reads a scenario from JSON bytes within `limits` (see [`RawScenario::from_json`]).
    ///
    /// A UTF-8 byte order mark at the start is skipped (editors on Windows write one); a
    /// UTF-16 text is refused ("the file is UTF-16: save it as UTF-8"). An integer too large
    /// for 64 bits is kept exactly as a decimal (validation then bounds it), or refused as
    /// "an integer too large" beyond 28 digits; it is never called a float.
    ///
    /// # Errors
    ///
    /// As [`RawScenario::from_json`], and [`Error::Json`] when the input is larger than
    /// `limits.max_bytes`, a table has more than `limits.max_rows` rows, the object has more
    /// than [`MAX_TABLES`] members or a row more than [`MAX_KEYS_PER_ROW`] keys.
    pub fn from_json_slice_with(bytes: &[u8], limits: &JsonLimits) -> Result<RawScenario, Error> {
        if bytes.len() as u64 > limits.max_bytes {
            return Err(Error::Json {
                message: format!(
                    "the input is larger than {} bytes, the JSON reader's limit",
                    limits.max_bytes
                ),
            });
        }
        check_encoding(&bytes[..bytes.len().min(4096)])?;
        let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let mut tables = de
            .deserialize_map(ScenarioVisitor(limits.max_rows))
            .and_then(|t| de.end().map(|()| t))
            .map_err(|e| Error::Json {
                message: e.to_string(),
            })?;
        let has_float = tables.iter().any(|t| {
            t.rows
                .iter()
                .any(|r| r.cells.iter().any(|(_, v)| matches!(v, RawValue::Float(_))))
        });
        if has_float {
            exact_integers(&mut tables, bytes)?;
        }
        Ok(RawScenario {
            tables,
            warnings: Vec::new(),
        })
    }
}

/// Replaces the floats that were written as integers (too large for 64 bits, which the
/// parser gives as floats) by their exact decimal; refuses one beyond 28 digits as an
/// integer too large. Every number of a scenario is a cell (nested values are refused), so
/// the document's number tokens and its numeric cells correspond in order.
fn exact_integers(tables: &mut [RawTable], bytes: &[u8]) -> Result<(), Error> {
    let mut tokens = number_tokens(bytes);
    for t in tables.iter_mut() {
        for (i, row) in t.rows.iter_mut().enumerate() {
            for (k, v) in &mut row.cells {
                if !matches!(
                    v,
                    RawValue::Int(_) | RawValue::Decimal(_) | RawValue::Float(_)
                ) {
                    continue;
                }
                let Some(tok) = tokens.next() else {
                    return Ok(());
                };
                let is_integer = tok.iter().all(|b| b.is_ascii_digit() || *b == b'-');
                if !matches!(v, RawValue::Float(_)) || !is_integer {
                    continue;
                }
                let text = String::from_utf8_lossy(tok);
                match Decimal::from_str_exact(&text) {
                    Ok(d) => *v = RawValue::Decimal(d),
                    Err(_) => {
                        return Err(Error::scenario(
                            Location {
                                table: Some(t.name.clone()),
                                row: Some(i + 1),
                                key: Some(k.to_string()),
                                cell: None,
                                value: Some(shown_text(&text).into_owned()),
                            },
                            format!(
                            "{}.{k} is an integer too large ({} digits; a number holds at most 28)",
                            t.name,
                            tok.iter().filter(|b| b.is_ascii_digit()).count()
                        ),
                        ))
                    }
                }
            }
        }
    }
    Ok(())
}

/// The number tokens of a JSON text, in order (strings skipped, escapes honoured).
fn number_tokens(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while i < bytes.len()
                        && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    return Some(&bytes[start..i]);
                }
                _ => i += 1,
            }
        }
        None
    })
}

struct ScenarioVisitor(usize);

impl<'de> Visitor<'de> for ScenarioVisitor {
    type Value = Vec<RawTable>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object whose members are tables (arrays of row objects)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tables: Vec<RawTable> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let shown = shown_text(&name);
            if tables.iter().any(|t| t.name == name) {
                return Err(de::Error::custom(format!("table {shown:?} appears twice")));
            }
            if tables.len() == MAX_TABLES {
                return Err(de::Error::custom(format!(
                    "more than {MAX_TABLES} tables (the format has {}): {shown:?} and others are not tables of a scenario",
                    crate::input::schema::TABLES.len()
                )));
            }
            let rows = map.next_value_seed(RowsSeed(&name, self.0))?;
            tables.push(RawTable { name, rows });
        }
        Ok(tables)
    }
}

/// A table's name and the most rows it may have.
struct RowsSeed<'a>(&'a str, usize);

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = Vec<RawRow>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = Vec<RawRow>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "table {:?} as an array of row objects", self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.1));
        // Cells are read into one scratch list, then each row gets exactly its own.
        let mut scratch = Vec::with_capacity(16);
        while let Some(cells) =
            seq.next_element_seed(RowSeed(self.0, rows.len() + 1, &mut scratch))?
        {
            if rows.len() == self.1 {
                return Err(de::Error::custom(format!(
                    "table {:?} has more than {} rows, the JSON reader's limit (raise it if the file is genuine)",
                    shown_text(self.0),
                    self.1
                )));
            }
            rows.push(RawRow {
                cells,
                sheet: None,
                sheet_row: 0,
            });
        }
        Ok(rows)
    }
}

struct RowSeed<'a>(&'a str, usize, &'a mut Vec<(Key, RawValue)>);

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Vec<(Key, RawValue)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Vec<(Key, RawValue)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "row {} of table {:?} as an object", self.1, self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cells = self.2;
        cells.clear();
        while let Some(k) = map.next_key::<KeyDe>()? {
            if cells.iter().any(|(c, _)| *c == k.0) {
                return Err(de::Error::custom(format!(
                    "key {:?} repeats in row {} of table {:?}",
                    shown_text(&k.0),
                    self.1,
                    shown_text(self.0)
                )));
            }
            if cells.len() == MAX_KEYS_PER_ROW {
                return Err(de::Error::custom(format!(
                    "row {} of table {:?} has more than {MAX_KEYS_PER_ROW} keys: most are not keys of the table",
                    self.1,
                    shown_text(self.0)
                )));
            }
            let v = map.next_value::<ValueDe>()?;
            cells.push((k.0, v.0));
        }
        let mut row = Vec::with_capacity(cells.len());
        row.append(cells);
        Ok(row)
    }
}

struct KeyDe(Key);

impl<'de> de::Deserialize<'de> for KeyDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyDe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyDe, E> {
                Ok(KeyDe(intern_key(v)))
            }
        }
        d.deserialize_str(V)
    }
}

struct ValueDe(RawValue);

impl<'de> de::Deserialize<'de> for ValueDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ValueDe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, integer, boolean or null (no nested arrays or objects)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueDe, E> {
                Ok(ValueDe(match i64::try_from(v) {
                    Ok(i) => RawValue::Int(i),
                    Err(_) => RawValue::Decimal(Decimal::from(v)),
                }))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Float(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Text(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Text(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<ValueDe, E> {
                Ok(ValueDe(RawValue::Null))
            }
        }
        d.deserialize_any(V)
    }
}

/// At most this many characters of an input text are repeated in a message or a
/// rejection: a rejected row never holds a copy of a huge cell.
pub const MAX_SHOWN_CHARS: usize = 80;

/// A text as shown in messages: itself, or its first [`MAX_SHOWN_CHARS`] characters, an
/// ellipsis and its length.
pub(crate) fn shown_text(t: &str) -> std::borrow::Cow<'_, str> {
    match t.char_indices().nth(MAX_SHOWN_CHARS) {
        None => std::borrow::Cow::Borrowed(t),
        Some((cut, _)) => {
            std::borrow::Cow::Owned(format!("{}… ({} characters)", &t[..cut], t.chars().count()))
        }
    }
}

/// A raw value as shown in messages (texts shortened by [`shown_text`]).
pub(crate) fn shown_value(v: &RawValue) -> String {
    match v {
        RawValue::Text(t) => shown_text(t).into_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_of_every_kind() {
        let raw = RawScenario::from_json(
            r#"{"t": [{"a": "x", "b": 3, "c": 1.5, "d": true, "e": null, "f": 18446744073709551615}]}"#,
        )
        .unwrap();
        let row = &raw.tables[0].rows[0];
        assert_eq!(row.get("a"), Some(&RawValue::Text("x".into())));
        assert_eq!(row.get("b"), Some(&RawValue::Int(3)));
        assert_eq!(row.get("c"), Some(&RawValue::Float(1.5)));
        assert_eq!(row.get("d"), Some(&RawValue::Bool(true)));
        assert_eq!(row.get("e"), Some(&RawValue::Null));
        assert!(matches!(row.get("f"), Some(RawValue::Decimal(_))));
    }

    #[test]
    fn structural_problems_are_json_errors() {
        for bad in [
            "[]",
            r#"{"t": {}}"#,
            r#"{"t": [1]}"#,
            r#"{"t": [{"a": [1]}]}"#,
            r#"{"t": [{"a": 1, "a": 2}]}"#,
            r#"{"t": [], "t": []}"#,
            r#"{"t": [{"a": 1}"#,
            r#"{"t": []} x"#,
        ] {
            assert!(
                matches!(RawScenario::from_json(bad), Err(Error::Json { .. })),
                "{bad}"
            );
        }
    }

    fn json_err(bytes: &[u8], limits: &JsonLimits) -> String {
        match RawScenario::from_json_slice_with(bytes, limits) {
            Err(e) => e.to_string(),
            Ok(r) => panic!("accepted: {r:?}"),
        }
    }

    #[test]
    fn a_utf8_bom_is_skipped() {
        let raw = RawScenario::from_json_slice(b"\xEF\xBB\xBF{\"t\": [{\"a\": 1}]}").unwrap();
        assert_eq!(raw.tables[0].rows.len(), 1);
        let raw = RawScenario::from_json("\u{feff}{}").unwrap();
        assert!(raw.tables.is_empty());
    }

    #[test]
    fn utf16_and_nul_bytes_are_refused_by_name() {
        let text = r#"{"companies": [{"id": "C1", "name": "X"}]}"#;
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = JsonLimits::default();
        for bytes in [
            [&[0xFF, 0xFE][..], &le].concat(),
            [&[0xFE, 0xFF][..], &be].concat(),
            le.clone(),
            be.clone(),
        ] {
            let e = json_err(&bytes, &d);
            assert!(e.contains("the file is UTF-16: save it as UTF-8"), "{e}");
        }
        let e = json_err(&[0u8; 100], &d);
        assert!(e.contains("NUL bytes"), "{e}");
    }

    #[test]
    fn integers_beyond_64_bits_are_exact_decimals_or_too_large() {
        let raw = RawScenario::from_json(
            r#"{"t": [{"s": "1e99 \" 5", "a": 1.5, "b": 100000000000000000000, "c": -100000000000000000000, "d": 7}]}"#,
        )
        .unwrap();
        let row = &raw.tables[0].rows[0];
        assert_eq!(row.get("a"), Some(&RawValue::Float(1.5)));
        assert_eq!(
            row.get("b"),
            Some(&RawValue::Decimal(
                Decimal::from_str_exact("100000000000000000000").unwrap()
            ))
        );
        assert_eq!(
            row.get("c"),
            Some(&RawValue::Decimal(
                Decimal::from_str_exact("-100000000000000000000").unwrap()
            ))
        );
        assert_eq!(row.get("d"), Some(&RawValue::Int(7)));
        let e = json_err(
            br#"{"t": [{"a": 2.5}, {"amount": 1234567890123456789012345678901234567890}]}"#,
            &JsonLimits::default(),
        );
        assert!(
            e.contains("an integer too large") && e.contains("row 2") && e.contains("amount"),
            "{e}"
        );
        assert!(!e.contains("float"), "{e}");
    }

    #[test]
    fn rows_tables_keys_and_bytes_are_bounded() {
        let two = JsonLimits {
            max_rows: 2,
            max_bytes: 1000,
        };
        assert!(RawScenario::from_json_slice_with(br#"{"t": [{}, {}]}"#, &two).is_ok());
        let e = json_err(br#"{"t": [{}, {}, {}]}"#, &two);
        assert!(e.contains("more than 2 rows"), "{e}");
        let e = json_err(&[b' '; 1001], &two);
        assert!(e.contains("larger than 1000 bytes"), "{e}");
        let tables: Vec<String> = (0..=MAX_TABLES).map(|i| format!("\"t{i}\": []")).collect();
        let e = json_err(
            format!("{{{}}}", tables.join(",")).as_bytes(),
            &JsonLimits::default(),
        );
        assert!(e.contains("more than 64 tables"), "{e}");
        let keys: Vec<String> = (0..=MAX_KEYS_PER_ROW)
            .map(|i| format!("\"k{i}\": 1"))
            .collect();
        let e = json_err(
            format!("{{\"t\": [{{{}}}]}}", keys.join(",")).as_bytes(),
            &JsonLimits::default(),
        );
        assert!(e.contains("more than 64 keys"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_read_with_a_bounded_read() {
        let small = JsonLimits {
            max_bytes: 1 << 20,
            ..JsonLimits::default()
        };
        let e = read_json_bytes(std::path::Path::new("/dev/zero"), &small).unwrap_err();
        assert!(e.to_string().contains("NUL bytes"), "{e}");
        // A pipe of endless spaces is read one byte past the limit, then refused.
        let dir = std::env::temp_dir().join(format!("mecenat-raw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("endless.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                let block = [b' '; 65536];
                // Ends when the reader closes the pipe (a write error).
                while w.write_all(&block).is_ok() {}
            })
        };
        let e = read_json_bytes(&fifo, &small).unwrap_err();
        assert!(e.to_string().contains("larger than 1048576 bytes"), "{e}");
        writer.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
