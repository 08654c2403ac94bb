//! The law as the computation reads it: parameter look-ups that remember what they used (the
//! report's `references`) and the warnings they raised (a date past a parameter's known
//! period), and the law in force in each fiscal year, resolved once ([`YearLaw`]).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, Location};
use crate::params::{as_decimal, ParamValue, Parameters};
use crate::report::Reference;
use crate::scenario::FiscalYear;

/// Parameter look-ups that remember what they used (for the report's references).
pub(crate) struct Law<'p> {
    params: &'p Parameters,
    used: BTreeSet<(&'static str, usize)>,
    pub(crate) warnings: BTreeSet<String>,
}

impl<'p> Law<'p> {
    pub(crate) fn new(params: &'p Parameters) -> Self {
        Law {
            params,
            used: BTreeSet::new(),
            warnings: BTreeSet::new(),
        }
    }

    /// The parameters themselves (for look-ups that are not a date's value).
    pub(crate) fn params(&self) -> &'p Parameters {
        self.params
    }

    pub(crate) fn value(
        &mut self,
        name: &'static str,
        date: NaiveDate,
    ) -> Result<Option<&'p ParamValue>, Error> {
        let p = self.params.get(name)?;
        let Some(i) = p.index_at(date) else {
            return Ok(None);
        };
        self.used.insert((name, i));
        if p.extrapolated(date) {
            self.warnings.insert(format!(
                "{name}: no value is known for {date} (known until {}); the last value, {} since {}, was used",
                p.known_until.map_or_else(String::new, |d| d.to_string()),
                p.values[i].value,
                p.values[i].since
            ));
        }
        Ok(Some(&p.values[i].value))
    }

    /// A decimal parameter, `None` when not in force on `date`.
    pub(crate) fn dec(
        &mut self,
        name: &'static str,
        date: NaiveDate,
    ) -> Result<Option<Decimal>, Error> {
        self.value(name, date)?
            .map(|v| as_decimal(name, v))
            .transpose()
    }

    /// A decimal parameter that must be in force.
    pub(crate) fn req(&mut self, name: &'static str, date: NaiveDate) -> Result<Decimal, Error> {
        self.dec(name, date)?.ok_or_else(|| {
            Error::scenario(
                Location { value: Some(date.to_string()), ..Location::default() },
                format!("the legal parameter {name} is not known on {date} (the library covers dates from its first value on)"),
            )
        })
    }

    /// A parameter that counts fiscal years, as a whole number.
    pub(crate) fn whole_years(
        &mut self,
        name: &'static str,
        date: NaiveDate,
    ) -> Result<usize, Error> {
        let v = self.req(name, date)?;
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
                });
            }
        }
        out
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
    /// Looks up the law of a fiscal year (recorded in `law`'s references).
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] when no regime is known for the closing date, or a required
    /// parameter is not in force.
    pub(crate) fn of(law: &mut Law, fy: &FiscalYear) -> Result<YearLaw, Error> {
        let regime = match law.value("regime", fy.end)? {
            Some(v) => v.to_string(),
            None => {
                return Err(Error::scenario(
                    Location {
                        table: Some("fiscal_years".into()),
                        row: Some(fy.row),
                        key: Some("end".into()),
                        value: Some(fy.end.to_string()),
                        cell: None,
                    },
                    format!(
                        "no ceiling regime is known for a fiscal year closed on {}",
                        fy.end
                    ),
                ))
            }
        };
        let fixed_ceiling = law.dec("ceiling_fixed", fy.end)?.unwrap_or(Decimal::ZERO);
        let turnover_rate = law.req("ceiling_turnover_rate", fy.end)?;
        let rate = law.req("reduction_rate", fy.end)?;
        let reduced_rate = law.dec("reduced_rate", fy.end)?;
        let threshold = law.dec("reduced_rate_threshold", fy.end)?;
        let counterparts_tolerance = law.req("counterparts_tolerance", fy.end)?;
        let declaration_threshold = law.dec("declaration_threshold", fy.end)?;
        let salary_cap_multiple = law.dec("salary_cap_multiple", fy.end)?;
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
        let fy = |end: &str| FiscalYear {
            row: 1,
            company: "C1".into(),
            start: d(end) - chrono::Days::new(364),
            end: d(end),
            turnover: Decimal::from(1_000_000),
            tax_due: None,
            label: "x".into(),
        };
        let regime = |law: &mut Law, end| YearLaw::of(law, &fy(end)).unwrap();
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
