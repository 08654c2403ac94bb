//! PDF receipts for mecenat: one document per receipt of the report, with the content of
//! the Cerfa 16216 (form 2041-MEC-SD) receipt for gifts by companies under article 238 bis
//! of the CGI: the beneficiary's identity and category, the company's identity, the period,
//! the cash and in-kind amounts in figures and in French words, the detail of the employees
//! made available and of the goods given, and the "not tax advice" note.
//!
//! Written with [`pdf_writer`] and the standard Helvetica fonts in the WinAnsi encoding:
//! no font file is embedded, and French accents, « », œ and € render in every PDF reader.
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
//! let pdf = mecenat_pdf::receipt_pdf(&report.receipts[0]);
//! assert!(pdf.starts_with(b"%PDF-"));
//! assert_eq!(mecenat_pdf::receipt_file_name(&report.receipts[0]), "recu_C1_A1_2025.pdf");
//! ```

mod layout;

use std::path::{Path, PathBuf};

use mecenat::assoc::fr_amount;
use mecenat::money::fmt_qty;
use mecenat::report::{Receipt, Report, DISCLAIMER};

use layout::{Doc, Font, MARGIN, PAGE_W};

/// The French wording of an eligibility category (the codes of scenario-format.md), or
/// the code itself when unknown.
pub fn category_label(code: &str) -> String {
    match code {
        "general_interest" => "Œuvre ou organisme d'intérêt général (article 238 bis 1 a du CGI)".into(),
        "public_utility" => "Association ou fondation reconnue d'utilité publique".into(),
        "endowment_fund" => "Fonds de dotation".into(),
        "higher_education" => "Établissement d'enseignement supérieur ou d'enseignement artistique, public ou privé, d'intérêt général, à but non lucratif".into(),
        "research" => "Organisme de recherche public ou privé d'intérêt général, à but non lucratif".into(),
        "performing_arts" => "Organisme dont l'activité principale est la présentation au public d'œuvres dramatiques, lyriques, musicales, chorégraphiques, cinématographiques ou de cirque".into(),
        "heritage" => "Organisme de sauvegarde ou de mise en valeur du patrimoine".into(),
        other => format!("Catégorie « {other} »"),
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
pub fn receipt_pdf(r: &Receipt) -> Vec<u8> {
    let mut doc = Doc::new();
    let number = format!("{}-{}-{}", r.company, r.beneficiary, r.fiscal_year);
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

    doc.heading("Organisme bénéficiaire des versements");
    field(&mut doc, "Dénomination", &r.beneficiary_name);
    if let Some(x) = &r.beneficiary_siren {
        field(&mut doc, "SIREN", x);
    }
    if let Some(x) = &r.beneficiary_rna {
        field(&mut doc, "Numéro RNA", x);
    }
    if let Some(x) = &r.beneficiary_address {
        field(&mut doc, "Adresse", x);
    }
    if let Some(x) = &r.beneficiary_object {
        field(&mut doc, "Objet", x);
    }
    field(
        &mut doc,
        "Catégorie",
        &category_label(&r.beneficiary_category),
    );
    doc.para(
        MARGIN,
        "L'organisme bénéficiaire certifie que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article 238 bis du code général des impôts.",
        Font::Regular,
        9,
    );

    doc.heading("Entreprise donatrice");
    field(&mut doc, "Dénomination", &r.company_name);
    if let Some(x) = &r.company_legal_form {
        field(&mut doc, "Forme juridique", x);
    }
    if let Some(x) = &r.company_siren {
        field(&mut doc, "SIREN", x);
    }
    if let Some(x) = &r.company_address {
        field(&mut doc, "Adresse", x);
    }

    doc.heading("Dons et versements reçus");
    field(
        &mut doc,
        "Période",
        &format!(
            "du {} au {} (exercice {} de l'entreprise)",
            date_fr(r.period_start),
            date_fr(r.period_end),
            r.fiscal_year
        ),
    );
    field(&mut doc, "Numéraire", &euros(&r.cash));
    field(&mut doc, "   en toutes lettres", &r.cash_words);
    field(&mut doc, "En nature", &euros(&r.in_kind));
    field(&mut doc, "   en toutes lettres", &r.in_kind_words);
    field(
        &mut doc,
        "   dont personnel",
        &format!(
            "{} (mécénat de compétences : mise à disposition de salariés)",
            euros(&r.staff_time)
        ),
    );
    field(
        &mut doc,
        "   dont biens et services",
        &euros(&r.goods_value),
    );
    doc.para(
        MARGIN,
        "Valeur des dons en nature : celle déclarée par l'entreprise (coût de revient : salaire et charges sociales au prorata du temps donné, dans la limite légale), et non celle que l'organisme retient dans ses propres comptes.",
        Font::Regular,
        8,
    );

    if !r.employees.is_empty() {
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

    if !r.goods.is_empty() {
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
    doc.finish(
        &format!("Reçu fiscal {number} – {}", r.beneficiary_name),
        DISCLAIMER,
    )
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
        std::fs::write(&path, receipt_pdf(r)).map_err(|e| io(&path, e))?;
        out.push(path);
    }
    Ok(out)
}
