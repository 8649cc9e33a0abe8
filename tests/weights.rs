//! Weights keep the README's promise: scaling every weight by one factor
//! changes no ranking. Subnormal weights (5e-324) could not keep it (the
//! totals snapped to 0 or 1 and the top five reordered), so weights above 0
//! and below `Weights::MIN` are refused, naming the criterion.

use carematch::{
    Directory,
    matching::{Criterion, MatchOptions, Ranking, Weights},
    sample,
};

/// Weights in [`Criterion::ALL`] order, set by name.
fn by_name(w: [f64; 7]) -> Result<Weights, carematch::Error> {
    Weights::new(Criterion::ALL.iter().copied().zip(w))
}

fn order(r: &Ranking) -> Vec<String> {
    r.matches.iter().map(|m| m.program_id.to_string()).collect()
}

#[test]
fn subnormal_and_tiny_weights_are_refused_naming_the_criterion() {
    for c in Criterion::ALL {
        for tiny in [5e-324, 1e-310, f64::MIN_POSITIVE, 1e-7, 5e-7] {
            let err = Weights::default().with_weight(*c, tiny).unwrap_err();
            assert_eq!(err.kind(), carematch::ErrorKind::Config, "{err:?}");
            let text = err.to_string();
            assert!(
                text.contains(&format!("{}: {tiny:e} is below 1e-6", c.key())),
                "{text}"
            );
        }
        assert!(Weights::default().with_weight(*c, 1e-6).is_ok());
        assert!(Weights::default().with_weight(*c, 0.0).is_ok());
    }
    let json = r#"{"therapy_fit": 1, "credentials": 1, "schedule_flexibility": 1, "aftercare": 1,
                   "distance": 0, "wait": 5e-324, "freshness": 0}"#;
    let err = serde_json::from_str::<Weights>(json)
        .unwrap_err()
        .to_string();
    assert!(err.contains("wait: 5e-324 is below 1e-6"), "{err}");
}

/// The finding's case: one subnormal weight beside zeros ranked the sample
/// differently from the same weight doubled. Every accepted weight vector
/// built from the smallest allowed weights ranks the same at every scale.
#[test]
fn scaling_the_smallest_accepted_weights_changes_no_ranking() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample compiles");
    let opts = MatchOptions::new(sample::AS_OF).with_alternatives_included(true);
    let base_sets: [[f64; 7]; 4] = [
        [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1.0, 2.0, 3.0, 1.0, 5.0, 1.0, 1.0],
        [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0],
        std::array::from_fn(|i| Criterion::ALL[i].default_weight()),
    ];
    for p in sample::patients() {
        let q = dir
            .query(&p.needs, p.needs.level.expect("a level"), opts)
            .expect("sample patients compile");
        for base in base_sets {
            let smallest = base
                .iter()
                .copied()
                .filter(|w| *w > 0.0)
                .fold(f64::MAX, f64::min);
            // Scale so the smallest nonzero weight is exactly the minimum, then up.
            let at_min = base.map(|w| w / smallest * Weights::MIN);
            let reference = by_name(at_min).expect("weights at the minimum are accepted");
            let expected = order(&dir.rank(&q, &reference, 5));
            for k in [1, 3, 10, 20, 40, 60] {
                let w = by_name(at_min.map(|w| w * 2f64.powi(k))).expect("scaled weights");
                assert_eq!(
                    order(&dir.rank(&q, &w, 5)),
                    expected,
                    "{base:?} scaled by 2^{k}"
                );
            }
        }
    }
}
