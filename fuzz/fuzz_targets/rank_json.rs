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
    matching::{MatchOptions, Weights},
    sample,
};
use libfuzzer_sys::fuzz_target;

mod oracle;

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
    let options = MatchOptions::new(sample::AS_OF).with_alternatives_included(case.alternatives);
    let Some(level) = case.patient.level else {
        return;
    };
    let Ok(query) = directory.query(&case.patient, level, options) else {
        return;
    };
    let weights = case.weights.unwrap_or_default();
    let k = usize::from(case.k);
    oracle::check_ranking(&directory, &query, &weights, k);
});
