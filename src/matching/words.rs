//! The words: the reason vocabulary every score and exclusion is explained
//! with (`Reason`, `ExclusionReason`, `ExclusionKind`, `CredentialCheck`,
//! `FreshnessBand`) and how each prints. A leaf of `matching/`: it imports
//! only domain types and the evidence table's terms, so every layer above
//! (the query, the facts, the producers, the criteria, the output) can use it.

use std::fmt;

use crate::matching::evidence::{
    AgeBand, Episode, PartialCredit, Recommendation, Strength, Therapy,
};
use crate::terms::terms;
use crate::therapy::MoudMedication;
use crate::{
    credential::Certification,
    date::Date,
    diagnosis::Condition,
    level::LevelOfCare,
    patient::DeliveryPreference,
    program::{Aftercare, Language, NotListed, Payer, Population},
    schedule::Session,
    therapy::Modality,
};

terms! {
    /// The kind of a reason a program cannot take the patient: an
    /// [`crate::matching::ExclusionReason`] without its details. Exclusion counts are
    /// kept per kind.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::ExclusionKind;
    /// assert_eq!(ExclusionKind::TooFar.key(), "too_far");
    /// assert_eq!(ExclusionKind::ALL.len(), 14);
    /// ```
    pub enum ExclusionKind: "exclusion reason" {
        /// It offers neither the level wanted nor (when asked) an adjacent one.
        LevelNotOffered = "level_not_offered", "level not offered";
        /// The patient's age is outside the program's range.
        AgeOutOfRange = "age_out_of_range", "age out of range";
        /// The program is restricted to populations the patient is not in.
        PopulationRestricted = "population_restricted", "restricted to other populations";
        /// It takes neither the patient's payer nor (when allowed) self-pay.
        PayerNotAccepted = "payer_not_accepted", "payer not accepted";
        /// It offers neither the patient's language nor interpreters.
        LanguageNotOffered = "language_not_offered", "language not offered";
        /// It does not accept one of the patient's conditions.
        ConditionNotAccepted = "condition_not_accepted", "condition not accepted";
        /// It admits only some primary conditions, and the patient's is not
        /// among them (a specialist program: eating disorders, substance use ...).
        PrimaryConditionNotAdmitted = "primary_condition_not_admitted", "primary condition not admitted";
        /// It offers no delivery mode the patient accepts.
        DeliveryNotAccepted = "delivery_not_accepted", "delivery not accepted";
        /// Its telehealth is not licensed in the patient's state, and it
        /// cannot be reached in person.
        OutOfStateTelehealth = "out_of_state_telehealth", "telehealth not licensed in the patient's state";
        /// It is beyond the patient's travel limit, with no telehealth the patient accepts.
        TooFar = "too_far", "too far";
        /// It is not accepting new patients (and waitlists were not allowed).
        NotAcceptingNewPatients = "not_accepting_new_patients", "not accepting new patients";
        /// Its best track at the level has less of its session time inside the
        /// patient's free time than [`crate::matching::MatchOptions::min_schedule_fit`].
        ScheduleConflict = "schedule_conflict", "schedule conflict";
        /// The patient has opioid use disorder and is on MOUD, and the program
        /// cannot continue it: on methadone, it is neither an Opioid Treatment
        /// Program nor coordinates with one; otherwise it neither offers MOUD
        /// nor has a prescriber.
        MoudNotAvailable = "moud_not_available", "cannot continue MOUD";
        /// It lists no open place (`open_slots: 0`, full), and the query asked
        /// for full programs to be left out
        /// ([`crate::matching::MatchOptions::with_full_excluded`]).
        Full = "full", "full (no open place)";
    }
}

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
/// inside a [`CriterionScore`](crate::matching::CriterionScore) each reason also carries its sentence as
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
    /// One evidence row for one of the patient's conditions: the therapy
    /// that earned its credit (the best offered: 1, or
    /// [`crate::matching::UNTRAINED_CREDIT`] without trained staff; a
    /// generic substitute [`crate::matching::PARTIAL_CREDIT`]), the therapies
    /// offered and (first-line only) lacking. A condition's credit: 0.75 ×
    /// the best first-line row's credit times its recommendation's
    /// [`crate::matching::Recommendation::factor`], 0.15 × the share of
    /// first-line therapies offered, 0.10 × the best adjunct's credit (over
    /// the parts that apply).
    Evidence {
        /// The condition.
        condition: Condition,
        /// Whether it is the primary diagnosis (weighted double).
        primary: bool,
        /// The row's strength.
        strength: Strength,
        /// How strongly the row's therapies are recommended.
        recommendation: Recommendation,
        /// The ages the row holds for (the patient's age is among them).
        ages: AgeBand,
        /// The episodes the row holds for (a first-episode row: the patient's
        /// diagnosis is marked as a first episode). Absent in JSON: any.
        #[cfg_attr(
            feature = "serde",
            serde(default = "Episode::any", skip_serializing_if = "Episode::is_any")
        )]
        episode: Episode,
        /// The therapy that earned the row's credit: the best of its named
        /// therapies offered (they are alternatives), or a generic
        /// substitute (then also in `partial`); `None`: nothing offered.
        credited: Option<Therapy>,
        /// Whether the program lists staff trained in the credited therapy
        /// (`None`: no certification exists for it, or staff are not listed).
        trained: Option<bool>,
        /// Recommended therapies the program offers.
        offered: Vec<Therapy>,
        /// Recommended therapies it does not (first-line rows only: a
        /// second-line or adjunct therapy is not missing when absent).
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
    /// Travel distance in miles to a program located only by its ZIP code's
    /// centre ([`crate::LocationPrecision::ZipCentre`]): rough, since a ZIP
    /// code area is often several miles across. Scored as [`Reason::Distance`].
    ApproximateDistance {
        /// Straight-line miles to the ZIP code's centre.
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
            // An adjunct not offered is no shortfall: it adds to care.
            Reason::Evidence {
                strength,
                credited,
                trained,
                ..
            } => {
                (credited.is_none() && *strength == Strength::FirstLine) || *trained == Some(false)
            }
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
            Reason::Distance { miles } | Reason::ApproximateDistance { miles } => *miles > 0.0,
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

pub(crate) fn write_list<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    sep: &str,
) -> fmt::Result {
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
            Reason::Modalities { offered, missing } => write_modalities(f, offered, missing),
            Reason::Evidence {
                condition,
                primary,
                strength,
                recommendation,
                ages,
                episode,
                credited,
                trained,
                offered,
                missing,
                partial,
                ..
            } => {
                let row = EvidenceWords {
                    condition: *condition,
                    primary: *primary,
                    strength: *strength,
                    recommendation: *recommendation,
                    ages: *ages,
                    episode: *episode,
                };
                write_evidence(f, &row, *credited, *trained, offered, missing)?;
                write_partial_credits(f, *condition, partial)
            }
            Reason::NoEvidenceRow { condition } => {
                write!(f, "no evidence table row for {condition}; not scored")
            }
            Reason::Specialty {
                condition,
                specializes,
                credited,
            } => write_specialty(f, *condition, *specializes, *credited),
            Reason::Populations { served, patient } => write_populations(f, served, patient),
            Reason::Credential { check, met: true } => write!(f, "has {check}"),
            Reason::Credential { check, met: false } => write!(f, "lacks {check}"),
            Reason::BestTrack {
                track,
                sessions,
                free_quarter_hours,
                quarter_hours,
            } => write_best_track(f, track, sessions, *free_quarter_hours, *quarter_hours),
            Reason::TrackHours {
                track,
                hours,
                min,
                max,
            } => write_track_hours(f, track, *hours, *min, *max),
            Reason::NoTrackAtLevel { level } => {
                write!(
                    f,
                    "lists no {level} track, so schedule fit cannot be confirmed"
                )
            }
            Reason::TracksFitting { fitting, tracks } => write!(
                f,
                "{fitting} of {tracks} tracks fit the patient's free time completely"
            ),
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
            } => write_aftercare(f, offered, missing, emphasized),
            Reason::Distance { miles } => write!(f, "{miles:.1} miles away"),
            Reason::ApproximateDistance { miles } => write!(
                f,
                "about {miles:.1} miles, from the ZIP code's centre (the listing gives no coordinates)"
            ),
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
            } => write_verified(f, *date, *days_ago, *band),
        }
    }
}

/// `prefix`, then `items` separated by commas, when there are any.
fn write_nonempty<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    prefix: &str,
    items: &[T],
) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    f.write_str(prefix)?;
    write_list(f, items, ", ")
}

/// [`Reason::Modalities`] in words.
fn write_modalities(
    f: &mut fmt::Formatter<'_>,
    offered: &[Modality],
    missing: &[Modality],
) -> fmt::Result {
    write!(
        f,
        "offers {} of {} needed modalities",
        offered.len(),
        offered.len() + missing.len()
    )?;
    write_nonempty(f, "; lacks ", missing)
}

/// What a [`Reason::Evidence`] says of its row.
struct EvidenceWords {
    condition: Condition,
    primary: bool,
    strength: Strength,
    recommendation: Recommendation,
    ages: AgeBand,
    episode: Episode,
}

impl fmt::Display for EvidenceWords {
    /// "first-line therapy for post-traumatic stress disorder (18 and over)
    /// (primary), strong recommendation".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} therapy for {}", self.strength, self.condition)?;
        if self.ages != AgeBand::All {
            write!(f, " ({})", self.ages)?;
        }
        if self.episode != Episode::Any {
            write!(f, " ({})", self.episode)?;
        }
        if self.primary {
            f.write_str(" (primary)")?;
        }
        if self.strength == Strength::FirstLine {
            write!(f, ", {}", self.recommendation)?;
        }
        Ok(())
    }
}

/// [`Reason::Evidence`] in words: what earned the credit (and whether
/// trained staff deliver it), then the breadth; a second-line row with
/// nothing offered says only that.
fn write_evidence(
    f: &mut fmt::Formatter<'_>,
    row: &EvidenceWords,
    credited: Option<Therapy>,
    trained: Option<bool>,
    offered: &[Therapy],
    missing: &[Therapy],
) -> fmt::Result {
    match credited {
        Some(t) if offered.contains(&t) => {
            write!(f, "{row}: credited for {t}")?;
            match trained {
                Some(true) => f.write_str(", with trained staff")?,
                Some(false) => f.write_str(", but no clinician is listed as trained in it")?,
                None => {}
            }
            let others: Vec<Therapy> = offered.iter().copied().filter(|o| *o != t).collect();
            write_nonempty(f, "; also offered: ", &others)?;
        }
        _ if row.strength == Strength::SecondLine => {
            write!(f, "no {row} offered (it would add to care; not required)")?;
        }
        _ => write!(f, "no {row} offered")?,
    }
    write_nonempty(f, "; not offered: ", missing)
}

/// The partial credits of a [`Reason::Evidence`], each in words.
fn write_partial_credits(
    f: &mut fmt::Formatter<'_>,
    condition: Condition,
    partial: &[PartialCredit],
) -> fmt::Result {
    for p in partial {
        write!(
            f,
            "; {} without {}: partial (half) credit for {condition}, as the guideline names the specific therapy",
            p.therapy, p.instead_of
        )?;
    }
    Ok(())
}

/// [`Reason::Specialty`] in words.
fn write_specialty(
    f: &mut fmt::Formatter<'_>,
    condition: Condition,
    specializes: bool,
    credited: bool,
) -> fmt::Result {
    match (specializes, credited) {
        (true, true) => write!(f, "specializes in {condition}"),
        (true, false) => write!(
            f,
            "lists {condition} as a specialty but offers no first-line evidence-based therapy for it; no credit"
        ),
        (false, _) => write!(f, "does not specialize in {condition}"),
    }
}

/// [`Reason::Populations`] in words.
fn write_populations(
    f: &mut fmt::Formatter<'_>,
    served: &[Population],
    patient: &[Population],
) -> fmt::Result {
    if served.is_empty() {
        f.write_str("serves none of the patient's populations (")?;
        write_list(f, patient, ", ")?;
        f.write_str(")")
    } else {
        f.write_str("serves the patient's populations: ")?;
        write_list(f, served, ", ")
    }
}

/// [`Reason::BestTrack`] in words.
fn write_best_track(
    f: &mut fmt::Formatter<'_>,
    track: &str,
    sessions: &[Session],
    free_quarter_hours: u32,
    quarter_hours: u32,
) -> fmt::Result {
    let pct = if quarter_hours == 0 {
        0
    } else {
        (u64::from(free_quarter_hours) * 100 / u64::from(quarter_hours)) as u32
    };
    write!(f, "best track \"{track}\"")?;
    crate::schedule::write_sessions(f, sessions)?;
    write!(
        f,
        " — {pct}% of session time inside the patient's free time"
    )
}

/// [`Reason::TrackHours`] in words.
fn write_track_hours(
    f: &mut fmt::Formatter<'_>,
    track: &str,
    hours: f64,
    min: f64,
    max: f64,
) -> fmt::Result {
    let ok = hours >= min && hours <= max;
    write!(f, "track \"{track}\" gives {hours:.1} hours a week")?;
    match (ok, max.is_finite()) {
        (true, true) => write!(f, ", within the {min}-{max} the level needs"),
        (true, false) => write!(f, ", at least the {min} the level needs"),
        (false, true) => write!(f, ", outside the {min}-{max} the level needs"),
        (false, false) => write!(f, ", under the {min} the level needs"),
    }
}

/// [`Reason::AftercareServices`] in words: the emphasized services missing
/// are named, the others only counted.
fn write_aftercare(
    f: &mut fmt::Formatter<'_>,
    offered: &[Aftercare],
    missing: &[Aftercare],
    emphasized: &[Aftercare],
) -> fmt::Result {
    write!(
        f,
        "{} of {} aftercare services",
        offered.len(),
        offered.len() + missing.len()
    )?;
    write_nonempty(f, ": ", offered)?;
    let lacking: Vec<&Aftercare> = missing.iter().filter(|a| emphasized.contains(a)).collect();
    write_nonempty(f, "; lacks, for this patient: ", &lacking)
}

/// [`Reason::Verified`] in words: the older the band, the stronger the advice.
fn write_verified(
    f: &mut fmt::Formatter<'_>,
    date: Date,
    days_ago: i32,
    band: FreshnessBand,
) -> fmt::Result {
    match band {
        FreshnessBand::Recent => write!(f, "verified {date} ({days_ago} days ago)"),
        FreshnessBand::OverSixMonths => write!(
            f,
            "verified {date}, {days_ago} days ago: over 6 months, confirm details before referring"
        ),
        FreshnessBand::OverAYear => write!(
            f,
            "verified {date}, {days_ago} days ago: over a year, confidence low; confirm before referring"
        ),
    }
}

/// Why a program cannot take the patient. Every reason that applies is listed.
///
/// JSON: its key as `"reason"` and its fields; inside an [`Exclusion`](crate::matching::Exclusion) or a
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
    /// It lists no open place, and full programs were left out.
    Full,
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
            ExclusionReason::Full => ExclusionKind::Full,
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
            ExclusionReason::Full => {
                f.write_str("full: lists no open place (full programs were left out, as asked)")
            }
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
