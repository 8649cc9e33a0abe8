//! Placing a queue of referrals at once, within programs' open slots.
//!
//! Ranking each patient alone sends everyone to the same best program, which
//! fills, and the rest wait. [`assign`] places a whole queue:
//!
//! 0. **Holds**: each referral is read first against the level policy in
//!    use ([`AssignOptions::with_level_policy`]). A referral at imminent
//!    risk, in withdrawal that calls for a more intensive setting, or
//!    referred below the floor its ratings set is **held**: it takes no
//!    slot, is not counted as placed, and comes first in the output with
//!    what to do, until a clinician's record ([`ClinicianRecord`]: a
//!    re-rating, or an override with a reason) releases it. See the
//!    "Holds" section below. A referral that cannot be ranked is `invalid`
//!    with its field path; the rest of the queue is placed.
//! 1. **Priority**: each [`Referral`] gets a tier from a [`PriorityPolicy`]
//!    (rules as data, each with its source; a site can replace them), with
//!    the rules that fired.
//! 2. **Candidates**: each referral is ranked once against the
//!    [`Directory`] (counts-only exclusions) and keeps its top k eligible
//!    programs ([`AssignOptions::candidates`]), in numbers: the ranking's
//!    one loop, finished without explaining its matches. Only the program a
//!    referral is placed in is explained (the same query, so the same words
//!    and alerts as its ranking would give), and only the programs an
//!    outcome names are read for their names.
//! 3. **Assignment**: tier by tier, most urgent first, an exact minimum-cost
//!    assignment places **as many referrals of the tier as the slots left allow,
//!    and among those placements the one with the highest total match
//!    score**. A tier is placed only in the slots the tiers above it left, so
//!    a lower tier never takes a slot a higher one could use.
//! 4. **Reasons**: every referral gets its program, score and rank in its
//!    own list, and why it is not its first choice ([`AssignReason`]); an
//!    unplaced referral gets why, and its best waitlist options.
//!
//! Open slots come from [`Program::open_slots`](crate::Program::open_slots); a program that does not list
//! them counts as [`AssignOptions::unlisted_slots`] (0 by default: nothing
//! is placed where capacity is unknown unless the caller says so).
//!
//! # Holds
//!
//! Most urgent first (one hold per referral; [`HoldKind`]):
//!
//! - `crisis_evaluation_required`: risk of harm at the policy's
//!   imminent-risk rating (5 by default), from the referral's
//!   `risk_of_harm` or its assessment's flag. The hold's text is the one
//!   crisis text ([`CrisisContact::imminent_risk_text`](crate::matching::CrisisContact::imminent_risk_text)), 911 first.
//! - `withdrawal_management_required`: a withdrawal-delirium code among the
//!   needs' diagnoses (read as a severe withdrawal risk), or the
//!   assessment's `withdrawal_risk`, reaches a withdrawal row of the policy
//!   that sets a level above the referral's (inpatient, by default).
//! - `needs_override`: the referral's level is below the floor its ratings
//!   set (the assessment's rating floors, or, with only `risk_of_harm`
//!   given, the policy's floors on it: 4 means at least residential).
//!
//! A [`ClinicianRecord::Rerated`] record replaces the ratings (and may hold
//! the referral again); a [`ClinicianRecord::Override`] for the referral's
//! own level releases every hold. Either is shown with the outcome.
//!
//! A placement offers a first-line therapy for the primary condition, where
//! the evidence table lists any: a program whose match carries
//! `no_first_line_therapy` is not used unless the site's priority policy
//! sets [`PriorityPolicy::allow_poor_clinical_fit`], and then the placement
//! is marked [`Placement::poor_clinical_fit`].
//!
//! # Exactness
//!
//! Scores are compared in whole millionths ([`SCORE_RESOLUTION`]): each
//! score is rounded to the nearest millionth and the solver works in
//! integers, so sums are exact. Among placements with equal totals the
//! solver prefers the smaller sum of each referral's rank in its own list
//! (its earlier choices: better distance, wait, then program id, as the
//! ranking orders them), then the first found in its fixed order (referrals
//! of a tier added by id, each search's ties to the program first seen in
//! those lists). The same input gives the same output, byte for byte.
//!
//! Candidates are each referral's top k ([`DEFAULT_CANDIDATES`], 10, by
//! default), and the result is still exact over **every** eligible program:
//! the solver's prices prove it (see "The solver" below). A referral whose
//! price is at most what any program below its cut could cost needs no more
//! of its list. The others (an unplaced referral always is one) are ranked
//! against a directory of only the programs that had a slot left when the
//! tier began, when those are few against them (a saturated tier), and
//! covered when no program below the cut there is cheaper for them than its
//! price allows; the rest are ranked twice as deep (up to all their eligible
//! programs) and the tier solved again, until every member is covered. An
//! unplaced referral's waitlist and reason read what they need below its
//! cut once every tier is placed. The tests check that k = 1, 2, 3, 5 and
//! 10 give the same placements as every eligible program on the sample
//! queue, k = 10 as k = 60 on a generated queue, and (`tests/assign_scale.rs`)
//! the same optimum per tier as the solver this one replaced, on random
//! contested and saturated queues.
//!
//! # The solver
//!
//! Each tier is a minimum-cost assignment on a sparse bipartite graph:
//! referrals (rows) to the programs in their candidate lists with a slot
//! left (columns, with capacities), each edge costing the score's millionths
//! short of 1 (weighted above any sum of choice ranks), and every row free
//! to stay unplaced at a cost above any difference between two placements'
//! sums, so the most placed come first. It is solved by shortest augmenting
//! paths one row at a time, in id order (the Hungarian method in the sparse
//! form of Jonker and Volgenant, 1987): Dijkstra's search from the new row
//! over reduced costs, through full programs to the rows they hold, to a
//! slot left or to the cheapest row to leave unplaced; row and program
//! prices (a dual solution, programs priced only when full) keep every
//! reduced cost non-negative and prove the result optimal (linear-programming
//! duality with complementary slackness).
//!
//! Cost, for a tier of `n` referrals with `E` candidate edges (10 a referral
//! at first) and `m` programs among them: each row is one search over the
//! part of the graph closer than its end, `O(E log m)` at worst and a few
//! columns where its first choices have slots or the prices of contested
//! programs have risen; so `O(n E log m)` at worst, and close to
//! `O(E log m)` in the queues measured (BENCHMARKS.md: 10,000 and 100,000
//! referrals over 30,000 programs). Memory is `O(n + E + m)` for the solver,
//! beside each referral's ranked candidates (about 10 a referral, in
//! numbers: a program's position, score, wait and whether it is a poor
//! clinical fit). The solver it replaced (a
//! minimum-cost flow by successive shortest paths, each search starting from
//! every unplaced referral of the tier) was `O(n E log m)` in practice too,
//! solved again from the start after each deeper ranking: 12.3 s for 10,000
//! referrals.
//!
//! # Example
//!
//! ```
//! use carematch::assign::{AssignOptions, PriorityPolicy, assign, referrals_from_json};
//! use carematch::{Directory, sample};
//!
//! let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
//! let referrals = referrals_from_json(sample::REFERRALS_JSON)?;
//! let result = assign(&dir, &referrals, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
//! assert!(result.placed > 0 && result.placed < referrals.len());
//! assert!(result.held > 0); // the sample queue has referrals at imminent risk
//! for r in &result.referrals {
//!     println!("{} {} {}: {}", r.referral_id, r.status, r.priority.tier, r.reason);
//! }
//! # Ok::<(), carematch::Error>(())
//! ```

#[cfg(feature = "testing")]
mod flow;
mod hold;
mod priority;
#[cfg(feature = "testing")]
mod reference;
mod sparse;
mod tier;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use hold::{ClinicianRecord, Hold, HoldKind};
pub use priority::{FiredRule, Priority, PriorityCondition, PriorityPolicy, PriorityRule, Tier};

use crate::{
    date::Date,
    error::{Error, Problem, ValidationReport},
    level::{Assessment, LevelOfCare, LevelPolicy, Rating},
    matching::{Alert, Directory, Match, MatchOptions, Query, Weights},
    patient::PatientNeeds,
    program::ProgramId,
};

/// Scores are compared in steps of this size (one millionth): a score is
/// rounded to the nearest step before the assignment adds them up.
pub const SCORE_RESOLUTION: f64 = 1e-6;
const SCALE: i64 = 1_000_000;

/// How many top-ranked programs each referral starts with; see the module's
/// "Exactness" section.
pub const DEFAULT_CANDIDATES: usize = 10;

/// How many waitlist options an unplaced referral is given.
const WAITLIST_OPTIONS: usize = 3;

/// An opaque referral identifier, chosen by the caller (a queue number, a
/// random token). **Never a patient's name or record number**: carematch does
/// not need either, and the assignment's output repeats this id.
///
/// 1 to 40 characters from `A-Z a-z 0-9 - _ . :`, so a name with a space
/// cannot be given; and not six or more digits alone, which look like a
/// record number.
///
/// # Example
///
/// ```
/// use carematch::assign::ReferralId;
/// assert_eq!(ReferralId::new("R-0042")?.as_str(), "R-0042");
/// assert!(ReferralId::new("Jane Doe").is_err());
/// assert!(ReferralId::new("00123456").is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ReferralId(String);

impl ReferralId {
    /// Checks and wraps an id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) when it is empty, longer than 40 characters, has a
    /// character outside `A-Z a-z 0-9 - _ . :`, or is six or more digits alone.
    ///
    /// # Example
    ///
    /// ```
    /// let e = carematch::assign::ReferralId::new("").unwrap_err();
    /// assert_eq!(e.to_string(), "invalid referral id ``: is empty");
    /// ```
    pub fn new(id: impl Into<String>) -> Result<ReferralId, Error> {
        let id = id.into();
        let bad = |reason: &str| Err(Error::parse("referral id", &id, reason));
        if id.is_empty() {
            return bad("is empty");
        }
        if id.chars().count() > 40 {
            return bad("is longer than 40 characters");
        }
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        {
            return bad(
                "use only letters, digits and - _ . : (an opaque id, never a patient's name)",
            );
        }
        if id.len() >= 6 && id.chars().all(|c| c.is_ascii_digit()) {
            return bad("looks like a record number: use an opaque id such as R-0042");
        }
        Ok(ReferralId(id))
    }

    /// The id as text.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::assign::ReferralId::new("q7")?.as_str(), "q7");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferralId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ReferralId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ReferralId, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        ReferralId::new(s).map_err(serde::de::Error::custom)
    }
}

/// One referral in a queue: an opaque id, the patient's needs, the level of
/// care chosen, and the facts its priority is read from.
///
/// In JSON (only `id`, `needs` and `level` are required):
///
/// ```json
/// {"id": "R-001", "level": "intensive_outpatient", "risk_of_harm": 4, "waiting_days": 3,
///  "needs": {"age": 34, "diagnoses": [{"code": "F33.1", "primary": true}], "payer": "masshealth",
///            "days_since_inpatient_discharge": 2}}
/// ```
///
/// # Example
///
/// ```
/// use carematch::assign::{Referral, ReferralId};
/// use carematch::{LevelOfCare, PatientNeeds, Payer};
/// let r = Referral::new(ReferralId::new("R-1")?, PatientNeeds::new(30, Payer::MassHealth), LevelOfCare::IntensiveOutpatient);
/// assert_eq!(r.waiting_days, 0);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Referral {
    /// The caller's opaque id.
    pub id: ReferralId,
    /// The patient's needs; their `level` is replaced by [`Referral::level`].
    pub needs: PatientNeeds,
    /// The level of care chosen for the patient.
    pub level: LevelOfCare,
    /// The risk-of-harm rating from the patient's assessment, when known.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub risk_of_harm: Option<Rating>,
    /// Days the referral has waited so far.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::serde_impl::numbers::waiting_days")
    )]
    pub waiting_days: u16,
    /// The patient's assessment, when the queue carries it: its ratings
    /// (risk of harm among them, which must then agree with
    /// `risk_of_harm`), its withdrawal-risk rating and its context set the
    /// floors the referral's level is checked against (see the module's
    /// "Holds" section).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub assessment: Option<Assessment>,
    /// A clinician's record: a re-rating after an evaluation, or an override
    /// with a reason. The only way out of a hold.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub clinician: Option<ClinicianRecord>,
}

impl Referral {
    /// A referral with no risk rating and no wait so far.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{Referral, ReferralId};
    /// use carematch::{LevelOfCare, PatientNeeds, Payer};
    /// let r = Referral::new(ReferralId::new("R-1")?, PatientNeeds::new(30, Payer::MassHealth), LevelOfCare::Outpatient);
    /// assert!(r.risk_of_harm.is_none());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(id: ReferralId, needs: PatientNeeds, level: LevelOfCare) -> Referral {
        Referral {
            id,
            needs,
            level,
            risk_of_harm: None,
            waiting_days: 0,
            assessment: None,
            clinician: None,
        }
    }

    /// The risk-of-harm rating in force: a clinician's re-rating, else the
    /// assessment's, else `risk_of_harm`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{ClinicianRecord, Referral, ReferralId};
    /// use carematch::{Assessment, LevelOfCare, PatientNeeds, Payer, Rating, Ratings};
    /// let mut r = Referral::new(ReferralId::new("R-1")?, PatientNeeds::new(30, Payer::MassHealth), LevelOfCare::IntensiveOutpatient);
    /// r.risk_of_harm = Some(Rating::MAX);
    /// r.clinician = Some(ClinicianRecord::Rerated { assessment: Assessment::new(Ratings::try_from([3, 2, 2, 2, 2, 2, 2])?) });
    /// assert_eq!(r.risk_in_force().map(Rating::get), Some(3));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn risk_in_force(&self) -> Option<Rating> {
        let rerated = match &self.clinician {
            Some(ClinicianRecord::Rerated { assessment }) => Some(assessment),
            _ => None,
        };
        match rerated.or(self.assessment.as_ref()) {
            Some(a) => Some(a.ratings.rating(crate::level::Dimension::RiskOfHarm)),
            None => self.risk_of_harm,
        }
    }
}

/// Reads a referral queue from JSON: `{"referrals": [...]}` (with an
/// optional `"notice"`), each entry a [`Referral`].
///
/// # Errors
///
/// [`ErrorKind::Json`](crate::ErrorKind::Json) with the field path of the first problem (a bad id
/// included); [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when two referrals share an id.
///
/// # Example
///
/// ```
/// let rs = carematch::assign::referrals_from_json(carematch::sample::REFERRALS_JSON)?;
/// assert!(rs.len() >= 20);
/// let bad = r#"{"referrals": [{"id": "Jane Doe", "level": "outpatient", "needs": {"age": 30, "diagnoses": [], "payer": "medicare"}}]}"#;
/// assert!(carematch::assign::referrals_from_json(bad).unwrap_err().to_string().starts_with("referrals[0].id"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[cfg(feature = "serde")]
pub fn referrals_from_json(text: &str) -> Result<Vec<Referral>, Error> {
    #[derive(serde::Deserialize)]
    #[serde(
        deny_unknown_fields,
        expecting = "a referral queue as a JSON object with the field referrals"
    )]
    struct Doc {
        #[serde(default, rename = "notice")]
        _notice: Option<String>,
        referrals: Vec<Referral>,
    }
    let referrals = crate::serde_impl::from_json::<Doc>(text)?.referrals;
    check_ids(&referrals)?;
    Ok(referrals)
}

fn check_ids(referrals: &[Referral]) -> Result<(), Error> {
    let mut seen: BTreeMap<&ReferralId, usize> = BTreeMap::new();
    let mut report = ValidationReport::default();
    for (i, r) in referrals.iter().enumerate() {
        if let Some(first) = seen.insert(&r.id, i) {
            report.error(
                format!("referrals[{i}].id"),
                format!("`{}` is also the id of referrals[{first}]", r.id),
            );
        }
    }
    report.into_result().map(|_| ())
}

/// How places are chosen.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::assign::Method::default().to_string(), "optimal by priority tier");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Method {
    /// Tier by tier, most urgent first, the most referrals placed and then
    /// the highest total score (see [`assign`]).
    #[default]
    Optimal,
    /// The baseline it is measured against: referrals in queue order (as
    /// given), each to its best-ranked program with a slot left, ignoring
    /// priority.
    FirstComeFirstServed,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Optimal => "optimal by priority tier",
            Method::FirstComeFirstServed => "first come, first served",
        })
    }
}

/// Options for [`assign`]: by-value setters over documented defaults.
///
/// # Example
///
/// ```
/// use carematch::assign::{AssignOptions, Method};
/// let o = AssignOptions::new(carematch::sample::AS_OF).with_unlisted_slots(1).with_candidates(20);
/// assert_eq!((o.unlisted_slots(), o.candidates(), o.method()), (1, 20, Method::Optimal));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AssignOptions {
    level_policy: LevelPolicy,
    match_options: MatchOptions,
    weights: Weights,
    candidates: usize,
    unlisted_slots: u32,
    method: Method,
    threads: usize,
    /// Solve with the solver this one replaced (tests compare the two).
    #[cfg(feature = "testing")]
    reference_solver: bool,
}

impl AssignOptions {
    /// Defaults: [`MatchOptions::new`]`(as_of)` (exclusion details are
    /// always turned off: the assignment reads counts only), default
    /// weights, [`DEFAULT_CANDIDATES`] candidates, 0 slots for a program that
    /// does not list them, [`Method::Optimal`], and ranking on as many
    /// threads as the machine offers.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.unlisted_slots(), 0);
    /// ```
    pub fn new(as_of: Date) -> AssignOptions {
        AssignOptions {
            level_policy: LevelPolicy::default(),
            match_options: MatchOptions::new(as_of),
            weights: Weights::default(),
            candidates: DEFAULT_CANDIDATES,
            unlisted_slots: 0,
            method: Method::Optimal,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            #[cfg(feature = "testing")]
            reference_solver: false,
        }
    }

    /// The level policy a referral's level is checked against (its floors,
    /// imminent-risk rule and withdrawal rows decide the holds; see the
    /// module's "Holds" section). The default adult policy by default.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelPolicy, assign::AssignOptions};
    /// let o = AssignOptions::new(carematch::sample::AS_OF).with_level_policy(LevelPolicy::default());
    /// assert_eq!(o.level_policy(), &LevelPolicy::default());
    /// ```
    pub fn with_level_policy(mut self, policy: LevelPolicy) -> AssignOptions {
        self.level_policy = policy;
        self
    }

    /// The level policy in use.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.level_policy().rules().name, "carematch adult default");
    /// ```
    pub fn level_policy(&self) -> &LevelPolicy {
        &self.level_policy
    }

    /// The matching options every referral is ranked with.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{assign::AssignOptions, matching::MatchOptions, sample::AS_OF};
    /// let o = AssignOptions::new(AS_OF).with_match_options(MatchOptions::new(AS_OF).with_self_pay_allowed(true));
    /// assert!(o.match_options().self_pay_allowed());
    /// ```
    pub fn with_match_options(mut self, options: MatchOptions) -> AssignOptions {
        self.match_options = options;
        self
    }

    /// The weights every referral is ranked with.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{assign::AssignOptions, matching::Weights};
    /// let o = AssignOptions::new(carematch::sample::AS_OF).with_weights(Weights::default());
    /// assert_eq!(o.weights(), Weights::default());
    /// ```
    pub fn with_weights(mut self, weights: Weights) -> AssignOptions {
        self.weights = weights;
        self
    }

    /// How many top-ranked programs each referral starts with (at least 1).
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF).with_candidates(0);
    /// assert_eq!(o.candidates(), 1);
    /// ```
    pub fn with_candidates(mut self, k: usize) -> AssignOptions {
        self.candidates = k.max(1);
        self
    }

    /// Open slots assumed for a program that does not list them (0 by default).
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF).with_unlisted_slots(2);
    /// assert_eq!(o.unlisted_slots(), 2);
    /// ```
    pub fn with_unlisted_slots(mut self, slots: u32) -> AssignOptions {
        self.unlisted_slots = slots;
        self
    }

    /// How places are chosen.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{AssignOptions, Method};
    /// let o = AssignOptions::new(carematch::sample::AS_OF).with_method(Method::FirstComeFirstServed);
    /// assert_eq!(o.method(), Method::FirstComeFirstServed);
    /// ```
    pub fn with_method(mut self, method: Method) -> AssignOptions {
        self.method = method;
        self
    }

    /// Threads to rank referrals on (at least 1). The result does not
    /// depend on it.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF).with_threads(1);
    /// assert_eq!(o.threads(), 1);
    /// ```
    pub fn with_threads(mut self, n: usize) -> AssignOptions {
        self.threads = n.max(1);
        self
    }

    /// Places with the solver the assignment used before (a minimum-cost
    /// flow by successive shortest paths from every unplaced referral at
    /// once, and a coarser certificate), so tests can hold the two to the
    /// same optimum. Only with the `testing` feature; not part of the API.
    #[doc(hidden)]
    #[cfg(feature = "testing")]
    pub fn with_reference_solver(mut self, yes: bool) -> AssignOptions {
        self.reference_solver = yes;
        self
    }

    /// The matching options.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.match_options().as_of(), carematch::sample::AS_OF);
    /// ```
    pub fn match_options(&self) -> MatchOptions {
        self.match_options
    }

    /// The weights.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.weights(), carematch::matching::Weights::default());
    /// ```
    pub fn weights(&self) -> Weights {
        self.weights
    }

    /// The starting number of candidates per referral.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::assign::AssignOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.candidates(), carematch::assign::DEFAULT_CANDIDATES);
    /// ```
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// Slots assumed for a program that does not list them.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::assign::AssignOptions::new(carematch::sample::AS_OF).unlisted_slots(), 0);
    /// ```
    pub fn unlisted_slots(&self) -> u32 {
        self.unlisted_slots
    }

    /// The method.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{AssignOptions, Method};
    /// assert_eq!(AssignOptions::new(carematch::sample::AS_OF).method(), Method::Optimal);
    /// ```
    pub fn method(&self) -> Method {
        self.method
    }

    /// Threads used for ranking.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::assign::AssignOptions::new(carematch::sample::AS_OF).threads() >= 1);
    /// ```
    pub fn threads(&self) -> usize {
        self.threads
    }
}

/// Where a referral was placed.
///
/// # Example
///
/// ```
/// # use carematch::assign::*; use carematch::{Directory, sample};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let a = assign(&dir, &rs, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
/// let p = a.referrals.iter().find_map(|r| r.placement.as_ref()).unwrap();
/// assert!(p.choice >= 1 && p.score > 0.0);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Placement {
    /// The program's id.
    pub program_id: ProgramId,
    /// The program's name.
    pub program_name: String,
    /// The referral's match score there.
    pub score: f64,
    /// Its rank in the referral's own list (1 = first choice).
    pub choice: usize,
    /// The program offers no first-line therapy for the patient's primary
    /// condition: placed there only because the site's priority policy
    /// allows it ([`PriorityPolicy::allow_poor_clinical_fit`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub poor_clinical_fit: bool,
    /// The match's own alerts there (confirm the MOUD medication, hours
    /// below the level, stale or unconfirmed listing ...), most urgent
    /// first; each with its `"channel"` and `"text"` in JSON.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            with = "crate::matching::alerts_with_channel"
        )
    )]
    pub alerts: Vec<Alert>,
}

/// A program an unplaced referral could wait for, from its own ranking.
///
/// # Example
///
/// ```
/// # use carematch::assign::*; use carematch::{Directory, sample};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let a = assign(&dir, &rs, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
/// let w = a.referrals.iter().flat_map(|r| &r.waitlist).next().unwrap();
/// assert!(w.choice >= 1);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WaitlistOption {
    /// The program's id.
    pub program_id: ProgramId,
    /// The program's name.
    pub program_name: String,
    /// The referral's match score there.
    pub score: f64,
    /// Its rank in the referral's own list.
    pub choice: usize,
    /// Typical days to intake, when listed.
    pub wait_days: Option<u16>,
}

/// Why a referral was placed where it was, or not placed.
///
/// # Example
///
/// ```
/// use carematch::assign::AssignReason;
/// assert_eq!(AssignReason::FirstChoice.to_string(), "placed at its first choice");
/// assert_eq!(AssignReason::AllEligibleFull { eligible: 3 }.to_string(),
///            "not placed: all 3 eligible programs are full or list no open slots");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        tag = "kind",
        rename_all = "snake_case",
        rename_all_fields = "snake_case"
    )
)]
#[non_exhaustive]
pub enum AssignReason {
    /// Placed at its first choice.
    FirstChoice,
    /// Not at its first choice, which lists no open slots.
    FirstChoiceHasNoSlots {
        /// The first choice.
        program_id: ProgramId,
        /// Its name.
        program_name: String,
    },
    /// Not at its first choice, which does not list open slots (counted as
    /// [`AssignOptions::unlisted_slots`]).
    FirstChoiceSlotsNotListed {
        /// The first choice.
        program_id: ProgramId,
        /// Its name.
        program_name: String,
    },
    /// Not at its first choice, which offers no first-line therapy for the
    /// primary condition (the site's policy does not place there).
    FirstChoicePoorClinicalFit {
        /// The first choice.
        program_id: ProgramId,
        /// Its name.
        program_name: String,
    },
    /// Not at its first choice, filled by referrals of higher priority.
    FirstChoiceFilledByHigherPriority {
        /// The first choice.
        program_id: ProgramId,
        /// Its name.
        program_name: String,
    },
    /// Not at its first choice, filled by a referral of the same tier whose
    /// placement there adds more to the total score.
    FirstChoiceFilledBy {
        /// The first choice.
        program_id: ProgramId,
        /// Its name.
        program_name: String,
        /// The referral placed there with the highest score there.
        referral: ReferralId,
    },
    /// Not at its first choice, filled by a referral earlier in the queue
    /// ([`Method::FirstComeFirstServed`] only).
    FirstChoiceFilledEarlier {
        /// The first choice.
        program_id: ProgramId,
        /// Its name.
        program_name: String,
        /// The first referral placed there.
        referral: ReferralId,
    },
    /// Not placed: no program in the directory can take the referral.
    NoEligibleProgram,
    /// Not placed: every eligible program is full (or lists no open slots).
    AllEligibleFull {
        /// How many programs were eligible.
        eligible: usize,
    },
    /// Not placed: every eligible program with a slot offers no first-line
    /// therapy for the primary condition, and the site's policy does not
    /// allow placing there.
    OnlyPoorClinicalFit {
        /// How many programs were eligible.
        eligible: usize,
    },
    /// Not placed: held (see the referral's hold).
    Held {
        /// Why.
        hold: HoldKind,
    },
    /// Not placed: the referral cannot be ranked (see its problem).
    Invalid,
}

impl fmt::Display for AssignReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssignReason::FirstChoice => write!(f, "placed at its first choice"),
            AssignReason::FirstChoiceHasNoSlots { program_name, .. } => {
                write!(f, "first choice {program_name} lists no open slots")
            }
            AssignReason::FirstChoiceSlotsNotListed { program_name, .. } => {
                write!(
                    f,
                    "first choice {program_name} does not list its open slots"
                )
            }
            AssignReason::FirstChoicePoorClinicalFit { program_name, .. } => write!(
                f,
                "first choice {program_name} offers no first-line therapy for the primary condition"
            ),
            AssignReason::FirstChoiceFilledByHigherPriority { program_name, .. } => write!(
                f,
                "first choice {program_name} filled by higher-priority referrals"
            ),
            AssignReason::FirstChoiceFilledBy {
                program_name,
                referral,
                ..
            } => write!(
                f,
                "first choice {program_name} filled by referral {referral} with a higher score gain"
            ),
            AssignReason::FirstChoiceFilledEarlier {
                program_name,
                referral,
                ..
            } => write!(
                f,
                "first choice {program_name} filled by referral {referral}, earlier in the queue"
            ),
            AssignReason::NoEligibleProgram => write!(f, "not placed: no eligible program"),
            AssignReason::AllEligibleFull { eligible } => write!(
                f,
                "not placed: all {eligible} eligible program{} full or list{} no open slots",
                if *eligible == 1 { " is" } else { "s are" },
                if *eligible == 1 { "s" } else { "" }
            ),
            AssignReason::OnlyPoorClinicalFit { eligible } => write!(
                f,
                "not placed: of {eligible} eligible program{}, those with a slot offer no first-line therapy for the primary condition",
                if *eligible == 1 { "" } else { "s" }
            ),
            AssignReason::Held { hold } => write!(f, "not placed: held ({hold})"),
            AssignReason::Invalid => f.write_str("not placed: the referral cannot be ranked"),
        }
    }
}

crate::terms::terms! {
    /// Where a referral stands after the assignment.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::ReferralStatus;
    /// assert_eq!(ReferralStatus::Held.key(), "held");
    /// ```
    pub enum ReferralStatus: "referral status" {
        /// Placed in a slot.
        Placed = "placed", "placed";
        /// Not placed: no slot, or no program that fits (see the reason and waitlist).
        Unplaced = "unplaced", "unplaced";
        /// Held before placement until a clinician records a decision (see the hold).
        Held = "held", "held";
        /// Cannot be ranked as given (see the problem and its field path).
        Invalid = "invalid", "invalid";
    }
}

/// One referral's outcome: its status and any hold first, then alerts, its
/// placement and why.
///
/// # Example
///
/// ```
/// # use carematch::assign::*; use carematch::{Directory, sample};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let a = assign(&dir, &rs, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
/// // Held referrals come first, each with what to do.
/// assert_eq!(a.referrals[0].status, ReferralStatus::Held);
/// assert!(a.referrals[0].placement.is_none());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReferralOutcome {
    /// The referral's id.
    pub referral_id: ReferralId,
    /// Placed, unplaced, held or invalid.
    pub status: ReferralStatus,
    /// Why it is held and what to do (a held referral takes no slot).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub hold: Option<Hold>,
    /// Why it cannot be ranked, with its field path (status `invalid`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub problem: Option<Problem>,
    /// The clinician's record on it, shown with every outcome it shaped.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub clinician: Option<ClinicianRecord>,
    /// What to confirm about the referral's needs, with field paths (a
    /// pregnancy read from a code, an O99.3 code without its F code ...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub warnings: Vec<Problem>,
    /// What a clinician must see first about this patient (from the
    /// referral's own facts and its ranking), each with its `"channel"` and
    /// `"text"` in JSON.
    #[cfg_attr(
        feature = "serde",
        serde(with = "crate::matching::alerts_with_channel")
    )]
    pub alerts: Vec<Alert>,
    /// Its tier and the rules behind it.
    pub priority: Priority,
    /// The program it was placed at, if any.
    pub placement: Option<Placement>,
    /// Why it is there (or nowhere).
    pub reason: AssignReason,
    /// For an unplaced referral, its best-ranked programs, to wait for.
    pub waitlist: Vec<WaitlistOption>,
    /// How many programs were eligible for it.
    pub eligible: usize,
}

/// Totals for one tier.
///
/// # Example
///
/// ```
/// # use carematch::assign::*; use carematch::{Directory, sample};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let a = assign(&dir, &rs, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
/// // Held and invalid referrals are in no tier.
/// assert_eq!(a.tiers.iter().map(|t| t.referrals).sum::<usize>(), rs.len() - a.held - a.invalid);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TierSummary {
    /// The tier.
    pub tier: Tier,
    /// Referrals in it.
    pub referrals: usize,
    /// How many were placed.
    pub placed: usize,
    /// The sum of their scores.
    pub total_score: f64,
}

/// The outcome of placing a queue.
///
/// # Example
///
/// ```
/// # use carematch::assign::*; use carematch::{Directory, sample};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let a = assign(&dir, &rs, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
/// assert_eq!(a.placed, a.referrals.iter().filter(|r| r.placement.is_some()).count());
/// println!("{a}");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Assignment {
    /// How places were chosen.
    pub method: Method,
    /// The priority policy's name.
    pub policy: String,
    /// Slots assumed for programs that do not list them.
    pub unlisted_slots: u32,
    /// How many referrals were placed.
    pub placed: usize,
    /// How many are held before placement (they take no slot).
    pub held: usize,
    /// How many cannot be ranked as given.
    pub invalid: usize,
    /// Every referral: the held ones first, then the rest, each group in
    /// the order given.
    pub referrals: Vec<ReferralOutcome>,
    /// Totals per tier, most urgent first (held and invalid referrals are
    /// in no tier).
    pub tiers: Vec<TierSummary>,
    /// The sum of the placed referrals' scores.
    pub total_score: f64,
}

impl fmt::Display for Assignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} placed, {} held",
            self.placed,
            self.referrals.len(),
            self.held
        )?;
        if self.invalid > 0 {
            write!(f, ", {} invalid", self.invalid)?;
        }
        writeln!(
            f,
            " ({}; policy: {}; programs not listing open slots counted as {})",
            self.method, self.policy, self.unlisted_slots
        )?;
        for t in &self.tiers {
            writeln!(
                f,
                "  {}: {} of {} placed, total score {:.3}",
                t.tier, t.placed, t.referrals, t.total_score
            )?;
        }
        for r in &self.referrals {
            writeln!(f)?;
            match (&r.hold, &r.problem) {
                (Some(h), _) => {
                    writeln!(f, "{}  HELD: {}", r.referral_id, h.kind)?;
                    writeln!(f, "  {}", h.text)?;
                }
                (None, Some(p)) => {
                    writeln!(f, "{}  INVALID", r.referral_id)?;
                    writeln!(f, "  {p}")?;
                }
                (None, None) => writeln!(f, "{}  {}", r.referral_id, r.priority)?,
            }
            if let (Some(_), Some(p)) = (&r.hold, &r.problem) {
                writeln!(f, "  also: {p}")?;
            }
            if let Some(c) = &r.clinician {
                writeln!(f, "  record: {c}")?;
            }
            for w in &r.warnings {
                writeln!(f, "  confirm: {}: {}", w.path, w.message)?;
            }
            for a in &r.alerts {
                // A crisis hold's text is the crisis alert's: said once.
                if matches!(a, Alert::ImminentRisk { .. })
                    && r.hold
                        .as_ref()
                        .is_some_and(|h| h.kind == HoldKind::CrisisEvaluationRequired)
                {
                    continue;
                }
                writeln!(f, "  ! {a}")?;
            }
            if r.hold.is_some() {
                continue;
            }
            match &r.placement {
                Some(p) => writeln!(
                    f,
                    "  placed: {} ({}), score {:.3}, choice {} of {} eligible{}",
                    p.program_name,
                    p.program_id,
                    p.score,
                    p.choice,
                    r.eligible,
                    if p.poor_clinical_fit {
                        "; POOR CLINICAL FIT: no first-line therapy for the primary condition"
                    } else {
                        ""
                    }
                )?,
                None => writeln!(f, "  not placed")?,
            }
            for a in r.placement.iter().flat_map(|p| &p.alerts) {
                writeln!(f, "    ! {a}")?;
            }
            writeln!(f, "  why: {}", r.reason)?;
            for w in &r.waitlist {
                let wait = w.wait_days.map_or_else(
                    || "wait not listed".to_owned(),
                    |d| format!("about {d} days"),
                );
                writeln!(
                    f,
                    "  waitlist: {} ({}), score {:.3}, {wait}",
                    w.program_name, w.program_id, w.score
                )?;
            }
        }
        Ok(())
    }
}

/// One candidate program of one referral, from its ranking in numbers: its
/// program's id, name and the match's alerts are read only for the programs
/// the outcome shows ([`Named`], [`Ranker::explain_placements`]).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// The program's position in the directory.
    program: usize,
    score: f64,
    wait_days: Option<u16>,
    /// Offers no first-line therapy for the primary condition (the match
    /// carries `no_first_line_therapy`).
    poor_fit: bool,
}

impl Candidate {
    /// Whether a referral can be placed here now: a slot is left, and the
    /// program is not a poor clinical fit (unless the site allows one).
    fn usable(&self, left: &[u32], allow_poor: bool) -> bool {
        left[self.program] > 0 && (allow_poor || !self.poor_fit)
    }
}

/// A referral ranked: its candidates best first, and how many were eligible.
#[derive(Debug, Clone, Default)]
struct Ranked {
    alerts: Vec<Alert>,
    candidates: Vec<Candidate>,
    /// The programs ranked after `candidates` when it was last ranked deeper
    /// ([`deepen`]), not in its list yet: its list grows from them while they
    /// last. The ranking's alerts are `alerts` at every depth they reach.
    ahead: Vec<Candidate>,
    eligible: usize,
    /// For an unplaced referral whose list was cut: a program below the cut
    /// that is a poor clinical fit has a slot left ([`finish_unplaced`]).
    poor_fit_open_below: bool,
}

impl Ranked {
    fn truncated(&self) -> bool {
        self.candidates.len() < self.eligible
    }
}

/// The one query the assignment ranks and explains `referral` with: at its
/// level (which replaces the needs' level, as documented on
/// [`Referral::needs`]), counts-only exclusions.
///
/// The referral's own withdrawal alert (read under the level policy in use,
/// with its assessment's rating) replaces the query's, which the needs'
/// codes alone raised under the default rows: the ranking then carries it,
/// and each match confirms withdrawal management.
fn referral_query(
    dir: &Directory,
    referral: &Referral,
    own: &[Alert],
    options: &AssignOptions,
) -> Result<Query, Error> {
    let match_options = options.match_options.with_exclusion_details(false);
    let mut q = if referral.needs.level.is_some_and(|l| l != referral.level) {
        let mut needs = referral.needs.clone();
        needs.level = Some(referral.level);
        dir.query(&needs, referral.level, match_options)?
    } else {
        dir.query(&referral.needs, referral.level, match_options)?
    };
    if let Some(w) = own.iter().find(|a| matches!(a, Alert::Withdrawal { .. })) {
        q.set_alert(w.clone());
    }
    Ok(q)
}

/// `referral` ranked top `k` against `dir`, in numbers (the matches of
/// [`Directory::rank`], not explained); `positions`: each program's position
/// in the queue's directory when `dir` is a part of it.
fn ranked(
    dir: &Directory,
    positions: Option<&[usize]>,
    referral: &Referral,
    own: &[Alert],
    options: &AssignOptions,
    k: usize,
) -> Result<Ranked, Error> {
    let q = referral_query(dir, referral, own, options)?;
    let ranking = dir.rank_scored(&q, &options.weights, k);
    let candidates = ranking
        .matches
        .into_iter()
        .map(|m| Candidate {
            program: positions.map_or(m.program, |p| p[m.program]),
            score: m.score,
            wait_days: m.wait_days,
            poor_fit: m.no_first_line_therapy,
        })
        .collect();
    // The referral's own facts (its risk rating) raise the alerts an
    // assessment would: a referral queue often carries the ratings, not the
    // recommendation. An alert of a kind the ranking already raised (its
    // withdrawal alert, put into the query above) is not repeated.
    let mut alerts = ranking.alerts;
    for a in own {
        if !alerts.iter().any(|b| b.key() == a.key()) {
            alerts.push(a.clone());
        }
    }
    alerts.sort_by_key(Alert::urgency);
    Ok(Ranked {
        alerts,
        candidates,
        ahead: Vec::new(),
        eligible: ranking.eligible,
        poor_fit_open_below: false,
    })
}

/// Puts referral `i`'s path in front of an error about its needs.
fn at_referral(i: usize, e: Error) -> Error {
    e.within(&format!("referrals[{i}].needs"))
}

/// A score in whole millionths, from 0 to [`SCALE`].
fn units(score: f64) -> i64 {
    // Scores are in [0, 1]; the clamp keeps a NaN or stray value inside.
    let u = (score.clamp(0.0, 1.0) * SCALE as f64).round();
    if u.is_nan() { 0 } else { u as i64 }
}

/// Places a queue of referrals within the directory's open slots; see the
/// module documentation for the method, its exactness and its reasons.
///
/// Each referral is ranked once, at its own level, with exclusion details
/// off and the top [`AssignOptions::candidates`] kept (ranked again deeper
/// only when its tier needs it).
///
/// # Errors
///
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when two referrals share an id;
/// [`ErrorKind::Config`](crate::ErrorKind::Config) for a priority policy with a rule lacking a name or
/// source. A referral that cannot be ranked (its needs do not validate, its
/// record contradicts it) is not an error: it has status
/// [`ReferralStatus::Invalid`] with its field path, and the rest of the queue
/// is placed.
///
/// # Example
///
/// ```
/// use carematch::assign::{AssignOptions, Method, PriorityPolicy, assign, referrals_from_json};
/// use carematch::{Directory, sample};
///
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let options = AssignOptions::new(sample::AS_OF);
/// let best = assign(&dir, &rs, &PriorityPolicy::default(), &options)?;
/// let fcfs = assign(&dir, &rs, &PriorityPolicy::default(), &options.with_method(Method::FirstComeFirstServed))?;
/// assert!(best.placed >= fcfs.placed);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn assign(
    dir: &Directory,
    referrals: &[Referral],
    policy: &PriorityPolicy,
    options: &AssignOptions,
) -> Result<Assignment, Error> {
    policy.check()?;
    check_ids(referrals)?;
    let slots = Slots::of(dir, options);
    // Each referral read first: held and invalid ones are ranked for no slot.
    let mut state: Vec<State> = referrals
        .iter()
        .enumerate()
        .map(|(i, r)| State::read(r, i, &options.level_policy))
        .collect();
    let ranker = Ranker {
        dir,
        referrals,
        own: state.iter().map(State::own_alerts).collect(),
        options,
    };
    let priorities: Vec<Priority> = referrals.iter().map(|r| policy.priority(r)).collect();
    let mut ranked = ranker.first_ranking(&mut state);
    let placeable: Vec<bool> = state.iter().map(|s| matches!(s, State::Go(_))).collect();
    let allow_poor = policy.allow_poor_clinical_fit;
    let mut choices = Choices {
        chosen: vec![None; referrals.len()],
        first_left: vec![0; referrals.len()],
        left: slots.counted.clone(),
    };
    match options.method {
        Method::Optimal => {
            place_optimal(
                &ranker,
                &priorities,
                &placeable,
                allow_poor,
                &mut ranked,
                &mut choices,
            )?;
            finish_unplaced(&ranker, &placeable, allow_poor, &mut ranked, &choices)?;
        }
        Method::FirstComeFirstServed => {
            place_first_come(&ranker, &placeable, allow_poor, &mut ranked, &mut choices)?;
        }
    }
    let explained = ranker.explain_placements(&ranked, &choices.chosen)?;
    let placing = Placing {
        priorities,
        state,
        ranked,
        choices,
        explained,
    };
    outcome(dir, referrals, policy, options, &slots, placing)
}

/// A referral before placement, with its own alerts: to be placed, held
/// (with the problem in its record, if any: a referral at imminent risk is
/// held even then), or invalid.
#[derive(Debug, Clone)]
enum State {
    Go(Vec<Alert>),
    Held(Hold, Vec<Alert>, Option<Problem>),
    Invalid(Problem, Vec<Alert>),
}

impl State {
    /// Referral `i` as [`hold::read`] reads it under `policy`.
    fn read(r: &Referral, i: usize, policy: &LevelPolicy) -> State {
        let reading = hold::read(r, i, policy);
        match (reading.hold, reading.problem) {
            (Some(h), problem) => State::Held(h, reading.alerts, problem),
            (None, Some(problem)) => State::Invalid(problem, reading.alerts),
            (None, None) => State::Go(reading.alerts),
        }
    }

    /// The alerts a referral to be placed carries into its ranking (none
    /// for a held or invalid one, which is not ranked).
    fn own_alerts(&self) -> Vec<Alert> {
        match self {
            State::Go(a) => a.clone(),
            _ => Vec::new(),
        }
    }
}

/// Whether each program lists its open slots, and the slots counted (the
/// options' figure for a program that lists none).
struct Slots {
    listed: Vec<Option<u32>>,
    counted: Vec<u32>,
}

impl Slots {
    fn of(dir: &Directory, options: &AssignOptions) -> Slots {
        let listed: Vec<Option<u32>> = (0..dir.len()).map(|i| dir.open_slots_at(i)).collect();
        let counted = listed
            .iter()
            .map(|s| s.unwrap_or(options.unlisted_slots))
            .collect();
        Slots { listed, counted }
    }
}

/// What ranking a referral reads: the directory with each program's
/// position, the queue with each referral's own alerts, the options.
struct Ranker<'a> {
    dir: &'a Directory,
    referrals: &'a [Referral],
    own: Vec<Vec<Alert>>,
    options: &'a AssignOptions,
}

impl Ranker<'_> {
    /// Ranks every referral to be placed, top [`AssignOptions::candidates`];
    /// one that cannot be ranked becomes invalid, with its problem.
    fn first_ranking(&self, state: &mut [State]) -> Vec<Ranked> {
        let jobs: Vec<(usize, usize)> = (0..self.referrals.len())
            .filter(|&i| matches!(state[i], State::Go(_)))
            .map(|i| (i, self.options.candidates))
            .collect();
        let mut ranked: Vec<Ranked> = vec![Ranked::default(); self.referrals.len()];
        for (&(i, _), r) in jobs.iter().zip(self.rank_jobs(self.dir, None, &jobs)) {
            match r {
                Ok(r) => ranked[i] = r,
                Err(e) => state[i] = State::Invalid(first_problem(e), self.own[i].clone()),
            }
        }
        ranked
    }

    /// Ranks the referrals `jobs` names, each `(referral index, k)`, against
    /// `dir` (the directory, or a part of it: `positions` gives each of its
    /// programs' position in the directory), on `options.threads` threads;
    /// the result is in the order of `jobs` whatever the threads.
    ///
    /// Each job's result is its own: a referral that cannot be ranked gets its
    /// error, and the others are ranked all the same.
    fn rank_jobs(
        &self,
        dir: &Directory,
        positions: Option<&[usize]>,
        jobs: &[(usize, usize)],
    ) -> Vec<Result<Ranked, Error>> {
        self.on_threads(jobs, |&(i, k)| self.ranked_in(dir, positions, i, k))
    }

    /// `one` of each of `jobs`, on `options.threads` threads, in the order of
    /// `jobs` whatever the threads.
    fn on_threads<J: Sync, T: Send>(
        &self,
        jobs: &[J],
        one: impl Fn(&J) -> Result<T, Error> + Sync,
    ) -> Vec<Result<T, Error>> {
        let threads = self.options.threads.min(jobs.len()).max(1);
        if threads == 1 {
            return jobs.iter().map(one).collect();
        }
        let chunk = jobs.len().div_ceil(threads);
        let one = &one;
        let parts: Vec<Vec<Result<T, Error>>> = std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .map(|part| (part.len(), s.spawn(move || part.iter().map(one).collect())))
                .collect();
            handles
                .into_iter()
                .map(|(n, h)| {
                    h.join().unwrap_or_else(|_| {
                        (0..n)
                            .map(|_| Err(Error::internal("assignment: a ranking thread panicked")))
                            .collect()
                    })
                })
                .collect()
        });
        parts.into_iter().flatten().collect()
    }

    /// Referral `i` ranked against `dir` (with its programs' `positions`,
    /// when a part), top `k`, an error carrying its path.
    fn ranked_in(
        &self,
        dir: &Directory,
        positions: Option<&[usize]>,
        i: usize,
        k: usize,
    ) -> Result<Ranked, Error> {
        ranked(
            dir,
            positions,
            &self.referrals[i],
            &self.own[i],
            self.options,
            k,
        )
        .map_err(|e| at_referral(i, e))
    }

    /// Each placed referral's program explained as its ranking lists it (the
    /// same query, so the same words and alerts), by referral: `chosen`, each
    /// referral's candidate index in `ranked`, once placed.
    fn explain_placements(
        &self,
        ranked: &[Ranked],
        chosen: &[Option<usize>],
    ) -> Result<Vec<Option<Match>>, Error> {
        let jobs: Vec<(usize, usize)> = chosen
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i, ranked[i].candidates.get((*c)?)?.program)))
            .collect();
        let found = self.on_threads(&jobs, |&(i, program)| {
            let q = referral_query(self.dir, &self.referrals[i], &self.own[i], self.options)
                .map_err(|e| at_referral(i, e))?;
            self.dir
                .explain_match_at(&q, &self.options.weights, program)
                .ok_or_else(|| Error::internal("assignment: a placement is not a match"))
        });
        let mut explained = vec![None; chosen.len()];
        for (&(i, _), m) in jobs.iter().zip(found) {
            explained[i] = Some(m?);
        }
        Ok(explained)
    }
}

/// The choices placement makes, referral by referral.
struct Choices {
    /// Each referral's candidate index, once placed.
    chosen: Vec<Option<usize>>,
    /// Slots left at each referral's first choice when its tier began.
    first_left: Vec<u32>,
    /// Slots left at each program.
    left: Vec<u32>,
}

impl Choices {
    /// Records referral `m`'s choice `c` (from its ranking `r`), and the
    /// slots left at its first choice now.
    fn record(&mut self, m: usize, c: Option<usize>, r: &Ranked) {
        self.first_left[m] = r.candidates.first().map_or(0, |c| self.left[c.program]);
        self.chosen[m] = c;
    }

    /// Takes the slot referral `m` chose, if any.
    fn take_slot(&mut self, m: usize, r: &Ranked) {
        if let Some(c) = self.chosen[m] {
            self.left[r.candidates[c].program] -= 1;
        }
    }
}

/// Places tier by tier, most urgent first, each tier by the exact
/// assignment over the slots the tiers before it left ([`tier::place`]).
fn place_optimal(
    ranker: &Ranker<'_>,
    priorities: &[Priority],
    placeable: &[bool],
    allow_poor: bool,
    ranked: &mut [Ranked],
    choices: &mut Choices,
) -> Result<(), Error> {
    let referrals = ranker.referrals;
    let mut tiers: BTreeMap<Tier, Vec<usize>> = BTreeMap::new();
    for (i, p) in priorities.iter().enumerate().filter(|(i, _)| placeable[*i]) {
        tiers.entry(p.tier).or_default().push(i);
    }
    for members in tiers.values_mut() {
        members.sort_by(|&a, &b| referrals[a].id.cmp(&referrals[b].id));
        #[cfg(feature = "testing")]
        let solution = if ranker.options.reference_solver {
            reference::place_tier(ranker, members, ranked, &choices.left, allow_poor)?
        } else {
            tier::place(ranker, members, ranked, &choices.left, allow_poor)?
        };
        #[cfg(not(feature = "testing"))]
        let solution = tier::place(ranker, members, ranked, &choices.left, allow_poor)?;
        for (&m, c) in members.iter().zip(&solution) {
            choices.record(m, *c, &ranked[m]);
        }
        for &m in members.iter() {
            choices.take_slot(m, &ranked[m]);
        }
    }
    Ok(())
}

/// Reads what an unplaced referral's outcome needs below its cut, once every
/// tier is placed: the placement needs no more of its list (the tier's
/// certificate covers it), but its waitlist shows its best
/// [`WAITLIST_OPTIONS`] programs (ranked deeper while it has fewer and its
/// list was cut), and its reason says whether a program that is a poor
/// clinical fit still has a slot (read from a directory of the programs
/// with a slot left when those referrals are many against them, else by
/// ranking them to every eligible program).
fn finish_unplaced(
    ranker: &Ranker<'_>,
    placeable: &[bool],
    allow_poor: bool,
    ranked: &mut [Ranked],
    choices: &Choices,
) -> Result<(), Error> {
    let cut: Vec<usize> = (0..ranked.len())
        .filter(|&i| placeable[i] && choices.chosen[i].is_none() && ranked[i].truncated())
        .collect();
    let rerank = |ranked: &mut [Ranked], jobs: &[(usize, usize)]| deepen(ranker, ranked, jobs);
    loop {
        let short: Vec<(usize, usize)> = cut
            .iter()
            .filter(|&&i| {
                let r = &ranked[i];
                let options = r.candidates.iter().filter(|c| allow_poor || !c.poor_fit);
                r.truncated() && options.count() < WAITLIST_OPTIONS
            })
            .map(|&i| (i, deeper_k(&ranked[i], ranker.options.candidates)))
            .collect();
        if short.is_empty() {
            break;
        }
        rerank(ranked, &short)?;
    }
    if allow_poor {
        return Ok(());
    }
    let left = &choices.left;
    let check: Vec<usize> = cut
        .into_iter()
        .filter(|&i| {
            let r = &ranked[i];
            r.truncated()
                && !r
                    .candidates
                    .iter()
                    .any(|c| c.poor_fit && left[c.program] > 0)
        })
        .collect();
    let open: Vec<usize> = (0..left.len()).filter(|&p| left[p] > 0).collect();
    if check.is_empty() || open.is_empty() {
        return Ok(());
    }
    if check.len() * tier::PROGRAMS_PER_CHECK >= open.len() {
        let sub = ranker.dir.subset(&open)?;
        let jobs: Vec<(usize, usize)> = check.iter().map(|&i| (i, sub.len())).collect();
        for (&i, found) in check.iter().zip(ranker.rank_jobs(&sub, Some(&open), &jobs)) {
            let listed: BTreeSet<usize> = ranked[i].candidates.iter().map(|c| c.program).collect();
            // Every program there has a slot left.
            ranked[i].poor_fit_open_below = found?
                .candidates
                .iter()
                .any(|c| c.poor_fit && !listed.contains(&c.program));
        }
    } else {
        let jobs: Vec<(usize, usize)> = check.iter().map(|&i| (i, ranked[i].eligible)).collect();
        rerank(ranked, &jobs)?;
    }
    Ok(())
}

/// Places each referral in queue order at its best usable candidate,
/// ranking it deeper while its list was cut and none is usable.
fn place_first_come(
    ranker: &Ranker<'_>,
    placeable: &[bool],
    allow_poor: bool,
    ranked: &mut [Ranked],
    choices: &mut Choices,
) -> Result<(), Error> {
    for i in (0..ranker.referrals.len()).filter(|i| placeable[*i]) {
        let chosen = loop {
            let free = ranked[i]
                .candidates
                .iter()
                .position(|c| c.usable(&choices.left, allow_poor));
            if free.is_some() || !ranked[i].truncated() {
                break free;
            }
            let k = deeper_k(&ranked[i], ranker.options.candidates);
            deepen(ranker, ranked, &[(i, k)])?;
        };
        choices.record(i, chosen, &ranked[i]);
        choices.take_slot(i, &ranked[i]);
    }
    Ok(())
}

/// The first problem of an error, with its path (a ranking error always has one).
fn first_problem(e: Error) -> Problem {
    e.problems().first().cloned().unwrap_or_else(|| {
        Problem::new(
            crate::error::ProblemSeverity::Error,
            String::new(),
            e.to_string(),
        )
    })
}

/// Ranks the referrals `deeper` again, each to [`deeper_k`], in place in
/// `ranked` (each ranked once already: the same query ranks again).
fn rank_deeper(ranker: &Ranker<'_>, ranked: &mut [Ranked], deeper: &[usize]) -> Result<(), Error> {
    let jobs: Vec<(usize, usize)> = deeper
        .iter()
        .map(|&m| (m, deeper_k(&ranked[m], ranker.options.candidates)))
        .collect();
    deepen(ranker, ranked, &jobs)
}

/// How many times deeper than asked a referral is ranked when its list must
/// grow past what it ranked ahead: the programs beyond the depth asked wait
/// in [`Ranked::ahead`] for the next time (a list is usually doubled more
/// than once).
const LOOK_AHEAD: usize = 4;

/// Makes each referral's list of `jobs`, `(referral, k)`, its top `k`, in
/// place in `ranked`: the list exactly as a ranking to `k` lists it, with that
/// ranking's alerts. From the programs it ranked ahead when they reach `k`;
/// otherwise ranked again [`LOOK_AHEAD`] times as deep (up to every eligible
/// program), the programs past `k` kept ahead.
///
/// A top k is a prefix of every deeper top k (the ranking's order is total),
/// and the ranking's alerts change at most once as k grows (from
/// `no_evidence_based_match`, naming the best match offering an
/// evidence-based therapy, to none, once that match is listed): so when the
/// deeper ranking's alerts are those of the list as it was, they are the
/// alerts at every depth between, and the programs past `k` are kept ahead.
/// When they differ, the referral is ranked to `k` exactly, nothing kept.
fn deepen(
    ranker: &Ranker<'_>,
    ranked: &mut [Ranked],
    jobs: &[(usize, usize)],
) -> Result<(), Error> {
    let mut far: Vec<(usize, usize)> = Vec::new();
    let mut wanted: Vec<usize> = Vec::new();
    for &(m, k) in jobs {
        let r = &mut ranked[m];
        let more = k.saturating_sub(r.candidates.len());
        if more <= r.ahead.len() {
            r.candidates.extend(r.ahead.drain(..more));
        } else {
            far.push((m, k.saturating_mul(LOOK_AHEAD).min(r.eligible).max(k)));
            wanted.push(k);
        }
    }
    let mut exact: Vec<(usize, usize)> = Vec::new();
    let found = ranker.rank_jobs(ranker.dir, None, &far);
    for ((&(m, _), &k), r) in far.iter().zip(&wanted).zip(found) {
        let mut r = r?;
        if r.alerts == ranked[m].alerts {
            r.ahead = r.candidates.split_off(k.min(r.candidates.len()));
            ranked[m] = r;
        } else {
            exact.push((m, k));
        }
    }
    for (&(m, _), r) in exact.iter().zip(ranker.rank_jobs(ranker.dir, None, &exact)) {
        ranked[m] = r?;
    }
    Ok(())
}

/// The next depth for a referral whose list was cut: twice as many, up to
/// every eligible program.
fn deeper_k(r: &Ranked, k: usize) -> usize {
    (r.candidates.len() * 2).max(k).min(r.eligible)
}

/// A queue once placed: each referral's priority, state and ranking, and
/// the choices made.
struct Placing {
    priorities: Vec<Priority>,
    state: Vec<State>,
    ranked: Vec<Ranked>,
    choices: Choices,
    /// Each placed referral's program, explained ([`Ranker::explain_placements`]).
    explained: Vec<Option<Match>>,
}

/// Builds the outcome, with each referral's reason, from the choices made.
fn outcome(
    dir: &Directory,
    referrals: &[Referral],
    policy: &PriorityPolicy,
    options: &AssignOptions,
    slots: &Slots,
    placing: Placing,
) -> Result<Assignment, Error> {
    let Placing {
        priorities,
        state,
        ranked,
        choices,
        explained,
    } = placing;
    let placed = Placed {
        names: names(
            dir,
            &ranked,
            &choices.chosen,
            policy.allow_poor_clinical_fit,
        ),
        ..Placed::new(
            referrals,
            policy,
            options.method,
            slots,
            &choices,
            &ranked,
            &priorities,
        )
    };
    let mut out = Vec::with_capacity(referrals.len());
    let mut tiers: BTreeMap<Tier, TierSummary> = BTreeMap::new();
    let each = priorities.into_iter().zip(ranked).zip(state).zip(explained);
    for (i, (((priority, r), st), m)) in each.enumerate() {
        out.push(placed.referral_outcome(i, priority, r, st, m, &mut tiers)?);
    }
    // Held referrals first (what to do before anything else), then the
    // rest, each group in the order given (a stable sort).
    out.sort_by_key(|o| o.status != ReferralStatus::Held);
    let count = |s: ReferralStatus| out.iter().filter(|o| o.status == s).count();
    let (placed, held, invalid) = (
        count(ReferralStatus::Placed),
        count(ReferralStatus::Held),
        count(ReferralStatus::Invalid),
    );
    let total_score = out
        .iter()
        .filter_map(|o| o.placement.as_ref().map(|p| p.score))
        .sum();
    Ok(Assignment {
        method: options.method,
        policy: policy.name.clone(),
        unlisted_slots: options.unlisted_slots,
        placed,
        held,
        invalid,
        referrals: out,
        tiers: tiers.into_values().collect(),
        total_score,
    })
}

/// The id and name of each program an outcome names without its match
/// explained (a first choice missed, a waitlist option), by position; each
/// decoded once.
type Named = BTreeMap<usize, (ProgramId, String)>;

/// What each referral's outcome reads once the queue is placed: the
/// choices, the slots, who holds each program's slots, and the programs
/// named.
struct Placed<'a> {
    referrals: &'a [Referral],
    /// The programs an outcome names without a match explained ([`names`]).
    names: Named,
    method: Method,
    allow_poor: bool,
    slots: &'a Slots,
    choices: &'a Choices,
    /// Who holds each program's slots, by referral index.
    holders: BTreeMap<usize, Vec<usize>>,
    /// The score each placed referral holds its slot with.
    held_score: Vec<Option<f64>>,
    /// Each referral's tier.
    tiers_of: Vec<Tier>,
}

impl<'a> Placed<'a> {
    fn new(
        referrals: &'a [Referral],
        policy: &PriorityPolicy,
        method: Method,
        slots: &'a Slots,
        choices: &'a Choices,
        ranked: &[Ranked],
        priorities: &[Priority],
    ) -> Placed<'a> {
        let mut holders: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, c) in choices.chosen.iter().enumerate() {
            if let Some(c) = c {
                holders
                    .entry(ranked[i].candidates[*c].program)
                    .or_default()
                    .push(i);
            }
        }
        let held_score = choices
            .chosen
            .iter()
            .enumerate()
            .map(|(i, c)| c.map(|c| ranked[i].candidates[c].score))
            .collect();
        Placed {
            names: Named::new(),
            referrals,
            method,
            allow_poor: policy.allow_poor_clinical_fit,
            slots,
            choices,
            holders,
            held_score,
            tiers_of: priorities.iter().map(|p| p.tier).collect(),
        }
    }

    /// Referral `i`'s outcome: held, invalid, or placed or not with its
    /// reason and waitlist (counted in its tier's summary).
    fn referral_outcome(
        &self,
        i: usize,
        priority: Priority,
        r: Ranked,
        st: State,
        explained: Option<Match>,
        tiers: &mut BTreeMap<Tier, TierSummary>,
    ) -> Result<ReferralOutcome, Error> {
        let Ranked {
            alerts: ranked_alerts,
            candidates,
            eligible,
            poor_fit_open_below,
            ..
        } = r;
        let (hold, problem, alerts) = match st {
            State::Go(_) => (None, None, ranked_alerts),
            State::Held(h, alerts, problem) => (Some(h), problem, alerts),
            State::Invalid(p, alerts) => (None, Some(p), alerts),
        };
        let referral = &self.referrals[i];
        let base = ReferralOutcome {
            referral_id: referral.id.clone(),
            status: ReferralStatus::Unplaced,
            hold: None,
            problem: None,
            clinician: referral.clinician.clone(),
            warnings: needs_warnings(referral, i),
            alerts,
            priority,
            placement: None,
            reason: AssignReason::Invalid,
            waitlist: Vec::new(),
            eligible,
        };
        if let Some(h) = hold {
            return Ok(ReferralOutcome {
                status: ReferralStatus::Held,
                reason: AssignReason::Held { hold: h.kind },
                hold: Some(h),
                problem,
                ..base
            });
        }
        if problem.is_some() {
            return Ok(ReferralOutcome {
                status: ReferralStatus::Invalid,
                problem,
                ..base
            });
        }
        let tier = base.priority.tier;
        let placement = self.placement(i, &candidates, explained)?;
        tally(tiers, tier, placement.as_ref());
        let (status, waitlist) = match placement {
            Some(_) => (ReferralStatus::Placed, Vec::new()),
            None => (ReferralStatus::Unplaced, self.waitlist(&candidates)?),
        };
        Ok(ReferralOutcome {
            status,
            placement,
            reason: self.reason(i, &candidates, poor_fit_open_below, eligible, tier)?,
            waitlist,
            ..base
        })
    }

    /// Where referral `i` (with its `candidates`) was placed, if it was,
    /// with the match there `explained`.
    fn placement(
        &self,
        i: usize,
        candidates: &[Candidate],
        explained: Option<Match>,
    ) -> Result<Option<Placement>, Error> {
        let Some(c) = self.choices.chosen[i] else {
            return Ok(None);
        };
        let (Some(cand), Some(m)) = (candidates.get(c), explained) else {
            return Err(Error::internal("assignment: a placement is not explained"));
        };
        Ok(Some(Placement {
            program_id: m.program_id,
            program_name: m.program_name,
            score: cand.score,
            choice: c + 1,
            poor_clinical_fit: cand.poor_fit,
            alerts: m.alerts,
        }))
    }

    /// The id and name of the program at `program` (one [`names`] read).
    fn name(&self, program: usize) -> Result<(ProgramId, String), Error> {
        self.names
            .get(&program)
            .cloned()
            .ok_or_else(|| Error::internal("assignment: a program named is not read"))
    }

    /// The best few programs an unplaced referral could wait for (no poor
    /// clinical fit unless the site allows one).
    fn waitlist(&self, candidates: &[Candidate]) -> Result<Vec<WaitlistOption>, Error> {
        waitlisted(candidates, self.allow_poor)
            .map(|(n, c)| {
                let (program_id, program_name) = self.name(c.program)?;
                Ok(WaitlistOption {
                    program_id,
                    program_name,
                    score: c.score,
                    choice: n + 1,
                    wait_days: c.wait_days,
                })
            })
            .collect()
    }

    /// Why referral `i` (with its `candidates` of `eligible` programs, in
    /// `tier`; a poor clinical fit with a slot left below its cut when
    /// `poor_fit_open_below`) was placed where it was, or not placed.
    fn reason(
        &self,
        i: usize,
        candidates: &[Candidate],
        poor_fit_open_below: bool,
        eligible: usize,
        tier: Tier,
    ) -> Result<AssignReason, Error> {
        let left = &self.choices.left;
        Ok(match (self.choices.chosen[i], candidates.first()) {
            (Some(0), _) => AssignReason::FirstChoice,
            (None, _) if eligible == 0 => AssignReason::NoEligibleProgram,
            (None, _)
                if !self.allow_poor
                    && (poor_fit_open_below
                        || candidates.iter().any(|c| c.poor_fit && left[c.program] > 0)) =>
            {
                AssignReason::OnlyPoorClinicalFit { eligible }
            }
            (None, _) => AssignReason::AllEligibleFull { eligible },
            (Some(_), None) => AssignReason::FirstChoice,
            (Some(_), Some(first)) => self.first_choice_missed(i, first, tier)?,
        })
    }

    /// Why referral `i`, in `tier`, was placed elsewhere than at its first
    /// choice `first`: no slots there (listed or not), a poor clinical fit,
    /// or its slots taken (earlier in the queue, by a higher tier, or by
    /// the same tier's best score there).
    fn first_choice_missed(
        &self,
        i: usize,
        first: &Candidate,
        tier: Tier,
    ) -> Result<AssignReason, Error> {
        let referrals = self.referrals;
        let (program_id, program_name) = self.name(first.program)?;
        let others = self
            .holders
            .get(&first.program)
            .map_or(&[][..], Vec::as_slice);
        Ok(if self.slots.counted[first.program] == 0 {
            if self.slots.listed[first.program].is_none() {
                AssignReason::FirstChoiceSlotsNotListed {
                    program_id,
                    program_name,
                }
            } else {
                AssignReason::FirstChoiceHasNoSlots {
                    program_id,
                    program_name,
                }
            }
        } else if first.poor_fit && !self.allow_poor {
            AssignReason::FirstChoicePoorClinicalFit {
                program_id,
                program_name,
            }
        } else if self.method == Method::FirstComeFirstServed {
            let referral = others
                .iter()
                .find(|&&o| o < i)
                .map_or_else(|| referrals[i].id.clone(), |&o| referrals[o].id.clone());
            AssignReason::FirstChoiceFilledEarlier {
                program_id,
                program_name,
                referral,
            }
        } else if self.choices.first_left[i] == 0 {
            AssignReason::FirstChoiceFilledByHigherPriority {
                program_id,
                program_name,
            }
        } else {
            // The same-tier referral placed there with the highest score there.
            let by = others
                .iter()
                .copied()
                .filter(|&o| o != i && self.tiers_of[o] == tier)
                .max_by(|&a, &b| {
                    self.held_score[a]
                        .unwrap_or(0.0)
                        .total_cmp(&self.held_score[b].unwrap_or(0.0))
                        .then_with(|| referrals[b].id.cmp(&referrals[a].id))
                });
            AssignReason::FirstChoiceFilledBy {
                program_id,
                program_name,
                referral: by.map_or_else(|| referrals[i].id.clone(), |o| referrals[o].id.clone()),
            }
        })
    }
}

/// An unplaced referral's waitlist options among its `candidates` (no poor
/// clinical fit unless `allow_poor`), each with its place in the list.
fn waitlisted(
    candidates: &[Candidate],
    allow_poor: bool,
) -> impl Iterator<Item = (usize, &Candidate)> {
    candidates
        .iter()
        .enumerate()
        .filter(move |(_, c)| allow_poor || !c.poor_fit)
        .take(WAITLIST_OPTIONS)
}

/// The programs an outcome names without explaining a match, decoded once:
/// the first choice of a referral placed elsewhere, the waitlist options of
/// one not placed (`chosen`: each referral's candidate index in `ranked`,
/// once placed).
fn names(dir: &Directory, ranked: &[Ranked], chosen: &[Option<usize>], allow_poor: bool) -> Named {
    let mut wanted = BTreeSet::new();
    for (r, c) in ranked.iter().zip(chosen) {
        match c {
            Some(0) => {}
            Some(_) => wanted.extend(r.candidates.first().map(|c| c.program)),
            None => wanted.extend(waitlisted(&r.candidates, allow_poor).map(|(_, c)| c.program)),
        }
    }
    let ids: Vec<&str> = dir.ids().collect();
    wanted
        .into_iter()
        .filter_map(|i| {
            let p = dir.get(ids.get(i)?)?;
            Some((i, (p.id, p.name)))
        })
        .collect()
}

/// The warnings on referral `i`'s needs, each under the referral's path.
fn needs_warnings(referral: &Referral, i: usize) -> Vec<Problem> {
    referral
        .needs
        .validate()
        .warnings()
        .map(|w| Problem {
            path: format!("referrals[{i}].needs.{}", w.path),
            ..w.clone()
        })
        .collect()
}

/// Counts a referral of `tier` in its summary, with its placement if any.
fn tally(tiers: &mut BTreeMap<Tier, TierSummary>, tier: Tier, placement: Option<&Placement>) {
    let summary = tiers.entry(tier).or_insert(TierSummary {
        tier,
        referrals: 0,
        placed: 0,
        total_score: 0.0,
    });
    summary.referrals += 1;
    if let Some(p) = placement {
        summary.placed += 1;
        summary.total_score += p.score;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic;

    /// A candidate in numbers, comparable (the score by its bits).
    fn key(c: &Candidate) -> (usize, u64, Option<u16>, bool) {
        (c.program, c.score.to_bits(), c.wait_days, c.poor_fit)
    }

    /// A referral's list made deeper step by step (from what it ranked
    /// ahead, or ranked again deeper) is at every step the list, alerts and
    /// eligible count of a ranking to that depth, also where the ranking's
    /// alerts change with the depth (`no_evidence_based_match` until the
    /// best match offering an evidence-based therapy is listed).
    #[test]
    fn a_list_made_deeper_is_the_ranking_to_that_depth() {
        let dir = Directory::new(synthetic::directory(800, 5), synthetic::AS_OF).unwrap();
        let mut referrals = synthetic::referrals(30, 5);
        // Programs anywhere: lists long enough to be made deeper many times.
        for r in &mut referrals {
            r.needs.max_travel_miles = None;
        }
        // Therapy fit weighed least: the best match offering an
        // evidence-based therapy often ranks below the first few, so the
        // ranking's alerts change as the list grows.
        let weights = Weights::default()
            .with_weight(crate::matching::Criterion::TherapyFit, 0.01)
            .unwrap();
        let options = AssignOptions::new(synthetic::AS_OF)
            .with_threads(1)
            .with_weights(weights);
        let policy = LevelPolicy::default();
        let state: Vec<State> = referrals
            .iter()
            .enumerate()
            .map(|(i, r)| State::read(r, i, &policy))
            .collect();
        let ranker = Ranker {
            dir: &dir,
            referrals: &referrals,
            own: state.iter().map(State::own_alerts).collect(),
            options: &options,
        };
        let (mut from_ahead, mut alerts_changed) = (0, 0);
        let placeable = (0..referrals.len()).filter(|&i| matches!(state[i], State::Go(_)));
        for (i, start) in placeable.flat_map(|i| [1, 2, 3, 5].map(|s| (i, s))) {
            let Ok(first) = ranker.ranked_in(&dir, None, i, start) else {
                continue;
            };
            let mut ranked = vec![Ranked::default(); referrals.len()];
            ranked[i] = first;
            while ranked[i].truncated() {
                let k = deeper_k(&ranked[i], start);
                let was = (ranked[i].alerts.clone(), ranked[i].ahead.len());
                deepen(&ranker, &mut ranked, &[(i, k)]).unwrap();
                let fresh = ranker.ranked_in(&dir, None, i, k).unwrap();
                let r = &ranked[i];
                assert_eq!(r.alerts, fresh.alerts, "referral {i} at {k}");
                assert_eq!(r.eligible, fresh.eligible);
                assert_eq!(
                    r.candidates.iter().map(key).collect::<Vec<_>>(),
                    fresh.candidates.iter().map(key).collect::<Vec<_>>(),
                    "referral {i} at {k}"
                );
                from_ahead += usize::from(was.1 > 0);
                alerts_changed += usize::from(was.0 != fresh.alerts);
            }
        }
        assert!(
            from_ahead > 10,
            "{from_ahead} lists grown from what was ranked ahead"
        );
        assert!(
            alerts_changed > 0,
            "no ranking's alerts changed with its depth"
        );
    }
}
