//! The directory as a service uses it: one-step loading, questions about one
//! program, the fast default ranking, batches, and typed errors.

use carematch::{
    Directory, ErrorKind, LevelOfCare, ProgramId,
    matching::{Explanation, MatchOptions, Query, Weights},
    sample, synthetic,
};

fn sample_queries(dir: &Directory, options: MatchOptions) -> Vec<Query> {
    sample::patients()
        .iter()
        .map(|p| {
            dir.query(&p.needs, p.needs.level.expect("a level"), options)
                .expect("valid query")
        })
        .collect()
}

#[test]
fn loading_from_json_or_a_reader_validates_once_and_keeps_the_warnings() {
    let (programs, warnings) =
        carematch::load_directory(sample::MASSACHUSETTS_JSON, sample::AS_OF).unwrap();
    let from_text = Directory::from_json(sample::MASSACHUSETTS_JSON, sample::AS_OF).unwrap();
    let from_reader =
        Directory::from_reader(sample::MASSACHUSETTS_JSON.as_bytes(), sample::AS_OF).unwrap();
    assert_eq!(from_text.programs().collect::<Vec<_>>(), programs);
    assert_eq!(from_reader.programs().collect::<Vec<_>>(), programs);
    assert_eq!(from_text.warnings(), &warnings);
    assert_eq!(from_reader.warnings(), &warnings);

    let err = Directory::from_json(r#"{"programs": [{"id": "a b"}]}"#, sample::AS_OF).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Json);
    assert_eq!(err.path(), Some("programs[0].id"));

    let mut programs = sample::massachusetts();
    programs[2].name.clear();
    let broken = serde_json::json!({ "programs": programs }).to_string();
    let err = Directory::from_json(&broken, sample::AS_OF).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    assert_eq!(err.problems()[0].path, "programs[2].name");
    assert!(
        err.problems()
            .iter()
            .all(|p| p.severity == carematch::ProblemSeverity::Error)
    );
}

#[test]
fn explain_agrees_with_the_full_ranking_for_every_program() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let weights = Weights::default();
    let options = MatchOptions::new(sample::AS_OF)
        .with_alternatives_included(true)
        .with_exclusion_details(true);
    for q in sample_queries(&dir, options) {
        let all = dir.rank(&q, &weights, dir.len());
        for p in dir.programs() {
            match dir.explain(&q, &weights, &p.id) {
                Explanation::Match { rank, details } => {
                    assert_eq!(&all.matches[rank - 1], &details, "{}", p.id);
                }
                Explanation::Alternative { rank, details } => {
                    assert_eq!(&all.alternatives[rank - 1], &details, "{}", p.id);
                }
                Explanation::Excluded { details } => {
                    assert!(all.excluded.contains(&details), "{}", p.id);
                }
                other => panic!("{}: {other:?}", p.id),
            }
        }
        // Outside the top k too: the last match of the full ranking.
        if let Some(last) = all.matches.last() {
            let top1 = dir.rank(&q, &weights, 1);
            assert!(top1.matches.len() <= 1);
            let Explanation::Match { rank, details } = dir.explain(&q, &weights, &last.program_id)
            else {
                panic!("a match")
            };
            assert_eq!((rank, &details), (all.matches.len(), last));
        }
        assert_eq!(dir.exclusions(&q).collect::<Vec<_>>(), all.excluded);
    }
    let q = &sample_queries(&dir, MatchOptions::new(sample::AS_OF))[0];
    assert_eq!(
        dir.explain(q, &weights, "not-a-program"),
        Explanation::UnknownProgram {
            program_id: "not-a-program".to_owned()
        }
    );
}

#[test]
fn the_default_ranking_counts_exclusions_and_stays_small_at_30000_programs() {
    let dir = Directory::new(synthetic::directory(30_000, 2026), synthetic::AS_OF).unwrap();
    let needs = synthetic::patients(1, 2026).remove(0);
    let level = needs.level.unwrap();
    let q = dir
        .query(&needs, level, MatchOptions::new(synthetic::AS_OF))
        .unwrap();
    let r = dir.rank(&q, &Weights::default(), 10);
    assert!(r.excluded.is_empty());
    assert!(r.excluded_count > 0);
    assert_eq!(
        r.eligible + r.alternatives_eligible + r.excluded_count,
        30_000
    );
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.len() < 100_000, "{} bytes", json.len());
    // The details, when asked, list every exclusion.
    let detailed = dir
        .query(
            &needs,
            level,
            MatchOptions::new(synthetic::AS_OF).with_exclusion_details(true),
        )
        .unwrap();
    let d = dir.rank(&detailed, &Weights::default(), 10);
    assert_eq!(d.excluded.len(), d.excluded_count);
    assert_eq!(d.matches, r.matches);
    assert_eq!(d.exclusion_counts, r.exclusion_counts);
}

#[test]
fn a_batch_ranks_as_one_query_at_a_time() {
    // Run with and without `--features rayon`: the results are the same.
    let dir = Directory::new(synthetic::directory(2_000, 5), synthetic::AS_OF).unwrap();
    let queries: Vec<Query> = synthetic::patients(40, 5)
        .iter()
        .map(|n| {
            dir.query(n, n.level.unwrap(), MatchOptions::new(synthetic::AS_OF))
                .unwrap()
        })
        .collect();
    let one_by_one: Vec<_> = queries
        .iter()
        .map(|q| dir.rank(q, &Weights::default(), 10))
        .collect();
    assert_eq!(
        dir.rank_batch(&queries, &Weights::default(), 10),
        one_by_one
    );
}

#[test]
fn program_ids_work_as_map_keys_looked_up_by_str() {
    use std::collections::{BTreeMap, HashMap};
    let id = ProgramId::try_from("wor-1").unwrap();
    assert_eq!(id.as_ref(), "wor-1");
    assert_eq!(id.to_string(), "wor-1");
    assert_eq!(
        ProgramId::try_from("two words").unwrap_err().kind(),
        ErrorKind::Parse
    );
    let hashed: HashMap<ProgramId, u8> = [(id.clone(), 1)].into();
    let ordered: BTreeMap<ProgramId, u8> = [(id, 2)].into();
    assert_eq!(hashed.get("wor-1"), Some(&1));
    assert_eq!(ordered.get("wor-1"), Some(&2));
}

#[test]
fn error_kinds_are_matched_without_strings() {
    let mut needs = sample::patients()[0].needs.clone();
    needs.level = Some(LevelOfCare::Outpatient);
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let err = dir
        .query(
            &needs,
            LevelOfCare::Residential,
            MatchOptions::new(sample::AS_OF),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Query);
    assert_eq!(err.problems()[0].path, "level");
    let err = carematch::matching::Weights::default()
        .with_weight(carematch::matching::Criterion::Distance, -1.0)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.problems().is_empty());
    assert_eq!(ErrorKind::DuplicateProgram.to_string(), "duplicate_program");
}
