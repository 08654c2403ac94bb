//! PDF receipts for mecenat: one document per receipt of the report, with the content of
//! the Cerfa 16216 (form 2041-MEC-SD) receipt for gifts by companies under article 238 bis
//! of the CGI: the beneficiary's identity and category, the company's identity, the period,
//! the cash and in-kind amounts in figures and in French words, the detail of the employees
//! made available and of the goods given, and the "not tax advice" note.
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

use std::path::{Path, PathBuf};

use mecenat::assoc::fr_amount;
use mecenat::money::fmt_qty;
use mecenat::report::{Receipt, Report, DISCLAIMER};
use mecenat::Location;

use font::FontError;
use layout::{Doc, Font, MARGIN, PAGE_W};

/// The French wording of an eligibility category (the closed list
/// [`mecenat::scenario::CATEGORIES`], which validation enforces), or the code itself when
/// unknown.
pub fn category_label(code: &str) -> String {
    match mecenat::scenario::category_label(code) {
        Some(label) => label.into(),
        None => format!("Catégorie « {code} »"),
    }
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

fn date_fr(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn euros(x: &mecenat::money::Money) -> String {
    format!("{} €", fr_amount(x.0))
}

fn qty(x: &mecenat::money::Qty) -> String {
    fmt_qty(x.0).replace('.', ",")
}

/// One `label : value` line (the value wrapped under itself).
fn field(doc: &mut Doc, label: &str, value: &str) {
    let x = MARGIN + 150;
    doc.need(14);
    let y = doc.y;
    doc.text_at(MARGIN, y, label, Font::Regular, 9);
    doc.para(x, value, Font::Bold, 9);
}

/// The PDF of one receipt.
///
/// # Errors
///
/// [`mecenat::Error::Scenario`] when a text of the receipt (a name, an address, a gift's
/// description…) has a character the receipt font has no glyph for, such as `名`: the
/// error names the receipt, the text and the character; [`mecenat::Error::Io`] if the
/// built-in font cannot be embedded (a defect of the build).
pub fn receipt_pdf(r: &Receipt) -> Result<Vec<u8>, mecenat::Error> {
    let number = format!("{}-{}-{}", r.company, r.beneficiary, r.fiscal_year);
    let mut doc = Doc::new().map_err(|e| font_error(&number, e))?;
    check_glyphs(&doc, r, &number)?;
    title(&mut doc, &number);
    beneficiary(&mut doc, r);
    company(&mut doc, r);
    gifts(&mut doc, r);
    employees(&mut doc, r);
    goods(&mut doc, r);
    signature(&mut doc);
    doc.finish(
        &format!("Reçu fiscal {number} – {}", r.beneficiary_name),
        DISCLAIMER,
    )
    .map_err(|e| font_error(&number, e))
}

/// Refuses a receipt with a text that the font cannot print, naming the field.
fn check_glyphs(doc: &Doc, r: &Receipt, number: &str) -> Result<(), mecenat::Error> {
    let category = category_label(&r.beneficiary_category);
    let mut texts: Vec<(&str, &str, &str, Option<&str>)> = vec![
        ("company id", "companies", "id", Some(&r.company)),
        (
            "beneficiary id",
            "beneficiaries",
            "id",
            Some(&r.beneficiary),
        ),
        ("fiscal year", "fiscal_years", "end", Some(&r.fiscal_year)),
        (
            "beneficiary name",
            "beneficiaries",
            "name",
            Some(&r.beneficiary_name),
        ),
        (
            "beneficiary SIREN",
            "beneficiaries",
            "siren",
            r.beneficiary_siren.as_deref(),
        ),
        (
            "beneficiary RNA number",
            "beneficiaries",
            "rna",
            r.beneficiary_rna.as_deref(),
        ),
        (
            "beneficiary address",
            "beneficiaries",
            "address",
            r.beneficiary_address.as_deref(),
        ),
        (
            "beneficiary object",
            "beneficiaries",
            "object",
            r.beneficiary_object.as_deref(),
        ),
        (
            "beneficiary category",
            "beneficiaries",
            "category",
            Some(&category),
        ),
        ("company name", "companies", "name", Some(&r.company_name)),
        (
            "company legal form",
            "companies",
            "legal_form",
            r.company_legal_form.as_deref(),
        ),
        (
            "company SIREN",
            "companies",
            "siren",
            r.company_siren.as_deref(),
        ),
        (
            "company address",
            "companies",
            "address",
            r.company_address.as_deref(),
        ),
    ];
    for e in &r.employees {
        texts.push(("employee name", "employees", "name", Some(&e.name)));
    }
    for g in &r.goods {
        texts.push((
            "gift description",
            "donations",
            "description",
            Some(&g.description),
        ));
    }
    for (what, table, key, text) in texts {
        let Some(text) = text else { continue };
        if let Some(ch) = doc.missing(text) {
            let location = Location {
                table: Some(table.into()),
                key: Some(key.into()),
                value: Some(text.into()),
                ..Location::default()
            };
            return Err(mecenat::Error::scenario(
                location,
                format!(
                    "receipt {number}: the receipt font {} in the {what} \
                     (it prints Latin, Greek and Cyrillic letters)",
                    font::refusal(ch)
                ),
            ));
        }
    }
    Ok(())
}

/// The error for a receipt that could not be drawn after [`check_glyphs`].
fn font_error(number: &str, e: FontError) -> mecenat::Error {
    match e {
        FontError::NoGlyph { ref text, .. } => mecenat::Error::scenario(
            Location {
                value: Some(text.clone()),
                ..Location::default()
            },
            format!("receipt {number}: {e}"),
        ),
        FontError::Font(_) => mecenat::Error::Io {
            path: format!("receipt {number}"),
            message: e.to_string(),
        },
    }
}

/// The receipt's title, legal reference and number.
fn title(doc: &mut Doc, number: &str) {
    doc.para(
        MARGIN,
        "Reçu au titre des dons et versements effectués par les entreprises",
        Font::Bold,
        14,
    );
    doc.para(
        MARGIN,
        "Article 238 bis du code général des impôts — Cerfa n° 16216 (formulaire 2041-MEC-SD)",
        Font::Regular,
        9,
    );
    doc.para(
        MARGIN,
        &format!("Numéro d'ordre du reçu : {number}"),
        Font::Regular,
        9,
    );
}

/// The beneficiary's identity, category and certification.
fn beneficiary(doc: &mut Doc, r: &Receipt) {
    doc.heading("Organisme bénéficiaire des versements");
    field(doc, "Dénomination", &r.beneficiary_name);
    if let Some(x) = &r.beneficiary_siren {
        field(doc, "SIREN", x);
    }
    if let Some(x) = &r.beneficiary_rna {
        field(doc, "Numéro RNA", x);
    }
    if let Some(x) = &r.beneficiary_address {
        field(doc, "Adresse", x);
    }
    if let Some(x) = &r.beneficiary_object {
        field(doc, "Objet", x);
    }
    field(doc, "Catégorie", &category_label(&r.beneficiary_category));
    doc.para(
        MARGIN,
        "L'organisme bénéficiaire certifie que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article 238 bis du code général des impôts.",
        Font::Regular,
        9,
    );
}

/// The company's identity.
fn company(doc: &mut Doc, r: &Receipt) {
    doc.heading("Entreprise donatrice");
    field(doc, "Dénomination", &r.company_name);
    if let Some(x) = &r.company_legal_form {
        field(doc, "Forme juridique", x);
    }
    if let Some(x) = &r.company_siren {
        field(doc, "SIREN", x);
    }
    if let Some(x) = &r.company_address {
        field(doc, "Adresse", x);
    }
}

/// The period and the amounts, in figures and in words.
fn gifts(doc: &mut Doc, r: &Receipt) {
    doc.heading("Dons et versements reçus");
    field(
        doc,
        "Période",
        &format!(
            "du {} au {} (exercice {} de l'entreprise)",
            date_fr(r.period_start),
            date_fr(r.period_end),
            r.fiscal_year
        ),
    );
    field(doc, "Numéraire", &euros(&r.cash));
    field(doc, "   en toutes lettres", &r.cash_words);
    field(doc, "En nature", &euros(&r.in_kind));
    field(doc, "   en toutes lettres", &r.in_kind_words);
    field(
        doc,
        "   dont personnel",
        &format!(
            "{} (mécénat de compétences : mise à disposition de salariés)",
            euros(&r.staff_time)
        ),
    );
    field(doc, "   dont biens et services", &euros(&r.goods_value));
    doc.para(
        MARGIN,
        "Valeur des dons en nature : celle déclarée par l'entreprise (coût de revient : salaire et charges sociales au prorata du temps donné, dans la limite légale), et non celle que l'organisme retient dans ses propres comptes.",
        Font::Regular,
        8,
    );
}

/// The table of the employees made available, with its total.
fn employees(doc: &mut Doc, r: &Receipt) {
    if r.employees.is_empty() {
        return;
    }
    doc.heading("Description exhaustive : détail des salariés mis à disposition");
    let (c_days, c_hours, c_value) = (MARGIN + 330, MARGIN + 400, PAGE_W - MARGIN);
    doc.need(14);
    let y = doc.y;
    doc.text_at(MARGIN, y, "Salarié", Font::Bold, 9);
    doc.text_right(c_days, "Jours", Font::Bold, 9);
    doc.text_right(c_hours, "Heures", Font::Bold, 9);
    doc.text_right(c_value, "Valeur", Font::Bold, 9);
    doc.skip(13);
    for e in &r.employees {
        doc.need(13);
        let y = doc.y;
        doc.text_at(MARGIN, y, &e.name, Font::Regular, 9);
        doc.text_right(c_days, &qty(&e.days), Font::Regular, 9);
        doc.text_right(c_hours, &qty(&e.hours), Font::Regular, 9);
        doc.text_right(c_value, &euros(&e.value), Font::Regular, 9);
        doc.skip(13);
    }
    doc.rule();
    let y = doc.y;
    doc.text_at(
        MARGIN,
        y,
        "Total du personnel mis à disposition",
        Font::Bold,
        9,
    );
    doc.text_right(c_value, &euros(&r.staff_time), Font::Bold, 9);
    doc.skip(14);
}

/// The list of the goods and services given, with its total.
fn goods(doc: &mut Doc, r: &Receipt) {
    if r.goods.is_empty() {
        return;
    }
    doc.heading("Description exhaustive : biens et services donnés");
    let c_value = PAGE_W - MARGIN;
    for g in &r.goods {
        doc.need(13);
        let y = doc.y;
        doc.text_at(MARGIN, y, &date_fr(g.date), Font::Regular, 9);
        doc.text_right(c_value, &euros(&g.amount), Font::Regular, 9);
        // The description wraps clear of the amount column.
        doc.para_in(MARGIN + 70, c_value - 90, &g.description, Font::Regular, 9);
    }
    doc.rule();
    let y = doc.y;
    doc.text_at(MARGIN, y, "Total des biens et services", Font::Bold, 9);
    doc.text_right(c_value, &euros(&r.goods_value), Font::Bold, 9);
    doc.skip(14);
}

/// The place, date and signature lines.
fn signature(doc: &mut Doc) {
    doc.heading("Signature");
    doc.para(
        MARGIN,
        "Fait à ........................................, le ....../....../..........",
        Font::Regular,
        9,
    );
    doc.para(
        MARGIN,
        "Nom, qualité et signature du représentant de l'organisme :",
        Font::Regular,
        9,
    );
    doc.skip(30);
}

/// How [`write_receipts_with`] treats the files already in the directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace receipt files that already exist (regular files only: a symbolic link is
    /// never written through, even then). Without it, nothing is written when any exists.
    pub force: bool,
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
    let io = |p: &Path, e: std::io::Error| mecenat::fsio::io_error(p, &e);
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let paths: Vec<PathBuf> = (report.receipts.iter().enumerate())
        .map(|(i, r)| dir.join(receipt_file_name(i + 1, r)))
        .collect();
    let (mut links, mut existing) = (Vec::new(), Vec::new());
    for p in &paths {
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.file_type().is_symlink() => links.push(p),
            Ok(_) => existing.push(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(p, e)),
        }
    }
    let refuse = |what: &str, list: &[&PathBuf]| mecenat::Error::Io {
        path: dir.display().to_string(),
        message: format!("{} {what}: {}", list.len(), names(list)),
    };
    if !links.is_empty() {
        return Err(refuse(
            "receipt file name(s) are symbolic links, which mecenat never writes through; \
             remove them",
            &links,
        ));
    }
    if !existing.is_empty() && !opts.force {
        return Err(refuse(
            "receipt file(s) already exist and would be replaced (nothing was written; \
             --force replaces them)",
            &existing,
        ));
    }
    // Every receipt is rendered before any is written: a text the font cannot print
    // stops the run with nothing written.
    let pdfs = (report.receipts.iter().map(receipt_pdf)).collect::<Result<Vec<_>, _>>()?;
    for (p, pdf) in paths.iter().zip(&pdfs) {
        mecenat::fsio::atomic_write(p, |w| {
            std::io::Write::write_all(w, pdf).map_err(|e| io(p, e))
        })?;
    }
    Ok(paths)
}

/// The file names of `paths`, the first ten then how many more.
fn names(paths: &[&PathBuf]) -> String {
    let mut out: Vec<String> = (paths.iter().take(10))
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if paths.len() > 10 {
        out.push(format!("and {} more", paths.len() - 10));
    }
    out.join(", ")
}
