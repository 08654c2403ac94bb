//! From [`mecenat::Error`] to the Python exception hierarchy of `mecenat._errors`.
//!
//! The exception classes are plain Python classes (`python/mecenat/_errors.py`), so that
//! they carry typed attributes, docstrings and pickling; this module imports them once and
//! instantiates them with keyword arguments.
//!
//! | Rust | Python |
//! |---|---|
//! | `Error::Json`, `Error::Scenario` | `ScenarioError` (also a `ValueError`) |
//! | a float, a datetime, an unsupported type in a table | `InputTypeError` (a `ScenarioError` and a `TypeError`) |
//! | `Error::Parameter` | `ParameterError` |
//! | `Error::Strict` | `StrictError` |
//! | `Error::Io` | `FileError` (also an `OSError`) |

use mecenat::{Error, Location};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let m = ERRORS.get_or_try_init(py, || py.import("mecenat._errors").map(Bound::unbind))?;
    Ok(m.bind(py).getattr(name)?.cast_into::<PyType>()?)
}

/// Builds an exception of `mecenat._errors` from its class name, message and keyword
/// attributes. If the class cannot be found (the package is broken), a `RuntimeError`
/// saying so carries the message instead: an error is never lost.
fn make(py: Python<'_>, name: &str, message: &str, kwargs: &Bound<'_, PyDict>) -> PyErr {
    let built = class(py, name).and_then(|c| c.call((message,), Some(kwargs)));
    match built {
        Ok(v) => PyErr::from_value(v),
        Err(e) => PyRuntimeError::new_err(format!(
            "{message} (and mecenat._errors.{name} could not be raised: {e})"
        )),
    }
}

fn location_kwargs<'py>(py: Python<'py>, loc: &Location) -> PyResult<Bound<'py, PyDict>> {
    let kw = PyDict::new(py);
    kw.set_item("table", loc.table.as_deref())?;
    kw.set_item("row", loc.row)?;
    kw.set_item("key", loc.key.as_deref())?;
    kw.set_item("cell", loc.cell.as_deref())?;
    kw.set_item("value", loc.value.as_deref())?;
    Ok(kw)
}

/// Converts a core error to the matching Python exception.
pub fn to_py(py: Python<'_>, e: &Error) -> PyErr {
    let message = e.to_string();
    let kw = || -> PyResult<Bound<'_, PyDict>> {
        Ok(match e {
            Error::Scenario { location, .. } => location_kwargs(py, location)?,
            Error::Json { .. } => location_kwargs(py, &Location::default())?,
            Error::Parameter { parameter, .. } => {
                let kw = PyDict::new(py);
                kw.set_item("parameter", parameter)?;
                kw
            }
            Error::Strict { count, first } => {
                let kw = PyDict::new(py);
                kw.set_item("count", count)?;
                kw.set_item("first", first)?;
                kw
            }
            Error::Io { path, message } => {
                let kw = PyDict::new(py);
                kw.set_item("path", path)?;
                kw.set_item("errno", os_error_code(message))?;
                kw
            }
            _ => PyDict::new(py),
        })
    };
    let name = match e {
        Error::Scenario { .. } | Error::Json { .. } => "ScenarioError",
        Error::Parameter { .. } => "ParameterError",
        Error::Strict { .. } => "StrictError",
        Error::Io { .. } => "FileError",
        _ => "MecenatError",
    };
    match kw() {
        Ok(kw) => make(py, name, &message, &kw),
        Err(err) => err,
    }
}

/// The OS error number of an I/O error's message (`"No such file or directory (os error
/// 2)"`, as `std::io::Error` displays it), so that Python raises `FileNotFoundError`,
/// `PermissionError`… (`FileError` subclasses).
///
/// STOPGAP: the core's `Error::Io` carries only the path and the message; once it carries
/// the `io::ErrorKind` or the raw OS error, take it from there instead of the text.
///
/// # Examples
///
/// ```
/// use _mecenat::errors::os_error_code;
/// assert_eq!(os_error_code("No such file or directory (os error 2)"), Some(2));
/// assert_eq!(os_error_code("invalid zip (os error x)"), None);
/// assert_eq!(os_error_code("unexpected end of file"), None);
/// ```
pub fn os_error_code(message: &str) -> Option<i32> {
    let at = message.rfind("(os error ")?;
    let rest = &message[at + "(os error ".len()..];
    let end = rest.find(')')?;
    rest[..end].parse().ok()
}

/// The OS error number of "file exists" (Linux, macOS and Windows' C runtime agree).
pub const EEXIST: i32 = 17;

/// An internal defect (a panic caught at the boundary), as a `MecenatError`.
pub fn internal(py: Python<'_>, what: &str) -> PyErr {
    make(
        py,
        "MecenatError",
        &format!("internal error in mecenat (a defect, please report it): {what}"),
        &PyDict::new(py),
    )
}

/// A problem with one input value, found while reading Python tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// `true`: the value's type is wrong (`InputTypeError`, a `TypeError`); `false`: the
    /// value is of an accepted type but unusable (`ScenarioError`, a `ValueError`).
    pub type_error: bool,
    /// What is wrong and what to pass instead.
    pub message: String,
    /// Where.
    pub location: Location,
}

impl InputError {
    /// Converts to the Python exception.
    pub fn to_py(&self, py: Python<'_>) -> PyErr {
        let name = if self.type_error {
            "InputTypeError"
        } else {
            "ScenarioError"
        };
        match location_kwargs(py, &self.location) {
            Ok(kw) => make(py, name, &self.message, &kw),
            Err(e) => e,
        }
    }
}
