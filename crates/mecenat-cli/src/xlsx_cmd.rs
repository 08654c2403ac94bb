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

/// Reads and validates a scenario workbook.
pub fn read_scenario(path: &Path) -> Result<mecenat::Scenario, mecenat::Error> {
    let raw = mecenat_xlsx::read_scenario(path, &mecenat_xlsx::Limits::default())?;
    mecenat::Scenario::from_raw(&raw)
}

/// Reads a scenario file of either face (`.xlsx` or `.json`).
pub fn read_any(path: &Path) -> Result<mecenat::Scenario, mecenat::Error> {
    if is_xlsx(path) {
        read_scenario(path)
    } else {
        mecenat::read_json_file(path)
    }
}

/// `mecenat template`: the empty template, or a scenario (`--from`) written into it.
pub fn template(out: &Path, lang: LangArg, from: Option<&Path>) -> Result<(), mecenat::Error> {
    match from {
        None => mecenat_xlsx::write_template(out, lang.into()),
        Some(src) => {
            let raw = if is_xlsx(src) {
                mecenat_xlsx::read_scenario(src, &mecenat_xlsx::Limits::default())?
            } else {
                let bytes = std::fs::read(src).map_err(|e| mecenat::Error::Io {
                    path: src.display().to_string(),
                    message: e.to_string(),
                })?;
                mecenat::RawScenario::from_json_slice(&bytes)?
            };
            mecenat_xlsx::write_scenario(&raw, lang.into(), out)
        }
    }
}

/// Writes the report workbook.
pub fn write_report(
    report: &mecenat::Report,
    scenario: &mecenat::Scenario,
    lang: LangArg,
    out: &Path,
) -> Result<(), mecenat::Error> {
    mecenat_xlsx::write_report(report, scenario, lang.into(), out)
}
