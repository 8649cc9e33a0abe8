//! Reading a hostile directory: one program with 100,000 specialties and
//! 100,000 excluded conditions (issue 16). Validation refuses it by its
//! sizes, before looking at an entry, so the cost is that of parsing the
//! JSON; before the limits it was quadratic (seconds). Also the display of
//! an unvalidated track with 40,000 distinct windows (was quadratic: 0.94 s).

use std::hint::black_box;

use carematch::{
    Condition, ErrorKind, LevelOfCare, Session, TimeOfDay, TimeWindow, Track, Weekday,
    load_directory, programs_from_json, sample,
};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

const ENTRIES: usize = 100_000;

fn hostile_document() -> String {
    let mut program = serde_json::to_value(&sample::massachusetts()[0]).expect("json");
    let condition = serde_json::to_value(Condition::ALL[0]).expect("json");
    program["specialties"] = Value::Array(vec![condition.clone(); ENTRIES]);
    program["excluded_conditions"] = Value::Array(vec![condition; ENTRIES]);
    serde_json::json!({ "programs": [program] }).to_string()
}

fn bench(c: &mut Criterion) {
    let text = hostile_document();
    // Checked once, so `cargo bench -- --test` fails if the file is accepted
    // or refused for anything but its sizes.
    match load_directory(&text, sample::AS_OF) {
        Err(e) if e.kind() == ErrorKind::Invalid => {
            let problems = e.problems();
            let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
            assert_eq!(
                paths,
                ["programs[0].specialties", "programs[0].excluded_conditions"]
            );
        }
        other => panic!("expected the sizes to be refused, got {other:?}"),
    }
    let mut g = c.benchmark_group("hostile_directory");
    g.sample_size(10);
    g.bench_function("programs_from_json (parse only)", |b| {
        b.iter(|| programs_from_json(black_box(&text)).map(|p| p.len()))
    });
    g.bench_function("load_directory (parse and refuse)", |b| {
        b.iter(|| load_directory(black_box(&text), sample::AS_OF).is_err())
    });
    g.finish();

    // A track that was never validated, with 40,000 distinct windows: its
    // display sorts once (it compared every window with every session).
    let track = wide_track(40_000);
    assert_eq!(track.to_string().matches(';').count(), 40_000 - 1);
    c.bench_function("display a track of 40,000 distinct windows", |b| {
        b.iter(|| black_box(&track).to_string().len())
    });
}

fn wide_track(n: u16) -> Track {
    let minutes = |m: u16| TimeOfDay::from_minutes(m).expect("a time");
    let mut track = Track::new("wide", LevelOfCare::IntensiveOutpatient);
    track.sessions = (0..n)
        .map(|i| {
            let start = i % 1400;
            let end = start + 1 + i / 1400;
            let window = TimeWindow::new(minutes(start), minutes(end)).expect("a window");
            Session::new(Weekday::ALL[usize::from(i % 7)], window)
        })
        .collect();
    track
}

criterion_group!(benches, bench);
criterion_main!(benches);
