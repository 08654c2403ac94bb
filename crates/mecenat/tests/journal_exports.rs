//! The class-8 journal's exports read back (issue 11 item 4): by default the demo's
//! journal posts only to accounts of the official PCA 2018 chart; its FEC files (one per
//! beneficiary and year, named `<SIREN or RNA>FEC<YYYYMMDD>.txt`) have the 18 columns on
//! every line, balanced entries and the year's last day as entry, piece and validation
//! date; the Paheko "simplifié" files carry the same amounts; the sub-accounts are an
//! option that lists the accounts to create.

use std::collections::BTreeMap;

use mecenat::assoc::{journal_fec_files, journal_paheko_files, FEC_COLUMNS, PAHEKO_COLUMNS};
use mecenat::scenario::JournalAccounts;
use rust_decimal::Decimal;

/// Class-8 accounts of the PCA 2018 chart (règlement ANC 2018-06, as Paheko's
/// fr_pca_2018.csv lists them): nothing below them.
const PCA2018_CLASS8: [&str; 7] = ["860", "861", "862", "864", "870", "871", "875"];

fn demo() -> mecenat::Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/demo/scenario.json"
    );
    mecenat::read_json_file(std::path::Path::new(path)).unwrap()
}

fn amount(text: &str) -> Decimal {
    assert!(!text.contains('.'), "{text}: a decimal comma is expected");
    Decimal::from_str_exact(&text.replace(',', ".")).unwrap()
}

#[test]
fn the_demo_journal_posts_to_official_chart_accounts_by_default() {
    let s = demo();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    assert!(!r.journal.is_empty());
    for l in &r.journal {
        for a in [&l.debit_account, &l.credit_account] {
            assert!(PCA2018_CLASS8.contains(&a.as_str()), "{a} in {l:?}");
        }
        let want = match l.category.as_str() {
            "staff_lent" => ("864", "871"),
            _ => ("864", "875"),
        };
        assert_eq!((l.debit_account.as_str(), l.credit_account.as_str()), want);
    }
    assert_eq!(r.policies.journal_accounts, JournalAccounts::Chart);
    assert!(r.policies.accounts_to_create.is_empty());
    for g in &r.goods_for_accountant {
        for a in ["860", "870", "862", "871"] {
            assert!(g.accounts.contains(a), "{}", g.accounts);
        }
    }
}

#[test]
fn sub_accounts_are_an_option_that_lists_the_accounts_to_create() {
    let mut s = demo();
    s.settings.journal_accounts = Some(JournalAccounts::SubAccounts);
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let staff = r
        .journal
        .iter()
        .find(|l| l.category == "staff_lent")
        .unwrap();
    assert_eq!(
        (staff.debit_account.as_str(), staff.credit_account.as_str()),
        ("8642", "8711")
    );
    let made: Vec<(&str, &str)> = r
        .policies
        .accounts_to_create
        .iter()
        .map(|a| (a.account.as_str(), a.parent.as_str()))
        .collect();
    assert_eq!(made, [("8642", "864"), ("8711", "871"), ("8641", "864")]);
}

#[test]
fn the_fec_reads_back_with_18_columns_balanced_entries_and_dates() {
    let s = demo();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let files = journal_fec_files(&r, &s.beneficiaries, None);
    // One file per beneficiary and year with time: as many as (beneficiary, period) pairs.
    let mut pairs: Vec<(&str, &str)> = r
        .journal
        .iter()
        .map(|l| (l.beneficiary.as_str(), l.period.as_str()))
        .collect();
    pairs.dedup();
    assert_eq!(files.len(), pairs.len());
    assert!(files.len() >= 2);
    for f in &files {
        let ben = s
            .beneficiaries
            .iter()
            .find(|b| b.id == f.beneficiary)
            .unwrap();
        let ident = ben.siren.clone().or(ben.rna.clone()).unwrap();
        let day = format!("{}1231", f.period);
        assert_eq!(f.name, format!("{ident}FEC{day}.txt"));
        assert_eq!(f.note, None);
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        assert!(text.ends_with("\r\n"));
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
        assert_eq!(head, FEC_COLUMNS);
        // EcritureNum -> (debit, credit, lines)
        let mut entries: BTreeMap<String, (Decimal, Decimal, usize)> = BTreeMap::new();
        let mut total = Decimal::ZERO;
        for l in lines {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 18, "{l:?}");
            assert_eq!((c[0], c[1]), ("CVN", "Contributions volontaires en nature"));
            for date in [c[3], c[9], c[15]] {
                assert_eq!(date, day, "EcritureDate, PieceDate, ValidDate of {l:?}");
            }
            assert!(PCA2018_CLASS8.contains(&c[4]), "{l:?}");
            assert!(!c[5].is_empty() && !c[10].is_empty(), "{l:?}");
            assert_eq!(c[8], format!("CVN-{}-{}", f.beneficiary, f.period));
            let (d, k) = (amount(c[11]), amount(c[12]));
            assert!(d.is_zero() != k.is_zero(), "one side per line: {l:?}");
            let e = entries.entry(c[2].to_string()).or_default();
            e.0 += d;
            e.1 += k;
            e.2 += 1;
            total += d;
            for empty in [6, 7, 13, 14, 16, 17] {
                assert_eq!(c[empty], "", "column {} of {l:?}", FEC_COLUMNS[empty]);
            }
        }
        for (n, (num, (d, k, lines))) in entries.iter().enumerate() {
            assert_eq!(d, k, "entry {num} of {}", f.name);
            assert_eq!(*lines, 2);
            assert_eq!(num, &format!("CVN-{}-{}", f.period, n + 1));
        }
        // The file's total is the beneficiary's value for its accounts that year.
        let impact = r
            .beneficiaries
            .iter()
            .find(|b| b.beneficiary == f.beneficiary && b.period == f.period)
            .unwrap();
        assert_eq!(Some(total), impact.value_cvn.as_ref().map(|m| m.0));
    }
}

#[test]
fn the_paheko_files_carry_the_same_entries() {
    let s = demo();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let files = journal_paheko_files(&r, &s.beneficiaries, Some("A-PANIER"));
    assert!(!files.is_empty());
    for f in &files {
        assert_eq!(f.name, format!("443185202-paheko-{}.csv", f.period));
        assert!(f.bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
        let text = std::str::from_utf8(&f.bytes[3..]).unwrap();
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        let head = lines.next().unwrap();
        assert_eq!(head, PAHEKO_COLUMNS.join(";"));
        let journal: Vec<_> = r
            .journal
            .iter()
            .filter(|l| l.beneficiary == "A-PANIER" && l.period == f.period)
            .collect();
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
        assert_eq!(rows.len(), journal.len());
        for (row, l) in rows.iter().zip(journal) {
            assert_eq!(row.len(), 13);
            assert_eq!(row[0], "", "Paheko numbers new entries itself");
            assert_eq!(row[1], "Avancé");
            assert_eq!(row[4], format!("31/12/{}", f.period));
            assert_eq!(
                (row[8], row[9]),
                (l.debit_account.as_str(), l.credit_account.as_str())
            );
            assert_eq!(amount(row[10]), l.amount.0);
        }
    }
    // Only that beneficiary.
    assert!(files.iter().all(|f| f.beneficiary == "A-PANIER"));
}

#[test]
fn a_beneficiary_without_siren_or_rna_is_named_after_its_id_with_a_note() {
    let s = mecenat::Scenario::from_json(
        r#"{
      "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
      "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
      "beneficiaries": [{"id": "A 1", "name": "Association", "siren": "123456789"},
                        {"id": "A2", "name": "Même SIREN", "siren": "123 456 789"},
                        {"id": "A3", "name": "Sans numéro"}],
      "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                     "annual_employer_charges": "21600", "annual_working_days": "218"}],
      "time_entries": [
        {"employee": "E1", "beneficiary": "A 1", "date": "2025-03-03", "days": "1"},
        {"employee": "E1", "beneficiary": "A2", "date": "2025-03-04", "days": "1"},
        {"employee": "E1", "beneficiary": "A3", "date": "2025-03-05", "days": "1"}
      ]
    }"#,
    )
    .unwrap();
    let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
    let files = journal_fec_files(&r, &s.beneficiaries, None);
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "123456789FEC20251231.txt",
            "123456789FEC20251231_A2.txt",
            "A3FEC20251231.txt"
        ]
    );
    assert_eq!(files[0].note, None);
    assert!(files[1].note.as_deref().unwrap().contains("same SIREN"));
    assert!(files[2]
        .note
        .as_deref()
        .unwrap()
        .contains("no SIREN nor RNA"));
}
