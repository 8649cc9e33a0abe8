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
    assert_send_sync::<carematch::License>();
    assert_send_sync::<carematch::Staff>();
    // Dates and diagnoses.
    assert_send_sync::<carematch::Date>();
    assert_send_sync::<carematch::Condition>();
    assert_send_sync::<carematch::Diagnosis>();
    assert_send_sync::<carematch::IcdCode>();
    assert_send_sync::<carematch::Severity>();
    // Errors and validation.
    assert_send_sync::<carematch::Error>();
    assert_send_sync::<carematch::ErrorKind>();
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
    // Placing a queue.
    assert_send_sync::<carematch::assign::AssignOptions>();
    assert_send_sync::<carematch::assign::AssignReason>();
    assert_send_sync::<carematch::assign::Assignment>();
    assert_send_sync::<carematch::assign::FiredRule>();
    assert_send_sync::<carematch::assign::Method>();
    assert_send_sync::<carematch::assign::Placement>();
    assert_send_sync::<carematch::assign::Priority>();
    assert_send_sync::<carematch::assign::PriorityCondition>();
    assert_send_sync::<carematch::assign::PriorityPolicy>();
    assert_send_sync::<carematch::assign::PriorityRule>();
    assert_send_sync::<carematch::assign::Referral>();
    assert_send_sync::<carematch::assign::ReferralId>();
    assert_send_sync::<carematch::assign::ReferralOutcome>();
    assert_send_sync::<carematch::assign::Tier>();
    assert_send_sync::<carematch::assign::TierSummary>();
    assert_send_sync::<carematch::assign::WaitlistOption>();
    // Level of care.
    assert_send_sync::<carematch::level::AgeRule>();
    assert_send_sync::<carematch::level::Alternative>();
    assert_send_sync::<carematch::level::AlternativeReason>();
    assert_send_sync::<carematch::Assessment>();
    assert_send_sync::<carematch::level::Band>();
    assert_send_sync::<carematch::Dimension>();
    assert_send_sync::<carematch::level::Effect>();
    assert_send_sync::<carematch::level::FiredRule>();
    assert_send_sync::<carematch::level::Flag>();
    assert_send_sync::<carematch::level::Floor>();
    assert_send_sync::<carematch::level::ImminentRiskRule>();
    assert_send_sync::<carematch::LevelPolicy>();
    assert_send_sync::<carematch::level::LevelRecommendation>();
    assert_send_sync::<carematch::level::LevelRules>();
    assert_send_sync::<carematch::level::Override>();
    assert_send_sync::<carematch::level::OverrideReason>();
    assert_send_sync::<carematch::Rating>();
    assert_send_sync::<carematch::Ratings>();
    assert_send_sync::<carematch::level::Rule>();
    assert_send_sync::<carematch::level::StepDown>();
    assert_send_sync::<carematch::level::StepUp>();
    // Matching.
    assert_send_sync::<carematch::matching::CredentialCheck>();
    assert_send_sync::<carematch::matching::Criterion>();
    assert_send_sync::<carematch::matching::CriterionScore>();
    assert_send_sync::<carematch::Directory>();
    assert_send_sync::<carematch::matching::EvidenceBasis>();
    assert_send_sync::<carematch::matching::EvidenceRow>();
    assert_send_sync::<carematch::matching::EvidenceTable>();
    assert_send_sync::<carematch::matching::Exclusion>();
    assert_send_sync::<carematch::matching::ExclusionCount>();
    assert_send_sync::<carematch::matching::ExclusionReason>();
    assert_send_sync::<carematch::matching::ExclusionKind>();
    assert_send_sync::<carematch::matching::Explanation>();
    assert_send_sync::<carematch::matching::Alert>();
    assert_send_sync::<carematch::matching::CrisisContact>();
    assert_send_sync::<carematch::matching::LeftOut>();
    assert_send_sync::<carematch::matching::FreshnessBand>();
    assert_send_sync::<carematch::matching::Match>();
    assert_send_sync::<carematch::matching::MatchOptions>();
    assert_send_sync::<carematch::matching::Query>();
    assert_send_sync::<carematch::matching::Ranking>();
    assert_send_sync::<carematch::matching::Reason>();
    assert_send_sync::<carematch::matching::Therapy>();
    assert_send_sync::<carematch::matching::Weights>();
    // Free-text vocabulary.
    assert_send_sync::<carematch::vocabulary::MatchKind>();
    assert_send_sync::<carematch::vocabulary::ResolutionNote>();
    assert_send_sync::<carematch::vocabulary::ResolveError>();
    assert_send_sync::<carematch::vocabulary::ResolvedTerm>();
    assert_send_sync::<carematch::vocabulary::TermFamily>();
    assert_send_sync::<carematch::vocabulary::Resolution<carematch::Approach>>();
    assert_send_sync::<carematch::vocabulary::Vocabulary<carematch::Payer>>();
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
    // Not listed.
    assert_send_sync::<carematch::NotListed>();
    // Importers.
    #[cfg(feature = "import")]
    {
        use carematch::import::*;
        assert_send_sync::<Format>();
        assert_send_sync::<ImportOptions>();
        assert_send_sync::<Import>();
        assert_send_sync::<ImportReport>();
        assert_send_sync::<ReportLine>();
        assert_send_sync::<Outcome>();
        assert_send_sync::<Method>();
        assert_send_sync::<Refusal>();
        assert_send_sync::<Note>();
    }
}

#[test]
fn the_error_is_a_std_error() {
    assert_error::<carematch::Error>();
    assert_error::<carematch::vocabulary::ResolveError>();
}
