//! Level of care: every rating combination, the band and day edges, plain-word
//! vignettes, overrides, JSON shapes and error paths.

use LevelOfCare::{
    Inpatient, IntensiveOutpatient as Iop, Outpatient, PartialHospitalization as Php, Residential,
};
use carematch::{
    Assessment, Dimension, LevelOfCare, LevelPolicy, Rating, Ratings, assessment_from_json,
    level::{
        AlternativeReason, Effect, Flag, LevelRecommendation, LevelRules, OverrideReason, Rule,
    },
    level_policy_from_json,
};

const COMBINATIONS: usize = 78_125; // 5^7

/// Ratings from seven numbers in `Dimension::ALL` order (the test's own data).
fn ratings(values: [u8; 7]) -> Ratings {
    match Ratings::try_from(values) {
        Ok(r) => r,
        Err(e) => panic!("test data {values:?}: {e}"),
    }
}

fn rating(v: u8) -> Rating {
    match Rating::new(v) {
        Ok(r) => r,
        Err(e) => panic!("test data {v}: {e}"),
    }
}

/// The `i`-th of the 78,125 combinations: digit `d` (base 5) is the rating of `Dimension::ALL[d]` minus 1.
fn combination(mut i: usize) -> [u8; 7] {
    let mut out = [0u8; 7];
    for slot in &mut out {
        *slot = (i % 5) as u8 + 1;
        i /= 5;
    }
    out
}

/// The default policy as the issue states it, written out independently of
/// the library: bands on the sum, then the floors for the first three dimensions.
fn expected_level(r: [u8; 7]) -> LevelOfCare {
    let sum: u8 = r.iter().sum();
    let band = match sum {
        7..=16 => Outpatient,
        17..=19 => Iop,
        20..=22 => Php,
        23..=27 => Residential,
        _ => Inpatient,
    };
    let worst = r[0].max(r[1]).max(r[2]);
    let floor = match worst {
        5 => Inpatient,
        4 => Residential,
        _ => Outpatient,
    };
    band.max(floor)
}

fn recommend(a: &Assessment) -> LevelRecommendation {
    LevelPolicy::default().recommend(a)
}

fn level_of(values: [u8; 7]) -> LevelOfCare {
    recommend(&Assessment::new(ratings(values)).with_age(40)).level()
}

#[test]
fn every_combination_gets_the_stated_level_and_levels_never_fall_as_a_rating_rises() {
    let policy = LevelPolicy::default();
    let mut levels = vec![Outpatient; COMBINATIONS];
    for (i, slot) in levels.iter_mut().enumerate() {
        let values = combination(i);
        let a = Assessment::new(ratings(values)).with_age(40);
        let rec = policy.recommend(&a);
        let level = rec.level();
        assert_eq!(level, expected_level(values), "{values:?}");
        assert_eq!(
            rec.composite(),
            values.iter().sum::<u8>(),
            "{values:?}: composite"
        );
        assert!(rec.band().contains(rec.composite()), "{values:?}: band");
        assert!(rec.band().level <= level, "{values:?}: below its band");
        assert_eq!(
            rec.floor_level().is_some(),
            values[..3].iter().any(|&v| v >= 4)
        );
        if values[0] == 5 {
            assert_eq!(level, Inpatient, "{values:?}: risk of harm 5");
            assert_eq!(rec.flags().first(), Some(&Flag::ImminentRisk), "{values:?}");
        } else {
            assert!(!rec.has_flag(Flag::ImminentRisk), "{values:?}");
        }
        if values[..3].contains(&4) {
            assert!(
                level >= Residential,
                "{values:?}: a 4 in a floored dimension"
            );
        }
        // Alternatives are the adjacent levels, lower first.
        let alts: Vec<LevelOfCare> = rec.alternatives().iter().map(|a| a.level).collect();
        let adjacent: Vec<LevelOfCare> = [level.lower(), level.higher()]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(alts, adjacent, "{values:?}");
        *slot = level;
    }
    // Raising any one rating by one never lowers the level.
    let mut checked = 0;
    for (i, &level) in levels.iter().enumerate() {
        let mut place = 1;
        for _ in 0..7 {
            if (i / place) % 5 < 4 {
                let up = levels[i + place];
                assert!(
                    up >= level,
                    "{:?} -> {:?}: {level} fell to {up}",
                    combination(i),
                    combination(i + place)
                );
                checked += 1;
            }
            place *= 5;
        }
    }
    assert_eq!(checked, 7 * 4 * 5usize.pow(6));
}

#[test]
fn step_down_and_step_up_never_lower_a_level_over_every_combination() {
    let policy = LevelPolicy::default();
    for i in 0..COMBINATIONS {
        let values = combination(i);
        let base = Assessment::new(ratings(values)).with_age(40);
        let plain = policy.recommend(&base).level();
        let down = policy
            .recommend(&base.with_days_since_inpatient_discharge(10))
            .level();
        let up = policy
            .recommend(&base.with_outpatient_not_improving())
            .level();
        assert_eq!(down, plain.max(Iop), "{values:?}: step-down");
        assert_eq!(up, plain.max(Iop), "{values:?}: step-up");
    }
}

/// Ratings with this composite and every floored dimension at 3 or less.
fn without_floors(composite: u8) -> [u8; 7] {
    let mut r = [1u8; 7];
    let mut left = composite - 7;
    // Fill the unfloored dimensions first, then the floored ones up to 3.
    for (d, cap) in [(3, 5), (4, 5), (5, 5), (6, 5), (0, 3), (1, 3), (2, 3)] {
        let add = left.min(cap - 1);
        r[d] += add;
        left -= add;
    }
    assert_eq!(
        left, 0,
        "composite {composite} needs a floored dimension above 3"
    );
    r
}

#[test]
fn band_edges() {
    for (below, above, low, high) in [
        (16, 17, Outpatient, Iop),
        (19, 20, Iop, Php),
        (22, 23, Php, Residential),
        (27, 28, Residential, Inpatient),
    ] {
        let (a, b) = (without_floors(below), without_floors(above));
        assert_eq!(level_of(a), low, "composite {below}: {a:?}");
        assert_eq!(level_of(b), high, "composite {above}: {b:?}");
    }
    assert_eq!(level_of([1; 7]), Outpatient, "composite 7");
    assert_eq!(level_of([3, 3, 3, 5, 5, 5, 5]), Inpatient, "composite 29");
}

#[test]
fn step_down_applies_through_day_30_and_not_on_day_31() {
    let stable = Assessment::new(ratings([1, 2, 2, 2, 1, 2, 2])).with_age(45);
    let at = |days| recommend(&stable.with_days_since_inpatient_discharge(days)).level();
    assert_eq!(recommend(&stable).level(), Outpatient);
    assert_eq!(at(0), Iop);
    assert_eq!(at(30), Iop);
    assert_eq!(at(31), Outpatient);
    assert_eq!(at(u16::MAX), Outpatient);
}

#[test]
fn context_rules_never_lower_a_safety_floor() {
    // Functional status 5: inpatient, whatever the context says.
    let a = Assessment::new(ratings([1, 5, 1, 1, 1, 1, 1]))
        .with_age(50)
        .with_days_since_inpatient_discharge(3)
        .with_outpatient_not_improving();
    let rec = recommend(&a);
    assert_eq!(rec.level(), Inpatient);
    assert_eq!(rec.floor_level(), Some(Inpatient));
    let effects: Vec<(&str, Effect)> = rec
        .rules()
        .iter()
        .map(|r| (r.rule.kind(), r.effect))
        .collect();
    assert_eq!(
        effects,
        [
            ("band", Effect::Sets),
            ("floor", Effect::Raises { from: Outpatient }),
            ("floor", Effect::Raises { from: Residential }),
            ("step-down", Effect::AlreadyMet),
            ("step-up", Effect::AlreadyMet),
        ]
    );
    // A site policy whose step rules aim low cannot pull a floor down either.
    let mut rules = LevelRules::default();
    if let Some(s) = rules.step_down.as_mut() {
        s.level = Outpatient;
    }
    if let Some(s) = rules.step_up.as_mut() {
        s.level = Outpatient;
    }
    let policy = LevelPolicy::new(rules).expect("valid policy");
    assert_eq!(policy.recommend(&a).level(), Inpatient);
}

// Vignettes, in plain words.

#[test]
fn vignette_stable_ten_days_after_an_inpatient_stay_with_good_support() {
    let a = Assessment::new(ratings([2, 2, 2, 2, 1, 2, 2]))
        .with_age(45)
        .with_days_since_inpatient_discharge(10);
    let rec = recommend(&a);
    assert_eq!(rec.band().level, Outpatient);
    assert_eq!(rec.level(), Iop);
    assert_eq!(
        rec.rules()[1].rule,
        Rule::StepDown {
            days_since_discharge: 10,
            within_days: 30,
            level: Iop
        }
    );
    assert_eq!(rec.rules()[1].effect, Effect::Raises { from: Outpatient });
    assert!(rec.flags().is_empty(), "{:?}", rec.flags());
    let text = rec.to_string();
    assert!(text.contains("as a step-down"), "{text}");
}

#[test]
fn vignette_months_of_weekly_therapy_without_improvement() {
    let a = Assessment::new(ratings([2, 2, 1, 3, 2, 3, 2]))
        .with_age(29)
        .with_outpatient_not_improving();
    let rec = recommend(&a);
    assert_eq!(rec.composite(), 15);
    assert_eq!(rec.level(), Iop);
    assert_eq!(rec.rules()[1].rule, Rule::StepUp { level: Iop });
}

#[test]
fn vignette_well_and_on_maintenance() {
    let rec = recommend(&Assessment::new(ratings([1, 1, 1, 2, 1, 1, 2])).with_age(60));
    assert_eq!(rec.level(), Outpatient);
    assert_eq!(rec.rules().len(), 1, "only the band fires");
    assert_eq!(rec.alternatives().len(), 1);
    let higher = &rec.alternatives()[0];
    assert_eq!(higher.level, Iop);
    assert!(!higher.worth_considering);
    assert_eq!(
        higher.reason,
        AlternativeReason::BandDistance {
            composite: 9,
            min: 17,
            max: 19,
            points: 8
        }
    );
}

#[test]
fn vignette_struggling_at_work_and_home_with_a_partial_response_to_care() {
    // Moderate everywhere, stressful home, little support: composite 21.
    let rec = recommend(&Assessment::new(ratings([3, 3, 3, 4, 3, 3, 2])).with_age(38));
    assert_eq!(rec.composite(), 21);
    assert_eq!(rec.level(), Php);
    assert!(rec.alternatives().iter().all(|a| !a.worth_considering));
}

#[test]
fn vignette_a_plan_and_intent_to_die_puts_crisis_care_first() {
    let a = Assessment::new(ratings([5, 2, 2, 3, 2, 2, 2])).with_age(27);
    let rec = recommend(&a);
    assert_eq!(rec.level(), Inpatient);
    assert_eq!(rec.flags(), [Flag::ImminentRisk]);
    let text = rec.to_string();
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("IMMINENT RISK: evaluate for crisis care now"),
        "{text}"
    );
    assert!(
        first.contains("833-773-2445") && first.contains("988"),
        "{first}"
    );
}

#[test]
fn vignette_serious_self_neglect_with_a_low_composite() {
    let rec = recommend(&Assessment::new(ratings([2, 4, 1, 2, 2, 1, 2])).with_age(70));
    assert_eq!(rec.composite(), 14);
    assert_eq!(rec.level(), Residential);
    let lower = &rec.alternatives()[0];
    assert_eq!(lower.level, Php);
    assert!(!lower.worth_considering);
    assert!(
        matches!(
            &lower.reason,
            AlternativeReason::RuledOut {
                by: Rule::Floor {
                    dimension: Dimension::FunctionalStatus,
                    ..
                }
            }
        ),
        "{lower}"
    );
}

#[test]
fn vignette_a_sixteen_year_old_gets_the_adolescent_warning() {
    let rec = recommend(&Assessment::new(ratings([2, 3, 2, 3, 2, 3, 2])).with_age(16));
    assert_eq!(rec.level(), Iop);
    assert_eq!(rec.flags(), [Flag::Adolescent]);
    assert_eq!(
        rec.rules().last().map(|r| &r.rule),
        Some(&Rule::Adolescent {
            age: 16,
            min_age: 18
        })
    );
    assert!(rec.to_string().contains("validated for"));
    let adult = recommend(&Assessment::new(ratings([2, 3, 2, 3, 2, 3, 2])).with_age(18));
    assert!(adult.flags().is_empty());
    let unknown = recommend(&Assessment::new(ratings([2, 3, 2, 3, 2, 3, 2])));
    assert_eq!(unknown.flags(), [Flag::AgeUnknown]);
}

#[test]
fn vignette_one_point_into_a_band_marks_the_lower_level_worth_considering() {
    let rec = recommend(&Assessment::new(ratings([2, 3, 2, 3, 2, 3, 2])).with_age(34));
    assert_eq!(rec.level(), Iop);
    let [lower, higher] = rec.alternatives() else {
        panic!("two alternatives: {:?}", rec.alternatives());
    };
    assert_eq!((lower.level, lower.worth_considering), (Outpatient, true));
    assert_eq!((higher.level, higher.worth_considering), (Php, false));
}

#[test]
fn conflicting_inputs_are_flagged_after_imminent_risk() {
    let a = Assessment::new(ratings([5, 2, 1, 2, 2, 2, 2]))
        .with_age(30)
        .with_days_since_inpatient_discharge(4)
        .with_outpatient_not_improving()
        .with_co_occurring_substance_use();
    let flags = recommend(&a).flags().to_vec();
    assert_eq!(
        flags,
        [
            Flag::ImminentRisk,
            Flag::DischargeAndNotImproving,
            Flag::RiskAfterDischarge,
            Flag::SubstanceUseRatedNone
        ]
    );
    assert!(flags[1..].iter().all(|f| f.is_conflict()));
    // Outside the step-down window the discharge no longer conflicts.
    let later = a.with_days_since_inpatient_discharge(31);
    assert_eq!(
        recommend(&later).flags(),
        [Flag::ImminentRisk, Flag::SubstanceUseRatedNone]
    );
}

#[test]
fn an_override_keeps_the_recommendation() {
    let rec = recommend(&Assessment::new(ratings([4, 2, 2, 2, 2, 2, 2])).with_age(40));
    let before = rec.clone();
    let rec = rec.with_override(Php, OverrideReason::PatientDeclinesHigherLevel);
    assert_eq!(rec.level(), Residential);
    assert_eq!(rec.effective_level(), Php);
    assert_eq!(rec.rules(), before.rules());
    assert_eq!(rec.flags(), before.flags());
    let text = rec.to_string();
    assert!(
        text.contains(
            "Clinician's choice: partial hospitalization (the patient declines a higher level), below the recommendation and below a safety floor"
        ),
        "{text}"
    );
    let rec = rec.with_override(Residential, OverrideReason::Other("  ".to_owned()));
    assert_eq!(rec.effective_level(), Residential);
    assert!(
        rec.to_string()
            .contains("Clinician's choice: residential (other (no reason given))\n")
    );
}

#[test]
fn json_has_a_snake_case_level_and_imminent_risk_first() {
    let rec = recommend(&Assessment::new(ratings([5, 3, 3, 3, 3, 3, 2])).with_age(16))
        .with_override(Inpatient, OverrideReason::AlreadyIn24HourSetting);
    let v = serde_json::to_value(&rec).expect("serializes");
    assert_eq!(v["level"], "inpatient");
    assert_eq!(
        v["flags"],
        serde_json::json!(["imminent_risk", "adolescent"])
    );
    assert_eq!(v["override"]["reason"], "already_in_24_hour_setting");
    assert_eq!(v["rules"][0]["rule"], "band");
    assert_eq!(
        v["rules"][1]["effect"]["raises"]["from"],
        "partial_hospitalization"
    );
    let back: LevelRecommendation = serde_json::from_value(v).expect("reads back");
    assert_eq!(back, rec);

    for (level, key) in [
        (Outpatient, "outpatient"),
        (Iop, "intensive_outpatient"),
        (Php, "partial_hospitalization"),
        (Residential, "residential"),
        (Inpatient, "inpatient"),
    ] {
        assert_eq!(
            serde_json::to_value(level).ok(),
            Some(serde_json::json!(key))
        );
    }
}

const ISSUE_EXAMPLE: &str = r#"{"ratings": {"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2, "stress": 3,
             "support": 2, "treatment_history": 3, "engagement": 2},
 "age": 34, "days_since_inpatient_discharge": 10, "outpatient_not_improving": false}"#;

#[test]
fn the_issue_example_reads() {
    let a = assessment_from_json(ISSUE_EXAMPLE).expect("reads");
    assert_eq!(a.ratings.rating(Dimension::FunctionalStatus), rating(3));
    assert_eq!(a.days_since_inpatient_discharge, Some(10));
    assert_eq!(recommend(&a).level(), Iop);
    let minimal = ISSUE_EXAMPLE
        .split("},")
        .next()
        .unwrap_or_default()
        .to_owned()
        + "}}";
    let a = assessment_from_json(&minimal).expect("context is optional");
    assert_eq!(a.age, None);
}

/// The error text for the issue example with `from` replaced by `to`.
fn error_for(from: &str, to: &str) -> String {
    let text = ISSUE_EXAMPLE.replacen(from, to, 1);
    assert_ne!(text, ISSUE_EXAMPLE, "{from} is in the example");
    match assessment_from_json(&text) {
        Ok(a) => panic!("accepted {a:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn assessment_errors_name_the_field() {
    let cases = [
        (
            r#""support": 2"#,
            r#""support": 7"#,
            "ratings.support: `7`: must be from 1 to 5",
        ),
        (
            r#""stress": 3"#,
            r#""stress": 0"#,
            "ratings.stress: `0`: must be from 1 to 5",
        ),
        (
            r#""engagement": 2"#,
            r#""engagement": -2"#,
            "ratings.engagement: `-2`: must be from 1 to 5",
        ),
        (
            r#""risk_of_harm": 2"#,
            r#""risk_of_harm": 2.5"#,
            "ratings.risk_of_harm: invalid type: floating point `2.5`",
        ),
        (
            r#""comorbidity": 2"#,
            r#""comorbidity": "2""#,
            "ratings.comorbidity: invalid type: string \"2\"",
        ),
        (r#""support": 2, "#, "", "ratings: missing field `support`"),
        (
            r#""support": 2"#,
            r#""support": 2, "mood": 3"#,
            "ratings.mood: unknown field `mood`",
        ),
        (
            r#""age": 34"#,
            r#""agee": 34"#,
            "agee: unknown field `agee`",
        ),
        (
            r#""age": 34"#,
            r#""age": 300"#,
            "age: must be a whole number of years from 0 to 120, got 300",
        ),
        (
            r#""days_since_inpatient_discharge": 10"#,
            r#""days_since_inpatient_discharge": -1"#,
            "days_since_inpatient_discharge: must be a whole number of days from 0 to 65535, got -1",
        ),
    ];
    for (from, to, start) in cases {
        let err = error_for(from, to);
        assert!(err.starts_with(start), "{to}: {err}");
    }
    let err = assessment_from_json(&ISSUE_EXAMPLE.replacen("34", "130", 1)).unwrap_err();
    assert_eq!(err.kind(), carematch::ErrorKind::Invalid);
    assert_eq!(err.to_string(), "invalid input: age: 130 is above 120");
    assert!(assessment_from_json("").is_err());
    assert!(assessment_from_json("[]").is_err());
}

#[test]
fn policy_json_errors_name_the_field_or_the_rule() {
    let json = serde_json::to_string(&LevelPolicy::default()).expect("serializes");
    assert_eq!(level_policy_from_json(&json), Ok(LevelPolicy::default()));

    let unknown_dimension =
        json.replacen(r#""dimension":"risk_of_harm""#, r#""dimension":"mood""#, 1);
    let err = level_policy_from_json(&unknown_dimension)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("floors[0].dimension: `mood`: unknown dimension"),
        "{err}"
    );

    let unknown_level = json.replacen(r#""level":"outpatient""#, r#""level":"day_program""#, 1);
    let err = level_policy_from_json(&unknown_level)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("bands[0].level: `day_program`: unknown level of care"),
        "{err}"
    );

    let no_rule = json.replacen(r#""step_up":{"#, r#""step_upp":{"#, 1);
    let err = level_policy_from_json(&no_rule).unwrap_err().to_string();
    assert!(err.starts_with("step_upp: unknown field"), "{err}");

    let mut v: serde_json::Value = serde_json::from_str(&json).expect("json");
    if let Some(o) = v.as_object_mut() {
        o.remove("imminent_risk");
    }
    let err = level_policy_from_json(&v.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("(document): missing field `imminent_risk`"),
        "{err}"
    );
    v["imminent_risk"] = serde_json::Value::Null;
    let policy = level_policy_from_json(&v.to_string()).expect("null leaves the rule out");
    assert!(policy.rules().imminent_risk.is_none());

    let overlap = json.replacen(r#""min":17"#, r#""min":16"#, 1);
    let err = level_policy_from_json(&overlap).unwrap_err();
    assert_eq!(err.kind(), carematch::ErrorKind::Config);
    assert_eq!(
        err.to_string(),
        "invalid level policy: bands[1] starts at 16, overlapping bands[0] (7-16)"
    );
    // Plain serde refuses the same policy.
    assert!(serde_json::from_str::<LevelPolicy>(&overlap).is_err());
}

#[test]
fn a_site_policy_changes_the_answer_without_code() {
    // A site that starts intensive outpatient care at 15 and has no step-down.
    let mut rules = LevelRules {
        name: "our site".to_owned(),
        step_down: None,
        ..LevelRules::default()
    };
    rules.bands[0].max = 14;
    rules.bands[1].min = 15;
    let policy = LevelPolicy::new(rules).expect("valid");
    let a = Assessment::new(ratings([2, 2, 2, 3, 2, 2, 2]))
        .with_age(40)
        .with_days_since_inpatient_discharge(3);
    assert_eq!(
        LevelPolicy::default().recommend(&a).band().level,
        Outpatient
    );
    let rec = policy.recommend(&a);
    assert_eq!(rec.level(), Iop);
    assert_eq!(rec.policy_name(), "our site");
    assert_eq!(rec.rules().len(), 1);
}

#[test]
fn public_level_types_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Assessment>();
    check::<Ratings>();
    check::<Rating>();
    check::<Dimension>();
    check::<LevelPolicy>();
    check::<LevelRules>();
    check::<LevelRecommendation>();
    check::<Flag>();
    check::<Rule>();
    check::<OverrideReason>();
}
