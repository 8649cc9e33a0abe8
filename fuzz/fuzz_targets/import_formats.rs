//! Importers: for any text, each format gives an error or programs and a
//! report; every record is a program or a refusal, the programs validate,
//! and the directory written from them reads back.
#![no_main]

use carematch::import::{Format, ImportOptions, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = ImportOptions::new(carematch::sample::AS_OF);
    for format in Format::ALL {
        match import(*format, text, &options) {
            Ok(out) => {
                let r = &out.report;
                assert_eq!(r.programs, out.programs.len());
                assert!(out.programs.len() + r.refused.len() >= r.records, "{r}");
                let v = carematch::validate_programs(&out.programs, carematch::sample::AS_OF);
                assert!(!v.has_errors(), "{v}");
                let _ = r.to_string();
                let _ = serde_json::to_string(r).expect("reports serialize");
                let json = serde_json::to_string(&serde_json::json!({"programs": out.programs}))
                    .expect("programs serialize");
                let back =
                    carematch::programs_from_json(&json).expect("imported programs read back");
                assert_eq!(back.len(), out.programs.len());
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
