//! JSON both ways for what a service sends and receives around a ranking:
//! rankings (with their matches, reasons, exclusions and alerts), match
//! options, weights and time windows. value -> JSON -> value must give the
//! same value; every reason, exclusion reason and alert carries its sentence
//! as `"text"`; every vocabulary value is written as its key.

#![cfg(feature = "serde")]

mod common;

use std::fmt::Debug;

use carematch::{
    Approach, Directory, LevelOfCare, LevelPolicy, Modality, TimeWindow,
    matching::{
        Alert, Criterion, ExclusionCount, ExclusionKind, ExclusionReason, MatchOptions, Query,
        Ranking, Reason, Therapy, Weights,
    },
    sample, synthetic,
};
use common::*;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// Writes `value` as JSON, reads it back, and returns the JSON.
fn round_trip<T>(value: &T) -> Result<Value, TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(value).map_err(fail)?;
    let back: T = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("{json}\ndoes not read back: {e}")))?;
    prop_assert_eq!(&back, value, "read back differently from {}", json);
    serde_json::from_str(&json).map_err(fail)
}

/// Checks that each object of `list` carries `"text"`, equal to the
/// `Display` of the matching item of `items`.
fn texts_agree<T: std::fmt::Display>(list: &Value, items: &[T]) -> Result<(), TestCaseError> {
    let list = list
        .as_array()
        .ok_or_else(|| fail(format!("not a list: {list}")))?;
    prop_assert_eq!(list.len(), items.len());
    for (json, item) in list.iter().zip(items) {
        let text = item.to_string();
        prop_assert_eq!(
            json.get("text").and_then(Value::as_str),
            Some(text.as_str()),
            "{}",
            json
        );
    }
    Ok(())
}

/// Checks the sentences of a ranking's JSON against the ranking.
fn ranking_texts(r: &Ranking, json: &Value) -> Result<(), TestCaseError> {
    texts_agree(&json["alerts"], &r.alerts)?;
    for (key, matches) in [("matches", &r.matches), ("alternatives", &r.alternatives)] {
        for (m, mj) in matches.iter().zip(
            json[key]
                .as_array()
                .ok_or_else(|| fail("no list of matches"))?,
        ) {
            texts_agree(&mj["alerts"], &m.alerts)?;
            for c in &m.criteria {
                texts_agree(&mj["criteria"][c.criterion.key()]["reasons"], &c.reasons)?;
            }
        }
    }
    for (e, ej) in r.excluded.iter().zip(
        json["excluded"]
            .as_array()
            .ok_or_else(|| fail("no list of exclusions"))?,
    ) {
        texts_agree(&ej["reasons"], &e.reasons)?;
    }
    Ok(())
}

fn options(bits: u8) -> MatchOptions {
    MatchOptions::new(sample::AS_OF)
        .with_self_pay_allowed(bits & 1 != 0)
        .with_waitlist_allowed(bits & 2 != 0)
        .with_alternatives_included(bits & 4 != 0)
        .with_exclusion_details(bits & 8 == 0)
}

fn arb_options() -> impl Strategy<Value = MatchOptions> {
    (
        arb_date(),
        any::<u8>(),
        prop::option::of(arb_level()),
        any::<u16>(),
        0.0f64..=1.0,
    )
        .prop_map(|(as_of, bits, floor, days, fit)| {
            MatchOptions::new(as_of)
                .with_self_pay_allowed(bits & 1 != 0)
                .with_waitlist_allowed(bits & 2 != 0)
                .with_alternatives_included(bits & 4 != 0)
                .with_exclusion_details(bits & 8 == 0)
                .with_safety_floor(floor)
                .with_step_down_days(days)
                .with_min_schedule_fit(fit)
        })
}

/// Weights that [`Weights::new`] accepts: each 0 or from 1e-6 up, not all 0.
fn arb_weights() -> impl Strategy<Value = Weights> {
    prop::array::uniform7(prop_oneof![Just(0.0), 1e-6f64..1e6])
        .prop_filter_map("every weight is 0", |w| {
            Weights::new(Criterion::ALL.iter().copied().zip(w)).ok()
        })
}

proptest! {
    #![proptest_config(config(64, "serde_output"))]

    /// Rankings of generated directories (the property-test strategies) for
    /// generated patients, under every combination of options.
    #[test]
    fn rankings_of_generated_directories(programs in arb_directory(12), needs in arb_patient_needs(), bits in 0u8..16, k in 0usize..6) {
        let Ok(dir) = Directory::new(programs, AS_OF) else { return Ok(()) };
        let mut needs = needs;
        needs.level.get_or_insert(LevelOfCare::IntensiveOutpatient);
        let level = needs.level.unwrap_or(LevelOfCare::IntensiveOutpatient);
        let Ok(q) = dir.query(&needs, level, options(bits)) else { return Ok(()) };
        let r = dir.rank(&q, &Weights::default(), k);
        let json = round_trip(&r)?;
        ranking_texts(&r, &json)?;
    }

    /// Rankings of seeded synthetic directories, for synthetic patients and
    /// for patients placed at one of the programs (so that matches, with all
    /// their reasons, are many).
    #[test]
    fn rankings_of_synthetic_directories(n in 1usize..120, dseed: u64, pseed: u64, bits in 0u8..16, k in 0usize..8) {
        let dir = Directory::new(synthetic::directory(n, dseed), sample::AS_OF).map_err(fail)?;
        let mut patients = synthetic::patients(2, pseed);
        if let Some(p) = dir.programs().next() {
            let mut placed = patients[0].clone();
            placed.level = Some(p.levels[0]);
            placed.age = placed.age.clamp(p.ages.min, p.ages.max);
            placed.payer = p.payers[0].clone();
            placed.max_travel_miles = None;
            patients.push(placed);
        }
        for needs in patients {
            let level = needs.level.ok_or_else(|| fail("a generated patient has a level"))?;
            let q = dir.query(&needs, level, options(bits)).map_err(fail)?;
            let r = dir.rank(&q, &Weights::default(), k);
            let json = round_trip(&r)?;
            ranking_texts(&r, &json)?;
            for m in &r.matches {
                round_trip(m)?;
            }
        }
    }

    #[test]
    fn match_options(o in arb_options()) {
        let json = round_trip(&o)?;
        // The keys are the setters' names.
        for key in ["as_of", "self_pay_allowed", "waitlist_allowed", "alternatives_included",
                    "exclusion_details", "safety_floor", "step_down_days", "min_schedule_fit"] {
            prop_assert!(json.get(key).is_some(), "no `{}` in {}", key, json);
        }
    }

    #[test]
    fn weights(w in arb_weights()) {
        let json = round_trip(&w)?;
        for c in Criterion::ALL {
            prop_assert_eq!(json[c.key()].as_f64(), Some(w.weight(*c)));
        }
    }

    #[test]
    fn time_window(w in arb_time_window()) {
        let json = round_trip(&w)?;
        let start = w.start.to_string();
        prop_assert_eq!(json["start"].as_str(), Some(start.as_str()));
    }
}

/// The sample patients, assessed with the default policy and ranked against
/// the sample directory: recommendations (each fired rule and alternative
/// with its sentence) and rankings with ranking alerts (imminent risk,
/// elevated risk, adolescent policy ...) round-trip, and their JSON has
/// each alert's sentence.
#[test]
fn sample_rankings_with_their_alerts_round_trip() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample loads");
    let policy = LevelPolicy::default();
    let mut alerts = 0;
    for p in sample::patients() {
        let rec = policy.recommend(&p.assessment);
        let rec_json = round_trip(&rec).unwrap_or_else(|e| panic!("{}: {e}", p.label));
        texts_agree(&rec_json["rules"], rec.rules()).unwrap_or_else(|e| panic!("{e}"));
        texts_agree(&rec_json["alternatives"], rec.alternatives())
            .unwrap_or_else(|e| panic!("{e}"));
        let opts = MatchOptions::new(sample::AS_OF).with_alternatives_included(true);
        let Ok(q) = Query::for_recommendation(&p.needs, &rec, dir.evidence(), opts) else {
            continue;
        };
        let r = dir.rank(&q, &Weights::default(), 5);
        alerts += r.alerts.len();
        let json = round_trip(&r).unwrap_or_else(|e| panic!("{}: {e}", p.label));
        ranking_texts(&r, &json).unwrap_or_else(|e| panic!("{}: {e}", p.label));
    }
    assert!(
        alerts > 0,
        "no sample ranking had an alert: the test checked none"
    );
}

#[test]
fn a_reason_is_written_with_its_key_fields_and_sentence() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample loads");
    let needs = &sample::patients()[0].needs;
    let q = dir
        .query(
            needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .expect("a valid query");
    let r = dir.rank(&q, &Weights::default(), 1);
    let json = serde_json::to_value(&r).expect("serializes");
    let wait = &json["matches"][0]["criteria"]["wait"]["reasons"][0];
    assert_eq!(wait["kind"], "wait_days", "{wait}");
    assert!(wait["days"].is_u64(), "{wait}");
    assert!(
        wait["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("typical wait to intake")),
        "{wait}"
    );
}

/// Therapies are written as keys, like every other vocabulary value; the
/// labels earlier versions wrote are still read.
#[test]
fn therapies_are_written_as_keys() {
    let all = Approach::ALL
        .iter()
        .map(|a| Therapy::Approach(*a))
        .chain(Modality::ALL.iter().map(|m| Therapy::Modality(*m)));
    for t in all {
        let json = serde_json::to_string(&t).expect("serializes");
        assert_eq!(json, format!("\"{}\"", t.key()));
        assert_eq!(serde_json::from_str::<Therapy>(&json).ok(), Some(t));
        let label = format!("\"{t}\"");
        assert_eq!(
            serde_json::from_str::<Therapy>(&label).ok(),
            Some(t),
            "{label}"
        );
    }
    let reason = Reason::Evidence {
        condition: carematch::Condition::ObsessiveCompulsive,
        primary: true,
        strength: carematch::matching::Strength::FirstLine,
        recommendation: carematch::matching::Recommendation::Strong,
        ages: carematch::matching::AgeBand::All,
        episode: carematch::matching::Episode::Any,
        credited: Some(Therapy::Approach(Approach::Cbt)),
        trained: None,
        offered: vec![Therapy::Modality(Modality::Psychoeducation)],
        missing: vec![Therapy::Approach(Approach::Erp)],
        partial: vec![carematch::matching::PartialCredit {
            therapy: Therapy::Approach(Approach::Cbt),
            instead_of: Therapy::Approach(Approach::Erp),
        }],
        source: "a source".into(),
    };
    let json = serde_json::to_value(&reason).expect("serializes");
    assert_eq!(json["offered"][0], "psychoeducation");
    assert_eq!(json["missing"][0], "erp");
    assert_eq!(json["strength"], "first_line");
    assert_eq!(json["recommendation"], "strong");
    assert_eq!(json["credited"], "cbt");
    assert_eq!(json["partial"][0]["therapy"], "cbt");
    assert_eq!(json["partial"][0]["instead_of"], "erp");
    let back: Reason = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, reason);
}

/// Open-ended limits and unknown distances (infinity) are written as `null`
/// and read back as infinity.
#[test]
fn infinite_limits_are_null_in_json() {
    let r = Reason::TrackHours {
        track: "Day".into(),
        hours: 22.5,
        min: 20.0,
        max: f64::INFINITY,
    };
    let json = serde_json::to_value(&r).expect("serializes");
    assert!(json["max"].is_null(), "{json}");
    assert_eq!(serde_json::from_value::<Reason>(json).ok(), Some(r));
    let e = ExclusionReason::TooFar {
        miles: f64::INFINITY,
        max_miles: 10.0,
    };
    let json = serde_json::to_value(&e).expect("serializes");
    assert_eq!(
        serde_json::from_value::<ExclusionReason>(json).ok(),
        Some(e)
    );
}

/// The text is derived, not data: reading ignores it, and reading without
/// it gives the same value.
#[test]
fn text_is_ignored_on_the_way_in() {
    let with = r#"{"kind": "wait_days", "days": 7, "text": "anything"}"#;
    let without = r#"{"kind": "wait_days", "days": 7}"#;
    let a: Reason = serde_json::from_str(with).expect("reads");
    let b: Reason = serde_json::from_str(without).expect("reads");
    assert_eq!(a, Reason::WaitDays { days: 7 });
    assert_eq!(a, b);
    let alert: Alert = serde_json::from_str(r#"{"kind": "moud_gap", "text": "x"}"#).expect("reads");
    assert_eq!(alert, Alert::MoudGap);
}

#[test]
fn exclusion_counts_name_their_kind_by_key() {
    let c = ExclusionCount {
        reason: ExclusionKind::TooFar,
        programs: 3,
    };
    let json = serde_json::to_string(&c).expect("serializes");
    assert_eq!(json, r#"{"reason":"too_far","programs":3}"#);
    assert_eq!(serde_json::from_str::<ExclusionCount>(&json).ok(), Some(c));
    assert!(serde_json::from_str::<ExclusionCount>(r#"{"reason":"far","programs":3}"#).is_err());
}

/// Reads `T` with the field path of the first error, as the crate's loaders report it.
fn path_of_error<T: DeserializeOwned + Debug>(json: &str) -> (String, String) {
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => panic!("{json} read as {v:?}"),
        Err(e) => (e.path().to_string(), e.inner().to_string()),
    }
}

#[test]
fn bad_weights_are_errors_at_their_key() {
    let ok = r#"{"therapy_fit": 0.25, "credentials": 0.2, "schedule_flexibility": 0.2,
                 "aftercare": 0.15, "distance": 0.1, "wait": 0.05, "freshness": 0.05}"#;
    assert_eq!(
        serde_json::from_str::<Weights>(ok).ok(),
        Some(Weights::default())
    );
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Request {
        weights: Weights,
    }
    for (bad, path, words) in [
        (
            ok.replace("\"wait\": 0.05", "\"wait\": -1"),
            "weights.wait",
            "wait",
        ),
        (
            ok.replace("\"wait\": 0.05", "\"wait\": 1e-9"),
            "weights.wait",
            "smallest",
        ),
        (
            ok.replace("\"wait\": 0.05", "\"wait\": \"x\""),
            "weights.wait",
            "f64",
        ),
        (
            ok.replace("\"wait\": 0.05,", ""),
            "weights",
            "missing weight for `wait`",
        ),
        (ok.replace("\"wait\"", "\"waiting\""), "weights", "waiting"),
        (
            ok.replace("\"distance\": 0.1", "\"wait\": 0.1"),
            "weights",
            "twice",
        ),
    ] {
        let json = format!(r#"{{"weights": {bad}}}"#);
        let (at, message) = path_of_error::<Request>(&json);
        assert!(
            at.starts_with(path),
            "{json}: error at `{at}`, not `{path}`: {message}"
        );
        assert!(
            message.contains(words),
            "{json}: `{message}` does not say `{words}`"
        );
    }
    // serde_json alone (no path) still names the criterion.
    let err = serde_json::from_str::<Weights>(&ok.replace("\"wait\": 0.05", "\"wait\": -1"))
        .expect_err("a negative weight");
    assert!(err.to_string().contains("wait: -1 is not"), "{err}");
    let zeros = r#"{"therapy_fit": 0, "credentials": 0, "schedule_flexibility": 0,
                    "aftercare": 0, "distance": 0, "wait": 0, "freshness": 0}"#;
    assert!(serde_json::from_str::<Weights>(zeros).is_err());
}

#[test]
fn match_options_from_a_request_body() {
    let o: MatchOptions =
        serde_json::from_str(r#"{"as_of": "2026-11-01", "self_pay_allowed": true}"#)
            .expect("reads");
    let date = "2026-11-01".parse().expect("a date");
    assert_eq!(o, MatchOptions::new(date).with_self_pay_allowed(true));
    let (at, message) =
        path_of_error::<MatchOptions>(r#"{"as_of": "2026-11-01", "min_schedule_fit": 1.5}"#);
    assert_eq!(at, "min_schedule_fit", "{message}");
    let (_, message) =
        path_of_error::<MatchOptions>(r#"{"as_of": "2026-11-01", "allow_selfpay": true}"#);
    assert!(message.contains("allow_selfpay"), "{message}");
    let (_, message) = path_of_error::<MatchOptions>(r#"{"self_pay_allowed": true}"#);
    assert!(message.contains("as_of"), "{message}");
}

#[test]
fn time_windows_are_checked_on_the_way_in() {
    let w: TimeWindow =
        serde_json::from_str(r#"{"start": "17:30", "end": "20:30"}"#).expect("reads");
    assert_eq!(w, TimeWindow::hm((17, 30), (20, 30)).expect("a window"));
    for bad in [
        r#"{"start": "12:00", "end": "09:00"}"#,
        r#"{"start": "09:00", "end": "09:00"}"#,
        r#"{"start": "09:00", "end": "10:00", "days": ["mon"]}"#,
    ] {
        assert!(serde_json::from_str::<TimeWindow>(bad).is_err(), "{bad}");
    }
}

/// Free-text resolution results (what the lenient readers report) round-trip
/// too: a resolved term of every family, and did-you-mean errors.
#[test]
fn resolutions_and_resolve_errors_round_trip() {
    use carematch::vocabulary::{Resolution, ResolveError, ResolvedTerm, TermFamily};
    let mut checked = 0;
    for family in TermFamily::ALL {
        for (text, _) in family.terms().into_iter().take(3) {
            let r = family.resolve(&text).expect("a listed term resolves");
            let json = serde_json::to_string(&r).expect("serializes");
            let back: Resolution<ResolvedTerm> = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, r, "{json}");
            checked += 1;
        }
        if let Err(e) = family.resolve("zzqx") {
            let json = serde_json::to_string(&e).expect("serializes");
            let back: ResolveError = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, e, "{json}");
        }
    }
    assert!(checked > 0);
}

/// The JSON the README shows for reasons, options and weights reads as
/// those types, and each reason's `"text"` is its sentence.
#[test]
fn the_readme_json_examples_read() {
    let readme = concat!(
        include_str!("../README.md"),
        include_str!("../docs/matching.md"),
        include_str!("../docs/formats.md"),
        include_str!("../docs/level-of-care.md"),
        include_str!("../docs/service.md"),
        include_str!("../docs/free-text.md")
    );
    let block_after = |marker: &str| -> Vec<Value> {
        let at = readme
            .find(marker)
            .unwrap_or_else(|| panic!("`{marker}` not in the README"));
        let rest = &readme[at..];
        let start = rest.find("```json\n").expect("a JSON block") + "```json\n".len();
        let end = rest[start..].find("```").expect("the block ends") + start;
        serde_json::Deserializer::from_str(&rest[start..end])
            .into_iter::<Value>()
            .map(|v| v.unwrap_or_else(|e| panic!("{marker}: {e}")))
            .collect()
    };
    let reasons = block_after("sentence as `\"text\"`:");
    assert_eq!(reasons.len(), 2);
    let r: Reason = serde_json::from_value(reasons[0].clone()).expect("a reason");
    assert_eq!(reasons[0]["text"], r.to_string());
    let e: ExclusionReason = serde_json::from_value(reasons[1].clone()).expect("an exclusion");
    assert_eq!(reasons[1]["text"], e.to_string());
    let docs = block_after("Options and weights come from JSON");
    assert_eq!(docs.len(), 2);
    let o: MatchOptions = serde_json::from_value(docs[0].clone()).expect("options");
    assert!(o.self_pay_allowed());
    let w: Weights = serde_json::from_value(docs[1].clone()).expect("weights");
    assert_eq!(w, Weights::default());
}

/// A match reads back only with an entry for every criterion, each naming
/// the criterion it is filed under.
#[test]
fn a_match_needs_every_criterion_under_its_own_key() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample loads");
    let q = dir
        .query(
            &sample::patients()[0].needs,
            sample::patients()[0].needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .expect("a valid query");
    let m = dir.rank(&q, &Weights::default(), 1).matches.remove(0);
    let json = serde_json::to_value(&m).expect("serializes");
    assert_eq!(
        serde_json::from_value::<carematch::matching::Match>(json.clone()).ok(),
        Some(m)
    );
    let mut missing = json.clone();
    missing["criteria"]
        .as_object_mut()
        .expect("criteria is a map")
        .remove("wait");
    let err = serde_json::from_value::<carematch::matching::Match>(missing).expect_err("no wait");
    assert!(err.to_string().contains("`wait`"), "{err}");
    let mut misfiled = json;
    misfiled["criteria"]["wait"]["criterion"] = "distance".into();
    let err = serde_json::from_value::<carematch::matching::Match>(misfiled).expect_err("misfiled");
    assert!(err.to_string().contains("criteria.wait"), "{err}");
}

/// `Directory::explain`'s answer reads back as itself, whatever the outcome:
/// a match, an alternative, an exclusion and an unknown id, each written with
/// its `"outcome"` key.
#[test]
fn explanations_of_every_outcome_round_trip() {
    let dir = Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample loads");
    let weights = Weights::default();
    let mut outcomes = std::collections::BTreeSet::new();
    for p in sample::patients() {
        let level = p.needs.level.expect("a sample patient has a level");
        let options = MatchOptions::new(sample::AS_OF).with_alternatives_included(true);
        let q = dir.query(&p.needs, level, options).expect("a valid query");
        let ids = dir.ids().map(str::to_owned);
        for id in ids.chain(["no-such-program".to_owned()]) {
            let e = dir.explain(&q, &weights, &id);
            let json = round_trip(&e)
                .map_err(|e| e.to_string())
                .expect("round trip");
            outcomes.insert(json["outcome"].as_str().expect("an outcome key").to_owned());
        }
    }
    let want = ["alternative", "excluded", "match", "unknown_program"];
    assert_eq!(
        outcomes.iter().map(String::as_str).collect::<Vec<_>>(),
        want
    );
}
