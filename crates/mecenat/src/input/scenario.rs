//! The validated scenario: typed tables, and the rows rejected while typing them.
//!
//! [`Scenario::from_raw`] types every row of a [`RawScenario`]. A row whose own fields are
//! unusable (a date that does not exist, a negative quantity, both `days` and `hours`…) is
//! **rejected** with its reason and kept in [`Scenario::rejections`]; problems of the whole
//! scenario (unknown table or key, a float, duplicate ids, fiscal years that overlap or
//! leave a gap) are [`Error`]s. References between tables (an entry's employee, a date
//! inside a fiscal year) are resolved by the computation, which rejects rows the same way.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::bounds::{
    show, MAX_AMOUNT, MAX_ANNUAL_DAYS, MAX_ANNUAL_HOURS, MAX_COUNT, MAX_FACTOR, MAX_HOURS_PER_DAY,
    MAX_QUANTITY, MIN_UNITS,
};
use crate::error::{Error, Location};
pub use crate::input::raw::MAX_SHOWN_CHARS;
use crate::input::raw::{
    shown_text, shown_value, table_index, RawRow, RawScenario, RawValue, SheetInfo,
};

/// Why a row is rejected, as a stable snake_case code (`kind` in the report, beside the
/// readable `reason`): what a program tests, in any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// A required cell is empty or missing.
    Missing,
    /// Text was expected.
    NotText,
    /// A decimal number was expected.
    NotANumber,
    /// A clock time (`08:30`) where decimal hours are expected.
    ClockTime,
    /// More decimals than the field holds.
    TooManyDecimals,
    /// A negative amount or quantity.
    Negative,
    /// Zero where a positive value is needed.
    NotPositive,
    /// Beyond a technical bound of mecenat.
    TooLarge,
    /// Outside the field's range.
    OutOfBounds,
    /// Not a date (YYYY-MM-DD).
    NotADate,
    /// Not true or false.
    NotABoolean,
    /// Not one of a closed list (status, category, unit, kind…).
    NotInList,
    /// Two keys given where only one may be.
    BothGiven,
    /// Neither of two keys given.
    NeitherGiven,
    /// A date that ends before it starts.
    EndBeforeStart,
    /// A key that another one requires (a rate id, a description…).
    RequiredWith,
    /// A key that does not apply to this row (a rate on a reduction balance).
    NotApplicable,
    /// A setting with an invalid value.
    InvalidSetting,
    /// A company id that is not in `companies`.
    UnknownCompany,
    /// A beneficiary id that is not in `beneficiaries`.
    UnknownBeneficiary,
    /// An employee id that is not in `employees`.
    UnknownEmployee,
    /// No pay row of the employee in force on the date.
    NoPayRow,
    /// A date outside every fiscal year of the company.
    OutsideFiscalYears,
    /// No PASS is known for the entry's year.
    NoPass,
    /// The company has no fiscal year.
    NoFiscalYear,
    /// An opening balance that does not come from before the first fiscal year.
    NotBeforeFirstYear,
    /// More years left than the carry-forward span.
    TooManyYearsLeft,
    /// An opening balance that expired before the first fiscal year.
    Expired,
    /// A rate the law has never had.
    NotALegalRate,
}

impl RejectionKind {
    /// Every kind, in declaration order.
    pub const ALL: [RejectionKind; 29] = [
        RejectionKind::Missing,
        RejectionKind::NotText,
        RejectionKind::NotANumber,
        RejectionKind::ClockTime,
        RejectionKind::TooManyDecimals,
        RejectionKind::Negative,
        RejectionKind::NotPositive,
        RejectionKind::TooLarge,
        RejectionKind::OutOfBounds,
        RejectionKind::NotADate,
        RejectionKind::NotABoolean,
        RejectionKind::NotInList,
        RejectionKind::BothGiven,
        RejectionKind::NeitherGiven,
        RejectionKind::EndBeforeStart,
        RejectionKind::RequiredWith,
        RejectionKind::NotApplicable,
        RejectionKind::InvalidSetting,
        RejectionKind::UnknownCompany,
        RejectionKind::UnknownBeneficiary,
        RejectionKind::UnknownEmployee,
        RejectionKind::NoPayRow,
        RejectionKind::OutsideFiscalYears,
        RejectionKind::NoPass,
        RejectionKind::NoFiscalYear,
        RejectionKind::NotBeforeFirstYear,
        RejectionKind::TooManyYearsLeft,
        RejectionKind::Expired,
        RejectionKind::NotALegalRate,
    ];

    /// The code (`unknown_employee`).
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// A rejected input row: which table and row, the cell and value when known, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Table name (`time_entries`).
    pub table: String,
    /// 1-based row within the table.
    pub row: usize,
    /// Why the row cannot be used.
    pub reason: String,
    /// The same as a stable code.
    pub kind: RejectionKind,
    /// Excel cell (`Temps!C42`) when the row came from a workbook.
    pub cell: Option<String>,
    /// The offending key, when one is to blame.
    pub key: Option<String>,
    /// The offending value, as seen.
    pub value: Option<String>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {}", self.table, self.row)?;
        if let Some(c) = &self.cell {
            write!(f, " ({c})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A sponsoring company (legal entity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// 1-based row in `companies`.
    pub row: usize,
    /// Unique id.
    pub id: String,
    /// Dénomination.
    pub name: String,
    /// SIREN number.
    pub siren: Option<String>,
    /// Legal form (SAS, SA…).
    pub legal_form: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// A fiscal year of a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalYear {
    /// 1-based row in `fiscal_years`.
    pub row: usize,
    /// Company id.
    pub company: String,
    /// First day.
    pub start: NaiveDate,
    /// Closing date (picks the regime).
    pub end: NaiveDate,
    /// Turnover excluding VAT.
    pub turnover: Decimal,
    /// Corporate tax due before the reduction, when known.
    pub tax_due: Option<Decimal>,
    /// Label, default the year of `end`.
    pub label: String,
}

/// What an opening balance carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CarryKind {
    /// Excess of donations over a ceiling (report en base).
    Donations,
    /// Unused tax reduction (report en impôt).
    Reduction,
}

/// An opening balance from before the first fiscal year given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryForward {
    /// 1-based row in `carryforwards`.
    pub row: usize,
    /// Company id.
    pub company: String,
    /// Donations or reduction.
    pub kind: CarryKind,
    /// Closing date of the fiscal year it comes from.
    pub origin_end: NaiveDate,
    /// Amount still unused.
    pub amount: Decimal,
    /// Rate for a donations balance (default: the standard rate).
    pub rate: Option<Decimal>,
    /// Fiscal years it can still be used in, when given.
    pub years_left: Option<u32>,
}

/// How a beneficiary values contributions in kind for its own accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CvnMethod {
    /// The company's cost-price value.
    DonorCost,
    /// SMIC horaire brut on the date worked.
    Smic,
    /// SMIC × (1 + k).
    SmicLoaded,
    /// A dated rate from the `rates` table.
    Rate,
}

/// A beneficiary (association, foundation…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beneficiary {
    /// 1-based row in `beneficiaries`.
    pub row: usize,
    /// Unique id.
    pub id: String,
    /// Name.
    pub name: String,
    /// SIREN.
    pub siren: Option<String>,
    /// RNA number.
    pub rna: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Object (purpose).
    pub object: Option<String>,
    /// Eligibility category (default `general_interest`).
    pub category: Category,
    /// Whether gifts give a reduction.
    pub eligible: bool,
    /// The 60 % exception for aid to people in difficulty.
    pub aid_to_people_in_difficulty: bool,
    /// Valuation method for its accounts.
    pub cvn_method: CvnMethod,
    /// k for `smic_loaded` (decimal text) or rate id for `rate`, as given.
    pub cvn_factor: Option<String>,
    /// The method with what it needs, typed once: the loading k of `smic_loaded`, the rate
    /// id of `rate`.
    pub cvn: CvnValuation,
    /// The organism the gifts go through, when not given directly (2069-RCI-SD section
    /// III): its name.
    pub intermediary_name: Option<String>,
    /// The intermediary's SIREN.
    pub intermediary_siren: Option<String>,
    /// The intermediary's RNA.
    pub intermediary_rna: Option<String>,
    /// For a public-utility body, the date of the decree recognising it (on receipts).
    pub recognition_decree: Option<NaiveDate>,
}

/// A beneficiary's valuation of contributions in kind, with its factor or rate id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CvnValuation {
    /// The company's cost price of the entry (a volunteer's time at SMIC).
    DonorCost,
    /// SMIC horaire brut on the date worked.
    Smic,
    /// SMIC × (1 + k).
    SmicLoaded(Decimal),
    /// A dated rate of the `rates` table, by its id.
    Rate(String),
}

/// The basis an employee's working time is counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Forfait jours: annual working days.
    Days(Decimal),
    /// Hours: annual working hours.
    Hours(Decimal),
}

/// One pay row of an employee (the same id may have several, by `from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayRow {
    /// 1-based row in `employees`.
    pub row: usize,
    /// Employee id.
    pub id: String,
    /// Company id.
    pub company: String,
    /// Name shown on receipts.
    pub name: Option<String>,
    /// First day the row applies (None: since ever).
    pub from: Option<NaiveDate>,
    /// Annual gross salary.
    pub annual_gross_salary: Decimal,
    /// Annual employer charges.
    pub annual_employer_charges: Decimal,
    /// Days or hours basis.
    pub basis: Basis,
    /// Hours in a working day.
    pub hours_per_day: Decimal,
}

impl PayRow {
    /// Salary plus employer charges.
    pub fn annual_cost(&self) -> Decimal {
        self.annual_gross_salary + self.annual_employer_charges
    }

    /// Its hours per day, or `default` (the `hours_per_day` parameter) when not given.
    pub fn hours_per_day_or(&self, default: Decimal) -> Decimal {
        if self.hours_per_day.is_zero() {
            default
        } else {
            self.hours_per_day
        }
    }
}

/// Who gave the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Giver {
    /// A company's employee (staff lent).
    Employee(Arc<str>),
    /// A volunteer's own time.
    Volunteer(Arc<str>),
}

/// A quantity of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Days.
    Days(Decimal),
    /// Hours.
    Hours(Decimal),
}

/// A time entry.
///
/// Its texts are shared [`Arc<str>`]s: a million entries hold a few thousand distinct ids
/// and projects, not millions of copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntry {
    /// 1-based row in `time_entries`.
    pub row: usize,
    /// Employee or volunteer.
    pub giver: Giver,
    /// Beneficiary id.
    pub beneficiary: Arc<str>,
    /// Day worked.
    pub date: NaiveDate,
    /// Time given that day.
    pub quantity: Quantity,
    /// Project, for impact.
    pub project: Option<Arc<str>>,
    /// Activity, for impact and market rates.
    pub activity: Option<Arc<str>>,
    /// Whether the beneficiary refused it.
    pub refused: bool,
}

/// Cash or in-kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DonationKind {
    /// Money.
    Cash,
    /// Goods or services other than staff time.
    InKind,
}

/// A cash or in-kind gift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    /// 1-based row in `donations`.
    pub row: usize,
    /// Company id.
    pub company: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Date given.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Decimal,
    /// Cash or in-kind.
    pub kind: DonationKind,
    /// Description (required for in-kind).
    pub description: Option<String>,
    /// How a cash gift was paid, when given (printed on the receipt).
    pub payment_method: Option<PaymentMethod>,
}

/// How a cash gift was paid: the means of payment of the receipt (Cerfa 16216).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Remise d'espèces.
    CashInHand,
    /// Chèque.
    Cheque,
    /// Virement, prélèvement, carte bancaire.
    Transfer,
    /// Autre.
    Other,
}

impl PaymentMethod {
    /// Every method with its code, in the receipt's order.
    pub const ALL: [(&'static str, PaymentMethod); 4] = [
        ("cash_in_hand", PaymentMethod::CashInHand),
        ("cheque", PaymentMethod::Cheque),
        ("transfer", PaymentMethod::Transfer),
        ("other", PaymentMethod::Other),
    ];

    /// The code of the `payment_method` column (`cheque`).
    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::CashInHand => "cash_in_hand",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Other => "other",
        }
    }

    /// The wording of the receipt (`Virement, prélèvement, carte bancaire`).
    pub fn label_fr(self) -> &'static str {
        match self {
            PaymentMethod::CashInHand => "Remise d'espèces",
            PaymentMethod::Cheque => "Chèque",
            PaymentMethod::Transfer => "Virement, prélèvement, carte bancaire",
            PaymentMethod::Other => "Autre",
        }
    }
}

/// A counterpart the company received, valued by the beneficiary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterpart {
    /// 1-based row in `counterparts`.
    pub row: usize,
    /// Company id.
    pub company: String,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Date.
    pub date: NaiveDate,
    /// Value.
    pub value: Decimal,
    /// Description.
    pub description: Option<String>,
}

/// An intercontract (bench) period of an employee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchPeriod {
    /// 1-based row in `bench`.
    pub row: usize,
    /// Employee id.
    pub employee: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

/// Unit of a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    /// Per hour.
    Hour,
    /// Per day.
    Day,
}

/// A market or replacement rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRow {
    /// 1-based row in `rates`.
    pub row: usize,
    /// Rate id.
    pub id: String,
    /// Unit.
    pub unit: RateUnit,
    /// Amount per unit.
    pub amount: Decimal,
    /// Activity it applies to (None: any).
    pub activity: Option<String>,
    /// First day it applies (None: since ever).
    pub from: Option<NaiveDate>,
}

/// A declared outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRow {
    /// 1-based row in `outputs`.
    pub row: usize,
    /// Beneficiary id.
    pub beneficiary: String,
    /// Date.
    pub date: NaiveDate,
    /// Unit from the closed list [`OutputUnit`].
    pub unit: OutputUnit,
    /// Quantity declared.
    pub quantity: Decimal,
    /// Project.
    pub project: Option<String>,
}

/// The eligibility category of a beneficiary (art. 238 bis CGI), the closed list of the
/// `category` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Œuvre ou organisme d'intérêt général (default).
    #[default]
    GeneralInterest,
    /// Association ou fondation reconnue d'utilité publique.
    PublicUtility,
    /// Fonds de dotation.
    EndowmentFund,
    /// Établissement d'enseignement supérieur ou artistique.
    HigherEducation,
    /// Organisme de recherche.
    Research,
    /// Spectacle vivant.
    PerformingArts,
    /// Patrimoine.
    Heritage,
}

impl Category {
    /// Every category, in the order of scenario-format.md.
    pub const ALL: [Category; 7] = [
        Category::GeneralInterest,
        Category::PublicUtility,
        Category::EndowmentFund,
        Category::HigherEducation,
        Category::Research,
        Category::PerformingArts,
        Category::Heritage,
    ];

    /// Its code (`public_utility`).
    pub fn code(self) -> &'static str {
        match self {
            Category::GeneralInterest => "general_interest",
            Category::PublicUtility => "public_utility",
            Category::EndowmentFund => "endowment_fund",
            Category::HigherEducation => "higher_education",
            Category::Research => "research",
            Category::PerformingArts => "performing_arts",
            Category::Heritage => "heritage",
        }
    }

    /// Its French wording on a receipt.
    pub fn label_fr(self) -> &'static str {
        match self {
            Category::GeneralInterest => "Œuvre ou organisme d'intérêt général (article 238 bis 1 a du CGI)",
            Category::PublicUtility => "Association ou fondation reconnue d'utilité publique",
            Category::EndowmentFund => "Fonds de dotation",
            Category::HigherEducation => "Établissement d'enseignement supérieur ou d'enseignement artistique, public ou privé, d'intérêt général, à but non lucratif",
            Category::Research => "Organisme de recherche public ou privé d'intérêt général, à but non lucratif",
            Category::PerformingArts => "Organisme dont l'activité principale est la présentation au public d'œuvres dramatiques, lyriques, musicales, chorégraphiques, cinématographiques ou de cirque",
            Category::Heritage => "Organisme de sauvegarde ou de mise en valeur du patrimoine",
        }
    }

    /// The category of a code, if it is one.
    pub fn of_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The unit of an output declared in the `outputs` table, the closed list of its `unit`
/// key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputUnit {
    /// People trained.
    PeopleTrained,
    /// People helped.
    PeopleHelped,
    /// Sessions held.
    SessionsHeld,
    /// Workshops held.
    WorkshopsHeld,
    /// Meals served.
    MealsServed,
    /// Devices provided.
    DevicesProvided,
    /// Projects delivered.
    ProjectsDelivered,
    /// Hours of training.
    HoursOfTraining,
}

impl OutputUnit {
    /// Every unit, in the order of scenario-format.md (the order of the impact figures).
    pub const ALL: [OutputUnit; 8] = [
        OutputUnit::PeopleTrained,
        OutputUnit::PeopleHelped,
        OutputUnit::SessionsHeld,
        OutputUnit::WorkshopsHeld,
        OutputUnit::MealsServed,
        OutputUnit::DevicesProvided,
        OutputUnit::ProjectsDelivered,
        OutputUnit::HoursOfTraining,
    ];

    /// Its code (`people_trained`).
    pub fn code(self) -> &'static str {
        match self {
            OutputUnit::PeopleTrained => "people_trained",
            OutputUnit::PeopleHelped => "people_helped",
            OutputUnit::SessionsHeld => "sessions_held",
            OutputUnit::WorkshopsHeld => "workshops_held",
            OutputUnit::MealsServed => "meals_served",
            OutputUnit::DevicesProvided => "devices_provided",
            OutputUnit::ProjectsDelivered => "projects_delivered",
            OutputUnit::HoursOfTraining => "hours_of_training",
        }
    }

    /// Its position in [`OutputUnit::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The unit of a code, if it is one.
    pub fn of_code(code: &str) -> Option<OutputUnit> {
        OutputUnit::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// How the per-employee salary cap is read (rules-company.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapMethod {
    /// The cap limits the employee's annual cost rate (default, conservative).
    #[default]
    Rate,
    /// The cap is 3 × PMSS per employee and calendar month.
    Period,
}

impl FromStr for CapMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rate" => Ok(CapMethod::Rate),
            "period" => Ok(CapMethod::Period),
            _ => Err(format!(
                "unknown cap_method {s:?} (expected \"rate\" or \"period\")"
            )),
        }
    }
}

/// Chart of accounts used for the class-8 journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chart {
    /// PCA 2018 (ANC 2018-06), default.
    #[default]
    Pca2018,
    /// The 1999 chart (CRC 1999-01), with 870 and 875 swapped.
    Pca1999,
}

/// Settings of a scenario (the `settings` table).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// Salary-cap reading, when set.
    pub cap_method: Option<CapMethod>,
    /// Hours of one FTE, when set.
    pub fte_hours: Option<Decimal>,
    /// Chart for the journal, when set.
    pub chart: Option<Chart>,
    /// Eligible headcount for the programme's participation rate: `(company id, count)`,
    /// the id absent when the count applies to every company (setting
    /// `eligible_headcount`, value `"120"` or `"C1=120; C2=45"`).
    pub eligible_headcount: Vec<(Option<String>, Decimal)>,
    /// Which accounts the class-8 journal posts to (setting `journal_accounts`), when set.
    pub journal_accounts: Option<JournalAccounts>,
    /// Prefix of the receipt numbers (setting `receipt_prefix`, e.g. `"ELAN-"` for
    /// `ELAN-2025-0001`), when set.
    pub receipt_prefix: Option<String>,
}

/// Which accounts the class-8 journal posts to (setting `journal_accounts`): the accounts
/// the official chart lists (`chart`, the default: an accounting package loaded with the
/// chart has them), or the sub-accounts 8641 / 8642 / 8711 (`sub_accounts`), which the
/// association creates first (the report's policies list them under their parents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalAccounts {
    /// The chart's own accounts (864 / 871, 864 / 875 in PCA 2018), default.
    #[default]
    Chart,
    /// The sub-accounts (8642 / 8711 staff lent, 8641 / 875 volunteers in PCA 2018).
    SubAccounts,
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Companies.
    pub companies: Vec<Company>,
    /// Fiscal years (validated contiguous per company).
    pub fiscal_years: Vec<FiscalYear>,
    /// Opening balances.
    pub carryforwards: Vec<CarryForward>,
    /// Beneficiaries.
    pub beneficiaries: Vec<Beneficiary>,
    /// Employees' pay rows.
    pub employees: Vec<PayRow>,
    /// Time entries.
    pub time_entries: Vec<TimeEntry>,
    /// Cash and in-kind gifts.
    pub donations: Vec<Donation>,
    /// Counterparts.
    pub counterparts: Vec<Counterpart>,
    /// Bench periods.
    pub bench: Vec<BenchPeriod>,
    /// Rates.
    pub rates: Vec<RateRow>,
    /// Declared outputs.
    pub outputs: Vec<OutputRow>,
    /// Settings.
    pub settings: Settings,
    /// Rows rejected while typing.
    pub rejections: Vec<Rejection>,
    /// Number of input rows per table, to account for every row.
    pub row_counts: Vec<(String, usize)>,
    /// Warnings of the face that read the input ([`RawScenario::warnings`]), for the report.
    pub input_warnings: Vec<String>,
    /// Where each row came from in a workbook, per table index (empty when not from one),
    /// so that rejections raised by the computation can name the cell.
    pub(crate) origins: Vec<Vec<(Arc<SheetInfo>, u32)>>,
    /// Legal values the scenario supplies (the `law` table), checked against the embedded
    /// parameters.
    pub law: Vec<crate::law::params::SuppliedValue>,
}

impl Scenario {
    /// Reads and validates a scenario from JSON text.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] for malformed JSON; [`Error::Scenario`] for whole-scenario problems.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = mecenat::Scenario::from_json(r#"{
    ///   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
    ///   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}]
    /// }"#).unwrap();
    /// assert_eq!(s.fiscal_years[0].label, "2025");
    /// let err = mecenat::Scenario::from_json(r#"{"companies": [{"id": "C1", "name": "X", "nme": "Y"}]}"#).unwrap_err();
    /// assert!(err.to_string().contains("nme"));
    /// ```
    pub fn from_json(text: &str) -> Result<Scenario, Error> {
        Scenario::from_raw(&RawScenario::from_json(text)?)
    }

    /// Validates a raw scenario (from any face).
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] for an unknown table or key, a float value, duplicate ids, an
    /// unknown setting, overlapping or non-contiguous fiscal years, or duplicate labels.
    pub fn from_raw(raw: &RawScenario) -> Result<Scenario, Error> {
        let mut s = Scenario {
            input_warnings: raw.warnings.clone(),
            ..Scenario::default()
        };
        let mut tables: Vec<&crate::input::raw::RawTable> = raw.tables.iter().collect();
        for t in &tables {
            let table = crate::input::schema::table(&t.name).ok_or_else(|| {
                Error::scenario(
                    Location {
                        table: Some(t.name.clone()),
                        ..Location::default()
                    },
                    format!(
                        "unknown table {:?} (expected one of: {})",
                        t.name,
                        crate::input::schema::TABLES
                            .iter()
                            .map(|t| t.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            for (i, row) in t.rows.iter().enumerate() {
                for (k, v) in &row.cells {
                    let loc = || Location {
                        table: Some(t.name.clone()),
                        row: Some(i + 1),
                        key: Some(shown_text(k).into_owned()),
                        cell: row.cell_ref(k),
                        value: Some(shown_value(v)),
                    };
                    if table.column(k).is_none() {
                        return Err(Error::scenario(
                            loc(),
                            format!(
                                "unknown key {:?} in table {} (expected: {})",
                                shown_text(k),
                                t.name,
                                table.keys().collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                    if let RawValue::Float(x) = v {
                        return Err(Error::scenario(
                            loc(),
                            format!(
                                "{}.{k} is the float {x:?}: money and quantities never go through binary floating point; write it as a string (\"{x}\") or an integer",
                                t.name
                            ),
                        ));
                    }
                }
            }
            s.row_counts.push((t.name.clone(), t.rows.len()));
        }
        tables.sort_by_key(|t| table_index(&t.name));
        for t in tables {
            let ti = table_index(&t.name).unwrap_or(usize::MAX);
            if crate::input::schema::TABLES
                .get(ti)
                .is_some_and(|t| t.name == "law")
            {
                // Whole-scenario errors: a legal value that cannot be used is never skipped.
                s.law = crate::law::params::Parameters::embedded()?.read_law_table(&t.rows)?;
            }
            if ti == TIME_ENTRIES {
                // The long table: typed on both cores, each half with its shared texts.
                let (entries, rejections) = time_entries(&t.rows);
                s.time_entries = entries;
                s.rejections.extend(rejections);
            }
            for (i, raw_row) in t.rows.iter().enumerate() {
                let r = RowCtx {
                    table: crate::input::schema::TABLES[ti].name,
                    row: i + 1,
                    raw: raw_row,
                };
                let res = match ti {
                    0 => r.company().map(|c| s.companies.push(c)),
                    1 => r.fiscal_year().map(|c| s.fiscal_years.push(c)),
                    2 => r.carryforward().map(|c| s.carryforwards.push(c)),
                    3 => r.beneficiary().map(|c| s.beneficiaries.push(c)),
                    4 => r.pay_row().map(|c| s.employees.push(c)),
                    TIME_ENTRIES => Ok(()),
                    6 => r.donation().map(|c| s.donations.push(c)),
                    7 => r.counterpart().map(|c| s.counterparts.push(c)),
                    8 => r.bench().map(|c| s.bench.push(c)),
                    9 => r.rate().map(|c| s.rates.push(c)),
                    10 => r.output().map(|c| s.outputs.push(c)),
                    _ if r.table == "law" => Ok(()),
                    _ => r.setting(&mut s.settings)?.map_or(Ok(()), Err),
                };
                if let Err(rej) = res {
                    s.rejections.push(rej);
                }
                if let Some(info) = &raw_row.sheet {
                    if s.origins.len() <= ti {
                        s.origins.resize(ti + 1, Vec::new());
                    }
                    if s.origins[ti].len() == i {
                        s.origins[ti].push((Arc::clone(info), raw_row.sheet_row));
                    }
                }
            }
        }
        s.check_structure()?;
        check_time_value(&s)?;
        Ok(s)
    }

    /// The Excel cell of a row's key, when the row came from a workbook.
    pub(crate) fn cell_of(&self, table: &str, row: usize, key: &str) -> Option<String> {
        let ti = table_index(table)?;
        let (info, sheet_row) = self.origins.get(ti)?.get(row.checked_sub(1)?)?;
        let (_, col) = info.columns.iter().find(|(k, _)| k == key)?;
        Some(format!("{}!{}{}", info.sheet, col, sheet_row))
    }

    fn check_structure(&mut self) -> Result<(), Error> {
        let dup = |table: &str, row: usize, key: &str, value: &str, what: &str| {
            Error::scenario(
                Location {
                    table: Some(table.into()),
                    row: Some(row),
                    key: Some(key.into()),
                    value: Some(value.into()),
                    cell: self.cell_of(table, row, key),
                },
                what.to_string(),
            )
        };
        for (table, what, ids) in [
            (
                "companies",
                "company",
                self.companies
                    .iter()
                    .map(|c| (c.row, c.id.as_str()))
                    .collect::<Vec<_>>(),
            ),
            (
                "beneficiaries",
                "beneficiary",
                self.beneficiaries
                    .iter()
                    .map(|b| (b.row, b.id.as_str()))
                    .collect(),
            ),
        ] {
            let mut seen = HashSet::new();
            for (row, id) in ids {
                if !seen.insert(id) {
                    return Err(dup(
                        table,
                        row,
                        "id",
                        id,
                        &format!("duplicate {what} id {id:?}"),
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        for r in &self.rates {
            if !seen.insert((r.id.as_str(), r.activity.as_deref(), r.from)) {
                return Err(dup(
                    "rates",
                    r.row,
                    "id",
                    &r.id,
                    &format!("duplicate rate {:?} for the same activity and date", r.id),
                ));
            }
        }
        // Employees: one company per id, distinct `from` per id.
        let mut by_id: HashMap<&str, Vec<&PayRow>> = HashMap::new();
        for p in &self.employees {
            by_id.entry(p.id.as_str()).or_default().push(p);
        }
        for rows in by_id.values() {
            for w in rows.iter().skip(1) {
                if w.company != rows[0].company {
                    return Err(dup("employees", w.row, "company", &w.company, &format!(
                        "employee {:?} belongs to company {:?} on row {} and {:?} here: use distinct ids per legal entity",
                        w.id, rows[0].company, rows[0].row, w.company
                    )));
                }
            }
            let mut froms = HashSet::new();
            for w in rows {
                if !froms.insert(w.from) {
                    return Err(dup(
                        "employees",
                        w.row,
                        "from",
                        &w.from.map_or("(none)".into(), |d| d.to_string()),
                        &format!("employee {:?} has two pay rows starting the same day", w.id),
                    ));
                }
            }
        }
        // Fiscal years: each ends after it starts, contiguous per company, unique labels.
        if let Some(f) = self.fiscal_years.iter().find(|f| f.end < f.start) {
            return Err(dup("fiscal_years", f.row, "end", &f.end.to_string(), &format!(
                "fiscal year {} of company {:?} ends on {} (end), before it starts on {} (start): swap the dates or correct them",
                f.label, f.company, f.end, f.start
            )));
        }
        let mut per: HashMap<&str, Vec<&FiscalYear>> = HashMap::new();
        for fy in &self.fiscal_years {
            per.entry(fy.company.as_str()).or_default().push(fy);
        }
        for (company, mut fys) in per {
            fys.sort_by_key(|f| f.start);
            let mut labels = HashSet::new();
            for f in &fys {
                if !labels.insert(f.label.as_str()) {
                    return Err(dup("fiscal_years", f.row, "label", &f.label, &format!(
                        "company {company:?} has two fiscal years labelled {:?}: give explicit labels", f.label
                    )));
                }
            }
            for w in fys.windows(2) {
                let (a, b) = (w[0], w[1]);
                let next = a.end.succ_opt().unwrap_or(a.end);
                if b.start != next {
                    let what = if b.start <= a.end {
                        "overlaps"
                    } else {
                        "leaves a gap after"
                    };
                    return Err(dup("fiscal_years", b.row, "start", &b.start.to_string(), &format!(
                        "fiscal year {} ({}..{}) of company {company:?} {what} fiscal year {} ({}..{}): fiscal years must be contiguous",
                        b.label, b.start, b.end, a.label, a.start, a.end
                    )));
                }
            }
        }
        Ok(())
    }

    /// All rejections so far: those of typing. The computation adds referential ones.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }
}

/// The message for a clock time such as `08:30` where decimal hours are expected.
fn hours_hint(key: &str, t: &str) -> String {
    let mut parts = t.trim().splitn(2, ':');
    let h = parts.next().and_then(|h| h.trim().parse::<u32>().ok());
    let m = parts
        .next()
        .and_then(|m| m.trim().parse::<u32>().ok())
        .filter(|m| *m < 60);
    match (h, m) {
        (Some(h), Some(m)) => {
            let d = Decimal::from(h) + Decimal::from(m) / Decimal::from(60);
            format!(
                "{key} {:?} is a clock time: write hours as a decimal number ({})",
                shown_text(t),
                crate::money::fmt_qty(d)
            )
        }
        _ => format!(
            "{key} {:?} is not a decimal number (write hours as decimals, e.g. 8.5)",
            shown_text(t)
        ),
    }
}

/// Whether a numeric key holds euros (a `€` after its figure is then accepted).
fn number_is_money(key: &str) -> bool {
    matches!(
        key,
        "amount"
            | "turnover"
            | "tax_due"
            | "value"
            | "annual_gross_salary"
            | "annual_employer_charges"
    )
}

/// How to write a number of a key, as said when its text is refused: an amount, days,
/// hours, a quantity, a rate or a count, never money where a quantity goes.
fn number_hint(key: &str) -> &'static str {
    match key {
        k if number_is_money(k) => "an amount in euros such as 1234.50 or 1 234,50",
        "days" | "annual_working_days" => "a number of days such as 1, 0.5 or 0,5",
        "hours" | "annual_working_hours" | "hours_per_day" => {
            "a number of hours such as 7.5 or 7,5"
        }
        "quantity" => "a quantity such as 12 or 2,5",
        "rate" | "cvn_factor" => "a rate such as 0.60 or 0,60",
        "years_left" => "a whole number such as 3",
        _ => "a number such as 12.5 or 12,5",
    }
}

/// Which of two exclusive keys a row gives.
enum OneOf<T> {
    First(T),
    Second(T),
}

/// Index of `time_entries` in [`crate::input::schema::TABLES`].
const TIME_ENTRIES: usize = 5;

/// Types the rows of `time_entries`: the entries and the rejected rows, in row order. Long
/// tables are split in two halves typed on both cores.
fn time_entries(rows: &[RawRow]) -> (Vec<TimeEntry>, Vec<Rejection>) {
    let table = crate::input::schema::TABLES[TIME_ENTRIES].name;
    let typed = |first: usize, rows: &[RawRow]| {
        let mut texts = SharedTexts::default();
        let mut entries = Vec::with_capacity(rows.len());
        let mut rejections = Vec::new();
        for (i, raw) in rows.iter().enumerate() {
            let r = RowCtx {
                table,
                row: first + i + 1,
                raw,
            };
            match r.time_entry(&mut texts) {
                Ok(e) => entries.push(e),
                Err(rej) => rejections.push(rej),
            }
        }
        (entries, rejections)
    };
    if rows.len() < 20_000 {
        return typed(0, rows);
    }
    let half = rows.len() / 2;
    std::thread::scope(|scope| {
        let second = scope.spawn(|| typed(half, &rows[half..]));
        let (mut entries, mut rejections) = typed(0, &rows[..half]);
        match second.join() {
            Ok((e, r)) => {
                entries.extend(e);
                rejections.extend(r);
            }
            Err(p) => std::panic::resume_unwind(p),
        }
        (entries, rejections)
    })
}

struct RowCtx<'a> {
    table: &'static str,
    row: usize,
    raw: &'a RawRow,
}

type Res<T> = Result<T, Rejection>;

/// Shared copies of texts: each distinct text is allocated once, then every holder takes one
/// more reference (used for the time entries' ids and projects, and the entries lines').
///
/// A short text (ids, codes: at most 23 bytes) is its own key, held in the table, so that a
/// look-up compares integers and never reads the memory of the first row that held it.
#[derive(Default)]
pub(crate) struct SharedTexts<'a> {
    short: rustc_hash::FxHashMap<[u64; 3], Arc<str>>,
    long: rustc_hash::FxHashMap<&'a str, Arc<str>>,
}

impl<'a> SharedTexts<'a> {
    /// The shared copy of `text`.
    pub(crate) fn get(&mut self, text: &'a str) -> Arc<str> {
        match short_key(text) {
            Some(k) => self.short.entry(k).or_insert_with(|| Arc::from(text)),
            None => self.long.entry(text).or_insert_with(|| Arc::from(text)),
        }
        .clone()
    }
}

/// A text of at most 23 bytes as three words: its bytes, then its length in the last byte
/// (so that two texts have the same key only if they are the same).
fn short_key(text: &str) -> Option<[u64; 3]> {
    let b = text.as_bytes();
    if b.len() > 23 {
        return None;
    }
    let mut bytes = [0u8; 24];
    bytes[..b.len()].copy_from_slice(b);
    bytes[23] = b.len() as u8;
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[8 * i..8 * i + 8]);
        u64::from_le_bytes(w)
    };
    Some([word(0), word(1), word(2)])
}

#[cfg(test)]
mod shared_texts_tests {
    use super::*;

    /// One copy per distinct text, short or long; texts that differ only by trailing
    /// zero bytes or by length are different texts.
    #[test]
    fn one_copy_per_text() {
        let long = "a text longer than twenty-three bytes";
        let texts = [
            "E1",
            "E1",
            "",
            "E1\0",
            "abcdefghijklmnopqrstuvw",
            "abcdefghijklmnopqrstuvw",
            long,
            long,
        ];
        let mut shared = SharedTexts::default();
        let copies: Vec<Arc<str>> = texts.iter().map(|t| shared.get(t)).collect();
        for (t, c) in texts.iter().zip(&copies) {
            assert_eq!(&**c, *t);
        }
        assert!(Arc::ptr_eq(&copies[0], &copies[1]));
        assert!(!Arc::ptr_eq(&copies[0], &copies[3]));
        assert!(Arc::ptr_eq(&copies[4], &copies[5]));
        assert!(Arc::ptr_eq(&copies[6], &copies[7]));
        assert_eq!(shared.short.len() + shared.long.len(), 5);
    }
}

impl<'a> RowCtx<'a> {
    fn reject(
        &self,
        kind: RejectionKind,
        key: Option<&str>,
        value: Option<&RawValue>,
        reason: String,
    ) -> Rejection {
        Rejection {
            table: self.table.to_string(),
            row: self.row,
            reason,
            kind,
            cell: key.and_then(|k| self.raw.cell_ref(k)),
            key: key.map(str::to_string),
            value: value.map(shown_value),
        }
    }

    fn present(&self, key: &str) -> Option<&'a RawValue> {
        match self.raw.get(key) {
            None | Some(RawValue::Null) => None,
            Some(RawValue::Text(t)) if t.trim().is_empty() => None,
            Some(v) => Some(v),
        }
    }

    fn text(&self, key: &str) -> Res<Option<String>> {
        match self.present(key) {
            None => Ok(None),
            Some(RawValue::Text(t)) => Ok(Some(t.trim().to_string())),
            Some(RawValue::Int(i)) => Ok(Some(i.to_string())),
            Some(RawValue::Decimal(d)) => Ok(Some(d.normalize().to_string())),
            Some(v) => Err(self.reject(
                RejectionKind::NotText,
                Some(key),
                Some(v),
                format!("{key} must be text, found {v}"),
            )),
        }
    }

    /// As [`RowCtx::text`], as a shared copy: each distinct text of the table is allocated
    /// once (`texts` maps the raw text to its copy).
    fn shared(&self, key: &str, texts: &mut SharedTexts<'a>) -> Res<Option<Arc<str>>> {
        match self.present(key) {
            Some(RawValue::Text(t)) => Ok(Some(texts.get(t.trim()))),
            _ => Ok(self.text(key)?.map(Arc::from)),
        }
    }

    fn req<T>(&self, key: &str, v: Res<Option<T>>) -> Res<T> {
        v?.ok_or_else(|| {
            self.reject(
                RejectionKind::Missing,
                Some(key),
                None,
                format!("{key} is required and missing"),
            )
        })
    }

    fn req_text(&self, key: &str) -> Res<String> {
        self.req(key, self.text(key))
    }

    fn decimal(&self, key: &str, max_scale: u32) -> Res<Option<Decimal>> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        let d = match v {
            RawValue::Int(i) => Decimal::from(*i),
            RawValue::Decimal(d) => *d,
            RawValue::Text(t) if t.contains(':') => {
                let reason = if number_hint(key).contains("hours") {
                    hours_hint(key, t)
                } else {
                    // Days or money typed as a duration: no hours to convert to.
                    format!(
                        "{key} {:?} is a clock time or a duration (write {})",
                        shown_text(t),
                        number_hint(key)
                    )
                };
                return Err(self.reject(RejectionKind::ClockTime, Some(key), Some(v), reason));
            }
            RawValue::Text(t) => self.text_decimal(key, t, v)?,
            _ => {
                return Err(self.reject(
                    RejectionKind::NotANumber,
                    Some(key),
                    Some(v),
                    format!("{key} must be a decimal number, found {v}"),
                ))
            }
        };
        if d.normalize().scale() > max_scale {
            return Err(self.reject(
                RejectionKind::TooManyDecimals,
                Some(key),
                Some(v),
                format!(
                    "{key} {} has more than {max_scale} decimals",
                    shown_value(v)
                ),
            ));
        }
        Ok(Some(d))
    }

    /// A decimal written as text, read by the one reading of every face
    /// ([`crate::input::cells::parse_number`]); the hint of a refusal names what the key holds.
    fn text_decimal(&self, key: &str, t: &str, v: &RawValue) -> Res<Decimal> {
        use crate::input::cells::{parse_number, NumberTextError, TextNumber};
        let shown = shown_text(t);
        let hint = number_hint(key);
        let reason = match parse_number(t) {
            Ok(TextNumber { euro: false, value }) => return Ok(value),
            Ok(TextNumber { euro: true, value }) if number_is_money(key) => return Ok(value),
            Ok(TextNumber { euro: true, .. }) => {
                format!("{key} {shown:?} is not an amount in euros (write {hint}, without €)")
            }
            Err(NumberTextError::NotANumber) => {
                format!("{key} {shown:?} is not a decimal number (write {hint})")
            }
            Err(NumberTextError::Ambiguous) => format!(
                "{key} {shown:?} is ambiguous: with both a comma and a point, or a comma before three digits, the decimal mark cannot be told (write {hint})"
            ),
            Err(NumberTextError::TooLarge) => format!(
                "{key} {shown:?} is too large or too precise to be a number here (more than 28 significant digits)"
            ),
        };
        Err(self.reject(RejectionKind::NotANumber, Some(key), Some(v), reason))
    }

    fn nonneg(&self, key: &str, max_scale: u32) -> Res<Option<Decimal>> {
        let d = self.decimal(key, max_scale)?;
        if let Some(x) = d {
            if x.is_sign_negative() && !x.is_zero() {
                return Err(self.reject(
                    RejectionKind::Negative,
                    Some(key),
                    self.raw.get(key),
                    format!("{key} {x} is negative"),
                ));
            }
        }
        Ok(d)
    }

    fn positive(&self, key: &str, max_scale: u32) -> Res<Option<Decimal>> {
        let d = self.nonneg(key, max_scale)?;
        if d.is_some_and(|x| x.is_zero()) {
            return Err(self.reject(
                RejectionKind::NotPositive,
                Some(key),
                self.raw.get(key),
                format!("{key} must be greater than zero"),
            ));
        }
        Ok(d)
    }

    /// An amount in euros (two decimals), non-negative (or positive), below [`MAX_AMOUNT`].
    fn amount(&self, key: &str, positive: bool) -> Res<Option<Decimal>> {
        let d = if positive {
            self.positive(key, 2)?
        } else {
            self.nonneg(key, 2)?
        };
        self.below(key, d, MAX_AMOUNT, " €")
    }

    /// A quantity of one row (four decimals), non-negative (or positive), below
    /// [`MAX_QUANTITY`].
    fn quantity(&self, key: &str, positive: bool) -> Res<Option<Decimal>> {
        let d = if positive {
            self.positive(key, 4)?
        } else {
            self.nonneg(key, 4)?
        };
        self.below(key, d, MAX_QUANTITY, "")
    }

    /// Rejects a value at or above its technical bound `max` (`unit` follows the bound).
    fn below(
        &self,
        key: &str,
        d: Option<Decimal>,
        max: Decimal,
        unit: &str,
    ) -> Res<Option<Decimal>> {
        match d {
            Some(x) if x >= max => Err(self.reject(RejectionKind::TooLarge,
                Some(key),
                self.raw.get(key),
                format!(
                    "{key} {x} is too large: it must be below {}{unit} (a technical bound of mecenat, beyond any real scenario)",
                    show(max)
                ),
            )),
            _ => Ok(d),
        }
    }

    /// Rejects a value outside `[lo, hi]`.
    fn within(
        &self,
        key: &str,
        d: Option<Decimal>,
        lo: Decimal,
        hi: Decimal,
    ) -> Res<Option<Decimal>> {
        match d {
            Some(x) if x < lo || x > hi => Err(self.reject(
                RejectionKind::OutOfBounds,
                Some(key),
                self.raw.get(key),
                format!(
                    "{key} {x} is out of bounds: it must be between {} and {}",
                    show(lo),
                    show(hi)
                ),
            )),
            _ => Ok(d),
        }
    }

    fn date(&self, key: &str) -> Res<Option<NaiveDate>> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        match v {
            RawValue::Date(d) => Ok(Some(*d)),
            RawValue::Text(t) => {
                let t = t.trim();
                match crate::input::cells::parse_date(t) {
                    Some(d) => Ok(Some(d)),
                    _ => Err(self.reject(
                        RejectionKind::NotADate,
                        Some(key),
                        Some(v),
                        format!(
                            "{key} {:?} is not a valid date (YYYY-MM-DD or JJ/MM/AAAA)",
                            shown_text(t)
                        ),
                    )),
                }
            }
            _ => Err(self.reject(
                RejectionKind::NotADate,
                Some(key),
                Some(v),
                format!("{key} must be a date (YYYY-MM-DD or JJ/MM/AAAA), found {v}"),
            )),
        }
    }

    fn bool(&self, key: &str) -> Res<Option<bool>> {
        let Some(v) = self.present(key) else {
            return Ok(None);
        };
        match v {
            RawValue::Bool(b) => Ok(Some(*b)),
            RawValue::Int(0) => Ok(Some(false)),
            RawValue::Int(1) => Ok(Some(true)),
            RawValue::Text(t) => match t.trim().to_lowercase().as_str() {
                "true" | "yes" | "oui" | "vrai" => Ok(Some(true)),
                "false" | "no" | "non" | "faux" => Ok(Some(false)),
                _ => Err(self.reject(
                    RejectionKind::NotABoolean,
                    Some(key),
                    Some(v),
                    format!(
                        "{key} {:?} is not a yes/no value (true or false)",
                        shown_text(t)
                    ),
                )),
            },
            _ => Err(self.reject(
                RejectionKind::NotABoolean,
                Some(key),
                Some(v),
                format!("{key} must be true or false, found {v}"),
            )),
        }
    }

    fn choice<T: Copy>(&self, key: &str, options: &[(&str, T)]) -> Res<Option<T>> {
        let Some(t) = self.text(key)? else {
            return Ok(None);
        };
        options
            .iter()
            .find(|(n, _)| *n == t)
            .map(|(_, v)| Some(*v))
            .ok_or_else(|| {
                self.reject(
                    RejectionKind::NotInList,
                    Some(key),
                    self.raw.get(key),
                    format!(
                        "{key} {:?} is not one of: {}",
                        shown_text(&t),
                        options
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    /// Exactly one of two keys must be given: `what` explains each (e.g. "days or hours").
    fn one_of<T>(
        &self,
        (ka, a): (&str, Option<T>),
        (kb, b): (&str, Option<T>),
        what: &str,
    ) -> Res<OneOf<T>> {
        match (a, b) {
            (Some(x), None) => Ok(OneOf::First(x)),
            (None, Some(y)) => Ok(OneOf::Second(y)),
            (Some(_), Some(_)) => Err(self.reject(
                RejectionKind::BothGiven,
                Some(kb),
                self.raw.get(kb),
                format!("give {what}, not both"),
            )),
            (None, None) => Err(self.reject(
                RejectionKind::NeitherGiven,
                Some(ka),
                None,
                format!("one of {what} is required"),
            )),
        }
    }

    fn company(&self) -> Res<Company> {
        Ok(Company {
            row: self.row,
            id: self.req_text("id")?,
            name: self.req_text("name")?,
            siren: self.text("siren")?,
            legal_form: self.text("legal_form")?,
            address: self.text("address")?,
        })
    }

    fn fiscal_year(&self) -> Res<FiscalYear> {
        let company = self.req_text("company")?;
        let start = self.req("start", self.date("start"))?;
        // A year that ends before it starts is kept: the structure check refuses the
        // whole scenario (rejecting the row would silently reject its entries).
        let end = self.req("end", self.date("end"))?;
        let turnover = self.req("turnover", self.amount("turnover", false))?;
        let tax_due = self.amount("tax_due", false)?;
        let label = self
            .text("label")?
            .unwrap_or_else(|| end.format("%Y").to_string());
        Ok(FiscalYear {
            row: self.row,
            company,
            start,
            end,
            turnover,
            tax_due,
            label,
        })
    }

    fn carryforward(&self) -> Res<CarryForward> {
        let company = self.req_text("company")?;
        let kind = self.req(
            "kind",
            self.choice(
                "kind",
                &[
                    ("donations", CarryKind::Donations),
                    ("reduction", CarryKind::Reduction),
                ],
            ),
        )?;
        let origin_end = self.req("origin_end", self.date("origin_end"))?;
        let amount = self.req("amount", self.amount("amount", true))?;
        // A rate is a fraction: (0, 1]; which rates the law had is checked when computing.
        let rate = self.within(
            "rate",
            self.positive("rate", 4)?,
            Decimal::ZERO,
            Decimal::ONE,
        )?;
        if rate.is_some() && kind == CarryKind::Reduction {
            return Err(self.reject(
                RejectionKind::NotApplicable,
                Some("rate"),
                self.raw.get("rate"),
                "rate applies to a donations balance only".into(),
            ));
        }
        let years_left = match self.decimal("years_left", 0)? {
            None => None,
            // The upper bound (the carry-forward span) is a legal parameter, checked when computing.
            Some(y) if y >= Decimal::ONE => match u32::try_from(y.trunc().mantissa()) {
                Ok(n) => Some(n),
                Err(_) => {
                    return Err(self.reject(
                        RejectionKind::OutOfBounds,
                        Some("years_left"),
                        self.raw.get("years_left"),
                        format!("years_left {y} is out of range"),
                    ))
                }
            },
            Some(y) => {
                return Err(self.reject(
                    RejectionKind::OutOfBounds,
                    Some("years_left"),
                    self.raw.get("years_left"),
                    format!("years_left {y} must be a whole number of fiscal years, at least 1"),
                ))
            }
        };
        Ok(CarryForward {
            row: self.row,
            company,
            kind,
            origin_end,
            amount,
            rate,
            years_left,
        })
    }

    fn beneficiary(&self) -> Res<Beneficiary> {
        let cvn_method = self
            .choice(
                "cvn_method",
                &[
                    ("donor_cost", CvnMethod::DonorCost),
                    ("smic", CvnMethod::Smic),
                    ("smic_loaded", CvnMethod::SmicLoaded),
                    ("rate", CvnMethod::Rate),
                ],
            )?
            .unwrap_or(CvnMethod::DonorCost);
        let cvn_factor = self.text("cvn_factor")?;
        let cvn = match cvn_method {
            CvnMethod::DonorCost => CvnValuation::DonorCost,
            CvnMethod::Smic => CvnValuation::Smic,
            CvnMethod::SmicLoaded => {
                // k: a non-negative decimal within its bound.
                let k = self.req("cvn_factor", self.nonneg("cvn_factor", 4))?;
                self.below("cvn_factor", Some(k), MAX_FACTOR, "")?;
                CvnValuation::SmicLoaded(k)
            }
            CvnMethod::Rate => match &cvn_factor {
                Some(id) => CvnValuation::Rate(id.clone()),
                None => {
                    return Err(self.reject(
                        RejectionKind::RequiredWith,
                        Some("cvn_factor"),
                        None,
                        "cvn_factor (the rate id) is required when cvn_method is \"rate\"".into(),
                    ))
                }
            },
        };
        Ok(Beneficiary {
            row: self.row,
            id: self.req_text("id")?,
            name: self.req_text("name")?,
            siren: self.text("siren")?,
            rna: self.text("rna")?,
            address: self.text("address")?,
            object: self.text("object")?,
            category: self.category()?,
            eligible: self.bool("eligible")?.unwrap_or(true),
            aid_to_people_in_difficulty: self.bool("aid_to_people_in_difficulty")?.unwrap_or(false),
            cvn_method,
            cvn_factor,
            cvn,
            intermediary_name: self.text("intermediary_name")?,
            intermediary_siren: self.text("intermediary_siren")?,
            intermediary_rna: self.text("intermediary_rna")?,
            recognition_decree: self.date("recognition_decree")?,
        })
    }

    /// The `category` of a beneficiary: one of [`Category`], default `general_interest`.
    fn category(&self) -> Res<Category> {
        let Some(c) = self.text("category")? else {
            return Ok(Category::default());
        };
        if let Some(cat) = Category::of_code(&c) {
            return Ok(cat);
        }
        let list: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
        Err(self.reject(
            RejectionKind::NotInList,
            Some("category"),
            self.raw.get("category"),
            format!(
                "category {:?} is not one of: {}",
                shown_text(&c),
                list.join(", ")
            ),
        ))
    }

    fn pay_row(&self) -> Res<PayRow> {
        let id = self.req_text("id")?;
        let company = self.req_text("company")?;
        let days = self.within(
            "annual_working_days",
            self.positive("annual_working_days", 2)?,
            MIN_UNITS,
            MAX_ANNUAL_DAYS,
        )?;
        let hours = self.within(
            "annual_working_hours",
            self.positive("annual_working_hours", 2)?,
            MIN_UNITS,
            MAX_ANNUAL_HOURS,
        )?;
        let basis = match self.one_of(
            ("annual_working_days", days),
            ("annual_working_hours", hours),
            "annual_working_days (forfait jours) or annual_working_hours",
        )? {
            OneOf::First(d) => Basis::Days(d),
            OneOf::Second(h) => Basis::Hours(h),
        };
        let hours_per_day = self.within(
            "hours_per_day",
            self.positive("hours_per_day", 4)?,
            MIN_UNITS,
            MAX_HOURS_PER_DAY,
        )?;
        Ok(PayRow {
            row: self.row,
            id,
            company,
            name: self.text("name")?,
            from: self.date("from")?,
            annual_gross_salary: self.req(
                "annual_gross_salary",
                self.amount("annual_gross_salary", false),
            )?,
            annual_employer_charges: self.req(
                "annual_employer_charges",
                self.amount("annual_employer_charges", false),
            )?,
            basis,
            // Resolved against the `hours_per_day` parameter by the engine when absent.
            hours_per_day: hours_per_day.unwrap_or(Decimal::ZERO),
        })
    }

    fn time_entry(&self, texts: &mut SharedTexts<'a>) -> Res<TimeEntry> {
        let giver = match self.one_of(
            ("employee", self.shared("employee", texts)?),
            ("volunteer", self.shared("volunteer", texts)?),
            "employee (staff lent) or volunteer (own time)",
        )? {
            OneOf::First(e) => Giver::Employee(e),
            OneOf::Second(v) => Giver::Volunteer(v),
        };
        let beneficiary = self.req("beneficiary", self.shared("beneficiary", texts))?;
        let date = self.req("date", self.date("date"))?;
        let quantity = match self.one_of(
            ("days", self.quantity("days", true)?),
            ("hours", self.quantity("hours", true)?),
            "days or hours",
        )? {
            OneOf::First(d) => Quantity::Days(d),
            OneOf::Second(h) => Quantity::Hours(h),
        };
        let refused = self
            .choice("status", &[("approved", false), ("refused", true)])?
            .unwrap_or(false);
        Ok(TimeEntry {
            row: self.row,
            giver,
            beneficiary,
            date,
            quantity,
            project: self.shared("project", texts)?,
            activity: self.shared("activity", texts)?,
            refused,
        })
    }

    fn donation(&self) -> Res<Donation> {
        let kind = self
            .choice(
                "kind",
                &[
                    ("cash", DonationKind::Cash),
                    ("in_kind", DonationKind::InKind),
                ],
            )?
            .unwrap_or(DonationKind::Cash);
        let description = self.text("description")?;
        if kind == DonationKind::InKind && description.is_none() {
            return Err(self.reject(
                RejectionKind::RequiredWith,
                Some("description"),
                None,
                "an in_kind donation needs a description (it goes on the receipt)".into(),
            ));
        }
        let payment_method = self.choice("payment_method", &PaymentMethod::ALL)?;
        if payment_method.is_some() && kind != DonationKind::Cash {
            return Err(self.reject(
                RejectionKind::NotApplicable,
                Some("payment_method"),
                self.raw.get("payment_method"),
                "payment_method applies to a cash gift only (an in_kind gift is not paid)".into(),
            ));
        }
        Ok(Donation {
            row: self.row,
            company: self.req_text("company")?,
            beneficiary: self.req_text("beneficiary")?,
            date: self.req("date", self.date("date"))?,
            amount: self.req("amount", self.amount("amount", true))?,
            kind,
            description,
            payment_method,
        })
    }

    fn counterpart(&self) -> Res<Counterpart> {
        Ok(Counterpart {
            row: self.row,
            company: self.req_text("company")?,
            beneficiary: self.req_text("beneficiary")?,
            date: self.req("date", self.date("date"))?,
            value: self.req("value", self.amount("value", false))?,
            description: self.text("description")?,
        })
    }

    fn bench(&self) -> Res<BenchPeriod> {
        let start = self.req("start", self.date("start"))?;
        let end = self.req("end", self.date("end"))?;
        if end < start {
            return Err(self.reject(
                RejectionKind::EndBeforeStart,
                Some("end"),
                self.raw.get("end"),
                format!("end {end} is before start {start}"),
            ));
        }
        Ok(BenchPeriod {
            row: self.row,
            employee: self.req_text("employee")?,
            start,
            end,
        })
    }

    fn rate(&self) -> Res<RateRow> {
        Ok(RateRow {
            row: self.row,
            id: self.req_text("id")?,
            unit: self.req(
                "unit",
                self.choice("unit", &[("hour", RateUnit::Hour), ("day", RateUnit::Day)]),
            )?,
            amount: self.req("amount", self.amount("amount", false))?,
            activity: self.text("activity")?,
            from: self.date("from")?,
        })
    }

    fn output(&self) -> Res<OutputRow> {
        let text = self.req_text("unit")?;
        let Some(unit) = OutputUnit::of_code(&text) else {
            let list: Vec<&str> = OutputUnit::ALL.iter().map(|u| u.code()).collect();
            return Err(self.reject(
                RejectionKind::NotInList,
                Some("unit"),
                self.raw.get("unit"),
                format!("unit {text:?} is not one of: {}", list.join(", ")),
            ));
        };
        Ok(OutputRow {
            row: self.row,
            beneficiary: self.req_text("beneficiary")?,
            date: self.req("date", self.date("date"))?,
            unit,
            quantity: self.req("quantity", self.quantity("quantity", false))?,
            project: self.text("project")?,
        })
    }

    /// A settings row: unknown keys are a whole-scenario error (usually a typo); a bad
    /// value rejects the row.
    fn setting(&self, s: &mut Settings) -> Result<Option<Rejection>, Error> {
        let key = match self.req_text("key") {
            Ok(k) => k,
            Err(r) => return Ok(Some(r)),
        };
        let value = match self.req_text("value") {
            Ok(k) => k,
            Err(r) => return Ok(Some(r)),
        };
        let bad = |msg: String| {
            Some(self.reject(
                RejectionKind::InvalidSetting,
                Some("value"),
                self.raw.get("value"),
                msg,
            ))
        };
        match key.as_str() {
            "cap_method" => match value.parse() {
                Ok(m) => s.cap_method = Some(m),
                Err(e) => return Ok(bad(e)),
            },
            "fte_hours" => match crate::input::cells::parse_decimal(&value) {
                Ok(d) if (MIN_UNITS..=MAX_ANNUAL_HOURS).contains(&d) => s.fte_hours = Some(d),
                _ => {
                    return Ok(bad(format!(
                        "fte_hours {value:?} must be a number of hours between {} and {}",
                        show(MIN_UNITS),
                        show(MAX_ANNUAL_HOURS)
                    )))
                }
            },
            "chart" => match value.as_str() {
                "pca2018" => s.chart = Some(Chart::Pca2018),
                "pca1999" => s.chart = Some(Chart::Pca1999),
                _ => {
                    return Ok(bad(format!(
                        "chart {value:?} is not one of: pca2018, pca1999"
                    )))
                }
            },
            "journal_accounts" => match value.as_str() {
                "chart" => s.journal_accounts = Some(JournalAccounts::Chart),
                "sub_accounts" => s.journal_accounts = Some(JournalAccounts::SubAccounts),
                _ => {
                    return Ok(bad(format!(
                        "journal_accounts {value:?} is not one of: chart, sub_accounts"
                    )))
                }
            },
            "eligible_headcount" => {
                let mut list = Vec::new();
                for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    let (id, n) = match part.split_once('=') {
                        Some((id, n)) => (Some(id.trim().to_string()), n.trim()),
                        None => (None, part),
                    };
                    match crate::input::cells::parse_decimal(n) {
                        Ok(d) if d >= MIN_UNITS && d < MAX_COUNT => list.push((id, d)),
                        _ => {
                            return Ok(bad(format!(
                                "eligible_headcount {value:?}: give a count of at least {} and below {} (\"120\") or company=count pairs separated by \";\" (\"C1=120; C2=45\")",
                                show(MIN_UNITS),
                                show(MAX_COUNT)
                            )))
                        }
                    }
                }
                if list.is_empty() {
                    return Ok(bad(format!(
                        "eligible_headcount {value:?} names no count"
                    )));
                }
                s.eligible_headcount = list;
            }
            "receipt_prefix" => match receipt_prefix(&value) {
                Ok(p) => s.receipt_prefix = Some(p),
                Err(e) => return Ok(bad(e)),
            },
            _ => {
                return Err(Error::scenario(
                    Location {
                        table: Some("settings".into()),
                        row: Some(self.row),
                        key: Some("key".into()),
                        cell: self.raw.cell_ref("key"),
                        value: Some(key.clone()),
                    },
                    format!(
                        "unknown setting {key:?} (expected one of: cap_method, fte_hours, chart, eligible_headcount, journal_accounts, receipt_prefix)"
                    ),
                ))
            }
        }
        Ok(None)
    }
}

/// A `receipt_prefix` setting checked: at most 20 ASCII letters, digits and `-_/.`, so
/// that receipt numbers print on any receipt and stay short.
fn receipt_prefix(value: &str) -> Result<String, String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "-_/.".contains(c);
    if value.chars().count() <= 20 && value.chars().all(ok) {
        Ok(value.to_string())
    } else {
        Err(format!(
            "receipt_prefix {:?} must be at most 20 ASCII letters, digits or - _ / . (e.g. \"ELAN-\")",
            shown_text(value)
        ))
    }
}

/// The worst-case value of the time entries: Σ quantity (days counted as 24 hours, the
/// most a day can be converted to) × the largest value of one unit (a pay row's annual cost
/// over its annual units, or a rate's amount), with checked arithmetic. `None` when it
/// cannot be computed without overflow (then it is far beyond [`crate::bounds::MAX_TIME_VALUE`]).
pub(crate) fn time_value_bound(s: &Scenario) -> Option<Decimal> {
    let hours_in_day = crate::bounds::MAX_HOURS_PER_DAY;
    let mut quantity = Decimal::ZERO;
    for e in &s.time_entries {
        let q = match e.quantity {
            Quantity::Hours(h) => h,
            Quantity::Days(d) => d.checked_mul(hours_in_day)?,
        };
        quantity = quantity.checked_add(q)?;
    }
    let mut unit = Decimal::ZERO;
    for p in &s.employees {
        let units = match p.basis {
            Basis::Days(a) | Basis::Hours(a) => a,
        };
        unit = unit.max(
            p.annual_cost()
                .checked_div(units.max(crate::bounds::MIN_UNITS))?,
        );
    }
    for r in &s.rates {
        unit = unit.max(r.amount);
    }
    quantity.checked_mul(unit)
}

/// Refuses a scenario whose time entries could be worth [`crate::bounds::MAX_TIME_VALUE`] or more (see
/// the module's arithmetic): millions of entries of near-bound quantities at near-bound
/// costs. Real scenarios are many orders of magnitude below.
pub(crate) fn check_time_value(s: &Scenario) -> Result<(), Error> {
    let ok = time_value_bound(s).is_some_and(|v| v < crate::bounds::MAX_TIME_VALUE);
    if ok {
        return Ok(());
    }
    Err(Error::scenario(
        Location {
            table: Some("time_entries".into()),
            ..Location::default()
        },
        format!(
            "the time entries could be worth {} € or more (their quantities, a day counted as 24 hours, times the largest cost or rate per unit): beyond what a report can hold; check the quantities, salaries and rates",
            crate::bounds::show(crate::bounds::MAX_TIME_VALUE)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::Scenario;

    /// The typed value of a donation's amount and a time entry's days given as text.
    fn typed(amount: &str, days: &str, date: &str) -> (String, String, String) {
        let s = Scenario::from_json(&format!(
            r#"{{"donations": [{{"company": "C1", "beneficiary": "A1", "date": "{date}", "amount": "{amount}"}}],
                "time_entries": [{{"employee": "E1", "beneficiary": "A1", "date": "{date}", "days": "{days}"}}]}}"#
        ))
        .unwrap();
        assert!(s.rejections.is_empty(), "{:?}", s.rejections);
        let q = match s.time_entries[0].quantity {
            super::Quantity::Days(d) | super::Quantity::Hours(d) => d.to_string(),
        };
        (
            s.donations[0].amount.to_string(),
            q,
            s.donations[0].date.to_string(),
        )
    }

    #[test]
    fn json_strings_are_read_as_excel_text_cells_are() {
        let want = (
            "1234.50".to_string(),
            "0.5".to_string(),
            "2025-12-31".to_string(),
        );
        assert_eq!(typed("1234.50", "0.5", "2025-12-31"), want);
        assert_eq!(typed("1 234,50", "0,5", "31/12/2025"), want);
        assert_eq!(typed("1\u{a0}234,50 €", " 0,5 ", "31/12/2025"), want);
        assert_eq!(typed("1234,50", "0.5", "2025-12-31"), want);
    }

    #[test]
    fn an_ambiguous_or_misplaced_text_is_refused_with_its_hint() {
        let r = rejection_of(
            r#"{"donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-01-02", "amount": "1.234,56"}]}"#,
        );
        assert!(
            r.contains("ambiguous") && r.contains("1.234,56") && r.contains("amount in euros"),
            "{r}"
        );
        let r = rejection_of(
            r#"{"time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "days": "un"}]}"#,
        );
        assert!(
            r.contains("number of days") && !r.contains("1234.50") && !r.contains("euros"),
            "{r}"
        );
        let r = rejection_of(
            r#"{"time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "hours": "7 €"}]}"#,
        );
        assert!(
            r.contains("not an amount") && r.contains("number of hours"),
            "{r}"
        );
        let r = rejection_of(
            r#"{"outputs": [{"beneficiary": "A1", "date": "2025-01-02", "unit": "people_trained", "quantity": "1,234"}]}"#,
        );
        assert!(
            r.contains("ambiguous") && r.contains("a quantity such as"),
            "{r}"
        );
        let r = rejection_of(
            r#"{"donations": [{"company": "C1", "beneficiary": "A1", "date": "12/31/2025", "amount": "5"}]}"#,
        );
        assert!(
            r.contains("not a valid date (YYYY-MM-DD or JJ/MM/AAAA)"),
            "{r}"
        );
        let r = rejection_of(
            r#"{"time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "days": "7:30"}]}"#,
        );
        assert!(
            r.contains("clock time or a duration") && r.contains("number of days"),
            "{r}"
        );
        let r = rejection_of(
            r#"{"time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "hours": "7:30"}]}"#,
        );
        assert!(r.contains("(7.5)"), "{r}");
    }

    fn rejection_of(json: &str) -> String {
        let s = Scenario::from_json(json).unwrap();
        assert_eq!(s.rejections.len(), 1, "{:?}", s.rejections);
        let r = &s.rejections[0];
        format!("{} {:?} {:?}", r.reason, r.key, r.value)
    }

    #[test]
    fn underscores_and_spaces_are_not_numbers() {
        for bad in ["1_000", "0_._5", "1 2 3 4"] {
            let r = rejection_of(&format!(
                r#"{{"donations": [{{"company": "C1", "beneficiary": "A1", "date": "2025-01-02", "amount": "{bad}"}}]}}"#
            ));
            assert!(
                r.contains("is not a decimal number") && r.contains(bad),
                "{r}"
            );
        }
    }

    #[test]
    fn a_category_outside_the_list_is_rejected_with_the_list() {
        let r = rejection_of(
            r#"{"beneficiaries": [{"id": "A1", "name": "A", "category": "sports_club"}]}"#,
        );
        assert!(r.contains("sports_club"), "{r}");
        for c in super::Category::ALL {
            assert!(r.contains(c.code()), "{r}");
        }
        let s = Scenario::from_json(r#"{"beneficiaries": [{"id": "A1", "name": "A", "category": "heritage"}, {"id": "A2", "name": "B"}]}"#).unwrap();
        assert!(s.rejections.is_empty());
        assert_eq!(
            s.beneficiaries[1].category,
            super::Category::GeneralInterest
        );
    }

    #[test]
    fn values_beyond_their_bound_are_rejected_with_the_bound() {
        let base = r#""company": "C1", "annual_gross_salary": "1", "annual_employer_charges": "1""#;
        for (cells, key, bound) in [
            (format!(r#"{base}, "annual_working_days": "367""#), "annual_working_days", "between 1 and 366"),
            (format!(r#"{base}, "annual_working_days": "0.5""#), "annual_working_days", "between 1 and 366"),
            (format!(r#"{base}, "annual_working_hours": "8785""#), "annual_working_hours", "between 1 and 8784"),
            (format!(r#"{base}, "annual_working_days": "218", "hours_per_day": "0.5""#), "hours_per_day", "between 1 and 24"),
            (r#""company": "C1", "annual_gross_salary": "1000000000000000", "annual_employer_charges": "1", "annual_working_days": "218""#.to_string(), "annual_gross_salary", "below 10^15 €"),
        ] {
            let r = rejection_of(&format!(r#"{{"employees": [{{"id": "E1", {cells}}}]}}"#));
            assert!(r.contains(key) && r.contains(bound), "{r}");
        }
        let r = rejection_of(
            r#"{"time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "hours": "1000000"}]}"#,
        );
        assert!(r.contains("below 10^6"), "{r}");
        let r = rejection_of(
            r#"{"carryforwards": [{"company": "C1", "kind": "donations", "origin_end": "2024-12-31", "amount": "5", "rate": "-0.6"}]}"#,
        );
        assert!(r.contains("rate") && r.contains("negative"), "{r}");
    }

    #[test]
    fn a_huge_cell_is_not_copied_into_its_rejection() {
        let huge = "x".repeat(1_000_000);
        let s = Scenario::from_json(&format!(
            r#"{{"time_entries": [{{"employee": "E1", "beneficiary": "A1", "date": "2025-01-02", "days": "{huge}"}}]}}"#
        ))
        .unwrap();
        let r = &s.rejections[0];
        assert!(r.reason.len() < 300, "{}", r.reason.len());
        assert!(r.value.as_ref().unwrap().len() < 200);
        assert!(r.reason.contains("1000000 characters"), "{}", r.reason);
    }
}
