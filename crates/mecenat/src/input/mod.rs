//! The input: raw tables as read ([`raw`]), the text cells every face reads alike
//! ([`cells`]), the typed scenario with its closed lists and rejections ([`scenario`]), the
//! bounds of its values ([`bounds`]), the identity numbers' checks ([`identity`]), the
//! plausibility warnings ([`plausibility`]), and the resolved world of typed ids
//! (`resolve`), where every referential rejection happens.

pub mod bounds;
pub mod cells;
pub mod identity;
pub mod plausibility;
pub mod raw;
pub(crate) mod resolve;
pub mod scenario;
