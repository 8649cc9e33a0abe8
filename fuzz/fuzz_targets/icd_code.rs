//! ICD-10-CM codes: an error quoting the input, or a code that prints back
//! to text read as the same code, with a condition lookup that does not panic.
#![no_main]

use carematch::{ErrorKind, IcdCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match text.parse::<IcdCode>() {
        Ok(code) => {
            let printed = code.to_string();
            assert_eq!(
                printed.parse::<IcdCode>().as_ref(),
                Ok(&code),
                "`{text}` printed as `{printed}`"
            );
            let _ = code.condition();
        }
        Err(e) if e.kind() == ErrorKind::Parse => assert_eq!(e.input(), Some(text)),
        Err(other) => panic!("`{text}`: not a parse error: {other:?}"),
    }
});
