//! A list of records of the report as Arrow column buffers, built without the interpreter.
//!
//! The Python side says how each column is typed (a [`Plan`]: dotted path to [`Kind`], from
//! the records' annotations); this module serializes the records once, straight into
//! plain buffers laid out as the Arrow columnar format wants them (little-endian values,
//! validity bitmaps, 32- or 64-bit offsets), and Python wraps them with
//! `pyarrow.Array.from_buffers` without copying them again:
//!
//! | kind | Arrow type | buffers |
//! |---|---|---|
//! | `decimal` | `decimal128(38, s)`, `s` the column's largest scale (2 for money) | `i128` mantissas at scale `s` |
//! | `date` | `date32` | `i32` days since 1970-01-01 |
//! | `text` | `string` (`large_string` beyond 2 GiB) | offsets, UTF-8 bytes |
//! | `dict` | `dictionary<int32, string>` | `i32` indices, the distinct values |
//! | `int` | `int64` | `i64` |
//! | `bool` | `bool` | bits |
//! | `json` | (nested lists, unknown fields) | each cell's JSON text, converted by Python |
//!
//! Nested records are flattened with dotted names (`donations.cash`); the maps the plan
//! names are spread into one column per key (`reduction_by_rate.0.60`), as the other
//! table conversions do. Money and quantities are the report's exact text parsed into
//! integers: no floating point anywhere.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::ser::{self, Impossible, Serialize, Serializer};

/// How one column is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An exact decimal (money, rates, quantities) from its text.
    Decimal,
    /// A date from its ISO text.
    Date,
    /// Text.
    Text,
    /// Text from a closed list (statuses, kinds): dictionary-encoded.
    Dict,
    /// An integer.
    Int,
    /// A flag.
    Bool,
    /// Anything else: each cell's JSON text.
    Json,
}

impl Kind {
    /// The kind of a code (`"decimal"`, `"date"`, `"text"`, `"dict"`, `"int"`, `"bool"`,
    /// `"json"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use _mecenat::arrow::Kind;
    /// assert_eq!(Kind::parse("decimal"), Some(Kind::Decimal));
    /// assert_eq!(Kind::parse("float"), None);
    /// ```
    pub fn parse(code: &str) -> Option<Kind> {
        Some(match code {
            "decimal" => Kind::Decimal,
            "date" => Kind::Date,
            "text" => Kind::Text,
            "dict" => Kind::Dict,
            "int" => Kind::Int,
            "bool" => Kind::Bool,
            "json" => Kind::Json,
            _ => return None,
        })
    }

    /// The code of the kind ([`Kind::parse`]'s inverse).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Decimal => "decimal",
            Kind::Date => "date",
            Kind::Text => "text",
            Kind::Dict => "dict",
            Kind::Int => "int",
            Kind::Bool => "bool",
            Kind::Json => "json",
        }
    }
}

/// How the columns of one table are typed: leaf paths with their kind, and the maps to
/// spread by key with the kind of their values. Paths not in the plan (a field this
/// package does not know yet) become `json` columns: nothing is lost.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    leaves: HashMap<String, Kind>,
    spread: HashMap<String, Kind>,
    prefixes: HashSet<String>,
}

impl Plan {
    /// A plan from `(path, kind)` leaves and `(path, value kind)` spread maps.
    pub fn new(leaves: Vec<(String, Kind)>, spread: Vec<(String, Kind)>) -> Plan {
        let mut prefixes = HashSet::new();
        for p in leaves.iter().chain(&spread).map(|(p, _)| p) {
            let mut at = 0;
            while let Some(i) = p[at..].find('.') {
                prefixes.insert(p[..at + i].to_string());
                at += i + 1;
            }
        }
        Plan {
            leaves: leaves.into_iter().collect(),
            spread: spread.into_iter().collect(),
            prefixes,
        }
    }
}

/// The values of one finished column, as Arrow lays them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// Fixed-width values (decimal, date, int, bool bits).
    Fixed(Vec<u8>),
    /// Text: `offsets` (i32, or i64 when `large`) and the UTF-8 bytes.
    Text {
        /// n + 1 offsets, little-endian.
        offsets: Vec<u8>,
        /// The bytes of every value, one after the other.
        data: Vec<u8>,
        /// 64-bit offsets (more than 2 GiB of text).
        large: bool,
    },
    /// Dictionary indices (i32) and the distinct values.
    Dict {
        /// One index per row (0 for a null).
        indices: Vec<u8>,
        /// The dictionary, in first-seen order.
        values: Vec<String>,
    },
    /// Each cell's JSON text (`None`: null).
    Json(Vec<Option<String>>),
}

/// One finished column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its dotted name.
    pub name: String,
    /// How it was built.
    pub kind: Kind,
    /// Rows.
    pub len: usize,
    /// Null cells.
    pub nulls: usize,
    /// The validity bitmap (bit set: a value), empty when there is no null.
    pub validity: Vec<u8>,
    /// The values.
    pub values: Values,
    /// Decimals of a `decimal` column.
    pub scale: u32,
}

/// An error (a report shaped unlike its plan: a defect, or a number out of range).
#[derive(Debug)]
pub struct ArrowError(pub String);

impl fmt::Display for ArrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArrowError {}

impl ser::Error for ArrowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ArrowError(msg.to_string())
    }
}

type Res<T> = Result<T, ArrowError>;

fn fail<T>(msg: impl Into<String>) -> Res<T> {
    Err(ArrowError(msg.into()))
}

// ---------------------------------------------------------------- builders

#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn push(&mut self, on: bool) {
        if self.len.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if on {
            if let Some(b) = self.bytes.last_mut() {
                *b |= 1 << (self.len % 8);
            }
        }
        self.len += 1;
    }
}

/// Values as they accumulate, fixed-width ones already as little-endian bytes (a decimal's
/// mantissa at its own scale, rescaled in place at the end).
enum Store {
    Decimal(Vec<u8>, Vec<u8>),
    Date(Vec<u8>),
    Text(Vec<i64>, Vec<u8>),
    Dict(Vec<u8>, HashMap<String, i32>, Vec<String>),
    Int(Vec<u8>),
    Bool(Bits),
    Json(Vec<Option<String>>),
}

struct Builder {
    name: String,
    kind: Kind,
    valid: Bits,
    nulls: usize,
    store: Store,
}

impl Builder {
    fn new(name: String, kind: Kind, rows: usize) -> Builder {
        let store = match kind {
            Kind::Decimal => Store::Decimal(Vec::new(), Vec::new()),
            Kind::Date => Store::Date(Vec::new()),
            Kind::Text => Store::Text(vec![0], Vec::new()),
            Kind::Dict => Store::Dict(Vec::new(), HashMap::new(), Vec::new()),
            Kind::Int => Store::Int(Vec::new()),
            Kind::Bool => Store::Bool(Bits::default()),
            Kind::Json => Store::Json(Vec::new()),
        };
        let mut b = Builder {
            name,
            kind,
            valid: Bits::default(),
            nulls: 0,
            store,
        };
        for _ in 0..rows {
            b.null();
        }
        b
    }

    fn len(&self) -> usize {
        self.valid.len
    }

    fn null(&mut self) {
        self.valid.push(false);
        self.nulls += 1;
        match &mut self.store {
            Store::Decimal(m, s) => {
                m.extend_from_slice(&[0; 16]);
                s.push(0);
            }
            Store::Date(v) | Store::Dict(v, _, _) => v.extend_from_slice(&[0; 4]),
            Store::Text(o, _) => o.push(o.last().copied().unwrap_or(0)),
            Store::Int(v) => v.extend_from_slice(&[0; 8]),
            Store::Bool(b) => b.push(false),
            Store::Json(v) => v.push(None),
        }
    }

    fn text(&mut self, s: &str) -> Res<()> {
        match &mut self.store {
            Store::Decimal(m, sc) => {
                let (mantissa, scale) = parse_decimal(s)
                    .ok_or_else(|| ArrowError(format!("{}: {s:?} is not a decimal", self.name)))?;
                m.extend_from_slice(&mantissa.to_le_bytes());
                sc.push(scale);
            }
            Store::Date(v) => v.extend_from_slice(
                &parse_date(s)
                    .ok_or_else(|| ArrowError(format!("{}: {s:?} is not a date", self.name)))?
                    .to_le_bytes(),
            ),
            Store::Text(o, d) => {
                d.extend_from_slice(s.as_bytes());
                o.push(d.len() as i64);
            }
            Store::Dict(v, index, values) => {
                let i = match index.get(s) {
                    Some(i) => *i,
                    None => {
                        let i = i32::try_from(values.len())
                            .map_err(|_| ArrowError("dictionary too large".into()))?;
                        index.insert(s.to_string(), i);
                        values.push(s.to_string());
                        i
                    }
                };
                v.extend_from_slice(&i.to_le_bytes());
            }
            Store::Json(v) => v.push(Some(serde_json::to_string(s).unwrap_or_default())),
            Store::Int(_) | Store::Bool(_) => {
                return fail(format!(
                    "{}: text {s:?} in a {} column",
                    self.name,
                    self.kind.code()
                ))
            }
        }
        self.valid.push(true);
        Ok(())
    }

    fn int(&mut self, i: i128) -> Res<()> {
        match &mut self.store {
            Store::Int(v) => v.extend_from_slice(
                &i64::try_from(i)
                    .map_err(|_| ArrowError(format!("{}: {i} too large", self.name)))?
                    .to_le_bytes(),
            ),
            Store::Decimal(m, s) => {
                m.extend_from_slice(&i.to_le_bytes());
                s.push(0);
            }
            Store::Json(v) => v.push(Some(i.to_string())),
            _ => {
                return fail(format!(
                    "{}: a number in a {} column",
                    self.name,
                    self.kind.code()
                ))
            }
        }
        self.valid.push(true);
        Ok(())
    }

    fn boolean(&mut self, x: bool) -> Res<()> {
        match &mut self.store {
            Store::Bool(b) => b.push(x),
            Store::Json(v) => v.push(Some(x.to_string())),
            _ => {
                return fail(format!(
                    "{}: a flag in a {} column",
                    self.name,
                    self.kind.code()
                ))
            }
        }
        self.valid.push(true);
        Ok(())
    }

    fn json(&mut self, text: String) {
        if let Store::Json(v) = &mut self.store {
            v.push(Some(text));
            self.valid.push(true);
        }
    }

    fn finish(self) -> Res<Column> {
        let len = self.len();
        let mut scale = 0;
        let values = match self.store {
            Store::Decimal(mut m, s) => {
                scale = if self.nulls == len {
                    2
                } else {
                    u32::from(s.iter().copied().max().unwrap_or(2))
                };
                for (chunk, sc) in m.chunks_exact_mut(16).zip(s) {
                    if u32::from(sc) == scale {
                        continue;
                    }
                    let mut le = [0u8; 16];
                    le.copy_from_slice(chunk);
                    let x = 10i128
                        .checked_pow(scale - u32::from(sc))
                        .and_then(|f| i128::from_le_bytes(le).checked_mul(f))
                        .filter(|v| v.unsigned_abs() < 10u128.pow(38))
                        .ok_or_else(|| ArrowError(format!("{}: beyond 38 digits", self.name)))?;
                    chunk.copy_from_slice(&x.to_le_bytes());
                }
                Values::Fixed(m)
            }
            Store::Date(v) | Store::Int(v) => Values::Fixed(v),
            Store::Bool(b) => Values::Fixed(b.bytes),
            Store::Text(o, data) => {
                let large = o.last().is_some_and(|&n| n > i64::from(i32::MAX));
                let offsets = if large {
                    o.iter().flat_map(|x| x.to_le_bytes()).collect()
                } else {
                    o.iter().flat_map(|&x| (x as i32).to_le_bytes()).collect()
                };
                Values::Text {
                    offsets,
                    data,
                    large,
                }
            }
            Store::Dict(indices, _, values) => Values::Dict { indices, values },
            Store::Json(v) => Values::Json(v),
        };
        Ok(Column {
            name: self.name,
            kind: self.kind,
            len,
            nulls: self.nulls,
            validity: if self.nulls == 0 {
                Vec::new()
            } else {
                self.valid.bytes
            },
            values,
            scale,
        })
    }
}

/// Parses the report's decimal text (`-12.50`, `3.5`, `7`) into a mantissa and a scale.
///
/// # Examples
///
/// ```
/// use _mecenat::arrow::parse_decimal;
/// assert_eq!(parse_decimal("-12.50"), Some((-1250, 2)));
/// assert_eq!(parse_decimal("7"), Some((7, 0)));
/// assert_eq!(parse_decimal("1e5"), None);
/// assert_eq!(parse_decimal("."), None);
/// ```
pub fn parse_decimal(s: &str) -> Option<(i128, u8)> {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let (mut m, mut scale, mut seen_dot, mut n) = (0i128, 0u8, false, 0);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                m = m.checked_mul(10)?.checked_add(i128::from(c - b'0'))?;
                n += 1;
                if seen_dot {
                    scale += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
    }
    if n == 0 || n > 38 {
        return None;
    }
    Some((if neg { -m } else { m }, scale))
}

/// Days since 1970-01-01 of an ISO date (`2025-03-03`).
///
/// # Examples
///
/// ```
/// use _mecenat::arrow::parse_date;
/// assert_eq!(parse_date("1970-01-02"), Some(1));
/// assert_eq!(parse_date("2025-01-01"), Some(20089));
/// assert_eq!(parse_date("2025-02-30"), None);
/// ```
pub fn parse_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.num_days_from_ce() - 719_163);
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let d = NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    Some(d.num_days_from_ce() - 719_163)
}

// ---------------------------------------------------------------- the column tree

#[derive(Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    Struct,
    Spread(Kind),
    Leaf(Kind, usize),
}

struct Node {
    path: String,
    kind: NodeKind,
    children: Vec<(String, usize)>,
    hint: usize,
}

struct State<'p> {
    plan: &'p Plan,
    nodes: Vec<Node>,
    cols: Vec<Builder>,
    rows: usize,
}

impl State<'_> {
    /// The child of `node` at `key`, created (with its column) on first sight.
    fn child(&mut self, node: usize, key: &str, spread: Option<Kind>) -> usize {
        let parent = &mut self.nodes[node];
        let hint = parent.hint;
        if let Some((k, c)) = parent.children.get(hint) {
            if k == key {
                parent.hint = hint + 1;
                return *c;
            }
        }
        if let Some(i) = parent.children.iter().position(|(k, _)| k == key) {
            parent.hint = i + 1;
            return parent.children[i].1;
        }
        let path = if parent.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", parent.path)
        };
        let kind = if let Some(k) = spread {
            NodeKind::Leaf(k, 0)
        } else if let Some(k) = self.plan.leaves.get(&path) {
            NodeKind::Leaf(*k, 0)
        } else if let Some(k) = self.plan.spread.get(&path) {
            NodeKind::Spread(*k)
        } else if self.plan.prefixes.contains(&path) {
            NodeKind::Struct
        } else {
            NodeKind::Leaf(Kind::Json, 0)
        };
        let kind = match kind {
            NodeKind::Leaf(k, _) => {
                self.cols.push(Builder::new(path.clone(), k, self.rows));
                NodeKind::Leaf(k, self.cols.len() - 1)
            }
            other => other,
        };
        let id = self.nodes.len();
        self.nodes.push(Node {
            path,
            kind,
            children: Vec::new(),
            hint: 0,
        });
        let parent = &mut self.nodes[node];
        parent.children.push((key.to_string(), id));
        parent.hint = parent.children.len();
        id
    }

    fn end_row(&mut self) {
        self.rows += 1;
        for c in &mut self.cols {
            if c.len() < self.rows {
                c.null();
            }
        }
        for n in &mut self.nodes {
            n.hint = 0;
        }
    }

    /// Serializes one field's value at node `id`.
    fn field<T: Serialize + ?Sized>(&mut self, id: usize, v: &T) -> Res<()> {
        match self.nodes[id].kind {
            NodeKind::Leaf(Kind::Json, col) => {
                let text = serde_json::to_string(v).map_err(|e| ArrowError(e.to_string()))?;
                if text == "null" {
                    self.cols[col].null();
                } else {
                    self.cols[col].json(text);
                }
                Ok(())
            }
            NodeKind::Leaf(_, col) => v.serialize(LeafSer(&mut self.cols[col])),
            NodeKind::Struct | NodeKind::Spread(_) => v.serialize(At { st: self, node: id }),
        }
    }
}

/// Serializes a table (a list of records) into columns.
///
/// # Errors
///
/// When the value is not a list of records, a value does not fit its column's kind, or a
/// decimal needs more than 38 digits.
pub fn table<T: Serialize + ?Sized>(rows: &T, plan: &Plan) -> Res<Vec<Column>> {
    let mut st = State {
        plan,
        nodes: vec![Node {
            path: String::new(),
            kind: NodeKind::Struct,
            children: Vec::new(),
            hint: 0,
        }],
        cols: Vec::new(),
        rows: 0,
    };
    rows.serialize(RowsSer(&mut st))?;
    st.cols.into_iter().map(Builder::finish).collect()
}

/// Serializes the field `name` of a struct (the report) into columns; `None` when the
/// struct has no such field.
///
/// # Errors
///
/// As [`table`].
pub fn field_table<T: Serialize + ?Sized>(
    value: &T,
    name: &str,
    plan: &Plan,
) -> Res<Option<Vec<Column>>> {
    let mut p = Pick {
        name,
        plan,
        found: None,
    };
    value.serialize(&mut p)?;
    Ok(p.found)
}

// ---------------------------------------------------------------- serializers

macro_rules! refuse_scalars {
    ($msg:expr) => {
        fn serialize_bool(self, _v: bool) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_i8(self, _v: i8) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_i16(self, _v: i16) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_i32(self, _v: i32) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_i64(self, _v: i64) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_u8(self, _v: u8) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_u16(self, _v: u16) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_u32(self, _v: u32) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_u64(self, _v: u64) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_f32(self, _v: f32) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_f64(self, _v: f64) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_char(self, _v: char) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_str(self, _v: &str) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_bytes(self, _v: &[u8]) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_unit_struct(self, _n: &'static str) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_unit_variant(
            self,
            _n: &'static str,
            _i: u32,
            _v: &'static str,
        ) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _n: &'static str,
            _i: u32,
            _variant: &'static str,
            _v: &T,
        ) -> Res<Self::Ok> {
            fail($msg)
        }
        fn serialize_tuple(self, _len: usize) -> Res<Self::SerializeTuple> {
            fail($msg)
        }
        fn serialize_tuple_struct(
            self,
            _n: &'static str,
            _l: usize,
        ) -> Res<Self::SerializeTupleStruct> {
            fail($msg)
        }
        fn serialize_tuple_variant(
            self,
            _n: &'static str,
            _i: u32,
            _v: &'static str,
            _l: usize,
        ) -> Res<Self::SerializeTupleVariant> {
            fail($msg)
        }
        fn serialize_struct_variant(
            self,
            _n: &'static str,
            _i: u32,
            _v: &'static str,
            _l: usize,
        ) -> Res<Self::SerializeStructVariant> {
            fail($msg)
        }
    };
}

/// Finds the named field of the report.
struct Pick<'n, 'p> {
    name: &'n str,
    plan: &'p Plan,
    found: Option<Vec<Column>>,
}

impl Serializer for &mut Pick<'_, '_> {
    type Ok = ();
    type Error = ArrowError;
    type SerializeSeq = Impossible<(), ArrowError>;
    type SerializeTuple = Impossible<(), ArrowError>;
    type SerializeTupleStruct = Impossible<(), ArrowError>;
    type SerializeTupleVariant = Impossible<(), ArrowError>;
    type SerializeMap = Impossible<(), ArrowError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), ArrowError>;

    refuse_scalars!("not a struct");
    fn serialize_none(self) -> Res<()> {
        fail("not a struct")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<()> {
        fail("not a struct")
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Res<Self::SerializeSeq> {
        fail("not a struct")
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<Self::SerializeMap> {
        fail("not a struct")
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self> {
        Ok(self)
    }
}

impl ser::SerializeStruct for &mut Pick<'_, '_> {
    type Ok = ();
    type Error = ArrowError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        if k == self.name && self.found.is_none() {
            self.found = Some(table(v, self.plan)?);
        }
        Ok(())
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

/// A list of records.
struct RowsSer<'a, 'p>(&'a mut State<'p>);

impl<'a, 'p> Serializer for RowsSer<'a, 'p> {
    type Ok = ();
    type Error = ArrowError;
    type SerializeSeq = Self;
    type SerializeTuple = Impossible<(), ArrowError>;
    type SerializeTupleStruct = Impossible<(), ArrowError>;
    type SerializeTupleVariant = Impossible<(), ArrowError>;
    type SerializeMap = Impossible<(), ArrowError>;
    type SerializeStruct = Impossible<(), ArrowError>;
    type SerializeStructVariant = Impossible<(), ArrowError>;

    refuse_scalars!("not a list of records");
    fn serialize_none(self) -> Res<()> {
        fail("not a list of records")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<()> {
        fail("not a list of records")
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Res<Self> {
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<Self::SerializeMap> {
        fail("not a list of records")
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self::SerializeStruct> {
        fail("not a list of records")
    }
}

impl ser::SerializeSeq for RowsSer<'_, '_> {
    type Ok = ();
    type Error = ArrowError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        v.serialize(At {
            st: &mut *self.0,
            node: 0,
        })?;
        self.0.end_row();
        Ok(())
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

/// A record (struct node) or a spread map at a node.
struct At<'a, 'p> {
    st: &'a mut State<'p>,
    node: usize,
}

impl<'a, 'p> Serializer for At<'a, 'p> {
    type Ok = ();
    type Error = ArrowError;
    type SerializeSeq = Impossible<(), ArrowError>;
    type SerializeTuple = Impossible<(), ArrowError>;
    type SerializeTupleStruct = Impossible<(), ArrowError>;
    type SerializeTupleVariant = Impossible<(), ArrowError>;
    type SerializeMap = SpreadSer<'a, 'p>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), ArrowError>;

    refuse_scalars!("a value where a record or a map was expected");
    fn serialize_none(self) -> Res<()> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<()> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Res<Self::SerializeSeq> {
        fail("a list where a record was expected")
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<SpreadSer<'a, 'p>> {
        match self.st.nodes[self.node].kind {
            NodeKind::Spread(k) => Ok(SpreadSer {
                st: self.st,
                node: self.node,
                kind: k,
                key: None,
            }),
            _ => fail("a map where a record was expected"),
        }
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self> {
        Ok(self)
    }
}

impl ser::SerializeStruct for At<'_, '_> {
    type Ok = ();
    type Error = ArrowError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        let id = self.st.child(self.node, k, None);
        self.st.field(id, v)
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

/// A map spread into one column per key.
struct SpreadSer<'a, 'p> {
    st: &'a mut State<'p>,
    node: usize,
    kind: Kind,
    key: Option<String>,
}

impl ser::SerializeMap for SpreadSer<'_, '_> {
    type Ok = ();
    type Error = ArrowError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Res<()> {
        self.key = Some(serde_json::to_value(k).map_or_else(
            |e| Err(ArrowError(e.to_string())),
            |v| match v {
                serde_json::Value::String(s) => Ok(s),
                other => Ok(other.to_string()),
            },
        )?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        let key = self.key.take().unwrap_or_default();
        let id = self.st.child(self.node, &key, Some(self.kind));
        self.st.field(id, v)
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

/// A scalar into its column.
struct LeafSer<'a>(&'a mut Builder);

impl Serializer for LeafSer<'_> {
    type Ok = ();
    type Error = ArrowError;
    type SerializeSeq = Impossible<(), ArrowError>;
    type SerializeTuple = Impossible<(), ArrowError>;
    type SerializeTupleStruct = Impossible<(), ArrowError>;
    type SerializeTupleVariant = Impossible<(), ArrowError>;
    type SerializeMap = Impossible<(), ArrowError>;
    type SerializeStruct = Impossible<(), ArrowError>;
    type SerializeStructVariant = Impossible<(), ArrowError>;

    fn serialize_bool(self, v: bool) -> Res<()> {
        self.0.boolean(v)
    }
    fn serialize_i8(self, v: i8) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_i16(self, v: i16) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_i32(self, v: i32) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_i64(self, v: i64) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_u8(self, v: u8) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_u16(self, v: u16) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_u32(self, v: u32) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_u64(self, v: u64) -> Res<()> {
        self.0.int(i128::from(v))
    }
    fn serialize_f32(self, _v: f32) -> Res<()> {
        fail("a float in the report (a defect)")
    }
    fn serialize_f64(self, _v: f64) -> Res<()> {
        fail("a float in the report (a defect)")
    }
    fn serialize_char(self, v: char) -> Res<()> {
        self.0.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res<()> {
        self.0.text(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Res<()> {
        fail("bytes in the report")
    }
    fn serialize_none(self) -> Res<()> {
        self.0.null();
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<()> {
        self.0.null();
        Ok(())
    }
    fn serialize_unit_struct(self, _n: &'static str) -> Res<()> {
        self.0.null();
        Ok(())
    }
    fn serialize_unit_variant(self, _n: &'static str, _i: u32, v: &'static str) -> Res<()> {
        self.0.text(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        _variant: &'static str,
        _v: &T,
    ) -> Res<()> {
        fail(format!(
            "{}: a tagged value in a scalar column",
            self.0.name
        ))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Res<Self::SerializeSeq> {
        fail(format!("{}: a list in a scalar column", self.0.name))
    }
    fn serialize_tuple(self, _len: usize) -> Res<Self::SerializeTuple> {
        fail(format!("{}: a tuple in a scalar column", self.0.name))
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleStruct> {
        fail(format!("{}: a tuple in a scalar column", self.0.name))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleVariant> {
        fail(format!("{}: a tuple in a scalar column", self.0.name))
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<Self::SerializeMap> {
        fail(format!("{}: a map in a scalar column", self.0.name))
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self::SerializeStruct> {
        fail(format!("{}: a record in a scalar column", self.0.name))
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeStructVariant> {
        fail(format!("{}: a record in a scalar column", self.0.name))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Inner {
        cash: String,
        n: Option<u32>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Status {
        Retained,
        Excluded,
    }

    #[derive(Serialize)]
    struct Row {
        value: Option<String>,
        qty: String,
        date: String,
        status: Status,
        ok: bool,
        inner: Inner,
        rates: BTreeMap<String, String>,
        list: Vec<Inner>,
        extra: &'static str,
    }

    fn plan() -> Plan {
        let l = |p: &str, k| (p.to_string(), k);
        Plan::new(
            vec![
                l("value", Kind::Decimal),
                l("qty", Kind::Decimal),
                l("date", Kind::Date),
                l("status", Kind::Dict),
                l("ok", Kind::Bool),
                l("inner.cash", Kind::Decimal),
                l("inner.n", Kind::Int),
                l("list", Kind::Json),
            ],
            vec![l("rates", Kind::Decimal)],
        )
    }

    fn rows() -> Vec<Row> {
        let mut rates = BTreeMap::new();
        rates.insert("0.60".to_string(), "100.00".to_string());
        vec![
            Row {
                value: Some("-12.50".into()),
                qty: "3.5".into(),
                date: "1970-01-03".into(),
                status: Status::Retained,
                ok: true,
                inner: Inner {
                    cash: "1.00".into(),
                    n: None,
                },
                rates,
                list: vec![],
                extra: "x",
            },
            Row {
                value: None,
                qty: "7".into(),
                date: "2025-01-01".into(),
                status: Status::Excluded,
                ok: false,
                inner: Inner {
                    cash: "2.00".into(),
                    n: Some(4),
                },
                rates: BTreeMap::new(),
                list: vec![Inner {
                    cash: "3.00".into(),
                    n: None,
                }],
                extra: "y",
            },
        ]
    }

    fn col<'a>(cols: &'a [Column], name: &str) -> &'a Column {
        cols.iter().find(|c| c.name == name).unwrap()
    }

    fn i128s(v: &Values) -> Vec<i128> {
        let Values::Fixed(b) = v else { panic!() };
        b.chunks(16)
            .map(|c| i128::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    #[test]
    fn columns_are_typed_by_the_plan() {
        let cols = table(&rows(), &plan()).unwrap();
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "value",
                "qty",
                "date",
                "status",
                "ok",
                "inner.cash",
                "inner.n",
                "rates.0.60",
                "list",
                "extra"
            ]
        );
        let v = col(&cols, "value");
        assert_eq!((v.scale, v.nulls, v.validity.clone()), (2, 1, vec![0b01]));
        assert_eq!(i128s(&v.values), [-1250, 0]);
        // Quantities at the column's largest scale: 3.5 and 7 as 35 and 70 tenths.
        let q = col(&cols, "qty");
        assert_eq!((q.scale, i128s(&q.values)), (1, vec![35, 70]));
        assert_eq!(
            col(&cols, "date").values,
            Values::Fixed([2i32, 20089].iter().flat_map(|x| x.to_le_bytes()).collect())
        );
        assert_eq!(
            col(&cols, "status").values,
            Values::Dict {
                indices: [0i32, 1].iter().flat_map(|x| x.to_le_bytes()).collect(),
                values: vec!["retained".into(), "excluded".into()]
            }
        );
        assert_eq!(col(&cols, "ok").values, Values::Fixed(vec![0b01]));
        let n = col(&cols, "inner.n");
        assert_eq!((n.nulls, n.validity.clone()), (1, vec![0b10]));
        let r = col(&cols, "rates.0.60");
        assert_eq!((r.nulls, i128s(&r.values)), (1, vec![10000, 0]));
        assert_eq!(
            col(&cols, "list").values,
            Values::Json(vec![
                Some("[]".into()),
                Some(r#"[{"cash":"3.00","n":null}]"#.into())
            ])
        );
        // A field the plan does not know is kept, as JSON text.
        assert_eq!(
            col(&cols, "extra").values,
            Values::Json(vec![Some("\"x\"".into()), Some("\"y\"".into())])
        );
    }

    #[test]
    fn text_columns_have_offsets() {
        let plan = Plan::new(vec![("extra".into(), Kind::Text)], vec![]);
        let cols = table(&rows(), &plan).unwrap();
        assert_eq!(
            col(&cols, "extra").values,
            Values::Text {
                offsets: [0i32, 1, 2].iter().flat_map(|x| x.to_le_bytes()).collect(),
                data: b"xy".to_vec(),
                large: false
            }
        );
    }

    #[test]
    fn a_value_unlike_its_column_is_an_error() {
        let plan = Plan::new(vec![("extra".into(), Kind::Int)], vec![]);
        assert!(table(&rows(), &plan).is_err());
        let plan = Plan::new(vec![("date".into(), Kind::Decimal)], vec![]);
        let e = table(&rows(), &plan).unwrap_err();
        assert!(e.0.contains("not a decimal"), "{e}");
        assert!(table(&"x", &plan).is_err());
    }

    #[test]
    fn a_field_of_a_struct() {
        #[derive(Serialize)]
        struct Whole {
            a: u32,
            rows: Vec<Row>,
        }
        let w = Whole { a: 1, rows: rows() };
        let cols = field_table(&w, "rows", &plan()).unwrap().unwrap();
        assert_eq!(cols[0].len, 2);
        assert!(field_table(&w, "nope", &plan()).unwrap().is_none());
        assert!(field_table(&w, "a", &plan()).is_err());
    }
}
