//! Priority tiers for a queue of referrals, from documented rules held as data.

use std::fmt;

use crate::{diagnosis::Pregnancy, error::Error, level::Rating};

use super::Referral;

const SOURCE_IMMINENT: &str = "carematch safety rule: a risk-of-harm rating of 5 calls for a \
     crisis evaluation before any placement (see the level policy's imminent-risk rule); such a \
     referral is held until a clinician's record releases it, and then placed before every other";
const SOURCE_ELEVATED: &str = "carematch default after common crisis-care practice: a \
     risk-of-harm rating of 4 warrants a safety plan and an early start of treatment";
const SOURCE_DISCHARGE_7: &str = "the HEDIS follow-up-after-hospitalization measure counts a \
     visit within 7 days of an inpatient discharge; the first week after discharge is when risk \
     is highest (carematch default, not a payer rule)";
const SOURCE_DISCHARGE_30: &str = "the HEDIS follow-up-after-hospitalization measure's 30-day \
     window, and carematch's 30-day step-down rule (carematch default)";
const SOURCE_PREGNANT_SUD: &str = "45 CFR 96.131: programs funded by the federal substance use \
     block grant give pregnant women preference in admission; untreated opioid use disorder in \
     pregnancy harms mother and child, and MOUD is the recommended treatment (ACOG Committee \
     Opinion 711; SAMHSA, Clinical Guidance for Treating Pregnant and Parenting Women With Opioid \
     Use Disorder, 2018)";
const SOURCE_WAITING: &str = "carematch default: a referral that has already waited 14 days or \
     more moves ahead of new referrals of the same clinical urgency, so no one waits \
     indefinitely";

/// A priority tier: 1 is placed first; larger numbers after.
///
/// # Example
///
/// ```
/// use carematch::assign::Tier;
/// assert!(Tier::new(1)? < Tier::new(2)?);
/// assert_eq!(Tier::new(2)?.to_string(), "tier 2");
/// assert!(Tier::new(0).is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Tier(u8);

impl Tier {
    /// The most urgent tier, 1.
    pub const FIRST: Tier = Tier(1);

    /// Tier `n`, from 1 (first) to 9.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) when `n` is 0 or over 9.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::assign::Tier::new(3)?.get(), 3);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(n: u8) -> Result<Tier, Error> {
        if (1..=9).contains(&n) {
            Ok(Tier(n))
        } else {
            Err(Error::parse(
                "priority tier",
                &n.to_string(),
                "must be from 1 to 9",
            ))
        }
    }

    /// The tier's number.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::assign::Tier::FIRST.get(), 1);
    /// ```
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tier {}", self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Tier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tier, D::Error> {
        let n = <u8 as serde::Deserialize>::deserialize(d)?;
        Tier::new(n).map_err(serde::de::Error::custom)
    }
}

/// What a priority rule looks at, in a referral's own facts.
///
/// In JSON: `{"risk_of_harm_at_least": 5}`, `{"discharged_within_days": 7}`,
/// `{"waiting_at_least_days": 14}`, `"pregnant_or_postpartum"`,
/// `"pregnant_with_substance_use"`.
///
/// # Example
///
/// ```
/// use carematch::assign::PriorityCondition;
/// let c = PriorityCondition::DischargedWithinDays(7);
/// assert_eq!(c.to_string(), "discharged from inpatient care within 7 days");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PriorityCondition {
    /// The referral's risk-of-harm rating is at least this.
    RiskOfHarmAtLeast(Rating),
    /// Discharged from inpatient care at most this many days ago (the
    /// needs' `days_since_inpatient_discharge`).
    DischargedWithinDays(u16),
    /// The referral has waited at least this many days already.
    WaitingAtLeastDays(u16),
    /// Pregnant, or within 12 months postpartum
    /// ([`PatientNeeds::pregnancy_status`](crate::PatientNeeds::pregnancy_status):
    /// stated, or read from a pregnancy code).
    PregnantOrPostpartum,
    /// Pregnant now, with a substance use disorder (nicotine aside).
    PregnantWithSubstanceUse,
}

impl PriorityCondition {
    /// Whether `referral` meets the condition.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{PriorityCondition, Referral, ReferralId};
    /// use carematch::{LevelOfCare, PatientNeeds, Payer};
    /// let mut r = Referral::new(ReferralId::new("R-1")?, PatientNeeds::new(30, Payer::Medicare), LevelOfCare::IntensiveOutpatient);
    /// r.waiting_days = 20;
    /// assert!(PriorityCondition::WaitingAtLeastDays(14).holds(&r));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn holds(&self, referral: &Referral) -> bool {
        match *self {
            PriorityCondition::RiskOfHarmAtLeast(min) => {
                referral.risk_in_force().is_some_and(|r| r >= min)
            }
            PriorityCondition::PregnantOrPostpartum => referral.needs.pregnancy_status().is_some(),
            PriorityCondition::PregnantWithSubstanceUse => {
                referral.needs.pregnancy_status() == Some(Pregnancy::Pregnant)
                    && referral.needs.has_substance_use()
            }
            PriorityCondition::DischargedWithinDays(days) => referral
                .needs
                .days_since_inpatient_discharge
                .is_some_and(|d| d <= days),
            PriorityCondition::WaitingAtLeastDays(days) => referral.waiting_days >= days,
        }
    }
}

impl fmt::Display for PriorityCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriorityCondition::RiskOfHarmAtLeast(r) => {
                write!(f, "risk of harm rated {} or more", r.get())
            }
            PriorityCondition::DischargedWithinDays(d) => {
                write!(f, "discharged from inpatient care within {d} days")
            }
            PriorityCondition::WaitingAtLeastDays(d) => write!(f, "waiting {d} days or more"),
            PriorityCondition::PregnantOrPostpartum => {
                f.write_str("pregnant or within 12 months postpartum")
            }
            PriorityCondition::PregnantWithSubstanceUse => {
                f.write_str("pregnant, with a substance use disorder")
            }
        }
    }
}

/// One priority rule: when its condition holds, the referral is in its tier
/// (or a more urgent one another rule gives).
///
/// # Example
///
/// ```
/// use carematch::assign::{PriorityCondition, PriorityRule, Tier};
/// let r = PriorityRule::new("recent discharge", PriorityCondition::DischargedWithinDays(7), Tier::FIRST, "site protocol");
/// assert_eq!(r.to_string(), "recent discharge (discharged from inpatient care within 7 days): tier 1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PriorityRule {
    /// A short name, reported when the rule fires.
    pub name: String,
    /// What it looks at.
    pub when: PriorityCondition,
    /// The tier it gives.
    pub tier: Tier,
    /// Where the rule comes from, in plain words.
    pub source: String,
}

impl PriorityRule {
    /// A rule.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{PriorityCondition, PriorityRule, Tier};
    /// let r = PriorityRule::new("long wait", PriorityCondition::WaitingAtLeastDays(30), Tier::new(2)?, "site protocol");
    /// assert_eq!(r.tier.get(), 2);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        when: PriorityCondition,
        tier: Tier,
        source: impl Into<String>,
    ) -> PriorityRule {
        PriorityRule {
            name: name.into(),
            when,
            tier,
            source: source.into(),
        }
    }
}

impl fmt::Display for PriorityRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.name, self.when, self.tier)
    }
}

/// How a queue of referrals is put in priority tiers: rules as data, which a
/// site can replace (in code or from JSON), and the tier of a referral no
/// rule fires for.
///
/// A referral's tier is the most urgent tier among the rules that fire for
/// it, else `default_tier`; every rule that fired is reported with it
/// ([`Priority`]).
///
/// carematch's default rules ([`PriorityPolicy::default`]), each with its
/// source in the rule:
///
/// - tier 1: **imminent risk** (risk of harm rated 5);
/// - tier 2: **elevated risk** (risk of harm rated 4), **pregnant with a
///   substance use disorder** (45 CFR 96.131's admission preference), or
///   **discharged from inpatient care within 7 days**;
/// - tier 3: discharged within 30 days, or **waiting 14 days or more**;
/// - tier 4: everyone else.
///
/// In JSON:
///
/// ```json
/// {"name": "our site", "default_tier": 3,
///  "rules": [{"name": "imminent risk", "when": {"risk_of_harm_at_least": 5}, "tier": 1, "source": "..."}]}
/// ```
///
/// # Example
///
/// ```
/// use carematch::assign::{PriorityPolicy, Referral, ReferralId};
/// use carematch::{LevelOfCare, PatientNeeds, Payer};
///
/// let mut needs = PatientNeeds::new(30, Payer::Medicare);
/// needs.days_since_inpatient_discharge = Some(3);
/// let r = Referral::new(ReferralId::new("R-1")?, needs, LevelOfCare::IntensiveOutpatient);
/// let p = PriorityPolicy::default().priority(&r);
/// assert_eq!(p.tier.get(), 2);
/// assert_eq!(p.fired[0].name, "discharged within 7 days");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PriorityPolicy {
    /// A name for the policy.
    pub name: String,
    /// The rules, in the order they are reported.
    pub rules: Vec<PriorityRule>,
    /// The tier of a referral no rule fires for.
    pub default_tier: Tier,
    /// Whether a referral may be placed at a program that offers no
    /// first-line therapy for its primary condition (where the evidence
    /// table lists any). `false` by default: such a program is no place
    /// for it, and the referral waits for one that is; a site that allows
    /// it gets the placement marked as a poor clinical fit.
    #[cfg_attr(feature = "serde", serde(default))]
    pub allow_poor_clinical_fit: bool,
}

impl Default for PriorityPolicy {
    /// carematch's default rules; see [`PriorityPolicy`].
    fn default() -> PriorityPolicy {
        let tier = Tier;
        let risk = |n: usize| Rating::ALL[n - 1];
        PriorityPolicy {
            name: "carematch default".to_owned(),
            rules: vec![
                PriorityRule::new(
                    "imminent risk",
                    PriorityCondition::RiskOfHarmAtLeast(risk(5)),
                    tier(1),
                    SOURCE_IMMINENT,
                ),
                PriorityRule::new(
                    "elevated risk",
                    PriorityCondition::RiskOfHarmAtLeast(risk(4)),
                    tier(2),
                    SOURCE_ELEVATED,
                ),
                PriorityRule::new(
                    "pregnant with a substance use disorder",
                    PriorityCondition::PregnantWithSubstanceUse,
                    tier(2),
                    SOURCE_PREGNANT_SUD,
                ),
                PriorityRule::new(
                    "discharged within 7 days",
                    PriorityCondition::DischargedWithinDays(7),
                    tier(2),
                    SOURCE_DISCHARGE_7,
                ),
                PriorityRule::new(
                    "discharged within 30 days",
                    PriorityCondition::DischargedWithinDays(30),
                    tier(3),
                    SOURCE_DISCHARGE_30,
                ),
                PriorityRule::new(
                    "waiting 14 days or more",
                    PriorityCondition::WaitingAtLeastDays(14),
                    tier(3),
                    SOURCE_WAITING,
                ),
            ],
            default_tier: tier(4),
            allow_poor_clinical_fit: false,
        }
    }
}

impl PriorityPolicy {
    /// Checks a policy: every rule needs a name and a source.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the first rule without a name or source.
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::assign::PriorityPolicy::default();
    /// assert!(p.check().is_ok());
    /// p.rules[0].source.clear();
    /// assert!(p.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        for (i, r) in self.rules.iter().enumerate() {
            if r.name.trim().is_empty() {
                return Err(Error::config(
                    "priority policy",
                    format!("rules[{i}].name is empty"),
                ));
            }
            if r.source.trim().is_empty() {
                return Err(Error::config(
                    "priority policy",
                    format!("rules[{i}].source is empty: say where the rule comes from"),
                ));
            }
        }
        Ok(())
    }

    /// The tier of `referral` and the rules that fired, in rule order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::assign::{PriorityPolicy, Referral, ReferralId};
    /// use carematch::{LevelOfCare, PatientNeeds, Payer};
    /// let r = Referral::new(ReferralId::new("R-9")?, PatientNeeds::new(40, Payer::Medicare), LevelOfCare::IntensiveOutpatient);
    /// let p = PriorityPolicy::default().priority(&r);
    /// assert_eq!((p.tier.get(), p.fired.len()), (4, 0));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn priority(&self, referral: &Referral) -> Priority {
        let fired: Vec<FiredRule> = self
            .rules
            .iter()
            .filter(|r| r.when.holds(referral))
            .map(|r| FiredRule {
                name: r.name.clone(),
                tier: r.tier,
                source: r.source.clone(),
            })
            .collect();
        let tier = fired
            .iter()
            .map(|r| r.tier)
            .min()
            .unwrap_or(self.default_tier)
            .min(self.default_tier);
        Priority { tier, fired }
    }
}

/// A referral's priority: its tier and the rules behind it.
///
/// # Example
///
/// ```
/// use carematch::assign::{PriorityPolicy, Referral, ReferralId};
/// use carematch::{LevelOfCare, PatientNeeds, Payer};
/// let r = Referral::new(ReferralId::new("R-2")?, PatientNeeds::new(40, Payer::Medicare), LevelOfCare::IntensiveOutpatient);
/// assert_eq!(PriorityPolicy::default().priority(&r).to_string(), "tier 4 (no priority rule fired)");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Priority {
    /// The tier.
    pub tier: Tier,
    /// Every rule that fired, in the policy's order.
    pub fired: Vec<FiredRule>,
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.tier)?;
        if self.fired.is_empty() {
            return write!(f, " (no priority rule fired)");
        }
        let names: Vec<&str> = self.fired.iter().map(|r| r.name.as_str()).collect();
        write!(f, " ({})", names.join("; "))
    }
}

/// A priority rule that fired for a referral.
///
/// # Example
///
/// ```
/// use carematch::assign::{PriorityPolicy, Referral, ReferralId};
/// use carematch::{LevelOfCare, PatientNeeds, Payer};
/// let mut r = Referral::new(ReferralId::new("R-3")?, PatientNeeds::new(40, Payer::Medicare), LevelOfCare::IntensiveOutpatient);
/// r.waiting_days = 15;
/// let p = PriorityPolicy::default().priority(&r);
/// assert!(p.fired[0].source.contains("waited"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FiredRule {
    /// The rule's name.
    pub name: String,
    /// The tier it gives.
    pub tier: Tier,
    /// Where it comes from.
    pub source: String,
}
