//! The two producers of facts agree, field by field.

use proptest::prelude::*;

use crate::matching::directory::Directory;
use crate::matching::facts::{FactSource, Side};
use crate::matching::index::Scan;
use crate::matching::plain::Plain;
use crate::matching::query::{MatchOptions, Query};
use crate::matching::rank::{Scored, rank_scored};
use crate::matching::{Alert, Explanation, Weights, rank_plain};
use crate::{
    patient::DeliveryPreference,
    program::{GeoPoint, MassHealthPlan, NotListed, Payer},
    synthetic,
};

/// Payers with parents and products: plans of a parent, MassHealth products,
/// Medicare Advantage plans, another state's Medicaid.
fn payer_pool() -> Vec<Payer> {
    vec![
        Payer::MassHealth,
        Payer::MassHealthPlan(MassHealthPlan::WellSense),
        Payer::MassHealthPlan(MassHealthPlan::CcaOneCare),
        Payer::Commercial("Point32Health".into()),
        Payer::Commercial("Harvard Pilgrim Health Care".into()),
        Payer::Commercial("tufts health plan".into()),
        Payer::Commercial("Blue Cross Blue Shield of Massachusetts".into()),
        Payer::MedicareAdvantage(None),
        Payer::MedicareAdvantage(Some("Example Advantage".into())),
        Payer::Medicare,
        Payer::Medicaid("NH".into()),
        Payer::VaCommunityCare,
        Payer::SlidingScale,
    ]
}

/// Latitudes with the poles and their neighbours well represented.
fn arb_latitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        -90.0..=90.0f64,
        Just(90.0),
        Just(-90.0),
        (89.9999..=90.0f64),
        (-90.0..=-89.9999f64),
        Just(0.0),
    ]
}

/// Longitudes with the antimeridian well represented.
fn arb_longitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        -180.0..=180.0f64,
        Just(180.0),
        Just(-180.0),
        (179.999..=180.0f64),
        (-180.0..=-179.999f64),
    ]
}

fn arb_point() -> impl Strategy<Value = GeoPoint> {
    (arb_latitude(), arb_longitude()).prop_map(|(latitude, longitude)| GeoPoint {
        latitude,
        longitude,
    })
}

/// Moves programs to the generated points and gives them the generated
/// licensed states (programs beyond either list keep theirs).
fn place(programs: &mut [crate::Program], moved: &[Option<GeoPoint>], licensed: &[Vec<&str>]) {
    for (p, at) in programs.iter_mut().zip(moved) {
        if let Some(at) = at {
            p.location.latitude = at.latitude;
            p.location.longitude = at.longitude;
        }
    }
    for (p, states) in programs.iter_mut().zip(licensed) {
        p.licensed_states = states.iter().map(|s| (*s).to_owned()).collect();
    }
}

/// Marks programs by the bits of `marks`: 1, the verification date not
/// listed; 2, the location not listed (the program then telehealth only, as
/// validation asks); 4, located at its ZIP code's centre (approximate).
fn mark(programs: &mut [crate::Program], marks: &[u8]) {
    for (p, m) in programs.iter_mut().zip(marks) {
        if m & 1 != 0 {
            p.not_listed.push(NotListed::LastVerified);
            p.last_verified = crate::Date::checked(1900, 1, 1).unwrap();
        }
        if m & 2 != 0 {
            p.not_listed.push(NotListed::Location);
            p.delivery = vec![crate::Delivery::Telehealth];
            p.location = crate::Location::not_listed(std::mem::take(&mut p.location.state));
        } else if m & 4 != 0 {
            p.location.precision = crate::LocationPrecision::ZipCentre;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// For every program of a generated directory (some moved to the poles
    /// or the antimeridian) and generated patients (some without a location,
    /// without a travel limit, or telehealth only), the index's exact facts
    /// equal the plain path's, and the index's fast eligibility decides as
    /// the exact one does.
    #[test]
    fn the_index_and_the_plain_path_give_equal_facts(
        seed in any::<u64>(),
        n in 1usize..40,
        moved in proptest::collection::vec(proptest::option::of(arb_point()), 0..40),
        patient_at in proptest::option::of(arb_point()),
        travel in proptest::option::of(prop_oneof![0.0..50.0f64, 0.0..13_000.0f64]),
        telehealth_only in any::<bool>(),
        alternatives in any::<bool>(),
        waitlist in any::<bool>(),
        self_pay in any::<bool>(),
        state in proptest::option::of(prop_oneof![Just("MA"), Just("NH"), Just("NY")]),
        on_moud in any::<bool>(),
        licensed in proptest::collection::vec(
            proptest::sample::subsequence(vec!["MA", "NH", "NY", "CA"], 0..=2),
            0..40,
        ),
        min_fit in prop_oneof![Just(0.5), Just(0.0), 0.0..=1.0f64],
        unlisted_pct in prop_oneof![Just(0u8), Just(40u8), Just(100u8)],
        payers in proptest::collection::vec(
            proptest::option::of(proptest::sample::subsequence(payer_pool(), 0..=4)),
            0..40,
        ),
        fillers in 0usize..3,
        marks in proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => 1u8..8], 0..40),
        patient_payer in proptest::option::of(proptest::sample::select(payer_pool())),
        medication in proptest::option::of(proptest::sample::select(crate::MoudMedication::ALL)),
        moud_listings in proptest::collection::vec(
            (
                proptest::sample::subsequence(crate::MoudMedication::ALL.to_vec(), 0..=2),
                any::<bool>(),
                any::<bool>(),
            ),
            0..40,
        ),
        admits in proptest::collection::vec(
            proptest::option::of(proptest::sample::subsequence(
                vec![
                    crate::Condition::Depressive,
                    crate::Condition::SubstanceUse,
                    crate::Condition::OpioidUse,
                    crate::Condition::Eating,
                    crate::Condition::Ptsd,
                    crate::Condition::Personality,
                ],
                1..=3,
            )),
            0..40,
        ),
    ) {
        let mut programs = synthetic::directory(n, seed);
        // Some parts not listed ("not listed" is not "none").
        synthetic::leave_unlisted(&mut programs, seed, unlisted_pct);
        place(&mut programs, &moved, &licensed);
        mark(&mut programs, &marks);
        // Payer plans, parents and products; fillers push interned payer ids
        // past 64, onto the index's listed (not bit-mask) path.
        // (Not on a program whose payers are not listed: those stay empty.)
        for (i, (p, listed)) in programs.iter_mut().zip(&payers).enumerate() {
            if let Some(listed) = listed.as_ref().filter(|_| p.is_listed(NotListed::Payers)) {
                p.payers = listed.clone();
                for k in 0..fillers * 30 {
                    p.payers.push(Payer::Commercial(format!("Filler {i} {k}")));
                }
                p.payers.extend(payer_pool().into_iter().skip(i % 5).take(1));
            }
        }
        // MOUD listings (medications, OTP, coordination with one) and the
        // primary conditions admitted, on the programs the lists reach.
        for (p, (meds, otp, coordinates)) in programs.iter_mut().zip(&moud_listings) {
            p.moud_medications = meds.clone();
            p.opioid_treatment_program = *otp;
            p.coordinates_with_otp = *coordinates;
        }
        for (p, admits) in programs.iter_mut().zip(&admits) {
            if let Some(a) = admits {
                p.admits = a.clone();
            }
        }
        let dir = Directory::new(programs.clone(), synthetic::AS_OF).unwrap();
        let options = MatchOptions::new(synthetic::AS_OF)
            .with_alternatives_included(alternatives)
            .with_waitlist_allowed(waitlist)
            // Full programs left out whenever waitlists are not kept: both
            // settings of each reach the two producers.
            .with_full_excluded(!waitlist)
            .with_self_pay_allowed(self_pay)
            .with_min_schedule_fit(min_fit);
        for (j, mut needs) in synthetic::patients(3, seed).into_iter().enumerate() {
            match j {
                0 => {
                    needs.location = patient_at;
                    needs.max_travel_miles = travel;
                }
                1 => needs.max_travel_miles = travel,
                _ => needs.location = None,
            }
            if telehealth_only {
                needs.delivery = DeliveryPreference::Telehealth;
            }
            needs.state = state.map(str::to_owned);
            needs.on_moud = on_moud;
            // Opioid use disorder for one patient, so the MOUD rules run.
            if j == 2 && on_moud {
                needs.diagnoses.push(crate::Diagnosis::from_condition(crate::Condition::OpioidUse));
            }
            needs.moud_medication = medication.filter(|_| on_moud || j == 1);
            if let Some(payer) = &patient_payer {
                needs.payer = payer.clone();
                // One Care enrols ages 21 to 64 (validation refuses a
                // younger member, issue 25).
                if *payer == Payer::MassHealthPlan(MassHealthPlan::CcaOneCare) {
                    needs.age = needs.age.clamp(21, 64);
                }
            }
            let q = Query::new(&needs, needs.level.expect("a level"), dir.evidence(), options).unwrap();
            let plain = Plain::new(&programs, &q);
            let index = dir.index(&q);
            // What the plan decides of a cell's place holds for each program
            // in it: the screen given the plan's side is the screen that measures.
            if let Some(plan) = index.plan() {
                // A program the bit sets leave unread fails a filter, and
                // every one they pass is read.
                if let Some(passing) = &plan.passing {
                    let read: std::collections::BTreeSet<usize> = plan.sided().map(|(i, _)| i).collect();
                    for i in 0..index.len() {
                        let passes = passing.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1);
                        prop_assert_eq!(passes, read.contains(&i));
                        if !passes {
                            prop_assert!(index.eligibility(i, false).outcome().is_err(), "slot {} left unread", i);
                        }
                    }
                }
                // A plan by place leaves out only excluded programs: those
                // beyond the limit (`too_far`) counted unread, the rest
                // with no place reason (counted from the tallies).
                if plan.kept.is_some() {
                    use crate::matching::ExclusionKind::{OutOfStateTelehealth, TooFar};
                    let read: std::collections::BTreeSet<usize> = plan.sided().map(|(i, _)| i).collect();
                    let listed: std::collections::BTreeSet<usize> = plan.positions().collect();
                    let (mut too_far, mut no_place) = (0, 0);
                    for i in (0..index.len()).filter(|i| !read.contains(i)) {
                        let e = index.eligibility(i, true);
                        prop_assert!(e.outcome().is_err(), "slot {} left unread", i);
                        if e.fails.contains(TooFar) {
                            too_far += 1;
                        } else {
                            no_place += 1;
                        }
                        if listed.contains(&i) {
                            prop_assert!(!e.fails.contains(OutOfStateTelehealth), "slot {}", i);
                        }
                    }
                    prop_assert_eq!(too_far, plan.unread);
                    prop_assert_eq!(no_place, plan.screened_out);
                }
                for (i, side) in plan.sided() {
                    let (given, measured) = (index.screen(i, side), index.screen(i, Side::Measure));
                    prop_assert_eq!(given.placement, measured.placement);
                    prop_assert_eq!(given.fails, measured.fails, "program {} ({:?})", i, side);
                    prop_assert_eq!(given.tracks, measured.tracks);
                }
            }
            for (pos, p) in programs.iter().enumerate() {
                let i = dir.slot(pos);
                let (a, b) = (index.facts(i), plain.facts(pos));
                prop_assert_eq!(&a, &b, "program {} ({:?}), patient {}", i, p.location, j);
                prop_assert_eq!(
                    index.eligibility(i, false).outcome(),
                    b.eligibility.outcome(),
                    "fast eligibility of program {}", i
                );
                // The ranking's screen: the same outcome and placement, the
                // place kinds exact, the others a non-empty subset when it fails.
                // The bound a ranking may skip scoring by is never below the score.
                if let (Ok(placement), Some(criteria)) = (b.eligibility.outcome(), &b.criteria) {
                    let weights = Weights::default();
                    let mut cheap = crate::matching::facts::CriterionFacts::default();
                    let level = placement.level(&q);
                    let scores = crate::matching::criteria::scores(&q, criteria);
                    let (score, _) = crate::matching::criteria::total(&weights, &scores);
                    for therapy in [true, false] {
                        // Facts left from another program stay unread when therapy is not.
                        if !therapy {
                            let other = (i + 1) % programs.len();
                            index.cheap_facts(dir.slot(other), level, &b.eligibility, &mut cheap, true);
                        }
                        let tracks = index.cheap_facts(i, level, &b.eligibility, &mut cheap, therapy).unwrap();
                        let read = crate::matching::criteria::Read { tracks, therapy };
                        let most = crate::matching::criteria::bound(&weights, &q, &cheap, read);
                        prop_assert!(most >= score, "program {}: bound {} below score {} ({:?})", i, most, score, read);
                        // Criterion by criterion: applicable alike, never below.
                        let each = crate::matching::criteria::most(&q, &cheap, read);
                        for (c, s) in scores.iter() {
                            prop_assert_eq!(each[c].is_some(), s.is_some(), "{:?}", c);
                            prop_assert!(each[c].unwrap_or(0.0) >= s.unwrap_or(0.0), "{:?}", c);
                        }
                    }
                }
                // The level read from the bit sets is the placement's.
                prop_assert_eq!(index.may_offer_level(i), b.eligibility.placement.is_some());
                let (screen, exact) = (index.screen(i, Side::Measure), b.eligibility);
                prop_assert_eq!(screen.placement, exact.placement);
                prop_assert_eq!(screen.outcome().is_ok(), exact.outcome().is_ok());
                prop_assert_eq!(screen.tracks, exact.tracks);
                for kind in crate::matching::ExclusionKind::ALL {
                    let (s, e) = (screen.fails.contains(*kind), exact.fails.contains(*kind));
                    prop_assert!(!s || e, "screen of program {} invents {:?}", i, kind);
                    if matches!(
                        kind,
                        crate::matching::ExclusionKind::TooFar
                            | crate::matching::ExclusionKind::OutOfStateTelehealth
                            | crate::matching::ExclusionKind::ScheduleConflict
                    ) {
                        prop_assert_eq!(s, e, "screen of program {}: {:?}", i, kind);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The partitioned index ranks as the plain path does (same matches,
    /// scores, order, alternatives, alerts and exclusion counts by reason)
    /// and as the full scan does: directories with programs at the poles,
    /// on the antimeridian and at equal distances (several at one point),
    /// telehealth licensed in some states; patients with and without a
    /// location and a travel limit (up to the whole earth), telehealth
    /// only, with and without a state.
    #[test]
    fn the_partitioned_index_ranks_as_the_plain_path(
        seed in any::<u64>(),
        n in 1usize..80,
        moved in proptest::collection::vec(proptest::option::of(arb_point()), 0..80),
        shared in proptest::collection::vec(proptest::option::of(0usize..80), 0..80),
        patient_at in proptest::option::of(prop_oneof![
            arb_point(),
            // Near the generator's metropolitan centres (Boston, Seattle).
            (42.0..42.7f64, -71.4..-70.7f64).prop_map(|(latitude, longitude)| GeoPoint { latitude, longitude }),
            (47.3..47.9f64, -122.6..-122.0f64).prop_map(|(latitude, longitude)| GeoPoint { latitude, longitude }),
        ]),
        travel in proptest::option::of(prop_oneof![0.0..60.0f64, 0.0..13_000.0f64, Just(0.0)]),
        delivery in proptest::sample::select(DeliveryPreference::ALL),
        state in proptest::option::of(prop_oneof![Just("MA"), Just("WA"), Just("NH"), Just("NY")]),
        licensed in proptest::collection::vec(
            proptest::sample::subsequence(vec!["MA", "WA", "NY", "CA"], 0..=2),
            0..80,
        ),
        alternatives in any::<bool>(),
        waitlist in any::<bool>(),
        self_pay in any::<bool>(),
        on_moud in any::<bool>(),
        min_fit in prop_oneof![Just(0.5), Just(0.0), 0.0..=1.0f64],
        unlisted_pct in prop_oneof![Just(0u8), Just(30u8)],
        k in prop_oneof![Just(0usize), 1usize..12],
        marks in proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => 1u8..8], 0..80),
    ) {
        let mut programs = synthetic::directory(n, seed);
        synthetic::leave_unlisted(&mut programs, seed, unlisted_pct);
        place(&mut programs, &moved, &licensed);
        // Equal distances: some programs at another's point.
        for (i, from) in shared.iter().enumerate().take(programs.len()) {
            if let Some(from) = from {
                let at = programs[from % programs.len()].location.clone();
                programs[i].location.latitude = at.latitude;
                programs[i].location.longitude = at.longitude;
            }
        }
        mark(&mut programs, &marks);
        let partitioned = Directory::new(programs.clone(), synthetic::AS_OF)
            .unwrap()
            .with_scan(Scan::Partitions);
        let full = partitioned.clone().with_scan(Scan::Full);
        let options = MatchOptions::new(synthetic::AS_OF)
            .with_alternatives_included(alternatives)
            .with_waitlist_allowed(waitlist)
            // Full programs left out whenever waitlists are not kept: both
            // settings of each reach the two producers.
            .with_full_excluded(!waitlist)
            .with_self_pay_allowed(self_pay)
            .with_min_schedule_fit(min_fit);
        let weights = Weights::default();
        for (j, mut needs) in synthetic::patients(3, seed).into_iter().enumerate() {
            match j {
                0 => {
                    needs.location = patient_at;
                    needs.max_travel_miles = travel;
                }
                1 => needs.max_travel_miles = travel,
                _ => needs.location = None,
            }
            needs.delivery = delivery;
            needs.state = state.map(str::to_owned);
            needs.on_moud = on_moud;
            let q = Query::new(&needs, needs.level.expect("a level"), partitioned.evidence(), options).unwrap();
            let ranked = partitioned.rank(&q, &weights, k);
            prop_assert_eq!(&ranked, &rank_plain(&programs, &q, &weights, k), "patient {}", j);
            prop_assert_eq!(&ranked, &full.rank(&q, &weights, k), "patient {}", j);
            prop_assert_eq!(ranked.excluded_count + ranked.eligible + ranked.alternatives_eligible, programs.len());
        }
    }
}

/// The first generated patient of seed 11, with a 20-mile limit and
/// `delivery`: near one metropolitan area of `synthetic::directory(3000, 11)`.
fn near_patient(delivery: DeliveryPreference) -> crate::PatientNeeds {
    let mut needs = synthetic::patients(1, 11).remove(0);
    needs.max_travel_miles = Some(20.0);
    needs.delivery = delivery;
    needs
}

/// `needs` asked of `dir` at its level, with default options.
fn query_of(dir: &Directory, needs: &crate::PatientNeeds) -> Query {
    dir.query(
        needs,
        needs.level.unwrap(),
        MatchOptions::new(synthetic::AS_OF),
    )
    .unwrap()
}

/// A patient with a location and a travel limit near one metropolitan area
/// of a generated directory reads only the programs near them, and every
/// other program is still counted.
#[test]
fn a_ranking_by_place_reads_a_few_programs_and_counts_them_all() {
    let programs = synthetic::directory(3000, 11);
    let dir = Directory::new(programs.clone(), synthetic::AS_OF).unwrap();
    let needs = near_patient(DeliveryPreference::InPerson);
    let q = query_of(&dir, &needs);
    let index = dir.index(&q);
    let plan = index.plan().expect("a location and a limit read by place");
    assert!(plan.by_place);
    let (listed, read) = (plan.positions().count(), plan.sided().count());
    // The bit sets leave out some of the programs listed.
    assert!(read < listed, "read {read} of {listed} listed");
    // Most cells are decided whole (inside the limit, or outside it), the
    // ones on its edge measured program by program; each decision is the
    // one measuring gives.
    let sides = |side| plan.blocks.iter().filter(|(_, s)| *s == side).count();
    assert!(
        sides(Side::Within) > 0 && sides(Side::Measure) > 0,
        "{:?}",
        plan.blocks.iter().map(|b| b.1).collect::<Vec<_>>()
    );
    for (i, side) in plan.sided() {
        assert_eq!(
            index.screen(i, side).fails,
            index.screen(i, Side::Measure).fails
        );
    }
    assert!(
        read * 10 < programs.len(),
        "read {read} of {}",
        programs.len()
    );
    assert_eq!(read + plan.unread + plan.screened_out, programs.len());
    let ranked = dir.rank(&q, &Weights::default(), 10);
    assert_eq!(ranked, rank_plain(&programs, &q, &Weights::default(), 10));
    let too_far = ranked
        .exclusion_counts
        .iter()
        .find(|c| c.reason == crate::matching::ExclusionKind::TooFar)
        .map_or(0, |c| c.programs);
    assert!(too_far >= plan.unread);
}

/// Checks that `scored` (a ranking in numbers) says what the explained
/// `ranking` of the same query says: the same matches in the same order,
/// each at its program (`id_of` a position) with the same score (bit for
/// bit), wait and `no_first_line_therapy` flag; the same alerts and
/// eligible count. Returns how many matches carry the flag and how many not.
fn agrees<'a>(
    scored: &Scored,
    ranking: &crate::matching::Ranking,
    id_of: impl Fn(usize) -> &'a str,
) -> Result<(usize, usize), TestCaseError> {
    prop_assert_eq!(&scored.alerts, &ranking.alerts);
    prop_assert_eq!(scored.eligible, ranking.eligible);
    prop_assert_eq!(scored.matches.len(), ranking.matches.len());
    let mut flagged = (0, 0);
    for (s, m) in scored.matches.iter().zip(&ranking.matches) {
        prop_assert_eq!(id_of(s.program), m.program_id.as_str());
        prop_assert_eq!(s.score.to_bits(), m.score.to_bits());
        prop_assert_eq!(s.wait_days, m.wait_days);
        let poor = m
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::NoFirstLineTherapy { .. }));
        prop_assert_eq!(s.no_first_line_therapy, poor, "{}", m.program_id);
        if poor {
            flagged.0 += 1;
        } else {
            flagged.1 += 1;
        }
    }
    Ok(flagged)
}

/// The ranking in numbers and its one-program explanation, for the
/// directory `dir` (over `programs`) and the plain path, against the
/// explained ranking; the flags counted as [`agrees`] counts them.
fn numbers_agree(
    dir: &Directory,
    programs: &[crate::Program],
    q: &Query,
    k: usize,
) -> Result<(usize, usize), TestCaseError> {
    let weights = Weights::default();
    let ranking = dir.rank(q, &weights, k);
    let ids: Vec<&str> = dir.ids().collect();
    let flagged = agrees(&dir.rank_scored(q, &weights, k), &ranking, |i| ids[i])?;
    let plain = rank_scored(&Plain::new(programs, q), &weights, k);
    agrees(&plain, &ranking, |i| programs[i].id.as_str())?;
    // Each match explained alone is the one the ranking lists; a program
    // that is no match is explained as none.
    for (s, m) in dir
        .rank_scored(q, &weights, k)
        .matches
        .iter()
        .zip(&ranking.matches)
    {
        let alone = dir.explain_match_at(q, &weights, s.program);
        prop_assert_eq!(alone.as_ref(), Some(m));
    }
    for (i, id) in ids.iter().enumerate() {
        if let Explanation::Excluded { .. } | Explanation::Alternative { .. } =
            dir.explain(q, &weights, *id)
        {
            prop_assert_eq!(dir.explain_match_at(q, &weights, i), None);
        }
    }
    Ok(flagged)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The ranking in numbers that placing a queue reads agrees with the
    /// explained ranking (see [`agrees`]), for the partitioned index, the
    /// full scan and the plain path, and each of its matches explained alone
    /// is the match the ranking lists: directories with programs moved and
    /// fields not listed; patients with and without a location and a travel
    /// limit, every delivery, on MOUD or not; k from 0 to past every program.
    #[test]
    fn the_ranking_in_numbers_agrees_with_the_explained_ranking(
        seed in any::<u64>(),
        n in 1usize..100,
        moved in proptest::collection::vec(proptest::option::of(arb_point()), 0..100),
        patient_at in proptest::option::of(prop_oneof![
            arb_point(),
            (42.0..42.7f64, -71.4..-70.7f64).prop_map(|(latitude, longitude)| GeoPoint { latitude, longitude }),
        ]),
        travel in proptest::option::of(prop_oneof![0.0..60.0f64, 0.0..13_000.0f64]),
        delivery in proptest::sample::select(DeliveryPreference::ALL),
        alternatives in any::<bool>(),
        waitlist in any::<bool>(),
        self_pay in any::<bool>(),
        on_moud in any::<bool>(),
        min_fit in prop_oneof![Just(0.5), Just(0.0), 0.0..=1.0f64],
        unlisted_pct in prop_oneof![Just(0u8), Just(30u8)],
        k in prop_oneof![Just(0usize), 1usize..12, Just(1000usize)],
        marks in proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => 1u8..8], 0..100),
    ) {
        let mut programs = synthetic::directory(n, seed);
        synthetic::leave_unlisted(&mut programs, seed, unlisted_pct);
        place(&mut programs, &moved, &[]);
        mark(&mut programs, &marks);
        let dir = Directory::new(programs.clone(), synthetic::AS_OF).unwrap();
        let full = dir.clone().with_scan(Scan::Full);
        let options = MatchOptions::new(synthetic::AS_OF)
            .with_alternatives_included(alternatives)
            .with_waitlist_allowed(waitlist)
            .with_full_excluded(!waitlist)
            .with_self_pay_allowed(self_pay)
            .with_min_schedule_fit(min_fit);
        for (j, mut needs) in synthetic::patients(3, seed).into_iter().enumerate() {
            match j {
                0 => {
                    needs.location = patient_at;
                    needs.max_travel_miles = travel;
                }
                1 => needs.max_travel_miles = travel,
                _ => needs.location = None,
            }
            needs.delivery = delivery;
            needs.on_moud = on_moud;
            let q = Query::new(&needs, needs.level.expect("a level"), dir.evidence(), options).unwrap();
            numbers_agree(&dir, &programs, &q, k)?;
            numbers_agree(&full, &programs, &q, k)?;
        }
    }
}

/// The ranking in numbers agrees with the explained ranking on queues large
/// enough that both settings of the `no_first_line_therapy` flag are read
/// (a flag computed wrongly either way is caught), and at imminent risk
/// (no flag at all).
#[test]
fn the_ranking_in_numbers_reads_the_poor_fit_flag_both_ways() {
    let (mut flagged, mut not) = (0, 0);
    for seed in 0..4 {
        let programs = synthetic::directory(400, seed);
        let dir = Directory::new(programs.clone(), synthetic::AS_OF).unwrap();
        for mut needs in synthetic::patients(12, seed) {
            // Programs anywhere: matches enough to read both flags.
            needs.max_travel_miles = None;
            let q = dir
                .query(
                    &needs,
                    needs.level.unwrap(),
                    MatchOptions::new(synthetic::AS_OF),
                )
                .unwrap();
            let (f, n) = numbers_agree(&dir, &programs, &q, 25).unwrap();
            (flagged, not) = (flagged + f, not + n);
            // At imminent risk no match carries the flag.
            let mut q = q;
            q.set_alert(Alert::ImminentRisk {
                contacts: Vec::new(),
            });
            assert_eq!(numbers_agree(&dir, &programs, &q, 25).unwrap().0, 0);
        }
    }
    assert!(flagged > 20 && not > 20, "flagged {flagged}, not {not}");
}

/// Two programs with the same tracks (one shared run once compiled), one
/// offering the level wanted without a track at it, the other only the
/// adjacent level: a ranking without a travel limit keeps each run's facts
/// once worked out, and must not give the second the facts at the first's
/// level.
#[test]
fn a_shared_run_of_tracks_is_worked_out_at_each_level_asked() {
    use crate::LevelOfCare::{IntensiveOutpatient, PartialHospitalization};
    let programs = synthetic::directory(200, 5);
    let day = programs
        .iter()
        .find(|p| p.levels == [PartialHospitalization])
        .expect("a program at partial hospitalization alone")
        .clone();
    let mut both = day.clone();
    both.id = "syn-both".parse().unwrap();
    both.levels = vec![IntensiveOutpatient, PartialHospitalization];
    let mut only = day;
    only.id = "syn-only".parse().unwrap();
    let dir = Directory::new(vec![both, only], synthetic::AS_OF).unwrap();
    let mut needs = synthetic::patients(1, 5).remove(0);
    needs.location = None;
    let q = Query::new(
        &needs,
        IntensiveOutpatient,
        dir.evidence(),
        MatchOptions::new(synthetic::AS_OF).with_alternatives_included(true),
    )
    .unwrap();
    // The first at the level wanted (no track there), then the second at
    // the adjacent level, from one index; against a fresh index each.
    let tracks = |index: &dyn FactSource, pos: usize, level| {
        let mut out = crate::matching::facts::CriterionFacts::default();
        let i = dir.slot(pos);
        let e = index.eligibility(i, false);
        index.criterion_facts(i, level, &e, &mut out);
        out.tracks
    };
    let shared = dir.index(&q);
    let first = tracks(&shared, 0, IntensiveOutpatient);
    let second = tracks(&shared, 1, PartialHospitalization);
    let fresh = |pos, level| tracks(&dir.index(&q), pos, level);
    assert_eq!(first, fresh(0, IntensiveOutpatient));
    assert_eq!(first.tracks, 0);
    assert_eq!(second, fresh(1, PartialHospitalization));
    assert_eq!(second.tracks, 1);
}

/// A patient who accepts telehealth, in the cells its limit decides whole:
/// programs there that meet in person and offer telehealth not licensed
/// in the patient's state have no place reason (they can be reached in
/// person), while a program with telehealth the bit sets leave out unread
/// would be counted `out_of_state_telehealth`: so they are read, and the
/// counts are the plain path's.
#[test]
fn unlicensed_telehealth_in_cells_within_the_limit_is_read() {
    let mut programs = synthetic::directory(3000, 11);
    let needs = near_patient(DeliveryPreference::Either);
    let state = needs
        .state
        .clone()
        .expect("synthetic patients have a state");
    let other = if state == "NH" { "VT" } else { "NH" };
    for p in programs.iter_mut().step_by(4) {
        p.delivery = vec![crate::Delivery::InPerson, crate::Delivery::Telehealth];
        p.licensed_states = vec![other.to_owned()];
    }
    let dir = Directory::new(programs.clone(), synthetic::AS_OF)
        .unwrap()
        .with_scan(Scan::Partitions);
    let q = query_of(&dir, &needs);
    let index = dir.index(&q);
    let plan = index.plan().expect("a location and a limit read by place");
    let changed: std::collections::BTreeSet<usize> = (0..programs.len())
        .step_by(4)
        .map(|pos| dir.slot(pos))
        .collect();
    let exercised = plan
        .blocks
        .iter()
        .filter(|(_, side)| *side == Side::Within)
        .flat_map(|(list, _)| list.iter().map(|i| *i as usize))
        .filter(|i| changed.contains(i) && index.eligibility(*i, false).outcome().is_err())
        .count();
    assert!(exercised > 0, "the case is exercised");
    let weights = Weights::default();
    assert_eq!(
        dir.rank(&q, &weights, 10),
        rank_plain(&programs, &q, &weights, 10)
    );
}
