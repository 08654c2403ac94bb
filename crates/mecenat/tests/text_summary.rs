//! The French text summary says until when the excess carried at each company's last
//! closing can be used (issue 9, item 4).

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
        "Réduction non imputée reportée de 2025 : 6000.00 utilisable jusqu'au 31/12/2030",
        "Réduction non imputée reportée de 2026 : 6300.00 utilisable jusqu'au 31/12/2031",
        // C2 (30 June) and C3 (end of February): projected 12-month years.
        "Excédent reporté de 2026 à 60 % : 5000.00 utilisable jusqu'au 30/06/2031",
        "Excédent reporté de 2025 à 60 % : 1000.00 utilisable jusqu'au 28/02/2030",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Only at the last closing of a company: C1's 2025 excess is not listed.
    assert!(!text.contains("10000.00 utilisable"), "{text}");
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
