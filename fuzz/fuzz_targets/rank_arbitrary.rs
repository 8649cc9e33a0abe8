//! Structured ranking: a synthetic directory of 1 to 24 programs and a
//! synthetic patient, both from seeds, moved anywhere on the globe (poles,
//! the antimeridian and near-antipodal pairs included), with arbitrary
//! weights, k and options; then the same oracle as `rank_json`:
//! `Directory::rank` equals `rank_plain`, scores in [0, 1] adding up from
//! their criteria, matches sorted, every program counted once.
#![no_main]

use arbitrary::Arbitrary;
use carematch::{
    Directory, GeoPoint,
    matching::{Criterion, MatchOptions, Weights},
    synthetic,
};
use libfuzzer_sys::fuzz_target;

mod oracle;

/// A coordinate: a special value (a pole, the antimeridian, just inside
/// them) or anywhere in range.
#[derive(Arbitrary, Debug)]
enum Coord {
    Special(u8),
    Anywhere(u32),
}

impl Coord {
    fn value(&self, limit: f64) -> f64 {
        match self {
            Coord::Special(i) => {
                let s = [limit, limit - 1e-7, limit - 1e-3, 0.0, 1e-9, 42.26, -71.8];
                let v = s[usize::from(*i) % s.len()];
                if i & 0x80 != 0 {
                    -v.min(limit)
                } else {
                    v.min(limit)
                }
            }
            Coord::Anywhere(x) => (f64::from(*x) / f64::from(u32::MAX) * 2.0 - 1.0) * limit,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    directory_seed: u64,
    programs: u8,
    patient_seed: u64,
    /// New places for the first programs.
    moves: Vec<(Coord, Coord)>,
    patient_at: Option<(Coord, Coord)>,
    max_travel_miles: Option<u16>,
    weights: [u8; 7],
    k: u8,
    alternatives: bool,
    waitlist: bool,
    self_pay: bool,
}

fuzz_target!(|input: Input| {
    let n = usize::from(input.programs % 24) + 1;
    let mut programs = synthetic::directory(n, input.directory_seed);
    for (p, (lat, lon)) in programs.iter_mut().zip(&input.moves) {
        p.location.latitude = lat.value(90.0);
        p.location.longitude = lon.value(180.0);
    }
    let Ok(directory) = Directory::new(programs, synthetic::AS_OF) else {
        return;
    };
    let Some(mut needs) = synthetic::patients(1, input.patient_seed).pop() else {
        return;
    };
    if let Some((lat, lon)) = &input.patient_at {
        let Ok(at) = GeoPoint::new(lat.value(90.0), lon.value(180.0)) else {
            return;
        };
        needs.location = Some(at);
    }
    if let Some(miles) = input.max_travel_miles {
        needs.max_travel_miles = Some(f64::from(miles));
    }
    let options = MatchOptions::new(synthetic::AS_OF)
        .with_alternatives_included(input.alternatives)
        .with_waitlist_allowed(input.waitlist)
        .with_self_pay_allowed(input.self_pay);
    let Some(level) = needs.level else {
        return;
    };
    let Ok(query) = directory.query(&needs, level, options) else {
        return;
    };
    let weights = Weights::new(
        Criterion::ALL
            .iter()
            .copied()
            .zip(input.weights.map(f64::from)),
    )
    .unwrap_or_default();
    let k = usize::from(input.k % 16);
    oracle::check_ranking(&directory, &query, &weights, k);
});
