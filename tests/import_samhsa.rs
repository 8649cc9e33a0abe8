//! SAMHSA locator listings: the fictional record imports with its levels,
//! approaches, payers, languages and ages, and ranks for a matching patient.

use carematch::import::{Format, ImportOptions, Method, Outcome, import};
use carematch::matching::{Alert, MatchOptions, Weights};
use carematch::{
    Approach, Condition, Delivery, Directory, LevelOfCare, Modality, NotListed, Payer, Population,
    sample,
};

const LISTING: &str = include_str!("data/formats/samhsa/listing_example_fictional.json");

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF)
}

#[test]
fn the_fictional_record_imports_with_its_levels_approaches_payers_languages_and_ages() {
    let out = import(Format::Samhsa, LISTING, &options()).unwrap();
    assert_eq!(out.report.records, 2);
    assert_eq!(out.programs.len(), 2, "{}", out.report);
    let mh = &out.programs[0];
    assert!(mh.id.as_str().starts_with("samhsa-0f3c9a7e"));
    assert_eq!(mh.name, "Evening Intensive Program");
    assert_eq!(mh.organization, "Harborlight Behavioral Health (fictional)");
    assert_eq!(
        mh.levels,
        [LevelOfCare::Outpatient, LevelOfCare::PartialHospitalization]
    );
    // Buprenorphine among its pharmacotherapies: MOUD.
    assert_eq!(
        mh.approaches,
        [Approach::Cbt, Approach::Dbt, Approach::Emdr, Approach::Moud]
    );
    // "Individual psychotherapy" (the locator's IPT) is a modality, not interpersonal therapy.
    assert!(!mh.approaches.contains(&Approach::Ipt));
    for m in [Modality::Individual, Modality::Group, Modality::Family] {
        assert!(mh.modalities.contains(&m), "{m:?}");
    }
    // Private insurance names no plan: payers are not listed, and the report says which mapped.
    assert!(!mh.is_listed(NotListed::Payers));
    assert!(mh.payers.is_empty());
    let line = out
        .report
        .line("services.PAY", Some("Medicaid"))
        .expect("a line for Medicaid");
    assert!(
        matches!(&line.outcome, Outcome::Mapped { to, how: Method::FormatCode, .. } if to == &["payers: masshealth"])
    );
    let langs: Vec<&str> = mh.languages.iter().map(|l| l.code()).collect();
    assert_eq!(langs, ["en", "es", "pt"]);
    assert_eq!((mh.ages.min, mh.ages.max), (18, 120));
    assert!(mh.populations.contains(&Population::Veterans));
    assert!(mh.specialties.contains(&Condition::Ptsd));
    assert_eq!(mh.delivery, [Delivery::InPerson, Delivery::Telehealth]);
    for part in [
        NotListed::Tracks,
        NotListed::Staff,
        NotListed::AcceptingNewPatients,
        NotListed::Payers,
    ] {
        assert!(!mh.is_listed(part), "{part}");
    }
    assert!(mh.is_listed(NotListed::FacilityCredentials));
    let sa = &out.programs[1];
    assert!(sa.levels.contains(&LevelOfCare::IntensiveOutpatient));
    assert!(sa.approaches.contains(&Approach::Moud));
    assert!(sa.is_listed(NotListed::Aftercare));
    // The same site twice (MH and SA) is reported, not silently duplicated.
    assert!(
        out.report
            .notes
            .iter()
            .any(|n| n.message.contains("one site listed 2 times")),
        "{}",
        out.report
    );
}

#[test]
fn every_value_of_the_listing_has_a_line() {
    let out = import(Format::Samhsa, LISTING, &options()).unwrap();
    let doc: serde_json::Value = serde_json::from_str(LISTING).unwrap();
    for row in doc["rows"].as_array().unwrap() {
        for g in row["services"].as_array().unwrap() {
            let field = format!("services.{}", g["f2"].as_str().unwrap());
            let f3 = g["f3"].as_str().unwrap();
            let found = out.report.line(&field, Some(f3)).is_some()
                || f3
                    .split("; ")
                    .all(|v| out.report.line(&field, Some(v)).is_some());
            assert!(found, "no line for {field} {f3:?}\n{}", out.report);
        }
    }
    // Ignored fields say why.
    let miles = out.report.line("miles", None).unwrap();
    assert!(matches!(&miles.outcome, Outcome::Ignored { .. }));
    assert_eq!(miles.count, 2);
}

#[test]
fn the_imported_program_ranks_for_a_matching_patient_with_unconfirmed() {
    let out = import(Format::Samhsa, LISTING, &options()).unwrap();
    let dir = Directory::new(out.programs, sample::AS_OF).unwrap();
    let mut needs = sample::patients()[0].needs.clone(); // PTSD, MassHealth, Worcester
    needs.level = Some(LevelOfCare::PartialHospitalization);
    let q = dir
        .query(
            &needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .unwrap();
    let r = dir.rank(&q, &Weights::default(), 5);
    assert_eq!(r.matches.len(), 1, "{r}");
    let m = &r.matches[0];
    assert!(m.program_id.as_str().starts_with("samhsa-0f3c9a7e"));
    let parts = m
        .alerts
        .iter()
        .find_map(|a| match a {
            Alert::Unconfirmed { not_listed } => Some(not_listed.clone()),
            _ => None,
        })
        .expect("unconfirmed");
    assert!(parts.contains(&NotListed::Tracks) && parts.contains(&NotListed::Payers));
    // A payer the listing never names does not exclude it either.
    needs.payer = Payer::commercial("Some Plan").unwrap();
    let q = dir
        .query(
            &needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .unwrap();
    assert_eq!(dir.rank(&q, &Weights::default(), 5).matches.len(), 1);
}
