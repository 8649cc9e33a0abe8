//! Loading a directory strictly reads and validates in one pass
//! (`load_directory`, `Directory::from_json`, `Directory::from_reader`):
//! each program is checked as it is read. These tests hold that pass equal
//! to the two steps it replaced (`programs_from_json`, then
//! `validate_programs`): the same programs, the same problems in the same
//! order, and the same errors with the same field paths, including for
//! documents the one pass leaves to the plain reader. A failure means a
//! directory would load differently, or be told something else, depending
//! on which function read it.

use carematch::{
    Date, Directory, Error, ProblemSeverity, Program, ProgramId, TimeOfDay, ValidationReport,
    load_directory, programs_from_json, sample, synthetic, validate_programs,
};

/// The two steps, as `load_directory` gave them before the one pass.
fn two_steps(text: &str, as_of: Date) -> Result<(Vec<Program>, ValidationReport), Error> {
    let programs = programs_from_json(text)?;
    let report = validate_programs(&programs, as_of).into_result()?;
    Ok((programs, report))
}

fn doc(programs: &[Program]) -> String {
    serde_json::to_string(&serde_json::json!({
        "notice": "fictional, for tests",
        "programs": programs,
    }))
    .expect("serializes")
}

/// `load_directory`, `Directory::from_json` and `Directory::from_reader`
/// against the two steps, for one document.
fn assert_same(text: &str, as_of: Date) {
    let one = load_directory(text, as_of).map_err(|e| e.to_string());
    let two = two_steps(text, as_of).map_err(|e| e.to_string());
    assert_eq!(one, two, "load_directory differs on {text:.200}");

    // The whole directory: its programs in order, warnings, and how it
    // ranks (ids, slots and partitions built the same way).
    let whole = |d: Directory| {
        let rankings: Vec<_> = synthetic::patients(3, 11)
            .iter()
            .chain(sample::patients().iter().map(|p| &p.needs))
            .map(|n| {
                let level = n
                    .level
                    .unwrap_or(carematch::LevelOfCare::IntensiveOutpatient);
                let q = dir_query(&d, n, level, as_of);
                d.rank(&q, &carematch::matching::Weights::default(), 5)
            })
            .collect();
        (
            d.programs().collect::<Vec<_>>(),
            d.warnings().clone(),
            rankings,
        )
    };
    let plain = programs_from_json(text)
        .and_then(|p| Directory::new(p, as_of))
        .map(whole)
        .map_err(|e| e.to_string());
    let from_json = Directory::from_json(text, as_of)
        .map(whole)
        .map_err(|e| e.to_string());
    assert_eq!(
        from_json, plain,
        "Directory::from_json differs on {text:.200}"
    );
    let from_reader = Directory::from_reader(text.as_bytes(), as_of)
        .map(whole)
        .map_err(|e| e.to_string());
    assert_eq!(
        from_reader, plain,
        "Directory::from_reader differs on {text:.200}"
    );
}

fn dir_query(
    d: &Directory,
    needs: &carematch::PatientNeeds,
    level: carematch::LevelOfCare,
    as_of: Date,
) -> carematch::matching::Query {
    d.query(needs, level, carematch::matching::MatchOptions::new(as_of))
        .expect("a valid query")
}

/// A synthetic directory with some parts not listed, so that validation
/// has warnings to report.
fn synthetic_programs(n: usize, seed: u64) -> Vec<Program> {
    let mut programs = synthetic::directory(n, seed);
    synthetic::leave_unlisted(&mut programs, seed, 30);
    programs
}

/// The paths of an error's problems of severity error, in order.
fn error_paths(err: &Error) -> Vec<&str> {
    err.problems()
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Error)
        .map(|p| p.path.as_str())
        .collect()
}

#[test]
fn valid_directories_load_as_in_two_steps() {
    assert_same(sample::MASSACHUSETTS_JSON, sample::AS_OF);
    for seed in 0..4 {
        let programs = synthetic_programs(200, seed);
        let text = doc(&programs);
        let (read, report) = load_directory(&text, synthetic::AS_OF).expect("loads");
        assert_eq!(read, programs);
        assert!(!report.problems.is_empty(), "expected warnings to compare");
        assert_same(&text, synthetic::AS_OF);
    }
}

#[test]
fn invalid_directories_report_as_in_two_steps() {
    let mut programs = synthetic_programs(60, 9);
    // A duplicate id on a program with problems of its own, a reversed
    // session, an empty name, a date in the future.
    programs[7].id = programs[2].id.clone();
    programs[7].name.clear();
    if let Some(s) = programs[11]
        .tracks
        .first_mut()
        .and_then(|t| t.sessions.first_mut())
    {
        s.window.end = TimeOfDay::MIDNIGHT;
    }
    programs[20].last_verified = "2099-01-01".parse().expect("a date");
    programs[59].id = programs[0].id.clone();
    let text = doc(&programs);
    assert_same(&text, synthetic::AS_OF);

    let err = load_directory(&text, synthetic::AS_OF).expect_err("invalid");
    let paths = error_paths(&err);
    // In document order, a program's duplicate id before its own problems.
    assert_eq!(paths[0], "programs[7].id", "{paths:?}");
    assert_eq!(paths[1], "programs[7].name", "{paths:?}");
    assert!(
        paths.contains(&"programs[11].tracks[0].sessions[0]"),
        "{paths:?}"
    );
    assert!(paths.contains(&"programs[20].last_verified"), "{paths:?}");
    assert_eq!(paths.last(), Some(&"programs[59].id"), "{paths:?}");
}

/// Documents the derived reader accepts in forms the one pass leaves to it,
/// and documents neither reads: each loads, or fails, exactly as in two
/// steps, with the same message and field path.
#[test]
fn unusual_and_broken_documents_load_as_in_two_steps() {
    let programs = sample::massachusetts();
    let one = serde_json::to_string(&programs[0]).expect("serializes");
    let two = serde_json::to_string(&programs[..2]).expect("serializes");
    let mut bad_payer = serde_json::to_value(&programs[..4]).expect("serializes");
    bad_payer[3]["payers"][1] = serde_json::json!("commercial: ");
    let mut bad_time = serde_json::to_value(&programs[..2]).expect("serializes");
    bad_time[1]["tracks"][0]["sessions"][0]["start"] = serde_json::json!("9.30");
    let docs = [
        format!(r#"{{"programs": {two}}}"#),
        format!(r#"{{"notice": null, "programs": {two}}}"#),
        format!(r#"{{"programs": {two}, "notice": "after"}}"#),
        // An escaped key, and the array form of the document.
        format!(r#"{{"pro\u0067rams": {two}}}"#),
        format!(r#"["a notice", {two}]"#),
        r#"{"programs": []}"#.to_owned(),
        // Errors.
        format!(r#"{{"notice": 5, "programs": {two}}}"#),
        format!(r#"{{"programs": {two}, "programs": {two}}}"#),
        format!(r#"{{"notice": "a", "notice": "b", "programs": {two}}}"#),
        format!(r#"{{"programs": {two}, "extra": 1}}"#),
        format!(r#"{{"programs": {two}}} {{}}"#),
        r#"{"notice": "no programs"}"#.to_owned(),
        format!(r#"{{"programs": {one}}}"#),
        format!(r#"{{"programs": [{one}, 3]}}"#),
        format!(r#"{{"programs": {two}"#),
        format!(r#"{{"programs": {bad_payer}}}"#),
        format!(r#"{{"programs": {bad_time}}}"#),
        "[]".to_owned(),
        "null".to_owned(),
        String::new(),
    ];
    for text in &docs {
        assert_same(text, sample::AS_OF);
    }
    // The field paths survive the one pass.
    let err = load_directory(&docs[15], sample::AS_OF).expect_err("a bad payer");
    assert!(
        err.to_string().starts_with("programs[3].payers[1]: "),
        "{err}"
    );
    let err = load_directory(&docs[16], sample::AS_OF).expect_err("a bad time");
    assert!(
        err.to_string()
            .starts_with("programs[1].tracks[0].sessions[0].start: "),
        "{err}"
    );
}

/// The lists read at their exact length (up to 16 items on the stack) read
/// as before past that length too, and name the item at fault.
#[test]
fn long_lists_read_and_fail_at_their_index() {
    let mut programs = sample::massachusetts();
    programs.truncate(3);
    let langs = ["en", "es", "pt", "zh", "ht", "vi", "km", "ru", "ar", "fr"];
    programs[1].languages = (0..40)
        .map(|i| langs[i % langs.len()].parse().expect("a language"))
        .collect();
    let text = doc(&programs);
    assert_eq!(programs_from_json(&text).expect("reads"), programs);
    assert_same(&text, sample::AS_OF);
    for at in [3usize, 16, 17, 39] {
        let mut value = serde_json::to_value(&programs).expect("serializes");
        value[1]["languages"][at] = serde_json::json!("english");
        let text = serde_json::json!({ "programs": value }).to_string();
        let err = load_directory(&text, sample::AS_OF).expect_err("a bad language");
        assert!(
            err.to_string()
                .starts_with(&format!("programs[1].languages[{at}]: `english`: ")),
            "{err}"
        );
        assert_same(&text, sample::AS_OF);
    }
}

#[test]
fn ids_that_differ_only_in_case_are_not_duplicates() {
    let mut programs = sample::massachusetts();
    programs.truncate(2);
    programs[1].id = programs[0]
        .id
        .as_str()
        .to_uppercase()
        .parse::<ProgramId>()
        .expect("an id");
    let text = doc(&programs);
    assert_same(&text, sample::AS_OF);
    assert!(load_directory(&text, sample::AS_OF).is_ok());
}

/// A document of 8 MiB and more is read on several threads (cut into
/// chunks at guessed program boundaries, each checked): it loads, warns and
/// fails exactly as the two steps read it, whatever chunk a problem is in.
#[test]
fn large_documents_read_on_threads_load_as_in_two_steps() {
    let mut programs = synthetic_programs(6_000, 21);
    let text = doc(&programs);
    assert!(
        text.len() >= 8 << 20,
        "{} bytes: too small to be cut",
        text.len()
    );
    let (read, report) = load_directory(&text, synthetic::AS_OF).expect("loads");
    assert_eq!(read, programs);
    assert!(!report.problems.is_empty(), "expected warnings to compare");
    assert_same(&text, synthetic::AS_OF);

    // The same document written by a person: indented, the notice last.
    let pretty = format!(
        "{{\n  \"programs\": {},\n  \"notice\": \"fictional, for tests\"\n}}\n",
        serde_json::to_string_pretty(&programs).expect("serializes")
    );
    assert_eq!(
        load_directory(&pretty, synthetic::AS_OF).expect("loads").0,
        programs
    );

    // Problems spread over the chunks: duplicate ids (one across the
    // document), an empty name, a future date.
    programs[5_999].id = programs[3].id.clone();
    programs[4_000].id = programs[3_999].id.clone();
    programs[2_500].name.clear();
    programs[10].last_verified = "2099-01-01".parse().expect("a date");
    let text = doc(&programs);
    assert_same(&text, synthetic::AS_OF);
    let err = load_directory(&text, synthetic::AS_OF).expect_err("invalid");
    let paths = error_paths(&err);
    assert_eq!(
        paths,
        [
            "programs[10].last_verified",
            "programs[2500].name",
            "programs[4000].id",
            "programs[5999].id"
        ]
    );

    // A malformed value late in the document: the error and its path are
    // the derived reader's.
    let mut value = serde_json::to_value(&programs).expect("serializes");
    value[5_500]["tracks"][0]["sessions"][0]["start"] = serde_json::json!("9.30");
    let text = serde_json::json!({ "programs": value }).to_string();
    let err = load_directory(&text, synthetic::AS_OF).expect_err("a bad time");
    assert!(
        err.to_string()
            .starts_with("programs[5500].tracks[0].sessions[0].start: "),
        "{err}"
    );
    assert_same(&text, synthetic::AS_OF);
}
