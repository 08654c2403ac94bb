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
//! assert_eq!(mecenat_pdf::receipt_file_name(&report.receipts[0]), "recu_C1_A1_2025.pdf");
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

/// The file name of a receipt's PDF: `recu_COMPANY_BENEFICIARY_FISCALYEAR.pdf`, with any
/// character other than a letter, digit, `-` or `_` replaced by `_`.
pub fn receipt_file_name(r: &Receipt) -> String {
    let safe = |t: &str| -> String {
        t.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "recu_{}_{}_{}.pdf",
        safe(&r.company),
        safe(&r.beneficiary),
        safe(&r.fiscal_year)
    )
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

/// Writes one PDF per receipt of the report into `dir` (created if missing) and returns
/// the paths written, in the report's order.
///
/// # Errors
///
/// [`mecenat::Error::Io`] when the directory or a file cannot be written.
pub fn write_receipts(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, mecenat::Error> {
    let io = |p: &Path, e: std::io::Error| mecenat::Error::Io {
        path: p.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut out = Vec::with_capacity(report.receipts.len());
    for r in &report.receipts {
        let path = dir.join(receipt_file_name(r));
        std::fs::write(&path, receipt_pdf(r)?).map_err(|e| io(&path, e))?;
        out.push(path);
    }
    Ok(out)
}
