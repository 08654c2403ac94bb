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
/// assert!(lines[1].contains(";8642;") && lines[1].contains(";319,27;0,00;"));
/// assert!(lines[2].contains(";8711;") && lines[2].contains(";0,00;319,27;"));
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
