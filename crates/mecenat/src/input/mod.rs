//! The input (scenario-format.md): the tables and their columns ([`schema`]), the raw
//! tables of every face read against it ([`raw`]), the one reading of numbers and dates
//! written as text ([`cells`]), the typed, validated scenario ([`scenario`]) with its `law`
//! table read against the law book (`law_table`), the identity checks ([`identity`]), the
//! plausibility warnings ([`plausibility`]), the string ids resolved into indexes once
//! (`resolve`) and the closing dates the law is read at (`closing`). The input reads the
//! law's parameters; the law names nothing of the input.

pub mod cells;
pub(crate) mod closing;
pub mod identity;
pub(crate) mod law_table;
pub mod plausibility;
pub mod raw;
pub(crate) mod resolve;
pub mod scenario;
pub mod schema;
