//! The Excel side of the command line: reading a `.xlsx` scenario, writing the template
//! and the report workbook.

use std::path::Path;

use clap::ValueEnum;

/// Language of a workbook.
#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// French sheet names, headers and labels (default).
    #[default]
    Fr,
    /// English (the scenario's own keys).
    En,
}

impl From<LangArg> for mecenat_xlsx::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Fr => mecenat_xlsx::Lang::Fr,
            LangArg::En => mecenat_xlsx::Lang::En,
        }
    }
}

/// Whether a path names an Excel workbook (by its extension).
pub fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// Reads and validates a scenario workbook. A refusal of the whole file (not a workbook
/// mecenat reads, a claim beyond the limits) names the file.
pub fn read_scenario(path: &Path) -> Result<mecenat::Scenario, mecenat::Error> {
    let raw =
        mecenat_xlsx::read_scenario(path, &mecenat_xlsx::Limits::default()).map_err(
            |e| match e {
                mecenat::Error::Scenario { location, message }
                    if *location == mecenat::Location::default() =>
                {
                    mecenat::Error::Io {
                        path: path.display().to_string(),
                        message,
                    }
                }
                e => e,
            },
        )?;
    mecenat::Scenario::from_raw(&raw)
}

/// What a scenario file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A JSON scenario.
    Json,
    /// A workbook (.xlsx or .ods; the importer refuses the others).
    Workbook,
}

/// What the scenario file at `path` holds, by its first bytes, then by its extension when
/// they say nothing: a ZIP archive or an OLE2 container is a workbook whatever its name
/// (.xlsx and .ods are read; the importer refuses an .xls or an encrypted workbook saying
/// what to do), text starting with `{` (after a UTF-8 byte order mark, if any) is JSON; a UTF-16 text and anything
/// else are refused, saying what to do (a UTF-8 byte order mark is skipped).
///
/// # Errors
///
/// [`mecenat::Error::Io`] when the file cannot be read or is of a kind refused.
pub fn input_kind(path: &Path) -> Result<InputKind, mecenat::Error> {
    let refuse = |message: &str| mecenat::Error::Io {
        path: path.display().to_string(),
        message: message.to_string(),
    };
    let head = file_head(path).map_err(|e| mecenat::fsio::io_error(path, &e))?;
    // A ZIP archive (.xlsx, .ods) or an OLE2 container (.xls, a password-protected
    // workbook) is a workbook whatever its name: the importer reads it or says what it is
    // and what to do.
    if mecenat_xlsx::is_workbook(&head) {
        return Ok(InputKind::Workbook);
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        // UTF-8 with a byte order mark (Windows editors write one): the reader skips it.
        return Ok(InputKind::Json);
    }
    if looks_utf16(&head) {
        return Err(refuse(
            "text in UTF-16 (\"Unicode\"), not UTF-8: save the JSON as UTF-8 (without BOM)",
        ));
    }
    if is_xlsx(path) {
        // Not a ZIP archive: the reader says why it is not a workbook.
        return Ok(InputKind::Workbook);
    }
    let json_ext =
        (path.extension().and_then(|e| e.to_str())).is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let json_text = head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if json_ext || json_text {
        return Ok(InputKind::Json);
    }
    Err(refuse(
        "unsupported file type: a scenario is a .json file, an .xlsx workbook (the \
         template of `mecenat template`) or the same saved as .ods by LibreOffice",
    ))
}

/// The first 512 bytes of a file (fewer if it is shorter).
fn file_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)?
        .take(512)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Whether text starts as UTF-16 would: a byte order mark, or ASCII with zero bytes
/// between.
fn looks_utf16(head: &[u8]) -> bool {
    match head {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => true,
        [a, 0, ..] | [0, a, ..] => a.is_ascii_graphic() || a.is_ascii_whitespace(),
        _ => false,
    }
}

/// The limits of the JSON reader for this run (`--max-input-mib`, `--max-rows`).
static JSON_LIMITS: std::sync::OnceLock<mecenat::JsonLimits> = std::sync::OnceLock::new();

/// Sets the limits of the JSON reader (once, from the command line).
pub fn set_json_limits(limits: mecenat::JsonLimits) {
    let _ = JSON_LIMITS.set(limits);
}

/// The limits of the JSON reader.
pub fn json_limits() -> mecenat::JsonLimits {
    JSON_LIMITS.get().copied().unwrap_or_default()
}

/// Reads a scenario file of either face (a workbook or JSON, see [`input_kind`]), and says
/// on stderr when it holds no time entry and no donation.
pub fn read_any(path: &Path) -> Result<mecenat::Scenario, mecenat::Error> {
    let s = match input_kind(path)? {
        InputKind::Workbook => read_scenario(path)?,
        InputKind::Json => {
            mecenat::read_json_file_with(path, &json_limits()).map_err(|e| json_error(path, e))?
        }
    };
    warn_if_no_data(path, &s);
    Ok(s)
}

/// A JSON error of the file at `path`, naming it; when its name does not end in `.json`
/// (it was read as JSON because it starts with `{`), an unsupported file type that names
/// the two accepted, with the JSON parser's message.
fn json_error(path: &Path, e: mecenat::Error) -> mecenat::Error {
    let mecenat::Error::Json { message } = e else {
        return e;
    };
    let json_ext =
        (path.extension().and_then(|e| e.to_str())).is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json_ext {
        mecenat::Error::Json {
            message: format!("{}: {message}", path.display()),
        }
    } else {
        mecenat::Error::Io {
            path: path.display().to_string(),
            message: format!(
                "unsupported file type: a scenario is a .json file or an .xlsx workbook (the \
                 template of `mecenat template`, or the same saved as .ods); this file starts \
                 with '{{' but is not valid JSON either ({message})"
            ),
        }
    }
}

/// The note of a scenario without time entries nor donations (the report is empty).
fn warn_if_no_data(path: &Path, s: &mecenat::Scenario) {
    if !s.time_entries.is_empty() || !s.donations.is_empty() {
        return;
    }
    let rows = |t: &str| {
        (s.row_counts.iter())
            .filter(|(name, _)| name == t)
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let given = rows("time_entries") + rows("donations");
    if given == 0 {
        eprintln!(
            "mecenat: {} ne contient aucune donnée à calculer : ni temps donné \
             (time_entries) ni don (donations) ; le rapport est vide",
            path.display()
        );
    } else {
        eprintln!(
            "mecenat: {} : aucune de ses {given} lignes de temps et de dons n'est \
             utilisable (toutes rejetées, voir les rejets) ; le rapport est vide",
            path.display()
        );
    }
}

/// `mecenat template`: the empty template, or a scenario (`--from`) written into it; says
/// on stderr what was written.
pub fn template(out: &Path, lang: LangArg, from: Option<&Path>) -> Result<(), mecenat::Error> {
    let lang_fr = if lang == LangArg::Fr {
        "en français"
    } else {
        "en anglais"
    };
    match from {
        None => {
            mecenat_xlsx::write_template(out, lang.into())?;
            eprintln!(
                "mecenat: modèle vierge écrit dans {} ({lang_fr})",
                out.display()
            );
        }
        Some(src) => {
            let raw = match input_kind(src)? {
                InputKind::Workbook => {
                    mecenat_xlsx::read_scenario(src, &mecenat_xlsx::Limits::default())?
                }
                InputKind::Json => {
                    let limits = json_limits();
                    let bytes = mecenat::raw::read_json_bytes(src, &limits)?;
                    mecenat::RawScenario::from_json_slice_with(&bytes, &limits)
                        .map_err(|e| json_error(src, e))?
                }
            };
            mecenat_xlsx::write_scenario(&raw, lang.into(), out)?;
            let rows: usize = raw.tables.iter().map(|t| t.rows.len()).sum();
            eprintln!(
                "mecenat: modèle écrit dans {} ({lang_fr}), rempli avec les {rows} lignes de {}",
                out.display(),
                src.display()
            );
        }
    }
    Ok(())
}

/// Writes the report workbook.
pub fn write_report(
    report: &mecenat::Report,
    lang: LangArg,
    out: &Path,
) -> Result<(), mecenat::Error> {
    mecenat_xlsx::write_report(report, lang.into(), out)
}
