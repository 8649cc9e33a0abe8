//! The strict directory reader on arbitrary text: an error or programs that
//! print back to JSON the reader takes as the same programs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match carematch::programs_from_json(text) {
        Ok(programs) => {
            let json = serde_json::json!({ "programs": programs }).to_string();
            let again = carematch::programs_from_json(&json).expect("printed programs read back");
            assert_eq!(again, programs, "printed as {json}");
            let _ = carematch::validate_programs(&programs, carematch::sample::AS_OF).to_string();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
