//! # mecenat
//!
//! The arithmetic of French skills sponsorship (mécénat de compétences), to the cent, with
//! every figure traceable to the law: consultants' time valued at cost price (salary +
//! employer charges, capped at 3 × PASS), the art. 238 bis CGI tax reduction (60 %, 40 %
//! above 2 M€, within max(20,000 €; 0.5 % of turnover), excess carried five years), the
//! imputation on corporate tax, receipts, declarations, and for the beneficiary,
//! contributions in kind and impact.
//!
//! Money is [`rust_decimal::Decimal`], never a float; legal numbers live in dated parameter
//! files ([`params`]); every input row is used or rejected with its reason.
//!
//! The modules follow the spec and data flows one way: the input ([`input`]: the tables'
//! schema, raw tables, text cells, the typed scenario and its `law` table, identity,
//! plausibility, resolved ids) → the law (`law`: the parameter files, the look-ups and their trace, the law of
//! each fiscal year) → the company side (`company`) → its documents (`documents`) ∥ the
//! association side ([`association`]) → the [`report`]; `pipeline` orders the stages.
//! [`schema`], [`scenario`], [`raw`], [`cells`], [`identity`], [`plausibility`],
//! [`params`] and [`words`] keep their paths at the crate's root.
//!
//! # Examples
//!
//! ```
//! let scenario = mecenat::Scenario::from_json(r#"{
//!   "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
//!   "fiscal_years": [{"company": "C1", "start": "2024-01-01", "end": "2024-12-31", "turnover": "5500000"}],
//!   "beneficiaries": [{"id": "A1", "name": "Association Exemple"}],
//!   "donations": [{"company": "C1", "beneficiary": "A1", "date": "2024-03-01", "amount": "46000"}]
//! }"#)?;
//! let report = mecenat::compute(&scenario, &mecenat::Options::default())?;
//! let fy = &report.fiscal_years[0];
//! assert_eq!(fy.ceiling.0.to_string(), "27500.00");
//! assert_eq!(fy.reduction.0.to_string(), "16500.00");
//! assert_eq!(fy.excess.0.to_string(), "18500.00");
//! # Ok::<(), mecenat::Error>(())
//! ```

/// With the `phase-timings` feature (benchmarks), prints on stderr the seconds since `$t0`
/// and the phase just ended; without it, nothing.
macro_rules! phase {
    ($t0:expr, $what:expr) => {{
        #[cfg(feature = "phase-timings")]
        eprintln!("{:>8.3} s  {}", $t0.elapsed().as_secs_f64(), $what);
        #[cfg(not(feature = "phase-timings"))]
        let _ = &$t0;
    }};
}

// The module tree (see the crate's doc): a module names only modules before it in the flow
// input → law → company → documents ∥ association → report (the law names nothing of the
// input or the report); `pipeline` orders the stages, `par` runs them on both cores; `fr`,
// `money`, `bounds` (the technical bounds, read by the input, the law and the company side),
// `error` and `fsio` are leaves.
pub mod association;
pub mod bounds;
mod company;
mod documents;
pub mod error;
pub mod fr;
pub mod fsio;
pub mod golden;
pub mod input;
mod law;
pub mod money;
mod par;
mod pipeline;
pub mod report;

// The input's, the law's and the French modules under their paths at the crate's root.
pub use fr::words;
pub use input::{cells, identity, plausibility, raw, scenario, schema};
pub use law::params;

/// The association side's public items under their former path.
pub use association as assoc;
pub use error::{Error, Location};
pub use pipeline::{compute, compute_with, Options};
pub use raw::{JsonLimits, RawRow, RawScenario, RawTable, RawValue, SheetInfo};
pub use report::Report;
pub use scenario::{CapMethod, Rejection, Scenario};

/// Reads a scenario file (`.json`) and validates it, within the default [`JsonLimits`].
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read, then as [`Scenario::from_json`].
pub fn read_json_file(path: &std::path::Path) -> Result<Scenario, Error> {
    read_json_file_with(path, &JsonLimits::default())
}

/// Reads a scenario file (`.json`) within `limits` and validates it: the file is read with
/// a bounded read (a pipe or a device too), then as [`RawScenario::from_json_slice_with`].
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read or is larger than the limit, then as
/// [`RawScenario::from_json_slice_with`] and [`Scenario::from_raw`].
pub fn read_json_file_with(path: &std::path::Path, limits: &JsonLimits) -> Result<Scenario, Error> {
    let bytes = raw::read_json_bytes(path, limits)?;
    let raw = RawScenario::from_json_slice_with(&bytes, limits)?;
    // The text is no longer needed: free it before the typed tables are built.
    drop(bytes);
    Scenario::from_raw(&raw)
}
