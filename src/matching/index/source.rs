//! The compiled index as a producer of facts for one query: mask tests on
//! the hot rows, the haversine only when the travel limit needs it, the
//! partitions to read only the programs that can be eligible, and the
//! tallies to count the rest exactly.

use std::borrow::Cow;
use std::cell::RefCell;

use crate::matching::facts::{
    CriterionFacts, Eligibility, ExclusionKinds, FactSource, KindCounts, Placement, Plan, Side,
    TrackFacts, TrackSummary, Travel, best_track, schedule_conflict, schedule_judged,
};
use crate::matching::index::compiled::CompiledQuery;
use crate::matching::index::partition::{EARTH_RADIUS_MILES, Parts, Window, cell_of};
use crate::matching::index::rows::{
    ACCEPTING, ADMITS, HYBRID, INTERPRETER, MOUD, Rows, STAFF_UNLISTED, TELEHEALTH, WAIT_KNOWN,
    not_listed_bits, placed,
};
use crate::matching::index::screens::Screen;
use crate::matching::index::store::Store;
use crate::matching::query::{CheckSet, Query};
use crate::matching::words::ExclusionKind;
use crate::{
    level::LevelOfCare,
    program::{GeoPoint, Program},
};

/// The programs of a plan by place that are read, from its lists and the
/// bit sets ([`Screen`]): whatever the sets leave out of a list whose place
/// is decided is excluded with a known place reason, or none, so it is
/// counted unread.
struct Narrow<'s> {
    screen: Screen<'s>,
    /// The last word read: its index, the slots passing and the slots
    /// with remote delivery the patient accepts.
    word: (usize, u64, u64),
    /// The positions read, with what is known of their place.
    kept: Vec<(u32, Side)>,
    /// Left out with no place reason (so excluded by the filters the bit
    /// sets decide, which the tallies count).
    screened_out: usize,
    /// Left out beyond the limit, with no remote delivery the patient
    /// accepts: `too_far`, and no other place reason.
    beyond: usize,
}

impl<'s> Narrow<'s> {
    /// For lists of `listed` programs in all.
    fn new(screen: Screen<'s>, listed: usize) -> Narrow<'s> {
        Narrow {
            screen,
            word: (usize::MAX, 0, 0),
            kept: Vec::with_capacity(listed),
            screened_out: 0,
            beyond: 0,
        }
    }

    /// Whether slot `i` passes the sets, and whether it offers remote delivery the patient accepts.
    fn bits(&mut self, i: u32) -> (bool, bool) {
        let (w, b) = (i as usize / 64, i % 64);
        if self.word.0 != w {
            self.word = (w, self.screen.passing(w), self.screen.remote(w));
        }
        (self.word.1 >> b & 1 == 1, self.word.2 >> b & 1 == 1)
    }

    /// A list whose every program is within the limit, or reaches the
    /// patient by telehealth licensed where the patient is: a program
    /// without remote delivery the patient accepts has no place reason
    /// (`out_of_state_telehealth` needs it), so one failing the sets is
    /// left out; the rest are read, as within.
    fn within(&mut self, list: &[u32]) {
        for i in list {
            match self.bits(*i) {
                (false, false) => self.screened_out += 1,
                _ => self.kept.push((*i, Side::Within)),
            }
        }
    }

    /// A list whose every program is beyond the limit (their locations
    /// listed): one without remote delivery the patient accepts is too far
    /// and left out; the rest are read, as beyond.
    fn beyond(&mut self, list: &[u32]) {
        for i in list {
            match self.bits(*i) {
                (_, false) => self.beyond += 1,
                _ => self.kept.push((*i, Side::Beyond)),
            }
        }
    }

    /// A list of programs with remote delivery the patient accepts,
    /// licensed where the patient is: no place rule excludes them, so one
    /// failing the sets is left out; the rest are measured.
    fn licensed(&mut self, list: &[u32]) {
        for i in list {
            match self.bits(*i) {
                (false, _) => self.screened_out += 1,
                _ => self.kept.push((*i, Side::Measure)),
            }
        }
    }

    /// A list read in full.
    fn all(&mut self, list: &[u32], side: Side) {
        self.kept.extend(list.iter().map(|i| (*i, side)));
    }
}

/// Which programs a ranking reads: a knob for benchmarks and tests, which
/// compare the partitioned index with the full scan. Rankings are the same
/// whichever is chosen.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scan {
    /// The partitions, unless they would read most programs anyway.
    #[default]
    Auto,
    /// The partitions whenever the query allows them.
    #[cfg_attr(not(any(test, feature = "testing")), allow(dead_code))]
    Partitions,
    /// Every program, in order.
    Full,
}

/// The compiled index as a producer of facts for one query.
pub(crate) struct Index<'a> {
    rows: &'a Rows,
    parts: &'a Parts,
    programs: &'a Store,
    scan: Scan,
    cq: CompiledQuery<'a>,
    /// The facts of each shared run of tracks at the query's level, by
    /// where the run starts (with its length), once worked out: see
    /// [`Index::track_summary`].
    tracks_seen: RefCell<Vec<Option<(u16, TrackSummary)>>>,
}

/// The most shared tracks for which a ranking without a travel limit keeps
/// [`Index::tracks_seen`] (a larger table would cost more to make than it
/// saves).
const TRACKS_SEEN_MAX: usize = 4096;

impl<'a> Index<'a> {
    /// The index over a directory's rows, partitions and programs, for `q`.
    pub(crate) fn new(
        rows: &'a Rows,
        parts: &'a Parts,
        programs: &'a Store,
        scan: Scan,
        q: &'a Query,
    ) -> Index<'a> {
        Index {
            rows,
            parts,
            programs,
            scan,
            cq: CompiledQuery::new(rows, q),
            tracks_seen: RefCell::new(Vec::new()),
        }
    }
}

/// Margin, in miles, by which the distance along the meridian must exceed the
/// travel limit before the haversine is skipped. The haversine's rounding
/// error near antipodal points is about 1e-4 miles (the square root of the
/// rounding in `asin`'s argument, times the earth's diameter); 0.01 is
/// comfortably above it, so the shortcut never decides what the haversine
/// would decide otherwise.
const MERIDIAN_MARGIN_MILES: f64 = 0.01;

impl FactSource for Index<'_> {
    fn query(&self) -> &Query {
        self.cq.query
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    /// The program in slot `i`, decoded.
    fn program(&self, i: usize) -> Cow<'_, Program> {
        Cow::Owned(self.programs.get(self.rows.position(i)))
    }

    fn id_rank(&self, i: usize) -> u32 {
        self.rows.id_rank(i)
    }

    /// Mask tests on the hot row; the haversine only when the travel limit
    /// needs it (or `exact` asks for the miles).
    fn eligibility(&self, i: usize, exact: bool) -> Eligibility {
        self.eligibility_with(i, exact, false, Side::Measure)
    }

    /// Decides the outcome and the place filters exactly, stopping the
    /// other filters at the first that fails: their counts come from the
    /// tallies ([`FactSource::exclusion_counts`]).
    fn screen(&self, i: usize, side: Side) -> Eligibility {
        self.eligibility_with(i, false, true, side)
    }

    fn offers_evidence(&self, i: usize, c: usize) -> bool {
        let r = &self.rows.rows[i];
        let c = &self.cq.query.conditions[c];
        c.offers_first_line(c.hits(r.approaches, u64::from(r.modalities)))
    }

    /// From the bit sets of the levels offered.
    fn may_offer_level(&self, i: usize) -> bool {
        self.parts.screens.offers_level(i, self.cq.wanted_levels())
    }

    /// The hot row's levels and the states of the row that scoring reads:
    /// a screen's first two reads, far apart in memory.
    fn touch(&self, i: usize) -> u64 {
        u64::from(self.rows.hot[i].levels) ^ self.rows.rows[i].states
    }

    /// The programs that can be eligible. With a location and a travel
    /// limit: those in the grid cells the limit reaches, and (when the
    /// patient accepts telehealth) those with remote delivery licensed in
    /// the patient's state; otherwise those offering a level wanted.
    /// `None` (read every program in order) when that is most of them.
    fn plan(&self) -> Option<Plan<'_>> {
        let (d, cq) = (self.rows, &self.cq);
        if self.scan == Scan::Full {
            return None;
        }
        let parts = self.parts;
        let mut plan = Plan::default();
        match (cq.location, cq.max_miles) {
            (Some(at), Some(max)) => {
                let w = Window::around(at, max)?;
                let unplaced = cell_of(f64::NAN, f64::NAN);
                // A cell wholly inside or outside the limit is decided once.
                // Programs whose location is not listed are never beyond
                // a limit: the cell they are filed in is measured (a guard:
                // no window near the South Pole that tests tried decided
                // that cell beyond).
                plan.blocks.extend(parts.cells(&w).map(|(cell, list)| {
                    let side = match cq.reach.map_or(Side::Measure, |r| r.decide_cell(cell)) {
                        Side::Beyond if cell == unplaced => Side::Measure,
                        side => side,
                    };
                    (list, side)
                }));
                if cq.accepts_telehealth {
                    let list = parts.telehealth(cq.query.patient_state);
                    plan.extra = Vec::with_capacity(list.len());
                    plan.extra.extend(list.iter().copied().filter(|i| {
                        let i = *i as usize;
                        !w.contains(cell_of(d.hot[i].lat, d.rows[i].lon))
                    }));
                }
                let licensed = plan.extra.len();
                // Programs whose location is not listed are never beyond a
                // limit: every one is read. The grid files them in cell
                // (0, 0) (see `rows::placed_point`), the band the South
                // Pole's window reads; those the telehealth list gave are read already.
                if !w.contains(unplaced)
                    && let Some(pole) = Window::around(
                        GeoPoint {
                            latitude: -90.0,
                            longitude: -180.0,
                        },
                        0.0,
                    )
                {
                    let band: Vec<&[u32]> = parts.cells(&pole).map(|(_, list)| list).collect();
                    let listed_for_patient = |i: usize| {
                        cq.accepts_telehealth
                            && cq
                                .query
                                .patient_state
                                .is_none_or(|bit| d.rows[i].states & bit != 0)
                    };
                    plan.extra
                        .extend(band.iter().flat_map(|b| b.iter()).filter(|i| {
                            let i = **i as usize;
                            !placed(d.hot[i].lat) && !listed_for_patient(i)
                        }));
                }
                plan.by_place = true;
                let listed =
                    plan.blocks.iter().map(|(b, _)| b.len()).sum::<usize>() + plan.extra.len();
                // Reading a large share of the programs through the lists costs
                // about what reading every one in order does (a program failing
                // its level is screened out at once).
                // A third keeps the partitions for place and for rare levels.
                if self.scan == Scan::Auto && listed * 3 > d.len() {
                    return None;
                }
                // Unread: those on no list, and those the bit sets leave out.
                let mut narrow = Narrow::new(parts.screens.screen(&cq.screen_query()), listed);
                for (list, side) in &plan.blocks {
                    match side {
                        Side::Within => narrow.within(list),
                        Side::Beyond => narrow.beyond(list),
                        Side::Measure => narrow.all(list, Side::Measure),
                    }
                }
                narrow.licensed(&plan.extra[..licensed]);
                narrow.all(&plan.extra[licensed..], Side::Measure);
                plan.kept = Some(narrow.kept);
                plan.screened_out = narrow.screened_out;
                plan.unread = d.len() - listed + narrow.beyond;
                Some(plan)
            }
            _ => {
                let wanted = cq.wanted_levels();
                plan.blocks.extend(
                    parts
                        .by_levels()
                        .filter(|(m, _)| m & wanted != 0)
                        .map(|(_, b)| (b, Side::Measure)),
                );
                // Without a place, the bit sets narrow the programs read
                // to those passing the filters they decide, a word at a time.
                let passing = parts.screens.passing(&cq.screen_query());
                let read = passing
                    .iter()
                    .map(|w| w.count_ones() as usize)
                    .sum::<usize>();
                plan.passing = Some(passing);
                plan.unread = d.len() - read;
                Some(plan)
            }
        }
    }

    /// Every filter that does not depend on place is counted from the
    /// tallies, which count every program (the screen may have stopped at
    /// another); the place filters are counted from the programs screened,
    /// plus the unread ones: all of them beyond the limit (read by place),
    /// or none (read by level: no location or no limit, so nothing is beyond).
    fn exclusion_counts(&self, plan: Option<&Plan<'_>>, read: KindCounts) -> KindCounts {
        let (d, cq) = (self.rows, &self.cq);
        let t = &self.parts.tallies;
        fn total<'m, K: 'm>(
            map: impl IntoIterator<Item = (&'m K, &'m u32)>,
            fails: impl Fn(&K) -> bool,
        ) -> usize {
            map.into_iter()
                .filter(|(k, _)| fails(k))
                .map(|(_, n)| *n as usize)
                .sum()
        }
        let mut out = read;
        out.excluded += plan.map_or(0, |p| p.unread + p.screened_out);
        let wanted = cq.wanted_levels();
        let by_kind = &mut out.by_kind;
        by_kind[ExclusionKind::LevelNotOffered.index()] = self
            .parts
            .by_levels()
            .filter(|(m, _)| m & wanted == 0)
            .map(|(_, b)| b.len())
            .sum();
        by_kind[ExclusionKind::AgeOutOfRange.index()] =
            total(&t.ages, |(min, max)| cq.age_fails(*min, *max));
        by_kind[ExclusionKind::PopulationRestricted.index()] =
            total(&t.restricted, |r| cq.population_fails(*r));
        by_kind[ExclusionKind::PayerNotAccepted.index()] =
            cq.payers_failing(&t.payers, &t.payer_column);
        by_kind[ExclusionKind::LanguageNotOffered.index()] =
            total(&t.languages, |k| cq.language_fails(k.mask, || &k.high));
        by_kind[ExclusionKind::ConditionNotAccepted.index()] =
            total(&t.excluded, |c| cq.condition_fails(*c));
        by_kind[ExclusionKind::PrimaryConditionNotAdmitted.index()] =
            total(&t.admits, |c| cq.admits_fails(*c));
        by_kind[ExclusionKind::DeliveryNotAccepted.index()] =
            total(&t.delivery, |m| cq.delivery_fails(*m));
        by_kind[ExclusionKind::NotAcceptingNewPatients.index()] =
            total(&t.status, |(flags, _)| cq.not_accepting_fails(*flags));
        by_kind[ExclusionKind::Full.index()] = total(&t.status, |(flags, _)| cq.full_fails(*flags));
        by_kind[ExclusionKind::MoudNotAvailable.index()] = total(&t.status, |(flags, unlisted)| {
            cq.moud_fails(*flags, *unlisted)
        });
        let out_of_state = ExclusionKind::OutOfStateTelehealth.index();
        let Some(plan) = plan else {
            // Every program screened: the place filters are counted exactly.
            return out;
        };
        if plan.by_place {
            // Unread: beyond the limit, and not reachable by licensed
            // telehealth (a program whose location is not listed is read).
            by_kind[ExclusionKind::TooFar.index()] += plan.unread;
            // Out of state as well when it offers remote delivery the patient
            // accepts, not licensed in the patient's state.
            if cq.accepts_telehealth
                && let Some(bit) = cq.query.patient_state
            {
                let unlicensed =
                    |i: usize| d.hot[i].delivery & TELEHEALTH != 0 && d.rows[i].states & bit == 0;
                let all = self.parts.telehealth_count() - self.parts.telehealth(Some(bit)).len();
                // Every listed program with remote delivery is read
                // (`Narrow` keeps them), so those read are all the listed ones.
                let read = plan.sided().filter(|(i, _)| unlicensed(*i)).count();
                by_kind[out_of_state] += all - read;
            }
        } else {
            // Nothing is beyond: the rule does not depend on place.
            by_kind[out_of_state] = total(&t.telehealth, |(delivery, states)| {
                let mut fails = ExclusionKinds::default();
                cq.travel(false, *delivery, *states).kinds(&mut fails);
                fails.contains(ExclusionKind::OutOfStateTelehealth)
            });
        }
        out
    }

    /// Popcounts on the row's bitmasks and prefix sums over the patient's free time.
    fn criterion_facts(
        &self,
        i: usize,
        level: LevelOfCare,
        eligibility: &Eligibility,
        out: &mut CriterionFacts,
    ) {
        self.facts_into(i, level, eligibility, out, false, true);
    }

    /// The same popcounts (those therapy fit alone reads only with
    /// `therapy`); the tracks only when the eligibility read them, and the
    /// miles not measured: the distance along the meridian, a lower bound
    /// of the haversine's.
    fn cheap_facts(
        &self,
        i: usize,
        level: LevelOfCare,
        eligibility: &Eligibility,
        out: &mut CriterionFacts,
        therapy: bool,
    ) -> Option<bool> {
        Some(self.facts_into(i, level, eligibility, out, true, therapy))
    }
}

impl Index<'_> {
    /// [`FactSource::criterion_facts`], or with `cheap`
    /// [`FactSource::cheap_facts`]; gives whether the tracks are in `out`.
    /// Without `therapy` the facts therapy fit alone reads (modalities,
    /// trained approaches, evidence, specialties, populations) are left as
    /// they were.
    fn facts_into(
        &self,
        i: usize,
        level: LevelOfCare,
        eligibility: &Eligibility,
        out: &mut CriterionFacts,
        cheap: bool,
        therapy: bool,
    ) -> bool {
        let (d, cq) = (self.rows, &self.cq);
        let q = cq.query;
        let (h, r) = (&d.hot[i], &d.rows[i]);
        out.level = Some(level);
        if therapy {
            let modalities = u64::from(r.modalities);
            let approaches = r.approaches;
            out.modalities = modalities & q.needed_modalities;
            out.trained = if h.unlisted & STAFF_UNLISTED != 0 {
                u64::MAX
            } else {
                crate::credential::trained_approaches(u64::from(r.certifications))
            };
            out.evidence.clear();
            out.evidence
                .extend(q.conditions.iter().map(|c| c.hits(approaches, modalities)));
            out.specialties = u64::from(r.specialty_cover) & q.condition_bits;
            out.populations = u64::from(r.populations) & q.population_bits;
        }
        out.checks_met = q.checks.iter().enumerate().fold(0, |m, (i, c)| {
            let have = match c.set {
                CheckSet::Licenses => u64::from(r.licenses),
                CheckSet::Certifications => u64::from(r.certifications),
                CheckSet::Facility => u64::from(r.facility),
            };
            m | u64::from(have & c.mask != 0) << i
        });
        let tracks_read = !cheap || eligibility.tracks.is_some();
        out.tracks = match eligibility.tracks {
            Some(t) => t,
            None if cheap => TrackSummary::default(),
            None => self.track_summary(i, level),
        };
        let licensed = q.patient_state.is_none_or(|bit| r.states & bit != 0);
        let some = cq.accepts_telehealth && h.delivery & (TELEHEALTH | HYBRID) != 0;
        out.telehealth_option = some && licensed;
        out.remote = cq.accepts_telehealth && h.delivery & TELEHEALTH != 0 && licensed;
        out.telehealth_unlicensed = some && !licensed;
        out.moud = h.flags & MOUD != 0;
        out.moud_listed = !q.moud_required
            || r.moud_listed & q.moud_medication.map_or(1 << 3, |m| 1 << m.index()) != 0;
        out.withdrawal_management = r.withdrawal_management;
        out.network_unconfirmed = cq.network_unconfirmed(h.payer_mask, h.unlisted, || {
            &d.payer_ids[r.payer_off as usize..][..usize::from(r.payer_len)]
        });
        out.medical_monitoring = r.medical_monitoring;
        out.dietitian = u64::from(r.licenses) & crate::License::Dietitian.bit() != 0;
        out.aftercare = u64::from(r.aftercare);
        out.miles = eligibility.miles.or_else(|| {
            cq.location.filter(|_| placed(h.lat)).map(|l| {
                if cheap {
                    (h.lat - l.latitude).abs().to_radians() * EARTH_RADIUS_MILES
                } else {
                    l.miles_to(GeoPoint {
                        latitude: h.lat,
                        longitude: r.lon,
                    })
                }
            })
        });
        out.accepting = h.flags & ACCEPTING != 0;
        out.not_listed = not_listed_bits(h);
        out.wait_days = (h.flags & WAIT_KNOWN != 0).then_some(r.wait);
        out.days_since_verified = cq.as_of_days - r.verified;
        tracks_read
    }
}

impl Index<'_> {
    /// Program `i`'s eligibility: mask tests on the hot row, the haversine
    /// only when the travel limit needs it (or `exact` asks for the miles).
    /// With `screen`, the filters that do not depend on place stop at the
    /// first that fails (one reason is enough to exclude; their counts come
    /// from the tallies); the place filters and the outcome are exact.
    /// `side`: what the plan decided of the program's place (never with `exact`).
    fn eligibility_with(&self, i: usize, exact: bool, screen: bool, side: Side) -> Eligibility {
        let (d, cq) = (self.rows, &self.cq);
        let r = &d.hot[i];
        let mut fails = ExclusionKinds::default();
        let placement = if r.levels & cq.level_bit != 0 {
            Some(Placement::Match)
        } else {
            cq.alternatives
                .iter()
                .find(|l| r.levels & (l.bit() as u8) != 0)
                .map(|l| Placement::Alternative(*l))
        };
        fails.set(ExclusionKind::LevelNotOffered, placement.is_none());
        // Once one filter fails, a screen skips the rest that do not depend on place.
        let row = &d.rows[i];
        fails.test(screen, ExclusionKind::AgeOutOfRange, || {
            cq.age_fails(r.age_min, r.age_max)
        });
        fails.test(screen, ExclusionKind::PopulationRestricted, || {
            cq.population_fails(r.restricted)
        });
        fails.test(screen, ExclusionKind::PayerNotAccepted, || {
            cq.payer_fails(r.payer_mask, r.flags, r.unlisted, || {
                &d.payer_ids[row.payer_off as usize..][..usize::from(row.payer_len)]
            })
        });
        if r.flags & INTERPRETER == 0 {
            fails.test(screen, ExclusionKind::LanguageNotOffered, || {
                cq.language_fails(r.lang_mask, || {
                    &d.lang_ids[row.lang_off as usize..][..usize::from(row.lang_len)]
                })
            });
        }
        let conditions_refused = u64::from(r.excluded_cover) & cq.condition_bits;
        fails.test(screen, ExclusionKind::ConditionNotAccepted, || {
            conditions_refused != 0
        });
        if r.flags & ADMITS != 0 {
            fails.test(screen, ExclusionKind::PrimaryConditionNotAdmitted, || {
                cq.admits_fails(row.admits_cover)
            });
        }
        fails.test(screen, ExclusionKind::DeliveryNotAccepted, || {
            cq.delivery_fails(r.delivery)
        });
        // Only remote delivery needs the states. With a travel limit most
        // programs screened are excluded, so they are read only then and
        // most screens never touch the cold row (1M in person: median 1.0
        // against 1.17 ms). Without one many are eligible and their facts
        // read the cold row anyway: read early, its miss overlaps the hot
        // row's (1M, no location: 38 ms against 46-56 ms read late).
        let remote_offered = cq.remote_offered(r.delivery);
        let licensed = if cq.reach.is_some() {
            remote_offered && cq.licensed(d.rows[i].states)
        } else {
            cq.licensed(d.rows[i].states)
        };
        let remote = remote_offered && licensed;
        let point = || GeoPoint {
            latitude: r.lat,
            longitude: d.rows[i].lon,
        };
        let mut miles = None;
        let mut beyond = false;
        if let Some(loc) = cq.location.filter(|_| placed(r.lat)) {
            match cq.max_miles {
                Some(_) if side != Side::Measure && !exact => beyond = side == Side::Beyond,
                Some(max) if !remote || exact => {
                    // The great-circle distance is at least the distance along
                    // the meridian: when that alone is clearly beyond `max`,
                    // the haversine is skipped (unless the miles are asked for).
                    let along_meridian =
                        (r.lat - loc.latitude).abs().to_radians() * EARTH_RADIUS_MILES;
                    let decided = if exact {
                        None
                    } else if along_meridian > max + MERIDIAN_MARGIN_MILES {
                        Some(true)
                    } else {
                        // Most programs in the window are decided without
                        // the haversine; their miles, when they are
                        // scored, are measured then.
                        cq.reach
                            .and_then(|reach| reach.decide(r.lat, d.rows[i].lon))
                    };
                    if let Some(b) = decided {
                        beyond = b;
                    } else {
                        let m = loc.miles_to(point());
                        miles = Some(m);
                        beyond = m > max;
                    }
                }
                _ if exact => miles = Some(loc.miles_to(point())),
                _ => {}
            }
        }
        Travel {
            beyond,
            remote_offered,
            licensed,
            in_person: cq.in_person(r.delivery),
        }
        .kinds(&mut fails);
        fails.test(screen, ExclusionKind::NotAcceptingNewPatients, || {
            cq.not_accepting_fails(r.flags)
        });
        fails.test(screen, ExclusionKind::Full, || cq.full_fails(r.flags));
        fails.test(screen, ExclusionKind::MoudNotAvailable, || {
            cq.moud_fails(r.flags, r.unlisted)
        });
        let tracks = match placement {
            Some(pl) if schedule_judged(cq.query, fails) => {
                Some(self.track_summary(i, pl.level(cq.query)))
            }
            _ => None,
        };
        schedule_conflict(cq.query, tracks, &mut fails);
        Eligibility {
            placement,
            fails,
            conditions_refused,
            miles,
            tracks,
        }
    }

    /// The facts of program `i`'s tracks at `level`, from its merged session
    /// runs and prefix sums over the patient's free time.
    ///
    /// Rows with the same tracks share one run of them (below
    /// `Rows::shared_tracks`), and the facts are a function of the run, the
    /// level and the query alone. So a ranking without a travel limit, which
    /// judges the schedule of up to a quarter of a directory (1M synthetic
    /// programs: up to 237,000; 300,000 of them have 707 distinct sets of
    /// tracks), works each run out once at the query's level and looks it
    /// up after.
    fn track_summary(&self, i: usize, level: LevelOfCare) -> TrackSummary {
        let (d, q) = (self.rows, self.cq.query);
        let h = &d.hot[i];
        let at = h.track_off as usize;
        let shared = d.shared_tracks;
        if self.cq.reach.is_some() || level != q.level || at >= shared || shared > TRACKS_SEEN_MAX {
            return self.summarize_tracks(i, level);
        }
        let mut seen = self.tracks_seen.borrow_mut();
        if seen.is_empty() {
            seen.resize(shared, None);
        }
        match seen[at] {
            Some((len, facts)) if len == h.track_len => facts,
            _ => {
                let facts = self.summarize_tracks(i, level);
                seen[at] = Some((h.track_len, facts));
                facts
            }
        }
    }

    /// [`Index::track_summary`], worked out.
    fn summarize_tracks(&self, i: usize, level: LevelOfCare) -> TrackSummary {
        let (d, q) = (self.rows, self.cq.query);
        let h = &d.hot[i];
        let level_bit = level.bit() as u8;
        let tracks = &d.tracks[h.track_off as usize..][..usize::from(h.track_len)];
        let (mut count, mut fitting) = (0u32, 0u32);
        let facts = tracks.iter().filter(|t| t.level == level_bit).map(|t| {
            let runs = &d.sessions[t.sess_off as usize..][..usize::from(t.sess_len)];
            let free: u32 = runs
                .iter()
                .map(|(a, b)| {
                    u32::from(q.avail_prefix[usize::from(*b)] - q.avail_prefix[usize::from(*a)])
                })
                .sum();
            let f = TrackFacts {
                slots: u32::from(t.slots),
                free_slots: free,
                minutes: t.minutes,
            };
            count += 1;
            fitting += u32::from(f.fits_completely());
            f
        });
        let best = best_track(q.hours_needed(level), facts);
        TrackSummary {
            best,
            tracks: count,
            fitting,
            evening_or_weekend: tracks
                .iter()
                .any(|t| t.level == level_bit && t.evening_or_weekend),
        }
    }
}
