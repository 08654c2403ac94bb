//! The association's side (rules-association.md): which entries count in impact and their
//! value for the accounts ([`cvn`]), impact per beneficiary, project and year in one pass
//! ([`impact`]), the programme view ([`programme`]), the class-8 journal and its FEC-like
//! export ([`journal`]), the annex note ([`annex`]), the in-kind goods for the accountant
//! ([`goods`]) and the reconciliation of receipts with the companies' gifts
//! ([`reconciliation`]). The shared types live here, so that each part reads them.

mod annex;
mod cvn;
mod goods;
mod impact;
mod journal;
mod programme;
mod reconciliation;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::company::valuation::EntryFacts;
use crate::error::Error;
use crate::input::scenario::*;
use crate::law::Law;
use crate::money::{round_cent, Money, Qty};
use crate::report::*;

pub use crate::fr::fr_amount;
pub use annex::{annex_document, AnnexFormat};
pub use journal::{
    accounts_to_create, journal_chart, journal_fec_files, journal_paheko_files, JournalFile,
    SubAccounts, PAHEKO_COLUMNS,
};
pub use journal::{chart_accounts, journal_fec, Accounts, ChartAccounts, FEC_COLUMNS};
pub(crate) use reconciliation::reconciliation;

/// What the association side reads of the valuation.
pub(crate) struct AssocInput<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) entries: &'a [EntryReport],
    pub(crate) valued: &'a [Option<EntryFacts>],
    pub(crate) fys_of: &'a [Vec<usize>],
    pub(crate) ben_idx: &'a FxHashMap<&'a str, usize>,
    pub(crate) default_hpd: Decimal,
    /// The last closing date of the scenario (date of the defaults' look-ups).
    pub(crate) last_day: NaiveDate,
    /// When the computation started (for `phase-timings`).
    pub(crate) started: std::time::Instant,
}

/// Where an entry's value for the accounts came from (for the annex).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The company's cost price.
    DonorCost,
    /// SMIC on the entry's date (plain or loaded).
    Smic,
    /// A row of the `rates` table (index).
    Rate(usize),
    /// No value.
    Missing,
}

/// One time entry that counts in impact, valued once for every view.
struct Counted<'a> {
    /// Beneficiary index.
    b: usize,
    year: i32,
    date: NaiveDate,
    days: Decimal,
    hours: Decimal,
    /// Staff lent (an employee) rather than a volunteer's own time.
    staff: bool,
    /// The person (employee or volunteer), interned.
    person: u32,
    fact: Option<&'a EntryFacts>,
    /// The project, interned (its name in [`Interned::projects`]).
    project: Option<u32>,
    /// The (beneficiary, project) pair, interned (when there is a project).
    pair: u32,
    cvn: Option<Decimal>,
    source: Source,
    market: Option<Decimal>,
}

/// People and projects as small integers, so that grouping hashes and compares no text.
#[derive(Default)]
struct Interned<'a> {
    people: FxHashMap<(bool, &'a str), u32>,
    project_ids: FxHashMap<&'a str, u32>,
    projects: Vec<&'a str>,
    pairs: FxHashMap<(usize, u32), u32>,
}

/// Distinct values of a group, each pushed once (on its first occurrence in the group, as
/// [`Marks::first`] tells) and sorted once ([`Distinct::finish`]).
struct Distinct<T>(Vec<T>);

/// Which (group, value) pairs of one dimension were seen: a bit matrix when groups × values
/// is small (the usual case: one bit test per entry), a hash set of pairs beyond.
enum Marks {
    Bits { words: Vec<u64>, width: usize },
    Pairs(rustc_hash::FxHashSet<(u32, usize)>),
}

/// The distinct values seen per group of one grouping, one [`Marks`] per dimension, so
/// that each entry costs one test per dimension (no set per group, no sort of every entry's
/// values).
struct Seen {
    people: Marks,
    companies: Marks,
    projects: Marks,
    /// ISO weeks, counted from the first entry's Monday.
    weeks: Marks,
    /// Days, counted from the first entry's date.
    days: Marks,
    rates: Marks,
    bens: Marks,
    pairs: Marks,
    /// The first entry's Monday and date, as days from the common era.
    first_monday: i32,
    first_day: i32,
}

/// Sums of a group of counted entries (a beneficiary's period, a project, a company's year).
#[derive(Default)]
struct Group {
    hours: Decimal,
    days: Decimal,
    people: Distinct<u32>,
    companies: Distinct<usize>,
    projects: Distinct<u32>,
    donor_cost: Decimal,
    /// Value of the retained entries (a company's year).
    retained: Decimal,
    cvn: Decimal,
    cvn_missing: bool,
    market: Decimal,
    market_missing: bool,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// ISO weeks with entries (distinct count).
    weeks: usize,
    /// Per category (staff lent, volunteers): value for the accounts, days, hours, people,
    /// lending companies in order of first entry.
    cat: [CatSums; 2],
    /// (project, person) pairs, for rotation: the sum of the projects' volunteers, set
    /// once the project groups are filled.
    project_people: usize,
    /// Values used: SMIC dates, rate rows.
    smic_dates: Distinct<NaiveDate>,
    rate_rows: Distinct<usize>,
    /// Beneficiaries supported (table order) and their projects (distinct count).
    bens: Distinct<usize>,
    project_keys: usize,
}

#[derive(Default)]
struct CatSums {
    value: Decimal,
    days: Decimal,
    hours: Decimal,
    /// Distinct people of the category.
    people: usize,
    lenders: Vec<usize>,
}

/// The sums of the entries of one cell: beneficiary, year, project and company year (the
/// finest grouping), added up once per entry and then rolled up into the three groupings.
#[derive(Default)]
struct Sums {
    /// Per category (staff lent, volunteers): value for the accounts, days, hours.
    cat: [(Decimal, Decimal, Decimal); 2],
    donor_cost: Decimal,
    retained: Decimal,
    cvn_missing: bool,
    market: Decimal,
    market_missing: bool,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

/// The three groupings of the counted entries: per (beneficiary, year), per (beneficiary,
/// year, project) and per company year (staff lent only).
type Groupings = (
    BTreeMap<(usize, i32), Group>,
    FxHashMap<(usize, i32, u32), Group>,
    FxHashMap<usize, Group>,
);

/// Declared outputs, validated against the beneficiaries: (b, year, project, unit) → (Σ, rows).
type OutputSums<'a> = BTreeMap<(usize, i32, Option<&'a str>, usize), (Decimal, usize)>;

/// The label of the market value.
const MARKET_LABEL: &str = "valeur au prix du marché (table rates : taux par jour ou par heure, selon l'activité), indicative : jamais additionnée à la valeur au coût de revient ni à la valeur comptable";

fn method_name(m: CvnMethod) -> &'static str {
    match m {
        CvnMethod::DonorCost => "donor_cost",
        CvnMethod::Smic => "smic",
        CvnMethod::SmicLoaded => "smic_loaded",
        CvnMethod::Rate => "rate",
    }
}

fn div(a: Decimal, b: Decimal) -> Decimal {
    a.checked_div(b).unwrap_or_default()
}

/// Monday of a date's ISO week.
fn monday(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// ISO weeks from the week of `a` to the week of `b`, inclusive.
fn weeks_between(a: NaiveDate, b: NaiveDate) -> usize {
    let n = (monday(b) - monday(a)).num_days() / 7 + 1;
    usize::try_from(n).unwrap_or(0)
}

/// Everything the association side adds to the report.
pub(crate) struct AssocOutput {
    pub(crate) beneficiaries: Vec<ImpactReport>,
    pub(crate) journal: Vec<JournalLine>,
    pub(crate) projects: Vec<ProjectImpact>,
    pub(crate) outputs: Vec<OutputTotal>,
    pub(crate) programme: Programme,
    pub(crate) annex: Vec<AnnexText>,
    pub(crate) goods_for_accountant: Vec<GoodsLine>,
}

/// The association side: impact (per beneficiary, project, period and for the programme),
/// valuation for the accounts, class-8 journal, annex, goods for the accountant, bench
/// economics. The reconciliation with the receipts is [`reconciliation()`].
pub(crate) fn association(
    inp: &AssocInput,
    bench: &[BenchReport],
    gifts: &[GiftReport],
    rejected: &mut Vec<Rejection>,
    law: &mut Law,
) -> Result<AssocOutput, Error> {
    let s = inp.scenario;
    let fte_hours = match s.settings.fte_hours {
        Some(h) => h,
        None => law.req((crate::law::OnDate::FteHours, inp.last_day))?,
    };
    let chart = journal_chart(
        s.settings.chart.unwrap_or_default(),
        s.settings.journal_accounts.unwrap_or_default(),
    )?;
    let mut names = Interned::default();
    let t0 = inp.started;
    let counted = cvn::counted(inp, law, &mut names)?;
    phase!(t0, "association: entries counted");
    let has_rates = !s.rates.is_empty();

    // Groups: per (beneficiary, year), per (beneficiary, year, project), per company year.
    let (by_ben, by_project, by_fy) = impact::groupings(inp, &names, &counted);
    phase!(t0, "association: groups");
    // Projects in beneficiary, period, then name order.
    let mut project_keys: Vec<(usize, i32, u32)> = by_project.keys().copied().collect();
    project_keys.sort_unstable_by_key(|&(b, y, p)| (b, y, names.projects[p as usize]));

    // Declared outputs.
    let out_sums = impact::output_sums(inp, rejected);
    let mut units_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &(b, _, _, u) in out_sums.keys() {
        units_of.entry(b).or_default().insert(u);
    }
    let mut outputs = Vec::with_capacity(out_sums.len());
    for (&(b, year, project, u), &(q, n)) in &out_sums {
        outputs.push(OutputTotal {
            beneficiary: s.beneficiaries[b].id.clone(),
            period: year.to_string(),
            project: project.map(str::to_string),
            unit: OutputUnit::ALL[u].code().to_string(),
            quantity: Qty(q),
            rows: n,
        });
    }

    // Impact per beneficiary and period, per project.
    let ctx = impact::Rows {
        s,
        out_sums: &out_sums,
        units_of: &units_of,
        fte_hours,
        has_rates,
    };
    let beneficiaries = impact::beneficiary_rows(&ctx, &by_ben, law);
    let projects = impact::project_rows(&ctx, &by_project, &project_keys, &names);
    // Class-8 journal: per beneficiary and period with a value for every entry.
    let journal = journal::journal_lines(s, &by_ben, &chart);

    phase!(t0, "association: impact, journal");
    let programme = programme::programme(inp, &beneficiaries, &by_ben, &by_fy, bench, fte_hours);
    let goods_for_accountant = goods::goods(inp, gifts, &chart);
    let annex = annex::annex(inp, &by_ben, &chart, law, &goods_for_accountant);
    phase!(t0, "association: programme, annex, goods");
    Ok(AssocOutput {
        beneficiaries,
        journal,
        projects,
        outputs,
        programme,
        annex,
        goods_for_accountant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fr::fr_amount;

    fn report(json: &str) -> Report {
        let s = Scenario::from_json(json).unwrap();
        crate::compute(&s, &crate::Options::default()).unwrap()
    }

    #[test]
    fn annex_states_nature_counting_and_dated_smic_values() {
        let r = report(
            r#"{
          "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
          "fiscal_years": [{"company": "C1", "start": "2024-01-01", "end": "2024-12-31", "turnover": "2000000"}],
          "beneficiaries": [{"id": "A1", "name": "Association Exemple", "cvn_method": "smic_loaded", "cvn_factor": "0.5"}],
          "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                         "annual_employer_charges": "21600", "annual_working_days": "218"}],
          "time_entries": [
            {"employee": "E1", "beneficiary": "A1", "date": "2024-10-31", "days": "1"},
            {"volunteer": "Lou", "beneficiary": "A1", "date": "2024-11-04", "hours": "2"}
          ]
        }"#,
        );
        let t = &r.annex[0].text;
        for want in [
            "Association Exemple en 2024",
            "mise à disposition de personnel par une entreprise",
            "1 jour (7 heures) donnés par 1 salarié d'Exemple Conseil SAS",
            "bénévolat : 0,29 jour (2 heures) donnés par 1 bénévole",
            "7 heures par défaut",
            "majoré de 50 % pour les charges (coefficient 1,5)",
            "11,65 € de l'heure à compter du 01/01/2024",
            "11,88 € de l'heure à compter du 01/11/2024",
            "864 Personnel bénévole / 871 Prestations en nature : 122,33 €",
            "864 Personnel bénévole / 875 Bénévolat : 35,64 €",
            "total 157,97 €",
        ] {
            assert!(t.contains(want), "{want:?} not in {t}");
        }
    }

    #[test]
    fn a_missing_value_is_warned_and_not_journalled() {
        let r = report(
            r#"{
          "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
          "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
          "beneficiaries": [{"id": "A1", "name": "Association", "cvn_method": "rate", "cvn_factor": "R9"}],
          "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                         "annual_employer_charges": "21600", "annual_working_days": "218"}],
          "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}],
          "rates": [{"id": "R1", "unit": "day", "amount": "400"}]
        }"#,
        );
        assert_eq!(r.beneficiaries[0].value_cvn, None);
        assert!(r.journal.is_empty());
        assert!(r
            .warnings
            .iter()
            .any(|w| w.contains("A1 2025") && w.contains("method rate")));
        assert!(r.annex[0].text.contains("valeur non déterminable"));
    }

    #[test]
    fn weeks_are_counted_across_iso_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(weeks_between(d("2025-12-15"), d("2025-12-30")), 3);
        assert_eq!(weeks_between(d("2025-01-06"), d("2025-01-12")), 1);
        assert_eq!(weeks_between(d("2024-12-30"), d("2025-01-05")), 1);
        assert_eq!(fr_amount(Decimal::new(100_000_000, 2)), "1 000 000,00");
    }
}
