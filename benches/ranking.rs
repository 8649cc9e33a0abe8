//! Ranking speed: the compiled index against the plain path and against a
//! pure memory scan of the index's bytes. Each benchmark checks its result
//! once before measuring, so `cargo bench -- --test` verifies them too.

use std::hint::black_box;
use std::time::{Duration, Instant};

use carematch::{
    DeliveryPreference, Directory, PatientNeeds,
    matching::{MatchOptions, Query, Scan, Weights, rank_plain},
    synthetic,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SEED: u64 = 2026;

fn directory(n: usize) -> Directory {
    Directory::new(synthetic::directory(n, SEED), synthetic::AS_OF)
        .expect("synthetic data validates")
}

/// A patient placed at a metropolitan centre, with many programs in reach.
fn patient() -> PatientNeeds {
    synthetic::patients(1, SEED).remove(0)
}

/// The options as a caller leaves them: counts only (the default).
fn default_query(dir: &Directory, needs: &PatientNeeds) -> Query {
    dir.query(
        needs,
        needs.level.expect("synthetic patients have a level"),
        MatchOptions::new(synthetic::AS_OF),
    )
    .expect("valid query")
}

fn query(dir: &Directory, needs: &PatientNeeds, details: bool) -> Query {
    dir.query(
        needs,
        needs.level.expect("synthetic patients have a level"),
        MatchOptions::new(synthetic::AS_OF).with_exclusion_details(details),
    )
    .expect("valid query")
}

fn bench_rank(c: &mut Criterion) {
    let weights = Weights::default();
    let needs = patient();
    let mut g = c.benchmark_group("rank_top10");
    for n in [1_000usize, 30_000, 1_000_000] {
        let dir = directory(n);
        // The plain path reads programs whole: decoded once, outside the timing.
        let plain: Vec<_> = match n {
            ..=30_000 => dir.programs().collect(),
            _ => Vec::new(),
        };
        g.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            g.sample_size(10).measurement_time(Duration::from_secs(10));
        }
        // Check once: the index agrees with the plain path, and programs are ranked.
        let counts_only = query(&dir, &needs, false);
        let default = default_query(&dir, &needs);
        let detailed = query(&dir, &needs, true);
        let r = dir.rank(&detailed, &weights, 10);
        assert_eq!(r.eligible + r.alternatives_eligible + r.excluded_count, n);
        if n <= 30_000 {
            assert_eq!(r, rank_plain(&plain, &detailed, &weights, 10));
        }
        let expected = r.matches.clone();
        assert!(
            !expected.is_empty(),
            "the benchmark patient should have matches"
        );

        assert_eq!(
            dir.rank(&default, &weights, 10),
            dir.rank(&counts_only, &weights, 10)
        );
        g.bench_with_input(BenchmarkId::new("index_counts_only", n), &n, |b, _| {
            b.iter(|| black_box(dir.rank(black_box(&counts_only), &weights, 10)))
        });
        g.bench_with_input(BenchmarkId::new("index_default_options", n), &n, |b, _| {
            b.iter(|| black_box(dir.rank(black_box(&default), &weights, 10)))
        });
        g.bench_with_input(
            BenchmarkId::new("index_with_exclusion_details", n),
            &n,
            |b, _| b.iter(|| black_box(dir.rank(black_box(&detailed), &weights, 10))),
        );
        if n <= 30_000 {
            g.bench_with_input(BenchmarkId::new("plain_path", n), &n, |b, _| {
                b.iter(|| black_box(rank_plain(&plain, black_box(&detailed), &weights, 10)))
            });
        }
        let sum = dir.scan_index();
        assert_eq!(sum, dir.scan_index());
        g.bench_with_input(BenchmarkId::new("memory_scan_baseline", n), &n, |b, _| {
            b.iter(|| black_box(black_box(&dir).scan_index()))
        });
        eprintln!(
            "index: {n} programs, {} bytes, {:.1} bytes per program",
            dir.index_bytes(),
            dir.index_bytes() as f64 / n as f64
        );
        assert_eq!(dir.rank(&counts_only, &weights, 10).matches, expected);
    }
    g.finish();
}

fn bench_compile(c: &mut Criterion) {
    let programs = synthetic::directory(30_000, SEED);
    let mut g = c.benchmark_group("compile");
    g.sample_size(10);
    let dir = Directory::new(programs.clone(), synthetic::AS_OF).expect("valid");
    assert_eq!(dir.len(), 30_000);
    g.bench_function("directory_30000", |b| {
        b.iter(|| {
            black_box(Directory::new(
                black_box(programs.clone()),
                synthetic::AS_OF,
            ))
        })
    });
    g.finish();
}

fn bench_many_patients(c: &mut Criterion) {
    let dir = directory(30_000);
    let weights = Weights::default();
    let queries: Vec<Query> = synthetic::patients(1_000, SEED + 1)
        .iter()
        .map(|n| query(&dir, n, false))
        .collect();
    let ranked: usize = queries
        .iter()
        .map(|q| dir.rank(q, &weights, 10).matches.len())
        .sum();
    assert!(ranked > 0, "some of the 1,000 patients should have matches");
    let mut g = c.benchmark_group("patients_1000");
    g.sample_size(10).throughput(Throughput::Elements(1_000));
    g.bench_function("rank_top10_over_30000", |b| {
        b.iter(|| {
            let mut n = 0;
            for q in &queries {
                n += dir.rank(q, &weights, 10).matches.len();
            }
            black_box(n)
        })
    });
    // One call for the whole batch: parallel with `--features rayon`.
    let batch = dir.rank_batch(&queries, &weights, 10);
    assert_eq!(batch.iter().map(|r| r.matches.len()).sum::<usize>(), ranked);
    let name = if cfg!(feature = "rayon") {
        "rank_batch_top10_over_30000_rayon"
    } else {
        "rank_batch_top10_over_30000_sequential"
    };
    g.bench_function(name, |b| {
        b.iter(|| black_box(dir.rank_batch(black_box(&queries), &weights, 10)))
    });
    g.finish();
}

/// One live update at 30,000 programs: no rebuild, one program validated and compiled.
fn bench_update(c: &mut Criterion) {
    let programs = synthetic::directory(30_000, SEED);
    let mut dir = directory(30_000);
    let id = programs[12_345].id.clone();
    let mut changed = programs[12_345].clone();
    changed.name.push_str(" (renamed)");
    let extra = {
        let mut p = programs[7].clone();
        p.id = "syn-extra".parse().expect("a valid id");
        p
    };
    // Checked once: each update leaves the directory as a fresh one would be.
    dir.set_accepting(&id, false, Some(9)).expect("known id");
    assert!(!dir.get(&id).expect("known id").accepting_new_patients);
    dir.set_accepting(&id, true, programs[12_345].typical_wait_days)
        .expect("known id");
    dir.insert(extra.clone()).expect("a new id");
    dir.remove(&extra.id).expect("inserted");
    assert!(dir.programs().eq(programs.iter().cloned()));

    let mut g = c.benchmark_group("update_30000");
    let mut open = true;
    g.bench_function("set_accepting", |b| {
        b.iter(|| {
            open = !open;
            black_box(dir.set_accepting(black_box(&id), open, Some(7)))
        })
    });
    let mut flip = false;
    g.bench_function("replace", |b| {
        b.iter(|| {
            flip = !flip;
            let p = if flip { &changed } else { &programs[12_345] };
            black_box(dir.replace(black_box(p.clone())))
        })
    });
    g.bench_function("insert_then_remove", |b| {
        b.iter(|| {
            dir.insert(black_box(extra.clone())).expect("a new id");
            black_box(dir.remove(&extra.id))
        })
    });
    g.finish();
}

/// Issue 15: the partitioned index against the full scan of the index, in
/// the same run, at 30,000 and 1,000,000 programs: 40 patients spread over
/// the generator's metropolitan areas (each with its area's state and a
/// 10-40 mile travel limit), in person only, accepting telehealth (licensed
/// in their state), and without a location. Each iteration ranks all 40;
/// the per-patient median is printed from a separate timing of each patient
/// (the fastest of 5 rankings).
/// The query shapes of issue 29, each over the same generated patients:
/// in person with a location, telehealth only, either, and no location.
fn shapes(base: &[PatientNeeds]) -> [(&'static str, Vec<PatientNeeds>); 4] {
    let with = |f: &dyn Fn(&mut PatientNeeds)| -> Vec<PatientNeeds> {
        base.iter()
            .cloned()
            .map(|mut n| {
                f(&mut n);
                n
            })
            .collect()
    };
    [
        (
            "in_person",
            with(&|n| n.delivery = DeliveryPreference::InPerson),
        ),
        (
            "telehealth_only",
            with(&|n| n.delivery = DeliveryPreference::Telehealth),
        ),
        (
            "with_telehealth",
            with(&|n| n.delivery = DeliveryPreference::Either),
        ),
        ("no_location", with(&|n| n.location = None)),
    ]
}

/// The `q`-quantile of sorted `each` (nearest rank).
fn quantile(each: &[Duration], q: f64) -> Duration {
    let at = ((each.len() as f64 * q).ceil() as usize).clamp(1, each.len());
    each[at - 1]
}

/// The partitioned index against the full scan, by query shape. In
/// `--test` mode each shape's queries are checked (partitioned equals the
/// full scan) and nothing is timed. Otherwise criterion times the first 40
/// patients of each shape, and each of the 200 patients is ranked alone
/// (the fastest of 3) for a per-patient median and p90, printed to stderr.
/// 1,000,000 programs only with `RANKING_BENCH_1M=1` (building it and
/// checking 800 queries against the full scan takes minutes).
fn bench_partitioned(c: &mut Criterion) {
    const PATIENTS: usize = 200;
    const TIMED: usize = 40;
    let weights = Weights::default();
    let test_mode = std::env::args().any(|a| a == "--test");
    let base = synthetic::patients(PATIENTS, SEED + 2);
    let variants = shapes(&base);
    let mut sizes = vec![30_000usize];
    if std::env::var_os("RANKING_BENCH_1M").is_some_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    let mut g = c.benchmark_group("partitioned");
    for n in sizes {
        if n >= 1_000_000 {
            g.sample_size(10).measurement_time(Duration::from_secs(8));
        } else {
            g.sample_size(30).measurement_time(Duration::from_secs(5));
        }
        g.throughput(Throughput::Elements(TIMED as u64));
        let mut dir = directory(n);
        let queries: Vec<(&str, Vec<Query>)> = variants
            .iter()
            .map(|(name, needs)| {
                (
                    *name,
                    needs.iter().map(|p| default_query(&dir, p)).collect(),
                )
            })
            .collect();
        // Checked once: the partitions rank exactly as the full scan does.
        for (_, qs) in &queries {
            for q in qs {
                let partitioned = dir.rank(q, &weights, 10);
                dir = dir.with_scan(Scan::Full);
                assert_eq!(partitioned, dir.rank(q, &weights, 10));
                dir = dir.with_scan(Scan::Auto);
            }
        }
        for scan in [Scan::Auto, Scan::Full] {
            dir = dir.with_scan(scan);
            let mode = if scan == Scan::Full {
                "full_scan"
            } else {
                "partitioned"
            };
            for (name, qs) in &queries {
                g.bench_with_input(BenchmarkId::new(format!("{mode}/{name}"), n), &n, |b, _| {
                    b.iter(|| {
                        let mut matched = 0;
                        for q in &qs[..TIMED] {
                            matched += dir.rank(black_box(q), &weights, 10).matches.len();
                        }
                        black_box(matched)
                    })
                });
                // `cargo bench -- --test` checks, it does not time.
                if test_mode {
                    continue;
                }
                let mut each: Vec<Duration> = qs
                    .iter()
                    .map(|q| {
                        (0..3)
                            .map(|_| {
                                let t = Instant::now();
                                black_box(dir.rank(black_box(q), &weights, 10));
                                t.elapsed()
                            })
                            .min()
                            .unwrap_or_default()
                    })
                    .collect();
                each.sort();
                eprintln!(
                    "partitioned: {n} programs, {mode}/{name}, {} patients: median {:?}, \
                     p90 {:?}, max {:?}",
                    each.len(),
                    quantile(&each, 0.5),
                    quantile(&each, 0.9),
                    each[each.len() - 1]
                );
            }
        }
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_rank,
    bench_compile,
    bench_many_patients,
    bench_update,
    bench_partitioned
);
criterion_main!(benches);
