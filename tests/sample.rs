//! The embedded sample directory: it loads, validates without a single
//! problem, is plainly fictional, and is varied enough to exercise matching.

#![cfg(feature = "serde")]

use std::collections::BTreeSet;

use carematch::{
    Approach, Certification, Condition, GeoPoint, LevelOfCare, License, MassHealthPlan, PartOfDay,
    Payer, Program, sample, validate_programs,
};

fn programs() -> Vec<Program> {
    sample::massachusetts()
}

#[test]
fn loads_and_validates_with_no_problem_at_all() {
    let (programs, warnings) = carematch::load_directory(sample::MASSACHUSETTS_JSON, sample::AS_OF)
        .unwrap_or_else(|e| panic!("the sample does not load: {e}"));
    assert!(warnings.is_clean(), "{warnings}");
    let report = validate_programs(&programs, sample::AS_OF);
    assert!(report.is_clean(), "{report}");
    assert_eq!(programs, sample::massachusetts());
}

#[test]
fn is_large_and_spread_across_the_state() {
    let programs = programs();
    assert!(programs.len() >= 30, "only {} programs", programs.len());
    let cities: BTreeSet<&str> = programs.iter().map(|p| p.location.city.as_str()).collect();
    assert!(
        cities.len() >= 10,
        "only {} cities: {cities:?}",
        cities.len()
    );
    for p in &programs {
        assert_eq!(p.location.state, "MA", "{}", p.id);
    }
}

#[test]
fn says_everywhere_that_it_is_fictional() {
    let notice: serde_json::Value = serde_json::from_str(sample::MASSACHUSETTS_JSON)
        .unwrap_or_else(|e| panic!("the sample is not JSON: {e}"));
    let notice = notice["notice"].as_str().unwrap_or_default();
    assert!(
        notice.to_lowercase().contains("fictional"),
        "notice: {notice:?}"
    );
    for p in programs() {
        assert!(
            p.organization.ends_with("(fictional)"),
            "{}: organization {:?}",
            p.id,
            p.organization
        );
    }
}

#[test]
fn ids_are_unique() {
    let programs = programs();
    let ids: BTreeSet<&str> = programs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), programs.len());
}

#[test]
fn has_tracks_in_every_part_of_the_day_and_at_weekends() {
    let programs = programs();
    let tracks = || programs.iter().flat_map(|p| &p.tracks);
    let parts: BTreeSet<PartOfDay> = tracks().flat_map(|t| t.parts_of_day()).collect();
    for part in [PartOfDay::Morning, PartOfDay::Afternoon, PartOfDay::Evening] {
        assert!(parts.contains(&part), "no {part} track");
    }
    assert!(tracks().any(|t| t.has_weekend()), "no weekend track");
}

#[test]
fn covers_adolescents_and_several_levels_of_care() {
    let programs = programs();
    assert!(
        programs.iter().any(|p| p.ages.is_minors_only()),
        "no adolescent program"
    );
    for level in [
        LevelOfCare::IntensiveOutpatient,
        LevelOfCare::PartialHospitalization,
        LevelOfCare::Outpatient,
    ] {
        assert!(
            programs.iter().any(|p| p.levels.contains(&level)),
            "no {level} program"
        );
    }
}

#[test]
fn some_are_full_and_some_listings_are_stale() {
    let programs = programs();
    let full = programs
        .iter()
        .filter(|p| !p.accepting_new_patients)
        .count();
    assert!(full >= 1, "every program is accepting new patients");
    let stale = programs
        .iter()
        .filter(|p| sample::AS_OF.days_since(p.last_verified) > 365)
        .count();
    assert!(stale >= 1, "no listing is more than a year old");
}

/// Open programs within `miles` of `at` that offer intensive outpatient care,
/// serve `age`, take `payer` and are open to everyone.
fn open_iops_near<'a>(
    programs: &'a [Program],
    at: GeoPoint,
    miles: f64,
    age: u8,
    payer: &Payer,
) -> Vec<&'a Program> {
    near(programs, at, miles)
        .filter(|p| p.levels.contains(&LevelOfCare::IntensiveOutpatient))
        .filter(|p| p.ages.contains(age) && p.payers.iter().any(|x| x.accepts(payer)))
        .filter(|p| p.accepting_new_patients && p.restricted_to.is_empty())
        .collect()
}

/// Programs within `miles` of `at`.
fn near(programs: &[Program], at: GeoPoint, miles: f64) -> impl Iterator<Item = &Program> {
    programs
        .iter()
        .filter(move |p| p.location.point().miles_to(at) <= miles)
}

#[test]
fn gives_each_demo_patient_choices_and_near_misses() -> Result<(), carematch::Error> {
    let programs = programs();

    // 34, Worcester, PTSD, MassHealth, works weekdays 09:00-17:00.
    let worcester = GeoPoint::new(42.2626, -71.8023)?;
    let open = open_iops_near(&programs, worcester, 25.0, 34, &Payer::MassHealth);
    assert!(open.len() >= 3, "{} open IOPs near Worcester", open.len());
    assert!(open.iter().any(|p| {
        p.tracks
            .iter()
            .any(|t| t.parts_of_day() == [PartOfDay::Evening])
            && p.staff.has_certification(Certification::Cpt)
            && p.staff.has_certification(Certification::Pe)
    }));
    assert!(near(&programs, worcester, 25.0).any(|p| !p.accepting_new_patients));
    assert!(near(&programs, worcester, 25.0).any(|p| !p.payers.contains(&Payer::MassHealth)));

    // 16, Springfield, depression, MassHealth.
    let springfield = GeoPoint::new(42.1015, -72.5898)?;
    let open = open_iops_near(&programs, springfield, 25.0, 16, &Payer::MassHealth);
    assert!(
        open.len() >= 2,
        "{} open teen IOPs near Springfield",
        open.len()
    );
    assert!(open.iter().all(|p| p.ages.is_minors_only()));
    assert!(near(&programs, springfield, 10.0).any(|p| p.ages.min >= 18));

    // 52, Boston, bipolar disorder and alcohol use, Medicare.
    let boston = GeoPoint::new(42.3601, -71.0589)?;
    let open = open_iops_near(&programs, boston, 12.0, 52, &Payer::Medicare);
    let dual = open.iter().filter(|p| {
        p.staff.has_prescriber() && (p.staff.has(License::LadcI) || p.staff.has(License::LadcII))
    });
    assert!(dual.count() >= 2, "too few co-occurring IOPs near Boston");
    assert!(
        near(&programs, boston, 12.0)
            .any(|p| p.excluded_conditions.contains(&Condition::SubstanceUse))
    );
    assert!(near(&programs, boston, 12.0).any(|p| !p.staff.has_prescriber()));
    Ok(())
}

/// The tests judge everything against one date, the sample's; the synthetic
/// generator draws its verification dates before the same day.
#[test]
fn the_synthetic_generator_uses_the_sample_date() {
    assert_eq!(carematch::synthetic::AS_OF, sample::AS_OF);
}

/// The sample shows what the reviewed evidence table and the payer products
/// tell apart: disorder-specific programs beside generic ones, and payers
/// listed by parent, product and kind.
#[test]
fn uses_the_disorder_specific_approaches_and_payer_products() {
    let programs = programs();
    let offering = |a: Approach| {
        programs
            .iter()
            .filter(|p| p.approaches.contains(&a))
            .count()
    };
    for a in [
        Approach::Erp,
        Approach::Cbtp,
        Approach::Fbt,
        Approach::CbtE,
        Approach::Mbt,
        Approach::IptA,
        Approach::Wet,
        Approach::CtPtsd,
        Approach::Mbct,
        Approach::TobaccoTreatment,
    ] {
        assert!(offering(a) >= 1, "no program offers {a}");
    }
    // Generic CBT programs remain, so the difference shows.
    assert!(offering(Approach::Cbt) > offering(Approach::Erp));
    let lists = |payer: &Payer| programs.iter().any(|p| p.payers.contains(payer));
    assert!(lists(&Payer::commercial("Point32Health").unwrap()));
    assert!(lists(&Payer::MassHealthPlan(MassHealthPlan::WellSense)));
    assert!(lists(&Payer::MassHealthPlan(MassHealthPlan::CcaOneCare)));
    assert!(lists(&Payer::MedicareAdvantage(None)));
    assert!(lists(&Payer::VaCommunityCare));
    assert!(lists(&Payer::medicaid("NH").unwrap()));
    // A program that lists only some MassHealth products.
    assert!(programs.iter().any(|p| {
        p.payers
            .iter()
            .any(|x| matches!(x, Payer::MassHealthPlan(_)))
            && !p.payers.contains(&Payer::MassHealth)
    }));
    // Prescribers beyond psychiatry: a nurse practitioner and a physician.
    assert!(programs.iter().any(|p| p.staff.has(License::Np)));
    assert!(programs.iter().any(|p| p.staff.has(License::Physician)));
}
