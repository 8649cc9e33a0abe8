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
}
