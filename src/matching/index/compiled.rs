//! The compiled query: one patient's query in the rows' terms (interned
//! payer and language ids, level and delivery bits), with one rule per
//! filter that both the eligibility test (reading a program's rows) and the
//! tallies (reading the values programs share) call, so the programs a
//! ranking skips are counted exactly as the ones it reads.

use crate::matching::facts::{Side, Travel};
use crate::matching::index::partition::{
    EARTH_RADIUS_MILES, PayerColumn, PayerKey, Tally, cell_bounds,
};
use crate::matching::index::rows::{
    ACCEPTING, FULL, MOUD, OTP_ACCESS, PAYERS_UNLISTED, Rows, SELF_FUNDED, STAFF_UNLISTED,
    TELEHEALTH,
};
use crate::matching::index::screens::ScreenQuery;
use crate::matching::query::Query;
use crate::{
    level::LevelOfCare,
    program::{Delivery, GeoPoint},
    therapy::MoudMedication,
};

/// Interned payer ids: those below 64 as bits (a row's `payer_mask`), the
/// others listed (looked for in a row's ids).
pub(crate) struct PayerIds {
    low: u64,
    high: Vec<u32>,
}

impl PayerIds {
    fn new(rows: &Rows, payers: &[crate::Payer]) -> PayerIds {
        let ids: Vec<u32> = payers
            .iter()
            .filter_map(|p| rows.payers.get(&p.key()).copied())
            .collect();
        PayerIds {
            low: ids
                .iter()
                .filter(|id| **id < 64)
                .fold(0, |m, id| m | 1 << id),
            high: ids.into_iter().filter(|id| *id >= 64).collect(),
        }
    }

    /// Whether a program with payer bits `mask` and interned ids `listed`
    /// (ascending; read only when an id of 64 or more is looked for) lists one.
    #[inline]
    fn any_in<'l>(&self, mask: u64, listed: &impl Fn() -> &'l [u32]) -> bool {
        mask & self.low != 0 || {
            !self.high.is_empty() && {
                let listed = listed();
                self.high.iter().any(|id| listed.binary_search(id).is_ok())
            }
        }
    }
}

/// The query's facts in the directory's terms (interned ids).
pub(crate) struct CompiledQuery<'a> {
    pub(super) query: &'a Query,
    pub(super) level_bit: u8,
    pub(super) alternatives: &'a [LevelOfCare],
    pub(super) age: u8,
    pub(super) population_bits: u64,
    /// The interned ids of the payers that accept the patient's payer
    /// (`Payer::accepted_under`, as the plain path reads it).
    pub(super) payers: PayerIds,
    /// Those and the ones that leave it unconfirmed
    /// (`Payer::unconfirmed_under`): the eligibility filter's one set.
    pub(super) eligible_payers: PayerIds,
    /// Those that leave it unconfirmed alone.
    pub(super) unconfirmed: PayerIds,
    pub(super) allow_self_pay: bool,
    pub(super) allow_waitlist: bool,
    pub(super) exclude_full: bool,
    pub(super) language: Option<u16>,
    pub(super) condition_bits: u64,
    pub(super) delivery_ok: u8,
    /// Deliveries that meet in person and the patient accepts.
    pub(super) in_person_ok: u8,
    pub(super) accepts_telehealth: bool,
    pub(super) location: Option<GeoPoint>,
    pub(super) max_miles: Option<f64>,
    /// Bounds that decide most programs' travel filter without the
    /// haversine; `None` when there is no location or no usable limit.
    pub(super) reach: Option<Reach>,
    pub(super) as_of_days: i32,
}

/// One rule per filter, read by the eligibility test (from a program's
/// rows) and by the tallies (from the values programs share), so the
/// programs a ranking skips are counted exactly as the ones it reads.
impl CompiledQuery<'_> {
    pub(super) fn age_fails(&self, min: u8, max: u8) -> bool {
        self.age < min || self.age > max
    }

    pub(super) fn population_fails(&self, restricted: u16) -> bool {
        restricted != 0 && u64::from(restricted) & self.population_bits == 0
    }

    /// `listed`: the program's interned payer ids, ascending (only those of
    /// 64 and above are looked for in it).
    #[inline]
    pub(super) fn payer_fails<'l>(
        &self,
        mask: u64,
        flags: u8,
        unlisted: u8,
        listed: impl Fn() -> &'l [u32],
    ) -> bool {
        let ok = self.eligible_payers.any_in(mask, &listed)
            || (self.allow_self_pay && flags & SELF_FUNDED != 0)
            || unlisted & PAYERS_UNLISTED != 0;
        !ok
    }

    /// How many programs the payer tally counts fail
    /// [`CompiledQuery::payer_fails`]: one pass over the tally's column,
    /// the ids listed beyond the bits read only for keys that list some.
    pub(super) fn payers_failing(&self, tally: &Tally<PayerKey>, column: &PayerColumn) -> usize {
        let low = self.eligible_payers.low;
        let pass = PayerColumn::UNLISTED
            | if self.allow_self_pay {
                PayerColumn::SELF_FUNDED
            } else {
                0
            };
        // Two passes, so the first has no branch on the data (half the
        // keys fail, at random) and vectorizes: the keys failing by their
        // bits, then the few listing ids beyond the bits, decided in full.
        let skip = pass | PayerColumn::HIGH;
        let by_bits: u64 = (column.masks.iter().zip(&column.flags))
            .zip(tally.counts())
            .map(|((mask, flags), n)| {
                u64::from((mask & low == 0) & (flags & skip == 0)) * u64::from(*n)
            })
            .sum();
        let mut failing = by_bits as usize;
        if column.high == 0 {
            return failing;
        }
        for (j, flags) in column.flags.iter().enumerate() {
            if flags & PayerColumn::HIGH != 0 {
                let k = tally.key(j);
                let sf = if k.self_funded { SELF_FUNDED } else { 0 };
                let unlisted = if k.unlisted { PAYERS_UNLISTED } else { 0 };
                if self.payer_fails(k.mask, sf, unlisted, || &k.high) {
                    failing += tally.counts()[j] as usize;
                }
            }
        }
        failing
    }

    /// Whether an eligible program's network is unconfirmed for the
    /// patient: its payers are listed, none accepts the patient's payer,
    /// and one leaves it unconfirmed (the plain path's rule in
    /// `plain::network_unconfirmed`).
    pub(super) fn network_unconfirmed<'l>(
        &self,
        mask: u64,
        unlisted: u8,
        listed: impl Fn() -> &'l [u32],
    ) -> bool {
        unlisted & PAYERS_UNLISTED == 0
            && !self.payers.any_in(mask, &listed)
            && self.unconfirmed.any_in(mask, &listed)
    }

    /// For a program without interpreters; `listed`: its interned language
    /// ids, ascending (only those of 32 and above are looked for in it).
    pub(super) fn language_fails<'l>(&self, mask: u32, listed: impl FnOnce() -> &'l [u16]) -> bool {
        let ok = match self.language {
            Some(id) if id < 32 => mask >> id & 1 == 1,
            Some(id) => listed().binary_search(&id).is_ok(),
            None => false,
        };
        !ok
    }

    pub(super) fn condition_fails(&self, excluded_cover: u32) -> bool {
        u64::from(excluded_cover) & self.condition_bits != 0
    }

    pub(super) fn delivery_fails(&self, delivery: u8) -> bool {
        delivery & self.delivery_ok == 0
    }

    /// Licensed in the patient's state, or the patient's state not given.
    pub(super) fn licensed(&self, states: u64) -> bool {
        self.query.patient_state.is_none_or(|bit| states & bit != 0)
    }

    /// Fully remote delivery offered and accepted.
    pub(super) fn remote_offered(&self, delivery: u8) -> bool {
        self.accepts_telehealth && delivery & TELEHEALTH != 0
    }

    pub(super) fn travel(&self, beyond: bool, delivery: u8, states: u64) -> Travel {
        Travel {
            beyond,
            remote_offered: self.remote_offered(delivery),
            licensed: self.licensed(states),
            in_person: self.in_person(delivery),
        }
    }

    /// Some delivery that meets in person, accepted by the patient.
    pub(super) fn in_person(&self, delivery: u8) -> bool {
        delivery & self.in_person_ok != 0
    }

    pub(super) fn not_accepting_fails(&self, flags: u8) -> bool {
        flags & ACCEPTING == 0 && !self.allow_waitlist
    }

    pub(super) fn full_fails(&self, flags: u8) -> bool {
        flags & FULL != 0 && self.exclude_full
    }

    /// Staff not listed: a prescriber may be there, so it never excludes,
    /// except for methadone, which only an OTP (or a program coordinating
    /// with one) keeps.
    pub(super) fn moud_fails(&self, flags: u8, unlisted: u8) -> bool {
        self.query.moud_required
            && if self
                .query
                .moud_medication
                .is_some_and(MoudMedication::needs_otp)
            {
                flags & OTP_ACCESS == 0
            } else {
                flags & MOUD == 0 && unlisted & STAFF_UNLISTED == 0
            }
    }

    /// A program admitting only `admits_cover` (not 0) as primary conditions
    /// fails a patient with a primary condition outside it.
    pub(super) fn admits_fails(&self, admits_cover: u32) -> bool {
        let primary = self.query.primary_bit;
        primary != 0 && u64::from(admits_cover) & primary == 0
    }
}

impl<'a> CompiledQuery<'a> {
    /// The query in the terms of the bit sets ([`Screens`](super::screens::Screens)),
    /// from the same rules: levels wanted ([`CompiledQuery::wanted_levels`]),
    /// payers ([`CompiledQuery::payer_fails`]), delivery
    /// ([`CompiledQuery::delivery_fails`]), age ([`CompiledQuery::age_fails`]),
    /// new patients ([`CompiledQuery::not_accepting_fails`]) and open places
    /// ([`CompiledQuery::full_fails`]); and the delivery that reaches the
    /// patient from anywhere ([`CompiledQuery::remote_offered`]).
    pub(super) fn screen_query(&self) -> ScreenQuery {
        ScreenQuery {
            levels: self.wanted_levels(),
            payers: self.eligible_payers.low,
            payers_beyond: !self.eligible_payers.high.is_empty(),
            self_pay: self.allow_self_pay,
            delivery: self.delivery_ok,
            age: self.age,
            waitlist: self.allow_waitlist,
            exclude_full: self.exclude_full,
            remote: if self.accepts_telehealth {
                TELEHEALTH
            } else {
                0
            },
        }
    }

    /// The levels a program must offer one of (bits): the level wanted and
    /// the adjacent levels asked for.
    pub(super) fn wanted_levels(&self) -> u8 {
        self.alternatives
            .iter()
            .fold(self.level_bit, |m, l| m | l.bit() as u8)
    }

    pub(super) fn new(rows: &Rows, q: &'a Query) -> CompiledQuery<'a> {
        let n = &q.needs;
        CompiledQuery {
            query: q,
            level_bit: q.level.bit() as u8,
            alternatives: &q.alternative_levels,
            age: n.age,
            population_bits: q.population_bits,
            payers: PayerIds::new(rows, &n.payer.accepted_under()),
            eligible_payers: PayerIds::new(
                rows,
                &[n.payer.accepted_under(), n.payer.unconfirmed_under()].concat(),
            ),
            unconfirmed: PayerIds::new(rows, &n.payer.unconfirmed_under()),
            allow_self_pay: q.options.self_pay_allowed(),
            allow_waitlist: q.options.waitlist_allowed(),
            exclude_full: q.options.full_excluded(),
            language: rows.languages.get(&n.language).copied(),
            condition_bits: q.condition_bits,
            delivery_ok: Delivery::mask_of(Delivery::ALL.iter().filter(|x| n.delivery.accepts(**x)))
                as u8,
            in_person_ok: Delivery::mask_of(
                Delivery::ALL
                    .iter()
                    .filter(|x| x.meets_in_person() && n.delivery.accepts(**x)),
            ) as u8,
            accepts_telehealth: n.delivery.accepts_telehealth(),
            location: n.location,
            max_miles: n.max_travel_miles,
            reach: n
                .location
                .zip(n.max_travel_miles)
                .and_then(|(at, max)| Reach::new(at, max)),
            as_of_days: q.options.as_of().days_since_epoch(),
        }
    }
}

/// Relative and absolute slack around the haversine's threshold. The bounds
/// below and the haversine itself each round by about 1e-15 relative; a
/// program this close to the limit is left to the haversine.
const REACH_SLACK_REL: f64 = 1e-9;
const REACH_SLACK_ABS: f64 = 1e-18;

/// Whether a program is beyond the patient's travel limit, decided for
/// most programs by multiplications alone, so the haversine (four
/// trigonometric functions and an arcsine, most of a located ranking's
/// time before this) runs only for programs within a hair of the limit.
///
/// [`GeoPoint::miles_to`] is `2 R asin(sqrt(a))` with
/// `a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)`, and a program is beyond
/// when that exceeds the limit `m`, that is when `a > sin²(m / 2R)` (asin
/// and the square root are increasing). For `x` in `[0, π/2]`,
/// `x - x³/6 ≤ sin x ≤ x`, and `cos φ2` lies between the cosines at the
/// ends of the latitude band a program can be in once the distance along
/// the meridian has not ruled it out. So `a` has a lower and an upper
/// bound from the coordinates alone: a lower bound above the threshold
/// (with slack) is beyond for certain, an upper bound below it is within
/// for certain, and only the rest are measured. The slack is far above
/// the rounding of either side, so the decision is the haversine's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    center: GeoPoint,
    /// `cos φ1` of the patient's latitude.
    cos_lat: f64,
    /// Bounds of `cos φ2` over the band of latitudes within the limit.
    cos_min: f64,
    cos_max: f64,
    /// Beyond for certain above this value of `a`; within below `within`.
    beyond: f64,
    within: f64,
}

impl Reach {
    /// The bounds for a patient at `center` with a travel limit of `max`
    /// miles; `None` when the limit reaches halfway round the earth or is
    /// not a finite number of miles at least 0 (every program measured).
    pub(crate) fn new(center: GeoPoint, max: f64) -> Option<Reach> {
        let half = max / (2.0 * EARTH_RADIUS_MILES);
        if center.problem().is_some() || !(0.0..1.5).contains(&half) {
            return None;
        }
        let threshold = half.sin().powi(2);
        // The latitudes a program can have once the distance along the
        // meridian (checked first, with 0.01 miles of margin) has not put it
        // beyond: within (max + 0.02) / R radians of the patient's.
        let band = ((max + 0.02) / EARTH_RADIUS_MILES).to_degrees();
        let lat = center.latitude.abs();
        let (near, far) = ((lat - band).max(0.0), (lat + band).min(90.0));
        Some(Reach {
            center,
            cos_lat: center.latitude.to_radians().cos(),
            // With slack for the cosine's own rounding.
            cos_min: (far.to_radians().cos() - 1e-12).max(0.0),
            cos_max: (near.to_radians().cos() + 1e-12).min(1.0),
            beyond: threshold * (1.0 + REACH_SLACK_REL) + REACH_SLACK_ABS,
            within: threshold * (1.0 - REACH_SLACK_REL) - REACH_SLACK_ABS,
        })
    }

    /// `Some(beyond)` when the bounds decide it for a program at `lat`,
    /// `lon` (degrees, within the latitude band: the caller has checked the
    /// distance along the meridian); `None` when only the haversine can.
    #[inline]
    pub(crate) fn decide(&self, lat: f64, lon: f64) -> Option<bool> {
        // Half the angles, in radians.
        const HALF_RADIANS: f64 = std::f64::consts::PI / 360.0;
        let dlat = (lat - self.center.latitude).abs() * HALF_RADIANS;
        // Validated longitudes are within 360 degrees of each other.
        let mut w = (lon - self.center.longitude).abs();
        if w > 180.0 {
            w = (360.0 - w).abs();
        }
        let dlon = w * HALF_RADIANS;
        self.side((dlat, dlon), (dlat, dlon), (self.cos_min, self.cos_max))
    }

    /// The one rule both decisions use. `near` and `far`: the least and
    /// greatest (half latitude, half longitude) differences, in radians;
    /// `cos`: the least and greatest cosine of the program's latitude.
    /// `Some(true)` when the lower bound of the haversine's term is beyond
    /// the limit, `Some(false)` when its upper bound is within.
    #[inline]
    fn side(&self, near: (f64, f64), far: (f64, f64), cos: (f64, f64)) -> Option<bool> {
        // x - x³/6 ≤ sin x ≤ x for x in [0, π/2].
        let low = |x: f64| (x - x * x * x / 6.0).max(0.0);
        let lo = low(near.0).powi(2) + self.cos_lat * cos.0 * low(near.1).powi(2);
        if lo > self.beyond {
            return Some(true);
        }
        let hi = far.0 * far.0 + self.cos_lat * cos.1 * far.1 * far.1;
        if hi < self.within {
            return Some(false);
        }
        None
    }
}

impl Reach {
    /// What the bounds decide for every program of the grid cell `cell`
    /// at once: within when the farthest any of its points can be is
    /// within, beyond when the nearest is beyond; otherwise each is measured.
    pub(crate) fn decide_cell(&self, cell: (u16, u16)) -> Side {
        let ((south, north), (west, east)) = cell_bounds(cell);
        let (lat, lon) = (self.center.latitude, self.center.longitude);
        // Latitude differences: nearest and farthest.
        let dlat_far = (south - lat).abs().max((north - lat).abs());
        let dlat_near = if (south..=north).contains(&lat) {
            0.0
        } else {
            (south - lat).abs().min((north - lat).abs())
        };
        // Longitude differences round the globe (0 to 180 degrees); the
        // distance is piecewise linear in the longitude, bending only at 0
        // and 180, so its extremes are at the cell's edges or those bends.
        let wrap = |x: f64| {
            let w = (x - lon).abs() % 360.0;
            if w > 180.0 { 360.0 - w } else { w }
        };
        let holds = |target: f64| {
            [target - 360.0, target, target + 360.0]
                .iter()
                .any(|t| (west..=east).contains(t))
        };
        let (ew, ee) = (wrap(west), wrap(east));
        let dlon_near = if holds(lon) { 0.0 } else { ew.min(ee) };
        let dlon_far = if holds(lon + 180.0) {
            180.0
        } else {
            ew.max(ee)
        };
        // cos φ2 over the cell's latitudes.
        let (a, b) = (south.abs(), north.abs());
        let nearest_equator = if south <= 0.0 && north >= 0.0 {
            0.0
        } else {
            a.min(b)
        };
        let cos_max = (nearest_equator.to_radians().cos() + 1e-12).min(1.0);
        let cos_min = (a.max(b).to_radians().cos() - 1e-12).max(0.0);
        let half = |deg: f64| deg.to_radians() / 2.0;
        match self.side(
            (half(dlat_near), half(dlon_near)),
            (half(dlat_far), half(dlon_far)),
            (cos_min, cos_max),
        ) {
            Some(true) => Side::Beyond,
            Some(false) => Side::Within,
            None => Side::Measure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The bounds never decide otherwise than the haversine.
        #[test]
        fn reach_decides_as_the_haversine(
            lat in -89.9f64..89.9,
            lon in -180.0f64..180.0,
            dlat in -1.0f64..1.0,
            dlon in -2.0f64..2.0,
            max in 0.0f64..60.0,
        ) {
            let center = GeoPoint { latitude: lat, longitude: lon };
            let Some(reach) = Reach::new(center, max) else { return Ok(()) };
            let p = GeoPoint {
                latitude: (lat + dlat).clamp(-90.0, 90.0),
                longitude: ((lon + dlon + 540.0) % 360.0) - 180.0,
            };
            let along = (p.latitude - lat).abs().to_radians() * EARTH_RADIUS_MILES;
            prop_assume!(along <= max + 0.01);
            if let Some(beyond) = reach.decide(p.latitude, p.longitude) {
                prop_assert_eq!(beyond, center.miles_to(p) > max, "{:?} {}", p, center.miles_to(p));
            }
        }
    }

    proptest! {
        /// Near the limit itself (a point placed by bearing at the limit,
        /// give or take a millionth), the bounds leave the decision to the
        /// haversine or make the same one.
        #[test]
        fn reach_decides_as_the_haversine_at_the_edge(
            lat in -80.0f64..80.0,
            lon in -180.0f64..180.0,
            bearing in 0.0f64..std::f64::consts::TAU,
            max in 0.5f64..60.0,
            off in -1e-6f64..1e-6,
        ) {
            let center = GeoPoint { latitude: lat, longitude: lon };
            let Some(reach) = Reach::new(center, max) else { return Ok(()) };
            let delta = max * (1.0 + off) / EARTH_RADIUS_MILES;
            let (la1, lo1) = (lat.to_radians(), lon.to_radians());
            let la2 = (la1.sin() * delta.cos() + la1.cos() * delta.sin() * bearing.cos()).asin();
            let lo2 = lo1
                + (bearing.sin() * delta.sin() * la1.cos()).atan2(delta.cos() - la1.sin() * la2.sin());
            let p = GeoPoint {
                latitude: la2.to_degrees(),
                longitude: ((lo2.to_degrees() + 540.0) % 360.0) - 180.0,
            };
            if let Some(beyond) = reach.decide(p.latitude, p.longitude) {
                prop_assert_eq!(beyond, center.miles_to(p) > max);
            }
        }
    }

    #[test]
    fn reach_decides_most_programs_and_leaves_the_edge_to_the_haversine() {
        let center = GeoPoint {
            latitude: 42.36,
            longitude: -71.06,
        };
        let reach = Reach::new(center, 20.0).expect("a usable limit");
        // Due east and north, well inside and well beyond.
        assert_eq!(reach.decide(42.36, -70.9), Some(false));
        assert_eq!(reach.decide(42.5, -71.06), Some(false));
        assert_eq!(reach.decide(42.36, -70.5), Some(true));
        // A point the haversine puts at the limit itself is left to it.
        let east = (20.0 / (EARTH_RADIUS_MILES * 42.36f64.to_radians().cos())).to_degrees();
        assert_eq!(reach.decide(42.36, -71.06 + east), None);
        // Limits that reach halfway round the earth, or are not miles, are not bounded.
        assert!(Reach::new(center, 13_000.0).is_none());
        assert!(Reach::new(center, f64::NAN).is_none());
        assert!(Reach::new(center, -1.0).is_none());
    }
}
