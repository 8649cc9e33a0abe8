//! The `carematch` command line, run as a user would run it.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The binary `cargo test` builds for this package's tests.
fn carematch() -> Command {
    Command::new(env!("CARGO_BIN_EXE_carematch"))
}

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carematch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a temporary file");
    path
}

fn run(args: &[&str]) -> Output {
    carematch().args(args).output().expect("the example runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const PATIENT: &str = r#"{"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}],
 "level": "intensive_outpatient", "payer": "masshealth",
 "availability": {"busy": [{"days": ["mon","tue","wed","thu","fri"], "start": "09:00", "end": "17:00"}]},
 "location": {"latitude": 42.2626, "longitude": -71.8023}, "max_travel_miles": 20}"#;

#[test]
fn rank_prints_the_top_programs_with_reasons() {
    let p = file("patient.json", PATIENT);
    let out = run(&["rank", p.to_str().unwrap(), "--top", "3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        // Two more offer the level but no track this 9-to-5 worker can attend (schedule_conflict).
        stdout.starts_with("Top 3 of 3 eligible intensive outpatient programs:"),
        "{stdout}"
    );
    assert!(stdout.contains("wor-lanternfly-evening-iop"), "{stdout}");
    assert!(
        stdout.contains("excluded (a program is counted under each of its reasons): "),
        "{stdout}"
    );
}

#[test]
fn rank_json_has_the_documented_keys() {
    let p = file("patient-json.json", PATIENT);
    let out = run(&["rank", p.to_str().unwrap(), "--json", "--top", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["matches"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["matches"][0]["program_id"], "wor-lanternfly-evening-iop");
    assert!(v["matches"][0]["criteria"]["schedule_flexibility"]["score"].is_number());
    // By default the excluded programs are counted by reason, not listed.
    assert_eq!(v["excluded"].as_array().map(Vec::len), Some(0));
    assert!(v["exclusion_counts"][0]["programs"].is_number());
    let out = run(&["rank", p.to_str().unwrap(), "--json", "--excluded"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert!(v["excluded"][0]["reasons"].is_array());
}

#[test]
fn rank_with_an_assessment_takes_the_recommended_level() {
    let p = file(
        "patient-nolevel.json",
        &PATIENT.replace(r#""level": "intensive_outpatient", "#, ""),
    );
    let a = file(
        "assessment.json",
        r#"{"ratings": {"risk_of_harm": 2, "functional_status": 2, "comorbidity": 2, "stress": 2,
            "support": 2, "treatment_history": 2, "engagement": 2},
            "days_since_inpatient_discharge": 10}"#,
    );
    let out = run(&[
        "rank",
        p.to_str().unwrap(),
        "--assessment",
        a.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Recommended level of care: intensive outpatient"),
        "{stdout}"
    );
    assert!(
        stdout.contains("eligible intensive outpatient programs"),
        "{stdout}"
    );
}

#[test]
fn a_bad_patient_file_fails_with_its_field_path() {
    let p = file("bad.json", &PATIENT.replace("masshealth", "mass helth"));
    let out = run(&["rank", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.json: payer: `mass helth`"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn lenient_reads_free_text_and_says_what_it_changed() {
    let p = file(
        "free.json",
        r#"{"age": 34, "diagnoses": ["post traumatic stress disorder"], "level": "IOP",
            "payer": "Medicaid (MA)", "location": {"latitude": 42.2626, "longitude": -71.8023}}"#,
    );
    let strict = run(&["rank", p.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(1));
    let out = run(&["--lenient", "rank", p.to_str().unwrap(), "--top", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(r#"note: payer: read "Medicaid (MA)""#),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Top 1 of "), "{stdout}");
    assert!(
        stdout.contains("eligible intensive outpatient programs"),
        "{stdout}"
    );
}

#[test]
fn level_prints_the_rationale_and_json() {
    let a = file(
        "level.json",
        r#"{"ratings": {"risk_of_harm": 5, "functional_status": 3, "comorbidity": 2, "stress": 3,
            "support": 2, "treatment_history": 3, "engagement": 2}, "age": 40}"#,
    );
    let out = run(&["level", a.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["level"], "inpatient");
    assert_eq!(v["flags"][0], "imminent_risk");
    let out = run(&["level", a.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("988"), "{}", text(&out.stdout));
}

#[test]
fn rank_json_with_an_assessment_carries_its_flags() {
    let p = file(
        "patient-risk.json",
        &PATIENT.replace(r#""level": "intensive_outpatient", "#, ""),
    );
    let a = file(
        "assessment-risk.json",
        r#"{"ratings": {"risk_of_harm": 5, "functional_status": 2, "comorbidity": 2, "stress": 2,
            "support": 2, "treatment_history": 2, "engagement": 2}, "age": 34}"#,
    );
    let out = run(&[
        "rank",
        p.to_str().unwrap(),
        "--assessment",
        a.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["recommendation"]["flags"][0], "imminent_risk");
    assert_eq!(v["alerts"][0]["kind"], "imminent_risk");
    assert_eq!(v["level"], "inpatient");

    // A patient file naming another level is not silently overruled: it is an error.
    let p = file("patient-risk-iop.json", PATIENT);
    let out = run(&[
        "rank",
        p.to_str().unwrap(),
        "--assessment",
        a.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "level: the patient file says intensive outpatient, the assessment's level is inpatient"
        ),
        "{stderr}"
    );
    // The refusal involves imminent risk: its first problem is the crisis text.
    let crisis = carematch::matching::CrisisContact::imminent_risk_text();
    let first = stderr.lines().nth(1).unwrap_or_default();
    assert_eq!(
        first,
        format!("  error: assessment.ratings.risk_of_harm: {crisis}"),
        "{stderr}"
    );
}

/// One crisis text: `level`, the ranking's `imminent_risk` alert and a
/// refused `rank` print the same contacts in the same order (911, 988, the
/// Behavioral Health Help Line, mobile crisis), from one definition.
#[test]
fn every_output_about_imminent_risk_prints_the_one_crisis_text() {
    let crisis = carematch::matching::CrisisContact::imminent_risk_text();
    let at = |s: &str| crisis.find(s).unwrap_or_else(|| panic!("{s} in {crisis}"));
    assert!(at("911") < at("988") && at("988") < at("833-773-2445"));
    assert!(at("833-773-2445") < at("mobile crisis"));
    let a = file(
        "assessment-crisis.json",
        r#"{"ratings": {"risk_of_harm": 5, "functional_status": 2, "comorbidity": 2, "stress": 2,
            "support": 2, "treatment_history": 2, "engagement": 2}, "age": 34}"#,
    );
    let level = run(&["level", a.to_str().unwrap()]);
    assert!(
        text(&level.stdout).starts_with(&format!("{crisis}\n")),
        "{}",
        text(&level.stdout)
    );
    let p = file(
        "patient-crisis.json",
        &PATIENT.replace(r#""level": "intensive_outpatient", "#, ""),
    );
    let ranked = run(&[
        "rank",
        p.to_str().unwrap(),
        "--assessment",
        a.to_str().unwrap(),
    ]);
    let stdout = text(&ranked.stdout);
    assert!(
        stdout.lines().any(|l| l == format!("! {crisis}")),
        "{stdout}"
    );
}

#[test]
fn the_readme_example_files_work() {
    let root = env!("CARGO_MANIFEST_DIR");
    let data = |f: &str| format!("{root}/../data/examples/{f}");
    let out = run(&[
        "rank",
        &data("patient.json"),
        "--assessment",
        &data("assessment.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&[
        "--lenient",
        "rank",
        &data("patient_free_text.json"),
        "--top",
        "1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("note: payer"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["level", &data("assessment.json"), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn rank_refuses_a_patient_without_a_diagnosis_or_with_two_primaries() {
    let none = file(
        "no-diagnosis.json",
        r#"{"age": 34, "diagnoses": [], "level": "intensive_outpatient", "payer": "masshealth"}"#,
    );
    let out = run(&["rank", none.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("no-diagnosis.json: diagnoses: no diagnosis"),
        "{err}"
    );

    let two = file(
        "two-primaries.json",
        r#"{"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}, {"code": "F33.1", "primary": true}],
            "level": "intensive_outpatient", "payer": "masshealth"}"#,
    );
    let out = run(&["rank", two.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("diagnoses: 2 diagnoses are marked primary"),
        "{err}"
    );
}

#[test]
fn rank_prints_the_patients_warnings_on_stderr() {
    let p = file(
        "warned.json",
        r#"{"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}],
            "level": "intensive_outpatient", "payer": "masshealth", "max_travel_miles": 20}"#,
    );
    let out = run(&["rank", p.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("warned.json: warning: max_travel_miles: is set but location is not"),
        "{err}"
    );
}

#[test]
fn min_schedule_fit_zero_brings_back_the_programs_the_patient_cannot_attend() {
    let p = file("nine-to-five.json", PATIENT);
    let out = run(&["rank", p.to_str().unwrap(), "--min-schedule-fit", "0"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Top 5 of 5 eligible intensive outpatient programs:"),
        "{stdout}"
    );
    assert!(!stdout.contains("schedule_conflict"), "{stdout}");
    // The fifth lists only MassHealth plans: a match, its network for a
    // plain MassHealth patient unconfirmed, on the confirm channel.
    assert!(
        stdout.contains("      ? in-network status unconfirmed"),
        "{stdout}"
    );
}

#[test]
fn an_assessment_that_disagrees_with_the_patient_file_is_an_error() {
    let p = file("patient-34.json", PATIENT);
    let a = file(
        "assessment-16.json",
        r#"{"ratings": {"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2, "stress": 3,
             "support": 2, "treatment_history": 3, "engagement": 2}, "age": 16}"#,
    );
    let out = run(&[
        "rank",
        p.to_str().unwrap(),
        "--assessment",
        a.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("age: the patient file says 34, the assessment says 16"),
        "{err}"
    );
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::process::Stdio;
    let p = file("piped.json", PATIENT);
    let mut child = carematch()
        .args(["rank", p.to_str().unwrap(), "--top", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example runs");
    drop(child.stdout.take()); // the reader goes away, as `| head` does
    let out = child.wait_with_output().expect("it ends");
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}

/// `policy` prints the default level policy as JSON that loads back, with
/// the policy loader's checks, as a policy equal to the default: a site can
/// start its own from it.
#[test]
fn policy_prints_the_default_policy_as_json_that_loads_back() {
    let out = run(&["policy"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let policy = carematch::level_policy_from_json(&text(&out.stdout))
        .unwrap_or_else(|e| panic!("{e}\n{}", text(&out.stdout)));
    assert_eq!(policy, carematch::LevelPolicy::default());
    // The README's example policy is that output under another name.
    let root = env!("CARGO_MANIFEST_DIR");
    let site = std::fs::read_to_string(format!("{root}/../data/examples/policy.json"))
        .expect("data/examples/policy.json");
    let site = carematch::level_policy_from_json(&site).expect("the example policy loads");
    assert_ne!(site.rules().name, policy.rules().name);
    let renamed = carematch::level::LevelRules {
        name: policy.rules().name.clone(),
        ..site.rules().clone()
    };
    assert_eq!(&renamed, policy.rules());
}

/// Every `cargo run --bin ...` (or `--example demo`) command the README and
/// the reference in `docs/` show runs as written, from the repository root
/// (its files exist, its flags are the CLI's). The demo example is the
/// `demo` binary's code.
#[test]
fn every_command_in_the_readme_runs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut readme = std::fs::read_to_string(root.join("README.md")).expect("the README");
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("a docs entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    for d in docs {
        readme.push('\n');
        readme.push_str(&std::fs::read_to_string(&d).expect("a docs file"));
    }
    let mut in_sh = false;
    let mut ran = 0;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        // The HTTP service serves until stopped; its own tests
        // (examples/service/tests) drive it in-process.
        if !in_sh || !line.starts_with("cargo run") || line.contains("-p carematch-service") {
            continue;
        }
        let command = line.split(" #").next().unwrap_or(line).trim();
        let words: Vec<&str> = command.split_whitespace().collect();
        let bin = words
            .iter()
            .position(|w| *w == "--bin" || *w == "--example")
            .and_then(|i| words.get(i + 1))
            .unwrap_or_else(|| panic!("no binary in `{line}`"));
        let exe = match *bin {
            "carematch" => env!("CARGO_BIN_EXE_carematch"),
            "demo" => env!("CARGO_BIN_EXE_demo"),
            other => panic!("`{line}` names an unknown binary {other}"),
        };
        let args: Vec<&str> = match words.iter().position(|w| *w == "--") {
            Some(i) => words[i + 1..].to_vec(),
            None => Vec::new(),
        };
        let mut cmd = Command::new(exe);
        cmd.current_dir(&root);
        let args = match args.iter().position(|w| *w == "<") {
            Some(i) => {
                let input = std::fs::File::open(root.join(args[i + 1]))
                    .unwrap_or_else(|e| panic!("`{line}`: {e}"));
                cmd.stdin(input);
                args[..i].to_vec()
            }
            None => args,
        };
        let out = cmd.args(&args).output().expect("the command runs");
        assert!(
            out.status.success(),
            "`{line}` failed: {}",
            text(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "`{line}` printed nothing");
        ran += 1;
    }
    assert!(ran >= 9, "only {ran} commands found in the README");
}

#[test]
fn import_writes_a_directory_that_rank_uses_and_a_report() {
    let listing = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/formats/samhsa/listing_example_fictional.json"
    );
    let report = file("report.json", "");
    let out = run(&[
        "import",
        "--format",
        "samhsa",
        listing,
        "--as-of",
        "2026-11-01",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("samhsa import: 2 records, 2 programs, 0 refused"),
        "{stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["format"], "samhsa");
    assert!(report["lines"].as_array().is_some_and(|l| l.len() > 20));
    let dir = file("imported.json", &text(&out.stdout));
    let patient = file(
        "php-patient.json",
        &PATIENT.replace("intensive_outpatient", "partial_hospitalization"),
    );
    let out = run(&[
        "rank",
        patient.to_str().unwrap(),
        "--directory",
        dir.to_str().unwrap(),
        "--as-of",
        "2026-11-01",
        "--min-schedule-fit",
        "0",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ranking: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &ranking["matches"][0];
    assert!(
        m["program_id"]
            .as_str()
            .unwrap()
            .starts_with("samhsa-0f3c9a7e"),
        "{ranking}"
    );
    assert!(
        m["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "unconfirmed"),
        "{m}"
    );
}

#[test]
fn import_reads_an_hsds_csv_data_package_from_a_folder() {
    let package = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/formats/hsds/csv"
    );
    let out = run(&[
        "import",
        "--format",
        "hsds",
        package,
        "--as-of",
        "2026-11-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    // The specification's one service at one location ("Community
    // Counselling": outpatient) is placed at latitude 100, outside the earth.
    assert!(
        stderr.starts_with("hsds import: 1 records, 0 programs, 1 refused"),
        "{stderr}"
    );
    assert!(stderr.contains("services.csv: row 2"), "{stderr}");
    assert!(stderr.contains("latitude 100 is outside"), "{stderr}");
    let dir: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dir["programs"], serde_json::json!([]));
    // A malformed table: the file, row and column.
    let bad = file("services.csv", "id,name\ns1,\"open\n");
    let out = run(&[
        "import",
        "--format",
        "hsds",
        bad.parent().unwrap().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("services.csv: row 2: column `name`"),
        "{stderr}"
    );
    // A folder is read only as HSDS.
    let out = run(&["import", "--format", "fhir", package]);
    assert!(!out.status.success());
}

#[test]
fn import_of_a_malformed_file_fails_with_its_path() {
    let bad = file("bad-listing.json", r#"{"rows": {"frid": "x"}}"#);
    let out = run(&["import", "--format", "samhsa", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad-listing.json: rows: expected an array"),
        "{stderr}"
    );
}

#[test]
fn assign_places_the_sample_queue_and_prints_the_same_json_twice() {
    let queue = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/referrals.json");
    let out = run(&["assign", queue]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(" held (optimal by priority tier"),
        "{stdout}"
    );
    assert!(stdout.contains("why: "), "{stdout}");
    let a = run(&["assign", queue, "--json"]);
    let b = run(&["assign", queue, "--json"]);
    assert!(a.status.success(), "{}", text(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "byte-identical output");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("JSON on stdout");
    assert!(v["referrals"].as_array().is_some_and(|r| r.len() >= 20));
    assert!(v["referrals"][0]["reason"]["kind"].is_string());
}

#[test]
fn assign_refuses_a_referral_id_that_looks_like_a_name() {
    let q = file(
        "queue-with-a-name.json",
        r#"{"referrals": [{"id": "Jane Doe", "level": "intensive_outpatient",
            "needs": {"age": 30, "diagnoses": [{"code": "F33.1", "primary": true}], "payer": "medicare"}}]}"#,
    );
    let out = run(&["assign", q.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("referrals[0].id"),
        "{}",
        text(&out.stderr)
    );
}

/// The README's excerpt of the sample queue's output is the output as it
/// is: every line it shows (`...` aside) is a line of `carematch assign
/// data/referrals.json`, in the same order.
#[test]
fn the_readme_shows_the_sample_queue_as_it_is_placed() {
    let readme = include_str!("../../docs/assignment.md");
    let at = readme
        .find("Its output, as it is")
        .expect("the README's assignment section shows the sample queue's output");
    let block = readme[at..]
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a text block");
    let queue = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/referrals.json");
    let out = run(&["assign", queue]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let mut from = 0;
    for want in block.lines().filter(|l| *l != "...") {
        let found = lines[from..]
            .iter()
            .position(|l| *l == want)
            .unwrap_or_else(|| {
                panic!("README line not in the output (in order): {want:?}\n{stdout}")
            });
        from += found + 1;
    }
    // The five the issue names are there: two holds, the override, withdrawal, pregnancy.
    for id in ["R-003", "R-008", "R-016", "R-025", "R-026"] {
        assert!(block.contains(&format!("{id}  ")), "{id} in the excerpt");
    }
}

/// A patient file as `PATIENT` with `field` set to `value` (a JSON value as
/// text), for the bad-input table.
fn patient_with(field: &str, value: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(PATIENT).expect("PATIENT is JSON");
    v[field] = serde_json::from_str(value).expect("a JSON value");
    v.to_string()
}

/// Rust type names a person should never read in a refusal.
const RUST_WORDS: &[&str] = &["u8", "u16", "u32", "i32", "f64", "struct", "enum", "Option"];

/// Every bad input the command line is fed in these tests, in one table:
/// the command, the file's name and text, and the words its refusal must
/// contain (the field, and what to write instead).
fn bad_inputs() -> Vec<(&'static str, &'static str, String, &'static [&'static str])> {
    let long = "x".repeat(500);
    let assessment = |extra: &str| {
        format!(
            r#"{{"ratings": {{"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2, "stress": 3,
             "support": 2, "treatment_history": 3, "engagement": 2}}{extra}}}"#
        )
    };
    let queue = |extra: &str| {
        format!(
            r#"{{"referrals": [{{"id": "R-1", "level": "intensive_outpatient"{extra},
            "needs": {{"age": 30, "diagnoses": [{{"code": "F33.1", "primary": true}}], "payer": "medicare"}}}}]}}"#
        )
    };
    vec![
        // The cases of the tests above.
        ("rank", "bad.json", PATIENT.replace("masshealth", "mass helth"), &["payer", "mass helth"]),
        (
            "rank",
            "no-diagnosis.json",
            r#"{"age": 34, "diagnoses": [], "level": "intensive_outpatient", "payer": "masshealth"}"#.into(),
            &["diagnoses", "no diagnosis"],
        ),
        (
            "rank",
            "two-primaries.json",
            r#"{"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}, {"code": "F33.1", "primary": true}],
                "level": "intensive_outpatient", "payer": "masshealth"}"#
                .into(),
            &["diagnoses", "primary"],
        ),
        ("assign", "queue-with-a-name.json", queue("").replace("R-1", "Jane Doe"), &["referrals[0].id"]),
        ("import", "bad-listing.json", r#"{"rows": {"frid": "x"}}"#.into(), &["rows"]),
        // The bugs of issue 25, each in words.
        ("rank", "age-text.json", patient_with("age", r#""34""#), &["age", "whole number", "120", "\"34\""]),
        ("rank", "age-negative.json", patient_with("age", "-5"), &["age", "whole number", "-5"]),
        ("rank", "age-fraction.json", patient_with("age", "34.5"), &["age", "whole number", "34.5"]),
        ("rank", "age-300.json", patient_with("age", "300"), &["age", "from 0 to 120", "300"]),
        (
            "rank",
            "discharge-negative.json",
            patient_with("days_since_inpatient_discharge", "-3"),
            &["days_since_inpatient_discharge", "whole number of days", "-3"],
        ),
        (
            "rank",
            "free-and-busy.json",
            patient_with("availability", r#"{"free": [], "busy": []}"#),
            &["availability", "free", "busy", "not both"],
        ),
        ("rank", "availability-empty.json", patient_with("availability", "{}"), &["availability", "free", "busy"]),
        ("rank", "a-list.json", "[]".into(), &["document", "list", "JSON object", "age"]),
        ("rank", "a-text.json", format!("\"{long}\""), &["document", "text", "JSON object"]),
        ("rank", "language-xx.json", patient_with("language", r#""xx""#), &["language", "ISO 639"]),
        ("rank", "language-spa.json", patient_with("language", r#""spa""#), &["language", "`es`"]),
        (
            "rank",
            "sco-at-34.json",
            patient_with("payer", r#""masshealth: cca_senior_care_options""#),
            &["payer", "Senior Care Options", "65", "MassHealth"],
        ),
        (
            "rank",
            "excoriation-as-ocd.json",
            patient_with("diagnoses", r#"[{"code": "F42.4", "condition": "obsessive_compulsive", "primary": true}]"#),
            &["diagnoses[0]", "F42.4", "obsessive_compulsive", "other"],
        ),
        ("rank", "miles-text.json", patient_with("max_travel_miles", r#""20""#), &["max_travel_miles", "number of miles"]),
        ("rank", "location-text.json", patient_with("location", r#""Worcester""#), &["location", "object"]),
        (
            "rank",
            "latitude-text.json",
            patient_with("location", r#"{"latitude": "42.26", "longitude": -71.8}"#),
            &["location.latitude", "number of degrees"],
        ),
        ("rank", "state-long.json", patient_with("state", &format!("\"{long}\"")), &["state"]),
        ("rank", "level-long.json", patient_with("level", &format!("\"{long}\"")), &["level"]),
        ("rank", "a-name.json", patient_with("name", r#""Jane Doe""#), &["name", "unknown field"]),
        ("level", "assessment-age-text.json", assessment(r#", "age": "16""#), &["age", "whole number"]),
        ("level", "assessment-ratings-list.json", assessment("").replacen(r#"{"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2, "stress": 3,
             "support": 2, "treatment_history": 3, "engagement": 2}"#, "[]", 1), &["ratings", "object"]),
        ("level", "assessment-a-list.json", "[]".into(), &["document", "list", "ratings"]),
        ("assign", "queue-waiting-negative.json", queue(r#", "waiting_days": -1"#), &["waiting_days", "whole number"]),
        ("assign", "queue-a-list.json", "[]".into(), &["document", "list", "object"]),
    ]
}

/// Issue 25: every refusal of the bad inputs above speaks of the field and
/// the form wanted, in words: never a Rust type name, never more of the
/// input than the one field (a long value is cut).
#[test]
fn every_refusal_speaks_of_the_field_not_of_rust_types() {
    for (command, name, body, words) in bad_inputs() {
        let path = file(name, &body);
        let path = path.to_str().unwrap();
        let args: Vec<&str> = match command {
            "import" => vec!["import", "--format", "samhsa", path],
            other => vec![other, path],
        };
        let out = run(&args);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{name} is accepted: {stderr}");
        for w in words {
            assert!(
                stderr.contains(w),
                "{name}: the refusal does not say {w:?}: {stderr}"
            );
        }
        for w in RUST_WORDS {
            assert!(
                !stderr
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|t| t == *w),
                "{name}: the refusal speaks Rust ({w}): {stderr}"
            );
        }
        assert!(
            !stderr.contains(&"x".repeat(100)),
            "{name}: the refusal echoes a long value: {stderr}"
        );
    }
}

/// A fictional FHIR bundle of tests/data/fhir-patient/.
fn bundle(name: &str) -> String {
    format!(
        "{}/../tests/data/fhir-patient/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The fictional patient's identifying values in those bundles.
const PATIENT_DATA: &[&str] = &[
    "MRN-FICT-0001",
    "Quenby",
    "Fictionson",
    "Imaginary",
    "1990-04-12",
    "01999",
];

fn assert_nothing_identifying(out: &Output) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    for v in PATIENT_DATA {
        assert!(!all.contains(v), "{v:?} printed:\n{all}");
    }
}

#[test]
fn level_fhir_from_the_screens_says_so() {
    let codes = file(
        "codes.json",
        r#"{"observations": [
            {"system": "urn:example:site", "code": "cssrs-1", "reads": {"cssrs_yes": "wish_to_be_dead"}},
            {"system": "urn:example:site", "code": "cssrs-2", "reads": {"cssrs_yes": "suicidal_thoughts"}},
            {"system": "urn:example:site", "code": "cssrs-3", "reads": {"cssrs_yes": "thoughts_with_method"}}]}"#,
    );
    let b = bundle("25_resource_list_cssrs_questionnaire.json");
    let args = [
        "level",
        "--fhir",
        &b,
        "--record-as-of",
        "2026-06-01",
        "--codes",
        codes.to_str().unwrap(),
    ];
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Level: from the screening scores' suggestions alone"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Recommended level of care: residential"),
        "{stdout}"
    );
    assert!(
        stdout.contains("C-SSRS screener yes to question 3"),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("FHIR patient record: 3 resources"));
    assert_nothing_identifying(&out);
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let out = run(&json_args);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["level_from"], "screening_suggestion");
    assert_eq!(v["recommendation"]["level"], "residential");
    assert_nothing_identifying(&out);
    // Without the site's codes nothing suggests a rating: an error that says what to do.
    let out = run(&["level", "--fhir", &b, "--record-as-of", "2026-06-01"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("rate the assessment"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn level_fhir_with_an_assessment_shows_suggestions_unapplied() {
    let a = file(
        "assessment-fhir.json",
        r#"{"ratings": {"risk_of_harm": 1, "functional_status": 2, "comorbidity": 2, "stress": 2,
            "support": 2, "treatment_history": 2, "engagement": 2}}"#,
    );
    let b = bundle("10_phq9_total_as_string.json");
    let out = run(&[
        "level",
        a.to_str().unwrap(),
        "--fhir",
        &b,
        "--record-as-of",
        "2026-06-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Level: from the assessment given"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Recommended level of care: outpatient"),
        "{stdout}"
    );
    assert!(
        stdout.contains("risk of harm rated 3: PHQ-9 item 9 scored 2"),
        "{stdout}"
    );
    assert!(stdout.contains("the assessment rates it 1"), "{stdout}");
    assert_nothing_identifying(&out);
}

#[test]
fn rank_fhir_takes_level_and_payer() {
    let b = bundle("09_no_coverage.json");
    let out = run(&[
        "rank",
        "--fhir",
        &b,
        "--record-as-of",
        "2026-06-01",
        "--level",
        "intensive_outpatient",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("pass --payer"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&[
        "rank",
        "--fhir",
        &b,
        "--record-as-of",
        "2026-06-01",
        "--level",
        "intensive_outpatient",
        "--payer",
        "masshealth",
        "--top",
        "2",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["level_from"], "level_flag");
    assert_eq!(v["record"]["age"], 36);
    assert!(v["matches"].as_array().is_some_and(|m| !m.is_empty()));
    assert_nothing_identifying(&out);
    // From the screens when neither --level nor --assessment is given.
    let b = bundle("24_site_codes_ciwa_cows.json");
    let out = run(&[
        "rank",
        "--fhir",
        &b,
        "--record-as-of",
        "2026-06-01",
        "--payer",
        "masshealth",
        "--ciwa",
        "12",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Level: from the screening scores' suggestions alone"),
        "{stdout}"
    );
    assert!(
        stdout.contains("withdrawal risk rated mild: CIWA-Ar total 12"),
        "{stdout}"
    );
}
