//! `mecenat journal`: the class-8 journal of the beneficiaries' contributions in kind, as
//! FEC files, Paheko import files, or one FEC-like CSV.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use mecenat::assoc::JournalFile;
use mecenat::scenario::JournalAccounts;
use mecenat::{Error, Location};

pub(crate) const JOURNAL_HELP: &str = "\
FORMATS
  fec     One FEC (fichier des écritures comptables, LPF art. A47 A-1) per beneficiary
          and calendar year, named after the beneficiary: <SIREN>FEC<YYYYMMDD>.txt (its
          RNA when it has no SIREN; its id, with a note on stderr, when it has neither),
          YYYYMMDD the year's last day. Tab-separated, UTF-8, the 18 columns JournalCode
          JournalLib EcritureNum EcritureDate CompteNum CompteLib CompAuxNum CompAuxLib
          PieceRef PieceDate EcritureLib Debit Credit EcritureLet DateLet ValidDate
          Montantdevise Idevise; dates YYYYMMDD (ValidDate filled: the entry's date),
          amounts with a decimal comma (1234,50); a debit (86) and a credit (87) line per
          entry, numbered CVN-<year>-1, -2...
  paheko  One CSV per beneficiary and calendar year for Paheko's import of entries,
          layout \"simplifié\" (one row per entry, debit and credit accounts side by
          side): <SIREN>-paheko-<year>.csv, UTF-8 with a BOM (a French Excel opens it
          right), semicolons, columns Numéro d'écriture;Type;Statut;Libellé;Date;
          Remarques;Numéro pièce comptable;Référence paiement;Compte de débit;Compte de
          crédit;Montant;Projet analytique;Membres associés, dates 31/12/2025, amounts
          1234,50. In Paheko: Comptabilité > Exercices > Importer, format Simplifié.
  csv     (default) One FEC-like file of every beneficiary (or --beneficiary):
          semicolons, the 18 FEC columns, French decimals, to FILE or standard output.

ACCOUNTS
  By default the entries post to accounts of the official chart (setting chart: PCA 2018
  864 Personnel bénévole / 871 Prestations en nature for staff lent by a company, 864 /
  875 Bénévolat for volunteers; pca1999: 864 / 871 and 864 / 870), which an accounting
  package loaded with that chart already has. --sub-accounts (or the setting
  journal_accounts = sub_accounts) posts staff lent to 8642 / 8711 and volunteers to
  8641 instead: create those accounts first (they are listed on stderr, and in the
  report's policies.accounts_to_create).

FILES
  fec and paheko write into DIR (-o, created if missing) and list the files written on
  stdout. When a file to write already exists, nothing is written and the files are
  listed (exit 2) unless --force. Each file is written to a temporary file, then renamed.

EXAMPLES
  mecenat journal scenario.json -f fec -o fec/
  mecenat journal scenario.json -f paheko --beneficiary A1 -o import/
  mecenat journal scenario.json --sub-accounts -o journal.csv";

/// The format of `mecenat journal`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum JournalFormat {
    /// One FEC-like CSV of every beneficiary (semicolons), to a file or stdout.
    Csv,
    /// One FEC per beneficiary and year (tab-separated), into a directory.
    Fec,
    /// One Paheko "simplifié" import CSV per beneficiary and year, into a directory.
    Paheko,
}

/// The options of `mecenat journal`.
pub(crate) struct JournalArgs<'a> {
    pub(crate) out: Option<&'a Path>,
    pub(crate) beneficiary: Option<&'a str>,
    pub(crate) format: JournalFormat,
    pub(crate) sub_accounts: bool,
    pub(crate) force: bool,
}

/// Writes the journal of the scenario in the format asked.
pub(crate) fn journal(scenario: &Path, args: &JournalArgs) -> Result<(), Error> {
    let mut s = crate::xlsx_cmd::read_any(scenario)?;
    if args.sub_accounts {
        s.settings.journal_accounts = Some(JournalAccounts::SubAccounts);
    }
    let r = mecenat::compute(&s, &mecenat::Options::default())?;
    for x in &r.rejected {
        eprintln!("rejected: {x}");
    }
    for a in &r.policies.accounts_to_create {
        eprintln!(
            "mecenat: create account {} {} (under {}) in the association's chart before importing",
            a.account, a.label, a.parent
        );
    }
    if let Some(b) = args.beneficiary {
        if !r.beneficiaries.iter().any(|x| x.beneficiary == b)
            && !r.journal.iter().any(|x| x.beneficiary == b)
        {
            return Err(Error::scenario(
                Location {
                    table: Some("beneficiaries".into()),
                    value: Some(b.to_string()),
                    ..Location::default()
                },
                format!("beneficiary {b:?} received no time: no journal line"),
            ));
        }
    }
    let files = match args.format {
        JournalFormat::Csv => {
            let text = mecenat::assoc::journal_fec(&r, args.beneficiary);
            return crate::write_out(args.out, |w| w.write_all(text.as_bytes()));
        }
        JournalFormat::Fec => {
            mecenat::assoc::journal_fec_files(&r, &s.beneficiaries, args.beneficiary)
        }
        JournalFormat::Paheko => {
            mecenat::assoc::journal_paheko_files(&r, &s.beneficiaries, args.beneficiary)
        }
    };
    let Some(dir) = args.out else {
        return Err(Error::Io {
            path: "(output)".into(),
            message: "--format fec and --format paheko write one file per beneficiary and year: give the directory with -o DIR".into(),
        });
    };
    write_files(scenario, dir, &files, args.force)
}

/// Writes `files` into `dir`: nothing when one is in the way (a symbolic link always, an
/// existing file unless `force`), each atomically; lists them on stdout.
fn write_files(
    scenario: &Path,
    dir: &Path,
    files: &[JournalFile],
    force: bool,
) -> Result<(), Error> {
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes.as_slice()))
        .collect();
    let new = mecenat::fsio::NewFiles {
        what: "journal file(s)",
        force_hint: "--force replaces them",
        exists_suffix: "",
        force,
    };
    let paths =
        mecenat::fsio::write_new_files(dir, &named, &new, |p| crate::refuse_input(scenario, p))?;
    let mut out = std::io::stdout().lock();
    for (p, f) in paths.iter().zip(files) {
        if let Some(note) = &f.note {
            eprintln!("mecenat: {note}");
        }
        let _ = writeln!(out, "{}\t{} {}", p.display(), f.beneficiary, f.period);
    }
    if files.is_empty() {
        eprintln!("mecenat: no journal line to write (no time given to a beneficiary)");
    }
    Ok(())
}
