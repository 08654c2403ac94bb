//! Tables between the core and Python: the report's lists as Arrow chunks ([`report_arrow`],
//! [`arrow_tuple`]) and a raw scenario's tables as rows of Python values ([`raw_to_py`]).

use chrono::Datelike;
use mecenat::{RawScenario, RawValue, Report};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::arrow::{self, ArrowError, Column, Plan, Values};

/// Lists at least this long are built in two halves, one per core.
const SPLIT_AT: usize = 1 << 16;

/// The field `name` of the report as Arrow chunks (one, or two halves built side by side
/// for the entries of a large report); `None` when the report has no such list.
///
/// # Errors
///
/// As [`arrow::table`].
pub fn report_arrow(
    r: &Report,
    name: &str,
    plan: &Plan,
) -> Result<Option<Vec<Vec<Column>>>, ArrowError> {
    if name == "entries" && r.entries.len() >= SPLIT_AT {
        let half = r.entries.len() / 2;
        let (a, b) = r.entries.split_at(half);
        return std::thread::scope(|scope| {
            let second = scope.spawn(|| arrow::table(b, plan));
            let first = arrow::table(a, plan)?;
            let second = second
                .join()
                .map_err(|_| ArrowError("the second half's thread failed".into()))??;
            Ok(Some(vec![first, second]))
        });
    }
    Ok(arrow::field_table(r, name, plan)?.map(|c| vec![c]))
}

/// One column as the tuple the Python side reads: `(name, kind, len, nulls, validity,
/// data, offsets, large, scale, extra)`, buffers as bytes (`None` when absent), `extra`
/// the dictionary of a `dict` column or the JSON texts of a `json` column.
///
/// # Errors
///
/// On object creation.
pub fn arrow_tuple(py: Python<'_>, c: Column) -> PyResult<Bound<'_, PyTuple>> {
    let validity = (!c.validity.is_empty()).then(|| PyBytes::new(py, &c.validity));
    drop(c.validity);
    let none = || py.None().into_bound(py);
    let (data, offsets, large, extra) = match c.values {
        Values::Fixed(v) => (PyBytes::new(py, &v).into_any(), none(), false, none()),
        Values::Text {
            offsets,
            data,
            large,
        } => (
            PyBytes::new(py, &data).into_any(),
            PyBytes::new(py, &offsets).into_any(),
            large,
            none(),
        ),
        Values::Dict { indices, values } => (
            PyBytes::new(py, &indices).into_any(),
            none(),
            false,
            PyList::new(py, values)?.into_any(),
        ),
        Values::Json(texts) => (none(), none(), false, PyList::new(py, texts)?.into_any()),
    };
    PyTuple::new(
        py,
        [
            c.name.into_bound_py_any(py)?,
            c.kind.code().into_bound_py_any(py)?,
            c.len.into_bound_py_any(py)?,
            c.nulls.into_bound_py_any(py)?,
            validity.map_or_else(none, Bound::into_any),
            data,
            offsets,
            large.into_bound_py_any(py)?,
            c.scale.into_bound_py_any(py)?,
            extra,
        ],
    )
}

/// A raw value as Python: `None`, `bool`, `int`, `str`, `decimal.Decimal`,
/// `datetime.date`, `float` (a float that validation refuses, kept as given).
fn value<'py>(
    py: Python<'py>,
    decimal: &Bound<'py, PyAny>,
    v: &RawValue,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        RawValue::Null => py.None().into_bound(py),
        RawValue::Bool(b) => b.into_bound_py_any(py)?,
        RawValue::Int(i) => i.into_bound_py_any(py)?,
        RawValue::Text(t) => t.into_bound_py_any(py)?,
        RawValue::Decimal(d) => decimal.call1((d.to_string(),))?,
        RawValue::Date(d) => {
            pyo3::types::PyDate::new(py, d.year(), d.month() as u8, d.day() as u8)?.into_any()
        }
        RawValue::Float(x) => x.into_bound_py_any(py)?,
    })
}

/// The tables of a raw scenario as `(name, rows)`, each row a dict of its cells in input
/// order.
///
/// # Errors
///
/// On object creation.
pub fn raw_to_py<'py>(
    py: Python<'py>,
    raw: &RawScenario,
) -> PyResult<Vec<(String, Bound<'py, PyList>)>> {
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    let mut out = Vec::with_capacity(raw.tables.len());
    for t in &raw.tables {
        let rows = PyList::empty(py);
        for r in &t.rows {
            let d = PyDict::new(py);
            for (k, v) in &r.cells {
                d.set_item(k.as_ref(), value(py, &decimal, v)?)?;
            }
            rows.append(d)?;
        }
        out.push((t.name.clone(), rows));
    }
    Ok(out)
}
