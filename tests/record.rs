//! FHIR R4 patient input: every resource path on the fictional bundles in
//! tests/data/fhir-patient/, and no patient data in any output or error.

use carematch::level::{Suggested, WithdrawalRisk};
use carematch::record::{
    CodeTables, ObservationCode, Reads, RecordImport, RecordOptions, read_bundle,
};
use carematch::screening::{CssrsItem, Instrument, Score, Sex};
use carematch::{
    Condition, Date, LevelOfCare, LevelPolicy, MassHealthPlan, MoudMedication, Payer, Pregnancy,
};

fn as_of() -> Date {
    Date::new(2026, 6, 1).expect("a valid date")
}

/// The fictional patient's identifying values, as the bundles write them.
const PATIENT_DATA: &[&str] = &[
    "MRN-FICT-0001",
    "Quenby",
    "Fictionson",
    "Imaginary",
    "Nowhereville",
    "01999",
    "1990-04-12",
    "555-0100",
    "SUB-FICT-77",
    "GRP-FICT-1",
    "pat-fict-1",
];

fn text(name: &str) -> String {
    let path = format!(
        "{}/tests/data/fhir-patient/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn site_options() -> RecordOptions {
    let mut tables = CodeTables::default();
    let site = |code: &str, reads| ObservationCode {
        system: "urn:example:site-codes".into(),
        code: code.into(),
        reads,
    };
    tables
        .observations
        .push(site("ciwa-ar-total", Reads::Total(Instrument::CiwaAr)));
    tables
        .observations
        .push(site("cows-total", Reads::Total(Instrument::Cows)));
    let cssrs = [
        ("cssrs-1", CssrsItem::WishToBeDead),
        ("cssrs-2", CssrsItem::SuicidalThoughts),
        ("cssrs-3", CssrsItem::ThoughtsWithMethod),
        ("cssrs-4", CssrsItem::Intent),
        ("cssrs-5", CssrsItem::PlanWithIntent),
        ("cssrs-6-recent", CssrsItem::BehaviorWithinThreeMonths),
    ];
    for (code, q) in cssrs {
        tables.observations.push(site(code, Reads::CssrsYes(q)));
    }
    RecordOptions::new(as_of()).with_tables(tables)
}

/// Everything a read produces, as text: the JSON, the report and record
/// as printed, or the error as printed and debugged.
fn all_output(result: &Result<RecordImport, carematch::Error>) -> String {
    match result {
        Ok(out) => format!(
            "{}\n{}\n{}\n{:?}",
            serde_json::to_string(out).expect("serializes"),
            out.report,
            out.record,
            out
        ),
        Err(e) => format!("{e}\n{e:?}"),
    }
}

fn read(name: &str) -> RecordImport {
    let result = read_bundle(&text(name), &site_options());
    assert_no_patient_data(name, &all_output(&result));
    result.unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refused(name: &str) -> carematch::Error {
    let result = read_bundle(&text(name), &site_options());
    assert_no_patient_data(name, &all_output(&result));
    result.expect_err("refused")
}

fn assert_no_patient_data(name: &str, output: &str) {
    for value in PATIENT_DATA {
        assert!(
            !output.contains(value),
            "{name}: {value:?} reached the output:\n{output}"
        );
    }
}

fn has(items: &[carematch::record::ReportItem], path: &str, words: &str) -> bool {
    items
        .iter()
        .any(|i| i.path == path && i.message.contains(words))
}

#[test]
fn snomed_only_condition_and_phq9_integer() {
    let out = read("01_snomed_only_ptsd.json");
    assert_eq!(out.record.age, 36);
    assert_eq!(out.record.sex, Some(Sex::Female));
    assert_eq!(out.record.diagnoses.len(), 1);
    assert_eq!(out.record.diagnoses[0].condition, Condition::Ptsd);
    assert_eq!(out.record.diagnoses[0].code, None);
    assert_eq!(
        out.record.scores,
        [Score::Phq9 {
            total: 16,
            item9: None
        }]
    );
    assert_eq!(out.screening[0].band, "moderately_severe");
    assert!(has(&out.report.read, "entry[1].resource", "SNOMED CT"));
}

#[test]
fn icd10cm_wins_over_snomed() {
    let out = read("02_icd_wins_over_snomed.json");
    assert_eq!(out.record.diagnoses.len(), 1);
    assert_eq!(
        out.record.diagnoses[0]
            .code
            .map(|c| c.to_string())
            .as_deref(),
        Some("F33.1")
    );
    assert_eq!(out.record.diagnoses[0].condition, Condition::Depressive);
    assert!(has(
        &out.report.notes,
        "entry[1].resource.code",
        "ICD-10-CM wins"
    ));
}

#[test]
fn resolved_conditions_are_not_read() {
    let out = read("03_resolved_condition.json");
    let codes: Vec<String> = out
        .record
        .diagnoses
        .iter()
        .filter_map(|d| d.code)
        .map(|c| c.to_string())
        .collect();
    assert_eq!(codes, ["F32.1"]);
    assert!(has(&out.report.ignored, "entry[1].resource", "not active"));
}

#[test]
fn unconfirmed_conditions_are_not_read() {
    let out = read("04_unconfirmed_condition.json");
    assert!(out.record.diagnoses.is_empty());
    assert!(has(
        &out.report.ignored,
        "entry[1].resource",
        "not confirmed"
    ));
    assert!(has(
        &out.report.ignored,
        "entry[2].resource",
        "not confirmed"
    ));
    assert!(has(
        &out.report.ignored,
        "entry[3].resource",
        "no verification status"
    ));
}

#[test]
fn coverage_plan_name_wins_over_payor() {
    let out = read("05_coverage_masshealth_plan.json");
    assert_eq!(
        out.record.payer,
        Some(Payer::MassHealthPlan(MassHealthPlan::WellSense))
    );
    assert_eq!(
        out.needs(None).unwrap().payer,
        Payer::MassHealthPlan(MassHealthPlan::WellSense)
    );
}

#[test]
fn coverage_payor_reference_to_organization() {
    let out = read("06_coverage_payor_reference.json");
    assert_eq!(
        out.record.payer,
        Some(Payer::commercial("Harvard Pilgrim Health Care").unwrap())
    );
}

#[test]
fn coverage_by_payer_type() {
    let out = read("07_coverage_payer_type_medicare.json");
    assert_eq!(out.record.payer, Some(Payer::Medicare));
    assert_eq!(out.record.age, 71);
}

#[test]
fn inactive_or_ended_coverage_is_not_listed() {
    let out = read("08_coverage_inactive.json");
    assert_eq!(out.record.payer, None);
    assert!(has(&out.report.ignored, "entry[2].resource", "not active"));
    assert!(has(&out.report.ignored, "entry[3].resource", "ended"));
    let e = out.needs(None).unwrap_err();
    assert_eq!(e.problems()[0].path, "payer");
}

#[test]
fn no_coverage_is_not_listed() {
    let out = read("09_no_coverage.json");
    assert_eq!(out.record.payer, None);
    assert!(
        out.report
            .notes
            .iter()
            .any(|n| n.message.contains("payer not listed"))
    );
    assert_eq!(
        out.needs(Some(Payer::SelfPay)).unwrap().payer,
        Payer::SelfPay
    );
}

#[test]
fn phq9_total_as_string_and_item9_suggest_risk() {
    let out = read("10_phq9_total_as_string.json");
    assert_eq!(
        out.record.scores,
        [Score::Phq9 {
            total: 21,
            item9: Some(2)
        }]
    );
    let s: Vec<Suggested> = out.screening[0]
        .suggestions
        .iter()
        .map(|s| s.suggests)
        .collect();
    assert!(s.contains(&Suggested::ConfirmCondition {
        condition: Condition::Depressive
    }));
    let a = out.suggested_assessment.expect("item 9 suggests a rating");
    assert_eq!(a.ratings.risk_of_harm.get(), 3);
    assert_eq!(a.age, Some(36));
}

#[test]
fn phq9_panel_read_by_its_components() {
    let out = read("28_phq9_panel_components.json");
    assert_eq!(
        out.record.scores,
        [Score::Phq9 {
            total: 17,
            item9: Some(1)
        }]
    );
    let a = out.suggested_assessment.expect("item 9 suggests a rating");
    assert!(a.ratings.risk_of_harm.get() >= 3, "{a:?}");
    assert!(
        has(
            &out.report.ignored,
            "entry[2].resource",
            "1 component(s) with a code carematch does not read"
        ),
        "{:?}",
        out.report.ignored
    );
}

#[test]
fn phq9_from_questionnaire_response() {
    let out = read("11_phq9_questionnaire_response.json");
    assert_eq!(
        out.record.scores,
        [Score::Phq9 {
            total: 11,
            item9: Some(1)
        }]
    );
    assert!(has(
        &out.report.read,
        "entry[2].resource.item[0].item[2].answer[0]",
        "PHQ-9 total: 11"
    ));
    assert!(has(
        &out.report.ignored,
        "entry[2].resource",
        "linkId carematch does not read"
    ));
}

#[test]
fn gad7_quantity_and_audit_c_female_cutoff() {
    let out = read("12_gad7_quantity_audit_c_female.json");
    assert_eq!(
        out.record.scores,
        [
            Score::Gad7 { total: 15 },
            Score::AuditC {
                total: 3,
                sex: Some(Sex::Female)
            }
        ]
    );
    assert_eq!(out.screening[1].band, "positive");
}

#[test]
fn pregnancy_status_observation() {
    let out = read("13_pregnant_with_oud.json");
    assert_eq!(out.record.pregnancy, Some(Pregnancy::Pregnant));
    assert!(out.record.pregnancy_read);
    let needs = out.needs(Some(Payer::MassHealth)).unwrap();
    assert_eq!(needs.pregnancy_status(), Some(Pregnancy::Pregnant));
    assert_eq!(needs.primary_condition(), Some(Condition::OpioidUse));
}

#[test]
fn moud_by_rxnorm_ingredient() {
    let out = read("14_moud_rxnorm_ingredient.json");
    assert_eq!(
        out.record.moud_medication,
        Some(MoudMedication::Buprenorphine)
    );
    assert!(out.needs(Some(Payer::MassHealth)).unwrap().is_on_moud());
}

#[test]
fn moud_product_through_contained_medication() {
    let out = read("15_moud_product_contained_medication.json");
    assert_eq!(
        out.record.moud_medication,
        Some(MoudMedication::Buprenorphine)
    );
}

#[test]
fn moud_through_bundled_medication() {
    let out = read("16_moud_bundled_medication.json");
    assert_eq!(out.record.moud_medication, Some(MoudMedication::Methadone));
}

#[test]
fn stopped_and_non_moud_formulations_are_not_moud() {
    let out = read("17_moud_stopped_and_pain_patch.json");
    assert_eq!(out.record.moud_medication, None);
    assert!(has(&out.report.ignored, "entry[2].resource", "not active"));
    assert!(has(
        &out.report.ignored,
        "entry[3].resource",
        "pain formulation"
    ));
    assert!(has(
        &out.report.ignored,
        "entry[4].resource",
        "oral naltrexone"
    ));
}

#[test]
fn malformed_resources_are_reported_not_panicked() {
    let out = read("18_malformed_resources.json");
    assert_eq!(out.report.resources, 9);
    let nu = &out.report.not_understood;
    assert!(has(nu, "entry[1].resource", "not a resource"));
    assert!(has(nu, "entry[2].resource", "no resourceType"));
    assert!(has(nu, "entry[3]", "not a resource"));
    assert!(has(
        nu,
        "entry[4].resource.code.coding[0]",
        "not a well-formed ICD-10-CM code"
    ));
    assert!(has(nu, "entry[5].resource", "not a whole number"));
    assert!(has(nu, "entry[6].resource", "not a whole number"));
    assert!(has(
        nu,
        "entry[7].resource.medicationReference",
        "neither contained nor in the bundle"
    ));
    assert!(out.record.diagnoses.is_empty() && out.record.scores.is_empty());
}

#[test]
fn unknown_code_systems_are_not_understood() {
    let out = read("19_unknown_code_systems.json");
    assert!(out.record.diagnoses.is_empty());
    let nu = &out.report.not_understood;
    assert!(has(nu, "entry[1].resource", "no ICD-10-CM code"));
    assert!(has(nu, "entry[2].resource", "no ICD-10-CM code"));
    assert!(has(nu, "entry[3].resource", "no ICD-10-CM code"));
    assert!(has(
        &out.report.ignored,
        "entry[4].resource",
        "outside ICD-10-CM's mental"
    ));
    assert!(has(
        &out.report.ignored,
        "entry[5].resource",
        "code carematch does not read"
    ));
}

#[test]
fn nothing_usable_still_reads_the_age() {
    let out = read("20_nothing_usable.json");
    assert_eq!(out.record.age, 36);
    assert!(out.record.diagnoses.is_empty() && out.screening.is_empty());
    assert!(out.suggested_assessment.is_none());
    assert_eq!(out.report.ignored.len(), 2);
}

#[test]
fn deceased_no_patient_and_partial_birth_date_are_refused() {
    assert_eq!(
        refused("21_deceased_refused.json").problems()[0].path,
        "entry[0].resource.deceased"
    );
    assert_eq!(
        refused("22_no_patient_refused.json").problems()[0].path,
        "(document)"
    );
    assert_eq!(
        refused("23_partial_birth_date_refused.json").problems()[0].path,
        "entry[0].resource.birthDate"
    );
}

#[test]
fn site_codes_for_ciwa_and_cows_suggest_withdrawal() {
    let out = read("24_site_codes_ciwa_cows.json");
    assert_eq!(
        out.record.scores,
        [
            Score::AuditC {
                total: 8,
                sex: Some(Sex::Male)
            },
            Score::CiwaAr { total: 17 },
            Score::Cows { total: 9 }
        ]
    );
    let a = out.suggested_assessment.expect("withdrawal suggested");
    assert_eq!(a.withdrawal_risk, Some(WithdrawalRisk::Moderate));
    // Without the site's rows the codes are not read.
    let plain = read_bundle(
        &text("24_site_codes_ciwa_cows.json"),
        &RecordOptions::new(as_of()),
    )
    .unwrap();
    assert_eq!(plain.record.scores.len(), 1);
    // Given beside the record (the API and the command line), a score replaces the record's.
    let given = read_bundle(
        &text("24_site_codes_ciwa_cows.json"),
        &site_options().with_score(Score::CiwaAr { total: 25 }),
    )
    .unwrap();
    assert!(given.record.scores.contains(&Score::CiwaAr { total: 25 }));
    assert!(!given.record.scores.contains(&Score::CiwaAr { total: 17 }));
    assert_eq!(
        given.suggested_assessment.unwrap().withdrawal_risk,
        Some(WithdrawalRisk::Severe)
    );
    let bad = read_bundle(
        &text("24_site_codes_ciwa_cows.json"),
        &RecordOptions::new(as_of()).with_score(Score::Cows { total: 49 }),
    );
    assert_eq!(bad.unwrap_err().problems()[0].path, "scores[0].total");
}

#[test]
fn resource_list_and_cssrs_answers() {
    let out = read("25_resource_list_cssrs_questionnaire.json");
    assert_eq!(
        out.record.scores,
        [Score::CssrsScreener {
            yes: vec![
                CssrsItem::WishToBeDead,
                CssrsItem::SuicidalThoughts,
                CssrsItem::ThoughtsWithMethod
            ]
        }]
    );
    assert_eq!(out.screening[0].band, "moderate_risk");
    let a = out.suggested_assessment.unwrap();
    assert_eq!(a.ratings.risk_of_harm.get(), 4);
    let rec = LevelPolicy::default()
        .recommend(&a)
        .with_suggestions(carematch::screening::suggestions(&out.screening));
    assert_eq!(rec.level(), LevelOfCare::Residential);
    assert!(
        rec.to_string()
            .contains("C-SSRS screener yes to question 3")
    );
}

#[test]
fn free_text_patient_data_never_read() {
    let out = read("26_patient_data_in_free_text.json");
    assert!(out.record.scores.is_empty());
    assert_eq!(out.record.payer, None);
    assert!(has(
        &out.report.not_understood,
        "entry[2].resource",
        "not a whole number"
    ));
}

#[test]
fn latest_final_score_wins() {
    let out = read("27_latest_score_wins.json");
    assert_eq!(
        out.record.scores,
        [Score::Phq9 {
            total: 6,
            item9: None
        }]
    );
    assert!(has(&out.report.ignored, "entry[4].resource", "not final"));
}

#[test]
fn every_bundle_is_tested_and_none_leaks() {
    let dir = format!("{}/tests/data/fhir-patient", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            n += 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let result = read_bundle(&text(&name), &site_options());
            assert_no_patient_data(&name, &all_output(&result));
        }
    }
    assert!(n >= 20, "{n} bundles");
}

#[test]
fn the_docs_site_codes_example_reads() {
    let docs = include_str!("../docs/screening-and-records.md");
    let start = docs.find("```json\n").expect("a JSON example") + "```json\n".len();
    let end = start + docs[start..].find("```").expect("closed");
    let site: CodeTables =
        serde_json::from_str(&docs[start..end]).expect("the docs' site rows read");
    let t = CodeTables::default().with_site(site);
    assert_eq!(t.observations[0].reads, Reads::Total(Instrument::CiwaAr));
    assert_eq!(t.observations[1].reads, Reads::CssrsYes(CssrsItem::Intent));
    assert_eq!(
        t.payers[0].payer,
        Payer::commercial("Example Community Plan").unwrap()
    );
    assert_eq!(t.medicaid_state.as_deref(), Some("MA"));
}

#[test]
fn medicaid_type_needs_the_state() {
    let bundle = r#"[{"resourceType": "Patient", "birthDate": "1990-01-01"},
        {"resourceType": "Coverage", "status": "active",
         "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": "2"}]}}]"#;
    let out = read_bundle(bundle, &RecordOptions::new(as_of())).unwrap();
    assert_eq!(out.record.payer, None);
    assert!(has(&out.report.not_understood, "[1]", "Medicaid state"));
    let t = CodeTables {
        medicaid_state: Some("MA".into()),
        ..CodeTables::default()
    };
    let out = read_bundle(bundle, &RecordOptions::new(as_of()).with_tables(t)).unwrap();
    assert_eq!(out.record.payer, Some(Payer::MassHealth));
}
