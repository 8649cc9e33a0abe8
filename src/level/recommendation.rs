//! A level-of-care recommendation: the level, every rule that fired with its
//! source, the adjacent levels, flags, and a clinician's override.

use std::fmt;

use crate::level::{
    Assessment, Band, Dimension, LevelOfCare, LevelPolicy, Rating, Ratings, Suggested, Suggestion,
    WithdrawalRisk,
};
use crate::terms::terms;

terms! {
    /// Something a clinician must see beside the level: imminent risk, an age
    /// the policy is not validated for, or inputs that conflict.
    ///
    /// [`LevelRecommendation::flags`] lists them in this order, so
    /// [`Flag::ImminentRisk`] always comes first.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::level::Flag;
    /// assert_eq!(Flag::ALL[0], Flag::ImminentRisk);
    /// assert_eq!(Flag::ImminentRisk.key(), "imminent_risk");
    /// assert!(Flag::DischargeAndNotImproving.is_conflict());
    /// assert!(!Flag::Adolescent.is_conflict());
    /// ```
    pub enum Flag: "flag" {
        /// Imminent risk: evaluate for crisis care now, before any placement.
        ImminentRisk = "imminent_risk", "imminent risk: evaluate for crisis care now";
        /// A withdrawal row of the policy applied: arrange withdrawal
        /// management (the row's action says where), before or with the therapy.
        WithdrawalManagement = "withdrawal_management", "withdrawal management needed: arrange it before or with the therapy";
        /// Younger than the ages the policy is validated for (under 18 for
        /// the default adult policy): load a policy made for adolescents.
        Adolescent = "adolescent", "younger than the ages this policy is validated for";
        /// The age is not given, so whether the policy fits the patient's age
        /// cannot be checked.
        AgeUnknown = "age_unknown", "age not given: whether this policy fits the patient's age is unchecked";
        /// Conflicting inputs: a discharge from inpatient care within the
        /// step-down window, and weekly outpatient therapy without
        /// improvement, are both recorded.
        DischargeAndNotImproving = "discharge_and_outpatient_not_improving",
            "conflicting inputs: a recent inpatient discharge and weekly outpatient therapy without improvement are both recorded; confirm which is current";
        /// Conflicting inputs: imminent risk within the step-down window
        /// after an inpatient discharge.
        RiskAfterDischarge = "imminent_risk_after_discharge",
            "conflicting inputs: imminent risk soon after an inpatient discharge; review the discharge plan and whether readmission is needed";
        /// Conflicting inputs: co-occurring substance use is recorded, yet
        /// co-morbidity (which includes addictive co-morbidity) has the lowest rating.
        SubstanceUseRatedNone = "substance_use_with_lowest_comorbidity",
            "conflicting inputs: co-occurring substance use is recorded, yet co-morbidity has the lowest rating; check that rating";
    }
}

impl Flag {
    /// Whether the flag marks inputs that conflict with each other.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::level::Flag::SubstanceUseRatedNone.is_conflict());
    /// ```
    pub const fn is_conflict(self) -> bool {
        matches!(
            self,
            Flag::DischargeAndNotImproving | Flag::RiskAfterDischarge | Flag::SubstanceUseRatedNone
        )
    }
}

/// One rule of a [`LevelPolicy`] as it applied to one assessment, with the
/// facts that made it apply.
///
/// In JSON, `"rule"` names the kind (`band`, `floor`, `step_down`, `step_up`,
/// `imminent_risk`, `adolescent`) beside the facts.
///
/// # Example
///
/// ```
/// use carematch::{Dimension, LevelOfCare, Rating, level::Rule};
/// let r = Rule::Floor {
///     dimension: Dimension::RiskOfHarm,
///     rating: Rating::new(4)?,
///     min_rating: Rating::new(4)?,
///     level: LevelOfCare::Residential,
/// };
/// assert_eq!(r.level(), Some(LevelOfCare::Residential));
/// assert_eq!(r.to_string(), "risk of harm is rated 4 (floor at 4 or more): at least residential");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "rule", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Rule {
    /// The composite fell in a band.
    Band {
        /// The sum of the seven ratings.
        composite: u8,
        /// The band's lowest composite.
        min: u8,
        /// The band's highest composite.
        max: u8,
        /// The band's level.
        level: LevelOfCare,
    },
    /// A safety floor applied.
    Floor {
        /// The dimension.
        dimension: Dimension,
        /// Its rating in this assessment.
        rating: Rating,
        /// The floor applies at this rating or above.
        min_rating: Rating,
        /// The least intensive level allowed.
        level: LevelOfCare,
    },
    /// The step-down rule applied: a recent discharge from inpatient care.
    StepDown {
        /// Days since the discharge.
        days_since_discharge: u16,
        /// The rule's window in days.
        within_days: u16,
        /// The least intensive level allowed.
        level: LevelOfCare,
    },
    /// The step-up rule applied: weekly outpatient therapy without improvement.
    StepUp {
        /// The least intensive level allowed.
        level: LevelOfCare,
    },
    /// The imminent-risk rule applied.
    ImminentRisk {
        /// The dimension.
        dimension: Dimension,
        /// Its rating in this assessment.
        rating: Rating,
        /// The flag is raised at this rating or above.
        min_rating: Rating,
        /// What to do now, and whom to call.
        action: String,
    },
    /// A withdrawal row applied: the assessment's withdrawal-risk rating
    /// reached it.
    Withdrawal {
        /// The assessment's rating.
        risk: WithdrawalRisk,
        /// The row applies at this rating or above.
        min_risk: WithdrawalRisk,
        /// The least intensive level allowed, if the row sets one.
        level: Option<LevelOfCare>,
        /// What to arrange.
        action: String,
    },
    /// The patient is younger than the policy is validated for.
    Adolescent {
        /// The patient's age in years.
        age: u8,
        /// The youngest age the policy is validated for.
        min_age: u8,
    },
}

impl Rule {
    /// The level this rule calls for (at least), if it is about the level
    /// rather than a flag.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, level::Rule};
    /// assert_eq!(Rule::StepUp { level: LevelOfCare::IntensiveOutpatient }.level(), Some(LevelOfCare::IntensiveOutpatient));
    /// assert_eq!(Rule::Adolescent { age: 15, min_age: 18 }.level(), None);
    /// ```
    pub fn level(&self) -> Option<LevelOfCare> {
        match self {
            Rule::Band { level, .. }
            | Rule::Floor { level, .. }
            | Rule::StepDown { level, .. }
            | Rule::StepUp { level } => Some(*level),
            Rule::Withdrawal { level, .. } => *level,
            Rule::ImminentRisk { .. } | Rule::Adolescent { .. } => None,
        }
    }

    /// The kind of rule, in words: `band`, `floor`, `step-down`, `step-up`,
    /// `imminent risk` or `age`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, level::Rule};
    /// assert_eq!(Rule::StepUp { level: LevelOfCare::IntensiveOutpatient }.kind(), "step-up");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Band { .. } => "band",
            Rule::Floor { .. } => "floor",
            Rule::StepDown { .. } => "step-down",
            Rule::StepUp { .. } => "step-up",
            Rule::ImminentRisk { .. } => "imminent risk",
            Rule::Withdrawal { .. } => "withdrawal",
            Rule::Adolescent { .. } => "age",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Band {
                composite,
                min,
                max,
                level,
            } => write!(
                f,
                "composite {composite} is in the band {min}-{max}: {level}"
            ),
            Rule::Floor {
                dimension,
                rating,
                min_rating,
                level,
            } => write!(
                f,
                "{dimension} is rated {rating} (floor at {min_rating} or more): at least {level}"
            ),
            Rule::StepDown {
                days_since_discharge,
                within_days,
                level,
            } => write!(
                f,
                "discharged from inpatient care {days_since_discharge} day{} ago (within {within_days}): at least {level}, as a step-down",
                if *days_since_discharge == 1 { "" } else { "s" }
            ),
            Rule::StepUp { level } => write!(
                f,
                "in weekly outpatient therapy and not improving: at least {level}"
            ),
            Rule::ImminentRisk {
                dimension,
                rating,
                min_rating,
                ..
            } => write!(
                f,
                "{dimension} is rated {rating} (flag at {min_rating} or more): imminent risk"
            ),
            Rule::Withdrawal {
                risk,
                min_risk,
                level,
                action,
            } => {
                write!(
                    f,
                    "withdrawal risk is rated {risk} (row at {min_risk} or more): "
                )?;
                if let Some(l) = level {
                    write!(f, "at least {l}; ")?;
                }
                f.write_str(action)
            }
            Rule::Adolescent { age, min_age } => write!(
                f,
                "age {age} is under {min_age}, the youngest age this policy is validated for"
            ),
        }
    }
}

/// What a fired rule did to the level.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, level::Effect};
/// let e = Effect::Raises { from: LevelOfCare::Outpatient };
/// assert_eq!(e.to_string(), "raises the level from outpatient");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Effect {
    /// Sets the starting level (the composite's band).
    Sets,
    /// Raises the level from a less intensive one.
    Raises {
        /// The level before this rule.
        from: LevelOfCare,
    },
    /// The level was already at least what the rule calls for.
    AlreadyMet,
    /// Raises a flag; the level is not changed.
    Flags,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Effect::Sets => f.write_str("sets the level"),
            Effect::Raises { from } => write!(f, "raises the level from {from}"),
            Effect::AlreadyMet => f.write_str("already met"),
            Effect::Flags => f.write_str("raises a flag"),
        }
    }
}

/// A rule that fired, what it did, and its source.
///
/// # Example
///
/// ```
/// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
/// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
/// let band = &rec.rules()[0];
/// assert_eq!(band.rule.kind(), "band");
/// assert!(band.source.contains("secondary source"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FiredRule {
    /// The rule and the facts that made it apply.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub rule: Rule,
    /// What it did to the level.
    pub effect: Effect,
    /// Where the rule comes from, in plain words.
    pub source: String,
}

impl fmt::Display for FiredRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}; {} (source: {})",
            self.rule.kind(),
            self.rule,
            self.effect,
            self.source
        )
    }
}

/// Why an adjacent level is, or is not, worth a clinician's look.
///
/// # Example
///
/// ```
/// use carematch::level::AlternativeReason;
/// let r = AlternativeReason::BandDistance { composite: 17, min: 7, max: 16, points: 1 };
/// assert_eq!(r.to_string(), "composite 17 is 1 point above its band (7-16)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AlternativeReason {
    /// A rule (a safety floor, the step-down or the step-up) requires a more
    /// intensive level than this one.
    RuledOut {
        /// The rule that requires more.
        by: Rule,
    },
    /// How far the composite is from the band of this level.
    BandDistance {
        /// The sum of the seven ratings.
        composite: u8,
        /// The lowest composite of this level's bands.
        min: u8,
        /// The highest composite of this level's bands.
        max: u8,
        /// How many composite points away (0 inside the band).
        points: u8,
    },
    /// No band of the policy leads to this level.
    NoBand,
}

impl fmt::Display for AlternativeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlternativeReason::RuledOut { by } => {
                write!(f, "the {} rule requires more: {by}", by.kind())
            }
            AlternativeReason::BandDistance {
                composite,
                min,
                max,
                points,
            } => {
                let side = if composite < min { "below" } else { "above" };
                if *points == 0 {
                    write!(f, "composite {composite} is in its band ({min}-{max})")
                } else {
                    write!(
                        f,
                        "composite {composite} is {points} point{} {side} its band ({min}-{max})",
                        if *points == 1 { "" } else { "s" }
                    )
                }
            }
            AlternativeReason::NoBand => {
                f.write_str("no composite band of this policy leads to it")
            }
        }
    }
}

/// A level next to the recommended one, and why it is or is not worth considering.
///
/// # Example
///
/// ```
/// use carematch::{Assessment, LevelOfCare, LevelPolicy, Ratings};
/// // Composite 17: one point into the intensive outpatient band.
/// let a = Assessment::new(Ratings::try_from([2, 3, 2, 3, 2, 3, 2])?);
/// let rec = LevelPolicy::default().recommend(&a);
/// let lower = &rec.alternatives()[0];
/// assert_eq!(lower.level, LevelOfCare::Outpatient);
/// assert!(lower.worth_considering);
/// assert_eq!(lower.to_string(), "outpatient: worth considering; composite 17 is 1 point above its band (7-16)");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Alternative {
    /// The adjacent level.
    pub level: LevelOfCare,
    /// Whether a clinician may want to weigh it.
    pub worth_considering: bool,
    /// Why, or why not.
    pub reason: AlternativeReason,
}

impl fmt::Display for Alternative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.worth_considering {
            "worth considering"
        } else {
            "not indicated"
        };
        write!(f, "{}: {verdict}; {}", self.level, self.reason)
    }
}

/// Why a clinician chose a level other than the recommended one. The list
/// follows the variance reasons that state reporting systems record between
/// an assessed level and the service given (Minnesota's Department of Human
/// Services, for one).
///
/// In JSON: `"patient_declines_higher_level"`, `"community_supports_in_place"`,
/// `"already_in_24_hour_setting"` or `{"other": "text"}`.
///
/// # Example
///
/// ```
/// use carematch::level::OverrideReason;
/// assert_eq!(OverrideReason::PatientDeclinesHigherLevel.to_string(), "the patient declines a higher level");
/// assert_eq!(OverrideReason::Other("moving out of state".into()).to_string(), "other: moving out of state");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum OverrideReason {
    /// The patient declines the more intensive level.
    PatientDeclinesHigherLevel,
    /// Supports in the community make a less intensive level workable.
    CommunitySupportsInPlace,
    /// The patient already lives in a 24-hour supervised setting.
    #[cfg_attr(feature = "serde", serde(rename = "already_in_24_hour_setting"))]
    AlreadyIn24HourSetting,
    /// Another reason, in the clinician's words.
    Other(String),
}

impl fmt::Display for OverrideReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverrideReason::PatientDeclinesHigherLevel => {
                f.write_str("the patient declines a higher level")
            }
            OverrideReason::CommunitySupportsInPlace => {
                f.write_str("community supports are in place")
            }
            OverrideReason::AlreadyIn24HourSetting => f.write_str("already in a 24-hour setting"),
            OverrideReason::Other(text) if text.trim().is_empty() => {
                f.write_str("other (no reason given)")
            }
            OverrideReason::Other(text) => write!(f, "other: {}", text.trim()),
        }
    }
}

/// A clinician's choice of level, with the reason.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, level::{Override, OverrideReason}};
/// let o = Override { level: LevelOfCare::IntensiveOutpatient, reason: OverrideReason::CommunitySupportsInPlace };
/// assert_eq!(o.to_string(), "intensive outpatient (community supports are in place)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Override {
    /// The level the clinician chose.
    pub level: LevelOfCare,
    /// Why.
    pub reason: OverrideReason,
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.level, self.reason)
    }
}

/// A recommended level of care that a clinician can check line by line.
///
/// It holds the level; the composite and its band; every rule that fired,
/// each with what it did and its source; the adjacent levels, each with why
/// it is or is not worth considering; flags ([`Flag::ImminentRisk`] first);
/// the assessment it was made from; and, once a clinician has decided, their
/// [`Override`], which keeps the recommendation beside it.
///
/// `Display` prints a short rationale for people; serde writes JSON for
/// machines, with `"flags"` first and a top-level `"level"` (the
/// recommendation, not the override). Each fired rule and each alternative
/// also carries its sentence as `"text"` (ignored when read back).
///
/// This is decision support: the clinician reviews the basis and decides.
///
/// # Example
///
/// ```
/// use carematch::{Assessment, LevelOfCare, LevelPolicy, Ratings, level::{Flag, OverrideReason}};
///
/// let a = Assessment::new(Ratings::try_from([4, 2, 2, 2, 2, 2, 2])?).with_age(40);
/// let rec = LevelPolicy::default().recommend(&a);
/// assert_eq!(rec.composite(), 16);
/// assert_eq!(rec.band().level, LevelOfCare::Outpatient);
/// assert_eq!(rec.level(), LevelOfCare::Residential); // the risk-of-harm floor
/// assert!(rec.flags().is_empty());
///
/// let rec = rec.with_override(LevelOfCare::PartialHospitalization, OverrideReason::PatientDeclinesHigherLevel);
/// assert_eq!(rec.effective_level(), LevelOfCare::PartialHospitalization);
/// assert_eq!(rec.level(), LevelOfCare::Residential); // kept
/// assert!(rec.to_string().contains("below a safety floor"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LevelRecommendation {
    flags: Vec<Flag>,
    level: LevelOfCare,
    composite: u8,
    band: Band,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    rules: Vec<FiredRule>,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    alternatives: Vec<Alternative>,
    #[cfg_attr(feature = "serde", serde(rename = "override"))]
    clinician_override: Option<Override>,
    assessment: Assessment,
    policy: String,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    suggestions: Vec<Suggestion>,
}

impl LevelRecommendation {
    /// The recommended level.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelOfCare, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MAX)));
    /// assert_eq!(rec.level(), LevelOfCare::Inpatient);
    /// ```
    pub fn level(&self) -> LevelOfCare {
        self.level
    }

    /// The level to act on: the clinician's override if there is one, else
    /// the recommended level.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelOfCare, LevelPolicy, Rating, Ratings, level::OverrideReason};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert_eq!(rec.effective_level(), LevelOfCare::Outpatient);
    /// let rec = rec.with_override(LevelOfCare::IntensiveOutpatient, OverrideReason::Other("family request".into()));
    /// assert_eq!(rec.effective_level(), LevelOfCare::IntensiveOutpatient);
    /// ```
    pub fn effective_level(&self) -> LevelOfCare {
        self.clinician_override
            .as_ref()
            .map_or(self.level, |o| o.level)
    }

    /// The composite: the sum of the seven ratings.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert_eq!(rec.composite(), 7);
    /// ```
    pub fn composite(&self) -> u8 {
        self.composite
    }

    /// The band the composite fell in.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert_eq!((rec.band().min, rec.band().max), (7, 16));
    /// ```
    pub fn band(&self) -> &Band {
        &self.band
    }

    /// Every rule that fired, in the order applied: the band, the floors,
    /// the step-down, the step-up, then the flag rules.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Ratings};
    /// let a = Assessment::new(Ratings::try_from([1, 1, 1, 1, 1, 1, 1])?).with_days_since_inpatient_discharge(5);
    /// let rec = LevelPolicy::default().recommend(&a);
    /// let kinds: Vec<&str> = rec.rules().iter().map(|r| r.rule.kind()).collect();
    /// assert_eq!(kinds, ["band", "step-down"]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn rules(&self) -> &[FiredRule] {
        &self.rules
    }

    /// The adjacent levels, the less intensive first.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert_eq!(rec.alternatives().len(), 1); // outpatient has no lower level
    /// ```
    pub fn alternatives(&self) -> &[Alternative] {
        &self.alternatives
    }

    /// The flags, in [`Flag`] order: [`Flag::ImminentRisk`] first when present.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Ratings, level::Flag};
    /// let a = Assessment::new(Ratings::try_from([5, 1, 1, 1, 1, 1, 1])?).with_age(16);
    /// let rec = LevelPolicy::default().recommend(&a);
    /// assert_eq!(rec.flags(), [Flag::ImminentRisk, Flag::Adolescent]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn flags(&self) -> &[Flag] {
        &self.flags
    }

    /// Whether `flag` is raised.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings, level::Flag};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MAX)));
    /// assert!(rec.has_flag(Flag::ImminentRisk));
    /// ```
    pub fn has_flag(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }

    /// The highest level any safety floor requires, if a floor applied: the
    /// rating floors and a withdrawal row that sets a level.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelOfCare, LevelPolicy, Ratings};
    /// let a = Assessment::new(Ratings::try_from([1, 4, 1, 1, 1, 1, 1])?);
    /// assert_eq!(LevelPolicy::default().recommend(&a).floor_level(), Some(LevelOfCare::Residential));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn floor_level(&self) -> Option<LevelOfCare> {
        self.rules
            .iter()
            .filter_map(|r| match r.rule {
                Rule::Floor { level, .. } => Some(level),
                Rule::Withdrawal { level, .. } => level,
                _ => None,
            })
            .max()
    }

    /// The assessment the recommendation was made from.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let a = Assessment::new(Ratings::uniform(Rating::MIN)).with_age(30);
    /// assert_eq!(LevelPolicy::default().recommend(&a).assessment(), &a);
    /// ```
    pub fn assessment(&self) -> &Assessment {
        &self.assessment
    }

    /// The name of the policy applied.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert_eq!(rec.policy_name(), "carematch adult default");
    /// ```
    pub fn policy_name(&self) -> &str {
        &self.policy
    }

    /// The clinician's override, if one was recorded.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert!(rec.clinician_override().is_none());
    /// ```
    pub fn clinician_override(&self) -> Option<&Override> {
        self.clinician_override.as_ref()
    }

    /// Records a clinician's choice of `level` and the reason, keeping the
    /// recommendation itself (and every rule and flag) unchanged. A later
    /// override replaces an earlier one.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelOfCare, LevelPolicy, Rating, Ratings, level::OverrideReason};
    /// let rec = LevelPolicy::default()
    ///     .recommend(&Assessment::new(Ratings::uniform(Rating::MAX)))
    ///     .with_override(LevelOfCare::Residential, OverrideReason::AlreadyIn24HourSetting);
    /// assert_eq!(rec.level(), LevelOfCare::Inpatient);
    /// assert_eq!(rec.effective_level(), LevelOfCare::Residential);
    /// assert_eq!(rec.clinician_override().map(|o| &o.reason), Some(&OverrideReason::AlreadyIn24HourSetting));
    /// ```
    #[must_use]
    pub fn with_override(mut self, level: LevelOfCare, reason: OverrideReason) -> Self {
        self.clinician_override = Some(Override { level, reason });
        self
    }

    /// Shows `suggestions` (from screening instruments, see
    /// [`crate::screening`]) beside the recommendation, without applying
    /// them: the level, rules and ratings stay as they were, and the
    /// rationale lists each suggestion with its instrument and score, and
    /// whether the assessment agrees, for the clinician to accept or change.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Dimension, LevelOfCare, LevelPolicy, Rating, Ratings};
    /// use carematch::level::{Suggested, Suggestion};
    /// let a = Assessment::new(Ratings::uniform(Rating::MIN)).with_age(30);
    /// let s = Suggestion {
    ///     suggests: Suggested::Rating { dimension: Dimension::RiskOfHarm, rating: Rating::new(4)? },
    ///     instrument: "C-SSRS screener".into(),
    ///     score: "yes to question 3".into(),
    ///     because: "moderate risk".into(),
    ///     source: "site table".into(),
    /// };
    /// let rec = LevelPolicy::default().recommend(&a).with_suggestions(vec![s]);
    /// assert_eq!(rec.level(), LevelOfCare::Outpatient); // not applied
    /// assert_eq!(rec.suggestions().len(), 1);
    /// assert!(rec.to_string().contains("not applied"));
    /// assert!(rec.to_string().contains("the assessment rates it 1"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[must_use]
    pub fn with_suggestions(mut self, suggestions: Vec<Suggestion>) -> Self {
        self.suggestions = suggestions;
        self
    }

    /// The suggestions shown beside the recommendation (none unless
    /// [`LevelRecommendation::with_suggestions`] added them).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelPolicy, Rating, Ratings};
    /// let rec = LevelPolicy::default().recommend(&Assessment::new(Ratings::uniform(Rating::MIN)));
    /// assert!(rec.suggestions().is_empty());
    /// ```
    pub fn suggestions(&self) -> &[Suggestion] {
        &self.suggestions
    }

    /// What the assessment says about what `s` suggests, in words.
    fn agreement(&self, s: &Suggested) -> Option<String> {
        match s {
            Suggested::Rating { dimension, rating } => {
                let given = self.assessment.ratings.rating(*dimension);
                Some(if given == *rating {
                    "the assessment agrees".to_owned()
                } else {
                    format!("the assessment rates it {given}")
                })
            }
            Suggested::WithdrawalRisk { risk } => Some(match self.assessment.withdrawal_risk {
                Some(given) if given == *risk => "the assessment agrees".to_owned(),
                Some(given) => format!("the assessment rates it {given}"),
                None => "the assessment does not rate withdrawal risk".to_owned(),
            }),
            Suggested::ConfirmCondition { .. } => None,
        }
    }
}

impl fmt::Display for LevelRecommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.rules {
            if let Rule::ImminentRisk { action, .. } = &r.rule {
                // The one crisis text (the same as the ranking's alert and an
                // assignment's hold), then the site's own action if it has one.
                writeln!(f, "{}", crate::crisis::CrisisContact::imminent_risk_text())?;
                if action != crate::level::policy::ACTION_IMMINENT {
                    writeln!(f, "Site protocol: {action}.")?;
                }
            }
        }
        writeln!(f, "Recommended level of care: {}", self.level)?;
        if let Some(o) = &self.clinician_override {
            let mut note = String::new();
            if o.level < self.level {
                note.push_str(", below the recommendation");
                if self.floor_level().is_some_and(|fl| o.level < fl) {
                    note.push_str(" and below a safety floor");
                }
            }
            writeln!(f, "Clinician's choice: {o}{note}")?;
        }
        writeln!(
            f,
            "Composite {} (the sum of the seven ratings, 7-35), in the band {}",
            self.composite, self.band
        )?;
        writeln!(f, "Ratings: {}", self.assessment.ratings)?;
        if !self.suggestions.is_empty() {
            writeln!(
                f,
                "Suggested by screening instruments, not applied (the clinician accepts or changes each):"
            )?;
            for s in &self.suggestions {
                write!(f, "  - {s}")?;
                if let Some(a) = self.agreement(&s.suggests) {
                    write!(f, "; {a}")?;
                }
                writeln!(f)?;
            }
        }
        writeln!(f, "Rules that fired (policy: {}):", self.policy)?;
        for r in &self.rules {
            writeln!(f, "  - {}: {}; {}", r.rule.kind(), r.rule, r.effect)?;
            writeln!(f, "    source: {}", r.source)?;
        }
        if !self.alternatives.is_empty() {
            writeln!(f, "Adjacent levels:")?;
            for a in &self.alternatives {
                writeln!(f, "  - {a}")?;
            }
        }
        if !self.flags.is_empty() {
            writeln!(f, "Flags:")?;
            for flag in &self.flags {
                writeln!(f, "  - {flag}")?;
            }
        }
        write!(
            f,
            "Decision support only: a clinician reviews this basis and decides."
        )
    }
}

impl LevelPolicy {
    /// Recommends a level of care for `assessment`, with every rule that
    /// fired, the adjacent levels and the flags.
    ///
    /// The level is the band's level, raised by every safety floor that
    /// applies, then by the step-down and step-up rules. Each step only ever
    /// raises, so safety floors are never lowered, and the level never falls
    /// when a rating rises. Total: every assessment gets a recommendation.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, LevelOfCare, LevelPolicy, Ratings, level::Flag};
    ///
    /// // Stable ten days after an inpatient stay, good support.
    /// let a = Assessment::new(Ratings::try_from([2, 2, 2, 2, 1, 2, 2])?)
    ///     .with_age(45)
    ///     .with_days_since_inpatient_discharge(10);
    /// let rec = LevelPolicy::default().recommend(&a);
    /// assert_eq!(rec.band().level, LevelOfCare::Outpatient);
    /// assert_eq!(rec.level(), LevelOfCare::IntensiveOutpatient);
    /// assert_eq!(rec.rules()[1].rule.kind(), "step-down");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn recommend(&self, assessment: &Assessment) -> LevelRecommendation {
        let composite = assessment.ratings.composite();
        let band = self
            .band_for(composite)
            .cloned()
            .unwrap_or_else(|| no_band(composite));
        let mut basis = Basis {
            level: band.level,
            fired: Vec::with_capacity(4),
            flags: Vec::new(),
        };
        basis.fired.push(FiredRule {
            rule: Rule::Band {
                composite,
                min: band.min,
                max: band.max,
                level: band.level,
            },
            effect: Effect::Sets,
            source: band.source.clone(),
        });
        self.apply_floors(&assessment.ratings, &mut basis);
        let recent_discharge = self.apply_steps(assessment, &mut basis);
        self.apply_withdrawal(assessment, &mut basis);
        self.apply_flags(assessment, recent_discharge, &mut basis);
        let Basis {
            level,
            fired,
            mut flags,
        } = basis;
        flags.sort_unstable();

        let alternatives = [level.lower(), level.higher()]
            .into_iter()
            .flatten()
            .map(|alt| self.alternative(alt, composite, &fired))
            .collect();

        LevelRecommendation {
            flags,
            level,
            composite,
            band,
            rules: fired,
            alternatives,
            clinician_override: None,
            assessment: *assessment,
            policy: self.rules().name.clone(),
            suggestions: Vec::new(),
        }
    }

    /// Raises the level by every safety floor the ratings reach.
    fn apply_floors(&self, ratings: &Ratings, basis: &mut Basis) {
        for floor in &self.rules().floors {
            let rating = ratings.rating(floor.dimension);
            if rating >= floor.min_rating {
                let rule = Rule::Floor {
                    dimension: floor.dimension,
                    rating,
                    min_rating: floor.min_rating,
                    level: floor.level,
                };
                basis.raise(rule, floor.level, &floor.source);
            }
        }
    }

    /// Raises the level by the step-down rule (a recent inpatient
    /// discharge) and the step-up rule (not improving in outpatient
    /// therapy); whether the discharge was recent.
    fn apply_steps(&self, assessment: &Assessment, basis: &mut Basis) -> bool {
        let rules = self.rules();
        let recent_discharge = match (&rules.step_down, assessment.days_since_inpatient_discharge) {
            (Some(step), Some(days)) if step.applies(days) => {
                let rule = Rule::StepDown {
                    days_since_discharge: days,
                    within_days: step.within_days,
                    level: step.level,
                };
                basis.raise(rule, step.level, &step.source);
                true
            }
            _ => false,
        };
        if let Some(step) = rules.step_up.as_ref()
            && assessment.outpatient_not_improving
        {
            let rule = Rule::StepUp { level: step.level };
            basis.raise(rule, step.level, &step.source);
        }
        recent_discharge
    }

    /// The withdrawal row the rated withdrawal risk reaches, if any: a flag,
    /// and the row's level when it sets one.
    fn apply_withdrawal(&self, assessment: &Assessment, basis: &mut Basis) {
        let Some(risk) = assessment.withdrawal_risk else {
            return;
        };
        let Some(row) = self.withdrawal_rule(risk) else {
            return;
        };
        let rule = Rule::Withdrawal {
            risk,
            min_risk: row.min_risk,
            level: row.level,
            action: row.action.clone(),
        };
        basis.flags.push(Flag::WithdrawalManagement);
        match row.level {
            Some(to) => basis.raise(rule, to, &row.source),
            None => basis.fired.push(FiredRule {
                rule,
                effect: Effect::Flags,
                source: row.source.clone(),
            }),
        }
    }

    /// The rules and facts that only flag: imminent risk (and risk after a
    /// recent discharge), age, a recent discharge with no improvement, and
    /// substance use rated as no comorbidity.
    fn apply_flags(&self, assessment: &Assessment, recent_discharge: bool, basis: &mut Basis) {
        let rules = self.rules();
        if let Some(r) = rules.imminent_risk.as_ref() {
            let rating = assessment.ratings.rating(r.dimension);
            if rating >= r.min_rating {
                basis.flags.push(Flag::ImminentRisk);
                if recent_discharge {
                    basis.flags.push(Flag::RiskAfterDischarge);
                }
                basis.fired.push(FiredRule {
                    rule: Rule::ImminentRisk {
                        dimension: r.dimension,
                        rating,
                        min_rating: r.min_rating,
                        action: r.action.clone(),
                    },
                    effect: Effect::Flags,
                    source: r.source.clone(),
                });
            }
        }
        if let Some(r) = rules.age.as_ref() {
            match assessment.age {
                Some(age) if age < r.min_age => {
                    basis.flags.push(Flag::Adolescent);
                    basis.fired.push(FiredRule {
                        rule: Rule::Adolescent {
                            age,
                            min_age: r.min_age,
                        },
                        effect: Effect::Flags,
                        source: r.source.clone(),
                    });
                }
                Some(_) => {}
                None => basis.flags.push(Flag::AgeUnknown),
            }
        }
        if recent_discharge && assessment.outpatient_not_improving {
            basis.flags.push(Flag::DischargeAndNotImproving);
        }
        if assessment.co_occurring_substance_use && assessment.ratings.comorbidity == Rating::MIN {
            basis.flags.push(Flag::SubstanceUseRatedNone);
        }
    }

    /// Why the adjacent level `alt` is or is not worth considering.
    fn alternative(&self, alt: LevelOfCare, composite: u8, fired: &[FiredRule]) -> Alternative {
        let ruled_out = fired.iter().find(|r| {
            !matches!(r.rule, Rule::Band { .. }) && r.rule.level().is_some_and(|l| l > alt)
        });
        let (worth_considering, reason) = match (ruled_out, self.composite_range(alt)) {
            (Some(r), _) => (false, AlternativeReason::RuledOut { by: r.rule.clone() }),
            (None, Some((min, max))) => {
                let points = min.saturating_sub(composite) + composite.saturating_sub(max);
                (
                    points <= self.rules().consider_within_points,
                    AlternativeReason::BandDistance {
                        composite,
                        min,
                        max,
                        points,
                    },
                )
            }
            (None, None) => (false, AlternativeReason::NoBand),
        };
        Alternative {
            level: alt,
            worth_considering,
            reason,
        }
    }
}

/// A recommendation as its rules build it: the level so far, the rules
/// that fired (in order) and the flags raised.
struct Basis {
    level: LevelOfCare,
    fired: Vec<FiredRule>,
    flags: Vec<Flag>,
}

impl Basis {
    /// Raises the level to at least `to` because of `rule`, recording what it did.
    fn raise(&mut self, rule: Rule, to: LevelOfCare, source: &str) {
        let effect = if to > self.level {
            let from = self.level;
            self.level = to;
            Effect::Raises { from }
        } else {
            Effect::AlreadyMet
        };
        self.fired.push(FiredRule {
            rule,
            effect,
            source: source.to_owned(),
        });
    }
}

/// A checked policy covers every composite from 7 to 35, so this is never
/// reached; if it were, the most intensive level is the safe answer.
#[cold]
fn no_band(composite: u8) -> Band {
    Band::new(
        composite,
        composite,
        LevelOfCare::Inpatient,
        "no band of the policy holds this composite; the most intensive level is shown",
    )
}
