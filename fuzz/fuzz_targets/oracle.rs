//! The ranking oracle both ranking targets check (not a target itself).

use carematch::Directory;
use carematch::matching::{Match, Query, Ranking, Weights, rank_plain};

/// Every score (and criterion score) in [0, 1], contributions adding up to
/// the score, best first.
fn check_matches(ms: &[Match]) {
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

/// Ranks `query` both ways and checks the oracle: the index equals the plain
/// path, matches are well formed, alerts come most urgent first, and every
/// program is eligible, an alternative or excluded.
pub fn check_ranking(directory: &Directory, query: &Query, weights: &Weights, k: usize) -> Ranking {
    let fast = directory.rank(query, weights, k);
    let programs: Vec<_> = directory.programs().collect();
    let plain = rank_plain(&programs, query, weights, k);
    assert_eq!(fast, plain, "Directory::rank and rank_plain disagree");
    check_matches(&fast.matches);
    check_matches(&fast.alternatives);
    assert!(fast.matches.len() <= k);
    assert!(
        fast.alerts
            .windows(2)
            .all(|w| w[0].urgency() <= w[1].urgency())
    );
    assert_eq!(
        fast.eligible + fast.alternatives_eligible + fast.excluded_count,
        directory.len(),
        "every program is eligible, an alternative or excluded"
    );
    fast
}
