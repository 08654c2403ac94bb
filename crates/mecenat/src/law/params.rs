//! Legal parameters as dated data.
//!
//! Every legal number the library uses (PASS, PMSS, rates, ceilings, thresholds, regime
//! dates, SMIC …) lives in one TOML file per parameter under `crates/mecenat/params/`,
//! in the spirit of OpenFisca: a description, a unit, a `last_checked` date and a list of
//! dated values, each with its legal reference. The files are embedded in the crate and
//! validated when loaded: unknown keys, unsorted or duplicate dates, a value without a
//! reference or a value that does not parse are errors.
//!
//! A value applies from its `since` date until the next one. Every file says how long its
//! values are known: `known_until` (a date after it still gets the last value, and the
//! report warns that the value was extrapolated), or `until_amended = true` for a value the
//! law states without an end (a rate of the CGI holds until a finance act changes it).
//!
//! A scenario may add or replace dated values through its `law` table
//! ([`Parameters::read_law_table`], which the input defines, and
//! [`Parameters::with_supplied`]): such a value carries the row that supplied it, which the
//! report's references show.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::{Error, Location};

/// The embedded parameter files: `(name, TOML text)`.
const FILES: &[(&str, &str)] = &[
    ("pass", include_str!("../../params/pass.toml")),
    ("pmss", include_str!("../../params/pmss.toml")),
    (
        "salary_cap_multiple",
        include_str!("../../params/salary_cap_multiple.toml"),
    ),
    (
        "ceiling_fixed",
        include_str!("../../params/ceiling_fixed.toml"),
    ),
    (
        "ceiling_turnover_rate",
        include_str!("../../params/ceiling_turnover_rate.toml"),
    ),
    ("regime", include_str!("../../params/regime.toml")),
    (
        "reduction_rate",
        include_str!("../../params/reduction_rate.toml"),
    ),
    (
        "reduced_rate",
        include_str!("../../params/reduced_rate.toml"),
    ),
    (
        "reduced_rate_threshold",
        include_str!("../../params/reduced_rate_threshold.toml"),
    ),
    (
        "donations_carry_years",
        include_str!("../../params/donations_carry_years.toml"),
    ),
    (
        "reduction_carry_years",
        include_str!("../../params/reduction_carry_years.toml"),
    ),
    (
        "declaration_threshold",
        include_str!("../../params/declaration_threshold.toml"),
    ),
    (
        "counterparts_tolerance",
        include_str!("../../params/counterparts_tolerance.toml"),
    ),
    (
        "hours_per_day",
        include_str!("../../params/hours_per_day.toml"),
    ),
    ("fte_hours", include_str!("../../params/fte_hours.toml")),
    ("smic_hourly", include_str!("../../params/smic_hourly.toml")),
    (
        "staff_loan_max_years",
        include_str!("../../params/staff_loan_max_years.toml"),
    ),
];

/// The value of a parameter: a decimal (amounts, rates, counts) or a text label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A number: money, rate, count.
    Decimal(Decimal),
    /// A label, such as a regime name.
    Text(String),
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Decimal(d) => write!(f, "{d}"),
            ParamValue::Text(t) => f.write_str(t),
        }
    }
}

/// One dated value of a parameter, with its legal reference.
#[derive(Debug, Clone)]
pub struct DatedValue {
    /// First day the value applies.
    pub since: NaiveDate,
    /// The value.
    pub value: ParamValue,
    /// The legal reference (text, article, decree) it comes from.
    pub reference: String,
    /// The row of the scenario's `law` table that supplied it (`None`: embedded).
    pub supplied_by: Option<usize>,
}

/// A legal parameter: its description and dated values, sorted by date.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// File name without extension, e.g. `pass`.
    pub name: String,
    /// What the parameter is.
    pub description: String,
    /// What the parameter is, in French (the Excel report's Sources sheet): every embedded
    /// parameter has one.
    pub description_fr: Option<String>,
    /// Unit of the values.
    pub unit: String,
    /// Date the values were last checked against their sources.
    pub last_checked: NaiveDate,
    /// Last date the values are known for; later dates reuse the last value with a warning.
    pub known_until: Option<NaiveDate>,
    /// The values hold until the law is amended (no known end): `known_until` is then absent.
    pub until_amended: bool,
    /// What kind of value it holds: `decimal` or `text`.
    pub kind: String,
    /// What date the parameter is looked up by (`date` or `fiscal_year_end`).
    pub applies_to: String,
    /// The values, strictly increasing by `since`.
    pub values: Vec<DatedValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileValue {
    since: toml::value::Datetime,
    value: String,
    reference: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    description: String,
    description_fr: Option<String>,
    unit: String,
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default = "default_applies_to")]
    applies_to: String,
    last_checked: toml::value::Datetime,
    known_until: Option<toml::value::Datetime>,
    #[serde(default)]
    until_amended: bool,
    values: Vec<FileValue>,
}

fn default_kind() -> String {
    "decimal".into()
}
fn default_applies_to() -> String {
    "date".into()
}

fn toml_date(name: &str, what: &str, d: &toml::value::Datetime) -> Result<NaiveDate, Error> {
    let bad = || Error::Parameter {
        parameter: name.to_string(),
        message: format!("{what} must be a plain date (YYYY-MM-DD), found {d}"),
    };
    if d.time.is_some() || d.offset.is_some() {
        return Err(bad());
    }
    let date = d.date.ok_or_else(bad)?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
    .ok_or_else(bad)
}

impl Parameter {
    /// Parses and validates one parameter file.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`] when the TOML is malformed, has unknown keys, its dates are not
    /// strictly increasing, a value has no reference or does not parse for its kind.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = mecenat::params::Parameter::parse("x", r#"
    /// description = "An example"
    /// unit = "EUR"
    /// last_checked = 2026-11-30
    /// until_amended = true
    /// [[values]]
    /// since = 2025-01-01
    /// value = "10"
    /// reference = "Somewhere"
    /// "#).unwrap();
    /// assert_eq!(p.values.len(), 1);
    /// ```
    pub fn parse(name: &str, text: &str) -> Result<Parameter, Error> {
        let err = |message: String| Error::Parameter {
            parameter: name.to_string(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        if file.description.trim().is_empty() {
            return Err(err("empty description".into()));
        }
        if file
            .description_fr
            .as_ref()
            .is_some_and(|d| d.trim().is_empty())
        {
            return Err(err("empty description_fr".into()));
        }
        if file.values.is_empty() {
            return Err(err("no values".into()));
        }
        if !matches!(file.applies_to.as_str(), "date" | "fiscal_year_end") {
            return Err(err(format!("unknown applies_to {:?}", file.applies_to)));
        }
        let mut values: Vec<DatedValue> = Vec::with_capacity(file.values.len());
        for v in &file.values {
            let since = toml_date(name, "since", &v.since)?;
            if let Some(prev) = values.last() {
                if since <= prev.since {
                    return Err(err(format!(
                        "dates must be strictly increasing: {since} comes after {}",
                        prev.since
                    )));
                }
            }
            if v.reference.trim().is_empty() {
                return Err(err(format!("the value since {since} has no reference")));
            }
            let value = match file.kind.as_str() {
                "decimal" => ParamValue::Decimal(
                    decimal_text(&v.value)
                        .ok_or_else(|| {
                            err(format!(
                                "value {:?} since {since} is not a decimal",
                                v.value
                            ))
                        })
                        .and_then(|d| {
                            check_decimal(&file.unit, d)
                                .map(|()| d)
                                .map_err(|m| err(format!("value {d} since {since}: {m}")))
                        })?,
                ),
                "text" => ParamValue::Text(v.value.clone()),
                other => return Err(err(format!("unknown kind {other:?}"))),
            };
            values.push(DatedValue {
                since,
                value,
                reference: v.reference.clone(),
                supplied_by: None,
            });
        }
        let known_until = file
            .known_until
            .as_ref()
            .map(|d| toml_date(name, "known_until", d))
            .transpose()?;
        match (known_until, file.until_amended) {
            (Some(_), true) => {
                return Err(err(
                    "known_until and until_amended = true exclude each other".into(),
                ))
            }
            (None, false) => return Err(err(
                "say how long the values are known: known_until = DATE, or until_amended = true"
                    .into(),
            )),
            _ => {}
        }
        Ok(Parameter {
            name: name.to_string(),
            description: file.description,
            description_fr: file.description_fr,
            unit: file.unit,
            last_checked: toml_date(name, "last_checked", &file.last_checked)?,
            known_until,
            until_amended: file.until_amended,
            kind: file.kind,
            applies_to: file.applies_to,
            values,
        })
    }

    /// Index of the value in force on `date`, or `None` before the first value.
    pub fn index_at(&self, date: NaiveDate) -> Option<usize> {
        match self.values.partition_point(|v| v.since <= date) {
            0 => None,
            n => Some(n - 1),
        }
    }

    /// The value in force on `date`, or `None` when the parameter is not yet in force.
    pub fn at(&self, date: NaiveDate) -> Option<&DatedValue> {
        self.index_at(date).map(|i| &self.values[i])
    }

    /// Whether `date` is past the last date the values are known for.
    pub fn extrapolated(&self, date: NaiveDate) -> bool {
        self.known_until.is_some_and(|k| date > k)
    }
}

/// All legal parameters, by name.
#[derive(Debug, Clone)]
pub struct Parameters {
    by_name: BTreeMap<String, Parameter>,
}

impl Parameters {
    /// Loads and validates the embedded parameter files.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`] naming the first invalid file (see [`Parameter::parse`]).
    pub fn load_embedded() -> Result<Parameters, Error> {
        let mut by_name = BTreeMap::new();
        for (name, text) in FILES {
            by_name.insert((*name).to_string(), Parameter::parse(name, text)?);
        }
        Ok(Parameters { by_name })
    }

    /// The embedded parameters, loaded and validated once per process.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`] if an embedded file is invalid (a build defect, caught by tests).
    pub fn embedded() -> Result<&'static Parameters, Error> {
        static CELL: OnceLock<Result<Parameters, Error>> = OnceLock::new();
        CELL.get_or_init(Parameters::load_embedded)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A parameter by name.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`] when no parameter has that name.
    pub fn get(&self, name: &str) -> Result<&Parameter, Error> {
        self.by_name.get(name).ok_or_else(|| Error::Parameter {
            parameter: name.to_string(),
            message: "no such parameter".into(),
        })
    }

    /// All parameters, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.by_name.values()
    }
}

/// Parses a decimal from a parameter value, for callers that know its kind.
pub(crate) fn as_decimal(name: &str, v: &ParamValue) -> Result<Decimal, Error> {
    match v {
        ParamValue::Decimal(d) => Ok(*d),
        ParamValue::Text(t) => Decimal::from_str(t).map_err(|_| Error::Parameter {
            parameter: name.to_string(),
            message: format!("expected a decimal, found {t:?}"),
        }),
    }
}

/// A decimal written as plain digits with at most one point (`"48060"`, `"0.60"`): no sign,
/// exponent, underscore or spaces.
pub(crate) fn decimal_text(t: &str) -> Option<Decimal> {
    let t = t.trim();
    let plain = t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().filter(|b| *b == b'.').count() <= 1;
    plain.then(|| Decimal::from_str_exact(t).ok()).flatten()
}

/// The checks every decimal value passes, embedded or supplied: positive and at most the
/// bound of amounts (10^15); a ratio at most 1; a count of years whole.
pub(crate) fn check_decimal(unit: &str, d: Decimal) -> Result<(), String> {
    if d <= Decimal::ZERO {
        return Err("a legal value must be positive".into());
    }
    if d > crate::bounds::MAX_AMOUNT {
        return Err(format!(
            "a legal value is at most {}",
            crate::bounds::show(crate::bounds::MAX_AMOUNT)
        ));
    }
    if unit == "ratio" && d > Decimal::ONE {
        return Err("a ratio is at most 1 (write 0.60 for 60 %)".into());
    }
    if unit.ends_with("years") && !d.fract().is_zero() {
        return Err(format!("a number of {unit} is whole"));
    }
    Ok(())
}

/// How many days before the end of its known period a parameter is flagged as ending soon
/// (a product setting, not a legal number).
pub const FRESHNESS_DAYS: i64 = 31;

/// Whether a parameter's values are known far enough ahead, on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The law states the value without an end: it holds until amended.
    UntilAmended,
    /// Known until that date, more than [`FRESHNESS_DAYS`] days ahead.
    Known(NaiveDate),
    /// Known until that date, within [`FRESHNESS_DAYS`] days (the days left, 0 on the day).
    EndsSoon(NaiveDate, i64),
    /// The known period ended on that date, that many days ago.
    Ended(NaiveDate, i64),
}

impl Freshness {
    /// Whether the parameter needs attention (its known period ends soon or has ended).
    pub fn flagged(self) -> bool {
        matches!(self, Freshness::EndsSoon(..) | Freshness::Ended(..))
    }

    /// A stable code: `until_amended`, `known`, `ends_soon`, `ended`.
    pub fn code(self) -> &'static str {
        match self {
            Freshness::UntilAmended => "until_amended",
            Freshness::Known(_) => "known",
            Freshness::EndsSoon(..) => "ends_soon",
            Freshness::Ended(..) => "ended",
        }
    }
}

impl Parameter {
    /// The last dated value (the one later dates get).
    pub fn last(&self) -> &DatedValue {
        // Never empty: a file without values is refused by `parse`.
        &self.values[self.values.len() - 1]
    }

    /// The freshness of the values on `today`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use mecenat::params::{Freshness, Parameters};
    /// let p = Parameters::embedded().unwrap();
    /// let pass = p.get("pass").unwrap();
    /// let until = pass.known_until.unwrap();
    /// assert_eq!(pass.freshness(until), Freshness::EndsSoon(until, 0));
    /// assert!(pass.freshness(until.succ_opt().unwrap()).flagged());
    /// assert_eq!(p.get("reduction_rate").unwrap().freshness(until), Freshness::UntilAmended);
    /// ```
    pub fn freshness(&self, today: NaiveDate) -> Freshness {
        match self.known_until {
            None => Freshness::UntilAmended,
            Some(k) if k < today => Freshness::Ended(k, (today - k).num_days()),
            Some(k) if (k - today).num_days() <= FRESHNESS_DAYS => {
                Freshness::EndsSoon(k, (k - today).num_days())
            }
            Some(k) => Freshness::Known(k),
        }
    }
}

/// A dated legal value the scenario supplies (a row of its `law` table), checked against the
/// embedded parameter it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppliedValue {
    /// 1-based row in the `law` table.
    pub row: usize,
    /// The embedded parameter it adds a value to.
    pub parameter: String,
    /// First day it applies.
    pub since: NaiveDate,
    /// The value, of the parameter's kind.
    pub value: ParamValue,
    /// The legal text it comes from.
    pub reference: String,
}

impl Parameters {
    /// These parameters with the supplied values merged in: a value dated like an embedded
    /// one replaces it, another is added in date order. A supplied value past the known
    /// period extends it to the day before the same date a year later (a value is taken as
    /// known for one year unless a later one follows).
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] for a value naming no parameter (read the rows with
    /// [`Parameters::read_law_table`], which refuses it first).
    pub fn with_supplied(&self, supplied: &[SuppliedValue]) -> Result<Parameters, Error> {
        let mut out = self.clone();
        for v in supplied {
            let Some(p) = out.by_name.get_mut(&v.parameter) else {
                return Err(Error::scenario(
                    Location {
                        table: Some("law".into()),
                        row: Some(v.row),
                        key: Some("parameter".into()),
                        value: Some(v.parameter.clone()),
                        cell: None,
                    },
                    format!("unknown legal parameter {:?}", v.parameter),
                ));
            };
            let dv = DatedValue {
                since: v.since,
                value: v.value.clone(),
                reference: v.reference.clone(),
                supplied_by: Some(v.row),
            };
            match p.values.binary_search_by_key(&v.since, |x| x.since) {
                Ok(i) => p.values[i] = dv,
                Err(i) => p.values.insert(i, dv),
            }
            let end = v
                .since
                .checked_add_months(chrono::Months::new(12))
                .and_then(|d| d.pred_opt());
            if let (Some(k), Some(e)) = (p.known_until, end) {
                p.known_until = Some(k.max(e));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn embedded_files_load_and_pass_matches_spec() {
        let p = Parameters::load_embedded().unwrap();
        let pass = p.get("pass").unwrap();
        let v = |s| pass.at(d(s)).unwrap().value.to_string();
        assert_eq!(v("2019-06-01"), "40524");
        assert_eq!(v("2022-12-31"), "41136");
        assert_eq!(v("2025-01-01"), "47100");
        assert_eq!(v("2026-03-02"), "48060");
        assert!(pass.at(d("2018-12-31")).is_none());
        assert!(pass.extrapolated(d("2027-01-01")));
        assert!(!pass.extrapolated(d("2026-12-31")));
        // PASS = 12 x PMSS for every year given.
        let pmss = p.get("pmss").unwrap();
        for y in 2019..=2026 {
            let day = NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
            let a = as_decimal("pass", &pass.at(day).unwrap().value).unwrap();
            let m = as_decimal("pmss", &pmss.at(day).unwrap().value).unwrap();
            assert_eq!(a, m * Decimal::from(12), "year {y}");
        }
        let smic = p.get("smic_hourly").unwrap();
        assert_eq!(smic.at(d("2026-05-31")).unwrap().value.to_string(), "12.02");
        assert_eq!(smic.at(d("2026-06-01")).unwrap().value.to_string(), "12.31");
        let regime = p.get("regime").unwrap();
        assert_eq!(
            regime.at(d("2019-12-30")).unwrap().value.to_string(),
            "pre2019"
        );
        assert_eq!(
            regime.at(d("2020-12-30")).unwrap().value.to_string(),
            "2019"
        );
        assert_eq!(
            regime.at(d("2020-12-31")).unwrap().value.to_string(),
            "2020"
        );
    }

    #[test]
    fn every_embedded_parameter_says_what_it_is_in_french() {
        let p = Parameters::load_embedded().unwrap();
        for param in p.iter() {
            let fr = param.description_fr.as_deref().unwrap_or_default();
            assert!(
                !fr.trim().is_empty(),
                "{} has no description_fr",
                param.name
            );
        }
        let pass = p.get("pass").unwrap();
        assert_eq!(
            pass.description_fr.as_deref(),
            Some("Plafond annuel de la sécurité sociale (PASS), pour le plafonnement du coût salarial (art. 238 bis 1 CGI)")
        );
        let t = format!("{OK}description_fr = \" \"\n[[values]]\nsince = 2025-01-01\nvalue = \"1\"\nreference = \"r\"\n");
        let e = Parameter::parse("x", &t).unwrap_err().to_string();
        assert!(e.contains("empty description_fr"), "{e}");
    }

    const OK: &str =
        "description = \"x\"\nunit = \"EUR\"\nlast_checked = 2026-11-30\nuntil_amended = true\n";

    #[test]
    fn unknown_key_is_refused() {
        let t = format!("{OK}colour = \"red\"\n[[values]]\nsince = 2025-01-01\nvalue = \"1\"\nreference = \"r\"\n");
        let e = Parameter::parse("x", &t).unwrap_err().to_string();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn unsorted_or_duplicate_dates_are_refused() {
        for (a, b) in [("2025-01-01", "2024-01-01"), ("2025-01-01", "2025-01-01")] {
            let t = format!("{OK}[[values]]\nsince = {a}\nvalue = \"1\"\nreference = \"r\"\n[[values]]\nsince = {b}\nvalue = \"2\"\nreference = \"r\"\n");
            let e = Parameter::parse("x", &t).unwrap_err().to_string();
            assert!(e.contains("strictly increasing"), "{e}");
        }
    }

    #[test]
    fn value_without_reference_or_not_decimal_is_refused() {
        let t = format!("{OK}[[values]]\nsince = 2025-01-01\nvalue = \"1\"\nreference = \" \"\n");
        assert!(Parameter::parse("x", &t)
            .unwrap_err()
            .to_string()
            .contains("no reference"));
        let t = format!("{OK}[[values]]\nsince = 2025-01-01\nvalue = \"abc\"\nreference = \"r\"\n");
        assert!(Parameter::parse("x", &t)
            .unwrap_err()
            .to_string()
            .contains("not a decimal"));
        let t = format!("{OK}[[values]]\nsince = 2025-01-01\nvalue = \"1\"\n");
        assert!(Parameter::parse("x", &t).is_err());
    }
}
