//! `mecenat`: the command line of the mecenat library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod journal_cmd;
mod params_cmd;
mod receipts_cmd;
mod xlsx_cmd;

const AFTER_HELP: &str = "\
EXAMPLES
  Compute the demo scenario and read the summary:
      mecenat compute fixtures/demo/scenario.json

  The JSON report (every field described in docs/report.md), to a file:
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

  List the legal parameters, their sources and how fresh they are (--json too):
      mecenat params

  Supply a legal value the library does not know yet (e.g. next year's PASS): a row
  of the scenario's law table (sheet Loi), see docs/law.md:
      \"law\": [{\"parameter\": \"pass\", \"since\": \"2027-01-01\", \"value\": \"...\",
               \"reference\": \"Arrêté du ... portant fixation du plafond ...\"}]

EXIT CODES (docs/exit-codes.md)
  0  the report was produced
  1  rows were rejected and --strict was given (they are listed on stderr)
  2  the input is invalid (malformed JSON, unknown table or key, float money,
     overlapping fiscal years, unsupported file type...), a file cannot be read or
     written, or an output would replace the input (never done)
  3  an internal defect of mecenat (a bug, or an invalid embedded legal parameter):
     the message says so; please report it

LIMITS
  A JSON scenario larger than 2 GiB, or with more than 10,000,000 rows in a table,
  is refused (exit 2) before it fills the memory: --max-input-mib and --max-rows
  raise the limits. Workbooks have their own limits (rows, cells, decompressed size).

FILES
  A scenario is read as a workbook when its content is one (an .xlsx is a ZIP
  archive, whatever its extension), otherwise as JSON (.json, or text starting with
  '{'). Every output is written to a temporary file next to it, then renamed into
  place: an interrupted run leaves the previous file whole. An output is never the
  scenario being read, and never written through a symbolic link.

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
    /// Largest JSON scenario read, in MiB (default 2048): a larger file is refused rather
    /// than read into memory.
    #[arg(long, global = true, value_name = "MIB")]
    max_input_mib: Option<u64>,
    /// Most rows in one table of a JSON scenario (default 10,000,000).
    #[arg(long, global = true, value_name = "N")]
    max_rows: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the report of a scenario (.json or .xlsx).
    ///
    /// The scenario holds the input tables described in docs/tables.md (companies,
    /// fiscal_years, beneficiaries, employees, time_entries, donations, ...). Every row is either used or
    /// rejected with its reason (table, row, value); rejections are in the report.
    #[command(after_help = AFTER_HELP)]
    Compute(ComputeArgs),
    /// Write one PDF receipt per company, beneficiary and fiscal year (Cerfa 16216 /
    /// form 2041-MEC-SD content, in French: number, identities and category, each cash
    /// gift's date and means of payment, cash and in-kind amounts in figures and words,
    /// employees made available, goods, certification, place, date and signature).
    #[command(after_help = RECEIPTS_HELP)]
    Receipts(receipts_cmd::ReceiptsArgs),
    /// Export the class-8 journal (contributions in kind) for the associations' books: a
    /// FEC per beneficiary and year (--format fec), a CSV for Paheko's "simplifié" import
    /// (--format paheko), or one FEC-like CSV of every beneficiary (--format csv, the
    /// default). By default the entries post to accounts of the official chart (PCA 2018:
    /// 864 / 871 staff lent, 864 / 875 volunteers); --sub-accounts uses 8642 / 8711 and
    /// 8641 and lists the accounts to create.
    #[command(after_help = journal_cmd::JOURNAL_HELP)]
    Journal {
        /// The scenario file (.json or .xlsx).
        scenario: PathBuf,
        /// csv: FILE (or standard output); fec, paheko: the DIRECTORY the files go into
        /// (created if missing).
        #[arg(long, short = 'o', value_name = "FILE|DIR")]
        out: Option<PathBuf>,
        /// Only this beneficiary's entries (an association's own books).
        #[arg(long, value_name = "ID")]
        beneficiary: Option<String>,
        /// What to write (see FORMATS below).
        #[arg(long, short = 'f', value_enum, default_value = "csv")]
        format: journal_cmd::JournalFormat,
        /// Post to the sub-accounts (8642 / 8711 staff lent, 8641 volunteers) instead of the
        /// chart's own accounts: overrides the scenario's `journal_accounts` setting.
        #[arg(long)]
        sub_accounts: bool,
        /// fec, paheko: replace files already in DIR (without it, nothing is written and
        /// they are listed).
        #[arg(long)]
        force: bool,
    },
    /// Write the Excel input template: an instructions sheet and one sheet per table
    /// (named Excel tables, formats, dropdowns, input messages), to fill then compute with
    /// `mecenat compute scenario.xlsx`.
    #[command(after_help = "EXAMPLES
  mecenat template -o scenario.xlsx                      French sheets and headers
  mecenat template --lang en -o scenario.xlsx            English (the scenario's keys)
  mecenat template --from scenario.json -o scenario.xlsx a JSON scenario, filled in

The file written is named on stderr. --from and -o must be different files.")]
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
    /// and legal references, and how fresh they are: the last value, the date until which
    /// it is known, when it was last checked; ⚠ flags a known period that ends within 31
    /// days or has ended (supply the next value in the scenario's law table).
    Params {
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// The day the freshness is judged on (default: today, UTC), YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = params_cmd::parse_day)]
        today: Option<chrono::NaiveDate>,
    },
    /// Write the annex text on contributions in kind (for the beneficiaries' annual
    /// accounts), per beneficiary and year, as plain text or Markdown.
    #[command(after_help = "EXAMPLES
  mecenat annex scenario.json                                 every beneficiary, text
  mecenat annex scenario.json --beneficiary A1 -f markdown -o annexe.md

The file is written to a temporary file then renamed; it is never the scenario.")]
    Annex(receipts_cmd::AnnexArgs),
}

const RECEIPTS_HELP: &str = "\
FILE NAMES
  recu_NNNN_COMPANY_BENEFICIARY_FISCALYEAR.pdf, e.g. recu_0001_C1_A1_2025.pdf:
  NNNN is the receipt's number in the report (0001, 0002...: by company, fiscal year
  and beneficiary, in the scenario's order), which keeps every name unique; the ids
  follow for reading, French accents made plain (Élan -> Elan), any character other
  than a letter, a digit or - written _, each id cut to a bounded length. The list of
  files written, with the company and beneficiary of each, is printed on stdout.

  When a file to write already exists, nothing is written and the files are listed
  (exit 2): remove them, choose another DIR, or pass --force. A symbolic link in DIR
  is never written through. Each PDF is written to a temporary file, then renamed.

NUMBERS
  Each receipt has a number per beneficiary and year (the year its period ends):
  2025-0001, 2025-0002... in the order of the periods' ends, then of the companies;
  the setting receipt_prefix puts a prefix before it (ELAN-2025-0001). The numbers
  depend on the scenario only: the same at every run, whatever the filters.

EXAMPLES
  mecenat receipts scenario.json -o recus/
  mecenat receipts scenario.json -o recus/ --beneficiary A1 --year 2025
  mecenat receipts scenario.json -o recus/ --company C1 --hide-employee-values";

/// The arguments of `mecenat compute`.
#[derive(Args)]
struct ComputeArgs {
    /// The scenario file: .json, or an .xlsx workbook (the template of `mecenat
    /// template`, or any workbook whose sheets are named after the tables).
    scenario: PathBuf,
    /// Output format: `text` (summary, the default on a terminal) or `json` (the default
    /// otherwise).
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
    /// Write the report to FILE instead of standard output; a FILE ending in .xlsx gets
    /// the report workbook (Excel). FILE cannot be the scenario.
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

/// The first panic of the run, where and what (recorded by the panic hook).
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Replaces Rust's panic message by a record of the panic, reported once as a defect
/// (exit 3) by `main`; with `RUST_BACKTRACE` set, Rust's own message and backtrace too.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut first) = PANIC.lock() {
            first.get_or_insert_with(|| info.to_string().replace('\n', " "));
        }
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            default(info);
        }
    }));
}

/// The panic recorded, if any.
fn recorded_panic() -> Option<String> {
    PANIC.lock().ok().and_then(|p| p.clone())
}

fn fail(e: &mecenat::Error) -> ExitCode {
    eprintln!("mecenat: {e}");
    match e {
        mecenat::Error::Strict { .. } => ExitCode::from(1),
        mecenat::Error::Parameter { .. } => ExitCode::from(3),
        mecenat::Error::Internal { .. } => {
            if let Some(p) = recorded_panic() {
                eprintln!("mecenat:   {p}");
            }
            ExitCode::from(3)
        }
        _ => ExitCode::from(2),
    }
}

/// Refuses an output that is the input file itself (the same path, or a symbolic or hard
/// link to it): a command never replaces the scenario it reads.
pub(crate) fn refuse_input(input: &Path, out: &Path) -> Result<(), mecenat::Error> {
    if mecenat::fsio::same_file(input, out) {
        return Err(mecenat::Error::Io {
            path: out.display().to_string(),
            message: format!(
                "is the scenario being read ({}): mecenat never writes over its input; \
                 choose another output file",
                input.display()
            ),
        });
    }
    Ok(())
}

/// A writer that remembers whether its reader went away (a closed pipe, as `| head`),
/// whatever the error becomes on its way up.
struct PipeWatch<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> PipeWatch<W> {
    fn watch<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if matches!(&r, Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe) {
            self.closed = true;
        }
        r
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.watch(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.watch(r)
    }
}

/// In test builds only (debug assertions on), `MECENAT_INJECT_DEFECT=1` panics while an
/// output is being written, after its bytes: the tests of exit 3 and of the previous file
/// left whole need a defect that the bounded input can no longer provoke.
fn inject_defect(w: &mut dyn Write) {
    if cfg!(debug_assertions) && std::env::var_os("MECENAT_INJECT_DEFECT").is_some() {
        let _ = w.flush();
        panic!("a defect injected by MECENAT_INJECT_DEFECT (test builds only)");
    }
}

/// Writes through `f` to the file `out` (atomically: see `mecenat::fsio::atomic_write`)
/// or to standard output; a reader of standard output that stops early (`| head`) is not
/// an error.
pub(crate) fn write_out(
    out: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), mecenat::Error> {
    match out {
        Some(p) => mecenat::fsio::atomic_write(p, |w| {
            f(w).map_err(|e| mecenat::fsio::io_error(p, &e))?;
            inject_defect(w);
            Ok(())
        }),
        None => {
            let stdout = std::io::stdout();
            let mut w = PipeWatch {
                inner: std::io::BufWriter::with_capacity(1 << 20, stdout.lock()),
                closed: false,
            };
            match f(&mut w).and_then(|()| w.flush()) {
                Ok(()) => Ok(()),
                Err(_) if w.closed => Ok(()),
                Err(e) => Err(mecenat::fsio::io_error(Path::new("(stdout)"), &e)),
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut limits = mecenat::JsonLimits::default();
    if let Some(m) = cli.max_input_mib {
        limits.max_bytes = m.saturating_mul(1 << 20);
    }
    if let Some(n) = cli.max_rows {
        limits.max_rows = n;
    }
    xlsx_cmd::set_json_limits(limits);
    install_panic_hook();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli.command))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => fail(&e),
        Err(_) => {
            let what = recorded_panic().unwrap_or_else(|| "a panic".into());
            eprintln!("mecenat: internal error (a defect, please report it): {what}");
            if std::env::var_os("RUST_BACKTRACE").is_none() {
                eprintln!("mecenat:   RUST_BACKTRACE=1 gives the backtrace to join to the report");
            }
            ExitCode::from(3)
        }
    }
}

/// Runs one command.
fn run(command: Command) -> Result<(), mecenat::Error> {
    match command {
        Command::Compute(args) => compute(&args),
        Command::Receipts(args) => receipts_cmd::receipts(&args),
        Command::Journal {
            scenario,
            out,
            beneficiary,
            format,
            sub_accounts,
            force,
        } => {
            if let Some(o) = &out {
                refuse_input(&scenario, o)?;
            }
            let args = journal_cmd::JournalArgs {
                out: out.as_deref(),
                beneficiary: beneficiary.as_deref(),
                format,
                sub_accounts,
                force,
            };
            journal_cmd::journal(&scenario, &args)
        }
        Command::Template { out, lang, from } => {
            if let Some(src) = &from {
                refuse_input(src, &out)?;
            }
            xlsx_cmd::template(&out, lang, from.as_deref())
        }
        Command::Params { json, today } => params_cmd::params(json, today),
        Command::Annex(args) => receipts_cmd::annex(&args),
    }
}

/// `mecenat compute`.
fn compute(a: &ComputeArgs) -> Result<(), mecenat::Error> {
    if let Some(o) = &a.out {
        refuse_input(&a.scenario, o)?;
    }
    let progress = Progress {
        on: !a.quiet && std::io::stderr().is_terminal(),
        t0: Instant::now(),
    };
    progress.step(&format!("lecture de {}", a.scenario.display()));
    let s = xlsx_cmd::read_any(&a.scenario)?;
    progress.step(&format!(
        "{} lignes de temps lues; calcul",
        s.time_entries.len()
    ));
    let opts = mecenat::Options {
        cap_method: a.cap_method.map(|c| match c {
            CapArg::Rate => mecenat::CapMethod::Rate,
            CapArg::Period => mecenat::CapMethod::Period,
        }),
        strict: false,
    };
    let report = mecenat::compute(&s, &opts)?;
    if a.strict && !report.rejected.is_empty() {
        for r in &report.rejected {
            eprintln!("rejected: {r}");
        }
        return Err(mecenat::Error::Strict {
            count: report.rejected.len(),
            first: report.rejected[0].to_string(),
        });
    }
    let out = a.out.as_deref();
    let format = a
        .format
        .unwrap_or(if out.is_none() && std::io::stdout().is_terminal() {
            Format::Text
        } else {
            Format::Json
        });
    progress.step("écriture du rapport");
    if let Some(path) = out.filter(|p| xlsx_cmd::is_xlsx(p)) {
        xlsx_cmd::write_report(&report, a.lang, path)?;
    } else {
        write_out(out, |w| match format {
            Format::Json => report
                .write_json(&mut *w, !a.compact)
                .map_err(|e| std::io::Error::other(e.to_string())),
            Format::Text => w.write_all(report.to_text().as_bytes()),
        })?;
    }
    progress.step("terminé");
    // The process ends here: let the system reclaim the report and the scenario at
    // once rather than freeing millions of small allocations one by one (about
    // 0.3 s at a million entries).
    std::mem::forget(report);
    std::mem::forget(s);
    Ok(())
}
