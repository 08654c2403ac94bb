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
