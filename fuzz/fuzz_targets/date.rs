//! Dates: an error quoting the input, or a date that prints back to text
//! read as the same date, and whose day count maps back to it.
#![no_main]

use carematch::{Date, ErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match text.parse::<Date>() {
        Ok(date) => {
            let printed = date.to_string();
            assert_eq!(
                printed.parse::<Date>().as_ref(),
                Ok(&date),
                "`{text}` printed as `{printed}`"
            );
            let days = date.days_since_epoch();
            assert_eq!(Date::from_days_since_epoch(days), Some(date));
        }
        Err(e) if e.kind() == ErrorKind::Parse => assert_eq!(e.input(), Some(text)),
        Err(other) => panic!("`{text}`: not a parse error: {other:?}"),
    }
});
