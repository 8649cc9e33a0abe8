//! Placing a queue end to end (`carematch::assign::assign`): ranking every
//! referral (counts-only exclusions, top k) and the per-tier minimum-cost
//! flow, against 30,000 synthetic programs. Each benchmark checks its result
//! once before measuring, so `cargo bench -- --test` verifies it too.
//!
//! The queue sizes measured are 1,000 and 3,000 referrals by default, so that
//! `cargo bench -- --test` (CI) stays short. Set `CAREMATCH_ASSIGN_SIZES` to
//! a comma-separated list for the large ones, for example
//! `CAREMATCH_ASSIGN_SIZES=1000,10000,100000 cargo bench --bench assign`.
//! Set `CAREMATCH_ASSIGN_DUMP` to a folder to write each checked assignment
//! there as JSON (`assign-<n>.json`), to compare two builds' output byte for
//! byte.

use std::hint::black_box;
use std::time::{Duration, Instant};

use carematch::{
    Directory,
    assign::{AssignOptions, Method, PriorityPolicy, assign},
    synthetic,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SEED: u64 = 2026;
const PROGRAMS: usize = 30_000;

/// The queue sizes to measure: `CAREMATCH_ASSIGN_SIZES`, else 1,000 and 3,000.
fn sizes() -> Vec<usize> {
    match std::env::var("CAREMATCH_ASSIGN_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .replace('_', "")
                    .parse()
                    .expect("CAREMATCH_ASSIGN_SIZES: queue sizes separated by commas")
            })
            .collect(),
        Err(_) => vec![1_000, 3_000],
    }
}

fn bench_assign(c: &mut Criterion) {
    let dir = Directory::new(synthetic::directory(PROGRAMS, SEED), synthetic::AS_OF)
        .expect("synthetic data validates");
    let policy = PriorityPolicy::default();
    let options = AssignOptions::new(synthetic::AS_OF);
    let mut g = c.benchmark_group("assign_over_30000");
    g.sample_size(10);
    for n in sizes() {
        let queue = synthetic::referrals(n, SEED);
        // Check once: every referral has an outcome, some are placed and
        // none over a program's slots; at 1,000, also that the optimum places
        // at least as many of the first tier as first come, first served, and
        // that the thread count does not change the result.
        let start = Instant::now();
        let best = assign(&dir, &queue, &policy, &options).expect("valid queue");
        // The check's own time, once: the figure for sizes too large to
        // sample ten times (`cargo bench -- --test` prints it too).
        eprintln!(
            "assign_over_30000/optimal/{n}: checked once in {:.2} s",
            start.elapsed().as_secs_f64()
        );
        if let Ok(folder) = std::env::var("CAREMATCH_ASSIGN_DUMP") {
            let path = std::path::Path::new(&folder).join(format!("assign-{n}.json"));
            let json = serde_json::to_string_pretty(&best).expect("an assignment serializes");
            std::fs::write(&path, json).expect("CAREMATCH_ASSIGN_DUMP: a writable folder");
        }
        assert_eq!(best.referrals.len(), n);
        assert!(best.placed > 0);
        let mut taken = std::collections::BTreeMap::new();
        for p in best.referrals.iter().filter_map(|r| r.placement.as_ref()) {
            *taken.entry(p.program_id.as_str()).or_insert(0u32) += 1;
        }
        for (id, n) in taken {
            let slots = dir.get(id).and_then(|p| p.open_slots).unwrap_or(0);
            assert!(n <= slots, "{id}: {n} placed in {slots} slots");
        }
        if n <= 1_000 {
            let fcfs = assign(
                &dir,
                &queue,
                &policy,
                &options.clone().with_method(Method::FirstComeFirstServed),
            )
            .expect("valid queue");
            assert!(best.tiers[0].placed >= fcfs.tiers[0].placed);
            let one = assign(&dir, &queue, &policy, &options.clone().with_threads(1))
                .expect("valid queue");
            assert_eq!(best, one);
        }
        g.throughput(Throughput::Elements(n as u64));
        if n >= 10_000 {
            g.measurement_time(Duration::from_secs(30));
        }
        g.bench_with_input(BenchmarkId::new("optimal", n), &n, |b, _| {
            b.iter(|| {
                let a = assign(&dir, black_box(&queue), &policy, &options).expect("valid queue");
                black_box(a.placed)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_assign);
criterion_main!(benches);
