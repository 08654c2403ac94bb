//! The receipts' PDFs read back as text (pdftotext, from poppler-utils): names, amounts in
//! figures and in words, employees, goods and the note are there, accents included.
//!
//! Without `pdftotext` on the PATH the test says so and passes, unless
//! `MECENAT_REQUIRE_PDFTOTEXT=1` (scripts/test-extra.sh installs poppler-utils and sets it).

use std::path::{Path, PathBuf};
use std::process::Command;

fn pdftotext(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output();
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8(o.stdout).expect("UTF-8 text")),
        Ok(o) => panic!(
            "pdftotext failed on {}: {}",
            path.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => {
            assert!(
                std::env::var("MECENAT_REQUIRE_PDFTOTEXT").as_deref() != Ok("1"),
                "pdftotext is required (MECENAT_REQUIRE_PDFTOTEXT=1) but not found: install poppler-utils"
            );
            eprintln!("pdftotext not found: PDF text not checked (install poppler-utils)");
            None
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mecenat-pdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Spaces collapsed, so that layout columns do not matter.
fn flat(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn receipts_read_back_with_names_amounts_and_words() {
    let s = mecenat::Scenario::from_json(
        &serde_json::json!({
            "companies": [{"id": "C1", "name": "Exemple Conseil SAS", "siren": "552100554",
                           "legal_form": "SAS", "address": "1 rue de la Paix, 75002 Paris"}],
            "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                              "turnover": "2000000"}],
            "beneficiaries": [
                {"id": "A1", "name": "Association Élan Solidaire", "rna": "W751000001",
                 "address": "2 rue du Bac, 75007 Paris", "object": "Inclusion numérique",
                 "category": "public_utility"},
                {"id": "A2", "name": "Fondation Cœur à l'ouvrage", "category": "endowment_fund"}
            ],
            "employees": [
                {"id": "E1", "company": "C1", "name": "Camille Martin", "annual_gross_salary": "48000",
                 "annual_employer_charges": "21600", "annual_working_days": "218"},
                {"id": "E2", "company": "C1", "name": "François Lefèvre", "annual_gross_salary": "40000",
                 "annual_employer_charges": "18000", "annual_working_hours": "1607"}
            ],
            "time_entries": [
                {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "2"},
                {"employee": "E2", "beneficiary": "A1", "date": "2025-03-04", "hours": "3.5"},
                {"employee": "E1", "beneficiary": "A2", "date": "2025-04-01", "days": "1"}
            ],
            "donations": [
                {"company": "C1", "beneficiary": "A1", "date": "2025-06-12", "amount": "1200",
                 "kind": "in_kind", "description": "4 ordinateurs portables reconditionnés"},
                {"company": "C1", "beneficiary": "A1", "date": "2025-07-01", "amount": "1234.50"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let report = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert_eq!(report.receipts.len(), 2);
    let dir = temp_dir("receipts");
    let paths = mecenat_pdf::write_receipts(&report, &dir).unwrap();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("recu_0001_C1_A1_2025.pdf"));
    let Some(text) = pdftotext(&paths[0]) else {
        return;
    };
    let t = flat(&text);
    let r = &report.receipts[0];
    // Staff: 2 days x 69,600/218 = 638.53; 3.5 h x 58,000/1,607 = 126.32; goods 1,200.00.
    assert_eq!(r.staff_time.0.to_string(), "764.85");
    assert_eq!(r.in_kind.0.to_string(), "1964.85");
    for want in [
        "Reçu au titre des dons et versements effectués par les entreprises",
        "Cerfa n° 16216",
        "2041-MEC-SD",
        "Association Élan Solidaire",
        "W751000001",
        "Inclusion numérique",
        "Association ou fondation reconnue d'utilité publique",
        "Exemple Conseil SAS",
        "552100554",
        "1 rue de la Paix, 75002 Paris",
        "du 01/01/2025 au 31/12/2025",
        "1 234,50 €",
        "mille deux cent trente-quatre euros et cinquante centimes",
        "1 964,85 €",
        "mille neuf cent soixante-quatre euros et quatre-vingt-cinq centimes",
        "Camille Martin",
        "638,53 €",
        "François Lefèvre",
        "3,5",
        "126,32 €",
        "764,85 €",
        "4 ordinateurs portables reconditionnés",
        "1 200,00 €",
        "Numéro d'ordre du reçu : 2025-0001",
        "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article 238 bis du code général des impôts.",
        "Fait à",
        "01/07/2025 non précisé 1 234,50 €",
    ] {
        assert!(
            t.contains(want),
            "{want:?} missing from the PDF text:\n{text}"
        );
    }
    // No report disclaimer, no English: a receipt is the non-profit's document.
    for unwanted in [
        "conseil fiscal",
        "Not tax advice",
        "advice",
        "receipt",
        "Page 1 of",
    ] {
        assert!(
            !t.contains(unwanted),
            "{unwanted:?} in the PDF text:\n{text}"
        );
    }
    assert_eq!(
        r.in_kind_words,
        "mille neuf cent soixante-quatre euros et quatre-vingt-cinq centimes"
    );
    // The second receipt: another beneficiary, only staff time, œ in its name.
    let t2 = flat(&pdftotext(&paths[1]).unwrap());
    for want in [
        "Fondation Cœur à l'ouvrage",
        "Fonds de dotation",
        "319,27 €",
        "trois cent dix-neuf euros et vingt-sept centimes",
        "zéro euro",
    ] {
        assert!(
            t2.contains(want),
            "{want:?} missing from the second PDF:\n{t2}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn many_employees_flow_onto_more_pages() {
    let mut employees = Vec::new();
    let mut entries = Vec::new();
    for i in 0..80 {
        employees.push(serde_json::json!({"id": format!("E{i}"), "company": "C1",
            "name": format!("Salarié numéro {i}"), "annual_gross_salary": "48000",
            "annual_employer_charges": "21600", "annual_working_days": "218"}));
        entries.push(
            serde_json::json!({"employee": format!("E{i}"), "beneficiary": "A1",
            "date": "2025-03-03", "days": "1"}),
        );
    }
    let s = mecenat::Scenario::from_json(
        &serde_json::json!({
            "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
            "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                              "turnover": "20000000"}],
            "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
            "employees": employees, "time_entries": entries
        })
        .to_string(),
    )
    .unwrap();
    let report = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let dir = temp_dir("pages");
    let paths = mecenat_pdf::write_receipts(&report, &dir).unwrap();
    let Some(text) = pdftotext(&paths[0]) else {
        return;
    };
    // 80 x 319.27 = 25,541.60.
    let t = flat(&text);
    assert!(t.contains("Salarié numéro 0"), "{t}");
    assert!(t.contains("Salarié numéro 79"), "{t}");
    assert!(t.contains("25 541,60 €"), "{t}");
    assert!(t.contains("Page 2 / "), "{t}");
    // The columns' titles head every page the list runs onto.
    for page in text.split('\u{c}').filter(|p| p.contains("Salarié numéro")) {
        assert!(flat(page).contains("Salarié Jours Heures Valeur"), "{page}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn one_receipt(beneficiary_name: &str, employee_name: &str) -> mecenat::Report {
    let s = mecenat::Scenario::from_json(
        &serde_json::json!({
            "companies": [{"id": "C1", "name": "Công ty Bảo Anh – Őrség Kft.",
                           "address": "Świętokrzyska 12, 00-916 Warszawa"}],
            "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                              "turnover": "2000000"}],
            "beneficiaries": [{"id": "A1", "name": beneficiary_name,
                               "object": "Ateliers d’écriture\u{a0}: « Œdipe » et ½ journée"}],
            "employees": [{"id": "E1", "company": "C1", "name": employee_name,
                           "annual_gross_salary": "48000", "annual_employer_charges": "21600",
                           "annual_working_days": "218"}],
            "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03",
                              "days": "1"}]
        })
        .to_string(),
    )
    .unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

#[test]
fn letters_outside_win_ansi_read_back_exactly() {
    let report = one_receipt("Œuvre d'Élise – « Solidarité »", "Łukasz Nguyễn");
    let dir = temp_dir("letters");
    let paths = mecenat_pdf::write_receipts(&report, &dir).unwrap();
    // The fonts are embedded as subsets of the glyphs used, not whole (400 KB each).
    let size = std::fs::metadata(&paths[0]).unwrap().len();
    assert!(size < 60_000, "{size} bytes");
    let Some(text) = pdftotext(&paths[0]) else {
        return;
    };
    for want in [
        "Łukasz Nguyễn",
        "Œuvre d'Élise – « Solidarité »",
        "Công ty Bảo Anh – Őrség Kft.",
        "Świętokrzyska 12, 00-916 Warszawa",
        "319,27 €",
    ] {
        assert!(
            text.contains(want),
            "{want:?} missing from the PDF text:\n{text}"
        );
    }
    // The no-break space has its own glyph and ToUnicode entry; pdftotext prints it as a space.
    let want = "Ateliers d’écriture : « Œdipe » et ½ journée";
    assert!(flat(&text).contains(want), "{want:?} missing:\n{text}");
    assert!(!text.contains('?'), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_letter_the_font_lacks_is_refused_with_the_receipt_and_the_text() {
    let report = one_receipt("Association 名前", "Camille Martin");
    let err = mecenat_pdf::receipt_pdf(&report.receipts[0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid scenario (table beneficiaries, key name, value \"Association 名前\"): \
         receipt C1-A1-2025: the receipt font has no glyph for '名' (U+540D) in the \
         beneficiary name (it prints Latin, Greek and Cyrillic letters)"
    );
    let report = one_receipt("Association Exemple", "Camille 日本");
    let dir = temp_dir("refused");
    let err = mecenat_pdf::write_receipts(&report, &dir).unwrap_err();
    assert!(
        err.to_string()
            .contains("no glyph for '日' (U+65E5) in the employee name"),
        "{err}"
    );
    assert!(!dir.join("recu_C1_A1_2025.pdf").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn right_to_left_letters_are_refused_not_printed_reversed() {
    let report = one_receipt("Association Exemple", "אבי כהן");
    let err = mecenat_pdf::receipt_pdf(&report.receipts[0]).unwrap_err();
    assert!(
        err.to_string().contains(
            "receipt C1-A1-2025: the receipt font cannot print the right-to-left character \
             U+05D0 in the employee name"
        ),
        "{err}"
    );
}

/// A scenario whose receipts carry every mention of the form: public-utility body with its
/// decree, aid to people in difficulty, cash gifts paid in three ways, staff time.
fn mentions_scenario(employees: usize) -> serde_json::Value {
    let mut people = Vec::new();
    let mut entries = Vec::new();
    for i in 0..employees {
        people.push(serde_json::json!({"id": format!("E{i}"), "company": "C1",
            "name": format!("Salarié numéro {i}"), "annual_gross_salary": "48000",
            "annual_employer_charges": "21600", "annual_working_days": "218"}));
        entries.push(
            serde_json::json!({"employee": format!("E{i}"), "beneficiary": "A1",
            "date": "2025-03-03", "days": "2"}),
        );
    }
    serde_json::json!({
        "companies": [{"id": "C1", "name": "Octet Conseil SAS", "siren": "552100554"},
                      {"id": "C2", "name": "Bit Services", "siren": "443185202"}],
        "fiscal_years": [
            {"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "20000000"},
            {"company": "C2", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
        "beneficiaries": [
            {"id": "A1", "name": "Restos du Cœur de Lyon", "category": "public_utility",
             "recognition_decree": "1985-03-12", "aid_to_people_in_difficulty": true},
            {"id": "A2", "name": "Vague Bleue", "rna": "W751000001"}],
        "employees": people, "time_entries": entries,
        "donations": [
            {"company": "C1", "beneficiary": "A1", "date": "2025-02-15", "amount": "200",
             "payment_method": "cheque"},
            {"company": "C1", "beneficiary": "A1", "date": "2025-06-01", "amount": "300",
             "payment_method": "transfer"},
            {"company": "C1", "beneficiary": "A1", "date": "2025-09-30", "amount": "50",
             "payment_method": "cash_in_hand"},
            {"company": "C2", "beneficiary": "A1", "date": "2025-05-05", "amount": "1000",
             "payment_method": "other"},
            {"company": "C1", "beneficiary": "A2", "date": "2025-05-05", "amount": "80"}]
    })
}

fn report_of(v: &serde_json::Value) -> mecenat::Report {
    let s = mecenat::Scenario::from_json(&v.to_string()).unwrap();
    mecenat::compute(&s, &mecenat::Options::default()).unwrap()
}

#[test]
fn the_form_s_mentions_and_each_cash_gift_s_date_and_means() {
    let report = report_of(&mentions_scenario(2));
    let dir = temp_dir("mentions");
    let paths = mecenat_pdf::write_receipts(&report, &dir).unwrap();
    // C1 -> A1, C1 -> A2, C2 -> A1.
    assert_eq!(paths.len(), 3);
    let Some(text) = pdftotext(&paths[0]) else {
        return;
    };
    let t = flat(&text);
    for want in [
        "Numéro d'ordre du reçu : 2025-0001",
        "Association ou fondation reconnue d'utilité publique par décret en date du 12/03/1985",
        "Organisme sans but lucratif fournissant gratuitement une aide alimentaire, des soins médicaux ou des produits de première nécessité à des personnes en difficulté",
        "Dons en numéraire : date et mode de versement",
        "15/02/2025 Chèque 200,00 €",
        "01/06/2025 Virement, prélèvement, carte bancaire 300,00 €",
        "30/09/2025 Remise d'espèces 50,00 €",
        "Total du numéraire 550,00 €",
        "cinq cent cinquante euros",
        // 2 employees x 2 days x 69,600 / 218 = 2 x 638.53.
        "Salarié numéro 1 2 14 638,53 €",
        "1 277,06 €",
        "certifie sur l'honneur",
        "Article 238 bis du code général des impôts",
        "Nom, qualité et signature",
    ] {
        assert!(t.contains(want), "{want:?} missing from the PDF text:\n{text}");
    }
    // C2's receipt to A1: the second of A1 in 2025; the other means of payment.
    let t3 = flat(&pdftotext(&paths[2]).unwrap());
    assert!(t3.contains("Numéro d'ordre du reçu : 2025-0002"), "{t3}");
    assert!(t3.contains("05/05/2025 Autre 1 000,00 €"), "{t3}");
    // A2 is neither public-utility nor an aid body: its category only.
    let t2 = flat(&pdftotext(&paths[1]).unwrap());
    assert!(t2.contains("Œuvre ou organisme d'intérêt général"), "{t2}");
    assert!(!t2.contains("par décret"), "{t2}");
    assert!(!t2.contains("personnes en difficulté"), "{t2}");
    assert!(t2.contains("Numéro d'ordre du reçu : 2025-0001"), "{t2}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn employees_without_their_value_keep_the_total() {
    let report = report_of(&mentions_scenario(2));
    let dir = temp_dir("hidden");
    let opts = mecenat_pdf::WriteOptions {
        force: false,
        hide_employee_values: true,
    };
    let paths = mecenat_pdf::write_receipts_with(&report, &dir, &opts).unwrap();
    let Some(text) = pdftotext(&paths[0]) else {
        return;
    };
    let t = flat(&text);
    assert!(t.contains("Salarié numéro 0 2 14"), "{t}");
    assert!(t.contains("Salarié numéro 1 2 14"), "{t}");
    assert!(!t.contains("638,53"), "an employee's value is shown:\n{t}");
    assert!(
        t.contains("Valeur totale du personnel mis à disposition 1 277,06 €"),
        "{t}"
    );
    assert!(t.contains("seule la valeur totale est indiquée"), "{t}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_signature_is_on_the_last_page_with_the_amounts() {
    // Lists of several lengths, so that the employees end at various heights of a page.
    for n in [30, 38, 44, 50, 57, 64] {
        let report = report_of(&mentions_scenario(n));
        let pdf = mecenat_pdf::receipt_pdf(&report.receipts[0]).unwrap();
        let dir = temp_dir(&format!("pages{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.pdf");
        std::fs::write(&path, pdf).unwrap();
        let Some(text) = pdftotext(&path) else {
            return;
        };
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(pages.len() >= 2, "{n}: {} page(s)", pages.len());
        let last = flat(pages[pages.len() - 1]);
        for want in [
            "Numéraire",
            "en toutes lettres",
            "En nature",
            "certifie sur l'honneur",
            "Fait à",
            "Nom, qualité et signature",
        ] {
            assert!(
                last.contains(want),
                "{n} employees: {want:?} not on the last page:\n{last}"
            );
        }
        for p in &pages[..pages.len() - 1] {
            assert!(
                !flat(p).contains("certifie sur l'honneur"),
                "{n}: certification before the last page"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
