//! Property tests for matching, over seeded synthetic directories and patients.
//!
//! A failure prints the seeds; `carematch::synthetic::directory(n, seed)` and
//! `patients(1, seed)` rebuild the case.

use carematch::{
    Aftercare, Approach, Certification, Delivery, DeliveryPreference, Directory,
    FacilityCredential, License, Modality, PatientNeeds, Program, TimeWindow, Track, Weekday,
    matching::{Criterion, MatchOptions, Ranking, Weights, rank_plain},
    sample, synthetic,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        max_shrink_iters: if std::env::var_os("CI").is_some() {
            0
        } else {
            256
        },
        ..ProptestConfig::default()
    }
}

fn options(bits: u8) -> MatchOptions {
    MatchOptions::new(sample::AS_OF)
        .with_self_pay_allowed(bits & 1 != 0)
        .with_waitlist_allowed(bits & 2 != 0)
        .with_alternatives_included(bits & 4 != 0)
        .with_full_excluded(bits & 8 != 0)
        .with_exclusion_details(true)
}

fn directory(n: usize, seed: u64) -> Directory {
    Directory::new(synthetic::directory(n, seed), sample::AS_OF).expect("synthetic data validates")
}

/// A synthetic patient adjusted so that `p` can take them.
fn patient_for(p: &Program, seed: u64) -> PatientNeeds {
    let mut n = synthetic::patients(1, seed).remove(0);
    n.level = Some(p.levels[0]);
    n.age = n.age.clamp(p.ages.min, p.ages.max);
    n.payer = p.payers[0].clone();
    n.language = carematch::Language::ENGLISH;
    n.location = Some(p.location.point());
    // In the program's state, where its telehealth is licensed.
    n.state = Some(p.location.state.clone());
    n.max_travel_miles = Some(50.0);
    n.delivery = DeliveryPreference::Either;
    n.populations = p.restricted_to.clone();
    n.diagnoses
        .retain(|d| !p.excluded_conditions.iter().any(|x| x.covers(d.condition)));
    if n.diagnoses.is_empty() || p.excluded_conditions.iter().any(|x| x.is_substance_use()) {
        n.co_occurring_substance_use = false;
    }
    n.availability = carematch::Availability::anytime();
    n
}

/// The score of a one-program directory for `needs`, or `None` when excluded.
fn score(p: &Program, needs: &PatientNeeds) -> Option<f64> {
    let dir = Directory::new(vec![p.clone()], sample::AS_OF).ok()?;
    let q = dir
        .query(
            needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF).with_waitlist_allowed(true),
        )
        .ok()?;
    dir.rank(&q, &Weights::default(), 1)
        .matches
        .first()
        .map(|m| m.score)
}

fn all_scores_in_unit_interval(r: &Ranking) -> Result<(), TestCaseError> {
    for m in r.matches.iter().chain(&r.alternatives) {
        prop_assert!(
            (0.0..=1.0).contains(&m.score),
            "{} total {}",
            m.program_id,
            m.score
        );
        for c in &m.criteria {
            if let Some(s) = c.score {
                prop_assert!(
                    (0.0..=1.0).contains(&s),
                    "{} {} = {s}",
                    m.program_id,
                    c.criterion
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// The compiled index and the plain path give identical rankings, scores and reasons.
    #[test]
    fn index_agrees_with_the_plain_path(n in 0usize..250, dseed: u64, pseed: u64, k in 0usize..12, bits in 0u8..16) {
        let dir = directory(n, dseed);
        let mut patients = synthetic::patients(3, pseed);
        // Patients placed at a program of the directory, so that many programs are in reach.
        patients.extend(dir.programs().take(3).map(|p| patient_for(&p, pseed)));
        let mut matched = 0;
        for needs in patients {
            let q = dir.query(&needs, needs.level.expect("a level"), options(bits)).expect("valid query");
            let fast = dir.rank(&q, &Weights::default(), k);
            let with_waitlist = dir.query(&needs, needs.level.expect("a level"), options(bits | 2)).expect("valid query");
            matched += dir.rank(&with_waitlist, &Weights::default(), k).matches.len();
            let plain = rank_plain(&dir.programs().collect::<Vec<_>>(), &q, &Weights::default(), k);
            prop_assert_eq!(&fast, &plain, "dseed {} pseed {}", dseed, pseed);
            let counts_only = dir.query(&needs, needs.level.expect("a level"), options(bits).with_exclusion_details(false)).expect("valid query");
            let fast = dir.rank(&counts_only, &Weights::default(), k);
            prop_assert!(fast.excluded.is_empty());
            prop_assert_eq!(&fast.exclusion_counts, &plain.exclusion_counts);
            prop_assert_eq!(fast.excluded_count, plain.excluded_count);
            prop_assert_eq!(&fast.matches, &plain.matches);
        }
        prop_assert!(n < 3 || k == 0 || matched > 0, "no patient matched anything: the property tested nothing");
    }

    /// Every criterion score and every total lies in [0, 1]; no excluded program ranks.
    #[test]
    fn scores_are_in_range_and_excluded_programs_never_rank(n in 1usize..200, dseed: u64, pseed: u64, bits in 0u8..16) {
        let dir = directory(n, dseed);
        for needs in synthetic::patients(3, pseed) {
            let q = dir.query(&needs, needs.level.expect("a level"), options(bits)).expect("valid query");
            let r = dir.rank(&q, &Weights::default(), n);
            all_scores_in_unit_interval(&r)?;
            for m in r.matches.iter().chain(&r.alternatives) {
                prop_assert!(!r.excluded.iter().any(|e| e.program_id == m.program_id));
            }
            prop_assert_eq!(r.matches.len() + r.alternatives.len() + r.excluded.len(), n);
        }
    }

    /// Input order does not matter, and the same input gives the same bytes.
    #[test]
    fn ranking_ignores_input_order(n in 1usize..150, dseed: u64, pseed: u64, shuffle: u64, bits in 0u8..16) {
        let programs = synthetic::directory(n, dseed);
        let mut shuffled = programs.clone();
        // A seeded Fisher-Yates shuffle.
        let mut s = shuffle | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let a = Directory::new(programs, sample::AS_OF).expect("valid");
        let b = Directory::new(shuffled, sample::AS_OF).expect("valid");
        for needs in synthetic::patients(2, pseed) {
            let ra = a.rank(&a.query(&needs, needs.level.expect("a level"), options(bits)).expect("q"), &Weights::default(), 10);
            let rb = b.rank(&b.query(&needs, needs.level.expect("a level"), options(bits)).expect("q"), &Weights::default(), 10);
            let ja = serde_json::to_string(&ra).expect("json");
            prop_assert_eq!(&ja, &serde_json::to_string(&rb).expect("json"));
            prop_assert_eq!(&ja, &serde_json::to_string(&a.rank(&a.query(&needs, needs.level.expect("a level"), options(bits)).expect("q"), &Weights::default(), 10)).expect("json"));
        }
    }

    /// Top k is a prefix of top k+1.
    #[test]
    fn top_k_is_a_prefix_of_top_k_plus_one(n in 1usize..200, dseed: u64, pseed: u64, k in 0usize..15, bits in 0u8..16) {
        let dir = directory(n, dseed);
        for needs in synthetic::patients(2, pseed) {
            let q = dir.query(&needs, needs.level.expect("a level"), options(bits)).expect("valid query");
            let a = dir.rank(&q, &Weights::default(), k);
            let b = dir.rank(&q, &Weights::default(), k + 1);
            prop_assert_eq!(&a.matches[..], &b.matches[..a.matches.len()]);
            prop_assert_eq!(&a.alternatives[..], &b.alternatives[..a.alternatives.len()]);
        }
    }

    /// Scaling every weight by one factor keeps the order.
    #[test]
    fn scaling_weights_keeps_the_order(n in 1usize..200, dseed: u64, pseed: u64, factor in 0.01f64..100.0, raw in proptest::array::uniform7(0.0f64..1.0)) {
        // Weights under 1e-3 become 0, so the scaled ones stay above
        // `Weights::MIN` (1e-6), the smallest nonzero weight accepted.
        let raw = raw.map(|x| if x < 1e-3 { 0.0 } else { x });
        prop_assume!(raw.iter().any(|w| *w > 0.0));
        let w = Weights::new(Criterion::ALL.iter().copied().zip(raw)).expect("valid weights");
        let scaled = Weights::new(Criterion::ALL.iter().copied().zip(raw.map(|x| x * factor))).expect("valid weights");
        let dir = directory(n, dseed);
        let mut patients = synthetic::patients(1, pseed);
        patients.extend(dir.programs().take(2).map(|p| patient_for(&p, pseed)));
        for needs in patients {
            let q = dir.query(&needs, needs.level.expect("a level"), options(2)).expect("valid query");
            let ids = |r: &Ranking| r.matches.iter().map(|m| m.program_id.clone()).collect::<Vec<_>>();
            let a = dir.rank(&q, &w, n);
            let b = dir.rank(&q, &scaled, n);
            // Rounding may swap programs whose totals agree to ~15 digits; every
            // pair whose totals differ clearly keeps its order.
            let pos = |id: &carematch::ProgramId| b.matches.iter().position(|m| &m.program_id == id);
            prop_assert_eq!(ids(&a).len(), ids(&b).len());
            for (x, y) in a.matches.iter().zip(a.matches.iter().skip(1)) {
                if x.score - y.score > 1e-9 {
                    prop_assert!(pos(&x.program_id) < pos(&y.program_id), "{} and {} swapped", x.program_id, y.program_id);
                }
            }
        }
    }

    /// Adding an approach, a modality, an aftercare service, a credential or a
    /// fitting track never lowers a program's score.
    #[test]
    fn adding_something_never_lowers_a_score(dseed: u64, pseed: u64, which in 0usize..5, pick in 0usize..64) {
        let p = synthetic::directory(1, dseed).remove(0);
        let needs = patient_for(&p, pseed);
        let before = score(&p, &needs);
        prop_assert!(before.is_some(), "the patient made for the program should be eligible");
        let before = before.unwrap_or_default();
        let mut q = p.clone();
        match which {
            0 => {
                let a = Approach::ALL[pick % Approach::ALL.len()];
                if !q.approaches.contains(&a) { q.approaches.push(a); }
            }
            1 => {
                let m = Modality::ALL[pick % Modality::ALL.len()];
                if !q.modalities.contains(&m) { q.modalities.push(m); }
            }
            2 => {
                let a = Aftercare::ALL[pick % Aftercare::ALL.len()];
                if !q.aftercare.contains(&a) { q.aftercare.push(a); }
            }
            3 => match pick % 3 {
                0 => { q.staff.licenses.insert(License::ALL[pick % License::ALL.len()], 1); }
                1 => { q.staff.certifications.insert(Certification::ALL[pick % Certification::ALL.len()], 1); }
                _ => {
                    let f = FacilityCredential::ALL[pick % FacilityCredential::ALL.len()];
                    if !q.facility_credentials.contains(&f) { q.facility_credentials.push(f); }
                }
            },
            _ => {
                let level = needs.level.expect("level set");
                let w = TimeWindow::hm((18, 0), (21, 0)).expect("valid");
                let days = if level == carematch::LevelOfCare::PartialHospitalization {
                    vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
                } else {
                    vec![Weekday::Mon, Weekday::Wed, Weekday::Thu, Weekday::Sat]
                };
                q.tracks.push(Track::new("added", level).with_sessions(days, w));
            }
        }
        let after = score(&q, &needs);
        prop_assert!(after.is_some(), "adding made the program ineligible");
        let after = after.unwrap_or_default();
        prop_assert!(after >= before, "score fell from {before} to {after} (which {which}, pick {pick})");
    }
}

#[test]
fn the_delivery_filter_and_telehealth_flags_are_consistent() {
    // Telehealth-only patients are never matched to in-person-only programs.
    let dir = directory(400, 11);
    for mut needs in synthetic::patients(20, 5) {
        needs.delivery = DeliveryPreference::Telehealth;
        let q = dir
            .query(&needs, needs.level.expect("a level"), options(7))
            .expect("valid query");
        let r = dir.rank(&q, &Weights::default(), 50);
        for m in r.matches.iter().chain(&r.alternatives) {
            let p = dir.get(&m.program_id).expect("ranked programs exist");
            assert!(
                p.delivery.iter().any(|d| *d != Delivery::InPerson),
                "{}",
                p.id
            );
        }
    }
}
