//! The assignment's solver against the one it replaced (issue 29): on
//! random generated queues and directories, contested and saturated, both
//! reach the same optimum in every tier (the most placed, then the highest
//! total score in millionths, then the smallest sum of choice ranks), within
//! every program's slots, with the same referrals held or invalid.
//!
//! The old solver (a minimum-cost flow by successive shortest paths, solved
//! again from the start after each deeper ranking) is kept behind the
//! `testing` feature as `AssignOptions::with_reference_solver`. Equal optima
//! may still differ in which of two equally good placements they choose; the
//! objective is what must be equal.
//!
//! A failure prints the instance (programs, referrals, seed, options); it
//! means the new solver found a worse placement than the exact old one (or a
//! better one, which would mean the old one was not exact).

mod common;

use std::collections::BTreeMap;

use carematch::assign::{
    AssignOptions, Assignment, PriorityPolicy, ReferralStatus, SCORE_RESOLUTION, assign,
};
use carematch::{Directory, synthetic};
use proptest::prelude::*;

/// Per tier, most urgent first: (placed, total score in millionths, sum of
/// choice ranks), the objective the assignment optimizes in that order.
fn objective(a: &Assignment) -> Vec<(u8, usize, i64, usize)> {
    let mut by_tier: BTreeMap<u8, (usize, i64, usize)> = BTreeMap::new();
    for r in &a.referrals {
        if matches!(r.status, ReferralStatus::Held | ReferralStatus::Invalid) {
            continue;
        }
        let e = by_tier.entry(r.priority.tier.get()).or_default();
        if let Some(p) = &r.placement {
            e.0 += 1;
            e.1 += (p.score / SCORE_RESOLUTION).round() as i64;
            e.2 += p.choice;
        }
    }
    by_tier
        .into_iter()
        .map(|(t, (n, s, c))| (t, n, s, c))
        .collect()
}

/// Every program holds at most its open slots (counted as `unlisted` when
/// it lists none).
fn within_slots(dir: &Directory, a: &Assignment, unlisted: u32) -> Result<(), String> {
    let mut taken: BTreeMap<&str, u32> = BTreeMap::new();
    for p in a.referrals.iter().filter_map(|r| r.placement.as_ref()) {
        *taken.entry(p.program_id.as_str()).or_default() += 1;
    }
    for (id, n) in taken {
        let slots = dir
            .get(id)
            .map(|p| p.open_slots.unwrap_or(unlisted))
            .unwrap_or(0);
        if n > slots {
            return Err(format!("{id}: {n} placed in {slots} slots"));
        }
    }
    Ok(())
}

/// The statuses of held and invalid referrals, by id (the same whatever the solver).
fn not_placeable(a: &Assignment) -> Vec<(String, ReferralStatus)> {
    a.referrals
        .iter()
        .filter(|r| matches!(r.status, ReferralStatus::Held | ReferralStatus::Invalid))
        .map(|r| (r.referral_id.to_string(), r.status))
        .collect()
}

/// Both solvers on one instance; an error describes the difference.
fn compare(
    programs: usize,
    referrals: usize,
    seed: u64,
    candidates: usize,
    unlisted: u32,
    allow_poor: bool,
) -> Result<(), String> {
    let dir = Directory::new(synthetic::directory(programs, seed), synthetic::AS_OF)
        .map_err(|e| e.to_string())?;
    let queue = synthetic::referrals(referrals, seed.wrapping_add(1));
    let policy = PriorityPolicy {
        allow_poor_clinical_fit: allow_poor,
        ..PriorityPolicy::default()
    };
    let options = AssignOptions::new(synthetic::AS_OF)
        .with_candidates(candidates)
        .with_unlisted_slots(unlisted)
        .with_threads(1);
    let new = assign(&dir, &queue, &policy, &options).map_err(|e| e.to_string())?;
    let old = assign(
        &dir,
        &queue,
        &policy,
        &options.clone().with_reference_solver(true),
    )
    .map_err(|e| e.to_string())?;
    within_slots(&dir, &new, unlisted)?;
    if objective(&new) != objective(&old) {
        return Err(format!(
            "objective per tier (tier, placed, score, choices): new {:?} against old {:?}",
            objective(&new),
            objective(&old)
        ));
    }
    if not_placeable(&new) != not_placeable(&old) {
        return Err("held or invalid referrals differ".into());
    }
    // Equal optima: the same number placed, so the same number not placed,
    // each with a reason and, when it has eligible programs, a waitlist.
    for r in new
        .referrals
        .iter()
        .filter(|r| r.status == ReferralStatus::Unplaced)
    {
        if r.eligible > 0 && r.waitlist.is_empty() && !allow_poor {
            let old_r = old
                .referrals
                .iter()
                .find(|o| o.referral_id == r.referral_id);
            if old_r.is_some_and(|o| !o.waitlist.is_empty()) {
                return Err(format!(
                    "{}: no waitlist, the old one had one",
                    r.referral_id
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn a_saturated_queue_reaches_the_old_optimum() {
    // Five referrals for every program, most programs with 0 to 3 slots,
    // two candidates each at first: the lower tiers find few slots left,
    // and the programs still open are read from a directory of their own.
    compare(600, 3_000, 7, 2, 0, false).unwrap();
}

#[test]
fn a_contested_queue_with_short_lists_reaches_the_old_optimum() {
    // One candidate each at first: nearly every list is ranked deeper.
    compare(1_000, 800, 11, 1, 1, false).unwrap();
}

#[test]
fn unplaced_referrals_keep_the_old_waitlists_and_reasons_when_the_optimum_is_the_same() {
    // Where both solvers choose the same placements, the whole output is the
    // same, byte for byte: reasons and waitlists of unplaced referrals
    // included, though the new solver reads fewer of their lists.
    let dir = Directory::new(synthetic::directory(400, 3), synthetic::AS_OF).unwrap();
    let queue = synthetic::referrals(900, 4);
    let policy = PriorityPolicy::default();
    let options = AssignOptions::new(synthetic::AS_OF).with_threads(1);
    let new = assign(&dir, &queue, &policy, &options).unwrap();
    let old = assign(
        &dir,
        &queue,
        &policy,
        &options.clone().with_reference_solver(true),
    )
    .unwrap();
    let places = |a: &Assignment| -> Vec<Option<String>> {
        a.referrals
            .iter()
            .map(|r| r.placement.as_ref().map(|p| p.program_id.to_string()))
            .collect()
    };
    if places(&new) == places(&old) {
        assert_eq!(
            serde_json::to_string(&new).unwrap(),
            serde_json::to_string(&old).unwrap()
        );
    } else {
        assert_eq!(objective(&new), objective(&old));
    }
    assert!(
        new.referrals
            .iter()
            .any(|r| r.status == ReferralStatus::Unplaced && r.eligible > 0),
        "the queue leaves referrals with eligible programs unplaced"
    );
}

proptest! {
    #![proptest_config(common::config(24, "assign_scale"))]

    #[test]
    fn the_solver_reaches_the_old_solvers_optimum_on_random_queues(
        programs in 20usize..400,
        per_program in 1usize..6,
        seed in any::<u64>(),
        candidates in 1usize..=10,
        unlisted in 0u32..=1,
        allow_poor in any::<bool>(),
    ) {
        let referrals = (programs * per_program / 2).max(1);
        let r = compare(programs, referrals, seed, candidates, unlisted, allow_poor);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}
