//! Structured ranking: a JSON case `{"programs": [...], "patient": {...},
//! "k": 5}` (optionally `"weights"` and `"alternatives": true`) builds a
//! small directory and a patient, then checks the oracle:
//!
//! - `Directory::rank` equals `rank_plain` over the same programs;
//! - every score is in [0, 1] and its criterion contributions add up to it;
//! - matches (and alternatives) come sorted by score, highest first;
//! - eligible + alternatives eligible + excluded = the directory's size.
#![no_main]

use carematch::{
    Directory, PatientNeeds, Program,
    matching::{MatchOptions, Ranking, Weights, rank_plain},
    sample,
};
use libfuzzer_sys::fuzz_target;

#[derive(serde::Deserialize)]
struct Case {
    programs: Vec<Program>,
    patient: PatientNeeds,
    #[serde(default)]
    k: u8,
    #[serde(default)]
    weights: Option<Weights>,
    #[serde(default)]
    alternatives: bool,
}

fn check_sorted_and_summed(ms: &[carematch::matching::Match]) {
    for m in ms {
        assert!(
            (0.0..=1.0).contains(&m.score),
            "{}: score {}",
            m.program_id,
            m.score
        );
        let sum: f64 = m.criteria.iter().map(|c| c.contribution).sum();
        assert!(
            (sum - m.score).abs() <= 1e-9,
            "{}: contributions {sum} vs score {}",
            m.program_id,
            m.score
        );
        for c in &m.criteria {
            if let Some(s) = c.score {
                assert!(
                    (0.0..=1.0).contains(&s),
                    "{}: {:?} {s}",
                    m.program_id,
                    c.criterion
                );
            }
        }
    }
    for pair in ms.windows(2) {
        assert!(
            pair[0].score >= pair[1].score,
            "{} before {}",
            pair[0].program_id,
            pair[1].program_id
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(case) = serde_json::from_slice::<Case>(data) else {
        return;
    };
    if case.programs.len() > 64 {
        return;
    }
    let Ok(directory) = Directory::new(case.programs, sample::AS_OF) else {
        return;
    };
    let options = MatchOptions::new(sample::AS_OF).include_alternatives(case.alternatives);
    let Ok(query) = directory.query(&case.patient, options) else {
        return;
    };
    let weights = case.weights.unwrap_or_default();
    let k = usize::from(case.k);
    let fast: Ranking = directory.rank(&query, &weights, k);
    let plain = rank_plain(directory.programs(), &query, &weights, k);
    assert_eq!(fast, plain, "Directory::rank and rank_plain disagree");
    check_sorted_and_summed(&fast.matches);
    check_sorted_and_summed(&fast.alternatives);
    assert!(fast.matches.len() <= k);
    assert_eq!(
        fast.eligible + fast.alternatives_eligible + fast.excluded_count,
        directory.len(),
        "every program is eligible, an alternative or excluded"
    );
});
