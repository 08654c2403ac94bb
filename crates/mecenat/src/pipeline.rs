//! The pipeline: the only place that knows the order of the stages and where they run.
//!
//! raw tables → typed scenario ([`Scenario::from_raw`]) → resolved world ([`World`]) →
//! law in force ([`ValuationLaw`], [`YearLaw`]) → valued entries → gifts per fiscal year →
//! company years (the fold over each company's fiscal years) → bench → (documents ∥
//! association) → rejections in order → report. Each stage reads the outputs of the
//! earlier ones and returns its own; the law look-ups are recorded in one [`Law`] trace.

use std::collections::BTreeSet;

use crate::association::{self, AssocInput};
use crate::company::bench::{self, bench};
use crate::company::opening::{self, Spans};
use crate::company::valuation::{self, ValuationLaw};
use crate::company::{forecast, gifts, period_cap, year};
use crate::error::Error;
use crate::input::resolve::World;
use crate::input::scenario::{CapMethod, Rejection, Scenario};
use crate::law::params::Parameters;
use crate::law::{legal_rates, AtClosing, Closing, Law, YearLaw};
use crate::report::{
    CarriedOrder, FixedCeilingProration, InputCount, Policies, Report, RetentionOrder, DISCLAIMER,
};

/// Options of a computation.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides the scenario's `cap_method` setting.
    pub cap_method: Option<CapMethod>,
    /// Fail with [`Error::Strict`] when any row is rejected.
    pub strict: bool,
}

/// Computes the report of a validated scenario.
///
/// # Errors
///
/// [`Error::Scenario`] when a fiscal year closes before the legal parameters begin;
/// [`Error::Strict`] in strict mode when any row is rejected; [`Error::Parameter`] if the
/// embedded parameters are invalid.
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
/// assert_eq!(r.entries[0].value.unwrap().0.to_string(), "319.27");
/// assert_eq!(r.fiscal_years[0].reduction.0.to_string(), "191.56");
/// ```
pub fn compute(s: &Scenario, opts: &Options) -> Result<Report, Error> {
    let params = Parameters::embedded()?;
    compute_with(s, opts, params)
}

/// As [`compute`], with explicit parameters (for tests of alternative legal values); the
/// scenario's own legal values (its `law` table) are merged into them, as into the embedded
/// ones by [`compute`].
///
/// # Errors
///
/// As [`compute`].
pub fn compute_with(s: &Scenario, opts: &Options, params: &Parameters) -> Result<Report, Error> {
    let t0 = std::time::Instant::now();
    // The scenario's own legal values (its `law` table) merged into the embedded ones.
    let merged;
    let embedded = params;
    let params = if s.law.is_empty() {
        params
    } else {
        merged = params.with_supplied(&s.law)?;
        &merged
    };
    let mut law = Law::new(params);
    let mut assumptions: BTreeSet<String> = BTreeSet::new();
    let cap_method = opts
        .cap_method
        .or(s.settings.cap_method)
        .unwrap_or_default();
    let (w, mut rejected) = World::new(s);
    let mut rejected: Vec<Rejection> = s
        .rejections
        .iter()
        .cloned()
        .chain(rejected.drain(..))
        .collect();
    let last_day = w.last_day();
    let vl = ValuationLaw::new(&mut law, s, cap_method, last_day)?;

    // Valued entries.
    let mut valued = valuation::value_entries(&w, &vl);
    phase!(t0, "entries valued");
    rejected.append(&mut valued.rejected);
    let mut period_caps = Vec::new();
    if cap_method == CapMethod::Period {
        period_caps = period_cap::apply(s, &vl, &mut law, &mut valued.entries, &mut valued.facts)?;
        assumptions.insert(period_cap::ASSUMPTION.into());
    }

    // Gifts per fiscal year.
    let mut acc = gifts::staff_time(s, &valued.facts);
    phase!(t0, "staff time summed");
    let gifts = gifts::donations(&w, &mut acc, &mut rejected);
    gifts::counterparts(&w, &mut acc, &mut rejected);

    // Company years.
    let (years, spans) = company_years(&w, &mut law, &acc, &mut rejected)?;
    let forecast = forecast::forecasts(&w, &years.fiscal_years, &years.closing_ledgers, spans);
    if !forecast.is_empty() {
        assumptions.insert(forecast::ASSUMPTION.into());
    }
    for w in &years.warnings {
        law.warn(w.clone());
    }
    assumptions.extend(years.assumptions.iter().cloned());
    phase!(t0, "gifts, ledgers");
    let bench_reports = bench(
        &w,
        &bench::Valued {
            entries: &valued.entries,
            facts: &valued.facts,
            own_reduction: &years.own_reduction,
            default_hpd: vl.default_hpd,
        },
        &years.fiscal_years,
        &mut rejected,
    );
    phase!(t0, "bench");

    // Documents and association side, side by side.
    let counterparts_by_fy: Vec<_> = acc.into_iter().map(|a| a.counterparts_by_ben).collect();
    let inp = AssocInput {
        scenario: s,
        entries: &valued.entries,
        valued: &valued.facts,
        fys_of: &w.fys_of,
        ben_idx: &w.ben_idx,
        default_hpd: vl.default_hpd,
        last_day,
        started: t0,
    };
    let ((assoc_result, plausibility), (receipts, declarations, reconciliation, loan_spans)) =
        crate::par::join(
            || association_side(&inp, &bench_reports, &gifts.lines, &mut rejected, &mut law),
            || documents_side(&inp, &gifts, &years.fiscal_years, &counterparts_by_fy),
        );
    let a = assoc_result?;
    phase!(t0, "both sides joined");
    crate::company::staff_loans::warn_long_loans(s, &loan_spans, &mut law)?;
    phase!(t0, "long loans warned");
    let supplied = law.supplied_warnings(embedded, &s.law);
    // The non-profits' declaration of receipts (art. 222 bis) and the section III subtotals.
    let receipts_declared = crate::documents::receipts_declared(s, &receipts);
    if !receipts_declared.is_empty() {
        assumptions.insert(crate::documents::RECEIPTS_DECLARED_ASSUMPTION.into());
    }
    let declaration_totals = crate::documents::declaration_totals(s, &declarations);
    let (rejected, inputs) = in_order(s, rejected);
    if opts.strict && !rejected.is_empty() {
        return Err(Error::Strict {
            count: rejected.len(),
            first: rejected[0].to_string(),
        });
    }
    phase!(t0, "rejections sorted");
    Ok(Report {
        fiscal_years: years.fiscal_years,
        forecast,
        entries: valuation::with_typing_rejections(valued.entries, &s.rejections),
        gifts: gifts.lines,
        beneficiaries: a.beneficiaries,
        receipts,
        journal: a.journal,
        bench: bench_reports,
        projects: a.projects,
        outputs: a.outputs,
        programme: a.programme,
        annex: a.annex,
        reconciliation,
        goods_for_accountant: a.goods_for_accountant,
        declarations,
        counterparts: years.counterparts,
        donations_ledger: years.donations_ledger,
        reduction_ledger: years.reduction_ledger,
        period_caps,
        rejected,
        rejected_quantities: valued.rejected_quantities,
        inputs,
        policies: policies(s, cap_method)?,
        references: law.references(),
        // The input's own warnings (hidden sheets or rows…) first, then the legal values
        // the scenario supplied, the implausible entries, then the law's and the rules' in
        // the order they arose.
        warnings: s
            .input_warnings
            .iter()
            .cloned()
            .chain(supplied)
            .chain(plausibility)
            .chain(crate::input::identity::warnings(s))
            .chain(law.into_warnings())
            .collect(),
        assumptions: assumptions.into_iter().collect(),
        disclaimer: DISCLAIMER.to_string(),
        receipts_declared,
        declaration_totals,
        names: names(s),
    })
}

/// The company's documents (receipts, declarations), their reconciliation with the
/// association side's inputs, and each employee's span of loan to each beneficiary (its
/// warnings are written after the association side's): the stage that runs beside the
/// association side.
fn documents_side<'a>(
    inp: &AssocInput<'a>,
    gifts: &gifts::Gifts,
    fiscal_years: &[crate::report::FiscalYearReport],
    counterparts_by_fy: &[std::collections::BTreeMap<usize, rust_decimal::Decimal>],
) -> (
    Vec<crate::report::Receipt>,
    Vec<crate::report::Declaration>,
    Vec<crate::report::ReconciliationLine>,
    Vec<crate::company::staff_loans::Span<'a>>,
) {
    let (s, t0) = (inp.scenario, inp.started);
    let receipts = crate::documents::receipts(
        s,
        inp.valued,
        &gifts.lines,
        &gifts.fy,
        inp.fys_of,
        inp.ben_idx,
    );
    phase!(t0, "receipts");
    let declarations = crate::documents::declarations(
        s,
        inp.valued,
        &gifts.lines,
        &gifts.fy,
        inp.fys_of,
        fiscal_years,
        counterparts_by_fy,
        inp.ben_idx,
    );
    phase!(t0, "declarations");
    let reconciliation = association::reconciliation(inp, &receipts, &gifts.lines);
    phase!(t0, "reconciliation");
    let spans = crate::company::staff_loans::spans(s);
    phase!(t0, "loan spans");
    (receipts, declarations, reconciliation, spans)
}

/// The association side and, beside the documents so that the two sides take about as
/// long, the plausibility warnings (over 24 h or a day for one person on one date, the same
/// entry imported twice): warned, nothing excluded.
fn association_side(
    inp: &AssocInput,
    bench_reports: &[crate::report::BenchReport],
    gifts: &[crate::report::GiftReport],
    rejected: &mut Vec<Rejection>,
    law: &mut Law,
) -> (Result<association::AssocOutput, Error>, Vec<String>) {
    let a = association::association(inp, bench_reports, gifts, rejected, law);
    let plausibility = crate::input::plausibility::warnings(inp.scenario);
    phase!(inp.started, "plausibility");
    (a, plausibility)
}

/// The companies' and employees' names by id (the first name given for an employee).
fn names(s: &Scenario) -> crate::report::Names {
    let mut n = crate::report::Names::default();
    for c in &s.companies {
        n.companies
            .entry(c.id.clone())
            .or_insert_with(|| c.name.clone());
    }
    for p in &s.employees {
        if let Some(name) = p.name.as_ref().filter(|x| !x.trim().is_empty()) {
            n.employees
                .entry(p.id.clone())
                .or_insert_with(|| name.clone());
        }
    }
    n
}

/// The company years: the opening balances, the law of each fiscal year, then the fold
/// over each company's fiscal years.
fn company_years(
    w: &World,
    law: &mut Law,
    acc: &[gifts::YearGifts],
    rejected: &mut Vec<Rejection>,
) -> Result<(year::CompanyYears, Spans), Error> {
    let s = w.scenario;
    let spans = Spans {
        donations: law.whole_years(AtClosing::DonationsCarryYears, Closing::last(w))?,
        reduction: law.whole_years(AtClosing::ReductionCarryYears, Closing::last(w))?,
    };
    let rates = legal_rates(law.params())?;
    let opening = opening::opening(w, law, spans, &rates, rejected)?;
    let mut laws: Vec<Option<YearLaw>> = vec![None; s.fiscal_years.len()];
    for &fyi in w.fys_of.iter().flatten() {
        let fy = &s.fiscal_years[fyi];
        laws[fyi] = Some(YearLaw::at(law, Closing::of(fy), fy.row)?);
    }
    let mut years = year::fold(w, acc, &laws, opening.ledgers, spans, &rates)?;
    if opening.assumed_years {
        years.assumptions.insert(opening::ASSUMPTION.into());
    }
    Ok((years, spans))
}

/// The policies the report says it applied.
fn policies(s: &Scenario, cap_method: CapMethod) -> Result<Policies, Error> {
    let chart = s.settings.chart.unwrap_or_default();
    let journal_accounts = s.settings.journal_accounts.unwrap_or_default();
    Ok(Policies {
        cap_method,
        retention_order: RetentionOrder::HighestRateFirst,
        carried_order: CarriedOrder::OldestOriginFirst,
        fixed_ceiling_proration: FixedCeilingProration::NotProrated,
        chart,
        journal_accounts,
        accounts_to_create: crate::assoc::accounts_to_create(chart, journal_accounts)?,
    })
}

/// Rejections in table order, then row order (one per row: nothing lost, nothing twice),
/// and the rows read and rejected per table.
fn in_order(s: &Scenario, mut rejected: Vec<Rejection>) -> (Vec<Rejection>, Vec<InputCount>) {
    rejected.sort_by(|x, y| {
        crate::input::raw::table_index(&x.table)
            .cmp(&crate::input::raw::table_index(&y.table))
            .then(x.row.cmp(&y.row))
    });
    rejected.dedup_by(|a, b| a.table == b.table && a.row == b.row);
    let inputs = s
        .row_counts
        .iter()
        .map(|(t, n)| InputCount {
            table: t.clone(),
            rows: *n,
            rejected: rejected.iter().filter(|r| &r.table == t).count(),
        })
        .collect();
    (rejected, inputs)
}
