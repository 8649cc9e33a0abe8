//! Explanations: typed reasons behind every score and every exclusion, and
//! the ranking they make up. Rendering (`Display`, serde) is kept apart from
//! the numbers.

use std::fmt;

use crate::matching::alert::Alert;
use crate::matching::evidence::{AgeBand, PartialCredit, Strength, Therapy};
use crate::matching::facts::{CriterionFacts, Eligibility, ExclusionKind};
use crate::matching::query::Query;
use crate::terms::terms;
use crate::therapy::MoudMedication;
use crate::{
    credential::Certification,
    date::Date,
    diagnosis::Condition,
    level::LevelOfCare,
    matching::Criterion,
    patient::DeliveryPreference,
    program::{Aftercare, Language, NotListed, Payer, Population, Program, ProgramId},
    schedule::Session,
    therapy::Modality,
};

/// A staff or facility credential a patient's needs call for.
///
/// # Example
///
/// ```
/// use carematch::matching::CredentialCheck;
/// assert_eq!(
///     CredentialCheck::Prescriber.to_string(),
///     "a psychiatric prescriber (psychiatrist or psychiatric nurse practitioner)"
/// );
/// assert!(CredentialCheck::BuprenorphinePrescriber.to_string().contains("physician assistant"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "check", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CredentialCheck {
    /// A psychiatric prescriber (psychiatrist or PMHNP), when an evidence row
    /// calls for one (bipolar disorder, psychosis, ADHD).
    Prescriber,
    /// A prescriber who may prescribe buprenorphine, for opioid use disorder:
    /// a psychiatrist, another physician, a PMHNP, another nurse practitioner
    /// or a physician assistant (any DEA Schedule III registrant since the
    /// MAT Act of 2023).
    BuprenorphinePrescriber,
    /// Any prescriber (psychiatrist, physician, PMHNP, NP or PA), when an
    /// evidence row calls for one (alcohol use, tobacco treatment).
    AnyPrescriber,
    /// An LADC or addiction counsellor, for substance use.
    AddictionClinician,
    /// A clinician certified in one of the approaches that matter for a condition.
    CertifiedFor {
        /// The condition.
        condition: Condition,
        /// Certifications that count.
        certifications: Vec<Certification>,
    },
    /// Child and adolescent expertise, for a minor.
    ChildAdolescent,
    /// At least one independently licensed therapist (psychologist, LICSW, LMHC, LMFT) or psychiatrist.
    LicensedTherapist,
    /// A state mental-health license.
    StateMentalHealthLicense,
    /// A state substance-use license, for substance use.
    StateSubstanceUseLicense,
    /// A national accreditation (The Joint Commission, CARF, COA).
    Accreditation,
}

impl CredentialCheck {
    /// How much the check counts in the credentials score: 2 for a need the
    /// patient's conditions or age call for (a prescriber, an addiction
    /// clinician, training for a condition, child and adolescent expertise),
    /// 1 for the general checks (a licensed therapist, state licenses,
    /// accreditation).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::CredentialCheck;
    /// assert_eq!(CredentialCheck::Prescriber.weight(), 2);
    /// assert_eq!(CredentialCheck::Accreditation.weight(), 1);
    /// ```
    pub fn weight(&self) -> u32 {
        match self {
            CredentialCheck::Prescriber
            | CredentialCheck::BuprenorphinePrescriber
            | CredentialCheck::AnyPrescriber
            | CredentialCheck::AddictionClinician
            | CredentialCheck::CertifiedFor { .. }
            | CredentialCheck::ChildAdolescent => 2,
            CredentialCheck::LicensedTherapist
            | CredentialCheck::StateMentalHealthLicense
            | CredentialCheck::StateSubstanceUseLicense
            | CredentialCheck::Accreditation => 1,
        }
    }
}

impl fmt::Display for CredentialCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialCheck::Prescriber => f.write_str(
                "a psychiatric prescriber (psychiatrist or psychiatric nurse practitioner)",
            ),
            CredentialCheck::BuprenorphinePrescriber => f.write_str(
                "a buprenorphine prescriber (psychiatrist, physician, nurse practitioner or physician assistant)",
            ),
            CredentialCheck::AnyPrescriber => f.write_str(
                "a prescriber (psychiatrist, physician, nurse practitioner or physician assistant)",
            ),
            CredentialCheck::AddictionClinician => {
                f.write_str("an addiction clinician (LADC or addiction counselor)")
            }
            CredentialCheck::CertifiedFor {
                condition,
                certifications,
            } => {
                write!(f, "a clinician trained for {condition} (")?;
                write_list(f, certifications, " or ")?;
                f.write_str(")")
            }
            CredentialCheck::ChildAdolescent => f.write_str("child and adolescent expertise"),
            CredentialCheck::LicensedTherapist => {
                f.write_str("an independently licensed therapist")
            }
            CredentialCheck::StateMentalHealthLicense => {
                f.write_str("a state mental-health license")
            }
            CredentialCheck::StateSubstanceUseLicense => {
                f.write_str("a state substance-use license")
            }
            CredentialCheck::Accreditation => {
                f.write_str("national accreditation (Joint Commission, CARF or COA)")
            }
        }
    }
}

terms! {
    /// How old a listing's verification is.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::FreshnessBand;
    /// assert_eq!(FreshnessBand::of_days(200), FreshnessBand::OverSixMonths);
    /// ```
    pub enum FreshnessBand: "freshness band" {
        /// Verified within about 6 months (182 days).
        Recent = "recent", "verified within 6 months";
        /// Verified 6 to 12 months ago.
        OverSixMonths = "over_six_months", "verified 6 to 12 months ago";
        /// Verified more than a year ago.
        OverAYear = "over_a_year", "verified more than a year ago";
    }
}

impl FreshnessBand {
    /// The band for a listing verified `days` ago.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::FreshnessBand;
    /// assert_eq!(FreshnessBand::of_days(182), FreshnessBand::Recent);
    /// assert_eq!(FreshnessBand::of_days(366), FreshnessBand::OverAYear);
    /// ```
    pub fn of_days(days: i32) -> FreshnessBand {
        match days {
            ..=182 => FreshnessBand::Recent,
            183..=365 => FreshnessBand::OverSixMonths,
            _ => FreshnessBand::OverAYear,
        }
    }
}

/// A typed reason behind part of a criterion's score. Prints as plain English.
///
/// JSON: its key as `"kind"` and its fields (`{"kind": "wait_days", "days": 7}`);
/// inside a [`CriterionScore`] each reason also carries its sentence as
/// `"text"`, which reading ignores.
///
/// # Example
///
/// ```
/// use carematch::{Aftercare, matching::Reason};
/// let r = Reason::WaitDays { days: 7 };
/// assert_eq!(r.to_string(), "typical wait to intake: 7 days");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// The modalities the patient needs that the program offers, and those it lacks.
    Modalities {
        /// Offered.
        offered: Vec<Modality>,
        /// Needed but not offered.
        missing: Vec<Modality>,
    },
    /// One evidence row for one of the patient's conditions: its therapies
    /// the program offers and lacks, and the partial credit it earns. The
    /// row's credit is (offered + [`crate::matching::PARTIAL_CREDIT`] ×
    /// partial) ÷ (offered + missing); a condition's credit is the mean of its
    /// rows' credits weighted by [`Strength::weight`].
    Evidence {
        /// The condition.
        condition: Condition,
        /// Whether it is the primary diagnosis (weighted double).
        primary: bool,
        /// The row's strength.
        strength: Strength,
        /// The ages the row holds for (the patient's age is among them).
        ages: AgeBand,
        /// Recommended therapies the program offers.
        offered: Vec<Therapy>,
        /// Recommended therapies it does not.
        missing: Vec<Therapy>,
        /// Generic therapies offered in place of a missing one, each earning
        /// partial credit (for example CBT without exposure and response
        /// prevention, for OCD).
        partial: Vec<PartialCredit>,
        /// The evidence table's source for the row.
        source: String,
    },
    /// No row of the evidence table covers this condition, so it adds nothing either way.
    NoEvidenceRow {
        /// The condition.
        condition: Condition,
    },
    /// Whether the program specializes in one of the patient's conditions.
    /// A listed specialty earns credit only when the program also offers an
    /// evidence-based therapy for the condition.
    Specialty {
        /// The condition.
        condition: Condition,
        /// Whether it lists the condition as a specialty.
        specializes: bool,
        /// Whether the specialty earns credit.
        credited: bool,
    },
    /// Whether the program serves one of the populations the patient belongs
    /// to (listed, or implied by age).
    Populations {
        /// The patient's populations it serves.
        served: Vec<Population>,
        /// The patient's populations.
        patient: Vec<Population>,
    },
    /// A credential the patient's needs call for: met or not.
    Credential {
        /// The credential.
        check: CredentialCheck,
        /// Whether the program has it.
        met: bool,
    },
    /// The track that fits best, and how much of its session time falls in the patient's free time.
    BestTrack {
        /// The track's name.
        track: String,
        /// Its sessions.
        sessions: Vec<Session>,
        /// Quarter-hours of session time inside the patient's free time.
        free_quarter_hours: u32,
        /// Quarter-hours of session time in all.
        quarter_hours: u32,
    },
    /// Whether the best track gives the hours a week the level needs.
    TrackHours {
        /// The track's name.
        track: String,
        /// Hours a week it gives.
        hours: f64,
        /// Fewest hours the level needs.
        min: f64,
        /// Most hours the level allows (infinite when open-ended; `null` in JSON).
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::infinite_as_null"))]
        max: f64,
    },
    /// The program lists no track at the matched level, so schedule fit cannot be confirmed.
    NoTrackAtLevel {
        /// The level.
        level: LevelOfCare,
    },
    /// How many tracks at the level fit the patient's free time completely.
    TracksFitting {
        /// Tracks that fit completely.
        fitting: u32,
        /// Tracks at the level.
        tracks: u32,
    },
    /// Whether there is an evening or weekend track at the level.
    EveningOrWeekend {
        /// Whether there is.
        available: bool,
    },
    /// Whether telehealth or hybrid sessions are offered and acceptable to the patient.
    TelehealthOption {
        /// Whether they are.
        available: bool,
    },
    /// It offers telehealth the patient would accept, but its clinicians are
    /// not licensed in the patient's state, so it does not count.
    TelehealthNotLicensed {
        /// The patient's state.
        state: String,
    },
    /// Aftercare services offered and missing; `emphasized` ones count extra for this patient.
    AftercareServices {
        /// Offered.
        offered: Vec<Aftercare>,
        /// Not offered.
        missing: Vec<Aftercare>,
        /// Counted extra (stepping down from inpatient care, family involvement, substance use).
        emphasized: Vec<Aftercare>,
    },
    /// Travel distance in miles.
    Distance {
        /// Straight-line miles.
        miles: f64,
    },
    /// Telehealth is offered and accepted, so distance does not count.
    TelehealthNoTravel {
        /// Straight-line miles, when the patient's location is known.
        miles: Option<f64>,
    },
    /// The patient's location is not given, so distance is not scored.
    DistanceUnknown,
    /// Typical days to intake.
    WaitDays {
        /// Days.
        days: u16,
    },
    /// The program gives no typical wait, so wait is not scored.
    WaitUnknown,
    /// The program's source did not list this part, so what depends on it
    /// is not scored (and never excludes): confirm it with the program.
    NotListed {
        /// The part not listed.
        part: NotListed,
    },
    /// The program is not accepting new patients (listed because waitlists were allowed).
    NotAcceptingNewPatients,
    /// When the listing was last verified, and what that means for confidence.
    Verified {
        /// The date.
        date: Date,
        /// Days before the `as_of` date.
        days_ago: i32,
        /// The band, which sets the score.
        band: FreshnessBand,
    },
}

impl Reason {
    /// Whether this reason names something that lowers its criterion's score
    /// (a missing therapy, an unmet credential, a track that does not fit ...).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Reason;
    /// assert!(Reason::EveningOrWeekend { available: false }.is_shortfall());
    /// assert!(!Reason::WaitDays { days: 0 }.is_shortfall());
    /// ```
    pub fn is_shortfall(&self) -> bool {
        match self {
            Reason::Modalities { missing, .. } => !missing.is_empty(),
            Reason::Evidence { missing, .. } => !missing.is_empty(),
            Reason::Specialty { credited, .. } => !credited,
            Reason::Populations { served, .. } => served.is_empty(),
            Reason::Credential { met, .. } => !met,
            Reason::BestTrack {
                free_quarter_hours,
                quarter_hours,
                ..
            } => free_quarter_hours < quarter_hours,
            Reason::TrackHours {
                hours, min, max, ..
            } => !(hours >= min && hours <= max),
            Reason::NoTrackAtLevel { .. }
            | Reason::TelehealthNotLicensed { .. }
            | Reason::NotAcceptingNewPatients => true,
            Reason::TracksFitting { fitting, .. } => *fitting < 2,
            Reason::EveningOrWeekend { available } | Reason::TelehealthOption { available } => {
                !available
            }
            Reason::AftercareServices { missing, .. } => !missing.is_empty(),
            Reason::Distance { miles } => *miles > 0.0,
            Reason::WaitDays { days } => *days > 0,
            Reason::Verified { band, .. } => *band != FreshnessBand::Recent,
            Reason::NoEvidenceRow { .. }
            | Reason::TelehealthNoTravel { .. }
            | Reason::DistanceUnknown
            | Reason::WaitUnknown
            | Reason::NotListed { .. } => false,
        }
    }
}

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Modalities { offered, missing } => {
                write!(
                    f,
                    "offers {} of {} needed modalities",
                    offered.len(),
                    offered.len() + missing.len()
                )?;
                if !missing.is_empty() {
                    f.write_str("; lacks ")?;
                    write_list(f, missing, ", ")?;
                }
                Ok(())
            }
            Reason::Evidence {
                condition,
                primary,
                strength,
                ages,
                offered,
                missing,
                partial,
                ..
            } => {
                write!(
                    f,
                    "{} of {} {strength} evidence-based therapies for {condition}{}{}",
                    offered.len(),
                    offered.len() + missing.len(),
                    match ages {
                        AgeBand::All => String::new(),
                        a => format!(" ({a})"),
                    },
                    if *primary { " (primary)" } else { "" }
                )?;
                if !offered.is_empty() {
                    f.write_str(": ")?;
                    write_list(f, offered, ", ")?;
                }
                if !missing.is_empty() {
                    f.write_str("; not offered: ")?;
                    write_list(f, missing, ", ")?;
                }
                for p in partial {
                    write!(
                        f,
                        "; {} without {}: partial (half) credit for {condition}, as the guideline names the specific therapy",
                        p.therapy, p.instead_of
                    )?;
                }
                Ok(())
            }
            Reason::NoEvidenceRow { condition } => {
                write!(f, "no evidence table row for {condition}; not scored")
            }
            Reason::Specialty {
                condition,
                specializes: true,
                credited: true,
            } => write!(f, "specializes in {condition}"),
            Reason::Specialty {
                condition,
                specializes: true,
                credited: false,
            } => write!(
                f,
                "lists {condition} as a specialty but offers no first-line evidence-based therapy for it; no credit"
            ),
            Reason::Specialty {
                condition,
                specializes: false,
                ..
            } => write!(f, "does not specialize in {condition}"),
            Reason::Populations { served, patient } => {
                if served.is_empty() {
                    f.write_str("serves none of the patient's populations (")?;
                    write_list(f, patient, ", ")?;
                    f.write_str(")")
                } else {
                    f.write_str("serves the patient's populations: ")?;
                    write_list(f, served, ", ")
                }
            }
            Reason::Credential { check, met: true } => write!(f, "has {check}"),
            Reason::Credential { check, met: false } => write!(f, "lacks {check}"),
            Reason::BestTrack {
                track,
                sessions,
                free_quarter_hours,
                quarter_hours,
            } => {
                let pct = if *quarter_hours == 0 {
                    0
                } else {
                    (u64::from(*free_quarter_hours) * 100 / u64::from(*quarter_hours)) as u32
                };
                write!(f, "best track \"{track}\"")?;
                crate::schedule::write_sessions(f, sessions)?;
                write!(
                    f,
                    " — {pct}% of session time inside the patient's free time"
                )
            }
            Reason::TrackHours {
                track,
                hours,
                min,
                max,
            } => {
                let ok = hours >= min && hours <= max;
                write!(f, "track \"{track}\" gives {hours:.1} hours a week")?;
                match (ok, max.is_finite()) {
                    (true, true) => write!(f, ", within the {min}-{max} the level needs"),
                    (true, false) => write!(f, ", at least the {min} the level needs"),
                    (false, true) => write!(f, ", outside the {min}-{max} the level needs"),
                    (false, false) => write!(f, ", under the {min} the level needs"),
                }
            }
            Reason::NoTrackAtLevel { level } => {
                write!(
                    f,
                    "lists no {level} track, so schedule fit cannot be confirmed"
                )
            }
            Reason::TracksFitting { fitting, tracks } => {
                write!(
                    f,
                    "{fitting} of {tracks} tracks fit the patient's free time completely"
                )
            }
            Reason::EveningOrWeekend { available: true } => {
                f.write_str("has an evening or weekend track")
            }
            Reason::EveningOrWeekend { available: false } => {
                f.write_str("no evening or weekend track")
            }
            Reason::TelehealthOption { available: true } => {
                f.write_str("telehealth or hybrid sessions the patient accepts")
            }
            Reason::TelehealthOption { available: false } => {
                f.write_str("no telehealth option the patient accepts")
            }
            Reason::TelehealthNotLicensed { state } => write!(
                f,
                "its telehealth is not licensed in {state}, where the patient is; it does not count"
            ),
            Reason::AftercareServices {
                offered,
                missing,
                emphasized,
            } => {
                write!(
                    f,
                    "{} of {} aftercare services",
                    offered.len(),
                    offered.len() + missing.len()
                )?;
                if !offered.is_empty() {
                    f.write_str(": ")?;
                    write_list(f, offered, ", ")?;
                }
                let lacking: Vec<&Aftercare> =
                    missing.iter().filter(|a| emphasized.contains(a)).collect();
                if !lacking.is_empty() {
                    f.write_str("; lacks, for this patient: ")?;
                    write_list(f, &lacking, ", ")?;
                }
                Ok(())
            }
            Reason::Distance { miles } => write!(f, "{miles:.1} miles away"),
            Reason::TelehealthNoTravel { miles: Some(m) } => {
                write!(f, "telehealth, so no travel ({m:.1} miles away)")
            }
            Reason::TelehealthNoTravel { miles: None } => f.write_str("telehealth, so no travel"),
            Reason::DistanceUnknown => {
                f.write_str("patient location not given; distance not scored")
            }
            Reason::WaitDays { days } => write!(f, "typical wait to intake: {days} days"),
            Reason::WaitUnknown => {
                f.write_str("typical wait not listed; not scored; confirm with the program")
            }
            Reason::NotListed { part } => {
                write!(f, "{part} not listed; confirm with the program")
            }
            Reason::NotAcceptingNewPatients => f.write_str("not accepting new patients (waitlist)"),
            Reason::Verified {
                date,
                days_ago,
                band,
            } => match band {
                FreshnessBand::Recent => write!(f, "verified {date} ({days_ago} days ago)"),
                FreshnessBand::OverSixMonths => write!(
                    f,
                    "verified {date}, {days_ago} days ago: over 6 months, confirm details before referring"
                ),
                FreshnessBand::OverAYear => write!(
                    f,
                    "verified {date}, {days_ago} days ago: over a year, confidence low; confirm before referring"
                ),
            },
        }
    }
}

/// Why a program cannot take the patient. Every reason that applies is listed.
///
/// JSON: its key as `"reason"` and its fields; inside an [`Exclusion`] or a
/// [`crate::matching::LeftOut`] each also carries its sentence as `"text"`,
/// which reading ignores.
///
/// # Example
///
/// ```
/// use carematch::{Payer, matching::ExclusionReason};
/// let r = ExclusionReason::PayerNotAccepted { payer: Payer::MassHealth };
/// assert_eq!(r.to_string(), "does not take MassHealth");
/// assert_eq!(r.key(), "payer_not_accepted");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "reason", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ExclusionReason {
    /// It offers neither the level wanted nor (when asked) an adjacent one.
    LevelNotOffered {
        /// The level wanted.
        wanted: LevelOfCare,
        /// The levels it offers.
        offered: Vec<LevelOfCare>,
    },
    /// The patient's age is outside the program's range.
    AgeOutOfRange {
        /// The patient's age.
        age: u8,
        /// Youngest served.
        min: u8,
        /// Oldest served.
        max: u8,
    },
    /// The program is restricted to populations the patient is not in.
    PopulationRestricted {
        /// The populations it serves exclusively.
        restricted_to: Vec<Population>,
    },
    /// It takes neither the patient's payer nor (when allowed) self-pay or a sliding scale.
    PayerNotAccepted {
        /// The patient's payer.
        payer: Payer,
    },
    /// It offers neither the patient's language nor interpreters.
    LanguageNotOffered {
        /// The patient's language.
        language: Language,
    },
    /// It does not accept one of the patient's conditions.
    ConditionNotAccepted {
        /// The condition.
        condition: Condition,
    },
    /// It admits only some primary conditions, and the patient's is not one.
    PrimaryConditionNotAdmitted {
        /// The patient's primary condition.
        condition: Condition,
        /// The primary conditions it admits.
        admits: Vec<Condition>,
    },
    /// It offers no delivery mode the patient accepts.
    DeliveryNotAccepted {
        /// The patient's preference.
        preference: DeliveryPreference,
    },
    /// Its telehealth is not licensed in the patient's state, and it cannot
    /// be reached in person (no in-person sessions the patient accepts, or
    /// beyond the travel limit).
    OutOfStateTelehealth {
        /// The patient's state.
        state: String,
        /// The states it is licensed in.
        licensed_states: Vec<String>,
    },
    /// It is farther than the patient can travel, with no telehealth the patient accepts.
    TooFar {
        /// Straight-line miles (`null` in JSON when not known).
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::infinite_as_null"))]
        miles: f64,
        /// The patient's maximum (`null` in JSON when not given).
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::infinite_as_null"))]
        max_miles: f64,
    },
    /// It is not accepting new patients (and waitlists were not allowed).
    NotAcceptingNewPatients,
    /// Its best track at the level has too little of its session time inside
    /// the patient's free time for the patient to attend.
    ScheduleConflict {
        /// The best track.
        track: String,
        /// The share of its session time inside the patient's free time.
        share: f64,
        /// The least share needed ([`crate::matching::MatchOptions::min_schedule_fit`]).
        min: f64,
    },
    /// The patient has opioid use disorder and is on MOUD, and the program
    /// cannot continue it: on methadone, it is neither an Opioid Treatment
    /// Program nor coordinates with one; otherwise it neither offers MOUD
    /// nor has a prescriber.
    MoudNotAvailable {
        /// The patient's medication, when named.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        medication: Option<MoudMedication>,
    },
}

impl ExclusionReason {
    /// Every reason's key, in the order the filters run (the keys of [`ExclusionKind::ALL`]).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::ExclusionReason::KEYS[0], "level_not_offered");
    /// ```
    pub const KEYS: [&'static str; ExclusionKind::ALL.len()] = {
        let mut keys = [""; ExclusionKind::ALL.len()];
        let mut i = 0;
        while i < keys.len() {
            keys[i] = ExclusionKind::ALL[i].key();
            i += 1;
        }
        keys
    };

    /// This reason's kind.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{matching::{ExclusionKind, ExclusionReason}};
    /// assert_eq!(ExclusionReason::NotAcceptingNewPatients.kind(), ExclusionKind::NotAcceptingNewPatients);
    /// ```
    pub fn kind(&self) -> ExclusionKind {
        match self {
            ExclusionReason::LevelNotOffered { .. } => ExclusionKind::LevelNotOffered,
            ExclusionReason::AgeOutOfRange { .. } => ExclusionKind::AgeOutOfRange,
            ExclusionReason::PopulationRestricted { .. } => ExclusionKind::PopulationRestricted,
            ExclusionReason::PayerNotAccepted { .. } => ExclusionKind::PayerNotAccepted,
            ExclusionReason::LanguageNotOffered { .. } => ExclusionKind::LanguageNotOffered,
            ExclusionReason::ConditionNotAccepted { .. } => ExclusionKind::ConditionNotAccepted,
            ExclusionReason::PrimaryConditionNotAdmitted { .. } => {
                ExclusionKind::PrimaryConditionNotAdmitted
            }
            ExclusionReason::DeliveryNotAccepted { .. } => ExclusionKind::DeliveryNotAccepted,
            ExclusionReason::OutOfStateTelehealth { .. } => ExclusionKind::OutOfStateTelehealth,
            ExclusionReason::TooFar { .. } => ExclusionKind::TooFar,
            ExclusionReason::NotAcceptingNewPatients => ExclusionKind::NotAcceptingNewPatients,
            ExclusionReason::ScheduleConflict { .. } => ExclusionKind::ScheduleConflict,
            ExclusionReason::MoudNotAvailable { .. } => ExclusionKind::MoudNotAvailable,
        }
    }

    /// A short machine key for counting exclusions by reason: its kind's key.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::ExclusionReason::NotAcceptingNewPatients.key(), "not_accepting_new_patients");
    /// ```
    pub fn key(&self) -> &'static str {
        self.kind().key()
    }
}

/// How many programs were excluded for one reason (a program excluded for
/// several reasons counts under each).
///
/// # Example
///
/// ```
/// use carematch::{matching::{ExclusionCount, ExclusionKind}};
/// let c = ExclusionCount { reason: ExclusionKind::TooFar, programs: 22 };
/// assert_eq!(c.to_string(), "too_far 22");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExclusionCount {
    /// The reason's kind (written as its key).
    pub reason: ExclusionKind,
    /// Programs excluded for it.
    pub programs: usize,
}

impl fmt::Display for ExclusionCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.reason.key(), self.programs)
    }
}

/// Counts per reason kind from a histogram of excluded programs by their set
/// of kinds (`by_set[s]` programs failed exactly the kinds of
/// [`ExclusionKinds::from_bits`]`(s)`), most frequent first, ties by key.
pub(crate) fn count_exclusions(counts: &crate::matching::facts::KindCounts) -> Vec<ExclusionCount> {
    let counts = counts.by_kind;
    let mut v: Vec<ExclusionCount> = ExclusionKind::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| ExclusionCount {
            reason: *k,
            programs: n,
        })
        .collect();
    v.sort_by(|a, b| {
        b.programs
            .cmp(&a.programs)
            .then(a.reason.key().cmp(b.reason.key()))
    });
    v
}

impl fmt::Display for ExclusionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExclusionReason::LevelNotOffered { wanted, offered } => {
                write!(f, "does not offer {wanted} (offers ")?;
                write_list(f, offered, ", ")?;
                f.write_str(")")
            }
            ExclusionReason::AgeOutOfRange { age, min, max } => {
                write!(f, "serves ages {min}-{max}; the patient is {age}")
            }
            ExclusionReason::PopulationRestricted { restricted_to } => {
                f.write_str("serves only ")?;
                write_list(f, restricted_to, ", ")
            }
            ExclusionReason::PayerNotAccepted { payer } => write!(f, "does not take {payer}"),
            ExclusionReason::LanguageNotOffered { language } => {
                let name = language.name().unwrap_or_else(|| language.code());
                write!(f, "no sessions or interpreters in {name}")
            }
            ExclusionReason::ConditionNotAccepted { condition } => {
                write!(f, "does not accept patients with {condition}")
            }
            ExclusionReason::PrimaryConditionNotAdmitted { condition, admits } => {
                write!(f, "admits only patients whose primary condition is ")?;
                write_list(f, admits, " or ")?;
                write!(f, ", not {condition}")
            }
            ExclusionReason::DeliveryNotAccepted { preference } => {
                write!(f, "offers no delivery the patient accepts ({preference})")
            }
            ExclusionReason::TooFar { miles, max_miles } => write!(
                f,
                "{miles:.1} miles away, beyond the patient's {max_miles:.0}, with no telehealth the patient accepts"
            ),
            ExclusionReason::NotAcceptingNewPatients => f.write_str("not accepting new patients"),
            ExclusionReason::OutOfStateTelehealth {
                state,
                licensed_states,
            } => {
                f.write_str("telehealth licensed only in ")?;
                write_list(f, licensed_states, ", ")?;
                write!(
                    f,
                    ", not in {state} where the patient is, and not reachable in person"
                )
            }
            ExclusionReason::ScheduleConflict { track, share, min } => write!(
                f,
                "best track \"{track}\" has {:.0}% of its session time inside the patient's free time, under the {:.0}% needed to attend",
                share * 100.0,
                min * 100.0
            ),
            ExclusionReason::MoudNotAvailable {
                medication: Some(m),
            } if m.needs_otp() => f.write_str(
                "the patient takes methadone, and this program is not an Opioid Treatment Program and does not coordinate with one (methadone for opioid use disorder is dispensed only by an OTP)",
            ),
            ExclusionReason::MoudNotAvailable { .. } => f.write_str(
                "cannot continue medication for opioid use disorder (no MOUD, no prescriber), and the patient is on it",
            ),
        }
    }
}

/// One criterion's part of a match's score.
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let programs = sample::massachusetts();
/// let dir = Directory::new(programs, sample::AS_OF)?;
/// let needs = carematch::sample::patients()[0].needs.clone();
/// let q = Query::new(&needs, needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 3);
/// let first = &ranking.matches[0];
/// let sum: f64 = first.criteria.iter().map(|c| c.contribution).sum();
/// assert!((sum - first.score).abs() < 1e-9);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CriterionScore {
    /// Which criterion.
    pub criterion: Criterion,
    /// Its score in [0, 1]; `None` when it does not apply (missing data), in
    /// which case its weight is left out of the mean.
    pub score: Option<f64>,
    /// Its weight.
    pub weight: f64,
    /// Its share of the total: weight x score / sum of the applicable weights.
    pub contribution: f64,
    /// Why (each written with its sentence as `"text"` in JSON).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    pub reasons: Vec<Reason>,
}

/// One ranked program with its breakdown.
///
/// JSON: `{"program_id", "program_name", "city", "level", "alternative", "score",
/// "distance_miles", "wait_days", "alerts", "criteria": {"therapy_fit": {...}, ...}}`;
/// it reads back from that shape (every criterion's entry must be there).
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let needs = sample::patients()[0].needs.clone();
/// let q = Query::new(&needs, needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let m = &dir.rank(&q, &Weights::default(), 1).matches[0];
/// assert!((0.0..=1.0).contains(&m.score));
/// assert_eq!(m.criteria.len(), 7);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The program's id.
    pub program_id: ProgramId,
    /// The program's name.
    pub program_name: String,
    /// Its city or town.
    pub city: String,
    /// The level it is matched at.
    pub level: LevelOfCare,
    /// Whether this is an alternative at an adjacent level, not the level wanted.
    pub alternative: bool,
    /// The total: the weighted mean of the applicable criterion scores, in [0, 1].
    pub score: f64,
    /// Straight-line miles, when the patient's location is known.
    pub distance_miles: Option<f64>,
    /// Typical days to intake, when listed.
    pub wait_days: Option<u16>,
    /// What a clinician must see about this program first (MOUD gap, hours
    /// below the level, stale listing); each written with its sentence as
    /// `"text"` in JSON.
    pub alerts: Vec<Alert>,
    /// One entry per criterion, in [`Criterion::ALL`] order.
    pub criteria: Vec<CriterionScore>,
}

impl Match {
    /// The breakdown entry for `criterion`.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
    /// let m = &dir.rank(&q, &Weights::default(), 1).matches[0];
    /// assert_eq!(m.criterion(Criterion::Wait).criterion, Criterion::Wait);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn criterion(&self, criterion: Criterion) -> &CriterionScore {
        &self.criteria[criterion.index()]
    }

    /// The reasons worth a first look: the first reason of each applicable
    /// criterion, the criteria that contribute most first.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
    /// let m = &dir.rank(&q, &Weights::default(), 1).matches[0];
    /// assert_eq!(m.top_reasons(3).len(), 3);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn top_reasons(&self, n: usize) -> Vec<&Reason> {
        let mut cs: Vec<&CriterionScore> =
            self.criteria.iter().filter(|c| c.score.is_some()).collect();
        cs.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        cs.into_iter()
            .filter_map(|c| c.reasons.first())
            .take(n)
            .collect()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Match {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Criteria<'a>(&'a [CriterionScore]);
        impl serde::Serialize for Criteria<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for c in self.0 {
                    m.serialize_entry(c.criterion.key(), c)?;
                }
                m.end()
            }
        }
        let mut st = s.serialize_struct("Match", 10)?;
        st.serialize_field("program_id", &self.program_id)?;
        st.serialize_field("program_name", &self.program_name)?;
        st.serialize_field("city", &self.city)?;
        st.serialize_field("level", &self.level)?;
        st.serialize_field("alternative", &self.alternative)?;
        st.serialize_field("score", &self.score)?;
        st.serialize_field("distance_miles", &self.distance_miles)?;
        st.serialize_field("wait_days", &self.wait_days)?;
        st.serialize_field("alerts", &Alerts(&self.alerts))?;
        st.serialize_field("criteria", &Criteria(&self.criteria))?;
        st.end()
    }
}

/// A match's alerts, each with its sentence as `"text"`.
#[cfg(feature = "serde")]
struct Alerts<'a>(&'a [Alert]);

#[cfg(feature = "serde")]
impl serde::Serialize for Alerts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::serde_impl::with_text::serialize(self.0, s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Match {
    /// The shape [`Match`]'s `Serialize` writes: `criteria` is a map from
    /// every criterion's key to its entry (each entry's `criterion` must
    /// agree with its key); it is read back in [`Criterion::ALL`] order.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Match, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        struct MatchJson {
            program_id: ProgramId,
            program_name: String,
            city: String,
            level: LevelOfCare,
            alternative: bool,
            score: f64,
            distance_miles: Option<f64>,
            wait_days: Option<u16>,
            #[serde(default)]
            alerts: Vec<Alert>,
            criteria: std::collections::BTreeMap<Criterion, CriterionScore>,
        }
        let m = MatchJson::deserialize(d)?;
        let mut criteria = Vec::with_capacity(Criterion::ALL.len());
        let mut by_key = m.criteria;
        for &c in Criterion::ALL {
            let entry = by_key.remove(&c).ok_or_else(|| {
                D::Error::custom(format!("criteria: missing the entry for `{}`", c.key()))
            })?;
            if entry.criterion != c {
                return Err(D::Error::custom(format!(
                    "criteria.{}: the entry names criterion `{}`",
                    c.key(),
                    entry.criterion.key()
                )));
            }
            criteria.push(entry);
        }
        Ok(Match {
            program_id: m.program_id,
            program_name: m.program_name,
            city: m.city,
            level: m.level,
            alternative: m.alternative,
            score: m.score,
            distance_miles: m.distance_miles,
            wait_days: m.wait_days,
            alerts: m.alerts,
            criteria,
        })
    }
}

/// A program that cannot take the patient, with every reason.
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 5);
/// assert!(ranking.excluded.iter().all(|e| !e.reasons.is_empty()));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Exclusion {
    /// The program's id.
    pub program_id: ProgramId,
    /// The program's name.
    pub program_name: String,
    /// Every reason it cannot take the patient (each written with its
    /// sentence as `"text"` in JSON).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    pub reasons: Vec<ExclusionReason>,
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.program_name, self.program_id)?;
        write_list(f, &self.reasons, "; ")
    }
}

/// Everything about one program for one patient
/// ([`crate::Directory::explain`]).
///
/// Written in JSON with its `"outcome"` key (`match`, `alternative`,
/// `excluded`, `unknown_program`) beside its fields.
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let q = dir.query(&sample::patients()[0].needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
/// let answer = dir.explain(&q, &Weights::default(), "no-such-program");
/// assert_eq!(answer, Explanation::UnknownProgram { program_id: "no-such-program".into() });
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "outcome", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Explanation {
    /// Eligible at the query's level: its place among the matches of the
    /// full ranking (1 = first), and its breakdown, exactly as a ranking
    /// with `k` at least `rank` lists it.
    Match {
        /// Its position in the full ranking of matches, from 1.
        rank: usize,
        /// The match, with every criterion and reason.
        details: Match,
    },
    /// Eligible at an adjacent level, listed as a labelled alternative
    /// (only when the query's options include alternatives): its place among
    /// the alternatives, from 1, and its breakdown.
    Alternative {
        /// Its position among the alternatives, from 1.
        rank: usize,
        /// The alternative, with every criterion and reason.
        details: Match,
    },
    /// It cannot take the patient: every reason.
    Excluded {
        /// The exclusion, with every reason.
        details: Exclusion,
    },
    /// No program in the directory has the id.
    UnknownProgram {
        /// The id asked about.
        program_id: String,
    },
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::Match { rank, details } => write!(
                f,
                "{} ({}): match number {rank}, score {:.3}",
                details.program_name, details.program_id, details.score
            ),
            Explanation::Alternative { rank, details } => write!(
                f,
                "{} ({}): alternative number {rank} at {}, score {:.3}",
                details.program_name, details.program_id, details.level, details.score
            ),
            Explanation::Excluded { details } => write!(f, "excluded: {details}"),
            Explanation::UnknownProgram { program_id } => {
                write!(f, "no program has the id `{program_id}`")
            }
        }
    }
}

/// The result of ranking one patient against a directory.
///
/// `matches` offer the level wanted, best first; `alternatives` (only when
/// asked) offer an adjacent level instead and are labelled so; `excluded`
/// lists every program that cannot take the patient, with all its reasons,
/// ordered by id, only when [`crate::matching::MatchOptions::with_exclusion_details`]
/// asks (the counts are always there; [`crate::Directory::exclusions`] lists
/// them on demand).
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 5);
/// assert!(ranking.matches.len() <= 5);
/// assert_eq!(ranking.eligible + ranking.alternatives_eligible + ranking.excluded_count, dir.len());
/// println!("{ranking}");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ranking {
    /// What a clinician must see before any match, most urgent first (each
    /// written with its sentence as `"text"` in JSON).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    pub alerts: Vec<Alert>,
    /// The level of care matched.
    pub level: LevelOfCare,
    /// The best programs at that level, at most k, best first.
    pub matches: Vec<Match>,
    /// Programs at an adjacent level, labelled, at most k (only when asked).
    pub alternatives: Vec<Match>,
    /// Every program that cannot take the patient, by id, with all its reasons
    /// (empty unless exclusion details were asked for).
    pub excluded: Vec<Exclusion>,
    /// How many programs were excluded.
    pub excluded_count: usize,
    /// Programs excluded per reason, most frequent first.
    pub exclusion_counts: Vec<ExclusionCount>,
    /// How many programs at the level were eligible (before the top k cut).
    pub eligible: usize,
    /// How many adjacent-level programs were eligible (0 unless asked).
    pub alternatives_eligible: usize,
}

fn write_match_table(f: &mut fmt::Formatter<'_>, matches: &[Match]) -> fmt::Result {
    for (i, m) in matches.iter().enumerate() {
        let dist = m
            .distance_miles
            .map_or_else(|| "-".to_owned(), |d| format!("{d:.1} mi"));
        writeln!(
            f,
            "{:>2}. {:.3}  {} ({}), {}, {}{}",
            i + 1,
            m.score,
            m.program_name,
            m.program_id,
            m.city,
            dist,
            if m.alternative {
                format!("  [alternative: {}]", m.level)
            } else {
                String::new()
            }
        )?;
        for a in &m.alerts {
            writeln!(f, "      ! {a}")?;
        }
        for c in &m.criteria {
            let score = c
                .score
                .map_or_else(|| "  n/a".to_owned(), |s| format!("{s:.2}"));
            write!(f, "      {:<22}{score}", c.criterion.label())?;
            if let Some(r) = c.reasons.first() {
                write!(f, "  {r}")?;
            }
            writeln!(f)?;
            // Every other reason that lowers a criterion below 1, for every
            // condition, and every part not listed.
            let below = c.score.is_some_and(|s| s < 1.0);
            for r in
                c.reasons.iter().skip(1).filter(|r| {
                    (below && r.is_shortfall()) || matches!(r, Reason::NotListed { .. })
                })
            {
                writeln!(f, "      {:<22}      {r}", "")?;
            }
        }
    }
    Ok(())
}

impl fmt::Display for Ranking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for a in &self.alerts {
            writeln!(f, "! {a}")?;
        }
        if !self.alerts.is_empty() {
            writeln!(f)?;
        }
        if self.eligible == 0 {
            writeln!(
                f,
                "No program in the directory offers {} and can take this patient.",
                self.level
            )?;
        } else {
            writeln!(
                f,
                "Top {} of {} eligible {} programs:",
                self.matches.len(),
                self.eligible,
                self.level
            )?;
            write_match_table(f, &self.matches)?;
        }
        if !self.alternatives.is_empty() {
            writeln!(
                f,
                "Alternatives at adjacent levels (not the level recommended; a clinician decides):"
            )?;
            write_match_table(f, &self.alternatives)?;
        }
        write!(f, "{} excluded", self.excluded_count)?;
        if self.exclusion_counts.len() > 1 {
            f.write_str(" (a program is counted under each of its reasons)")?;
        }
        for (i, c) in self.exclusion_counts.iter().enumerate() {
            write!(f, "{}{c}", if i == 0 { ": " } else { ", " })?;
        }
        writeln!(f)
    }
}

// ------------------------------------------------------ words from facts

/// The reasons for each criterion, a pure function of the facts; `p` gives
/// only names and dates for display (the best track's name and sessions, the
/// verification date).
pub(crate) fn reasons(q: &Query, f: &CriterionFacts, p: &Program) -> [Vec<Reason>; 7] {
    let mut out: [Vec<Reason>; 7] = Default::default();
    let level = f.level.unwrap_or(q.level);

    // Therapy fit.
    let r = &mut out[Criterion::TherapyFit.index()];
    for (c, hits) in q.conditions.iter().zip(&f.evidence) {
        if c.rows.is_empty() {
            r.push(Reason::NoEvidenceRow {
                condition: c.condition,
            });
        }
        for row in &c.rows {
            let reading = row.read(*hits);
            r.push(Reason::Evidence {
                condition: c.condition,
                primary: c.primary,
                strength: row.strength,
                ages: row.ages,
                offered: reading.offered,
                missing: reading.missing,
                partial: reading.partial,
                source: row.source.clone(),
            });
        }
    }
    let (offered, missing): (Vec<Modality>, Vec<Modality>) = Modality::ALL
        .iter()
        .filter(|m| q.needed_modalities & m.bit() != 0)
        .partition(|m| f.modalities & m.bit() != 0);
    r.push(Reason::Modalities { offered, missing });
    for c in &q.conditions {
        r.push(Reason::Specialty {
            condition: c.condition,
            specializes: f.specialties & c.condition.bit() != 0,
            credited: f.specialty_credited(q) & c.condition.bit() != 0,
        });
    }
    if q.population_bits != 0 {
        let of = |bits: u64| -> Vec<Population> {
            Population::ALL
                .iter()
                .copied()
                .filter(|p| bits & p.bit() != 0)
                .collect()
        };
        r.push(Reason::Populations {
            served: of(f.populations),
            patient: of(q.population_bits),
        });
    }

    // Credentials: unmet needs first, they are what a clinician must weigh.
    let r = &mut out[Criterion::Credentials.index()];
    let mut creds: Vec<Reason> = q
        .checks
        .iter()
        .enumerate()
        .filter(|(_, c)| f.not_listed & c.set.part().bit() == 0)
        .map(|(i, c)| Reason::Credential {
            check: c.check.clone(),
            met: f.checks_met >> i & 1 == 1,
        })
        .collect();
    creds.sort_by_key(|r| matches!(r, Reason::Credential { met: true, .. }));
    r.extend(creds);
    // Checks on a part not listed are not scored: one reason per part.
    for part in [NotListed::Staff, NotListed::FacilityCredentials] {
        if f.not_listed & part.bit() != 0 && q.checks.iter().any(|c| c.set.part() == part) {
            r.push(Reason::NotListed { part });
        }
    }

    // Schedule.
    let r = &mut out[Criterion::ScheduleFlexibility.index()];
    let tracks_listed = f.not_listed & NotListed::Tracks.bit() == 0;
    if !tracks_listed {
        r.push(Reason::NotListed {
            part: NotListed::Tracks,
        });
    }
    let best = f
        .tracks
        .best
        .and_then(|(i, t)| p.tracks_at(level).nth(i as usize).map(|track| (track, t)));
    match best {
        _ if !tracks_listed => {}
        Some((track, t)) => {
            r.push(Reason::BestTrack {
                track: track.name.clone(),
                sessions: track.sessions.clone(),
                free_quarter_hours: t.free_slots,
                quarter_hours: t.slots,
            });
            if let Some((min, max)) = q.hours_needed(level) {
                r.push(Reason::TrackHours {
                    track: track.name.clone(),
                    hours: f64::from(t.minutes) / 60.0,
                    min,
                    max,
                });
            }
        }
        None => r.push(Reason::NoTrackAtLevel { level }),
    }
    if tracks_listed {
        r.push(Reason::TracksFitting {
            fitting: f.tracks.fitting,
            tracks: f.tracks.tracks,
        });
        r.push(Reason::EveningOrWeekend {
            available: f.tracks.evening_or_weekend,
        });
        r.push(Reason::TelehealthOption {
            available: f.telehealth_option,
        });
        if let (true, Some(state)) = (f.telehealth_unlicensed, q.needs.state.as_ref()) {
            r.push(Reason::TelehealthNotLicensed {
                state: state.clone(),
            });
        }
    }

    // Aftercare.
    let (offered, missing): (Vec<Aftercare>, Vec<Aftercare>) = Aftercare::ALL
        .iter()
        .partition(|a| f.aftercare & a.bit() != 0);
    let emphasized = Aftercare::ALL
        .iter()
        .copied()
        .filter(|a| q.aftercare_weights[a.index()] > 1)
        .collect();
    out[Criterion::Aftercare.index()].push(if f.not_listed & NotListed::Aftercare.bit() == 0 {
        Reason::AftercareServices {
            offered,
            missing,
            emphasized,
        }
    } else {
        Reason::NotListed {
            part: NotListed::Aftercare,
        }
    });

    // Distance.
    let r = &mut out[Criterion::Distance.index()];
    r.push(match (f.remote, f.miles) {
        (true, miles) => Reason::TelehealthNoTravel { miles },
        (false, Some(miles)) => Reason::Distance { miles },
        (false, None) => Reason::DistanceUnknown,
    });
    if let (true, Some(state)) = (f.telehealth_unlicensed, q.needs.state.as_ref()) {
        r.push(Reason::TelehealthNotLicensed {
            state: state.clone(),
        });
    }

    // Wait.
    if f.not_listed & NotListed::AcceptingNewPatients.bit() != 0 {
        out[Criterion::Wait.index()].push(Reason::NotListed {
            part: NotListed::AcceptingNewPatients,
        });
    }
    out[Criterion::Wait.index()].push(match (f.accepting, f.wait_days) {
        (false, _) => Reason::NotAcceptingNewPatients,
        (true, Some(days)) => Reason::WaitDays { days },
        (true, None) => Reason::WaitUnknown,
    });

    // Freshness.
    let days_ago = f.days_since_verified.max(0);
    out[Criterion::Freshness.index()].push(Reason::Verified {
        date: p.last_verified,
        days_ago,
        band: FreshnessBand::of_days(days_ago),
    });
    out
}

/// Every reason a program cannot take the patient, in the order the filters
/// run, a pure function of the eligibility facts; `p` gives only the values
/// the reasons report (its levels, ages, populations).
pub(crate) fn exclusion_reasons(q: &Query, e: &Eligibility, p: &Program) -> Vec<ExclusionReason> {
    let needs = &q.needs;
    let mut out = Vec::new();
    for kind in e.fails.iter() {
        match kind {
            ExclusionKind::LevelNotOffered => out.push(ExclusionReason::LevelNotOffered {
                wanted: q.level,
                offered: p.levels.clone(),
            }),
            ExclusionKind::AgeOutOfRange => out.push(ExclusionReason::AgeOutOfRange {
                age: needs.age,
                min: p.ages.min,
                max: p.ages.max,
            }),
            ExclusionKind::PopulationRestricted => {
                out.push(ExclusionReason::PopulationRestricted {
                    restricted_to: p.restricted_to.clone(),
                })
            }
            ExclusionKind::PayerNotAccepted => out.push(ExclusionReason::PayerNotAccepted {
                payer: needs.payer.clone(),
            }),
            ExclusionKind::LanguageNotOffered => out.push(ExclusionReason::LanguageNotOffered {
                language: needs.language,
            }),
            ExclusionKind::ConditionNotAccepted => out.extend(
                q.conditions
                    .iter()
                    .filter(|c| e.conditions_refused & c.condition.bit() != 0)
                    .map(|c| ExclusionReason::ConditionNotAccepted {
                        condition: c.condition,
                    }),
            ),
            ExclusionKind::PrimaryConditionNotAdmitted => {
                if let Some(c) = q.conditions.iter().find(|c| c.primary) {
                    out.push(ExclusionReason::PrimaryConditionNotAdmitted {
                        condition: c.condition,
                        admits: p.admits.clone(),
                    });
                }
            }
            ExclusionKind::DeliveryNotAccepted => out.push(ExclusionReason::DeliveryNotAccepted {
                preference: needs.delivery,
            }),
            ExclusionKind::OutOfStateTelehealth => {
                out.push(ExclusionReason::OutOfStateTelehealth {
                    state: needs.state.clone().unwrap_or_default(),
                    licensed_states: if p.licensed_states.is_empty() {
                        vec![p.location.state.clone()]
                    } else {
                        p.licensed_states.clone()
                    },
                })
            }
            ExclusionKind::TooFar => out.push(ExclusionReason::TooFar {
                // Exact eligibility facts carry the miles whenever the
                // patient's location is known, which `too_far` needs.
                miles: e.miles.unwrap_or(f64::INFINITY),
                max_miles: needs.max_travel_miles.unwrap_or(f64::INFINITY),
            }),
            ExclusionKind::NotAcceptingNewPatients => {
                out.push(ExclusionReason::NotAcceptingNewPatients)
            }
            ExclusionKind::ScheduleConflict => {
                let level = e.placement.map_or(q.level, |pl| pl.level(q));
                let best = e
                    .tracks
                    .and_then(|t| t.best)
                    .and_then(|(i, t)| p.tracks_at(level).nth(i as usize).map(|track| (track, t)));
                if let Some((track, t)) = best {
                    out.push(ExclusionReason::ScheduleConflict {
                        track: track.name.clone(),
                        share: f64::from(t.free_slots) / f64::from(t.slots.max(1)),
                        min: q.options.min_schedule_fit(),
                    });
                }
            }
            ExclusionKind::MoudNotAvailable => out.push(ExclusionReason::MoudNotAvailable {
                medication: q.moud_medication,
            }),
        }
    }
    out
}

/// A match's own alerts, a pure function of its facts; `p` gives the best
/// track's name and the verification date.
pub(crate) fn match_alerts(q: &Query, f: &CriterionFacts, p: &Program) -> Vec<Alert> {
    let mut out = Vec::new();
    let level = f.level.unwrap_or(q.level);
    // With staff not listed a prescriber may be there: `unconfirmed` names staff.
    if q.oud && !f.moud && f.not_listed & NotListed::Staff.bit() == 0 {
        out.push(Alert::MoudGap);
    }
    // On MOUD, at a program that can continue it but does not list the
    // medication: never silent.
    if q.moud_required && !f.moud_listed {
        out.push(Alert::ConfirmMoud {
            medication: q.moud_medication,
        });
    }
    if q.withdrawal && !f.withdrawal_management {
        out.push(Alert::ConfirmWithdrawalManagement);
    }
    if let Some(pi) = q.conditions.iter().position(|c| c.primary)
        && let (c, Some(hits)) = (&q.conditions[pi], f.evidence.get(pi))
        && c.first_line != (0, 0)
        && !c.offers_first_line(*hits)
    {
        out.push(Alert::NoFirstLineTherapy {
            condition: c.condition,
        });
    }
    if let (Some((i, t)), Some((min, _))) = (f.tracks.best, q.hours_needed(level)) {
        let hours = f64::from(t.minutes) / 60.0;
        if hours < min
            && let Some(track) = p.tracks_at(level).nth(i as usize)
        {
            out.push(Alert::HoursBelowLevel {
                level,
                track: track.name.clone(),
                hours,
                min,
            });
        }
    }
    if f.days_since_verified > STALE_AFTER_DAYS {
        out.push(Alert::StaleData {
            verified: p.last_verified,
            days_ago: f.days_since_verified,
        });
    }
    if f.not_listed != 0 {
        out.push(Alert::Unconfirmed {
            not_listed: NotListed::from_mask(f.not_listed),
        });
    }
    out
}

/// A listing verified more than this many days before the ranking's date is stale (12 months).
pub(crate) const STALE_AFTER_DAYS: i32 = 365;
