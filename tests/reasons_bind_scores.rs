//! The words are the numbers: every criterion score of every match is
//! re-derived here from the typed contents of its reasons alone (plus the
//! documented formulas) and must equal the score the ranking reports. A
//! reason that says something the score did not use fails this test.

use carematch::{
    Aftercare, Condition, Directory, NotListed, PatientNeeds,
    matching::{
        Criterion, FreshnessBand, Match, MatchOptions, PARTIAL_CREDIT, Query, Reason, Strength,
        UNTRAINED_CREDIT, Weights,
    },
    sample, synthetic,
};

/// Therapy fit parts: needed modalities, evidence-based therapies, specialty
/// (credited only with an evidence-based therapy for the condition), the
/// patient's populations served (only when the patient belongs to one).
const THERAPY_PARTS: (f64, f64, f64, f64) = (0.3, 0.5, 0.2, 0.1);
/// A condition's evidence parts: the best first-line therapy offered (times
/// its row's recommendation), the breadth of first-line therapies offered,
/// the best second-line or adjunct therapy.
const EVIDENCE_PARTS: (f64, f64, f64) = (0.75, 0.15, 0.10);

/// A condition's evidence, gathered from its rows' reasons.
#[derive(Default)]
struct ConditionEvidence {
    first: Option<f64>,
    offered: usize,
    named: usize,
    adjunct: Option<f64>,
}

impl ConditionEvidence {
    fn credit(&self) -> f64 {
        let (wb, wn, wa) = EVIDENCE_PARTS;
        let (mut num, mut den) = (0.0, 0.0);
        if let Some(best) = self.first {
            num += wb * best + wn * self.offered as f64 / self.named as f64;
            den += wb + wn;
        }
        if let Some(best) = self.adjunct {
            num += wa * best;
            den += wa;
        }
        num / den
    }
}
/// Schedule parts: best track's fit, its hours, tracks fitting (up to 2), evening/weekend, telehealth.
const SCHEDULE_PARTS: [f64; 5] = [0.55, 0.15, 0.10, 0.10, 0.10];

/// The score each criterion's reasons imply (`None`: not applicable).
fn derive(needs: &PatientNeeds, m: &Match, criterion: Criterion) -> Option<f64> {
    let reasons = &m.criterion(criterion).reasons;
    let primary = needs.primary_condition();
    let condition_weight = |c: &Condition| if Some(*c) == primary { 2.0 } else { 1.0 };
    match criterion {
        Criterion::TherapyFit => {
            let (wm, we, ws, wp) = THERAPY_PARTS;
            let (mut num, mut den) = (0.0, 0.0);
            let (mut ev_num, mut ev_den, mut sp_num, mut sp_den) = (0.0, 0.0, 0.0, 0.0);
            // Per condition, in order: the best therapy of its rows, and the breadth.
            let mut by_condition: Vec<(Condition, ConditionEvidence)> = Vec::new();
            for r in reasons {
                match r {
                    Reason::Modalities { offered, missing } => {
                        num += wm * offered.len() as f64 / (offered.len() + missing.len()) as f64;
                        den += wm;
                    }
                    Reason::Evidence {
                        condition,
                        primary: is_primary,
                        strength,
                        recommendation,
                        ages,
                        credited,
                        trained,
                        offered,
                        missing,
                        partial,
                        ..
                    } => {
                        assert_eq!(*is_primary, Some(*condition) == primary);
                        assert!(ages.holds_for(needs.age), "{r:?}");
                        // A partial credit stands in for a therapy not offered, once.
                        for (i, p) in partial.iter().enumerate() {
                            assert!(!offered.contains(&p.instead_of), "{r:?}");
                            assert!(!partial[..i].iter().any(|q| q.instead_of == p.instead_of));
                        }
                        // The credited therapy: the best offered, else a substitute.
                        let credit = match credited {
                            Some(t) if offered.contains(t) => {
                                if *trained == Some(false) {
                                    UNTRAINED_CREDIT
                                } else {
                                    1.0
                                }
                            }
                            Some(t) => {
                                assert!(offered.is_empty(), "{r:?}");
                                assert!(partial.iter().any(|p| p.therapy == *t), "{r:?}");
                                PARTIAL_CREDIT
                            }
                            None => {
                                assert!(offered.is_empty() && partial.is_empty(), "{r:?}");
                                0.0
                            }
                        };
                        let i = match by_condition.iter().position(|(c, _)| c == condition) {
                            Some(i) => i,
                            None => {
                                by_condition.push((*condition, ConditionEvidence::default()));
                                by_condition.len() - 1
                            }
                        };
                        let e = &mut by_condition[i].1;
                        match strength {
                            Strength::FirstLine => {
                                let c = recommendation.factor() * credit;
                                e.first = Some(e.first.map_or(c, |b: f64| b.max(c)));
                                e.offered += offered.len();
                                e.named += offered.len() + missing.len();
                                assert!(offered.len() + missing.len() > 0);
                            }
                            Strength::SecondLine => {
                                // An adjunct is not missing when absent.
                                assert!(missing.is_empty(), "{r:?}");
                                e.adjunct = Some(e.adjunct.map_or(credit, |b: f64| b.max(credit)));
                            }
                        }
                    }
                    Reason::NoEvidenceRow { .. } => {}
                    Reason::Specialty {
                        condition,
                        specializes,
                        credited,
                    } => {
                        let w = condition_weight(condition);
                        // Credit needs an evidence-based therapy for the condition offered.
                        let offers_evidence = reasons.iter().any(|r| {
                            matches!(r, Reason::Evidence { condition: c, offered, strength: Strength::FirstLine, .. }
                                if c == condition && !offered.is_empty())
                        });
                        assert_eq!(*credited, *specializes && offers_evidence, "{r:?}");
                        if *credited {
                            sp_num += w;
                        }
                        sp_den += w;
                    }
                    Reason::Populations { served, patient } => {
                        assert!(!patient.is_empty());
                        assert!(served.iter().all(|p| patient.contains(p)));
                        num += wp * f64::from(u8::from(!served.is_empty()));
                        den += wp;
                    }
                    other => panic!("unexpected therapy reason {other:?}"),
                }
            }
            for (c, e) in &by_condition {
                let w = condition_weight(c);
                ev_num += w * e.credit();
                ev_den += w;
            }
            if ev_den > 0.0 {
                num += we * ev_num / ev_den;
                den += we;
            }
            if sp_den > 0.0 {
                num += ws * sp_num / sp_den;
                den += ws;
            }
            Some(num / den)
        }
        Criterion::Credentials => {
            let (mut num, mut den) = (0u32, 0u32);
            // Checks on a part not listed (staff, facility credentials) are not scored.
            let mut not_listed = false;
            for r in reasons {
                match r {
                    Reason::Credential { check, met } => {
                        den += check.weight();
                        if *met {
                            num += check.weight();
                        }
                    }
                    Reason::NotListed {
                        part: NotListed::Staff | NotListed::FacilityCredentials,
                    } => not_listed = true,
                    _ => panic!("unexpected credential reason {r:?}"),
                }
            }
            match (den, not_listed) {
                (0, true) => None,
                (0, false) => Some(1.0),
                _ => Some(f64::from(num) / f64::from(den)),
            }
        }
        Criterion::ScheduleFlexibility
            if reasons[..]
                == [Reason::NotListed {
                    part: NotListed::Tracks,
                }] =>
        {
            None
        }
        Criterion::Aftercare
            if reasons[..]
                == [Reason::NotListed {
                    part: NotListed::Aftercare,
                }] =>
        {
            None
        }
        Criterion::ScheduleFlexibility => {
            let p = SCHEDULE_PARTS;
            let (mut fit, mut hours_ok, mut has_track) = (0.0, true, false);
            let mut s = 0.0;
            for r in reasons {
                match r {
                    Reason::BestTrack {
                        free_quarter_hours,
                        quarter_hours,
                        ..
                    } => {
                        has_track = true;
                        if *quarter_hours > 0 {
                            fit = f64::from(*free_quarter_hours) / f64::from(*quarter_hours);
                        }
                    }
                    Reason::TrackHours {
                        hours, min, max, ..
                    } => {
                        hours_ok = hours >= min && hours <= max;
                    }
                    Reason::NoTrackAtLevel { .. } => has_track = false,
                    Reason::TracksFitting { fitting, .. } => {
                        s += p[2] * f64::from((*fitting).min(2)) / 2.0;
                    }
                    Reason::EveningOrWeekend { available } => {
                        s += p[3] * f64::from(u8::from(*available));
                    }
                    Reason::TelehealthOption { available } => {
                        s += p[4] * f64::from(u8::from(*available));
                    }
                    Reason::TelehealthNotLicensed { .. } => {
                        assert!(reasons.contains(&Reason::TelehealthOption { available: false }));
                    }
                    other => panic!("unexpected schedule reason {other:?}"),
                }
            }
            let best = if has_track {
                p[0] * fit + p[1] * f64::from(u8::from(hours_ok))
            } else {
                0.0
            };
            Some(best + s)
        }
        Criterion::Aftercare => {
            let [
                Reason::AftercareServices {
                    offered,
                    missing,
                    emphasized,
                },
            ] = &reasons[..]
            else {
                panic!("unexpected aftercare reasons {reasons:?}")
            };
            // Emphasized services count triple, peer recovery support double.
            let weight = |a: &Aftercare| match (emphasized.contains(a), a) {
                (false, _) => 1,
                (true, Aftercare::PeerRecoverySupport) => 2,
                (true, _) => 3,
            };
            let num: u32 = offered.iter().map(weight).sum();
            let den: u32 = num + missing.iter().map(weight).sum::<u32>();
            Some(f64::from(num) / f64::from(den))
        }
        Criterion::Distance => match &reasons[..] {
            [Reason::TelehealthNoTravel { .. }] => Some(1.0),
            [
                Reason::Distance { miles } | Reason::ApproximateDistance { miles },
                ..,
            ] => Some(0.5f64.powf(miles / 15.0)),
            [
                Reason::DistanceUnknown
                | Reason::NotListed {
                    part: NotListed::Location,
                },
                ..,
            ] => None,
            other => panic!("unexpected distance reasons {other:?}"),
        },
        Criterion::Wait => match match &reasons[..] {
            // New-patient status not listed: read as accepting, scored by the wait alone.
            [
                Reason::NotListed {
                    part: NotListed::AcceptingNewPatients,
                },
                rest @ ..,
            ] => rest,
            all => all,
        } {
            [Reason::NotAcceptingNewPatients] => Some(0.0),
            [Reason::WaitDays { days }] => Some(1.0 / (1.0 + f64::from(*days) / 14.0)),
            [Reason::WaitUnknown] => None,
            other => panic!("unexpected wait reasons {other:?}"),
        },
        Criterion::Freshness => match &reasons[..] {
            [Reason::Verified { band, days_ago, .. }] => {
                assert_eq!(*band, FreshnessBand::of_days(*days_ago));
                Some(match band {
                    FreshnessBand::Recent => 1.0,
                    FreshnessBand::OverSixMonths => 0.6,
                    FreshnessBand::OverAYear => 0.25,
                })
            }
            [
                Reason::NotListed {
                    part: NotListed::LastVerified,
                },
            ] => None,
            other => panic!("unexpected freshness reasons {other:?}"),
        },
    }
}

/// Every match's scores and total, re-derived from its reasons.
fn check(needs: &PatientNeeds, matches: &[Match], weights: &Weights) -> usize {
    for m in matches {
        let (mut num, mut den) = (0.0, 0.0);
        for c in Criterion::ALL {
            let derived = derive(needs, m, *c);
            let reported = m.criterion(*c).score;
            match (derived, reported) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() < 1e-12,
                    "{} {c}: reasons give {a}, score is {b}",
                    m.program_id
                ),
                (a, b) => assert_eq!(a, b, "{} {c}", m.program_id),
            }
            if let Some(s) = derived {
                num += weights.weight(*c) * s;
                den += weights.weight(*c);
            }
        }
        let total = if den > 0.0 { num / den } else { 0.0 };
        assert!(
            (total - m.score).abs() < 1e-12,
            "{}: reasons give {total}, score is {}",
            m.program_id,
            m.score
        );
    }
    matches.len()
}

#[test]
fn every_sample_score_is_what_its_reasons_say() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let mut checked = 0;
    for patient in sample::patients() {
        for weights in [
            Weights::default(),
            Weights::new([
                (Criterion::TherapyFit, 1.0),
                (Criterion::Credentials, 0.5),
                (Criterion::ScheduleFlexibility, 2.0),
                (Criterion::Aftercare, 0.0),
                (Criterion::Distance, 1.0),
                (Criterion::Wait, 3.0),
                (Criterion::Freshness, 0.2),
            ])
            .unwrap(),
        ] {
            let options = MatchOptions::new(sample::AS_OF)
                .with_alternatives_included(true)
                .with_waitlist_allowed(true)
                .with_self_pay_allowed(true)
                .with_min_schedule_fit(0.0);
            let q = Query::new(
                &patient.needs,
                patient.needs.level.expect("a level"),
                dir.evidence(),
                options,
            )
            .unwrap();
            let r = dir.rank(&q, &weights, dir.len());
            checked += check(&patient.needs, &r.matches, &weights);
            checked += check(&patient.needs, &r.alternatives, &weights);
        }
    }
    // Specialist programs admit only their primary conditions, so some
    // sample patients have fewer matches than before they said so.
    assert!(checked >= 30, "only {checked} matches checked");
}

#[test]
fn every_synthetic_score_is_what_its_reasons_say() {
    let dir = Directory::new(synthetic::directory(400, 11), synthetic::AS_OF).unwrap();
    let mut checked = 0;
    for (i, mut needs) in synthetic::patients(40, 5).into_iter().enumerate() {
        if i % 4 == 0 {
            needs.location = None;
        }
        if i % 5 == 0 {
            needs.max_travel_miles = None;
        }
        let options = MatchOptions::new(synthetic::AS_OF)
            .with_alternatives_included(i % 2 == 0)
            .with_waitlist_allowed(i % 3 == 0);
        let q = Query::new(
            &needs,
            needs.level.expect("a level"),
            dir.evidence(),
            options,
        )
        .unwrap();
        let r = dir.rank(&q, &Weights::default(), 50);
        checked += check(&needs, &r.matches, &Weights::default());
        checked += check(&needs, &r.alternatives, &Weights::default());
    }
    assert!(checked > 300, "only {checked} matches checked");
}

#[test]
fn every_score_with_parts_not_listed_is_what_its_reasons_say() {
    let mut programs = synthetic::directory(3000, 12);
    synthetic::leave_unlisted(&mut programs, 12, 60);
    let dir = Directory::new(programs, synthetic::AS_OF).unwrap();
    let (mut checked, mut unlisted) = (0, 0);
    for (i, needs) in synthetic::patients(40, 6).into_iter().enumerate() {
        let options = MatchOptions::new(synthetic::AS_OF)
            .with_alternatives_included(i % 2 == 0)
            .with_waitlist_allowed(i % 3 == 0);
        let level = needs.level.expect("a synthetic patient has a level");
        let q = Query::new(&needs, level, dir.evidence(), options).unwrap();
        let r = dir.rank(&q, &Weights::default(), 50);
        unlisted += r
            .matches
            .iter()
            .filter(|m| m.alerts.iter().any(|a| a.key() == "unconfirmed"))
            .count();
        checked += check(&needs, &r.matches, &Weights::default());
        checked += check(&needs, &r.alternatives, &Weights::default());
    }
    assert!(checked > 300, "only {checked} matches checked");
    assert!(
        unlisted > 100,
        "only {unlisted} matches with parts not listed"
    );
}
