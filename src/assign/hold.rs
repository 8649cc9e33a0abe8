//! Holds before placement: what keeps a referral out of every slot until a
//! clinician has recorded a decision on it.
//!
//! A referral is held, most urgent first, when:
//!
//! 1. **`crisis_evaluation_required`**: its risk of harm reaches the level
//!    policy's imminent-risk rule (5 under the default policy), or its
//!    assessment raised the imminent-risk flag. A crisis evaluation comes
//!    before any placement.
//! 2. **`withdrawal_management_required`**: a withdrawal-delirium code among
//!    its diagnoses, or its assessment's withdrawal-risk rating, reaches a
//!    withdrawal row of the level policy that sets a level above the
//!    referral's (medically managed inpatient care under the default policy).
//! 3. **`needs_override`**: its level is below the floor its ratings set
//!    under the level policy (risk of harm 4 means at least residential
//!    under the default policy).
//!
//! A referral leaves a hold only with a [`ClinicianRecord`]: a re-rating
//! after the evaluation (the new assessment is read instead, and may hold
//! the referral again), or an override with a reason for the referral's
//! level. The outcome shows the record.

use std::fmt;

use crate::{
    crisis::CrisisContact,
    error::{Problem, ProblemSeverity},
    level::{
        Assessment, Dimension, Flag, LevelOfCare, LevelPolicy, LevelRecommendation, OverrideReason,
        Rating, WithdrawalRisk,
    },
    matching::Alert,
};

use super::Referral;

/// A clinician's record on a referral: what releases a hold.
///
/// In JSON, with `"kind"`: `{"kind": "rerated", "assessment": {...}}` or
/// `{"kind": "override", "level": "intensive_outpatient", "reason":
/// "patient_declines_higher_level"}` (the reasons of
/// [`OverrideReason`]).
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, assign::ClinicianRecord, level::OverrideReason};
/// let r = ClinicianRecord::Override { level: LevelOfCare::IntensiveOutpatient, reason: OverrideReason::PatientDeclinesHigherLevel };
/// assert_eq!(r.to_string(), "clinician's override: intensive outpatient (the patient declines a higher level)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        tag = "kind",
        rename_all = "snake_case",
        rename_all_fields = "snake_case",
        deny_unknown_fields
    )
)]
#[non_exhaustive]
pub enum ClinicianRecord {
    /// Re-rated after the evaluation: this assessment replaces the
    /// referral's ratings (and its `risk_of_harm`).
    Rerated {
        /// The new assessment.
        assessment: Assessment,
    },
    /// The clinician chose the referral's level, with a reason (the shape of
    /// [`LevelRecommendation::with_override`](crate::level::LevelRecommendation::with_override)).
    Override {
        /// The level chosen: it must be the referral's level.
        level: LevelOfCare,
        /// Why.
        reason: OverrideReason,
    },
}

impl fmt::Display for ClinicianRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClinicianRecord::Rerated { assessment } => {
                write!(f, "re-rated by a clinician: {}", assessment.ratings)?;
                if let Some(w) = assessment.withdrawal_risk {
                    write!(f, ", withdrawal risk {w}")?;
                }
                Ok(())
            }
            ClinicianRecord::Override { level, reason } => {
                write!(f, "clinician's override: {level} ({reason})")
            }
        }
    }
}

crate::terms::terms! {
    /// Why a referral is held.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::HoldKind;
    /// assert_eq!(HoldKind::ALL[0].key(), "crisis_evaluation_required");
    /// ```
    pub enum HoldKind: "hold" {
        /// Imminent risk: a crisis evaluation before any placement.
        CrisisEvaluationRequired = "crisis_evaluation_required", "crisis evaluation required";
        /// Withdrawal calls for a more intensive setting than the referral's level.
        WithdrawalManagementRequired = "withdrawal_management_required", "withdrawal management required";
        /// The referral's level is below the floor its ratings set.
        NeedsOverride = "needs_override", "needs a clinician's override";
    }
}

/// A hold on a referral: its kind and what to do, in words.
///
/// # Example
///
/// ```
/// use carematch::assign::*; use carematch::{Directory, sample};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let rs = referrals_from_json(sample::REFERRALS_JSON)?;
/// let a = assign(&dir, &rs, &PriorityPolicy::default(), &AssignOptions::new(sample::AS_OF))?;
/// let h = a.referrals[0].hold.as_ref().unwrap();
/// assert_eq!(h.kind, HoldKind::CrisisEvaluationRequired);
/// assert!(h.text.starts_with("IMMINENT RISK"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Hold {
    /// Why.
    pub kind: HoldKind,
    /// What to do, in words (the crisis text first for a crisis hold).
    pub text: String,
}

impl fmt::Display for Hold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HELD, {}: {}", self.kind, self.text)
    }
}

/// What releases a crisis hold, said at the end of its text.
const RELEASE_CRISIS: &str = "held, taking no slot, until a clinician records a re-rating \
     after the crisis evaluation (an override does not release it)";

/// What releases a hold, said at the end of every hold's text.
const RELEASE: &str = "held, taking no slot, until a clinician records a re-rating or an \
     override with a reason on the referral";

/// A referral as the assignment reads it: the facts its hold, priority and
/// alerts come from, after its clinician's record.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    /// The hold, if any.
    pub hold: Option<Hold>,
    /// Alerts the referral's own facts raise (beside the ranking's).
    pub alerts: Vec<Alert>,
    /// What makes the referral invalid, with its field path. A referral at
    /// imminent risk is held all the same (the crisis text is never lost to
    /// a problem in its record).
    pub problem: Option<Problem>,
}

/// Reads `referral` (at position `i`) under `policy`: its hold, its alerts,
/// and the problem that makes it invalid (with its field path), if any.
pub(crate) fn read(referral: &Referral, i: usize, policy: &LevelPolicy) -> Reading {
    // An override releases a hold only when it records the referral's own
    // level and says why.
    let mut problems: Vec<Problem> = override_problem(referral, i).into_iter().collect();
    let released =
        matches!(referral.clinician, Some(ClinicianRecord::Override { .. })) && problems.is_empty();
    let (assessment, disagreement) = assessment_read(referral, i);
    problems.extend(disagreement);
    let risk = match &assessment {
        Some(a) => Some(a.ratings.rating(Dimension::RiskOfHarm)),
        None => referral.risk_of_harm,
    };
    let recommendation = assessment.as_ref().map(|a| policy.recommend(a));
    let imminent = is_imminent(risk, recommendation.as_ref(), policy);

    // Withdrawal: the codes (delirium counts as severe) and the rating.
    let coded: Vec<_> = referral
        .needs
        .withdrawals()
        .filter(|(_, w)| w.needs_management())
        .collect();
    // A code counts as a moderate risk (the patient is in withdrawal), one
    // with delirium as severe; the rating, when higher, wins.
    let rated = assessment.as_ref().and_then(|a| a.withdrawal_risk);
    let withdrawal_risk = rated.max(referral.needs.withdrawal_risk_from_codes());
    let withdrawal_row = withdrawal_risk.and_then(|w| policy.withdrawal_rule(w));

    let alerts = own_alerts(imminent, &coded, rated, withdrawal_row, risk);
    let hold = if released && !imminent {
        None
    } else {
        hold_for(
            referral,
            policy,
            imminent,
            &coded,
            rated,
            withdrawal_row,
            rating_floor(recommendation.as_ref(), policy, risk),
        )
    };
    Reading {
        hold,
        alerts,
        problem: problems.into_iter().next(),
    }
}

/// The path of `field` in referral `i`.
fn at(i: usize, field: &str) -> String {
    format!("referrals[{i}].{field}")
}

/// What keeps the referral's override, if it has one, from releasing a
/// hold: a level other than the referral's, or an empty reason.
fn override_problem(referral: &Referral, i: usize) -> Option<Problem> {
    let Some(ClinicianRecord::Override { level, reason }) = &referral.clinician else {
        return None;
    };
    if *level != referral.level {
        Some(problem(
            at(i, "clinician.level"),
            format!(
                "the override chose {level}, the referral is for {}: an override records the referral's own level",
                referral.level
            ),
        ))
    } else if matches!(reason, OverrideReason::Other(text) if text.trim().is_empty()) {
        Some(problem(
            at(i, "clinician.reason"),
            "is empty: an override needs the clinician's reason".to_owned(),
        ))
    } else {
        None
    }
}

/// The assessment the referral is read by: the clinician's re-rating, else
/// its own. Two ratings of risk of harm that disagree (the assessment's and
/// the referral's `risk_of_harm`) are a problem, and the higher one is read
/// (the safe reading) until a clinician settles it.
fn assessment_read(referral: &Referral, i: usize) -> (Option<Assessment>, Option<Problem>) {
    if let Some(ClinicianRecord::Rerated { assessment }) = &referral.clinician {
        return (Some(*assessment), None);
    }
    let mut assessment = referral.assessment;
    let mut disagreement = None;
    if let (Some(a), Some(r)) = (assessment.as_mut(), referral.risk_of_harm) {
        let rated = a.ratings.rating(Dimension::RiskOfHarm);
        if rated != r {
            disagreement = Some(problem(
                at(i, "risk_of_harm"),
                format!(
                    "is {}, the assessment rates risk of harm {}: give one, or make them agree",
                    r.get(),
                    rated.get()
                ),
            ));
            a.ratings.set(Dimension::RiskOfHarm, rated.max(r));
        }
    }
    (assessment, disagreement)
}

/// Imminent risk: risk of harm 5 whatever the policy (a policy cannot turn
/// the crisis hold off), the policy's own rule, or the assessment's flag.
/// Only a re-rating below it releases the crisis hold: an override does not
/// (it may predate the risk now recorded).
fn is_imminent(
    risk: Option<Rating>,
    recommendation: Option<&LevelRecommendation>,
    policy: &LevelPolicy,
) -> bool {
    risk == Some(Rating::MAX)
        || match recommendation {
            Some(rec) => rec.has_flag(Flag::ImminentRisk),
            None => policy.rules().imminent_risk.as_ref().is_some_and(|r| {
                r.dimension == Dimension::RiskOfHarm && risk.is_some_and(|x| x >= r.min_rating)
            }),
        }
}

/// The floor the ratings set, and the rating that sets it: the
/// recommendation's rating floors, else the policy's floors on risk of harm
/// alone (the highest level; the first rule for it).
fn rating_floor(
    recommendation: Option<&LevelRecommendation>,
    policy: &LevelPolicy,
    risk: Option<Rating>,
) -> Option<(LevelOfCare, String)> {
    match recommendation {
        Some(rec) => rec
            .rules()
            .iter()
            .filter_map(|r| match &r.rule {
                crate::level::Rule::Floor {
                    dimension,
                    rating,
                    level,
                    ..
                } => Some((*level, format!("{dimension} rated {rating}"))),
                _ => None,
            })
            .rev()
            .max_by_key(|(level, _)| *level),
        None => policy
            .rules()
            .floors
            .iter()
            .filter(|fl| {
                fl.dimension == Dimension::RiskOfHarm && risk.is_some_and(|r| r >= fl.min_rating)
            })
            .rev()
            .max_by_key(|fl| fl.level)
            .and_then(|fl| Some((fl.level, format!("{} rated {}", fl.dimension, risk?)))),
    }
}

/// The alerts the referral's own facts raise: imminent risk, withdrawal
/// (its codes or its rating reaching a row of the policy), elevated risk.
fn own_alerts(
    imminent: bool,
    coded: &[(crate::IcdCode, crate::Withdrawal)],
    rated: Option<WithdrawalRisk>,
    withdrawal_row: Option<&crate::level::WithdrawalRule>,
    risk: Option<Rating>,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    if imminent {
        alerts.push(Alert::ImminentRisk {
            contacts: CrisisContact::massachusetts(),
        });
    }
    if !coded.is_empty() || withdrawal_row.is_some() {
        alerts.push(Alert::Withdrawal {
            codes: coded.iter().map(|(c, _)| *c).collect(),
            risk: rated,
            level: withdrawal_row.and_then(|r| r.level),
            action: withdrawal_row.map_or_else(
                || {
                    crate::level::WithdrawalRule::defaults()
                        .last()
                        .map(|r| r.action.clone())
                        .unwrap_or_default()
                },
                |r| r.action.clone(),
            ),
        });
    }
    if risk.is_some_and(|r| r.get() == crate::matching::ELEVATED_RISK_RATING) {
        alerts.push(Alert::ElevatedRisk);
    }
    alerts
}

/// The most urgent hold that applies, if any (no clinician's override on
/// the referral).
fn hold_for(
    referral: &Referral,
    policy: &LevelPolicy,
    imminent: bool,
    coded: &[(crate::IcdCode, crate::Withdrawal)],
    rated: Option<WithdrawalRisk>,
    withdrawal_row: Option<&crate::level::WithdrawalRule>,
    rating_floor: Option<(LevelOfCare, String)>,
) -> Option<Hold> {
    let policy_name = &policy.rules().name;
    if imminent {
        return Some(Hold {
            kind: HoldKind::CrisisEvaluationRequired,
            text: format!(
                "{}. Not placed: {RELEASE_CRISIS}.",
                CrisisContact::imminent_risk_text()
            ),
        });
    }
    if let Some(row) = withdrawal_row
        && let Some(to) = row.level.filter(|l| *l > referral.level)
    {
        let mut what = String::new();
        for (c, w) in coded {
            what.push_str(&format!("{c} ({w}), "));
        }
        if let Some(r) = rated {
            what.push_str(&format!("withdrawal risk rated {r}, "));
        }
        return Some(Hold {
            kind: HoldKind::WithdrawalManagementRequired,
            text: format!(
                "{what}which calls for at least {to} under the level policy \"{policy_name}\" ({}); the referral is for {}. Not placed: {RELEASE}.",
                row.action, referral.level
            ),
        });
    }
    let (floor, by) = rating_floor.filter(|(f, _)| *f > referral.level)?;
    Some(Hold {
        kind: HoldKind::NeedsOverride,
        text: format!(
            "{by} sets a floor of {floor} under the level policy \"{policy_name}\"; the referral is for {}. Not placed: {RELEASE}, or until it is referred at {floor} or above.",
            referral.level
        ),
    })
}

fn problem(path: String, message: String) -> Problem {
    Problem::new(ProblemSeverity::Error, path, message)
}
