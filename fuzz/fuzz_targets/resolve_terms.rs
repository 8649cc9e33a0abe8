//! Free-text resolution in every term family: never a panic; a resolved
//! term's key resolves to the same term (exactly, or as written again); an
//! error names its family and quotes the input.
#![no_main]

use carematch::vocabulary::{MatchKind, TermFamily};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for family in TermFamily::ALL {
        match family.resolve(text) {
            Ok(r) => {
                assert!(
                    r.confidence > 0.0 && r.confidence <= 1.0,
                    "{family:?} {text:?}: {}",
                    r.confidence
                );
                // A key reads back exactly as itself; a well-formed language
                // code kept as written is kept as written again.
                let again = family.resolve(&r.value.key).expect("a key resolves");
                let kind = if r.how == MatchKind::AsWritten {
                    MatchKind::AsWritten
                } else {
                    MatchKind::Exact
                };
                assert_eq!(again.how, kind, "{family:?}: key {:?}", r.value.key);
                assert_eq!(again.value, r.value, "{family:?}: key {:?}", r.value.key);
            }
            Err(e) => {
                assert_eq!(e.family(), *family);
                assert_eq!(e.input(), text);
                let _ = e.to_string();
            }
        }
    }
});
