//! Receipt file names: unique per receipt whatever the ids, readable, bounded, and never
//! written over an existing file or through a symbolic link.

use std::collections::HashSet;
use std::path::PathBuf;

use mecenat::report::Receipt;
use proptest::prelude::*;

/// A report with one receipt per beneficiary id given (company C1, fiscal year 2025).
fn report(ids: &[&str]) -> mecenat::Report {
    let beneficiaries: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "name": format!("Association {id}")}))
        .collect();
    let donations: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"company": "C1", "beneficiary": id, "date": "2025-03-01", "amount": "100"}))
        .collect();
    let s = mecenat::Scenario::from_json(
        &serde_json::json!({
            "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
            "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
            "beneficiaries": beneficiaries, "donations": donations
        })
        .to_string(),
    )
    .unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert_eq!(r.receipts.len(), ids.len());
    r
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mecenat-pdf-names-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Checks the names of `receipts`: unique (even ignoring case, for macOS and Windows),
/// ASCII, bounded, of the documented shape.
fn check_names(receipts: &[Receipt]) -> Vec<String> {
    let names: Vec<String> = (receipts.iter().enumerate())
        .map(|(i, r)| mecenat_pdf::receipt_file_name(i + 1, r))
        .collect();
    let folded: HashSet<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    assert_eq!(folded.len(), names.len(), "{names:?}");
    for n in &names {
        assert!(n.len() <= 160, "{n}");
        assert!(n.starts_with("recu_") && n.ends_with(".pdf"), "{n}");
        assert!(
            n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{n}"
        );
        assert!(!n.contains("__"), "{n}");
    }
    names
}

#[test]
fn colliding_ids_get_distinct_readable_files() {
    let long = "x".repeat(300);
    let ids = [
        "a/b",
        "a_b",
        "a.b",
        "Δέλτα",
        "Ωμέγα",
        "Élan Solidaire",
        "Œuvre",
        &long,
    ];
    let r = report(&ids);
    let names = check_names(&r.receipts);
    let dir = temp_dir("collide");
    let paths = mecenat_pdf::write_receipts(&r, &dir).unwrap();
    assert_eq!(paths.len(), ids.len());
    let written = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(written, ids.len(), "one file per receipt");
    // The report's order is its own; find each id's name through the receipts.
    for (name, rc) in names.iter().zip(&r.receipts) {
        match rc.beneficiary.as_str() {
            "Élan Solidaire" => assert!(name.ends_with("_C1_Elan_Solidaire_2025.pdf"), "{name}"),
            "Œuvre" => assert!(name.ends_with("_C1_OEuvre_2025.pdf"), "{name}"),
            "a/b" | "a_b" | "a.b" => assert!(name.ends_with("_C1_a_b_2025.pdf"), "{name}"),
            "名前" | "日本" => assert!(name.ends_with("_C1_2025.pdf"), "{name}"),
            _ => assert!(name.len() < 120, "{name}"),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn existing_files_are_refused_unless_forced_and_links_always() {
    let r = report(&["A1", "A2"]);
    let dir = temp_dir("exist");
    let paths = mecenat_pdf::write_receipts(&r, &dir).unwrap();
    std::fs::write(&paths[1], b"my own edit").unwrap();
    let e = mecenat_pdf::write_receipts(&r, &dir)
        .unwrap_err()
        .to_string();
    assert!(e.contains("already exist"), "{e}");
    assert!(
        e.contains("recu_0001_C1_A1_2025.pdf") && e.contains("recu_0002_C1_A2_2025.pdf"),
        "{e}"
    );
    assert_eq!(std::fs::read(&paths[1]).unwrap(), b"my own edit");
    let force = mecenat_pdf::WriteOptions {
        force: true,
        ..Default::default()
    };
    mecenat_pdf::write_receipts_with(&r, &dir, &force).unwrap();
    assert!(std::fs::read(&paths[1]).unwrap().starts_with(b"%PDF-"));
    #[cfg(unix)]
    {
        let outside = temp_dir("exist-outside");
        std::fs::create_dir_all(&outside).unwrap();
        let victim = outside.join("victim.txt");
        std::fs::write(&victim, b"outside the directory").unwrap();
        std::fs::remove_file(&paths[0]).unwrap();
        std::os::unix::fs::symlink(&victim, &paths[0]).unwrap();
        let e = mecenat_pdf::write_receipts_with(&r, &dir, &force)
            .unwrap_err()
            .to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"outside the directory");
        let _ = std::fs::remove_dir_all(&outside);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn receipt_with(base: &Receipt, company: &str, beneficiary: &str, fy: &str) -> Receipt {
    let mut r = base.clone();
    r.company = company.to_string();
    r.beneficiary = beneficiary.to_string();
    r.fiscal_year = fy.to_string();
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the ids (slashes, dots, spaces, accents, other scripts, any length), the
    /// names of a report's receipts are unique, bounded and of the documented shape. The
    /// ids are drawn from a few characters so that many of them sanitise alike.
    #[test]
    fn names_are_unique_and_bounded(
        ids in proptest::collection::vec(
            (
                "[a/._ É名-]{0,2}",
                prop_oneof!["[ab/._ É名日-]{0,3}", "[a-c/._ Éé名日-]{200,400}"],
                "[0-9/ _]{0,2}",
            ),
            1..40,
        )
    ) {
        let base = report(&["A1"]).receipts.remove(0);
        let receipts: Vec<Receipt> = ids.iter().map(|(c, b, y)| receipt_with(&base, c, b, y)).collect();
        check_names(&receipts);
    }
}
