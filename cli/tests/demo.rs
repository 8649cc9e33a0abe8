//! The demo, run as the README says (`cargo run --release --example demo`): the
//! main job on the embedded sample.

use std::process::Command;

#[test]
fn the_demo_runs_the_main_job_for_three_patients_and_shows_disorder_specific_evidence() {
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .output()
        .expect("the demo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FICTIONAL DATA"), "{text}");
    assert!(text.contains("988"), "the crisis line is printed");
    for n in 1..=3 {
        assert!(
            text.contains(&format!("Patient {n}: ")),
            "patient {n} missing"
        );
    }
    assert_eq!(text.matches("Recommended level of care: ").count(), 3);
    let tables = text
        .lines()
        .filter(|l| l.starts_with("Top ") && l.contains(" eligible "))
        .count();
    assert_eq!(
        tables, 4,
        "one ranked table per patient, and the OCD patient's\n{text}"
    );
    // The fourth patient shows the disorder-specific evidence: the ERP
    // program leads, and plain CBT is credited half, with the reason why.
    let ocd = text
        .split("Patient 4")
        .nth(1)
        .expect("the OCD patient is shown");
    let first = ocd
        .lines()
        .find(|l| l.trim_start().starts_with("1. "))
        .expect("a first match");
    assert!(first.contains("fra-kettlepond-evening-iop"), "{first}");
    assert!(
        ocd.contains("cognitive behavioral therapy (CBT) without exposure and response prevention (ERP): partial (half) credit"),
        "{ocd}"
    );
    assert!(text.contains("wor-lanternfly-evening-iop"));
    assert!(
        text.contains("Placing a queue of ") && text.contains(" held (optimal by priority tier"),
        "the queue step runs\n{text}"
    );
    assert!(text.contains(" excluded"), "exclusion counts by reason");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("! ")),
        "at least one alert is shown\n{text}"
    );
    assert!(
        text.contains("step-down"),
        "the teenager's step-down rule is shown"
    );
}
