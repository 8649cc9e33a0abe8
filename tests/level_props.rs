//! Property tests for level-of-care policies.
//!
//! A failure here means a policy that `LevelPolicy::new` accepts gives a
//! level that falls when a rating rises, lets a context rule lower a level or
//! a floor, or does not survive a JSON round trip; or that the band check
//! accepts bands that do not partition 7-35 (or refuses bands that do).

use carematch::{
    Assessment, Dimension, LevelOfCare, LevelPolicy, Rating, Ratings,
    level::{
        AgeRule, Band, Floor, ImminentRiskRule, LevelRecommendation, LevelRules, StepDown, StepUp,
        WithdrawalRisk, WithdrawalRule,
    },
    level_policy_from_json,
};
use proptest::prelude::*;

fn arb_level() -> impl Strategy<Value = LevelOfCare> {
    prop::sample::select(LevelOfCare::ALL)
}

fn arb_rating() -> impl Strategy<Value = Rating> {
    prop::sample::select(Rating::ALL.to_vec())
}

fn arb_dimension() -> impl Strategy<Value = Dimension> {
    prop::sample::select(Dimension::ALL)
}

fn arb_text() -> impl Strategy<Value = String> {
    "[a-z][a-z ]{0,15}"
}

/// Bands that partition 7-35, levels not falling: up to six bands.
fn arb_bands() -> impl Strategy<Value = Vec<Band>> {
    (
        prop::collection::btree_set(8u8..=35, 0..6),
        prop::collection::vec(0usize..LevelOfCare::ALL.len(), 6),
        arb_text(),
    )
        .prop_map(|(starts, mut levels, source)| {
            let mins: Vec<u8> = std::iter::once(7).chain(starts).collect();
            levels.truncate(mins.len());
            levels.sort_unstable();
            mins.iter()
                .zip(&levels)
                .enumerate()
                .map(|(i, (&min, &level))| {
                    let max = mins.get(i + 1).map_or(35, |next| next - 1);
                    Band::new(min, max, LevelOfCare::ALL[level], source.clone())
                })
                .collect()
        })
}

/// Any valid policy: partitioning bands, floors with distinct (dimension,
/// rating) pairs, and each optional rule present or not.
fn arb_rules() -> impl Strategy<Value = LevelRules> {
    let floors = prop::collection::btree_map(
        (arb_dimension(), arb_rating()),
        (arb_level(), arb_text()),
        0..8,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|((d, r), (level, source))| Floor::new(d, r, level, source))
            .collect::<Vec<_>>()
    });
    let imminent = prop::option::of((arb_dimension(), arb_rating(), arb_text(), arb_text()))
        .prop_map(|o| o.map(|(d, r, action, source)| ImminentRiskRule::new(d, r, action, source)));
    let step_down = prop::option::of((0u16..=120, arb_level(), arb_text()))
        .prop_map(|o| o.map(|(days, level, source)| StepDown::new(days, level, source)));
    let step_up = prop::option::of((arb_level(), arb_text()))
        .prop_map(|o| o.map(|(level, source)| StepUp::new(level, source)));
    let age = prop::option::of((0u8..=30, arb_text()))
        .prop_map(|o| o.map(|(min_age, source)| AgeRule::new(min_age, source)));
    // Withdrawal rows, most severe first (as the check requires): a subset
    // of the four ratings, each with a level or none.
    let withdrawal = prop::collection::btree_map(
        0usize..4,
        (prop::option::of(arb_level()), arb_text(), arb_text()),
        0..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .rev()
            .map(|(r, (level, action, source))| {
                WithdrawalRule::new(WithdrawalRisk::ALL[r], level, action, source)
            })
            .collect::<Vec<_>>()
    });
    (
        "[a-z ]{0,12}",
        arb_bands(),
        floors,
        imminent,
        step_down,
        step_up,
        age,
        withdrawal,
        0u8..=28,
    )
        .prop_map(
            |(
                name,
                bands,
                floors,
                imminent_risk,
                step_down,
                step_up,
                age,
                withdrawal,
                consider,
            )| {
                LevelRules {
                    name,
                    bands,
                    floors,
                    imminent_risk,
                    step_down,
                    step_up,
                    age,
                    withdrawal,
                    consider_within_points: consider,
                }
            },
        )
}

fn arb_assessment() -> impl Strategy<Value = Assessment> {
    (
        prop::array::uniform7(arb_rating()),
        prop::option::of(0u8..=120),
        prop::option::of(0u16..=400),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop::sample::select(WithdrawalRisk::ALL)),
    )
        .prop_map(
            |(r, age, days, not_improving, substance, withdrawal_risk)| Assessment {
                ratings: Ratings::from_array(r),
                age,
                days_since_inpatient_discharge: days,
                outpatient_not_improving: not_improving,
                co_occurring_substance_use: substance,
                withdrawal_risk,
            },
        )
}

fn policy(rules: LevelRules) -> Result<LevelPolicy, TestCaseError> {
    LevelPolicy::new(rules.clone())
        .map_err(|e| TestCaseError::fail(format!("valid rules refused: {e}\n{rules:#?}")))
}

/// Whether `bands` partition 7-35 in order with levels not falling, judged
/// composite by composite.
fn partitions(bands: &[Band]) -> bool {
    let covering = |c: u8| bands.iter().filter(|b| b.contains(c)).count();
    let inside = bands
        .iter()
        .all(|b| b.min <= b.max && b.min >= 7 && b.max <= 35);
    let ordered = bands
        .windows(2)
        .all(|w| w[0].max < w[1].min && w[0].level <= w[1].level);
    inside && ordered && (7..=35).all(|c| covering(c) == 1)
}

proptest! {
    #![proptest_config(ProptestConfig {
        max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 4096 },
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_valid_policy_is_monotone(
        rules in arb_rules(),
        a in arb_assessment(),
        d in arb_dimension(),
        to in arb_rating(),
    ) {
        let policy = policy(rules)?;
        let before = policy.recommend(&a).level();
        if to > a.ratings.rating(d) {
            let worse = Assessment { ratings: a.ratings.with_rating(d, to), ..a };
            let after = policy.recommend(&worse).level();
            prop_assert!(after >= before, "{d} rising to {to}: {before} fell to {after}");
        }
    }

    #[test]
    fn context_rules_and_floors_are_never_lowered(rules in arb_rules(), a in arb_assessment()) {
        let policy = policy(rules)?;
        let rec = policy.recommend(&a);
        let level = rec.level();
        let r = policy.rules();
        prop_assert!(level >= rec.band().level);
        for f in r.floors.iter().filter(|f| a.ratings.rating(f.dimension) >= f.min_rating) {
            prop_assert!(level >= f.level, "floor {f} lowered to {level}");
        }
        if let (Some(s), Some(days)) = (&r.step_down, a.days_since_inpatient_discharge)
            && s.applies(days)
        {
            prop_assert!(level >= s.level, "step-down lowered to {level}");
        }
        if let Some(s) = r.step_up.as_ref().filter(|_| a.outpatient_not_improving) {
            prop_assert!(level >= s.level, "step-up lowered to {level}");
        }
        let bare = Assessment {
            days_since_inpatient_discharge: None,
            outpatient_not_improving: false,
            ..a
        };
        prop_assert!(level >= policy.recommend(&bare).level(), "context lowered the level");
        if let Some(flag) = rec.flags().iter().position(|f| *f == carematch::level::Flag::ImminentRisk) {
            prop_assert_eq!(flag, 0, "imminent risk is not first");
        }
    }

    #[test]
    fn policy_and_recommendation_json_round_trip(rules in arb_rules(), a in arb_assessment()) {
        let policy = policy(rules)?;
        let json = serde_json::to_string(&policy).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(level_policy_from_json(&json), Ok(policy.clone()));
        let rec = policy.recommend(&a);
        let json = serde_json::to_string(&rec).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: LevelRecommendation =
            serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, rec);
    }

    #[test]
    fn the_band_check_accepts_exactly_the_partitions(
        mut bands in arb_bands(),
        i in any::<prop::sample::Index>(),
        delta in -2i8..=2,
        at_max in any::<bool>(),
    ) {
        let b = i.get_mut(&mut bands);
        let edge = if at_max { &mut b.max } else { &mut b.min };
        *edge = edge.saturating_add_signed(delta);
        let rules = LevelRules { bands: bands.clone(), ..LevelRules::default() };
        let accepted = LevelPolicy::new(rules).is_ok();
        prop_assert_eq!(accepted, partitions(&bands), "{:?}", bands);
    }
}
