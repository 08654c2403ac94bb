//! `mecenat receipts` and `mecenat journal` on the demo scenario.

use std::path::{Path, PathBuf};
use std::process::Command;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/scenario.json")
}

/// Runs `mecenat COMMAND <demo> -o OUT`, asserting success; returns its stdout.
fn run_on_demo(command: &str, out: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .arg(command)
        .arg(demo())
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn receipts_writes_one_pdf_per_receipt() {
    let dir = std::env::temp_dir().join(format!("mecenat-cli-receipts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let listed = run_on_demo("receipts", &dir);
    let s = mecenat::read_json_file(&demo()).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert!(!r.receipts.is_empty());
    for (i, rc) in r.receipts.iter().enumerate() {
        let p = dir.join(mecenat_pdf::receipt_file_name(i + 1, rc));
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(bytes.starts_with(b"%PDF-"));
    }
    assert_eq!(listed.lines().count(), r.receipts.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn journal_exports_a_balanced_fec_like_file() {
    let file = std::env::temp_dir().join(format!("mecenat-cli-journal-{}.csv", std::process::id()));
    run_on_demo("journal", &file);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("JournalCode;JournalLib;EcritureNum;"));
    let (mut debit, mut credit, mut n) = (0i64, 0i64, 0);
    for l in lines {
        let f: Vec<&str> = l.split(';').collect();
        assert_eq!(f.len(), 18, "{l}");
        let cents = |s: &str| s.replace(',', "").parse::<i64>().unwrap();
        debit += cents(f[11]);
        credit += cents(f[12]);
        n += 1;
    }
    assert!(n > 0);
    assert_eq!(debit, credit);
    let _ = std::fs::remove_file(&file);
    // An unknown beneficiary is an input error (exit 2).
    let bad = Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args(["journal", demo().to_str().unwrap(), "--beneficiary", "NOPE"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// Two companies and three beneficiaries, receipts in 2025 and 2026.
fn filters_scenario(dir: &Path) -> PathBuf {
    let gift = |c: &str, b: &str, d: &str| {
        serde_json::json!({"company": c, "beneficiary": b, "date": d, "amount": "100",
                           "payment_method": "transfer"})
    };
    let v = serde_json::json!({
        "companies": [{"id": "C1", "name": "Octet"}, {"id": "C2", "name": "Bit"}],
        "fiscal_years": [
            {"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000"},
            {"company": "C1", "start": "2026-01-01", "end": "2026-12-31", "turnover": "1000000"},
            {"company": "C2", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1000000"}
        ],
        "beneficiaries": [{"id": "A1", "name": "Élan"}, {"id": "A2", "name": "Vague"},
                          {"id": "A3", "name": "Sans reçu"}],
        "donations": [gift("C1", "A1", "2025-03-01"), gift("C1", "A2", "2025-03-01"),
                      gift("C1", "A1", "2026-03-01"), gift("C2", "A1", "2025-05-01")]
    });
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join("scenario.json");
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

fn mecenat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args(args)
        .output()
        .unwrap()
}

/// The file names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn receipts_filters_keep_names_and_numbers() {
    let root = std::env::temp_dir().join(format!("mecenat-cli-filters-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let s = filters_scenario(&root);
    let s = s.to_str().unwrap();
    let run = |name: &str, extra: &[&str]| -> (Vec<String>, String) {
        let out = root.join(name);
        let mut args = vec!["receipts", s, "-o", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = mecenat(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (listing(&out), String::from_utf8(o.stdout).unwrap())
    };
    let (all, listed) = run("all", &[]);
    assert_eq!(
        all,
        [
            "recu_0001_C1_A1_2025.pdf",
            "recu_0002_C1_A2_2025.pdf",
            "recu_0003_C1_A1_2026.pdf",
            "recu_0004_C2_A1_2025.pdf"
        ]
    );
    // Per beneficiary and year: A1's 2025 receipts are 0001 (C1) and 0002 (C2).
    assert!(
        listed.contains("recu_0001_C1_A1_2025.pdf\treçu n° 2025-0001 : C1 -> A1"),
        "{listed}"
    );
    assert!(
        listed.contains("recu_0004_C2_A1_2025.pdf\treçu n° 2025-0002 : C2 -> A1"),
        "{listed}"
    );
    assert!(
        listed.contains("recu_0002_C1_A2_2025.pdf\treçu n° 2025-0001 : C1 -> A2"),
        "{listed}"
    );
    assert!(
        listed.contains("recu_0003_C1_A1_2026.pdf\treçu n° 2026-0001 : C1 -> A1"),
        "{listed}"
    );
    // A filter keeps each receipt's file name and number.
    let (a1, listed) = run("a1", &["--beneficiary", "A1"]);
    assert_eq!(
        a1,
        [
            "recu_0001_C1_A1_2025.pdf",
            "recu_0003_C1_A1_2026.pdf",
            "recu_0004_C2_A1_2025.pdf"
        ]
    );
    assert!(listed.contains("reçu n° 2025-0002 : C2 -> A1"), "{listed}");
    let (y, _) = run("a1-2025", &["--beneficiary", "A1", "--year", "2025"]);
    assert_eq!(y, ["recu_0001_C1_A1_2025.pdf", "recu_0004_C2_A1_2025.pdf"]);
    let (c2, _) = run("c2", &["--company", "C2"]);
    assert_eq!(c2, ["recu_0004_C2_A1_2025.pdf"]);
    // The same PDF whatever the filter: byte for byte.
    let a = std::fs::read(root.join("all/recu_0004_C2_A1_2025.pdf")).unwrap();
    let b = std::fs::read(root.join("c2/recu_0004_C2_A1_2025.pdf")).unwrap();
    assert!(a == b, "a filtered receipt differs from the unfiltered one");
    // A known beneficiary without receipts: nothing written, said on stderr, exit 0.
    let o = mecenat(&[
        "receipts",
        s,
        "-o",
        root.join("a3").to_str().unwrap(),
        "--beneficiary",
        "A3",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("none of the 4 receipts matches"));
    // An unknown id is an input error (exit 2), nothing written.
    for (flag, id) in [("--beneficiary", "NOPE"), ("--company", "C9")] {
        let out = root.join("bad");
        let o = mecenat(&["receipts", s, "-o", out.to_str().unwrap(), flag, id]);
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{flag} \"{id}\"")));
        assert!(listing(&out).is_empty());
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn annex_writes_text_or_markdown_for_one_beneficiary() {
    let root = std::env::temp_dir().join(format!("mecenat-cli-annex-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let demo = demo();
    let s = mecenat::read_json_file(&demo).unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let first = &r.annex[0];
    let md = root.join("annexe.md");
    let o = mecenat(&[
        "annex",
        demo.to_str().unwrap(),
        "--beneficiary",
        &first.beneficiary,
        "--format",
        "markdown",
        "-o",
        md.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("annexe.md"));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Annexe aux comptes : contributions volontaires en nature\n"));
    assert!(text.contains(&format!("## {} — {}", first.beneficiary_name, first.period)));
    assert!(text.contains("**Nature** : "), "{text}");
    let n = r
        .annex
        .iter()
        .filter(|a| a.beneficiary == first.beneficiary)
        .count();
    assert_eq!(text.matches("\n## ").count(), n);
    // Plain text on stdout, every beneficiary.
    let o = mecenat(&["annex", demo.to_str().unwrap()]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("ANNEXE AUX COMPTES : CONTRIBUTIONS VOLONTAIRES EN NATURE\n===="));
    for a in &r.annex {
        assert!(text.contains(&a.text), "{}", a.beneficiary);
    }
    // Never over the scenario; an unknown beneficiary is an input error.
    let o = mecenat(&[
        "annex",
        demo.to_str().unwrap(),
        "-o",
        demo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = mecenat(&["annex", demo.to_str().unwrap(), "--beneficiary", "NOPE"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&root);
}
