//! The report: every figure of the computation, serialized as the JSON contract of
//! report-format.md (money as strings with two decimals, absent figures as `null`).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use serde::Serialize;

use crate::input::scenario::{CapMethod, Chart, Rejection};
pub use crate::law::{Reference, SuppliedBy};
use crate::money::{Money, Qty, Rate};

/// The note every output carries.
pub const DISCLAIMER: &str = "Ce rapport n'est pas un conseil fiscal : il applique les règles et paramètres cités (art. 238 bis CGI) aux données fournies. / Not tax advice: it applies the cited rules and parameters to the data given.";

/// The whole report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// Per company (companies table order), then by date.
    pub fiscal_years: Vec<FiscalYearReport>,
    /// The forecast of each company's donations ledger, per assumption (rules-company §8):
    /// a projection, apart from the fiscal years' figures.
    pub forecast: Vec<ForecastReport>,
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
    /// The months the period policy scaled down (empty under the `rate` policy).
    pub period_caps: Vec<PeriodCap>,
    /// Every unusable row of every table, in table then row order.
    pub rejected: Vec<Rejection>,
    /// The quantity as given, and its unit, of each time entry whose line has no
    /// `conversion` (rejected while valuing it, or a volunteer's own time), by the entry's
    /// row, in input order: what a face shows as entered. Not in the JSON.
    #[serde(skip)]
    pub rejected_quantities: Vec<(usize, Qty, TimeUnit)>,
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
    /// The non-profits' yearly declaration of receipts (art. 222 bis CGI), per
    /// beneficiary (table order) and calendar year.
    pub receipts_declared: Vec<ReceiptsDeclared>,
    /// Per company and fiscal year with a declaration list, its subtotal (form
    /// 2069-RCI-SD section III).
    pub declaration_totals: Vec<DeclarationTotal>,
    /// The names of the companies and employees by id, for the faces that show them beside
    /// the ids (not in the JSON contract: the input tables give them).
    #[serde(skip)]
    pub names: Names,
}

/// Names by id, in id order: companies (`companies` table) and employees (their pay rows'
/// `name`, the first one given).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Names {
    /// Company id → name.
    pub companies: BTreeMap<String, String>,
    /// Employee id → name (employees without a name are absent).
    pub employees: BTreeMap<String, String>,
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
    /// What more could be retained this year: ceiling − retained_current − retained_carried
    /// (rules-company §8).
    pub headroom: Money,
    /// The rate one more euro given this year to an ordinary beneficiary would earn this
    /// year (`"0.00"` without headroom; the reduced rate once the threshold is reached).
    pub marginal_rate: Rate,
    /// The same for a beneficiary under the aid-to-people-in-difficulty exception.
    pub marginal_rate_aid: Rate,
    /// The law in force in this fiscal year (chosen by its closing date).
    pub law: YearLawReport,
    /// How the year's donations and the carried excesses were retained under the ceiling.
    pub retention: Retention,
    /// How the reductions were imputed on the tax due (its figures are absent when the
    /// imputation is not computed).
    pub imputation: Imputation,
}

/// The assumption of a forecast (rules-company §8).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Assumption {
    /// No donation in the projected years.
    NoNewGifts,
    /// Each projected year's donations equal the last fiscal year's, bucket by bucket.
    SameGiftsEachYear,
}

/// A company's forecast of its donations ledger under one assumption (a projection).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ForecastReport {
    /// Company id.
    pub company: String,
    /// The assumption.
    pub assumption: Assumption,
    /// Label of the last fiscal year given.
    pub after: String,
    /// The excess carried at that year's closing.
    pub carried_at_start: Money,
    /// Of which used over the projected years.
    pub carried_used: Money,
    /// Of which expired over the projected years (used + expired = carried at start).
    pub carried_expired: Money,
    /// The projected fiscal years.
    pub years: Vec<ForecastYear>,
}

/// One projected fiscal year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ForecastYear {
    /// First day.
    pub start: NaiveDate,
    /// Closing date.
    pub end: NaiveDate,
    /// Carried excess at the opening.
    pub opening: Money,
    /// The year's donations (by the assumption).
    pub gifts: Money,
    /// Of which retained under the ceiling.
    pub retained_current: Money,
    /// Carried excess used.
    pub retained_carried: Money,
    /// The year's reduction (per rate, rounded to the cent, summed).
    pub reduction: Money,
    /// Carried excess expired at the year's end.
    pub expired: Money,
    /// Carried excess at the closing: opening + gifts − retained − expired.
    pub closing: Money,
}

/// The legal values in force in a fiscal year, as the computation used them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearLawReport {
    /// The standard rate of the reduction.
    pub reduction_rate: Rate,
    /// The reduced rate above the threshold, where the regime has the 40 % tranche.
    pub reduced_rate: Option<Rate>,
    /// The threshold of the reduced rate, where the regime has it.
    pub reduced_rate_threshold: Option<Money>,
    /// The fixed amount of the ceiling (0 where the regime has none).
    pub ceiling_fixed: Money,
    /// The ceiling's share of turnover.
    pub ceiling_turnover_rate: Rate,
    /// The salary cap's multiple of the PASS, where the cap is in force.
    pub salary_cap_multiple: Option<Qty>,
    /// The counterparts' tolerance.
    pub counterparts_tolerance: Rate,
    /// Donations above this total must be declared.
    pub declaration_threshold: Option<Money>,
}

/// The retention of a fiscal year (rules-company §4): the current year's buckets first,
/// then the carried excesses in the headroom left.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Retention {
    /// Retained of the `aid60` bucket.
    pub aid60: Money,
    /// Retained of the `std60` bucket.
    pub std60: Money,
    /// Retained of the `std40` bucket.
    pub std40: Money,
    /// Headroom left after the current year's donations.
    pub headroom_after_current: Money,
    /// Carried excesses available at the opening (all origins).
    pub carried_available: Money,
    /// This year's excess at the standard rate (aid60 and std60 not retained).
    pub excess_standard: Money,
    /// This year's excess at the reduced rate (std40 not retained).
    pub excess_reduced: Money,
    /// The reduction earned by this year's own donations (carried excesses left out).
    pub reduction_own: Money,
}

/// The imputation of a fiscal year's reductions on its tax due (rules-company §5); every
/// figure is absent when the imputation is not computed (no tax due, this year or before).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Imputation {
    /// Unused reductions carried from earlier years, available at the opening.
    pub carried_available: Option<Money>,
    /// Of which imputed this year (oldest first).
    pub carried_used: Option<Money>,
    /// This year's reduction imputed.
    pub current_used: Option<Money>,
    /// This year's reduction left unused (carried).
    pub current_unused: Option<Money>,
}

/// An employee's calendar month under the period policy (`cap_method = period`) whose
/// retained entries exceeded the cap: their values were scaled down to it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PeriodCap {
    /// Employee id.
    pub employee: String,
    /// The month (`2025-03`).
    pub month: String,
    /// The month's cap (the multiple × PMSS of the month).
    pub cap: Money,
    /// The month's retained entries at their uncapped values.
    pub uncapped: Money,
    /// The rows of those entries in `time_entries` (their values now add up to the cap).
    pub rows: Vec<usize>,
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

/// A unit of time: days or hours.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days.
    Days,
    /// Hours.
    Hours,
}

/// How a time entry's quantity meets its pay row's basis.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Conversion {
    /// Days on a days basis.
    Days,
    /// Hours on an hours basis.
    Hours,
    /// Hours on a days basis: hours ÷ hours per day.
    HoursToDays,
    /// Days on an hours basis: days × hours per day.
    DaysToHours,
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
    /// How the quantity given meets the pay row's basis (staff lent): `days` or `hours`
    /// (the same unit), `hours_to_days` (hours on a days basis, ÷ hours per day) or
    /// `days_to_hours` (days on an hours basis, × hours per day).
    pub conversion: Option<Conversion>,
    /// The hours per day used to convert days and hours.
    pub hours_per_day: Option<Qty>,
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

impl EntryReport {
    /// An entries line with nothing valued: status rejected, every figure absent.
    pub(crate) fn rejected(row: usize, reason: Option<String>) -> Self {
        EntryReport {
            row,
            employee: None,
            volunteer: None,
            beneficiary: None,
            date: None,
            company: None,
            fiscal_year: None,
            days: None,
            hours: None,
            annual_cost: None,
            cost_cap: None,
            annual_units: None,
            units: None,
            conversion: None,
            hours_per_day: None,
            value: None,
            status: Status::Rejected,
            reason,
            project: None,
            activity: None,
        }
    }
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
    pub kind: crate::input::scenario::DonationKind,
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
    /// Beneficiary name, for the faces that show it beside the id (not in the JSON
    /// contract: the beneficiaries table gives it).
    #[serde(skip)]
    pub beneficiary_name: String,
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
    pub cvn_method: crate::input::scenario::CvnMethod,
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
    pub cvn_method: crate::input::scenario::CvnMethod,
    /// The dated values used (SMIC, rates).
    pub rates: Vec<AnnexRate>,
    /// The text, in French (nature, counting method, valuation method, amounts).
    pub text: String,
    /// Beneficiary name (the title of its annex).
    pub beneficiary_name: String,
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
    pub beneficiary_category: crate::input::scenario::Category,
    /// The receipt's number: the prefix (setting `receipt_prefix`), the year its period
    /// ends, then its rank among that beneficiary's receipts of that year (`2025-0001`).
    pub number: String,
    /// Each cash gift: its date, amount and means of payment (when given).
    pub cash_gifts: Vec<ReceiptCashGift>,
    /// The beneficiary gives free food, care or basic goods to people in difficulty.
    pub beneficiary_aid_to_people_in_difficulty: bool,
    /// For a public-utility body, the date of its recognition decree, when given.
    pub beneficiary_recognition_decree: Option<NaiveDate>,
}

/// One cash gift on a receipt.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReceiptCashGift {
    /// Date paid.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Money,
    /// Means of payment, when given.
    pub payment_method: Option<crate::input::scenario::PaymentMethod>,
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
    /// Uncapped cost of the donated days (Σ of their entries' uncapped values).
    pub donated_cost: Money,
    /// Share of that cost the reduction covers this year: reduction_attributable /
    /// donated_cost (rules-company §7, §8).
    pub reduction_share: Option<Qty>,
    /// The same if the year's own excess were used in later years at its rates (the
    /// reduction it would add, attributed to the donated days the same way).
    pub reduction_share_if_excess_used: Option<Qty>,
    /// Cost of an idle bench day: bench_cost / bench_days.
    pub idle_day_cost: Option<Money>,
    /// Net cost of a donated bench day: net_cost / donated_days.
    pub donated_day_net_cost: Option<Money>,
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
    /// The identifier section III asks for: the SIREN, else the RNA.
    pub identifier: Option<String>,
    /// The intermediary organism the gifts went through, when given.
    pub intermediary_name: Option<String>,
    /// Its SIREN.
    pub intermediary_siren: Option<String>,
    /// Its RNA.
    pub intermediary_rna: Option<String>,
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
    pub retention_order: RetentionOrder,
    /// Order carried excesses are used in.
    pub carried_order: CarriedOrder,
    /// Whether the fixed ceiling is prorated for a short or long fiscal year.
    pub fixed_ceiling_proration: FixedCeilingProration,
    /// Chart of accounts of the journal.
    pub chart: Chart,
    /// Which accounts the journal posts to: `chart` (the chart's own, default) or
    /// `sub_accounts` (setting `journal_accounts`).
    pub journal_accounts: crate::input::scenario::JournalAccounts,
    /// The accounts to create in the association's chart before importing the journal
    /// (the sub-accounts under `sub_accounts`; none under `chart`).
    pub accounts_to_create: Vec<AccountToCreate>,
}

/// The order a fiscal year's gifts are retained in under its ceiling (rules-company §4),
/// as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionOrder {
    /// The year's buckets `aid60`, `std60`, `std40` (the highest rate first), then the
    /// carried excesses (see [`CarriedOrder`]).
    #[default]
    HighestRateFirst,
}

/// The order carried excesses fill the headroom left under a ceiling (rules-company §4),
/// as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CarriedOrder {
    /// The oldest origin first; within one origin, 60 % before 40 %.
    #[default]
    OldestOriginFirst,
}

/// Whether the fixed part of the ceiling is prorated for a fiscal year not 12 months long,
/// as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedCeilingProration {
    /// Never prorated: the fixed amount holds for a short or a long year alike.
    #[default]
    NotProrated,
}

/// An account the journal posts to that the official chart does not list: the
/// association creates it under its parent before importing.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccountToCreate {
    /// Account number (`8642`).
    pub account: String,
    /// Its name (`Personnel mis à disposition`).
    pub label: String,
    /// The chart's account it goes under (`864`).
    pub parent: String,
}

/// The non-profit's yearly declaration of the receipts it issued (art. 222 bis CGI), for
/// one beneficiary and calendar year: the receipts of this report whose period ends in
/// that year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReceiptsDeclared {
    /// Beneficiary id.
    pub beneficiary: String,
    /// Calendar year.
    pub year: String,
    /// Article of the gifts (`238 bis`: company gifts).
    pub article: String,
    /// Number of receipts.
    pub receipts: usize,
    /// Cash stated on them.
    pub cash: Money,
    /// In-kind amounts stated on them (staff time included).
    pub in_kind: Money,
    /// cash + in_kind.
    pub total: Money,
    /// Name of the beneficiary.
    pub beneficiary_name: String,
}

/// The subtotal of one fiscal year's list of gifts for form 2069-RCI-SD section III (the
/// [`Declaration`]s of that company and year).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeclarationTotal {
    /// Company id.
    pub company: String,
    /// Fiscal year label.
    pub fiscal_year: String,
    /// First day of the fiscal year.
    pub start: NaiveDate,
    /// Closing date.
    pub end: NaiveDate,
    /// Final beneficiaries listed.
    pub beneficiaries: usize,
    /// Gift lines listed.
    pub gifts: usize,
    /// Σ of the listed gifts.
    pub total: Money,
    /// Σ of the counterparts received from those beneficiaries.
    pub counterparts: Money,
}

impl Report {
    /// The report as pretty JSON (the contract of report-format.md).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Internal`] if the report cannot be serialized (a defect: every
    /// member is text, a number, a date or a map with text keys), never a JSON text that
    /// would pass for a report.
    pub fn to_json(&self) -> Result<String, crate::Error> {
        let mut out = Vec::new();
        self.write_json(&mut out, true)?;
        String::from_utf8(out).map_err(|e| crate::Error::Internal {
            message: format!("the JSON report is not UTF-8: {e}"),
        })
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
}

/// A piece of the report's JSON text, as [`Report::json_pieces`] hands them: first the
/// shell, then the entries' blocks in order. The text is `head`, every block's `bytes`,
/// then `tail`; each piece is valid UTF-8 on its own.
#[derive(Debug)]
pub enum JsonPiece {
    /// The text before the entries (up to the array's `[`) and after them (from its `]`),
    /// handed before any entry so that a reader knows the text's shape first.
    Shell {
        /// Up to the entries' `[`.
        head: Vec<u8>,
        /// From the entries' `]` to the end.
        tail: Vec<u8>,
        /// The number of entries the blocks will hold.
        entries: usize,
    },
    /// The next `count` entries, with the separators before them.
    Entries {
        /// Their text.
        bytes: Vec<u8>,
        /// How many entries.
        count: usize,
    },
}

impl Report {
    /// The report's JSON text (the bytes of [`Report::write_json`]) handed to `take` in
    /// pieces ([`JsonPiece`]): the entries rendered on both cores and never copied into
    /// one buffer (what the Python face writes straight into a `str`).
    ///
    /// # Examples
    ///
    /// ```
    /// use mecenat::report::JsonPiece;
    /// let scenario = mecenat::Scenario::from_json(r#"{"companies": [{"id": "C1", "name": "SAS"}]}"#)?;
    /// let report = mecenat::compute(&scenario, &mecenat::Options::default())?;
    /// let (mut text, mut end) = (Vec::new(), Vec::new());
    /// report.json_pieces(false, |piece| match piece {
    ///     JsonPiece::Shell { head, tail, .. } => (text, end) = (head, tail),
    ///     JsonPiece::Entries { bytes, .. } => text.extend_from_slice(&bytes),
    /// })?;
    /// text.extend_from_slice(&end);
    /// let mut whole = Vec::new();
    /// report.write_json(&mut whole, false)?;
    /// assert_eq!(text, whole);
    /// # Ok::<(), mecenat::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`crate::Error::Internal`] if the report cannot be serialized (a defect).
    pub fn json_pieces(
        &self,
        pretty: bool,
        take: impl FnMut(JsonPiece),
    ) -> Result<(), crate::Error> {
        json_out::pieces(self, pretty, take).map_err(|e| crate::Error::Internal {
            message: format!("the JSON report could not be written: {e}"),
        })
    }
}

// The JSON writer: the entries, most of the report's bytes, are rendered on both cores in
// blocks and written in order; the rest is serde_json's own output. The bytes are exactly
// those of `serde_json::to_writer` (or `to_writer_pretty`) on the whole report.
mod json_out;
mod text;
