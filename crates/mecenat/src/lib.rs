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

// The module tree follows the spec: the law (parameters and the trace of their use), the
// input (raw tables, typed scenario, resolved ids), the company side, its documents, the
// association side, the report; the pipeline orders the stages.
pub mod association;
pub mod bounds;
pub mod cells;
mod company;
mod documents;
pub mod error;
pub mod fr;
pub mod fsio;
pub mod golden;
pub mod identity;
mod law;
pub mod money;
mod par;
pub mod params;
mod pipeline;
pub mod plausibility;
pub mod raw;
pub mod report;
mod resolve;
pub mod scenario;
pub mod schema;
mod staff_loans;
pub mod words;

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
