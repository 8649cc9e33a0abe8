//! Issue 26, places and dates as written: the embedded Census places table
//! and its lookup; sites with an address but no coordinates located at their
//! ZIP code's centre and marked approximate; telehealth programs with no
//! place imported with their location not listed (never excluded for a
//! distance no one knows); undated records with their verification date not
//! listed. Fixtures are fictional, in the real shapes.

use carematch::import::{Format, ImportOptions, Outcome, import};
use carematch::matching::{
    Alert, Criterion, ExclusionKind, Explanation, MatchOptions, Reason, Weights,
};
use carematch::places::{self, PlaceError, PlaceKind};
use carematch::{
    Delivery, DeliveryPreference, Directory, LevelOfCare, LocationPrecision, NotListed, Program,
    programs_from_json, sample,
};

fn options() -> ImportOptions {
    ImportOptions::new(sample::AS_OF)
}

fn data(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn by_name<'a>(programs: &'a [Program], name: &str) -> &'a Program {
    programs
        .iter()
        .find(|p| p.name.starts_with(name))
        .unwrap_or_else(|| panic!("no program {name}"))
}

// ------------------------------------------------------------ the table

#[test]
fn a_zip_code_a_town_and_a_misspelled_town_are_found() {
    let zip = places::lookup("01608").unwrap();
    assert_eq!((zip.kind, zip.state.as_str()), (PlaceKind::Zip, "MA"));
    // The Census internal point of ZCTA 01608 (downtown Worcester).
    assert!((zip.latitude - 42.262).abs() < 0.001 && (zip.longitude + 71.8015).abs() < 0.001);
    assert_eq!(places::lookup(" 01608-4321 ").unwrap(), zip);

    for written in [
        "Worcester",
        "worcester, ma",
        "WORCESTER MA",
        "City of Worcester",
        "Worcester city",
    ] {
        let t = places::lookup(written).unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(
            (t.name.as_str(), t.kind),
            ("Worcester", PlaceKind::City),
            "{written}"
        );
    }
    // A town with a city form of government ("Amherst Town city" in the Census).
    assert_eq!(places::lookup("Amherst").unwrap().kind, PlaceKind::City);
    assert_eq!(places::lookup("Nantucket").unwrap().kind, PlaceKind::Town);
    assert_eq!(
        places::lookup("manchester by the sea").unwrap().name,
        "Manchester-by-the-Sea"
    );

    let e = places::lookup("Worcestor, MA").unwrap_err();
    assert_eq!(e.suggestions(), ["Worcester"]);
    assert!(e.to_string().contains("did you mean Worcester?"), "{e}");
    // Beyond Massachusetts: ZIP codes only, in every state, each with the
    // state the Census relationship file gives it.
    assert_eq!(places::lookup("05401").unwrap().state, "VT");
    let miami = places::lookup("33136").unwrap();
    assert_eq!((miami.kind, miami.state.as_str()), (PlaceKind::Zip, "FL"));
    assert!((miami.latitude - 25.787).abs() < 0.001 && (miami.longitude + 80.2047).abs() < 0.001);
    assert_eq!(places::lookup("10001").unwrap().state, "NY");
    assert_eq!(places::lookup("99501").unwrap().state, "AK");
    assert_eq!(places::lookup("00601").unwrap().state, "PR");
    assert!(matches!(
        places::lookup("Providence, RI"),
        Err(PlaceError::OtherState { .. })
    ));
}

#[test]
fn an_unknown_zip_code_and_other_digits_are_clear_errors() {
    // Five digits with no Census ZCTA (post-office boxes and single
    // businesses have none), and no ZIP code at all.
    for zip in ["10008", "00000", "99999"] {
        let e = places::lookup(zip).unwrap_err();
        assert_eq!(e, PlaceError::UnknownZip { zip: zip.into() });
        assert!(e.to_string().contains("ZIP Code Tabulation Area"), "{e}");
    }
    assert!(matches!(
        places::lookup("0160"),
        Err(PlaceError::NotAZip { .. })
    ));
    assert!(matches!(
        places::lookup("01608-12"),
        Err(PlaceError::NotAZip { .. })
    ));
    assert_eq!(places::lookup("   "), Err(PlaceError::Empty));
    // Through the crate's error: a parse error naming the input.
    let e: carematch::Error = places::lookup("Atlantis").unwrap_err().into();
    assert_eq!(e.kind(), carematch::ErrorKind::Parse);
    assert_eq!(e.input(), Some("Atlantis"));
}

#[test]
fn a_place_serializes_for_machines_and_prints_for_people() {
    let p = places::lookup("Springfield").unwrap();
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["kind"], "city");
    assert_eq!(json["state"], "MA");
    let back: places::Place = serde_json::from_value(json).unwrap();
    assert_eq!(back, p);
    assert_eq!(p.to_string(), "Springfield, MA (city): 42.1155, -72.5400");
}

// ------------------------------------------------------------ SAMHSA

#[test]
fn samhsa_an_address_without_coordinates_is_placed_at_its_zip_code_centre() {
    let out = import(
        Format::Samhsa,
        &data("samhsa_places_fictional.json"),
        &options(),
    )
    .unwrap();
    let ps = &out.programs;
    let main = by_name(ps, "Main Street Counseling");
    let centre = places::lookup("01608").unwrap();
    assert_eq!(main.location.precision, LocationPrecision::ZipCentre);
    assert_eq!(main.location.point(), centre.point());
    assert_eq!(main.location.address, "1 Example St");
    assert!(main.is_listed(NotListed::Location));
    assert_eq!(
        out.report
            .line("(location)", Some("no coordinates: the ZIP code's centre"))
            .unwrap()
            .count,
        1
    );
}

#[test]
fn samhsa_a_telehealth_program_with_no_place_is_kept_and_others_are_refused() {
    let out = import(
        Format::Samhsa,
        &data("samhsa_places_fictional.json"),
        &options(),
    )
    .unwrap();
    assert_eq!(out.report.records, 4);
    assert_eq!(out.programs.len(), 2, "{}", out.report);
    let tele = by_name(&out.programs, "Statewide Telehealth Recovery");
    assert!(!tele.is_listed(NotListed::Location));
    // In person as well in the source: no place to attend, so telehealth only, and said so.
    assert_eq!(tele.delivery, [Delivery::Telehealth]);
    assert!(
        out.report
            .line("(delivery)", Some("in person, with no place listed"))
            .is_some(),
        "{}",
        out.report
    );
    assert_eq!(tele.location.state, "MA");
    assert_eq!(tele.location.point().latitude, 0.0);
    // Neither a place nor telehealth: refused with that reason; so is an
    // address whose ZIP code the table does not hold.
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    assert_eq!(refused.len(), 2, "{refused:#?}");
    assert!(
        refused
            .iter()
            .all(|r| r.contains("no place") && r.contains("no telehealth")),
        "{refused:#?}"
    );
    assert!(
        out.report
            .line(
                "(location)",
                Some("no coordinates, ZIP code not in the table")
            )
            .is_some()
    );
    // Every imported program validates, and reads back from JSON as written.
    let json = serde_json::to_string(&out.programs).unwrap();
    assert!(json.contains(r#""precision":"zip_centre""#));
    assert!(json.contains(r#""location""#) && json.contains(r#""last_verified""#));
    let back = programs_from_json(&format!(r#"{{"programs": {json}}}"#)).unwrap();
    assert_eq!(back, out.programs);
}

// ------------------------------------------------------------ HSDS

#[test]
fn hsds_3_addresses_virtual_locations_and_services_without_one() {
    let out = import(
        Format::Hsds,
        &data("hsds3_places_fictional.json"),
        &options(),
    )
    .unwrap();
    let ps = &out.programs;
    assert_eq!(ps.len(), 3, "{}", out.report);
    let office = by_name(ps, "Outpatient Mental Health Counseling");
    assert_eq!(office.location.precision, LocationPrecision::ZipCentre);
    let lowell = places::lookup("Lowell").unwrap();
    assert!(office.location.point().miles_to(lowell.point()) < 3.0);
    for name in [
        "Telehealth Counseling for Depression",
        "Outpatient Substance Use Counseling",
    ] {
        let p = by_name(ps, name);
        assert!(!p.is_listed(NotListed::Location), "{name}");
        assert_eq!(p.delivery, [Delivery::Telehealth], "{name}");
        assert_eq!(p.levels, [LevelOfCare::Outpatient], "{name}");
    }
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert!(refused[0].contains("no place"), "{refused:#?}");
}

#[test]
fn hsds_1_1_a_street_address_without_coordinates_is_placed_by_its_zip_code() {
    let dir = format!("{}/tests/data/import/hsds-1.1", env!("CARGO_MANIFEST_DIR"));
    let package: std::collections::BTreeMap<String, String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let out = carematch::import::import_hsds_csv(&package, &options()).unwrap();
    let walk_in = by_name(&out.programs, "Walk-in Counseling");
    assert_eq!(walk_in.location.precision, LocationPrecision::ZipCentre);
    assert_eq!(walk_in.location.postal_code, "01852");
    assert_eq!(
        walk_in.location.point(),
        places::lookup("01852").unwrap().point()
    );
}

// ------------------------------------------------------------ FHIR

#[test]
fn fhir_a_location_without_position_and_virtual_only_services() {
    let out = import(
        Format::Fhir,
        &data("fhir_places_fictional.json"),
        &options(),
    )
    .unwrap();
    let ps = &out.programs;
    assert_eq!(ps.len(), 3, "{}", out.report);
    let office = by_name(ps, "Outpatient Behavioral Health Clinic");
    assert_eq!(office.location.precision, LocationPrecision::ZipCentre);
    assert_eq!(
        office.location.point(),
        places::lookup("01103").unwrap().point()
    );
    // Virtual only: no Location by nature; telehealth, licensed where its
    // coverage area is, else where its organization is.
    let virt = by_name(ps, "Virtual Outpatient Counseling");
    assert!(!virt.is_listed(NotListed::Location));
    assert_eq!(virt.delivery, [Delivery::Telehealth]);
    assert_eq!(virt.licensed_states, ["MA"]);
    let by_org = by_name(ps, "Virtual Outpatient Psychiatry");
    assert_eq!(by_org.licensed_states, ["NH"]);
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert!(
        refused[0].contains("svc-nowhere") || refused[0].contains("no place"),
        "{refused:#?}"
    );
    assert!(matches!(
        out.report
            .line("(licensed_states)", Some("coverageArea"))
            .map(|l| &l.outcome),
        Some(Outcome::Mapped { .. })
    ));
}

// ------------------------------------------------------------ matching

/// An adult outpatient near Worcester who takes either delivery, 30 miles at most.
fn near_worcester(delivery: DeliveryPreference) -> carematch::PatientNeeds {
    let mut needs = sample::patients()[0].needs.clone();
    needs.age = 35;
    needs.level = Some(LevelOfCare::Outpatient);
    needs.location = Some(places::lookup("Worcester").unwrap().point());
    needs.max_travel_miles = Some(30.0);
    needs.delivery = delivery;
    needs.state = Some("MA".into());
    needs
}

/// The query of [`near_worcester`] against `dir`.
fn query(dir: &Directory, delivery: DeliveryPreference) -> carematch::matching::Query {
    let needs = near_worcester(delivery);
    dir.query(
        &needs,
        LevelOfCare::Outpatient,
        MatchOptions::new(sample::AS_OF),
    )
    .unwrap()
}

fn imported() -> Vec<Program> {
    import(
        Format::Samhsa,
        &data("samhsa_places_fictional.json"),
        &options(),
    )
    .unwrap()
    .programs
}

#[test]
fn an_approximate_place_says_so_and_a_place_not_listed_never_excludes() {
    let programs = imported();
    let dir = Directory::new(programs.clone(), sample::AS_OF).unwrap();
    let q = query(&dir, DeliveryPreference::Either);
    let r = dir.rank(&q, &Weights::default(), 10);
    assert_eq!(r.matches.len(), 2, "{r}");
    let main = r
        .matches
        .iter()
        .find(|m| m.program_name.starts_with("Main"))
        .unwrap();
    let d = main.criterion(Criterion::Distance);
    let [Reason::ApproximateDistance { miles }] = d.reasons[..] else {
        panic!("{:?}", d.reasons)
    };
    assert!(miles < 1.0, "{miles}");
    assert!(
        d.reasons[0].to_string().starts_with(&format!(
            "about {miles:.1} miles, from the ZIP code's centre"
        )),
        "{}",
        d.reasons[0]
    );
    // Scored as any distance.
    assert_eq!(d.score, Some(0.5f64.powf(miles / 15.0)));

    // The telehealth program with no place: ranked, no travel, the location unconfirmed.
    let tele = r
        .matches
        .iter()
        .find(|m| m.program_name.starts_with("Statewide"))
        .unwrap();
    assert_eq!(
        tele.criterion(Criterion::Distance).reasons,
        [Reason::TelehealthNoTravel { miles: None }]
    );
    let unconfirmed = tele
        .alerts
        .iter()
        .find_map(|a| match a {
            Alert::Unconfirmed { not_listed } => Some(not_listed),
            _ => None,
        })
        .unwrap();
    assert!(
        unconfirmed.contains(&NotListed::Location),
        "{unconfirmed:?}"
    );

    // In person only: excluded for its delivery, never as too far.
    let q = query(&dir, DeliveryPreference::InPerson);
    let id = programs
        .iter()
        .find(|p| !p.is_listed(NotListed::Location))
        .unwrap()
        .id
        .clone();
    let Explanation::Excluded { details } = dir.explain(&q, &Weights::default(), id.as_str())
    else {
        panic!("not excluded")
    };
    let kinds: Vec<ExclusionKind> = details.reasons.iter().map(|r| r.kind()).collect();
    assert_eq!(kinds, [ExclusionKind::DeliveryNotAccepted], "{details}");
    let r = dir.rank(&q, &Weights::default(), 10);
    assert!(
        r.exclusion_counts
            .iter()
            .all(|c| c.reason != ExclusionKind::TooFar),
        "{r}"
    );
}

#[test]
fn an_undated_record_is_not_scored_for_freshness_and_says_so() {
    let programs = imported();
    assert!(
        programs
            .iter()
            .all(|p| !p.is_listed(NotListed::LastVerified))
    );
    let out = import(
        Format::Samhsa,
        &data("samhsa_places_fictional.json"),
        &options(),
    )
    .unwrap();
    assert_eq!(
        out.report
            .line("(last_verified)", Some("not listed"))
            .unwrap()
            .count,
        2
    );
    let dir = Directory::new(programs, sample::AS_OF).unwrap();
    let q = query(&dir, DeliveryPreference::Either);
    let r = dir.rank(&q, &Weights::default(), 10);
    for m in &r.matches {
        let f = m.criterion(Criterion::Freshness);
        assert_eq!(f.score, None, "{}", m.program_name);
        assert_eq!(
            f.reasons,
            [Reason::NotListed {
                part: NotListed::LastVerified
            }]
        );
        assert_eq!(
            f.reasons[0].to_string(),
            "verification date not listed; confirm with the program"
        );
        assert!(
            !m.alerts
                .iter()
                .any(|a| matches!(a, Alert::StaleData { .. }))
        );
        assert!(m.alerts.iter().any(|a| matches!(a,
            Alert::Unconfirmed { not_listed } if not_listed.contains(&NotListed::LastVerified))));
    }

    // The operator gives the page's date (2019): read, scored, stale.
    let d: carematch::Date = "2019-06-01".parse().unwrap();
    let out = import(
        Format::Samhsa,
        &data("samhsa_places_fictional.json"),
        &options().with_source_date(d),
    )
    .unwrap();
    assert!(
        out.programs
            .iter()
            .all(|p| p.is_listed(NotListed::LastVerified) && p.last_verified == d)
    );
    let dir = Directory::new(out.programs, sample::AS_OF).unwrap();
    let r = dir.rank(&q, &Weights::default(), 10);
    for m in &r.matches {
        assert_eq!(m.criterion(Criterion::Freshness).score, Some(0.25));
        assert!(
            m.alerts
                .iter()
                .any(|a| matches!(a, Alert::StaleData { .. }))
        );
    }
}

// ------------------------------------------------------------ JSON and validation

#[test]
fn program_json_without_the_new_fields_reads_as_before() {
    let mut p = sample::massachusetts().remove(0);
    let json = serde_json::to_string(&p).unwrap();
    assert!(!json.contains("precision"), "as listed is left out");
    assert_eq!(serde_json::from_str::<Program>(&json).unwrap(), p);
    p.not_listed.push(NotListed::LastVerified);
    p.location.precision = LocationPrecision::ZipCentre;
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains(r#""not_listed":["last_verified"]"#), "{json}");
    assert_eq!(serde_json::from_str::<Program>(&json).unwrap(), p);
}

#[test]
fn a_location_not_listed_is_for_telehealth_alone_and_leaves_the_place_empty() {
    let mut p = sample::massachusetts().remove(0);
    p.not_listed.push(NotListed::Location);
    let report = p.validate(sample::AS_OF);
    let errors: Vec<String> = report
        .errors()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    assert!(
        errors.iter().any(|e| e.contains("telehealth alone")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`location` is named as not listed but `location` is given")),
        "{errors:#?}"
    );
    p.delivery = vec![Delivery::Telehealth];
    p.location = carematch::Location::not_listed("MA");
    assert!(!p.validate(sample::AS_OF).has_errors());
}
