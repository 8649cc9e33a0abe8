//! Alerts: what a clinician must see before any score. A ranking's alerts
//! come first in its `Display` and its JSON, most urgent first; each match
//! carries its own.

use std::fmt;

use crate::matching::explain::ExclusionReason;
use crate::{
    date::Date,
    diagnosis::Condition,
    level::LevelOfCare,
    program::{NotListed, ProgramId},
};

/// A crisis contact named by the `imminent_risk` alert.
///
/// # Example
///
/// ```
/// let contacts = carematch::matching::CrisisContact::massachusetts();
/// assert_eq!(contacts.len(), 4);
/// assert!(contacts.iter().any(|c| c.contact == "988"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CrisisContact {
    /// Who answers.
    pub name: String,
    /// How to reach them (a number, or where to find them).
    pub contact: String,
    /// When to use it.
    pub when: String,
}

impl CrisisContact {
    /// The crisis contacts for a patient in Massachusetts, in the order to
    /// use them: 911 for immediate danger; 988; the Massachusetts Behavioral
    /// Health Help Line; the Community Behavioral Health Centers' mobile
    /// crisis teams. Sources: 988lifeline.org; Massachusetts Executive Office
    /// of Health and Human Services, Behavioral Health Help Line and CBHC
    /// pages (2023).
    ///
    /// # Example
    ///
    /// ```
    /// let first = &carematch::matching::CrisisContact::massachusetts()[0];
    /// assert_eq!(first.contact, "911");
    /// ```
    pub fn massachusetts() -> Vec<CrisisContact> {
        let c = |name: &str, contact: &str, when: &str| CrisisContact {
            name: name.to_owned(),
            contact: contact.to_owned(),
            when: when.to_owned(),
        };
        vec![
            c(
                "Emergency services",
                "911",
                "immediate danger to the patient or others",
            ),
            c(
                "988 Suicide & Crisis Lifeline",
                "988",
                "call or text, 24/7, anywhere in the US",
            ),
            c(
                "Massachusetts Behavioral Health Help Line",
                "833-773-2445",
                "call or text, 24/7: crisis response and referral in Massachusetts",
            ),
            c(
                "Community Behavioral Health Centers' mobile crisis teams",
                "through the Behavioral Health Help Line or the local CBHC",
                "crisis evaluation where the patient is, 24/7, in Massachusetts",
            ),
        ]
    }
}

impl fmt::Display for CrisisContact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.name, self.contact, self.when)
    }
}

/// A program left out of a ranking, named by an alert with its reasons.
///
/// # Example
///
/// ```
/// use carematch::{ProgramId, matching::{ExclusionReason, LeftOut}};
/// let l = LeftOut {
///     program_id: "a".parse::<ProgramId>()?,
///     program_name: "A".into(),
///     reasons: vec![ExclusionReason::NotAcceptingNewPatients],
///     score: None,
/// };
/// assert_eq!(l.to_string(), "A (a): not accepting new patients");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LeftOut {
    /// The program's id.
    pub program_id: ProgramId,
    /// Its name.
    pub program_name: String,
    /// Why it was left out (a program offering only an adjacent level lists
    /// `level_not_offered`); empty for an eligible program ranked below the
    /// top k. Each is written with its sentence as `"text"` in JSON.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    pub reasons: Vec<ExclusionReason>,
    /// Its score, for an eligible program ranked below the top k.
    pub score: Option<f64>,
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.program_name, self.program_id)?;
        if let Some(score) = self.score {
            write!(
                f,
                "eligible, score {score:.3}, ranked below the programs listed"
            )?;
        }
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// Something a clinician must see before any score. Serialized with its key
/// as `"kind"` (for example `{"kind": "moud_gap"}`); in a [`Ranking`] or a
/// [`Match`] each alert also carries its sentence as `"text"`, which reading
/// ignores.
///
/// [`Ranking`]: crate::matching::Ranking
/// [`Match`]: crate::matching::Match
///
/// Ranking alerts, most urgent first: `imminent_risk`, `elevated_risk`,
/// `adolescent_policy`, `no_evidence_based_match`, `no_schedule_fit`. Match
/// alerts: `moud_gap`, `hours_below_level`, `stale_data`, `unconfirmed`.
///
/// # Example
///
/// ```
/// use carematch::matching::Alert;
/// assert_eq!(Alert::MoudGap.key(), "moud_gap");
/// assert!(Alert::ElevatedRisk.to_string().contains("safety plan"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Alert {
    /// The level recommendation found imminent risk: evaluate for crisis care
    /// now, before any placement.
    ImminentRisk {
        /// Whom to contact, in order.
        contacts: Vec<CrisisContact>,
    },
    /// Risk of harm rated 4: complete a safety plan with the patient before referral.
    ElevatedRisk,
    /// A minor was assessed with a policy validated for adults.
    AdolescentPolicy {
        /// The patient's age.
        age: u8,
        /// The policy used.
        policy: String,
    },
    /// No listed match offers a first-line evidence-based therapy for the
    /// primary condition (a generic substitute earning partial credit, or an
    /// adjunct alone, does not count).
    NoEvidenceBasedMatch {
        /// The primary condition.
        condition: Condition,
        /// The program closest to a match that does offer one, and why it
        /// was left out: among the programs within the patient's reach (not
        /// too far) that offer the level wanted or an adjacent level asked
        /// for; `None` when there is none.
        closest: Option<LeftOut>,
    },
    /// No match at the level has a track the patient can attend.
    NoScheduleFit {
        /// The program excluded only for its schedule whose best track fits most.
        closest: Option<LeftOut>,
        /// The share of that track's session time inside the patient's free time.
        closest_share: Option<f64>,
    },
    /// The patient has opioid use disorder, and the program neither offers
    /// medication for it (MOUD) nor has a prescriber (SAMHSA TIP 63: MOUD is
    /// the core treatment).
    MoudGap,
    /// The program's best track gives fewer hours a week than the level needs.
    HoursBelowLevel {
        /// The level.
        level: LevelOfCare,
        /// The track.
        track: String,
        /// Its hours a week.
        hours: f64,
        /// The fewest the level needs for the patient's age.
        min: f64,
    },
    /// The listing was verified more than 12 months before the ranking's date.
    StaleData {
        /// When it was verified.
        verified: Date,
        /// Days before the ranking's date.
        days_ago: i32,
    },
    /// The listing's source did not give these parts ("not listed" is not
    /// "none"): they were not scored and did not exclude the program; confirm
    /// them with the program before referring.
    Unconfirmed {
        /// The parts not listed, in [`NotListed::ALL`] order.
        not_listed: Vec<NotListed>,
    },
}

impl Alert {
    /// Every alert's key, most urgent first.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::Alert::KEYS[0], "imminent_risk");
    /// ```
    pub const KEYS: [&'static str; 9] = [
        "imminent_risk",
        "elevated_risk",
        "adolescent_policy",
        "no_evidence_based_match",
        "no_schedule_fit",
        "moud_gap",
        "hours_below_level",
        "stale_data",
        "unconfirmed",
    ];

    /// The position of this alert's kind in [`Alert::KEYS`]: lower is more urgent.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Alert;
    /// assert!(Alert::ElevatedRisk.urgency() < Alert::MoudGap.urgency());
    /// ```
    pub fn urgency(&self) -> usize {
        match self {
            Alert::ImminentRisk { .. } => 0,
            Alert::ElevatedRisk => 1,
            Alert::AdolescentPolicy { .. } => 2,
            Alert::NoEvidenceBasedMatch { .. } => 3,
            Alert::NoScheduleFit { .. } => 4,
            Alert::MoudGap => 5,
            Alert::HoursBelowLevel { .. } => 6,
            Alert::StaleData { .. } => 7,
            Alert::Unconfirmed { .. } => 8,
        }
    }

    /// The alert's machine key.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::Alert::ElevatedRisk.key(), "elevated_risk");
    /// ```
    pub fn key(&self) -> &'static str {
        Alert::KEYS[self.urgency()]
    }
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Alert::ImminentRisk { contacts } => {
                f.write_str("IMMINENT RISK: evaluate for crisis care now, before any placement. ")?;
                for (i, c) in contacts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
            Alert::ElevatedRisk => f.write_str(
                "ELEVATED RISK (risk of harm rated 4): complete a safety plan with the patient before referral",
            ),
            Alert::AdolescentPolicy { age, policy } => write!(
                f,
                "the patient is {age}, and the level was assessed with \"{policy}\", a policy for adults: use a policy made for adolescents"
            ),
            Alert::NoEvidenceBasedMatch { condition, closest } => {
                write!(
                    f,
                    "no program listed offers a first-line evidence-based therapy for {condition} (the primary condition)"
                )?;
                match closest {
                    Some(c) => write!(f, "; the closest program that does: {c}"),
                    None => f.write_str("; no program in the directory offers one"),
                }
            }
            Alert::NoScheduleFit {
                closest,
                closest_share,
            } => {
                f.write_str("no program at the level has a track the patient can attend")?;
                if let (Some(c), Some(s)) = (closest, closest_share) {
                    write!(
                        f,
                        "; the closest: {} ({}), {:.0}% of its best track inside the patient's free time",
                        c.program_name,
                        c.program_id,
                        s * 100.0
                    )?;
                }
                Ok(())
            }
            Alert::MoudGap => f.write_str(
                "opioid use disorder: this program offers no medication for it (MOUD) and has no prescriber; arrange MOUD elsewhere",
            ),
            Alert::HoursBelowLevel {
                level,
                track,
                hours,
                min,
            } => write!(
                f,
                "track \"{track}\" gives {hours:.1} hours a week, under the {min} that {level} needs"
            ),
            Alert::StaleData { verified, days_ago } => write!(
                f,
                "listing verified {verified}, {days_ago} days ago: over 12 months old; confirm every detail before referring"
            ),
            Alert::Unconfirmed { not_listed } => {
                f.write_str("not listed: ")?;
                for (i, part) in not_listed.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{part}")?;
                }
                f.write_str("; not scored and not used to exclude: confirm with the program")
            }
        }
    }
}
