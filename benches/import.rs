//! Importing SAMHSA locator listings: 30,000 generated rows (about the
//! number of US treatment facilities), from JSON text to validated programs
//! and the full import report.

use std::fmt::Write;
use std::hint::black_box;

use carematch::import::{Format, ImportOptions, import};
use carematch::sample;
use criterion::{Criterion, criterion_group, criterion_main};

const ROWS: usize = 30_000;

/// A listing page of `n` generated rows in the locator's shape (fictional
/// facilities; values drawn from the locator's vocabulary by a small LCG).
fn listing(n: usize) -> String {
    const SET: &[&str] = &[
        "Outpatient",
        "Outpatient; Telemedicine/telehealth",
        "Outpatient; Intensive outpatient treatment",
        "Partial hospitalization/day treatment; Outpatient",
        "Residential/24-hour residential",
    ];
    const TAP: &[&str] = &[
        "Cognitive behavioral therapy",
        "Dialectical behavior therapy",
        "Group therapy",
        "Individual psychotherapy",
        "Couples/family therapy",
        "Trauma therapy",
        "Eye Movement Desensitization and Reprocessing therapy",
        "Motivational interviewing",
        "Activity therapy",
    ];
    const PAY: &[&str] = &[
        "Medicare",
        "Medicaid",
        "Private health insurance",
        "Cash or self-payment",
        "Military insurance (e.g., TRICARE)",
    ];
    const LANG: &[&str] = &[
        "Spanish",
        "Portuguese",
        "Vietnamese",
        "Sign language/ASL",
        "Creole",
    ];
    const AGE: &[&str] = &[
        "Children/Adolescents",
        "Young adults",
        "Adults",
        "Seniors (65 or older)",
    ];
    const STATES: &[(&str, f64, f64)] = &[
        ("MA", 42.36, -71.06),
        ("NY", 40.71, -74.0),
        ("CA", 34.05, -118.24),
        ("TX", 29.76, -95.37),
        ("IL", 41.88, -87.63),
    ];
    let mut seed: u64 = 0x5EED;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    let pick = |list: &[&str], next: &mut dyn FnMut() -> u64| -> String {
        let mut out: Vec<&str> = list
            .iter()
            .copied()
            .filter(|_| next().is_multiple_of(2))
            .collect();
        if out.is_empty() {
            out.push(list[(next() % list.len() as u64) as usize]);
        }
        out.join("; ")
    };
    let mut s = String::with_capacity(n * 1500);
    write!(
        s,
        r#"{{"page": 1, "totalPages": 1, "recordCount": {n}, "rows": ["#
    )
    .unwrap();
    for i in 0..n {
        let (state, lat, lon) = STATES[i % STATES.len()];
        let dlat = (next() % 1000) as f64 / 1000.0 - 0.5;
        let dlon = (next() % 1000) as f64 / 1000.0 - 0.5;
        let set = SET[(next() % SET.len() as u64) as usize];
        let services = [
            ("Type of Care", "TC", "Mental health treatment".to_owned()),
            ("Service Settings", "SET", set.to_owned()),
            ("Treatment Approaches", "TAP", pick(TAP, &mut next)),
            (
                "Payment/Insurance/Funding Accepted",
                "PAY",
                pick(PAY, &mut next),
            ),
            ("Language Services", "LANG", pick(LANG, &mut next)),
            ("Age Groups Accepted", "AGE", pick(AGE, &mut next)),
            (
                "Facility Operation",
                "FOP",
                "Private non-profit organization".to_owned(),
            ),
        ];
        if i > 0 {
            s.push(',');
        }
        write!(
            s,
            r#"{{"frid": "{i:064x}", "name1": "Generated Facility {i} (fictional)", "name2": "", "street1": "{n} Example Way", "street2": null, "city": "City {c}", "state": "{state}", "zip": "{z:05}", "phone": "555-010-0000", "typeFacility": "MH", "latitude": "{la:.4}", "longitude": "{lo:.4}", "miles": 1.0, "services": ["#,
            n = 1 + i % 999,
            c = i % 97,
            z = i % 99_999,
            la = lat + dlat,
            lo = lon + dlon,
        )
        .unwrap();
        for (j, (f1, f2, f3)) in services.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            write!(s, r#"{{"f1": "{f1}", "f2": "{f2}", "f3": "{f3}"}}"#).unwrap();
        }
        s.push_str("]}");
    }
    s.push_str("]}");
    s
}

fn bench(c: &mut Criterion) {
    let text = listing(ROWS);
    let options = ImportOptions::new(sample::AS_OF);
    // Checked once, so `cargo bench -- --test` fails if rows are lost.
    let out = import(Format::Samhsa, &text, &options).expect("the generated listing imports");
    assert_eq!(out.report.records, ROWS);
    assert_eq!(out.programs.len() + out.report.refused.len(), ROWS);
    assert!(
        out.programs.len() > ROWS * 9 / 10,
        "{}",
        out.report.refused.len()
    );
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("samhsa 30k rows (parse, map, validate, report)", |b| {
        b.iter(|| import(Format::Samhsa, black_box(&text), &options).map(|o| o.programs.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
