//! `mecenat`: the command line of the mecenat library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

mod receipts_cmd;
mod xlsx_cmd;

const AFTER_HELP: &str = "\
EXAMPLES
  Compute the demo scenario and read the summary:
      mecenat compute fixtures/demo/scenario.json

  The JSON report (the contract of report-format.md), to a file:
      mecenat compute scenario.json --format json --out report.json

  Excel: an empty template to fill (French by default, --lang en for English),
  then the report workbook (summary, live formulas, valuation, receipts...):
      mecenat template -o scenario.xlsx
      mecenat compute scenario.xlsx -o rapport.xlsx

  An existing JSON scenario as a filled template, to go on in Excel:
      mecenat template --from scenario.json -o scenario.xlsx

  Fail (exit 1) when any input row is rejected, e.g. in a CI of your data:
      mecenat compute scenario.json --strict

  Read the salary cap per calendar month (3 x PMSS) instead of per annual rate:
      mecenat compute scenario.json --cap-method period

  List the legal parameters and their sources:
      mecenat params

EXIT CODES
  0  the report was produced
  1  rows were rejected and --strict was given (they are listed on stderr)
  2  the input is invalid (malformed JSON, unknown table or key, float money,
     overlapping fiscal years...) or a file cannot be read or written
  3  an internal defect (invalid embedded legal parameter)

Not tax advice: the report applies the cited rules (art. 238 bis CGI) to your data.";

/// mecenat: the arithmetic of French skills sponsorship (mécénat de compétences), to the
/// cent, with every figure traced to the law.
///
/// Values consultants' donated time at cost price (salary + employer charges, capped at
/// 3 x PASS), computes the art. 238 bis CGI tax reduction (60 %, 40 % above 2 M EUR,
/// ceiling max(20,000 EUR; 0.5 % of turnover), excess carried five years), imputes it on
/// corporate tax, and produces receipts, declarations, contributions in kind and impact.
#[derive(Parser)]
#[command(name = "mecenat", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the report of a scenario (.json or .xlsx).
    ///
    /// The scenario holds the input tables of scenario-format.md (companies, fiscal_years,
    /// beneficiaries, employees, time_entries, donations, ...). Every row is either used or
    /// rejected with its reason (table, row, value); rejections are in the report.
    #[command(after_help = AFTER_HELP)]
    Compute {
        /// The scenario file: .json, or an .xlsx workbook (the template of `mecenat
        /// template`, or any workbook whose sheets are named after the tables).
        scenario: PathBuf,
        /// Output format: `text` (summary, the default on a terminal) or `json` (the default
        /// otherwise).
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
        /// Write the report to FILE instead of standard output; a FILE ending in .xlsx gets
        /// the report workbook (Excel).
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        /// Language of the report workbook (with --out FILE.xlsx).
        #[arg(long, value_enum, default_value = "fr")]
        lang: xlsx_cmd::LangArg,
        /// Exit with code 1 when any row is rejected.
        #[arg(long)]
        strict: bool,
        /// How the 3 x PASS salary cap is read: `rate` (annual cost rate, default) or
        /// `period` (3 x PMSS per employee and calendar month). Overrides the scenario's
        /// `cap_method` setting.
        #[arg(long, value_enum)]
        cap_method: Option<CapArg>,
        /// JSON on one line (faster and smaller for large reports).
        #[arg(long)]
        compact: bool,
        /// No progress messages on stderr.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Write one PDF receipt per company, beneficiary and fiscal year (Cerfa 16216 /
    /// form 2041-MEC-SD content: identities, period, cash and in-kind amounts in figures and
    /// words, employees made available, goods, the "not tax advice" note).
    Receipts {
        /// The scenario file (.json or .xlsx).
        scenario: PathBuf,
        /// Directory to write the PDFs into (created if missing); files are named
        /// recu_COMPANY_BENEFICIARY_FISCALYEAR.pdf.
        #[arg(long, short = 'o', value_name = "DIR")]
        out: PathBuf,
    },
    /// Export the class-8 journal (contributions in kind) as a FEC-like file an accounting
    /// package can import: semicolon-separated, UTF-8, French decimals (1234,50), the 18
    /// FEC columns (JournalCode;JournalLib;EcritureNum;EcritureDate;CompteNum;CompteLib;
    /// CompAuxNum;CompAuxLib;PieceRef;PieceDate;EcritureLib;Debit;Credit;EcritureLet;
    /// DateLet;ValidDate;Montantdevise;Idevise), a debit and a credit line per entry.
    Journal {
        /// The scenario file (.json or .xlsx).
        scenario: PathBuf,
        /// Write to FILE (e.g. journal.csv) instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only this beneficiary's entries (an association's own books).
        #[arg(long, value_name = "ID")]
        beneficiary: Option<String>,
    },
    /// Write the Excel input template: an instructions sheet and one sheet per table
    /// (named Excel tables, formats, dropdowns, input messages), to fill then compute with
    /// `mecenat compute scenario.xlsx`.
    #[command(after_help = "EXAMPLES
  mecenat template -o scenario.xlsx                      French sheets and headers
  mecenat template --lang en -o scenario.xlsx            English (the scenario's keys)
  mecenat template --from scenario.json -o scenario.xlsx a JSON scenario, filled in")]
    Template {
        /// The workbook to write (.xlsx).
        #[arg(long, short = 'o', value_name = "FILE")]
        out: PathBuf,
        /// Language of sheet names, headers and dropdown labels.
        #[arg(long, value_enum, default_value = "fr")]
        lang: xlsx_cmd::LangArg,
        /// Fill the template with this scenario (.json or .xlsx).
        #[arg(long, value_name = "SCENARIO")]
        from: Option<PathBuf>,
    },
    /// List the legal parameters (PASS, rates, ceilings, SMIC...) with their dated values
    /// and legal references.
    Params {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum CapArg {
    Rate,
    Period,
}

/// Progress on stderr for long runs (only on a terminal, unless quiet).
struct Progress {
    on: bool,
    t0: Instant,
}

impl Progress {
    fn step(&self, what: &str) {
        if self.on {
            eprintln!("[{:>6.2} s] {what}", self.t0.elapsed().as_secs_f64());
        }
    }
}

fn fail(e: &mecenat::Error) -> ExitCode {
    eprintln!("mecenat: {e}");
    match e {
        mecenat::Error::Strict { .. } => ExitCode::from(1),
        mecenat::Error::Parameter { .. } => ExitCode::from(3),
        _ => ExitCode::from(2),
    }
}

fn write_out(
    out: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), mecenat::Error> {
    let io = |p: &str, e: std::io::Error| mecenat::Error::Io {
        path: p.to_string(),
        message: e.to_string(),
    };
    match out {
        Some(p) => {
            let file = std::fs::File::create(p).map_err(|e| io(&p.display().to_string(), e))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
            f(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| io(&p.display().to_string(), e))
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            f(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| io("(stdout)", e))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Compute {
            scenario,
            format,
            out,
            lang,
            strict,
            cap_method,
            compact,
            quiet,
        } => {
            let progress = Progress {
                on: !quiet && std::io::stderr().is_terminal(),
                t0: Instant::now(),
            };
            progress.step(&format!("lecture de {}", scenario.display()));
            let s = match xlsx_cmd::read_any(&scenario) {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
            progress.step(&format!(
                "{} lignes de temps lues; calcul",
                s.time_entries.len()
            ));
            let opts = mecenat::Options {
                cap_method: cap_method.map(|c| match c {
                    CapArg::Rate => mecenat::CapMethod::Rate,
                    CapArg::Period => mecenat::CapMethod::Period,
                }),
                strict: false,
            };
            let report = match mecenat::compute(&s, &opts) {
                Ok(r) => r,
                Err(e) => return fail(&e),
            };
            if strict && !report.rejected.is_empty() {
                for r in &report.rejected {
                    eprintln!("rejected: {r}");
                }
                return fail(&mecenat::Error::Strict {
                    count: report.rejected.len(),
                    first: report.rejected[0].to_string(),
                });
            }
            let format = format.unwrap_or(if out.is_none() && std::io::stdout().is_terminal() {
                Format::Text
            } else {
                Format::Json
            });
            progress.step("écriture du rapport");
            if let Some(path) = out.as_deref().filter(|p| xlsx_cmd::is_xlsx(p)) {
                if let Err(e) = xlsx_cmd::write_report(&report, &s, lang, path) {
                    return fail(&e);
                }
                progress.step("terminé");
                return ExitCode::SUCCESS;
            }
            let res = write_out(out.as_deref(), |w| match format {
                Format::Json => report
                    .write_json(&mut *w, !compact)
                    .map_err(|e| std::io::Error::other(e.to_string())),
                Format::Text => w.write_all(report.to_text().as_bytes()),
            });
            if let Err(e) = res {
                return fail(&e);
            }
            progress.step("terminé");
            // The process ends here: let the system reclaim the report and the scenario at
            // once rather than freeing millions of small allocations one by one (about
            // 0.3 s at a million entries).
            std::mem::forget(report);
            std::mem::forget(s);
            ExitCode::SUCCESS
        }
        Command::Receipts { scenario, out } => match receipts_cmd::receipts(&scenario, &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Command::Journal {
            scenario,
            out,
            beneficiary,
        } => match receipts_cmd::journal(&scenario, out.as_deref(), beneficiary.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Command::Template { out, lang, from } => {
            match xlsx_cmd::template(&out, lang, from.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Params { json } => {
            let params = match mecenat::params::Parameters::embedded() {
                Ok(p) => p,
                Err(e) => return fail(&e),
            };
            let res = write_out(None, |w| {
                if json {
                    let list: Vec<_> = params
                        .iter()
                        .map(|p| {
                            serde_json::json!({
                                "parameter": p.name, "description": p.description, "unit": p.unit,
                                "last_checked": p.last_checked.to_string(),
                                "known_until": p.known_until.map(|d| d.to_string()),
                                "values": p.values.iter().map(|v| serde_json::json!({
                                    "since": v.since.to_string(), "value": v.value.to_string(), "reference": v.reference
                                })).collect::<Vec<_>>()
                            })
                        })
                        .collect();
                    writeln!(
                        w,
                        "{}",
                        serde_json::to_string_pretty(&list).unwrap_or_default()
                    )
                } else {
                    for p in params.iter() {
                        writeln!(
                            w,
                            "{} — {} ({}; vérifié le {})",
                            p.name, p.description, p.unit, p.last_checked
                        )?;
                        for v in &p.values {
                            writeln!(
                                w,
                                "  depuis {}  {:>10}  {}",
                                v.since,
                                v.value.to_string(),
                                v.reference
                            )?;
                        }
                    }
                    Ok(())
                }
            });
            match res {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
    }
}
