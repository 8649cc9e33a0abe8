//! The clinical-truth alerts and rows of issue 25, each rule at its edges:
//! medical stability for severe adolescent anorexia, medical monitoring and
//! a dietitian for eating disorders at IOP and above, first-episode
//! psychosis, and the two alert channels (in text and in JSON). Each test
//! fails if the rule it names breaks (both producers are compared).

#![cfg(feature = "serde")]

use carematch::{
    AgeRange, Approach, Condition, Diagnosis, Directory, LevelOfCare, License, Modality,
    PatientNeeds, Payer, Program, Severity,
    matching::{
        Alert, AlertChannel, EvidenceTable, MatchOptions, Query, Ranking, Weights, rank_plain,
    },
    sample,
};

/// The Worcester evening IOP, offered at every level but inpatient, open to
/// ages 12 and up, with family-based treatment and CBT-E.
fn program(id: &str) -> Program {
    let mut p = sample::massachusetts()
        .into_iter()
        .find(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .expect("the sample has the Worcester evening IOP");
    p.id = id.parse().expect("valid id");
    p.name = format!("Program {id} (fictional)");
    p.ages = AgeRange { min: 12, max: 120 };
    p.approaches = vec![Approach::Fbt, Approach::CbtE, Approach::Cbtp];
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
    p
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

/// Ranks with the index and the plain path, which must agree.
fn rank(programs: &[Program], needs: &PatientNeeds, level: LevelOfCare) -> Ranking {
    let q = Query::new(
        needs,
        level,
        &EvidenceTable::default(),
        MatchOptions::new(sample::AS_OF),
    )
    .expect("valid query");
    let dir = Directory::new(programs.to_vec(), sample::AS_OF).expect("valid directory");
    let ranked = dir.rank(&q, &Weights::default(), programs.len());
    let plain = rank_plain(programs, &q, &Weights::default(), programs.len());
    assert_eq!(ranked, plain, "index and plain path disagree");
    ranked
}

fn ranking_keys(r: &Ranking) -> Vec<&'static str> {
    r.alerts.iter().map(Alert::key).collect()
}

fn match_keys(r: &Ranking) -> Vec<&'static str> {
    r.matches[0].alerts.iter().map(Alert::key).collect()
}

fn code(s: &str) -> Diagnosis {
    Diagnosis::from_code(s.parse().expect("a valid code"))
}

#[test]
fn severe_adolescent_anorexia_asks_for_medical_stability_below_residential() {
    let programs = [program("p")];
    let iop = LevelOfCare::IntensiveOutpatient;
    // Severe (F50.012), extreme (F50.013), binge-purging severe (F50.022),
    // and an F50.01 code with severity given as severe.
    for d in [
        code("F50.012"),
        code("F50.013"),
        code("F50.022"),
        code("F50.01").with_severity(Severity::Severe),
    ] {
        let r = rank(&programs, &patient(15, d), iop);
        assert_eq!(ranking_keys(&r), ["medical_stability"], "{d}");
        assert_eq!(r.alerts[0].channel(), AlertChannel::Safety);
        assert!(r.to_string().starts_with("! MEDICAL STABILITY"), "{r}");
    }
    // Not at 18; not moderate; not bulimia; not at residential.
    let none: [(u8, Diagnosis, LevelOfCare); 5] = [
        (18, code("F50.012"), iop),
        (17, code("F50.012"), LevelOfCare::PartialHospitalization),
        (15, code("F50.011"), iop),
        (15, code("F50.2").with_severity(Severity::Severe), iop),
        (15, code("F50.012"), LevelOfCare::Residential),
    ];
    for (age, d, level) in none {
        let r = rank(&programs, &patient(age, d), level);
        let expected: &[&str] = if age == 17 {
            &["medical_stability"]
        } else {
            &[]
        };
        assert_eq!(ranking_keys(&r), expected, "{age} {d} {level}");
    }
}

#[test]
fn an_eating_disorder_at_iop_and_above_needs_medical_monitoring_and_a_dietitian() {
    let bare = program("bare");
    let mut monitored = program("monitored");
    monitored.medical_monitoring = true;
    let mut dietitian = program("dietitian");
    dietitian.staff.licenses.insert(License::Dietitian, 1);
    let mut both = program("both");
    both.medical_monitoring = true;
    both.staff.licenses.insert(License::Dietitian, 2);
    let adult = patient(30, code("F50.2"));
    let alert = |p: &Program, level: LevelOfCare, needs: &PatientNeeds| {
        let r = rank(std::slice::from_ref(p), needs, level);
        r.matches[0]
            .alerts
            .iter()
            .find(|a| a.key() == "confirm_medical_monitoring")
            .cloned()
    };
    let iop = LevelOfCare::IntensiveOutpatient;
    assert_eq!(
        alert(&bare, iop, &adult),
        Some(Alert::ConfirmMedicalMonitoring {
            medical_monitoring: false,
            dietitian: false
        })
    );
    let text = alert(&monitored, iop, &adult).unwrap().to_string();
    assert!(text.contains("does not list a dietitian"), "{text}");
    let text = alert(&dietitian, iop, &adult).unwrap().to_string();
    assert!(text.contains("does not list medical monitoring;"), "{text}");
    assert_eq!(alert(&both, iop, &adult), None);
    assert!(alert(&bare, LevelOfCare::PartialHospitalization, &adult).is_some());
    assert!(alert(&bare, LevelOfCare::Residential, &adult).is_some());
    // Below IOP, and for a patient without an eating disorder: nothing.
    assert_eq!(alert(&bare, LevelOfCare::Outpatient, &adult), None);
    let depressed = patient(30, code("F33.1"));
    assert_eq!(alert(&bare, iop, &depressed), None);
    // A secondary eating disorder counts.
    let mut secondary = depressed.clone();
    secondary.diagnoses.push(code("F50.2"));
    assert!(alert(&bare, iop, &secondary).is_some());
    // It is a safety alert, marked `!`.
    let r = rank(&[bare], &adult, iop);
    assert!(match_keys(&r).contains(&"confirm_medical_monitoring"));
    assert!(
        r.to_string()
            .contains("      ! eating disorder: this program does not list"),
        "{r}"
    );
}

#[test]
fn a_dietitian_reads_from_free_text_and_its_licence_names() {
    use carematch::vocabulary::Resolvable;
    for written in [
        "LDN",
        "registered dietitian",
        "RDN",
        "Licensed Dietitian/Nutritionist",
    ] {
        assert_eq!(
            License::resolve(written).map(|r| r.value),
            Ok(License::Dietitian),
            "{written}"
        );
    }
}

#[test]
fn coordinated_specialty_care_is_first_line_for_a_first_episode_only() {
    let mut csc = program("csc");
    csc.approaches = vec![Approach::Csc];
    let first = patient(20, code("F20.9").first_episode());
    let later = patient(20, code("F20.9"));
    let iop = LevelOfCare::IntensiveOutpatient;
    let r = rank(std::slice::from_ref(&csc), &first, iop);
    assert!(!match_keys(&r).contains(&"no_first_line_therapy"), "{r}");
    let reasons: Vec<String> = r.matches[0]
        .criterion(carematch::matching::Criterion::TherapyFit)
        .reasons
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        reasons.iter().any(|r| r.starts_with(
            "first-line therapy for psychotic disorder (a first episode) (primary), strong recommendation: credited for coordinated specialty care (CSC)"
        )),
        "{reasons:#?}"
    );
    let r = rank(std::slice::from_ref(&csc), &later, iop);
    assert!(match_keys(&r).contains(&"no_first_line_therapy"), "{r}");
    // A first episode is for psychotic disorders only.
    let wrong = patient(20, code("F33.1").first_episode());
    let e = wrong.validate().into_result().unwrap_err();
    assert_eq!(e.problems()[0].path, "diagnoses[0].first_episode");
    // And it reads from JSON.
    let n = carematch::patient_from_json(
        r#"{"age": 20, "diagnoses": [{"code": "F20.9", "primary": true, "first_episode": true}], "payer": "masshealth"}"#,
    )
    .unwrap();
    assert!(n.first_episode(Condition::Psychotic));
}

#[test]
fn confirm_alerts_are_marked_apart_from_safety_alerts_in_text_and_json() {
    let confirm: Vec<&str> = Alert::KEYS
        .iter()
        .copied()
        .filter(|k| {
            matches!(
                *k,
                "no_open_slot" | "network_unconfirmed" | "stale_data" | "unconfirmed"
            )
        })
        .collect();
    assert_eq!(confirm.len(), 4);
    let mut p = program("full");
    p.open_slots = Some(0);
    p.approaches = vec![Approach::Cbt];
    let needs = patient(30, code("F33.1"));
    let r = rank(&[p], &needs, LevelOfCare::IntensiveOutpatient);
    let m = &r.matches[0];
    let slot = m.alerts.iter().find(|a| a.key() == "no_open_slot").unwrap();
    assert_eq!(slot.channel(), AlertChannel::Confirm);
    assert!(r.to_string().contains(&format!("      ? {slot}")), "{r}");
    let json = serde_json::to_value(&r).unwrap();
    let alerts = json["matches"][0]["alerts"].as_array().unwrap();
    for a in alerts {
        let key = a["kind"].as_str().unwrap();
        let expected = if confirm.contains(&key) {
            "confirm"
        } else {
            "safety"
        };
        assert_eq!(a["channel"], expected, "{a}");
    }
    assert!(alerts.iter().any(|a| a["channel"] == "confirm"));
    // Read back, the channel and the text are ignored: the typed fields are the data.
    let back: Ranking = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
    // Every alert's channel is the one the docs give it.
    let safety = Alert::ElevatedRisk;
    assert_eq!(safety.channel(), AlertChannel::Safety);
    assert_eq!(
        Alert::NetworkUnconfirmed {
            payer: Payer::MassHealth
        }
        .channel(),
        AlertChannel::Confirm
    );
}

#[test]
fn a_full_program_is_marked_full_and_left_out_only_when_asked() {
    let mut full = program("full");
    full.open_slots = Some(0);
    full.approaches = vec![Approach::Cbt];
    let mut open = program("open");
    open.open_slots = Some(3);
    open.approaches = vec![Approach::Cbt];
    let mut unknown = program("unknown");
    unknown.open_slots = None;
    let programs = [full, open, unknown];
    let needs = patient(30, code("F33.1"));
    let level = LevelOfCare::IntensiveOutpatient;
    // By default the full program stays a match, marked full.
    let r = rank(&programs, &needs, level);
    assert_eq!(r.matches.len(), 3);
    let m = r
        .matches
        .iter()
        .find(|m| m.program_id.as_str() == "full")
        .unwrap();
    assert_eq!(m.open_slots, Some(0));
    assert!(m.alerts.iter().any(|a| a.to_string().starts_with("FULL:")));
    // Asked, it is left out as `full`, counted, with its reason; a program
    // whose open places are not listed stays.
    let q = Query::new(
        &needs,
        level,
        &EvidenceTable::default(),
        MatchOptions::new(sample::AS_OF)
            .with_full_excluded(true)
            .with_exclusion_details(true),
    )
    .unwrap();
    let dir = Directory::new(programs.to_vec(), sample::AS_OF).unwrap();
    let r = dir.rank(&q, &Weights::default(), 5);
    assert_eq!(r, rank_plain(&programs, &q, &Weights::default(), 5));
    let ids: Vec<&str> = r.matches.iter().map(|m| m.program_id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&"full"));
    assert_eq!(r.excluded_count, 1);
    assert_eq!(r.exclusion_counts[0].reason.key(), "full");
    assert_eq!(
        r.excluded[0].reasons,
        [carematch::matching::ExclusionReason::Full]
    );
    // An update that opens a place brings it back.
    let mut dir = dir;
    let mut reopened = programs[0].clone();
    reopened.open_slots = Some(1);
    dir.replace(reopened).unwrap();
    assert_eq!(dir.rank(&q, &Weights::default(), 5).matches.len(), 3);
}
