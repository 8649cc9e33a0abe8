//! No patient data out: for arbitrary bundles with identifiers, names,
//! addresses and exact birth dates anywhere in them (the usual places,
//! `reference.display`, free-text values, codes, ids, any string), none
//! reaches any output, report or error of the FHIR patient reader. And the
//! reader never panics.

use carematch::Date;
use carematch::record::{
    CodeTables, ObservationCode, Reads, RecordOptions, read_bundle, read_bundle_value,
};
use carematch::screening::Instrument;
use proptest::prelude::*;
use serde_json::{Value, json};

/// One patient's identifying values, each distinctive enough that it
/// cannot be one of carematch's own words by chance.
#[derive(Debug, Clone)]
struct Identity {
    family: String,
    given: String,
    identifier: String,
    line: String,
    city: String,
    postal: String,
    birth: String,
}

impl Identity {
    fn values(&self) -> Vec<String> {
        vec![
            self.family.clone(),
            self.given.clone(),
            self.identifier.clone(),
            self.line.clone(),
            self.city.clone(),
            self.postal.clone(),
            self.birth.clone(),
        ]
    }
}

fn arb_identity() -> impl Strategy<Value = Identity> {
    (
        "Zq[a-z]{4,8}",
        "Vx[a-z]{3,7}",
        prop_oneof!["MRN[0-9]{6,9}", "[0-9]{8,10}", "[A-Z]{2}[0-9]{5}-[0-9]{2}"],
        "[1-9][0-9]{1,3} Wk[a-z]{3,6} Street",
        "Jh[a-z]{4,8}ton",
        "0[0-9]{4}",
        (1930u16..2016, 1u8..=12, 1u8..=28),
    )
        .prop_map(
            |(family, given, identifier, line, city, postal, (y, m, d))| Identity {
                family,
                given,
                identifier,
                line,
                city,
                postal,
                birth: format!("{y:04}-{m:02}-{d:02}"),
            },
        )
}

fn coding(system: &str, code: &str) -> Value {
    json!({"coding": [{"system": system, "code": code}]})
}

/// A resource of one of the kinds the reader meets, carrying the identity
/// in the places records put it.
fn resource(kind: u8, who: &Identity, n: u16) -> Value {
    let name = format!("{} {}", who.given, who.family);
    let subject = json!({"reference": format!("Patient/{}", who.identifier), "display": name});
    match kind % 9 {
        0 => json!({"resourceType": "Condition", "subject": subject,
            "clinicalStatus": coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            "verificationStatus": coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F43.10"},
                                {"system": "http://snomed.info/sct", "code": "47505003"}],
                     "text": format!("PTSD per {name}")},
            "note": [{"text": format!("{name} at {}", who.line)}]}),
        1 => json!({"resourceType": "Observation", "status": "final", "subject": subject,
            "code": coding("http://loinc.org", "44261-6"),
            "effectiveDateTime": who.birth, "valueInteger": n % 28}),
        2 => json!({"resourceType": "Observation", "status": "final", "subject": subject,
            "code": coding("http://loinc.org", "70274-6"),
            "valueString": format!("{name}, {}, {}", who.line, who.birth)}),
        3 => json!({"resourceType": "Coverage", "status": "active", "beneficiary": subject,
            "subscriberId": who.identifier, "payor": [{"display": name}],
            "class": [{"value": who.identifier, "name": "MassHealth"}]}),
        4 => json!({"resourceType": "MedicationRequest", "status": "active", "subject": subject,
            "contained": [{"resourceType": "Medication", "id": "m",
                "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": who.identifier, "display": "buprenorphine / naloxone film"}]}}],
            "medicationReference": {"reference": "#m", "display": name},
            "requester": {"display": name}}),
        5 => {
            json!({"resourceType": "QuestionnaireResponse", "status": "completed", "subject": subject,
            "authored": who.birth,
            "item": [{"linkId": "/44261-6", "answer": [{"valueString": (n % 28).to_string()}]},
                     {"linkId": "ciwa", "answer": [{"valueInteger": n % 68}]},
                     {"linkId": who.identifier, "answer": [{"valueString": name}]},
                     {"linkId": "address", "answer": [{"valueString": who.line}]}]})
        }
        6 => json!({"resourceType": "Observation", "status": "final", "subject": subject,
            "code": coding("http://loinc.org", "82810-3"),
            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": who.postal}], "text": who.city}}),
        7 => json!({"resourceType": "Organization", "id": who.identifier, "name": name,
            "address": [{"line": [who.line], "city": who.city, "postalCode": who.postal}]}),
        _ => json!({"resourceType": "RelatedPerson", "name": [{"text": name}],
            "birthDate": who.birth, "address": [{"text": who.line}]}),
    }
}

fn patient(who: &Identity, deceased: bool) -> Value {
    let mut p = json!({"resourceType": "Patient", "id": who.identifier,
        "identifier": [{"system": "urn:example:mrn", "value": who.identifier}],
        "name": [{"family": who.family, "given": [who.given], "text": format!("{} {}", who.given, who.family)}],
        "address": [{"line": [who.line], "city": who.city, "postalCode": who.postal, "text": format!("{}, {} {}", who.line, who.city, who.postal)}],
        "gender": "female", "birthDate": who.birth});
    if deceased {
        p["deceasedDateTime"] = json!(who.birth);
    }
    p
}

/// How many string leaves `v` has.
fn count_strings(v: &Value) -> usize {
    match v {
        Value::String(_) => 1,
        Value::Array(a) => a.iter().map(count_strings).sum(),
        Value::Object(o) => o.values().map(count_strings).sum(),
        _ => 0,
    }
}

/// Replaces the `k`-th string leaf of `v` (depth first) with `new`;
/// returns how many leaves it passed.
fn replace_string(v: &mut Value, k: usize, new: &str) -> usize {
    match v {
        Value::String(s) => {
            if k == 0 {
                *s = new.to_owned();
            }
            1
        }
        Value::Array(a) => {
            let mut seen = 0;
            for x in a {
                seen += replace_string(x, k.wrapping_sub(seen), new);
            }
            seen
        }
        Value::Object(o) => {
            let mut seen = 0;
            for x in o.values_mut() {
                seen += replace_string(x, k.wrapping_sub(seen), new);
            }
            seen
        }
        _ => 0,
    }
}

/// Replaces the string leaves at `picks` (positions modulo the count) with
/// identity values, whole or inside other text.
fn scatter(doc: &mut Value, who: &Identity, picks: &[(usize, usize, bool)]) {
    let values = who.values();
    for &(slot, which, embed) in picks {
        let n = count_strings(doc);
        if n == 0 {
            return;
        }
        let value = &values[which % values.len()];
        let new = if embed {
            format!("see {value} here")
        } else {
            value.clone()
        };
        replace_string(doc, slot % n, &new);
    }
}

fn options() -> RecordOptions {
    let mut tables = CodeTables::default();
    tables.observations.push(ObservationCode {
        system: "urn:example:site".into(),
        code: "ciwa".into(),
        reads: Reads::Total(Instrument::CiwaAr),
    });
    RecordOptions::new(Date::new(2026, 6, 1).expect("valid")).with_tables(tables)
}

fn output_of(doc: &Value) -> String {
    let text = serde_json::to_string(doc).expect("serializes");
    let mut out = String::new();
    for result in [
        read_bundle(&text, &options()),
        read_bundle_value(doc, &options()),
    ] {
        match result {
            Ok(r) => {
                out.push_str(&serde_json::to_string(&r).expect("serializes"));
                out.push_str(&format!("{}\n{}\n{:?}\n", r.report, r.record, r));
                for payer in [None, Some(carematch::Payer::SelfPay)] {
                    match r.needs(payer) {
                        Ok(n) => out.push_str(&format!(
                            "{n}\n{}\n",
                            serde_json::to_string(&n).expect("serializes")
                        )),
                        Err(e) => out.push_str(&format!("{e}\n{e:?}\n")),
                    }
                }
                for s in &r.screening {
                    out.push_str(&format!("{s}\n"));
                }
            }
            Err(e) => out.push_str(&format!("{e}\n{e:?}\n")),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_patient_data_out(
        who in arb_identity(),
        kinds in prop::collection::vec((any::<u8>(), any::<u16>()), 0..8),
        picks in prop::collection::vec((any::<usize>(), any::<usize>(), any::<bool>()), 0..12),
        deceased in prop::bool::weighted(0.1),
        as_list in any::<bool>(),
    ) {
        let mut resources = vec![patient(&who, deceased)];
        resources.extend(kinds.iter().map(|&(k, n)| resource(k, &who, n)));
        let mut doc = if as_list {
            Value::Array(resources)
        } else {
            json!({"resourceType": "Bundle", "type": "collection",
                "entry": resources.into_iter().map(|r| json!({"fullUrl": format!("urn:uuid:{}", who.identifier), "resource": r})).collect::<Vec<_>>()})
        };
        scatter(&mut doc, &who, &picks);
        let out = output_of(&doc);
        for value in who.values() {
            prop_assert!(!out.contains(&value), "{value:?} reached the output:\n{out}");
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = read_bundle(&text, &options());
    }
}

/// The property can fail: a reader that echoed a value would be caught.
#[test]
fn the_check_sees_an_echo() {
    let who = Identity {
        family: "Zqabcde".into(),
        given: "Vxabc".into(),
        identifier: "MRN123456".into(),
        line: "12 Wkabc Street".into(),
        city: "Jhabcdton".into(),
        postal: "01234".into(),
        birth: "1980-01-02".into(),
    };
    let doc = json!([patient(&who, false)]);
    let out = output_of(&doc);
    assert!(who.values().iter().all(|v| !out.contains(v)));
    let echoed = format!("{out}{}", who.family);
    assert!(who.values().iter().any(|v| echoed.contains(v)));
}
