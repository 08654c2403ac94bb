//! From the core's serializable report to Python objects, without going through JSON text.
//!
//! [`to_py`] turns any `Serialize` value into plain Python objects (dict, list, str, int,
//! bool, None), as `json.loads` of its JSON would. [`columns`] turns a list of records into
//! columns: one Python list per field, nested structs flattened with dotted names
//! (`donations.cash`), maps (whose keys are data, such as `reduction_by_rate`) kept as one
//! dict per cell, nested lists as Python lists of dicts.
//! Money stays the report's exact text (`"16500.00"`): the Python side makes `Decimal`s.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize, Serializer};

/// A Python error carried through serde.
#[derive(Debug)]
pub struct SerError(pub PyErr);

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for SerError {
    fn from(e: PyErr) -> Self {
        SerError(e)
    }
}

type Res<T> = Result<T, SerError>;

/// Columns of a list of records: `(name, values)` pairs.
pub type NamedColumns<'py> = Vec<(String, Bound<'py, PyList>)>;

/// Converts a serializable value to plain Python objects.
///
/// # Errors
///
/// A Python error from object creation (memory).
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    v.serialize(ToPy(py)).map_err(|e| e.0)
}

/// The generic serializer to Python objects.
#[derive(Clone, Copy)]
pub struct ToPy<'py>(pub Python<'py>);

/// Sequence being built.
pub struct SeqBuilder<'py> {
    py: Python<'py>,
    items: Vec<Bound<'py, PyAny>>,
}

/// Map or struct being built.
pub struct MapBuilder<'py> {
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Serializer for ToPy<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = SeqBuilder<'py>;
    type SerializeTuple = SeqBuilder<'py>;
    type SerializeTupleStruct = SeqBuilder<'py>;
    type SerializeTupleVariant = SeqBuilder<'py>;
    type SerializeMap = MapBuilder<'py>;
    type SerializeStruct = MapBuilder<'py>;
    type SerializeStructVariant = MapBuilder<'py>;

    fn serialize_bool(self, v: bool) -> Res<Self::Ok> {
        Ok(v.into_bound_py_any(self.0)?)
    }
    fn serialize_i8(self, v: i8) -> Res<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Res<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Res<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Res<Self::Ok> {
        Ok(v.into_bound_py_any(self.0)?)
    }
    fn serialize_u8(self, v: u8) -> Res<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Res<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Res<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Res<Self::Ok> {
        Ok(v.into_bound_py_any(self.0)?)
    }
    fn serialize_f32(self, _v: f32) -> Res<Self::Ok> {
        Err(ser::Error::custom("a float in the report (a defect)"))
    }
    fn serialize_f64(self, _v: f64) -> Res<Self::Ok> {
        Err(ser::Error::custom("a float in the report (a defect)"))
    }
    fn serialize_char(self, v: char) -> Res<Self::Ok> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res<Self::Ok> {
        Ok(PyString::new(self.0, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<Self::Ok> {
        Ok(pyo3::types::PyBytes::new(self.0, v).into_any())
    }
    fn serialize_none(self) -> Res<Self::Ok> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<Self::Ok> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res<Self::Ok> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Res<Self::Ok> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Res<Self::Ok> {
        let d = PyDict::new(self.0);
        d.set_item(variant, v.serialize(self)?)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Res<SeqBuilder<'py>> {
        Ok(SeqBuilder {
            py: self.0,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Res<SeqBuilder<'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Res<SeqBuilder<'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Res<SeqBuilder<'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<MapBuilder<'py>> {
        Ok(MapBuilder {
            dict: PyDict::new(self.0),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Res<MapBuilder<'py>> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Res<MapBuilder<'py>> {
        Ok(MapBuilder {
            dict: PyDict::new(self.0),
            key: None,
            variant: Some(variant),
        })
    }
}

impl<'py> SeqBuilder<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.items.push(v.serialize(ToPy(self.py))?);
        Ok(())
    }
    fn finish(self) -> Res<Bound<'py, PyAny>> {
        Ok(PyList::new(self.py, self.items)?.into_any())
    }
}

impl<'py> ser::SerializeSeq for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.push(v)
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.push(v)
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.push(v)
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleVariant for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.push(v)
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

impl<'py> MapBuilder<'py> {
    fn finish(self) -> Res<Bound<'py, PyAny>> {
        match self.variant {
            None => Ok(self.dict.into_any()),
            Some(v) => {
                let outer = PyDict::new(self.dict.py());
                outer.set_item(v, self.dict)?;
                Ok(outer.into_any())
            }
        }
    }
}

impl<'py> ser::SerializeMap for MapBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Res<()> {
        self.key = Some(k.serialize(ToPy(self.dict.py()))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        let k = self
            .key
            .take()
            .ok_or_else(|| <SerError as ser::Error>::custom("map value without key"))?;
        self.dict.set_item(k, v.serialize(ToPy(self.dict.py()))?)?;
        Ok(())
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for MapBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        self.dict.set_item(k, v.serialize(ToPy(self.dict.py()))?)?;
        Ok(())
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for MapBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        ser::SerializeStruct::serialize_field(self, k, v)
    }
    fn end(self) -> Res<Self::Ok> {
        self.finish()
    }
}

// ---------------------------------------------------------------- columns

/// Columns being filled, row by row.
struct Columns<'py> {
    py: Python<'py>,
    names: Vec<String>,
    index: HashMap<String, usize>,
    cols: Vec<Vec<Bound<'py, PyAny>>>,
    /// Rows finished so far.
    rows: usize,
    /// Small strings seen in this column set (ids, statuses, labels, amounts): one Python
    /// object each, shared by every cell that holds it.
    interned: HashMap<String, Bound<'py, PyAny>, Fnv>,
    /// Where the next field of the current row is expected (rows repeat their fields in
    /// the same order, so the path is found without hashing).
    cursor: usize,
}

/// FNV-1a: a fast hash for the short strings of the report (no untrusted keys here).
#[derive(Default)]
struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Fnv = BuildHasherDefault<FnvHasher>;

/// Strings up to this length are shared between cells.
const INTERN_MAX_LEN: usize = 24;
/// At most this many distinct shared strings (memory bound).
const INTERN_MAX_COUNT: usize = 1 << 16;

impl<'py> Columns<'py> {
    fn push(&mut self, path: &str, v: Bound<'py, PyAny>) {
        let hit = self.names.get(self.cursor).is_some_and(|n| n == path);
        let i = match if hit {
            Some(&self.cursor)
        } else {
            self.index.get(path)
        } {
            Some(i) => *i,
            None => {
                let i = self.cols.len();
                self.names.push(path.to_string());
                self.index.insert(path.to_string(), i);
                let none = self.py.None().into_bound(self.py);
                self.cols.push(vec![none; self.rows]);
                i
            }
        };
        self.cursor = i + 1;
        let col = &mut self.cols[i];
        if col.len() == self.rows {
            col.push(v);
        } else if let Some(last) = col.last_mut() {
            // A path that repeats within one row (it cannot with the report's types): the
            // last value wins.
            *last = v;
        }
    }

    fn push_str(&mut self, path: &str, s: &str) {
        let v = if s.len() <= INTERN_MAX_LEN {
            if let Some(v) = self.interned.get(s) {
                v.clone()
            } else {
                let v = PyString::new(self.py, s).into_any();
                if self.interned.len() < INTERN_MAX_COUNT {
                    self.interned.insert(s.to_string(), v.clone());
                }
                v
            }
        } else {
            PyString::new(self.py, s).into_any()
        };
        self.push(path, v);
    }

    fn end_row(&mut self) {
        self.rows += 1;
        self.cursor = 0;
        let none = self.py.None().into_bound(self.py);
        for c in &mut self.cols {
            if c.len() < self.rows {
                c.push(none.clone());
            }
        }
    }
}

/// Converts a list of records to columns: `(name, values)` pairs in first-seen order.
///
/// # Errors
///
/// A Python error from object creation (memory).
pub fn columns<'py, T: Serialize>(py: Python<'py>, rows: &[T]) -> PyResult<NamedColumns<'py>> {
    let mut c = Columns {
        py,
        names: Vec::new(),
        index: HashMap::new(),
        cols: Vec::new(),
        rows: 0,
        interned: HashMap::default(),
        cursor: 0,
    };
    for r in rows {
        r.serialize(Cell {
            cols: &mut c,
            path: Cow::Borrowed(""),
        })
        .map_err(|e| e.0)?;
        c.end_row();
    }
    let mut out = Vec::with_capacity(c.names.len());
    for (name, col) in c.names.into_iter().zip(c.cols) {
        out.push((name, PyList::new(py, col)?));
    }
    Ok(out)
}

/// Serializes one value at a column path; structs and maps flatten into sub-paths.
struct Cell<'a, 'py> {
    cols: &'a mut Columns<'py>,
    path: Path,
}

/// A column path: a top-level field's name (no allocation), or a dotted path.
type Path = Cow<'static, str>;

fn sub_path(path: &Path, key: &'static str) -> Path {
    if path.is_empty() {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(format!("{path}.{key}"))
    }
}

/// A nested sequence: built as a Python list, stored in one cell.
struct CellSeq<'a, 'py> {
    cols: &'a mut Columns<'py>,
    path: Path,
    inner: SeqBuilder<'py>,
}

/// A nested struct: its fields go to sub-paths (`donations.cash`).
struct CellMap<'a, 'py> {
    cols: &'a mut Columns<'py>,
    path: Path,
}

/// A nested map (keys are data, such as rates): one dict in one cell.
struct CellDict<'a, 'py> {
    cols: &'a mut Columns<'py>,
    path: Path,
    inner: MapBuilder<'py>,
}

impl<'a, 'py> Cell<'a, 'py> {
    fn scalar(self, v: Bound<'py, PyAny>) -> Res<()> {
        self.cols.push(&self.path, v);
        Ok(())
    }
}

impl<'a, 'py> Serializer for Cell<'a, 'py> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = CellSeq<'a, 'py>;
    type SerializeTuple = CellSeq<'a, 'py>;
    type SerializeTupleStruct = CellSeq<'a, 'py>;
    type SerializeTupleVariant = CellSeq<'a, 'py>;
    type SerializeMap = CellDict<'a, 'py>;
    type SerializeStruct = CellMap<'a, 'py>;
    type SerializeStructVariant = CellMap<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Res<()> {
        let o = ToPy(self.cols.py).serialize_bool(v)?;
        self.scalar(o)
    }
    fn serialize_i8(self, v: i8) -> Res<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Res<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Res<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Res<()> {
        let o = ToPy(self.cols.py).serialize_i64(v)?;
        self.scalar(o)
    }
    fn serialize_u8(self, v: u8) -> Res<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Res<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Res<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Res<()> {
        let o = ToPy(self.cols.py).serialize_u64(v)?;
        self.scalar(o)
    }
    fn serialize_f32(self, v: f32) -> Res<()> {
        ToPy(self.cols.py).serialize_f32(v).map(|_| ())
    }
    fn serialize_f64(self, v: f64) -> Res<()> {
        ToPy(self.cols.py).serialize_f64(v).map(|_| ())
    }
    fn serialize_char(self, v: char) -> Res<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res<()> {
        self.cols.push_str(&self.path, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<()> {
        let o = ToPy(self.cols.py).serialize_bytes(v)?;
        self.scalar(o)
    }
    fn serialize_none(self) -> Res<()> {
        let o = self.cols.py.None().into_bound(self.cols.py);
        self.scalar(o)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<()> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res<()> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Res<()> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Res<()> {
        let o = ToPy(self.cols.py).serialize_newtype_variant(name, index, variant, v)?;
        self.scalar(o)
    }
    fn serialize_seq(self, len: Option<usize>) -> Res<CellSeq<'a, 'py>> {
        let inner = ToPy(self.cols.py).serialize_seq(len)?;
        Ok(CellSeq {
            cols: self.cols,
            path: self.path,
            inner,
        })
    }
    fn serialize_tuple(self, len: usize) -> Res<CellSeq<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Res<CellSeq<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Res<CellSeq<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Res<CellDict<'a, 'py>> {
        let inner = ToPy(self.cols.py).serialize_map(len)?;
        Ok(CellDict {
            cols: self.cols,
            path: self.path,
            inner,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Res<CellMap<'a, 'py>> {
        Ok(CellMap {
            cols: self.cols,
            path: self.path,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Res<CellMap<'a, 'py>> {
        let path = sub_path(&self.path, variant);
        Ok(CellMap {
            cols: self.cols,
            path,
        })
    }
}

impl<'py> CellSeq<'_, 'py> {
    fn finish(self) -> Res<()> {
        let list = self.inner.finish()?;
        self.cols.push(&self.path, list);
        Ok(())
    }
}

impl ser::SerializeSeq for CellSeq<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.inner.push(v)
    }
    fn end(self) -> Res<()> {
        self.finish()
    }
}

impl ser::SerializeTuple for CellSeq<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.inner.push(v)
    }
    fn end(self) -> Res<()> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for CellSeq<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.inner.push(v)
    }
    fn end(self) -> Res<()> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for CellSeq<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        self.inner.push(v)
    }
    fn end(self) -> Res<()> {
        self.finish()
    }
}

impl CellMap<'_, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Res<()> {
        v.serialize(Cell {
            cols: self.cols,
            path: sub_path(&self.path, key),
        })
    }
}

impl ser::SerializeMap for CellDict<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Res<()> {
        ser::SerializeMap::serialize_key(&mut self.inner, k)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        ser::SerializeMap::serialize_value(&mut self.inner, v)
    }
    fn end(self) -> Res<()> {
        let d = self.inner.finish()?;
        self.cols.push(&self.path, d);
        Ok(())
    }
}

impl ser::SerializeStruct for CellMap<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        self.field(k, v)
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for CellMap<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        self.field(k, v)
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------- one field of a struct

/// What to make of the field picked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Columns of a list of records.
    Columns,
    /// Plain Python objects.
    Object,
    /// Only collect the field names.
    Names,
    /// The length of a list, without serializing its items.
    Len,
}

/// Picks one field of a struct (the report) by name, without serializing the others.
struct Picker<'a, 'py> {
    py: Python<'py>,
    name: &'a str,
    want: Want,
    found: Option<Picked<'py>>,
    names: Vec<&'static str>,
}

enum Picked<'py> {
    Columns(NamedColumns<'py>),
    Object(Bound<'py, PyAny>),
    Len(Option<usize>),
}

macro_rules! refuse {
    ($($f:ident($($a:ty),*)),* $(,)?) => {
        $(fn $f(self, $(_: $a),*) -> Res<Self::Ok> {
            Err(ser::Error::custom("not a struct"))
        })*
    };
}

/// What every serializer of this module does with scalars (refused), `Some` and newtype
/// structs (passed through) and newtype variants (refused with `$msg`).
macro_rules! scalars_refused {
    ($msg:expr) => {
        refuse!(
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_f32(f32),
            serialize_f64(f64),
            serialize_char(char),
            serialize_str(&str),
            serialize_bytes(&[u8]),
            serialize_none(),
            serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str),
        );
        fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<()> {
            v.serialize(self)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _n: &'static str,
            v: &T,
        ) -> Res<()> {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _n: &'static str,
            _i: u32,
            _v: &'static str,
            _value: &T,
        ) -> Res<()> {
            Err(ser::Error::custom($msg))
        }
    };
}

impl<'b, 'a, 'py> Serializer for &'b mut Picker<'a, 'py> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = ser::Impossible<(), SerError>;
    type SerializeTuple = ser::Impossible<(), SerError>;
    type SerializeTupleStruct = ser::Impossible<(), SerError>;
    type SerializeTupleVariant = ser::Impossible<(), SerError>;
    type SerializeMap = ser::Impossible<(), SerError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = ser::Impossible<(), SerError>;

    scalars_refused!("not a struct");
    fn serialize_seq(self, _len: Option<usize>) -> Res<Self::SerializeSeq> {
        Err(ser::Error::custom("not a struct"))
    }
    fn serialize_tuple(self, _len: usize) -> Res<Self::SerializeTuple> {
        Err(ser::Error::custom("not a struct"))
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleStruct> {
        Err(ser::Error::custom("not a struct"))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleVariant> {
        Err(ser::Error::custom("not a struct"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<Self::SerializeMap> {
        Err(ser::Error::custom("not a struct"))
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeStructVariant> {
        Err(ser::Error::custom("not a struct"))
    }
}

impl ser::SerializeStruct for &mut Picker<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Res<()> {
        self.names.push(k);
        if self.want == Want::Names || k != self.name {
            return Ok(());
        }
        self.found = Some(match self.want {
            Want::Object => Picked::Object(v.serialize(ToPy(self.py))?),
            Want::Len => {
                let mut probe = LenProbe { len: None };
                // The probe stops at the list's start (an error by design): no item is
                // serialized.
                let _stopped = v.serialize(&mut probe);
                Picked::Len(probe.len)
            }
            _ => {
                let mut rows = Rows {
                    cols: Columns {
                        py: self.py,
                        names: Vec::new(),
                        index: HashMap::new(),
                        cols: Vec::new(),
                        rows: 0,
                        interned: HashMap::default(),
                        cursor: 0,
                    },
                };
                v.serialize(&mut rows)?;
                let mut out = Vec::with_capacity(rows.cols.names.len());
                for (name, col) in rows.cols.names.into_iter().zip(rows.cols.cols) {
                    out.push((name, PyList::new(self.py, col)?));
                }
                Picked::Columns(out)
            }
        });
        Ok(())
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

/// Serializes a list of records into columns.
struct Rows<'py> {
    cols: Columns<'py>,
}

impl<'b, 'py> Serializer for &'b mut Rows<'py> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = Self;
    type SerializeTuple = ser::Impossible<(), SerError>;
    type SerializeTupleStruct = ser::Impossible<(), SerError>;
    type SerializeTupleVariant = ser::Impossible<(), SerError>;
    type SerializeMap = ser::Impossible<(), SerError>;
    type SerializeStruct = ser::Impossible<(), SerError>;
    type SerializeStructVariant = ser::Impossible<(), SerError>;

    scalars_refused!("not a list of records");
    fn serialize_seq(self, _len: Option<usize>) -> Res<Self> {
        Ok(self)
    }
    fn serialize_tuple(self, _len: usize) -> Res<Self::SerializeTuple> {
        Err(ser::Error::custom("not a list of records"))
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleStruct> {
        Err(ser::Error::custom("not a list of records"))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleVariant> {
        Err(ser::Error::custom("not a list of records"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<Self::SerializeMap> {
        Err(ser::Error::custom("not a list of records"))
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self::SerializeStruct> {
        Err(ser::Error::custom("not a list of records"))
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeStructVariant> {
        Err(ser::Error::custom("not a list of records"))
    }
}

impl ser::SerializeSeq for &mut Rows<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<()> {
        v.serialize(Cell {
            cols: &mut self.cols,
            path: Cow::Borrowed(""),
        })?;
        self.cols.end_row();
        Ok(())
    }
    fn end(self) -> Res<()> {
        Ok(())
    }
}

/// Records the length a list announces, and stops there.
struct LenProbe {
    len: Option<usize>,
}

impl Serializer for &mut LenProbe {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = ser::Impossible<(), SerError>;
    type SerializeTuple = ser::Impossible<(), SerError>;
    type SerializeTupleStruct = ser::Impossible<(), SerError>;
    type SerializeTupleVariant = ser::Impossible<(), SerError>;
    type SerializeMap = ser::Impossible<(), SerError>;
    type SerializeStruct = ser::Impossible<(), SerError>;
    type SerializeStructVariant = ser::Impossible<(), SerError>;

    scalars_refused!("not a list");
    fn serialize_seq(self, len: Option<usize>) -> Res<Self::SerializeSeq> {
        self.len = len;
        Err(ser::Error::custom("length taken"))
    }
    fn serialize_tuple(self, _len: usize) -> Res<Self::SerializeTuple> {
        Err(ser::Error::custom("not a list"))
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleStruct> {
        Err(ser::Error::custom("not a list"))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeTupleVariant> {
        Err(ser::Error::custom("not a list"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<Self::SerializeMap> {
        Err(ser::Error::custom("not a list"))
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Res<Self::SerializeStruct> {
        Err(ser::Error::custom("not a list"))
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Res<Self::SerializeStructVariant> {
        Err(ser::Error::custom("not a list"))
    }
}

fn pick<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
    name: &str,
    want: Want,
) -> PyResult<(Option<Picked<'py>>, Vec<&'static str>)> {
    let mut p = Picker {
        py,
        name,
        want,
        found: None,
        names: Vec::new(),
    };
    value.serialize(&mut p).map_err(|e| e.0)?;
    Ok((p.found, p.names))
}

/// The names of a struct's fields, in serialization order.
///
/// # Errors
///
/// When the value does not serialize as a struct.
pub fn field_names<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Vec<&'static str>> {
    Ok(pick(py, value, "", Want::Names)?.1)
}

/// One field of a struct as plain Python objects; `None` when there is no such field.
///
/// # Errors
///
/// When the value does not serialize as a struct, or on object creation.
pub fn field_object<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
    name: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(match pick(py, value, name, Want::Object)?.0 {
        Some(Picked::Object(o)) => Some(o),
        _ => None,
    })
}

/// One field of a struct, a list of records, as columns; `None` when there is no such
/// field.
///
/// # Errors
///
/// When the value does not serialize as a struct or the field is not a list, or on object
/// creation.
pub fn field_columns<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
    name: &str,
) -> PyResult<Option<NamedColumns<'py>>> {
    Ok(match pick(py, value, name, Want::Columns)?.0 {
        Some(Picked::Columns(c)) => Some(c),
        _ => None,
    })
}

/// The length of a list field of a struct, without converting its items; `None` when
/// there is no such field or it is not a list of known length.
///
/// # Errors
///
/// When the value does not serialize as a struct.
pub fn field_len<T: Serialize>(py: Python<'_>, value: &T, name: &str) -> PyResult<Option<usize>> {
    Ok(match pick(py, value, name, Want::Len)?.0 {
        Some(Picked::Len(n)) => n,
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use pyo3::types::PyAnyMethods;
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Cash,
        InKind,
    }

    #[derive(Serialize)]
    struct Inner {
        a: String,
        b: Option<u32>,
    }

    #[derive(Serialize)]
    struct Row {
        id: u32,
        kind: Kind,
        inner: Inner,
        rates: BTreeMap<String, String>,
        list: Vec<Inner>,
        note: Option<String>,
    }

    #[derive(Serialize)]
    struct Whole {
        rows: Vec<Row>,
        title: String,
    }

    fn sample() -> Whole {
        let mut rates = BTreeMap::new();
        rates.insert("0.60".to_string(), "1.00".to_string());
        Whole {
            rows: vec![
                Row {
                    id: 1,
                    kind: Kind::Cash,
                    inner: Inner {
                        a: "x".into(),
                        b: Some(2),
                    },
                    rates,
                    list: vec![Inner {
                        a: "y".into(),
                        b: None,
                    }],
                    note: None,
                },
                Row {
                    id: 2,
                    kind: Kind::InKind,
                    inner: Inner {
                        a: "x".into(),
                        b: None,
                    },
                    rates: BTreeMap::new(),
                    list: vec![],
                    note: Some("n".into()),
                },
            ],
            title: "t".into(),
        }
    }

    #[test]
    fn columns_flatten_structs_and_keep_maps_and_lists_whole() {
        Python::initialize();
        Python::attach(|py| {
            let w = sample();
            let cols = field_columns(py, &w, "rows").unwrap().unwrap();
            let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names,
                ["id", "kind", "inner.a", "inner.b", "rates", "list", "note"]
            );
            let get = |name: &str| {
                cols.iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, c)| c.repr().unwrap().to_string())
                    .unwrap()
            };
            assert_eq!(get("id"), "[1, 2]");
            assert_eq!(get("kind"), "['cash', 'in_kind']");
            assert_eq!(get("inner.a"), "['x', 'x']");
            assert_eq!(get("inner.b"), "[2, None]");
            assert_eq!(get("rates"), "[{'0.60': '1.00'}, {}]");
            assert_eq!(get("list"), "[[{'a': 'y', 'b': None}], []]");
            assert_eq!(get("note"), "[None, 'n']");
            // Equal short strings are one object.
            let a = &cols[2].1;
            assert!(a.get_item(0).unwrap().is(a.get_item(1).unwrap()));
        });
    }

    #[test]
    fn fields_by_name() {
        Python::initialize();
        Python::attach(|py| {
            let w = sample();
            assert_eq!(field_names(py, &w).unwrap(), ["rows", "title"]);
            assert_eq!(field_len(py, &w, "rows").unwrap(), Some(2));
            assert_eq!(field_len(py, &w, "title").unwrap(), None);
            assert_eq!(field_len(py, &w, "nope").unwrap(), None);
            let title = field_object(py, &w, "title").unwrap().unwrap();
            assert_eq!(title.extract::<String>().unwrap(), "t");
            assert!(field_object(py, &w, "nope").unwrap().is_none());
            assert!(field_columns(py, &w, "title").is_err());
            let rows = to_py(py, &w.rows).unwrap();
            assert_eq!(
                rows.get_item(0)
                    .unwrap()
                    .get_item("inner")
                    .unwrap()
                    .repr()
                    .unwrap()
                    .to_string(),
                "{'a': 'x', 'b': 2}"
            );
        });
    }
}
