//! Tests written for the mutants `cargo mutants` left alive in issue 25's
//! later rules (MassHealth networks and product ages, eating disorders,
//! first-episode psychosis, alert channels, full programs, codes read as
//! "other"). Each test names the rule it pins; each failed with the mutant
//! it was written for applied (see the commit message for the list). Every
//! program and patient here is fictional.

#![cfg(feature = "serde")]

use carematch::{
    AgeRange, Approach, Diagnosis, Directory, LevelOfCare, License, MassHealthPlan, Modality,
    PatientNeeds, Payer, Program,
    matching::{
        Alert, AlertChannel, EvidenceTable, MatchOptions, Query, Ranking, Weights, rank_plain,
    },
    sample,
};

/// The sample's Worcester evening IOP (fictional), offered at every level but
/// inpatient, open to ages 12 and up, with CBT and CBT-E.
fn program(id: &str) -> Program {
    let mut p = sample::massachusetts()
        .into_iter()
        .find(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .expect("the sample has the Worcester evening IOP");
    p.id = id.parse().expect("valid id");
    p.name = format!("Program {id} (fictional)");
    p.ages = AgeRange { min: 12, max: 120 };
    p.approaches = vec![Approach::Cbt, Approach::CbtE];
    p.modalities = vec![Modality::Individual, Modality::Group, Modality::Family];
    p.levels = vec![
        LevelOfCare::Outpatient,
        LevelOfCare::IntensiveOutpatient,
        LevelOfCare::PartialHospitalization,
        LevelOfCare::Residential,
    ];
    let evening = p.tracks[0].clone();
    p.tracks = p
        .levels
        .iter()
        .map(|l| carematch::Track {
            level: *l,
            ..evening.clone()
        })
        .collect();
    p.specialties.clear();
    p.excluded_conditions.clear();
    p.staff.certifications.clear();
    p.staff.licenses.remove(&License::Dietitian);
    p.medical_monitoring = false;
    p.payers = vec![Payer::MassHealth];
    p
}

fn code(s: &str) -> Diagnosis {
    Diagnosis::from_code(s.parse().expect("a valid code"))
}

fn patient(age: u8, diagnosis: Diagnosis) -> PatientNeeds {
    let mut n = sample::patients()[0].needs.clone();
    n.age = age;
    n.diagnoses = vec![diagnosis.primary()];
    n.co_occurring_substance_use = false;
    n.payer = Payer::MassHealth;
    n.populations.clear();
    n.level = None;
    n
}

fn query(needs: &PatientNeeds, level: LevelOfCare, options: MatchOptions) -> Query {
    Query::new(needs, level, &EvidenceTable::default(), options).expect("valid query")
}

/// Ranks with the index and the plain path, which must agree.
fn rank_with(programs: &[Program], q: &Query) -> Ranking {
    let dir = Directory::new(programs.to_vec(), sample::AS_OF).expect("valid directory");
    let ranked = dir.rank(q, &Weights::default(), programs.len().max(1));
    let plain = rank_plain(programs, q, &Weights::default(), programs.len().max(1));
    assert_eq!(ranked, plain, "index and plain path disagree");
    ranked
}

fn rank(programs: &[Program], needs: &PatientNeeds, level: LevelOfCare) -> Ranking {
    rank_with(
        programs,
        &query(needs, level, MatchOptions::new(sample::AS_OF)),
    )
}

fn alert_of<'r>(r: &'r Ranking, id: &str, key: &str) -> Option<&'r Alert> {
    r.matches
        .iter()
        .find(|m| m.program_id.as_str() == id)
        .and_then(|m| m.alerts.iter().find(|a| a.key() == key))
}

const IOP: LevelOfCare = LevelOfCare::IntensiveOutpatient;

#[test]
fn medical_monitoring_alert_names_both_gaps_when_neither_is_listed() {
    let r = rank(&[program("bare")], &patient(30, code("F50.2")), IOP);
    let text = alert_of(&r, "bare", "confirm_medical_monitoring")
        .expect("an eating disorder at IOP without monitoring or dietitian")
        .to_string();
    assert!(
        text.contains("does not list medical monitoring or a dietitian;"),
        "{text}"
    );
}

#[test]
fn network_unconfirmed_words_say_which_side_names_a_product() {
    // A plain (fee-for-service) member at a program listing only a product.
    let mut products = program("products");
    products.payers = vec![Payer::MassHealthPlan(MassHealthPlan::WellSense)];
    let r = rank(&[products], &patient(30, code("F33.1")), IOP);
    let text = alert_of(&r, "products", "network_unconfirmed")
        .expect("plain member, products-only program: unconfirmed")
        .to_string();
    assert!(
        text.contains("the patient has MassHealth fee-for-service (plain MassHealth)"),
        "{text}"
    );
    // A product member at a program listing plain MassHealth.
    let mut member = patient(30, code("F33.1"));
    member.payer = Payer::MassHealthPlan(MassHealthPlan::WellSense);
    let r = rank(&[program("plain")], &member, IOP);
    let text = alert_of(&r, "plain", "network_unconfirmed")
        .expect("product member, plain program: unconfirmed")
        .to_string();
    assert!(text.contains("which has its own network"), "{text}");
    assert!(!text.contains("fee-for-service"), "{text}");
}

#[test]
fn a_ranking_read_back_from_json_keeps_its_ranking_alerts() {
    // Severe adolescent anorexia at IOP raises `medical_stability` on the
    // ranking itself: reading the JSON back must not drop it.
    let r = rank(&[program("p")], &patient(15, code("F50.012")), IOP);
    assert_eq!(r.alerts[0].key(), "medical_stability", "{r}");
    let json = serde_json::to_string(&r).expect("serializes");
    let back: Ranking = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back.alerts, r.alerts);
    assert_eq!(back, r);
}

#[test]
fn alert_channels_print_their_names() {
    assert_eq!(AlertChannel::Safety.to_string(), "safety");
    assert_eq!(AlertChannel::Confirm.to_string(), "confirm");
}

#[test]
fn the_nearest_beyond_reach_offers_the_level_wanted() {
    // Within reach: a match without any first-line therapy for depression,
    // so `no_evidence_based_match` fires. Beyond reach: a program with CBT
    // that offers only residential care (40 miles) and one with CBT at the
    // level wanted (60 miles). The alert names the latter: the nearer one
    // does not offer the level.
    let mut near = program("near-no-evidence");
    near.approaches = vec![];
    let mut wrong_level = program("far-residential-only");
    wrong_level.location.latitude += 40.0 / 69.0;
    wrong_level.levels = vec![LevelOfCare::Residential];
    wrong_level
        .tracks
        .retain(|t| t.level == LevelOfCare::Residential);
    let mut right_level = program("far-iop");
    right_level.location.latitude += 60.0 / 69.0;
    let mut needs = patient(30, code("F33.1"));
    needs.delivery = carematch::DeliveryPreference::InPerson;
    needs.max_travel_miles = Some(25.0);
    let r = rank(&[near, wrong_level, right_level], &needs, IOP);
    let closest = r
        .alerts
        .iter()
        .find_map(|a| match a {
            Alert::NoEvidenceBasedMatch { closest, .. } => Some(closest.clone()),
            _ => None,
        })
        .expect("no_evidence_based_match fires");
    assert_eq!(
        closest.map(|c| c.program_id.to_string()).as_deref(),
        Some("far-iop"),
        "{r}"
    );
}

/// Not one of issue 25's rules, but in the same diff (importers placing an
/// address at its ZIP code's centre): a distance to such a place is marked
/// approximate, and one to coordinates as listed is not.
#[test]
fn a_distance_to_a_zip_centre_is_marked_approximate() {
    use carematch::{LocationPrecision, matching::Criterion};
    let listed = program("listed");
    let mut zip = program("zip-centre");
    zip.location.precision = LocationPrecision::ZipCentre;
    let r = rank(&[listed, zip], &patient(30, code("F33.1")), IOP);
    let distance = |id: &str| -> String {
        let m = r
            .matches
            .iter()
            .find(|m| m.program_id.as_str() == id)
            .expect("matched");
        m.criterion(Criterion::Distance).reasons[0].to_string()
    };
    assert!(distance("zip-centre").starts_with("about "), "{r}");
    assert!(!distance("listed").starts_with("about "), "{r}");
    assert!(!LocationPrecision::ZipCentre.is_as_listed());
    assert!(LocationPrecision::AsListed.is_as_listed());
    assert_eq!(LocationPrecision::AsListed.to_string(), "as listed");
    assert_eq!(
        LocationPrecision::ZipCentre.to_string(),
        "approximate: the ZIP code's centre"
    );
}
