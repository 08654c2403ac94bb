//! The French text summary: until when the excess carried at each company's last closing
//! can be used (issue 9, item 4); French typography and the lines people look for (issue
//! 12, item 3), on a scenario small enough to compute by hand.

use std::path::Path;

#[test]
fn summary_says_until_when_the_carried_excess_can_be_used() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("fixtures/cases/c22_usable_until.json")).unwrap(),
    )
    .unwrap();
    let s = mecenat::Scenario::from_json(&case["scenario"].to_string()).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let text = r.to_text();
    // C1's last closing (2026): nothing is left of the donations ledger, two reductions.
    for line in [
        "Réduction non imputée reportée de 2025 : 6 000,00 € utilisable jusqu'au 31/12/2030",
        "Réduction non imputée reportée de 2026 : 6 300,00 € utilisable jusqu'au 31/12/2031",
        // C2 (30 June) and C3 (end of February): projected 12-month years.
        "Excédent reporté de 2026 à 60 % : 5 000,00 € utilisable jusqu'au 30/06/2031",
        "Excédent reporté de 2025 à 60 % : 1 000,00 € utilisable jusqu'au 28/02/2030",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Only at the last closing of a company: C1's 2025 excess is not listed.
    assert!(!text.contains("10 000,00 € utilisable"), "{text}");
}

/// The demo's planning sentences (issue 15): the headroom under the 2026 ceiling, and the
/// fate of the 186,166.11 € carried at its closing under both projections.
#[test]
fn summary_ends_with_the_planning_sentences() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(repo.join("fixtures/demo/scenario.json")).unwrap();
    let s = mecenat::Scenario::from_json(&text).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let t = r.to_text();
    for part in [
        "marge sous le plafond 2026 : 0,00 € ; un don supplémentaire ne réduirait pas l'impôt de 2026.",
        "Sur les 186 166,11 € reportés, 0,00 € seraient utilisés si les dons restent au niveau de 2026 (186 166,11 € expireraient entre 2030 et 2031) ; sans nouveau don, 186 166,11 € seraient utilisés d'ici 2028.",
    ] {
        assert!(t.contains(part), "missing {part:?} in\n{t}");
    }
}

/// One company, turnover 1,000,000 (ceiling max(20,000; 5,000) = 20,000), tax due 5,000;
/// one consultant (60,000 + 30,000 a year, 218 days: 90,000 / 218 = 412.844 → 412.84 a
/// day, under 3 × PASS) giving 2 days (03 and 04/03/2025) on a project during a bench
/// week (Monday 03 to Friday 07/03/2025: 5 weekdays), and a cash gift of 30,000.
const HAND: &str = r#"{
  "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
  "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                    "turnover": "1000000", "tax_due": "5000"}],
  "beneficiaries": [{"id": "A1", "name": "Association Octet"}],
  "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "60000",
                 "annual_employer_charges": "30000", "annual_working_days": "218"}],
  "time_entries": [
    {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1", "project": "P"},
    {"employee": "E1", "beneficiary": "A1", "date": "2025-03-04", "days": "1", "project": "P"}],
  "donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-06-02", "amount": "30000"}],
  "bench": [{"employee": "E1", "start": "2025-03-03", "end": "2025-03-07"}]
}"#;

fn hand_text() -> String {
    let s = mecenat::Scenario::from_json(HAND).unwrap();
    mecenat::compute(&s, &mecenat::Options::default())
        .unwrap()
        .to_text()
}

#[test]
fn summary_figures_in_french_typography() {
    let t = hand_text();
    for part in [
        // Dates as 31/12/2025.
        "C1 · exercice 2025 (01/01/2025 → 31/12/2025) · régime 2020",
        // 2 × 412.84 = 825.68 of time + 30,000 cash = 30,825.68; thousands with a space.
        "30 825,68 €  (temps 825,68 € · numéraire 30 000,00 € · nature 0,00 €)",
        "20 000,00 €  (exercice 20 000,00 € · reports 0,00 €)",
        // 60 % × 20,000 = 12,000, the 60 % part first.
        "12 000,00 €  (60 % : 12 000,00 € · 40 % : 0,00 €)",
        // The form's figure in whole euros.
        "12 000 €  (réduction en euros entiers)",
        // 30,825.68 − 20,000 = 10,825.68 carried five years: until the 2030 closing.
        "10 825,68 €  (expiré 0,00 € · solde reporté 10 825,68 €)",
        "Excédent reporté de 2025 à 60 % : 10 825,68 € utilisable jusqu'au 31/12/2030",
        // Tax 5,000: 5,000 imputed, 7,000 carried as a reduction.
        "5 000,00 €  (imputé 5 000,00 € · expiré 0,00 € · report en impôt 7 000,00 €)",
        "Réduction non imputée reportée de 2025 : 7 000,00 € utilisable jusqu'au 31/12/2030",
    ] {
        assert!(t.contains(part), "missing {part:?} in\n{t}");
    }
    assert!(
        t.lines()
            .any(|l| l.starts_with("  Plafond ") && l.ends_with(" 20 000,00 €")),
        "{t}"
    );
    assert!(!t.contains("825.68") && !t.contains("12000.00"), "{t}");
}

#[test]
fn summary_lines_people_look_for() {
    let t = hand_text();
    for part in [
        // 2 days × 7 hours; one employee, one association, one project.
        "Temps donné par ses salariés : 14 heures · 2 jours · 1 salarié · 1 association soutenue · 1 projet",
        // FTE = 14 / 1607 = 0.0087 → 0,01 (two decimals, half away from zero).
        "Temps donné en 2025 (salariés et bénévoles) : 14 heures · 2 jours · 0,01 ETP · 1 personne · 1 association soutenue · 1 projet",
        // Bench: 5 weekdays, 2 donated (2 / 5 = 40 %). Reduction of the year's own gifts
        // 12,000, attributed 12,000 × 825.68 / 30,825.68 = 321.4255 → 321.43; net cost
        // 825.68 − 321.43 = 504.25, a day 252.125 → 252.13; an idle day 5 × 412.84 / 5.
        "Intercontrat : 5 jours, dont 2 donnés (40 %) ; un jour d'intercontrat donné coûte 252,13 € net de réduction, un jour inoccupé 412,84 €",
        // One receipt (C1 → A1, 2025); gifts above 10,000: the declaration, one beneficiary.
        "Reçus fiscaux à produire : 1 (Cerfa 16216 ; mecenat receipts les écrit)",
        "Déclaration des dons > 10 000 € requise (annexe 2069-RCI-SD) : 1 bénéficiaire",
        "Politique de plafonnement : rate (coût annuel plafonné à 3 PASS)",
        "Temps : 2 lignes (2 retenues, 0 exclues, 0 rejetées)",
    ] {
        assert!(t.contains(part), "missing {part:?} in\n{t}");
    }
}

/// Counts get their thousands separated too: the demo's 1,609 time entries.
#[test]
fn counts_have_thousands_separated() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(repo.join("fixtures/demo/scenario.json")).unwrap();
    let s = mecenat::Scenario::from_json(&text).unwrap();
    let t = mecenat::compute(&s, &mecenat::Options::default())
        .unwrap()
        .to_text();
    assert!(t.contains("Temps : 1 609 lignes ("), "{t}");
    // The demo's donations of 2025 and its reduction, as the issue quotes them.
    assert!(t.contains("216 118,02 €"), "{t}");
    assert!(t.contains("(60 % : 64 440,00 € · 40 % : 0,00 €)"), "{t}");
}

/// Before the 2020 regime there is no 40 % rate: the summary shows only 60 %; without a tax
/// due, it says the imputation is not computed rather than printing dashes; a year without
/// projects names none.
#[test]
fn summary_of_an_old_regime_without_tax_due() {
    let s = mecenat::Scenario::from_json(
        r#"{
      "companies": [{"id": "C1", "name": "Ancien Conseil"}],
      "fiscal_years": [{"company": "C1", "start": "2018-01-01", "end": "2018-12-31",
                        "turnover": "2000000"}],
      "beneficiaries": [{"id": "A1", "name": "Association Octet"}],
      "donations": [{"company": "C1", "beneficiary": "A1", "date": "2018-05-02", "amount": "12000"}]
    }"#,
    )
    .unwrap();
    let t = mecenat::compute(&s, &mecenat::Options::default())
        .unwrap()
        .to_text();
    // Ceiling 5 ‰ × 2,000,000 = 10,000 (no fixed part before 2019); 60 % × 10,000 = 6,000.
    assert!(t.contains("6 000,00 €  (60 % : 6 000,00 €)"), "{t}");
    assert!(!t.contains("40 %"), "{t}");
    assert!(
        t.contains("non renseigné  (imputation non calculée)"),
        "{t}"
    );
    assert!(!t.contains("imputé —"), "{t}");
}

/// The excerpt of the summary quoted in the French Excel guide is the demo's summary, line
/// for line (the guide cannot drift from the output).
#[test]
fn the_guide_quotes_the_demo_summary_as_it_is() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let guide = std::fs::read_to_string(repo.join("docs/guide-excel.fr.md")).unwrap();
    let block = guide
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a ```text block in the guide");
    let demo = std::fs::read_to_string(repo.join("fixtures/demo/scenario.json")).unwrap();
    let s = mecenat::Scenario::from_json(&demo).unwrap();
    let t = mecenat::compute(&s, &mecenat::Options::default())
        .unwrap()
        .to_text();
    let lines: Vec<&str> = t.lines().collect();
    let quoted: Vec<&str> = block.lines().collect();
    assert!(quoted.len() >= 10, "{block}");
    assert!(
        lines.windows(quoted.len()).any(|w| w == quoted.as_slice()),
        "the guide's excerpt is not in the demo's summary:\n{block}\n---\n{t}"
    );
}
