//! The input of a level-of-care recommendation: seven ratings and some context.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ValidationReport};
use crate::terms::terms;

terms! {
    /// One of the seven rated dimensions of an assessment.
    ///
    /// The seven follow the dimensions of the LOCUS family of instruments (six
    /// dimensions, the fourth split into stress and support). Only the names
    /// and our own short descriptions are here; no instrument's rating
    /// anchors are stored (see the licensing note in the [`Assessment`] docs).
    /// In every dimension, 1 is the least concern and 5 the most.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Dimension;
    ///
    /// assert_eq!(Dimension::ALL.len(), 7);
    /// assert_eq!("support".parse::<Dimension>()?, Dimension::Support);
    /// assert_eq!(Dimension::RiskOfHarm.key(), "risk_of_harm");
    /// assert_eq!(Dimension::RiskOfHarm.to_string(), "risk of harm");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Dimension: "dimension" {
        /// How likely the person is to hurt themselves or someone else, now
        /// and in the near future, judged from thoughts, intent, plans, past
        /// acts and their ability to keep themselves safe.
        RiskOfHarm = "risk_of_harm", "risk of harm";
        /// How well the person manages daily life: self-care, work or school,
        /// relationships, and the basics of living on their own.
        FunctionalStatus = "functional_status", "functional status";
        /// How much other medical illness, substance use or further
        /// psychiatric conditions complicate the picture and the care needed.
        Comorbidity = "comorbidity", "medical, addictive and psychiatric co-morbidity";
        /// How much strain the person's surroundings put on them: conflict,
        /// loss, danger, housing or money trouble.
        Stress = "stress", "recovery environment: stress";
        /// How little help the surroundings give: higher means fewer people
        /// and services able to support recovery (1 is strong support).
        Support = "support", "recovery environment: support";
        /// How the person has responded to care before: higher means past
        /// treatment helped less, or there is little history to go on.
        TreatmentHistory = "treatment_history", "treatment and recovery history";
        /// How far the person understands their condition and takes part in
        /// care: higher means less engaged.
        Engagement = "engagement", "engagement and recovery status";
    }
}

/// A rating from 1 (least concern) to 5 (most concern).
///
/// Read from and written to JSON as a bare number.
///
/// # Example
///
/// ```
/// use carematch::Rating;
///
/// let r = Rating::new(4)?;
/// assert_eq!(r.get(), 4);
/// assert_eq!(r.to_string(), "4");
/// assert_eq!("2".parse::<Rating>()?, Rating::new(2)?);
/// assert!(Rating::new(0).is_err());
/// assert_eq!(Rating::new(6).unwrap_err().to_string(), "invalid rating `6`: must be from 1 to 5");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    /// The lowest rating, 1: the least concern.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Rating::MIN.get(), 1);
    /// ```
    pub const MIN: Rating = Rating(1);

    /// The highest rating, 5: the most concern.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Rating::MAX.get(), 5);
    /// ```
    pub const MAX: Rating = Rating(5);

    /// Every rating, 1 to 5, in order.
    ///
    /// # Example
    ///
    /// ```
    /// let all: Vec<u8> = carematch::Rating::ALL.iter().map(|r| r.get()).collect();
    /// assert_eq!(all, [1, 2, 3, 4, 5]);
    /// ```
    pub const ALL: [Rating; 5] = [Rating(1), Rating(2), Rating(3), Rating(4), Rating(5)];

    /// A rating, if `value` is from 1 to 5.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a value outside 1-5.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::Rating::new(3).is_ok());
    /// assert!(carematch::Rating::new(9).is_err());
    /// ```
    pub fn new(value: u8) -> Result<Rating, Error> {
        Rating::from_number(i128::from(value))
    }

    /// The rating as a number from 1 to 5.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Rating::MAX.get(), 5);
    /// ```
    pub const fn get(self) -> u8 {
        self.0
    }

    /// The next rating up, if any.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Rating;
    /// assert_eq!(Rating::MIN.higher().map(Rating::get), Some(2));
    /// assert_eq!(Rating::MAX.higher(), None);
    /// ```
    pub fn higher(self) -> Option<Rating> {
        Rating::ALL.get(usize::from(self.0)).copied()
    }

    fn from_number(value: i128) -> Result<Rating, Error> {
        match u8::try_from(value) {
            Ok(v @ 1..=5) => Ok(Rating(v)),
            _ => Err(Error::parse(
                "rating",
                &value.to_string(),
                "must be from 1 to 5",
            )),
        }
    }
}

impl TryFrom<u8> for Rating {
    type Error = Error;

    fn try_from(value: u8) -> Result<Rating, Error> {
        Rating::new(value)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

impl FromStr for Rating {
    type Err = Error;

    fn from_str(s: &str) -> Result<Rating, Error> {
        s.trim()
            .parse::<i128>()
            .map_err(|_| Error::parse("rating", s, "must be a whole number from 1 to 5"))
            .and_then(Rating::from_number)
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Rating {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Rating {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Rating;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rating, a whole number from 1 to 5")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Rating, E> {
                Rating::from_number(i128::from(v)).map_err(|e| E::custom(e.reason()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Rating, E> {
                Rating::from_number(i128::from(v)).map_err(|e| E::custom(e.reason()))
            }
        }
        d.deserialize_u8(V)
    }
}

/// The seven ratings of an assessment, one per [`Dimension`].
///
/// In JSON every one of the seven is required, and no other field is allowed:
///
/// ```json
/// {"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2, "stress": 3,
///  "support": 2, "treatment_history": 3, "engagement": 2}
/// ```
///
/// # Example
///
/// ```
/// use carematch::{Dimension, Rating, Ratings};
///
/// let r = Ratings::try_from([2, 3, 2, 3, 2, 3, 2])?;
/// assert_eq!(r.composite(), 17);
/// assert_eq!(r.rating(Dimension::Support).get(), 2);
/// let worse = r.with_rating(Dimension::RiskOfHarm, Rating::new(4)?);
/// assert_eq!(worse.composite(), 19);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Ratings {
    /// See [`Dimension::RiskOfHarm`].
    pub risk_of_harm: Rating,
    /// See [`Dimension::FunctionalStatus`].
    pub functional_status: Rating,
    /// See [`Dimension::Comorbidity`].
    pub comorbidity: Rating,
    /// See [`Dimension::Stress`].
    pub stress: Rating,
    /// See [`Dimension::Support`].
    pub support: Rating,
    /// See [`Dimension::TreatmentHistory`].
    pub treatment_history: Rating,
    /// See [`Dimension::Engagement`].
    pub engagement: Rating,
}

impl Ratings {
    /// Every dimension rated `r`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Rating, Ratings};
    /// assert_eq!(Ratings::uniform(Rating::MIN).composite(), 7);
    /// assert_eq!(Ratings::uniform(Rating::MAX).composite(), 35);
    /// ```
    pub const fn uniform(r: Rating) -> Ratings {
        Ratings {
            risk_of_harm: r,
            functional_status: r,
            comorbidity: r,
            stress: r,
            support: r,
            treatment_history: r,
            engagement: r,
        }
    }

    /// The ratings in [`Dimension::ALL`] order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Rating, Ratings};
    /// let all = Ratings::from_array([Rating::MAX; 7]);
    /// assert_eq!(all, Ratings::uniform(Rating::MAX));
    /// ```
    pub const fn from_array(r: [Rating; 7]) -> Ratings {
        Ratings {
            risk_of_harm: r[0],
            functional_status: r[1],
            comorbidity: r[2],
            stress: r[3],
            support: r[4],
            treatment_history: r[5],
            engagement: r[6],
        }
    }

    /// The ratings as an array in [`Dimension::ALL`] order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Ratings;
    /// let r = Ratings::try_from([1, 2, 3, 4, 5, 1, 2])?;
    /// assert_eq!(r.to_array().map(|x| x.get()), [1, 2, 3, 4, 5, 1, 2]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub const fn to_array(&self) -> [Rating; 7] {
        [
            self.risk_of_harm,
            self.functional_status,
            self.comorbidity,
            self.stress,
            self.support,
            self.treatment_history,
            self.engagement,
        ]
    }

    /// The rating of one dimension.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Dimension, Ratings};
    /// let r = Ratings::try_from([5, 1, 1, 1, 1, 1, 1])?;
    /// assert_eq!(r.rating(Dimension::RiskOfHarm).get(), 5);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub const fn rating(&self, d: Dimension) -> Rating {
        match d {
            Dimension::RiskOfHarm => self.risk_of_harm,
            Dimension::FunctionalStatus => self.functional_status,
            Dimension::Comorbidity => self.comorbidity,
            Dimension::Stress => self.stress,
            Dimension::Support => self.support,
            Dimension::TreatmentHistory => self.treatment_history,
            Dimension::Engagement => self.engagement,
        }
    }

    /// Sets the rating of one dimension.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Dimension, Rating, Ratings};
    /// let mut r = Ratings::uniform(Rating::MIN);
    /// r.set(Dimension::Stress, Rating::MAX);
    /// assert_eq!(r.composite(), 11);
    /// ```
    pub fn set(&mut self, d: Dimension, r: Rating) {
        let slot = match d {
            Dimension::RiskOfHarm => &mut self.risk_of_harm,
            Dimension::FunctionalStatus => &mut self.functional_status,
            Dimension::Comorbidity => &mut self.comorbidity,
            Dimension::Stress => &mut self.stress,
            Dimension::Support => &mut self.support,
            Dimension::TreatmentHistory => &mut self.treatment_history,
            Dimension::Engagement => &mut self.engagement,
        };
        *slot = r;
    }

    /// The same ratings with one dimension changed.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Dimension, Rating, Ratings};
    /// let r = Ratings::uniform(Rating::MIN).with_rating(Dimension::Support, Rating::MAX);
    /// assert_eq!(r.support, Rating::MAX);
    /// ```
    #[must_use]
    pub fn with_rating(mut self, d: Dimension, r: Rating) -> Ratings {
        self.set(d, r);
        self
    }

    /// Each dimension with its rating, in [`Dimension::ALL`] order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Dimension, Rating, Ratings};
    /// let r = Ratings::uniform(Rating::MIN);
    /// assert_eq!(r.iter().next(), Some((Dimension::RiskOfHarm, Rating::MIN)));
    /// assert_eq!(r.iter().count(), 7);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Dimension, Rating)> + '_ {
        Dimension::ALL.iter().map(|&d| (d, self.rating(d)))
    }

    /// The composite: the sum of the seven ratings, from 7 to 35.
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::Ratings::try_from([2, 3, 2, 3, 2, 3, 2])?;
    /// assert_eq!(r.composite(), 17);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub const fn composite(&self) -> u8 {
        self.risk_of_harm.0
            + self.functional_status.0
            + self.comorbidity.0
            + self.stress.0
            + self.support.0
            + self.treatment_history.0
            + self.engagement.0
    }
}

impl TryFrom<[u8; 7]> for Ratings {
    type Error = Error;

    /// Ratings from seven numbers in [`Dimension::ALL`] order.
    fn try_from(values: [u8; 7]) -> Result<Ratings, Error> {
        let mut out = [Rating::MIN; 7];
        for (slot, v) in out.iter_mut().zip(values) {
            *slot = Rating::new(v)?;
        }
        Ok(Ratings::from_array(out))
    }
}

impl fmt::Display for Ratings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (d, r)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{d} {r}")?;
        }
        Ok(())
    }
}

terms! {
    /// The clinician's rating of the risk of severe or complicated
    /// withdrawal, as withdrawal-management guidelines ask for it (ASAM
    /// Clinical Practice Guideline on Alcohol Withdrawal Management, 2020:
    /// the setting follows the risk of severe or complicated withdrawal, with
    /// a validated scale such as CIWA-Ar or COWS as one input). carematch
    /// stores the four steps only, no instrument.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::level::WithdrawalRisk;
    /// assert!(WithdrawalRisk::Severe > WithdrawalRisk::Moderate);
    /// assert_eq!("moderate".parse::<WithdrawalRisk>()?, WithdrawalRisk::Moderate);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum WithdrawalRisk: "withdrawal risk" {
        /// No withdrawal expected.
        None = "none", "none";
        /// Mild: withdrawal management where the patient is, if any.
        Mild = "mild", "mild";
        /// Moderate: withdrawal management needed, by the program or coordinated by it.
        Moderate = "moderate", "moderate";
        /// Severe or complicated (seizures, delirium): medically managed, inpatient.
        Severe = "severe", "severe";
    }
}

/// What a level-of-care recommendation starts from: seven ratings and context.
///
/// The ratings are numbers entered by a trained rater; carematch stores no
/// instrument's wording. LOCUS and CALOCUS are copyrighted by the American
/// Association of Community Psychiatrists, and their manual forbids storing
/// the instrument electronically, so only the numeric ratings and our own
/// descriptions of each [`Dimension`] are kept.
///
/// In JSON (the context fields are optional; unknown fields are errors):
///
/// ```json
/// {"ratings": {"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2, "stress": 3,
///              "support": 2, "treatment_history": 3, "engagement": 2},
///  "age": 34, "days_since_inpatient_discharge": 10, "outpatient_not_improving": false,
///  "co_occurring_substance_use": false}
/// ```
///
/// # Example
///
/// ```
/// use carematch::{Assessment, Ratings};
///
/// let a = Assessment::new(Ratings::try_from([2, 3, 2, 3, 2, 3, 2])?)
///     .with_age(34)
///     .with_days_since_inpatient_discharge(10);
/// assert_eq!(a.ratings.composite(), 17);
/// assert!(a.validate().is_clean());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        deny_unknown_fields,
        expecting = "an assessment as a JSON object with the field ratings (and any of age, days_since_inpatient_discharge, outpatient_not_improving, co_occurring_substance_use)"
    )
)]
pub struct Assessment {
    /// The seven ratings.
    pub ratings: Ratings,
    /// Age in whole years, if known.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::serde_impl::numbers::age_opt")
    )]
    pub age: Option<u8>,
    /// Days since discharge from inpatient care, if the patient was discharged.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::serde_impl::numbers::discharge_days_opt"
        )
    )]
    pub days_since_inpatient_discharge: Option<u16>,
    /// In weekly outpatient therapy now and not improving.
    #[cfg_attr(feature = "serde", serde(default))]
    pub outpatient_not_improving: bool,
    /// Substance use co-occurs with the mental-health condition.
    #[cfg_attr(feature = "serde", serde(default))]
    pub co_occurring_substance_use: bool,
    /// The risk of severe or complicated withdrawal, when rated; the level
    /// policy's withdrawal rows read it ([`LevelRules::withdrawal`](crate::level::LevelRules::withdrawal)).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub withdrawal_risk: Option<WithdrawalRisk>,
}

impl Assessment {
    /// An assessment with these ratings and no context (age unknown, no
    /// recent discharge, not in outpatient therapy, no substance use).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings};
    /// let a = Assessment::new(Ratings::uniform(Rating::MIN));
    /// assert_eq!(a.age, None);
    /// ```
    pub const fn new(ratings: Ratings) -> Assessment {
        Assessment {
            ratings,
            age: None,
            days_since_inpatient_discharge: None,
            outpatient_not_improving: false,
            co_occurring_substance_use: false,
            withdrawal_risk: None,
        }
    }

    /// The same assessment with an age in years.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings};
    /// assert_eq!(Assessment::new(Ratings::uniform(Rating::MIN)).with_age(16).age, Some(16));
    /// ```
    #[must_use]
    pub const fn with_age(mut self, years: u8) -> Assessment {
        self.age = Some(years);
        self
    }

    /// The same assessment with a discharge from inpatient care `days` ago.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings};
    /// let a = Assessment::new(Ratings::uniform(Rating::MIN)).with_days_since_inpatient_discharge(3);
    /// assert_eq!(a.days_since_inpatient_discharge, Some(3));
    /// ```
    #[must_use]
    pub const fn with_days_since_inpatient_discharge(mut self, days: u16) -> Assessment {
        self.days_since_inpatient_discharge = Some(days);
        self
    }

    /// The same assessment, marked as in weekly outpatient therapy and not improving.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings};
    /// assert!(Assessment::new(Ratings::uniform(Rating::MIN)).with_outpatient_not_improving().outpatient_not_improving);
    /// ```
    #[must_use]
    pub const fn with_outpatient_not_improving(mut self) -> Assessment {
        self.outpatient_not_improving = true;
        self
    }

    /// The same assessment, marked as having co-occurring substance use.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings};
    /// assert!(Assessment::new(Ratings::uniform(Rating::MIN)).with_co_occurring_substance_use().co_occurring_substance_use);
    /// ```
    #[must_use]
    pub const fn with_co_occurring_substance_use(mut self) -> Assessment {
        self.co_occurring_substance_use = true;
        self
    }

    /// The same assessment with a withdrawal-risk rating.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings, level::WithdrawalRisk};
    /// let a = Assessment::new(Ratings::uniform(Rating::MIN)).with_withdrawal_risk(WithdrawalRisk::Severe);
    /// assert_eq!(a.withdrawal_risk, Some(WithdrawalRisk::Severe));
    /// ```
    #[must_use]
    pub const fn with_withdrawal_risk(mut self, risk: WithdrawalRisk) -> Assessment {
        self.withdrawal_risk = Some(risk);
        self
    }

    /// Every problem with the context, each with its field path. The ratings
    /// are valid by construction.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Assessment, Rating, Ratings};
    /// let r = Assessment::new(Ratings::uniform(Rating::MIN)).with_age(130).validate();
    /// assert_eq!(r.errors().next().map(|p| p.path.as_str()), Some("age"));
    /// ```
    pub fn validate(&self) -> ValidationReport {
        let mut r = ValidationReport::default();
        if let Some(age) = self.age.filter(|&a| a > 120) {
            r.error("age", format!("{age} is above 120"));
        }
        r
    }
}
