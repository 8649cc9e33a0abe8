//! The fuzzing campaign's reproducers: near-antipodal points at the poles,
//! where the haversine comes out a little shorter than the distance along the
//! meridian. Both ranking paths must decide eligibility alike, and a program
//! whose distance equals the patient's travel limit is a match.

use carematch::{
    Directory,
    matching::{ExclusionReason, Explanation, MatchOptions, Query, Weights, rank_plain},
    patient_from_json, programs_from_json, sample,
};

/// Reads a reproducer: its programs, patient and k.
fn reproducer(json: &str) -> (Vec<carematch::Program>, carematch::PatientNeeds, usize) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let programs = programs_from_json(&format!(r#"{{"programs": {}}}"#, v["programs"])).unwrap();
    let patient = patient_from_json(&v["patient"].to_string()).unwrap();
    (programs, patient, v["k"].as_u64().unwrap() as usize)
}

/// Ranks both ways, with and without exclusion details, and holds them equal.
fn both_paths_agree(json: &str) -> carematch::matching::Ranking {
    let (programs, needs, k) = reproducer(json);
    let dir = Directory::new(programs.clone(), sample::AS_OF).unwrap();
    let mut last = None;
    for details in [true, false] {
        let options = MatchOptions::new(sample::AS_OF).with_exclusion_details(details);
        let q = Query::new(
            &needs,
            needs.level.expect("a level"),
            dir.evidence(),
            options,
        )
        .unwrap();
        let fast = dir.rank(&q, &Weights::default(), k);
        let plain = rank_plain(&programs, &q, &Weights::default(), k);
        assert_eq!(fast, plain, "exclusion details {details}");
        for p in &programs {
            let why = match dir.explain(&q, &Weights::default(), &p.id) {
                Explanation::Excluded { details } => Some(details),
                _ => None,
            };
            let listed = plain.excluded.iter().find(|e| e.program_id == p.id);
            if details {
                assert_eq!(why.as_ref(), listed, "{}", p.id);
            }
        }
        if details {
            assert_eq!(dir.exclusions(&q).collect::<Vec<_>>(), plain.excluded);
        }
        last = Some(fast);
    }
    last.unwrap()
}

#[test]
fn a_program_at_exactly_the_travel_limit_across_the_pole_is_a_match() {
    let r = both_paths_agree(include_str!("data/fuzz/rank_json--pole-travel-filter.json"));
    assert_eq!(r.matches.len(), 1);
    assert_eq!(r.matches[0].program_id.as_str(), "south");
    assert!(r.exclusion_counts.is_empty());
}

#[test]
fn programs_excluded_for_other_reasons_are_not_counted_too_far_near_the_pole() {
    let r = both_paths_agree(include_str!(
        "data/fuzz/rank_json--pole-exclusion-counts.json"
    ));
    assert_eq!(r.excluded_count, 3);
    // The two programs at the north pole are within the limit of a patient at
    // the south pole (12,436.94 miles): no `too_far` for them.
    for e in &r.excluded {
        let too_far = e
            .reasons
            .iter()
            .any(|x| matches!(x, ExclusionReason::TooFar { .. }));
        assert_eq!(too_far, e.program_id.as_str() == "aaa-filler", "{e}");
    }
}
