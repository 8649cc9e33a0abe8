//! Reading and validating a directory, then compiling it: whatever
//! `load_directory` accepts, `Directory::new` accepts too.
#![no_main]

use carematch::{Directory, sample::AS_OF};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match carematch::load_directory(text, AS_OF) {
        Ok((programs, warnings)) => {
            assert!(!warnings.has_errors());
            let _ = warnings.to_string();
            let n = programs.len();
            let directory = Directory::new(programs, AS_OF).expect("a loaded directory compiles");
            assert_eq!(directory.len(), n);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
