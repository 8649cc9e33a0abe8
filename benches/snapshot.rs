//! Start-up from a snapshot (`Directory::read_snapshot`, docs/snapshot.md)
//! against compiling the same directory from its JSON, and the cost of
//! writing one. The directory is synthetic (`carematch::synthetic`).
//!
//! ```sh
//! cargo bench --bench snapshot                       # 100,000 programs
//! SNAPSHOT_BENCH_N=30000 cargo bench --bench snapshot
//! # a snapshot file written by examples/resident.rs (1M: see BENCHMARKS.md)
//! SNAPSHOT_BENCH_FILE=/tmp/snap-1m.snap cargo bench --bench snapshot -- file
//! ```
//!
//! `cargo bench -- --test` (as CI runs it) uses 2,000 programs and checks,
//! once, that the directory read back ranks and counts exclusions exactly
//! as the one written.

use std::hint::black_box;
use std::io::BufReader;

use carematch::{
    Directory,
    matching::{MatchOptions, Weights},
    synthetic,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Checked once before timing: `back` ranks and counts exclusions as `dir`.
fn assert_same(dir: &Directory, back: &Directory) {
    assert_eq!(back.len(), dir.len());
    let weights = Weights::default();
    for needs in synthetic::patients(20, 9) {
        let level = needs.level.expect("synthetic patients name a level");
        let options = MatchOptions::new(synthetic::AS_OF).with_exclusion_details(true);
        let q = dir.query(&needs, level, options).expect("a valid query");
        assert_eq!(back.rank(&q, &weights, 10), dir.rank(&q, &weights, 10));
        assert!(back.exclusions(&q).eq(dir.exclusions(&q)));
    }
}

fn bench_snapshot(c: &mut Criterion) {
    let n = if test_mode() {
        2_000
    } else {
        std::env::var("SNAPSHOT_BENCH_N")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(100_000)
    };
    let programs = synthetic::directory(n, 2026);
    let json = serde_json::to_string(&serde_json::json!({ "programs": &programs }))
        .expect("programs serialize");
    drop(programs);
    let dir = Directory::from_json(&json, synthetic::AS_OF).expect("synthetic data validates");
    let mut bytes = Vec::new();
    dir.write_snapshot(&mut bytes).expect("writing to a Vec");
    let back = Directory::read_snapshot(bytes.as_slice()).expect("its own snapshot");
    assert_same(&dir, &back);
    drop(back);

    let mut g = c.benchmark_group("snapshot");
    g.sample_size(10);
    g.bench_with_input(BenchmarkId::new("read_snapshot", n), &n, |b, _| {
        b.iter(|| Directory::read_snapshot(black_box(bytes.as_slice())).map(|d| d.len()))
    });
    g.bench_with_input(BenchmarkId::new("from_json", n), &n, |b, _| {
        b.iter(|| Directory::from_json(black_box(&json), synthetic::AS_OF).map(|d| d.len()))
    });
    g.bench_with_input(BenchmarkId::new("write_snapshot", n), &n, |b, _| {
        let mut out = Vec::with_capacity(bytes.len());
        b.iter(|| {
            out.clear();
            dir.write_snapshot(&mut out).map(|()| out.len())
        })
    });
    g.finish();

    // A snapshot file given by path (for 1M programs, written once by
    // examples/resident.rs): read through a BufReader, from the page cache.
    if let Ok(path) = std::env::var("SNAPSHOT_BENCH_FILE") {
        let read = || {
            let f = std::fs::File::open(&path).expect("the snapshot file opens");
            Directory::read_snapshot(BufReader::with_capacity(1 << 20, f))
                .expect("a snapshot this build wrote")
        };
        let programs = read().len();
        let mut g = c.benchmark_group("snapshot_file");
        g.sample_size(10);
        g.bench_with_input(
            BenchmarkId::new("read_snapshot", programs),
            &programs,
            |b, _| b.iter(|| read().len()),
        );
        g.finish();
    }
}

criterion_group!(benches, bench_snapshot);
criterion_main!(benches);
