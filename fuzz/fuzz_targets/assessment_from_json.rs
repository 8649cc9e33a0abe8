//! Assessments: an error, or one the default policy recommends on, whose
//! recommendation prints, and that reads back the same once printed.
#![no_main]

use carematch::LevelPolicy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match carematch::assessment_from_json(text) {
        Ok(assessment) => {
            let r = LevelPolicy::default().recommend(&assessment);
            let _ = r.to_string();
            let json = serde_json::to_string(&assessment).expect("assessments serialize");
            let again =
                carematch::assessment_from_json(&json).expect("printed assessment reads back");
            assert_eq!(again, assessment, "printed as {json}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
