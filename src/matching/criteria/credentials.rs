//! Credentials: the weighted share of the query's credential checks the
//! program meets (the staff the patient's needs call for, licensed
//! clinicians, the facility's license and accreditation), leaving out checks
//! on parts the program's source did not list.

use crate::matching::facts::CriterionFacts;
use crate::matching::query::Query;
use crate::matching::words::Reason;
use crate::program::NotListed;

/// The weighted share of checks met (bit `i` of `f.checks_met` is
/// `q.checks[i]`), leaving out checks on parts not listed (staff, facility
/// credentials); not applicable when every check is on a part not listed.
pub(super) fn score(q: &Query, f: &CriterionFacts) -> Option<f64> {
    let (mut num, mut den) = (0u32, 0u32);
    let mut skipped = false;
    for (i, c) in q.checks.iter().enumerate() {
        if f.not_listed & c.set.part().bit() != 0 {
            skipped = true;
            continue;
        }
        let w = c.check.weight();
        den += w;
        if f.checks_met >> i & 1 == 1 {
            num += w;
        }
    }
    match (den, skipped) {
        (0, true) => None,
        (0, false) => Some(1.0),
        _ => Some(f64::from(num) / f64::from(den)),
    }
}

/// The reasons: each scored check, unmet first (they are what a clinician
/// must weigh), then one reason per part not listed that had checks.
pub(super) fn reasons(q: &Query, f: &CriterionFacts) -> Vec<Reason> {
    let mut r: Vec<Reason> = q
        .checks
        .iter()
        .enumerate()
        .filter(|(_, c)| f.not_listed & c.set.part().bit() == 0)
        .map(|(i, c)| Reason::Credential {
            check: c.check.clone(),
            met: f.checks_met >> i & 1 == 1,
        })
        .collect();
    r.sort_by_key(|r| matches!(r, Reason::Credential { met: true, .. }));
    // Checks on a part not listed are not scored: one reason per part.
    for part in [NotListed::Staff, NotListed::FacilityCredentials] {
        if f.not_listed & part.bit() != 0 && q.checks.iter().any(|c| c.set.part() == part) {
            r.push(Reason::NotListed { part });
        }
    }
    r
}
