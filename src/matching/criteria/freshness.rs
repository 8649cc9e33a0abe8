//! Freshness: how recently the listing was verified, by band
//! ([`FreshnessBand`]: within 6 months, 6-12 months, over a year).

use crate::matching::facts::CriterionFacts;
use crate::matching::query::Query;
use crate::matching::words::{FreshnessBand, Reason};
use crate::program::{NotListed, Program};

/// Score per band: recent, 6-12 months, over a year.
const SCORES: [f64; 3] = [1.0, 0.6, 0.25];

/// Whether the verification date is not listed (not scored, as every part not listed).
fn not_listed(f: &CriterionFacts) -> bool {
    f.not_listed & NotListed::LastVerified.bit() != 0
}

/// The band's score; not scored when the date is not listed. A listing
/// verified after `as_of` (possible when the ranking's `as_of` is earlier
/// than the directory's) counts as verified that day.
pub(super) fn score(_q: &Query, f: &CriterionFacts) -> Option<f64> {
    if not_listed(f) {
        return None;
    }
    Some(SCORES[FreshnessBand::of_days(f.days_since_verified.max(0)).index()])
}

/// The reason: the verification date (from `p`), days ago and band; or
/// that the date is not listed.
pub(super) fn reasons(_q: &Query, f: &CriterionFacts, p: &Program) -> Vec<Reason> {
    if not_listed(f) {
        return vec![Reason::NotListed {
            part: NotListed::LastVerified,
        }];
    }
    let days_ago = f.days_since_verified.max(0);
    vec![Reason::Verified {
        date: p.last_verified,
        days_ago,
        band: FreshnessBand::of_days(days_ago),
    }]
}
