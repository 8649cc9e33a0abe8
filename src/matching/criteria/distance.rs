//! Distance: straight-line miles to the patient, halving every
//! [`HALF_MILES`]; fully remote telehealth the patient accepts (licensed
//! where the patient is) needs no travel.

use crate::matching::facts::CriterionFacts;
use crate::matching::query::Query;
use crate::matching::words::Reason;
use crate::program::{NotListed, Program};

/// Miles at which the distance score halves.
const HALF_MILES: f64 = 15.0;

/// 1 for accepted telehealth; otherwise `0.5^(miles / 15)`; not applicable
/// without the patient's location.
pub(super) fn score(_q: &Query, f: &CriterionFacts) -> Option<f64> {
    if f.remote {
        return Some(1.0);
    }
    f.miles.map(|m| 0.5f64.powf(m / HALF_MILES))
}

/// The reasons: no travel by telehealth, the miles (about, from the ZIP
/// code's centre, when that is all `p`'s source gave), the program's
/// location not listed, or the patient's location not given; and
/// telehealth not licensed where the patient is.
pub(super) fn reasons(q: &Query, f: &CriterionFacts, p: &Program) -> Vec<Reason> {
    let mut r = vec![match (f.remote, f.miles) {
        (true, miles) => Reason::TelehealthNoTravel { miles },
        (false, Some(miles)) if !p.location.precision.is_as_listed() => {
            Reason::ApproximateDistance { miles }
        }
        (false, Some(miles)) => Reason::Distance { miles },
        (false, None) if f.not_listed & NotListed::Location.bit() != 0 => Reason::NotListed {
            part: NotListed::Location,
        },
        (false, None) => Reason::DistanceUnknown,
    }];
    if let (true, Some(state)) = (f.telehealth_unlicensed, q.needs.state.as_ref()) {
        r.push(Reason::TelehealthNotLicensed {
            state: state.clone(),
        });
    }
    r
}
