//! Issue 14's regression corpus, the items whose inputs are files of `fixtures/reliability/`
//! not covered by `reliability.rs`: plausibility warnings (item 8), the quoted journal
//! (item 10) and every letter on a receipt (item 11).

use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/reliability")
        .join(name)
}

fn mecenat(args: &[&std::ffi::OsStr]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

macro_rules! run {
    ($($a:expr),* $(,)?) => {
        mecenat(&[$(AsRef::<std::ffi::OsStr>::as_ref(&$a)),*])
    };
}

#[test]
fn implausible_entries_are_warned_and_kept() {
    let o = run!(
        "compute",
        fixture("implausible_entries.json"),
        "-f",
        "json",
        "-q"
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warnings: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("rows 1, 2") && w.contains("26 hours")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("rows 3, 4") && w.contains("appears 2 times")),
        "{warnings:?}"
    );
    // Nothing excluded: the four entries are retained.
    let retained = r["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "retained")
        .count();
    assert_eq!(retained, 4);
}

#[test]
fn the_journal_quotes_and_guards_its_text() {
    let o = run!("journal", fixture("journal_formula.json"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let line = text.lines().nth(1).expect("a journal line");
    // The id never starts a cell with '=', and the fields with ';' or '"' are quoted.
    assert!(line.contains("\"'=HYPERLINK(\"\"x\"\")"), "{line}");
    assert!(
        line.contains("\"Mécénat de compétences – 1 jour – Dupont; \"\"Fils\"\"\""),
        "{line}"
    );
    assert!(!line.contains(";=HYPERLINK"), "{line}");
}

#[test]
fn every_letter_reads_back_from_the_receipt() {
    let has_pdftotext = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !has_pdftotext {
        assert!(
            std::env::var("CI").is_err(),
            "pdftotext (poppler-utils) is required under CI"
        );
        eprintln!("SKIPPED: pdftotext not found");
        return;
    }
    let dir = std::env::temp_dir().join(format!("mecenat-letters-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = run!("receipts", fixture("letters.json"), "-o", dir);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pdf = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::process::Command::new("pdftotext")
        .args([pdf.as_os_str(), std::ffi::OsStr::new("-")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for name in [
        "Łukasz Nguyễn",
        "Œuvre d'Élise – « Solidarité »",
        "Công ty Bảo Anh",
    ] {
        assert!(text.contains(name), "{name:?} not in\n{text}");
    }
    assert!(!text.contains('?'), "a letter was replaced:\n{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
