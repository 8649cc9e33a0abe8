//! Wait: typical days to intake, one half at [`HALF_DAYS`]; a program not
//! accepting new patients scores 0.

use crate::matching::facts::CriterionFacts;
use crate::matching::query::Query;
use crate::matching::words::Reason;
use crate::program::NotListed;

/// Days of wait at which the wait score is one half.
const HALF_DAYS: f64 = 14.0;

/// 0 when not accepting; otherwise `1 / (1 + days / 14)` (one half at 14
/// days, one third at 28); not applicable when unknown.
pub(super) fn score(_q: &Query, f: &CriterionFacts) -> Option<f64> {
    if !f.accepting {
        return Some(0.0);
    }
    f.wait_days.map(|d| 1.0 / (1.0 + f64::from(d) / HALF_DAYS))
}

/// The reasons: the new-patient status not listed (when it is not), then
/// not accepting, the days, or the wait unknown.
pub(super) fn reasons(_q: &Query, f: &CriterionFacts) -> Vec<Reason> {
    let mut r = Vec::new();
    if f.not_listed & NotListed::AcceptingNewPatients.bit() != 0 {
        r.push(Reason::NotListed {
            part: NotListed::AcceptingNewPatients,
        });
    }
    r.push(match (f.accepting, f.wait_days) {
        (false, _) => Reason::NotAcceptingNewPatients,
        (true, Some(days)) => Reason::WaitDays { days },
        (true, None) => Reason::WaitUnknown,
    });
    r
}
