//! Places: reading the embedded Census tables, looking up a ZIP code (one,
//! and ten across the country: a binary search over the 33,120 embedded
//! ZCTA records), a town and a misspelled town, and importing a generated
//! 30,000-row SAMHSA page whose rows give an address and a ZIP code in
//! several states but no coordinates (each placed at its ZIP code's centre).

use std::fmt::Write;
use std::hint::black_box;

use carematch::import::{Format, ImportOptions, import};
use carematch::places::Places;
use carematch::{LocationPrecision, sample};
use criterion::{Criterion, criterion_group, criterion_main};

const ROWS: usize = 30_000;

/// ZIP codes the table holds (ZCTAs) with their states, cycled through the
/// rows: Massachusetts and elsewhere (Miami, New York, Los Angeles,
/// Chicago, Anchorage, Honolulu, San Juan).
const ZIPS: &[(&str, &str)] = &[
    ("01608", "MA"),
    ("02108", "MA"),
    ("33136", "FL"),
    ("33125", "FL"),
    ("10001", "NY"),
    ("90012", "CA"),
    ("60601", "IL"),
    ("99501", "AK"),
    ("96813", "HI"),
    ("00901", "PR"),
];

/// A listing page of `n` fictional rows with addresses and no coordinates.
fn listing(n: usize) -> String {
    let mut s = String::from(r#"{"page": 1, "totalPages": 1, "rows": ["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let (zip, state) = ZIPS[i % ZIPS.len()];
        write!(
            s,
            r#"{{"frid": "z{i}", "name1": "Example Counseling {i} (fictional)", "name2": "",
"street1": "{} Example St", "city": "Example", "state": "{state}", "zip": "{zip}",
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
    assert_eq!((places.zip_count(), places.town_count()), (33_120, 351));
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
    for (zip, state) in ZIPS {
        assert_eq!(places.zip(zip).map(|p| p.state).as_deref(), Some(*state));
    }
    c.bench_function("places/lookup 10 zip codes across the US", |b| {
        b.iter(|| {
            for (zip, _) in ZIPS {
                black_box(places.zip(black_box(zip)).unwrap());
            }
        })
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
