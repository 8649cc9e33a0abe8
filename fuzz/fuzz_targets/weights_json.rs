//! Weights from JSON: an error, or weights that keep the README's promise:
//! scaling every weight by a power of two (exact in floating point) changes
//! neither the ranking order nor, beyond rounding, any score.
#![no_main]

use std::sync::OnceLock;

use carematch::{
    Directory,
    matching::{MatchOptions, Query, Weights},
    sample,
};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static (Directory, Vec<Query>) {
    static F: OnceLock<(Directory, Vec<Query>)> = OnceLock::new();
    F.get_or_init(|| {
        let d =
            Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample compiles");
        let qs = sample::patients()
            .iter()
            .map(|p| {
                let opts = MatchOptions::new(sample::AS_OF).with_alternatives_included(true);
                d.query(&p.needs, p.needs.level.expect("a level"), opts)
                    .expect("sample patients compile")
            })
            .collect();
        (d, qs)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(weights) = serde_json::from_slice::<Weights>(data) else {
        return;
    };
    let w: Vec<f64> = weights.iter().map(|(_, w)| w).collect();
    assert!(w.iter().all(|x| x.is_finite() && *x >= 0.0) && w.iter().any(|x| *x > 0.0));
    let json = serde_json::to_string(&weights).expect("weights serialize");
    assert_eq!(
        serde_json::from_str::<Weights>(&json).ok(),
        Some(weights),
        "printed as {json}"
    );
    let factor = if w.iter().sum::<f64>() > 1.0 {
        0.5
    } else {
        2.0
    };
    let Ok(scaled) = Weights::new(weights.iter().map(|(c, x)| (c, x * factor))) else {
        return;
    };
    let (directory, queries) = fixture();
    for q in queries {
        let a = directory.rank(q, &weights, 10);
        let b = directory.rank(q, &scaled, 10);
        let ids = |r: &carematch::matching::Ranking| {
            r.matches
                .iter()
                .map(|m| m.program_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&a),
            ids(&b),
            "scaling {weights} by {factor} reordered the matches"
        );
        for (x, y) in a.matches.iter().zip(&b.matches) {
            assert!(
                (x.score - y.score).abs() <= 1e-9,
                "{}: {} vs {}",
                x.program_id,
                x.score,
                y.score
            );
        }
    }
});
