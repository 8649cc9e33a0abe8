//! Levels of care, from weekly outpatient therapy to inpatient hospital care,
//! and the recommendation of one from an assessment.
//!
//! The five levels follow the usual continuum (and the LOCUS and ASAM level
//! families it is built from): outpatient (ASAM 1: under 9 hours a week for
//! adults, under 6 for adolescents), intensive outpatient (ASAM 2.1: 9 to 19
//! hours a week for adults, 6 to 19 for adolescents), partial hospitalization
//! (ASAM 2.5: 20 hours or more a week), residential, and inpatient.
//!
//! An [`Assessment`] (seven ratings and context) goes through a
//! [`LevelPolicy`] (bands, floors and context rules, as data) to a
//! [`LevelRecommendation`] that names every rule that fired and its source.

mod assessment;
mod policy;
mod recommendation;
mod suggestion;

pub use self::assessment::{Assessment, Dimension, Rating, Ratings, WithdrawalRisk};
pub use self::policy::{
    AgeRule, Band, Floor, ImminentRiskRule, LevelPolicy, LevelRules, StepDown, StepUp,
    WithdrawalRule,
};
pub use self::recommendation::{
    Alternative, AlternativeReason, Effect, FiredRule, Flag, LevelRecommendation, Override,
    OverrideReason, Rule,
};
pub use self::suggestion::{Suggested, Suggestion};

use crate::terms::terms;

terms! {
    /// A level of care, ordered from least to most intensive.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::LevelOfCare;
    ///
    /// assert!(LevelOfCare::Outpatient < LevelOfCare::IntensiveOutpatient);
    /// assert!(LevelOfCare::PartialHospitalization < LevelOfCare::Inpatient);
    /// let iop: LevelOfCare = "intensive_outpatient".parse()?;
    /// assert_eq!(iop.to_string(), "intensive outpatient");
    /// assert_eq!(iop.abbreviation(), "IOP");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum LevelOfCare: "level of care" {
        /// Weekly (or less frequent) outpatient therapy.
        Outpatient = "outpatient", "outpatient";
        /// Intensive outpatient: several sessions a week, living at home.
        IntensiveOutpatient = "intensive_outpatient", "intensive outpatient";
        /// Partial hospitalization: most of the day, most days, living at home.
        PartialHospitalization = "partial_hospitalization", "partial hospitalization";
        /// 24-hour care in a residential setting.
        Residential = "residential", "residential";
        /// 24-hour care in a hospital.
        Inpatient = "inpatient", "inpatient";
    }
}

impl LevelOfCare {
    /// The usual abbreviation: OP, IOP, PHP, RES, IP.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::LevelOfCare::PartialHospitalization.abbreviation(), "PHP");
    /// ```
    pub const fn abbreviation(self) -> &'static str {
        match self {
            LevelOfCare::Outpatient => "OP",
            LevelOfCare::IntensiveOutpatient => "IOP",
            LevelOfCare::PartialHospitalization => "PHP",
            LevelOfCare::Residential => "RES",
            LevelOfCare::Inpatient => "IP",
        }
    }

    /// The next less intensive level, if any.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::LevelOfCare;
    /// assert_eq!(LevelOfCare::IntensiveOutpatient.lower(), Some(LevelOfCare::Outpatient));
    /// assert_eq!(LevelOfCare::Outpatient.lower(), None);
    /// ```
    pub fn lower(self) -> Option<LevelOfCare> {
        self.index().checked_sub(1).map(|i| LevelOfCare::ALL[i])
    }

    /// The next more intensive level, if any.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::LevelOfCare;
    /// assert_eq!(LevelOfCare::IntensiveOutpatient.higher(), Some(LevelOfCare::PartialHospitalization));
    /// assert_eq!(LevelOfCare::Inpatient.higher(), None);
    /// ```
    pub fn higher(self) -> Option<LevelOfCare> {
        LevelOfCare::ALL.get(self.index() + 1).copied()
    }

    /// Whether the patient lives at home during this level (not residential or inpatient).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::LevelOfCare::PartialHospitalization.is_ambulatory());
    /// assert!(!carematch::LevelOfCare::Residential.is_ambulatory());
    /// ```
    pub const fn is_ambulatory(self) -> bool {
        matches!(
            self,
            LevelOfCare::Outpatient
                | LevelOfCare::IntensiveOutpatient
                | LevelOfCare::PartialHospitalization
        )
    }
}
