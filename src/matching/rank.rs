//! Ranking: order, top k, and turning the winners' numbers into explanations.

use std::cmp::Ordering;

use crate::matching::criteria::{plain_scores, reasons, total};
use crate::matching::explain::{
    CriterionScore, Exclusion, Match, Ranking, count_exclusions, kinds, tally,
};
use crate::matching::filter::{Placement, eligibility};
use crate::matching::query::Query;
use crate::{Criterion, Program, Weights};

/// A scored, eligible program, before explanation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub idx: u32,
    pub placement: Placement,
    pub scores: [Option<f64>; 7],
    pub total: f64,
    pub miles: Option<f64>,
    pub wait: Option<u16>,
}

/// Ascending with `None` last.
fn cmp_some_first<T>(a: Option<T>, b: Option<T>, f: impl Fn(T, T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => f(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The ranking order: score (high first, by `total_cmp`), then distance, then
/// wait (short first, unknown last), then `id_order` (program id).
pub(crate) fn order(
    a: &Candidate,
    b: &Candidate,
    id_order: impl Fn(u32, u32) -> Ordering,
) -> Ordering {
    b.total
        .total_cmp(&a.total)
        .then_with(|| cmp_some_first(a.miles, b.miles, |x, y| x.total_cmp(&y)))
        .then_with(|| cmp_some_first(a.wait, b.wait, |x, y| x.cmp(&y)))
        .then_with(|| id_order(a.idx, b.idx))
}

/// Explains one winner.
pub(crate) fn explain(q: &Query, weights: &Weights, p: &Program, c: &Candidate) -> Match {
    let level = c.placement.level(q);
    let (_, contrib) = total(weights, &c.scores);
    let mut reasons = reasons(q, p, level);
    let criteria = Criterion::ALL
        .iter()
        .map(|cr| CriterionScore {
            criterion: *cr,
            score: c.scores[cr.index()],
            weight: weights.get(*cr),
            contribution: contrib[cr.index()],
            reasons: std::mem::take(&mut reasons[cr.index()]),
        })
        .collect();
    Match {
        program_id: p.id.clone(),
        program_name: p.name.clone(),
        city: p.location.city.clone(),
        level,
        alternative: matches!(c.placement, Placement::Alternative(_)),
        score: c.total,
        distance_miles: c.miles,
        wait_days: c.wait,
        criteria,
    }
}

/// Ranks `programs` for one patient the plain, readable way: every program
/// through the eligibility filters and every criterion, read directly from
/// the [`Program`] values. [`crate::Directory::rank`] gives the same result
/// from a compiled index; this path is the reference it is tested against.
///
/// `programs` should be validated (unique ids; see [`crate::validate_programs`]).
///
/// # Example
///
/// ```
/// use carematch::{Directory, MatchOptions, Query, Weights, rank_plain, sample};
///
/// let programs = sample::massachusetts();
/// let dir = Directory::new(programs.clone(), sample::AS_OF)?;
/// let q = Query::new(&sample::patients()[0].needs, dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let plain = rank_plain(&programs, &q, &Weights::default(), 5);
/// assert_eq!(plain, dir.rank(&q, &Weights::default(), 5));
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn rank_plain(programs: &[Program], q: &Query, weights: &Weights, k: usize) -> Ranking {
    let mut matches = Vec::new();
    let mut alternatives = Vec::new();
    let mut excluded = Vec::new();
    for (i, p) in programs.iter().enumerate() {
        match eligibility(q, p) {
            Ok(placement) => {
                let scores = plain_scores(q, p, placement.level(q));
                let (t, _) = total(weights, &scores);
                let c = Candidate {
                    idx: i as u32,
                    placement,
                    scores,
                    total: t,
                    miles: crate::matching::criteria::miles(q, p),
                    wait: p.typical_wait_days,
                };
                match placement {
                    Placement::Match => matches.push(c),
                    Placement::Alternative(_) => alternatives.push(c),
                }
            }
            Err(reasons) => excluded.push(Exclusion {
                program_id: p.id.clone(),
                program_name: p.name.clone(),
                reasons,
            }),
        }
    }
    let by_id = |a: u32, b: u32| programs[a as usize].id.cmp(&programs[b as usize].id);
    let (eligible, alternatives_eligible) = (matches.len(), alternatives.len());
    let finish = |mut v: Vec<Candidate>| -> Vec<Match> {
        v.sort_by(|a, b| order(a, b, by_id));
        v.truncate(k);
        v.iter()
            .map(|c| explain(q, weights, &programs[c.idx as usize], c))
            .collect()
    };
    excluded.sort_by(|a, b| a.program_id.cmp(&b.program_id));
    let mut counts = [0usize; 9];
    for e in &excluded {
        tally(&mut counts, kinds(&e.reasons), 1);
    }
    let exclusion_counts = count_exclusions(&counts);
    let excluded_count = excluded.len();
    if !q.options.exclusion_details_included() {
        excluded.clear();
    }
    Ranking {
        level: q.level,
        matches: finish(matches),
        alternatives: finish(alternatives),
        excluded,
        excluded_count,
        exclusion_counts,
        eligible,
        alternatives_eligible,
    }
}
