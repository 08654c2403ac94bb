//! The closing dates of the input's periods, the only dates a closing-date parameter is
//! read at ([`Closing`], of the law): a fiscal year's end, the end of the fiscal year an
//! opening balance comes from, a scenario's last closing.

use super::resolve::World;
use super::scenario::{CarryForward, FiscalYear};
use crate::law::Closing;

impl Closing {
    /// The closing date of a fiscal year.
    pub(crate) fn of(fy: &FiscalYear) -> Closing {
        Closing::on(fy.end)
    }

    /// The closing date of the fiscal year an opening balance comes from.
    pub(crate) fn origin(cf: &CarryForward) -> Closing {
        Closing::on(cf.origin_end)
    }

    /// The last closing date of a scenario (the date of the defaults' look-ups).
    pub(crate) fn last(w: &World) -> Closing {
        Closing::on(w.last_day())
    }
}
