//! Importing real-shaped sources at the whole country's size (issue 26): a
//! generated 30,000-row SAMHSA listing page in the locator's wording, a
//! generated 30,000-service HSDS 3.0 data package (CSV), and a 50 MB array
//! of numbers posing as a listing page (refused). Every input is generated
//! and fictional.
//!
//! `CAREMATCH_IMPORT_INPUTS=<folder> cargo bench --bench import_real` writes
//! the inputs there instead (`samhsa_30k.json`, `hsds_30k/`,
//! `numbers_50mb.json`), for measuring the command line's time and peak
//! memory (BENCHMARKS.md).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::hint::black_box;

use carematch::import::{Format, ImportOptions, import, import_hsds_csv, import_hsds_csv_each};
use carematch::sample;
use criterion::Criterion;

const N: usize = 30_000;

/// A small LCG, so every run generates the same inputs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }

    fn some(&mut self, list: &[&str]) -> String {
        let mut out: Vec<&str> = list
            .iter()
            .copied()
            .filter(|_| self.next().is_multiple_of(2))
            .collect();
        if out.is_empty() {
            out.push(self.pick(list));
        }
        out.join("; ")
    }
}

/// A listing page of `n` fictional rows in the locator's wording.
fn samhsa(n: usize) -> String {
    const SET: &[&str] = &[
        "Outpatient",
        "Outpatient; Telemedicine/telehealth",
        "Outpatient; Intensive outpatient treatment",
        "Partial hospitalization/day treatment; Outpatient",
        "Hospital inpatient; Psychiatric hospital",
        "Long-term residential; Residential detoxification",
    ];
    const PHR: &[&str] = &[
        "Buprenorphine used in Treatment",
        "Naltrexone",
        "Acamprosate",
        "Vivitrol",
        "Do not use medication for opioid addiction",
        "Psychotropic medication",
    ];
    const SG: &[&str] = &[
        "Veterans",
        "LGBT clients",
        "Clients who have experienced trauma",
        "Pregnant/postpartum women",
    ];
    const LANG: &[&str] = &["Spanish", "Portuguese", "Vietnamese", "Kreyòl", "Creole"];
    const AGE: &[&str] = &["Children/Adolescents", "Young adults", "Adults", "Seniors"];
    let mut r = Lcg(0x5EED);
    let mut s = String::with_capacity(n * 1500);
    write!(
        s,
        r#"{{"page": 1, "totalPages": 1, "recordCount": {n}, "rows": ["#
    )
    .unwrap();
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let services = [
            ("SET", r.pick(SET).to_owned()),
            (
                "TAP",
                "Cognitive behavioral therapy; Group therapy".to_owned(),
            ),
            ("PHR", r.some(PHR)),
            ("SG", r.some(SG)),
            ("LANG", r.some(LANG)),
            ("AGE", r.some(AGE)),
            ("PAY", "Medicare; Cash or self-payment".to_owned()),
        ];
        let lat = 42.0 + (r.next() % 1000) as f64 / 1000.0;
        let lon = -71.5 + (r.next() % 1000) as f64 / 1000.0;
        write!(
            s,
            r#"{{"frid": "{i:064x}", "name1": "Generated Facility {i} (fictional)", "name2": "", "street1": "{a} Example Way", "city": "City {c}", "state": "MA", "zip": "0{z:04}", "typeFacility": "SA", "latitude": "{lat:.4}", "longitude": "{lon:.4}", "services": ["#,
            a = 1 + i % 999,
            c = i % 97,
            z = 1000 + i % 2700,
        )
        .unwrap();
        for (j, (code, values)) in services.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            write!(s, r#"{{"f1": "{code}", "f2": "{code}", "f3": "{values}"}}"#).unwrap();
        }
        s.push_str("]}");
    }
    s.push_str("]}");
    s
}

/// An HSDS 3.0 data package of `n` fictional services, one location each,
/// a third of them not treatment (housing, food, help lines), in 211 wording.
fn hsds(n: usize) -> BTreeMap<String, String> {
    const NAMES: &[&str] = &[
        "Outpatient Behavioral Health Services",
        "Intensive Outpatient Program",
        "Outpatient Psychiatry",
        "Substance Use Counseling",
        "Permanent Supportive Housing",
        "Food Pantry",
        "Crisis Help Line",
        "Partial Hospitalization Program",
        "Community Counselling",
    ];
    const TERMS: &[&str] = &[
        "Outpatient Mental Health Facilities",
        "Substance Use Disorder Counseling",
        "Homeless Shelter",
        "Psychiatric Medication Services",
    ];
    let mut r = Lcg(0xC5F);
    let mut services =
        String::from("id,organization_id,name,description,status,minimum_age,maximum_age\n");
    let mut locations = String::from("id,name,latitude,longitude\n");
    let mut sal = String::from("id,service_id,location_id\n");
    let mut addresses =
        String::from("id,location_id,address_1,city,state_province,postal_code,address_type\n");
    let mut attributes = String::from("id,link_id,link_type,taxonomy_term_id\n");
    let mut terms = String::from("id,name\n");
    for (i, t) in TERMS.iter().enumerate() {
        writeln!(terms, "t{i},{t}").unwrap();
    }
    let orgs = String::from("id,name\no1,Generated Agency (fictional)\n");
    for i in 0..n {
        let name = r.pick(NAMES);
        writeln!(
            services,
            "s{i},o1,{name} {i},\"A generated service, fictional.\",active,18,120"
        )
        .unwrap();
        let lat = 42.0 + (r.next() % 1000) as f64 / 1000.0;
        let lon = -71.5 + (r.next() % 1000) as f64 / 1000.0;
        writeln!(locations, "l{i},Site {i},{lat:.4},{lon:.4}").unwrap();
        writeln!(sal, "sal{i},s{i},l{i}").unwrap();
        writeln!(
            addresses,
            "a{i},l{i},{} Example St,Boston,MA,02118,physical",
            1 + i % 999
        )
        .unwrap();
        writeln!(
            attributes,
            "at{i},s{i},service,t{}",
            r.next() % TERMS.len() as u64
        )
        .unwrap();
    }
    [
        ("services.csv", services),
        ("organizations.csv", orgs),
        ("locations.csv", locations),
        ("service_at_location.csv", sal),
        ("addresses.csv", addresses),
        ("attributes.csv", attributes),
        ("taxonomy_terms.csv", terms),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// `{"rows": [1, 1, ...]}` of about `bytes` bytes.
fn numbers(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 16);
    s.push_str(r#"{"rows":[1"#);
    while s.len() < bytes {
        s.push_str(",1");
    }
    s.push_str("]}");
    s
}

fn write_inputs(dir: &str) {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir.join("hsds_30k")).unwrap();
    std::fs::write(dir.join("samhsa_30k.json"), samhsa(N)).unwrap();
    for (name, text) in hsds(N) {
        std::fs::write(dir.join("hsds_30k").join(name), text).unwrap();
    }
    std::fs::write(dir.join("numbers_50mb.json"), numbers(50 << 20)).unwrap();
}

fn main() {
    if let Ok(dir) = std::env::var("CAREMATCH_IMPORT_INPUTS") {
        write_inputs(&dir);
        return;
    }
    let options = ImportOptions::new(sample::AS_OF);
    let mut c = Criterion::default().configure_from_args().sample_size(10);

    let page = samhsa(N);
    // Checked once, so `cargo bench -- --test` fails if rows are lost.
    let out = import(Format::Samhsa, &page, &options).expect("the generated page imports");
    assert_eq!(out.report.records, N);
    assert_eq!(out.programs.len() + out.report.refused_count(), N);
    assert!(out.programs.len() > N * 9 / 10, "{}", out.report);
    c.bench_function("import_real/samhsa_30k", |b| {
        b.iter(|| import(Format::Samhsa, black_box(&page), &options).unwrap())
    });

    let package = hsds(N);
    let out = import_hsds_csv(&package, &options).expect("the generated package imports");
    assert_eq!(out.report.records, N);
    assert_eq!(out.programs.len() + out.report.refused_count(), N);
    assert!(out.report.refusals.len() < 10, "{}", out.report);
    c.bench_function("import_real/hsds_csv_30k", |b| {
        b.iter(|| import_hsds_csv(black_box(&package), &options).unwrap())
    });
    // Streamed: each program given to a sink (here dropped) as it is made.
    let mut made = 0;
    let report = import_hsds_csv_each(&package, &options, |_| made += 1).unwrap();
    assert_eq!(made, out.programs.len());
    assert_eq!(report, out.report);
    c.bench_function("import_real/hsds_csv_30k_each", |b| {
        b.iter(|| import_hsds_csv_each(black_box(&package), &options, drop).unwrap())
    });

    let junk = numbers(50 << 20);
    let err = import(Format::Samhsa, &junk, &options).unwrap_err();
    assert!(
        err.to_string().contains("none of them listing rows"),
        "{err}"
    );
    c.bench_function("import_real/numbers_50mb_refused", |b| {
        b.iter(|| import(Format::Samhsa, black_box(&junk), &options).unwrap_err())
    });
    c.final_summary();
}
