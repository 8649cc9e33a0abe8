//! The level-of-care policy: composite bands, safety floors and context rules, as data.

use std::fmt;

use crate::{
    error::Error,
    level::{Dimension, LevelOfCare, Rating, WithdrawalRisk},
};

/// The lowest composite: seven ratings of 1.
pub(crate) const COMPOSITE_MIN: u8 = 7;
/// The highest composite: seven ratings of 5.
pub(crate) const COMPOSITE_MAX: u8 = 35;

const SOURCE_BANDS: &str = "composite bands as third-party LOCUS worksheets give them (a \
     secondary source, not the instrument owner's manual, which places patients with a \
     determination grid); composites 7-9, which those worksheets leave unplaced, go to outpatient \
     care here";
const SOURCE_FLOOR_SERIOUS: &str = "independent criteria for risk of harm, functional status \
     and co-morbidity as widely taught for LOCUS: a rating of 4 calls for at least residential \
     care whatever the composite (secondary sources; not confirmed by the instrument owner)";
const SOURCE_FLOOR_EXTREME: &str = "independent criteria for risk of harm, functional status \
     and co-morbidity as widely taught for LOCUS: a rating of 5 calls for inpatient care whatever \
     the composite (secondary sources; not confirmed by the instrument owner)";
const SOURCE_IMMINENT: &str = "carematch safety rule: the highest risk-of-harm rating calls for a \
     crisis evaluation before any placement; the crisis lines are the Massachusetts Behavioral \
     Health Help Line (open since January 2023) and the national 988 Suicide & Crisis Lifeline";
/// The default imminent-risk action; the words and the contacts every output
/// prints are [`crate::matching::CrisisContact::imminent_risk_text`].
pub(crate) const ACTION_IMMINENT: &str =
    "evaluate for crisis care now, before any placement, with the crisis contacts in order";
const SOURCE_WITHDRAWAL_SEVERE: &str = "ASAM Clinical Practice Guideline on Alcohol Withdrawal \
     Management (2020): the setting follows the risk of severe or complicated withdrawal; a high \
     risk, or withdrawal delirium or seizures now, calls for medically managed inpatient care \
     (carematch applies it to every substance's withdrawal, as a floor)";
const SOURCE_WITHDRAWAL_MODERATE: &str = "ASAM Clinical Practice Guideline on Alcohol Withdrawal \
     Management (2020): a moderate risk can be managed as an outpatient only with daily \
     monitoring by a prescriber; withdrawal management comes before, or with, the therapy";
const ACTION_WITHDRAWAL_SEVERE: &str = "medically managed inpatient withdrawal management first";
const ACTION_WITHDRAWAL_MODERATE: &str = "arrange withdrawal management (daily monitoring by a \
     prescriber), at a program that provides it or coordinates it, before or with the therapy";

const SOURCE_STEP_DOWN: &str = "carematch default after common discharge-planning practice: \
     within 30 days of an inpatient stay, step down through intensive outpatient care rather than \
     straight to weekly outpatient therapy (not an instrument rule)";
const SOURCE_STEP_UP: &str = "carematch default after common practice: weekly outpatient therapy \
     that is not helping calls for a more intensive level (not an instrument rule)";
const SOURCE_AGE: &str = "the adult bands and floors are not validated for people under 18; \
     the child and adolescent instruments (CALOCUS/CASII) use other composite ranges, not \
     published in any source carematch relies on, so load a policy made for adolescents";

/// A range of composites mapped to a level of care.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, level::Band};
/// let b = Band::new(17, 19, LevelOfCare::IntensiveOutpatient, "our site's table");
/// assert!(b.contains(18));
/// assert_eq!(b.to_string(), "17-19: intensive outpatient");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Band {
    /// The lowest composite in the band.
    pub min: u8,
    /// The highest composite in the band.
    pub max: u8,
    /// The level of care for composites in the band.
    pub level: LevelOfCare,
    /// Where the band comes from, in plain words.
    pub source: String,
}

impl Band {
    /// A band of composites `min..=max`.
    ///
    /// # Example
    ///
    /// ```
    /// let b = carematch::level::Band::new(7, 16, carematch::LevelOfCare::Outpatient, "site table");
    /// assert_eq!(b.max, 16);
    /// ```
    pub fn new(min: u8, max: u8, level: LevelOfCare, source: impl Into<String>) -> Band {
        Band {
            min,
            max,
            level,
            source: source.into(),
        }
    }

    /// Whether `composite` falls in the band.
    ///
    /// # Example
    ///
    /// ```
    /// let b = carematch::level::Band::new(7, 16, carematch::LevelOfCare::Outpatient, "site table");
    /// assert!(b.contains(16) && !b.contains(17));
    /// ```
    pub fn contains(&self, composite: u8) -> bool {
        (self.min..=self.max).contains(&composite)
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}: {}", self.min, self.max, self.level)
    }
}

/// A safety floor: a rating of `min_rating` or more in `dimension` raises the
/// level to at least `level`, whatever the composite. Nothing lowers a floor:
/// the context rules only ever raise the level.
///
/// # Example
///
/// ```
/// use carematch::{Dimension, LevelOfCare, Rating, level::Floor};
/// let f = Floor::new(Dimension::RiskOfHarm, Rating::new(4)?, LevelOfCare::Residential, "site table");
/// assert_eq!(f.to_string(), "risk of harm at 4 or more: at least residential");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Floor {
    /// The dimension the floor watches.
    pub dimension: Dimension,
    /// The floor applies at this rating or above.
    pub min_rating: Rating,
    /// The least intensive level allowed when it applies.
    pub level: LevelOfCare,
    /// Where the floor comes from, in plain words.
    pub source: String,
}

impl Floor {
    /// A floor: `dimension` at `min_rating` or more means at least `level`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Dimension, LevelOfCare, Rating, level::Floor};
    /// let f = Floor::new(Dimension::FunctionalStatus, Rating::MAX, LevelOfCare::Inpatient, "site table");
    /// assert_eq!(f.level, LevelOfCare::Inpatient);
    /// ```
    pub fn new(
        dimension: Dimension,
        min_rating: Rating,
        level: LevelOfCare,
        source: impl Into<String>,
    ) -> Floor {
        Floor {
            dimension,
            min_rating,
            level,
            source: source.into(),
        }
    }
}

impl fmt::Display for Floor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {} or more: at least {}",
            self.dimension, self.min_rating, self.level
        )
    }
}

/// The imminent-risk rule: a rating of `min_rating` or more in `dimension`
/// raises [`Flag::ImminentRisk`](crate::level::Flag::ImminentRisk), which every output
/// puts first, with `action` (what to do now, and whom to call).
///
/// # Example
///
/// ```
/// use carematch::{Dimension, Rating, level::ImminentRiskRule};
/// let r = ImminentRiskRule::new(Dimension::RiskOfHarm, Rating::MAX, "call 988", "site protocol");
/// assert_eq!(r.action, "call 988");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ImminentRiskRule {
    /// The dimension watched (risk of harm by default).
    pub dimension: Dimension,
    /// The flag is raised at this rating or above.
    pub min_rating: Rating,
    /// What to do now, with the crisis lines to call.
    pub action: String,
    /// Where the rule comes from, in plain words.
    pub source: String,
}

impl ImminentRiskRule {
    /// The rule: `dimension` at `min_rating` or more raises the flag, with `action`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Dimension, Rating, level::ImminentRiskRule};
    /// let r = ImminentRiskRule::new(Dimension::RiskOfHarm, Rating::MAX, "call 988", "site protocol");
    /// assert_eq!(r.min_rating, Rating::MAX);
    /// ```
    pub fn new(
        dimension: Dimension,
        min_rating: Rating,
        action: impl Into<String>,
        source: impl Into<String>,
    ) -> ImminentRiskRule {
        ImminentRiskRule {
            dimension,
            min_rating,
            action: action.into(),
            source: source.into(),
        }
    }
}

/// The step-down rule: within `within_days` days of a discharge from
/// inpatient care, the level is at least `level`. It only ever raises.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, level::StepDown};
/// let s = StepDown::new(30, LevelOfCare::IntensiveOutpatient, "site practice");
/// assert_eq!(s.within_days, 30);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StepDown {
    /// The rule applies up to and including this many days after discharge.
    pub within_days: u16,
    /// The least intensive level while it applies.
    pub level: LevelOfCare,
    /// Where the rule comes from, in plain words.
    pub source: String,
}

impl StepDown {
    /// Within `within_days` of an inpatient discharge, at least `level`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, level::StepDown};
    /// let s = StepDown::new(14, LevelOfCare::PartialHospitalization, "site practice");
    /// assert!(s.applies(14) && !s.applies(15));
    /// ```
    pub fn new(within_days: u16, level: LevelOfCare, source: impl Into<String>) -> StepDown {
        StepDown {
            within_days,
            level,
            source: source.into(),
        }
    }

    /// Whether a discharge `days` ago is within the window.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, level::StepDown};
    /// let s = StepDown::new(30, LevelOfCare::IntensiveOutpatient, "site practice");
    /// assert!(s.applies(30) && !s.applies(31));
    /// ```
    pub fn applies(&self, days: u16) -> bool {
        days <= self.within_days
    }
}

/// The step-up rule: in weekly outpatient therapy and not improving, the
/// level is at least `level`. It only ever raises.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, level::StepUp};
/// let s = StepUp::new(LevelOfCare::IntensiveOutpatient, "site practice");
/// assert_eq!(s.level, LevelOfCare::IntensiveOutpatient);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StepUp {
    /// The least intensive level while the rule applies.
    pub level: LevelOfCare,
    /// Where the rule comes from, in plain words.
    pub source: String,
}

impl StepUp {
    /// Not improving in outpatient therapy means at least `level`.
    ///
    /// # Example
    ///
    /// ```
    /// let s = carematch::level::StepUp::new(carematch::LevelOfCare::IntensiveOutpatient, "site practice");
    /// assert_eq!(s.source, "site practice");
    /// ```
    pub fn new(level: LevelOfCare, source: impl Into<String>) -> StepUp {
        StepUp {
            level,
            source: source.into(),
        }
    }
}

/// The youngest age a policy is validated for; a younger patient raises
/// [`Flag::Adolescent`](crate::level::Flag::Adolescent), and an unknown age
/// [`Flag::AgeUnknown`](crate::level::Flag::AgeUnknown).
///
/// # Example
///
/// ```
/// let a = carematch::level::AgeRule::new(18, "validated for adults");
/// assert_eq!(a.min_age, 18);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AgeRule {
    /// The youngest age, in years, the policy is validated for.
    pub min_age: u8,
    /// Where the limit comes from, in plain words.
    pub source: String,
}

impl AgeRule {
    /// Validated from `min_age` years up.
    ///
    /// # Example
    ///
    /// ```
    /// let a = carematch::level::AgeRule::new(18, "validated for adults");
    /// assert_eq!(a.source, "validated for adults");
    /// ```
    pub fn new(min_age: u8, source: impl Into<String>) -> AgeRule {
        AgeRule {
            min_age,
            source: source.into(),
        }
    }
}

/// A withdrawal row: at a withdrawal-risk rating of `min_risk` or more (or a
/// withdrawal-delirium code, which counts as [`WithdrawalRisk::Severe`]),
/// the level is at least `level` (when set) and `action` is asked for.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, level::{WithdrawalRisk, WithdrawalRule}};
/// let r = WithdrawalRule::new(WithdrawalRisk::Severe, Some(LevelOfCare::Inpatient), "inpatient withdrawal management", "site protocol");
/// assert_eq!(r.to_string(), "withdrawal risk severe or more: at least inpatient; inpatient withdrawal management");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct WithdrawalRule {
    /// The row applies at this rating or above.
    pub min_risk: WithdrawalRisk,
    /// The least intensive level allowed, if the row sets one.
    pub level: Option<LevelOfCare>,
    /// What to arrange.
    pub action: String,
    /// Where the row comes from.
    pub source: String,
}

impl WithdrawalRule {
    /// A row.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::level::{WithdrawalRisk, WithdrawalRule};
    /// let r = WithdrawalRule::new(WithdrawalRisk::Moderate, None, "withdrawal management", "site protocol");
    /// assert_eq!(r.level, None);
    /// ```
    pub fn new(
        min_risk: WithdrawalRisk,
        level: Option<LevelOfCare>,
        action: impl Into<String>,
        source: impl Into<String>,
    ) -> WithdrawalRule {
        WithdrawalRule {
            min_risk,
            level,
            action: action.into(),
            source: source.into(),
        }
    }

    /// carematch's default rows: severe (or delirium) sets an inpatient
    /// floor; moderate asks for withdrawal management. Sources in the rows.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, level::WithdrawalRule};
    /// assert_eq!(WithdrawalRule::defaults()[0].level, Some(LevelOfCare::Inpatient));
    /// ```
    pub fn defaults() -> Vec<WithdrawalRule> {
        vec![
            WithdrawalRule::new(
                WithdrawalRisk::Severe,
                Some(LevelOfCare::Inpatient),
                ACTION_WITHDRAWAL_SEVERE,
                SOURCE_WITHDRAWAL_SEVERE,
            ),
            WithdrawalRule::new(
                WithdrawalRisk::Moderate,
                None,
                ACTION_WITHDRAWAL_MODERATE,
                SOURCE_WITHDRAWAL_MODERATE,
            ),
        ]
    }
}

impl WithdrawalRule {
    /// The first of `rows` (most severe first) that a rating of `risk` reaches.
    pub(crate) fn reached(
        rows: &[WithdrawalRule],
        risk: WithdrawalRisk,
    ) -> Option<&WithdrawalRule> {
        rows.iter().find(|r| risk >= r.min_risk)
    }
}

impl fmt::Display for WithdrawalRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "withdrawal risk {} or more", self.min_risk)?;
        if let Some(l) = self.level {
            write!(f, ": at least {l}")?;
        }
        write!(f, "; {}", self.action)
    }
}

/// The rules of a level-of-care policy, as plain data: build or edit these,
/// then check them with [`LevelPolicy::new`].
///
/// The composite is always the sum of the seven ratings (7 to 35). In JSON
/// every field is required (write `null` to leave a rule out), so a safety
/// rule cannot be dropped by leaving a line out:
///
/// ```json
/// {"name": "our site",
///  "bands": [{"min": 7, "max": 16, "level": "outpatient", "source": "..."}, ...],
///  "floors": [{"dimension": "risk_of_harm", "min_rating": 4, "level": "residential", "source": "..."}],
///  "imminent_risk": {"dimension": "risk_of_harm", "min_rating": 5, "action": "...", "source": "..."},
///  "step_down": {"within_days": 30, "level": "intensive_outpatient", "source": "..."},
///  "step_up": {"level": "intensive_outpatient", "source": "..."},
///  "age": {"min_age": 18, "source": "..."},
///  "consider_within_points": 1}
/// ```
///
/// [`LevelRules::default`] holds carematch's default adult rules; see
/// [`LevelPolicy`] for what they are and where they come from.
///
/// # Example
///
/// ```
/// use carematch::{LevelPolicy, level::LevelRules};
///
/// // A site that does not want the step-up rule:
/// let mut rules = LevelRules::default();
/// rules.step_up = None;
/// rules.name = "our site".into();
/// let policy = LevelPolicy::new(rules)?;
/// assert_eq!(policy.rules().name, "our site");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LevelRules {
    /// A name for the policy, shown with every recommendation.
    pub name: String,
    /// Composite bands, lowest first: together they must cover 7 to 35 with
    /// no gap and no overlap, and their levels must not fall as the
    /// composite rises.
    pub bands: Vec<Band>,
    /// Safety floors, applied after the bands; the highest that applies wins.
    pub floors: Vec<Floor>,
    /// The imminent-risk flag, if any.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "required"))]
    pub imminent_risk: Option<ImminentRiskRule>,
    /// The step-down rule after an inpatient discharge, if any.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "required"))]
    pub step_down: Option<StepDown>,
    /// The step-up rule for outpatient therapy that is not helping, if any.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "required"))]
    pub step_up: Option<StepUp>,
    /// The youngest age the policy is validated for, if limited.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "required"))]
    pub age: Option<AgeRule>,
    /// Withdrawal rows, most severe first: the first row whose `min_risk`
    /// the assessment's withdrawal risk reaches applies. A policy file
    /// written before this field existed gets [`WithdrawalRule::defaults`]
    /// (the safe reading); write `[]` to leave withdrawal out.
    #[cfg_attr(feature = "serde", serde(default = "WithdrawalRule::defaults"))]
    pub withdrawal: Vec<WithdrawalRule>,
    /// An adjacent level whose band is at most this many composite points
    /// away is marked worth considering (1 by default: one rating one point
    /// different would reach it).
    pub consider_within_points: u8,
}

/// Reads an `Option` that must be present (as a value or `null`).
#[cfg(feature = "serde")]
fn required<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(d)
}

impl Default for LevelRules {
    /// carematch's default adult rules; see [`LevelPolicy`].
    fn default() -> LevelRules {
        use LevelOfCare::*;
        let bands = [
            (7, 16, Outpatient),
            (17, 19, IntensiveOutpatient),
            (20, 22, PartialHospitalization),
            (23, 27, Residential),
            (28, 35, Inpatient),
        ]
        .into_iter()
        .map(|(min, max, level)| Band::new(min, max, level, SOURCE_BANDS))
        .collect();
        let floored = [
            Dimension::RiskOfHarm,
            Dimension::FunctionalStatus,
            Dimension::Comorbidity,
        ];
        let floors = [
            (Rating::ALL[3], Residential, SOURCE_FLOOR_SERIOUS),
            (Rating::MAX, Inpatient, SOURCE_FLOOR_EXTREME),
        ]
        .into_iter()
        .flat_map(|(rating, level, source)| {
            floored
                .into_iter()
                .map(move |d| Floor::new(d, rating, level, source))
        })
        .collect();
        LevelRules {
            name: "carematch adult default".to_owned(),
            bands,
            floors,
            imminent_risk: Some(ImminentRiskRule::new(
                Dimension::RiskOfHarm,
                Rating::MAX,
                ACTION_IMMINENT,
                SOURCE_IMMINENT,
            )),
            step_down: Some(StepDown::new(30, IntensiveOutpatient, SOURCE_STEP_DOWN)),
            step_up: Some(StepUp::new(IntensiveOutpatient, SOURCE_STEP_UP)),
            age: Some(AgeRule::new(18, SOURCE_AGE)),
            withdrawal: WithdrawalRule::defaults(),
            consider_within_points: 1,
        }
    }
}

/// A checked level-of-care policy: composite bands, safety floors, and the
/// context rules (step-down, step-up, age, imminent risk), every rule with
/// its source.
///
/// A recommendation is the highest of: the level of the composite's band,
/// every floor that applies, the step-down and the step-up rules. Each later
/// rule can only raise the level, so **safety floors are never lowered**,
/// and the level never falls when any rating rises.
///
/// # The default (adult) policy
///
/// - **Composite** = the sum of the seven ratings (7 to 35).
/// - **Bands**: 7-16 outpatient, 17-19 intensive outpatient, 20-22 partial
///   hospitalization, 23-27 residential, 28-35 inpatient. After third-party
///   LOCUS worksheets (a secondary source; the instrument owner's manual
///   places patients with a determination grid, not the composite alone);
///   7-9, which those worksheets leave unplaced, is put with outpatient care.
/// - **Floors**: a 4 in risk of harm, functional status or co-morbidity means
///   at least residential; a 5 in any of them means inpatient. These are
///   widely taught as LOCUS's independent criteria but are **not confirmed
///   by the instrument owner**.
/// - **Imminent risk**: a 5 in risk of harm raises [`Flag::ImminentRisk`](crate::level::Flag::ImminentRisk),
///   put first in every output: evaluate for crisis care now (in
///   Massachusetts the Behavioral Health Help Line, 833-773-2445, and 988).
/// - **Step-down**: discharged from inpatient care within the last 30 days
///   (day 30 included) means at least intensive outpatient.
/// - **Step-up**: in weekly outpatient therapy and not improving means at
///   least intensive outpatient.
/// - **Age**: validated for adults (18 and over); a younger patient raises
///   [`Flag::Adolescent`](crate::level::Flag::Adolescent): load a policy made for adolescents.
///
/// This is decision support, not the LOCUS instrument: carematch stores no
/// instrument text. **Sites that license LOCUS (or CALOCUS) should load their
/// own policy** built from the licensed manual, with [`LevelPolicy::new`] or
/// from JSON.
///
/// # Example
///
/// ```
/// use carematch::{Assessment, LevelOfCare, LevelPolicy, Ratings};
///
/// let policy = LevelPolicy::default();
/// let a = Assessment::new(Ratings::try_from([2, 3, 2, 3, 2, 3, 2])?).with_age(34);
/// assert_eq!(policy.recommend(&a).level(), LevelOfCare::IntensiveOutpatient);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LevelPolicy {
    rules: LevelRules,
}

impl Default for LevelPolicy {
    /// carematch's default adult policy (see the type's docs).
    fn default() -> LevelPolicy {
        LevelPolicy {
            rules: LevelRules::default(),
        }
    }
}

impl LevelPolicy {
    /// Checks `rules` and makes a policy of them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the first problem: bands that leave a gap,
    /// overlap, do not run from 7 to 35, or fall in level as the composite
    /// rises; a floor repeated for the same dimension and rating; a rule
    /// without a source; an imminent-risk rule without an action; or
    /// `consider_within_points` above 28.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelPolicy, level::LevelRules};
    ///
    /// let mut rules = LevelRules::default();
    /// rules.bands[1].min = 18; // 17 is now in no band
    /// let err = LevelPolicy::new(rules).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid level policy: bands[1] starts at 18, leaving composite 17 in no band"
    /// );
    /// ```
    pub fn new(rules: LevelRules) -> Result<LevelPolicy, Error> {
        check(&rules).map_err(|reason| Error::config("level policy", reason))?;
        Ok(LevelPolicy { rules })
    }

    /// The rules.
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::LevelPolicy::default();
    /// assert_eq!(p.rules().bands.len(), 5);
    /// assert_eq!(p.rules().floors.len(), 6);
    /// ```
    pub fn rules(&self) -> &LevelRules {
        &self.rules
    }

    /// The rules, to edit and check again.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::LevelPolicy;
    /// let mut rules = LevelPolicy::default().into_rules();
    /// rules.consider_within_points = 2;
    /// assert!(LevelPolicy::new(rules).is_ok());
    /// ```
    pub fn into_rules(self) -> LevelRules {
        self.rules
    }

    /// The band holding `composite`, if any (every composite from 7 to 35 has one).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, LevelPolicy};
    /// let p = LevelPolicy::default();
    /// assert_eq!(p.band_for(20).map(|b| b.level), Some(LevelOfCare::PartialHospitalization));
    /// assert!(p.band_for(36).is_none());
    /// ```
    pub fn band_for(&self, composite: u8) -> Option<&Band> {
        self.rules.bands.iter().find(|b| b.contains(composite))
    }

    /// The withdrawal row for a rating of `risk` (the first row it reaches), if any.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, LevelPolicy, level::WithdrawalRisk};
    /// let p = LevelPolicy::default();
    /// assert_eq!(p.withdrawal_rule(WithdrawalRisk::Severe).and_then(|r| r.level), Some(LevelOfCare::Inpatient));
    /// assert!(p.withdrawal_rule(WithdrawalRisk::Mild).is_none());
    /// ```
    pub fn withdrawal_rule(&self, risk: WithdrawalRisk) -> Option<&WithdrawalRule> {
        WithdrawalRule::reached(&self.rules.withdrawal, risk)
    }

    /// The composites that map to `level`, lowest and highest, if any band has it.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, LevelPolicy};
    /// let p = LevelPolicy::default();
    /// assert_eq!(p.composite_range(LevelOfCare::Residential), Some((23, 27)));
    /// ```
    pub fn composite_range(&self, level: LevelOfCare) -> Option<(u8, u8)> {
        let mut with_level = self.rules.bands.iter().filter(|b| b.level == level);
        let first = with_level.next()?;
        let last = with_level.next_back().unwrap_or(first);
        Some((first.min, last.max))
    }
}

/// The first problem with `rules`, in words.
fn check(rules: &LevelRules) -> Result<(), String> {
    check_bands(&rules.bands)?;
    for (i, floor) in rules.floors.iter().enumerate() {
        need_source(&format!("floors[{i}]"), &floor.source)?;
        let first = rules
            .floors
            .iter()
            .position(|f| f.dimension == floor.dimension && f.min_rating == floor.min_rating);
        if let Some(j) = first.filter(|&j| j < i) {
            return Err(format!(
                "floors[{i}] repeats floors[{j}] ({} at {} or more)",
                floor.dimension, floor.min_rating
            ));
        }
    }
    if let Some(r) = &rules.imminent_risk {
        need_source("imminent_risk", &r.source)?;
        if r.action.trim().is_empty() {
            return Err("imminent_risk.action is empty: say what to do and whom to call".into());
        }
    }
    if let Some(r) = &rules.step_down {
        need_source("step_down", &r.source)?;
    }
    if let Some(r) = &rules.step_up {
        need_source("step_up", &r.source)?;
    }
    if let Some(r) = &rules.age {
        need_source("age", &r.source)?;
    }
    for (i, r) in rules.withdrawal.iter().enumerate() {
        need_source(&format!("withdrawal[{i}]"), &r.source)?;
        if r.action.trim().is_empty() {
            return Err(format!(
                "withdrawal[{i}].action is empty: say what to arrange"
            ));
        }
        if let Some(prev) = rules.withdrawal[..i].last()
            && prev.min_risk <= r.min_risk
        {
            return Err(format!(
                "withdrawal[{i}] ({}) is not below withdrawal[{}] ({}): list the rows most severe first",
                r.min_risk,
                i - 1,
                prev.min_risk
            ));
        }
    }
    let span = COMPOSITE_MAX - COMPOSITE_MIN;
    if rules.consider_within_points > span {
        return Err(format!(
            "consider_within_points is {}, above {span}, the widest composite distance",
            rules.consider_within_points
        ));
    }
    Ok(())
}

fn need_source(path: &str, source: &str) -> Result<(), String> {
    if source.trim().is_empty() {
        Err(format!("{path}.source is empty: every rule needs a source"))
    } else {
        Ok(())
    }
}

fn check_bands(bands: &[Band]) -> Result<(), String> {
    let mut next = COMPOSITE_MIN; // the lowest composite not yet covered
    let mut prev: Option<&Band> = None;
    for (i, b) in bands.iter().enumerate() {
        need_source(&format!("bands[{i}]"), &b.source)?;
        if b.min > b.max {
            return Err(format!(
                "bands[{i}] starts at {} after it ends at {}",
                b.min, b.max
            ));
        }
        if b.min > next {
            return Err(if next == COMPOSITE_MIN {
                format!(
                    "bands[{i}] starts at {}; the first band must start at {COMPOSITE_MIN}, the lowest composite",
                    b.min
                )
            } else if b.min == next + 1 {
                format!(
                    "bands[{i}] starts at {}, leaving composite {next} in no band",
                    b.min
                )
            } else {
                format!(
                    "bands[{i}] starts at {}, leaving composites {next}-{} in no band",
                    b.min,
                    b.min - 1
                )
            });
        }
        if b.min < next {
            return Err(match prev {
                Some(p) => format!(
                    "bands[{i}] starts at {}, overlapping bands[{}] ({}-{})",
                    b.min,
                    i - 1,
                    p.min,
                    p.max
                ),
                None => format!(
                    "bands[{i}] starts at {}, below {COMPOSITE_MIN}, the lowest composite",
                    b.min
                ),
            });
        }
        if let Some(p) = prev.filter(|p| b.level < p.level) {
            return Err(format!(
                "bands[{i}] ({}) is less intensive than bands[{}] ({}): levels must not fall as the composite rises",
                b.level,
                i - 1,
                p.level
            ));
        }
        if b.max > COMPOSITE_MAX {
            return Err(format!(
                "bands[{i}] ends at {}, above {COMPOSITE_MAX}, the highest composite",
                b.max
            ));
        }
        next = b.max.saturating_add(1);
        prev = Some(b);
    }
    if next <= COMPOSITE_MAX {
        return Err(if bands.is_empty() {
            format!("bands is empty: composites {COMPOSITE_MIN}-{COMPOSITE_MAX} need a band")
        } else {
            format!(
                "the last band ends at {}; bands must run to {COMPOSITE_MAX}, the highest composite",
                next - 1
            )
        });
    }
    Ok(())
}

#[cfg(feature = "serde")]
impl serde::Serialize for LevelPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rules.serialize(s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for LevelPolicy {
    /// Reads [`LevelRules`] and checks them with [`LevelPolicy::new`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LevelPolicy, D::Error> {
        let rules = LevelRules::deserialize(d)?;
        LevelPolicy::new(rules).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error for the default rules after `edit`, or "accepted".
    fn err(edit: fn(&mut LevelRules)) -> String {
        let mut rules = LevelRules::default();
        edit(&mut rules);
        match LevelPolicy::new(rules) {
            Ok(_) => "accepted".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_default_rules_pass_their_own_check() {
        assert_eq!(
            LevelPolicy::new(LevelRules::default()),
            Ok(LevelPolicy::default())
        );
        assert_eq!(err(|_| {}), "accepted");
    }

    #[test]
    fn every_problem_is_named() {
        type Edit = fn(&mut LevelRules);
        let cases: [(Edit, &str); 16] = [
            (
                |r| r.bands[2].min = 19,
                "bands[2] starts at 19, overlapping bands[1] (17-19)",
            ),
            (
                |r| (r.bands[2].min, r.bands[2].max) = (23, 23),
                "bands[2] starts at 23, leaving composites 20-22 in no band",
            ),
            (
                |r| r.bands[0].min = 8,
                "bands[0] starts at 8; the first band must start at 7, the lowest composite",
            ),
            (
                |r| r.bands[0].min = 6,
                "bands[0] starts at 6, below 7, the lowest composite",
            ),
            (
                |r| r.bands[4].max = 34,
                "the last band ends at 34; bands must run to 35, the highest composite",
            ),
            (
                |r| r.bands[4].max = 36,
                "bands[4] ends at 36, above 35, the highest composite",
            ),
            (
                |r| r.bands[3].min = 28,
                "bands[3] starts at 28 after it ends at 27",
            ),
            (
                |r| r.bands.swap(3, 4),
                "bands[3] starts at 28, leaving composites 23-27 in no band",
            ),
            (
                |r| r.bands[3].level = LevelOfCare::Outpatient,
                "bands[3] (outpatient) is less intensive than bands[2] (partial hospitalization): levels must not fall as the composite rises",
            ),
            (
                |r| r.bands.clear(),
                "bands is empty: composites 7-35 need a band",
            ),
            (
                |r| r.floors.push(r.floors[0].clone()),
                "floors[6] repeats floors[0] (risk of harm at 4 or more)",
            ),
            (
                |r| r.floors[1].source = " ".into(),
                "floors[1].source is empty: every rule needs a source",
            ),
            (
                |r| r.bands[0].source.clear(),
                "bands[0].source is empty: every rule needs a source",
            ),
            (
                |r| r.step_down.iter_mut().for_each(|s| s.source.clear()),
                "step_down.source is empty: every rule needs a source",
            ),
            (
                |r| r.imminent_risk.iter_mut().for_each(|s| s.action.clear()),
                "imminent_risk.action is empty: say what to do and whom to call",
            ),
            (
                |r| r.consider_within_points = 29,
                "consider_within_points is 29, above 28, the widest composite distance",
            ),
        ];
        for (edit, reason) in cases {
            assert_eq!(err(edit), format!("invalid level policy: {reason}"));
        }
    }

    #[test]
    fn ranges_per_level() {
        let p = LevelPolicy::default();
        assert_eq!(p.composite_range(LevelOfCare::Outpatient), Some((7, 16)));
        assert_eq!(p.composite_range(LevelOfCare::Inpatient), Some((28, 35)));
        let mut r = LevelRules::default();
        r.bands[1].level = LevelOfCare::Outpatient;
        let p = LevelPolicy::new(r).expect("valid");
        assert_eq!(p.composite_range(LevelOfCare::Outpatient), Some((7, 19)));
        assert_eq!(p.composite_range(LevelOfCare::IntensiveOutpatient), None);
    }
}
