//! Size limits (see `carematch::limits`): a directory with a program over a
//! limit is refused at once, with one error per list naming its path and
//! size, before any entry is looked at. A failure means a hostile file can
//! make validation (or the index) do work in proportion to its size squared,
//! or a program that validates can be refused later by `Directory::new`.

use carematch::limits::{
    MAX_ENTRIES_PER_LIST, MAX_LANGUAGES_PER_PROGRAM, MAX_PAYERS_PER_PROGRAM,
    MAX_SESSIONS_PER_TRACK, MAX_TRACKS_PER_PROGRAM,
};
use carematch::{
    Condition, Directory, Error, Language, Payer, Program, Session, TimeWindow, Weekday,
    load_directory, sample, validate_programs, vocabulary::load_directory_lenient,
};
use serde_json::Value;

/// Program 0 of the sample with `n` copies of one condition in both
/// `specialties` and `excluded_conditions`, as a directory document.
fn hostile_document(n: usize) -> String {
    let mut program = serde_json::to_value(&sample::massachusetts()[0]).expect("json");
    let condition = serde_json::to_value(Condition::ALL[0]).expect("json");
    program["specialties"] = Value::Array(vec![condition.clone(); n]);
    program["excluded_conditions"] = Value::Array(vec![condition; n]);
    serde_json::json!({ "programs": [program] }).to_string()
}

fn messages(err: &Error) -> Vec<String> {
    assert_eq!(
        err.kind(),
        carematch::ErrorKind::Invalid,
        "expected a validation error, got {err}"
    );
    err.problems().iter().map(|p| p.to_string()).collect()
}

#[test]
fn a_hundred_thousand_specialties_and_exclusions_are_refused_at_once() {
    let text = hostile_document(100_000);
    let expected = vec![
        "error: programs[0].specialties: 100000 entries, more than the limit of 1000".to_owned(),
        "error: programs[0].excluded_conditions: 100000 entries, more than the limit of 1000"
            .to_owned(),
    ];
    // Bounded on work: without the size check every one of the 100,000
    // specialties would be reported as also excluded; exactly two problems
    // means no entry was examined.
    let err = load_directory(&text, sample::AS_OF).unwrap_err();
    assert_eq!(messages(&err), expected);
    // The lenient reader refuses before resolving a single term.
    let err = load_directory_lenient(&text, sample::AS_OF).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("invalid input: 2 problems; the first: programs[0].specialties: "),
        "the lenient reader reported: {}",
        &text[..text.len().min(500)]
    );
    assert!(text.contains("programs[0].specialties: 100000 entries, more than the limit of 1000"));
    assert!(!text.contains('\n'), "one line: {text}");
    assert_eq!(err.problems().len(), 2);
}

#[test]
fn a_program_at_every_limit_is_accepted_and_indexed() {
    let mut p: Program = sample::massachusetts()[0].clone();
    p.payers = (0..MAX_PAYERS_PER_PROGRAM)
        .map(|i| Payer::commercial(&format!("plan {i}")).expect("a plan"))
        .collect();
    p.languages = (0..MAX_LANGUAGES_PER_PROGRAM)
        .map(|i| {
            let a = b'a' + u8::try_from(i % 26).expect("small");
            let b = b'a' + u8::try_from(i / 26 % 26).expect("small");
            let c = b'a' + u8::try_from(i / 676).expect("small");
            String::from_utf8(vec![a, b, c])
                .expect("ascii")
                .parse::<Language>()
                .expect("a code")
        })
        .collect();
    p.specialties = vec![p.specialties[0]; MAX_ENTRIES_PER_LIST];
    p.excluded_conditions.clear();
    let report = validate_programs(std::slice::from_ref(&p), sample::AS_OF);
    assert!(!report.has_errors(), "{report}");
    let dir =
        Directory::new(vec![p], sample::AS_OF).expect("a program within the limits is indexed");
    assert_eq!(dir.len(), 1);
}

#[test]
fn every_over_limit_list_is_named_with_its_path() {
    let mut p: Program = sample::massachusetts()[0].clone();
    p.payers = vec![Payer::SelfPay; MAX_PAYERS_PER_PROGRAM + 1];
    p.tracks = vec![p.tracks[0].clone(); MAX_TRACKS_PER_PROGRAM + 1];
    let window = TimeWindow::hm((9, 0), (9, 1)).expect("a window");
    let mut q = sample::massachusetts()[1].clone();
    q.tracks[0].sessions = vec![Session::new(Weekday::Mon, window); MAX_SESSIONS_PER_TRACK + 1];
    let report = validate_programs(&[p, q], sample::AS_OF);
    let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        vec![
            "error: programs[0].tracks: 101 entries, more than the limit of 100",
            "error: programs[0].payers: 1001 entries, more than the limit of 1000",
            "error: programs[1].tracks[0].sessions: 1001 entries, more than the limit of 1000",
        ]
    );
}
