//! Alerts: what a clinician must see before any score. A ranking's alerts
//! come first in its `Display` and its JSON, most urgent first; each match
//! carries its own.

use std::fmt;

use crate::crisis::CrisisContact;
use crate::matching::words::{ExclusionKind, ExclusionReason};
use crate::{
    date::Date,
    diagnosis::{Condition, IcdCode},
    level::{LevelOfCare, WithdrawalRisk},
    program::{NotListed, Payer, ProgramId},
    therapy::MoudMedication,
};

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
/// Each alert is on one of two [`AlertChannel`]s: **safety** (a patient's
/// critical need unmet or a poor clinical fit: what must change the
/// decision) and **confirm** (what the listing does not settle: call the
/// program). A ranking's `Display` marks safety alerts `!` and confirm
/// alerts `?`; JSON gives each its `"channel"`.
///
/// Ranking alerts, most urgent first: `imminent_risk`, `withdrawal`,
/// `elevated_risk`, `medical_stability`, `adolescent_policy`,
/// `no_evidence_based_match`, `no_schedule_fit`. Match alerts: `moud_gap`,
/// `confirm_moud`, `confirm_withdrawal_management`,
/// `confirm_medical_monitoring`, `no_first_line_therapy`,
/// `hours_below_level`, then the confirm channel: `no_open_slot`,
/// `network_unconfirmed`, `stale_data`, `unconfirmed`.
///
/// # Example
///
/// ```
/// use carematch::matching::{Alert, AlertChannel};
/// assert_eq!(Alert::MoudGap.key(), "moud_gap");
/// assert_eq!(Alert::MoudGap.channel(), AlertChannel::Safety);
/// assert_eq!(Alert::NoOpenSlot.channel(), AlertChannel::Confirm);
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
    /// Withdrawal: a withdrawal code among the diagnoses (F10-F19, nicotine
    /// aside) or a withdrawal-risk rating the level policy acts on. It
    /// comes right after any imminent-risk alert: withdrawal severity
    /// decides the setting before any therapy (ASAM Clinical Practice
    /// Guideline on Alcohol Withdrawal Management, 2020).
    Withdrawal {
        /// The withdrawal codes among the diagnoses.
        codes: Vec<IcdCode>,
        /// The assessment's withdrawal-risk rating, when rated.
        risk: Option<WithdrawalRisk>,
        /// The least intensive level it calls for, when it sets one (a
        /// delirium code or a severe rating: inpatient).
        level: Option<LevelOfCare>,
        /// What to arrange.
        action: String,
    },
    /// Risk of harm rated 4: complete a safety plan with the patient before referral.
    ElevatedRisk,
    /// A patient under 18 with severe or extreme anorexia nervosa, matched
    /// at a level below residential: check the medical stability criteria
    /// for admission to hospital (heart rate, blood pressure, temperature,
    /// electrolytes, weight trajectory) before any outpatient level. The US
    /// practice-guideline synthesis for eating disorders in children and
    /// adolescents (J Eat Disord, 2025) and the APA eating disorders
    /// guideline (2023) both put medical stability first; the criteria
    /// themselves are the guidelines', not restated here.
    MedicalStability {
        /// The patient's age.
        age: u8,
        /// The anorexia code (F50.0x).
        code: IcdCode,
    },
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
    /// The patient is on MOUD and the program does not list the patient's
    /// medication, though it could prescribe it (or, for methadone,
    /// coordinates with an Opioid Treatment Program): confirm it will
    /// continue the medication before referring. Losing MOUD raises the
    /// risk of overdose (SAMHSA TIP 63).
    ConfirmMoud {
        /// The medication, when named.
        medication: Option<MoudMedication>,
    },
    /// The patient is in withdrawal (a withdrawal code) or rated at a
    /// withdrawal risk the level policy acts on, and the program does not
    /// list that it provides or coordinates withdrawal management: confirm
    /// it before referring (ASAM 2020: withdrawal management comes before,
    /// or with, the therapy).
    ConfirmWithdrawalManagement,
    /// An eating disorder at intensive outpatient or above, and the
    /// program does not list medical monitoring or a dietitian: confirm it
    /// can monitor medical stability and give nutrition care before
    /// referring (APA eating disorders guideline, 2023: care by a team
    /// covering medical, nutritional and psychological needs).
    ConfirmMedicalMonitoring {
        /// Whether the program lists medical monitoring.
        medical_monitoring: bool,
        /// Whether it lists a dietitian on staff.
        dietitian: bool,
    },
    /// The program offers none of the first-line therapies the evidence
    /// table lists for the patient's primary condition: a poor clinical
    /// fit, whatever its other points.
    NoFirstLineTherapy {
        /// The primary condition.
        condition: Condition,
    },
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
    /// The program lists no open place (full): a referral waits or goes
    /// elsewhere; call before referring. It stays a match, as a listing's
    /// count may be behind, unless the query leaves full programs out
    /// ([`crate::matching::MatchOptions::with_full_excluded`]).
    NoOpenSlot,
    /// The patient's MassHealth network cannot be settled from the listing:
    /// a product member (an MCO or Accountable Care Partnership Plan such as
    /// WellSense, One Care, Senior Care Options) at a program listing only
    /// plain MassHealth, or a plain (fee-for-service) member at a program
    /// listing only products ([`Payer::unconfirmed_under`]). It stays a match:
    /// confirm in-network status with the program or the plan.
    NetworkUnconfirmed {
        /// The patient's payer.
        payer: Payer,
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
    pub const KEYS: [&'static str; 17] = [
        "imminent_risk",
        "withdrawal",
        "elevated_risk",
        "medical_stability",
        "adolescent_policy",
        "no_evidence_based_match",
        "no_schedule_fit",
        "moud_gap",
        "confirm_moud",
        "confirm_withdrawal_management",
        "confirm_medical_monitoring",
        "no_first_line_therapy",
        "hours_below_level",
        "no_open_slot",
        "network_unconfirmed",
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
            Alert::Withdrawal { .. } => 1,
            Alert::ElevatedRisk => 2,
            Alert::MedicalStability { .. } => 3,
            Alert::AdolescentPolicy { .. } => 4,
            Alert::NoEvidenceBasedMatch { .. } => 5,
            Alert::NoScheduleFit { .. } => 6,
            Alert::MoudGap => 7,
            Alert::ConfirmMoud { .. } => 8,
            Alert::ConfirmWithdrawalManagement => 9,
            Alert::ConfirmMedicalMonitoring { .. } => 10,
            Alert::NoFirstLineTherapy { .. } => 11,
            Alert::HoursBelowLevel { .. } => 12,
            Alert::NoOpenSlot => 13,
            Alert::NetworkUnconfirmed { .. } => 14,
            Alert::StaleData { .. } => 15,
            Alert::Unconfirmed { .. } => 16,
        }
    }

    /// The channel the alert is on: safety for a critical need unmet or a
    /// poor fit, confirm for what the listing leaves to a call.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::{Alert, AlertChannel};
    /// assert_eq!(Alert::ElevatedRisk.channel(), AlertChannel::Safety);
    /// assert_eq!(Alert::Unconfirmed { not_listed: vec![] }.channel(), AlertChannel::Confirm);
    /// ```
    pub fn channel(&self) -> AlertChannel {
        match self {
            Alert::NoOpenSlot
            | Alert::NetworkUnconfirmed { .. }
            | Alert::StaleData { .. }
            | Alert::Unconfirmed { .. } => AlertChannel::Confirm,
            _ => AlertChannel::Safety,
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

/// The two channels alerts are on (see [`Alert`]).
///
/// # Example
///
/// ```
/// use carematch::matching::AlertChannel;
/// assert_eq!(AlertChannel::Confirm.to_string(), "confirm");
/// assert_eq!(AlertChannel::Safety.mark(), '!');
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AlertChannel {
    /// A critical need unmet (crisis risk, withdrawal, medication
    /// continuity, medical monitoring, a program the patient cannot attend)
    /// or a poor clinical fit: it should change the decision.
    Safety,
    /// What the listing does not settle (a field not listed, a stale
    /// listing, an unconfirmed network, no open place listed): confirm with
    /// the program before referring.
    Confirm,
}

impl AlertChannel {
    /// The mark a ranking's text puts before an alert on this channel: `!`
    /// for safety, `?` for confirm.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::AlertChannel::Confirm.mark(), '?');
    /// ```
    pub const fn mark(self) -> char {
        match self {
            AlertChannel::Safety => '!',
            AlertChannel::Confirm => '?',
        }
    }
}

impl fmt::Display for AlertChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AlertChannel::Safety => "safety",
            AlertChannel::Confirm => "confirm",
        })
    }
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Alert::ImminentRisk { contacts } => crate::crisis::write_imminent(f, contacts),
            Alert::Withdrawal {
                codes,
                risk,
                level,
                action,
            } => {
                f.write_str("WITHDRAWAL")?;
                let mut sep = " (";
                for c in codes {
                    write!(f, "{sep}{c}")?;
                    if let Some(w) = c.withdrawal() {
                        write!(f, ": {w}")?;
                    }
                    sep = "; ";
                }
                if let Some(r) = risk {
                    write!(f, "{sep}withdrawal risk rated {r}")?;
                    sep = "; ";
                }
                if sep == "; " {
                    f.write_str(")")?;
                }
                f.write_str(": ")?;
                if let Some(l) = level {
                    write!(f, "at least {l}, before any program at a lower level; ")?;
                }
                f.write_str(action)
            }
            Alert::ElevatedRisk => f.write_str(
                "ELEVATED RISK (risk of harm rated 4): complete a safety plan with the patient before referral",
            ),
            Alert::MedicalStability { age, code } => {
                write!(
                    f,
                    "MEDICAL STABILITY: the patient is {age} with severe anorexia nervosa ({code})"
                )?;
                f.write_str(
                    ": check the medical stability criteria for hospital admission (vital signs, electrolytes, weight trajectory) before any outpatient level",
                )
            }
            Alert::AdolescentPolicy { age, policy } => write!(
                f,
                "the patient is {age}, and the level was assessed with \"{policy}\", a policy for adults: use a policy made for adolescents"
            ),
            Alert::NoEvidenceBasedMatch { condition, closest } => {
                write!(
                    f,
                    "no match within reach at this level offers a first-line evidence-based therapy for {condition} (the primary condition)"
                )?;
                match closest {
                    Some(c) if c.reasons.iter().any(|r| r.kind() == ExclusionKind::TooFar) => {
                        write!(f, "; none within reach does; the nearest beyond reach: {c}")
                    }
                    Some(c) => write!(f, "; the closest program that does: {c}"),
                    None => f.write_str(
                        "; no program in the directory offering this level (or an adjacent level asked for) does",
                    ),
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
            Alert::ConfirmMoud { medication } => match medication {
                Some(m) if m.needs_otp() => f.write_str(
                    "the patient takes methadone, which only an Opioid Treatment Program dispenses: confirm this program's coordination with the patient's OTP before referring",
                ),
                Some(m) => write!(
                    f,
                    "the patient takes {m}, which this program does not list: confirm it will continue the medication before referring"
                ),
                None => f.write_str(
                    "the patient is on MOUD, which this program does not list: confirm it will continue the patient's medication before referring",
                ),
            },
            Alert::ConfirmWithdrawalManagement => f.write_str(
                "the patient is in withdrawal or at risk of it, and this program does not list withdrawal management: confirm it provides or coordinates it before referring",
            ),
            Alert::ConfirmMedicalMonitoring {
                medical_monitoring,
                dietitian,
            } => {
                let missing = match (medical_monitoring, dietitian) {
                    (false, false) => "medical monitoring or a dietitian",
                    (false, true) => "medical monitoring",
                    _ => "a dietitian",
                };
                write!(
                    f,
                    "eating disorder: this program does not list {missing}; confirm it can monitor medical stability and give nutrition care before referring"
                )
            }
            Alert::NoFirstLineTherapy { condition } => write!(
                f,
                "offers no first-line therapy for {condition} (the primary condition): a poor clinical fit"
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
            Alert::NoOpenSlot => f.write_str(
                "FULL: lists no open place; call before referring, or ask about its waitlist",
            ),
            Alert::NetworkUnconfirmed { payer } => match payer {
                Payer::MassHealth => f.write_str(
                    "in-network status unconfirmed: the patient has MassHealth fee-for-service (plain MassHealth) and this program lists only MassHealth plans; confirm it takes fee-for-service members",
                ),
                _ => write!(
                    f,
                    "in-network status unconfirmed: the patient's plan is {payer}, which has its own network, and this program lists plain MassHealth, not the plan; confirm with the program or the plan"
                ),
            },
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

/// A list of alerts written with each alert's channel as `"channel"` and
/// its sentence as `"text"` beside its fields (`#[serde(with =
/// "crate::matching::alert::with_channel")]`). Reading ignores both: they
/// are derived from the typed fields.
#[cfg(feature = "serde")]
pub(crate) mod with_channel {
    use super::{Alert, AlertChannel};
    use serde::{Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    struct Out<'a> {
        #[serde(flatten)]
        alert: &'a Alert,
        channel: AlertChannel,
        text: String,
    }

    pub(crate) fn serialize<S: Serializer>(alerts: &[Alert], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(alerts.iter().map(|a| Out {
            alert: a,
            channel: a.channel(),
            text: a.to_string(),
        }))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Alert>, D::Error> {
        crate::serde_impl::with_text::deserialize(d)
    }
}
