//! Every public type is `Send + Sync` (services share a directory across
//! threads), and the error is a `std::error::Error + 'static`. This file fails
//! to compile if a type loses one of them (an `Rc`, a `RefCell`, a raw
//! pointer added to it). After dtolnay/semver's `tests/test_autotrait.rs`.

#![allow(clippy::extra_unused_type_parameters)]

fn assert_send_sync<T: Send + Sync>() {}

fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn every_public_type_is_send_and_sync() {
    // Credentials.
    assert_send_sync::<carematch::Certification>();
    assert_send_sync::<carematch::FacilityCredential>();
    assert_send_sync::<carematch::Licence>();
    assert_send_sync::<carematch::Staff>();
    // Dates and diagnoses.
    assert_send_sync::<carematch::Date>();
    assert_send_sync::<carematch::Condition>();
    assert_send_sync::<carematch::Diagnosis>();
    assert_send_sync::<carematch::IcdCode>();
    assert_send_sync::<carematch::Severity>();
    // Errors and validation.
    assert_send_sync::<carematch::Error>();
    assert_send_sync::<carematch::Problem>();
    assert_send_sync::<carematch::ProblemSeverity>();
    assert_send_sync::<carematch::ValidationReport>();
    // Levels, patients, programs.
    assert_send_sync::<carematch::LevelOfCare>();
    assert_send_sync::<carematch::DeliveryPreference>();
    assert_send_sync::<carematch::PatientNeeds>();
    assert_send_sync::<carematch::Aftercare>();
    assert_send_sync::<carematch::AgeRange>();
    assert_send_sync::<carematch::Delivery>();
    assert_send_sync::<carematch::FamilyInvolvement>();
    assert_send_sync::<carematch::GeoPoint>();
    assert_send_sync::<carematch::Language>();
    assert_send_sync::<carematch::Location>();
    assert_send_sync::<carematch::Payer>();
    assert_send_sync::<carematch::Population>();
    assert_send_sync::<carematch::Program>();
    assert_send_sync::<carematch::ProgramId>();
    // Level of care.
    assert_send_sync::<carematch::AgeRule>();
    assert_send_sync::<carematch::Alternative>();
    assert_send_sync::<carematch::AlternativeReason>();
    assert_send_sync::<carematch::Assessment>();
    assert_send_sync::<carematch::Band>();
    assert_send_sync::<carematch::Dimension>();
    assert_send_sync::<carematch::Effect>();
    assert_send_sync::<carematch::FiredRule>();
    assert_send_sync::<carematch::Flag>();
    assert_send_sync::<carematch::Floor>();
    assert_send_sync::<carematch::ImminentRiskRule>();
    assert_send_sync::<carematch::LevelPolicy>();
    assert_send_sync::<carematch::LevelRecommendation>();
    assert_send_sync::<carematch::LevelRules>();
    assert_send_sync::<carematch::Override>();
    assert_send_sync::<carematch::OverrideReason>();
    assert_send_sync::<carematch::Rating>();
    assert_send_sync::<carematch::Ratings>();
    assert_send_sync::<carematch::Rule>();
    assert_send_sync::<carematch::StepDown>();
    assert_send_sync::<carematch::StepUp>();
    // Matching.
    assert_send_sync::<carematch::CredentialCheck>();
    assert_send_sync::<carematch::Criterion>();
    assert_send_sync::<carematch::CriterionScore>();
    assert_send_sync::<carematch::Directory>();
    assert_send_sync::<carematch::EvidenceBasis>();
    assert_send_sync::<carematch::EvidenceRow>();
    assert_send_sync::<carematch::EvidenceTable>();
    assert_send_sync::<carematch::Exclusion>();
    assert_send_sync::<carematch::ExclusionCount>();
    assert_send_sync::<carematch::ExclusionReason>();
    assert_send_sync::<carematch::FreshnessBand>();
    assert_send_sync::<carematch::Match>();
    assert_send_sync::<carematch::MatchOptions>();
    assert_send_sync::<carematch::Query>();
    assert_send_sync::<carematch::Ranking>();
    assert_send_sync::<carematch::Reason>();
    assert_send_sync::<carematch::Therapy>();
    assert_send_sync::<carematch::Weights>();
    // Free-text vocabulary.
    assert_send_sync::<carematch::MatchKind>();
    assert_send_sync::<carematch::ResolutionNote>();
    assert_send_sync::<carematch::ResolveError>();
    assert_send_sync::<carematch::ResolvedTerm>();
    assert_send_sync::<carematch::TermFamily>();
    assert_send_sync::<carematch::Resolution<carematch::Approach>>();
    assert_send_sync::<carematch::Vocabulary<carematch::Payer>>();
    // Schedules.
    assert_send_sync::<carematch::Availability>();
    assert_send_sync::<carematch::PartOfDay>();
    assert_send_sync::<carematch::Session>();
    assert_send_sync::<carematch::TimeOfDay>();
    assert_send_sync::<carematch::TimeWindow>();
    assert_send_sync::<carematch::Track>();
    assert_send_sync::<carematch::WeekMask>();
    assert_send_sync::<carematch::Weekday>();
    // Therapies.
    assert_send_sync::<carematch::Approach>();
    assert_send_sync::<carematch::Modality>();
}

#[test]
fn the_error_is_a_std_error() {
    assert_error::<carematch::Error>();
    assert_error::<carematch::ResolveError>();
}
