//! Validation of directories and patients: every problem is reported at once,
//! with its field path and an exact message, errors kept apart from
//! warnings; JSON that cannot be read names the field. A failure means a
//! directory maintainer would be told the wrong thing, or not told at all.

mod common;

use carematch::{
    AgeRange, Condition, Date, Delivery, Diagnosis, Error, ErrorKind, FamilyInvolvement, GeoPoint,
    Language, LevelOfCare, License, Location, Modality, PatientNeeds, Payer, Problem,
    ProblemSeverity, Program, Session, Staff, TimeOfDay, TimeWindow, Track, ValidationReport,
    Weekday, validate_programs,
};
use common::*;
use proptest::prelude::*;

const AS_OF_TEXT: &str = "2026-11-01";

fn date(s: &str) -> Date {
    s.parse().expect("a date")
}

fn hm(h: u8, m: u8) -> TimeOfDay {
    TimeOfDay::hm(h, m).expect("a time")
}

/// A clean adult evening IOP in Worcester: 3 x 3 h = 9 h a week.
fn program(id: &str) -> Program {
    Program {
        id: id.parse().expect("an id"),
        name: format!("{id} evening IOP"),
        organization: "Example Behavioral Health".into(),
        levels: vec![LevelOfCare::IntensiveOutpatient],
        tracks: vec![evening_track(
            LevelOfCare::IntensiveOutpatient,
            3,
            (17, 30),
            (20, 30),
        )],
        modalities: vec![Modality::Group, Modality::Individual],
        approaches: vec![carematch::Approach::Cbt],
        specialties: vec![Condition::Depressive],
        excluded_conditions: vec![],
        staff: Staff::default().with_license(License::Licsw, 2),
        facility_credentials: vec![],
        aftercare: vec![],
        family_involvement: FamilyInvolvement::OnRequest,
        payers: vec![Payer::MassHealth],
        ages: AgeRange { min: 18, max: 120 },
        populations: vec![],
        restricted_to: vec![],
        languages: vec![Language::ENGLISH],
        interpreter_services: false,
        delivery: vec![Delivery::InPerson],
        location: Location {
            address: "1 Example Way".into(),
            city: "Worcester".into(),
            state: "MA".into(),
            postal_code: "01608".into(),
            latitude: 42.2626,
            longitude: -71.8023,
            precision: Default::default(),
        },
        accepting_new_patients: true,
        typical_wait_days: Some(7),
        last_verified: date("2026-09-15"),
        licensed_states: Vec::new(),
        not_listed: Vec::new(),
        open_slots: Some(2),
        admits: Vec::new(),
        moud_medications: Vec::new(),
        opioid_treatment_program: false,
        coordinates_with_otp: false,
        withdrawal_management: false,
        medical_monitoring: false,
    }
}

/// A track at `level` on the first `days` weekdays, `start` to `end` each day.
fn evening_track(level: LevelOfCare, days: usize, start: (u8, u8), end: (u8, u8)) -> Track {
    let w = TimeWindow::hm(start, end).expect("a window");
    Track::new("evening", level).with_sessions(Weekday::ALL[..days].iter().copied(), w)
}

/// The problems of `report` as `severity: path: message` lines.
fn lines(report: &ValidationReport) -> Vec<String> {
    report.problems.iter().map(Problem::to_string).collect()
}

/// `report` holds exactly `expected`, in order.
#[track_caller]
fn assert_problems(report: &ValidationReport, expected: &[&str]) {
    assert_eq!(lines(report), expected, "\n{report}");
}

#[test]
fn a_clean_program_has_no_problem() {
    let report = validate_programs(&[program("a"), program("b")], AS_OF);
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.to_string(), "0 errors, 0 warnings");
    assert_eq!(AS_OF.to_string(), AS_OF_TEXT);
}

#[test]
fn every_problem_of_a_directory_is_reported_at_once() {
    let mut programs: Vec<Program> = (0..10).map(|i| program(&format!("p{i}"))).collect();
    programs[1].name = "  ".into();
    programs[2].ages = AgeRange { min: 30, max: 20 };
    programs[3].tracks.push(evening_track(
        LevelOfCare::IntensiveOutpatient,
        3,
        (9, 0),
        (12, 0),
    ));
    programs[3].tracks[1].sessions[0].window = TimeWindow {
        start: hm(12, 0),
        end: hm(9, 0),
    };
    programs[4].location.latitude = 142.0;
    programs[5].id = programs[0].id.clone();
    programs[6].last_verified = date("2026-11-02");
    // IOP: 3 x 2.5 h = 7.5 h for adults; 2 x 2.5 h = 5 h for adolescents.
    programs[7].tracks = vec![evening_track(
        LevelOfCare::IntensiveOutpatient,
        3,
        (17, 30),
        (20, 0),
    )];
    programs[8].ages = AgeRange { min: 13, max: 17 };
    programs[8].tracks = vec![evening_track(
        LevelOfCare::IntensiveOutpatient,
        2,
        (15, 30),
        (18, 0),
    )];
    // PHP: 5 x 3.5 h = 17.5 h.
    programs[9].levels = vec![LevelOfCare::PartialHospitalization];
    programs[9].tracks = vec![evening_track(
        LevelOfCare::PartialHospitalization,
        5,
        (9, 0),
        (12, 30),
    )];

    let report = validate_programs(&programs, AS_OF);
    assert_problems(
        &report,
        &[
            "error: programs[1].name: is empty",
            "error: programs[2].ages: min 30 is above max 20",
            "error: programs[3].tracks[1].sessions[0]: ends at 09:00, before it starts at 12:00",
            "error: programs[4].location: latitude 142 is outside -90 to 90",
            "error: programs[5].id: duplicates programs[0].id `p0`",
            "error: programs[6].last_verified: 2026-11-02 is in the future (as of 2026-11-01)",
            "warning: programs[7].tracks[0]: gives 7.5 hours a week; intensive outpatient for adults usually needs 9-19",
            "warning: programs[8].tracks[0]: gives 5.0 hours a week; intensive outpatient for adolescents usually needs 6-19",
            "warning: programs[9].tracks[0]: gives 17.5 hours a week; partial hospitalization for adults usually needs at least 20",
        ],
    );
    assert_eq!(report.errors().count(), 6);
    assert_eq!(report.warnings().count(), 3);
    assert!(
        report
            .errors()
            .all(|p| p.severity == ProblemSeverity::Error)
    );
    assert!(
        report
            .warnings()
            .all(|p| p.severity == ProblemSeverity::Warning)
    );
    assert!(
        report
            .to_string()
            .starts_with("6 errors, 3 warnings\n  error: programs[1].name")
    );
    match report.clone().into_result() {
        // The error carries the errors, never the warnings.
        Err(e) if e.kind() == ErrorKind::Invalid => {
            assert_eq!(
                e.problems().to_vec(),
                report.errors().cloned().collect::<Vec<_>>()
            );
            assert!(
                e.problems()
                    .iter()
                    .all(|p| p.severity == ProblemSeverity::Error)
            );
        }
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

#[test]
fn warnings_alone_do_not_make_a_directory_invalid() {
    let mut p = program("short");
    p.tracks = vec![evening_track(
        LevelOfCare::IntensiveOutpatient,
        2,
        (17, 30),
        (20, 30),
    )];
    let report = validate_programs(&[p], AS_OF);
    assert_problems(
        &report,
        &[
            "warning: programs[0].tracks[0]: gives 6.0 hours a week; intensive outpatient for adults usually needs 9-19",
        ],
    );
    assert!(!report.has_errors());
    assert_eq!(report.clone().into_result(), Ok(report));
}

#[test]
fn weekly_hours_at_the_edges_of_each_standard() {
    // (level, ages, days, session end from 09:00, warned)
    let cases = [
        (
            LevelOfCare::IntensiveOutpatient,
            (18, 120),
            3,
            (12, 0),
            false,
        ), // 9 h
        (
            LevelOfCare::IntensiveOutpatient,
            (18, 120),
            3,
            (11, 59),
            true,
        ), // 8.95 h
        (
            LevelOfCare::IntensiveOutpatient,
            (18, 120),
            5,
            (12, 48),
            false,
        ), // 19 h
        (
            LevelOfCare::IntensiveOutpatient,
            (18, 120),
            5,
            (12, 51),
            true,
        ), // 19.25 h
        (
            LevelOfCare::IntensiveOutpatient,
            (13, 17),
            2,
            (12, 0),
            false,
        ), // 6 h
        (
            LevelOfCare::IntensiveOutpatient,
            (13, 17),
            2,
            (11, 59),
            true,
        ), // 5.97 h
        (LevelOfCare::IntensiveOutpatient, (13, 18), 2, (12, 0), true), // 6 h, not minors only
        (
            LevelOfCare::PartialHospitalization,
            (18, 120),
            5,
            (13, 0),
            false,
        ), // 20 h
        (
            LevelOfCare::PartialHospitalization,
            (18, 120),
            5,
            (12, 59),
            true,
        ), // 19.9 h
        (
            LevelOfCare::PartialHospitalization,
            (18, 120),
            7,
            (24, 0),
            false,
        ), // 105 h
        (LevelOfCare::Outpatient, (18, 120), 1, (10, 0), false),        // no standard
    ];
    for (level, (min, max), days, end, warned) in cases {
        let mut p = program("edge");
        p.levels = vec![level];
        p.ages = AgeRange { min, max };
        p.tracks = vec![evening_track(level, days, (9, 0), end)];
        let report = p.validate(AS_OF);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(
            report.warnings().any(|w| w.path == "tracks[0]"),
            warned,
            "{level} for {min}-{max}, {days} days to {end:?}: {report}"
        );
    }
}

#[test]
fn every_rule_of_one_program() {
    let mut p = program("all-wrong");
    p.name.clear();
    p.organization = " ".into();
    p.levels = vec![LevelOfCare::Residential];
    p.tracks = vec![
        Track::new("", LevelOfCare::IntensiveOutpatient),
        Track {
            sessions: vec![Session::new(
                Weekday::Sat,
                TimeWindow {
                    start: hm(9, 0),
                    end: hm(9, 0),
                },
            )],
            ..Track::new("weekend", LevelOfCare::Residential)
        },
    ];
    p.modalities.clear();
    p.specialties = vec![Condition::Ptsd, Condition::AlcoholUse];
    p.excluded_conditions = vec![Condition::SubstanceUse];
    p.staff = Staff::default().with_license(License::Lmhc, 0);
    p.payers.clear();
    p.ages = AgeRange { min: 18, max: 130 };
    p.languages.clear();
    p.delivery.clear();
    p.location.longitude = -200.0;
    p.location.city = String::new();
    p.typical_wait_days = Some(400);
    p.last_verified = date("2027-01-01");
    assert_problems(
        &p.validate(AS_OF),
        &[
            "error: name: is empty",
            "error: organization: is empty",
            "error: tracks[0].name: is empty",
            "error: tracks[0].level: intensive outpatient is not among the program's levels",
            "error: tracks[0].sessions: the track has no sessions",
            "error: tracks[1].sessions[0]: ends when it starts, at 09:00",
            "warning: modalities: lists no modality",
            "error: specialties[1]: alcohol use disorder is also an excluded condition",
            "warning: staff.licenses.lmhc: count is 0",
            "warning: payers: accepts no payer, so no patient can be matched",
            "error: ages: max 130 is above 120",
            "error: languages: lists no language",
            "error: delivery: lists no delivery mode",
            "error: location: longitude -200 is outside -180 to 180",
            "error: location.city: is empty",
            "warning: typical_wait_days: 400 days is over a year",
            "error: last_verified: 2027-01-01 is in the future (as of 2026-11-01)",
        ],
    );

    let mut q = program("no-levels");
    q.levels.clear();
    q.tracks.clear();
    assert_problems(
        &q.validate(AS_OF),
        &["error: levels: lists no level of care"],
    );
    q.levels = vec![LevelOfCare::IntensiveOutpatient];
    assert_problems(
        &q.validate(AS_OF),
        &["warning: tracks: no tracks: schedule fit cannot be judged"],
    );
}

#[test]
fn each_duplicate_id_names_the_first_use() {
    let programs = [
        program("a"),
        program("b"),
        program("a"),
        program("b"),
        program("a"),
    ];
    assert_problems(
        &validate_programs(&programs, AS_OF),
        &[
            "error: programs[2].id: duplicates programs[0].id `a`",
            "error: programs[3].id: duplicates programs[1].id `b`",
            "error: programs[4].id: duplicates programs[0].id `a`",
        ],
    );
}

#[test]
fn a_directory_report_is_its_programs_reports_under_their_paths() {
    let mut programs = vec![program("x"), program("y"), program("z")];
    programs[0].name.clear();
    programs[2].languages.clear();
    programs[2].payers.clear();
    let report = validate_programs(&programs, AS_OF);
    let mut expected = Vec::new();
    for (i, p) in programs.iter().enumerate() {
        for problem in p.validate(AS_OF).problems {
            expected.push(Problem::new(
                problem.severity,
                format!("programs[{i}].{}", problem.path),
                problem.message,
            ));
        }
    }
    assert_eq!(report.problems, expected);
}

#[test]
fn patient_needs_validation() {
    let ptsd = Diagnosis::from_condition(Condition::Ptsd);
    let good = PatientNeeds::new(34, Payer::MassHealth).with_diagnosis(ptsd.primary());
    assert!(good.validate().is_clean(), "{}", good.validate());

    let mut n = PatientNeeds::new(130, Payer::MassHealth)
        .with_diagnosis(ptsd.primary())
        .with_diagnosis(Diagnosis::from_condition(Condition::Anxiety).primary());
    n.location = Some(GeoPoint {
        latitude: -95.5,
        longitude: 0.0,
    });
    n.max_travel_miles = Some(-3.0);
    n.availability = carematch::Availability::from_free([]);
    assert_problems(
        &n.validate(),
        &[
            "error: age: 130 is above 120",
            "warning: diagnoses: 2 diagnoses are marked primary; the first is used",
            "error: location: latitude -95.5 is outside -90 to 90",
            "error: max_travel_miles: -3 is not a distance of 0 miles or more",
            "warning: availability: the patient is never free, so no schedule fits",
        ],
    );

    let mut m = PatientNeeds::new(120, Payer::SelfPay);
    m.max_travel_miles = Some(f64::NAN);
    assert_problems(
        &m.validate(),
        &[
            "warning: diagnoses: no diagnosis: therapy fit cannot be judged",
            "error: max_travel_miles: NaN is not a distance of 0 miles or more",
        ],
    );
    m.max_travel_miles = Some(15.0);
    assert_problems(
        &m.validate(),
        &[
            "warning: diagnoses: no diagnosis: therapy fit cannot be judged",
            "warning: max_travel_miles: is set but location is not, so distance cannot be judged",
        ],
    );
}

/// `result` is an error whose message is exactly `expected`.
#[track_caller]
fn assert_message<T: std::fmt::Debug>(result: Result<T, Error>, expected: &str) {
    match result {
        Ok(v) => panic!("expected `{expected}`, got {v:?}"),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

#[test]
fn every_single_value_message() {
    assert_message(
        "2026-02-29".parse::<Date>(),
        "invalid date `2026-02-29`: day must be 1 to 28 in that month",
    );
    assert_message(
        "1900-02-29".parse::<Date>(),
        "invalid date `1900-02-29`: day must be 1 to 28 in that month",
    );
    assert_eq!(
        date("2000-02-29").days_since(date("2000-02-28")),
        1,
        "2000 is a leap year"
    );
    assert_eq!(date("2024-03-01").days_since(date("2024-02-28")), 2);
    assert_message(
        Date::new(2026, 4, 31),
        "invalid date `2026-04-31`: day must be 1 to 30 in that month",
    );
    assert_message(
        "2026-13-01".parse::<Date>(),
        "invalid date `2026-13-01`: month must be 1 to 12",
    );
    assert_message(
        "1899-12-31".parse::<Date>(),
        "invalid date `1899-12-31`: year must be 1900 to 2999",
    );
    assert_message(
        "2026-1-01".parse::<Date>(),
        "invalid date `2026-1-01`: expected YYYY-MM-DD",
    );
    assert_message(
        "25:00".parse::<TimeOfDay>(),
        "invalid time of day `25:00`: expected HH:MM, 00:00 to 24:00",
    );
    assert_message(
        "24:01".parse::<TimeOfDay>(),
        "invalid time of day `24:01`: expected HH:MM, 00:00 to 24:00",
    );
    assert_message(
        "9:5".parse::<TimeOfDay>(),
        "invalid time of day `9:5`: expected HH:MM, 00:00 to 24:00",
    );
    assert_message(
        TimeOfDay::hm(24, 1),
        "invalid time of day `24:01`: must be 00:00 to 24:00",
    );
    assert_message(
        TimeOfDay::from_minutes(1441),
        "invalid time of day `1441`: minutes after midnight must be 0 to 1440",
    );
    assert_message(
        TimeWindow::hm((12, 0), (9, 0)),
        "invalid time window `12:00-09:00`: ends at 09:00, before it starts at 12:00",
    );
    assert_message(
        TimeWindow::hm((9, 0), (9, 0)),
        "invalid time window `09:00-09:00`: ends when it starts, at 09:00",
    );
    assert_message(
        "english".parse::<Language>(),
        "invalid language `english`: expected an ISO 639 code of two or three letters, such as en, es or pt",
    );
    assert_message(
        "".parse::<carematch::ProgramId>(),
        "invalid program id ``: is empty",
    );
    assert_message(
        "a b".parse::<carematch::ProgramId>(),
        "invalid program id `a b`: must not contain spaces or control characters",
    );
    let long = "x".repeat(129);
    assert_message(
        long.parse::<carematch::ProgramId>(),
        &format!("invalid program id `{long}`: is longer than 128 bytes"),
    );
    assert!("x".repeat(128).parse::<carematch::ProgramId>().is_ok());
    assert_message(
        "masshelth".parse::<Payer>(),
        "invalid payer `masshelth`: expected masshealth, `masshealth: <plan>`, medicare, medicare_advantage, tricare, va_community_care, `medicaid: <state>`, self_pay, sliding_scale or `commercial: <plan name>`",
    );
    assert_message(
        "commercial:  ".parse::<Payer>(),
        "invalid payer `commercial:  `: a commercial plan needs a name",
    );
    assert_message(
        Payer::commercial(" "),
        "invalid payer ` `: a commercial plan needs a name",
    );
    assert_message(
        "extreme".parse::<carematch::Severity>(),
        "invalid severity `extreme`: unknown severity; expected one of: mild, moderate, severe",
    );
    assert_message(
        AgeRange::new(18, 13),
        "invalid age range `18-13`: min 18 is above max 13",
    );
    assert_message(
        AgeRange::new(0, 121),
        "invalid age range `0-121`: max 121 is above 120",
    );
    assert_message(
        GeoPoint::new(91.0, 0.0),
        "invalid coordinates `91, 0`: latitude 91 is outside -90 to 90",
    );
    assert_message(
        GeoPoint::new(f64::NAN, 0.0),
        "invalid coordinates `NaN, 0`: latitude NaN is outside -90 to 90",
    );
    assert_message(
        GeoPoint::new(0.0, f64::INFINITY),
        "invalid coordinates `0, inf`: longitude inf is outside -180 to 180",
    );
}

#[cfg(feature = "serde")]
#[test]
fn the_sample_directory_can_be_validated_and_broken() {
    let mut p = carematch::sample::massachusetts()[0].clone();
    p.name.clear();
    let report = validate_programs(&[p], AS_OF);
    assert!(
        report
            .errors()
            .any(|e| e.to_string() == "error: programs[0].name: is empty"),
        "{report}"
    );
}

/// A one-program directory document with placeholders; see [`directory`].
#[cfg(feature = "serde")]
const DIRECTORY: &str = r#"{"programs": [
{"id": "p0", "name": "P0 IOP", "organization": "Example Health",
 "levels": [LEVEL],
 "tracks": [{"name": "evening", "level": "intensive_outpatient", "sessions": [
   {"day": "mon", "start": "17:30", "end": "20:30"},
   {"day": "tue", "start": START, "end": "20:30"},
   {"day": "thu", "start": "17:30", "end": "20:30"}]}],
 "modalities": ["group"], "family_involvement": "on_request",
 "payers": [PAYER], "ages": {"min": 18, "max": 120},
 "languages": ["en"], "delivery": ["in_person"],
 "location": {"address": "1 Example Way", "city": "Worcester", "postal_code": "01608",
              "latitude": 42.2626, "longitude": -71.8023}EXTRA,
 "accepting_new_patients": true, "last_verified": "2026-09-15"}
]}"#;

/// The directory document with placeholders (`LEVEL`, `START`, `PAYER`,
/// `EXTRA`) replaced as `overrides` says, the rest by a clean default.
#[cfg(feature = "serde")]
fn directory(overrides: &[(&str, &str)]) -> String {
    let defaults = [
        ("LEVEL", r#""intensive_outpatient""#),
        ("START", r#""17:30""#),
        ("PAYER", r#""masshealth""#),
        ("EXTRA", ""),
    ];
    defaults
        .iter()
        .fold(DIRECTORY.to_owned(), |doc, (name, default)| {
            let value = overrides
                .iter()
                .find(|(n, _)| n == name)
                .map_or(*default, |(_, v)| *v);
            doc.replace(name, value)
        })
}

/// Reading `json` fails at `path` with exactly `message`.
#[cfg(feature = "serde")]
#[track_caller]
fn assert_json_error(result: Result<impl std::fmt::Debug, Error>, path: &str, message: &str) {
    match result {
        Err(e) if e.kind() == ErrorKind::Json => {
            assert_eq!(e.path(), Some(path));
            assert_eq!(e.problems()[0].message, message);
        }
        other => panic!("expected a JSON error at {path}, got {other:?}"),
    }
}

#[cfg(feature = "serde")]
mod json {
    use super::*;
    use carematch::{load_directory, patient_from_json, programs_from_json};

    #[test]
    fn the_template_reads_and_validates_clean() {
        let (programs, report) =
            load_directory(&directory(&[]), AS_OF).expect("the template is valid");
        assert!(report.is_clean(), "{report}");
        assert_eq!(programs.len(), 1);
        assert_eq!(programs[0].location.state, "MA", "state defaults to MA");
        assert_eq!(programs[0].tracks[0].hours_per_week(), 9.0);
    }

    #[test]
    fn a_bad_time_names_its_session() {
        let text = directory(&[("START", r#""25:00""#)]);
        let err = programs_from_json(&text).expect_err("25:00 is no time");
        assert_eq!(
            err.to_string(),
            "programs[0].tracks[0].sessions[1].start: `25:00`: expected HH:MM, 00:00 to 24:00 at line 6 column 34"
        );
        assert_json_error(
            Err::<(), _>(err),
            "programs[0].tracks[0].sessions[1].start",
            "`25:00`: expected HH:MM, 00:00 to 24:00 at line 6 column 34",
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        let text = directory(&[("EXTRA", r#", "colour": "blue""#)]);
        assert_json_error(
            programs_from_json(&text),
            "programs[0].colour",
            "unknown field `colour`, expected one of `id`, `name`, `organization`, `levels`, `tracks`, `modalities`, `approaches`, `specialties`, `excluded_conditions`, `admits`, `moud_medications`, `opioid_treatment_program`, `coordinates_with_otp`, `withdrawal_management`, `medical_monitoring`, `staff`, `facility_credentials`, `aftercare`, `family_involvement`, `payers`, `ages`, `populations`, `restricted_to`, `languages`, `interpreter_services`, `delivery`, `location`, `accepting_new_patients`, `typical_wait_days`, `last_verified`, `licensed_states`, `not_listed`, `open_slots` at line 12 column 67",
        );
    }

    #[test]
    fn an_unknown_key_lists_the_accepted_ones() {
        let text = directory(&[("LEVEL", r#""intensive""#)]);
        assert_json_error(
            programs_from_json(&text),
            "programs[0].levels[0]",
            "`intensive`: unknown level of care; expected one of: outpatient, intensive_outpatient, partial_hospitalization, residential, inpatient at line 3 column 23",
        );
    }

    #[test]
    fn a_bad_payer_is_quoted_as_given() {
        let text = directory(&[("PAYER", r#""masshelth""#)]);
        assert_json_error(
            programs_from_json(&text),
            "programs[0].payers[0]",
            "`masshelth`: expected masshealth, `masshealth: <plan>`, medicare, medicare_advantage, tricare, va_community_care, `medicaid: <state>`, self_pay, sliding_scale or `commercial: <plan name>` at line 9 column 23",
        );
        let text = directory(&[("PAYER", r#""commercial: ""#)]);
        assert_json_error(
            programs_from_json(&text),
            "programs[0].payers[0]",
            "`commercial: `: a commercial plan needs a name at line 9 column 26",
        );
    }

    #[test]
    fn a_document_of_the_wrong_shape() {
        assert_json_error(
            programs_from_json(""),
            "",
            "EOF while parsing a value at line 1 column 0",
        );
        assert_json_error(
            programs_from_json("{}"),
            "",
            "missing field `programs` at line 1 column 2",
        );
        assert_json_error(
            programs_from_json(r#"{"programs": {}}"#),
            "programs",
            "invalid type: map, expected a sequence at line 1 column 13",
        );
        let err = programs_from_json("[").expect_err("not a document");
        assert!(err.to_string().starts_with("(document): "), "{err}");
    }

    #[test]
    fn validation_after_reading_reports_paths_too() {
        let text = directory(&[("LEVEL", r#""partial_hospitalization""#)]);
        match load_directory(&text, AS_OF) {
            Err(e) if e.kind() == ErrorKind::Invalid => assert_problems(
                &ValidationReport {
                    problems: e.problems().to_vec(),
                },
                &[
                    "error: programs[0].tracks[0].level: intensive outpatient is not among the program's levels",
                ],
            ),
            other => panic!("expected an invalid-input error, got {other:?}"),
        }
    }

    #[test]
    fn patient_json_errors_name_the_field() {
        assert_json_error(
            patient_from_json(
                r#"{"age": 34, "diagnoses": [{"code": "F4"}], "payer": "masshealth"}"#,
            ),
            "diagnoses[0].code",
            "`F4`: expected a letter and two digits, as in F43.10 at line 1 column 39",
        );
        assert_json_error(
            patient_from_json(
                r#"{"age": 34, "diagnoses": [{"code": "F43.10", "condition": "bipolar"}], "payer": "masshealth"}"#,
            ),
            "diagnoses[0]",
            "code F43.10 is post-traumatic stress disorder, which does not agree with condition `bipolar` at line 1 column 69",
        );
        // Minimum necessary: nothing that identifies a person has a field.
        assert_json_error(
            patient_from_json(
                r#"{"age": 34, "name": "Jane Doe", "diagnoses": [], "payer": "masshealth"}"#,
            ),
            "name",
            "unknown field `name`, expected one of `age`, `diagnoses`, `level`, `availability`, `delivery`, `payer`, `language`, `location`, `max_travel_miles`, `wants_family_involved`, `days_since_inpatient_discharge`, `co_occurring_substance_use`, `populations`, `on_moud`, `moud_medication`, `pregnancy`, `state` at line 1 column 18",
        );
        assert_json_error(
            patient_from_json(r#"{"age": 340, "diagnoses": [], "payer": "masshealth"}"#),
            "age",
            "must be a whole number of years from 0 to 120, got 340 at line 1 column 11",
        );
        assert_json_error(
            patient_from_json(
                r#"{"age": 34, "diagnoses": [], "payer": "masshealth",
                    "availability": {"busy": [{"days": [], "start": "09:00", "end": "17:00"}]}}"#,
            ),
            "availability",
            "busy block [0] names no days at line 2 column 94",
        );
        assert_json_error(
            patient_from_json(
                r#"{"age": 34, "diagnoses": [], "payer": "masshealth",
                    "availability": {"free": [{"days": ["mon"], "start": "17:00", "end": "09:00"}]}}"#,
            ),
            "availability",
            "free block [0] ends at 09:00, before it starts at 17:00 at line 2 column 99",
        );
    }

    #[test]
    fn a_patient_read_from_json() {
        let n = patient_from_json(
            r#"{"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}], "payer": "masshealth",
                "availability": {"busy": [{"days": ["mon","tue","wed","thu","fri"], "start": "09:00", "end": "17:00"}]},
                "location": {"latitude": 42.2626, "longitude": -71.8023}, "max_travel_miles": 20}"#,
        )
        .expect("a valid patient");
        assert!(n.validate().is_clean(), "{}", n.validate());
        assert_eq!(n.primary_condition(), Some(Condition::Ptsd));
        assert_eq!(
            n.language,
            Language::ENGLISH,
            "language defaults to English"
        );
        assert_eq!(n.availability.free().len(), 12);
    }
}

proptest! {
    #![proptest_config(config(256, "validation"))]

    /// The generated programs are what the matching tests rely on: valid.
    #[test]
    fn generated_directories_have_no_errors(programs in arb_directory(6)) {
        let report = validate_programs(&programs, AS_OF);
        prop_assert!(!report.has_errors(), "{}", report);
    }

    /// The generated patients are valid too.
    #[test]
    fn generated_patients_have_no_errors(n in arb_patient_needs()) {
        let report = n.validate();
        prop_assert!(!report.has_errors(), "{}", report);
        prop_assert_eq!(n.diagnoses.iter().filter(|d| d.primary).count(), 1);
        prop_assert!((12..=90).contains(&n.age));
    }

    /// Breaking one field of one program of a valid directory is reported
    /// under that program's path, and only there.
    #[test]
    fn a_broken_program_is_found_where_it_is(programs in arb_directory(5), pick in any::<prop::sample::Index>()) {
        prop_assume!(!programs.is_empty());
        let mut programs = programs;
        let i = pick.index(programs.len());
        programs[i].languages.clear();
        let report = validate_programs(&programs, AS_OF);
        let errors: Vec<String> = report.errors().map(|p| p.to_string()).collect();
        prop_assert_eq!(errors, vec![format!("error: programs[{i}].languages: lists no language")]);
    }
}

#[test]
fn overlapping_sessions_in_one_track_are_an_error() {
    // Listing a session twice would double the track's hours.
    let mut p = program("dup");
    let t = evening_track(LevelOfCare::IntensiveOutpatient, 3, (17, 30), (20, 30));
    let mut t2 = t.clone();
    t2.sessions.push(t.sessions[0]);
    t2.sessions.push(carematch::Session::new(
        Weekday::Tue,
        TimeWindow::hm((20, 0), (21, 0)).expect("a window"),
    ));
    p.tracks = vec![t2];
    assert_problems(
        &p.validate(AS_OF),
        &[
            "error: tracks[0].sessions[3]: overlaps sessions[0] (Mon 17:30-20:30)",
            "error: tracks[0].sessions[4]: overlaps sessions[1] (Tue 17:30-20:30)",
        ],
    );
}

#[test]
fn nothing_may_follow_a_json_document() {
    // A second document, or stray text, would otherwise be dropped silently.
    let err = carematch::programs_from_json(r#"{"programs": []} {"programs": []}"#).unwrap_err();
    assert!(err.to_string().contains("trailing characters"), "{err}");
    let err =
        carematch::patient_from_json(r#"{"age": 30, "diagnoses": [], "payer": "medicare"} x"#)
            .unwrap_err();
    assert!(err.to_string().contains("trailing characters"), "{err}");
}

/// Issue 25: input a person can fix. Every refusal names the field and the
/// form wanted, in words; never a Rust type, never more of the input than
/// the one field.
#[cfg(feature = "serde")]
mod in_words {
    use super::*;
    use carematch::{MassHealthPlan, patient_from_json};

    /// A patient with `field` set to `value` (JSON text).
    fn patient(field: &str, value: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(
            r#"{"age": 34, "diagnoses": [{"code": "F33.1", "primary": true}], "payer": "masshealth"}"#,
        )
        .expect("JSON");
        v[field] = serde_json::from_str(value).expect("a JSON value");
        v.to_string()
    }

    /// The message of the JSON error reading `text`, without its position.
    #[track_caller]
    fn refusal(text: &str) -> (String, String) {
        match patient_from_json(text) {
            Err(e) if e.kind() == ErrorKind::Json => {
                let m = e.problems()[0].message.clone();
                let m = m.split(" at line ").next().unwrap_or_default().to_owned();
                (e.path().unwrap_or_default().to_owned(), m)
            }
            other => panic!("{text}: expected a JSON error, got {other:?}"),
        }
    }

    /// The errors validation finds in the patient `text` describes.
    #[track_caller]
    fn validated(text: &str) -> Vec<String> {
        patient_from_json(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .validate()
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn numbers_are_refused_in_words() {
        for (field, value, message) in [
            (
                "age",
                r#""34""#,
                r#"must be a whole number of years from 0 to 120, got the text "34""#,
            ),
            (
                "age",
                "-5",
                "must be a whole number of years from 0 to 120, got -5",
            ),
            (
                "age",
                "34.5",
                "must be a whole number of years from 0 to 120, got 34.5",
            ),
            (
                "age",
                "300",
                "must be a whole number of years from 0 to 120, got 300",
            ),
            (
                "age",
                "256",
                "must be a whole number of years from 0 to 120, got 256",
            ),
            (
                "age",
                "null",
                "must be a whole number of years from 0 to 120, got null",
            ),
            (
                "age",
                "[34]",
                "must be a whole number of years from 0 to 120, got a list",
            ),
            (
                "age",
                "true",
                "must be a whole number of years from 0 to 120, got true",
            ),
            (
                "days_since_inpatient_discharge",
                "-3",
                "must be a whole number of days from 0 to 65535, got -3",
            ),
            (
                "days_since_inpatient_discharge",
                "70000",
                "must be a whole number of days from 0 to 65535, got 70000",
            ),
            (
                "max_travel_miles",
                r#""20""#,
                r#"must be a number of miles, got the text "20""#,
            ),
        ] {
            assert_eq!(
                refusal(&patient(field, value)),
                (field.to_owned(), message.to_owned()),
                "{field}: {value}"
            );
        }
        // Read alone (no path to put it after), the message names its field.
        let err = serde_json::from_str::<PatientNeeds>(&patient("age", r#""34""#)).unwrap_err();
        assert!(
            err.to_string().starts_with("age must be a whole number"),
            "{err}"
        );
        // An age the stored type holds but above 120 is read, and
        // validation refuses it with the document's other problems.
        assert_eq!(
            validated(&patient("age", "121")),
            ["error: age: 121 is above 120"]
        );
        // What is within the bounds is read, a whole-valued decimal too.
        for (value, age) in [("0", 0), ("120", 120), ("34.0", 34)] {
            let n = patient_from_json(&patient("age", value)).expect(value);
            assert_eq!(n.age, age);
        }
        let n =
            patient_from_json(&patient("days_since_inpatient_discharge", "null")).expect("null");
        assert_eq!(n.days_since_inpatient_discharge, None);
    }

    #[test]
    fn age_zero_is_warned_not_refused() {
        let problems = validated(&patient("age", "0"));
        assert_eq!(
            problems,
            [
                "warning: age: is 0 (under one year old): confirm it, as a missing age is sometimes written as 0"
            ]
        );
        assert!(validated(&patient("age", "1")).is_empty());
    }

    #[test]
    fn availability_is_refused_in_words() {
        for (value, message) in [
            (
                r#"{"free": [], "busy": []}"#,
                "takes `free` or `busy`, not both: give the times the patient can attend (`free`) or the times they cannot (`busy`)",
            ),
            (
                "{}",
                "gives neither `free` nor `busy`: give one, or leave availability out for a patient free at any time",
            ),
            (
                r#"{"evenings": []}"#,
                "has no field `evenings`: give `free` (the times the patient can attend) or `busy` (the times they cannot)",
            ),
            (
                "[]",
                "invalid type: sequence, expected availability as an object with one field, `free` or `busy`, listing weekly blocks",
            ),
        ] {
            assert_eq!(
                refusal(&patient("availability", value)),
                ("availability".to_owned(), message.to_owned()),
                "{value}"
            );
        }
        let twice = r#"{"age": 34, "diagnoses": [], "payer": "masshealth", "availability": {"free": [], "free": []}}"#;
        assert_eq!(
            refusal(twice),
            (
                "availability".to_owned(),
                "gives `free` twice: give it once".to_owned()
            )
        );
    }

    #[test]
    fn a_document_that_is_not_an_object_is_told_so() {
        for (text, is) in [
            ("[]", "a list"),
            ("[34]", "a list"),
            (r#""patient""#, "a text"),
            ("34", "a number"),
        ] {
            let (path, message) = refusal(text);
            assert_eq!(path, "");
            assert!(
                message.starts_with(&format!("the document is {is}; expected the patient as a JSON object with the fields age, diagnoses and payer")),
                "{text}: {message}"
            );
        }
    }

    #[test]
    fn a_long_value_is_cut_in_the_message() {
        let long = "x".repeat(500);
        for field in ["payer", "level", "language", "location", "age", "delivery"] {
            let text = patient(field, &format!("\"{long}\""));
            let err = patient_from_json(&text).unwrap_err().to_string();
            assert!(err.contains(&"x".repeat(40)), "{field}: {err}");
            assert!(!err.contains(&"x".repeat(41)), "{field}: {err}");
        }
        let err = patient_from_json(&patient(&long, "1"))
            .unwrap_err()
            .to_string();
        assert!(!err.contains(&"x".repeat(41)), "{err}");
        let problems = validated(&patient("state", &format!("\"{long}\""))).join("\n");
        assert!(!problems.contains(&"x".repeat(41)), "{problems}");
    }

    #[test]
    fn languages_are_checked_against_iso_639() {
        for code in [
            "en", "es", "pt", "ht", "kea", "cmn", "yue", "ase", "mam", "prs", "hmn",
        ] {
            assert_eq!(
                validated(&patient("language", &format!("\"{code}\""))),
                Vec::<String>::new(),
                "{code}"
            );
        }
        for (code, message) in [
            (
                "xx",
                "error: language: `xx` is not an ISO 639 language code: give a two-letter ISO 639-1 code (en, es, pt ...) or a three-letter ISO 639-3 code (cmn, yue, kea ...)",
            ),
            (
                "qqq",
                "error: language: `qqq` is not an ISO 639 language code: give a two-letter ISO 639-1 code (en, es, pt ...) or a three-letter ISO 639-3 code (cmn, yue, kea ...)",
            ),
            (
                "und",
                "error: language: `und` is not an ISO 639 language code: give a two-letter ISO 639-1 code (en, es, pt ...) or a three-letter ISO 639-3 code (cmn, yue, kea ...)",
            ),
            (
                "spa",
                "error: language: `spa` has the two-letter ISO 639-1 code `es`, which programs list: write `es`",
            ),
            (
                "por",
                "error: language: `por` has the two-letter ISO 639-1 code `pt`, which programs list: write `pt`",
            ),
            (
                "fre",
                "error: language: `fre` is an ISO 639-2 library code; the language's ISO 639-1 code, which programs list, is `fr`: write `fr`",
            ),
        ] {
            assert_eq!(
                validated(&patient("language", &format!("\"{code}\""))),
                [message],
                "{code}"
            );
        }
        assert!("kea".parse::<Language>().is_ok_and(|l| l.is_iso_639()));
        assert!("xx".parse::<Language>().is_ok_and(|l| !l.is_iso_639()));
    }

    /// Senior Care Options from 65, One Care from 21 to 64 (MassHealth):
    /// each edge of each rule.
    #[test]
    fn masshealth_products_keep_their_ages() {
        let sco = Payer::MassHealthPlan(MassHealthPlan::CcaSeniorCareOptions);
        let one_care = Payer::MassHealthPlan(MassHealthPlan::CcaOneCare);
        let problems = |payer: &Payer, age: u8| -> Vec<String> {
            let mut n = PatientNeeds::new(age, payer.clone())
                .with_diagnosis(Diagnosis::from_condition(Condition::Depressive).primary());
            n.age = age;
            n.validate()
                .problems
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            problems(&sco, 64),
            [
                "error: payer: Commonwealth Care Alliance Senior Care Options is for MassHealth members 65 and over (MassHealth's member rules), and the patient is 64: check the payer or the age"
            ]
        );
        assert!(problems(&sco, 65).is_empty());
        assert_eq!(
            problems(&one_care, 20),
            [
                "error: payer: Commonwealth Care Alliance One Care enrols MassHealth members aged 21 to 64 (MassHealth's member rules), and the patient is 20: check the payer or the age"
            ]
        );
        assert!(problems(&one_care, 21).is_empty());
        assert!(problems(&one_care, 64).is_empty());
        assert_eq!(
            problems(&one_care, 65),
            [
                "warning: payer: Commonwealth Care Alliance One Care enrols MassHealth members aged 21 to 64 (MassHealth's member rules), and the patient is 65: a member who turns 65 while enrolled may stay; confirm the payer"
            ]
        );
        for plan in MassHealthPlan::ALL {
            if !matches!(
                plan,
                MassHealthPlan::CcaSeniorCareOptions | MassHealthPlan::CcaOneCare
            ) {
                for age in [12, 40, 80] {
                    assert!(
                        problems(&Payer::MassHealthPlan(*plan), age).is_empty(),
                        "{plan} {age}"
                    );
                }
            }
        }
    }

    /// A diagnosis built in code is held to the same rule as JSON: a code
    /// read as "other" stands only for conditions it can mean.
    #[test]
    fn a_code_and_a_condition_that_disagree_are_an_error() {
        let mut n = PatientNeeds::new(34, Payer::MassHealth);
        n.diagnoses.push(Diagnosis {
            code: Some("F42.4".parse().expect("a code")),
            ..Diagnosis::from_condition(Condition::ObsessiveCompulsive).primary()
        });
        let errors: Vec<String> = n.validate().errors().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "error: diagnoses[0].condition: code F42.4 can be condition only `other`, not `obsessive_compulsive` (hoarding and excoriation sit in F42 but are not treated as obsessive-compulsive disorder): correct the code or leave `condition` out"
            ]
        );
    }
}
