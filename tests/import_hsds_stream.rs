//! HSDS import streaming (issue 26, bounded work): `import_each` and
//! `import_hsds_csv_each` give each program to a sink as it is made; on every
//! HSDS fixture (JSON 3.x, CSV 3.0, 1.1 and 2.0; all fictional or the
//! specification's examples) they give the programs, in the same order, and
//! the report that the collecting `import` and `import_hsds_csv` give.

mod hsds_package;
use hsds_package::package;

use std::collections::BTreeMap;

use carematch::import::{
    Format, ImportOptions, import, import_each, import_hsds_csv, import_hsds_csv_each,
};
use carematch::{Program, sample};

fn data(path: &str) -> String {
    format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF).with_creole("ht".parse().unwrap())
}

const JSON: &[&str] = &[
    "formats/hsds/fictional_services.json",
    "formats/hsds/location.json",
    "formats/hsds/organization_full.json",
    "formats/hsds/service_at_location_full.json",
    "formats/hsds/service_full.json",
    "formats/hsds/service_list.json",
    "import/hsds3_places_fictional.json",
    "import/hsds3_real_shapes_fictional.json",
];

const CSV: &[&str] = &["formats/hsds/csv", "import/hsds-1.1", "import/hsds-2.0"];

#[test]
fn streaming_an_hsds_document_gives_what_collecting_gives() {
    let mut made = 0;
    for path in JSON {
        let text = std::fs::read_to_string(data(path)).unwrap();
        let collected = import(Format::Hsds, &text, &options()).unwrap();
        let mut streamed: Vec<Program> = Vec::new();
        let report = import_each(Format::Hsds, &text, &options(), |p| streamed.push(p)).unwrap();
        assert_eq!(streamed, collected.programs, "{path}: the programs");
        assert_eq!(report, collected.report, "{path}: the report");
        assert_eq!(report.programs, streamed.len(), "{path}: the count");
        made += streamed.len();
    }
    assert!(made >= 10, "the fixtures make programs: {made}");
}

#[test]
fn streaming_an_hsds_csv_package_gives_what_collecting_gives() {
    let mut made = 0;
    for dir in CSV {
        let files = package(dir);
        let collected = import_hsds_csv(&files, &options()).unwrap();
        made += collected.programs.len();
        let mut streamed: Vec<Program> = Vec::new();
        let report = import_hsds_csv_each(&files, &options(), |p| streamed.push(p)).unwrap();
        assert_eq!(streamed, collected.programs, "{dir}: the programs");
        assert_eq!(report, collected.report, "{dir}: the report");
        // Given by value (its texts dropped before the report is made whole).
        let mut ids = Vec::new();
        let by_value = import_hsds_csv_each(files, &options(), |p| ids.push(p.id)).unwrap();
        assert_eq!(by_value, collected.report, "{dir}: by value");
        let want: Vec<_> = collected.programs.iter().map(|p| p.id.clone()).collect();
        assert_eq!(ids, want, "{dir}: by value, the programs");
    }
    assert!(made >= 5, "the packages make programs: {made}");
}

#[test]
fn other_formats_stream_what_they_collect() {
    for (format, path) in [
        (Format::Samhsa, "import/samhsa_real_shapes_fictional.json"),
        (Format::Fhir, "import/fhir_places_fictional.json"),
    ] {
        let text = std::fs::read_to_string(data(path)).unwrap();
        let collected = import(format, &text, &options()).unwrap();
        assert!(!collected.programs.is_empty(), "{path} makes programs");
        let mut streamed: Vec<Program> = Vec::new();
        let report = import_each(format, &text, &options(), |p| streamed.push(p)).unwrap();
        assert_eq!(streamed, collected.programs, "{path}: the programs");
        assert_eq!(report, collected.report, "{path}: the report");
    }
}

/// A list or a page of services is read one item at a time; every other
/// shape whole. Each gives what collecting gives: a page's paging keys
/// reported, an item's error with its path under `contents`, a page whose
/// `contents` is not a list, and a key written with an escape (read whole).
#[test]
fn lists_and_pages_read_item_by_item_give_what_collecting_gives() {
    let service = |id: &str| {
        format!(
            r#"{{"id": "{id}", "name": "Adult Intensive Outpatient Program (fictional)",
            "service_at_locations": [{{"location": {{"id": "l{id}", "latitude": 42.36,
            "longitude": -71.06}}}}]}}"#
        )
    };
    let texts = [
        format!("[{}, {}]", service("s1"), service("s2")),
        format!(
            r#"{{"total_items": 2, "page_number": 1, "contents": [{}, {}]}}"#,
            service("s1"),
            service("s2")
        ),
        format!(
            r#"{{"size": 2, "contents": [{}, {{"name": "x", "schedules": 3}}]}}"#,
            service("s1")
        ),
        r#"{"contents": 3}"#.to_owned(),
        format!(r#"{{"cont\u0065nts": [{}]}}"#, service("s1")),
        format!(
            r#"{{"services": [{}], "name": "Org (fictional)"}}"#,
            service("s1")
        ),
    ];
    for text in &texts {
        let collected = import(Format::Hsds, text, &options());
        let mut streamed: Vec<Program> = Vec::new();
        let report = import_each(Format::Hsds, text, &options(), |p| streamed.push(p));
        match (collected, report) {
            (Ok(c), Ok(r)) => {
                assert_eq!(streamed, c.programs, "{text}");
                assert_eq!(r, c.report, "{text}");
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "{text}");
                assert!(streamed.is_empty(), "{text}");
            }
            (a, b) => panic!("{text}: collecting {a:?}, streaming {b:?}"),
        }
    }
}

#[test]
fn an_error_comes_before_any_program() {
    // The second service's list of services at locations is malformed: the
    // first service is never given.
    let json = r#"[{"id": "s1", "name": "Adult Intensive Outpatient Program (fictional)",
        "service_at_locations": [{"location": {"id": "l1", "latitude": 42.36, "longitude": -71.06}}]},
        {"id": "s2", "name": "Outpatient Clinic (fictional)", "service_at_locations": 3}]"#;
    let mut given = 0;
    let err = import_each(Format::Hsds, json, &options(), |_| given += 1).unwrap_err();
    assert_eq!(given, 0);
    assert!(
        err.to_string().starts_with("[1].service_at_locations: "),
        "{err}"
    );
    // A malformed table of a package: nothing is given either.
    let mut files = package("import/hsds-1.1");
    files.insert("locations.csv".into(), "id,name\nl1,\"a\n".into());
    let err = import_hsds_csv_each(files, &options(), |_| given += 1).unwrap_err();
    assert_eq!(given, 0);
    assert!(
        err.to_string()
            .starts_with("locations.csv: row 2: column `name`"),
        "{err}"
    );
}

#[test]
fn rows_are_read_from_the_text_as_written() {
    // A byte-order mark, CRLF line ends, blank lines, a quoted name with
    // doubled quotes and a comma, a quoted cell with spaces around it, and
    // 1.x postal addresses appended to the physical ones (all fictional).
    let mut files = BTreeMap::new();
    files.insert(
        "services.csv".to_owned(),
        "\u{feff}id,name,description,status\r\n\r\ns1,\"Adult \"\"Bridge\"\" Intensive Outpatient Program, evenings\",\"  Therapy for adults.  \",active\r\n"
            .to_owned(),
    );
    files.insert(
        "services_at_location.csv".to_owned(),
        "id,service_id,location_id\nsal1,s1,l1\n".to_owned(),
    );
    files.insert(
        "locations.csv".to_owned(),
        "id,name,latitude,longitude\nl1,Site,42.36,-71.06\n".to_owned(),
    );
    files.insert(
        "physical_addresses.csv".to_owned(),
        "id,location_id,address_1,city,state_province,postal_code\npa1,l1,1 Example Way,Boston,MA,02110\n"
            .to_owned(),
    );
    files.insert(
        "postal_addresses.csv".to_owned(),
        "id,location_id,address_1,city,state_province,postal_code\npo1,l1,\"PO Box \"\"9\"\"\",Boston,MA,02111\n"
            .to_owned(),
    );
    let out = import_hsds_csv(&files, &options()).unwrap();
    assert_eq!(out.programs.len(), 1, "{}", out.report);
    let p = &out.programs[0];
    assert_eq!(
        p.name,
        "Adult \"Bridge\" Intensive Outpatient Program, evenings"
    );
    assert_eq!(p.id.as_str(), "hsds-s1-l1");
    // The physical address, not the postal one appended after it.
    assert_eq!(p.location.address, "1 Example Way");
    assert_eq!(p.location.postal_code, "02110");
    let name = out.report.line("service.name", None).unwrap();
    assert_eq!(
        name.paths,
        ["services.csv: row 2, service_at_location.csv: row 2: name"]
    );
}
