//! Issue 26: what real directories write, read as written. Fixtures are
//! fictional, in the real shapes (the SAMHSA locator's listing page, HSDS
//! 3.0 JSON with 211 wording): the treatment gate, levels, medications and
//! people as written.

mod hsds_package;
use hsds_package::package;

use carematch::import::{Format, Import, ImportOptions, Outcome, import, import_hsds_csv};
use carematch::{
    Approach, Condition, Delivery, Language, LevelOfCare, LocationPrecision, Modality,
    MoudMedication, Population, Program, TimeOfDay, sample,
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

fn lang(code: &str) -> Language {
    code.parse().unwrap()
}

/// The fictional HSDS 1.1 package worded as a 211 directory words its
/// services (`tests/data/import/hsds-1.1-levels`), imported.
fn levels_package() -> Import {
    import_hsds_csv(&package("import/hsds-1.1-levels"), &options()).unwrap()
}

fn levels_of(out: &Import, name: &str) -> Vec<LevelOfCare> {
    let mut l = by_name(&out.programs, name).levels.clone();
    l.sort();
    l
}

#[test]
fn samhsa_settings_medications_and_people_as_written() {
    let out = import(
        Format::Samhsa,
        &data("samhsa_real_shapes_fictional.json"),
        &options().with_creole(lang("ht")),
    )
    .unwrap();
    assert_eq!(out.programs.len(), 5, "{}", out.report);
    let ps = &out.programs;

    // "Hospital inpatient" and a psychiatric hospital: inpatient.
    let h = by_name(ps, "North Psychiatric Hospital");
    assert_eq!(h.levels, [LevelOfCare::Inpatient]);
    // Adults and seniors: 18 and older, never capped at 64.
    assert_eq!((h.ages.min, h.ages.max), (18, 120));
    assert!(h.modalities.contains(&Modality::MedicationManagement));
    assert!(h.specialties.contains(&Condition::SubstanceUse));
    assert!(h.populations.contains(&Population::Lgbtq));
    assert!(h.specialties.contains(&Condition::Psychotic));

    // Negated statements mean nothing; acamprosate, disulfiram, naltrexone: MAUD only.
    let op = by_name(ps, "Harbor Recovery OP");
    assert_eq!(op.levels, [LevelOfCare::Outpatient]);
    assert!(op.approaches.contains(&Approach::Maud));
    assert!(
        !op.approaches.contains(&Approach::Moud),
        "{:?}",
        op.approaches
    );
    assert!(!op.modalities.contains(&Modality::MedicationManagement));
    assert!(op.moud_medications.is_empty());
    // Telemedicine setting: telehealth delivery; outpatient detox: withdrawal management.
    assert!(op.delivery.contains(&Delivery::Telehealth));
    assert!(op.withdrawal_management);
    let neg = out
        .report
        .line("services.OT", Some("Does not treat opioid addiction"))
        .unwrap();
    assert!(matches!(neg.outcome, Outcome::Ignored { .. }), "{neg}");

    // Brands and "prescribes/administers buprenorphine": MOUD with the medication.
    let m = by_name(ps, "Bay MOUD Clinic");
    assert!(m.approaches.contains(&Approach::Moud));
    assert!(m.approaches.contains(&Approach::Maud));
    assert_eq!(
        m.moud_medications,
        [MoudMedication::Buprenorphine, MoudMedication::Naltrexone]
    );
    assert!(!m.opioid_treatment_program);

    // Methadone maintenance: MOUD, methadone, and the OTP flag.
    let otp = by_name(ps, "Eastside OTP");
    assert!(otp.opioid_treatment_program);
    assert_eq!(otp.moud_medications, [MoudMedication::Methadone]);

    // Residential detox: withdrawal management; groups and languages by name.
    let r = by_name(ps, "Riverside Residential");
    assert_eq!(r.levels, [LevelOfCare::Residential]);
    assert!(r.withdrawal_management);
    assert!(r.populations.contains(&Population::PerinatalParents));
    assert!(r.populations.contains(&Population::YoungAdults));
    assert_eq!(r.languages, [lang("en"), lang("ht"), lang("pt")]);
}

#[test]
fn creole_is_not_guessed_unless_the_operator_says() {
    let out = import(
        Format::Samhsa,
        &data("samhsa_real_shapes_fictional.json"),
        &options(),
    )
    .unwrap();
    let r = by_name(&out.programs, "Riverside Residential");
    // "Kreyòl" is Haitian Creole by name; a bare "Creole" is reported.
    assert_eq!(r.languages, [lang("en"), lang("ht"), lang("pt")]);
    let line = out.report.line("services.LANG", Some("Creole")).unwrap();
    assert!(matches!(&line.outcome, Outcome::Ignored { why } if why.contains("--creole")));
}

#[test]
fn hsds_the_treatment_gate_refuses_what_is_not_treatment_and_levels_are_read_as_written() {
    let out = import(
        Format::Hsds,
        &data("hsds3_real_shapes_fictional.json"),
        &options(),
    )
    .unwrap();
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    for name in [
        "Assisted Living Residence",
        "Permanent Supportive Housing",
        "Home Health Aide Registry",
        "Crisis Help Line",
        "Family Homeless Shelter",
        "Supported Employment",
    ] {
        assert!(
            refused
                .iter()
                .any(|r| r.contains("not a treatment service") && r.contains(name)),
            "{name}: {refused:#?}"
        );
        assert!(!out.programs.iter().any(|p| p.name == name), "{name}");
    }
    assert!(
        refused
            .iter()
            .any(|r| r.contains("a help line or crisis contact") && r.contains("Crisis Help Line")),
        "{refused:#?}"
    );
    let ps = &out.programs;
    assert_eq!(ps.len(), 6, "{}", out.report);
    let psych = by_name(ps, "Outpatient Psychiatry");
    assert_eq!(psych.levels, [LevelOfCare::Outpatient]);
    // Stated ages in eligibility text; interpretation services "no" is no.
    assert_eq!((psych.ages.min, psych.ages.max), (21, 60));
    assert!(!psych.interpreter_services);
    // "Kreyòl" by name; bare "Creole" not guessed.
    assert_eq!(psych.languages, [lang("ht"), lang("es")]);
    // 12-hour opening hours are read.
    let t = &psych.tracks[0];
    assert_eq!(t.sessions.len(), 5);
    assert_eq!(t.sessions[0].window.start, TimeOfDay::hm(9, 0).unwrap());
    assert_eq!(t.sessions[0].window.end, TimeOfDay::hm(17, 0).unwrap());
    // "weekdays" with MO..FR is no disagreement.
    assert!(
        !out.report
            .notes
            .iter()
            .any(|n| n.message.contains("the description says weekdays")),
        "{}",
        out.report
    );

    assert_eq!(
        by_name(ps, "Outpatient Behavioral Health Services").levels,
        [LevelOfCare::Outpatient]
    );
    // "Non-residential" is not residential.
    assert_eq!(
        by_name(ps, "Non-residential Substance Use Counseling").levels,
        [LevelOfCare::Outpatient]
    );
    // The name's level wins over a taxonomy term's.
    assert_eq!(
        by_name(ps, "OUTPATIENT TREATMENT").levels,
        [LevelOfCare::Outpatient]
    );
    // "residential and outpatient" keeps both.
    assert_eq!(
        by_name(ps, "Adult Mental Health Services").levels,
        [LevelOfCare::Outpatient, LevelOfCare::Residential]
    );
    // The specification example's name: counselling is outpatient.
    assert_eq!(
        by_name(ps, "Community Counselling").levels,
        [LevelOfCare::Outpatient]
    );
}

#[test]
fn dates_are_facts_undated_records_are_not_verified_today() {
    let text = data("samhsa_real_shapes_fictional.json");
    let out = import(Format::Samhsa, &text, &options()).unwrap();
    // No date in the rows and none from the operator: not listed, never today.
    assert!(
        out.programs
            .iter()
            .all(|p| p.last_verified == carematch::import::UNDATED
                && !p.is_listed(carematch::NotListed::LastVerified))
    );
    let line = out
        .report
        .line("(last_verified)", Some("not listed"))
        .unwrap();
    assert_eq!(line.count, 5);
    assert!(out.report.to_string().contains("--source-date"));
    // The operator says the page is from 2019: that date, and the report says so.
    let d: carematch::Date = "2019-06-01".parse().unwrap();
    let out = import(Format::Samhsa, &text, &options().with_source_date(d)).unwrap();
    assert!(out.programs.iter().all(|p| p.last_verified == d));
    assert!(
        out.report
            .line("(last_verified)", Some("the operator's source date"))
            .is_some()
    );
}

// ------------------------------------------------ the gate on real 211 data

#[path = "../examples/gate_accuracy.rs"]
mod gate_accuracy;

fn real_labels() -> Vec<gate_accuracy::Label> {
    let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), gate_accuracy::LABELS);
    gate_accuracy::labels(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn real_211_labels_are_the_drawn_sample() {
    let labels = real_labels();
    assert_eq!(labels.len(), 798);
    assert_eq!(labels.iter().filter(|l| l.random).count(), 200);
    assert_eq!(labels.iter().filter(|l| l.treatment).count(), 256);
    let ids: std::collections::BTreeSet<&str> = labels.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), labels.len(), "a service labelled twice");
    assert!(labels.iter().all(|l| !l.reason.is_empty()));
}

/// Issue 26 on real data, against the hand labels: the treatment gate, and
/// end to end (what became a program), each at least the figures measured
/// on 2026-12-07 (gate 0.908 / 0.891; programs 0.928 / 0.859, and 0.959 /
/// 0.925 without the borderline labels); runs where
/// `CAREMATCH_REAL_211` names the folder of Open211 Miami's HSDS tables
/// (`data/labels/README.md` says where to get them).
#[test]
fn real_211_gate() {
    let Some(dir) = std::env::var_os("CAREMATCH_REAL_211") else {
        println!(
            "real_211_gate skipped: CAREMATCH_REAL_211 is not set (see data/labels/README.md)"
        );
        return;
    };
    let rows = gate_accuracy::measure(std::path::Path::new(&dir), &real_labels()).unwrap();
    let all = |_: &gate_accuracy::Label| true;
    let gate = gate_accuracy::figures(&rows, all, gate_accuracy::passed_gate);
    assert!(gate.precision() >= 0.9, "{gate:?}");
    assert!(gate.recall() >= 0.88, "{gate:?}");
    // End to end: Miami's addresses have no coordinates and are placed by
    // their ZIP codes (the national ZCTA table); levels as written.
    let programs = gate_accuracy::figures(&rows, all, gate_accuracy::became_program);
    assert!(programs.precision() >= 0.92, "{programs:?}");
    assert!(programs.recall() >= 0.85, "{programs:?}");
    let sure = |l: &gate_accuracy::Label| !l.borderline;
    let programs = gate_accuracy::figures(&rows, sure, gate_accuracy::became_program);
    assert!(programs.precision() >= 0.95, "{programs:?}");
    assert!(programs.recall() >= 0.92, "{programs:?}");
}

/// The second, blind labelling of the same 798 services (`data/labels/README.md`,
/// "Second labelling": agreement with the first, Cohen's kappa 0.92).
fn second_labels() -> Vec<gate_accuracy::Label> {
    let path = format!(
        "{}/{}",
        env!("CARGO_MANIFEST_DIR"),
        gate_accuracy::SECOND_LABELS
    );
    gate_accuracy::second_labels(&std::fs::read_to_string(path).unwrap(), &real_labels()).unwrap()
}

#[test]
fn the_second_labelling_covers_the_same_services() {
    let (first, second) = (real_labels(), second_labels());
    assert_eq!(second.len(), 798);
    let ids = |l: &[gate_accuracy::Label]| {
        l.iter()
            .map(|l| l.id.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(ids(&first), ids(&second));
    // How it was drawn comes from the first file, by id.
    assert_eq!(second.iter().filter(|l| l.random).count(), 200);
    assert_eq!(second.iter().filter(|l| l.treatment).count(), 268);
    assert!(second.iter().all(|l| !l.reason.is_empty()));
}

/// The same measure against the second, blind labelling, at least the
/// figures measured on 2026-12-07 (gate 0.904 / 0.847; programs 0.924 /
/// 0.817, and 0.973 / 0.927 without the rows this labelling marks
/// borderline): the importer is not tuned to one reader's labels.
#[test]
fn real_211_gate_against_the_second_labelling() {
    let Some(dir) = std::env::var_os("CAREMATCH_REAL_211") else {
        println!(
            "real_211_gate_against_the_second_labelling skipped: CAREMATCH_REAL_211 is not set"
        );
        return;
    };
    let rows = gate_accuracy::measure(std::path::Path::new(&dir), &second_labels()).unwrap();
    let all = |_: &gate_accuracy::Label| true;
    let gate = gate_accuracy::figures(&rows, all, gate_accuracy::passed_gate);
    assert!(gate.precision() >= 0.9, "{gate:?}");
    assert!(gate.recall() >= 0.84, "{gate:?}");
    let programs = gate_accuracy::figures(&rows, all, gate_accuracy::became_program);
    assert!(programs.precision() >= 0.92, "{programs:?}");
    assert!(programs.recall() >= 0.81, "{programs:?}");
    let sure = |l: &gate_accuracy::Label| !l.borderline;
    let programs = gate_accuracy::figures(&rows, sure, gate_accuracy::became_program);
    assert!(programs.precision() >= 0.97, "{programs:?}");
    assert!(programs.recall() >= 0.92, "{programs:?}");
}

// ------------------------------------------------------------ levels as a 211 words them

/// A Miami address with no coordinates is placed at its ZIP code's centre
/// (the national ZCTA table), marked approximate, in Florida.
#[test]
fn a_florida_address_without_coordinates_is_placed_by_its_zip_code() {
    let out = levels_package();
    assert!(!out.programs.is_empty(), "{}", out.report);
    for p in &out.programs {
        assert_eq!(
            p.location.precision,
            LocationPrecision::ZipCentre,
            "{}",
            p.name
        );
        assert_eq!(p.location.state.trim(), "FL", "{}", p.name);
        let zip = carematch::places::lookup(&p.location.postal_code).unwrap();
        assert_eq!(p.location.point(), zip.point(), "{}", p.name);
    }
    assert!(
        out.report
            .refused
            .iter()
            .all(|r| !r.reason.contains("no place")),
        "{}",
        out.report
    );
}

/// A level the description states is read when the name, program and
/// taxonomy terms name none, and said so in the report.
#[test]
fn a_level_stated_in_the_description_is_read() {
    let out = levels_package();
    assert_eq!(
        levels_of(&out, "BAYVIEW BEHAVIORAL HEALTH CENTER"),
        [LevelOfCare::Outpatient, LevelOfCare::Inpatient]
    );
    let line = out
        .report
        .line("service.description", Some("inpatient"))
        .unwrap_or_else(|| panic!("{}", out.report));
    assert!(
        line.to_string()
            .contains("levels: inpatient (words in the description)"),
        "{line}"
    );
    // Negated in its own sentence: not residential, intensive outpatient.
    assert_eq!(
        levels_of(&out, "RIVERSIDE RECOVERY PROGRAM"),
        [LevelOfCare::IntensiveOutpatient]
    );
}

/// "Out-patient" with a hyphen is outpatient.
#[test]
fn a_hyphenated_out_patient_is_outpatient() {
    let out = levels_package();
    assert_eq!(
        levels_of(&out, "HARBOR RECOVERY"),
        [LevelOfCare::Outpatient]
    );
}

/// A level the description refers people to, or stands in for, is not the
/// service's own: a psychotherapy group that refers to inpatient care is
/// outpatient (by its name), and an "alternative to residential care" with
/// no level of its own is refused for naming none.
#[test]
fn a_level_referred_to_or_replaced_is_not_the_services_own() {
    let out = levels_package();
    assert_eq!(
        levels_of(&out, "COASTAL PSYCHOTHERAPY GROUP"),
        [LevelOfCare::Outpatient]
    );
    assert!(
        out.programs
            .iter()
            .all(|p| !p.name.starts_with("PINEWOOD ADDICTION SERVICES")),
        "{}",
        out.report
    );
    assert!(
        out.report
            .refused
            .iter()
            .any(|r| r.reason.starts_with("no level of care")),
        "{}",
        out.report
    );
}

/// A community mental health center is outpatient care by its definition,
/// and office-based treatment is outpatient, when nothing names a level.
#[test]
fn a_community_mental_health_center_and_office_based_treatment_are_outpatient() {
    let out = levels_package();
    assert_eq!(
        levels_of(&out, "NORTHSIDE COMMUNITY MENTAL HEALTH CENTER"),
        [LevelOfCare::Outpatient]
    );
    assert_eq!(
        levels_of(&out, "OFFICE-BASED OPIOID TREATMENT"),
        [LevelOfCare::Outpatient]
    );
    assert_eq!(out.programs.len(), 6, "{}", out.report);
}
