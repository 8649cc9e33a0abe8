//! Evidence tables from JSON: an error, or a table a directory ranks with.
#![no_main]

use std::sync::OnceLock;

use carematch::{
    Directory,
    matching::{EvidenceTable, MatchOptions, Weights},
    sample,
};
use libfuzzer_sys::fuzz_target;

fn directory() -> &'static Directory {
    static D: OnceLock<Directory> = OnceLock::new();
    D.get_or_init(|| {
        Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(table) = serde_json::from_slice::<EvidenceTable>(data) else {
        return;
    };
    let json = serde_json::to_string(&table).expect("tables serialize");
    let again: EvidenceTable = serde_json::from_str(&json).expect("printed table reads back");
    assert_eq!(again, table);
    let directory = directory().clone().with_evidence(table);
    for p in sample::patients() {
        if let Ok(q) = directory.query(
            &p.needs,
            p.needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        ) {
            let r = directory.rank(&q, &Weights::default(), 3);
            for m in &r.matches {
                assert!((0.0..=1.0).contains(&m.score), "{}", m.score);
            }
        }
    }
});
