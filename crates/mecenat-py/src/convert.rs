//! Python tables to the core's [`RawScenario`]: the one place where Python values become
//! [`RawValue`]s.
//!
//! | Python | `RawValue` |
//! |---|---|
//! | `str` | `Text` |
//! | `int` (and objects with `__index__`, e.g. numpy integers) | `Int` (`Decimal` beyond 64 bits) |
//! | `decimal.Decimal` | `Decimal` (NaN and infinities refused) |
//! | `bool` | `Bool` |
//! | `None` | `Null` |
//! | `datetime.date` | `Date` (a `datetime.datetime` is refused) |
//! | `float` | refused: money never goes through binary floating point |
//!
//! In tables that come from data frames, the frames' missing-value markers (a float NaN in
//! an object column, `pandas.NA`, `pandas.NaT`) are `Null` too, and date columns arrive as
//! days since 1970-01-01.
//!
//! Unknown keys and every rule of the scenario stay in the core
//! ([`mecenat::Scenario::from_raw`]); this module only types cells.

use std::str::FromStr;

use chrono::NaiveDate;
use mecenat::raw::{intern_key, Key};
use mecenat::{Location, RawRow, RawScenario, RawTable, RawValue};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use rust_decimal::Decimal;

use crate::errors::InputError;

/// Days from 0001-01-01 (day 1 in `NaiveDate::from_num_days_from_ce_opt`) to 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i64 = 719_163;

/// A date from a number of days since 1970-01-01 (`None` when out of chrono's range).
///
/// # Examples
///
/// ```
/// assert_eq!(_mecenat::convert::date_from_epoch_days(0).unwrap().to_string(), "1970-01-01");
/// assert_eq!(_mecenat::convert::date_from_epoch_days(20089).unwrap().to_string(), "2025-01-01");
/// ```
pub fn date_from_epoch_days(days: i64) -> Option<NaiveDate> {
    let ce = days.checked_add(UNIX_EPOCH_CE_DAYS)?;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(ce).ok()?)
}

/// Parses the text of a Python `Decimal` (`str(d)`: plain or scientific, such as `"1E+3"`
/// or `"0E-7"`) into an exact decimal. `None` when it is NaN, infinite, or does not fit in
/// 28 significant digits; never rounds.
///
/// # Examples
///
/// ```
/// use _mecenat::convert::parse_py_decimal;
/// assert_eq!(parse_py_decimal("1234.50").unwrap().to_string(), "1234.50");
/// assert_eq!(parse_py_decimal("1E+3").unwrap().to_string(), "1000");
/// assert_eq!(parse_py_decimal("-2.5E-3").unwrap().to_string(), "-0.0025");
/// assert!(parse_py_decimal("NaN").is_none());
/// assert!(parse_py_decimal("-Infinity").is_none());
/// ```
pub fn parse_py_decimal(text: &str) -> Option<Decimal> {
    let (mantissa, exponent) = match text.find(['E', 'e']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    if mantissa.is_empty() || !mantissa.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut d = Decimal::from_str_exact(mantissa).ok()?;
    if exponent < 0 {
        let scale = d.scale().checked_add(exponent.unsigned_abs())?;
        if scale > 28 {
            // Too small to be exact in 28 decimals; zero is the one value that survives.
            return d.is_zero().then_some(Decimal::ZERO);
        }
        d.set_scale(scale).ok()?;
    } else if exponent > 0 {
        let e = u32::try_from(exponent).ok()?;
        let mut factor = Decimal::ONE;
        for _ in 0..e {
            factor = factor.checked_mul(Decimal::TEN)?;
        }
        d = d.checked_mul(factor)?;
    }
    Some(d)
}

/// Converts cells, with the Python types it needs.
pub struct Converter<'py> {
    decimal: Bound<'py, PyType>,
    nulls: Vec<Bound<'py, PyAny>>,
    /// Drop the columns that are no key of their table (`extra_columns="ignore"`) instead
    /// of passing them on to validation, which names them as errors.
    pub ignore_extra: bool,
}

/// The key a column name stands for in a table: the key itself, or the header the Excel
/// template writes for it (`Salarié`, `Date`…, compared as the importer compares
/// headers); `None` when it names no column and extra columns are ignored. A name that
/// is neither stays as given, for validation to name it.
///
/// # Examples
///
/// ```
/// use _mecenat::convert::resolve_key;
/// assert_eq!(resolve_key("time_entries", "Salarié", false).as_deref(), Some("employee"));
/// assert_eq!(resolve_key("time_entries", "days", false).as_deref(), Some("days"));
/// assert_eq!(resolve_key("time_entries", "notes", false).as_deref(), Some("notes"));
/// assert_eq!(resolve_key("time_entries", "notes", true), None);
/// ```
pub fn resolve_key(table: &str, name: &str, ignore_extra: bool) -> Option<Key> {
    let Some(t) = mecenat::schema::table(table) else {
        return Some(intern_key(name));
    };
    if t.column(name).is_some() {
        return Some(intern_key(name));
    }
    if let Some(k) = mecenat_xlsx::column_key(table, name) {
        return Some(intern_key(k));
    }
    (!ignore_extra).then(|| intern_key(name))
}

/// Why a value was refused: a wrong type (`TypeError`) or an unusable value (`ValueError`).
struct Refusal {
    type_error: bool,
    message: String,
}

fn type_refusal(message: String) -> Refusal {
    Refusal {
        type_error: true,
        message,
    }
}

fn value_refusal(message: String) -> Refusal {
    Refusal {
        type_error: false,
        message,
    }
}

impl<'py> Converter<'py> {
    /// A converter; `nulls` are the objects that mean "missing" in data frames (such as
    /// `pandas.NA` and `pandas.NaT`), compared by identity.
    ///
    /// # Errors
    ///
    /// When the `decimal` module cannot be imported.
    pub fn new(py: Python<'py>, nulls: &Bound<'py, PyTuple>) -> PyResult<Self> {
        let decimal = py
            .import("decimal")?
            .getattr("Decimal")?
            .cast_into::<PyType>()?;
        Ok(Converter {
            decimal,
            nulls: nulls.iter().collect(),
            ignore_extra: false,
        })
    }

    fn value(&self, v: &Bound<'py, PyAny>, origin: Origin, key: &str) -> Result<RawValue, Refusal> {
        let err = |e: PyErr| value_refusal(e.to_string());
        if let Ok(s) = v.cast::<PyString>() {
            return Ok(RawValue::Text(s.to_str().map_err(err)?.to_owned()));
        }
        if v.is_none() {
            return Ok(RawValue::Null);
        }
        if let Ok(b) = v.cast::<PyBool>() {
            return Ok(RawValue::Bool(b.is_true()));
        }
        if v.is_instance_of::<PyInt>() {
            return int_value(v);
        }
        if v.is_instance(&self.decimal).map_err(err)? {
            let text = v.str().map_err(err)?;
            let text = text.to_str().map_err(err)?;
            return parse_py_decimal(text)
                .map(RawValue::Decimal)
                .ok_or_else(|| {
                    let why = if text.contains(['N', 'n', 'I', 'i']) {
                        "NaN and infinities are not amounts"
                    } else {
                        "it does not fit in 28 significant digits"
                    };
                    value_refusal(format!("Decimal({text:?}) is refused: {why}"))
                });
        }
        if let Ok(f) = v.cast::<PyFloat>() {
            let x = f.value();
            if origin.is_frame() && x.is_nan() {
                return Ok(RawValue::Null);
            }
            if x.is_nan() {
                return Err(type_refusal(nan_message(key)));
            }
            return Err(type_refusal(float_message(v, origin)));
        }
        if numpy_float(v) {
            let nan = v
                .call_method0("__float__")
                .and_then(|f| f.extract::<f64>())
                .is_ok_and(f64::is_nan);
            if origin.is_frame() && nan {
                return Ok(RawValue::Null);
            }
            if nan {
                return Err(type_refusal(nan_message(key)));
            }
            return Err(type_refusal(float_message(v, origin)));
        }
        if self.nulls.iter().any(|n| v.is(n)) {
            return Ok(RawValue::Null);
        }
        if v.is_instance_of::<PyDateTime>() {
            let shown = v.str().map_or_else(|_| String::new(), |s| s.to_string());
            return Err(type_refusal(format!(
                "{shown} is a datetime.datetime: pass a datetime.date (value.date()); a time \
                 of day has no meaning here"
            )));
        }
        if v.is_instance_of::<PyDate>() {
            let ordinal: i32 = v
                .call_method0("toordinal")
                .and_then(|o| o.extract())
                .map_err(err)?;
            return NaiveDate::from_num_days_from_ce_opt(ordinal)
                .map(RawValue::Date)
                .ok_or_else(|| value_refusal(format!("date of ordinal {ordinal} out of range")));
        }
        if v.hasattr("__index__").unwrap_or(false) {
            if let Ok(i) = v.extract::<i64>() {
                return Ok(RawValue::Int(i));
            }
        }
        let type_name = v
            .get_type()
            .name()
            .map_or_else(|_| "?".to_string(), |n| n.to_string());
        Err(type_refusal(format!(
            "a value of type {type_name} is not accepted: pass str, int, decimal.Decimal, bool, \
             datetime.date or None"
        )))
    }
}

/// Where a table's values come from: the float hint says how to fix it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Rows (dicts) or a dict of columns built in Python.
    Python,
    /// A pandas DataFrame.
    Pandas,
    /// A polars DataFrame.
    Polars,
}

impl Origin {
    /// From the spec's origin text (`""`, `"pandas"`, `"polars"`; `True` from older
    /// callers means a pandas frame).
    fn parse(v: &Bound<'_, PyAny>) -> PyResult<Origin> {
        if let Ok(b) = v.cast::<PyBool>() {
            return Ok(if b.is_true() {
                Origin::Pandas
            } else {
                Origin::Python
            });
        }
        let s: String = v.extract()?;
        Ok(match s.as_str() {
            "pandas" => Origin::Pandas,
            "polars" => Origin::Polars,
            _ => Origin::Python,
        })
    }

    fn is_frame(self) -> bool {
        self != Origin::Python
    }
}

/// A numpy floating-point scalar that is not a Python `float` (float32, float16,
/// longdouble; float64 is a `float`).
fn numpy_float(v: &Bound<'_, PyAny>) -> bool {
    let t = v.get_type();
    let module = t.module().map(|m| m.to_string()).unwrap_or_default();
    let name = t.name().map(|n| n.to_string()).unwrap_or_default();
    module == "numpy" && (name.starts_with("float") || name == "longdouble")
}

/// Keys whose values are ids.
const ID_KEYS: [&str; 5] = ["id", "company", "employee", "volunteer", "beneficiary"];

/// The refusal of a NaN outside a data frame: it is how pandas marks a missing value (an
/// empty cell), so it is named as missing, not as a number.
fn nan_message(key: &str) -> String {
    if ID_KEYS.contains(&key) {
        format!(
            "NaN (a float) is a missing id (pandas writes NaN for an empty cell): pass None \
             when there is no {key}, or the id as a string"
        )
    } else {
        "NaN (a float) is a missing value (pandas writes NaN for an empty cell), not a \
         number: pass None for an absent value, or the value as a decimal.Decimal or a string"
            .to_string()
    }
}

/// The refusal of a float, with a hint that fits where it came from: the value as Python
/// prints it (`218.0`, not `np.float64(218.0)`), and the fix in the caller's own terms.
fn float_message(v: &Bound<'_, PyAny>, origin: Origin) -> String {
    let shown = v.str().map_or_else(|_| "?".to_string(), |s| s.to_string());
    let t = v.get_type();
    let numpy = t
        .module()
        .is_ok_and(|m| m.to_str().is_ok_and(|s| s == "numpy"));
    let type_name = t
        .name()
        .map_or_else(|_| "float".to_string(), |n| n.to_string());
    let why = "money, rates and quantities never go through binary floating point \
               (0.1 + 0.2 != 0.3)";
    match (origin, numpy) {
        (Origin::Pandas, _) => format!(
            "{shown} is a float ({type_name}) in a pandas column: {why}; read the column as \
             text (e.g. dtype=str in pd.read_csv) or convert it to decimal.Decimal or strings, \
             e.g. df[col].map(lambda x: None if pd.isna(x) else Decimal(str(x)))"
        ),
        (Origin::Polars, _) => format!(
            "{shown} is a float ({type_name}) in a polars column: {why}; read the column as \
             text (e.g. schema_overrides={{col: pl.String}} in pl.read_csv) or cast it, e.g. \
             pl.col(col).cast(pl.Decimal(scale=2))"
        ),
        (Origin::Python, true) => format!(
            "{shown} is a numpy {type_name}: {why}; pass a decimal.Decimal such as \
             Decimal(str(x)) (here Decimal(\"{shown}\")), a string such as \"{shown}\", or \
             an int"
        ),
        (Origin::Python, false) => format!(
            "{shown} is a float: {why}; pass a decimal.Decimal such as Decimal(\"{shown}\"), \
             a string such as \"{shown}\", or an int"
        ),
    }
}

fn int_value(v: &Bound<'_, PyAny>) -> Result<RawValue, Refusal> {
    if let Ok(i) = v.extract::<i64>() {
        return Ok(RawValue::Int(i));
    }
    let text = v
        .str()
        .map_err(|e| value_refusal(e.to_string()))?
        .to_string();
    Decimal::from_str(&text)
        .map(RawValue::Decimal)
        .map_err(|_| value_refusal(format!("the integer {text} is too large")))
}

fn display(v: &Bound<'_, PyAny>) -> Option<String> {
    v.str().ok().map(|s| s.to_string())
}

fn refused(r: Refusal, table: &str, row: usize, key: &str, v: &Bound<'_, PyAny>) -> InputError {
    InputError {
        type_error: r.type_error,
        message: format!("{table} row {row}, key {key:?}: {}", r.message),
        location: Location {
            table: Some(table.to_string()),
            row: Some(row),
            key: Some(key.to_string()),
            cell: None,
            value: display(v),
        },
    }
}

fn shape_error(table: &str, row: Option<usize>, message: String) -> InputError {
    InputError {
        type_error: true,
        message,
        location: Location {
            table: Some(table.to_string()),
            row,
            ..Location::default()
        },
    }
}

/// A row that names one key twice, once by its French header (`Salarié` and `employee`).
fn twice(
    table: &str,
    row: Option<usize>,
    cells: &[(Key, RawValue)],
    key: &str,
) -> Option<InputError> {
    cells.iter().any(|(k, _)| k == key).then(|| {
        shape_error(
            table,
            row,
            format!(
                "{table} row {}: two columns stand for the key {key:?} (a key and its French \
                 header?): keep one",
                row.unwrap_or(0)
            ),
        )
    })
}

/// A table given as rows: each a dict (or any mapping with `items()`) of key to value.
///
/// # Errors
///
/// An [`InputError`] naming table, row and key for a value of a refused type or an unusable
/// value; a Python error if iteration itself fails.
pub fn rows_table<'py>(
    conv: &Converter<'py>,
    name: &str,
    rows: &Bound<'py, PyAny>,
) -> PyResult<Result<RawTable, InputError>> {
    let mut out = Vec::with_capacity(rows.len().unwrap_or(0));
    // Keys seen so far, by object identity: rows built by one program (json.loads,
    // DataFrame.to_dict) share their key strings, so each is interned once.
    // `None`: a column dropped (`extra_columns="ignore"`).
    let mut keys: Vec<(Bound<'py, PyAny>, Option<Key>)> = Vec::new();
    // Whether some key was given by its French header: then a row may name a key twice.
    let mut mapped = false;
    for (i, row) in rows.try_iter()?.enumerate() {
        let row = row?;
        let n = i + 1;
        let mut cells = Vec::with_capacity(keys.len().max(4));
        let mut cell =
            |k: Bound<'py, PyAny>, v: Bound<'py, PyAny>| -> PyResult<Option<InputError>> {
                let key = match keys.iter().find(|(o, _)| o.is(&k)) {
                    Some((_, key)) => key.clone(),
                    None => {
                        let Ok(text) = k.cast::<PyString>() else {
                            return Ok(Some(shape_error(
                                name,
                                Some(n),
                                format!("{name} row {n}: the key {} is not a string", k.repr()?),
                            )));
                        };
                        let given = text.to_str()?;
                        let key = resolve_key(name, given, conv.ignore_extra);
                        if key.as_deref().is_some_and(|k| k != given) {
                            mapped = true;
                        }
                        if keys.len() < 64 {
                            keys.push((k, key.clone()));
                        }
                        key
                    }
                };
                let Some(key) = key else {
                    return Ok(None);
                };
                if mapped {
                    if let Some(e) = twice(name, Some(n), &cells, &key) {
                        return Ok(Some(e));
                    }
                }
                match conv.value(&v, Origin::Python, &key) {
                    Ok(val) => {
                        cells.push((key, val));
                        Ok(None)
                    }
                    Err(r) => Ok(Some(refused(r, name, n, &key, &v))),
                }
            };
        if let Ok(d) = row.cast::<PyDict>() {
            for (k, v) in d.iter() {
                if let Some(e) = cell(k, v)? {
                    return Ok(Err(e));
                }
            }
        } else if row.hasattr("items")? && !row.is_instance_of::<PyString>() {
            for kv in row.call_method0("items")?.try_iter()? {
                let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = kv?.extract()?;
                if let Some(e) = cell(k, v)? {
                    return Ok(Err(e));
                }
            }
        } else {
            let t = row.get_type().name()?.to_string();
            return Ok(Err(shape_error(
                name,
                Some(n),
                format!("{name} row {n} is a {t}: each row must be a dict of column to value"),
            )));
        }
        out.push(RawRow {
            cells,
            sheet: None,
            sheet_row: 0,
        });
    }
    Ok(Ok(RawTable {
        name: name.to_string(),
        rows: out,
    }))
}

/// A table given as columns: `(key, epoch_days, values)` triples, every `values` a list of
/// `nrows` items. With `epoch_days`, values are days since 1970-01-01 (or `None`).
/// `origin`: where the columns come from (a data frame's missing-value markers are
/// `Null`; the float hint names the fix there).
///
/// # Errors
///
/// As [`rows_table`], and when a column is not a list of `nrows` items.
pub fn columns_table<'py>(
    conv: &Converter<'py>,
    name: &str,
    columns: &Bound<'py, PyAny>,
    nrows: usize,
    origin: Origin,
) -> PyResult<Result<RawTable, InputError>> {
    let mut rows: Vec<RawRow> = Vec::with_capacity(nrows);
    let given: Vec<(String, bool, Bound<'py, PyList>)> = columns.extract()?;
    let mut columns: Vec<(Key, bool, Bound<'py, PyList>)> = Vec::with_capacity(given.len());
    for (text, epoch_days, values) in given {
        let Some(key) = resolve_key(name, &text, conv.ignore_extra) else {
            continue;
        };
        if let Some((other, ..)) = columns.iter().find(|(k, ..)| *k == key) {
            return Ok(Err(shape_error(
                name,
                None,
                format!(
                    "{name}: the columns {other:?} and {text:?} both stand for the key \
                     {key:?} (a column and its French header?): keep one"
                ),
            )));
        }
        columns.push((key, epoch_days, values));
    }
    for _ in 0..nrows {
        rows.push(RawRow {
            cells: Vec::with_capacity(columns.len()),
            sheet: None,
            sheet_row: 0,
        });
    }
    for (key, epoch_days, values) in &columns {
        if values.len() != nrows {
            return Ok(Err(shape_error(
                name,
                None,
                format!(
                    "{name}: column {key:?} has {} values, expected {nrows}",
                    values.len()
                ),
            )));
        }
        for (i, (v, row)) in values.iter().zip(rows.iter_mut()).enumerate() {
            let val = if *epoch_days {
                if v.is_none() {
                    RawValue::Null
                } else {
                    let d: i64 = v.extract()?;
                    if d == i64::MIN {
                        RawValue::Null
                    } else {
                        match date_from_epoch_days(d) {
                            Some(date) => RawValue::Date(date),
                            None => {
                                let r = value_refusal(format!("date out of range ({d} days)"));
                                return Ok(Err(refused(r, name, i + 1, key, &v)));
                            }
                        }
                    }
                }
            } else {
                match conv.value(&v, origin, key) {
                    Ok(val) => val,
                    Err(r) => return Ok(Err(refused(r, name, i + 1, key, &v))),
                }
            };
            row.cells.push((key.clone(), val));
        }
    }
    Ok(Ok(RawTable {
        name: name.to_string(),
        rows,
    }))
}

/// The whole scenario from Python tables: a sequence of `(name, rows)` or
/// `(name, columns, nrows, from_frame)` tuples (see [`rows_table`] and [`columns_table`]).
/// Columns are named by their key or the Excel template's French header; with
/// `ignore_extra`, columns that name no key of their table are dropped.
///
/// # Errors
///
/// As [`rows_table`] and [`columns_table`]; a `TypeError` for a malformed table spec.
pub fn raw_scenario<'py>(
    py: Python<'py>,
    tables: &Bound<'py, PyAny>,
    nulls: &Bound<'py, PyTuple>,
    ignore_extra: bool,
) -> PyResult<Result<RawScenario, InputError>> {
    let mut conv = Converter::new(py, nulls)?;
    conv.ignore_extra = ignore_extra;
    let mut out = RawScenario::default();
    for spec in tables.try_iter()? {
        let spec = spec?.cast_into::<PyTuple>()?;
        let name: String = spec.get_item(0)?.extract()?;
        let table = match spec.len() {
            2 => rows_table(&conv, &name, &spec.get_item(1)?)?,
            4 => columns_table(
                &conv,
                &name,
                &spec.get_item(1)?,
                spec.get_item(2)?.extract()?,
                Origin::parse(&spec.get_item(3)?)?,
            )?,
            n => {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "table spec of {n} items (expected 2 or 4)"
                )))
            }
        };
        match table {
            Ok(t) => out.tables.push(t),
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_decimal_texts() {
        let p = |s: &str| parse_py_decimal(s).map(|d| d.to_string());
        assert_eq!(p("0"), Some("0".into()));
        assert_eq!(p("-0.00"), Some("0.00".into()));
        assert_eq!(p("0E-7"), Some("0.0000000".into()));
        assert_eq!(p("1.5E+2"), Some("150.0".into()));
        assert_eq!(
            p("12345678901234567890.12345678"),
            Some("12345678901234567890.12345678".into())
        );
        assert_eq!(p("0E-40"), Some("0".into()));
        assert_eq!(p("1E-40"), None);
        assert_eq!(p("1E+40"), None);
        assert_eq!(p("sNaN"), None);
        assert_eq!(p("Infinity"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("E5"), None);
    }

    fn convert_rows(code: &str) -> Result<RawTable, InputError> {
        Python::initialize();
        Python::attach(|py| {
            let code = std::ffi::CString::new(code).unwrap();
            let rows = py.eval(&code, None, None).unwrap();
            let conv = Converter::new(py, &PyTuple::empty(py)).unwrap();
            rows_table(&conv, "t", &rows).unwrap()
        })
    }

    #[test]
    fn python_values_become_raw_values() {
        let t = convert_rows(
            "[{'s': 'x', 'i': 3, 'b': True, 'n': None, 'd': __import__('decimal').Decimal('1.50'), \
             'day': __import__('datetime').date(2025, 3, 3), 'big': 10**20}]",
        )
        .unwrap();
        let row = &t.rows[0];
        assert_eq!(row.get("s"), Some(&RawValue::Text("x".into())));
        assert_eq!(row.get("i"), Some(&RawValue::Int(3)));
        assert_eq!(row.get("b"), Some(&RawValue::Bool(true)));
        assert_eq!(row.get("n"), Some(&RawValue::Null));
        assert_eq!(
            row.get("d"),
            Some(&RawValue::Decimal(Decimal::from_str("1.50").unwrap()))
        );
        assert_eq!(
            row.get("day"),
            Some(&RawValue::Date(
                NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
            ))
        );
        assert_eq!(
            row.get("big"),
            Some(&RawValue::Decimal(
                Decimal::from_str("100000000000000000000").unwrap()
            ))
        );
    }

    #[test]
    fn refused_values_say_where_and_why() {
        let e = convert_rows("[{'a': '1'}, {'a': '2', 'amount': 0.5}]").unwrap_err();
        assert!(e.type_error);
        assert_eq!(e.location.table.as_deref(), Some("t"));
        assert_eq!(e.location.row, Some(2));
        assert_eq!(e.location.key.as_deref(), Some("amount"));
        assert_eq!(e.location.value.as_deref(), Some("0.5"));
        assert!(e.message.contains("Decimal"), "{}", e.message);
        let e = convert_rows("[{'d': __import__('decimal').Decimal('NaN')}]").unwrap_err();
        assert!(!e.type_error && e.message.contains("NaN"), "{}", e.message);
        let e = convert_rows("[{'d': __import__('datetime').datetime(2025, 1, 1)}]").unwrap_err();
        assert!(
            e.type_error && e.message.contains("datetime.date"),
            "{}",
            e.message
        );
        let e = convert_rows("[['not', 'a', 'dict']]").unwrap_err();
        assert!(e.type_error && e.message.contains("dict"), "{}", e.message);
    }

    #[test]
    fn an_error_is_never_lost() {
        // Without the Python package (cargo test), the exception class cannot be imported:
        // the message still reaches Python, as a RuntimeError.
        Python::initialize();
        Python::attach(|py| {
            let err = crate::errors::to_py(
                py,
                &mecenat::Error::Json {
                    message: "EOF at line 1".into(),
                },
            );
            assert!(err.to_string().contains("EOF at line 1"), "{err}");
        });
    }

    #[test]
    fn epoch_days() {
        assert_eq!(
            date_from_epoch_days(-1).unwrap(),
            NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()
        );
        assert!(date_from_epoch_days(i64::MAX).is_none());
        assert!(date_from_epoch_days(i64::MIN + 1).is_none());
    }
}
