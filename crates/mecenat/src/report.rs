//! The report: every figure of the computation, serialized as the JSON contract of
//! report-format.md (money as strings with two decimals, absent figures as `null`).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use serde::Serialize;

use crate::money::{Money, Qty, Rate};
use crate::scenario::{CapMethod, Chart, Rejection};

/// The note every output carries.
pub const DISCLAIMER: &str = "Ce rapport n'est pas un conseil fiscal : il applique les règles et paramètres cités (art. 238 bis CGI) aux données fournies. / Not tax advice: it applies the cited rules and parameters to the data given.";

/// The whole report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// Per company (companies table order), then by date.
    pub fiscal_years: Vec<FiscalYearReport>,
    /// One per time entry, input order.
    #[serde(serialize_with = "json_out::entries_or_mark")]
    pub entries: Vec<EntryReport>,
    /// One per cash or in-kind donation row, input order.
    pub gifts: Vec<GiftReport>,
    /// Impact per beneficiary (table order) and calendar year.
    pub beneficiaries: Vec<ImpactReport>,
    /// Receipt data per company, fiscal year, beneficiary.
    pub receipts: Vec<Receipt>,
    /// Class-8 journal for the beneficiaries' accounts.
    pub journal: Vec<JournalLine>,
    /// Bench (intercontract) economics per company and fiscal year.
    pub bench: Vec<BenchReport>,
    /// Impact per beneficiary (table order), calendar year and project (entries that name
    /// a project).
    pub projects: Vec<ProjectImpact>,
    /// Declared outputs per beneficiary, calendar year, project and unit (as declared).
    pub outputs: Vec<OutputTotal>,
    /// The programme view: per company and fiscal year, and totals per calendar year.
    pub programme: Programme,
    /// Annex text for each beneficiary's accounts, per calendar year.
    pub annex: Vec<AnnexText>,
    /// Receipts against the companies' declared gifts, per company, fiscal year and
    /// beneficiary.
    pub reconciliation: Vec<ReconciliationLine>,
    /// In-kind goods and services received, listed for the accountant (not journalled).
    pub goods_for_accountant: Vec<GoodsLine>,
    /// The > 10,000 EUR declaration lists (annex of 2069-RCI-SD).
    pub declarations: Vec<Declaration>,
    /// Counterparts per company, fiscal year and beneficiary, with their ratio.
    pub counterparts: Vec<CounterpartCheck>,
    /// Carry-forward of donations (report en base), per fiscal year and origin.
    pub donations_ledger: Vec<LedgerLine>,
    /// Carry-forward of unused reduction (report en impôt), per fiscal year and origin.
    pub reduction_ledger: Vec<LedgerLine>,
    /// Every unusable row of every table, in table then row order.
    pub rejected: Vec<Rejection>,
    /// Rows read, used and rejected per table: nothing is lost.
    pub inputs: Vec<InputCount>,
    /// Policies in force.
    pub policies: Policies,
    /// Every legal parameter value used, with its source.
    pub references: Vec<Reference>,
    /// Warnings (extrapolated parameters, counterparts, …).
    pub warnings: Vec<String>,
    /// Assumptions the computation made where the law is silent.
    pub assumptions: Vec<String>,
    /// Not tax advice.
    pub disclaimer: String,
}

/// Donations of a fiscal year, by kind and by rate bucket.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Donations {
    /// Staff time at cost price.
    pub staff_time: Money,
    /// Cash gifts.
    pub cash: Money,
    /// In-kind gifts other than staff time.
    pub in_kind: Money,
    /// Sum of the three.
    pub total: Money,
    /// Gifts to aid to people in difficulty (60 % whatever the amount).
    pub aid60: Money,
    /// Other gifts up to the threshold (60 %).
    pub std60: Money,
    /// Other gifts above the threshold (40 %).
    pub std40: Money,
}

/// The figures of one fiscal year of one company.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FiscalYearReport {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Closing date.
    pub end: NaiveDate,
    /// `pre2019`, `2019` or `2020`.
    pub regime: String,
    /// Turnover excluding VAT.
    pub turnover: Money,
    /// Donations.
    pub donations: Donations,
    /// max(fixed, 5 ‰ of turnover).
    pub ceiling: Money,
    /// This year's donations kept under the ceiling.
    pub retained_current: Money,
    /// Carried excesses used this year.
    pub retained_carried: Money,
    /// Retained amounts by rate (current and carried).
    pub retained_by_rate: BTreeMap<String, Money>,
    /// The year's tax reduction.
    pub reduction: Money,
    /// The reduction by rate.
    pub reduction_by_rate: BTreeMap<String, Money>,
    /// This year's donations carried forward.
    pub excess: Money,
    /// Carried excesses that expired at this year's end.
    pub donations_expired: Money,
    /// All unused excess still alive after this year.
    pub donations_carried_closing: Money,
    /// IS due before the reduction, when given.
    pub tax_due: Option<Money>,
    /// Reduction imputed on the tax due.
    pub reduction_used: Option<Money>,
    /// Unused reductions that expired at this year's end.
    pub reduction_expired: Option<Money>,
    /// Unused reductions carried after this year.
    pub reduction_carried_closing: Option<Money>,
    /// Form 2069-RCI-SD line: the year's reduction in whole euros.
    pub form_2069_rci_reduction: i64,
    /// Donations total above the declaration threshold.
    pub declaration_required: bool,
    /// Counterparts received this year.
    pub counterparts: Money,
    /// Some beneficiary's counterparts exceed the tolerance (or came with no gift).
    pub counterparts_warning: bool,
    /// Value of gifts excluded (refused, ineligible beneficiary), not in `donations`.
    pub excluded: Money,
}

/// Status of a time entry or gift.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Counts for the company.
    Retained,
    /// Valid but gives no reduction.
    Excluded,
    /// Unusable row.
    Rejected,
}

/// One time entry as valued.
///
/// Its texts (ids, labels, project) are shared [`Arc<str>`]s: a million lines hold a few
/// thousand distinct texts, not millions of copies. They read as `&str` with `as_deref()`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntryReport {
    /// 1-based row in `time_entries`.
    pub row: usize,
    /// Employee id (staff lent).
    pub employee: Option<Arc<str>>,
    /// Volunteer (own time).
    pub volunteer: Option<Arc<str>>,
    /// Beneficiary id.
    pub beneficiary: Option<Arc<str>>,
    /// Date.
    #[serde(serialize_with = "crate::money::iso_date")]
    pub date: Option<NaiveDate>,
    /// Company id.
    pub company: Option<Arc<str>>,
    /// Fiscal year label.
    pub fiscal_year: Option<Arc<str>>,
    /// Days given (days, or hours / hours per day).
    pub days: Option<Qty>,
    /// Hours given (hours, or days × hours per day).
    pub hours: Option<Qty>,
    /// Annual cost (salary + charges) of the pay row used.
    pub annual_cost: Option<Money>,
    /// The cap applied to the annual cost (rate policy), when in force.
    pub cost_cap: Option<Money>,
    /// Annual working units the cost is divided by (days or hours).
    pub annual_units: Option<Qty>,
    /// The quantity in those units.
    pub units: Option<Qty>,
    /// Value at cost price, rounded to the cent.
    pub value: Option<Money>,
    /// Retained, excluded or rejected.
    pub status: Status,
    /// Why excluded or rejected.
    pub reason: Option<String>,
    /// Project.
    pub project: Option<Arc<str>>,
    /// Activity.
    pub activity: Option<Arc<str>>,
}

/// One cash or in-kind gift row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GiftReport {
    /// 1-based row in `donations`.
    pub row: usize,
    /// Company id.
    pub company: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Date.
    pub date: NaiveDate,
    /// cash or in_kind.
    pub kind: crate::scenario::DonationKind,
    /// Amount.
    pub amount: Money,
    /// Fiscal year label.
    pub fiscal_year: Option<String>,
    /// Retained, excluded or rejected.
    pub status: Status,
    /// Why excluded or rejected.
    pub reason: Option<String>,
}

/// Impact of one beneficiary in one period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImpactReport {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub period: String,
    /// Hours given.
    pub hours: Qty,
    /// Days given.
    pub days: Qty,
    /// Full-time equivalents.
    pub fte: Qty,
    /// Distinct people.
    pub volunteers: usize,
    /// Distinct lending companies.
    pub companies: usize,
    /// Distinct projects.
    pub projects: usize,
    /// Σ company cost-price values.
    pub value_donor_cost: Money,
    /// Value for the beneficiary's accounts (its method).
    pub value_cvn: Option<Money>,
    /// Value at market rates, when a rate table covers every entry.
    pub value_market: Option<Money>,
    /// The beneficiary's valuation method.
    pub cvn_method: crate::scenario::CvnMethod,
    /// days / volunteers.
    pub avg_days_per_volunteer: Qty,
    /// Volunteers per project: the mean, over the period's projects, of the distinct
    /// people on each; absent when no entry names a project.
    pub rotation: Option<Qty>,
    /// What `value_market` is (present with it): never added to the other values.
    pub value_market_label: Option<String>,
    /// Declared outputs of the period by unit, for every unit the beneficiary declares in
    /// any period: absent (`null`) when none was declared in this one, never zero.
    pub outputs: BTreeMap<String, Option<Qty>>,
}

/// Impact of one project of a beneficiary in one calendar year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProjectImpact {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub period: String,
    /// Project name.
    pub project: String,
    /// Hours given.
    pub hours: Qty,
    /// Days given.
    pub days: Qty,
    /// Distinct people.
    pub volunteers: usize,
    /// Distinct lending companies.
    pub companies: usize,
    /// Rotation: the people who carried the project (= `volunteers`).
    pub rotation: Qty,
    /// Σ company cost-price values.
    pub value_donor_cost: Money,
    /// Value for the beneficiary's accounts, absent when an entry has none.
    pub value_cvn: Option<Money>,
    /// Value at market rates, absent without a rate for every entry.
    pub value_market: Option<Money>,
    /// First day with an entry.
    pub first_entry: NaiveDate,
    /// Last day with an entry.
    pub last_entry: NaiveDate,
    /// ISO weeks from the first entry's to the last entry's, inclusive.
    pub active_weeks: usize,
    /// ISO weeks with at least one entry.
    pub weeks_with_entries: usize,
    /// weeks_with_entries / active_weeks.
    pub continuity: Qty,
    /// Declared outputs of the project by unit (every unit the beneficiary declares;
    /// `null` when this project declared none of it).
    pub outputs: BTreeMap<String, Option<Qty>>,
}

/// Declared outputs of one unit, summed per beneficiary, calendar year and project.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutputTotal {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub period: String,
    /// Project, when the rows name one.
    pub project: Option<String>,
    /// Unit from the closed list.
    pub unit: String,
    /// Sum of the quantities declared.
    pub quantity: Qty,
    /// Rows declared.
    pub rows: usize,
}

/// The programme view for the companies (rules-association.md §4).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Programme {
    /// Per company (table order) and fiscal year.
    pub companies: Vec<CompanyProgramme>,
    /// Per calendar year.
    pub periods: Vec<ProgrammeTotals>,
    /// Whole scenario (all years): distinct counts over every period.
    pub totals: ProgrammeTotals,
}

/// A company's programme in one fiscal year (staff lent counted in impact).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompanyProgramme {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// First day.
    pub start: NaiveDate,
    /// Closing date.
    pub end: NaiveDate,
    /// Distinct employees who gave time.
    pub volunteers: usize,
    /// Eligible headcount (setting `eligible_headcount`), when given.
    pub eligible_headcount: Option<Qty>,
    /// volunteers / eligible headcount, when the headcount is given.
    pub participation_rate: Option<Qty>,
    /// Hours given.
    pub hours: Qty,
    /// Days given.
    pub days: Qty,
    /// Value at cost price (every entry counted in impact, eligible beneficiary or not).
    pub value: Money,
    /// Of which retained for the tax reduction.
    pub value_retained: Money,
    /// Distinct projects supported (per beneficiary).
    pub projects: usize,
    /// Distinct beneficiaries supported.
    pub beneficiaries: usize,
    /// Their ids, in table order.
    pub beneficiaries_supported: Vec<String>,
    /// Bench days (bench table), absent without one.
    pub bench_days: Option<Qty>,
    /// Days donated during bench, absent without a bench table.
    pub bench_days_donated: Option<Qty>,
    /// Share of bench time donated, absent without bench days.
    pub bench_share_donated: Option<Qty>,
}

/// Programme totals of a period, or of all periods: hours, days and values are sums over the
/// `beneficiaries` rows; people, companies, beneficiaries and projects are distinct counts.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ProgrammeTotals {
    /// Calendar year, or `all`.
    pub period: String,
    /// Hours given.
    pub hours: Qty,
    /// Of which staff lent by companies.
    pub hours_staff_lent: Qty,
    /// Of which volunteers' own time.
    pub hours_volunteers: Qty,
    /// Days given.
    pub days: Qty,
    /// Full-time equivalents: hours / (FTE hours × calendar years covered, first to last).
    pub fte: Qty,
    /// Distinct people (not a sum: one person may help several beneficiaries).
    pub volunteers: usize,
    /// Distinct lending companies.
    pub companies: usize,
    /// Distinct beneficiaries that received time.
    pub beneficiaries: usize,
    /// Distinct projects (beneficiary × project pairs).
    pub projects: usize,
    /// Σ value_donor_cost.
    pub value_donor_cost: Money,
    /// Σ value_cvn, absent when some row has none.
    pub value_cvn: Option<Money>,
    /// Σ value_market, absent when some row has none.
    pub value_market: Option<Money>,
}

/// One dated value used to value contributions in kind.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnnexRate {
    /// What it is (`smic_hourly`, a rate id…).
    pub what: String,
    /// Value.
    pub value: String,
    /// Unit.
    pub unit: String,
    /// In force since, when dated.
    pub since: Option<NaiveDate>,
    /// Source.
    pub source: String,
}

/// The annex note on contributions in kind of one beneficiary for one calendar year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnnexText {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub period: String,
    /// Valuation method.
    pub cvn_method: crate::scenario::CvnMethod,
    /// The dated values used (SMIC, rates).
    pub rates: Vec<AnnexRate>,
    /// The text, in French (nature, counting method, valuation method, amounts).
    pub text: String,
}

/// One reconciliation check: the receipt against the company's declared gifts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReconciliationLine {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Retained staff time (Σ retained entries' values).
    pub staff_time: Money,
    /// Retained in-kind gifts.
    pub in_kind_gifts: Money,
    /// staff_time + in_kind_gifts: what the company declares in kind.
    pub company_in_kind: Money,
    /// Retained cash gifts.
    pub company_cash: Money,
    /// The receipt's in-kind amount (absent when no receipt was issued).
    pub receipt_in_kind: Option<Money>,
    /// The receipt's cash amount (absent when no receipt was issued).
    pub receipt_cash: Option<Money>,
    /// receipt_in_kind − company_in_kind (absent without a receipt).
    pub difference: Option<Money>,
    /// Both amounts of the receipt equal the company's.
    pub ok: bool,
}

/// One in-kind good or service received, for the accountant.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GoodsLine {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub period: String,
    /// Company id.
    pub company: String,
    /// 1-based row in `donations`.
    pub row: usize,
    /// Date received.
    pub date: NaiveDate,
    /// Description.
    pub description: String,
    /// Amount (the company's valuation).
    pub amount: Money,
    /// retained or excluded (beneficiary not eligible).
    pub status: Status,
    /// Where an accountant would record it, by the chart in force.
    pub accounts: String,
}

/// One employee made available, on a receipt.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReceiptEmployee {
    /// Employee id.
    pub employee: String,
    /// Name (or id when no name is given).
    pub name: String,
    /// Days given.
    pub days: Qty,
    /// Hours given.
    pub hours: Qty,
    /// Value at cost price.
    pub value: Money,
}

/// One in-kind good or service on a receipt.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReceiptGood {
    /// Date.
    pub date: NaiveDate,
    /// Description.
    pub description: String,
    /// Amount.
    pub amount: Money,
}

/// The data of one receipt (Cerfa 16216, 2041-MEC-SD).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Receipt {
    /// Company id.
    pub company: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Fiscal year label (the period).
    pub fiscal_year: String,
    /// Period start.
    pub period_start: NaiveDate,
    /// Period end.
    pub period_end: NaiveDate,
    /// Cash received.
    pub cash: Money,
    /// Cash in words.
    pub cash_words: String,
    /// In-kind: staff time + in-kind gifts.
    pub in_kind: Money,
    /// In-kind in French words.
    pub in_kind_words: String,
    /// Of which staff time.
    pub staff_time: Money,
    /// Of which goods and services.
    pub goods_value: Money,
    /// Employees made available.
    pub employees: Vec<ReceiptEmployee>,
    /// Goods and services given.
    pub goods: Vec<ReceiptGood>,
    /// Company name, legal form, SIREN, address.
    pub company_name: String,
    /// Legal form.
    pub company_legal_form: Option<String>,
    /// SIREN.
    pub company_siren: Option<String>,
    /// Address.
    pub company_address: Option<String>,
    /// Beneficiary name.
    pub beneficiary_name: String,
    /// Beneficiary SIREN.
    pub beneficiary_siren: Option<String>,
    /// Beneficiary RNA.
    pub beneficiary_rna: Option<String>,
    /// Beneficiary address.
    pub beneficiary_address: Option<String>,
    /// Beneficiary object.
    pub beneficiary_object: Option<String>,
    /// Eligibility category.
    pub beneficiary_category: String,
}

/// One class-8 journal line (balanced: debit and credit of the same amount).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JournalLine {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub period: String,
    /// `staff_lent` or `volunteers`.
    pub category: String,
    /// Debit account (86x).
    pub debit_account: String,
    /// Credit account (87x).
    pub credit_account: String,
    /// Amount.
    pub amount: Money,
    /// Label.
    pub label: String,
    /// Debit account's name.
    pub debit_label: String,
    /// Credit account's name.
    pub credit_label: String,
    /// Last day of the period (the entry's date).
    pub date: NaiveDate,
}

/// Bench economics of a company's fiscal year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BenchReport {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// Weekdays on the bench.
    pub bench_days: Qty,
    /// Bench days at uncapped daily cost.
    pub bench_cost: Money,
    /// Retained days donated during bench.
    pub donated_days: Qty,
    /// Their retained value.
    pub donated_value: Money,
    /// donated_days / bench_days.
    pub donated_share: Option<Qty>,
    /// Reduction attributable to those days.
    pub reduction_attributable: Money,
    /// Uncapped cost of the donated days minus the reduction attributable.
    pub net_cost: Money,
}

/// One gift line of a declaration.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeclarationGift {
    /// `staff_time`, `cash` or `in_kind`.
    pub kind: String,
    /// Date (first day of the staff time of the month).
    pub date: NaiveDate,
    /// Last day, for staff time grouped by month.
    pub date_end: Option<NaiveDate>,
    /// Amount.
    pub amount: Money,
    /// Description.
    pub description: Option<String>,
}

/// The declaration list for one beneficiary of a company's fiscal year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Declaration {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Name.
    pub beneficiary_name: String,
    /// SIREN.
    pub siren: Option<String>,
    /// RNA.
    pub rna: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Gifts.
    pub gifts: Vec<DeclarationGift>,
    /// Total of the gifts.
    pub total: Money,
    /// Counterparts received from that beneficiary.
    pub counterparts: Money,
}

/// Counterparts of one beneficiary in a company's fiscal year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CounterpartCheck {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Counterparts' value.
    pub counterparts: Money,
    /// Retained gifts to that beneficiary (staff time included).
    pub gifts: Money,
    /// counterparts / gifts, absent with no gift.
    pub ratio: Option<Qty>,
    /// Above the tolerance, or with no gift.
    pub warning: bool,
}

/// One origin in a carry-forward ledger for one fiscal year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LedgerLine {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// Origin fiscal year label (or `opening` for a balance given).
    pub origin: String,
    /// Origin closing date.
    pub origin_end: NaiveDate,
    /// Rate (donations ledger).
    pub rate: Option<Rate>,
    /// Balance at the start of the year.
    pub opening: Money,
    /// Added this year (this year's excess or unused reduction).
    pub added: Money,
    /// Used this year.
    pub used: Money,
    /// Expired at this year's end.
    pub expired: Money,
    /// Balance after this year.
    pub closing: Money,
    /// Closing date of the last fiscal year it can be used in: that year's `end` when the
    /// scenario gives it, otherwise projected with 12-month fiscal years.
    pub usable_until: NaiveDate,
    /// Whether this fiscal year is the last one it can be used in (what is left of it at
    /// this year's end expires).
    pub last_usable_year: bool,
}

/// Rows per table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputCount {
    /// Table.
    pub table: String,
    /// Rows read.
    pub rows: usize,
    /// Rows rejected.
    pub rejected: usize,
}

/// Policies in force.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Policies {
    /// `rate` or `period`.
    pub cap_method: CapMethod,
    /// Order current-year buckets are retained in.
    pub retention_order: String,
    /// Order carried excesses are used in.
    pub carried_order: String,
    /// Whether the fixed ceiling is prorated for a short or long fiscal year.
    pub fixed_ceiling_proration: String,
    /// Chart of accounts of the journal.
    pub chart: Chart,
}

/// One legal parameter value used.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    /// Parameter name.
    pub parameter: String,
    /// Value.
    pub value: String,
    /// In force since.
    pub since: NaiveDate,
    /// Legal source.
    pub source: String,
    /// What it is.
    pub description: String,
}

impl Report {
    /// The report as pretty JSON (the contract of report-format.md).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Writes the report as JSON to a writer.
    ///
    /// # Errors
    ///
    /// The writer's error, as [`crate::Error::Io`].
    pub fn write_json<W: std::io::Write>(&self, w: W, pretty: bool) -> Result<(), crate::Error> {
        json_out::write(self, w, pretty).map_err(|e| crate::Error::Io {
            path: "(output)".into(),
            message: e.to_string(),
        })
    }

    /// The lots still carried at a fiscal year's closing, with the date until which each
    /// can be used (both ledgers), for the text summary.
    fn carried_lines_text(&self, s: &mut String, fy: &FiscalYearReport) {
        use std::fmt::Write;
        let ledgers = [
            ("Excédent reporté", &self.donations_ledger),
            ("Réduction non imputée reportée", &self.reduction_ledger),
        ];
        for (what, ledger) in ledgers {
            for l in ledger.iter().filter(|l| {
                l.company == fy.company && l.fiscal_year == fy.label && !l.closing.0.is_zero()
            }) {
                let rate = l.rate.as_ref().map_or_else(String::new, |r| {
                    format!(
                        " à {} %",
                        (r.0 * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                    )
                });
                let _ = writeln!(
                    s,
                    "    {what} de {}{rate} : {} utilisable jusqu'au {}",
                    l.origin,
                    crate::money::fmt_money(l.closing.0),
                    l.usable_until.format("%d/%m/%Y")
                );
            }
        }
    }

    /// A readable summary: per company and fiscal year, donations, ceiling, reduction,
    /// carried amounts and warnings.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let m = |x: &Money| crate::money::fmt_money(x.0);
        let o = |x: &Option<Money>| {
            x.as_ref()
                .map_or_else(|| "—".to_string(), |v| crate::money::fmt_money(v.0))
        };
        let mut s = String::new();
        let _ = writeln!(s, "mecenat — mécénat de compétences (art. 238 bis CGI)\n");
        for fy in &self.fiscal_years {
            let d = &fy.donations;
            let _ = writeln!(
                s,
                "{} · exercice {} ({} → {}) · régime {}",
                fy.company, fy.label, fy.start, fy.end, fy.regime
            );
            let _ = writeln!(
                s,
                "  Dons                 {:>16}  (temps {} · numéraire {} · nature {})",
                m(&d.total),
                m(&d.staff_time),
                m(&d.cash),
                m(&d.in_kind)
            );
            let _ = writeln!(s, "  Plafond              {:>16}", m(&fy.ceiling));
            let _ = writeln!(
                s,
                "  Retenus              {:>16}  (exercice {} · reports {})",
                m(&Money(fy.retained_current.0 + fy.retained_carried.0)),
                m(&fy.retained_current),
                m(&fy.retained_carried)
            );
            let rates: Vec<String> = fy
                .reduction_by_rate
                .iter()
                .map(|(r, v)| format!("{r}: {}", m(v)))
                .collect();
            let _ = writeln!(
                s,
                "  Réduction d'impôt    {:>16}  ({})",
                m(&fy.reduction),
                rates.join(" · ")
            );
            let _ = writeln!(
                s,
                "  Excédent reporté     {:>16}  (expiré {} · solde reporté {})",
                m(&fy.excess),
                m(&fy.donations_expired),
                m(&fy.donations_carried_closing)
            );
            let _ = writeln!(
                s,
                "  IS dû                {:>16}  (imputé {} · expiré {} · report en impôt {})",
                o(&fy.tax_due),
                o(&fy.reduction_used),
                o(&fy.reduction_expired),
                o(&fy.reduction_carried_closing)
            );
            let last_of_company = self
                .fiscal_years
                .iter()
                .rev()
                .find(|x| x.company == fy.company)
                .is_some_and(|x| x.label == fy.label);
            if last_of_company {
                self.carried_lines_text(&mut s, fy);
            }
            if fy.declaration_required {
                let _ = writeln!(
                    s,
                    "  Déclaration des dons > 10 000 € requise (annexe 2069-RCI-SD)"
                );
            }
            if fy.counterparts_warning {
                let _ = writeln!(
                    s,
                    "  ⚠ Contreparties {} : disproportion au-delà de la tolérance",
                    m(&fy.counterparts)
                );
            }
            let _ = writeln!(s);
        }
        let retained = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Retained)
            .count();
        let excluded = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Excluded)
            .count();
        let _ = writeln!(
            s,
            "Temps : {} lignes ({} retenues, {} exclues, {} rejetées)",
            self.entries.len(),
            retained,
            excluded,
            self.entries.len() - retained - excluded
        );
        let _ = writeln!(
            s,
            "Reçus : {} · Lignes rejetées (toutes tables) : {}",
            self.receipts.len(),
            self.rejected.len()
        );
        for r in self.rejected.iter().take(20) {
            let _ = writeln!(s, "  rejet : {r}");
        }
        if self.rejected.len() > 20 {
            let _ = writeln!(
                s,
                "  … et {} autres (voir --format json)",
                self.rejected.len() - 20
            );
        }
        for w in &self.warnings {
            let _ = writeln!(s, "⚠ {w}");
        }
        let cap = match self.policies.cap_method {
            CapMethod::Rate => "rate (coût annuel plafonné à 3 PASS)",
            CapMethod::Period => "period (3 PMSS par salarié et par mois)",
        };
        let _ = writeln!(
            s,
            "\nPolitique de plafonnement : {cap} · {} paramètres légaux cités (voir --format json, \"references\")",
            self.references.len()
        );
        let _ = writeln!(s, "{}", self.disclaimer);
        s
    }
}

/// The JSON writer: the entries, most of the report's bytes, are rendered on both cores in
/// blocks and written in order; the rest is serde_json's own output. The bytes are exactly
/// those of `serde_json::to_writer` (or `to_writer_pretty`) on the whole report.
mod json_out {
    use std::cell::Cell;
    use std::io::{self, Write};

    use serde::{Serialize, Serializer};
    use serde_json::ser::Formatter;

    use super::{EntryReport, Report};

    thread_local! {
        /// Set while the report's other members are serialized: the entries are then
        /// written as [`MARK`], to be replaced by the rendered entries.
        static MARK_ENTRIES: Cell<bool> = const { Cell::new(false) };
    }

    /// Stands for the entries in the shell. Its quotes are unescaped in the output, which
    /// user text (always escaped) can never produce, and the key before it is unique.
    const MARK: &str = "\u{1}mecenat:entries\u{1}";

    pub(super) fn entries_or_mark<S: Serializer>(
        entries: &Vec<EntryReport>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        if MARK_ENTRIES.with(Cell::get) {
            s.serialize_str(MARK)
        } else {
            entries.serialize(s)
        }
    }

    /// Resets the flag even if serialization fails.
    struct Marking;

    impl Marking {
        fn on() -> Self {
            MARK_ENTRIES.with(|m| m.set(true));
            Marking
        }
    }

    impl Drop for Marking {
        fn drop(&mut self) {
            MARK_ENTRIES.with(|m| m.set(false));
        }
    }

    /// Entries per block (a few MB of text: the whole text is never held).
    const BLOCK: usize = 1 << 13;

    pub(super) fn write<W: Write>(report: &Report, mut w: W, pretty: bool) -> io::Result<()> {
        let t0 = std::time::Instant::now();
        let mut shell = Vec::with_capacity(1 << 16);
        {
            let _marking = Marking::on();
            if pretty {
                serde_json::to_writer_pretty(&mut shell, report)?;
            } else {
                serde_json::to_writer(&mut shell, report)?;
            }
        }
        let key: &[u8] = if pretty {
            b"\n  \"entries\": "
        } else {
            b"\"entries\":"
        };
        let mut quoted = Vec::new();
        serde_json::to_writer(&mut quoted, MARK)?;
        let needle = [key, &quoted].concat();
        let at = shell
            .windows(needle.len())
            .position(|x| x == needle.as_slice())
            .ok_or_else(|| io::Error::other("the entries' place was not found in the report"))?;
        let (head, tail) = (&shell[..at + key.len()], &shell[at + needle.len()..]);
        phase!(t0, "json: all but the entries serialized");
        w.write_all(head)?;
        write_entries(&mut w, &report.entries, pretty)?;
        phase!(t0, "json: entries written");
        w.write_all(tail)
    }

    /// One block of entries, each preceded by its separator, as the whole report's
    /// serializer would write them inside the entries array (`first`: the block starts it).
    fn render(
        block: &[EntryReport],
        first: bool,
        pretty: bool,
        buf: &mut Vec<u8>,
    ) -> io::Result<()> {
        buf.clear();
        for (k, e) in block.iter().enumerate() {
            let first = first && k == 0;
            if pretty {
                buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                let mut ser = serde_json::Serializer::with_formatter(&mut *buf, PrettyAt::new(2));
                e.serialize(&mut ser)?;
            } else {
                if !first {
                    buf.push(b',');
                }
                serde_json::to_writer(&mut *buf, e)?;
            }
        }
        Ok(())
    }

    fn write_entries<W: Write>(w: &mut W, entries: &[EntryReport], pretty: bool) -> io::Result<()> {
        use std::sync::mpsc::{channel, sync_channel};
        if entries.is_empty() {
            return w.write_all(b"[]");
        }
        w.write_all(b"[")?;
        // Two renderers take the blocks in turn (0, 2, 4… and 1, 3, 5…) and hand them over
        // through short queues; this thread writes them in order and hands the buffers back,
        // so rendering and writing overlap.
        let blocks: Vec<&[EntryReport]> = entries.chunks(BLOCK).collect();
        std::thread::scope(|scope| -> io::Result<()> {
            let mut queues = Vec::new();
            for k in 0..2 {
                let (full_tx, full_rx) = sync_channel::<io::Result<Vec<u8>>>(2);
                let (empty_tx, empty_rx) = channel::<Vec<u8>>();
                let mine: Vec<(usize, &[EntryReport])> = blocks
                    .iter()
                    .copied()
                    .enumerate()
                    .skip(k)
                    .step_by(2)
                    .collect();
                scope.spawn(move || {
                    for (i, block) in mine {
                        let mut buf = empty_rx.try_recv().unwrap_or_default();
                        let r = render(block, i == 0, pretty, &mut buf).map(|()| buf);
                        let failed = r.is_err();
                        if full_tx.send(r).is_err() || failed {
                            return;
                        }
                    }
                });
                queues.push((full_rx, empty_tx));
            }
            for i in 0..blocks.len() {
                let (full, empty) = &queues[i % 2];
                let buf = full
                    .recv()
                    .map_err(|_| io::Error::other("a renderer of the entries stopped"))??;
                w.write_all(&buf)?;
                // The renderer may be done already: then the buffer is simply dropped.
                let _ = empty.send(buf);
            }
            Ok(())
        })?;
        w.write_all(if pretty { b"\n  ]" } else { b"]" })
    }

    /// serde_json's pretty formatter (two spaces), starting at a given depth.
    struct PrettyAt {
        level: usize,
        has_value: bool,
    }

    impl PrettyAt {
        fn new(level: usize) -> Self {
            PrettyAt {
                level,
                has_value: false,
            }
        }

        fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
            const SPACES: &[u8; 32] = b"                                ";
            let mut n = 2 * self.level;
            while n > 0 {
                let k = n.min(SPACES.len());
                w.write_all(&SPACES[..k])?;
                n -= k;
            }
            Ok(())
        }
    }

    impl PrettyAt {
        /// Opens an array or an object: one level deeper, nothing in it yet.
        fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
            self.level += 1;
            self.has_value = false;
            w.write_all(bracket)
        }

        /// Closes it, on a line of its own when it holds something.
        fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
            self.level -= 1;
            if self.has_value {
                w.write_all(b"\n")?;
                self.indent(w)?;
            }
            w.write_all(bracket)
        }

        /// Starts a value or a key: a new line, after a comma unless it is the first.
        fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
            w.write_all(if first { b"\n" } else { b",\n" })?;
            self.indent(w)
        }
    }

    impl Formatter for PrettyAt {
        fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.open(w, b"[")
        }

        fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.close(w, b"]")
        }

        fn begin_array_value<W: ?Sized + Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> io::Result<()> {
            self.item(w, first)
        }

        fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
            self.has_value = true;
            Ok(())
        }

        fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.open(w, b"{")
        }

        fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.close(w, b"}")
        }

        fn begin_object_key<W: ?Sized + Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> io::Result<()> {
            self.item(w, first)
        }

        fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
            w.write_all(b": ")
        }

        fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
            self.has_value = true;
            Ok(())
        }
    }
}
