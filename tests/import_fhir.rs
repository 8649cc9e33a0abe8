//! FHIR R4 HealthcareService (Plan-Net): every example imports, fictional
//! instances exercise availableTime, program, characteristic and communication.

use carematch::import::{Format, ImportOptions, import};
use carematch::{Approach, Delivery, LevelOfCare, NotListed, TimeOfDay, Weekday, sample};

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF)
}

fn data(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/formats/fhir/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_plan_net_example_imports_and_every_record_is_accounted_for() {
    let dir = format!("{}/tests/data/formats/fhir", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    let mut all = Vec::new();
    for n in &names {
        let text = data(n);
        let out = import(Format::Fhir, &text, &options()).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert!(
            out.report.programs + out.report.refused.len() >= out.report.records,
            "{n}: {}",
            out.report
        );
        all.push(serde_json::from_str::<serde_json::Value>(&text).unwrap());
    }
    // All the examples together, as a list of resources: the services find their locations.
    let list = serde_json::to_string(&all).unwrap();
    let out = import(Format::Fhir, &list, &options()).unwrap();
    assert!(out.report.records >= 6, "{}", out.report);
    // Hans Solo's service ([1]): a family-medicine physician, not behavioral
    // health: refused by the treatment gate, never given a level; so are
    // Hamilton's family medicine and the pharmacy.
    let gate = |r: &&carematch::import::Refusal| r.reason.starts_with("not a treatment service");
    assert_eq!(
        out.report.refused.iter().filter(gate).count(),
        3,
        "{}",
        out.report
    );
    assert!(
        out.report
            .refused
            .iter()
            .any(|r| r.path == "[1]" && r.reason.contains("not a treatment service")),
        "{}",
        out.report
    );
    // The virtual counselling service has no location by nature: imported
    // with its location not listed, by telehealth alone.
    let virt = out
        .programs
        .iter()
        .find(|p| p.id.as_str() == "fhir-VirtualCounselService")
        .unwrap_or_else(|| panic!("{}", out.report));
    assert!(!virt.is_listed(NotListed::Location));
    assert_eq!(virt.delivery, [Delivery::Telehealth]);
    assert_eq!(
        out.report.programs + out.report.refused.len(),
        out.report.records,
        "{}",
        out.report
    );
}

#[test]
fn a_fictional_iop_imports_with_its_hours_languages_and_approaches() {
    let out = import(Format::Fhir, &data("fictional_iop_bundle.json"), &options()).unwrap();
    assert_eq!(out.report.records, 3);
    let p = &out.programs[0];
    assert_eq!(p.id.as_str(), "fhir-LanternEveningIOP-LanternLowell");
    assert_eq!(
        p.organization,
        "Lantern Street Behavioral Health (fictional)"
    );
    assert!(p.levels.contains(&LevelOfCare::IntensiveOutpatient));
    assert!(p.approaches.contains(&Approach::Dbt) && p.approaches.contains(&Approach::Cbt));
    let langs: Vec<&str> = p.languages.iter().map(|l| l.code()).collect();
    assert_eq!(langs, ["es", "en"]);
    assert_eq!(p.delivery, [Delivery::InPerson, Delivery::Telehealth]);
    assert!(p.is_listed(NotListed::AcceptingNewPatients) && p.accepting_new_patients);
    assert!(!p.is_listed(NotListed::Payers));
    // Monday's two entries merge; Saturday's end before its start is reported, not guessed.
    let iop = p
        .tracks
        .iter()
        .find(|t| t.level == LevelOfCare::IntensiveOutpatient)
        .unwrap();
    let monday: Vec<_> = iop
        .sessions
        .iter()
        .filter(|s| s.day == Weekday::Mon)
        .collect();
    assert_eq!(monday.len(), 1);
    assert_eq!(monday[0].window.end, TimeOfDay::hm(21, 0).unwrap());
    assert!(iop.sessions.iter().all(|s| s.day != Weekday::Sat));
    assert!(
        out.report.notes.iter().any(|n| n
            .message
            .contains("ends at 05:30 before it starts at 08:30")),
        "{}",
        out.report
    );
    // The day program has no hours: its schedule is not listed, not empty.
    let day = &out.programs[1];
    assert!(day.levels.contains(&LevelOfCare::PartialHospitalization));
    assert!(!day.is_listed(NotListed::Tracks));
    // A service whose location is not in the document (and no telehealth)
    // has no place: refused with the reason.
    assert!(
        out.report
            .refused
            .iter()
            .any(|r| r.reason.starts_with("no place: no coordinates")),
        "{}",
        out.report
    );
    assert!(out.report.line("(location)", Some("no Location")).is_some());
}

#[test]
fn malformed_fhir_gives_an_error_with_its_path() {
    for (json, path) in [
        (r#"{"resourceType": "Bundle", "entry": {}}"#, "entry"),
        (
            r#"{"resourceType": "Bundle", "entry": [{"fullUrl": "x"}]}"#,
            "entry[0]",
        ),
        (r#"[{"resourceType": "Location"}, {"id": 3}]"#, "[1]"),
        ("42", ""),
    ] {
        let err = import(Format::Fhir, json, &options()).unwrap_err();
        match &err {
            e if e.kind() == carematch::ErrorKind::Json => {
                assert_eq!(e.path(), Some(path), "{json}: {err}")
            }
            other => panic!("{json}: {other}"),
        }
    }
}
