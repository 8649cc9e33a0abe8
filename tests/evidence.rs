//! The reviewed evidence table, in plain words: a disorder-specific program
//! scores above a generic one, a generic therapy earns at most half the
//! credit of the specific one, rows hold for the ages their guideline covers,
//! prescriber and training checks follow the rows, payers are matched through
//! parents and products, and every row carries its source (in its JSON and in
//! the README). Each test fails if the rule it names breaks.

#![cfg(feature = "serde")]

use carematch::matching::Episode;
use carematch::{
    AgeRange, Approach, Certification, Condition, Diagnosis, Directory, License, MassHealthPlan,
    Modality, PatientNeeds, Payer, Program,
    matching::{
        CredentialCheck, Criterion, EvidenceTable, MatchOptions, PARTIAL_CREDIT, Ranking, Reason,
        Strength, Weights, rank_plain,
    },
    sample,
    vocabulary::Resolvable,
};

/// The Worcester evening IOP made plain: open to ages 12 and up, no
/// approaches, and only the modalities every patient needs (so a row's
/// credit comes from the approach under test alone).
fn program(id: &str, approaches: &[Approach]) -> Program {
    let mut p = sample::massachusetts()
        .into_iter()
        .find(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .expect("the sample has the Worcester evening IOP");
    p.id = id.parse().expect("valid id");
    p.name = format!("Program {id}");
    p.ages = AgeRange { min: 12, max: 120 };
    p.approaches = approaches.to_vec();
    p.modalities = vec![
        Modality::Individual,
        Modality::Group,
        Modality::Psychoeducation,
    ];
    p.specialties.clear();
    p.excluded_conditions.clear();
    p.staff.certifications.clear();
    p
}

fn patient(condition: Condition, age: u8) -> PatientNeeds {
    let mut n = sample::patients()[0].needs.clone();
    n.age = age;
    n.diagnoses = vec![Diagnosis::from_condition(condition).primary()];
    n.co_occurring_substance_use = false;
    n.wants_family_involved = false;
    n.payer = Payer::MassHealth;
    n.populations.clear();
    n
}

/// Ranks with the index and the plain path, which must agree.
fn rank(programs: &[Program], needs: &PatientNeeds) -> Ranking {
    let dir = Directory::new(programs.to_vec(), sample::AS_OF).expect("valid directory");
    let q = dir
        .query(
            needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .expect("valid query");
    let ranked = dir.rank(&q, &Weights::default(), programs.len());
    let plain = rank_plain(programs, &q, &Weights::default(), programs.len());
    assert_eq!(ranked, plain, "index and plain path disagree");
    ranked
}

/// What one program earns for one patient: its therapy fit, and the credit of
/// each first-line evidence row (as its reason states it), with the reason.
struct Earned {
    fit: f64,
    first_line: Vec<(f64, Reason)>,
    credentials: Vec<(CredentialCheck, bool)>,
}

fn earned(p: &Program, needs: &PatientNeeds) -> Earned {
    let r = rank(std::slice::from_ref(p), needs);
    let m = r
        .matches
        .first()
        .unwrap_or_else(|| panic!("{} is not a match: {r}", p.id));
    let therapy = m.criterion(Criterion::TherapyFit);
    let first_line = therapy
        .reasons
        .iter()
        .filter_map(|reason| match reason {
            // The row's credit for what is offered (training aside): a
            // named therapy in full, a generic substitute in part.
            Reason::Evidence {
                strength: Strength::FirstLine,
                credited,
                offered,
                ..
            } => Some((
                match credited {
                    Some(t) if offered.contains(t) => 1.0,
                    Some(_) => PARTIAL_CREDIT,
                    None => 0.0,
                },
                reason.clone(),
            )),
            _ => None,
        })
        .collect();
    let credentials = m
        .criterion(Criterion::Credentials)
        .reasons
        .iter()
        .filter_map(|reason| match reason {
            Reason::Credential { check, met } => Some((check.clone(), *met)),
            _ => None,
        })
        .collect();
    Earned {
        fit: therapy.score.expect("therapy fit always applies"),
        first_line,
        credentials,
    }
}

/// The specific program fits better, and the generic one earns at most half
/// of the specific one's credit for the first-line row.
fn specific_beats_generic(
    condition: Condition,
    age: u8,
    specific: &[Approach],
    generic: &[Approach],
) -> (Earned, Earned) {
    let needs = patient(condition, age);
    let s = earned(&program("specific", specific), &needs);
    let g = earned(&program("generic", generic), &needs);
    assert!(
        s.fit > g.fit,
        "{condition} at {age}: the specific program fits {} and the generic {}",
        s.fit,
        g.fit
    );
    let (sc, gc) = (s.first_line[0].0, g.first_line[0].0);
    assert!(sc > 0.0, "{condition}: the specific program earns nothing");
    assert!(
        gc <= 0.5 * sc,
        "{condition} at {age}: the generic program earns {gc}, more than half of {sc}"
    );
    (s, g)
}

#[test]
fn ocd_erp_beats_plain_cbt_which_earns_half_and_says_why() {
    let (_, g) = specific_beats_generic(
        Condition::ObsessiveCompulsive,
        30,
        &[Approach::Erp],
        &[Approach::Cbt],
    );
    // Plain CBT is partial credit, not none, and the words say so and why.
    assert_eq!(g.first_line[0].0, PARTIAL_CREDIT);
    let text = g.first_line[0].1.to_string();
    assert!(
        text.contains(
            "cognitive behavioral therapy (CBT) without exposure and response prevention (ERP): partial (half) credit for obsessive-compulsive disorder"
        ),
        "{text}"
    );
}

#[test]
fn psychosis_cbtp_beats_plain_cbt() {
    specific_beats_generic(
        Condition::Psychotic,
        30,
        &[Approach::Cbtp],
        &[Approach::Cbt],
    );
}

#[test]
fn anorexia_at_fifteen_fbt_beats_plain_cbt() {
    specific_beats_generic(Condition::Eating, 15, &[Approach::Fbt], &[Approach::Cbt]);
}

#[test]
fn borderline_mbt_beats_no_structured_therapy() {
    let (_, none) =
        specific_beats_generic(Condition::BorderlinePersonality, 30, &[Approach::Mbt], &[]);
    assert_eq!(none.first_line[0].0, 0.0);
}

#[test]
fn adults_with_an_eating_disorder_are_credited_for_cbt_e_not_fbt() {
    specific_beats_generic(Condition::Eating, 30, &[Approach::CbtE], &[Approach::Fbt]);
}

#[test]
fn tf_cbt_is_trauma_focused_credit_for_a_fourteen_year_old_only() {
    let p = program("tf-cbt", &[Approach::TfCbt]);
    let adult = earned(&p, &patient(Condition::Ptsd, 34));
    assert!(
        adult.first_line.iter().all(|(credit, _)| *credit == 0.0),
        "an adult earns trauma-focused credit for TF-CBT: {:?}",
        adult.first_line
    );
    let teen = earned(&p, &patient(Condition::Ptsd, 14));
    assert_eq!(teen.first_line.len(), 1);
    assert_eq!(teen.first_line[0].0, 1.0, "{:?}", teen.first_line);
    assert!(teen.fit > adult.fit);
    // The adult trauma-focused therapies are CPT, PE, EMDR (strong), CT-PTSD and WET (conditional).
    let table = EvidenceTable::default();
    let adult_row: Vec<_> = table
        .rows_for(Condition::Ptsd, 34, Episode::Any)
        .into_iter()
        .filter(|r| r.strength == Strength::FirstLine)
        .flat_map(|r| r.therapies.clone())
        .collect();
    for a in [
        Approach::Cpt,
        Approach::Pe,
        Approach::Emdr,
        Approach::CtPtsd,
        Approach::Wet,
    ] {
        assert!(
            adult_row.contains(&carematch::matching::Therapy::Approach(a)),
            "{a}"
        );
    }
}

#[test]
fn tf_cbt_training_counts_as_ptsd_training_only_under_eighteen() {
    let mut p = program("tf-cbt-trained", &[Approach::TfCbt]);
    p.staff.certifications.insert(Certification::TfCbt, 2);
    let trained = |age| {
        earned(&p, &patient(Condition::Ptsd, age))
            .credentials
            .into_iter()
            .find(|(c, _)| matches!(c, CredentialCheck::CertifiedFor { .. }))
            .map(|(_, met)| met)
    };
    assert_eq!(trained(34), Some(false));
    assert_eq!(trained(14), Some(true));
}

#[test]
fn training_follows_the_rows_for_borderline_ocd_and_adolescent_eating_disorders() {
    for (condition, age, certification) in [
        (Condition::BorderlinePersonality, 30, Certification::Mbt),
        (Condition::BorderlinePersonality, 30, Certification::Dbt),
        (Condition::ObsessiveCompulsive, 30, Certification::Erp),
        (Condition::Eating, 15, Certification::Fbt),
    ] {
        let mut p = program("trained", &[]);
        let needs = patient(condition, age);
        let check = |p: &Program| {
            earned(p, &needs)
                .credentials
                .into_iter()
                .find(|(c, _)| matches!(c, CredentialCheck::CertifiedFor { .. }))
                .map(|(_, met)| met)
        };
        assert_eq!(check(&p), Some(false), "{condition} untrained");
        p.staff.certifications.insert(certification, 1);
        assert_eq!(check(&p), Some(true), "{condition} with {certification}");
    }
}

/// Whether `program` meets the patient's check of the kind `kind`.
fn check_met(p: &Program, needs: &PatientNeeds, kind: fn(&CredentialCheck) -> bool) -> bool {
    let credentials = earned(p, needs).credentials;
    let found: Vec<bool> = credentials
        .iter()
        .filter(|(c, _)| kind(c))
        .map(|(_, met)| *met)
        .collect();
    assert_eq!(found.len(), 1, "{credentials:?}");
    found[0]
}

#[test]
fn a_nurse_practitioner_prescribes_buprenorphine_but_is_not_a_psychiatric_prescriber() {
    let mut p = program("np", &[Approach::Moud]);
    p.staff.licenses.retain(|l, _| !l.prescribes());
    p.staff.licenses.insert(License::Np, 1);
    let bupe = |c: &CredentialCheck| *c == CredentialCheck::BuprenorphinePrescriber;
    let psychiatric = |c: &CredentialCheck| *c == CredentialCheck::Prescriber;
    assert!(check_met(&p, &patient(Condition::OpioidUse, 30), bupe));
    assert!(!check_met(
        &p,
        &patient(Condition::Bipolar, 30),
        psychiatric
    ));
    for l in [License::Physician, License::Pa] {
        let mut q = p.clone();
        q.staff.licenses.clear();
        q.staff.licenses.insert(l, 1);
        assert!(
            check_met(&q, &patient(Condition::OpioidUse, 30), bupe),
            "{l}"
        );
        assert!(
            !check_met(&q, &patient(Condition::Psychotic, 30), psychiatric),
            "{l}"
        );
    }
    p.staff.licenses.insert(License::Pmhnp, 1);
    assert!(check_met(&p, &patient(Condition::Bipolar, 30), psychiatric));
    // A free-text "NP" is a nurse practitioner, not a psychiatric one.
    assert_eq!(License::resolve("NP").map(|r| r.value), Ok(License::Np));
}

#[test]
fn nicotine_has_its_own_row_and_is_not_co_occurring_substance_use() {
    let needs = patient(Condition::NicotineUse, 40);
    assert!(!needs.has_substance_use());
    assert!(!Condition::NicotineUse.is_substance_use());
    let table = EvidenceTable::default();
    let rows = table.rows_for(Condition::NicotineUse, 40, Episode::Any);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].condition, Condition::NicotineUse);
    assert!(
        rows[0]
            .therapies
            .contains(&carematch::matching::Therapy::Approach(
                Approach::TobaccoTreatment
            ))
    );
    let p = program("tobacco", &[Approach::TobaccoTreatment]);
    let e = earned(&p, &needs);
    assert_eq!(e.first_line[0].0, 1.0);
    assert!(
        e.credentials
            .iter()
            .all(|(c, _)| *c != CredentialCheck::AddictionClinician),
        "{:?}",
        e.credentials
    );
    assert!(
        e.credentials
            .iter()
            .any(|(c, _)| *c == CredentialCheck::AnyPrescriber)
    );
}

#[test]
fn bpd_is_refused_as_ambiguous_with_both_meanings_suggested() {
    let err = Condition::resolve("BPD").unwrap_err();
    assert!(err.is_ambiguous(), "{err}");
    let s = err.suggestions();
    assert!(s.iter().any(|x| x.contains("borderline")), "{s:?}");
    assert!(s.iter().any(|x| x.contains("bipolar")), "{s:?}");
}

/// The ids of the programs a patient on `payer` matches.
fn matched(programs: &[Program], payer: Payer) -> Vec<String> {
    let mut needs = patient(Condition::Depressive, 30);
    needs.payer = payer;
    rank(programs, &needs)
        .matches
        .iter()
        .map(|m| m.program_id.to_string())
        .collect()
}

#[test]
fn payers_match_through_parents_and_products() {
    let with = |id: &str, payers: &[Payer]| {
        let mut p = program(id, &[Approach::Cbt]);
        p.payers = payers.to_vec();
        p
    };
    let bcbs = Payer::commercial("Blue Cross Blue Shield of Massachusetts").unwrap();
    let programs = [
        with("point32", &[Payer::commercial("Point32Health").unwrap()]),
        with("masshealth", &[Payer::MassHealth]),
        with("bcbs-only", &[bcbs]),
        with(
            "fallon-masshealth-only",
            &[Payer::MassHealthPlan(MassHealthPlan::Fallon)],
        ),
    ];
    let harvard: Payer = "commercial: Harvard Pilgrim Health Care".parse().unwrap();
    assert_eq!(matched(&programs, harvard), ["point32"]);
    let tufts = Payer::resolve("Tufts").unwrap().value;
    assert_eq!(matched(&programs, tufts), ["point32"]);
    // MassHealth products have networks of their own: a product member at a
    // program listing plain MassHealth, or a plain member at a program
    // listing only products, stays a match, unconfirmed.
    let unconfirmed = |payer: Payer| -> Vec<String> {
        let needs = PatientNeeds {
            payer,
            ..patient(Condition::Ptsd, 34)
        };
        let mut ids: Vec<String> = rank(&programs, &needs)
            .matches
            .iter()
            .filter(|m| m.alerts.iter().any(|a| a.key() == "network_unconfirmed"))
            .map(|m| m.program_id.to_string())
            .collect();
        ids.sort();
        ids
    };
    let wellsense = Payer::MassHealthPlan(MassHealthPlan::WellSense);
    assert_eq!(matched(&programs, wellsense.clone()), ["masshealth"]);
    assert_eq!(unconfirmed(wellsense), ["masshealth"]);
    // A program listing only some MassHealth products is in network for
    // those; another product's member is not its patient.
    let fallon_member = Payer::MassHealthPlan(MassHealthPlan::Fallon);
    let mut fallon = matched(&programs, fallon_member.clone());
    fallon.sort();
    assert_eq!(fallon, ["fallon-masshealth-only", "masshealth"]);
    assert_eq!(unconfirmed(fallon_member), ["masshealth"]);
    let mut plain = matched(&programs, Payer::MassHealth);
    plain.sort();
    assert_eq!(plain, ["fallon-masshealth-only", "masshealth"]);
    assert_eq!(unconfirmed(Payer::MassHealth), ["fallon-masshealth-only"]);
    // Other payers are never unconfirmed.
    assert!(unconfirmed(bcbs_member()).is_empty());
}

fn bcbs_member() -> Payer {
    Payer::commercial("Blue Cross Blue Shield of Massachusetts").unwrap()
}

#[test]
fn new_payers_read_and_match_only_themselves() {
    let va = Payer::VaCommunityCare;
    let nh = Payer::medicaid("NH").unwrap();
    let advantage: Payer = "medicare_advantage: Example Advantage".parse().unwrap();
    let mut p = program("va", &[Approach::Cbt]);
    p.payers = vec![va.clone(), nh.clone(), Payer::MedicareAdvantage(None)];
    let programs = [p];
    for payer in [va, nh, advantage] {
        assert_eq!(matched(&programs, payer.clone()), ["va"], "{payer}");
    }
    assert!(matched(&programs, Payer::medicaid("VT").unwrap()).is_empty());
    assert!(matched(&programs, Payer::Medicare).is_empty());
    assert!(Payer::medicaid("MA").is_err());
}

#[test]
fn every_row_names_its_source_in_its_json_and_in_the_readme() {
    let table = EvidenceTable::default();
    let json: serde_json::Value = serde_json::to_value(&table).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), table.rows().len());
    let readme = include_str!("../docs/matching.md");
    let mut expected = String::new();
    for (row, j) in table.rows().iter().zip(rows) {
        assert!(!row.source.trim().is_empty());
        assert_eq!(j["source"].as_str(), Some(row.source.as_str()));
        assert!(j["strength"].is_string() && j["ages"].is_string(), "{j}");
        let therapies: Vec<String> = row.therapies.iter().map(|t| t.key().to_owned()).collect();
        let partial: Vec<String> = row
            .partial
            .iter()
            .map(|p| format!("{} for {} (half)", p.therapy.key(), p.instead_of.key()))
            .collect();
        let line = format!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.condition.key(),
            match row.episode {
                Episode::Any => row.ages.key().to_owned(),
                e => format!("{}; episode: {}", row.ages.key(), e.key()),
            },
            row.strength.key(),
            row.recommendation.key(),
            therapies.join(", "),
            if partial.is_empty() {
                "".to_owned()
            } else {
                partial.join(", ")
            },
            row.source
        );
        expected.push_str(&line);
        expected.push('\n');
    }
    assert!(
        readme.contains(&expected),
        "the README's evidence table should list every row; expected:\n{expected}"
    );
}

#[test]
fn plain_cbt_for_ocd_earns_partial_credit_but_still_raises_no_evidence_based_match() {
    let needs = patient(Condition::ObsessiveCompulsive, 30);
    let fires = |programs: &[Program]| {
        rank(programs, &needs)
            .alerts
            .iter()
            .any(|a| a.key() == "no_evidence_based_match")
    };
    assert!(fires(&[program("cbt-only", &[Approach::Cbt])]));
    assert!(!fires(&[program("erp", &[Approach::Erp])]));
    // An adjunct alone is not first-line care either: CBT-I for adult PTSD.
    let ptsd = patient(Condition::Ptsd, 34);
    let r = rank(&[program("cbt-i", &[Approach::CbtI])], &ptsd);
    assert!(
        r.alerts
            .iter()
            .any(|a| a.key() == "no_evidence_based_match"),
        "{r}"
    );
}

#[test]
fn first_line_rows_weigh_twice_the_adjunct_ones() {
    // Adult PTSD: every first-line trauma-focused therapy against the adjunct
    // (CBT-I) alone. Equal weights would make the two fit alike.
    let needs = patient(Condition::Ptsd, 34);
    let first = earned(
        &program(
            "first-line",
            &[
                Approach::Cpt,
                Approach::Pe,
                Approach::Emdr,
                Approach::CtPtsd,
                Approach::Wet,
            ],
        ),
        &needs,
    );
    let adjunct = earned(&program("adjunct", &[Approach::CbtI]), &needs);
    assert!(first.fit > adjunct.fit, "{} vs {}", first.fit, adjunct.fit);
}

#[test]
fn the_under_18_rows_end_at_17() {
    let p = program("tf-cbt", &[Approach::TfCbt]);
    let at17 = earned(&p, &patient(Condition::Ptsd, 17)).first_line;
    assert_eq!(at17.len(), 1);
    assert_eq!(at17[0].0, 1.0);
    let at18 = earned(&p, &patient(Condition::Ptsd, 18)).first_line;
    assert_eq!(
        at18.len(),
        2,
        "an 18-year-old is read against the two adult rows (strong, conditional) only"
    );
    assert!(at18.iter().all(|(credit, r)| *credit == 0.0
        && matches!(
            r,
            Reason::Evidence {
                ages: carematch::matching::AgeBand::Adults,
                episode: carematch::matching::Episode::Any,
                ..
            }
        )));
}

#[test]
fn rows_that_name_modalities_credit_them() {
    // Bipolar disorder: medication management and psychoeducation first.
    let needs = patient(Condition::Bipolar, 40);
    let mut p = program("mood", &[]);
    p.modalities.push(Modality::MedicationManagement);
    let both = earned(&p, &needs);
    assert_eq!(both.first_line[0].0, 1.0);
    p.modalities
        .retain(|m| *m != Modality::MedicationManagement);
    // Psychoeducation alone still earns the row (the therapies are
    // alternatives); the breadth part is lower.
    let one = earned(&p, &needs);
    assert_eq!(one.first_line[0].0, 1.0);
    assert!(one.fit < both.fit, "{} vs {}", one.fit, both.fit);
}

#[test]
fn a_substance_without_its_own_rows_uses_the_substance_use_rows() {
    let table = EvidenceTable::default();
    let cannabis = table.rows_for(Condition::CannabisUse, 30, Episode::Any);
    assert!(!cannabis.is_empty());
    assert!(
        cannabis
            .iter()
            .all(|r| r.condition == Condition::SubstanceUse)
    );
    // A substance with rows of its own keeps them.
    let stimulant = table.rows_for(Condition::StimulantUse, 30, Episode::Any);
    assert!(
        stimulant
            .iter()
            .all(|r| r.condition == Condition::StimulantUse)
    );
    assert!(!stimulant.is_empty());
}

#[test]
fn a_condition_without_rows_adds_nothing_either_way() {
    // Personality disorders other than borderline have no row.
    let needs = patient(Condition::Personality, 30);
    assert!(
        EvidenceTable::default()
            .rows_for(Condition::Personality, 30, Episode::Any)
            .is_empty()
    );
    let a = earned(&program("none", &[]), &needs);
    let b = earned(&program("many", &[Approach::Cbt, Approach::Dbt]), &needs);
    assert!(
        a.fit.is_finite() && b.fit.is_finite(),
        "{} {}",
        a.fit,
        b.fit
    );
    assert_eq!(a.fit, b.fit);
    assert!(a.first_line.is_empty());
}
