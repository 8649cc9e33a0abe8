//! Golden outputs: what the sample produces, byte for byte, for people and
//! for machines. Every sample patient's level recommendation and ranking
//! (text and JSON, with exclusion details), one explanation per patient of
//! a program they did not get first, each referral of the sample queue
//! ranked alone at its level (text), and the sample queue's assignment
//! (text and JSON) are written out and compared with the committed
//! `tests/golden/sample.txt`.
//!
//! A failure means an output changed. If the change is intended (a new rule,
//! new words), regenerate the file with `GOLDEN_UPDATE=1 cargo test --test
//! golden` and review the diff like code: it is what clinicians will read.
//! Refactors must leave it unchanged.

use std::fmt::Write;

use carematch::assign::{AssignOptions, PriorityPolicy, assign, referrals_from_json};
use carematch::matching::{MatchOptions, Weights};
use carematch::{Directory, LevelPolicy, sample};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/sample.txt");

fn outputs() -> String {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample loads");
    let weights = Weights::default();
    let mut out = String::new();
    for patient in sample::patients() {
        let rec = LevelPolicy::default().recommend(&patient.assessment);
        writeln!(out, "==== patient: {}", patient.label).unwrap();
        writeln!(out, "{rec}").unwrap();
        writeln!(out, "---- recommendation JSON").unwrap();
        writeln!(out, "{}", serde_json::to_string(&rec).unwrap()).unwrap();
        let options = MatchOptions::new(sample::AS_OF)
            .with_exclusion_details(true)
            .with_alternatives_included(true);
        match dir.query_for(&patient.needs, &rec, options) {
            Ok(q) => {
                let ranking = dir.rank(&q, &weights, 5);
                writeln!(out, "---- ranking").unwrap();
                writeln!(out, "{ranking}").unwrap();
                writeln!(out, "---- ranking JSON").unwrap();
                writeln!(out, "{}", serde_json::to_string(&ranking).unwrap()).unwrap();
                // Why not the program ranked second, or the first excluded one?
                let other = ranking
                    .matches
                    .get(1)
                    .map(|m| m.program_id.clone())
                    .or_else(|| ranking.excluded.first().map(|e| e.program_id.clone()));
                if let Some(id) = other {
                    let e = dir.explain(&q, &weights, id.as_str());
                    writeln!(out, "---- explain {id}").unwrap();
                    writeln!(out, "{e}").unwrap();
                    writeln!(out, "{}", serde_json::to_string(&e).unwrap()).unwrap();
                }
            }
            Err(e) => writeln!(out, "---- refused: {e}").unwrap(),
        }
    }
    let queue = referrals_from_json(sample::REFERRALS_JSON).expect("the sample queue loads");
    // Each referral of the sample queue ranked alone at its level (text).
    for r in &queue {
        let mut needs = r.needs.clone();
        needs.level = None;
        let q = dir
            .query(&needs, r.level, MatchOptions::new(sample::AS_OF))
            .expect("a sample referral's needs validate");
        writeln!(out, "==== referral {} ranked alone at {}", r.id, r.level).unwrap();
        writeln!(out, "{}", dir.rank(&q, &weights, 3)).unwrap();
    }
    let a = assign(
        &dir,
        &queue,
        &PriorityPolicy::default(),
        &AssignOptions::new(sample::AS_OF),
    )
    .expect("the sample queue places");
    writeln!(out, "==== assignment").unwrap();
    writeln!(out, "{a}").unwrap();
    writeln!(out, "---- assignment JSON").unwrap();
    writeln!(out, "{}", serde_json::to_string(&a).unwrap()).unwrap();
    out
}

#[test]
fn the_sample_outputs_are_the_golden_ones() {
    let now = outputs();
    if std::env::var_os("GOLDEN_UPDATE").is_some() {
        std::fs::write(GOLDEN, &now).expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN)
        .expect("tests/golden/sample.txt (create it with GOLDEN_UPDATE=1)");
    if now != golden {
        let (a, b): (Vec<&str>, Vec<&str>) = (golden.lines().collect(), now.lines().collect());
        let first = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "the sample's outputs changed (first at line {}):\n  golden: {:?}\n  now:    {:?}\nregenerate with GOLDEN_UPDATE=1 if intended, and review the diff",
            first + 1,
            a.get(first),
            b.get(first)
        );
    }
}
