//! The one ranking loop, written once over where facts come from
//! ([`FactSource`]): the plain path and the compiled index both rank here.

use std::cmp::Ordering;

use crate::matching::alert::{Alert, LeftOut};
use crate::matching::criteria::{Read, reasons, scores, total};
use crate::matching::criterion::Criterion;
use crate::matching::explain::{
    count_exclusions, exclusion_reasons, match_alerts, no_first_line_therapy,
};
use crate::matching::facts::{
    CriterionFacts, Eligibility, FactSource, Placement, Plan, SetCounts, Side,
};
use crate::matching::output::{CriterionScore, Exclusion, Explanation, Match, Ranking};
use crate::matching::query::Query;
use crate::matching::topk::TopK;
use crate::matching::weights::Weights;
use crate::matching::words::ExclusionKind;

/// A scored, eligible program, before explanation.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    idx: u32,
    id_rank: u32,
    placement: Placement,
    eligibility: Eligibility,
    total: f64,
    miles: Option<f64>,
    wait: Option<u16>,
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

/// The ranking order (less = ranks first): score (high first, by
/// `total_cmp`), then distance, then wait (short first, unknown last), then
/// program id.
impl Ord for Candidate {
    fn cmp(&self, other: &Candidate) -> Ordering {
        other
            .total
            .total_cmp(&self.total)
            .then_with(|| cmp_some_first(self.miles, other.miles, |x, y| x.total_cmp(&y)))
            .then_with(|| cmp_some_first(self.wait, other.wait, |x, y| x.cmp(&y)))
            .then_with(|| self.id_rank.cmp(&other.id_rank))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Candidate) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Candidate) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

/// Explains one winner: its score, contributions and reasons, all from the same facts.
fn explain<S: FactSource>(src: &S, weights: &Weights, c: &Candidate, f: &CriterionFacts) -> Match {
    let q = src.query();
    let p = &*src.program(c.idx as usize);
    let scores = scores(q, f);
    let (score, contrib) = total(weights, &scores);
    let mut reasons = reasons(q, f, p);
    let criteria = Criterion::ALL
        .iter()
        .map(|&cr| CriterionScore {
            criterion: cr,
            score: scores[cr],
            weight: weights.weight(cr),
            contribution: contrib[cr],
            reasons: std::mem::take(&mut reasons[cr]),
        })
        .collect();
    Match {
        program_id: p.id.clone(),
        program_name: p.name.clone(),
        city: p.location.city.clone(),
        level: c.placement.level(q),
        alternative: matches!(c.placement, Placement::Alternative(_)),
        score,
        distance_miles: f.miles,
        wait_days: f.wait_days,
        open_slots: p.open_slots,
        alerts: match_alerts(q, f, p),
        criteria,
    }
}

/// Program `i`, eligible with `e` at `placement`, scored; its criterion facts left in `facts`.
fn candidate<S: FactSource>(
    src: &S,
    weights: &Weights,
    i: usize,
    e: Eligibility,
    placement: Placement,
    facts: &mut CriterionFacts,
) -> Candidate {
    let q = src.query();
    src.criterion_facts(i, placement.level(q), &e, facts);
    let (t, _) = total(weights, &scores(q, facts));
    Candidate {
        idx: i as u32,
        id_rank: src.id_rank(i),
        placement,
        eligibility: e,
        total: t,
        miles: facts.miles,
        wait: facts.wait_days,
    }
}

/// Program `i`, eligible with `e` at `placement`, explained as [`rank_with`]
/// explains it among its matches or alternatives; with its candidate (for
/// its place in the ranking).
fn explained<S: FactSource>(
    src: &S,
    weights: &Weights,
    i: usize,
    e: Eligibility,
    placement: Placement,
) -> (Candidate, Match) {
    let mut facts = CriterionFacts::default();
    let c = candidate(src, weights, i, e, placement, &mut facts);
    let details = explain(src, weights, &c, &facts);
    (c, details)
}

/// Program `i` explained as [`rank_with`] lists it among the matches, when
/// it is a match (eligible at the level wanted); `None` otherwise. Its place
/// in the ranking is not worked out ([`explain_one`] does): the assignment
/// explains only the program it placed a referral in, from a ranking in
/// numbers ([`rank_scored`]).
pub(crate) fn explain_match<S: FactSource>(src: &S, weights: &Weights, i: usize) -> Option<Match> {
    let e = src.eligibility(i, false);
    match e.outcome() {
        Ok(Placement::Match) => Some(explained(src, weights, i, e, Placement::Match).1),
        _ => None,
    }
}

/// Everything about program `i`: its place in the full ranking (the
/// eligible programs of its kind that order before it, plus one) and its
/// breakdown, exactly as [`rank_with`] would explain it; or its exclusion.
pub(crate) fn explain_one<S: FactSource>(src: &S, weights: &Weights, i: usize) -> Explanation {
    let q = src.query();
    let e = src.eligibility(i, false);
    let placement = match e.outcome() {
        Ok(p) => p,
        Err(_) => {
            let p = &*src.program(i);
            let e = src.eligibility(i, true);
            return Explanation::Excluded {
                details: Exclusion {
                    program_id: p.id.clone(),
                    program_name: p.name.clone(),
                    reasons: exclusion_reasons(q, &e, p),
                },
            };
        }
    };
    let alternative = matches!(placement, Placement::Alternative(_));
    let (me, details) = explained(src, weights, i, e, placement);
    let mut facts = CriterionFacts::default();
    let mut rank = 1;
    for j in (0..src.len()).filter(|j| *j != i) {
        let e = src.eligibility(j, false);
        if let Ok(p) = e.outcome()
            && matches!(p, Placement::Alternative(_)) == alternative
            && candidate(src, weights, j, e, p, &mut facts) < me
        {
            rank += 1;
        }
    }
    if alternative {
        Explanation::Alternative { rank, details }
    } else {
        Explanation::Match { rank, details }
    }
}

/// What one pass over the programs gathers: the top k matches and
/// alternatives, the excluded programs by their set of reason kinds, and
/// what the ranking's alerts need.
struct Pass {
    best: TopK<Candidate>,
    alts: TopK<Candidate>,
    /// Excluded programs by their exact set of reason kinds: one increment
    /// per program, turned into per-reason counts at the end.
    by_kinds: SetCounts,
    /// The excluded programs (id rank, index), when the details are asked for.
    excluded: Vec<(u32, u32)>,
    eligible: usize,
    alternatives_eligible: usize,
    /// The primary condition's position, when its evidence row names therapies.
    primary: Option<usize>,
    /// The best eligible match offering an evidence-based therapy for the primary condition.
    best_evidence_based: Option<Candidate>,
    /// Whether a match's schedule fits (or is not listed, so it may).
    attendable_match: bool,
    /// The program excluded only for its schedule whose best track fits most.
    closest_schedule: Option<(f64, u32, usize)>,
    facts: CriterionFacts,
}

impl Pass {
    fn new(q: &Query, k: usize) -> Pass {
        Pass {
            best: TopK::new(k),
            alts: TopK::new(k),
            by_kinds: SetCounts::new(),
            excluded: Vec::new(),
            eligible: 0,
            alternatives_eligible: 0,
            primary: q
                .conditions
                .iter()
                .position(|c| c.primary && !c.rows.is_empty()),
            best_evidence_based: None,
            attendable_match: false,
            closest_schedule: None,
            facts: CriterionFacts::default(),
        }
    }

    /// Whether eligible program `i` can be counted without being scored:
    /// a bound of its score (from its cheap facts) is below the score of
    /// every program kept for its list, so it would not be kept, and no
    /// alert needs it (it cannot be the best match offering an
    /// evidence-based therapy, and a match whose schedule fits is known
    /// already, when the schedule rule is on). The bar is compared with a
    /// slack far above the rounding of either sum, so a program the bound
    /// ties with is always scored.
    fn cannot_place<S: FactSource>(
        &mut self,
        src: &S,
        weights: &Weights,
        i: usize,
        e: &Eligibility,
        placement: Placement,
    ) -> bool {
        const SLACK: f64 = 1e-9;
        let q = src.query();
        let top = match placement {
            Placement::Match => &self.best,
            Placement::Alternative(_) => &self.alts,
        };
        let Some(bar) = top.bar() else {
            return false;
        };
        let is_match = placement == Placement::Match;
        if is_match && q.schedule_rule && !self.attendable_match {
            return false;
        }
        let evidence = is_match && self.primary.is_some_and(|pi| src.offers_evidence(i, pi));
        if evidence && self.best_evidence_based.is_none() {
            return false;
        }
        let below = |most: f64| {
            bar.is_none_or(|b| most < b.total)
                && (!evidence || self.best_evidence_based.is_some_and(|b| most < b.total))
        };
        // First without the evidence rows (therapy fit at its most): most
        // programs a ranking skips are decided by that alone.
        let level = placement.level(q);
        for therapy in [false, true] {
            let Some(tracks) = src.cheap_facts(i, level, e, &mut self.facts, therapy) else {
                return false;
            };
            let read = Read { tracks, therapy };
            if below(crate::matching::criteria::bound(weights, q, &self.facts, read) + SLACK) {
                return true;
            }
        }
        false
    }

    /// Screens program `i`: scored and kept when eligible, counted (and
    /// listed, with `details`) when not.
    fn visit<S: FactSource>(
        &mut self,
        src: &S,
        weights: &Weights,
        details: bool,
        i: usize,
        side: Side,
    ) {
        let q = src.query();
        let e = src.screen(i, side);
        match e.outcome() {
            Ok(placement) if self.cannot_place(src, weights, i, &e, placement) => match placement {
                Placement::Match => self.eligible += 1,
                Placement::Alternative(_) => self.alternatives_eligible += 1,
            },
            Ok(placement) => {
                let c = candidate(src, weights, i, e, placement, &mut self.facts);
                match placement {
                    Placement::Match => {
                        self.eligible += 1;
                        if self.primary.is_some_and(|pi| {
                            q.conditions[pi].offers_first_line(self.facts.evidence[pi])
                        }) && self.best_evidence_based.is_none_or(|b| c < b)
                        {
                            self.best_evidence_based = Some(c);
                        }
                        // A schedule not listed may fit: `unconfirmed` says so.
                        self.attendable_match |= self.facts.tracks.best_fit().is_some()
                            || self.facts.not_listed & crate::program::NotListed::Tracks.bit() != 0;
                        self.best.push(c);
                    }
                    Placement::Alternative(_) => {
                        self.alternatives_eligible += 1;
                        self.alts.push(c);
                    }
                }
            }
            Err(kinds) => {
                if e.placement == Some(Placement::Match)
                    && kinds.iter().eq([ExclusionKind::ScheduleConflict])
                    && let Some(fit) = e.tracks.and_then(|t| t.best_fit())
                {
                    let key = (fit, src.id_rank(i));
                    if self.closest_schedule.is_none_or(|(f, r, _)| {
                        (key.0, std::cmp::Reverse(key.1)) > (f, std::cmp::Reverse(r))
                    }) {
                        self.closest_schedule = Some((fit, key.1, i));
                    }
                }
                self.by_kinds.add(kinds);
                if details {
                    self.excluded.push((src.id_rank(i), i as u32));
                }
            }
        }
    }
}

/// The one pass over the programs of `src` for its query: eligibility,
/// facts, scores, the top `k` kept, exclusions counted (and listed, when the
/// query asks for their details); with the plan it read, if any. Both
/// finishes read it: the explained [`Ranking`] ([`rank_with`]) and the
/// ranking in numbers ([`rank_scored`]).
fn pass<'s, S: FactSource>(src: &'s S, weights: &Weights, k: usize) -> (Pass, Option<Plan<'s>>) {
    let q = src.query();
    let details = q.options.exclusion_details();
    let mut pass = Pass::new(q, k);
    // A producer that can rule programs out unread (the partitioned index)
    // lists those to read; exclusion details need every program read.
    let plan = if details { None } else { src.plan() };
    let mut visit = |(i, side): (usize, Side)| pass.visit(src, weights, details, i, side);
    match &plan {
        Some(plan) => in_batches(src, plan.sided(), &mut visit),
        None => (0..src.len()).for_each(|i| visit((i, Side::Measure))),
    }
    (pass, plan)
}

/// Visits the programs of `read` in order, [`AHEAD`] at a time, each batch
/// touched first ([`FactSource::touch`]): a screen's reads wait on memory
/// one program after another, while the touches of a batch are independent
/// and are fetched side by side.
fn in_batches<S: FactSource>(
    src: &S,
    mut read: impl Iterator<Item = (usize, Side)>,
    visit: &mut impl FnMut((usize, Side)),
) {
    let mut batch = [(0, Side::Measure); AHEAD];
    loop {
        // `zip` asks `read` for a program only while the batch has room.
        let mut n = 0;
        for (b, x) in batch.iter_mut().zip(&mut read) {
            *b = x;
            n += 1;
        }
        let batch = &batch[..n];
        std::hint::black_box(batch.iter().fold(0, |t, (i, _)| t ^ src.touch(*i)));
        batch.iter().for_each(|x| visit(*x));
        if n < AHEAD {
            return;
        }
    }
}

/// How many programs [`in_batches`] touches before it screens them.
const AHEAD: usize = 16;

/// The ranking's own alerts after its pass (the query's, then
/// `no_evidence_based_match` and `no_schedule_fit` when they fire), most
/// urgent first; `top`: the matches listed.
fn ranking_alerts<S: FactSource>(
    src: &S,
    weights: &Weights,
    k: usize,
    pass: &Pass,
    plan: Option<&Plan<'_>>,
    top: &[Candidate],
) -> Vec<Alert> {
    let q = src.query();
    // Whether a listed match offers an evidence-based therapy for the primary condition.
    let listed_evidence_based = pass
        .best_evidence_based
        .is_some_and(|b| top.iter().any(|c| c.idx == b.idx));
    let mut alerts = q.alerts.clone();
    // At imminent risk the question is crisis care, not therapy fit or a
    // schedule: only the safety alerts are shown.
    let imminent = q.at_imminent_risk();
    if let Some(pi) = pass.primary
        && !imminent
        && !listed_evidence_based
        && (k > 0 || pass.best_evidence_based.is_none())
    {
        let closest = match pass.best_evidence_based {
            // Eligible, but ranked below the top k.
            Some(c) => {
                let p = &*src.program(c.idx as usize);
                Some(LeftOut {
                    program_id: p.id.clone(),
                    program_name: p.name.clone(),
                    reasons: Vec::new(),
                    score: Some(c.total),
                })
            }
            None => closest_with_evidence(src, weights, pi, plan),
        };
        alerts.push(Alert::NoEvidenceBasedMatch {
            condition: q.conditions[pi].condition,
            closest,
        });
    }
    if q.schedule_rule && !pass.attendable_match && !imminent {
        alerts.push(Alert::NoScheduleFit {
            closest: pass.closest_schedule.map(|(_, _, i)| left_out(src, i)),
            closest_share: pass.closest_schedule.map(|(fit, _, _)| fit),
        });
    }
    alerts.sort_by_key(Alert::urgency);
    alerts
}

/// Ranks every program of `src` for its query: eligibility, facts, scores,
/// the top `k` matches (and alternatives, when asked), explanations for
/// those alone, exclusion counts by reason, and (when asked) every excluded
/// program with its reasons, by id.
pub(crate) fn rank_with<S: FactSource>(src: &S, weights: &Weights, k: usize) -> Ranking {
    let q = src.query();
    let (mut pass, plan) = pass(src, weights, k);
    let top = pass.best.take_sorted();
    let alts = pass.alts.take_sorted();
    let alerts = ranking_alerts(src, weights, k, &pass, plan.as_ref(), &top);
    let facts = &mut pass.facts;
    let mut finish = |top: Vec<Candidate>| -> Vec<Match> {
        top.iter()
            .map(|c| {
                src.criterion_facts(c.idx as usize, c.placement.level(q), &c.eligibility, facts);
                explain(src, weights, c, facts)
            })
            .collect()
    };
    let (matches, alternatives) = (finish(top), finish(alts));
    let read = pass.by_kinds.counts();
    let counts = src.exclusion_counts(plan.as_ref(), read);
    Ranking {
        alerts,
        level: q.level,
        matches,
        alternatives,
        excluded: explain_exclusions(src, pass.excluded),
        excluded_count: counts.excluded,
        exclusion_counts: count_exclusions(&counts),
        eligible: pass.eligible,
        alternatives_eligible: pass.alternatives_eligible,
    }
}

/// A ranking in numbers: what placing a queue reads of a [`Ranking`], from
/// the same pass, without explaining its matches (no program decoded, no
/// reasons built). [`rank_scored`] makes it; a property test holds it to the
/// explained ranking.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scored {
    /// [`Ranking::alerts`], the same alerts.
    pub(crate) alerts: Vec<Alert>,
    /// [`Ranking::matches`] in numbers, best first.
    pub(crate) matches: Vec<ScoredMatch>,
    /// [`Ranking::eligible`].
    pub(crate) eligible: usize,
}

/// One match in numbers: what the [`Match`] at its place says of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScoredMatch {
    /// The program, by the source's index (a slot of the compiled index:
    /// [`crate::Directory`] turns it into a position).
    pub(crate) program: usize,
    /// [`Match::score`].
    pub(crate) score: f64,
    /// [`Match::wait_days`].
    pub(crate) wait_days: Option<u16>,
    /// Whether [`Match::alerts`] carries `no_first_line_therapy`.
    pub(crate) no_first_line_therapy: bool,
}

/// Ranks every program of `src` for its query as [`rank_with`] does, and
/// finishes in numbers ([`Scored`]): the same top `k` matches in the same
/// order with the same scores, the same alerts and eligible count; no
/// alternatives, exclusion counts or excluded programs.
pub(crate) fn rank_scored<S: FactSource>(src: &S, weights: &Weights, k: usize) -> Scored {
    let q = src.query();
    let (mut pass, plan) = pass(src, weights, k);
    let top = pass.best.take_sorted();
    let alerts = ranking_alerts(src, weights, k, &pass, plan.as_ref(), &top);
    let matches = top
        .iter()
        .map(|c| {
            let program = c.idx as usize;
            // The flag's one fact read from the row: whether it offers a
            // first-line therapy (the criterion fact `evidence` reads it so).
            let offers = |pi: usize| Some(src.offers_evidence(program, pi));
            ScoredMatch {
                program,
                score: c.total,
                wait_days: c.wait,
                no_first_line_therapy: no_first_line_therapy(q, offers).is_some(),
            }
        })
        .collect();
    Scored {
        alerts,
        matches,
        eligible: pass.eligible,
    }
}

/// The excluded programs (id rank, index) with their reasons, ordered by
/// id; explained in input order (the programs are read one after another).
fn explain_exclusions<S: FactSource>(src: &S, excluded: Vec<(u32, u32)>) -> Vec<Exclusion> {
    let q = src.query();
    let mut explained: Vec<(u32, Exclusion)> = excluded
        .into_iter()
        .map(|(rank, i)| {
            let p = &*src.program(i as usize);
            let e = src.eligibility(i as usize, true);
            let reasons = exclusion_reasons(q, &e, p);
            (
                rank,
                Exclusion {
                    program_id: p.id.clone(),
                    program_name: p.name.clone(),
                    reasons,
                },
            )
        })
        .collect();
    explained.sort_unstable_by_key(|(rank, _)| *rank);
    explained.into_iter().map(|(_, e)| e).collect()
}

/// Program `i` as left out of the matches, with its exclusion reasons (a
/// program offering only an adjacent level lists `level_not_offered`).
fn left_out<S: FactSource>(src: &S, i: usize) -> LeftOut {
    let q = src.query();
    let p = &*src.program(i);
    let mut e = src.eligibility(i, true);
    if e.placement != Some(Placement::Match) {
        e.fails.set(ExclusionKind::LevelNotOffered, true);
    }
    LeftOut {
        program_id: p.id.clone(),
        program_name: p.name.clone(),
        reasons: exclusion_reasons(q, &e, p),
        score: None,
    }
}

/// The program closest to a match among those not matched that offer an
/// evidence-based therapy for the query's condition `pi`, within reach (not
/// `too_far`) and offering the level wanted or an adjacent level asked for:
/// fewest reasons left out, then the higher score, then program id. Read
/// only when the `no_evidence_based_match` alert fires: a pass of cheap
/// checks finds the fewest reasons, and only the programs with that many are
/// scored. Every such program is among those a `plan` reads (it reads every
/// program within reach, or every program offering a level wanted), so the
/// pass reads only those.
fn closest_with_evidence<S: FactSource>(
    src: &S,
    weights: &Weights,
    pi: usize,
    plan: Option<&Plan<'_>>,
) -> Option<LeftOut> {
    let q = src.query();
    let reasons = |e: &Eligibility| {
        e.fails.iter().count() + usize::from(e.placement != Some(Placement::Match))
    };
    let mut fewest = usize::MAX;
    let mut tied: Vec<usize> = Vec::new();
    let mut visit = |i: usize| {
        // The level first: its bits are read without the rows.
        if !src.may_offer_level(i) || !src.offers_evidence(i, pi) {
            return;
        }
        let e = src.eligibility(i, false);
        if e.outcome() == Ok(Placement::Match)
            || e.placement.is_none()
            || e.fails.contains(ExclusionKind::TooFar)
        {
            return;
        }
        let n = reasons(&e);
        if n < fewest {
            fewest = n;
            tied.clear();
        }
        if n == fewest {
            tied.push(i);
        }
    };
    match plan {
        Some(plan) => plan.positions().for_each(&mut visit),
        None => (0..src.len()).for_each(&mut visit),
    }
    let mut facts = CriterionFacts::default();
    let mut best: Option<(f64, u32, usize)> = None;
    for i in tied {
        let e = src.eligibility(i, true);
        let level = e.placement.map_or(q.level, |p| p.level(q));
        src.criterion_facts(i, level, &e, &mut facts);
        let (score, _) = total(weights, &scores(q, &facts));
        let rank = src.id_rank(i);
        if best.is_none_or(|(s, r, _)| score.total_cmp(&s).then(r.cmp(&rank)).is_gt()) {
            best = Some((score, rank, i));
        }
    }
    best.map(|(_, _, i)| left_out(src, i))
        .or_else(|| nearest_beyond_reach(src, pi))
}

/// When no program within reach offers an evidence-based therapy for the
/// query's condition `pi`: the nearest that does beyond the travel limit
/// (offering the level wanted or an adjacent level asked for), then program
/// id, with every reason it is left out (`too_far` with its miles first
/// among them). Every program is read: this runs only when the alert fires
/// and nothing within reach answers it.
fn nearest_beyond_reach<S: FactSource>(src: &S, pi: usize) -> Option<LeftOut> {
    let mut best: Option<(f64, u32, usize)> = None;
    for i in 0..src.len() {
        if !src.offers_evidence(i, pi) {
            continue;
        }
        let e = src.eligibility(i, true);
        if e.placement.is_none() || !e.fails.contains(ExclusionKind::TooFar) {
            continue;
        }
        let miles = e.miles.unwrap_or(f64::INFINITY);
        let rank = src.id_rank(i);
        if best.is_none_or(|(m, r, _)| miles.total_cmp(&m).then(rank.cmp(&r)).is_lt()) {
            best = Some((miles, rank, i));
        }
    }
    best.map(|(_, _, i)| left_out(src, i))
}

/// Ranks `programs` for one patient the plain, readable way: every fact read
/// straight from the [`Program`](crate::Program) values, then the same ranking loop, scores
/// and words as [`crate::Directory::rank`]. It is the reference the compiled
/// index is tested against; services should use a [`crate::Directory`].
///
/// `programs` should be validated (unique ids; see [`crate::validate_programs`]).
///
/// # Example
///
/// ```
/// use carematch::{Directory, sample, matching::{MatchOptions, Query, Weights, rank_plain}};
///
/// let programs = sample::massachusetts();
/// let dir = Directory::new(programs.clone(), sample::AS_OF)?;
/// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let plain = rank_plain(&programs, &q, &Weights::default(), 5);
/// assert_eq!(plain, dir.rank(&q, &Weights::default(), 5));
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn rank_plain(
    programs: &[crate::Program],
    q: &crate::matching::Query,
    weights: &Weights,
    k: usize,
) -> Ranking {
    rank_with(&crate::matching::plain::Plain::new(programs, q), weights, k)
}
