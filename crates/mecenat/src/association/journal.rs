//! The class-8 journal (rules-association §3): the accounts of each chart, the journal lines
//! per beneficiary and year, and the FEC-like export.

use super::*;

/// Accounts of one category in a chart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    /// Debit (use, 86x).
    pub debit: String,
    /// Credit (source, 87x).
    pub credit: String,
    /// Debit account's name.
    pub debit_label: String,
    /// Credit account's name.
    pub credit_label: String,
}

/// One chart of accounts for class 8.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartAccounts {
    /// Name of the chart.
    pub label: String,
    /// Regulation.
    pub reference: String,
    /// Staff lent by a company.
    pub staff_lent: Accounts,
    /// Volunteers' own time.
    pub volunteers: Accounts,
    /// In-kind goods (not journalled: shown to the accountant).
    pub goods: Accounts,
    /// In-kind services (not journalled: shown to the accountant).
    pub services: Accounts,
    /// The sub-accounts the setting `journal_accounts = sub_accounts` posts to.
    pub sub_accounts: SubAccounts,
}

/// The sub-accounts of a chart for the time categories (8642 / 8711, 8641): not in the
/// official chart, created by the association under the chart's account of the same side
/// and category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubAccounts {
    /// Where they come from.
    pub reference: String,
    /// Staff lent by a company.
    pub staff_lent: Accounts,
    /// Volunteers' own time.
    pub volunteers: Accounts,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Charts {
    #[allow(dead_code)]
    last_checked: toml::value::Datetime,
    pca2018: ChartAccounts,
    pca1999: ChartAccounts,
}

/// The class-8 accounts of a chart (embedded data file `params/charts.toml`).
///
/// # Errors
///
/// [`Error::Parameter`] if the embedded file is invalid.
pub fn chart_accounts(chart: Chart) -> Result<ChartAccounts, Error> {
    let charts: Charts =
        toml::from_str(include_str!("../../params/charts.toml")).map_err(|e| Error::Parameter {
            parameter: "charts".into(),
            message: e.to_string(),
        })?;
    Ok(match chart {
        Chart::Pca2018 => charts.pca2018,
        Chart::Pca1999 => charts.pca1999,
    })
}

/// The accounts the journal posts to: the chart's own (`JournalAccounts::Chart`, default),
/// or with its sub-accounts in place of the time categories' accounts.
///
/// # Errors
///
/// [`Error::Parameter`] if the embedded file is invalid.
pub fn journal_chart(chart: Chart, accounts: JournalAccounts) -> Result<ChartAccounts, Error> {
    let mut c = chart_accounts(chart)?;
    if accounts == JournalAccounts::SubAccounts {
        c.staff_lent = c.sub_accounts.staff_lent.clone();
        c.volunteers = c.sub_accounts.volunteers.clone();
    }
    Ok(c)
}

/// The accounts the association must create before importing the journal: under
/// `JournalAccounts::SubAccounts`, each sub-account with the chart's account it goes under
/// (8642 and 8641 under 864, 8711 under 871), each once, staff lent first; none otherwise.
///
/// # Errors
///
/// [`Error::Parameter`] if the embedded file is invalid.
pub fn accounts_to_create(
    chart: Chart,
    accounts: JournalAccounts,
) -> Result<Vec<AccountToCreate>, Error> {
    let c = chart_accounts(chart)?;
    let mut out: Vec<AccountToCreate> = Vec::new();
    if accounts == JournalAccounts::Chart {
        return Ok(out);
    }
    let pairs = [
        (&c.sub_accounts.staff_lent, &c.staff_lent),
        (&c.sub_accounts.volunteers, &c.volunteers),
    ];
    for (sub, parent) in pairs {
        for (account, label, parent) in [
            (&sub.debit, &sub.debit_label, &parent.debit),
            (&sub.credit, &sub.credit_label, &parent.credit),
        ] {
            if account != parent && !out.iter().any(|a| &a.account == account) {
                out.push(AccountToCreate {
                    account: account.clone(),
                    label: label.clone(),
                    parent: parent.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Columns of the FEC-like journal export ([`journal_fec`]), in order: the 18 columns of
/// the French *fichier des écritures comptables* (BOI-CF-IOR-60-40-20), so that an
/// accounting package's FEC import reads it.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// The class-8 journal as a FEC-like text file an accounting package can import.
///
/// Semicolon-separated, UTF-8, one header line ([`FEC_COLUMNS`]) then two lines per
/// journal line (the debit on the 86 account, then the credit on the 87 account), `\r\n`
/// line ends. `JournalCode` is `CVN`; `EcritureNum` is `beneficiary-period-n` (one entry per
/// category, numbered from 1 within the beneficiary's period); `EcritureDate` and
/// `PieceDate` are the period's last day as `YYYYMMDD`; `PieceRef` is `CVN-beneficiary-period`;
/// `EcritureLib` is the journal line's label; `Debit` and `Credit` are French decimals with
/// a comma and two decimals, no thousands separator (`1234,50`; `0,00` on the other side);
/// the auxiliary-account, lettering, validation and currency columns are empty. With
/// `beneficiary`, only that beneficiary's lines are written (an association's own books);
/// otherwise every beneficiary's, told apart by `EcritureNum` and `PieceRef`.
///
/// Text fields are quoted as in RFC 4180 with `;` as the separator: a field containing `;`,
/// `"`, CR or LF is wrapped in double quotes, its inner quotes doubled. A text field that
/// starts with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so that a spreadsheet
/// opening the file never takes it for a formula. Amounts and dates are never altered.
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{
///   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
///   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
///   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
///   "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
///                  "annual_employer_charges": "21600", "annual_working_days": "218"}],
///   "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}]
/// }"#).unwrap();
/// let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
/// let csv = mecenat::assoc::journal_fec(&r, None);
/// let lines: Vec<&str> = csv.lines().collect();
/// assert_eq!(lines.len(), 3);
/// assert!(lines[1].contains(";864;") && lines[1].contains(";319,27;0,00;"));
/// assert!(lines[2].contains(";871;") && lines[2].contains(";0,00;319,27;"));
/// ```
pub fn journal_fec(report: &Report, beneficiary: Option<&str>) -> String {
    let amount = |d: Decimal| crate::money::fmt_money(d).replace('.', ",");
    let zero = amount(Decimal::ZERO);
    let mut out = FEC_COLUMNS.join(";");
    out.push_str("\r\n");
    let mut n = 0;
    let mut last: Option<(&str, &str)> = None;
    for l in &report.journal {
        if beneficiary.is_some_and(|b| b != l.beneficiary) {
            continue;
        }
        let key = (l.beneficiary.as_str(), l.period.as_str());
        n = if last == Some(key) { n + 1 } else { 1 };
        last = Some(key);
        let date = l.date.format("%Y%m%d").to_string();
        let num = fec_text(&format!("{}-{}-{n}", l.beneficiary, l.period));
        let piece = fec_text(&format!("CVN-{}-{}", l.beneficiary, l.period));
        for (account, label, debit, credit) in [
            (
                &l.debit_account,
                &l.debit_label,
                amount(l.amount.0),
                zero.clone(),
            ),
            (
                &l.credit_account,
                &l.credit_label,
                zero.clone(),
                amount(l.amount.0),
            ),
        ] {
            let fields = [
                "CVN".to_string(),
                "Contributions volontaires en nature".to_string(),
                num.clone(),
                date.clone(),
                fec_text(account),
                fec_text(label),
                String::new(),
                String::new(),
                piece.clone(),
                date.clone(),
                fec_text(&l.label),
                debit,
                credit,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
            out.push_str(&fields.join(";"));
            out.push_str("\r\n");
        }
    }
    out
}

/// One text field of the journal export ([`journal_fec`]): `'` before a leading `=`, `+`,
/// `-`, `@`, tab or CR (never a formula in a spreadsheet), then RFC 4180 quoting with `;`
/// as the separator (wrapped in `"` with inner quotes doubled when it contains `;`, `"`,
/// CR or LF). Any other text is returned as it is.
pub(super) fn fec_text(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([';', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The class-8 journal: per beneficiary and period with a value for every entry, one
/// balanced line per category with time (staff lent, then volunteers).
pub(super) fn journal_lines(
    s: &Scenario,
    by_ben: &BTreeMap<(usize, i32), Group>,
    chart: &ChartAccounts,
) -> Vec<JournalLine> {
    let mut journal = Vec::new();
    for (&(b, year), g) in by_ben {
        if g.cvn_missing {
            continue;
        }
        let ben = &s.beneficiaries[b];
        for (k, (cat, acc)) in [
            ("staff_lent", &chart.staff_lent),
            ("volunteers", &chart.volunteers),
        ]
        .into_iter()
        .enumerate()
        {
            let c = &g.cat[k];
            if c.people == 0 {
                continue;
            }
            let label = if k == 0 {
                let names: Vec<&str> = c
                    .lenders
                    .iter()
                    .map(|&i| s.companies[i].name.as_str())
                    .collect();
                format!(
                    "Mécénat de compétences – {} – {}",
                    crate::fr::fr_days(c.days),
                    names.join(", ")
                )
            } else {
                format!("Bénévolat – {}", crate::fr::fr_days(c.days))
            };
            journal.push(JournalLine {
                beneficiary: ben.id.clone(),
                period: year.to_string(),
                category: cat.into(),
                debit_account: acc.debit.clone(),
                credit_account: acc.credit.clone(),
                amount: Money(c.value),
                label,
                debit_label: acc.debit_label.clone(),
                credit_label: acc.credit_label.clone(),
                date: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
            });
        }
    }
    journal
}

#[cfg(test)]
mod fec_text_tests {
    use super::fec_text;

    #[test]
    fn tabs_line_breaks_and_plain_text() {
        assert_eq!(fec_text("\tx"), "'\tx");
        assert_eq!(fec_text("\rx"), "\"'\rx\"");
        assert_eq!(fec_text("a\r\nb"), "\"a\r\nb\"");
        assert_eq!(fec_text("a-b @ c = d"), "a-b @ c = d");
        assert_eq!(fec_text(""), "");
    }
}

/// One file of a journal export ([`journal_fec_files`], [`journal_paheko_files`]): one
/// beneficiary's class-8 entries of one calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalFile {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year of the entries.
    pub period: String,
    /// File name (no directory).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Why the name does not follow the rule (no SIREN nor RNA, or a name shared with
    /// another beneficiary), to tell the user; `None` when it does.
    pub note: Option<String>,
}

/// Columns of Paheko's "simplifié" import of journal entries ([`journal_paheko_files`]),
/// in Paheko's order: one row per entry, its debit and credit accounts side by side.
pub const PAHEKO_COLUMNS: [&str; 13] = [
    "Numéro d'écriture",
    "Type",
    "Statut",
    "Libellé",
    "Date",
    "Remarques",
    "Numéro pièce comptable",
    "Référence paiement",
    "Compte de débit",
    "Compte de crédit",
    "Montant",
    "Projet analytique",
    "Membres associés",
];

/// The journal lines of each beneficiary and year, in the report's order, with the
/// beneficiary's identity (`None` when the id is not in `beneficiaries`).
fn journal_groups<'r>(
    report: &'r Report,
    beneficiaries: &'r [Beneficiary],
    only: Option<&str>,
) -> Vec<(Option<&'r Beneficiary>, &'r [JournalLine])> {
    let mut out = Vec::new();
    let lines = &report.journal;
    let mut start = 0;
    while start < lines.len() {
        let key = (&lines[start].beneficiary, &lines[start].period);
        let mut end = start + 1;
        while end < lines.len() && (&lines[end].beneficiary, &lines[end].period) == key {
            end += 1;
        }
        if only.is_none_or(|b| b == key.0.as_str()) {
            let ben = beneficiaries.iter().find(|b| &b.id == key.0);
            out.push((ben, &lines[start..end]));
        }
        start = end;
    }
    out
}

/// Letters and digits of `text` (ASCII), the rest dropped: `"W75 1000001"` -> `"W751000001"`.
fn alnum(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The identifier a file of `ben` is named after: SIREN, else RNA, else the id made plain
/// (with the note that says so).
fn file_identifier(ben: Option<&Beneficiary>, id: &str) -> (String, Option<String>) {
    let siren = ben.and_then(|b| b.siren.as_deref()).map(alnum);
    let rna = ben.and_then(|b| b.rna.as_deref()).map(alnum);
    match (
        siren.filter(|x| !x.is_empty()),
        rna.filter(|x| !x.is_empty()),
    ) {
        (Some(s), _) | (None, Some(s)) => (s, None),
        (None, None) => {
            let plain: String = id
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .take(40)
                .collect();
            (
                plain,
                Some(format!(
                    "beneficiary {id:?} has no SIREN nor RNA: its file is named after its id; \
                     give its siren or rna for a name an auditor expects"
                )),
            )
        }
    }
}

/// Makes `name` unique among `used` by adding `_ID` before its extension (with a note).
fn unique_name(
    name: String,
    ext: &str,
    id: &str,
    used: &mut Vec<String>,
    note: &mut Option<String>,
) -> String {
    let name = if used.contains(&name) {
        let stem = name.strip_suffix(ext).unwrap_or(&name);
        let n = format!("{stem}_{}{ext}", alnum(id));
        *note = Some(format!(
            "{name} is the file of another beneficiary with the same SIREN or RNA: \
             beneficiary {id:?} is written to {n}"
        ));
        n
    } else {
        name
    };
    used.push(name.clone());
    name
}

/// A text field of the FEC ([`journal_fec_files`]): a tab, CR or LF becomes a space (the
/// FEC has no quoting), and a leading `=`, `+`, `-` or `@` gets a `'` (never a formula in
/// a spreadsheet).
fn fec_field(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if t.starts_with(['=', '+', '-', '@']) {
        format!("'{t}")
    } else {
        t
    }
}

/// A French amount with a decimal comma and two decimals, no thousands separator.
fn comma(d: Decimal) -> String {
    crate::money::fmt_money(d).replace('.', ",")
}

/// The class-8 journal as FEC files (*fichier des écritures comptables*, LPF art. A47 A-1,
/// BOI-CF-IOR-60-40-20): one file per beneficiary and calendar year (a FEC holds one
/// fiscal year of one entity), named `<SIREN>FEC<YYYYMMDD>.txt` after the beneficiary
/// (its RNA when it has no SIREN; its id, with a note, when it has neither) and the year's
/// last day.
///
/// UTF-8 without BOM, tab-separated, `\r\n` line ends, a header line with the 18 columns
/// ([`FEC_COLUMNS`]), then for each entry its debit line (86) and its credit line (87).
/// `EcritureNum` is `CVN-<year>-<n>`, numbered from 1 without gaps in the file;
/// `EcritureDate`, `PieceDate` and `ValidDate` are the year's last day (`YYYYMMDD`);
/// `PieceRef` is `CVN-<beneficiary>-<year>`; `Debit` and `Credit` have a decimal comma
/// (`319,27`, `0,00` on the other side); the auxiliary-account, lettering and currency
/// columns are empty. Text never holds a tab or a line break (each becomes a space).
/// With `only`, just that beneficiary's files.
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{
///   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
///   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
///   "beneficiaries": [{"id": "A1", "name": "Association Exemple", "rna": "W751000001"}],
///   "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
///                  "annual_employer_charges": "21600", "annual_working_days": "218"}],
///   "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}]
/// }"#).unwrap();
/// let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
/// let files = mecenat::assoc::journal_fec_files(&r, &s.beneficiaries, None);
/// assert_eq!(files[0].name, "W751000001FEC20251231.txt");
/// let text = String::from_utf8(files[0].bytes.clone()).unwrap();
/// let debit: Vec<&str> = text.lines().nth(1).unwrap().split('\t').collect();
/// assert_eq!((debit[4], debit[11], debit[12], debit[15]), ("864", "319,27", "0,00", "20251231"));
/// ```
pub fn journal_fec_files(
    report: &Report,
    beneficiaries: &[Beneficiary],
    only: Option<&str>,
) -> Vec<JournalFile> {
    let mut used = Vec::new();
    let mut out = Vec::new();
    for (ben, lines) in journal_groups(report, beneficiaries, only) {
        let first = &lines[0];
        let date = first.date.format("%Y%m%d").to_string();
        let (ident, mut note) = file_identifier(ben, &first.beneficiary);
        let name = format!("{ident}FEC{date}.txt");
        let name = unique_name(name, ".txt", &first.beneficiary, &mut used, &mut note);
        let mut text = FEC_COLUMNS.join("\t");
        text.push_str("\r\n");
        let piece = fec_field(&format!("CVN-{}-{}", first.beneficiary, first.period));
        for (n, l) in lines.iter().enumerate() {
            let num = format!("CVN-{}-{}", l.period, n + 1);
            let sides = [
                (
                    &l.debit_account,
                    &l.debit_label,
                    comma(l.amount.0),
                    comma(Decimal::ZERO),
                ),
                (
                    &l.credit_account,
                    &l.credit_label,
                    comma(Decimal::ZERO),
                    comma(l.amount.0),
                ),
            ];
            for (account, label, debit, credit) in sides {
                let fields = [
                    "CVN",
                    "Contributions volontaires en nature",
                    &num,
                    &date,
                    &fec_field(account),
                    &fec_field(label),
                    "",
                    "",
                    &piece,
                    &date,
                    &fec_field(&l.label),
                    &debit,
                    &credit,
                    "",
                    "",
                    &date,
                    "",
                    "",
                ];
                text.push_str(&fields.join("\t"));
                text.push_str("\r\n");
            }
        }
        out.push(JournalFile {
            beneficiary: first.beneficiary.clone(),
            period: first.period.clone(),
            name,
            bytes: text.into_bytes(),
            note,
        });
    }
    out
}

/// The class-8 journal as CSV files for Paheko's import of entries in its "simplifié"
/// layout ([`PAHEKO_COLUMNS`]): one file per beneficiary and calendar year (an import goes
/// into one fiscal year of one association), named `<SIREN>-paheko-<year>.csv` (RNA, or
/// the id with a note, as [`journal_fec_files`]).
///
/// UTF-8 with a BOM (so that a French Excel opens it right), `;`-separated, `\r\n` line
/// ends, one header line then one row per entry: type `Avancé` (an entry on accounts of
/// class 8), the label, the date `31/12/2025`, a remark naming the category, the piece
/// reference `CVN-<beneficiary>-<year>`, the debit and credit accounts, the amount with a
/// decimal comma (`1234,50`); the entry number stays empty (Paheko numbers new entries),
/// and so do the status, payment reference, project and linked members. Text fields are
/// quoted and guarded as in [`journal_fec`]. The accounts must exist in the association's
/// chart: the chart's own accounts do by default (setting `journal_accounts`).
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{
///   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
///   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
///   "beneficiaries": [{"id": "A1", "name": "Association Exemple", "siren": "123 456 789"}],
///   "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
///                  "annual_employer_charges": "21600", "annual_working_days": "218"}],
///   "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}]
/// }"#).unwrap();
/// let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
/// let files = mecenat::assoc::journal_paheko_files(&r, &s.beneficiaries, None);
/// assert_eq!(files[0].name, "123456789-paheko-2025.csv");
/// assert!(files[0].bytes.starts_with(b"\xEF\xBB\xBF"));
/// let text = String::from_utf8(files[0].bytes[3..].to_vec()).unwrap();
/// let row: Vec<&str> = text.lines().nth(1).unwrap().split(';').collect();
/// assert_eq!((row[4], row[8], row[9], row[10]), ("31/12/2025", "864", "871", "319,27"));
/// ```
pub fn journal_paheko_files(
    report: &Report,
    beneficiaries: &[Beneficiary],
    only: Option<&str>,
) -> Vec<JournalFile> {
    let mut used = Vec::new();
    let mut out = Vec::new();
    for (ben, lines) in journal_groups(report, beneficiaries, only) {
        let first = &lines[0];
        let (ident, mut note) = file_identifier(ben, &first.beneficiary);
        let name = format!("{ident}-paheko-{}.csv", alnum(&first.period));
        let name = unique_name(name, ".csv", &first.beneficiary, &mut used, &mut note);
        let head: Vec<String> = PAHEKO_COLUMNS.iter().map(|c| fec_text(c)).collect();
        let mut text = format!("\u{feff}{}\r\n", head.join(";"));
        let piece = format!("CVN-{}-{}", first.beneficiary, first.period);
        for l in lines {
            let remark = match l.category.as_str() {
                "staff_lent" => "Contributions volontaires en nature : personnel mis à disposition par une entreprise (mécénat de compétences)",
                _ => "Contributions volontaires en nature : bénévolat",
            };
            let fields = [
                String::new(),
                "Avancé".to_string(),
                String::new(),
                fec_text(&l.label),
                l.date.format("%d/%m/%Y").to_string(),
                fec_text(remark),
                fec_text(&piece),
                String::new(),
                fec_text(&l.debit_account),
                fec_text(&l.credit_account),
                comma(l.amount.0),
                String::new(),
                String::new(),
            ];
            text.push_str(&fields.join(";"));
            text.push_str("\r\n");
        }
        out.push(JournalFile {
            beneficiary: first.beneficiary.clone(),
            period: first.period.clone(),
            name,
            bytes: text.into_bytes(),
            note,
        });
    }
    out
}
