//! Screening instruments: every band boundary against the published
//! cut-offs, the suggestions each draws, and that none is applied silently.

use carematch::level::{Suggested, WithdrawalRisk};
use carematch::screening::{
    CssrsItem, Score, ScreeningTable, Sex, suggested_assessment, suggestions,
};
use carematch::{Assessment, Condition, Dimension, LevelOfCare, LevelPolicy, Rating, Ratings};

fn band(score: Score) -> String {
    ScreeningTable::default()
        .evaluate(&score)
        .expect("in range")
        .band
}

/// Checks each published band `(first, last, key)`: its first and last
/// totals fall in it, and the total past the last is in the next band.
fn check_bands(make: impl Fn(u16) -> Score, published: &[(u16, u16, &str)], max: u16) {
    for (i, &(first, last, key)) in published.iter().enumerate() {
        assert_eq!(band(make(first)), key, "total {first}");
        assert_eq!(band(make(last)), key, "total {last}");
        if let Some(&(next_first, _, next_key)) = published.get(i + 1) {
            assert_eq!(next_first, last + 1);
            assert_eq!(band(make(last + 1)), next_key, "total {}", last + 1);
        }
    }
    assert_eq!(published.last().map(|b| b.1), Some(max));
    assert!(
        ScreeningTable::default().evaluate(&make(max + 1)).is_err(),
        "{max} + 1 is refused"
    );
}

fn suggests(score: Score) -> Vec<Suggested> {
    ScreeningTable::default()
        .evaluate(&score)
        .expect("in range")
        .suggestions
        .into_iter()
        .map(|s| s.suggests)
        .collect()
}

fn confirm(condition: Condition) -> Suggested {
    Suggested::ConfirmCondition { condition }
}

fn risk(n: u8) -> Suggested {
    Suggested::Rating {
        dimension: Dimension::RiskOfHarm,
        rating: Rating::new(n).expect("1-5"),
    }
}

fn withdrawal(risk: WithdrawalRisk) -> Suggested {
    Suggested::WithdrawalRisk { risk }
}

#[test]
fn default_table_checks() {
    ScreeningTable::default()
        .check()
        .expect("the default table is sound");
}

#[test]
fn phq9_bands_kroenke_2001() {
    check_bands(
        |total| Score::Phq9 { total, item9: None },
        &[
            (0, 4, "minimal"),
            (5, 9, "mild"),
            (10, 14, "moderate"),
            (15, 19, "moderately_severe"),
            (20, 27, "severe"),
        ],
        27,
    );
    let r = ScreeningTable::default()
        .evaluate(&Score::Phq9 {
            total: 3,
            item9: None,
        })
        .unwrap();
    assert!(r.source.contains("Kroenke"));
}

#[test]
fn phq9_suggests_depression_at_10_and_risk_on_item9() {
    assert!(
        suggests(Score::Phq9 {
            total: 9,
            item9: None
        })
        .is_empty()
    );
    assert_eq!(
        suggests(Score::Phq9 {
            total: 10,
            item9: None
        }),
        [confirm(Condition::Depressive)]
    );
    assert!(
        suggests(Score::Phq9 {
            total: 5,
            item9: Some(0)
        })
        .is_empty()
    );
    assert_eq!(
        suggests(Score::Phq9 {
            total: 5,
            item9: Some(1)
        }),
        [risk(3)]
    );
    assert_eq!(
        suggests(Score::Phq9 {
            total: 27,
            item9: Some(3)
        }),
        [confirm(Condition::Depressive), risk(3)]
    );
    let t = ScreeningTable::default();
    assert!(
        t.evaluate(&Score::Phq9 {
            total: 5,
            item9: Some(4)
        })
        .is_err()
    );
    let e = t
        .evaluate(&Score::Phq9 {
            total: 1,
            item9: Some(2),
        })
        .unwrap_err();
    assert_eq!(e.problems()[0].path, "item9");
}

#[test]
fn gad7_bands_spitzer_2006() {
    check_bands(
        |total| Score::Gad7 { total },
        &[
            (0, 4, "minimal"),
            (5, 9, "mild"),
            (10, 14, "moderate"),
            (15, 21, "severe"),
        ],
        21,
    );
    assert!(suggests(Score::Gad7 { total: 9 }).is_empty());
    assert_eq!(
        suggests(Score::Gad7 { total: 10 }),
        [confirm(Condition::Anxiety)]
    );
}

#[test]
fn pcl5_cutoff_33() {
    check_bands(
        |total| Score::Pcl5 { total },
        &[(0, 32, "below_cutoff"), (33, 80, "probable_ptsd")],
        80,
    );
    assert!(suggests(Score::Pcl5 { total: 32 }).is_empty());
    assert_eq!(
        suggests(Score::Pcl5 { total: 33 }),
        [confirm(Condition::Ptsd)]
    );
}

#[test]
fn audit_c_sex_specific_cutoffs() {
    check_bands(
        |total| Score::AuditC {
            total,
            sex: Some(Sex::Male),
        },
        &[(0, 3, "negative"), (4, 12, "positive")],
        12,
    );
    check_bands(
        |total| Score::AuditC {
            total,
            sex: Some(Sex::Female),
        },
        &[(0, 2, "negative"), (3, 12, "positive")],
        12,
    );
    // Without a sex, the women's (lower) cut-off, said in a note.
    let r = ScreeningTable::default()
        .evaluate(&Score::AuditC {
            total: 3,
            sex: None,
        })
        .unwrap();
    assert_eq!(r.band, "positive");
    assert!(r.note.as_deref().is_some_and(|n| n.contains("women's")));
    assert!(
        suggests(Score::AuditC {
            total: 3,
            sex: Some(Sex::Male)
        })
        .is_empty()
    );
    assert_eq!(
        suggests(Score::AuditC {
            total: 4,
            sex: Some(Sex::Male)
        }),
        [confirm(Condition::AlcoholUse)]
    );
    assert!(
        suggests(Score::AuditC {
            total: 2,
            sex: Some(Sex::Female)
        })
        .is_empty()
    );
    assert_eq!(
        suggests(Score::AuditC {
            total: 3,
            sex: Some(Sex::Female)
        }),
        [confirm(Condition::AlcoholUse)]
    );
    assert_eq!(
        suggests(Score::AuditC {
            total: 3,
            sex: None
        }),
        [confirm(Condition::AlcoholUse)]
    );
}

#[test]
fn ciwa_ar_bands_and_withdrawal() {
    check_bands(
        |total| Score::CiwaAr { total },
        &[
            (0, 9, "minimal"),
            (10, 15, "mild"),
            (16, 20, "moderate"),
            (21, 67, "severe"),
        ],
        67,
    );
    assert!(suggests(Score::CiwaAr { total: 9 }).is_empty());
    assert_eq!(
        suggests(Score::CiwaAr { total: 10 }),
        [withdrawal(WithdrawalRisk::Mild)]
    );
    assert_eq!(
        suggests(Score::CiwaAr { total: 15 }),
        [withdrawal(WithdrawalRisk::Mild)]
    );
    assert_eq!(
        suggests(Score::CiwaAr { total: 16 }),
        [withdrawal(WithdrawalRisk::Moderate)]
    );
    assert_eq!(
        suggests(Score::CiwaAr { total: 20 }),
        [withdrawal(WithdrawalRisk::Moderate)]
    );
    assert_eq!(
        suggests(Score::CiwaAr { total: 21 }),
        [withdrawal(WithdrawalRisk::Severe)]
    );
}

#[test]
fn cows_bands_wesson_ling_2003() {
    check_bands(
        |total| Score::Cows { total },
        &[
            (0, 4, "none"),
            (5, 12, "mild"),
            (13, 24, "moderate"),
            (25, 36, "moderately_severe"),
            (37, 48, "severe"),
        ],
        48,
    );
    assert!(suggests(Score::Cows { total: 4 }).is_empty());
    assert_eq!(
        suggests(Score::Cows { total: 5 }),
        [withdrawal(WithdrawalRisk::Mild)]
    );
    assert_eq!(
        suggests(Score::Cows { total: 12 }),
        [withdrawal(WithdrawalRisk::Mild)]
    );
    assert_eq!(
        suggests(Score::Cows { total: 13 }),
        [withdrawal(WithdrawalRisk::Moderate)]
    );
    assert_eq!(
        suggests(Score::Cows { total: 36 }),
        [withdrawal(WithdrawalRisk::Moderate)]
    );
    assert_eq!(
        suggests(Score::Cows { total: 37 }),
        [withdrawal(WithdrawalRisk::Severe)]
    );
}

#[test]
fn cssrs_screener_triage() {
    use CssrsItem::*;
    let cases: &[(&[CssrsItem], &str, Option<u8>)] = &[
        (&[], "negative", None),
        (&[WishToBeDead], "low_risk", Some(2)),
        (&[WishToBeDead, SuicidalThoughts], "low_risk", Some(3)),
        (
            &[SuicidalThoughts, ThoughtsWithMethod],
            "moderate_risk",
            Some(4),
        ),
        (&[BehaviorOverThreeMonthsAgo], "moderate_risk", Some(4)),
        (&[SuicidalThoughts, Intent], "high_risk", Some(5)),
        (&[PlanWithIntent], "high_risk", Some(5)),
        (
            &[WishToBeDead, BehaviorWithinThreeMonths],
            "high_risk",
            Some(5),
        ),
    ];
    for (yes, key, rating) in cases {
        let score = Score::CssrsScreener { yes: yes.to_vec() };
        assert_eq!(band(score.clone()), *key, "{yes:?}");
        assert_eq!(
            suggests(score),
            rating.map(risk).into_iter().collect::<Vec<_>>(),
            "{yes:?}"
        );
    }
}

#[test]
fn suggestions_are_shown_not_applied() {
    let t = ScreeningTable::default();
    let rs = t
        .evaluate_all(&[
            Score::CssrsScreener {
                yes: vec![CssrsItem::ThoughtsWithMethod],
            },
            Score::CiwaAr { total: 22 },
            Score::Pcl5 { total: 40 },
        ])
        .unwrap();
    let given = Assessment::new(Ratings::uniform(Rating::MIN)).with_age(30);
    let plain = LevelPolicy::default().recommend(&given);
    let shown = plain.clone().with_suggestions(suggestions(&rs));
    // Not applied: the same level, rules and ratings.
    assert_eq!(shown.level(), plain.level());
    assert_eq!(shown.rules(), plain.rules());
    assert_eq!(shown.assessment(), plain.assessment());
    assert_eq!(shown.suggestions().len(), 3);
    let text = shown.to_string();
    assert!(text.contains("not applied"), "{text}");
    assert!(
        text.contains("risk of harm rated 4: C-SSRS screener yes to question 3"),
        "{text}"
    );
    assert!(text.contains("the assessment rates it 1"), "{text}");
    assert!(
        text.contains("withdrawal risk rated severe: CIWA-Ar total 22"),
        "{text}"
    );
    assert!(
        text.contains("confirm whether the patient has post-traumatic stress disorder"),
        "{text}"
    );
    let json = serde_json::to_value(&shown).unwrap();
    assert_eq!(json["suggestions"].as_array().map(Vec::len), Some(3));
    assert!(
        serde_json::to_value(&plain)
            .unwrap()
            .get("suggestions")
            .is_none()
    );

    // Only on request: an assessment from the suggestions alone.
    let a = suggested_assessment(&rs, Some(30)).unwrap();
    assert_eq!(a.ratings.risk_of_harm.get(), 4);
    assert_eq!(a.withdrawal_risk, Some(WithdrawalRisk::Severe));
    assert_eq!(
        LevelPolicy::default().recommend(&a).level(),
        LevelOfCare::Inpatient
    );
    let none = t.evaluate_all(&[Score::Pcl5 { total: 40 }]).unwrap();
    assert!(suggested_assessment(&none, None).is_none());
}

#[test]
fn table_is_data_round_trip_and_checked() {
    let t = ScreeningTable::default();
    let json = serde_json::to_string(&t).unwrap();
    let back: ScreeningTable = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    // A site's own CIWA-Ar table changes the band, with no code change.
    let mut site = t.clone();
    let ciwa = site
        .instruments
        .iter_mut()
        .find(|r| r.instrument == carematch::screening::Instrument::CiwaAr)
        .unwrap();
    ciwa.bands[0].max = 7;
    ciwa.bands[1].min = 8;
    site.check().unwrap();
    assert_eq!(
        site.evaluate(&Score::CiwaAr { total: 8 }).unwrap().band,
        "mild"
    );
    let mut bad = t.clone();
    bad.instruments[1].bands.pop();
    let e = bad.check().unwrap_err();
    assert_eq!(e.problems()[0].path, "instruments[1].bands");
}
