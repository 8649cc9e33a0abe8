//! The lenient directory reader: never a panic; on a document the strict
//! reader accepts it says nothing and changes nothing but the spelling of a
//! commercial plan it knows (see FUZZING.md, finding E); every note has a
//! program's path; whatever it returns, the strict reader reads back once
//! printed with canonical keys.
#![no_main]

use carematch::{Payer, Program, vocabulary::Resolvable};
use libfuzzer_sys::fuzz_target;

/// The program with every commercial plan spelt as the vocabulary spells it
/// ("commercial: harvard pilgrim health care" is Harvard Pilgrim Health Care).
fn plans_spelt_canonically(mut p: Program) -> Program {
    for payer in &mut p.payers {
        if let Payer::Commercial(_) = payer
            && let Ok(r) = Payer::resolve(&payer.to_string())
        {
            *payer = r.value;
        }
    }
    p
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = carematch::vocabulary::programs_from_json_lenient(text);
    if let Ok(strict) = carematch::programs_from_json(text) {
        let strict: Vec<Program> = strict.into_iter().map(plans_spelt_canonically).collect();
        let lenient = lenient.map(|(ps, notes)| {
            let ps: Vec<Program> = ps.into_iter().map(plans_spelt_canonically).collect();
            (ps, notes)
        });
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
