//! CDS Hooks 2.0 (`carematch::cds`): discovery, request bodies shaped like
//! the specification's examples, and cards that pass the specification's
//! card rules, safety first.

use carematch::cds::{self, CardOptions, CdsRequest, Discovery, Hook, Indicator, Prefetched};
use carematch::matching::{Alert, MatchOptions, Weights};
use carematch::{Directory, IcdCode, LevelPolicy, Ratings, sample};
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/cds-hooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn directory() -> Directory {
    Directory::new(sample::massachusetts(), sample::AS_OF).expect("sample")
}

fn checked(response: &cds::CdsResponse) -> Value {
    let json = serde_json::to_value(response).expect("serialize");
    if let Err(p) = cds::check_response(&json) {
        panic!("cards break the specification's rules: {p:#?}\n{json:#}");
    }
    json
}

#[test]
fn discovery_lists_both_services_with_the_prefetch_the_reader_needs() {
    let d = Discovery::carematch();
    let json = serde_json::to_value(&d).unwrap();
    let services = json["services"].as_array().unwrap();
    assert_eq!(services.len(), 2);
    for s in services {
        for key in ["hook", "description", "id"] {
            assert!(
                s[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} in {s}"
            );
        }
        let prefetch = s["prefetch"].as_object().unwrap();
        for key in [
            "patient",
            "conditions",
            "coverage",
            "observations",
            "questionnaireResponses",
            "medicationStatements",
            "medicationRequests",
        ] {
            let template = prefetch[key].as_str().unwrap();
            assert!(
                template.contains("{{context.patientId}}"),
                "{key}: {template}"
            );
        }
    }
    assert_eq!(services[0]["hook"], "patient-view");
    assert_eq!(services[1]["hook"], "order-select");
    // It reads back.
    let back: Discovery = serde_json::from_value(json).unwrap();
    assert_eq!(back, d);
}

#[test]
fn the_specifications_patient_view_request_reads() {
    let r = CdsRequest::from_json(&fixture("patient-view-spec.json")).unwrap();
    assert_eq!(r.hook, Hook::PatientView);
    assert_eq!(r.hook_instance, "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
    assert_eq!(
        r.fhir_server.as_deref(),
        Some("http://hooks.smarthealthit.org:9080")
    );
    assert!(r.can_fetch());
    assert!(matches!(
        r.prefetched("patientToGreet"),
        Prefetched::Given(_)
    ));
    assert_eq!(r.resources().len(), 1);
    // The token is never printed.
    let debug = format!("{r:?}");
    assert!(!debug.contains("some-opaque-fhir-access-token"), "{debug}");
    assert!(debug.contains("<redacted>"));
}

#[test]
fn the_specifications_order_select_request_reads_and_has_no_referral() {
    let r = CdsRequest::from_json(&fixture("order-select-spec.json")).unwrap();
    assert_eq!(r.hook, Hook::OrderSelect);
    assert!(r.selected_referrals().is_empty());
    assert!(r.resources().is_empty()); // draft orders are not patient facts
}

#[test]
fn a_selected_behavioral_health_referral_is_found() {
    let r = CdsRequest::from_json(&fixture("order-select-referral.json")).unwrap();
    let referrals = r.selected_referrals();
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0]["id"], "bh-referral-1");
    assert_eq!(r.prefetched("coverage"), Prefetched::Null);
    assert!(!r.can_fetch()); // a server but no token
    // Unselected, it is not answered.
    let mut v: Value = serde_json::from_str(&fixture("order-select-referral.json")).unwrap();
    v["context"]["selections"] = json!(["NutritionOrder/pureeddiet-simple"]);
    assert!(
        CdsRequest::from_value(&v)
            .unwrap()
            .selected_referrals()
            .is_empty()
    );
}

#[test]
fn bad_requests_name_every_field_and_echo_no_value() {
    let err = CdsRequest::from_json(
        r#"{"hook": "medication-prescribe", "context": {"patientId": 7},
            "fhirAuthorization": {"access_token": "secret-token-value"}, "prefetch": []}"#,
    )
    .unwrap_err();
    let text = format!("{err} {:?}", err.problems());
    for path in [
        "hook",
        "hookInstance",
        "context.patientId",
        "fhirServer",
        "prefetch",
    ] {
        assert!(text.contains(path), "{path}: {text}");
    }
    assert!(!text.contains("secret-token-value"), "{text}");
    assert!(!text.contains("medication-prescribe"), "{text}");
    let err = CdsRequest::from_json("{not json").unwrap_err();
    assert!(err.to_string().contains("not a JSON object"), "{err}");
    let err = CdsRequest::from_json(
        r#"{"hook": "order-select", "hookInstance": "x",
        "context": {"patientId": "1", "selections": "ServiceRequest/1"}}"#,
    )
    .unwrap_err();
    let text = format!("{:?}", err.problems());
    assert!(
        text.contains("context.selections") && text.contains("context.draftOrders"),
        "{text}"
    );
}

#[test]
fn a_sample_patients_cards_pass_the_rules_with_the_level_then_the_programs() {
    let dir = directory();
    for patient in sample::patients() {
        let rec = LevelPolicy::default().recommend(&patient.assessment);
        let q = dir
            .query_for(&patient.needs, &rec, MatchOptions::new(sample::AS_OF))
            .unwrap();
        let ranking = dir.rank(&q, &Weights::default(), 5);
        let options = CardOptions::new().with_page_url("https://carematch.example.org/");
        let response = cds::cards(&ranking, Some(&rec), &options);
        let json = checked(&response);
        // Most urgent first, whatever the cards are.
        let order: Vec<Indicator> = response.cards.iter().map(|c| c.indicator).collect();
        let mut sorted = order.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(order, sorted, "{}", patient.label);
        let level = response
            .cards
            .iter()
            .position(|c| c.summary.starts_with("Recommended level"))
            .expect("a level card");
        assert!(
            response.cards[level]
                .detail
                .as_deref()
                .unwrap()
                .contains(&rec.rules()[0].to_string().replace('*', "\\*")),
            "the level card names the rules that fired"
        );
        if let Some(first) = ranking.matches.first() {
            let programs = response
                .cards
                .iter()
                .find(|c| c.summary.starts_with("Top "))
                .expect("a programs card");
            assert!(
                programs.summary.contains(&first.program_name),
                "{}",
                programs.summary
            );
            assert_eq!(programs.links[0].url, "https://carematch.example.org/");
            assert!(
                programs
                    .detail
                    .as_deref()
                    .unwrap()
                    .contains("a clinician decides")
            );
        }
        assert!(json["cards"].as_array().unwrap().len() >= 2);
    }
}

/// The first sample patient rated 5 for risk of harm: its ranking and
/// recommendation.
fn imminent_risk_ranking() -> (
    carematch::matching::Ranking,
    carematch::level::LevelRecommendation,
) {
    let dir = directory();
    let patient = &sample::patients()[0];
    let mut assessment = patient.assessment;
    assessment.ratings = Ratings::try_from([5, 2, 2, 2, 2, 2, 2]).unwrap();
    let rec = LevelPolicy::default().recommend(&assessment);
    let mut needs = patient.needs.clone();
    needs.level = None;
    let q = dir
        .query_for(&needs, &rec, MatchOptions::new(sample::AS_OF))
        .unwrap();
    let ranking = dir.rank(&q, &Weights::default(), 3);
    (ranking, rec)
}

#[test]
fn imminent_risk_is_the_first_card_critical_with_phone_links() {
    let (ranking, rec) = imminent_risk_ranking();
    assert!(matches!(ranking.alerts[0], Alert::ImminentRisk { .. }));
    let response = cds::cards(&ranking, Some(&rec), &CardOptions::new());
    checked(&response);
    let first = &response.cards[0];
    assert_eq!(first.indicator, Indicator::Critical);
    assert!(
        first.summary.starts_with("Imminent risk"),
        "{}",
        first.summary
    );
    let urls: Vec<&str> = first.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(urls, ["tel:911", "tel:988", "tel:+18337732445"]);
}

#[test]
fn withdrawal_and_a_moud_gap_are_critical_and_come_before_the_level() {
    let dir = directory();
    let patient = &sample::patients()[0];
    let mut needs = patient.needs.clone();
    needs.diagnoses.push(carematch::Diagnosis::from_code(
        "F11.23".parse::<IcdCode>().unwrap(),
    ));
    needs.on_moud = false;
    let rec = LevelPolicy::default().recommend(&patient.assessment);
    let q = dir
        .query_for(&needs, &rec, MatchOptions::new(sample::AS_OF))
        .unwrap();
    let ranking = dir.rank(&q, &Weights::default(), 3);
    let response = cds::cards(&ranking, Some(&rec), &CardOptions::new());
    checked(&response);
    let summaries: Vec<&str> = response.cards.iter().map(|c| c.summary.as_str()).collect();
    let withdrawal = summaries
        .iter()
        .position(|s| s.starts_with("Withdrawal"))
        .unwrap_or_else(|| panic!("{summaries:#?}"));
    let level = summaries
        .iter()
        .position(|s| s.starts_with("Recommended level"))
        .unwrap();
    assert_eq!(response.cards[withdrawal].indicator, Indicator::Critical);
    assert!(withdrawal < level);
    let gaps = ranking.matches.iter().take(3).any(|m| {
        m.alerts
            .iter()
            .any(|a| matches!(a, Alert::MoudGap | Alert::ConfirmMoud { .. }))
    });
    let moud = summaries.iter().position(|s| s.starts_with("MOUD"));
    assert_eq!(gaps, moud.is_some(), "{summaries:#?}");
    if let Some(m) = moud {
        assert_eq!(response.cards[m].indicator, Indicator::Critical);
        assert!(m < level);
    }
}

#[test]
fn no_match_is_a_warning_and_missing_parts_are_said() {
    let dir = Directory::new(Vec::new(), sample::AS_OF).unwrap();
    let patient = &sample::patients()[0];
    let rec = LevelPolicy::default().recommend(&patient.assessment);
    let q = dir
        .query_for(&patient.needs, &rec, MatchOptions::new(sample::AS_OF))
        .unwrap();
    let ranking = dir.rank(&q, &Weights::default(), 3);
    let options = CardOptions::new()
        .with_missing("Coverage")
        .with_missing("MedicationStatement");
    let response = cds::cards(&ranking, Some(&rec), &options);
    checked(&response);
    let missing = response
        .cards
        .iter()
        .find(|c| c.summary.starts_with("Not read from the record"))
        .unwrap();
    assert_eq!(missing.indicator, Indicator::Warning);
    assert!(missing.summary.contains("Coverage, MedicationStatement"));
    let none = response
        .cards
        .iter()
        .find(|c| c.summary.starts_with("No program"))
        .unwrap();
    assert_eq!(none.indicator, Indicator::Warning);
}

#[test]
fn every_summary_fits_for_long_program_names() {
    let dir = directory();
    let patient = &sample::patients()[0];
    let q = dir
        .query(&patient.needs, None, MatchOptions::new(sample::AS_OF))
        .unwrap();
    let mut ranking = dir.rank(&q, &Weights::default(), 3);
    for m in &mut ranking.matches {
        m.program_name = "A very long program name that goes on ".repeat(5);
    }
    let response = cds::cards(&ranking, None, &CardOptions::new());
    checked(&response);
    for c in &response.cards {
        assert!(c.summary.chars().count() < 140, "{}", c.summary);
    }
}

#[test]
fn withheld_programs_keep_only_the_patients_own_alerts() {
    let (ranking, rec) = imminent_risk_ranking();
    let options = CardOptions::new()
        .with_programs_withheld("no coverage was read from the record")
        .with_page_url("https://carematch.example.org/");
    let response = cds::cards(&ranking, Some(&rec), &options);
    checked(&response);
    let summaries: Vec<&str> = response.cards.iter().map(|c| c.summary.as_str()).collect();
    assert!(summaries[0].starts_with("Imminent risk"), "{summaries:#?}");
    let withheld = summaries
        .iter()
        .position(|s| *s == "Programs not ranked: no coverage was read from the record")
        .unwrap_or_else(|| panic!("{summaries:#?}"));
    assert_eq!(response.cards[withheld].indicator, Indicator::Warning);
    assert_eq!(
        response.cards[withheld].links[0].url,
        "https://carematch.example.org/"
    );
    assert!(
        !summaries.iter().any(|s| s.starts_with("Top ")),
        "{summaries:#?}"
    );
}

#[test]
fn without_a_ranking_the_cards_say_why_and_pass_the_rules() {
    let response = cds::cards_without_ranking(None, &CardOptions::new());
    checked(&response);
    assert_eq!(response.cards.len(), 1);
    assert!(response.cards[0].summary.contains("no level of care"));
    let rec = LevelPolicy::default().recommend(&sample::patients()[0].assessment);
    let response =
        cds::cards_without_ranking(Some(&rec), &CardOptions::new().with_missing("Coverage"));
    checked(&response);
    let kinds: Vec<Indicator> = response.cards.iter().map(|c| c.indicator).collect();
    assert_eq!(
        kinds,
        [Indicator::Warning, Indicator::Warning, Indicator::Info]
    );
}
