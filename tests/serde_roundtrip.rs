//! Round trips: every public type with serde reads back from its JSON as the
//! same value, and every type with `Display` and `FromStr` reads back from its
//! text. A failure means data changes when it is saved and loaded again (a
//! directory written out by one service and read by another would differ).

#![cfg(feature = "serde")]

mod common;

use std::fmt::{Debug, Display};
use std::str::FromStr;

use carematch::{
    Aftercare, Approach, Certification, Condition, Delivery, DeliveryPreference, Error,
    FacilityCredential, FamilyInvolvement, GeoPoint, IcdCode, LevelOfCare, License, Modality,
    PartOfDay, Payer, Population, ProblemSeverity, Program, Severity, Weekday,
};
use common::*;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Writes `value` as JSON and reads it back.
fn json_round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(value)
        .map_err(|e| TestCaseError::fail(format!("{value:?} does not serialize: {e}")))?;
    let back: T = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("{json} does not read back: {e}")))?;
    prop_assert_eq!(&back, value, "read back differently from {}", json);
    Ok(())
}

/// Writes `value` with `Display` and reads it back with `FromStr`.
fn text_round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: Display + FromStr<Err = Error> + PartialEq + Debug,
{
    let text = value.to_string();
    let back: T = text
        .parse()
        .map_err(|e| TestCaseError::fail(format!("`{text}` does not parse: {e}")))?;
    prop_assert_eq!(&back, value, "`{}` parsed differently", text);
    Ok(())
}

/// The hash of `value` with the standard hasher.
fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::{BuildHasher, RandomState};
    thread_local!(static STATE: RandomState = RandomState::new());
    STATE.with(|s| s.hash_one(value))
}

/// Wraps programs in a directory document, as `programs_from_json` reads it.
fn directory_json(programs: &[Program]) -> String {
    let doc = serde_json::json!({ "notice": "generated", "programs": programs });
    doc.to_string()
}

proptest! {
    #![proptest_config(config(256, "serde_roundtrip"))]

    #[test]
    fn icd_code(code in arb_icd_code()) {
        json_round_trip(&code)?;
        text_round_trip(&code)?;
        // The forms people type: lower case, no dot, surrounding space.
        let typed = format!("  {}{}  ", code.category().to_lowercase(), code.subcode().to_lowercase());
        prop_assert_eq!(typed.parse::<IcdCode>().ok(), Some(code), "`{}` should read as {}", typed, code);
    }

    #[test]
    fn date(d in arb_date()) {
        json_round_trip(&d)?;
        text_round_trip(&d)?;
        prop_assert_eq!(date_from_epoch_days(d.days_since_epoch()), d, "days since epoch do not invert");
    }

    #[test]
    fn time_of_day(t in arb_time_of_day()) {
        json_round_trip(&t)?;
        text_round_trip(&t)?;
    }

    #[test]
    fn session_and_its_window(s in arb_session()) {
        json_round_trip(&s)?;
    }

    #[test]
    fn track(t in arb_track()) {
        json_round_trip(&t)?;
    }

    #[test]
    fn availability(a in arb_availability()) {
        json_round_trip(&a)?;
    }

    #[test]
    fn staff(s in arb_staff()) {
        json_round_trip(&s)?;
    }

    #[test]
    fn payer(p in arb_payer()) {
        json_round_trip(&p)?;
        text_round_trip(&p)?;
        // Plan names compare without regard to ASCII case, and Ord and Hash agree with Eq.
        let shouted: Payer = p.to_string().to_uppercase().parse()
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(&shouted, &p);
        prop_assert_eq!(shouted.cmp(&p), std::cmp::Ordering::Equal, "{} and {} are equal but Ord differs", shouted, p);
        prop_assert_eq!(hash_of(&shouted), hash_of(&p), "{} and {} are equal but hash differently", shouted, p);
    }

    /// Equality, order, hash and `key` agree on commercial plans whatever
    /// their script, so interning payers by any of them gives the same sets.
    #[test]
    fn payer_comparisons_agree(
        a in "[A-Za-zÀ-ÿΑ-ω ]{1,12}",
        b in "[A-Za-zÀ-ÿΑ-ω ]{1,12}",
        shout in any::<bool>(),
    ) {
        let b = if shout { a.to_uppercase() } else { b };
        prop_assume!(!a.trim().is_empty() && !b.trim().is_empty());
        let pa = Payer::commercial(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let pb = Payer::commercial(&b).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let equal = pa == pb;
        prop_assert_eq!(pa.key() == pb.key(), equal, "key {} vs {}", pa.key(), pb.key());
        prop_assert_eq!(pa.cmp(&pb) == std::cmp::Ordering::Equal, equal, "Ord of {} and {}", pa, pb);
        if equal {
            prop_assert_eq!(hash_of(&pa), hash_of(&pb));
        }
    }

    #[test]
    fn language(l in arb_language()) {
        json_round_trip(&l)?;
        text_round_trip(&l)?;
    }

    #[test]
    fn program_id(id in arb_program_id()) {
        json_round_trip(&id)?;
        text_round_trip(&id)?;
    }

    #[test]
    fn age_range(r in arb_age_range()) {
        json_round_trip(&r)?;
    }

    #[test]
    fn geo_point(p in arb_geo_point()) {
        json_round_trip(&p)?;
    }

    #[test]
    fn location(l in arb_location()) {
        json_round_trip(&l)?;
    }

    #[test]
    fn diagnosis(d in arb_diagnosis(), primary in any::<bool>()) {
        json_round_trip(&carematch::Diagnosis { primary, ..d })?;
    }

    #[test]
    fn program(p in arb_program(AS_OF)) {
        json_round_trip(&p)?;
    }

    #[test]
    fn directory_through_programs_from_json(programs in arb_directory(4)) {
        let json = directory_json(&programs);
        let back = carematch::programs_from_json(&json)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(back, programs);
    }

    #[test]
    fn patient_needs(n in arb_patient_needs()) {
        json_round_trip(&n)?;
        let json = serde_json::to_string(&n).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = carematch::patient_from_json(&json)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(back, n);
    }

    #[test]
    fn validation_report_and_problem(r in arb_validation_report()) {
        json_round_trip(&r)?;
        for p in &r.problems {
            json_round_trip(p)?;
        }
    }
}

/// Checks every value of a closed vocabulary: `Display` prints the label,
/// `FromStr` reads the key and the label (any ASCII case, spaces around), and
/// serde writes and reads the key.
#[track_caller]
fn check_terms<T>(all: &[T], key: fn(T) -> &'static str, label: fn(T) -> &'static str)
where
    T: Copy + Debug + Display + FromStr<Err = Error> + PartialEq + Serialize + DeserializeOwned,
{
    assert!(!all.is_empty());
    for &v in all {
        assert_eq!(v.to_string(), label(v), "{v:?} prints its label");
        for text in [
            key(v).to_owned(),
            label(v).to_owned(),
            key(v).to_uppercase(),
            label(v).to_lowercase(),
            format!(" {} ", label(v)),
        ] {
            assert_eq!(text.parse::<T>(), Ok(v), "`{text}` should read as {v:?}");
        }
        let json = serde_json::to_string(&v).unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert_eq!(
            json,
            format!("\"{}\"", key(v)),
            "{v:?} serializes as its key"
        );
        let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(back, v);
    }
}

#[test]
fn every_term_of_every_vocabulary_round_trips() {
    check_terms(Condition::ALL, Condition::key, Condition::label);
    check_terms(Severity::ALL, Severity::key, Severity::label);
    check_terms(License::ALL, License::key, License::label);
    check_terms(Certification::ALL, Certification::key, Certification::label);
    check_terms(
        FacilityCredential::ALL,
        FacilityCredential::key,
        FacilityCredential::label,
    );
    check_terms(LevelOfCare::ALL, LevelOfCare::key, LevelOfCare::label);
    check_terms(
        DeliveryPreference::ALL,
        DeliveryPreference::key,
        DeliveryPreference::label,
    );
    check_terms(Population::ALL, Population::key, Population::label);
    check_terms(Aftercare::ALL, Aftercare::key, Aftercare::label);
    check_terms(Delivery::ALL, Delivery::key, Delivery::label);
    check_terms(
        FamilyInvolvement::ALL,
        FamilyInvolvement::key,
        FamilyInvolvement::label,
    );
    check_terms(Weekday::ALL, Weekday::key, Weekday::label);
    check_terms(PartOfDay::ALL, PartOfDay::key, PartOfDay::label);
    check_terms(Modality::ALL, Modality::key, Modality::label);
    check_terms(Approach::ALL, Approach::key, Approach::label);
}

#[test]
fn problem_severity_serializes_in_snake_case() {
    for (s, json) in [
        (ProblemSeverity::Warning, "\"warning\""),
        (ProblemSeverity::Error, "\"error\""),
    ] {
        assert_eq!(serde_json::to_string(&s).ok().as_deref(), Some(json));
        assert_eq!(serde_json::from_str::<ProblemSeverity>(json).ok(), Some(s));
    }
}

/// Full-precision coordinates (17 significant digits) come back exactly:
/// serde_json's `float_roundtrip` feature is on (without it about 1 in 20
/// came back one unit in the last place off).
#[test]
fn full_precision_coordinates_round_trip() {
    let p = GeoPoint {
        latitude: 42.380_693_661_280_716,
        longitude: -71.8023,
    };
    let json = serde_json::to_string(&p).unwrap_or_else(|e| panic!("{e}"));
    let back: GeoPoint = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, p, "{json}");
}
