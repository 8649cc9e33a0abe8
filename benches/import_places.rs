//! Places: reading the embedded Census tables, looking up a ZIP code, a
//! town and a misspelled town, and importing a generated 30,000-row SAMHSA
//! page whose rows give an address and a ZIP code but no coordinates (each
//! placed at its ZIP code's centre).

use std::fmt::Write;
use std::hint::black_box;

use carematch::import::{Format, ImportOptions, import};
use carematch::places::Places;
use carematch::{LocationPrecision, sample};
use criterion::{Criterion, criterion_group, criterion_main};

const ROWS: usize = 30_000;

/// Massachusetts ZIP codes the table holds (ZCTAs), cycled through the rows.
const ZIPS: &[&str] = &[
    "01608", "01852", "02108", "01103", "02740", "01201", "02360", "01420", "02554", "01002",
];

/// A listing page of `n` fictional rows with addresses and no coordinates.
fn listing(n: usize) -> String {
    let mut s = String::from(r#"{"page": 1, "totalPages": 1, "rows": ["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let zip = ZIPS[i % ZIPS.len()];
        write!(
            s,
            r#"{{"frid": "z{i}", "name1": "Example Counseling {i} (fictional)", "name2": "",
"street1": "{} Example St", "city": "Example", "state": "MA", "zip": "{zip}",
"latitude": "", "longitude": "", "typeFacility": "MH",
"services": [{{"f1": "SET", "f2": "SET", "f3": "Outpatient"}},
{{"f1": "AGE", "f2": "AGE", "f3": "Adults"}}]}}"#,
            1 + i % 999
        )
        .unwrap();
    }
    s.push_str("]}");
    s
}

fn bench(c: &mut Criterion) {
    let places = Places::embedded();
    assert_eq!((places.zip_count(), places.town_count()), (1832, 351));
    assert_eq!(
        places.lookup("Worcestr").unwrap_err().suggestions(),
        ["Worcester"]
    );
    c.bench_function("places/embedded tables", |b| {
        b.iter(|| black_box(Places::embedded()))
    });
    c.bench_function("places/lookup zip", |b| {
        b.iter(|| black_box(places.lookup(black_box("01608")).unwrap()))
    });
    c.bench_function("places/lookup town", |b| {
        b.iter(|| black_box(places.lookup(black_box("worcester, ma")).unwrap()))
    });
    c.bench_function("places/lookup misspelled town", |b| {
        b.iter(|| black_box(places.lookup(black_box("Worcestr")).unwrap_err()))
    });

    let page = listing(ROWS);
    let options = ImportOptions::new(sample::AS_OF);
    let out = import(Format::Samhsa, &page, &options).unwrap();
    assert_eq!(out.programs.len(), ROWS, "{}", out.report);
    assert!(
        out.programs
            .iter()
            .all(|p| p.location.precision == LocationPrecision::ZipCentre)
    );
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("samhsa 30000 rows placed by ZIP code", |b| {
        b.iter(|| black_box(import(Format::Samhsa, black_box(&page), &options).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
