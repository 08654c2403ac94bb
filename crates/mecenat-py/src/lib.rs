//! Python bindings of mecenat: the `mecenat._mecenat` extension module.
//!
//! Thin by design: scenarios are read by the core ([`mecenat::RawScenario`] from JSON,
//! Excel or Python tables, validated by [`mecenat::Scenario::from_raw`]); the report is
//! the core's [`mecenat::Report`], handed to Python field by field ([`topy`]). The public
//! Python API (`python/mecenat/`) wraps these classes with typed results, data-frame
//! conversions and docstrings. Every computation runs with the interpreter released, and
//! no panic crosses into Python (pyo3 turns one into `PanicException`; the core returns
//! errors instead of panicking).

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyTuple};

pub mod arrow;
pub mod convert;
pub mod errors;
// The crate's only `unsafe` code: a new `str`'s characters written in place.
#[allow(unsafe_code)]
pub mod pystr;
pub mod state;
pub mod tables;
pub mod topy;

/// A validated scenario (`mecenat._mecenat.Scenario`).
#[pyclass(frozen, module = "mecenat._mecenat", name = "Scenario")]
pub struct PyScenario {
    inner: Arc<mecenat::Scenario>,
    /// For scenarios built from Python tables, their raw tables as compact bytes
    /// ([`state`]): the pickled state (a few times smaller than the raw tables, which are
    /// dropped). Scenarios from JSON or a workbook are pickled as their source bytes
    /// (python/mecenat), so they keep nothing here.
    state: Option<Arc<Vec<u8>>>,
}

/// Runs core work with the interpreter released. A core error becomes its Python
/// exception; a panic (a defect: the core is tested not to panic) is caught here and
/// becomes a `MecenatError` instead of crossing into Python as a `PanicException`.
fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, mecenat::Error> + Send,
) -> PyResult<T> {
    match py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(errors::to_py(py, &e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(errors::internal(py, &what))
        }
    }
}

fn validated(py: Python<'_>, raw: mecenat::RawScenario) -> PyResult<PyScenario> {
    let s = detached(py, move || mecenat::Scenario::from_raw(&raw))?;
    Ok(PyScenario {
        inner: Arc::new(s),
        state: None,
    })
}

/// Validates raw tables and keeps them as compact bytes (for pickling).
fn validated_keeping(py: Python<'_>, raw: mecenat::RawScenario) -> PyResult<PyScenario> {
    let (s, state) = detached(py, move || {
        let s = mecenat::Scenario::from_raw(&raw)?;
        let state = state::encode(&raw).map_err(|message| mecenat::Error::Io {
            path: "(scenario state)".into(),
            message,
        })?;
        Ok((s, state))
    })?;
    Ok(PyScenario {
        inner: Arc::new(s),
        state: Some(Arc::new(state)),
    })
}

fn text_or_bytes(v: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = v.cast::<PyString>() {
        Ok(s.to_str()?.as_bytes().to_vec())
    } else if let Ok(b) = v.cast::<PyBytes>() {
        Ok(b.as_bytes().to_vec())
    } else {
        v.extract::<Vec<u8>>()
    }
}

#[pymethods]
impl PyScenario {
    /// Reads and validates a scenario from JSON text (str or bytes).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes = text_or_bytes(text)?;
        let raw = detached(py, move || mecenat::RawScenario::from_json_slice(&bytes))?;
        validated(py, raw)
    }

    /// Reads and validates a scenario file (`.json`).
    #[staticmethod]
    fn read_json(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let s = detached(py, move || mecenat::read_json_file(&path))?;
        Ok(PyScenario {
            inner: Arc::new(s),
            state: None,
        })
    }

    /// Builds and validates a scenario from Python tables: a sequence of `(name, rows)`
    /// or `(name, columns, nrows, from_frame)` tuples; `nulls` are the objects meaning
    /// "missing" in data frames (compared by identity); `ignore_extra`: drop the columns
    /// that name no key of their table.
    #[staticmethod]
    #[pyo3(signature = (tables, nulls, ignore_extra = false))]
    fn from_tables(
        py: Python<'_>,
        tables: &Bound<'_, PyAny>,
        nulls: &Bound<'_, PyTuple>,
        ignore_extra: bool,
    ) -> PyResult<Self> {
        match convert::raw_scenario(py, tables, nulls, ignore_extra)? {
            Ok(raw) => validated_keeping(py, raw),
            Err(e) => Err(e.to_py(py)),
        }
    }

    /// The pickled state of a scenario built from Python tables: its raw tables as
    /// compact bytes (`None` for a scenario read from JSON or a workbook).
    fn tables_state<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.state.as_ref().map(|b| PyBytes::new(py, b))
    }

    /// A scenario from [`PyScenario::tables_state`]'s bytes, validated again.
    #[staticmethod]
    fn from_tables_state(py: Python<'_>, data: &Bound<'_, PyBytes>) -> PyResult<Self> {
        let bytes = data.as_bytes();
        let raw = py
            .detach(|| state::decode(bytes))
            .map_err(PyValueError::new_err)?;
        validated_keeping(py, raw)
    }

    /// Whether two scenarios hold the same validated tables.
    fn __eq__(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || *self.inner == *other.inner
    }

    /// Reads and validates a scenario workbook (`.xlsx`).
    #[staticmethod]
    fn read_excel(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let raw = detached(py, move || {
            mecenat_xlsx::read_scenario(&path, &mecenat_xlsx::Limits::default())
        })?;
        validated(py, raw)
    }

    /// Reads and validates a scenario workbook from its bytes.
    #[staticmethod]
    fn from_excel_bytes(py: Python<'_>, data: &Bound<'_, PyBytes>) -> PyResult<Self> {
        let bytes = data.as_bytes();
        let raw = detached(py, || {
            mecenat_xlsx::read_scenario_bytes(bytes, &mecenat_xlsx::Limits::default())
        })?;
        validated(py, raw)
    }

    /// Rows read per table, in input order.
    fn row_counts(&self) -> Vec<(String, usize)> {
        self.inner.row_counts.clone()
    }

    /// Rows rejected while typing the tables, as dicts.
    fn rejections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        topy::to_py(py, self.inner.rejections())
    }

    fn __repr__(&self) -> String {
        let counts: Vec<String> = self
            .inner
            .row_counts
            .iter()
            .map(|(t, n)| format!("{t}={n}"))
            .collect();
        format!("<mecenat.Scenario {}>", counts.join(" "))
    }
}

/// Refuses an output `out` that is the scenario's own file `input` (the same path, or a
/// symbolic or hard link to it), as the command line does: a scenario is never replaced
/// by a report.
fn refuse_input(
    input: Option<&std::path::Path>,
    out: &std::path::Path,
) -> Result<(), mecenat::Error> {
    match input {
        Some(input) if mecenat::fsio::same_file(input, out) => Err(mecenat::Error::Io {
            path: out.display().to_string(),
            message: format!(
                "is the scenario being read ({}): mecenat never writes over its input; \
                 choose another output file",
                input.display()
            ),
        }),
        _ => Ok(()),
    }
}

/// An I/O error of a writer (named "(output)") named after the file `path` instead.
fn named(e: mecenat::Error, path: &std::path::Path) -> mecenat::Error {
    match e {
        mecenat::Error::Io { message, .. } => mecenat::Error::Io {
            path: path.display().to_string(),
            message,
        },
        other => other,
    }
}

/// Writes `data` to the file `path` atomically, never over `input` (as
/// `Report.write_json`): for the reports read back from their JSON (unpickled).
#[pyfunction]
#[pyo3(signature = (path, data, input = None))]
fn write_file(
    py: Python<'_>,
    path: PathBuf,
    data: &Bound<'_, PyBytes>,
    input: Option<PathBuf>,
) -> PyResult<()> {
    let data = data.as_bytes().to_vec();
    detached(py, move || {
        refuse_input(input.as_deref(), &path)?;
        mecenat::fsio::atomic_write(&path, |w| {
            std::io::Write::write_all(w, &data).map_err(|e| mecenat::fsio::io_error(&path, &e))
        })
    })
}

/// A file of the journal for Python: its name, its bytes, the note on its name.
type NamedFile<'py> = (String, Bound<'py, PyBytes>, Option<String>);

/// A computed report (`mecenat._mecenat.Report`).
#[pyclass(frozen, module = "mecenat._mecenat", name = "Report")]
pub struct PyReport {
    report: Arc<mecenat::Report>,
}

#[pymethods]
impl PyReport {
    /// The report as JSON text (every field described in docs/report.md): written into
    /// the `str` as the report's writer renders it, with the interpreter released
    /// ([`pystr::JsonStr`]).
    /// `ensure_ascii`: every character beyond ASCII escaped (`\\u00e9`), as `json.dumps`
    /// writes it by default.
    #[pyo3(signature = (pretty = true, ensure_ascii = false))]
    fn to_json<'py>(
        &self,
        py: Python<'py>,
        pretty: bool,
        ensure_ascii: bool,
    ) -> PyResult<Bound<'py, PyString>> {
        let r = Arc::clone(&self.report);
        #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
        {
            let text = detached(py, move || {
                let mut text = if ensure_ascii {
                    pystr::JsonStr::ascii()
                } else {
                    pystr::JsonStr::new()
                };
                r.json_pieces(pretty, |piece| text.take(piece))?;
                Ok(text)
            })?;
            text.finish(py)
        }
        #[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
        {
            let text = detached(py, move || {
                let mut out = Vec::with_capacity(1 << 20);
                r.write_json(&mut out, pretty)?;
                Ok(out)
            })?;
            let text = if ensure_ascii {
                pystr::ascii_escaped(text)?
            } else {
                text
            };
            let text = String::from_utf8(text)
                .map_err(|e| errors::internal(py, &format!("the JSON report is not UTF-8: {e}")))?;
            Ok(PyString::new(py, &text))
        }
    }

    /// The report as JSON bytes (UTF-8), compact by default: its pickled state.
    #[pyo3(signature = (pretty = false))]
    fn json_bytes<'py>(&self, py: Python<'py>, pretty: bool) -> PyResult<Bound<'py, PyBytes>> {
        let r = Arc::clone(&self.report);
        let bytes = detached(py, move || {
            let mut out = Vec::with_capacity(1 << 16);
            r.write_json(&mut out, pretty)?;
            Ok(out)
        })?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Whether two reports hold the same figures.
    fn __eq__(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.report, &other.report) || *self.report == *other.report
    }

    /// Writes the report as JSON to a file, atomically (a temporary file renamed into
    /// place: see `mecenat::fsio::atomic_write`); `input`, the scenario's own file when it
    /// was read from one, is never written over.
    #[pyo3(signature = (path, pretty = true, input = None))]
    fn write_json(
        &self,
        py: Python<'_>,
        path: PathBuf,
        pretty: bool,
        input: Option<PathBuf>,
    ) -> PyResult<()> {
        let r = Arc::clone(&self.report);
        detached(py, move || {
            refuse_input(input.as_deref(), &path)?;
            mecenat::fsio::atomic_write(&path, |w| {
                r.write_json(w, pretty).map_err(|e| named(e, &path))
            })
        })
    }

    /// The names of the report's fields, in the JSON order.
    fn field_names(&self, py: Python<'_>) -> PyResult<Vec<&'static str>> {
        topy::field_names(py, &*self.report)
    }

    /// One field of the report as plain Python objects (dicts, lists, str, int, bool,
    /// None), as `json.loads` would give it.
    fn field<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        topy::field_object(py, &*self.report, name)?
            .ok_or_else(|| PyKeyError::new_err(name.to_string()))
    }

    /// The number of records of one list field of the report (cheap: nothing converted).
    fn length(&self, py: Python<'_>, name: &str) -> PyResult<usize> {
        topy::field_len(py, &*self.report, name)?
            .ok_or_else(|| PyKeyError::new_err(name.to_string()))
    }

    /// One list field of the report as columns: `(name, values)` pairs, nested objects
    /// flattened with dotted names; values as in the JSON (money as exact text).
    fn columns<'py>(&self, py: Python<'py>, name: &str) -> PyResult<topy::NamedColumns<'py>> {
        topy::field_columns(py, &*self.report, name)?
            .ok_or_else(|| PyKeyError::new_err(name.to_string()))
    }

    /// The report workbook (.xlsx) as bytes.
    fn excel_bytes<'py>(&self, py: Python<'py>, lang: &str) -> PyResult<Bound<'py, PyBytes>> {
        let lang = parse_lang(lang)?;
        let r = Arc::clone(&self.report);
        let bytes = detached(py, move || mecenat_xlsx::report_bytes(&r, lang))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Writes the report workbook (.xlsx) to a file.
    fn write_excel(&self, py: Python<'_>, path: PathBuf, lang: &str) -> PyResult<()> {
        let lang = parse_lang(lang)?;
        let r = Arc::clone(&self.report);
        detached(py, move || mecenat_xlsx::write_report(&r, lang, &path))
    }

    /// The annex on contributions in kind as a document: `format` `"text"` or
    /// `"markdown"`, for one beneficiary (by id) or all; empty when there is none.
    #[pyo3(signature = (beneficiary = None, format = "text"))]
    fn annex_document(&self, beneficiary: Option<&str>, format: &str) -> PyResult<String> {
        let format = match format {
            "text" => mecenat::assoc::AnnexFormat::Text,
            "markdown" => mecenat::assoc::AnnexFormat::Markdown,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "format {other:?}: expected \"text\" or \"markdown\""
                )))
            }
        };
        Ok(mecenat::assoc::annex_document(
            &self.report,
            beneficiary,
            format,
        ))
    }

    /// One list field of the report as Arrow column buffers (see [`arrow`]), built with
    /// the interpreter released: chunks of rows (two for a large `entries`), each a list
    /// of `(name, kind, len, nulls, validity, data, offsets, large, scale, extra)`
    /// columns; `leaves` and `spread` are the plan's `(path, kind)` pairs.
    fn arrow_columns<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        leaves: Vec<(String, String)>,
        spread: Vec<(String, String)>,
    ) -> PyResult<Vec<Vec<Bound<'py, PyTuple>>>> {
        let kind = |(p, k): (String, String)| {
            arrow::Kind::parse(&k)
                .map(|k| (p, k))
                .ok_or_else(|| PyValueError::new_err(format!("unknown column kind {k:?}")))
        };
        let leaves = leaves.into_iter().map(kind).collect::<PyResult<Vec<_>>>()?;
        let spread = spread.into_iter().map(kind).collect::<PyResult<Vec<_>>>()?;
        let plan = arrow::Plan::new(leaves, spread);
        let r = Arc::clone(&self.report);
        let name_owned = name.to_string();
        let cols = py
            .detach(move || tables::report_arrow(&r, &name_owned, &plan))
            .map_err(|e| errors::internal(py, &e.0))?
            .ok_or_else(|| PyKeyError::new_err(name.to_string()))?;
        cols.into_iter()
            .map(|chunk| {
                chunk
                    .into_iter()
                    .map(|c| tables::arrow_tuple(py, c))
                    .collect()
            })
            .collect()
    }

    /// The French text summary (as `mecenat compute` prints it on a terminal).
    fn summary(&self, py: Python<'_>) -> String {
        let r = Arc::clone(&self.report);
        py.detach(move || r.to_text())
    }

    /// The class-8 journal as FEC-like text (semicolons, `1234,50`), for one beneficiary
    /// or all (as `mecenat journal` writes it).
    #[pyo3(signature = (beneficiary = None))]
    fn journal_fec(&self, py: Python<'_>, beneficiary: Option<String>) -> String {
        let r = Arc::clone(&self.report);
        py.detach(move || mecenat::assoc::journal_fec(&r, beneficiary.as_deref()))
    }

    /// The class-8 journal as one file per beneficiary and calendar year, as `mecenat
    /// journal -f fec|paheko` writes them: `(name, bytes, note)` triples, nothing written.
    /// `scenario` is the one the report was computed from (its beneficiaries' SIREN or
    /// RNA name the files); `note` says why a name does not follow the rule.
    #[pyo3(signature = (scenario, format, beneficiary = None))]
    fn journal_files<'py>(
        &self,
        py: Python<'py>,
        scenario: &PyScenario,
        format: &str,
        beneficiary: Option<String>,
    ) -> PyResult<Vec<NamedFile<'py>>> {
        let format = parse_journal_format(format)?;
        let r = Arc::clone(&self.report);
        let s = Arc::clone(&scenario.inner);
        let files = py.detach(move || journal_files(&r, &s, format, beneficiary.as_deref()));
        Ok(files
            .into_iter()
            .map(|f| (f.name, PyBytes::new(py, &f.bytes), f.note))
            .collect())
    }

    /// Writes [`PyReport::journal_files`]'s files into `dir` (created if missing), each
    /// atomically, and returns `(path, note)` pairs. Nothing is written when a file is in
    /// the way: a symbolic link always, an existing file unless `force` (then the error
    /// carries EEXIST, a `FileExistsError` in Python).
    #[pyo3(signature = (scenario, dir, format, beneficiary = None, force = false))]
    fn write_journal(
        &self,
        py: Python<'_>,
        scenario: &PyScenario,
        dir: PathBuf,
        format: &str,
        beneficiary: Option<String>,
        force: bool,
    ) -> PyResult<Vec<(String, Option<String>)>> {
        let format = parse_journal_format(format)?;
        let r = Arc::clone(&self.report);
        let s = Arc::clone(&scenario.inner);
        detached(py, move || {
            let files = journal_files(&r, &s, format, beneficiary.as_deref());
            write_journal_files(&dir, files, force)
        })
    }

    /// Writes one PDF receipt per receipt of the report into `dir` (created if missing)
    /// and returns the paths written; existing files are refused unless `force`.
    /// `hide_employee_values` prints each employee's name and time without their value
    /// (the total stays).
    #[pyo3(signature = (dir, force = false, hide_employee_values = false))]
    fn write_receipts(
        &self,
        py: Python<'_>,
        dir: PathBuf,
        force: bool,
        hide_employee_values: bool,
    ) -> PyResult<Vec<String>> {
        let r = Arc::clone(&self.report);
        let paths = detached(py, move || {
            // Files in the way make the refusal a FileExistsError (EEXIST) in Python.
            let in_the_way = !force
                && r.receipts.iter().enumerate().any(|(i, rc)| {
                    std::fs::symlink_metadata(dir.join(mecenat_pdf::receipt_file_name(i + 1, rc)))
                        .is_ok()
                });
            let opts = mecenat_pdf::WriteOptions {
                force,
                hide_employee_values,
            };
            mecenat_pdf::write_receipts_with(&r, &dir, &opts).map_err(|e| match e {
                mecenat::Error::Io { path, message } if in_the_way => mecenat::Error::Io {
                    path,
                    message: format!("{message} (os error {})", errors::EEXIST),
                },
                other => other,
            })
        })?;
        Ok(paths.iter().map(|p| p.display().to_string()).collect())
    }

    /// The PDF of the receipt at `index` (0-based, the report's order) and its file name.
    fn receipt_pdf<'py>(
        &self,
        py: Python<'py>,
        index: usize,
    ) -> PyResult<(String, Bound<'py, PyBytes>)> {
        let r = Arc::clone(&self.report);
        let Some(receipt) = self.report.receipts.get(index) else {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "no receipt {index} (the report has {})",
                self.report.receipts.len()
            )));
        };
        let file = mecenat_pdf::receipt_file_name(index + 1, receipt);
        let pdf = detached(py, move || mecenat_pdf::receipt_pdf(&r.receipts[index]))?;
        Ok((file, PyBytes::new(py, &pdf)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<mecenat.Report fiscal_years={} entries={} receipts={} rejected={}>",
            self.report.fiscal_years.len(),
            self.report.entries.len(),
            self.report.receipts.len(),
            self.report.rejected.len()
        )
    }
}

/// Computes the report of a scenario, the interpreter released meanwhile.
///
/// `cap_method`: `"rate"` or `"period"` (None: the scenario's setting, else `"rate"`);
/// `strict`: fail with `StrictError` when any row is rejected.
#[pyfunction]
#[pyo3(signature = (scenario, cap_method = None, strict = false))]
fn compute(
    py: Python<'_>,
    scenario: &PyScenario,
    cap_method: Option<&str>,
    strict: bool,
) -> PyResult<PyReport> {
    let cap_method = cap_method
        .map(str::parse::<mecenat::CapMethod>)
        .transpose()
        .map_err(PyValueError::new_err)?;
    let opts = mecenat::Options { cap_method, strict };
    let s = Arc::clone(&scenario.inner);
    let report = detached(py, || mecenat::compute(&s, &opts))?;
    Ok(PyReport {
        report: Arc::new(report),
    })
}

/// The per-beneficiary formats of the journal.
#[derive(Clone, Copy)]
enum JournalFormat {
    Fec,
    Paheko,
}

fn parse_journal_format(format: &str) -> PyResult<JournalFormat> {
    match format {
        "fec" => Ok(JournalFormat::Fec),
        "paheko" => Ok(JournalFormat::Paheko),
        _ => Err(PyValueError::new_err(format!(
            "format must be \"fec\" or \"paheko\", not {format:?}"
        ))),
    }
}

fn journal_files(
    r: &mecenat::Report,
    s: &mecenat::Scenario,
    format: JournalFormat,
    only: Option<&str>,
) -> Vec<mecenat::assoc::JournalFile> {
    match format {
        JournalFormat::Fec => mecenat::assoc::journal_fec_files(r, &s.beneficiaries, only),
        JournalFormat::Paheko => mecenat::assoc::journal_paheko_files(r, &s.beneficiaries, only),
    }
}

/// Writes journal files into `dir` as `mecenat journal` does: nothing when one is in the
/// way (a symbolic link always, an existing file unless `force`), each atomically.
fn write_journal_files(
    dir: &std::path::Path,
    files: Vec<mecenat::assoc::JournalFile>,
    force: bool,
) -> Result<Vec<(String, Option<String>)>, mecenat::Error> {
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes.as_slice()))
        .collect();
    let suffix = format!(" (os error {})", errors::EEXIST);
    let new = mecenat::fsio::NewFiles {
        what: "journal file(s)",
        force_hint: "force=True replaces them",
        exists_suffix: &suffix,
        force,
    };
    let paths = mecenat::fsio::write_new_files(dir, &named, &new, |_| Ok(()))?;
    let out = (paths.into_iter().zip(files))
        .map(|(p, f)| (p.display().to_string(), f.note))
        .collect();
    Ok(out)
}

fn parse_lang(lang: &str) -> PyResult<mecenat_xlsx::Lang> {
    match lang {
        "fr" => Ok(mecenat_xlsx::Lang::Fr),
        "en" => Ok(mecenat_xlsx::Lang::En),
        _ => Err(PyValueError::new_err(format!(
            "lang must be \"fr\" or \"en\", not {lang:?}"
        ))),
    }
}

/// The empty input template (.xlsx) as bytes.
#[pyfunction]
fn template_bytes<'py>(py: Python<'py>, lang: &str) -> PyResult<Bound<'py, PyBytes>> {
    let lang = parse_lang(lang)?;
    let bytes = detached(py, move || mecenat_xlsx::template_bytes(lang))?;
    Ok(PyBytes::new(py, &bytes))
}

/// Writes the empty input template (.xlsx) to a file.
#[pyfunction]
fn write_template(py: Python<'_>, path: PathBuf, lang: &str) -> PyResult<()> {
    let lang = parse_lang(lang)?;
    detached(py, move || mecenat_xlsx::write_template(&path, lang))
}

/// The input template filled with Python tables (as `Scenario.from_tables` takes them),
/// as bytes. The tables are typed as for a scenario but not validated: the workbook holds
/// them as given.
#[pyfunction]
fn filled_template_bytes<'py>(
    py: Python<'py>,
    tables: &Bound<'py, PyAny>,
    nulls: &Bound<'py, PyTuple>,
    lang: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let lang = parse_lang(lang)?;
    let raw = match convert::raw_scenario(py, tables, nulls, false)? {
        Ok(raw) => raw,
        Err(e) => return Err(e.to_py(py)),
    };
    let bytes = detached(py, move || mecenat_xlsx::scenario_bytes(&raw, lang))?;
    Ok(PyBytes::new(py, &bytes))
}

/// The tables of a scenario's source as rows of Python values: `kind` is `"json"` (JSON
/// text), `"excel"` (a workbook's bytes) or `"tables"` (a scenario's pickled tables);
/// `(name, rows)` per table, in input order, each row a dict of its cells as given.
#[pyfunction]
fn raw_tables<'py>(
    py: Python<'py>,
    kind: &str,
    data: &Bound<'py, PyAny>,
) -> PyResult<Vec<(String, Bound<'py, pyo3::types::PyList>)>> {
    let bytes = text_or_bytes(data)?;
    let raw = match kind {
        "json" => detached(py, move || mecenat::RawScenario::from_json_slice(&bytes))?,
        "excel" => detached(py, move || {
            mecenat_xlsx::read_scenario_bytes(&bytes, &mecenat_xlsx::Limits::default())
        })?,
        "tables" => py
            .detach(move || state::decode(&bytes))
            .map_err(PyValueError::new_err)?,
        _ => {
            return Err(PyValueError::new_err(format!(
                "kind must be \"json\", \"excel\" or \"tables\", not {kind:?}"
            )))
        }
    };
    tables::raw_to_py(py, &raw)
}

/// The tables of a workbook file as rows of Python values (see [`raw_tables`]).
#[pyfunction]
fn read_excel_tables(
    py: Python<'_>,
    path: PathBuf,
) -> PyResult<Vec<(String, Bound<'_, pyo3::types::PyList>)>> {
    let raw = detached(py, move || {
        mecenat_xlsx::read_scenario(&path, &mecenat_xlsx::Limits::default())
    })?;
    tables::raw_to_py(py, &raw)
}

/// The keys of a scenario table (`None` for an unknown table).
#[pyfunction]
fn table_keys(table: &str) -> Option<Vec<&'static str>> {
    mecenat::schema::table(table).map(|t| t.keys().collect())
}

/// The columns of a table as the Excel template writes them: `(key, French header,
/// kind)` (`None` for an unknown table).
#[pyfunction]
fn table_columns(table: &str) -> Option<Vec<(&'static str, &'static str, &'static str)>> {
    mecenat_xlsx::table_columns(table)
}

/// The key a header stands for (French as the template writes it, or English), compared
/// as the Excel importer compares headers; `None` when it names no column of the table.
#[pyfunction]
fn column_key(table: &str, header: &str) -> Option<&'static str> {
    mecenat_xlsx::column_key(table, header)
}

/// The extension module.
#[pymodule(name = "_mecenat")]
fn mecenat_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(raw_tables, m)?)?;
    m.add_function(wrap_pyfunction!(read_excel_tables, m)?)?;
    m.add_function(wrap_pyfunction!(table_keys, m)?)?;
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    m.add_function(wrap_pyfunction!(column_key, m)?)?;
    m.add_class::<PyScenario>()?;
    m.add_class::<PyReport>()?;
    m.add_function(wrap_pyfunction!(compute, m)?)?;
    m.add_function(wrap_pyfunction!(template_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(write_template, m)?)?;
    m.add_function(wrap_pyfunction!(filled_template_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(write_file, m)?)?;
    Ok(())
}
