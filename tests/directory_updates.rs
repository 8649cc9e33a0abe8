//! Live updates: after any sequence of inserts, replacements, removals and
//! accepting/wait changes, the directory ranks exactly as one built afresh
//! with `Directory::new` over the same programs.
//!
//! A failure prints the seed and the operations; replaying them on
//! `sample::massachusetts()` with `synthetic::directory(POOL, seed)` as the
//! pool rebuilds the case.

use carematch::{
    Directory, ErrorKind, Program, ProgramId,
    matching::{Explanation, MatchOptions, Query, Scan, Weights, rank_plain},
    sample, synthetic,
};
use proptest::prelude::*;

const POOL: usize = 24;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 32,
        max_shrink_iters: if std::env::var_os("CI").is_some() {
            0
        } else {
            256
        },
        ..ProptestConfig::default()
    }
}

/// One update; indices are taken modulo the current sizes.
#[derive(Debug, Clone)]
enum Op {
    /// Inserts pool program `n` (under its own id, `pool-n`).
    Insert(usize),
    /// Replaces program `at` by pool program `n`'s content under `at`'s id.
    Replace { at: usize, n: usize },
    /// Removes program `at`.
    Remove(usize),
    /// Sets program `at`'s accepting flag and wait.
    SetAccepting {
        at: usize,
        accepting: bool,
        wait: Option<u16>,
    },
    /// Inserts a copy of program `at` (refused: its id is taken).
    InsertDuplicate(usize),
    /// Removes an id no program has (refused).
    RemoveUnknown,
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..POOL).prop_map(Op::Insert),
        3 => (any::<usize>(), 0..POOL).prop_map(|(at, n)| Op::Replace { at, n }),
        3 => any::<usize>().prop_map(Op::Remove),
        3 => (any::<usize>(), any::<bool>(), proptest::option::of(0u16..120))
            .prop_map(|(at, accepting, wait)| Op::SetAccepting { at, accepting, wait }),
        1 => any::<usize>().prop_map(Op::InsertDuplicate),
        1 => Just(Op::RemoveUnknown),
    ]
}

fn pool(seed: u64) -> Vec<Program> {
    synthetic::directory(POOL, seed)
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            p.id = ProgramId::try_from(format!("pool-{i}")).expect("a valid id");
            // Verified on the sample's date, so the pool validates against it.
            p.last_verified = sample::AS_OF;
            p
        })
        .collect()
}

/// Applies `op` to the live directory and to the model list, which must stay equal.
fn apply(
    dir: &mut Directory,
    model: &mut Vec<Program>,
    pool: &[Program],
    op: &Op,
) -> Result<(), TestCaseError> {
    let id_at = |model: &Vec<Program>, at: usize| model[at % model.len()].id.clone();
    match op {
        Op::Insert(n) => {
            let p = pool[*n].clone();
            let result = dir.insert(p.clone());
            if model.iter().any(|m| m.id == p.id) {
                prop_assert_eq!(
                    result.map_err(|e| e.kind()).err(),
                    Some(ErrorKind::DuplicateProgram)
                );
            } else {
                prop_assert!(result.is_ok(), "{:?}", result);
                model.push(p);
            }
        }
        Op::Replace { at, n } if !model.is_empty() => {
            let id = id_at(model, *at);
            let mut p = pool[*n].clone();
            p.id = id.clone();
            let result = dir.replace(p.clone());
            prop_assert!(result.is_ok(), "{:?}", result);
            let i = model.iter().position(|m| m.id == id).expect("in the model");
            model[i] = p;
        }
        Op::Remove(at) if !model.is_empty() => {
            let id = id_at(model, *at);
            let removed = dir.remove(&id);
            let i = model.iter().position(|m| m.id == id).expect("in the model");
            let removed = removed.ok();
            prop_assert_eq!(removed.as_ref(), Some(&model[i]));
            model.remove(i);
        }
        Op::SetAccepting {
            at,
            accepting,
            wait,
        } if !model.is_empty() => {
            let id = id_at(model, *at);
            let result = dir.set_accepting(&id, *accepting, *wait);
            prop_assert!(result.is_ok(), "{:?}", result);
            let i = model.iter().position(|m| m.id == id).expect("in the model");
            model[i].accepting_new_patients = *accepting;
            model[i].typical_wait_days = *wait;
        }
        Op::InsertDuplicate(at) if !model.is_empty() => {
            let p = model[at % model.len()].clone();
            let err = dir
                .insert(p.clone())
                .expect_err("a duplicate id is refused");
            prop_assert_eq!(err.kind(), ErrorKind::DuplicateProgram);
            prop_assert_eq!(err.program_id(), Some(p.id.as_str()));
        }
        Op::RemoveUnknown => {
            let err = dir.remove("no-such-program").expect_err("unknown");
            prop_assert_eq!(err.kind(), ErrorKind::UnknownProgram);
        }
        // An operation on an empty directory: nothing to do.
        _ => {}
    }
    prop_assert_eq!(dir.programs().collect::<Vec<_>>(), model.clone());
    prop_assert_eq!(dir.len(), model.len());
    Ok(())
}

fn queries(dir: &Directory) -> Vec<Query> {
    let mut needs: Vec<_> = sample::patients().into_iter().map(|p| p.needs).collect();
    needs.extend(synthetic::patients(3, 7));
    // Without a place: the bit sets choose the programs read, so every
    // update must keep them right too.
    needs.extend(synthetic::patients(3, 8).into_iter().map(|mut n| {
        n.location = None;
        n
    }));
    let mut out = Vec::new();
    for n in &needs {
        let level = n.level.expect("sample and synthetic patients name a level");
        for options in [
            MatchOptions::new(sample::AS_OF),
            MatchOptions::new(sample::AS_OF)
                .with_exclusion_details(true)
                .with_alternatives_included(true)
                .with_waitlist_allowed(true)
                .with_self_pay_allowed(true),
        ] {
            out.push(dir.query(n, level, options).expect("valid query"));
        }
    }
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn updates_rank_as_a_fresh_directory(
        seed in any::<u64>(),
        ops in proptest::collection::vec(arb_op(), 1..40),
    ) {
        let pool = pool(seed);
        let mut model = sample::massachusetts();
        // The partitioned index whenever a query allows it, so every update
        // must keep the partitions and tallies right.
        let mut dir = Directory::new(model.clone(), sample::AS_OF)
            .expect("the sample validates")
            .with_scan(Scan::Partitions);
        for op in &ops {
            apply(&mut dir, &mut model, &pool, op)?;
        }
        let fresh = Directory::new(model.clone(), sample::AS_OF)
            .expect("the model validates")
            .with_scan(Scan::Full);
        let weights = Weights::default();
        for q in queries(&fresh) {
            for k in [3, 50] {
                let live = dir.rank(&q, &weights, k);
                let expected = fresh.rank(&q, &weights, k);
                prop_assert_eq!(&live, &expected, "k = {}", k);
                prop_assert_eq!(&live, &rank_plain(&model, &q, &weights, k));
            }
            prop_assert_eq!(
                dir.exclusions(&q).collect::<Vec<_>>(),
                fresh.exclusions(&q).collect::<Vec<_>>()
            );
            for p in model.iter().step_by(5) {
                prop_assert_eq!(
                    dir.explain(&q, &weights, &p.id),
                    fresh.explain(&q, &weights, &p.id)
                );
            }
        }
        for p in &model {
            prop_assert_eq!(dir.get(&p.id), Some(p.clone()));
        }
    }
}

#[test]
fn a_program_that_fails_validation_is_refused_and_nothing_changes() {
    let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let before = dir.programs().collect::<Vec<_>>();
    let mut bad = before[0].clone();
    bad.name.clear();
    let err = dir.replace(bad.clone()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.problems()[0].path, "name");
    bad.id = ProgramId::try_from("brand-new").unwrap();
    assert_eq!(dir.insert(bad).unwrap_err().kind(), ErrorKind::Invalid);
    assert_eq!(dir.programs().collect::<Vec<_>>(), before);
    let err = dir
        .set_accepting("no-such-program", true, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownProgram);
    assert_eq!(err.to_string(), "no program has the id `no-such-program`");
}

#[test]
fn closing_a_program_to_new_patients_takes_it_off_the_list() {
    let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let patient = &sample::patients()[0];
    let level = patient.needs.level.unwrap();
    let q = dir
        .query(&patient.needs, level, MatchOptions::new(sample::AS_OF))
        .unwrap();
    let first = dir.rank(&q, &Weights::default(), 1).matches[0]
        .program_id
        .clone();
    dir.set_accepting(&first, false, Some(30)).unwrap();
    let after = dir.rank(&q, &Weights::default(), 5);
    assert!(after.matches.iter().all(|m| m.program_id != first));
    let Explanation::Excluded { details } = dir.explain(&q, &Weights::default(), &first) else {
        panic!("a closed program is excluded");
    };
    assert_eq!(details.reasons.len(), 1, "{details}");
    assert_eq!(
        details.reasons[0].kind().key(),
        "not_accepting_new_patients"
    );
}
