//! The lenient patient reader: never a panic; strict JSON reads the same
//! with no notes (but for the spelling of a commercial plan it knows; see
//! FUZZING.md, finding E); what it accepts prints to JSON the strict reader
//! takes.
#![no_main]

use carematch::{PatientNeeds, Payer, vocabulary::Resolvable};
use libfuzzer_sys::fuzz_target;

/// The needs with a commercial plan spelt as the vocabulary spells it.
fn plan_spelt_canonically(mut n: PatientNeeds) -> PatientNeeds {
    if let Payer::Commercial(_) = n.payer
        && let Ok(r) = Payer::resolve(&n.payer.to_string())
    {
        n.payer = r.value;
    }
    n
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = carematch::vocabulary::patient_from_json_lenient(text);
    if let Ok(strict) = carematch::patient_from_json(text) {
        let lenient = lenient.map(|(n, notes)| (plan_spelt_canonically(n), notes));
        let strict = plan_spelt_canonically(strict);
        let (values, notes) = lenient.expect("strict JSON reads leniently");
        assert_eq!(values, strict, "strict JSON read leniently");
        // The only notes strict JSON may draw: a well-formed language code
        // the vocabulary does not list, kept as written, and a known
        // commercial plan read under its own spelling.
        for n in &notes {
            let kept =
                n.how == carematch::vocabulary::MatchKind::AsWritten && n.became == n.written;
            let plan = n.family == carematch::vocabulary::TermFamily::Payer
                && n.became.starts_with("commercial:");
            assert!(kept || plan, "strict JSON drew a note: {n}");
        }
        return;
    }
    match lenient {
        Ok((needs, notes)) => {
            for n in &notes {
                let _ = n.to_string();
            }
            let _ = needs.validate().to_string();
            let json = serde_json::to_string(&needs).expect("needs serialize");
            let again = carematch::patient_from_json(&json).expect("canonical JSON reads strictly");
            assert_eq!(again, needs);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
