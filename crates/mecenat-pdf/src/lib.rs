//! PDF receipts for mecenat: one document per receipt of the report, with the content of
//! the Cerfa 16216 (form 2041-MEC-SD) receipt for gifts by companies under article 238 bis
//! of the CGI: the beneficiary's identity and category, the company's identity, the period,
//! its number, each cash gift's date and means of payment, the cash and in-kind amounts in
//! figures and in French words, the detail of the employees made available and of the
//! goods given, the certification, place, date and signature (see [`receipt`] for the
//! page). All in French, without the reports' "not tax advice" note: a receipt is the
//! non-profit's document.
//!
//! Written with [`pdf_writer`] in the built-in Liberation Sans (SIL Open Font License),
//! embedded as a subset of the glyphs each receipt uses: French and other Latin letters
//! (Latin Extended, Vietnamese: "Łukasz Nguyễn"), Greek and Cyrillic print as they are, and
//! the text reads back when copied. A name with a character the font has none for (名) is
//! refused with an error, never printed wrong.
//!
//! # Examples
//!
//! ```
//! let s = mecenat::Scenario::from_json(r#"{
//!   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
//!   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
//!   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
//!   "donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-03-01", "amount": "1500"}]
//! }"#).unwrap();
//! let report = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
//! let pdf = mecenat_pdf::receipt_pdf(&report.receipts[0]).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! assert_eq!(mecenat_pdf::receipt_file_name(1, &report.receipts[0]), "recu_0001_C1_A1_2025.pdf");
//! ```

mod font;
mod layout;
pub mod receipt;

use std::path::{Path, PathBuf};

use mecenat::report::{Receipt, Report};

pub use receipt::{category_label, category_mentions, receipt_pdf_with, ReceiptOptions};

/// The PDF of one receipt (each employee's value shown: see [`receipt_pdf_with`]).
///
/// # Errors
///
/// [`mecenat::Error::Scenario`] when a text of the receipt (a name, an address, a gift's
/// description…) has a character the receipt font has no glyph for, such as `名`: the
/// error names the receipt, the text and the character; [`mecenat::Error::Io`] if the
/// built-in font cannot be embedded (a defect of the build).
pub fn receipt_pdf(r: &Receipt) -> Result<Vec<u8>, mecenat::Error> {
    receipt_pdf_with(r, &ReceiptOptions::default())
}

/// The file name of a receipt's PDF: `recu_NNNN_COMPANY_BENEFICIARY_FISCALYEAR.pdf`, where
/// `NNNN` is `seq`, the receipt's 1-based position in the report (four digits at least).
///
/// The number makes every name of a report unique, whatever the ids (`a/b`, `a_b` and
/// `a.b`, or two ids in a script without Latin letters, no longer share a file); the ids
/// only make the name readable: French accents and ligatures become ASCII (`Élan` →
/// `Elan`, `Œuvre` → `OEuvre`), any other character but letters, digits and `-` becomes
/// `_` (runs collapsed, none at the ends, a part left empty omitted), and each part is
/// cut (company 40, beneficiary 60, fiscal year 20 characters), so that the name stays
/// far below the 255-byte limit of file systems.
pub fn receipt_file_name(seq: usize, r: &Receipt) -> String {
    let mut name = format!("recu_{seq:04}");
    for (part, max) in [(&r.company, 40), (&r.beneficiary, 60), (&r.fiscal_year, 20)] {
        let safe = file_part(part, max);
        if !safe.is_empty() {
            name.push('_');
            name.push_str(&safe);
        }
    }
    name.push_str(".pdf");
    name
}

/// `text` as ASCII letters, digits, `-` and `_`, at most `max` characters (see
/// [`receipt_file_name`]).
fn file_part(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if let Some(ascii) = ascii_of(c) {
            out.push_str(ascii);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        if out.len() >= max {
            break;
        }
    }
    out.truncate(max);
    out.trim_end_matches('_').to_string()
}

/// The ASCII spelling of a Latin letter with a diacritic or a ligature (French first).
fn ascii_of(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => "A",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'Î' | 'Ï' | 'Í' | 'Ì' => "I",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'ø' => "o",
        'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' | 'Ø' => "O",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'Ù' | 'Û' | 'Ü' | 'Ú' => "U",
        'ÿ' | 'ý' => "y",
        'Ÿ' | 'Ý' => "Y",
        'ç' => "c",
        'Ç' => "C",
        'ñ' => "n",
        'Ñ' => "N",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        'ß' => "ss",
        _ => return None,
    })
}

/// How [`write_receipts_with`] treats the files already in the directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace receipt files that already exist (regular files only: a symbolic link is
    /// never written through, even then). Without it, nothing is written when any exists.
    pub force: bool,
    /// List each employee's name and time without their value (the total stays).
    pub hide_employee_values: bool,
}

/// Writes one PDF per receipt of the report into `dir` (created if missing), named by
/// [`receipt_file_name`], and returns the paths written, in the report's order; refuses
/// to replace files already there (see [`write_receipts_with`]).
///
/// # Errors
///
/// As [`write_receipts_with`] without `force`.
pub fn write_receipts(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, mecenat::Error> {
    write_receipts_with(report, dir, &WriteOptions::default())
}

/// Writes one PDF per receipt of the report into `dir` (created if missing) and returns
/// the paths written, in the report's order.
///
/// Before anything is written, every name is checked: a symbolic link in the way is
/// refused (wherever it points), and so are existing files unless `opts.force`. Each PDF
/// is written atomically (a temporary file renamed into place), so a failure never leaves
/// a truncated receipt.
///
/// # Errors
///
/// [`mecenat::Error::Io`] naming the files when some are in the way, or when the
/// directory or a file cannot be written.
pub fn write_receipts_with(
    report: &Report,
    dir: &Path,
    opts: &WriteOptions,
) -> Result<Vec<PathBuf>, mecenat::Error> {
    let all: Vec<usize> = (0..report.receipts.len()).collect();
    write_selected(report, &all, dir, opts)
}

/// As [`write_receipts_with`], for the receipts of the report at the (0-based) positions
/// `selected` only (a beneficiary's, a company's…): each file keeps the name it has in
/// the whole report, so that a selection never renames a receipt.
///
/// # Errors
///
/// As [`write_receipts_with`]; a position past the report's receipts is refused as
/// [`mecenat::Error::Internal`].
pub fn write_selected(
    report: &Report,
    selected: &[usize],
    dir: &Path,
    opts: &WriteOptions,
) -> Result<Vec<PathBuf>, mecenat::Error> {
    let receipts: Vec<(usize, &Receipt)> = selected
        .iter()
        .map(|&i| report.receipts.get(i).map(|r| (i, r)))
        .collect::<Option<_>>()
        .ok_or_else(|| mecenat::Error::Internal {
            message: "a receipt selected past the report's receipts".into(),
        })?;
    // Every receipt is rendered before any is written: a text the font cannot print
    // stops the run with nothing written.
    let ropts = ReceiptOptions {
        employee_values: !opts.hide_employee_values,
    };
    let pdfs = (receipts.iter().map(|(_, r)| receipt_pdf_with(r, &ropts)))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = (receipts.iter())
        .map(|&(i, r)| receipt_file_name(i + 1, r))
        .collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .map(String::as_str)
        .zip(pdfs.iter().map(Vec::as_slice))
        .collect();
    let new = mecenat::fsio::NewFiles {
        what: "receipt file(s)",
        force_hint: "--force replaces them",
        exists_suffix: "",
        force: opts.force,
    };
    mecenat::fsio::write_new_files(dir, &files, &new, |_| Ok(()))
}
