//! HSDS by version (issue 26): 1.x and 2.0 data packages (fictional, in the
//! specification's published table shapes) are read through the renames
//! into 3.0's tables; the report says which version and how it was told.

mod hsds_package;
use hsds_package::package;

use std::collections::BTreeMap;

use carematch::import::{ImportOptions, Outcome, import_hsds_csv};
use carematch::{Language, LevelOfCare, Payer, TimeOfDay, sample};

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF)
}

fn lang(c: &str) -> Language {
    c.parse().unwrap()
}

#[test]
fn an_hsds_1_1_package_is_read_by_its_table_names() {
    let out = import_hsds_csv(
        &package("import/hsds-1.1"),
        &options().with_creole(lang("ht")),
    )
    .unwrap();
    let v = out
        .report
        .lines
        .iter()
        .find(|l| l.field == "(HSDS version)")
        .unwrap();
    assert_eq!(
        v.value.as_deref(),
        Some("HSDS 1.x (by its table names (no version in a datapackage.json))")
    );
    assert_eq!(out.report.records, 5, "{}", out.report);
    // The shelter and the help line: not treatment. The walk-in site has no coordinates.
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    assert!(
        refused
            .iter()
            .any(|r| r.contains("not a treatment service: housing")),
        "{refused:#?}"
    );
    assert!(
        refused
            .iter()
            .any(|r| r.contains("a help line or crisis contact")),
        "{refused:#?}"
    );
    let op = out
        .programs
        .iter()
        .find(|p| p.name == "Outpatient Behavioral Health Services")
        .unwrap_or_else(|| panic!("{}", out.report));
    // The name says outpatient: the "Psychiatric Day Treatment" term does not make it PHP.
    assert_eq!(op.levels, [LevelOfCare::Outpatient]);
    // 211 age groups: adults and older adults.
    assert_eq!((op.ages.min, op.ages.max), (18, 120));
    // Languages by name; Creole as the operator says.
    assert_eq!(op.languages, [lang("en"), lang("ht"), lang("es")]);
    // regular_schedules: a row per weekday, 12-hour times.
    let t = &op.tracks[0];
    assert_eq!(t.sessions.len(), 5);
    assert_eq!(t.sessions[4].window.end, TimeOfDay::hm(17, 0).unwrap());
    assert_eq!(op.location.postal_code, "02119");
    // The children's crisis unit takes children and adolescents only.
    let kids = out
        .programs
        .iter()
        .find(|p| p.name.starts_with("Children's Psychiatric"))
        .unwrap_or_else(|| panic!("{}", out.report));
    assert_eq!((kids.ages.min, kids.ages.max), (0, 17));
    assert!(!kids.interpreter_services);
}

#[test]
fn an_hsds_2_0_package_is_read_by_its_descriptor() {
    let out = import_hsds_csv(&package("import/hsds-2.0"), &options()).unwrap();
    let v = out
        .report
        .lines
        .iter()
        .find(|l| l.field == "(HSDS version)")
        .unwrap();
    assert!(
        v.value
            .as_deref()
            .unwrap()
            .starts_with("HSDS 2.0 (by datapackage.json"),
        "{v}"
    );
    assert!(matches!(v.outcome, Outcome::Mapped { .. }));
    assert_eq!(out.report.records, 3, "{}", out.report);
    assert_eq!(out.programs.len(), 2, "{}", out.report);
    let psych = &out.programs[0];
    assert_eq!(psych.name, "Outpatient Psychiatry");
    assert_eq!(psych.levels, [LevelOfCare::Outpatient]);
    assert_eq!(psych.languages, [lang("en"), lang("pt")]);
    assert_eq!(psych.payers, [Payer::Medicare, Payer::MassHealth]);
    assert_eq!(psych.typical_wait_days, Some(14));
    let iop = &out.programs[1];
    assert_eq!(iop.levels, [LevelOfCare::IntensiveOutpatient]);
    assert_eq!(iop.tracks[0].sessions.len(), 3);
    assert!(
        out.report
            .refused
            .iter()
            .any(|r| r.reason.contains("not a treatment service: housing")),
        "{}",
        out.report
    );
}

#[test]
fn a_package_without_services_says_which_version_it_looks_like() {
    let mut files = package("import/hsds-1.1");
    files.remove("services.csv");
    let err = import_hsds_csv(&files, &options()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("it looks like HSDS 1.x"), "{msg}");
    assert!(msg.contains("regular_schedules.csv"), "{msg}");
    // Without its services_at_location table, the report says what is missing.
    let mut files = package("import/hsds-2.0");
    files.remove("services_at_location.csv");
    let out = import_hsds_csv(&files, &options()).unwrap();
    assert!(
        out.report.notes.iter().any(|n| n
            .message
            .contains("HSDS 2.0 without services_at_location.csv")),
        "{}",
        out.report
    );
}

/// A site without coordinates whose ZIP code has no Census ZCTA (10008, a
/// New York ZIP code the table does not hold: post-office boxes and single
/// businesses have none): the report names it; kept with its location not
/// listed when it offers telehealth, refused otherwise.
#[test]
fn a_zip_code_outside_the_embedded_table_is_named_in_the_report() {
    let mut files = BTreeMap::new();
    files.insert(
        "services.csv".to_owned(),
        "id,name\ns1,Adult Intensive Outpatient Program\ns2,Adult Intensive Outpatient Program by telehealth\n"
            .to_owned(),
    );
    files.insert(
        "locations.csv".to_owned(),
        "id,name\nl1,Fictional Site\n".to_owned(),
    );
    files.insert(
        "service_at_location.csv".to_owned(),
        "id,service_id,location_id\na1,s1,l1\na2,s2,l1\n".to_owned(),
    );
    files.insert(
        "addresses.csv".to_owned(),
        "id,location_id,address_1,city,state_province,postal_code\nd1,l1,1 Example Street,New York,NY,10008\n"
            .to_owned(),
    );
    let out = import_hsds_csv(&files, &options()).unwrap();
    let refused = &out.report.refused;
    assert_eq!(refused.len(), 1, "{}", out.report);
    assert!(
        refused[0]
            .reason
            .contains("its ZIP code is not in the embedded places table")
            && refused[0].reason.contains("\"10008\""),
        "{}",
        refused[0]
    );
    assert_eq!(out.programs.len(), 1, "{}", out.report);
    let p = &out.programs[0];
    assert!(!p.is_listed(carematch::NotListed::Location));
    assert!(p.location.postal_code.is_empty());
    let line = out
        .report
        .line(
            "(location)",
            Some("no coordinates, ZIP code not in the table"),
        )
        .unwrap_or_else(|| panic!("{}", out.report));
    assert_eq!(line.count, 2);
}
