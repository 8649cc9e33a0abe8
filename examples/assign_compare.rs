//! The optimal assignment against first-come-first-served placement on
//! generated queues: placed referrals per tier and total score, as the
//! Markdown table in BENCHMARKS.md. Counts, not timings.
//!
//! ```sh
//! cargo run --release --example assign_compare
//! ```

use carematch::{
    Directory,
    assign::{AssignOptions, Assignment, Method, PriorityPolicy, assign},
    synthetic,
};

fn tiers(a: &Assignment) -> String {
    a.tiers
        .iter()
        .map(|t| format!("{}/{}", t.placed, t.referrals))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() -> Result<(), carematch::Error> {
    println!(
        "| programs | referrals | seed | method | placed | placed per tier 1, 2, 3, 4 (of) | total score | mean choice |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let policy = PriorityPolicy::default();
    for (programs, referrals, seed) in [
        (300, 200, 5),
        (600, 300, 1),
        (1_000, 400, 2),
        (3_000, 1_000, 3),
        (30_000, 1_000, 2026),
        (30_000, 10_000, 2026),
    ] {
        let dir = Directory::new(synthetic::directory(programs, seed), synthetic::AS_OF)?;
        let queue = synthetic::referrals(referrals, seed);
        let options = AssignOptions::new(synthetic::AS_OF);
        for method in [Method::Optimal, Method::FirstComeFirstServed] {
            let a = assign(&dir, &queue, &policy, &options.clone().with_method(method))?;
            let choices: Vec<usize> = a
                .referrals
                .iter()
                .filter_map(|r| r.placement.as_ref().map(|p| p.choice))
                .collect();
            let mean = choices.iter().sum::<usize>() as f64 / choices.len().max(1) as f64;
            println!(
                "| {programs} | {referrals} | {seed} | {method} | {} | {} | {:.3} | {mean:.2} |",
                a.placed,
                tiers(&a),
                a.total_score
            );
        }
    }
    Ok(())
}
