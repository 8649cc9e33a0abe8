//! HL7 FHIR R4 `HealthcareService` with the Da Vinci PDex Plan-Net 1.1.0
//! profiles: a Bundle, a single resource, or a list of resources (or of
//! Bundles). Each `HealthcareService` at each of its `Location`s becomes a
//! program; its `Organization` (`providedBy`) names the organization.
//!
//! | source field | becomes in `Program` |
//! | --- | --- |
//! | `id` + the `Location`'s id | `id` (`fhir-<service>-<location>`); refused without an `id` |
//! | `active: false` | refused |
//! | `location[]` (references in the document) | one program each; with none (a virtual-only service), one program with its location not listed: kept when it offers telehealth (telehealth only), refused otherwise |
//! | `Location.position` | `location`'s coordinates; without it, the address's `postalCode` centre from the embedded Census table, marked approximate (`precision: zip_centre`); without either, the location is not listed (as above) |
//! | `coverageArea` (Locations in the document), else the `providedBy` Organization's address | for a service with no location: `licensed_states` (the states of their addresses) |
//! | `Location.address` (`line`, `city`, `state`, `postalCode`) | `location`'s address |
//! | `name` | `name` (else the `Location`'s name, else the id); words in it give `levels` |
//! | `providedBy` (else `Location.managingOrganization`) | `organization` (else the name) |
//! | `type`, `specialty`, `program`, `characteristic` | `levels` (from NUCC behavioral-health taxonomy codes); `levels`, `approaches`, `modalities`, `populations` (display text through the vocabularies); refused when no level is found anywhere |
//! | `communication[].coding` | `languages` (BCP 47 code, else display); English assumed, noted, when none |
//! | extension `delivery-method` | `delivery` (physical: in person, virtual: telehealth; in person, noted, when absent) |
//! | extension `newpatients` (service or location) | `accepting_new_patients` (then listed) |
//! | extension `accessibility` | ignored: no carematch field |
//! | `availableTime[]` | `tracks` "available times" at each ambulatory level (then listed) |
//! | payers | not listed: Plan-Net puts them on networks, not services |
//! | `category` | `outpat` (clinic or outpatient facility): `levels` outpatient when nothing else names a level; `behav`: the treatment gate |
//! | `telecom`, `coverageArea`, `eligibility`, other resources ... | ignored, each with its reason |
//!
//! Plan-Net has no code for intensive outpatient or partial hospitalization:
//! levels come from `type`, `specialty`, `program`, `characteristic` (their
//! codes and display text through carematch's vocabularies), NUCC
//! behavioral-health taxonomy codes (outpatient, residential or inpatient
//! care), or words in the name.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::import::map::{Found, concept, coordinates, language, levels_in_name, read_time, site};
use crate::import::words::{Gate, Text, gate, outpatient_by_nature};
use crate::import::{
    Format, Import, ImportOptions, Method, Recorder, add_session, array, blank, finish,
    join_address, listed, program_id, push, schedule_tracks, shape, text, unique_ids,
};
use crate::program::{Delivery, Language, Location, LocationPrecision, NotListed, Program};
use crate::{
    error::Error,
    level::LevelOfCare,
    schedule::{Session, TimeOfDay, Weekday},
};

/// Every resource of the document with its path.
fn resources(doc: &Value) -> Result<Vec<(String, &Value)>, Error> {
    fn walk<'a>(
        v: &'a Value,
        path: String,
        out: &mut Vec<(String, &'a Value)>,
    ) -> Result<(), Error> {
        match v.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {
                match v.get("entry") {
                    None | Some(Value::Null) => {}
                    Some(Value::Array(entries)) => {
                        for (i, e) in entries.iter().enumerate() {
                            let p = format!("{path}entry[{i}].resource");
                            match e.get("resource") {
                                Some(r) => walk(r, p, out)?,
                                None => {
                                    return Err(shape(
                                        &format!("{path}entry[{i}]"),
                                        "a Bundle entry without a `resource`",
                                    ));
                                }
                            }
                        }
                    }
                    Some(_) => {
                        return Err(shape(
                            &format!("{path}entry"),
                            "expected an array of entries",
                        ));
                    }
                }
                Ok(())
            }
            Some(_) => {
                out.push((
                    if path.is_empty() {
                        "(resource)".to_owned()
                    } else {
                        path.trim_end_matches('.').to_owned()
                    },
                    v,
                ));
                Ok(())
            }
            None => Err(shape(
                if path.is_empty() {
                    "resourceType"
                } else {
                    path.trim_end_matches('.')
                },
                "expected a FHIR resource (with `resourceType`), a Bundle, or a list of them",
            )),
        }
    }
    let mut out = Vec::new();
    match doc {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("[{i}]."), &mut out)?;
            }
        }
        Value::Object(_) => walk(doc, String::new(), &mut out)?,
        _ => {
            return Err(shape(
                "",
                "expected a FHIR Bundle, a resource, or a list of resources",
            ));
        }
    }
    Ok(out)
}

/// The last segment of a FHIR url (`.../StructureDefinition/newpatients` -> `newpatients`).
fn tail(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

/// Levels by NUCC provider-taxonomy code prefix (behavioral-health codes only).
fn nucc_level(code: &str) -> Option<LevelOfCare> {
    const OUTPATIENT: [&str; 8] = [
        "101Y", "103T", "1041C", "106H", "2084P", "363LP", "364SP", "261QM",
    ];
    if OUTPATIENT.iter().any(|p| code.starts_with(p)) {
        Some(LevelOfCare::Outpatient)
    } else if code.starts_with("283Q") {
        Some(LevelOfCare::Inpatient)
    } else if code.starts_with("323P") || code.starts_with("3245") {
        Some(LevelOfCare::Residential)
    } else {
        None
    }
}

/// Concepts (levels, approaches, modalities, populations) from a
/// CodeableConcept (or a list of them) of `field`: NUCC behavioral-health
/// taxonomy codes give levels; other codings' display text (or code) and the
/// concept's text go through the vocabularies.
fn concepts(rec: &mut Recorder, field: &str, path: &str, v: &Value, p: &mut Program) {
    let list: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for (i, cc) in list.iter().enumerate() {
        let cpath = format!("{path}[{i}]");
        let mut any = false;
        for (j, coding) in array(cc, "coding").iter().enumerate() {
            let at = || format!("{cpath}.coding[{j}]");
            any |= coding_concept(rec, field, coding, at, p);
        }
        if let Some(t) = text(cc, "text") {
            let at = || format!("{cpath}.text");
            let tfield = format!("{field}.text");
            match concept(rec, &tfield, t, t, at, p) {
                Ok(()) => {}
                Err(_) if any => rec.ignored(&tfield, Some(t), at, "its codings were read"),
                Err(s) => rec.unknown(&tfield, t, at, s),
            }
        }
    }
}

/// One coding of a concept into `p`, with its line; whether it gave anything.
fn coding_concept(
    rec: &mut Recorder,
    field: &str,
    coding: &Value,
    at: impl Fn() -> String,
    p: &mut Program,
) -> bool {
    let code = text(coding, "code").unwrap_or("");
    let system = text(coding, "system").unwrap_or("");
    let value = format!("{}#{code}", tail(system));
    if system.contains("nucc.org/provider-taxonomy") {
        let Some(l) = nucc_level(code) else {
            let why = "not a behavioral-health taxonomy code";
            rec.ignored(field, Some(&value), at, why);
            return false;
        };
        rec.code(field, Some(&value), at, Found::Level(l).describe());
        push(&mut p.levels, l);
        return true;
    }
    // Other code systems: the display text (or the code) through the vocabularies.
    let words = text(coding, "display").unwrap_or(code);
    match concept(rec, field, &value, words, &at, p) {
        Ok(()) => true,
        Err(s) => {
            rec.unknown(field, &value, at, s);
            false
        }
    }
}

/// The texts that say what a service is (name, and the display text and
/// `text` of `type`, `specialty`, `category`, `program`, `characteristic`),
/// and whether a code already says behavioral health (a NUCC
/// behavioral-health taxonomy code, or the Plan-Net category `behav`).
fn fhir_gate(s: &Value) -> Gate {
    let mut texts: Vec<&str> = text(s, "name").into_iter().collect();
    let mut coded = false;
    for k in ["type", "specialty", "category", "program", "characteristic"] {
        let list: Vec<&Value> = match s.get(k) {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v) => vec![v],
            None => continue,
        };
        for cc in list {
            texts.extend(text(cc, "text"));
            for c in array(cc, "coding") {
                let code = text(c, "code").unwrap_or("");
                let system = text(c, "system").unwrap_or("");
                if system.contains("nucc.org/provider-taxonomy") {
                    coded |= nucc_level(code).is_some();
                    // A NUCC display names the provider, not the service kind.
                    continue;
                }
                coded |= k == "category" && code == "behav";
                texts.extend(text(c, "display"));
            }
        }
    }
    gate(&texts, text(s, "comment"), coded)
}

/// The name of the Organization a reference (or its `display`) names.
fn org_name<'a>(o: &'a Value, by_ref: &BTreeMap<String, &'a Value>) -> Option<&'a str> {
    text(o, "reference")
        .and_then(|r| by_ref.get(r))
        .and_then(|org| text(org, "name"))
        .or_else(|| text(o, "display"))
}

/// The code of the first coding of `v`'s `valueCodeableConcept`, or "".
fn value_code(v: &Value) -> &str {
    v.get("valueCodeableConcept")
        .map(|cc| array(cc, "coding"))
        .and_then(|c| c.first())
        .and_then(|c| text(c, "code"))
        .unwrap_or("")
}

/// Imports a FHIR document.
pub(crate) fn import(doc: &Value, options: &ImportOptions) -> Result<Import, Error> {
    let all = resources(doc)?;
    let mut rec = Recorder::default();
    let mut by_ref: BTreeMap<String, &Value> = BTreeMap::new();
    for (_, r) in &all {
        if let (Some(t), Some(id)) = (text(r, "resourceType"), text(r, "id")) {
            by_ref.insert(format!("{t}/{id}"), r);
        }
    }
    let mut programs = Vec::new();
    let mut records = 0;
    for (path, r) in &all {
        let kind = text(r, "resourceType").unwrap_or("");
        match kind {
            "HealthcareService" => {
                records += 1;
                service(&mut rec, path, r, &by_ref, options, &mut programs);
            }
            "Location" | "Organization" => rec.mapped(
                &format!("(resource) {kind}"),
                None,
                || path.clone(),
                vec!["read where a HealthcareService refers to it".to_owned()],
                Method::Read,
                1.0,
            ),
            other => rec.ignored(
                &format!("(resource) {other}"),
                None,
                || path.clone(),
                "not a HealthcareService: clinicians, networks and plans are not read (staff and payers stay not listed)",
            ),
        }
    }
    unique_ids(&mut rec, &mut programs);
    let n = programs.len();
    Ok(Import {
        programs,
        report: rec.finish(Format::Fhir, records, n),
    })
}

const SERVICE_IGNORED: &[(&str, &str)] = &[
    ("meta", "resource metadata"),
    ("text", "the narrative: structured fields are read instead"),
    (
        "language",
        "the language the resource is written in, not the service's",
    ),
    ("identifier", "source identifiers: the id is `id`"),
    (
        "telecom",
        "contact details: carematch keeps no contact fields",
    ),
    ("photo", "not matched on"),
    ("endpoint", "technical endpoints"),
    (
        "coverageArea",
        "coverage areas: read only for a service with no location (its licensed states)",
    ),
    (
        "serviceProvisionCode",
        "cost and provision codes: payers are not on the service in Plan-Net",
    ),
    ("referralMethod", "not matched on"),
    ("appointmentRequired", "not matched on"),
    ("comment", "free text: read at the source"),
    ("extraDetails", "free text: read at the source"),
    (
        "availabilityExceptions",
        "free text about exceptions: confirm the schedule",
    ),
    (
        "notAvailable",
        "periods closed: not matched on; confirm the schedule",
    ),
    (
        "eligibility",
        "eligibility text and codes: confirm at the source (ages are not read from it)",
    ),
    ("contained", "contained resources are not read"),
    ("implicitRules", "not matched on"),
    ("modifierExtension", "modifier extensions are not read"),
];

/// The service fields read (each gets its line where it is read).
const SERVICE_READ: &[&str] = &[
    "resourceType",
    "id",
    "active",
    "location",
    "extension",
    "type",
    "specialty",
    "program",
    "characteristic",
    "communication",
    "availableTime",
    "name",
    "providedBy",
    "category",
];

/// A `HealthcareService` and what every program made from it shares.
struct Service<'a> {
    s: &'a Value,
    path: &'a str,
    id: &'a str,
    name: Option<&'a str>,
    org: Option<&'a str>,
    by_ref: &'a BTreeMap<String, &'a Value>,
}

/// `HealthcareService.<k>`, the field name of a service's key in the report.
fn field(k: &str) -> String {
    format!("HealthcareService.{k}")
}

/// A service to a program at each of its locations, or refusals.
fn service<'a>(
    rec: &mut Recorder,
    path: &'a str,
    s: &'a Value,
    by_ref: &'a BTreeMap<String, &'a Value>,
    options: &ImportOptions,
    programs: &mut Vec<Program>,
) {
    let Some(id) = text(s, "id") else {
        rec.refuse(path.to_owned(), "a HealthcareService without an `id`");
        return;
    };
    if s.get("active").and_then(Value::as_bool) == Some(false) {
        rec.refuse(path.to_owned(), "inactive (`active` is false)");
        return;
    }
    let places = places(rec, path, s, by_ref);
    let org = s.get("providedBy").and_then(|o| org_name(o, by_ref));
    for (k, _) in s.as_object().into_iter().flatten() {
        let at = || format!("{path}.{k}");
        if let Some((_, why)) = SERVICE_IGNORED.iter().find(|(x, _)| x == k) {
            rec.ignored(&field(k), None, at, why);
        } else if !SERVICE_READ.contains(&k.as_str()) {
            rec.ignored(&field(k), None, at, "not a field carematch reads");
        }
    }
    // Every field has its line before a refusal.
    if let Gate::NotTreatment(why) = fhir_gate(s) {
        rec.ignored(
            "(treatment gate)",
            Some(&why),
            || path.to_owned(),
            "not a treatment service",
        );
        rec.refuse(path.to_owned(), format!("not a treatment service: {why}"));
        return;
    }
    if org.is_some() {
        let at = || format!("{path}.providedBy");
        rec.read(&field("providedBy"), None, at, "organization");
    }
    let name = text(s, "name");
    let svc = Service {
        s,
        path,
        id,
        name,
        org,
        by_ref,
    };
    if places.is_empty() {
        // No Location (a virtual-only service has none by nature): one
        // program with its location not listed, kept when it offers
        // telehealth ([`crate::import::finish`]).
        rec.ignored(
            "(location)",
            Some("no Location"),
            || path.to_owned(),
            "location not listed: the service names no `location` in the document",
        );
        if let Some(p) = program_at(rec, &svc, None, &Value::Null, options) {
            programs.push(p);
        }
    }
    for (lid, loc) in places {
        if let Some(p) = program_at(rec, &svc, Some(&lid), loc, options) {
            programs.push(p);
        }
    }
}

/// The service's locations found in the document, by id (a reference to
/// one not in the document is noted).
fn places<'a>(
    rec: &mut Recorder,
    path: &str,
    s: &Value,
    by_ref: &BTreeMap<String, &'a Value>,
) -> Vec<(String, &'a Value)> {
    let mut places = Vec::new();
    for (i, l) in array(s, "location").iter().enumerate() {
        let at = format!("{path}.location[{i}]");
        match text(l, "reference").and_then(|r| by_ref.get(r).map(|v| (r, *v))) {
            Some((r, v)) => {
                rec.read(&field("location"), None, || at.clone(), "location");
                places.push((r.rsplit('/').next().unwrap_or(r).to_owned(), v));
            }
            None => rec.note(
                at,
                format!(
                    "refers to {} which is not in the document: not read",
                    text(l, "reference").unwrap_or("nothing")
                ),
            ),
        }
    }
    places
}

/// The program of a service at one location (`lid`; `None` and a null
/// `loc` for a service with no location), or a refusal: each field group in turn.
fn program_at(
    rec: &mut Recorder,
    svc: &Service<'_>,
    lid: Option<&str>,
    loc: &Value,
    options: &ImportOptions,
) -> Option<Program> {
    let (lpath, id) = match lid {
        Some(lid) => (
            format!("{} at Location/{lid}", svc.path),
            program_id("fhir", &format!("{}-{lid}", svc.id)),
        ),
        None => (svc.path.to_owned(), program_id("fhir", svc.id)),
    };
    let Some(id) = id else {
        rec.refuse(lpath, "its id cannot be a program id");
        return None;
    };
    let placed = match lid {
        Some(_) => location(rec, &lpath, loc),
        None => None,
    };
    let location = placed.clone().unwrap_or_else(|| Location::not_listed(""));
    let org = svc
        .org
        .or_else(|| {
            loc.get("managingOrganization")
                .and_then(|o| org_name(o, svc.by_ref))
        })
        .or(svc.name)
        .unwrap_or(svc.id);
    let name = svc.name.or_else(|| text(loc, "name")).unwrap_or(svc.id);
    let mut p = blank(
        id,
        name.to_owned(),
        org.to_owned(),
        location,
        options.undated(),
    );
    if placed.is_none() {
        p.not_listed.push(NotListed::Location);
        coverage_states(rec, svc, &lpath, &mut p);
    }
    service_concepts(rec, svc, &mut p);
    languages(rec, svc, &lpath, &mut p);
    extensions(rec, svc, loc, &lpath, &mut p);
    // Payers live on networks in Plan-Net.
    rec.ignored(
        "(payers)",
        None,
        || lpath.clone(),
        "Plan-Net names payers on networks, not services: payers not listed",
    );
    if p.levels.is_empty() {
        rec.refuse(lpath, "no level of care carematch ranks in its type, specialty, program, characteristic or name");
        return None;
    }
    p.levels.sort();
    let mut sessions: Vec<Session> = Vec::new();
    for (i, t) in array(svc.s, "availableTime").iter().enumerate() {
        let at = format!("{}.availableTime[{i}]", svc.path);
        available_time(rec, &at, t, &mut sessions);
    }
    schedule_tracks(rec, &lpath, &mut p, "available times", sessions);
    finish(rec, &lpath, p, options)
}

/// Location: the `position` and the address; without a position, the
/// address's ZIP code's centre (approximate); `None` without either.
fn location(rec: &mut Recorder, lpath: &str, loc: &Value) -> Option<Location> {
    let addr = loc.get("address").unwrap_or(&Value::Null);
    let given = Location {
        address: join_address(array(addr, "line").iter().map(Value::as_str)),
        city: text(addr, "city").unwrap_or("").to_owned(),
        state: text(addr, "state").unwrap_or("").to_owned(),
        postal_code: text(addr, "postalCode").unwrap_or("").to_owned(),
        latitude: 0.0,
        longitude: 0.0,
        precision: LocationPrecision::AsListed,
    };
    site(
        rec,
        || lpath.to_owned(),
        loc.get("position").and_then(coordinates),
        given,
    )
}

/// The states a service with no location may treat in by telehealth: the
/// states of its `coverageArea` Locations' addresses, else of its
/// organization's (`providedBy`) address.
fn coverage_states(rec: &mut Recorder, svc: &Service<'_>, lpath: &str, p: &mut Program) {
    let state_of = |v: &Value| -> Vec<String> {
        let mut out = Vec::new();
        let addresses = match v.get("address") {
            Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
            Some(a) => vec![a],
            None => Vec::new(),
        };
        for a in addresses {
            if let Some(st) = text(a, "state").map(str::to_ascii_uppercase)
                && crate::region::state_bit(&st).is_some()
            {
                push(&mut out, st);
            }
        }
        out
    };
    let resolve = |r: &Value| text(r, "reference").and_then(|r| svc.by_ref.get(r).copied());
    let mut states: Vec<String> = Vec::new();
    let mut from = "coverageArea";
    for area in array(svc.s, "coverageArea").iter().filter_map(resolve) {
        for st in state_of(area) {
            push(&mut states, st);
        }
    }
    if states.is_empty() {
        from = "providedBy";
        if let Some(org) = svc.s.get("providedBy").and_then(resolve) {
            states = state_of(org);
        }
    }
    if states.is_empty() {
        rec.ignored(
            "(licensed_states)",
            Some("no location, no state"),
            || lpath.to_owned(),
            "no state in its coverage area or organization: its telehealth counts only for patients whose state is not given",
        );
        return;
    }
    rec.read(
        "(licensed_states)",
        Some(from),
        || lpath.to_owned(),
        format!("licensed_states (the states of its {from} addresses)"),
    );
    states.sort();
    p.location.state = states[0].clone();
    p.licensed_states = states;
}

/// Concepts from `type`, `specialty`, `program`, `characteristic`, then
/// levels from words in the name.
fn service_concepts(rec: &mut Recorder, svc: &Service<'_>, p: &mut Program) {
    let path = svc.path;
    for k in ["type", "specialty", "program", "characteristic"] {
        if let Some(v) = svc.s.get(k) {
            concepts(rec, &field(k), &format!("{path}.{k}"), v, p);
        }
    }
    if let Some(n) = svc.name {
        let at = || format!("{path}.name");
        if !levels_in_name(rec, &field("name"), n, at, &["name"], p) {
            rec.read(&field("name"), None, at, "name");
        }
    }
    // Plan-Net's category `outpat` (clinic or outpatient facility): a level
    // hint, read only when nothing else names a level.
    for (i, cc) in array(svc.s, "category").iter().enumerate() {
        for (j, c) in array(cc, "coding").iter().enumerate() {
            let code = text(c, "code").unwrap_or("");
            let at = || format!("{path}.category[{i}].coding[{j}]");
            let value = format!("HealthcareServiceCategoryCS#{code}");
            match code {
                "outpat" if p.levels.is_empty() => {
                    rec.code(&field("category"), Some(&value), at, "levels: outpatient");
                    push(&mut p.levels, LevelOfCare::Outpatient);
                }
                "outpat" => rec.ignored(&field("category"), Some(&value), at, "a level hint: other fields name the level"),
                "behav" => rec.code(&field("category"), Some(&value), at, "(the treatment gate: behavioral health)"),
                _ => rec.ignored(&field("category"), Some(&value), at, "a broad category: levels come from type, specialty, program, characteristic or the name"),
            }
        }
    }
    if p.levels.is_empty() {
        let mut texts: Vec<&str> = svc.name.into_iter().collect();
        for k in ["type", "specialty", "program", "characteristic"] {
            for cc in array(svc.s, k) {
                texts.extend(text(cc, "text"));
                texts.extend(
                    array(cc, "coding")
                        .iter()
                        .filter_map(|c| text(c, "display")),
                );
            }
        }
        if let Some(w) = outpatient_by_nature(&Text::of(texts)) {
            let to =
                "levels: outpatient (counselling, therapy or a clinic, with no other level named)";
            rec.read("(levels)", Some(w), || path.to_owned(), to);
            push(&mut p.levels, LevelOfCare::Outpatient);
        }
    }
}

/// Languages from `communication` (BCP 47 codes; English assumed when none).
fn languages(rec: &mut Recorder, svc: &Service<'_>, lpath: &str, p: &mut Program) {
    for (i, c) in array(svc.s, "communication").iter().enumerate() {
        for (j, coding) in array(c, "coding").iter().enumerate() {
            let code = text(coding, "code").unwrap_or("");
            let primary = code.split('-').next().unwrap_or(code);
            let name = text(coding, "display").unwrap_or(code);
            let at = || format!("{}.communication[{i}].coding[{j}]", svc.path);
            let by_code = (Some(primary), Method::FormatCode);
            let f = field("communication");
            language(rec, &f, code, by_code, name, at, &mut p.languages);
        }
    }
    if p.languages.is_empty() {
        p.languages.push(Language::ENGLISH);
        rec.note(
            lpath.to_owned(),
            "no `communication`: English assumed; confirm",
        );
    }
}

/// Status and delivery from the service's and the location's extensions:
/// `delivery-method`, `newpatients`, `accessibility` (reported).
fn extensions(rec: &mut Recorder, svc: &Service<'_>, loc: &Value, lpath: &str, p: &mut Program) {
    let mut delivery: Vec<Delivery> = Vec::new();
    let mut accepting: Option<bool> = None;
    let mut exts: Vec<(String, &Value)> = array(svc.s, "extension")
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("{}.extension[{i}]", svc.path), e))
        .collect();
    exts.extend(
        array(loc, "extension")
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("{lpath}.extension[{i}]"), e)),
    );
    for (epath, e) in exts {
        let url = tail(text(e, "url").unwrap_or(""));
        let f = format!("extension:{url}");
        match url {
            "delivery-method" => delivery_method(rec, &f, &epath, e, &mut delivery),
            "newpatients" => new_patients(rec, &f, &epath, e, &mut accepting),
            "accessibility" => rec.ignored(
                &f,
                Some(value_code(e)),
                || epath.clone(),
                "accessibility: carematch has no field for it; confirm with the program",
            ),
            _ => rec.ignored(
                &f,
                None,
                || epath.clone(),
                "an extension carematch does not read",
            ),
        }
    }
    if delivery.is_empty() {
        delivery.push(Delivery::InPerson);
        rec.note(
            lpath.to_owned(),
            "no delivery-method extension: in person assumed (it has a location)",
        );
    }
    p.delivery = delivery;
    if let Some(a) = accepting {
        p.accepting_new_patients = a;
        listed(p, NotListed::AcceptingNewPatients);
    }
}

/// A `delivery-method` extension: physical (in person) or virtual (telehealth).
fn delivery_method(rec: &mut Recorder, f: &str, epath: &str, e: &Value, out: &mut Vec<Delivery>) {
    for (k, sub) in array(e, "extension").iter().enumerate() {
        let code = value_code(sub);
        let at = || format!("{epath}.extension[{k}]");
        match (text(sub, "url").unwrap_or(""), code) {
            ("type", code @ ("physical" | "virtual")) => {
                let d = if code == "physical" {
                    Delivery::InPerson
                } else {
                    Delivery::Telehealth
                };
                rec.code(f, Some(code), at, format!("delivery: {}", d.key()));
                push(out, d);
            }
            ("virtualModalities", c) => rec.ignored(
                &format!("{f}.virtualModalities"),
                Some(c),
                at,
                "how telehealth is given (web, app, phone ...): not matched on",
            ),
            (u, c) => rec.unknown(&format!("{f}.{u}"), c, at, Vec::new()),
        }
    }
}

/// A `newpatients` extension: accepting (`newpt`) or not; all must accept.
fn new_patients(rec: &mut Recorder, f: &str, epath: &str, e: &Value, accepting: &mut Option<bool>) {
    let subs = array(e, "extension");
    if let Some(k) = subs
        .iter()
        .position(|x| text(x, "url") == Some("fromNetwork"))
    {
        // The status holds for one network only, not for every patient.
        let at = || format!("{epath}.extension[{k}]");
        let why =
            "new-patient status for one network only: not read as the program's (left not listed)";
        rec.ignored(&format!("{f}.fromNetwork"), None, at, why);
        rec.note(epath.to_owned(), "accepting patients from one network only: new-patient status left not listed; confirm for the patient's plan");
        return;
    }
    for (k, sub) in subs.iter().enumerate() {
        let at = || format!("{epath}.extension[{k}]");
        match text(sub, "url").unwrap_or("") {
            "acceptingPatients" => {
                let code = value_code(sub);
                let yes = match code {
                    "newpt" => Some(true),
                    "nopt" | "existptonly" | "existptfam" => Some(false),
                    _ => None,
                };
                match yes {
                    Some(b) => {
                        rec.code(f, Some(code), at, format!("accepting_new_patients: {b}"));
                        *accepting = Some(accepting.unwrap_or(b) && b);
                    }
                    None => rec.unknown(f, code, at, Vec::new()),
                }
            }
            u => rec.ignored(&format!("{f}.{u}"), None, at, "not read"),
        }
    }
}

/// One `availableTime` entry into sessions; an end before its start is reported, not guessed.
fn available_time(rec: &mut Recorder, path: &str, t: &Value, sessions: &mut Vec<Session>) {
    let f = "HealthcareService.availableTime";
    let mut days = Vec::new();
    for (i, d) in array(t, "daysOfWeek").iter().enumerate() {
        let code = d.as_str().unwrap_or("");
        let at = || format!("{path}.daysOfWeek[{i}]");
        match code.parse::<Weekday>() {
            Ok(w) => {
                let to = format!("tracks: {}", w.key());
                rec.code(&format!("{f}.daysOfWeek"), Some(code), at, to);
                days.push(w);
            }
            Err(_) => rec.unknown(&format!("{f}.daysOfWeek"), code, at, Vec::new()),
        }
    }
    let (start, end) = if t.get("allDay").and_then(Value::as_bool) == Some(true) {
        let at = || format!("{path}.allDay");
        rec.read(&format!("{f}.allDay"), None, at, "tracks: 00:00-24:00");
        (TimeOfDay::hm(0, 0).ok(), TimeOfDay::hm(24, 0).ok())
    } else {
        let read = |rec: &mut Recorder, key: &str| -> Option<TimeOfDay> {
            let at = format!("{path}.{key}");
            read_time(rec, &format!("{f}.{key}"), text(t, key)?, &at, &[]).map(|(time, _)| time)
        };
        (
            read(rec, "availableStartTime"),
            read(rec, "availableEndTime"),
        )
    };
    match (start, end) {
        (Some(a), Some(b)) if a < b => {
            for d in days {
                add_session(sessions, d, a, b);
            }
        }
        (Some(a), Some(b)) => rec.note(
            path.to_owned(),
            format!(
                "ends at {b} before it starts at {a}: not read (not guessed); confirm the hours"
            ),
        ),
        _ if days.is_empty() => {}
        _ => rec.note(
            path.to_owned(),
            "days without both a start and an end (and not all day): not read",
        ),
    }
}
