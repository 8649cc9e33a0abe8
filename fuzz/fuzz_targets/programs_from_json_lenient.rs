//! The lenient directory reader: never a panic; on a document the strict
//! reader accepts it changes nothing and says nothing; every note names a
//! term that was rewritten; whatever it returns, the strict reader reads
//! back once printed with canonical keys.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = carematch::programs_from_json_lenient(text);
    if let Ok(strict) = carematch::programs_from_json(text) {
        assert_eq!(
            lenient,
            Ok((strict, Vec::new())),
            "strict JSON read leniently"
        );
        return;
    }
    match lenient {
        Ok((programs, notes)) => {
            for n in &notes {
                assert!(n.path.starts_with("programs["), "{n}");
                assert!(n.confidence > 0.0 && n.confidence <= 1.0, "{n}");
                let _ = n.to_string();
            }
            let json = serde_json::json!({ "programs": programs }).to_string();
            let again =
                carematch::programs_from_json(&json).expect("canonical JSON reads strictly");
            assert_eq!(again, programs);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
