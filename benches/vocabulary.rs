//! Resolving 10,000 mixed free-text terms: canonical forms, synonyms, typos
//! and unknown text, across every term family.

use std::hint::black_box;
use std::time::Instant;

use carematch::vocabulary::TermFamily;
use criterion::{Criterion, criterion_group, criterion_main};

/// Typing slips that resolve by close spelling.
const TYPOS: &[(TermFamily, &str)] = &[
    (TermFamily::Approach, "dialectical behavior thrapy"),
    (TermFamily::Approach, "cognitive behavioral therepy"),
    (TermFamily::Approach, "motivational interveiwing"),
    (TermFamily::Approach, "prolonged exposur"),
    (TermFamily::Approach, "mindfullness"),
    (TermFamily::Condition, "depresion"),
    (TermFamily::Condition, "schizophernia"),
    (TermFamily::Condition, "alchohol use disorder"),
    (TermFamily::Condition, "opiod use disorder"),
    (TermFamily::Condition, "anxeity"),
    (TermFamily::Language, "Portugese"),
    (TermFamily::Language, "Vietnamise"),
    (TermFamily::Language, "Hatian Creole"),
    (TermFamily::Language, "Spansh"),
    (TermFamily::LevelOfCare, "intensive outpatent"),
    (TermFamily::Payer, "Masshelth"),
    (TermFamily::Payer, "Harvard Pilgrm"),
    (TermFamily::License, "psychiatrst"),
    (TermFamily::FacilityCredential, "Joint Comission"),
    (TermFamily::Population, "veterns"),
    (TermFamily::Modality, "psychoeducaton"),
    (TermFamily::Aftercare, "discharge planing"),
    (TermFamily::Delivery, "hybird"),
    (TermFamily::FamilyInvolvement, "integrted"),
];

/// Text that must be refused (unknown, too short to guess, or ambiguous).
const UNKNOWN: &[(TermFamily, &str)] = &[
    (TermFamily::Approach, "dialectic behaviour thrapy"),
    (TermFamily::Approach, "DBTT"),
    (TermFamily::Approach, "PT"),
    (TermFamily::Approach, "naltrexone"),
    (TermFamily::Approach, "12-step facilitation"),
    (TermFamily::LevelOfCare, "IOPP"),
    (TermFamily::LevelOfCare, "detox"),
    (TermFamily::Condition, "trauma"),
    (TermFamily::Condition, "F4"),
    (TermFamily::Payer, "Medicade"),
    (TermFamily::Payer, "Acme Health"),
    (TermFamily::Payer, "WellSense"),
    (TermFamily::Language, "Klingon"),
    (TermFamily::Language, "Creole"),
    (TermFamily::License, "LADC"),
    (TermFamily::License, "social worker"),
    (TermFamily::Population, "youth"),
    (TermFamily::Modality, "art therapy"),
    (TermFamily::Aftercare, "housing"),
    (TermFamily::Delivery, "carrier pigeon"),
];

/// 10,000 terms: six in ten written forms from the vocabularies (canonical
/// and synonyms), two typos, two unknown; picked by a fixed LCG. Returns the
/// terms and how many of them must resolve.
fn mixed_terms() -> (Vec<(TermFamily, String)>, usize) {
    let forms: Vec<(TermFamily, String)> = TermFamily::ALL
        .iter()
        .flat_map(|f| f.terms().into_iter().map(move |(w, _)| (*f, w)))
        .collect();
    let mut state: u64 = 0x5EED;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut terms = Vec::with_capacity(10_000);
    let mut resolvable = 0;
    for i in 0..10_000 {
        let (family, text) = match i % 10 {
            0..=5 => forms[next(forms.len())].clone(),
            6 | 7 => {
                let (f, t) = TYPOS[next(TYPOS.len())];
                (f, t.to_owned())
            }
            _ => {
                let (f, t) = UNKNOWN[next(UNKNOWN.len())];
                (f, t.to_owned())
            }
        };
        if i % 10 < 8 {
            resolvable += 1;
        }
        terms.push((family, text));
    }
    (terms, resolvable)
}

fn resolve_all(terms: &[(TermFamily, String)]) -> usize {
    terms
        .iter()
        .filter(|(family, text)| black_box(family.resolve(black_box(text))).is_ok())
        .count()
}

fn bench(c: &mut Criterion) {
    let started = Instant::now();
    let (terms, resolvable) = mixed_terms();
    eprintln!(
        "building every vocabulary and the 10,000 terms took {:?}",
        started.elapsed()
    );
    assert_eq!(resolve_all(&terms), resolvable, "resolved count");
    c.bench_function("resolve 10,000 mixed terms", |b| {
        b.iter(|| resolve_all(&terms))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
