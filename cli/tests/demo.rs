//! The demo, run as the README says (`cargo run --release --example demo`): the
//! main job on the embedded sample.

use std::process::Command;

#[test]
fn the_demo_runs_the_main_job_for_three_patients() {
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
    assert_eq!(tables, 3, "one ranked table per patient\n{text}");
    assert!(text.contains("wor-lanternfly-evening-iop"));
    assert!(
        text.contains("Placing a queue of ")
            && text.contains("referrals placed (optimal by priority tier"),
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
