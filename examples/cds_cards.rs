//! The CDS Hooks cards carematch would show in an EHR for the fictional
//! sample patients: `cargo run --example cds_cards`.
//!
//! Prints each patient's cards as text (indicator and summary), then the
//! first patient's response as the JSON a CDS client receives.

use carematch::cds::{self, CardOptions};
use carematch::matching::{MatchOptions, Weights};
use carematch::{Directory, LevelPolicy, sample};

fn main() -> Result<(), carematch::Error> {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    let options = CardOptions::new().with_page_url("http://127.0.0.1:3000/");
    let mut first = None;
    for patient in sample::patients() {
        let rec = LevelPolicy::default().recommend(&patient.assessment);
        let q = dir.query_for(&patient.needs, &rec, MatchOptions::new(sample::AS_OF))?;
        let ranking = dir.rank(&q, &Weights::default(), 3);
        let response = cds::cards(&ranking, Some(&rec), &options);
        println!("{} (fictional):\n{response}", patient.label);
        first.get_or_insert(response);
    }
    if let Some(response) = first {
        let json = serde_json::to_string_pretty(&response).expect("cards serialize");
        println!("{json}");
    }
    Ok(())
}
