//! `mecenat journal --format fec|paheko` on the demo: one file per beneficiary and year in
//! the directory given, listed on stdout; existing files refused without --force; the
//! sub-accounts option names the accounts to create; the help documents both formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/scenario.json")
}

fn mecenat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mecenat"))
        .args(args)
        .output()
        .unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mecenat-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn fec_files_are_written_once_and_replaced_only_with_force() {
    let dir = tmp("fec");
    let (demo, out) = (demo(), dir.display().to_string());
    let args = ["journal", demo.to_str().unwrap(), "-f", "fec", "-o", &out];
    let o = mecenat(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = String::from_utf8(o.stdout).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(listed.lines().count(), names.len());
    // A-PANIER has a SIREN, the others an RNA; the demo covers 2025 and 2026.
    assert!(
        names.contains(&"443185202FEC20251231.txt".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"W751234567FEC20261231.txt".to_string()),
        "{names:?}"
    );
    assert!(names
        .iter()
        .all(|n| n.ends_with(".txt") && n.contains("FEC")));
    let text = std::fs::read_to_string(dir.join("443185202FEC20251231.txt")).unwrap();
    assert!(text.starts_with("JournalCode\tJournalLib\tEcritureNum\t"));
    // Again: refused, nothing written (exit 2); with --force, replaced.
    let again = mecenat(&args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exist"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert!(mecenat(&forced).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn paheko_files_need_a_directory_and_sub_accounts_name_what_to_create() {
    let demo = demo();
    let d = demo.to_str().unwrap();
    let no_dir = mecenat(&["journal", d, "-f", "paheko"]);
    assert_eq!(no_dir.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_dir.stderr).contains("-o DIR"));
    let dir = tmp("paheko");
    let out = dir.display().to_string();
    let o = mecenat(&[
        "journal",
        d,
        "-f",
        "paheko",
        "--beneficiary",
        "A-PANIER",
        "--sub-accounts",
        "-o",
        &out,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    for a in ["8642", "8711", "8641"] {
        assert!(err.contains(&format!("create account {a} ")), "{err}");
    }
    let file = dir.join("443185202-paheko-2025.csv");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains(";8642;8711;") || l.contains(";8641;875;")),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_help_documents_both_exports() {
    let o = mecenat(&["journal", "--help"]);
    let help = String::from_utf8(o.stdout).unwrap();
    for want in [
        "<SIREN>FEC<YYYYMMDD>.txt",
        "ValidDate",
        "simplifié",
        "BOM",
        "--sub-accounts",
        "864 / 871",
    ] {
        assert!(help.contains(want), "{want:?} not in the help:\n{help}");
    }
}
