//! The criteria, one file each: a criterion's score and its reasons side by
//! side, both pure functions of the same [`CriterionFacts`] (as tantivy
//! keeps a scorer's `score` and `explain` together), so a reason can never
//! say what the score did not use.
//!
//! The plain path and the compiled index produce the same facts by different
//! means ([`crate::matching::facts`]); nothing here reads a program's rows.
//! Sub-weights inside a criterion are scoring parameters, documented in its
//! file; clinical thresholds (IOP hours, evidence rows) come from data.
//!
//! | criterion | file |
//! | --- | --- |
//! | therapy fit | `therapy.rs` |
//! | credentials | `credentials.rs` |
//! | schedule flexibility | `schedule.rs` |
//! | aftercare | `aftercare.rs` |
//! | distance | `distance.rs` |
//! | wait | `wait.rs` |
//! | freshness | `freshness.rs` |

use crate::matching::criterion::{Criterion, PerCriterion};
use crate::matching::facts::CriterionFacts;
use crate::matching::query::Query;
use crate::matching::weights::Weights;
use crate::matching::words::Reason;
use crate::program::Program;

mod aftercare;
mod credentials;
mod distance;
mod freshness;
mod schedule;
mod therapy;
mod wait;

/// A criterion's score for a pair's facts (`None`: not applicable).
#[inline]
fn score(c: Criterion, q: &Query, f: &CriterionFacts) -> Option<f64> {
    match c {
        Criterion::TherapyFit => therapy::score(q, f),
        Criterion::Credentials => credentials::score(q, f),
        Criterion::ScheduleFlexibility => schedule::score(q, f),
        Criterion::Aftercare => aftercare::score(q, f),
        Criterion::Distance => distance::score(q, f),
        Criterion::Wait => wait::score(q, f),
        Criterion::Freshness => freshness::score(q, f),
    }
}

/// A criterion's reasons for a pair's facts; `p` gives only names and dates
/// for display (the best track's name and sessions, the verification date).
fn reasons_of(c: Criterion, q: &Query, f: &CriterionFacts, p: &Program) -> Vec<Reason> {
    match c {
        Criterion::TherapyFit => therapy::reasons(q, f),
        Criterion::Credentials => credentials::reasons(q, f),
        Criterion::ScheduleFlexibility => schedule::reasons(q, f, p),
        Criterion::Aftercare => aftercare::reasons(q, f),
        Criterion::Distance => distance::reasons(q, f, p),
        Criterion::Wait => wait::reasons(q, f),
        Criterion::Freshness => freshness::reasons(q, f, p),
    }
}

/// Every criterion's score, a pure function of the facts (`None`: not applicable).
#[inline]
pub(crate) fn scores(q: &Query, f: &CriterionFacts) -> PerCriterion<Option<f64>> {
    PerCriterion::from_fn(|c| score(c, q, f))
}

/// What a bound of a program's score ([`bound`]) reads exactly; a part not
/// read is counted at its most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Read {
    /// The tracks ([`schedule::most`] when not).
    pub tracks: bool,
    /// The therapies against the evidence rows, the costliest part of a
    /// score ([`therapy::most`] when not).
    pub therapy: bool,
}

/// An upper bound of the total score ([`total`]) of a program whose facts
/// are `f` except that its tracks may not be read (`read.tracks` false: the
/// schedule counted at its most, [`schedule::most`]), its therapy fit may
/// be taken at its most (`read.therapy` false: [`therapy::most`], so the
/// evidence rows are not read) and its miles may be a lower bound of the
/// true miles (the distance score falls with the miles). Every other
/// criterion is scored exactly, and each criterion applies exactly when it
/// would: so the weighted mean has the same denominator and each term is at
/// least its true counterpart (rounding is monotone, and the sums run in
/// the same order).
pub(crate) fn bound(weights: &Weights, q: &Query, f: &CriterionFacts, read: Read) -> f64 {
    total(weights, &most(q, f, read)).0
}

/// Each criterion's score as [`bound`] counts it: at least the true score,
/// and applicable exactly when it is.
pub(crate) fn most(q: &Query, f: &CriterionFacts, read: Read) -> PerCriterion<Option<f64>> {
    PerCriterion::from_fn(|c| match c {
        Criterion::ScheduleFlexibility if !read.tracks => schedule::most(q, f),
        Criterion::TherapyFit if !read.therapy => therapy::most(q, f),
        _ => score(c, q, f),
    })
}

/// Every criterion's reasons, a pure function of the facts; `p` gives only
/// names and dates for display.
pub(crate) fn reasons(q: &Query, f: &CriterionFacts, p: &Program) -> PerCriterion<Vec<Reason>> {
    PerCriterion::from_fn(|c| reasons_of(c, q, f, p))
}

/// The weighted mean of the applicable scores, and each one's contribution.
pub(crate) fn total(
    weights: &Weights,
    scores: &PerCriterion<Option<f64>>,
) -> (f64, PerCriterion<f64>) {
    let mut den = 0.0;
    let mut num = 0.0;
    for (c, s) in scores.iter() {
        if let Some(s) = s {
            let w = weights.weight(c);
            den += w;
            num += w * s;
        }
    }
    if den > 0.0 {
        let contrib =
            PerCriterion::from_fn(|c| scores[c].map_or(0.0, |s| weights.weight(c) * s / den));
        (num / den, contrib)
    } else {
        (0.0, PerCriterion::default())
    }
}
