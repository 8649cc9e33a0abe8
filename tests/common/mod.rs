//! proptest strategies for carematch's domain types, shared by the integration tests.
//!
//! Every strategy is a function returning `impl Strategy`, after cargo's
//! resolver tests. Values are realistic rather than merely valid: programs are
//! in Massachusetts and validate with no errors, patients are 12 to 90 with one
//! primary diagnosis among one to three, availability is often "works Mon-Fri
//! 9-17". Coordinates and distances carry at most six decimals, as directory
//! data does (see `tests/serde_roundtrip.rs` on full-precision floats).

#![allow(dead_code)] // not every test file uses every strategy

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use carematch::synthetic;
use carematch::{
    AgeRange, Availability, Certification, Condition, Date, Diagnosis, GeoPoint, IcdCode, Language,
    LevelOfCare, License, Location, PatientNeeds, Payer, Population, Problem, ProblemSeverity,
    Program, ProgramId, Session, Severity, Staff, TimeOfDay, TimeWindow, Track, ValidationReport,
    Weekday,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use proptest::test_runner::{Config, FileFailurePersistence};

/// The one date the tests judge against: the sample's (also the synthetic
/// generator's, which `tests/sample.rs` checks).
pub use carematch::sample::AS_OF;

/// The proptest configuration of every test file: `cases` cases (or
/// `PROPTEST_CASES`), failures saved in `proptest-regressions/<file>.txt`
/// (commit them: they are replayed first), and no shrinking in CI, so a
/// failure there is reported at once.
pub fn config(cases: u32, file: &str) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    let path = format!(
        "{}/proptest-regressions/{file}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    Config {
        cases,
        max_shrink_iters: if std::env::var("CI").is_ok() {
            0
        } else {
            u32::MAX
        },
        // Direct wants a &'static str; one small string per test file.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(Box::leak(
            path.into_boxed_str(),
        )))),
        ..Config::default()
    }
}

/// One of the values of a closed vocabulary (`Condition::ALL`, `Weekday::ALL` ...).
pub fn arb_term<T: Clone + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = T> {
    select(all)
}

/// A set of values of a closed vocabulary, in random order, sizes in `size`.
pub fn arb_terms<T: Clone + std::fmt::Debug + 'static>(
    all: &'static [T],
    size: RangeInclusive<usize>,
) -> impl Strategy<Value = Vec<T>> {
    subsequence(all, size).prop_shuffle()
}

/// Any condition family.
pub fn arb_condition() -> impl Strategy<Value = Condition> {
    arb_term(Condition::ALL)
}

/// Any level of care.
pub fn arb_level() -> impl Strategy<Value = LevelOfCare> {
    arb_term(LevelOfCare::ALL)
}

/// Any weekday.
pub fn arb_weekday() -> impl Strategy<Value = Weekday> {
    arb_term(Weekday::ALL)
}

/// A well-formed ICD-10-CM code: mostly chapter 5 (F) codes of the families
/// IOPs treat, sometimes any letter, two digits and up to four more characters.
pub fn arb_icd_code() -> impl Strategy<Value = IcdCode> {
    let chapter5 = "F(0[0-9]|1[0-9]|2[0-9]|3[0-9]|4[0-8]|5[0-9]|6[0-9]|9[0-9])(\\.[0-9A-Z]{1,3})?";
    let any = "[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?";
    prop_oneof![3 => chapter5, 1 => any].prop_map(|s| {
        s.parse::<IcdCode>()
            .unwrap_or_else(|e| panic!("generated code {s:?}: {e}"))
    })
}

/// A diagnosis whose code (if any) agrees with its condition, as JSON insists:
/// from a code, from a condition, or a code outside the known families with
/// any condition. Never primary: [`arb_patient_needs`] marks one primary.
pub fn arb_diagnosis() -> impl Strategy<Value = Diagnosis> {
    let other_code = "[G-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?".prop_map(|s| {
        s.parse::<IcdCode>()
            .unwrap_or_else(|e| panic!("generated code {s:?}: {e}"))
    });
    let base = prop_oneof![
        2 => arb_icd_code().prop_map(Diagnosis::from_code),
        2 => arb_condition().prop_map(Diagnosis::from_condition),
        // A code outside chapter 5 (or an O99.3x code) with a condition
        // named beside it: one it can stand for, else `other` (JSON refuses
        // the rest, issue 25).
        1 => (other_code, arb_condition()).prop_map(|(code, condition)| Diagnosis {
            code: Some(code),
            ..Diagnosis::from_condition(if code.can_mean(condition) { condition } else { Condition::Other })
        }),
    ];
    (base, proptest::option::of(arb_term(Severity::ALL)))
        .prop_map(|(d, s)| Diagnosis { severity: s, ..d })
}

/// ICD-10-CM codes IOP referrals commonly carry.
const REFERRAL_CODES: [&str; 24] = [
    "F32.1", "F32.2", "F33.1", "F33.2", "F32.A", "F34.1", "F41.1", "F41.0", "F40.10", "F43.10",
    "F43.12", "F43.22", "F43.23", "F31.81", "F31.32", "F60.3", "F10.20", "F11.20", "F12.20",
    "F14.20", "F42.2", "F50.2", "F90.0", "F25.0",
];

/// A diagnosis as a referral to an IOP carries it: mostly a common code, else
/// a condition named directly (not `Other`), now and then anything.
pub fn arb_referral_diagnosis() -> impl Strategy<Value = Diagnosis> {
    let code = select(REFERRAL_CODES.as_slice())
        .prop_map(|s| Diagnosis::from_code(s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))));
    let named = arb_condition()
        .prop_filter("a named family", |c| *c != Condition::Other)
        .prop_map(Diagnosis::from_condition);
    let severity = proptest::option::of(arb_term(Severity::ALL));
    (
        prop_oneof![6 => code, 2 => named, 1 => arb_diagnosis()],
        severity,
    )
        .prop_map(|(d, s)| Diagnosis {
            severity: s.or(d.severity),
            ..d
        })
}

/// Any time of day, half of them on a quarter-hour.
pub fn arb_time_of_day() -> impl Strategy<Value = TimeOfDay> {
    prop_oneof![(0u16..=96).prop_map(|q| q * 15), 0u16..=1440].prop_map(minutes)
}

/// A time of day from minutes after midnight (0 to 1440).
pub fn minutes(m: u16) -> TimeOfDay {
    TimeOfDay::from_minutes(m).unwrap_or_else(|e| panic!("{e}"))
}

/// A window from `start` to `end` minutes after midnight, checked.
pub fn window(start: u16, end: u16) -> TimeWindow {
    TimeWindow::new(minutes(start), minutes(end)).unwrap_or_else(|e| panic!("{e}"))
}

/// A valid window (starts before it ends), half of them on quarter-hours.
pub fn arb_time_window() -> impl Strategy<Value = TimeWindow> {
    let quarters = (0u16..96)
        .prop_flat_map(|s| (Just(s), s + 1..=96))
        .prop_map(|(s, e)| window(s * 15, e * 15));
    let any = (0u16..1440)
        .prop_flat_map(|s| (Just(s), s + 1..=1440))
        .prop_map(|(s, e)| window(s, e));
    prop_oneof![quarters, any]
}

/// A session on any day during a valid window.
pub fn arb_session() -> impl Strategy<Value = Session> {
    (arb_weekday(), arb_time_window()).prop_map(|(d, w)| Session::new(d, w))
}

/// Days a week and minutes a session that `level` usually has.
fn track_plan(level: LevelOfCare) -> (RangeInclusive<usize>, RangeInclusive<u16>) {
    match level {
        LevelOfCare::Outpatient => (1..=2, 45..=90),
        LevelOfCare::IntensiveOutpatient => (3..=5, 180..=240),
        LevelOfCare::PartialHospitalization => (5..=5, 300..=390),
        LevelOfCare::Residential | LevelOfCare::Inpatient => (5..=7, 300..=480),
    }
}

/// A realistic track at `level`: its usual days a week (mostly weekdays), the
/// same window each day, between 07:00 and 21:30 (mostly on a quarter-hour).
pub fn arb_track_at(level: LevelOfCare) -> impl Strategy<Value = Track> {
    const NAMES: [&str; 7] = [
        "morning",
        "afternoon",
        "evening",
        "day",
        "weekend",
        "young adult",
        "dual diagnosis",
    ];
    let (days, mins) = track_plan(level);
    let days = prop_oneof![
        3 => subsequence(Weekday::WORKDAYS.as_slice(), *days.start()..=(*days.end()).min(5)),
        1 => subsequence(Weekday::ALL, days),
    ];
    let length = (*mins.start() / 15..=*mins.end() / 15).prop_map(|q| q * 15);
    let start_and_length = length.prop_flat_map(|len| {
        (
            7 * 60..=21 * 60 + 30 - len,
            Just(len),
            prop::bool::weighted(0.85),
        )
    });
    (select(NAMES.as_slice()), days, start_and_length).prop_map(
        move |(name, days, (start, len, aligned))| {
            let start = if aligned { start / 15 * 15 } else { start };
            Track::new(name, level).with_sessions(days, window(start, start + len))
        },
    )
}

/// A realistic track at any level.
pub fn arb_track() -> impl Strategy<Value = Track> {
    arb_level().prop_flat_map(arb_track_at)
}

/// Busy at work on some days (`from_busy`), from 06:00-10:30 to 14:00-19:00.
pub fn arb_working_hours() -> impl Strategy<Value = Availability> {
    let workdays = prop_oneof![
        3 => Just(Weekday::WORKDAYS.to_vec()),
        1 => subsequence(Weekday::ALL, 2..=6),
    ];
    (workdays, 6u8..=10, prop::bool::ANY, 14u8..=19).prop_map(|(days, start, half, end)| {
        let busy = TimeWindow::hm((start, if half { 30 } else { 0 }), (end, 0))
            .unwrap_or_else(|e| panic!("{e}"));
        Availability::from_busy(days, busy)
    })
}

/// When a patient is free: any time, around working hours, a few free
/// windows, or around a few busy ones.
pub fn arb_availability() -> impl Strategy<Value = Availability> {
    prop_oneof![
        2 => Just(Availability::anytime()),
        4 => arb_working_hours(),
        2 => vec(arb_session(), 0..8).prop_map(Availability::from_free),
        1 => vec(arb_session(), 0..6).prop_map(|b| Availability::from_busy_sessions(&b)),
    ]
}

/// Clinicians by license and certification (counts mostly 1 to 7, now and then 0).
pub fn arb_staff() -> impl Strategy<Value = Staff> {
    let count = || prop_oneof![9 => 1u32..8, 1 => Just(0u32)];
    (
        btree_map(arb_term(License::ALL), count(), 1..6),
        btree_map(arb_term(Certification::ALL), count(), 0..4),
    )
        .prop_map(|(licenses, certifications)| Staff {
            licenses,
            certifications,
        })
}

/// Commercial plans common in Massachusetts.
const PLANS: [&str; 9] = [
    "Blue Cross Blue Shield of Massachusetts",
    "Harvard Pilgrim",
    "Tufts Health Plan",
    "Mass General Brigham Health Plan",
    "Fallon Health",
    "Health New England",
    "Aetna",
    "Cigna",
    "UnitedHealthcare",
];

/// A payer: a public one, self-pay, sliding scale, or a commercial plan
/// (mostly a real Massachusetts plan name, sometimes a made-up one).
pub fn arb_payer() -> impl Strategy<Value = Payer> {
    let named = select(vec![
        Payer::MassHealth,
        Payer::Medicare,
        Payer::Tricare,
        Payer::SelfPay,
        Payer::SlidingScale,
    ]);
    let plan = prop_oneof![
        4 => select(PLANS.as_slice()).prop_map(str::to_owned),
        1 => "[A-Za-z][A-Za-z0-9&' ]{0,30}",
    ];
    prop_oneof![
        3 => named,
        2 => plan.prop_map(|p| Payer::commercial(&p).unwrap_or_else(|e| panic!("{e}"))),
    ]
}

/// A language: mostly one of the common languages of Massachusetts.
pub fn arb_language() -> impl Strategy<Value = Language> {
    const COMMON: [&str; 16] = [
        "en", "es", "pt", "zh", "ht", "vi", "km", "ru", "ar", "fr", "kea", "ko", "it", "pl", "el",
        "ase",
    ];
    prop_oneof![
        4 => select(COMMON.as_slice()).prop_map(str::to_owned),
        1 => "[a-z]{2,3}",
    ]
    .prop_map(|c| c.parse::<Language>().unwrap_or_else(|e| panic!("{e}")))
}

/// Ages a program serves: the usual bands, or any valid range from 12.
pub fn arb_age_range() -> impl Strategy<Value = AgeRange> {
    let band = |min, max| Just(AgeRange { min, max });
    prop_oneof![
        4 => band(18, 120),
        1 => band(13, 17),
        1 => band(12, 18),
        1 => band(18, 25),
        1 => band(65, 120),
        2 => (12u8..=70).prop_flat_map(|min| (Just(min), min..=120))
            .prop_map(|(min, max)| AgeRange { min, max }),
    ]
}

/// Massachusetts cities with approximate coordinates.
const CITIES: [(&str, f64, f64); 18] = [
    ("Boston", 42.3601, -71.0589),
    ("Worcester", 42.2626, -71.8023),
    ("Springfield", 42.1015, -72.5898),
    ("Lowell", 42.6334, -71.3162),
    ("Cambridge", 42.3736, -71.1097),
    ("New Bedford", 41.6362, -70.9342),
    ("Brockton", 42.0834, -71.0184),
    ("Quincy", 42.2529, -71.0023),
    ("Lynn", 42.4668, -70.9495),
    ("Fall River", 41.7015, -71.1550),
    ("Pittsfield", 42.4501, -73.2454),
    ("Framingham", 42.2793, -71.4162),
    ("Hyannis", 41.6529, -70.2828),
    ("Northampton", 42.3251, -72.6412),
    ("Lawrence", 42.7070, -71.1631),
    ("Fitchburg", 42.5834, -71.8023),
    ("Greenfield", 42.5876, -72.5995),
    ("Plymouth", 41.9584, -70.6673),
];

/// `x` rounded to six decimals (about 0.1 m), as directory data carries it.
pub fn six_decimals(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A city and a point within about three miles of it.
fn arb_city_point() -> impl Strategy<Value = (&'static str, f64, f64)> {
    (select(CITIES.as_slice()), -0.04f64..0.04, -0.05f64..0.05).prop_map(
        |((city, lat, lon), dlat, dlon)| (city, six_decimals(lat + dlat), six_decimals(lon + dlon)),
    )
}

/// A point in or near a Massachusetts city.
pub fn arb_geo_point() -> impl Strategy<Value = GeoPoint> {
    arb_city_point().prop_map(|(_, latitude, longitude)| GeoPoint {
        latitude,
        longitude,
    })
}

/// An address in a Massachusetts city.
pub fn arb_location() -> impl Strategy<Value = Location> {
    (
        "[1-9][0-9]{0,3} [A-Z][a-z]{2,10} (Street|Avenue|Road|Way)",
        arb_city_point(),
        "0[12][0-9]{3}",
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(address, (city, latitude, longitude), postal_code, approximate)| Location {
                address,
                city: city.to_owned(),
                state: "MA".to_owned(),
                postal_code,
                latitude,
                longitude,
                // Now and then placed at a ZIP code's centre by an importer.
                precision: if approximate {
                    carematch::LocationPrecision::ZipCentre
                } else {
                    carematch::LocationPrecision::AsListed
                },
            },
        )
}

/// The date `days` days after 1970-01-01, which must fall in 1900-2999.
pub fn date_from_epoch_days(days: i32) -> Date {
    Date::from_days_since_epoch(days)
        .unwrap_or_else(|| panic!("{days} days after 1970-01-01 is outside 1900-2999"))
}

/// Any valid date, 1900-01-01 to 2999-12-31.
pub fn arb_date() -> impl Strategy<Value = Date> {
    let first = Date::checked(1900, 1, 1).map_or(0, Date::days_since_epoch);
    let last = Date::checked(2999, 12, 31).map_or(0, Date::days_since_epoch);
    (first..=last).prop_map(date_from_epoch_days)
}

/// A date from two years before `as_of` (but not before 1900) up to `as_of`.
pub fn arb_date_before(as_of: Date) -> impl Strategy<Value = Date> {
    let first = Date::checked(1900, 1, 1).map_or(0, Date::days_since_epoch);
    let last = as_of.days_since_epoch();
    ((last - 730).max(first)..=last).prop_map(date_from_epoch_days)
}

/// A program id such as `wor-harbor-light-iop`.
pub fn arb_program_id() -> impl Strategy<Value = ProgramId> {
    "[a-z]{3}(-[a-z0-9]{2,8}){1,3}"
        .prop_map(|s| s.parse::<ProgramId>().unwrap_or_else(|e| panic!("{e}")))
}

/// Payers, each once.
fn arb_payers() -> impl Strategy<Value = Vec<Payer>> {
    vec(arb_payer(), 1..6).prop_map(|payers| {
        let mut seen = BTreeSet::new();
        payers
            .into_iter()
            .filter(|p| seen.insert(p.key()))
            .collect()
    })
}

/// Languages, each once, English first more often than not.
fn arb_languages() -> impl Strategy<Value = Vec<Language>> {
    (prop::bool::weighted(0.8), vec(arb_language(), 0..3)).prop_map(|(english, more)| {
        let mut out: Vec<Language> = Vec::new();
        if english || more.is_empty() {
            out.push(Language::ENGLISH);
        }
        for l in more {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    })
}

/// A program that validates with no errors against `as_of` (warnings, such as
/// an IOP track of 7.5 hours, are possible), built on
/// [`carematch::synthetic`]: a synthetic program drawn from a seed gives the
/// levels, tracks, therapies, credentials, aftercare, populations and
/// delivery; this strategy varies what serde, parsing and validation are
/// most sensitive to (identity and text, payers, languages, staff counts, an
/// address in Massachusetts, the verification date in the two years before
/// `as_of`), so those parts shrink. About one program in five leaves some
/// parts not listed (schedule, staff, payers, wait ...), as imported records do.
pub fn arb_program(as_of: Date) -> impl Strategy<Value = Program> {
    let identity = (
        any::<u64>(),
        arb_program_id(),
        "[A-Z][a-z]{3,9}( [A-Z][a-z]{2,9}){0,2} (IOP|Program|Recovery Center)",
        "[A-Z][a-z]{3,9}( [A-Z][a-z]{2,9}){0,2} (Health|Behavioral Health|Associates)",
    );
    let varied = (
        arb_payers(),
        arb_languages(),
        arb_staff(),
        arb_location(),
        arb_date_before(as_of),
        proptest::option::weighted(0.2, any::<u64>()),
    );
    (identity, varied).prop_map(
        |(
            (seed, id, name, organization),
            (payers, languages, staff, location, last_verified, unlisted),
        )| {
            let base = synthetic::directory(1, seed).remove(0);
            let mut p = Program {
                id,
                name,
                organization,
                payers,
                languages,
                staff,
                location,
                last_verified,
                ..base
            };
            if let Some(unlisted) = unlisted {
                synthetic::leave_unlisted(std::slice::from_mut(&mut p), unlisted, 100);
                // An undated source: the verification date not listed.
                if unlisted % 3 == 0 {
                    p.not_listed.push(carematch::NotListed::LastVerified);
                    p.last_verified = Date::checked(1900, 1, 1).expect("a date");
                }
            }
            p
        },
    )
}

/// A directory of up to `max` programs valid as of [`AS_OF`], ids unique
/// (each gets its position as a suffix: `wor-x-000`, `bos-y-001` ...).
pub fn arb_directory(max: usize) -> impl Strategy<Value = Vec<Program>> {
    vec(arb_program(AS_OF), 0..=max).prop_map(|mut programs| {
        for (i, p) in programs.iter_mut().enumerate() {
            p.id = format!("{}-{i:03}", p.id)
                .parse()
                .unwrap_or_else(|e| panic!("{e}"));
        }
        programs
    })
}

/// One patient: 12 to 90, in Massachusetts (mostly), one to three diagnoses
/// with exactly one primary, mostly referred to IOP (or PHP), availability
/// often around working hours. Built on [`carematch::synthetic`]: a
/// synthetic patient drawn from a seed gives the delivery preference,
/// family involvement, discharge and substance-use facts; this strategy
/// varies the rest, so it shrinks.
pub fn arb_patient_needs() -> impl Strategy<Value = PatientNeeds> {
    let clinical = (
        any::<u64>(),
        12u8..=90,
        vec(arb_referral_diagnosis(), 1..=3),
        any::<Index>(),
        proptest::option::weighted(
            0.7,
            prop_oneof![
                5 => Just(LevelOfCare::IntensiveOutpatient),
                2 => Just(LevelOfCare::PartialHospitalization),
                1 => arb_level(),
            ],
        ),
    );
    let practical = (
        arb_availability(),
        arb_payer(),
        prop_oneof![
            4 => Just(Language::ENGLISH),
            // A code a patient may give: ISO 639, by its two-letter code
            // when it has one (validation refuses the rest, issue 25).
            1 => arb_language().prop_filter("a patient's language", |l| {
                let mut n = PatientNeeds::new(30, Payer::SelfPay);
                n.language = *l;
                !n.validate().has_errors()
            }),
        ],
        proptest::option::weighted(0.9, arb_geo_point()),
        proptest::option::weighted(
            0.6,
            (10u32..=600).prop_map(|tenths| f64::from(tenths) / 10.0),
        ),
        arb_terms(Population::ALL, 0..=2),
    );
    (clinical, practical).prop_map(
        |(
            (seed, age, mut diagnoses, primary, level),
            (availability, payer, language, location, max_travel_miles, populations),
        )| {
            let base = synthetic::patients(1, seed).remove(0);
            let i = primary.index(diagnoses.len());
            diagnoses[i].primary = true;
            PatientNeeds {
                age,
                diagnoses,
                level,
                availability,
                payer,
                language,
                location,
                max_travel_miles: location.and(max_travel_miles),
                populations,
                ..base
            }
        },
    )
}

/// A validation problem with a path and message such as validation writes.
pub fn arb_problem() -> impl Strategy<Value = Problem> {
    (
        arb_term(&[ProblemSeverity::Warning, ProblemSeverity::Error]),
        "(programs\\[[0-9]{1,2}\\](\\.[a-z_]{2,12}(\\[[0-9]\\])?){0,2})?",
        "[a-z0-9 ,;:`.-]{1,60}",
    )
        .prop_map(|(severity, path, message)| Problem::new(severity, path, message))
}

/// A validation report of up to eight problems.
pub fn arb_validation_report() -> impl Strategy<Value = ValidationReport> {
    vec(arb_problem(), 0..8).prop_map(|problems| ValidationReport { problems })
}
