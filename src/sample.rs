//! The embedded sample directory: fictional Massachusetts programs.
//!
//! **Every program, organization, address and staff count in it is invented**
//! for demonstrations and tests. The cities and their approximate
//! coordinates are real; nothing else is. Do not refer anyone to them.

use crate::{date::Date, program::Program};

/// The sample directory as JSON (`data/massachusetts.json`).
pub const MASSACHUSETTS_JSON: &str = include_str!("../data/massachusetts.json");

/// A fictional morning queue of referrals against the sample directory, as
/// JSON (`data/referrals.json`; read it with
/// [`crate::assign::referrals_from_json`]). Opaque ids, no names.
///
/// # Example
///
/// ```
/// let rs = carematch::assign::referrals_from_json(carematch::sample::REFERRALS_JSON)?;
/// assert!(rs.len() >= 20);
/// # Ok::<(), carematch::Error>(())
/// ```
pub const REFERRALS_JSON: &str = include_str!("../data/referrals.json");

/// The date the sample's verification dates are judged against, so that
/// demonstrations and tests stay the same from day to day.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::sample::AS_OF.to_string(), "2026-11-01");
/// ```
pub const AS_OF: Date = match Date::checked(2026, 11, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The fictional Massachusetts programs.
///
/// # Panics
///
/// Never in a released build: a test reads and validates the embedded file.
///
/// # Example
///
/// ```
/// let programs = carematch::sample::massachusetts();
/// assert!(programs.len() >= 30);
/// ```
pub fn massachusetts() -> Vec<Program> {
    match crate::load::programs_from_json(MASSACHUSETTS_JSON) {
        Ok(p) => p,
        Err(e) => panic!("the embedded sample directory is broken: {e}"),
    }
}

/// A built-in example patient for demonstrations: fictional, described in plain words.
///
/// # Example
///
/// ```
/// let p = &carematch::sample::patients()[0];
/// assert_eq!(p.needs.age, 34);
/// assert!(!p.description.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SamplePatient {
    /// A short label, such as "Worcester, PTSD".
    pub label: &'static str,
    /// The vignette in plain words.
    pub description: &'static str,
    /// The intake assessment (ratings and context).
    pub assessment: crate::level::Assessment,
    /// The needs matching uses; `level` is what the default [`crate::LevelPolicy`]
    /// recommends for `assessment`.
    pub needs: crate::patient::PatientNeeds,
}

/// The three demonstration patients (all fictional):
///
/// 1. 34, Worcester, PTSD, MassHealth, works weekdays 9:00-17:00.
/// 2. 16, Springfield, depression, twelve days after an inpatient stay, MassHealth.
/// 3. 52, Boston, bipolar disorder with co-occurring alcohol use, Medicare.
///
/// # Example
///
/// ```
/// let ps = carematch::sample::patients();
/// assert_eq!(ps.len(), 3);
/// assert!(ps.iter().all(|p| p.needs.validate().is_clean()));
/// ```
pub fn patients() -> Vec<SamplePatient> {
    use crate::{
        diagnosis::{Condition, Diagnosis, Severity},
        level::{Assessment, LevelPolicy, Ratings},
        patient::{DeliveryPreference, PatientNeeds},
        program::{GeoPoint, Payer},
        schedule::{Availability, TimeWindow, Weekday},
    };
    let ratings = |r: [u8; 7]| Ratings::try_from(r).expect("constant ratings are 1 to 5");
    let policy = LevelPolicy::default();
    let window = |a, b| TimeWindow::hm(a, b).expect("constant windows are valid");
    let nine_to_five = window((9, 0), (17, 0));
    let school = window((7, 30), (14, 30));

    let mut worcester = PatientNeeds::new(34, Payer::MassHealth).with_diagnosis(
        Diagnosis::from_condition(Condition::Ptsd)
            .primary()
            .with_severity(Severity::Moderate),
    );
    // Composite 17: intensive outpatient by band.
    let worcester_assessment = Assessment::new(ratings([2, 3, 2, 3, 2, 3, 2])).with_age(34);
    worcester.level = Some(policy.recommend(&worcester_assessment).effective_level());
    worcester.availability = Availability::from_busy(Weekday::WORKDAYS, nine_to_five);
    worcester.location = Some(GeoPoint {
        latitude: 42.2626,
        longitude: -71.8023,
    });
    worcester.max_travel_miles = Some(25.0);
    worcester.delivery = DeliveryPreference::Either;

    let mut springfield = PatientNeeds::new(16, Payer::MassHealth).with_diagnosis(
        Diagnosis::from_condition(Condition::Depressive)
            .primary()
            .with_severity(Severity::Moderate),
    );
    // Composite 15 (outpatient by band), but twelve days after an inpatient
    // stay: stepped down to intensive outpatient, with the adolescent warning.
    let springfield_assessment = Assessment::new(ratings([2, 2, 2, 3, 2, 2, 2]))
        .with_age(16)
        .with_days_since_inpatient_discharge(12);
    springfield.level = Some(policy.recommend(&springfield_assessment).effective_level());
    springfield.availability = Availability::from_busy(Weekday::WORKDAYS, school);
    springfield.location = Some(GeoPoint {
        latitude: 42.1015,
        longitude: -72.5898,
    });
    springfield.max_travel_miles = Some(20.0);
    springfield.days_since_inpatient_discharge = Some(12);
    springfield.wants_family_involved = true;

    let mut boston = PatientNeeds::new(52, Payer::Medicare)
        .with_diagnosis(Diagnosis::from_condition(Condition::Bipolar).primary())
        .with_diagnosis(Diagnosis::from_condition(Condition::AlcoholUse));
    // Composite 19: intensive outpatient by band, with co-occurring alcohol use.
    let boston_assessment = Assessment::new(ratings([2, 3, 3, 3, 3, 3, 2]))
        .with_age(52)
        .with_co_occurring_substance_use();
    boston.level = Some(policy.recommend(&boston_assessment).effective_level());
    boston.co_occurring_substance_use = true;
    boston.location = Some(GeoPoint {
        latitude: 42.3601,
        longitude: -71.0589,
    });
    boston.max_travel_miles = Some(15.0);
    boston.delivery = DeliveryPreference::InPerson;

    vec![
        SamplePatient {
            label: "Worcester, PTSD",
            description: "34-year-old in Worcester with PTSD, on MassHealth, who works weekdays 9:00-17:00",
            assessment: worcester_assessment,
            needs: worcester,
        },
        SamplePatient {
            label: "Springfield, adolescent depression",
            description: "16-year-old in Springfield with depression, twelve days after an inpatient stay, on MassHealth, in school until 14:30",
            assessment: springfield_assessment,
            needs: springfield,
        },
        SamplePatient {
            label: "Boston, bipolar with alcohol use",
            description: "52-year-old in Boston with bipolar disorder and co-occurring alcohol use, on Medicare, attending in person",
            assessment: boston_assessment,
            needs: boston,
        },
    ]
}
