//! Safe placement (issue 23), as a specification: what keeps a referral out
//! of every slot until a clinician has decided (crisis evaluation, withdrawal
//! management, a level below the ratings' floor), how a clinician's record
//! releases it, how withdrawal and pregnancy are read from ICD-10-CM codes,
//! the pregnancy priority, specialist programs, poor clinical fits, and
//! continuity of medication for opioid use disorder (MOUD).
//!
//! Each test pins one rule and fails if that rule is removed or changed. A
//! failure here means a patient could be placed where they are not safe (a
//! patient at imminent risk given an IOP slot, a patient in withdrawal
//! delirium sent to an outpatient program, a patient on methadone sent where
//! dosing stops), or a clinician would read the wrong words or the wrong
//! order.
//!
//! The programs are built here from one JSON template (not from the sample
//! directory, which changes), each test editing only the fields its rule
//! reads.

mod common;

use carematch::assign::{
    AssignOptions, AssignReason, Assignment, ClinicianRecord, HoldKind, PriorityCondition,
    PriorityPolicy, Referral, ReferralId, ReferralOutcome, ReferralStatus, assign,
    referrals_from_json,
};
use carematch::level::{Effect, LevelRules, OverrideReason, WithdrawalRisk};
use carematch::matching::{
    Alert, CrisisContact, ExclusionKind, ExclusionReason, Match, MatchOptions, Ranking, Weights,
    rank_plain,
};
use carematch::{
    Assessment, Condition, Diagnosis, Dimension, Directory, IcdCode, LevelOfCare, LevelPolicy,
    MoudMedication, PatientNeeds, Payer, Pregnancy, Program, Rating, Ratings, synthetic,
};
use proptest::prelude::*;

use common::AS_OF;

// ---- Helpers.

/// A fictional adult IOP that takes any adult MassHealth or Medicare patient
/// and offers a first-line therapy for depression, PTSD, alcohol and opioid
/// use and (adult) eating disorders, with a prescriber and five open slots.
const TEMPLATE: &str = r#"{
  "id": "t-base-iop",
  "name": "Base IOP (test, fictional)",
  "organization": "Test Behavioral Health (fictional)",
  "levels": ["intensive_outpatient"],
  "tracks": [{"name": "day", "level": "intensive_outpatient", "sessions": [
    {"day": "mon", "start": "09:00", "end": "12:00"},
    {"day": "tue", "start": "09:00", "end": "12:00"},
    {"day": "wed", "start": "09:00", "end": "12:00"},
    {"day": "thu", "start": "09:00", "end": "12:00"}]}],
  "modalities": ["individual", "group", "family", "psychoeducation", "medication_management"],
  "approaches": ["cbt", "cpt", "motivational_interviewing", "maud", "moud", "cbt_e", "dbt"],
  "specialties": [],
  "excluded_conditions": [],
  "staff": {"licenses": {"psychiatrist": 1, "licsw": 2, "ladc_i": 1}, "certifications": {"cpt": 1}},
  "facility_credentials": ["state_mental_health", "state_substance_use", "joint_commission"],
  "aftercare": ["discharge_planning", "step_down_outpatient"],
  "family_involvement": "on_request",
  "payers": ["masshealth", "medicare"],
  "ages": {"min": 18, "max": 120},
  "populations": [],
  "restricted_to": [],
  "languages": ["en"],
  "interpreter_services": true,
  "delivery": ["in_person", "hybrid"],
  "location": {"address": "1 Example Way", "city": "Worcester", "state": "MA",
               "postal_code": "01608", "latitude": 42.2649, "longitude": -71.8009},
  "accepting_new_patients": true,
  "typical_wait_days": 7,
  "last_verified": "2026-09-15",
  "open_slots": 5
}"#;

/// The template IOP with its own id and open slots.
fn iop(id: &str, slots: u32) -> Program {
    let mut p: Program = serde_json::from_str(TEMPLATE).unwrap();
    p.id = id.parse().unwrap();
    p.name = format!("{id} (test, fictional)");
    p.open_slots = Some(slots);
    p
}

/// The template moved to another level of care (its one track with it).
fn at_level(id: &str, level: LevelOfCare, slots: u32) -> Program {
    let mut p = iop(id, slots);
    p.levels = vec![level];
    for t in &mut p.tracks {
        t.level = level;
    }
    p
}

/// A directory of one program per level of care, five slots each.
fn every_level() -> Vec<Program> {
    vec![
        at_level("t-op", LevelOfCare::Outpatient, 5),
        iop("t-iop", 5),
        at_level("t-php", LevelOfCare::PartialHospitalization, 5),
        at_level("t-res", LevelOfCare::Residential, 5),
        at_level("t-inp", LevelOfCare::Inpatient, 5),
    ]
}

fn directory(programs: Vec<Program>) -> Directory {
    Directory::new(programs, AS_OF).unwrap()
}

fn code(c: &str) -> IcdCode {
    c.parse().unwrap()
}

/// A 35-year-old on MassHealth with these ICD-10-CM codes, the first primary.
fn needs(codes: &[&str]) -> PatientNeeds {
    let mut n = PatientNeeds::new(35, Payer::MassHealth);
    for (i, c) in codes.iter().enumerate() {
        let d = Diagnosis::from_code(code(c));
        n.diagnoses.push(if i == 0 { d.primary() } else { d });
    }
    n
}

/// Recurrent major depression, moderate: a routine referral.
fn depressed() -> PatientNeeds {
    needs(&["F33.1"])
}

fn referral(id: &str, needs: PatientNeeds, level: LevelOfCare) -> Referral {
    Referral::new(ReferralId::new(id).unwrap(), needs, level)
}

fn iop_referral(id: &str, needs: PatientNeeds) -> Referral {
    referral(id, needs, LevelOfCare::IntensiveOutpatient)
}

fn rating(n: u8) -> Rating {
    Rating::new(n).unwrap()
}

/// Every dimension rated 2 (composite 14: the outpatient band, no floor),
/// then `risk` for risk of harm.
fn ratings_with_risk(risk: u8) -> Ratings {
    Ratings::uniform(rating(2)).with_rating(Dimension::RiskOfHarm, rating(risk))
}

fn assessment_with_risk(risk: u8) -> Assessment {
    Assessment::new(ratings_with_risk(risk))
}

fn override_at(level: LevelOfCare) -> ClinicianRecord {
    ClinicianRecord::Override {
        level,
        reason: OverrideReason::PatientDeclinesHigherLevel,
    }
}

fn run(programs: Vec<Program>, queue: &[Referral]) -> Assignment {
    run_with(programs, queue, &PriorityPolicy::default(), options())
}

fn run_with(
    programs: Vec<Program>,
    queue: &[Referral],
    policy: &PriorityPolicy,
    options: AssignOptions,
) -> Assignment {
    assign(&directory(programs), queue, policy, &options).unwrap()
}

fn options() -> AssignOptions {
    AssignOptions::new(AS_OF)
}

fn outcome<'a>(a: &'a Assignment, id: &str) -> &'a ReferralOutcome {
    a.referrals
        .iter()
        .find(|o| o.referral_id.as_str() == id)
        .unwrap_or_else(|| panic!("no outcome for {id}: {a}"))
}

fn hold_kind(o: &ReferralOutcome) -> Option<HoldKind> {
    o.hold.as_ref().map(|h| h.kind)
}

fn has_alert(alerts: &[Alert], key: &str) -> bool {
    alerts.iter().any(|a| a.key() == key)
}

/// Ranks `needs` at `level` among `programs`, listing every exclusion with
/// its reasons; the compiled index and the plain path must agree.
fn rank(programs: &[Program], needs: &PatientNeeds, level: LevelOfCare) -> Ranking {
    let dir = directory(programs.to_vec());
    let options = MatchOptions::new(AS_OF).with_exclusion_details(true);
    let q = dir.query(needs, level, options).unwrap();
    let fast = dir.rank(&q, &Weights::default(), 50);
    assert_eq!(fast, rank_plain(programs, &q, &Weights::default(), 50));
    fast
}

fn the_match<'a>(r: &'a Ranking, id: &str) -> &'a Match {
    r.matches
        .iter()
        .find(|m| m.program_id.as_str() == id)
        .unwrap_or_else(|| panic!("{id} is not a match: {r}"))
}

fn exclusion_reasons(r: &Ranking, id: &str) -> Vec<ExclusionReason> {
    r.excluded
        .iter()
        .find(|e| e.program_id.as_str() == id)
        .unwrap_or_else(|| panic!("{id} is not excluded: {r}"))
        .reasons
        .clone()
}

fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in:\n{text}"))
}

// ---- 1. Crisis holds.

#[test]
fn a_risk_5_referral_is_held_for_a_crisis_evaluation_and_takes_no_slot() {
    // One slot; the referral at imminent risk would be tier 1 and take it.
    let routine = iop_referral("R-1", depressed());
    let mut crisis = iop_referral("R-2", depressed());
    crisis.risk_of_harm = Some(Rating::MAX);
    let a = run(vec![iop("t-one", 1)], &[routine, crisis]);

    let held = outcome(&a, "R-2");
    assert_eq!(held.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(held), Some(HoldKind::CrisisEvaluationRequired));
    assert_eq!(
        held.reason,
        AssignReason::Held {
            hold: HoldKind::CrisisEvaluationRequired
        }
    );
    assert!(held.placement.is_none() && held.waitlist.is_empty());
    assert_eq!(outcome(&a, "R-1").status, ReferralStatus::Placed, "{a}");
    assert_eq!(
        outcome(&a, "R-1")
            .placement
            .as_ref()
            .unwrap()
            .program_id
            .as_str(),
        "t-one"
    );

    // Counted as held, not placed; listed first, though given last.
    assert_eq!((a.placed, a.held, a.invalid), (1, 1, 0));
    assert_eq!(a.referrals[0].referral_id.as_str(), "R-2");
    assert_eq!(
        a.tiers.iter().map(|t| t.referrals).sum::<usize>(),
        1,
        "a held referral is in no tier"
    );

    // Display: the headline, then the held referral first.
    let text = a.to_string();
    assert!(text.starts_with("1 of 2 placed, 1 held"), "{text}");
    assert!(position(&text, "R-2  HELD") < position(&text, "\nR-1  "));
}

#[test]
fn the_crisis_hold_text_is_the_one_crisis_text_with_911_first() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(Rating::MAX);
    let a = run(vec![iop("t-iop", 5)], &[r]);
    let text = &a.referrals[0].hold.as_ref().unwrap().text;
    let crisis = CrisisContact::imminent_risk_text();
    assert!(text.starts_with(&crisis), "{text}");
    assert!(crisis.starts_with("IMMINENT RISK"), "{crisis}");
    let at = |s: &str| position(text, s);
    assert!(at("911") < at("988"), "{text}");
    assert!(at("988") < at("833-773-2445"), "{text}");
    assert!(at("833-773-2445") < at("mobile crisis"), "{text}");
    // What releases it is said too.
    assert!(text.contains("override"), "{text}");
    // And the assignment's Display prints it under the referral.
    assert!(a.to_string().contains(&crisis));
}

#[test]
fn risk_5_is_held_at_every_level_even_outpatient() {
    for level in [LevelOfCare::Outpatient, LevelOfCare::IntensiveOutpatient] {
        let mut r = referral("R-1", depressed(), level);
        r.risk_of_harm = Some(Rating::MAX);
        let a = run(every_level(), &[r]);
        assert_eq!(a.referrals[0].status, ReferralStatus::Held, "{level}: {a}");
        assert_eq!(
            hold_kind(&a.referrals[0]),
            Some(HoldKind::CrisisEvaluationRequired)
        );
        assert_eq!(a.placed, 0);
    }
}

#[test]
fn an_assessment_whose_imminent_risk_flag_fires_holds_the_referral() {
    // From the assessment alone, and with a risk_of_harm that agrees.
    for risk_field in [None, Some(Rating::MAX)] {
        let mut r = iop_referral("R-1", depressed());
        r.assessment = Some(assessment_with_risk(5));
        r.risk_of_harm = risk_field;
        let a = run(every_level(), &[r]);
        assert_eq!(a.referrals[0].status, ReferralStatus::Held, "{a}");
        assert_eq!(
            hold_kind(&a.referrals[0]),
            Some(HoldKind::CrisisEvaluationRequired)
        );
    }
}

#[test]
fn a_crisis_hold_comes_before_a_withdrawal_hold() {
    let mut r = iop_referral("R-1", needs(&["F10.231"]));
    r.risk_of_harm = Some(Rating::MAX);
    let a = run(every_level(), &[r]);
    assert_eq!(
        hold_kind(&a.referrals[0]),
        Some(HoldKind::CrisisEvaluationRequired)
    );
}

/// An override does not release a crisis hold (it may predate the risk now
/// recorded): only a re-rating after the evaluation does. The record is
/// shown with the hold.
#[test]
fn an_override_does_not_release_a_crisis_hold_and_is_shown() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(Rating::MAX);
    r.clinician = Some(override_at(LevelOfCare::IntensiveOutpatient));
    let a = run(vec![iop("t-iop", 1)], &[r]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(o), Some(HoldKind::CrisisEvaluationRequired));
    assert_eq!(
        o.clinician,
        Some(override_at(LevelOfCare::IntensiveOutpatient))
    );
    assert!(
        o.hold
            .as_ref()
            .unwrap()
            .text
            .contains("an override does not release it")
    );
    let text = a.to_string();
    assert!(text.starts_with("0 of 1 placed, 1 held"), "{text}");
    assert!(
        text.contains(
            "record: clinician's override: intensive outpatient (the patient declines a higher level)"
        ),
        "{text}"
    );
}

/// A level policy without an imminent-risk rule does not turn the crisis
/// hold off: risk of harm 5 is held whatever the policy.
#[test]
fn a_policy_without_an_imminent_risk_rule_still_holds_risk_5() {
    let rules = LevelRules {
        imminent_risk: None,
        floors: Vec::new(),
        ..LevelRules::default()
    };
    let policy = LevelPolicy::new(rules).unwrap();
    let mut r = referral("R-1", depressed(), LevelOfCare::Inpatient);
    r.risk_of_harm = Some(Rating::MAX);
    let a = run_with(
        every_level(),
        &[r],
        &PriorityPolicy::default(),
        options().with_level_policy(policy),
    );
    assert_eq!(
        hold_kind(&a.referrals[0]),
        Some(HoldKind::CrisisEvaluationRequired),
        "{a}"
    );
}

/// An override with a blank reason releases nothing: it is a problem at
/// its path, and a risk-4 referral stays held (with the problem beside).
#[test]
fn an_override_without_a_reason_releases_nothing() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(rating(4));
    r.clinician = Some(ClinicianRecord::Override {
        level: LevelOfCare::IntensiveOutpatient,
        reason: OverrideReason::Other("  ".into()),
    });
    let a = run(vec![iop("t-iop", 1)], &[r]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(o), Some(HoldKind::NeedsOverride));
    assert_eq!(
        o.problem.as_ref().unwrap().path,
        "referrals[0].clinician.reason"
    );
    // Without a hold to keep, the same record makes the referral invalid.
    let mut r = iop_referral("R-2", depressed());
    r.clinician = Some(ClinicianRecord::Override {
        level: LevelOfCare::IntensiveOutpatient,
        reason: OverrideReason::Other(String::new()),
    });
    let a = run(vec![iop("t-iop", 1)], &[r]);
    assert_eq!(a.referrals[0].status, ReferralStatus::Invalid, "{a}");
}

/// Two ratings of risk of harm that disagree are a problem, read at the
/// higher one: a 5 among them holds the referral for a crisis evaluation,
/// with the crisis text and the problem beside it, never an "invalid" line
/// without the crisis contacts.
#[test]
fn a_risk_disagreement_at_5_is_held_with_the_crisis_text() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(Rating::MAX);
    r.assessment = Some(assessment_with_risk(3));
    let a = run(vec![iop("t-iop", 1)], &[r]);
    let o = &a.referrals[0];
    assert_eq!(
        hold_kind(o),
        Some(HoldKind::CrisisEvaluationRequired),
        "{a}"
    );
    assert_eq!(
        o.problem.as_ref().unwrap().path,
        "referrals[0].risk_of_harm"
    );
    assert!(
        o.hold
            .as_ref()
            .unwrap()
            .text
            .starts_with(&CrisisContact::imminent_risk_text())
    );
    assert!(
        a.to_string()
            .contains("  also: error: referrals[0].risk_of_harm"),
        "{a}"
    );
}

#[test]
fn a_rerating_below_5_releases_a_crisis_hold_and_a_rerating_at_5_does_not() {
    let rerated = |risk: u8| {
        let mut r = iop_referral("R-1", depressed());
        r.risk_of_harm = Some(Rating::MAX);
        r.clinician = Some(ClinicianRecord::Rerated {
            assessment: assessment_with_risk(risk),
        });
        r
    };
    let a = run(vec![iop("t-iop", 1)], &[rerated(3)]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    assert!(matches!(o.clinician, Some(ClinicianRecord::Rerated { .. })));
    assert!(a.to_string().contains("record: re-rated by a clinician"));
    // The re-rating is the risk in force: no longer tier 1.
    assert_eq!(o.priority.tier.get(), 4);

    let a = run(vec![iop("t-iop", 1)], &[rerated(5)]);
    assert_eq!(a.referrals[0].status, ReferralStatus::Held, "{a}");
    assert_eq!(
        hold_kind(&a.referrals[0]),
        Some(HoldKind::CrisisEvaluationRequired)
    );
    assert!(a.to_string().contains("record: re-rated by a clinician"));
}

#[test]
fn an_assignment_with_a_held_referral_serializes_status_hold_and_totals() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(Rating::MAX);
    let a = run(
        vec![iop("t-iop", 1)],
        &[r, iop_referral("R-2", depressed())],
    );
    let v = serde_json::to_value(&a).unwrap();
    let held = &v["referrals"][0];
    assert_eq!(held["referral_id"], "R-1");
    assert_eq!(held["status"], "held");
    assert_eq!(held["hold"]["kind"], "crisis_evaluation_required");
    let text = held["hold"]["text"].as_str().unwrap();
    assert!(
        text.starts_with(&CrisisContact::imminent_risk_text()),
        "{text}"
    );
    assert!(held.get("placement").is_none_or(|p| p.is_null()));
    assert_eq!(v["placed"], 1);
    assert_eq!(v["held"], 1);
    assert_eq!(v["invalid"], 0);
    assert_eq!(v["referrals"][1]["status"], "placed");
}

// ---- 2. Below the floor the ratings set: needs a clinician's override.

#[test]
fn risk_4_below_residential_is_held_until_an_override_and_not_held_at_residential() {
    let with_risk_4 = |level: LevelOfCare| {
        let mut r = referral("R-1", depressed(), level);
        r.risk_of_harm = Some(rating(4));
        r
    };
    let a = run(
        every_level(),
        &[with_risk_4(LevelOfCare::IntensiveOutpatient)],
    );
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(o), Some(HoldKind::NeedsOverride));
    let text = &o.hold.as_ref().unwrap().text;
    assert!(text.contains("residential"), "{text}");
    assert!(text.contains("\"carematch adult default\""), "{text}");
    assert!(text.contains("risk of harm rated 4"), "{text}");

    // Referred at the floor: placed.
    let a = run(every_level(), &[with_risk_4(LevelOfCare::Residential)]);
    assert_eq!(a.referrals[0].status, ReferralStatus::Placed, "{a}");
    assert_eq!(
        a.referrals[0]
            .placement
            .as_ref()
            .unwrap()
            .program_id
            .as_str(),
        "t-res"
    );

    // Below it, with a clinician's override: placed, the record shown.
    let mut r = with_risk_4(LevelOfCare::IntensiveOutpatient);
    r.clinician = Some(override_at(LevelOfCare::IntensiveOutpatient));
    let a = run(every_level(), &[r]);
    assert_eq!(a.referrals[0].status, ReferralStatus::Placed, "{a}");
    assert!(a.referrals[0].clinician.is_some());
    assert!(has_alert(&a.referrals[0].alerts, "elevated_risk"));
}

#[test]
fn a_functional_status_of_4_below_residential_needs_an_override() {
    let mut r = iop_referral("R-1", depressed());
    r.assessment = Some(Assessment::new(
        Ratings::uniform(rating(2)).with_rating(Dimension::FunctionalStatus, rating(4)),
    ));
    let a = run(every_level(), &[r]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(o), Some(HoldKind::NeedsOverride));
    assert!(o.hold.as_ref().unwrap().text.contains("residential"));
}

#[test]
fn a_level_policy_without_floors_does_not_hold_risk_4() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(rating(4));
    // Under the default policy: held.
    let a = run(every_level(), std::slice::from_ref(&r));
    assert_eq!(a.referrals[0].status, ReferralStatus::Held);

    let mut rules = LevelRules::default();
    rules.floors.clear();
    rules.name = "no floors (test)".into();
    let policy = LevelPolicy::new(rules).unwrap();
    let a = run_with(
        every_level(),
        &[r],
        &PriorityPolicy::default(),
        options().with_level_policy(policy),
    );
    assert_eq!(a.referrals[0].status, ReferralStatus::Placed, "{a}");
    assert_eq!(a.held, 0);
}

// ---- 3. Withdrawal.

#[test]
fn withdrawal_delirium_below_inpatient_is_held_for_withdrawal_management() {
    let a = run(every_level(), &[iop_referral("R-1", needs(&["F10.231"]))]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(o), Some(HoldKind::WithdrawalManagementRequired));
    let text = &o.hold.as_ref().unwrap().text;
    assert!(text.contains("F10.231"), "{text}");
    assert!(text.contains("inpatient"), "{text}");
    assert!(has_alert(&o.alerts, "withdrawal"));

    // At inpatient care: nothing to hold, placed there.
    let a = run(
        every_level(),
        &[referral("R-1", needs(&["F10.231"]), LevelOfCare::Inpatient)],
    );
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    assert_eq!(o.placement.as_ref().unwrap().program_id.as_str(), "t-inp");
    assert!(has_alert(&o.alerts, "withdrawal"));
}

#[test]
fn a_severe_withdrawal_rating_holds_and_a_moderate_one_alerts() {
    let rated = |risk: WithdrawalRisk| {
        let mut r = iop_referral("R-1", needs(&["F10.20"]));
        r.assessment = Some(assessment_with_risk(2).with_withdrawal_risk(risk));
        r
    };
    let a = run(every_level(), &[rated(WithdrawalRisk::Severe)]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Held, "{a}");
    assert_eq!(hold_kind(o), Some(HoldKind::WithdrawalManagementRequired));
    let text = &o.hold.as_ref().unwrap().text;
    assert!(text.contains("withdrawal risk rated severe"), "{text}");
    assert!(text.contains("inpatient"), "{text}");

    let a = run(every_level(), &[rated(WithdrawalRisk::Moderate)]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    let w = o
        .alerts
        .iter()
        .find(|x| x.key() == "withdrawal")
        .unwrap_or_else(|| panic!("no withdrawal alert: {a}"));
    assert!(
        matches!(
            w,
            Alert::Withdrawal {
                risk: Some(WithdrawalRisk::Moderate),
                level: None,
                ..
            }
        ),
        "{w:?}"
    );
}

#[test]
fn withdrawal_without_delirium_alerts_without_holding_and_nicotine_does_neither() {
    let a = run(every_level(), &[iop_referral("R-1", needs(&["F10.230"]))]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    assert!(has_alert(&o.alerts, "withdrawal"), "{a}");

    let smoker = needs(&["F33.1", "F17.203"]);
    let a = run(every_level(), &[iop_referral("R-1", smoker.clone())]);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    assert!(!has_alert(&o.alerts, "withdrawal"), "{a}");
    let r = rank(&every_level(), &smoker, LevelOfCare::IntensiveOutpatient);
    assert!(!has_alert(&r.alerts, "withdrawal"), "{r}");
}

#[test]
fn a_ranking_puts_the_withdrawal_alert_right_after_imminent_risk() {
    let programs = every_level();
    let patient = needs(&["F10.231"]);
    // From the codes alone.
    let r = rank(&programs, &patient, LevelOfCare::IntensiveOutpatient);
    assert_eq!(r.alerts[0].key(), "withdrawal", "{r}");
    let text = r.alerts[0].to_string();
    assert!(text.contains("at least inpatient"), "{text}");
    assert!(text.contains("F10.231"), "{text}");
    assert!(
        matches!(
            &r.alerts[0],
            Alert::Withdrawal { level: Some(LevelOfCare::Inpatient), codes, .. } if codes == &[code("F10.231")]
        ),
        "{:?}",
        r.alerts[0]
    );

    // With an assessment at imminent risk (overridden to IOP to rank there):
    // imminent risk first, withdrawal next, whatever order they were raised in.
    let dir = directory(programs);
    let rec = LevelPolicy::default()
        .recommend(&assessment_with_risk(5))
        .with_override(
            LevelOfCare::IntensiveOutpatient,
            OverrideReason::PatientDeclinesHigherLevel,
        );
    let q = dir
        .query_for(&patient, &rec, MatchOptions::new(AS_OF))
        .unwrap();
    let r = dir.rank(&q, &Weights::default(), 10);
    let keys: Vec<&str> = r.alerts.iter().map(Alert::key).collect();
    assert_eq!(&keys[..2], ["imminent_risk", "withdrawal"], "{r}");
    // Every alert in order of urgency.
    let urgencies: Vec<usize> = r.alerts.iter().map(Alert::urgency).collect();
    assert!(urgencies.windows(2).all(|w| w[0] <= w[1]), "{r}");
    assert_eq!(Alert::KEYS[..2], ["imminent_risk", "withdrawal"]);
}

#[test]
fn the_level_policy_reads_withdrawal_risk_from_its_rows() {
    let policy = LevelPolicy::default();
    let low = Assessment::new(Ratings::uniform(Rating::MIN));

    let rec = policy.recommend(&low.with_withdrawal_risk(WithdrawalRisk::Severe));
    assert_eq!(rec.level(), LevelOfCare::Inpatient);
    let fired = rec
        .rules()
        .iter()
        .find(|r| r.rule.kind() == "withdrawal")
        .expect("a withdrawal rule fired");
    assert_eq!(
        fired.effect,
        Effect::Raises {
            from: LevelOfCare::Outpatient
        }
    );
    assert_eq!(rec.floor_level(), Some(LevelOfCare::Inpatient));

    let rec = policy.recommend(&low.with_withdrawal_risk(WithdrawalRisk::Moderate));
    assert_eq!(rec.level(), LevelOfCare::Outpatient);
    let fired = rec
        .rules()
        .iter()
        .find(|r| r.rule.kind() == "withdrawal")
        .expect("a withdrawal rule fired");
    assert_eq!(fired.effect, Effect::Flags);
    assert_eq!(rec.floor_level(), None);

    // Mild reaches no row.
    let rec = policy.recommend(&low.with_withdrawal_risk(WithdrawalRisk::Mild));
    assert!(rec.rules().iter().all(|r| r.rule.kind() != "withdrawal"));
}

#[test]
fn withdrawal_is_data_a_policy_without_rows_neither_raises_nor_holds() {
    let mut rules = LevelRules::default();
    rules.withdrawal.clear();
    rules.name = "no withdrawal rows (test)".into();
    let policy = LevelPolicy::new(rules).unwrap();
    let low = Assessment::new(Ratings::uniform(Rating::MIN));
    let rec = policy.recommend(&low.with_withdrawal_risk(WithdrawalRisk::Severe));
    assert_eq!(rec.level(), LevelOfCare::Outpatient);

    let mut rated = iop_referral("R-2", needs(&["F10.20"]));
    rated.assessment = Some(assessment_with_risk(2).with_withdrawal_risk(WithdrawalRisk::Severe));
    let a = run_with(
        every_level(),
        &[iop_referral("R-1", needs(&["F10.231"])), rated],
        &PriorityPolicy::default(),
        options().with_level_policy(policy),
    );
    assert_eq!(a.held, 0, "{a}");
}

// ---- 4. Reading ICD-10-CM codes.

#[test]
fn every_withdrawal_subcategory_is_read_with_its_sixth_character() {
    use Condition::*;
    // (code, substance, delirium, perceptual disturbance)
    let withdrawal = [
        ("F10.130", AlcoholUse, false, false),
        ("F10.131", AlcoholUse, true, false),
        ("F10.132", AlcoholUse, false, true),
        ("F10.139", AlcoholUse, false, false),
        ("F10.230", AlcoholUse, false, false),
        ("F10.231", AlcoholUse, true, false),
        ("F10.232", AlcoholUse, false, true),
        ("F10.239", AlcoholUse, false, false),
        ("F10.930", AlcoholUse, false, false),
        ("F10.931", AlcoholUse, true, false),
        ("F10.932", AlcoholUse, false, true),
        ("F10.939", AlcoholUse, false, false),
        ("F11.13", OpioidUse, false, false),
        ("F11.23", OpioidUse, false, false),
        ("F11.93", OpioidUse, false, false),
        ("F12.13", CannabisUse, false, false),
        ("F12.23", CannabisUse, false, false),
        ("F12.93", CannabisUse, false, false),
        ("F13.130", SedativeUse, false, false),
        ("F13.131", SedativeUse, true, false),
        ("F13.132", SedativeUse, false, true),
        ("F13.139", SedativeUse, false, false),
        ("F13.230", SedativeUse, false, false),
        ("F13.231", SedativeUse, true, false),
        ("F13.232", SedativeUse, false, true),
        ("F13.239", SedativeUse, false, false),
        ("F13.930", SedativeUse, false, false),
        ("F13.931", SedativeUse, true, false),
        ("F13.932", SedativeUse, false, true),
        ("F13.939", SedativeUse, false, false),
        ("F14.13", CocaineUse, false, false),
        ("F14.23", CocaineUse, false, false),
        ("F14.93", CocaineUse, false, false),
        ("F15.13", StimulantUse, false, false),
        ("F15.23", StimulantUse, false, false),
        ("F15.93", StimulantUse, false, false),
        ("F19.130", OtherSubstanceUse, false, false),
        ("F19.131", OtherSubstanceUse, true, false),
        ("F19.132", OtherSubstanceUse, false, true),
        ("F19.139", OtherSubstanceUse, false, false),
        ("F19.230", OtherSubstanceUse, false, false),
        ("F19.231", OtherSubstanceUse, true, false),
        ("F19.232", OtherSubstanceUse, false, true),
        ("F19.239", OtherSubstanceUse, false, false),
        ("F19.930", OtherSubstanceUse, false, false),
        ("F19.931", OtherSubstanceUse, true, false),
        ("F19.932", OtherSubstanceUse, false, true),
        ("F19.939", OtherSubstanceUse, false, false),
    ];
    for (c, substance, delirium, perceptual) in withdrawal {
        let w = code(c)
            .withdrawal()
            .unwrap_or_else(|| panic!("{c} is a withdrawal code"));
        assert_eq!(w.substance, substance, "{c}");
        assert_eq!(w.delirium, delirium, "{c} delirium");
        assert_eq!(w.perceptual_disturbance, perceptual, "{c} perceptual");
        assert!(w.needs_management(), "{c}");
    }
    // Nicotine withdrawal (F17.2x3) is read, but treated where the patient is.
    for c in ["F17.203", "F17.213", "F17.223", "F17.293"] {
        let w = code(c).withdrawal().unwrap_or_else(|| panic!("{c}"));
        assert_eq!(w.substance, NicotineUse, "{c}");
        assert!(!w.needs_management(), "{c}");
    }
    // Not withdrawal: dependence, remission, intoxication, induced
    // disorders, and the substances with no withdrawal codes (F16, F18).
    for c in [
        "F10.10", "F10.20", "F10.21", "F10.120", "F10.220", "F10.24", "F11.20", "F11.220",
        "F11.24", "F12.20", "F13.20", "F13.24", "F14.20", "F15.20", "F16.10", "F16.13", "F16.20",
        "F16.23", "F16.93", "F17.200", "F17.210", "F18.10", "F18.13", "F18.23", "F18.93", "F19.20",
        "F19.24", "F33.1", "F43.10", "Z33.1",
    ] {
        assert_eq!(code(c).withdrawal(), None, "{c}");
    }
}

#[test]
fn pregnancy_is_read_from_o09_o99_3_and_z33_1() {
    use Pregnancy::*;
    for (c, p) in [
        ("O09.90", Some(Pregnant)),
        ("O09.513", Some(Pregnant)),
        ("O09.A2", Some(Pregnant)),
        ("Z33.1", Some(Pregnant)),
        ("Z33.2", None), // elective termination: not pregnant
        ("O99.310", Some(Pregnant)),
        ("O99.321", Some(Pregnant)),
        ("O99.322", Some(Pregnant)),
        ("O99.342", Some(Pregnant)),
        ("F33.1", None),
        ("F53.0", None),
        ("O80", None),
    ] {
        assert_eq!(code(c).pregnancy(), p, "{c}");
    }
    // O99.31-O99.34 take their condition from the F code; O99.35 does not.
    for c in ["O99.310", "O99.322", "O99.330", "O99.344"] {
        assert!(code(c).takes_condition_from_f_code(), "{c}");
    }
    for c in ["O99.350", "O99.280", "O09.90", "F33.1"] {
        assert!(!code(c).takes_condition_from_f_code(), "{c}");
    }
}

/// ICD-10-CM's O99.3x subcategories use the sixth character for the
/// episode: 0 unspecified trimester, 1 first, 2 second, 3 **third
/// trimester**, 4 childbirth, 5 **the puerperium** (for example O99.343
/// "other mental disorders complicating pregnancy, third trimester", O99.345
/// "... complicating the puerperium"; CMS/CDC ICD-10-CM tabular list, O99.3).
/// Read wrongly, a woman in her third trimester with OUD coded O99.323 would
/// lose the 45 CFR 96.131 pregnancy preference, and a postpartum one coded
/// O99.325 would be given it (a bug this test found and pins).
#[test]
fn o99_3_sixth_character_3_is_the_third_trimester_and_5_the_puerperium() {
    use Pregnancy::*;
    for (c, p) in [
        ("O99.313", Pregnant),
        ("O99.323", Pregnant),
        ("O99.343", Pregnant),
        ("O99.315", Postpartum),
        ("O99.325", Postpartum),
        ("O99.345", Postpartum),
    ] {
        assert_eq!(code(c).pregnancy(), Some(p), "{c}");
    }
    let third_trimester = iop_referral("R-1", needs(&["O99.323", "F11.20"]));
    assert!(PriorityCondition::PregnantWithSubstanceUse.holds(&third_trimester));
    let puerperium = iop_referral("R-2", needs(&["O99.325", "F11.20"]));
    assert!(PriorityCondition::PregnantOrPostpartum.holds(&puerperium));
    assert!(!PriorityCondition::PregnantWithSubstanceUse.holds(&puerperium));
}

#[test]
fn an_o99_3_code_takes_the_condition_from_the_f_code_beside_it() {
    let n = needs(&["O99.344", "F33.1"]);
    assert_eq!(n.primary_condition(), Some(Condition::Depressive));
    assert!(n.conditions().contains(&Condition::Depressive));
    let f_code_asked = |n: &PatientNeeds| {
        n.validate()
            .warnings()
            .any(|p| p.path == "diagnoses[0].code" && p.message.contains("F code"))
    };
    assert!(!f_code_asked(&n));

    // Alone: the condition is unknown, and validation asks for the F code.
    let mut alone = needs(&["O99.344"]);
    assert_eq!(alone.primary_condition(), Some(Condition::Other));
    assert!(f_code_asked(&alone), "{}", alone.validate());
    alone.pregnancy = Some(Pregnancy::Pregnant);
    assert!(f_code_asked(&alone), "{}", alone.validate());

    // Only the O99.31-O99.34 codes lend a primary its condition.
    let other = needs(&["J45.909", "F33.1"]);
    assert_eq!(other.primary_condition(), Some(Condition::Other));
}

#[test]
fn pregnancy_read_from_a_code_is_confirmed_with_a_warning_unless_stated() {
    let inferred = |n: &PatientNeeds| {
        n.validate()
            .warnings()
            .any(|p| p.path == "diagnoses[0].code" && p.message.contains("pregnancy is read"))
    };
    let mut n = needs(&["O99.322", "F11.20"]);
    assert_eq!(n.pregnancy_status(), Some(Pregnancy::Pregnant));
    assert_eq!(n.primary_condition(), Some(Condition::OpioidUse));
    assert!(inferred(&n), "{}", n.validate());
    assert!(!n.validate().has_errors());

    n.pregnancy = Some(Pregnancy::Pregnant);
    assert!(!inferred(&n), "{}", n.validate());
    // What is stated wins over the code.
    n.pregnancy = Some(Pregnancy::Postpartum);
    assert_eq!(n.pregnancy_status(), Some(Pregnancy::Postpartum));

    let z = needs(&["F33.1", "Z33.1"]);
    assert_eq!(z.pregnancy_status(), Some(Pregnancy::Pregnant));
    assert!(
        z.validate()
            .warnings()
            .any(|p| p.path == "diagnoses[1].code"),
        "{}",
        z.validate()
    );
    assert_eq!(needs(&["F33.1", "Z33.2"]).pregnancy_status(), None);
}

// ---- 5. Invalid referrals.

/// The fuzz reproducer `assign_json--needs-level-replaced.json`: the needs
/// name a level (outpatient) other than the referral's.
const NEEDS_LEVEL_REPLACED: &str = r#"{"referrals": [{"id": "R-1", "level": "intensive_outpatient",
  "needs": {"age": 30, "diagnoses": [{"code": "F43.10", "primary": true}], "payer": "masshealth", "level": "outpatient"}}]}"#;

#[test]
fn the_referrals_level_replaces_the_level_in_its_needs() {
    let queue = referrals_from_json(NEEDS_LEVEL_REPLACED).unwrap();
    assert_eq!(queue[0].needs.level, Some(LevelOfCare::Outpatient));
    let a = run(every_level(), &queue);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    assert!(o.problem.is_none());
    // Ranked at the referral's level, not the needs'.
    assert_eq!(o.placement.as_ref().unwrap().program_id.as_str(), "t-iop");
}

#[test]
fn an_override_for_another_level_makes_only_that_referral_invalid() {
    // No hold to keep (risk 2), so the contradiction makes it invalid.
    let mut wrong = iop_referral("R-2", depressed());
    wrong.risk_of_harm = Some(rating(2));
    wrong.clinician = Some(override_at(LevelOfCare::Residential));
    let queue = [
        iop_referral("R-1", depressed()),
        wrong,
        iop_referral("R-3", depressed()),
    ];
    let a = run(every_level(), &queue);
    let o = outcome(&a, "R-2");
    assert_eq!(o.status, ReferralStatus::Invalid, "{a}");
    assert_eq!(o.reason, AssignReason::Invalid);
    assert!(o.placement.is_none() && o.hold.is_none());
    assert_eq!(
        o.problem.as_ref().unwrap().path,
        "referrals[1].clinician.level"
    );
    for id in ["R-1", "R-3"] {
        assert_eq!(outcome(&a, id).status, ReferralStatus::Placed, "{a}");
    }
    assert_eq!((a.placed, a.held, a.invalid), (2, 0, 1));
    assert!(
        a.to_string()
            .starts_with("2 of 3 placed, 0 held, 1 invalid")
    );
    assert!(a.to_string().contains("R-2  INVALID"));
}

#[test]
fn a_risk_of_harm_that_disagrees_with_the_assessment_is_invalid() {
    // 2 against 3: no hold either way, so it is invalid (a 5 among them is
    // held instead: see `a_risk_disagreement_at_5_is_held_with_the_crisis_text`).
    let mut r = iop_referral("R-2", depressed());
    r.risk_of_harm = Some(rating(2));
    r.assessment = Some(assessment_with_risk(3));
    let a = run(every_level(), &[iop_referral("R-1", depressed()), r]);
    let o = outcome(&a, "R-2");
    assert_eq!(o.status, ReferralStatus::Invalid, "{a}");
    assert_eq!(
        o.problem.as_ref().unwrap().path,
        "referrals[1].risk_of_harm"
    );
    assert_eq!(outcome(&a, "R-1").status, ReferralStatus::Placed);
}

// ---- 6. Pregnancy priority.

/// Three routine referrals and one pregnant with opioid use disorder, given
/// last, for one slot.
fn pregnant_queue(pregnant: PatientNeeds) -> Vec<Referral> {
    vec![
        iop_referral("R-1", depressed()),
        iop_referral("R-2", depressed()),
        iop_referral("R-3", depressed()),
        iop_referral("R-9", pregnant),
    ]
}

fn pregnant_with_oud() -> PatientNeeds {
    let mut n = needs(&["F11.20"]);
    n.age = 28;
    n.pregnancy = Some(Pregnancy::Pregnant);
    n
}

#[test]
fn a_pregnant_patient_with_a_substance_use_disorder_is_tier_2_and_gets_the_slot() {
    let mut coded = needs(&["O99.322", "F11.20"]);
    coded.age = 28;
    for pregnant in [pregnant_with_oud(), coded] {
        let a = run(vec![iop("t-one", 1)], &pregnant_queue(pregnant));
        let o = outcome(&a, "R-9");
        assert_eq!(o.priority.tier.get(), 2, "{a}");
        assert_eq!(
            o.priority
                .fired
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            ["pregnant with a substance use disorder"]
        );
        assert!(o.priority.fired[0].source.contains("45 CFR 96.131"));
        assert_eq!(o.status, ReferralStatus::Placed, "{a}");
        assert_eq!(a.placed, 1);
    }

    // Without the rule, the same referral is routine.
    let mut policy = PriorityPolicy::default();
    policy
        .rules
        .retain(|r| r.when != PriorityCondition::PregnantWithSubstanceUse);
    assert_eq!(
        policy.rules.len(),
        PriorityPolicy::default().rules.len() - 1
    );
    let a = run_with(
        vec![iop("t-one", 1)],
        &pregnant_queue(pregnant_with_oud()),
        &policy,
        options(),
    );
    let o = outcome(&a, "R-9");
    assert_eq!(o.priority.tier.get(), 4, "{a}");
    assert!(o.priority.fired.is_empty());
}

#[test]
fn the_pregnancy_conditions_read_pregnancy_postpartum_and_substance_use() {
    let with = |pregnancy: Option<Pregnancy>, codes: &[&str]| {
        let mut n = needs(codes);
        n.pregnancy = pregnancy;
        iop_referral("R-1", n)
    };
    let either = PriorityCondition::PregnantOrPostpartum;
    let sud = PriorityCondition::PregnantWithSubstanceUse;

    let pregnant_oud = with(Some(Pregnancy::Pregnant), &["F11.20"]);
    assert!(either.holds(&pregnant_oud) && sud.holds(&pregnant_oud));

    let postpartum_oud = with(Some(Pregnancy::Postpartum), &["F11.20"]);
    assert!(either.holds(&postpartum_oud));
    assert!(!sud.holds(&postpartum_oud));

    let pregnant_depressed = with(Some(Pregnancy::Pregnant), &["F33.1"]);
    assert!(either.holds(&pregnant_depressed));
    assert!(!sud.holds(&pregnant_depressed));

    // Nicotine is not a substance use disorder here.
    let pregnant_smoker = with(Some(Pregnancy::Pregnant), &["F33.1", "F17.210"]);
    assert!(!sud.holds(&pregnant_smoker));

    // Co-occurring use, flagged without a code, counts.
    let mut flagged = with(Some(Pregnancy::Pregnant), &["F33.1"]);
    flagged.needs.co_occurring_substance_use = true;
    assert!(sud.holds(&flagged));

    let not_pregnant = with(None, &["F11.20"]);
    assert!(!either.holds(&not_pregnant) && !sud.holds(&not_pregnant));

    // Read from a code when not stated.
    assert!(sud.holds(&with(None, &["F11.20", "Z33.1"])));
}

// ---- 7. Specialist programs and poor clinical fits.

#[test]
fn a_specialist_program_admits_only_its_primary_conditions() {
    let mut eating = iop("t-eating", 5);
    eating.admits = vec![Condition::Eating];
    let mut sud = iop("t-sud", 5);
    sud.admits = vec![Condition::SubstanceUse];
    let programs = vec![eating, sud, iop("t-general", 5)];

    let r = rank(&programs, &depressed(), LevelOfCare::IntensiveOutpatient);
    assert_eq!(
        exclusion_reasons(&r, "t-eating"),
        [ExclusionReason::PrimaryConditionNotAdmitted {
            condition: Condition::Depressive,
            admits: vec![Condition::Eating],
        }]
    );
    assert!(
        exclusion_reasons(&r, "t-sud")
            .iter()
            .any(|x| matches!(x, ExclusionReason::PrimaryConditionNotAdmitted { .. }))
    );
    let counted = r
        .exclusion_counts
        .iter()
        .find(|c| c.reason == ExclusionKind::PrimaryConditionNotAdmitted)
        .map(|c| c.programs);
    assert_eq!(counted, Some(2), "{r}");
    the_match(&r, "t-general");

    // Anorexia nervosa, restricting type: admitted at the eating-disorders IOP.
    let r = rank(
        &programs,
        &needs(&["F50.01"]),
        LevelOfCare::IntensiveOutpatient,
    );
    the_match(&r, "t-eating");
    assert!(exclusion_reasons(&r, "t-sud").len() == 1);

    // The substance-use family admits alcohol use disorder.
    let r = rank(
        &programs,
        &needs(&["F10.20"]),
        LevelOfCare::IntensiveOutpatient,
    );
    the_match(&r, "t-sud");
    exclusion_reasons(&r, "t-eating");

    // Only the primary condition is checked: depression with alcohol use
    // secondary is not admitted by the substance-use program.
    let r = rank(
        &programs,
        &needs(&["F33.1", "F10.20"]),
        LevelOfCare::IntensiveOutpatient,
    );
    exclusion_reasons(&r, "t-sud");
}

/// The template without any first-line therapy for depression (CBT, IPT,
/// behavioural activation).
fn no_depression_therapy(id: &str, slots: u32) -> Program {
    let mut p = iop(id, slots);
    p.approaches = vec![
        carematch::Approach::Act,
        carematch::Approach::Emdr,
        carematch::Approach::MotivationalInterviewing,
    ];
    p
}

#[test]
fn a_match_without_a_first_line_therapy_carries_an_alert() {
    let programs = vec![no_depression_therapy("t-poor", 5), iop("t-good", 5)];
    let r = rank(&programs, &depressed(), LevelOfCare::IntensiveOutpatient);
    let poor = the_match(&r, "t-poor");
    assert!(
        poor.alerts.contains(&Alert::NoFirstLineTherapy {
            condition: Condition::Depressive
        }),
        "{r}"
    );
    assert!(!has_alert(
        &the_match(&r, "t-good").alerts,
        "no_first_line_therapy"
    ));
}

#[test]
fn a_poor_clinical_fit_is_no_placement_unless_the_site_allows_it() {
    let programs = || vec![no_depression_therapy("t-poor", 1)];
    let queue = [iop_referral("R-1", depressed())];
    let a = run(programs(), &queue);
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Unplaced, "{a}");
    assert_eq!(o.reason, AssignReason::OnlyPoorClinicalFit { eligible: 1 });
    assert!(o.waitlist.iter().all(|w| w.program_id.as_str() != "t-poor"));
    assert_eq!(a.placed, 0);

    let policy = PriorityPolicy {
        allow_poor_clinical_fit: true,
        ..PriorityPolicy::default()
    };
    let a = run_with(programs(), &queue, &policy, options());
    let o = &a.referrals[0];
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    let p = o.placement.as_ref().unwrap();
    assert_eq!(p.program_id.as_str(), "t-poor");
    assert!(p.poor_clinical_fit);
    assert!(a.to_string().contains("POOR CLINICAL FIT"), "{a}");
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["referrals"][0]["placement"]["poor_clinical_fit"], true);

    // A good fit is placed, and not marked.
    let a = run(vec![iop("t-good", 1)], &queue);
    let p = a.referrals[0].placement.as_ref().unwrap();
    assert!(!p.poor_clinical_fit);
    assert!(!a.to_string().contains("POOR CLINICAL FIT"));
}

#[test]
fn with_a_good_fit_full_the_poor_fit_is_not_used_as_a_fallback() {
    // The good fit's one slot goes to the first referral; the second does
    // not fall back to the poor fit.
    let programs = vec![iop("t-good", 1), no_depression_therapy("t-poor", 3)];
    let queue = [
        iop_referral("R-1", depressed()),
        iop_referral("R-2", depressed()),
    ];
    let a = run(programs, &queue);
    assert_eq!(a.placed, 1, "{a}");
    for o in &a.referrals {
        if let Some(p) = &o.placement {
            assert_eq!(p.program_id.as_str(), "t-good");
        }
    }
}

// ---- 8. Medication for opioid use disorder.

/// The template as a program that lists no MOUD, is no Opioid Treatment
/// Program and does not coordinate with one, with a psychiatrist (a
/// prescriber) on staff.
fn prescriber_only(id: &str) -> Program {
    let mut p = iop(id, 5);
    p.approaches = vec![
        carematch::Approach::Cbt,
        carematch::Approach::MotivationalInterviewing,
    ];
    p.moud_medications.clear();
    p.opioid_treatment_program = false;
    p.coordinates_with_otp = false;
    p
}

fn on_moud(medication: Option<MoudMedication>) -> PatientNeeds {
    let mut n = needs(&["F11.20"]);
    n.moud_medication = medication;
    n.on_moud = true;
    n
}

fn confirm_moud(m: &Match) -> Option<Option<MoudMedication>> {
    m.alerts.iter().find_map(|a| match a {
        Alert::ConfirmMoud { medication } => Some(*medication),
        _ => None,
    })
}

#[test]
fn methadone_continues_only_at_an_otp_or_a_program_coordinating_with_one() {
    let plain = prescriber_only("t-plain");
    assert!(plain.can_provide_moud() && !plain.keeps_methadone());
    let mut coordinates = prescriber_only("t-coordinates");
    coordinates.coordinates_with_otp = true;
    let mut otp = prescriber_only("t-otp");
    otp.opioid_treatment_program = true;
    let programs = vec![plain, coordinates, otp];

    let patient = on_moud(Some(MoudMedication::Methadone));
    assert!(patient.is_on_moud());
    let r = rank(&programs, &patient, LevelOfCare::IntensiveOutpatient);
    assert_eq!(
        exclusion_reasons(&r, "t-plain"),
        [ExclusionReason::MoudNotAvailable {
            medication: Some(MoudMedication::Methadone)
        }],
        "a prescriber cannot continue methadone"
    );
    assert_eq!(
        confirm_moud(the_match(&r, "t-coordinates")),
        Some(Some(MoudMedication::Methadone)),
        "{r}"
    );
    assert_eq!(confirm_moud(the_match(&r, "t-otp")), None, "{r}");
    assert!(
        r.exclusion_counts
            .iter()
            .any(|c| c.reason == ExclusionKind::MoudNotAvailable && c.programs == 1)
    );
}

#[test]
fn buprenorphine_at_a_program_that_does_not_list_it_is_to_be_confirmed() {
    let plain = prescriber_only("t-plain");
    let mut lists = prescriber_only("t-lists");
    lists.moud_medications = vec![MoudMedication::Buprenorphine];
    let mut no_prescriber = prescriber_only("t-no-prescriber");
    no_prescriber.staff.licenses.clear();
    no_prescriber
        .staff
        .licenses
        .insert(carematch::License::Licsw, 3);
    assert!(!no_prescriber.can_provide_moud());
    let programs = vec![plain, lists, no_prescriber];

    let patient = on_moud(Some(MoudMedication::Buprenorphine));
    let r = rank(&programs, &patient, LevelOfCare::IntensiveOutpatient);
    assert_eq!(
        confirm_moud(the_match(&r, "t-plain")),
        Some(Some(MoudMedication::Buprenorphine)),
        "{r}"
    );
    assert_eq!(confirm_moud(the_match(&r, "t-lists")), None, "{r}");
    assert_eq!(
        exclusion_reasons(&r, "t-no-prescriber"),
        [ExclusionReason::MoudNotAvailable {
            medication: Some(MoudMedication::Buprenorphine)
        }]
    );
}

#[test]
fn on_moud_without_a_medication_named_is_to_be_confirmed_too() {
    let programs = vec![prescriber_only("t-plain")];
    let mut patient = needs(&["F11.20"]);
    patient.on_moud = true;
    assert_eq!(patient.moud_medication, None);
    let r = rank(&programs, &patient, LevelOfCare::IntensiveOutpatient);
    assert_eq!(confirm_moud(the_match(&r, "t-plain")), Some(None), "{r}");

    // Not on MOUD: nothing to confirm.
    let r = rank(
        &programs,
        &needs(&["F11.20"]),
        LevelOfCare::IntensiveOutpatient,
    );
    assert_eq!(confirm_moud(the_match(&r, "t-plain")), None, "{r}");
}

// ---- 9. No referral at imminent risk is ever placed without an override.

/// One referral's randomised safety facts: a risk of harm (0: none), a
/// clinician's record (0, 1: none; 2: an override at its own level; 3: a
/// re-rating) and the re-rating's seven ratings.
type Facts = (u8, u8, [u8; 7]);

fn arb_facts() -> impl Strategy<Value = Vec<Facts>> {
    prop::collection::vec((0u8..=5, 0u8..4, prop::array::uniform7(1u8..=5)), 1..=24)
}

proptest! {
    #![proptest_config(common::config(48, "safe_placement"))]

    #[test]
    fn no_referral_at_imminent_risk_is_ever_placed(
        programs in 20usize..120,
        dir_seed in 0u64..1_000,
        queue_seed in 0u64..1_000,
        facts in arb_facts(),
    ) {
        let mut ps = synthetic::directory(programs, dir_seed);
        for p in &mut ps {
            p.open_slots = Some(20);
        }
        let dir = Directory::new(ps, synthetic::AS_OF).unwrap();
        let mut queue = synthetic::referrals(facts.len(), queue_seed);
        for (r, (risk, record, rerated)) in queue.iter_mut().zip(&facts) {
            r.risk_of_harm = (*risk > 0).then(|| rating(*risk));
            r.clinician = match record {
                2 => Some(override_at(r.level)),
                3 => Some(ClinicianRecord::Rerated {
                    assessment: Assessment::new(Ratings::try_from(*rerated).unwrap()),
                }),
                _ => None,
            };
        }
        let a = assign(&dir, &queue, &PriorityPolicy::default(), &AssignOptions::new(synthetic::AS_OF)).unwrap();

        prop_assert_eq!(a.referrals.len(), queue.len());
        let count = |s: ReferralStatus| a.referrals.iter().filter(|o| o.status == s).count();
        prop_assert_eq!(a.placed, count(ReferralStatus::Placed));
        prop_assert_eq!(a.held, count(ReferralStatus::Held));
        prop_assert_eq!(a.invalid, count(ReferralStatus::Invalid));
        prop_assert_eq!(
            a.placed + a.held + a.invalid + count(ReferralStatus::Unplaced),
            queue.len()
        );
        // Held referrals first.
        let first_other = a.referrals.iter().position(|o| o.status != ReferralStatus::Held);
        if let Some(i) = first_other {
            prop_assert!(a.referrals[i..].iter().all(|o| o.status != ReferralStatus::Held));
        }
        for o in &a.referrals {
            prop_assert_eq!(o.placement.is_some(), o.status == ReferralStatus::Placed);
            prop_assert_eq!(o.hold.is_some(), o.status == ReferralStatus::Held);
        }
        for r in &queue {
            let o = a.referrals.iter().find(|o| o.referral_id == r.id).unwrap();
            let overridden = matches!(r.clinician, Some(ClinicianRecord::Override { .. }));
            // Risk of harm 5 in force: held for a crisis evaluation, with
            // or without an override (only a re-rating below 5 releases it).
            if r.risk_in_force() == Some(Rating::MAX) {
                prop_assert_eq!(o.status, ReferralStatus::Held, "{} was not held:\n{}", r.id, a);
                prop_assert_eq!(hold_kind(o), Some(HoldKind::CrisisEvaluationRequired));
                prop_assert!(o.placement.is_none());
            } else if overridden {
                prop_assert_ne!(o.status, ReferralStatus::Held, "{} is overridden:\n{}", r.id, a);
            }
        }
    }
}

// ---- Withdrawal management at the program.

/// A withdrawal code asks every match to confirm withdrawal management,
/// unless the program lists it; a patient without withdrawal is never asked.
#[test]
fn a_patient_in_withdrawal_confirms_withdrawal_management_where_it_is_not_listed() {
    let mut listed = iop("t-wm", 5);
    listed.withdrawal_management = true;
    let programs = vec![iop("t-none", 5), listed];
    let r = rank(
        &programs,
        &needs(&["F10.230"]),
        LevelOfCare::IntensiveOutpatient,
    );
    let m = |id: &str| {
        r.matches
            .iter()
            .find(|m| m.program_id.as_str() == id)
            .unwrap_or_else(|| panic!("{id} matches: {r}"))
    };
    assert!(
        has_alert(&m("t-none").alerts, "confirm_withdrawal_management"),
        "{r}"
    );
    assert!(
        !has_alert(&m("t-wm").alerts, "confirm_withdrawal_management"),
        "{r}"
    );
    // Without withdrawal, no match is asked.
    let r = rank(&programs, &depressed(), LevelOfCare::IntensiveOutpatient);
    assert!(
        r.matches
            .iter()
            .all(|m| !has_alert(&m.alerts, "confirm_withdrawal_management")),
        "{r}"
    );
}

/// A moderate withdrawal rating carried by a referral's assessment (no
/// withdrawal code) reaches the placement: it is placed, with the
/// `withdrawal` alert on the referral and `confirm_withdrawal_management` on
/// a placement at a program that does not list it.
#[test]
fn a_moderate_withdrawal_rating_is_placed_with_withdrawal_management_to_confirm() {
    let mut r = iop_referral("R-1", needs(&["F10.20"]));
    r.assessment = Some(assessment_with_risk(2).with_withdrawal_risk(WithdrawalRisk::Moderate));
    let a = run(vec![iop("t-none", 1)], &[r]);
    let o = outcome(&a, "R-1");
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    assert!(has_alert(&o.alerts, "withdrawal"), "{a}");
    let p = o.placement.as_ref().unwrap();
    assert!(has_alert(&p.alerts, "confirm_withdrawal_management"), "{a}");
    assert!(
        a.to_string()
            .contains("does not list withdrawal management"),
        "{a}"
    );
    // At a program that lists it, nothing to confirm.
    let mut listed = iop("t-wm", 1);
    listed.withdrawal_management = true;
    let mut r = iop_referral("R-1", needs(&["F10.20"]));
    r.assessment = Some(assessment_with_risk(2).with_withdrawal_risk(WithdrawalRisk::Moderate));
    let a = run(vec![listed], &[r]);
    let p = outcome(&a, "R-1").placement.as_ref().unwrap();
    assert!(
        !has_alert(&p.alerts, "confirm_withdrawal_management"),
        "{a}"
    );
}

/// A hold prints as "HELD, its kind: its text", for the line a person reads.
#[test]
fn a_hold_prints_its_kind_and_what_to_do() {
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(rating(4));
    let a = run(vec![iop("t-iop", 1)], &[r]);
    let h = outcome(&a, "R-1").hold.as_ref().unwrap();
    assert_eq!(
        h.to_string(),
        format!("HELD, needs a clinician's override: {}", h.text)
    );
    assert!(
        h.text
            .starts_with("risk of harm rated 4 sets a floor of residential"),
        "{}",
        h.text
    );
}

// ---- Found in review.

/// An O99.3 code takes its condition from the F code of its own family:
/// O99.32 (drug use) with anxiety listed before opioid dependence is opioid
/// use, not anxiety.
#[test]
fn an_o99_3_code_reads_the_f_code_of_its_own_family() {
    let n = needs(&["O99.322", "F41.1", "F11.20"]);
    assert_eq!(n.primary_condition(), Some(Condition::OpioidUse));
    let n = needs(&["O99.312", "F41.1", "F10.20"]);
    assert_eq!(n.primary_condition(), Some(Condition::AlcoholUse));
    let n = needs(&["O99.342", "F11.20", "F33.1"]);
    assert_eq!(n.primary_condition(), Some(Condition::Depressive));
    // No F code of its family: the first condition named.
    let n = needs(&["O99.342", "F11.20"]);
    assert_eq!(n.primary_condition(), Some(Condition::OpioidUse));
}

/// What to confirm about a referral's needs reaches its outcome: a
/// pregnancy read from a code, with the referral's path.
#[test]
fn a_pregnancy_read_from_a_code_is_a_warning_on_the_outcome() {
    let a = run(
        vec![iop("t-iop", 1)],
        &[iop_referral("R-1", needs(&["O99.322", "F11.20"]))],
    );
    let o = outcome(&a, "R-1");
    assert!(
        o.warnings
            .iter()
            .any(|w| w.path == "referrals[0].needs.diagnoses[0].code"
                && w.message.contains("pregnancy is read from it")),
        "{a}"
    );
    assert!(
        a.to_string()
            .contains("  confirm: referrals[0].needs.diagnoses[0].code: "),
        "{a}"
    );
}

/// A waitlist option's `choice` is its rank in the referral's own list,
/// even when a poor clinical fit ranked above it is left off the waitlist.
#[test]
fn waitlist_choices_keep_their_rank_in_the_referrals_own_list() {
    // The poor fit first: nearer (the referral's location is at it) and
    // offering none of depression's first-line therapies.
    let mut poor = iop("t-poor", 1);
    poor.approaches = vec![carematch::Approach::Dbt];
    let mut good = iop("t-good", 0);
    good.location.latitude += 0.6;
    good.typical_wait_days = Some(40);
    let mut n = depressed();
    n.location = Some(poor.location.point());
    n.max_travel_miles = Some(50.0);
    let r = rank(
        &[poor.clone(), good.clone()],
        &n,
        LevelOfCare::IntensiveOutpatient,
    );
    let poor_rank = r
        .matches
        .iter()
        .position(|m| m.program_id.as_str() == "t-poor");
    let good_rank = r
        .matches
        .iter()
        .position(|m| m.program_id.as_str() == "t-good");
    assert!(poor_rank < good_rank, "the poor fit ranks first here: {r}");
    let a = run(vec![poor, good], &[iop_referral("R-1", n)]);
    let o = outcome(&a, "R-1");
    assert_eq!(o.status, ReferralStatus::Unplaced, "{a}");
    let w = &o.waitlist;
    assert_eq!(w.len(), 1, "{a}");
    assert_eq!(w[0].program_id.as_str(), "t-good");
    assert_eq!(w[0].choice, good_rank.unwrap() + 1, "{a}");
}

/// A severe withdrawal rating on a referral at inpatient level (no hold)
/// keeps its words: the ranking's code-only alert is replaced by the
/// referral's own, with the rating and the level.
#[test]
fn a_placed_referrals_withdrawal_alert_keeps_its_severe_rating() {
    let mut r = referral("R-1", needs(&["F11.23"]), LevelOfCare::Inpatient);
    r.assessment = Some(assessment_with_risk(2).with_withdrawal_risk(WithdrawalRisk::Severe));
    let a = run(every_level(), &[r]);
    let o = outcome(&a, "R-1");
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    let w: Vec<&Alert> = o
        .alerts
        .iter()
        .filter(|x| x.key() == "withdrawal")
        .collect();
    assert_eq!(w.len(), 1, "{a}");
    match w[0] {
        Alert::Withdrawal { risk, level, .. } => {
            assert_eq!(*risk, Some(WithdrawalRisk::Severe));
            assert_eq!(*level, Some(LevelOfCare::Inpatient));
        }
        other => panic!("{other:?}"),
    }
}

/// A withdrawal row that applied raises the `withdrawal_management` flag.
#[test]
fn a_withdrawal_row_raises_the_withdrawal_management_flag() {
    let policy = LevelPolicy::default();
    let low = assessment_with_risk(2);
    assert!(
        !policy
            .recommend(&low)
            .has_flag(carematch::level::Flag::WithdrawalManagement)
    );
    for risk in [WithdrawalRisk::Moderate, WithdrawalRisk::Severe] {
        let rec = policy.recommend(&low.with_withdrawal_risk(risk));
        assert!(
            rec.has_flag(carematch::level::Flag::WithdrawalManagement),
            "{rec}"
        );
    }
    let rec = policy.recommend(&low.with_withdrawal_risk(WithdrawalRisk::Mild));
    assert!(!rec.has_flag(carematch::level::Flag::WithdrawalManagement));
}

/// A program listing methadone that is neither an OTP nor coordinates with
/// one is warned about at its field.
#[test]
fn listing_methadone_without_an_otp_is_a_warning() {
    let mut p = iop("t-iop", 1);
    p.moud_medications = vec![MoudMedication::Methadone];
    let warns = |p: &Program| {
        p.validate(AS_OF)
            .warnings()
            .any(|w| w.path == "moud_medications")
    };
    assert!(warns(&p));
    p.coordinates_with_otp = true;
    assert!(!warns(&p));
}

/// The words of the priority rules a person reads beside a tier: the new
/// pregnancy conditions, a tier, a rule and a priority with its rules.
#[test]
fn priority_words_say_what_fired() {
    assert_eq!(
        PriorityCondition::PregnantOrPostpartum.to_string(),
        "pregnant or within 12 months postpartum"
    );
    assert_eq!(
        PriorityCondition::PregnantWithSubstanceUse.to_string(),
        "pregnant, with a substance use disorder"
    );
    let mut n = needs(&["F11.20"]);
    n.pregnancy = Some(Pregnancy::Pregnant);
    let p = PriorityPolicy::default().priority(&iop_referral("R-1", n));
    assert_eq!(p.tier.to_string(), "tier 2");
    assert_eq!(
        p.to_string(),
        "tier 2 (pregnant with a substance use disorder)"
    );
    let rule = PriorityPolicy::default()
        .rules
        .into_iter()
        .find(|r| r.when == PriorityCondition::PregnantWithSubstanceUse)
        .unwrap();
    assert_eq!(
        rule.to_string(),
        "pregnant with a substance use disorder (pregnant, with a substance use disorder): tier 2"
    );
    // A rule without a source is refused, so the pregnancy rule keeps its citation.
    let mut policy = PriorityPolicy::default();
    for r in &mut policy.rules {
        if r.when == PriorityCondition::PregnantWithSubstanceUse {
            r.source.clear();
        }
    }
    assert!(policy.check().is_err());
    assert!(PriorityPolicy::default().check().is_ok());
}

/// The words of the new alerts, exactly: what a clinician reads first.
#[test]
fn the_new_alerts_say_exactly_what_to_do() {
    let w = |codes: &[&str], risk, level, action: &str| Alert::Withdrawal {
        codes: codes.iter().map(|c| code(c)).collect(),
        risk,
        level,
        action: action.to_owned(),
    };
    assert_eq!(
        w(&["F10.231"], None, Some(LevelOfCare::Inpatient), "act").to_string(),
        "WITHDRAWAL (F10.231: alcohol use disorder withdrawal with delirium): at least inpatient, before any program at a lower level; act"
    );
    assert_eq!(
        w(
            &["F10.230", "F13.232"],
            Some(WithdrawalRisk::Severe),
            None,
            "act"
        )
        .to_string(),
        "WITHDRAWAL (F10.230: alcohol use disorder withdrawal; F13.232: sedative use disorder withdrawal with perceptual disturbance; withdrawal risk rated severe): act"
    );
    assert_eq!(
        w(&[], Some(WithdrawalRisk::Moderate), None, "act").to_string(),
        "WITHDRAWAL (withdrawal risk rated moderate): act"
    );
    assert_eq!(w(&[], None, None, "act").to_string(), "WITHDRAWAL: act");
    assert_eq!(
        Alert::ConfirmMoud {
            medication: Some(MoudMedication::Methadone)
        }
        .to_string(),
        "the patient takes methadone, which only an Opioid Treatment Program dispenses: confirm this program's coordination with the patient's OTP before referring"
    );
    assert_eq!(
        Alert::ConfirmMoud {
            medication: Some(MoudMedication::Buprenorphine)
        }
        .to_string(),
        "the patient takes buprenorphine, which this program does not list: confirm it will continue the medication before referring"
    );
    assert_eq!(
        Alert::ConfirmMoud { medication: None }.to_string(),
        "the patient is on MOUD, which this program does not list: confirm it will continue the patient's medication before referring"
    );
    assert_eq!(
        Alert::NoFirstLineTherapy {
            condition: Condition::Ptsd
        }
        .to_string(),
        "offers no first-line therapy for post-traumatic stress disorder (the primary condition): a poor clinical fit"
    );
    assert_eq!(
        Alert::Unconfirmed {
            not_listed: vec![carematch::NotListed::Tracks, carematch::NotListed::Staff]
        }
        .to_string(),
        format!(
            "not listed: {}, {}; not scored and not used to exclude: confirm with the program",
            carematch::NotListed::Tracks,
            carematch::NotListed::Staff
        )
    );
    let left = carematch::matching::LeftOut {
        program_id: "t-a".parse().unwrap(),
        program_name: "A".into(),
        reasons: vec![
            ExclusionReason::NotAcceptingNewPatients,
            ExclusionReason::MoudNotAvailable { medication: None },
        ],
        score: None,
    };
    assert_eq!(
        left.to_string(),
        "A (t-a): not accepting new patients; cannot continue medication for opioid use disorder (no MOUD, no prescriber), and the patient is on it"
    );
}

/// A query refused for a conflict, when the recommendation flags imminent
/// risk, names the crisis contacts first (from the one definition), so a
/// service that shows the refusal shows them too.
#[test]
fn a_refused_query_at_imminent_risk_carries_the_crisis_text_first() {
    let dir = directory(every_level());
    let rec = LevelPolicy::default().recommend(&assessment_with_risk(5));
    let mut n = depressed();
    n.level = Some(LevelOfCare::IntensiveOutpatient);
    let e = dir
        .query_for(&n, &rec, MatchOptions::new(AS_OF))
        .unwrap_err();
    let first = &e.problems()[0];
    assert_eq!(first.path, "assessment.ratings.risk_of_harm");
    assert_eq!(first.message, CrisisContact::imminent_risk_text());
    assert_eq!(e.problems()[1].path, "level");
    // Without imminent risk, the refusal is the conflict alone.
    let rec = LevelPolicy::default().recommend(&assessment_with_risk(4));
    let e = dir
        .query_for(&n, &rec, MatchOptions::new(AS_OF))
        .unwrap_err();
    assert_eq!(e.problems().len(), 1);
    assert_eq!(e.problems()[0].path, "level");
}

/// A referral's own alerts join its ranking's, each kind once: a risk-4
/// referral released by an override, in withdrawal, carries both the
/// `withdrawal` alert and `elevated_risk`, once each, most urgent first.
#[test]
fn a_referrals_own_alerts_join_the_rankings_once_each() {
    let mut r = iop_referral("R-1", needs(&["F10.230"]));
    r.risk_of_harm = Some(rating(4));
    r.clinician = Some(override_at(LevelOfCare::IntensiveOutpatient));
    let a = run(vec![iop("t-iop", 1)], &[r]);
    let o = outcome(&a, "R-1");
    assert_eq!(o.status, ReferralStatus::Placed, "{a}");
    let keys: Vec<&str> = o.alerts.iter().map(Alert::key).collect();
    assert_eq!(keys, ["withdrawal", "elevated_risk"], "{a}");
}

/// A site's imminent-risk rule is data: at risk of harm 4 it holds a risk-4
/// referral for a crisis evaluation; a rule on another dimension cannot be
/// judged from a referral that carries only its risk-of-harm rating.
#[test]
fn a_sites_imminent_risk_rule_is_read_from_its_dimension_and_rating() {
    let site = |dimension: Dimension| {
        let mut rules = LevelRules {
            floors: Vec::new(),
            ..LevelRules::default()
        };
        if let Some(r) = rules.imminent_risk.as_mut() {
            r.dimension = dimension;
            r.min_rating = rating(4);
        }
        options().with_level_policy(LevelPolicy::new(rules).unwrap())
    };
    let mut r = iop_referral("R-1", depressed());
    r.risk_of_harm = Some(rating(4));
    let a = run_with(
        vec![iop("t-iop", 1)],
        std::slice::from_ref(&r),
        &PriorityPolicy::default(),
        site(Dimension::RiskOfHarm),
    );
    assert_eq!(
        hold_kind(&a.referrals[0]),
        Some(HoldKind::CrisisEvaluationRequired),
        "{a}"
    );
    let a = run_with(
        vec![iop("t-iop", 1)],
        &[r],
        &PriorityPolicy::default(),
        site(Dimension::FunctionalStatus),
    );
    assert_eq!(a.referrals[0].status, ReferralStatus::Placed, "{a}");
}

/// "Only poor clinical fits left" is said only when a poor fit still has a
/// slot: a full poor fit, like a full good one, is "all eligible full".
#[test]
fn a_full_poor_fit_is_reported_as_full() {
    let mut poor = iop("t-poor", 0);
    poor.approaches = vec![carematch::Approach::Dbt];
    let a = run(vec![poor.clone()], &[iop_referral("R-1", depressed())]);
    assert_eq!(
        outcome(&a, "R-1").reason,
        AssignReason::AllEligibleFull { eligible: 1 },
        "{a}"
    );
    poor.open_slots = Some(1);
    let a = run(vec![poor], &[iop_referral("R-1", depressed())]);
    assert_eq!(
        outcome(&a, "R-1").reason,
        AssignReason::OnlyPoorClinicalFit { eligible: 1 },
        "{a}"
    );
}
