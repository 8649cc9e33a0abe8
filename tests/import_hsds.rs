//! Open Referral HSDS 3.0: the specification's examples import; fictional
//! records exercise weekly and monthly rules, times without seconds, codes
//! and refusals.

use carematch::import::{Format, ImportOptions, Outcome, import};
use carematch::{Approach, LevelOfCare, NotListed, Payer, TimeOfDay, Weekday, sample};

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF)
}

fn data(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/formats/hsds/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_specification_example_imports_and_every_record_is_accounted_for() {
    for name in [
        "service_full.json",
        "service_at_location_full.json",
        "organization_full.json",
        "location.json",
        "service_list.json",
        "fictional_services.json",
    ] {
        let out =
            import(Format::Hsds, &data(name), &options()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            out.report.programs + out.report.refused.len(),
            out.report.records,
            "{name}: {}",
            out.report
        );
        assert!(!out.report.lines.is_empty(), "{name}");
    }
    // "Community Counselling" is a treatment service (counselling) and
    // counselling is outpatient care; the example's latitude (100) is
    // outside the earth, so it is refused for that, with why.
    let out = import(Format::Hsds, &data("service_full.json"), &options()).unwrap();
    assert_eq!(out.report.records, 1);
    assert!(
        out.report.refused[0].reason.contains("latitude 100"),
        "{}",
        out.report
    );
    let mut doc: serde_json::Value = serde_json::from_str(&data("service_full.json")).unwrap();
    doc["service_at_locations"][0]["location"]["latitude"] = 42.0.into();
    let out = import(Format::Hsds, &doc.to_string(), &options()).unwrap();
    assert_eq!(out.programs.len(), 1, "{}", out.report);
    assert_eq!(out.programs[0].levels, [LevelOfCare::Outpatient]);
    let urdu = out.report.line("service.languages", Some("ur")).unwrap();
    assert!(matches!(&urdu.outcome, Outcome::Mapped { to, .. } if to == &["languages: ur"]));
}

#[test]
fn the_text_and_byday_disagreement_is_reported() {
    let mut doc: serde_json::Value = serde_json::from_str(&data("service_full.json")).unwrap();
    // Make the example's schedule current and its place valid, to reach the comparison.
    doc["name"] = "Counselling IOP".into();
    doc["service_at_locations"][0]["location"]["latitude"] = 42.0.into();
    doc["service_at_locations"][0]["location"]["longitude"] = (-71.0).into();
    // Its dates are all 2005: the schedule is out of date, reported and not read.
    let out = import(Format::Hsds, &doc.to_string(), &options()).unwrap();
    assert!(
        out.report
            .notes
            .iter()
            .any(|n| n.message.contains("valid until 2005-01-01")),
        "{}",
        out.report
    );
    assert!(!out.programs[0].is_listed(carematch::NotListed::Tracks));
    for s in doc["service_at_locations"][0]["schedules"]
        .as_array_mut()
        .unwrap()
    {
        s["valid_to"] = "2027-01-01".into();
    }
    doc["service_at_locations"][0]["location"]["latitude"] = 42.0.into();
    doc["service_at_locations"][0]["location"]["longitude"] = (-71.0).into();
    let out = import(Format::Hsds, &doc.to_string(), &options()).unwrap();
    assert!(
        out.report
            .notes
            .iter()
            .any(|n| n.message.contains("the description says weekdays")
                && n.message.contains("TH,FR")),
        "{}",
        out.report
    );
    assert_eq!(out.programs.len(), 1, "{}", out.report);
}

#[test]
fn a_weekly_rule_with_times_without_seconds_becomes_a_track_and_a_monthly_rule_is_reported() {
    let out = import(Format::Hsds, &data("fictional_services.json"), &options()).unwrap();
    assert_eq!(out.report.records, 4);
    let p = &out.programs[0];
    assert_eq!(p.id.as_str(), "hsds-svc-evening-iop-loc-1");
    assert_eq!(p.levels, [LevelOfCare::IntensiveOutpatient]);
    let t = &p.tracks[0];
    let days: Vec<Weekday> = t.sessions.iter().map(|s| s.day).collect();
    assert_eq!(days, [Weekday::Mon, Weekday::Tue, Weekday::Thu]);
    assert_eq!(t.sessions[0].window.start, TimeOfDay::hm(17, 30).unwrap());
    assert!(
        out.report
            .notes
            .iter()
            .any(|n| n.path.ends_with("schedules[1]") && n.message.contains("monthly rule")),
        "{}",
        out.report
    );
    // Codes: a taxonomy term through the vocabulary; one it does not know, reported.
    assert!(p.approaches.contains(&Approach::Dbt));
    assert!(matches!(
        out.report
            .line("attributes.taxonomy_term", Some("Horticulture Club"))
            .map(|l| &l.outcome),
        Some(Outcome::Unknown { .. })
    ));
    assert_eq!(p.payers, [Payer::MassHealth, Payer::SlidingScale]);
    assert!(p.is_listed(NotListed::Payers));
    assert_eq!(p.typical_wait_days, Some(14));
    assert_eq!(p.last_verified.to_string(), "2026-10-01");
    // No schedule: not listed, not none.
    let day = &out.programs[1];
    assert_eq!(day.levels, [LevelOfCare::PartialHospitalization]);
    assert!(!day.is_listed(NotListed::Tracks) && !day.is_listed(NotListed::Payers));
    // Refusals, each with why.
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].starts_with("[2]: status is \"defunct\""),
        "{refused:?}"
    );
    // A food pantry is not a treatment service: refused as such, never given a level.
    assert!(
        refused[1].contains("not a treatment service: food"),
        "{refused:?}"
    );
}

#[test]
fn malformed_hsds_gives_an_error_with_its_path() {
    for (json, path) in [
        (r#"{"contents": 3}"#, "contents"),
        (
            r#"[{"name": "x", "service_at_locations": {}}]"#,
            "[0].service_at_locations",
        ),
        (r#"{"services": "none", "name": "Org"}"#, "services"),
        (r#"[1]"#, "[0]"),
        (r#"{"foo": 1}"#, ""),
    ] {
        match import(Format::Hsds, json, &options()) {
            Err(e) if e.kind() == carematch::ErrorKind::Json => {
                assert_eq!(e.path(), Some(path), "{json}")
            }
            other => panic!("{json}: {other:?}"),
        }
    }
}
