//! What matching needs to know about one patient, and nothing that identifies them.

use std::fmt;

use crate::terms::terms;
use crate::{
    diagnosis::{Condition, Diagnosis, IcdCode, Pregnancy, Withdrawal},
    error::{ProblemSeverity, ValidationReport},
    level::{LevelOfCare, WithdrawalRisk},
    program::{Delivery, GeoPoint, Language, MassHealthPlan, Payer, Population},
    schedule::Availability,
    therapy::MoudMedication,
};

terms! {
    /// How a patient is willing to attend.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Delivery, DeliveryPreference};
    /// assert!(DeliveryPreference::Either.accepts(Delivery::Telehealth));
    /// assert!(DeliveryPreference::InPerson.accepts(Delivery::Hybrid));
    /// assert!(!DeliveryPreference::InPerson.accepts(Delivery::Telehealth));
    /// ```
    pub enum DeliveryPreference: "delivery preference" {
        /// Only in person (hybrid programs have in-person sessions).
        InPerson = "in_person", "in person only";
        /// Only by telehealth (hybrid programs have telehealth sessions).
        Telehealth = "telehealth", "telehealth only";
        /// Either.
        Either = "either", "in person or telehealth";
    }
}

impl DeliveryPreference {
    /// Whether a program delivering `d` suits this preference.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Delivery, DeliveryPreference};
    /// assert!(DeliveryPreference::Telehealth.accepts(Delivery::Hybrid));
    /// ```
    pub const fn accepts(self, d: Delivery) -> bool {
        match self {
            DeliveryPreference::Either => true,
            DeliveryPreference::InPerson => !matches!(d, Delivery::Telehealth),
            DeliveryPreference::Telehealth => !matches!(d, Delivery::InPerson),
        }
    }

    /// Whether the patient accepts some telehealth.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::DeliveryPreference::InPerson.accepts_telehealth());
    /// ```
    pub const fn accepts_telehealth(self) -> bool {
        !matches!(self, DeliveryPreference::InPerson)
    }
}

/// One patient's needs and preferences for matching.
///
/// Minimum necessary: age in years, clinical needs and preferences. No name,
/// record number or birth date; callers keep their own identifiers beside
/// the results.
///
/// In JSON (only `age`, `diagnoses` and `payer` are required):
///
/// ```json
/// {"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}],
///  "level": "intensive_outpatient", "payer": "masshealth",
///  "availability": {"busy": [{"days": ["mon","tue","wed","thu","fri"], "start": "09:00", "end": "17:00"}]},
///  "delivery": "either", "language": "en",
///  "location": {"latitude": 42.2626, "longitude": -71.8023}, "max_travel_miles": 20}
/// ```
///
/// # Example
///
/// ```
/// use carematch::{Condition, Diagnosis, PatientNeeds, Payer};
///
/// let needs = PatientNeeds::new(34, Payer::MassHealth)
///     .with_diagnosis(Diagnosis::from_condition(Condition::Ptsd).primary());
/// assert_eq!(needs.primary_condition(), Some(Condition::Ptsd));
/// assert!(needs.validate().is_clean());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        deny_unknown_fields,
        expecting = "the patient as a JSON object with the fields age, diagnoses and payer (and any of level, availability, delivery, language, location, max_travel_miles ...)"
    )
)]
pub struct PatientNeeds {
    /// Age in whole years.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::age")
    )]
    pub age: u8,
    /// Diagnoses; one should be primary.
    pub diagnoses: Vec<Diagnosis>,
    /// The level of care wanted or recommended, if already known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub level: Option<LevelOfCare>,
    /// When the patient can attend (any time when left out).
    #[cfg_attr(feature = "serde", serde(default))]
    pub availability: Availability,
    /// In person, telehealth, or either.
    #[cfg_attr(feature = "serde", serde(default = "default_delivery"))]
    pub delivery: DeliveryPreference,
    /// How care will be paid for.
    pub payer: Payer,
    /// The language the patient needs sessions in.
    #[cfg_attr(feature = "serde", serde(default = "default_language"))]
    pub language: Language,
    /// Where the patient travels from (a home or work point, not an address).
    #[cfg_attr(feature = "serde", serde(default))]
    pub location: Option<GeoPoint>,
    /// The farthest the patient can travel to in-person sessions, in miles.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::serde_impl::numbers::travel_miles_opt"
        )
    )]
    pub max_travel_miles: Option<f64>,
    /// Whether the patient wants family involved in treatment.
    #[cfg_attr(feature = "serde", serde(default))]
    pub wants_family_involved: bool,
    /// Days since discharge from inpatient care, if recently discharged.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::serde_impl::numbers::discharge_days_opt"
        )
    )]
    pub days_since_inpatient_discharge: Option<u16>,
    /// Whether substance use co-occurs with the mental-health condition.
    #[cfg_attr(feature = "serde", serde(default))]
    pub co_occurring_substance_use: bool,
    /// Populations the patient belongs to or prefers a program for.
    #[cfg_attr(feature = "serde", serde(default))]
    pub populations: Vec<Population>,
    /// Whether the patient is on medication for opioid use disorder
    /// (buprenorphine, methadone or naltrexone) now. A patient with opioid use
    /// disorder on MOUD is matched only to programs that can continue it:
    /// losing MOUD raises the risk of overdose (SAMHSA TIP 63).
    #[cfg_attr(feature = "serde", serde(default))]
    pub on_moud: bool,
    /// Which medication for opioid use disorder the patient takes now, when
    /// known. Setting it means the patient is on MOUD (as `on_moud` does,
    /// which stays for files written before this field: `on_moud` alone is
    /// "on MOUD, medication not named"). Methadone can only be continued by
    /// a certified Opioid Treatment Program or a program that coordinates
    /// with one (42 CFR Part 8); see [`crate::matching`]'s MOUD rules.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub moud_medication: Option<MoudMedication>,
    /// Pregnant, or within 12 months postpartum, when known. Left out, it
    /// is read from pregnancy codes among the diagnoses (O09, O99.3, Z33.1;
    /// see [`PatientNeeds::pregnancy_status`]), with a warning.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub pregnancy: Option<Pregnancy>,
    /// The two-letter US state the patient will be in during sessions (e.g.
    /// `"MA"`): telehealth counts only from programs licensed there.
    #[cfg_attr(feature = "serde", serde(default))]
    pub state: Option<String>,
}

#[cfg(feature = "serde")]
fn default_delivery() -> DeliveryPreference {
    DeliveryPreference::Either
}

#[cfg(feature = "serde")]
fn default_language() -> Language {
    Language::ENGLISH
}

impl PatientNeeds {
    /// Needs with an age and a payer; everything else empty or permissive
    /// (free any time, either delivery, English, no location).
    ///
    /// # Example
    ///
    /// ```
    /// let n = carematch::PatientNeeds::new(16, carematch::Payer::MassHealth);
    /// assert!(n.is_minor());
    /// ```
    pub fn new(age: u8, payer: Payer) -> PatientNeeds {
        PatientNeeds {
            age,
            diagnoses: Vec::new(),
            level: None,
            availability: Availability::anytime(),
            delivery: DeliveryPreference::Either,
            payer,
            language: Language::ENGLISH,
            location: None,
            max_travel_miles: None,
            wants_family_involved: false,
            days_since_inpatient_discharge: None,
            co_occurring_substance_use: false,
            populations: Vec::new(),
            on_moud: false,
            moud_medication: None,
            pregnancy: None,
            state: None,
        }
    }

    /// The same needs with one more diagnosis.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis, PatientNeeds, Payer};
    /// let n = PatientNeeds::new(30, Payer::Medicare)
    ///     .with_diagnosis(Diagnosis::from_condition(Condition::Anxiety));
    /// assert_eq!(n.diagnoses.len(), 1);
    /// ```
    pub fn with_diagnosis(mut self, d: Diagnosis) -> PatientNeeds {
        self.diagnoses.push(d);
        self
    }

    /// Under 18.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::PatientNeeds::new(18, carematch::Payer::SelfPay).is_minor());
    /// ```
    pub fn is_minor(&self) -> bool {
        self.age < 18
    }

    /// The primary diagnosis's condition: the first marked primary, else the first.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis, PatientNeeds, Payer};
    /// let n = PatientNeeds::new(30, Payer::Medicare)
    ///     .with_diagnosis(Diagnosis::from_condition(Condition::Anxiety))
    ///     .with_diagnosis(Diagnosis::from_condition(Condition::Bipolar).primary());
    /// assert_eq!(n.primary_condition(), Some(Condition::Bipolar));
    /// ```
    ///
    /// A primary code of O99.31-O99.34 (a mental or substance-use condition
    /// complicating pregnancy, coded first as ICD-10-CM sequencing asks)
    /// takes its condition from the F code given with it: the first of its
    /// own family (O99.31 alcohol use, O99.32 drug use, O99.33 tobacco,
    /// O99.34 another mental disorder), else the first other diagnosis that
    /// names a condition; with none, the condition is
    /// [`Condition::Other`] and [`PatientNeeds::validate`] asks for the F code.
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis, PatientNeeds, Payer};
    /// let n = PatientNeeds::new(29, Payer::MassHealth)
    ///     .with_diagnosis(Diagnosis::from_code("O99.322".parse()?).primary())
    ///     .with_diagnosis(Diagnosis::from_code("F11.20".parse()?));
    /// assert_eq!(n.primary_condition(), Some(Condition::OpioidUse));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn primary_condition(&self) -> Option<Condition> {
        let primary = self
            .diagnoses
            .iter()
            .find(|d| d.primary)
            .or(self.diagnoses.first())?;
        if primary.condition == Condition::Other
            && let Some(code) = primary.code.filter(IcdCode::takes_condition_from_f_code)
        {
            // The F code of the subcategory's own family first (O99.31
            // alcohol, O99.32 other drugs, O99.33 tobacco, O99.34 other
            // mental disorders), else any other diagnosis naming a condition.
            let named = || {
                self.diagnoses
                    .iter()
                    .filter(|d| d.condition != Condition::Other)
            };
            let family = code.subcode().as_bytes().get(1).copied();
            let in_family = |c: Condition| match family {
                Some(b'1') => c == Condition::AlcoholUse,
                Some(b'2') => c.is_substance_use() && c != Condition::AlcoholUse,
                Some(b'3') => c == Condition::NicotineUse,
                _ => !c.is_substance_use() && c != Condition::NicotineUse,
            };
            if let Some(d) = named()
                .find(|d| in_family(d.condition))
                .or_else(|| named().next())
            {
                return Some(d.condition);
            }
        }
        Some(primary.condition)
    }

    /// Whether the patient is on medication for opioid use disorder now
    /// (`on_moud`, or a medication named in `moud_medication`).
    ///
    /// # Example
    ///
    /// ```
    /// let mut n = carematch::PatientNeeds::new(30, carematch::Payer::MassHealth);
    /// assert!(!n.is_on_moud());
    /// n.moud_medication = Some(carematch::MoudMedication::Methadone);
    /// assert!(n.is_on_moud());
    /// ```
    pub fn is_on_moud(&self) -> bool {
        self.on_moud || self.moud_medication.is_some()
    }

    /// Pregnant or postpartum: `pregnancy` when given, else read from the
    /// first pregnancy code among the diagnoses ([`IcdCode::pregnancy`](crate::IcdCode::pregnancy)).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Diagnosis, PatientNeeds, Payer, Pregnancy};
    /// let n = PatientNeeds::new(29, Payer::MassHealth).with_diagnosis(Diagnosis::from_code("Z33.1".parse()?));
    /// assert_eq!(n.pregnancy_status(), Some(Pregnancy::Pregnant));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn pregnancy_status(&self) -> Option<Pregnancy> {
        self.pregnancy.or_else(|| {
            self.diagnoses
                .iter()
                .find_map(|d| d.code.and_then(|c| c.pregnancy()))
        })
    }

    /// The withdrawal risk the diagnoses' own codes imply: severe with a
    /// delirium code, moderate with any other withdrawal code that calls for
    /// withdrawal management (the patient is in withdrawal), `None` without
    /// one (nicotine withdrawal aside, see [`Withdrawal::needs_management`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Diagnosis, PatientNeeds, Payer, level::WithdrawalRisk};
    /// let n = PatientNeeds::new(50, Payer::Medicare).with_diagnosis(Diagnosis::from_code("F10.230".parse()?));
    /// assert_eq!(n.withdrawal_risk_from_codes(), Some(WithdrawalRisk::Moderate));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn withdrawal_risk_from_codes(&self) -> Option<WithdrawalRisk> {
        self.withdrawals()
            .filter(|(_, w)| w.needs_management())
            .map(|(_, w)| {
                if w.delirium {
                    WithdrawalRisk::Severe
                } else {
                    WithdrawalRisk::Moderate
                }
            })
            .max()
    }

    /// The withdrawal codes among the diagnoses, in order, with the code.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Diagnosis, PatientNeeds, Payer};
    /// let n = PatientNeeds::new(50, Payer::Medicare).with_diagnosis(Diagnosis::from_code("F10.231".parse()?).primary());
    /// assert!(n.withdrawals().next().unwrap().1.delirium);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn withdrawals(&self) -> impl Iterator<Item = (IcdCode, Withdrawal)> + '_ {
        self.diagnoses
            .iter()
            .filter_map(|d| d.code.and_then(|c| c.withdrawal().map(|w| (c, w))))
    }

    /// Whether a diagnosis of `condition` is marked as a first episode
    /// ([`Diagnosis::first_episode`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis, PatientNeeds, Payer};
    /// let mut needs = PatientNeeds::new(20, Payer::MassHealth);
    /// needs.diagnoses.push(Diagnosis::from_code("F20.9".parse()?).primary().first_episode());
    /// assert!(needs.first_episode(Condition::Psychotic));
    /// assert!(!needs.first_episode(Condition::Depressive));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn first_episode(&self, condition: Condition) -> bool {
        self.diagnoses
            .iter()
            .any(|d| d.first_episode && d.condition == condition)
    }

    /// Every condition of the patient, each once, primary first, and a
    /// generic substance use disorder when co-occurring use is flagged
    /// without a substance diagnosis.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis, PatientNeeds, Payer};
    /// let mut n = PatientNeeds::new(52, Payer::Medicare)
    ///     .with_diagnosis(Diagnosis::from_condition(Condition::Bipolar).primary());
    /// n.co_occurring_substance_use = true;
    /// assert_eq!(n.conditions(), vec![Condition::Bipolar, Condition::SubstanceUse]);
    /// ```
    pub fn conditions(&self) -> Vec<Condition> {
        let mut out: Vec<Condition> = Vec::new();
        if let Some(p) = self.primary_condition() {
            out.push(p);
        }
        for d in &self.diagnoses {
            if !out.contains(&d.condition) {
                out.push(d.condition);
            }
        }
        if self.co_occurring_substance_use && !out.iter().any(|c| c.is_substance_use()) {
            out.push(Condition::SubstanceUse);
        }
        out
    }

    /// Whether the patient has a substance use disorder (nicotine dependence
    /// aside, see [`Condition::broader`]) or co-occurring use.
    ///
    /// # Example
    ///
    /// ```
    /// let n = carematch::PatientNeeds::new(40, carematch::Payer::SelfPay);
    /// assert!(!n.has_substance_use());
    /// ```
    pub fn has_substance_use(&self) -> bool {
        self.co_occurring_substance_use
            || self
                .diagnoses
                .iter()
                .any(|d| d.condition.is_substance_use())
    }

    /// Every problem with these needs, each with its field path.
    ///
    /// Errors: an age above 120, a bad location, travel limit or state, a
    /// `language` that is not an ISO 639 code as programs list it (see
    /// [`Language::is_iso_639`]), a MassHealth product the age does not fit
    /// (Senior Care Options under 65, One Care under 21), and a diagnosis
    /// whose code cannot mean its condition ([`IcdCode::can_mean`]).
    /// Warnings: age 0, One Care at 65 or over, no diagnosis or several
    /// primaries, codes outside the F chapter, pregnancy read from a code,
    /// MOUD without opioid use disorder, never free.
    ///
    /// ```
    /// use carematch::{MassHealthPlan, PatientNeeds, Payer};
    /// let n = PatientNeeds::new(40, Payer::MassHealthPlan(MassHealthPlan::CcaSeniorCareOptions));
    /// let r = n.validate();
    /// let e = r.errors().next().unwrap();
    /// assert_eq!(e.path, "payer");
    /// assert!(e.message.contains("65 and over"));
    ///
    /// let mut n = PatientNeeds::new(40, Payer::MassHealth);
    /// n.language = "xx".parse()?;
    /// assert_eq!(n.validate().errors().next().unwrap().path, "language");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// let mut n = carematch::PatientNeeds::new(34, carematch::Payer::MassHealth);
    /// n.max_travel_miles = Some(-3.0);
    /// let r = n.validate();
    /// assert_eq!(r.errors().next().unwrap().path, "max_travel_miles");
    /// assert_eq!(r.warnings().next().unwrap().path, "diagnoses");
    /// ```
    pub fn validate(&self) -> ValidationReport {
        let mut r = ValidationReport::default();
        if self.age > 120 {
            r.error("age", format!("{} is above 120", self.age));
        } else if self.age == 0 {
            r.warning(
                "age",
                "is 0 (under one year old): confirm it, as a missing age is sometimes written as 0",
            );
        }
        if let Some((severity, message)) = product_age_problem(&self.payer, self.age) {
            match severity {
                ProblemSeverity::Error => r.error("payer", message),
                ProblemSeverity::Warning => r.warning("payer", message),
            }
        }
        if let Some(p) = self.language.problem() {
            r.error("language", p);
        }
        if self.diagnoses.is_empty() {
            r.warning("diagnoses", "no diagnosis: therapy fit cannot be judged");
        }
        let primaries = self.diagnoses.iter().filter(|d| d.primary).count();
        if primaries > 1 {
            r.warning(
                "diagnoses",
                format!("{primaries} diagnoses are marked primary; the first is used"),
            );
        }
        if let Some(p) = self.location.as_ref().and_then(GeoPoint::problem) {
            r.error("location", p);
        }
        if let Some(m) = self.max_travel_miles {
            if !m.is_finite() || m < 0.0 {
                r.error(
                    "max_travel_miles",
                    format!("{m} is not a distance of 0 miles or more"),
                );
            } else if self.location.is_none() {
                r.warning(
                    "max_travel_miles",
                    "is set but location is not, so distance cannot be judged",
                );
            }
        }
        if let Some(p) = self.state.as_deref().and_then(crate::region::state_problem) {
            r.error("state", p);
        }
        for (i, d) in self.diagnoses.iter().enumerate() {
            if d.first_episode && d.condition != Condition::Psychotic {
                r.error(
                    format!("diagnoses[{i}].first_episode"),
                    format!(
                        "a first episode is marked for psychotic disorders (F20-F29) only; this diagnosis is {}",
                        d.condition
                    ),
                );
            }
            let Some(code) = d.code else { continue };
            if let Some(p) = code.refusal_of(d.condition) {
                r.error(format!("diagnoses[{i}].condition"), p);
            }
            if self.pregnancy.is_none()
                && let Some(p) = code.pregnancy()
            {
                r.warning(
                    format!("diagnoses[{i}].code"),
                    format!("{code} says the patient is {p}; pregnancy is read from it: confirm, or set `pregnancy`"),
                );
            }
            if !code.category().starts_with('F') && !code.takes_condition_from_f_code() {
                r.warning(
                    format!("diagnoses[{i}].code"),
                    format!("{code} is not in ICD-10-CM's chapter of mental and behavioural disorders (F01-F99): it is read as \"other\" and adds nothing to therapy fit; give the psychiatric diagnosis its F code"),
                );
            }
            if code.takes_condition_from_f_code()
                && !self
                    .diagnoses
                    .iter()
                    .any(|o| o.condition != Condition::Other)
            {
                r.warning(
                    format!("diagnoses[{i}].code"),
                    format!("{code} is coded first, as ICD-10-CM asks, but no diagnosis names the condition itself: add its F code (F10-F99) so therapy fit can be judged"),
                );
            }
        }
        if self.is_on_moud() && !self.conditions().contains(&Condition::OpioidUse) {
            r.warning(
                if self.moud_medication.is_some() { "moud_medication" } else { "on_moud" },
                "says the patient is on MOUD, but no diagnosis is opioid use disorder (F11), so it changes no match",
            );
        }
        if self.availability.free().is_empty() {
            r.warning(
                "availability",
                "the patient is never free, so no schedule fits",
            );
        }
        r
    }
}

/// The age rules of MassHealth's products for members with both MassHealth
/// and Medicare, as MassHealth's member pages state them (mass.gov, "Senior
/// Care Options" and "One Care"; summarised in our own words): Senior Care
/// Options enrols members 65 and over; One Care enrols members aged 21 to 64,
/// and a member who turns 65 while enrolled may stay. So a payer of Senior
/// Care Options under 65, or of One Care under 21, is an error (the payer or
/// the age is wrong); One Care at 65 or over is a warning to confirm.
fn product_age_problem(payer: &Payer, age: u8) -> Option<(ProblemSeverity, String)> {
    const SOURCE: &str = "MassHealth's member rules";
    match payer {
        Payer::MassHealthPlan(plan @ MassHealthPlan::CcaSeniorCareOptions) if age < 65 => Some((
            ProblemSeverity::Error,
            format!(
                "{plan} is for MassHealth members 65 and over ({SOURCE}), and the patient is {age}: check the payer or the age"
            ),
        )),
        Payer::MassHealthPlan(plan @ MassHealthPlan::CcaOneCare) if age < 21 => Some((
            ProblemSeverity::Error,
            format!(
                "{plan} enrols MassHealth members aged 21 to 64 ({SOURCE}), and the patient is {age}: check the payer or the age"
            ),
        )),
        Payer::MassHealthPlan(plan @ MassHealthPlan::CcaOneCare) if age >= 65 => Some((
            ProblemSeverity::Warning,
            format!(
                "{plan} enrols MassHealth members aged 21 to 64 ({SOURCE}), and the patient is {age}: a member who turns 65 while enrolled may stay; confirm the payer"
            ),
        )),
        _ => None,
    }
}

impl fmt::Display for PatientNeeds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "age {}", self.age)?;
        let conds: Vec<String> = self.diagnoses.iter().map(|d| d.to_string()).collect();
        if !conds.is_empty() {
            write!(f, "; {}", conds.join("; "))?;
        }
        write!(f, "; payer {}", self.payer)?;
        if let Some(l) = self.level {
            write!(f, "; level {l}")?;
        }
        Ok(())
    }
}
