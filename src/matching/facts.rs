//! Facts: what is true of one (query, program) pair, the single source that
//! eligibility, scores and reasons are computed from.
//!
//! Two producers make facts: the plain path ([`crate::matching::plain`],
//! reading a [`crate::Program`]) and the compiled index
//! ([`crate::matching::Directory`], reading its rows). A property test holds
//! them equal field by field. Everything after is a pure function of the
//! facts: the eligibility outcome, each criterion's score and reasons
//! (`criteria/`, one file per criterion) and the words a person reads. Nothing downstream works a fact out again.

use crate::level::LevelOfCare;
use crate::matching::query::Query;
use crate::matching::words::ExclusionKind;

/// A set of [`ExclusionKind`]s; bit `i` is `ExclusionKind::ALL[i]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct ExclusionKinds(u16);

const _: () = assert!(ExclusionKind::ALL.len() <= 16);
// The ranking loop sizes its histogram of sets by `full` being the last kind.
const _: () = assert!(matches!(
    ExclusionKind::ALL[ExclusionKind::ALL.len() - 1],
    ExclusionKind::Full
));

impl ExclusionKinds {
    /// How many distinct sets there are (for a histogram indexed by [`ExclusionKinds::bits`]).
    pub(crate) const SETS: usize = 1 << ExclusionKind::ALL.len();

    /// Adds `kind` when `yes`.
    #[inline]
    pub(crate) fn set(&mut self, kind: ExclusionKind, yes: bool) {
        self.0 |= u16::from(yes) << kind.index();
    }

    /// Adds `kind` when `fails()` says so. With `screen`, the rule is read
    /// only while no kind is set yet: once one filter fails, a screen skips
    /// the rest (their counts come from the tallies).
    #[inline]
    pub(crate) fn test(&mut self, screen: bool, kind: ExclusionKind, fails: impl FnOnce() -> bool) {
        if !screen || self.is_empty() {
            self.set(kind, fails());
        }
    }

    pub(crate) fn contains(self, kind: ExclusionKind) -> bool {
        self.0 & (1 << kind.index()) != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The set as a dense number below [`ExclusionKinds::SETS`].
    pub(crate) fn bits(self) -> usize {
        usize::from(self.0)
    }

    /// The set with the dense number `bits`.
    pub(crate) fn from_bits(bits: usize) -> ExclusionKinds {
        ExclusionKinds(bits as u16 & ((1u32 << ExclusionKind::ALL.len()) - 1) as u16)
    }

    /// The kinds in the set, in [`ExclusionKind::ALL`] order.
    pub(crate) fn iter(self) -> impl Iterator<Item = ExclusionKind> {
        ExclusionKind::ALL
            .iter()
            .copied()
            .filter(move |k| self.contains(*k))
    }
}

/// Where an eligible program goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Offers the level wanted.
    Match,
    /// Offers only an adjacent level (listed when the caller asks).
    Alternative(LevelOfCare),
}

impl Placement {
    pub(crate) fn level(self, q: &Query) -> LevelOfCare {
        match self {
            Placement::Match => q.level,
            Placement::Alternative(l) => l,
        }
    }
}

/// The eligibility facts: where the program would go, every filter it fails,
/// and the values the exclusion reasons report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Eligibility {
    /// The level it would be matched at, if it offers the level wanted or an asked adjacent one.
    pub placement: Option<Placement>,
    /// Every filter it fails.
    pub fails: ExclusionKinds,
    /// The patient's conditions (bits of [`crate::Condition`]) it does not accept.
    pub conditions_refused: u64,
    /// Straight-line miles to the patient. Exact facts have it whenever the
    /// patient's location is known; the index's fast filter may leave it out
    /// when the program is clearly beyond the travel limit.
    pub miles: Option<f64>,
    /// The tracks at the placement's level, when the schedule rule needed
    /// them (the patient's free time is limited and the rule is on).
    pub tracks: Option<TrackSummary>,
}

impl Eligibility {
    /// A placement when every filter passes, otherwise every kind failed.
    pub(crate) fn outcome(&self) -> Result<Placement, ExclusionKinds> {
        match self.placement {
            Some(p) if self.fails.is_empty() => Ok(p),
            _ => Err(self.fails),
        }
    }
}

/// The facts that decide the travel and telehealth filters, as a producer
/// reads them; [`Travel::kinds`] is the one place the rules combine them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Travel {
    /// Beyond the patient's travel limit (both known).
    pub beyond: bool,
    /// Fully remote delivery offered and accepted by the patient.
    pub remote_offered: bool,
    /// Licensed in the patient's state, or the patient's state not given.
    pub licensed: bool,
    /// Some delivery that meets in person, accepted by the patient.
    pub in_person: bool,
}

impl Travel {
    /// Sets `out_of_state_telehealth` (its telehealth is not licensed where
    /// the patient is, and it cannot be reached in person) and `too_far`
    /// (beyond the limit, with no licensed remote delivery).
    pub(crate) fn kinds(self, fails: &mut ExclusionKinds) {
        fails.set(
            ExclusionKind::OutOfStateTelehealth,
            self.remote_offered && !self.licensed && (!self.in_person || self.beyond),
        );
        fails.set(
            ExclusionKind::TooFar,
            self.beyond && !(self.remote_offered && self.licensed),
        );
    }
}

/// Whether the schedule rule judges a program that fails `fails` on every
/// other filter: the rule is on and nothing else excludes the program. The
/// schedule is the costliest filter (every track's sessions against the
/// patient's free time), and a program already excluded for another reason
/// would only gain a second one: so `schedule_conflict` is a program's reason
/// only when it is the one thing keeping it out (what a clinician needs to
/// know to ask the program about another track), and a ranking reads the
/// tracks of the otherwise-eligible programs alone.
pub(crate) fn schedule_judged(q: &Query, fails: ExclusionKinds) -> bool {
    q.schedule_rule && fails.is_empty()
}

/// Sets `schedule_conflict`: the best track at the level has less of its
/// session time inside the patient's free time than the query's minimum
/// (never for a program whose tracks at the level were not needed or not listed).
pub(crate) fn schedule_conflict(
    q: &Query,
    tracks: Option<TrackSummary>,
    fails: &mut ExclusionKinds,
) {
    fails.set(
        ExclusionKind::ScheduleConflict,
        tracks
            .and_then(|t| t.best_fit())
            .is_some_and(|fit| fit < q.options.min_schedule_fit()),
    );
}

/// One track's facts: quarter-hours it occupies, those inside the patient's
/// free time, and its scheduled minutes a week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TrackFacts {
    pub slots: u32,
    pub free_slots: u32,
    pub minutes: u32,
}

impl TrackFacts {
    /// Whether every quarter-hour of the track is inside the patient's free time.
    pub(crate) fn fits_completely(&self) -> bool {
        self.slots > 0 && self.free_slots == self.slots
    }

    /// The share of its session time inside the patient's free time.
    pub(crate) fn fit(&self) -> f64 {
        if self.slots == 0 {
            0.0
        } else {
            f64::from(self.free_slots) / f64::from(self.slots)
        }
    }

    /// Whether its weekly hours are within `hours` (always, with no standard).
    pub(crate) fn hours_ok(&self, hours: Hours) -> bool {
        match hours {
            Some((min, max)) => {
                let h = f64::from(self.minutes) / 60.0;
                h >= min && h <= max
            }
            None => true,
        }
    }

    /// The value the best track is chosen by: its fit and whether its hours
    /// suit the level, weighted by [`BEST_TRACK_PARTS`].
    pub(crate) fn value(&self, hours: Hours) -> f64 {
        BEST_TRACK_PARTS.0 * self.fit()
            + BEST_TRACK_PARTS.1 * f64::from(u8::from(self.hours_ok(hours)))
    }
}

/// The weekly hours a level needs for the patient (`None`: no standard).
pub(crate) type Hours = Option<(f64, f64)>;

/// The weights of a track's fit and of its hours in the value the best
/// track is chosen by; the schedule criterion scores the same two parts with
/// the same weights (its first two parts), so the track it scores is the
/// track that scores best.
pub(crate) const BEST_TRACK_PARTS: (f64, f64) = (0.55, 0.15);

/// Picks the best track: highest [`TrackFacts::value`], then the earliest
/// listed. Returns its position and facts.
pub(crate) fn best_track(
    hours: Hours,
    facts: impl Iterator<Item = TrackFacts>,
) -> Option<(u32, TrackFacts)> {
    let mut best: Option<(u32, TrackFacts, f64)> = None;
    for (i, t) in facts.enumerate() {
        let v = t.value(hours);
        if best.as_ref().is_none_or(|b| v > b.2) {
            best = Some((i as u32, t, v));
        }
    }
    best.map(|(i, t, _)| (i, t))
}

/// The facts of a program's tracks at one level.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TrackSummary {
    /// The best track: its position among the tracks at the level (listed order), and its facts.
    pub best: Option<(u32, TrackFacts)>,
    /// Tracks at the level.
    pub tracks: u32,
    /// Tracks at the level that fit the patient's free time completely.
    pub fitting: u32,
    /// Whether a track at the level meets in the evening or at a weekend.
    pub evening_or_weekend: bool,
}

impl TrackSummary {
    /// The best track's share of session time inside the patient's free time,
    /// when it has sessions.
    pub(crate) fn best_fit(&self) -> Option<f64> {
        self.best
            .filter(|(_, t)| t.slots > 0)
            .map(|(_, t)| f64::from(t.free_slots) / f64::from(t.slots))
    }
}

/// The facts the seven criteria score, for an eligible program at `level`.
///
/// Every set is masked to what the query asks about, so the two producers
/// give equal values.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CriterionFacts {
    /// The level scored (the query's, or an alternative's).
    pub level: Option<LevelOfCare>,
    /// Needed modalities the program offers (bits of [`crate::Modality`]).
    pub modalities: u64,
    /// Per condition of the query (same order): the evidence row's
    /// approaches offered (bits of [`crate::Approach`]) and the row's
    /// modalities offered (bits of [`crate::Modality`]).
    pub evidence: Vec<(u64, u64)>,
    /// The patient's conditions the program's specialties cover (bits of [`crate::Condition`]).
    pub specialties: u64,
    /// The approaches some clinician is certified in (bits of
    /// [`crate::Approach`], from [`crate::Certification::approach`]); every
    /// bit when the program's staff are not listed.
    pub trained: u64,
    /// The query's credential checks met: bit `i` is `query.checks[i]`.
    pub checks_met: u64,
    /// Whether the program serves one of the patient's populations (bits of
    /// [`crate::Population`]: those it serves among the patient's).
    pub populations: u64,
    /// The tracks at the level.
    pub tracks: TrackSummary,
    /// Whether telehealth or hybrid sessions are offered, the patient accepts
    /// telehealth, and the program is licensed in the patient's state (or the
    /// patient's state is not given).
    pub telehealth_option: bool,
    /// Whether fully remote delivery is offered, accepted and licensed, so distance does not count.
    pub remote: bool,
    /// Whether it offers telehealth the patient would accept but is not
    /// licensed in the patient's state.
    pub telehealth_unlicensed: bool,
    /// Whether it can start or continue MOUD: it offers MOUD or has a prescriber.
    pub moud: bool,
    /// Whether it lists the patient's MOUD medication (see
    /// [`crate::Program::lists_moud`]); `true` when the patient is not on MOUD.
    pub moud_listed: bool,
    /// Whether it provides or coordinates withdrawal management.
    pub withdrawal_management: bool,
    /// Whether its network is unconfirmed for the patient's payer: it lists
    /// payers, none accepts the patient's, and one leaves it unconfirmed
    /// ([`crate::Payer::unconfirmed_under`]: plain MassHealth beside a
    /// MassHealth product).
    pub network_unconfirmed: bool,
    /// Whether it lists medical monitoring ([`crate::Program::medical_monitoring`]).
    pub medical_monitoring: bool,
    /// Whether it lists a dietitian on staff.
    pub dietitian: bool,
    /// Aftercare services offered (bits of [`crate::Aftercare`]).
    pub aftercare: u64,
    /// Straight-line miles, when the patient's location is known.
    pub miles: Option<f64>,
    /// Whether it is accepting new patients (or its new-patient status is not listed).
    pub accepting: bool,
    /// The parts its source did not list (bits of [`crate::NotListed`]).
    pub not_listed: u64,
    /// Typical days to intake, when listed.
    pub wait_days: Option<u16>,
    /// Days from the last verification to the query's `as_of` (negative when after it).
    pub days_since_verified: i32,
}

/// Everything true of one (query, program) pair: its eligibility, and the
/// criterion facts when it is eligible. (The ranking loop asks for the two
/// parts separately; this whole is what the producers are compared by.)
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Facts {
    pub eligibility: Eligibility,
    pub criteria: Option<CriterionFacts>,
}

/// Exclusion counts: programs excluded for each kind (indexed by
/// [`ExclusionKind::index`]; a program counts once for every kind it
/// fails), and programs excluded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct KindCounts {
    pub by_kind: [usize; ExclusionKind::ALL.len()],
    pub excluded: usize,
}

/// Excluded programs by their exact set of kinds, one increment per
/// program, read as per-kind counts at the end ([`SetCounts::counts`]).
///
/// The histogram has a counter for every possible set (64 KiB). Allocating
/// and zeroing one per ranking made the allocator merge its free chunks
/// (`malloc_consolidate`) on every ranking: with cold caches the allocator
/// took about a fifth of a ranking at 30,000 programs. So each thread keeps
/// one and lends it out, the sets seen are listed, and only their counters are read and
/// put back to 0 (also when a ranking unwinds).
pub(crate) struct SetCounts {
    by_set: Vec<u32>,
    seen: Vec<u16>,
}

thread_local! {
    /// The histogram a thread lends out, all zeros while lent back.
    static SPARE_SETS: std::cell::Cell<Option<(Vec<u32>, Vec<u16>)>> =
        const { std::cell::Cell::new(None) };
}

impl SetCounts {
    /// An empty histogram: the thread's own, or a new one if it is lent out.
    pub(crate) fn new() -> SetCounts {
        let (by_set, seen) = SPARE_SETS
            .with(std::cell::Cell::take)
            .unwrap_or_else(|| (vec![0; ExclusionKinds::SETS], Vec::new()));
        SetCounts { by_set, seen }
    }

    /// One excluded program with `kinds`.
    #[inline]
    pub(crate) fn add(&mut self, kinds: ExclusionKinds) {
        let n = &mut self.by_set[kinds.bits()];
        if *n == 0 {
            self.seen.push(kinds.bits() as u16);
        }
        *n += 1;
    }

    /// The per-kind counts and the programs counted.
    pub(crate) fn counts(&self) -> KindCounts {
        let mut out = KindCounts::default();
        for bits in &self.seen {
            let n = self.by_set[usize::from(*bits)] as usize;
            out.excluded += n;
            for k in ExclusionKinds::from_bits(usize::from(*bits)).iter() {
                out.by_kind[k.index()] += n;
            }
        }
        out
    }
}

impl Drop for SetCounts {
    fn drop(&mut self) {
        for bits in self.seen.drain(..) {
            self.by_set[usize::from(bits)] = 0;
        }
        let spare = (
            std::mem::take(&mut self.by_set),
            std::mem::take(&mut self.seen),
        );
        SPARE_SETS.with(|s| s.set(Some(spare)));
    }
}

/// What a plan knows of where a block's programs are against the
/// patient's travel limit (a grid cell wholly inside it, or wholly
/// outside), so the screen need not measure each one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Side {
    /// Not known: each program is measured.
    #[default]
    Measure,
    /// Every placed program of the block is within the limit.
    Within,
    /// Every placed program of the block is beyond the limit.
    Beyond,
}

/// The programs a ranking reads when a producer can rule the others out
/// unread ([`FactSource::plan`]): lists of positions, disjoint, every
/// program on none of them excluded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan<'a> {
    /// Lists of positions that can be matched or near a match (cells of
    /// the grid, or level groups), each with what is known of its place.
    pub blocks: Vec<(&'a [u32], Side)>,
    /// Further positions of that kind (telehealth programs outside the cells).
    pub extra: Vec<u32>,
    /// When given, the positions read: one bit each, a subset of the
    /// lists' (those passing the filters bit sets decide); otherwise the
    /// lists' positions are read.
    pub passing: Option<Vec<u64>>,
    /// When given, the positions read, each with what is known of its
    /// place: a subset of the lists' (a plan by place leaves out those the
    /// filters bit sets decide exclude, when their place reasons are known
    /// without reading them); otherwise the lists' positions are read.
    pub kept: Option<Vec<(u32, Side)>>,
    /// Programs not read: beyond the limit, with no remote delivery the
    /// patient accepts, when the plan is by place; any, otherwise.
    pub unread: usize,
    /// Programs of the lists not read that have no place reason (a plan
    /// by place): each fails a filter the bit sets decide.
    pub screened_out: usize,
    /// Whether the programs were chosen by place (the patient's location
    /// and travel limit) rather than by level.
    pub by_place: bool,
}

impl Plan<'_> {
    /// Every position in the lists, once: every program within reach, or
    /// every program offering a level wanted (those read, and when
    /// [`Plan::passing`] or [`Plan::kept`] narrows them, those it leaves
    /// out as well).
    pub(crate) fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.blocks
            .iter()
            .flat_map(|(b, _)| b.iter().map(|i| *i as usize))
            .chain(self.extra.iter().map(|i| *i as usize))
    }

    /// Every position read, once, with what is known of its place.
    pub(crate) fn sided(&self) -> impl Iterator<Item = (usize, Side)> + '_ {
        let kept = self
            .kept
            .as_deref()
            .map(|kept| kept.iter().map(|(i, side)| (*i as usize, *side)));
        let lists = (self.passing.is_none() && self.kept.is_none()).then(|| {
            self.blocks
                .iter()
                .flat_map(|(b, side)| b.iter().map(move |i| (*i as usize, *side)))
                .chain(self.extra.iter().map(|i| (*i as usize, Side::Measure)))
        });
        let bits = self
            .passing
            .as_deref()
            .map(|words| set_bits(words).map(|i| (i, Side::Measure)));
        lists
            .into_iter()
            .flatten()
            .chain(bits.into_iter().flatten())
            .chain(kept.into_iter().flatten())
    }
}

/// The indexes of the set bits of `m`, ascending.
pub(crate) fn ones(m: u64) -> impl Iterator<Item = usize> {
    let mut m = m;
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let b = m.trailing_zeros() as usize;
            m &= m - 1;
            b
        })
    })
}

/// The positions of the set bits of `words` (bit `i % 64` of word
/// `i / 64`), ascending.
fn set_bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words
        .iter()
        .enumerate()
        .flat_map(|(w, &x)| ones(x).map(move |b| w * 64 + b))
}

/// Where facts come from: the plain path or the compiled index. The ranking
/// loop ([`crate::matching::rank`]) is written once over this trait.
pub(crate) trait FactSource {
    /// The query the facts are about.
    fn query(&self) -> &Query;
    /// How many programs.
    fn len(&self) -> usize;
    /// Program `i`, for the names and values the words report (borrowed by
    /// the plain path, decoded from the directory's store by the index).
    fn program(&self, i: usize) -> std::borrow::Cow<'_, crate::program::Program>;
    /// Program `i`'s position in program-id order (the last tie-break).
    fn id_rank(&self, i: usize) -> u32;
    /// Program `i`'s eligibility. With `exact`, `miles` is given whenever the
    /// patient's location is known; without, it may be left out for a program
    /// clearly beyond the travel limit. The outcome is the same either way.
    fn eligibility(&self, i: usize, exact: bool) -> Eligibility;
    /// Program `i`'s criterion facts at `level` into `out` (reusing its
    /// allocation). The eligibility's miles and tracks are reused; what it
    /// left out is computed here.
    fn criterion_facts(
        &self,
        i: usize,
        level: LevelOfCare,
        eligibility: &Eligibility,
        out: &mut CriterionFacts,
    );

    /// Program `i`'s criterion facts at `level` as far as they are cheap,
    /// for a bound of its score before it is scored ([`crate::matching::criteria`]'s
    /// `bound`): every fact exact but the tracks, read only when the
    /// eligibility read them (the answer says whether it did), and the
    /// miles, which may be a lower bound of the true miles; without
    /// `therapy`, the facts therapy fit alone reads are not worked out (a
    /// bound that takes therapy fit at its most does not read them). `None`:
    /// no cheaper facts than [`FactSource::criterion_facts`] (the default).
    fn cheap_facts(
        &self,
        _i: usize,
        _level: LevelOfCare,
        _eligibility: &Eligibility,
        _out: &mut CriterionFacts,
        _therapy: bool,
    ) -> Option<bool> {
        None
    }

    /// Whether program `i` offers a therapy a first-line evidence row names
    /// for the query's condition `c` (`ConditionNeed::offers_first_line` of
    /// the `evidence[c]` criterion fact), without working out the other facts.
    fn offers_evidence(&self, i: usize, c: usize) -> bool;

    /// Whether program `i` may offer the level the query wants or an
    /// adjacent level it asks for: `false` only when it offers none (its
    /// eligibility has no placement), read more cheaply than the
    /// eligibility. By default `true`.
    fn may_offer_level(&self, _i: usize) -> bool {
        true
    }

    /// Program `i`'s eligibility as a ranking screens it: the outcome, the
    /// placement and the place filters (`too_far`,
    /// `out_of_state_telehealth`, `schedule_conflict`) exactly; the other
    /// kinds may stop at the first that fails, for a producer whose
    /// [`FactSource::exclusion_counts`] counts them another way. `side`:
    /// what the plan knows of the program's place (the producer's own plan
    /// decided it, exactly). By default the full eligibility.
    fn screen(&self, i: usize, _side: Side) -> Eligibility {
        self.eligibility(i, false)
    }

    /// Reads the first of what screening program `i` reads, so that a
    /// ranking can ask for several programs' rows at once, their memory
    /// fetched side by side, before it screens them one by one (the value
    /// is of no use). By default nothing is read.
    fn touch(&self, _i: usize) -> u64 {
        0
    }

    /// The programs a ranking must read, when the producer can rule the
    /// others out unread; `None` (the default): every program.
    fn plan(&self) -> Option<Plan<'_>> {
        None
    }

    /// The exclusion counts over every program, given `read`, the counts of
    /// the programs screened ([`FactSource::screen`]): those `plan` lists
    /// (a plan this producer made), or every program. By default `read`
    /// (the default screen is exact and there is no plan).
    fn exclusion_counts(&self, _plan: Option<&Plan<'_>>, read: KindCounts) -> KindCounts {
        read
    }

    /// Every fact of program `i`, exact.
    #[cfg(test)]
    fn facts(&self, i: usize) -> Facts {
        let eligibility = self.eligibility(i, true);
        let criteria = eligibility.outcome().ok().map(|p| {
            let mut f = CriterionFacts::default();
            self.criterion_facts(i, p.level(self.query()), &eligibility, &mut f);
            f
        });
        Facts {
            eligibility,
            criteria,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(slots: u32, free_slots: u32, hours: u32) -> TrackFacts {
        TrackFacts {
            slots,
            free_slots,
            minutes: hours * 60,
        }
    }

    const IOP_ADULT: Hours = Some((9.0, 19.0));

    #[test]
    fn a_track_is_valued_by_its_fit_and_whether_its_hours_suit_the_level() {
        // Half inside free time, 12 hours a week: 0.55 x 0.5 + 0.15.
        assert_eq!(track(40, 20, 12).value(IOP_ADULT), 0.55 * 0.5 + 0.15);
        // Under the 9 hours and over the 19 hours the level needs: no hours part.
        assert_eq!(track(40, 20, 6).value(IOP_ADULT), 0.55 * 0.5);
        assert_eq!(track(40, 20, 20).value(IOP_ADULT), 0.55 * 0.5);
        // At the bounds it counts; with no standard it always counts.
        assert_eq!(track(40, 40, 9).value(IOP_ADULT), 0.55 + 0.15);
        assert_eq!(track(40, 40, 19).value(IOP_ADULT), 0.55 + 0.15);
        assert_eq!(track(40, 10, 2).value(None), 0.55 * 0.25 + 0.15);
        // A track with no session time fits nothing.
        assert_eq!(track(0, 0, 9).value(IOP_ADULT), 0.15);
    }

    #[test]
    fn the_best_track_has_the_highest_value_and_ties_go_to_the_earliest() {
        let tracks = [
            track(40, 10, 12),
            track(40, 30, 12),
            track(40, 30, 12),
            track(40, 20, 12),
        ];
        assert_eq!(
            best_track(IOP_ADULT, tracks.into_iter()).map(|b| b.0),
            Some(1)
        );
        let rising = [track(40, 10, 12), track(40, 20, 12), track(40, 40, 12)];
        assert_eq!(
            best_track(IOP_ADULT, rising.into_iter()).map(|b| b.0),
            Some(2)
        );
        assert_eq!(best_track(IOP_ADULT, std::iter::empty()), None);
    }
}
