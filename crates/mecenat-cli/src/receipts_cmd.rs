//! `mecenat receipts` (one PDF per receipt) and `mecenat annex` (the annex text on
//! contributions in kind as a document); `mecenat journal` is in `journal_cmd`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use mecenat::{Error, Location};

fn scenario_and_report(scenario: &Path) -> Result<(mecenat::Scenario, mecenat::Report), Error> {
    let s = crate::xlsx_cmd::read_any(scenario)?;
    let r = mecenat::compute(&s, &mecenat::Options::default())?;
    for x in &r.rejected {
        eprintln!("rejected: {x}");
    }
    Ok((s, r))
}

/// The arguments of `mecenat receipts`.
#[derive(Args)]
pub(crate) struct ReceiptsArgs {
    /// The scenario file (.json or .xlsx).
    scenario: PathBuf,
    /// Directory to write the PDFs into (created if missing); files are named
    /// recu_NNNN_COMPANY_BENEFICIARY_FISCALYEAR.pdf (see below).
    #[arg(long, short = 'o', value_name = "DIR")]
    out: PathBuf,
    /// Replace receipt files already in DIR (without it, nothing is written and they
    /// are listed). A symbolic link is never written through, even then.
    #[arg(long)]
    force: bool,
    /// Only the receipts of this beneficiary (what an association issues).
    #[arg(long, value_name = "ID")]
    beneficiary: Option<String>,
    /// Only the receipts to this company.
    #[arg(long, value_name = "ID")]
    company: Option<String>,
    /// Only the receipts of this year (the year their period ends, that of their number).
    #[arg(long, value_name = "YYYY")]
    year: Option<i32>,
    /// List each employee's name, days and hours without their value (one person's value
    /// reveals their pay cost); the total value of the staff made available stays.
    #[arg(long)]
    hide_employee_values: bool,
}

/// An id given to a filter that the scenario does not have.
fn unknown(table: &str, what: &str, id: &str) -> Error {
    Error::scenario(
        Location {
            table: Some(table.into()),
            key: Some("id".into()),
            value: Some(id.to_string()),
            ..Location::default()
        },
        format!("--{what} {id:?}: no {what} of the scenario has this id"),
    )
}

/// Writes one PDF per receipt of the scenario's report (those the filters keep) into the
/// directory and lists them on stdout; existing files are refused unless `--force`, and
/// none may be the scenario itself.
pub(crate) fn receipts(a: &ReceiptsArgs) -> Result<(), Error> {
    let (scenario, dir) = (a.scenario.as_path(), a.out.as_path());
    crate::refuse_input(scenario, dir)?;
    let (s, r) = scenario_and_report(scenario)?;
    if let Some(b) = a.beneficiary.as_deref() {
        if !s.beneficiaries.iter().any(|x| x.id == b) {
            return Err(unknown("beneficiaries", "beneficiary", b));
        }
    }
    if let Some(c) = a.company.as_deref() {
        if !s.companies.iter().any(|x| x.id == c) {
            return Err(unknown("companies", "company", c));
        }
    }
    let selected: Vec<usize> = (r.receipts.iter().enumerate())
        .filter(|(_, rc)| {
            a.beneficiary.as_ref().is_none_or(|b| &rc.beneficiary == b)
                && a.company.as_ref().is_none_or(|c| &rc.company == c)
                && a.year
                    .is_none_or(|y| chrono::Datelike::year(&rc.period_end) == y)
        })
        .map(|(i, _)| i)
        .collect();
    for &i in &selected {
        let name = mecenat_pdf::receipt_file_name(i + 1, &r.receipts[i]);
        crate::refuse_input(scenario, &dir.join(name))?;
    }
    let opts = mecenat_pdf::WriteOptions {
        force: a.force,
        hide_employee_values: a.hide_employee_values,
    };
    let paths = mecenat_pdf::write_selected(&r, &selected, dir, &opts)?;
    let mut out = std::io::stdout().lock();
    for (p, &i) in paths.iter().zip(&selected) {
        let rc = &r.receipts[i];
        let _ = writeln!(
            out,
            "{}\treçu n° {} : {} -> {}, exercice {} : numéraire {} €, en nature {} €",
            p.display(),
            rc.number,
            rc.company,
            rc.beneficiary,
            rc.fiscal_year,
            mecenat::assoc::fr_amount(rc.cash.0),
            mecenat::assoc::fr_amount(rc.in_kind.0)
        );
    }
    if paths.is_empty() && r.receipts.is_empty() {
        eprintln!("mecenat: no receipt to write (no retained gift to an eligible beneficiary)");
    } else if paths.is_empty() {
        eprintln!(
            "mecenat: no receipt to write: none of the {} receipts matches the filters",
            r.receipts.len()
        );
    }
    Ok(())
}

/// The format of `mecenat annex`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum AnnexFormat {
    /// Plain text.
    Text,
    /// Markdown (a title per beneficiary and year).
    Markdown,
}

/// The arguments of `mecenat annex`.
#[derive(Args)]
pub(crate) struct AnnexArgs {
    /// The scenario file (.json or .xlsx).
    scenario: PathBuf,
    /// Only this beneficiary's annex (an association's own accounts).
    #[arg(long, value_name = "ID")]
    beneficiary: Option<String>,
    /// Plain text or Markdown.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: AnnexFormat,
    /// Write to FILE instead of standard output (never the scenario itself).
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Writes the annex text on contributions in kind, for one beneficiary or all.
pub(crate) fn annex(a: &AnnexArgs) -> Result<(), Error> {
    if let Some(o) = &a.out {
        crate::refuse_input(&a.scenario, o)?;
    }
    let (s, r) = scenario_and_report(&a.scenario)?;
    if let Some(b) = a.beneficiary.as_deref() {
        if !s.beneficiaries.iter().any(|x| x.id == b) {
            return Err(unknown("beneficiaries", "beneficiary", b));
        }
    }
    let format = match a.format {
        AnnexFormat::Text => mecenat::assoc::AnnexFormat::Text,
        AnnexFormat::Markdown => mecenat::assoc::AnnexFormat::Markdown,
    };
    let text = mecenat::assoc::annex_document(&r, a.beneficiary.as_deref(), format);
    if text.is_empty() {
        eprintln!("mecenat: no annex to write (no time given to this beneficiary)");
        return Ok(());
    }
    crate::write_out(a.out.as_deref(), |w| w.write_all(text.as_bytes()))?;
    if let Some(o) = &a.out {
        eprintln!("mecenat: annex written to {}", o.display());
    }
    Ok(())
}
