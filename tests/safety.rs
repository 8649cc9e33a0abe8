//! A ranking a clinician can act on: alerts first, programs the patient can
//! attend, medication continuity, telehealth licensure, and the assessment
//! carried into matching. Each test is one of the plain-words promises.

use carematch::matching::Episode;
use carematch::{
    Assessment, Condition, Delivery, Diagnosis, Dimension, Directory, GeoPoint, LevelOfCare,
    LevelPolicy, PatientNeeds, Payer, Population, Program, Rating, Ratings,
    matching::{
        Alert, ExclusionReason, Match, MatchOptions, Query, Ranking, Reason, Strength, Weights,
        rank_plain,
    },
    sample,
};

fn code(c: &str) -> Diagnosis {
    Diagnosis::from_code(c.parse().unwrap())
}

fn rank(programs: &[Program], needs: &PatientNeeds, options: MatchOptions) -> Ranking {
    let dir = Directory::new(programs.to_vec(), sample::AS_OF).unwrap();
    let q = dir
        .query(needs, needs.level.expect("a level"), options)
        .unwrap();
    let fast = dir.rank(&q, &Weights::default(), 50);
    assert_eq!(fast, rank_plain(programs, &q, &Weights::default(), 50));
    fast
}

/// Options listing every excluded program with its reasons (the default only counts them).
fn opts() -> MatchOptions {
    MatchOptions::new(sample::AS_OF).with_exclusion_details(true)
}

fn has(m: &Match, key: &str) -> bool {
    m.alerts.iter().any(|a| a.key() == key)
}

/// 34, MassHealth, opioid dependence with recurrent depression, in Boston.
fn boston_oud() -> PatientNeeds {
    let mut n = PatientNeeds::new(34, Payer::MassHealth)
        .with_diagnosis(code("F11.20").primary())
        .with_diagnosis(code("F33.1"));
    n.level = Some(LevelOfCare::IntensiveOutpatient);
    n.location = Some(GeoPoint {
        latitude: 42.3601,
        longitude: -71.0589,
    });
    n.max_travel_miles = Some(20.0);
    n
}

/// Whether a program can start or continue MOUD: offers it, lists a MOUD
/// medication, is an Opioid Treatment Program, or has a prescriber (written
/// out here, apart from `Program::can_provide_moud`, as the specification).
fn continues_moud(p: &Program) -> bool {
    p.approaches.contains(&carematch::Approach::Moud)
        || !p.moud_medications.is_empty()
        || p.opioid_treatment_program
        || p.staff
            .licenses
            .iter()
            .any(|(l, n)| *n > 0 && l.prescribes())
}

#[test]
fn every_match_without_moud_or_a_prescriber_carries_a_moud_gap() {
    let programs = sample::massachusetts();
    let r = rank(&programs, &boston_oud(), opts());
    assert!(r.matches.len() >= 3, "{r}");
    let mut gaps = 0;
    for m in &r.matches {
        let p = programs.iter().find(|p| p.id == m.program_id).unwrap();
        assert_eq!(has(m, "moud_gap"), !continues_moud(p), "{}", m.program_id);
        gaps += usize::from(has(m, "moud_gap"));
    }
    assert!(gaps > 0, "the sample has matches without MOUD: {r}");
    assert!(r.to_string().contains("opioid use disorder"), "{r}");

    // On MOUD: none of those is a match; each is excluded as moud_not_available.
    let mut on = boston_oud();
    on.on_moud = true;
    let r2 = rank(&programs, &on, opts());
    for m in r.matches.iter().filter(|m| has(m, "moud_gap")) {
        assert!(r2.matches.iter().all(|x| x.program_id != m.program_id));
        let e = r2
            .excluded
            .iter()
            .find(|e| e.program_id == m.program_id)
            .unwrap();
        assert!(
            e.reasons
                .contains(&ExclusionReason::MoudNotAvailable { medication: None }),
            "{e}"
        );
    }
    assert!(r2.matches.iter().all(|m| !has(m, "moud_gap")));
}

#[test]
fn a_nine_to_five_worker_sees_only_programs_they_can_attend() {
    let programs = sample::massachusetts();
    let needs = sample::patients()[0].needs.clone(); // Worcester, PTSD, works 9-17
    let share = |m: &Match| match &m
        .criterion(carematch::matching::Criterion::ScheduleFlexibility)
        .reasons[0]
    {
        Reason::BestTrack {
            free_quarter_hours,
            quarter_hours,
            ..
        } => Some(f64::from(*free_quarter_hours) / f64::from(*quarter_hours)),
        _ => None,
    };
    let strict = rank(&programs, &needs, opts());
    assert!(
        strict
            .matches
            .iter()
            .all(|m| share(m).is_none_or(|s| s >= 0.5)),
        "{strict}"
    );
    let conflicts: Vec<_> = strict
        .excluded
        .iter()
        .filter(|e| {
            e.reasons
                .iter()
                .any(|r| matches!(r, ExclusionReason::ScheduleConflict { .. }))
        })
        .collect();
    assert!(!conflicts.is_empty());

    // With the rule off, the earlier list returns: the programs it held back rank again.
    let loose = rank(&programs, &needs, opts().with_min_schedule_fit(0.0));
    assert!(loose.eligible > strict.eligible);
    assert!(
        loose
            .matches
            .iter()
            .any(|m| share(m).is_some_and(|s| s < 0.5)),
        "{loose}"
    );
    for e in conflicts.iter().filter(|e| e.reasons.len() == 1) {
        assert!(
            loose.matches.iter().any(|m| m.program_id == e.program_id),
            "{e}"
        );
    }
}

fn telehealth_only_in_ma() -> Program {
    let mut p = sample::massachusetts()
        .into_iter()
        .find(|p| p.delivery == [Delivery::Telehealth])
        .expect("the sample has a telehealth-only program");
    p.licensed_states = vec!["MA".into()];
    p
}

fn nh_patient(p: &Program) -> PatientNeeds {
    let mut n = PatientNeeds::new(34, p.payers[0].clone())
        .with_diagnosis(Diagnosis::from_condition(Condition::Depressive).primary());
    n.level = Some(p.levels[0]);
    n.state = Some("NH".into());
    n.location = Some(GeoPoint {
        latitude: 43.2081,
        longitude: -71.5376,
    }); // Concord, NH
    n.max_travel_miles = Some(15.0);
    n.populations = p.restricted_to.clone();
    n.age = p.ages.min.max(18).min(p.ages.max);
    n
}

#[test]
fn telehealth_counts_only_where_the_program_is_licensed() {
    let p = telehealth_only_in_ma();
    let needs = nh_patient(&p);
    let r = rank(
        std::slice::from_ref(&p),
        &needs,
        opts().with_waitlist_allowed(true),
    );
    assert!(r.matches.is_empty(), "{r}");
    assert!(
        r.excluded[0].reasons.iter().any(|x| matches!(
            x,
            ExclusionReason::OutOfStateTelehealth { state, .. } if state == "NH"
        )),
        "{:?}",
        r.excluded
    );

    let mut both = p.clone();
    both.licensed_states = vec!["MA".into(), "NH".into()];
    let r = rank(&[both], &needs, opts().with_waitlist_allowed(true));
    assert_eq!(r.matches.len(), 1, "{r}");
    assert_eq!(
        r.matches[0]
            .criterion(carematch::matching::Criterion::Distance)
            .score,
        Some(1.0)
    );
}

fn assessment(risk: u8) -> Assessment {
    let mut ratings = Ratings::uniform(Rating::new(3).unwrap());
    ratings.set(Dimension::RiskOfHarm, Rating::new(risk).unwrap());
    Assessment::new(ratings)
}

#[test]
fn an_assessment_and_a_patient_file_that_disagree_on_age_are_an_error() {
    let mut a = assessment(2);
    a.age = Some(16);
    let rec = LevelPolicy::default().recommend(&a);
    let mut needs = boston_oud();
    needs.level = None;
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let err = dir.query_for(&needs, &rec, opts()).unwrap_err().to_string();
    assert!(
        err.contains("age") && err.contains("34") && err.contains("16"),
        "{err}"
    );
}

#[test]
fn a_discharge_given_only_in_the_assessment_counts_as_if_the_patient_file_had_it() {
    let mut a = sample::patients()[0].assessment;
    assert_eq!(a.days_since_inpatient_discharge, None);
    a.days_since_inpatient_discharge = Some(12);
    let rec = LevelPolicy::default().recommend(&a);
    let mut needs = sample::patients()[0].needs.clone();
    needs.level = None;
    needs.days_since_inpatient_discharge = None;
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let carried = dir.rank(
        &dir.query_for(&needs, &rec, opts()).unwrap(),
        &Weights::default(),
        5,
    );

    let mut direct = needs.clone();
    direct.level = Some(rec.effective_level());
    direct.days_since_inpatient_discharge = Some(12);
    let q = Query::new(
        &direct,
        rec.effective_level(),
        dir.evidence(),
        opts().with_safety_floor(rec.floor_level()),
    )
    .unwrap();
    let expected = dir.rank(&q, &Weights::default(), 5);
    assert_eq!(carried.matches, expected.matches);
    let emphasized = carried.matches[0]
        .criterion(carematch::matching::Criterion::Aftercare)
        .reasons
        .iter()
        .any(
            |r| matches!(r, Reason::AftercareServices { emphasized, .. } if !emphasized.is_empty()),
        );
    assert!(emphasized, "aftercare is emphasized for a recent discharge");
}

#[test]
fn imminent_risk_comes_first_with_every_crisis_contact() {
    let rec = LevelPolicy::default().recommend(&assessment(5));
    let mut needs = boston_oud();
    needs.level = None;
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let q = dir.query_for(&needs, &rec, opts()).unwrap();
    let r = dir.rank(&q, &Weights::default(), 5);
    match &r.alerts[0] {
        Alert::ImminentRisk { contacts } => {
            let all: Vec<&str> = contacts.iter().map(|c| c.contact.as_str()).collect();
            assert_eq!(all[..3], ["911", "988", "833-773-2445"]);
            assert!(contacts[3].name.contains("mobile crisis"));
        }
        other => panic!("first alert {other:?}"),
    }
    let text = r.to_string();
    assert!(text.starts_with("! IMMINENT RISK"), "{text}");
    assert!(!r.alerts.iter().any(|a| a.key() == "elevated_risk"));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["alerts"][0]["kind"], "imminent_risk");

    let rec = LevelPolicy::default().recommend(&assessment(4));
    let q = dir.query_for(&needs, &rec, opts()).unwrap();
    let r = dir.rank(&q, &Weights::default(), 5);
    assert_eq!(r.alerts[0], Alert::ElevatedRisk, "{r}");
}

#[test]
fn a_minor_assessed_with_the_adult_policy_is_flagged() {
    let mut a = assessment(2);
    a.age = Some(16);
    let rec = LevelPolicy::default().recommend(&a);
    let mut needs = sample::patients()[1].needs.clone();
    needs.level = None;
    needs.age = 16;
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let r = dir.rank(
        &dir.query_for(&needs, &rec, opts()).unwrap(),
        &Weights::default(),
        5,
    );
    assert!(
        r.alerts
            .iter()
            .any(|a| matches!(a, Alert::AdolescentPolicy { age: 16, .. }))
    );
}

#[test]
fn a_program_serving_the_patients_population_ranks_higher() {
    let base = sample::massachusetts()
        .into_iter()
        .find(|p| {
            p.restricted_to.is_empty() && p.levels.contains(&LevelOfCare::IntensiveOutpatient)
        })
        .unwrap();
    let mut plain = base.clone();
    plain.id = "a-plain".parse().unwrap();
    plain.populations.clear();
    let mut serving = base.clone();
    serving.id = "b-veterans".parse().unwrap();
    serving.populations = vec![Population::Veterans];
    let mut needs = PatientNeeds::new(40, base.payers[0].clone())
        .with_diagnosis(Diagnosis::from_condition(Condition::Ptsd).primary());
    needs.level = Some(LevelOfCare::IntensiveOutpatient);
    needs.populations = vec![Population::Veterans];
    let r = rank(
        &[plain, serving],
        &needs,
        opts()
            .with_waitlist_allowed(true)
            .with_min_schedule_fit(0.0),
    );
    assert_eq!(r.matches[0].program_id.as_str(), "b-veterans", "{r}");
    assert!(r.matches[0].score > r.matches[1].score);
}

#[test]
fn a_specialty_without_an_evidence_based_therapy_earns_nothing() {
    let base = sample::massachusetts()
        .into_iter()
        .find(|p| {
            p.restricted_to.is_empty() && p.levels.contains(&LevelOfCare::IntensiveOutpatient)
        })
        .unwrap();
    let mut none = base.clone();
    none.id = "a-none".parse().unwrap();
    none.specialties.clear();
    none.approaches.retain(|a| {
        !matches!(
            a,
            carematch::Approach::Cpt
                | carematch::Approach::Pe
                | carematch::Approach::Emdr
                | carematch::Approach::TfCbt
                | carematch::Approach::Wet
                | carematch::Approach::CtPtsd
        )
    });
    let mut listed = none.clone();
    listed.id = "b-listed".parse().unwrap();
    listed.specialties = vec![Condition::Ptsd];
    let mut needs = PatientNeeds::new(40, base.payers[0].clone())
        .with_diagnosis(Diagnosis::from_condition(Condition::Ptsd).primary());
    needs.level = Some(LevelOfCare::IntensiveOutpatient);
    let r = rank(
        &[none, listed],
        &needs,
        opts()
            .with_waitlist_allowed(true)
            .with_min_schedule_fit(0.0),
    );
    let score = |id: &str| {
        r.matches
            .iter()
            .find(|m| m.program_id.as_str() == id)
            .unwrap()
            .score
    };
    assert_eq!(score("a-none"), score("b-listed"), "{r}");
    let m = r
        .matches
        .iter()
        .find(|m| m.program_id.as_str() == "b-listed")
        .unwrap();
    assert!(
        m.criterion(carematch::matching::Criterion::TherapyFit)
            .reasons
            .iter()
            .any(|r| matches!(
                r,
                Reason::Specialty {
                    specializes: true,
                    credited: false,
                    ..
                }
            ))
    );
    // No program offers CPT, PE, EMDR or TF-CBT: the ranking says so first.
    assert!(
        r.alerts
            .iter()
            .any(|a| a.key() == "no_evidence_based_match"),
        "{r}"
    );
}

#[test]
fn no_schedule_fit_names_the_closest_program() {
    let programs = sample::massachusetts();
    let mut needs = sample::patients()[0].needs.clone();
    // Free only on Sunday mornings: no sample track fits.
    needs.availability = carematch::Availability::from_free([carematch::Session::new(
        carematch::Weekday::Sun,
        carematch::TimeWindow::hm((8, 0), (9, 0)).unwrap(),
    )]);
    let r = rank(&programs, &needs, opts());
    assert!(r.alerts.iter().any(|a| a.key() == "no_schedule_fit"), "{r}");
}

#[test]
fn every_alert_and_exclusion_key_is_in_the_readme() {
    let readme = include_str!("../docs/matching.md");
    let keys: std::collections::BTreeSet<&str> = Alert::KEYS
        .iter()
        .chain(ExclusionReason::KEYS.iter())
        .copied()
        .collect();
    assert_eq!(keys.len(), 17 + 14, "keys are distinct: {keys:?}");
    let kinds: Vec<&str> = carematch::matching::ExclusionKind::ALL
        .iter()
        .map(|k| k.key())
        .collect();
    assert_eq!(ExclusionReason::KEYS[..], kinds[..]);
    for key in Alert::KEYS.iter().chain(ExclusionReason::KEYS.iter()) {
        assert!(!key.is_empty());
        assert!(readme.contains(&format!("`{key}`")), "README lacks `{key}`");
    }
}

/// The alert is present exactly when no listed match offers an evidence-based
/// therapy for the primary condition (whose evidence row names some), over
/// the sample (a Dorchester PTSD patient among them) and generated directories.
#[test]
fn no_evidence_based_match_fires_exactly_when_no_listed_match_offers_one() {
    let mut dorchester =
        PatientNeeds::new(29, Payer::MassHealth).with_diagnosis(code("F43.10").primary());
    dorchester.level = Some(LevelOfCare::IntensiveOutpatient);
    dorchester.location = Some(GeoPoint {
        latitude: 42.3016,
        longitude: -71.0676,
    });
    dorchester.max_travel_miles = Some(10.0);
    let mut cases: Vec<(Vec<Program>, PatientNeeds)> = vec![(sample::massachusetts(), dorchester)];
    for p in sample::patients() {
        cases.push((sample::massachusetts(), p.needs));
    }
    for (i, needs) in carematch::synthetic::patients(30, 3)
        .into_iter()
        .enumerate()
    {
        cases.push((carematch::synthetic::directory(300, i as u64), needs));
    }
    let mut fired = 0;
    for (programs, needs) in &cases {
        let r = rank(programs, needs, opts());
        for k in [3, 50] {
            let listed = &r.matches[..r.matches.len().min(k)];
            let primary = needs.primary_condition();
            let offers = listed.iter().any(|m| {
                m.criterion(carematch::matching::Criterion::TherapyFit)
                    .reasons
                    .iter()
                    .any(|x| {
                        matches!(x, Reason::Evidence { condition, offered, strength: Strength::FirstLine, .. }
                        if Some(*condition) == primary && !offered.is_empty())
                    })
            });
            let dir = Directory::new(programs.clone(), sample::AS_OF).unwrap();
            let q = dir
                .query(needs, needs.level.expect("a level"), opts())
                .unwrap();
            let rk = dir.rank(&q, &Weights::default(), k);
            let alert = rk
                .alerts
                .iter()
                .any(|a| a.key() == "no_evidence_based_match");
            let has_row = !dir
                .evidence()
                .rows_for(primary.unwrap(), needs.age, Episode::Any)
                .is_empty();
            assert_eq!(alert, has_row && !offers, "k {k}: {rk}");
            fired += usize::from(alert);
        }
    }
    assert!(fired > 0, "the alert never fired");
}

#[test]
fn no_schedule_fit_names_the_program_whose_best_track_fits_most() {
    let base = sample::massachusetts()
        .into_iter()
        .find(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .unwrap();
    let with_track = |id: &str, end: (u8, u8)| {
        let mut p = base.clone();
        p.id = id.parse().unwrap();
        p.tracks = vec![
            carematch::Track::new("monday", LevelOfCare::IntensiveOutpatient).with_sessions(
                [carematch::Weekday::Mon],
                carematch::TimeWindow::hm((9, 0), end).unwrap(),
            ),
        ];
        p
    };
    // Free Monday 09:00-10:00 only: a 09:00-12:00 track has a third inside, 09:00-13:00 a quarter.
    let programs = [
        with_track("a-quarter", (13, 0)),
        with_track("b-third", (12, 0)),
    ];
    let mut needs = sample::patients()[0].needs.clone();
    needs.availability = carematch::Availability::from_free([carematch::Session::new(
        carematch::Weekday::Mon,
        carematch::TimeWindow::hm((9, 0), (10, 0)).unwrap(),
    )]);
    let r = rank(&programs, &needs, opts());
    let alert = r
        .alerts
        .iter()
        .find_map(|a| match a {
            Alert::NoScheduleFit {
                closest: Some(c),
                closest_share: Some(s),
            } => Some((c.program_id.as_str().to_owned(), *s)),
            _ => None,
        })
        .expect("a no_schedule_fit alert naming the closest");
    assert_eq!(alert.0, "b-third");
    assert!((alert.1 - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn the_text_ranking_names_the_gap_in_a_secondary_condition() {
    let r = rank(&sample::massachusetts(), &boston_oud(), opts());
    let text = r.to_string();
    // The MOUD gap sits in the secondary condition: its evidence line is printed too.
    assert!(text.contains("therapy for opioid use disorder"), "{text}");
    // With k = 0 nothing is listed, and nothing is said to be missing from the list.
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let q = dir
        .query(&boston_oud(), boston_oud().level.expect("a level"), opts())
        .unwrap();
    let none = dir.rank(&q, &Weights::default(), 0);
    assert!(none.matches.is_empty());
    assert!(
        !none
            .alerts
            .iter()
            .any(|a| a.key() == "no_evidence_based_match")
    );
}

fn worcester_iop(id: &str) -> Program {
    let mut p = sample::massachusetts()
        .into_iter()
        .find(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .unwrap();
    p.id = id.parse().unwrap();
    p
}

#[test]
fn a_track_under_the_levels_hours_raises_hours_below_level() {
    let short = |id: &str, end: (u8, u8)| {
        let mut p = worcester_iop(id);
        p.tracks = vec![
            carematch::Track::new("evening", LevelOfCare::IntensiveOutpatient).with_sessions(
                [
                    carematch::Weekday::Mon,
                    carematch::Weekday::Tue,
                    carematch::Weekday::Thu,
                ],
                carematch::TimeWindow::hm((17, 30), end).unwrap(),
            ),
        ];
        p
    };
    // Three evenings of 2 hours (6 a week) against 3 hours (9 a week) for an adult IOP.
    let programs = [
        short("a-six-hours", (19, 30)),
        short("b-nine-hours", (20, 30)),
    ];
    let r = rank(&programs, &sample::patients()[0].needs, opts());
    let alerts = |id: &str| {
        r.matches
            .iter()
            .find(|m| m.program_id.as_str() == id)
            .unwrap()
            .alerts
            .clone()
    };
    assert!(alerts("a-six-hours").iter().any(|a| matches!(
        a,
        Alert::HoursBelowLevel { hours, min, .. } if *hours == 6.0 && *min == 9.0
    )));
    assert!(
        !alerts("b-nine-hours")
            .iter()
            .any(|a| a.key() == "hours_below_level")
    );
    // Both fit the patient's evenings: no schedule alert.
    assert!(
        !r.alerts.iter().any(|a| a.key() == "no_schedule_fit"),
        "{r}"
    );
}

#[test]
fn no_evidence_based_match_names_an_excluded_program_that_offers_one() {
    let trauma = [
        carematch::Approach::Cpt,
        carematch::Approach::Pe,
        carematch::Approach::Emdr,
        carematch::Approach::TfCbt,
        carematch::Approach::Wet,
        carematch::Approach::CtPtsd,
    ];
    let mut generic = worcester_iop("a-generic");
    generic.approaches.retain(|a| !trauma.contains(a));
    let mut full = worcester_iop("b-cpt-full");
    full.approaches = vec![carematch::Approach::Cpt];
    full.accepting_new_patients = false;
    let r = rank(&[generic, full], &sample::patients()[0].needs, opts());
    assert_eq!(r.matches.len(), 1);
    let closest = r
        .alerts
        .iter()
        .find_map(|a| match a {
            Alert::NoEvidenceBasedMatch { closest, .. } => closest.clone(),
            _ => None,
        })
        .expect("the alert names the closest program");
    assert_eq!(closest.program_id.as_str(), "b-cpt-full");
    assert_eq!(closest.reasons, [ExclusionReason::NotAcceptingNewPatients]);
}

#[test]
fn a_listing_verified_over_twelve_months_ago_raises_stale_data() {
    let at = |id: &str, days: i32| {
        let mut p = worcester_iop(id);
        p.last_verified =
            carematch::Date::from_days_since_epoch(sample::AS_OF.days_since_epoch() - days)
                .unwrap();
        p
    };
    let programs = [at("a-365", 365), at("b-366", 366)];
    let r = rank(&programs, &sample::patients()[0].needs, opts());
    let stale = |id: &str| {
        r.matches
            .iter()
            .find(|m| m.program_id.as_str() == id)
            .unwrap()
            .alerts
            .iter()
            .any(|a| a.key() == "stale_data")
    };
    assert!(!stale("a-365"), "{r}");
    assert!(stale("b-366"), "{r}");
}

#[test]
fn an_evidence_based_program_ranked_below_the_list_is_named_with_its_score() {
    let trauma = [
        carematch::Approach::Cpt,
        carematch::Approach::Pe,
        carematch::Approach::Emdr,
        carematch::Approach::TfCbt,
        carematch::Approach::Wet,
        carematch::Approach::CtPtsd,
    ];
    let mut generic = worcester_iop("a-generic");
    generic.approaches.retain(|a| !trauma.contains(a));
    let mut cpt = worcester_iop("b-cpt-weaker");
    cpt.approaches.retain(|a| !trauma.contains(a));
    cpt.approaches.push(carematch::Approach::Cpt);
    cpt.aftercare.clear();
    cpt.typical_wait_days = Some(90);
    cpt.staff.certifications.clear();
    cpt.location.latitude += 0.25;
    let needs = &sample::patients()[0].needs;
    let r = rank(&[generic.clone(), cpt.clone()], needs, opts());
    assert_eq!(r.matches[0].program_id.as_str(), "a-generic", "{r}");
    // Both listed: one offers CPT, so no alert.
    assert!(
        !r.alerts
            .iter()
            .any(|a| a.key() == "no_evidence_based_match"),
        "{r}"
    );
    // Only the first listed: the alert names the CPT program, eligible, with its score.
    let dir = Directory::new(vec![generic, cpt], sample::AS_OF).unwrap();
    let q = dir
        .query(needs, needs.level.expect("a level"), opts())
        .unwrap();
    let top1 = dir.rank(&q, &Weights::default(), 1);
    let closest = top1
        .alerts
        .iter()
        .find_map(|a| match a {
            Alert::NoEvidenceBasedMatch { closest, .. } => closest.clone(),
            _ => None,
        })
        .expect("the alert names the program ranked below the list");
    assert_eq!(closest.program_id.as_str(), "b-cpt-weaker");
    assert!(closest.reasons.is_empty());
    assert_eq!(closest.score, Some(r.matches[1].score));
}
