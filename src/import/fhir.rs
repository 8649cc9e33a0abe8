//! HL7 FHIR R4 `HealthcareService` with the Da Vinci PDex Plan-Net 1.1.0
//! profiles: a Bundle, a single resource, or a list of resources (or of
//! Bundles). Each `HealthcareService` at each of its `Location`s becomes a
//! program; its `Organization` (`providedBy`) names the organization.
//!
//! Plan-Net has no code for intensive outpatient or partial hospitalization:
//! levels come from `type`, `specialty`, `program`, `characteristic` (their
//! codes and display text through carematch's vocabularies), NUCC
//! behavioral-health taxonomy codes (outpatient, residential or inpatient
//! care), or words in the name. Payers live on networks in Plan-Net, not on
//! the service, so payers are always left not listed.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::import::{
    Format, Import, ImportOptions, Method, Recorder, add_session, array, blank, finish, listed,
    number, parse_time, program_id, push, schedule_tracks, shape, text, unique_ids, vocab,
};
use crate::program::{Delivery, Language, Location, NotListed, Population, Program};
use crate::{
    error::Error,
    level::LevelOfCare,
    schedule::{Session, TimeOfDay, Weekday},
    therapy::{Approach, Modality},
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

/// What a code or text means.
pub(crate) enum Found {
    Level(LevelOfCare),
    Approach(Approach),
    Modality(Modality),
    Population(Population),
}

pub(crate) fn found_key(f: &Found) -> String {
    match f {
        Found::Level(l) => format!("levels: {}", l.key()),
        Found::Approach(a) => format!("approaches: {}", a.key()),
        Found::Modality(m) => format!("modalities: {}", m.key()),
        Found::Population(p) => format!("populations: {}", p.key()),
    }
}

/// A text through the vocabularies a service's codes may name.
pub(crate) fn through_vocabularies(t: &str) -> Result<(Found, Method, f64), Vec<String>> {
    let mut suggestions = Vec::new();
    macro_rules! try_family {
        ($t:ty, $wrap:expr) => {
            match vocab::<$t>(t) {
                Ok((x, how, c)) => return Ok(($wrap(x), how, c)),
                Err(s) => suggestions.extend(s),
            }
        };
    }
    try_family!(LevelOfCare, Found::Level);
    try_family!(Approach, Found::Approach);
    try_family!(Modality, Found::Modality);
    try_family!(Population, Found::Population);
    suggestions.truncate(3);
    Err(suggestions)
}

/// Reads a CodeableConcept (or a list of them) of `field` into `p`.
fn concepts(rec: &mut Recorder, field: &str, path: &str, v: &Value, p: &mut Program) {
    let list: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for (i, cc) in list.iter().enumerate() {
        let cpath = format!("{path}[{i}]");
        let mut any = false;
        for (j, coding) in array(cc, "coding").iter().enumerate() {
            let code = text(coding, "code").unwrap_or("");
            let system = text(coding, "system").unwrap_or("");
            let display = text(coding, "display");
            let value = format!("{}#{code}", tail(system));
            let at = || format!("{cpath}.coding[{j}]");
            if system.contains("nucc.org/provider-taxonomy") {
                match nucc_level(code) {
                    Some(l) => {
                        rec.mapped(
                            field,
                            Some(&value),
                            at,
                            vec![format!("levels: {}", l.key())],
                            Method::FormatCode,
                            1.0,
                        );
                        push(&mut p.levels, l);
                        any = true;
                    }
                    None => rec.ignored(
                        field,
                        Some(&value),
                        at,
                        "not a behavioral-health taxonomy code",
                    ),
                }
                continue;
            }
            // Other code systems: the display text (or the code) through the vocabularies.
            let words = display.unwrap_or(code);
            match through_vocabularies(words) {
                Ok((f, how, c)) => {
                    rec.mapped(field, Some(&value), at, vec![found_key(&f)], how, c);
                    apply(p, f);
                    any = true;
                }
                Err(s) => rec.unknown(field, &value, at, s),
            }
        }
        if let Some(t) = text(cc, "text") {
            let at = || format!("{cpath}.text");
            match through_vocabularies(t) {
                Ok((f, how, c)) => {
                    rec.mapped(
                        &format!("{field}.text"),
                        Some(t),
                        at,
                        vec![found_key(&f)],
                        how,
                        c,
                    );
                    apply(p, f);
                }
                Err(s) if any => {
                    let _ = s;
                    rec.ignored(
                        &format!("{field}.text"),
                        Some(t),
                        at,
                        "its codings were read",
                    );
                }
                Err(s) => rec.unknown(&format!("{field}.text"), t, at, s),
            }
        }
    }
}

pub(crate) fn apply(p: &mut Program, f: Found) {
    match f {
        Found::Level(l) => push(&mut p.levels, l),
        Found::Approach(a) => push(&mut p.approaches, a),
        Found::Modality(m) => push(&mut p.modalities, m),
        Found::Population(x) => push(&mut p.populations, x),
    }
}

/// Levels named in a service's name.
pub(crate) fn name_levels(name: &str) -> Vec<LevelOfCare> {
    let n = format!(
        " {} ",
        name.to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), " ")
    );
    let mut out = Vec::new();
    for (words, level) in [
        ("intensive outpatient", LevelOfCare::IntensiveOutpatient),
        (" iop ", LevelOfCare::IntensiveOutpatient),
        ("partial hospital", LevelOfCare::PartialHospitalization),
        (" php ", LevelOfCare::PartialHospitalization),
        ("day treatment", LevelOfCare::PartialHospitalization),
        ("residential", LevelOfCare::Residential),
        ("inpatient", LevelOfCare::Inpatient),
    ] {
        if n.contains(words) && !out.contains(&level) {
            out.push(level);
        }
    }
    out
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
        "coverage areas: telehealth licensure is by state, not read here",
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
    (
        "category",
        "a broad category (medical provider, behavioral health ...): levels come from type, specialty, program, characteristic or the name",
    ),
    ("contained", "contained resources are not read"),
    ("implicitRules", "not matched on"),
    ("modifierExtension", "modifier extensions are not read"),
];

#[allow(clippy::too_many_lines)]
fn service(
    rec: &mut Recorder,
    path: &str,
    s: &Value,
    by_ref: &BTreeMap<String, &Value>,
    options: &ImportOptions,
    programs: &mut Vec<Program>,
) {
    let field = |k: &str| format!("HealthcareService.{k}");
    let Some(sid) = text(s, "id") else {
        rec.refuse(path.to_owned(), "a HealthcareService without an `id`");
        return;
    };
    if s.get("active").and_then(Value::as_bool) == Some(false) {
        rec.refuse(path.to_owned(), "inactive (`active` is false)");
        return;
    }
    let name = text(s, "name").map(str::to_owned);
    // Locations.
    let mut places: Vec<(String, &Value)> = Vec::new();
    for (i, l) in array(s, "location").iter().enumerate() {
        let at = format!("{path}.location[{i}]");
        match text(l, "reference").and_then(|r| by_ref.get(r).map(|v| (r, v))) {
            Some((r, v)) => {
                rec.mapped(
                    &field("location"),
                    None,
                    || at.clone(),
                    vec!["location".to_owned()],
                    Method::Read,
                    1.0,
                );
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
    // Organization.
    let org = s
        .get("providedBy")
        .and_then(|o| {
            text(o, "reference")
                .and_then(|r| by_ref.get(r))
                .and_then(|org| text(org, "name"))
                .or_else(|| text(o, "display"))
        })
        .map(str::to_owned);
    for (k, v) in s.as_object().into_iter().flatten() {
        let at = || format!("{path}.{k}");
        if let Some((_, why)) = SERVICE_IGNORED.iter().find(|(x, _)| x == k) {
            rec.ignored(&field(k), None, at, why);
        } else if !matches!(
            k.as_str(),
            "resourceType"
                | "id"
                | "active"
                | "location"
                | "extension"
                | "type"
                | "specialty"
                | "program"
                | "characteristic"
                | "communication"
                | "availableTime"
                | "name"
                | "providedBy"
        ) {
            let _ = v;
            rec.ignored(&field(k), None, at, "not a field carematch reads");
        }
    }
    // Every field has its line before a refusal.
    if places.is_empty() {
        rec.refuse(
            path.to_owned(),
            "no `location` in the document to place it (a program needs coordinates)",
        );
        return;
    }
    if org.is_some() {
        rec.mapped(
            &field("providedBy"),
            None,
            || format!("{path}.providedBy"),
            vec!["organization".to_owned()],
            Method::Read,
            1.0,
        );
    }
    for (lid, loc) in places {
        let lpath = format!("{path} at Location/{lid}");
        let Some(id) = program_id("fhir", &format!("{sid}-{lid}")) else {
            rec.refuse(lpath, "its id cannot be a program id");
            continue;
        };
        let pos = loc.get("position");
        let (Some(lat), Some(lon)) = (
            pos.and_then(|p| p.get("latitude")).and_then(number),
            pos.and_then(|p| p.get("longitude")).and_then(number),
        ) else {
            rec.refuse(
                lpath,
                format!("Location/{lid} has no `position` (latitude and longitude)"),
            );
            continue;
        };
        let addr = loc.get("address").unwrap_or(&Value::Null);
        let location = Location {
            address: super::join_address(array(addr, "line").iter().map(Value::as_str)),
            city: text(addr, "city").unwrap_or("").to_owned(),
            state: text(addr, "state").unwrap_or("").to_owned(),
            postal_code: text(addr, "postalCode").unwrap_or("").to_owned(),
            latitude: lat,
            longitude: lon,
        };
        let org_name = org
            .clone()
            .or_else(|| {
                loc.get("managingOrganization")
                    .and_then(|o| {
                        text(o, "reference")
                            .and_then(|r| by_ref.get(r))
                            .and_then(|o| text(o, "name"))
                            .or_else(|| text(o, "display"))
                    })
                    .map(str::to_owned)
            })
            .or_else(|| name.clone())
            .unwrap_or_else(|| sid.to_owned());
        let pname = name
            .clone()
            .or_else(|| text(loc, "name").map(str::to_owned))
            .unwrap_or_else(|| sid.to_owned());
        let mut p = blank(id, pname, org_name, location, options.as_of());
        for k in ["type", "specialty", "program", "characteristic"] {
            if let Some(v) = s.get(k) {
                concepts(rec, &field(k), &format!("{path}.{k}"), v, &mut p);
            }
        }
        if let Some(n) = &name {
            let found = name_levels(n);
            if found.is_empty() {
                rec.mapped(
                    &field("name"),
                    None,
                    || format!("{path}.name"),
                    vec!["name".to_owned()],
                    Method::Read,
                    1.0,
                );
            }
            for l in found {
                rec.mapped(
                    &field("name"),
                    Some(n),
                    || format!("{path}.name"),
                    vec![
                        "name".to_owned(),
                        format!("levels: {} (words in the name)", l.key()),
                    ],
                    Method::Read,
                    1.0,
                );
                push(&mut p.levels, l);
            }
        }
        // Languages.
        for (i, c) in array(s, "communication").iter().enumerate() {
            for (j, coding) in array(c, "coding").iter().enumerate() {
                let code = text(coding, "code").unwrap_or("");
                let at = || format!("{path}.communication[{i}].coding[{j}]");
                let primary = code.split('-').next().unwrap_or(code);
                match primary.parse::<Language>() {
                    Ok(l) if l.name().is_some() => {
                        rec.mapped(
                            &field("communication"),
                            Some(code),
                            at,
                            vec![format!("languages: {l}")],
                            Method::FormatCode,
                            1.0,
                        );
                        push(&mut p.languages, l);
                    }
                    _ => match vocab::<Language>(text(coding, "display").unwrap_or(code)) {
                        Ok((l, how, conf)) => {
                            rec.mapped(
                                &field("communication"),
                                Some(code),
                                at,
                                vec![format!("languages: {l}")],
                                how,
                                conf,
                            );
                            push(&mut p.languages, l);
                        }
                        Err(sug) => rec.unknown(&field("communication"), code, at, sug),
                    },
                }
            }
        }
        if p.languages.is_empty() {
            p.languages.push(Language::ENGLISH);
            rec.note(
                lpath.clone(),
                "no `communication`: English assumed; confirm",
            );
        }
        // Extensions: delivery method, new patients, accessibility.
        let mut delivery: Vec<Delivery> = Vec::new();
        let mut accepting: Option<bool> = None;
        let mut exts: Vec<(String, &Value)> = array(s, "extension")
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("{path}.extension[{i}]"), e))
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
                "delivery-method" => {
                    for (k, sub) in array(e, "extension").iter().enumerate() {
                        let code = sub
                            .get("valueCodeableConcept")
                            .map(|cc| array(cc, "coding"))
                            .and_then(|c| c.first())
                            .and_then(|c| text(c, "code"))
                            .unwrap_or("");
                        let at = || format!("{epath}.extension[{k}]");
                        match (text(sub, "url").unwrap_or(""), code) {
                            ("type", code @ ("physical" | "virtual")) => {
                                let d = if code == "physical" {
                                    Delivery::InPerson
                                } else {
                                    Delivery::Telehealth
                                };
                                rec.mapped(
                                    &f,
                                    Some(code),
                                    at,
                                    vec![format!("delivery: {}", d.key())],
                                    Method::FormatCode,
                                    1.0,
                                );
                                push(&mut delivery, d);
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
                "newpatients" => {
                    for (k, sub) in array(e, "extension").iter().enumerate() {
                        let at = || format!("{epath}.extension[{k}]");
                        match text(sub, "url").unwrap_or("") {
                            "acceptingPatients" => {
                                let code = sub
                                    .get("valueCodeableConcept")
                                    .map(|cc| array(cc, "coding"))
                                    .and_then(|c| c.first())
                                    .and_then(|c| text(c, "code"))
                                    .unwrap_or("");
                                let yes = match code {
                                    "newpt" => Some(true),
                                    "nopt" | "existptonly" | "existptfam" => Some(false),
                                    _ => None,
                                };
                                match yes {
                                    Some(b) => {
                                        rec.mapped(
                                            &f,
                                            Some(code),
                                            at,
                                            vec![format!("accepting_new_patients: {b}")],
                                            Method::FormatCode,
                                            1.0,
                                        );
                                        accepting = Some(accepting.unwrap_or(b) && b);
                                    }
                                    None => rec.unknown(&f, code, at, Vec::new()),
                                }
                            }
                            "fromNetwork" => rec.ignored(
                                &format!("{f}.fromNetwork"),
                                None,
                                at,
                                "new-patient status for one network only: read as the program's",
                            ),
                            u => rec.ignored(&format!("{f}.{u}"), None, at, "not read"),
                        }
                    }
                }
                "accessibility" => {
                    let code = e
                        .get("valueCodeableConcept")
                        .map(|cc| array(cc, "coding"))
                        .and_then(|c| c.first())
                        .and_then(|c| text(c, "code"))
                        .unwrap_or("");
                    rec.ignored(
                        &f,
                        Some(code),
                        || epath.clone(),
                        "accessibility: carematch has no field for it; confirm with the program",
                    );
                }
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
                lpath.clone(),
                "no delivery-method extension: in person assumed (it has a location)",
            );
        }
        p.delivery = delivery;
        if let Some(a) = accepting {
            p.accepting_new_patients = a;
            listed(&mut p, NotListed::AcceptingNewPatients);
        }
        // Payers live on networks in Plan-Net.
        rec.ignored(
            "(payers)",
            None,
            || lpath.clone(),
            "Plan-Net names payers on networks, not services: payers not listed",
        );
        if p.levels.is_empty() {
            rec.refuse(lpath, "no level of care carematch ranks in its type, specialty, program, characteristic or name");
            continue;
        }
        p.levels.sort();
        // Hours.
        let mut sessions: Vec<Session> = Vec::new();
        for (i, t) in array(s, "availableTime").iter().enumerate() {
            available_time(rec, &format!("{path}.availableTime[{i}]"), t, &mut sessions);
        }
        schedule_tracks(rec, &lpath, &mut p, "available times", sessions);
        if let Some(p) = finish(rec, &lpath, p, options) {
            programs.push(p);
        }
    }
}

/// One `availableTime` entry into sessions; an end before its start is reported, not guessed.
fn available_time(rec: &mut Recorder, path: &str, t: &Value, sessions: &mut Vec<Session>) {
    let f = "HealthcareService.availableTime";
    let mut days = Vec::new();
    for (i, d) in array(t, "daysOfWeek").iter().enumerate() {
        let code = d.as_str().unwrap_or("");
        match code.parse::<Weekday>() {
            Ok(w) => {
                rec.mapped(
                    &format!("{f}.daysOfWeek"),
                    Some(code),
                    || format!("{path}.daysOfWeek[{i}]"),
                    vec![format!("tracks: {}", w.key())],
                    Method::FormatCode,
                    1.0,
                );
                days.push(w);
            }
            Err(_) => rec.unknown(
                &format!("{f}.daysOfWeek"),
                code,
                || format!("{path}.daysOfWeek[{i}]"),
                Vec::new(),
            ),
        }
    }
    let all_day = t.get("allDay").and_then(Value::as_bool) == Some(true);
    let (start, end) = if all_day {
        rec.mapped(
            &format!("{f}.allDay"),
            None,
            || format!("{path}.allDay"),
            vec!["tracks: 00:00-24:00".into()],
            Method::Read,
            1.0,
        );
        (TimeOfDay::hm(0, 0).ok(), TimeOfDay::hm(24, 0).ok())
    } else {
        let read = |rec: &mut Recorder, key: &str| -> Option<TimeOfDay> {
            let raw = text(t, key)?;
            match parse_time(raw) {
                Some((time, _)) => {
                    rec.mapped(
                        &format!("{f}.{key}"),
                        None,
                        || format!("{path}.{key}"),
                        vec!["tracks".into()],
                        Method::Read,
                        1.0,
                    );
                    Some(time)
                }
                None => {
                    rec.unknown(
                        &format!("{f}.{key}"),
                        raw,
                        || format!("{path}.{key}"),
                        Vec::new(),
                    );
                    None
                }
            }
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
