//! The FHIR patient reader: any input gives an error or a record, never a
//! panic; a record's needs, screening and report print, and the suggested
//! assessment (when any) gets a recommendation.
#![no_main]

use carematch::record::{RecordOptions, read_bundle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(as_of) = carematch::Date::new(2026, 6, 1) else {
        return;
    };
    match read_bundle(text, &RecordOptions::new(as_of)) {
        Ok(out) => {
            let _ = out.report.to_string();
            let _ = out.record.to_string();
            let _ = serde_json::to_string(&out).expect("a record import serializes");
            if let Ok(needs) = out.needs(Some(carematch::Payer::SelfPay)) {
                let _ = needs.validate().to_string();
            }
            for r in &out.screening {
                let _ = r.to_string();
            }
            if let Some(a) = &out.suggested_assessment {
                let rec = carematch::LevelPolicy::default()
                    .recommend(a)
                    .with_suggestions(carematch::screening::suggestions(&out.screening));
                let _ = rec.to_string();
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
