//! A patient's needs compiled once for matching: the [`Query`].

use crate::crisis::CrisisContact;
use crate::level::{Dimension, Flag, LevelRecommendation, Rule};
use crate::matching::alert::Alert;
use crate::matching::evidence::{
    Episode, EvidenceRow, EvidenceTable, PrescriberNeed, Strength, Therapy,
};
use crate::matching::words::CredentialCheck;
use crate::{
    credential::{Certification, FacilityCredential, License},
    date::Date,
    diagnosis::Condition,
    error::{Error, ValidationReport},
    level::LevelOfCare,
    patient::PatientNeeds,
    program::{Aftercare, Population, hours_for_level},
    schedule::WeekMask,
    therapy::Modality,
};

/// What a caller allows for one ranking, and the date to judge freshness against.
///
/// Builder methods `with_x(value)` (by value, so they chain) and getters
/// `x()` with the same name. Defaults are the strict and fast choices: the
/// payer must be taken (no self-pay fallback), programs not accepting new
/// patients are excluded, no adjacent-level alternatives are listed, and
/// excluded programs are counted by reason, not listed one by one.
///
/// In JSON (a request body or a config file) the keys are the getters'
/// names: `{"as_of": "2026-11-01", "self_pay_allowed": true}`. Only `as_of` is
/// required; a key left out keeps [`MatchOptions::new`]'s default, an
/// unknown key is an error, and `min_schedule_fit` must be from 0 to 1.
///
/// # Example
///
/// ```
/// use carematch::{Date, matching::MatchOptions};
/// let opts = MatchOptions::new(Date::new(2026, 11, 1)?)
///     .with_self_pay_allowed(true)
///     .with_alternatives_included(true);
/// assert!(opts.self_pay_allowed());
/// assert!(!opts.waitlist_allowed());
/// assert!(!opts.exclusion_details());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "MatchOptionsJson"))]
pub struct MatchOptions {
    as_of: Date,
    #[cfg_attr(feature = "serde", serde(rename = "self_pay_allowed"))]
    allow_self_pay: bool,
    #[cfg_attr(feature = "serde", serde(rename = "waitlist_allowed"))]
    allow_waitlist: bool,
    #[cfg_attr(feature = "serde", serde(rename = "alternatives_included"))]
    include_alternatives: bool,
    exclusion_details: bool,
    safety_floor: Option<LevelOfCare>,
    step_down_days: u16,
    min_schedule_fit: f64,
    full_excluded: bool,
}

/// The share of a track's session time that must fall inside the patient's
/// free time for the patient to be able to attend, by default.
pub const DEFAULT_MIN_SCHEDULE_FIT: f64 = 0.5;

impl MatchOptions {
    /// Strict options, judging freshness as of `as_of`.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.as_of(), carematch::sample::AS_OF);
    /// ```
    pub fn new(as_of: Date) -> MatchOptions {
        MatchOptions {
            as_of,
            allow_self_pay: false,
            allow_waitlist: false,
            include_alternatives: false,
            exclusion_details: false,
            safety_floor: None,
            step_down_days: STEP_DOWN_DAYS,
            min_schedule_fit: DEFAULT_MIN_SCHEDULE_FIT,
            full_excluded: false,
        }
    }

    /// The same options judging freshness as of `as_of`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Date, matching::MatchOptions};
    /// let o = MatchOptions::new(carematch::sample::AS_OF).with_as_of(Date::new(2027, 1, 1)?);
    /// assert_eq!(o.as_of().year(), 2027);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn with_as_of(mut self, as_of: Date) -> MatchOptions {
        self.as_of = as_of;
        self
    }

    /// The date freshness is judged against.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.as_of().year(), 2026);
    /// ```
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// The least share (0 to 1) of its best track's session time at the
    /// level that must fall inside the patient's free time; a program below
    /// it is excluded as `schedule_conflict` (a program the patient cannot
    /// attend is not an option). Default 0.5; 0 turns the rule off. Values
    /// outside 0 to 1 are clamped, and NaN counts as 0. A program that lists
    /// no track at the level is never excluded by this rule.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_min_schedule_fit(0.0);
    /// assert_eq!(o.min_schedule_fit(), 0.0);
    /// ```
    pub fn with_min_schedule_fit(mut self, share: f64) -> MatchOptions {
        self.min_schedule_fit = if share.is_nan() {
            0.0
        } else {
            share.clamp(0.0, 1.0)
        };
        self
    }

    /// See [`MatchOptions::with_min_schedule_fit`].
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::MatchOptions::new(carematch::sample::AS_OF).min_schedule_fit(), 0.5);
    /// ```
    pub fn min_schedule_fit(&self) -> f64 {
        self.min_schedule_fit
    }

    /// Whether a program that takes self-pay or a sliding scale, but not the
    /// patient's payer, stays eligible. Default no.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_self_pay_allowed(true);
    /// assert!(o.self_pay_allowed());
    /// ```
    pub fn with_self_pay_allowed(mut self, yes: bool) -> MatchOptions {
        self.allow_self_pay = yes;
        self
    }

    /// See [`MatchOptions::with_self_pay_allowed`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::matching::MatchOptions::new(carematch::sample::AS_OF).self_pay_allowed());
    /// ```
    pub fn self_pay_allowed(&self) -> bool {
        self.allow_self_pay
    }

    /// Whether programs not accepting new patients stay eligible (as
    /// waitlists). Default no.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_waitlist_allowed(true);
    /// assert!(o.waitlist_allowed());
    /// ```
    pub fn with_waitlist_allowed(mut self, yes: bool) -> MatchOptions {
        self.allow_waitlist = yes;
        self
    }

    /// See [`MatchOptions::with_waitlist_allowed`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::matching::MatchOptions::new(carematch::sample::AS_OF).waitlist_allowed());
    /// ```
    pub fn waitlist_allowed(&self) -> bool {
        self.allow_waitlist
    }

    /// Whether a program listing no open place (`open_slots: 0`: full) is
    /// left out (excluded as `full`) rather than kept as a match with a
    /// `no_open_slot` alert. Default no: a listing's count may be behind,
    /// so a full program stays visible unless the caller asks.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_full_excluded(true);
    /// assert!(o.full_excluded());
    /// ```
    pub fn with_full_excluded(mut self, yes: bool) -> MatchOptions {
        self.full_excluded = yes;
        self
    }

    /// See [`MatchOptions::with_full_excluded`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::matching::MatchOptions::new(carematch::sample::AS_OF).full_excluded());
    /// ```
    pub fn full_excluded(&self) -> bool {
        self.full_excluded
    }

    /// Whether programs at the adjacent levels are listed, labelled, as
    /// alternatives. Default no.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_alternatives_included(true);
    /// assert!(o.alternatives_included());
    /// ```
    pub fn with_alternatives_included(mut self, yes: bool) -> MatchOptions {
        self.include_alternatives = yes;
        self
    }

    /// See [`MatchOptions::with_alternatives_included`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::matching::MatchOptions::new(carematch::sample::AS_OF).alternatives_included());
    /// ```
    pub fn alternatives_included(&self) -> bool {
        self.include_alternatives
    }

    /// Whether the ranking lists every excluded program with its reasons,
    /// or (the default) only counts them by reason. Counting is much faster
    /// and smaller for large directories where most programs are out of
    /// reach; [`crate::Directory::exclusions`] and
    /// [`crate::Directory::explain`] give the reasons on demand.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_exclusion_details(true);
    /// assert!(o.exclusion_details());
    /// ```
    pub fn with_exclusion_details(mut self, yes: bool) -> MatchOptions {
        self.exclusion_details = yes;
        self
    }

    /// See [`MatchOptions::with_exclusion_details`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::matching::MatchOptions::new(carematch::sample::AS_OF).exclusion_details());
    /// ```
    pub fn exclusion_details(&self) -> bool {
        self.exclusion_details
    }

    /// A level no alternative may fall below: pass the recommendation's
    /// [`crate::level::LevelRecommendation::floor_level`], so that a program under a
    /// safety floor is never offered, even as a labelled alternative
    /// ([`Query::for_recommendation`] does so when none is set).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, matching::MatchOptions};
    /// let o = MatchOptions::new(carematch::sample::AS_OF)
    ///     .with_alternatives_included(true)
    ///     .with_safety_floor(Some(LevelOfCare::PartialHospitalization));
    /// assert_eq!(o.safety_floor(), Some(LevelOfCare::PartialHospitalization));
    /// ```
    pub fn with_safety_floor(mut self, floor: Option<LevelOfCare>) -> MatchOptions {
        self.safety_floor = floor;
        self
    }

    /// See [`MatchOptions::with_safety_floor`].
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::MatchOptions::new(carematch::sample::AS_OF).safety_floor(), None);
    /// ```
    pub fn safety_floor(&self) -> Option<LevelOfCare> {
        self.safety_floor
    }

    /// Days after an inpatient discharge during which the patient counts as
    /// stepping down (aftercare that eases the transition then counts triple).
    /// Default 30, as the default level policy's step-down rule; pass your
    /// policy's `step_down.within_days` when it differs.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::matching::MatchOptions::new(carematch::sample::AS_OF).with_step_down_days(45);
    /// assert_eq!(o.step_down_days(), 45);
    /// ```
    pub fn with_step_down_days(mut self, days: u16) -> MatchOptions {
        self.step_down_days = days;
        self
    }

    /// See [`MatchOptions::with_step_down_days`].
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::MatchOptions::new(carematch::sample::AS_OF).step_down_days(), 30);
    /// ```
    pub fn step_down_days(&self) -> u16 {
        self.step_down_days
    }
}

/// [`MatchOptions`] as JSON gives it: every key but `as_of` optional.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchOptionsJson {
    as_of: Date,
    self_pay_allowed: Option<bool>,
    waitlist_allowed: Option<bool>,
    alternatives_included: Option<bool>,
    exclusion_details: Option<bool>,
    #[serde(default)]
    safety_floor: Option<LevelOfCare>,
    step_down_days: Option<u16>,
    #[serde(default, deserialize_with = "share")]
    min_schedule_fit: Option<f64>,
    full_excluded: Option<bool>,
}

/// A share from 0 to 1, refused (at its own key) otherwise.
#[cfg(feature = "serde")]
fn share<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    use serde::Deserialize as _;
    match Option::<f64>::deserialize(d)? {
        Some(v) if !(0.0..=1.0).contains(&v) => Err(serde::de::Error::custom(format!(
            "{v} is not a share from 0 to 1"
        ))),
        v => Ok(v),
    }
}

#[cfg(feature = "serde")]
impl From<MatchOptionsJson> for MatchOptions {
    fn from(j: MatchOptionsJson) -> MatchOptions {
        let d = MatchOptions::new(j.as_of);
        MatchOptions {
            as_of: j.as_of,
            allow_self_pay: j.self_pay_allowed.unwrap_or(d.allow_self_pay),
            allow_waitlist: j.waitlist_allowed.unwrap_or(d.allow_waitlist),
            include_alternatives: j.alternatives_included.unwrap_or(d.include_alternatives),
            exclusion_details: j.exclusion_details.unwrap_or(d.exclusion_details),
            safety_floor: j.safety_floor,
            step_down_days: j.step_down_days.unwrap_or(d.step_down_days),
            min_schedule_fit: j.min_schedule_fit.unwrap_or(d.min_schedule_fit),
            full_excluded: j.full_excluded.unwrap_or(d.full_excluded),
        }
    }
}

/// One of the patient's conditions, as matching uses it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConditionNeed {
    pub condition: Condition,
    pub primary: bool,
    /// 2 for the primary diagnosis, 1 for the others.
    pub weight: u32,
    /// The evidence rows that hold at the patient's age (empty: no row).
    pub rows: Vec<EvidenceRow>,
    /// The rows' approaches and modalities, named or accepted as substitutes.
    pub approach_mask: u64,
    pub modality_mask: u64,
    /// The approaches and modalities its first-line rows name (full credit).
    pub first_line: (u64, u64),
}

impl ConditionNeed {
    /// The evidence rows' approaches and modalities among `approaches` and
    /// `modalities` (bits of [`crate::Approach`] and [`Modality`]).
    pub(crate) fn hits(&self, approaches: u64, modalities: u64) -> (u64, u64) {
        (
            self.approach_mask & approaches,
            self.modality_mask & modalities,
        )
    }

    /// Whether `hits` hold a therapy a first-line row names: what "offers an
    /// evidence-based therapy for the condition" means for specialty credit
    /// and the `no_evidence_based_match` alert. A generic substitute earning
    /// partial credit (plain CBT for OCD) or an adjunct alone (CBT-I for
    /// PTSD) is not enough.
    pub(crate) fn offers_first_line(&self, (approaches, modalities): (u64, u64)) -> bool {
        approaches & self.first_line.0 != 0 || modalities & self.first_line.1 != 0
    }
}

/// Which staff or facility bit set a credential check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckSet {
    Licenses,
    Certifications,
    Facility,
}

impl CheckSet {
    /// The listing part a check of this set reads.
    pub(crate) fn part(self) -> crate::program::NotListed {
        match self {
            CheckSet::Licenses | CheckSet::Certifications => crate::program::NotListed::Staff,
            CheckSet::Facility => crate::program::NotListed::FacilityCredentials,
        }
    }
}

/// A credential check: met when the program has any of `mask` in `set`;
/// it counts [`CredentialCheck::weight`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckSpec {
    pub check: CredentialCheck,
    pub set: CheckSet,
    pub mask: u64,
}

/// A patient's needs compiled once: conditions with their evidence rows,
/// needed modalities and staff, aftercare emphasis, availability as
/// quarter-hours, and the caller's options.
///
/// # Example
///
/// ```
/// use carematch::{Condition, Diagnosis, LevelOfCare, PatientNeeds, Payer, matching::{EvidenceTable, MatchOptions, Query}};
///
/// let needs = PatientNeeds::new(34, Payer::MassHealth)
///     .with_diagnosis(Diagnosis::from_condition(Condition::Ptsd).primary());
/// let q = Query::new(&needs, LevelOfCare::IntensiveOutpatient, &EvidenceTable::default(), MatchOptions::new(carematch::sample::AS_OF))?;
/// assert_eq!(q.level(), LevelOfCare::IntensiveOutpatient);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Query {
    pub(crate) needs: PatientNeeds,
    pub(crate) level: LevelOfCare,
    pub(crate) alternative_levels: Vec<LevelOfCare>,
    pub(crate) options: MatchOptions,
    pub(crate) conditions: Vec<ConditionNeed>,
    /// Bits of the patient's conditions (for exclusions).
    pub(crate) condition_bits: u64,
    pub(crate) needed_modalities: u64,
    pub(crate) checks: Vec<CheckSpec>,
    pub(crate) aftercare_weights: [u32; 7],
    pub(crate) population_bits: u64,
    pub(crate) avail: WeekMask,
    /// `prefix[i]` = free quarter-hours before slot `i` (673 entries).
    pub(crate) avail_prefix: Vec<u16>,
    pub(crate) hours_needed: Option<(f64, f64)>,
    /// Whether the schedule rule runs: it is on and the patient's free time is limited.
    pub(crate) schedule_rule: bool,
    /// The patient's state, as a bit of [`crate::region::US_STATES`].
    pub(crate) patient_state: Option<u64>,
    /// Opioid use disorder among the patient's conditions.
    pub(crate) oud: bool,
    /// Opioid use disorder and on MOUD: only programs that can continue it.
    pub(crate) moud_required: bool,
    /// The MOUD medication the patient takes, when named.
    pub(crate) moud_medication: Option<crate::therapy::MoudMedication>,
    /// The bit of the patient's primary condition (0 without a diagnosis).
    pub(crate) primary_bit: u64,
    /// Alerts carried from the level recommendation.
    pub(crate) alerts: Vec<Alert>,
}

/// The risk-of-harm rating that raises the `elevated_risk` alert (a 5 is
/// imminent risk, which the level policy flags).
pub(crate) const ELEVATED_RISK_RATING: u8 = 4;

/// Days after an inpatient discharge during which a patient counts as
/// stepping down, by default: the default level policy's step-down window.
const STEP_DOWN_DAYS: u16 = 30;

/// A level in the patient file other than the query's is a conflict, never a silent choice.
fn level_conflict(needs: &PatientNeeds, level: LevelOfCare) -> Result<(), Error> {
    match needs.level {
        Some(l) if l != level => {
            let mut conflict = ValidationReport::default();
            conflict.error(
                "level",
                format!(
                    "the patient file says {l}, the query is for {level}: leave level out of the patient file, or record a clinician's override"
                ),
            );
            Err(Error::query(conflict))
        }
        _ => Ok(()),
    }
}

/// The adjacent levels asked for, more intensive first (when both
/// neighbours exist, the safer one leads), none below the safety floor.
fn alternative_levels(level: LevelOfCare, options: &MatchOptions) -> Vec<LevelOfCare> {
    if !options.include_alternatives {
        return Vec::new();
    }
    [level.higher(), level.lower()]
        .into_iter()
        .flatten()
        .filter(|l| options.safety_floor.is_none_or(|f| *l >= f))
        .collect()
}

impl ConditionNeed {
    /// Condition `c` of the patient, with its evidence rows (chosen here, at
    /// the patient's age and, for a first episode, the first-episode rows).
    fn new(
        c: Condition,
        primary: bool,
        evidence: &EvidenceTable,
        needs: &PatientNeeds,
    ) -> ConditionNeed {
        let episode = if needs.first_episode(c) {
            Episode::First
        } else {
            Episode::Any
        };
        let rows: Vec<EvidenceRow> = evidence
            .rows_for(c, needs.age, episode)
            .into_iter()
            .cloned()
            .collect();
        let (am, mm) = rows.iter().fold((0u64, 0u64), |(a, m), r| {
            let (ra, rm) = r.masks();
            (a | ra, m | rm)
        });
        let first_line = rows
            .iter()
            .filter(|r| r.strength == Strength::FirstLine)
            .flat_map(|r| &r.therapies)
            .fold((0u64, 0u64), |(a, m), t| match t {
                Therapy::Approach(x) => (a | x.bit(), m),
                Therapy::Modality(x) => (a, m | x.bit()),
            });
        ConditionNeed {
            condition: c,
            primary,
            weight: if primary { 2 } else { 1 },
            first_line,
            rows,
            approach_mask: am,
            modality_mask: mm,
        }
    }
}

/// Aftercare weights (by [`Aftercare::index`]): 3 for what a patient
/// stepping down needs (discharge planning, step-down, alumni, follow-up,
/// medication continuity), 3 for family sessions when the family is
/// involved or the patient is a minor, 2 for peer recovery support with
/// substance use; 1 otherwise.
fn aftercare_weights(needs: &PatientNeeds, options: &MatchOptions) -> [u32; 7] {
    let stepping_down = needs
        .days_since_inpatient_discharge
        .is_some_and(|d| d <= options.step_down_days);
    let mut w = [1u32; 7];
    if stepping_down {
        for a in [
            Aftercare::DischargePlanning,
            Aftercare::StepDownOutpatient,
            Aftercare::AlumniGroup,
            Aftercare::FollowUp,
            Aftercare::MedicationContinuity,
        ] {
            w[a.index()] = 3;
        }
    }
    if needs.wants_family_involved || needs.is_minor() {
        w[Aftercare::FamilySessions.index()] = 3;
    }
    if needs.has_substance_use() {
        w[Aftercare::PeerRecoverySupport.index()] = 2;
    }
    w
}

/// Prefix sums of the free quarter-hours: `out[b] - out[a]` is how many of
/// slots `a..b` are free.
fn free_prefix(avail: &WeekMask) -> Vec<u16> {
    let mut out = Vec::with_capacity(WeekMask::SLOTS + 1);
    let mut acc = 0u16;
    out.push(0);
    for slot in 0..WeekMask::SLOTS {
        acc += ((avail.words()[slot / 64] >> (slot % 64)) & 1) as u16;
        out.push(acc);
    }
    out
}

impl Query {
    /// Compiles `needs` for matching at `level` (the recommended level of
    /// care, or the clinician's choice).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when the needs fail
    /// validation; [`ErrorKind::Query`](crate::ErrorKind::Query) when the
    /// needs name a level (`needs.level`, as a patient file may) other than
    /// `level`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{ErrorKind, LevelOfCare, PatientNeeds, Payer, matching::{EvidenceTable, MatchOptions, Query}};
    /// let mut needs = PatientNeeds::new(34, Payer::MassHealth);
    /// needs.level = Some(LevelOfCare::Outpatient);
    /// let err = Query::new(&needs, LevelOfCare::IntensiveOutpatient, &EvidenceTable::default(), MatchOptions::new(carematch::sample::AS_OF)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Query);
    /// assert_eq!(err.problems()[0].path, "level");
    /// ```
    pub fn new(
        needs: &PatientNeeds,
        level: LevelOfCare,
        evidence: &EvidenceTable,
        options: MatchOptions,
    ) -> Result<Query, Error> {
        needs.validate().into_result()?;
        level_conflict(needs, level)?;
        let alternative_levels = alternative_levels(level, &options);
        let primary = needs.primary_condition();
        let conditions: Vec<ConditionNeed> = needs
            .conditions()
            .into_iter()
            .map(|c| ConditionNeed::new(c, Some(c) == primary, evidence, needs))
            .collect();
        let condition_bits = conditions.iter().fold(0, |m, c| m | c.condition.bit());
        let oud = conditions
            .iter()
            .any(|c| c.condition == Condition::OpioidUse);

        let minor = needs.is_minor();
        let mut needed_modalities =
            Modality::Individual.bit() | Modality::Group.bit() | Modality::Psychoeducation.bit();
        if needs.wants_family_involved || minor {
            needed_modalities |= Modality::Family.bit();
        }
        let checks = credential_checks(needs, &conditions);
        // Facts keep the checks met as the bits of a u64: at most one check
        // per condition plus seven others, well under 64.
        debug_assert!(checks.len() <= 64);

        let aftercare_weights = aftercare_weights(needs, &options);
        let avail = needs.availability.mask();
        let avail_prefix = free_prefix(&avail);
        let patient_ages = crate::program::AgeRange {
            min: needs.age,
            max: needs.age,
        };
        Ok(Query {
            needs: needs.clone(),
            level,
            alternative_levels,
            options,
            conditions,
            condition_bits,
            needed_modalities,
            checks,
            aftercare_weights,
            population_bits: population_bits(needs),
            avail,
            avail_prefix,
            hours_needed: hours_for_level(level, patient_ages),
            schedule_rule: options.min_schedule_fit > 0.0 && avail.count() < WeekMask::SLOTS as u32,
            patient_state: needs.state.as_deref().and_then(crate::region::state_bit),
            oud,
            moud_required: oud && needs.is_on_moud(),
            moud_medication: needs.moud_medication,
            primary_bit: primary.map_or(0, Condition::bit),
            alerts: withdrawal_alert(needs)
                .into_iter()
                .chain(medical_stability_alert(needs, level))
                .collect(),
        })
    }

    /// Compiles `needs` at the level a [`LevelRecommendation`] gives (its
    /// effective level: the clinician's override, else the recommendation),
    /// carrying the assessment into matching:
    ///
    /// - the assessment's age, days since an inpatient discharge and
    ///   co-occurring substance use fill the needs where the needs leave them
    ///   out (substance use: either saying so counts);
    /// - where both give a value and they differ (age, days since discharge,
    ///   a level in the needs other than the effective level), it is an error
    ///   naming both values, never a silent choice;
    /// - the recommendation's safety floor becomes the options' floor when
    ///   they have none;
    /// - its flags become the ranking's alerts: `imminent_risk` (with the
    ///   crisis contacts), `elevated_risk` (risk of harm rated 4) and
    ///   `adolescent_policy` (a minor assessed with an adult policy).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Query`](crate::ErrorKind::Query) with a problem per
    /// conflicting field (its path and both values), and as [`Query::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, LevelPolicy, sample, matching::{Alert, MatchOptions, Query}};
    ///
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let patient = &sample::patients()[1];
    /// let rec = LevelPolicy::default().recommend(&patient.assessment);
    /// let mut needs = patient.needs.clone();
    /// let q = Query::for_recommendation(&needs, &rec, dir.evidence(), MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.level(), rec.effective_level());
    ///
    /// let mut older = needs.clone();
    /// older.age = 34;
    /// let err = Query::for_recommendation(&older, &rec, dir.evidence(), MatchOptions::new(sample::AS_OF)).unwrap_err();
    /// assert!(err.to_string().contains("age"), "{err}");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn for_recommendation(
        needs: &PatientNeeds,
        recommendation: &LevelRecommendation,
        evidence: &EvidenceTable,
        options: MatchOptions,
    ) -> Result<Query, Error> {
        let assessment = recommendation.assessment();
        let level = recommendation.effective_level();
        let mut merged = needs.clone();
        let mut conflicts = ValidationReport::default();
        if let Some(l) = needs.level
            && l != level
        {
            conflicts.error(
                "level",
                format!(
                    "the patient file says {l}, the assessment's level is {level}: leave level out of the patient file, or record a clinician's override on the recommendation"
                ),
            );
        }
        if let Some(age) = assessment.age
            && age != needs.age
        {
            conflicts.error(
                "age",
                format!(
                    "the patient file says {}, the assessment says {age}",
                    needs.age
                ),
            );
        }
        match (
            needs.days_since_inpatient_discharge,
            assessment.days_since_inpatient_discharge,
        ) {
            (Some(a), Some(b)) if a != b => conflicts.error(
                "days_since_inpatient_discharge",
                format!("the patient file says {a}, the assessment says {b}"),
            ),
            (None, Some(b)) => merged.days_since_inpatient_discharge = Some(b),
            _ => {}
        }
        merged.co_occurring_substance_use |= assessment.co_occurring_substance_use;
        if conflicts.has_errors() {
            // A refusal that involves imminent risk says the crisis text
            // first: the same words and contacts as every other output.
            if recommendation.has_flag(Flag::ImminentRisk) {
                let mut first = ValidationReport::default();
                first.error(
                    "assessment.ratings.risk_of_harm",
                    CrisisContact::imminent_risk_text(),
                );
                first.problems.append(&mut conflicts.problems);
                conflicts = first;
            }
            return Err(Error::query(conflicts));
        }
        let options = if options.safety_floor().is_none() {
            options.with_safety_floor(recommendation.floor_level())
        } else {
            options
        };
        let mut q = Query::new(&merged, level, evidence, options)?;
        // The assessment's withdrawal rating, as the policy's row read it,
        // joins the codes' alert (one alert: the codes, the rating, the
        // most intensive level either calls for).
        if let Some((risk, row_level, action)) =
            recommendation.rules().iter().find_map(|r| match &r.rule {
                Rule::Withdrawal {
                    risk,
                    level,
                    action,
                    ..
                } => Some((*risk, *level, action.clone())),
                _ => None,
            })
        {
            match q
                .alerts
                .iter_mut()
                .find(|a| matches!(a, Alert::Withdrawal { .. }))
            {
                Some(Alert::Withdrawal {
                    risk: r,
                    level: l,
                    action: a,
                    ..
                }) => {
                    *r = Some(risk);
                    if row_level > *l {
                        *l = row_level;
                        *a = action;
                    }
                }
                _ => q.alerts.push(Alert::Withdrawal {
                    codes: Vec::new(),
                    risk: Some(risk),
                    level: row_level,
                    action,
                }),
            }
        }
        if recommendation.has_flag(Flag::ImminentRisk) {
            q.alerts.push(Alert::ImminentRisk {
                contacts: CrisisContact::massachusetts(),
            });
        }
        if assessment.ratings.rating(Dimension::RiskOfHarm).get() == ELEVATED_RISK_RATING {
            q.alerts.push(Alert::ElevatedRisk);
        }
        if recommendation.has_flag(Flag::Adolescent) {
            q.alerts.push(Alert::AdolescentPolicy {
                age: merged.age,
                policy: recommendation.policy_name().to_owned(),
            });
        }
        Ok(q)
    }

    /// Alerts the query carries from a level recommendation (see
    /// [`Query::for_recommendation`]); the ranking lists them first.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let needs = PatientNeeds::new(34, Payer::MassHealth);
    /// let q = Query::new(&needs, LevelOfCare::IntensiveOutpatient, &EvidenceTable::default(), MatchOptions::new(sample::AS_OF))?;
    /// assert!(q.alerts().is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// The level of care matched.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let needs = PatientNeeds::new(34, Payer::MassHealth);
    /// let q = Query::new(&needs, LevelOfCare::PartialHospitalization, &EvidenceTable::default(), MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.level(), LevelOfCare::PartialHospitalization);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn level(&self) -> LevelOfCare {
        self.level
    }

    /// The patient's needs as given.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let needs = PatientNeeds::new(34, Payer::MassHealth);
    /// let q = Query::new(&needs, LevelOfCare::IntensiveOutpatient, &EvidenceTable::default(), MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.needs().age, 34);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn needs(&self) -> &PatientNeeds {
        &self.needs
    }

    /// The options given.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let needs = PatientNeeds::new(34, Payer::MassHealth);
    /// let q = Query::new(&needs, LevelOfCare::IntensiveOutpatient, &EvidenceTable::default(), MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.options().as_of(), sample::AS_OF);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn options(&self) -> &MatchOptions {
        &self.options
    }

    /// Whether the query carries a `withdrawal` alert (a withdrawal code,
    /// or a rating a policy row acts on): each match then confirms
    /// withdrawal management.
    pub(crate) fn in_withdrawal(&self) -> bool {
        self.alerts
            .iter()
            .any(|a| matches!(a, Alert::Withdrawal { .. }))
    }

    /// Whether the query carries an `imminent_risk` alert: the question is
    /// then crisis care, and no therapy-fit or schedule alert is raised.
    pub(crate) fn at_imminent_risk(&self) -> bool {
        self.alerts
            .iter()
            .any(|a| matches!(a, Alert::ImminentRisk { .. }))
    }

    /// Puts `alert` among the query's alerts, in place of one of its kind.
    pub(crate) fn set_alert(&mut self, alert: Alert) {
        self.alerts.retain(|a| a.key() != alert.key());
        self.alerts.push(alert);
    }

    /// The hours a week `level` needs for this patient's age, if it has a standard.
    pub(crate) fn hours_needed(&self, level: LevelOfCare) -> Option<(f64, f64)> {
        if level == self.level {
            self.hours_needed
        } else {
            let ages = crate::program::AgeRange {
                min: self.needs.age,
                max: self.needs.age,
            };
            hours_for_level(level, ages)
        }
    }
}

/// Population bits a patient belongs to: those listed, plus those implied by age.
fn population_bits(needs: &PatientNeeds) -> u64 {
    let mut bits = Population::mask_of(&needs.populations);
    if (13..=17).contains(&needs.age) {
        bits |= Population::Adolescents.bit();
    }
    if (18..=25).contains(&needs.age) {
        bits |= Population::YoungAdults.bit();
    }
    if needs.age >= 65 {
        bits |= Population::OlderAdults.bit();
    }
    bits
}

/// The credential checks the patient's needs call for. Prescribers follow the
/// evidence rows: a psychiatric prescriber (psychiatrist, PMHNP) where a row
/// calls for one; for opioid use disorder, a buprenorphine prescriber (any
/// prescriber since the MAT Act of 2023); where a row calls for any prescriber
/// (alcohol, tobacco) and no buprenorphine check is made, any prescriber.
/// Training counts for the approaches of the condition's first-line rows at
/// the patient's age (TF-CBT for PTSD only under 18; DBT or MBT for
/// borderline personality disorder; ERP for OCD; FBT for eating disorders
/// under 18).
fn credential_checks(needs: &PatientNeeds, conditions: &[ConditionNeed]) -> Vec<CheckSpec> {
    let mut checks = Vec::new();
    let need = |n: PrescriberNeed| {
        conditions
            .iter()
            .flat_map(|c| &c.rows)
            .any(|r| r.prescriber == n)
    };
    let prescribers = License::mask_of(License::ALL.iter().filter(|l| l.prescribes()));
    if need(PrescriberNeed::Psychiatric) {
        checks.push(CheckSpec {
            check: CredentialCheck::Prescriber,
            set: CheckSet::Licenses,
            mask: License::mask_of(
                License::ALL
                    .iter()
                    .filter(|l| l.is_psychiatric_prescriber()),
            ),
        });
    }
    let oud = conditions
        .iter()
        .any(|c| c.condition == Condition::OpioidUse);
    if oud {
        checks.push(CheckSpec {
            check: CredentialCheck::BuprenorphinePrescriber,
            set: CheckSet::Licenses,
            mask: prescribers,
        });
    } else if need(PrescriberNeed::Any) {
        checks.push(CheckSpec {
            check: CredentialCheck::AnyPrescriber,
            set: CheckSet::Licenses,
            mask: prescribers,
        });
    }
    if needs.has_substance_use() {
        checks.push(CheckSpec {
            check: CredentialCheck::AddictionClinician,
            set: CheckSet::Licenses,
            mask: License::mask_of(License::ALL.iter().filter(|l| l.is_addiction())),
        });
    }
    for c in conditions {
        let mut certs: Vec<Certification> = c
            .rows
            .iter()
            .filter(|r| r.strength == Strength::FirstLine)
            .flat_map(|r| &r.therapies)
            .filter_map(|t| match t {
                Therapy::Approach(a) => Certification::for_approach(*a),
                Therapy::Modality(_) => None,
            })
            .collect();
        certs.sort();
        certs.dedup();
        if !certs.is_empty() {
            checks.push(CheckSpec {
                check: CredentialCheck::CertifiedFor {
                    condition: c.condition,
                    certifications: certs.clone(),
                },
                set: CheckSet::Certifications,
                mask: Certification::mask_of(&certs),
            });
        }
    }
    if needs.is_minor() {
        checks.push(CheckSpec {
            check: CredentialCheck::ChildAdolescent,
            set: CheckSet::Certifications,
            mask: Certification::ChildAdolescent.bit(),
        });
    }
    checks.push(CheckSpec {
        check: CredentialCheck::LicensedTherapist,
        set: CheckSet::Licenses,
        mask: License::mask_of(License::ALL.iter().filter(|l| l.is_licensed_therapist())),
    });
    checks.push(CheckSpec {
        check: CredentialCheck::StateMentalHealthLicense,
        set: CheckSet::Facility,
        mask: FacilityCredential::StateMentalHealth.bit(),
    });
    if needs.has_substance_use() {
        checks.push(CheckSpec {
            check: CredentialCheck::StateSubstanceUseLicense,
            set: CheckSet::Facility,
            mask: FacilityCredential::StateSubstanceUse.bit(),
        });
    }
    checks.push(CheckSpec {
        check: CredentialCheck::Accreditation,
        set: CheckSet::Facility,
        mask: FacilityCredential::mask_of(
            FacilityCredential::ALL
                .iter()
                .filter(|f| f.is_accreditation()),
        ),
    });
    checks
}

/// The `withdrawal` alert the needs' own codes raise
/// ([`PatientNeeds::withdrawal_risk_from_codes`]: a delirium code counts as
/// a severe risk, so the default policy's severe row applies, medically
/// managed inpatient care; another code its moderate row, arrange withdrawal
/// management). `None` without such a code.
/// The `medical_stability` alert: a patient under 18 with severe or extreme
/// anorexia nervosa (an F50.0 code whose sixth character says severe, 2, or
/// extreme, 3, as ICD-10-CM has coded severity since October 2024; or an
/// F50.0 code with the diagnosis's severity given as severe), matched below
/// residential care (US practice-guideline synthesis for children and
/// adolescents, J Eat Disord 2025; APA eating disorders guideline 2023).
fn medical_stability_alert(needs: &PatientNeeds, level: LevelOfCare) -> Option<Alert> {
    if needs.age >= 18 || level >= LevelOfCare::Residential {
        return None;
    }
    needs.diagnoses.iter().find_map(|d| {
        let code = d.code?;
        let text = code.to_string();
        let anorexia = text.starts_with("F50.0");
        let coded_severe = matches!(text.as_bytes().get(6), Some(b'2' | b'3'));
        (anorexia && (coded_severe || d.severity == Some(crate::Severity::Severe))).then_some(
            Alert::MedicalStability {
                age: needs.age,
                code,
            },
        )
    })
}

fn withdrawal_alert(needs: &PatientNeeds) -> Option<Alert> {
    let risk = needs.withdrawal_risk_from_codes()?;
    let rows = crate::level::WithdrawalRule::defaults();
    let row = crate::level::WithdrawalRule::reached(&rows, risk)?;
    Some(Alert::Withdrawal {
        codes: needs
            .withdrawals()
            .filter(|(_, w)| w.needs_management())
            .map(|(c, _)| c)
            .collect(),
        risk: None,
        level: row.level,
        action: row.action.clone(),
    })
}
