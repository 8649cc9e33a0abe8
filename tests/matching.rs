//! Program matching: scenarios in plain words, eligibility, explanations,
//! and agreement between the compiled index and the plain path.

#![cfg(feature = "serde")]

use carematch::{
    Aftercare, Approach, Condition, DeliveryPreference, Directory, LevelOfCare, PatientNeeds,
    Payer, Program, ProgramId, TimeWindow, Track, Weekday,
    matching::{
        Criterion, ExclusionReason, MatchOptions, Query, Ranking, Reason, Weights, rank_plain,
    },
    sample,
};

fn base_program(id: &str) -> Program {
    // The first sample program, made plain: adult IOP in Worcester taking MassHealth.
    let mut p = sample::massachusetts()
        .into_iter()
        .find(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .expect("the sample has the Worcester evening IOP");
    p.id = id.parse().expect("valid id");
    p.name = format!("Program {id}");
    p
}

fn worcester_patient() -> PatientNeeds {
    sample::patients()[0].needs.clone()
}

fn rank_both(
    programs: &[Program],
    needs: &PatientNeeds,
    options: MatchOptions,
    k: usize,
) -> Ranking {
    let dir = Directory::new(programs.to_vec(), sample::AS_OF).expect("valid directory");
    let q = dir
        .query(needs, needs.level.expect("a level"), options)
        .expect("valid query");
    let ranked = dir.rank(&q, &Weights::default(), k);
    let plain = rank_plain(programs, &q, &Weights::default(), k);
    assert_eq!(ranked, plain, "index and plain path disagree");
    ranked
}

/// Options listing every excluded program with its reasons (the default only counts them).
fn opts() -> MatchOptions {
    MatchOptions::new(sample::AS_OF).with_exclusion_details(true)
}

fn ids(r: &Ranking) -> Vec<&str> {
    r.matches.iter().map(|m| m.program_id.as_str()).collect()
}

fn window(a: (u8, u8), b: (u8, u8)) -> TimeWindow {
    TimeWindow::hm(a, b).expect("valid window")
}

#[test]
fn a_nine_to_five_worker_ranks_an_evening_track_above_a_morning_one() {
    let mut evening = base_program("evening");
    evening.tracks = vec![
        Track::new("evening", LevelOfCare::IntensiveOutpatient).with_sessions(
            [Weekday::Mon, Weekday::Tue, Weekday::Thu],
            window((17, 30), (20, 30)),
        ),
    ];
    let mut morning = evening.clone();
    morning.id = "morning".parse().unwrap();
    morning.tracks = vec![
        Track::new("morning", LevelOfCare::IntensiveOutpatient).with_sessions(
            [Weekday::Mon, Weekday::Tue, Weekday::Thu],
            window((9, 0), (12, 0)),
        ),
    ];
    // With the schedule rule off, both rank, the evening track first.
    let both = [morning, evening];
    let r = rank_both(
        &both,
        &worcester_patient(),
        opts().with_min_schedule_fit(0.0),
        5,
    );
    assert_eq!(ids(&r), ["evening", "morning"]);
    // By default the morning track, wholly inside working hours, is excluded.
    let strict = rank_both(&both, &worcester_patient(), opts(), 5);
    assert_eq!(ids(&strict), ["evening"]);
    assert!(matches!(
        &strict.excluded[0].reasons[..],
        [ExclusionReason::ScheduleConflict { track, share, min }]
            if track == "morning" && *share == 0.0 && *min == 0.5
    ));
    let best = &r.matches[0];
    let schedule = &best.criterion(Criterion::ScheduleFlexibility).reasons;
    assert!(matches!(
        &schedule[0],
        Reason::BestTrack { track, free_quarter_hours, quarter_hours, .. }
            if track == "evening" && free_quarter_hours == quarter_hours
    ));
    assert!(schedule.contains(&Reason::TracksFitting {
        fitting: 1,
        tracks: 1
    }));
    assert!(schedule.contains(&Reason::EveningOrWeekend { available: true }));
    let morning = &r.matches[1]
        .criterion(Criterion::ScheduleFlexibility)
        .reasons;
    assert!(morning.contains(&Reason::TracksFitting {
        fitting: 0,
        tracks: 1
    }));
    assert!(morning.contains(&Reason::EveningOrWeekend { available: false }));
}

#[test]
fn a_schedule_conflict_reports_the_share_inside_free_time() {
    // 15:00-18:00 on workdays: one hour of three after a 9-to-5 day.
    let mut late = base_program("late-afternoon");
    late.tracks = vec![
        Track::new("late afternoon", LevelOfCare::IntensiveOutpatient).with_sessions(
            [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu],
            window((15, 0), (18, 0)),
        ),
    ];
    let r = rank_both(&[late], &worcester_patient(), opts(), 5);
    assert!(r.matches.is_empty());
    match &r.excluded[0].reasons[..] {
        [ExclusionReason::ScheduleConflict { track, share, min }] => {
            assert_eq!(track, "late afternoon");
            assert!((share - 1.0 / 3.0).abs() < 1e-12, "{share}");
            assert_eq!(*min, 0.5);
        }
        other => panic!("{other:?}"),
    }
    // Asking for a third or less lets it through.
    let r = rank_both(
        &[base_program("x")].map(|mut p| {
            p.tracks = vec![
                Track::new("late afternoon", LevelOfCare::IntensiveOutpatient).with_sessions(
                    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu],
                    window((15, 0), (18, 0)),
                ),
            ];
            p
        }),
        &worcester_patient(),
        opts().with_min_schedule_fit(1.0 / 3.0),
        5,
    );
    assert_eq!(r.matches.len(), 1);
}

#[test]
fn a_ptsd_patient_ranks_cpt_and_pe_above_neither() {
    let mut with = base_program("with-cpt-pe");
    with.approaches = vec![Approach::Cpt, Approach::Pe];
    let mut without = with.clone();
    without.id = "without".parse().unwrap();
    without.approaches = vec![Approach::Cbt];
    let r = rank_both(&[without, with], &worcester_patient(), opts(), 5);
    assert_eq!(ids(&r), ["with-cpt-pe", "without"]);
    assert!(
        r.matches[0].criterion(Criterion::TherapyFit).score
            > r.matches[1].criterion(Criterion::TherapyFit).score
    );
}

#[test]
fn a_masshealth_patient_never_sees_a_program_without_masshealth() {
    let programs = sample::massachusetts();
    let needs = worcester_patient();
    assert_eq!(needs.payer, Payer::MassHealth);
    let r = rank_both(
        &programs,
        &needs,
        opts().with_alternatives_included(true),
        100,
    );
    let by_id = |id: &ProgramId| programs.iter().find(|p| &p.id == id).unwrap();
    let is_masshealth = |p: &Payer| matches!(p, Payer::MassHealth | Payer::MassHealthPlan(_));
    // Every match lists MassHealth: plain (in network), or only products,
    // whose network for a plain (fee-for-service) member is unconfirmed
    // and says so.
    for m in r.matches.iter().chain(&r.alternatives) {
        let p = by_id(&m.program_id);
        assert!(p.payers.iter().any(is_masshealth), "{}", m.program_id);
        let unconfirmed = m.alerts.iter().any(|a| a.key() == "network_unconfirmed");
        assert_eq!(
            unconfirmed,
            !p.payers.contains(&Payer::MassHealth),
            "{}",
            m.program_id
        );
    }
    let refused: Vec<_> = programs
        .iter()
        .filter(|p| !p.payers.iter().any(is_masshealth))
        .collect();
    assert!(
        !refused.is_empty(),
        "the sample should have programs without MassHealth"
    );
    for p in refused {
        let e = r
            .excluded
            .iter()
            .find(|e| e.program_id == p.id)
            .expect("excluded");
        assert!(e.reasons.contains(&ExclusionReason::PayerNotAccepted {
            payer: Payer::MassHealth
        }));
    }
}

#[test]
fn a_sixteen_year_old_never_matches_an_adults_only_program() {
    let programs = sample::massachusetts();
    let teen = sample::patients()[1].needs.clone();
    assert_eq!(teen.age, 16);
    let r = rank_both(
        &programs,
        &teen,
        opts()
            .with_alternatives_included(true)
            .with_waitlist_allowed(true)
            .with_self_pay_allowed(true),
        100,
    );
    for m in r.matches.iter().chain(&r.alternatives) {
        let p = programs.iter().find(|p| p.id == m.program_id).unwrap();
        assert!(p.ages.contains(16), "{} serves {}", p.id, p.ages);
    }
    let adults = programs.iter().filter(|p| p.ages.min >= 18).count();
    let refused = r
        .excluded
        .iter()
        .filter(|e| {
            e.reasons
                .iter()
                .any(|x| matches!(x, ExclusionReason::AgeOutOfRange { age: 16, .. }))
        })
        .count();
    assert_eq!(refused, adults);
}

/// Two programs alike but for aftercare: step-down and alumni group, or
/// peer recovery support and family sessions.
fn aftercare_pair() -> [Program; 2] {
    let mut with = base_program("with-aftercare");
    with.aftercare = vec![Aftercare::StepDownOutpatient, Aftercare::AlumniGroup];
    let mut without = with.clone();
    without.id = "without-aftercare".parse().unwrap();
    without.aftercare = vec![Aftercare::PeerRecoverySupport, Aftercare::FamilySessions];
    [without, with]
}

#[test]
fn ten_days_after_discharge_step_down_and_alumni_aftercare_rank_higher() {
    let [without, with] = aftercare_pair();
    let mut needs = worcester_patient();
    needs.days_since_inpatient_discharge = Some(10);
    let r = rank_both(&[without.clone(), with.clone()], &needs, opts(), 5);
    assert_eq!(ids(&r), ["with-aftercare", "without-aftercare"]);
    // Without the recent discharge the two services count the same as the others.
    needs.days_since_inpatient_discharge = None;
    let r = rank_both(&[without, with], &needs, opts(), 5);
    let a = r.matches[0].criterion(Criterion::Aftercare).score;
    let b = r.matches[1].criterion(Criterion::Aftercare).score;
    assert_eq!(a, b);
}

#[test]
fn every_exclusion_reason_is_listed_not_just_the_first() {
    let mut p = base_program("many-reasons");
    p.payers = vec![Payer::Medicare];
    p.ages.min = 40;
    p.accepting_new_patients = false;
    p.excluded_conditions = vec![Condition::Ptsd];
    p.specialties.retain(|c| *c != Condition::Ptsd);
    let r = rank_both(&[p], &worcester_patient(), opts(), 5);
    assert!(r.matches.is_empty());
    let reasons = &r.excluded[0].reasons;
    let keys: Vec<&str> = reasons.iter().map(|x| x.key()).collect();
    assert_eq!(
        keys,
        [
            "age_out_of_range",
            "payer_not_accepted",
            "condition_not_accepted",
            "not_accepting_new_patients"
        ]
    );
    assert_eq!(
        r.excluded[0].to_string(),
        "Program many-reasons (many-reasons): serves ages 40-120; the patient is 34; does not take MassHealth; \
         does not accept patients with post-traumatic stress disorder; not accepting new patients"
    );
}

#[test]
fn options_relax_payer_and_waitlist_filters_only_when_asked() {
    let mut p = base_program("self-pay-waitlist");
    p.payers = vec![Payer::SlidingScale];
    p.accepting_new_patients = false;
    let needs = worcester_patient();
    assert!(
        rank_both(&[p.clone()], &needs, opts(), 5)
            .matches
            .is_empty()
    );
    let r = rank_both(
        &[p],
        &needs,
        opts()
            .with_self_pay_allowed(true)
            .with_waitlist_allowed(true),
        5,
    );
    assert_eq!(ids(&r), ["self-pay-waitlist"]);
    assert_eq!(r.matches[0].criterion(Criterion::Wait).score, Some(0.0));
    assert_eq!(
        r.matches[0].criterion(Criterion::Wait).reasons,
        [Reason::NotAcceptingNewPatients]
    );
}

#[test]
fn telehealth_waives_distance_only_when_the_patient_accepts_it() {
    let mut far = base_program("far-telehealth");
    far.location.latitude = 42.1015; // Springfield, ~45 miles from Worcester
    far.location.longitude = -72.5898;
    far.delivery = vec![carematch::Delivery::Telehealth];
    let mut needs = worcester_patient();
    let r = rank_both(&[far.clone()], &needs, opts(), 5);
    assert_eq!(ids(&r), ["far-telehealth"]);
    assert_eq!(r.matches[0].criterion(Criterion::Distance).score, Some(1.0));
    needs.delivery = DeliveryPreference::InPerson;
    let r = rank_both(&[far], &needs, opts(), 5);
    let keys: Vec<&str> = r.excluded[0].reasons.iter().map(|x| x.key()).collect();
    assert_eq!(keys, ["delivery_not_accepted", "too_far"]);
}

#[test]
fn too_far_names_the_miles() {
    let mut far = base_program("far");
    far.location.latitude = 42.1015;
    far.location.longitude = -72.5898;
    far.delivery = vec![carematch::Delivery::InPerson];
    let r = rank_both(&[far], &worcester_patient(), opts(), 5);
    match &r.excluded[0].reasons[..] {
        [ExclusionReason::TooFar { miles, max_miles }] => {
            assert!((40.0..50.0).contains(miles), "{miles}");
            assert_eq!(*max_miles, 25.0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_program_below_the_level_is_never_a_match_only_a_labelled_alternative() {
    let mut op = base_program("outpatient-only");
    op.levels = vec![LevelOfCare::Outpatient];
    for t in &mut op.tracks {
        t.level = LevelOfCare::Outpatient;
    }
    let needs = worcester_patient();
    let r = rank_both(&[op.clone()], &needs, opts(), 5);
    assert!(r.matches.is_empty() && r.alternatives.is_empty());
    assert!(matches!(
        &r.excluded[0].reasons[0],
        ExclusionReason::LevelNotOffered {
            wanted: LevelOfCare::IntensiveOutpatient,
            ..
        }
    ));
    assert!(
        r.to_string()
            .contains("\nNo program in the directory offers intensive outpatient"),
        "{r}"
    );

    let r = rank_both(&[op], &needs, opts().with_alternatives_included(true), 5);
    assert!(r.matches.is_empty());
    assert_eq!(r.alternatives.len(), 1);
    assert!(r.alternatives[0].alternative);
    assert_eq!(r.alternatives[0].level, LevelOfCare::Outpatient);
    let text = r.to_string();
    assert!(text.contains("Alternatives at adjacent levels"), "{text}");
    assert!(text.contains("[alternative: outpatient]"), "{text}");
}

#[test]
fn a_program_two_levels_away_is_not_an_alternative() {
    let mut res = base_program("residential");
    res.levels = vec![LevelOfCare::Residential];
    res.tracks.clear();
    let r = rank_both(
        &[res],
        &worcester_patient(),
        opts().with_alternatives_included(true),
        5,
    );
    assert!(r.alternatives.is_empty());
    assert_eq!(r.excluded.len(), 1);
}

#[test]
fn breakdown_contributions_add_up_to_the_score_and_weights_scale_freely() {
    let programs = sample::massachusetts();
    for patient in sample::patients() {
        let dir = Directory::new(programs.clone(), sample::AS_OF).unwrap();
        let q = dir
            .query(
                &patient.needs,
                patient.needs.level.expect("a level"),
                opts().with_alternatives_included(true),
            )
            .unwrap();
        let r = dir.rank(&q, &Weights::default(), 10);
        for m in r.matches.iter().chain(&r.alternatives) {
            let sum: f64 = m.criteria.iter().map(|c| c.contribution).sum();
            assert!(
                (sum - m.score).abs() < 1e-12,
                "{}: {sum} vs {}",
                m.program_id,
                m.score
            );
            assert!((0.0..=1.0).contains(&m.score));
        }
        let doubled = Weights::new(Weights::default().iter().map(|(c, w)| (c, w * 3.0))).unwrap();
        let r3 = dir.rank(&q, &doubled, 10);
        let order = |r: &Ranking| {
            r.matches
                .iter()
                .map(|m| m.program_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(order(&r), order(&r3));
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let q = dir
        .query(
            &worcester_patient(),
            worcester_patient().level.expect("a level"),
            opts(),
        )
        .unwrap();
    let r = dir.rank(&q, &Weights::default(), 3);
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    let m = &v["matches"][0];
    assert!(m["program_id"].is_string());
    assert!(m["score"].is_f64());
    for key in [
        "therapy_fit",
        "credentials",
        "schedule_flexibility",
        "aftercare",
        "distance",
        "wait",
        "freshness",
    ] {
        assert!(
            m["criteria"][key]["score"].is_number() || m["criteria"][key]["score"].is_null(),
            "{key}"
        );
        assert!(m["criteria"][key]["reasons"].is_array(), "{key}");
    }
    let e = &v["excluded"][0];
    assert!(e["program_id"].is_string());
    assert!(e["reasons"][0]["reason"].is_string());
    assert_eq!(v["level"], "intensive_outpatient");
}

#[test]
fn stale_listings_say_so() {
    let mut old = base_program("old");
    old.last_verified = "2025-06-01".parse().unwrap();
    let r = rank_both(&[old], &worcester_patient(), opts(), 5);
    let fresh = r.matches[0].criterion(Criterion::Freshness);
    assert_eq!(fresh.score, Some(0.25));
    assert!(
        fresh.reasons[0].to_string().contains("over a year"),
        "{}",
        fresh.reasons[0]
    );
}

#[test]
fn missing_location_leaves_distance_out_of_the_mean() {
    let mut needs = worcester_patient();
    needs.location = None;
    needs.max_travel_miles = None;
    let r = rank_both(&[base_program("a")], &needs, opts(), 5);
    let d = r.matches[0].criterion(Criterion::Distance);
    assert_eq!(d.score, None);
    assert_eq!(d.contribution, 0.0);
    assert_eq!(d.reasons, [Reason::DistanceUnknown]);
}

#[test]
fn a_query_refuses_a_level_the_needs_contradict() {
    let mut needs = worcester_patient();
    needs.level = Some(LevelOfCare::Outpatient);
    let err = Query::new(
        &needs,
        LevelOfCare::IntensiveOutpatient,
        &carematch::matching::EvidenceTable::default(),
        opts(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), carematch::ErrorKind::Query);
    assert_eq!(err.problems().len(), 1);
    assert_eq!(err.problems()[0].path, "level");
    assert_eq!(
        err.to_string(),
        "query cannot run: level: the patient file says outpatient, the query is for intensive outpatient: leave level out of the patient file, or record a clinician's override"
    );
    // Without a level in the needs, the level given is used.
    needs.level = None;
    let q = Query::new(
        &needs,
        LevelOfCare::IntensiveOutpatient,
        &carematch::matching::EvidenceTable::default(),
        opts(),
    )
    .unwrap();
    assert_eq!(q.level(), LevelOfCare::IntensiveOutpatient);
}

#[test]
fn ranking_is_deterministic_and_independent_of_input_order() {
    let mut programs = sample::massachusetts();
    for patient in sample::patients() {
        let o = opts()
            .with_alternatives_included(true)
            .with_waitlist_allowed(true);
        let a = rank_both(&programs, &patient.needs, o, 8);
        programs.reverse();
        let b = rank_both(&programs, &patient.needs, o, 8);
        assert_eq!(a, b);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }
}

#[test]
fn sample_patients_get_sensible_top_choices() {
    let programs = sample::massachusetts();
    let ps = sample::patients();
    let worcester = rank_both(&programs, &ps[0].needs, opts(), 5);
    assert_eq!(
        worcester.matches[0].program_id.as_str(),
        "wor-lanternfly-evening-iop"
    );
    let teen = rank_both(&programs, &ps[1].needs, opts(), 5);
    assert!(teen.matches.iter().all(|m| {
        let p = programs.iter().find(|p| p.id == m.program_id).unwrap();
        p.ages.contains(16)
    }));
    let boston = rank_both(&programs, &ps[2].needs, opts(), 5);
    let top = programs
        .iter()
        .find(|p| p.id == boston.matches[0].program_id)
        .unwrap();
    assert!(
        top.staff.has_prescriber(),
        "bipolar disorder calls for a prescriber"
    );
}

#[test]
fn an_alternative_is_judged_by_its_own_level_hours() {
    // An IOP patient; a PHP-only program with a 25-hour week, listed as an alternative.
    let mut php = base_program("php");
    php.levels = vec![LevelOfCare::PartialHospitalization];
    php.tracks = vec![
        Track::new("day", LevelOfCare::PartialHospitalization)
            .with_sessions(Weekday::WORKDAYS, window((9, 0), (14, 0))),
    ];
    let mut needs = worcester_patient();
    needs.availability = carematch::Availability::anytime();
    let r = rank_both(&[php], &needs, opts().with_alternatives_included(true), 5);
    let alt = &r.alternatives[0];
    let hours = alt
        .criterion(Criterion::ScheduleFlexibility)
        .reasons
        .iter()
        .find_map(|x| match x {
            Reason::TrackHours {
                hours, min, max, ..
            } => Some((*hours, *min, *max)),
            _ => None,
        })
        .expect("a track-hours reason");
    assert_eq!(hours, (25.0, 20.0, f64::INFINITY));
}

#[test]
fn a_safety_floor_keeps_lower_alternatives_out() {
    let mut op = base_program("outpatient-only");
    op.levels = vec![LevelOfCare::Outpatient];
    for t in &mut op.tracks {
        t.level = LevelOfCare::Outpatient;
    }
    let needs = worcester_patient();
    let o = opts().with_alternatives_included(true);
    assert_eq!(rank_both(&[op.clone()], &needs, o, 5).alternatives.len(), 1);
    let floored = o.with_safety_floor(Some(LevelOfCare::IntensiveOutpatient));
    let r = rank_both(&[op], &needs, floored, 5);
    assert!(r.alternatives.is_empty() && r.matches.is_empty());
    assert!(matches!(
        r.excluded[0].reasons[0],
        ExclusionReason::LevelNotOffered { .. }
    ));
}

#[test]
fn verification_after_as_of_counts_as_fresh_not_negative() {
    let p = base_program("fresh"); // verified 2026-09-15
    let early = MatchOptions::new("2026-09-01".parse().unwrap());
    let r = rank_both(&[p], &worcester_patient(), early, 5);
    let f = r.matches[0].criterion(Criterion::Freshness);
    assert_eq!(f.score, Some(1.0));
    assert!(
        matches!(f.reasons[0], Reason::Verified { days_ago: 0, .. }),
        "{:?}",
        f.reasons
    );
}

#[test]
fn weights_refuse_overflow_and_missing_keys() {
    assert!(Weights::new(Criterion::ALL.iter().map(|c| (*c, f64::MAX))).is_err());
    let all = r#"{"therapy_fit": 1, "credentials": 1, "schedule_flexibility": 1, "aftercare": 1,
                 "distance": 0, "wait": 0, "freshness": 0}"#;
    let w: Weights = serde_json::from_str(all).expect("all seven weights");
    assert_eq!(w.weight(Criterion::Distance), 0.0);
    let missing = r#"{"therapy_fit": 1}"#;
    let err = serde_json::from_str::<Weights>(missing)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing weight for `credentials`"), "{err}");
}

#[test]
fn the_index_agrees_with_the_plain_path_beyond_64_payers_and_32_languages() {
    // Interned ids past the bit sets take the side tables.
    let mut programs: Vec<Program> = carematch::synthetic::directory(120, 3);
    // 120 distinct ISO 639-3 codes a patient may give (validation checks a
    // patient's language against ISO 639).
    let codes: Vec<carematch::Language> = (0..26 * 26 * 26)
        .map(|n: usize| {
            [n / 676, n / 26 % 26, n % 26]
                .iter()
                .map(|k| (b'a' + *k as u8) as char)
                .collect::<String>()
        })
        .filter_map(|code| code.parse().ok())
        .filter(|l| {
            let mut n = PatientNeeds::new(30, Payer::SelfPay);
            n.language = *l;
            !n.validate().has_errors()
        })
        .take(120)
        .collect();
    assert_eq!(codes.len(), 120);
    for (i, p) in programs.iter_mut().enumerate() {
        p.payers
            .push(Payer::commercial(&format!("Plan {i}")).unwrap());
        p.languages.push(codes[i]);
        p.interpreter_services = false;
    }
    let dir = Directory::new(programs.clone(), sample::AS_OF).unwrap();
    for (i, base) in programs.iter().enumerate().skip(80).take(20) {
        let mut needs = carematch::synthetic::patients(1, i as u64).remove(0);
        needs.payer = Payer::commercial(&format!("Plan {i}")).unwrap();
        needs.language = base.languages.last().copied().unwrap();
        needs.location = Some(base.location.point());
        needs.level = Some(base.levels[0]);
        needs.age = needs.age.clamp(base.ages.min, base.ages.max);
        let q = dir
            .query(
                &needs,
                base.levels[0],
                MatchOptions::new(sample::AS_OF).with_waitlist_allowed(true),
            )
            .unwrap();
        let fast = dir.rank(&q, &Weights::default(), 5);
        assert_eq!(
            fast,
            rank_plain(
                &dir.programs().collect::<Vec<_>>(),
                &q,
                &Weights::default(),
                5
            )
        );
    }
}

#[test]
fn nicotine_dependence_is_not_co_occurring_substance_use() {
    let mut p = base_program("no-sud");
    p.excluded_conditions = vec![Condition::SubstanceUse];
    let mut needs = worcester_patient();
    needs
        .diagnoses
        .push(carematch::Diagnosis::from_code("F17.210".parse().unwrap()));
    assert!(!needs.has_substance_use());
    let r = rank_both(&[p], &needs, opts(), 5);
    assert_eq!(ids(&r), ["no-sud"]);
    let creds = &r.matches[0].criterion(Criterion::Credentials).reasons;
    assert!(!creds.iter().any(|x| matches!(
        x,
        Reason::Credential {
            check: carematch::matching::CredentialCheck::AddictionClinician,
            ..
        }
    )));
}

#[test]
fn the_step_down_window_follows_the_option() {
    let [without, with] = aftercare_pair();
    let mut needs = worcester_patient();
    needs.days_since_inpatient_discharge = Some(40);
    let both = [without, with];
    let r = rank_both(&both, &needs, opts(), 5);
    let a = r
        .matches
        .iter()
        .map(|m| m.criterion(Criterion::Aftercare).score)
        .collect::<Vec<_>>();
    assert_eq!(a[0], a[1], "day 40 is past the default 30-day window");
    let r = rank_both(&both, &needs, opts().with_step_down_days(45), 5);
    assert_eq!(ids(&r), ["with-aftercare", "without-aftercare"]);
}

#[test]
fn weights_and_evidence_tables_round_trip_through_json() {
    let w = Weights::default()
        .with_weight(Criterion::Distance, 0.3)
        .unwrap();
    let back: Weights = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
    assert_eq!(back, w);
    let t = carematch::matching::EvidenceTable::default();
    let json = serde_json::to_string(&t).unwrap();
    let back: carematch::matching::EvidenceTable = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    // A table with a repeated condition is refused on the way in.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut rows = v["rows"].as_array().unwrap().clone();
    rows.push(rows[0].clone());
    let bad = serde_json::json!({ "rows": rows }).to_string();
    let err = serde_json::from_str::<carematch::matching::EvidenceTable>(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("a second row for ptsd"), "{err}");
}

/// Exclusion counts say, for each reason, how many listed exclusions carry it
/// (a program counted under each of its reasons), most frequent first.
#[test]
fn exclusion_counts_agree_with_the_listed_exclusions() {
    let dir = Directory::new(carematch::synthetic::directory(600, 9), sample::AS_OF).unwrap();
    let mut patients: Vec<PatientNeeds> = sample::patients().into_iter().map(|p| p.needs).collect();
    patients.extend(carematch::synthetic::patients(20, 4));
    let mut kinds_seen = std::collections::BTreeSet::new();
    for needs in &patients {
        let q = dir
            .query(needs, needs.level.expect("a level"), opts())
            .unwrap();
        let r = dir.rank(&q, &Weights::default(), 5);
        assert_eq!(r.excluded.len(), r.excluded_count);
        let mut expected = std::collections::BTreeMap::new();
        for e in &r.excluded {
            let kinds: std::collections::BTreeSet<&str> =
                e.reasons.iter().map(|x| x.key()).collect();
            for k in kinds {
                *expected.entry(k).or_insert(0usize) += 1;
            }
        }
        let counted: std::collections::BTreeMap<&str, usize> = r
            .exclusion_counts
            .iter()
            .map(|c| (c.reason.key(), c.programs))
            .collect();
        assert_eq!(counted, expected);
        assert!(
            r.exclusion_counts
                .windows(2)
                .all(|w| w[0].programs >= w[1].programs)
        );
        kinds_seen.extend(counted.keys().copied());
    }
    assert!(kinds_seen.len() >= 6, "{kinds_seen:?}");
}

#[test]
fn a_program_refusing_one_condition_names_only_that_one() {
    let mut p = base_program("no-substance-use");
    p.excluded_conditions = vec![carematch::Condition::AlcoholUse];
    p.specialties
        .retain(|c| *c != carematch::Condition::AlcoholUse);
    let mut needs = worcester_patient();
    needs.diagnoses.push(carematch::Diagnosis::from_condition(
        carematch::Condition::AlcoholUse,
    ));
    let r = rank_both(&[p], &needs, opts(), 5);
    let reasons: Vec<&ExclusionReason> = r.excluded[0]
        .reasons
        .iter()
        .filter(|x| matches!(x, ExclusionReason::ConditionNotAccepted { .. }))
        .collect();
    assert_eq!(
        reasons,
        [&ExclusionReason::ConditionNotAccepted {
            condition: carematch::Condition::AlcoholUse
        }]
    );
}

/// Whether the match `id` in `r` meets a credential check that `is` picks.
fn check_met(
    r: &Ranking,
    id: &str,
    is: impl Fn(&carematch::matching::CredentialCheck) -> bool,
) -> bool {
    r.matches
        .iter()
        .find(|m| m.program_id.as_str() == id)
        .expect("the program is a match")
        .criterion(Criterion::Credentials)
        .reasons
        .iter()
        .any(|x| matches!(x, Reason::Credential { check, met: true } if is(check)))
}

#[test]
fn a_license_listed_with_no_clinicians_does_not_count() {
    let mut with = base_program("a-prescriber");
    with.staff.licenses.retain(|l, _| !l.prescribes());
    with.staff
        .licenses
        .insert(carematch::License::Psychiatrist, 1);
    let mut none = with.clone();
    none.id = "b-zero-prescribers".parse().unwrap();
    none.staff
        .licenses
        .insert(carematch::License::Psychiatrist, 0);
    let mut needs = worcester_patient();
    needs.diagnoses =
        vec![carematch::Diagnosis::from_condition(carematch::Condition::Bipolar).primary()];
    let r = rank_both(&[with, none], &needs, opts(), 5);
    let prescriber = |id: &str| {
        check_met(&r, id, |c| {
            matches!(c, carematch::matching::CredentialCheck::Prescriber)
        })
    };
    assert!(prescriber("a-prescriber"));
    assert!(!prescriber("b-zero-prescribers"));
}

#[test]
fn freshness_bands_and_top_reasons() {
    use carematch::matching::FreshnessBand;
    for (days, band) in [
        (0, FreshnessBand::Recent),
        (182, FreshnessBand::Recent),
        (183, FreshnessBand::OverSixMonths),
        (365, FreshnessBand::OverSixMonths),
        (366, FreshnessBand::OverAYear),
    ] {
        assert_eq!(FreshnessBand::of_days(days), band, "{days}");
    }
    let r = rank_both(&[base_program("x")], &worcester_patient(), opts(), 1);
    let m = &r.matches[0];
    let top = m.top_reasons(3);
    assert_eq!(top.len(), 3);
    // The first is the first reason of the criterion contributing most.
    let most = m
        .criteria
        .iter()
        .max_by(|a, b| a.contribution.total_cmp(&b.contribution))
        .unwrap();
    assert_eq!(top[0], &most.reasons[0]);
}

#[test]
fn a_certification_listed_with_no_clinicians_does_not_count() {
    use carematch::Certification;
    let mut with = base_program("a-trained");
    with.staff.certifications.clear();
    with.staff.certifications.insert(Certification::Cpt, 1);
    let mut none = with.clone();
    none.id = "b-zero-trained".parse().unwrap();
    none.staff.certifications.insert(Certification::Cpt, 0);
    let r = rank_both(&[with, none], &worcester_patient(), opts(), 5);
    let trained = |id: &str| {
        check_met(&r, id, |c| {
            matches!(c, carematch::matching::CredentialCheck::CertifiedFor { .. })
        })
    };
    assert!(trained("a-trained"));
    assert!(!trained("b-zero-trained"));
}
