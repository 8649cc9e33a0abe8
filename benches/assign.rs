//! Placing a queue end to end (`carematch::assign::assign`): ranking every
//! referral (counts-only exclusions, top k) and the per-tier minimum-cost
//! flow, against 30,000 synthetic programs. Each benchmark checks its result
//! once before measuring, so `cargo bench -- --test` verifies it too.

use std::hint::black_box;
use std::time::Duration;

use carematch::{
    Directory,
    assign::{AssignOptions, Method, PriorityPolicy, assign},
    synthetic,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SEED: u64 = 2026;
const PROGRAMS: usize = 30_000;

fn bench_assign(c: &mut Criterion) {
    let dir = Directory::new(synthetic::directory(PROGRAMS, SEED), synthetic::AS_OF)
        .expect("synthetic data validates");
    let policy = PriorityPolicy::default();
    let options = AssignOptions::new(synthetic::AS_OF);
    let mut g = c.benchmark_group("assign_over_30000");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let queue = synthetic::referrals(n, SEED);
        // Check once: every referral has an outcome and some are placed;
        // at 1,000, also that the optimum places at least as many of the
        // first tier as first come, first served, and that the thread count
        // does not change the result.
        let best = assign(&dir, &queue, &policy, &options).expect("valid queue");
        assert_eq!(best.referrals.len(), n);
        assert!(best.placed > 0);
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
