//! Open Referral HSDS 3.0 (JSON): a service (with its `service_at_locations`),
//! a service at location (with its `service`), an organization (with its
//! `services`), a paged list (`contents`), or a list of any of them. Each
//! service at each location becomes a program.
//!
//! | source field | becomes in `Program` |
//! | --- | --- |
//! | service `id` + location `id` | `id` (`hsds-<service>-<location>`); refused without a service `id` |
//! | `name` | `name`; words in it ("intensive outpatient", "IOP", "PHP" ...) give `levels`; refused without it |
//! | `status` | refused unless `active` (or absent) |
//! | `organization.name` | `organization` (else the service's name, noted) |
//! | location `latitude`, `longitude` | `location`'s coordinates; without them, the address's `postal_code` centre from the embedded Census table, marked approximate (`precision: zip_centre`); without either (or without a location), the location is not listed: kept for a telehealth service (telehealth only), refused otherwise |
//! | location `location_type` `virtual` | `delivery`: telehealth |
//! | location `addresses[]` (the first not `postal`) | `location`'s address (`address_1`, `address_2`), city, state, postal code |
//! | `program.name`, `attributes[].taxonomy_term` (name or code), `attributes[].value` | `levels`, `approaches`, `modalities`, `populations` through the vocabularies; refused when no level is found anywhere |
//! | `description` | the treatment gate (when no taxonomy term names a kind of service); `levels` it states ("inpatient treatment and out-patient programming"), read only when the name, program and terms name none, a level it refers people to, follows or stands in for left out ("referrals to inpatient care", "an alternative to residential care") |
//! | `languages[]` (else the location's) | `languages` (by code, else by name); English assumed, noted, when none |
//! | `interpretation_services` | `interpreter_services` (text: read as offered, noted) |
//! | `minimum_age`, `maximum_age` | `ages` (0-120, noted, when neither is given) |
//! | `cost_options[].option` | `payers`, listed only when every option names a carematch payer (else not listed, noted) |
//! | `wait_time` ("7 days", "2 weeks") | `typical_wait_days` |
//! | `accreditations`, `licenses` | `facility_credentials` (then listed) |
//! | `assured_date` | `last_verified` (when on or before the as-of date) |
//! | `schedules[]` (the service at location's, else the service's) | `tracks` "opening hours" at each ambulatory level (then listed) |
//! | contacts, descriptions, fees, service areas, funding, metadata ... | ignored, each with its reason |
//!
//! Delivery is in person. Staff, new-patient status and the rest stay not listed.
//!
//! Schedules: weekly rules (`freq: WEEKLY`, `byday`, `opens_at`, `closes_at`,
//! within `valid_from`/`valid_to`) become the service's track; other rules
//! (monthly `byday` such as `2MO`, intervals, counts) are reported, not read.
//! Text that disagrees with a structured field is reported, not guessed.

use serde_json::Value;

use crate::date::Date;
use crate::import::map::{
    Found, concept, coordinates, language, levels_in_description, levels_in_name, name_levels,
    read_time, site, through_vocabularies,
};
use crate::import::words::{
    Gate, Text, age_group, ages_in_text, gate, outpatient_by_nature, telehealth_in,
};
use crate::import::{
    Format, Import, ImportOptions, ImportReport, Method, Recorder, Rewrite, UniqueIds, add_session,
    array, blank, finish, join_address, listed, number, program_id, push, schedule_tracks, shape,
    text, vocab,
};
use crate::program::{AgeRange, Language, Location, NotListed, Payer, Program};
use crate::{credential::FacilityCredential, error::Error, schedule::Session, schedule::Weekday};

/// A service at a location, with the path of each part.
struct Record<'a> {
    path: String,
    service: &'a Value,
    location: Option<&'a Value>,
    schedules: Vec<(String, &'a Value)>,
    organization: Option<&'a Value>,
}

/// The service-at-location records of a document.
fn records<'a>(
    v: &'a Value,
    path: &str,
    org: Option<&'a Value>,
    rec: &mut Recorder,
    out: &mut Vec<Record<'a>>,
) -> Result<(), Error> {
    let at = |k: &str| child(path, k);
    let o = match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                records(item, &format!("{path}[{i}]"), org, rec, out)?;
            }
            return Ok(());
        }
        Value::Object(o) => o,
        _ => return Err(shape(path, "expected an HSDS object or a list of them")),
    };
    if let Some(contents) = o.get("contents") {
        if !contents.is_array() {
            return Err(shape(&at("contents"), "expected an array"));
        }
        for k in PAGING.iter().filter(|k| o.contains_key(**k)) {
            rec.ignored(k, None, || at(k), "paging, not a service's data");
        }
        return records(contents, &at("contents"), org, rec, out);
    }
    if o.contains_key("service") && o.contains_key("location") {
        // A service at location with its service.
        let service = &o["service"];
        if !service.is_object() {
            return Err(shape(&at("service"), "expected a service object"));
        }
        out.push(Record {
            path: path.to_owned(),
            service,
            location: o.get("location"),
            schedules: sal_schedules(v, path, service),
            organization: service.get("organization").or(org),
        });
        return Ok(());
    }
    if let Some(services) = o.get("services") {
        // An organization.
        if !services.is_array() {
            return Err(shape(&at("services"), "expected an array of services"));
        }
        return records(services, &at("services"), Some(v), rec, out);
    }
    if o.contains_key("location_type") || o.contains_key("addresses") {
        let here = || {
            if path.is_empty() {
                "(document)".to_owned()
            } else {
                path.to_owned()
            }
        };
        let why = "a location alone offers no service: nothing to rank";
        rec.ignored("(location without a service)", None, here, why);
        return Ok(());
    }
    if o.contains_key("name") {
        return service_records(v, path, org, out);
    }
    Err(shape(
        if path.is_empty() { "" } else { path },
        "expected an HSDS service, service at location, organization, location or a list of them",
    ))
}

/// The path of key `k` in the object at `path`.
fn child(path: &str, k: &str) -> String {
    if path.is_empty() {
        k.to_owned()
    } else {
        format!("{path}.{k}")
    }
}

/// The keys of a paged list that are about the paging.
const PAGING: [&str; 7] = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
];

/// The records of a service: one per service at location (one without a
/// location when it has none).
fn service_records<'a>(
    v: &'a Value,
    path: &str,
    org: Option<&'a Value>,
    out: &mut Vec<Record<'a>>,
) -> Result<(), Error> {
    let at = |k: &str| child(path, k);
    let sals = match v.get("service_at_locations") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(shape(&at("service_at_locations"), "expected an array")),
    };
    let organization = v.get("organization").or(org);
    if sals.is_empty() {
        out.push(Record {
            path: path.to_owned(),
            service: v,
            location: None,
            schedules: Vec::new(),
            organization,
        });
    }
    for (i, sal) in sals.iter().enumerate() {
        let sp = at(&format!("service_at_locations[{i}]"));
        out.push(Record {
            schedules: sal_schedules(sal, &sp, v),
            path: sp,
            service: v,
            location: sal.get("location"),
            organization,
        });
    }
    Ok(())
}

/// The schedules of a service at location: its own, else the service's.
fn sal_schedules<'a>(sal: &'a Value, path: &str, service: &'a Value) -> Vec<(String, &'a Value)> {
    let own = array(sal, "schedules");
    if !own.is_empty() {
        return own
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{path}.schedules[{i}]"), s))
            .collect();
    }
    array(service, "schedules")
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("{path} (service).schedules[{i}]"), s))
        .collect()
}

/// Imports an HSDS 3 document.
pub(crate) fn import(doc: &Value, options: &ImportOptions) -> Result<Import, Error> {
    let mut programs = Vec::new();
    let report = import_with(doc, options, Recorder::default(), &mut |p| programs.push(p))?;
    Ok(Import { programs, report })
}

/// Imports HSDS 3 documents one at a time (each with its path and how the
/// paths recorded while it is read are rewritten), into a report already
/// begun, giving `sink` each program as it is made: each document is
/// dropped once read, so memory follows the report, not the programs (the
/// CSV reader joins one service at a time). Returns the report's recorder
/// (for the caller to finish once it has dropped its input), the records
/// read and the programs made.
pub(crate) fn import_each(
    docs: impl Iterator<Item = (String, Value, Option<Rewrite>)>,
    options: &ImportOptions,
    mut rec: Recorder,
    sink: &mut dyn FnMut(Program),
) -> Result<(Recorder, usize, usize), Error> {
    let mut ids = UniqueIds::default();
    let mut made = 0;
    let mut records_read = 0;
    for (path, doc, rewrite) in docs {
        rec.rewrite = rewrite;
        let mut recs = Vec::new();
        records(&doc, &path, None, &mut rec, &mut recs)?;
        records_read += recs.len();
        made += give(&mut rec, &recs, options, &mut ids, sink);
    }
    rec.rewrite = None;
    Ok((rec, records_read, made))
}

/// Imports an HSDS 3 document into a report already begun, giving `sink`
/// each program as it is made. The document's shape is checked whole
/// before the first program is made, so an error comes before any program.
pub(crate) fn import_with(
    doc: &Value,
    options: &ImportOptions,
    mut rec: Recorder,
    sink: &mut dyn FnMut(Program),
) -> Result<ImportReport, Error> {
    let mut recs = Vec::new();
    records(doc, "", None, &mut rec, &mut recs)?;
    let made = give(&mut rec, &recs, options, &mut UniqueIds::default(), sink);
    Ok(rec.finish(Format::Hsds, recs.len(), made))
}

/// Makes the programs of `recs`, in order, each with its id made unique
/// among those given before, and gives them to `sink`; returns how many.
fn give(
    rec: &mut Recorder,
    recs: &[Record<'_>],
    options: &ImportOptions,
    ids: &mut UniqueIds,
    sink: &mut dyn FnMut(Program),
) -> usize {
    let mut made = 0;
    for r in recs {
        if let Some(mut p) = program(rec, r, options) {
            ids.make_unique(rec, &mut p);
            made += 1;
            sink(p);
        }
    }
    made
}

/// Imports an HSDS 3 JSON text, giving `sink` each program as it is made,
/// with memory that follows one service at a time rather than the whole
/// document's tree, when the text is a list of HSDS objects or a page of one
/// (`contents`): each item stays text (borrowed) until it is read. Any other
/// shape (one service, one organization) is read whole by [`import_with`].
///
/// The report, the programs and any error are those of [`import_with`]:
/// every item is read once to record what [`records`] records and to find
/// any error before the first program; then each is read again, alone, for
/// its programs (what `records` records then goes to a scratch recorder, so
/// nothing is recorded twice and the report's order is the whole reading's).
pub(crate) fn import_text_each(
    text: &str,
    options: &ImportOptions,
    mut rec: Recorder,
    sink: &mut dyn FnMut(Program),
) -> Result<ImportReport, Error> {
    let Some(items) = top_items(text, &mut rec) else {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| Error::json(String::new(), e.to_string()))?;
        return import_with(&doc, options, rec, sink);
    };
    let parse = |raw: &serde_json::value::RawValue, path: &str| {
        serde_json::from_str::<Value>(raw.get())
            .map_err(|e| Error::json(path.to_owned(), e.to_string()))
    };
    let mut records_read = 0;
    for (path, raw) in &items {
        let v = parse(raw, path)?;
        let mut recs = Vec::new();
        records(&v, path, None, &mut rec, &mut recs)?;
        records_read += recs.len();
    }
    let mut ids = UniqueIds::default();
    let mut made = 0;
    for (path, raw) in &items {
        let v = parse(raw, path)?;
        let mut recs = Vec::new();
        records(&v, path, None, &mut Recorder::default(), &mut recs)?;
        made += give(&mut rec, &recs, options, &mut ids, sink);
    }
    Ok(rec.finish(Format::Hsds, records_read, made))
}

/// The top-level items of `text` with their paths, as [`records`] names
/// them, when it is a list (`[i]`) or an object with a `contents` list
/// (`contents[i]`; its paging keys recorded as ignored, as `records` does);
/// `None` for any other shape, and for text that is not such JSON (read
/// whole, for the whole reading's error).
fn top_items<'t>(
    text: &'t str,
    rec: &mut Recorder,
) -> Option<Vec<(String, &'t serde_json::value::RawValue)>> {
    use serde_json::value::RawValue;
    let first = text.trim_start_matches([' ', '\t', '\n', '\r']);
    let number = |items: Vec<&'t RawValue>, at: &str| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("{at}[{i}]"), v))
            .collect::<Vec<_>>()
    };
    if first.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
        return Some(number(items, ""));
    }
    let page: std::collections::HashMap<&str, &RawValue> = serde_json::from_str(text).ok()?;
    let contents: Vec<&RawValue> = serde_json::from_str(page.get("contents")?.get()).ok()?;
    for k in PAGING.iter().filter(|k| page.contains_key(**k)) {
        rec.ignored(k, None, || (*k).to_owned(), "paging, not a service's data");
    }
    Some(number(contents, "contents"))
}

const SERVICE_FIELDS: &[(&str, Option<&str>)] = &[
    ("id", None),
    ("name", None),
    ("status", None),
    ("organization", None),
    ("service_at_locations", None),
    ("schedules", None),
    ("languages", None),
    ("minimum_age", None),
    ("maximum_age", None),
    ("cost_options", None),
    ("attributes", None),
    ("wait_time", None),
    ("accreditations", None),
    ("licenses", None),
    ("assured_date", None),
    ("interpretation_services", None),
    ("program", None),
    (
        "alternate_name",
        Some("an alternate name: the name is `name`"),
    ),
    (
        "description",
        Some("free text: read for the treatment gate and the levels it states, else at the source"),
    ),
    (
        "url",
        Some("contact details: carematch keeps no contact fields"),
    ),
    (
        "email",
        Some("contact details: carematch keeps no contact fields"),
    ),
    (
        "phones",
        Some("contact details: carematch keeps no contact fields"),
    ),
    (
        "contacts",
        Some("contact details: carematch keeps no contact fields"),
    ),
    ("application_process", Some("free text: read at the source")),
    (
        "fees_description",
        Some("free text about fees: payers come from cost options"),
    ),
    ("fees", Some("deprecated free text about fees")),
    ("eligibility_description", None),
    ("eligibility", None),
    ("alert", Some("free text: read at the source")),
    (
        "last_modified",
        Some("when the record changed, not when it was verified (assured_date)"),
    ),
    ("assurer_email", Some("contact details")),
    (
        "service_areas",
        Some("service areas: not matched on (distance is from the location)"),
    ),
    ("required_documents", Some("not matched on")),
    ("funding", Some("funding sources, not a patient's payer")),
    ("metadata", Some("change history")),
];

/// A service at a location to a program, or a refusal: each field group in turn.
fn program(rec: &mut Recorder, r: &Record<'_>, options: &ImportOptions) -> Option<Program> {
    let s = r.service;
    let path = if r.path.is_empty() {
        "(document)".to_owned()
    } else {
        r.path.clone()
    };
    service_fields(rec, s, &path);
    let (sid, name) = identity(rec, s, &path)?;
    treatment_gate(rec, s, name, &path)?;
    let (id, location, placed) = match r.location {
        Some(loc) => location(rec, sid, loc, &path)?,
        None => {
            // No location at all: kept (location not listed) only when it
            // offers telehealth, decided once its delivery is read.
            rec.ignored(
                "(location)",
                Some("no service_at_locations"),
                || path.clone(),
                "location not listed: a service with no `service_at_locations`",
            );
            let Some(id) = program_id("hsds", sid) else {
                rec.refuse(path, "its id cannot make a program id");
                return None;
            };
            (id, Location::not_listed(""), false)
        }
    };
    let org = organization(rec, r, name, &path);
    let mut p = blank(id, name.to_owned(), org, location, options.undated());
    if !placed {
        p.not_listed.push(crate::program::NotListed::Location);
    }
    p.delivery = vec![crate::program::Delivery::InPerson];
    if r.location
        .is_some_and(|l| text(l, "location_type") == Some("virtual"))
    {
        p.delivery = vec![crate::program::Delivery::Telehealth];
        rec.read(
            "location.location_type",
            Some("virtual"),
            || path.clone(),
            "delivery: telehealth (a virtual location)",
        );
    }
    concepts(rec, s, name, &path, &mut p);
    languages(
        rec,
        s,
        r.location.unwrap_or(&Value::Null),
        &path,
        options.creole(),
        &mut p,
    );
    ages(rec, s, &path, &mut p);
    payers(rec, s, &path, &mut p);
    wait(rec, s, &path, &mut p);
    credentials(rec, s, &path, &mut p);
    verified(rec, s, &path, options.as_of(), &mut p);
    if p.levels.is_empty() {
        rec.refuse(
            path,
            "no level of care: a treatment service whose name, program and taxonomy terms name no level carematch ranks",
        );
        return None;
    }
    p.levels.sort();
    let mut sessions = Vec::new();
    for (spath, sch) in &r.schedules {
        schedule(rec, spath, sch, options.as_of(), &mut sessions);
    }
    schedule_tracks(rec, &path, &mut p, "opening hours", sessions);
    finish(rec, &path, p, options)
}

/// `service.<k>`, the field name of a service's key in the report.
fn f(k: &str) -> String {
    format!("service.{k}")
}

/// A line for each service field carematch does not read (the fields it
/// reads get theirs where they are read).
fn service_fields(rec: &mut Recorder, s: &Value, path: &str) {
    for (k, _) in s.as_object().into_iter().flatten() {
        let at = || format!("{path}.{k}");
        match SERVICE_FIELDS.iter().find(|(x, _)| x == k) {
            Some((_, Some(why))) => rec.ignored(&f(k), None, at, why),
            Some((_, None)) => {}
            None => rec.ignored(
                &f(k),
                None,
                at,
                "not an HSDS 3.0 service field carematch reads",
            ),
        }
    }
}

/// Identity: the service's `id` and `name`; refused without them or when
/// its `status` is not active.
fn identity<'a>(rec: &mut Recorder, s: &'a Value, path: &str) -> Option<(&'a str, &'a str)> {
    let Some(sid) = text(s, "id") else {
        rec.refuse(path.to_owned(), "a service without an `id`");
        return None;
    };
    let Some(name) = text(s, "name") else {
        rec.refuse(path.to_owned(), "a service without a `name`");
        return None;
    };
    rec.read(&f("name"), None, || format!("{path}.name"), "name");
    match text(s, "status") {
        Some("active") | None => Some((sid, name)),
        Some(other) => {
            rec.refuse(path.to_owned(), format!("status is {other:?}, not active"));
            None
        }
    }
}

/// Location: the program id (service and location ids), the coordinates
/// and the first physical address; without coordinates, the address's ZIP
/// code's centre (approximate); without either, not listed (`false`).
fn location(
    rec: &mut Recorder,
    sid: &str,
    loc: &Value,
    path: &str,
) -> Option<(crate::program::ProgramId, Location, bool)> {
    let lid = text(loc, "id").unwrap_or("location");
    let Some(id) = program_id("hsds", &format!("{sid}-{lid}")) else {
        rec.refuse(path.to_owned(), "its ids cannot make a program id");
        return None;
    };
    let coords = coordinates(loc);
    if coords.is_some() {
        for k in ["location.latitude", "location.longitude"] {
            rec.read(k, None, || format!("{path}.{k}"), k);
        }
    }
    let addr = array(loc, "addresses")
        .iter()
        .find(|a| text(a, "address_type") != Some("postal"))
        .or_else(|| array(loc, "addresses").first())
        .unwrap_or(&Value::Null);
    let location = Location {
        address: join_address([text(addr, "address_1"), text(addr, "address_2")]),
        city: text(addr, "city").unwrap_or("").to_owned(),
        state: text(addr, "state_province").unwrap_or("").to_owned(),
        postal_code: text(addr, "postal_code").unwrap_or("").to_owned(),
        latitude: 0.0,
        longitude: 0.0,
        precision: crate::program::LocationPrecision::AsListed,
    };
    let unplaced = crate::import::map::unplaced(&location);
    Some(match site(rec, || path.to_owned(), coords, location) {
        Some(l) => (id, l, true),
        None => (id, unplaced, false),
    })
}

/// The organization's name, else the service's (with a note).
fn organization(rec: &mut Recorder, r: &Record<'_>, name: &str, path: &str) -> String {
    let org = r.organization.and_then(|o| text(o, "name")).unwrap_or(name);
    if r.organization.is_some() {
        rec.read(
            &f("organization"),
            None,
            || format!("{path}.organization"),
            "organization",
        );
    } else {
        rec.note(
            path.to_owned(),
            "no organization: the service's name is used",
        );
    }
    org.to_owned()
}

/// The texts that say what a service is: its name, its program's name,
/// its taxonomy terms (by name, else code).
fn primary_texts(s: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = text(s, "name").into_iter().collect();
    out.extend(s.get("program").and_then(|pr| text(pr, "name")));
    for a in array(s, "attributes") {
        if let Some(t) = a.get("taxonomy_term") {
            out.extend(text(t, "name").or_else(|| text(t, "code")));
        }
    }
    out
}

/// The treatment gate: a service becomes a program only when its name,
/// program, taxonomy terms (or, failing them, its description) say
/// mental-health or substance-use treatment; otherwise it is refused as
/// "not a treatment service", before any level is read.
fn treatment_gate(rec: &mut Recorder, s: &Value, name: &str, path: &str) -> Option<()> {
    match gate(&primary_texts(s), text(s, "description"), false) {
        Gate::Treatment(why) => {
            rec.read(
                "(treatment gate)",
                Some(&why),
                || path.to_owned(),
                "a mental-health or substance-use treatment service",
            );
            Some(())
        }
        Gate::NotTreatment(why) => {
            rec.ignored(
                "(treatment gate)",
                Some(&why),
                || path.to_owned(),
                "not a treatment service",
            );
            rec.refuse(
                path.to_owned(),
                format!("not a treatment service: {why} ({name:?})"),
            );
            None
        }
    }
}

/// Concepts (levels, approaches, modalities, populations): words in the
/// name, the program's name, the attributes' taxonomy terms and values.
/// The levels the name states win over those a taxonomy term suggests (a
/// "Psychiatric Day Treatment" term on a service named "Outpatient
/// Treatment" does not make it partial hospitalization); when nothing
/// names a level, counselling, therapy or a clinic is outpatient care.
fn concepts(rec: &mut Recorder, s: &Value, name: &str, path: &str, p: &mut Program) {
    let named = levels_in_name(rec, &f("name"), name, || format!("{path}.name"), &[], p);
    if let Some(pn) = s.get("program").and_then(|pr| text(pr, "name")) {
        vocab_line(
            rec,
            &f("program.name"),
            pn,
            &format!("{path}.program.name"),
            named,
            p,
        );
    }
    for (i, a) in array(s, "attributes").iter().enumerate() {
        let apath = format!("{path}.attributes[{i}]");
        match a.get("taxonomy_term") {
            Some(t) => {
                let term = text(t, "name").or_else(|| text(t, "code")).unwrap_or("");
                let at = format!("{apath}.taxonomy_term");
                vocab_line(rec, "attributes.taxonomy_term", term, &at, named, p);
            }
            None => rec.ignored(
                "attributes",
                None,
                || apath.clone(),
                "an attribute without a taxonomy term",
            ),
        }
        if let Some(v) = text(a, "value") {
            vocab_line(
                rec,
                "attributes.value",
                v,
                &format!("{apath}.value"),
                named,
                p,
            );
        }
    }
    let all = Text::of(primary_texts(s));
    if let Some(w) = telehealth_in(&all) {
        p.delivery.push(crate::program::Delivery::Telehealth);
        rec.read(
            "(delivery)",
            Some(w),
            || path.to_owned(),
            "delivery: telehealth (words in the name or taxonomy)",
        );
    }
    if p.levels.is_empty() {
        let at = || format!("{path}.description");
        levels_in_description(rec, &f("description"), text(s, "description"), at, p);
    }
    if p.levels.is_empty()
        && let Some(w) = outpatient_by_nature(&all)
    {
        rec.read(
            "(levels)",
            Some(w),
            || path.to_owned(),
            "levels: outpatient (counselling, therapy or a clinic, with no other level named)",
        );
        p.levels.push(crate::level::LevelOfCare::Outpatient);
    }
}

/// Languages: the service's, else the location's (English assumed when
/// neither names one); interpretation services said as text.
fn languages(
    rec: &mut Recorder,
    s: &Value,
    loc: &Value,
    path: &str,
    creole: Option<Language>,
    p: &mut Program,
) {
    let mut langs = array(s, "languages");
    let mut lfield = "service.languages";
    if langs.is_empty() {
        langs = array(loc, "languages");
        lfield = "location.languages";
    }
    for (i, l) in langs.iter().enumerate() {
        let code = text(l, "code");
        let label = code.or_else(|| text(l, "name")).unwrap_or("");
        let name = text(l, "name").unwrap_or(label);
        let at = || format!("{path}.languages[{i}]");
        if label.eq_ignore_ascii_case("creole") {
            match creole {
                Some(l) => {
                    let to = format!("languages: {l} (the operator's --creole)");
                    rec.read(lfield, Some(label), at, to);
                    push(&mut p.languages, l);
                }
                None => rec.ignored(
                    lfield,
                    Some(label),
                    at,
                    "which Creole is not said (Haitian? Cape Verdean?): pass --creole to say what this source means",
                ),
            }
            continue;
        }
        language(
            rec,
            lfield,
            label,
            (code, Method::Exact),
            name,
            at,
            &mut p.languages,
        );
    }
    if p.languages.is_empty() {
        p.languages.push(Language::ENGLISH);
        rec.note(path.to_owned(), "no languages: English assumed; confirm");
    }
    if let Some(t) = text(s, "interpretation_services") {
        let none = Text::new(t);
        let said_no = matches!(
            t.trim().to_ascii_lowercase().as_str(),
            "no" | "none" | "n/a" | "na" | "false" | "not available" | "0"
        ) || none.negates(&[
            "interpretation",
            "interpreter",
            "interpreters",
            "interpreting",
            "available",
            "offered",
            "provided",
        ]);
        if said_no {
            rec.read(
                &f("interpretation_services"),
                Some(t),
                || format!("{path}.interpretation_services"),
                "interpreter_services: false",
            );
            return;
        }
        p.interpreter_services = true;
        rec.read(
            &f("interpretation_services"),
            None,
            || format!("{path}.interpretation_services"),
            "interpreter_services: true",
        );
        rec.note(path.to_owned(), format!("interpretation services said as text ({t:?}): read as offered; confirm the languages"));
    }
}

/// Ages from `minimum_age` and `maximum_age`; else from the age groups
/// of HSDS 1.x/2.0 `eligibility` ("Adults", "Older Adults", "Adolescents":
/// their union); else from an age range stated in `eligibility_description`
/// ("Age 21-60"); else 0-120 with a note.
fn ages(rec: &mut Recorder, s: &Value, path: &str, p: &mut Program) {
    let min = s.get("minimum_age").and_then(number);
    let max = s.get("maximum_age").and_then(number);
    if min.is_none() && max.is_none() {
        if let Some(a) = age_groups(rec, s, path).or_else(|| stated_ages(rec, s, path)) {
            p.ages = a;
            return;
        }
        rec.note(
            path.to_owned(),
            "no minimum_age, maximum_age, age group or stated ages: ages 0-120 so no patient is excluded on age; confirm",
        );
        return;
    }
    let clamp = |x: f64| x.clamp(0.0, 120.0) as u8;
    let ages = AgeRange {
        min: min.map_or(0, clamp),
        max: max.map_or(120, clamp),
    };
    let field = f("minimum_age/maximum_age");
    let at = || format!("{path}.minimum_age");
    if ages.problem().is_none() {
        rec.read(&field, Some(&ages.to_string()), at, format!("ages: {ages}"));
        p.ages = ages;
    } else {
        rec.unknown(&field, &ages.to_string(), at, Vec::new());
    }
}

/// The union of the age groups in `eligibility` (HSDS 1.x and 2.0: a row
/// per group), each with its line; `None` when none is an age group.
fn age_groups(rec: &mut Recorder, s: &Value, path: &str) -> Option<AgeRange> {
    let mut union: Option<(u8, u8)> = None;
    for (i, e) in array(s, "eligibility").iter().enumerate() {
        let Some(v) = e.as_str().or_else(|| text(e, "eligibility")) else {
            continue;
        };
        let at = || format!("{path}.eligibility[{i}]");
        match age_group(v) {
            Some((a, b)) => {
                rec.code(&f("eligibility"), Some(v), at, format!("ages: {a}-{b}"));
                union = Some(union.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
            None => rec.ignored(
                &f("eligibility"),
                Some(v),
                at,
                "not an age group: eligibility other than age is not matched on; confirm",
            ),
        }
    }
    union.map(|(min, max)| AgeRange { min, max })
}

/// An age range stated in `eligibility_description` ("Age 21-60", "18 and older").
fn stated_ages(rec: &mut Recorder, s: &Value, path: &str) -> Option<AgeRange> {
    let d = text(s, "eligibility_description")?;
    let (min, max) = ages_in_text(d)?;
    let ages = AgeRange { min, max };
    ages.problem().is_none().then(|| {
        rec.read(
            &f("eligibility_description"),
            None,
            || format!("{path}.eligibility_description"),
            format!("ages: {ages} (stated in the text)"),
        );
        ages
    })
}

/// Payers from cost options: listed only when every option names a carematch payer.
fn payers(rec: &mut Recorder, s: &Value, path: &str, p: &mut Program) {
    let costs = array(s, "cost_options");
    if costs.is_empty() {
        return;
    }
    let mut all = true;
    let mut payers: Vec<Payer> = Vec::new();
    for (i, c) in costs.iter().enumerate() {
        let at = || format!("{path}.cost_options[{i}]");
        let option = text(c, "option").unwrap_or("");
        match vocab::<Payer>(option) {
            Ok((x, how, conf)) => {
                rec.mapped(
                    "cost_options.option",
                    Some(option),
                    at,
                    vec![format!("payers: {}", x.key())],
                    how,
                    conf,
                );
                push(&mut payers, x);
            }
            Err(sug) => {
                all = false;
                rec.unknown("cost_options.option", option, at, sug);
            }
        }
    }
    if all && !payers.is_empty() {
        p.payers = payers;
        listed(p, NotListed::Payers);
    } else {
        rec.note(
            path.to_owned(),
            "a cost option names no carematch payer: payers left not listed",
        );
    }
}

/// The wait, from `wait_time` ("7 days", "2 weeks").
fn wait(rec: &mut Recorder, s: &Value, path: &str, p: &mut Program) {
    let Some(w) = text(s, "wait_time") else {
        return;
    };
    let at = || format!("{path}.wait_time");
    match wait_days(w) {
        Some(d) => {
            rec.read(
                &f("wait_time"),
                Some(w),
                at,
                format!("typical_wait_days: {d}"),
            );
            p.typical_wait_days = Some(d);
        }
        None => rec.unknown(
            &f("wait_time"),
            w,
            at,
            vec!["a number of days or weeks".into()],
        ),
    }
}

/// Facility credentials from `accreditations` and `licenses`.
fn credentials(rec: &mut Recorder, s: &Value, path: &str, p: &mut Program) {
    for k in ["accreditations", "licenses"] {
        let Some(t) = text(s, k) else {
            continue;
        };
        let at = || format!("{path}.{k}");
        match vocab::<FacilityCredential>(t) {
            Ok((c, how, conf)) => {
                rec.mapped(
                    &f(k),
                    Some(t),
                    at,
                    vec![format!("facility_credentials: {}", c.key())],
                    how,
                    conf,
                );
                push(&mut p.facility_credentials, c);
                listed(p, NotListed::FacilityCredentials);
            }
            Err(sug) => rec.unknown(&f(k), t, at, sug),
        }
    }
}

/// The verification date, from `assured_date` (on or before the as-of date).
fn verified(rec: &mut Recorder, s: &Value, path: &str, as_of: Date, p: &mut Program) {
    let Some(d) = text(s, "assured_date") else {
        return;
    };
    let at = || format!("{path}.assured_date");
    match d.get(..10).and_then(|x| x.parse::<Date>().ok()) {
        Some(date) if date <= as_of => {
            rec.read(&f("assured_date"), None, at, "last_verified");
            p.last_verified = date;
        }
        _ => rec.unknown(
            &f("assured_date"),
            d,
            at,
            vec!["a date on or before the import's as-of date".into()],
        ),
    }
}

/// A value through the vocabularies, with its line: a level its words
/// name first, else a concept.
fn vocab_line(
    rec: &mut Recorder,
    field: &str,
    value: &str,
    path: &str,
    named: bool,
    p: &mut Program,
) {
    let at = || path.to_owned();
    if named
        && (!name_levels(value).is_empty()
            || matches!(through_vocabularies(value), Ok((Found::Level(_), _, _))))
    {
        let why = "a level from a taxonomy term: the name states the level, which is read";
        rec.ignored(field, Some(value), at, why);
        return;
    }
    if let Some(&l) = name_levels(value).first() {
        let found = Found::Level(l);
        rec.mapped(
            field,
            Some(value),
            at,
            vec![found.describe()],
            Method::Synonym,
            1.0,
        );
        found.apply(p);
        return;
    }
    if let Err(sug) = concept(rec, field, value, value, at, p) {
        rec.unknown(field, value, at, sug);
    }
}

/// Days from text such as "7 days", "2 weeks", "10".
fn wait_days(t: &str) -> Option<u16> {
    let mut words = t.split_whitespace();
    let n: u16 = words.next()?.parse().ok()?;
    match words.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("day" | "days") => Some(n),
        Some("week" | "weeks") => n.checked_mul(7),
        _ => None,
    }
}

const BYDAY: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

/// One schedule: a weekly rule into sessions; anything else reported.
fn schedule(rec: &mut Recorder, path: &str, s: &Value, as_of: Date, sessions: &mut Vec<Session>) {
    schedule_fields(rec, path, s);
    if !valid(rec, path, s, as_of) || !weekly(rec, path, s) {
        return;
    }
    let Some(days) = days(rec, path, s) else {
        return;
    };
    let time = |rec: &mut Recorder, k: &str| {
        let raw = text(s, k)?;
        let at = format!("{path}.{k}");
        let (t, zone) = read_time(rec, &sf(k), raw, &at, &["HH:MM or HH:MM:SS"])?;
        if let Some(z) = zone {
            rec.note(at, format!("time zone {z:?} given: read as local time"));
        }
        Some(t)
    };
    let (Some(open), Some(close)) = (time(rec, "opens_at"), time(rec, "closes_at")) else {
        rec.note(
            path.to_owned(),
            "days without opens_at and closes_at: not read",
        );
        return;
    };
    if close <= open {
        rec.note(
            path.to_owned(),
            format!("closes at {close}, not after it opens at {open}: not read (not guessed)"),
        );
        return;
    }
    description(rec, path, s, &days);
    for d in days {
        add_session(sessions, d, open, close);
    }
}

/// `schedule.<k>`, the field name of a schedule's key in the report.
fn sf(k: &str) -> String {
    format!("schedule.{k}")
}

/// A line for each schedule field carematch does not read.
fn schedule_fields(rec: &mut Recorder, path: &str, s: &Value) {
    for (k, v) in s.as_object().into_iter().flatten() {
        let why = match k.as_str() {
            "id"
            | "freq"
            | "byday"
            | "opens_at"
            | "closes_at"
            | "valid_from"
            | "valid_to"
            | "interval"
            | "description"
            | "(weekday, read as byday)" => continue,
            "dtstart" | "until" | "count" => {
                "bounds of the rule: validity is read from valid_from and valid_to"
            }
            "wkst" => "the week's first day does not change a weekly rule's days",
            "byweekno" | "bymonthday" | "byyearday" => {
                "a rule part carematch does not read; the weekly days are read from byday"
            }
            "timezone" => "times are read as the location's local time",
            "schedule_link" | "attending_type" | "notes" => "free text: read at the source",
            "service_id" | "location_id" | "service_at_location_id" => "a link, already followed",
            _ => "not an HSDS 3.0 schedule field carematch reads",
        };
        if !v.is_null() {
            rec.ignored(&sf(k), None, || format!("{path}.{k}"), why);
        }
    }
}

/// Whether the schedule is valid on `as_of` (`valid_from`, `valid_to`); a note when not.
fn valid(rec: &mut Recorder, path: &str, s: &Value, as_of: Date) -> bool {
    let date = |k: &str| {
        text(s, k)
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse::<Date>().ok())
    };
    let why = match (date("valid_to"), date("valid_from")) {
        (Some(to), _) if to < as_of => format!("valid until {to}, before {as_of}: not read"),
        (_, Some(from)) if from > as_of => format!("valid from {from}, after {as_of}: not read"),
        _ => return true,
    };
    rec.note(path.to_owned(), why);
    false
}

/// Whether the rule is weekly (`freq: WEEKLY`, `interval` 1); a note when not.
fn weekly(rec: &mut Recorder, path: &str, s: &Value) -> bool {
    let at = || format!("{path}.freq");
    match text(s, "freq").map(str::to_ascii_uppercase).as_deref() {
        Some("WEEKLY") => rec.code(&sf("freq"), Some("WEEKLY"), at, "tracks"),
        Some(other) => {
            rec.ignored(&sf("freq"), Some(other), at, "only weekly rules are read");
            rec.note(
                path.to_owned(),
                format!(
                    "a {} rule: reported, not read; confirm the schedule",
                    other.to_ascii_lowercase()
                ),
            );
            return false;
        }
        None => {
            rec.note(
                path.to_owned(),
                "no `freq`: not read as a weekly rule; confirm the schedule",
            );
            return false;
        }
    }
    if let Some(n) = s.get("interval").and_then(number)
        && n != 1.0
    {
        rec.note(
            path.to_owned(),
            format!("every {n} weeks: not read; confirm the schedule"),
        );
        return false;
    }
    true
}

/// The weekly days of `byday`; none (with a note) when a day is monthly or none is given.
fn days(rec: &mut Recorder, path: &str, s: &Value) -> Option<Vec<Weekday>> {
    let mut days = Vec::new();
    let at = || format!("{path}.byday");
    for d in text(s, "byday")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        let Some((_, w)) = BYDAY.iter().find(|(c, _)| d.eq_ignore_ascii_case(c)) else {
            rec.ignored(
                &sf("byday"),
                Some(d),
                at,
                "a monthly day (such as 2MO or -1FR): not a weekly rule",
            );
            rec.note(
                path.to_owned(),
                format!("byday {d:?} is a monthly rule: reported, not read; confirm the schedule"),
            );
            return None;
        };
        rec.code(&sf("byday"), Some(d), at, format!("tracks: {}", w.key()));
        days.push(*w);
    }
    if days.is_empty() {
        rec.note(
            path.to_owned(),
            "a weekly rule without days (`byday`): not read",
        );
        return None;
    }
    Some(days)
}

/// The `description`: compared with `byday` (a disagreement is noted), not read.
fn description(rec: &mut Recorder, path: &str, s: &Value, days: &[Weekday]) {
    let Some(d) = text(s, "description") else {
        return;
    };
    let lower = d.to_ascii_lowercase();
    let weekdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    let mut sorted = days.to_vec();
    sorted.sort();
    sorted.dedup();
    if lower.contains("weekday") && sorted != weekdays {
        rec.note(
            path.to_owned(),
            format!(
                "the description says weekdays ({d:?}) but byday gives {}: byday is read; confirm",
                text(s, "byday").unwrap_or("")
            ),
        );
    }
    rec.ignored(
        &sf("description"),
        None,
        || format!("{path}.description"),
        "free text: compared with the structured fields, not read",
    );
}
