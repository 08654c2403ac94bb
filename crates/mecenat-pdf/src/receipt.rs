//! The page of one receipt, in the order of the official model (Cerfa 16216, form
//! 2041-MEC-SD): its number, the beneficiary with the mentions of its category, the
//! company, the detail of the gifts (each cash gift with its date and means of payment,
//! the employees made available, the goods given), then, kept together on the last page,
//! the amounts in figures and in words, the certification, the article, and the place,
//! date and signature block. Everything printed is French: the receipt is the non-profit's
//! legal document, without the reports' "not tax advice" note.

use mecenat::money::fmt_qty;
use mecenat::report::Receipt;
use mecenat::scenario::Category;
use mecenat::Location;

use crate::font::{self, FontError};
use crate::layout::{Doc, Font, MARGIN, PAGE_W};

/// What a receipt shows beyond what the law requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptOptions {
    /// Show each employee's value next to their time (the default). Without it, each
    /// employee's name, days and hours are listed and only the total value is given: the
    /// value of one person's time reveals their pay cost.
    pub employee_values: bool,
}

impl Default for ReceiptOptions {
    fn default() -> Self {
        ReceiptOptions {
            employee_values: true,
        }
    }
}

/// The French wording of an eligibility category on a receipt.
pub fn category_label(category: Category) -> &'static str {
    category.label_fr()
}

/// The mentions of the beneficiary's category on its receipts: the category (for a
/// public-utility body, with the date of its recognition decree when given), then, when
/// the beneficiary gives free aid to people in difficulty, that mention of the form.
pub fn category_mentions(r: &Receipt) -> Vec<String> {
    let mut out = vec![
        match (r.beneficiary_category, r.beneficiary_recognition_decree) {
            (Category::PublicUtility, Some(d)) => format!(
                "{} par décret en date du {}",
                category_label(Category::PublicUtility),
                date_fr(d)
            ),
            (category, _) => category_label(category).to_string(),
        },
    ];
    if r.beneficiary_aid_to_people_in_difficulty {
        out.push(AID_MENTION.into());
    }
    out
}

/// The mention of a body giving free aid to people in difficulty.
const AID_MENTION: &str = "Organisme sans but lucratif fournissant gratuitement une aide \
    alimentaire, des soins médicaux ou des produits de première nécessité à des personnes \
    en difficulté, ou favorisant leur logement";

/// The certification of the official model.
const CERTIFICATION: &str = "Le bénéficiaire certifie sur l'honneur que les dons et \
    versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article 238 bis \
    du code général des impôts.";

fn date_fr(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn euros(x: &mecenat::money::Money) -> String {
    mecenat::fr::fr_euros(x.0)
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

/// The PDF of one receipt, with `opts`.
///
/// # Errors
///
/// As [`crate::receipt_pdf`].
pub fn receipt_pdf_with(r: &Receipt, opts: &ReceiptOptions) -> Result<Vec<u8>, mecenat::Error> {
    // The receipt as the errors name it (ids, for the user to find its rows).
    let id = format!("{}-{}-{}", r.company, r.beneficiary, r.fiscal_year);
    let mut doc = Doc::new().map_err(|e| font_error(&id, e))?;
    check_glyphs(&doc, r, &id)?;
    title(&mut doc, r);
    beneficiary(&mut doc, r);
    company(&mut doc, r);
    cash_gifts(&mut doc, r);
    employees(&mut doc, r, opts);
    goods(&mut doc, r);
    amounts_and_signature(&mut doc, r);
    doc.finish(
        &format!("Reçu n° {} – {}", r.number, r.beneficiary_name),
        &format!(
            "Reçu n° {} délivré par {} à {}",
            r.number, r.beneficiary_name, r.company_name
        ),
    )
    .map_err(|e| font_error(&id, e))
}

/// Refuses a receipt with a text that the font cannot print, naming the field.
fn check_glyphs(doc: &Doc, r: &Receipt, number: &str) -> Result<(), mecenat::Error> {
    let category = category_label(r.beneficiary_category);
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
            Some(category),
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
fn title(doc: &mut Doc, r: &Receipt) {
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
        &format!("Numéro d'ordre du reçu : {}", r.number),
        Font::Bold,
        10,
    );
}

/// The beneficiary's identity and the mentions of its category.
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
    for (i, m) in category_mentions(r).iter().enumerate() {
        field(doc, if i == 0 { "Catégorie" } else { "" }, m);
    }
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

/// Each cash gift: its date, its means of payment and its amount.
fn cash_gifts(doc: &mut Doc, r: &Receipt) {
    if r.cash_gifts.is_empty() {
        return;
    }
    doc.heading("Dons en numéraire : date et mode de versement");
    let (c_mode, c_value) = (MARGIN + 80, PAGE_W - MARGIN);
    doc.need(14);
    let y = doc.y;
    doc.text_at(MARGIN, y, "Date", Font::Bold, 9);
    doc.text_at(c_mode, y, "Mode de versement", Font::Bold, 9);
    doc.text_right(c_value, "Montant", Font::Bold, 9);
    doc.skip(13);
    for g in &r.cash_gifts {
        doc.need(13);
        let y = doc.y;
        doc.text_at(MARGIN, y, &date_fr(g.date), Font::Regular, 9);
        let mode = g.payment_method.map_or("non précisé", |m| m.label_fr());
        doc.text_at(c_mode, y, mode, Font::Regular, 9);
        doc.text_right(c_value, &euros(&g.amount), Font::Regular, 9);
        doc.skip(13);
    }
    doc.rule();
    let y = doc.y;
    doc.text_at(MARGIN, y, "Total du numéraire", Font::Bold, 9);
    doc.text_right(c_value, &euros(&r.cash), Font::Bold, 9);
    doc.skip(14);
}

/// The table of the employees made available, with its total; each one's value only
/// with `opts.employee_values`.
fn employees(doc: &mut Doc, r: &Receipt, opts: &ReceiptOptions) {
    if r.employees.is_empty() {
        return;
    }
    doc.heading("Description exhaustive : détail des salariés mis à disposition");
    let right = PAGE_W - MARGIN;
    let (c_days, c_hours) = if opts.employee_values {
        (MARGIN + 330, MARGIN + 400)
    } else {
        (right - 80, right)
    };
    // The columns' titles, again at the top of each page the list runs onto.
    let header = |doc: &mut Doc| {
        let y = doc.y;
        doc.text_at(MARGIN, y, "Salarié", Font::Bold, 9);
        doc.text_right(c_days, "Jours", Font::Bold, 9);
        doc.text_right(c_hours, "Heures", Font::Bold, 9);
        if opts.employee_values {
            doc.text_right(right, "Valeur", Font::Bold, 9);
        }
        doc.skip(13);
    };
    doc.need(27);
    header(doc);
    for e in &r.employees {
        if doc.need_page(13) {
            header(doc);
        }
        let y = doc.y;
        doc.text_at(MARGIN, y, &e.name, Font::Regular, 9);
        doc.text_right(c_days, &qty(&e.days), Font::Regular, 9);
        doc.text_right(c_hours, &qty(&e.hours), Font::Regular, 9);
        if opts.employee_values {
            doc.text_right(right, &euros(&e.value), Font::Regular, 9);
        }
        doc.skip(13);
    }
    doc.rule();
    let y = doc.y;
    doc.text_at(
        MARGIN,
        y,
        "Valeur totale du personnel mis à disposition",
        Font::Bold,
        9,
    );
    doc.text_right(right, &euros(&r.staff_time), Font::Bold, 9);
    doc.skip(14);
    if !opts.employee_values {
        doc.para(
            MARGIN,
            "La valeur du temps de chaque salarié n'est pas détaillée ; seule la valeur totale est indiquée.",
            Font::Regular,
            8,
        );
    }
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

/// One piece of the last block, measured before it is drawn.
enum Piece {
    Heading(&'static str),
    Field(&'static str, String),
    Para(String, Font, i32),
    Skip(i32),
}

/// The height of a piece, as [`draw`] moves the cursor.
fn height(doc: &Doc, p: &Piece) -> i32 {
    let lines = |text: &str, font, size, x| {
        let n = doc.wrap(text, font, size, PAGE_W - MARGIN - x).len();
        i32::try_from(n).unwrap_or(i32::MAX / 64) * (size + size / 3 + 1)
    };
    match p {
        Piece::Heading(_) => 26,
        Piece::Field(_, v) => lines(v, Font::Bold, 9, MARGIN + 150),
        Piece::Para(t, font, size) => lines(t, *font, *size, MARGIN),
        Piece::Skip(h) => *h,
    }
}

fn draw(doc: &mut Doc, p: &Piece) {
    match p {
        Piece::Heading(t) => doc.heading(t),
        Piece::Field(l, v) => field(doc, l, v),
        Piece::Para(t, font, size) => doc.para(MARGIN, t, *font, *size),
        Piece::Skip(h) => doc.skip(*h),
    }
}

/// The period, the amounts in figures and in words, the certification and the place,
/// date and signature block: one block, moved whole to a new page when the page has no
/// room for it, so that the signature is always on the last page with the amounts.
fn amounts_and_signature(doc: &mut Doc, r: &Receipt) {
    let period = format!(
        "du {} au {} (exercice {} de l'entreprise)",
        date_fr(r.period_start),
        date_fr(r.period_end),
        r.fiscal_year
    );
    let pieces = [
        Piece::Heading("Dons et versements reçus"),
        Piece::Field("Date ou période", period),
        Piece::Field("Numéraire", euros(&r.cash)),
        Piece::Field("   en toutes lettres", r.cash_words.clone()),
        Piece::Field("En nature", euros(&r.in_kind)),
        Piece::Field("   en toutes lettres", r.in_kind_words.clone()),
        Piece::Field(
            "   dont personnel",
            format!(
                "{} (mécénat de compétences : mise à disposition de salariés)",
                euros(&r.staff_time)
            ),
        ),
        Piece::Field("   dont biens et services", euros(&r.goods_value)),
        Piece::Para(
            "Les dons en nature sont retenus à la valeur déclarée par l'entreprise donatrice (coût de revient).".into(),
            Font::Regular,
            8,
        ),
        Piece::Skip(6),
        Piece::Para(CERTIFICATION.into(), Font::Bold, 9),
        Piece::Skip(6),
        Piece::Para(
            "Fait à ........................................, le ....../....../..........".into(),
            Font::Regular,
            9,
        ),
        Piece::Para(
            "Nom, qualité et signature de la personne habilitée à délivrer le reçu :".into(),
            Font::Regular,
            9,
        ),
        // Room to sign.
        Piece::Skip(28),
    ];
    let total: i32 = pieces.iter().map(|p| height(doc, p)).sum();
    doc.need(total);
    for p in &pieces {
        draw(doc, p);
    }
}
