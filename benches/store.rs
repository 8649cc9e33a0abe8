//! What reading a program back from the directory costs: the directory keeps
//! its programs compactly encoded and decodes one on demand (for the top k a
//! ranking explains, an exclusion's details, `get`). Each benchmark checks
//! its result once before measuring, so `cargo bench -- --test` verifies
//! them too.

use std::hint::black_box;

use carematch::{Directory, synthetic};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_store(c: &mut Criterion) {
    let programs = synthetic::directory(30_000, 2026);
    let dir = Directory::new(programs.clone(), synthetic::AS_OF).expect("synthetic data validates");
    let ids: Vec<String> = programs
        .iter()
        .step_by(997)
        .map(|p| p.id.to_string())
        .collect();
    // Checked once: decoding gives back exactly the program given.
    for (id, p) in ids.iter().zip(programs.iter().step_by(997)) {
        assert_eq!(dir.get(id).as_ref(), Some(p));
    }
    assert!(dir.programs().eq(programs.iter().cloned()));

    let mut g = c.benchmark_group("store_30000");
    g.bench_function("get_one_program", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            black_box(dir.get(black_box(&ids[i])))
        })
    });
    g.bench_function("contains_one_id", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            black_box(dir.contains(black_box(&ids[i])))
        })
    });
    g.bench_function("clone_one_program", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            black_box(programs[black_box(i * 997)].clone())
        })
    });
    g.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
