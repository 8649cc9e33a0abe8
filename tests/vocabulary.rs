//! Free-text resolution against real-world spellings, abbreviations and
//! typos, the error messages, and lenient JSON reading.

use carematch::{
    Approach, Condition, Error, LevelOfCare, License, Payer,
    vocabulary::{MatchKind, Resolvable, ResolveError, TermFamily as F},
};

/// What one input must give.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    /// A canonical key, name or official abbreviation: this key.
    Exact(&'static str),
    /// A listed synonym (or an ICD-10-CM code): this key.
    Syn(&'static str),
    /// A close spelling: this key, with confidence below 1.
    Fuzzy(&'static str),
    /// Nothing close enough: refused.
    Refused,
    /// Two values about equally close: refused as ambiguous.
    Ambiguous,
}

use Want::{Ambiguous, Exact, Fuzzy, Refused, Syn};

const BCBS: &str = "commercial: Blue Cross Blue Shield of Massachusetts";

#[rustfmt::skip]
const TABLE: &[(F, &str, Want)] = &[
    // The issue's examples.
    (F::Condition, "post traumatic stress", Syn("ptsd")),
    (F::Condition, "PTSD", Exact("ptsd")),
    (F::Approach, "dialectical behavior therapy", Exact("dbt")),
    (F::Payer, "Mass Health", Exact("masshealth")),
    (F::License, "licsw", Exact("licsw")),
    (F::Language, "Portugese", Fuzzy("pt")),
    (F::Condition, "F43.1", Syn("ptsd")),
    (F::Approach, "dialectic behaviour thrapy", Refused),
    (F::Approach, "DBT", Exact("dbt")),
    (F::Approach, "CBT", Exact("cbt")),
    (F::Approach, "PE", Exact("pe")),
    (F::Approach, "PT", Refused),
    (F::LevelOfCare, "IOP", Exact("intensive_outpatient")),
    (F::LevelOfCare, "PHP", Exact("partial_hospitalization")),
    (F::Payer, "MassHealth", Exact("masshealth")),
    (F::Payer, "Medicaid (MA)", Syn("masshealth")),
    (F::Payer, "BCBS", Syn(BCBS)),
    (F::Payer, "Blue Cross", Syn(BCBS)),
    (F::Payer, "Harvard Pilgrim", Syn("commercial: Harvard Pilgrim Health Care")),
    (F::Payer, "Tufts", Syn("commercial: Tufts Health Plan")),
    (F::Payer, "Point32Health", Exact("commercial: Point32Health")),
    // Therapy approaches.
    (F::Approach, "dbt", Exact("dbt")),
    (F::Approach, "D.B.T.", Exact("dbt")),
    (F::Approach, "Dialectical Behaviour Therapy", Exact("dbt")),
    (F::Approach, "dialectical behavior therapy (DBT)", Exact("dbt")),
    (F::Approach, "dialectical behavioral therapy", Syn("dbt")),
    (F::Approach, "DBT therapy", Syn("dbt")),
    (F::Approach, "DBT skills", Syn("dbt")),
    (F::Approach, "dialectical behavior thrapy", Fuzzy("dbt")),
    (F::Approach, "dbt threapy", Fuzzy("dbt")),
    (F::Approach, "DBTT", Refused),
    (F::Approach, "CBTT", Refused),
    (F::Approach, "dialectical behavior therapy (CBT)", Refused),
    (F::Approach, "Cognitive-Behavioral Therapy", Exact("cbt")),
    (F::Approach, "cognitive behavioural therapy", Exact("cbt")),
    (F::Approach, "cognitive therapy", Syn("cbt")),
    (F::Approach, "cognitive behavioral therepy", Fuzzy("cbt")),
    (F::Approach, "CPT", Exact("cpt")),
    (F::Approach, "cognitive processing therapy", Exact("cpt")),
    (F::Approach, "prolonged exposure", Exact("pe")),
    (F::Approach, "prolonged exposure therapy", Syn("pe")),
    (F::Approach, "prolonged exposur", Fuzzy("pe")),
    (F::Approach, "EMDR", Exact("emdr")),
    (F::Approach, "eye movement desensitisation and reprocessing", Exact("emdr")),
    (F::Approach, "TF-CBT", Exact("tf_cbt")),
    (F::Approach, "tfcbt", Exact("tf_cbt")),
    (F::Approach, "trauma-focused CBT", Exact("tf_cbt")),
    (F::Approach, "IPT", Exact("ipt")),
    (F::Approach, "interpersonal therapy", Syn("ipt")),
    (F::Approach, "acceptance & commitment therapy", Exact("act")),
    (F::Approach, "MI", Exact("motivational_interviewing")),
    (F::Approach, "motivational interview", Syn("motivational_interviewing")),
    (F::Approach, "motivational interveiwing", Fuzzy("motivational_interviewing")),
    (F::Approach, "CM", Exact("contingency_management")),
    (F::Approach, "IPSRT", Exact("ipsrt")),
    (F::Approach, "mindfulness", Syn("mindfulness_based")),
    (F::Approach, "mindfullness", Fuzzy("mindfulness_based")),
    (F::Approach, "MBSR", Syn("mindfulness_based")),
    (F::Approach, "MOUD", Exact("moud")),
    (F::Approach, "Suboxone", Syn("moud")),
    (F::Approach, "MAT", Refused),
    (F::Approach, "naltrexone", Refused),
    (F::Approach, "12-step facilitation", Refused),
    // Levels of care.
    (F::LevelOfCare, "iop", Exact("intensive_outpatient")),
    (F::LevelOfCare, "I.O.P.", Exact("intensive_outpatient")),
    (F::LevelOfCare, "Intensive Out-Patient", Exact("intensive_outpatient")),
    (F::LevelOfCare, "intensive outpatient program", Syn("intensive_outpatient")),
    (F::LevelOfCare, "intensive outpatent", Fuzzy("intensive_outpatient")),
    (F::LevelOfCare, "IOPP", Refused),
    (F::LevelOfCare, "OP", Exact("outpatient")),
    (F::LevelOfCare, "IP", Exact("inpatient")),
    (F::LevelOfCare, "partial hospitalisation", Exact("partial_hospitalization")),
    (F::LevelOfCare, "partial hospital program", Syn("partial_hospitalization")),
    (F::LevelOfCare, "ASAM 2.1", Syn("intensive_outpatient")),
    (F::LevelOfCare, "ASAM 2.2", Refused),
    (F::LevelOfCare, "RTC", Syn("residential")),
    (F::LevelOfCare, "detox", Refused),
    // Conditions and ICD-10-CM codes.
    (F::Condition, "Post-Traumatic Stress Disorder", Exact("ptsd")),
    (F::Condition, "posttraumatic stress disorder", Exact("ptsd")),
    (F::Condition, "f431", Syn("ptsd")),
    (F::Condition, "F43.10", Syn("ptsd")),
    (F::Condition, "F43.21", Syn("trauma_related")),
    (F::Condition, "F33.1", Syn("depressive")),
    (F::Condition, "f10.20", Syn("alcohol_use")),
    (F::Condition, "F60.3", Syn("borderline_personality")),
    (F::Condition, "J45.909", Syn("other")),
    (F::Condition, "F4", Refused),
    (F::Condition, "depression", Syn("depressive")),
    (F::Condition, "depresion", Fuzzy("depressive")),
    (F::Condition, "MDD", Syn("depressive")),
    (F::Condition, "GAD", Syn("anxiety")),
    (F::Condition, "anxeity", Fuzzy("anxiety")),
    (F::Condition, "bipolar", Exact("bipolar")),
    (F::Condition, "bipolor", Fuzzy("bipolar")),
    (F::Condition, "Bipolar II", Syn("bipolar")),
    // "BPD" is written for borderline personality and for bipolar disorder.
    (F::Condition, "BPD", Ambiguous),
    (F::Condition, "bpd", Ambiguous),
    (F::Condition, "OCD", Syn("obsessive_compulsive")),
    (F::Condition, "schizophrenia", Syn("psychotic")),
    (F::Condition, "schizophernia", Fuzzy("psychotic")),
    (F::Condition, "alcoholism", Syn("alcohol_use")),
    (F::Condition, "alchohol use disorder", Fuzzy("alcohol_use")),
    (F::Condition, "opiod use disorder", Fuzzy("opioid_use")),
    (F::Condition, "OUD", Syn("opioid_use")),
    (F::Condition, "SUD", Syn("substance_use")),
    (F::Condition, "ADHD", Exact("adhd")),
    (F::Condition, "anorexia", Syn("eating")),
    (F::Condition, "trauma", Refused),
    (F::Condition, "stress", Refused),
    // Payers.
    (F::Payer, "masshealth", Exact("masshealth")),
    (F::Payer, "Medicaid", Syn("masshealth")),
    (F::Payer, "Masshelth", Fuzzy("masshealth")),
    (F::Payer, "Medicade", Ambiguous),
    (F::Payer, "Medicaire", Ambiguous),
    (F::Payer, "Medicare", Exact("medicare")),
    (F::Payer, "Medicare Advantage", Exact("medicare_advantage")),
    (F::Payer, "Tri-Care", Exact("tricare")),
    (F::Payer, "self-pay", Exact("self_pay")),
    (F::Payer, "private pay", Syn("self_pay")),
    (F::Payer, "sliding fee scale", Syn("sliding_scale")),
    (F::Payer, "Blue Cross Blue Shield of Massachusetts", Exact(BCBS)),
    (F::Payer, "commercial: BCBS", Syn(BCBS)),
    (F::Payer, "commercial: Acme Health", Exact("commercial: Acme Health")),
    (F::Payer, "commercial:", Refused),
    (F::Payer, "Acme Health", Refused),
    (F::Payer, "Blue", Refused),
    (F::Payer, "Harvard Pilgrm", Fuzzy("commercial: Harvard Pilgrim Health Care")),
    (F::Payer, "HPHC", Syn("commercial: Harvard Pilgrim Health Care")),
    (F::Payer, "Point 32 Health", Exact("commercial: Point32Health")),
    (F::Payer, "United Healthcare", Exact("commercial: UnitedHealthcare")),
    (F::Payer, "UHC", Syn("commercial: UnitedHealthcare")),
    (F::Payer, "AllWays Health Partners", Syn("commercial: Mass General Brigham Health Plan")),
    // Plans that sell commercial plans and run MassHealth ones: refused, both named.
    (F::Payer, "BMC HealthNet", Ambiguous),
    (F::Payer, "WellSense", Ambiguous),
    (F::Payer, "Fallon", Ambiguous),
    (F::Payer, "Health New England", Ambiguous),
    (F::Payer, "Commonwealth Care Alliance", Ambiguous),
    (F::Payer, "MassHealth WellSense", Exact("masshealth: WellSense")),
    (F::Payer, "masshealth: wellsense", Exact("masshealth: WellSense")),
    (F::Payer, "Tufts Health Together", Syn("masshealth: Tufts Health Together")),
    (F::Payer, "One Care", Syn("masshealth: Commonwealth Care Alliance One Care")),
    (F::Payer, "VA Community Care", Exact("va_community_care")),
    (F::Payer, "medicaid: NH", Exact("medicaid: NH")),
    (F::Payer, "commercial: WellSense Health Plan", Exact("commercial: WellSense Health Plan")),
    // Languages.
    (F::Language, "English", Exact("en")),
    (F::Language, "EN", Exact("en")),
    (F::Language, "eng", Syn("en")),
    (F::Language, "Spanish", Exact("es")),
    (F::Language, "Español", Syn("es")),
    (F::Language, "Spansh", Fuzzy("es")),
    (F::Language, "Portuguese", Exact("pt")),
    (F::Language, "Português", Syn("pt")),
    (F::Language, "pt", Exact("pt")),
    (F::Language, "Haitian Creole", Exact("ht")),
    (F::Language, "Hatian Creole", Fuzzy("ht")),
    (F::Language, "Kreyòl", Syn("ht")),
    (F::Language, "Creole", Refused),
    (F::Language, "Cape Verdean", Syn("kea")),
    (F::Language, "Vietnamise", Fuzzy("vi")),
    (F::Language, "Chinese", Exact("zh")),
    (F::Language, "Mandarin", Exact("cmn")),
    (F::Language, "Cantonese", Exact("yue")),
    (F::Language, "ASL", Syn("ase")),
    (F::Language, "Farsi", Syn("fa")),
    (F::Language, "Russain", Fuzzy("ru")),
    (F::Language, "de", Exact("de")),
    (F::Language, "Klingon", Refused),
    (F::Language, "Engl", Refused),
    // Clinician licenses.
    (F::License, "LICSW", Exact("licsw")),
    (F::License, "LCSW", Syn("licsw")),
    (F::License, "LISCW", Refused),
    (F::License, "licensed independent clinical social worker", Exact("licsw")),
    (F::License, "clinical social worker", Syn("licsw")),
    (F::License, "social worker", Refused),
    (F::License, "LMHC", Exact("lmhc")),
    (F::License, "LPC", Syn("lmhc")),
    (F::License, "LADC I", Exact("ladc_i")),
    (F::License, "LADC-1", Syn("ladc_i")),
    (F::License, "LADC II", Exact("ladc_ii")),
    (F::License, "LADC", Refused),
    (F::License, "LADC III", Refused),
    (F::License, "licensed alcohol and drug counselor II", Exact("ladc_ii")),
    (F::License, "licensed alcohol and drug counseloraII", Ambiguous),
    (F::License, "psychiatrst", Fuzzy("psychiatrist")),
    (F::License, "MD", Refused),
    (F::License, "APRN", Exact("pmhnp")),
    (F::License, "nurse practitioner", Exact("np")),
    (F::License, "NP", Exact("np")),
    (F::License, "psych NP", Syn("pmhnp")),
    (F::License, "PA-C", Syn("pa")),
    (F::License, "physician", Exact("physician")),
    (F::License, "primary care physician", Syn("physician")),
    (F::License, "RN", Exact("rn")),
    (F::License, "nurse", Refused),
    (F::License, "recovery coach", Syn("peer_specialist")),
    // Certifications and facility credentials.
    (F::Certification, "DBT-trained", Exact("dbt")),
    (F::Certification, "DBT certified", Syn("dbt")),
    (F::Certification, "dbt trainde", Fuzzy("dbt")),
    // Several CBT variants have their own training now: refused, naming them.
    (F::Certification, "CBT trained", Ambiguous),
    (F::Certification, "ERP-trained", Exact("erp")),
    (F::Certification, "MBT certified", Syn("mbt")),
    // Approaches added with the reviewed evidence table.
    (F::Approach, "ERP", Exact("erp")),
    (F::Approach, "exposure and response prevention", Exact("erp")),
    (F::Approach, "CBTp", Exact("cbtp")),
    (F::Approach, "CBT for psychosis", Exact("cbtp")),
    (F::Approach, "CBT-E", Exact("cbt_e")),
    (F::Approach, "Maudsley approach", Syn("fbt")),
    (F::Approach, "FBT", Exact("fbt")),
    (F::Approach, "mentalization-based treatment", Exact("mbt")),
    (F::Approach, "MBT", Exact("mbt")),
    (F::Approach, "TFP", Exact("tfp")),
    (F::Approach, "schema therapy", Exact("schema_therapy")),
    (F::Approach, "STEPPS", Exact("stepps")),
    (F::Approach, "good psychiatric management", Exact("gpm")),
    (F::Approach, "CBT-I", Exact("cbt_i")),
    (F::Approach, "written exposure therapy", Exact("wet")),
    (F::Approach, "CT-PTSD", Exact("ct_ptsd")),
    (F::Approach, "MBCT", Exact("mbct")),
    (F::Approach, "IPT-A", Exact("ipt_a")),
    (F::Approach, "coordinated specialty care", Exact("csc")),
    (F::Approach, "supported employment", Syn("ips")),
    (F::Approach, "parent management training", Syn("parent_training")),
    (F::Approach, "smoking cessation", Syn("tobacco_treatment")),
    (F::Approach, "habit reversal therapy", Syn("habit_reversal")),
    (F::Certification, "EMDRIA certified", Syn("emdr")),
    (F::FacilityCredential, "CARF", Exact("carf")),
    (F::FacilityCredential, "Joint Commission", Exact("joint_commission")),
    (F::FacilityCredential, "joint commission accredited", Syn("joint_commission")),
    (F::FacilityCredential, "Joint Comission", Fuzzy("joint_commission")),
    (F::FacilityCredential, "JCAHO", Syn("joint_commission")),
    (F::FacilityCredential, "DMH", Syn("state_mental_health")),
    (F::FacilityCredential, "BSAS licensed", Syn("state_substance_use")),
    (F::FacilityCredential, "state license", Refused),
    // Aftercare, populations, modalities, delivery, family involvement.
    (F::Aftercare, "alumni group", Exact("alumni_group")),
    (F::Aftercare, "alumni", Syn("alumni_group")),
    (F::Aftercare, "step-down", Syn("step_down_outpatient")),
    (F::Aftercare, "discharge planing", Fuzzy("discharge_planning")),
    (F::Aftercare, "housing", Refused),
    (F::Population, "Women's", Syn("women")),
    (F::Population, "female", Syn("women")),
    (F::Population, "womem", Fuzzy("women")),
    (F::Population, "vets", Syn("veterans")),
    (F::Population, "veterns", Fuzzy("veterans")),
    (F::Population, "LGBTQ+", Exact("lgbtq")),
    (F::Population, "LGBTQIA+", Syn("lgbtq")),
    (F::Population, "TAY", Syn("young_adults")),
    (F::Population, "youth", Refused),
    (F::Modality, "group therapy", Exact("group")),
    (F::Modality, "groups", Syn("group")),
    (F::Modality, "group therepy", Fuzzy("group")),
    (F::Modality, "1:1 therapy", Syn("individual")),
    (F::Modality, "psychoeducaton", Fuzzy("psychoeducation")),
    (F::Modality, "art therapy", Refused),
    (F::Delivery, "in-person", Exact("in_person")),
    (F::Delivery, "virtual", Syn("telehealth")),
    (F::Delivery, "tele-health", Exact("telehealth")),
    (F::Delivery, "hybird", Fuzzy("hybrid")),
    (F::DeliveryPreference, "no preference", Syn("either")),
    (F::DeliveryPreference, "in person", Exact("in_person")),
    (F::DeliveryPreference, "face to face", Syn("in_person")),
    (F::FamilyInvolvement, "upon request", Syn("on_request")),
    (F::FamilyInvolvement, "integrted", Fuzzy("integrated")),
    // Not terms at all.
    (F::Approach, "", Refused),
    (F::Payer, "   ", Refused),
    (F::Population, "!!!", Refused),
    (F::Language, "日本語", Refused),
];

fn got(family: F, input: &str) -> Want {
    match family.resolve(input) {
        Ok(r) if r.how == MatchKind::Exact && r.confidence == 1.0 => Exact(r.value.key.leak()),
        Ok(r) if r.how == MatchKind::Synonym && r.confidence == 1.0 => Syn(r.value.key.leak()),
        Ok(r) if r.how == MatchKind::Fuzzy && r.confidence > 0.0 && r.confidence < 1.0 => {
            Fuzzy(r.value.key.leak())
        }
        Ok(r) => panic!("{family} {input:?}: odd resolution {r:?}"),
        Err(e) if e.is_ambiguous() => Ambiguous,
        Err(_) => Refused,
    }
}

#[test]
fn the_table_resolves_as_written() {
    assert!(TABLE.len() >= 100, "{} rows", TABLE.len());
    let wrong: Vec<String> = TABLE
        .iter()
        .filter_map(|&(family, input, want)| {
            let got = got(family, input);
            (got != want).then(|| format!("{family} {input:?}: want {want:?}, got {got:?}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_table_refuses_some_and_fuzzes_some() {
    let count = |f: fn(&Want) -> bool| TABLE.iter().filter(|(_, _, w)| f(w)).count();
    assert!(count(|w| matches!(w, Refused | Ambiguous)) >= 30);
    assert!(count(|w| matches!(w, Fuzzy(_))) >= 25);
}

#[track_caller]
fn message(family: F, input: &str, expected: &str) {
    match family.resolve(input) {
        Ok(r) => panic!("{input:?} resolved to {r:?}"),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

#[test]
fn messages_name_the_family_the_input_and_the_suggestions() {
    message(
        F::Approach,
        "dialectic behaviour thrapy",
        r#"unknown therapy approach "dialectic behaviour thrapy"; did you mean "dialectical behavior therapy (DBT)"?"#,
    );
    message(
        F::Approach,
        "DBTT",
        r#"unknown therapy approach "DBTT"; did you mean "dialectical behavior therapy (DBT)"?"#,
    );
    message(
        F::LevelOfCare,
        "IOPP",
        r#"unknown level of care "IOPP"; did you mean "intensive outpatient (IOP)"?"#,
    );
    message(
        F::Payer,
        "Medicade",
        r#"ambiguous payer "Medicade"; did you mean "Medicare" or "MassHealth"?"#,
    );
    message(
        F::Payer,
        "Acme Health",
        r#"unknown payer "Acme Health" (for a plan not listed write "commercial: <plan name>")"#,
    );
    message(
        F::Language,
        "Creole",
        r#"unknown language "Creole"; did you mean "Haitian Creole (ht)" or "Cape Verdean Creole (kea)"? (an ISO 639 code such as "pt" is also accepted)"#,
    );
    message(
        F::License,
        "LADC",
        r#"unknown clinician license "LADC"; did you mean "licensed alcohol and drug counselor I (LADC I)", "licensed alcohol and drug counselor II (LADC II)" or "addiction counselor"?"#,
    );
    message(
        F::Condition,
        "trauma",
        r#"unknown condition "trauma"; did you mean "post-traumatic stress disorder" or "trauma- or stressor-related disorder"?"#,
    );
    message(F::Population, "!!!", r#"unknown population "!!!""#);
}

#[test]
fn a_resolve_error_becomes_a_parse_error() {
    let err: Error = Approach::resolve("DBTT").unwrap_err().into();
    assert_eq!(
        err.to_string(),
        r#"invalid therapy approach `DBTT`: unknown term; did you mean "dialectical behavior therapy (DBT)"?"#
    );
    assert_eq!(err.kind(), carematch::ErrorKind::Parse);
    assert_eq!(err.input(), Some("DBTT"));
}

#[test]
fn typed_resolution_agrees_with_the_family_resolution() {
    assert_eq!(
        Condition::resolve("F43.1").map(|r| r.value),
        Ok(Condition::Ptsd)
    );
    assert_eq!(
        LevelOfCare::resolve("partial hospital program").map(|r| r.value),
        Ok(LevelOfCare::PartialHospitalization)
    );
    assert_eq!(
        License::resolve("LCSW").map(|r| r.value),
        Ok(License::Licsw)
    );
    let bcbs = Payer::resolve("Blue Cross").map(|r| r.value);
    assert_eq!(
        bcbs,
        Ok(Payer::Commercial(
            "Blue Cross Blue Shield of Massachusetts".into()
        ))
    );
    let err = Payer::resolve("Acme").unwrap_err();
    assert_eq!((err.family(), err.input()), (F::Payer, "Acme"));
}

#[test]
fn the_public_types_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<carematch::vocabulary::Vocabulary<Payer>>();
    check::<carematch::vocabulary::Resolution<carematch::vocabulary::ResolvedTerm>>();
    check::<ResolveError>();
    check::<carematch::vocabulary::ResolutionNote>();
    check::<MatchKind>();
    check::<F>();
}

mod lenient {
    use carematch::{
        Aftercare, Approach, Certification, Condition, Delivery, DeliveryPreference, Error,
        FacilityCredential, FamilyInvolvement, LevelOfCare, License, Modality, Payer, Population,
        programs_from_json, sample,
        vocabulary::{MatchKind, patient_from_json_lenient, programs_from_json_lenient},
    };

    /// One program with free text in every term field.
    const FREE_TEXT: &str = r#"{"programs": [{
        "id": "p1", "name": "Evening IOP", "organization": "Example Health",
        "levels": ["Intensive Outpatient Program", "PHP"],
        "tracks": [{"name": "evening", "level": "IOP", "sessions": [
            {"day": "mon", "start": "17:30", "end": "20:30"}]}],
        "modalities": ["Group Therapy", "individual counseling", "family"],
        "approaches": ["DBT", "prolonged exposure therapy", "cognitive behavioural therapy"],
        "specialties": ["PTSD", "F33.1", "depresion"],
        "excluded_conditions": ["psychosis"],
        "staff": {"licenses": {"LCSW": 2, "Psychiatrist": 1, "LADC-1": 1},
                  "certifications": {"DBT certified": 2}},
        "facility_credentials": ["DMH", "Joint Commission"],
        "aftercare": ["alumni", "discharge planning"],
        "family_involvement": "upon request",
        "payers": ["Mass Health", "BCBS", "commercial: Tufts"],
        "ages": {"min": 18, "max": 64},
        "populations": ["vets"], "restricted_to": ["women"],
        "languages": ["English", "Portugese"],
        "delivery": ["in person", "virtual"],
        "location": {"address": "1 Main St", "city": "Worcester", "postal_code": "01608",
                     "latitude": 42.26, "longitude": -71.80},
        "accepting_new_patients": true, "last_verified": "2026-09-01"}]}"#;

    #[test]
    fn every_term_field_is_read_leniently_and_noted() -> Result<(), Error> {
        let (programs, notes) = programs_from_json_lenient(FREE_TEXT)?;
        let p = &programs[0];
        assert_eq!(
            p.levels,
            [
                LevelOfCare::IntensiveOutpatient,
                LevelOfCare::PartialHospitalization
            ]
        );
        assert_eq!(p.tracks[0].level, LevelOfCare::IntensiveOutpatient);
        assert_eq!(
            p.modalities,
            [Modality::Group, Modality::Individual, Modality::Family]
        );
        assert_eq!(p.approaches, [Approach::Dbt, Approach::Pe, Approach::Cbt]);
        assert_eq!(
            p.specialties,
            [
                Condition::Ptsd,
                Condition::Depressive,
                Condition::Depressive
            ]
        );
        assert_eq!(p.excluded_conditions, [Condition::Psychotic]);
        assert_eq!(p.staff.count(License::Licsw), 2);
        assert_eq!(p.staff.count(License::LadcI), 1);
        assert!(p.staff.has_certification(Certification::Dbt));
        assert_eq!(
            p.facility_credentials,
            [
                FacilityCredential::StateMentalHealth,
                FacilityCredential::JointCommission
            ]
        );
        assert_eq!(
            p.aftercare,
            [Aftercare::AlumniGroup, Aftercare::DischargePlanning]
        );
        assert_eq!(p.family_involvement, FamilyInvolvement::OnRequest);
        assert_eq!(
            p.payers,
            [
                Payer::MassHealth,
                Payer::Commercial("Blue Cross Blue Shield of Massachusetts".into()),
                Payer::Commercial("Tufts Health Plan".into()),
            ]
        );
        assert_eq!(p.populations, [Population::Veterans]);
        assert_eq!(p.restricted_to, [Population::Women]);
        let codes: Vec<&str> = p.languages.iter().map(|l| l.code()).collect();
        assert_eq!(codes, ["en", "pt"]);
        assert_eq!(p.delivery, [Delivery::InPerson, Delivery::Telehealth]);

        let seen: Vec<(&str, &str, &str, MatchKind)> = notes
            .iter()
            .map(|n| {
                (
                    n.path.as_str(),
                    n.written.as_str(),
                    n.became.as_str(),
                    n.how,
                )
            })
            .collect();
        use MatchKind::{Fuzzy, Synonym};
        assert_eq!(
            seen,
            [
                (
                    "programs[0].levels[0]",
                    "Intensive Outpatient Program",
                    "intensive_outpatient",
                    Synonym
                ),
                (
                    "programs[0].modalities[1]",
                    "individual counseling",
                    "individual",
                    Synonym
                ),
                (
                    "programs[0].approaches[1]",
                    "prolonged exposure therapy",
                    "pe",
                    Synonym
                ),
                ("programs[0].specialties[1]", "F33.1", "depressive", Synonym),
                (
                    "programs[0].specialties[2]",
                    "depresion",
                    "depressive",
                    Fuzzy
                ),
                (
                    "programs[0].excluded_conditions[0]",
                    "psychosis",
                    "psychotic",
                    Synonym
                ),
                (
                    "programs[0].staff.licenses.LADC-1",
                    "LADC-1",
                    "ladc_i",
                    Synonym
                ),
                ("programs[0].staff.licenses.LCSW", "LCSW", "licsw", Synonym),
                (
                    "programs[0].staff.certifications.DBT certified",
                    "DBT certified",
                    "dbt",
                    Synonym
                ),
                (
                    "programs[0].facility_credentials[0]",
                    "DMH",
                    "state_mental_health",
                    Synonym
                ),
                (
                    "programs[0].aftercare[0]",
                    "alumni",
                    "alumni_group",
                    Synonym
                ),
                (
                    "programs[0].family_involvement",
                    "upon request",
                    "on_request",
                    Synonym
                ),
                (
                    "programs[0].payers[1]",
                    "BCBS",
                    "commercial: Blue Cross Blue Shield of Massachusetts",
                    Synonym
                ),
                (
                    "programs[0].payers[2]",
                    "commercial: Tufts",
                    "commercial: Tufts Health Plan",
                    Synonym
                ),
                ("programs[0].populations[0]", "vets", "veterans", Synonym),
                ("programs[0].languages[1]", "Portugese", "pt", Fuzzy),
                ("programs[0].delivery[1]", "virtual", "telehealth", Synonym),
            ]
        );
        Ok(())
    }

    #[test]
    fn the_strict_reader_refuses_the_same_document() {
        let err = programs_from_json(FREE_TEXT).unwrap_err();
        assert!(
            err.to_string().starts_with("programs[0].levels[0]: "),
            "{err}"
        );
    }

    #[test]
    fn strict_json_reads_the_same_without_notes() -> Result<(), Error> {
        let strict = programs_from_json(sample::MASSACHUSETTS_JSON)?;
        let (lenient, notes) = programs_from_json_lenient(sample::MASSACHUSETTS_JSON)?;
        assert_eq!(lenient, strict);
        assert!(notes.is_empty(), "{notes:?}");
        Ok(())
    }

    #[test]
    fn every_unresolvable_term_is_reported_with_its_path() {
        let bad = FREE_TEXT
            .replace("\"DBT\"", "\"DBTT\"")
            .replace("\"Mass Health\"", "\"Medicade\"")
            .replace("\"vets\"", "\"youth\"");
        let err = programs_from_json_lenient(&bad).unwrap_err();
        assert_eq!(err.kind(), carematch::ErrorKind::Invalid, "{err}");
        let lines: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            lines,
            [
                r#"error: programs[0].approaches[0]: unknown therapy approach "DBTT"; did you mean "dialectical behavior therapy (DBT)"?"#,
                r#"error: programs[0].payers[0]: ambiguous payer "Medicade"; did you mean "Medicare" or "MassHealth"?"#,
                r#"error: programs[0].populations[0]: unknown population "youth"; did you mean "young adults"?"#,
            ]
        );
    }

    #[test]
    fn two_staff_keys_for_one_license_are_an_error() {
        let bad = FREE_TEXT.replace("\"Psychiatrist\": 1", "\"licsw\": 1");
        let err = programs_from_json_lenient(&bad).unwrap_err();
        assert_eq!(err.kind(), carematch::ErrorKind::Invalid, "{err}");
        let lines: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            lines,
            [
                r#"error: programs[0].staff.licenses.licsw: "licsw" is "licsw", which "LCSW" already gives"#
            ]
        );
    }

    #[test]
    fn shape_errors_still_carry_their_paths() {
        let bad = FREE_TEXT.replace("\"min\": 18", "\"min\": \"eighteen\"");
        let err = programs_from_json_lenient(&bad).unwrap_err();
        assert!(err.path() == Some("programs[0].ages.min"), "{err}");
        let truncated = "{\"programs\": [";
        let err = programs_from_json_lenient(truncated).unwrap_err();
        assert_eq!(Some(err), programs_from_json(truncated).err());
        let err =
            patient_from_json_lenient(r#"{"age": "old", "diagnoses": [], "payer": "medicare"}"#)
                .unwrap_err();
        assert!(err.to_string().starts_with("age: "), "{err}");
    }

    /// A commercial plan read under another spelling than written is a
    /// change, with its note; written exactly, it is not.
    #[test]
    fn a_respelled_commercial_plan_gets_a_note() -> Result<(), Error> {
        let json = r#"{"age": 40, "diagnoses": ["F43.10"], "payer": "commercial: Harvard Pilgrim He!alth Care"}"#;
        let (needs, notes) = patient_from_json_lenient(json)?;
        assert_eq!(
            needs.payer,
            Payer::Commercial("Harvard Pilgrim Health Care".into())
        );
        assert!(
            notes.iter().any(|n| n.path == "payer"),
            "no note for the respelled plan: {notes:?}"
        );
        let exact = r#"{"age": 40, "diagnoses": ["F43.10"], "payer": "commercial: Harvard Pilgrim Health Care"}"#;
        let (_, notes) = patient_from_json_lenient(exact)?;
        assert!(notes.iter().all(|n| n.path != "payer"), "{notes:?}");
        Ok(())
    }

    #[test]
    fn patient_terms_are_read_leniently() -> Result<(), Error> {
        let json = r#"{"age": 16, "diagnoses": ["F43.10", {"condition": "OCD"}, {"code": "F90.0", "condition": "ADHD"}],
            "level": "intensive outpatient program", "payer": "Harvard Pilgrim",
            "language": "Español", "delivery": "no preference", "populations": ["teens"]}"#;
        let (needs, notes) = patient_from_json_lenient(json)?;
        let conditions: Vec<Condition> = needs.diagnoses.iter().map(|d| d.condition).collect();
        assert_eq!(
            conditions,
            [
                Condition::Ptsd,
                Condition::ObsessiveCompulsive,
                Condition::Adhd
            ]
        );
        assert_eq!(
            needs.diagnoses[0].code.map(|c| c.to_string()).as_deref(),
            Some("F43.10")
        );
        assert_eq!(needs.level, Some(LevelOfCare::IntensiveOutpatient));
        assert_eq!(
            needs.payer,
            Payer::Commercial("Harvard Pilgrim Health Care".into())
        );
        assert_eq!(needs.language.code(), "es");
        assert_eq!(needs.delivery, DeliveryPreference::Either);
        assert_eq!(needs.populations, [Population::Adolescents]);
        let paths: Vec<&str> = notes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "diagnoses[1].condition",
                "level",
                "payer",
                "language",
                "delivery",
                "populations[0]"
            ]
        );
        Ok(())
    }

    #[test]
    fn a_condition_that_disagrees_with_its_code_is_still_refused() {
        let json = r#"{"age": 30, "diagnoses": [{"code": "F43.10", "condition": "depression"}], "payer": "medicare"}"#;
        let err = patient_from_json_lenient(json).unwrap_err();
        assert!(err.to_string().starts_with("diagnoses[0]: "), "{err}");
    }

    #[test]
    fn the_strict_patient_reader_is_unchanged() {
        let json = r#"{"age": 34, "diagnoses": [], "payer": "Mass Health"}"#;
        assert!(carematch::patient_from_json(json).is_err());
        assert!(patient_from_json_lenient(json).is_ok());
    }
}

#[test]
fn an_unlisted_language_code_is_kept_but_never_silently() {
    use carematch::{
        Language,
        vocabulary::{MatchKind, Resolvable},
    };
    let r = Language::resolve("thi").expect("a well-formed code is kept");
    assert_eq!(
        (r.value.code(), r.how, r.confidence),
        ("thi", MatchKind::AsWritten, 0.5)
    );
    let (needs, notes) = carematch::vocabulary::patient_from_json_lenient(
        r#"{"age": 30, "diagnoses": [], "payer": "medicare", "language": "Thi"}"#,
    )
    .expect("lenient reading");
    assert_eq!(needs.language.code(), "thi");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].path, "language");
    assert_eq!(notes[0].how, MatchKind::AsWritten);
}

/// One table of languages: a language the free-text vocabulary can resolve
/// to always has a name, so a resolved language never prints as a bare code.
#[test]
fn every_language_the_vocabulary_knows_has_a_name() {
    use carematch::{Language, vocabulary::Resolvable};
    let vocabulary = Language::vocabulary();
    let mut count = 0;
    for (written, language) in vocabulary.terms() {
        assert!(
            language.name().is_some(),
            "{written:?} resolves to {language}, which has no name"
        );
        count += 1;
    }
    assert!(count > 50, "{count} written forms");
    assert_eq!(
        "mam".parse::<Language>().ok().and_then(|l| l.name()),
        Some("Mam")
    );
}
