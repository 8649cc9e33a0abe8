//! The default code tables of the FHIR patient reader: SNOMED CT
//! behavioral-health concepts, payers, MOUD medications and observation
//! codes. Each row is data; a site adds its own through [`CodeTables`].
//!
//! How the codes were checked (2026-12-07), against public material that
//! uses them with the same meaning, not against a licensed terminology
//! server: the LOINC codes 44261-6 (PHQ-9 total), 44260-8 (PHQ-9 item 9),
//! 70274-6 (GAD-7 total), 75626-2 (AUDIT-C total) and 82810-3 (pregnancy
//! status) in published FHIR Questionnaires and implementation-guide
//! examples; the SNOMED CT concepts 20010003 (borderline personality
//! disorder), 191736004 (obsessive-compulsive disorder) and 406506008
//! (ADHD) in independent public code tables, the others as synthetic
//! patient generators write them; the RxNorm ingredients 1819
//! (buprenorphine) and 6813 (methadone) in a public RxNorm ingredient
//! table. 7243 (naltrexone) and the payer-type codes were not found in a
//! second source: a site should confirm them with its terminology service.

use crate::diagnosis::{Condition, Pregnancy};
use crate::program::{MassHealthPlan, Payer};
use crate::record::{CodeTables, ObservationCode, PayerName, Reads, SnomedConcept};
use crate::screening::{Instrument, Sex};
use crate::therapy::MoudMedication;

/// LOINC's code system.
pub(crate) const LOINC: &str = "http://loinc.org";
/// SNOMED CT's code system.
pub(crate) const SNOMED: &str = "http://snomed.info/sct";
/// ICD-10-CM's code system, as FHIR names it.
pub(crate) const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// RxNorm's code system.
pub(crate) const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
/// The Source of Payment Typology (PHDSC), as US Core's Coverage names it.
pub(crate) const PAYER_TYPOLOGY: &str = "https://nahdo.org/sopt";
/// The Source of Payment Typology by its OID, as some records write it.
pub(crate) const PAYER_TYPOLOGY_OID: &str = "urn:oid:2.16.840.1.113883.3.221.5";

fn snomed(code: &str, condition: Condition, concept: &str) -> SnomedConcept {
    SnomedConcept {
        code: code.to_owned(),
        condition,
        concept: concept.to_owned(),
    }
}

fn loinc(code: &str, reads: Reads) -> ObservationCode {
    ObservationCode {
        system: LOINC.to_owned(),
        code: code.to_owned(),
        reads,
    }
}

fn payer(name: &str, payer: Payer) -> PayerName {
    PayerName {
        name: name.to_owned(),
        payer,
    }
}

fn commercial(name: &str) -> PayerName {
    payer(name, Payer::Commercial(name.to_owned()))
}

pub(crate) fn default_tables() -> CodeTables {
    use Condition::*;
    CodeTables {
        // SNOMED CT concepts (the International Edition's disorder
        // concepts, as the SNOMED CT browser lists them) that carematch's
        // condition families cover; ICD-10-CM wins when a Condition carries both.
        snomed: vec![
            snomed("35489007", Depressive, "depressive disorder"),
            snomed("370143000", Depressive, "major depressive disorder"),
            snomed("36923009", Depressive, "major depression, single episode"),
            snomed("66344007", Depressive, "recurrent major depression"),
            snomed("197480006", Anxiety, "anxiety disorder"),
            snomed("21897009", Anxiety, "generalized anxiety disorder"),
            snomed("47505003", Ptsd, "posttraumatic stress disorder"),
            snomed("13746004", Bipolar, "bipolar disorder"),
            snomed("58214004", Psychotic, "schizophrenia"),
            snomed("69322001", Psychotic, "psychotic disorder"),
            snomed(
                "191736004",
                ObsessiveCompulsive,
                "obsessive-compulsive disorder",
            ),
            snomed(
                "20010003",
                BorderlinePersonality,
                "borderline personality disorder",
            ),
            snomed("56882008", Eating, "anorexia nervosa"),
            snomed("78004001", Eating, "bulimia nervosa"),
            snomed(
                "406506008",
                Adhd,
                "attention deficit hyperactivity disorder",
            ),
            snomed("7200002", AlcoholUse, "alcoholism"),
            snomed("15167005", AlcoholUse, "alcohol abuse"),
            snomed("66590003", AlcoholUse, "alcohol dependence"),
            snomed("5602001", OpioidUse, "opioid abuse"),
            snomed("75544000", OpioidUse, "opioid dependence"),
            snomed("6525002", SubstanceUse, "dependent drug abuse"),
        ],
        // LOINC codes of the instruments' totals and of pregnancy status.
        // CIWA-Ar and COWS have no LOINC code in common use, and the
        // PCL-5's and the C-SSRS screener's are left to the site: add their
        // rows to read them.
        observations: vec![
            loinc("44261-6", Reads::Total(Instrument::Phq9)),
            loinc("44260-8", Reads::Phq9Item9),
            loinc("70274-6", Reads::Total(Instrument::Gad7)),
            loinc("75626-2", Reads::Total(Instrument::AuditC)),
            loinc("82810-3", Reads::Pregnancy),
        ],
        // Payer names (Coverage.payor's display, the payor Organization's
        // name, or a plan's name in Coverage.class), compared without
        // regard to case or repeated spaces. Massachusetts plans as the
        // clinical reference lists them (section 9.5).
        payers: vec![
            payer("MassHealth", Payer::MassHealth),
            payer("Medicare", Payer::Medicare),
            payer("Medicare Advantage", Payer::MedicareAdvantage(None)),
            payer("TRICARE", Payer::Tricare),
            payer("VA Community Care", Payer::VaCommunityCare),
            payer(
                "WellSense",
                Payer::MassHealthPlan(MassHealthPlan::WellSense),
            ),
            payer(
                "WellSense Health Plan",
                Payer::MassHealthPlan(MassHealthPlan::WellSense),
            ),
            payer(
                "Fallon Health",
                Payer::MassHealthPlan(MassHealthPlan::Fallon),
            ),
            payer(
                "Health New England",
                Payer::MassHealthPlan(MassHealthPlan::HealthNewEngland),
            ),
            payer(
                "Mass General Brigham Health Plan",
                Payer::MassHealthPlan(MassHealthPlan::MassGeneralBrigham),
            ),
            payer(
                "Tufts Health Together",
                Payer::MassHealthPlan(MassHealthPlan::TuftsHealthTogether),
            ),
            payer(
                "Commonwealth Care Alliance One Care",
                Payer::MassHealthPlan(MassHealthPlan::CcaOneCare),
            ),
            payer(
                "Commonwealth Care Alliance Senior Care Options",
                Payer::MassHealthPlan(MassHealthPlan::CcaSeniorCareOptions),
            ),
            commercial("Blue Cross Blue Shield of Massachusetts"),
            commercial("Harvard Pilgrim Health Care"),
            commercial("Tufts Health Plan"),
            commercial("Point32Health"),
            commercial("Aetna"),
            commercial("Cigna"),
            commercial("UnitedHealthcare"),
        ],
        // RxNorm ingredient codes (RxNorm's IN concepts). Product codes
        // (a clinical or branded drug, such as a buprenorphine/naloxone
        // sublingual film) are read by their ingredient's name in the
        // coding's display or the concept's text; see `moud_from_words`.
        moud: vec![
            ("1819".to_owned(), MoudMedication::Buprenorphine),
            ("6813".to_owned(), MoudMedication::Methadone),
            ("7243".to_owned(), MoudMedication::Naltrexone),
        ],
        medicaid_state: None,
    }
}

/// The payer a Source of Payment Typology code names, if one maps: 1
/// Medicare, 11 Medicare managed care (Medicare Advantage), 311 TRICARE, 32
/// Department of Veterans Affairs (VA Community Care), 81 self-pay. Medicaid
/// (2) needs the state ([`CodeTables::medicaid_state`]); private insurance
/// (5, 6) needs the plan's name.
pub(crate) fn payer_typology(code: &str, medicaid_state: Option<&str>) -> Option<Payer> {
    match code {
        "1" => Some(Payer::Medicare),
        "11" | "111" | "112" | "113" | "119" => Some(Payer::MedicareAdvantage(None)),
        "311" => Some(Payer::Tricare),
        "32" => Some(Payer::VaCommunityCare),
        "81" => Some(Payer::SelfPay),
        "2" | "21" => match medicaid_state {
            Some("MA") => Some(Payer::MassHealth),
            Some(s) => Payer::medicaid(s).ok(),
            None => None,
        },
        _ => None,
    }
}

/// Pregnancy status from an Observation's coded value (SNOMED CT 77386006
/// pregnant, 60001007 not pregnant, 86569001 postpartum state): `Some(None)`
/// for not pregnant.
pub(crate) fn pregnancy_value(system: &str, code: &str) -> Option<Option<Pregnancy>> {
    match (system, code) {
        (SNOMED, "77386006") => Some(Some(Pregnancy::Pregnant)),
        (SNOMED, "86569001") => Some(Some(Pregnancy::Postpartum)),
        (SNOMED, "60001007") => Some(None),
        _ => None,
    }
}

/// Administrative gender to the sex AUDIT-C's cut-offs are published for.
pub(crate) fn sex_of(gender: &str) -> Option<Sex> {
    match gender {
        "female" => Some(Sex::Female),
        "male" => Some(Sex::Male),
        _ => None,
    }
}

/// What a product's words say: the MOUD ingredient named, unless the
/// product is a form used for something else (buprenorphine patches and
/// buccal films for pain; oral naltrexone, which is not the extended-release
/// injection carematch means). `Err` with the reason for those.
pub(crate) fn moud_from_words(text: &str) -> Option<Result<MoudMedication, &'static str>> {
    let t = text.to_ascii_lowercase();
    if t.contains("buprenorphine") {
        if t.contains("transdermal") || t.contains("patch") || t.contains("buccal") {
            return Some(Err(
                "a buprenorphine patch or buccal film, a pain formulation: not read as MOUD",
            ));
        }
        return Some(Ok(MoudMedication::Buprenorphine));
    }
    if t.contains("methadone") {
        return Some(Ok(MoudMedication::Methadone));
    }
    if t.contains("naltrexone") {
        if t.contains("oral") || t.contains("tablet") {
            return Some(Err(
                "oral naltrexone: not the extended-release injection carematch reads as MOUD",
            ));
        }
        return Some(Ok(MoudMedication::Naltrexone));
    }
    None
}
