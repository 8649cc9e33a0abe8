//! The strict patient reader: an error, or needs that validate without a
//! panic and print back to JSON read as the same needs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match carematch::patient_from_json(text) {
        Ok(needs) => {
            let _ = needs.validate().to_string();
            let json = serde_json::to_string(&needs).expect("needs serialize");
            let again = carematch::patient_from_json(&json).expect("printed needs read back");
            assert_eq!(again, needs, "printed as {json}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
