//! Open Referral HSDS 3.0 in its tabular form (a data package of CSV files):
//! the specification's CSV examples import as its JSON examples of the same
//! data do; quoted fields, unknown ids and malformed rows; never a panic.

use std::collections::BTreeMap;

use carematch::import::{Format, ImportOptions, Outcome, import, import_hsds_csv};
use carematch::{ErrorKind, sample};

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF)
}

fn dir() -> String {
    format!("{}/tests/data/formats/hsds", env!("CARGO_MANIFEST_DIR"))
}

/// The specification's CSV example package: file name -> text.
fn package() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for e in std::fs::read_dir(format!("{}/csv", dir())).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if name.ends_with(".csv") || name == "datapackage.json" {
            files.insert(name, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    files
}

fn json_example(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{}/{name}", dir())).unwrap()).unwrap()
}

fn files(tables: &[(&str, &str)]) -> BTreeMap<String, String> {
    tables
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect()
}

#[test]
fn the_specification_csv_example_imports_as_its_json_example_does() {
    let csv = import_hsds_csv(&package(), &options()).unwrap();
    let json = import(
        Format::Hsds,
        &json_example("service_full.json").to_string(),
        &options(),
    )
    .unwrap();
    // One service at one location; refused for the same reason in both forms.
    assert_eq!(csv.report.records, 1, "{}", csv.report);
    assert_eq!(csv.report.records, json.report.records);
    assert!(csv.programs.is_empty() && json.programs.is_empty());
    assert_eq!(csv.report.refused.len(), 1, "{}", csv.report);
    assert_eq!(csv.report.refused[0].reason, json.report.refused[0].reason);
    assert_eq!(
        csv.report.refused[0].path,
        "services.csv: row 2, service_at_location.csv: row 2"
    );
    let wait = csv
        .report
        .line("service.wait_time", Some("wait_time"))
        .unwrap();
    assert_eq!(
        wait.paths,
        ["services.csv: row 2, service_at_location.csv: row 2: wait_time"]
    );
    // The same language line, and the lines name the CSV file, row and column.
    let urdu = csv.report.line("service.languages", Some("ur")).unwrap();
    assert!(matches!(&urdu.outcome, Outcome::Mapped { to, .. } if to == &["languages: ur"]));
    let t = csv.report.line("locations.transportation", None).unwrap();
    assert_eq!(t.paths, ["locations.csv: row 2: column `transportation`"]);
    assert!(matches!(t.outcome, Outcome::Ignored { .. }));
    assert!(matches!(
        csv.report.line("phones.csv", None).map(|l| &l.outcome),
        Some(Outcome::Ignored { .. })
    ));
}

#[test]
fn made_current_both_forms_give_the_same_program() {
    // As in tests/import_hsds.rs: a level in the name, a valid place, a current schedule.
    let mut files = package();
    let edit = |files: &mut BTreeMap<String, String>, f: &str, from: &str, to: &str| {
        let t = files.get_mut(f).unwrap();
        assert!(t.contains(from), "{f}");
        *t = t.replacen(from, to, 1);
    };
    edit(
        &mut files,
        "services.csv",
        "Community Counselling",
        "Counselling IOP",
    );
    edit(&mut files, "locations.csv", ",100,101,", ",42,-71,");
    edit(
        &mut files,
        "schedules.csv",
        "2005-01-01,2005-01-01",
        "2005-01-01,2027-01-01",
    );
    let csv = import_hsds_csv(&files, &options()).unwrap();
    let mut doc = json_example("service_full.json");
    doc["name"] = "Counselling IOP".into();
    let sal = &mut doc["service_at_locations"][0];
    sal["location"]["latitude"] = 42.0.into();
    sal["location"]["longitude"] = (-71.0).into();
    for s in sal["schedules"].as_array_mut().unwrap() {
        s["valid_to"] = "2027-01-01".into();
    }
    let json = import(Format::Hsds, &doc.to_string(), &options()).unwrap();
    assert_eq!(csv.programs.len(), 1, "{}", csv.report);
    assert_eq!(csv.programs, json.programs);
    assert_eq!(csv.programs[0].organization, "Example Organization Inc.");
    assert_eq!(csv.programs[0].tracks[0].sessions.len(), 2);
    // The CSV example's attribute links to an id no table holds: a note, not dropped.
    assert!(
        csv.report
            .notes
            .iter()
            .any(|n| n.path == "attributes.csv: row 2: column `link_id`"
                && n.message.contains("in no table")),
        "{}",
        csv.report
    );
}

const SERVICES: &str = "id,name,organization_id,minimum_age,status\r\n\
s1,\"Evening IOP, \"\"Bridge\"\"\nprogram\",o1,18,active\r\n\
s2,Day PHP,o-missing,,\r\n";

fn small() -> BTreeMap<String, String> {
    files(&[
        ("services.csv", SERVICES),
        (
            "organizations.csv",
            "id,name\no1,\"Example Health, Inc. (fictional)\"\n",
        ),
        (
            "locations.csv",
            "id,latitude,longitude,name\nl1,42.36,-71.06,Main\nl2,42.4,-71.1,\n",
        ),
        (
            "addresses.csv",
            "id,location_id,address_1,city,state_province,postal_code\na1,l1,\"1 Example Way, Suite 2\",Boston,MA,02110\n",
        ),
        (
            "service_at_location.csv",
            "id,service_id,location_id\nx1,s1,l1\nx2,s2,l2\nx3,s2,l-missing\n",
        ),
        (
            "schedules.csv",
            "id,service_at_location_id,freq,byday,opens_at,closes_at\nh1,x1,WEEKLY,\"MO,WE\",17:30,20:30\n",
        ),
        (
            "cost_options.csv",
            "id,service_id,option\nc1,s1,MassHealth\n",
        ),
        (
            "attributes.csv",
            "id,link_id,link_type,taxonomy_term_id\nt1,s1,service,k1\n",
        ),
        (
            "taxonomy_terms.csv",
            "id,code,name\nk1,dbt,Dialectical behavior therapy\n",
        ),
        (
            "languages.csv",
            "id,service_id,location_id,name,code\ng1,s1,,Spanish,es\n",
        ),
    ])
}

#[test]
fn quoted_fields_with_commas_quotes_and_line_breaks_are_read_whole() {
    let out = import_hsds_csv(&small(), &options()).unwrap();
    let p = &out.programs[0];
    assert_eq!(p.name, "Evening IOP, \"Bridge\"\nprogram");
    assert_eq!(p.organization, "Example Health, Inc. (fictional)");
    assert_eq!(p.location.address, "1 Example Way, Suite 2");
    assert_eq!(p.location.postal_code, "02110");
    assert_eq!(p.ages.min, 18);
    assert_eq!(p.payers, [carematch::Payer::MassHealth]);
    let days: Vec<carematch::Weekday> = p.tracks[0].sessions.iter().map(|s| s.day).collect();
    assert_eq!(days, [carematch::Weekday::Mon, carematch::Weekday::Wed]);
    assert_eq!(p.languages.len(), 1);
    assert_eq!(p.languages[0].to_string(), "es");
    // An attribute's taxonomy term, joined through taxonomy_term_id.
    assert!(
        p.approaches.contains(&carematch::Approach::Dbt),
        "{}",
        out.report
    );
}

#[test]
fn an_id_no_table_holds_is_reported_never_dropped() {
    let out = import_hsds_csv(&small(), &options()).unwrap();
    let notes: Vec<String> = out.report.notes.iter().map(ToString::to_string).collect();
    for want in [
        "services.csv: row 3: column `organization_id`: id \"o-missing\" is in no organizations.csv table",
        "service_at_location.csv: row 4: column `location_id`: id \"l-missing\" is in no locations.csv table",
    ] {
        assert!(
            notes.iter().any(|n| n.starts_with(want)),
            "{want}\n{notes:#?}"
        );
    }
    // The service at the missing location is refused, with why, under its CSV row.
    assert_eq!(out.report.records, 3);
    assert!(
        out.report
            .refused
            .iter()
            .any(|r| r.path.starts_with("services.csv: row 3") && r.reason.starts_with("no place")),
        "{}",
        out.report
    );
    assert_eq!(
        out.report.programs + out.report.refused.len(),
        out.report.records,
        "{}",
        out.report
    );
    // A column nothing reads has its line.
    assert!(out.report.line("locations.name", None).is_some());
}

#[test]
fn malformed_csv_gives_an_error_with_file_row_and_column() {
    for (name, text, path) in [
        (
            "services.csv",
            "id,name\ns1,ok\ns2,\"Adult \"IOP\n",
            "services.csv: row 3: column `name`",
        ),
        (
            "services.csv",
            "id,name\ns1,Adult \"IOP\"\n",
            "services.csv: row 2: column `name`",
        ),
        (
            "services.csv",
            "id,name\ns1,\"open\n",
            "services.csv: row 2: column `name`",
        ),
        ("services.csv", "id,name\ns1,a,b\n", "services.csv: row 2"),
        (
            "services.csv",
            "id,id\ns1,a\n",
            "services.csv: row 1: column `id`",
        ),
        (
            "services.csv",
            "name\nAdult IOP\n",
            "services.csv: row 1: column `id`",
        ),
        ("locations.csv", "id,latitude\nl1\n", "locations.csv: row 2"),
        ("services.txt", "id,name\n", "services.csv"),
    ] {
        let mut f = files(&[("locations.csv", "id\n")]);
        f.insert(name.to_owned(), text.to_owned());
        if name != "services.csv" && name != "services.txt" {
            f.insert("services.csv".to_owned(), "id,name\n".to_owned());
        }
        match import_hsds_csv(&f, &options()) {
            Err(e) if e.kind() == ErrorKind::Json => {
                assert_eq!(e.path(), Some(path), "{text:?}: {e}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

proptest::proptest! {
    #[test]
    fn arbitrary_csv_text_never_panics(
        services in "[a-z_,\"\r\n 0-9]{0,80}",
        sal in "(id,service_id,location_id\n)?[a-z0-9,\"\n]{0,40}",
        locations in "(id,latitude,longitude\n)?[a-z0-9,.\"\n-]{0,40}",
        header in proptest::bool::ANY,
    ) {
        let services = if header { format!("id,name\n{services}") } else { services };
        let f = files(&[
            ("services.csv", &services),
            ("service_at_location.csv", &sal),
            ("locations.csv", &locations),
        ]);
        if let Ok(out) = import_hsds_csv(&f, &options()) {
            proptest::prop_assert_eq!(
                out.report.programs + out.report.refused.len(),
                out.report.records
            );
        }
    }
}
