//! The compiled query: one patient's query in the rows' terms (interned
//! payer and language ids, level and delivery bits), with one rule per
//! filter that both the eligibility test (reading a program's rows) and the
//! tallies (reading the values programs share) call, so the programs a
//! ranking skips are counted exactly as the ones it reads.

use crate::matching::facts::Travel;
use crate::matching::index::rows::{
    ACCEPTING, FULL, MOUD, OTP_ACCESS, PAYERS_UNLISTED, Rows, SELF_FUNDED, STAFF_UNLISTED,
    TELEHEALTH,
};
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
            in_person: delivery & self.in_person_ok != 0,
        }
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
            as_of_days: q.options.as_of().days_since_epoch(),
        }
    }
}
