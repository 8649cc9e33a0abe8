//! Lenient reading and validation: whatever it accepts compiles.
#![no_main]

use carematch::{Directory, sample::AS_OF};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match carematch::vocabulary::load_directory_lenient(text, AS_OF) {
        Ok((programs, warnings, notes)) => {
            assert!(!warnings.has_errors());
            for n in &notes {
                let _ = n.to_string();
            }
            Directory::new(programs, AS_OF).expect("a loaded directory compiles");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
