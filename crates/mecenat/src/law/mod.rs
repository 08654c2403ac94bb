//! The law as the computation reads it: parameter look-ups that remember what they used (the
//! report's `references`) and the warnings they raised (a date past a parameter's known
//! period), and the law in force in each fiscal year, resolved once ([`YearLaw`]). The
//! parameter files and their loader are [`params`]. The law names nothing of the input nor
//! of the report: the input gives it dates ([`Closing`]'s constructors for its periods are
//! in `input::closing`) and reads its `law` table against [`Parameters`].

pub mod params;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Location};
use params::{as_decimal, ParamValue, Parameters};

/// A parameter looked up by a fiscal year's closing date (its file says
/// `applies_to = "fiscal_year_end"`). One variant per parameter file: a misspelled name
/// does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AtClosing {
    Regime,
    CeilingFixed,
    CeilingTurnoverRate,
    ReductionRate,
    ReducedRate,
    ReducedRateThreshold,
    SalaryCapMultiple,
    CounterpartsTolerance,
    DeclarationThreshold,
    DonationsCarryYears,
    ReductionCarryYears,
}

/// A parameter looked up by the date of what it values (its file says `applies_to =
/// "date"`, the default): an entry's date, a month, a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnDate {
    Pass,
    Pmss,
    SmicHourly,
    HoursPerDay,
    FteHours,
    StaffLoanMaxYears,
}

impl AtClosing {
    /// Every closing-date parameter.
    #[cfg(test)]
    pub(crate) const ALL: [AtClosing; 11] = [
        AtClosing::Regime,
        AtClosing::CeilingFixed,
        AtClosing::CeilingTurnoverRate,
        AtClosing::ReductionRate,
        AtClosing::ReducedRate,
        AtClosing::ReducedRateThreshold,
        AtClosing::SalaryCapMultiple,
        AtClosing::CounterpartsTolerance,
        AtClosing::DeclarationThreshold,
        AtClosing::DonationsCarryYears,
        AtClosing::ReductionCarryYears,
    ];

    /// The parameter file's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AtClosing::Regime => "regime",
            AtClosing::CeilingFixed => "ceiling_fixed",
            AtClosing::CeilingTurnoverRate => "ceiling_turnover_rate",
            AtClosing::ReductionRate => "reduction_rate",
            AtClosing::ReducedRate => "reduced_rate",
            AtClosing::ReducedRateThreshold => "reduced_rate_threshold",
            AtClosing::SalaryCapMultiple => "salary_cap_multiple",
            AtClosing::CounterpartsTolerance => "counterparts_tolerance",
            AtClosing::DeclarationThreshold => "declaration_threshold",
            AtClosing::DonationsCarryYears => "donations_carry_years",
            AtClosing::ReductionCarryYears => "reduction_carry_years",
        }
    }
}

impl OnDate {
    /// Every date parameter.
    #[cfg(test)]
    pub(crate) const ALL: [OnDate; 6] = [
        OnDate::Pass,
        OnDate::Pmss,
        OnDate::SmicHourly,
        OnDate::HoursPerDay,
        OnDate::FteHours,
        OnDate::StaffLoanMaxYears,
    ];

    /// The parameter file's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            OnDate::Pass => "pass",
            OnDate::Pmss => "pmss",
            OnDate::SmicHourly => "smic_hourly",
            OnDate::HoursPerDay => "hours_per_day",
            OnDate::FteHours => "fte_hours",
            OnDate::StaffLoanMaxYears => "staff_loan_max_years",
        }
    }
}

/// A fiscal year's closing date: the only date a closing-date parameter is read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Closing(NaiveDate);

impl Closing {
    /// The closing date `day`, for the input's periods only: `Closing::of` a fiscal year,
    /// `Closing::origin` of an opening balance, `Closing::last` of a scenario (in
    /// `input::closing`).
    pub(crate) fn on(day: NaiveDate) -> Closing {
        Closing(day)
    }
}

/// A parameter and the date it is read at: a closing-date parameter only at a closing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At {
    /// A closing-date parameter at a fiscal year's closing.
    Closing(AtClosing, Closing),
    /// A date parameter at a date.
    Date(OnDate, NaiveDate),
}

impl At {
    fn name(self) -> &'static str {
        match self {
            At::Closing(p, _) => p.name(),
            At::Date(p, _) => p.name(),
        }
    }

    fn date(self) -> NaiveDate {
        match self {
            At::Closing(_, d) => d.0,
            At::Date(_, d) => d,
        }
    }
}

impl From<(AtClosing, Closing)> for At {
    fn from((p, d): (AtClosing, Closing)) -> At {
        At::Closing(p, d)
    }
}

impl From<(OnDate, NaiveDate)> for At {
    fn from((p, d): (OnDate, NaiveDate)) -> At {
        At::Date(p, d)
    }
}

/// Parameter look-ups that remember what they used (for the report's references).
pub(crate) struct Law<'p> {
    params: &'p Parameters,
    used: BTreeSet<(&'static str, usize)>,
    /// The warnings, in the order they arose, each once.
    warnings: Vec<String>,
    seen: std::collections::HashSet<String>,
}

impl<'p> Law<'p> {
    pub(crate) fn new(params: &'p Parameters) -> Self {
        Law {
            params,
            used: BTreeSet::new(),
            warnings: Vec::new(),
            seen: std::collections::HashSet::new(),
        }
    }

    /// The parameters themselves (for look-ups that are not a date's value).
    pub(crate) fn params(&self) -> &'p Parameters {
        self.params
    }

    /// A parameter's value in force, `None` before its first value (recorded in the
    /// references; a date past its known period gives a warning).
    pub(crate) fn value(&mut self, at: impl Into<At>) -> Result<Option<&'p ParamValue>, Error> {
        let at = at.into();
        let (name, date) = (at.name(), at.date());
        let p = self.params.get(name)?;
        let Some(i) = p.index_at(date) else {
            return Ok(None);
        };
        self.used.insert((name, i));
        if p.extrapolated(date) {
            // One warning per parameter and value reused, whatever the number of dates.
            self.warn(format!(
                "{name}: no value is known after {} (the library's last date for it); the last value, {} since {}, was used for the dates after it: to use the real value, add it to the law table (sheet Loi of the workbook) with parameter {name}, since, value and reference",
                p.known_until.map_or_else(String::new, |d| d.to_string()),
                p.values[i].value,
                p.values[i].since
            ));
        }
        Ok(Some(&p.values[i].value))
    }

    /// A decimal parameter, `None` when not in force.
    pub(crate) fn dec(&mut self, at: impl Into<At>) -> Result<Option<Decimal>, Error> {
        let at = at.into();
        self.value(at)?
            .map(|v| as_decimal(at.name(), v))
            .transpose()
    }

    /// A decimal parameter that must be in force.
    pub(crate) fn req(&mut self, at: impl Into<At>) -> Result<Decimal, Error> {
        let at = at.into();
        let (name, date) = (at.name(), at.date());
        self.dec(at)?.ok_or_else(|| {
            Error::scenario(
                Location { value: Some(date.to_string()), ..Location::default() },
                format!("the legal parameter {name} is not known on {date} (the library covers dates from its first value on)"),
            )
        })
    }

    /// A parameter that counts fiscal years, as a whole number.
    pub(crate) fn whole_years(&mut self, p: AtClosing, at: Closing) -> Result<usize, Error> {
        let name = p.name();
        let v = self.req((p, at))?;
        if !v.fract().is_zero() || v.is_sign_negative() {
            return Err(Error::Parameter {
                parameter: name.into(),
                message: format!("{v} is not a whole number of fiscal years"),
            });
        }
        usize::try_from(v.trunc().mantissa()).map_err(|_| Error::Parameter {
            parameter: name.into(),
            message: format!("{v} is out of range"),
        })
    }

    /// Records a warning (once, in the order warnings arise).
    pub(crate) fn warn(&mut self, w: String) {
        if self.seen.insert(w.clone()) {
            self.warnings.push(w);
        }
    }

    /// The warnings, in the order they arose.
    pub(crate) fn into_warnings(self) -> Vec<String> {
        self.warnings
    }

    pub(crate) fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        for (name, i) in &self.used {
            if let Ok(p) = self.params.get(name) {
                let v = &p.values[*i];
                out.push(Reference {
                    parameter: (*name).to_string(),
                    value: v.value.to_string(),
                    since: v.since,
                    source: v.reference.clone(),
                    description: p.description.clone(),
                    description_fr: p.description_fr.clone(),
                    supplied_by: v.supplied_by.map(|row| SuppliedBy {
                        table: "law".into(),
                        row,
                    }),
                });
            }
        }
        out
    }
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
    /// What it is, in French (`null` only for a parameter whose file has no French
    /// description: none of the embedded ones).
    pub description_fr: Option<String>,
    /// The scenario's row that supplied the value (table `law`); `null` for a value of the
    /// library.
    pub supplied_by: Option<SuppliedBy>,
}

/// Where a supplied legal value comes from: `{"table": "law", "row": N}`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct SuppliedBy {
    /// Always `law`.
    pub table: String,
    /// 1-based row in that table.
    pub row: usize,
}

impl Law<'_> {
    /// The warnings on the scenario's own legal values (its `law` table): each one used, with
    /// the embedded value it replaced if any, and each one no date of the scenario reached.
    /// `embedded` are the parameters before the scenario's values were merged in.
    pub(crate) fn supplied_warnings(
        &self,
        embedded: &Parameters,
        supplied: &[params::SuppliedValue],
    ) -> Vec<String> {
        let used: BTreeSet<usize> = self
            .used
            .iter()
            .filter_map(|(name, i)| {
                let p = self.params.get(name).ok()?;
                p.values.get(*i)?.supplied_by
            })
            .collect();
        supplied
            .iter()
            .map(|v| {
                let what = format!(
                    "law table, row {}: {} = {} since {} ({})",
                    v.row, v.parameter, v.value, v.since, v.reference
                );
                let replaced = embedded
                    .get(&v.parameter)
                    .ok()
                    .and_then(|p| p.values.iter().find(|e| e.since == v.since))
                    .map(|e| format!(", in place of the library's value {}", e.value));
                if used.contains(&v.row) {
                    format!(
                        "{what}: a legal value supplied by the scenario was used{}; check it against its source",
                        replaced.unwrap_or_default()
                    )
                } else {
                    format!("{what}: supplied by the scenario but not used (no date of the scenario falls in its period)")
                }
            })
            .collect()
    }
}

/// Every rate of the tax reduction the law has had (standard and reduced), whatever the
/// date: the keys of `reduction_by_rate` and `retained_by_rate` in every regime.
pub(crate) fn legal_rates(params: &Parameters) -> Result<BTreeSet<Decimal>, Error> {
    let mut out = BTreeSet::new();
    for name in ["reduction_rate", "reduced_rate"] {
        for v in &params.get(name)?.values {
            out.insert(as_decimal(name, &v.value)?);
        }
    }
    Ok(out)
}

/// The law in force in one fiscal year, chosen by its closing date (rules-company §2-6).
#[derive(Debug, Clone)]
pub(crate) struct YearLaw {
    /// The regime's name (`pre2019`, `2019`, `2020`).
    pub(crate) regime: String,
    /// The fixed amount of the ceiling (0 where the regime has none).
    pub(crate) fixed_ceiling: Decimal,
    /// The ceiling's share of turnover.
    pub(crate) turnover_rate: Decimal,
    /// The standard rate of the reduction.
    pub(crate) rate: Decimal,
    /// The reduced rate above the threshold, where the regime has one.
    pub(crate) reduced_rate: Option<Decimal>,
    /// The threshold of the reduced rate, where the regime has one.
    pub(crate) threshold: Option<Decimal>,
    /// The counterparts' tolerance.
    pub(crate) counterparts_tolerance: Decimal,
    /// The threshold above which the gifts must be declared.
    pub(crate) declaration_threshold: Option<Decimal>,
    /// The salary cap's multiple of the PASS, where it is in force.
    pub(crate) salary_cap_multiple: Option<Decimal>,
}

impl YearLaw {
    /// Looks up the law of the fiscal year closed `at`, row `row` of table `fiscal_years`
    /// (recorded in `law`'s references).
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] when no regime is known for the closing date, or a required
    /// parameter is not in force.
    pub(crate) fn at(law: &mut Law, at: Closing, row: usize) -> Result<YearLaw, Error> {
        let regime = match law.value((AtClosing::Regime, at))? {
            Some(v) => v.to_string(),
            None => {
                return Err(Error::scenario(
                    Location {
                        table: Some("fiscal_years".into()),
                        row: Some(row),
                        key: Some("end".into()),
                        value: Some(at.0.to_string()),
                        cell: None,
                    },
                    format!(
                        "no ceiling regime is known for a fiscal year closed on {}",
                        at.0
                    ),
                ))
            }
        };
        let fixed_ceiling = law
            .dec((AtClosing::CeilingFixed, at))?
            .unwrap_or(Decimal::ZERO);
        let turnover_rate = law.req((AtClosing::CeilingTurnoverRate, at))?;
        let rate = law.req((AtClosing::ReductionRate, at))?;
        let reduced_rate = law.dec((AtClosing::ReducedRate, at))?;
        let threshold = law.dec((AtClosing::ReducedRateThreshold, at))?;
        let counterparts_tolerance = law.req((AtClosing::CounterpartsTolerance, at))?;
        let declaration_threshold = law.dec((AtClosing::DeclarationThreshold, at))?;
        let salary_cap_multiple = law.dec((AtClosing::SalaryCapMultiple, at))?;
        Ok(YearLaw {
            salary_cap_multiple,
            regime,
            fixed_ceiling,
            turnover_rate,
            rate,
            reduced_rate,
            threshold,
            counterparts_tolerance,
            declaration_threshold,
        })
    }

    /// The rate of the gifts above the threshold (the standard rate where there is none).
    pub(crate) fn low_rate(&self) -> Decimal {
        self.reduced_rate.unwrap_or(self.rate)
    }

    /// Whether the regime has the 40 % tranche (and so the aid exception).
    pub(crate) fn tranche(&self) -> Option<Decimal> {
        self.threshold.filter(|_| self.reduced_rate.is_some())
    }
}

/// Length of a fiscal year in whole months (12 for a calendar year).
pub(crate) fn months(start: NaiveDate, end: NaiveDate) -> i64 {
    let next = end.succ_opt().unwrap_or(end);
    let mut months = i64::from(next.year() - start.year()) * 12 + i64::from(next.month())
        - i64::from(start.month());
    if next.day() < start.day() {
        months -= 1;
    }
    months
}

/// Whole 12-month periods from `from` (inclusive) to `to` (exclusive).
pub(crate) fn whole_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut months =
        i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months.div_euclid(12)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn whole_years_and_months_between_dates() {
        assert_eq!(whole_years(d("2024-01-01"), d("2025-01-01")), 1);
        assert_eq!(whole_years(d("2024-01-01"), d("2024-12-31")), 0);
        assert_eq!(whole_years(d("2019-01-01"), d("2025-01-01")), 6);
        assert_eq!(months(d("2025-01-01"), d("2025-12-31")), 12);
        assert_eq!(months(d("2025-01-01"), d("2026-06-30")), 18);
    }

    /// One variant per parameter file, each with the date it is read by: closing-date
    /// parameters say `applies_to = "fiscal_year_end"`, the others `date`.
    #[test]
    fn the_typed_parameters_are_the_files_with_their_dates() {
        let p = Parameters::embedded().unwrap();
        let mut named: Vec<&str> = AtClosing::ALL.iter().map(|x| x.name()).collect();
        named.extend(OnDate::ALL.iter().map(|x| x.name()));
        named.sort_unstable();
        let mut files: Vec<&str> = p.iter().map(|x| x.name.as_str()).collect();
        files.sort_unstable();
        assert_eq!(named, files);
        for x in AtClosing::ALL {
            assert_eq!(
                p.get(x.name()).unwrap().applies_to,
                "fiscal_year_end",
                "{}",
                x.name()
            );
        }
        for x in OnDate::ALL {
            assert_eq!(p.get(x.name()).unwrap().applies_to, "date", "{}", x.name());
        }
    }

    /// The regime boundaries (rules-company §2) are the dates of the parameters that carry
    /// each regime's behaviour: the fixed ceiling of 10,000 and then 20,000, the reduced
    /// rate and its threshold, and the salary cap.
    #[test]
    fn regime_boundaries_are_the_dates_of_the_parameters_they_name() {
        let p = Parameters::embedded().unwrap();
        let since = |name: &str| -> Vec<NaiveDate> {
            p.get(name)
                .unwrap()
                .values
                .iter()
                .map(|v| v.since)
                .collect()
        };
        let regimes = since("regime");
        assert_eq!(regimes.len(), 3);
        assert_eq!(since("ceiling_fixed"), regimes[1..].to_vec());
        assert_eq!(since("reduced_rate"), vec![regimes[2]]);
        assert_eq!(since("reduced_rate_threshold"), vec![regimes[2]]);
        assert_eq!(since("salary_cap_multiple"), vec![regimes[2]]);
    }

    /// The regime of a fiscal year is chosen by its closing date (2019-12-30 / 2019-12-31 /
    /// 2020-12-30 / 2020-12-31).
    #[test]
    fn regime_by_closing_date() {
        let p = Parameters::embedded().unwrap();
        let mut law = Law::new(p);
        let regime = |law: &mut Law, end| YearLaw::at(law, Closing::on(d(end)), 1).unwrap();
        assert_eq!(regime(&mut law, "2019-12-30").regime, "pre2019");
        assert_eq!(regime(&mut law, "2019-12-30").fixed_ceiling, Decimal::ZERO);
        assert_eq!(regime(&mut law, "2019-12-31").regime, "2019");
        assert_eq!(
            regime(&mut law, "2019-12-31").fixed_ceiling,
            Decimal::from(10_000)
        );
        assert_eq!(regime(&mut law, "2020-12-30").regime, "2019");
        assert!(regime(&mut law, "2020-12-30").tranche().is_none());
        let y2020 = regime(&mut law, "2020-12-31");
        assert_eq!(y2020.regime, "2020");
        assert_eq!(y2020.fixed_ceiling, Decimal::from(20_000));
        assert_eq!(y2020.tranche(), Some(Decimal::from(2_000_000)));
        assert_eq!(y2020.low_rate(), Decimal::new(40, 2));
    }
}
