//! Aftercare: the weighted share of aftercare services offered (discharge
//! planning, step-down, alumni groups ...), those the patient's situation
//! emphasizes weighing more. Not scored when the source lists no aftercare.

use crate::matching::facts::CriterionFacts;
use crate::matching::query::Query;
use crate::matching::words::Reason;
use crate::program::{Aftercare, NotListed};

/// The weighted share of services offered; `None` when aftercare is not listed.
pub(super) fn score(q: &Query, f: &CriterionFacts) -> Option<f64> {
    if f.not_listed & NotListed::Aftercare.bit() != 0 {
        return None;
    }
    let (mut num, mut den) = (0u32, 0u32);
    for a in Aftercare::ALL {
        let w = q.aftercare_weights[a.index()];
        den += w;
        if f.aftercare & a.bit() != 0 {
            num += w;
        }
    }
    Some(f64::from(num) / f64::from(den))
}

/// The reason: the services offered, missing and emphasized; or that
/// aftercare is not listed.
pub(super) fn reasons(q: &Query, f: &CriterionFacts) -> Vec<Reason> {
    if f.not_listed & NotListed::Aftercare.bit() != 0 {
        return vec![Reason::NotListed {
            part: NotListed::Aftercare,
        }];
    }
    let (offered, missing): (Vec<Aftercare>, Vec<Aftercare>) = Aftercare::ALL
        .iter()
        .partition(|a| f.aftercare & a.bit() != 0);
    let emphasized = Aftercare::ALL
        .iter()
        .copied()
        .filter(|a| q.aftercare_weights[a.index()] > 1)
        .collect();
    vec![Reason::AftercareServices {
        offered,
        missing,
        emphasized,
    }]
}
